"""Sentiment: how well an offline scorer agrees with hand labels, and — only where it beats
a majority-class baseline — the sentiment mix of notes.

Scorers (``analysis.text.sentiment``) are passed in as expressions; hand labels are passed
in as a table (dataset, note_id, language, label). Nothing here reads a file.

A scorer *beats the baseline* when its accuracy on the hand-labelled notes of a language
is above the accuracy of always answering that language's most common label, and an exact
McNemar test on the notes where exactly one of the two is right gives p < ``ALPHA``
(a paired comparison: both are scored on the same notes).
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from analysis import stats
from analysis.text.normalise import post_text, strip_markup

#: The labelled sample's seed and size per language (data/labels/sentiment.md).
SAMPLE_SEED = 20250113
SAMPLE_PER_LANGUAGE = 220
#: langid language → label-file language code.
LABEL_LANGUAGES = {"english": "en", "chinese": "zh"}
ALPHA = 0.05

ACCURACY_SCHEMA = {
    "language": pl.String(), "scorer": pl.String(), "n": pl.Int64(), "correct": pl.Int64(),
    "accuracy": pl.Float64(), "lo": pl.Float64(), "hi": pl.Float64(), "baseline_label": pl.String(),
    "baseline": pl.Float64(), "baseline_lo": pl.Float64(), "baseline_hi": pl.Float64(),
    "mcnemar_p": pl.Float64(), "beats_baseline": pl.Boolean(),
}


def note_words() -> pl.Expr:
    """The author's own words of a note (title + body, no hashtags, URLs or @mentions)."""
    return strip_markup(post_text("title", "text"))


def labelling_sample(languages: pl.DataFrame, per_language: int = SAMPLE_PER_LANGUAGE,
                     seed: int = SAMPLE_SEED) -> pl.DataFrame:
    """The notes to hand-label: ``per_language`` at random (fixed seed) from the notes whose
    ``language`` (langid) is English, and as many from the Chinese ones; the draw uses the
    language column only, never a scorer. Columns dataset, note_id, language (en / zh)."""
    parts = []
    for langid_name, code in LABEL_LANGUAGES.items():
        pool = languages.filter(pl.col("language") == langid_name).sort("dataset", "note_id")
        take = min(per_language, pool.height)
        parts.append(pool.sample(n=take, seed=seed, shuffle=True)
                     .select("dataset", "note_id", pl.lit(code).alias("language")))
    return pl.concat(parts)


def labelled_predictions(notes: pl.DataFrame | pl.LazyFrame, labels: pl.DataFrame,
                         scorers: dict[str, Callable[[pl.Expr], pl.Expr]],
                         scorers_for: dict[str, tuple[str, ...]]) -> pl.DataFrame:
    """One row per (labelled note, scorer that applies to its language): dataset, note_id,
    language, label, scorer, predicted. Labelled notes absent from ``notes`` are skipped."""
    texts = (notes.lazy().join(labels.lazy(), on=["dataset", "note_id"], how="inner", validate="1:1")
             .select("dataset", "note_id", "language", "label", note_words().alias("_text")).collect())
    parts = []
    for lang, names in scorers_for.items():
        part = texts.filter(pl.col("language") == lang)
        for name in names:
            parts.append(part.select("dataset", "note_id", "language", "label", pl.lit(name).alias("scorer"),
                                     scorers[name](pl.col("_text")).alias("predicted")))
    if not parts:
        return pl.DataFrame(schema={"dataset": pl.String, "note_id": pl.String, "language": pl.String,
                                    "label": pl.String, "scorer": pl.String, "predicted": pl.String})
    return pl.concat(parts)


def _mcnemar_p(scorer_only: int, baseline_only: int) -> float | None:
    from statsmodels.stats.contingency_tables import mcnemar

    if scorer_only + baseline_only == 0:
        return 1.0
    table = [[0, scorer_only], [baseline_only, 0]]
    return float(mcnemar(table, exact=True).pvalue)


def accuracy_vs_baseline(predictions: pl.DataFrame) -> pl.DataFrame:
    """Per (language, scorer): accuracy with its Wilson 95% interval, the majority-class
    baseline (the language's most common hand label; ties broken alphabetically) with its
    interval, the exact McNemar p of scorer vs baseline, and ``beats_baseline``."""
    majority = (predictions.select("language", "dataset", "note_id", "label").unique()
                .group_by("language", "label").agg(pl.len().alias("k"))
                .sort(["language", "k", "label"], descending=[False, True, False])
                .group_by("language", maintain_order=True).first()
                .select("language", pl.col("label").alias("baseline_label")))
    scored = predictions.join(majority, on="language", how="left", validate="m:1").with_columns(
        (pl.col("predicted") == pl.col("label")).alias("right"),
        (pl.col("baseline_label") == pl.col("label")).alias("base_right"))
    counts = scored.group_by("language", "scorer", "baseline_label").agg(
        pl.len().cast(pl.Int64).alias("n"), pl.col("right").sum().cast(pl.Int64).alias("correct"),
        pl.col("base_right").sum().cast(pl.Int64).alias("base_correct"),
        (pl.col("right") & ~pl.col("base_right")).sum().cast(pl.Int64).alias("scorer_only"),
        (~pl.col("right") & pl.col("base_right")).sum().cast(pl.Int64).alias("baseline_only"),
    ).sort("language", "scorer")
    lo, hi = stats.wilson_exprs(pl.col("correct"), pl.col("n"))
    blo, bhi = stats.wilson_exprs(pl.col("base_correct"), pl.col("n"))
    p = [_mcnemar_p(a, b) for a, b in counts.select("scorer_only", "baseline_only").rows()]
    return counts.with_columns(
        (pl.col("correct") / pl.col("n")).alias("accuracy"), lo.alias("lo"), hi.alias("hi"),
        (pl.col("base_correct") / pl.col("n")).alias("baseline"), blo.alias("baseline_lo"), bhi.alias("baseline_hi"),
        pl.Series("mcnemar_p", p, dtype=pl.Float64),
    ).with_columns(
        ((pl.col("accuracy") > pl.col("baseline")) & (pl.col("mcnemar_p") < ALPHA)).alias("beats_baseline")
    ).select(list(ACCURACY_SCHEMA)).cast(ACCURACY_SCHEMA)


def sentiment_shares(notes: pl.DataFrame | pl.LazyFrame, scorer: Callable[[pl.Expr], pl.Expr],
                     by: str = "dataset") -> pl.DataFrame:
    """Share of notes per ``by`` group and sentiment, Wilson 95%: columns group, sentiment,
    k, n, share, lo, hi. Use it only for a language whose scorer beats the baseline."""
    labelled = notes.lazy().select(pl.col(by).alias("group"), scorer(note_words()).alias("sentiment")).collect()
    counts = (labelled.group_by("group").agg(pl.len().cast(pl.Int64).alias("n"))
              .join(pl.DataFrame({"sentiment": ["positive", "neutral", "negative"]}), how="cross")
              .join(labelled.group_by("group", "sentiment").agg(pl.len().cast(pl.Int64).alias("k")),
                    on=["group", "sentiment"], how="left", validate="1:1")
              .with_columns(pl.col("k").fill_null(0)))
    lo, hi = stats.wilson_exprs(pl.col("k"), pl.col("n"))
    return counts.with_columns((pl.col("k") / pl.col("n")).alias("share"), lo.alias("lo"), hi.alias("hi")).sort(
        "group", pl.col("sentiment").replace_strict({"positive": 0, "neutral": 1, "negative": 2}))
