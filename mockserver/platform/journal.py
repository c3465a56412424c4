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
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockserver.platform.clock import Clock, iso_z
from mockserver.platform.errors import InputError
from mockserver.platform.headers import RequestHeaders
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

JOURNALED = "mockserver.journaled"  # set in a scope whose call a JournalMiddleware records already


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


def _no_moment() -> datetime | None:
    return None


# What the journal keeps per call until it is read: one flat tuple of plain values (`Entry`'s fields but
# for `base_path`, which `Entry` turns into the relative path, and the duration in seconds), ending with the
# request's header lines and then the answer's, each line's name and value in turn. Holding no container,
# the tuple is untracked by the garbage collector the first time it survives a collection: a thousand
# entries holding the server's lists of header lines were most of what every collection of the older
# generation traversed (its pauses, several milliseconds, are a share of the latency tail).
Kept = tuple[Any, ...]
SIZE = 14  # where a Kept tuple holds the size the entry counts against the journal's byte bound
_LINES = 16  # where its header lines begin; the one before says how many are the request's


def _lines(flat: tuple[bytes, ...]) -> list[tuple[bytes, bytes]]:
    return list(zip(flat[::2], flat[1::2], strict=True))


@dataclass(slots=True)
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
    moment: datetime  # the clock's reading when the request arrived
    reason: str | None
    response_headers: list[tuple[bytes, bytes]]
    response_body: bytes
    response_size: int
    duration_ms: float
    size: int  # what the entry counts against the journal's byte bound

    @classmethod
    def of(cls, kept: Kept) -> Entry:
        (id, api, method, path, base, query, body, body_size, status, moment, reason, response_body, response_size,
         seconds, size, request_lines) = kept[:_LINES]  # fmt: skip
        cut = _LINES + 2 * request_lines
        relative = (path[len(base) :] if path.startswith(base) else path) or "/"
        return cls(
            id, api, method, path, relative, query, _lines(kept[_LINES:cut]), body, body_size, status, moment,
            reason, _lines(kept[cut:]), response_body, response_size, round(seconds * 1000, 3), size,
        )  # fmt: skip

    @property
    def time(self) -> datetime:
        """To the millisecond, as entries show it, so `since` compares what users see."""
        return self.moment.replace(microsecond=self.moment.microsecond // 1000 * 1000)

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
        self.now = clock.now  # the clock's reading an entry is stamped with
        self._limit = limit
        self._max_bytes = max_bytes
        self._entries: deque[Kept] = deque()
        self._bytes = 0
        self.ids = itertools.count(1)  # each entry's id, counted as calls are recorded

    def add(self, kept: Kept) -> None:
        entries = self._entries
        entries.append(kept)
        self._bytes += kept[SIZE]
        while len(entries) > self._limit or (self._bytes > self._max_bytes and entries):
            self._bytes -= entries.popleft()[SIZE]

    def entries(self) -> list[Entry]:
        return [Entry.of(kept) for kept in self._entries]

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


class Received:
    """What a request's body has delivered so far: its first `MAX_BODY_BYTES` and its size in all."""

    __slots__ = ("body", "size", "done")

    def __init__(self, headers: RequestHeaders) -> None:
        self.body = b""  # a body that comes in one piece is kept as that piece, not copied
        self.size = 0
        self.done = not declares_body(headers)

    def take(self, message: Message) -> None:
        if message["type"] == "http.request":
            chunk = message.get("body", b"")
            self.size += len(chunk)
            room = MAX_BODY_BYTES - len(self.body)
            if room > 0:
                self.body += chunk[:room]
            self.done = not message.get("more_body", False)
        else:
            self.done = True

    async def drain(self, receive: Receive) -> None:
        """Read what the app left unread, so a request rejected before its body was read is journaled
        with it; bounded in bytes and in time, since the client may be stalling."""
        try:
            async with asyncio.timeout(DRAIN_SECONDS):
                while not self.done and self.size <= MAX_BODY_BYTES:
                    self.take(await receive())
        except TimeoutError:
            pass


def declares_body(headers: RequestHeaders) -> bool:
    """A Transfer-Encoding line, or a Content-Length line other than 0 (any of them, when sent more than once)."""
    if b"transfer-encoding" in headers.first:
        return True
    if b"content-length" in headers.repeated:
        return any(value.strip() not in (b"", b"0") for name, value in headers.raw if name == b"content-length")
    return headers.first.get(b"content-length", b"").strip() not in (b"", b"0")


class Recorder:
    """Writes the log line of every call to one API and, given a journal, its entry.

    An entry keeps references to what the request and its answer already hold (the scope's headers,
    the body read, the encoded answer); masking, cutting and decoding wait for `Entry.to_json`."""

    def __init__(self, journal: Journal | None, api: str, base_path: str = "", reason_of: ReasonOf = _no_reason):
        self.journal = journal
        self.api = api
        self.base_path = base_path
        self.reason_of = reason_of
        # the clock's reading for an entry, taken when the request arrives (None: nothing is journaled)
        self.arrived: Callable[[], datetime | None] = journal.now if journal is not None else _no_moment

    def record(
        self,
        scope: Scope,
        received: Received,
        status: int | None,
        response_headers: list[tuple[bytes, bytes]],
        response_body: bytes,
        response_size: int,
        started: float,
        moment: datetime | None,
        header_bytes: int | None = None,
    ) -> None:
        """`header_bytes`: the request's header lines' size in all, when the caller has measured it."""
        seconds = time.perf_counter() - started
        reason = None if status is None or status < 400 else self._reason(response_body, response_size)
        path: str = scope["path"]
        if log.isEnabledFor(logging.INFO):
            log.info("%s %s %s %s %s %.1fms", self.api, scope["method"], path, status, reason or "-", seconds * 1000)
        journal = self.journal
        if journal is None or moment is None:
            return
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        query_string: bytes = scope.get("query_string", b"")
        body = received.body
        if header_bytes is None:
            header_bytes = sum(map(len, itertools.chain.from_iterable(headers)))
        size = ENTRY_OVERHEAD + header_bytes + len(body) + len(response_body) + len(query_string) + len(path)
        size += sum(map(len, itertools.chain.from_iterable(response_headers)))
        journal.add(
            (
                next(journal.ids), self.api, scope["method"], path, self.base_path, query_string, body, received.size,
                status, moment, reason, response_body, response_size, seconds, size, len(headers),
                *itertools.chain.from_iterable(headers), *itertools.chain.from_iterable(response_headers),
            )  # fmt: skip
        )

    def _reason(self, response_body: bytes, response_size: int) -> str | None:
        """The vendor's reason in an error answer's body (one cut for the journal has none)."""
        if response_size > len(response_body):
            return None
        try:
            return self.reason_of(parse_json(response_body))
        except InputError:
            return None


class _SentCapture:
    """An app's answer as it passes: its status, headers and the first `MAX_BODY_BYTES` of its body."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self.status: int | None = None
        self.headers: list[tuple[bytes, bytes]] = []
        self.body = bytearray()
        self.size = 0
        self.before_start: Callable[[], Awaitable[None]] | None = None

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            if self.before_start is not None:
                await self.before_start()
            self.status = message["status"]
            self.headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            chunk = message.get("body", b"")
            self.size += len(chunk)
            room = MAX_BODY_BYTES - len(self.body)
            if room > 0:
                self.body += chunk[:room]
        await self._send(message)


class JournalMiddleware:
    """Records the calls to an app that answers by itself (journal None: only logs them, as for the admin
    API); the vendors' pipelines record their calls through their `Recorder` directly."""

    def __init__(
        self,
        app: ASGIApp,
        journal: Journal | None,
        api: str,
        base_path: str = "",
        reason_of: ReasonOf = _no_reason,
    ) -> None:
        self.app = app
        self.recorder = Recorder(journal, api, base_path, reason_of)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        moment = self.recorder.arrived()
        received = Received(RequestHeaders(scope))
        sent = _SentCapture(send)
        scope = {**scope, JOURNALED: True}

        async def receiving() -> Message:
            message = await receive()
            received.take(message)
            return message

        async def drain() -> None:
            if not received.done:
                await received.drain(receive)

        if moment is not None:
            sent.before_start = drain
        failed = False
        try:
            await self.app(scope, receiving, sent.send)
        except BaseException:
            failed = True
            raise
        finally:
            status = sent.status if sent.status is not None else (500 if failed else None)
            self.recorder.record(scope, received, status, sent.headers, bytes(sent.body), sent.size, started, moment)
