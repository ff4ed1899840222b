"""What Methods shows about the verdict rules: the rules in plain language, each
threshold and why, and which real-data verdicts flip when a threshold moves."""

from __future__ import annotations

import polars as pl

from analysis.claims import rules
from analysis.claims.rules import THRESHOLDS

#: The rule of each kind, in the words Methods prints.
KIND_RULES = {
    rules.EXISTENCE: "Supported when every part of the claim has a verified instance (a quoted note); never judged "
                     "by how common it is. A part nobody in the data could say is not testable.",
    rules.SHARE: "The 95% interval of the share against the claim's level (its band, or its minimum): inside → "
                 "supported; on the claimed side → partly; wholly outside → not supported.",
    rules.COMPARISON: "Both sides measured the same way, or a published figure of the same construct; then the "
                      "ratio's interval: below the claimed bar → supported, below 1 → partly. A published side graded "
                      "L caps it at partly; a missing side makes it not testable.",
    rules.TIMING: "Dated checks against the reference timeline: all agree → supported (partly when the claim is "
                  "about cause: timing cannot show it); at least half → partly; fewer → not supported.",
    rules.FORECAST: "Later data of the same construct, four weeks or more after the peak, with a stated baseline and "
                    "confidence above L, decide; without such data not testable.",
}
FIT_RULE = ("Every kind: a proxy measure gives at most partly supported and never not supported; a context figure "
            "gives not testable and stays visible in the row. Not supported and contradicted need a direct measure.")


def rules_table() -> pl.DataFrame:
    """One row per kind (its rule) and per threshold (value, claims it decides, why)."""
    kinds = pl.DataFrame({"kind": list(KIND_RULES), "threshold": "", "value": None, "claims": "",
                          "rule": list(KIND_RULES.values())},
                         schema={"kind": pl.String, "threshold": pl.String, "value": pl.Float64,
                                 "claims": pl.String, "rule": pl.String})
    fit = pl.DataFrame({"kind": ["all (fit)"], "threshold": [""], "value": [None], "claims": [""], "rule": [FIT_RULE]},
                       schema=kinds.schema)
    thresholds = pl.DataFrame(
        {"kind": [t.kind for t in THRESHOLDS.values()], "threshold": list(THRESHOLDS),
         "value": [float(t.value) for t in THRESHOLDS.values()],
         "claims": [", ".join(t.claims) for t in THRESHOLDS.values()], "rule": [t.why for t in THRESHOLDS.values()]},
        schema=kinds.schema)
    return pl.concat([kinds, fit, thresholds.sort("kind", "threshold")])


def sensitivity(bundle, factor: float = 0.5) -> pl.DataFrame:
    """Which verdicts flip when each threshold moves by ±``factor`` of its value.

    Re-runs only the claims a threshold decides. Columns: threshold, value, moved_to,
    claim_id, verdict (at the stated value), verdict_moved, flips.
    """
    from analysis.claims.ledger import evidence_for, with_lexicon_text  # the ledger sits above the rules

    bundle = with_lexicon_text(bundle)
    stated: dict[str, str] = {}  # verdict at the stated thresholds, once per claim
    rows = []
    for name, t in THRESHOLDS.items():
        for cid in t.claims:
            if cid not in stated:
                stated[cid] = evidence_for(cid, bundle).verdict
        for sign in (-1, 1):
            value = t.value * (1 + sign * factor)
            with rules.moved(name, value):
                for cid in t.claims:
                    after = evidence_for(cid, bundle).verdict
                    rows.append((name, float(t.value), value, cid, stated[cid], after, after != stated[cid]))
    return pl.DataFrame(rows, schema={"threshold": pl.String, "value": pl.Float64, "moved_to": pl.Float64,
                                      "claim_id": pl.String, "verdict": pl.String, "verdict_moved": pl.String,
                                      "flips": pl.Boolean}, orient="row")
