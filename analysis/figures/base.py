"""The ``Figure``: a chart together with everything a reader needs to trust it.

A figure builder takes *aggregated* tables (never raw notes) and returns a Figure;
``analysis.display.show.show`` renders it in JupyterLab and in the published
report, with the title stating the finding, a text alternative, n, the source and
licence, the claims it backs, and a download link carrying exactly ``data``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import altair as alt
import polars as pl

from analysis.measures.common import CREATORS, REFUGEE
from analysis.stats import MIN_N

#: Interval rules and fit lines: a mid grey that reads on the light and the dark theme alike
#: (black vanishes on the dark background).
INTERVAL_COLOR = "#8a8a8a"

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


@dataclass(frozen=True)
class Facts:
    """What a figure states whatever the data: the claims it backs, what its n counts, its
    source where the wording is fixed, and its height (None: the chart sizes itself, e.g.
    stacked panels or a height per row already set by a helper)."""

    claims: tuple[str, ...]
    n_unit: str | None = None
    source: str | None = None
    height: int | alt.Step | None = None


def finish(figures: Mapping[str, Facts], fid: str, chart: alt.TopLevelMixin, data: pl.DataFrame, *, title: str,
           alt_text: str, n: int, n_unit: str | None = None, source: str | None = None,
           height: int | alt.Step | None = None, claims: tuple[str, ...] | None = None, notes: tuple[str, ...] = (),
           illustrative: bool = False, id: str | None = None) -> Figure:
    """The Figure ``fid`` of a section's ``figures`` table: the chart fitted to the page width
    at the table's height (``height`` for one computed from the data) and the fixed facts
    filled in; the builder passes what it computes (and ``claims`` when they depend on the
    data). ``id`` names a figure of a family (``fid`` its table key) whose id depends on the data."""
    facts = figures[fid]
    n_unit, source, height = n_unit or facts.n_unit, source or facts.source, height or facts.height
    if n_unit is None or source is None:
        raise ValueError(f"figure {fid!r} has no {'n_unit' if n_unit is None else 'source'}: "
                         "give it in the section's FIGURES table or in the call")
    if height is not None:
        chart = chart.properties(width="container", height=height)
    return Figure(id=id or fid, title=title, chart=chart, data=data, alt_text=alt_text, n=n, n_unit=n_unit,
                  source=source, claims=facts.claims if claims is None else claims, illustrative=illustrative,
                  notes=notes)


#: The weeks the ban's events fall in: a longer export (a creator's whole history) is shown
#: over this window only, so the chart stays about the migration and small enough to embed.
MIGRATION_WINDOW = (date(2024, 12, 15), date(2025, 3, 31))
MAX_DAILY_ROWS = 180


def migration_window(daily: pl.DataFrame, weekly: list[pl.Expr]) -> tuple[pl.DataFrame, tuple[str, ...]]:
    """A per-day table (a ``day`` column of dates, count columns) ready to chart: as it is
    when short; else its days inside MIGRATION_WINDOW or, when it has none there, the
    ``weekly`` aggregations per week — with a note saying what is shown."""
    if daily.height <= MAX_DAILY_ROWS:
        return daily, ()
    first, last = daily["day"].min(), daily["day"].max()
    inside = daily.filter(pl.col("day").is_between(*MIGRATION_WINDOW))
    if inside.height:
        return inside, (f"Shown: {MIGRATION_WINDOW[0]:%d %b %Y} – {MIGRATION_WINDOW[1]:%d %b %Y}; the data run from "
                        f"{first:%d %b %Y} to {last:%d %b %Y}.",)
    weekly = (
        daily.sort("day").group_by_dynamic("day", every="1w")
        .agg(*weekly)
    )
    return weekly, (f"No posts fall in the migration weeks; weekly totals from {first:%d %b %Y} to {last:%d %b %Y}.",)


def interval_dots(data: pl.DataFrame, x_title: str, fmt: str, *, color: str | None = None,
                  extra_tooltip: tuple[alt.Tooltip, ...] = ()) -> alt.LayerChart:
    """A dot per row of ``data`` (columns label, estimate, lo, hi, n) at its estimate with a
    rule across its interval, rows in ``data``'s order; ``color`` names a column to colour
    by (with a legend), otherwise intervals are grey. Fits a phone (width="container")."""
    base = alt.Chart(data).encode(y=alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=220)))
    tooltip = [alt.Tooltip("label:N", title="What"), alt.Tooltip("estimate:Q", title="Estimate", format=fmt),
               alt.Tooltip("lo:Q", title="95% lower", format=fmt), alt.Tooltip("hi:Q", title="95% upper", format=fmt),
               alt.Tooltip("n:Q", title="n"), *extra_tooltip]
    by = {"color": alt.Color(f"{color}:N", title=None, legend=alt.Legend(orient="bottom"))} if color else {}
    rule = base.mark_rule(strokeWidth=2, **({} if color else {"color": INTERVAL_COLOR}))
    return (
        rule.encode(x=alt.X("lo:Q", title=x_title, axis=alt.Axis(format=fmt)), x2="hi:Q", tooltip=tooltip, **by)
        + base.mark_point(filled=True, size=80).encode(x="estimate:Q", tooltip=tooltip, **by)
    ).properties(width="container", height=alt.Step(34))


def zoom_x() -> alt.Parameter:
    """Drag to pan and scroll to zoom along x (double-click resets): for long time series."""
    return alt.selection_interval(bind="scales", encodings=["x"])




def split_group(results: pl.DataFrame, what: str) -> pl.DataFrame:
    """``<dataset>: <what>`` groups of a result table as columns dataset, <what>, share, lo, hi, n."""
    return results.select(
        pl.col("group").str.split(": ").list.first().alias("dataset"),
        pl.col("group").str.split(": ").list.last().alias(what),
        pl.col("estimate").alias("share"), "lo", "hi", "n",
    ).with_columns(pl.col("dataset").replace_strict(DATASET_LABELS, default=pl.col("dataset")).alias("data_set"))


def cell(data: pl.DataFrame, dataset: str, col: str, value: str) -> dict | None:
    rows = data.filter((pl.col("dataset") == dataset) & (pl.col(col) == value))
    return rows.row(0, named=True) if rows.height else None


def interval_tooltips(fmt: str | None = None, lower: str = "95% lower", upper: str = "95% upper") -> list[alt.Tooltip]:
    """The tooltips of an interval's two ends (columns lo and hi)."""
    shown = {"format": fmt} if fmt else {}
    return [alt.Tooltip("lo:Q", title=lower, **shown), alt.Tooltip("hi:Q", title=upper, **shown)]


def interval_bars(base: alt.Chart, value: alt.X | alt.Y, tooltip: list, *, rule_tooltip: bool = True,
                  **encode) -> alt.LayerChart:
    """Bars to ``value`` (an alt.X, or an alt.Y for upright bars) with a grey rule across each
    row's lo–hi interval, hovering with ``tooltip`` (the rule too unless ``rule_tooltip`` is off)."""
    along = "y" if isinstance(value, alt.Y) else "x"
    on_rule = {"tooltip": tooltip} if rule_tooltip else {}
    return (
        base.mark_bar().encode(**{along: value}, tooltip=tooltip, **encode)
        + base.mark_rule(color=INTERVAL_COLOR).encode(**{along: "lo:Q", f"{along}2": "hi:Q"}, **on_rule)
    )


def bars_with_intervals(data: pl.DataFrame, y: str, order: list[str], x_title: str) -> alt.LayerChart:
    base = alt.Chart(data).encode(
        y=alt.Y(f"{y}:N", sort=order, title=None, axis=alt.Axis(labelLimit=240)), yOffset="data_set:N",
        color=alt.Color("data_set:N", title=None, legend=alt.Legend(orient="bottom")),
    )
    tooltip = [alt.Tooltip("data_set:N", title="Data set"), alt.Tooltip(f"{y}:N", title="What"),
               alt.Tooltip("share:Q", title="Share", format=".1%"), *interval_tooltips(".1%"),
               alt.Tooltip("n:Q", title="Notes")]
    return interval_bars(base, alt.X("share:Q", title=x_title, axis=alt.Axis(format="%")), tooltip).properties(
        width="container", height=alt.Step(16))


class FigureInputError(ValueError):
    """A figure was given a table without the rows it needs; the message names them."""

HAND_LABELLED = "hand-labelled-sample"
DATASET_LABELS = {REFUGEE: "#TikTokRefugee posts", CREATORS: "Chinese-American creators",
                  HAND_LABELLED: "#TikTokRefugee posts, random 200 read by hand"}
LANGUAGE_LABELS = {"english": "English", "chinese": "Chinese", "bilingual": "English + Chinese", "other": "other / no words"}
def get_row(results: pl.DataFrame, measure: str, group: str = "all") -> dict:
    rows = results.filter((pl.col("measure") == measure) & (pl.col("group") == group))
    if rows.height != 1:
        raise FigureInputError(f"results need one row of measure={measure!r}, group={group!r}; found {rows.height}")
    return rows.row(0, named=True)



@dataclass(frozen=True)
class Notice:
    """What stands in a figure's place when the build's data cannot draw it: a short
    styled note saying why (``kind`` "missing": what data it needs and how to get them;
    "too few": how many rows there are and how many it needs). Never an empty chart."""

    id: str  # the figure id it stands in for
    kind: str  # "missing" or "too few"
    message: str
    claims: tuple[str, ...] = ()


# --- Minimum n: a group with fewer units than stats.MIN_N is shown as "too few", not plotted.

def too_few(df: pl.DataFrame, n_col: str, min_n: int = MIN_N, *, label: str = "label") -> tuple[pl.DataFrame, tuple[str, ...]]:
    """The rows of ``df`` to plot (``n_col`` at least ``min_n``; a null n, e.g. a published
    figure, is kept) and a note naming each held-back group of column ``label`` as
    "too few (n = k)"."""
    for col in (n_col, label):
        if col not in df.columns:
            raise FigureInputError(f"too_few: the table has no column {col!r} (columns: {', '.join(df.columns)})")
    small = pl.col(n_col) < min_n
    held = df.filter(small)
    if held.is_empty():
        return df, ()
    listed = "; ".join(f"{g}: too few (n = {k})" for g, k in held.select(label, n_col).rows())
    return df.filter(small.not_() | pl.col(n_col).is_null()), (
        f"Not plotted, fewer than {min_n} each — {listed}.",)


def too_few_marks(df: pl.DataFrame, n_col: str, y: alt.Y, min_n: int = MIN_N) -> alt.Chart:
    """A text layer writing "too few (n = k)" at the left of each held-back group's row, so
    the group keeps its place on the ``y`` axis without a dot or bar that reads as a value."""
    held = df.filter(pl.col(n_col) < min_n).with_columns(
        pl.format("too few (n = {})", pl.col(n_col)).alias("too_few"))
    return alt.Chart(held).mark_text(align="left", baseline="middle", fontStyle="italic", dx=4).encode(
        x=alt.value(0), y=y, text="too_few:N")


def stagger(df: pl.DataFrame, date_col: str, step: int = 12, levels: int = 3) -> pl.DataFrame:
    """Adds ``label_y``: label rows in date order alternate between ``levels`` heights
    ``step`` px apart, so labels of events a few days apart do not land on each other."""
    return df.sort(date_col).with_columns(
        (pl.int_range(pl.len()) % levels * step).alias("label_y"))


#: Dated events (rules) and fitted lines: a mid red with at least 3:1 contrast on the light
#: page (white) and on the dark one (#15171a) alike, so neither theme has to lift it.
EVENT_COLOR = "#e45756"

#: Tick values for a 0–100% axis: Vega's default 5% steps collide ("95%100%") on a wide chart.
QUARTERS = [0, 0.25, 0.5, 0.75, 1]
