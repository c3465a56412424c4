"""What a fault does, over real HTTP, as a client's retry and timeout logic meets it (README, "Admin
API": faults). The admin API registers rules; the request pipeline's fault stage acts on them, so these
run where that stage is built in."""

import threading
import time

import httpx
import pytest

from tests.align_data import ORG_KEY, SYNC, sync_body

pytestmark = pytest.mark.slow

CONTRACTING = {"Authorization": "Bearer kk_demo_token_acme", "tenant-id": "tnt_acme00000000000000000001"}
PRODUCTIVE = {"X-Auth-Token": "pat_demo_1001", "X-Organization-Id": "1001"}
RATE_LIMIT_HEADERS = ("retry-after", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")



def test_a_request_in_flight_holds_its_idempotency_key(live_server):
    httpx.post(f"{live_server}/__admin/faults", json={"api": "align", "method": "POST", "delayMs": 1000, "times": 1})
    headers = {**ORG_KEY, "Idempotency-Key": "in-flight-1"}
    answers: list[httpx.Response] = []

    def sync() -> None:
        answers.append(httpx.post(f"{live_server}{SYNC}", json=sync_body(), headers=headers, timeout=30))

    first = threading.Thread(target=sync)
    first.start()
    deadline = time.monotonic() + 10
    while httpx.get(f"{live_server}/__admin/faults").json()["faults"][0]["fired"] == 0:
        assert time.monotonic() < deadline, "the delayed request never reached the fault"
        time.sleep(0.01)
    sync()  # while the first still waits out its delay
    first.join()
    assert sorted(answer.status_code for answer in answers) == [201, 409]
    conflict = next(answer for answer in answers if answer.status_code == 409)
    assert conflict.json()["reason"] == "idempotency_key_in_use"


@pytest.mark.parametrize(
    ("api", "path", "headers", "reason"),
    [
        ("align", "/align/api/v1/integration/time-entries/a4000000-0000-4000-8000-000000000001", ORG_KEY, "rate_limit"),
        ("contracting", "/contracting/api/v1/time-entries", CONTRACTING, None),
        ("productive", "/productive/api/v2/time_entries", PRODUCTIVE, None),
    ],
)
def test_a_429_carries_retry_after_and_the_rate_limit_headers(live_server, api, path, headers, reason):
    httpx.post(f"{live_server}/__admin/faults", json={"api": api, "status": 429, "times": 1})
    limited = httpx.get(f"{live_server}{path}", headers=headers)
    assert limited.status_code == 429
    for header in RATE_LIMIT_HEADERS:
        assert header in limited.headers, header
    if reason:
        assert limited.json()["reason"] == reason
    assert httpx.get(f"{live_server}{path}", headers=headers).status_code == 200
    (entry, _) = httpx.get(f"{live_server}/__admin/requests").json()["requests"]
    assert entry["status"] == 429 and entry["reason"] is not None


def test_a_status_fault_changes_nothing(live_server, server):
    httpx.post(f"{live_server}/__admin/faults", json={"api": "align", "method": "POST", "status": 503})
    before = server.store.count("align.time_entries")
    answer = httpx.post(f"{live_server}{SYNC}", json=sync_body(), headers=ORG_KEY)
    assert (answer.status_code, answer.json()["error"], answer.json()["reason"]) == (
        503, "service_unavailable", "service_unavailable"
    )  # fmt: skip
    assert server.store.count("align.time_entries") == before


def test_a_dropped_connection_gets_no_answer(live_server):
    httpx.post(f"{live_server}/__admin/faults", json={"api": "contracting", "drop": True, "times": 1})
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{live_server}/contracting/api/v1/time-entries", headers=CONTRACTING)
    assert httpx.get(f"{live_server}/contracting/api/v1/time-entries", headers=CONTRACTING).status_code == 200


def test_a_delay_trips_a_client_timeout_and_never_the_admin_api(live_server):
    httpx.post(f"{live_server}/__admin/faults", json={"api": "productive", "delayMs": 2000})
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(f"{live_server}/productive/api/v2/time_entries", headers=PRODUCTIVE, timeout=0.2)
    assert httpx.get(f"{live_server}/__admin/health", timeout=0.5).status_code == 200
