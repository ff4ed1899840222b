"""Spark stages (issue 18): the same load → parse → dedupe and measures, through the
engine-neutral measures of analysis/measures/frames.py on a local Spark session.

Plug in (after h17's runner is merged): add ``"spark"`` to ``benchmarks.engines.ENGINES``;
the runner imports this module as ``benchmarks.engines.spark_stages``. Stages without a
Spark implementation yet (demographics, clickbait, langid) are absent from
``STAGE_FUNCTIONS``; the runner should report them as "n/a" for this engine.

Spark's settings come from its own configuration (SPARK_REMOTE, spark-defaults.conf,
``spark-submit --master``); with none, a local session on every core is started.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import narwhals as nw
import polars as pl

from analysis.measures import ads, frames
from analysis.text import lexicon
from benchmarks.engines.common import COUNT_SCHEMA, DAILY_SCHEMA, DAY_TZ, LEXICONS, finish

COUNTS = ("liked_count", "collected_count", "comment_count", "share_count")


@dataclass
class State:
    notes: object  # a cached PySpark DataFrame of canonical notes
    data_dir: Path
    model: object


def _session():
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    from analysis.engines import spark_engine

    if not os.environ.get("SPARK_REMOTE") and SparkSession.getActiveSession() is None:
        SparkSession.builder.config("spark.ui.showConsoleProgress", "false").getOrCreate()
    return spark_engine.session("rednote-report-benchmark")


def prepare(data_dir: Path, model) -> State:
    from pyspark.sql import functions as F

    spark = _session()
    raw = spark.read.parquet(str(data_dir / "notes"))
    raw = raw.select(
        "dataset", "note_id", F.col("user_id").alias("account_id"), "title", F.col("desc").alias("text"),
        F.filter(F.transform(F.split(F.regexp_replace(F.coalesce(F.col("tag_list"), F.lit("")), "\\[话题\\]", ""),
                                     "[#，,]"), F.trim), lambda t: t != "").alias("tags"),
        F.timestamp_millis(F.col("time")).alias("published_at"),
        F.timestamp_millis(F.col("last_modify_ts")).alias("crawled_at"),
        *[F.col(c).cast("string").alias(c) for c in COUNTS],
    )
    parsed = frames.parse_counts(raw, COUNTS)
    notes = frames.newest_per_key(parsed, order=("crawled_at",)).to_native().cache()
    notes.count()  # materialise: prepare's time includes load, parse and dedupe
    return State(notes=notes, data_dir=data_dir, model=model)


def note_count(s: State) -> int:
    return s.notes.count()


def ads_stage(s: State) -> pl.DataFrame:
    counts = ads.sponsored_counts(s.notes)
    flags = [c for c in counts.columns if c not in ("dataset", "n")]
    return finish(
        counts.unpivot(index=["dataset", "n"], on=flags, variable_name="flag", value_name="k")
        .with_columns(pl.format("{}: {}", "dataset", "flag").alias("key")),
        COUNT_SCHEMA,
    )


def lexicons_stage(s: State) -> pl.DataFrame:
    lex = pl.concat([lexicon.load_lexicon(n).with_columns(pl.format("{}: {}", pl.lit(n), "category").alias("category"))
                     for n in LEXICONS])
    counts = frames.category_counts(s.notes, lex).drop("dataset").sum()
    n = counts["n"][0]
    return finish(counts.drop("n").unpivot(variable_name="key", value_name="k").with_columns(pl.lit(n).alias("n")),
                  COUNT_SCHEMA)


def cohorts_stage(s: State) -> pl.DataFrame:
    table = frames.cohort_counts(s.notes, tz=DAY_TZ)
    return finish(table.select(pl.format("{}|{}", "cohort", "week").alias("key"),
                               pl.col("active").alias("k"), pl.col("accounts").alias("n")), COUNT_SCHEMA)


def daily_stage(s: State) -> pl.DataFrame:
    from pyspark.sql import functions as F

    days = frames.daily_counts(s.notes, tz=DAY_TZ)
    comments = (s.notes.sparkSession.read.parquet(str(s.data_dir / "comments"))
                .select("dataset", "comment_id", F.timestamp_millis("create_time").alias("published_at"))
                .dropDuplicates(["dataset", "comment_id"]))
    per_day = frames.small(frames.with_local_day(comments, DAY_TZ, out="day").group_by("day").agg(
        nw.len().alias("comments")))
    return finish(days.join(per_day, on="day", how="left").with_columns(
        pl.col("day").cast(pl.String).alias("key"), pl.col("comments").fill_null(0)), DAILY_SCHEMA)


STAGE_FUNCTIONS = {"ads": ads_stage, "lexicons": lexicons_stage, "cohorts": cohorts_stage, "daily": daily_stage}
