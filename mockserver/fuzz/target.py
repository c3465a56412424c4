"""What the behaviour checks know about the run they are part of: which API, which credentials, and
which scenarios it has played.

Schemathesis hands a check only (context, response, case); the run binds its target to the loaded
schema's configuration, which every case of the run (and of its clones) shares.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from mockserver.fuzz.credentials import Credentials


@dataclass(frozen=True)
class Target:
    api: str
    credentials: Credentials
    exclusive: bool = True  # no other worker changes the API's state while a check reads it back
    demo_fixtures: bool = True  # the target holds the demo records of fixtures/default.json
    played: set[str] = field(default_factory=set, compare=False)
    not_checked: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)  # check -> options
    facts: dict[str, bool] = field(default_factory=dict, compare=False)  # what the run found out about the target
    lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def first_time(self, name: str) -> bool:
        """True once per run for each name: a scenario is played on the first response it sees."""
        with self.lock:
            if name in self.played:
                return False
            self.played.add(name)
            return True

    def remember(self, fact: str, find_out: Callable[[], bool]) -> bool:
        """`fact` about the target, found out once per run."""
        with self.lock:
            if fact not in self.facts:
                self.facts[fact] = find_out()
            return self.facts[fact]

    def headers(self) -> dict[str, str]:
        return self.credentials.headers()


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
