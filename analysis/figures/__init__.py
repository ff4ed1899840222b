"""Figures: each builder takes small result tables and returns a ``Figure``.

One module per theme (``tech``, ``culture``, ``politics``, ``commerce``, ``methods``);
``base`` holds the ``Figure`` type and the shared altair theme.
"""
