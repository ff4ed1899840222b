"""Specification of the source manifest and fetch step (data/sources.toml, analysis/io/sources.py)."""

import hashlib
import re
from urllib.parse import quote

import pytest

from analysis import config
from analysis.io import sources
from analysis.io.errors import ChecksumError

COMMITS = {
    "tiktokrefugee-posts": "Freyasrepo/TT-Refugee-Adaptation/52fa06b41ad803b0b9b992c5658dc6382fca4504",
    "mediacrawler-creators": "Dr-Spicy/MF_KOC/24f06c287a1de6e3ef79b28a65cc7e6060b66d0f",
    "clickbait-en": "bhargaviparanjape/clickbait/203d979a81545ae6160ff45ffdac83e74469c97a",
}


def _sums() -> dict[str, str]:
    text = (config.mirror_dir() / "SHA256SUMS").read_text(encoding="utf-8")
    return {path.removeprefix("./"): digest for digest, path in (line.split() for line in text.splitlines())}


def test__manifest__declares_every_mirrored_file_with_its_checksum():
    declared = {f"{f.dataset}/{f.path}": f.sha256 for ds in sources.manifest().values() for f in ds.files}
    assert declared == _sums()


def test__manifest__urls_are_pinned_to_the_upstream_commit():
    for ds_id, ds in sources.manifest().items():
        assert ds.licence and ds.citation and ds.naive_timezone
        for f in ds.files:
            assert f.url == f"https://raw.githubusercontent.com/{COMMITS[ds_id]}/{quote(f.upstream)}"
            assert re.fullmatch(r"[0-9a-f]{64}", f.sha256)
    posts = next(f for f in sources.manifest()["tiktokrefugee-posts"].files if f.path == "posts.csv")
    assert posts.url.endswith("/tt%20refugee%20content.csv")


def test__manifest__rednote_sets_declare_beijing_time_for_naive_timestamps():
    zones = {k: v.naive_timezone for k, v in sources.manifest().items()}
    assert zones == {"tiktokrefugee-posts": "Asia/Shanghai", "mediacrawler-creators": "Asia/Shanghai", "clickbait-en": "UTC"}


def _entry(tmp_path, content: bytes, sha: str | None = None) -> sources.SourceFile:
    src = tmp_path / "upstream" / "file.csv"
    src.parent.mkdir(exist_ok=True)
    src.write_bytes(content)
    return sources.SourceFile("demo", "file.csv", "notes", "file.csv", src.as_uri(),
                              sha or hashlib.sha256(content).hexdigest())


def test__fetch_file__copies_from_the_mirror_when_present(tmp_path):
    entry = _entry(tmp_path, b"a,b\n1,2\n")
    mirror = tmp_path / "mirror"
    (mirror / "demo").mkdir(parents=True)
    (mirror / "demo" / "file.csv").write_bytes(b"a,b\n1,2\n")
    assert sources.fetch_file(entry, mirror=mirror) == mirror / "demo" / "file.csv"


def test__fetch_file__downloads_and_verifies_into_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("REDNOTE_CACHE_DIR", str(tmp_path / "cache"))
    entry = _entry(tmp_path, b"a,b\n1,2\n")
    path = sources.fetch_file(entry, mirror=tmp_path / "no-mirror")
    assert path == tmp_path / "cache" / "sources" / "demo" / "file.csv"
    assert path.read_bytes() == b"a,b\n1,2\n"


def test__fetch_file__checksum_mismatch_is_an_error_naming_both_hashes(tmp_path, monkeypatch):
    monkeypatch.setenv("REDNOTE_CACHE_DIR", str(tmp_path / "cache"))
    entry = _entry(tmp_path, b"tampered", sha="0" * 64)
    actual = hashlib.sha256(b"tampered").hexdigest()
    with pytest.raises(ChecksumError, match=f"file.csv: sha256 is {actual}, but data/sources.toml declares {'0' * 64}"):
        sources.fetch_file(entry, mirror=tmp_path / "no-mirror")
    assert not (tmp_path / "cache" / "sources" / "demo" / "file.csv").exists()


def test__fetch_file__mirror_copy_with_wrong_checksum_is_refused(tmp_path):
    entry = _entry(tmp_path, b"good")
    mirror = tmp_path / "mirror"
    (mirror / "demo").mkdir(parents=True)
    (mirror / "demo" / "file.csv").write_bytes(b"bad")
    with pytest.raises(ChecksumError):
        sources.fetch_file(entry, mirror=mirror)


def test__fetch_file__offline_without_mirror_says_how_to_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("REDNOTE_CACHE_DIR", str(tmp_path / "cache"))
    entry = _entry(tmp_path, b"x")
    with pytest.raises(sources.FetchError, match="REDNOTE_DATA_MIRROR"):
        sources.fetch_file(entry, mirror=tmp_path / "no-mirror", download=False)


def test__resolve__finds_the_mirrored_data_set_folder():
    assert sources.resolve("clickbait-en") == config.mirror_dir() / "clickbait-en"


def test__fetch_all__verifies_every_manifest_file():
    messages = []
    paths = sources.fetch_all(progress=messages.append, download=False)
    assert len(paths) == len(_sums()) == len(messages)


def test__load_public__offline_never_downloads_and_says_the_fix(monkeypatch, tmp_path):
    from analysis.io import datasets
    from analysis.io.bundle import DataUnavailable

    monkeypatch.setenv("REDNOTE_DATA_MIRROR", str(tmp_path / "no-mirror"))
    monkeypatch.setenv("REDNOTE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("REDNOTE_OFFLINE", "1")
    monkeypatch.setattr(sources, "_download", lambda url, dest: pytest.fail(f"downloaded {url} while offline"))
    with pytest.raises(DataUnavailable, match="REDNOTE_DATA_MIRROR"):
        datasets.load_public("tiktokrefugee-posts")


def test__load_public__downloads_on_first_use_when_allowed(monkeypatch, tmp_path):
    from analysis.io import datasets
    from analysis.io.bundle import DataUnavailable

    monkeypatch.setenv("REDNOTE_DATA_MIRROR", str(tmp_path / "no-mirror"))
    monkeypatch.setenv("REDNOTE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("REDNOTE_OFFLINE", raising=False)
    tried = []

    def no_network(url, dest):
        tried.append(url)
        raise sources.FetchError(f"cannot download {url} (no network)")

    monkeypatch.setattr(sources, "_download", no_network)
    with pytest.raises(DataUnavailable, match="no network"):
        datasets.load_public("tiktokrefugee-posts")
    assert len(tried) == 1 and tried[0].startswith("https://raw.githubusercontent.com/Freyasrepo/")


def test__fetch_file__mirror_and_cache_are_arguments_not_the_environment(tmp_path, monkeypatch):
    entry = _entry(tmp_path, b"a,b\n1,2\n")
    env_mirror = tmp_path / "env-mirror"
    (env_mirror / "demo").mkdir(parents=True)
    (env_mirror / "demo" / "file.csv").write_bytes(b"a,b\n1,2\n")
    monkeypatch.setenv("REDNOTE_DATA_MIRROR", str(env_mirror))
    # Told "no mirror" explicitly, the environment's mirror is not consulted: it downloads into the given cache.
    path = sources.fetch_file(entry, mirror=None, cache=tmp_path / "given-cache")
    assert path == tmp_path / "given-cache" / "sources" / "demo" / "file.csv"
    # Left out, the mirror defaults to the environment's (as in a notebook run by hand).
    assert sources.fetch_file(entry) == env_mirror / "demo" / "file.csv"


def test__fetch_all__uses_the_mirror_it_is_given_whatever_the_environment_says(tmp_path, monkeypatch):
    real_mirror, declared = config.mirror_dir(), _sums()
    monkeypatch.setenv("REDNOTE_DATA_MIRROR", str(tmp_path / "nowhere"))
    paths = sources.fetch_all(download=False, mirror=real_mirror, cache=tmp_path / "cache")
    assert {p.relative_to(real_mirror).as_posix() for p in paths} == set(declared)
