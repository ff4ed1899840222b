"""Remember the last answers of pure functions of tables, keyed by a digest of their rows.

A build asks for the same heavy table several times over the same notes (the Tech
notebook scores every title for a histogram, three figures and a transfer table; the
language of each note is asked by four measures). Each answer is a pure function of the
input rows, so it is computed once per distinct input and handed out again.

Only ``pl.DataFrame`` inputs are digested (a LazyFrame is a plan, not rows: calls with
one are passed through). Other arguments count by their ``key`` attribute when they have
one (a fitted model), else by value when hashable; an argument that is neither turns the
memo off for that call. Entries are few (``size``): each holds a table with a row per
note, so memory stays bounded at 10M notes.
"""

from __future__ import annotations

import functools
import hashlib
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable

import polars as pl

#: Digest per live frame object (by id; dropped when the frame is): the project never
#: changes a DataFrame in place, so a frame asked about again (10M comments: ~1 s to
#: hash) is not hashed again.
_DIGESTS: dict[int, bytes] = {}


def frame_digest(frame: pl.DataFrame) -> bytes:
    """Order-sensitive digest of a frame's rows and schema (polars row hashes, then BLAKE2)."""
    known = _DIGESTS.get(id(frame))
    if known is not None:
        return known
    digest = hashlib.blake2b(str(frame.schema).encode(), digest_size=20)
    digest.update(frame.hash_rows().to_numpy().tobytes())
    value = digest.digest()
    weakref.finalize(frame, _DIGESTS.pop, id(frame), None)
    _DIGESTS[id(frame)] = value
    return value


class _Unkeyable(Exception):
    pass


def _token(value) -> Hashable:
    if isinstance(value, pl.DataFrame):
        return ("frame", frame_digest(value))
    if isinstance(value, pl.LazyFrame):
        raise _Unkeyable
    key = getattr(value, "key", None)
    if isinstance(key, str):
        return (type(value).__name__, key)
    try:
        hash(value)
    except TypeError:
        raise _Unkeyable from None
    return ("value", value)


#: Every memo's ``clear``, for ``forget_all``.
_CLEARS: list[Callable[[], None]] = []


def forget_all() -> None:
    """Empty every memo (a benchmark times each round from scratch)."""
    for clear in _CLEARS:
        clear()


def remembered(size: int = 2) -> Callable:
    """Decorator: remember the last ``size`` answers of a pure function of tables.

    The returned frames are shared between callers; polars frames are immutable, so no
    caller can change another's answer. ``fn.forget()`` empties the memo."""

    def wrap(fn: Callable) -> Callable:
        memo: OrderedDict[tuple, object] = OrderedDict()

        @functools.wraps(fn)
        def inner(*args, **kwargs):
            try:
                key = (tuple(_token(a) for a in args), tuple(sorted((k, _token(v)) for k, v in kwargs.items())))
            except _Unkeyable:
                return fn(*args, **kwargs)
            if key in memo:
                memo.move_to_end(key)
                return memo[key]
            result = fn(*args, **kwargs)
            memo[key] = result
            while len(memo) > size:
                memo.popitem(last=False)
            return result

        inner.forget = memo.clear
        _CLEARS.append(memo.clear)
        return inner

    return wrap
