"""Chinese word segmentation with jieba, initialised once and quietly.

jieba has no polars binding, so segmentation necessarily calls Python once per text;
it runs inside ``map_batches`` (one call per column chunk) and only on the text that
needs it. English words pass through jieba as single tokens.
"""

from __future__ import annotations

import logging
from functools import cache

import polars as pl

from analysis import parallel

#: Tokens that are not words worth counting: punctuation, digits, single Latin letters.
_NOT_A_WORD = r"^[\p{P}\p{S}\p{N}\s]+$|^\p{Latin}$"


@cache
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)  # otherwise it prints "Building prefix dict…" to stderr
    jieba.initialize()
    return jieba


#: Texts per jieba call in a worker process.
CUT_BATCH = 20_000


def _cut_texts(texts: list[str]) -> list[list[str]]:
    jb = _jieba()
    return [jb.lcut(t) if t else [] for t in texts]


def _cut(series: pl.Series) -> pl.Series:
    # Each distinct text is cut once (reposts and templates repeat), on every CPU for a
    # large crawl (jieba is Python per text).
    distinct = series.unique(maintain_order=True)
    cuts = pl.Series("cut", parallel.map_batches(_cut_texts, distinct.to_list(), CUT_BATCH),
                     dtype=pl.List(pl.String))
    lookup = pl.DataFrame({"text": distinct, "cut": cuts})
    return series.to_frame("text").join(lookup, on="text", how="left", maintain_order="left", nulls_equal=True)[
        "cut"].alias(series.name)


def tokens(expr: pl.Expr) -> pl.Expr:
    """A list of lower-cased word tokens per text (punctuation, numbers and whitespace dropped)."""
    return (
        expr.fill_null("")
        .map_batches(_cut, return_dtype=pl.List(pl.String))
        .list.eval(pl.element().str.strip_chars().str.to_lowercase())
        .list.eval(pl.element().filter(~pl.element().str.contains(_NOT_A_WORD) & (pl.element() != "")))
    )


def top_terms(frame: pl.DataFrame | pl.LazyFrame, text: str | pl.Expr, k: int = 20,
              stopwords: frozenset[str] = frozenset(), min_chars: int = 2) -> pl.DataFrame:
    """The ``k`` most frequent words of ``text`` as (term, count, docs): count of uses and
    of texts using the term; ties broken alphabetically so the table is deterministic."""
    col = pl.col(text) if isinstance(text, str) else text
    words = (
        frame.lazy()
        .select(tokens(col).alias("term"))
        .with_row_index("_doc")
        .explode("term")
        .filter(pl.col("term").is_not_null() & (pl.col("term").str.len_chars() >= min_chars)
                & ~pl.col("term").is_in(list(stopwords)))
    )
    return (
        words.group_by("term")
        .agg(pl.len().cast(pl.Int64).alias("count"), pl.col("_doc").n_unique().cast(pl.Int64).alias("docs"))
        .sort(["count", "term"], descending=[True, False])
        .head(k)
        .collect()
    )
