"""A schemathesis run over one API of the in-process fake: every built-in check, a fixed seed.

The schema is loaded lazily, from a fixture, so that collecting the suite builds no server.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, seed, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig

from mockserver import PROJECT_ROOT
from mockserver.server import MockServer
from tests.conftest import reset

SEED = 20261122


def built_in_checks() -> list[Any]:
    load_all_checks()
    return list(CHECKS.get_all())


def schema_fixture(base_path: str) -> Callable[..., Any]:
    """A module-scoped fixture: the API's served spec, loaded from the session's server after a reset."""

    @pytest.fixture(scope="module")
    def api_schema(session_server: MockServer) -> Any:
        reset(session_server)
        config = SchemathesisConfig.from_path(PROJECT_ROOT / "schemathesis.toml")
        return schemathesis.openapi.from_asgi(f"{base_path}/openapi.json", session_server, config=config)

    return api_schema


def conformance_test(max_examples: int = 100) -> Callable[..., None]:
    """A parametrized pytest test that calls every operation and runs every built-in check."""
    checks = built_in_checks()
    schema = schemathesis.pytest.from_fixture("api_schema")

    @pytest.mark.fuzz
    @schema.parametrize()
    @settings(max_examples=max_examples, deadline=None, suppress_health_check=list(HealthCheck))
    @seed(SEED)
    def test_conformance(case: Any) -> None:
        case.call_and_validate(checks=checks)

    return test_conformance
