"""The report's specification (report.toml): title page, sections in order, and the
hooks that do the data-specific steps. Publishing is generic: it runs what is listed."""

from __future__ import annotations

import importlib
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analysis.publish.errors import BuildError
from analysis.publish.exporter import Section

#: Title-page facts report.toml may set; all strings.
PAGE_FACTS = ("title", "subtitle", "author", "url", "contact")
HOOKS = ("inputs", "prepare", "collect")


@dataclass(frozen=True)
class ReportSpec:
    path: Path
    page: dict[str, str]  # title, subtitle, author, url, contact
    sections: tuple[Section, ...]
    hooks: dict[str, str] = field(default_factory=dict)  # hook name → "module:function"
    common_inputs: tuple[str, ...] = ()
    build_record_section: str = ""

    def hook(self, name: str) -> Callable | None:
        """The function report.toml names for ``name``, or None when it names none."""
        target = self.hooks.get(name)
        if not target:
            return None
        module, _, func = target.partition(":")
        try:
            return getattr(importlib.import_module(module), func)
        except (ImportError, AttributeError) as exc:
            raise BuildError(f"{self.path}: {name} = {target!r} cannot be loaded ({exc})") from None


def _strings(raw: dict, where: str, keys) -> dict[str, str]:
    out = {}
    for key in keys:
        value = raw.get(key, "")
        if not isinstance(value, str):
            raise BuildError(f"{where}: {key} must be a string, not {value!r}")
        out[key] = value
    return out


def load_spec(path: Path) -> ReportSpec:
    """Read and check report.toml; every problem is a BuildError naming the file and the key."""
    try:
        with Path(path).open("rb") as fh:
            raw = tomllib.load(fh)
    except FileNotFoundError:
        raise BuildError(f"{path}: no report specification here (report.toml lists the report's sections)") from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise BuildError(f"{path}: cannot read the report specification ({exc})") from None
    report = raw.get("report", {})
    page = _strings(report, f"{path} [report]", PAGE_FACTS)
    hooks = _strings(report, f"{path} [report]", HOOKS)
    for name, target in hooks.items():
        if target and ":" not in target:
            raise BuildError(f"{path} [report]: {name} = {target!r}; write it as 'package.module:function'")
    notebooks = (path.parent / report.get("notebooks_dir", "notebooks")).resolve()
    sections, seen, notebook_names = [], set(), set()
    for i, entry in enumerate(raw.get("sections", []), start=1):
        where = f"{path} [[sections]] #{i}"
        missing = [k for k in ("id", "title", "notebook") if not entry.get(k)]
        if missing:
            raise BuildError(f"{where}: lacks {', '.join(missing)}")
        if entry["id"] in seen:
            raise BuildError(f"{where}: id {entry['id']!r} is used twice")
        if entry["notebook"] in notebook_names:
            raise BuildError(f"{where}: notebook {entry['notebook']!r} is listed twice")
        seen.add(entry["id"])
        notebook_names.add(entry["notebook"])
        inputs, params = entry.get("inputs", []), entry.get("parameters", {})
        if not (isinstance(inputs, list) and all(isinstance(x, str) for x in inputs)):
            raise BuildError(f"{where}: inputs must be a list of names, not {inputs!r}")
        if not isinstance(params, dict):
            raise BuildError(f"{where}: parameters must be a table, not {params!r}")
        folded = entry.get("folded", "")
        if not isinstance(folded, str):
            raise BuildError(f"{where}: folded must be the one-line summary shown while folded, not {folded!r}")
        sections.append(Section(entry["id"], entry["title"], notebooks / entry["notebook"],
                                inputs=tuple(inputs), parameters=tuple(sorted(params.items())), folded=folded))
    if not sections:
        raise BuildError(f"{path}: lists no [[sections]]")
    record_section = report.get("build_record_section", sections[-1].id)
    if record_section not in seen:
        raise BuildError(f"{path} [report]: build_record_section {record_section!r} is not a section id")
    return ReportSpec(path=Path(path), page=page, sections=tuple(sections), hooks={k: v for k, v in hooks.items() if v},
                      common_inputs=tuple(report.get("common_inputs", [])), build_record_section=record_section)


def fixture_spec(sections: list[Section], path: Path = Path("<fixture>"), **page: str) -> ReportSpec:
    """A spec without hooks, for notebooks that load nothing (tests, demos)."""
    return ReportSpec(path=path, page={k: page.get(k, "") for k in PAGE_FACTS}, sections=tuple(sections),
                      build_record_section=sections[-1].id if sections else "")
