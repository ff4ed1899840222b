"""The heavy measures, written once against narwhals: they run on polars (the default) and
on Apache Spark, and only small polars tables come back.

Every function takes a native frame the engines support (polars DataFrame/LazyFrame, a
PySpark or Spark Connect DataFrame) or a narwhals LazyFrame of one, keeps the work lazy on
that engine, and returns either a narwhals LazyFrame (row-level steps, for composing:
``parse_counts``, ``parse_times``, ``newest_per_key``, ``flag_lexicon``, ``classify_ads``)
or a small polars DataFrame (aggregates: ``ad_counts``, ``creator_ad_counts``,
``category_counts``, ``daily_counts``, ``weekly_counts``, ``cohort_counts``,
``posted_again_counts``, ``term_counts``). Intervals, zero-filling and verdict-ready
result tables are computed on those small tables by the polars measures
(analysis/measures/ads.py, migration.py), whatever engine did the counting.

What narwhals does not express alike on both engines (NFKC, list joins, time-zone days,
naive-time parsing, regex dialect, Python-per-batch steps) is one function per engine in
analysis/engines/.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import narwhals as nw
import polars as pl
import pyarrow as pa

from analysis import engines
from analysis.io.parse import NULL_SPELLINGS
from analysis.measures.common import DAY_TZ, NOTE_TEXT
from analysis.text.lexicon import flag_names

#: Unicode White_Space, spelled out: Rust's ``\s`` is Unicode, Java's (Spark) is ASCII.
_WS = " \t\n\x0b\f\r\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
#: analysis.io.parse._COUNT_RE with ASCII digits (Rust's ``\d`` is Unicode, Java's ASCII;
#: a non-ASCII digit is unreadable either way).
_COUNT_RE = r"^([0-9]+(?:\.[0-9]+)?)(万|w|千|k|亿)?(\+)?$"
_COUNT_UNITS = {"万": 10_000, "w": 10_000, "千": 1_000, "k": 1_000, "亿": 100_000_000}
_TEXT = "_text"
_DAY = "_day"


def lazy(frame: Any) -> nw.LazyFrame:
    """A narwhals LazyFrame over ``frame`` (polars eager frames become lazy)."""
    if isinstance(frame, nw.LazyFrame):
        return frame
    if isinstance(frame, nw.DataFrame):
        return frame.lazy()
    wrapped = nw.from_native(frame)
    return wrapped.lazy() if isinstance(wrapped, nw.DataFrame) else wrapped


def small(frame: nw.LazyFrame) -> pl.DataFrame:
    """Collect a (small) result onto this machine as a polars DataFrame."""
    return frame.collect(backend="polars").to_native()


def _native_step(frame: nw.LazyFrame, step: str, *args: Any) -> nw.LazyFrame:
    """Run the per-engine function ``step`` of analysis/engines on the native frame."""
    native = frame.to_native()
    return nw.from_native(getattr(engines.for_frame(native), step)(native, *args))


# --- Parsing (raw export columns → canonical values) ----------------------------------


def _blank_to_null(raw: nw.Expr) -> nw.Expr:
    s = raw.cast(nw.String).str.replace_all(f"^[{_WS}]+|[{_WS}]+$", "")
    return nw.when(~s.str.to_lowercase().is_in(NULL_SPELLINGS)).then(s)


def _round_half_even(x: nw.Expr) -> nw.Expr:
    """Round to an integer, ties to even (polars' rounding; Spark's ``round`` is half-up)."""
    low = x.floor()
    diff = x - low
    return (
        nw.when(diff > 0.5).then(low + 1)
        .when(diff < 0.5).then(low)
        .when((low % 2) == 0).then(low)
        .otherwise(low + 1)
    )


def count_exprs(raw: nw.Expr) -> tuple[nw.Expr, nw.Expr, nw.Expr]:
    """analysis.io.parse.count in narwhals: (value Int64, lower_bound Boolean, unparseable Boolean)
    for counts like ``3829``, ``1,234``, ``7.6万``, ``1.2w``, ``18k``, ``1千+``, ``10+``."""
    s = _blank_to_null(raw).str.replace_all(f"[,{_WS}]", "").str.to_lowercase()
    full = s.str.contains(_COUNT_RE)
    number = nw.when(full).then(s.str.replace_all(_COUNT_RE, "$1")).cast(nw.Float64)
    unit = nw.when(full).then(s.str.replace_all(_COUNT_RE, "$2"))
    mult = nw.lit(1.0)
    for suffix, factor in _COUNT_UNITS.items():
        mult = nw.when(unit == suffix).then(nw.lit(float(factor))).otherwise(mult)
    value = _round_half_even(number * mult).cast(nw.Int64)
    lower = nw.when(~value.is_null()).then(s.str.contains(r"\+$"))
    bad = ~s.is_null() & value.is_null()
    return value, lower, bad


def parse_counts(frame: Any, columns: Sequence[str]) -> nw.LazyFrame:
    """Each raw count column ``c`` replaced by its value, plus ``c_lower_bound`` and ``c_bad``."""
    exprs = []
    for c in columns:
        value, lower, bad = count_exprs(nw.col(c))
        exprs += [value.alias(c), lower.alias(f"{c}_lower_bound"), bad.alias(f"{c}_bad")]
    return lazy(frame).with_columns(*exprs)


def parse_times(frame: Any, column: str, out: str, naive_timezone: str) -> nw.LazyFrame:
    """``out``: raw ``column`` (epoch ms or s, ``M/D/YYYY H:MM[:SS]``, ``YYYY-MM-DD HH:MM[:SS]``,
    bare dates) as UTC, naive values read in ``naive_timezone``; unreadable → null."""
    return _native_step(lazy(frame), "parse_time", column, out, naive_timezone)


# --- Deduplication ---------------------------------------------------------------------


def newest_per_key(frame: Any, key: Sequence[str] = ("dataset", "note_id"),
                   order: Sequence[str] = ("crawled_at", "source_file", "source_row")) -> nw.LazyFrame:
    """One row per ``key``: the greatest by ``order`` (compared column by column; nulls
    lowest), i.e. the newest crawl, ties going to the later file and row, as
    analysis.io.datasets deduplicates. ``order`` must identify a row within its key."""
    lf = lazy(frame)
    for col in order:
        top = nw.col(col).max().over(*key)
        lf = lf.filter((nw.col(col) == top) | top.is_null())
    return lf


# --- Lexicon and marker matching -------------------------------------------------------


def flag_lexicon(frame: Any, lexicon: pl.DataFrame, prefix: str = "", normalised: bool = True,
                 keep: Sequence[str] = ("dataset", "note_id", "account_id")) -> nw.LazyFrame:
    """``keep`` columns plus one Boolean ``<prefix><category>`` per lexicon category: does the
    note's text mention it? As analysis.text.lexicon.flag_columns (ASCII word boundaries for
    ``word`` terms, case-insensitive, null text = no mention).

    ``normalised``: match title, body and tags normalised and lower-cased
    (measures.common.note_text, the topic lexicons); otherwise the raw text joined
    (measures.ads.note_text, the ad markers).
    """
    lf = lazy(frame)
    text = _TEXT
    if normalised and NOTE_TEXT in lf.collect_schema().names():  # normalised once per build already
        text = NOTE_TEXT
    else:
        lf = _native_step(lf, "note_text", _TEXT, normalised)
    lf = _native_step(lf, "lexicon_flags", text, lexicon, prefix)
    return lf.select(*keep, *flag_names(lexicon, prefix))


def classify_ads(frame: Any, lexicon: pl.DataFrame, sponsored: Sequence[str], negation: str,
                 prefix: str = "ad_") -> nw.LazyFrame:
    """analysis.measures.ads.classify_notes without the label column: flags per category and
    ``is_sponsored`` (any of ``sponsored`` categories and not the ``negation`` one)."""
    lf = flag_lexicon(frame, lexicon, prefix=prefix, normalised=False)
    names = set(lf.collect_schema().names())
    strong = [nw.col(f"{prefix}{c}") for c in sponsored if f"{prefix}{c}" in names]
    negated = nw.col(f"{prefix}{negation}") if f"{prefix}{negation}" in names else nw.lit(False)
    is_sponsored = (nw.any_horizontal(*strong, ignore_nulls=True) if strong else nw.lit(False)) & ~negated
    return lf.with_columns(is_sponsored.alias("is_sponsored"))


def _flag_sums(names: Sequence[str]) -> list[nw.Expr]:
    return [nw.col(c).cast(nw.Int64).sum().alias(c) for c in names]


def flag_counts(frame: Any, flags: Sequence[str], by: Sequence[str] = ("dataset",)) -> pl.DataFrame:
    """Per ``by`` group: ``n`` rows and, per Boolean column in ``flags``, the rows where it
    is true (Int64), sorted by ``by``."""
    out = lazy(frame).group_by(*by).agg(nw.len().cast(nw.Int64).alias("n"), *_flag_sums(flags))
    return small(out).sort(*by)


def ad_counts(frame: Any, lexicon: pl.DataFrame, sponsored: Sequence[str], negation: str,
              prefix: str = "ad_") -> pl.DataFrame:
    """Per dataset: ``n`` notes, ``is_sponsored`` and each ``<prefix><category>`` count (Int64),
    sorted by dataset."""
    lf = classify_ads(frame, lexicon, sponsored, negation, prefix)
    return flag_counts(lf, [c for c in lf.collect_schema().names() if c.startswith(prefix)] + ["is_sponsored"])


def creator_ad_counts(frame: Any, lexicon: pl.DataFrame, sponsored: Sequence[str], negation: str,
                      prefix: str = "ad_") -> pl.DataFrame:
    """Per (dataset, account_id): ``n_notes`` and ``n_sponsored`` (Int64), sorted."""
    lf = classify_ads(frame, lexicon, sponsored, negation, prefix)
    out = lf.group_by("dataset", "account_id").agg(
        nw.len().cast(nw.Int64).alias("n_notes"), nw.col("is_sponsored").cast(nw.Int64).sum().alias("n_sponsored"))
    return small(out).sort("dataset", "account_id")


def category_counts(frame: Any, lexicon: pl.DataFrame, by: Sequence[str] = ("dataset",),
                    normalised: bool = True) -> pl.DataFrame:
    """Per ``by`` group: ``n`` notes and, per lexicon category, the notes mentioning it."""
    lf = flag_lexicon(frame, lexicon, normalised=normalised, keep=by)
    return flag_counts(lf, [c for c in lf.collect_schema().names() if c not in by], by)


# --- Days, weeks and cohorts -----------------------------------------------------------


def with_local_day(frame: Any, tz: str = DAY_TZ, column: str = "published_at", out: str = _DAY) -> nw.LazyFrame:
    """Adds ``out`` (the calendar Date of ``column`` in ``tz``) and ``out_n`` (its day number)."""
    return _native_step(lazy(frame), "local_day", column, out, tz)


def daily_counts(frame: Any, tz: str = DAY_TZ) -> pl.DataFrame:
    """Per local day with posts: day, posts, accounts, likes_total (Int64), likes_median
    (Float64). Days without posts are absent (the caller zero-fills a small table)."""
    lf = with_local_day(frame, tz)
    out = lf.group_by(_DAY).agg(
        nw.len().cast(nw.Int64).alias("posts"),
        nw.col("account_id").n_unique().cast(nw.Int64).alias("accounts"),
        nw.col("liked_count").sum().cast(nw.Int64).alias("likes_total"),
        nw.col("liked_count").median().cast(nw.Float64).alias("likes_median"),
    )
    return small(out).rename({_DAY: "day"}).sort("day")


def _monday(day_n: nw.Expr) -> nw.Expr:
    """The day number of the Monday on or before ``day_n`` (1970-01-01 was a Thursday)."""
    return day_n - ((day_n + 3) % 7)


def _as_date(day_n: pl.Expr) -> pl.Expr:
    return pl.from_epoch(day_n, time_unit="d")


def weekly_counts(frame: Any, tz: str = DAY_TZ) -> pl.DataFrame:
    """Per week (Monday, local days in ``tz``) with posts: week, posts, accounts (Int64)."""
    lf = with_local_day(frame, tz)
    out = lf.group_by(_monday(nw.col(f"{_DAY}_n")).cast(nw.Int64).alias("week")).agg(
        nw.len().cast(nw.Int64).alias("posts"), nw.col("account_id").n_unique().cast(nw.Int64).alias("accounts"))
    return small(out).with_columns(_as_date(pl.col("week"))).sort("week")


def _first_days(lf: nw.LazyFrame) -> nw.LazyFrame:
    return lf.group_by("account_id").agg(nw.col(f"{_DAY}_n").min().alias("first_n"))


def cohort_counts(frame: Any, tz: str = DAY_TZ, max_weeks: int = 6) -> pl.DataFrame:
    """Weekly cohort retention counts of posting accounts (analysis.measures.migration.
    cohort_retention without the shares): cohort (Monday of the first post's week, Date),
    week (0…max_weeks), accounts observable to the end of that week, active (posted in
    it), sorted by cohort and week. Empty when there are no notes."""
    lf = with_local_day(frame, tz).select("account_id", f"{_DAY}_n")
    end = small(lf.select(nw.col(f"{_DAY}_n").max().alias("end")))["end"][0]
    schema = {"cohort": pl.Date, "week": pl.Int64, "accounts": pl.Int64, "active": pl.Int64}
    if end is None:
        return pl.DataFrame(schema=schema)
    first = _first_days(lf)
    weeks = nw.from_native(_weeks_frame(lf.to_native(), max_weeks))
    observable = (
        first.join(weeks, how="cross")
        .filter(nw.col("first_n") + 7 * nw.col("week") + 6 <= end)
        .with_columns(_monday(nw.col("first_n")).alias("cohort"))
    )
    active = (
        lf.join(first, on="account_id", how="left")
        .select("account_id", ((nw.col(f"{_DAY}_n") - nw.col("first_n")) // 7).cast(nw.Int64).alias("week"))
        .unique()
        .with_columns(nw.lit(1).cast(nw.Int64).alias("posted"))
    )
    out = (
        observable.join(active, on=["account_id", "week"], how="left")
        .group_by("cohort", "week")
        .agg(nw.len().cast(nw.Int64).alias("accounts"), nw.col("posted").fill_null(0).sum().cast(nw.Int64).alias("active"))
    )
    return small(out).with_columns(_as_date(pl.col("cohort"))).select(list(schema)).cast(schema).sort("cohort", "week")


def _weeks_frame(native: Any, max_weeks: int) -> Any:
    """A tiny frame ``week`` = 0…max_weeks on the same engine as ``native``."""
    data = {"week": list(range(max_weeks + 1))}
    if engines.name_of(native) == "spark":
        return native.sparkSession.createDataFrame([(w,) for w in data["week"]], "week bigint")
    return pl.LazyFrame(data, schema={"week": pl.Int64})


def posted_again_counts(frame: Any, tz: str = DAY_TZ) -> tuple[int, int]:
    """(k, n): of the accounts whose first post is at least 7 days before the last day in
    the data, how many posted on a later day than their first."""
    lf = with_local_day(frame, tz)
    end = small(lf.select(nw.col(f"{_DAY}_n").max().alias("end")))["end"][0]
    if end is None:
        return 0, 0
    per = (
        lf.group_by("account_id")
        .agg(nw.col(f"{_DAY}_n").min().alias("first_n"), nw.col(f"{_DAY}_n").n_unique().alias("days"))
        .filter(nw.col("first_n") + 7 <= end)
        .select(nw.len().cast(nw.Int64).alias("n"), (nw.col("days") > 1).cast(nw.Int64).sum().alias("k"))
    )
    row = small(per).row(0, named=True)
    return int(row["k"]), int(row["n"])


# --- Python-per-row steps, Arrow-batched -----------------------------------------------


def map_text(frame: Any, column: str, out: str, fn: Callable[[pa.Array], pa.Array],
             dtype: pa.DataType) -> nw.LazyFrame:
    """``out = fn(column)`` with ``fn`` called once per Arrow batch (polars ``map_batches``,
    Spark ``arrow_udf``): the way Python-only steps (language ID of undecided Latin text,
    jieba segmentation) run on either engine."""
    return _native_step(lazy(frame), "map_text_batches", column, out, fn, dtype)


def term_counts(frame: Any, column: str, tokenize: Callable[[pa.Array], pa.Array], *, doc_id: str = "note_id",
                min_chars: int = 2, stopwords: frozenset[str] = frozenset()) -> pl.DataFrame:
    """Per term: ``count`` (uses) and ``docs`` (distinct ``doc_id`` using it), from
    ``tokenize`` (string batch → list<string> batch), sorted by count then term."""
    lf = map_text(frame, column, "_terms", tokenize, pa.list_(pa.string()))
    words = lf.select(doc_id, "_terms").explode("_terms").rename({"_terms": "term"}).filter(
        ~nw.col("term").is_null() & (nw.col("term").str.len_chars() >= min_chars)
        & ~nw.col("term").is_in(sorted(stopwords)).fill_null(False))
    out = words.group_by("term").agg(nw.len().cast(nw.Int64).alias("count"),
                                     nw.col(doc_id).n_unique().cast(nw.Int64).alias("docs"))
    return small(out).sort(["count", "term"], descending=[True, False])
