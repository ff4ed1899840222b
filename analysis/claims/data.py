"""Which rows a claim reads: the newcomers' notes, and the creators' beside them.

Selection, not measurement: a claim picks its population here and hands the rows to
the measures."""

from __future__ import annotations

import polars as pl

from analysis.measures.common import CREATORS, REFUGEE


def newcomer_notes(bundle) -> tuple[pl.DataFrame, str]:
    """The notes a claim about the newcomers reads, and their data set id.

    The refugee data set when the bundle holds it; otherwise (the synthetic sample, or a
    user's own export) all the bundle's notes, labelled with their data set id(s), so a
    section still computes — the sample's rows are flagged illustrative by the ledger.
    """
    notes = bundle.notes
    if notes.filter(pl.col("dataset") == REFUGEE).height:
        return notes.filter(pl.col("dataset") == REFUGEE), REFUGEE
    others = notes.filter(pl.col("dataset") != CREATORS)
    notes = others if others.height else notes  # the creators stand in only when nothing else is there
    ids = sorted(notes["dataset"].unique().to_list())
    return notes, "+".join(ids) if ids else REFUGEE


def newcomers_and_creators(bundle) -> tuple[pl.DataFrame, str]:
    """The newcomers' notes (labelled with their data set id, see ``newcomer_notes``)
    together with the creators' notes, for side-by-side comparisons; and the newcomers' id."""
    notes, source = newcomer_notes(bundle)
    creators = bundle.notes.filter(pl.col("dataset") == CREATORS) if CREATORS not in source else bundle.notes.clear()
    return pl.concat([notes.with_columns(pl.lit(source).alias("dataset")), creators]), source
