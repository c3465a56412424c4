"""The admin API over real HTTP on 127.0.0.1: journal, fixtures, faults and clock as a client sees them."""

import socket

import httpx
import pytest

from tests.align_data import LOADABLE_ENTRY as RECORD
from tests.align_data import ORG_KEY, REVOKED_KEY, SYNC, entry_path, sync_body

pytestmark = pytest.mark.slow



def raw_request(url: str, request: bytes) -> bytes:
    """Bytes on the wire, for what httpx would not send (a TAB after the scheme)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += connection.recv(65536)
        return answer


def test_the_journal_over_http(live_server):
    with httpx.Client(base_url=live_server) as client:
        client.post(SYNC, json=sync_body(), headers=REVOKED_KEY)
        client.post(SYNC, json=sync_body(), headers={**ORG_KEY, "Idempotency-Key": "h-1"})
        client.post(SYNC, content=b'{"minutes": NaN}', headers={**ORG_KEY, "Content-Type": "application/json"})
        client.get("/__admin/health")
        entries = client.get("/__admin/requests").json()["requests"]
        assert [(entry["status"], entry["reason"]) for entry in entries] == [
            (401, "key_revoked"), (201, None), (400, "validation_error")
        ]  # fmt: skip
        assert entries[0]["body"] == sync_body()  # refused before the body was read, still journaled
        assert entries[1]["response"]["body"]["created"] is True
        assert client.get("/__admin/requests/count", params={"status": "4xx"}).json() == {"count": 2}
        assert client.get("/__admin/requests", params={"since": entries[1]["id"]}).json()["requests"] == [entries[2]]
        assert client.delete("/__admin/requests").status_code == 204
        assert client.get("/__admin/requests/count").json() == {"count": 0}


def test_a_key_sent_with_a_tab_after_the_scheme_is_masked(live_server):
    path = entry_path("a4000000-0000-4000-8000-000000000001")
    raw_request(
        live_server,
        f"GET {path}?api_key=ako_demo_org_acme HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer\tako_demo_org_acme\r\n"
        "Proxy-Authorization: Basic c2VjcmV0LXNlY3JldA==\r\nConnection: close\r\n\r\n".encode(),
    )
    (entry,) = httpx.get(f"{live_server}/__admin/requests").json()["requests"]
    assert entry["headers"]["authorization"] == "Bearer ako_…"
    assert entry["headers"]["proxy-authorization"] == "Basic c2Vj…"
    assert entry["query"] == {"api_key": "ako_…"}
    assert "ako_demo_org_acme" not in str(entry) and "c2VjcmV0LXNlY3JldA" not in str(entry)


def test_fixtures_over_http_a_bad_record_loads_nothing_and_nothing_answers_500(live_server):
    with httpx.Client(base_url=live_server) as client:
        bad = client.post("/__admin/fixtures", json={"align": {"time_entries": [{**RECORD, "minutes": "lots"}]}})
        assert bad.status_code == 400
        assert "align.time_entries record 0" in bad.json()["message"] and "'minutes'" in bad.json()["message"]
        assert client.get(entry_path(RECORD["id"]), headers=ORG_KEY).status_code == 404
        deep = client.post("/__admin/fixtures", content=b"[" * 10000)
        assert (deep.status_code, deep.json()["error"]) == (400, "bad_request")
        nan = client.post("/__admin/fixtures", content=b'{"align": {"time_entries": [{"minutes": NaN}]}}')
        assert nan.status_code == 400
        assert client.post("/__admin/fixtures", json={"align": {"time_entries": [RECORD]}}).status_code == 204
        assert client.get(entry_path(RECORD["id"]), headers=ORG_KEY).json()["notes"] == "Loaded"


def test_faults_over_http(live_server):
    with httpx.Client(base_url=live_server) as client:
        created = client.post("/__admin/faults", json={"api": "align", "status": 429, "times": 3})
        assert created.status_code == 201
        fault_id = created.json()["id"]
        assert client.get("/__admin/faults").json()["faults"] == [created.json()]
        assert client.post("/__admin/faults", json={"api": "align", "status": 200}).status_code == 400
        assert client.delete(f"/__admin/faults/{fault_id}").status_code == 204
        assert client.delete(f"/__admin/faults/{fault_id}").status_code == 404
        assert client.get("/__admin/requests/count").json() == {"count": 0}  # admin calls are not journaled


def test_the_clock_over_http(live_server):
    with httpx.Client(base_url=live_server) as client:
        assert client.post("/__admin/clock", json={"set": "2032-07-01T08:00:00Z"}).json()["now"].startswith("2032")
        assert client.post("/__admin/clock", json={"freeze": True}).json()["frozen"] is True
        moved = client.post("/__admin/clock", json={"advance": 60}).json()["now"]
        assert moved.startswith("2032-07-01T08:01:00")
        created = client.post(SYNC, json=sync_body(), headers=ORG_KEY).json()
        assert created["createdAt"] == moved
        assert client.delete("/__admin/clock").status_code == 204
        assert client.get("/__admin/clock").json()["frozen"] is False
