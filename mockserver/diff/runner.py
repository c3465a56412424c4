"""Run a diff: repeat the seeded exploration until no new divergence turns up, each one shortened."""

from __future__ import annotations

from dataclasses import dataclass

import hypothesis
import schemathesis
from hypothesis import HealthCheck, Phase, Verbosity, settings
from hypothesis.errors import Flaky
from schemathesis.config import SchemathesisConfig

from mockserver import PROJECT_ROOT, SPECS_DIR
from mockserver.diff.compare import Comparison
from mockserver.diff.machine import DivergenceFound, Finding, Session, machine_for
from mockserver.diff.minimize import minimize
from mockserver.diff.targets import Target

DEFAULT_IGNORED_FIELDS = frozenset({"message", "detail"})  # free text: wording may differ


@dataclass
class DiffResult:
    findings: list[Finding]
    scenarios: int
    requests: int
    resettable: bool


def run_diff(
    api: str,
    a: Target,
    b: Target,
    *,
    headers: dict[str, str],
    seed: int | None = 0,
    max_examples: int = 100,
    max_steps: int = 10,
    max_divergences: int = 10,
    ignored_fields: frozenset[str] = DEFAULT_IGNORED_FIELDS,
) -> DiffResult:
    config = SchemathesisConfig.from_path(PROJECT_ROOT / "schemathesis.toml")
    schema = schemathesis.openapi.from_path(SPECS_DIR / f"{api}.yaml", config=config)
    session = Session(a, b, headers, Comparison(frozenset(ignored_fields), (a.origin, b.origin)))
    machine = machine_for(schema, session)
    if seed is not None:
        machine = hypothesis.seed(seed)(machine)  # the same sequences on every exploration and every run
    run_settings = settings(
        max_examples=max_examples,
        stateful_step_count=max_steps,
        deadline=None,
        database=None,
        verbosity=Verbosity.quiet,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.explicit, Phase.generate),  # minimize.py shortens: bounded, and replayable anywhere
    )
    reported: list[Finding] = []
    for _ in range(max_divergences):
        session.findings.clear()
        try:
            machine.run(settings=run_settings)
        except (DivergenceFound, Flaky, hypothesis.errors.FailedHealthCheck):
            pass
        if not session.findings:
            break
        finding = minimize(session, session.findings[0])
        reported.append(finding)
        session.known.update(divergence.signature for divergence in finding.divergences)
    return DiffResult(reported, session.scenarios, session.requests, session.resettable)

