"""Productive's rules provoked (the registry's `productive.*` rules): tokens and organizations, JSON:API
media type and ids, the vendor's errors, `time` default, costs, approvals and bulk actions, list queries.
Expected bodies are read from the spec's own examples (`components/examples`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from mockserver.fuzz.probe import FIXTURES, Probe, Reply, scenario

LIST = "listTimeEntries"
GET = "getTimeEntry"
CREATE = "createTimeEntry"
UPDATE = "updateTimeEntry"
DELETE = "deleteTimeEntry"
APPROVE, UNAPPROVE = "approveTimeEntry", "unapproveTimeEntry"
REJECT, UNREJECT = "rejectTimeEntry", "unrejectTimeEntry"
BULK_APPROVE, BULK_UNAPPROVE = "bulkApproveTimeEntries", "bulkUnapproveTimeEntries"
JSON_API = "application/vnd.api+json"
PERSON, SERVICE, TASK = "8160", "1192", "444"
OTHER_PERSON, OTHER_SERVICE = "9160", "2192"  # organization 1002's (README, Demo credentials)
STAMPS = ("created_at", "updated_at")
SAME_MOMENT = timedelta(minutes=10)  # two creates in a row, or a create and its answer's `Date`
UNKNOWN_ENTRY = "999999999"
MAX_PAGE_SIZE = 200


def _entry(date: str = "2024-06-03", time: int | None = 480, **attributes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"date": date, **attributes}
    if time is not None:
        values["time"] = time
    return {
        "data": {
            "type": "time_entries",
            "attributes": values,
            "relationships": {
                "person": {"data": {"type": "people", "id": PERSON}},
                "service": {"data": {"type": "services", "id": SERVICE}},
                "task": {"data": {"type": "tasks", "id": TASK}},
            },
        }
    }


def _example(probe: Probe, name: str) -> Any:
    """The value of the spec's example `name` (the vendor's bodies are written there once)."""
    return probe.case.operation.schema.raw_schema["components"]["examples"][name]["value"]


def _create(probe: Probe, body: Any, **options: Any) -> Reply:
    return probe.call(CREATE, body=body, **options)


def _created(probe: Probe, body: Any | None = None, what: str = "A create") -> dict[str, Any]:
    reply = probe.expect(_create(probe, body if body is not None else _entry()), 201, what)
    data = reply.member("data")
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        probe.fail(f"{what}: expected a JSON:API document with data.id, got {reply.describe()}")
    return data


def _act(probe: Probe, operation: str, entry: str, **options: Any) -> Reply:
    return probe.call(operation, path={"id": entry}, **options)


def _status(probe: Probe, reply: Reply, status: str | int, what: str) -> None:
    """`reply` has HTTP `status` and its first error says so too (a string or integer as the vendor writes it)."""
    if reply.status != int(status) or reply.member("errors", 0, "status") != status:
        probe.fail(f"{what}: expected {status} with errors[0].status {status!r}, got {reply.describe()}")


def _ids(reply: Reply) -> list[Any]:
    data = reply.member("data")
    return [item.get("id") for item in data if isinstance(item, dict)] if isinstance(data, list) else []


def _approved(item: Any) -> bool:
    return isinstance(item, dict) and (item.get("attributes") or {}).get("approved") is True


def _attributes(reply: Reply) -> dict[str, Any]:
    attributes = reply.member("data", "attributes")
    return attributes if isinstance(attributes, dict) else {}


@scenario("productive", needs=("readonly_token", "other_organization"))
def tokens_and_organizations(probe: Probe) -> None:
    """[rule productive.auth.tokens-and-organizations] No or an unknown token, or no `X-Organization-Id` → 401; a token
    used with another organization → 403; a read-only token may read, and a write with it (create, PATCH, DELETE,
    approval, bulk) → 403, before the entry is looked up."""
    _status(probe, probe.call(LIST, drop=("X-Auth-Token",)), "401", "No token")
    _status(probe, probe.call(LIST, headers={"X-Auth-Token": "pat_mockserver_fuzz_none"}), "401", "An unknown token")
    _status(probe, probe.call(LIST, drop=("X-Organization-Id",)), "401", "No X-Organization-Id")
    other = {"X-Organization-Id": probe.credentials.other_organization or ""}
    _status(probe, probe.call(LIST, headers=other), "403", "The token with another organization")
    readonly = {"X-Auth-Token": probe.credentials.readonly_token or ""}
    probe.expect(probe.call(LIST, headers=readonly), 200, "A read with the read-only token")
    _status(probe, _create(probe, _entry(), headers=readonly), "403", "A create with the read-only token")
    patch = {"data": {"type": "time_entries", "attributes": {"note": "read-only"}}}
    for operation, body in ((UPDATE, patch), (DELETE, None), (APPROVE, None), (REJECT, None)):
        options: dict[str, Any] = {"headers": readonly} if body is None else {"headers": readonly, "body": body}
        _status(probe, _act(probe, operation, UNKNOWN_ENTRY, **options), "403", f"{operation} with the read-only token")
    bulk = probe.call(BULK_APPROVE, headers=readonly, body={"ids": [int(UNKNOWN_ENTRY)]})
    _status(probe, bulk, "403", "A bulk approve with the read-only token")


@scenario("productive", needs=("other_token", "other_organization", FIXTURES))
def other_organization_invisible(probe: Probe) -> None:
    """[rule productive.organization.isolation] An entry of one organization is 404 to another (read, PATCH, approve,
    DELETE, nothing changed) and absent from its lists."""
    entry = _created(probe)
    other = {
        "X-Auth-Token": probe.credentials.other_token or "",
        "X-Organization-Id": probe.credentials.other_organization or "",
    }
    _status(probe, _act(probe, GET, entry["id"], headers=other), "404", "Reading it from the other organization")
    patch = {"data": {"type": "time_entries", "attributes": {"note": "another organization"}}}
    _status(probe, _act(probe, UPDATE, entry["id"], headers=other, body=patch), "404", "A PATCH from the other one")
    _status(probe, _act(probe, APPROVE, entry["id"], headers=other), "404", "Approving it from the other one")
    _status(probe, _act(probe, DELETE, entry["id"], headers=other), "404", "Deleting it from the other one")
    if _act(probe, GET, entry["id"]).member("data") != entry:
        probe.fail("The other organization's refused writes changed the entry")
    listed = probe.call(LIST, headers=other, query={"filter[id]": entry["id"]})
    if entry["id"] in _ids(listed):
        probe.fail(f"Entry {entry['id']} is listed in the other organization: {listed.describe()}")


@scenario("productive", needs=("readonly_token", FIXTURES))
def productive_check_order(probe: Probe) -> None:
    """[rule productive.order.checks] 401 → 403 → 415/422 → 404: a request that breaks two rules is answered for the
    earlier one."""
    bad = _entry(date="")
    _status(probe, _create(probe, bad, drop=("X-Auth-Token",)), "401", "No token, blank date")
    plain = _create(probe, _entry(), media_type="application/json", drop=("X-Auth-Token",))
    _status(probe, plain, "401", "No token, a body without JSON:API's type")
    readonly = {"X-Auth-Token": probe.credentials.readonly_token or ""}
    _status(probe, _create(probe, bad, headers=readonly), "403", "Read-only token, blank date")
    _status(probe, _create(probe, _entry(), media_type="application/json"), "415", "A body without JSON:API's type")
    patch = {"data": {"type": "time_entries", "attributes": {"date": ""}}}
    _status(probe, _act(probe, UPDATE, UNKNOWN_ENTRY, body=patch), "422", "Blank date on an unknown entry")


@scenario("productive", needs=(FIXTURES,))
def json_api_media_type_and_ids(probe: Probe) -> None:
    """[rule productive.json-api.media-type-and-ids] A body without `Content-Type: application/vnd.api+json` (a create,
    a PATCH) → 415; that type on a GET or DELETE is fine; a PATCH may carry `id` in `data` (another id than the path's
    → 409) and `type` `time_entries` or `time-entries`."""
    _status(probe, _create(probe, _entry(), media_type="application/json"), "415", "A create sent as application/json")
    entry = _created(probe)
    plain_patch = {"data": {"type": "time_entries", "attributes": {"note": "plain"}}}
    plain = _act(probe, UPDATE, entry["id"], body=plain_patch, media_type="application/json")
    _status(probe, plain, "415", "A PATCH sent as application/json")
    typed = {"Content-Type": JSON_API}
    probe.expect(_act(probe, GET, entry["id"], headers=typed), 200, "A GET carrying the JSON:API Content-Type")
    for kind in ("time_entries", "time-entries"):
        body = {"data": {"type": kind, "id": entry["id"], "attributes": {"note": kind}}}
        reply = probe.expect(_act(probe, UPDATE, entry["id"], body=body), 200, f"A PATCH of type {kind} with data.id")
        if _attributes(reply).get("note") != kind:
            probe.fail(f"The PATCH of type {kind} did not apply: {reply.describe()}")
        if _attributes(_act(probe, GET, entry["id"])).get("note") != kind:
            probe.fail(f"The PATCH of type {kind} is not in the next GET")
    other = {"data": {"type": "time_entries", "id": UNKNOWN_ENTRY, "attributes": {"note": "x"}}}
    _status(probe, _act(probe, UPDATE, entry["id"], body=other), "409", "A PATCH whose data.id is not the path's")
    probe.expect(_act(probe, DELETE, entry["id"], headers=typed), 204, "A DELETE carrying the JSON:API Content-Type")
    _status(probe, _act(probe, GET, entry["id"]), "404", "The deleted entry")


@scenario("productive", needs=(FIXTURES,))
def create_defaults_and_costs(probe: Probe) -> None:
    """[rule productive.entry.defaults-and-costs] Create 201, GET 200 with `"meta": {}`; `time` omitted → 0; costs
    derived: 480 min of person 8160 on service 1192 → cost_default 20000 (USD), cost and cost_normalized 16000 (EUR);
    read-only attributes sent (`approved`, costs, timestamps) are ignored on a create and a PATCH."""
    created = _created(probe)
    costs = {"cost_default": 20000, "cost": 16000, "cost_normalized": 16000, "currency_default": "USD"}
    attributes = created.get("attributes") or {}
    wrong = {name: attributes.get(name) for name, value in costs.items() if attributes.get(name) != value}
    if wrong:
        probe.fail(f"Derived costs of 480 minutes of person {PERSON}: {wrong}, expected {costs}")
    read = probe.expect(_act(probe, GET, created["id"]), 200, "Reading the entry", meta={})
    if read.member("data") != created:
        probe.fail(f"The read differs from the create:\n{read.describe()}")
    read_only: dict[str, Any] = {"approved": True, "cost": 1, "created_at": "2000-01-01T00:00:00.000+00:00"}
    sneaky = _created(probe, _entry(**read_only), "A create sending read-only attributes")
    ignored = {name: (sneaky.get("attributes") or {}).get(name) for name in ("approved", "cost", "created_at")}
    if ignored["approved"] is not False or ignored["cost"] != 16000 or str(ignored["created_at"]).startswith("2000"):
        probe.fail(f"Read-only attributes sent on a create must be ignored: {ignored}")
    approving = {"data": {"type": "time_entries", "attributes": {"approved": True}}}
    patched = _act(probe, UPDATE, sneaky["id"], body=approving)
    if _attributes(patched).get("approved") is not False:
        probe.fail(f"`approved` sent in a PATCH must be ignored: {patched.describe()}")
    untimed = _created(probe, _entry(time=None), "A create without time")
    if (untimed.get("attributes") or {}).get("time") != 0:
        probe.fail(f"`time` omitted must be 0: {untimed.get('attributes')}")
    updated = _act(probe, UPDATE, created["id"], body={"data": {"type": "time_entries", "attributes": {"time": 240}}})
    if _attributes(updated).get("cost_default") != 10000:
        probe.fail(f"After a PATCH to 240 minutes cost_default must be 10000: {updated.describe()}")


@scenario("productive", needs=(FIXTURES,))
def dates_validated_as_attributes(probe: Probe) -> None:
    """[rule productive.entry.dates] A blank date → the two 422 errors of the spec's `BlankDateResponse`; a date
    that is no calendar date → 422 `invalid_attribute` "is not a date" at `data/attributes/date`, never a 400, on a
    create and on a PATCH."""
    blank = _create(probe, _entry(date=""))
    if blank.status != 422 or blank.body != _example(probe, "BlankDateResponse"):
        probe.fail(
            f"A blank date: expected the seed's 422 {_example(probe, 'BlankDateResponse')}, got {blank.describe()}"
        )
    single = {"errors": [_example(probe, "BlankDateResponse")["errors"][1]]}
    for value in ("2024-02-30", "2024-13-45", "15/01/2024", "not-a-date"):
        reply = _create(probe, _entry(date=value))
        if reply.status != 422 or reply.body != single:
            probe.fail(f"date {value!r}: expected 422 {single}, got {reply.describe()}")
    entry = _created(probe)
    patch = {"data": {"type": "time_entries", "attributes": {"date": "2024-02-30"}}}
    reply = _act(probe, UPDATE, entry["id"], body=patch)
    if reply.status != 422 or reply.body != single:
        probe.fail(f"A PATCH to date '2024-02-30': expected 422 {single}, got {reply.describe()}")


@scenario("productive", needs=(FIXTURES,))
def approval_transitions(probe: Probe) -> None:
    """[rule productive.approval.conflicts] approve / unapprove / reject / unreject, and each conflict with the
    spec's example body."""
    entry = _created(probe)["id"]
    conflicts = {
        "record_already_approved": "AlreadyApprovedConflict",
        "record_already_unapproved": "AlreadyUnapprovedConflict",
        "record_already_rejected": "AlreadyRejectedConflict",
        "record_already_unrejected": "AlreadyUnrejectedConflict",
    }
    steps = (
        (UNAPPROVE, "record_already_unapproved"),
        (UNREJECT, "record_already_unrejected"),
        (APPROVE, None),
        (APPROVE, "record_already_approved"),
        (REJECT, "record_already_approved"),
        (UNAPPROVE, None),
        (REJECT, None),
        (REJECT, "record_already_rejected"),
        (APPROVE, "record_already_rejected"),
        (UNAPPROVE, "record_already_unapproved"),
        (UNREJECT, None),
        (APPROVE, None),
    )
    for operation, conflict in steps:
        reply = _act(probe, operation, entry)
        if conflict is None:
            probe.expect(reply, 200, f"{operation} where it applies")
        elif reply.status != 409 or reply.body != _example(probe, conflicts[conflict]):
            probe.fail(f"{operation}: expected 409 {_example(probe, conflicts[conflict])}, got {reply.describe()}")


@scenario("productive", needs=(FIXTURES,))
def bulk_actions(probe: Probe) -> None:
    """[rule productive.approval.bulk] Bulk approve/unapprove: any unknown id → 404 and nothing changes; entries already
    in the target state are left as they are; the answer lists every entry asked, once, in request order, in its
    resulting state."""
    first, second = _created(probe)["id"], _created(probe)["id"]
    _status(probe, probe.call(BULK_APPROVE, body={"ids": [int(first), int(UNKNOWN_ENTRY)]}), "404", "An unknown id")
    if _attributes(_act(probe, GET, first)).get("approved"):
        probe.fail(f"The refused bulk approve still approved {first}")
    probe.expect(_act(probe, APPROVE, first), 200, "Approving the first")
    approved_at = _attributes(_act(probe, GET, first)).get("approved_at")
    answer = probe.expect(probe.call(BULK_APPROVE, body={"ids": [int(second), int(first)]}), 200, "A bulk approve")
    if _ids(answer) != [second, first] or not all(_approved(item) for item in answer.member("data") or []):
        probe.fail(f"A bulk approve of [{second}, {first}] answers each entry once, in that order, approved: {answer}")
    states = {entry: _attributes(_act(probe, GET, entry)) for entry in (first, second)}
    if not all(state.get("approved") for state in states.values()):
        probe.fail(f"After the bulk approve: {states}")
    if states[first].get("approved_at") != approved_at:
        probe.fail(f"An entry already approved was approved again: approved_at {approved_at} became {states[first]}")
    probe.expect(probe.call(BULK_UNAPPROVE, body={"ids": [int(first), int(second)]}), 200, "A bulk unapprove")
    if any(_attributes(_act(probe, GET, entry)).get("approved") for entry in (first, second)):
        probe.fail("After the bulk unapprove an entry is still approved")


@scenario("productive", needs=(FIXTURES,))
def list_query_rules(probe: Probe) -> None:
    """[rules productive.list.filter-semantics, productive.list.unsupported, productive.list.pagination] `status` 1/2/3
    (approved, unapproved, rejected) are exclusive (a rejected entry is 3 only); `after`/`before` are inclusive; an
    unknown filter, sort or include → 400 with the body of productive.yaml decision 10; a value of the wrong type → 422
    `unsupported_filter_value_type`; the page size defaults to 30 and is at most 200."""
    day = "2031-07-15"
    entry = _created(probe, _entry(date=day))["id"]
    states = (("An unapproved", None, "2"), ("An approved", APPROVE, "1"), ("A rejected", REJECT, "3"))
    for state, action, status in states:
        if action == REJECT:
            probe.expect(_act(probe, UNAPPROVE, entry), 200, "Unapproving it")
        if action is not None:
            probe.expect(_act(probe, action, entry), 200, f"{action} it")
        for asked in ("1", "2", "3"):
            got = entry in _ids(probe.call(LIST, query={"filter[id]": entry, "filter[status]": asked}))
            if got != (asked == status):
                probe.fail(f"{state} entry {'is' if got else 'is not'} listed under filter[status]={asked}")
    for bound in ("after", "before"):
        if entry not in _ids(probe.call(LIST, query={"filter[id]": entry, f"filter[{bound}]": day})):
            probe.fail(f"filter[{bound}]={day} leaves out an entry of {day} (the bounds are inclusive)")
    for kind, query in (
        ("Filter", {"filter[nope]": "1"}),
        ("Sort", {"sort": "nope"}),
        ("Include", {"include": "nope"}),
    ):
        reply = probe.call(LIST, query=query)
        if (
            reply.status != 400
            or reply.member("errors", 0, "status") != 400
            or reply.member("errors", 0, "title") != f"Unsupported {kind}"
        ):
            probe.fail(f"{query}: expected 400 Unsupported {kind} with an integer status, got {reply.describe()}")
    wrong = probe.call(LIST, query={"filter[after]": "10/21/19", "sort": "date"})
    if wrong.status != 422 or wrong.body != _example(probe, "ListUnsupportedFilterValueTypeResponse"):
        probe.fail(f"filter[after]=10/21/19: expected the seed's 422, got {wrong.describe()}")
    page = probe.expect(probe.call(LIST), 200, "The list without page parameters")
    if page.member("meta", "page_size") != 30 or page.member("meta", "current_page") != 1:
        probe.fail(f"Default page: expected page 1 of size 30, got meta {page.member('meta')}")
    big = probe.expect(probe.call(LIST, query={"page[size]": "500"}), 200, "page[size]=500")
    if big.member("meta", "page_size") != MAX_PAGE_SIZE:
        probe.fail(f"page[size]=500 must be answered as {MAX_PAGE_SIZE}: meta {big.member('meta')}")


@scenario("productive", needs=(FIXTURES,))
def list_order_and_links(probe: Probe) -> None:
    """[rules productive.list.sort, productive.list.pagination] `sort=date` / `-date` order the entries, ties by id;
    `links` name first, prev/next (only when that page exists) and last pages of the same query, its filters kept."""
    note = "mockserver-fuzz-order"
    made = [_created(probe, _entry(date=day, note=note))["id"] for day in ("2032-01-03", "2032-01-01", "2032-01-02")]
    query = {"filter[id]": ",".join(made)}
    ascending = _ids(probe.call(LIST, query={**query, "sort": "date"}))
    if ascending != [made[1], made[2], made[0]]:
        probe.fail(f"sort=date answered {ascending}, expected {[made[1], made[2], made[0]]}")
    descending = _ids(probe.call(LIST, query={**query, "sort": "-date"}))
    if descending != [made[0], made[2], made[1]]:
        probe.fail(f"sort=-date answered {descending}, expected {[made[0], made[2], made[1]]}")
    unsorted = _ids(probe.call(LIST, query=query))
    if unsorted != sorted(made, key=int):
        probe.fail(f"Without sort, entries come by id ascending: {unsorted}")
    paged = probe.call(LIST, query={**query, "page[size]": "2"})
    meta = paged.member("meta") or {}
    if (meta.get("total_count"), meta.get("total_pages"), len(_ids(paged))) != (3, 2, 2):
        probe.fail(f"3 entries in pages of 2: meta {meta}, {len(_ids(paged))} entries")
    links = paged.member("links") or {}
    pages = {name: _page_number(links.get(name)) for name in links}
    if pages != {"first": "1", "next": "2", "last": "2"}:
        probe.fail(f"Page 1 of 2: `links` must lead to pages first=1, next=2, last=2 (no prev), got {links}")
    second = probe.call(LIST, query={**query, "page[size]": "2", "page[number]": "2"}).member("links") or {}
    if {name: _page_number(second.get(name)) for name in second} != {"first": "1", "prev": "1", "last": "2"}:
        probe.fail(f"Page 2 of 2: `links` must lead to pages first=1, prev=1, last=2 (no next), got {second}")
    for name, link in {**links, **second}.items():
        if parse_qs(urlsplit(str(link)).query).get("filter[id]") != [query["filter[id]"]]:
            probe.fail(f"`links.{name}` drops the request's own filter: {link}")
    beyond = probe.call(LIST, query={**query, "page[size]": "2", "page[number]": "3"})
    if _ids(beyond) or beyond.member("meta", "current_page") != 3:
        probe.fail(f"A page past the last answers empty `data` as page 3: {beyond.describe()}")


def _moments(probe: Probe, reply: Reply, offset: str, where: str) -> list[datetime]:
    """The entry's `created_at`/`updated_at` as instants; fail unless each carries `offset`."""
    attributes = _attributes(reply)
    moments = []
    for name in STAMPS:
        value = attributes.get(name)
        if not isinstance(value, str) or not value.endswith(offset):
            probe.fail(f"{where}: `{name}` is {value!r}, expected the organization's offset {offset}")
        try:
            moments.append(datetime.fromisoformat(value))
        except ValueError:
            probe.fail(f"{where}: `{name}` is {value!r}, not a date-time")
    date = reply.headers.get("date")
    if date:
        answered = parsedate_to_datetime(date)
        if any(abs(moment - answered) > SAME_MOMENT for moment in moments):
            probe.fail(f"{where}: {STAMPS} are {moments}, far from the answer's Date {date}: not the true instant")
    return moments


@scenario("productive", needs=("organization_offset", FIXTURES))
def timestamps_in_organization_offset(probe: Probe) -> None:
    """[rule productive.timestamps.organization-offset] A new entry's `created_at` and `updated_at` carry its
    organization's own UTC offset (`--organization-offset`; the other organization's, `--other-organization-offset`,
    there) and name the true instant: two entries created one after the other in the two organizations lie minutes
    apart at most, and near the answer's `Date` when it has one."""
    credentials = probe.credentials
    mine = probe.expect(_create(probe, _entry()), 201, "A create")
    moments = _moments(probe, mine, credentials.organization_offset or "", "A create")
    if not (credentials.other_token and credentials.other_organization and credentials.other_organization_offset):
        return
    body = _entry()
    body["data"]["relationships"] = {
        "person": {"data": {"type": "people", "id": OTHER_PERSON}},
        "service": {"data": {"type": "services", "id": OTHER_SERVICE}},
    }
    other = {"X-Auth-Token": credentials.other_token, "X-Organization-Id": credentials.other_organization}
    theirs = probe.expect(_create(probe, body, headers=other), 201, "A create in the other organization")
    their_moments = _moments(probe, theirs, credentials.other_organization_offset, "In the other organization")
    if abs(their_moments[0] - moments[0]) > SAME_MOMENT:
        probe.fail(
            f"Created one after the other, the entries' created_at are {moments[0]} and {their_moments[0]}: "
            "one of them does not name the true instant in its offset"
        )


# (query beside `filter[id]`, the made entries it lists, by index) [rule productive.list.operations]
OPERATION_CASES: tuple[tuple[dict[str, str], list[int]], ...] = (
    ({"filter[date][eq]": "2033-03-02"}, [1]),
    ({"filter[date][not_eq]": "2033-03-02"}, [0, 2]),
    ({"filter[date][gt]": "2033-03-02"}, [2]),
    ({"filter[date][gt_eq]": "2033-03-02"}, [1, 2]),
    ({"filter[date][lt]": "2033-03-02"}, [0]),
    ({"filter[date][lt_eq]": "2033-03-02"}, [0, 1]),
    ({"filter[time][gt]": "120"}, [2]),
    ({"filter[time][lt_eq]": "120"}, [0, 1]),
    ({"filter[date]": "2033-03-03"}, [2]),
    ({"filter[jira_issue_summary][contains]": "BUG"}, [0]),
    ({"filter[jira_issue_summary][contains]": "a"}, [0, 1]),
    ({"filter[jira_issue_summary][not_contain]": "bug"}, [1, 2]),
)
SUMMARIES = ("Alpha Bug", "beta", None)  # the made entries' `jira_issue_summary`, by index


@scenario("productive", needs=(FIXTURES,))
def filter_operations_and_groups(probe: Probe) -> None:
    """[rule productive.list.operations] Each operation (`eq`, `not_eq`, `gt`, `gt_eq`, `lt`, `lt_eq`) selects exactly
    its entries, on dates and numbers; `contains` / `not_contain` are case-insensitive substring tests on text;
    `filter[$op]=or|and` groups with indexed operands, nested, combine theirs."""
    days = ("2033-03-01", "2033-03-02", "2033-03-03")
    made = []
    for index, day in enumerate(days):
        text = {"jira_issue_summary": SUMMARIES[index]} if SUMMARIES[index] is not None else {}
        made.append(_created(probe, _entry(date=day, time=60 * (index + 1), **text))["id"])
    ids = ",".join(made)
    for query, expected in OPERATION_CASES:
        got = _ids(probe.call(LIST, query={"filter[id]": ids, **query}))
        if sorted(got, key=int) != [made[index] for index in expected]:
            probe.fail(f"{query} among {made}: listed {got}, expected {[made[index] for index in expected]}")
    either = {
        "filter[$op]": "and",
        "filter[0][id]": ids,
        "filter[1][$op]": "or",
        "filter[1][0][date][eq]": days[0],
        "filter[1][1][date][eq]": days[2],
    }
    both = {
        "filter[$op]": "and",
        "filter[0][id]": ids,
        "filter[1][date][gt_eq]": days[1],
        "filter[2][time][lt]": "180",
    }
    for query, expected in ((either, [made[0], made[2]]), (both, [made[1]])):
        got = _ids(probe.expect(probe.call(LIST, query=query), 200, f"The list by {query}"))
        if sorted(got, key=int) != expected:
            probe.fail(f"{query}: listed {got}, expected {expected}")


# (sort, the made entries in the order it lists them, by index) [rule productive.list.sort]; entry 0 is
# 2035-05-02 with jira_issue_id "B" and summary "s2", entry 1 2035-05-01 with no issue id and summary "s1",
# entry 2 2035-05-02 with jira_issue_id "A" and no summary; entry 0 is PATCHed last.
SORT_CASES: tuple[tuple[str, list[int]], ...] = (
    ("jira_issue_id", [1, 2, 0]),
    ("-jira_issue_id", [0, 2, 1]),
    ("-date,jira_issue_id", [2, 0, 1]),
    ("date,-jira_issue_summary", [1, 0, 2]),
    ("updated_at", [1, 2, 0]),
    ("jira_issue_status", [0, 1, 2]),
)


@scenario("productive", needs=(FIXTURES,))
def list_sort_fields_and_nulls(probe: Probe) -> None:
    """[rule productive.list.sort] Every sortable field sorts, not only `date`: `jira_issue_id`, `jira_issue_summary`,
    `updated_at`; a comma list applies its fields left to right (`-date,jira_issue_id`); `null` comes before any value
    ascending and after every value descending; ties by id."""
    attributes: tuple[dict[str, Any], ...] = (
        {"date": "2035-05-02", "jira_issue_id": "B", "jira_issue_summary": "s2"},
        {"date": "2035-05-01", "jira_issue_summary": "s1"},
        {"date": "2035-05-02", "jira_issue_id": "A"},
    )
    made = [_created(probe, _entry(**values))["id"] for values in attributes]
    touch = {"data": {"type": "time_entries", "attributes": {"note": "mockserver-fuzz-sort"}}}
    probe.expect(_act(probe, UPDATE, made[0], body=touch), 200, "A PATCH of the first entry (its updated_at moves)")
    for sort, order in SORT_CASES:
        got = _ids(probe.call(LIST, query={"filter[id]": ",".join(made), "sort": sort}))
        if got != [made[index] for index in order]:
            probe.fail(f"sort={sort} among {made} ({attributes}): listed {got}, expected {[made[i] for i in order]}")


RELATIONSHIPS = ("person", "service", "task", "approver", "updater", "rejecter")
NOT_INCLUDED = {"meta": {"included": False}}


def _relationships(reply: Reply) -> dict[str, Any]:
    relationships = reply.member("data", "relationships")
    return relationships if isinstance(relationships, dict) else {}


@scenario("productive", needs=(FIXTURES,))
def relationships_included_or_marked(probe: Probe) -> None:
    """[rule productive.list.include] A relationship not asked in `include` carries `{"meta": {"included": false}}`,
    `organization` always its `data`; an included one carries `data` and its record is in `included`, once."""
    entry = _created(probe)["id"]
    plain = _relationships(probe.expect(_act(probe, GET, entry), 200, "Reading the entry without include"))
    marked = {name: plain.get(name) for name in RELATIONSHIPS if plain.get(name) != NOT_INCLUDED}
    if marked:
        probe.fail(f"Relationships not included must carry {NOT_INCLUDED}: {marked}")
    if not isinstance((plain.get("organization") or {}).get("data"), dict):
        probe.fail(f"`organization` always carries `data`: {plain.get('organization')}")
    reply = probe.expect(_act(probe, GET, entry, query={"include": "person,service"}), 200, "Reading with include")
    related = _relationships(reply)
    expected = {"person": {"type": "people", "id": PERSON}, "service": {"type": "services", "id": SERVICE}}
    wrong = {name: related.get(name) for name, data in expected.items() if related.get(name) != {"data": data}}
    if wrong or related.get("task") != NOT_INCLUDED:
        probe.fail(f"include=person,service: relationships {related}, expected data {expected} and task {NOT_INCLUDED}")
    included = reply.member("included")
    keys = (
        sorted((item.get("type"), item.get("id")) for item in included if isinstance(item, dict))
        if isinstance(included, list)
        else None
    )
    if keys != [("people", PERSON), ("services", SERVICE)]:
        probe.fail(f"include=person,service: `included` holds {keys}, expected the person and the service once each")


MARKS = {  # relationship -> (flag, moment) an approval action sets and its undoing clears
    "approver": ("approved", "approved_at"),
    "rejecter": ("rejected", "rejected_at"),
}


def _marks(probe: Probe, entry: str, relationship: str) -> tuple[Any, Any, Any, Any]:
    """(flag, moment, the relationship's data, the updater's data) of `entry`, read with both included."""
    flag, moment = MARKS[relationship]
    reply = probe.expect(_act(probe, GET, entry, query={"include": f"{relationship},updater"}), 200, "Reading it")
    attributes, related = _attributes(reply), _relationships(reply)
    return (
        attributes.get(flag),
        attributes.get(moment),
        (related.get(relationship) or {}).get("data", "absent"),
        (related.get("updater") or {}).get("data", "absent"),
    )


@scenario("productive", needs=("organization_offset", FIXTURES))
def approval_sets_and_clears_marks(probe: Probe) -> None:
    """[rule productive.approval.marks] approve sets `approved`, `approved_at` (whole seconds, the organization's
    offset) and the `approver` (the token's person, as the `updater` of that write); unapprove clears all three;
    reject and unreject do the same with `rejected`, `rejected_at` and the `rejecter`."""
    entry = _created(probe)["id"]
    offset = probe.credentials.organization_offset or ""
    for relationship, (act, undo) in (("approver", (APPROVE, UNAPPROVE)), ("rejecter", (REJECT, UNREJECT))):
        flag, moment = MARKS[relationship]
        probe.expect(_act(probe, act, entry), 200, f"{act} it")
        marked, at, actor, updater = _marks(probe, entry, relationship)
        if marked is not True or not isinstance(actor, dict) or actor != updater or actor.get("type") != "people":
            probe.fail(f"After {act}: `{flag}` {marked!r}, `{relationship}` {actor!r} (the updater: {updater!r})")
        if not isinstance(at, str) or not at.endswith(offset):
            probe.fail(f"After {act}: `{moment}` is {at!r}, expected a moment in the organization's offset {offset}")
        if relationship == "approver" and ".000" not in at:
            probe.fail(f"After {act}: `approved_at` {at!r} is not truncated to whole seconds")
        probe.expect(_act(probe, undo, entry), 200, f"{undo} it")
        cleared = _marks(probe, entry, relationship)[:3]
        if cleared != (False, None, None):
            probe.fail(f"After {undo}: (`{flag}`, `{moment}`, `{relationship}` data) are {cleared}, expected cleared")


def _page_number(link: Any) -> str | None:
    """The `page[number]` a pagination link asks for."""
    if not isinstance(link, str):
        return None
    numbers = parse_qs(urlsplit(link).query).get("page[number]")
    return numbers[0] if numbers else None


SCENARIOS = (
    tokens_and_organizations,
    other_organization_invisible,
    productive_check_order,
    json_api_media_type_and_ids,
    create_defaults_and_costs,
    dates_validated_as_attributes,
    approval_transitions,
    bulk_actions,
    list_query_rules,
    list_order_and_links,
    timestamps_in_organization_offset,
    filter_operations_and_groups,
    list_sort_fields_and_nulls,
    relationships_included_or_marked,
    approval_sets_and_clears_marks,
)
