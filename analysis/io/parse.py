"""Vectorised parsers for the value formats RedNote exports use.

Every parser takes a String expression and returns expressions, so they run inside
polars (eager or lazy) without per-row Python. A value the parser cannot read becomes
null; callers compare with the raw value to quarantine the row.
"""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

from analysis.io.schema import UTC as UTC_DTYPE

#: Multipliers for the unit suffixes RedNote and hand-made sheets use.
_COUNT_UNITS = {"万": 10_000, "w": 10_000, "千": 1_000, "k": 1_000, "亿": 100_000_000}
_COUNT_RE = r"^(\d+(?:\.\d+)?)(万|w|千|k|亿)?(\+)?$"
#: Spellings of "no value" in exports and sheets.
NULL_SPELLINGS = ("", "null", "none", "nan", "n/a", "na", "-", "—")

EARLIEST = datetime(2009, 1, 1, tzinfo=UTC)  # no RedNote / MediaCrawler data predates this
RED_NOTE_FOUNDED = datetime(2013, 6, 1, tzinfo=UTC)  # no genuine account id predates the app


def blank_to_null(raw: pl.Expr) -> pl.Expr:
    """Trimmed string, with the usual spellings of 'empty' turned into null."""
    s = raw.cast(pl.String).str.strip_chars()
    return pl.when(s.str.to_lowercase().is_in(NULL_SPELLINGS)).then(None).otherwise(s)


def count(raw: pl.Expr) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """Parse counts like ``3829``, ``1,234``, ``7.6万``, ``1.2w``, ``18k``, ``1千+``, ``10+``.

    Returns (value Int64, lower_bound Boolean, unparseable Boolean). Empty → null value and
    null flag; unparseable means a non-empty value that is not a count.
    """
    s = blank_to_null(raw).str.replace_all(r"[,\s]", "").str.to_lowercase()
    number = s.str.extract(_COUNT_RE, 1).cast(pl.Float64)
    unit = s.str.extract(_COUNT_RE, 2)
    mult = unit.replace_strict(_COUNT_UNITS, default=1, return_dtype=pl.Float64)
    value = (number * mult).round(0).cast(pl.Int64)
    lower = pl.when(value.is_null()).then(None).otherwise(s.str.extract(_COUNT_RE, 3).is_not_null())
    bad = s.is_not_null() & value.is_null()
    return value, lower, bad


def share(raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Parse percentages ``87.1%`` or ``87.1`` (percentage points) into a 0–1 fraction.

    Returns (value Float64, bad Boolean); bad = non-empty and unreadable, or outside 0–100%.
    """
    s = blank_to_null(raw).str.replace_all(r"\s", "")
    number = s.str.extract(r"^(\d+(?:\.\d+)?)%?$", 1).cast(pl.Float64)
    in_range = number.is_between(0, 100)
    value = pl.when(in_range).then((number / 100).round(6))
    bad = s.is_not_null() & ~in_range.fill_null(False)
    return value, bad


#: The formats ``timestamp`` tries, in order: the first that reads a value wins.
TIMESTAMP_FORMATS = ("epoch", "iso-zoned", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%Y-%m-%d %H:%M:%S%.f",
                     "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")


def _timestamp_text(raw: pl.Expr) -> pl.Expr:
    s = blank_to_null(raw).str.replace(r"\.0+$", "")
    # A bare date (Excel sheets) means midnight in the source's zone.
    return pl.when(s.str.contains(r"^\d{4}[-/]\d{1,2}[-/]\d{1,2}$|^\d{1,2}/\d{1,2}/\d{4}$")).then(s + " 00:00").otherwise(s)


def _timestamp_reader(s: pl.Expr, fmt: str, naive_timezone: str) -> pl.Expr:
    if fmt == "epoch":
        digits = s.str.contains(r"^\d+$")
        n = s.str.len_chars()
        return (
            pl.when(digits & n.is_between(12, 14))
            .then(s.cast(pl.Int64, strict=False) * 1000)
            .when(digits & n.is_between(9, 11))
            .then(s.cast(pl.Int64, strict=False) * 1_000_000)
            .cast(pl.Datetime("us"))
            .dt.replace_time_zone("UTC")
        )
    if fmt == "iso-zoned":
        iso = s.str.replace(" ", "T").str.replace(r"Z$", "+00:00")
        return pl.coalesce(
            iso.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%#z", strict=False, time_unit="us", time_zone="UTC"),
            iso.str.to_datetime("%Y-%m-%dT%H:%M%#z", strict=False, time_unit="us", time_zone="UTC"),
        )
    return (
        s.str.to_datetime(fmt, strict=False, time_unit="us")
        .dt.replace_time_zone(naive_timezone, ambiguous="earliest", non_existent="null")
        .dt.convert_time_zone("UTC")
    )


def timestamp(raw: pl.Expr, naive_timezone: str,
              formats: tuple[str, ...] = TIMESTAMP_FORMATS) -> tuple[pl.Expr, pl.Expr]:
    """Parse epoch ms / s, ``M/D/YYYY H:MM[:SS]`` and ISO 8601 (with or without zone).

    Naive values are read in ``naive_timezone`` and converted to UTC. Returns
    (value Datetime UTC, bad Boolean). ``formats``: the subset of ``TIMESTAMP_FORMATS``
    to try (``timestamp_formats`` finds the ones a column needs; each format tried costs
    a parse of the whole column).
    """
    s = _timestamp_text(raw)
    readers = [_timestamp_reader(s, f, naive_timezone) for f in TIMESTAMP_FORMATS if f in formats]
    value = (pl.coalesce(readers) if readers else pl.lit(None, UTC_DTYPE)).cast(UTC_DTYPE)
    bad = s.is_not_null() & value.is_null()
    return value, bad


def timestamp_formats(values: pl.Series, naive_timezone: str) -> tuple[str, ...]:
    """The formats of ``TIMESTAMP_FORMATS`` that read some value of ``values`` first:
    ``timestamp(raw, tz, formats=...)`` with them gives exactly what all of them give."""
    left = values.cast(pl.String).unique().to_frame("raw").select(_timestamp_text(pl.col("raw")).alias("s"))
    left = left.filter(pl.col("s").is_not_null())
    used = []
    for fmt in TIMESTAMP_FORMATS:
        if left.height == 0:
            break
        read = left.select("s", _timestamp_reader(pl.col("s"), fmt, naive_timezone).alias("v"))
        if read["v"].null_count() < read.height:
            used.append(fmt)
            left = read.filter(pl.col("v").is_null()).select("s")
    return tuple(used)


def tags(raw: pl.Expr) -> pl.Expr:
    """Split ``a,b,c`` (MediaCrawler) or ``a#b#c`` (#-joined labels) into a list of tags,
    dropping the ``[话题]`` marker and empty pieces, keeping source order."""
    s = blank_to_null(raw).str.replace_all(r"\[话题\]", "").str.replace_all(r"[#，,]", ",")
    return s.str.split(",").list.eval(
        pl.element().str.strip_chars().filter(pl.element().str.strip_chars() != "")
    )


def ranked_names(raw: pl.Expr) -> pl.Expr:
    """Names from ``rank<TAB>name<TAB>pct`` lines (tabs or runs of spaces), in rank order."""
    s = blank_to_null(raw)
    return s.str.split("\n").list.eval(
        pl.element()
        .str.extract(r"^\s*\d+\s+(.+?)\s+\d+(?:\.\d+)?%\s*$", 1)
        .drop_nulls()
    )


def number(raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Parse a plain amount such as ``200``, ``1,500``, ``¥30`` or ``30元`` (Float64, bad)."""
    s = blank_to_null(raw).str.replace_all(r"[,\s¥￥元]", "")
    value = s.str.extract(r"^(\d+(?:\.\d+)?)$", 1).cast(pl.Float64)
    return value, s.is_not_null() & value.is_null()


_TRUE = ("1", "true", "yes", "y", "是", "有", "✓", "✔", "√")
_FALSE = ("0", "false", "no", "n", "否", "无", "×")


def flag(raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Parse 0/1, true/false, 是/否 and tick marks into Boolean (value, bad)."""
    s = blank_to_null(raw).str.to_lowercase()
    value = pl.when(s.is_in(_TRUE)).then(True).when(s.is_in(_FALSE)).then(False)
    return value, s.is_not_null() & value.is_null()


_GENDERS = {"女": "female", "f": "female", "female": "female", "woman": "female",
            "男": "male", "m": "male", "male": "male", "man": "male",
            "未知": "unknown", "unknown": "unknown", "u": "unknown"}


def gender(raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Map 女/男/F/M/female/male (any case) to the schema's genders; empty → unknown."""
    s = blank_to_null(raw).str.to_lowercase()
    value = s.replace_strict(_GENDERS, default=None, return_dtype=pl.String)
    return value.fill_null(pl.when(s.is_null()).then(pl.lit("unknown"))), s.is_not_null() & value.is_null()


_NOTE_TYPES = {"normal": "normal", "image": "normal", "图文": "normal", "video": "video", "视频": "video"}


def note_type(raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    s = blank_to_null(raw).str.to_lowercase()
    value = s.replace_strict(_NOTE_TYPES, default=None, return_dtype=pl.String)
    return value, s.is_not_null() & value.is_null()


def id_creation_day(raw: pl.Expr, latest: pl.Expr) -> pl.Expr:
    """The UTC day embedded in a 24-hex platform id (ObjectId layout: the first 8 hex
    digits are the creation second), or null when the id is not of that shape or its
    second falls outside [RED_NOTE_FOUNDED, ``latest``] — a hashed id is hex too, but its
    "date" would be noise, and the range check rejects nearly all of those."""
    seconds = raw.str.strip_chars().str.extract(r"^([0-9a-fA-F]{8})[0-9a-fA-F]{16}$", 1).str.to_integer(base=16, strict=False)
    moment = pl.from_epoch(seconds, time_unit="s").dt.replace_time_zone("UTC")
    return pl.when(moment.is_between(pl.lit(RED_NOTE_FOUNDED).cast(UTC_DTYPE), latest)).then(moment.dt.date())
