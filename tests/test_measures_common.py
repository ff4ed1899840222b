"""The lexicon text of a note is normalised once per frame (measures/common.py)."""

from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal

from analysis.measures import culture
from analysis.measures.common import NOTE_TEXT, lexicon_text, note_text, with_note_text


def _notes() -> pl.DataFrame:
    return pl.DataFrame({
        "dataset": ["d", "d", "d"], "note_id": ["a", "b", "c"],
        "published_at": [None, None, None],
        "title": ["Cat TAX[赞R]", None, "Ｃａｔ　ｔａｘ please"], "text": ["my cat", "I am a spy", None],
        "tags": [["cattax"], None, []],
    }, schema_overrides={"published_at": pl.Datetime("us", "UTC")})


def test__with_note_text__adds_note_text_once_and_keeps_an_existing_column():
    notes = with_note_text(_notes())
    assert notes[NOTE_TEXT].to_list() == ["cat tax my cat cattax", "i am a spy", "cat tax please"]
    assert with_note_text(notes) is notes


def test__lexicon_text__reads_the_precomputed_column_when_present():
    notes = _notes()
    assert str(lexicon_text(notes)) == str(note_text())
    # A planted value proves the matcher reads the column rather than recomputing it.
    planted = notes.with_columns(pl.lit("nothing here").alias(NOTE_TEXT))
    assert not culture.flag_notes(planted, "memes").collect()["cat_tax"].any()


def test__flag_notes__same_flags_with_and_without_the_precomputed_text():
    for name in ("memes", "welcome", "cross_border"):
        assert_frame_equal(culture.flag_notes(_notes(), name).collect().to_native(),
                           culture.flag_notes(with_note_text(_notes()), name).collect().to_native())
