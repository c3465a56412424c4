"""The request journal behind `GET /__admin/requests`, and the one log line every request writes.

Each vendor call is kept as it arrived and as it was answered, bounded in entries and in bytes (a body
or header value over its share is cut, with a marker), with every credential masked — in any header
that carries one, whatever its casing or spacing, and in the query string. Entries are decoded only
when read, so recording costs a request little. README, "Admin API", lists the entry's members and the
filters.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockserver.platform.clock import Clock, iso_z
from mockserver.platform.errors import InputError
from mockserver.platform.jsonbody import parse_json

MAX_ENTRIES = 1000
MAX_BYTES = 8 * 1024 * 1024  # the whole journal
MAX_BODY_BYTES = 16 * 1024  # each request or response body
MAX_HEADER_BYTES = 1024  # each header value
ENTRY_OVERHEAD = 256  # the bytes an entry costs beyond its bodies and headers
DRAIN_SECONDS = 0.5  # how long an answered request's unread body is still awaited for the journal

# header names that carry a credential, and query parameter names that do
SECRET_HEADER = re.compile(r"authorization|cookie|token|secret|password|api[-_]?key|^x-.*key$", re.IGNORECASE)
SECRET_PARAMETER = re.compile(r"key|token|secret|password|passwd|auth|signature|credential", re.IGNORECASE)
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)\s+(\S.*)", re.DOTALL)

log = logging.getLogger("mockserver.requests")

ReasonOf = Callable[[Any], "str | None"]


def mask_secret(secret: str) -> str:
    """Enough of a key to tell demo keys apart (`ako_…`), never enough to use it."""
    secret = secret.strip()
    return f"{secret[:4]}…" if len(secret) > 8 else "…"


def mask_header(name: str, value: str) -> str:
    if not SECRET_HEADER.search(name):
        return value
    scheme = SCHEME.fullmatch(value.strip())
    if scheme and "authorization" in name.lower():
        return f"{scheme.group(1)} {mask_secret(scheme.group(2))}"
    return mask_secret(value)


def _no_reason(body: Any) -> str | None:
    return None


@dataclass
class Entry:
    """One vendor call, as raw as it came; `to_json` decodes it for the admin API."""

    id: int
    api: str
    method: str
    path: str
    relative_path: str  # the path below the API's base path, which spec templates describe
    query_string: bytes
    headers: list[tuple[bytes, bytes]]  # as received: masked and cut only when read
    body: bytes
    body_size: int
    status: int | None
    time: datetime
    reason: str | None
    response_headers: list[tuple[bytes, bytes]]
    response_body: bytes
    response_size: int
    duration_ms: float
    size: int = field(init=False)

    def __post_init__(self) -> None:
        headers = sum(len(name) + len(value) for name, value in (*self.headers, *self.response_headers))
        bodies = len(self.body) + len(self.response_body)
        self.size = ENTRY_OVERHEAD + bodies + headers + len(self.query_string) + len(self.path)

    def to_json(self) -> dict[str, Any]:
        query: dict[str, Any] = {}
        for name, value in _query(self.query_string):
            if name in query:
                held = query[name]
                query[name] = [*held, value] if isinstance(held, list) else [held, value]
            else:
                query[name] = value
        return {
            "id": self.id,
            "api": self.api,
            "method": self.method,
            "path": self.path,
            "query": query,
            "headers": _headers(self.headers),
            "body": _decoded(self.body, self.body_size),
            "status": self.status,
            "time": iso_z(self.time),
            "reason": self.reason,
            "response": {
                "headers": _headers(self.response_headers),
                "body": _decoded(self.response_body, self.response_size),
            },
            "durationMs": self.duration_ms,
        }


def _decoded(body: bytes, size: int) -> Any:
    """JSON when it parses, else the text; a body cut for the journal is text ending in a marker."""
    if not body:
        return None
    if size > len(body):
        text = body.decode("utf-8", errors="replace")
        return f"{text}…[truncated: {size} bytes in all]"
    try:
        return parse_json(body)
    except InputError:
        return body.decode("utf-8", errors="replace")


def _cut(value: str) -> str:
    if len(value) <= MAX_HEADER_BYTES:
        return value
    return f"{value[:MAX_HEADER_BYTES]}…[truncated: {len(value)} characters in all]"


class Journal:
    def __init__(self, clock: Clock, limit: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self._clock = clock
        self._limit = limit
        self._max_bytes = max_bytes
        self._entries: deque[Entry] = deque()
        self._bytes = 0
        self._ids = itertools.count(1)

    def next_id(self) -> int:
        return next(self._ids)

    def now(self) -> datetime:
        """To the millisecond, as entries show it, so `since` compares what users see."""
        moment = self._clock.now()
        return moment.replace(microsecond=moment.microsecond // 1000 * 1000)

    def add(self, entry: Entry) -> None:
        self._entries.append(entry)
        self._bytes += entry.size
        while self._entries and (len(self._entries) > self._limit or self._bytes > self._max_bytes):
            self._bytes -= self._entries.popleft().size

    def entries(self) -> list[Entry]:
        return list(self._entries)

    @property
    def bytes(self) -> int:
        return self._bytes

    def clear(self) -> None:
        self._entries.clear()
        self._bytes = 0


def _headers(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    """Names lowercased, each value masked on its own and cut, repeated headers joined with ", "."""
    headers: dict[str, str] = {}
    for raw_name, raw_value in raw:
        name = raw_name.decode("latin-1").lower()
        value = _cut(mask_header(name, raw_value.decode("latin-1")))
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


def _query(query_string: bytes) -> list[tuple[str, str]]:
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    return [(name, mask_secret(value) if SECRET_PARAMETER.search(name) else _cut(value)) for name, value in pairs]


class _Capture:
    """What passes through one request: its body as read (and drained), its answer."""

    def __init__(self, receive: Receive) -> None:
        self._receive = receive
        self.body = bytearray()
        self.body_size = 0
        self.body_done = False
        self.status: int | None = None
        self.response_headers: list[tuple[bytes, bytes]] = []
        self.response_body = bytearray()
        self.response_size = 0

    async def receive(self) -> Message:
        message = await self._receive()
        self._take(message)
        return message

    def _take(self, message: Message) -> None:
        if message["type"] == "http.request":
            chunk = message.get("body", b"")
            self.body_size += len(chunk)
            room = MAX_BODY_BYTES - len(self.body)
            if room > 0:
                self.body += chunk[:room]
            self.body_done = not message.get("more_body", False)
        else:
            self.body_done = True

    async def drain(self) -> None:
        """Read what the app left unread, so a request rejected before its body was read is journaled
        with it; bounded in bytes and in time, since the client may be stalling."""
        try:
            async with asyncio.timeout(DRAIN_SECONDS):
                while not self.body_done and self.body_size <= MAX_BODY_BYTES:
                    self._take(await self._receive())
        except TimeoutError:
            pass

    def sent(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.response_headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            chunk = message.get("body", b"")
            self.response_size += len(chunk)
            room = MAX_BODY_BYTES - len(self.response_body)
            if room > 0:
                self.response_body += chunk[:room]


def _declares_body(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"transfer-encoding" or (name == b"content-length" and value.strip() not in (b"", b"0")):
            return True
    return False


class JournalMiddleware:
    """Journals the calls to one API (`journal` None: only logs them, as for the admin API)."""

    def __init__(
        self,
        app: ASGIApp,
        journal: Journal | None,
        api: str,
        base_path: str = "",
        reason_of: ReasonOf = _no_reason,
    ) -> None:
        self.app = app
        self.journal = journal
        self.api = api
        self.base_path = base_path
        self.reason_of = reason_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        moment = self.journal.now() if self.journal is not None else None
        capture = _Capture(receive)
        capture.body_done = not _declares_body(scope)

        async def capturing_send(message: Message) -> None:
            if message["type"] == "http.response.start" and self.journal is not None and not capture.body_done:
                await capture.drain()
            capture.sent(message)
            await send(message)

        failed = False
        try:
            await self.app(scope, capture.receive, capturing_send)
        except BaseException:
            failed = True
            raise
        finally:
            status = capture.status if capture.status is not None else (500 if failed else None)
            reason = self._reason(status, capture)
            duration = round((time.perf_counter() - started) * 1000, 3)
            log.info("%s %s %s %s %s %.1fms", self.api, scope["method"], scope["path"], status, reason or "-", duration)
            if self.journal is not None and moment is not None:
                self.journal.add(self._entry(scope, capture, status, reason, moment, duration))

    def _reason(self, status: int | None, capture: _Capture) -> str | None:
        if status is None or status < 400 or capture.response_size > len(capture.response_body):
            return None
        try:
            return self.reason_of(parse_json(bytes(capture.response_body)))
        except InputError:
            return None

    def _entry(
        self, scope: Scope, capture: _Capture, status: int | None, reason: str | None, moment: datetime, duration: float
    ) -> Entry:
        assert self.journal is not None
        path: str = scope["path"]
        relative = path[len(self.base_path) :] if path.startswith(self.base_path) else path
        return Entry(
            id=self.journal.next_id(),
            api=self.api,
            method=scope["method"],
            path=path,
            relative_path=relative or "/",
            query_string=scope.get("query_string", b""),
            headers=scope["headers"],
            body=bytes(capture.body),
            body_size=capture.body_size,
            status=status,
            time=moment,
            reason=reason,
            response_headers=capture.response_headers,
            response_body=bytes(capture.response_body),
            response_size=capture.response_size,
            duration_ms=duration,
        )
