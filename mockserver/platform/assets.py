"""Swagger UI's static files (its 1 MB bundle above all) compressed once and kept, not on every request.

Starlette's GZipMiddleware compresses each answer anew at level 9: about a quarter of a second for the
bundle, on every page load. Here the first request for a file asks the app for it once, plain; a 200 is
compressed then and kept with the app's own validators (ETag, Last-Modified), and later requests are
answered from memory, 304 on a matching If-None-Match. Anything else goes through `fallback`.
"""

from __future__ import annotations

import asyncio
import gzip
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ASSET_SUFFIXES = (".js", ".css")
LEVEL = 6  # within a few percent of level 9's size, several times faster
CACHE_CONTROL = b"public, max-age=86400"  # the files change only with the installed Swagger UI package


@dataclass(frozen=True)
class Compressed:
    headers: list[tuple[bytes, bytes]]  # the app's own, less its length; encoding, length, caching added
    body: bytes
    etag: str | None


class CompressedAssets:
    def __init__(self, app: ASGIApp, fallback: ASGIApp) -> None:
        self.app = app
        self.fallback = fallback
        self._kept: dict[str, Compressed] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"]
        headers = Headers(scope=scope)
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or not path.endswith(ASSET_SUFFIXES)
            or "gzip" not in headers.get("accept-encoding", "")
            or "range" in headers
        ):
            await self.fallback(scope, receive, send)
            return
        kept = self._kept.get(path)
        if kept is None:
            kept = await self._compress(scope)
            if kept is None:
                await self.fallback(scope, receive, send)
                return
            self._kept[path] = kept
        if kept.etag is not None and kept.etag in headers.get("if-none-match", ""):
            not_modified = [(name, value) for name, value in kept.headers if name in (b"etag", b"cache-control")]
            await send({"type": "http.response.start", "status": 304, "headers": not_modified})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": kept.headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else kept.body})

    async def _compress(self, scope: Scope) -> Compressed | None:
        plain = {
            **scope,
            "method": "GET",
            # ASGI 2.4: the file is sent without listening for a disconnect, and not as a path to send
            "asgi": {**scope.get("asgi", {}), "spec_version": "2.4"},
            "extensions": {},
            "headers": [
                (name, value)
                for name, value in scope["headers"]
                if name not in (b"accept-encoding", b"if-none-match", b"if-modified-since", b"range")
            ],
        }
        status = 0
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []

        asked = False

        async def receive() -> Message:
            nonlocal asked
            if asked:  # nothing more will come: wait until the app is done
                await asyncio.Event().wait()
            asked = True
            return {"type": "http.request", "body": b"", "more_body": False}

        async def collect(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status, headers = message["status"], list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(plain, receive, collect)
        if status != 200:
            return None
        body = gzip.compress(b"".join(chunks), compresslevel=LEVEL, mtime=0)
        kept = [(name, value) for name, value in headers if name not in (b"content-length", b"cache-control")]
        kept += [
            (b"content-encoding", b"gzip"),
            (b"vary", b"Accept-Encoding"),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", CACHE_CONTROL),
        ]
        etag = next((value.decode("latin-1") for name, value in headers if name == b"etag"), None)
        return Compressed(kept, body, etag)
