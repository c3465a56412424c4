"""The admin API: health, reset, fixtures, errors in the admin envelope (README, "Admin API")."""

import pytest

from tests.align_data import LOADABLE_ENTRY as ALIGN_RECORD
from tests.align_data import ORG_KEY, SYNC, entry_path, sync_body


def test_health(client):
    response = client.get("/__admin/health")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_reset_restores_fixtures_and_empties_journal_idempotency_faults_and_clock(client, server):
    created = client.post(SYNC, json=sync_body(), headers={**ORG_KEY, "Idempotency-Key": "r-1"}).json()
    assert client.post("/__admin/faults", json={"api": "align", "status": 503}).status_code == 201
    assert client.post("/__admin/clock", json={"set": "2031-05-01T00:00:00Z"}).status_code == 200
    assert client.post("/__admin/reset").status_code == 204
    assert client.get("/__admin/requests").json() == {"requests": []}
    assert client.get("/__admin/faults").json() == {"faults": []}
    assert client.get("/__admin/clock").json()["now"] < "2031"
    assert client.get(entry_path(created["id"]), headers=ORG_KEY).status_code == 404
    assert server.store.count("platform.idempotency") == 0
    again = client.post(SYNC, json=sync_body(), headers={**ORG_KEY, "Idempotency-Key": "r-1"})
    assert again.status_code == 201 and "idempotent-replayed" not in again.headers
    journal = client.get("/__admin/requests").json()["requests"]
    assert [entry["path"] for entry in journal] == [entry_path(created["id"]), SYNC]


def test_fixtures_add_records(client):
    assert client.post("/__admin/fixtures", json={"align": {"time_entries": [ALIGN_RECORD]}}).status_code == 204
    entry = client.get(entry_path(ALIGN_RECORD["id"]), headers=ORG_KEY).json()
    assert (entry["status"], entry["notes"]) == ("submitted", "Loaded")


def test_fixtures_may_reference_records_of_the_same_load(client):
    project = {"id": "a1000000-0000-4000-8000-0000000000f9", "organizationId": ALIGN_RECORD["organizationId"]}
    record = {**ALIGN_RECORD, "projectId": project["id"]}
    body = {"align": {"time_entries": [record], "projects": [project]}}
    assert client.post("/__admin/fixtures", json=body).status_code == 204


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (b"{", "not valid JSON"),
        (b"[]", "{api: {collection: [records]}}"),
        (b"", "empty"),
        (b'{"nope": {}}', "nope"),
        (b'{"align": {"unknown_table": []}}', "unknown collection 'align.unknown_table'"),
        (b'{"align": {"time_entries": {"id": "x"}}}', "must be a list of records"),
        (b'{"align": {"time_entries": ["x"]}}', "align.time_entries record 0"),
        (b"[" * 10000, "nested deeper than 100"),
        (b'{"align": {"time_entries": [{"minutes": NaN}]}}', "NaN"),
        (b'{"align": {"organizations": [{"id": "\\ud800"}]}}', "lone surrogate"),
    ],
)
def test_unreadable_fixtures_are_400_in_the_admin_envelope(client, body, named):
    response = client.post("/__admin/fixtures", content=body)
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "bad_request"
    assert named in response.json()["message"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"minutes": "lots"}, "minutes"),
        ({"minutes": None}, "minutes"),
        ({"workDate": "2025-02-30"}, "workDate"),
        ({"hours": 1}, "hours"),
        ({"status": "archived"}, "status"),
        ({"id": 7}, "id"),
        ({"userId": "a2000000-0000-4000-8000-0000000000ff"}, "userId"),
        ({"entryId": "a3000000-0000-4000-8000-0000000000ff"}, "entryId"),
    ],
)
def test_a_record_of_the_wrong_shape_is_400_naming_collection_record_and_field(client, server, change, field):
    good = {**ALIGN_RECORD, "id": "a4000000-0000-4000-8000-0000000000f2"}
    bad = {**ALIGN_RECORD, **change}
    before = server.store.count("align.time_entries")
    response = client.post("/__admin/fixtures", json={"align": {"time_entries": [good, bad]}})
    assert response.status_code == 400
    message = response.json()["message"]
    assert "align.time_entries record 1" in message and f"field '{field}'" in message, message
    assert server.store.count("align.time_entries") == before
    assert client.get(entry_path(good["id"]), headers=ORG_KEY).status_code == 404


def test_a_missing_required_field_is_named(client):
    record = {key: value for key, value in ALIGN_RECORD.items() if key != "status"}
    response = client.post("/__admin/fixtures", json={"align": {"time_entries": [record]}})
    assert response.status_code == 400
    assert "field 'status' is required" in response.json()["message"]


def test_admin_body_over_the_limit_is_413(client):
    response = client.post("/__admin/fixtures", content=b" " * (1024 * 1024 + 1))
    assert response.status_code == 413
    assert response.json()["error"] == "payload_too_large"


def test_unknown_admin_path_and_method_in_the_admin_envelope(client):
    missing = client.get("/__admin/nothing")
    assert (missing.status_code, missing.json()["error"]) == (404, "not_found")
    wrong = client.put("/__admin/clock")
    assert (wrong.status_code, wrong.json()["error"]) == (405, "method_not_allowed")
    assert set(wrong.headers["allow"].split(", ")) >= {"GET", "POST", "DELETE"}
    assert client.get("/__admin/requests").json() == {"requests": []}


def test_unmounted_paths_are_404(client):
    response = client.get("/nothing/here")
    assert response.status_code == 404
    assert "/align" in response.json()["message"]


def test_each_api_serves_its_spec_and_swagger_ui(client):
    spec = client.get("/align/api/v1/openapi.json")
    assert spec.status_code == 200
    assert spec.json()["info"]["title"].startswith("Align")
    assert client.get("/align/api/v1/ui/").status_code == 200
