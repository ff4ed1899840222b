"""The canonical tables, declared once as data.

Every loader, whatever the input format, ends by checking its frame against one of
these tables (``TABLES[name]``); analyses may rely on exactly these columns and types.

Policies that hold for every table:

* **Time.** Every timestamp is ``Datetime("us", "UTC")``. A naive source timestamp
  (``1/14/2025 9:05``) is read in the source's declared zone (``naive_timezone`` in
  data/sources.toml; RedNote exports use Asia/Shanghai, which the note ids' embedded
  creation seconds confirm) and converted to UTC. Epoch numbers are milliseconds.
* **Counts.** Engagement counts are exact integers parsed from strings such as
  ``3829``, ``7.6万``, ``1.2w``, ``1千+``, ``10+``; each count has a companion
  ``<name>_lower_bound`` flag, true where the source only said "at least" (``+``).
* **Shares.** Fractions in 0–1 (``87.1%`` and ``87.1`` both become 0.871).
* **Privacy.** ``account_id`` is a salted pseudonym (``acct_`` + 12 hex), never the
  platform's id; nicknames, avatars, profile and note URLs are not kept at all. Of the
  id itself only ``account_created_on`` survives: the creation *day* its first 8 hex
  digits encode, which tells newcomers from old accounts without pointing at anyone.
* **Provenance.** ``dataset`` (id in data/sources.toml), ``source_file`` (path
  relative to the data set's root) and ``source_row`` (1-based data row, or array
  index + 1 in JSON) on every row, so any value leads back to its input line.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

UTC = pl.Datetime("us", "UTC")
GENDERS = ("female", "male", "unknown")
NOTE_TYPES = ("normal", "video")


@dataclass(frozen=True)
class Field:
    name: str
    dtype: pl.DataType
    description: str
    required: bool = False  # a row without it is quarantined
    unit: str = ""
    allowed: tuple[str, ...] = ()


def _count(name: str, what: str) -> tuple[Field, Field]:
    return (
        Field(name, pl.Int64(), f"{what} (exact integer; null if the source left it empty)", unit="count"),
        Field(f"{name}_lower_bound", pl.Boolean(), f"true where the source gave {name} as 'at least' (e.g. 1万+)"),
    )


_PROVENANCE = (
    Field("dataset", pl.String(), "data set id in data/sources.toml (or 'sample')", required=True),
    Field("source_file", pl.String(), "input file, relative to the data set's root", required=True),
    Field("source_row", pl.Int64(), "1-based data row (CSV) or element (JSON) in source_file", required=True),
)

_ACCOUNT_CREATED_ON = Field(
    "account_created_on", pl.Date(), "UTC day the account was created, read from the creation second the "
    "platform embeds in its 24-hex account ids (before pseudonymizing; only the day is kept); null when "
    "the id carries none (e.g. hashed ids of newer MediaCrawler versions)", unit="date")

NOTES = (
    Field("note_id", pl.String(), "platform note id (public; not personal)", required=True),
    Field("account_id", pl.String(), "pseudonymized author id", required=True),
    _ACCOUNT_CREATED_ON,
    Field("title", pl.String(), "note title as written (unescaped; escape on output)"),
    Field("text", pl.String(), "note body (desc/content)"),
    Field("tags", pl.List(pl.String()), "hashtags without '#' or '[话题]', in source order"),
    Field("note_type", pl.String(), "normal (image) or video", allowed=NOTE_TYPES),
    Field("published_at", UTC, "when the note was published", required=True, unit="UTC"),
    *_count("liked_count", "likes"),
    *_count("collected_count", "saves (collects)"),
    *_count("comment_count", "comments"),
    *_count("share_count", "shares"),
    Field("ip_location", pl.String(), "platform-shown location of the author, as given"),
    Field("crawled_at", UTC, "when the crawler last saw the note (last_modify_ts)", unit="UTC"),
    *_PROVENANCE,
)

CREATORS = (
    Field("account_id", pl.String(), "pseudonymized creator id", required=True),
    _ACCOUNT_CREATED_ON,
    Field("gender", pl.String(), "as shown on the profile", allowed=GENDERS),
    Field("ip_location", pl.String(), "platform-shown location, as given"),
    *_count("follows", "accounts the creator follows"),
    *_count("fans", "followers"),
    *_count("interaction", "likes + saves received"),
    Field("profession", pl.String(), "profile's self-declared profession tag, if any"),
    Field("crawled_at", UTC, "when the crawler saw the profile", unit="UTC"),
    *_PROVENANCE,
)

_AGE_BANDS = ("lt18", "18_24", "25_34", "35_44", "gt44")
MEDIA_KITS = (
    Field("account_id", pl.String(), "pseudonymized creator id", required=True),
    _ACCOUNT_CREATED_ON,
    Field("collected_by", pl.String(), "analyst who recorded the row"),
    Field("gender", pl.String(), "creator gender as recorded", allowed=GENDERS),
    *_count("follows", "accounts followed"),
    *_count("fans", "followers"),
    *_count("liked_collected", "likes + saves received"),
    Field("ip_location", pl.String(), "location as recorded"),
    Field("price_image_rmb", pl.Float64(), "advertiser price of one sponsored image post (图文报价)", unit="RMB"),
    Field("price_verified", pl.Boolean(), "platform shows a verified price tick (图文报价有对号)"),
    Field("health_level", pl.String(), "红人健康等级 as shown"),
    Field("platform_level", pl.String(), "平台等级 as shown"),
    Field("active_fan_share", pl.Float64(), "活跃粉丝占比", unit="share"),
    Field("follower_female_share", pl.Float64(), "粉丝女性比例", unit="share"),
    *(Field(f"follower_age_{b}", pl.Float64(), f"share of followers aged {b.replace('_', '–')}", unit="share") for b in _AGE_BANDS),
    Field("follower_interests", pl.List(pl.String()), "top follower interest tags, in rank order"),
    Field("follower_regions", pl.List(pl.String()), "top follower regions, in rank order"),
    *_PROVENANCE,
)

COMMENTS = (
    Field("comment_id", pl.String(), "platform comment id", required=True),
    Field("note_id", pl.String(), "note commented on", required=True),
    Field("account_id", pl.String(), "pseudonymized commenter id", required=True),
    _ACCOUNT_CREATED_ON,
    Field("parent_comment_id", pl.String(), "comment replied to, if a reply"),
    Field("text", pl.String(), "comment text"),
    Field("published_at", UTC, "when the comment was posted", required=True, unit="UTC"),
    *_count("like_count", "likes"),
    *_count("sub_comment_count", "replies"),
    Field("ip_location", pl.String(), "platform-shown location, as given"),
    *_PROVENANCE,
)

HEADLINES = (
    Field("headline", pl.String(), "one news or clickbait headline", required=True),
    Field("is_clickbait", pl.Boolean(), "benchmark label", required=True),
    *_PROVENANCE,
)

QUARANTINE = (
    Field("dataset", pl.String(), "data set id", required=True),
    Field("source_file", pl.String(), "input file", required=True),
    Field("source_row", pl.Int64(), "1-based row or element; null for a whole-file problem"),
    Field("column", pl.String(), "column at fault (null if the whole row)"),
    Field("raw_value", pl.String(), "the offending value, truncated to 200 characters"),
    Field("reason", pl.String(), "why the row was set aside, in words a user can act on", required=True),
)

TABLES: dict[str, tuple[Field, ...]] = {
    "notes": NOTES,
    "creators": CREATORS,
    "media_kits": MEDIA_KITS,
    "comments": COMMENTS,
    "headlines": HEADLINES,
    "quarantine": QUARANTINE,
}

#: Primary keys after deduplication.
KEYS: dict[str, tuple[str, ...]] = {
    "notes": ("dataset", "note_id"),
    "creators": ("dataset", "account_id"),
    "media_kits": ("dataset", "account_id"),
    "comments": ("dataset", "comment_id"),
}


def polars_schema(table: str) -> pl.Schema:
    """The polars schema of a canonical table."""
    return pl.Schema({f.name: f.dtype for f in TABLES[table]})


def empty(table: str) -> pl.DataFrame:
    """An empty frame of a canonical table (e.g. no comments in a data set)."""
    return pl.DataFrame(schema=polars_schema(table))
