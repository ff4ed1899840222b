"""Payload → HTML for every block the display helpers emit.

One renderer serves both places a block is seen: the ``text/html`` fallback in
JupyterLab and the published report (the nbconvert template calls ``render_block``
through a filter). Every string that came from data or from a notebook author goes
through ``esc``; nothing here trusts its input, so a note titled
``<script>alert(1)</script>`` shows as text.

Charts are *placeholders* here: a ``div`` plus the Vega-Lite spec as inert JSON. The
report inlines the Vega runtime once and embeds every placeholder (see the template);
JupyterLab gets altair's own HTML instead (``display.show``).
"""

from __future__ import annotations

import html
import json
import math
import re
from urllib.parse import quote

MIME_PREFIX = "application/vnd.rednote."
MIME_FIGURE = MIME_PREFIX + "figure+json"
MIME_LEDGER = MIME_PREFIX + "ledger+json"
MIME_FINDINGS = MIME_PREFIX + "findings+json"
MIME_BANNER = MIME_PREFIX + "banner+json"
MIME_TABLE = MIME_PREFIX + "table+json"
MIME_FINDING = MIME_PREFIX + "finding+json"
MIME_NOTICE = MIME_PREFIX + "notice+json"
MIMETYPES = (MIME_FIGURE, MIME_LEDGER, MIME_FINDINGS, MIME_BANNER, MIME_TABLE, MIME_FINDING, MIME_NOTICE)

#: verdict → CSS modifier of its badge (the badge also says the verdict in words).
VERDICT_CLASS = {
    "supported": "ok",
    "partly supported": "partial",
    "not supported": "no",
    "contradicted by later data": "contra",
    "not testable with the data at hand": "na",
}


def esc(value: object) -> str:
    """Text → HTML-safe text (quotes too, so it is safe inside attributes)."""
    return html.escape("" if value is None else str(value), quote=True)


def json_for_script(value: object) -> str:
    """JSON that can sit inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` only occur inside JSON strings, where ``\\u003c`` & co. mean
    the same; escaping them means no ``</script>`` or ``<!--`` in data can end the
    element early.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def csv_data_uri(csv: str) -> str:
    return "data:text/csv;charset=utf-8," + quote(csv, safe="")


def anchor(figure_id: str) -> str:
    return f"fig-{figure_id}"


def fmt_number(value: float | None, unit: str = "") -> str:
    """A number as a reader wants it: shares as percentages, others to 3 significant digits."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit == "share":
        return f"{value:.0%}" if abs(value) >= 0.1 else f"{value:.1%}"
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.3g}"


def fmt_estimate(row: dict) -> str:
    est = fmt_number(row.get("estimate"), row.get("unit") or "")
    if row.get("estimate") is None:
        return est
    lo, hi = row.get("lo"), row.get("hi")
    if lo is not None and hi is not None:
        unit = row.get("unit") or ""
        est += f" ({fmt_number(lo, unit)}–{fmt_number(hi, unit)})"
    return est


def _evidence_links(evidence: str) -> str:
    ids = [part for part in re.split(r"[\s,;]+", evidence or "") if part]
    links = [f'<a href="#{esc(anchor(fid))}">see chart</a>' for fid in ids if re.fullmatch(r"[a-z0-9][a-z0-9-]*", fid)]
    return " ".join(links)


def verdict_badge(verdict: str, illustrative: bool = False) -> str:
    cls = VERDICT_CLASS.get(verdict, "na")
    label = esc(verdict) + (" · illustrative" if illustrative else "")
    return f'<span class="rn-badge rn-badge--{cls}">{label}</span>'


def chart_placeholder(p: dict) -> str:
    """An empty chart box plus its spec as inert JSON; the report's module script embeds it."""
    fid = p["id"]
    return (
        f'<div class="rn-chart" id="chart-{esc(fid)}" role="img" aria-label="{esc(p.get("alt_text", ""))}"></div>'
        f'<script type="application/json" class="rn-spec" data-target="chart-{esc(fid)}">{json_for_script(p["spec"])}</script>'
    )


def figure_html(p: dict, chart_html: str | None = None) -> str:
    """The report's figure block: title (the finding), chart, facts, download.

    ``chart_html`` replaces the placeholder (JupyterLab passes altair's own HTML).
    """
    fid = p["id"]
    meta = [f"n = {fmt_number(p.get('n'))} {esc(p.get('n_unit', ''))}".strip()]
    meta.append(f"Source: {esc(p.get('source', ''))}")
    if p.get("licence"):
        meta.append(f"Licence: {esc(p['licence'])}")
    if p.get("claims"):
        meta.append("Claims: " + ", ".join(f'<a href="#claim-{esc(c)}">{esc(c)}</a>' for c in p["claims"]))
    notes = "".join(f"<li>{esc(n)}</li>" for n in p.get("notes") or ())
    flag = '<p class="rn-illustrative-flag">Illustrative — synthetic sample, not evidence</p>' if p.get("illustrative") else ""
    return (
        f'<figure class="rn-figure" id="{esc(anchor(fid))}">'
        f'<figcaption><h3 class="rn-figure-title">{esc(p.get("title", ""))}'
        f'<a class="rn-anchor" href="#{esc(anchor(fid))}" aria-label="Link to this chart">#</a></h3></figcaption>'
        f"{flag}"
        f"{chart_placeholder(p) if chart_html is None else chart_html}"
        f'<p class="rn-alt">{esc(p.get("alt_text", ""))}</p>'
        f'<p class="rn-meta">{" · ".join(meta)}</p>'
        + (f'<ul class="rn-notes">{notes}</ul>' if notes else "")
        + f'<p class="rn-download"><a download="{esc(fid)}.csv" href="{esc(csv_data_uri(p.get("csv", "")))}">'
        f"Download the data (CSV, {int(p.get('rows', 0))} rows)</a></p>"
        "</figure>"
    )


def ledger_html(p: dict) -> str:
    rows = []
    for r in p.get("rows", []):
        # Only the full ledger anchors its rows (#claim-T3); an excerpt would repeat the ids.
        row_id = f' id="claim-{esc(r.get("claim_id"))}"' if p.get("anchors", not p.get("theme")) else ""
        measure = esc(r.get("measure") or "")
        if r.get("what_would_test"):
            measure += f'<br><span class="rn-muted">Would test it: {esc(r["what_would_test"])}</span>'
        rows.append(
            f'<tr{row_id}><th scope="row">{esc(r.get("claim_id"))}</th>'
            f'<td data-label="The article says">{esc(r.get("claim"))}</td><td data-label="Measured">{measure}</td>'
            f'<td data-label="Estimate" class="rn-num">{esc(fmt_estimate(r))}</td>'
            f'<td data-label="n" class="rn-num">{esc(fmt_number(r.get("n")))}</td>'
            f'<td data-label="Compared with">{esc(r.get("comparison"))}</td>'
            f'<td data-label="Verdict">{verdict_badge(r.get("verdict", ""), bool(r.get("illustrative")))}'
            f'<br><span class="rn-muted">{esc(r.get("rule"))}</span></td>'
            f'<td data-label="Evidence">{_evidence_links(r.get("evidence", ""))}</td></tr>'
        )
    caption = "Claims ledger" + (f" — {esc(p['theme'])}" if p.get("theme") else "")
    return (
        '<div class="rn-table-wrap"><table class="rn-ledger">'
        f"<caption>{caption}</caption>"
        "<thead><tr><th scope=\"col\">Claim</th><th scope=\"col\">The article says</th><th scope=\"col\">Measured</th>"
        "<th scope=\"col\">Estimate (95% interval)</th><th scope=\"col\">n</th><th scope=\"col\">Compared with</th>"
        "<th scope=\"col\">Verdict (rule)</th><th scope=\"col\">Evidence</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def findings_html(p: dict) -> str:
    items = []
    for r in p.get("rows", []):
        est = "" if r.get("estimate") is None else f" — {esc(r.get('measure'))}: {esc(fmt_estimate(r))}"
        items.append(
            f'<li>{verdict_badge(r.get("verdict", ""), bool(r.get("illustrative")))} '
            f'<a href="#claim-{esc(r.get("claim_id"))}">{esc(r.get("claim_id"))}</a> {esc(r.get("claim"))}{est} '
            f"{_evidence_links(r.get('evidence', ''))}</li>"
        )
    counts = " · ".join(f"{esc(v)}: {k}" for v, k in p.get("counts", {}).items())
    return (
        '<section class="rn-findings" aria-label="Key findings"><h2>Key findings</h2>'
        f'<p class="rn-muted">{counts}</p><ul>{"".join(items)}</ul></section>'
    )


def banner_html(p: dict) -> str:
    window = " to ".join(w or "open" for w in p.get("window", ("", ""))) if any(p.get("window", ())) else "all dates"
    counts = ", ".join(f"{fmt_number(v)} {esc(k)}" for k, v in p.get("counts", {}).items())
    sources = "; ".join(
        f"{esc(s.get('title') or s.get('id'))} ({esc(s.get('licence') or 'licence not stated')})" for s in p.get("sources", [])
    )
    body = (
        f'<p><strong>Data: {esc(p.get("mode"))}</strong> · {counts} · window: {esc(window)}'
        + (f"<br>Sources: {sources}" if sources else "")
        + "</p>"
    )
    if p.get("illustrative"):
        reason = f'<p>Real data were not used: {esc(p["fallback_reason"])}</p>' if p.get("fallback_reason") else ""
        return (
            '<div class="rn-banner rn-banner--illustrative" role="note">'
            "<p class=\"rn-banner-title\">ILLUSTRATIVE — synthetic sample, not evidence</p>"
            f"{reason}{body}</div>"
        )
    return f'<div class="rn-banner" role="note">{body}</div>'


def table_html(p: dict) -> str:
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in p.get("columns", []))
    body = "".join("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>" for row in p.get("rows", []))
    return (
        f'<div class="rn-table-wrap"><table class="rn-table"><caption>{esc(p.get("caption"))}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def finding_html(p: dict) -> str:
    return f'<p class="rn-finding">{esc(p.get("text"))}</p>'


def notice_html(p: dict) -> str:
    """A figure the data could not draw: a small note in its place (anchored like the figure)."""
    kind = "too-few" if p.get("kind") == "too few" else "missing"
    return (f'<div class="rn-notice rn-notice--{kind}" id="{esc(anchor(str(p.get("id", ""))))}" role="note">'
            f'<p><strong>Chart not drawn.</strong> {esc(p.get("message"))}</p></div>')


_RENDERERS = {
    MIME_NOTICE: notice_html,
    MIME_FIGURE: figure_html,
    MIME_LEDGER: ledger_html,
    MIME_FINDINGS: findings_html,
    MIME_BANNER: banner_html,
    MIME_TABLE: table_html,
    MIME_FINDING: finding_html,
}


def render_block(payload: dict, mimetype: str) -> str:
    """HTML for one display bundle's custom payload (used by the report template)."""
    renderer = _RENDERERS.get(mimetype)
    if renderer is None:
        raise ValueError(f"no renderer for {mimetype!r}; known: {', '.join(MIMETYPES)}")
    return renderer(payload)
