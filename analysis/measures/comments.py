"""Comments: who says what under whose notes (claims T7, C4, C5 read from comments).

The article's Chinese-side claims are about Chinese users reacting to the newcomers, so
they are measured on **Chinese-language comments on newcomers' notes**:

* T7 — complaints about the influx (data/lexicons/complaints.csv, ``complaint``);
* C4 — the "I am your Chinese spy" meme said by Chinese commenters (memes.csv, ``spy``);
* C5 — healthcare, housing and LGBTQ talk across the border (cross_border.csv).

Lexicons, the comments' languages and the newcomers' note keys are passed in. A reply
keeps ``parent_comment_id``; ``reply_threads`` follows it up to the thread's first
comment, one vectorised join per level of nesting (not per row).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from analysis import stats
from analysis.text import lexicon as lex_mod
from analysis.text.normalise import for_matching

#: Accounts created on or after the first surge day are newcomers.
NEWCOMER_SINCE = date(2025, 1, 13)
MAX_DEPTH = 50

SHARE_SCHEMA = {"category": pl.String(), "language": pl.String(), "k": pl.Int64(), "n": pl.Int64(),
                "share": pl.Float64(), "lo": pl.Float64(), "hi": pl.Float64()}


def comments_as_notes(comments: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    """Comments in the shape note-level tools read (comment id as ``note_id``, no title or
    tags): ``analysis.text.langid.identify``, the lexicon matchers, ``find_instances``."""
    return comments.lazy().select("dataset", pl.col("comment_id").alias("note_id"),
                                  pl.lit(None, dtype=pl.String).alias("title"), "text",
                                  pl.lit([], dtype=pl.List(pl.String)).alias("tags"), "published_at")


def newcomer_notes(notes: pl.DataFrame | pl.LazyFrame, newcomer_datasets: tuple[str, ...] = (),
                   since: date = NEWCOMER_SINCE) -> pl.DataFrame:
    """Keys (dataset, note_id) of newcomers' notes: every note of ``newcomer_datasets`` and
    any note whose author's account was created on or after ``since``."""
    cond = pl.col("dataset").is_in(list(newcomer_datasets)) | (pl.col("account_created_on") >= since).fill_null(False)
    return notes.lazy().filter(cond).select("dataset", "note_id").unique().collect()


def reply_threads(comments: pl.DataFrame | pl.LazyFrame, max_depth: int = MAX_DEPTH) -> pl.DataFrame:
    """Per comment: dataset, comment_id, note_id, parent_comment_id, ``root_comment_id``
    (the first comment of its thread), ``depth`` (0 for a top-level comment) and
    ``orphan`` (its chain reaches a parent missing from the table; the root is then the
    last comment present). A chain longer than ``max_depth`` (a cycle) raises ValueError."""
    base = comments.lazy().select(
        "dataset", "comment_id", "note_id",
        pl.when(pl.col("parent_comment_id").str.strip_chars().is_in(["", "0"]))
        .then(None).otherwise(pl.col("parent_comment_id")).alias("parent_comment_id")).collect()
    parents = base.select("dataset", pl.col("comment_id").alias("cursor"),
                          pl.col("parent_comment_id").alias("next"), pl.lit(True).alias("_hit"))
    walk = base.with_columns(pl.col("comment_id").alias("root_comment_id"), pl.col("parent_comment_id").alias("cursor"),
                             pl.lit(0, dtype=pl.Int64).alias("depth"), pl.lit(False).alias("orphan"))
    for _ in range(max_depth + 1):
        if walk["cursor"].null_count() == walk.height:
            return walk.drop("cursor").sort("dataset", "note_id", "root_comment_id", "depth", "comment_id")
        step = walk.join(parents, on=["dataset", "cursor"], how="left", validate="m:1")
        hit, replying = pl.col("_hit").fill_null(False), pl.col("cursor").is_not_null()
        walk = step.select(
            "dataset", "comment_id", "note_id", "parent_comment_id",
            pl.when(hit).then(pl.col("cursor")).otherwise(pl.col("root_comment_id")).alias("root_comment_id"),
            pl.when(hit).then(pl.col("next")).otherwise(None).alias("cursor"),
            pl.when(replying).then(pl.col("depth") + 1).otherwise(pl.col("depth")).alias("depth"),
            (pl.col("orphan") | (replying & ~hit)).alias("orphan"),
        )
    raise ValueError(f"reply chains longer than {max_depth} levels: parent_comment_id forms a cycle")


def thread(comments: pl.DataFrame, comment_id: str) -> pl.DataFrame:
    """Every comment of the thread holding ``comment_id``, first comment first, replies by
    depth then time: dataset, comment_id, parent_comment_id, depth, published_at, text."""
    threads = reply_threads(comments)
    root = threads.filter(pl.col("comment_id") == comment_id)
    if root.height == 0:
        raise KeyError(f"no comment {comment_id!r} in the comments table")
    keys = root.select("dataset", "root_comment_id")
    members = threads.join(keys, on=["dataset", "root_comment_id"], how="semi")
    return (members.join(comments.select("dataset", "comment_id", "published_at", "text"),
                         on=["dataset", "comment_id"], how="left", validate="1:1")
            .sort("depth", "published_at", "comment_id")
            .select("dataset", "comment_id", "parent_comment_id", "depth", "published_at", "text"))


def lexicon_shares_by_language(comments: pl.DataFrame | pl.LazyFrame, languages: pl.DataFrame,
                               lexicon: pl.DataFrame, categories: list[str] | None = None,
                               on_notes: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per lexicon category and comment language: comments mentioning the category (k) of
    all comments in that language (n), share and Wilson 95% interval. ``languages`` is
    (dataset, comment_id, language); ``on_notes`` (dataset, note_id) keeps only comments
    under those notes (e.g. ``newcomer_notes``)."""
    cats = categories or list(lex_mod.category_patterns(lexicon))
    frame = comments.lazy()
    if on_notes is not None:
        frame = frame.join(on_notes.lazy(), on=["dataset", "note_id"], how="semi")
    flags = (lex_mod.select_flags(frame, for_matching(pl.col("text")), lexicon, keep=("dataset", "comment_id"))
             .join(languages.lazy().select("dataset", "comment_id", "language"), on=["dataset", "comment_id"],
                   how="left", validate="1:1")
             .with_columns(pl.col("language").fill_null("other")))
    counts = (flags.group_by("language").agg(pl.len().cast(pl.Int64).alias("n"),
                                             *[pl.col(c).sum().cast(pl.Int64) for c in cats])
              .unpivot(index=["language", "n"], on=cats, variable_name="category", value_name="k").collect())
    lo, hi = stats.wilson_exprs(pl.col("k"), pl.col("n"))
    return (counts.with_columns((pl.col("k") / pl.col("n")).alias("share"), lo.alias("lo"), hi.alias("hi"))
            .select(list(SHARE_SCHEMA)).cast(SHARE_SCHEMA).sort("category", "language"))
