"""The Commerce section's tables: brands, the travel/culture showcase, KOL prices, retention."""

from __future__ import annotations

from analysis.claims.commerce import showcase_tables
from analysis.claims.data import newcomers_and_creators
from analysis.measures import ads, commerce, migration
from analysis.measures.common import CREATORS, of_dataset
from analysis.sections.base import Inputs, Table


def _both(x: Inputs):
    return newcomers_and_creators(x.bundle)[0]


def _daily(x: Inputs):
    return migration.daily_activity(x.newcomers[0])


TABLES = (
    Table("brand_mentions", lambda x: commerce.brand_mentions(_both(x)), ("commerce-brands",)),
    Table("brand_engagement", lambda x: commerce.brand_engagement(_both(x)),
          ("commerce-brands", "commerce-brand-engagement")),
    Table("travel_culture_shares", lambda x: showcase_tables(x.bundle)[0], ("commerce-travel-culture",)),
    Table("travel_culture_accuracy", lambda x: showcase_tables(x.bundle)[1], ("commerce-travel-culture",)),
    Table("kol_prices", lambda x: ads.kol_prices(x.bundle.media_kits), ("commerce-kol-price",)),
    Table("kol_economics", lambda x: ads.kol_economics(x.bundle.media_kits), ("commerce-kol-price",)),
    Table("cohort_retention", lambda x: migration.cohort_retention(x.newcomers[0]), ("migration-cohort-retention",)),
    Table("retention_contrast",
          lambda x: migration.retention_contrast(x.newcomers[0], of_dataset(x.bundle.notes, CREATORS),
                                                 newcomer_source=x.newcomers[1]),
          ("migration-cohort-retention", "migration-retention-table")),
    Table("decay_curve", lambda x: migration.decay_curve(_daily(x)), ("migration-volume-decay",)),
    Table("volume_decay", lambda x: migration.volume_decay(_daily(x), source=x.newcomers[1]),
          ("migration-volume-decay",)),
)
