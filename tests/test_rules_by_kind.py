"""One rule per kind of claim: hand-built cases at and around each threshold, and the fit
rule that keeps negative verdicts off proxy and context measures."""

import pytest

from analysis.claims import rules
from analysis.claims.evidence import Evidence
from analysis.claims.rules import NOT_SUPPORTED, NOT_TESTABLE, PARTLY, SUPPORTED
from analysis.claims.rules_table import rules_table
from analysis.results import Estimate

# --- fit ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("verdict", "fit", "expected"), [
    (SUPPORTED, "direct", SUPPORTED),
    (NOT_SUPPORTED, "direct", NOT_SUPPORTED),
    (SUPPORTED, "proxy", PARTLY),
    (PARTLY, "proxy", PARTLY),
    (NOT_SUPPORTED, "proxy", NOT_TESTABLE),
    (rules.CONTRADICTED_LATER, "proxy", NOT_TESTABLE),
    (SUPPORTED, "context", NOT_TESTABLE),
    (NOT_SUPPORTED, "context", NOT_TESTABLE),
])
def test__apply_fit__proxy_caps_at_partly_and_context_is_never_a_verdict(verdict, fit, expected):
    v, text = rules.apply_fit((verdict, "why"), fit, "the target")
    assert v == expected
    assert "why" in text  # the figure behind the verdict stays visible


def _evidence(verdict, fit):
    return Evidence("C1", "m", 0.5, 0.4, 0.6, 100, "share", "", verdict, "rule", "d",
                    what_would_test="x", fit=fit, kind="share")


@pytest.mark.parametrize("verdict", [NOT_SUPPORTED, rules.CONTRADICTED_LATER])
@pytest.mark.parametrize("fit", ["proxy", "context"])
def test__evidence__refuses_a_negative_verdict_on_a_proxy_or_context_measure(verdict, fit):
    with pytest.raises(ValueError, match="direct measure"):
        _evidence(verdict, fit)


def test__evidence__accepts_a_negative_verdict_on_a_direct_measure_and_defaults_stay_valid():
    assert _evidence(NOT_SUPPORTED, "direct").fit == "direct"
    legacy = Evidence("T1", "m", 1.0, None, None, 5, "share", "", SUPPORTED, "r", "d")
    assert (legacy.fit, legacy.kind, legacy.target) == ("direct", "share", "")


def test__evidence__rejects_an_unknown_kind_or_fit():
    with pytest.raises(ValueError, match="kind"):
        Evidence("T1", "m", 1.0, None, None, 5, "share", "", SUPPORTED, "r", "d", kind="level-ish")
    with pytest.raises(ValueError, match="fit"):
        Evidence("T1", "m", 1.0, None, None, 5, "share", "", SUPPORTED, "r", "d", fit="roughly")


# --- existence ---------------------------------------------------------------------------


def test__existence__one_verified_instance_per_part_is_enough_however_rare():
    assert rules.verdict_existence({"a": 1, "b": 1})[0] == SUPPORTED


def test__existence__a_missing_part_that_could_be_shown_makes_it_partly():
    assert rules.verdict_existence({"a": 3, "b": 0})[0] == PARTLY


def test__existence__nothing_found_where_it_could_be_is_not_supported():
    assert rules.verdict_existence({"a": 0, "b": 0})[0] == NOT_SUPPORTED


def test__existence__a_part_nobody_in_the_data_could_say_is_not_testable_not_absent():
    assert rules.verdict_existence({"a": 2, "spy": 0}, {"spy": False})[0] == PARTLY
    assert rules.verdict_existence({"spy": 0}, {"spy": False})[0] == NOT_TESTABLE


def test__existence__the_threshold_moves_with_the_sensitivity_check():
    with rules.moved("min_instances", 1.5):
        assert rules.verdict_existence({"a": 1})[0] == NOT_SUPPORTED
        assert rules.verdict_existence({"a": 2})[0] == SUPPORTED


# --- share -------------------------------------------------------------------------------


@pytest.mark.parametrize(("lo", "hi", "expected"), [
    (0.60, 0.70, SUPPORTED),      # lower bound exactly at the bar
    (0.59, 0.70, PARTLY),         # straddles the bar
    (0.40, 0.599, NOT_SUPPORTED),  # wholly below
])
def test__share_at_least__at_and_around_the_bar(lo, hi, expected):
    assert rules.verdict_share_at_least(Estimate((lo + hi) / 2, lo, hi, 100), 0.6)[0] == expected


def test__share_at_least__below_the_minimum_n_is_not_testable():
    assert rules.verdict_share_at_least(Estimate(0.9, 0.8, 0.95, 29), 0.6)[0] == NOT_TESTABLE


@pytest.mark.parametrize(("lo", "hi", "expected"), [
    (0.75, 0.80, SUPPORTED),   # touches the band's top (0.70 + 0.05)
    (0.751, 0.80, PARTLY),     # misses it but above 50%
    (0.30, 0.45, NOT_SUPPORTED),
])
def test__share_vs_reference__band_edges(lo, hi, expected):
    assert rules.verdict_share_vs_reference(Estimate((lo + hi) / 2, lo, hi, 100), 0.70, tolerance=0.05,
                                            direction_threshold=0.5)[0] == expected


# --- comparison --------------------------------------------------------------------------


def test__comparison__without_the_other_side_or_with_another_construct_is_not_testable():
    assert rules.verdict_comparison(Estimate(0.3, 0.2, 0.4, 100), same_construct=True, both_sides=False)[0] == NOT_TESTABLE
    assert rules.verdict_comparison(Estimate(0.3, 0.2, 0.4, 100), same_construct=False)[0] == NOT_TESTABLE


@pytest.mark.parametrize(("hi", "expected"), [(0.49, SUPPORTED), (0.5, PARTLY), (0.99, PARTLY), (1.0, NOT_SUPPORTED)])
def test__comparison__far_fewer_bar_at_half(hi, expected):
    assert rules.verdict_comparison(Estimate(hi - 0.05, hi - 0.1, hi, 100), same_construct=True)[0] == expected


def test__comparison__published_figures_without_interval_and_a_low_confidence_cap():
    assert rules.verdict_comparison(Estimate.published(0.485), same_construct=True)[0] == SUPPORTED
    assert rules.verdict_comparison(Estimate.published(0.485), same_construct=True, published_grade="L")[0] == PARTLY
    assert rules.verdict_comparison(Estimate.published(0.66), same_construct=True, strong=1.0)[0] == SUPPORTED


# --- timing ------------------------------------------------------------------------------


def test__timing__all_agree_half_agree_fewer():
    assert rules.verdict_timing({"a": True, "b": True})[0] == SUPPORTED
    assert rules.verdict_timing({"a": True, "b": False})[0] == PARTLY  # exactly half
    assert rules.verdict_timing({"a": True, "b": False, "c": False})[0] == NOT_SUPPORTED


def test__timing__cause_stops_at_partly_and_undecidable_checks_are_left_out():
    assert rules.verdict_timing({"a": True, "b": None}, cause=True)[0] == PARTLY
    assert rules.verdict_timing({"a": None})[0] == NOT_TESTABLE


# --- forecast ----------------------------------------------------------------------------


def test__forecast__the_latest_eligible_reading_decides_the_doubt():
    assert rules.verdict_forecast([("feb", 0.49, 28, "S")])[0] == SUPPORTED
    assert rules.verdict_forecast([("feb", 0.50, 28, "S")])[0] == NOT_SUPPORTED
    assert rules.verdict_forecast([("feb", 0.50, 28, "S")], doubt=False)[0] == SUPPORTED


@pytest.mark.parametrize("reading", [("early", 0.1, 27, "S"), ("unstated", None, 40, "S"), ("weak", 0.1, 40, "L")])
def test__forecast__early_baseline_less_or_low_confidence_readings_do_not_decide(reading):
    assert rules.verdict_forecast([reading])[0] == NOT_TESTABLE


# --- the table ---------------------------------------------------------------------------


def test__rules_table__names_every_kind_and_threshold_with_a_reason():
    table = rules_table()
    assert set(rules.KINDS) <= set(table["kind"])
    assert set(rules.THRESHOLDS) == set(table.filter(table["threshold"] != "")["threshold"])
    assert table["rule"].str.len_chars().min() > 20


def test__existence__absence_needs_enough_texts_searched():
    from analysis.claims.rules import NOT_SUPPORTED, NOT_TESTABLE, verdict_existence
    from analysis.stats import MIN_N

    assert verdict_existence({"spy": 0}, searched=MIN_N - 1)[0] == NOT_TESTABLE
    assert verdict_existence({"spy": 0}, searched=MIN_N)[0] == NOT_SUPPORTED
    # a found instance stands whatever the number of texts read
    assert verdict_existence({"spy": 1}, searched=3)[0] != NOT_TESTABLE


def test__sensitivity__moves_each_threshold_both_ways_from_the_ledgers_own_verdicts(sample_bundle):
    import polars as pl

    from analysis.claims.ledger import build_ledger
    from analysis.claims.rules import THRESHOLDS
    from analysis.claims.rules_table import sensitivity

    moves = sensitivity(sample_bundle)
    assert moves.height == 2 * sum(len(t.claims) for t in THRESHOLDS.values())
    ledger = dict(build_ledger(sample_bundle).select("claim_id", "verdict").rows())
    assert all(ledger[c] == v for c, v in moves.select("claim_id", "verdict").rows())
    assert moves["flips"].to_list() == (moves["verdict"] != moves["verdict_moved"]).to_list()
    assert moves.filter(pl.col("moved_to") == pl.col("value")).height == 0
