"""Built reports (each built once per session) and a headless Chromium to open them in.

``real_report``: the CLI's build on the real data sets (mirror: ../shared/data or
REDNOTE_DATA_MIRROR) into a temporary reports folder via REDNOTE_REPORTS_DIR — the
report readers get. ``fixture_report``: tests/fixtures/notebooks, whose titles and data
carry HTML that must stay inert. Chromium is Debian's (``make browser`` installs it);
if it cannot be launched the tests fail, never skip.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from analysis import config

CHROMIUM = Path(os.environ.get("REDNOTE_CHROMIUM", "/usr/bin/chromium"))
# The flags that keep Debian's Chromium quiet and offline in a sandbox run as root.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notebooks"


@dataclass(frozen=True)
class BuiltReport:
    html: Path
    seconds: float
    output: str  # what the command printed (stdout + stderr)


@pytest.fixture(scope="session")
def real_report(tmp_path_factory) -> BuiltReport:
    # To iterate on the page without rebuilding: REDNOTE_BROWSER_REPORT=/path/latest/report.html
    # (a report already built from the real data; CI leaves it unset and builds).
    prebuilt = os.environ.get("REDNOTE_BROWSER_REPORT")
    if prebuilt:
        assert Path(prebuilt).is_file(), f"REDNOTE_BROWSER_REPORT={prebuilt} is not a file"
        return BuiltReport(Path(prebuilt), 0.0, "Data mode: real\nReport (real data): (prebuilt)")
    reports = tmp_path_factory.mktemp("reports")
    mirror = config.mirror_dir()
    assert mirror is not None and mirror.is_dir(), (
        "the real data mirror is missing: set REDNOTE_DATA_MIRROR to a copy of the public data sets"
    )
    env = {**os.environ, "REDNOTE_REPORTS_DIR": str(reports), "REDNOTE_DATA_MIRROR": str(mirror)}
    exe = Path(sys.executable).with_name("rednote-report")
    start = time.perf_counter()
    proc = subprocess.run([str(exe), "build", "--data-mode", "real", "--no-progress"], env=env,
                          capture_output=True, text=True, check=False, timeout=3600)
    seconds = time.perf_counter() - start
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"the real-data build failed (exit {proc.returncode}):\n{output[-3000:]}"
    return BuiltReport(reports / "latest" / "report.html", seconds, output)


@pytest.fixture(scope="session")
def fixture_report(tmp_path_factory) -> BuiltReport:
    from analysis.config import Settings
    from analysis.publish.build import build
    from analysis.publish.exporter import Section
    from analysis.publish.spec import fixture_spec

    reports = tmp_path_factory.mktemp("fixture-reports")
    sections = [Section("summary", "Summary", FIXTURES / "summary.ipynb"), Section("tech", "Tech", FIXTURES / "chart.ipynb")]
    start = time.perf_counter()
    settings = Settings.create(reports_dir=reports, show_progress=False)
    result = build(settings, fixture_spec(sections, title="Fixture"), say=lambda _: None)
    return BuiltReport(result.report, time.perf_counter() - start, "")


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import Error, sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make browser` (apt-get install chromium)", pytrace=False)
    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        except Error as exc:
            pytest.fail(f"Chromium at {CHROMIUM} could not be launched: {exc}", pytrace=False)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@dataclass
class OpenedReport:
    page: object  # playwright Page
    console_errors: list
    outside_requests: list
    dialogs: list
    load_seconds: float


LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
CHARTS_DONE = "document.documentElement.dataset.chartsDone === 'true'"
CHARTS_PENDING_NONE = "['0', undefined].includes(document.documentElement.dataset.chartsPending)"


@pytest.fixture
def open_report(chromium):
    """Open a report file with the network blocked; every outside request is aborted and counted."""
    contexts = []

    def _open(html: Path, unfold: bool = True, **context_options) -> OpenedReport:
        context = chromium.new_context(**context_options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(120_000)  # a loaded 2-core CI machine draws a long page slowly
        opened = OpenedReport(page, [], [], [], 0.0)
        page.on("console", lambda msg: opened.console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: opened.console_errors.append(str(exc)))
        page.on("dialog", lambda dialog: (opened.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("request", lambda req: None if req.url.startswith(LOCAL_SCHEMES) else opened.outside_requests.append(req.url))

        def block(route):
            if route.request.url.startswith(LOCAL_SCHEMES):
                route.continue_()
            else:
                route.abort()

        context.route("**/*", block)
        start = time.perf_counter()
        page.goto(html.as_uri())
        # Charts draw asynchronously: wait for the embed script's own "done" flag.
        page.wait_for_function(CHARTS_DONE, timeout=60_000)
        if unfold:  # folded sections draw their charts when opened: open them so every chart is checked
            page.evaluate("() => document.querySelectorAll('details.rn-section-fold').forEach(d => d.open = true)")
            page.wait_for_function(CHARTS_PENDING_NONE, timeout=120_000)
        opened.load_seconds = time.perf_counter() - start
        return opened

    yield _open
    for context in contexts:
        context.close()
