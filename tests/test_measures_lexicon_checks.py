"""Specification of analysis/text/lexicon_checks.py, and the lexicons' precision on real notes."""

from __future__ import annotations

import polars as pl
import pytest
from canonical_rows import notes_frame

from analysis.measures.lexicon_checks import lexicon_precision, precision_of
from analysis.results import pick
from analysis.text import lexicon

REF = "tiktokrefugee-posts"


def _checks(rows: list[tuple[str, str, str, bool]]) -> pl.DataFrame:
    return pl.DataFrame(
        [{"dataset": REF, "note_id": i, "lexicon": lx, "category": c, "label": lab, "batch": 1}
         for i, lx, c, lab in rows],
        schema={"dataset": pl.String, "note_id": pl.String, "lexicon": pl.String, "category": pl.String,
                "label": pl.Boolean, "batch": pl.Int64},
    )


def test__lexicon_precision__precision_of_matches_and_miss_rate_of_the_rest():
    notes = notes_frame([
        {"note_id": "a", "text": "where is my Chinese spy"},
        {"note_id": "b", "text": "reading a spy novel"},
        {"note_id": "c", "text": "my assigned agent misses me"},
        {"note_id": "d", "text": "hello"},
    ])
    checks = _checks([("a", "memes", "spy", True), ("b", "memes", "spy", False),
                      ("c", "memes", "spy", True), ("d", "memes", "spy", False)])
    got = lexicon_precision(notes, checks)
    prec = pick(got, "lexicon_precision", "memes: spy")
    assert (prec["estimate"], prec["n"]) == (0.5, 2)
    miss = pick(got, "lexicon_miss_rate", "memes: spy")
    assert (miss["estimate"], miss["n"]) == (0.5, 2)
    assert precision_of(got, "memes", "spy") == 0.5
    assert precision_of(got, "memes", "cat_tax") is None


def test__lexicon_precision__union_categories_match_any_member():
    notes = notes_frame([{"note_id": "a", "text": "I use DeepL"}, {"note_id": "b", "text": "I can't read Chinese"}])
    got = lexicon_precision(notes, _checks([("a", "translation", "mentions", True),
                                            ("b", "translation", "mentions", True)]))
    assert pick(got, "lexicon_precision", "translation: mentions")["estimate"] == 1.0


def test__lexicon_precision__unknown_category_names_the_label_file():
    notes = notes_frame([{"note_id": "a", "text": "x"}])
    with pytest.raises(lexicon.LexiconError, match=r"lexicon_checks\.csv names category 'ufo'"):
        lexicon_precision(notes, _checks([("a", "memes", "ufo", True)]))


#: Floors from the labelled real notes (data/labels/lexicon_checks.md): a lexicon edit
#: that lowers precision below them fails here.
FLOORS = {"translation: mentions": 0.9, "welcome: positive": 0.9, "memes: spy": 0.8, "topics: review": 0.9,
          "topics: travel": 0.75, "age_cohorts: gen_z": 0.9}


def test__lexicon_precision__real_notes_meet_the_floors(real_bundle):
    got = lexicon_precision(real_bundle.notes)
    assert got.filter(pl.col("measure") == "lexicon_precision")["n"].sum() >= 150
    for group, floor in FLOORS.items():
        assert pick(got, "lexicon_precision", group)["estimate"] >= floor, group
    # The revised welcome lexicon misses few positive posts among labelled unmatched ones.
    assert pick(got, "lexicon_miss_rate", "welcome: positive")["estimate"] <= 0.1
