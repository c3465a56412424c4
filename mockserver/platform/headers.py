"""A request's headers as Starlette's `Headers` gives them, read in one pass over the header lines.

Starlette's `Headers` scans every header line on each lookup; the pipeline looks up several names per
request (the credentials, Content-Type, Idempotency-Key) and measures the lines for the 431 limit, so
the lines are decoded, indexed by name and measured once, when the request arrives. Answers are
Starlette's: the name asked is lower-cased and compared with the line's name as received.
"""

from __future__ import annotations

from typing import Any, TypeVar

from starlette.datastructures import Headers
from starlette.types import Scope

T = TypeVar("T")


class RequestHeaders(Headers):
    def __init__(self, scope: Scope) -> None:
        raw = scope["headers"]
        if not isinstance(raw, list):  # as Starlette does: the scope's lines become a list once
            raw = scope["headers"] = list(raw)
        self._list = raw  # what `Headers(raw=raw)` keeps, and reads in its other methods
        first: dict[str, str] = {}
        repeated: dict[str, list[str]] = {}
        size = 0
        for raw_name, raw_value in raw:
            size += len(raw_name) + len(raw_value)
            name = raw_name.decode("latin-1")
            value = raw_value.decode("latin-1")
            if name in first:
                repeated.setdefault(name, [first[name]]).append(value)
            else:
                first[name] = value
        self._first = first  # each name's first value
        self._repeated = repeated  # every value of a name sent more than once
        self.size = size  # the bytes of every line's name and value, in all

    def getlist(self, key: str) -> list[str]:
        name = key.lower()
        if name in self._repeated:
            return list(self._repeated[name])
        value = self._first.get(name)
        return [] if value is None else [value]

    def get(self, key: str, default: T | None = None) -> str | T | None:  # type: ignore[override]
        return self._first.get(key.lower(), default)

    def repeats(self, key: str) -> bool:
        """Whether the name is sent on more than one line."""
        return key.lower() in self._repeated

    def __getitem__(self, key: str) -> str:
        value = self._first.get(key.lower())
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key: Any) -> bool:
        return key.lower() in self._first
