"""Every path and setting of the project, in one place.

Each setting has a default rooted at the repository and an environment variable that
overrides it. A run (the command line, a test) builds one frozen ``Settings`` from its
options, with those variables only as defaults, and passes it down as an argument;
notebooks get what they need as papermill parameters. Nothing else in the package
builds a path from a string literal.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

#: The repository root (the folder holding pyproject.toml).
ROOT = Path(__file__).resolve().parents[1]

#: Project-owned data: manifest, lexicons, labels, reference figures. Committed.
DATA_DIR = ROOT / "data"
SOURCES_MANIFEST = DATA_DIR / "sources.toml"
LEXICON_DIR = DATA_DIR / "lexicons"
STOPWORDS_DIR = DATA_DIR / "stopwords"
LABELS_DIR = DATA_DIR / "labels"
REFERENCE_DIR = DATA_DIR / "reference"

NOTEBOOKS_DIR = ROOT / "notebooks"
TEMPLATE_DIR = ROOT / "analysis" / "publish" / "template"


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser().resolve() if value else default


def mirror_dir() -> Path | None:
    """A local copy of the public data sets, used instead of the network.

    ``REDNOTE_DATA_MIRROR`` (the default of ``--mirror``). When unset, ``../shared/data`` beside
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


# --- Settings: one typed object per run --------------------------------------------------

DATA_MODES = ("auto", "real", "sample")
#: Engines the heavy measures run on (analysis/engines; spark needs the [spark] extra).
ENGINES = ("polars", "spark")
LOCK_POLICIES = ("wait", "fail")


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError:
        raise ValueError(f"{name}={value!r} is not a whole number") from None


def parse_day(value: str, option: str) -> date | None:
    """An ISO date from an option's text (None when empty); the error says how to write it."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{option} {value!r} is not a date; write it as YYYY-MM-DD, e.g. 2025-01-13") from None


@dataclass(frozen=True)
class Settings:
    """Everything one run is told, built once (``Settings.create``) and passed down.

    Environment variables only supply defaults; nothing writes them back.
    """

    data_mode: str = "auto"
    start_date: str = ""  # ISO day, "" = open
    end_date: str = ""
    user_data: str = ""  # resolved path of an analyst's export, "" = the public data sets
    mirror: Path | None = None  # local copy of the public data sets
    cache_dir: Path = field(default_factory=cache_dir)  # downloads, salt, models
    reports_dir: Path = field(default_factory=reports_dir)
    report_config: Path = ROOT / "report.toml"
    allow_download: bool = True
    force: bool = False  # ignore the per-notebook cache
    jobs: int = 1  # notebooks run at once
    keep: int = 10  # dated report folders kept
    if_locked: str = "wait"  # another build holds the lock: wait for it, or fail at once
    lock_timeout: float = -1  # seconds to wait for the lock; < 0 = for ever
    show_progress: bool = True
    cell_timeout: int = 900
    kernel_name: str = "python3"
    engine: str = "polars"  # where the heavy measures run: polars, or spark (Spark's own configuration)

    def __post_init__(self) -> None:
        if self.data_mode not in DATA_MODES:
            raise ValueError(f"data mode {self.data_mode!r} is not one of {', '.join(DATA_MODES)}")
        if self.engine not in ENGINES:
            raise ValueError(f"--engine {self.engine!r} is not one of {', '.join(ENGINES)}")
        start, end = parse_day(self.start_date, "--start"), parse_day(self.end_date, "--end")
        if start and end and start > end:
            raise ValueError(f"--start {self.start_date} is after --end {self.end_date}")
        if self.if_locked not in LOCK_POLICIES:
            raise ValueError(f"--if-locked {self.if_locked!r} is not one of {', '.join(LOCK_POLICIES)}")
        if self.jobs < 1:
            raise ValueError(f"--jobs {self.jobs}: run at least one notebook at a time")
        if self.keep < 1:
            raise ValueError(f"--keep {self.keep}: keep at least the newest report")

    @classmethod
    def create(cls, *, user_data: str | Path = "", mirror: str | Path | None = None, **options) -> Settings:
        """Settings from explicit options (None = not given), with environment defaults.

        Checks what a user typed: a missing ``--data`` or ``--mirror`` path is a ValueError
        naming the option.
        """
        given = {k: v for k, v in options.items() if v is not None}
        if user_data:
            path = Path(user_data).expanduser()
            if not path.exists():
                raise ValueError(f"--data {user_data}: no such file or folder")
            given["user_data"] = str(path.resolve())
        if mirror is not None and str(mirror):
            path = Path(mirror).expanduser()
            if not path.is_dir():
                raise ValueError(f"--mirror {mirror}: no such folder (point it at a copy of the public data sets)")
            given["mirror"] = path.resolve()
        else:
            given["mirror"] = mirror_dir()
        if "report_config" in given and not Path(given["report_config"]).expanduser().is_file():
            raise ValueError(f"--spec {given['report_config']}: no such file (a report.toml listing the sections)")
        for key in ("cache_dir", "reports_dir", "report_config"):
            if key in given:
                given[key] = Path(given[key]).expanduser().resolve()
        defaults = {
            "allow_download": allow_download(),
            "jobs": _env_int("REDNOTE_JOBS", os.cpu_count() or 1),
            "keep": _env_int("REDNOTE_KEEP_REPORTS", 10),
            "if_locked": os.environ.get("REDNOTE_IF_LOCKED", "wait").strip() or "wait",
            "lock_timeout": float(_env_int("REDNOTE_LOCK_TIMEOUT", -1)),
            "cell_timeout": CELL_TIMEOUT_S,
            "kernel_name": KERNEL_NAME,
        }
        return cls(**{**defaults, **given})

    @property
    def window(self) -> tuple[date | None, date | None]:
        return parse_day(self.start_date, "--start"), parse_day(self.end_date, "--end")

    def notebook_parameters(self) -> dict[str, str]:
        """What every notebook is told (JSON types only: papermill's limit)."""
        return {"data_mode": self.data_mode, "start_date": self.start_date, "end_date": self.end_date,
                "user_data": self.user_data, "engine": self.engine}
