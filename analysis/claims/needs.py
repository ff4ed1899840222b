"""What each claim and figure needs from the data, checked against the bundle before it runs.

A claim or figure declares its needs (tables, columns, minimum n) here; ``shortfalls``
compares them with the loaded bundle. Two cases stay distinct: the data are *missing*
(an empty table, or a column with no values) — say what is missing and how to get it —
and there are *too few* rows for the claim's minimum n.

The public reference sets (the KOL media-kit sheet, the clickbait benchmark) are joined
to every build, an analyst's own export included; ``reference=True`` marks the needs they
meet, so the report can say which numbers come from the analyst's data and which from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal

import polars as pl

from analysis.claims.evidence import CLAIMS, Evidence
from analysis.claims.rules import NOT_TESTABLE
from analysis.measures.common import SURGE_DAY, local_day
from analysis.measures.migration import DECAY_DAYS
from analysis.stats import MIN_N

#: A chart of fewer rows than this would mislead: a notice stands in its place.
FIGURE_MIN_N = 10


@dataclass(frozen=True)
class Need:
    table: str  # a Bundle table: notes, creators, comments, media_kits, headlines
    what: str  # in words, e.g. "creator profiles"
    how: str  # how an analyst gets it, e.g. "MediaCrawler creator mode"
    columns: tuple[str, ...] = ()  # each must hold a value on the counted rows
    min_n: int = 1
    reference: bool = False  # met by a public reference set joined to every build
    # what min_n counts, when not rows with the columns filled (e.g. distinct days)
    count: pl.Expr | None = field(default=None, compare=False)

    def at_least(self, n: int) -> Need:
        return Need(self.table, self.what, self.how, self.columns, n, self.reference, self.count)


NOTES = Need("notes", "notes", "a MediaCrawler search or creator crawl (its *_contents_* files), or a posts sheet",
             ("published_at",))
NOTE_TEXT = Need("notes", "note titles or text", "a crawl or sheet that keeps the note's title and description",
                 ("text",))
TAGS = Need("notes", "notes with hashtags", "a crawl that keeps each note's tag_list", ("tags",))
COMMENTS = Need("comments", "comments", "a MediaCrawler crawl with comments on (ENABLE_GET_COMMENTS = True)",
                ("text",))
CREATORS = Need("creators", "creator profiles", "MediaCrawler creator mode (its creator_creator_* files)",
                ("gender",))
MEDIA_KITS = Need("media_kits", "KOL media kits", "the public KOL media-kit sheet (data set mediacrawler-creators)",
                  reference=True)
#: The decay fit's window: days with notes in the DECAY_DAYS days from the surge (local days, as measured).
SURGE_DAYS = Need("notes", "days with notes in the two weeks from 13 Jan 2025",
                  "a crawl covering the migration weeks (from 13 Jan 2025)", ("published_at",), 3,
                  count=local_day().filter(local_day().is_between(SURGE_DAY, SURGE_DAY + timedelta(days=DECAY_DAYS - 1)))
                  .n_unique())
HEADLINES = Need("headlines", "clickbait benchmark headlines", "the public clickbait benchmark (data set clickbait-en)",
                 reference=True)

_N = MIN_N
#: Claim id → its needs. T1, C3 and P3 rest on published figures alone (C3's own check says
#: what would test it), so they need nothing of the build's data.
CLAIM_NEEDS: dict[str, tuple[Need, ...]] = {
    "T1": (),
    # Existence claims (T6, C4, C5, P2, M1) rest on verified instances, not on a share: no minimum n.
    "T2": (NOTE_TEXT.at_least(_N),),
    "T3": (NOTES.at_least(_N),),
    "T4": (NOTE_TEXT.at_least(_N), HEADLINES.at_least(_N)),
    "T5": (NOTE_TEXT.at_least(_N),),
    "T6": (TAGS,),
    "T7": (NOTE_TEXT,),
    "C1": (CREATORS, MEDIA_KITS.at_least(_N)),
    "C2": (NOTE_TEXT.at_least(_N),),
    "C3": (),
    "C4": (NOTE_TEXT,),
    "C5": (NOTE_TEXT,),
    "P1": (NOTES.at_least(_N),),
    "P2": (NOTE_TEXT,),
    "P3": (),
    "M1": (NOTE_TEXT,),
    "M2": (NOTE_TEXT.at_least(_N),),
    "M3": (CREATORS, NOTES, MEDIA_KITS.at_least(_N)),
    "W1": (NOTES.at_least(_N),),
}

_F = FIGURE_MIN_N
#: Figure id → its needs (a chart of the public reference sets alone needs only them).
FIGURE_NEEDS: dict[str, tuple[Need, ...]] = {
    "tech-ad-share": (NOTES.at_least(_F),),
    "tech-ads-per-creator": (NOTES.at_least(_F),),
    "tech-clickbait-scores": (NOTE_TEXT.at_least(_F), HEADLINES.at_least(_F)),
    "tech-value-driven": (NOTE_TEXT.at_least(_F), HEADLINES.at_least(_F)),
    "tech-saves-to-likes": (NOTE_TEXT.at_least(_F), HEADLINES.at_least(_F)),
    "tech-topic-mix": (NOTE_TEXT.at_least(_F),),
    "tech-language-mix": (NOTE_TEXT.at_least(_F),),
    "tech-hashtags": (TAGS.at_least(_F),),
    "tech-hashtag-cooccurrence": (TAGS.at_least(_F),),
    "culture-gender": (CREATORS, MEDIA_KITS.at_least(_F)),
    "culture-follower-ages": (CREATORS, MEDIA_KITS.at_least(_F)),
    "culture-welcome": (NOTE_TEXT.at_least(_F),),
    "culture-age-cohorts": (NOTE_TEXT.at_least(_F),),
    "culture-memes": (NOTE_TEXT.at_least(_F),),
    "culture-cross-border": (NOTE_TEXT.at_least(_F),),
    "politics-firewall-timeline": (),
    "politics-daily-volume": (NOTES.at_least(_F),),
    "politics-phase-engagement": (NOTES.at_least(_F),),
    "politics-account-opening": (NOTES.at_least(_F),),
    "politics-privacy": (NOTE_TEXT.at_least(_F),),
    "politics-tourism": (),
    "commerce-brands": (NOTE_TEXT.at_least(_F),),
    "commerce-brand-engagement": (NOTE_TEXT.at_least(_F),),
    "commerce-travel-culture": (NOTE_TEXT.at_least(_F),),
    "commerce-kol-price": (CREATORS, MEDIA_KITS.at_least(_F)),
    "migration-cohort-retention": (NOTES.at_least(_F),),
    "migration-volume-decay": (NOTES.at_least(_F), SURGE_DAYS),
    "methods-language-id": (NOTE_TEXT.at_least(_F),),
    "methods-lexicon-precision": (NOTE_TEXT.at_least(_F),),
    # tables shown in a figure's place
    "tech-clickbait-transfer": (NOTE_TEXT, HEADLINES.at_least(_F)),
    "migration-retention-table": (NOTES.at_least(_F),),
}


@dataclass(frozen=True)
class Shortfall:
    """One need the bundle does not meet."""

    need: Need
    kind: Literal["missing", "too few"]
    have: int  # rows with every needed column filled
    table_rows: int = 0  # rows of the table, filled or not

    def message(self) -> str:
        need = self.need
        if self.kind == "missing":
            cols = f" (its {', '.join(need.columns)} column is empty)" if self.table_rows and need.columns else ""
            return f"needs {need.what}{cols}: {need.how}"
        return (f"too few {need.what}: {self.have} in this data, at least {need.min_n} needed "
                f"for an estimate worth stating")


def usable_rows(bundle, need: Need) -> int:
    """Rows of the need's table with every needed column filled (lists: non-empty)."""
    table: pl.DataFrame = getattr(bundle, need.table)
    absent = [c for c in need.columns if c not in table.columns]
    if absent or table.is_empty():
        return 0
    filled = [
        pl.col(c).list.len() > 0 if isinstance(table.schema[c], pl.List) else pl.col(c).is_not_null()
        for c in need.columns
    ]
    rows = table.filter(pl.all_horizontal(filled).fill_null(False)) if filled else table
    return int(rows.select(need.count).item()) if need.count is not None else rows.height


def shortfalls(bundle, needs: tuple[Need, ...]) -> list[Shortfall]:
    """The needs the bundle does not meet, missing data first."""
    out = []
    for need in needs:
        have = usable_rows(bundle, need)
        rows = getattr(bundle, need.table).height
        if have == 0:
            out.append(Shortfall(need, "missing", 0, rows))
        elif have < need.min_n:
            out.append(Shortfall(need, "too few", have, rows))
    return sorted(out, key=lambda s: s.kind != "missing")


def not_testable(cid: str, bundle) -> Evidence | None:
    """The claim's row when the bundle cannot meet its needs (None when it can): no estimate,
    and what is missing and how to get it — or how many rows there are and how many it needs."""
    short = shortfalls(bundle, CLAIM_NEEDS[cid])
    if not short:
        return None
    said = "; ".join(dict.fromkeys(s.message() for s in short))
    missing = [s for s in short if s.kind == "missing"]
    return Evidence(
        claim_id=cid,
        measure="not measured: " + ("the data lack what it needs" if missing else "too few rows"),
        estimate=None, lo=None, hi=None,
        n=None if missing else min(s.have for s in short),
        unit="",
        comparison="",
        verdict=NOT_TESTABLE,
        rule=("not testable with this data: " if missing else "too few rows for a verdict: ") + said,
        dataset="",
        what_would_test=said,
    )


def coverage(bundle) -> pl.DataFrame:
    """Per claim: whether this build's data could test it, what limited it, and which of its
    inputs are the analyst's (or the public notes data sets) and which public reference sets."""
    rows = []
    for cid, (theme, _) in CLAIMS.items():
        needs = CLAIM_NEEDS[cid]
        short = shortfalls(bundle, needs)
        rows.append({
            "claim_id": cid,
            "theme": theme,
            "status": "limited" if short else "measured",
            "limited_by": "; ".join(dict.fromkeys(s.message() for s in short)),
            "from_build_data": ", ".join(dict.fromkeys(n.what for n in needs if not n.reference)),
            "from_public_reference": ", ".join(dict.fromkeys(n.what for n in needs if n.reference)),
        })
    return pl.DataFrame(rows, schema={c: pl.String() for c in
                                      ("claim_id", "theme", "status", "limited_by", "from_build_data",
                                       "from_public_reference")})
