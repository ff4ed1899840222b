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
came from and its known blind spots.

Matching makes one Aho-Corasick pass over the text for the literal terms of every
lexicon at once (``Matcher``, ``with_masks``): the text is marked at each ASCII word
boundary, so a ``word`` term is the literal ``MARK term MARK`` and whole-word matching
needs no regex; each note gets a bit mask of the categories found. Only ``regex`` terms
(rare) are matched as regexes. The flags equal one case-insensitive regex per category
(``category_patterns``), which the Spark engine and the benchmark's pandas and DuckDB
versions still use.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl

from analysis import config

MATCH_KINDS = ("word", "substring", "regex")
Frame = pl.DataFrame | pl.LazyFrame
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


def matched_terms(text: pl.Expr, lexicon: pl.DataFrame, category: str) -> pl.Expr:
    """The list of (lower-cased) terms of ``category`` found in ``text``, for term counts."""
    pattern = category_patterns(lexicon)[category]
    return text.str.extract_all(pattern).list.eval(pl.element().str.to_lowercase())


# --- One pass for every lexicon --------------------------------------------------------

#: Characters outside ASCII that Rust's case-insensitive regex folds onto an ASCII letter
#: (Kelvin sign → k, long s → s) while its ASCII \b counts them as non-word: no literal
#: pattern can say both, so the rare text holding one is matched by the category regexes.
#: NFKC-normalised text (``note_text``) holds neither.
_ASCII_FOLDS = ("\u212a", "\u017f")
#: Written at every ASCII word boundary of the text (around each run of [A-Za-z0-9_]), so
#: a ``word`` term is the literal ``MARK term MARK``: Aho-Corasick then decides whole
#: words exactly as the regex's (?-u:\b) does, with no regex pass.
MARK = "\x1f"
_WORD_RUN = r"[A-Za-z0-9_]+"
_INNER_BOUNDARY = re.compile(r"(?<=[A-Za-z0-9_])(?=[^A-Za-z0-9_])|(?<=[^A-Za-z0-9_])(?=[A-Za-z0-9_])")
_WORD_CHAR = re.compile(r"[A-Za-z0-9_]")
_BITS = 64  # per mask column


def _literal(term: str, match: str) -> str | None:
    """The Aho-Corasick pattern (lower-cased, boundaries marked) that finds ``term`` in
    marked text exactly where its regex would, or None where only the regex can: regex
    terms, terms with a non-ASCII letter that has case (``É``: ASCII case folding only),
    and word terms that start or end with a non-word character (``#ad``)."""
    if match == "regex" or MARK in term or not all(ch.isascii() or ch.lower() == ch.upper() for ch in term):
        return None
    inner = _INNER_BOUNDARY.sub(MARK, term.lower())
    if match == "substring":
        return inner
    if not (_WORD_CHAR.fullmatch(term[0]) and _WORD_CHAR.fullmatch(term[-1])):
        return None
    return f"{MARK}{inner}{MARK}"


@dataclass(frozen=True)
class Matcher:
    """Every category of some named lexicons, matched in one Aho-Corasick pass.

    ``patterns``: the literal patterns; ``pattern_bits``: per pattern, the bits of every
    (lexicon, category) it belongs to (``slots``); ``regex_patterns``: per (lexicon,
    category), one regex for the terms Aho-Corasick cannot match (see ``_literal``).
    """

    patterns: tuple[str, ...]
    pattern_bits: tuple[int, ...]
    slots: Mapping[tuple[str, str], int]
    categories: Mapping[str, tuple[str, ...]]
    regex_patterns: Mapping[tuple[str, str], str]

    @classmethod
    def of(cls, lexicons: Mapping[str, pl.DataFrame]) -> Matcher:
        slots: dict[tuple[str, str], int] = {}
        bits: dict[str, int] = {}
        regexes: dict[tuple[str, str], list[str]] = {}
        categories: dict[str, tuple[str, ...]] = {}
        for name, lexicon in lexicons.items():
            categories[name] = tuple(category_patterns(lexicon))
            for category, term, match in lexicon.select("category", "term", "match").rows():
                key = (name, category)
                pattern = _literal(term, match)
                if pattern is None:
                    regexes.setdefault(key, []).append(_fragment(term, match))
                    continue
                slot = slots.setdefault(key, len(slots))
                bits[pattern] = bits.get(pattern, 0) | (1 << slot)
        return cls(patterns=tuple(bits), pattern_bits=tuple(bits.values()), slots=slots, categories=categories,
                   regex_patterns={k: "(?i)" + "|".join(sorted(v, key=len, reverse=True)) for k, v in regexes.items()})

    @property
    def n_masks(self) -> int:
        return -(-len(self.slots) // _BITS)

    def found(self, text: pl.Expr, lowercased: bool = False) -> pl.Expr:
        """Per text, the indices (UInt32) of the patterns found: the one Aho-Corasick pass.
        ``lowercased``: the text has no upper-case ASCII letter (saves case folding)."""
        if any(MARK in p for p in self.patterns):
            text = text.str.replace_all(_WORD_RUN, f"{MARK}${{0}}{MARK}")
        hits = text.str.extract_many(list(self.patterns), ascii_case_insensitive=not lowercased, overlapping=True)
        hit = pl.element() if lowercased else pl.element().str.to_lowercase()
        return hits.list.eval(hit.replace_strict(list(self.patterns), range(len(self.patterns)), return_dtype=pl.UInt32))

    def masks(self, found: pl.Expr) -> list[pl.Expr]:
        """From ``found``: per 64 slots, a UInt64 with the bits of every category found."""
        out = []
        for k in range(self.n_masks):
            word = [(b >> (_BITS * k)) & (2**_BITS - 1) for b in self.pattern_bits]
            mask = found.list.eval(pl.element().replace_strict(range(len(word)), word, return_dtype=pl.UInt64)
                                   .bitwise_or())
            out.append(mask.list.first().fill_null(0))
        return out

    def flags(self, text: pl.Expr, masks: list[pl.Expr], odd: pl.Expr, *, lexicon: pl.DataFrame, name: str,
              prefix: str = "") -> list[pl.Expr]:
        """``<prefix><category>`` per category of lexicon ``name``, from ``masks`` (of the
        same ``text``): as one regex per category (``category_patterns``) would say.
        ``odd``: ``odd_text(text)``, where those regexes decide instead."""
        out = []
        whole = category_patterns(lexicon)
        for category in self.categories[name]:
            key = (name, category)
            parts = []
            if (slot := self.slots.get(key)) is not None:
                parts.append((masks[slot // _BITS] & pl.lit(1 << (slot % _BITS), dtype=pl.UInt64)) != 0)
            if key in self.regex_patterns:
                parts.append(text.str.contains(self.regex_patterns[key]))
            flag = pl.any_horizontal(parts).fill_null(False)
            out.append(pl.coalesce(odd.str.contains(whole[category]), flag).alias(f"{prefix}{category}"))
        return out


def odd_text(text: pl.Expr) -> pl.Expr:
    """``text`` where it holds a character of ``_ASCII_FOLDS``, else null."""
    return pl.when(text.str.contains_any(list(_ASCII_FOLDS))).then(text)


def flag_names(lexicon: pl.DataFrame, prefix: str = "") -> list[str]:
    """The flag columns ``with_flags`` adds, in the lexicon's category order."""
    return [f"{prefix}{c}" for c in lexicon["category"].unique(maintain_order=True).to_list()]


def select_flags(frame: Frame, text: pl.Expr, lexicon: pl.DataFrame, keep: Sequence[str | pl.Expr] = (),
                 prefix: str = "") -> Frame:
    """The ``keep`` columns (names or expressions) and ``with_flags``'s flags."""
    return with_flags(frame, text, lexicon, prefix).select(*keep, *flag_names(lexicon, prefix))


def lexicon_name(lexicon: pl.DataFrame, folder: Path | None = None) -> str | None:
    """The name of the lexicon file in ``folder`` (default data/lexicons) that ``lexicon``
    was read from (same rows), or None for a lexicon built elsewhere."""
    for path in sorted((folder or config.LEXICON_DIR).glob("*.csv")):
        if _load(path).equals(lexicon):
            return path.stem
    return None


def file_matcher(folder: Path | None = None) -> Matcher:
    """One ``Matcher`` for every lexicon file in ``folder`` (default data/lexicons)."""
    return _file_matcher(folder or config.LEXICON_DIR)


@cache
def _file_matcher(folder: Path) -> Matcher:
    return Matcher.of({path.stem: _load(path) for path in sorted(folder.glob("*.csv"))})


def mask_columns(column: str, matcher: Matcher) -> list[str]:
    """The columns ``with_masks`` adds: the category masks, then ``odd_text``."""
    return [*(f"{column}__lexicon_mask{k}" for k in range(matcher.n_masks)), f"{column}__lexicon_odd"]


def with_masks(frame: Frame, column: str, lowercased: bool = False) -> Frame:
    """``frame`` plus the masks of column ``column`` for every lexicon file at once (one
    Aho-Corasick pass), which ``with_flags`` then reads for any of those lexicons.
    ``lowercased`` as ``Matcher.found``."""
    matcher = file_matcher()
    found = f"{column}__lexicon_found"
    *names, odd = mask_columns(column, matcher)
    frame = frame.with_columns(matcher.found(pl.col(column), lowercased).alias(found), odd_text(pl.col(column)).alias(odd))
    return frame.with_columns(m.alias(n) for m, n in zip(matcher.masks(pl.col(found)), names, strict=True)).drop(found)


def with_flags(frame: Frame, text: pl.Expr, lexicon: pl.DataFrame, prefix: str = "") -> Frame:
    """``frame`` plus a Boolean ``<prefix><category>`` per lexicon category: does ``text``
    mention it? Null text counts as no mention (false), so shares keep their denominator.

    Reads ``with_masks`` columns (every lexicon file matched in one pass) when ``text``
    is a column that has them and ``lexicon`` is a lexicon file; otherwise one regex per
    category (``category_patterns``).
    """
    columns = frame.collect_schema().names()
    column = text.meta.output_name() if text.meta.is_column() else None
    name = lexicon_name(lexicon) if column else None
    if name is not None and all(c in columns for c in mask_columns(column, file_matcher())):
        *masks, odd = (pl.col(c) for c in mask_columns(column, file_matcher()))
        return frame.with_columns(file_matcher().flags(text, masks, odd, lexicon=lexicon, name=name, prefix=prefix))
    # One lexicon on its own: its per-category regexes run in parallel and beat marking
    # the text for a single Aho-Corasick pass (measured on 1M notes).
    patterns = category_patterns(lexicon)
    if text.meta.is_column() or len(patterns) < 2:
        return frame.with_columns(text.str.contains(p).fill_null(False).alias(f"{prefix}{c}")
                                  for c, p in patterns.items())
    # A derived text (e.g. ``for_matching(...)``) is computed once: eager frames do not
    # share common subexpressions, so each category would otherwise recompute it.
    scratch = "__lexicon_text" + "_" * sum(c.startswith("__lexicon_text") for c in columns)
    return (frame.with_columns(text.alias(scratch))
            .with_columns(pl.col(scratch).str.contains(p).fill_null(False).alias(f"{prefix}{c}")
                          for c, p in patterns.items())
            .drop(scratch))
