"""Polars stages: load → parse → dedupe with the project's parsers, then the project's own
measure functions. All project imports go through this module, so the package's
restructure (analysis/measures/…) needs one edit here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from analysis.io import datasets, parse
from analysis.io.schema import UTC
from analysis.measures import ads, content, culture, demographics, language, migration
from analysis.measures.clickbait import ClickbaitModel
from analysis.measures.common import with_note_text
from benchmarks.engines import common


@dataclass
class State:
    notes: pl.DataFrame
    data_dir: Path
    model: ClickbaitModel


def _ms(col: str) -> pl.Expr:
    return pl.from_epoch(pl.col(col), time_unit="ms").dt.replace_time_zone("UTC").cast(UTC)


def canonical_notes(raw: pl.LazyFrame) -> pl.LazyFrame:
    """MediaCrawler note rows → canonical notes (a benchmark subset: no quarantine, the raw
    user id kept as account id), not yet deduplicated (``prepare`` does, as the loader does)."""
    counts = {}
    for name in common.COUNTS:
        value, lower, _bad = parse.count(pl.col(name))
        counts[name] = value
        counts[f"{name}_lower_bound"] = lower
    latest = pl.lit(None, dtype=UTC).fill_null(_ms("last_modify_ts"))
    return (
        raw.select(
            "dataset", "note_id", pl.col("user_id").alias("account_id"),
            parse.id_creation_day(pl.col("user_id"), latest).alias("account_created_on"),
            "title", pl.col("desc").alias("text"), parse.tags(pl.col("tag_list")).alias("tags"),
            parse.note_type(pl.col("type"))[0].alias("note_type"),
            _ms("time").alias("published_at"), *(e.alias(n) for n, e in counts.items()),
            parse.blank_to_null(pl.col("ip_location")).alias("ip_location"),
            _ms("last_modify_ts").alias("crawled_at"),
        )
    )


def prepare(data_dir: Path, model: ClickbaitModel) -> State:
    notes = canonical_notes(pl.scan_parquet(common.notes_glob(data_dir))).collect(engine="streaming")
    # The loader's dedupe: the latest crawl per (dataset, note_id), decided on the keys alone.
    notes = notes.filter(datasets.latest_rows(notes, ("dataset", "note_id")))
    return State(notes=notes, data_dir=data_dir, model=model)


def _results_counts(frame: pl.DataFrame, prefix: str = "") -> pl.DataFrame:
    """Result-table rows (group, estimate, n) → key, k, n (k recovered exactly from the share)."""
    return frame.select(
        (pl.lit(prefix) + pl.col("group")).alias("key"),
        (pl.col("estimate") * pl.col("n")).round(0).cast(pl.Int64).alias("k"), "n",
    )


def demographics_stage(s: State) -> pl.DataFrame:
    return common.finish(_results_counts(demographics.location_mix(s.notes, "notes")), common.COUNT_SCHEMA)


def ads_stage(s: State) -> pl.DataFrame:
    classified = ads.classify_notes(s.notes)
    flags = [c for c in classified.columns if c.startswith("ad_")] + ["is_sponsored"]
    return common.finish(
        classified.group_by("dataset").agg(pl.len().alias("n"), *[pl.col(c).sum() for c in flags])
        .unpivot(index=["dataset", "n"], variable_name="flag", value_name="k")
        .with_columns(pl.format("{}: {}", "dataset", "flag").alias("key")),
        common.COUNT_SCHEMA,
    )


def clickbait_stage(s: State) -> pl.DataFrame:
    scored = content.score_notes(s.notes, s.model)
    return common.finish(
        scored.group_by(pl.col("title_language").fill_null("none").alias("key")).agg(
            pl.col("is_clickbait").sum().alias("k"), pl.len().alias("n"),
            pl.col("clickbait_score").sum().alias("score_sum")),
        common.CLICKBAIT_SCHEMA,
    )


def langid_stage(s: State) -> pl.DataFrame:
    return common.finish(_results_counts(language.language_mix(s.notes)), common.COUNT_SCHEMA)


def lexicons_stage(s: State) -> pl.DataFrame:
    parts = []
    notes = with_note_text(s.notes)  # normalised once for all lexicons, as build_ledger does
    for name in common.LEXICONS:
        flags = culture.flag_notes(notes, name)
        cats = [c for c in flags.collect_schema().names() if c not in ("dataset", "note_id", "published_at")]
        parts.append(_results_counts(culture.category_shares(flags, cats, name, ""), f"{name}: "))
    return common.finish(pl.concat(parts), common.COUNT_SCHEMA)


def cohorts_stage(s: State) -> pl.DataFrame:
    table = migration.cohort_retention(s.notes, tz=common.DAY_TZ)
    return common.finish(table.select(pl.format("{}|{}", "cohort", "week").alias("key"),
                               pl.col("active").alias("k"), pl.col("accounts").alias("n")), common.COUNT_SCHEMA)


def daily_stage(s: State) -> pl.DataFrame:
    days = migration.daily_activity(s.notes, tz=common.DAY_TZ)
    comments = comments_per_day(pl.scan_parquet(common.comments_glob(s.data_dir)))
    return common.finish(
        days.join(comments, on="day", how="left").with_columns(
            pl.col("day").cast(pl.String).alias("key"), pl.col("comments").fill_null(0)),
        common.DAILY_SCHEMA,
    )


#: Comment rows whose hashes are checked for repeats at once (~1 GiB of hash set).
KEY_PART = 25_000_000


def _comment_key() -> pl.Expr:
    return pl.struct("dataset", "comment_id").hash(seed=0)


def comments_per_day(scan: pl.LazyFrame) -> pl.DataFrame:
    """Distinct comments per day, counted straight from the files (comments are ~10x notes
    and never held). Exact, in two streaming passes.

    Deduplicating 100M string ids at once needs a ~20 GiB hash set. The first pass keeps
    only a 64-bit hash of (dataset, comment_id) and the day, 12 bytes a row: a row whose
    hash no other row has is a distinct comment. The second pass reads again, with their
    ids, only the rows whose hash is shared (re-crawled copies, and the rare collision of
    two different ids) and deduplicates those exactly.
    """
    day = _ms("create_time").dt.convert_time_zone(common.DAY_TZ).dt.date().alias("day")
    rows = scan.select("dataset", "comment_id", "create_time").with_columns(_comment_key().alias("_key"))
    keyed = rows.select("_key", day).collect(engine="streaming")
    # Shared hashes are found a slice of the hash space at a time, so the hash set holds
    # at most KEY_PART rows.
    parts = max(1, -(-keyed.height // KEY_PART))
    singles, shared_keys = [], []
    for k in range(parts):
        part = keyed.filter(pl.col("_key") % parts == k)
        shared = part["_key"].is_duplicated()
        singles.append(part.filter(~shared).group_by("day").agg(pl.len().alias("comments")))
        shared_keys.append(part.filter(shared).select(pl.col("_key").unique()))
    del keyed, part
    single = pl.concat(singles)
    shared_keys = pl.concat(shared_keys)
    repeated = (
        rows.join(shared_keys.lazy(), on="_key", how="semi")
        .unique(["dataset", "comment_id"])
        .group_by(day).agg(pl.len().alias("comments"))
        .collect(engine="streaming")
    )
    return pl.concat([single, repeated]).group_by("day").agg(pl.col("comments").sum())


STAGE_FUNCTIONS = {
    "demographics": demographics_stage, "ads": ads_stage, "clickbait": clickbait_stage, "langid": langid_stage,
    "lexicons": lexicons_stage, "cohorts": cohorts_stage, "daily": daily_stage,
}


def note_count(s: State) -> int:
    return s.notes.height
