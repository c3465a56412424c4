"""Align `Idempotency-Key` on both POSTs [rules align.idempotency.replay,
align.idempotency.reuse, align.idempotency.stored-statuses]."""

import asyncio
from datetime import timedelta

import pytest

from mockserver.platform import idempotency
from mockserver.platform.clock import Clock
from mockserver.platform.errors import ApiError
from mockserver.platform.idempotency import IdempotencyCache
from mockserver.platform.replies import Reply
from mockserver.platform.store import Store
from tests.align_data import GLOBEX_KEY, ORG_KEY, SYNC, log_body, log_path, sync_body

ENDPOINTS = [(SYNC, sync_body), (log_path(), log_body)]


def with_key(key, headers=ORG_KEY):
    return {**headers, "Idempotency-Key": key}


@pytest.mark.parametrize(("path", "body"), ENDPOINTS)
def test_same_key_same_body_replays_the_stored_answer(client, server, path, body):
    first = client.post(path, json=body(), headers=with_key("k-1"))
    assert "idempotent-replayed" not in first.headers
    count = server.store.count("align.time_entries")
    again = client.post(path, json=body(), headers=with_key("k-1"))
    assert again.status_code == first.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert server.store.count("align.time_entries") == count


@pytest.mark.parametrize(("path", "body"), ENDPOINTS)
def test_same_key_other_body_is_422(client, path, body):
    client.post(path, json=body(), headers=with_key("k-2"))
    response = client.post(path, json=body(minutes=61), headers=with_key("k-2"))
    assert response.status_code == 422
    assert response.json()["error"] == "unprocessable_entity"
    assert response.json()["reason"] == "idempotency_key_reused"


def test_a_key_is_scoped_to_its_path(client):
    client.post(SYNC, json=sync_body(), headers=with_key("k-3"))
    assert client.post(log_path(), json=log_body(), headers=with_key("k-3")).status_code == 201


def test_a_key_is_scoped_to_the_organisation(client, server):
    client.post(SYNC, json=sync_body(), headers=with_key("k-4"))
    server.load_fixtures(
        {"align": {"organizations": [{"id": "b0000000-0000-4000-8000-000000000001", "features": ["time_tracking"]}]}}
    )
    response = client.post(SYNC, json=sync_body(projectId="b1000000-0000-4000-8000-000000000001",
                                               userId="b2000000-0000-4000-8000-000000000001"),
                           headers=with_key("k-4", GLOBEX_KEY))
    assert response.status_code == 201
    assert "idempotent-replayed" not in response.headers


def test_stored_404_is_replayed(client):
    body = sync_body(projectId="a1000000-0000-4000-8000-0000000000ff")
    first = client.post(SYNC, json=body, headers=with_key("k-5"))
    again = client.post(SYNC, json=body, headers=with_key("k-5"))
    assert first.status_code == again.status_code == 404
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"


def test_a_400_is_not_stored(client):
    assert client.post(SYNC, json=sync_body(minutes=0), headers=with_key("k-6")).status_code == 400
    response = client.post(SYNC, json=sync_body(), headers=with_key("k-6"))
    assert response.status_code == 201
    assert "idempotent-replayed" not in response.headers


def test_a_key_expires_after_24_hours(client, clock):
    first = client.post(log_path(), json=log_body(), headers=with_key("k-7")).json()
    clock.advance(timedelta(hours=23, minutes=59))
    assert client.post(log_path(), json=log_body(), headers=with_key("k-7")).json()["id"] == first["id"]
    clock.advance(timedelta(minutes=2))
    response = client.post(log_path(), json=log_body(), headers=with_key("k-7"))
    assert response.status_code == 201
    assert response.json()["id"] != first["id"]
    assert "idempotent-replayed" not in response.headers


def test_a_key_in_flight_is_409():
    cache = IdempotencyCache(Store([idempotency.COLLECTION]), Clock())
    release = asyncio.Event()

    async def slow() -> Reply:
        await release.wait()
        return Reply({"ok": True}, 201)

    async def scenario():
        first = asyncio.create_task(cache.run("org", "POST", "/p", "k", {"a": 1}, slow))
        await asyncio.sleep(0)
        with pytest.raises(ApiError) as in_use:
            await cache.run("org", "POST", "/p", "k", {"a": 1}, slow)
        release.set()
        return await first, in_use.value

    reply, error = asyncio.run(scenario())
    assert (error.status, error.reason) == (409, "idempotency_key_in_use")
    assert reply.status == 201
