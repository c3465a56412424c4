"""The request journal: entries, per-vendor reasons, filters, count, delete, masking and bounds."""

import logging
from datetime import timedelta

import pytest

from mockserver.platform import journal as journal_module
from tests import productive_data as productive
from tests.align_data import ORG_KEY, REVOKED_KEY, SYNC, WEB, entry_path, log_body, log_path, sync_body

CONTRACTING = "/contracting/api/v1/time-entries"
CONTRACTING_HEADERS = {"Authorization": "Bearer kk_demo_token_acme", "tenant-id": "tnt_acme00000000000000000001"}


def journal(client, **filters):
    response = client.get("/__admin/requests", params=filters)
    assert response.status_code == 200, response.text
    return response.json()["requests"]


def test_an_entry_holds_the_request_its_answer_and_the_rule_that_answered(client):
    client.post(SYNC, json=sync_body(), headers={**ORG_KEY, "Idempotency-Key": "j-1"})
    client.post(SYNC, json=sync_body(minutes=99), headers={**ORG_KEY, "Idempotency-Key": "j-1"})
    first, second = journal(client)
    assert set(first) == {
        "id", "api", "method", "path", "query", "headers", "body", "status", "time", "reason", "response", "durationMs"
    }  # fmt: skip
    assert (first["api"], first["method"], first["path"], first["status"], first["reason"]) == (
        "align", "POST", SYNC, 201, None
    )  # fmt: skip
    assert first["body"] == sync_body()
    assert first["headers"]["idempotency-key"] == "j-1"  # not a secret: shown as sent
    assert first["response"]["body"]["created"] is True
    assert first["response"]["headers"]["content-type"].startswith("application/json")
    assert first["time"].endswith("Z") and first["durationMs"] >= 0
    assert (second["status"], second["reason"]) == (422, "idempotency_key_reused")
    assert second["id"] > first["id"]


def test_reason_is_each_vendors_own(client):
    client.get(entry_path("a4000000-0000-4000-8000-000000000001"), headers=REVOKED_KEY)
    client.get(CONTRACTING, headers={"Authorization": "Bearer kk_demo_token_acme"})
    client.get(productive.ENTRIES + "?filter[nope]=1", headers=productive.HEADERS)
    client.patch(productive.entry_path(productive.APPROVED, "approve"), headers=productive.HEADERS)
    reasons = [(entry["api"], entry["reason"]) for entry in journal(client)]
    assert reasons == [
        ("align", "key_revoked"),
        ("contracting", "FST_ERR_VALIDATION"),
        ("productive", "Unsupported Filter"),
        ("productive", "record_already_approved"),
    ]


def test_the_body_is_recorded_even_when_the_request_is_refused_before_it_is_read(client):
    client.post(SYNC, json=sync_body(), headers=REVOKED_KEY)
    client.post(SYNC, content=b"not json at all", headers={**ORG_KEY, "Content-Type": "application/json"})
    refused, malformed = journal(client)
    assert (refused["status"], refused["body"]) == (401, sync_body())
    assert (malformed["status"], malformed["body"]) == (400, "not json at all")


def test_nan_and_huge_numbers_in_a_body_never_break_the_journal(client):
    for raw in (b'{"minutes": NaN}', b'{"minutes": 1e400}', b'{"notes": "\\ud800"}'):
        client.post(SYNC, content=raw, headers={**ORG_KEY, "Content-Type": "application/json"})
    entries = journal(client)
    assert [entry["status"] for entry in entries] == [400, 400, 400]
    assert entries[0]["body"] == '{"minutes": NaN}'


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [
        ("Authorization", "Bearer ako_demo_org_acme", "Bearer ako_…"),
        ("authorization", "bearer\tako_demo_org_acme", "bearer ako_…"),
        ("AUTHORIZATION", "ako_demo_org_acme", "ako_…"),
        ("Authorization", "Bearer   ako_demo_org_acme  ", "Bearer ako_…"),
        ("Proxy-Authorization", "Basic ZGVtbzpzZWNyZXQtcGFzc3dvcmQ=", "Basic ZGVt…"),
        ("X-API-Key", "ako_demo_org_acme", "ako_…"),
        ("x-auth-token", "pat_demo_1001", "pat_…"),
        ("Cookie", "session=abcdefghijkl", "sess…"),
        ("X-Custom-Secret", "abcdefghijkl", "abcd…"),
    ],
)
def test_credential_headers_are_masked_in_any_casing_and_spacing(client, name, value, shown):
    secret = value.split()[-1]
    client.get(entry_path("a4000000-0000-4000-8000-000000000001"), headers={name: value})
    (entry,) = journal(client)
    assert entry["headers"][name.lower()] == shown
    assert secret not in str(entry)


def test_credentials_in_the_query_and_repeated_headers_are_masked(client):
    client.get(
        entry_path("a4000000-0000-4000-8000-000000000001") + "?api_key=ako_demo_org_acme&access_token=kk_demo_x1",
        headers=[("Authorization", "Bearer ako_demo_org_acme"), ("Authorization", "Bearer ako_demo_revoked")],
    )
    (entry,) = journal(client)
    assert entry["query"] == {"api_key": "ako_…", "access_token": "kk_d…"}
    assert entry["headers"]["authorization"] == "Bearer ako_…, Bearer ako_…"
    assert "ako_demo" not in str(entry) and "kk_demo_x1" not in str(entry)


def test_large_bodies_are_cut_with_a_marker_and_the_journal_is_bounded_in_bytes(client, server, monkeypatch):
    big = {"description": "x" * 200_000}
    client.post(log_path(), json=log_body(**big), headers=ORG_KEY)
    (entry,) = journal(client)
    sent = len(client.build_request("POST", "/", json=log_body(**big)).content)
    assert entry["body"].endswith(f"…[truncated: {sent} bytes in all]")
    assert len(entry["body"]) < journal_module.MAX_BODY_BYTES + 100
    monkeypatch.setattr(server.journal, "_max_bytes", 3 * journal_module.MAX_BODY_BYTES)
    for _ in range(10):
        client.post(log_path(), json=log_body(**big), headers=ORG_KEY)
    kept = journal(client)
    assert 1 <= len(kept) <= 3
    assert server.journal.bytes <= 3 * journal_module.MAX_BODY_BYTES


def test_the_journal_keeps_the_last_entries_only(client, server, monkeypatch):
    monkeypatch.setattr(server.journal, "_limit", 3)
    for number in range(5):
        client.get(entry_path(f"a4000000-0000-4000-8000-00000000000{number}"), headers=ORG_KEY)
    assert [entry["path"][-1] for entry in journal(client)] == ["2", "3", "4"]


def test_admin_calls_are_not_journaled(client):
    client.get("/__admin/health")
    client.post("/__admin/clock", json={"advance": 1})
    client.get("/__admin/requests/count")
    assert journal(client) == []


def test_filters_combine_with_and(client):
    client.get(entry_path("a4000000-0000-4000-8000-000000000001"), headers=ORG_KEY)
    client.get(entry_path("a4000000-0000-4000-8000-000000000002"), headers=REVOKED_KEY)
    client.post(log_path(), json=log_body(), headers=ORG_KEY)
    client.get(CONTRACTING, headers=CONTRACTING_HEADERS)
    paths = lambda **filters: [entry["path"] for entry in journal(client, **filters)]  # noqa: E731
    everything = paths()
    assert len(everything) == 4
    assert paths(api="contracting") == [CONTRACTING]
    assert paths(method="post") == [log_path()]
    assert paths(path="/integration/time-entries/{id}") == everything[:2]
    assert paths(path=entry_path("a4000000-0000-4000-8000-000000000002")) == [everything[1]]
    assert paths(path="/projects/{id}/time-entries") == [log_path(WEB)]
    assert paths(status="401") == [everything[1]]
    assert paths(status="2xx") == [everything[0], everything[2], everything[3]]
    assert paths(reason="key_revoked") == [everything[1]]
    assert paths(api="align", status="200") == [everything[0]]
    assert paths(api="align", status="404") == []


def test_since_an_entry_id_or_a_date_time(client, clock):
    client.get(entry_path("a4000000-0000-4000-8000-000000000001"), headers=ORG_KEY)
    first = journal(client)[0]
    clock.advance(timedelta(minutes=5))
    client.get(entry_path("a4000000-0000-4000-8000-000000000002"), headers=ORG_KEY)
    later = [entry["path"][-1] for entry in journal(client, since=str(first["id"]))]
    assert later == ["2"]
    moment = first["time"].replace("Z", "+00:00")
    assert [entry["path"][-1] for entry in journal(client, since=moment)] == ["2"]
    assert client.get("/__admin/requests/count", params={"since": first["time"]}).json() == {"count": 1}


def test_count_and_delete(client):
    for _ in range(3):
        client.get(entry_path("a4000000-0000-4000-8000-000000000001"), headers=REVOKED_KEY)
    assert client.get("/__admin/requests/count").json() == {"count": 3}
    assert client.get("/__admin/requests/count", params={"reason": "key_revoked"}).json() == {"count": 3}
    assert client.get("/__admin/requests/count", params={"status": "200"}).json() == {"count": 0}
    assert client.delete("/__admin/requests").status_code == 204
    assert client.get("/__admin/requests/count").json() == {"count": 0}


@pytest.mark.parametrize(
    "query",
    ["status=abc", "status=99", "since=yesterday", "since=2025-01-01T00:00:00", "nope=1", "path=x", "api=a&api=b"],
)
def test_bad_filters_are_400_in_the_admin_envelope(client, query):
    for url in ("/__admin/requests?", "/__admin/requests/count?"):
        response = client.get(url + query)
        assert response.status_code == 400
        assert response.json()["error"] == "bad_request"


def test_every_request_writes_one_log_line_naming_what_answered(client, caplog):
    with caplog.at_level(logging.INFO, logger="mockserver.requests"):
        client.get(entry_path("a4000000-0000-4000-8000-000000000001"), headers=REVOKED_KEY)
        client.get("/__admin/health")
    lines = [record.getMessage() for record in caplog.records if record.name == "mockserver.requests"]
    assert len(lines) == 2
    api, method, path, status, reason, duration = lines[0].split(" ")
    assert (api, method, path, status, reason) == (
        "align", "GET", entry_path("a4000000-0000-4000-8000-000000000001"), "401", "key_revoked"
    )  # fmt: skip
    assert duration.endswith("ms")
    assert lines[1].startswith("admin GET /__admin/health 200 -")


def test_huge_headers_are_cut_when_shown_and_counted_against_the_cap(client, server, monkeypatch):
    monkeypatch.setattr(server.journal, "_max_bytes", 1024 * 1024)
    for _ in range(8):
        client.get(entry_path("a4000000-0000-4000-8000-000000000001"), headers={**ORG_KEY, "X-Big": "b" * 262144})
    assert server.journal.bytes <= 1024 * 1024
    kept = journal(client)
    assert 1 <= len(kept) <= 4
    assert kept[-1]["headers"]["x-big"].endswith("…[truncated: 262144 characters in all]")
    assert len(kept[-1]["headers"]["x-big"]) < journal_module.MAX_HEADER_BYTES + 100


def test_entries_hold_no_container_for_the_garbage_collector_to_traverse():
    # platform/journal.py keeps an entry as one flat tuple of plain values: once it survives a collection
    # it is untracked, so a full journal adds nothing to the collector's pauses
    import asyncio
    import gc

    from mockserver.asgi import Request, call
    from mockserver.server import MockServer

    server = MockServer(apis=["align"])
    headers = (("authorization", "Bearer ako_demo_org_acme"), ("x-repeated", "a"), ("x-repeated", "b"))
    for _ in range(3):
        asyncio.run(call(server, Request("GET", f"/align/api/v1/integration/time-entries/{'0' * 8}", headers=headers)))
    gc.collect()
    kept = list(server.journal._entries)
    assert len(kept) == 3 and not any(gc.is_tracked(entry) for entry in kept)
    (entry, *_) = server.journal.entries()
    assert [name for name, _ in entry.headers].count(b"x-repeated") == 2  # every line, in order, as sent
    assert entry.response_headers[0][0] == b"content-length"
