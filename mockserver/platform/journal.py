"""The request journal behind `GET /__admin/requests`: every vendor call, secrets masked."""

from __future__ import annotations

import json
from collections import deque
from typing import Any
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockserver.platform.clock import Clock, iso_z

SECRET_HEADERS = frozenset({"authorization", "x-api-key", "x-auth-token", "cookie"})
MAX_ENTRIES = 1000
MAX_BODY_CHARS = 65536


def mask(name: str, value: str) -> str:
    if name not in SECRET_HEADERS:
        return value
    scheme, _, secret = value.partition(" ") if name == "authorization" else ("", "", value)
    hidden = f"{secret[:4]}…" if len(secret) > 8 else "…"
    return f"{scheme} {hidden}" if scheme else hidden


class Journal:
    def __init__(self, clock: Clock, limit: int = MAX_ENTRIES) -> None:
        self._clock = clock
        self._entries: deque[dict[str, Any]] = deque(maxlen=limit)

    def record(self, scope: Scope, body: bytes, status: int) -> None:
        headers = {}
        for raw_name, raw_value in scope["headers"]:
            name = raw_name.decode("latin-1").lower()
            headers[name] = mask(name, raw_value.decode("latin-1"))
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        self._entries.append(
            {
                "method": scope["method"],
                "path": scope["path"],
                "query": {name: values if len(values) > 1 else values[0] for name, values in query.items()},
                "headers": headers,
                "body": _decoded(body),
                "status": status,
                "time": iso_z(self._clock.now()),
            }
        )

    def entries(self) -> list[dict[str, Any]]:
        return list(self._entries)

    def clear(self) -> None:
        self._entries.clear()


def _decoded(body: bytes) -> Any:
    if not body:
        return None
    text = body[: MAX_BODY_CHARS * 4].decode("utf-8", errors="replace")[:MAX_BODY_CHARS]
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return text


class JournalMiddleware:
    def __init__(self, app: ASGIApp, journal: Journal) -> None:
        self.app = app
        self.journal = journal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        status = 500

        async def recording_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request" and sum(map(len, chunks)) <= MAX_BODY_CHARS * 4:
                chunks.append(message.get("body", b""))
            return message

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, recording_receive, recording_send)
        finally:
            self.journal.record(scope, b"".join(chunks), status)
