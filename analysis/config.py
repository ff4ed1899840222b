"""Every path and setting of the project, in one place.

Each setting has a default rooted at the repository and an environment variable that
overrides it; the command line passes its options through the same variables, so a
notebook run by papermill sees exactly what the build was told. Nothing else in the
package builds a path from a string literal.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The repository root (the folder holding pyproject.toml).
ROOT = Path(__file__).resolve().parents[1]

#: Project-owned data: manifest, lexicons, labels, reference figures. Committed.
DATA_DIR = ROOT / "data"
SOURCES_MANIFEST = DATA_DIR / "sources.toml"
LEXICON_DIR = DATA_DIR / "lexicons"
LABELS_DIR = DATA_DIR / "labels"
REFERENCE_DIR = DATA_DIR / "reference"

NOTEBOOKS_DIR = ROOT / "notebooks"
TEMPLATE_DIR = ROOT / "analysis" / "publish" / "template"


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser().resolve() if value else default


def mirror_dir() -> Path | None:
    """A local copy of the public data sets, used instead of the network.

    Set ``REDNOTE_DATA_MIRROR`` (or ``--mirror``). When unset, ``../shared/data`` beside
    the repository is used if it exists (that is where CI and the developers keep it).
    """
    value = os.environ.get("REDNOTE_DATA_MIRROR", "").strip()
    if value:
        return Path(value).expanduser().resolve()
    sibling = ROOT.parent / "shared" / "data"
    return sibling if sibling.is_dir() else None


def cache_dir() -> Path:
    """Where downloaded sources, the pseudonym salt and trained models are kept."""
    return _env_path("REDNOTE_CACHE_DIR", ROOT / "data" / "cache")


def reports_dir() -> Path:
    """Where built reports land (``reports/latest/report.html``)."""
    return _env_path("REDNOTE_REPORTS_DIR", ROOT / "reports")


def pseudonym_salt() -> str:
    """The salt for account pseudonyms: ``REDNOTE_PSEUDONYM_SALT``, else one random salt
    made once per installation and kept in the cache, so pseudonyms are stable between
    builds on one machine yet cannot be recomputed from a public id by outsiders."""
    value = os.environ.get("REDNOTE_PSEUDONYM_SALT", "")
    if value:
        return value
    path = cache_dir() / "pseudonym-salt"
    if not path.exists():
        import secrets

        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(16), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


def allow_download() -> bool:
    """Whether missing public data may be downloaded on first use (``REDNOTE_OFFLINE=1`` forbids it)."""
    return os.environ.get("REDNOTE_OFFLINE", "").strip().lower() not in ("1", "true", "yes")


#: Seconds a notebook cell may run before the build gives up on it.
CELL_TIMEOUT_S = int(os.environ.get("REDNOTE_CELL_TIMEOUT", "900"))
#: Kernel the build runs notebooks with (installed into the venv by `make`).
KERNEL_NAME = os.environ.get("REDNOTE_KERNEL", "python3")
