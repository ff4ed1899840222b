"""Migration claim W1: whether the newcomers stay.

One function per claim id, in report order; ``analysis.claims.ledger`` maps ids to them.
"""

from __future__ import annotations

import polars as pl

from analysis import reference
from analysis.claims.data import newcomer_frame
from analysis.claims.evidence import Evidence
from analysis.claims.rules import DIRECT, FORECAST, NOT_TESTABLE, verdict_forecast
from analysis.measures.migration import (
    DecayFitError,
    daily_activity,
    published_drops,
    retention_summary,
    volume_decay,
)
from analysis.measures.quality import first_artefact


def dau_readings() -> list[tuple[str, float | None, int, str]]:
    """Published US DAU after the peak, as (label, share of the peak, days after 13 Jan, grade)."""
    jan20 = reference.figure("surge_us_dau_change_jan20")
    week = reference.figure("surge_us_dau_change_jan20_22")
    feb = reference.figure("surge_us_dau_feb2025_vs_before")
    return [
        ("US DAU 20 Jan vs 19 Jan (Similarweb)", 1 + jan20.value, 7, jan20.confidence),
        ("US DAU 20–22 Jan vs 13–19 Jan (Sensor Tower)", 1 + week.value, 8, week.confidence),
        # "a quarter higher than before TikTok was taken down": the baseline is not stated.
        ("US DAU Feb 2025 vs before the takedown (Sensor Tower)", None, 30, feb.confidence),
    ]


def will_users_stay(bundle) -> Evidence:
    """W1 tests the readers' doubt (most newcomers will not stay) on published DAU; the
    newcomers' posting again is a proxy, and no decay is fitted across a collection cliff."""
    notes, source = newcomer_frame(bundle)
    summary = retention_summary(notes, source=source)
    again = summary.filter(pl.col("measure") == "posted_again").row(0, named=True)
    what_would_test = (
        "RedNote's US daily active users four weeks or more after the surge with a stated baseline, or a panel of "
        "the newcomers' accounts followed for weeks (all their notes and sessions)"
    )
    pub = published_drops()
    verdict, rule = verdict_forecast(dau_readings(), doubt=True)
    rule = "tests the readers' doubt that most newcomers will not stay — " + rule
    daily = daily_activity(notes)
    cliff = first_artefact(daily)
    if cliff is not None:
        decay = f"no decay fitted: the posts' series falls off a cliff on {cliff:%d %b %Y} (collection window)"
    else:
        try:
            half = volume_decay(daily, source=source).filter(pl.col("measure") == "volume_half_life").row(0, named=True)
            decay = f"volume half-life {half['estimate']:.1f} days" if half["estimate"] else "no decay of volume"
        except DecayFitError as exc:
            decay = f"no decay fitted: {exc}"
    comparison = (
        f"US downloads after TikTok returned {pub['downloads_change'].label()}; {pub['users_kept'].label()} US users "
        f"gained (not kept) while TikTok was out of the app stores; context: "
        f"{again['estimate']:.1%} [{again['lo']:.1%}, {again['hi']:.1%}] of {again['n']} posting accounts posted "
        f"again on a later day (posting is not using); {decay}"
    )
    return Evidence(
        "W1", "published US daily active users after the peak (Similarweb, Sensor Tower); newcomers posting again "
        "as context", again["estimate"], again["lo"], again["hi"], again["n"], "share", comparison, verdict, rule,
        source, "migration-cohort-retention", what_would_test if verdict == NOT_TESTABLE else "",
        target="whether the newcomers kept using RedNote weeks after the surge", fit=DIRECT, kind=FORECAST,
    )
