"""analysis.io.load.load_bundle: the date window is applied once, when the build's cache is
written; notebooks reading the cache get the windowed rows as they are."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from analysis.io.bundle import Bundle
from analysis.io.load import load_bundle


def test__load_bundle__saves_the_windowed_notes_and_reads_them_back_unchanged(tmp_path, monkeypatch):
    first = load_bundle("sample", "2025-01-13", "2025-01-20", cache_dir=str(tmp_path))
    days = first.notes["published_at"].dt.date()
    assert first.notes.height > 0 and days.min() >= date(2025, 1, 13) and days.max() <= date(2025, 1, 20)
    saved = Bundle.open(tmp_path)
    assert saved.window == ("2025-01-13", "2025-01-20")
    assert saved.notes.height == first.notes.height  # the cache holds the windowed rows

    def no_second_window(*_):
        raise AssertionError("the window was applied again")

    monkeypatch.setattr("analysis.io.load.apply_window", no_second_window)
    again = load_bundle("sample", "2025-01-13", "2025-01-20", cache_dir=str(tmp_path))
    assert again.notes.equals(first.notes)
    comments_of_kept = again.comments.join(again.notes.select("dataset", "note_id"), on=["dataset", "note_id"], how="anti")
    assert comments_of_kept.height == 0


def test__load_bundle__refuses_a_cache_made_for_another_window(tmp_path):
    load_bundle("sample", "2025-01-13", "", cache_dir=str(tmp_path))
    with pytest.raises(ValueError, match=r"holds notes windowed to \('2025-01-13', ''\), not \('', ''\)"):
        load_bundle("sample", "", "", cache_dir=str(tmp_path))


def test__load_bundle__without_a_window_keeps_every_note(tmp_path):
    whole = load_bundle("sample")
    assert load_bundle("sample", cache_dir=str(tmp_path)).notes.height == whole.notes.height
    assert isinstance(whole.notes, pl.DataFrame)
