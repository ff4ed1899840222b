"""The shared lexicon matcher: whole words, Chinese substrings, mixed-script boundaries."""

import polars as pl
import pytest

from analysis.text.lexicon import LexiconError, flag_columns, load_lexicon, matched_terms

LEX = pl.DataFrame(
    {
        "category": ["ad", "ad", "shop", "cat"],
        "term": ["ad", "广告", "costco", "cat tax"],
        "lang": ["en", "zh", "en", "en"],
        "match": ["word", "substring", "word", "word"],
    }
)


def _flags(texts):
    return pl.DataFrame({"t": texts}).select(*flag_columns(pl.col("t"), LEX))


def test__flag_columns__whole_words_only():
    assert _flags(["a bad day", "#AD here", "adverb"])["ad"].to_list() == [False, True, False]


def test__flag_columns__chinese_substring_and_null_is_false():
    assert _flags(["这是广告", None])["ad"].to_list() == [True, False]


def test__flag_columns__english_word_inside_chinese_text_matches():
    # Chinese characters are word boundaries for English terms.
    assert _flags(["在Costco经常买", "costcoish"])["shop"].to_list() == [True, False]


def test__flag_columns__case_insensitive_phrase():
    assert _flags(["Cat Tax!", "cattax"])["cat"].to_list() == [True, False]


def test__matched_terms__lists_lowercased_matches():
    out = pl.DataFrame({"t": ["AD and 广告", "none"]}).select(matched_terms(pl.col("t"), LEX, "ad"))
    assert out["t"].to_list() == [["ad", "广告"], []]


def test__load_lexicon__bad_match_kind_names_file_and_row(tmp_path):
    (tmp_path / "x.csv").write_text("category,term,lang,match\nad,ad,en,word\nad,promo,en,fuzzy\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"x\.csv, row 3, column match: 'fuzzy'"):
        load_lexicon("x", tmp_path)


def test__load_lexicon__missing_file_says_where_lexicons_live(tmp_path):
    with pytest.raises(LexiconError, match="no such lexicon"):
        load_lexicon("nope", tmp_path)
