"""Verdict rules, written once and applied to every claim of the same kind.

Each rule takes an ``Estimate`` (the estimate, its interval and n) and the figure compared
with, and returns ``(verdict, rule_text)``; the rule text is what the ledger prints, so a
reader sees which numbers decided the verdict.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NamedTuple

from analysis.results import Estimate
from analysis.stats import MIN_N

SUPPORTED = "supported"
PARTLY = "partly supported"
NOT_SUPPORTED = "not supported"
CONTRADICTED_LATER = "contradicted by later data"
NOT_TESTABLE = "not testable with the data at hand"
VERDICTS = (SUPPORTED, PARTLY, NOT_SUPPORTED, CONTRADICTED_LATER, NOT_TESTABLE)

# Each rule takes an Estimate (and the comparison figure) and returns ``(verdict,
# rule_text)``; the rule text is what the ledger prints in its ``rule`` column, so a reader
# sees exactly which numbers decided the verdict. Every rule first applies the minimum-n
# rule of analysis.stats (fewer units than MIN_N: not testable).

Verdict = tuple[str, str]


def verdict_min_n(n: int | None, min_n: int | None = None) -> Verdict | None:
    """``(NOT_TESTABLE, why)`` when ``n`` is below the minimum, else ``None``."""
    min_n = MIN_N if min_n is None else min_n
    if n is None or n < min_n:
        return NOT_TESTABLE, f"n={n} is below the minimum of {min_n} units for a verdict"
    return None


def _unmeasured(measured: Estimate, min_n: int | None, why: str) -> Verdict | None:
    """Not testable when n is below the minimum or the estimate has no interval (``why``)."""
    low_n = verdict_min_n(measured.n, min_n)
    if low_n:
        return low_n
    if measured.estimate is None or measured.lo is None or measured.hi is None:
        return NOT_TESTABLE, why
    return None


def _pct(v: float) -> str:
    return f"{v * 100:.3g}%"


def verdict_share_vs_reference(
    measured: Estimate,
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
    stop = _unmeasured(measured, min_n, "no estimate or interval could be computed")
    if stop:
        return stop
    _, lo, hi, n = measured
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


class _RatioSide(NamedTuple):
    """How a ratio claim reads in one direction: which bound must clear the cut, and the words."""

    bound: str
    word: str
    beyond: Callable[[float, float], bool]
    reaches: str
    change: str
    strong_note: str


#: "higher" mirrors "lower": the lower bound above 1/strong and 1, not the upper below strong and 1.
_RATIO_SIDES = {
    "lower": _RatioSide("upper", "below", operator.lt, "more", "reduction", " (at most {strong:g}× theirs)"),
    "higher": _RatioSide("lower", "above", operator.gt, "less", "increase", ""),
}


def verdict_ratio(ratio: Estimate, *, claim: str = "lower", strong: float = 0.5, min_n: int | None = None) -> Verdict:
    """A ratio (ours / theirs) against a claim that ours is lower (or higher).

    For ``claim="lower"`` ("far fewer ads than Instagram"):
    * supported: the upper bound is below ``strong`` (ours is at most half of theirs);
    * partly supported: the upper bound is below 1 but not below ``strong`` (fewer, not far fewer);
    * not supported: the interval reaches 1 or above.
    ``claim="higher"`` mirrors it: lower bound above 1/strong, above 1, otherwise.
    """
    if claim not in ("lower", "higher"):
        raise ValueError(f"claim={claim!r}; use 'lower' or 'higher'")
    stop = _unmeasured(ratio, min_n, "no ratio or interval could be computed (a zero count on one side)")
    if stop:
        return stop
    estimate, lo, hi, n = ratio
    what = f"ratio {estimate:.2f} [{lo:.2f}, {hi:.2f}] (n={n})"
    side = _RATIO_SIDES[claim]
    bound, cut = (hi, strong) if claim == "lower" else (lo, 1 / strong)
    if side.beyond(bound, cut):
        return SUPPORTED, (f"supported: {what} has its {side.bound} bound {side.word} {cut:g}"
                           + side.strong_note.format(strong=strong))
    if side.beyond(bound, 1):
        return PARTLY, f"partly supported: {what} is {side.word} 1 but its {side.bound} bound is not {side.word} {cut:g}"
    return NOT_SUPPORTED, f"not supported: {what} reaches 1 or {side.reaches} (no clear {side.change})"


def verdict_positive_association(measured: Estimate, *, what: str = "slope", min_n: int | None = None) -> Verdict:
    """An association the claim implies is positive (e.g. price rises with followers).

    * supported: the interval lies wholly above 0;
    * not supported: the interval includes 0 or lies below it.
    """
    stop = _unmeasured(measured, min_n, f"no {what} or interval could be computed")
    if stop:
        return stop
    estimate, lo, hi, n = measured
    shown = f"{what} {estimate:.2f} [{lo:.2f}, {hi:.2f}] (n={n})"
    if lo > 0:
        return SUPPORTED, f"supported: {shown} lies wholly above 0"
    return NOT_SUPPORTED, f"not supported: {shown} does not lie wholly above 0"


def verdict_share_at_least(measured: Estimate, threshold: float, *, partly_threshold: float | None = None,
                           min_n: int | None = None) -> Verdict:
    """A share the claim implies is substantial (e.g. "most creators carry endorsements").

    * supported: lo ≥ ``threshold``;
    * partly supported: lo ≥ ``partly_threshold`` (when given) or the interval straddles
      ``threshold``;
    * not supported: hi < ``threshold`` (and below the partly threshold, if given).
    """
    stop = _unmeasured(measured, min_n, "no estimate or interval could be computed")
    if stop:
        return stop
    estimate, lo, hi, n = measured
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


# --- Kinds of claim, fit of the measure, and the one rule per kind ----------------------

EXISTENCE, SHARE, COMPARISON, TIMING, FORECAST = "existence", "share", "comparison", "timing", "forecast"
KINDS = (EXISTENCE, SHARE, COMPARISON, TIMING, FORECAST)
DIRECT, PROXY, CONTEXT = "direct", "proxy", "context"
FITS = (DIRECT, PROXY, CONTEXT)
#: Verdicts that say the claim is wrong: they need a measure of the claim's own target.
NEGATIVE = (NOT_SUPPORTED, CONTRADICTED_LATER)


@dataclass(frozen=True)
class Threshold:
    """One number a verdict rule turns on, with the claims it decides and why it is where it is."""

    value: float
    kind: str
    claims: tuple[str, ...]
    why: str


def _of_kind(kind: str, **thresholds: tuple[float, tuple[str, ...], str]) -> dict[str, Threshold]:
    """The thresholds of one kind of rule, each given as name=(value, claims it decides, why)."""
    return {name: Threshold(value, kind, claims, why) for name, (value, claims, why) in thresholds.items()}


#: Every threshold a verdict rule reads, by name, grouped by the kind of rule that reads it.
#: Claim code reads them through ``threshold(name)`` so that ``moved`` can shift one for the
#: sensitivity check.
THRESHOLDS: dict[str, Threshold] = {
    **_of_kind(
        EXISTENCE,
        min_instances=(1, ("T3", "C4", "C5", "P2"),
                       "a claim that something exists is shown by one clear instance, quoted so a reader "
                       "can check it; how common it is does not matter"),
    ),
    **_of_kind(
        SHARE,
        share_tolerance=(0.05, ("C1",), "a claimed round figure (\"~70%\") is read as ±5 points"),
        most=(0.5, ("M3", "C3"),
              "\"KOLs carry endorsement\" read as most creators offering a paid post; \"Gen Z drives it\" "
              "as Gen Z being most of the age-stating newcomers"),
        welcoming=(2 / 3, ("C2",),
                   "\"welcoming\" read as: at least two in three of the posts that say how they were treated"),
        showcase=(0.25, ("M2",), "\"a PR campaign\" read as: at least a quarter of the posts showcase China"),
        showcase_partly=(0.05, ("M2",), "below a quarter but at least one post in twenty: a visible theme"),
    ),
    **_of_kind(
        COMPARISON,
        far_fewer=(0.5, ("T3",), "\"far fewer\" read as: at most half of the other platform's level"),
        still_low=(1.0, ("P3",), "\"still low\" read as: below the pre-pandemic (2019) level of the same count"),
    ),
    **_of_kind(TIMING, timing_half=(0.5, ("T1", "P1"), "partly when at least half of the dated checks agree")),
    **_of_kind(
        FORECAST,
        stay_kept=(0.5, ("W1",), "\"most will not stay\" holds when later daily users are below half their peak"),
        stay_days=(28, ("W1",),
                   "staying is read four weeks after the peak: a reading days later shows a fade, not who stayed"),
    ),
}

_moved: dict[str, float] = {}


def threshold(name: str) -> float:
    """The current value of a named threshold (moved by ``moved`` during a sensitivity run)."""
    if name not in THRESHOLDS:
        raise KeyError(f"unknown threshold {name!r}; known: {sorted(THRESHOLDS)}")
    return _moved.get(name, THRESHOLDS[name].value)


@contextmanager
def moved(name: str, value: float):
    """Within the block, ``threshold(name)`` returns ``value``."""
    threshold(name)
    _moved[name] = value
    try:
        yield
    finally:
        _moved.pop(name, None)


def apply_fit(verdict: Verdict, fit: str, target: str = "") -> Verdict:
    """The fit rule, the same for every kind.

    * direct: the verdict stands;
    * proxy: at most partly supported; a negative verdict becomes not testable (a proxy
      that does not show the thing cannot show that it is absent);
    * context: not testable; the figure stays in the row as context.
    """
    if fit not in FITS:
        raise ValueError(f"fit={fit!r}; use one of {FITS}")
    v, text = verdict
    about = f" of {target}" if target else ""
    if fit == DIRECT or v == NOT_TESTABLE:
        return verdict
    if fit == CONTEXT:
        return NOT_TESTABLE, f"not testable: the data are context, not a measure{about} — {text}"
    if v in NEGATIVE:
        return NOT_TESTABLE, f"not testable: a proxy{about} cannot show absence — {text}"
    if v == SUPPORTED:
        return PARTLY, f"partly supported (a proxy{about} caps the verdict) — {text}"
    return verdict


def verdict_existence(found: dict[str, int], could_show: dict[str, bool] | None = None,
                      min_instances: int | None = None, searched: int | None = None) -> Verdict:
    """The existence rule: each part of the claim is found when it has at least
    ``min_instances`` verified instances; never judged by prevalence.

    A part with no instance is *not found* when the population could show it and at least
    MIN_N texts were ``searched``, and not testable otherwise. Supported when every part is found; not testable when
    no part could be shown; not supported when no testable part is found; partly otherwise.
    """
    if not found:
        raise ValueError("verdict_existence needs at least one part")
    k = math.ceil(threshold("min_instances") if min_instances is None else min_instances)
    could_show = could_show or {}
    parts: list[Verdict] = []
    for part, count in found.items():
        if count >= k:
            parts.append((SUPPORTED, f"{part}: {count} verified instance(s) (≥ {k})"))
        elif could_show.get(part, True) and searched is not None and searched < MIN_N:
            # Absence is a finding only where enough texts were read for it to show.
            parts.append((NOT_TESTABLE, f"{part}: {count} instance(s) in only {searched} texts (< {MIN_N} to call it absent)"))
        elif could_show.get(part, True):
            parts.append((NOT_SUPPORTED, f"{part}: {count} verified instance(s) (< {k})"))
        else:
            parts.append((NOT_TESTABLE, f"{part}: {count} instance(s), and the data hold no one who could say it"))
    if len(parts) == 1:
        v, text = parts[0]
        return v, f"{v}: {text}"
    return combine_verdicts(parts)


def verdict_comparison(
    ratio: Estimate, *, same_construct: bool, both_sides: bool = True, claim: str = "lower",
    strong: float | None = None, published_grade: str | None = None,
) -> Verdict:
    """The comparison rule: both sides measured the same way (or a published figure of the
    same construct), then ``verdict_ratio``. Without the other side, or with a different
    construct, not testable. A published side graded L (low confidence) caps the verdict
    at partly supported. Ratios of two published figures have no interval or n: the point
    ratio stands for its interval."""
    if not both_sides:
        return NOT_TESTABLE, "not testable: the other side of the comparison is not measured"
    if not same_construct:
        return NOT_TESTABLE, "not testable: the two sides measure different things"
    strong = threshold("far_fewer") if strong is None else strong
    point, lo, hi, n = ratio
    if n is None and lo is None and hi is None and point is not None:
        v, text = verdict_ratio(Estimate(point, point, point, MIN_N), claim=claim, strong=strong)
        text = text.replace(f" (n={MIN_N})", " (published figures, no interval)")
    else:
        v, text = verdict_ratio(ratio, claim=claim, strong=strong)
    if published_grade == "L" and v == SUPPORTED:
        return PARTLY, f"partly supported: a published side of confidence L caps the verdict — {text}"
    return v, text


def verdict_timing(checks: dict[str, bool | None], *, cause: bool = False, half: float | None = None) -> Verdict:
    """The timing rule: dated checks that agree with the claim (None: not decidable).

    All decidable checks agree → supported (partly when the claim is about cause: timing
    alone cannot show it); at least ``half`` agree → partly; fewer → not supported; none
    decidable → not testable.
    """
    half = threshold("timing_half") if half is None else half
    decided = {k: v for k, v in checks.items() if v is not None}
    undecided = [k for k, v in checks.items() if v is None]
    if not decided:
        return NOT_TESTABLE, "not testable: no dated check can be decided" + (
            f" ({', '.join(undecided)})" if undecided else "")
    agree = [k for k, v in decided.items() if v]
    shown = f"{len(agree)} of {len(decided)} dated checks agree" + (
        f" (off: {', '.join(k for k in decided if k not in agree)})" if len(agree) < len(decided) else "") + (
        f"; not decidable: {', '.join(undecided)}" if undecided else "")
    if len(agree) == len(decided):
        if cause:
            return PARTLY, f"partly supported: {shown}; timing alone cannot show cause"
        return SUPPORTED, f"supported: {shown}"
    if len(agree) >= half * len(decided):
        return PARTLY, f"partly supported: {shown}; at least {half:.0%} agree"
    return NOT_SUPPORTED, f"not supported: {shown}; fewer than {half:.0%} agree"


def verdict_forecast(readings: list[tuple[str, float | None, int, str]], *, doubt: bool = True) -> Verdict:
    """The forecast rule: later data of the same construct decide.

    ``readings`` are (label, later level as a share of the peak or None when the published
    baseline is unstated, days after the peak, confidence grade). A reading counts when it
    is at least ``stay_days`` after the peak, states its baseline and is not graded L; the
    latest such reading decides: when the claim is the doubt ("most will not stay"),
    supported if the level is below ``stay_kept`` of the peak, not supported otherwise
    (mirrored for a claim that they stay). No such reading: not testable, readings shown.
    """
    bar, days = threshold("stay_kept"), int(threshold("stay_days"))
    shown = "; ".join(f"{label}: {'baseline unstated' if kept is None else f'{kept:.0%} of the peak'}, "
                      f"{after} days after, grade {grade}" for label, kept, after, grade in readings)
    usable = [r for r in readings if r[1] is not None and r[2] >= days and r[3] != "L"]
    if not usable:
        return NOT_TESTABLE, (f"not testable: no reading of the same construct at least {days} days after the peak "
                              f"with a stated baseline and confidence above L ({shown})")
    label, kept, after, _ = max(usable, key=lambda r: r[2])
    stayed = kept >= bar
    what = f"{label}: {kept:.0%} of the peak {after} days later ({'≥' if stayed else '<'} {bar:.0%})"
    if stayed != doubt:
        return SUPPORTED, f"supported: {what}; all readings: {shown}"
    return NOT_SUPPORTED, f"not supported: {what}; all readings: {shown}"
