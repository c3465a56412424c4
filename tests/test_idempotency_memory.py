"""The idempotency cache keeps the keys of the last 24 hours only: expired records are dropped as
requests come, oldest first, without a scan of the cache per request (specs/align.yaml info.description,
Idempotency-Key)."""

from datetime import timedelta

from starlette.testclient import TestClient

from mockserver.platform.clock import Clock
from mockserver.server import MockServer
from tests.align_data import ORG_KEY, SYNC, sync_body

RECORDS = "platform.idempotency"
PAST_TTL = timedelta(hours=24, seconds=1)


def send_keys(client, prefix, count):
    for number in range(count):
        body = sync_body(externalId=f"{prefix}-{number}")
        response = client.post(SYNC, json=body, headers={**ORG_KEY, "Idempotency-Key": f"{prefix}-{number}"})
        assert response.status_code == 201


def test_advancing_the_clock_past_24_hours_frees_the_records(client, server, clock):
    send_keys(client, "old", 20)
    assert server.store.count(RECORDS) == 20
    clock.advance(PAST_TTL)
    send_keys(client, "new", 1)
    assert server.store.count(RECORDS) == 1
    # the freed key is free again: another body is a new request, not a reuse
    again = client.post(
        SYNC, json=sync_body(externalId="other", minutes=61), headers={**ORG_KEY, "Idempotency-Key": "old-0"}
    )
    assert again.status_code == 201


def test_only_the_expired_records_are_dropped(client, server, clock):
    send_keys(client, "first", 5)
    clock.advance(timedelta(hours=12))
    send_keys(client, "second", 5)
    clock.advance(timedelta(hours=12, seconds=1))
    send_keys(client, "third", 1)
    assert server.store.count(RECORDS) == 6
    replay = client.post(
        SYNC, json=sync_body(externalId="second-0"), headers={**ORG_KEY, "Idempotency-Key": "second-0"}
    )
    assert replay.headers["idempotent-replayed"] == "true"


def test_records_kept_across_a_reset_or_a_restart_still_expire(tmp_path):
    state = tmp_path / "state.json"
    clock = Clock()
    with TestClient(MockServer(state_file=state, clock=clock)) as client:
        send_keys(client, "before-reset", 3)
        client.post("/__admin/reset")
        send_keys(client, "after-reset", 4)
    restarted = MockServer(state_file=state, clock=clock)
    assert restarted.store.count(RECORDS) == 4
    clock.advance(PAST_TTL)
    with TestClient(restarted) as client:
        send_keys(client, "after-restart", 1)
    assert restarted.store.count(RECORDS) == 1


def test_a_request_does_not_scan_the_cache(client, server, monkeypatch):
    send_keys(client, "warm", 3)  # the cache has caught up with the store
    scanned = []
    original = server.store.all

    def all_documents(collection):
        scanned.append(collection)
        return original(collection)

    monkeypatch.setattr(server.store, "all", all_documents)
    send_keys(client, "more", 20)
    assert RECORDS not in scanned
