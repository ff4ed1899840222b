"""Specification of analysis.measures.engagement."""

from datetime import date

import numpy as np
import polars as pl
import pytest

from analysis.measures import engagement
from tests.canonical_rows import notes_frame


def test__note_features__bands_length_tags_hour_weekday_and_account_age():
    notes = notes_frame([
        {"title": "hi", "tags": ["a", "b"], "published_at": "2025-01-14 15:00",  # 10:00 Tuesday in New York
         "account_created_on": date(2025, 1, 13)},
        {"title": "x" * 150, "tags": [], "published_at": "2025-01-19 03:00", "account_created_on": None},
    ])
    langs = pl.DataFrame({"dataset": "tiktokrefugee-posts", "note_id": ["n1", "n2"], "language": ["english", "other"]})
    f = engagement.note_features(notes, langs).sort("note_id")
    assert f.select("length", "hashtags", "hour", "weekday", "account_age", "language").rows() == [
        ("≤20", "1–3", "06–11", "Tuesday", "<30 days", "english"),
        ("101–300", "0", "18–23", "Saturday", "unknown", "other"),
    ]


def test__fit_count_model__recovers_a_known_rate_ratio_from_simulated_counts():
    rng = np.random.default_rng(3)
    n = 4000
    video = rng.integers(0, 2, n)
    mu = 20 * np.where(video == 1, 3.0, 1.0)
    likes = rng.negative_binomial(2, 2 / (2 + mu))
    feats = pl.DataFrame({
        "account_id": [f"a{i % 400}" for i in range(n)], "dataset": "d", "liked_count": likes,
        "note_type": np.where(video == 1, "video", "normal"), "length": "≤20", "language": "english",
        "hashtags": "0", "hour": "06–11", "weekday": "Monday", "account_age": "unknown",
    })
    m = engagement.fit_count_model(feats, "liked_count").row(0, named=True)
    assert (m["feature"], m["level"], m["reference"]) == ("note_type", "video", "normal")
    assert m["lo"] < 3.0 < m["hi"]
    assert m["rate_ratio"] == pytest.approx(3.0, rel=0.1)


def test__fit_count_model__says_why_when_there_is_too_little_data():
    feats = pl.DataFrame({"account_id": ["a"], "dataset": "d", "liked_count": [1], "note_type": "normal",
                          "length": "≤20", "language": "english", "hashtags": "0", "hour": "06–11",
                          "weekday": "Monday", "account_age": "unknown"})
    with pytest.raises(engagement.ModelError, match="at least 30 notes"):
        engagement.fit_count_model(feats)


def test__saves_per_like__pools_over_notes_per_group():
    feats = pl.DataFrame({"dataset": ["a", "a", "b"], "liked_count": [10, 30, 5], "collected_count": [1, 3, 5]})
    r = engagement.saves_per_like(feats)
    assert r.select("group", "saves", "likes", "n").rows() == [("a", 4, 40, 2), ("b", 5, 5, 1)]
    assert r["ratio"].to_list() == pytest.approx([0.1, 1.0])
