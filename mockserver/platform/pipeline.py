"""The request pipeline, the same for every vendor, written once and in order:

    route → limits → guard → input validation → fault → idempotency → handler → commit → render

Each stage is a function of the request in progress (`Call`); a stage that rejects the request raises
`ApiError` (or `InputError`), which is rendered in the vendor's own envelope. The routes, parameters
and schemas are compiled from the spec when the server starts (platform/operations.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import logging
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import URL
from starlette.types import Receive, Scope, Send

from mockserver.platform.errors import ApiError, InputError
from mockserver.platform.faults import Fault
from mockserver.platform.headers import RequestHeaders
from mockserver.platform.idempotency import HEADER as IDEMPOTENCY_HEADER
from mockserver.platform.inbound import Inbound
from mockserver.platform.journal import JOURNALED, Received, Recorder
from mockserver.platform.journal import MAX_BODY_BYTES as MAX_JOURNALED
from mockserver.platform.limits import ClientGone, Limits, check_head, read_body
from mockserver.platform.operations import Operation, PathItem, PathRouter, compile_paths
from mockserver.platform.query import QueryValues, query_pairs, read_query
from mockserver.platform.replies import Reply, encode_json, raw_headers
from mockserver.platform.security import guard
from mockserver.platform.spec import load_spec
from mockserver.platform.transport import drop_connection
from mockserver.platform.validation import schema_validator, validate_body, validate_parameters
from mockserver.platform.vendor import Handler, Vendor

log = logging.getLogger("mockserver")

RATE_LIMIT = "60"  # requests per minute a 429 fault announces
NO_QUERY = QueryValues()  # what an empty query string reads as; never changed


@dataclass(frozen=True)
class Endpoint:
    """An operation's handler and what it is given, found once at start: the arguments the pipeline
    makes for the operation that the handler does not take are left out (`unwanted`)."""

    handler: Handler
    wants_request: bool
    unwanted: tuple[str, ...]

    @classmethod
    def of(cls, handler: Handler, operation: Operation) -> Endpoint:
        parameters = inspect.signature(handler).parameters.values()
        accepts = {p.name for p in parameters}
        made = [p.argument for p in operation.parameters if p.location in ("path", "query")] + ["body", "principal"]
        if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
            accepts.update(made)
        return cls(handler, "request" in accepts, tuple(name for name in dict.fromkeys(made) if name not in accepts))

    def __call__(self, arguments: dict[str, Any]) -> Awaitable[Reply]:
        for name in self.unwanted:
            arguments.pop(name, None)
        return self.handler(**arguments)


class Dropped(Exception):
    """A fault rule closes the connection without an answer."""


@dataclass(slots=True)
class Answer:
    """What is sent back: the status, the header lines and the body, encoded."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class Call:
    """One request on its way through the stages; each stage fills in what it found (until then, what the
    class says: nothing is built per request before a stage needs it)."""

    operation: Operation | None = None
    path: dict[str, str]  # the path template's values (route)
    body_bytes = b""
    principal: Any = None
    arguments: dict[str, Any]  # what the handler is given, by name (validate)
    pairs: tuple[tuple[str, str], ...] | list[tuple[str, str]] = ()  # the query's decoded pairs

    def __init__(self, scope: Scope, receive: Receive, headers: RequestHeaders, received: Received, method: str):
        self.scope = scope
        self.receive = receive
        self.headers = headers
        self.received = received  # what the body delivered, for the journal
        self.method = method  # HEAD answered as GET


class Pipeline:
    """One vendor's API: an ASGI app running every request through the stages."""

    def __init__(self, vendor: Vendor, limits: Limits, recorder: Recorder | None = None) -> None:
        self.vendor = vendor
        self.limits = limits
        self.recorder = recorder or Recorder(None, vendor.slug, vendor.base_path)
        self.unrecorded = Recorder(None, vendor.slug, vendor.base_path)  # for a call journaled around it
        self.services = vendor.services
        spec = load_spec(vendor.spec_file, vendor.base_path)
        self.paths: list[PathItem] = compile_paths(spec.resolved)
        self.router = PathRouter(self.paths)
        handlers = vendor.handlers()
        operations = {op.operation_id: op for item in self.paths for op in item.operations.values()}
        if set(handlers) != set(operations):
            raise ValueError(f"{vendor.slug}: handlers {sorted(handlers)} do not match the spec's {sorted(operations)}")
        self.endpoints = {name: Endpoint.of(handler, operations[name]) for name, handler in handlers.items()}
        self._unauthorized = functools.partial(vendor.framework_error, 401)
        # the 415 of each operation, made once: the media types it takes are the spec's
        self._unsupported = {
            op.operation_id: functools.partial(self._unsupported_media, list(op.body.media_types) if op.body else [])
            for item in self.paths
            for op in item.operations.values()
        }
        for item in self.paths:  # every schema's validator compiled now, not on its first request
            for operation in item.operations.values():
                for parameter in operation.parameters:
                    schema_validator(parameter.schema)
                for schema in operation.body.schemas.values() if operation.body else ():
                    schema_validator(schema)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        recorder = self.unrecorded if scope.get(JOURNALED) else self.recorder
        moment = recorder.arrived()
        method: str = scope["method"]
        headers = RequestHeaders(scope)
        call = Call(scope, receive, headers, Received(headers), "GET" if method == "HEAD" else method)
        answer: Answer | None = None
        status: int | None = None
        try:
            try:
                answer = await self.answer(call)
            except ClientGone:
                return
            except Dropped:
                await drop_connection(scope)
                return
            except Exception as exc:  # rendering the error itself failed: still no framework page
                log.exception("unhandled error while answering an error", exc_info=exc)
                body = encode_json({"error": "internal_error", "message": "The fake failed unexpectedly."})
                answer = Answer(500, raw_headers(500, {}, body, self.vendor.media_type), body)
            if moment is not None and not call.received.done:
                await call.received.drain(receive)  # a body refused unread is journaled all the same
            status = answer.status
            await send({"type": "http.response.start", "status": status, "headers": answer.headers})
            await send({"type": "http.response.body", "body": answer.body})
        except BaseException:
            status = status or 500
            raise
        finally:
            sent, body = (answer.headers, answer.body) if status is not None and answer is not None else ([], b"")
            recorder.record(
                scope, call.received, status, sent, body[:MAX_JOURNALED], len(body), started, moment, headers.size
            )

    async def answer(self, call: Call) -> Answer:
        try:
            self.route(call)
            self.limit(call)
            if not call.received.done:  # done already: the request declares no body (journal.Received)
                await self.read(call)
            self.guard(call)
            self.validate(call)
            if self.services.faults.any_set:
                await self.fault(call)
            try:
                keyed = self._idempotency_key(call)
                reply = await (self.handler(call) if keyed is None else self.idempotency(call, keyed))
            finally:
                await self.commit()  # awaited here: the store's own awaitable, no layer between
        except InputError as error:
            return self.render_error(self.vendor.input_error(error))
        except ApiError as error:
            return self.render_error(error)
        except (ClientGone, Dropped):
            raise
        except Exception as exc:  # a bug: answered in the envelope, never as the framework's page
            log.exception("unhandled error", exc_info=exc)
            return self.render_error(ApiError(500, "internal_error", "The fake failed unexpectedly."))
        return self.render(reply)

    # -- the stages, in order ------------------------------------------------------------------

    def route(self, call: Call) -> None:
        """The operation for the method and path: the first spec path that matches decides (404, 405)."""
        full_path: str = call.scope["path"]
        if full_path.startswith(self.vendor.base_path):
            found = self.router.match(full_path[len(self.vendor.base_path) :])
            if found is not None:
                item, values = found
                operation = item.operations.get(call.method)
                if operation is None:
                    message = f"No operation {call.scope['method']} {full_path} in this API."
                    raise self.vendor.framework_error(405, message).with_headers({"Allow": item.allow})
                call.operation = operation
                call.path = values
                return
        raise self.vendor.framework_error(404, f"No endpoint {call.scope['method']} {full_path} in this API.")

    def limit(self, call: Call) -> None:
        """414 and 431 on the request line and headers."""
        check_head(call.scope, self.limits, call.headers)

    async def read(self, call: Call) -> None:
        """The body read whole: 413, 408."""
        call.body_bytes = await read_body(call.receive, self.limits, call.headers, call.received.take)

    def guard(self, call: Call) -> None:
        """401 auth, 403 scope, 402 plan: the vendor's guard, called once."""
        assert call.operation is not None
        call.principal = guard(self.vendor, call.operation, call.path, call.headers, self._unauthorized)

    def validate(self, call: Call) -> None:
        """400/415/422: parameters, then the body's media type, then the body; every violation at once."""
        operation = call.operation
        assert operation is not None
        raw_query: bytes = call.scope.get("query_string", b"")
        if raw_query:
            call.pairs = query_pairs(raw_query)
            query = read_query(call.pairs, operation.query_parameters)
        else:
            query = NO_QUERY
        values = validate_parameters(operation, call.path, query, call.headers, self.vendor.strict_validation)
        unsupported = self._unsupported[operation.operation_id]
        values["body"] = validate_body(operation, call.headers, call.body_bytes, unsupported)
        values["principal"] = call.principal
        call.arguments = values

    async def fault(self, call: Call) -> None:
        """A fault rule for this request: a delay (its Idempotency-Key held in flight), a status, a drop."""
        operation = call.operation
        assert operation is not None
        base = self.vendor.base_path
        fault = self.services.faults.take(
            self.vendor.slug, call.method, operation.template, call.scope["path"][len(base) :]
        )
        if fault is None:
            return
        holding: contextlib.AbstractContextManager[None] = contextlib.nullcontext()
        keyed = self._idempotency_key(call)
        if keyed is not None:
            owner, key = keyed
            idempotency = self.services.idempotency
            holding = idempotency.holding(idempotency.scope_of(owner, call.method, call.scope["path"], key), key)
        with holding:
            if fault.delay_ms:
                await asyncio.sleep(fault.delay_ms / 1000)
        if fault.drop:
            raise Dropped
        if fault.status is not None:
            raise self._fault_error(fault)

    async def idempotency(self, call: Call, keyed: tuple[str, str]) -> Reply:
        """Idempotency-Key replay (422 reused, 409 in flight) around the operations the vendor declares, for a
        request that sent a key (`keyed`: its owner and the key)."""
        owner, key = keyed
        body = call.arguments["body"]
        return await self.services.idempotency.run(
            owner, call.method, call.scope["path"], key, body, functools.partial(self.handler, call)
        )

    def handler(self, call: Call) -> Awaitable[Reply]:
        """The vendor's handler, given what it asks for by name (awaited by the caller: no layer between)."""
        assert call.operation is not None
        endpoint = self.endpoints[call.operation.operation_id]
        if endpoint.wants_request:
            call.arguments["request"] = self.inbound(call)
        return endpoint(call.arguments)

    def commit(self) -> Awaitable[None]:
        """What the request changed is durable before it is answered (answered errors included: a stored
        idempotency record)."""
        return self.services.store.commit()

    def render(self, reply: Reply) -> Answer:
        if reply.status == 204 or reply.body is None:
            return Answer(reply.status, raw_headers(reply.status, reply.headers, b"", None), b"")
        body = encode_json(reply.body)
        return Answer(reply.status, raw_headers(reply.status, reply.headers, body, self.vendor.media_type), body)

    def render_error(self, error: ApiError) -> Answer:
        body = encode_json(self.vendor.error_body(error))
        return Answer(error.status, raw_headers(error.status, error.headers, body, self.vendor.media_type), body)

    # -- helpers -------------------------------------------------------------------------------

    def _unsupported_media(self, accepted: list[str], media_type: str) -> ApiError:
        return self.vendor.framework_error(415, f"Invalid Content-type ({media_type}), expected {accepted}")

    def inbound(self, call: Call) -> Inbound:
        return Inbound(call.scope["method"], URL(scope=call.scope), call.headers, list(call.pairs))

    def _idempotency_key(self, call: Call) -> tuple[str, str] | None:
        """(owner, key) when the request sent an Idempotency-Key to an operation declared idempotent."""
        operation = call.operation
        if operation is None or operation.operation_id not in self.vendor.idempotent_operations:
            return None
        key = call.headers.get(IDEMPOTENCY_HEADER)
        if key is None:
            return None
        return self.vendor.idempotency_owner(call.principal), key

    def _fault_error(self, fault: Fault) -> ApiError:
        assert fault.status is not None
        error = self.vendor.fault_error(fault.status)
        headers: dict[str, str] = {}
        if fault.status == 429:  # no vendor page names rate-limit headers: the common trio
            retry_after = fault.headers.get("Retry-After", "1")
            headers = {
                "Retry-After": retry_after,
                "X-RateLimit-Limit": RATE_LIMIT,
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": retry_after,
            }
        return error.with_headers({**headers, **fault.headers})
