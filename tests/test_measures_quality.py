"""Data-quality detectors on fixtures that have the artefact and fixtures that do not."""

from datetime import date, timedelta

import polars as pl

from analysis.measures import quality as q

PROFILE = dict(zip(q.PROFILE_COLUMNS, (0.9188, 0.6438, 0.258, 0.0443, 0.0338, 0.0199), strict=True))


def _kits(profiles: list[dict]) -> pl.DataFrame:
    return pl.DataFrame([{"account_id": f"acct_{i}", **p} for i, p in enumerate(profiles)])


def _varied(i: int) -> dict:
    return {**PROFILE, "follower_female_share": 0.5 + i / 100}


def test__default_profiles__three_accounts_sharing_every_column_are_flagged():
    kits = _kits([PROFILE, PROFILE, PROFILE, _varied(1), _varied(2)])
    flagged = q.flag_default_profiles(kits)
    assert flagged["default_profile"].to_list() == [True, True, True, False, False]
    summary = q.default_profile_summary(flagged)
    assert summary.select("rows", "accounts").row(0) == (3, 3)


def test__default_profiles__two_sharing_or_one_column_differing_is_not_a_default():
    differs = {**PROFILE, "follower_age_gt44": 0.02}
    kits = _kits([PROFILE, PROFILE, differs, _varied(3)])
    assert not q.flag_default_profiles(kits)["default_profile"].any()


def test__default_profiles__missing_profiles_are_not_flagged_and_it_runs_lazily():
    empty = dict.fromkeys(q.PROFILE_COLUMNS)
    kits = _kits([empty, empty, empty, empty])
    lazy = q.flag_default_profiles(kits.lazy()).collect()
    assert not lazy["default_profile"].any()


def test__default_profiles__the_same_account_twice_counts_once():
    kits = pl.DataFrame([{"account_id": a, **PROFILE} for a in ("x", "x", "y")])
    assert not q.flag_default_profiles(kits)["default_profile"].any()


def _daily(posts: list[int]) -> pl.DataFrame:
    start = date(2025, 1, 10)
    return pl.DataFrame({"day": [start + timedelta(days=i) for i in range(len(posts))], "posts": posts})


def test__collection_window__zero_days_right_after_a_peak_are_a_cliff():
    daily = _daily([1, 93, 267, 167, 0, 0, 1, 1])
    cliffs = q.collection_artefacts(daily)
    assert cliffs["day"].to_list() == [date(2025, 1, 14)]
    assert q.first_artefact(daily) == date(2025, 1, 14)


def test__collection_window__a_steep_but_gradual_decay_is_not_a_cliff():
    assert q.first_artefact(_daily([300, 150, 75, 38, 19, 10, 5])) is None


def test__collection_window__cliff_ratio_edge_and_small_counts():
    assert q.first_artefact(_daily([100, 10])) == date(2025, 1, 11)   # exactly 10%: a cliff
    assert q.first_artefact(_daily([100, 11])) is None               # just above
    assert q.first_artefact(_daily([19, 0])) is None                 # too few before to tell


def test__floor__many_prices_at_the_minimum_are_a_floor():
    prices = pl.Series([10.0] * 49 + [20.0 + i for i in range(58)])
    row = q.floor_summary(prices).row(0, named=True)
    assert (row["floor"], row["at_floor"], row["n"], row["is_floor"]) == (10.0, 49, 107, True)


def test__floor__a_pile_just_above_a_few_lower_values_is_still_the_floor():
    prices = pl.Series([5.0, 5.0] + [10.0] * 49 + [20.0 + i for i in range(55)])
    row = q.floor_summary(prices).row(0, named=True)
    assert (row["floor"], row["at_floor"], row["below_floor"], row["is_floor"]) == (10.0, 49, 2, True)


def test__floor__a_common_value_high_in_the_range_is_not_a_floor():
    prices = pl.Series([1.0 + i for i in range(60)] + [500.0] * 30)
    assert not q.floor_summary(prices)["is_floor"][0]


def test__floor__a_lone_minimum_is_not_a_floor_and_empty_input_is_handled():
    assert not q.floor_summary(pl.Series([5.0, 20.0, 30.0, 40.0, 50.0, 60.0]))["is_floor"][0]
    assert not q.floor_summary(pl.Series([None], dtype=pl.Float64))["is_floor"][0]


def test__data_quality__names_the_media_kit_defaults_the_collection_cliff_and_the_price_floor(real_bundle):
    from analysis.claims.data import data_quality

    found = data_quality(real_bundle)
    # Counted from the raw kits: 12 + 3 accounts share two exact follower profiles; the
    # refugee posts go 93, 267, 167, then 0 on 15 Jan; 49 of 106 stated prices are ¥10.
    profiles = found.filter(found["detector"].str.starts_with("identical"))
    assert sorted(profiles["count"].to_list()) == [3, 12]
    cliff = found.filter(found["detector"].str.starts_with("collection"))
    assert cliff["detail"].to_list() == ["167 posts the day before, 0 on 15 Jan 2025"]
    assert found.filter(found["detector"] == "price floor")["count"].to_list() == [49]
