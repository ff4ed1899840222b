"""The Explore section's tables: key terms, sentiment with its accuracy, places, engagement
drivers, topics over time and comments. The words are segmented once for all of them."""

from __future__ import annotations

import polars as pl

from analysis.claims import comments as comment_claims
from analysis.claims.data import newcomers_and_creators
from analysis.measures import engagement, places, sentiment, topics_time, words
from analysis.measures.comments import NEWCOMER_SINCE
from analysis.measures.common import REFUGEE
from analysis.sections.base import Inputs, Table
from analysis.text import langid, stopwords
from analysis.text import lexicon as lex
from analysis.text import sentiment as scorers
from analysis.text.labels import read_labels

#: Newcomer: a #TikTokRefugee post, or an account created on or after 13 Jan 2025.
_IS_NEW = (pl.col("dataset") == REFUGEE) | (pl.col("account_created_on") >= NEWCOMER_SINCE).fill_null(False)
COHORT = pl.when(_IS_NEW).then(pl.lit("newcomers")).otherwise(pl.lit("established creators"))
_LANG = {"zh": "chinese", "en": "english"}


def _notes(x: Inputs) -> pl.DataFrame:
    return x.once("notes", lambda: newcomers_and_creators(x.bundle)[0])


def _languages(x: Inputs) -> pl.DataFrame:
    empty = pl.DataFrame(schema={"dataset": pl.String, "note_id": pl.String, "language": pl.String})
    return x.once("languages", lambda: langid.identify(_notes(x)) if _notes(x).height else empty)


def _tokenised(x: Inputs) -> pl.DataFrame:
    return x.once("tokenised", lambda: words.tokenise(_notes(x).join(
        _languages(x).select("dataset", "note_id", "language"), on=["dataset", "note_id"], how="left")))


def _counts(x: Inputs, group) -> pl.DataFrame:
    name = "by_cohort" if isinstance(group, pl.Expr) else f"by_{group}"
    return x.once(name, lambda: words.term_counts(_tokenised(x), group, stopwords.all_stopwords()))


def _keyness(x: Inputs, group, a: str, b: str) -> pl.DataFrame | None:
    """The top key terms of ``a`` against ``b``; None when the data lack either group."""
    counts = _counts(x, group)
    if not {a, b} <= set(counts["group"].to_list()):
        return None
    return words.top_key_terms(words.keyness(counts, a, b))


def _sentiment(x: Inputs) -> dict:
    """Scorer accuracy against the hand labels, and each language's shares by the best
    scorer that beats the majority-class baseline."""
    labels = read_labels("sentiment", {"dataset": pl.String, "note_id": pl.String, "language": pl.String,
                                        "label": pl.String},
                         {"language": tuple(scorers.SCORERS_FOR), "label": scorers.SENTIMENTS})
    predictions = sentiment.labelled_predictions(x.bundle.notes, labels, scorers.SCORERS, scorers.SCORERS_FOR)
    if not predictions.height:
        return {"accuracy": None, "best": 0, "mixes": None}
    acc = sentiment.accuracy_vs_baseline(predictions)
    best = acc.filter(pl.col("beats_baseline")).sort("accuracy", descending=True).unique("language", keep="first")
    mixes = []
    for r in best.sort("language").iter_rows(named=True):
        lang_notes = _tokenised(x).filter(pl.col("language") == _LANG[r["language"]])
        # hownet reads the tokens segmented above; snownlp (~50 ms a note) is kept to the labelled notes.
        scorer = ((lambda _text: scorers.hownet_of_tokens(pl.col("terms"))) if r["scorer"] == "hownet"
                  else None if r["scorer"] == "snownlp" else scorers.SCORERS[r["scorer"]])
        if lang_notes.height and scorer is not None:
            shares = sentiment.sentiment_shares(lang_notes.with_columns(COHORT.alias("dataset")), scorer)
            mixes.append(shares.with_columns(scorer=pl.lit(r["scorer"]), scorer_language=pl.lit(r["language"]),
                                             scorer_accuracy=pl.lit(r["accuracy"], pl.Float64)))
    return {"accuracy": acc, "best": best.height, "mixes": pl.concat(mixes) if mixes else None}


def _features(x: Inputs) -> pl.DataFrame:
    return x.once("features", lambda: engagement.note_features(_notes(x), _languages(x)))


def _models(x: Inputs) -> pl.DataFrame | dict:
    try:
        return engagement.engagement_models(_features(x))
    except engagement.ModelError as exc:
        return {"error": str(exc)}


def _saves_per_like(x: Inputs) -> pl.DataFrame:
    cohorts = _notes(x).select("dataset", "note_id", COHORT.alias("cohort"))
    return engagement.saves_per_like(_features(x).join(cohorts, on=["dataset", "note_id"])
                                     .with_columns(pl.col("cohort").alias("dataset")))


def _weekly_topics(x: Inputs) -> pl.DataFrame | None:
    notes = x.bundle.notes
    if not notes.height:
        return None
    return topics_time.weekly_topic_shares(notes, lex.load_lexicon("topics"), topics_time.edge_days(notes))


def _comment_markers(x: Inputs) -> pl.DataFrame | None:
    measured = comment_claims.measure_comments(x.bundle)
    return comment_claims.summary_table(measured) if measured else None


def _sentiment_part(part: str):
    return lambda x: x.once("sentiment", lambda: _sentiment(x))[part]


TABLES = (
    Table("source", lambda x: "+".join(sorted(x.bundle.notes["dataset"].unique().to_list())) or "no notes"),
    Table("comment_source", lambda x: "+".join(sorted(x.bundle.comments["dataset"].unique().to_list()))),
    Table("n_texts", lambda x: _tokenised(x).height),
    Table("cohort_groups", lambda x: sorted(_counts(x, COHORT)["group"].unique().to_list())),
    Table("cohort_top_terms", lambda x: words.top_terms(_counts(x, COHORT), k=15)),
    Table("cohort_keyness", lambda x: _keyness(x, COHORT, "newcomers", "established creators")),
    Table("language_keyness", lambda x: _keyness(x, "language", "english", "chinese")),
    Table("sentiment_accuracy", _sentiment_part("accuracy")),
    Table("sentiment_best", _sentiment_part("best")),
    #: One row group per language whose best scorer beats the baseline (scorer, scorer_language, scorer_accuracy).
    Table("sentiment_mixes", _sentiment_part("mixes")),
    Table("place_rankings", lambda x: places.place_rankings(x.bundle.notes, x.bundle.creators, x.bundle.comments, k=10)),
    Table("engagement_models", _models),
    Table("saves_per_like", _saves_per_like),
    Table("weekly_topics", _weekly_topics),
    Table("comment_markers", _comment_markers),
)
