"""T7, C4 and C5 measured on comments: who says what under the newcomers' notes.

The article's Chinese-side claims are about Chinese users reacting to the newcomers, so
each is measured as the share of **Chinese-language comments on newcomers' notes** that
carry the claim's marker (lexicons in data/lexicons/): T7 a complaint, C4 the "I am your
spy" meme, C5 healthcare, housing or LGBTQ talk. Newcomers' notes are every note of the
#TikTokRefugee data set and any note whose author's account was created on or after
13 Jan 2025 (``analysis.measures.comments.newcomer_notes``). The claim functions apply
their own verdict rules to the ``Result`` returned here.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from analysis import stats
from analysis.measures import comments as cm
from analysis.measures.common import REFUGEE
from analysis.memo import remembered
from analysis.results import Result
from analysis.text import langid
from analysis.text import lexicon as lex_mod
from analysis.text.normalise import for_matching

#: claim → (lexicon, the categories that count as its marker, the marker in words).
MARKERS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "T7": ("complaints", ("complaint",), "a complaint marker"),
    "C4": ("memes", ("spy",), "the 'I am your spy' meme"),
    "C5": ("cross_border", ("healthcare", "housing", "lgbtq"), "healthcare, housing or LGBTQ talk"),
}
MAX_EXAMPLES = 3
CHINESE = "chinese"

#: Said in the report when the build has no comments.
HOW_TO_CRAWL = (
    "Comments would settle T7 (Chinese users complaining about the influx), C4 (the 'I am your spy' meme) and "
    "C5 (healthcare, housing and LGBTQ talk across the border): these happen in replies to the newcomers, not in "
    "their posts. Crawl them with MediaCrawler (`ENABLE_GET_COMMENTS = True`, and `ENABLE_GET_SUB_COMMENTS = True` "
    "for replies) and point the build at the export folder with `--data`."
)


@dataclass(frozen=True)
class CommentMeasurement:
    """One claim measured on comments."""

    claim_id: str
    share: Result  # k of n Chinese-language comments on newcomers' notes, Wilson 95%
    k: int
    measure: str  # what was measured, in words (for the ledger's ``measure``)
    examples: tuple[str, ...]  # up to MAX_EXAMPLES refs "<dataset>/<comment_id>" (commenters pseudonymous)


def chinese_comments_on_newcomer_notes(bundle) -> pl.DataFrame:
    """The comments measured: Chinese-language (langid on the comment text) and under a
    newcomer's note. Empty when the bundle has no comments."""
    comments = bundle.comments
    if comments.height == 0:
        return comments
    keys = cm.newcomer_notes(bundle.notes, newcomer_datasets=(REFUGEE,)).sort("dataset", "note_id")
    return _chinese_comments_under(keys, comments)


@remembered(1)  # the ledger's comment claims, their sensitivity re-runs and Explore ask alike
def _chinese_comments_under(keys: pl.DataFrame, comments: pl.DataFrame) -> pl.DataFrame:
    langs = langid.identify(cm.comments_as_notes(comments)).select(
        "dataset", pl.col("note_id").alias("comment_id"), "language")
    return (comments.join(keys, on=["dataset", "note_id"], how="semi")
            .join(langs, on=["dataset", "comment_id"], how="left", validate="1:1")
            .filter(pl.col("language") == CHINESE).drop("language"))


def measure_comments(bundle, claim_ids: tuple[str, ...] = tuple(MARKERS)) -> dict[str, CommentMeasurement]:
    """Each claim in ``claim_ids`` measured on the bundle's comments (language identified
    once for all); an empty dict when the bundle has no Chinese-language comment on a
    newcomer's note."""
    if bundle.comments.height == 0:
        return {}
    unknown = [c for c in claim_ids if c not in MARKERS]
    if unknown:
        raise ValueError(f"no comment marker for claim(s) {unknown}; known: {sorted(MARKERS)}")
    measured = chinese_comments_on_newcomer_notes(bundle).sort("published_at", "comment_id")
    if measured.height == 0:  # comments, but none in Chinese on a newcomer's note: nothing to measure
        return {}
    source = "+".join(sorted(bundle.comments["dataset"].unique().to_list()))
    out = {}
    for claim_id in claim_ids:
        lexicon_name, categories, words = MARKERS[claim_id]
        lexicon = lex_mod.load_lexicon(lexicon_name)
        flags = lex_mod.select_flags(measured, for_matching(pl.col("text")), lexicon, keep=("dataset", "comment_id"))
        hit = flags.filter(pl.any_horizontal(*[pl.col(c) for c in categories]))
        k, n = hit.height, measured.height
        measure = f"share of Chinese-language comments on newcomers' notes carrying {words} ({lexicon_name} lexicon)"
        share = stats.proportion(k, n, measure=f"comment_{lexicon_name}_share", source=source,
                                 note=f"Chinese-language comments on newcomers' notes with {words}")
        refs = tuple(f"{d}/{c}" for d, c in hit.head(MAX_EXAMPLES).select("dataset", "comment_id").rows())
        out[claim_id] = CommentMeasurement(claim_id, share, k, measure, refs)
    return out


def measure_comment_claim(bundle, claim_id: str) -> CommentMeasurement | None:
    """One claim measured on comments, or None when the bundle has no comments."""
    return measure_comments(bundle, (claim_id,)).get(claim_id)


def summary_table(measured: dict[str, CommentMeasurement]) -> pl.DataFrame:
    """The measurements as a table: claim, what, k, n, share, lo, hi, examples."""
    return pl.DataFrame(
        [{"claim": m.claim_id, "marker": MARKERS[m.claim_id][2], "k": m.k, "n": m.share.n,
          "share": m.share.estimate, "lo": m.share.lo, "hi": m.share.hi, "examples": ", ".join(m.examples)}
         for m in measured.values()],
        schema={"claim": pl.String, "marker": pl.String, "k": pl.Int64, "n": pl.Int64, "share": pl.Float64,
                "lo": pl.Float64, "hi": pl.Float64, "examples": pl.String}, orient="row")


def comments_as_posts(bundle) -> pl.DataFrame | None:
    """The Chinese-language comments on newcomers' notes in the shape ``find_instances``
    reads (``analysis.measures.comments.comments_as_notes``), or None without comments: what an
    existence claim about Chinese users' replies is checked against."""
    if bundle.comments.height == 0:
        return None
    return cm.comments_as_notes(chinese_comments_on_newcomer_notes(bundle)).collect()
