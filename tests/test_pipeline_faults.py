"""The fault stage (README, "Admin API": faults): after input validation, a matching rule delays the request (its
Idempotency-Key held in flight), answers a status in the vendor's envelope, or drops the connection."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from mockserver.platform.faults import Fault
from mockserver.platform.transport import ConnectionDropped
from tests.align_data import ORG_KEY, SYNC, sync_body

ENTRY = f"{SYNC}/a4000000-0000-4000-8000-000000000001"
PRODUCTIVE = "/productive/api/v2/time_entries"
PRODUCTIVE_HEADERS = {"X-Auth-Token": "pat_demo_1001", "X-Organization-Id": "1001"}


@pytest.mark.slow
def test_a_second_request_with_a_key_in_flight_is_409_over_http(server, live_server):
    server.faults.add(Fault(api="align", method="POST", path="/integration/time-entries", delay_ms=400, times=1))
    headers = {**ORG_KEY, "Idempotency-Key": "in-flight-1"}

    async def both() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=live_server, timeout=10) as client:
            first = asyncio.create_task(client.post(SYNC, json=sync_body(), headers=headers))
            await asyncio.sleep(0.15)
            second = await client.post(SYNC, json=sync_body(), headers=headers)
            return [await first, second]

    first, second = asyncio.run(both())
    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json()["reason"] == "idempotency_key_in_use"


def test_a_429_fault_answers_in_the_envelope_with_rate_limit_headers_and_changes_nothing(client, server):
    server.faults.add(Fault(api="align", method="POST", status=429))
    before = server.store.count("align.time_entries")
    response = client.post(SYNC, json=sync_body(), headers={**ORG_KEY, "Idempotency-Key": "k-429"})
    assert response.status_code == 429
    assert response.json()["reason"] == "rate_limit" and response.json()["error"] == "too_many_requests"
    assert response.headers["retry-after"] == "1"
    assert {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"} <= set(response.headers)
    assert server.store.count("align.time_entries") == before
    server.faults.clear()
    retried = client.post(SYNC, json=sync_body(), headers={**ORG_KEY, "Idempotency-Key": "k-429"})
    assert retried.status_code == 201 and "idempotent-replayed" not in retried.headers


def test_a_status_fault_uses_each_vendors_envelope_and_the_status_slug(client, server):
    server.faults.add(Fault(api="align", status=503, headers={"Retry-After": "7"}))
    server.faults.add(Fault(api="productive", status=503))
    align = client.get(ENTRY, headers=ORG_KEY)
    assert align.status_code == 503 and align.headers["retry-after"] == "7"
    assert align.json()["reason"] == align.json()["error"] == "service_unavailable"
    productive = client.get(PRODUCTIVE, headers=PRODUCTIVE_HEADERS)
    assert productive.status_code == 503 and productive.json()["errors"][0]["status"] == "503"


def test_a_fault_fires_after_the_guard_and_validation(client, server):
    fault = server.faults.add(Fault(api="align", status=503))
    assert client.get(ENTRY).status_code == 401
    assert client.get(f"{SYNC}/not-a-uuid", headers=ORG_KEY).status_code == 400
    assert fault.fired == 0
    assert client.get(ENTRY, headers=ORG_KEY).status_code == 503
    assert fault.fired == 1


def test_a_fault_matches_by_template_and_method_and_runs_out(client, server):
    server.faults.add(Fault(api="align", method="GET", path="/integration/time-entries/{id}", status=500, times=1))
    assert client.post(SYNC, json=sync_body(), headers=ORG_KEY).status_code == 201
    assert client.get(ENTRY, headers=ORG_KEY).status_code == 500
    assert client.get(ENTRY, headers=ORG_KEY).status_code == 200


def test_a_delay_only_fault_then_runs_the_request(client, server):
    server.faults.add(Fault(api="align", delay_ms=10))
    assert client.get(ENTRY, headers=ORG_KEY).status_code == 200


def test_a_drop_closes_without_an_answer(client, server):
    server.faults.add(Fault(api="align", drop=True))
    with pytest.raises(ConnectionDropped):
        client.get(ENTRY, headers=ORG_KEY)


@pytest.mark.slow
def test_a_drop_over_http_closes_the_connection(server, live_server):
    server.faults.add(Fault(api="align", drop=True, times=1))
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(live_server + ENTRY, headers=ORG_KEY, timeout=5)
    assert httpx.get(live_server + ENTRY, headers=ORG_KEY, timeout=5).status_code == 200


def test_faults_never_fire_on_the_admin_api_and_reset_clears_them(client, server):
    server.faults.add(Fault(api="align", status=503))
    assert client.get("/__admin/health").status_code == 200
    server.reset()
    assert server.faults.all() == []
    assert client.get(ENTRY, headers=ORG_KEY).status_code == 200
