"""Chinese word segmentation with jieba, initialised once and quietly.

jieba cuts a text block by block: a block is a run of Han characters, ASCII letters,
digits and ``+#&._%-`` (its ``re_han_default``), and every other character is a token of
its own. A block's words depend on the block alone, so polars splits the texts into
blocks and jieba (Python, no polars binding) cuts each *distinct* block once — a crawl
repeats its words and phrases far more than its texts — on every CPU for a large crawl.
The tokens are jieba's own, in order (a test compares them with ``jieba.lcut``).
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


#: Blocks per jieba call in a worker process.
CUT_BATCH = 20_000
#: jieba's block (``jieba.re_han_default``), and a piece: a block or any other single character.
BLOCK = r"[\x{4E00}-\x{9FD5}a-zA-Z0-9+#&._%\-]+"
_PIECE = rf"(?s)\r\n|{BLOCK}|."  # jieba yields "\r\n" as one token


def _cut_texts(texts: list[str]) -> list[list[str]]:
    jb = _jieba()
    return [jb.lcut(t) if t else [] for t in texts]


def _cut(series: pl.Series) -> pl.Series:
    pieces = (series.to_frame("text").with_row_index("_row")
              .select("_row", pl.col("text").str.extract_all(_PIECE).alias("piece"))
              .explode("piece").with_row_index("_pos"))
    is_block = pl.col("piece").str.contains(f"^{BLOCK}$")
    blocks = pieces.filter(is_block)["piece"].unique(maintain_order=True)
    cuts = pl.DataFrame({"piece": blocks,
                         "cut": pl.Series(parallel.map_batches(_cut_texts, blocks.to_list(), CUT_BATCH),
                                          dtype=pl.List(pl.String))})
    words = (pieces.join(cuts, on="piece", how="left", maintain_order="left")
             .select("_row", "_pos", pl.when(is_block).then("cut").when(pl.col("piece").is_not_null())
                     .then(pl.concat_list("piece")).otherwise(pl.lit([], pl.List(pl.String))).alias("cut")))
    out = words.sort("_pos").explode("cut").group_by("_row").agg(pl.col("cut").drop_nulls())
    rows = pl.DataFrame({"_row": pl.int_range(series.len(), dtype=pl.get_index_type(), eager=True)})
    return (rows.join(out, on="_row", how="left", maintain_order="left")["cut"]  # a text without pieces: []
            .fill_null(pl.lit([], pl.List(pl.String))).alias(series.name))


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
