"""Deliberately broken targets: the in-process fake behind an ASGI wrapper that breaks exactly one rule.

Each behaviour check of `mockserver fuzz` is shown able to fail by a run against one of these.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass
class Exchange:
    """One request as the wrapper sees it, and the answer it will give."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    status: int = 0
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: bytes = b""

    def json(self) -> Any:
        try:
            return json.loads(self.body) if self.body else None
        except ValueError:
            return None

    def response_json(self) -> Any:
        try:
            return json.loads(self.response_body) if self.response_body else None
        except ValueError:
            return None

    def answer_json(self, status: int, body: Any, media_type: str = "application/json") -> None:
        self.status = status
        self.response_body = json.dumps(body).encode()
        self.response_headers = {"content-type": media_type}


Call = Callable[[Exchange], Awaitable[Exchange]]


class Breaker:
    """Wraps `app`; `before` may rewrite the request, `after` the answer (and call the app again)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def before(self, exchange: Exchange) -> None:
        pass

    async def after(self, exchange: Exchange, call: Call) -> None:
        pass

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        exchange = Exchange(
            method=scope["method"],
            path=scope["path"],
            query=dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)),
            headers={name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]},
            body=body,
        )
        await self.before(exchange)
        await self.call(exchange)
        await self.after(exchange, self.call)
        headers = [(name.encode(), value.encode()) for name, value in exchange.response_headers.items()]
        headers = [(name, value) for name, value in headers if name != b"content-length"]
        headers.append((b"content-length", str(len(exchange.response_body)).encode()))
        await send({"type": "http.response.start", "status": exchange.status, "headers": headers})
        await send({"type": "http.response.body", "body": exchange.response_body})

    async def call(self, exchange: Exchange) -> Exchange:
        """Send `exchange`'s request to the wrapped app and record its answer in it."""
        headers = [
            (name.encode("latin-1"), value.encode("latin-1"))
            for name, value in exchange.headers.items()
            if name != "content-length"
        ]
        headers.append((b"content-length", str(len(exchange.body)).encode()))
        scope: dict[str, Any] = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": exchange.method,
            "scheme": "http",
            "path": exchange.path,
            "raw_path": exchange.path.encode(),
            "query_string": urlencode(exchange.query).encode(),
            "root_path": "",
            "headers": headers,
            "server": ("localhost", 80),
            "client": ("127.0.0.1", 50000),
        }
        sent = False

        async def receive() -> Message:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": exchange.body, "more_body": False}

        chunks: list[bytes] = []

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                exchange.status = message["status"]
                exchange.response_headers = {
                    name.decode("latin-1").lower(): value.decode("latin-1") for name, value in message["headers"]
                }
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        exchange.response_body = b"".join(chunks)
        return exchange

    def sub(self, exchange: Exchange, **changes: Any) -> Exchange:
        """Another request to the wrapped app, like `exchange` but with `changes`."""
        data = {
            "method": exchange.method,
            "path": exchange.path,
            "query": dict(exchange.query),
            "headers": dict(exchange.headers),
            "body": exchange.body,
        }
        data.update(changes)
        return Exchange(**data)


# -- Align -----------------------------------------------------------------------------------------

ALIGN_SYNC = "/align/api/v1/integration/time-entries"


class DropsReplayedHeader(Breaker):
    """Replays a stored Idempotency-Key answer without `Idempotent-Replayed: true`."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        exchange.response_headers.pop("idempotent-replayed", None)


class FreshIdOnNaturalKeyRepeat(Breaker):
    """Answers a repeated sync 201 `created: true` with a fresh id, as if it made a duplicate."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        body = exchange.response_json()
        if exchange.path == ALIGN_SYNC and exchange.status == 200 and isinstance(body, dict):
            exchange.answer_json(201, {**body, "id": str(uuid.uuid4()), "created": True})


class IgnoresReusedKey(Breaker):
    """A key reused with another body is not refused: the request is handled as if it had no key."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        body = exchange.response_json()
        if exchange.status == 422 and isinstance(body, dict) and body.get("reason") == "idempotency_key_reused":
            headers = {name: value for name, value in exchange.headers.items() if name != "idempotency-key"}
            answer = await call(self.sub(exchange, headers=headers))
            exchange.status, exchange.response_headers = answer.status, answer.response_headers
            exchange.response_body = answer.response_body


class ProjectKeyOnIntegration(Breaker):
    """Lets Acme's project-scoped key call /integration/* as if it were the org key."""

    async def before(self, exchange: Exchange) -> None:
        if "/integration/" in exchange.path + "/" and exchange.headers.get("authorization", "").endswith(
            "ako_demo_proj_acme_web"
        ):
            exchange.headers["authorization"] = "Bearer ako_demo_org_acme"


class NoPlanGate(Breaker):
    """Globex, without `time_tracking`, is let through (as Acme) instead of 402."""

    async def before(self, exchange: Exchange) -> None:
        if exchange.headers.get("authorization", "").endswith("ako_demo_org_globex"):
            exchange.headers["authorization"] = "Bearer ako_demo_org_acme"


class FrameworkNotFound(Breaker):
    """Answers 404 in the framework's problem+json instead of the vendor's envelope."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        if exchange.status == 404:
            problem = {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "not found"}
            exchange.answer_json(404, problem, "application/problem+json")


class RejectedLogStillWrites(Breaker):
    """A log the API rejects (400/404/409/422) still rewrites the description of the entry logged last."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app)
        self.last: tuple[str, dict[str, Any]] | None = None
        self.writes = 0

    async def after(self, exchange: Exchange, call: Call) -> None:
        sent = exchange.json()
        if exchange.method != "POST" or "/projects/" not in exchange.path or not isinstance(sent, dict):
            return
        if exchange.status == 201 and isinstance(sent.get("externalRef"), dict):
            self.last = (exchange.path, sent)
        elif exchange.status in (400, 404, 409, 422) and self.last is not None:
            self.writes += 1
            path, body = self.last
            headers = {name: value for name, value in exchange.headers.items() if name != "idempotency-key"}
            headers["authorization"] = "Bearer ako_demo_org_acme"
            touched = {**body, "description": f"written by a rejected request #{self.writes}"}
            await call(self.sub(exchange, path=path, headers=headers, body=json.dumps(touched).encode()))


# -- Contracting -----------------------------------------------------------------------------------

CONTRACTING_ENTRIES = "/contracting/api/v1/time-entries"
ACME, ZETA = "tnt_acme00000000000000000001", "tnt_zeta00000000000000000002"


class TenantLeak(Breaker):
    """Serves tenant zeta from tenant acme's records."""

    async def before(self, exchange: Exchange) -> None:
        if exchange.headers.get("tenant-id") == ZETA:
            exchange.headers["tenant-id"] = ACME


class IgnoresExpand(Breaker):
    """Never expands: every relation stays an id string whatever `expand` asks."""

    async def before(self, exchange: Exchange) -> None:
        exchange.query.pop("expand", None)


class ExclusiveDateBounds(Breaker):
    """Treats `dateFrom`/`dateTo` as exclusive: entries on a bound are left out."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        body = exchange.response_json()
        bounds = {exchange.query.get("dateFrom"), exchange.query.get("dateTo")} - {None}
        if exchange.path == CONTRACTING_ENTRIES and exchange.status == 200 and bounds and isinstance(body, dict):
            kept = [item for item in body.get("data", []) if item.get("date") not in bounds]
            exchange.answer_json(200, {**body, "data": kept})


class RejectedCreateStillWrites(Breaker):
    """A create the API rejects (400/404/415) still stores an entry."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        if exchange.method == "POST" and exchange.path == CONTRACTING_ENTRIES and exchange.status in (400, 404, 415):
            body = {"projectId": "prj_acmeweb00000000000000001", "date": "2024-01-01", "durationSeconds": 60}
            headers = {
                "authorization": "Bearer kk_demo_token_all",
                "tenant-id": exchange.headers.get("tenant-id", ACME),
                "content-type": "application/json",
            }
            await call(self.sub(exchange, headers=headers, body=json.dumps(body).encode(), query={}))


# -- Productive ------------------------------------------------------------------------------------

PRODUCTIVE_ENTRIES = "/productive/api/v2/time_entries"
JSON_API = "application/vnd.api+json"


class IgnoresFilters(Breaker):
    """Lists every entry whatever `filter[...]` asks."""

    async def before(self, exchange: Exchange) -> None:
        exchange.query = {name: value for name, value in exchange.query.items() if not name.startswith("filter")}


class IgnoresSort(Breaker):
    """Lists in creation order whatever `sort` asks."""

    async def before(self, exchange: Exchange) -> None:
        exchange.query.pop("sort", None)


class OffByOneTotalPages(Breaker):
    """Counts one page too many in `meta.total_pages`."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        body = exchange.response_json()
        if exchange.path == PRODUCTIVE_ENTRIES and exchange.status == 200 and isinstance(body, dict):
            meta = {**body["meta"], "total_pages": body["meta"]["total_pages"] + 1}
            exchange.answer_json(200, {**body, "meta": meta}, JSON_API)


class DropsIncluded(Breaker):
    """Fills the relationships' `data` but leaves `included` out."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        body = exchange.response_json()
        if exchange.status == 200 and isinstance(body, dict) and body.get("included"):
            exchange.answer_json(200, {key: value for key, value in body.items() if key != "included"}, JSON_API)


class GenericConflict(Breaker):
    """Answers every approval conflict with one generic 409 instead of the seed's codes."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        if exchange.status == 409 and exchange.path.rsplit("/", 1)[-1] in (
            "approve",
            "unapprove",
            "reject",
            "unreject",
        ):
            body = {"errors": [{"status": "409", "code": "conflict", "title": "Conflict error", "source": {}}]}
            exchange.answer_json(409, body, JSON_API)


class PatchNotSaved(Breaker):
    """Answers a PATCH as if applied but never stores it."""

    async def before(self, exchange: Exchange) -> None:
        sent = exchange.json()
        if exchange.method == "PATCH" and exchange.path.count("/") == 5 and isinstance(sent, dict):
            exchange.method, exchange.body = "GET", b""
            exchange.headers.pop("content-type", None)
            self.patch = (sent.get("data") or {}).get("attributes") or {}
        else:
            self.patch = None

    async def after(self, exchange: Exchange, call: Call) -> None:
        body = exchange.response_json()
        if self.patch is not None and exchange.status == 200 and isinstance(body, dict):
            attributes = {**body["data"]["attributes"], **self.patch}
            exchange.answer_json(200, {**body, "data": {**body["data"], "attributes": attributes}}, JSON_API)


class RejectedEntryStillWrites(Breaker):
    """A create the API rejects (400/404/422) still stores an entry."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        if exchange.method == "POST" and exchange.path == PRODUCTIVE_ENTRIES and exchange.status in (400, 404, 422):
            body = {
                "data": {
                    "type": "time_entries",
                    "attributes": {"date": "2024-01-01", "time": 60},
                    "relationships": {
                        "person": {"data": {"type": "people", "id": "8160"}},
                        "service": {"data": {"type": "services", "id": "1192"}},
                    },
                }
            }
            headers = {"x-auth-token": "pat_demo_1001", "x-organization-id": "1001", "content-type": JSON_API}
            await call(self.sub(exchange, headers=headers, body=json.dumps(body).encode(), query={}))
