"""A request's headers as Starlette's `Headers` gives them, each name looked up in a dict built once.

Starlette's `Headers` scans every header line on each lookup; the pipeline looks up several names per
request (the credentials, Content-Type, Idempotency-Key), so the lines are indexed on the first lookup.
Answers are Starlette's: the name asked is lower-cased and compared with the line's name as received.
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
        super().__init__(raw=raw)
        self._by_name: dict[str, list[str]] | None = None

    def _index(self) -> dict[str, list[str]]:
        if self._by_name is None:
            self._by_name = {}
            for name, value in self._list:
                self._by_name.setdefault(name.decode("latin-1"), []).append(value.decode("latin-1"))
        return self._by_name

    def getlist(self, key: str) -> list[str]:
        return list(self._index().get(key.lower(), ()))

    def get(self, key: str, default: T | None = None) -> str | T | None:  # type: ignore[override]
        values = self._index().get(key.lower())
        return values[0] if values else default

    def __getitem__(self, key: str) -> str:
        values = self._index().get(key.lower())
        if not values:
            raise KeyError(key)
        return values[0]

    def __contains__(self, key: Any) -> bool:
        return key.lower() in self._index()
