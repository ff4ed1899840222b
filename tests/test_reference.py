"""Specifications of analysis.reference: the published figures as typed data."""

import math
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


def test__figures__all_four_female_share_figures_present():
    got = (
        reference.figures()
        .filter(pl.col("metric") == "share of RedNote users who are female")
        .sort("value")["value"].to_list()
    )
    assert got == [0.70, 0.70, 0.75, 0.80]  # Nikkei, Al Jazeera, Fortune, Qiangua 2024


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


# --- issue 15: figures added for the verdicts ----------------------------------------

ISSUE15_IDS = (
    "tourism_foreigner_crossings_2019", "tourism_foreigner_crossings_2025", "tourism_foreigner_crossings_change_2025",
    "tourism_visa_free_entries_2025", "tourism_visa_free_share_of_entries_2025", "tourism_foreigner_crossings_2024_h1",
    "tourism_foreigner_entries_2024_h1", "tourism_visa_free_entries_2024_h1",
    "surge_us_downloads_jan8_14_vs_prior_week", "surge_us_share_of_downloads_jan2025", "surge_us_share_of_downloads_jan2024",
    "surge_us_dau_2025_01_19", "surge_us_dau_2025_01_20", "surge_us_dau_change_jan20", "surge_tiktok_us_dau_2025_01_19",
    "surge_us_dau_feb2025_vs_before", "xhs_ad_slots_discover_feed", "xhs_sharers_2022", "xhs_female_share_aljazeera_2022",
)


@pytest.mark.parametrize("fig_id", ISSUE15_IDS)
def test__figure__issue15_figure_is_citable(fig_id):
    ref = reference.figure(fig_id)
    assert math.isfinite(ref.value)
    assert ref.source.strip() and ref.date.strip()
    assert ref.url.startswith(("http://", "https://"))
    assert ref.confidence in reference.CONFIDENCES
    assert ref.note.strip(), "the note states the construct or the source's own wording"


def test__figures__every_url_is_a_web_address():
    urls = reference.figures().filter(pl.col("url") != "")["url"]
    assert urls.str.starts_with("http").all()


# NIA's published foreigner crossings (entries + exits): 2019 release of 4 Jan 2020,
# Xinhua 18 Jan 2024, CCTV 14 Jan 2025, Xinhua 28 Jan 2026.
NIA_CROSSINGS = {2019: 97_675_000, 2023: 35_478_000, 2024: 64_882_000, 2025: 82_035_000}


def test__figures__nia_crossings_are_one_construct_in_every_year():
    for year, published in NIA_CROSSINGS.items():
        ref = reference.figure(f"tourism_foreigner_crossings_{year}")
        assert (ref.value, ref.unit, ref.metric) == (published, "crossings", "foreigner border crossings (China)")
        assert "entries AND exits" in ref.note


def test__figures__nia_published_growth_matches_the_published_levels():
    # NIA states +82.9% (2024) and +26.4% (2025); the levels must reproduce them.
    for year, change_id in ((2024, "tourism_foreigner_crossings_change_2024"), (2025, "tourism_foreigner_crossings_change_2025")):
        growth = NIA_CROSSINGS[year] / NIA_CROSSINGS[year - 1] - 1
        assert round(growth, 3) == reference.figure(change_id).value


def test__figures__visa_free_figures_count_entries_not_crossings():
    visa_free = reference.figures().filter(pl.col("id").str.starts_with("tourism_visa_free_entries"))
    assert visa_free.height == 3
    assert set(visa_free["unit"]) == {"entries"}


def test__figures__entries_are_about_half_of_crossings_in_h1_2024():
    entries = reference.figure("tourism_foreigner_entries_2024_h1").value
    crossings = reference.figure("tourism_foreigner_crossings_2024_h1").value
    assert 0.49 < entries / crossings < 0.51  # 14.635M of 29.22M


def test__figures__us_rednote_dau_series_is_dated_point_by_point():
    series = (
        reference.figures()
        .filter(pl.col("metric") == "US daily active users of RedNote")
        .sort("date")
        .select("date", "value")
        .rows()
    )
    assert series == [
        ("2025-01-12", 700_000), ("2025-01-13", 3_400_000), ("2025-01-19", 32_500_000), ("2025-01-20", 14_900_000),
    ]


def test__figures__similarweb_drop_on_20_jan_matches_its_levels():
    before, after = (reference.figure(f"surge_us_dau_2025_01_{d}").value for d in ("19", "20"))
    assert round(after / before - 1, 2) == reference.figure("surge_us_dau_change_jan20").value == -0.54


def test__figure__bloomberg_500k_is_users_gained_not_users_kept():
    ref = reference.figure("surge_us_users_kept")
    assert "attracted" in ref.metric and "NOT a count of users retained" in ref.note
