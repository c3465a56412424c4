"""Contracting: who may call what, in which order errors win, and tenant isolation (spec decisions 1-4)."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.contracting_data import (
    ACME,
    ACME_ENTRY,
    ACME_TOKEN,
    ALL_TOKEN,
    ENTRIES,
    OCT,
    UNKNOWN_ENTRY,
    WEB,
    ZETA,
    ZETA_BILLABLE,
    ZETA_ENTRY,
    ZETA_PROJECT,
    envelope,
)

VALID_BODY = {"projectId": WEB, "date": "2024-02-29", "durationSeconds": 60}


def headers(token: str | None = ALL_TOKEN, tenant: str | None = ACME) -> dict[str, str]:
    sent = {}
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    if tenant is not None:
        sent["tenant-id"] = tenant
    return sent




def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [entry["id"] for entry in response.json()["data"]]


# -- 401 -----------------------------------------------------------------------------------------


def test_a_request_without_a_token_is_401(client: TestClient) -> None:
    response = client.get(ENTRIES, headers=headers(token=None))
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/json"
    assert response.json() == envelope(401, "UNAUTHORIZED", "Unauthorized", "No authorization token provided")


def test_an_unknown_token_is_401(client: TestClient) -> None:
    response = client.get(ENTRIES, headers=headers(token="kk_not_a_token"))
    assert response.status_code == 401
    assert response.json() == envelope(401, "UNAUTHORIZED", "Unauthorized", "Invalid bearer token")


@pytest.mark.parametrize("authorization", ["Bearer", "Basic a2s6ZGVtbw==", "kk_demo_token_all"])
def test_an_authorization_header_without_a_bearer_token_is_401(client: TestClient, authorization: str) -> None:
    response = client.get(ENTRIES, headers={"Authorization": authorization, "tenant-id": ACME})
    assert response.status_code == 401
    assert response.json()["code"] == "UNAUTHORIZED"


@pytest.mark.parametrize("tenant", [None, ZETA, "not-a-tenant"])
def test_401_wins_over_every_tenant_problem(client: TestClient, tenant: str | None) -> None:
    response = client.post(ENTRIES, headers=headers(token="kk_unknown", tenant=tenant), content=b"{")
    assert response.status_code == 401
    assert response.json()["code"] == "UNAUTHORIZED"


# -- 403 -----------------------------------------------------------------------------------------


def test_a_token_on_a_tenant_it_may_not_use_is_403(client: TestClient) -> None:
    response = client.get(ENTRIES, headers=headers(token=ACME_TOKEN, tenant=ZETA))
    assert response.status_code == 403
    assert response.json() == envelope(403, "FORBIDDEN", "Forbidden", f"Token is not allowed on tenant {ZETA}")


@pytest.mark.parametrize("tenant", ["tnt_unknown00000000000000001", "acme", ""])
def test_an_unknown_or_malformed_tenant_is_403(client: TestClient, tenant: str) -> None:
    response = client.get(ENTRIES, headers=headers(tenant=tenant))
    assert response.status_code == 403
    assert response.json() == envelope(403, "FORBIDDEN", "Forbidden", f"Token is not allowed on tenant {tenant}")


def test_403_wins_over_invalid_input(client: TestClient) -> None:
    forbidden = headers(token=ACME_TOKEN, tenant=ZETA)
    assert client.post(ENTRIES, headers=forbidden, json={"unknown": True}).status_code == 403
    assert client.get(f"{ENTRIES}?dateFrom=2023-02-29&expand=client", headers=forbidden).status_code == 403
    assert client.get(f"{ENTRIES}/not-an-id", headers=forbidden).status_code == 403


def test_403_wins_over_an_unsupported_media_type(client: TestClient) -> None:
    forbidden = {**headers(token=ACME_TOKEN, tenant=ZETA), "Content-Type": "text/plain"}
    assert client.post(ENTRIES, headers=forbidden, content=b"hello").status_code == 403


def test_403_wins_over_not_found(client: TestClient) -> None:
    forbidden = headers(token=ACME_TOKEN, tenant=ZETA)
    assert client.get(f"{ENTRIES}/{ZETA_ENTRY}", headers=forbidden).status_code == 403
    assert client.put(f"{ENTRIES}/{UNKNOWN_ENTRY}", headers=forbidden, json=VALID_BODY).status_code == 403


# -- 400 and 415 ---------------------------------------------------------------------------------


def test_a_missing_tenant_header_is_400(client: TestClient) -> None:
    response = client.get(ENTRIES, headers=headers(tenant=None))
    assert response.status_code == 400
    assert response.json() == envelope(
        400, "FST_ERR_VALIDATION", "Bad Request", "headers must have required property 'tenant-id'"
    )


def test_a_missing_tenant_header_is_400_on_every_operation(client: TestClient) -> None:
    no_tenant = headers(tenant=None)
    body = {"date": "2024-02-29", "durationSeconds": 60}
    for response in (
        client.post(ENTRIES, headers=no_tenant, json=VALID_BODY),
        client.get(f"{ENTRIES}/{ACME_ENTRY}", headers=no_tenant),
        client.put(f"{ENTRIES}/{ACME_ENTRY}", headers=no_tenant, json=body),
    ):
        assert response.status_code == 400
        assert "headers must have required property 'tenant-id'" in response.json()["message"]


def test_an_unsupported_media_type_is_415(client: TestClient) -> None:
    response = client.post(ENTRIES, headers={**headers(), "Content-Type": "text/plain"}, content=b'{"projectId": "x"}')
    assert response.status_code == 415
    assert response.json() == envelope(
        415,
        "FST_ERR_CTP_INVALID_MEDIA_TYPE",
        "Unsupported Media Type",
        "Invalid Content-type (text/plain), expected ['application/json']",
    )


def test_400_wins_over_not_found(client: TestClient) -> None:
    response = client.put(f"{ENTRIES}/{UNKNOWN_ENTRY}", headers=headers(), json={"durationSeconds": 1})
    assert response.status_code == 400
    assert response.json()["code"] == "FST_ERR_VALIDATION"


# -- framework errors in the vendor's envelope ---------------------------------------------------


def test_an_unknown_route_is_404_in_the_envelope(client: TestClient) -> None:
    response = client.get("/contracting/api/v1/projects", headers=headers())
    assert response.status_code == 404
    assert response.json() == envelope(
        404, "NOT_FOUND", "Not Found", "No endpoint GET /contracting/api/v1/projects in this API."
    )


def test_an_undeclared_method_is_405_in_the_envelope_with_allow(client: TestClient) -> None:
    response = client.delete(f"{ENTRIES}/{ACME_ENTRY}", headers=headers())
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]
    assert response.json() == envelope(
        405,
        "METHOD_NOT_ALLOWED",
        "Method Not Allowed",
        f"No operation DELETE {ENTRIES}/{ACME_ENTRY} in this API.",
    )


# -- isolation -----------------------------------------------------------------------------------


def test_the_acme_token_cannot_reach_zeta_at_all(client: TestClient) -> None:
    acme_only = headers(token=ACME_TOKEN, tenant=ZETA)
    assert client.get(ENTRIES, headers=acme_only).status_code == 403
    assert client.post(ENTRIES, headers=acme_only, json={**VALID_BODY, "projectId": ZETA_PROJECT}).status_code == 403


def test_the_acme_token_works_in_acme(client: TestClient) -> None:
    assert all(id.startswith("tsh_acme") for id in ids(client.get(ENTRIES, headers=headers(token=ACME_TOKEN))))


def test_the_all_token_sees_each_tenants_own_entries_only_under_that_tenant(client: TestClient) -> None:
    acme = ids(client.get(ENTRIES, headers=headers(tenant=ACME)))
    zeta = ids(client.get(ENTRIES, headers=headers(tenant=ZETA)))
    assert acme and zeta
    assert all(id.startswith("tsh_acme") for id in acme)
    assert all(id.startswith("tsh_zeta") for id in zeta)


def test_another_tenants_entry_is_404_by_id(client: TestClient) -> None:
    response = client.get(f"{ENTRIES}/{ZETA_ENTRY}", headers=headers(tenant=ACME))
    assert response.status_code == 404
    assert response.json() == envelope(404, "NOT_FOUND", "Not Found", f"Time entry {ZETA_ENTRY} not found")
    assert client.get(f"{ENTRIES}/{ACME_ENTRY}", headers=headers(tenant=ZETA)).status_code == 404
    assert client.get(f"{ENTRIES}/{ZETA_ENTRY}", headers=headers(tenant=ZETA)).status_code == 200


def test_another_tenants_entry_cannot_be_replaced(client: TestClient) -> None:
    body = {"date": "2024-02-29", "durationSeconds": 1}
    response = client.put(f"{ENTRIES}/{ZETA_ENTRY}", headers=headers(tenant=ACME), json=body)
    assert response.status_code == 404
    assert response.json() == envelope(404, "NOT_FOUND", "Not Found", f"Time entry {ZETA_ENTRY} not found")
    unchanged = client.get(f"{ENTRIES}/{ZETA_ENTRY}", headers=headers(tenant=ZETA)).json()["data"]
    assert unchanged["durationSeconds"] == 3600


def test_another_tenants_project_is_404_on_create(client: TestClient) -> None:
    response = client.post(ENTRIES, headers=headers(tenant=ACME), json={**VALID_BODY, "projectId": ZETA_PROJECT})
    assert response.status_code == 404
    assert response.json() == envelope(404, "NOT_FOUND", "Not Found", f"Project {ZETA_PROJECT} not found")


def test_another_tenants_billable_is_404_on_create_and_replace(client: TestClient) -> None:
    created = client.post(ENTRIES, headers=headers(), json={**VALID_BODY, "billableId": ZETA_BILLABLE})
    assert created.status_code == 404
    assert created.json() == envelope(404, "NOT_FOUND", "Not Found", f"Billable {ZETA_BILLABLE} not found")
    replaced = client.put(
        f"{ENTRIES}/{ACME_ENTRY}",
        headers=headers(),
        json={"date": "2024-02-29", "durationSeconds": 1, "billableId": ZETA_BILLABLE},
    )
    assert replaced.status_code == 404
    assert replaced.json() == envelope(404, "NOT_FOUND", "Not Found", f"Billable {ZETA_BILLABLE} not found")
    kept = client.get(f"{ENTRIES}/{ACME_ENTRY}", headers=headers()).json()["data"]
    assert (kept["billable"], kept["durationSeconds"]) == (OCT, 3600)


def test_a_filter_on_another_tenants_ids_matches_nothing(client: TestClient) -> None:
    assert ids(client.get(ENTRIES, headers=headers(), params={"projectId": ZETA_PROJECT})) == []
    assert ids(client.get(ENTRIES, headers=headers(), params={"billableId": ZETA_BILLABLE})) == []


def test_an_entry_created_in_zeta_stays_in_zeta(client: TestClient) -> None:
    created = client.post(ENTRIES, headers=headers(tenant=ZETA), json={**VALID_BODY, "projectId": ZETA_PROJECT})
    assert created.status_code == 201
    new = created.json()["data"]["id"]
    assert new in ids(client.get(ENTRIES, headers=headers(tenant=ZETA)))
    assert new not in ids(client.get(ENTRIES, headers=headers(tenant=ACME)))
    assert client.get(f"{ENTRIES}/{new}", headers=headers(tenant=ACME)).status_code == 404


def test_a_body_over_the_size_limit_is_413_in_the_envelope(client: TestClient) -> None:
    response = client.post(
        ENTRIES, headers={**headers(), "Content-Type": "application/json"}, content=b" " * (1024 * 1024 + 1)
    )
    assert response.status_code == 413
    assert response.json() == envelope(
        413, "FST_ERR_CTP_BODY_TOO_LARGE", "Payload Too Large", "The request body exceeds 1048576 bytes."
    )
