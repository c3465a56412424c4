"""Align: log a time entry on a project (`logProjectTimeEntry`), hours rules and externalRef upserts."""

import pytest

from tests.align_data import (
    APPROVED_ENTRY,
    INVOICED_ENTRY,
    LOCKED_ENTRY,
    MOBILE,
    ORG_KEY,
    RELEASE_MOBILE,
    RELEASE_WEB,
    SYNC,
    TICKET_MOBILE,
    TICKET_WEB,
    USER_2,
    WEB,
    entry_path,
    log_body,
    log_path,
    sync_body,
)

JIRA_REF = {"provider": "jira", "externalType": "worklog", "externalId": "WL-1001"}


def log(client, project=WEB, **changes):
    return client.post(log_path(project), json=log_body(**changes), headers=ORG_KEY)


def test_log_creates_a_draft_entry_from_the_api(client):
    response = log(client, releaseId=RELEASE_WEB, entryId=TICKET_WEB)
    assert response.status_code == 201
    entry = response.json()
    assert entry["status"] == "draft"
    assert entry["source"] == "api"
    assert entry["projectId"] == WEB
    assert entry["description"] == "Implemented login flow."
    assert "notes" not in entry and "integrationLinkId" not in entry
    assert (entry["entryId"], entry["releaseId"]) == (TICKET_WEB, RELEASE_WEB)
    assert client.get(entry_path(entry["id"]), headers=ORG_KEY).json()["notes"] == "Implemented login flow."


def test_description_may_be_null(client):
    assert log(client, description=None).json()["description"] is None


@pytest.mark.parametrize(
    ("minutes", "hours", "stored"),
    [
        (150, None, (150, "2.5")),
        (120, None, (120, "2.0")),
        (105, None, (105, "1.75")),
        (7, None, (7, "0.25")),
        (None, "1.1", (60, "1.0")),
        (None, "8", (480, "8.0")),
        (None, "2.5", (150, "2.5")),
        (None, "0.01", (15, "0.25")),
        (None, "1.13", (75, "1.25")),
        (None, "24.1", (1440, "24.0")),
        (90, "8", (90, "1.5")),  # both: minutes win
    ],
)
def test_hours_and_minutes(client, minutes, hours, stored):
    entry = client.post(log_path(), json=log_body(minutes=minutes, hours=hours), headers=ORG_KEY).json()
    assert (entry["minutes"], entry["hours"]) == stored


@pytest.mark.parametrize("hours", ["24.2", "25", "0", "0.00", "-1", "1.234", "abc", "", " 2"])
def test_invalid_hours_are_400(client, hours):
    response = client.post(log_path(), json=log_body(minutes=None, hours=hours), headers=ORG_KEY)
    assert response.status_code == 400
    assert response.json()["reason"] == "validation_error"


def test_neither_minutes_nor_hours_is_400(client):
    response = client.post(log_path(), json=log_body(minutes=None), headers=ORG_KEY)
    assert response.status_code == 400
    assert response.json()["reason"] == "validation_error"


def test_unknown_project_or_user_is_404(client):
    assert log(client, project="a1000000-0000-4000-8000-0000000000ff").status_code == 404
    assert log(client, userId="a2000000-0000-4000-8000-0000000000ff").status_code == 404


@pytest.mark.parametrize(("field", "value"), [("entryId", TICKET_MOBILE), ("releaseId", RELEASE_MOBILE)])
def test_ticket_or_release_of_another_project_is_400(client, field, value):
    response = log(client, **{field: value})
    assert response.status_code == 400
    assert response.json()["details"][0]["field"] == field


def test_new_external_ref_creates_entry_and_link(client):
    entry = log(client, externalRef=JIRA_REF).json()
    links = client.get(entry_path(entry["id"]), headers=ORG_KEY).json()["integrationLinks"]
    fields = ("provider", "externalType", "externalId", "alignEntityType")
    assert [tuple(link[field] for field in fields) for link in links] == [("jira", "worklog", "WL-1001", "time_entry")]


def test_known_external_ref_updates_the_entry(client):
    first = log(client, externalRef=JIRA_REF).json()
    response = log(client, externalRef=JIRA_REF, minutes=45, userId=USER_2, description="more", workDate="2025-02-01")
    assert response.status_code == 200
    updated = response.json()
    assert updated["id"] == first["id"]
    assert (updated["minutes"], updated["hours"], updated["userId"]) == (45, "0.75", USER_2)
    assert (updated["description"], updated["workDate"]) == ("more", "2025-02-01")
    assert updated["createdAt"] == first["createdAt"]
    links = client.get(entry_path(first["id"]), headers=ORG_KEY).json()["integrationLinks"]
    assert len(links) == 1


def test_upsert_finds_a_link_made_by_a_sync_and_keeps_its_source(client):
    synced = client.post(SYNC, json=sync_body(externalId="te-9"), headers=ORG_KEY).json()
    ref = {"provider": "illumera", "externalType": "time_entry", "externalId": "te-9"}
    response = log(client, externalRef=ref, minutes=30)
    assert response.status_code == 200
    assert response.json()["id"] == synced["id"]
    assert response.json()["source"] == "illumera"


def test_a_later_sync_finds_a_link_made_by_log(client):
    ref = {"provider": "illumera", "externalType": "time_entry", "externalId": "te-10"}
    logged = log(client, externalRef=ref).json()
    response = client.post(SYNC, json=sync_body(externalId="te-10", minutes=5), headers=ORG_KEY)
    assert response.status_code == 200
    assert response.json()["id"] == logged["id"]
    assert response.json()["created"] is False
    assert response.json()["minutes"] == 150


def test_ref_bound_to_an_entry_of_another_project_is_400(client):
    log(client, externalRef=JIRA_REF)
    response = log(client, project=MOBILE, externalRef=JIRA_REF)
    assert response.status_code == 400
    assert response.json()["details"][0]["field"] == "externalRef"


@pytest.mark.parametrize(
    ("entry_id", "external_id"),
    [(INVOICED_ENTRY, "WL-INVOICED-1"), (LOCKED_ENTRY, "WL-LOCKED-1"), (APPROVED_ENTRY, "WL-APPROVED-1")],
)
def test_closed_entries_are_409_entry_locked_and_unchanged(client, entry_id, external_id):
    before = client.get(entry_path(entry_id), headers=ORG_KEY).json()
    ref = {"provider": "jira", "externalType": "worklog", "externalId": external_id}
    response = log(client, externalRef=ref, minutes=5)
    assert response.status_code == 409
    assert response.json()["error"] == "conflict"
    assert response.json()["reason"] == "entry_locked"
    assert client.get(entry_path(entry_id), headers=ORG_KEY).json() == before
