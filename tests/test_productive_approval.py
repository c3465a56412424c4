"""Productive's approval state machine: approve, unapprove, reject, unreject, their 409s with the
vendor's body [productive.yaml decision 19], and the all-or-nothing bulk actions."""

import re
from datetime import timedelta

import pytest

from tests.productive_data import (
    APPROVED,
    BEN,
    ENTRIES,
    HEADERS,
    INVOICED,
    OTHER_ORG_ENTRY,
    REJECTED,
    SUBMITTED,
    UNAPPROVED,
    WRITE,
    entry_path,
)

WHOLE_SECONDS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000\+02:00$")
MILLISECONDS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+02:00$")


def conflict(code):
    return {"errors": [{"status": "409", "code": code, "title": "Conflict error", "source": {}}]}


def act(client, entry_id, action):
    return client.patch(entry_path(entry_id, action), headers=HEADERS)


def shown(client, entry_id, include="approver,rejecter,updater"):
    return client.get(f"{entry_path(entry_id)}?include={include}", headers=HEADERS).json()["data"]


def test_approve(client, clock):
    before = shown(client, UNAPPROVED)
    clock.advance(timedelta(seconds=3))
    response = act(client, UNAPPROVED, "approve")
    assert response.status_code == 200
    body = response.json()
    assert body["meta"] == {}
    attributes = body["data"]["attributes"]
    assert attributes["approved"] is True
    assert WHOLE_SECONDS.match(attributes["approved_at"])  # spec example ApproveResponse: "…06:19:42.000+02:00"
    assert MILLISECONDS.match(attributes["updated_at"])
    assert attributes["updated_at"] > before["attributes"]["updated_at"]
    assert attributes["last_activity_at"] == before["attributes"]["last_activity_at"]
    assert attributes["approved_at"][:19] == attributes["updated_at"][:19]
    after = shown(client, UNAPPROVED)
    assert after["attributes"] == attributes
    assert after["relationships"]["approver"] == {"data": {"type": "people", "id": BEN}}
    assert after["relationships"]["updater"] == {"data": {"type": "people", "id": BEN}}


def test_unapprove(client):
    response = act(client, APPROVED, "unapprove")
    assert response.status_code == 200
    attributes = response.json()["data"]["attributes"]
    assert (attributes["approved"], attributes["approved_at"]) == (False, None)
    assert shown(client, APPROVED)["relationships"]["approver"] == {"data": None}


def test_reject(client):
    response = act(client, UNAPPROVED, "reject")
    assert response.status_code == 200
    attributes = response.json()["data"]["attributes"]
    assert attributes["rejected"] is True
    assert attributes["approved"] is False
    assert MILLISECONDS.match(attributes["rejected_at"])  # spec example RejectResponse: "…06:19:50.621+02:00"
    assert attributes["rejected_reason"] is None
    assert shown(client, UNAPPROVED)["relationships"]["rejecter"] == {"data": {"type": "people", "id": BEN}}


def test_unreject_clears_the_reason_too(client):
    assert shown(client, REJECTED)["attributes"]["rejected_reason"] == "Not billable"
    response = act(client, REJECTED, "unreject")
    assert response.status_code == 200
    attributes = response.json()["data"]["attributes"]
    assert (attributes["rejected"], attributes["rejected_at"], attributes["rejected_reason"]) == (False, None, None)
    assert shown(client, REJECTED)["relationships"]["rejecter"] == {"data": None}


def test_a_full_cycle(client):
    for action in ("reject", "unreject", "approve", "unapprove", "approve"):
        assert act(client, SUBMITTED, action).status_code == 200, action
    assert shown(client, SUBMITTED)["attributes"]["approved"] is True


CONFLICTS = [
    (APPROVED, "approve", "record_already_approved"),
    (APPROVED, "reject", "record_already_approved"),  # productive.yaml example AlreadyApprovedConflict
    (REJECTED, "approve", "record_already_rejected"),
    (REJECTED, "reject", "record_already_rejected"),
    (UNAPPROVED, "unapprove", "record_already_unapproved"),
    (REJECTED, "unapprove", "record_already_unapproved"),
    (UNAPPROVED, "unreject", "record_already_unrejected"),  # productive.yaml example AlreadyUnrejectedConflict
    (APPROVED, "unreject", "record_already_unrejected"),
]


@pytest.mark.parametrize(("entry_id", "action", "code"), CONFLICTS)
def test_each_conflict_is_409_with_the_seeds_body_and_changes_nothing(client, clock, entry_id, action, code):
    before = shown(client, entry_id)
    clock.advance(timedelta(seconds=5))
    response = act(client, entry_id, action)
    assert response.status_code == 409
    assert response.json() == conflict(code)
    assert shown(client, entry_id) == before


def test_approving_twice_is_409(client):
    assert act(client, UNAPPROVED, "approve").status_code == 200
    response = act(client, UNAPPROVED, "approve")
    assert response.status_code == 409
    assert response.json() == conflict("record_already_approved")


@pytest.mark.parametrize("action", ["approve", "unapprove", "reject", "unreject"])
def test_an_unknown_entry_is_404_before_any_conflict(client, action):
    for entry_id in ("99999", OTHER_ORG_ENTRY):
        response = act(client, entry_id, action)
        assert response.status_code == 404
        assert response.json() == {"errors": [{"status": "404", "title": "Not Found", "detail": "Record not found"}]}


# -- bulk ------------------------------------------------------------------------------------------


def bulk(client, action, ids):
    return client.patch(f"{ENTRIES}/bulk_{action}", json={"ids": ids}, headers=WRITE)


def test_bulk_approve_answers_every_entry_in_request_order(client):
    """productive.yaml example `BulkApproveRequest`: PATCH /time_entries/bulk_approve {"ids": [325, 326]}."""
    response = bulk(client, "approve", [105, 102])
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["data", "meta"]
    assert body["meta"] == {}
    assert [item["id"] for item in body["data"]] == ["105", "102"]
    assert all(item["attributes"]["approved"] for item in body["data"])
    assert all(WHOLE_SECONDS.match(item["attributes"]["approved_at"]) for item in body["data"])
    assert shown(client, "102")["attributes"]["approved"] is True


def test_bulk_approve_leaves_approved_and_rejected_entries_as_they_are(client, clock):
    before = {entry_id: shown(client, entry_id) for entry_id in (APPROVED, REJECTED)}
    clock.advance(timedelta(minutes=1))
    response = bulk(client, "approve", [int(APPROVED), int(REJECTED), int(UNAPPROVED)])
    assert response.status_code == 200
    data = {item["id"]: item for item in response.json()["data"]}
    for entry_id, entry in before.items():
        assert data[entry_id]["attributes"] == entry["attributes"]
        assert shown(client, entry_id) == entry
    assert data[UNAPPROVED]["attributes"]["approved"] is True


def test_bulk_with_an_unknown_id_is_404_and_changes_nothing(client):
    before = [shown(client, entry_id) for entry_id in (UNAPPROVED, SUBMITTED)]
    for ids in ([102, 105, 99999], [102, int(OTHER_ORG_ENTRY)], [99999, 102]):
        response = bulk(client, "approve", ids)
        assert response.status_code == 404
        assert response.json() == {"errors": [{"status": "404", "title": "Not Found", "detail": "Record not found"}]}
        assert [shown(client, entry_id) for entry_id in (UNAPPROVED, SUBMITTED)] == before


def test_bulk_unapprove(client):
    """productive.yaml example `BulkUnapproveRequest`: PATCH /time_entries/bulk_unapprove {"ids": [334, 335]}."""
    before = shown(client, UNAPPROVED)
    response = bulk(client, "unapprove", [int(APPROVED), int(INVOICED), int(UNAPPROVED)])
    assert response.status_code == 200
    data = response.json()["data"]
    assert [item["id"] for item in data] == [APPROVED, INVOICED, UNAPPROVED]
    assert [(item["attributes"]["approved"], item["attributes"]["approved_at"]) for item in data] == [(False, None)] * 3
    assert shown(client, UNAPPROVED) == before  # already unapproved: left as it is


def test_bulk_unapprove_with_an_unknown_id_changes_nothing(client):
    assert bulk(client, "unapprove", [int(APPROVED), 424242]).status_code == 404
    assert shown(client, APPROVED)["attributes"]["approved"] is True


def test_bulk_ids_may_be_numeric_strings_and_repeat(client):
    response = bulk(client, "approve", ["102", 102, "0102", 105])
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["data"]] == ["102", "105"]


@pytest.mark.parametrize("body", [{"ids": []}, {"ids": ["abc"]}, {"ids": [0]}, {"ids": 102}, {}])
def test_bulk_ids_that_break_the_spec_are_400(client, body):
    response = client.patch(f"{ENTRIES}/bulk_approve", json=body, headers=WRITE)
    assert response.status_code == 400
    assert all(error["status"] == "400" for error in response.json()["errors"])
    assert shown(client, UNAPPROVED)["attributes"]["approved"] is False


@pytest.mark.parametrize("method", ["get", "delete", "post"])
def test_other_methods_on_the_bulk_paths_are_405(client, method):
    response = client.request(method, f"{ENTRIES}/bulk_approve", headers=HEADERS)
    assert response.status_code == 405
    assert response.headers["allow"] == "PATCH"
    assert response.json()["errors"][0]["status"] == "405"
