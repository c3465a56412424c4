"""Contracting's rules provoked (the registry's `contracting.*` rules): tenants and tokens, the strict
calendar, full-replace PUT, expand's links, list filters and order. Ids are the demo records of
`fixtures/default.json` (README, Demo credentials)."""

from __future__ import annotations

import uuid
from typing import Any

from mockserver.fuzz.probe import FIXTURES, Probe, Reply, scenario

LIST = "listTimeEntries"
GET = "getTimeEntry"
CREATE = "createTimeEntry"
PUT = "replaceTimeEntry"
TENANT = "tenant-id"

PROJECT = "prj_acmeweb00000000000000001"
BILLABLE = "bil_acmeoct00000000000000001"
UNINVOICED_BILLABLE = "bil_acmenov00000000000000001"
UNPAGINATED = 31  # one more than a page size a paginating implementation would likely pick
ZETA_PROJECT = "prj_zetaapp00000000000000001"
ZETA_BILLABLE = "bil_zetaq4000000000000000001"
UNKNOWN_ENTRY = "tsh_zzzzzzzzzzzzzzzzzzzzzzzz"
OPTIONAL = ("billable", "description", "referenceSource", "referenceId")
LINK_SHAPES = {  # expand path -> the members of the object it becomes [rule contracting.expand.shapes]
    "project": {"id", "name", "contract"},
    "project.contract": {"id", "name", "client"},
    "project.contract.client": {"id", "name"},
    "billable": {"id", "name", "invoice"},
    "billable.invoice": {"id", "number", "contract"},
}


def _source() -> str:
    return f"FUZZ{uuid.uuid4().hex[:10].upper()}"


def _entry(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"projectId": PROJECT, "date": "2024-03-05", "durationSeconds": 1800}
    body.update(changes)
    return {name: value for name, value in body.items() if value is not None}


def _create(probe: Probe, body: dict[str, Any] | str, **options: Any) -> Reply:
    return probe.call(CREATE, body=body, **options)


def _created(probe: Probe, body: dict[str, Any], what: str = "A create") -> dict[str, Any]:
    reply = probe.expect(_create(probe, body), 201, what)
    data = reply.member("data")
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        probe.fail(f'{what}: a created record is wrapped as {{"data": {{...}}}}: {reply.describe()}')
    return data


def _code(probe: Probe, reply: Reply, status: int, code: str, what: str) -> None:
    probe.expect(reply, status, what, statusCode=status, code=code)


def _list(probe: Probe, **query: str) -> Reply:
    return probe.call(LIST, query=query)


def _ids(reply: Reply) -> list[Any]:
    data = reply.member("data")
    return [item.get("id") for item in data if isinstance(item, dict)] if isinstance(data, list) else []


@scenario("contracting", needs=("single_tenant_token", "other_tenant"))
def tokens_and_tenants(probe: Probe) -> None:
    """[rule contracting.auth.tokens-and-tenants] No or an unknown token → 401 `UNAUTHORIZED`; no `tenant-id` → 400; a
    tenant the token may not use, or an unknown tenant → 403 `FORBIDDEN`."""
    _code(probe, probe.call(LIST, drop=("Authorization",)), 401, "UNAUTHORIZED", "No token")
    unknown = probe.call(LIST, headers={"Authorization": "Bearer kk_mockserver_fuzz_no_such_token"})
    _code(probe, unknown, 401, "UNAUTHORIZED", "An unknown token")
    _code(probe, probe.call(LIST, drop=(TENANT,)), 400, "FST_ERR_VALIDATION", "No tenant-id")
    stranger = probe.call(LIST, headers={TENANT: "tnt_mockserverfuzz000000000001"})
    _code(probe, stranger, 403, "FORBIDDEN", "An unknown tenant")
    single = {
        "Authorization": f"Bearer {probe.credentials.single_tenant_token}",
        TENANT: probe.credentials.other_tenant or "",
    }
    _code(probe, probe.call(LIST, headers=single), 403, "FORBIDDEN", "A token on a tenant it may not use")


@scenario("contracting", needs=(FIXTURES,))
def contracting_check_order(probe: Probe) -> None:
    """[rule contracting.order.checks] 401 → 403 → 400 → 404: a request that breaks two rules is answered for the
    earlier one."""
    bad = _entry(durationSeconds=-1, projectId="prj_zzzzzzzzzzzzzzzzzzzzzzzz")
    _code(probe, _create(probe, bad, drop=("Authorization",)), 401, "UNAUTHORIZED", "No token, bad body")
    _code(probe, probe.call(LIST, drop=("Authorization", TENANT)), 401, "UNAUTHORIZED", "No token, no tenant-id")
    text = _create(probe, "projectId=x", drop=("Authorization",), media_type="text/plain")
    _code(probe, text, 401, "UNAUTHORIZED", "No token, a text/plain body")
    stranger = {TENANT: "tnt_mockserverfuzz000000000001"}
    _code(probe, _create(probe, bad, headers=stranger), 403, "FORBIDDEN", "Unknown tenant, bad body")
    _code(probe, _create(probe, bad), 400, "FST_ERR_VALIDATION", "Bad body and an unknown project")


@scenario("contracting", needs=("other_tenant", FIXTURES))
def other_tenant_records_invisible(probe: Probe) -> None:
    """[rules contracting.tenant.isolation, contracting.tenant.foreign-billable] An entry of one tenant is 404 from
    another (read and replace), absent from its list; a projectId or billableId of another tenant on create → 404, and
    a billableId of another tenant on replace → 404, the entry unchanged."""
    entry = _created(probe, _entry(referenceSource=_source()))
    there = {TENANT: probe.credentials.other_tenant or ""}
    _code(
        probe, probe.call(GET, path={"id": entry["id"]}, headers=there), 404, "NOT_FOUND", "Read from the other tenant"
    )
    replaced = probe.call(
        PUT, path={"id": entry["id"]}, headers=there, body={"date": "2024-03-06", "durationSeconds": 1}
    )
    _code(probe, replaced, 404, "NOT_FOUND", "Replaced from the other tenant")
    if entry["id"] in _ids(probe.call(LIST, headers=there, query={"referenceSource": entry["referenceSource"]})):
        probe.fail(f"Entry {entry['id']} is listed in the other tenant")
    foreign = _create(probe, _entry(projectId=ZETA_PROJECT))
    _code(probe, foreign, 404, "NOT_FOUND", "A create naming the other tenant's project")
    source = _source()
    billed = _create(probe, _entry(billableId=ZETA_BILLABLE, referenceSource=source))
    _code(probe, billed, 404, "NOT_FOUND", "A create naming the other tenant's billable")
    if _ids(probe.call(LIST, query={"referenceSource": source})):
        probe.fail("The refused create with the other tenant's billable still wrote an entry")
    before = probe.call(GET, path={"id": entry["id"]})
    rebilled = probe.call(
        PUT, path={"id": entry["id"]}, body={"date": "2024-03-06", "durationSeconds": 1, "billableId": ZETA_BILLABLE}
    )
    _code(probe, rebilled, 404, "NOT_FOUND", "A replace naming the other tenant's billable")
    if probe.call(GET, path={"id": entry["id"]}).body != before.body:
        probe.fail("The refused replace with the other tenant's billable changed the entry")


@scenario("contracting", needs=(FIXTURES,))
def create_read_replace(probe: Probe) -> None:
    """[rules contracting.entry.create-read-replace, contracting.entry.put-project-id] Create 201, get 200, put 200,
    each `{"data": {...}}`; PUT is a full replace: omitted optional fields become null; a PUT with `projectId` → 400,
    entry unchanged; timestamps in UTC with Z."""
    sent = _entry(billableId=BILLABLE, description="first", referenceSource=_source(), referenceId="R-1")
    entry = _created(probe, sent)
    expected = {"project": PROJECT, "billable": BILLABLE, "description": "first", "referenceId": "R-1"}
    wrong = {name: entry.get(name) for name, value in expected.items() if entry.get(name) != value}
    if wrong:
        probe.fail(f"The created entry does not carry what was sent: {wrong}")
    for stamp in ("createdAt", "updatedAt"):
        if not str(entry.get(stamp, "")).endswith("Z"):
            probe.fail(f"`{stamp}` is {entry.get(stamp)!r}, expected a UTC date-time ending in Z")
    read = probe.expect(probe.call(GET, path={"id": entry["id"]}), 200, "Reading the entry")
    if read.member("data") != entry:
        probe.fail(f"The read differs from the create:\n{read.describe()}\n{entry}")
    with_project = probe.call(PUT, path={"id": entry["id"]}, body={"projectId": PROJECT, **_entry(projectId=None)})
    _code(probe, with_project, 400, "FST_ERR_VALIDATION", "A PUT carrying projectId")
    if probe.call(GET, path={"id": entry["id"]}).member("data") != entry:
        probe.fail("The refused PUT changed the entry")
    replaced = probe.expect(
        probe.call(PUT, path={"id": entry["id"]}, body={"date": "2024-03-07", "durationSeconds": 60}), 200, "A PUT"
    )
    data = replaced.member("data") or {}
    kept = {name: data.get(name) for name in OPTIONAL if data.get(name) is not None}
    if kept or data.get("date") != "2024-03-07" or data.get("durationSeconds") != 60:
        probe.fail(f"A PUT replaces the whole entry (omitted optional fields become null): {replaced.describe()}")
    if probe.call(GET, path={"id": entry["id"]}).member("data") != data:
        probe.fail("The read after the PUT differs from the PUT's answer")


@scenario("contracting", needs=(FIXTURES,))
def strict_dates_and_durations(probe: Probe) -> None:
    """[rule contracting.dates.strict-calendar] A date that is not on the calendar (2023-02-29) → 400 on create, replace
    and the list's bounds; 2024-02-29 is fine; `durationSeconds` is a whole number ≥ 0."""
    _code(probe, _create(probe, _entry(date="2023-02-29")), 400, "FST_ERR_VALIDATION", "A create on 2023-02-29")
    entry = _created(probe, _entry(date="2024-02-29", durationSeconds=0), "A create on 2024-02-29 of 0 seconds")
    bad_put = probe.call(PUT, path={"id": entry["id"]}, body={"date": "2023-02-29", "durationSeconds": 1})
    _code(probe, bad_put, 400, "FST_ERR_VALIDATION", "A PUT to 2023-02-29")
    for bound in ("dateFrom", "dateTo"):
        _code(probe, _list(probe, **{bound: "2023-02-29"}), 400, "FST_ERR_VALIDATION", f"{bound}=2023-02-29")
        probe.expect(_list(probe, **{bound: "2024-02-29"}), 200, f"{bound}=2024-02-29")
    for duration in (-1, 1.5):
        reply = _create(probe, _entry(durationSeconds=duration))
        _code(probe, reply, 400, "FST_ERR_VALIDATION", f"durationSeconds {duration}")


@scenario("contracting", needs=(FIXTURES,))
def list_filters_and_order(probe: Probe) -> None:
    """[rules contracting.list.filters, contracting.list.date-bounds, contracting.list.order] The list filters by
    projectId, billableId, referenceSource, referenceId (≤ 255) and inclusive dateFrom/dateTo, is ordered by `date`,
    then `createdAt`, and expands as asked."""
    source = _source()
    late = _created(probe, _entry(date="2024-05-02", referenceSource=source, referenceId="B", billableId=BILLABLE))
    early = _created(probe, _entry(date="2024-05-01", referenceSource=source, referenceId="A"))
    again = _created(probe, _entry(date="2024-05-01", referenceSource=source, referenceId="C"))
    listed = _ids(probe.expect(_list(probe, referenceSource=source), 200, "The list by referenceSource"))
    if listed != [early["id"], again["id"], late["id"]]:
        probe.fail(f"Ordered by date then createdAt, expected {[early['id'], again['id'], late['id']]}, got {listed}")
    cases = (
        ({"referenceId": "B"}, [late["id"]]),
        ({"billableId": BILLABLE}, [late["id"]]),
        ({"projectId": PROJECT}, [early["id"], again["id"], late["id"]]),
        ({"dateFrom": "2024-05-02"}, [late["id"]]),
        ({"dateTo": "2024-05-01"}, [early["id"], again["id"]]),
        ({"dateFrom": "2024-05-01", "dateTo": "2024-05-01"}, [early["id"], again["id"]]),
    )
    for query, expected in cases:
        got = _ids(probe.expect(_list(probe, referenceSource=source, **query), 200, f"The list by {query}"))
        if got != expected:
            probe.fail(f"The list by {query} (and referenceSource) answered {got}, expected {expected}")
    expanded = probe.expect(_list(probe, referenceSource=source, expand="project"), 200, "The list with expand=project")
    projects = [item.get("project") for item in expanded.member("data") or [] if isinstance(item, dict)]
    if len(projects) != 3 or not all(isinstance(project, dict) for project in projects):
        probe.fail(f"The list with expand=project must give project objects: {projects}")
    long_reference = _list(probe, referenceId="x" * 256)
    _code(probe, long_reference, 400, "FST_ERR_VALIDATION", "referenceId of 256 characters")
    probe.expect(_list(probe, referenceId="x" * 255), 200, "referenceId of 255 characters")


@scenario("contracting", needs=(FIXTURES,))
def expand_links(probe: Probe) -> None:
    """[rules contracting.expand.paths, contracting.expand.shapes] `expand` turns an id into its object ({id, name,
    contract} for a project, ...), a nested path expands its parents, to the deepest (billable.invoice.contract.client);
    a billable without invoice expands its `invoice` as null; an unknown path → 400."""
    entry = _created(probe, _entry(billableId=BILLABLE))
    paths = "project.contract.client,billable.invoice"
    reply = probe.expect(probe.call(GET, path={"id": entry["id"]}, query={"expand": paths}), 200, f"expand={paths}")
    data = reply.member("data") or {}
    for path, members in LINK_SHAPES.items():
        node: Any = data
        for part in path.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if not isinstance(node, dict) or set(node) != members:
            probe.fail(f"expand={paths}: `{path}` is {node!r}, expected an object of {sorted(members)}")
    deep = "billable.invoice.contract.client"
    reply = probe.expect(probe.call(GET, path={"id": entry["id"]}, query={"expand": deep}), 200, f"expand={deep}")
    contract = reply.member("data", "billable", "invoice", "contract")
    if not isinstance(contract, dict) or set(contract) != {"id", "name", "client"}:
        probe.fail(f"expand={deep}: `billable.invoice.contract` is {contract!r}, expected {{id, name, client}}")
    if not isinstance(contract.get("client"), dict) or set(contract["client"]) != {"id", "name"}:
        probe.fail(f"expand={deep}: `billable.invoice.contract.client` is {contract.get('client')!r}")
    uninvoiced = _created(probe, _entry(billableId=UNINVOICED_BILLABLE))
    reply = probe.call(GET, path={"id": uninvoiced["id"]}, query={"expand": "billable.invoice"})
    billable = probe.expect(reply, 200, "expand=billable.invoice, no invoice").member("data", "billable")
    if not isinstance(billable, dict) or "invoice" not in billable or billable["invoice"] is not None:
        probe.fail(f"A billable without invoice, expanded: `invoice` must be null, got {billable!r}")
    unknown = probe.call(GET, path={"id": entry["id"]}, query={"expand": "project,nope"})
    _code(probe, unknown, 400, "FST_ERR_VALIDATION", "expand with an unknown path")
    _code(probe, _list(probe, expand="owner"), 400, "FST_ERR_VALIDATION", "The list with an unknown expand path")


@scenario("contracting", needs=(FIXTURES,))
def wrong_media_type(probe: Probe) -> None:
    """[rule contracting.media-type] A body that is not JSON → 415 `FST_ERR_CTP_INVALID_MEDIA_TYPE`; an unknown id →
    404."""
    reply = _create(probe, "projectId=x", media_type="text/plain")
    _code(probe, reply, 415, "FST_ERR_CTP_INVALID_MEDIA_TYPE", "A text/plain body")
    _code(probe, probe.call(GET, path={"id": UNKNOWN_ENTRY}), 404, "NOT_FOUND", "An unknown entry")


@scenario("contracting", needs=(FIXTURES,))
def list_without_pagination(probe: Probe) -> None:
    """[rule contracting.list.unpaginated] The list is `{"data": [...]}` with every matching entry, no pagination: more
    entries than a page would hold come in one answer."""
    source = _source()
    made = [_created(probe, _entry(referenceSource=source, referenceId=str(n)))["id"] for n in range(UNPAGINATED)]
    reply = probe.expect(_list(probe, referenceSource=source), 200, f"The list of {UNPAGINATED} entries")
    if set(reply.body or {}) != {"data"}:
        probe.fail(f'The list is {{"data": [...]}} alone: {sorted(reply.body or {})}')
    if sorted(_ids(reply)) != sorted(made):
        probe.fail(f"{UNPAGINATED} entries were made, the list holds {len(_ids(reply))}")


SCENARIOS = (
    tokens_and_tenants,
    contracting_check_order,
    other_tenant_records_invisible,
    create_read_replace,
    strict_dates_and_durations,
    list_filters_and_order,
    expand_links,
    wrong_media_type,
    list_without_pagination,
)
