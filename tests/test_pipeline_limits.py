"""The limits of a real front (README, "Limits and CORS"), each in the vendor's envelope and the admin API's, and
the input defects they replace: no request answers 500 or changes anything when it is refused."""

from __future__ import annotations

import asyncio
import json
import socket
import sys

import pytest

from mockserver.asgi import Request, call
from mockserver.platform.limits import Limits
from mockserver.server import MockServer
from tests.align_data import ORG_KEY, SYNC, WEB, entry_path, sync_body

CONTRACTING = "/contracting/api/v1/time-entries"
CONTRACTING_HEADERS = {"Authorization": "Bearer kk_demo_token_acme", "tenant-id": "tnt_acme00000000000000000001"}
PRODUCTIVE = "/productive/api/v2/time_entries"
PRODUCTIVE_HEADERS = {"X-Auth-Token": "pat_demo_1001", "X-Organization-Id": "1001"}
ENTRY = "a4000000-0000-4000-8000-000000000001"


def entry_count(server: MockServer) -> int:
    return server.store.count("align.time_entries")


def align_error(response, status: int, reason: str, error: str | None = None) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["reason"] == reason and body["error"] == (error or reason) and body["message"]


# -- 414 and 431 -----------------------------------------------------------------------------------


def test_a_path_and_query_over_8_kib_is_414_in_each_vendors_envelope(client):
    long_query = "x=" + "a" * 8200
    align_error(client.get(f"{entry_path(ENTRY)}?{long_query}", headers=ORG_KEY), 414, "uri_too_long")
    contracting = client.get(f"{CONTRACTING}?{long_query}", headers=CONTRACTING_HEADERS)
    assert contracting.status_code == 414 and contracting.json()["statusCode"] == 414
    productive = client.get(f"{PRODUCTIVE}?{long_query}", headers=PRODUCTIVE_HEADERS)
    assert productive.status_code == 414 and productive.json()["errors"][0]["status"] == "414"


def test_a_path_and_query_just_under_8_kib_is_not_414(client):
    path = entry_path(ENTRY)
    query = "x=" + "a" * (8192 - len(path) - 3)
    response = client.get(f"{path}?{query}", headers=ORG_KEY)
    assert response.status_code == 400  # an unknown query parameter, not a limit
    assert response.json()["reason"] == "validation_error"


def test_headers_over_16_kib_in_all_are_431(client):
    many = {f"x-filler-{number}": "v" * 1000 for number in range(17)}
    align_error(client.get(entry_path(ENTRY), headers={**ORG_KEY, **many}), 431, "request_header_fields_too_large")


def test_the_admin_api_has_the_same_limits_in_its_envelope(client):
    response = client.get("/__admin/health?" + "a" * 9000)
    assert response.status_code == 414
    assert set(response.json()) == {"error", "message"} and response.json()["error"] == "uri_too_long"
    response = client.post("/__admin/fixtures", content=b"[" * (1024 * 1024 + 1))
    assert response.status_code == 413 and response.json()["error"] == "payload_too_large"


# -- 413 -------------------------------------------------------------------------------------------


def test_a_body_over_1_mib_is_413_and_changes_nothing(client, server):
    before = entry_count(server)
    body = json.dumps({**sync_body(), "description": "d" * (1024 * 1024)})
    response = client.post(SYNC, content=body, headers={**ORG_KEY, "Content-Type": "application/json"})
    align_error(response, 413, "payload_too_large")
    assert entry_count(server) == before


def test_a_chunked_body_over_1_mib_is_413(client):
    def chunks():
        for _ in range(17):
            yield b" " * 65536

    response = client.post(SYNC, content=chunks(), headers={**ORG_KEY, "Content-Type": "application/json"})
    align_error(response, 413, "payload_too_large")


# -- 408: a body that stops arriving ---------------------------------------------------------------


def test_a_body_that_stalls_is_408_not_an_open_connection():
    server = MockServer(apis=["align"], limits=Limits(body_stall_seconds=0.05))
    request = Request(
        "POST", SYNC, headers=(("authorization", "Bearer ako_demo_org_acme"), ("content-type", "application/json"))
    )
    sent: list[dict] = []
    first = True

    async def receive():
        nonlocal first
        if first:
            first = False
            return {"type": "http.request", "body": b'{"projectId":', "more_body": True}
        await asyncio.Event().wait()  # the rest never comes

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": request.path,
        "raw_path": request.path.encode(),
        "query_string": b"",
        "headers": [(b"content-length", b"1000"), *[(k.encode(), v.encode()) for k, v in request.headers]],
        "scheme": "http",
        "server": ("127.0.0.1", 8080),
    }
    asyncio.run(asyncio.wait_for(server(scope, receive, send), timeout=5))
    assert sent[0]["status"] == 408
    assert json.loads(sent[1]["body"])["reason"] == "request_timeout"


@pytest.mark.slow
def test_a_stalled_body_over_http_is_answered_408_and_the_connection_closed(serve_over_http):
    url = serve_over_http(MockServer(apis=["align"], limits=Limits(body_stall_seconds=0.3)))
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(
            f"POST {SYNC} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ako_demo_org_acme\r\n"
            'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"projectId"'.encode()
        )
        answer = connection.recv(4096).decode()
    assert answer.startswith("HTTP/1.1 408")
    assert '"reason":"request_timeout"' in answer


# -- JSON the parser refuses -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        (SYNC, {**ORG_KEY, "Content-Type": "application/json"}),
        (CONTRACTING, {**CONTRACTING_HEADERS, "Content-Type": "application/json"}),
        (PRODUCTIVE, {**PRODUCTIVE_HEADERS, "Content-Type": "application/vnd.api+json"}),
    ],
)
@pytest.mark.parametrize(
    "raw",
    [b"[" * 1000 + b"]" * 1000, b'{"a": "\\ud800"}', b'{"minutes": NaN}', b'{"minutes": 1e400}'],
    ids=["nested-1000", "lone-surrogate", "nan", "huge-number"],
)
def test_json_a_strict_parser_refuses_is_400_on_every_api(client, server, path, headers, raw):
    before = {name: server.store.count(name) for name in ("align.time_entries", "contracting.time_entries")}
    response = client.post(path, content=raw, headers=headers)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith(("application/json", "application/vnd.api+json"))
    assert {name: server.store.count(name) for name in before} == before


def test_a_body_without_content_type_is_415_not_500(client):
    raw = json.dumps(sync_body()).encode()
    align_error(client.post(SYNC, content=raw, headers=ORG_KEY), 415, "unsupported_media_type")
    response = client.post(CONTRACTING, content=b'{"projectId": "x"}', headers=CONTRACTING_HEADERS)
    assert response.status_code == 415 and response.json()["code"] == "FST_ERR_CTP_INVALID_MEDIA_TYPE"
    response = client.put(f"{CONTRACTING}/tsh_{'a' * 24}", content=b"{}", headers=CONTRACTING_HEADERS)
    assert response.status_code == 415


# -- queries and credentials -------------------------------------------------------------------------


def lines_run(server: MockServer, request: Request) -> int:
    """How many lines of Python the request runs: a measure of work that no machine load changes."""
    count = 0

    def trace(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        status, _ = asyncio.run(call(server, request))
    finally:
        sys.settrace(None)
    assert status == 400
    return count


def test_reading_a_query_is_linear_in_its_keys():
    """10 000 query keys once took seconds (a lookup over every key, per key): the work now grows as the
    query does. Four times the keys may cost at most about four times the lines run, not sixteen."""
    server = MockServer(apis=["productive"], limits=Limits(max_target_bytes=1 << 20))
    headers = tuple(PRODUCTIVE_HEADERS.items())

    def keys(count: int) -> Request:
        query = "&".join(f"filter[$op]=and&filter[{number % 10}][k{number}]=1" for number in range(count))
        return Request("GET", PRODUCTIVE, query=query, headers=headers)

    small, large = lines_run(server, keys(250)), lines_run(server, keys(1000))
    assert large < 5 * small


def test_many_query_keys_are_one_input_error():
    server = MockServer(apis=["productive"], limits=Limits(max_target_bytes=1 << 20))
    query = "&".join(f"filter[k{number}]=1" for number in range(10_000))
    status, body = asyncio.run(
        call(server, Request("GET", PRODUCTIVE, query=query, headers=tuple(PRODUCTIVE_HEADERS.items())))
    )
    assert status == 400 and b"Unsupported Filter" in body


def test_a_deep_query_key_given_both_as_value_and_object_is_400(client):
    response = client.get(
        f"{PRODUCTIVE}?filter[date]=2024-01-01&filter[date][gt]=2024-01-01", headers=PRODUCTIVE_HEADERS
    )
    assert response.status_code == 400
    assert response.json()["errors"]


@pytest.mark.parametrize(
    "authorization", ["Bearer\tako_demo_org_acme", "ako_demo_org_acme", "Bearer  ako_demo_org_acme", "Basic a2V5"]
)
def test_a_malformed_authorization_is_401(client, authorization):
    response = client.get(entry_path(ENTRY), headers={"Authorization": authorization})
    align_error(response, 401, "invalid_api_key", "unauthorized")


def test_two_authorization_headers_are_401(client):
    response = client.get(
        entry_path(ENTRY),
        headers=[("Authorization", "Bearer ako_demo_org_acme"), ("Authorization", "Bearer ako_demo_revoked")],
    )
    align_error(response, 401, "invalid_api_key", "unauthorized")


def test_the_guard_runs_once_per_request(server, client, monkeypatch):
    vendor = server.vendors["productive"]
    calls = []
    original = vendor.authenticate
    monkeypatch.setattr(vendor, "authenticate", lambda *args: calls.append(args) or original(*args))
    assert client.get(PRODUCTIVE, headers=PRODUCTIVE_HEADERS).status_code == 200
    assert len(calls) == 1


def test_a_sync_still_works_after_the_limits(client):
    assert client.post(SYNC, json=sync_body(projectId=WEB), headers=ORG_KEY).status_code == 201
