"""What every behaviour check does alike: know whether it applies, send a follow-up request through
the case's own transport (HTTP or in-process ASGI), and fail naming itself and its rule."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from requests.structures import CaseInsensitiveDict
from schemathesis.checks import CheckContext
from schemathesis.core.failures import CustomFailure
from schemathesis.core.transport import Response
from schemathesis.generation.case import Case
from schemathesis.transport.prepare import get_exclude_headers

from mockserver.fuzz.target import Target, target_of

Check = Callable[[CheckContext, Response, Case], bool | None]
SKIP = True  # what a check returns when its rule does not apply to the response


def operation_id(case: Case) -> str:
    return str(case.operation.definition.raw.get("operationId", ""))


def applies(case: Case, api: str, *operation_ids: str) -> Target | None:
    """The run's target when `case` is one of `operation_ids` (any, when none given) of `api`."""
    target = target_of(case)
    if target is None or target.api != api:
        return None
    if operation_ids and operation_id(case) not in operation_ids:
        return None
    return target


def json_body(response: Response) -> Any:
    """The parsed body, or None when it is empty or not JSON."""
    if not response.content:
        return None
    try:
        return json.loads(response.content)
    except ValueError:
        return None


def header(response: Response, name: str) -> str | None:
    for key, values in response.headers.items():
        if key.lower() == name.lower():
            return values[0] if values else ""
    return None


def replay(case: Case, *, headers: Mapping[str, str] | None = None, drop: tuple[str, ...] = (), **changes: Any) -> Case:
    """A fresh case with `case`'s request data, some headers set or dropped and containers replaced."""
    sent = CaseInsensitiveDict(case.headers or {})
    for name in (*get_exclude_headers(case), *drop):
        sent.pop(name, None)
    sent.update(headers or {})
    data: dict[str, Any] = {
        "method": case.method,
        "path_parameters": dict(case.path_parameters or {}),
        "query": dict(case.query or {}),
        "body": case.body,
        "media_type": case.media_type,
    }
    data.update(changes)
    return case.operation.Case(headers=sent, **data)


def request(case: Case, operation_id: str, *, headers: Mapping[str, str], **data: Any) -> Case:
    """A fresh case of another operation of the same API."""
    operation = case.operation.schema.find_operation_by_id(operation_id)
    return operation.Case(headers=CaseInsensitiveDict(headers), **data)


def send(ctx: CheckContext, parent: Case, follow_up: Case) -> Response:
    """Send `follow_up` as a child of `parent`, so the failure's reproduction includes both."""
    kwargs = {**(ctx.internals.transport_kwargs or {}), "headers": {}}
    if parent.operation.app is not None:
        kwargs.setdefault("app", parent.operation.app)
    ctx.internals.record_case(parent_id=parent.id, case=follow_up)
    response = follow_up.operation.schema.transport.send(follow_up, **kwargs)
    ctx.internals.record_response(case_id=follow_up.id, response=response)
    return response


def violation(check: Check, case: Case, message: str, *, at: Case | None = None) -> CustomFailure:
    """The failure of `check` on `case`, reported on the follow-up request `at` when there is one."""
    rule = " ".join((check.__doc__ or "").split())
    error = AssertionError(message)
    return CustomFailure(
        operation=case.operation.label,
        title=f"Custom check failed: `{check.__name__}`",
        message=f"{rule}\n\n{message}",
        exception=error,
        case_id=at.id if at is not None else None,
    )


def describe(response: Response) -> str:
    body = response.content.decode("utf-8", errors="replace") if response.content else ""
    return f"{response.status_code} {body[:500]}"
