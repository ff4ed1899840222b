"""Instances for existence claims: the notes that say a thing, each with a pseudonymous
reference and a short quote, so a reader can check the verdict one note at a time."""

from __future__ import annotations

import polars as pl

from analysis.config import pseudonym_salt
from analysis.io.tables import pseudonymize
from analysis.measures.common import lexicon_text
from analysis.memo import remembered

#: Characters of context either side of the match in a quote.
QUOTE_CONTEXT = 60


def find_instances(notes: pl.DataFrame | pl.LazyFrame, patterns: dict[str, str], limit: int = 3) -> pl.DataFrame:
    """Per part of a claim, the notes whose text matches its (case-insensitive) regex.

    Columns: part, n_found (all matching notes), note_ref, quote (up to ``limit`` per part,
    the earliest first). A part with no match has one row with n_found 0 and null quote.
    """
    return _find_instances(notes, tuple(patterns.items()), limit, pseudonym_salt())


@remembered(16)  # small answers; the verdicts' sensitivity asks again for the same notes and patterns
def _find_instances(notes: pl.DataFrame | pl.LazyFrame, parts: tuple[tuple[str, str], ...], limit: int,
                    salt: str) -> pl.DataFrame:
    patterns = dict(parts)
    text = lexicon_text(notes)  # normalised once (or already, by the build), every part in one pass
    flags = {f"_part{i}": text.str.contains(f"(?i){pattern}") for i, pattern in enumerate(patterns.values())}
    matched = (
        notes.lazy().select("note_id", "published_at", text.alias("_text"), **flags)
        .filter(pl.any_horizontal(*flags) if flags else pl.lit(False))
        .collect()
    )
    frames = []
    for flag, (part, pattern) in zip(flags, patterns.items(), strict=True):
        found = matched.filter(pl.col(flag))
        hits = (
            found.sort("published_at").head(limit)
            .select(
                pl.lit(part).alias("part"),
                pl.lit(found.height).cast(pl.Int64).alias("n_found"),
                pl.col("note_id").cast(pl.String).alias("note_ref"),
                # quoted as matched: normalised, lower-cased, whitespace collapsed
                pl.col("_text").str.replace_all(r"\s+", " ")
                .str.extract(f"(?is)(.{{0,{QUOTE_CONTEXT}}}(?:{pattern}).{{0,{QUOTE_CONTEXT}}})", 1)
                .str.strip_chars().alias("quote"),
            )
        )
        # The same salted hash as account ids: a stable reference that hides the platform id.
        hits = hits.with_columns(pseudonymize(hits["note_ref"], salt).str.replace("acct_", "note_"))
        if hits.height == 0:
            hits = pl.DataFrame({"part": [part], "n_found": [0], "note_ref": [None], "quote": [None]},
                                schema={"part": pl.String, "n_found": pl.Int64, "note_ref": pl.String,
                                        "quote": pl.String})
        frames.append(hits)
    return pl.concat(frames)


def found_counts(instances: pl.DataFrame) -> dict[str, int]:
    """Part → number of notes found, from ``find_instances``."""
    return dict(instances.group_by("part", maintain_order=True).agg(pl.col("n_found").first()).rows())


def instances_text(instances: pl.DataFrame) -> str:
    """The ledger's ``instances`` column: ``part: ref "quote"`` joined with " | "."""
    rows = instances.filter(pl.col("quote").is_not_null())
    return " | ".join(f'{p}: {r} "{q}"' for p, r, q in rows.select("part", "note_ref", "quote").rows())
