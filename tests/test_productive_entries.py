"""Productive: create, get, update and delete a time entry, with the bodies and errors of the
spec's examples."""

import pytest

from tests.productive_data import (
    ANA,
    API_CLIENT,
    BEN,
    CONTENT_TYPE,
    DEVELOPMENT,
    ENTRIES,
    HEADERS,
    MOCKUPS,
    SEED_ENTRY,
    UNAPPROVED,
    WRITE,
    create_body,
    entry_path,
    update_body,
)

NOT_INCLUDED = {"meta": {"included": False}}
RELATIONSHIP_NAMES = [
    "person",
    "service",
    "task",
    "approver",
    "updater",
    "rejecter",
    "creator",
    "last_actor",
    "person_subsidiary",
    "deal_subsidiary",
    "timesheet",
    "approval_statuses",
]
ZERO_OVERHEAD = {
    f"{family}{suffix}": 0
    for family in ("overhead_cost", "internal_overhead_cost", "facility_overhead_cost")
    for suffix in ("", "_default", "_normalized")
}
BLANK_DATE = {
    "errors": [
        {
            "status": "422",
            "code": "invalid_attribute",
            "title": "Invalid Attribute",
            "detail": "can't be blank",
            "source": {"pointer": "data/attributes/date"},
        },
        {
            "status": "422",
            "code": "invalid_attribute",
            "title": "Invalid Attribute",
            "detail": "is not a date",
            "source": {"pointer": "data/attributes/date"},
        },
    ]
}
NOT_A_DATE = {"errors": [BLANK_DATE["errors"][1]]}


def relationships(organization="1001"):
    return {"organization": {"data": {"type": "organizations", "id": organization}}} | {
        name: NOT_INCLUDED for name in RELATIONSHIP_NAMES
    }


def test_create_answers_the_seeds_example(client, clock):
    """productive.yaml examples `CreateRequest`/`CreateResponse`: POST /time_entries with a task, the answer alike,
    timestamps and id aside."""
    response = client.post(ENTRIES, json=create_body(), headers=WRITE)
    assert response.status_code == 201, response.text
    assert response.headers["content-type"] == CONTENT_TYPE
    body = response.json()
    data = body["data"]
    attributes = data["attributes"]
    now = attributes["created_at"]
    assert attributes == {
        "date": "2016-10-01",
        "created_at": now,
        "time": 480,
        "billable_time": 480,
        "note": "test note",
        "track_method_id": 1,
        "started_at": None,
        "timer_started_at": None,
        "timer_stopped_at": None,
        "approved": False,
        "approved_at": None,
        "updated_at": now,
        "calendar_event_id": None,
        "invoice_attribution_id": None,
        "invoiced": False,
        "overhead": True,
        "rejected": False,
        "rejected_reason": None,
        "rejected_at": None,
        "last_activity_at": now,
        "submitted": False,
        "currency": "EUR",
        "currency_default": "USD",
        "currency_normalized": "EUR",
        "cost": 16000,
        "cost_default": 20000,
        "cost_normalized": 16000,
        "work_cost": 16000,
        "work_cost_default": 20000,
        "work_cost_normalized": 16000,
        **ZERO_OVERHEAD,
    }
    assert list(attributes) == list(client.get(entry_path(SEED_ENTRY), headers=HEADERS).json()["data"]["attributes"])
    assert data["type"] == "time_entries"
    assert data["relationships"] == relationships()
    assert body["meta"] == {}
    assert list(body) == ["data", "meta"]


def test_timestamps_carry_the_organizations_offset_and_milliseconds(client, clock):
    attributes = client.post(ENTRIES, json=create_body(), headers=WRITE).json()["data"]["attributes"]
    now = clock.now()
    assert attributes["created_at"].endswith("+02:00")
    assert len(attributes["created_at"]) == len("2025-08-01T06:18:43.688+02:00")
    from datetime import datetime

    assert abs((datetime.fromisoformat(attributes["created_at"]) - now).total_seconds()) < 5


def test_a_created_entry_is_read_back(client):
    created = client.post(ENTRIES, json=create_body(), headers=WRITE).json()
    response = client.get(entry_path(created["data"]["id"]), headers=HEADERS)
    assert response.status_code == 200
    assert response.json() == created


def test_ids_are_new_numeric_strings(client):
    first = client.post(ENTRIES, json=create_body(), headers=WRITE).json()["data"]["id"]
    second = client.post(ENTRIES, json=create_body(), headers=WRITE).json()["data"]["id"]
    assert int(second) == int(first) + 1
    assert int(first) > 202  # above every fixture id, of either organization


def test_time_omitted_is_zero(client):
    """productive.yaml example `CreateWithoutTimeRequest`: POST without time."""
    body = create_body(task=None)
    del body["data"]["attributes"]["time"]
    response = client.post(ENTRIES, json=body, headers=WRITE)
    assert response.status_code == 201
    attributes = response.json()["data"]["attributes"]
    assert (attributes["time"], attributes["billable_time"], attributes["cost"], attributes["cost_default"]) == (
        0,
        0,
        0,
        0,
    )


def test_only_date_person_and_service_are_needed(client):
    body = {
        "data": {
            "type": "time_entries",
            "attributes": {"date": "2024-05-01"},
            "relationships": create_body()["data"]["relationships"] | {"task": {"data": None}},
        }
    }
    response = client.post(ENTRIES, json=body, headers=WRITE)
    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert data["attributes"]["note"] is None
    assert data["attributes"]["track_method_id"] == 1
    assert client.get(entry_path(data["id"]) + "?include=task", headers=HEADERS).json()["data"]["relationships"][
        "task"
    ] == {"data": None}


def test_written_attributes_are_kept(client):
    body = create_body(
        billable_time=400,
        track_method_id=2,
        started_at="2022-12-20T10:15:20.099Z",
        calendar_event_id=7,
        rejected_reason="late",
        jira_issue_id="PROJ-9",
    )
    attributes = client.post(ENTRIES, json=body, headers=WRITE).json()["data"]["attributes"]
    assert attributes["billable_time"] == 400
    assert attributes["track_method_id"] == 2
    assert attributes["started_at"] == "2022-12-20T12:15:20.099+02:00"  # in the organization's offset
    assert attributes["calendar_event_id"] == 7
    assert attributes["rejected_reason"] == "late"


def test_read_only_and_unknown_attributes_are_ignored(client):
    body = create_body(approved=True, cost=1, invoiced=True, colour="blue")
    attributes = client.post(ENTRIES, json=body, headers=WRITE).json()["data"]["attributes"]
    assert (attributes["approved"], attributes["cost"], attributes["invoiced"]) == (False, 16000, False)
    assert "colour" not in attributes


def test_the_creator_is_the_tokens_person(client):
    created = client.post(ENTRIES, json=create_body(), headers=WRITE).json()["data"]["id"]
    shown = client.get(entry_path(created) + "?include=creator,updater,last_actor", headers=HEADERS).json()
    for name in ("creator", "updater", "last_actor"):
        assert shown["data"]["relationships"][name] == {"data": {"type": "people", "id": BEN}}


# -- validation ------------------------------------------------------------------------------------


def test_a_blank_date_gives_the_seeds_two_errors(client, server):
    """The page's POST /time_entries with "date": "" (its own unknown person and service), quoted in the description
    of productive.yaml's example `BlankDateResponse`."""
    body = create_body(person="8184", service="1196", task=None, date="")
    response = client.post(ENTRIES, json=body, headers=WRITE)
    assert response.status_code == 422
    assert response.headers["content-type"] == CONTENT_TYPE
    assert response.json() == BLANK_DATE
    assert server.store.count("productive.time_entries") == 14


@pytest.mark.parametrize(
    "day",
    ["2023-02-29", "2024-02-30", "2024-04-31", "2024-13-45", "15/01/2024", "not-a-date", "2024-1-01", "2024-01-015"],
)
def test_a_date_that_is_no_calendar_day_is_not_a_date(client, server, day):
    """Rails validates the attribute: any text that is no date is this 422, never a 400 showing a pattern."""
    response = client.post(ENTRIES, json=create_body(date=day), headers=WRITE)
    assert response.status_code == 422
    assert response.json() == NOT_A_DATE
    patched = client.patch(entry_path(SEED_ENTRY), json=update_body(date=day), headers=WRITE)
    assert (patched.status_code, patched.json()) == (422, NOT_A_DATE)
    assert server.store.get("productive.time_entries", SEED_ENTRY)["date"] == "2016-10-01"


@pytest.mark.parametrize("day", [20240101, None, ["2024-01-01"]])
def test_a_date_not_shaped_as_a_date_breaks_the_schema(client, day):
    response = client.post(ENTRIES, json=create_body(date=day), headers=WRITE)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(error["status"], error["title"]) for error in errors] == [("400", "Bad Request")]
    assert errors[0]["detail"].startswith("data/attributes/date ")


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        (lambda body: body["data"]["attributes"].pop("date"), "data/attributes/date is required"),
        (lambda body: body["data"]["relationships"].pop("person"), "data/relationships/person is required"),
        (lambda body: body["data"]["relationships"].pop("service"), "data/relationships/service is required"),
        (lambda body: body["data"].update(type="people"), "data/type "),
        (lambda body: body["data"]["attributes"].update(time=-1), "data/attributes/time "),
        (lambda body: body["data"]["attributes"].update(time="60"), "data/attributes/time "),
    ],
)
def test_a_body_that_breaks_the_spec_is_400(client, server, change, pointer):
    body = create_body()
    change(body)
    response = client.post(ENTRIES, json=body, headers=WRITE)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["status"] == "400" and error["title"] == "Bad Request"
    assert error["detail"].startswith(pointer)
    assert server.store.count("productive.time_entries") == 14


@pytest.mark.parametrize("relationship", ["person", "service", "task"])
def test_an_unknown_related_record_is_404(client, server, relationship):
    response = client.post(ENTRIES, json=create_body(**{relationship: "99999"}), headers=WRITE)
    assert response.status_code == 404
    assert response.json() == {
        "errors": [
            {
                "status": "404",
                "title": "Not Found",
                "detail": "Related record not found",
                "source": {"pointer": f"data/relationships/{relationship}"},
            }
        ]
    }
    assert server.store.count("productive.time_entries") == 14


def test_422_comes_before_404(client):
    response = client.post(ENTRIES, json=create_body(person="99999", date=""), headers=WRITE)
    assert response.status_code == 422


# -- get -------------------------------------------------------------------------------------------


def test_get_answers_the_entry_with_an_empty_meta(client):
    response = client.get(entry_path(SEED_ENTRY), headers=HEADERS)
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["data", "meta"]
    assert body["meta"] == {}
    assert body["data"]["id"] == SEED_ENTRY
    assert body["data"]["relationships"] == relationships()


@pytest.mark.parametrize("entry_id", ["99999", "0", "201"])
def test_an_unknown_entry_is_404(client, entry_id):
    response = client.get(entry_path(entry_id), headers=HEADERS)
    assert response.status_code == 404
    assert response.json() == {"errors": [{"status": "404", "title": "Not Found", "detail": "Record not found"}]}


def test_a_path_id_that_is_no_number_is_400(client):
    response = client.get(entry_path("abc"), headers=HEADERS)
    assert response.status_code == 400
    assert response.json()["errors"][0]["status"] == "400"


def test_leading_zeros_name_the_same_entry(client):
    assert client.get(entry_path("0" + SEED_ENTRY), headers=HEADERS).json()["data"]["id"] == SEED_ENTRY


# -- update ----------------------------------------------------------------------------------------


def test_update_answers_the_seeds_example(client):
    """productive.yaml example `UpdateRequest`: PATCH /time_entries/281 with type time-entries: 40 minutes →
    1333 / 1667 / 1333."""
    created = client.post(ENTRIES, json=create_body(), headers=WRITE).json()["data"]
    body = update_body(
        "time-entries",
        date="2024-02-23",
        time=40,
        billable_time=40,
        note="new note",
        calendar_event_id=None,
        jira_issue_id=None,
        jira_issue_summary=None,
        jira_issue_status=None,
        jira_organization=None,
        jira_worklog_id=None,
    )
    response = client.patch(entry_path(created["id"]), json=body, headers=WRITE)
    assert response.status_code == 200, response.text
    attributes = response.json()["data"]["attributes"]
    before = created["attributes"]
    assert attributes == before | {
        "date": "2024-02-23",
        "time": 40,
        "billable_time": 40,
        "note": "new note",
        "updated_at": attributes["updated_at"],
        "cost": 1333,
        "cost_default": 1667,
        "cost_normalized": 1333,
        "work_cost": 1333,
        "work_cost_default": 1667,
        "work_cost_normalized": 1333,
    }
    assert attributes["created_at"] == before["created_at"]
    assert attributes["last_activity_at"] == before["last_activity_at"]  # keeps its creation value
    assert response.json()["meta"] == {}


def test_update_moves_updated_at(client, clock):
    from datetime import timedelta

    created = client.post(ENTRIES, json=create_body(), headers=WRITE).json()["data"]
    clock.advance(timedelta(minutes=5))
    updated = client.patch(entry_path(created["id"]), json=update_body(note="later"), headers=WRITE).json()["data"]
    assert updated["attributes"]["updated_at"] > created["attributes"]["updated_at"]
    assert updated["attributes"]["created_at"] == created["attributes"]["created_at"]


@pytest.mark.parametrize("type_", ["time_entries", "time-entries"])
def test_update_takes_either_type_spelling(client, type_):
    response = client.patch(entry_path(UNAPPROVED), json=update_body(type_, note="typed"), headers=WRITE)
    assert response.status_code == 200
    assert response.json()["data"]["type"] == "time_entries"


def test_update_is_partial(client):
    before = client.get(entry_path(UNAPPROVED), headers=HEADERS).json()["data"]["attributes"]
    after = client.patch(entry_path(UNAPPROVED), json=update_body(note="only the note"), headers=WRITE).json()
    attributes = after["data"]["attributes"]
    assert attributes == before | {"note": "only the note", "updated_at": attributes["updated_at"]}


def test_billable_time_follows_a_changed_time(client):
    attributes = client.patch(entry_path(UNAPPROVED), json=update_body(time=30), headers=WRITE).json()["data"][
        "attributes"
    ]
    assert (attributes["time"], attributes["billable_time"]) == (30, 30)
    attributes = client.patch(entry_path(UNAPPROVED), json=update_body(billable_time=10), headers=WRITE).json()["data"][
        "attributes"
    ]
    assert (attributes["time"], attributes["billable_time"]) == (30, 10)


def test_update_changes_relationships_and_detaches_the_task(client):
    body = {
        "data": {
            "type": "time_entries",
            "relationships": {
                "person": {"data": {"type": "people", "id": BEN}},
                "service": {"data": {"type": "services", "id": DEVELOPMENT}},
                "task": {"data": None},
            },
        }
    }
    assert client.patch(entry_path(UNAPPROVED), json=body, headers=WRITE).status_code == 200
    shown = client.get(entry_path(UNAPPROVED) + "?include=person,service,task", headers=HEADERS).json()["data"]
    assert shown["relationships"]["person"] == {"data": {"type": "people", "id": BEN}}
    assert shown["relationships"]["service"] == {"data": {"type": "services", "id": DEVELOPMENT}}
    assert shown["relationships"]["task"] == {"data": None}
    assert shown["attributes"]["currency"] == "USD"  # Development is sold in USD
    body["data"]["relationships"] = {"task": {"data": {"type": "tasks", "id": API_CLIENT}}}
    client.patch(entry_path(UNAPPROVED), json=body, headers=WRITE)
    shown = client.get(entry_path(UNAPPROVED) + "?include=task", headers=HEADERS).json()["data"]
    assert shown["relationships"]["task"] == {"data": {"type": "tasks", "id": API_CLIENT}}


def test_an_id_in_data_equal_to_the_paths_is_fine(client):
    body = {"data": {"type": "time_entries", "id": UNAPPROVED, "attributes": {"note": "same id"}}}
    assert client.patch(entry_path(UNAPPROVED), json=body, headers=WRITE).status_code == 200


def test_an_id_in_data_that_differs_from_the_path_is_409(client):
    before = client.get(entry_path(UNAPPROVED), headers=HEADERS).json()
    body = {"data": {"type": "time_entries", "id": SEED_ENTRY, "attributes": {"note": "wrong id"}}}
    response = client.patch(entry_path(UNAPPROVED), json=body, headers=WRITE)
    assert response.status_code == 409
    assert response.json() == {
        "errors": [
            {
                "status": "409",
                "title": "Conflict error",
                "detail": "The id in the body does not match the id in the URL",
                "source": {"pointer": "data/id"},
            }
        ]
    }
    assert client.get(entry_path(UNAPPROVED), headers=HEADERS).json() == before


def test_a_blank_date_on_update_gives_the_seeds_two_errors(client):
    """The page's PATCH /time_entries/285 with "date": "" (productive.yaml example `BlankDateResponse`)."""
    before = client.get(entry_path(UNAPPROVED), headers=HEADERS).json()
    response = client.patch(entry_path(UNAPPROVED), json=update_body(date=""), headers=WRITE)
    assert response.status_code == 422
    assert response.json() == BLANK_DATE
    response = client.patch(entry_path(UNAPPROVED), json=update_body(date="2023-02-29"), headers=WRITE)
    assert response.json() == NOT_A_DATE
    assert client.get(entry_path(UNAPPROVED), headers=HEADERS).json() == before


def test_update_of_an_unknown_entry_is_404(client):
    assert client.patch(entry_path("99999"), json=update_body(note="x"), headers=WRITE).status_code == 404


def test_update_naming_an_unknown_task_is_404(client):
    body = {"data": {"type": "time_entries", "relationships": {"task": {"data": {"type": "tasks", "id": "9"}}}}}
    response = client.patch(entry_path(UNAPPROVED), json=body, headers=WRITE)
    assert response.status_code == 404
    assert response.json()["errors"][0]["source"] == {"pointer": "data/relationships/task"}


def test_entries_can_be_updated_whatever_their_approval_state(client):
    for entry_id in ("103", "104", "106"):
        assert client.patch(entry_path(entry_id), json=update_body(note="edited"), headers=WRITE).status_code == 200


# -- delete ----------------------------------------------------------------------------------------


def test_delete_answers_204_then_the_entry_is_gone(client):
    response = client.delete(entry_path(UNAPPROVED), headers=HEADERS)
    assert response.status_code == 204
    assert response.content == b""
    assert client.get(entry_path(UNAPPROVED), headers=HEADERS).status_code == 404
    assert client.delete(entry_path(UNAPPROVED), headers=HEADERS).status_code == 404
    assert client.patch(entry_path(UNAPPROVED, "approve"), headers=HEADERS).status_code == 404
    listed = client.get(f"{ENTRIES}?filter[id]={UNAPPROVED}", headers=HEADERS).json()
    assert listed["data"] == [] and listed["meta"]["total_count"] == 0


def test_a_created_entry_can_be_deleted(client):
    created = client.post(ENTRIES, json=create_body(person=ANA, task=MOCKUPS), headers=WRITE).json()["data"]["id"]
    assert client.delete(entry_path(created), headers=HEADERS).status_code == 204
    assert client.get(entry_path(created), headers=HEADERS).status_code == 404
