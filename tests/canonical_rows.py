"""Tiny canonical notes tables for specification tests (analysis/io/schema.py columns)."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from analysis.io.schema import polars_schema


def notes_frame(rows: list[dict], dataset: str = "tiktokrefugee-posts") -> pl.DataFrame:
    """A canonical notes table from a few dicts; unspecified columns take neutral defaults.

    ``published_at`` may be given as ``"2025-01-13 15:00"`` (read as UTC).
    """
    schema = polars_schema("notes")
    filled = []
    for i, row in enumerate(rows, start=1):
        base = {
            "note_id": f"n{i}", "account_id": f"acct_{i:012x}", "title": "", "text": "", "tags": [],
            "note_type": "normal", "liked_count": 0, "dataset": dataset, "source_file": "fixture.csv",
            "source_row": i,
        }
        base.update(row)
        when = base.get("published_at")
        if isinstance(when, str):
            base["published_at"] = datetime.fromisoformat(when + "+00:00")
        filled.append(base)
    return pl.DataFrame(filled, schema=schema, strict=False)
