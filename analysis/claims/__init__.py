"""The claims ledger: one function per claim id, grouped by theme (tech, culture,
politics, commerce, migration), each calling measures and stating its verdict by the
rule for its kind (``rules``). ``ledger.build_ledger`` runs them in report order."""
