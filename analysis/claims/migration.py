"""Migration claim W1: whether the newcomers stay.

One function per claim id, in report order; ``analysis.claims.ledger`` maps ids to them.
"""

from __future__ import annotations

import polars as pl

from analysis.claims.data import newcomer_notes
from analysis.claims.evidence import Evidence
from analysis.claims.rules import NOT_SUPPORTED, NOT_TESTABLE, PARTLY, SUPPORTED, verdict_min_n
from analysis.measures.migration import (
    DecayFitError,
    daily_activity,
    published_drops,
    retention_summary,
    volume_decay,
)

#: A half-life shorter than this many days counts as "faded within a week".
FADE_DAYS = 7.0


#: Below this share, "almost nobody" came back / was kept.
FEW = 0.05


def stay_verdict(
    posted_again: dict, half_life: dict, dau_change: float, downloads_change: float, kept_ratio: float
) -> tuple[str, str]:
    """The W1 verdict on the readers' doubt that newcomers will stay.

    * not testable: fewer accounts than the minimum;
    * supported: volume faded (half-life upper bound < 7 days), published DAU and
      downloads fell, and almost nobody stayed (our return share's upper bound and the
      published kept/peak ratio both < 5%);
    * partly supported: volume faded and DAU fell, but a minority stayed;
    * not supported: otherwise (no clear fade).
    """
    low_n = verdict_min_n(posted_again["n"])
    if low_n:
        return low_n
    hl_hi = half_life["hi"]
    faded = hl_hi is not None and hl_hi < FADE_DAYS
    fell = dau_change < 0 and downloads_change < 0
    few_ours = posted_again["hi"] is not None and posted_again["hi"] < FEW
    few_published = kept_ratio < FEW
    shown = (
        f"half-life upper bound {'open' if hl_hi is None else f'{hl_hi:.1f} days'} "
        f"({'<' if faded else '≥'} {FADE_DAYS:g}); published DAU {dau_change:+.0%}, downloads {downloads_change:+.0%}; "
        f"accounts posting again {posted_again['estimate']:.1%} [hi {posted_again['hi']:.1%}] (n={posted_again['n']}); "
        f"published kept/peak DAU {kept_ratio:.0%}"
    )
    if faded and fell and few_ours and few_published:
        return SUPPORTED, f"supported: faded, fell and almost nobody stayed (< {FEW:.0%}) — {shown}"
    if faded and fell:
        return PARTLY, f"partly supported: activity faded fast and DAU fell, but a minority stayed (≥ {FEW:.0%}) — {shown}"
    return NOT_SUPPORTED, f"not supported: no clear fade of activity — {shown}"


def will_users_stay(bundle) -> Evidence:
    """W1: retention of #TikTokRefugee posting accounts and volume decay vs published drops."""
    notes, source = newcomer_notes(bundle)
    summary = retention_summary(notes, source=source)
    again = summary.filter(pl.col("measure") == "posted_again").row(0, named=True)
    what_would_test = (
        "a panel of the newcomers' accounts followed for weeks (all their notes and sessions, not only "
        "#TikTokRefugee posts), or RedNote's daily-active counts by sign-up cohort"
    )
    pub = published_drops()
    comparison = (
        f"US DAU {pub['dau_change'].label()}; US downloads after TikTok returned "
        f"{pub['downloads_change'].label()}; {pub['users_kept'].label()} kept"
    )
    measure = "share of #TikTokRefugee posting accounts that posted again on a later day (lower bound)"
    daily = daily_activity(notes)
    try:
        decay = volume_decay(daily, source=source)
    except DecayFitError as exc:
        return Evidence("W1", measure, again["estimate"], again["lo"], again["hi"], again["n"], "share", comparison,
                        NOT_TESTABLE, f"not testable: {exc}", source, "migration-volume-decay", what_would_test)
    half = decay.filter(pl.col("measure") == "volume_half_life").row(0, named=True)
    kept_ratio = pub["users_kept"].value / pub["peak_dau"].value
    verdict, rule = stay_verdict(again, half, pub["dau_change"].value, pub["downloads_change"].value, kept_ratio)
    return Evidence(
        "W1", measure, again["estimate"], again["lo"], again["hi"], again["n"], "share", comparison, verdict, rule,
        source, "migration-cohort-retention", what_would_test if verdict == NOT_TESTABLE else "",
    )
