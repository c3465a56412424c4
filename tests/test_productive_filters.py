"""Productive: every filter of the spec's `filter` parameter, every operation, logical groups, and the errors for an
unknown filter or a value of the wrong type. Expected ids are organization 1001's fixture entries."""

import pytest

from tests.productive_data import ENTRIES, HEADERS, OTHER, listed

EVERY = ["101", "102", "103", "104", "105", "106", "107", "108", "109", "110", "111", "112"]
DESIGN_ENTRIES = ["101", "102", "105", "106", "109", "110"]  # service 1192
DEVELOPMENT_ENTRIES = ["103", "104", "107", "108", "111", "112"]  # service 1193
BY_ANA = ["101", "102", "104", "106", "108", "110", "111", "112"]  # created by 8160 (111 for Ben)


def but(*excluded: str) -> list[str]:
    return [entry for entry in EVERY if entry not in excluded]


FILTERS = [
    ("filter[after]=2024-03-01", ["108", "109", "110", "111", "112"]),  # inclusive
    ("filter[before]=2024-01-16", ["101", "102", "103", "104"]),  # inclusive
    ("filter[after]=2024-01-16&filter[before]=2024-02-01", ["103", "104", "105", "106"]),
    ("filter[approved_at]=2024-02-05", ["106"]),
    ("filter[approver_id]=8161", ["103", "106", "109"]),
    ("filter[autotracked]=true", ["107"]),
    ("filter[autotracked]=false", but("107")),
    ("filter[billing_type_id]=1", DEVELOPMENT_ENTRIES),
    ("filter[billing_type_id]=2", DESIGN_ENTRIES),
    ("filter[billing_type_id]=3", []),
    ("filter[booking_id]=3001,3002", ["107", "109"]),
    ("filter[budget_id]=601", DESIGN_ENTRIES),
    ("filter[company_id]=702", DEVELOPMENT_ENTRIES),
    ("filter[creator_id]=8160", BY_ANA),
    ("filter[date]=2024-02-01", ["105", "106"]),
    ("filter[deal_id]=602,601", EVERY),
    ("filter[id]=105,101", ["101", "105"]),
    ("filter[invoicing_status]=1", but("106", "108")),
    ("filter[invoicing_status]=2", ["108"]),
    ("filter[invoicing_status]=3", ["106"]),
    ("filter[invoice_attribution_id]=77", ["106"]),
    ("filter[invoice_id]=9001,9002", ["106", "108"]),
    ("filter[invoiced]=true", ["106"]),
    ("filter[invoiced]=false", but("106")),
    ("filter[jira_issue_id]=PROJ-101", ["102"]),
    ("filter[jira_issue_status]=Done", ["103", "107"]),
    ("filter[jira_issue_summary]=Database migration", ["111"]),
    ("filter[jira_worklog_id]=WL-9002", ["107"]),
    ("filter[last_activity_at]=2024-02-29", ["107"]),  # created 23:59:59.999 +02:00
    ("filter[last_actor_id]=8160", BY_ANA),
    ("filter[person_id]=8161", ["103", "105", "107", "109", "111"]),
    ("filter[person_id]=8160,8161", EVERY),
    ("filter[project_id]=501", DESIGN_ENTRIES),
    ("filter[responsible_id]=8160", DEVELOPMENT_ENTRIES),
    ("filter[service_id]=1192", DESIGN_ENTRIES),
    ("filter[started_at]=2024-03-01", ["108"]),  # 2024-02-29T23:30Z is 1 March in +02:00
    ("filter[started_at]=2024-01-16", ["103"]),
    ("filter[status]=1", ["103", "106", "109"]),
    ("filter[status]=2", ["101", "102", "105", "107", "108", "110", "111"]),
    ("filter[status]=3", ["104", "112"]),  # a rejected entry is 3, never 2
    ("filter[status]=5", ["105", "110"]),  # submitted, neither approved nor rejected
    ("filter[status]=6", ["101", "102", "107", "108", "111"]),  # draft
    ("filter[task_id]=444", ["101", "102", "110"]),
    ("filter[task_id]=445,444", ["101", "102", "103", "110"]),
    ("filter[time]=480", ["101", "110"]),
    ("filter[track_method_id]=2,3", ["103", "107"]),
    ("filter[track_method_id]=1", but("103", "107")),
    ("filter[updated_at]=2024-01-20", ["103"]),
    ("filter[person_id]=9160", []),  # another organization's person
]


@pytest.mark.parametrize(("query", "expected"), FILTERS, ids=[query for query, _ in FILTERS])
def test_each_filter(client, query, expected):
    assert listed(client, query) == expected


def test_every_filter_of_the_seed_is_exercised():
    from mockserver.vendors.productive.filters import FILTERS as SUPPORTED

    named = {query.split("]")[0].removeprefix("filter[") for query, _ in FILTERS}
    assert named == set(SUPPORTED)


OPERATIONS = [
    ("filter[date][eq]=2024-01-16", ["103", "104"]),
    ("filter[date][not_eq]=2024-01-16", but("103", "104")),
    ("filter[date][contains]=2024-01-16", ["103", "104"]),  # acts as eq on dates
    ("filter[date][not_contain]=2024-01-16", but("103", "104")),
    ("filter[date][gt]=2024-03-01", ["109", "110", "111", "112"]),
    ("filter[date][gt_eq]=2024-03-01", ["108", "109", "110", "111", "112"]),
    ("filter[date][lt]=2024-01-16", ["101", "102"]),
    ("filter[date][lt_eq]=2024-01-16", ["101", "102", "103", "104"]),
    ("filter[date][gt_eq]=2024-01-01&filter[date][lt]=2024-02-01", ["102", "103", "104"]),  # all must hold
    ("filter[time][gt]=200", ["101", "103", "108", "110"]),
    ("filter[time][gt_eq]=240", ["101", "103", "108", "110"]),
    ("filter[time][lt]=30", ["107", "112"]),
    ("filter[time][lt_eq]=30", ["104", "107", "112"]),
    ("filter[time][not_eq]=480", but("101", "110")),
    ("filter[person_id][eq]=8161", ["103", "105", "107", "109", "111"]),
    ("filter[person_id][not_eq]=8161", BY_ANA[:-2] + ["112"]),
    ("filter[person_id][not_eq]=8160,8161", []),  # none of the list
    ("filter[task_id][not_eq]=444", but("101", "102", "110")),  # entries without a task included
    ("filter[approver_id][gt]=8160", ["103", "106", "109"]),
    ("filter[jira_issue_id][contains]=proj", ["102", "103", "105", "110"]),  # case-insensitive
    ("filter[jira_issue_id][not_contain]=proj", but("102", "103", "105", "110")),
    ("filter[jira_issue_summary][contains]=THE", ["103", "105", "107", "110"]),
    ("filter[jira_issue_id][eq]=proj-104", ["110"]),  # eq is exact
    ("filter[jira_issue_id][not_eq]=OPS-7", but("107")),
    ("filter[jira_issue_id][gt]=PROJ-102", ["105", "110"]),
    ("filter[jira_issue_status][lt_eq]=Done", ["103", "107"]),
    ("filter[invoiced][eq]=true", ["106"]),
    ("filter[invoiced][not_eq]=true", but("106")),
    ("filter[status][not_eq]=2", ["103", "104", "106", "109", "112"]),
    ("filter[status][eq]=1", ["103", "106", "109"]),
    ("filter[updated_at][gt_eq]=2025-07-01", ["101", "111", "112"]),
    ("filter[updated_at][lt]=2024-01-17", ["102"]),
    ("filter[approved_at][lt]=2024-03-05", ["103", "106"]),
    ("filter[service_id][not_eq]=1192", DEVELOPMENT_ENTRIES),
    ("filter[project_id][not_eq]=501", DEVELOPMENT_ENTRIES),
    ("filter[billing_type_id][gt]=1", DESIGN_ENTRIES),
    ("filter[invoicing_status][gt_eq]=2", ["106", "108"]),
    ("filter[id][lt]=103", ["101", "102"]),
]


@pytest.mark.parametrize(("query", "expected"), OPERATIONS, ids=[query for query, _ in OPERATIONS])
def test_each_operation(client, query, expected):
    assert listed(client, query) == expected


def test_every_operation_is_exercised():
    from mockserver.vendors.productive.filters import OPERATIONS as SUPPORTED

    used = {query.split("][")[1].split("]")[0] for query, _ in OPERATIONS}
    assert used == set(SUPPORTED)


GROUPS = [
    # the spec's own example: entries of 1 Oct 2016, or entries of person 8160 on service 1192
    (
        "filter[$op]=or&filter[0][date][eq]=2016-10-01&filter[1][$op]=and"
        "&filter[1][0][person_id]=8160&filter[1][1][service_id]=1192",
        ["101", "102", "106", "110"],
    ),
    ("filter[$op]=or&filter[person_id]=8161&filter[status]=3", ["103", "104", "105", "107", "109", "111", "112"]),
    ("filter[$op]=and&filter[person_id]=8161&filter[status]=1", ["103", "109"]),
    ("filter[person_id]=8161&filter[status]=1", ["103", "109"]),  # and without $op
    ("filter[0][person_id]=8161&filter[1][status]=1", ["103", "109"]),
    (
        "filter[person_id]=8160&filter[0][$op]=or&filter[0][0][status]=3&filter[0][1][invoiced]=true",
        ["104", "106", "112"],
    ),
    ("filter[$op]=or&filter[0][after]=2025-01-01&filter[1][before]=2016-12-31", ["101", "111", "112"]),
    ("filter[$op]=or&filter[0][id]=101&filter[1][id]=102&filter[2][jira_issue_id]=OPS-8", ["101", "102", "111"]),
    (
        "filter[$op]=or&filter[0][$op]=and&filter[0][0][service_id]=1193&filter[0][1][time][gt]=100"
        "&filter[1][$op]=and&filter[1][0][service_id]=1192&filter[1][1][status]=1",
        ["103", "106", "108", "109", "111"],
    ),
    # the operations of one filter must all hold, even in an `or`
    ("filter[$op]=or&filter[date][gt_eq]=2025-01-01&filter[date][lt]=2016-10-02", []),
    ("filter[$op]=or&filter[1][$op]=or", EVERY),  # an empty group holds for every entry
]


@pytest.mark.parametrize(("query", "expected"), GROUPS, ids=[query for query, _ in GROUPS])
def test_logical_groups(client, query, expected):
    assert listed(client, query) == expected


def test_filters_never_reach_another_organization(client):
    assert listed(client, "filter[person_id]=9160", headers=OTHER) == ["201", "202"]
    assert listed(client, "filter[service_id]=1192", headers=OTHER) == []
    assert listed(client, "filter[$op]=or&filter[0][id]=201&filter[1][id]=101", headers=OTHER) == ["201"]


# -- errors ----------------------------------------------------------------------------------------


def assert_body(response, status, body):
    assert response.status_code == status, response.text
    assert response.json() == body


def test_a_value_of_the_wrong_type_gives_the_seeds_422(client):
    """productive.yaml example `ListUnsupportedFilterValueTypeResponse`:
    GET /time_entries?filter[after]=10/21/19&sort=date."""
    response = client.get(f"{ENTRIES}?filter[after]=10/21/19&sort=date", headers=HEADERS)
    assert_body(
        response,
        422,
        {
            "errors": [
                {
                    "status": "unprocessable_entity",
                    "code": "unsupported_filter_value_type",
                    "title": "Unsupported filter value type",
                    "detail": "Unsupported value '10/21/19' for filter 'after' on this endpoint. "
                    "Expected a value of type 'Date'",
                    "source": {"parameter": "filter[after]"},
                }
            ]
        },
    )


WRONG_VALUES = [
    ("filter[date]=2024-02-30", "filter[date]", "date", "2024-02-30", "Date"),
    ("filter[date][gt_eq]=yesterday", "filter[date][gt_eq]", "date", "yesterday", "Date"),
    ("filter[date][gt_eq]=2024-01-01&filter[date][between]=x", "filter[date][between]", "date", "x", "Date"),
    ("filter[after][gt]=2024-01-01", "filter[after][gt]", "after", "2024-01-01", "Date"),
    ("filter[person_id]=abc", "filter[person_id]", "person_id", "abc", "Array"),
    ("filter[person_id]=8160,,8161", "filter[person_id]", "person_id", "8160,,8161", "Array"),
    ("filter[time]=1.5", "filter[time]", "time", "1.5", "Integer"),
    ("filter[time][lt]=-1", "filter[time][lt]", "time", "-1", "Integer"),
    ("filter[invoiced]=yes", "filter[invoiced]", "invoiced", "yes", "Boolean"),
    ("filter[status]=4", "filter[status]", "status", "4", "Integer"),
    ("filter[billing_type_id]=0", "filter[billing_type_id]", "billing_type_id", "0", "Integer"),
    ("filter[1][0][updated_at]=now", "filter[1][0][updated_at]", "updated_at", "now", "Date"),
    ("filter[$op]=xor", "filter[$op]", "$op", "xor", "Logical operator"),
]


@pytest.mark.parametrize(
    ("query", "parameter", "name", "value", "expected"), WRONG_VALUES, ids=[case[0] for case in WRONG_VALUES]
)
def test_wrong_values_name_the_query_key_and_the_type(client, query, parameter, name, value, expected):
    response = client.get(f"{ENTRIES}?{query}", headers=HEADERS)
    assert_body(
        response,
        422,
        {
            "errors": [
                {
                    "status": "unprocessable_entity",
                    "code": "unsupported_filter_value_type",
                    "title": "Unsupported filter value type",
                    "detail": f"Unsupported value '{value}' for filter '{name}' on this endpoint. "
                    f"Expected a value of type '{expected}'",
                    "source": {"parameter": parameter},
                }
            ]
        },
    )


def unsupported(kind, name):
    return {
        "errors": [
            {
                "status": 400,
                "title": f"Unsupported {kind}",
                "detail": f"{kind} '{name}' is not supported on this endpoint",
            }
        ]
    }


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("filter[x]=1", "x"),
        ("filter[project]=1", "project"),
        ("filter[1][zzz]=1", "zzz"),
        ("filter[1][0][nope][eq]=1", "nope"),
        ("filter[10][date]=2024-01-01", "10"),  # indexes 0–9
        ("filter[1][0][0][date]=2024-01-01", "0"),  # two levels of groups
        ("filter[x]=1&filter[after]=10/21/19", "x"),  # 400 before 422
    ],
)
def test_an_unknown_filter_is_400_with_an_integer_status(client, query, name):
    assert_body(client.get(f"{ENTRIES}?{query}", headers=HEADERS), 400, unsupported("Filter", name))


@pytest.mark.parametrize(
    ("query", "name"),
    [("sort=x", "x"), ("sort=-foo", "foo"), ("sort=date,id", "id"), ("sort=created_at", "created_at")],
)
def test_an_unknown_sort_is_400(client, query, name):
    assert_body(client.get(f"{ENTRIES}?{query}", headers=HEADERS), 400, unsupported("Sort", name))


@pytest.mark.parametrize(
    ("query", "name"),
    [("include=x", "x"), ("include=person,deal", "deal"), ("include=person.company", "person.company")],
)
def test_an_unknown_include_is_400(client, query, name):
    assert_body(client.get(f"{ENTRIES}?{query}", headers=HEADERS), 400, unsupported("Include", name))


def test_get_rejects_an_unknown_include_too(client):
    response = client.get(f"{ENTRIES}/101?include=nope", headers=HEADERS)
    assert_body(response, 400, unsupported("Include", "nope"))
