"""Shared by the `mockserver fuzz` tests: in-process runs of the runner the CLI uses."""

from __future__ import annotations

from typing import Any

from mockserver.fuzz.credentials import credentials_for
from mockserver.fuzz.runner import FuzzOutcome, execute, in_process
from mockserver.server import MockServer

SEED = 20261122
BASE_PATHS = {"align": "/align/api/v1", "contracting": "/contracting", "productive": "/productive/api/v2"}


def fake(api: str) -> MockServer:
    return MockServer(apis=[api])


def fuzz(api: str, app: Any, **options: Any) -> FuzzOutcome:
    settings = in_process(api, app, credentials_for(api), BASE_PATHS[api], seed=SEED, **options)
    return execute(settings, quiet=True)

