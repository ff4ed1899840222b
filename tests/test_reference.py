"""Specifications of analysis.reference: the published figures as typed data."""

import re

import polars as pl
import pytest

from analysis import config, reference


def test__figure__whistleout_facebook_ad_load():
    ref = reference.figure("adload_facebook_2020")
    assert (ref.value, ref.unit, ref.confidence) == (0.212, "share", "S")
    assert ref.formatted() == "21.2%"
    assert "WhistleOut" in ref.label() and "confidence S" in ref.label()


def test__figure__range_is_formatted_with_both_ends():
    ref = reference.figure("xhs_ad_load_low")
    assert (ref.value, ref.value_hi, ref.confidence) == (0.05, 0.08, "L")
    assert ref.formatted() == "5–8%"


def test__figure__unknown_id_names_the_known_ones():
    with pytest.raises(KeyError, match=r"no published figure 'nope'.*adload_facebook_2020"):
        reference.figure("nope")


def test__figures__all_three_female_share_figures_present():
    got = (
        reference.figures()
        .filter(pl.col("metric") == "share of RedNote users who are female")
        .sort("value")["value"].to_list()
    )
    assert got == [0.70, 0.75, 0.80]


def test__figures__every_confidence_is_d_s_or_l():
    assert set(reference.figures()["confidence"]) <= {"D", "S", "L"}


def test__timeline__dates_are_typed_and_sorted():
    tl = reference.timeline()
    assert tl.schema["date"] == pl.Date()
    row = tl.filter(pl.col("id") == "tiktok_dark_us").row(0, named=True)
    assert str(row["date"]) == "2025-01-18"
    assert tl["date"].is_sorted()


def test__check_cited__accepts_figures_and_events():
    assert reference.check_cited(["eo_14166", "adload_instagram_2020", "eo_14166"]) == [
        "adload_instagram_2020", "eo_14166"]


def test__check_cited__lists_every_missing_id():
    with pytest.raises(reference.UnknownFigure, match=r"\['a_missing', 'b_missing'\]"):
        reference.check_cited(["b_missing", "pew2023_tiktok", "a_missing"])


def test__figures__bad_confidence_names_file_row_column(tmp_path):
    (tmp_path / "published_figures.csv").write_text(
        "id,metric,value,value_hi,unit,date,source,url,confidence,note\n"
        "x,m,0.5,,share,2024,src,,D,\n"
        "y,m,0.5,,share,2024,src,,maybe,\n",
        encoding="utf-8",
    )
    with pytest.raises(reference.ReferenceDataError, match=r"row 3, column confidence: 'maybe'"):
        reference.figures(tmp_path)


_CITED = re.compile(r"""figure\(\s*["']([A-Za-z0-9_]+)["']""")


def test__check_cited__every_id_cited_in_analysis_and_notebooks_exists():
    sources = [*(config.ROOT / "analysis").rglob("*.py"), *config.NOTEBOOKS_DIR.glob("*.ipynb")]
    cited = {m for path in sources for m in _CITED.findall(path.read_text(encoding="utf-8"))}
    reference.check_cited(cited)
