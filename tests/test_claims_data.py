"""Specification of analysis.claims.data: which notes the newcomer claims read."""

from __future__ import annotations

from types import SimpleNamespace

import polars as pl
from canonical_rows import notes_frame

from analysis.claims.data import newcomer_notes, newcomers_and_creators
from analysis.measures.common import note_text

REF, CRE = "tiktokrefugee-posts", "mediacrawler-creators"


def _bundle(*frames: pl.DataFrame) -> SimpleNamespace:
    return SimpleNamespace(notes=pl.concat(frames))


def test__newcomer_notes__the_refugee_data_set_when_present():
    bundle = _bundle(notes_frame([{"text": "a"}]), notes_frame([{"text": "b"}], dataset=CRE))
    notes, source = newcomer_notes(bundle)
    assert (notes["text"].to_list(), source) == (["a"], REF)


def test__newcomer_notes__otherwise_every_non_creator_data_set():
    bundle = _bundle(notes_frame([{"text": "s"}], dataset="sample"), notes_frame([{"text": "b"}], dataset=CRE))
    notes, source = newcomer_notes(bundle)
    assert (notes["text"].to_list(), source) == (["s"], "sample")


def test__newcomers_and_creators__creators_appear_once():
    bundle = _bundle(notes_frame([{"text": "b"}], dataset=CRE))
    both, source = newcomers_and_creators(bundle)
    assert (both["text"].to_list(), source) == (["b"], CRE)


def test__note_text__joins_title_text_and_tags_lower_cased_without_stickers():
    frame = notes_frame([{"title": "Hi", "text": "我来了[笑哭R]", "tags": ["TikTokRefugee", "猫税"]}])
    assert frame.select(note_text())["title"].to_list() == ["hi 我来了 tiktokrefugee 猫税"]
