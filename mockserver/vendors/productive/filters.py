"""The list's filters: what each one reads, its value type, the eight operations and logical groups
[productive.yaml decisions 5-10].

`compile_filter` turns the `filter` object the pipeline parsed from `filter[...]=...` into a tree of
`Group`s and `Condition`s; query.py decides how to answer it from the indexes.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from mockserver.vendors.productive import errors
from mockserver.vendors.productive.entries import Entry, value
from mockserver.vendors.productive.representations import Records
from mockserver.vendors.productive.timestamps import local_date

LOGICAL = "$op"
_DIGITS = re.compile(r"^[0-9]+$")


# -- value types ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """A filter's value type, named as the vendor names it in its 422: 'Date' [productive.yaml decision 10]."""

    name: str
    parse: Callable[[str], tuple[Any, ...]]  # the listed values; raises ValueError
    substring: bool = False  # `contains` is a substring test (text) rather than `eq`


def _date(raw: str) -> tuple[str, ...]:
    if len(raw) != 10:
        raise ValueError(raw)
    return (date.fromisoformat(raw).isoformat(),)


def _integer(raw: str) -> tuple[int, ...]:
    if not _DIGITS.match(raw):
        raise ValueError(raw)
    return (int(raw),)


def _boolean(raw: str) -> tuple[bool, ...]:
    return ({"true": True, "false": False}[raw],) if raw in ("true", "false") else _fail(raw)


def _ids(raw: str) -> tuple[int, ...]:
    return tuple(number for part in raw.split(",") for number in _integer(part))


def _one_of(*allowed: int) -> Callable[[str], tuple[int, ...]]:
    def parse(raw: str) -> tuple[int, ...]:
        parsed = _integer(raw)
        return parsed if parsed[0] in allowed else _fail(raw)

    return parse


def _fail(raw: str) -> Any:
    raise ValueError(raw)


DATE = Kind("Date", _date)
INTEGER = Kind("Integer", _integer)
BOOLEAN = Kind("Boolean", _boolean)
ARRAY = Kind("Array", _ids)
TEXT = Kind("String", lambda raw: (raw,), substring=True)
LOGICAL_OPERATOR = Kind("Logical operator", lambda raw: (raw,) if raw in ("and", "or") else _fail(raw))


# -- what each filter reads ----------------------------------------------------------------------

Reader = Callable[[Entry, Records], Any]


@dataclass(frozen=True)
class FilterSpec:
    kind: Kind
    read: Reader
    field: str | None = None  # the entry field it compares, when it reads one as stored
    service_field: str | None = None  # the service field it compares [spec decision 9]
    plain: bool = False  # takes a plain value only, no operations (after, before)


def _entry(field: str) -> FilterSpec:
    return FilterSpec(TEXT, lambda entry, records: value(entry, field), field=field)


def _entry_id(field: str) -> FilterSpec:
    def read(entry: Entry, records: Records) -> int | None:
        stored = value(entry, field)
        return None if stored is None else int(stored)

    return FilterSpec(ARRAY, read, field=field)


def _entry_flag(field: str) -> FilterSpec:
    return FilterSpec(BOOLEAN, lambda entry, records: bool(value(entry, field)), field=field)


def _day_of(field: str) -> FilterSpec:
    def read(entry: Entry, records: Records) -> str | None:
        stored = value(entry, field)
        return None if stored is None else local_date(stored, records.organization["utc_offset"])

    return FilterSpec(DATE, read)


def _service(field: str, kind: Kind = ARRAY) -> FilterSpec:
    def read(entry: Entry, records: Records) -> int | None:
        stored = (records.service(entry) or {}).get(field)
        return None if stored is None else int(stored)

    return FilterSpec(kind, read, service_field=field)


def _statuses(entry: Entry, records: Records) -> frozenset[int]:
    """1 approved, 2 unapproved, 3 rejected — exclusive; 2 splits into 5 submitted and 6 draft
    with the timesheet submission feature [productive.yaml decision 8]."""
    if value(entry, "approved"):
        return frozenset({1})
    if value(entry, "rejected"):
        return frozenset({3})
    return frozenset({2, 5 if value(entry, "submitted") else 6})


def _entry_date(entry: Entry, records: Records) -> str:
    return entry["date"]


FILTERS: dict[str, FilterSpec] = {
    "after": FilterSpec(DATE, _entry_date, field="date", plain=True),
    "approved_at": _day_of("approved_at"),
    "approver_id": _entry_id("approver_id"),
    "autotracked": _entry_flag("autotracked"),
    "before": FilterSpec(DATE, _entry_date, field="date", plain=True),
    "billing_type_id": _service("billing_type_id", Kind("Integer", _one_of(1, 2, 3))),
    "booking_id": _entry_id("booking_id"),
    "budget_id": _service("budget_id"),
    "company_id": _service("company_id"),
    "creator_id": _entry_id("creator_id"),
    "date": FilterSpec(DATE, _entry_date, field="date"),
    "deal_id": _service("deal_id"),
    "id": _entry_id("id"),
    "invoicing_status": FilterSpec(
        Kind("Integer", _one_of(1, 2, 3)), lambda entry, records: value(entry, "invoicing_status")
    ),
    "invoice_attribution_id": _entry_id("invoice_attribution_id"),
    "invoice_id": _entry_id("invoice_id"),
    "invoiced": _entry_flag("invoiced"),
    "jira_issue_id": _entry("jira_issue_id"),
    "jira_issue_status": _entry("jira_issue_status"),
    "jira_issue_summary": _entry("jira_issue_summary"),
    "jira_worklog_id": _entry("jira_worklog_id"),
    "last_activity_at": _day_of("last_activity_at"),
    "last_actor_id": _entry_id("last_actor_id"),
    "person_id": _entry_id("person_id"),
    "project_id": _service("project_id"),
    "responsible_id": _service("responsible_id"),
    "service_id": _entry_id("service_id"),
    "started_at": _day_of("started_at"),
    "status": FilterSpec(Kind("Integer", _one_of(1, 2, 3, 5, 6)), _statuses),
    "task_id": _entry_id("task_id"),
    "time": FilterSpec(INTEGER, lambda entry, records: value(entry, "time")),
    "track_method_id": _entry_id("track_method_id"),
    "updated_at": _day_of("updated_at"),
}


# -- operations [spec decision 5]: one function each ---------------------------------------------

Operation = Callable[[Any, tuple[Any, ...], Kind], bool]


def _holds(compare: Callable[[Any, Any], bool], actual: Any, expected: tuple[Any, ...]) -> bool:
    """Some stored value compares true with some listed value; a missing value never does."""
    actuals = actual if isinstance(actual, frozenset) else (actual,)
    return any(a is not None and compare(a, e) for a in actuals for e in expected)


def eq(actual: Any, expected: tuple[Any, ...], kind: Kind) -> bool:
    return _holds(operator.eq, actual, expected)


def not_eq(actual: Any, expected: tuple[Any, ...], kind: Kind) -> bool:
    return not eq(actual, expected, kind)


def contains(actual: Any, expected: tuple[Any, ...], kind: Kind) -> bool:
    """Case-insensitive substring on text; `eq` on every other type."""
    if not kind.substring:
        return eq(actual, expected, kind)
    return _holds(lambda a, e: e.casefold() in a.casefold(), actual, expected)


def not_contain(actual: Any, expected: tuple[Any, ...], kind: Kind) -> bool:
    return not contains(actual, expected, kind)


def gt(actual: Any, expected: tuple[Any, ...], kind: Kind) -> bool:
    return _holds(operator.gt, actual, expected)


def gt_eq(actual: Any, expected: tuple[Any, ...], kind: Kind) -> bool:
    return _holds(operator.ge, actual, expected)


def lt(actual: Any, expected: tuple[Any, ...], kind: Kind) -> bool:
    return _holds(operator.lt, actual, expected)


def lt_eq(actual: Any, expected: tuple[Any, ...], kind: Kind) -> bool:
    return _holds(operator.le, actual, expected)


OPERATIONS: dict[str, Operation] = {
    "eq": eq,
    "not_eq": not_eq,
    "contains": contains,
    "not_contain": not_contain,
    "gt": gt,
    "gt_eq": gt_eq,
    "lt": lt,
    "lt_eq": lt_eq,
}
PLAIN_OPERATION = {"after": "gt_eq", "before": "lt_eq"}  # inclusive bounds [spec decision 7]


# -- the filter tree -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    name: str
    operation: str
    expected: tuple[Any, ...]

    @property
    def spec(self) -> FilterSpec:
        return FILTERS[self.name]

    def test(self, entry: Entry, records: Records) -> bool:
        spec = self.spec
        return OPERATIONS[self.operation](spec.read(entry, records), self.expected, spec.kind)


@dataclass(frozen=True)
class Group:
    """`and` of its members unless `filter[$op]=or`; an empty group holds for every entry."""

    any_of: bool
    members: tuple[Condition | Group, ...]

    def test(self, entry: Entry, records: Records) -> bool:
        if not self.members:
            return True
        if self.any_of:
            return any(member.test(entry, records) for member in self.members)
        return all(member.test(entry, records) for member in self.members)


def compile_filter(raw: dict[str, Any] | None) -> Group:
    """Raises the vendor's 422 for a value the filter does not take (the spec lets none through)."""
    return _group(raw or {}, ("filter",))


def _group(raw: dict[str, Any], at: tuple[str, ...]) -> Group:
    members: list[Condition | Group] = []
    for key, item in raw.items():
        if key == LOGICAL:
            continue
        if key.isdigit():
            members.append(_group(item, (*at, key)))
        else:
            members.extend(_conditions(key, item, (*at, key)))
    any_of = raw.get(LOGICAL) == "or"
    if any_of:
        # the operations of one filter must all hold, even inside an `or` [spec decision 5]
        members = [_all_of(member) for member in _by_filter(members)]
    return Group(any_of, tuple(members))


def _by_filter(members: list[Condition | Group]) -> list[list[Condition | Group]]:
    grouped: dict[Any, list[Condition | Group]] = {}
    for index, member in enumerate(members):
        key = member.name if isinstance(member, Condition) else index
        grouped.setdefault(key, []).append(member)
    return list(grouped.values())


def _all_of(members: list[Condition | Group]) -> Condition | Group:
    return members[0] if len(members) == 1 else Group(False, tuple(members))


def _conditions(name: str, item: Any, at: tuple[str, ...]) -> list[Condition]:
    spec = FILTERS[name]
    if isinstance(item, str):
        return [Condition(name, PLAIN_OPERATION.get(name, "eq"), _parse(spec.kind, item, at, name))]
    return [
        Condition(name, operation, _parse(spec.kind, raw, (*at, operation), name)) for operation, raw in item.items()
    ]


def _parse(kind: Kind, raw: str, at: tuple[str, ...], name: str) -> tuple[Any, ...]:
    try:
        return kind.parse(raw)
    except ValueError:
        raise errors.failure(422, [errors.unsupported_filter_value(parameter(at), name, raw, kind.name)]) from None


def parameter(at: tuple[str, ...]) -> str:
    """("filter", "date", "gt_eq") → `filter[date][gt_eq]`, the query key as sent."""
    return at[0] + "".join(f"[{key}]" for key in at[1:])


# -- explaining a value the spec rejected --------------------------------------------------------


def value_error(path: tuple[str, ...], rejected: Any) -> errors.ErrorObject:
    """The error for `rejected`, the value the schema refused at `path` (`("filter", "after")`): the
    vendor's 422 naming the innermost query key at fault, or a 400 for a key that is no filter."""
    name = path[-1] if len(path) > 1 else ""
    if name == LOGICAL:
        kind = LOGICAL_OPERATOR
    elif name in FILTERS:
        kind = FILTERS[name].kind
    else:
        return errors.unsupported("Filter", name or path[0])
    suffix, leaf = _bad_leaf(name, kind, rejected)
    return errors.unsupported_filter_value(parameter(path) + suffix, name, leaf, kind.name)


def _bad_leaf(name: str, kind: Kind, rejected: Any) -> tuple[str, Any]:
    """Inside `{"gt_eq": "x", "foo": "1"}`: the first operation that is unknown or holds a bad value."""
    if not isinstance(rejected, dict):
        return "", rejected
    for operation, item in rejected.items():
        suffix, leaf = _first_leaf(item)
        if name == LOGICAL or FILTERS[name].plain or operation not in OPERATIONS or suffix:
            return f"[{operation}]{suffix}", leaf
        try:
            kind.parse(item)
        except ValueError:
            return f"[{operation}]", item
    return "", ""


def _first_leaf(item: Any) -> tuple[str, Any]:
    suffix = ""
    while isinstance(item, dict) and item:
        key, item = next(iter(item.items()))
        suffix += f"[{key}]"
    return suffix, "" if isinstance(item, dict) else item
