"""Productive's list query judged from the outside: which entries a filter admits, what order `sort`
asks for [productive.yaml decisions 5-11]. Three-valued: None where the entry alone
cannot tell (filters on records the resource does not carry, such as project or deal)."""

from __future__ import annotations

import re
from typing import Any

OPERATIONS = frozenset({"eq", "not_eq", "contains", "not_contain", "gt", "gt_eq", "lt", "lt_eq"})
RELATIONSHIP_FILTERS = {
    "person_id": "person",
    "service_id": "service",
    "task_id": "task",
    "approver_id": "approver",
    "creator_id": "creator",
    "last_actor_id": "last_actor",
}
DATE_ATTRIBUTES = {
    "date": "date",
    "approved_at": "approved_at",
    "last_activity_at": "last_activity_at",
    "started_at": "started_at",
    "updated_at": "updated_at",
}
NUMBER_ATTRIBUTES = {
    "time": "time",
    "track_method_id": "track_method_id",
    "invoice_attribution_id": "invoice_attribution_id",
}
SORTABLE = ("date", "updated_at")
BRACKETS = re.compile(r"\[([^\]]*)\]")


def filter_tree(query: dict[str, Any]) -> dict[str, Any]:
    """The `filter` object of a query, from deepObject form or flat `filter[a][b]` keys."""
    tree = query.get("filter")
    result: dict[str, Any] = dict(tree) if isinstance(tree, dict) else {}
    for key, value in query.items():
        if not key.startswith("filter["):
            continue
        parts = BRACKETS.findall(key)
        node = result
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        if parts:
            node[parts[-1]] = value
    return result


def included_names(query: dict[str, Any]) -> set[str]:
    value = query.get("include")
    return {name for name in value.split(",") if name} if isinstance(value, str) else set()


def relationships_used(tree: dict[str, Any]) -> set[str]:
    used = set()
    for key, value in tree.items():
        if key in RELATIONSHIP_FILTERS:
            used.add(RELATIONSHIP_FILTERS[key])
        elif isinstance(value, dict) and key.isdigit():
            used |= relationships_used(value)
    return used


def evaluate(level: dict[str, Any], item: dict[str, Any]) -> bool | None:
    """Whether `item` satisfies one level of the filter: its named filters and indexed operands."""
    operands = [key for key in level if key != "$op"]
    if not operands:
        return True  # a group without operands filters nothing, as the fake's `Group` does
    results = []
    for key, value in level.items():
        if key == "$op":
            continue
        if key.isdigit():
            results.append(evaluate(value, item) if isinstance(value, dict) else None)
        else:
            results.append(_filter(key, value, item))
    return _any(results) if level.get("$op") == "or" else _all(results)


def _all(results: list[bool | None]) -> bool | None:
    if any(result is False for result in results):
        return False
    return None if any(result is None for result in results) else True


def _any(results: list[bool | None]) -> bool | None:
    if any(result is True for result in results):
        return True
    return None if any(result is None for result in results) else False


def _filter(name: str, value: Any, item: dict[str, Any]) -> bool | None:
    if isinstance(value, dict):
        if not set(value) <= OPERATIONS:
            return None
        return _all([_operation(name, operation, str(operand), item) for operation, operand in value.items()])
    return _operation(name, "eq", str(value), item)


def _operation(name: str, operation: str, operand: str, item: dict[str, Any]) -> bool | None:
    attributes = item.get("attributes") or {}
    if name in ("after", "before"):
        date = attributes.get("date")
        if operation != "eq" or not isinstance(date, str):
            return None
        return date >= operand if name == "after" else date <= operand
    if name == "status":
        state = _status(attributes)
        return _compare(state, operation, operand.split(",")) if state is not None else None
    if name == "invoiced":
        return _compare(str(bool(attributes.get("invoiced"))).lower(), operation, [operand])
    if name == "id":
        return _compare(item.get("id"), operation, operand.split(","))
    if name in RELATIONSHIP_FILTERS:
        relationship = (item.get("relationships") or {}).get(RELATIONSHIP_FILTERS[name]) or {}
        if "data" not in relationship:
            return None
        data = relationship["data"]
        return _compare(data.get("id") if isinstance(data, dict) else None, operation, operand.split(","))
    if name in DATE_ATTRIBUTES:
        moment = attributes.get(DATE_ATTRIBUTES[name])
        return _ordered(moment[:10] if isinstance(moment, str) else None, operation, operand)
    if name in NUMBER_ATTRIBUTES:
        number = attributes.get(NUMBER_ATTRIBUTES[name])
        if operation in ("eq", "not_eq", "contains", "not_contain"):
            return _compare(None if number is None else str(number), operation, operand.split(","))
        try:
            return _ordered(None if number is None else int(number), operation, int(operand))
        except ValueError:
            return None
    return None


def _status(attributes: dict[str, Any]) -> str | None:
    if attributes.get("approved"):
        return "1"
    if attributes.get("rejected"):
        return "3"
    return "2" if "approved" in attributes else None


def _compare(actual: str | None, operation: str, values: list[str]) -> bool | None:
    if operation in ("eq", "contains"):
        return actual in values
    if operation in ("not_eq", "not_contain"):
        return actual not in values
    return None


def _ordered(actual: Any, operation: str, operand: Any) -> bool | None:
    if actual is None:
        return None
    if operation in ("eq", "contains"):
        return actual == operand
    if operation in ("not_eq", "not_contain"):
        return actual != operand
    return {
        "gt": actual > operand,
        "gt_eq": actual >= operand,
        "lt": actual < operand,
        "lt_eq": actual <= operand,
    }[operation]


def out_of_order(before: dict[str, Any], after: dict[str, Any], keys: list[str]) -> bool:
    """Whether `before` must come after `after` under the sort `keys`, ties broken by id ascending.
    A key the entries do not carry as an attribute ends the comparison undecided."""
    for key in keys:
        field = key.lstrip("-")
        if field not in SORTABLE:
            return False
        a, b = (before.get("attributes") or {}).get(field), (after.get("attributes") or {}).get(field)
        if a == b:
            continue
        ascending = (a is None) or (b is not None and a < b)
        return ascending if key.startswith("-") else not ascending
    try:
        return int(str(before.get("id"))) > int(str(after.get("id")))
    except (TypeError, ValueError):
        return False
