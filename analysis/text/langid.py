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
               Spanish or French. Two cheap tiers decide most of them first: a text of
               fewer than ``MIN_WORDS_OTHER`` words is ``english`` (the rule below could
               not call it anything else), and so is one where ≥ ``MIN_EN_MARKERS``
               words, and ≥ ``MIN_EN_MARKER_SHARE`` of all words, are English function
               words that no other candidate language uses (``EN_ONLY_FUNCTION_WORDS``;
               on the 718 real Latin-script notes this tier decided 326, all of which
               lingua also called English). Only the rest go to lingua, restricted to a few
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

from analysis.memo import remembered
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
#: Function words of the function_words lexicon that are not also common words in the
#: other lingua candidates ("a", "in", "am", "so", "do", "will", "but", "or" … are dropped).
EN_ONLY_FUNCTION_WORDS = ("the", "and", "of", "to", "is", "are", "was", "you", "we", "they", "my", "your", "our",
                          "this", "that", "it", "here", "just", "not", "can", "have", "please", "what", "how",
                          "why", "with", "from", "for", "i'm", "im", "i’m")
MIN_EN_MARKERS = 2
MIN_EN_MARKER_SHARE = 0.1

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


_EN_MARKER = r"(?i)(?-u:\b)(?:" + "|".join(EN_ONLY_FUNCTION_WORDS) + r")(?-u:\b)"
#: Texts per lingua call: bounds the memory of one batch of confidence lists.
LINGUA_BATCH = 20_000


def english_by_rule(text: pl.Expr) -> pl.Expr:
    """True where a Latin-script text is English without asking lingua (see module docstring)."""
    words = text.str.count_matches(r"[^ ]+")  # the non-empty pieces between spaces
    markers = text.str.count_matches(_EN_MARKER)
    return (words < MIN_WORDS_OTHER) | ((markers >= MIN_EN_MARKERS) & (markers >= MIN_EN_MARKER_SHARE * words))


def detect_latin(texts: list[str]) -> list[str]:
    """``english`` or ``other`` for Latin-script texts, lingua in batches of ``LINGUA_BATCH``."""
    from lingua import Language

    out: list[str] = []
    for start in range(0, len(texts), LINGUA_BATCH):
        batch = texts[start:start + LINGUA_BATCH]
        ranked = _detector().compute_language_confidence_values_in_parallel(batch)
        out.extend(
            "other" if (r and r[0].language != Language.ENGLISH and r[0].value >= MIN_OTHER_CONFIDENCE
                        and len(t.split()) >= MIN_WORDS_OTHER) else "english"
            for t, r in zip(batch, ranked, strict=True)
        )
    return out


#: ``identify`` remembers this many answers (``analysis.memo``): a build asks for the same
#: notes' languages several times (language mix, translation, complaints, hashtags), and
#: each answer has a row per note, so memory stays bounded at 10M notes.
MEMO_SIZE = 2


def identify(notes: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """One row per note keyed by (dataset, note_id): ``language`` and how it was decided.

    ``notes`` needs dataset, note_id, title, text (the canonical notes table has them).
    ``method`` is ``script``, ``rule`` (the English function-word tier) or ``lingua``; ``han_chars`` and ``en_words`` are kept so a
    reader can see why a note got its label. Asking again for the same rows returns the
    remembered answer.
    """
    return _identify(notes.lazy().select("dataset", "note_id", "title", "text").collect())


@remembered(MEMO_SIZE)
def _identify(rows: pl.DataFrame) -> pl.DataFrame:
    # Rows are joined back by position, not by (dataset, note_id) strings.
    feats = script_features(rows.lazy().with_row_index("_row")).collect()
    # Only the Latin part is read: a stray Han character says nothing about Spanish vs English.
    ambiguous = (
        feats.filter(pl.col("script_language").is_null())
        .select("_row", pl.col("_own").str.replace_all(r"\p{Han}", " ").str.strip_chars().alias("_latin"))
        .with_columns(english_by_rule(pl.col("_latin")).alias("_by_rule"))
    )
    asked = ambiguous.filter(~pl.col("_by_rule"))
    # lingua reads each distinct text once (reposts and templates repeat them).
    distinct = asked.select(pl.col("_latin").unique())
    detected = distinct.with_columns(
        pl.Series("lingua_language", detect_latin(distinct["_latin"].to_list()), dtype=pl.String))
    latin = pl.concat([
        ambiguous.filter(pl.col("_by_rule")).select("_row", pl.lit("english").alias("lingua_language"),
                                                    pl.lit("rule").alias("_method")),
        asked.join(detected, on="_latin", how="left").select("_row", "lingua_language",
                                                             pl.lit("lingua").alias("_method")),
    ])
    return (
        feats.join(latin, on="_row", how="left", maintain_order="left")
        .select(
            "dataset", "note_id",
            pl.coalesce("script_language", "lingua_language").alias("language"),
            pl.coalesce("_method", pl.lit("script")).alias("method"),
            "han_chars", "en_words",
        )
        .cast(LANGID_SCHEMA)
    )
