"""Specification of the shared chart helpers in analysis.figures.base."""

from __future__ import annotations

from datetime import date

import altair as alt
import polars as pl
import pytest

from analysis.claims.evidence import CLAIMS
from analysis.figures import commerce, culture, explore, methods, politics, tech
from analysis.figures.base import Facts, FigureInputError, finish, stagger, too_few, too_few_marks
from analysis.stats import MIN_N


def _groups() -> pl.DataFrame:
    return pl.DataFrame({"label": ["a", "b", "c", "d", "e"], "n": [1, 2, MIN_N, None, 45],
                         "estimate": [9.0, 8.0, 1.0, 0.5, 2.0]})


def test__too_few__keeps_groups_at_or_over_min_n_and_published_rows_without_n():
    shown, note = too_few(_groups(), "n")
    assert shown["label"].to_list() == ["c", "d", "e"]
    assert note == ("Not plotted, fewer than 30 each — a: too few (n = 1); b: too few (n = 2).",)


def test__too_few__says_nothing_when_every_group_is_large_enough():
    shown, note = too_few(_groups().filter(pl.col("label") != "a"), "n", min_n=2)
    assert shown["label"].to_list() == ["b", "c", "d", "e"] and note == ()


def test__too_few__names_a_missing_column():
    with pytest.raises(FigureInputError, match="no column 'posts'"):
        too_few(_groups(), "posts")


def test__too_few_marks__writes_too_few_on_each_held_back_row():
    layer = too_few_marks(_groups(), "n", alt.Y("label:N")).to_dict()
    rows = next(iter(layer["datasets"].values()))
    assert [(r["label"], r["too_few"]) for r in rows] == [("a", "too few (n = 1)"), ("b", "too few (n = 2)")]
    assert layer["mark"]["type"] == "text" and layer["encoding"]["text"]["field"] == "too_few"


def test__stagger__cycles_label_heights_in_date_order():
    events = pl.DataFrame({"day": [date(2025, 1, d) for d in (20, 17, 19, 18, 10)]})
    out = stagger(events, "day", step=12, levels=3)
    # By date: 10, 17, 18, 19, 20 Jan → levels 0, 1, 2, 0, 1.
    assert out.select("day", "label_y").rows() == [
        (date(2025, 1, 10), 0), (date(2025, 1, 17), 12), (date(2025, 1, 18), 24), (date(2025, 1, 19), 0),
        (date(2025, 1, 20), 12)]


_TABLE = {
    "demo-bars": Facts(claims=("T3",), n_unit="notes", source="demo-set", height=220),
    "demo-panels": Facts(claims=("C1", "C2"), n_unit="posts"),
    "demo-family": Facts(claims=(), n_unit="texts", height=alt.Step(16)),
}


def _bars() -> tuple[alt.Chart, pl.DataFrame]:
    data = pl.DataFrame({"what": ["a", "b"], "k": [3, 5]})
    return alt.Chart(data).mark_bar().encode(x="k:Q", y="what:N"), data


def test__finish__fits_the_chart_to_the_page_at_the_tables_height_and_fills_in_the_fixed_facts():
    chart, data = _bars()
    fig = finish(_TABLE, "demo-bars", chart, data, title="T", alt_text="A", n=8, notes=("caveat",), illustrative=True)
    spec = fig.chart.to_dict()
    assert (spec["width"], spec["height"]) == ("container", 220)
    assert (fig.id, fig.claims, fig.n_unit, fig.source, fig.n) == ("demo-bars", ("T3",), "notes", "demo-set", 8)
    assert fig.notes == ("caveat",) and fig.illustrative and fig.data.equals(data)


def test__finish__takes_what_the_builder_computes_over_the_table():
    chart, data = _bars()
    fig = finish(_TABLE, "demo-bars", chart, data, title="T", alt_text="A", n=8, n_unit="labelled notes",
                 source="computed", height=300, claims=("M1",))
    assert (fig.n_unit, fig.source, fig.claims, fig.chart.to_dict()["height"]) == ("labelled notes", "computed", ("M1",), 300)


def test__finish__leaves_a_chart_that_sizes_itself_as_it_is():
    chart, data = _bars()
    fig = finish(_TABLE, "demo-panels", alt.vconcat(chart, chart), data, title="T", alt_text="A", n=2, source="s")
    spec = fig.chart.to_dict()
    assert "width" not in spec and "height" not in spec and fig.claims == ("C1", "C2")


def test__finish__names_a_figure_of_a_family_by_its_own_id():
    chart, data = _bars()
    fig = finish(_TABLE, "demo-family", chart, data, id="demo-family-english", title="T", alt_text="A", n=2, source="s")
    assert fig.id == "demo-family-english" and fig.chart.to_dict()["height"] == {"step": 16}


def test__finish__says_which_fact_a_figure_lacks():
    chart, data = _bars()
    with pytest.raises(ValueError, match="'demo-panels' has no source"):
        finish(_TABLE, "demo-panels", chart, data, title="T", alt_text="A", n=2)
    with pytest.raises(KeyError):
        finish(_TABLE, "demo-unknown", chart, data, title="T", alt_text="A", n=2, source="s")


@pytest.mark.parametrize("section", [commerce, culture, explore, methods, politics, tech], ids=lambda m: m.__name__)
def test__each_sections_figures_back_only_claims_of_the_ledger(section):
    unknown = {fid: set(f.claims) - set(CLAIMS) for fid, f in section.FIGURES.items() if set(f.claims) - set(CLAIMS)}
    assert section.FIGURES and unknown == {}
