"""Read any supported input file into raw all-String frames, detecting format and encoding.

Formats are detected from the bytes, not trusted from the file name: SQLite by its
magic header, gzip by its magic, JSON arrays by a leading ``[``, JSON Lines by a
leading ``{`` (or one JSON object wrapping such an array, ``{"data": [...]}``),
otherwise delimited text (comma, tab, semicolon or bar, sniffed from the header). Text
is decoded as UTF-16 when it starts with a UTF-16 byte-order mark (Excel's "Unicode
text" export), else strict UTF-8 (with or without BOM), then GB18030 (a superset of
GBK, what Excel on Chinese Windows writes); the encoding used is reported so the load
log can say it.
"""

from __future__ import annotations

import gzip
import io
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from analysis.io.errors import InputFileError

SQLITE_MAGIC = b"SQLite format 3\x00"
GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"  # .xlsx workbooks are zip archives
SQLITE_TABLES = ("xhs_note", "xhs_note_comment", "xhs_creator")
SEPARATORS = (",", "\t", ";", "|")  # ties go to the comma
SUPPORTED = ("a CSV/TSV (UTF-8, GBK or UTF-16), JSON array (or an object wrapping one), JSON Lines, gzip text "
             "or MediaCrawler SQLite file")


@dataclass(frozen=True)
class RawTable:
    """One table as read: every column a String, in source order."""

    path: Path
    part: str  # SQLite table name, else ""
    fmt: str  # csv | tsv | json | jsonl | sqlite | lines
    encoding: str
    frame: pl.DataFrame


def decode(path: Path, data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-16 (by its BOM), UTF-8 (BOM or not), else GB18030; never guess silently."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputFileError(path, f"has a UTF-16 BOM but invalid UTF-16 at byte {exc.start}", "valid UTF-16 text") from None
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise InputFileError(path, f"has a UTF-8 BOM but invalid UTF-8 at byte {exc.start + 3}", "valid UTF-8 text") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise InputFileError(path, f"is neither UTF-8 nor GBK/GB18030 text (bad byte at {exc.start})", "UTF-8 or GBK text") from None


def as_strings(frame: pl.DataFrame) -> pl.DataFrame:
    """Cast every column to String; nested JSON values become comma-joined or JSON text."""
    exprs = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if isinstance(dtype, pl.List | pl.Array):
            exprs.append(col.cast(pl.List(pl.String)).list.join(",").alias(name))
        elif isinstance(dtype, pl.Struct):
            exprs.append(col.struct.json_encode().alias(name))
        else:
            exprs.append(col.cast(pl.String).alias(name))
    return frame.select(exprs)


def _clean_header(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.rename({c: c.strip() for c in frame.columns if c != c.strip()})


def _read_csv(path: Path, text: str) -> tuple[pl.DataFrame, str]:
    first = text.split("\n", 1)[0]
    # The header names no column with these characters, so the most frequent one separates.
    sep = max(SEPARATORS, key=first.count)
    try:
        frame = pl.read_csv(
            io.BytesIO(text.encode("utf-8")), separator=sep, infer_schema=False
        )
    except pl.exceptions.PolarsError as exc:
        raise InputFileError(path, f"is not readable as CSV: {exc}", "a rectangular CSV with one header row") from None
    return _clean_header(frame), "tsv" if sep == "\t" else "csv"


def _read_json(path: Path, text: str, lines: bool) -> pl.DataFrame:
    payload = io.BytesIO(text.encode("utf-8"))
    try:
        if lines:
            frame = pl.read_ndjson(payload, infer_schema_length=None)
        else:
            frame = pl.read_json(payload, infer_schema_length=None)
    except pl.exceptions.PolarsError as exc:
        kind = "JSON Lines (one object per line)" if lines else "a JSON array of objects"
        detail = _bad_json_line(text) if lines else str(exc).splitlines()[0]
        raise InputFileError(path, f"is truncated or malformed JSON ({detail})", kind) from None
    return as_strings(frame)


def _bad_json_line(text: str) -> str:
    """Which line of a JSON Lines text does not parse (only called once reading failed)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                json.loads(line)
            except json.JSONDecodeError as exc:
                return f"line {number}: {exc.msg}"
    return "no single line is at fault"


def _unwrap_object(text: str) -> str | None:
    """``{"data": [{...}, ...]}`` → the array's JSON text; None when ``text`` is not one
    JSON object holding exactly one array of objects (then it is read as JSON Lines)."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return None
    if not isinstance(value, dict):
        return None
    arrays = [v for v in value.values() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
    return json.dumps(arrays[0], ensure_ascii=False) if len(arrays) == 1 else None


def _read_sqlite(path: Path) -> list[RawTable]:
    uri = f"file:{path}?mode=ro"
    with sqlite3.connect(uri, uri=True) as conn:
        present = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
        wanted = [t for t in SQLITE_TABLES if t in present]
        if not wanted:
            raise InputFileError(path, f"is a SQLite database without MediaCrawler tables (has {sorted(present)})", f"tables {', '.join(SQLITE_TABLES)}")
        tables = []
        for table in wanted:
            cur = conn.execute(f'select * from "{table}"')  # table name from the fixed list above
            names = [d[0] for d in cur.description]
            rows = cur.fetchall()
            frame = pl.DataFrame(rows, schema=names, orient="row", infer_schema_length=None)
            tables.append(RawTable(path, table, "sqlite", "sqlite", as_strings(frame)))
    return tables


def read_raw(path: Path) -> list[RawTable]:
    """Read a file into one raw table (several for SQLite). Raises InputFileError."""
    path = Path(path)
    if not path.is_file():
        raise InputFileError(path, "does not exist or is not a file", SUPPORTED)
    data = path.read_bytes()
    if data.startswith(SQLITE_MAGIC):
        return _read_sqlite(path)
    if data.startswith(ZIP_MAGIC):
        raise InputFileError(path, "is a zip archive or Excel workbook; save the sheet as CSV (UTF-8) and load that",
                             SUPPORTED)
    if data.startswith(GZIP_MAGIC):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise InputFileError(path, f"is a damaged gzip file ({exc})", "a complete gzip file") from None
        text, enc = decode(path, data)
        lines = pl.Series("line", text.splitlines(), dtype=pl.String)
        return [RawTable(path, "", "lines", enc, lines.to_frame())]
    text, enc = decode(path, data)
    head = text.lstrip()
    if not head:
        raise InputFileError(path, "is empty", SUPPORTED)
    if head[0] == "[":
        return [RawTable(path, "", "json", enc, _read_json(path, text, lines=False))]
    if head[0] == "{":
        inner = _unwrap_object(text)
        if inner is not None:
            return [RawTable(path, "", "json", enc, _read_json(path, inner, lines=False))]
        return [RawTable(path, "", "jsonl", enc, _read_json(path, text, lines=True))]
    if "\x00" in head[:1024]:
        raise InputFileError(path, "is a binary file of unknown format", SUPPORTED)
    frame, fmt = _read_csv(path, text)
    return [RawTable(path, "", fmt, enc, frame)]
