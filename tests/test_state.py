"""`--state`: a TinyDB JSON file that survives restarts and is always replaced whole."""

import json

from starlette.testclient import TestClient
from tinydb import TinyDB

from mockserver.server import MockServer
from tests.align_data import ORG_KEY, SYNC, entry_path, sync_body


def test_state_survives_a_restart(tmp_path):
    state = tmp_path / "state.json"
    with TestClient(MockServer(state_file=state)) as client:
        created = client.post(SYNC, json=sync_body(), headers=ORG_KEY).json()
    with TestClient(MockServer(state_file=state)) as client:
        assert client.get(entry_path(created["id"]), headers=ORG_KEY).json()["id"] == created["id"]
        replay = client.post(SYNC, json=sync_body(), headers=ORG_KEY)
        assert (replay.status_code, replay.json()["id"]) == (200, created["id"])


def test_state_file_is_tinydb_readable_and_left_whole(tmp_path):
    state = tmp_path / "state.json"
    with TestClient(MockServer(state_file=state)) as client:
        client.post(SYNC, json=sync_body(), headers=ORG_KEY)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["state.json"]  # no temp file left behind
    json.loads(state.read_text())
    db = TinyDB(state)
    assert len(db.table("align.time_entries")) == 5


def test_reset_rewrites_the_state_file(tmp_path):
    state = tmp_path / "state.json"
    with TestClient(MockServer(state_file=state)) as client:
        client.post(SYNC, json=sync_body(), headers=ORG_KEY)
        client.post("/__admin/reset")
    assert len(TinyDB(state).table("align.time_entries")) == 4


def test_a_failed_write_leaves_the_previous_file(tmp_path, monkeypatch):
    state = tmp_path / "state.json"
    server = MockServer(state_file=state)
    before = state.read_text()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("mockserver.platform.store.os.replace", crash)
    server.store.put("align.organizations", {"id": "x", "features": []})
    try:
        server.store.flush()
    except OSError:
        pass
    assert state.read_text() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["state.json"]
