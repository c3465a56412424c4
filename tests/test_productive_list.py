"""Productive's list: sort, pagination with the vendor's exact `meta` and
`links` [productive.yaml decision 12], and `include`."""

import random
from datetime import date, timedelta

import pytest

from tests.productive_data import ENTRIES, HEADERS, ORIGIN, OTHER, ids, listed, load, record

NULLS = ["101", "104", "106", "108", "109", "112"]  # entries without jira fields

SORTS = [
    ("sort=date", ["101", "102", "103", "104", "105", "106", "107", "108", "109", "110", "111", "112"]),
    ("sort=-date", ["112", "111", "109", "110", "108", "107", "105", "106", "103", "104", "102", "101"]),
    ("sort=updated_at", ["102", "104", "103", "105", "106", "107", "108", "110", "109", "111", "112", "101"]),
    ("sort=-updated_at", ["101", "112", "111", "109", "110", "108", "107", "106", "105", "103", "104", "102"]),
    ("sort=jira_issue_id", [*NULLS, "107", "111", "102", "103", "105", "110"]),  # null first
    ("sort=-jira_issue_id", ["110", "105", "103", "102", "111", "107", *NULLS]),  # ties by id ascending
    ("sort=jira_issue_status", [*NULLS, "103", "107", "102", "111", "105", "110"]),
    ("sort=-jira_issue_status", ["110", "105", "102", "111", "103", "107", *NULLS]),
    ("sort=jira_issue_summary", [*NULLS, "103", "111", "107", "102", "105", "110"]),
    ("sort=-jira_issue_summary", ["110", "105", "102", "107", "111", "103", *NULLS]),
    (
        "sort=-jira_issue_status,date",
        ["110", "105", "102", "111", "103", "107", "101", "104", "106", "108", "109", "112"],
    ),
    (
        "sort=jira_issue_status,-date",
        ["112", "109", "108", "106", "104", "101", "107", "103", "111", "102", "105", "110"],
    ),
    ("", ["101", "102", "103", "104", "105", "106", "107", "108", "109", "110", "111", "112"]),  # id order
]


@pytest.mark.parametrize(("query", "expected"), SORTS, ids=[query or "unsorted" for query, _ in SORTS])
def test_sort(client, query, expected):
    assert listed(client, query) == expected


def test_sort_and_filter_together(client):
    assert listed(client, "sort=-date&filter[person_id]=8160&filter[after]=2024-01-16") == [
        "112",
        "110",
        "108",
        "106",
        "104",
    ]


# -- pagination ------------------------------------------------------------------------------------


def entries_on(day: str, count: int, first: int = 5000) -> list[dict]:
    return [record(str(first + n), date=day) for n in range(count)]


def link(query: str) -> str:
    return f"{ORIGIN}{ENTRIES}?{query}"


def test_the_seeds_empty_page(client):
    """productive.yaml example `ListFilteredEmptyResponse`: GET /time_entries?filter[after]=2019-10-21&sort=date with
    nothing to show."""
    response = client.get(f"{ENTRIES}?filter[after]=2030-10-21&sort=date", headers=HEADERS)
    assert response.json() == {
        "data": [],
        "links": {
            "first": link("filter%5Bafter%5D=2030-10-21&page%5Bnumber%5D=1&page%5Bsize%5D=30&sort=date"),
            "last": link("filter%5Bafter%5D=2030-10-21&page%5Bnumber%5D=0&page%5Bsize%5D=30&sort=date"),
        },
        "meta": {"current_page": 1, "total_pages": 0, "total_count": 0, "page_size": 30, "max_page_size": 200},
    }


def test_the_seeds_single_page(client, server):
    """productive.yaml example `ListResponse`: GET /time_entries with one entry."""
    load(server, record("5000"))
    body = client.get(f"{ENTRIES}?filter[date]=2030-01-01", headers=HEADERS).json()
    assert list(body) == ["data", "links", "meta"]
    assert body["links"] == {
        "first": link("filter%5Bdate%5D=2030-01-01&page%5Bnumber%5D=1&page%5Bsize%5D=30"),
        "last": link("filter%5Bdate%5D=2030-01-01&page%5Bnumber%5D=1&page%5Bsize%5D=30"),
    }
    assert body["meta"] == {
        "current_page": 1,
        "total_pages": 1,
        "total_count": 1,
        "page_size": 30,
        "max_page_size": 200,
    }


def test_links_without_a_query_are_the_seeds(client):
    links = client.get(ENTRIES, headers=HEADERS).json()["links"]
    assert links["first"] == link("page%5Bnumber%5D=1&page%5Bsize%5D=30")
    assert links["last"] == link("page%5Bnumber%5D=1&page%5Bsize%5D=30")


@pytest.mark.parametrize(
    ("count", "size", "pages", "last_page_count"),
    [(0, None, 0, 0), (1, None, 1, 1), (30, None, 1, 30), (31, None, 2, 1), (200, 200, 1, 200), (201, 200, 2, 1)],
)
def test_pagination_arithmetic_at_the_edges(client, server, count, size, pages, last_page_count):
    load(server, *entries_on("2030-01-01", count))
    size_query = f"&page[size]={size}" if size else ""
    first = client.get(f"{ENTRIES}?filter[date]=2030-01-01{size_query}", headers=HEADERS).json()
    page_size = size or 30
    assert first["meta"] == {
        "current_page": 1,
        "total_pages": pages,
        "total_count": count,
        "page_size": page_size,
        "max_page_size": 200,
    }
    assert len(first["data"]) == min(count, page_size)
    last = client.get(f"{ENTRIES}?filter[date]=2030-01-01{size_query}&page[number]={max(pages, 1)}", headers=HEADERS)
    assert len(last.json()["data"]) == last_page_count
    everything = []
    for number in range(1, pages + 1):
        page = client.get(f"{ENTRIES}?filter[date]=2030-01-01{size_query}&page[number]={number}", headers=HEADERS)
        everything += ids(page)
    assert everything == [str(5000 + n) for n in range(count)]


def test_a_size_above_200_is_answered_as_200(client, server):
    load(server, *entries_on("2030-01-01", 201))
    body = client.get(f"{ENTRIES}?filter[date]=2030-01-01&page[size]=201", headers=HEADERS).json()
    assert len(body["data"]) == 200
    assert body["meta"] == {
        "current_page": 1,
        "total_pages": 2,
        "total_count": 201,
        "page_size": 200,
        "max_page_size": 200,
    }
    assert body["links"]["next"] == link("filter%5Bdate%5D=2030-01-01&page%5Bnumber%5D=2&page%5Bsize%5D=200")


def test_prev_and_next_appear_when_those_pages_exist(client, server):
    load(server, *entries_on("2030-01-01", 5))
    query = "filter%5Bdate%5D=2030-01-01&page%5Bnumber%5D={}&page%5Bsize%5D=2&sort=-date"
    body = client.get(
        f"{ENTRIES}?sort=-date&filter[date]=2030-01-01&page[size]=2&page[number]=2", headers=HEADERS
    ).json()
    assert body["links"] == {
        "first": link(query.format(1)),
        "prev": link(query.format(1)),
        "next": link(query.format(3)),
        "last": link(query.format(3)),
    }
    assert body["meta"]["current_page"] == 2
    first = client.get(f"{ENTRIES}?sort=-date&filter[date]=2030-01-01&page[size]=2", headers=HEADERS).json()
    assert set(first["links"]) == {"first", "next", "last"}
    last = client.get(f"{ENTRIES}?sort=-date&filter[date]=2030-01-01&page[size]=2&page[number]=3", headers=HEADERS)
    assert set(last.json()["links"]) == {"first", "prev", "last"}


def test_a_page_past_the_last_is_empty(client, server):
    load(server, *entries_on("2030-01-01", 3))
    body = client.get(f"{ENTRIES}?filter[date]=2030-01-01&page[number]=7", headers=HEADERS).json()
    assert body["data"] == []
    assert body["meta"] == {
        "current_page": 7,
        "total_pages": 1,
        "total_count": 3,
        "page_size": 30,
        "max_page_size": 200,
    }
    assert set(body["links"]) == {"first", "last"}


def test_links_keep_every_parameter_sorted_and_encoded(client):
    query = "include=person&filter[$op]=or&filter[0][person_id]=8160,8161&sort=-date&filter[1][date][gt_eq]=2024-01-01"
    links = client.get(f"{ENTRIES}?{query}&page[size]=5", headers=HEADERS).json()["links"]
    assert links["first"] == link(
        "filter%5B%24op%5D=or&filter%5B0%5D%5Bperson_id%5D=8160%2C8161&filter%5B1%5D%5Bdate%5D%5Bgt_eq%5D=2024-01-01"
        "&include=person&page%5Bnumber%5D=1&page%5Bsize%5D=5&sort=-date"
    )


def test_links_are_built_from_the_requests_own_origin(client):
    response = client.get("http://api-test.example:9000" + ENTRIES, headers=HEADERS)
    assert response.json()["links"]["first"] == (
        "http://api-test.example:9000/productive/api/v2/time_entries?page%5Bnumber%5D=1&page%5Bsize%5D=30"
    )


@pytest.mark.parametrize(
    "query", ["page[number]=0", "page[size]=0", "page[number]=x", "page[size]=-1", "page[number][x]=1"]
)
def test_a_malformed_page_is_400(client, query):
    response = client.get(f"{ENTRIES}?{query}", headers=HEADERS)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["status"], error["title"]) == ("400", "Bad Request")


# -- include ---------------------------------------------------------------------------------------


def test_without_include_relationships_only_say_not_included(client):
    data = client.get(f"{ENTRIES}?filter[id]=103", headers=HEADERS).json()["data"][0]
    assert data["relationships"]["organization"] == {"data": {"type": "organizations", "id": "1001"}}
    assert all(
        value == {"meta": {"included": False}}
        for name, value in data["relationships"].items()
        if name != "organization"
    )


def test_include_fills_included_once_and_the_relationships(client):
    body = client.get(f"{ENTRIES}?filter[id]=102,110,103&include=person,service,task", headers=HEADERS).json()
    by_id = {item["id"]: item["relationships"] for item in body["data"]}
    assert by_id["102"]["person"] == {"data": {"type": "people", "id": "8160"}}
    assert by_id["102"]["service"] == {"data": {"type": "services", "id": "1192"}}
    assert by_id["102"]["task"] == {"data": {"type": "tasks", "id": "444"}}
    assert by_id["103"]["task"] == {"data": {"type": "tasks", "id": "445"}}
    assert by_id["102"]["approver"] == {"meta": {"included": False}}
    assert body["included"] == [
        {
            "id": "8160",
            "type": "people",
            "attributes": {"first_name": "Ana", "last_name": "Kovac", "email": "ana.kovac@acme.example"},
        },
        {"id": "1192", "type": "services", "attributes": {"name": "Design"}},
        {"id": "444", "type": "tasks", "attributes": {"title": "Landing page mockups"}},
        {
            "id": "8161",
            "type": "people",
            "attributes": {"first_name": "Ben", "last_name": "Horvat", "email": "ben.horvat@acme.example"},
        },
        {"id": "1193", "type": "services", "attributes": {"name": "Development"}},
        {"id": "445", "type": "tasks", "attributes": {"title": "API client"}},
    ]
    assert list(body) == ["data", "included", "links", "meta"]


def test_include_of_an_empty_relationship_gives_null_or_an_empty_list(client):
    body = client.get(
        f"{ENTRIES}/105?include=task,approver,rejecter,timesheet,approval_statuses", headers=HEADERS
    ).json()
    relationships = body["data"]["relationships"]
    assert relationships["task"] == {"data": None}
    assert relationships["approver"] == {"data": None}
    assert relationships["timesheet"] == {"data": None}
    assert relationships["approval_statuses"] == {"data": []}
    assert body["included"] == []


def test_include_of_people_subsidiaries_and_the_organization(client):
    query = "include=approver,rejecter,creator,updater,last_actor,person_subsidiary,deal_subsidiary,organization"
    body = client.get(f"{ENTRIES}/104?{query}", headers=HEADERS).json()
    relationships = body["data"]["relationships"]
    assert relationships["rejecter"] == {"data": {"type": "people", "id": "8161"}}
    assert relationships["approver"] == {"data": None}
    assert relationships["creator"] == {"data": {"type": "people", "id": "8160"}}
    assert relationships["updater"] == {"data": {"type": "people", "id": "8161"}}
    assert relationships["person_subsidiary"] == {"data": {"type": "subsidiaries", "id": "301"}}
    assert relationships["deal_subsidiary"] == {"data": {"type": "subsidiaries", "id": "301"}}
    assert [(item["type"], item["id"]) for item in body["included"]] == [
        ("organizations", "1001"),
        ("people", "8161"),
        ("people", "8160"),
        ("subsidiaries", "301"),
    ]
    assert body["included"][0]["attributes"] == {"name": "Acme Studio"}


# -- the index paths agree with a plain reading of the rules -----------------------------------------

PEOPLE, SERVICES = ["8160", "8161"], ["1192", "1193"]


def random_entries(count: int) -> list[dict]:
    chooser = random.Random(20261122)
    start = date(2023, 1, 1)
    return [
        record(
            str(7000 + n),
            date=(start + timedelta(days=chooser.randrange(900))).isoformat(),
            person=chooser.choice(PEOPLE),
            service=chooser.choice(SERVICES),
            time=chooser.randrange(0, 600, 15),
            approved=chooser.random() < 0.3,
            jira_issue_id=chooser.choice([None, "A-1", "A-2", "B-1"]),
            updated_at=f"2025-0{chooser.randrange(1, 10)}-1{chooser.randrange(10)}T10:00:00.000+02:00",
        )
        for n in range(count)
    ]


def reference(entries, keep, sort_fields):
    chosen = sorted((entry for entry in entries if keep(entry)), key=lambda entry: int(entry["id"]))
    for field in reversed(sort_fields):
        name = field.lstrip("-")
        chosen.sort(key=lambda e, n=name: (0, "") if e.get(n) is None else (1, e[n]), reverse=field.startswith("-"))
    return [entry["id"] for entry in chosen]


QUERIES = [
    ("filter[person_id]=8160&filter[after]=2024-01-01",
     lambda e: e["person_id"] == "8160" and e["date"] >= "2024-01-01"),
    ("filter[person_id]=8161&filter[date][gt]=2024-06-30&filter[date][lt_eq]=2024-09-01",
     lambda e: e["person_id"] == "8161" and "2024-06-30" < e["date"] <= "2024-09-01"),
    ("filter[service_id]=1193&filter[status]=1", lambda e: e["service_id"] == "1193" and e["approved"]),
    ("filter[id]=7001,7002,7003", lambda e: e["id"] in ("7001", "7002", "7003")),
    ("filter[before]=2023-03-01", lambda e: e["date"] <= "2023-03-01"),
    ("filter[$op]=or&filter[0][person_id]=8160&filter[1][time][gt]=500",
     lambda e: e["person_id"] == "8160" or e["time"] > 500),
    ("filter[jira_issue_id][contains]=a&filter[date][lt]=2024-01-01",
     lambda e: e["jira_issue_id"] in ("A-1", "A-2") and e["date"] < "2024-01-01"),
    ("", lambda e: True),
]  # fmt: skip


@pytest.mark.parametrize("partition_min", [1, 2000])
@pytest.mark.parametrize("sort", ["", "date", "-date", "updated_at", "-jira_issue_id", "-date,jira_issue_id"])
@pytest.mark.parametrize(("query", "keep"), QUERIES, ids=[query or "all" for query, _ in QUERIES])
def test_indexed_answers_match_the_rules(client, server, monkeypatch, query, keep, sort, partition_min):
    """Large candidate sets are read from the sorted orders (of the organization, or of one person's
    entries), small ones sorted directly: all agree with filtering and sorting every entry by hand."""
    monkeypatch.setattr("mockserver.vendors.productive.query.PARTITION_MIN", partition_min)
    load(server, *random_entries(400))
    entries = server.store.find("productive.time_entries", "organization_id", "1001")
    parts = [part for part in (query, f"sort={sort}" if sort else "") if part]
    expected = reference(entries, keep, sort.split(",") if sort else [])
    assert len(expected) >= 3
    assert listed(client, "&".join(parts)) == expected


@pytest.mark.parametrize("partition_min", [1, 2000])
def test_indexes_follow_writes(client, server, monkeypatch, partition_min):
    monkeypatch.setattr("mockserver.vendors.productive.query.PARTITION_MIN", partition_min)
    load(server, *random_entries(100))
    query = "sort=-date&filter[person_id]=8160&filter[date][gt_eq]=2023-01-01"
    write = {**HEADERS, "Content-Type": "application/vnd.api+json"}
    before = listed(client, query)
    moved, gone, other = before[-1], before[0], before[1]
    body = {"data": {"type": "time_entries", "attributes": {"date": "2029-12-31"}}}
    assert client.patch(f"{ENTRIES}/{moved}", json=body, headers=write).status_code == 200
    assert listed(client, query) == [moved, *before[:-1]]
    assert client.delete(f"{ENTRIES}/{gone}", headers=HEADERS).status_code == 204
    assert listed(client, query) == [moved, *before[1:-1]]
    body = {"data": {"type": "time_entries", "relationships": {"person": {"data": {"type": "people", "id": "8161"}}}}}
    assert client.patch(f"{ENTRIES}/{other}", json=body, headers=write).status_code == 200
    assert listed(client, query) == [moved, *before[2:-1]]
    assert other in listed(client, "sort=-date&filter[person_id]=8161&filter[date][gt_eq]=2023-01-01")
    server.reset()
    assert listed(client, query) == [
        "112",
        "110",
        "108",
        "106",
        "104",
        "102",
    ]


def test_the_benchmarks_entries_load_and_answer(client, server):
    from mockserver.vendors.productive.bench_data import entries

    server.load_fixtures(entries(300))
    server.load_fixtures(entries(50, "1002", first_id=2_000_000))
    body = client.get(f"{ENTRIES}?filter[person_id]=8160&filter[after]=2024-01-01&sort=-date", headers=HEADERS).json()
    assert body["meta"]["total_count"] > 30
    days = [item["attributes"]["date"] for item in body["data"]]
    assert days == sorted(days, reverse=True) and days[-1] >= "2024-01-01"
    assert len(listed(client, headers=OTHER)) == 52
