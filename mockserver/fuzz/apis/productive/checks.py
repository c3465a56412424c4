"""Productive.io's behaviour rules (the registry's `productive.*` rules), one check per rule."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import schemathesis
from schemathesis.checks import CheckContext
from schemathesis.core.transport import Response
from schemathesis.generation.case import Case

from mockserver.fuzz.adapter import run_headers
from mockserver.fuzz.apis.productive import filters
from mockserver.fuzz.probe import (
    SKIP,
    applies,
    describe,
    json_body,
    operation_id,
    replay,
    request,
    send,
    violation,
)
from mockserver.fuzz.target import Target

LIST = "listTimeEntries"
GET = "getTimeEntry"
CREATE = "createTimeEntry"
UPDATE = "updateTimeEntry"
TRANSITIONS = ("approveTimeEntry", "unapproveTimeEntry", "rejectTimeEntry", "unrejectTimeEntry")
DEFAULT_PAGE_SIZE = 30
MAX_PAGE_SIZE = 200
WRITABLE = ("date", "time", "billable_time", "note", "track_method_id")
# [productive.yaml decision 19] the code of the 409 a transition answers, by the entry's state before it
REPEATED_CONFLICT = {
    "approveTimeEntry": "record_already_approved",
    "rejectTimeEntry": "record_already_rejected",
    "unapproveTimeEntry": "record_already_unapproved",
    "unrejectTimeEntry": "record_already_unrejected",
}


ProbeQuery = Callable[[dict[str, Any], dict[str, Any]], dict[str, str]]


def conflict_body(code: str) -> dict[str, Any]:
    """The vendor's 409 body, exactly (productive.yaml example `AlreadyApprovedConflict`)."""
    return {"errors": [{"status": "409", "code": code, "title": "Conflict error", "source": {}}]}


def expected_conflict(transition: str, approved: bool, rejected: bool) -> str | None:
    """The 409 code `transition` answers on an entry in this state; None when it applies
    [productive.yaml decision 19]."""
    if transition in ("approveTimeEntry", "rejectTimeEntry"):
        return "record_already_approved" if approved else "record_already_rejected" if rejected else None
    if transition == "unapproveTimeEntry":
        return None if approved else "record_already_unapproved"
    return None if rejected else "record_already_unrejected"


def _data(body: Any) -> list[dict[str, Any]]:
    data = body.get("data") if isinstance(body, dict) else None
    if isinstance(data, dict):
        return [data]
    return [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []


def _query_value(query: dict[str, Any], name: str, key: str) -> Any:
    group = query.get(name)
    if isinstance(group, dict) and key in group:
        return group[key]
    return query.get(f"{name}[{key}]")


def _as_int(value: Any, default: int) -> int | None:
    if value is None:
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _headers(ctx: CheckContext, target: Target) -> dict[str, str]:
    return {**run_headers(ctx), **target.credentials.headers()}


@dataclass(frozen=True)
class Listing:
    """A list (or read) to judge: the query asked, the body answered, and the probe when a check sent it."""

    query: dict[str, Any]
    body: Any
    probe: Case | None = None


def _listing(ctx: CheckContext, response: Response, case: Case, operation: str, probe: ProbeQuery) -> Listing | None:
    """The response itself when `case` is `operation`; after a create, `operation` asked with `probe`'s query
    about the new entry, so the rule is held whether or not the run generates such requests itself."""
    target = applies(case, "productive", operation, CREATE)
    if target is None:
        return None
    if operation_id(case) == operation:
        return Listing(dict(case.query or {}), json_body(response)) if response.status_code == 200 else None
    created = _data(json_body(response))
    if response.status_code != 201 or not created:
        return None
    query = probe(created[0], case.body if isinstance(case.body, dict) else {})
    path = {"id": created[0].get("id")} if operation == GET else {}
    asked = request(case, operation, headers=_headers(ctx, target), query=query, path_parameters=path)
    answer = send(ctx, case, asked)
    return Listing(query, json_body(answer), asked) if answer.status_code == 200 else None


def _person(sent: dict[str, Any]) -> str | None:
    person = (((sent.get("data") or {}).get("relationships") or {}).get("person") or {}).get("data") or {}
    return person.get("id") if isinstance(person, dict) else None


def _filters_probe(entry: dict[str, Any], sent: dict[str, Any]) -> dict[str, str]:
    """The new entry's person, and (a date from the new entry's on, or rejected): a nested logical group."""
    date = (entry.get("attributes") or {}).get("date", "")
    group = {"[$op]": "or", "[0][date][gt_eq]": date, "[1][status]": "3"}
    person = _person(sent)
    if person is None:
        return {f"filter{key}": value for key, value in group.items()}
    return {"filter[person_id]": person, **{f"filter[0]{key}": value for key, value in group.items()}}


@schemathesis.check
def list_matches_filters(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """[rule productive.list.filters] Every listed entry satisfies the filters asked, operations and logical groups
    included."""
    listing = _listing(ctx, response, case, LIST, _filters_probe)
    tree = filters.filter_tree(listing.query) if listing is not None else {}
    items = _data(listing.body) if listing is not None else []
    if listing is None or not tree or not items:
        return SKIP
    checked_on = listing.probe
    needed = filters.relationships_used(tree) - filters.included_names(listing.query)
    if needed:
        checked_on, items = _with_relationships(ctx, case, items, needed)
    wrong = [item.get("id") for item in items if filters.evaluate(tree, item) is False]
    if wrong:
        raise violation(
            list_matches_filters,
            case,
            f"Entries that do not satisfy {tree}: {', '.join(map(str, wrong[:10]))}",
            at=checked_on,
        )
    return None


def _with_relationships(
    ctx: CheckContext, case: Case, items: list[dict[str, Any]], names: set[str]
) -> tuple[Case, list[dict[str, Any]]]:
    """The listed entries again, by id, with the relationships a filter needs included."""
    target = applies(case, "productive")
    assert target is not None
    ids = [str(item.get("id")) for item in items]
    query = {"filter[id]": ",".join(ids), "include": ",".join(sorted(names)), "page[size]": str(len(ids))}
    lookup = request(case, LIST, headers=_headers(ctx, target), query=query)
    answer = send(ctx, case, lookup)
    found = {item.get("id"): item for item in _data(json_body(answer))} if answer.status_code == 200 else {}
    return lookup, [found.get(item.get("id"), item) for item in items]


@schemathesis.check
def list_sort_order(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """[rule productive.list.sort] Entries come in the `sort` order asked; ties and unsorted lists by id ascending."""
    listing = _listing(ctx, response, case, LIST, lambda entry, sent: {"sort": "-date,updated_at", "page[size]": "50"})
    if listing is None:
        return SKIP
    sort = listing.query.get("sort")
    keys = [part for part in sort.split(",") if part] if isinstance(sort, str) else []
    items = _data(listing.body)
    for before, after in zip(items, items[1:], strict=False):
        if filters.out_of_order(before, after, keys):
            raise violation(
                list_sort_order,
                case,
                f"Entry {before.get('id')} comes before {after.get('id')} under sort={sort or '(none: id)'}",
                at=listing.probe,
            )
    return None


def _page_probe(entry: dict[str, Any], sent: dict[str, Any]) -> dict[str, str]:
    return {
        "filter[date][lt_eq]": (entry.get("attributes") or {}).get("date", ""),
        "page[size]": "2",
        "page[number]": "2",
    }


@schemathesis.check
def pagination_meta_arithmetic(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """[rule productive.list.pagination] `meta`: page size ≤ 200, total_pages = ceil(total_count / page_size), the
    page's count."""
    listing = _listing(ctx, response, case, LIST, _page_probe)
    meta = listing.body.get("meta") if listing is not None and isinstance(listing.body, dict) else None
    if listing is None or not isinstance(meta, dict):
        return SKIP
    number = _as_int(_query_value(listing.query, "page", "number"), 1)
    size = _as_int(_query_value(listing.query, "page", "size"), DEFAULT_PAGE_SIZE)
    if number is None or size is None:
        return SKIP
    size = min(size, MAX_PAGE_SIZE)
    total = meta.get("total_count")
    if not isinstance(total, int):
        raise violation(pagination_meta_arithmetic, case, f"`meta.total_count` is {total!r}", at=listing.probe)
    expected = {
        "current_page": number,
        "page_size": size,
        "max_page_size": MAX_PAGE_SIZE,
        "total_pages": math.ceil(total / size),
    }
    problems = [
        f"`meta.{key}` is {meta.get(key)!r}, expected {value}"
        for key, value in expected.items()
        if meta.get(key) != value
    ]
    held = max(0, min(size, total - (number - 1) * size))
    if len(_data(listing.body)) != held:
        problems.append(f"the page holds {len(_data(listing.body))} entries, expected {held}")
    if problems:
        raise violation(pagination_meta_arithmetic, case, "\n".join(problems), at=listing.probe)
    return None


@schemathesis.check
def included_matches_relationships(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """[rule productive.list.include] `included` holds exactly the records the asked relationships name, each once."""
    include = {"include": "person,service,task,creator"}
    listing = _listing(ctx, response, case, LIST, lambda entry, sent: include) or _listing(
        ctx, response, case, GET, lambda entry, sent: include
    )
    if listing is None or not isinstance(listing.body, dict):
        return SKIP
    asked = filters.included_names(listing.query)
    problems, named = [], set()
    for item in _data(listing.body):
        for name, relationship in (item.get("relationships") or {}).items():
            has_data = isinstance(relationship, dict) and "data" in relationship
            if name in asked and not has_data:
                problems.append(f"{item.get('id')}: `{name}` was included but carries no `data`")
            if name in asked and has_data:
                data = relationship["data"]
                for ref in data if isinstance(data, list) else [data] if isinstance(data, dict) else []:
                    named.add((ref.get("type"), ref.get("id")))
    included = [
        (record.get("type"), record.get("id"))
        for record in listing.body.get("included") or []
        if isinstance(record, dict)
    ]
    duplicates = sorted({ref for ref in included if included.count(ref) > 1}, key=str)
    if duplicates:
        problems.append(f"included more than once: {duplicates}")
    if named - set(included):
        problems.append(f"named but not included: {sorted(named - set(included), key=str)}")
    if set(included) - named:
        problems.append(f"included but named by no asked relationship: {sorted(set(included) - named, key=str)}")
    if problems:
        raise violation(included_matches_relationships, case, "\n".join(problems[:10]), at=listing.probe)
    return None


@schemathesis.check
def transition_conflicts_match_seed(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """[rule productive.approval.conflicts] A transition the entry's state forbids answers 409 with the vendor's body
    and code."""
    target = applies(case, "productive", *TRANSITIONS)
    if target is None or response.status_code not in (200, 409):
        return SKIP
    transition = operation_id(case)
    if response.status_code == 200:
        follow_up = replay(case)
        answer = send(ctx, case, follow_up)
        expected = conflict_body(REPEATED_CONFLICT[transition])
        if answer.status_code != 409 or json_body(answer) != expected:
            raise violation(
                transition_conflicts_match_seed,
                case,
                f"Repeated, it answered {describe(answer)}\nexpected 409 {expected}",
                at=follow_up,
            )
        return None
    read = request(case, GET, headers=_headers(ctx, target), path_parameters=dict(case.path_parameters or {}))
    state = _data(json_body(send(ctx, case, read)))
    if not state:
        return SKIP
    attributes = state[0].get("attributes") or {}
    code = expected_conflict(transition, bool(attributes.get("approved")), bool(attributes.get("rejected")))
    if code is None or json_body(response) != conflict_body(code):
        wanted = "no conflict" if code is None else str(conflict_body(code))
        raise violation(
            transition_conflicts_match_seed,
            case,
            f"On an entry with approved={attributes.get('approved')}, rejected={attributes.get('rejected')}: "
            f"{describe(response)}\nexpected {wanted}",
            at=read,
        )
    return None


@schemathesis.check
def patch_visible_in_next_get(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """[rule productive.entry.patch-visible] A PATCH is visible in the next GET: the entry as answered, every attribute
    sent."""
    target = applies(case, "productive", UPDATE)
    if target is None or response.status_code != 200:
        return SKIP
    patched = _data(json_body(response))
    if not patched:
        return SKIP
    read = request(case, GET, headers=_headers(ctx, target), path_parameters=dict(case.path_parameters or {}))
    answer = send(ctx, case, read)
    current = _data(json_body(answer))
    if answer.status_code != 200 or not current:
        raise violation(patch_visible_in_next_get, case, f"The read answered {describe(answer)}", at=read)
    problems = []
    if current[0].get("attributes") != patched[0].get("attributes"):
        problems.append(f"attributes read {current[0].get('attributes')}\npatched {patched[0].get('attributes')}")
    data = case.body.get("data") if isinstance(case.body, dict) else None
    sent = data.get("attributes") if isinstance(data, dict) else None
    for name in WRITABLE:
        if isinstance(sent, dict) and name in sent and (current[0].get("attributes") or {}).get(name) != sent[name]:
            problems.append(f"`{name}` sent {sent[name]!r}, read {(current[0].get('attributes') or {}).get(name)!r}")
    if problems:
        raise violation(patch_visible_in_next_get, case, "\n".join(problems), at=read)
    return None


# -- what the shared rules need to know about Productive (checks/common.py) --------------------------

MEDIA_TYPE = "application/vnd.api+json"


def envelope_problems(status: int, body: Any) -> list[str]:
    """JSON:API `{"errors": [{"status", "title", ...}, ...]}`, nothing beside `errors`."""
    if not isinstance(body, dict) or not isinstance(body.get("errors"), list) or not body["errors"]:
        return ['the body is not {"errors": [...]} with at least one error']
    problems = (
        [f"members outside the envelope: {', '.join(sorted(set(body) - {'errors'}))}"]
        if set(body) != {"errors"}
        else []
    )
    for error in body["errors"]:
        if not isinstance(error, dict) or not isinstance(error.get("status"), str | int):
            problems.append(f"an error without a `status`: {error!r}")
        elif not isinstance(error.get("title"), str):
            problems.append(f"an error without a `title`: {error!r}")
    return problems


def observe(ctx: CheckContext, case: Case, target: Target) -> Any:
    """How many entries there are, and the entry the request names, if any."""
    headers = _headers(ctx, target)
    count = send(ctx, case, request(case, LIST, headers=headers, query={"page[size]": "1"}))
    meta = (json_body(count) or {}).get("meta") if isinstance(json_body(count), dict) else None
    state: dict[str, Any] = {"total_count": meta.get("total_count") if isinstance(meta, dict) else None}
    entry = (case.path_parameters or {}).get("id")
    if entry is not None:
        read = send(ctx, case, request(case, GET, headers=headers, path_parameters={"id": entry}))
        state["entry"] = (read.status_code, _data(json_body(read)))
    return state
