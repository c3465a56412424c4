"""Fault rules through /__admin/faults: checked, listed, removed; probability repeatable under a seed."""

import pytest
from starlette.testclient import TestClient

from mockserver.platform.faults import Fault, FaultRegistry
from mockserver.server import MockServer

TEMPLATE = "/integration/time-entries/{id}"


def test_a_rule_is_answered_201_with_its_id_and_listed_with_its_count(client):
    rule = {"api": "align", "method": "post", "path": "/integration/time-entries", "status": 429, "times": 2}
    created = client.post("/__admin/faults", json=rule)
    assert created.status_code == 201
    body = created.json()
    assert body == {**rule, "method": "POST", "id": body["id"], "fired": 0}
    delayed = client.post("/__admin/faults", json={"api": "productive", "delayMs": 250, "headers": {}}).json()
    assert client.get("/__admin/faults").json() == {"faults": [body, delayed]}


def test_a_rule_is_what_the_registry_matches(client, server):
    client.post("/__admin/faults", json={"api": "align", "path": TEMPLATE, "status": 503, "times": 1})
    path = "/integration/time-entries/a4000000-0000-4000-8000-000000000001"
    assert server.faults.take("contracting", "GET", TEMPLATE, path) is None
    fired = server.faults.take("align", "GET", TEMPLATE, path)
    assert fired is not None and fired.status == 503
    assert server.faults.take("align", "GET", TEMPLATE, path) is None  # `times` used up
    assert client.get("/__admin/faults").json()["faults"][0]["fired"] == 1


def test_delete_one_and_all(client):
    first = client.post("/__admin/faults", json={"api": "align", "drop": True}).json()
    client.post("/__admin/faults", json={"api": "contracting", "status": 500})
    assert client.delete(f"/__admin/faults/{first['id']}").status_code == 204
    assert [fault["api"] for fault in client.get("/__admin/faults").json()["faults"]] == ["contracting"]
    missing = client.delete(f"/__admin/faults/{first['id']}")
    assert (missing.status_code, missing.json()["error"]) == (404, "not_found")
    assert client.delete("/__admin/faults").status_code == 204
    assert client.get("/__admin/faults").json() == {"faults": []}


@pytest.mark.parametrize(
    "rule",
    [
        {},
        {"status": 500},
        {"api": "nope", "status": 500},
        {"api": "align"},
        {"api": "align", "drop": False},
        {"api": "align", "status": 200},
        {"api": "align", "status": "500"},
        {"api": "align", "status": 500, "drop": True},
        {"api": "align", "delayMs": -1},
        {"api": "align", "delayMs": True},
        {"api": "align", "status": 500, "times": 0},
        {"api": "align", "status": 500, "probability": 1.5},
        {"api": "align", "status": 500, "path": "integration"},
        {"api": "align", "status": 500, "method": "GET /x"},
        {"api": "align", "status": 500, "headers": {"Bad Name": "x"}},
        {"api": "align", "status": 500, "headers": {"X-Ok": "line\r\nbreak"}},
        {"api": "align", "status": 500, "headers": {"X-Ok": 1}},
        {"api": "align", "delayMs": 5, "headers": {"X-Ok": "1"}},
        {"api": "align", "status": 500, "color": "red"},
        [],
    ],
)
def test_a_bad_rule_is_400_and_registers_nothing(client, rule):
    response = client.post("/__admin/faults", json=rule)
    assert response.status_code == 400, rule
    assert response.json()["error"] == "bad_request"
    assert client.get("/__admin/faults").json() == {"faults": []}


def test_a_rule_for_an_api_not_served_is_400():
    server = MockServer(apis=("align",))
    with TestClient(server) as client:
        assert client.post("/__admin/faults", json={"api": "productive", "status": 500}).status_code == 400


def _draws(registry: FaultRegistry, count: int) -> list[bool]:
    registry.add(Fault(api="align", status=503, probability=0.5))
    return [registry.take("align", "GET", "/x", "/x") is not None for _ in range(count)]


def test_probability_fires_on_a_share_and_is_repeatable_under_a_seed():
    first, second, other = _draws(FaultRegistry(7), 200), _draws(FaultRegistry(7), 200), _draws(FaultRegistry(8), 200)
    assert first == second
    assert first != other
    assert 60 < sum(first) < 140


def test_reset_replays_the_same_draws(client, server):
    server.faults = FaultRegistry(3)
    before = _draws(server.faults, 50)
    client.post("/__admin/reset")
    assert _draws(server.faults, 50) == before
