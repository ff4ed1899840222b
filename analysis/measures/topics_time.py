"""Topics over time: weekly shares of the topics lexicon's categories.

The lexicon (data/lexicons/topics.csv, loaded by ``analysis.text.lexicon``) is passed in;
a note may carry several topics. Weeks start on Monday, in ``tz`` (US Eastern by default,
as the rest of the report counts days). A week is flagged ``artefact`` when it contains
one of ``artefact_days`` — days on which the data's shape reflects how it was collected
rather than what people posted (``edge_days``: the partial first and last week of each
data set's crawl, or days the caller knows of). Shares of such weeks are not trends.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import polars as pl

from analysis import stats
from analysis.measures.common import DAY_TZ, lexicon_text
from analysis.text import lexicon as lex_mod

WEEKLY_SCHEMA = {"dataset": pl.String(), "week": pl.Date(), "topic": pl.String(), "k": pl.Int64(),
                 "n": pl.Int64(), "share": pl.Float64(), "lo": pl.Float64(), "hi": pl.Float64(),
                 "artefact": pl.Boolean()}


def weekly_topic_shares(notes: pl.DataFrame | pl.LazyFrame, lexicon: pl.DataFrame,
                        artefact_days: Iterable[date] | dict[str, Iterable[date]] = (),
                        tz: str = DAY_TZ) -> pl.DataFrame:
    """Per data set, week and topic: notes with the topic (k), notes that week (n), share
    with Wilson 95% interval, and ``artefact``. ``artefact_days`` apply to every data set,
    or per data set when given as a dict. Weeks with no notes are absent."""
    topics = list(lex_mod.category_patterns(lexicon))
    day = pl.col("published_at").dt.convert_time_zone(tz).dt.date()
    flags = lex_mod.select_flags(notes.lazy(), lexicon_text(notes), lexicon,
                                 keep=("dataset", day.dt.truncate("1w").alias("week")))
    counts = (flags.group_by("dataset", "week")
              .agg(pl.len().cast(pl.Int64).alias("n"), *[pl.col(t).sum().cast(pl.Int64) for t in topics])
              .unpivot(index=["dataset", "week", "n"], variable_name="topic", value_name="k")
              .collect())
    per_set = artefact_days if isinstance(artefact_days, dict) else {None: artefact_days}
    bad = pl.DataFrame([{"dataset": ds, "week": d} for ds, days in per_set.items() for d in days],
                       schema={"dataset": pl.String, "week": pl.Date}, orient="row")
    bad = bad.with_columns(pl.col("week").dt.truncate("1w")).unique()
    everywhere = bad.filter(pl.col("dataset").is_null())["week"]
    per_dataset = bad.filter(pl.col("dataset").is_not_null()).with_columns(pl.lit(True).alias("_bad"))
    lo, hi = stats.wilson_exprs(pl.col("k"), pl.col("n"))
    return (counts.join(per_dataset, on=["dataset", "week"], how="left", validate="m:1")
            .with_columns((pl.col("k") / pl.col("n")).alias("share"), lo.alias("lo"), hi.alias("hi"),
                          (pl.col("week").is_in(everywhere.implode()) | pl.col("_bad").fill_null(False)).alias("artefact"))
            .select(list(WEEKLY_SCHEMA)).cast(WEEKLY_SCHEMA)
            .sort("dataset", "week", pl.col("topic").replace_strict({t: i for i, t in enumerate(topics)},
                                                                    return_dtype=pl.Int64)))


def edge_days(notes: pl.DataFrame | pl.LazyFrame, tz: str = DAY_TZ) -> dict[str, list[date]]:
    """Per data set, its first and last posting day: the weeks holding them are partial
    (the crawl started or stopped inside them), so their shares are collection artefacts."""
    day = pl.col("published_at").dt.convert_time_zone(tz).dt.date()
    ends = notes.lazy().group_by("dataset").agg(day.min().alias("first"), day.max().alias("last")).collect()
    return {ds: [a, b] for ds, a, b in ends.rows()}
