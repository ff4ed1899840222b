"""``rednote-report data export --out PATH``: the canonical tables as Parquet, partitioned by
month, the hand-off to Spark (or any Parquet reader).

Layout (Hive-style, so ``spark.read.parquet(f"{PATH}/notes")`` finds the ``month`` column)::

    PATH/notes/month=2025-01/….parquet      by published_at (UTC month)
    PATH/comments/month=…/….parquet         by published_at
    PATH/creators/month=…/….parquet         by crawled_at
    PATH/media_kits.parquet, headlines.parquet, quarantine.parquet, load_log.parquet, sources.parquet
    PATH/export.json                        mode, row counts per table, the schema version

Rows without a time go to ``month=unknown``. Account ids are the pseudonyms the loader
made; nothing personal is added on the way out.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from analysis.io.bundle import Bundle

#: Table → the UTC time column its month partition comes from.
PARTITIONED = {"notes": "published_at", "comments": "published_at", "creators": "crawled_at"}
UNPARTITIONED = ("media_kits", "headlines", "quarantine", "load_log", "sources")
MONTH = "month"


class ExportError(ValueError):
    """The export cannot be written where asked; the message says why and what to do."""


def export_bundle(bundle: Bundle, out: Path) -> dict[str, int]:
    """Write ``bundle``'s canonical tables under ``out`` (a new or empty folder) and return
    rows written per table."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ExportError(f"{out}: exists and is not an empty folder; choose a new --out path")
    out.mkdir(parents=True, exist_ok=True)
    rows: dict[str, int] = {}
    for table, column in PARTITIONED.items():
        frame: pl.DataFrame = getattr(bundle, table)
        month = pl.col(column).dt.strftime("%Y-%m").fill_null("unknown").alias(MONTH)
        (out / table).mkdir()
        if frame.height:
            frame.with_columns(month).write_parquet(out / table, partition_by=MONTH)
        rows[table] = frame.height
    for table in UNPARTITIONED:
        frame = getattr(bundle, table)
        frame.write_parquet(out / f"{table}.parquet")
        rows[table] = frame.height
    meta = {"mode": bundle.mode, "window": list(bundle.window), "rows": rows, "partitioned_by": {
        t: f"{MONTH} = UTC month of {c}" for t, c in PARTITIONED.items()}}
    (out / "export.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return rows


def read_notes(path: str | Path) -> pl.LazyFrame:
    """The exported notes as a polars LazyFrame (the partition column dropped)."""
    return pl.scan_parquet(f"{path}/notes", hive_partitioning=True).drop(MONTH)
