"""Results as data: the JSON form in which the analysis cache keeps them.

Loading can only build the few result classes named in :func:`_classes` from plain JSON
values (strings, numbers, lists, null); it never imports or calls anything a cached blob
names, so a cache file written by someone else can at worst give wrong results, never run
code. Encoding keeps tuples, lists, dicts with any keys and the listed frozen dataclasses
apart, so that ``loads(dumps(x)) == x``:

- a tuple is a JSON array;
- a list is ``{"l": [...]}``, a dict ``{"d": [[key, value], ...]}``;
- a dataclass is ``{"c": "Mention", "v": [field values in order]}``.
"""

from __future__ import annotations

import dataclasses
import json

import orjson
from functools import lru_cache
from typing import Any


class DecodeError(ValueError):
    """A blob that is not a result this version of quotex wrote."""


@lru_cache(maxsize=1)
def _classes() -> dict[str, type]:
    """The only classes a blob may name (result dataclasses of quotex)."""
    from .models import Entity, Mention, Quote
    from .pipeline import DocResult, LocalEntity
    from .quotes import QuoteSpan

    return {c.__name__: c for c in (Mention, Entity, Quote, DocResult, LocalEntity, QuoteSpan)}


@lru_cache(maxsize=None)
def _fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _enc(x: Any) -> Any:
    if x is None or isinstance(x, (str, bool, int, float)):
        return x
    if isinstance(x, tuple):
        return [_enc(v) for v in x]
    if isinstance(x, list):
        return {"l": [_enc(v) for v in x]}
    if isinstance(x, dict):
        return {"d": [[_enc(k), _enc(v)] for k, v in x.items()]}
    if isinstance(x, (frozenset, set)):
        raise TypeError("sets are not stored")
    cls = type(x)
    if dataclasses.is_dataclass(x) and _classes().get(cls.__name__) is cls:
        return {"c": cls.__name__, "v": [_enc(getattr(x, f)) for f in _fields(cls)]}
    raise TypeError(f"cannot store a {cls.__name__}")


_SCALARS = (str, int, float, bool, type(None))


def _dec(x: Any) -> Any:
    t = type(x)
    if t is list:
        return tuple([v if type(v) in _SCALARS else _dec(v) for v in x])
    if t is dict:
        if "l" in x:
            return [_dec(v) for v in x["l"]]
        if "d" in x:
            return {_dec(k): _dec(v) for k, v in x["d"]}
        cls = _classes().get(x.get("c"))  # type: ignore[arg-type]
        vals = x.get("v")
        if cls is None or type(vals) is not list or len(vals) != len(_fields(cls)):
            raise DecodeError(f"unknown record {x.get('c')!r}")
        return cls(*[v if type(v) in _SCALARS else _dec(v) for v in vals])
    return x


def dumps(value: Any) -> bytes:
    """``value`` as UTF-8 JSON bytes (lone surrogates from undecodable file names kept)."""
    return json.dumps(_enc(value), ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8", "surrogatepass")


def loads(blob: bytes) -> Any:
    """The value that :func:`dumps` wrote; :class:`DecodeError` for anything else."""
    raw = bytes(blob)
    try:
        try:
            doc = orjson.loads(raw)  # about 3x faster than json on a large corpus entry
        except orjson.JSONDecodeError:  # lone surrogates (undecodable file names) are not UTF-8 for orjson
            doc = json.loads(raw.decode("utf-8", "surrogatepass"))
        return _dec(doc)
    except DecodeError:
        raise
    except (ValueError, TypeError, KeyError, RecursionError) as e:
        raise DecodeError(str(e)) from None
