"""Instances for existence claims: the notes that say a thing, each with a pseudonymous
reference and a short quote, so a reader can check the verdict one note at a time."""

from __future__ import annotations

import polars as pl

from analysis.config import pseudonym_salt
from analysis.io.tables import pseudonymize
from analysis.measures.common import note_text

#: Characters of context either side of the match in a quote.
QUOTE_CONTEXT = 60


def find_instances(notes: pl.DataFrame | pl.LazyFrame, patterns: dict[str, str], limit: int = 3) -> pl.DataFrame:
    """Per part of a claim, the notes whose text matches its (case-insensitive) regex.

    Columns: part, n_found (all matching notes), note_ref, quote (up to ``limit`` per part,
    the earliest first). A part with no match has one row with n_found 0 and null quote.
    """
    text = note_text()
    raw = text.str.replace_all(r"\s+", " ")  # quoted as matched: normalised, lower-cased
    frames = []
    for part, pattern in patterns.items():
        rx = f"(?i){pattern}"
        hits = (
            notes.lazy().filter(text.str.contains(rx))
            .with_columns(raw.alias("_raw"))
            .sort("published_at")
            .select(
                pl.lit(part).alias("part"),
                pl.len().over(pl.lit(1)).cast(pl.Int64).alias("n_found"),
                pl.col("note_id").cast(pl.String).alias("note_ref"),
                pl.col("_raw").str.extract(f"(?is)(.{{0,{QUOTE_CONTEXT}}}(?:{pattern}).{{0,{QUOTE_CONTEXT}}})", 1)
                .str.strip_chars().alias("quote"),
            )
            .head(limit)
            .collect()
        )
        # The same salted hash as account ids: a stable reference that hides the platform id.
        hits = hits.with_columns(pseudonymize(hits["note_ref"], pseudonym_salt()).str.replace("acct_", "note_"))
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
