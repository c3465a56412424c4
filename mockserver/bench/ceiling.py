"""The ceiling: a bare Starlette app serving the same Align data, with none of the fake's pipeline."""

from __future__ import annotations

import json
import uuid
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


def productive_list_app(entries: list[dict[str, Any]]) -> Starlette:
    """The same list page with nothing around it: filter by person and date, sort by date descending."""

    async def list_entries(request: Request) -> Response:
        person = request.query_params["filter[person_id]"]
        after = request.query_params["filter[after]"]
        size = int(request.query_params["page[size]"])
        matching = [e for e in entries if e["person_id"] == person and e["date"] >= after]
        matching.sort(key=lambda entry: (entry["date"], int(entry["id"])), reverse=True)
        page = [{"id": e["id"], "type": "time_entries", "attributes": e} for e in matching[:size]]
        return JSONResponse({"data": page, "meta": {"total_count": len(matching), "page_size": size}})

    return Starlette(routes=[Route("/productive/api/v2/time_entries", list_entries, methods=["GET"])])


def ceiling_app(records: dict[str, list[dict[str, Any]]]) -> Starlette:
    entries = {entry["id"]: entry for entry in records["time_entries"]}
    links: dict[str, list[dict[str, Any]]] = {}
    for link in records["integration_links"]:
        links.setdefault(link["alignEntityId"], []).append(link)
    by_ref: dict[tuple[str, str], str] = {}

    async def get_entry(request: Request) -> Response:
        entry = entries.get(request.path_params["id"])
        if entry is None:
            return JSONResponse({"error": "not_found"}, status_code=404)
        return JSONResponse({**entry, "integrationLinks": links.get(entry["id"], [])})

    async def sync(request: Request) -> Response:
        body = json.loads(await request.body())
        key = (body["externalSystem"], body["externalId"])
        if key in by_ref:
            return JSONResponse({**entries[by_ref[key]], "created": False})
        entry = {"id": str(uuid.uuid4()), **body}
        entries[entry["id"]] = entry
        by_ref[key] = entry["id"]
        return JSONResponse({**entry, "created": True}, status_code=201)

    return Starlette(
        routes=[
            Route("/align/api/v1/integration/time-entries/{id}", get_entry, methods=["GET"]),
            Route("/align/api/v1/integration/time-entries", sync, methods=["POST"]),
        ]
    )
