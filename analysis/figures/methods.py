"""Charts of the Methods section (classifier checks): small tables in, ``Figure`` out."""

from __future__ import annotations

from functools import partial

import altair as alt
import polars as pl

from analysis.figures import base
from analysis.figures.base import Facts, Figure, FigureInputError

#: The fixed facts of this section's figures (the builders pass what they compute).
FIGURES = {
    "methods-language-id": Facts(claims=("T5",), n_unit="hand-labelled notes", height=240,
                                 source="data/labels/language.csv (ids + labels); tiktokrefugee-posts; mediacrawler-creators"),
    "methods-lexicon-precision": Facts(claims=("T2", "T5", "C2", "C3", "C4", "C5"), n_unit="hand-checked matches", height=alt.Step(20),
                                       source="data/labels/lexicon_checks.csv (ids + labels); tiktokrefugee-posts; mediacrawler-creators"),
}

_finish = partial(base.finish, FIGURES)


def langid_confusion(confusion: pl.DataFrame, accuracy: pl.DataFrame, illustrative: bool = False) -> Figure:
    """Hand label × classifier language on the labelled notes (``analysis.measures.language.langid_confusion``),
    titled with the accuracy overall and on the untouched holdout (``langid_accuracy``)."""
    def acc(group: str) -> dict:
        rows = accuracy.filter((pl.col("measure") == "langid_accuracy") & (pl.col("group") == group))
        if rows.height > 1:
            raise FigureInputError(f"langid accuracy has {rows.height} rows for group={group!r}; expected one")
        # Without the labelled notes (sample mode) there are no per-split rows: nothing measured.
        return rows.row(0, named=True) if rows.height else {"estimate": None, "lo": None, "hi": None, "n": 0}

    overall, hold = acc("all"), acc("holdout")
    if overall["n"] == 0:
        title = "No hand-labelled notes in this data (language ID accuracy is measured on the public data sets)"
    else:
        title = (f"Language ID agrees with the hand label on {overall['estimate']:.0%} of {overall['n']} notes"
                 + (f", {hold['estimate']:.0%} [{hold['lo']:.0%}–{hold['hi']:.0%}] on the {hold['n']} never tuned on"
                    if hold["n"] else ""))
    data = confusion.with_columns(
        pl.col("label").replace_strict(base.LANGUAGE_LABELS).alias("hand label"),
        pl.col("language").replace_strict(base.LANGUAGE_LABELS).alias("classifier"))
    order = list(base.LANGUAGE_LABELS.values())
    base_chart = alt.Chart(data).encode(
        x=alt.X("classifier:N", sort=order, title="Classifier says", axis=alt.Axis(labelAngle=-30)),
        y=alt.Y("hand label:N", sort=order, title="Hand label"))
    chart = (
        base_chart.mark_rect().encode(color=alt.Color("notes:Q", title="Notes", scale=alt.Scale(scheme="blues")),
                                      tooltip=[alt.Tooltip("hand label:N"), alt.Tooltip("classifier:N"),
                                               alt.Tooltip("notes:Q", title="Notes")])
        + base_chart.mark_text(fontSize=13).encode(text="notes:Q",
                                                   color={"condition": {"test": "datum.notes > 50", "value": "white"}})
    )
    return _finish(
        "methods-language-id", chart, data.drop("hand label", "classifier"),
        title=title,
        alt_text="Confusion matrix of hand-labelled language against the classifier: " + "; ".join(
            f"{base.LANGUAGE_LABELS[a]} labelled, {base.LANGUAGE_LABELS[b]} said: {k}" for a, b, k in
            confusion.filter(pl.col("notes") > 0).select("label", "language", "notes").rows()) + ".",
        n=int(overall["n"]),
        notes=("250 notes (tuning split) were labelled before the classifier was run on them; its rules were then "
               "fixed on their errors. 60 more (holdout) were labelled afterwards and never tuned on.",),
        illustrative=illustrative,
    )


def lexicon_precision(precision: pl.DataFrame, illustrative: bool = False) -> Figure:
    """Precision of each lexicon category on hand-labelled real notes
    (``analysis.measures.lexicon_checks.lexicon_precision``), dots with Wilson intervals."""
    data = precision.filter(pl.col("measure") == "lexicon_precision").select(
        pl.col("group").alias("category"), pl.col("estimate").alias("precision"), "lo", "hi", "n")
    shown = data.filter(pl.col("n") > 0)
    if shown.height == 0:
        title = "No hand-checked notes in this data (lexicon precision is measured on the public data sets)"
    else:
        worst = shown.sort(["precision", "category"]).row(0, named=True)
        good = shown.filter(pl.col("precision") >= 0.9).height
        title = (f"{good} of {shown.height} lexicon categories are right on ≥90% of checked matches; the weakest is "
                 f"{worst['category']} at {worst['precision']:.0%} (n={worst['n']})")
    tooltip = [alt.Tooltip("category:N", title="Lexicon: category"), alt.Tooltip("precision:Q", format=".0%"),
               alt.Tooltip("lo:Q", title="95% lower", format=".0%"), alt.Tooltip("hi:Q", title="95% upper", format=".0%"),
               alt.Tooltip("n:Q", title="Checked matches")]
    base_chart = alt.Chart(shown).encode(y=alt.Y("category:N", title=None, sort=alt.SortField("category")))
    chart = (
        base_chart.mark_rule(color=base.INTERVAL_COLOR, strokeWidth=2).encode(
            x=alt.X("lo:Q", title="Precision on hand-checked matches (95% Wilson)",
                    axis=alt.Axis(format="%", values=base.QUARTERS), scale=alt.Scale(domain=[0, 1])), x2="hi:Q",
                                tooltip=tooltip)
        + base_chart.mark_point(filled=True, size=70).encode(x="precision:Q", tooltip=tooltip)
    )
    return _finish(
        "methods-lexicon-precision", chart, data,
        title=title,
        alt_text="Dot plot of lexicon precision with intervals: " + "; ".join(
            f"{c} {p:.0%} (n={k})" for c, p, k in shown.select("category", "precision", "n").rows()) + ".",
        n=int(shown["n"].sum()) if shown.height else 0,
        notes=("Categories checked on fewer than 10 matches carry wide intervals.",
               "T2 counts a use only if its precision is at least 70%."),
        illustrative=illustrative,
    )
