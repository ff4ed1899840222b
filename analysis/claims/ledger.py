"""The ledger: every claim of CLAIMS.md, in report order, with its evidence and verdict.

``CLAIM_FUNCTIONS`` maps each claim id to the one function that measures it (in
``analysis/claims/<theme>.py``); ``build_ledger`` checks each claim's needs (``analysis.claims.needs``) against the bundle,
runs the claims whose needs are met and returns one row each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, replace

import polars as pl

from analysis.claims import commerce, culture, migration, politics, tech
from analysis.claims.data import on_engine
from analysis.claims.evidence import CLAIMS, LEDGER_SCHEMA, Evidence
from analysis.claims.needs import not_testable
from analysis.measures.common import with_note_text

ClaimFn = Callable[..., Evidence]

#: Claim id → the function that measures it; the ledger's rows follow CLAIMS' order.
CLAIM_FUNCTIONS: dict[str, ClaimFn] = {
    "T1": tech.firewall_dates,
    "T2": tech.multi_purpose,
    "T3": tech.t3_evidence,
    "T4": tech.t4_evidence,
    "T5": tech.juggling_translation_apps,
    "T6": tech.recommended_hashtags,
    "T7": tech.chinese_complaints,
    "C1": culture.c1_evidence,
    "C2": culture.welcoming_community,
    "C3": culture.gen_z_and_seniors,
    "C4": culture.memes,
    "C5": culture.cross_border_talk,
    "P1": politics.ban_timeline,
    "P2": politics.data_safer_with_china,
    "P3": politics.tourism_still_low,
    "M1": commerce.free_exposure,
    "M2": commerce.china_showcase,
    "M3": commerce.m3_evidence,
    "W1": migration.will_users_stay,
}


def evidence_for(claim_id: str, bundle) -> Evidence:
    """One claim's evidence: its needs checked first, so a claim never runs on data it cannot use."""
    return not_testable(claim_id, bundle) or CLAIM_FUNCTIONS[claim_id](bundle)


def with_lexicon_text(bundle):
    """``bundle`` with its notes' lexicon text normalised once (``with_note_text``), so the
    claims that run on it do not normalise it again per lexicon and claim."""
    return replace(bundle, notes=with_note_text(bundle.notes))


def build_ledger(bundle, engine: str = "polars") -> pl.DataFrame:
    """The full ledger, one row per claim of CLAIMS.md in its order.

    ``engine``: where the heavy measures count (``polars``, or ``spark``: see
    analysis/engines); the numbers are the same, only small tables come back.
    """
    bundle = with_lexicon_text(on_engine(bundle, engine))
    rows = []
    for cid, (theme, text) in CLAIMS.items():
        fn = CLAIM_FUNCTIONS[cid]
        ev = evidence_for(cid, bundle)
        if ev.claim_id != cid:
            raise ValueError(f"{fn.__module__}.{fn.__name__} returned evidence for {ev.claim_id}, not {cid}")
        row = asdict(ev)
        row["illustrative"] = row["illustrative"] or bundle.illustrative
        row.update(theme=theme, claim=text)
        rows.append(row)
    return pl.DataFrame(rows, schema=LEDGER_SCHEMA).select(list(LEDGER_SCHEMA))
