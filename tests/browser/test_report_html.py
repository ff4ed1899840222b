"""The real-data report as a file: sections in order, no code, self-contained, lean, traceable."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup

from analysis import config

pytestmark = pytest.mark.slow

SECTION_ORDER = ["summary", "tech", "culture", "politics", "commerce", "explore", "methods"]
MAX_BYTES = 3_000_000


@pytest.fixture(scope="module")
def soup(real_report):
    return BeautifulSoup(real_report.html.read_text(encoding="utf-8"), "html.parser")


def test__report__the_sections_in_the_articles_order(soup):
    assert [s["id"] for s in soup.select("main section.rn-section")] == SECTION_ORDER
    assert [a["href"] for a in soup.select("nav.rn-toc > ol > li > a")] == [f"#{s}" for s in SECTION_ORDER]


def test__report__shows_no_code_and_no_prompts(soup, real_report):
    html = real_report.html.read_text(encoding="utf-8")
    assert soup.select(".jp-InputArea-editor, .jp-InputPrompt, .jp-OutputPrompt") == []
    assert "In&nbsp;[" not in html and "Out[" not in html
    assert "load_bundle(" not in html  # the notebooks' code never reaches readers


def test__report__loads_nothing_from_other_hosts(soup, real_report):
    external = [
        f"<{tag.name} {attr}={tag[attr]}>"
        for tag in soup.find_all(["script", "link", "img", "iframe", "source", "video", "audio"])
        for attr in ("src", "href")
        if tag.has_attr(attr) and not tag[attr].startswith(("data:", "#"))
    ]
    assert external == []
    html = real_report.html.read_text(encoding="utf-8").lower()
    assert "require.js" not in html and "mathjax" not in html and "@import" not in html


def test__report__inlines_the_vega_runtime_once(soup):
    modules = [s for s in soup.find_all("script") if s.get("type") == "module"]
    assert sum("window.vegaEmbed=" in (s.string or "") for s in modules) == 1


def test__report__is_lean(real_report):
    assert real_report.html.stat().st_size < MAX_BYTES


def test__report__has_charts_each_with_alt_text_source_n_and_download(soup):
    figures = soup.select("figure.rn-figure")
    assert figures, "the report has no charts: notebooks must display figures with analysis.display.show.show"
    for fig in figures:
        fid = fig["id"]
        chart = fig.select_one(".rn-chart")
        assert chart.get("aria-label"), f"{fid}: no text alternative"
        meta = fig.select_one(".rn-meta").get_text()
        assert re.search(r"n = [\d,]+", meta) and "Source:" in meta, f"{fid}: n or source missing ({meta!r})"
        link = fig.select_one(".rn-download a")
        assert link["href"].startswith("data:text/csv;charset=utf-8,") and link["download"].endswith(".csv")


def test__report__methods_section_carries_the_build_record(soup, real_report):
    record = soup.select_one("section#methods #build-record")
    assert record is not None
    text = record.get_text(" ")
    build = json.loads((real_report.html.parent / "build.json").read_text(encoding="utf-8"))
    assert build["git_rev"] in text and build["built_at"] in text
    assert "data_mode = real" in text
    # Every data file's checksum from the mirror's SHA256SUMS is shown and recorded.
    sums = (config.mirror_dir() / "SHA256SUMS").read_text(encoding="utf-8")
    posts = next(line.split()[0] for line in sums.splitlines() if line.strip().endswith("posts.csv"))
    assert posts in text
    assert posts in {i["sha256"] for i in build["inputs"]}


def test__build__record_and_notebooks_beside_the_report(real_report):
    folder = real_report.html.parent
    build = json.loads((folder / "build.json").read_text(encoding="utf-8"))
    assert build["outcome"] == "ok"
    assert build["data_mode"] == "real"
    assert build["counts"]["notes"] > 0
    assert set(build["versions"]) >= {"python", "polars", "altair", "nbconvert", "papermill"}
    assert sorted(p.name for p in (folder / "notebooks").glob("*.ipynb")) == [
        "00_summary.ipynb", "01_tech.ipynb", "02_culture.ipynb", "03_politics.ipynb", "04_commerce.ipynb",
        "05_explore.ipynb", "06_methods.ipynb",
    ]


def test__build__says_which_data_mode_ran(real_report):
    assert "Data mode: real" in real_report.output
    assert "Report (real data):" in real_report.output
