"""Align: keys, scopes, revocation and the plan gate, checked in the order 401 → 403 → 402 → 400."""

import pytest

from tests.align_data import (
    GLOBEX_KEY,
    INVOICED_ENTRY,
    MOBILE,
    ORG_KEY,
    PROJECT_KEY,
    REVOKED_KEY,
    SYNC,
    WEB,
    entry_path,
    log_body,
    log_path,
    sync_body,
)

ENDPOINTS = [
    ("post", SYNC, sync_body()),
    ("get", entry_path(INVOICED_ENTRY), None),
    ("post", log_path(WEB), log_body()),
]


def call(client, method, path, body, headers):
    return client.request(method, path, json=body, headers=headers)


def assert_error(response, status, error, reason):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["error"] == error
    assert body["reason"] == reason
    assert isinstance(body["message"], str) and body["message"]


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_missing_key_is_401_missing_api_key(client, method, path, body):
    assert_error(call(client, method, path, body, {}), 401, "unauthorized", "missing_api_key")


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_unknown_key_is_401_invalid_api_key(client, method, path, body):
    response = call(client, method, path, body, {"Authorization": "Bearer ako_nope"})
    assert_error(response, 401, "unauthorized", "invalid_api_key")


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_revoked_key_is_401_key_revoked(client, method, path, body):
    assert_error(call(client, method, path, body, REVOKED_KEY), 401, "unauthorized", "key_revoked")


def test_key_is_accepted_in_x_api_key_header(client):
    response = client.get(entry_path(INVOICED_ENTRY), headers={"X-API-Key": "ako_demo_org_acme"})
    assert response.status_code == 200


def test_a_bearer_header_without_token_is_401(client):
    response = client.get(entry_path(INVOICED_ENTRY), headers={"Authorization": "Bearer"})
    assert_error(response, 401, "unauthorized", "invalid_api_key")


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS[:2])
def test_project_key_on_integration_endpoints_is_403_scope_violation(client, method, path, body):
    assert_error(call(client, method, path, body, PROJECT_KEY), 403, "forbidden", "scope_violation")


def test_project_key_logs_on_its_own_project(client):
    assert client.post(log_path(WEB), json=log_body(), headers=PROJECT_KEY).status_code == 201


def test_project_key_on_another_project_is_403(client):
    response = client.post(log_path(MOBILE), json=log_body(), headers=PROJECT_KEY)
    assert_error(response, 403, "forbidden", "scope_violation")


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_org_without_time_tracking_is_402_feature_disabled(client, method, path, body):
    response = call(client, method, path, body, GLOBEX_KEY)
    assert_error(response, 402, "payment_required", "feature_disabled")


def test_auth_is_checked_before_input(client):
    response = client.post(SYNC, json={"bad": True}, headers=REVOKED_KEY)
    assert_error(response, 401, "unauthorized", "key_revoked")


def test_scope_is_checked_before_input(client):
    response = client.post(SYNC, json={"bad": True}, headers=PROJECT_KEY)
    assert_error(response, 403, "forbidden", "scope_violation")


def test_plan_is_checked_before_input(client):
    response = client.post(SYNC, json={"bad": True}, headers=GLOBEX_KEY)
    assert_error(response, 402, "payment_required", "feature_disabled")


def test_scope_is_checked_before_plan(client, server):
    # a project key of an organisation without time_tracking: 403 wins over 402
    server.load_fixtures(
        {
            "align": {
                "api_keys": [
                    {
                        "key": "ako_test_proj_globex",
                        "organizationId": "b0000000-0000-4000-8000-000000000001",
                        "projectId": "b1000000-0000-4000-8000-000000000001",
                        "revoked": False,
                    }
                ]
            }
        }
    )
    response = client.post(SYNC, json=sync_body(), headers={"Authorization": "Bearer ako_test_proj_globex"})
    assert_error(response, 403, "forbidden", "scope_violation")


def test_org_key_passes_all_stages(client):
    assert client.post(SYNC, json=sync_body(), headers=ORG_KEY).status_code == 201
