"""Two answers to the same request, compared: status, envelope, shape, then field values."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from mockserver.diff.normalize import IdPairing, is_id, is_timestamp, shape, without_origin

COMPARED_HEADERS = ("content-type", "idempotent-replayed", "allow")


@dataclass(frozen=True)
class Observed:
    status: int
    headers: dict[str, str]
    body: Any  # parsed JSON, or the text


@dataclass(frozen=True)
class Divergence:
    kind: str  # status | header | envelope | shape | value
    where: str  # the operation, and a JSON pointer or header name
    a: Any
    b: Any

    @property
    def signature(self) -> tuple[str, str]:
        return self.kind, self.where

    def describe(self) -> str:
        return f"{self.kind} at {self.where}: A {json.dumps(self.a)} ≠ B {json.dumps(self.b)}"


@dataclass
class Comparison:
    ignored_fields: frozenset[str] = field(default_factory=frozenset)

    origins: tuple[str, str] = ("", "")

    def compare(self, operation: str, a: Observed, b: Observed, ids: IdPairing) -> list[Divergence]:
        if a.status != b.status:
            return [Divergence("status", operation, a.status, b.status)]
        found = [
            Divergence("header", f"{operation} {name}", a.headers.get(name), b.headers.get(name))
            for name in COMPARED_HEADERS
            if a.headers.get(name) != b.headers.get(name)
        ]
        body_a = without_origin(self._without_ignored(a.body), self.origins[0])
        body_b = without_origin(self._without_ignored(b.body), self.origins[1])
        if a.status >= 400 and isinstance(body_a, dict) and isinstance(body_b, dict) and body_a.keys() != body_b.keys():
            return [*found, Divergence("envelope", operation, sorted(body_a), sorted(body_b))]
        if shape(body_a) != shape(body_b):
            pointer = _first_difference(shape(body_a), shape(body_b), "")
            return [*found, Divergence("shape", f"{operation} {pointer or '/'}", shape(body_a), shape(body_b))]
        found += [
            Divergence("value", f"{operation} {pointer or '/'}", value_a, value_b)
            for pointer, value_a, value_b in _value_differences(body_a, body_b, "", "", ids)
        ]
        return found

    def _without_ignored(self, body: Any) -> Any:
        if isinstance(body, dict):
            return {key: self._without_ignored(value) for key, value in body.items() if key not in self.ignored_fields}
        if isinstance(body, list):
            return [self._without_ignored(item) for item in body]
        return body


def _first_difference(a: Any, b: Any, pointer: str) -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(a.keys() | b.keys()):
            if a.get(key) != b.get(key):
                return _first_difference(a.get(key), b.get(key), f"{pointer}/{key}")
    if isinstance(a, list) and isinstance(b, list):
        for index, (item_a, item_b) in enumerate(zip(a, b, strict=False)):
            if item_a != item_b:
                return _first_difference(item_a, item_b, f"{pointer}/{index}")
    return pointer


def _value_differences(a: Any, b: Any, pointer: str, key: str, ids: IdPairing) -> list[tuple[str, Any, Any]]:
    if isinstance(a, dict) and isinstance(b, dict):
        return [
            difference
            for name in sorted(a.keys() | b.keys())
            for difference in _value_differences(a.get(name), b.get(name), f"{pointer}/{name}", name, ids)
        ]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [
            difference
            for index, (item_a, item_b) in enumerate(zip(a, b, strict=True))
            for difference in _value_differences(item_a, item_b, f"{pointer}/{index}", key, ids)
        ]
    if is_id(a, key) and is_id(b, key):
        return [] if ids.agree(a, b) else [(pointer, a, b)]
    if is_timestamp(a) and is_timestamp(b):
        return []
    return [] if a == b else [(pointer, a, b)]
