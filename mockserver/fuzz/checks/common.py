"""Rules every vendor shares (the registry's `all.*` rules): errors in the vendor's own envelope; a rejected request
changes nothing. What differs per vendor (the envelope, what can be read back) lives in its module."""

from __future__ import annotations

import re
from typing import Any

import schemathesis
from schemathesis.checks import CheckContext
from schemathesis.core.transport import Response
from schemathesis.generation.case import Case

from mockserver.fuzz.admin import ADMIN
from mockserver.fuzz.apis import APIS
from mockserver.fuzz.probe import EVERY_API, SKIP, Probe, describe, header, json_body, replay, scenario, send, violation
from mockserver.fuzz.target import Target, target_of

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@schemathesis.check
def errors_in_vendor_envelope(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """[rule all.errors.vendor-envelope] Every error answers in the vendor's own envelope and media type, never the
    framework's."""
    target = target_of(case)
    if target is None or response.status_code < 400:
        return SKIP
    vendor = APIS[target.api]
    media_type = (header(response, "Content-Type") or "").split(";")[0].strip()
    problems = (
        [] if media_type == vendor.media_type else [f"Content-Type {media_type!r}, expected {vendor.media_type!r}"]
    )
    problems += vendor.envelope_problems(response.status_code, json_body(response))
    if problems:
        raise violation(errors_in_vendor_envelope, case, "\n".join([*problems, describe(response)]))
    return None


@schemathesis.check
def rejected_request_changes_nothing(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """[rule all.errors.rejected-changes-nothing] A rejected write (4xx), sent again, changes nothing that can be read
    back."""
    target = target_of(case)
    if target is None or not target.exclusive or case.method.upper() not in WRITES:
        return SKIP
    if not 400 <= response.status_code < 500 or response.status_code == 429:
        return SKIP
    observe = APIS[target.api].observe
    before = observe(ctx, case, target)
    if before is None:
        return SKIP
    again = replay(case)
    answer = send(ctx, case, again)
    after = observe(ctx, case, target)
    if answer.status_code < 400:
        raise violation(
            rejected_request_changes_nothing, case, f"Sent again, the request answered {describe(answer)}", at=again
        )
    if after != before:
        raise violation(
            rejected_request_changes_nothing,
            case,
            f"Sent again and rejected ({answer.status_code}), it still changed the API's state:\n"
            f"before: {before}\nafter:  {after}",
            at=again,
        )
    return None


UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$")
TIMESTAMP_NAME = re.compile(r"(At|_at)$")


def _timestamps(node: Any) -> list[tuple[str, str]]:
    """Every (member, value) of `node` whose name says it is a moment (`createdAt`, `updated_at`)."""
    found = []
    if isinstance(node, dict):
        for name, value in node.items():
            if isinstance(value, str) and TIMESTAMP_NAME.search(name) and "T" in value:
                found.append((name, value))
            else:
                found += _timestamps(value)
    elif isinstance(node, list):
        for item in node:
            found += _timestamps(item)
    return found


def _in_main_organization(case: Case, target: Target) -> bool:
    """`case` works in the run's main organization (generated requests always do; a follow-up may not)."""
    named = {name.lower(): str(value) for name, value in (case.headers or {}).items()}.get("x-organization-id")
    return named is None or named == target.credentials.organization


@schemathesis.check
def timestamps_in_vendor_zone(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """[rules all.timestamps.zone, productive.timestamps.organization-offset] Moments are answered in UTC with a `Z`
    (Align, Contracting), or with the organization's offset (`--organization-offset` when given), one offset for all of
    them (Productive)."""
    target = target_of(case)
    if target is None or not 200 <= response.status_code < 300:
        return SKIP
    stamps = _timestamps(json_body(response))
    if target.api == "productive":
        wrong = [f"{name}={value}" for name, value in stamps if not WITH_OFFSET.match(value)]
        offsets = {value[-6:] for _, value in stamps if WITH_OFFSET.match(value)}
        if len(offsets) > 1:
            wrong.append(f"several offsets in one answer: {sorted(offsets)}")
        own = target.credentials.organization_offset
        if own is not None and _in_main_organization(case, target) and offsets - {own}:
            wrong.append(f"offset {', '.join(sorted(offsets - {own}))}, the organization's is {own}")
    else:
        wrong = [f"{name}={value}" for name, value in stamps if not UTC.match(value)]
    if wrong:
        raise violation(timestamps_in_vendor_zone, case, "Timestamps: " + ", ".join(wrong[:10]))
    return None


RATE_LIMIT_HEADERS = ("retry-after", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")


@scenario(EVERY_API, needs=(ADMIN,))
def fault_answers_in_vendor_envelope(probe: Probe) -> None:
    """[rule all.errors.fault-answers] A status fault of the admin API answers in the vendor's envelope: a 429 with
    `Retry-After` (whole seconds) and the `X-RateLimit-*` headers (Align's reason `rate_limit`), a 503 likewise (Align's
    `service_unavailable`)."""
    read = APIS[probe.target.api].read
    for status in (429, 503):
        fault = probe.admin.add_fault(
            {"api": probe.target.api, "method": "GET", "path": read.template, "status": status, "times": 1}
        )
        try:
            reply = probe.call(read.operation, path={"id": read.missing_id})
        finally:
            probe.admin.delete_fault(fault)
        if reply.status != status:
            probe.fail(f"A {status} fault: the target answered {reply.describe()}")
        missing = [name for name in RATE_LIMIT_HEADERS if name not in reply.headers] if status == 429 else []
        if missing or (status == 429 and not reply.headers["retry-after"].isdigit()):
            probe.fail(f"A 429 without {missing or 'Retry-After in whole seconds'}: {reply.headers}")
