"""The claims ledger: one row per claim of CLAIMS.md, with a verdict computed by rule.

Each analysis module registers, for the claims it can speak to, a function
``bundle -> Evidence`` with the ``@claim("T3")`` decorator. ``build_ledger`` runs them
all; the verdict in every row comes from a written rule (the ``verdict_*`` functions
below, or one in the module, stated in ``rule``), never typed by hand. A claim no
module can measure gets ``not testable with the data at hand`` and says what data
would test it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import asdict, dataclass

import polars as pl

SUPPORTED = "supported"
PARTLY = "partly supported"
NOT_SUPPORTED = "not supported"
CONTRADICTED_LATER = "contradicted by later data"
NOT_TESTABLE = "not testable with the data at hand"
VERDICTS = (SUPPORTED, PARTLY, NOT_SUPPORTED, CONTRADICTED_LATER, NOT_TESTABLE)

#: The claims of CLAIMS.md: id → (theme, the claim in a sentence).
CLAIMS: dict[str, tuple[str, str]] = {
    "T1": ("Tech", "Facebook and Twitter left China in 2009, Google 2010, Instagram 2014, LinkedIn late 2021"),
    "T2": ("Tech", "RedNote is a multi-purpose app: product reviews, shopping, travel recommendations, social"),
    "T3": ("Tech", "Users see far fewer ads than on Instagram and Facebook; brand endorsements by KOLs instead"),
    "T4": ("Tech", "Content is better: value-driven (reviews, advice, tips), not clickbait"),
    "T5": ("Tech", "New users juggle 3–5 apps to translate"),
    "T6": ("Tech", "The platform recommends hashtags to English-speaking users"),
    "T7": ("Tech", "Chinese users complain about the influx"),
    "C1": ("Culture", "Users skew female (~70%), educated, wealthier"),
    "C2": ("Culture", "Newcomers find the community welcoming and kind"),
    "C3": ("Culture", "American Gen Z drives the migration (a reader adds: many seniors too)"),
    "C4": ("Culture", "Memes: Americans 'colonizing your app', Chinese 'I am your spy', cat tax"),
    "C5": ("Culture", "Cross-border talk about healthcare, housing prices, LGBTQ issues"),
    "P1": ("Politics", "The ban's timeline drove the migration"),
    "P2": ("Politics", "Young Americans say their data is safer with China than with the US government"),
    "P3": ("Politics", "Tourism to China is still low despite visa-free policies"),
    "M1": ("Commerce", "Chinese brands get free exposure; Luckin Coffee's #TikTokRefugee post was mocked"),
    "M2": ("Commerce", "RedNote acts as a PR campaign for Chinese travel and culture"),
    "M3": ("Commerce", "Influencers (KOLs) carry brand endorsement"),
    "W1": ("Migration", "Will users stay? (readers doubt it)"),
}
THEMES = ("Tech", "Culture", "Politics", "Commerce", "Migration")

#: Modules that register claim functions (imported by ``build_ledger``).
CLAIM_MODULES = (
    "analysis.demographics",
    "analysis.ads",
    "analysis.content",
    "analysis.language",
    "analysis.culture",
    "analysis.politics",
    "analysis.commerce",
    "analysis.migration",
)


@dataclass(frozen=True)
class Evidence:
    """What one claim's row of the ledger says, and why."""

    claim_id: str
    measure: str  # what was measured, in words
    estimate: float | None
    lo: float | None
    hi: float | None
    n: int | None
    unit: str  # share, ratio, count, days …
    comparison: str  # the published figure compared with, with its source and confidence
    verdict: str  # one of VERDICTS, computed by ``rule``
    rule: str  # the verdict rule in words, e.g. "supported if the upper bound of the ratio < 0.5"
    dataset: str  # data set id(s) the estimate comes from ("" if none)
    evidence: str = ""  # figure id in the report that backs the row
    what_would_test: str = ""  # for not-testable rows: the data that would settle it
    illustrative: bool = False  # computed from the synthetic sample: never a verdict to cite

    def __post_init__(self) -> None:
        if self.claim_id not in CLAIMS:
            raise ValueError(f"unknown claim id {self.claim_id!r}; known: {sorted(CLAIMS)}")
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict {self.verdict!r} for {self.claim_id} is not one of {VERDICTS}")
        if self.verdict == NOT_TESTABLE and not self.what_would_test:
            raise ValueError(f"{self.claim_id}: a not-testable row must say what data would test it")


ClaimFn = Callable[..., Evidence]
_REGISTRY: dict[str, ClaimFn] = {}


def claim(claim_id: str) -> Callable[[ClaimFn], ClaimFn]:
    """Register ``fn(bundle) -> Evidence`` as the measurement of ``claim_id``."""
    if claim_id not in CLAIMS:
        raise ValueError(f"unknown claim id {claim_id!r}")

    def register(fn: ClaimFn) -> ClaimFn:
        if claim_id in _REGISTRY and _REGISTRY[claim_id].__qualname__ != fn.__qualname__:
            raise ValueError(f"claim {claim_id} registered twice ({_REGISTRY[claim_id].__module__}, {fn.__module__})")
        _REGISTRY[claim_id] = fn
        return fn

    return register


def registered() -> dict[str, ClaimFn]:
    for name in CLAIM_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a real import error inside the module: surface it
                raise
    return dict(_REGISTRY)


LEDGER_SCHEMA = {
    "claim_id": pl.String(), "theme": pl.String(), "claim": pl.String(), "measure": pl.String(),
    "estimate": pl.Float64(), "lo": pl.Float64(), "hi": pl.Float64(), "n": pl.Int64(), "unit": pl.String(),
    "comparison": pl.String(), "verdict": pl.String(), "rule": pl.String(), "dataset": pl.String(),
    "evidence": pl.String(), "what_would_test": pl.String(), "illustrative": pl.Boolean(),
}


def build_ledger(bundle) -> pl.DataFrame:
    """The full ledger, one row per claim of CLAIMS.md in its order."""
    fns = registered()
    rows = []
    for cid, (theme, text) in CLAIMS.items():
        if cid in fns:
            ev = fns[cid](bundle)
            if ev.claim_id != cid:
                raise ValueError(f"{fns[cid].__module__}.{fns[cid].__name__} returned evidence for {ev.claim_id}, not {cid}")
            row = asdict(ev)
            row["illustrative"] = row["illustrative"] or bundle.illustrative
        else:
            row = asdict(Evidence(cid, "", None, None, None, None, "", "", NOT_TESTABLE,
                                  "no analysis registered for this claim", "",
                                  what_would_test="(no module measures this claim yet)"))
        row.update(theme=theme, claim=text)
        rows.append(row)
    return pl.DataFrame(rows, schema=LEDGER_SCHEMA).select(list(LEDGER_SCHEMA))


# --- Verdict rules ----------------------------------------------------------------------
# Each rule takes an estimate, its interval and n (and the comparison figure) and returns
# ``(verdict, rule_text)``; the rule text is what the ledger prints in its ``rule`` column,
# so a reader sees exactly which numbers decided the verdict. Every rule first applies the
# minimum-n rule of analysis.stats (fewer units than MIN_N: not testable).

Verdict = tuple[str, str]


def verdict_min_n(n: int | None, min_n: int | None = None) -> Verdict | None:
    """``(NOT_TESTABLE, why)`` when ``n`` is below the minimum, else ``None``."""
    from analysis.stats import MIN_N

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
