"""Specification of analysis.measures.words: counts, top terms, Monroe et al. keyness."""

import math

import polars as pl
import pytest

from analysis.measures import words
from tests.canonical_rows import notes_frame


def _counts(rows):
    return pl.DataFrame(rows, schema=["group", "term", "count"], orient="row").with_columns(
        pl.lit(1, dtype=pl.Int64).alias("docs"), pl.lit(1, dtype=pl.Int64).alias("n_docs"))


def test__term_counts__counts_uses_and_texts_without_stop_words_and_hashtags():
    notes = notes_frame([
        {"title": "hello hello friends", "text": "the friends #ignored"},
        {"title": "hello", "text": "你好朋友", "dataset": "other"},
    ])
    counts = words.term_counts(words.tokenise(notes), "dataset", stopwords=frozenset({"the"}))
    got = {(g, t): (c, d) for g, t, c, d, _ in counts.rows()}
    assert got[("tiktokrefugee-posts", "hello")] == (2, 1)
    assert got[("tiktokrefugee-posts", "friends")] == (2, 1)
    assert ("tiktokrefugee-posts", "the") not in got
    assert ("tiktokrefugee-posts", "ignored") not in got  # a hashtag, not the author's words
    assert got[("other", "你好")] == (1, 1)
    assert got[("other", "朋友")] == (1, 1)


def test__top_terms__ranks_by_count_then_alphabetically_per_group():
    counts = _counts([("a", "x", 3), ("a", "y", 3), ("a", "z", 1), ("b", "z", 5)])
    top = words.top_terms(counts, k=2)
    assert top.select("group", "rank", "term").rows() == [("a", 1, "x"), ("a", 2, "y"), ("b", 1, "z")]


def test__keyness__matches_the_hand_computed_log_odds():
    # a: x=3, y=1; b: x=1, y=3; prior_size 8 at pooled rates (1/2 each) gives α = 4 per term.
    # δ_x = log(7/5) − log(5/7) = 2·log 1.4; σ² = 1/7 + 1/5; z = δ/σ = 1.1492
    counts = _counts([("a", "x", 3), ("a", "y", 1), ("b", "x", 1), ("b", "y", 3)])
    key = words.keyness(counts, "a", "b", prior_size=8)
    x = key.filter(pl.col("term") == "x").row(0, named=True)
    assert x["delta"] == pytest.approx(2 * math.log(1.4))
    assert x["z"] == pytest.approx(2 * math.log(1.4) / math.sqrt(1 / 7 + 1 / 5))
    assert x["key_for"] is None  # |z| = 1.15 < 1.96
    y = key.filter(pl.col("term") == "y").row(0, named=True)
    assert y["z"] == pytest.approx(-x["z"])


def test__keyness__names_the_group_a_term_is_key_for_beyond_the_threshold():
    counts = _counts([("a", "x", 300), ("a", "y", 100), ("b", "x", 100), ("b", "y", 300)])
    key = words.keyness(counts, "a", "b", prior_size=8)
    assert dict(key.select("term", "key_for").rows()) == {"x": "a", "y": "b"}
    top = words.top_key_terms(key, k=1)
    assert top.select("side", "term").rows() == [("a", "x"), ("b", "y")]


def test__keyness__says_which_group_has_no_texts():
    with pytest.raises(ValueError, match=r"\['c'\]"):
        words.keyness(_counts([("a", "x", 1), ("b", "x", 1)]), "a", "c")
