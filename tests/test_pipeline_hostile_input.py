"""No input makes the pipeline answer 5xx or a framework page: random bodies, JSON and headers sent to
every operation of every API answer 2xx or a 4xx in the vendor's envelope, and a 4xx changes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from mockserver.platform.operations import compile_paths
from mockserver.platform.spec import load_spec
from mockserver.server import MockServer

CREDENTIALS = {
    "align": {"Authorization": "Bearer ako_demo_org_acme"},
    "contracting": {"Authorization": "Bearer kk_demo_token_acme", "tenant-id": "tnt_acme00000000000000000001"},
    "productive": {"X-Auth-Token": "pat_demo_1001", "X-Organization-Id": "1001"},
}
SAMPLE_PATH_VALUES = {"align": "a1000000-0000-4000-8000-000000000001", "contracting": "tsh_x", "productive": "1"}

SERVER = MockServer()
CLIENT = TestClient(SERVER, raise_server_exceptions=False)


def operations(api: str) -> list[tuple[str, str]]:
    vendor = SERVER.vendors[api]
    spec = load_spec(vendor.spec_file, vendor.base_path)
    found = []
    for item in compile_paths(spec.resolved.spec):
        path = item.template
        for name in item.pattern.groupindex:
            path = path.replace("{" + name + "}", SAMPLE_PATH_VALUES[api])
        found.extend((method, vendor.base_path + path) for method in item.operations)
    return found


def records() -> dict[str, Any]:
    """The vendors' records; the idempotency cache may keep a 404 or 409 answer
    [rule align.idempotency.stored-statuses]."""
    return {name: docs for name, docs in SERVER.store.export().items() if name != "platform.idempotency"}


def in_envelope(api: str, body: Any) -> bool:
    if api == "align":
        return {"error", "reason", "message"} <= set(body)
    if api == "contracting":
        return {"statusCode", "code", "error", "message"} <= set(body)
    return isinstance(body.get("errors"), list) and bool(body["errors"])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
bodies = st.one_of(
    st.binary(max_size=200),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.integers(min_value=1, max_value=300).map(lambda depth: b"[" * depth + b"]" * depth),
    st.sampled_from([b'{"a":"\\ud800"}', b'{"minutes": NaN}', b"1e400", b"\xff\xfe"]),
)
header_values = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40)


@pytest.mark.slow
@pytest.mark.parametrize("api", list(CREDENTIALS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    body=bodies,
    content_type=st.sampled_from([None, "application/json", "application/vnd.api+json", "text/plain"]),
    extra=header_values,
)
def test_hostile_input_is_answered_in_the_envelope_and_changes_nothing(api, data, body, content_type, extra):
    SERVER.reset()
    method, path = data.draw(st.sampled_from(operations(api)))
    headers = {**CREDENTIALS[api], "X-Extra": extra, "Idempotency-Key": extra or "k"}
    if content_type:
        headers["Content-Type"] = content_type
    before = records()
    response = CLIENT.request(method, path, content=body, headers=headers)
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert in_envelope(api, response.json()), response.text
        assert records() == before
