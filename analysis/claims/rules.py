"""Verdict rules, written once and applied to every claim of the same kind.

Each rule takes an estimate, its interval and n (and the figure compared with) and
returns ``(verdict, rule_text)``; the rule text is what the ledger prints, so a reader
sees which numbers decided the verdict.
"""

from __future__ import annotations

from analysis.stats import MIN_N

SUPPORTED = "supported"
PARTLY = "partly supported"
NOT_SUPPORTED = "not supported"
CONTRADICTED_LATER = "contradicted by later data"
NOT_TESTABLE = "not testable with the data at hand"
VERDICTS = (SUPPORTED, PARTLY, NOT_SUPPORTED, CONTRADICTED_LATER, NOT_TESTABLE)

# Each rule takes an estimate, its interval and n (and the comparison figure) and returns
# ``(verdict, rule_text)``; the rule text is what the ledger prints in its ``rule`` column,
# so a reader sees exactly which numbers decided the verdict. Every rule first applies the
# minimum-n rule of analysis.stats (fewer units than MIN_N: not testable).

Verdict = tuple[str, str]


def verdict_min_n(n: int | None, min_n: int | None = None) -> Verdict | None:
    """``(NOT_TESTABLE, why)`` when ``n`` is below the minimum, else ``None``."""
    min_n = MIN_N if min_n is None else min_n
    if n is None or n < min_n:
        return NOT_TESTABLE, f"n={n} is below the minimum of {min_n} units for a verdict"
    return None


def _pct(v: float) -> str:
    return f"{v * 100:.3g}%"


def verdict_share_vs_reference(
    estimate: float | None,
    lo: float | None,
    hi: float | None,
    n: int | None,
    reference: float,
    *,
    reference_hi: float | None = None,
    tolerance: float = 0.05,
    direction_threshold: float | None = None,
    min_n: int | None = None,
) -> Verdict:
    """A measured share against a claimed or published share (e.g. "~70% female").

    The claim's band is [reference − tolerance, (reference_hi or reference) + tolerance].

    * supported: the 95% interval [lo, hi] overlaps the band;
    * partly supported: it misses the band but lies wholly on the claimed side of
      ``direction_threshold`` (e.g. 0.5 for "skews female": lo > 0.5 when the claim is
      above the threshold, hi < threshold when below);
    * not supported: otherwise;
    * not testable: n below the minimum, or no interval.
    """
    low_n = verdict_min_n(n, min_n)
    if low_n:
        return low_n
    if estimate is None or lo is None or hi is None:
        return NOT_TESTABLE, "no estimate or interval could be computed"
    top = reference if reference_hi is None else reference_hi
    band_lo, band_hi = reference - tolerance, top + tolerance
    what = f"interval [{_pct(lo)}, {_pct(hi)}] (n={n})"
    band = f"the claimed band [{_pct(band_lo)}, {_pct(band_hi)}] (reference ±{_pct(tolerance)})"
    if lo <= band_hi and hi >= band_lo:
        return SUPPORTED, f"supported: {what} overlaps {band}"
    if direction_threshold is not None:
        above = reference > direction_threshold
        if (above and lo > direction_threshold) or (not above and hi < direction_threshold):
            side = "above" if above else "below"
            return PARTLY, (
                f"partly supported: {what} misses {band} but lies wholly {side} {_pct(direction_threshold)},"
                " the direction the claim states"
            )
    return NOT_SUPPORTED, f"not supported: {what} misses {band}" + (
        f" and does not lie wholly on the claimed side of {_pct(direction_threshold)}"
        if direction_threshold is not None else ""
    )


def verdict_ratio(
    estimate: float | None,
    lo: float | None,
    hi: float | None,
    n: int | None,
    *,
    claim: str = "lower",
    strong: float = 0.5,
    min_n: int | None = None,
) -> Verdict:
    """A ratio (ours / theirs) against a claim that ours is lower (or higher).

    For ``claim="lower"`` ("far fewer ads than Instagram"):
    * supported: the upper bound is below ``strong`` (ours is at most half of theirs);
    * partly supported: the upper bound is below 1 but not below ``strong`` (fewer, not far fewer);
    * not supported: the interval reaches 1 or above.
    ``claim="higher"`` mirrors it: lower bound above 1/strong, above 1, otherwise.
    """
    if claim not in ("lower", "higher"):
        raise ValueError(f"claim={claim!r}; use 'lower' or 'higher'")
    low_n = verdict_min_n(n, min_n)
    if low_n:
        return low_n
    if estimate is None or lo is None or hi is None:
        return NOT_TESTABLE, "no ratio or interval could be computed (a zero count on one side)"
    what = f"ratio {estimate:.2f} [{lo:.2f}, {hi:.2f}] (n={n})"
    if claim == "lower":
        if hi < strong:
            return SUPPORTED, f"supported: {what} has its upper bound below {strong:g} (at most {strong:g}× theirs)"
        if hi < 1:
            return PARTLY, f"partly supported: {what} is below 1 but its upper bound is not below {strong:g}"
        return NOT_SUPPORTED, f"not supported: {what} reaches 1 or more (no clear reduction)"
    big = 1 / strong
    if lo > big:
        return SUPPORTED, f"supported: {what} has its lower bound above {big:g}"
    if lo > 1:
        return PARTLY, f"partly supported: {what} is above 1 but its lower bound is not above {big:g}"
    return NOT_SUPPORTED, f"not supported: {what} reaches 1 or less (no clear increase)"


def verdict_positive_association(
    estimate: float | None,
    lo: float | None,
    hi: float | None,
    n: int | None,
    *,
    what: str = "slope",
    min_n: int | None = None,
) -> Verdict:
    """An association the claim implies is positive (e.g. price rises with followers).

    * supported: the interval lies wholly above 0;
    * not supported: the interval includes 0 or lies below it.
    """
    low_n = verdict_min_n(n, min_n)
    if low_n:
        return low_n
    if estimate is None or lo is None or hi is None:
        return NOT_TESTABLE, f"no {what} or interval could be computed"
    shown = f"{what} {estimate:.2f} [{lo:.2f}, {hi:.2f}] (n={n})"
    if lo > 0:
        return SUPPORTED, f"supported: {shown} lies wholly above 0"
    return NOT_SUPPORTED, f"not supported: {shown} does not lie wholly above 0"


def verdict_share_at_least(
    estimate: float | None,
    lo: float | None,
    hi: float | None,
    n: int | None,
    threshold: float,
    *,
    partly_threshold: float | None = None,
    min_n: int | None = None,
) -> Verdict:
    """A share the claim implies is substantial (e.g. "most creators carry endorsements").

    * supported: lo ≥ ``threshold``;
    * partly supported: lo ≥ ``partly_threshold`` (when given) or the interval straddles
      ``threshold``;
    * not supported: hi < ``threshold`` (and below the partly threshold, if given).
    """
    low_n = verdict_min_n(n, min_n)
    if low_n:
        return low_n
    if estimate is None or lo is None or hi is None:
        return NOT_TESTABLE, "no estimate or interval could be computed"
    shown = f"share {_pct(estimate)} [{_pct(lo)}, {_pct(hi)}] (n={n})"
    if lo >= threshold:
        return SUPPORTED, f"supported: {shown} has its lower bound at or above {_pct(threshold)}"
    if hi >= threshold:
        return PARTLY, f"partly supported: {shown} straddles {_pct(threshold)}"
    if partly_threshold is not None and lo >= partly_threshold:
        return PARTLY, f"partly supported: {shown} is below {_pct(threshold)} but at least {_pct(partly_threshold)}"
    return NOT_SUPPORTED, f"not supported: {shown} lies below {_pct(threshold)}"


def combine_verdicts(parts: list[Verdict]) -> Verdict:
    """One verdict for a claim with several checkable parts (e.g. "fewer ads; KOLs instead").

    Supported only if every part is; not testable if every part is; not supported if
    every testable part is not supported; partly supported otherwise. The rule texts
    are joined so each part's numbers stay visible.
    """
    if not parts:
        raise ValueError("combine_verdicts needs at least one (verdict, rule) part")
    verdicts = [v for v, _ in parts]
    testable = [v for v in verdicts if v != NOT_TESTABLE]
    if not testable:
        verdict = NOT_TESTABLE
    elif all(v == SUPPORTED for v in verdicts):
        verdict = SUPPORTED
    elif all(v == NOT_SUPPORTED for v in testable):
        verdict = NOT_SUPPORTED
    else:
        verdict = PARTLY
    text = "; ".join(f"({i}) {r}" for i, (_, r) in enumerate(parts, start=1))
    return verdict, f"{verdict} overall — {text}"
