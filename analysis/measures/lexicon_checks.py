"""How often a lexicon match is right: precision on hand-labelled real notes.

data/labels/lexicon_checks.csv holds (dataset, note_id, lexicon, category, label, batch):
``label`` says whether the note truly is about the category, judged by reading it. The
lexicon is re-run on those notes, so precision is always that of the current lexicon:
among labelled notes it matches, the share labelled true. Labelled notes it does not
match give the miss rate where unmatched notes were labelled. ``category`` may name a
union the analyses use (``translation: mentions``, ``welcome: positive``).
"""

from __future__ import annotations

import polars as pl

from analysis import stats
from analysis.measures.common import lexicon_text
from analysis.results import results_frame
from analysis.text import lexicon
from analysis.text.labels import read_labels

CHECK_COLUMNS = {"dataset": pl.String(), "note_id": pl.String(), "lexicon": pl.String(), "category": pl.String(),
                 "label": pl.String(), "batch": pl.Int64()}
#: Union categories the analyses report, as (lexicon, name) → member categories.
UNIONS = {
    ("translation", "mentions"): ("translation_app", "translation", "language_barrier"),
    ("welcome", "positive"): ("welcome", "gratitude", "kindness"),
}
#: Below this precision a category's share is not treated as a measurement in a verdict.
MIN_PRECISION = 0.7


def lexicon_checks() -> pl.DataFrame:
    """The labelled fixture, with ``label`` as a boolean."""
    frame = read_labels("lexicon_checks", CHECK_COLUMNS, {"label": ("true", "false")})
    return frame.with_columns(pl.col("label") == "true")


def _matches(notes: pl.DataFrame, checks: pl.DataFrame) -> pl.DataFrame:
    """checks joined to their notes with ``matched``: does the current lexicon match the note?"""
    parts = []
    for name in sorted(checks["lexicon"].unique().to_list()):
        lex = lexicon.load_lexicon(name)
        patterns = lexicon.category_patterns(lex)
        rows = checks.filter(pl.col("lexicon") == name)
        texts = notes.join(rows.select("dataset", "note_id").unique(), on=["dataset", "note_id"], how="semi").select(
            "dataset", "note_id", lexicon_text(notes).alias("_text"))
        for category in sorted(rows["category"].unique().to_list()):
            members = UNIONS.get((name, category), (category,))
            unknown = [m for m in members if m not in patterns]
            if unknown:
                raise lexicon.LexiconError(
                    f"data/labels/lexicon_checks.csv names category {category!r} of lexicon {name!r}, which has no "
                    f"category {unknown}; fix the label file or the lexicon")
            hit = pl.any_horizontal([pl.col("_text").str.contains(patterns[m]) for m in members])
            parts.append(rows.filter(pl.col("category") == category).join(
                texts.select("dataset", "note_id", hit.alias("matched")), on=["dataset", "note_id"], how="inner",
                validate="1:1"))
    return pl.concat(parts) if parts else checks.with_columns(pl.lit(False).alias("matched"))


def lexicon_precision(notes: pl.DataFrame, checks: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per lexicon category: precision (measure ``lexicon_precision``) and, where unmatched
    notes were labelled, the share of them that are misses (``lexicon_miss_rate``); group
    ``<lexicon>: <category>``, Wilson 95%, n = labelled notes behind the figure.

    Only labelled notes present in ``notes`` count (none in the synthetic sample)."""
    checks = lexicon_checks() if checks is None else checks
    joined = _matches(notes, checks)
    rows = []
    for (name, category), part in sorted(joined.group_by("lexicon", "category"), key=lambda kv: kv[0]):
        group = f"{name}: {category}"
        hit = part.filter(pl.col("matched"))
        miss = part.filter(~pl.col("matched"))
        src = "+".join(sorted(part["dataset"].unique().to_list()))
        rows.append(stats.proportion(int(hit["label"].sum()), hit.height, measure="lexicon_precision", group=group,
                                     source=src, note="labelled notes the lexicon matches that are truly on topic"))
        if miss.height:
            rows.append(stats.proportion(int(miss["label"].sum()), miss.height, measure="lexicon_miss_rate",
                                         group=group, source=src,
                                         note="labelled notes the lexicon does not match that are on topic"))
    return results_frame(rows)


def precision_of(table: pl.DataFrame, name: str, category: str) -> float | None:
    """The precision estimate of ``<name>: <category>`` from ``lexicon_precision``, or None."""
    rows = table.filter((pl.col("measure") == "lexicon_precision") & (pl.col("group") == f"{name}: {category}"))
    return rows["estimate"][0] if rows.height else None
