"""Deliberately broken targets: the in-process fake behind an ASGI wrapper that breaks exactly one rule.

Each behaviour check of `mockserver fuzz` is shown able to fail by a run against one of these.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC
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

    def set_json(self, body: Any) -> None:
        """Replace the request's JSON body."""
        self.body = json.dumps(body).encode()

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
        if not exchange.status:  # `before` may answer by itself
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
    """Answers every approval conflict with one generic 409 instead of the codes of productive.yaml decision 19."""

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
            data = sent.get("data")
            self.patch = (data.get("attributes") or {}) if isinstance(data, dict) else {}
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


# -- helpers of the breakers below ------------------------------------------------------------------

ALIGN_PROJECTS = "/align/api/v1/projects/"
ALIGN_GET = "/align/api/v1/integration/time-entries/"
ACME_KEY, REVOKED_KEY, PROJECT_KEY = "ako_demo_org_acme", "ako_demo_revoked", "ako_demo_proj_acme_web"
WEB, MOBILE = "a1000000-0000-4000-8000-000000000001", "a1000000-0000-4000-8000-000000000002"
ACME_USERS = ("a2000000-0000-4000-8000-000000000001", "a2000000-0000-4000-8000-000000000002")
GLOBEX_ENTRY = "b4000000-0000-4000-8000-000000000001"
ALIGN_SLUGS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    409: "conflict",
    415: "unsupported_media_type",
    422: "unprocessable_entity",
    429: "too_many_requests",
}


def align_error(exchange: Exchange, status: int, reason: str) -> None:
    body = {"error": ALIGN_SLUGS.get(status, "bad_request"), "reason": reason, "message": reason}
    exchange.answer_json(status, body)


def is_log(exchange: Exchange) -> bool:
    return exchange.method == "POST" and exchange.path.startswith(ALIGN_PROJECTS)


def rewrite_answer(
    exchange: Exchange, change: Callable[[dict[str, Any]], None], media_type: str = "application/json"
) -> None:
    """Apply `change` to the answer's JSON object (or to its `data` object) in place."""
    body = exchange.response_json()
    if not isinstance(body, dict):
        return
    change(body)
    exchange.answer_json(exchange.status, body, media_type)


# -- Align, provoked rules ---------------------------------------------------------------------------


class RevokedKeyAccepted(Breaker):
    """A revoked key works as its organization's key."""

    async def before(self, exchange: Exchange) -> None:
        if exchange.headers.get("authorization", "").endswith(REVOKED_KEY):
            exchange.headers["authorization"] = f"Bearer {ACME_KEY}"


class UnknownKeyReadsAsMissing(Breaker):
    """A key that does not exist is answered `missing_api_key`."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        if exchange.status == 401 and (exchange.response_json() or {}).get("reason") == "invalid_api_key":
            align_error(exchange, 401, "missing_api_key")


class IgnoresXApiKey(Breaker):
    """Only `Authorization: Bearer` authenticates; X-API-Key is ignored."""

    async def before(self, exchange: Exchange) -> None:
        exchange.headers.pop("x-api-key", None)


class ProjectKeyInAnyProject(Breaker):
    """A project-scoped key may log in any project of its organization."""

    async def before(self, exchange: Exchange) -> None:
        if (
            is_log(exchange)
            and MOBILE in exchange.path
            and exchange.headers.get("authorization", "").endswith(PROJECT_KEY)
        ):
            exchange.headers["authorization"] = f"Bearer {ACME_KEY}"


class PlanGateOnSyncOnly(Breaker):
    """The time_tracking gate holds on the sync only: a disabled org reads and logs (as Acme)."""

    async def before(self, exchange: Exchange) -> None:
        if exchange.path != ALIGN_SYNC and exchange.headers.get("authorization", "").endswith("ako_demo_org_globex"):
            exchange.headers["authorization"] = f"Bearer {ACME_KEY}"


class ValidatesBeforeAuth(Breaker):
    """Input is checked before the key: a bad body answers 400 whatever the credential."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        sent = exchange.json()
        if exchange.status in (401, 402, 403) and isinstance(sent, dict) and sent.get("minutes") == 0:
            align_error(exchange, 400, "validation_error")


class ExistenceBeforeValidation(Breaker):
    """An unknown project is answered 404 before the body is validated."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        sent = exchange.json()
        if exchange.path == ALIGN_SYNC and exchange.status == 400 and isinstance(sent, dict):
            if sent.get("projectId", "").endswith("dead"):
                align_error(exchange, 404, "not_found")


class SyncRepeatUpdates(Breaker):
    """A repeated sync answers `created: false` but writes the new body onto the stored entry."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        sent, body = exchange.json(), exchange.response_json()
        if exchange.path == ALIGN_SYNC and exchange.status == 200 and isinstance(sent, dict) and isinstance(body, dict):
            ref = {"provider": sent["externalSystem"], "externalType": "time_entry", "externalId": sent["externalId"]}
            update = {
                "userId": sent["userId"],
                "workDate": "2025-01-15",
                "minutes": sent["minutes"],
                "externalRef": ref,
            }
            headers = {key: value for key, value in exchange.headers.items() if key != "idempotency-key"}
            await call(
                self.sub(
                    exchange,
                    path=f"{ALIGN_PROJECTS}{sent['projectId']}/time-entries",
                    headers=headers,
                    body=json.dumps(update).encode(),
                )
            )


class SyncSourceIsApi(Breaker):
    """A synced entry answers `source: api` instead of its externalSystem."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        if exchange.path == ALIGN_SYNC and exchange.status in (200, 201):
            rewrite_answer(exchange, lambda body: body.update(source="api"))


class SyncTextAsDescription(Breaker):
    """A sync answers its text as `description` instead of `notes`."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        if exchange.path == ALIGN_SYNC and exchange.status in (200, 201):
            rewrite_answer(exchange, lambda body: body.update(description=body.pop("notes", None)))


class ReadWithoutLinks(Breaker):
    """A read leaves the entry's integration links out."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        if exchange.method == "GET" and exchange.path.startswith(ALIGN_GET) and exchange.status == 200:
            rewrite_answer(exchange, lambda body: body.update(integrationLinks=[]))


class ReadWithoutMetadata(Breaker):
    """A read answers `externalMetadata: null` whatever was stored."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        if exchange.method == "GET" and exchange.path.startswith(ALIGN_GET) and exchange.status == 200:
            rewrite_answer(exchange, lambda body: body.update(externalMetadata=None))


class WorkDateInUtc(Breaker):
    """A datetime workDate is stored as its UTC calendar date."""

    async def before(self, exchange: Exchange) -> None:
        from datetime import datetime

        sent = exchange.json()
        if exchange.path == ALIGN_SYNC and isinstance(sent, dict) and "T" in str(sent.get("workDate", "")):
            try:
                moment = datetime.fromisoformat(sent["workDate"])
            except ValueError:
                return
            if moment.tzinfo is not None:
                exchange.set_json({**sent, "workDate": moment.astimezone(UTC).date().isoformat()})


class UnknownUserAccepted(Breaker):
    """A sync for a user the organization does not have is logged for a user it has."""

    async def before(self, exchange: Exchange) -> None:
        sent = exchange.json()
        if exchange.path == ALIGN_SYNC and isinstance(sent, dict) and sent.get("userId") not in (*ACME_USERS, None):
            if str(sent.get("userId", "")).endswith("dead"):
                exchange.set_json({**sent, "userId": ACME_USERS[0]})


class MinutesUncapped(Breaker):
    """A sync of more than 1440 minutes is taken as 1440."""

    async def before(self, exchange: Exchange) -> None:
        sent = exchange.json()
        if exchange.path == ALIGN_SYNC and isinstance(sent, dict) and isinstance(sent.get("minutes"), int):
            if sent["minutes"] > 1440:
                exchange.set_json({**sent, "minutes": 1440})


class OtherOrganizationReadable(Breaker):
    """Another organization's entry is answered as if it were Acme's."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        if exchange.path == ALIGN_GET + GLOBEX_ENTRY and exchange.status == 404:
            exchange.answer_json(200, {"id": GLOBEX_ENTRY, "organizationId": "b0000000-0000-4000-8000-000000000001"})


class LogIsSubmitted(Breaker):
    """A log is created `submitted` instead of `draft`."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        if is_log(exchange) and exchange.status == 201:
            rewrite_answer(exchange, lambda body: body.update(status="submitted"))


class HoursNotRounded(Breaker):
    """`hours` is minutes / 60 to three decimals ("2.500", "1.167"), not a quarter-hour step."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        body = exchange.response_json()
        if exchange.status in (200, 201) and isinstance(body, dict) and isinstance(body.get("minutes"), int):
            rewrite_answer(exchange, lambda body: body.update(hours=f"{body['minutes'] / 60:.3f}"))


class HoursRoundedDown(Breaker):
    """Hours from minutes are rounded down to the quarter (70 min → "1.0"), not to the nearest."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        sent, body = exchange.json(), exchange.response_json()
        if is_log(exchange) and exchange.status == 201 and isinstance(sent, dict) and "hours" not in sent:
            if isinstance(body, dict) and isinstance(body.get("minutes"), int):
                text = f"{max(1, body['minutes'] // 15) / 4:.2f}"
                rewrite_answer(exchange, lambda body: body.update(hours=text[:-1] if text.endswith("0") else text))


class HoursOverADayAccepted(Breaker):
    """More than 24 hours is taken as 24."""

    async def before(self, exchange: Exchange) -> None:
        sent = exchange.json()
        if is_log(exchange) and isinstance(sent, dict) and isinstance(sent.get("hours"), str):
            try:
                if float(sent["hours"]) > 24:
                    exchange.set_json({**sent, "hours": "24"})
            except ValueError:
                return


class HoursWinOverMinutes(Breaker):
    """With both minutes and hours, hours win."""

    async def before(self, exchange: Exchange) -> None:
        sent = exchange.json()
        if is_log(exchange) and isinstance(sent, dict) and "hours" in sent and "minutes" in sent:
            exchange.set_json({key: value for key, value in sent.items() if key != "minutes"})


class UpsertCreatesDuplicates(Breaker):
    """A known externalRef creates another entry instead of updating its own."""

    async def before(self, exchange: Exchange) -> None:
        sent = exchange.json()
        if is_log(exchange) and isinstance(sent, dict) and isinstance(sent.get("externalRef"), dict):
            ref = sent["externalRef"]
            if str(ref.get("externalId", "")).startswith("WL-") and ref.get("provider") == "jira":
                if not ref["externalId"].endswith("-1"):
                    exchange.set_json(
                        {**sent, "externalRef": {**ref, "externalId": f"{ref['externalId']}-{uuid.uuid4().hex}"}}
                    )


class UpsertSetsSourceApi(Breaker):
    """An upsert rewrites the entry's `source` to `api`."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        if is_log(exchange) and exchange.status == 200:
            rewrite_answer(exchange, lambda body: body.update(source="api"))


class LockedEntriesUpdated(Breaker):
    """An upsert on a locked entry answers 200 as if it applied."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        if exchange.status == 409 and (exchange.response_json() or {}).get("reason") == "entry_locked":
            exchange.answer_json(200, {"id": "a4000000-0000-4000-8000-000000000002", "status": "locked"})


class StoresBadRequestKeys(Breaker):
    """An Idempotency-Key whose first use was a 400 is remembered: later uses answer 422 reused."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app)
        self.refused: set[str] = set()

    async def after(self, exchange: Exchange, call: Call) -> None:
        key = exchange.headers.get("idempotency-key")
        if key is None:
            return
        if key in self.refused and exchange.status < 400:
            align_error(exchange, 422, "idempotency_key_reused")
        elif exchange.status == 400:
            self.refused.add(key)


class KeyScopeWithoutPath(Breaker):
    """An Idempotency-Key is scoped to the organization only: the same key on the other POST is a reuse."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app)
        self.paths: dict[str, str] = {}

    async def after(self, exchange: Exchange, call: Call) -> None:
        key = exchange.headers.get("idempotency-key")
        if key is None or exchange.method != "POST":
            return
        first = self.paths.setdefault(key, exchange.path)
        if first != exchange.path:
            align_error(exchange, 422, "idempotency_key_reused")


# -- Contracting, provoked rules ---------------------------------------------------------------------

CONTRACTING_TOKEN_ALL, CONTRACTING_TOKEN_ACME = "kk_demo_token_all", "kk_demo_token_acme"
CONTRACTING_PHRASES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found"}


def contracting_error(exchange: Exchange, status: int, code: str) -> None:
    body = {
        "statusCode": status,
        "code": code,
        "error": CONTRACTING_PHRASES.get(status, "Bad Request"),
        "message": code,
    }
    exchange.answer_json(status, body)


class UnknownTenantServedAsAcme(Breaker):
    """A tenant that does not exist is served as tenant acme."""

    async def before(self, exchange: Exchange) -> None:
        if exchange.headers.get("tenant-id", ACME) not in (ACME, ZETA):
            exchange.headers["tenant-id"] = ACME


class SingleTenantTokenEverywhere(Breaker):
    """A token limited to acme may use any tenant."""

    async def before(self, exchange: Exchange) -> None:
        if exchange.headers.get("authorization", "").endswith(CONTRACTING_TOKEN_ACME):
            exchange.headers["authorization"] = f"Bearer {CONTRACTING_TOKEN_ALL}"


class MissingTenantDefaultsToAcme(Breaker):
    """A request without `tenant-id` works in tenant acme."""

    async def before(self, exchange: Exchange) -> None:
        if exchange.path.startswith("/contracting/api/") and "tenant-id" not in exchange.headers:
            exchange.headers["tenant-id"] = ACME


class ForeignProjectAccepted(Breaker):
    """A create naming another tenant's project books it on the tenant's own project."""

    async def before(self, exchange: Exchange) -> None:
        sent = exchange.json()
        if (
            exchange.method == "POST"
            and isinstance(sent, dict)
            and str(sent.get("projectId", "")).startswith("prj_zeta")
        ):
            exchange.set_json({**sent, "projectId": "prj_acmeweb00000000000000001"})


class PutMerges(Breaker):
    """PUT merges into the stored entry: omitted optional fields keep their values."""

    async def before(self, exchange: Exchange) -> None:
        sent = exchange.json()
        if exchange.method != "PUT" or not isinstance(sent, dict):
            return
        current = await self.call(self.sub(exchange, method="GET", body=b""))
        stored = (current.response_json() or {}).get("data") if current.status == 200 else None
        if isinstance(stored, dict):
            kept = {
                "billableId": stored.get("billable"),
                "description": stored.get("description"),
                "referenceSource": stored.get("referenceSource"),
                "referenceId": stored.get("referenceId"),
            }
            exchange.set_json({**{k: v for k, v in kept.items() if v is not None}, **sent})


class PutIgnoresProjectId(Breaker):
    """A PUT carrying `projectId` is accepted (the member dropped) instead of 400."""

    async def before(self, exchange: Exchange) -> None:
        sent = exchange.json()
        if exchange.method == "PUT" and isinstance(sent, dict) and "projectId" in sent:
            exchange.set_json({key: value for key, value in sent.items() if key != "projectId"})


class TimestampsWithOffset(Breaker):
    """Timestamps are answered with `+00:00` instead of `Z`."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        if exchange.path.startswith(("/contracting/", "/align/")) and exchange.status in (200, 201):
            exchange.response_body = exchange.response_body.replace(b'Z"', b'+00:00"')


class LenientCalendar(Breaker):
    """29 February of a common year is taken as the 28th."""

    async def before(self, exchange: Exchange) -> None:
        for bound in ("dateFrom", "dateTo"):
            if exchange.query.get(bound) == "2023-02-29":
                exchange.query[bound] = "2023-02-28"
        sent = exchange.json()
        if isinstance(sent, dict) and sent.get("date") == "2023-02-29":
            exchange.set_json({**sent, "date": "2023-02-28"})


class NegativeDurationAccepted(Breaker):
    """A negative or fractional durationSeconds is taken as its whole absolute value."""

    async def before(self, exchange: Exchange) -> None:
        sent = exchange.json()
        duration = sent.get("durationSeconds") if isinstance(sent, dict) else None
        if isinstance(duration, int | float) and not isinstance(duration, bool) and (duration < 0 or duration % 1):
            exchange.set_json({**sent, "durationSeconds": abs(int(duration))})


class ListOrderReversed(Breaker):
    """The list comes newest date first."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        if exchange.method == "GET" and exchange.path == CONTRACTING_ENTRIES and exchange.status == 200:
            rewrite_answer(exchange, lambda body: body.update(data=list(reversed(body.get("data") or []))))


class IgnoresReferenceFilter(Breaker):
    """The list ignores `referenceId`."""

    async def before(self, exchange: Exchange) -> None:
        exchange.query.pop("referenceId", None)


class ExpandWithoutNames(Breaker):
    """Expanded objects carry only their id and links, no `name`."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        if "expand" in exchange.query and exchange.status == 200:

            def strip(node: Any) -> None:
                if isinstance(node, dict):
                    for value in node.values():
                        if isinstance(value, dict):
                            value.pop("name", None)
                            strip(value)

            rewrite_answer(exchange, lambda body: strip(body.get("data")))


class UnknownExpandIgnored(Breaker):
    """Unknown `expand` paths are dropped instead of refused."""

    async def before(self, exchange: Exchange) -> None:
        if "expand" in exchange.query:
            paths = [
                part for part in exchange.query["expand"].split(",") if part.split(".")[0] in ("project", "billable")
            ]
            exchange.query["expand"] = ",".join(paths)
            if not paths:
                exchange.query.pop("expand")


class MediaTypeAsValidation(Breaker):
    """A body that is not JSON answers 400 instead of 415."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        if exchange.path.startswith("/contracting/") and exchange.status == 415:
            contracting_error(exchange, 400, "FST_ERR_VALIDATION")


class ContractingValidatesBeforeAuth(Breaker):
    """A bad body answers 400 before the token and tenant are checked."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        sent = exchange.json()
        if exchange.status in (401, 403) and isinstance(sent, dict) and sent.get("durationSeconds") == -1:
            contracting_error(exchange, 400, "FST_ERR_VALIDATION")


# -- Productive, provoked rules ----------------------------------------------------------------------

PRODUCTIVE_TOKEN, READONLY_TOKEN, OTHER_TOKEN = "pat_demo_1001", "pat_demo_1001_readonly", "pat_demo_1002"


def productive_error(exchange: Exchange, status: int, title: str, **members: Any) -> None:
    exchange.answer_json(status, {"errors": [{"status": str(status), "title": title, **members}]}, JSON_API)


def entry_path(exchange: Exchange) -> bool:
    return exchange.path.startswith(PRODUCTIVE_ENTRIES + "/") and exchange.path.count("/") == 5


class ReadonlyTokenWrites(Breaker):
    """The read-only token may write."""

    async def before(self, exchange: Exchange) -> None:
        if exchange.headers.get("x-auth-token") == READONLY_TOKEN:
            exchange.headers["x-auth-token"] = PRODUCTIVE_TOKEN


class OrganizationFromTokenOnly(Breaker):
    """`X-Organization-Id` is not matched against the token: the token's organization is used."""

    async def before(self, exchange: Exchange) -> None:
        if exchange.headers.get("x-auth-token") == PRODUCTIVE_TOKEN:
            exchange.headers["x-organization-id"] = "1001"


class OrganizationsShareEntries(Breaker):
    """Organization 1002 reads organization 1001's entries."""

    async def before(self, exchange: Exchange) -> None:
        if exchange.method == "GET" and exchange.headers.get("x-auth-token") == OTHER_TOKEN:
            exchange.headers.update({"x-auth-token": PRODUCTIVE_TOKEN, "x-organization-id": "1001"})


class PlainJsonAccepted(Breaker):
    """A body sent as application/json is taken as JSON:API."""

    async def before(self, exchange: Exchange) -> None:
        if exchange.path.startswith("/productive/") and exchange.headers.get("content-type", "").startswith(
            "application/json"
        ):
            exchange.headers["content-type"] = JSON_API


class PatchIdMismatchIgnored(Breaker):
    """A PATCH whose data.id differs from the path's is applied to the path's entry."""

    async def before(self, exchange: Exchange) -> None:
        sent = exchange.json()
        if (
            exchange.method == "PATCH"
            and entry_path(exchange)
            and isinstance(sent, dict)
            and isinstance(sent.get("data"), dict)
        ):
            if "id" in sent["data"]:
                exchange.set_json({"data": {key: value for key, value in sent["data"].items() if key != "id"}})


class PatchTypeAliasRefused(Breaker):
    """A PATCH of type `time-entries` is refused."""

    async def before(self, exchange: Exchange) -> None:
        sent = exchange.json()
        if (
            exchange.method == "PATCH"
            and isinstance(sent, dict)
            and isinstance(sent.get("data"), dict)
            and sent["data"].get("type") == "time-entries"
        ):
            productive_error(exchange, 409, "Conflict", detail="type must be time_entries")


class TimeDefaultsToNull(Breaker):
    """A create without `time` answers `time: null`."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        sent = exchange.json()
        data = sent.get("data") if isinstance(sent, dict) else None
        attributes = data.get("attributes") if isinstance(data, dict) else None
        if exchange.method == "POST" and exchange.path == PRODUCTIVE_ENTRIES and exchange.status == 201:
            if isinstance(attributes, dict) and "time" not in attributes:
                rewrite_answer(exchange, lambda body: body["data"]["attributes"].update(time=None), JSON_API)


class CostsNotConverted(Breaker):
    """`cost` is answered in the organization's currency, not converted to the service's."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        body = exchange.response_json()
        if exchange.path.startswith(PRODUCTIVE_ENTRIES) and exchange.status in (200, 201) and isinstance(body, dict):
            if isinstance(body.get("data"), dict):
                rewrite_answer(
                    exchange,
                    lambda body: body["data"]["attributes"].update(cost=body["data"]["attributes"].get("cost_default")),
                    JSON_API,
                )


class ReadWithoutMeta(Breaker):
    """A GET of one entry answers without `meta`."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        if exchange.method == "GET" and entry_path(exchange) and exchange.status == 200:
            rewrite_answer(exchange, lambda body: body.pop("meta", None), JSON_API)


class BlankDateOneError(Breaker):
    """A blank date answers only "can't be blank"."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        body = exchange.response_json()
        if exchange.status == 422 and isinstance(body, dict) and len(body.get("errors") or []) == 2:
            exchange.answer_json(422, {"errors": body["errors"][:1]}, JSON_API)


class DatesRefusedByPattern(Breaker):
    """A date that is no calendar date answers 400 showing a pattern."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        body = exchange.response_json()
        errors = body.get("errors") if isinstance(body, dict) else None
        if exchange.status == 422 and errors and len(errors) == 1 and errors[0].get("detail") == "is not a date":
            productive_error(exchange, 400, "Bad Request", detail="date does not match ^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class RejectOfApprovedSaysRejected(Breaker):
    """Rejecting an approved entry answers `record_already_rejected`."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        body = exchange.response_json()
        if exchange.path.endswith("/reject") and exchange.status == 409 and isinstance(body, dict):
            if body["errors"][0].get("code") == "record_already_approved":
                body["errors"][0]["code"] = "record_already_rejected"
                exchange.answer_json(409, body, JSON_API)


async def _transition_each_bulk_id(breaker: Breaker, exchange: Exchange, transition: str, pause: float = 0) -> None:
    """Before a bulk approve, send `transition` for each id it names, one by one."""
    sent = exchange.json()
    if not (exchange.path.endswith("/bulk_approve") and isinstance(sent, dict)):
        return
    headers = {k: v for k, v in exchange.headers.items() if k != "content-type"}
    for entry in sent.get("ids") or []:
        path = f"{PRODUCTIVE_ENTRIES}/{entry}/{transition}"
        await breaker.call(breaker.sub(exchange, method="PATCH", path=path, body=b"", headers=headers))
        await asyncio.sleep(pause)


class BulkApprovesBeforeRefusing(Breaker):
    """A bulk approve naming an unknown id approves the known ones, then answers 404."""

    async def before(self, exchange: Exchange) -> None:
        await _transition_each_bulk_id(self, exchange, "approve")


class BulkReapproves(Breaker):
    """A bulk approve approves already approved entries again (a new approved_at)."""

    async def before(self, exchange: Exchange) -> None:
        # unapproved first, one second apart: approved_at has a resolution of seconds
        await _transition_each_bulk_id(self, exchange, "unapprove", pause=1.01)


class StatusNotExclusive(Breaker):
    """`filter[status]=2` (unapproved) lists rejected entries too."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        body = exchange.response_json()
        if exchange.query.get("filter[status]") == "2" and exchange.status == 200 and isinstance(body, dict):
            rejected = await call(self.sub(exchange, query={**exchange.query, "filter[status]": "3"}))
            extra = (rejected.response_json() or {}).get("data") or []
            exchange.answer_json(200, {**body, "data": body["data"] + extra}, JSON_API)


class ExclusiveAfter(Breaker):
    """`filter[after]` and `filter[before]` leave out their own day."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        bounds = {exchange.query.get("filter[after]"), exchange.query.get("filter[before]")} - {None}
        body = exchange.response_json()
        if exchange.path == PRODUCTIVE_ENTRIES and exchange.status == 200 and bounds and isinstance(body, dict):
            kept = [item for item in body["data"] if item["attributes"]["date"] not in bounds]
            exchange.answer_json(200, {**body, "data": kept}, JSON_API)


class UnsupportedParametersIgnored(Breaker):
    """Unknown filters, sorts and includes are ignored instead of 400."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        body = exchange.response_json()
        if exchange.path == PRODUCTIVE_ENTRIES and exchange.status == 400 and isinstance(body, dict):
            if str(body["errors"][0].get("title", "")).startswith("Unsupported"):
                answer = await call(self.sub(exchange, query={}))
                exchange.status, exchange.response_headers = answer.status, answer.response_headers
                exchange.response_body = answer.response_body


class PageSizeUncapped(Breaker):
    """`meta.page_size` echoes any asked size, beyond 200 too."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        size = exchange.query.get("page[size]")
        if (
            exchange.path == PRODUCTIVE_ENTRIES
            and exchange.status == 200
            and size
            and size.isdigit()
            and int(size) > 200
        ):
            rewrite_answer(exchange, lambda body: body["meta"].update(page_size=int(size)), JSON_API)


class DefaultPageSize25(Breaker):
    """Pages hold 25 entries by default."""

    async def before(self, exchange: Exchange) -> None:
        if exchange.method == "GET" and exchange.path == PRODUCTIVE_ENTRIES and "page[size]" not in exchange.query:
            exchange.query["page[size]"] = "25"


class ListWithoutLinks(Breaker):
    """Lists answer without `links`."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        if exchange.method == "GET" and exchange.path == PRODUCTIVE_ENTRIES and exchange.status == 200:
            rewrite_answer(exchange, lambda body: body.pop("links", None), JSON_API)


# -- every API: envelopes of provoked errors, time zones ----------------------------------------------


class ProblemJsonUnauthorized(Breaker):
    """401s answer in the framework's problem+json instead of the vendor's envelope."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        if exchange.status == 401:
            problem = {"type": "about:blank", "title": "Unauthorized", "status": 401, "detail": "no credentials"}
            exchange.answer_json(401, problem, "application/problem+json")


class TimestampsInUtc(Breaker):
    """Moments are answered in UTC (`Z`) whatever the organization's offset."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        import re

        if exchange.status in (200, 201):
            exchange.response_body = re.sub(
                rb'(T\d{2}:\d{2}:\d{2}(?:\.\d+)?)[+-]\d{2}:\d{2}"', rb'\1Z"', exchange.response_body
            )


class LastLinkOffByOne(Breaker):
    """`links.last` points one page past the last."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        body = exchange.response_json()
        if exchange.method == "GET" and exchange.path == PRODUCTIVE_ENTRIES and exchange.status == 200:
            if isinstance(body, dict) and isinstance((body.get("links") or {}).get("last"), str):
                pages = body["meta"]["total_pages"]
                last = body["links"]["last"].replace(f"page%5Bnumber%5D={pages}", f"page%5Bnumber%5D={pages + 1}")
                exchange.answer_json(200, {**body, "links": {**body["links"], "last": last}}, JSON_API)


# -- Idempotency-Key lifetime and scope, foreign billables, organization offsets ------------------------


class InFlightKeyProcessed(Breaker):
    """A key whose first request is still running is not refused: the second request runs as if it had no key."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        body = exchange.response_json()
        if exchange.status == 409 and isinstance(body, dict) and body.get("reason") == "idempotency_key_in_use":
            headers = {name: value for name, value in exchange.headers.items() if name != "idempotency-key"}
            answer = await call(self.sub(exchange, headers=headers))
            exchange.status, exchange.response_headers = answer.status, answer.response_headers
            exchange.response_body = answer.response_body


class KeysNeverExpire(Breaker):
    """Idempotency-Keys are kept for ever: a key used again with another body is a reuse, however old it is."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app)
        self.bodies: dict[tuple[str, str, str], bytes] = {}

    async def before(self, exchange: Exchange) -> None:
        key = exchange.headers.get("idempotency-key")
        if key is None or exchange.method != "POST":
            return
        scope = (exchange.headers.get("authorization", ""), exchange.path, key)
        first = self.bodies.setdefault(scope, exchange.body)
        if first != exchange.body:
            align_error(exchange, 422, "idempotency_key_reused")


class KeyScopeWithoutOrganization(Breaker):
    """An Idempotency-Key is shared by every organization: another organization's use of it is replayed, or refused
    as a reuse when its body differs."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app)
        self.first: dict[tuple[str, str], tuple[str, bytes, Exchange]] = {}

    async def before(self, exchange: Exchange) -> None:
        key = exchange.headers.get("idempotency-key")
        if key is None or exchange.method != "POST":
            return
        stored = self.first.get((exchange.path, key))
        if stored is None or stored[0] == exchange.headers.get("authorization", ""):
            return
        _, body, answer = stored
        if body != exchange.body:
            align_error(exchange, 422, "idempotency_key_reused")
            return
        exchange.status, exchange.response_body = answer.status, answer.response_body
        exchange.response_headers = {**answer.response_headers, "idempotent-replayed": "true"}

    async def after(self, exchange: Exchange, call: Call) -> None:
        key = exchange.headers.get("idempotency-key")
        if key is not None and exchange.method == "POST" and exchange.status < 500:
            self.first.setdefault(
                (exchange.path, key), (exchange.headers.get("authorization", ""), exchange.body, exchange)
            )


class ForeignBillableAccepted(Breaker):
    """A create or replace naming another tenant's billable is written without it (as if none was named)."""

    async def before(self, exchange: Exchange) -> None:
        sent = exchange.json()
        if (
            exchange.method in ("POST", "PUT")
            and exchange.path.startswith(CONTRACTING_ENTRIES)
            and isinstance(sent, dict)
            and str(sent.get("billableId", "")).startswith("bil_zeta")
            and exchange.headers.get("tenant-id", "").startswith("tnt_acme")
        ):
            exchange.set_json({name: value for name, value in sent.items() if name != "billableId"})


class OneOffsetForEveryOrganization(Breaker):
    """Every organization's moments are shown in organization 1001's offset (+02:00), the true instant kept."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        import re
        from datetime import datetime, timedelta, timezone

        def shift(match: re.Match[bytes]) -> bytes:
            moment = datetime.fromisoformat(match.group(1).decode())
            shown = moment.astimezone(timezone(timedelta(hours=2)))
            return f'"{shown.isoformat(timespec="milliseconds")}"'.encode()

        if exchange.status in (200, 201) and exchange.path.startswith(PRODUCTIVE_ENTRIES):
            exchange.response_body = re.sub(
                rb'"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2})"', shift, exchange.response_body
            )


class UtcClockLabelledWithOffset(Breaker):
    """Moments show the UTC clock time labelled with the organization's offset: the offset is right, the instant
    wrong."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        import re
        from datetime import UTC, datetime

        def relabel(match: re.Match[bytes]) -> bytes:
            moment = datetime.fromisoformat(match.group(1).decode())
            wall = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"
            return f'"{wall}{match.group(1).decode()[-6:]}"'.encode()

        if exchange.status in (200, 201) and exchange.path.startswith(PRODUCTIVE_ENTRIES):
            exchange.response_body = re.sub(
                rb'"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2})"', relabel, exchange.response_body
            )


class WithoutAdminApi(Breaker):
    """Not a broken rule: a target that serves the API alone, as a real deployment does (`/__admin` → 404)."""

    async def before(self, exchange: Exchange) -> None:
        if exchange.path.startswith("/__admin"):
            exchange.answer_json(404, {"error": "not_found", "reason": "not_found", "message": "no such path"})


# -- rules found unheld by a review of DESIGN §6 ----------------------------------------------------------


class ConflictsNotStored(Breaker):
    """A 409 is not stored under its Idempotency-Key: the key's next use runs the request again."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        if exchange.status == 409:
            exchange.response_headers.pop("idempotent-replayed", None)


class ForbiddenKeysStored(Breaker):
    """A 403 is stored under its Idempotency-Key (without the organization in the scope, as a proxy would): the key's
    next use answers the 403 again."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app)
        self.forbidden: set[str] = set()

    async def before(self, exchange: Exchange) -> None:
        key = exchange.headers.get("idempotency-key")
        if key in self.forbidden:
            align_error(exchange, 403, "scope_violation")
            exchange.response_headers["idempotent-replayed"] = "true"

    async def after(self, exchange: Exchange, call: Call) -> None:
        key = exchange.headers.get("idempotency-key")
        if key is not None and exchange.status == 403:
            self.forbidden.add(key)


class DescriptionCappedAt1000(Breaker):
    """A sync's description is refused over 1000 characters instead of 2000."""

    async def before(self, exchange: Exchange) -> None:
        sent = exchange.json()
        if exchange.path == ALIGN_SYNC and isinstance(sent, dict) and len(str(sent.get("description", ""))) > 1000:
            align_error(exchange, 400, "validation_error")


class ReferenceIdCappedAt100(Breaker):
    """The list's `referenceId` filter is refused over 100 characters instead of 255."""

    async def before(self, exchange: Exchange) -> None:
        if exchange.path == CONTRACTING_ENTRIES and len(exchange.query.get("referenceId", "")) > 100:
            contracting_error(exchange, 400, "FST_ERR_VALIDATION")


class ListPaginatedAt30(Breaker):
    """The list answers the first 30 entries only, with a `meta` of pages."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        body = exchange.response_json()
        if exchange.method == "GET" and exchange.path == CONTRACTING_ENTRIES and exchange.status == 200:
            data = body["data"]
            exchange.answer_json(200, {"data": data[:30], "meta": {"total": len(data), "pageSize": 30}})


class DeepExpandStopsAtInvoice(Breaker):
    """`expand` goes two levels deep at most: `billable.invoice.contract` stays an id."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        body = exchange.response_json()
        if exchange.method != "GET" or not exchange.path.startswith(CONTRACTING_ENTRIES) or exchange.status != 200:
            return
        items = body["data"] if isinstance(body["data"], list) else [body["data"]]
        for item in items:
            invoice = (item.get("billable") or {}).get("invoice") if isinstance(item.get("billable"), dict) else None
            if isinstance(invoice, dict) and isinstance(invoice.get("contract"), dict):
                invoice["contract"] = invoice["contract"]["id"]
        exchange.answer_json(200, body)


class GtAsGtEq(Breaker):
    """Productive's `gt` operation includes its bound (it is run as `gt_eq`)."""

    async def before(self, exchange: Exchange) -> None:
        if exchange.path == PRODUCTIVE_ENTRIES:
            exchange.query = {name.replace("[gt]", "[gt_eq]"): value for name, value in exchange.query.items()}


class NestedOrGroupAsAnd(Breaker):
    """A nested `$op` group is always an `and`, whatever it asks."""

    async def before(self, exchange: Exchange) -> None:
        if exchange.path == PRODUCTIVE_ENTRIES:
            exchange.query = {
                name: "and" if name.endswith("][$op]") else value for name, value in exchange.query.items()
            }


class PatchPlainJsonAccepted(Breaker):
    """A PATCH sent as `application/json` is taken as JSON:API."""

    async def before(self, exchange: Exchange) -> None:
        if exchange.method == "PATCH" and exchange.headers.get("content-type", "").startswith("application/json"):
            exchange.headers["content-type"] = JSON_API


class RateLimitWithoutRetryAfter(Breaker):
    """A 429 comes without `Retry-After` (a front that drops the header)."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        if exchange.status == 429:
            exchange.response_headers.pop("retry-after", None)


class RateLimitReasonIsTheSlug(Breaker):
    """Align's 429 gives the status slug as its reason, not `rate_limit`."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        if exchange.status == 429:
            align_error(exchange, 429, "too_many_requests")
            exchange.response_headers.update({"retry-after": "1", "x-ratelimit-limit": "60"})
            exchange.response_headers.update({"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1"})


class AnyEntryIdRefused(Breaker):
    """A sync or log naming any `entryId` is refused, its own project's included."""

    async def before(self, exchange: Exchange) -> None:
        sent = exchange.json()
        if exchange.method == "POST" and isinstance(sent, dict) and sent.get("entryId"):
            align_error(exchange, 400, "validation_error")


class PatchDateUnchecked(Breaker):
    """A PATCH's `date` that is no calendar date is ignored instead of refused."""

    async def before(self, exchange: Exchange) -> None:
        from datetime import date

        sent = exchange.json()
        attributes = ((sent or {}).get("data") or {}).get("attributes") if isinstance(sent, dict) else None
        if exchange.method != "PATCH" or not isinstance(attributes, dict) or "date" not in attributes:
            return
        try:
            date.fromisoformat(str(attributes["date"]))
        except ValueError:
            attributes.pop("date")
            exchange.set_json(sent)


class LinksDropFilters(Breaker):
    """Pagination links lead to the unfiltered list: the request's own filters are left out."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        from urllib.parse import parse_qsl as pairs
        from urllib.parse import urlencode as encode
        from urllib.parse import urlsplit as split

        body = exchange.response_json()
        if exchange.method != "GET" or exchange.path != PRODUCTIVE_ENTRIES or exchange.status != 200:
            return
        links = {}
        for name, link in (body.get("links") or {}).items():
            parts = split(link)
            kept = [(key, value) for key, value in pairs(parts.query) if not key.startswith("filter")]
            links[name] = parts._replace(query=encode(kept)).geturl()
        exchange.answer_json(200, {**body, "links": links}, JSON_API)


class NextOnLastPage(Breaker):
    """The last page still has a `next` link, one page further."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        body = exchange.response_json()
        if exchange.method != "GET" or exchange.path != PRODUCTIVE_ENTRIES or exchange.status != 200:
            return
        meta, links = body.get("meta") or {}, body.get("links") or {}
        if "next" not in links and meta.get("current_page") == meta.get("total_pages") and "last" in links:
            pages = meta["total_pages"]
            following = links["last"].replace(f"page%5Bnumber%5D={pages}", f"page%5Bnumber%5D={pages + 1}")
            exchange.answer_json(200, {**body, "links": {**links, "next": following}}, JSON_API)


class MediaTypeBeforeAuth(Breaker):
    """A body of the wrong media type is refused (415) before the credentials are looked at."""

    async def before(self, exchange: Exchange) -> None:
        media_type = exchange.headers.get("content-type", "")
        if exchange.method not in ("POST", "PUT", "PATCH"):
            return
        if exchange.path.startswith("/productive/") and media_type.startswith("application/json"):
            productive_error(exchange, 415, "Unsupported Media Type")
        elif exchange.path.startswith("/align/") and media_type.startswith("text/plain"):
            align_error(exchange, 415, "unsupported_media_type")
        elif exchange.path.startswith("/contracting/") and media_type.startswith("text/plain"):
            contracting_error(exchange, 415, "FST_ERR_CTP_INVALID_MEDIA_TYPE")


class TenantHeaderBeforeToken(Breaker):
    """A request without `tenant-id` is refused (400) before its token is looked at."""

    async def before(self, exchange: Exchange) -> None:
        if exchange.path.startswith(CONTRACTING_ENTRIES) and "tenant-id" not in exchange.headers:
            contracting_error(exchange, 400, "FST_ERR_VALIDATION")


class ReadTextAsDescription(Breaker):
    """A read names the entry's text `description` (as a log's answer does) instead of `notes`."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        body = exchange.response_json()
        if exchange.method == "GET" and exchange.path.startswith(ALIGN_GET) and exchange.status == 200:
            body["description"] = body.pop("notes", None)
            exchange.answer_json(200, body)


class ApprovedAttributeHonoured(Breaker):
    """`approved: true` sent as an attribute of a create or PATCH approves the entry."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        sent = exchange.json()
        attributes = ((sent or {}).get("data") or {}).get("attributes") if isinstance(sent, dict) else None
        body = exchange.response_json()
        if isinstance(attributes, dict) and attributes.get("approved") is True and exchange.status in (200, 201):
            body["data"]["attributes"]["approved"] = True
            exchange.answer_json(exchange.status, body, JSON_API)


class ReadonlyTokenMayChange(Breaker):
    """The read-only token is refused on creates only: it may PATCH, DELETE and approve."""

    async def before(self, exchange: Exchange) -> None:
        if exchange.headers.get("x-auth-token") == READONLY_TOKEN and exchange.method in ("PATCH", "DELETE"):
            exchange.headers["x-auth-token"] = PRODUCTIVE_TOKEN


class OrganizationsShareWrites(Breaker):
    """Organization 1002 may change organization 1001's entries (its reads stay apart)."""

    async def before(self, exchange: Exchange) -> None:
        if exchange.method in ("PATCH", "DELETE") and exchange.headers.get("x-auth-token") == OTHER_TOKEN:
            path = exchange.path
            entry = path.split("/")[5] if path.count("/") >= 5 else ""
            answer = await self.call(self.sub(exchange, method="GET", path=f"{PRODUCTIVE_ENTRIES}/{entry}", body=b""))
            if answer.status == 404:
                exchange.headers.update({"x-auth-token": PRODUCTIVE_TOKEN, "x-organization-id": "1001"})


class UpsertNotStored(Breaker):
    """A log naming a known externalRef answers 200 as if it updated the entry, but stores nothing."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app)
        self.created: dict[str, dict[str, Any]] = {}

    @staticmethod
    def _ref(exchange: Exchange) -> str | None:
        sent = exchange.json()
        if not is_log(exchange) or not isinstance(sent, dict) or not isinstance(sent.get("externalRef"), dict):
            return None
        return json.dumps(sent["externalRef"], sort_keys=True)

    async def before(self, exchange: Exchange) -> None:
        ref = self._ref(exchange)
        if ref is not None and ref in self.created:
            sent = exchange.json()
            changed = {name: sent[name] for name in ("minutes", "description") if name in sent}
            exchange.answer_json(200, {**self.created[ref], **changed})

    async def after(self, exchange: Exchange, call: Call) -> None:
        ref = self._ref(exchange)
        if ref is not None and exchange.status == 201:
            self.created[ref] = exchange.response_json()


class ApprovedStatusSwapped(Breaker):
    """`filter[status]` 1 and 2 are swapped: 1 lists the unapproved entries, 2 the approved ones."""

    async def before(self, exchange: Exchange) -> None:
        if exchange.path == PRODUCTIVE_ENTRIES and exchange.query.get("filter[status]") in ("1", "2"):
            exchange.query["filter[status]"] = {"1": "2", "2": "1"}[exchange.query["filter[status]"]]


class LeapDayRefusedInList(Breaker):
    """The list's date bounds refuse 29 February, leap year or not."""

    async def before(self, exchange: Exchange) -> None:
        bounds = (exchange.query.get("dateFrom", ""), exchange.query.get("dateTo", ""))
        if exchange.path == CONTRACTING_ENTRIES and any(bound.endswith("-02-29") for bound in bounds):
            contracting_error(exchange, 400, "FST_ERR_VALIDATION")


class StoresRefusalKeys(Breaker):
    """An Idempotency-Key whose first use was answered with one of `statuses` is stored (by the key alone, as a proxy
    would): the key's next use answers that refusal again, marked replayed."""

    statuses: tuple[int, ...] = ()

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app)
        self.stored: dict[str, tuple[int, bytes, dict[str, str]]] = {}

    async def before(self, exchange: Exchange) -> None:
        stored = self.stored.get(exchange.headers.get("idempotency-key", ""))
        if stored is not None:
            exchange.status, exchange.response_body, headers = stored
            exchange.response_headers = {**headers, "idempotent-replayed": "true"}

    async def after(self, exchange: Exchange, call: Call) -> None:
        key = exchange.headers.get("idempotency-key")
        if key is not None and exchange.status in self.statuses:
            self.stored[key] = (exchange.status, exchange.response_body, dict(exchange.response_headers))


class StoresUnauthorizedKeys(StoresRefusalKeys):
    """A 401 is stored under its Idempotency-Key."""

    statuses = (401,)


class StoresPaymentRequiredKeys(StoresRefusalKeys):
    """A 402 is stored under its Idempotency-Key."""

    statuses = (402,)


class StoresTooLargeKeys(StoresRefusalKeys):
    """A 413 is stored under its Idempotency-Key."""

    statuses = (413,)


class StoresRateLimitedKeys(StoresRefusalKeys):
    """A 429 is stored under its Idempotency-Key."""

    statuses = (429,)


FOREIGN_LINK = {  # the fixtures' link of the invoiced entry
    "id": "a6000000-0000-4000-8000-000000000001",
    "provider": "jira",
    "externalType": "worklog",
    "externalId": "WL-INVOICED-1",
    "alignEntityType": "time_entry",
    "alignEntityId": "a4000000-0000-4000-8000-000000000001",
}


def is_read(exchange: Exchange) -> bool:
    return exchange.method == "GET" and exchange.path.startswith(ALIGN_GET) and exchange.status == 200


class ReadShowsForeignLinks(Breaker):
    """A read lists another entry's integration link beside the entry's own."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        if is_read(exchange):
            rewrite_answer(exchange, lambda body: body["integrationLinks"].append(FOREIGN_LINK))


class ReadHidesReferenceLinks(Breaker):
    """A read lists only the sync's `time_entry` links: the link a log's externalRef made is left out."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        def keep_time_entry_links(body: dict[str, Any]) -> None:
            links = body["integrationLinks"]
            body["integrationLinks"] = [link for link in links if link["externalType"] == "time_entry"]

        if is_read(exchange):
            rewrite_answer(exchange, keep_time_entry_links)


# -- Productive, sort, relationships and approval marks ------------------------------------------------


class SortOnDateOnly(Breaker):
    """`sort` knows `date` alone: any other field is silently ignored."""

    async def before(self, exchange: Exchange) -> None:
        if exchange.path == PRODUCTIVE_ENTRIES and "sort" in exchange.query:
            fields = [name for name in exchange.query.pop("sort").split(",") if name.lstrip("-") == "date"]
            if fields:
                exchange.query["sort"] = ",".join(fields)


class SortOnFirstFieldOnly(Breaker):
    """A comma list in `sort` is sorted on its first field alone."""

    async def before(self, exchange: Exchange) -> None:
        if exchange.path == PRODUCTIVE_ENTRIES and "sort" in exchange.query:
            exchange.query["sort"] = exchange.query["sort"].split(",")[0]


class NullsSortLast(Breaker):
    """Ascending on a text field, entries without a value come after the others, not first."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app)
        self.sent: dict[str, dict[str, Any]] = {}  # entry id -> the attributes its create sent

    async def after(self, exchange: Exchange, call: Call) -> None:
        body = exchange.response_json()
        if exchange.path != PRODUCTIVE_ENTRIES or not isinstance(body, dict):
            return
        if exchange.method == "POST" and exchange.status == 201:
            self.sent[body["data"]["id"]] = ((exchange.json() or {}).get("data") or {}).get("attributes") or {}
            return
        field = exchange.query.get("sort", "").split(",")[0]
        if exchange.method == "GET" and exchange.status == 200 and field.startswith("jira_"):
            with_value = [item for item in body["data"] if self.sent.get(item["id"], {}).get(field) is not None]
            without = [item for item in body["data"] if item not in with_value]
            exchange.answer_json(200, {**body, "data": with_value + without}, JSON_API)


def productive_records(body: Any) -> list[dict[str, Any]]:
    """The time entries of a Productive answer (one or a list)."""
    if not isinstance(body, dict):
        return []
    data = body.get("data")
    records = data if isinstance(data, list) else [data]
    return [record for record in records if isinstance(record, dict) and record.get("type") == "time_entries"]


def rewrite_records(exchange: Exchange, change: Callable[[dict[str, Any]], None]) -> None:
    """Apply `change` to every time entry of a successful Productive read or list."""
    if exchange.method != "GET" or exchange.status != 200 or not exchange.path.startswith(PRODUCTIVE_ENTRIES):
        return
    body = exchange.response_json()
    for record in productive_records(body):
        change(record)
    exchange.answer_json(200, body, JSON_API)


class RelationshipsNotIncludedAsNull(Breaker):
    """A relationship not included carries `"data": null` instead of `{"meta": {"included": false}}`."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        def as_null(record: dict[str, Any]) -> None:
            for name, value in record.get("relationships", {}).items():
                if value == {"meta": {"included": False}}:
                    record["relationships"][name] = {"data": None}

        rewrite_records(exchange, as_null)


class ApproverNotSet(Breaker):
    """approve sets `approved` and `approved_at` but names no `approver`."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        def without_approver(record: dict[str, Any]) -> None:
            relationships = record.get("relationships", {})
            if record["attributes"].get("approved") and "data" in relationships.get("approver", {}):
                relationships["approver"] = {"data": None}

        rewrite_records(exchange, without_approver)


class ApprovedAtKeptOnUnapprove(Breaker):
    """unapprove clears `approved` but leaves `approved_at` as the approve set it."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app)
        self.approved_at: dict[str, str] = {}

    async def after(self, exchange: Exchange, call: Call) -> None:
        def keep_approved_at(record: dict[str, Any]) -> None:
            attributes = record["attributes"]
            if attributes.get("approved_at"):
                self.approved_at[record["id"]] = attributes["approved_at"]
            elif record["id"] in self.approved_at:
                attributes["approved_at"] = self.approved_at[record["id"]]

        rewrite_records(exchange, keep_approved_at)


class ContainsAsEq(Breaker):
    """`contains` and `not_contain` run as `eq` and `not_eq`: no substring test."""

    async def before(self, exchange: Exchange) -> None:
        renamed = {"[contains]": "[eq]", "[not_contain]": "[not_eq]"}
        query = {}
        for name, value in exchange.query.items():
            for operation, plain in renamed.items():
                name = name.replace(operation, plain)
            query[name] = value
        exchange.query = query


class BulkAnswerInIdOrder(Breaker):
    """A bulk action answers its entries by id, not in the order asked."""

    async def after(self, exchange: Exchange, call: Call) -> None:
        body = exchange.response_json()
        bulk = exchange.path.startswith(PRODUCTIVE_ENTRIES + "/bulk_")
        if bulk and exchange.status == 200 and isinstance(body, dict):
            ordered = sorted(body["data"], key=lambda item: int(item["id"]))
            exchange.answer_json(200, {**body, "data": ordered}, JSON_API)
