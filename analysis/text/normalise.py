"""Text normalisation as polars expressions (work on DataFrames and LazyFrames alike).

RedNote text carries platform markup that is not the author's words: hashtags are
written ``#小红书[话题]#``, stickers are codes such as ``[笑哭R]``, and full-width
letters (``ＡＢＣ``) appear in Chinese input. Every matcher and the language identifier
read text through these expressions so they all see the same thing.
"""

from __future__ import annotations

import polars as pl

#: Sticker codes (``[笑哭R]``, ``[赞R]``, ``[doge]``) and the hashtag marker ``[话题]``.
STICKER_PATTERN = r"\[[^\[\]\s]{1,10}R\]|\[话题\]|\[doge\]"
#: A RedNote hashtag ``#小红书[话题]#`` (may contain spaces) or a plain ``#tag``.
HASHTAG_PATTERN = r"#[^#\n]{1,40}?\[话题\]#|#[^\s#]+#?"
URL_PATTERN = r"https?://\S+|www\.\S+"
MENTION_PATTERN = r"@[^\s@#]+"


def post_text(title: str | pl.Expr = "title", text: str | pl.Expr = "text") -> pl.Expr:
    """Title and body joined by a newline; a missing part counts as empty, never null."""
    title = pl.col(title) if isinstance(title, str) else title
    text = pl.col(text) if isinstance(text, str) else text
    return pl.concat_str([title.fill_null(""), text.fill_null("")], separator="\n")


def normalise(expr: pl.Expr) -> pl.Expr:
    """NFKC, sticker codes and ``[话题]`` removed, whitespace collapsed; case kept."""
    return _tidy(expr.fill_null("").str.normalize("NFKC"))


def _tidy(nfkc: pl.Expr) -> pl.Expr:
    """Sticker codes and ``[话题]`` removed and whitespace collapsed, on NFKC text.

    Each cut leaves a space, and no character composes with a space in NFKC, so
    the text stays NFKC and is not normalised a second time.
    """
    return nfkc.str.replace_all(STICKER_PATTERN, " ").str.replace_all(r"\s+", " ").str.strip_chars()


def for_matching(expr: pl.Expr) -> pl.Expr:
    """``normalise`` plus lower case: the form lexicons are matched against."""
    return normalise(expr).str.to_lowercase()


def strip_markup(expr: pl.Expr) -> pl.Expr:
    """The author's running words only: hashtags, URLs and @mentions removed.

    Hashtags are removed before sticker codes so ``#小红书[话题]#`` goes as one token;
    language identification uses this so a Chinese tag does not make an English post
    bilingual.
    """
    return _tidy(
        expr.fill_null("")
        .str.normalize("NFKC")
        .str.replace_all(URL_PATTERN, " ")
        .str.replace_all(HASHTAG_PATTERN, " ")
        .str.replace_all(MENTION_PATTERN, " ")
    )
