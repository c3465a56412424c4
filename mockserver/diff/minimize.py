"""Shorten a diverging sequence: drop every step the divergence does not need (replayed from a reset)."""

from __future__ import annotations

from mockserver.diff.machine import Finding, Session, Step, learn_ids, send_to_both, with_ids_replaced
from mockserver.diff.normalize import IdPairing


def minimize(session: Session, finding: Finding) -> Finding:
    signature = finding.divergences[0].signature
    steps = finding.steps
    if not session.resettable:
        return finding  # without a reset, a replay would not start from the same state
    index = len(steps) - 2
    while index >= 0:
        shorter = steps[:index] + steps[index + 1 :]
        replayed = replay(session, shorter)
        if replayed is not None and signature in {d.signature for d in replayed.divergences}:
            steps = replayed.steps
            finding = replayed
        index -= 1
    return finding


def replay(session: Session, steps: list[Step]) -> Finding | None:
    """The steps again from a reset; the divergences of the last one, or None when it agrees."""
    if not (session.a.reset() and session.b.reset()):
        return None
    recorded_to_a: dict[str, str] = {}  # ids of the recorded run → ids of this replay, on A
    a_to_b: dict[str, str] = {}
    ids = IdPairing()
    replayed: list[Step] = []
    divergences = []
    for step in steps:
        case = with_ids_replaced(step.case, recorded_to_a)
        _, a, b = send_to_both(session, case, a_to_b)
        learn_ids(step.a.body, a.body, recorded_to_a)
        replayed.append(Step(case, a, b))
        operation = f"{case.method.upper()} {case.path}"
        divergences = session.comparison.compare(operation, a, b, ids)
    return Finding(divergences, replayed) if divergences else None
