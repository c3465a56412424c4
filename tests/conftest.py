"""Shared fixtures: one in-process server for the whole session, reset before every test that uses it.

Building a server validates three specs (a third of a second); resetting it costs a few milliseconds.
A test that needs other options (a state file, a single API, other fixtures) builds its own.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest
import uvicorn
from starlette.testclient import TestClient
from starlette.types import ASGIApp

from mockserver.platform.clock import Clock
from mockserver.server import MockServer


@pytest.fixture(scope="session")
def session_server() -> MockServer:
    return MockServer()


@pytest.fixture
def server(session_server: MockServer) -> MockServer:
    """The session's server as the fixtures define it: records, idempotency cache, journal and clock reset."""
    reset(session_server)
    return session_server


def reset(server: MockServer) -> None:
    server.reset()
    server.clock.reset()


@pytest.fixture
def clock(server: MockServer) -> Clock:
    return server.clock


@pytest.fixture
def client(server: MockServer) -> Iterator[TestClient]:
    with TestClient(server, base_url="http://127.0.0.1:8080", raise_server_exceptions=True) as test_client:
        yield test_client


@pytest.fixture
def serve_over_http() -> Iterator[Callable[[ASGIApp], str]]:
    """Serve ASGI apps over real HTTP on 127.0.0.1 (ephemeral ports); all stopped when the test ends."""
    running: list[tuple[uvicorn.Server, threading.Thread]] = []

    def serve(app: ASGIApp) -> str:
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
        uvicorn_server = uvicorn.Server(config)
        thread = threading.Thread(target=uvicorn_server.run, daemon=True)
        thread.start()
        running.append((uvicorn_server, thread))
        deadline = time.monotonic() + 10
        while not uvicorn_server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the live server did not start")
            time.sleep(0.01)
        port = uvicorn_server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    try:
        yield serve
    finally:
        for uvicorn_server, _ in running:
            uvicorn_server.should_exit = True
        for _, thread in running:
            thread.join(timeout=10)


@pytest.fixture
def live_server(server: MockServer, serve_over_http: Callable[[ASGIApp], str]) -> str:
    """The test's server over real HTTP on 127.0.0.1."""
    return serve_over_http(server)


FUZZ_MODULES = ("test_fuzz_checks", "test_fuzz_selfcheck", "test_fuzz_runner", "test_fuzz_cli", "test_diff")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tiers: a test serving over real HTTP is slow; the schemathesis-driven modules are fuzz."""
    for item in items:
        if {"live_server", "serve_over_http"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
        if item.module is not None and item.module.__name__.rpartition(".")[2] in FUZZ_MODULES:
            item.add_marker(pytest.mark.fuzz)
