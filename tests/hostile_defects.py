"""Defects of the request pipeline the hostile property tests found and that are still open.

While a defect's reproduction still fails, the property tests leave its inputs out (so they keep
looking for new defects rather than finding this one again), and each `test_hostile_<api>.py` holds its
reproduction as an expected failure; once fixed, the inputs are generated again by themselves.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mockserver import DEFAULT_FIXTURES
from mockserver.fuzz.credentials import DEMO
from tests.hostile import HostileRequest, check, fill_path, json_text, operations


@dataclass(frozen=True)
class KnownDefect:
    """One defect: which generated requests show it, and the API's shortest request that does."""

    name: str
    matches: Callable[[HostileRequest], bool]
    reproduction: Callable[[str], HostileRequest]  # the API's shortest request that shows it


def _content_type(request: HostileRequest) -> bytes | None:
    return next((value for name, value in request.headers if name.lower() == "content-type"), None)


def _form_type_without_body(request: HostileRequest) -> bool:
    content_type = (_content_type(request) or b"").split(b";")[0].strip().lower()
    return request.operation.media_type is None and content_type in FORM_TYPES


def _media_type_beyond_ascii(request: HostileRequest) -> bool:
    return not (_content_type(request) or b"").split(b";")[0].isascii()


def _body_without_content_type(request: HostileRequest) -> bool:
    return request.operation.media_type is not None and request.body is not None and _content_type(request) is None


def _create_without_content_type(api: str) -> HostileRequest:
    """The API's first create, its spec example as the body, with the demo credentials and no Content-Type."""
    operation = next(op for op in operations(api) if op.method == "POST" and op.examples)
    credentials = tuple((name, value.encode()) for name, value in DEMO[api].headers().items())
    path = fill_path(operation, _readable_id(api))
    return HostileRequest(operation, path, credentials, json_text(operation.examples[0]).encode())


def _nested_deeper_than_the_journal_decodes(request: HostileRequest) -> bool:
    """Brackets open at once, strings aside: past some 900 the journal's decoder exhausts Python's stack
    (how far exactly depends on how deep the stack already is, so anything past 500 counts)."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in request.body or b"":
        if in_string:
            escaped, in_string = (False, True) if escaped else (byte == 0x5C, byte != 0x22)
        elif byte == 0x22:
            in_string = True
        elif byte in b"[{":
            depth += 1
            deepest = max(deepest, depth)
        elif byte in b"]}":
            depth -= 1
    return deepest > 500


def _deep_create(api: str) -> HostileRequest:
    operation = next(op for op in operations(api) if op.method == "POST" and op.examples)
    credentials = tuple((name, value.encode()) for name, value in DEMO[api].headers().items())
    content_type = (("Content-Type", (operation.media_type or "").encode()),)
    return HostileRequest(operation, fill_path(operation, ""), (*credentials, *content_type), b"[" * 5000 + b"]" * 5000)


def _read(api: str, content_type: bytes) -> HostileRequest:
    """A read of a record that exists, with the demo credentials and `content_type`."""
    operation = next(op for op in operations(api) if op.method == "GET" and op.path_parameters)
    path = fill_path(operation, _readable_id(api))
    credentials = tuple((name, value.encode()) for name, value in DEMO[api].headers().items())
    return HostileRequest(operation, path, (*credentials, ("Content-Type", content_type)), None)


def _readable_id(api: str) -> str:
    """The first time entry of the API's fixtures."""
    return str(json.loads(DEFAULT_FIXTURES.read_text())[api]["time_entries"][0]["id"])


FORM_TYPES = {b"multipart/form-data", b"application/x-www-form-urlencoded"}
KNOWN_DEFECTS = [
    KnownDefect(
        "a request without a body but with a form Content-Type (multipart/form-data, "
        "application/x-www-form-urlencoded) is never answered: the form parser waits for a body already read",
        _form_type_without_body,
        lambda api: _read(api, b"multipart/form-data; boundary=x"),
    ),
    KnownDefect(
        "a Content-Type whose media type holds bytes beyond ASCII answers 500 (connexion decodes them as UTF-8; "
        "even b'\\xc2\\x80' fails once parsed)",
        _media_type_beyond_ascii,
        lambda api: _read(api, b"application/\xe9"),
    ),
    KnownDefect(
        "a JSON body sent without Content-Type reaches the handler as bytes and answers 500 "
        "(Align sync and log, Contracting create and replace)",
        _body_without_content_type,
        _create_without_content_type,
    ),
    KnownDefect(
        "a body nested some 1000 levels deep makes the journal's JSON decoding raise RecursionError out of the "
        "app once the answer is sent; the request is missing from the journal",
        _nested_deeper_than_the_journal_decodes,
        _deep_create,
    ),
]
PROBE_WITHIN = 2.0  # seconds a reproduction gets before it counts as never answered


def open_defects(api: str, server: Any) -> list[KnownDefect]:
    """The known defects whose reproduction still fails on this server."""
    return [defect for defect in KNOWN_DEFECTS if _fails(api, server, defect.reproduction(api))]


def _fails(api: str, server: Any, request: HostileRequest) -> bool:
    try:
        check(api, server, request, within=PROBE_WITHIN)
    except AssertionError:
        return True
    return False
