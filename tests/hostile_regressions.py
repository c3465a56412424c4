"""Requests the hostile property tests once found answered with a 5xx, a hang or a crash, kept as
regression cases: each API's shortest request that showed the defect."""

from __future__ import annotations

import json
from collections.abc import Callable

from mockserver import DEFAULT_FIXTURES
from mockserver.fuzz.apis import APIS
from tests.hostile import HostileRequest, fill_path, json_text, operations


def _credentials(api: str) -> tuple[tuple[str, bytes], ...]:
    return tuple((name, value.encode()) for name, value in APIS[api].demo.headers().items())


def _readable_id(api: str) -> str:
    """The first time entry of the API's fixtures."""
    return str(json.loads(DEFAULT_FIXTURES.read_text())[api]["time_entries"][0]["id"])


def _read(content_type: bytes) -> Callable[[str], HostileRequest]:
    """A read of a record that exists, with the demo credentials and `content_type`."""

    def request(api: str) -> HostileRequest:
        operation = next(op for op in operations(api) if op.method == "GET" and op.path_parameters)
        path = fill_path(operation, _readable_id(api))
        return HostileRequest(operation, path, (*_credentials(api), ("Content-Type", content_type)), None)

    return request


def _create_without_content_type(api: str) -> HostileRequest:
    """The API's first create, its spec example as the body, with the demo credentials and no Content-Type."""
    operation = next(op for op in operations(api) if op.method == "POST" and op.examples)
    path = fill_path(operation, _readable_id(api))
    return HostileRequest(operation, path, _credentials(api), json_text(operation.examples[0]).encode())


def _deep_create(api: str) -> HostileRequest:
    operation = next(op for op in operations(api) if op.method == "POST" and op.examples)
    content_type = (("Content-Type", (operation.media_type or "").encode()),)
    body = b"[" * 5000 + b"]" * 5000
    return HostileRequest(operation, fill_path(operation, ""), (*_credentials(api), *content_type), body)


REGRESSIONS: dict[str, Callable[[str], HostileRequest]] = {
    # the form parser waited for a body already read: never answered
    "form content type without a body": _read(b"multipart/form-data; boundary=x"),
    # connexion decoded the media type as UTF-8: 500
    "media type beyond ascii": _read(b"application/\xe9"),
    # the body reached the handler as bytes: 500
    "json body without content type": _create_without_content_type,
    # the journal's decoder ran out of stack once the answer was sent: 500 and no journal entry
    "body nested 5000 deep": _deep_create,
}
