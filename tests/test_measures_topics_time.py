"""Specification of analysis.measures.topics_time."""

from datetime import date

import polars as pl
import pytest

from analysis.measures import topics_time
from tests.canonical_rows import notes_frame

LEX = pl.DataFrame({"category": ["food", "travel"], "term": ["noodles", "trip"], "lang": ["en", "en"],
                    "match": ["word", "word"]})


def test__weekly_topic_shares__counts_each_week_and_flags_artefact_weeks():
    # Eastern time: 2025-01-14 12:00Z and 2025-01-15 are in the week of Mon 13 Jan; 2025-01-21 in the next.
    notes = notes_frame([
        {"title": "noodles", "published_at": "2025-01-14 12:00"},
        {"title": "a trip with noodles", "published_at": "2025-01-15 12:00"},
        {"title": "nothing", "published_at": "2025-01-15 13:00"},
        {"title": "trip", "published_at": "2025-01-21 12:00"},
    ])
    w = topics_time.weekly_topic_shares(notes, LEX, artefact_days=[date(2025, 1, 22)])
    got = {(r["week"], r["topic"]): (r["k"], r["n"], r["artefact"]) for r in w.to_dicts()}
    assert got[(date(2025, 1, 13), "food")] == (2, 3, False)
    assert got[(date(2025, 1, 13), "travel")] == (1, 3, False)
    assert got[(date(2025, 1, 20), "travel")] == (1, 1, True)
    assert w.filter(pl.col("topic") == "food")["share"][0] == pytest.approx(2 / 3)


def test__edge_days__are_each_data_sets_first_and_last_day_and_flag_only_that_data_set():
    notes = pl.concat([
        notes_frame([{"published_at": "2025-01-14 12:00"}, {"published_at": "2025-02-03 12:00"}]),
        notes_frame([{"published_at": "2025-01-28 12:00", "title": "trip"}], dataset="other"),
    ])
    edges = topics_time.edge_days(notes)
    assert edges["tiktokrefugee-posts"] == [date(2025, 1, 14), date(2025, 2, 3)]
    w = topics_time.weekly_topic_shares(notes, LEX, edges)
    other = w.filter(pl.col("dataset") == "other")
    assert other["artefact"].all()  # its single day is its first and last
    assert w.filter(pl.col("dataset") == "tiktokrefugee-posts")["artefact"].all()
