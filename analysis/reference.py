"""Published figures the report compares against, as typed data.

The figures live in ``data/reference/published_figures.csv`` (one row per figure: id,
metric, value, value_hi for ranges, unit, date, source, url, confidence D/S/L, note)
and the dated events in ``data/reference/timeline.csv``. Both transcribe
../shared/reference/published-figures.md. Confidence: D = read in the primary or a
direct report of it; S = secondary report; L = one unsourced mention.

Analyses cite a figure by id (``figure("adload_facebook_2020")``) so that the report can
show its source and confidence next to it, and a test checks that every id cited in
``analysis/`` and the notebooks exists here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl

from analysis import config

CONFIDENCES = ("D", "S", "L")
FIGURES_FILE = "published_figures.csv"
TIMELINE_FILE = "timeline.csv"

FIGURE_SCHEMA = {
    "id": pl.String(), "metric": pl.String(), "value": pl.Float64(), "value_hi": pl.Float64(),
    "unit": pl.String(), "date": pl.String(), "source": pl.String(), "url": pl.String(),
    "confidence": pl.String(), "note": pl.String(),
}
TIMELINE_SCHEMA = {
    "id": pl.String(), "event": pl.String(), "date": pl.Date(), "date_hi": pl.Date(),
    "source": pl.String(), "confidence": pl.String(), "note": pl.String(),
}


class ReferenceDataError(ValueError):
    """A reference file is malformed; the message names the file, row and column."""


class UnknownFigure(KeyError):
    """A cited figure id is not in the reference table."""

    def __str__(self) -> str:  # KeyError would repr() the message, quotes and all
        return str(self.args[0])


@dataclass(frozen=True)
class Reference:
    id: str
    metric: str
    value: float
    value_hi: float | None
    unit: str
    date: str
    source: str
    url: str
    confidence: str
    note: str

    @property
    def is_range(self) -> bool:
        return self.value_hi is not None

    def formatted(self) -> str:
        """The value as a reader sees it: ``21.2%``, ``5–8%``, ``300M``."""
        if self.unit == "share":
            lo = f"{self.value * 100:.4g}"
            return f"{lo}–{self.value_hi * 100:.4g}%" if self.is_range else f"{lo}%"
        if self.unit == "relative change":
            return f"{self.value * 100:+.4g}%"
        return f"{self.value:,.0f}" + (f"–{self.value_hi:,.0f}" if self.is_range else "") + f" {self.unit}"

    def label(self) -> str:
        """One line for a ledger or chart note: value, source, date and confidence."""
        when = f", {self.date}" if self.date else ""
        return f"{self.formatted()} ({self.source}{when}; confidence {self.confidence})"


def _check(frame: pl.DataFrame, path: Path, required: tuple[str, ...]) -> pl.DataFrame:
    rows = frame.with_row_index("_row", offset=2)  # row 1 is the header
    for col in required:
        bad = rows.filter(pl.col(col).is_null() | (pl.col(col).cast(pl.String) == ""))
        if bad.height:
            raise ReferenceDataError(f"{path}, row {bad['_row'][0]}, column {col}: empty; every figure needs a {col}")
    bad = rows.filter(~pl.col("confidence").is_in(CONFIDENCES))
    if bad.height:
        raise ReferenceDataError(
            f"{path}, row {bad['_row'][0]}, column confidence: {bad['confidence'][0]!r}; use one of {CONFIDENCES}"
        )
    dupes = frame.filter(pl.col("id").is_duplicated())["id"].unique().to_list()
    if dupes:
        raise ReferenceDataError(f"{path}: duplicate id(s) {sorted(dupes)}; each figure needs its own id")
    return frame


def _read(path: Path, schema: dict) -> pl.DataFrame:
    if not path.exists():
        raise ReferenceDataError(f"{path}: missing; reference figures live in {config.REFERENCE_DIR}")
    try:
        frame = pl.read_csv(path, schema_overrides=schema, encoding="utf8")
    except pl.exceptions.ComputeError as exc:
        raise ReferenceDataError(f"{path}: cannot be read as the reference schema {list(schema)}: {exc}") from None
    missing = [c for c in schema if c not in frame.columns]
    if missing:
        raise ReferenceDataError(f"{path}: missing column(s) {missing}; expected {list(schema)}")
    return frame.select(pl.col(c).cast(t) for c, t in schema.items())


@cache
def _figures(folder: Path) -> pl.DataFrame:
    path = folder / FIGURES_FILE
    frame = _read(path, FIGURE_SCHEMA).with_columns(pl.col("url", "note", "date").fill_null(""))
    return _check(frame, path, ("id", "metric", "value", "unit", "source", "confidence"))


@cache
def _timeline(folder: Path) -> pl.DataFrame:
    path = folder / TIMELINE_FILE
    frame = _read(path, TIMELINE_SCHEMA).with_columns(pl.col("note").fill_null(""))
    return _check(frame, path, ("id", "event", "date", "source", "confidence"))


def figures(folder: Path | None = None) -> pl.DataFrame:
    """Every published figure, one row each (``FIGURE_SCHEMA``)."""
    return _figures(folder or config.REFERENCE_DIR)


def timeline(folder: Path | None = None) -> pl.DataFrame:
    """The dated events (bans, court dates, visa policies), in date order."""
    return _timeline(folder or config.REFERENCE_DIR).sort("date")


def figure(fig_id: str, folder: Path | None = None) -> Reference:
    """The published figure ``fig_id``; ``UnknownFigure`` (a KeyError) names the known ids."""
    table = figures(folder)
    row = table.filter(pl.col("id") == fig_id)
    if row.height == 0:
        raise UnknownFigure(
            f"no published figure {fig_id!r} in {FIGURES_FILE}; known ids: {', '.join(sorted(table['id']))}"
        )
    return Reference(**row.row(0, named=True))


def check_cited(ids: Iterable[str], folder: Path | None = None) -> list[str]:
    """Raise ``UnknownFigure`` listing every id in ``ids`` that is not a known figure or
    event; return the ids (deduplicated, sorted) when all exist."""
    wanted = sorted(set(ids))
    known = set(figures(folder)["id"]) | set(timeline(folder)["id"])
    missing = [i for i in wanted if i not in known]
    if missing:
        raise UnknownFigure(f"cited figure id(s) not in {config.REFERENCE_DIR}: {missing}; add them there or fix the id")
    return wanted
