"""How Productive shows a time entry: the JSON:API resource of the spec's `TimeEntry`, attribute
for attribute, its relationships, and the records `include` asks for [productive.yaml decision 13]."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from mockserver.platform.records import RecordStore
from mockserver.vendors.productive import collections as c
from mockserver.vendors.productive.costs import cost_attributes
from mockserver.vendors.productive.entries import Entry, billable_time, value
from mockserver.vendors.productive.timestamps import in_offset

Resource = dict[str, Any]

TIMESTAMPS = frozenset(
    {
        "created_at",
        "updated_at",
        "last_activity_at",
        "approved_at",
        "rejected_at",
        "started_at",
        "timer_started_at",
        "timer_stopped_at",
    }
)
# the attributes before the currencies, in the order of the spec's examples; the jira_* ones are not shown
ATTRIBUTES = (
    "date", "created_at", "time", "billable_time", "note", "track_method_id", "started_at", "timer_started_at",
    "timer_stopped_at", "approved", "approved_at", "updated_at", "calendar_event_id", "invoice_attribution_id",
    "invoiced", "overhead", "rejected", "rejected_reason", "rejected_at", "last_activity_at", "submitted",
)  # fmt: skip

# type → (collection, attributes shown when included)
INCLUDABLE: dict[str, tuple[str, tuple[str, ...]]] = {
    "people": (c.PEOPLE, ("first_name", "last_name", "email")),
    "services": (c.SERVICES, ("name",)),
    "tasks": (c.TASKS, ("title",)),
    "organizations": (c.ORGANIZATIONS, ("name",)),
    "subsidiaries": (c.SUBSIDIARIES, ("name",)),
}


class Records:
    """The organization's records an entry's view reads, looked up once per request."""

    def __init__(self, store: RecordStore, organization: dict[str, Any]) -> None:
        self.store = store
        self.organization = organization
        self._cache: dict[tuple[str, Any], dict[str, Any] | None] = {}

    def get(self, collection: str, record_id: Any) -> dict[str, Any] | None:
        key = (collection, record_id)
        if key not in self._cache:
            record = self.store.get(collection, record_id) if record_id is not None else None
            if record is not None and record.get(c.ORGANIZATION, self.organization["id"]) != self.organization["id"]:
                record = None
            self._cache[key] = record
        return self._cache[key]

    def person(self, entry: Entry) -> dict[str, Any] | None:
        return self.get(c.PEOPLE, entry.get("person_id"))

    def service(self, entry: Entry) -> dict[str, Any] | None:
        return self.get(c.SERVICES, entry.get("service_id"))


@dataclass(frozen=True)
class Relationship:
    name: str
    type: str
    target: Callable[[Entry, Records], Any]  # the related id, or None
    to_many: bool = False


def _field(name: str) -> Callable[[Entry, Records], Any]:
    return lambda entry, records: value(entry, name)


# every relationship of the resource, in the order of the spec's examples
RELATIONSHIPS = (
    Relationship("organization", "organizations", lambda entry, records: records.organization["id"]),
    Relationship("person", "people", _field("person_id")),
    Relationship("service", "services", _field("service_id")),
    Relationship("task", "tasks", _field("task_id")),
    Relationship("approver", "people", _field("approver_id")),
    Relationship("updater", "people", _field("updater_id")),
    Relationship("rejecter", "people", _field("rejecter_id")),
    Relationship("creator", "people", _field("creator_id")),
    Relationship("last_actor", "people", _field("last_actor_id")),
    Relationship("person_subsidiary", "subsidiaries", lambda e, r: (r.person(e) or {}).get("subsidiary_id")),
    Relationship("deal_subsidiary", "subsidiaries", lambda e, r: (r.service(e) or {}).get("subsidiary_id")),
    Relationship("timesheet", "timesheets", _field("timesheet_id")),
    Relationship("approval_statuses", "approval_statuses", lambda entry, records: None, to_many=True),
)
INCLUDES = frozenset(relationship.name for relationship in RELATIONSHIPS)
NOT_INCLUDED = {"meta": {"included": False}}


def attributes(entry: Entry, records: Records) -> dict[str, Any]:
    offset = records.organization["utc_offset"]
    service = records.service(entry)
    shown: dict[str, Any] = {}
    for name in ATTRIBUTES:
        if name == "billable_time":
            shown[name] = billable_time(entry)
        elif name == "overhead":
            shown[name] = bool((service or {}).get("overhead", False))  # the service's kind of work
        else:
            stored = value(entry, name)
            shown[name] = in_offset(stored, offset) if name in TIMESTAMPS and stored is not None else stored
    shown.update(cost_attributes(value(entry, "time"), records.person(entry), service, records.organization))
    return shown


def linkage(relationship: Relationship, entry: Entry, records: Records) -> Any:
    if relationship.to_many:
        return []
    target = relationship.target(entry, records)
    return None if target is None else {"type": relationship.type, "id": str(target)}


def resource(entry: Entry, records: Records, include: frozenset[str] = frozenset()) -> Resource:
    """`organization` always carries its linkage; the others only when included [productive.yaml decision 13]."""
    relationships = {
        relationship.name: (
            {"data": linkage(relationship, entry, records)}
            if relationship.name in include or relationship.name == "organization"
            else NOT_INCLUDED
        )
        for relationship in RELATIONSHIPS
    }
    return {
        "id": entry["id"],
        "type": "time_entries",
        "attributes": attributes(entry, records),
        "relationships": relationships,
    }


def included(entries: Iterable[Entry], records: Records, include: frozenset[str]) -> list[Resource]:
    """Each related record once, in order of first mention."""
    found: dict[tuple[str, str], Resource] = {}
    for entry in entries:
        for relationship in RELATIONSHIPS:
            if relationship.name not in include or relationship.to_many:
                continue
            target = linkage(relationship, entry, records)
            if target is None or relationship.type not in INCLUDABLE:
                continue
            key = (target["type"], target["id"])
            if key in found:
                continue
            collection, shown = INCLUDABLE[relationship.type]
            record = records.get(collection, target["id"])
            if record is not None:
                found[key] = {
                    "id": target["id"],
                    "type": target["type"],
                    "attributes": {name: record.get(name) for name in shown},
                }
    return list(found.values())


def single(entry: Entry, records: Records, include: frozenset[str] = frozenset()) -> dict[str, Any]:
    """One entry: `"meta": {}` [rule productive.entry.defaults-and-costs]; `included` only when something was asked
    for."""
    body: dict[str, Any] = {"data": resource(entry, records, include)}
    if include:
        body["included"] = included([entry], records, include)
    body["meta"] = {}
    return body


def parse_include(raw: str | None) -> frozenset[str]:
    return frozenset(raw.split(",")) if raw else frozenset()
