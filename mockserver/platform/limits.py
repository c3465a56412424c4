"""The limits a real front puts on a request (README, "Limits and CORS"): 414, 431, 413 and 408.

Each check costs time linear in what it looks at; the body is read here, once, up to the limit, and a
body that stops arriving is answered 408 rather than holding its connection open.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Generator
from dataclasses import dataclass
from types import CoroutineType
from typing import Any

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockserver.platform.errors import ApiError
from mockserver.platform.headers import RequestHeaders

MAX_BODY_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_target_bytes: int = 8 * 1024  # path plus query
    max_header_bytes: int = 16 * 1024  # every header line's name and value, in all
    max_body_bytes: int = MAX_BODY_BYTES
    body_stall_seconds: float = 10.0  # longest wait for the next piece of a body


def too_large(limits: Limits) -> ApiError:
    return ApiError(413, "payload_too_large", f"The request body exceeds {limits.max_body_bytes} bytes.")


def check_head(scope: Scope, limits: Limits, headers: RequestHeaders) -> None:
    """414 for a path plus query over the limit, 431 for headers over it."""
    target = len(scope.get("raw_path") or scope["path"].encode()) + len(scope.get("query_string", b""))
    if target > limits.max_target_bytes:
        raise ApiError(414, "uri_too_long", f"The request's path and query exceed {limits.max_target_bytes} bytes.")
    if headers.size > limits.max_header_bytes:
        raise ApiError(
            431,
            "request_header_fields_too_large",
            f"The request's headers exceed {limits.max_header_bytes} bytes in all.",
        )


async def read_body(
    receive: Receive,
    limits: Limits,
    headers: RequestHeaders,
    on_message: Callable[[Message], None] | None = None,
) -> bytes:
    """The whole body (b"" when there is none); 413 over the limit, 408 when it stalls. `on_message`
    sees each message received, as it arrives (the journal keeps what came before a refusal)."""
    declared = headers.first.get(b"content-length")  # the first line's
    length = None if declared is None or not declared.isdigit() else int(declared)
    chunked = b"transfer-encoding" in headers.first
    if length is None:
        if not chunked:
            return b""
    elif length == 0:
        return b""
    elif length > limits.max_body_bytes:
        raise too_large(limits)
    chunks: list[bytes] = []
    size = 0
    while True:
        try:
            message = await _receive_within(receive, limits.body_stall_seconds)
        except TimeoutError:
            raise ApiError(
                408, "request_timeout", f"The request body stopped arriving for {limits.body_stall_seconds:g} s."
            ) from None
        if on_message is not None:
            on_message(message)
        if message["type"] != "http.request":
            raise ClientGone
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limits.max_body_bytes:
            raise too_large(limits)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _receive_within(receive: Receive, seconds: float) -> Message:
    """The next message, or TimeoutError after `seconds`.

    Most bodies have arrived whole when the request reaches the app, and the server's `receive` then
    answers without waiting: it is stepped once by hand, and only when it does wait is a stall timer
    armed (`asyncio.timeout`'s cancel-and-uncancel, one timer, none of its context manager's bookkeeping).
    """
    waiting = receive()
    if not isinstance(waiting, CoroutineType):
        return await _with_stall_timer(waiting, seconds)
    try:
        pending = waiting.send(None)
    except StopIteration as done:
        message: Message = done.value
        return message
    return await _with_stall_timer(_Resumed(waiting, pending), seconds)


async def _with_stall_timer(waiting: Awaitable[Message], seconds: float) -> Message:
    task = asyncio.current_task()
    assert task is not None
    cancelling = task.cancelling()
    stalled: list[bool] = []

    def stall() -> None:
        stalled.append(True)
        task.cancel()

    timer = asyncio.get_running_loop().call_later(seconds, stall)
    try:
        return await waiting
    except asyncio.CancelledError:
        if stalled and task.uncancel() <= cancelling:
            raise TimeoutError from None
        raise
    finally:
        timer.cancel()


class _Resumed:
    """The rest of a coroutine already stepped once: awaited, it hands the future the coroutine waits on
    to the task, and passes back what the task sends or throws in, as `await` itself would have."""

    def __init__(self, coroutine: Coroutine[Any, Any, Message], pending: Any) -> None:
        self.coroutine = coroutine
        self.pending = pending

    def __await__(self) -> Generator[Any, Any, Message]:
        pending = self.pending
        while True:
            try:
                sent = yield pending
            except BaseException as error:  # thrown into the task (a cancel): the coroutine handles it
                try:
                    pending = self.coroutine.throw(error)
                except StopIteration as done:
                    return done.value
            else:
                try:
                    pending = self.coroutine.send(sent)
                except StopIteration as done:
                    return done.value


class ClientGone(Exception):
    """The client disconnected before its request was read: nobody is left to answer."""


class Limited:
    """The limits in front of an app that reads its own body (the admin API): 414, 431, 413 and 408 are
    answered by `render`, and the app receives the body already read."""

    def __init__(self, app: ASGIApp, limits: Limits, render: Callable[[ApiError], Response]) -> None:
        self.app = app
        self.limits = limits
        self.render = render

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            headers = RequestHeaders(scope)
            check_head(scope, self.limits, headers)
            body = await read_body(receive, self.limits, headers)
        except ApiError as error:
            await self.render(error)(scope, receive, send)
            return
        except ClientGone:
            return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)
