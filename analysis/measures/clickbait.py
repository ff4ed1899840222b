"""A clickbait score in 0–1 for English, Chinese and bilingual titles.

English: a TF-IDF (word 1–2-grams + character 2–6-grams within word boundaries, both
sublinear, lower-cased) logistic regression trained on the labelled headline benchmark
(Chakraborty et al. 2016, the canonical ``headlines`` table) with a stratified 80/20
held-out split and a fixed seed. The score is the model's probability of clickbait.
The model scoring RedNote titles is the one trained on the 80% split, so the held-out
metrics describe exactly the model in use. Text is lower-cased on purpose: case alone
separates this corpus's sources (BuzzFeed Title Case vs. Guardian sentence case) to
~99.3% accuracy, a publisher-style shortcut that says nothing about social-media titles,
most of which are typed in lower case.

Chinese: there is no labelled Chinese clickbait corpus in the project, so a documented
lexicon (data/lexicons/clickbait_zh.csv) is combined by a noisy-OR,

    score = 1 − (1 − d) · Π_c (1 − w_c · hit_c)

with one fixed weight ``w_c`` per category (``ZH_WEIGHTS``, set before any RedNote
title was labelled and never tuned on the labels) and ``d`` the punctuation component:
``ZH_DENSITY_WEIGHT`` · min(1, 10 · (! and ? marks) / characters), so one "!" in a
ten-character title counts fully and in a forty-character title a quarter.

Language of a title comes from ``analysis.text.langid.script_features`` on the title
alone: ``bilingual`` as that module decides (an English phrase with a function word
beside a Chinese one); otherwise ``chinese`` if it has ≥ 2 Han characters, even when
Latin letters dominate (those are names: "Dallas Downtown居然可以吃到烤猪头"), else
``english`` if it has Latin letters. ``english`` → model; ``chinese`` → lexicon;
``bilingual`` → the larger of
the model's score on the title's Latin part and the lexicon score on the whole title
(a title is as clickbait as its most clickbait half: the conservative choice for the
claim "not clickbait"); a title with no letters (emoji only, empty) gets no score.
A title counts as clickbait when its score is ≥ ``THRESHOLD`` (0.5) in either language.
"""

from __future__ import annotations

import hashlib
import inspect
from dataclasses import dataclass

import numpy as np
import polars as pl

from analysis import config, parallel
from analysis.memo import remembered
from analysis.text import lexicon, tfidf
from analysis.text.langid import MIN_HAN_CHINESE
from analysis.text.normalise import normalise

#: Held-out split: share of the benchmark kept out of training, and the split's seed.
TEST_SIZE = 0.2
SEED = 20250113
#: Score at or above which a title counts as clickbait (both languages).
THRESHOLD = 0.5
#: Model settings. C=30 and char 2–6-grams were chosen on a validation split carved out
#: of the 80% training part (never the held-out 20%): 98.1% accuracy, ROC AUC 0.998.
MODEL_PARAMS: dict[str, object] = {
    "word_ngrams": (1, 2),
    "char_ngrams": (2, 6),
    "char_min_df": 1,
    "C": 30.0,
    "max_iter": 3000,
}
#: Noisy-OR weight of each Chinese lexicon category: how likely one hit alone makes a
#: title clickbait. A shock or curiosity-gap phrase alone crosses the threshold; a
#: superlative or a list count alone does not, two weak signals together do.
ZH_WEIGHTS: dict[str, float] = {
    "shock": 0.6,
    "curiosity_gap": 0.6,
    "urgency": 0.5,
    "bait_address": 0.4,
    "hype": 0.35,
    "listicle": 0.3,
}
ZH_DENSITY_WEIGHT = 0.3
#: Titles per model call: the sparse feature matrix of one batch (~100 n-grams a title,
#: ~150 MB) is all that is held.
SCORE_BATCH = 100_000
ZH_LEXICON = "clickbait_zh"

LANG_MODEL = {"english": "en", "chinese": "zh", "bilingual": "both"}
SCORE_SCHEMA = {
    "title_language": pl.String(), "score_en": pl.Float64(), "score_zh": pl.Float64(),
    "clickbait_score": pl.Float64(), "is_clickbait": pl.Boolean(),
}


class ClickbaitInputError(ValueError):
    """The headlines or titles given to the scorer cannot be used; the message says why."""


@dataclass(frozen=True)
class HeldOut:
    """Benchmark metrics of the English model on the held-out split."""

    accuracy: float
    f1: float
    roc_auc: float
    n_train: int
    n_test: int
    threshold: float = THRESHOLD


@dataclass(frozen=True)
class ClickbaitModel:
    """The fitted English pipeline, its held-out metrics and the key it is cached under."""

    pipeline: object
    held_out: HeldOut
    key: str
    held_out_scores: pl.DataFrame  # headline-level test split: is_clickbait, score


def check_headlines(headlines: pl.DataFrame) -> pl.DataFrame:
    missing = [c for c in ("headline", "is_clickbait") if c not in headlines.columns]
    if missing:
        raise ClickbaitInputError(
            f"headlines table lacks column(s) {missing}; pass the canonical `headlines` table "
            "(bundle.headlines) with columns headline, is_clickbait"
        )
    frame = headlines.select(pl.col("headline").cast(pl.String), pl.col("is_clickbait").cast(pl.Boolean))
    frame = frame.filter(pl.col("headline").is_not_null() & pl.col("is_clickbait").is_not_null())
    counts = frame["is_clickbait"].value_counts()
    if counts.height < 2 or counts["count"].min() < 10:
        raise ClickbaitInputError(
            f"headlines table has {frame.height} usable rows and class counts "
            f"{dict(counts.rows())}; training needs at least 10 headlines of each class"
        )
    return frame


def model_key(frame: pl.DataFrame) -> str:
    import sklearn

    digest = hashlib.sha256()
    # Row order matters to the split, so the key hashes the rows in the order given.
    for col in ("headline", "is_clickbait"):
        digest.update(frame[col].cast(pl.String).str.join("\x1f").item().encode("utf-8"))
    digest.update(repr(sorted(MODEL_PARAMS.items())).encode())
    # The fitting code itself is part of the key, so an edited pipeline never reuses a stale model.
    digest.update((inspect.getsource(_pipeline) + inspect.getsource(fit_model)).encode())
    digest.update(f"{TEST_SIZE}|{SEED}|sklearn={sklearn.__version__}".encode())
    return digest.hexdigest()[:20]


def _pipeline():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, make_pipeline

    p = MODEL_PARAMS
    features = FeatureUnion([
        ("words", TfidfVectorizer(ngram_range=p["word_ngrams"], sublinear_tf=True, lowercase=True)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=p["char_ngrams"], sublinear_tf=True,
                                  lowercase=True, min_df=p["char_min_df"])),
    ])
    return make_pipeline(features, LogisticRegression(C=p["C"], max_iter=p["max_iter"]))


def fit_model(frame: pl.DataFrame, key: str) -> ClickbaitModel:
    from sklearn.metrics import accuracy_score, f1_score, roc_auc_score
    from sklearn.model_selection import train_test_split

    text = frame["headline"].to_numpy()
    label = frame["is_clickbait"].to_numpy().astype(int)
    x_train, x_test, y_train, y_test = train_test_split(
        text, label, test_size=TEST_SIZE, stratify=label, random_state=SEED
    )
    pipeline = _pipeline().fit(x_train, y_train)
    prob = pipeline.predict_proba(x_test)[:, 1]
    pred = prob >= THRESHOLD
    held = HeldOut(
        accuracy=float(accuracy_score(y_test, pred)),
        f1=float(f1_score(y_test, pred)),
        roc_auc=float(roc_auc_score(y_test, prob)),
        n_train=len(y_train),
        n_test=len(y_test),
    )
    scores = pl.DataFrame({"is_clickbait": y_test.astype(bool), "score": prob})
    return ClickbaitModel(pipeline=pipeline, held_out=held, key=key, held_out_scores=scores)


def fit_clickbait_model(headlines: pl.DataFrame) -> ClickbaitModel:
    """Train the English model on the headline benchmark (the canonical ``headlines`` table).

    Pure: reads and writes no file. A build fits once and keeps the result as an artefact
    with ``load_or_fit_model``.
    """
    frame = check_headlines(headlines)
    return fit_model(frame, model_key(frame))


def zh_score_expr(title: pl.Expr, lex: pl.DataFrame | None = None, *, normalised: bool = False) -> pl.Expr:
    """The Chinese lexicon score (0–1) of ``title`` as an expression (see module docstring).

    ``normalised=True``: ``title`` is already ``normalise``d. On a large frame pass a
    normalised column: an eager ``select`` would otherwise normalise it once per use.
    """
    lex = lexicon.load_lexicon(ZH_LEXICON) if lex is None else lex
    patterns = lexicon.category_patterns(lex)
    unknown = sorted(set(patterns) - set(ZH_WEIGHTS))
    if unknown:
        raise ClickbaitInputError(
            f"{config.LEXICON_DIR / (ZH_LEXICON + '.csv')}: categories {unknown} have no weight; "
            f"add them to ZH_WEIGHTS in analysis/clickbait.py or use one of {sorted(ZH_WEIGHTS)}"
        )
    text = title if normalised else normalise(title)  # NFKC turns ！？‼⁉ into ! ? !! !? so one pattern counts them
    keep = pl.lit(1.0)
    for category, pattern in patterns.items():
        hit = text.str.contains(pattern).fill_null(False).cast(pl.Float64)
        keep = keep * (1 - ZH_WEIGHTS[category] * hit)
    chars = text.str.len_chars().cast(pl.Float64)
    marks = text.str.count_matches(r"[!?]").cast(pl.Float64)
    density = pl.when(chars > 0).then(pl.min_horizontal(pl.lit(1.0), 10 * marks / chars)).otherwise(0.0)
    return 1 - keep * (1 - ZH_DENSITY_WEIGHT * density)


def _title_features(titles: pl.DataFrame) -> pl.DataFrame:
    from analysis.text.langid import script_features

    work = titles.select(pl.col("title"), pl.lit(None, dtype=pl.String).alias("text"))
    feats = script_features(work)
    lang = (
        pl.when(pl.col("script_language") == "other").then(pl.lit(None, dtype=pl.String))
        .when(pl.col("script_language") == "bilingual").then(pl.lit("bilingual"))
        # Latin words beside Chinese ones are mostly names (places, shops, brands): the
        # headline model would score a name, so such a title is read as Chinese.
        .when(pl.col("han_chars") >= MIN_HAN_CHINESE).then(pl.lit("chinese"))
        .when(pl.col("latin_letters") > 0).then(pl.lit("english"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    return feats.select(
        pl.col("title").alias("_title"),
        lang.alias("title_language"),
        # The English model sees the Latin part only: Han characters are unknown n-grams to it.
        pl.col("_own").str.replace_all(r"\p{Han}+", " ").str.replace_all(r"\s+", " ").str.strip_chars()
        .alias("_latin_part"),
    )


@remembered(2)  # a build scores the same titles for several figures and tables
def score_titles(titles: pl.DataFrame, model: ClickbaitModel) -> pl.DataFrame:
    """``titles`` with ``SCORE_SCHEMA`` columns added (one row per input row, same order).

    titles: any frame with a ``title`` column (e.g. the canonical notes table).
    model: from ``fit_clickbait_model``. One model call on the column; features are
    polars expressions.
    """
    if "title" not in titles.columns:
        raise ClickbaitInputError(f"no `title` column to score; got columns {titles.columns}")
    feats = _title_features(titles).with_row_index("_row")
    lang = pl.col("title_language")
    # Each distinct Latin part is scored once (reposts and templates repeat titles), in
    # batches, so memory stays flat whatever the number of titles; each language's score
    # is computed only on the titles routed to it.
    en_rows = feats.filter(lang.is_in(["english", "bilingual"])).select("_row", "_latin_part")
    distinct = en_rows["_latin_part"].unique()
    en = pl.DataFrame({"_latin_part": distinct, "score_en": _predict_en(model, distinct.to_numpy())},
                      schema={"_latin_part": pl.String, "score_en": pl.Float64})
    zh = (feats.filter(lang.is_in(["chinese", "bilingual"]))
          .select("_row", normalise(pl.col("_title")).alias("_zh_text"))
          .select("_row", zh_score_expr(pl.col("_zh_text"), normalised=True).alias("score_zh")))
    scored = (
        feats.select("_row", "title_language")
        .join(en_rows.join(en, on="_latin_part", how="left").select("_row", "score_en"),
              on="_row", how="left", maintain_order="left")
        .join(zh, on="_row", how="left", maintain_order="left")
        .with_columns(
            pl.when(lang == "english").then(pl.col("score_en"))
            .when(lang == "chinese").then(pl.col("score_zh"))
            .when(lang == "bilingual").then(pl.max_horizontal("score_en", "score_zh"))
            .alias("clickbait_score"),
        ).with_columns((pl.col("clickbait_score") >= THRESHOLD).alias("is_clickbait"))
    )
    return pl.concat([titles.drop(list(SCORE_SCHEMA), strict=False),
                      scored.select(list(SCORE_SCHEMA)).cast(SCORE_SCHEMA)], how="horizontal")


def _predict_batch(texts: np.ndarray, pipeline) -> np.ndarray:
    """The pipeline's probabilities, its TF-IDF features built from the titles' distinct
    whitespace chunks (``analysis.text.tfidf``: the same numbers, ~5× less CPU)."""
    from scipy import sparse

    features, classifier = pipeline.steps[0][1], pipeline.steps[-1][1]
    parts = getattr(features, "transformer_list", None)
    if (len(pipeline.steps) != 2 or not parts or getattr(features, "transformer_weights", None)
            or not all(tfidf.supports(vec) for _, vec in parts)):
        return pipeline.predict_proba(texts)[:, 1]
    column = pl.Series(texts, dtype=pl.String)
    x = sparse.hstack([tfidf.transform(vec, column) for _, vec in parts], format="csr")
    return classifier.predict_proba(x)[:, 1]


def _predict_en(model: ClickbaitModel, texts: np.ndarray) -> np.ndarray:
    """English-model probabilities, ``SCORE_BATCH`` titles per call, so the sparse features
    of one batch are all that is held; on every CPU for a large crawl (``analysis.parallel``)."""
    if len(texts) == 0:
        return np.empty(0)
    return np.asarray(parallel.map_batches(_predict_batch, texts, SCORE_BATCH, model.pipeline), dtype=float)


def score_headlines(headlines: pl.DataFrame, model: ClickbaitModel) -> pl.DataFrame:
    """Benchmark headlines scored by the English model: ``is_clickbait``, ``score``.

    Includes the training rows, so use it to compare distributions, never as an accuracy.
    """
    frame = check_headlines(headlines)
    prob = model.pipeline.predict_proba(frame["headline"].to_numpy())[:, 1]
    return frame.select("is_clickbait").with_columns(pl.Series("score", prob, dtype=pl.Float64))
