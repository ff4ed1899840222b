"""Data in: source manifest and fetch, format detection, parsing, validation, quarantine.

``datasets.real_bundle`` is the entry point; ``check.data_check`` prints what was loaded.
"""
