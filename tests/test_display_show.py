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
