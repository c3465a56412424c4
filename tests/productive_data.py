"""Demo credentials and records of Productive (README, Demo credentials), as the tests use them."""

from __future__ import annotations

from typing import Any

BASE = "/productive/api/v2"
ENTRIES = f"{BASE}/time_entries"
JSON_API = "application/vnd.api+json"
CONTENT_TYPE = "application/vnd.api+json; charset=utf-8"
ORIGIN = "http://127.0.0.1:8080"

ORG = "1001"
OTHER_ORG = "1002"
TOKEN = "pat_demo_1001"
READ_ONLY_TOKEN = "pat_demo_1001_readonly"
OTHER_TOKEN = "pat_demo_1002"

ANA, BEN = "8160", "8161"  # the token's person is Ben
DESIGN, DEVELOPMENT = "1192", "1193"  # sold in EUR and in USD; the organization reports in USD
MOCKUPS, API_CLIENT = "444", "445"
CHLOE, CONSULTING, WORKSHOP = "9160", "2192", "2444"  # organization 1002

# fixture entries of organization 1001 (see fixtures/default.json)
SEED_ENTRY = "101"  # the spec's `CreateRequest` example: 480 min of Ana on Design, task 444
UNAPPROVED = "102"
APPROVED = "103"
REJECTED = "104"
SUBMITTED = "105"
INVOICED = "106"
AUTOTRACKED = "107"
ALL_1001 = ["101", "102", "103", "104", "105", "106", "107", "108", "109", "110", "111", "112"]
OTHER_ORG_ENTRY = "201"

HEADERS = {"X-Auth-Token": TOKEN, "X-Organization-Id": ORG}
WRITE = {**HEADERS, "Content-Type": JSON_API}
READ_ONLY = {"X-Auth-Token": READ_ONLY_TOKEN, "X-Organization-Id": ORG}
OTHER = {"X-Auth-Token": OTHER_TOKEN, "X-Organization-Id": OTHER_ORG, "Content-Type": JSON_API}


def entry_path(entry_id: str, action: str | None = None) -> str:
    return f"{ENTRIES}/{entry_id}" + (f"/{action}" if action else "")


def create_body(
    *, person: str = ANA, service: str = DESIGN, task: str | None = MOCKUPS, **attributes: Any
) -> dict[str, Any]:
    """The spec's `CreateRequest` example, with `attributes` changed or added."""
    relationships: dict[str, Any] = {
        "person": {"data": {"type": "people", "id": person}},
        "service": {"data": {"type": "services", "id": service}},
    }
    if task is not None:
        relationships["task"] = {"data": {"type": "tasks", "id": task}}
    return {
        "data": {
            "type": "time_entries",
            "attributes": {"note": "test note", "date": "2016-10-01", "time": 480, **attributes},
            "relationships": relationships,
        }
    }


def update_body(type_: str = "time_entries", **attributes: Any) -> dict[str, Any]:
    return {"data": {"type": type_, "attributes": attributes}}


def record(entry_id: str, *, organization: str = ORG, person: str = ANA, service: str = DESIGN, **fields: Any):
    """A fixture record of an entry, for `server.load_fixtures`; fields left out take their defaults."""
    return {
        "id": entry_id,
        "organization_id": organization,
        "date": "2030-01-01",
        "time": 60,
        "person_id": person,
        "service_id": service,
        "created_at": "2030-01-01T08:00:00.000+02:00",
        "updated_at": "2030-01-01T08:00:00.000+02:00",
        "last_activity_at": "2030-01-01T08:00:00.000+02:00",
        **fields,
    }


def load(server, *records: dict[str, Any]) -> None:
    server.load_fixtures({"productive": {"time_entries": list(records)}})


def ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["data"]]


def listed(client, query: str = "", headers: dict[str, str] = HEADERS) -> list[str]:
    """The ids a list answers, every page of 200 in turn."""
    separator = "&" if query else ""
    found: list[str] = []
    for number in range(1, 1000):
        page = ids(client.get(f"{ENTRIES}?{query}{separator}page[size]=200&page[number]={number}", headers=headers))
        found += page
        if len(page) < 200:
            return found
    raise AssertionError("more pages than a test should need")
