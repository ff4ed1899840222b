"""The source manifest (data/sources.toml) and the fetch step that makes its files local.

A file is taken from the mirror when present there, else downloaded from its pinned
upstream URL into ``<cache>/sources``. Either way its sha256 must match the manifest
before it is used; a mismatch is an error, never a warning. The mirror and cache are
arguments (a build passes its ``Settings``); left out, they default to
``config.mirror_dir()`` and ``config.cache_dir()`` for use from a notebook.
"""

from __future__ import annotations

import enum
import hashlib
import shutil
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from analysis import config
from analysis.io.bundle import DataUnavailable
from analysis.io.errors import ChecksumError, ManifestError

DOWNLOAD_TIMEOUT_S = 60


class FetchError(DataUnavailable):
    """A file could be neither found in the mirror nor downloaded."""


@dataclass(frozen=True)
class SourceFile:
    dataset: str
    path: str  # relative to the data set's folder
    role: str
    upstream: str
    url: str
    sha256: str


@dataclass(frozen=True)
class Dataset:
    id: str
    title: str
    licence: str
    citation: str
    url: str
    commit: str
    naive_timezone: str
    files: tuple[SourceFile, ...]


def manifest(path: Path | None = None) -> dict[str, Dataset]:
    """All data sets declared in data/sources.toml, by id."""
    path = path or config.SOURCES_MANIFEST
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ManifestError(f"{path}: cannot read the source manifest ({exc})") from None
    out = {}
    for ds_id, entry in raw.get("datasets", {}).items():
        try:
            files = tuple(
                SourceFile(ds_id, f["path"], f["role"], f["upstream"], f["url"], f["sha256"].lower())
                for f in entry["files"]
            )
            out[ds_id] = Dataset(ds_id, entry["title"], entry["licence"], entry["citation"], entry["url"],
                                 entry["commit"], entry.get("naive_timezone", "UTC"), files)
        except KeyError as exc:
            raise ManifestError(f"{path}: data set {ds_id!r} lacks field {exc}") from None
    return out


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(path: Path, expected: str) -> None:
    actual = sha256_of(path)
    if actual != expected:
        raise ChecksumError(path, expected, actual)


class _Default(enum.Enum):
    DEFAULT = "take the default from config (the environment), as a notebook does"


DEFAULT = _Default.DEFAULT


def cache_root(cache: Path | None = None) -> Path:
    return (cache if cache is not None else config.cache_dir()) / "sources"


def _mirror(mirror: Path | _Default | None) -> Path | None:
    return config.mirror_dir() if mirror is DEFAULT else mirror


def _download(url: str, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    try:
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as resp, tmp.open("wb") as out:
            shutil.copyfileobj(resp, out)
    except (urllib.error.URLError, OSError) as exc:
        tmp.unlink(missing_ok=True)
        raise FetchError(f"cannot download {url} ({exc}); set REDNOTE_DATA_MIRROR to a folder holding "
                         "the data sets, or retry with network") from None
    tmp.replace(dest)


def fetch_file(f: SourceFile, mirror: Path | _Default | None = DEFAULT, download: bool = True, cache: Path | None = None) -> Path:
    """A verified local copy of one manifest file (mirror first, then cache, then network).

    mirror: folder holding ``<data set>/<path>`` copies (None: no mirror).
    cache: the folder whose ``sources/`` keeps downloads (None: ``config.cache_dir()``).
    """
    mirror = _mirror(mirror)
    if mirror is not None and (mirror / f.dataset / f.path).is_file():
        src = mirror / f.dataset / f.path
        verify(src, f.sha256)
        return src
    dest = cache_root(cache) / f.dataset / f.path
    if dest.is_file():
        verify(dest, f.sha256)
        return dest
    if not download:
        raise FetchError(f"{f.dataset}/{f.path} is neither in the mirror ({mirror}) nor in the cache "
                         f"({cache_root(cache)}); pass --mirror /path/to/shared/data (or set REDNOTE_DATA_MIRROR) "
                         "or run `rednote-report data fetch` with network")
    _download(f.url, dest)
    try:
        verify(dest, f.sha256)
    except ChecksumError:
        dest.unlink()
        raise
    return dest


def fetch_all(progress: Callable[[str], None] | None = None, download: bool = True,
              mirror: Path | _Default | None = DEFAULT, cache: Path | None = None) -> list[Path]:
    """Make every manifest file local and verified; returns their paths in manifest order."""
    paths = []
    for ds in manifest().values():
        for f in ds.files:
            paths.append(fetch_file(f, mirror=mirror, download=download, cache=cache))
            if progress is not None:
                progress(f"{ds.id}/{f.path} ok")
    return paths


def resolve(dataset_id: str, download: bool = False, mirror: Path | _Default | None = DEFAULT, cache: Path | None = None) -> Path:
    """The local folder of a data set, every file verified (fetched first if ``download``)."""
    sets = manifest()
    if dataset_id not in sets:
        raise ManifestError(f"unknown data set {dataset_id!r}; data/sources.toml declares {sorted(sets)}")
    roots = {fetch_file(f, mirror=mirror, download=download, cache=cache).parents[len(Path(f.path).parts) - 1] for f in sets[dataset_id].files}
    if len(roots) != 1:
        raise FetchError(f"{dataset_id}: files are split between {sorted(map(str, roots))}; run `rednote-report data fetch`")
    return roots.pop()


def sources_frame(dataset_ids: list[str] | None = None) -> pl.DataFrame:
    """One row per data set for the report's credits (Bundle.sources)."""
    sets = manifest()
    ids = dataset_ids if dataset_ids is not None else list(sets)
    rows = [
        {
            "dataset": ds.id, "title": ds.title, "licence": ds.licence, "citation": ds.citation, "url": ds.url,
            "commit": ds.commit, "files": [f.path for f in ds.files], "sha256": [f.sha256 for f in ds.files],
            "retrieved_from": [f.url for f in ds.files],
        }
        for ds in (sets[i] for i in ids)
    ]
    return pl.DataFrame(rows, schema=SOURCES_SCHEMA)


SOURCES_SCHEMA = {
    "dataset": pl.String, "title": pl.String, "licence": pl.String, "citation": pl.String, "url": pl.String,
    "commit": pl.String, "files": pl.List(pl.String), "sha256": pl.List(pl.String), "retrieved_from": pl.List(pl.String),
}
