"""Hand-labelled fixtures in data/labels/: read and checked, with errors that name the row.

A label file holds ids and labels only (no third-party text); the texts are read from
the canonical tables by joining on (dataset, note_id).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from analysis import config


class LabelFileError(ValueError):
    """A label file is missing or malformed; the message names file, row and column."""


def read_labels(name: str, columns: dict[str, pl.DataType], allowed: dict[str, tuple[str, ...]],
                folder: Path | None = None) -> pl.DataFrame:
    """``<folder>/<name>.csv`` with exactly ``columns``; values of ``allowed`` columns checked."""
    path = (folder or config.LABELS_DIR) / f"{name}.csv"
    if not path.exists():
        raise LabelFileError(f"{path}: no such label file; label files live in {config.LABELS_DIR}")
    frame = pl.read_csv(path, schema_overrides=columns, comment_prefix="#")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise LabelFileError(f"{path}: missing column(s) {missing}; expected {list(columns)}")
    rows = frame.select(list(columns)).with_row_index("_row", offset=2)  # row 1 is the header
    for col, values in allowed.items():
        bad = rows.filter(~pl.col(col).is_in(list(values)) | pl.col(col).is_null())
        if bad.height:
            raise LabelFileError(
                f"{path}, row {bad['_row'][0]}, column {col}: {bad[col][0]!r} is not one of {values}"
            )
    return rows.drop("_row")
