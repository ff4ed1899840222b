"""Read any supported input file into raw all-String frames, detecting format and encoding.

Formats are detected from the bytes, not trusted from the file name: SQLite by its
magic header, gzip by its magic, JSON arrays by a leading ``[``, JSON Lines by a
leading ``{`` (or one JSON object wrapping such an array, ``{"data": [...]}``),
otherwise delimited text (comma, tab, semicolon or bar, sniffed from the header). Text
is decoded as UTF-16 when it starts with a UTF-16 byte-order mark (Excel's "Unicode
text" export), else strict UTF-8 (with or without BOM), then GB18030 (a superset of
GBK, what Excel on Chinese Windows writes); the encoding used is reported so the load
log can say it.

Only the first bytes are sniffed. Plain UTF-8 JSON, JSON Lines (in blocks of whole
lines) and CSV, the large crawler exports, go to polars from the file, never held as a
Python str; polars checks the UTF-8 itself (a CSV header is checked by the sniff).
Everything else — a BOM, gzip, a file polars rejects (GBK, malformed), one object
wrapping an array — is decoded whole as before (``_read_decoded``), so every outcome is
the same as decoding first.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from analysis.io.errors import InputFileError

SQLITE_MAGIC = b"SQLite format 3\x00"
GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"  # .xlsx workbooks are zip archives
BOMS = (b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")
# Bytes sniffed; the second size is tried only when a first line or header is longer.
SNIFF_SIZES = (64 * 1024, 16 * 1024 * 1024)
JSON_WS = " \t\n\r"  # what json.loads skips around a value
NDJSON_BLOCK = 128 * 1024 * 1024
MORE = "more"  # sniff verdict: the first bytes do not decide, look further
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
        detail = _bad_json_line(text.splitlines()) if lines else str(exc).splitlines()[0]
        raise InputFileError(path, f"is truncated or malformed JSON ({detail})", kind) from None
    return as_strings(frame)


def _bad_json_line(lines: Iterable[str]) -> str:
    """Which line of a JSON Lines text does not parse (only called once reading failed)."""
    for number, line in enumerate(lines, start=1):
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


def _is_utf8(path: Path) -> bool:
    """Whether the whole file is strict UTF-8, checked in chunks rather than held as one str."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 24):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _bad_json_line_in(path: Path) -> str | None:
    """``_bad_json_line`` of a UTF-8 file streamed line by line; None when it is not UTF-8
    (then it is decoded whole, as GB18030 perhaps). splitlines() per ``\n``-line numbers
    the lines exactly as splitlines() of the whole text."""
    if not _is_utf8(path):
        return None
    with path.open("rb") as fh:
        return _bad_json_line(line for raw in fh for line in raw.decode("utf-8").splitlines())


def _object_or_lines(text: str, whole: bool) -> str | None:
    """Whether text starting ``{`` is JSON Lines ("jsonl"), one JSON value (None: parse it
    whole to unwrap) or not yet known (MORE). It is one value exactly when json.loads of
    the whole would succeed: its first value parses and only JSON whitespace follows."""
    start = len(text) - len(text.lstrip(JSON_WS))
    try:
        _, end = json.JSONDecoder().raw_decode(text, start)
    except json.JSONDecodeError:
        return "jsonl" if whole else MORE  # unfinished: a long first line or one big value
    if text[end:].strip(JSON_WS):
        return "jsonl"
    return None if whole else MORE


def _sniff(head: bytes, whole: bool) -> str | tuple[str, str] | None:
    """What ``_read_decoded`` would do with a plain UTF-8 file starting with ``head``:
    "empty", "json", "jsonl", "binary", ("csv", separator), MORE, or None (decode it whole:
    a BOM, not UTF-8, or one JSON value). ``whole``: head is the entire file."""
    if head.startswith(BOMS):
        return None
    try:  # an incremental decoder keeps a character cut at the window's end for later
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=whole)
    except UnicodeDecodeError:
        return None
    stripped = text.lstrip()
    if not stripped:
        return "empty" if whole else MORE
    if stripped[0] == "[":
        return "json"
    if stripped[0] == "{":
        return _object_or_lines(text, whole)
    if not whole and len(stripped) < 1024:
        return MORE
    if "\x00" in stripped[:1024]:
        return "binary"
    if not whole and "\n" not in text:
        return MORE  # the header goes on; it must be decoded here, polars reads it lossily
    first = text.split("\n", 1)[0]
    # The header names no column with these characters, so the most frequent one separates.
    return "csv", max(SEPARATORS, key=first.count)


def _read_ndjson_strings(path: Path) -> pl.DataFrame:
    """as_strings(pl.read_ndjson(file)), in blocks of whole lines: read_ndjson holds the whole
    file beside the frame it builds. Each block is read with the schema polars infers from
    the whole file, which is what a single read_ndjson does, so the frame is the same."""
    with path.open("rb") as fh:  # a file object: polars would glob a path's [ * ?
        if path.stat().st_size <= NDJSON_BLOCK:
            return as_strings(pl.read_ndjson(fh, infer_schema_length=None))
        schema = pl.scan_ndjson(fh, infer_schema_length=None).collect_schema()
        parts, start = [], 0
        while True:
            fh.seek(start + NDJSON_BLOCK)
            end = fh.tell() + len(fh.readline())  # through the end of the line the block cuts
            fh.seek(start)
            if not (block := fh.read(end - start)):
                break
            # Cast per block: as_strings of the concatenated blocks held about twice the frame.
            parts.append(as_strings(pl.read_ndjson(block, schema=schema)))
            start = end
    return pl.concat(parts, rechunk=False)


def _read_utf8(path: Path, plan: str | tuple[str, str]) -> RawTable | None:
    """Read a file sniffed as plain UTF-8 by its plan; None when it must be decoded whole."""
    if plan == "empty":
        raise InputFileError(path, "is empty", SUPPORTED)
    if plan == "binary":
        if _is_utf8(path):
            raise InputFileError(path, "is a binary file of unknown format", SUPPORTED)
        return None
    try:
        if plan == "json":
            return RawTable(path, "", "json", "utf-8", as_strings(pl.read_json(path, infer_schema_length=None)))
        if plan == "jsonl":
            return RawTable(path, "", "jsonl", "utf-8", _read_ndjson_strings(path))
        _, sep = plan
        frame = pl.read_csv(path, separator=sep, infer_schema=False, glob=False)
        return RawTable(path, "", "tsv" if sep == "\t" else "csv", "utf-8", _clean_header(frame))
    except pl.exceptions.PolarsError:
        if plan != "jsonl":
            return None  # not UTF-8, or malformed: decoding whole gives the same table or error
        detail = _bad_json_line_in(path)
        if detail is None:
            return None
        raise InputFileError(path, f"is truncated or malformed JSON ({detail})",
                             "JSON Lines (one object per line)") from None


def read_raw(path: Path) -> list[RawTable]:
    """Read a file into one raw table (several for SQLite). Raises InputFileError."""
    path = Path(path)
    if not path.is_file():
        raise InputFileError(path, "does not exist or is not a file", SUPPORTED)
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(SNIFF_SIZES[0])
    if head.startswith(SQLITE_MAGIC):
        return _read_sqlite(path)
    if head.startswith(ZIP_MAGIC):
        raise InputFileError(path, "is a zip archive or Excel workbook; save the sheet as CSV (UTF-8) and load that",
                             SUPPORTED)
    if not head.startswith(GZIP_MAGIC):
        plan = _sniff(head, len(head) >= size)
        if plan == MORE:
            with path.open("rb") as fh:
                head = fh.read(SNIFF_SIZES[1])
            plan = _sniff(head, len(head) >= size)
        if plan is not None and plan != MORE:
            table = _read_utf8(path, plan)
            if table is not None:
                return [table]
    return _read_decoded(path, path.read_bytes())


def _read_decoded(path: Path, data: bytes) -> list[RawTable]:
    """Read a file's bytes by decoding them whole (BOMs, GBK, gzip, wrapped arrays; the
    reference the fast UTF-8 path must agree with)."""
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
