"""Load whole data sets (public ones from the manifest, or a user's export) into a Bundle.

Each input file becomes rows of one canonical table plus quarantined rows; then the
rows of a data set are deduplicated on the table's key (schema.KEYS), keeping the most
recently crawled copy. The load log accounts for every input row per file:
``rows_read = loaded + merged_duplicates + quarantined``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import polars as pl

from analysis import config
from analysis.io import schema, sources
from analysis.io.bundle import Bundle, DataUnavailable
from analysis.io.errors import InputFileError
from analysis.io.read import RawTable, read_raw
from analysis.io.tables import Context, canonicalize, guess_table, now_utc

PUBLIC_NOTES = ("tiktokrefugee-posts", "mediacrawler-creators")
USER_DATASET = "user"
USER_NAIVE_TZ = "Asia/Shanghai"  # MediaCrawler and RedNote sheets write Beijing time
USER_EXTENSIONS = {".csv", ".tsv", ".json", ".jsonl", ".ndjson", ".db", ".sqlite", ".sqlite3", ".txt"}
LOAD_LOG_SCHEMA = {
    "dataset": pl.String, "source_file": pl.String, "table": pl.String, "format": pl.String,
    "encoding": pl.String, "rows_read": pl.Int64, "loaded": pl.Int64, "merged_duplicates": pl.Int64,
    "quarantined": pl.Int64,
}
_ROLE_TABLE = {"notes": "notes", "creators": "creators", "comments": "comments", "media_kits": "media_kits"}
# MediaCrawler names files <n>_<search|detail|creator>_<contents|comments|creator>_<date>.<ext>
_NAME_HINT = re.compile(r"(contents|comments|creator)_[^_]*$")
_HINT_TABLE = {"contents": "notes", "comments": "comments", "creator": "creators"}
_SQLITE_TABLE = {"xhs_note": "notes", "xhs_note_comment": "comments", "xhs_creator": "creators"}


@dataclass
class Loaded:
    """Canonical tables of one or more data sets, with their quarantine and load log."""

    tables: dict[str, list[pl.DataFrame]] = field(default_factory=dict)
    quarantine: list[pl.DataFrame] = field(default_factory=list)
    log: list[dict] = field(default_factory=list)

    def frame(self, table: str) -> pl.DataFrame:
        parts = self.tables.get(table, [])
        return pl.concat(parts, how="vertical") if parts else schema.empty(table)

    def quarantine_frame(self) -> pl.DataFrame:
        return pl.concat(self.quarantine, how="vertical") if self.quarantine else schema.empty("quarantine")

    def log_frame(self) -> pl.DataFrame:
        return pl.DataFrame(self.log, schema=LOAD_LOG_SCHEMA)

    def extend(self, other: Loaded) -> None:
        for name, parts in other.tables.items():
            self.tables.setdefault(name, []).extend(parts)
        self.quarantine.extend(other.quarantine)
        self.log.extend(other.log)


def table_for(raw: RawTable, role: str | None) -> str:
    """Which canonical table a raw table feeds: manifest role, SQLite table, file name, columns."""
    if role in _ROLE_TABLE:
        return _ROLE_TABLE[role]
    if raw.part in _SQLITE_TABLE:
        return _SQLITE_TABLE[raw.part]
    hint = _NAME_HINT.search(raw.path.stem)
    by_columns = guess_table(raw.frame.columns)
    if hint and by_columns in (None, _HINT_TABLE[hint.group(1)]):
        return _HINT_TABLE[hint.group(1)]
    if by_columns is None:
        raise InputFileError(raw.path, f"has no recognisable columns (found {raw.frame.columns[:8]})",
                             "MediaCrawler notes (note_id, title, desc, time …), comments (comment_id …) "
                             "or creators (user_id, fans …)")
    return by_columns


def _headlines(raw: RawTable, dataset: str, rel: str, is_clickbait: bool) -> tuple[pl.DataFrame, int]:
    """Headline files hold one headline a line, separated by blank lines: a row is a
    non-blank line. Returns (rows, rows read)."""
    lines = raw.frame.with_row_index("source_row", offset=1).filter(pl.col("line").str.strip_chars() != "")
    rows = lines.select(
        headline=pl.col("line").str.strip_chars(),
        is_clickbait=pl.lit(is_clickbait),
        dataset=pl.lit(dataset),
        source_file=pl.lit(rel),
        source_row=pl.col("source_row").cast(pl.Int64),
    )
    return rows.cast(dict(schema.polars_schema("headlines"))), rows.height


def load_files(files: list[tuple[Path, str, str | None]], dataset: str, naive_timezone: str,
               salt: str | None = None, now: datetime | None = None) -> Loaded:
    """Load (path, relative name, manifest role or None) files of one data set, deduplicated."""
    salt = config.pseudonym_salt() if salt is None else salt
    now = now or now_utc()
    out = Loaded()
    for path, rel, role in files:
        for raw in read_raw(path):
            name = f"{rel}#{raw.part}" if raw.part else rel
            entry = {"dataset": dataset, "source_file": name, "format": raw.fmt, "encoding": raw.encoding,
                     "merged_duplicates": 0}
            if role in ("headlines_clickbait", "headlines_news"):
                rows, read = _headlines(raw, dataset, name, role == "headlines_clickbait")
                out.tables.setdefault("headlines", []).append(rows)
                out.log.append({**entry, "table": "headlines", "rows_read": read, "loaded": read, "quarantined": 0})
                continue
            table = table_for(raw, role)
            if raw.frame.height == 0:
                raise InputFileError(path, "has a header but no data rows", f"at least one {table} row")
            ctx = Context(dataset, name, naive_timezone, salt, now)
            rows, quarantined = canonicalize(raw.frame, table, ctx, str(path))
            out.tables.setdefault(table, []).append(rows)
            out.quarantine.append(quarantined)
            out.log.append({**entry, "table": table, "rows_read": raw.frame.height, "loaded": rows.height,
                            "quarantined": quarantined.height})
    _deduplicate(out)
    return out


def latest_rows(frame: pl.DataFrame, key) -> pl.Series:
    """Boolean mask of the row kept per ``key``: the newest ``crawled_at`` (nulls oldest),
    ties to the later row. Decided on the key columns alone, so a crawl of millions of
    notes is never sorted or copied whole (that took ~6× the table's memory)."""
    order = ["crawled_at", "_order"] if "crawled_at" in frame.columns else ["_order"]
    keys = frame.select(*key, *order[:-1]).with_row_index("_order")
    kept = keys.sort(order, nulls_last=False).unique(subset=list(key), keep="last", maintain_order=False)
    mask = np.zeros(keys.height, dtype=bool)
    mask[kept["_order"].to_numpy()] = True
    return pl.Series("keep", mask)


def _deduplicate(out: Loaded) -> None:
    """Keep one row per key, the newest crawl (ties: the later file and row); count the rest
    as merged against the file they came from."""
    merged: dict[tuple[str, str], int] = {}
    for table, key in schema.KEYS.items():
        if table not in out.tables:
            continue
        frame = pl.concat(out.tables[table], how="vertical")
        keep = latest_rows(frame, key)
        dropped = frame.select("dataset", "source_file").filter(~keep)
        for row in dropped.group_by("dataset", "source_file").len().iter_rows():  # one per file, not per row
            merged[(row[0], row[1])] = merged.get((row[0], row[1]), 0) + row[2]
        out.tables[table] = [frame if dropped.height == 0 else frame.filter(keep)]
    for entry in out.log:
        n = merged.get((entry["dataset"], entry["source_file"]), 0)
        entry["merged_duplicates"] += n
        entry["loaded"] -= n


def load_public(dataset_id: str, salt: str | None = None, *, mirror=sources.DEFAULT, cache: Path | None = None,
                download: bool | None = None) -> Loaded:
    """One public data set from the mirror, the cache or (first use, unless REDNOTE_OFFLINE=1)
    a download, every file checksum-verified. mirror/cache/download: see ``sources.fetch_file``
    (left out: the environment's defaults)."""
    try:
        ds = sources.manifest()[dataset_id]
        download = config.allow_download() if download is None else download
        files = [(sources.fetch_file(f, mirror=mirror, download=download, cache=cache), f.path, f.role)
                 for f in ds.files if f.role != "documentation"]
    except sources.FetchError as exc:
        raise DataUnavailable(str(exc)) from None
    return load_files(files, dataset_id, ds.naive_timezone, salt)


def user_files(user_data: str) -> list[tuple[Path, str, str | None]]:
    """The files of a user's export: one file, or every data file under a folder
    (old layout data/xhs/*.csv and new layout data/xhs/{csv,json,jsonl}/* alike)."""
    root = Path(user_data).expanduser()
    if root.is_file():
        return [(root, root.name, None)]
    if not root.is_dir():
        raise InputFileError(root, "does not exist", "a MediaCrawler export file or folder")
    found = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in USER_EXTENSIONS
                   and not any(part.startswith(".") for part in p.relative_to(root).parts))
    if not found:
        raise InputFileError(root, "holds no data files", f"files ending in {', '.join(sorted(USER_EXTENSIONS))}")
    return [(p, p.relative_to(root).as_posix(), None) for p in found]


def load_user(user_data: str, salt: str | None = None, now: datetime | None = None) -> Loaded:
    """A user's export (file or folder, any supported format) as data set ``user``."""
    return load_files(user_files(user_data), USER_DATASET, USER_NAIVE_TZ, salt, now)


def real_bundle(user_data: str = "", *, mirror=sources.DEFAULT, cache: Path | None = None,
                download: bool | None = None) -> Bundle:
    """The real data: both RedNote data sets (or ``user_data`` in their place), the KOL
    media-kit sheet and the clickbait benchmark. Raises DataUnavailable if files are missing.
    mirror/cache/download: where the public files are found (see ``load_public``)."""
    where = {"mirror": mirror, "cache": cache, "download": download}
    loaded = Loaded()
    used = []
    if user_data:
        loaded.extend(load_user(user_data))
        creators = load_public("mediacrawler-creators", **where)
        loaded.tables["media_kits"] = creators.tables.get("media_kits", [])
        loaded.quarantine.extend(q.filter(pl.col("source_file") == "koc_list.csv") for q in creators.quarantine)
        loaded.log.extend(e for e in creators.log if e["table"] == "media_kits")
        used.append("mediacrawler-creators")
    else:
        for ds in PUBLIC_NOTES:
            loaded.extend(load_public(ds, **where))
            used.append(ds)
    loaded.extend(load_public("clickbait-en", **where))
    used.append("clickbait-en")
    return Bundle(
        mode="real",
        notes=loaded.frame("notes"),
        creators=loaded.frame("creators"),
        media_kits=loaded.frame("media_kits"),
        comments=loaded.frame("comments"),
        headlines=loaded.frame("headlines"),
        quarantine=loaded.quarantine_frame(),
        load_log=loaded.log_frame(),
        sources=sources.sources_frame(used),
    )
