"""Kukkingu Contracting's behaviour rules (the registry's `contracting.*` rules), one check per rule."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import schemathesis
from schemathesis.checks import CheckContext
from schemathesis.core.transport import Response
from schemathesis.generation.case import Case

from mockserver.fuzz.adapter import run_headers
from mockserver.fuzz.probe import (
    SKIP,
    applies,
    describe,
    json_body,
    operation_id,
    replay,
    request,
    send,
    violation,
)
from mockserver.fuzz.target import Target

LIST = "listTimeEntries"
GET = "getTimeEntry"
TENANT_HEADER = "tenant-id"
EXPAND_PATHS = (
    "project",
    "project.contract",
    "project.contract.client",
    "billable",
    "billable.invoice",
    "billable.invoice.contract",
    "billable.invoice.contract.client",
)
CROSS_READS = 3


def _tenant(case: Case) -> str | None:
    for name, value in (case.headers or {}).items():
        if name.lower() == TENANT_HEADER:
            return str(value)
    return None


def _other_tenant(case: Case, target: Target) -> str | None:
    tenant, other = target.credentials.tenant, target.credentials.other_tenant
    if other is None:
        return None
    return {tenant: other, other: tenant}.get(_tenant(case))


def _in_tenant(case: Case, tenant: str) -> dict[str, str]:
    headers = {name: str(value) for name, value in (case.headers or {}).items() if name.lower() != TENANT_HEADER}
    return {**headers, TENANT_HEADER: tenant}


def _items(body: Any) -> list[dict[str, Any]]:
    data = body.get("data") if isinstance(body, dict) else None
    if isinstance(data, dict):
        return [data]
    return [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []


@schemathesis.check
def tenant_isolation(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """[rule contracting.tenant.isolation] Records of one tenant are never visible from another, both ways: 404 by id,
    absent from lists."""
    target = applies(case, "contracting", LIST, GET)
    other = _other_tenant(case, target) if target is not None else None
    if other is None or response.status_code != 200:
        return SKIP
    mine = {item.get("id") for item in _items(json_body(response))}
    if operation_id(case) == GET:
        follow_up = replay(case, headers={TENANT_HEADER: other})
        answer = send(ctx, case, follow_up)
        if answer.status_code != 404:
            raise violation(tenant_isolation, case, f"Read from tenant {other}: {describe(answer)}", at=follow_up)
        return None
    theirs_list = request(case, LIST, headers=_in_tenant(case, other))
    theirs = {item.get("id") for item in _items(json_body(send(ctx, case, theirs_list)))}
    shared = sorted(str(entry) for entry in mine & theirs)
    if shared:
        raise violation(tenant_isolation, case, f"Listed in both tenants: {', '.join(shared)}", at=theirs_list)
    own_tenant = _tenant(case) or ""
    for entry in sorted(str(entry) for entry in theirs)[:CROSS_READS]:
        read = request(case, GET, headers=_in_tenant(case, own_tenant), path_parameters={"id": entry})
        answer = send(ctx, case, read)
        if answer.status_code != 404:
            raise violation(
                tenant_isolation, case, f"Entry {entry} of tenant {other}, read here: {describe(answer)}", at=read
            )
    return None


def _expanded(query: dict[str, Any]) -> set[str] | None:
    value = query.get("expand")
    if not isinstance(value, str):
        return None
    asked = {path for path in value.split(",") if path}
    return {".".join(path.split(".")[: depth + 1]) for path in asked for depth in range(path.count(".") + 1)}


def _expand_problems(item: dict[str, Any], expanded: set[str]) -> list[str]:
    problems = []
    for path in EXPAND_PATHS:
        node: Any = item
        for part in path.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        parent = path.rsplit(".", 1)[0] if "." in path else None
        if node is None or (parent is not None and parent not in expanded):
            continue
        if path in expanded and not isinstance(node, dict):
            problems.append(f"{item.get('id')}: `{path}` was asked for but is {node!r}")
        elif path not in expanded and not isinstance(node, str):
            problems.append(f"{item.get('id')}: `{path}` was not asked for but is expanded")
    return problems


@schemathesis.check
def expand_matches_paths(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """[rule contracting.expand.paths] `expand` gives objects exactly for the asked paths and their parents, id strings
    elsewhere."""
    if applies(case, "contracting", LIST, GET) is None or response.status_code != 200:
        return SKIP
    expanded = _expanded(dict(case.query or {})) or set()
    problems = [problem for item in _items(json_body(response)) for problem in _expand_problems(item, expanded)]
    if problems:
        raise violation(expand_matches_paths, case, "\n".join(problems[:10]))
    return None


@schemathesis.check
def date_bounds_inclusive(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """[rule contracting.list.date-bounds] `dateFrom`/`dateTo` are inclusive: entries lie within them; an entry's own
    date lists it."""
    if applies(case, "contracting", LIST) is None or response.status_code != 200:
        return SKIP
    query = dict(case.query or {})
    items = _items(json_body(response))
    low, high = query.get("dateFrom"), query.get("dateTo")
    outside = [
        f"{item.get('id')} ({item.get('date')})"
        for item in items
        if isinstance(item.get("date"), str)
        and ((isinstance(low, str) and item["date"] < low) or (isinstance(high, str) and item["date"] > high))
    ]
    if outside:
        raise violation(date_bounds_inclusive, case, f"Outside [{low}, {high}]: {', '.join(outside[:10])}")
    dated = [item for item in items if isinstance(item.get("date"), str)]
    if not dated:
        return None
    probe = dated[0]
    follow_up = replay(case, query={**query, "dateFrom": probe["date"], "dateTo": probe["date"]})
    answer = send(ctx, case, follow_up)
    if probe.get("id") not in {item.get("id") for item in _items(json_body(answer))}:
        raise violation(
            date_bounds_inclusive,
            case,
            f"Entry {probe.get('id')} of {probe['date']} is missing from dateFrom=dateTo={probe['date']}: "
            f"{describe(answer)}",
            at=follow_up,
        )
    return None


# -- what the shared rules need to know about Contracting (checks/common.py) -------------------------

MEDIA_TYPE = "application/json"
CODES = {
    400: "FST_ERR_VALIDATION",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    415: "FST_ERR_CTP_INVALID_MEDIA_TYPE",
}
PHRASES = {413: "Payload Too Large", 422: "Unprocessable Entity"}


def envelope_problems(status: int, body: Any) -> list[str]:
    """Fastify's `{"statusCode", "code", "error", "message"}`, `error` the HTTP reason phrase."""
    if not isinstance(body, dict):
        return ["the body is not a JSON object"]
    problems = []
    if body.get("statusCode") != status:
        problems.append(f"`statusCode` is {body.get('statusCode')!r}, expected {status}")
    phrase = PHRASES.get(status) or HTTPStatus(status).phrase
    if body.get("error") != phrase:
        problems.append(f"`error` is {body.get('error')!r}, expected {phrase!r}")
    expected_code = CODES.get(status)
    if not isinstance(body.get("code"), str) or (expected_code is not None and body["code"] != expected_code):
        problems.append(f"`code` is {body.get('code')!r}, expected {expected_code or 'a string'!r}")
    if not isinstance(body.get("message"), str):
        problems.append("`message` is missing or not a string")
    extra = sorted(set(body) - {"statusCode", "code", "error", "message"})
    if extra:
        problems.append(f"members outside the envelope: {', '.join(extra)}")
    return problems


def observe(ctx: CheckContext, case: Case, target: Target) -> Any:
    """Every entry of the tenant the request worked in (the list has no pagination)."""
    tenant = _tenant(case) or ""
    if tenant not in (target.credentials.tenant, target.credentials.other_tenant):
        tenant = target.credentials.tenant or ""
    headers: dict[str, str] = {**run_headers(ctx), **target.credentials.headers(), TENANT_HEADER: tenant}
    answer = send(ctx, case, request(case, LIST, headers=headers))
    return answer.status_code, json_body(answer)
