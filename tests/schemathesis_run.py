"""A schemathesis run over one API of the in-process fake: every built-in check, a fixed seed."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, seed, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig

from mockserver import PROJECT_ROOT
from mockserver.server import MockServer

SEED = 20261122


def built_in_checks() -> list[Any]:
    load_all_checks()
    return list(CHECKS.get_all())


def schema_for(api: str, base_path: str) -> Any:
    config = SchemathesisConfig.from_path(PROJECT_ROOT / "schemathesis.toml")
    app = MockServer(apis=[api])
    return schemathesis.openapi.from_asgi(f"{base_path}/openapi.json", app, config=config)


def conformance_test(schema: Any, max_examples: int = 100):
    """A parametrized pytest test that calls every operation and runs every built-in check."""
    checks = built_in_checks()

    @schema.parametrize()
    @settings(max_examples=max_examples, deadline=None, suppress_health_check=list(HealthCheck))
    @seed(SEED)
    def test_conformance(case: Any) -> None:
        case.call_and_validate(checks=checks)

    return test_conformance
