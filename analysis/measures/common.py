"""What the measures share: data set ids, the day convention, and the one text a
lexicon is matched against (title, body and tags, normalised), so every "mentions"
count reads the same text."""

from __future__ import annotations

from datetime import date

import polars as pl

from analysis import stats
from analysis.text.lexicon import with_masks
from analysis.text.normalise import for_matching, post_text

#: Data set ids of data/sources.toml.
REFUGEE = "tiktokrefugee-posts"
CREATORS = "mediacrawler-creators"

#: The first day of the surge (Reuters: 700,000+ new users on 13–14 Jan 2025).
SURGE_DAY = date(2025, 1, 13)

#: Days are counted in US Eastern time: the events the posts react to are US-dated
#: (the Supreme Court, TikTok going dark at ~9 pm ET), and the posters are US accounts,
#: so a UTC day would split one American evening across two dates.
DAY_TZ = "America/New_York"


def note_text() -> pl.Expr:
    """Title, body and hashtags of a note, normalised and lower-cased for lexicon matching.

    Tags are included because many refugee posts say what they are about only in their
    tags (``#chinesespy``, ``#usgovernmentsucks``).
    """
    tags = pl.col("tags").list.join(" ").fill_null("")
    return for_matching(pl.concat_str([post_text("title", "text"), tags], separator="\n"))


#: Column holding ``note_text()`` once computed (``with_note_text``): normalising is the
#: costly part of matching, so a build computes it once rather than once per lexicon.
NOTE_TEXT = "_note_text"


def with_note_text(notes: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame | pl.LazyFrame:
    """``notes`` with the ``NOTE_TEXT`` column added, and every lexicon file matched on it
    in one pass (analysis.text.lexicon.with_masks); returned unchanged if already there."""
    if NOTE_TEXT in notes.collect_schema().names():
        return notes
    return with_masks(notes.with_columns(note_text().alias(NOTE_TEXT)), NOTE_TEXT, lowercased=True)


def lexicon_text(notes: pl.DataFrame | pl.LazyFrame) -> pl.Expr:
    """The text lexicons match in ``notes``: the precomputed ``NOTE_TEXT`` column when
    ``with_note_text`` added it, else ``note_text()`` computed on the fly (same values)."""
    return pl.col(NOTE_TEXT) if NOTE_TEXT in notes.collect_schema().names() else note_text()


def local_day(tz: str = DAY_TZ) -> pl.Expr:
    """The calendar day of ``published_at`` (UTC) in ``tz``."""
    return pl.col("published_at").dt.convert_time_zone(tz).dt.date()


def of_dataset(notes: pl.DataFrame | pl.LazyFrame, dataset: str) -> pl.DataFrame | pl.LazyFrame:
    """The notes of one data set."""
    return notes.filter(pl.col("dataset") == dataset)


def share_rows(counts: pl.DataFrame, measure: str, what: str, note: str) -> pl.DataFrame:
    """Result rows from counts (dataset, n, <what>, k): the share k/n per group
    ``<dataset>: <what>`` with Wilson 95% bounds (no estimate where n is 0)."""
    lo, hi = stats.wilson_exprs(pl.col("k"), pl.col("n"))
    return counts.sort("dataset", what).select(
        pl.lit(measure).alias("measure"),
        pl.concat_str([pl.col("dataset"), pl.col(what)], separator=": ").alias("group"),
        pl.when(pl.col("n") > 0).then(pl.col("k") / pl.col("n")).alias("estimate"),
        lo.alias("lo"), hi.alias("hi"), pl.col("n"), pl.lit("share").alias("unit"),
        pl.col("dataset").alias("source"), pl.lit(note + "; Wilson 95% interval").alias("note"),
    )
