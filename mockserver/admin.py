"""The admin API (not part of any vendor): health, reset, more fixtures, the request journal."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

if TYPE_CHECKING:
    from mockserver.server import MockServer


def admin_app(server: MockServer) -> Starlette:
    from mockserver.server import FixtureError

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def reset(request: Request) -> Response:
        server.reset()
        return Response(status_code=204)

    async def fixtures(request: Request) -> Response:
        try:
            records = json.loads(await request.body())
        except ValueError as exc:
            return _bad_request(f"the body is not valid JSON: {exc}")
        if not isinstance(records, dict) or not all(isinstance(tables, dict) for tables in records.values()):
            return _bad_request("the body must be {api: {collection: [records]}}, as in fixtures/*.json")
        unknown = sorted(set(records) - set(server.apis))
        if unknown:
            return _bad_request(f"APIs not served here: {', '.join(unknown)}")
        try:
            server.load_fixtures(records)
        except FixtureError as exc:
            return _bad_request(str(exc))
        return Response(status_code=204)

    async def requests(request: Request) -> Response:
        return JSONResponse({"requests": server.journal.entries()})

    return Starlette(
        routes=[
            Route("/__admin/health", health, methods=["GET"]),
            Route("/__admin/reset", reset, methods=["POST"]),
            Route("/__admin/fixtures", fixtures, methods=["POST"]),
            Route("/__admin/requests", requests, methods=["GET"]),
        ]
    )


def _bad_request(message: str) -> Response:
    return JSONResponse({"error": "bad_request", "message": message}, status_code=400)
