"""Smoke contract of the loaders others build on (full specifications in the other test files)."""

import polars as pl

from analysis.io import schema
from analysis.io.datasets import real_bundle
from analysis.sample import sample_bundle


def test__real_bundle__tables_match_schema():
    bundle = real_bundle()
    for name in ("notes", "creators", "media_kits", "comments", "headlines", "quarantine"):
        assert getattr(bundle, name).schema == schema.polars_schema(name), name


def test__sample_bundle__is_deterministic_and_canonical():
    a, b = sample_bundle(), sample_bundle()
    assert a.mode == "sample"
    for name in ("notes", "creators", "media_kits", "headlines"):
        assert getattr(a, name).schema == schema.polars_schema(name), name
        assert getattr(a, name).equals(getattr(b, name)), name
    assert a.notes.height == 360
    assert a.media_kits.height == 30
    assert a.headlines["is_clickbait"].sum() == 100
    assert a.notes["published_at"].dt.year().unique().to_list() == [2025]
    assert set(a.notes["published_at"].dt.month().unique()) == {1, 2, 3}
    assert a.notes.filter(pl.col("text").str.contains("#ad|合作|广告")).height > 0
