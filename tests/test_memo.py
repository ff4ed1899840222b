"""Specification of analysis.memo: pure functions of tables answer once per distinct input."""

from dataclasses import dataclass

import polars as pl

from analysis.memo import forget_all, frame_digest, remembered


@dataclass
class Model:
    key: str


def _counting(size=2):
    calls = []

    @remembered(size)
    def measure(frame, model=None):
        calls.append(frame)
        return frame.lazy().collect().select(pl.len())

    return measure, calls


def test__the_same_rows_are_answered_once():
    measure, calls = _counting()
    measure(pl.DataFrame({"a": [1, 2]}))
    measure(pl.DataFrame({"a": [1, 2]}))  # a new frame with equal rows
    assert len(calls) == 1


def test__other_rows_order_schema_or_model_are_computed_again():
    measure, calls = _counting(size=10)
    for frame, model in [(pl.DataFrame({"a": [1, 2]}), None), (pl.DataFrame({"a": [2, 1]}), None),
                         (pl.DataFrame({"b": [1, 2]}), None), (pl.DataFrame({"a": [1, 2]}), Model("m1")),
                         (pl.DataFrame({"a": [1, 2]}), Model("m2")), (pl.DataFrame({"a": [1, 2]}), Model("m2"))]:
        measure(frame, model=model)
    assert len(calls) == 5


def test__a_lazy_frame_is_never_remembered():
    measure, calls = _counting()
    lazy = pl.LazyFrame({"a": [1]})
    measure(lazy)
    measure(lazy)
    assert len(calls) == 2


def test__only_the_last_size_answers_are_kept():
    measure, calls = _counting(size=2)
    a, b, c = (pl.DataFrame({"a": [i]}) for i in range(3))
    for frame in (a, b, c, a):  # a was evicted by c
        measure(frame)
    assert len(calls) == 4
    measure.forget()
    measure(c)
    assert len(calls) == 5


def test__forget_all__empties_every_memo():
    first, first_calls = _counting()
    second, second_calls = _counting()
    frame = pl.DataFrame({"a": [1]})
    for measure in (first, second, first, second):
        measure(frame)
    assert (len(first_calls), len(second_calls)) == (1, 1)
    forget_all()
    first(frame)
    second(frame)
    assert (len(first_calls), len(second_calls)) == (2, 2)


def test__frame_digest__hashes_a_frame_object_once_and_forgets_it_with_the_frame(monkeypatch):
    import gc

    from analysis import memo

    calls = []
    real = pl.DataFrame.hash_rows
    monkeypatch.setattr(pl.DataFrame, "hash_rows", lambda self, *a, **k: calls.append(1) or real(self, *a, **k))
    frame = pl.DataFrame({"a": [1, 2]})
    assert frame_digest(frame) == frame_digest(frame) == frame_digest(pl.DataFrame({"a": [1, 2]}))
    assert len(calls) == 2  # the same object once, an equal new one again
    key = id(frame)
    del frame
    gc.collect()
    assert key not in memo._DIGESTS


def test__frame_digest__depends_on_values_and_types():
    assert frame_digest(pl.DataFrame({"a": [1]})) == frame_digest(pl.DataFrame({"a": [1]}))
    assert frame_digest(pl.DataFrame({"a": [1]})) != frame_digest(pl.DataFrame({"a": [1.0]}))
    assert frame_digest(pl.DataFrame({"a": [1]})) != frame_digest(pl.DataFrame({"a": [2]}))
