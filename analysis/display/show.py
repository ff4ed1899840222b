"""What notebooks call to show things: ``banner``, ``show``, ``show_ledger``,
``show_key_findings``, ``show_table``, ``finding``.

Each helper emits one IPython display bundle with two views of the same block:

* a custom JSON mimetype (``application/vnd.rednote.<kind>+json``) carrying the facts —
  for a figure: Vega-Lite spec, id, title, alt text, n, source, licence, claims and the
  aggregated data as CSV. The report template renders it (one Vega runtime for the
  whole report, anchors, download links);
* ``text/html`` (and ``text/plain``) for JupyterLab, which ignores the custom type.

Everything user-written is escaped by ``analysis.display.render``.

In a notebook::

    from analysis.session import ledger
    from analysis.display.show import banner, finding, show, show_key_findings, show_ledger, show_table

    bundle = load_bundle(data_mode, start_date, end_date, user_data, cache_dir)
    banner(bundle)                      # data mode; the ILLUSTRATIVE banner for the sample
    claims = ledger(bundle, cache_dir)  # build_ledger, computed once per build
    show_key_findings(claims)           # summary only: every claim with its verdict badge
    show_ledger(claims)                 # summary only: the full ledger (anchors #claim-T3 …)
    show_ledger(claims, theme="Tech")   # a theme's rows, in its section
    show(figure)                        # an analysis.figures.base.Figure
    show_table(small_frame, caption="…")
    finding("One sentence stating the finding.")
"""

from __future__ import annotations

import re
from typing import Any

import polars as pl

from analysis.display import render

#: The largest table ``show_table`` puts in the report: anything bigger is not a summary.
MAX_TABLE_ROWS = 200

# Data sets of the bundle last passed to ``banner``: lets ``show`` state each figure's
# licence without every figure builder repeating it.
_SOURCES: dict[str, dict[str, str]] = {}
_ILLUSTRATIVE = {"on": False}


def _emit(mimetype: str, payload: dict, html_view: str, text_view: str) -> None:
    from IPython.display import display

    display({mimetype: payload, "text/html": html_view, "text/plain": text_view}, raw=True)


def _table_rows(df: pl.DataFrame) -> list[dict[str, Any]]:
    return df.to_dicts()


def flat_for_csv(df: pl.DataFrame) -> pl.DataFrame:
    """CSV cannot hold nested values: lists become '; '-joined text, structs JSON."""
    exprs = []
    for name, dtype in df.schema.items():
        if isinstance(dtype, pl.List | pl.Array):
            exprs.append(pl.col(name).cast(pl.List(pl.String)).list.join("; "))
        elif isinstance(dtype, pl.Struct):
            exprs.append(pl.col(name).struct.json_encode())
    return df.with_columns(exprs) if exprs else df


def source_id(row: dict) -> str:
    """A sources row's data set id (the loaders call the column ``dataset``)."""
    return str(row.get("dataset") or row.get("id") or "")


def _licence_for(source: str) -> str:
    """Licences of the data sets the figure's source names (matched by data set id)."""
    found = [
        f"{meta.get('licence') or 'not stated'}" + (f" ({sid})" if len(_SOURCES) > 1 else "")
        for sid, meta in _SOURCES.items()
        if re.search(rf"(?<![\w-]){re.escape(sid)}(?![\w-])", source or "")
    ]
    return "; ".join(found)


def _spec(fig) -> dict:
    spec = fig.chart.to_dict()
    spec.setdefault("description", fig.alt_text)  # Vega puts it on the SVG as its aria-label
    composite = any(key in spec for key in ("hconcat", "vconcat", "concat", "facet", "repeat"))
    if not composite and "width" not in spec:
        spec["width"] = "container"
    return spec


def figure_payload(fig) -> dict:
    """The report's view of an ``analysis.figures.base.Figure`` (JSON types only)."""
    return {
        "id": fig.id,
        "title": fig.title,
        "alt_text": fig.alt_text,
        "n": int(fig.n),
        "n_unit": fig.n_unit,
        "source": fig.source,
        "licence": _licence_for(fig.source),
        "claims": list(fig.claims),
        "illustrative": bool(fig.illustrative or _ILLUSTRATIVE["on"]),
        "notes": list(fig.notes),
        "spec": _spec(fig),
        "csv": flat_for_csv(fig.data).write_csv(),
        "rows": fig.data.height,
    }


def show(fig) -> None:
    """Display a Figure: chart with its finding, alt text, n, source, licence, download;
    or a Notice (``analysis.figures.base``) saying why the data could not draw it."""
    from analysis.figures.base import Notice

    if isinstance(fig, Notice):
        payload = {"id": fig.id, "kind": fig.kind, "message": fig.message, "claims": list(fig.claims)}
        _emit(render.MIME_NOTICE, payload, render.notice_html(payload), f"Chart not drawn: {fig.message}")
        return
    payload = figure_payload(fig)
    lab_chart = fig.chart._repr_mimebundle_()
    lab_chart = lab_chart[0] if isinstance(lab_chart, tuple) else lab_chart
    # JupyterLab has no inlined runtime: altair's own HTML draws the chart there.
    lab_html = render.figure_html(payload, chart_html=lab_chart.get("text/html", ""))
    _emit(render.MIME_FIGURE, payload, lab_html, f"{fig.title} (n = {fig.n} {fig.n_unit}; {fig.source})")


def _ledger_rows(ledger: pl.DataFrame, theme: str | None) -> list[dict]:
    from analysis.claims.evidence import LEDGER_SCHEMA

    missing = [c for c in LEDGER_SCHEMA if c not in ledger.columns]
    if missing:
        raise ValueError(f"the ledger lacks columns {missing}; build it with analysis.claims.build_ledger(bundle)")
    if theme is not None:
        ledger = ledger.filter(pl.col("theme") == theme)
    return _table_rows(ledger.select(list(LEDGER_SCHEMA)))


def show_ledger(ledger: pl.DataFrame, theme: str | None = None, *, claim: str | None = None) -> None:
    """The claims ledger (all claims, a theme's, one ``claim``'s row, or any excerpt) with
    verdict badges and evidence links."""
    if claim is not None:
        ledger = ledger.filter(pl.col("claim_id") == claim)
    rows = _ledger_rows(ledger, theme)
    # Only a complete ledger anchors its rows (#claim-T3), so the anchors exist once however
    # many excerpts the sections show.
    from analysis.claims.evidence import CLAIMS

    complete = theme is None and claim is None and {r["claim_id"] for r in rows} >= set(CLAIMS)
    payload = {"theme": theme or "", "anchors": complete, "rows": rows}
    text = "\n".join(f"{r['claim_id']}: {r['verdict']}" for r in payload["rows"])
    _emit(render.MIME_LEDGER, payload, render.ledger_html(payload), text)


def show_key_findings(ledger: pl.DataFrame) -> None:
    """The summary's opening block: every claim with its verdict badge and evidence link."""
    rows = _ledger_rows(ledger, None)
    counts: dict[str, int] = {}
    for verdict in render.VERDICT_CLASS:
        k = sum(1 for r in rows if r["verdict"] == verdict)
        if k:
            counts[verdict] = k
    payload = {"rows": rows, "counts": counts}
    text = "\n".join(f"{r['claim_id']} {r['verdict']}: {r['claim']}" for r in rows)
    _emit(render.MIME_FINDINGS, payload, render.findings_html(payload), text)


def banner(bundle) -> None:
    """Which data this section analyses; for the sample, a visible 'illustrative' banner."""
    sources = [{**s, "id": source_id(s)} for s in bundle.sources.to_dicts()] if bundle.sources.height else []
    _SOURCES.clear()
    for s in sources:
        _SOURCES[s["id"]] = {k: "" if v is None else str(v) for k, v in s.items() if k in ("title", "licence")}
    _ILLUSTRATIVE["on"] = bool(bundle.illustrative)
    payload = {
        "mode": "synthetic sample" if bundle.illustrative else "real public data",
        "illustrative": bool(bundle.illustrative),
        "fallback_reason": bundle.fallback_reason,
        "window": list(bundle.window),
        "counts": {"notes": bundle.notes.height, "creators": bundle.creators.height, "comments": bundle.comments.height},
        "sources": [{k: "" if s.get(k) is None else str(s.get(k)) for k in ("id", "title", "licence")} for s in sources],
    }
    text = ("ILLUSTRATIVE — synthetic sample, not evidence. " if bundle.illustrative else "") + f"Data: {payload['mode']}"
    _emit(render.MIME_BANNER, payload, render.banner_html(payload), text)


def show_table(df: pl.DataFrame, caption: str) -> None:
    """A small summary table (at most MAX_TABLE_ROWS rows) with a caption."""
    if df.height > MAX_TABLE_ROWS:
        raise ValueError(
            f"show_table got {df.height} rows for {caption!r}; the report shows summaries of at most "
            f"{MAX_TABLE_ROWS} rows — aggregate first"
        )
    flat = flat_for_csv(df)
    rows = [["" if v is None else (render.fmt_number(v) if isinstance(v, float) else str(v)) for v in row]
            for row in flat.rows()]
    payload = {"caption": caption, "columns": list(df.columns), "rows": rows}
    _emit(render.MIME_TABLE, payload, render.table_html(payload), f"{caption}\n{df}")


def finding(text: str) -> None:
    """One sentence stating a finding, set off from the prose."""
    payload = {"text": text}
    _emit(render.MIME_FINDING, payload, render.finding_html(payload), text)
