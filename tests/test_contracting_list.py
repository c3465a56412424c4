"""Contracting: listing time entries — filters, dates, order and expand [contracting.yaml decisions 5-7]."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockserver.platform.clock import Clock
from tests.contracting_data import ACME, API, ENTRIES, HEADERS, NOV, OCT, WEB, ZETA, bad_request

# The acme fixtures in list order: by date, then createdAt (3 before 2), then id (6 before 7).
ACME_ORDER = ["1", "3", "2", "4", "5", "6", "7"]


def acme(*numbers: str) -> list[str]:
    return [f"tsh_acme0000000000000000000{number}" for number in numbers]


def listed(client: TestClient, tenant: str = ACME, **params: str) -> list[str]:
    response = client.get(ENTRIES, headers={**HEADERS, "tenant-id": tenant}, params=params)
    assert response.status_code == 200, response.text
    return [entry["id"] for entry in response.json()["data"]]




# -- shape and order -----------------------------------------------------------------------------


def test_the_list_is_wrapped_in_data_with_the_seeds_fields(client: TestClient) -> None:
    response = client.get(ENTRIES, headers=HEADERS)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert set(response.json()) == {"data"}
    assert response.json()["data"][0] == {
        "id": "tsh_acme00000000000000000001",
        "project": WEB,
        "billable": OCT,
        "date": "2023-10-05",
        "durationSeconds": 3600,
        "createdAt": "2023-10-05T14:48:00.000Z",
        "updatedAt": "2023-10-05T14:48:00.000Z",
        "description": "Implemented authentication flow.",
        "referenceSource": "JIRA",
        "referenceId": "PROJ-123",
    }


def test_the_list_is_ordered_by_date_then_created_at_then_id(client: TestClient) -> None:
    assert listed(client) == acme(*ACME_ORDER)
    assert listed(client, tenant=ZETA) == [
        "tsh_zeta00000000000000000001",
        "tsh_zeta00000000000000000003",
        "tsh_zeta00000000000000000002",
    ]


def test_new_entries_take_their_place_in_the_order(client: TestClient, clock: Clock) -> None:
    def create(date: str) -> str:
        clock.advance(timedelta(seconds=1))
        response = client.post(ENTRIES, headers=HEADERS, json={"projectId": API, "date": date, "durationSeconds": 1})
        assert response.status_code == 201
        return response.json()["data"]["id"]

    later = create("2023-10-31")
    earlier_day = create("2023-10-01")
    even_later = create("2023-10-31")
    assert listed(client) == [earlier_day, *acme("1", "3", "2"), later, even_later, *acme("4", "5", "6", "7")]


# -- filters -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"projectId": WEB}, acme("1", "2", "4", "6", "7")),
        ({"projectId": API}, acme("3", "5")),
        ({"billableId": OCT}, acme("1", "2")),
        ({"billableId": NOV}, acme("4", "5")),
        ({"referenceSource": "JIRA"}, acme("1", "2", "5")),
        ({"referenceSource": "jira"}, []),
        ({"referenceId": "PROJ-123"}, acme("1")),
        ({"referenceSource": "GITHUB", "referenceId": "PR-42"}, acme("3")),
        ({"referenceSource": "JIRA", "referenceId": "PR-42"}, []),
        ({"projectId": WEB, "billableId": OCT}, acme("1", "2")),
        ({"projectId": API, "billableId": OCT}, []),
        ({"projectId": "prj_unknown00000000000000001"}, []),
        ({"projectId": "not-an-id"}, []),
    ],
)
def test_filters_match_exactly_and_combine_with_and(
    client: TestClient, params: dict[str, str], expected: list[str]
) -> None:
    assert listed(client, **params) == expected


def test_filters_follow_a_replaced_entry(client: TestClient) -> None:
    replaced = client.put(
        f"{ENTRIES}/tsh_acme00000000000000000001",
        headers=HEADERS,
        json={"billableId": NOV, "date": "2023-10-05", "durationSeconds": 1},
    )
    assert replaced.status_code == 200
    assert listed(client, billableId=OCT) == acme("2")
    assert listed(client, billableId=NOV) == acme("1", "4", "5")
    assert listed(client, referenceSource="JIRA") == acme("2", "5")


def test_unknown_query_parameters_are_ignored(client: TestClient) -> None:
    assert listed(client, page="2", sort="-date") == acme(*ACME_ORDER)


# -- dates ---------------------------------------------------------------------------------------


def test_date_from_is_inclusive(client: TestClient) -> None:
    assert listed(client, dateFrom="2023-10-31") == acme("3", "2", "4", "5", "6", "7")
    assert listed(client, dateFrom="2023-11-01") == acme("4", "5", "6", "7")


def test_date_to_is_inclusive(client: TestClient) -> None:
    assert listed(client, dateTo="2023-10-31") == acme("1", "3", "2")
    assert listed(client, dateTo="2023-10-30") == acme("1")


def test_both_bounds_together(client: TestClient) -> None:
    assert listed(client, dateFrom="2024-02-29", dateTo="2024-02-29") == acme("5")
    assert listed(client, dateFrom="2023-10-31", dateTo="2023-11-30", projectId=WEB) == acme("2", "4")


def test_date_from_after_date_to_matches_nothing(client: TestClient) -> None:
    assert listed(client, dateFrom="2024-03-01", dateTo="2023-10-05") == []


@pytest.mark.parametrize("day", ["2024-02-29", "2000-02-29"])
@pytest.mark.parametrize("bound", ["dateFrom", "dateTo"])
def test_a_real_leap_day_is_a_date(client: TestClient, bound: str, day: str) -> None:
    assert client.get(ENTRIES, headers=HEADERS, params={bound: day}).status_code == 200


@pytest.mark.parametrize("day", ["2023-02-29", "1900-02-29"])
@pytest.mark.parametrize("bound", ["dateFrom", "dateTo"])
def test_a_leap_day_of_a_common_year_is_400(client: TestClient, bound: str, day: str) -> None:
    bad_request(client.get(ENTRIES, headers=HEADERS, params={bound: day}), f"querystring/{bound} is not a valid date")


@pytest.mark.parametrize("day", ["2023-02-30", "2023-04-31", "2023-13-01", "2023-1-05", "05/10/2023", "0000-01-01", ""])
def test_a_value_that_is_not_a_calendar_date_is_400(client: TestClient, day: str) -> None:
    response = client.get(ENTRIES, headers=HEADERS, params={"dateFrom": day})
    assert response.status_code == 400
    assert response.json()["code"] == "FST_ERR_VALIDATION"
    assert response.json()["message"].startswith("querystring/dateFrom ")


def test_a_reference_filter_longer_than_255_is_400(client: TestClient) -> None:
    response = client.get(ENTRIES, headers=HEADERS, params={"referenceId": "x" * 256})
    assert response.status_code == 400
    assert response.json()["message"].startswith("querystring/referenceId: ")
    assert listed(client, referenceId="x" * 255) == []


# -- expand --------------------------------------------------------------------------------------

CLIENT = {"id": "clnt_acmecorp0000000000000001", "name": "Acme Corp"}
CONTRACT_ID = "ctr_acmemsa00000000000000001"
INVOICE_ID = "inv_acme00010000000000000001"


def contract(client: Any) -> dict[str, Any]:
    return {"id": CONTRACT_ID, "name": "Acme master services agreement", "client": client}


def project(contract: Any) -> dict[str, Any]:
    return {"id": WEB, "name": "Web", "contract": contract}


def invoice(contract: Any) -> dict[str, Any]:
    return {"id": INVOICE_ID, "number": "ACME-0001", "contract": contract}


def billable(invoice: Any) -> dict[str, Any]:
    return {"id": OCT, "name": "October 2023", "invoice": invoice}


CLIENT_ID = CLIENT["id"]
FULL_PROJECT = project(contract(CLIENT))
FULL_BILLABLE = billable(invoice(contract(CLIENT)))

# expand -> (project, billable) of entry 1 (project Web, billable October -> invoice ACME-0001)
EXPANSIONS = {
    "project": (project(CONTRACT_ID), OCT),
    "project.contract": (project(contract(CLIENT_ID)), OCT),
    "project.contract.client": (FULL_PROJECT, OCT),
    "billable": (WEB, billable(INVOICE_ID)),
    "billable.invoice": (WEB, billable(invoice(CONTRACT_ID))),
    "billable.invoice.contract": (WEB, billable(invoice(contract(CLIENT_ID)))),
    "billable.invoice.contract.client": (WEB, FULL_BILLABLE),
    "project,billable": (project(CONTRACT_ID), billable(INVOICE_ID)),
    "project.contract,billable.invoice": (project(contract(CLIENT_ID)), billable(invoice(CONTRACT_ID))),
    "project,project,project.contract": (project(contract(CLIENT_ID)), OCT),
    "billable.invoice.contract.client,project.contract.client": (FULL_PROJECT, FULL_BILLABLE),
    ",".join(
        [
            "project",
            "project.contract",
            "project.contract.client",
            "billable",
            "billable.invoice",
            "billable.invoice.contract",
            "billable.invoice.contract.client",
        ]
    ): (FULL_PROJECT, FULL_BILLABLE),
}


def test_without_expand_every_link_is_an_id_string(client: TestClient) -> None:
    entry = client.get(f"{ENTRIES}/tsh_acme00000000000000000001", headers=HEADERS).json()["data"]
    assert (entry["project"], entry["billable"]) == (WEB, OCT)


@pytest.mark.parametrize("expand", list(EXPANSIONS))
def test_expand_replaces_exactly_the_named_links_on_get(client: TestClient, expand: str) -> None:
    response = client.get(f"{ENTRIES}/tsh_acme00000000000000000001", headers=HEADERS, params={"expand": expand})
    assert response.status_code == 200, response.text
    entry = response.json()["data"]
    assert (entry["project"], entry["billable"]) == EXPANSIONS[expand]
    assert (entry["date"], entry["durationSeconds"]) == ("2023-10-05", 3600)


@pytest.mark.parametrize("expand", list(EXPANSIONS))
def test_expand_applies_to_every_listed_entry(client: TestClient, expand: str) -> None:
    response = client.get(ENTRIES, headers=HEADERS, params={"expand": expand, "billableId": OCT})
    assert response.status_code == 200, response.text
    assert [(entry["project"], entry["billable"]) for entry in response.json()["data"]] == [EXPANSIONS[expand]] * 2


def test_a_null_billable_stays_null_when_expanded(client: TestClient) -> None:
    response = client.get(
        f"{ENTRIES}/tsh_acme00000000000000000003",
        headers=HEADERS,
        params={"expand": "billable.invoice.contract.client,project"},
    )
    entry = response.json()["data"]
    assert entry["billable"] is None
    assert entry["project"] == {"id": API, "name": "Public API", "contract": CONTRACT_ID}


def test_a_null_invoice_stays_null_when_expanded(client: TestClient) -> None:
    response = client.get(
        f"{ENTRIES}/tsh_acme00000000000000000004",
        headers=HEADERS,
        params={"expand": "billable.invoice.contract.client"},
    )
    assert response.json()["data"]["billable"] == {"id": NOV, "name": "November 2023", "invoice": None}


def test_expand_shows_the_tenants_own_related_records(client: TestClient) -> None:
    response = client.get(
        f"{ENTRIES}/tsh_zeta00000000000000000001",
        headers={**HEADERS, "tenant-id": ZETA},
        params={"expand": "project.contract.client,billable.invoice"},
    )
    entry = response.json()["data"]
    assert entry["project"] == {
        "id": "prj_zetaapp00000000000000001",
        "name": "Zeta App",
        "contract": {
            "id": "ctr_zetasow00000000000000001",
            "name": "Zeta statement of work",
            "client": {"id": "clnt_zetaltd00000000000000001", "name": "Zeta Ltd"},
        },
    }
    assert entry["billable"] == {
        "id": "bil_zetaq4000000000000000001",
        "name": "Q4 2023",
        "invoice": {
            "id": "inv_zeta00010000000000000001",
            "number": "ZETA-0001",
            "contract": "ctr_zetasow00000000000000001",
        },
    }


EXPAND_ERROR = (
    "querystring/expand must be a comma-separated list of: project, project.contract, project.contract.client, "
    "billable, billable.invoice, billable.invoice.contract, billable.invoice.contract.client"
)


@pytest.mark.parametrize(
    "expand",
    ["client", "project.client", "contract", "invoice", "PROJECT", "project,", ",project", "project, billable", ""],
)
def test_an_unknown_expand_path_is_400(client: TestClient, expand: str) -> None:
    bad_request(client.get(ENTRIES, headers=HEADERS, params={"expand": expand}), EXPAND_ERROR)
    bad_request(
        client.get(f"{ENTRIES}/tsh_acme00000000000000000001", headers=HEADERS, params={"expand": expand}), EXPAND_ERROR
    )
