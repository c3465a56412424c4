"""Shared fixtures: a fresh in-process server per test, and clients that speak to it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

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
def live_server(server: MockServer) -> Iterator[str]:
    """The server over real HTTP on 127.0.0.1 (an ephemeral port), stopped when the test ends."""
    import threading
    import time

    import uvicorn

    config = uvicorn.Config(server, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    uvicorn_server = uvicorn.Server(config)
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not uvicorn_server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the live server did not start")
        time.sleep(0.01)
    port = uvicorn_server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uvicorn_server.should_exit = True
        thread.join(timeout=10)
