"""Specification of analysis/text/normalise.py."""

from __future__ import annotations

import polars as pl
from polars.testing import assert_series_equal

from analysis.text.normalise import for_matching, normalise, post_text, strip_markup


def _run(expr, values):
    return pl.DataFrame({"t": values}, schema={"t": pl.String}).select(expr.alias("t")).to_series()


def test__normalise__nfkc_stickers_and_whitespace():
    got = _run(normalise(pl.col("t")), ["ＡＢＣ  你好[笑哭R]\n[话题]", None, "  x "])
    assert_series_equal(got, pl.Series("t", ["ABC 你好", "", "x"]))


def test__for_matching__lower_cases_after_normalising():
    got = _run(for_matching(pl.col("t")), ["Ｃａｔ TAX[赞R]"])
    assert_series_equal(got, pl.Series("t", ["cat tax"]))


def test__strip_markup__removes_rednote_and_plain_hashtags_urls_mentions():
    got = _run(strip_markup(pl.col("t")), [
        "hello #小红书[话题]# #抖音难民[话题]# world",
        "see https://x.com/a @Some One #fyp now",
        "#Chinese New Year[话题]# 快乐",
    ])
    assert_series_equal(got, pl.Series("t", ["hello world", "see One now", "快乐"]))


def test__post_text__joins_title_and_text_and_tolerates_nulls():
    frame = pl.DataFrame({"title": ["A", None, None], "text": ["b", "c", None]})
    got = frame.select(post_text().alias("t")).to_series()
    assert_series_equal(got, pl.Series("t", ["A\nb", "\nc", "\n"]))


def test__normalise__works_on_lazy_frames():
    got = pl.LazyFrame({"t": ["Ｘ[哇R]"]}).select(normalise(pl.col("t"))).collect().to_series()
    assert got.to_list() == ["X"]


# Cuts next to characters that compose or reorder under NFKC: a combining mark, a Hangul
# vowel jamo and a second mark right after removed markup.
_CUT_EDGES = [
    "#tag#\u0301 e", "e@user\u0301", "가 #x#\u1161", "https://a.b/\u0327\u0301 c", "[笑哭R]\u0308a",
    "Å #t# A\u030a", "ｶﾞ #x ﾞ", "\u1100 #t# \u1161\u11a8", "x\u0301[话题]\u0327",
]


def test__strip_markup__output_is_already_nfkc(real_bundle):
    """strip_markup normalises once; what its cuts leave must not change under NFKC again."""
    texts = real_bundle.notes.select(post_text().alias("t"))["t"].to_list() + _CUT_EDGES
    got = _run(strip_markup(pl.col("t")), texts)
    assert len(texts) > 15_000
    assert_series_equal(got.str.normalize("NFKC"), got)
