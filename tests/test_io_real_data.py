"""The loaders on the real mirrored data sets: every row accounted for, counts as measured.

Expected numbers were counted independently of the loaders (plain json/csv in Python)
when the mirror was set up: 724 posts; 15,305 MediaCrawler note rows holding 14,976
distinct note ids; 102 creator rows holding 91 distinct creators; 107 KOL sheet rows;
15,999 clickbait and 16,001 news headlines (non-blank lines).
"""

import polars as pl
import pytest

from analysis.io import schema
from analysis.io.datasets import load_public

DATASETS = ("tiktokrefugee-posts", "mediacrawler-creators", "clickbait-en")


@pytest.fixture(scope="module")
def loaded():
    return {ds: load_public(ds) for ds in DATASETS}


@pytest.mark.parametrize("dataset", DATASETS)
def test__load_public__every_row_is_loaded_merged_or_quarantined(loaded, dataset):
    log = loaded[dataset].log_frame()
    assert log.height > 0
    assert (log["rows_read"] == log["loaded"] + log["merged_duplicates"] + log["quarantined"]).all()
    q = loaded[dataset].quarantine_frame()
    per_file = q.group_by("source_file").len() if q.height else pl.DataFrame({"source_file": [], "len": []})
    counted = dict(per_file.rows())
    assert {r["source_file"]: r["quarantined"] for r in log.iter_rows(named=True) if r["quarantined"]} == counted
    for table, parts in loaded[dataset].tables.items():
        assert sum(p.height for p in parts) == int(log.filter(pl.col("table") == table)["loaded"].sum())


def test__load_public__tiktokrefugee_counts(loaded):
    log = loaded["tiktokrefugee-posts"].log_frame()
    assert log.select("source_file", "encoding", "rows_read", "loaded", "merged_duplicates", "quarantined").rows() == [
        ("posts.csv", "utf-8-sig", 724, 724, 0, 0)
    ]


def test__load_public__mediacrawler_counts(loaded):
    ld = loaded["mediacrawler-creators"]
    totals = ld.log_frame().group_by("table").agg(pl.col("rows_read", "loaded", "merged_duplicates", "quarantined").sum())
    assert sorted(totals.rows()) == [
        ("creators", 102, 91, 11, 0),
        ("media_kits", 107, 107, 0, 0),
        ("notes", 15305, 14975, 329, 1),
    ]
    # 14,976 distinct ids: 14,975 loaded + the one note quarantined below (seen once only).
    assert ld.frame("notes")["note_id"].n_unique() == 14975
    assert ld.quarantine_frame().select("source_file", "source_row", "column", "raw_value").rows() == [
        ("Ning/creator_contents_extension.json", 259, "time", "1688533213000")
    ]


def test__load_public__clickbait_counts(loaded):
    headlines = loaded["clickbait-en"].frame("headlines")
    assert headlines.group_by("is_clickbait").len().sort("is_clickbait").rows() == [(False, 16001), (True, 15999)]


def test__posts_csv__create_time_is_beijing_time(loaded):
    """XHS note ids start with their creation second (8 hex digits). Read as Asia/Shanghai,
    create_time (minute precision) lands 0–59 s before that second for nearly every post."""
    notes = loaded["tiktokrefugee-posts"].frame("notes")
    diff = notes["published_at"].dt.epoch("s") - notes["note_id"].str.slice(0, 8).str.to_integer(base=16)
    agree = diff.is_between(-59, 0)
    assert agree.sum() == 720
    assert agree.mean() > 0.99


def test__mediacrawler_notes__epoch_times_match_note_ids(loaded):
    notes = loaded["mediacrawler-creators"].frame("notes")
    diff = notes["published_at"].dt.epoch("s") - notes["note_id"].str.slice(0, 8).str.to_integer(base=16)
    assert diff.abs().le(60).mean() > 0.99


def test__real_bundle__tables_have_the_canonical_schema(real_bundle):
    for name in ("notes", "creators", "media_kits", "comments", "headlines", "quarantine"):
        assert getattr(real_bundle, name).schema == schema.polars_schema(name), name


def test__real_bundle__no_raw_ids_names_or_urls_survive(real_bundle):
    raw_ids = pl.read_csv(_mirror("tiktokrefugee-posts/posts.csv"), infer_schema=False)["user_id"].to_list()
    for name in ("notes", "creators", "media_kits"):
        frame = getattr(real_bundle, name)
        assert frame["account_id"].str.contains(r"^acct_[0-9a-f]{12}$").all(), name
        assert not frame["account_id"].is_in(raw_ids).any()
        strings = [c for c, t in frame.schema.items() if t == pl.String]
        blob = frame.select(pl.concat_str(strings, separator=" ", ignore_nulls=True)).to_series()
        assert not blob.str.contains(r"xhscdn\.com|/user/profile/|xsec_token").any(), name


def test__real_bundle__media_kits_parse_mixed_sheet_formats(real_bundle):
    kits = real_bundle.media_kits
    assert kits.height == 107
    assert kits["account_id"].n_unique() == 107  # one row lacked user_id; its profile URL supplied it
    assert kits["price_verified"].sum() == 15
    assert kits["follower_female_share"].null_count() == 10
    assert kits["follower_female_share"].is_between(0, 1).all()
    assert kits.filter(pl.col("follower_interests").list.len() > 0).height == 97
    assert kits["gender"].value_counts().sort("gender").rows() == [("female", 96), ("male", 11)]


def _mirror(rel: str):
    from analysis import config

    return config.mirror_dir() / rel
