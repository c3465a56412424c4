"""Contracting: create, get and full replace of a time entry, and how bodies are validated
(spec decisions 8-13)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockserver.platform.clock import Clock
from tests.contracting_data import (
    ACME_ENTRY,
    ENTRIES,
    HEADERS,
    NOV,
    OCT,
    UNKNOWN_ENTRY,
    WEB,
    bad_request,
    not_found,
)

MINIMAL = {"projectId": WEB, "date": "2023-10-05", "durationSeconds": 3600}
FULL = {
    **MINIMAL,
    "billableId": OCT,
    "durationSeconds": 5400,
    "description": "Implemented authentication flow.",
    "referenceSource": "JIRA",
    "referenceId": "PROJ-123",
}
ID = re.compile(r"tsh_[a-z0-9]{24}")
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")






def create(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(ENTRIES, headers=HEADERS, json=body)
    assert response.status_code == 201, response.text
    return response.json()["data"]


def fetch(client: TestClient, entry_id: str) -> dict[str, Any]:
    response = client.get(f"{ENTRIES}/{entry_id}", headers=HEADERS)
    assert response.status_code == 200, response.text
    return response.json()["data"]


def utc(timestamp: str) -> datetime:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00"))


# -- create --------------------------------------------------------------------------------------


def test_create_answers_201_wrapped_with_nulls_for_omitted_fields(client: TestClient, clock: Clock) -> None:
    before = clock.now().replace(microsecond=0)
    response = client.post(ENTRIES, headers=HEADERS, json=MINIMAL)
    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json"
    assert set(response.json()) == {"data"}
    entry = response.json()["data"]
    assert ID.fullmatch(entry["id"])
    assert TIMESTAMP.fullmatch(entry["createdAt"])
    assert entry["updatedAt"] == entry["createdAt"]
    assert before <= utc(entry["createdAt"]) <= datetime.now(UTC) + timedelta(seconds=1)
    assert entry == {
        "id": entry["id"],
        "project": WEB,
        "billable": None,
        "date": "2023-10-05",
        "durationSeconds": 3600,
        "createdAt": entry["createdAt"],
        "updatedAt": entry["createdAt"],
        "description": None,
        "referenceSource": None,
        "referenceId": None,
    }


def test_create_stores_every_field_and_get_reads_it_back(client: TestClient) -> None:
    entry = create(client, FULL)
    assert (entry["project"], entry["billable"], entry["durationSeconds"]) == (WEB, OCT, 5400)
    assert (entry["description"], entry["referenceSource"], entry["referenceId"]) == (
        "Implemented authentication flow.",
        "JIRA",
        "PROJ-123",
    )
    assert fetch(client, entry["id"]) == entry


def test_created_times_are_the_clocks_time_in_utc(client: TestClient, clock: Clock) -> None:
    clock.advance(timedelta(days=365))
    entry = create(client, MINIMAL)
    assert abs(utc(entry["createdAt"]) - clock.now()) < timedelta(seconds=5)


def test_every_create_makes_a_new_entry_with_a_fresh_id(client: TestClient) -> None:
    first, second = create(client, MINIMAL), create(client, MINIMAL)
    assert first["id"] != second["id"]
    assert ID.fullmatch(first["id"]) and ID.fullmatch(second["id"])


def test_explicit_nulls_and_empty_strings_are_stored_as_given(client: TestClient) -> None:
    entry = create(
        client, {**MINIMAL, "billableId": None, "description": "", "referenceSource": "", "referenceId": None}
    )
    assert (entry["billable"], entry["description"], entry["referenceSource"], entry["referenceId"]) == (
        None,
        "",
        "",
        None,
    )


def test_a_zero_duration_and_a_leap_day_are_fine(client: TestClient) -> None:
    entry = create(client, {**MINIMAL, "date": "2024-02-29", "durationSeconds": 0})
    assert (entry["date"], entry["durationSeconds"]) == ("2024-02-29", 0)


def test_an_unknown_project_or_billable_is_404(client: TestClient) -> None:
    project = "prj_unknown00000000000000001"
    not_found(
        client.post(ENTRIES, headers=HEADERS, json={**MINIMAL, "projectId": project}), f"Project {project} not found"
    )
    billable = "bil_unknown00000000000000001"
    not_found(
        client.post(ENTRIES, headers=HEADERS, json={**MINIMAL, "billableId": billable}),
        f"Billable {billable} not found",
    )


@pytest.mark.parametrize("field", ["projectId", "date", "durationSeconds"])
def test_each_required_field_is_required(client: TestClient, field: str) -> None:
    body = {name: value for name, value in MINIMAL.items() if name != field}
    bad_request(client.post(ENTRIES, headers=HEADERS, json=body), f"body must have required property '{field}'")


def test_an_unknown_body_field_is_400(client: TestClient) -> None:
    response = client.post(ENTRIES, headers=HEADERS, json={**MINIMAL, "userId": "usr_1"})
    bad_request(response, "body must NOT have additional properties")


@pytest.mark.parametrize("duration", [-1, "3600", 1.5, None, True])
def test_duration_must_be_a_non_negative_json_integer(client: TestClient, duration: Any) -> None:
    response = client.post(ENTRIES, headers=HEADERS, json={**MINIMAL, "durationSeconds": duration})
    assert response.status_code == 400
    assert response.json()["message"].startswith("body/durationSeconds: ")


@pytest.mark.parametrize("day", ["2023-02-29", "1900-02-29", "2023-10-5", "0000-01-01"])
def test_a_body_date_that_is_not_on_the_calendar_is_400(client: TestClient, day: str) -> None:
    bad_request(client.post(ENTRIES, headers=HEADERS, json={**MINIMAL, "date": day}), "body/date is not a valid date")


@pytest.mark.parametrize(("field", "limit"), [("description", 10000), ("referenceSource", 255), ("referenceId", 255)])
def test_text_fields_have_their_limits(client: TestClient, field: str, limit: int) -> None:
    assert client.post(ENTRIES, headers=HEADERS, json={**MINIMAL, field: "x" * limit}).status_code == 201
    response = client.post(ENTRIES, headers=HEADERS, json={**MINIMAL, field: "x" * (limit + 1)})
    assert response.status_code == 400
    assert response.json()["message"].startswith(f"body/{field}: ")


@pytest.mark.parametrize("project", ["prj_ACMEWEB00000000000000001", "acmeweb"])
def test_a_malformed_project_id_is_400(client: TestClient, project: str) -> None:
    response = client.post(ENTRIES, headers=HEADERS, json={**MINIMAL, "projectId": project})
    assert response.status_code == 400
    assert response.json()["message"].startswith("body/projectId: ")


def test_malformed_json_is_400(client: TestClient) -> None:
    response = client.post(ENTRIES, headers={**HEADERS, "Content-Type": "application/json"}, content=b'{"projectId": ')
    assert response.status_code == 400
    assert response.json()["code"] == "FST_ERR_VALIDATION"
    assert response.json()["message"].startswith("body is not valid JSON (")


def test_a_body_that_is_not_utf8_is_400(client: TestClient) -> None:
    response = client.post(
        ENTRIES, headers={**HEADERS, "Content-Type": "application/json"}, content=b'{"description": "\xff\xfe"}'
    )
    bad_request(response, "body is not valid UTF-8 text")


@pytest.mark.parametrize("body", [b"", b"[]", b"null", b'"text"'])
def test_a_body_that_is_not_an_object_is_400(client: TestClient, body: bytes) -> None:
    response = client.post(ENTRIES, headers={**HEADERS, "Content-Type": "application/json"}, content=body)
    assert response.status_code == 400
    assert response.json()["code"] == "FST_ERR_VALIDATION"


# -- get -----------------------------------------------------------------------------------------


def test_get_answers_the_entry_wrapped_in_data(client: TestClient) -> None:
    response = client.get(f"{ENTRIES}/{ACME_ENTRY}", headers=HEADERS)
    assert response.status_code == 200
    assert response.json()["data"]["id"] == ACME_ENTRY


def test_get_of_an_unknown_well_formed_id_is_404(client: TestClient) -> None:
    not_found(client.get(f"{ENTRIES}/{UNKNOWN_ENTRY}", headers=HEADERS), f"Time entry {UNKNOWN_ENTRY} not found")


@pytest.mark.parametrize("entry_id", ["not-an-id", "tsh_ACME00000000000000000001", "tsh_acme0000000000000000001"])
def test_get_of_a_malformed_id_is_400(client: TestClient, entry_id: str) -> None:
    response = client.get(f"{ENTRIES}/{entry_id}", headers=HEADERS)
    assert response.status_code == 400
    assert response.json()["message"].startswith("params/id: ")


# -- replace -------------------------------------------------------------------------------------


def test_replace_nulls_every_omitted_optional_field(client: TestClient, clock: Clock) -> None:
    original = fetch(client, ACME_ENTRY)
    clock.advance(timedelta(hours=1))
    response = client.put(f"{ENTRIES}/{ACME_ENTRY}", headers=HEADERS, json={"date": "2024-02-29", "durationSeconds": 0})
    assert response.status_code == 200
    replaced = response.json()["data"]
    assert replaced == {
        "id": ACME_ENTRY,
        "project": WEB,
        "billable": None,
        "date": "2024-02-29",
        "durationSeconds": 0,
        "createdAt": original["createdAt"],
        "updatedAt": replaced["updatedAt"],
        "description": None,
        "referenceSource": None,
        "referenceId": None,
    }
    assert TIMESTAMP.fullmatch(replaced["updatedAt"])
    assert abs(utc(replaced["updatedAt"]) - clock.now()) < timedelta(seconds=5)
    assert fetch(client, ACME_ENTRY) == replaced


def test_replace_sets_every_field_given(client: TestClient) -> None:
    body = {
        "billableId": NOV,
        "date": "2023-12-31",
        "durationSeconds": 7200,
        "description": "Implemented authentication flow and tests.",
        "referenceSource": "JIRA",
        "referenceId": "PROJ-124",
    }
    replaced = client.put(f"{ENTRIES}/{ACME_ENTRY}", headers=HEADERS, json=body).json()["data"]
    assert {
        "billableId": replaced["billable"],
        **{
            name: replaced[name]
            for name in ("date", "durationSeconds", "description", "referenceSource", "referenceId")
        },
    } == body
    assert replaced["project"] == WEB


def test_replace_with_a_project_id_is_400_and_changes_nothing(client: TestClient) -> None:
    original = fetch(client, ACME_ENTRY)
    response = client.put(
        f"{ENTRIES}/{ACME_ENTRY}",
        headers=HEADERS,
        json={"projectId": "prj_acmeapi00000000000000001", "date": "2024-02-29", "durationSeconds": 1},
    )
    bad_request(response, "body must NOT have additional properties")
    assert fetch(client, ACME_ENTRY) == original


@pytest.mark.parametrize("field", ["date", "durationSeconds"])
def test_replace_requires_date_and_duration(client: TestClient, field: str) -> None:
    body = {name: value for name, value in {"date": "2024-02-29", "durationSeconds": 1}.items() if name != field}
    bad_request(
        client.put(f"{ENTRIES}/{ACME_ENTRY}", headers=HEADERS, json=body), f"body must have required property '{field}'"
    )


def test_replace_never_creates(client: TestClient) -> None:
    count = len(client.get(ENTRIES, headers=HEADERS).json()["data"])
    response = client.put(
        f"{ENTRIES}/{UNKNOWN_ENTRY}", headers=HEADERS, json={"date": "2024-02-29", "durationSeconds": 1}
    )
    not_found(response, f"Time entry {UNKNOWN_ENTRY} not found")
    assert len(client.get(ENTRIES, headers=HEADERS).json()["data"]) == count


def test_replace_with_an_unknown_billable_is_404(client: TestClient) -> None:
    billable = "bil_unknown00000000000000001"
    body = {"billableId": billable, "date": "2024-02-29", "durationSeconds": 1}
    response = client.put(f"{ENTRIES}/{ACME_ENTRY}", headers=HEADERS, json=body)
    not_found(response, f"Billable {billable} not found")


def test_an_entry_created_then_replaced_keeps_its_id_and_creation_time(client: TestClient, clock: Clock) -> None:
    created = create(client, FULL)
    clock.advance(timedelta(minutes=5))
    replaced = client.put(
        f"{ENTRIES}/{created['id']}", headers=HEADERS, json={"date": "2023-10-06", "durationSeconds": 60}
    ).json()["data"]
    assert (replaced["id"], replaced["createdAt"], replaced["project"]) == (created["id"], created["createdAt"], WEB)
    assert utc(replaced["updatedAt"]) > utc(created["updatedAt"])
