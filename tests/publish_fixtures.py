"""Fixture reports for the build tests: echo notebooks that each show one input file."""

from __future__ import annotations

import sys
from pathlib import Path

from analysis.config import Settings
from analysis.publish.exporter import Section
from analysis.publish.spec import ReportSpec

FIXTURES = Path(__file__).parent / "fixtures"
ECHO = FIXTURES / "notebooks" / "echo.ipynb"
HOOKS = "fixture_hooks:inputs"


def echo_notebook(folder: Path, sid: str) -> Path:
    """A copy of the echo notebook per section (a report lists each notebook once)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"echo_{sid}.ipynb"
    if not path.exists():
        path.write_bytes(ECHO.read_bytes())
    return path


def echo_section(folder: Path, sid: str, input_name: str, seconds: float = 0) -> Section:
    return Section(sid, sid.upper(), echo_notebook(folder, sid), inputs=(input_name,),
                   parameters=tuple(sorted({"input_name": input_name, "seconds": seconds}.items())))


def echo_spec(*sections: Section) -> ReportSpec:
    if str(FIXTURES) not in sys.path:
        sys.path.insert(0, str(FIXTURES))  # so importlib finds fixture_hooks
    return ReportSpec(path=Path("fixture-report.toml"), page={"title": "Fixture"}, sections=sections,
                      hooks={"inputs": HOOKS}, build_record_section=sections[-1].id)


def data_folder(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "data"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name.replace("_", ".")).write_text(text, encoding="utf-8")
    return folder


def settings(tmp_path: Path, data: Path, **options) -> Settings:
    return Settings.create(reports_dir=tmp_path / "reports", user_data=data, show_progress=False, jobs=2, **options)


def spec_toml(tmp_path: Path, *sections: tuple[str, str, float]) -> Path:
    """report.toml for the command line: (id, input file, seconds) per echo section."""
    lines = ['[report]\ntitle = "Fixture"\ninputs = "fixture_hooks:inputs"\nnotebooks_dir = "notebooks"\n']
    for sid, name, seconds in sections:
        notebook = echo_notebook(tmp_path / "notebooks", sid)
        lines.append(f'[[sections]]\nid = "{sid}"\ntitle = "{sid.upper()}"\nnotebook = "{notebook.name}"\n'
                     f'inputs = ["{name}"]\nparameters = {{input_name = "{name}", seconds = {seconds}}}\n')
    path = tmp_path / "report.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
