"""analysis.display.show: the bundles notebooks emit."""

from __future__ import annotations

from dataclasses import replace

import altair as alt
import polars as pl
import pytest

from analysis.claims.evidence import LEDGER_SCHEMA
from analysis.display import render
from analysis.display import show as display
from analysis.figures.base import Figure
from analysis.io.bundle import Bundle, empty_tables


@pytest.fixture
def emitted(monkeypatch):
    """Every bundle a helper displays, instead of an IPython display."""
    seen: list[dict] = []
    monkeypatch.setattr(display, "_emit", lambda mime, payload, html, text: seen.append(
        {"mime": mime, "payload": payload, "html": html, "text": text}))
    display._SOURCES.clear()
    display._ILLUSTRATIVE["on"] = False
    return seen


def _bundle(mode="real", reason="") -> Bundle:
    tables = empty_tables()
    sources = pl.DataFrame({"dataset": ["tiktokrefugee-posts", "clickbait-en"], "title": ["Posts", "Clickbait"],
                            "licence": ["CC BY-NC 4.0", "MIT"]})
    return Bundle(mode=mode, notes=tables["notes"], creators=tables["creators"], media_kits=tables["media_kits"],
                  comments=tables["comments"], headlines=tables["headlines"], quarantine=tables["quarantine"],
                  load_log=pl.DataFrame(), sources=sources, fallback_reason=reason)


def _figure(**over) -> Figure:
    data = pl.DataFrame({"week": ["W1", "W2"], "share": [0.1, 0.2], "tags": [["a", "b"], ["c"]]})
    chart = alt.Chart(data.drop("tags")).mark_bar().encode(x="week:N", y="share:Q")
    base = dict(id="ads-week", title="Ads rose", chart=chart, data=data, alt_text="Two bars", n=50, n_unit="notes",
                source="tiktokrefugee-posts", claims=("T3",))
    return Figure(**{**base, **over})


def test__figure_payload__spec_fits_container_and_csv_is_flat(emitted):
    payload = display.figure_payload(_figure())
    assert payload["spec"]["width"] == "container"
    assert payload["spec"]["description"] == "Two bars"
    assert payload["csv"] == "week,share,tags\nW1,0.1,a; b\nW2,0.2,c\n"
    assert payload["rows"] == 2
    assert payload["claims"] == ["T3"]


def test__figure_payload__keeps_an_explicit_width(emitted):
    fig = _figure(chart=alt.Chart(pl.DataFrame({"a": [1]})).mark_point().encode(x="a:Q").properties(width=200))
    assert display.figure_payload(fig)["spec"]["width"] == 200


def test__show__licence_comes_from_the_banner_sources(emitted):
    display.banner(_bundle())
    display.show(_figure())
    fig = emitted[-1]
    assert fig["mime"] == render.MIME_FIGURE
    assert fig["payload"]["licence"] == "CC BY-NC 4.0 (tiktokrefugee-posts)"
    assert fig["payload"]["illustrative"] is False
    assert "rn-spec" not in fig["html"]  # JupyterLab gets altair's HTML, not the report placeholder


def test__show__figures_after_a_sample_banner_are_illustrative(emitted):
    display.banner(_bundle(mode="sample", reason="no mirror found; set --mirror"))
    display.show(_figure())
    assert emitted[0]["payload"]["illustrative"] is True
    assert emitted[0]["payload"]["fallback_reason"] == "no mirror found; set --mirror"
    assert "ILLUSTRATIVE — synthetic sample, not evidence" in emitted[0]["html"]
    assert emitted[1]["payload"]["illustrative"] is True


def test__show_ledger__filters_by_theme(emitted):
    rows = [{k: None for k in LEDGER_SCHEMA} | {"claim_id": cid, "theme": theme, "verdict": "supported"}
            for cid, theme in (("T3", "Tech"), ("C1", "Culture"))]
    display.show_ledger(pl.DataFrame(rows, schema=LEDGER_SCHEMA), theme="Culture")
    assert [r["claim_id"] for r in emitted[0]["payload"]["rows"]] == ["C1"]
    assert emitted[0]["payload"]["theme"] == "Culture"


def test__show_ledger__rejects_a_frame_that_is_not_a_ledger(emitted):
    with pytest.raises(ValueError, match=r"lacks columns \['theme'"):
        display.show_ledger(pl.DataFrame({"claim_id": ["T3"]}))


def test__show_key_findings__counts_verdicts(emitted):
    rows = [{k: None for k in LEDGER_SCHEMA} | {"claim_id": c, "verdict": v}
            for c, v in (("T1", "supported"), ("T2", "supported"), ("T3", "not supported"))]
    display.show_key_findings(pl.DataFrame(rows, schema=LEDGER_SCHEMA))
    assert emitted[0]["payload"]["counts"] == {"supported": 2, "not supported": 1}


def test__show_table__formats_and_limits_rows(emitted):
    display.show_table(pl.DataFrame({"group": ["a", None], "share": [0.123, 0.5]}), caption="Shares")
    assert emitted[0]["payload"] == {"caption": "Shares", "columns": ["group", "share"],
                                     "rows": [["a", "0.123"], ["", "0.5"]]}
    with pytest.raises(ValueError, match="show_table got 201 rows"):
        display.show_table(pl.DataFrame({"x": range(201)}), caption="too big")


def test__finding__escapes_in_lab_view(emitted):
    display.finding("<b>bold</b>")
    assert emitted[0]["html"] == '<p class="rn-finding">&lt;b&gt;bold&lt;/b&gt;</p>'


def test__banner__window_and_counts(emitted):
    display.banner(replace(_bundle(), window=("2025-01-10", "2025-01-20")))
    assert emitted[0]["payload"]["window"] == ["2025-01-10", "2025-01-20"]
    assert emitted[0]["payload"]["counts"] == {"notes": 0, "creators": 0, "comments": 0}


def test__show_ledger__only_a_complete_ledger_anchors_rows(emitted):
    from analysis.claims.evidence import CLAIMS

    rows = [{k: None for k in LEDGER_SCHEMA} | {"claim_id": cid, "verdict": "supported"} for cid in CLAIMS]
    ledger = pl.DataFrame(rows, schema=LEDGER_SCHEMA)
    display.show_ledger(ledger)
    display.show_ledger(ledger.filter(pl.col("claim_id") == "T3"))
    assert [e["payload"]["anchors"] for e in emitted] == [True, False]
    assert 'id="claim-T3"' in emitted[0]["html"] and 'id="claim-T3"' not in emitted[1]["html"]


def _ledger(*rows: tuple[str, str]) -> pl.DataFrame:
    return pl.DataFrame([{k: None for k in LEDGER_SCHEMA} | {"claim_id": c, "claim": f"claim {c}", "verdict": v}
                         for c, v in rows], schema=LEDGER_SCHEMA)


def test__show_ledger__claim_gives_compact_lines(emitted):
    display.show_ledger(_ledger(("T3", "supported"), ("T4", "not supported")), claim="T3")
    payload = emitted[0]["payload"]
    assert payload["compact"] is True and payload["anchors"] is False
    assert [r["claim_id"] for r in payload["rows"]] == ["T3"]
    assert 'href="#claim-T3"' in emitted[0]["html"] and "<table" not in emitted[0]["html"]


def test__show_ledger__unknown_claim_is_named(emitted):
    with pytest.raises(ValueError, match="no ledger row for claim X9"):
        display.show_ledger(_ledger(("T3", "supported")), claim=["T3", "X9"])


def test__show_key_findings__lists_the_decided_claims_and_counts_the_rest(emitted):
    display.show_key_findings(_ledger(("T1", "supported"), ("T2", "partly supported"), ("T3", "not supported"),
                                      ("P3", "contradicted by later data"),
                                      ("T6", "not testable with the data at hand")))
    payload = emitted[0]["payload"]
    assert [r["claim_id"] for r in payload["rows"]] == ["T1", "T3", "P3"]
    assert payload["others"] == {"partly supported": 1, "not testable with the data at hand": 1}


def _notes(days: dict[str, list[tuple[str, str]]]) -> pl.DataFrame:
    from datetime import UTC, datetime

    rows = [{"dataset": ds, "account_id": acct, "published_at": datetime.fromisoformat(day).replace(tzinfo=UTC)}
            for ds, items in days.items() for day, acct in items]
    return pl.DataFrame(rows)


def test__data_reach__counts_span_and_the_shortest_run_holding_half():
    # A: 10 notes over 1–31 Jan; 5 of them on 13–14 Jan (3 + 2) is the shortest run holding half.
    a = ([("2025-01-01", "a1"), ("2025-01-05", "a2"), ("2025-01-20", "a1"), ("2025-01-25", "a3"), ("2025-01-31", "a1")]
         + [("2025-01-13T10:00", "a4")] * 3 + [("2025-01-14", "a5")] * 2)
    # B: 4 notes evenly over 4 days: the run holding half is 2 days.
    b = [("2025-03-01", "b1"), ("2025-03-02", "b1"), ("2025-03-03", "b1"), ("2025-03-04", "b2")]
    reach = display.data_reach(_notes({"A": a, "B": b}))
    from datetime import date

    assert reach.to_dicts() == [
        {"dataset": "A", "notes": 10, "accounts": 5, "first": date(2025, 1, 1), "last": date(2025, 1, 31),
         "core_first": date(2025, 1, 13), "core_last": date(2025, 1, 14), "core_share": 0.5},
        {"dataset": "B", "notes": 4, "accounts": 2, "first": date(2025, 3, 1), "last": date(2025, 3, 4),
         "core_first": date(2025, 3, 1), "core_last": date(2025, 3, 2), "core_share": 0.5},
    ]


def test__show_lede_and_limits__name_only_a_short_core_run(emitted):
    a = [("2025-01-01", "a1"), ("2025-03-31", "a2")] + [("2025-01-13", "a3")] * 3
    reach = display.data_reach(_notes({"tiktokrefugee-posts": a}))
    ledger = _ledger(("T1", "supported"), ("T6", "not testable with the data at hand"))
    display.show_lede(ledger, reach)
    display.show_limits(ledger, reach, cannot=["Read comments."])
    lede, limits = (e["html"] for e in emitted)
    assert [e["mime"] for e in emitted] == [render.MIME_LEDE, render.MIME_LIMITS]
    # 3 of 5 notes on 13 Jan: a 1-day run of a 90-day span is short enough to name.
    assert "5 #TikTokRefugee posts (60% of them from 13 Jan 2025)" in lede
    assert "5 #TikTokRefugee posts by 3 accounts, 1 Jan – 31 Mar 2025" in limits
    assert 'href="#claim-T6"' in limits and "Read comments." in limits
