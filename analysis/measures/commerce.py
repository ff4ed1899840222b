"""Commerce: brand mentions and their engagement (M1) and RedNote as a showcase for
Chinese travel, culture and language (M2).

Inputs are canonical notes of both RedNote data sets: the #TikTokRefugee posts (the
newcomers) and the Chinese-American lifestyle creators (an established-user contrast).
Lexicons: data/lexicons/brands.csv (category prefix ``cn_`` / ``us_`` = the brand's home
market) and data/lexicons/travel_culture.csv.
"""

from __future__ import annotations

import polars as pl

from analysis.measures.common import REFUGEE, lexicon_text
from analysis.results import Result, results_frame
from analysis.stats import bootstrap_median, interval_method, proportion, wilson_exprs
from analysis.text.labels import read_labels
from analysis.text.lexicon import flag_names, load_lexicon, select_flags

ORIGINS = {"cn_": "Chinese brand", "us_": "US brand"}
#: Engagement groups, in display order.
BRAND_GROUPS = ("Chinese brand", "US brand", "no brand")

#: travel_culture categories that make a note a showcase of China.
SHOWCASE_CATEGORIES = ("travel_china", "chinese_culture", "language_learning")


# --- M1: brands -------------------------------------------------------------------------


def brand_flags(notes: pl.DataFrame | pl.LazyFrame, lexicon: pl.DataFrame | None = None) -> pl.LazyFrame:
    """Per note: dataset, liked_count, one boolean per brand category, and ``cn_any`` /
    ``us_any`` (names any Chinese / US brand)."""
    lexicon = load_lexicon("brands") if lexicon is None else lexicon
    names = flag_names(lexicon)
    return select_flags(notes.lazy(), lexicon_text(notes), lexicon, keep=("dataset", "liked_count")).with_columns(
        pl.any_horizontal([pl.col(c) for c in names if c.startswith(p)] or [pl.lit(False)]).alias(f"{p}any")
        for p in ORIGINS
    )


def brand_mentions(notes: pl.DataFrame | pl.LazyFrame, lexicon: pl.DataFrame | None = None) -> pl.DataFrame:
    """Notes naming each brand, per data set: dataset, brand, origin, notes (mentioning),
    total (notes in the data set), share, lo, hi (Wilson), median_likes. Brands never
    named are left out."""
    flagged = brand_flags(notes, lexicon)
    brands = [c for c in flagged.collect_schema().names() if c[:3] in ORIGINS and not c.endswith("any")]
    totals = flagged.group_by("dataset").agg(pl.len().cast(pl.Int64).alias("total"))
    lo, hi = wilson_exprs(pl.col("notes"), pl.col("total"))
    origin = pl.when(pl.col("brand").str.starts_with("cn_")).then(pl.lit(ORIGINS["cn_"])).otherwise(pl.lit(ORIGINS["us_"]))
    return (
        flagged.unpivot(on=brands, index=["dataset", "liked_count"], variable_name="brand", value_name="named")
        .filter(pl.col("named"))
        .group_by("dataset", "brand")
        .agg(pl.len().cast(pl.Int64).alias("notes"), pl.col("liked_count").median().cast(pl.Float64).alias("median_likes"))
        .join(totals, on="dataset", how="left", validate="m:1")
        .with_columns(
            origin.alias("origin"),
            (pl.col("notes") / pl.col("total")).alias("share"), lo.alias("lo"), hi.alias("hi"),
            pl.col("brand").str.slice(3).alias("brand"),
        )
        .select("dataset", "brand", "origin", "notes", "total", "share", "lo", "hi", "median_likes")
        .sort(["dataset", "notes", "brand"], descending=[False, True, False])
        .collect()
    )


def _brand_group() -> pl.Expr:
    return (
        pl.when(pl.col("cn_any")).then(pl.lit(BRAND_GROUPS[0]))
        .when(pl.col("us_any")).then(pl.lit(BRAND_GROUPS[1]))
        .otherwise(pl.lit(BRAND_GROUPS[2]))
    )


def brand_engagement(notes: pl.DataFrame | pl.LazyFrame, lexicon: pl.DataFrame | None = None) -> pl.DataFrame:
    """Median likes of notes naming a Chinese brand, a US brand (and no Chinese one), or
    no brand, per data set, with percentile-bootstrap 95% intervals; plus the share of
    notes in each group (Wilson). Result rows: measure ``median_likes`` / ``share_of_notes``,
    group ``<dataset>: <brand group>``."""
    frame = brand_flags(notes, lexicon).select("dataset", "liked_count", _brand_group().alias("brands")).collect()
    rows: list[Result] = []
    # A loop over the handful of (data set, group) cells, not over notes: the bootstrap
    # needs each cell's values as one array.
    for dataset in sorted(frame["dataset"].unique().to_list()):
        in_ds = frame.filter(pl.col("dataset") == dataset)
        for group in BRAND_GROUPS:
            cell = in_ds.filter(pl.col("brands") == group)
            likes = cell["liked_count"].drop_nulls().cast(pl.Float64).to_numpy()
            est, lo, hi = bootstrap_median(likes) if likes.size else (None, None, None)
            label = f"{dataset}: {group}"
            rows.append(Result("median_likes", est, int(likes.size), "likes", dataset, lo, hi, group=label,
                               note=f"median likes, {interval_method('median', likes.size)} interval"))
            rows.append(proportion(cell.height, in_ds.height, measure="share_of_notes", group=label, source=dataset,
                                   note="notes in the group over all notes of the data set"))
    return results_frame(rows)


# --- M2: travel, culture, language -------------------------------------------------------


def travel_culture_flags(notes: pl.DataFrame | pl.LazyFrame, lexicon: pl.DataFrame | None = None,
                         keep: tuple[str, ...] = ()) -> pl.LazyFrame:
    """Per note: dataset (and the ``keep`` columns), one boolean per travel_culture
    category and ``china_showcase`` (any of ``SHOWCASE_CATEGORIES``)."""
    lexicon = load_lexicon("travel_culture") if lexicon is None else lexicon
    return select_flags(notes.lazy(), lexicon_text(notes), lexicon, keep=("dataset", *keep)).with_columns(
        pl.any_horizontal(*[pl.col(c) for c in SHOWCASE_CATEGORIES]).alias("china_showcase")
    )


def travel_culture_shares(notes: pl.DataFrame | pl.LazyFrame, lexicon: pl.DataFrame | None = None) -> pl.DataFrame:
    """Share of notes per category and data set (Wilson 95%), as a result table with
    measure ``topic_share``, group ``<dataset>: <category>``."""
    flagged = travel_culture_flags(notes, lexicon)
    categories = [c for c in flagged.collect_schema().names() if c != "dataset"]
    counts = (
        flagged.group_by("dataset")
        .agg(pl.len().cast(pl.Int64).alias("n"), *[pl.col(c).sum().cast(pl.Int64) for c in categories])
        .unpivot(on=categories, index=["dataset", "n"], variable_name="category", value_name="k")
        .sort("dataset", "category")
        .collect()
    )
    order = {c: i for i, c in enumerate(categories)}
    counts = counts.sort(pl.col("dataset"), pl.col("category").replace_strict(order, return_dtype=pl.Int64))
    return results_frame([
        proportion(k, n, measure="topic_share", group=f"{ds}: {cat}", source=ds,
                   note="notes matching the travel_culture lexicon category (title, text, tags)")
        for ds, n, cat, k in counts.select("dataset", "n", "category", "k").rows()
    ])


SHOWCASE_LABELS = "china_showcase"
SHOWCASE_LABEL_COLUMNS = {"note_id": pl.String(), "label": pl.String()}


def showcase_labels() -> pl.DataFrame:
    """data/labels/china_showcase.csv: a random sample of #TikTokRefugee posts labelled by
    reading (``showcase`` / ``other``), with ``label`` as a boolean ``showcase``."""
    frame = read_labels(SHOWCASE_LABELS, SHOWCASE_LABEL_COLUMNS, {"label": ("showcase", "other")})
    return frame.select("note_id", (pl.col("label") == "showcase").alias("showcase"))


def showcase_accuracy(notes: pl.DataFrame | pl.LazyFrame, labels: pl.DataFrame | None = None,
                      source: str = REFUGEE) -> pl.DataFrame:
    """How well the ``china_showcase`` lexicon union agrees with hand labels, as a result
    table: ``showcase_precision`` (labelled showcase among matched), ``showcase_recall``
    (matched among labelled showcase), ``showcase_accuracy`` (agreement), Wilson 95%;
    and ``showcase_share_labelled`` (the share by hand, the lexicon-free estimate).

    ``labels``: note_id, showcase (bool); only labelled notes found in ``notes`` count.
    """
    labels = showcase_labels() if labels is None else labels
    joined = (
        travel_culture_flags(notes, keep=("note_id",))
        .select("note_id", pl.col("china_showcase").alias("matched"))
        .collect()
        .join(labels, on="note_id", how="inner", validate="1:1")
    )
    tp = joined.filter(pl.col("matched") & pl.col("showcase")).height
    matched, positive = int(joined["matched"].sum()), int(joined["showcase"].sum())
    agree = joined.filter(pl.col("matched") == pl.col("showcase")).height
    note = "china_showcase lexicon union vs hand labels (data/labels/china_showcase.csv)"
    return results_frame([
        proportion(tp, matched, measure="showcase_precision", source=source, note=note),
        proportion(tp, positive, measure="showcase_recall", source=source, note=note),
        proportion(agree, joined.height, measure="showcase_accuracy", source=source, note=note),
        proportion(positive, joined.height, measure="showcase_share_labelled", source=source,
                   note="share of the labelled random sample that is a China showcase, by hand"),
    ])


