"""What every behaviour check does alike: know whether it applies, send a follow-up request through
the case's own transport (HTTP or in-process ASGI), and fail naming itself and its rule."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, NoReturn

import schemathesis
from requests.structures import CaseInsensitiveDict
from schemathesis.checks import CheckContext
from schemathesis.core.transport import Response
from schemathesis.generation.case import Case

from mockserver.fuzz.adapter import (
    NOT_SET,
    CustomFailure,
    excluded_headers,
    record_answer,
    record_follow_up,
    run_headers,
    send_follow_up,
)
from mockserver.fuzz.admin import ADMIN, AdminApi
from mockserver.fuzz.credentials import Credentials, option_name
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
    for name in (*excluded_headers(case), *drop):
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
    return send_follow_up(ctx, parent, follow_up)


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


# -- scenarios: checks that provoke their rule with requests they build themselves --------------------


@dataclass(frozen=True)
class Reply:
    """A follow-up's answer, read the way the scenarios need it."""

    status: int
    body: Any
    headers: dict[str, str]
    text: str

    @classmethod
    def of(cls, response: Response) -> Reply:
        headers = {name.lower(): values[0] if values else "" for name, values in response.headers.items()}
        text = response.content.decode("utf-8", errors="replace") if response.content else ""
        return cls(response.status_code, json_body(response), headers, text)

    def member(self, *path: str | int) -> Any:
        """The value at `path` inside the JSON body, or None."""
        node = self.body
        for part in path:
            if isinstance(part, int) and isinstance(node, list) and -len(node) <= part < len(node):
                node = node[part]
            elif isinstance(part, str) and isinstance(node, dict):
                node = node.get(part)
            else:
                return None
        return node

    def describe(self) -> str:
        return f"{self.status} {self.text[:500]}"


class Probe:
    """What a scenario sends and how it fails: every request is recorded as a follow-up of the case that
    started the scenario, so the failure's reproduction lists them all, in order."""

    def __init__(self, ctx: CheckContext, case: Case, target: Target, check: Check) -> None:
        self.ctx, self.case, self.target, self.check = ctx, case, target, check
        self.last: Case | None = None

    @property
    def credentials(self) -> Credentials:
        return self.target.credentials

    def call(
        self,
        operation: str,
        *,
        headers: Mapping[str, str] | None = None,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        body: Any = NOT_SET,
        media_type: str | None = None,
        drop: tuple[str, ...] = (),
    ) -> Reply:
        """Send `operation` with the run's extra headers and main credential, `headers` set over them."""
        follow_up, sending = self._prepare(operation, headers, path, query, body, media_type, drop)
        return self.answered(follow_up, sending())

    def start(
        self,
        operation: str,
        *,
        headers: Mapping[str, str] | None = None,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        body: Any = NOT_SET,
        media_type: str | None = None,
        drop: tuple[str, ...] = (),
    ) -> Pending:
        """Like `call`, but the request runs on another thread while the scenario goes on: its answer is read
        with `Pending.reply()` (a request held in flight by the target's admin API, and one sent meanwhile)."""
        follow_up, sending = self._prepare(operation, headers, path, query, body, media_type, drop)
        return Pending(self, follow_up, _BACKGROUND.submit(sending))

    def _prepare(
        self,
        operation: str,
        headers: Mapping[str, str] | None,
        path: Mapping[str, Any] | None,
        query: Mapping[str, Any] | None,
        body: Any,
        media_type: str | None,
        drop: tuple[str, ...],
    ) -> tuple[Case, Callable[[], Response]]:
        """The follow-up case, recorded after the scenario's last one, and the call that sends it."""
        sent = CaseInsensitiveDict({**run_headers(self.ctx), **self.target.headers()})
        sent.update(headers or {})
        for name in drop:
            sent.pop(name, None)
        found = self.case.operation.schema.find_operation_by_id(operation)
        data: dict[str, Any] = {"path_parameters": dict(path or {}), "query": dict(query or {})}
        if body is not NOT_SET:
            data["body"] = body
            data["media_type"] = media_type or next((item.media_type for item in found.body), None)
        follow_up = found.Case(headers=sent, **data)
        parent = self.last if self.last is not None else self.case
        self.last = follow_up
        return follow_up, record_follow_up(self.ctx, parent, follow_up)

    def answered(self, follow_up: Case, response: Response) -> Reply:
        """`response` recorded as `follow_up`'s answer; an error must be in the vendor's envelope."""
        record_answer(self.ctx, follow_up, response)
        reply = Reply.of(response)
        if reply.status >= 400:
            self.in_envelope(reply)
        return reply

    @property
    def admin(self) -> AdminApi:
        return admin_of(self.case)

    def in_envelope(self, reply: Reply) -> None:
        """Every error a scenario provokes is in the vendor's envelope too (all.errors.vendor-envelope)."""
        from mockserver.fuzz.apis import APIS

        api = APIS[self.target.api]
        media_type = reply.headers.get("content-type", "").split(";")[0].strip()
        problems = [] if media_type == api.media_type else [f"Content-Type {media_type!r}, expected {api.media_type!r}"]
        problems += api.envelope_problems(reply.status, reply.body)
        if problems:
            self.fail("An error outside the vendor's envelope:\n" + "\n".join([*problems, reply.describe()]))

    def fail(self, message: str) -> NoReturn:
        raise violation(self.check, self.case, message, at=self.last)

    def expect(self, reply: Reply, code: int | tuple[int, ...], what: str, /, **members: Any) -> Reply:
        """Fail unless `reply` has HTTP status `code` (one of them) and each top-level member given."""
        statuses = (code,) if isinstance(code, int) else code
        wrong = [
            f"`{name}` is {reply.member(name)!r}, expected {value!r}"
            for name, value in members.items()
            if reply.member(name) != value
        ]
        if reply.status not in statuses or wrong:
            expected = " or ".join(map(str, statuses))
            self.fail(f"{what}: expected {expected}, got {reply.describe()}" + "".join(f"\n{w}" for w in wrong))
        return reply


class Pending:
    """A request a scenario started in the background (`Probe.start`)."""

    def __init__(self, probe: Probe, follow_up: Case, answer: Future[Response]) -> None:
        self.probe, self.follow_up, self.answer = probe, follow_up, answer

    def reply(self) -> Reply:
        return self.probe.answered(self.follow_up, self.answer.result())


_BACKGROUND = ThreadPoolExecutor(max_workers=2, thread_name_prefix="mockserver-fuzz-probe")


def admin_of(case: Case) -> AdminApi:
    """The admin API on the origin of `case`'s target."""
    return AdminApi(case.operation.schema.get_base_url(), case.operation.app)


Scenario = Callable[[Probe], None]
FIXTURES = "fixtures"  # a scenario need: fixtures/default.json's demo records, present only with the demo credentials
NEED_LABELS = {FIXTURES: "the demo fixtures", ADMIN: "the admin API (/__admin)"}


def _lacks(need: str, target: Target, case: Case) -> bool:
    """The run cannot give the scenario `need`: a credential not given, the demo records, the admin API."""
    if need == FIXTURES:
        return not target.demo_fixtures
    if need == ADMIN:
        return not target.remember(ADMIN, lambda: admin_of(case).available())
    return getattr(target.credentials, need) is None


EVERY_API = "all"


def scenario(api: str, *, needs: tuple[str, ...] = ()) -> Callable[[Scenario], Check]:
    """A check that plays `play` once per run of `api` (of any API: EVERY_API), on the first response it sees.

    `needs` names the credentials (fields of `Credentials`) the scenario sends, FIXTURES when it names demo
    records and ADMIN when it drives the target's admin API; when one is missing the rule is reported as not
    checked instead of being played."""

    def register(play: Scenario) -> Check:
        def check(ctx: CheckContext, response: Response, case: Case) -> bool | None:
            target = target_of(case) if api == EVERY_API else applies(case, api)
            if target is None or not target.first_time(play.__name__):
                return SKIP
            missing = [name for name in needs if _lacks(name, target, case)]
            if missing:
                target.not_checked[play.__name__] = tuple(NEED_LABELS.get(name, option_name(name)) for name in missing)
                return SKIP
            play(Probe(ctx, case, target, check))
            return None

        check.__name__ = check.__qualname__ = play.__name__
        check.__doc__ = play.__doc__
        check.__module__ = play.__module__
        return schemathesis.check(check)

    return register
