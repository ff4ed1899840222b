"""Everything a notebook analyses, loaded once: the ``Bundle``.

Notebooks call ``load_bundle`` with their (JSON-typed) papermill parameters. In real
mode the public data sets of data/sources.toml are fetched/verified and loaded; in
sample mode a small synthetic data set is generated (labelled illustrative wherever it
shows). ``auto`` uses real data when it can be had and otherwise falls back to the
sample with a one-line reason, so a report always builds.

The build passes ``cache_dir``: the first notebook writes the canonical tables there as
parquet and the others read them, so all sections see the same rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

import polars as pl

from analysis.config import parse_day
from analysis.io import schema

Mode = Literal["real", "sample"]
_TABLES = ("notes", "creators", "media_kits", "comments", "headlines", "quarantine", "load_log", "sources")


class DataUnavailable(RuntimeError):
    """Real data could not be had; the message says why and how to fix it."""


@dataclass(frozen=True)
class Bundle:
    mode: Mode
    notes: pl.DataFrame
    creators: pl.DataFrame
    media_kits: pl.DataFrame
    comments: pl.DataFrame
    headlines: pl.DataFrame
    quarantine: pl.DataFrame  # rows set aside, with reasons (schema.QUARANTINE)
    load_log: pl.DataFrame  # per input file: rows read, loaded, merged, quarantined
    sources: pl.DataFrame  # per data set used: id, title, licence, citation, url, files, sha256
    fallback_reason: str = ""  # why auto mode fell back to the sample, if it did
    window: tuple[str, str] = ("", "")  # ISO start/end dates applied to notes, "" = open
    extra: dict = field(default_factory=dict)
    #: The notes on the engine the heavy measures run on (a Spark DataFrame, set by
    #: ``analysis.claims.data.on_engine``); None: they run on ``notes`` (polars).
    engine_notes: Any = None

    @property
    def illustrative(self) -> bool:
        return self.mode == "sample"

    @property
    def counts(self) -> dict[str, int]:
        """Rows per canonical table."""
        return {name: getattr(self, name).height for name in _TABLES[:6]}

    @property
    def facts(self) -> DataFacts:
        """What the build had, without its rows."""
        return DataFacts(self.mode, self.fallback_reason, tuple(self.window), self.counts, self.sources)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name in _TABLES:
            getattr(self, name).write_parquet(folder / f"{name}.parquet")
        meta = {"mode": self.mode, "fallback_reason": self.fallback_reason, "window": list(self.window)}
        (folder / "bundle.json").write_text(json.dumps(meta), encoding="utf-8")

    @classmethod
    def open(cls, folder: Path) -> Bundle:
        meta = json.loads((folder / "bundle.json").read_text(encoding="utf-8"))
        tables = {name: pl.read_parquet(folder / f"{name}.parquet") for name in _TABLES}
        return cls(mode=meta["mode"], fallback_reason=meta["fallback_reason"], window=tuple(meta["window"]), **tables)


@dataclass(frozen=True)
class DataFacts:
    """A bundle without its rows: mode, window, rows per table and the data sets used —
    what a section shows about the data it read."""

    mode: Mode
    fallback_reason: str
    window: tuple[str, str]
    counts: dict[str, int]
    sources: pl.DataFrame

    @property
    def illustrative(self) -> bool:
        return self.mode == "sample"

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.sources.write_parquet(folder / "sources.parquet")
        meta = {"mode": self.mode, "fallback_reason": self.fallback_reason, "window": list(self.window),
                "counts": self.counts}
        (folder / "facts.json").write_text(json.dumps(meta), encoding="utf-8")

    @classmethod
    def open(cls, folder: Path) -> DataFacts:
        meta = json.loads((folder / "facts.json").read_text(encoding="utf-8"))
        return cls(meta["mode"], meta["fallback_reason"], tuple(meta["window"]), meta["counts"],
                   pl.read_parquet(folder / "sources.parquet"))


def apply_window(bundle: Bundle, start_date: str = "", end_date: str = "") -> Bundle:
    """Keep notes (and their comments) published within [start_date, end_date] (UTC days)."""
    start, end = parse_day(start_date, "start_date"), parse_day(end_date, "end_date")
    if start and end and start > end:
        raise ValueError(f"start_date {start} is after end_date {end}")
    if not (start or end):
        return bundle
    day = pl.col("published_at").dt.date()
    cond = pl.lit(True)
    if start:
        cond &= day >= start
    if end:
        cond &= day <= end
    notes = bundle.notes.filter(cond)
    comments = bundle.comments.join(notes.select("dataset", "note_id"), on=["dataset", "note_id"], how="semi")
    return replace(bundle, notes=notes, comments=comments, window=(start_date, end_date))


def empty_tables() -> dict[str, pl.DataFrame]:
    """Typed empty canonical tables, keyed as in ``Bundle``."""
    return {f.name: schema.empty(f.name) for f in fields(Bundle) if f.name in schema.TABLES}
