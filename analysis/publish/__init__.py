"""Publishing: what notebooks display, how they run, and how they become one report.

``display``  helpers notebooks call (banner, show, show_ledger, …); each emits a custom
             mimetype the report template renders, plus HTML for JupyterLab.
``runner``   executes notebooks with papermill, with progress and clear failures.
``exporter`` merges executed notebooks into one self-contained HTML file.
``build``    the whole build: load once, run, export, record, swap into reports/latest.
"""
