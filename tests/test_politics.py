"""Specification of analysis.measures.politics (claims T1, P1, P2, P3)."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from canonical_rows import notes_frame
from polars.testing import assert_frame_equal

from analysis.claims import rules as claims
from analysis.claims.politics import (
    ban_timeline,
    data_safer_with_china,
    tourism_still_low,
)
from analysis.claims.tech import firewall_dates
from analysis.measures import politics
from analysis.measures.politics import (
    ArticleDatesError,
    firewall_agreement,
    load_article_dates,
    peak_day,
    phase_engagement,
    phase_expr,
    privacy_mentions,
    surge_concentration,
    tourism_results,
)
from analysis.results import results_frame


def _timeline(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(
        rows, schema={"id": pl.String, "event": pl.String, "date": pl.Date, "date_hi": pl.Date, "note": pl.String},
        orient="row",
    )


def _article(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(
        rows, schema={"event_id": pl.String, "article_says": pl.String, "year": pl.Int32, "quarter": pl.Int32},
        orient="row",
    )


BAN_TIMELINE = _timeline([
    ("tiktok_v_garland_argued", "argued", date(2025, 1, 10), None, ""),
    ("tiktok_v_garland_decided", "decided", date(2025, 1, 17), None, ""),
    ("tiktok_restored", "restored", date(2025, 1, 19), None, ""),
    ("eo_14166", "EO", date(2025, 1, 20), None, ""),
    ("tiktok_back_app_stores", "stores", date(2025, 2, 13), None, ""),
])


def test__firewall_agreement__year_quarter_and_range_ends():
    article = _article([("a", "left in 2009", 2009, None), ("b", "left in late 2021", 2021, 4),
                        ("c", "left in 2014", 2014, None)])
    timeline = _timeline([
        ("a", "A blocked", date(2009, 6, 2), date(2009, 6, 3), ""),
        ("b", "B announced", date(2021, 9, 20), None, ""),
        ("c", "C blocked", date(2013, 12, 31), date(2014, 1, 1), ""),
    ]).with_columns(source=pl.lit("press"), confidence=pl.lit("S"))
    got = firewall_agreement(article, timeline).select("event_id", "period_start", "period_end", "agrees", "days_off")
    expected = pl.DataFrame({
        "event_id": ["a", "b", "c"],
        "period_start": [date(2009, 1, 1), date(2021, 10, 1), date(2014, 1, 1)],
        "period_end": [date(2009, 12, 31), date(2021, 12, 31), date(2014, 12, 31)],
        "agrees": [True, False, True],
        "days_off": [0, 11, 0],
    })
    assert_frame_equal(got, expected)


def test__firewall_agreement__unknown_event_names_it():
    timeline = _timeline([("a", "A", date(2009, 6, 2), None, "")]).with_columns(
        source=pl.lit("x"), confidence=pl.lit("S"))
    with pytest.raises(ArticleDatesError, match=r"\['zz'\]"):
        firewall_agreement(_article([("zz", "?", 2009, None)]), timeline)




def test__load_article_dates__bad_quarter_names_row_and_column(tmp_path):
    (tmp_path / "article_dates.csv").write_text("event_id,article_says,year,quarter\nx,late 2021,2021,5\n")
    with pytest.raises(ArticleDatesError, match="row 2, column quarter"):
        load_article_dates(tmp_path)


def test__firewall_dates__the_articles_five_dates_all_agree():
    evidence = firewall_dates(None)
    assert (evidence.estimate, evidence.n, evidence.verdict) == (1.0, 5, claims.SUPPORTED)


def _daily(posts: list[int], start: date = date(2025, 1, 10)) -> pl.DataFrame:
    return pl.DataFrame({"day": [start + timedelta(days=i) for i in range(len(posts))], "posts": posts})


def test__surge_concentration__week_uniform_and_peak_shares():
    result = surge_concentration(_daily([0, 0, 0, 6, 2, 1, 0, 0, 0, 1]), start=date(2025, 1, 13), days=2)
    assert result.select("measure", "estimate", "n").rows() == [
        ("surge_week_share", 0.8, 10), ("uniform_share", 0.2, 10), ("peak_day_share", 0.6, 10),
    ]
    assert "13 Jan 2025" in result["note"][2]


def test__peak_day__earliest_on_a_tie():
    assert peak_day(_daily([0, 5, 5])) == date(2025, 1, 11)


def test__phase_expr__each_phase_starts_on_its_event_day():
    days = pl.DataFrame({"day": [date(2025, 1, 9), date(2025, 1, 10), date(2025, 1, 17), date(2025, 1, 20),
                                 date(2025, 2, 13)]})
    got = days.select(phase_expr(BAN_TIMELINE, pl.col("day")).alias("phase"))["phase"].to_list()
    assert got == ["before the hearing", "hearing to ruling", "ruling, blackout, restoration",
                   "75-day pause (EO 14166)", "back in app stores"]


def test__phase_engagement__posts_and_median_likes_per_phase():
    notes = notes_frame([
        {"published_at": "2025-01-13 15:00", "liked_count": 10},
        {"published_at": "2025-01-14 15:00", "liked_count": 30},
    ])
    got = phase_engagement(notes, BAN_TIMELINE).filter(pl.col("group") == "hearing to ruling")
    assert got.select("measure", "estimate", "lo", "hi", "n").rows() == [
        ("posts", 2.0, None, None, 2), ("median_likes", 20.0, 10.0, 30.0, 2),
    ]








def test__privacy_mentions__counts_each_category_and_any_data_talk():
    notes = notes_frame([
        {"text": "heyyy rednote im here to give you all my data"},
        {"text": "我很在意隐私"},
        {"text": "I trust China more than my government"},
        {"text": "希望大数据推给有需要的人"},  # 大数据 is "the algorithm", not personal data
        {"text": "hello"},
    ])
    got = privacy_mentions(notes).select("group", "estimate", "n")
    expected = pl.DataFrame({
        "group": ["privacy", "my_data", "data_safer", "us_government", "data_privacy"],
        "estimate": [0.2, 0.2, 0.2, 0.2, 0.6], "n": [5, 5, 5, 5, 5],
    })
    assert_frame_equal(got, expected)


def _mentions(k_privacy: int, k_safer: int, n: int) -> pl.DataFrame:
    from analysis.stats import proportion

    return results_frame([
        proportion(k_privacy, n, measure="mention_share", group="data_privacy", source="x"),
        proportion(k_safer, n, measure="mention_share", group="data_safer", source="x"),
    ])










def _tourism(c2024: float) -> pl.DataFrame:
    return pl.DataFrame({
        "id": ["tourism_foreign_visits_2019", "tourism_foreigner_crossings_2023", "tourism_foreigner_crossings_2024",
               "tourism_visa_free_entries_2024"],
        "value": [100.0, 50.0, c2024, 20.0],
    })


def test__tourism_results__growth_share_and_the_incomparable_ratio():
    got = tourism_results(_tourism(100.0)).select("measure", "estimate")
    assert got.rows() == [("crossings_growth_2024", 1.0), ("visa_free_share_2024", 0.2),
                          ("crossings_2024_over_visits_2019", 1.0)]






def test__tourism_still_low__2024_crossings_are_two_thirds_of_2019_the_same_nia_count():
    evidence = tourism_still_low(None)
    assert evidence.estimate == pytest.approx(64.882 / 97.675)
    assert (evidence.verdict, evidence.kind) == (claims.SUPPORTED, "comparison")
    assert "+83%" in evidence.rule  # the growth stays visible, as context



def test__ban_timeline__real_refugee_posts_concentrate_in_the_week_from_13_jan(real_bundle):
    # Counted independently from the raw CSV (create_time read as Asia/Shanghai, shown as
    # US Eastern days): 267 on 13 Jan, 167 on 14 Jan, 1 on 17 Jan, 1 on 18 Jan, of 724.
    # The cliff from 167 posts to 0 on 15 Jan is the data set's collection window: the
    # verdict rests on published US DAU instead (0.3M → 3.4M on 13 Jan, −54% on 20 Jan).
    evidence = ban_timeline(real_bundle)
    assert evidence.estimate == pytest.approx(-0.54) and evidence.verdict == claims.PARTLY
    assert "cliff on 15 Jan 2025" in evidence.rule and "3 of 3 dated checks agree" in evidence.rule
    assert "436" not in evidence.rule and "(n=724)" in evidence.comparison


def test__data_safer_with_china__two_real_posts_talk_about_their_data(real_bundle):
    # Found by reading: "here to give yall all my data & personal info" and "trusts anyone in
    # the world more than our corrupt government" — 2 of 724.
    evidence = data_safer_with_china(real_bundle)
    assert (evidence.estimate, evidence.n, evidence.verdict) == (2 / 724, 724, claims.PARTLY)


def test__account_ages__share_of_accounts_opened_since_counts_each_account_once():


    notes = pl.DataFrame({
        "account_id": ["a", "a", "b", "c", "d"],
        "account_created_on": [date(2025, 1, 13), date(2025, 1, 13), date(2025, 1, 10), date(2020, 5, 1), None],
    })
    row = politics.account_ages(notes, since=date(2025, 1, 10), source="t").row(0, named=True)
    # a and b are new, c is old, d has no date: 2 of 3 dated accounts
    assert (row["estimate"], row["n"]) == (2 / 3, 3)
    assert round(row["lo"], 4) == 0.2077 and round(row["hi"], 4) == 0.9385  # Wilson 95% for 2/3


def test__account_opening_weeks__older_accounts_form_one_bar(tmp_path):


    notes = pl.DataFrame({
        "account_id": ["a", "b", "c", "d"],
        "account_created_on": [date(2025, 1, 13), date(2025, 1, 14), date(2025, 1, 20), date(2019, 1, 1)],
    })
    out = politics.account_opening_weeks(notes, first=date(2024, 10, 7))
    assert out.select("week", "accounts").rows() == [("before 07 Oct 2024", 1), ("13 Jan 2025", 2), ("20 Jan 2025", 1)]


def test__account_ages__real_refugee_posters_are_mostly_new_accounts(real_bundle):
    from analysis.claims.data import newcomer_notes

    notes, source = newcomer_notes(real_bundle)
    row = politics.account_ages(notes, source=source).row(0, named=True)
    assert (round(row["estimate"] * row["n"]), row["n"]) == (600, 676)  # counted from the raw user ids
