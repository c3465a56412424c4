"""Closing a connection without an answer, which ASGI has no message for.

The one place that reaches into the server's internals: uvicorn's `send` is a bound method of its
request cycle, which holds the connection's transport (pyproject pins uvicorn's minor version).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from starlette.types import Scope, Send

DROP_KEY = "mockserver.drop"


class ConnectionDropped(Exception):
    """Raised in-process, where there is no connection to close, for a request answered by a drop."""


def remember_connection(scope: Scope, send: Send) -> None:
    """Keep, in the request's scope, a way to close its connection (when the server offers one)."""
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    abort = getattr(transport, "abort", None)  # asyncio's and uvloop's transports alike
    if callable(abort):
        scope[DROP_KEY] = abort


async def drop_connection(scope: Scope) -> None:
    abort: Callable[[], None] | None = scope.get(DROP_KEY)
    if abort is None:
        raise ConnectionDropped("the fault closed the connection without an answer")
    abort()
    for _ in range(3):  # let the server see the connection lost before the app returns
        await asyncio.sleep(0)
