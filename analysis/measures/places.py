"""Places: which ``ip_location`` values notes, creators and comments carry.

The field is what the platform shows as "IP属地": the region of the IP address the
account used when it posted (or last updated its profile) — not where the person lives,
is from, or holds citizenship; a VPN moves it, and the platform shows a country for
users abroad and a province for users in mainland China.
"""

from __future__ import annotations

import polars as pl

from analysis import stats

IP_CAVEAT = ("ip_location is the platform's 'IP属地': the region of the IP address at posting time (a province "
             "inside mainland China, a country abroad), not residence or nationality; VPNs move it.")

#: Spellings of one place across exports (the refugee data set writes "U.S.", MediaCrawler "美国").
PLACE_ALIASES = {"U.S.": "美国", "US": "美国", "USA": "美国", "United States": "美国"}

RANKING_SCHEMA = {"table": pl.String(), "rank": pl.Int64(), "place": pl.String(), "k": pl.Int64(),
                  "n": pl.Int64(), "share": pl.Float64(), "lo": pl.Float64(), "hi": pl.Float64(),
                  "missing": pl.Int64()}


def place(expr: pl.Expr | None = None, aliases: dict[str, str] | None = None) -> pl.Expr:
    """The place named, with a leading "IP属地：" dropped, blanks as null and known aliases merged."""
    expr = pl.col("ip_location") if expr is None else expr
    aliases = PLACE_ALIASES if aliases is None else aliases
    cleaned = expr.str.replace(r"^\s*IP属地[:：]?\s*", "").str.strip_chars()
    cleaned = pl.when(cleaned == "").then(None).otherwise(cleaned)
    return cleaned.replace(aliases)


def place_ranking(frame: pl.DataFrame | pl.LazyFrame, table: str, k: int = 15,
                  aliases: dict[str, str] | None = None) -> pl.DataFrame:
    """The ``k`` most common places among the rows of ``frame`` that name one: count,
    share of those rows with a Wilson 95% interval, and how many rows name none
    (``missing``); ties broken by place name."""
    places = frame.lazy().select(place(aliases=aliases).alias("place")).collect()
    n = places["place"].count()
    missing = places.height - n
    counts = (places.drop_nulls().group_by("place").agg(pl.len().cast(pl.Int64).alias("k"))
              .sort(["k", "place"], descending=[True, False]).head(k))
    lo, hi = stats.wilson_exprs(pl.col("k"), pl.lit(n))
    return counts.with_row_index("rank", offset=1).with_columns(
        pl.lit(table).alias("table"), pl.lit(n).alias("n"), (pl.col("k") / n).alias("share"),
        lo.alias("lo"), hi.alias("hi"), pl.lit(missing).alias("missing"),
    ).select(list(RANKING_SCHEMA)).cast(RANKING_SCHEMA)


def place_rankings(notes: pl.DataFrame | pl.LazyFrame, creators: pl.DataFrame | pl.LazyFrame,
                   comments: pl.DataFrame | pl.LazyFrame, k: int = 15) -> pl.DataFrame:
    """``place_ranking`` of notes, creators and comments, stacked (a table with no rows
    that name a place contributes none)."""
    return pl.concat([place_ranking(notes, "notes", k), place_ranking(creators, "creators", k),
                      place_ranking(comments, "comments", k)])
