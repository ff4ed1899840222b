"""The ``Figure``: a chart together with everything a reader needs to trust it.

A figure builder takes *aggregated* tables (never raw notes) and returns a Figure;
``analysis.publish.display.show`` renders it in JupyterLab and in the published
report, with the title stating the finding, a text alternative, n, the source and
licence, the claims it backs, and a download link carrying exactly ``data``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import altair as alt
import polars as pl

#: A figure's table may not exceed this many rows: aggregate before charting.
MAX_FIGURE_ROWS = 2_000


@dataclass(frozen=True)
class Figure:
    id: str  # anchor slug, unique in the report, e.g. "tech-ad-share"
    title: str  # states the finding: "About 1 in 12 notes is sponsored, a third of Instagram's ad load"
    chart: alt.TopLevelMixin
    data: pl.DataFrame  # the aggregated table behind the chart (the download)
    alt_text: str  # text alternative: what the chart shows and its finding, in one or two sentences
    n: int  # units the chart rests on (notes, accounts, creators …)
    n_unit: str  # what n counts, e.g. "notes"
    source: str  # data set ids / citations, human-readable
    claims: tuple[str, ...] = ()  # ledger ids this figure backs, e.g. ("T3", "M3")
    illustrative: bool = False  # true when drawn from the synthetic sample
    notes: tuple[str, ...] = field(default_factory=tuple)  # caveats shown under the chart

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", self.id):
            raise ValueError(f"figure id {self.id!r} must be a lowercase slug (a-z, 0-9, -)")
        if self.data.height > MAX_FIGURE_ROWS:
            raise ValueError(
                f"figure {self.id!r} carries {self.data.height} rows; aggregate in polars first "
                f"(limit {MAX_FIGURE_ROWS}) — raw rows never go into a chart"
            )
