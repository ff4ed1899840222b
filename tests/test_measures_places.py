"""Specification of analysis.measures.places."""

import polars as pl
import pytest

from analysis import stats
from analysis.measures import places


def test__place_ranking__merges_aliases_counts_missing_and_gives_wilson_bounds():
    frame = pl.DataFrame({"ip_location": ["U.S.", "美国", "IP属地：广东", "广东", "美国", None, " "]})
    r = places.place_ranking(frame, "notes")
    assert r.select("rank", "place", "k").rows() == [(1, "美国", 3), (2, "广东", 2)]
    top = r.row(0, named=True)
    assert (top["n"], top["missing"], top["share"]) == (5, 2, pytest.approx(3 / 5))
    lo, hi = stats.wilson_interval(3, 5)
    assert (top["lo"], top["hi"]) == (pytest.approx(lo), pytest.approx(hi))


def test__place_rankings__stacks_the_three_tables_and_skips_empty_ones():
    notes = pl.DataFrame({"ip_location": ["美国"]})
    creators = pl.DataFrame({"ip_location": ["浙江", "浙江"]})
    comments = pl.DataFrame({"ip_location": pl.Series([], dtype=pl.String)})
    r = places.place_rankings(notes, creators, comments)
    assert r.select("table", "place", "k").rows() == [("notes", "美国", 1), ("creators", "浙江", 2)]
