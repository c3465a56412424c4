"""Every bad input gets a 4xx in Align's envelope, and a rejected request changes nothing."""

import pytest

from tests.align_data import ORG_KEY, SYNC, WEB, entry_path, log_body, log_path, sync_body

ENVELOPE_KEYS = {"error", "reason", "message"}


def assert_rejected(server, response, status, reason):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert ENVELOPE_KEYS <= set(body) <= ENVELOPE_KEYS | {"details"}
    assert body["reason"] == reason
    assert server.store.count("align.time_entries") == 4  # the fixtures' entries, nothing more


def post_raw(client, path, content, content_type="application/json"):
    return client.post(path, content=content, headers={**ORG_KEY, "content-type": content_type})


@pytest.mark.parametrize("path", [SYNC, log_path()])
def test_malformed_json_is_400(client, server, path):
    assert_rejected(server, post_raw(client, path, b'{"minutes": '), 400, "validation_error")


@pytest.mark.parametrize("content", [b"\xff\xfe\x00", b'{"a": "\xc3\x28"}'])
def test_body_that_is_not_utf8_is_400(client, server, content):
    assert_rejected(server, post_raw(client, SYNC, content), 400, "validation_error")


def test_non_finite_numbers_are_not_json(client, server):
    assert_rejected(server, post_raw(client, SYNC, b'{"minutes": NaN}'), 400, "validation_error")


def test_empty_body_is_400(client, server):
    assert_rejected(server, post_raw(client, SYNC, b""), 400, "validation_error")


@pytest.mark.parametrize("content", [b"[]", b'"text"', b"42", b"null"])
def test_body_that_is_not_an_object_is_400(client, server, content):
    assert_rejected(server, post_raw(client, SYNC, content), 400, "validation_error")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"])
def test_wrong_content_type_is_415(client, server, content_type):
    response = post_raw(client, SYNC, b'{"a": 1}', content_type)
    assert_rejected(server, response, 415, "unsupported_media_type")
    assert response.json()["error"] == "unsupported_media_type"


def test_body_over_one_mebibyte_is_413(client, server):
    big = b'{"description": "' + b"x" * (1024 * 1024) + b'"}'
    response = post_raw(client, SYNC, big)
    assert_rejected(server, response, 413, "payload_too_large")
    assert response.json()["error"] == "payload_too_large"


def test_chunked_body_over_one_mebibyte_is_413(client, server):
    def chunks():
        for _ in range(20):
            yield b"x" * 65536

    response = client.post(SYNC, content=chunks(), headers={**ORG_KEY, "content-type": "application/json"})
    assert_rejected(server, response, 413, "payload_too_large")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"unexpected": 1}, "unexpected"),
        ({"minutes": "150"}, "minutes"),
        ({"minutes": 1.5}, "minutes"),
        ({"minutes": 0}, "minutes"),
        ({"minutes": 1441}, "minutes"),
        ({"projectId": ""}, "projectId"),
        ({"projectId": "not-a-uuid"}, "projectId"),
        ({"userId": 7}, "userId"),
        ({"externalSystem": ""}, "externalSystem"),
        ({"externalId": ""}, "externalId"),
        ({"workDate": ""}, "workDate"),
        ({"workDate": "2025-02-30"}, "workDate"),
        ({"workDate": "15/01/2025"}, "workDate"),
        ({"workDate": "2025-01-15T25:00:00Z"}, "workDate"),
        ({"billable": "yes"}, "billable"),
        ({"description": "x" * 2001}, "description"),
        ({"entryId": "nope"}, "entryId"),
        ({"externalMetadata": [1]}, "externalMetadata"),
    ],
)
def test_sync_rejects_bad_fields_naming_them(client, server, changes, field):
    response = client.post(SYNC, json=sync_body(**changes), headers=ORG_KEY)
    assert_rejected(server, response, 400, "validation_error")
    assert field in [detail["field"] for detail in response.json()["details"]]


@pytest.mark.parametrize("missing", ["projectId", "userId", "workDate", "minutes", "externalSystem", "externalId"])
def test_sync_requires_its_fields(client, server, missing):
    body = sync_body()
    del body[missing]
    response = client.post(SYNC, json=body, headers=ORG_KEY)
    assert_rejected(server, response, 400, "validation_error")
    assert {"location": "body", "field": missing, "issue": "is required"} in response.json()["details"]


@pytest.mark.parametrize(
    "changes",
    [
        {"externalRef": {"provider": "jira", "externalType": "worklog"}},
        {"externalRef": {"provider": "", "externalType": "worklog", "externalId": "1"}},
        {"externalRef": {"provider": "jira", "externalType": "worklog", "externalId": "1", "x": 1}},
        {"releaseId": "nope"},
        {"minutes": None, "hours": 2.5},
    ],
)
def test_log_rejects_bad_fields(client, server, changes):
    body = log_body(**changes)
    assert_rejected(server, client.post(log_path(), json=body, headers=ORG_KEY), 400, "validation_error")


def test_malformed_project_id_in_the_path_is_400(client, server):
    response = client.post(log_path("web"), json=log_body(), headers=ORG_KEY)
    assert_rejected(server, response, 400, "validation_error")


def test_unknown_query_parameters_are_400(client, server):
    response = client.post(f"{SYNC}?dryRun=true", json=sync_body(), headers=ORG_KEY)
    assert_rejected(server, response, 400, "validation_error")


def test_unknown_route_is_404_in_the_envelope(client):
    response = client.get("/align/api/v1/time-entries", headers=ORG_KEY)
    assert response.status_code == 404
    assert response.json()["reason"] == "not_found"


def test_unknown_method_is_405_with_allow(client):
    response = client.delete(entry_path("a4000000-0000-4000-8000-000000000001"), headers=ORG_KEY)
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD"}
    assert response.json()["error"] == "method_not_allowed"


def test_the_framework_problem_json_never_shows(client):
    responses = [
        post_raw(client, SYNC, b"{"),
        post_raw(client, SYNC, b"x", "text/plain"),
        client.get(entry_path("x"), headers=ORG_KEY),
        client.get(entry_path("x")),
        client.post(log_path(WEB), json={}, headers=ORG_KEY),
    ]
    for response in responses:
        assert response.headers["content-type"] == "application/json"
        assert "title" not in response.json() and "type" not in response.json()
