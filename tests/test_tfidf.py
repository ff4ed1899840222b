"""Specifications of analysis.text.tfidf: a fitted TfidfVectorizer's features built from
the texts' distinct whitespace chunks are the ones scikit-learn builds text by text."""

import numpy as np
import polars as pl
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from analysis.measures import clickbait as cb
from analysis.text import tfidf

# Chunk boundaries that could go wrong: separators Python splits on but \s does not
# (U+001C–U+001F), token-less chunks between words ("hello - world" still makes the
# bigram "hello world"), a chunk holding two tokens ("don't"), case that changes length
# (İ) or depends on position (final sigma), empty and blank texts.
EDGE_TEXTS = [
    "", "   ", "hello world", "hello - world", "hello\x1fworld", "hello\x1cworld again",
    "don't stop me now", "stop-me now!!", "ΟΔΟΣ οδος", "İSTANBUL istanbul", "a b c d",
    "x\u3000y z\xa0w", "café naïve cafe", "e\u0301 combining", "12 34 __ 5", "🙂 hello 🙂 world",
    "hello hello hello world world", "  leading and trailing  ", "tab\tand\nnewline here",
]


def _vectorizers():
    return [
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 6), sublinear_tf=True),
        TfidfVectorizer(ngram_range=(1, 1)),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), use_idf=False, norm="l1", lowercase=False),
    ]


def _assert_same_matrix(vec, texts: list[str]):
    expected = vec.transform(texts).tocsr()
    got = tfidf.transform(vec, pl.Series(texts, dtype=pl.String))
    assert got.shape == expected.shape
    assert (got != 0).nnz == (expected != 0).nnz
    assert abs(got - expected).max() <= 1e-12 if expected.nnz else got.nnz == 0


@pytest.mark.parametrize("index", range(4))
def test__transform__edge_texts_match_scikit_learn(index):
    vec = _vectorizers()[index].fit(EDGE_TEXTS)
    assert tfidf.supports(vec)
    _assert_same_matrix(vec, EDGE_TEXTS)


def test__transform__bigram_across_a_tokenless_chunk_is_counted():
    vec = TfidfVectorizer(ngram_range=(2, 2)).fit(["hello world"])
    x = tfidf.transform(vec, pl.Series(["hello - world", "hello", "world hello"]))
    assert x[:, vec.vocabulary_["hello world"]].toarray().ravel().tolist() == [1.0, 0.0, 0.0]


def test__transform__unsupported_settings_fall_back_to_scikit_learn():
    vec = TfidfVectorizer(stop_words=["the"], ngram_range=(1, 2)).fit(EDGE_TEXTS)
    assert not tfidf.supports(vec)
    assert not tfidf.supports(TfidfVectorizer(ngram_range=(1, 3)).fit(EDGE_TEXTS))
    _assert_same_matrix(vec, EDGE_TEXTS)


@pytest.fixture(scope="module")
def real_model(real_bundle):
    return cb.fit_clickbait_model(real_bundle.headlines)


@pytest.fixture(scope="module")
def real_texts(real_bundle) -> list[str]:
    """Every real title as the English model sees it, every raw title, and the benchmark headlines."""
    latin = cb._title_features(real_bundle.notes.select("title"))["_latin_part"]
    raw = real_bundle.notes["title"]
    heads = real_bundle.headlines["headline"]
    return pl.concat([latin, raw, heads]).drop_nulls().unique(maintain_order=True).to_list()


def test__transform__every_real_title_matches_the_clickbait_model(real_model, real_texts):
    assert len(real_texts) > 40_000
    for _, vec in real_model.pipeline.steps[0][1].transformer_list:
        assert tfidf.supports(vec)
        _assert_same_matrix(vec, real_texts)


def test__clickbait_scores_from_chunks_equal_the_pipeline(real_model, real_texts):
    texts = np.array(real_texts + EDGE_TEXTS, dtype=object)
    expected = real_model.pipeline.predict_proba(texts)[:, 1]
    got = cb._predict_batch(texts, real_model.pipeline)
    assert np.abs(got - expected).max() <= 1e-12
