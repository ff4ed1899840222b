"""What a ledger row holds: the claims of CLAIMS.md and the ``Evidence`` each claim
function returns."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from analysis.claims.rules import DIRECT, FITS, KINDS, NEGATIVE, NOT_TESTABLE, SHARE, VERDICTS

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
    target: str = ""  # the population and quantity the claim is about
    fit: str = DIRECT  # how well ``measure`` observes ``target``: direct | proxy | context
    kind: str = SHARE  # existence | share | comparison | timing | forecast: picks the rule
    instances: str = ""  # existence claims: pseudonymous note references with a short quote each

    def __post_init__(self) -> None:
        if self.claim_id not in CLAIMS:
            raise ValueError(f"unknown claim id {self.claim_id!r}; known: {sorted(CLAIMS)}")
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict {self.verdict!r} for {self.claim_id} is not one of {VERDICTS}")
        if self.fit not in FITS:
            raise ValueError(f"{self.claim_id}: fit {self.fit!r} is not one of {FITS}")
        if self.kind not in KINDS:
            raise ValueError(f"{self.claim_id}: kind {self.kind!r} is not one of {KINDS}")
        if self.verdict in NEGATIVE and self.fit != DIRECT:
            raise ValueError(f"{self.claim_id}: {self.verdict!r} needs a direct measure of the claim's target, "
                             f"not a {self.fit} one")
        if self.verdict == NOT_TESTABLE and not self.what_would_test:
            raise ValueError(f"{self.claim_id}: a not-testable row must say what data would test it")


LEDGER_SCHEMA = {
    "claim_id": pl.String(), "theme": pl.String(), "claim": pl.String(), "kind": pl.String(),
    "target": pl.String(), "measure": pl.String(), "fit": pl.String(),
    "estimate": pl.Float64(), "lo": pl.Float64(), "hi": pl.Float64(), "n": pl.Int64(), "unit": pl.String(),
    "comparison": pl.String(), "verdict": pl.String(), "rule": pl.String(), "dataset": pl.String(),
    "evidence": pl.String(), "what_would_test": pl.String(), "instances": pl.String(),
    "illustrative": pl.Boolean(),
}


