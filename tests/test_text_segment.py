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
