"""Specification of analysis/text/segment.py."""

from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal

from analysis.text import segment


def test__tokens__segments_chinese_and_drops_punctuation_and_numbers():
    frame = pl.DataFrame({"t": ["我喜欢小红书！2025", None, "Cat tax 猫税"]})
    got = frame.select(segment.tokens(pl.col("t"))).to_series().to_list()
    assert got[0] == ["我", "喜欢", "小红书"]
    assert got[1] == []
    assert "cat" in got[2] and "tax" in got[2]


def test__top_terms__counts_uses_and_documents_with_stopwords_removed():
    frame = pl.DataFrame({"t": ["喜欢 喜欢 小红书", "喜欢 美国", "美国 美国"]})
    got = segment.top_terms(frame, "t", k=2, stopwords=frozenset({"小红书"}))
    expected = pl.DataFrame({"term": ["喜欢", "美国"], "count": [3, 3], "docs": [2, 2]})
    assert_frame_equal(got, expected)


# --- Distinct blocks cut once: the same tokens as jieba on each whole text (issue 17) ------------

import pytest  # noqa: E402

EDGE_TEXTS = [
    "Hello, world! AT&T c++ 3.5% の東京 \r\n 㐀㐁 ok.",  # dictionary Latin words, kana, CJK extension A, CRLF
    "", "   ", "\r\n\r\r\n", "🐱🐱 cat tax", "ÉCOLE école naïve", "a.b.c--d__e", "我爱北京天安门，tiktok难民 welcome!!",
    "小红书上的美国人说：“我们是TikTok难民”", "#TikTokRefugee 🇺🇸➡️🇨🇳 hi 你好", "Привет мир 안녕하세요",
]


def _jieba_cut(texts: list[str]) -> list[list[str]]:
    jb = segment._jieba()
    return [jb.lcut(t) if t else [] for t in texts]


def test__cut__gives_jiebas_tokens_for_edge_texts():
    series = pl.Series("t", EDGE_TEXTS)
    assert segment._cut(series).to_list() == _jieba_cut(EDGE_TEXTS)


@pytest.mark.slow
def test__cut__gives_jiebas_tokens_on_every_real_note_and_comment(real_bundle):
    from analysis.measures.words import own_words

    notes = real_bundle.notes.select(own_words().fill_null("").alias("t"))["t"]
    comments = real_bundle.comments["text"].fill_null("").head(20_000)
    for series in (notes, comments):
        got = segment._cut(series).to_list()
        expected = _jieba_cut(series.to_list())
        wrong = [i for i, (g, e) in enumerate(zip(got, expected, strict=True)) if g != e]
        assert not wrong, f"{len(wrong)} texts differ, e.g. {series[wrong[0]]!r}: {got[wrong[0]]} vs {expected[wrong[0]]}"
