"""Executed notebooks → one self-contained HTML report.

The notebooks are merged into one notebook (each cell tagged with its section), cleaned
of anything that would fetch from another host, and exported with the project's
nbconvert template (config.TEMPLATE_DIR, based on ``lab``): inputs and prompts hidden,
the Vega runtime inlined once, a TOC built from the sections and their figures.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbconvert.exporters import HTMLExporter
from traitlets.config import Config

from analysis import config
from analysis.display import render
from analysis.publish.errors import BuildError

_HIDDEN_TAGS = {"parameters", "injected-parameters"}
_DROPPED_NOTICE = (
    "(An output that would load scripts from the internet was left out of the report; "
    "display charts with analysis.display.show.show.)"
)


@dataclass(frozen=True)
class Section:
    id: str  # anchor, e.g. "tech"
    title: str  # TOC label, e.g. "Tech"
    notebook: Path
    inputs: tuple[str, ...] = ()  # names of the inputs it reads (report.toml)
    parameters: tuple[tuple[str, object], ...] = ()  # extra papermill parameters, sorted
    folded: str = ""  # if set, the section opens folded behind this one-line summary (its charts draw when opened)


@functools.lru_cache(maxsize=1)
def vega_runtime() -> str:
    """Vega + Vega-Lite + vega-embed as one script, for the Vega-Lite version altair emits."""
    import altair as alt
    import vl_convert

    major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    js = vl_convert.javascript_bundle(vl_version=f"v{major_minor}")
    if "</script" in js.lower():
        # Inlined verbatim: such a string would end the script element early.
        raise BuildError("the Vega runtime from vl-convert contains '</script'; it cannot be inlined safely")
    return js


class ReportExporter(HTMLExporter):
    """HTML exporter with the project's template and the rednote mimetypes first."""

    @property
    def default_config(self) -> Config:
        c = super().default_config
        priority = list(c.NbConvertBase.display_data_priority)
        c.NbConvertBase.display_data_priority = [*render.MIMETYPES, *priority]
        return c

    def default_filters(self):
        yield from super().default_filters()
        yield ("rednote_render", render.render_block)


def make_exporter() -> ReportExporter:
    exporter = ReportExporter(
        extra_template_basedirs=[str(config.TEMPLATE_DIR.parent)],
        template_name=config.TEMPLATE_DIR.name,
    )
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    return exporter


def _clean_output(output: dict) -> dict | None:
    """The output as the report shows it, or None to drop it.

    stderr (warnings, progress) stays in the executed notebooks but not in the report;
    HTML or JavaScript that runs scripts (e.g. an altair chart displayed directly) would
    fetch its runtime from a CDN, so it is replaced by a notice.
    """
    kind = output.get("output_type")
    if kind == "stream":
        return None if output.get("name") == "stderr" else output
    if kind not in ("display_data", "execute_result"):
        return output
    data = output.get("data", {})
    ours = [m for m in render.MIMETYPES if m in data]
    if ours:
        out = copy.deepcopy(output)
        out["data"] = {ours[0]: data[ours[0]]}
        return out
    scripted = "application/javascript" in data or "<script" in str(data.get("text/html", "")).lower()
    if scripted or any(m.startswith(("application/vnd.vega", "application/vnd.jupyter.widget")) for m in data):
        return nbformat.v4.new_output("display_data", data={"text/plain": _DROPPED_NOTICE})
    return output


def merge(executed: Sequence[tuple[Section, Path]], build_record_section: str = "") -> tuple[dict, list[dict]]:
    """One notebook from many, each cell knowing its section; plus the TOC entries."""
    merged = None
    toc: list[dict] = []
    seen_figures: dict[str, str] = {}
    for section, path in executed:
        nb = nbformat.read(path, as_version=4)
        if merged is None:
            merged = nbformat.v4.new_notebook(metadata=copy.deepcopy(nb.metadata))
        cells = [c for c in nb.cells if not _HIDDEN_TAGS & set(c.metadata.get("tags", []))]
        if not cells:
            cells = [nbformat.v4.new_markdown_cell(f"# {section.title}")]
        figures = []
        for source_cell in cells:
            cell = copy.deepcopy(source_cell)
            cell["id"] = f"{section.id}-{cell.get('id', '')}"[:64]
            cell.metadata["rednote"] = {}
            if cell.cell_type == "code":
                cell["outputs"] = [o for o in map(_clean_output, cell.get("outputs", [])) if o is not None]
                for out in cell["outputs"]:
                    fig = out.get("data", {}).get(render.MIME_FIGURE)
                    if fig:
                        if fig["id"] in seen_figures:
                            raise BuildError(
                                f"figure id {fig['id']!r} is used twice ({seen_figures[fig['id']]} and {path.name}); "
                                "give each Figure a unique id so its anchor and download are unambiguous"
                            )
                        seen_figures[fig["id"]] = path.name
                        figures.append({"id": fig["id"], "title": fig.get("title", "")})
            merged.cells.append(cell)
        first, last = merged.cells[-len(cells)], merged.cells[-1]
        first.metadata["rednote"]["section_start"] = {"id": section.id, "title": section.title,
                                                      "folded": section.folded}
        last.metadata["rednote"]["section_end"] = True
        last.metadata["rednote"]["section_folded"] = bool(section.folded)
        if section.id == build_record_section:
            last.metadata["rednote"]["build_record"] = True
        toc.append({"id": section.id, "title": section.title, "figures": figures})
    if merged is None:
        raise BuildError("no notebooks to export")
    return merged, toc


def build_record_html(record: dict) -> str:
    """The build facts shown at the end of the methods section."""
    esc = render.esc
    params = ", ".join(f"{esc(k)} = {esc(v if v != '' else '(default)')}" for k, v in record.get("parameters", {}).items())
    inputs = "".join(
        f"<li><code>{esc(i.get('path'))}</code> sha256 <code>{esc(i.get('sha256'))}</code></li>"
        for i in record.get("inputs", [])
    )
    versions = ", ".join(f"{esc(k)} {esc(v)}" for k, v in record.get("versions", {}).items())
    counts = ", ".join(f"{esc(k)}: {render.fmt_number(v)}" for k, v in record.get("counts", {}).items())
    return (
        '<div class="rn-build" id="build-record"><h2>Build record</h2><dl>'
        f"<dt>Built (UTC)</dt><dd>{esc(record.get('built_at'))}</dd>"
        f"<dt>Git revision</dt><dd><code>{esc(record.get('git_rev'))}</code></dd>"
        f"<dt>Data mode</dt><dd>{esc(record.get('data_mode'))}</dd>"
        f"<dt>Parameters</dt><dd>{params}</dd>"
        f"<dt>Counts</dt><dd>{counts}</dd>"
        f"<dt>Versions</dt><dd>{versions}</dd>"
        "</dl><details><summary>Input checksums (sha256)</summary>"
        f"<ul>{inputs}</ul></details></div>"
    )


def export_report(executed: Sequence[tuple[Section, Path]], facts: dict, record: dict,
                  build_record_section: str = "") -> tuple[str, list[dict]]:
    """The report's HTML and its TOC (sections with their figures).

    facts: title, subtitle, built_at, git_rev, version, mode_label, illustrative,
        fallback_reason, sources (list of dicts: title, licence, citation, url).
    record: the build record shown in the methods section (see ``build_record_html``).
    """
    nb, toc = merge(executed, build_record_section)
    rn = {
        **facts,
        "sections": toc,
        "css": (config.TEMPLATE_DIR / "report.css").read_text(encoding="utf-8"),
        "embed_js": (config.TEMPLATE_DIR / "embed.js").read_text(encoding="utf-8"),
        "toc_js": (config.TEMPLATE_DIR / "toc.js").read_text(encoding="utf-8"),
        "runtime": vega_runtime(),
        "build_record_html": build_record_html(record),
    }
    body, _ = make_exporter().from_notebook_node(nb, resources={"rednote": rn})
    return body, toc
