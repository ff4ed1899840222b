"""Specification of the shared chart helpers in analysis.figures.base."""

from __future__ import annotations

from datetime import date

import altair as alt
import polars as pl
import pytest

from analysis.figures.base import FigureInputError, stagger, too_few, too_few_marks
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
