"""Politics claims P1–P3: the ban timeline, data safety and tourism to China.

One function per claim id, in report order; ``analysis.claims.ledger`` maps ids to them.
"""

from __future__ import annotations

import polars as pl

from analysis import reference
from analysis.claims.data import newcomer_frame, newcomer_notes
from analysis.claims.evidence import Evidence
from analysis.claims.rules import (
    COMPARISON,
    DIRECT,
    EXISTENCE,
    NOT_TESTABLE,
    TIMING,
    combine_verdicts,
    threshold,
    verdict_comparison,
    verdict_existence,
    verdict_timing,
)
from analysis.measures.instances import find_instances, found_counts, instances_text
from analysis.measures.migration import daily_activity
from analysis.measures.politics import (
    NEWCOMER_SINCE,
    account_ages,
    event_dates,
    privacy_mentions,
    surge_concentration,
    tourism_results,
    tourism_table,
)
from analysis.measures.quality import first_artefact
from analysis.results import Estimate

#: The window in which a peak counts as following the ban's timeline: from the hearing
#: to the day the ban took effect and service came back.
TIMING_WINDOW = ("tiktok_v_garland_argued", "tiktok_restored")


VISA_EVENTS = ("china_visa_free_trial", "china_240h_transit")


def ban_timeline(bundle) -> Evidence:
    """P1: daily #TikTokRefugee posts against the dated events of the TikTok ban."""
    notes, source = newcomer_notes(bundle)
    timeline = reference.timeline()
    daily = daily_activity(newcomer_frame(bundle)[0])
    what_would_test = (
        "sign-ups or first posts with the newcomer's stated reason, or a comparison with a country without a "
        "ban over the same days (a counterfactual for the timing)"
    )
    if daily.height == 0:
        return Evidence("P1", "share of refugee posts in the surge week", None, None, None, 0, "share", "",
                        NOT_TESTABLE, "no refugee posts", source, "politics-daily-volume", what_would_test)
    surge = surge_concentration(daily, source=source)
    week = surge.filter(pl.col("measure") == "surge_week_share").row(0, named=True)
    uniform = surge.filter(pl.col("measure") == "uniform_share")["estimate"][0]
    cliff = first_artefact(daily)
    dates = {i: d for i, d in timeline.select("id", "date").rows()}
    lo_day, hi_day = dates[TIMING_WINDOW[0]], dates[TIMING_WINDOW[1]]
    fig = {i: reference.figure(i) for i in (
        "surge_us_dau_week_before", "surge_us_dau_2025_01_12", "surge_us_dau_2025_01_13", "surge_us_dau_change_jan20")}
    # Published US daily active users measure the migration's timing directly; the posts only
    # when their series is not cut by the data set's collection window.
    checks = {
        f"US DAU rose after the hearing ({lo_day:%d %b})": fig["surge_us_dau_2025_01_13"].value
        > fig["surge_us_dau_week_before"].value,
        "US DAU jumped on 13 Jan, the first working day after it": fig["surge_us_dau_2025_01_13"].value
        > 2 * fig["surge_us_dau_2025_01_12"].value,
        f"US DAU fell when TikTok was restored ({hi_day:%d %b})": fig["surge_us_dau_change_jan20"].value < 0,
        "posts concentrated in the surge week": None if cliff else bool(week["lo"] > uniform),
    }
    verdict, rule = verdict_timing(checks, cause=True)
    if cliff:
        rule += (f"; the posts' series falls off a cliff on {cliff:%d %b %Y} (collection window of the data set), "
                 "so no concentration or decay is read from it")
    comparison = "; ".join(f.label() for f in fig.values()) + (
        f"; {reference.figure('surge_new_users_2days').label()} new users on 13–14 Jan; context: surge-week share of "
        f"posts {week['estimate']:.0%} (n={week['n']})")
    opened = account_ages(notes, source=source).row(0, named=True)
    if opened["n"]:
        comparison += (
            f"; {opened['estimate']:.0%} [{opened['lo']:.0%}, {opened['hi']:.0%}] of the {opened['n']} "
            f"posting accounts were opened on or after {NEWCOMER_SINCE:%d %b %Y} (creation day from the account id)"
        )
    change = fig["surge_us_dau_change_jan20"]
    return Evidence(
        "P1", "published US daily active users of RedNote around the ban's dates (Similarweb); posts per day as "
        "context", change.value, None, None, None, "relative change", comparison, verdict, rule,
        "published figures (Similarweb via Reuters)", "politics-daily-volume", what_would_test,
        target="whether the ban's timeline drove Americans to RedNote (timing and cause)", fit=DIRECT, kind=TIMING,
    )


#: Verified instances of "my data is safer with China": privacy talk that names China or
#: hands over one's data, not any mention of data.
SAFER_INSTANCES = {"saying their data is safer with China (or handing it over)":
                   r"(my|our) data.{0,60}(china|rednote|xhs)|(china|rednote).{0,60}(my|our) data|privacy.{0,40}china|"
                   r"all my data|数据.{0,20}(安全|中国)"}


def data_safer_with_china(bundle) -> Evidence:
    """P2: data-privacy talk among #TikTokRefugee posts."""
    notes, source = newcomer_notes(bundle)
    mentions = privacy_mentions(notes, source=source)
    row = mentions.filter(pl.col("group") == "data_privacy").row(0, named=True)
    found = find_instances(notes, SAFER_INSTANCES)
    verdict, rule = combine_verdicts([
        verdict_existence(found_counts(found), searched=notes.height),
        (NOT_TESTABLE, "young: the posts carry no ages"),
    ])
    return Evidence(
        "P2", "share of #TikTokRefugee posts mentioning privacy or personal data (privacy lexicon)",
        row["estimate"], row["lo"], row["hi"], row["n"], "share",
        "no published figure; the article's own statement", verdict, rule, source, "politics-privacy",
        "for the 'young' part: posts or a survey with the writers' ages and their stated views on data safety",
        target="young Americans saying their data is safer with China than with the US government",
        fit=DIRECT, kind=EXISTENCE, instances=instances_text(found),
    )


def tourism_still_low(bundle) -> Evidence:
    """P3: published foreign arrivals 2019 / 2023 / 2024 around the visa-free policies."""
    table = tourism_table()
    results = tourism_results(table)
    growth = results.filter(pl.col("measure") == "crossings_growth_2024").row(0, named=True)
    c19, c24, c25 = (reference.figure(f"tourism_foreigner_crossings_{y}") for y in (2019, 2024, 2025))
    # The claim is about the level: 2024 (the year before the article) against 2019, the
    # same NIA count (foreigners' entries plus exits); 2025 is the later check.
    verdict, rule = verdict_comparison(Estimate.published(c24.value / c19.value), same_construct=True,
                                       claim="lower", strong=threshold("still_low"))
    later = c25.value / c19.value
    rule += (f"; 2024 foreigner crossings {c24.value / 1e6:.1f}M vs 2019 {c19.value / 1e6:.1f}M; later data: 2025 "
             f"{c25.value / 1e6:.1f}M = {later:.0%} of 2019, {'still below' if later < 1 else 'above'} it; growth "
             f"2024 vs 2023 {growth['estimate']:+.0%} (a rise from a low base, not the level)")
    milestones = event_dates(reference.timeline(), VISA_EVENTS)
    comparison = "; ".join(table["label"].to_list()) + "; " + "; ".join(
        f"{e} {d:%d %b %Y}" for e, d in milestones.select("event", "date").rows()
    )
    return Evidence(
        "P3", "foreigner border crossings 2024 ÷ 2019 (published, NIA, same count)", c24.value / c19.value, None,
        None, None, "ratio", comparison, verdict, rule, "published figures (NIA, China Tourism Academy)",
        "politics-tourism",
        "foreign tourist arrivals measured the same way for 2019 and 2024 (e.g. NIA foreigner entries for both years)"
        if verdict == NOT_TESTABLE else "",
        target="the level of foreign travel to China against its pre-pandemic level", fit=DIRECT, kind=COMPARISON,
    )
