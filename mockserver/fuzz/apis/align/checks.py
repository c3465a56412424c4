"""Align's behaviour rules (the registry's `align.*` rules), one check per rule."""

from __future__ import annotations

import re
import uuid
from typing import Any

import schemathesis
from schemathesis.checks import CheckContext
from schemathesis.core.transport import Response
from schemathesis.generation.case import Case

from mockserver.fuzz.adapter import earlier_cases, response_to, run_headers
from mockserver.fuzz.probe import (
    SKIP,
    applies,
    describe,
    header,
    json_body,
    operation_id,
    replay,
    request,
    send,
    violation,
)
from mockserver.fuzz.target import Target

SYNC = "syncIntegrationTimeEntry"
GET = "getIntegrationTimeEntry"
LOG = "logProjectTimeEntry"
KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
NOT_STORED = frozenset({400, 401, 402, 403, 413, 415, 429})


def _fresh_key() -> str:
    return f"mockserver-fuzz-{uuid.uuid4().hex}"


def _other_description(body: dict[str, Any]) -> dict[str, Any]:
    text = "mockserver fuzz: another body"
    return {**body, "description": text if body.get("description") != text else text + " (2)"}


def _as_key(case: Case, key: str) -> Case:
    return replay(case, headers={"Authorization": f"Bearer {key}"}, drop=("X-API-Key", KEY_HEADER))


@schemathesis.check
def natural_key_replay(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """[rule align.sync.created-then-replayed] A repeated externalSystem + externalId sync: 200, `created: false`, same
    ids, entry unchanged."""
    if applies(case, "align", SYNC) is None or response.status_code not in (200, 201):
        return SKIP
    first = json_body(response)
    if not isinstance(first, dict) or not isinstance(case.body, dict) or "id" not in first:
        return SKIP
    body = _other_description(case.body)
    body["minutes"] = body["minutes"] % 1440 + 1
    follow_up = replay(case, drop=(KEY_HEADER,), body=body)
    again = send(ctx, case, follow_up)
    answer = json_body(again)
    if again.status_code != 200 or not isinstance(answer, dict):
        raise violation(natural_key_replay, case, f"The repeat answered {describe(again)}", at=follow_up)
    problems = [f"`created` is {answer.get('created')!r}, expected false"] if answer.get("created") is not False else []
    stale = header(response, REPLAYED_HEADER) == "true"  # a stored answer may predate later upserts
    for field in ("id", "integrationLinkId") if stale else [name for name in first if name != "created"]:
        if answer.get(field) != first.get(field):
            problems.append(f"`{field}` is {answer.get(field)!r}, the first answer had {first.get(field)!r}")
    if problems:
        raise violation(natural_key_replay, case, "\n".join(problems), at=follow_up)
    return None


@schemathesis.check
def idempotency_key_replay(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """[rule align.idempotency.replay] Same Idempotency-Key, same body: the stored answer again,
    `Idempotent-Replayed: true`."""
    if applies(case, "align", SYNC, LOG) is None or not 200 <= response.status_code < 300:
        return SKIP
    key = _fresh_key()
    first_use = replay(case, headers={KEY_HEADER: key})
    first = send(ctx, case, first_use)
    if first.status_code in NOT_STORED:
        return SKIP
    if header(first, REPLAYED_HEADER) is not None:
        raise violation(
            idempotency_key_replay, case, f"A first use of a new key answered `{REPLAYED_HEADER}`", at=first_use
        )
    second_use = replay(case, headers={KEY_HEADER: key})
    second = send(ctx, first_use, second_use)
    problems = []
    if second.status_code != first.status_code:
        problems.append(f"status {second.status_code}, the first use answered {first.status_code}")
    if json_body(second) != json_body(first):
        problems.append(f"body {describe(second)}\nthe first use answered {describe(first)}")
    if header(second, REPLAYED_HEADER) != "true":
        problems.append(f"`{REPLAYED_HEADER}` is {header(second, REPLAYED_HEADER)!r}, expected 'true'")
    if problems:
        raise violation(idempotency_key_replay, case, "The replay: " + "\n".join(problems), at=second_use)
    return None


@schemathesis.check
def idempotency_key_reuse(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """[rule align.idempotency.reuse] An Idempotency-Key used again with another body: 422 `idempotency_key_reused`."""
    if applies(case, "align", SYNC, LOG) is None or not 200 <= response.status_code < 300:
        return SKIP
    if not isinstance(case.body, dict):
        return SKIP
    key = _fresh_key()
    first_use = replay(case, headers={KEY_HEADER: key})
    if send(ctx, case, first_use).status_code in NOT_STORED:
        return SKIP
    reuse = replay(case, headers={KEY_HEADER: key}, body=_other_description(case.body))
    answer = send(ctx, first_use, reuse)
    reason = (json_body(answer) or {}).get("reason") if isinstance(json_body(answer), dict) else None
    if answer.status_code != 422 or reason != "idempotency_key_reused":
        raise violation(idempotency_key_reuse, case, f"The key with another body answered {describe(answer)}", at=reuse)
    return None


@schemathesis.check
def project_key_scope(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """[rule align.scope.project-key-integration] A project-scoped key on /integration/* answers 403
    `scope_violation`."""
    target = applies(case, "align", SYNC, GET)
    if target is None or target.credentials.project_key is None or not 200 <= response.status_code < 300:
        return SKIP
    follow_up = _as_key(case, target.credentials.project_key)
    answer = send(ctx, case, follow_up)
    body = json_body(answer)
    if answer.status_code != 403 or not isinstance(body, dict) or body.get("reason") != "scope_violation":
        raise violation(project_key_scope, case, f"The project-scoped key got {describe(answer)}", at=follow_up)
    return None


@schemathesis.check
def feature_disabled_plan(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """[rule align.plan.time-tracking] An org without `time_tracking`: 402 `feature_disabled` on every time-entry
    call."""
    target = applies(case, "align", SYNC, GET, LOG)
    if target is None or target.credentials.disabled_key is None or not 200 <= response.status_code < 300:
        return SKIP
    follow_up = _as_key(case, target.credentials.disabled_key)
    answer = send(ctx, case, follow_up)
    body = json_body(answer)
    if answer.status_code != 402 or not isinstance(body, dict) or body.get("reason") != "feature_disabled":
        raise violation(
            feature_disabled_plan, case, f"The key of an org without time_tracking got {describe(answer)}", at=follow_up
        )
    return None


QUARTER_HOURS = re.compile(r"^[0-9]+\.(0|25|5|75)$")


@schemathesis.check
def hours_in_quarter_steps(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """[rule align.hours.quarter-steps] Every `hours` Align answers is a quarter-hour step of at least 0.25, written
    with one or two decimals ("2.5", "2.0", "1.75"), and `minutes` of a logged entry agree with it when hours were
    sent."""
    if applies(case, "align") is None or not 200 <= response.status_code < 300:
        return SKIP
    body = json_body(response)
    hours = body.get("hours") if isinstance(body, dict) else None
    if hours is None:
        return SKIP
    if not isinstance(hours, str) or not QUARTER_HOURS.match(hours) or float(hours) < 0.25:
        raise violation(hours_in_quarter_steps, case, f"`hours` is {hours!r}: {describe(response)}")
    return None


# -- what the shared rules need to know about Align (checks/common.py) ------------------------------

MEDIA_TYPE = "application/json"
ERROR_SLUGS = {
    400: "bad_request",
    401: "unauthorized",
    402: "payment_required",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "unprocessable_entity",
    429: "too_many_requests",
    503: "service_unavailable",
}
FIXED_REASONS = {429: "rate_limit", 503: "service_unavailable"}  # the only reason these statuses have
RECENT_ENTRIES = 5


def envelope_problems(status: int, body: Any) -> list[str]:
    """`{"error", "reason", "message", "details"?}`, `error` the status' reason phrase in snake case."""
    if not isinstance(body, dict):
        return ["the body is not a JSON object"]
    problems = [
        f"`{name}` is missing or not a string"
        for name in ("error", "reason", "message")
        if not isinstance(body.get(name), str)
    ]
    extra = sorted(set(body) - {"error", "reason", "message", "details"})
    if extra:
        problems.append(f"members outside the envelope: {', '.join(extra)}")
    if status in ERROR_SLUGS and body.get("error") != ERROR_SLUGS[status]:
        problems.append(f"`error` is {body.get('error')!r}, expected {ERROR_SLUGS[status]!r} for {status}")
    if status in FIXED_REASONS and body.get("reason") != FIXED_REASONS[status]:
        problems.append(f"`reason` is {body.get('reason')!r}, expected {FIXED_REASONS[status]!r} for {status}")
    if "details" in body and not isinstance(body["details"], list):
        problems.append("`details` is not a list")
    return problems


def observe(ctx: CheckContext, case: Case, target: Target) -> Any:
    """Align has no list: read back the entries this scenario created or synced, newest first."""
    ids: list[str] = []
    for earlier in earlier_cases(ctx):
        answer = response_to(ctx, earlier)
        if operation_id(earlier) in (SYNC, LOG) and answer is not None and 200 <= answer.status_code < 300:
            body = json_body(answer)
            if isinstance(body, dict) and isinstance(body.get("id"), str) and body["id"] not in ids:
                ids.append(body["id"])
    if not ids:
        return None
    headers = {**run_headers(ctx), **target.credentials.headers()}
    state = {}
    for entry_id in reversed(ids[-RECENT_ENTRIES:]):
        read = request(case, GET, headers=headers, path_parameters={"id": entry_id})
        answer = send(ctx, case, read)
        state[entry_id] = (answer.status_code, json_body(answer))
    return state
