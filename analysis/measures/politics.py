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
from analysis.measures.common import DAY_TZ, REFUGEE, SURGE_DAY, lexicon_text, local_day
from analysis.results import Result, results_frame
from analysis.stats import bootstrap_median, interval_method, proportion
from analysis.text.lexicon import load_lexicon, select_flags

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
#: Days counted as "the surge week" from SURGE_DAY.
SURGE_WEEK_DAYS = 7

#: Privacy lexicon categories that count as data-privacy talk (``us_government`` is
#: reported beside them: distrust of the government is not talk about data).
DATA_PRIVACY_CATEGORIES = ("privacy", "my_data", "data_safer")

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

    ``daily`` is ``analysis.measures.migration.daily_activity`` output. Rows:
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
                           note=f"median likes, {interval_method('median', likes.len())} interval"))
    return results_frame(rows)


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
    return select_flags(notes.lazy(), lexicon_text(notes), lexicon).with_columns(
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


# --- P3: tourism despite visa-free policies --------------------------------------------

#: (reference id, year, what it counts) of the tourism figures, in chart order.
TOURISM_FIGURES = (
    ("tourism_foreign_visits_2019", 2019, "foreign tourist visits"),
    ("tourism_foreigner_crossings_2023", 2023, "foreigner border crossings"),
    ("tourism_foreigner_crossings_2024", 2024, "foreigner border crossings"),
    ("tourism_visa_free_entries_2024", 2024, "of which visa-free entries"),
)


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


