"""The diff as a schemathesis state machine: every step goes to both targets; the first scenario
that diverges is recorded (then shortened by minimize.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from schemathesis.core.transport import Response
from schemathesis.generation.case import Case
from schemathesis.generation.stateful.state_machine import APIStateMachine

from mockserver.diff.compare import Comparison, Divergence, Observed
from mockserver.diff.normalize import IdPairing, is_id
from mockserver.diff.targets import Target


@dataclass
class Step:
    case: Case
    a: Observed
    b: Observed


@dataclass
class Finding:
    divergences: list[Divergence]
    steps: list[Step]


class DivergenceFound(AssertionError):
    pass


@dataclass
class Session:
    """What one diff run shares across Hypothesis' scenarios."""

    a: Target
    b: Target
    headers: dict[str, str]
    comparison: Comparison
    known: set[tuple[str, str]] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    scenarios: int = 0
    requests: int = 0
    resettable: bool = True


def observe(response: Response) -> Observed:
    headers = {name.lower(): ", ".join(values) for name, values in response.headers.items()}
    if "content-type" in headers:
        headers["content-type"] = headers["content-type"].split(";")[0].strip()
    try:
        body: Any = json.loads(response.content) if response.content else None
    except ValueError:
        body = response.content.decode("utf-8", errors="replace")
    return Observed(response.status_code, headers, body)


def learn_ids(a: Any, b: Any, mapping: dict[str, str], key: str = "") -> None:
    """Where A and B answer with different generated ids in the same place, remember A's → B's."""
    if isinstance(a, dict) and isinstance(b, dict):
        for name in a.keys() & b.keys():
            learn_ids(a[name], b[name], mapping, name)
    elif isinstance(a, list) and isinstance(b, list):
        for item_a, item_b in zip(a, b, strict=False):
            learn_ids(item_a, item_b, mapping, key)
    elif a != b and is_id(a, key) and is_id(b, key):
        mapping[str(a)] = str(b)


def translate(value: Any, mapping: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {key: translate(item, mapping) for key, item in value.items()}
    if isinstance(value, list):
        return [translate(item, mapping) for item in value]
    if isinstance(value, str):
        return mapping.get(value, value)
    if isinstance(value, int) and not isinstance(value, bool) and str(value) in mapping:
        replaced = mapping[str(value)]
        return int(replaced) if replaced.isdigit() else replaced
    return value


def with_ids_replaced(case: Case, mapping: dict[str, str]) -> Case:
    """The same request, with the ids one target generated replaced by those another generated for them."""
    derived = case.derive(keep_auth=True)
    derived.path_parameters = translate(derived.path_parameters, mapping)
    derived.query = translate(derived.query, mapping)
    if isinstance(derived.body, dict | list):
        derived.body = translate(derived.body, mapping)
    return derived


def send_to_both(session: Session, case: Case, id_map: dict[str, str]) -> tuple[Response, Observed, Observed]:
    """The case to A, then to B with B's own ids; learns A's ids → B's from the two answers."""
    response_a = case.call(headers=session.headers, **session.a.call_kwargs())
    response_b = with_ids_replaced(case, id_map).call(headers=session.headers, **session.b.call_kwargs())
    session.requests += 2
    a, b = observe(response_a), observe(response_b)
    learn_ids(a.body, b.body, id_map)
    return response_a, a, b


def machine_for(schema: Any, session: Session) -> type[APIStateMachine]:
    base = schema.as_state_machine()

    class DiffMachine(base):  # type: ignore[misc, valid-type]
        def setup(self) -> None:
            if session.resettable:
                session.resettable = session.a.reset() and session.b.reset()
            session.scenarios += 1
            self.ids = IdPairing()
            self.id_map: dict[str, str] = {}
            self.steps: list[Step] = []

        def call(self, case: Case, **kwargs: Any) -> Response:
            response_a, a, b = send_to_both(session, case, self.id_map)
            self.steps.append(Step(case, a, b))
            operation = f"{case.method.upper()} {case.path}"
            divergences = [
                divergence
                for divergence in session.comparison.compare(operation, a, b, self.ids)
                if divergence.signature not in session.known
            ]
            if divergences:
                session.findings.append(Finding(divergences, list(self.steps)))
                raise DivergenceFound(divergences[0].describe())
            return response_a

        def validate_response(self, *args: Any, **kwargs: Any) -> None:
            """The diff compares targets; conformance checks are `mockserver fuzz`'s job."""

    return DiffMachine
