"""Data-quality detectors that hold on any export: platform-default profiles, collection-
window artefacts in daily counts, and floors in counts and prices.

Pure: tables in, flags and small tables out. The claims exclude what these flag and say so.
"""

from __future__ import annotations

from datetime import date

import polars as pl

#: Follower-profile columns a media kit reports; identical values on all of them across
#: distinct accounts cannot be a measurement (4-decimal shares on 6 columns).
PROFILE_COLUMNS = (
    "follower_female_share", "follower_age_lt18", "follower_age_18_24", "follower_age_25_34",
    "follower_age_35_44", "follower_age_gt44",
)

#: A profile shared by at least this many distinct accounts is a platform default.
MIN_SHARED_ACCOUNTS = 3

#: A day is a cliff when its count falls to at most this fraction of the previous day's …
CLIFF_RATIO = 0.1

#: … and the previous day held at least this many (small counts fall to 0 by chance).
CLIFF_MIN_BEFORE = 20

#: A value is a floor when at least this share of the values sit at the minimum.
FLOOR_MIN_SHARE = 0.2


def flag_default_profiles(
    table: pl.DataFrame | pl.LazyFrame,
    columns: tuple[str, ...] = PROFILE_COLUMNS,
    id_col: str = "account_id",
    min_accounts: int = MIN_SHARED_ACCOUNTS,
) -> pl.DataFrame | pl.LazyFrame:
    """``table`` with ``default_profile`` (bool) and ``profile_accounts`` (distinct accounts
    sharing the row's exact values on ``columns``). Rows with any null in ``columns`` are
    never flagged: a missing profile is not a default one."""
    cols = [pl.col(c) for c in columns]
    complete = pl.all_horizontal(c.is_not_null() for c in cols)
    shared = pl.col(id_col).n_unique().over(columns)
    return table.with_columns(
        pl.when(complete).then(shared).otherwise(None).cast(pl.Int64).alias("profile_accounts"),
    ).with_columns((pl.col("profile_accounts").fill_null(0) >= min_accounts).alias("default_profile"))


def default_profile_summary(flagged: pl.DataFrame, id_col: str = "account_id") -> pl.DataFrame:
    """One row per default profile found: its values, how many rows and accounts share it."""
    columns = [c for c in PROFILE_COLUMNS if c in flagged.columns]
    return (
        flagged.filter(pl.col("default_profile"))
        .group_by(columns)
        .agg(pl.len().alias("rows"), pl.col(id_col).n_unique().alias("accounts"))
        .sort("rows", descending=True)
    )


def collection_artefacts(
    daily: pl.DataFrame,
    count: str = "posts",
    day: str = "day",
    cliff_ratio: float = CLIFF_RATIO,
    min_before: int = CLIFF_MIN_BEFORE,
) -> pl.DataFrame:
    """Days where a daily count falls off a cliff: at most ``cliff_ratio`` of the previous
    day's count, which held at least ``min_before``. Zero-volume days right after a peak
    are the common case (a scraper's window closing). Columns: day, count, previous,
    ratio; empty when the series has no cliff."""
    prev = pl.col(count).shift(1)
    return (
        daily.sort(day)
        .select(pl.col(day), pl.col(count), prev.alias("previous"))
        .filter((pl.col("previous") >= min_before) & (pl.col(count) <= cliff_ratio * pl.col("previous")))
        .with_columns((pl.col(count) / pl.col("previous")).alias("ratio"))
    )


def first_artefact(daily: pl.DataFrame, **kwargs) -> date | None:
    """The first cliff day of ``collection_artefacts``, or None: no trend or decay may be
    fitted across it."""
    cliffs = collection_artefacts(daily, **kwargs)
    return cliffs["day"][0] if cliffs.height else None


def floor_summary(values: pl.Series, min_share: float = FLOOR_MIN_SHARE) -> pl.DataFrame:
    """Whether a count or price series piles up at a low value (a floor or a censored
    value): its most common value, when it holds at least ``min_share`` of the values and
    sits in the lowest quarter of them. A few values may lie below it (exceptions to the
    floor). Columns: floor (the most common value), at_floor, below_floor, n, share, is_floor."""
    schema = {"floor": pl.Float64, "at_floor": pl.Int64, "below_floor": pl.Int64, "n": pl.Int64,
              "share": pl.Float64, "is_floor": pl.Boolean}
    s = values.drop_nulls().cast(pl.Float64)
    if s.len() == 0:
        return pl.DataFrame({"floor": [None], "at_floor": [0], "below_floor": [0], "n": [0], "share": [None],
                             "is_floor": [False]}, schema=schema)
    # The most common value; on a tie, the lowest.
    mode = s.value_counts().sort(["count", s.name], descending=[True, False]).row(0)[0]
    frame = pl.DataFrame({"v": s})
    return frame.select(
        pl.lit(mode, dtype=pl.Float64).alias("floor"),
        (pl.col("v") == mode).sum().cast(pl.Int64).alias("at_floor"),
        (pl.col("v") < mode).sum().cast(pl.Int64).alias("below_floor"),
        pl.len().cast(pl.Int64).alias("n"),
        (pl.col("v").quantile(0.25, interpolation="higher") >= mode).alias("_low"),
    ).with_columns(
        (pl.col("at_floor") / pl.col("n")).alias("share"),
    ).with_columns(((pl.col("share") >= min_share) & pl.col("_low")).alias("is_floor")).select(list(schema))
