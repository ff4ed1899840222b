"""What all engines share: the benchmark's inputs, constants and the shape of each stage's output.

Every stage returns a polars DataFrame with a String ``key`` column and integer counts
(``k``, ``n``) or per-day columns, sorted by key: small enough to compare engines row by
row. Patterns come from the project's lexicons (``analysis.text.lexicon``), so the three
engines match the same terms; only the engine that runs them differs.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl

#: Lexicons of the "lexicons" stage (the ledger's topical lists; ads and clickbait have their own stages).
LEXICONS = ("topics", "value_driven", "complaints", "welcome", "memes", "cross_border", "privacy", "brands",
            "travel_culture", "translation", "age_cohorts")
DAY_TZ = "America/New_York"
#: Account ids whose creation second falls outside this window carry no creation day.
FOUNDED = datetime(2013, 6, 1, tzinfo=UTC)
#: Share-of-rows stages: key, k (rows with the property), n (rows in the group).
#: The four engagement counts every engine parses.
COUNTS = ("liked_count", "collected_count", "comment_count", "share_count")
COUNT_SCHEMA = {"key": pl.String, "k": pl.Int64, "n": pl.Int64}
DAILY_SCHEMA = {"key": pl.String, "posts": pl.Int64, "accounts": pl.Int64, "likes_total": pl.Int64,
                "comments": pl.Int64}
CLICKBAIT_SCHEMA = {"key": pl.String, "k": pl.Int64, "n": pl.Int64, "score_sum": pl.Float64}


def notes_glob(data_dir: Path) -> str:
    return str(data_dir / "notes" / "*.parquet")


def comments_glob(data_dir: Path) -> str:
    return str(data_dir / "comments" / "*.parquet")


def finish(frame: pl.DataFrame, schema: dict) -> pl.DataFrame:
    """A stage's output in canonical column order and types, sorted by key."""
    return frame.select(list(schema)).cast(schema).sort("key")


class BenchmarkInputError(ValueError):
    """The benchmark data folder is missing or incomplete; the message says how to make it."""


def check_data(data_dir: Path) -> None:
    for part in ("notes", "comments"):
        if not any((data_dir / part).glob("*.parquet")):
            raise BenchmarkInputError(
                f"{data_dir / part}: no Parquet parts; generate them with "
                f"`python -m benchmarks.generate --sizes {data_dir.name} --out {data_dir.parent}`"
            )
