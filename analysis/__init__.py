"""rednote-report: tests "The Great Digital Migration" (Plotnick, 2025) against real data.

Data flows one way: ``io`` (sources, loaders, quarantine) → analyses (pure functions
over polars frames, returning small result tables) → ``claims`` (the verdict ledger)
→ ``figures`` (charts with their finding, n and source) → notebooks → ``publish``.
"""

__version__ = "0.1.0"
