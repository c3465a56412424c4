"""The clock every fake reads, moved from outside through /__admin/clock (README, "Admin API")."""

from datetime import UTC, datetime, timedelta

import pytest

from mockserver.platform.clock import Clock
from tests import productive_data as productive
from tests.align_data import ORG_KEY, SYNC, sync_body


def test_set_advance_freeze_and_unfreeze_resume_from_the_frozen_instant():
    clock = Clock()
    clock.set(datetime(2030, 1, 1, tzinfo=UTC))
    assert abs(clock.now() - datetime(2030, 1, 1, tzinfo=UTC)) < timedelta(seconds=1)
    clock.freeze()
    frozen = clock.now()
    assert clock.now() == frozen and clock.frozen
    clock.advance(timedelta(hours=2))
    assert clock.now() == frozen + timedelta(hours=2)
    clock.freeze(False)
    assert not clock.frozen
    assert timedelta(0) <= clock.now() - (frozen + timedelta(hours=2)) < timedelta(seconds=1)
    clock.reset()
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=1)


def test_admin_clock_reads_and_moves_the_servers_clock(client, clock):
    shown = client.get("/__admin/clock").json()
    assert shown["frozen"] is False and shown["now"].endswith("Z")
    answer = client.post("/__admin/clock", json={"set": "2030-06-01T12:00:00+02:00"})
    assert answer.status_code == 200 and answer.json()["now"].startswith("2030-06-01T10:00:0")
    assert client.post("/__admin/clock", json={"freeze": True}).json() == {
        "now": answer.json()["now"][:20] + clock.now().strftime("%f")[:3] + "Z",
        "frozen": True,
    }
    assert client.post("/__admin/clock", json={"advance": 90}).json()["now"] == clock.now().strftime(
        "%Y-%m-%dT%H:%M:%S.%f"
    )[:-3] + "Z"
    assert clock.now().minute == 1 and clock.now().second >= 30
    assert client.delete("/__admin/clock").status_code == 204
    assert not clock.frozen and abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)


def test_timestamps_follow_the_clock(client):
    client.post("/__admin/clock", json={"set": "2031-02-03T04:05:06Z"})
    client.post("/__admin/clock", json={"freeze": True})
    created = client.post(SYNC, json=sync_body(), headers=ORG_KEY).json()
    assert created["createdAt"].startswith("2031-02-03T04:05:06")
    entry = client.post(productive.ENTRIES, json=productive.create_body(), headers=productive.WRITE).json()
    assert entry["data"]["attributes"]["created_at"].startswith("2031-02-03T06:05:06")  # the org's +02:00


def test_an_idempotency_key_is_free_again_after_24_hours_and_a_second(client):
    headers = {**ORG_KEY, "Idempotency-Key": "clock-1"}
    client.post("/__admin/clock", json={"freeze": True})
    assert client.post(SYNC, json=sync_body(), headers=headers).status_code == 201
    client.post("/__admin/clock", json={"advance": 24 * 3600 - 1})
    assert client.post(SYNC, json=sync_body(minutes=5), headers=headers).status_code == 422
    client.post("/__admin/clock", json={"advance": 2})
    assert client.post(SYNC, json=sync_body(minutes=5), headers=headers).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"advance": 1, "freeze": True},
        {"advance": "soon"},
        {"advance": True},
        {"advance": 1e300},
        {"advance": -1e11},
        {"set": "2030-01-01T00:00:00"},
        {"set": "tomorrow"},
        {"set": "9999-12-31T23:59:59Z"},
        {"freeze": "yes"},
        {"rewind": 5},
        [1],
    ],
)
def test_bad_clock_commands_are_400_and_change_nothing(client, clock, body):
    clock.freeze()
    before = clock.now()
    response = client.post("/__admin/clock", json=body)
    assert response.status_code == 400
    assert response.json()["error"] == "bad_request"
    assert clock.now() == before
