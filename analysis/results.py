"""The one shape every analysis returns.

A result table has one row per measured quantity with fixed columns, so the claims
ledger, the charts and the tests read results the same way and every figure in the
report traces back to one function and one input table:

    measure   what was measured, e.g. ``ad_share`` or ``female_creator_share``
    group     the slice it applies to (``all``, a dataset, a creator, a week …)
    estimate  the point estimate (a share is a fraction 0–1, not a percentage)
    lo, hi    the interval (95% unless ``note`` says otherwise); null if none
    n         how many units the estimate rests on
    unit      ``share``, ``count``, ``ratio``, ``RMB``, ``days`` …
    source    dataset id(s) from data/sources.toml, or ``sample`` for the synthetic one
    note      method and caveats in a few words
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

import polars as pl

RESULT_SCHEMA: dict[str, pl.DataType] = {
    "measure": pl.String(),
    "group": pl.String(),
    "estimate": pl.Float64(),
    "lo": pl.Float64(),
    "hi": pl.Float64(),
    "n": pl.Int64(),
    "unit": pl.String(),
    "source": pl.String(),
    "note": pl.String(),
}


@dataclass(frozen=True)
class Result:
    """One measured quantity; ``results_frame`` turns a list of them into a table."""

    measure: str
    estimate: float | None
    n: int
    unit: str
    source: str
    lo: float | None = None
    hi: float | None = None
    group: str = "all"
    note: str = ""


class Estimate(NamedTuple):
    """A result's estimate, 95% interval and n (None where unmeasured): what a verdict rule judges."""

    estimate: float | None
    lo: float | None
    hi: float | None
    n: int | None

    @classmethod
    def of(cls, row: Result | Mapping) -> Estimate:
        """The estimate of a ``Result`` or of a row dict of a result table."""
        if isinstance(row, Mapping):
            return cls(row["estimate"], row["lo"], row["hi"], row["n"])
        return cls(row.estimate, row.lo, row.hi, row.n)

    @classmethod
    def published(cls, value: float) -> Estimate:
        """A figure computed from published numbers: no interval and no n."""
        return cls(value, None, None, None)


def results_frame(rows: list[Result] | tuple[Result, ...] = ()) -> pl.DataFrame:
    """A result table from ``Result`` rows (an empty list gives an empty, typed table)."""
    return pl.DataFrame(
        [{k: getattr(r, k) for k in RESULT_SCHEMA} for r in rows],
        schema=RESULT_SCHEMA,
        orient="row",
    )


def check_results(frame: pl.DataFrame) -> pl.DataFrame:
    """Raise if ``frame`` is not a result table; return it unchanged otherwise."""
    missing = [c for c in RESULT_SCHEMA if c not in frame.columns]
    if missing:
        raise ValueError(f"result table lacks columns {missing}; expected {list(RESULT_SCHEMA)}")
    return frame.select(pl.col(c).cast(t) for c, t in RESULT_SCHEMA.items())


def pick(frame: pl.DataFrame, measure: str, group: str = "all") -> dict:
    """The single row for ``measure``/``group`` as a dict; KeyError names what exists."""
    rows = frame.filter((pl.col("measure") == measure) & (pl.col("group") == group))
    if rows.height != 1:
        have = frame.select("measure", "group").unique().sort("measure").rows()
        raise KeyError(f"{rows.height} rows for measure={measure!r} group={group!r}; have {have}")
    return rows.row(0, named=True)
