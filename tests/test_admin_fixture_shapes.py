"""No fixture can make a later request answer 500: every field of every demo record, given the wrong
type, set to null or left out, is either refused at load (400, nothing loaded) or read safely by every
API call that touches it (README, "Admin API": fixtures are checked before they load)."""

import copy
import json

import pytest

from mockserver import DEFAULT_FIXTURES
from mockserver.admin.shapes import record_shapes
from mockserver.vendors import VENDORS

DEMO = json.loads(DEFAULT_FIXTURES.read_text())

ALIGN = {"Authorization": "Bearer ako_demo_org_acme"}
ALIGN_GLOBEX = {"Authorization": "Bearer ako_demo_org_globex"}
ALIGN_PROJECT = {"Authorization": "Bearer ako_demo_proj_acme_web"}
CONTRACTING = {"Authorization": "Bearer kk_demo_token_all", "tenant-id": "tnt_acme00000000000000000001"}
PRODUCTIVE = {"X-Auth-Token": "pat_demo_1001", "X-Organization-Id": "1001", "Content-Type": "application/vnd.api+json"}
EXPAND = "project.contract.client,billable.invoice.contract.client"
WEB = "a1000000-0000-4000-8000-000000000001"
USER = "a2000000-0000-4000-8000-000000000001"
TICKET = "a3000000-0000-4000-8000-000000000001"
SYNC = {"projectId": WEB, "userId": USER, "workDate": "2025-01-15", "minutes": 60,
        "externalSystem": "jira", "externalId": "te-shape", "entryId": TICKET}  # fmt: skip
LOG = {"userId": "a2000000-0000-4000-8000-000000000001", "workDate": "2025-01-15", "hours": "1.5",
       "releaseId": "a5000000-0000-4000-8000-000000000001",
       "externalRef": {"provider": "jira", "externalType": "worklog", "externalId": "WL-INVOICED-1"}}  # fmt: skip
CREATE = {"data": {"type": "time_entries", "attributes": {"date": "2024-01-02", "time": 60}, "relationships": {
    "person": {"data": {"type": "people", "id": "8160"}}, "service": {"data": {"type": "services", "id": "1192"}},
    "task": {"data": {"type": "tasks", "id": "444"}}}}}  # fmt: skip


def calls(api: str) -> list[tuple[str, str, dict, object]]:
    """Requests that read every collection of the API."""
    if api == "align":
        entries = [record["id"] for record in DEMO["align"]["time_entries"]]
        return [
            *[("GET", f"/align/api/v1/integration/time-entries/{entry}", ALIGN, None) for entry in entries],
            ("GET", f"/align/api/v1/integration/time-entries/{entries[0]}", ALIGN_GLOBEX, None),
            ("POST", "/align/api/v1/integration/time-entries", ALIGN, SYNC),
            ("POST", f"/align/api/v1/projects/{WEB}/time-entries", ALIGN_PROJECT, LOG),
            ("POST", f"/align/api/v1/projects/{WEB}/time-entries", ALIGN, {**LOG, "externalRef": None}),
        ]
    if api == "contracting":
        entries = [record["id"] for record in DEMO["contracting"]["time_entries"][:3]]
        return [
            ("GET", f"/contracting/api/v1/time-entries?expand={EXPAND}", CONTRACTING, None),
            *[
                ("GET", f"/contracting/api/v1/time-entries/{entry}?expand={EXPAND}", CONTRACTING, None)
                for entry in entries
            ],
            ("POST", "/contracting/api/v1/time-entries", CONTRACTING,
             {"projectId": "prj_acmeweb00000000000000001", "date": "2023-10-05", "durationSeconds": 60,
              "billableId": "bil_acmeoct00000000000000001"}),
        ]  # fmt: skip
    include = "person,service,task,organization,approver,updater,rejecter,creator,last_actor,person_subsidiary"
    return [
        ("GET", f"/productive/api/v2/time_entries?include={include}&page[size]=200", PRODUCTIVE, None),
        ("GET", "/productive/api/v2/time_entries?sort=-date,person_name&filter[after]=2000-01-01", PRODUCTIVE, None),
        ("GET", "/productive/api/v2/time_entries/101?include=person,service,task", PRODUCTIVE, None),
        ("PATCH", "/productive/api/v2/time_entries/102/approve", PRODUCTIVE, None),
        ("POST", "/productive/api/v2/time_entries", PRODUCTIVE, CREATE),
    ]


def wrong_values(value: object) -> list[object]:
    if isinstance(value, bool):
        return ["yes", None]
    if isinstance(value, int):
        return ["lots", None, -1]
    if isinstance(value, str):
        return [5, None, "", "not-a-value"]
    if isinstance(value, list):
        return ["x", None, [5]]
    if isinstance(value, dict):
        return ["x", None, {"EUR": "lots"}]
    return ["x", 5]


def variants():
    for api, tables in DEMO.items():
        for table, records in tables.items():
            for field in sorted({name for record in records for name in record}):
                record = next(record for record in records if field in record)
                for value in wrong_values(record[field]):
                    yield api, table, record, field, value
                yield api, table, record, field, ...  # left out


def test_every_collection_of_every_api_has_a_shape():
    collections = {c.name for vendor in VENDORS.values() for c in vendor.collections}
    assert record_shapes().collections == collections


def test_the_demo_fixtures_fit_their_shapes():
    record_shapes().check(DEMO, lambda collection, key: False)


@pytest.mark.slow
def test_no_fixture_record_makes_a_later_request_answer_500(client, server):
    refused = accepted = 0
    for api, table, record, field, value in variants():
        changed = copy.deepcopy(record)
        if value is ...:
            del changed[field]
        else:
            changed[field] = value
        response = client.post("/__admin/fixtures", json={api: {table: [changed]}})
        if response.status_code == 400:
            refused += 1
            assert f"{api}.{table} record 0" in response.json()["message"]
            continue
        assert response.status_code == 204, response.text
        accepted += 1
        for method, path, headers, body in calls(api):
            answer = client.request(method, path, headers=headers, json=body)
            assert answer.status_code < 500, (api, table, field, value, method, path, answer.text)
        server.reset()
    assert refused > 300 and accepted > 50, (refused, accepted)
