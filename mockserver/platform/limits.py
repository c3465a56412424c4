"""Request size limit: a body over 1 MiB is answered 413 before it is parsed.

A body sent without Content-Length (chunked) is read here, up to the limit, and passed on with
its length: connexion's validators take a request without Content-Length for one without a body.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockserver.platform.errors import ApiError

MAX_BODY_BYTES = 1024 * 1024


def too_large() -> ApiError:
    return ApiError(413, "payload_too_large", f"The request body exceeds {MAX_BODY_BYTES} bytes.")


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = next((value for name, value in scope["headers"] if name == b"content-length"), None)
        if length is None:
            scope, receive = await self._buffered(scope, receive)
        elif length.isdigit() and int(length) > self.limit:
            raise too_large()
        else:
            receive = self._counted(receive)
        await self.app(scope, receive, send)

    def _counted(self, receive: Receive) -> Receive:
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise too_large()
            return message

        return counted_receive

    async def _buffered(self, scope: Scope, receive: Receive) -> tuple[Scope, Receive]:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.limit:
                raise too_large()
            if not message.get("more_body", False):
                break
        if not size:
            return scope, receive
        body = b"".join(chunks)
        scope = {**scope, "headers": [*scope["headers"], (b"content-length", str(size).encode())]}
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        return scope, replay
