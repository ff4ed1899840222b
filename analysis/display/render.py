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
MIME_LEDE = MIME_PREFIX + "lede+json"
MIME_LIMITS = MIME_PREFIX + "limits+json"
MIME_NOTICE = MIME_PREFIX + "notice+json"
MIMETYPES = (MIME_FIGURE, MIME_LEDGER, MIME_FINDINGS, MIME_BANNER, MIME_TABLE, MIME_FINDING, MIME_LEDE, MIME_LIMITS,
             MIME_NOTICE)

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
        return "0%" if value == 0 else f"{value:.0%}" if abs(value) >= 0.1 else f"{value:.1%}"
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


def fmt_plain(value: float | None, unit: str = "") -> str:
    """A number written for people: shares as percentages, relative changes signed ("+83%")."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit in ("share", "relative change"):
        text = "<0.1%" if 0 < abs(value) < 0.0005 else fmt_number(abs(value) if unit != "share" else value, "share")
        if unit == "relative change" and value:
            text = ("+" if value > 0 else "−") + text
        return text
    return fmt_number(value)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _measure_head(measure: str | None) -> str:
    """The measure's first clause without its parenthesised method notes."""
    text, previous = measure or "", None
    while text != previous:  # innermost parentheses first, so nested ones go too
        previous, text = text, re.sub(r"\s*\([^()]*\)", "", text)
    return re.split(r";\s", text, maxsplit=1)[0].strip()


def plain_finding(row: dict) -> str:
    """One ledger row's estimate as a sentence fragment a reader can take in at a glance.

    "31% of notes that are product reviews (95% interval: 30%–32%)"; a ratio whose measure
    is "A ÷ B" reads "A: 41% of B"; a relative change is signed. Plain text (not escaped).
    """
    est, unit = row.get("estimate"), row.get("unit") or ""
    if est is None or (isinstance(est, float) and math.isnan(est)):
        return "No estimate from these data."
    head = _measure_head(row.get("measure"))
    lo, hi = row.get("lo"), row.get("hi")
    as_pct = unit in ("share", "relative change") or (unit == "ratio" and "÷" in head)
    unit_fmt = "share" if unit == "ratio" else unit
    interval = ""
    if lo is not None and hi is not None:
        fmt = (lambda v: fmt_plain(v, unit_fmt)) if as_pct else fmt_number
        interval = f" (95% interval: {fmt(lo)}–{fmt(hi)})"
    if unit == "share" and head.startswith("share of "):
        return f"{fmt_plain(est, unit)} of {head[len('share of '):]}{interval}"
    if unit == "share" and head.startswith("share "):
        return f"{fmt_plain(est, unit)} {head[len('share '):]}{interval}"
    if unit == "ratio" and "÷" in head:
        left, right = (part.strip() for part in head.split("÷", 1))
        level = f"{fmt_plain(est, 'share')} of" if est < 2 else f"{est:.2g} times"
        return f"{_cap(left)}: {level} {right}{interval}"
    return f"{_cap(head or 'estimate')}: {fmt_plain(est, unit)}{interval}"


def _evidence_list(evidence: str) -> list[str]:
    return [fid for fid in re.split(r"[\s,;]+", evidence or "") if re.fullmatch(r"[a-z0-9][a-z0-9-]*", fid)]


def figure_html(p: dict, chart_html: str | None = None) -> str:
    """The report's figure block: title (the finding), chart, one line of facts with the
    download link, and the chart's description and notes folded under "About this chart".

    ``chart_html`` replaces the placeholder (JupyterLab passes altair's own HTML).
    """
    fid = p["id"]
    meta = [f"n = {fmt_number(p.get('n'))} {esc(p.get('n_unit', ''))}".strip()]
    meta.append(f"Source: {esc(p.get('source', ''))}")
    if p.get("licence"):
        meta.append(f"Licence: {esc(p['licence'])}")
    if p.get("claims"):
        meta.append("Claims: " + ", ".join(f'<a href="#claim-{esc(c)}">{esc(c)}</a>' for c in p["claims"]))
    meta.append(
        f'<span class="rn-download"><a download="{esc(fid)}.csv" href="{esc(csv_data_uri(p.get("csv", "")))}" '
        f'aria-label="Download the data behind this chart ({esc(p.get("title", ""))}) as CSV">'
        f"Data (CSV, {int(p.get('rows', 0))} rows)</a></span>"
    )
    notes = list(p.get("notes") or ())
    notes_html = "".join(f"<li>{esc(n)}</li>" for n in notes)
    about = "About this chart" + (f" ({len(notes)} note{'s' if len(notes) > 1 else ''})" if notes else "")
    flag = '<p class="rn-illustrative-flag">Illustrative — synthetic sample, not evidence</p>' if p.get("illustrative") else ""
    return (
        f'<figure class="rn-figure" id="{esc(anchor(fid))}">'
        f'<figcaption><h3 class="rn-figure-title">{esc(p.get("title", ""))}'
        f'<a class="rn-anchor" href="#{esc(anchor(fid))}" aria-label="Link to this chart">#</a></h3></figcaption>'
        f"{flag}"
        f"{chart_placeholder(p) if chart_html is None else chart_html}"
        f'<p class="rn-meta">{" · ".join(meta)}</p>'
        f'<details class="rn-about"><summary>{about}</summary>'
        + (f'<ul class="rn-notes">{notes_html}</ul>' if notes else "")
        + f'<p class="rn-alt">{esc(p.get("alt_text", ""))}</p></details></figure>'
    )


def _how_measured(r: dict) -> str:
    """The row's working, folded: measure, comparison, rule, data set, what would test it."""
    items = [("Measured", r.get("measure")), ("Estimate", fmt_estimate(r) if r.get("estimate") is not None else ""),
             ("n", fmt_number(r.get("n")) if r.get("n") is not None else ""), ("Compared with", r.get("comparison")),
             ("Rule", r.get("rule")), ("Data", r.get("dataset")), ("Would test it", r.get("what_would_test"))]
    body = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in items if v)
    return f'<details class="rn-working"><summary>How it was measured</summary><dl>{body}</dl></details>'


def ledger_html(p: dict) -> str:
    """The claims ledger: one row per claim with the article's words, the estimate in plain
    words, the verdict; the working (measure, comparison, rule …) folds open on demand.

    ``compact`` (a theme section's excerpt) gives one line per claim instead, linking to the
    full ledger's row.
    """
    if p.get("compact"):
        return claim_lines_html(p)
    anchors = p.get("anchors", not p.get("theme"))
    rows = []
    for r in p.get("rows", []):
        # Only the full ledger anchors its rows (#claim-T3); an excerpt would repeat the ids.
        row_id = f' id="claim-{esc(r.get("claim_id"))}"' if anchors else ""
        n = f' <span class="rn-muted">(n = {fmt_number(r.get("n"))})</span>' if r.get("n") is not None else ""
        charts = " ".join(f'<a href="#{esc(anchor(fid))}">see chart</a>' for fid in _evidence_list(r.get("evidence", "")))
        rows.append(
            f'<tr{row_id}><th scope="row" data-label="Claim"><span class="rn-claim-id">{esc(r.get("claim_id"))}</span> '
            f'<span class="rn-claim-text">{esc(r.get("claim"))}</span></th>'
            f'<td data-label="Measured">{esc(plain_finding(r))}{n}{_how_measured(r)}</td>'
            f'<td data-label="Verdict" class="rn-verdict">{verdict_badge(r.get("verdict", ""), bool(r.get("illustrative")))}'
            + (f'<span class="rn-evidence">{charts}</span>' if charts else "")
            + "</td></tr>"
        )
    caption = "Claims ledger" + (f" — {esc(p['theme'])}" if p.get("theme") else "")
    table = (
        '<div class="rn-table-wrap rn-ledger-wrap"><table class="rn-ledger">'
        f"<caption>{caption}</caption>"
        '<colgroup><col class="rn-col-claim"><col class="rn-col-measured"><col class="rn-col-verdict"></colgroup>'
        '<thead><tr><th scope="col">The article says</th><th scope="col">What the data show</th>'
        '<th scope="col">Verdict</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
    if not anchors:
        return table
    counts = " · ".join(f"{k} {esc(v)}" for v, k in verdict_counts(p.get("rows", [])).items())  # rows: ordered
    return (
        '<details class="rn-ledger-box" id="ledger"><summary><span class="rn-ledger-title">The full claims ledger</span>'
        f' <span class="rn-muted">— all {len(p.get("rows", []))} claims: {counts}</span></summary>'
        f"{table}</details>"
    )


def verdict_counts(rows: list[dict]) -> dict[str, int]:
    """Verdict → number of rows, in the order of VERDICT_CLASS (verdicts with none left out)."""
    counts = {v: sum(1 for r in rows if r.get("verdict") == v) for v in VERDICT_CLASS}
    return {v: k for v, k in counts.items() if k}


def claim_lines_html(p: dict) -> str:
    """One line per claim for a theme section: id, verdict, the article's words, the estimate."""
    lines = []
    for r in p.get("rows", []):
        cid = esc(r.get("claim_id"))
        lines.append(
            f'<li class="rn-claimline" id="claimline-{cid}">'
            f'{verdict_badge(r.get("verdict", ""), bool(r.get("illustrative")))} '
            f'<a class="rn-claim-id" href="#claim-{cid}" aria-label="{cid} in the full claims ledger">{cid}</a> '
            f'<span class="rn-claim-text">{esc(r.get("claim"))}</span> '
            f'<span class="rn-claim-est">— {esc(plain_finding(r))}</span></li>'
        )
    return f'<ul class="rn-claimlines" aria-label="Verdicts">{"".join(lines)}</ul>'


#: Verdicts a reader can act on: the key findings lead with them.
DECISIVE = ("supported", "not supported", "contradicted by later data")


def findings_html(p: dict) -> str:
    """Key findings: the claims the data decide, in plain words, each with its verdict and links."""
    items = []
    rows = p.get("rows", [])
    for r in rows:
        cid = esc(r.get("claim_id"))
        charts = " · ".join(f'<a href="#{esc(anchor(fid))}">chart</a>' for fid in _evidence_list(r.get("evidence", "")))
        items.append(
            f'<li>{verdict_badge(r.get("verdict", ""), bool(r.get("illustrative")))} '
            f'<span class="rn-claim-text">{esc(r.get("claim"))}</span> — '
            f'<span class="rn-claim-est">{esc(plain_finding(r))}.</span> '
            f'<a href="#claim-{cid}" aria-label="{cid} in the claims ledger">{cid}</a>'
            + (f" · {charts}" if charts else "")
            + "</li>"
        )
    others = " · ".join(f"{p['others'][v]} {esc(v)}" for v in VERDICT_CLASS if p.get("others", {}).get(v))
    rest = f'<p class="rn-muted">The other claims: {others} — see <a href="#ledger">the full ledger</a>.</p>' if others else ""
    return (
        '<section class="rn-findings" aria-labelledby="rn-findings-title"><h2 id="rn-findings-title">Key findings</h2>'
        f'<ul>{"".join(items)}</ul>{rest}</section>'
    )


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _tally(counts: dict[str, int]) -> str:
    """"the data support 3, partly support 10 and do not support 2; later figures contradict 1;
    3 cannot be tested with these data" — in this order whatever order ``counts`` has."""
    k = {v: counts.get(v, 0) for v in VERDICT_CLASS}
    verbs = [f"{verb} {k[v]}" for v, verb in (("supported", "support"), ("partly supported", "partly support"),
                                                ("not supported", "do not support")) if k[v]]
    parts = [f"the data {_join(verbs)}"] if verbs else []
    if k["contradicted by later data"]:
        parts.append(f"later figures contradict {k['contradicted by later data']}")
    if k["not testable with the data at hand"]:
        parts.append(f"{k['not testable with the data at hand']} cannot be tested with these data")
    return "; ".join(parts)


def lede_html(p: dict) -> str:
    """At most three sentences: the verdict tally, what the evidence is, the one caveat that matters."""
    counts = p.get("counts", {})
    first = f"Of the article's {sum(counts.values())} claims, {_tally(counts)}." if counts else ""
    datasets = [
        f"{fmt_number(d.get('notes'))} {esc(d.get('noun'))}"
        + (f" ({fmt_plain(d['core_share'], 'share')} of them from {esc(d['core'])})" if d.get("core") else "")
        for d in p.get("datasets", [])
    ]
    second = f"The evidence: {_join(datasets)}, beside published figures." if datasets else ""
    third = esc(p.get("caveat", ""))
    sentences = " ".join(s for s in (esc(first), second, third) if s)
    cls = " rn-lede--illustrative" if p.get("illustrative") else ""
    return f'<p class="rn-lede{cls}">{sentences}</p>'


def limits_html(p: dict) -> str:
    """The "what this data can and cannot tell you" box: the data's reach (from counts and
    dates), what lies outside it, and the claims no data set here can settle."""
    can = [
        f"{fmt_number(d.get('notes'))} {esc(d.get('noun'))} by {fmt_number(d.get('accounts'))} accounts, "
        f"{esc(d.get('span'))}"
        + (f" — {fmt_plain(d['core_share'], 'share')} of them from <strong>{esc(d['core'])}</strong>" if d.get("core") else "")
        for d in p.get("datasets", [])
    ] + [esc(t) for t in p.get("can", [])]
    cannot = [esc(t) for t in p.get("cannot", [])]
    untestable = p.get("untestable", [])
    if untestable:
        links = ", ".join(f'<a href="#claim-{esc(r["claim_id"])}" title="{esc(r.get("claim"))}">{esc(r["claim_id"])}</a>'
                          for r in untestable)
        cannot.append(f"Settle {len(untestable)} of the claims ({links}): each would need data no public set holds")
    lists = "".join(
        f'<div><h3>{title}</h3><ul>{"".join(f"<li>{i}</li>" for i in items)}</ul></div>'
        for title, items in (("What the data are", can), ("What they cannot tell you", cannot)) if items
    )
    return (
        '<aside class="rn-limits" aria-labelledby="rn-limits-title">'
        f'<h2 id="rn-limits-title">What this data can and cannot tell you</h2><div class="rn-limits-cols">{lists}</div></aside>'
    )


def banner_html(p: dict) -> str:
    window = " to ".join(w or "open" for w in p.get("window", ("", ""))) if any(p.get("window", ())) else "all dates"
    counts = ", ".join(f"{fmt_number(v)} {esc(k)}" for k, v in p.get("counts", {}).items())
    sources = "; ".join(
        f"{esc(s.get('title') or s.get('id'))} ({esc(s.get('licence') or 'licence not stated')})" for s in p.get("sources", [])
    )
    if p.get("illustrative"):
        reason = f'<p>Real data were not used: {esc(p["fallback_reason"])}</p>' if p.get("fallback_reason") else ""
        body = (f'<p><strong>Data: {esc(p.get("mode"))}</strong> · {counts} · window: {esc(window)}'
                + (f"<br>Sources: {sources}" if sources else "") + "</p>")
        return (
            '<div class="rn-banner rn-banner--illustrative" role="note">'
            "<p class=\"rn-banner-title\">ILLUSTRATIVE — synthetic sample, not evidence</p>"
            f"{reason}{body}</div>"
        )
    # Real data: one quiet line (the header lists the sources and licences once).
    return (f'<p class="rn-banner" role="note"><strong>Data: {esc(p.get("mode"))}</strong> · {counts} · '
            f'window: {esc(window)}</p>')


#: Tables longer than this fold under their caption (the Methods appendix), open in print.
FOLD_ROWS = 6


def table_html(p: dict) -> str:
    """A small table; numeric columns right-aligned, long-text columns given room to read."""
    columns, rows = p.get("columns", []), p.get("rows", [])
    numeric = [bool(rows) and all(re.fullmatch(r"[-−+]?[\d,.]+%?|–|", str(row[i])) for row in rows)
               for i in range(len(columns))]
    wide = [any(len(str(row[i])) > 40 for row in rows) for i in range(len(columns))]

    def cls(i: int) -> str:
        return ' class="rn-num"' if numeric[i] else (' class="rn-long"' if wide[i] else "")

    head = "".join(f'<th scope="col"{cls(i)}>{esc(c)}</th>' for i, c in enumerate(columns))
    body = "".join("<tr>" + "".join(f"<td{cls(i)}>{esc(v)}</td>" for i, v in enumerate(row)) + "</tr>" for row in rows)
    table = (
        # Focusable and named: a table wider than a phone scrolls inside its box, by keyboard too.
        f'<div class="rn-table-wrap" tabindex="0" role="region" aria-label="{esc(p.get("caption"))}">'
        f'<table class="rn-table"><caption>{esc(p.get("caption"))}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )
    if len(rows) <= FOLD_ROWS:
        return table
    return (f'<details class="rn-table-fold"><summary>{esc(p.get("caption"))} '
            f'<span class="rn-muted">({len(rows)} rows)</span></summary>{table}</details>')


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
    MIME_LEDE: lede_html,
    MIME_LIMITS: limits_html,
}


def render_block(payload: dict, mimetype: str) -> str:
    """HTML for one display bundle's custom payload (used by the report template)."""
    renderer = _RENDERERS.get(mimetype)
    if renderer is None:
        raise ValueError(f"no renderer for {mimetype!r}; known: {', '.join(MIMETYPES)}")
    return renderer(payload)
