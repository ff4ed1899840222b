"""One set-up call per notebook: the build's data, its ledger and the results every
section shares, computed once per build.

Each notebook runs in its own kernel, so a value every section needs (the claims
ledger, the fitted clickbait scorer) would otherwise be computed once per notebook. The
build passes every notebook the same ``cache_dir``; the first to ask computes and stores,
the others read. Outside a build (``cache_dir`` empty, e.g. "Run All" in JupyterLab)
nothing is cached and everything is computed in the notebook's own kernel.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import polars as pl
from filelock import FileLock

from analysis.claims.data import newcomer_notes
from analysis.claims.evidence import LEDGER_SCHEMA
from analysis.claims.ledger import build_ledger
from analysis.claims.models import load_or_fit_model
from analysis.claims.needs import FIGURE_NEEDS, shortfalls
from analysis.display.show import banner, show, show_table
from analysis.figures.base import Figure, FigureInputError, Notice
from analysis.io.bundle import Bundle
from analysis.io.load import load_bundle
from analysis.measures.clickbait import ClickbaitModel
from analysis.measures.common import CREATORS, REFUGEE


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


@dataclass
class Session:
    """What a notebook works with: the bundle, the ledger, and shared intermediate results."""

    bundle: Bundle
    ledger: pl.DataFrame
    cache_dir: str = ""

    @property
    def illustrative(self) -> bool:
        return self.bundle.illustrative

    @cached_property
    def newcomers(self) -> tuple[pl.DataFrame, str]:
        """The newcomers' notes and their data set id (see analysis.claims.data)."""
        return newcomer_notes(self.bundle)

    def limits(self) -> tuple[list[str], list[str]]:
        """What this build's data can and cannot tell a reader, in plain words, from the
        tables it actually holds (an analyst's export gets its own list)."""
        b = self.bundle
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

    def figure(self, figure_id: str, build: Callable[[], Figure]) -> Figure | Notice:
        """The figure ``build()`` draws, or a Notice in its place when the build's data do not
        meet the figure's declared needs (``analysis.claims.needs.FIGURE_NEEDS``) — checked
        before anything is computed — or the figure layer finds its input lacking."""
        short = shortfalls(self.bundle, FIGURE_NEEDS[figure_id])
        if short:
            first = short[0]
            said = "; ".join(dict.fromkeys(s.message() for s in short if s.kind == first.kind))
            return Notice(figure_id, first.kind, said[0].upper() + said[1:] + ".")
        try:
            return build()
        except FigureInputError as exc:
            return Notice(figure_id, "missing", f"This data cannot draw it: {exc}.")

    def table(self, table_id: str, build: Callable[[], pl.DataFrame], caption: str) -> None:
        """Show the table ``build()`` computes, or a Notice when the data do not meet its needs."""
        short = shortfalls(self.bundle, FIGURE_NEEDS[table_id])
        if short:
            show(Notice(table_id, short[0].kind, "; ".join(dict.fromkeys(x.message() for x in short)) + "."))
            return
        show_table(build(), caption)

    @cached_property
    def clickbait_model(self) -> ClickbaitModel:
        """The clickbait scorer, fitted once per build on the benchmark headlines."""
        return load_or_fit_model(self.bundle.headlines)


def setup(data_mode: str = "auto", start_date: str = "", end_date: str = "", user_data: str = "",
          cache_dir: str = "", *, engine: str = "polars", show_banner: bool = True) -> Session:
    """Load the build's data (or read it from the build cache), its ledger, and show the
    data banner: the one call at the top of every notebook. ``engine``: where the ledger's
    heavy measures count when it is not yet in the build cache (polars or spark)."""
    bundle = load_bundle(data_mode, start_date, end_date, user_data, cache_dir)
    session = Session(bundle, ledger(bundle, cache_dir, engine), cache_dir)
    if show_banner:
        banner(bundle)
    return session
