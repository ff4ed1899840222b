"""A section's tables: everything its figures and tables draw, computed from the bundle
once per build, small enough to hand to a notebook.

Each section module lists its ``Table``s: a name, the computation (bundle rows in, a small
table or a plain value out) and the figure ids whose declared needs gate it — a table is
computed only when at least one of them can be drawn, so data lacking what a figure needs
costs nothing and its notice stands in its place. The build computes every section's
tables in its prepare step and saves them beside the ledger; a notebook reads them and
never holds the notes or comments themselves.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import polars as pl

from analysis.claims.data import newcomer_notes
from analysis.claims.models import load_or_fit_model
from analysis.claims.needs import FIGURE_NEEDS, shortfalls
from analysis.measures.clickbait import ClickbaitModel

#: A plain value a table may be instead of a frame: what JSON holds.
Plain = str | int | float | bool | None | list | dict


@dataclass
class Inputs:
    """What a section's computations read: the bundle and what is derived from it once."""

    bundle: Any  # analysis.io.bundle.Bundle
    #: Intermediate results a section's tables share (e.g. Explore's segmented words), by name.
    shared: dict = field(default_factory=dict)

    def once(self, name: str, compute: Callable[[], Any]) -> Any:
        """``compute()``, computed on first use and kept for the section's other tables."""
        if name not in self.shared:
            self.shared[name] = compute()
        return self.shared[name]

    @cached_property
    def newcomers(self) -> tuple[pl.DataFrame, str]:
        return newcomer_notes(self.bundle)

    @cached_property
    def clickbait_model(self) -> ClickbaitModel:
        return load_or_fit_model(self.bundle.headlines)

    @cached_property
    def gaps(self) -> dict[str, list[tuple[str, str]]]:
        """Per figure id: its unmet needs as (kind, message), missing data first."""
        return figure_gaps(self.bundle)


@dataclass(frozen=True)
class Table:
    name: str
    compute: Callable[[Inputs], pl.DataFrame | Plain]
    #: Figure ids (analysis.claims.needs.FIGURE_NEEDS) that draw it: computed when any can be drawn.
    gates: tuple[str, ...] = ()


def figure_gaps(bundle) -> dict[str, list[tuple[str, str]]]:
    """Every figure's shortfalls against the bundle (empty list: it can be drawn)."""
    return {fid: [(s.kind, s.message()) for s in shortfalls(bundle, needs)] for fid, needs in FIGURE_NEEDS.items()}


@dataclass
class SectionTables(Mapping):
    """A section's computed tables by name (frames and plain values); a table whose
    figures cannot be drawn is absent, and asking for it says so."""

    section: str
    frames: dict[str, pl.DataFrame] = field(default_factory=dict)
    values: dict[str, Plain] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # per table computed here (not saved)

    def __getitem__(self, name: str):
        if name in self.frames:
            return self.frames[name]
        if name in self.values:
            return self.values[name]
        raise KeyError(f"section {self.section!r} has no table {name!r}: it was not computed because the data "
                       f"cannot draw the figures that need it (computed: {', '.join(sorted(self)) or 'none'})")

    def __iter__(self):
        return iter([*self.frames, *self.values])

    def __len__(self) -> int:
        return len(self.frames) + len(self.values)

    def save(self, folder: Path) -> None:
        """Write the tables to ``folder`` (replaced whole, so a reader never sees half of it)."""
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for name, frame in self.frames.items():
            frame.write_parquet(tmp / f"{name}.parquet")
        (tmp / "values.json").write_text(json.dumps(self.values, ensure_ascii=False), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        tmp.replace(folder)

    @classmethod
    def open(cls, section: str, folder: Path) -> SectionTables:
        frames = {p.stem: pl.read_parquet(p) for p in sorted(folder.glob("*.parquet"))}
        return cls(section, frames, json.loads((folder / "values.json").read_text(encoding="utf-8")))


def compute(section: str, tables: tuple[Table, ...], inputs: Inputs) -> SectionTables:
    """Compute the section's tables whose figures can be drawn (or that no figure gates)."""
    out = SectionTables(section)
    for table in tables:
        if table.gates and all(inputs.gaps[g] for g in table.gates):
            continue
        t0 = time.perf_counter()
        value = table.compute(inputs)
        if isinstance(value, pl.LazyFrame):
            value = value.collect()
        out.seconds[table.name] = round(time.perf_counter() - t0, 2)
        if isinstance(value, pl.DataFrame):
            out.frames[table.name] = value
        else:
            try:
                json.dumps(value)
            except TypeError:
                raise TypeError(f"section {section!r}, table {table.name!r}: a {type(value).__name__} is neither "
                                "a polars DataFrame nor a JSON value; return one of those") from None
            out.values[table.name] = value
    return out
