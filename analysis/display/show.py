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
from collections.abc import Sequence
from datetime import date
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


def show_ledger(ledger: pl.DataFrame, theme: str | None = None, claim: str | Sequence[str] | None = None) -> None:
    """The claims ledger, once in full (the Summary), elsewhere as one line per claim.

    ``show_ledger(ledger)`` shows the full ledger (rows anchored #claim-T3, working folded
    under each row). ``show_ledger(ledger, claim="T3")``, ``claim=["T1", "P1"]``,
    ``theme="Tech"`` or an already filtered ledger show compact verdict lines that link to
    the full ledger's rows, so no row is printed twice.
    """
    if claim is not None:
        wanted = [claim] if isinstance(claim, str) else list(claim)
        unknown = sorted(set(wanted) - set(ledger["claim_id"].to_list())) if "claim_id" in ledger.columns else wanted
        if unknown:
            raise ValueError(f"show_ledger: no ledger row for claim {', '.join(unknown)}")
        ledger = ledger.filter(pl.col("claim_id").is_in(wanted))
    rows = _ledger_rows(ledger, theme)
    from analysis.claims.evidence import CLAIMS

    complete = theme is None and claim is None and {r["claim_id"] for r in rows} >= set(CLAIMS)
    payload = {"theme": theme or "", "anchors": complete, "compact": not complete, "rows": rows}
    text = "\n".join(f"{r['claim_id']}: {r['verdict']}" for r in payload["rows"])
    _emit(render.MIME_LEDGER, payload, render.ledger_html(payload), text)


def show_key_findings(ledger: pl.DataFrame) -> None:
    """Key findings: the claims the data decide (supported, not supported, contradicted),
    each in plain words with its verdict and links; the others counted, pointing to the ledger."""
    rows = _ledger_rows(ledger, None)
    decisive = [r for r in rows if r["verdict"] in render.DECISIVE]
    others = render.verdict_counts([r for r in rows if r["verdict"] not in render.DECISIVE])
    payload = {"rows": decisive, "counts": render.verdict_counts(rows), "others": others}
    text = "\n".join(f"{r['claim_id']} {r['verdict']}: {render.plain_finding(r)}" for r in decisive)
    _emit(render.MIME_FINDINGS, payload, render.findings_html(payload), text)


#: How the lede and the limits box name each public data set's rows.
NOUNS = {
    "tiktokrefugee-posts": "#TikTokRefugee posts",
    "mediacrawler-creators": "notes of US-based Chinese-speaking lifestyle creators",
}
#: Share of a data set's notes whose densest run of days the lede and limits box name,
#: when that run is short (at most CORE_MAX_FRACTION of the data set's span).
CORE_SHARE = 0.5
CORE_MAX_FRACTION = 0.1


def _day_range(first: date, last: date) -> str:
    if first == last:
        return f"{first.day} {first:%b %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {last:%b %Y}"
    if first.year == last.year:
        return f"{first.day} {first:%b} – {last.day} {last:%b %Y}"
    return f"{first.day} {first:%b %Y} – {last.day} {last:%b %Y}"


def data_reach(notes: pl.DataFrame, core: float = CORE_SHARE) -> pl.DataFrame:
    """Per data set: notes, accounts, first and last day (UTC), and the shortest run of days
    holding at least ``core`` of its notes (``core_first``…``core_last``, ``core_share``).

    The run is found for every start day at once: the first day whose running count reaches
    the count before the start plus ``core`` of the total (an as-of join), then the shortest.
    """
    dated = notes.filter(pl.col("published_at").is_not_null())
    daily = (
        dated.group_by("dataset", pl.col("published_at").dt.date().alias("day")).len()
        .sort("dataset", "day")
        .with_columns(cum=pl.col("len").cum_sum().over("dataset"), total=pl.col("len").sum().over("dataset"))
        .with_columns(need=pl.col("cum") - pl.col("len") + (pl.col("total") * core).ceil().cast(pl.UInt32))
    )
    ends = daily.select("dataset", pl.col("day").alias("core_last"), pl.col("cum").alias("end_cum"))
    runs = (
        daily.sort("need")
        .join_asof(ends.sort("end_cum"), left_on="need", right_on="end_cum", by="dataset", strategy="forward",
                   check_sortedness=False)  # sorted by need overall, so within each data set too
        .filter(pl.col("core_last").is_not_null())
        .with_columns(core_share=(pl.col("end_cum") - pl.col("cum") + pl.col("len")) / pl.col("total"),
                      days=pl.col("core_last") - pl.col("day"))
        .sort("dataset", "days", "day")
        .group_by("dataset", maintain_order=True).first()
        .select("dataset", pl.col("day").alias("core_first"), "core_last", "core_share")
    )
    totals = dated.group_by("dataset").agg(
        notes=pl.len(), accounts=pl.col("account_id").n_unique(),
        first=pl.col("published_at").min().dt.date(), last=pl.col("published_at").max().dt.date(),
    )
    return totals.join(runs, on="dataset", how="left", validate="1:1").sort("dataset")


def _reach_rows(reach: pl.DataFrame) -> list[dict]:
    """data_reach rows as the lede and limits box print them."""
    out = []
    order = list(NOUNS)
    for d in sorted(reach.to_dicts(), key=lambda d: (order.index(d["dataset"]) if d["dataset"] in order else len(order))):
        core = ""
        # Only a run that is short against the whole span says something ("mostly 12–14 Jan").
        span_days = (d["last"] - d["first"]).days + 1
        if d.get("core_first") and (d["core_last"] - d["core_first"]).days + 1 <= CORE_MAX_FRACTION * span_days:
            core = _day_range(d["core_first"], d["core_last"])
        out.append({
            "dataset": d["dataset"], "noun": NOUNS.get(d["dataset"], f"notes ({d['dataset']})"),
            "notes": d["notes"], "accounts": d["accounts"], "span": _day_range(d["first"], d["last"]),
            "core": core, "core_share": d.get("core_share") if core else None,
        })
    return out


def show_lede(ledger: pl.DataFrame, reach: pl.DataFrame, illustrative: bool = False) -> None:
    """The report's opening: at most three sentences — the verdict tally, what the evidence
    is (from ``data_reach``), and the caveat that matters most."""
    rows = _ledger_rows(ledger, None)
    caveat = (
        "These are synthetic sample data: every number illustrates the report and none is evidence."
        if illustrative else
        "Neither data set is a random sample of RedNote users, so the verdicts speak for these posts "
        "and creators, not for the platform."
    )
    payload = {"counts": render.verdict_counts(rows), "datasets": _reach_rows(reach), "caveat": caveat,
               "illustrative": illustrative}
    html_view = render.lede_html(payload)
    _emit(render.MIME_LEDE, payload, html_view, re.sub(r"<[^>]+>", "", html_view))


def show_limits(ledger: pl.DataFrame, reach: pl.DataFrame, can: Sequence[str] = (), cannot: Sequence[str] = ()) -> None:
    """The "what this data can and cannot tell you" box: each data set's reach (counts, dates,
    the days most notes come from), the author's ``can`` / ``cannot`` sentences, and the
    claims the ledger marks not testable."""
    rows = _ledger_rows(ledger, None)
    untestable = [{"claim_id": r["claim_id"], "claim": r["claim"]} for r in rows
                  if r["verdict"] == "not testable with the data at hand"]
    payload = {"datasets": _reach_rows(reach), "can": list(can), "cannot": list(cannot), "untestable": untestable}
    html_view = render.limits_html(payload)
    _emit(render.MIME_LIMITS, payload, html_view, re.sub(r"<[^>]+>", "", html_view))


def banner(bundle) -> None:
    """Which data this section analyses; for the sample, a visible 'illustrative' banner.
    ``bundle``: a Bundle or its DataFacts (mode, window, counts, sources)."""
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
        "counts": {t: bundle.counts[t] for t in ("notes", "creators", "comments")},
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
