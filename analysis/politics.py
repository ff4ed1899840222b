"""Politics: the Great Firewall dates (T1), the ban's timeline (P1), data-privacy talk
(P2) and tourism despite visa-free entry (P3).

Inputs are canonical notes, the reference tables of analysis.reference and the
article's own dates (data/reference/article_dates.csv). Every function returns a small
table; the ``@claim`` functions turn them into ledger rows by the rules written here.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from pathlib import Path

import polars as pl

from analysis import config, reference
from analysis.claims import (
    CONTRADICTED_LATER,
    NOT_SUPPORTED,
    NOT_TESTABLE,
    PARTLY,
    SUPPORTED,
    Evidence,
    claim,
    combine_verdicts,
    verdict_min_n,
)
from analysis.migration import daily_activity
from analysis.results import Result, results_frame
from analysis.stats import bootstrap_median, proportion
from analysis.text.lexicon import flag_columns, load_lexicon
from analysis.themes import DAY_TZ, REFUGEE, SURGE_DAY, local_day, newcomer_notes, note_text

ARTICLE_DATES_FILE = "article_dates.csv"
ARTICLE_DATES_SCHEMA = {"event_id": pl.String(), "article_says": pl.String(), "year": pl.Int32(), "quarter": pl.Int32()}

#: Timeline ids of the Great Firewall exits the article dates (T1).
FIREWALL_EVENTS = (
    "twitter_blocked_china", "facebook_blocked_china", "google_search_to_hong_kong",
    "instagram_blocked_china", "linkedin_china_shutdown",
)
#: Timeline ids of the US TikTok ban, in order (P1).
BAN_EVENTS = (
    "pafaca_signed", "tiktok_v_garland_argued", "tiktok_v_garland_decided", "tiktok_dark_us",
    "tiktok_restored", "eo_14166", "tiktok_back_app_stores",
)
#: Phase boundaries: each phase starts on the day of its event (US Eastern days).
PHASE_STARTS = (
    ("before the hearing", None),
    ("hearing to ruling", "tiktok_v_garland_argued"),
    ("ruling, blackout, restoration", "tiktok_v_garland_decided"),
    ("75-day pause (EO 14166)", "eo_14166"),
    ("back in app stores", "tiktok_back_app_stores"),
)
#: The window in which a peak counts as following the ban's timeline: from the hearing
#: to the day the ban took effect and service came back.
TIMING_WINDOW = ("tiktok_v_garland_argued", "tiktok_restored")
#: Days counted as "the surge week" from SURGE_DAY.
SURGE_WEEK_DAYS = 7

#: Privacy lexicon categories that count as data-privacy talk (``us_government`` is
#: reported beside them: distrust of the government is not talk about data).
DATA_PRIVACY_CATEGORIES = ("privacy", "my_data", "data_safer")
#: Share of posts at which data-privacy talk counts as a common theme (one post in 20).
COMMON_THEME = 0.05

#: Growth of foreigner crossings after the visa-free trial above which "still low
#: despite visa-free policies" is contradicted.
STRONG_GROWTH = 0.5


class ArticleDatesError(ValueError):
    """The article's dates file is malformed; the message names the file, row and column."""


# --- T1: the Great Firewall dates -----------------------------------------------------


def load_article_dates(folder: Path | None = None) -> pl.DataFrame:
    """The article's stated dates (``ARTICLE_DATES_SCHEMA``), checked."""
    return _article_dates(folder or config.REFERENCE_DIR)


@cache
def _article_dates(folder: Path) -> pl.DataFrame:
    path = folder / ARTICLE_DATES_FILE
    if not path.exists():
        raise ArticleDatesError(f"{path}: missing; the article's dates live in {config.REFERENCE_DIR}")
    frame = pl.read_csv(path, schema_overrides=ARTICLE_DATES_SCHEMA, encoding="utf8")
    rows = frame.with_row_index("_row", offset=2)
    for col in ("event_id", "article_says", "year"):
        bad = rows.filter(pl.col(col).is_null())
        if bad.height:
            raise ArticleDatesError(f"{path}, row {bad['_row'][0]}, column {col}: empty; every row needs a {col}")
    bad = rows.filter(pl.col("quarter").is_not_null() & ~pl.col("quarter").is_between(1, 4))
    if bad.height:
        raise ArticleDatesError(f"{path}, row {bad['_row'][0]}, column quarter: {bad['quarter'][0]}; use 1–4 or leave empty")
    return frame.select(list(ARTICLE_DATES_SCHEMA))


def firewall_agreement(article: pl.DataFrame, timeline: pl.DataFrame) -> pl.DataFrame:
    """Each article date against the reference timeline.

    The article's period is its year, or the quarter where it names one. A date agrees
    when the reference date or the end of a reference range falls in that period.
    ``days_off`` is 0 when it agrees, else the days from the period to the nearer
    reference date. Events without a reference row raise, naming them.
    """
    missing = sorted(set(article["event_id"]) - set(timeline["id"]))
    if missing:
        raise ArticleDatesError(f"{ARTICLE_DATES_FILE}: event_id(s) {missing} are not in the reference timeline")
    quarter_start = pl.date(pl.col("year"), (pl.col("quarter") - 1) * 3 + 1, 1)
    start = pl.when(pl.col("quarter").is_null()).then(pl.date(pl.col("year"), 1, 1)).otherwise(quarter_start)
    end = (
        pl.when(pl.col("quarter").is_null())
        .then(pl.date(pl.col("year"), 12, 31))
        .otherwise(quarter_start.dt.offset_by("3mo").dt.offset_by("-1d"))
    )
    ref_hi = pl.coalesce("reference_date_hi", "reference_date")

    def inside(d: pl.Expr) -> pl.Expr:
        return d.is_between(pl.col("period_start"), pl.col("period_end"))

    def gap(d: pl.Expr) -> pl.Expr:
        return pl.max_horizontal((pl.col("period_start") - d).dt.total_days(), (d - pl.col("period_end")).dt.total_days(), 0)

    return (
        article.join(
            timeline.select(pl.col("id").alias("event_id"), "event", pl.col("date").alias("reference_date"),
                            pl.col("date_hi").alias("reference_date_hi"), "source", "confidence"),
            on="event_id", how="left", validate="1:1",
        )
        .with_columns(start.alias("period_start"), end.alias("period_end"))
        .with_columns(
            (inside(pl.col("reference_date")) | inside(ref_hi)).alias("agrees"),
            pl.min_horizontal(gap(pl.col("reference_date")), gap(ref_hi)).cast(pl.Int64).alias("days_off"),
        )
        .select("event_id", "event", "article_says", "period_start", "period_end", "reference_date",
                "reference_date_hi", "agrees", "days_off", "source", "confidence")
    )


def firewall_verdict(agreement: pl.DataFrame) -> tuple[str, str]:
    """supported if every date agrees; partly supported if at least half do; else not
    supported. The minimum-n rule does not apply: the rows are the article's complete
    list of dates, not a sample."""
    k, n = int(agreement["agrees"].sum()), agreement.height
    if n == 0:
        return NOT_TESTABLE, "no article dates to check"
    off = agreement.filter(~pl.col("agrees"))["event_id"].to_list()
    shown = f"{k} of {n} dates agree with the reference timeline" + (f" (off: {', '.join(off)})" if off else "")
    if k == n:
        return SUPPORTED, f"supported: {shown}; rule: all agree"
    if 2 * k >= n:
        return PARTLY, f"partly supported: {shown}; rule: at least half agree"
    return NOT_SUPPORTED, f"not supported: {shown}; rule: fewer than half agree"


@claim("T1")
def firewall_dates(bundle) -> Evidence:
    """T1: the article's exit dates of US platforms from China vs the reference timeline."""
    agreement = firewall_agreement(load_article_dates(), reference.timeline())
    verdict, rule = firewall_verdict(agreement)
    k, n = int(agreement["agrees"].sum()), agreement.height
    refs = "; ".join(
        f"{e} {d:%d %b %Y}" + (f"–{h:%d %b}" if h else "") + f" ({c})"
        for e, d, h, c in agreement.select("event", "reference_date", "reference_date_hi", "confidence").rows()
    )
    return Evidence(
        "T1", "share of the article's exit dates that fall in the period the article names", k / n if n else None,
        None, None, n, "share", refs, verdict, rule, "reference timeline", "politics-firewall-timeline",
    )


# --- P1: the ban's timeline and the volume of refugee posts --------------------------


def event_dates(timeline: pl.DataFrame, ids: tuple[str, ...] = BAN_EVENTS) -> pl.DataFrame:
    """The events ``ids`` (id, event, date, note) in the given order."""
    order = pl.DataFrame({"id": list(ids), "order": list(range(len(ids)))})
    return (
        order.join(timeline.select("id", "event", "date", "note"), on="id", how="left", validate="1:1")
        .sort("order")
        .drop("order")
    )


def phase_expr(timeline: pl.DataFrame, day: pl.Expr) -> pl.Expr:
    """The phase of the ban's timeline a (US Eastern) day falls in, as an expression."""
    starts = {i: d for i, d in timeline.select("id", "date").rows()}
    expr = pl.lit(PHASE_STARTS[0][0])
    for label, event_id in PHASE_STARTS[1:]:
        expr = pl.when(day >= pl.lit(starts[event_id])).then(pl.lit(label)).otherwise(expr)
    return expr


def surge_concentration(
    daily: pl.DataFrame, start: date = SURGE_DAY, days: int = SURGE_WEEK_DAYS, source: str = REFUGEE
) -> pl.DataFrame:
    """How concentrated posting was in the surge week, as a result table.

    ``daily`` is ``analysis.migration.daily_activity`` output. Rows:
    ``surge_week_share`` (posts in the ``days`` days from ``start`` over all posts,
    Wilson), ``uniform_share`` (what that share would be if posts were spread evenly
    over the days covered), ``peak_day_share`` (the busiest day's share; the note names
    the day).
    """
    total = int(daily["posts"].sum())
    in_week = daily.filter(pl.col("day").is_between(start, start + timedelta(days=days - 1)))
    peak = daily.sort(["posts", "day"], descending=[True, False]).row(0, named=True)
    span = f"{start:%d %b} – {start + timedelta(days=days - 1):%d %b %Y}"
    return results_frame([
        proportion(int(in_week["posts"].sum()), total, measure="surge_week_share", source=source,
                   note=f"posts on {span} (US Eastern days) over all posts"),
        Result("uniform_share", days / daily.height, total, "share", source,
               note=f"{days} of the {daily.height} days covered, if posts were spread evenly"),
        proportion(int(peak["posts"]), total, measure="peak_day_share", source=source,
                   note=f"busiest day: {peak['day']:%d %b %Y} (US Eastern)"),
    ])


def peak_day(daily: pl.DataFrame) -> date:
    """The day with the most posts (the earliest, on a tie)."""
    return daily.sort(["posts", "day"], descending=[True, False])["day"][0]


def phase_engagement(
    notes: pl.DataFrame | pl.LazyFrame, timeline: pl.DataFrame, tz: str = DAY_TZ, source: str = REFUGEE
) -> pl.DataFrame:
    """Posts and median likes per phase of the ban's timeline (bootstrap 95% interval).

    Result rows ``posts`` (count; the phase is in ``group``) and ``median_likes``.
    """
    frame = (
        notes.lazy()
        .select(phase_expr(timeline, local_day(tz)).alias("phase"), pl.col("liked_count"))
        .collect()
    )
    rows = []
    for label, _ in PHASE_STARTS:
        likes = frame.filter(pl.col("phase") == label)["liked_count"].drop_nulls()
        rows.append(Result("posts", float(frame.filter(pl.col("phase") == label).height), frame.height, "count",
                           source, group=label, note="posts in the phase (US Eastern days)"))
        est, lo, hi = bootstrap_median(likes.cast(pl.Float64).to_numpy())
        rows.append(Result("median_likes", est, likes.len(), "likes", source, lo, hi, group=label,
                           note="median likes, percentile bootstrap 95% interval"))
    return results_frame(rows)


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


@claim("P1")
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


# --- P1 context: were the posters new to RedNote? ------------------------------------

#: An account opened on or after this day was opened for the migration: TikTok v. Garland
#: was argued on 10 Jan 2025, and the first #TikTokRefugee posts followed within days.
NEWCOMER_SINCE = date(2025, 1, 10)


def account_ages(notes: pl.DataFrame | pl.LazyFrame, since: date = NEWCOMER_SINCE, source: str = REFUGEE) -> pl.DataFrame:
    """Share of posting accounts opened on or after ``since`` (Wilson 95%), among accounts
    whose id dates them; one row per account (its creation day is the same on every note).

    Measure ``accounts_opened_since`` (group ``since.isoformat()``), n = dated accounts.
    """
    accounts = (
        notes.lazy().group_by("account_id").agg(pl.col("account_created_on").first())
        .filter(pl.col("account_created_on").is_not_null())
        .select(pl.len().alias("n"), (pl.col("account_created_on") >= since).sum().alias("k"))
        .collect()
    )
    k, n = int(accounts["k"][0]), int(accounts["n"][0])
    return results_frame([proportion(k, n, measure="accounts_opened_since", group=since.isoformat(), source=source,
                                     note="creation day read from the platform's account id")])


def account_opening_weeks(notes: pl.DataFrame | pl.LazyFrame, first: date = date(2024, 10, 7)) -> pl.DataFrame:
    """Posting accounts by the week their account was opened (weeks from ``first``, a
    Monday); older accounts are one bar, ``before <first>``. Columns: week (label),
    week_start (Date, null for the older bar), accounts."""
    accounts = (
        notes.lazy().group_by("account_id").agg(pl.col("account_created_on").first())
        .filter(pl.col("account_created_on").is_not_null())
        .with_columns(
            pl.when(pl.col("account_created_on") >= first)
            .then(pl.col("account_created_on").dt.truncate("1w")).alias("week_start")
        )
        .group_by("week_start").agg(pl.len().cast(pl.Int64).alias("accounts"))
        .collect()
    )
    return accounts.sort("week_start", nulls_last=False).with_columns(
        pl.when(pl.col("week_start").is_null()).then(pl.lit(f"before {first:%d %b %Y}"))
        .otherwise(pl.col("week_start").dt.strftime("%d %b %Y")).alias("week")
    ).select("week", "week_start", "accounts")


# --- P2: privacy and "my data is safer with China" -------------------------------------


def privacy_flags(notes: pl.DataFrame | pl.LazyFrame, lexicon: pl.DataFrame | None = None) -> pl.LazyFrame:
    """One boolean column per privacy category plus ``data_privacy`` (any of
    ``DATA_PRIVACY_CATEGORIES``), one row per note."""
    lexicon = load_lexicon("privacy") if lexicon is None else lexicon
    flags = flag_columns(note_text(), lexicon)
    return notes.lazy().select(*flags).with_columns(
        pl.any_horizontal(*[pl.col(c) for c in DATA_PRIVACY_CATEGORIES]).alias("data_privacy")
    )


def privacy_mentions(
    notes: pl.DataFrame | pl.LazyFrame, lexicon: pl.DataFrame | None = None, source: str = REFUGEE
) -> pl.DataFrame:
    """Share of notes in each privacy category and in ``data_privacy``, with Wilson intervals."""
    counts = privacy_flags(notes, lexicon).select(pl.len().alias("_n"), pl.all().sum()).collect()
    n = int(counts["_n"][0])
    return results_frame([
        proportion(int(counts[c][0]), n, measure="mention_share", group=c, source=source,
                   note="notes matching the privacy lexicon category (title, text, tags)")
        for c in counts.columns if c != "_n"
    ])


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


@claim("P2")
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


# --- P3: tourism despite visa-free policies --------------------------------------------

#: (reference id, year, what it counts) of the tourism figures, in chart order.
TOURISM_FIGURES = (
    ("tourism_foreign_visits_2019", 2019, "foreign tourist visits"),
    ("tourism_foreigner_crossings_2023", 2023, "foreigner border crossings"),
    ("tourism_foreigner_crossings_2024", 2024, "foreigner border crossings"),
    ("tourism_visa_free_entries_2024", 2024, "of which visa-free entries"),
)
VISA_EVENTS = ("china_visa_free_trial", "china_240h_transit")


def tourism_table() -> pl.DataFrame:
    """The published tourism figures (year, measure, value, unit, label with source and
    confidence), in the order of ``TOURISM_FIGURES``."""
    refs = [(reference.figure(i), y, m) for i, y, m in TOURISM_FIGURES]
    return pl.DataFrame(
        {
            "id": [r.id for r, _, _ in refs], "year": [y for _, y, _ in refs], "measure": [m for _, _, m in refs],
            "value": [r.value for r, _, _ in refs], "unit": [r.unit for r, _, _ in refs],
            "source": [r.source for r, _, _ in refs], "confidence": [r.confidence for r, _, _ in refs],
            "label": [r.label() for r, _, _ in refs],
        },
        schema_overrides={"year": pl.Int32},
    )


def tourism_results(table: pl.DataFrame) -> pl.DataFrame:
    """Growth and visa-free share from ``tourism_table`` output, as a result table.

    * ``crossings_growth_2024``: 2024 over 2023 foreigner crossings, minus 1;
    * ``visa_free_share_2024``: visa-free entries over all 2024 crossings (crossings count
      entries and exits, so the share of *entries* is roughly twice this);
    * ``crossings_2024_over_visits_2019``: shown only to say it cannot be read — the two
      count different things (border crossings vs tourist visits).
    No intervals: these are published totals, not samples.
    """
    v = {i: x for i, x in table.select("id", "value").rows()}
    c23, c24 = v["tourism_foreigner_crossings_2023"], v["tourism_foreigner_crossings_2024"]
    src = "National Immigration Administration; China Tourism Academy"
    return results_frame([
        Result("crossings_growth_2024", c24 / c23 - 1, 2, "relative change", src,
               note="foreigner border crossings 2024 vs 2023 (NIA)"),
        Result("visa_free_share_2024", v["tourism_visa_free_entries_2024"] / c24, 1, "share", src,
               note="visa-free entries over all foreigner crossings (entries and exits) in 2024"),
        Result("crossings_2024_over_visits_2019", c24 / v["tourism_foreign_visits_2019"], 2, "ratio", src,
               note="NOT comparable: border crossings (entries and exits, all purposes) vs tourist visits"),
    ])


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


@claim("P3")
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
