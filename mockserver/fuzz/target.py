"""What the behaviour checks know about the run they are part of: which API, which credentials.

Schemathesis hands a check only (context, response, case); the run binds its target to the loaded
schema's configuration, which every case of the run (and of its clones) shares.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from mockserver.fuzz.credentials import Credentials


@dataclass(frozen=True)
class Target:
    api: str
    credentials: Credentials
    exclusive: bool = True  # no other worker changes the API's state while a check reads it back


_BOUND: dict[int, Target] = {}


@contextmanager
def bound(schema: Any, target: Target) -> Iterator[None]:
    key = id(schema.config)
    _BOUND[key] = target
    try:
        yield
    finally:
        _BOUND.pop(key, None)


def target_of(case: Any) -> Target | None:
    """The target of the `mockserver fuzz` run `case` belongs to; None outside such a run."""
    return _BOUND.get(id(case.operation.schema.config))
