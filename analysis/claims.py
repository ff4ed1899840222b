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
