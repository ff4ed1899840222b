"""Per-note language: ``english``, ``chinese``, ``bilingual`` or ``other``. Offline.

Script decides first, vectorised: Han characters against Latin words in the author's
own running text (title + body without hashtags, URLs, @mentions, sticker codes, and
without Latin loanwords Chinese notes use as Chinese, data/lexicons/loanwords.csv).

    bilingual  ≥ 4 Han characters and ≥ 3 English-candidate Latin words including at
               least one English function word (data/lexicons/function_words.csv), and
               the smaller language is ≥ 20% of the words (Han characters / 1.5 ≈
               Chinese words): a phrase in each, not a lone 你好, a brand name, an
               address, or the English nouns Chinese-American creators sprinkle
               through Chinese notes
    other      kana/hangul/Cyrillic/… letters outnumber Han and Latin letters, or no
               letters at all (emoji-, hashtag-only or empty notes)
    chinese    ≥ 2 Han characters, not bilingual, and at least as many Chinese words
               as English-candidate Latin words
    (Latin)    otherwise the note is Latin-script, and script cannot tell English from
               Spanish or French: only these notes go to lingua, restricted to a few
               Latin-script languages (lingua with all 75 languages is slow), batched
               with ``compute_language_confidence_values_in_parallel``. A note is
               ``other`` only if lingua's top language is not English with confidence
               ≥ 0.5 and the note has ≥ 3 words: on one- or two-word texts ("TikTok
               refugee", "Lmaooo") lingua guesses German or Tagalog, and the prior for
               a Latin-script note on these accounts is English.

Bilingual means English + Chinese; a Spanish + Chinese note (none seen so far) would
count as bilingual too. Accuracy on hand-labelled real notes is measured by
``analysis.measures.language.langid_accuracy``.
"""

from __future__ import annotations

from functools import cache

import polars as pl

from analysis.text import lexicon
from analysis.text.normalise import post_text, strip_markup

LANGUAGES = ("english", "chinese", "bilingual", "other")
MIN_HAN_BILINGUAL = 4
MIN_EN_WORDS_BILINGUAL = 3
MIN_HAN_CHINESE = 2
MIN_MINORITY_SHARE = 0.2
HAN_PER_WORD = 1.5  # Chinese words average about 1.5 characters
MIN_OTHER_CONFIDENCE = 0.5
MIN_WORDS_OTHER = 3

_OTHER_LETTERS = r"[\p{L}&&[^\p{Han}\p{Latin}]]"
_LINGUA_LANGUAGES = ("ENGLISH", "SPANISH", "FRENCH", "GERMAN", "PORTUGUESE", "ITALIAN", "DUTCH", "TAGALOG", "VIETNAMESE")

LANGID_SCHEMA = {
    "dataset": pl.String(), "note_id": pl.String(), "language": pl.String(), "method": pl.String(),
    "han_chars": pl.Int64(), "en_words": pl.Int64(),
}


def script_features(frame: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame | pl.LazyFrame:
    """Adds ``_own`` (author's running text), ``han_chars``, ``latin_letters``, ``en_words``,
    ``other_letters`` and the script-only decision ``script_language`` (null = ask lingua)."""
    loan = lexicon.category_patterns(lexicon.load_lexicon("loanwords"))["loanword"]
    function_word = lexicon.category_patterns(lexicon.load_lexicon("function_words"))["function_word"]
    own = strip_markup(post_text("title", "text"))
    han = pl.col("_own").str.count_matches(r"\p{Han}").cast(pl.Int64)
    latin_letters = pl.col("_own").str.count_matches(r"\p{Latin}").cast(pl.Int64)
    en_words = pl.col("_own").str.replace_all(loan, " ").str.count_matches(r"\p{Latin}+").cast(pl.Int64)
    other = pl.col("_own").str.count_matches(_OTHER_LETTERS).cast(pl.Int64)
    has_function_word = pl.col("_own").str.contains(function_word)
    zh_words = pl.col("han_chars") / HAN_PER_WORD
    en_share = pl.col("en_words") / (pl.col("en_words") + zh_words)
    minority = pl.min_horizontal(en_share, 1 - en_share)
    decided = (
        pl.when((pl.col("han_chars") + pl.col("latin_letters") + pl.col("other_letters")) == 0)
        .then(pl.lit("other"))
        .when(pl.col("other_letters") > pl.max_horizontal("han_chars", "latin_letters"))
        .then(pl.lit("other"))
        .when((pl.col("han_chars") >= MIN_HAN_BILINGUAL) & (pl.col("en_words") >= MIN_EN_WORDS_BILINGUAL)
              & (minority >= MIN_MINORITY_SHARE) & has_function_word)
        .then(pl.lit("bilingual"))
        .when((pl.col("han_chars") >= MIN_HAN_CHINESE) & (zh_words >= pl.col("en_words")))
        .then(pl.lit("chinese"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    return (
        frame.with_columns(own.alias("_own"))
        .with_columns(han.alias("han_chars"), latin_letters.alias("latin_letters"),
                      en_words.alias("en_words"), other.alias("other_letters"))
        .with_columns(decided.alias("script_language"))
    )


@cache
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(*(getattr(Language, n) for n in _LINGUA_LANGUAGES)).build()


def detect_latin(texts: list[str]) -> list[str]:
    """``english`` or ``other`` for Latin-script texts, one batched lingua call."""
    if not texts:
        return []
    from lingua import Language

    ranked = _detector().compute_language_confidence_values_in_parallel(texts)
    return [
        "other" if (r and r[0].language != Language.ENGLISH and r[0].value >= MIN_OTHER_CONFIDENCE
                    and len(t.split()) >= MIN_WORDS_OTHER) else "english"
        for t, r in zip(texts, ranked, strict=True)
    ]


def identify(notes: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """One row per note keyed by (dataset, note_id): ``language`` and how it was decided.

    ``notes`` needs dataset, note_id, title, text (the canonical notes table has them).
    ``method`` is ``script`` or ``lingua``; ``han_chars`` and ``en_words`` are kept so a
    reader can see why a note got its label.
    """
    feats = script_features(notes.lazy().select("dataset", "note_id", "title", "text")).collect()
    ambiguous = feats.filter(pl.col("script_language").is_null())
    # Only the Latin part goes to lingua: a stray Han character says nothing about Spanish vs English.
    latin_text = ambiguous.select(pl.col("_own").str.replace_all(r"\p{Han}", " ").str.strip_chars())
    detected = pl.Series("lingua_language", detect_latin(latin_text.to_series().to_list()), dtype=pl.String)
    lingua = ambiguous.select("dataset", "note_id").with_columns(detected)
    return (
        feats.join(lingua, on=["dataset", "note_id"], how="left", validate="1:1")
        .select(
            "dataset", "note_id",
            pl.coalesce("script_language", "lingua_language").alias("language"),
            pl.when(pl.col("script_language").is_null()).then(pl.lit("lingua")).otherwise(pl.lit("script")).alias("method"),
            "han_chars", "en_words",
        )
        .cast(LANGID_SCHEMA)
    )
