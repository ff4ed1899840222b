"""Words: term counts per group, top terms, and keyness between two groups.

Texts are segmented by jieba (``analysis.text.segment.tokens``; English words pass
through as tokens), lower-cased, stripped of punctuation and numbers; stop words (passed
in, see ``analysis.text.stopwords``) and tokens shorter than ``min_chars`` are dropped.
The text is the author's own words: hashtags, URLs and @mentions are left out (hashtags
are measured on their own by the T6 analysis), so a tag pasted 20 times does not win.

Keyness is the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi &
Quinn 2008, "Fightin' Words", Political Analysis 16(4), eqs. 16–20): for term w with
counts y_a, y_b in corpora of n_a, n_b tokens and prior α_w,

    δ_w = log((y_a+α_w)/(n_a+α_0−y_a−α_w)) − log((y_b+α_w)/(n_b+α_0−y_b−α_w))
    σ²_w ≈ 1/(y_a+α_w) + 1/(y_b+α_w),     z_w = δ_w / σ_w

The prior is the pooled term rates of the two corpora worth ``prior_size`` tokens
(α_w = prior_size·(y_a+y_b)/(n_a+n_b), α_0 = prior_size): it shrinks rare terms towards no
difference. Monroe et al. leave α_0 to the analyst; the default, 1,000 tokens, is a fifth
of the #TikTokRefugee corpus's own words, so a corpus that size still speaks for itself (the
pooled counts themselves as the prior, as in Jurafsky et al. 2014, would swamp a small
corpus compared with one 100 times larger). A term is key for a group when |z| ≥ ``Z_THRESHOLD`` (1.96, a
two-sided 5% level per term, not corrected for the many terms tested).
"""

from __future__ import annotations

import polars as pl

from analysis.text import segment
from analysis.text.normalise import post_text, strip_markup

Z_THRESHOLD = 1.96
PRIOR_SIZE = 1000.0
MIN_CHARS = 2

COUNT_SCHEMA = {"group": pl.String(), "term": pl.String(), "count": pl.Int64(), "docs": pl.Int64(),
                "n_docs": pl.Int64()}


def own_words() -> pl.Expr:
    """Title and body without hashtags, URLs and @mentions."""
    return strip_markup(post_text("title", "text"))


def tokenise(frame: pl.DataFrame | pl.LazyFrame, text: pl.Expr | None = None) -> pl.DataFrame:
    """``frame`` with a ``terms`` list column (segmented once, reused by every comparison).
    ``text`` defaults to the note's own words."""
    text = own_words() if text is None else text
    return frame.lazy().with_columns(segment.tokens(text).alias("terms")).collect()


def term_counts(tokenised: pl.DataFrame | pl.LazyFrame, group: str | pl.Expr,
                stopwords: frozenset[str] = frozenset(), min_chars: int = MIN_CHARS) -> pl.DataFrame:
    """Per group value and term: uses (``count``), texts using it (``docs``) and the group's
    number of texts (``n_docs``), from a ``tokenise``d frame (rows with a null group are left out)."""
    key = pl.col(group) if isinstance(group, str) else group
    docs = (tokenised.lazy().select(key.cast(pl.String).alias("group"), "terms")
            .filter(pl.col("group").is_not_null()).with_row_index("_doc"))
    n_docs = docs.group_by("group").agg(pl.len().cast(pl.Int64).alias("n_docs"))
    words = docs.explode("terms").rename({"terms": "term"}).filter(
        pl.col("term").is_not_null() & (pl.col("term").str.len_chars() >= min_chars)
        & ~pl.col("term").is_in(list(stopwords)))
    return (
        words.group_by("group", "term")
        .agg(pl.len().cast(pl.Int64).alias("count"), pl.col("_doc").n_unique().cast(pl.Int64).alias("docs"))
        .join(n_docs, on="group", how="left", validate="m:1")
        .sort(["group", "count", "term"], descending=[False, True, False])
        .collect()
        .select(list(COUNT_SCHEMA)).cast(COUNT_SCHEMA)
    )


def top_terms(counts: pl.DataFrame, k: int = 20) -> pl.DataFrame:
    """The ``k`` most used terms per group with their rank and share of the group's texts
    using them (ties broken alphabetically)."""
    return (
        counts.sort(["group", "count", "term"], descending=[False, True, False])
        .with_columns(pl.int_range(1, pl.len() + 1).over("group").cast(pl.Int64).alias("rank"))
        .filter(pl.col("rank") <= k)
        .with_columns((pl.col("docs") / pl.col("n_docs")).alias("share_of_texts"))
        .select("group", "rank", "term", "count", "docs", "n_docs", "share_of_texts")
    )


def keyness(counts: pl.DataFrame, group_a: str, group_b: str, prior_size: float = PRIOR_SIZE,
            z_threshold: float = Z_THRESHOLD) -> pl.DataFrame:
    """Log-odds with an informative Dirichlet prior, ``group_a`` against ``group_b``, one row
    per term used in either: count_a, count_b, delta (positive = more typical of a), z, and
    ``key_for`` (the group the term is key for at |z| ≥ z_threshold, else null); sorted
    by z, most typical of a first."""
    present = set(counts["group"].unique().to_list())
    missing = [g for g in (group_a, group_b) if g not in present]
    if missing:
        raise ValueError(f"keyness: no texts for group(s) {missing}; the counts hold {sorted(present)}")
    wide = (
        counts.filter(pl.col("group").is_in([group_a, group_b]))
        .pivot(on="group", index="term", values="count")
        .select("term", pl.col(group_a).fill_null(0).alias("count_a"), pl.col(group_b).fill_null(0).alias("count_b"))
    )
    n_a, n_b, a0 = pl.col("count_a").sum(), pl.col("count_b").sum(), pl.lit(prior_size)
    alpha = a0 * (pl.col("count_a") + pl.col("count_b")) / (n_a + n_b)
    ya, yb = pl.col("count_a") + alpha, pl.col("count_b") + alpha
    delta = (ya / (n_a + a0 - ya)).log() - (yb / (n_b + a0 - yb)).log()
    z = delta / (1 / ya + 1 / yb).sqrt()
    return (
        wide.with_columns(delta.alias("delta"), z.alias("z"))
        .with_columns(pl.when(pl.col("z") >= z_threshold).then(pl.lit(group_a))
                      .when(pl.col("z") <= -z_threshold).then(pl.lit(group_b))
                      .otherwise(pl.lit(None, dtype=pl.String)).alias("key_for"))
        .sort(["z", "term"], descending=[True, False])
        .select(pl.lit(group_a).alias("group_a"), pl.lit(group_b).alias("group_b"),
                "term", "count_a", "count_b", "delta", "z", "key_for")
    )


def top_key_terms(key: pl.DataFrame, k: int = 15) -> pl.DataFrame:
    """The ``k`` key terms with the largest |z| on each side (key terms only), with ``side``
    a / b and their rank on that side."""
    ranked = key.filter(pl.col("key_for").is_not_null()).with_columns(
        pl.when(pl.col("z") > 0).then(pl.lit("a")).otherwise(pl.lit("b")).alias("side"))
    return (
        ranked.sort(pl.col("z").abs(), "term", descending=[True, False])
        .with_columns(pl.int_range(1, pl.len() + 1).over("side").cast(pl.Int64).alias("rank"))
        .filter(pl.col("rank") <= k)
        .sort("side", "rank")
    )
