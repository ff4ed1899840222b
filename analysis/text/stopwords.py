"""Stop lists for word counts: ``data/stopwords/<lang>.csv`` (columns term, source)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import polars as pl

from analysis import config

STOP_LANGUAGES = ("en", "zh")


class StopListError(ValueError):
    """A stop list is missing or malformed; the message names the file and row."""


def load_stopwords(lang: str, folder: Path | None = None) -> frozenset[str]:
    """The lower-cased stop words of ``lang`` (``en`` or ``zh``)."""
    if lang not in STOP_LANGUAGES:
        raise StopListError(f"no stop list for {lang!r}; use one of {STOP_LANGUAGES}")
    return _load((folder or config.STOPWORDS_DIR) / f"{lang}.csv")


def all_stopwords(folder: Path | None = None) -> frozenset[str]:
    """English and Chinese stop words together (the segmenter emits both in one text)."""
    return frozenset().union(*(load_stopwords(lang, folder) for lang in STOP_LANGUAGES))


@cache
def _load(path: Path) -> frozenset[str]:
    if not path.exists():
        raise StopListError(f"{path}: no such stop list; stop lists live in {config.STOPWORDS_DIR}")
    frame = pl.read_csv(path, schema_overrides={"term": pl.String(), "source": pl.String()}, encoding="utf8")
    if "term" not in frame.columns:
        raise StopListError(f"{path}: missing column 'term'; expected columns term, source")
    blank = frame.with_row_index("row", offset=2).filter(pl.col("term").str.strip_chars().fill_null("") == "")
    if blank.height:
        raise StopListError(f"{path}, row {blank['row'][0]}, column term: empty term")
    return frozenset(frame["term"].str.strip_chars().str.to_lowercase().to_list())
