"""Specification of analysis.parallel: batches on worker processes give the serial answer."""

from analysis import parallel
from analysis.text import segment


def _lengths(batch: list[str], extra: int) -> list[int]:
    return [len(t) + extra for t in batch]


def test__map_batches__workers_return_the_serial_answer_in_order():
    items = [f"text {i}" * (i % 7) for i in range(1_000)]
    serial = parallel.map_batches(_lengths, items, 64, 1, from_items=10**9)
    assert serial == [len(t) + 1 for t in items]
    assert parallel.map_batches(_lengths, items, 64, 1, from_items=0) == serial


def test__map_batches__no_items_no_batches():
    assert parallel.map_batches(_lengths, [], 64, 0, from_items=0) == []


def test__segment_cut__repeated_and_missing_texts_are_cut_as_one_by_one(monkeypatch):
    import polars as pl

    texts = pl.Series("t", ["我爱北京天安门", None, "hello world", "我爱北京天安门", "", "hello world"])
    jb = segment._jieba()
    expected = [jb.lcut(t) if t else [] for t in texts.to_list()]
    assert segment._cut(texts).to_list() == expected
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 0)
    monkeypatch.setattr(segment, "CUT_BATCH", 1)  # one text per worker call
    assert segment._cut(texts).to_list() == expected
