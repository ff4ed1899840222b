"""Pure measures: tables in (DataFrame or LazyFrame), small result tables out.

No verdicts, prose, file reads or charts here: dates, windows, lexicons, labels and
fitted models arrive as arguments; the claims layer decides what a number means.
"""
