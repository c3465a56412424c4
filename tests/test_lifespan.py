"""The server's lifespan: at startup what it built is kept out of the collector's scans (`gc.freeze`), and
at shutdown given back (`gc.unfreeze`), so a process that goes on after it (the pytest plugin's, the bench's)
can collect it. `mockserver.asgi.served` runs a lifespan in-process, as a server does."""

from __future__ import annotations

import asyncio
import gc
import json
from typing import Any

import pytest

from mockserver import DEFAULT_FIXTURES
from mockserver.asgi import Request, call, served
from mockserver.bench.ceiling import ceiling_app
from mockserver.server import MockServer

HEALTH = Request("GET", "/__admin/health")


def test_startup_freezes_what_the_server_built_and_shutdown_gives_it_back() -> None:
    async def run() -> tuple[int, int, int]:
        server = MockServer(apis=["align"])
        async with served(server):
            frozen = gc.get_freeze_count()
            status, _ = await call(server, HEALTH)
        return frozen, status, gc.get_freeze_count()

    frozen, status, after = asyncio.run(run())
    assert frozen > 0 and status == 200
    assert after == 0


def test_served_runs_any_apps_lifespan() -> None:
    async def run() -> int:
        ceiling = ceiling_app(json.loads(DEFAULT_FIXTURES.read_text())["align"])
        async with served(ceiling):
            status, _ = await call(ceiling, Request("GET", "/align/api/v1/integration/time-entries/none"))
        return status

    assert asyncio.run(run()) == 404


def test_a_startup_that_fails_is_raised() -> None:
    async def failing(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await receive()
        raise RuntimeError("no database")

    async def run() -> None:
        async with served(failing):
            pass

    with pytest.raises(RuntimeError, match="no database"):
        asyncio.run(run())
