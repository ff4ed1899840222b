"""Specification of analysis.figures.commerce: titles state the computed finding."""

from __future__ import annotations

import polars as pl
from canonical_rows import notes_frame

from analysis.figures import commerce as commerce_figs
from analysis.measures import commerce

REF, CRE = "tiktokrefugee-posts", "mediacrawler-creators"


def _notes() -> pl.DataFrame:
    return pl.concat([
        notes_frame([{"text": "hello", "liked_count": 3}, {"text": "I love my iPhone", "liked_count": 5},
                     {"text": "learning Mandarin", "liked_count": 1}, {"text": "hi", "liked_count": 2}]),
        notes_frame([{"text": "海底捞 yyds", "liked_count": 40}, {"text": "去Costco", "liked_count": 8},
                     {"text": "今天", "liked_count": 6}, {"text": "周末", "liked_count": 10}], dataset=CRE),
    ])


def test__brand_mentions__title_counts_newcomer_posts_and_creator_share():
    notes = _notes()
    figure = commerce_figs.brand_mentions(commerce.brand_mentions(notes), commerce.brand_engagement(notes))
    assert figure.title == ("0 of 4 #TikTokRefugee posts name a Chinese brand; Chinese-American creators name one in "
                            "25.0% of 4 notes")
    assert sorted(figure.data["brand"].to_list()) == ["apple", "costco", "haidilao"]
    assert figure.n == 8


def test__brand_engagement__title_compares_creator_medians():
    figure = commerce_figs.brand_engagement(commerce.brand_engagement(_notes()))
    # creators: Chinese brand [40] → 40; no brand [6, 10] → 8
    assert figure.title.startswith("Creators' notes naming a Chinese brand get a median 40 likes [40–40] vs 8")


def test__travel_culture__title_states_the_showcase_and_language_shares():
    figure = commerce_figs.travel_culture(commerce.travel_culture_shares(_notes()))
    assert figure.title.startswith("25% of #TikTokRefugee posts showcase Chinese travel, culture or language")
    assert figure.title.endswith("25.0% are about learning Chinese")
    assert figure.n == 8


def test__travel_culture__hand_labels_lead_the_title_when_given():
    notes = _notes().filter(pl.col("dataset") == REF)
    labels = pl.DataFrame({"note_id": notes["note_id"].to_list(), "showcase": [False, False, True, True]})
    accuracy = commerce.showcase_accuracy(notes, labels)
    figure = commerce_figs.travel_culture(commerce.travel_culture_shares(_notes()), accuracy=accuracy)
    # by hand 2 of 4; the lexicon matches 1 of 4 and finds 1 of the 2 labelled: recall 50%
    assert figure.title.startswith("50.0% of a random 4 #TikTokRefugee posts showcase Chinese travel")
    assert figure.title.endswith("the lexicon finds 25.0% of all 4 (recall 50%)")
    assert figure.n == 8
