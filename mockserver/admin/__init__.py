"""The admin API (not part of any vendor): health, reset, fixtures, the request journal, faults and
the clock (README, "Admin API"). Every answer is JSON; errors are `{"error": slug, "message"}`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mockserver.admin import clock as clock_calls
from mockserver.admin.faults import parse_rule
from mockserver.admin.http import AdminError, bad_request, on_admin_error, on_http_error, read_json
from mockserver.admin.requests import parse_filters, select

if TYPE_CHECKING:
    from mockserver.server import MockServer


def admin_app(server: MockServer) -> Starlette:
    from mockserver.server import FixtureError

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def reset(request: Request) -> Response:
        server.reset(flush=False)
        await server.store.commit()
        return Response(status_code=204)

    async def fixtures(request: Request) -> Response:
        records = await read_json(request)
        if not isinstance(records, dict) or not all(isinstance(tables, dict) for tables in records.values()):
            raise bad_request("the body must be {api: {collection: [records]}}, as in fixtures/*.json")
        unknown = sorted(set(records) - set(server.apis))
        if unknown:
            raise bad_request(f"APIs not served here: {', '.join(unknown)}")
        try:
            server.load_fixtures(records, flush=False)
        except FixtureError as exc:
            raise bad_request(str(exc)) from None
        await server.store.commit()
        return Response(status_code=204)

    async def requests(request: Request) -> Response:
        if request.method == "DELETE":
            server.journal.clear()
            return Response(status_code=204)
        entries = select(server.journal.entries(), parse_filters(request.query_params.multi_items()))
        return JSONResponse({"requests": [entry.to_json() for entry in entries]})

    async def count(request: Request) -> Response:
        entries = select(server.journal.entries(), parse_filters(request.query_params.multi_items()))
        return JSONResponse({"count": len(entries)})

    async def faults(request: Request) -> Response:
        if request.method == "POST":
            fault = server.faults.add(parse_rule(await read_json(request), server.apis))
            return JSONResponse(fault.to_json(), status_code=201)
        if request.method == "DELETE":
            server.faults.clear()
            return Response(status_code=204)
        return JSONResponse({"faults": [fault.to_json() for fault in server.faults.all()]})

    async def fault(request: Request) -> Response:
        fault_id = request.path_params["fault_id"]
        if not server.faults.remove(fault_id):
            raise AdminError(404, f"No fault '{fault_id}'.")
        return Response(status_code=204)

    async def clock(request: Request) -> Response:
        if request.method == "DELETE":
            server.clock.reset()
            return Response(status_code=204)
        if request.method == "POST":
            clock_calls.apply(server.clock, await read_json(request))
        return JSONResponse(clock_calls.clock_view(server.clock))

    return Starlette(
        routes=[
            Route("/__admin/health", health, methods=["GET"]),
            Route("/__admin/reset", reset, methods=["POST"]),
            Route("/__admin/fixtures", fixtures, methods=["POST"]),
            Route("/__admin/requests", requests, methods=["GET", "DELETE"]),
            Route("/__admin/requests/count", count, methods=["GET"]),
            Route("/__admin/faults", faults, methods=["GET", "POST", "DELETE"]),
            Route("/__admin/faults/{fault_id}", fault, methods=["DELETE"]),
            Route("/__admin/clock", clock, methods=["GET", "POST", "DELETE"]),
        ],
        exception_handlers={AdminError: on_admin_error, HTTPException: on_http_error},
    )
