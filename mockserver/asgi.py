"""Drive an ASGI app in-process: no sockets, no client library (the benchmark, tests that count a request's work)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""


async def call(app: ASGIApp, request: Request) -> tuple[int, bytes]:
    headers = [(name.lower().encode(), value.encode()) for name, value in request.headers]
    if request.body:
        headers.append((b"content-length", str(len(request.body)).encode()))
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": request.method,
        "scheme": "http",
        "path": request.path,
        "raw_path": request.path.encode(),
        "query_string": request.query.encode(),
        "root_path": "",
        "headers": headers,
        "server": ("127.0.0.1", 8080),
        "client": ("127.0.0.1", 50000),
    }
    sent_body = False
    status = 0
    chunks: list[bytes] = []

    async def receive() -> Message:
        nonlocal sent_body
        if sent_body:
            return {"type": "http.disconnect"}
        sent_body = True
        return {"type": "http.request", "body": request.body, "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)


@contextlib.asynccontextmanager
async def served(app: ASGIApp) -> AsyncIterator[None]:
    """The app between its lifespan's startup and shutdown, as a server runs it."""
    messages: asyncio.Queue[Message] = asyncio.Queue()
    started = asyncio.Event()

    async def send(message: Message) -> None:
        if message["type"] == "lifespan.startup.complete":
            started.set()
        elif message["type"].endswith(".failed"):
            raise RuntimeError(f"lifespan: {message}")

    running = asyncio.ensure_future(app({"type": "lifespan", "asgi": {"version": "3.0"}}, messages.get, send))
    await messages.put({"type": "lifespan.startup"})
    starting = asyncio.ensure_future(started.wait())
    await asyncio.wait([running, starting], return_when=asyncio.FIRST_COMPLETED)
    if not started.is_set():
        starting.cancel()
        running.result()  # the startup failed: its exception
        raise RuntimeError("the lifespan ended before its startup completed")
    try:
        yield
    finally:
        await messages.put({"type": "lifespan.shutdown"})
        await running


async def timed_run(
    app: ASGIApp, make_request: Callable[[int], Request], count: int, expect: set[int]
) -> list[float]:
    """Latencies in milliseconds of `count` sequential requests; fails loudly on an unexpected status."""
    latencies = []
    for number in range(count):
        request = make_request(number)
        start = time.perf_counter_ns()
        status, body = await call(app, request)
        latencies.append((time.perf_counter_ns() - start) / 1e6)
        if status not in expect:
            raise RuntimeError(f"{request.method} {request.path} answered {status}: {body[:300]!r}")
    return latencies
