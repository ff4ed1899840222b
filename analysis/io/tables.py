"""Turn one raw all-String table into rows of a canonical table plus quarantined rows.

The column names come from column_aliases.toml; each canonical field is parsed by one
vectorised parser from parse.py. A row is quarantined with the FIRST problem found
(missing required value, unreadable value, impossible date), so every input row lands
in exactly one place: loaded or quarantined (duplicates are merged later, per data set).
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import polars as pl

from analysis.io import parse, schema
from analysis.io.errors import InputFileError

ALIASES_FILE = Path(__file__).with_name("column_aliases.toml")
RAW_PREFIX = "raw::"
RAW_PREVIEW = 200  # characters of a bad value kept in the quarantine ledger
#: Clock skew tolerated between a note's publication and the crawler's "last seen" time.
SKEW = pl.duration(hours=1)

# How each canonical field is parsed: field -> (alias key, parser kind)
_COUNT_FIELDS = {
    "notes": ("liked_count", "collected_count", "comment_count", "share_count"),
    "creators": ("follows", "fans", "interaction"),
    "comments": ("like_count", "sub_comment_count"),
    "media_kits": ("follows", "fans", "liked_collected"),
}
_TEXT_FIELDS = {
    "notes": ("title", "text", "ip_location"),
    "creators": ("ip_location",),
    "comments": ("parent_comment_id", "text", "ip_location"),
    "media_kits": ("collected_by", "ip_location", "health_level", "platform_level"),
}
_REQUIRED_SOURCE = {
    "notes": ("note_id", "user_id", "published"),
    "creators": ("user_id",),
    "comments": ("comment_id", "note_id", "user_id", "published"),
    "media_kits": (),
}
_SHARE_FIELDS = ("active_fan_share", "follower_female_share", *(f"follower_age_{b}" for b in schema._AGE_BANDS))


@cache
def aliases() -> dict[str, dict[str, list[str]]]:
    with ALIASES_FILE.open("rb") as fh:
        return tomllib.load(fh)


def match_columns(columns: list[str], table: str) -> dict[str, str]:
    """Canonical loader field -> source column, by the alias map (case/space-insensitive)."""
    by_norm = {c.strip().lower(): c for c in columns}
    found = {}
    for field, names in aliases()[table].items():
        for name in names:
            if name.lower() in by_norm:
                found[field] = by_norm[name.lower()]
                break
    return found


def guess_table(columns: list[str]) -> str | None:
    """Which canonical table a raw table feeds, from its columns."""
    norm = {c.strip().lower() for c in columns}
    if "comment_id" in norm:
        return "comments"
    if norm & {"note_id", "post_id", "noteid"}:
        return "notes"
    if norm & {"图文报价(rmb)", "粉丝女性比例"}:
        return "media_kits"
    if norm & {"fans", "follows", "fans count"}:
        return "creators"
    if norm & {"title", "desc", "content", "liked_count", "like_count"}:
        return "notes"  # a notes table without its id column: canonicalize says which is missing
    return None


def pseudonymize(ids: pl.Series, salt: str) -> pl.Series:
    """``acct_`` + 12 hex of sha256(salt + id). Hashing runs once per distinct id (there is
    no sha256 expression in polars); the mapping is then applied as one vectorised replace."""
    distinct = ids.drop_nulls().unique()
    mapping = {v: "acct_" + hashlib.sha256((salt + v).encode("utf-8")).hexdigest()[:12] for v in distinct}
    return ids.replace_strict(mapping, default=None, return_dtype=pl.String)


@dataclass(frozen=True)
class Context:
    dataset: str
    source_file: str
    naive_timezone: str
    salt: str
    now: datetime


class _Checks:
    """Collects (bad-condition, column, raw value, reason) in priority order."""

    def __init__(self) -> None:
        self.items: list[tuple[pl.Expr, str, pl.Expr, str]] = []

    def add(self, bad: pl.Expr, column: str, raw: pl.Expr, reason: str) -> None:
        self.items.append((bad.fill_null(False), column, raw, reason))

    def exprs(self) -> list[pl.Expr]:
        reason = column = value = None
        for bad, col, raw, why in self.items:
            raw_s = raw.cast(pl.String).str.slice(0, RAW_PREVIEW)
            reason = (reason.when(bad) if reason is not None else pl.when(bad)).then(pl.lit(why))
            column = (column.when(bad) if column is not None else pl.when(bad)).then(pl.lit(col))
            value = (value.when(bad) if value is not None else pl.when(bad)).then(raw_s)
        if reason is None:
            return [pl.lit(None, pl.String).alias(n) for n in ("_reason", "_column", "_raw")]
        return [reason.alias("_reason"), column.alias("_column"), value.alias("_raw")]


def canonicalize(raw: pl.DataFrame, table: str, ctx: Context, path_for_errors: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(rows of canonical ``table`` with a private ``_id`` column, quarantine rows)."""
    cols = match_columns(raw.columns, table)
    if not cols:
        raise InputFileError(path_for_errors, f"has no recognisable columns (found {raw.columns[:8]})",
                             f"columns such as {', '.join(sorted(aliases()[table]))} for {table}")
    missing = [f for f in _REQUIRED_SOURCE[table] if f not in cols]
    if table == "media_kits" and not ({"user_id", "profile_url"} & cols.keys()):
        missing = ["user_id"]
    if missing:
        wanted = "; ".join(f"{m}: one of {aliases()[table][m]}" for m in missing)
        raise InputFileError(path_for_errors, f"is missing required column(s) for {table}", wanted)

    def src(field: str) -> pl.Expr:
        # Raw columns are read under a prefix so a parsed field never shadows its source
        # (MediaCrawler's liked_count is both a source and a canonical name).
        return pl.col(RAW_PREFIX + cols[field]) if field in cols else pl.lit(None, pl.String)

    checks = _Checks()
    out: dict[str, pl.Expr] = {}

    def parsed(field: str, parser, source: str | None = None, reason: str = "") -> None:
        # Parse once into a column; the row is bad where the source had a value but the
        # parser could not read it (checked on the materialised column, not re-parsed).
        source = source or field
        out[field] = parser(src(source))[0]
        if reason:
            checks.add(parse.blank_to_null(src(source)).is_not_null() & pl.col(field).is_null(),
                       cols.get(source, source), src(source), reason)

    uid = parse.blank_to_null(src("user_id"))
    if table == "media_kits":
        from_url = src("profile_url").str.extract(r"/user/profile/([0-9a-zA-Z]+)", 1)
        uid = pl.coalesce(uid, from_url)
    out["_uid"] = uid
    checks.add(pl.col("_uid").is_null(), cols.get("user_id", "user_id"), src("user_id"), "account id is empty")
    for key in ("note_id", "comment_id"):
        if key in aliases()[table] and key in cols:
            out[key] = parse.blank_to_null(src(key))
            checks.add(pl.col(key).is_null(), cols[key], src(key), f"{key} is empty")
    for field in _TEXT_FIELDS[table]:
        out[field] = src(field) if field in ("text", "title") else parse.blank_to_null(src(field))
    if table == "comments":
        # MediaCrawler writes 0 for "no parent": a top-level comment, not a reply to comment "0".
        out["parent_comment_id"] = pl.when(out["parent_comment_id"].str.strip_chars() != "0").then(out["parent_comment_id"])
    if table == "notes":
        out["tags"] = parse.tags(src("tags"))
        parsed("note_type", parse.note_type, reason="note type is not normal/video (图文/视频)")
    if table in ("creators", "media_kits"):
        parsed("gender", parse.gender, reason="gender is not one of 女/男/F/M/female/male/empty")
    if table == "creators":
        tags = src("profile_tags")
        out["profession"] = pl.when(tags.str.starts_with("{")).then(tags.str.json_path_match("$.profession"))
    for field in _COUNT_FIELDS[table]:
        value, lower, _ = parse.count(src(field))
        out[field], out[f"{field}_lower_bound"] = value, lower
        checks.add(parse.blank_to_null(src(field)).is_not_null() & pl.col(field).is_null(), cols.get(field, field),
                   src(field), f"{field} is not a count (expected e.g. 3829, 7.6万, 1千+)")
    if table == "media_kits":
        parsed("price_image_rmb", parse.number, reason="price is not a number of RMB")
        parsed("price_verified", parse.flag, reason="verified-price mark is not 0/1")
        for field in _SHARE_FIELDS:
            parsed(field, parse.share, reason=f"{field} is not a percentage between 0 and 100")
        out["follower_interests"] = parse.ranked_names(src("follower_interests"))
        out["follower_regions"] = parse.ranked_names(src("follower_regions"))
    tz = ctx.naive_timezone

    def timestamp(source: str):
        # Only the formats this column holds are tried: each costs a parse of every row.
        formats = parse.timestamp_formats(raw[cols[source]], tz) if source in cols else ()
        return lambda e: parse.timestamp(e, tz, formats)

    if "crawled" in aliases()[table]:
        parsed("crawled_at", timestamp("crawled"), "crawled",
               "crawl time is not a timestamp (epoch ms or ISO)")
    if "published" in aliases()[table]:
        parsed("published_at", timestamp("published"), "published",
               "publication time is not a timestamp (epoch ms, M/D/YYYY H:MM or ISO)")
        col, published = cols["published"], pl.col("published_at")
        checks.add(published.is_null(), col, src("published"), "publication time is empty")
        checks.add(published < pl.lit(parse.EARLIEST), col, src("published"),
                   "published before 2009-01-01, earlier than any RedNote note")
        now = pl.lit(ctx.now).cast(schema.UTC)
        checks.add(published > pl.coalesce(pl.col("crawled_at") + SKEW, now), col, src("published"),
                   "published after the crawl time (last_modify_ts) or in the future")

    frame = raw.rename(lambda c: RAW_PREFIX + c).with_row_index("source_row", offset=1).with_columns(pl.col("source_row").cast(pl.Int64))
    frame = frame.with_columns(**out).with_columns(checks.exprs())
    quarantine = frame.filter(pl.col("_reason").is_not_null()).select(
        dataset=pl.lit(ctx.dataset),
        source_file=pl.lit(ctx.source_file),
        source_row=pl.col("source_row"),
        column=pl.col("_column"),
        raw_value=pl.col("_raw"),
        reason=pl.col("_reason"),
    )
    good = frame.filter(pl.col("_reason").is_null())
    latest = pl.coalesce(pl.col("crawled_at"), pl.lit(ctx.now).cast(schema.UTC)) if "crawled_at" in good.columns \
        else pl.lit(ctx.now).cast(schema.UTC)
    good = good.with_columns(
        account_created_on=parse.id_creation_day(pl.col("_uid"), latest),
        account_id=pseudonymize(good["_uid"], ctx.salt),
        dataset=pl.lit(ctx.dataset),
        source_file=pl.lit(ctx.source_file),
    )
    names = [f.name for f in schema.TABLES[table]]
    rows = good.select(*[pl.col(n) if n in good.columns else pl.lit(None) .alias(n) for n in names])
    rows = rows.cast(dict(schema.polars_schema(table)))
    return rows, quarantine.cast(dict(schema.polars_schema("quarantine")))


def now_utc() -> datetime:
    return datetime.now(UTC)
