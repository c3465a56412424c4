"""Shared fixtures: a fresh in-process server per test, and clients that speak to it."""

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


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def server(clock: Clock) -> MockServer:
    return MockServer(clock=clock)


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
