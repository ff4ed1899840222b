"""Specifications of the verdict rules in analysis.claims."""

import pytest

from analysis.claims import rules as claims
from analysis.claims.rules import NOT_SUPPORTED, NOT_TESTABLE, PARTLY, SUPPORTED
from analysis.results import Estimate, Result


def test__estimate_of__reads_a_result_row_or_a_result():
    row = {"measure": "share", "estimate": 0.4, "lo": 0.3, "hi": 0.5, "n": 80, "source": "x"}
    assert Estimate.of(row) == Estimate(0.4, 0.3, 0.5, 80)
    result = Result("share", 0.4, 80, "share", "x", lo=0.3, hi=0.5)
    assert Estimate.of(result) == Estimate(0.4, 0.3, 0.5, 80)


def test__estimate_published__has_no_interval_and_no_n():
    assert Estimate.published(0.485) == Estimate(0.485, None, None, None)


def test__verdict_min_n__below_and_at_minimum():
    assert claims.verdict_min_n(29)[0] == NOT_TESTABLE
    assert claims.verdict_min_n(30) is None
    assert claims.verdict_min_n(5, min_n=5) is None


@pytest.mark.parametrize(
    ("lo", "hi", "expected"),
    [
        (0.60, 0.68, SUPPORTED),  # overlaps the band [65%, 75%]
        (0.52, 0.60, PARTLY),  # misses the band, but wholly above 50%
        (0.40, 0.55, NOT_SUPPORTED),  # straddles 50%
    ],
)
def test__verdict_share_vs_reference__bands(lo, hi, expected):
    verdict, rule = claims.verdict_share_vs_reference(Estimate((lo + hi) / 2, lo, hi, 100), 0.70,
                                                     direction_threshold=0.5)
    assert verdict == expected
    assert "n=100" in rule


def test__verdict_share_vs_reference__above_band_partly_only_with_direction():
    assert claims.verdict_share_vs_reference(Estimate(0.83, 0.76, 0.90, 100), 0.70, direction_threshold=0.5)[0] == PARTLY
    assert claims.verdict_share_vs_reference(Estimate(0.83, 0.76, 0.90, 100), 0.70)[0] == NOT_SUPPORTED


def test__verdict_share_vs_reference__range_reference_widens_band():
    # reference 70–80% → band [65%, 85%]
    verdict, rule = claims.verdict_share_vs_reference(Estimate(0.85, 0.84, 0.86, 100), 0.70, reference_hi=0.80)
    assert verdict == SUPPORTED
    assert "[65%, 85%]" in rule


def test__verdict_share_vs_reference__small_n_not_testable():
    assert claims.verdict_share_vs_reference(Estimate(0.7, 0.6, 0.8, 12), 0.70)[0] == NOT_TESTABLE


@pytest.mark.parametrize(
    ("lo", "hi", "expected"),
    [(0.1, 0.4, SUPPORTED), (0.3, 0.8, PARTLY), (0.7, 1.2, NOT_SUPPORTED), (1.1, 1.5, NOT_SUPPORTED)],
)
def test__verdict_ratio__lower_claim(lo, hi, expected):
    assert claims.verdict_ratio(Estimate((lo + hi) / 2, lo, hi, 200))[0] == expected


@pytest.mark.parametrize(
    ("lo", "hi", "expected"), [(2.5, 4.0, SUPPORTED), (1.2, 3.0, PARTLY), (0.8, 1.5, NOT_SUPPORTED)]
)
def test__verdict_ratio__higher_claim(lo, hi, expected):
    assert claims.verdict_ratio(Estimate((lo + hi) / 2, lo, hi, 200), claim="higher")[0] == expected


def test__verdict_ratio__missing_interval_not_testable():
    assert claims.verdict_ratio(Estimate(None, None, None, 200))[0] == NOT_TESTABLE


def test__verdict_positive_association__interval_above_zero():
    assert claims.verdict_positive_association(Estimate(0.8, 0.5, 1.1, 60))[0] == SUPPORTED
    assert claims.verdict_positive_association(Estimate(0.2, -0.1, 0.5, 60))[0] == NOT_SUPPORTED
    assert claims.verdict_positive_association(Estimate(0.8, 0.5, 1.1, 10))[0] == NOT_TESTABLE


@pytest.mark.parametrize(
    ("lo", "hi", "expected"),
    [(0.55, 0.7, SUPPORTED), (0.4, 0.6, PARTLY), (0.3, 0.45, PARTLY), (0.1, 0.2, NOT_SUPPORTED)],
)
def test__verdict_share_at_least__thresholds(lo, hi, expected):
    assert claims.verdict_share_at_least(Estimate((lo + hi) / 2, lo, hi, 100), 0.5, partly_threshold=0.25)[0] == expected


def test__combine_verdicts__mixed_parts_are_partly():
    assert claims.combine_verdicts([(SUPPORTED, "a"), (SUPPORTED, "b")])[0] == SUPPORTED
    assert claims.combine_verdicts([(SUPPORTED, "a"), (NOT_SUPPORTED, "b")])[0] == PARTLY
    assert claims.combine_verdicts([(NOT_SUPPORTED, "a"), (NOT_TESTABLE, "b")])[0] == NOT_SUPPORTED
    assert claims.combine_verdicts([(NOT_TESTABLE, "a")])[0] == NOT_TESTABLE
    assert "(1) a; (2) b" in claims.combine_verdicts([(SUPPORTED, "a"), (PARTLY, "b")])[1]


def test__ledger__every_real_row_states_target_fit_and_kind_and_no_negative_verdict_rests_on_a_proxy(real_bundle):
    from analysis.claims.evidence import CLAIMS, LEDGER_SCHEMA
    from analysis.claims.ledger import build_ledger
    from analysis.claims.rules import DIRECT, FITS, KINDS, NEGATIVE

    ledger = build_ledger(real_bundle)
    assert ledger["claim_id"].to_list() == list(CLAIMS)
    assert {"target", "fit", "kind", "rule", "measure"} <= set(LEDGER_SCHEMA)
    assert ledger["fit"].is_in(FITS).all() and ledger["kind"].is_in(KINDS).all()
    assert (ledger["target"].str.len_chars() > 10).all()
    negative = ledger.filter(ledger["verdict"].is_in(NEGATIVE))
    assert (negative["fit"] == DIRECT).all()
    # Existence rows that are decided show the notes they rest on.
    shown = ledger.filter((ledger["kind"] == "existence") & (ledger["fit"] == DIRECT))
    assert (shown["instances"].str.contains("note_")).all()
