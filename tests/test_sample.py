"""Specification of the synthetic sample (analysis/sample.py)."""

import polars as pl

from analysis.io import schema
from analysis.io.sample import sample_bundle


def test__sample_bundle__is_deterministic():
    a, b = sample_bundle(), sample_bundle()
    for name in ("notes", "creators", "media_kits", "headlines", "load_log", "sources"):
        assert getattr(a, name).equals(getattr(b, name)), name


def test__sample_bundle__canonical_tables_and_sizes():
    bundle = sample_bundle()
    assert (bundle.mode, bundle.illustrative) == ("sample", True)
    sizes = {}
    for name in ("notes", "creators", "media_kits", "comments", "headlines", "quarantine"):
        frame = getattr(bundle, name)
        assert frame.schema == schema.polars_schema(name), name
        sizes[name] = frame.height
    assert sizes == {"notes": 360, "creators": 60, "media_kits": 30, "comments": 0, "headlines": 200, "quarantine": 0}
    assert bundle.notes["dataset"].unique().to_list() == ["sample"]
    log = bundle.load_log
    assert (log["rows_read"] == log["loaded"]).all()


def test__sample_bundle__covers_what_every_section_needs():
    bundle = sample_bundle()
    notes = bundle.notes
    assert set(notes["published_at"].dt.month().unique()) == {1, 2, 3}
    assert notes["published_at"].dt.year().unique().to_list() == [2025]
    assert notes["note_id"].n_unique() == notes.height
    has_han = notes["title"].str.contains(r"\p{Han}")
    has_latin = notes["title"].str.contains(r"[A-Za-z]{3}")
    assert (has_han & ~has_latin).any() and (has_latin & ~has_han).any() and (has_han & has_latin).any()
    assert notes.filter(pl.col("text").str.contains("#ad|合作|广告|赞助")).height > 0
    assert notes.filter(pl.col("title").str.contains("(?i)cat tax|spy|coloniz")).height > 0
    assert set(bundle.creators["gender"].unique()) <= set(schema.GENDERS)
    assert bundle.media_kits["follower_female_share"].is_between(0, 1).all()
    assert bundle.headlines["is_clickbait"].sum() == 100
