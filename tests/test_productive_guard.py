"""Productive: token and organization headers, read-only tokens, JSON:API content negotiation and the
isolation of organizations — checked in the order 401 → 403 → 415 → input."""

import json

import pytest

from tests.productive_data import (
    APPROVED,
    CONTENT_TYPE,
    ENTRIES,
    HEADERS,
    JSON_API,
    OTHER,
    OTHER_ORG_ENTRY,
    READ_ONLY,
    READ_ONLY_TOKEN,
    TOKEN,
    UNAPPROVED,
    WRITE,
    create_body,
    entry_path,
    listed,
    update_body,
)

OPERATIONS = [
    ("get", ENTRIES, None),
    ("post", ENTRIES, create_body()),
    ("get", entry_path(UNAPPROVED), None),
    ("patch", entry_path(UNAPPROVED), update_body(note="x")),
    ("delete", entry_path(UNAPPROVED), None),
    ("patch", entry_path(UNAPPROVED, "approve"), None),
    ("patch", entry_path(APPROVED, "unapprove"), None),
    ("patch", entry_path(UNAPPROVED, "reject"), None),
    ("patch", entry_path(UNAPPROVED, "unreject"), None),
    ("patch", f"{ENTRIES}/bulk_approve", {"ids": [int(UNAPPROVED)]}),
    ("patch", f"{ENTRIES}/bulk_unapprove", {"ids": [int(APPROVED)]}),
]
WRITES = [operation for operation in OPERATIONS if operation[0] != "get"]


def call(client, method, path, body, headers):
    content = None if body is None else json.dumps(body).encode()
    extra = {"Content-Type": JSON_API} if body is not None else {}
    return client.request(method, path, content=content, headers={**headers, **extra})


def error(status, detail):
    return {
        "errors": [{"status": str(status), "title": {401: "Unauthorized", 403: "Forbidden"}[status], "detail": detail}]
    }


def assert_error(response, status, body):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == CONTENT_TYPE
    assert response.json() == body


@pytest.mark.parametrize(("method", "path", "body"), OPERATIONS)
def test_a_missing_token_is_401(client, method, path, body):
    response = call(client, method, path, body, {"X-Organization-Id": "1001"})
    assert_error(response, 401, error(401, "X-Auth-Token is missing or invalid"))


@pytest.mark.parametrize(("method", "path", "body"), OPERATIONS)
def test_an_unknown_token_is_401(client, method, path, body):
    response = call(client, method, path, body, {"X-Auth-Token": "pat_nope", "X-Organization-Id": "1001"})
    assert_error(response, 401, error(401, "X-Auth-Token is missing or invalid"))


@pytest.mark.parametrize(("method", "path", "body"), OPERATIONS)
def test_a_missing_organization_is_401(client, method, path, body):
    response = call(client, method, path, body, {"X-Auth-Token": TOKEN})
    assert_error(response, 401, error(401, "X-Organization-Id is missing"))


@pytest.mark.parametrize(("method", "path", "body"), OPERATIONS)
@pytest.mark.parametrize("organization", ["1002", "9999"])
def test_a_token_used_for_another_organization_is_403(client, method, path, body, organization):
    response = call(client, method, path, body, {"X-Auth-Token": TOKEN, "X-Organization-Id": organization})
    assert_error(response, 403, error(403, "The token has no access to this organization"))


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_a_read_only_token_cannot_write(client, server, method, path, body):
    before = client.get(entry_path(UNAPPROVED), headers=READ_ONLY).json()
    response = call(client, method, path, body, READ_ONLY)
    assert_error(response, 403, error(403, "The token is read-only"))
    assert client.get(entry_path(UNAPPROVED), headers=READ_ONLY).json() == before
    assert server.store.count("productive.time_entries") == 14


def test_a_read_only_token_reads(client):
    assert client.get(ENTRIES, headers=READ_ONLY).status_code == 200
    assert client.get(entry_path(UNAPPROVED), headers=READ_ONLY).status_code == 200


def test_403_comes_before_input_validation(client):
    response = client.post(ENTRIES, content=b"{not json", headers={**READ_ONLY, "Content-Type": JSON_API})
    assert_error(response, 403, error(403, "The token is read-only"))
    response = client.get(f"{ENTRIES}?filter[nope]=1", headers={"X-Auth-Token": TOKEN, "X-Organization-Id": "1002"})
    assert response.status_code == 403


def test_401_comes_before_403(client):
    response = client.get(ENTRIES, headers={"X-Auth-Token": READ_ONLY_TOKEN + "x", "X-Organization-Id": "1002"})
    assert response.status_code == 401


# -- content negotiation ---------------------------------------------------------------------------

UNSUPPORTED_MEDIA_TYPE = {
    "errors": [
        {"status": "415", "title": "Unsupported Media Type", "detail": "Content-Type must be application/vnd.api+json"}
    ]
}
BODY_WRITES = [operation for operation in WRITES if operation[2] is not None]


@pytest.mark.parametrize(("method", "path", "body"), BODY_WRITES)
@pytest.mark.parametrize("content_type", ["application/json", "text/plain", None])
def test_a_body_that_is_not_json_api_is_415(client, server, method, path, body, content_type):
    headers = {**HEADERS, **({"Content-Type": content_type} if content_type else {})}
    response = client.request(method, path, content=json.dumps(body).encode(), headers=headers)
    assert_error(response, 415, UNSUPPORTED_MEDIA_TYPE)
    assert server.store.count("productive.time_entries") == 14


def test_415_comes_after_403(client):
    headers = {**READ_ONLY, "Content-Type": "application/json"}
    response = client.post(ENTRIES, content=json.dumps(create_body()).encode(), headers=headers)
    assert response.status_code == 403


def test_json_api_with_a_charset_is_accepted(client):
    headers = {**HEADERS, "Content-Type": f"{JSON_API}; charset=utf-8"}
    assert client.post(ENTRIES, content=json.dumps(create_body()).encode(), headers=headers).status_code == 201


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", ENTRIES, 200),
        ("get", entry_path(UNAPPROVED), 200),
        ("patch", entry_path(UNAPPROVED, "approve"), 200),
        ("patch", entry_path(APPROVED, "unapprove"), 200),
        ("patch", entry_path(UNAPPROVED, "reject"), 200),
        ("delete", entry_path(UNAPPROVED), 204),
    ],
)
def test_requests_without_a_body_may_carry_the_json_api_content_type(client, method, path, status):
    """Real clients send it on every request (specs/productive.yaml, Conventions)."""
    assert client.request(method, path, headers=WRITE).status_code == status


def test_every_answer_is_json_api(client):
    for response in (
        client.get(ENTRIES, headers=HEADERS),
        client.get(entry_path("99999"), headers=HEADERS),
        client.get(ENTRIES, headers={}),
        client.post(ENTRIES, json=create_body(), headers=WRITE),
    ):
        assert response.headers["content-type"] == CONTENT_TYPE


# -- isolation -------------------------------------------------------------------------------------


def test_organizations_never_see_each_others_entries(client):
    assert OTHER_ORG_ENTRY not in listed(client)
    assert listed(client, headers=OTHER) == ["201", "202"]
    assert listed(client, f"filter[id]={OTHER_ORG_ENTRY}") == []


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", entry_path(OTHER_ORG_ENTRY), None),
        ("patch", entry_path(OTHER_ORG_ENTRY), update_body(note="mine now")),
        ("delete", entry_path(OTHER_ORG_ENTRY), None),
        ("patch", entry_path(OTHER_ORG_ENTRY, "approve"), None),
        ("patch", entry_path(OTHER_ORG_ENTRY, "reject"), None),
        ("patch", f"{ENTRIES}/bulk_approve", {"ids": [int(OTHER_ORG_ENTRY)]}),
    ],
)
def test_another_organizations_entry_is_404_and_unchanged(client, method, path, body):
    before = client.get(entry_path(OTHER_ORG_ENTRY), headers=OTHER).json()
    response = call(client, method, path, body, HEADERS)
    assert_error_404 = {"errors": [{"status": "404", "title": "Not Found", "detail": "Record not found"}]}
    assert response.status_code == 404
    assert response.json() == assert_error_404
    assert client.get(entry_path(OTHER_ORG_ENTRY), headers=OTHER).json() == before


@pytest.mark.parametrize(
    ("relationship", "record"),
    [("person", {"person": "9160"}), ("service", {"service": "2192"}), ("task", {"task": "2444"})],
)
def test_a_related_record_of_another_organization_is_404(client, server, relationship, record):
    response = client.post(ENTRIES, json=create_body(**record), headers=WRITE)
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


def test_the_other_organization_works_with_its_own_records(client):
    response = client.post(ENTRIES, json=create_body(person="9160", service="2192", task="2444"), headers=OTHER)
    assert response.status_code == 201
    created = response.json()["data"]
    assert created["relationships"]["organization"] == {"data": {"type": "organizations", "id": "1002"}}
    assert created["id"] not in listed(client)
    assert created["id"] in listed(client, headers=OTHER)
