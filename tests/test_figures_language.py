"""Specification of analysis.figures.language: titles state the computed finding."""

from __future__ import annotations

import polars as pl
import pytest
from canonical_rows import notes_frame
from chart_spec import marks, panels

from analysis.figures import base as base_figs
from analysis.figures import methods as methods_figs
from analysis.figures import tech as tech_figs
from analysis.measures import language

REF, CRE = "tiktokrefugee-posts", "mediacrawler-creators"


def _notes() -> pl.DataFrame:
    return pl.concat([
        notes_frame([
            {"text": "Hello everyone, I am new here and I love it", "tags": ["tiktok", "tiktokrefugee"]},
            {"text": "I used Google Translate, sorry | 我用了谷歌翻译，抱歉，希望大家喜欢", "tags": ["tiktok", "fyp"]},
            {"text": "Hi friends, thank you for having me", "tags": ["tiktok", "小红书"]},
            {"text": "", "tags": []},
        ]),
        notes_frame([{"title": "达拉斯探店", "text": "这家火锅很好吃，推荐！"}, {"title": "旅行攻略", "text": "酒店很好"},
                     {"title": "Costco haul", "text": "入手了很多"}, {"title": "交朋友", "text": "找搭子"}],
                    dataset=CRE),
    ])


def test__language_mix__title_states_english_bilingual_and_translation_shares():
    notes = _notes()
    figure = tech_figs.language_mix(language.language_mix(notes), language.translation_mentions(notes))
    # refugee posts: english 2 of 4, bilingual 1, translation use (bilingual or mention) 1
    assert figure.title.startswith("50% of #TikTokRefugee posts are in English only and 25% in English and Chinese; "
                                   "25% [")
    assert figure.id == "tech-language-mix" and figure.claims == ("T5",)
    assert figure.n == 8
    assert set(figure.data["dataset"]) == {REF, CRE}


def test__language_mix__missing_rows_raise_a_named_error():
    empty = language.language_mix(_notes().filter(pl.col("dataset") == CRE))
    with pytest.raises(base_figs.FigureInputError, match="english, bilingual and translation_use"):
        tech_figs.language_mix(empty, language.translation_mentions(_notes()))


def test__hashtag_ranked__title_states_concentration_and_top_tag():
    notes = _notes().filter(pl.col("dataset") == REF)
    figure = tech_figs.hashtag_ranked(language.top_tags(notes, 15), language.hashtag_concentration(notes, n_boot=100))
    # 6 distinct tag uses, 4 tags (≤ 10) → top-10 share 100%; without tiktokrefugee 5 uses, still 100%
    assert figure.title == ("The top 10 tags carry 100% of tag uses (100% without the #tiktokrefugee family); "
                            "#tiktok is on 75% of posts")
    assert figure.data.height == 4
    assert figure.data.filter(pl.col("tag") == "tiktokrefugee")["selection"].to_list() == [True]


def test__hashtag_cooccurrence__title_names_the_darkest_cell():
    # #a on 10 posts, #b on 6 of them, #c on 3 others: (a, b) is the most frequent pair (6 posts,
    # 60% of #a), but the darkest cell is #b → #a: all 6 posts tagged #b also carry #a.
    notes = notes_frame([{"tags": ["a", "b"]}] * 6 + [{"tags": ["a", "c"]}] * 3 + [{"tags": ["a"]}])
    figure = tech_figs.hashtag_cooccurrence(language.tag_cooccurrence(notes, 3))
    assert figure.title == "100% of posts tagged #b also carry #a (6 posts), the strongest pairing among the top tags"
    [heat] = marks(figure.chart)
    colour = heat.encoding["color"]["field"]
    darkest = max((r for r in heat.rows if r["tag_a"] != r["tag_b"]), key=lambda r: r[colour])
    assert (darkest["tag_a"], darkest["tag_b"]) == ("b", "a")
    assert figure.data.height == 9


def test__language_mix__exclusive_languages_and_overlapping_mentions_are_separate_panels():
    notes = _notes()
    figure = tech_figs.language_mix(language.language_mix(notes), language.translation_mentions(notes))
    top, bottom = panels(figure.chart)
    assert top["title"] == "Language of each note (adds up to 100%)"
    assert bottom["title"] == "Notes showing translation (a note may count in several rows)"
    stacked = next(m for m in marks(figure.chart) if m.panel == 0)
    assert stacked.encoding["x"]["stack"] == "normalize"
    assert {r["key"] for r in stacked.rows} == {"english", "chinese", "bilingual", "other"}
    # Each data set's language shares add up to one: refugee 2 English, 1 bilingual, 1 empty of 4;
    # creators 4 Chinese of 4.
    shares = {(r["dataset"], r["key"]): r["share"] for r in stacked.rows}
    assert shares[(REF, "english")] == 0.5
    assert shares[(CRE, "chinese")] == 1.0
    for dataset in (REF, CRE):
        assert sum(v for (d, _), v in shares.items() if d == dataset) == pytest.approx(1.0)
    mentions = {r["key"] for m in marks(figure.chart) if m.panel == 1 for r in m.rows}
    assert mentions == {"translation_use", "mentions", "translation_app", "language_barrier"}


def test__topic_mix__title_lists_the_claimed_uses_for_creators():
    figure = tech_figs.topic_mix(language.topic_mix(_notes()))
    assert figure.title == ("Of the claimed uses in Chinese-American creators' notes, reviews / recommendations 25%, "
                            "shopping 25%, travel 25%, making friends 25% are common")
    assert figure.claims == ("T2",)


def test__langid_confusion__title_states_overall_and_holdout_accuracy():
    from analysis.results import Result, results_frame

    confusion = pl.DataFrame({"label": ["english", "english", "chinese"], "language": ["english", "other", "chinese"],
                              "notes": [8, 1, 1]})
    accuracy = results_frame([Result("langid_accuracy", 0.9, 10, "share", "x", 0.6, 0.98),
                              Result("langid_accuracy", 0.75, 4, "share", "x", 0.3, 0.95, group="holdout")])
    figure = methods_figs.langid_confusion(confusion, accuracy)
    assert figure.title == "Language ID agrees with the hand label on 90% of 10 notes, 75% [30%–95%] on the 4 never tuned on"
    assert figure.n == 10


def test__lexicon_precision__title_counts_precise_categories_and_names_the_weakest():
    from analysis.results import Result, results_frame

    table = results_frame([Result("lexicon_precision", 1.0, 10, "share", "x", 0.7, 1.0, group="memes: spy"),
                           Result("lexicon_precision", 0.5, 10, "share", "x", 0.2, 0.8, group="topics: social"),
                           Result("lexicon_miss_rate", 0.0, 5, "share", "x", 0.0, 0.4, group="topics: social")])
    figure = methods_figs.lexicon_precision(table)
    assert figure.title == ("1 of 2 lexicon categories are right on ≥90% of checked matches; the weakest is "
                            "topics: social at 50% (n=10)")
    assert figure.data.height == 2 and figure.n == 20


def test__methods_figures__say_so_when_no_labelled_notes_are_present(sample_bundle):
    from analysis.measures.lexicon_checks import lexicon_precision

    conf = methods_figs.langid_confusion(language.langid_confusion(sample_bundle), language.langid_accuracy(sample_bundle))
    prec = methods_figs.lexicon_precision(lexicon_precision(sample_bundle.notes))
    assert conf.title.startswith("No hand-labelled notes") and conf.n == 0
    assert prec.title.startswith("No hand-checked notes") and prec.n == 0
