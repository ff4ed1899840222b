"""Publishing: run the notebooks a report config lists and turn them into one report.

``runner``   executes notebooks with papermill, with progress and clear failures.
``exporter`` merges executed notebooks into one self-contained HTML file.
``build``    the whole build: run, export, record, swap into reports/latest.
"""
