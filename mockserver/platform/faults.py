"""Fault rules set through `POST /__admin/faults`: which requests get a delay, a status or a drop.

The registry only decides; the pipeline's fault stage acts (README, "Admin API": faults).
A rule matches by API, and optionally by method and by path — the spec's template
(`/integration/time-entries/{id}`) or the exact path, both relative to the API's base path.
`times` limits a rule to its next N matches; `probability` fires it on that share of its matches,
drawn from a generator seeded at start so a run is repeatable.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Fault:
    api: str
    method: str | None = None
    path: str | None = None
    status: int | None = None
    delay_ms: int = 0
    drop: bool = False
    times: int | None = None
    probability: float | None = None
    headers: dict[str, str] = field(default_factory=dict)
    id: str = ""
    fired: int = 0

    def matches(self, api: str, method: str, template: str, path: str) -> bool:
        return (
            self.api == api
            and (self.method is None or self.method.upper() == method.upper())
            and (self.path is None or self.path in (template, path))
        )

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.fired >= self.times

    def to_json(self) -> dict[str, Any]:
        rule: dict[str, Any] = {"id": self.id, "api": self.api}
        for name, value in (
            ("method", self.method),
            ("path", self.path),
            ("status", self.status),
            ("delayMs", self.delay_ms or None),
            ("drop", self.drop or None),
            ("times", self.times),
            ("probability", self.probability),
            ("headers", self.headers or None),
        ):
            if value is not None:
                rule[name] = value
        rule["fired"] = self.fired
        return rule


class FaultRegistry:
    def __init__(self, seed: int | None = None) -> None:
        self._seed = seed
        self._rules: dict[str, Fault] = {}
        self._ids = itertools.count(1)
        self._random = random.Random(seed)

    def add(self, fault: Fault) -> Fault:
        fault.id = f"flt_{next(self._ids)}"
        self._rules[fault.id] = fault
        return fault

    def all(self) -> list[Fault]:
        return list(self._rules.values())

    def remove(self, fault_id: str) -> bool:
        return self._rules.pop(fault_id, None) is not None

    def clear(self) -> None:
        self._rules.clear()
        self._random = random.Random(self._seed)

    @property
    def any_set(self) -> bool:
        """Whether any rule is set: with none, a request has nothing to look up."""
        return bool(self._rules)

    def take(self, api: str, method: str, template: str, path: str) -> Fault | None:
        """The first live rule that matches and fires for this request, counted as fired; else None."""
        for fault in self._rules.values():
            if fault.exhausted or not fault.matches(api, method, template, path):
                continue
            if fault.probability is not None and self._random.random() >= fault.probability:
                continue
            fault.fired += 1
            return fault
        return None
