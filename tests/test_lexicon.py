"""The shared lexicon matcher: whole words, Chinese substrings, mixed-script boundaries."""

import polars as pl
import pytest

from analysis.measures.common import NOTE_TEXT, with_note_text
from analysis.text import lexicon as lex_mod
from analysis.text.lexicon import (
    MARK,
    LexiconError,
    category_patterns,
    load_lexicon,
    matched_terms,
    select_flags,
)

LEX = pl.DataFrame(
    {
        "category": ["ad", "ad", "shop", "cat"],
        "term": ["ad", "广告", "costco", "cat tax"],
        "lang": ["en", "zh", "en", "en"],
        "match": ["word", "substring", "word", "word"],
    }
)


def _flags(texts):
    return select_flags(pl.DataFrame({"t": texts}, schema={"t": pl.String}), pl.col("t"), LEX)


def test__flags__whole_words_only():
    assert _flags(["a bad day", "#AD here", "adverb"])["ad"].to_list() == [False, True, False]


def test__flags__chinese_substring_and_null_is_false():
    assert _flags(["这是广告", None])["ad"].to_list() == [True, False]


def test__flags__english_word_inside_chinese_text_matches():
    # Chinese characters are word boundaries for English terms.
    assert _flags(["在Costco经常买", "costcoish"])["shop"].to_list() == [True, False]


def test__flags__case_insensitive_phrase():
    assert _flags(["Cat Tax!", "cattax"])["cat"].to_list() == [True, False]


def _by_regex(frame: pl.DataFrame, text: str, lexicon: pl.DataFrame) -> pl.DataFrame:
    """The independent reference: one case-insensitive regex per category."""
    return frame.select(pl.col(text).str.contains(p).fill_null(False).alias(c)
                        for c, p in category_patterns(lexicon).items())


TRICKY = pl.DataFrame({
    "category": ["bad", "adge", "word", "word", "dash", "hash", "accent", "regex", "zh", "phrase"],
    "term": ["bad", "adge", "ad", "7-eleven", "-e", "#ad", "café", r"top\s*\d+", "广告", "luckin coffee"],
    "lang": "en",
    "match": ["substring", "substring", "word", "word", "substring", "word", "substring", "regex", "substring", "word"],
})
TRICKY_TEXTS = ["badge", "ad ad", "Ad,ad", "7-Eleven!", "7-elevens", "a-e", "#ad", "x#ad", "CAFÉ", "Café",
                "top 10", "这是广告ad", "广告", "LUCKIN  COFFEE", "luckin coffee!", "luckin—coffee",
                f"a{MARK}d", f"{MARK}ad{MARK}", "Kd", "", None, "ſ7-eleven", "ad_x", "ad9"]


@pytest.fixture
def lexicon_dir(tmp_path, monkeypatch):
    """A lexicon folder of our own, as data/lexicons: write <name>.csv files into it."""
    monkeypatch.setattr(lex_mod.config, "LEXICON_DIR", tmp_path)
    return tmp_path


def _one_pass(frame: pl.DataFrame, lexicon_dir, lexicons: dict[str, pl.DataFrame], lowercased=False):
    for name, lexicon in lexicons.items():
        lexicon.write_csv(lexicon_dir / f"{name}.csv")
    marked = lex_mod.with_masks(frame, "t", lowercased=lowercased)
    assert "t__lexicon_mask0" in marked.columns  # the one-pass path, not the regex fallback
    return {name: select_flags(marked, pl.col("t"), load_lexicon(name)) for name in lexicons}


def test__one_pass__flags_equal_one_regex_per_category_on_edge_texts(lexicon_dir):
    # Overlapping terms of two categories (badge), repeated and adjacent words, inner
    # punctuation, terms only a regex can match (#ad, café, regexes), the boundary mark
    # itself in the text, Kelvin sign and long s, empty and null text.
    frame = pl.DataFrame({"t": TRICKY_TEXTS}, schema={"t": pl.String})
    got = _one_pass(frame, lexicon_dir, {"tricky": TRICKY, "zh_only": TRICKY.filter(pl.col("category") == "zh")})
    assert got["tricky"].equals(_by_regex(frame, "t", TRICKY))
    assert got["zh_only"]["zh"].to_list() == _by_regex(frame, "t", TRICKY)["zh"].to_list()


def test__one_pass__lowercased_text_skips_case_folding_with_the_same_flags(lexicon_dir):
    frame = pl.DataFrame({"t": [t.lower() if t else t for t in TRICKY_TEXTS]}, schema={"t": pl.String})
    got = _one_pass(frame, lexicon_dir, {"tricky": TRICKY}, lowercased=True)
    assert got["tricky"].equals(_by_regex(frame, "t", TRICKY))


def test__one_pass__more_than_64_categories_use_several_masks(lexicon_dir):
    many = pl.DataFrame({"category": [f"c{i}" for i in range(150)], "term": [f"w{i}" for i in range(150)],
                         "lang": "en", "match": "word"})
    frame = pl.DataFrame({"t": ["w0 w149", "w64 w65x", "w127", None]})
    got = _one_pass(frame, lexicon_dir, {"many": many})["many"]
    assert got.equals(_by_regex(frame, "t", many))
    assert [c for c in got.columns if got[c].any()] == ["c0", "c64", "c127", "c149"]


def test__flags__without_masks_are_the_per_category_regexes():
    frame = pl.DataFrame({"t": TRICKY_TEXTS}, schema={"t": pl.String})
    assert select_flags(frame, pl.col("t"), TRICKY).equals(_by_regex(frame, "t", TRICKY))


def test__flags__on_a_derived_text_equal_the_flags_on_that_text_as_a_column():
    # The derived text is computed once into a scratch column, which must not replace a
    # user's column of the same name nor stay behind.
    frame = pl.DataFrame({"t": TRICKY_TEXTS, "__lexicon_text": range(len(TRICKY_TEXTS))},
                         schema={"t": pl.String, "__lexicon_text": pl.Int64})
    derived = pl.col("t").str.to_uppercase()
    got = lex_mod.with_flags(frame, derived, TRICKY)
    assert got.columns == [*frame.columns, *category_patterns(TRICKY)]
    assert got["__lexicon_text"].equals(frame["__lexicon_text"])
    on_column = frame.with_columns(derived.alias("u"))
    assert got.drop(frame.columns).equals(_by_regex(on_column, "u", TRICKY))


def test__one_pass__precomputed_masks_serve_every_lexicon_file():
    # with_note_text matches every lexicon file once; flags read from those masks equal
    # the flags matched afresh and the per-category regexes.
    notes = pl.DataFrame({"title": [*TRICKY_TEXTS[:-1], "在Costco经常买 luckin coffee 翻译软件"], "text": "",
                          "tags": [["tiktok"]] * len(TRICKY_TEXTS)})
    marked = with_note_text(notes)
    assert any(c.startswith(f"{NOTE_TEXT}__lexicon_mask") for c in marked.columns)
    for name in ("brands", "translation", "topics", "ads"):
        lexicon = load_lexicon(name)
        from_masks = select_flags(marked, pl.col(NOTE_TEXT), lexicon)
        afresh = select_flags(marked.select(NOTE_TEXT), pl.col(NOTE_TEXT), lexicon)
        assert from_masks.equals(afresh) and from_masks.equals(_by_regex(marked, NOTE_TEXT, lexicon)), name
        assert from_masks.select(pl.any_horizontal(pl.all())).to_series().any(), name


def test__one_pass__equals_one_regex_per_category_on_every_real_note(real_bundle):
    notes = with_note_text(real_bundle.notes)
    raw = lex_mod.with_masks(notes.select(
        pl.concat_str([pl.col("title").fill_null(""), pl.col("text").fill_null("")], separator="\n").alias("raw")), "raw")
    for path in sorted(lex_mod.config.LEXICON_DIR.glob("*.csv")):
        lexicon = load_lexicon(path.stem)
        got = select_flags(notes, pl.col(NOTE_TEXT), lexicon)
        assert got.equals(_by_regex(notes, NOTE_TEXT, lexicon)), path.stem
        assert got.select(pl.any_horizontal(pl.all())).to_series().sum() > 0 or path.stem == "age_cohorts", path.stem
        # Raw (not normalised) text: case, Unicode and the Kelvin fold as the regex sees them.
        assert select_flags(raw, pl.col("raw"), lexicon).equals(_by_regex(raw, "raw", lexicon)), path.stem


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
