"""Commerce: brand mentions and their engagement (M1) and RedNote as a showcase for
Chinese travel, culture and language (M2).

Inputs are canonical notes of both RedNote data sets: the #TikTokRefugee posts (the
newcomers) and the Chinese-American lifestyle creators (an established-user contrast).
Lexicons: data/lexicons/brands.csv (category prefix ``cn_`` / ``us_`` = the brand's home
market) and data/lexicons/travel_culture.csv.
"""

from __future__ import annotations

import polars as pl

from analysis import reference
from analysis.claims import (
    NOT_SUPPORTED,
    NOT_TESTABLE,
    PARTLY,
    SUPPORTED,
    Evidence,
    claim,
    combine_verdicts,
    verdict_min_n,
    verdict_share_at_least,
)
from analysis.results import Result, results_frame
from analysis.stats import bootstrap_median, proportion, wilson_exprs
from analysis.text.labels import read_labels
from analysis.text.lexicon import flag_columns, load_lexicon
from analysis.themes import CREATORS, REFUGEE, newcomer_notes, newcomers_and_creators, note_text

ORIGINS = {"cn_": "Chinese brand", "us_": "US brand"}
#: Engagement groups, in display order.
BRAND_GROUPS = ("Chinese brand", "US brand", "no brand")
#: Share of refugee posts naming a Chinese brand at which the exposure is notable (1 in 100).
NOTABLE_EXPOSURE = 0.01

#: travel_culture categories that make a note a showcase of China.
SHOWCASE_CATEGORIES = ("travel_china", "chinese_culture", "language_learning")
#: "A PR campaign" read as: at least a quarter of the newcomers' posts showcase China
#: (supported), or at least one in twenty (partly supported).
PR_CAMPAIGN_SHARE = 0.25
PR_PARTLY_SHARE = 0.05


# --- M1: brands -------------------------------------------------------------------------


def brand_flags(notes: pl.DataFrame | pl.LazyFrame, lexicon: pl.DataFrame | None = None) -> pl.LazyFrame:
    """Per note: dataset, liked_count, one boolean per brand category, and ``cn_any`` /
    ``us_any`` (names any Chinese / US brand)."""
    lexicon = load_lexicon("brands") if lexicon is None else lexicon
    flags = flag_columns(note_text(), lexicon)
    names = [f.meta.output_name() for f in flags]
    return notes.lazy().select("dataset", "liked_count", *flags).with_columns(
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
                               note="median likes, percentile bootstrap 95% interval"))
            rows.append(proportion(cell.height, in_ds.height, measure="share_of_notes", group=label, source=dataset,
                                   note="notes in the group over all notes of the data set"))
    return results_frame(rows)


def exposure_verdict(engagement: pl.DataFrame, dataset: str = REFUGEE) -> tuple[str, str]:
    """M1's rule, in two parts combined by ``combine_verdicts``:

    1. Chinese brands got exposure from the newcomers: supported if the share of
       refugee posts naming a Chinese brand has its lower bound ≥ 1% and those posts'
       median likes interval reaches at least the lower bound of no-brand posts'
       (they are not ignored); partly supported if some posts name one but fewer or
       less liked; not supported if none does; not testable below the minimum n.
    2. Luckin's #TikTokRefugee post was mocked: not testable without comments.
    """
    def row(measure: str, group: str) -> dict:
        rows = engagement.filter((pl.col("measure") == measure) & (pl.col("group") == f"{dataset}: {group}"))
        return rows.row(0, named=True) if rows.height else {"estimate": None, "lo": None, "hi": None, "n": 0}

    part2 = (NOT_TESTABLE, "whether Luckin's post was mocked needs the comments under it, which no data set holds")
    share = row("share_of_notes", BRAND_GROUPS[0])
    cn_likes, none_likes = row("median_likes", BRAND_GROUPS[0]), row("median_likes", BRAND_GROUPS[2])
    low_n = verdict_min_n(share["n"])
    if low_n:
        return combine_verdicts([low_n, part2])
    shown = (f"refugee posts naming a Chinese brand {share['estimate']:.1%} [{share['lo']:.1%}, {share['hi']:.1%}] "
             f"(n={share['n']})")
    if cn_likes["n"] == 0:
        part1 = (NOT_SUPPORTED, f"no exposure: {shown}; no post names a Chinese brand")
    else:
        liked = cn_likes["hi"] is not None and none_likes["lo"] is not None and cn_likes["hi"] >= none_likes["lo"]
        without = "n/a" if none_likes["estimate"] is None else f"{none_likes['estimate']:.0f}"
        shown += f"; their median likes {cn_likes['estimate']:.0f} vs {without} without a brand"
        if share["lo"] >= NOTABLE_EXPOSURE and liked:
            part1 = (SUPPORTED, f"exposure: {shown}; lower bound ≥ {NOTABLE_EXPOSURE:.0%} and not less liked")
        else:
            part1 = (PARTLY, f"some exposure: {shown}; rare (lower bound < {NOTABLE_EXPOSURE:.0%}) or less liked")
    return combine_verdicts([part1, part2])


@claim("M1")
def free_exposure(bundle) -> Evidence:
    """M1: Chinese brand mentions in #TikTokRefugee posts and their engagement."""
    notes, source = newcomer_notes(bundle)
    engagement = brand_engagement(notes.with_columns(pl.lit(source).alias("dataset")))
    verdict, rule = exposure_verdict(engagement, dataset=source)
    rows = engagement.filter(
        (pl.col("measure") == "share_of_notes") & (pl.col("group") == f"{source}: {BRAND_GROUPS[0]}")
    )
    share = rows.row(0, named=True) if rows.height else {"estimate": None, "lo": None, "hi": None, "n": 0}
    luckin = reference.timeline().filter(pl.col("id") == "luckin_us_first_stores").row(0, named=True)
    return Evidence(
        "M1", "share of #TikTokRefugee posts naming a Chinese brand (brands lexicon)", share["estimate"], share["lo"],
        share["hi"], share["n"], "share",
        f"no published figure; {luckin['event']} on {luckin['date']:%d %b %Y}",
        verdict, rule, source, "commerce-brands",
        "for the Luckin part: the comments under Luckin Coffee's #TikTokRefugee post (e.g. a MediaCrawler comments "
        "export), with a mockery/praise label",
    )


# --- M2: travel, culture, language -------------------------------------------------------


def travel_culture_flags(notes: pl.DataFrame | pl.LazyFrame, lexicon: pl.DataFrame | None = None,
                         keep: tuple[str, ...] = ()) -> pl.LazyFrame:
    """Per note: dataset (and the ``keep`` columns), one boolean per travel_culture
    category and ``china_showcase`` (any of ``SHOWCASE_CATEGORIES``)."""
    lexicon = load_lexicon("travel_culture") if lexicon is None else lexicon
    return notes.lazy().select("dataset", *keep, *flag_columns(note_text(), lexicon)).with_columns(
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


def showcase_estimate(shares: pl.DataFrame, accuracy: pl.DataFrame | None, dataset: str = REFUGEE) -> tuple[dict, str]:
    """The share M2 is judged on, and what it is.

    The hand-labelled random sample (``showcase_accuracy``'s ``showcase_share_labelled``)
    when it holds at least the minimum n: it does not depend on the lexicon, whose recall
    is measured there. Otherwise the lexicon share over all the newcomers' notes.
    """
    lexicon_row = shares.filter(pl.col("group") == f"{dataset}: china_showcase").row(0, named=True)
    if accuracy is not None:
        labelled = accuracy.filter(pl.col("measure") == "showcase_share_labelled")
        if labelled.height and verdict_min_n(labelled["n"][0]) is None:
            return labelled.row(0, named=True), "hand-labelled random sample"
    return lexicon_row, "lexicon on all notes"


def showcase_verdict(estimate: dict, what: str = "") -> tuple[str, str]:
    """M2's rule (``verdict_share_at_least``): supported if the lower bound of the share of
    the newcomers' posts that showcase China (travel to China, Chinese culture, language
    learning) is ≥ 25%; partly supported if the interval reaches 25% or the lower bound is
    ≥ 5%; not supported below; not testable below the minimum n."""
    verdict, rule = verdict_share_at_least(estimate["estimate"], estimate["lo"], estimate["hi"], estimate["n"],
                                           PR_CAMPAIGN_SHARE, partly_threshold=PR_PARTLY_SHARE)
    return verdict, f"{rule} ({what})" if what else rule


def showcase_tables(bundle) -> tuple[pl.DataFrame, pl.DataFrame | None, str]:
    """What the M2 figure and ledger row read: the travel/culture shares of the newcomers
    and the creators, the hand-label accuracy (None without the refugee data set, whose
    posts the labels are for), and the newcomers' data set id."""
    both, source = newcomers_and_creators(bundle)
    accuracy = showcase_accuracy(both.filter(pl.col("dataset") == source), source=source) if source == REFUGEE else None
    return travel_culture_shares(both), accuracy, source


@claim("M2")
def china_showcase(bundle) -> Evidence:
    """M2: share of #TikTokRefugee posts about China travel, Chinese culture or learning the language."""
    shares, accuracy, source = showcase_tables(bundle)
    rows = shares.filter(pl.col("group") == f"{source}: china_showcase")
    if rows.height == 0:
        return Evidence("M2", "share of #TikTokRefugee posts showcasing China", None, None, None, 0, "share", "",
                        NOT_TESTABLE, "no notes to measure", source, "commerce-travel-culture",
                        "#TikTokRefugee posts (at least the minimum n)")
    lexicon_row = rows.row(0, named=True)
    row, what = showcase_estimate(shares, accuracy, source)
    verdict, rule = showcase_verdict(row, what)
    if accuracy is not None:
        acc = {m: accuracy.filter(pl.col("measure") == m).row(0, named=True)
               for m in ("showcase_precision", "showcase_recall")}
        rule += (
            f"; the lexicon on all {lexicon_row['n']} posts finds {lexicon_row['estimate']:.1%} (precision "
            f"{acc['showcase_precision']['estimate']:.0%}, recall {acc['showcase_recall']['estimate']:.0%} on the labels)"
        )
    other = shares.filter(pl.col("group") == f"{CREATORS}: china_showcase")
    contrast = (
        f"Chinese-American creators' notes: {other['estimate'][0]:.1%} [{other['lo'][0]:.1%}, {other['hi'][0]:.1%}] "
        f"(n={other['n'][0]})" if other.height and other["estimate"][0] is not None else "no creator notes"
    )
    return Evidence(
        "M2", f"share of #TikTokRefugee posts about travel to China, Chinese culture or learning Chinese ({what})",
        row["estimate"], row["lo"], row["hi"], row["n"], "share", f"no published figure; contrast: {contrast}",
        verdict, rule, source, "commerce-travel-culture",
        "" if verdict != NOT_TESTABLE else "more #TikTokRefugee posts (at least the minimum n)",
    )

