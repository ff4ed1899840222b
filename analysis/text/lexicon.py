"""Bilingual term lists kept as data, matched by vectorised polars expressions.

A lexicon is ``data/lexicons/<name>.csv`` with columns

    category  the label a match counts towards (e.g. ``sponsored``, ``cat_tax``)
    term      the word or phrase (or a regex, see ``match``)
    lang      ``en``, ``zh`` or ``any`` (documentation; matching does not depend on it)
    match     ``word`` (whole word, case-insensitive: ``ad`` does not match ``bad``, but
              ``在Costco经常`` does match ``costco``: Chinese characters count as boundaries),
              ``substring`` (case-insensitive; use it for Chinese, which has no spaces),
              or ``regex`` (a Rust-regex fragment, for the rare term that needs one)

and a short ``<name>.md`` beside it saying what the list is for, where the terms
came from and its known blind spots. Matching compiles each category into one regex,
so a list of any length costs one pass per category over the text column.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import polars as pl

from analysis import config

MATCH_KINDS = ("word", "substring", "regex")
LEXICON_SCHEMA = {"category": pl.String(), "term": pl.String(), "lang": pl.String(), "match": pl.String()}


class LexiconError(ValueError):
    """A lexicon file is malformed; the message names the file and row."""


def load_lexicon(name: str, folder: Path | None = None) -> pl.DataFrame:
    """Read and check ``<folder>/<name>.csv`` (default folder: data/lexicons)."""
    path = (folder or config.LEXICON_DIR) / f"{name}.csv"
    return _load(path)


@cache
def _load(path: Path) -> pl.DataFrame:
    if not path.exists():
        raise LexiconError(f"{path}: no such lexicon; lexicons live in {config.LEXICON_DIR} as <name>.csv")
    frame = pl.read_csv(path, schema_overrides=LEXICON_SCHEMA, comment_prefix="#", encoding="utf8")
    missing = [c for c in LEXICON_SCHEMA if c not in frame.columns]
    if missing:
        raise LexiconError(f"{path}: missing column(s) {missing}; expected {list(LEXICON_SCHEMA)}")
    frame = frame.select(pl.col(c).str.strip_chars() for c in LEXICON_SCHEMA)
    rows = frame.with_row_index("row", offset=2)  # row 1 is the header
    bad = rows.filter(pl.col("category").fill_null("").eq("") | pl.col("term").fill_null("").eq(""))
    if bad.height:
        raise LexiconError(f"{path}, row {bad['row'][0]}: empty category or term")
    bad = rows.filter(~pl.col("match").is_in(MATCH_KINDS) | pl.col("match").is_null())
    if bad.height:
        raise LexiconError(f"{path}, row {bad['row'][0]}, column match: {bad['match'][0]!r} is not one of {MATCH_KINDS}")
    for i, term in rows.filter(pl.col("match") == "regex").select("row", "term").rows():
        try:
            re.compile(term)
        except re.error as exc:
            raise LexiconError(f"{path}, row {i}, column term: bad regex {term!r}: {exc}") from None
    return frame


_UNICODE_BOUNDARY = re.compile(r"(?<!\\)\\b")


def _fragment(term: str, match: str) -> str:
    if match == "regex":
        # A regex term's \b means the same ASCII boundary as a word term's (a Unicode \b
        # also drops Rust's regex off its fast DFA: ~20x slower on a 10K-note column).
        return "(?:" + _UNICODE_BOUNDARY.sub(lambda _: r"(?-u:\b)", term) + ")"
    escaped = re.escape(term)
    if match == "word":
        # ASCII word boundaries: a Chinese character next to an English word is a
        # boundary ("在Costco经常" mentions Costco), which Unicode \b denies; and they
        # keep Rust's regex on its fast DFA path (~75x faster on the real notes).
        return rf"(?-u:\b){escaped}(?-u:\b)"
    return escaped


def category_patterns(lexicon: pl.DataFrame) -> dict[str, str]:
    """One case-insensitive regex per category, in the lexicon's category order."""
    patterns: dict[str, list[str]] = {}
    for category, term, match in lexicon.select("category", "term", "match").rows():
        patterns.setdefault(category, []).append(_fragment(term, match))
    # Longer alternatives first, so extract_all reports "luckin coffee" rather than "luckin".
    return {c: "(?i)" + "|".join(sorted(p, key=len, reverse=True)) for c, p in patterns.items()}


def flag_columns(text: pl.Expr, lexicon: pl.DataFrame, prefix: str = "") -> list[pl.Expr]:
    """Boolean expressions ``<prefix><category>``: does ``text`` mention the category?

    Null text counts as no mention (false), so shares keep their denominator.
    """
    return [
        text.str.contains(pattern).fill_null(False).alias(f"{prefix}{category}")
        for category, pattern in category_patterns(lexicon).items()
    ]


def matched_terms(text: pl.Expr, lexicon: pl.DataFrame, category: str) -> pl.Expr:
    """The list of (lower-cased) terms of ``category`` found in ``text``, for term counts."""
    pattern = category_patterns(lexicon)[category]
    return text.str.extract_all(pattern).list.eval(pl.element().str.to_lowercase())
