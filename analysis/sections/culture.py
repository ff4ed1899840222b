"""The Culture section's tables: gender and ages, welcome, age cohorts, memes, cross-border topics."""

from __future__ import annotations

from analysis.measures import culture, demographics
from analysis.sections.base import Table

TABLES = (
    Table("female_comparison", lambda x: demographics.female_comparison(x.bundle.creators, x.bundle.media_kits),
          ("culture-gender",)),
    Table("follower_age_bands", lambda x: demographics.follower_age_bands(x.bundle.media_kits),
          ("culture-follower-ages",)),
    Table("welcome_share", lambda x: culture.welcome_share(x.bundle.notes), ("culture-welcome",)),
    Table("age_mentions", lambda x: culture.age_mentions(x.newcomers[0]), ("culture-age-cohorts",)),
    Table("meme_frequency", lambda x: culture.meme_frequency(x.newcomers[0]), ("culture-memes",)),
    Table("meme_shares", lambda x: culture.meme_shares(x.newcomers[0]), ("culture-memes",)),
    Table("cross_border_topics", lambda x: culture.cross_border_topics(x.bundle.notes), ("culture-cross-border",)),
)
