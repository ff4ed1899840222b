"""The Summary section reads only the ledger and the build's facts (analysis.session)."""

from __future__ import annotations

TABLES = ()
