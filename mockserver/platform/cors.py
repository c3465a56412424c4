"""CORS (README, "Limits and CORS"): browser preflights answered 204, any origin unless the server names some.

Starlette's CORSMiddleware decides everything; only its preflight status differs (it answers 200 "OK").
A plain OPTIONS, without `Access-Control-Request-Method`, is not a preflight and reaches the API (405).
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

# headers a browser app may read from an answer
EXPOSED = (
    "Idempotent-Replayed",
    "Retry-After",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
    "ETag",
    "Allow",
)


class Cors(CORSMiddleware):
    def __init__(self, app: ASGIApp, origins: Sequence[str] | None = None) -> None:
        super().__init__(
            app,
            allow_origins=list(origins) if origins else ["*"],
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=list(EXPOSED),
            max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not any(name == b"origin" for name, _ in scope["headers"]):
            await self.app(scope, receive, send)  # not a browser's cross-origin call: nothing to add
            return
        await super().__call__(scope, receive, send)

    def preflight_response(self, request_headers: Headers) -> Response:
        answer = super().preflight_response(request_headers)
        if answer.status_code != 200:
            return answer
        headers = {k: v for k, v in answer.headers.items() if k not in ("content-length", "content-type")}
        return Response(status_code=204, headers=headers)
