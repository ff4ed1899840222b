"""Specification of analysis/text/labels.py."""

from __future__ import annotations

import polars as pl
import pytest

from analysis.text.labels import LabelFileError, read_labels

COLS = {"note_id": pl.String(), "label": pl.String()}


def test__read_labels__returns_the_declared_columns(tmp_path):
    (tmp_path / "x.csv").write_text("note_id,label,extra\na,yes,1\nb,no,2\n", encoding="utf-8")
    got = read_labels("x", COLS, {"label": ("yes", "no")}, folder=tmp_path)
    assert got.to_dict(as_series=False) == {"note_id": ["a", "b"], "label": ["yes", "no"]}


def test__read_labels__names_file_row_and_column_of_a_bad_value(tmp_path):
    (tmp_path / "x.csv").write_text("note_id,label\na,yes\nb,maybe\n", encoding="utf-8")
    with pytest.raises(LabelFileError, match=r"x\.csv, row 3, column label: 'maybe'"):
        read_labels("x", COLS, {"label": ("yes", "no")}, folder=tmp_path)


def test__read_labels__missing_file_says_where_labels_live(tmp_path):
    with pytest.raises(LabelFileError, match="no such label file"):
        read_labels("nope", COLS, {}, folder=tmp_path)
