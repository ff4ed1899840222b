"""``data export``: canonical tables as month-partitioned Parquet that read back unchanged."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import polars as pl
import pytest
from canonical_rows import notes_frame
from polars.testing import assert_frame_equal

from analysis.io.export import ExportError, export_bundle, read_notes
from analysis.io.sample import sample_bundle


def test__export__partitions_notes_by_utc_month_and_reads_back_the_same_rows(tmp_path):
    bundle = sample_bundle()
    rows = export_bundle(bundle, tmp_path / "out")
    months = sorted(p.name for p in (tmp_path / "out" / "notes").iterdir())
    expected_months = sorted({f"month={d:%Y-%m}" for d in bundle.notes["published_at"].drop_nulls()})
    assert months == expected_months
    back = read_notes(tmp_path / "out").collect()
    assert_frame_equal(back.sort("dataset", "note_id"), bundle.notes.sort("dataset", "note_id"), check_column_order=False)
    meta = json.loads((tmp_path / "out" / "export.json").read_text())
    assert meta["rows"]["notes"] == bundle.notes.height == rows["notes"]
    assert (tmp_path / "out" / "headlines.parquet").exists()


def test__export__refuses_a_folder_that_already_holds_files(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(ExportError, match="not an empty folder"):
        export_bundle(sample_bundle(), tmp_path)


def test__export__two_notes_in_different_months_land_in_two_partitions(tmp_path):
    notes = notes_frame([{"published_at": datetime(2025, 1, 31, 23, tzinfo=UTC)},
                         {"published_at": datetime(2025, 2, 1, 1, tzinfo=UTC)}])
    from dataclasses import replace

    export_bundle(replace(sample_bundle(), notes=notes), tmp_path / "o")
    parts = {p.name: pl.read_parquet(next(p.glob("*.parquet"))).height for p in (tmp_path / "o" / "notes").iterdir()}
    assert parts == {"month=2025-01": 1, "month=2025-02": 1}
