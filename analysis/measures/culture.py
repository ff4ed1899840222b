"""Culture theme: welcome (C2), age cohorts next to Pew (C3), memes over time (C4) and
cross-border topics (C5).

Inputs are canonical notes; the claims read the #TikTokRefugee posts (the newcomers),
with the Chinese-American creators' notes as context where useful. Lexicons live in
data/lexicons/ (welcome, age_cohorts, memes, cross_border); their precision on labelled
notes is reported by ``analysis.lexicon_checks``.
"""

from __future__ import annotations

import narwhals as nw
import polars as pl

from analysis import reference, stats
from analysis.measures import frames
from analysis.measures.common import share_rows
from analysis.results import results_frame
from analysis.text import lexicon

POSITIVE = ("welcome", "gratitude", "kindness")


def flag_notes(notes, name: str, *any_of: tuple[str, tuple[str, ...]]) -> nw.LazyFrame:
    """Per note, on the notes' own engine (polars or Spark, analysis.measures.frames):
    dataset, note_id, published_at, one boolean per category of lexicon ``name`` and, per
    ``(column, categories)`` in ``any_of``, whether any of those categories is mentioned."""
    flags = frames.flag_lexicon(notes, lexicon.load_lexicon(name), keep=("dataset", "note_id", "published_at"))
    anys = [nw.any_horizontal(*cats, ignore_nulls=True).alias(col) for col, cats in any_of]
    return flags.with_columns(*anys) if anys else flags


def category_shares(flags: nw.LazyFrame, categories: list[str], measure: str, note: str) -> pl.DataFrame:
    """Share of notes per category and data set (group ``<dataset>: <category>``), Wilson 95%."""
    return _category_rows(frames.flag_counts(flags, categories), measure, note)


def _category_rows(counts: pl.DataFrame, measure: str, note: str) -> pl.DataFrame:
    """``share_rows`` of per-data-set counts (dataset, n, one column per category)."""
    long = counts.unpivot(index=["dataset", "n"], variable_name="category", value_name="k")
    return share_rows(long, measure, "category", note)


def _row(table: pl.DataFrame, group: str) -> dict:
    rows = table.filter(pl.col("group") == group)
    return rows.row(0, named=True) if rows.height else {"estimate": None, "lo": None, "hi": None, "n": 0}


# --- C2: welcome ------------------------------------------------------------------------------


def welcome_flags(notes) -> nw.LazyFrame:
    """welcome lexicon flags plus ``positive`` (welcome, gratitude or kindness)."""
    return flag_notes(notes, "welcome", ("positive", POSITIVE))


def welcome_share(notes: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """Share of notes expressing welcome, gratitude, kindness, any of them (``positive``)
    and hostility, per data set (measure ``welcome_share``), Wilson 95%; plus, per data
    set, the positive share among notes expressing either (measure ``positive_of_expressed``)."""
    flags = welcome_flags(notes)
    shares = category_shares(flags, [*POSITIVE, "positive", "hostile"], "welcome_share",
                             "welcome lexicon on title, body and tags")
    expressed = frames.flag_counts(flags.filter(nw.col("positive") | nw.col("hostile")).with_columns(
        (nw.col("positive") & ~nw.col("hostile")).alias("k")), ["k"])
    extra = [stats.proportion(k, n, measure="positive_of_expressed", group=ds, source=ds,
                              note="positive-only notes among notes expressing welcome/kindness or hostility")
             for ds, n, k in expressed.select("dataset", "n", "k").rows()]
    return pl.concat([shares, results_frame(extra)])


# --- C3: age cohorts --------------------------------------------------------------------------

COHORTS = ("gen_z", "millennial", "gen_x", "senior")
#: Pew 2023 TikTok use by age, the published comparison (data/reference/published_figures.csv).
PEW_AGE_IDS = {"18–29": "pew2023_tiktok_18_29", "30–49": "pew2023_tiktok_30_49",
               "50–64": "pew2023_tiktok_50_64", "65+": "pew2023_tiktok_65_plus"}


def age_mentions(notes: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """Share of notes per self-described age cohort and data set (measure ``age_mention_share``),
    and among age-stating notes the share in each cohort (measure ``cohort_of_stated``), Wilson 95%."""
    flags = flag_notes(notes, "age_cohorts", ("any_age", COHORTS))
    per = frames.flag_counts(flags, [*COHORTS, "any_age"])  # the lexicon matched once, for both tables
    shares = _category_rows(per, "age_mention_share", "age_cohorts lexicon")
    # Denominator = age-stating notes; a data set with none still gets its rows (n = 0, no estimate).
    of_stated = _category_rows(per.select("dataset", pl.col("any_age").alias("n"), *COHORTS), "cohort_of_stated",
                               "among notes stating an age cohort (a note may state several)")
    return pl.concat([shares, of_stated])


def pew_tiktok_by_age() -> pl.DataFrame:
    """Pew's 2023 TikTok use by age band: band, share, and the cited figure's label."""
    refs = [reference.figure(i) for i in PEW_AGE_IDS.values()]
    return pl.DataFrame({"band": list(PEW_AGE_IDS), "share": [r.value for r in refs],
                         "source": [r.label() for r in refs]})


# --- C4: memes --------------------------------------------------------------------------------

MEMES = ("colonizing", "spy", "cat_tax")


def meme_shares(notes: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """Share of notes carrying each meme, and any meme, per data set (measure ``meme_share``), Wilson 95%."""
    flags = flag_notes(notes, "memes", ("any_meme", MEMES))
    return category_shares(flags, [*MEMES, "any_meme"], "meme_share", "memes lexicon on title, body and tags")


def meme_frequency(notes: pl.DataFrame | pl.LazyFrame, every: str = "1w", tz: str = "America/New_York") -> pl.DataFrame:
    """Notes per period (``every``: ``1d`` or ``1w``, weeks start Monday) carrying each meme:
    period (date), meme, notes (with the meme), total (all notes in the period), share, lo, hi."""
    from analysis.measures.common import local_day

    flags = flag_notes(notes, "memes").to_native().lazy().with_columns(local_day(tz).alias("day"))
    period = pl.col("day").dt.truncate(every).alias("period")
    counts = (
        flags.group_by(period).agg(pl.len().cast(pl.Int64).alias("total"),
                                   *[pl.col(m).sum().cast(pl.Int64) for m in MEMES])
        .unpivot(index=["period", "total"], variable_name="meme", value_name="notes")
        .collect()
    )
    lo, hi = stats.wilson_exprs(pl.col("notes"), pl.col("total"))
    return counts.sort("period", "meme").select(
        "period", "meme", "notes", "total", (pl.col("notes") / pl.col("total")).alias("share"), lo.alias("lo"),
        hi.alias("hi"))


# --- C5: cross-border topics ------------------------------------------------------------------

CROSS_BORDER = ("healthcare", "housing", "lgbtq")


def cross_border_topics(notes: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """Share of notes on healthcare, housing, LGBTQ and any of them, per data set (measure
    ``cross_border_share``), Wilson 95%."""
    flags = flag_notes(notes, "cross_border", ("any_topic", CROSS_BORDER))
    return category_shares(flags, [*CROSS_BORDER, "any_topic"], "cross_border_share",
                           "cross_border lexicon on title, body and tags")


