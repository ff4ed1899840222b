"""Specification of analysis.figures.culture: titles state the computed finding."""

from __future__ import annotations

import polars as pl
import pytest
from canonical_rows import notes_frame
from chart_spec import marks, panels

from analysis.figures import base as base_figs
from analysis.figures import culture as culture_figs
from analysis.measures import culture


def _notes() -> pl.DataFrame:
    return notes_frame([
        {"text": "Thank you for having us! Im 20 btw", "published_at": "2025-01-13 15:00"},
        {"text": "where is my Chinese spy", "published_at": "2025-01-14 15:00"},
        {"text": "paying the cat tax, my grandma says hi", "published_at": "2025-01-21 15:00"},
        {"text": "rent is so expensive here", "published_at": "2025-01-22 15:00"},
    ])


def test__welcome__title_states_positive_share_and_hostile_count():
    figure = culture_figs.welcome(culture.welcome_share(_notes()))
    assert figure.title.startswith("25% [")
    assert figure.title.endswith("of #TikTokRefugee posts voice welcome, thanks or kindness; 0 of 4 describe hostility")
    assert figure.id == "culture-welcome" and figure.n == 4


def test__memes_over_time__title_counts_each_meme():
    notes = _notes()
    figure = culture_figs.memes_over_time(culture.meme_frequency(notes), culture.meme_shares(notes))
    assert figure.title == ("50% of posts carry a meme: 'spy' in 1, cat tax in 1, 'colonizing' in 0 of 4 "
                            "#TikTokRefugee posts")
    assert figure.data.height == 6  # 2 weeks × 3 memes


def test__memes_over_time__calls_memes_rare_below_five_percent():
    notes = pl.concat([_notes().head(2), notes_frame([{"text": "hello", "published_at": "2025-01-13 16:00"}] * 38)])
    figure = culture_figs.memes_over_time(culture.meme_frequency(notes), culture.meme_shares(notes))
    assert figure.title.startswith("The memes are rare in posts: 'spy' in 1, cat tax in 0, 'colonizing' in 0 of 40")


def test__cross_border__title_counts_posts_on_any_topic():
    figure = culture_figs.cross_border(culture.cross_border_topics(_notes()))
    assert figure.title == "1 of 4 #TikTokRefugee posts (25.0%) talk about healthcare, housing or LGBTQ issues"


def test__age_vs_pew__title_states_the_counts_and_pew_gap():
    figure = culture_figs.age_vs_pew(culture.age_mentions(_notes()), culture.pew_tiktok_by_age())
    assert figure.title == ("Only 2 of the posts state an age: 1 Gen Z, 1 seniors — too few to say who migrated; "
                            "TikTok itself skews young (62% of 18–29s vs 10% of 65+)")
    assert figure.data.height == 8


def test__age_vs_pew__posts_and_pew_are_two_panels_and_too_few_posts_are_not_plotted():
    figure = culture_figs.age_vs_pew(culture.age_mentions(_notes()), culture.pew_tiktok_by_age())
    top, bottom = panels(figure.chart)
    assert top["title"] == "Share of age-stating #TikTokRefugee posts"
    assert bottom["title"] == "Share of US adults using TikTok (Pew 2023)"
    # 2 age-stating posts (under MIN_N): no bar or interval in the posts panel, four "too few" rows.
    posts = [m for m in marks(figure.chart) if m.panel == 0]
    assert [r for m in posts if m.type in ("bar", "rule") for r in m.rows] == []
    [text] = [m for m in posts if m.type == "text"]
    assert sorted(r["too_few"] for r in text.rows) == ["too few (n = 2)"] * 4
    # No empty layer: it would leave an unlabelled mark group in the SVG (axe: svg-img-alt).
    assert all(m.rows for m in marks(figure.chart))
    pew = [r for m in marks(figure.chart) if m.panel == 1 for r in m.rows]
    assert [(r["label"], r["share"]) for r in pew] == [("18–29", 0.62), ("30–49", 0.39), ("50–64", 0.24), ("65+", 0.10)]


def test__age_vs_pew__enough_age_stating_posts_are_plotted():
    # 30 posts say "Im 20" (Gen Z) and one mentions a grandma (senior): 31 state an age.
    notes = notes_frame([{"text": "Im 20 btw"}] * 30 + [{"text": "my grandma says hi"}])
    figure = culture_figs.age_vs_pew(culture.age_mentions(notes), culture.pew_tiktok_by_age())
    assert figure.title.startswith("31 of the posts state an age: 97% of them Gen Z, 3% seniors; ")
    bars = [r for m in marks(figure.chart) if m.panel == 0 and m.type == "bar" for r in m.rows]
    assert sorted((r["label"], round(r["share"] * 31)) for r in bars) == [
        ("Gen X (45–60)", 0), ("Gen Z (13–28)", 30), ("millennial (29–44)", 0), ("senior / grandparent", 1)]
    assert figure.notes[0].startswith("The two panels measure different things")


def test__age_vs_pew__needs_every_cohort_row():
    with pytest.raises(base_figs.FigureInputError, match="cohort_of_stated"):
        culture_figs.age_vs_pew(culture.age_mentions(_notes()).head(2), culture.pew_tiktok_by_age())


def test__every_language_and_culture_figure_builds_on_the_synthetic_sample(sample_bundle):
    """The notebooks' cells, run on the sample (what CI and a fallback build draw)."""
    from analysis.claims.data import newcomer_notes
    from analysis.figures import tech as tech_figs
    from analysis.measures import language

    notes, source = newcomer_notes(sample_bundle)
    figures = [
        tech_figs.language_mix(language.language_mix(sample_bundle.notes), language.translation_mentions(sample_bundle.notes),
                        newcomers=source, illustrative=True),
        tech_figs.hashtag_ranked(language.top_tags(notes, 15), language.hashtag_concentration(notes, n_boot=100),
                          source=source, illustrative=True),
        tech_figs.hashtag_cooccurrence(language.tag_cooccurrence(notes, 10), source=source, illustrative=True),
        tech_figs.topic_mix(language.topic_mix(sample_bundle.notes), illustrative=True),
        culture_figs.welcome(culture.welcome_share(sample_bundle.notes), newcomers=source, illustrative=True),
        culture_figs.memes_over_time(culture.meme_frequency(notes), culture.meme_shares(notes), newcomers=source,
                            illustrative=True),
        culture_figs.cross_border(culture.cross_border_topics(sample_bundle.notes), newcomers=source, illustrative=True),
        culture_figs.age_vs_pew(culture.age_mentions(notes), culture.pew_tiktok_by_age(), newcomers=source, illustrative=True),
    ]
    assert len({f.id for f in figures}) == 8
    assert all(f.illustrative and f.title and f.data.height for f in figures)
