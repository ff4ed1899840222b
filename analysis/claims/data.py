"""Which rows a claim reads: the newcomers' notes, and the creators' beside them.

Selection, not measurement: a claim picks its population here and hands the rows to
the measures."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import narwhals as nw
import polars as pl

from analysis import engines
from analysis.measures.common import CREATORS, REFUGEE


def newcomer_notes(bundle) -> tuple[pl.DataFrame, str]:
    """The notes a claim about the newcomers reads, and their data set id.

    The refugee data set when the bundle holds it; otherwise (the synthetic sample, or a
    user's own export) all the bundle's notes, labelled with their data set id(s), so a
    section still computes — the sample's rows are flagged illustrative by the ledger.
    """
    notes = bundle.notes
    if notes.filter(pl.col("dataset") == REFUGEE).height:
        return notes.filter(pl.col("dataset") == REFUGEE), REFUGEE
    others = notes.filter(pl.col("dataset") != CREATORS)
    notes = others if others.height else notes  # the creators stand in only when nothing else is there
    ids = sorted(notes["dataset"].unique().to_list())
    return notes, "+".join(ids) if ids else REFUGEE


def on_engine(bundle, engine: str = "polars"):
    """``bundle`` with its notes also on ``engine``, where the claims' heavy measures
    (ad markers, daily counts, cohorts) then run; polars: the bundle as loaded."""
    if engine == "polars":
        return replace(bundle, engine_notes=None)
    return replace(bundle, engine_notes=engines.to_engine(bundle.notes, engine))


def engine_notes(bundle) -> Any:
    """All the bundle's notes on the engine its heavy measures run on (see ``on_engine``)."""
    return bundle.notes if bundle.engine_notes is None else bundle.engine_notes


def engine_rows(bundle, datasets: list[str]) -> Any:
    """The notes of ``datasets`` on the bundle's engine (see ``on_engine``)."""
    return nw.from_native(engine_notes(bundle)).filter(nw.col("dataset").is_in(datasets)).to_native()


def newcomer_frame(bundle) -> tuple[Any, str]:
    """``newcomer_notes`` on the bundle's engine: the same rows (the same data sets), as a
    polars DataFrame or, with ``on_engine(bundle, "spark")``, a Spark DataFrame."""
    notes, source = newcomer_notes(bundle)
    if bundle.engine_notes is None:
        return notes, source
    return engine_rows(bundle, notes["dataset"].unique().to_list()), source


def as_dataset(frame: Any, dataset: str) -> Any:
    """``frame`` (on any engine) with every row's data set id set to ``dataset``: the label a
    claim reports the newcomers under when they come from several data sets."""
    return nw.from_native(frame).with_columns(nw.lit(dataset).alias("dataset")).to_native()


def newcomers_and_creators(bundle) -> tuple[pl.DataFrame, str]:
    """The newcomers' notes (labelled with their data set id, see ``newcomer_notes``)
    together with the creators' notes, for side-by-side comparisons; and the newcomers' id."""
    notes, source = newcomer_notes(bundle)
    creators = bundle.notes.filter(pl.col("dataset") == CREATORS) if CREATORS not in source else bundle.notes.clear()
    return pl.concat([notes.with_columns(pl.lit(source).alias("dataset")), creators]), source


def data_quality(bundle) -> pl.DataFrame:
    """What the quality detectors found in this bundle, for Methods: one row per finding
    (detector, table, count, detail, how the claims handle it)."""
    from analysis.measures.ads import kol_prices
    from analysis.measures.migration import daily_activity
    from analysis.measures.quality import (
        collection_artefacts,
        default_profile_summary,
        flag_default_profiles,
        floor_summary,
    )

    rows = []
    flagged = flag_default_profiles(bundle.media_kits)
    for prof in default_profile_summary(flagged).iter_rows(named=True):
        rows.append(("identical follower profile across accounts", "media_kits", prof["rows"],
                     f"{prof['accounts']} accounts share {prof['follower_female_share']:.2%} female, "
                     f"{prof['follower_age_lt18']:.2%} under 18 and the same age bands: a platform default",
                     "excluded from C1's follower estimate"))
    notes, source = newcomer_notes(bundle)
    daily = daily_activity(notes)
    for cliff in collection_artefacts(daily).iter_rows(named=True):
        rows.append(("collection-window cliff in daily posts", source, int(cliff["posts"]),
                     f"{cliff['previous']} posts the day before, {cliff['posts']} on {cliff['day']:%d %b %Y}",
                     "no concentration, trend or decay read across it (P1, W1)"))
    floor = floor_summary(kol_prices(bundle.media_kits)["price_image_rmb"]).row(0, named=True)
    if floor["is_floor"]:
        rows.append(("price floor", "media_kits", floor["at_floor"],
                     f"{floor['at_floor']} of {floor['n']} stated prices are ¥{floor['floor']:.0f} "
                     f"({floor['below_floor']} below it)", "left out of M3's price–followers fit (context)"))
    return pl.DataFrame(rows, schema={"detector": pl.String, "table": pl.String, "count": pl.Int64,
                                      "detail": pl.String, "handling": pl.String}, orient="row")
