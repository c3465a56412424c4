"""`--state`: a TinyDB-format snapshot plus a change log, each request's changes appended before it is answered."""

import asyncio
import json
import os
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient
from tinydb import TinyDB

from mockserver import DEFAULT_FIXTURES
from mockserver.platform import persistence
from mockserver.server import MockServer
from tests.align_data import ORG_KEY, SYNC, entry_path, sync_body
from tests.productive_data import SEED_ENTRY, WRITE, update_body
from tests.productive_data import entry_path as productive_entry_path

ENTRIES = "align.time_entries"
ALIGN_FIXTURES = json.loads(DEFAULT_FIXTURES.read_text())["align"]


def files(directory):
    return sorted(path.name for path in directory.iterdir())


def log_of(state):
    return state.with_name(state.name + ".log")


def created_ids(client, count, prefix="te"):
    ids = []
    for number in range(count):
        response = client.post(SYNC, json=sync_body(externalId=f"{prefix}-{number}"), headers=ORG_KEY)
        assert response.status_code == 201
        ids.append(response.json()["id"])
    return ids


def test_state_survives_a_restart(tmp_path):
    state = tmp_path / "state.json"
    with TestClient(MockServer(apis=["align"], state_file=state)) as client:
        created = client.post(SYNC, json=sync_body(), headers=ORG_KEY).json()
    with TestClient(MockServer(apis=["align"], state_file=state)) as client:
        assert client.get(entry_path(created["id"]), headers=ORG_KEY).json()["id"] == created["id"]
        replay = client.post(SYNC, json=sync_body(), headers=ORG_KEY)
        assert (replay.status_code, replay.json()["id"]) == (200, created["id"])


def test_the_first_start_writes_the_snapshot_whole(tmp_path):
    state = tmp_path / "state.json"
    MockServer(apis=["align"], state_file=state)
    assert files(tmp_path) == ["state.json"]
    assert len(TinyDB(state).table(ENTRIES)) == 4


def test_a_write_appends_its_changes_to_the_log_and_leaves_the_snapshot(tmp_path):
    state = tmp_path / "state.json"
    server = MockServer(apis=["align"], state_file=state)
    snapshot = state.read_bytes()
    with TestClient(server) as client:
        [entry_id] = created_ids(client, 1)
        assert state.read_bytes() == snapshot
        assert entry_id in log_of(state).read_text()
        # what was acknowledged is on disk already: a second server reads it while the first still runs
        assert MockServer(apis=["align"], state_file=tmp_path / "copy.json").store.get(ENTRIES, entry_id) is None
        log_copy = tmp_path / "copy.json.log"
        log_copy.write_bytes(log_of(state).read_bytes())
        (tmp_path / "copy.json").write_bytes(snapshot)
        assert MockServer(apis=["align"], state_file=tmp_path / "copy.json").store.get(ENTRIES, entry_id) is not None


def test_a_write_appends_as_many_bytes_however_large_the_state(tmp_path):
    """The cost of a write follows its own changes, not the state: the log grows by the same record
    size at 0 and at 2 000 extra records, and the snapshot is not rewritten."""
    appended = []
    for extra in (0, 2000):
        state = tmp_path / f"state-{extra}.json"
        server = MockServer(apis=["align"], state_file=state)
        server.load_fixtures({"align": {"time_entries": [extra_entry(number) for number in range(extra)]}})
        snapshot = state.stat()
        with TestClient(server) as client:
            before = log_of(state).stat().st_size if log_of(state).exists() else 0
            created_ids(client, 1)
            appended.append(log_of(state).stat().st_size - before)
            after = state.stat()
            assert (after.st_ino, after.st_mtime_ns) == (snapshot.st_ino, snapshot.st_mtime_ns)
    assert appended[0] == appended[1] < 4096


def extra_entry(number):
    """A copy of a fixture entry of Acme's project Web under a new id."""
    return {**ALIGN_FIXTURES["time_entries"][0], "id": f"e0000000-0000-4000-8000-{number:012d}", "status": "draft"}


def test_shutdown_compacts_the_log_into_a_tinydb_readable_snapshot(tmp_path):
    state = tmp_path / "state.json"
    with TestClient(MockServer(apis=["align"], state_file=state)) as client:
        created_ids(client, 3)
        assert log_of(state).exists()
    assert files(tmp_path) == ["state.json"]
    json.loads(state.read_text())
    assert len(TinyDB(state).table(ENTRIES)) == 7


def test_reset_and_fixture_loads_persist(tmp_path):
    state = tmp_path / "state.json"
    server = MockServer(apis=["align"], state_file=state)
    with TestClient(server) as client:
        created_ids(client, 2)
        assert client.post("/__admin/reset").status_code == 204
        more = {"align": {"organizations": [{"id": "c0000000-0000-4000-8000-000000000001", "features": []}]}}
        assert client.post("/__admin/fixtures", json=more).status_code == 204
        # read back while the first server still runs: no shutdown compaction helps
        (tmp_path / "copy.json").write_bytes(state.read_bytes())
        (tmp_path / "copy.json.log").write_bytes(log_of(state).read_bytes())
        restored = MockServer(apis=["align"], state_file=tmp_path / "copy.json")
    assert restored.store.count(ENTRIES) == 4
    assert restored.store.get("align.organizations", "c0000000-0000-4000-8000-000000000001") is not None


def test_a_torn_last_record_is_ignored(tmp_path):
    state = tmp_path / "state.json"
    server = MockServer(apis=["align"], state_file=state)
    initial = state.read_bytes()
    with TestClient(server) as client:
        kept = created_ids(client, 2)
        log = log_of(state).read_bytes()
        torn = created_ids(client, 1, prefix="torn")
        whole = log_of(state).read_bytes()
    # the crash: the last record only partly written (shutdown compaction never ran)
    state.write_bytes(initial)
    log_of(state).write_bytes(whole[: len(log) + (len(whole) - len(log)) // 2])
    restored = MockServer(apis=["align"], state_file=state)
    assert all(restored.store.get(ENTRIES, entry_id) for entry_id in kept)
    assert restored.store.get(ENTRIES, torn[0]) is None
    assert files(tmp_path) == ["state.json"]  # compacted at start: the torn bytes are gone


def test_a_damaged_record_ends_the_replay(tmp_path):
    state = tmp_path / "state.json"
    server = MockServer(apis=["align"], state_file=state)
    initial = state.read_bytes()
    with TestClient(server) as client:
        first, second = created_ids(client, 2)
        records = log_of(state).read_bytes().splitlines(keepends=True)
    state.write_bytes(initial)
    damaged = records[1].replace(second.encode(), second[::-1].encode())  # same length, checksum no longer fits
    log_of(state).write_bytes(records[0] + damaged)
    restored = MockServer(apis=["align"], state_file=state)
    assert restored.store.get(ENTRIES, first) is not None
    assert restored.store.get(ENTRIES, second) is None
    assert restored.store.get(ENTRIES, second[::-1]) is None


def test_stale_temporary_files_are_removed_at_start(tmp_path):
    state = tmp_path / "state[1].json"  # a name that is also a glob pattern
    MockServer(apis=["align"], state_file=state)
    for name in (".state[1].json.abc123", ".state[1].json.x"):
        (tmp_path / name).write_text('{"align.time_entries": {"1": {"id"')
    (tmp_path / ".other.json.abc123").write_text("{}")
    MockServer(apis=["align"], state_file=state)
    assert files(tmp_path) == [".other.json.abc123", "state[1].json"]


def test_a_log_that_outgrows_the_snapshot_is_compacted_in_the_background(tmp_path, monkeypatch):
    monkeypatch.setattr(persistence, "COMPACT_AT_LEAST", 0)
    state = tmp_path / "state.json"
    server = MockServer(apis=["align"], state_file=state)
    with TestClient(server) as client:
        ids = created_ids(client, 40)
        server.store.wait_for_compaction()
        assert not (tmp_path / "state.json.log.prev").exists()
        snapshot_ids = {doc["id"] for doc in TinyDB(state).table(ENTRIES).all()}
        assert ids[0] in snapshot_ids  # the snapshot was rewritten while the server ran
        # a crash now: the snapshot plus what the log holds since
        (tmp_path / "copy.json").write_bytes(state.read_bytes())
        if log_of(state).exists():
            (tmp_path / "copy.json.log").write_bytes(log_of(state).read_bytes())
        restored = MockServer(apis=["align"], state_file=tmp_path / "copy.json")
    assert all(restored.store.get(ENTRIES, entry_id) for entry_id in ids)


def test_a_set_aside_log_replayed_over_the_newer_snapshot_changes_nothing(tmp_path, monkeypatch):
    """A crash after the new snapshot's rename but before the set-aside log is removed: replaying that
    log over the snapshot that already holds it gives the same state."""
    monkeypatch.setattr(persistence, "COMPACT_AT_LEAST", 0)  # compact as soon as the log outgrows the snapshot
    unlink = Path.unlink

    def keep_the_set_aside_log(path, missing_ok=False):  # the crash window, held open
        if path.name.endswith(".log.prev"):
            raise OSError("crashed before removing it")
        unlink(path, missing_ok=missing_ok)

    state = tmp_path / "state.json"
    prev = tmp_path / "state.json.log.prev"
    server = MockServer(apis=["productive"], state_file=state)
    monkeypatch.setattr(Path, "unlink", keep_the_set_aside_log)
    entry = productive_entry_path(SEED_ENTRY)
    client = TestClient(server)  # no lifespan: no shutdown compaction, as in a crash
    for minutes in range(10, 100):  # until the log outgrows the snapshot and is set aside
        patch = client.patch(entry, json=update_body(time=minutes, note="n" * 2000), headers=WRITE)
        assert patch.status_code == 200
        server.store.wait_for_compaction()
        if prev.exists():
            break
    else:
        pytest.fail("the log was never compacted")
    patch = client.patch(entry, json=update_body(time=5), headers=WRITE)  # logged after the rotation
    assert TinyDB(state).table("productive.time_entries").get(doc_id=1)["time"] == minutes  # the new snapshot
    expected = server.store.export()
    for name in ("state.json", "state.json.log.prev", "state.json.log"):
        (tmp_path / name.replace("state", "copy")).write_bytes((tmp_path / name).read_bytes())
    monkeypatch.undo()
    restored = MockServer(apis=["productive"], state_file=tmp_path / "copy.json")
    assert restored.store.get("productive.time_entries", SEED_ENTRY)["time"] == 5
    assert restored.store.export() == expected


def test_a_failed_compaction_loses_nothing(tmp_path, monkeypatch):
    state = tmp_path / "state.json"
    server = MockServer(apis=["align"], state_file=state)
    before = state.read_bytes()

    def disk_full(*args, **kwargs):
        raise OSError("disk full")

    client = TestClient(server)  # no lifespan: the shutdown compaction is called below
    monkeypatch.setattr(persistence.os, "replace", disk_full)
    monkeypatch.setattr(persistence, "COMPACT_AT_LEAST", 0)
    ids = created_ids(client, 5)  # compactions fail in the background; the requests do not
    server.store.wait_for_compaction()
    with pytest.raises(OSError):
        server.store.close()
    monkeypatch.undo()
    assert state.read_bytes() == before
    assert not [name for name in files(tmp_path) if name.startswith(".")]  # no temporary file left
    restored = MockServer(apis=["align"], state_file=state)
    assert all(restored.store.get(ENTRIES, entry_id) for entry_id in ids)


def test_concurrent_writes_are_logged_in_the_order_they_were_made(tmp_path):
    """Fifty PATCHes of one entry at once: the restored entry is the one the last PATCH left in memory,
    and every concurrent create is back."""
    state = tmp_path / "state.json"
    server = MockServer(apis=["productive", "align"], state_file=state)

    async def hammer():
        transport = httpx.ASGITransport(app=server)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8080") as client:
            patches = [
                client.patch(productive_entry_path(SEED_ENTRY), json=update_body(time=minutes), headers=WRITE)
                for minutes in range(1, 51)
            ]
            syncs = [
                client.post(SYNC, json=sync_body(externalId=f"c-{number}"), headers=ORG_KEY) for number in range(50)
            ]
            return await asyncio.gather(*patches, *syncs)

    answers = asyncio.run(hammer())
    assert {answer.status_code for answer in answers} == {200, 201}
    final = server.store.get("productive.time_entries", SEED_ENTRY)
    created = [answer.json()["id"] for answer in answers if answer.status_code == 201]
    assert len(created) == 50
    restored = MockServer(apis=["productive", "align"], state_file=state)  # no shutdown: log replay
    assert restored.store.get("productive.time_entries", SEED_ENTRY) == final
    assert all(restored.store.get(ENTRIES, entry_id) for entry_id in created)


def test_a_state_file_in_a_missing_directory_is_created(tmp_path):
    state = tmp_path / "deeper" / "state.json"
    MockServer(apis=["align"], state_file=state)
    assert os.path.exists(state)


@pytest.mark.parametrize(
    "content",
    ['{"align.time_entries": [1,2', "[1, 2]", '{"align.time_entries": {"1": 5}}', '{"align.time_entries": {"1": {}}}'],
)
def test_a_state_file_that_is_not_tinydb_state_is_refused_by_name(tmp_path, content):
    state = tmp_path / "state.json"
    state.write_text(content)
    with pytest.raises(ValueError, match="state file"):
        MockServer(apis=["align"], state_file=state)
    assert state.read_text() == content


def test_a_write_the_disk_refused_is_retried_in_order_with_the_next(tmp_path, monkeypatch):
    """The request whose changes could not be written is not acknowledged (500); its changes stay queued,
    so the log never skips them and the next write carries both."""
    state = tmp_path / "state.json"
    server = MockServer(apis=["align"], state_file=state)
    client = TestClient(server, raise_server_exceptions=False)
    write = os.write
    refusals = iter([True])

    def disk_full_once(fd, data):
        if next(refusals, False):
            write(fd, bytes(data)[:10])  # part of the record reaches the file first
            raise OSError(28, "No space left on device")
        return write(fd, data)

    monkeypatch.setattr(persistence.os, "write", disk_full_once)
    refused = client.post(SYNC, json=sync_body(externalId="refused"), headers=ORG_KEY)
    assert refused.status_code == 500
    accepted = created_ids(client, 1, prefix="after")
    restored = MockServer(apis=["align"], state_file=state)  # from the log: no shutdown compaction
    assert restored.store.get(ENTRIES, accepted[0]) is not None
    assert restored.store.export() == server.store.export()  # the refused request's entry too, as in memory
    assert restored.store.count(ENTRIES) == 6
