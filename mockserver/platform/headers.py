"""A request's headers as Starlette's `Headers` gives them, indexed once when the request arrives.

Starlette's `Headers` scans every header line on each lookup; the pipeline looks up several names per
request (the credentials, Content-Type, Idempotency-Key) and measures the lines for the 431 limit. So the
lines are indexed by name once, in one step (each name's first value, as bytes: a value is decoded only
when it is looked up, and most never are), and measured once. Answers are Starlette's: the name asked is
lower-cased and compared with the line's name as received.
"""

from __future__ import annotations

import itertools
from typing import Any, TypeVar

from starlette.datastructures import Headers
from starlette.types import Scope

T = TypeVar("T")

NOTHING_REPEATED: frozenset[bytes] = frozenset()


class RequestHeaders(Headers):
    def __init__(self, scope: Scope) -> None:
        raw = scope["headers"]
        if not isinstance(raw, list):  # as Starlette does: the scope's lines become a list once
            raw = scope["headers"] = list(raw)
        self._list = raw  # what `Headers(raw=raw)` keeps, and reads in its other methods
        self.first: dict[bytes, bytes] = dict(reversed(raw))  # each name's first value: the last pair wins
        self.size = sum(map(len, itertools.chain.from_iterable(raw)))  # every name and value, in bytes
        # the names sent on more than one line (almost always none)
        self.repeated = NOTHING_REPEATED if len(self.first) == len(raw) else _repeated(raw)

    def getlist(self, key: str) -> list[str]:
        name = key.lower().encode("latin-1")
        return [value.decode("latin-1") for line, value in self._list if line == name]

    def get(self, key: str, default: T | None = None) -> str | T | None:  # type: ignore[override]
        value = self.first.get(key.lower().encode("latin-1"))
        return default if value is None else value.decode("latin-1")

    def __getitem__(self, key: str) -> str:
        value = self.first.get(key.lower().encode("latin-1"))
        if value is None:
            raise KeyError(key)
        return value.decode("latin-1")

    def __contains__(self, key: Any) -> bool:
        return key.lower().encode("latin-1") in self.first


def _repeated(raw: list[tuple[bytes, bytes]]) -> frozenset[bytes]:
    seen: set[bytes] = set()
    repeated = set()
    for name, _ in raw:
        if name in seen:
            repeated.add(name)
        seen.add(name)
    return frozenset(repeated)
