"""The per-engine functions of analysis/engines for polars: the project's own expressions,
so the default engine computes exactly what the measures always did."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import pyarrow as pa

from analysis.io import parse
from analysis.text import lexicon as lex
from analysis.text.normalise import for_matching, post_text

Frame = pl.DataFrame | pl.LazyFrame


def _tags() -> pl.Expr:
    return pl.col("tags").list.join(" ").fill_null("")


def note_text(frame: Frame, out: str, normalised: bool) -> Frame:
    """``normalised``: title, body and tags normalised and lower-cased (measures.common.note_text);
    otherwise the three raw, newline-joined (measures.ads.note_text)."""
    if normalised:
        text = for_matching(pl.concat_str([post_text("title", "text"), _tags()], separator="\n"))
    else:
        text = pl.concat_str([pl.col("title").fill_null(""), pl.col("text").fill_null(""), _tags()], separator="\n")
    return frame.with_columns(text.alias(out))


def lexicon_flags(frame: Frame, column: str, lexicon: pl.DataFrame, prefix: str) -> Frame:
    """A Boolean ``<prefix><category>`` per lexicon category of text ``column``: the
    project's one-pass matcher (analysis.text.lexicon.with_flags)."""
    return lex.with_flags(frame, pl.col(column), lexicon, prefix)


def local_day(frame: Frame, column: str, out: str, tz: str) -> Frame:
    """``out``: the Date of UTC ``column`` in ``tz``; ``out + '_n'``: days since 1970-01-01 (Int64)."""
    day = pl.col(column).dt.convert_time_zone(tz).dt.date()
    return frame.with_columns(day.alias(out)).with_columns(pl.col(out).dt.epoch("d").cast(pl.Int64).alias(f"{out}_n"))


def parse_time(frame: Frame, column: str, out: str, naive_timezone: str) -> Frame:
    """``out``: raw ``column`` parsed by analysis.io.parse.timestamp (UTC; null if unreadable)."""
    value, _bad = parse.timestamp(pl.col(column), naive_timezone)
    return frame.with_columns(value.alias(out))


def map_text_batches(frame: Frame, column: str, out: str, fn: Callable[[pa.Array], pa.Array],
                     dtype: pa.DataType) -> Frame:
    """``out = fn(column)`` called once per Arrow batch (polars ``map_batches``), not per row."""
    def call(series: pl.Series) -> pl.Series:
        return pl.Series(out, fn(series.to_arrow()))

    return frame.with_columns(pl.col(column).map_batches(call, return_dtype=pl.from_arrow(pa.array([], dtype)).dtype)
                              .alias(out))


def from_polars(frame: Frame) -> Frame:
    """The frame itself: polars is the engine the project loads with."""
    return frame
