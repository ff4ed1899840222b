"""One set-up call per notebook: the build's facts, its ledger and the section's small
tables — never the notes or comments themselves.

The build's prepare step loads the data once and computes, into the folder every
notebook is given as ``cache_dir``: the claims ledger, the facts about the data (counts,
reach, limits, which figures the data can draw) and every section's tables
(``analysis.sections``). A notebook in a build reads only those, so a section's kernel
stays small whatever the size of the crawl. Outside a build (``cache_dir`` empty, e.g.
"Run All" in JupyterLab) the notebook loads the data and computes the same tables in its
own kernel; ``s.bundle`` gives an analyst the rows either way.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from filelock import FileLock

from analysis.claims.data import newcomer_notes
from analysis.claims.evidence import LEDGER_SCHEMA
from analysis.claims.ledger import build_ledger, with_lexicon_text
from analysis.display.show import banner, data_reach, show, show_table
from analysis.figures.base import Figure, FigureInputError, Notice
from analysis.io.bundle import Bundle, DataFacts
from analysis.io.load import load_bundle
from analysis.measures.common import CREATORS, REFUGEE
from analysis.sections import SECTIONS, Inputs, SectionTables, compute, figure_gaps


def ledger(bundle: Bundle, cache_dir: str = "", engine: str = "polars") -> pl.DataFrame:
    """``build_ledger(bundle, engine)``, computed once per build (a file lock makes notebooks
    running in parallel wait for the first instead of computing it again)."""
    if not cache_dir:
        return build_ledger(bundle, engine)
    path = Path(cache_dir) / "ledger.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".lock"):
        if path.exists():
            return pl.read_parquet(path).cast(LEDGER_SCHEMA)
        table = build_ledger(bundle, engine)
        tmp = path.with_suffix(".tmp")
        table.write_parquet(tmp)
        tmp.replace(path)  # a reader never sees half a file
    return table


def limits(bundle: Bundle) -> tuple[list[str], list[str]]:
    """What this build's data can and cannot tell a reader, in plain words, from the
    tables it actually holds (an analyst's export gets its own list)."""
    b = bundle
    datasets = set(b.notes["dataset"].unique().to_list()) if b.notes.height else set()
    can = [f"Read how people replied: {b.comments.height:,} comments."] if b.comments.height else []
    cannot = ["Show the feeds and ads users saw, or their ages, education or income."]
    if REFUGEE in datasets:
        cannot.insert(0, "Describe RedNote users at large: the posts are a hashtag sample from mid-January 2025.")
    if CREATORS in datasets:
        n = b.notes.filter(pl.col("dataset") == CREATORS)["account_id"].n_unique()
        cannot.insert(1, f"Stand for all established users: the creators are {n} Chinese-American accounts.")
    if not b.comments.height:
        cannot.append("Show how Chinese users replied: no comments in this build.")
    if b.illustrative:
        cannot.insert(0, "Support any verdict: this is the synthetic sample, for illustration only.")
    return can, cannot


@dataclass(frozen=True)
class Facts:
    """What every section says about the build's data, without its rows."""

    data: DataFacts  # mode, window, counts, sources
    reach: pl.DataFrame  # analysis.display.show.data_reach of the notes
    can: list[str]
    cannot: list[str]
    source: str  # the newcomers' data set id (analysis.claims.data.newcomer_notes)
    gaps: dict[str, list[tuple[str, str]]]  # per figure id: unmet needs as (kind, message)

    @classmethod
    def of(cls, bundle: Bundle) -> Facts:
        can, cannot = limits(bundle)
        return cls(bundle.facts, data_reach(bundle.notes), can, cannot, newcomer_notes(bundle)[1],
                   figure_gaps(bundle))

    def save(self, folder: Path) -> None:
        self.data.save(folder)
        self.reach.write_parquet(folder / "reach.parquet")
        meta = {"can": self.can, "cannot": self.cannot, "source": self.source, "gaps": self.gaps}
        (folder / "view.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def open(cls, folder: Path) -> Facts:
        meta = json.loads((folder / "view.json").read_text(encoding="utf-8"))
        gaps = {fid: [tuple(g) for g in gs] for fid, gs in meta["gaps"].items()}
        return cls(DataFacts.open(folder), pl.read_parquet(folder / "reach.parquet"), meta["can"], meta["cannot"],
                   meta["source"], gaps)


FACTS_DIR = "facts"
SECTIONS_DIR = "sections"


def precompute(bundle: Bundle, cache_dir: str) -> dict[str, dict]:
    """The build's prepare step, after the ledger: the facts and every section's tables,
    saved into ``cache_dir``. Returns per section its seconds and its three slowest tables."""
    root = Path(cache_dir)
    Facts.of(bundle).save(root / FACTS_DIR)
    # Note text normalised and every lexicon matched once for all sections (a no-op when
    # the ledger's bundle already has them).
    inputs = Inputs(with_lexicon_text(bundle))  # the fitted scorer and the newcomers, shared by all sections
    timing = {}
    for section, tables in SECTIONS.items():
        t0 = time.perf_counter()
        computed = compute(section, tables, inputs)
        computed.save(root / SECTIONS_DIR / section)
        slowest = dict(sorted(computed.seconds.items(), key=lambda kv: -kv[1])[:3])
        timing[section] = {"seconds": round(time.perf_counter() - t0, 2), "slowest": slowest}
        inputs.shared.clear()  # a section's intermediates (e.g. segmented words) are its own
    return timing


class Session:
    """What a notebook works with: the build's facts, the ledger and its section's tables.

    In a build they are read from ``cache_dir`` (the prepare step computed them); outside
    one they are computed here from the loaded data. ``bundle`` loads the rows on first use.
    """

    def __init__(self, facts: Facts, ledger: pl.DataFrame, cache_dir: str = "",
                 bundle: Bundle | None = None, load: Callable[[], Bundle] | None = None):
        self.facts, self.ledger, self.cache_dir = facts, ledger, cache_dir
        self._bundle, self._load = bundle, load
        self._inputs: Inputs | None = None

    @classmethod
    def of(cls, bundle: Bundle, ledger: pl.DataFrame, cache_dir: str = "") -> Session:
        return cls(Facts.of(bundle), ledger, cache_dir, bundle)

    @property
    def bundle(self) -> Bundle:
        """The build's rows (notes, comments, …), loaded on first use: for an analyst
        exploring in JupyterLab; the report's sections read ``tables`` instead."""
        if self._bundle is None:
            if self._load is None:
                raise RuntimeError("this session has no data to load")
            self._bundle = self._load()
        return self._bundle

    @property
    def illustrative(self) -> bool:
        return self.facts.data.illustrative

    @property
    def source(self) -> str:
        """The newcomers' data set id."""
        return self.facts.source

    def limits(self) -> tuple[list[str], list[str]]:
        return self.facts.can, self.facts.cannot

    def tables(self, section: str) -> SectionTables:
        """The small tables ``section`` draws (``analysis.sections``): from the build's
        prepare step when there is one, else computed now from the data."""
        if section not in SECTIONS:
            raise KeyError(f"no section {section!r}; sections: {', '.join(SECTIONS)}")
        if self.cache_dir:
            folder = Path(self.cache_dir) / SECTIONS_DIR / section
            with FileLock(str(folder) + ".lock"):
                if not folder.exists():
                    compute(section, SECTIONS[section], self._inputs_once()).save(folder)
                return SectionTables.open(section, folder)
        return compute(section, SECTIONS[section], self._inputs_once())

    def _inputs_once(self) -> Inputs:
        if self._inputs is None:
            self._inputs = Inputs(with_lexicon_text(self.bundle))
        return self._inputs

    def _notice(self, figure_id: str, *, all_kinds: bool) -> Notice | None:
        gaps = self.facts.gaps.get(figure_id)
        if gaps is None:
            raise KeyError(f"figure {figure_id!r} declares no needs in analysis.claims.needs.FIGURE_NEEDS")
        if not gaps:
            return None
        kind = gaps[0][0]
        said = "; ".join(dict.fromkeys(m for k, m in gaps if all_kinds or k == kind))
        return Notice(figure_id, kind, (said[0].upper() + said[1:] if not all_kinds else said) + ".")

    def figure(self, figure_id: str, build: Callable[[], Figure]) -> Figure | Notice:
        """The figure ``build()`` draws, or a Notice in its place when the build's data do not
        meet the figure's declared needs (``analysis.claims.needs.FIGURE_NEEDS``) — checked
        before anything is computed — or the figure layer finds its input lacking."""
        notice = self._notice(figure_id, all_kinds=False)
        if notice is not None:
            return notice
        try:
            return build()
        except FigureInputError as exc:
            return Notice(figure_id, "missing", f"This data cannot draw it: {exc}.")

    def table(self, table_id: str, build: Callable[[], pl.DataFrame], caption: str) -> None:
        """Show the table ``build()`` computes, or a Notice when the data do not meet its needs."""
        notice = self._notice(table_id, all_kinds=True)
        if notice is not None:
            show(notice)
            return
        show_table(build(), caption)


def _facts(bundle_load: Callable[[], Bundle], cache_dir: str) -> tuple[Facts, Bundle | None]:
    """The build's facts: read from ``cache_dir`` (computed once, under a lock, if absent)."""
    folder = Path(cache_dir) / FACTS_DIR
    with FileLock(str(folder) + ".lock"):
        if not (folder / "view.json").exists():
            bundle = bundle_load()
            Facts.of(bundle).save(folder)
            return Facts.open(folder), bundle
        return Facts.open(folder), None


def setup(data_mode: str = "auto", start_date: str = "", end_date: str = "", user_data: str = "",
          cache_dir: str = "", *, engine: str = "polars", show_banner: bool = True) -> Session:
    """The one call at the top of every notebook: the build's facts, its ledger and the
    data banner. In a build (``cache_dir`` set) nothing is loaded that the prepare step
    has computed; otherwise the data are loaded and everything computed in this kernel.
    ``engine``: where the ledger's heavy measures count when it is computed here (polars
    or spark)."""
    def load() -> Bundle:
        return load_bundle(data_mode, start_date, end_date, user_data, cache_dir)

    if cache_dir:
        facts, bundle = _facts(load, cache_dir)
        path = Path(cache_dir) / "ledger.parquet"
        table = (pl.read_parquet(path).cast(LEDGER_SCHEMA) if path.exists()
                 else ledger(bundle or load(), cache_dir, engine))
        session = Session(facts, table, cache_dir, bundle, load)
    else:
        bundle = load()
        session = Session.of(bundle, ledger(bundle, cache_dir, engine), cache_dir)
    if show_banner:
        banner(session.facts.data)
    return session
