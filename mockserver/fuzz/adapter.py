"""The one place schemathesis' undocumented internals are used (CLI reporting, the check context's
recorder, the transport, failure and reproduction types). pyproject pins schemathesis to the minor version
this module is tested with (4.32); an upgrade changes this module only."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

from schemathesis.checks import CheckContext
from schemathesis.cli.commands.run.context import ExecutionContext
from schemathesis.cli.commands.run.handlers.base import EventHandler
from schemathesis.cli.commands.run.handlers.junitxml import JunitXMLHandler
from schemathesis.cli.commands.run.handlers.output import OutputHandler
from schemathesis.cli.constants import ExitCode
from schemathesis.cli.events import LoadingFinished, LoadingStarted
from schemathesis.core import NOT_SET
from schemathesis.core.failures import CustomFailure
from schemathesis.core.transport import Response
from schemathesis.engine.recorder import ReproductionStep, ScenarioRecorder
from schemathesis.engine.run import UNIT_PHASES, PhaseName
from schemathesis.generation.case import Case
from schemathesis.transport.prepare import get_exclude_headers
from schemathesis.transport.requests import REQUESTS_TRANSPORT

__all__ = [
    "NOT_SET",
    "UNIT_PHASES",
    "CustomFailure",
    "EventHandler",
    "ExecutionContext",
    "ExitCode",
    "JunitXMLHandler",
    "LoadingFinished",
    "LoadingStarted",
    "OutputHandler",
    "PhaseName",
    "ReproductionStep",
    "ScenarioRecorder",
    "earlier_cases",
    "record_answer",
    "record_follow_up",
    "excluded_headers",
    "run_headers",
    "send_follow_up",
    "serialize",
    "response_to",
]


def run_headers(ctx: CheckContext) -> dict[str, str]:
    """The extra headers the run sends on every request (`--header`)."""
    return dict(ctx.internals.headers or {})


def send_follow_up(ctx: CheckContext, parent: Case, follow_up: Case) -> Response:
    """Send `follow_up` through the run's own transport, recorded as a child of `parent`."""
    send = record_follow_up(ctx, parent, follow_up)
    response = send()
    record_answer(ctx, follow_up, response)
    return response


def record_follow_up(ctx: CheckContext, parent: Case, follow_up: Case) -> Callable[[], Response]:
    """Record `follow_up` as a child of `parent`; the call that sends it through the run's own transport (it may
    run on another thread; record its answer with `record_answer` on the check's own)."""
    kwargs = {**(ctx.internals.transport_kwargs or {}), "headers": {}}
    if parent.operation.app is not None:
        kwargs.setdefault("app", parent.operation.app)
    ctx.internals.record_case(parent_id=parent.id, case=follow_up)
    return functools.partial(follow_up.operation.schema.transport.send, follow_up, **kwargs)


def record_answer(ctx: CheckContext, follow_up: Case, response: Response) -> None:
    ctx.internals.record_response(case_id=follow_up.id, response=response)


def earlier_cases(ctx: CheckContext) -> Iterator[Case]:
    """Every request the scenario has sent so far."""
    yield from ctx.internals.find_all_cases()


def response_to(ctx: CheckContext, case: Case) -> Response | None:
    return ctx.internals.find_response(case_id=case.id)


def excluded_headers(case: Case) -> list[str]:
    """The headers schemathesis removed from `case` on purpose (a negative case without a credential)."""
    return list(get_exclude_headers(case))


def serialize(case: Case) -> dict[str, Any]:
    """`case` as the requests transport would send it (method, url, params, headers, body)."""
    return REQUESTS_TRANSPORT.serialize_case(case)
