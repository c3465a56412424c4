"""Align sync (`syncIntegrationTimeEntry`) and get with links (`getIntegrationTimeEntry`)."""

import asyncio

import httpx

from tests.align_data import (
    ACME,
    GLOBEX_ENTRY,
    GLOBEX_PROJECT,
    GLOBEX_USER,
    INVOICED_ENTRY,
    MOBILE,
    ORG_KEY,
    SYNC,
    TICKET_MOBILE,
    TICKET_WEB,
    USER_1,
    WEB,
    entry_path,
    sync_body,
)


def test_first_sync_creates_the_entry(client):
    response = client.post(SYNC, json=sync_body(), headers=ORG_KEY)
    assert response.status_code == 201
    entry = response.json()
    assert entry["created"] is True
    assert entry["organizationId"] == ACME
    assert entry["projectId"] == WEB
    assert entry["userId"] == USER_1
    assert entry["workDate"] == "2025-01-15"
    assert (entry["minutes"], entry["hours"]) == (150, "2.5")
    assert entry["notes"] == "Sprint planning session."
    assert "description" not in entry
    assert entry["billable"] is True
    assert entry["source"] == "illumera"
    assert entry["status"] == "draft"
    assert entry["invoiced"] is False
    assert entry["entryId"] is None
    assert entry["createdAt"].endswith("Z") and entry["createdAt"] == entry["updatedAt"]


def test_repeat_sync_returns_the_stored_entry_unchanged(client):
    first = client.post(SYNC, json=sync_body(), headers=ORG_KEY).json()
    again = client.post(SYNC, json=sync_body(minutes=30, description="changed"), headers=ORG_KEY)
    assert again.status_code == 200
    replay = again.json()
    assert replay["created"] is False
    assert replay["id"] == first["id"]
    assert replay["integrationLinkId"] == first["integrationLinkId"]
    assert {k: v for k, v in replay.items() if k != "created"} == {k: v for k, v in first.items() if k != "created"}
    stored = client.get(entry_path(first["id"]), headers=ORG_KEY).json()
    assert (stored["minutes"], stored["notes"]) == (150, "Sprint planning session.")


def test_the_natural_key_is_the_pair(client):
    first = client.post(SYNC, json=sync_body(), headers=ORG_KEY).json()
    other_system = client.post(SYNC, json=sync_body(externalSystem="harvest"), headers=ORG_KEY)
    other_id = client.post(SYNC, json=sync_body(externalId="illumera-te-002"), headers=ORG_KEY)
    assert other_system.status_code == other_id.status_code == 201
    assert len({first["id"], other_system.json()["id"], other_id.json()["id"]}) == 3


def test_sync_binds_an_integration_link(client):
    synced = client.post(SYNC, json=sync_body(), headers=ORG_KEY).json()
    entry = client.get(entry_path(synced["id"]), headers=ORG_KEY).json()
    assert entry["integrationLinks"] == [
        {
            "id": synced["integrationLinkId"],
            "organizationId": ACME,
            "provider": "illumera",
            "externalType": "time_entry",
            "externalId": "illumera-te-001",
            "alignEntityType": "time_entry",
            "alignEntityId": synced["id"],
            "createdAt": synced["createdAt"],
        }
    ]


def test_external_metadata_is_stored_as_sent(client):
    metadata = {"taskName": "Sprint planning", "nested": {"code": [1, 2]}, "flag": None}
    synced = client.post(SYNC, json=sync_body(externalMetadata=metadata), headers=ORG_KEY).json()
    assert synced["externalMetadata"] == metadata
    assert client.get(entry_path(synced["id"]), headers=ORG_KEY).json()["externalMetadata"] == metadata


def test_external_metadata_is_null_when_not_sent(client):
    synced = client.post(SYNC, json=sync_body(), headers=ORG_KEY).json()
    assert client.get(entry_path(synced["id"]), headers=ORG_KEY).json()["externalMetadata"] is None


def test_billable_can_be_false(client):
    assert client.post(SYNC, json=sync_body(billable=False), headers=ORG_KEY).json()["billable"] is False


def test_work_date_keeps_the_calendar_date_of_its_own_offset(client):
    body = sync_body(workDate="2025-01-15T23:30:00-05:00")
    assert client.post(SYNC, json=body, headers=ORG_KEY).json()["workDate"] == "2025-01-15"


def test_minutes_give_quarter_hours(client):
    for minutes, hours in ((60, "1.0"), (1, "0.25"), (100, "1.75"), (1440, "24.0"), (10, "0.25"), (23, "0.5")):
        body = sync_body(minutes=minutes, externalId=f"m-{minutes}")
        entry = client.post(SYNC, json=body, headers=ORG_KEY).json()
        assert (entry["minutes"], entry["hours"]) == (minutes, hours)


def test_entry_id_of_the_project_is_kept(client):
    entry = client.post(SYNC, json=sync_body(entryId=TICKET_WEB), headers=ORG_KEY).json()
    assert entry["entryId"] == TICKET_WEB


def test_entry_id_of_another_project_is_400(client):
    response = client.post(SYNC, json=sync_body(entryId=TICKET_MOBILE), headers=ORG_KEY)
    assert response.status_code == 400
    assert response.json()["reason"] == "validation_error"
    assert response.json()["details"][0]["field"] == "entryId"


def test_unknown_project_is_404(client):
    response = client.post(SYNC, json=sync_body(projectId="a1000000-0000-4000-8000-0000000000ff"), headers=ORG_KEY)
    assert response.status_code == 404
    assert response.json()["reason"] == "not_found"


def test_project_of_another_org_is_404(client):
    assert client.post(SYNC, json=sync_body(projectId=GLOBEX_PROJECT), headers=ORG_KEY).status_code == 404


def test_unknown_or_foreign_user_is_404(client):
    assert client.post(SYNC, json=sync_body(userId=GLOBEX_USER), headers=ORG_KEY).status_code == 404
    unknown = "a2000000-0000-4000-8000-0000000000ff"
    assert client.post(SYNC, json=sync_body(userId=unknown), headers=ORG_KEY).status_code == 404


def test_get_returns_every_link_bound_to_the_entry(client, server):
    server.load_fixtures(
        {
            "align": {
                "integration_links": [
                    {
                        "id": "a6000000-0000-4000-8000-0000000000aa",
                        "organizationId": ACME,
                        "provider": "harvest",
                        "externalType": "time_entry",
                        "externalId": "H-1",
                        "alignEntityType": "time_entry",
                        "alignEntityId": INVOICED_ENTRY,
                        "createdAt": "2025-01-11T00:00:00.000Z",
                    }
                ]
            }
        }
    )
    entry = client.get(entry_path(INVOICED_ENTRY), headers=ORG_KEY).json()
    assert [(link["provider"], link["externalId"]) for link in entry["integrationLinks"]] == [
        ("jira", "WL-INVOICED-1"),
        ("harvest", "H-1"),
    ]
    assert entry["status"] == "invoiced" and entry["invoiced"] is True


def test_another_orgs_entry_is_404(client):
    response = client.get(entry_path(GLOBEX_ENTRY), headers=ORG_KEY)
    assert response.status_code == 404
    assert response.json() == {
        "error": "not_found",
        "reason": "not_found",
        "message": f"Time entry {GLOBEX_ENTRY} was not found.",
    }


def test_malformed_id_is_400_in_the_envelope(client):
    response = client.get(entry_path("not-a-uuid"), headers=ORG_KEY)
    assert response.status_code == 400
    assert response.json()["reason"] == "validation_error"


def test_ids_are_case_insensitive(client):
    assert client.get(entry_path(INVOICED_ENTRY.upper()), headers=ORG_KEY).json()["id"] == INVOICED_ENTRY


def test_org_key_syncs_on_any_project_of_its_org(client):
    body = sync_body(projectId=MOBILE, entryId=TICKET_MOBILE)
    assert client.post(SYNC, json=body, headers=ORG_KEY).status_code == 201


def test_fifty_simultaneous_identical_syncs_create_one_entry(live_server, server):
    async def burst():
        async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
            requests = [http.post(SYNC, json=sync_body(externalId="burst-1"), headers=ORG_KEY) for _ in range(50)]
            return await asyncio.gather(*requests)

    before = server.store.count("align.time_entries")
    responses = asyncio.run(burst())
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] * 49 + [201]
    assert len({response.json()["id"] for response in responses}) == 1
    assert len({response.json()["integrationLinkId"] for response in responses}) == 1
    assert server.store.count("align.time_entries") == before + 1
