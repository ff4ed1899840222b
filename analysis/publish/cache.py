"""Per-notebook results kept between builds, in the manner of Quarto's ``freeze``.

A section's executed notebook is reused when its key is unchanged. The key is a sha256
over: the checksums of the inputs the section declares (report.toml), the parameters it
is run with, the notebook file, the code (every file of the ``analysis`` package and the
project's lexicons, labels and reference figures), the kernel and the library versions.
The prepared data a build shares between notebooks is kept under a key of all inputs.

    <reports>/.cache/notebooks/<section>-<key>.ipynb   executed notebook
    <reports>/.cache/prepared/<key>/                    what the prepare hook wrote
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from analysis import config

CACHE = ".cache"
KEY_CHARS = 24
#: Code and project data that shape results but are not input files (data/sources.toml is
#: not here: each data set's manifest entry is part of its input checksum).
CODE_DIRS = (config.ROOT / "analysis", config.LEXICON_DIR, config.STOPWORDS_DIR, config.LABELS_DIR, config.REFERENCE_DIR)
#: Not part of the key: they run and export notebooks but compute nothing a notebook shows
#: (the export runs on every build anyway).
NOT_CODE = (config.ROOT / "analysis" / "publish", config.ROOT / "analysis" / "cli.py")


def digest(value) -> str:
    """sha256 of a JSON-able value, independent of dict order."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_digest(path: Path) -> str:
    return hashlib.file_digest(path.open("rb"), "sha256").hexdigest()


def tree_digest(roots: Iterable[Path], exclude: Iterable[Path] = ()) -> str:
    """sha256 over every file under ``roots`` (relative path and content), in path order."""
    h = hashlib.sha256()
    skip = tuple(exclude)
    for root in roots:
        if not root.exists():
            continue
        files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                       and p.suffix not in (".pyc", ".pyo") and not any(p.is_relative_to(x) for x in skip))
        for path in files:
            h.update(f"{root.name}/{path.relative_to(root).as_posix()}\0{file_digest(path)}\n".encode())
    return h.hexdigest()


def code_digest() -> str:
    return tree_digest(CODE_DIRS, NOT_CODE)


class ResultCache:
    """Executed notebooks and prepared data of earlier builds of one reports folder."""

    def __init__(self, reports: Path) -> None:
        self.root = reports / CACHE

    def notebook(self, section_id: str, key: str) -> Path:
        return self.root / "notebooks" / f"{section_id}-{key[:KEY_CHARS]}.ipynb"

    def has_notebook(self, section_id: str, key: str) -> bool:
        return self.notebook(section_id, key).is_file()

    def put_notebook(self, section_id: str, key: str, executed: Path) -> None:
        dest = self.notebook(section_id, key)
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.tmp-{os.getpid()}")
        shutil.copyfile(executed, tmp)
        tmp.replace(dest)  # a killed build never leaves half a notebook under a valid key

    def prepared(self, key: str) -> Path:
        return self.root / "prepared" / key[:KEY_CHARS]

    def prune(self, keep_notebooks: set[str], keep_prepared: set[str]) -> None:
        """Delete entries not named (by file / folder name) in the sets given."""
        for path in (self.root / "notebooks").glob("*"):
            if path.name not in keep_notebooks:
                path.unlink(missing_ok=True)
        for path in (self.root / "prepared").glob("*"):
            if path.name not in keep_prepared:
                shutil.rmtree(path, ignore_errors=True)
