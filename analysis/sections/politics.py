"""The Politics section's tables: daily volume around the ban, phases, account ages, privacy."""

from __future__ import annotations

from analysis import reference
from analysis.measures import migration, politics
from analysis.sections.base import Inputs, Table


def _daily(x: Inputs):
    return migration.daily_activity(x.newcomers[0])


TABLES = (
    Table("daily_activity", _daily, ("politics-daily-volume",)),
    Table("surge_concentration", lambda x: politics.surge_concentration(_daily(x), source=x.newcomers[1]),
          ("politics-daily-volume",)),
    Table("phase_engagement",
          lambda x: politics.phase_engagement(x.newcomers[0], reference.timeline(), source=x.newcomers[1]),
          ("politics-phase-engagement",)),
    Table("account_opening_weeks", lambda x: politics.account_opening_weeks(x.newcomers[0]),
          ("politics-account-opening",)),
    Table("account_ages", lambda x: politics.account_ages(x.newcomers[0], source=x.newcomers[1]),
          ("politics-account-opening",)),
    Table("privacy_mentions", lambda x: politics.privacy_mentions(x.newcomers[0], source=x.newcomers[1]),
          ("politics-privacy",)),
)
