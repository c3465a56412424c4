"""Productive: malformed input of every kind gets a 4xx in the vendor's JSON:API envelope, never a
500, and a rejected request changes nothing."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import reset
from tests.productive_data import CONTENT_TYPE, ENTRIES, HEADERS, JSON_API, UNAPPROVED, entry_path


def assert_bad_request(server, response, status=400):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == CONTENT_TYPE
    errors = response.json()["errors"]
    assert errors and all(error["status"] in (str(status), status) for error in errors)
    assert all(isinstance(error["title"], str) and error["title"] for error in errors)
    assert server.store.count("productive.time_entries") == 14


def post_raw(client, content, path=ENTRIES, method="post"):
    return client.request(method, path, content=content, headers={**HEADERS, "Content-Type": JSON_API})


@pytest.mark.parametrize("path", [ENTRIES, entry_path(UNAPPROVED)])
def test_malformed_json_is_400(client, server, path):
    method = "post" if path == ENTRIES else "patch"
    response = post_raw(client, b'{"data": ', path, method)
    assert_bad_request(server, response)
    assert response.json()["errors"][0]["detail"].startswith("Request body is not valid JSON")


@pytest.mark.parametrize("content", [b"\xff\xfe\x00", b'{"data": "\xc3\x28"}'])
def test_a_body_that_is_not_utf8_is_400(client, server, content):
    response = post_raw(client, content)
    assert_bad_request(server, response)
    assert response.json() == {
        "errors": [{"status": "400", "title": "Bad Request", "detail": "Request body is not valid UTF-8 text"}]
    }


@pytest.mark.parametrize("content", [b"", b"[]", b'"text"', b"42", b"null", b'{"data": NaN}', b"{}"])
def test_a_body_that_is_not_a_document_is_400(client, server, content):
    assert_bad_request(server, post_raw(client, content))


def test_a_body_over_one_mebibyte_is_413(client, server):
    big = b'{"data": {"attributes": {"note": "' + b"x" * (1024 * 1024) + b'"}}}'
    response = post_raw(client, big)
    assert response.status_code == 413
    assert response.json() == {
        "errors": [{"status": "413", "title": "Payload Too Large", "detail": "The request body exceeds 1048576 bytes."}]
    }


def test_an_unknown_query_parameter_is_400(client):
    response = client.get(f"{ENTRIES}?colour=blue", headers=HEADERS)
    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"status": "400", "title": "Bad Request", "detail": "colour is not a known parameter"}]
    }


@pytest.mark.parametrize(
    "query",
    [
        "page[number][x]=1",
        "page[size][]=3",
        "page=5",
        "page=ab",
        "page[x]=1",
        "filter=abc",
        "filter[]=1",
        "filter[date][gt][x]=2024-01-01",
        "filter[0]=abc",
        "filter[0][1]=x",
        "filter[$op][x]=and",
        "filter[date]=2024-01-01&filter[date][gt]=2024-01-01",
        "filter[date][gt]=2024-01-01&filter[date]=2024-01-01",
        "sort=",
        "sort=--date",
        "include=",
        "include=,",
        "filter[person_id]=" + "9" * 400,
        "filter[date][lt]=0001-01-01&filter[date][gt]=9999-12-31",
    ],
)
def test_odd_queries_never_fail_the_fake(client, query):
    response = client.get(f"{ENTRIES}?{query}", headers=HEADERS)
    assert response.status_code in (200, 400, 422), response.text
    assert response.headers["content-type"] == CONTENT_TYPE
    if response.status_code != 200:
        assert response.json()["errors"]


QUERY_KEYS = st.sampled_from(
    ["filter", "sort", "include", "page", "$op", "0", "9", "date", "after", "person_id", "status", "time", "gt_eq",
     "not_contain", "jira_issue_id", "number", "size", "", "x"]
)  # fmt: skip
QUERY_VALUES = st.sampled_from(["", "1", "0", "-1", "true", "2024-01-01", "10/21/19", "8160,8161", "and", "or", "date",
                                "-date", "person", "a[b]", "%", "&", "=", "1e3", "\u00e9"])  # fmt: skip


@st.composite
def queries(draw):
    pairs = []
    for _ in range(draw(st.integers(1, 5))):
        keys = draw(st.lists(QUERY_KEYS, min_size=1, max_size=4))
        key = keys[0] + "".join(f"[{k}]" for k in keys[1:])
        pairs.append((key, draw(QUERY_VALUES)))
    return pairs


# Each example starts from the fixtures again: the function-scoped client is shared by the examples.
PER_EXAMPLE_STATE = [HealthCheck.function_scoped_fixture]


@settings(max_examples=150, deadline=None, suppress_health_check=PER_EXAMPLE_STATE)
@given(pairs=queries())
def test_no_list_query_is_a_server_error(server, client, pairs):
    reset(server)
    response = client.get(ENTRIES, params=pairs, headers=HEADERS)
    assert response.status_code in (200, 400, 422), (pairs, response.text)
    assert response.headers["content-type"] == CONTENT_TYPE


@settings(max_examples=60, deadline=None, suppress_health_check=PER_EXAMPLE_STATE)
@given(
    attributes=st.dictionaries(
        st.sampled_from(
            ["date", "time", "billable_time", "note", "started_at", "track_method_id", "calendar_event_id"]
        ),
        st.one_of(st.none(), st.integers(-5, 10**12), st.text(max_size=30), st.sampled_from(["2024-02-30", ""])),
    )
)
def test_no_update_is_a_server_error(server, client, attributes):
    reset(server)
    body = {"data": {"type": "time_entries", "attributes": attributes}}
    response = client.patch(entry_path(UNAPPROVED), json=body, headers={**HEADERS, "Content-Type": JSON_API})
    assert response.status_code in (200, 400, 422), (attributes, response.text)
