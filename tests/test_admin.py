"""The admin API: health, reset, more fixtures, the request journal (DESIGN §4, §6 Admin)."""

from tests.align_data import ORG_KEY, SYNC, entry_path, sync_body


def test_health(client):
    response = client.get("/__admin/health")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_reset_restores_fixtures_and_empties_journal_and_idempotency(client, server):
    created = client.post(SYNC, json=sync_body(), headers={**ORG_KEY, "Idempotency-Key": "r-1"}).json()
    assert client.post("/__admin/reset").status_code == 204
    assert client.get("/__admin/requests").json() == {"requests": []}
    assert client.get(entry_path(created["id"]), headers=ORG_KEY).status_code == 404
    assert server.store.count("platform.idempotency") == 0
    again = client.post(SYNC, json=sync_body(), headers={**ORG_KEY, "Idempotency-Key": "r-1"})
    assert again.status_code == 201 and "idempotent-replayed" not in again.headers
    journal = client.get("/__admin/requests").json()["requests"]
    assert [entry["path"] for entry in journal] == [entry_path(created["id"]), SYNC]


def test_fixtures_add_records(client):
    record = {
        "id": "a4000000-0000-4000-8000-0000000000f1",
        "organizationId": "a0000000-0000-4000-8000-000000000001",
        "projectId": "a1000000-0000-4000-8000-000000000001",
        "userId": "a2000000-0000-4000-8000-000000000001",
        "entryId": None,
        "releaseId": None,
        "workDate": "2025-03-01",
        "hours": "1.0",
        "minutes": 60,
        "description": "Loaded",
        "billable": True,
        "source": "api",
        "status": "submitted",
        "invoiced": False,
        "createdAt": "2025-03-01T00:00:00.000Z",
        "updatedAt": "2025-03-01T00:00:00.000Z",
        "externalMetadata": None,
    }
    assert client.post("/__admin/fixtures", json={"align": {"time_entries": [record]}}).status_code == 204
    entry = client.get(entry_path(record["id"]), headers=ORG_KEY).json()
    assert (entry["status"], entry["notes"]) == ("submitted", "Loaded")


def test_bad_fixtures_are_400_and_load_nothing(client, server):
    before = server.store.count("align.time_entries")
    bad = [
        b"{",
        b"[]",
        b'{"nope": {}}',
        b'{"align": {"unknown_table": []}}',
        b'{"align": {"time_entries": [{"id": "x"}, {"no_id": 1}]}}',
    ]
    for body in bad:
        response = client.post("/__admin/fixtures", content=body)
        assert response.status_code == 400, body
        assert response.json()["error"] == "bad_request"
    assert server.store.count("align.time_entries") == before


def test_journal_records_vendor_calls_oldest_first_with_secrets_masked(client):
    client.get(entry_path("a4000000-0000-4000-8000-000000000001"), headers=ORG_KEY)
    client.post(SYNC, json=sync_body(), headers={"X-API-Key": "ako_demo_org_acme"})
    client.get("/__admin/health")
    journal = client.get("/__admin/requests").json()["requests"]
    assert [(entry["method"], entry["status"]) for entry in journal] == [("GET", 200), ("POST", 201)]
    first, second = journal
    assert first["headers"]["authorization"] == "Bearer ako_…"
    assert second["headers"]["x-api-key"] == "ako_…"
    assert "ako_demo_org_acme" not in str(journal)
    assert second["body"]["externalId"] == "illumera-te-001"
    assert set(first) == {"method", "path", "query", "headers", "body", "status", "time"}
    assert first["time"].endswith("Z")


def test_unmounted_paths_are_404(client):
    response = client.get("/nothing/here")
    assert response.status_code == 404
    assert "/align" in response.json()["message"]


def test_each_api_serves_its_spec_and_swagger_ui(client):
    spec = client.get("/align/api/v1/openapi.json")
    assert spec.status_code == 200
    assert spec.json()["info"]["title"].startswith("Align")
    assert client.get("/align/api/v1/ui/").status_code == 200
