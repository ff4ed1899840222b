"""Politics claims P1–P3: the ban timeline, data safety and tourism to China.

One function per claim id, in report order; ``analysis.claims.ledger`` maps ids to them.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from analysis import reference
from analysis.claims.data import newcomer_notes
from analysis.claims.evidence import Evidence
from analysis.claims.rules import (
    CONTRADICTED_LATER,
    NOT_SUPPORTED,
    NOT_TESTABLE,
    PARTLY,
    SUPPORTED,
    combine_verdicts,
    verdict_min_n,
)
from analysis.measures.migration import daily_activity
from analysis.measures.politics import (
    NEWCOMER_SINCE,
    STRONG_GROWTH,
    account_ages,
    event_dates,
    peak_day,
    privacy_mentions,
    surge_concentration,
    tourism_results,
    tourism_table,
)

#: The window in which a peak counts as following the ban's timeline: from the hearing
#: to the day the ban took effect and service came back.
TIMING_WINDOW = ("tiktok_v_garland_argued", "tiktok_restored")


#: Share of posts at which data-privacy talk counts as a common theme (one post in 20).
COMMON_THEME = 0.05


VISA_EVENTS = ("china_visa_free_trial", "china_240h_transit")


def timing_verdict(surge: pl.DataFrame, peak: date, timeline: pl.DataFrame) -> tuple[str, str]:
    """P1's rule. Timing alone can at most show consistency, never cause:

    * not testable: fewer posts than the minimum;
    * partly supported: the peak day falls between the hearing and the restoration of
      service AND the surge week's share has its lower bound above the uniform share
      (posting concentrated on the ban's dates) — consistent timing, cause not shown;
    * not supported: otherwise.
    """
    week = surge.filter(pl.col("measure") == "surge_week_share").row(0, named=True)
    uniform = surge.filter(pl.col("measure") == "uniform_share")["estimate"][0]
    low_n = verdict_min_n(week["n"])
    if low_n:
        return low_n
    dates = {i: d for i, d in timeline.select("id", "date").rows()}
    lo_day, hi_day = dates[TIMING_WINDOW[0]], dates[TIMING_WINDOW[1]]
    in_window = lo_day <= peak <= hi_day
    concentrated = week["lo"] > uniform
    shown = (
        f"peak {peak:%d %b %Y} {'inside' if in_window else 'outside'} {lo_day:%d %b}–{hi_day:%d %b}; "
        f"surge-week share {week['estimate']:.0%} [{week['lo']:.0%}, {week['hi']:.0%}] vs {uniform:.0%} if even "
        f"(n={week['n']})"
    )
    if in_window and concentrated:
        return PARTLY, (
            f"partly supported: timing consistent with the ban driving the surge — {shown}; timing alone cannot "
            "show cause, so the verdict stops at partly supported"
        )
    return NOT_SUPPORTED, f"not supported: posting did not concentrate on the ban's dates — {shown}"


def ban_timeline(bundle) -> Evidence:
    """P1: daily #TikTokRefugee posts against the dated events of the TikTok ban."""
    notes, source = newcomer_notes(bundle)
    timeline = reference.timeline()
    daily = daily_activity(notes)
    what_would_test = (
        "sign-ups or first posts with the newcomer's stated reason, or a comparison with a country without a "
        "ban over the same days (a counterfactual for the timing)"
    )
    if daily.height == 0:
        return Evidence("P1", "share of refugee posts in the surge week", None, None, None, 0, "share", "",
                        NOT_TESTABLE, "no refugee posts", source, "politics-daily-volume", what_would_test)
    surge = surge_concentration(daily, source=source)
    week = surge.filter(pl.col("measure") == "surge_week_share").row(0, named=True)
    verdict, rule = timing_verdict(surge, peak_day(daily), timeline)
    dau = [reference.figure(i) for i in ("surge_us_dau_week_before", "surge_us_dau_2025_01_13")]
    comparison = (
        f"US DAU a week before {dau[0].label()} vs 13 Jan {dau[1].label()}; "
        f"{reference.figure('surge_new_users_2days').label()} new users on 13–14 Jan"
    )
    opened = account_ages(notes, source=source).row(0, named=True)
    if opened["n"]:
        comparison += (
            f"; context: {opened['estimate']:.0%} [{opened['lo']:.0%}, {opened['hi']:.0%}] of the {opened['n']} "
            f"posting accounts were opened on or after {NEWCOMER_SINCE:%d %b %Y} (creation day from the account id)"
        )
    return Evidence(
        "P1", "share of #TikTokRefugee posts published 13–19 Jan 2025 (US Eastern)", week["estimate"], week["lo"],
        week["hi"], week["n"], "share", comparison, verdict, rule, source, "politics-daily-volume",
        what_would_test if verdict != NOT_SUPPORTED else "",
    )


def privacy_verdict(mentions: pl.DataFrame) -> tuple[str, str]:
    """P2's rule, in two parts combined by ``combine_verdicts``:

    1. Americans say it: supported if data-privacy talk is a common theme (Wilson lower
       bound ≥ 5% of posts); partly supported if some posts make it (at least one
       ``data_safer`` or ``data_privacy`` match) but it is not common; not supported if
       no post does; not testable below the minimum n.
    2. They are *young*: not testable — the posts carry no ages.
    """
    row = mentions.filter(pl.col("group") == "data_privacy").row(0, named=True)
    safer = mentions.filter(pl.col("group") == "data_safer").row(0, named=True)
    low_n = verdict_min_n(row["n"])
    shown = (
        f"data-privacy talk {row['estimate']:.1%} [{row['lo']:.1%}, {row['hi']:.1%}], explicit 'safer with China' "
        f"{safer['estimate']:.1%} (n={row['n']})"
    ) if not low_n else ""
    if low_n:
        part1 = low_n
    elif row["lo"] >= COMMON_THEME:
        part1 = (SUPPORTED, f"said, and common: {shown}; lower bound ≥ {COMMON_THEME:.0%}")
    elif row["estimate"] > 0 or safer["estimate"] > 0:
        part1 = (PARTLY, f"said, but rarely: {shown}; lower bound < {COMMON_THEME:.0%}")
    else:
        part1 = (NOT_SUPPORTED, f"not said: {shown}")
    part2 = (NOT_TESTABLE, "the posts carry no ages, so 'young' cannot be checked")
    return combine_verdicts([part1, part2])


def data_safer_with_china(bundle) -> Evidence:
    """P2: data-privacy talk among #TikTokRefugee posts."""
    notes, source = newcomer_notes(bundle)
    mentions = privacy_mentions(notes, source=source)
    row = mentions.filter(pl.col("group") == "data_privacy").row(0, named=True)
    verdict, rule = privacy_verdict(mentions)
    return Evidence(
        "P2", "share of #TikTokRefugee posts mentioning privacy or personal data (privacy lexicon)",
        row["estimate"], row["lo"], row["hi"], row["n"], "share",
        "no published figure; the article's own statement", verdict, rule, source, "politics-privacy",
        "for the 'young' part: posts or a survey with the writers' ages and their stated views on data safety",
    )


def tourism_verdict(results: pl.DataFrame) -> tuple[str, str]:
    """P3's rule: contradicted by later data if foreigner crossings grew by more than
    50% in the year after the visa-free trial began, with visa-free entries a visible part
    of them; otherwise not testable, since no comparable pre-pandemic level is at hand to
    judge "still low" by."""
    growth = results.filter(pl.col("measure") == "crossings_growth_2024")["estimate"][0]
    share = results.filter(pl.col("measure") == "visa_free_share_2024")["estimate"][0]
    shown = f"foreigner crossings {growth:+.1%} in 2024, {share:.0%} of them visa-free entries"
    level = ("the level against 2019 cannot be judged: the 2019 figure counts tourist visits, the 2023/2024 "
             "figures border crossings")
    if growth > STRONG_GROWTH and share > 0:
        return CONTRADICTED_LATER, (
            f"contradicted by later data: {shown} (growth > {STRONG_GROWTH:.0%} after the visa-free trial); {level}"
        )
    return NOT_TESTABLE, f"not testable: {shown} — growth not above {STRONG_GROWTH:.0%}; {level}"


def tourism_still_low(bundle) -> Evidence:
    """P3: published foreign arrivals 2019 / 2023 / 2024 around the visa-free policies."""
    table = tourism_table()
    results = tourism_results(table)
    growth = results.filter(pl.col("measure") == "crossings_growth_2024").row(0, named=True)
    verdict, rule = tourism_verdict(results)
    milestones = event_dates(reference.timeline(), VISA_EVENTS)
    comparison = "; ".join(table["label"].to_list()) + "; " + "; ".join(
        f"{e} {d:%d %b %Y}" for e, d in milestones.select("event", "date").rows()
    )
    return Evidence(
        "P3", "change in foreigner border crossings, 2024 vs 2023 (published, NIA)", growth["estimate"], None, None,
        None, "relative change", comparison, verdict, rule, "published figures (NIA, China Tourism Academy)",
        "politics-tourism",
        "foreign tourist arrivals measured the same way for 2019 and 2024 (e.g. NIA foreigner entries for both years)"
        if verdict == NOT_TESTABLE else "",
    )
