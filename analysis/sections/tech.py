"""The Tech section's tables: ads, clickbait, topics, languages and hashtags."""

from __future__ import annotations

from analysis.measures import ads, content, language
from analysis.sections.base import Inputs, Table


def _scored(x: Inputs):
    return content.score_notes(x.bundle.notes, x.clickbait_model)  # remembered: scored once


def _results(x: Inputs):
    return content.content_results(x.bundle.notes, x.clickbait_model, content.read_clickbait_labels())


TABLES = (
    Table("sponsored_shares", lambda x: ads.sponsored_shares(x.bundle.notes), ("tech-ad-share",)),
    Table("labelled_share", lambda x: ads.labelled_share_for(x.bundle.notes), ("tech-ad-share",)),
    Table("creator_shares", lambda x: ads.creator_shares(x.bundle.notes), ("tech-ads-per-creator",)),
    Table("score_histogram", lambda x: content.score_histogram(_scored(x), x.clickbait_model),
          ("tech-clickbait-scores",)),
    Table("content_results", _results, ("tech-clickbait-scores", "tech-value-driven", "tech-saves-to-likes")),
    Table("clickbait_transfer",
          lambda x: content.transfer_metrics(_scored(x), content.read_clickbait_labels(), x.clickbait_model),
          ("tech-clickbait-transfer",)),
    Table("topic_mix", lambda x: language.topic_mix(x.bundle.notes), ("tech-topic-mix",)),
    Table("language_mix", lambda x: language.language_mix(x.bundle.notes), ("tech-language-mix",)),
    Table("translation_mentions", lambda x: language.translation_mentions(x.bundle.notes), ("tech-language-mix",)),
    Table("top_tags", lambda x: language.top_tags(x.newcomers[0], 15), ("tech-hashtags",)),
    Table("hashtag_concentration", lambda x: language.hashtag_concentration(x.newcomers[0]), ("tech-hashtags",)),
    Table("tag_cooccurrence", lambda x: language.tag_cooccurrence(x.newcomers[0], 10),
          ("tech-hashtag-cooccurrence",)),
)
