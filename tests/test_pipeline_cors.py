"""CORS (README, "Limits and CORS"): browser preflights answered 204 on every API and the admin API, any origin by
default, only the configured ones when the server names some; a plain OPTIONS is still 405."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from mockserver.server import MockServer
from tests.align_data import ORG_KEY, SYNC

PREFLIGHT = {
    "Origin": "http://app.example",
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
}


@pytest.mark.parametrize(
    "path", [SYNC, "/contracting/api/v1/time-entries", "/productive/api/v2/time_entries", "/__admin/reset"]
)
def test_a_preflight_is_204_from_any_origin(client, path):
    response = client.options(path, headers=PREFLIGHT)
    assert response.status_code == 204
    assert response.content == b""
    assert response.headers["access-control-allow-origin"] in ("*", "http://app.example")
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "idempotency-key" in response.headers["access-control-allow-headers"].lower()


def test_a_plain_options_is_still_405(client):
    response = client.options(SYNC, headers={"Origin": "http://app.example"})
    assert response.status_code == 405
    assert response.json()["reason"] == "method_not_allowed"
    assert response.headers["allow"] == "POST"


def test_a_cross_origin_answer_names_the_origin_and_exposes_the_replay_header(client):
    response = client.get(
        f"{SYNC}/a4000000-0000-4000-8000-000000000001", headers={**ORG_KEY, "Origin": "http://x.test"}
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "Idempotent-Replayed" in response.headers["access-control-expose-headers"]


def test_configured_origins_narrow_what_is_allowed():
    server = MockServer(apis=["align"], cors_origins=["http://allowed.test"])
    with TestClient(server) as client:
        allowed = client.options(SYNC, headers={**PREFLIGHT, "Origin": "http://allowed.test"})
        refused = client.options(SYNC, headers=PREFLIGHT)
    assert allowed.status_code == 204
    assert allowed.headers["access-control-allow-origin"] == "http://allowed.test"
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
