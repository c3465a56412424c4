"""Productive's time entry operations (specs/productive.yaml): list, create, get, update, delete, and the
approval actions, single and bulk."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from mockserver.platform.inbound import Inbound
from mockserver.platform.replies import Reply
from mockserver.platform.vendor import Handler, Services
from mockserver.vendors.productive import collections as c
from mockserver.vendors.productive import errors
from mockserver.vendors.productive.approval import (
    Action,
    Actor,
    approve,
    reject,
    unapprove,
    unless_conflicting,
    unreject,
)
from mockserver.vendors.productive.entries import DEFAULTS, Entry, canonical_id, value
from mockserver.vendors.productive.filters import compile_filter
from mockserver.vendors.productive.orders import EntryOrders
from mockserver.vendors.productive.pagination import Page
from mockserver.vendors.productive.query import Query, parse_sort
from mockserver.vendors.productive.representations import Records, included, parse_include, resource, single
from mockserver.vendors.productive.timestamps import in_offset

if TYPE_CHECKING:
    from mockserver.vendors.productive.vendor import Access

# the spec's `TimeEntryWritableAttributes`: the create parameters, plus billable_time and track_method_id
# [productive.yaml decision 15]
WRITABLE = (
    "date", "time", "billable_time", "note", "track_method_id", "started_at", "calendar_event_id",
    "rejected_reason", "jira_issue_id", "jira_worklog_id", "jira_organization", "jira_issue_status",
    "jira_issue_summary",
)  # fmt: skip
# relationship → (collection, entry field); person and service required on create, task optional
RELATED = {"person": (c.PEOPLE, "person_id"), "service": (c.SERVICES, "service_id"), "task": (c.TASKS, "task_id")}


def check_date(raw: str) -> None:
    """[productive.yaml decision 14] `""` → "can't be blank" and "is not a date"; `2023-02-30` → "is not a date"."""
    if raw == "":
        raise errors.invalid_attribute("date", "can't be blank", "is not a date")
    try:
        date.fromisoformat(raw)
    except ValueError:
        raise errors.invalid_attribute("date", "is not a date") from None


class ProductiveHandlers:
    def __init__(self, services: Services) -> None:
        self.store = services.store
        self.clock = services.clock
        self.orders = EntryOrders(services.store)

    def by_operation(self) -> Mapping[str, Handler]:
        return {
            "listTimeEntries": self.list_time_entries,
            "createTimeEntry": self.create_time_entry,
            "getTimeEntry": self.get_time_entry,
            "updateTimeEntry": self.update_time_entry,
            "deleteTimeEntry": self.delete_time_entry,
            "approveTimeEntry": self.approve_time_entry,
            "unapproveTimeEntry": self.unapprove_time_entry,
            "rejectTimeEntry": self.reject_time_entry,
            "unrejectTimeEntry": self.unreject_time_entry,
            "bulkApproveTimeEntries": self.bulk_approve_time_entries,
            "bulkUnapproveTimeEntries": self.bulk_unapprove_time_entries,
        }

    # -- reading -------------------------------------------------------------------------------

    async def list_time_entries(
        self,
        principal: Access,
        filter: dict[str, Any] | None = None,
        sort: str | None = None,
        page: dict[str, Any] | None = None,
        include: str | None = None,
        *,
        request: Inbound,
    ) -> Reply:
        group = compile_filter(filter)
        records = self._records(principal)
        matches = Query(self.store, self.orders, records).select(group, parse_sort(sort))
        paging = Page.of(page)
        page_ids = matches[paging.start : paging.start + paging.size]
        shown = [entry for key in page_ids if (entry := self.store.get(c.TIME_ENTRIES, key)) is not None]
        wanted = parse_include(include)
        body: dict[str, Any] = {"data": [resource(entry, records, wanted) for entry in shown]}
        if wanted:
            body["included"] = included(shown, records, wanted)
        url = f"{request.url.scheme}://{request.url.netloc}{request.url.path}"
        body["links"] = paging.links(url, request.query, len(matches))
        body["meta"] = paging.meta(len(matches))
        return Reply(body)

    async def get_time_entry(self, id: str, principal: Access, include: str | None = None) -> Reply:
        records = self._records(principal)
        return Reply(single(self._entry(id, records), records, parse_include(include)))

    # -- writing -------------------------------------------------------------------------------

    async def create_time_entry(self, body: dict[str, Any], principal: Access) -> Reply:
        data = body["data"]
        attributes = data["attributes"]
        check_date(attributes["date"])
        records = self._records(principal)
        related = self._related(data["relationships"], records)
        actor = self._actor(principal, records)
        written = self._attributes(attributes, records)
        now = actor.now
        entry = {
            "id": self.orders.next_id(),
            c.ORGANIZATION: records.organization["id"],
            **DEFAULTS,
            **written,
            "billable_time": written.get("billable_time", written.get("time", DEFAULTS["time"])),
            **related,
            "created_at": now,
            "updated_at": now,
            "last_activity_at": now,
            "creator_id": actor.person_id,
            "updater_id": actor.person_id,
            "last_actor_id": actor.person_id,
        }
        self.orders.put(entry)
        return Reply(single(entry, records), 201)

    async def update_time_entry(self, id: str, body: dict[str, Any], principal: Access) -> Reply:
        """Partial: only the members sent change [spec decision 16]."""
        data = body["data"]
        attributes = data.get("attributes", {})
        if "date" in attributes:
            check_date(attributes["date"])
        records = self._records(principal)
        entry = self._entry(id, records)
        related = self._related(data.get("relationships", {}), records)
        if "id" in data and canonical_id(data["id"]) != entry["id"]:
            raise errors.id_conflict()
        changes = self._attributes(attributes, records)
        if "billable_time" not in changes and changes.get("time", value(entry, "time")) != value(entry, "time"):
            changes["billable_time"] = changes["time"]  # follows a changed time [spec decision 15]
        updated = self._actor(principal, records).touch(entry, **changes, **related)
        self.orders.put(updated)
        return Reply(single(updated, records))

    async def delete_time_entry(self, id: str, principal: Access) -> Reply:
        self.orders.delete(self._entry(id, self._records(principal)))
        return Reply(None, 204)

    # -- approval ------------------------------------------------------------------------------

    async def approve_time_entry(self, id: str, principal: Access) -> Reply:
        return self._act(id, principal, approve)

    async def unapprove_time_entry(self, id: str, principal: Access) -> Reply:
        return self._act(id, principal, unapprove)

    async def reject_time_entry(self, id: str, principal: Access) -> Reply:
        return self._act(id, principal, reject)

    async def unreject_time_entry(self, id: str, principal: Access) -> Reply:
        return self._act(id, principal, unreject)

    async def bulk_approve_time_entries(self, body: dict[str, Any], principal: Access) -> Reply:
        return self._act_on_all(body["ids"], principal, unless_conflicting(approve))

    async def bulk_unapprove_time_entries(self, body: dict[str, Any], principal: Access) -> Reply:
        return self._act_on_all(body["ids"], principal, unless_conflicting(unapprove))

    def _act(self, id: str, principal: Access, action: Action) -> Reply:
        records = self._records(principal)
        updated = action(self._entry(id, records), self._actor(principal, records))
        self.orders.put(updated)
        return Reply(single(updated, records))

    def _act_on_all(self, ids: list[int | str], principal: Access, action: Action) -> Reply:
        """All or nothing: any unknown id → 404 before anything changes [productive.yaml decision 20]. Every entry asked
        for is answered once, in request order."""
        records = self._records(principal)
        entries = [self._entry(key, records) for key in dict.fromkeys(map(canonical_id, ids))]
        actor = self._actor(principal, records)
        answered = []
        for entry in entries:
            updated = action(entry, actor)
            if updated is not entry:
                self.orders.put(updated)
            answered.append(resource(updated, records))
        return Reply({"data": answered, "meta": {}})

    # -- lookups -------------------------------------------------------------------------------

    def _records(self, principal: Access) -> Records:
        organization = self.store.get(c.ORGANIZATIONS, principal.organization_id)
        if organization is None:
            raise RuntimeError(f"the fixtures lack organization {principal.organization_id}")
        return Records(self.store, organization)

    def _actor(self, principal: Access, records: Records) -> Actor:
        return Actor(principal.person_id, self.clock.now(), records.organization["utc_offset"])

    def _entry(self, raw_id: str | int, records: Records) -> Entry:
        """Another organization's entry is as absent as a deleted one [spec decision 3]."""
        entry = records.get(c.TIME_ENTRIES, canonical_id(raw_id))
        if entry is None:
            raise errors.record_not_found()
        return entry

    def _related(self, relationships: dict[str, Any], records: Records) -> dict[str, str | None]:
        """The entry fields the sent relationships set; an unknown record → 404 [spec decision 3]."""
        fields: dict[str, str | None] = {}
        for name, (collection, field) in RELATED.items():
            if name not in relationships:
                continue
            linkage = relationships[name]["data"]
            if linkage is None:
                fields[field] = None
                continue
            record = records.get(collection, canonical_id(linkage["id"]))
            if record is None:
                raise errors.related_not_found(name)
            fields[field] = record["id"]
        return fields

    def _attributes(self, attributes: dict[str, Any], records: Records) -> dict[str, Any]:
        """The writable attributes sent; read-only and unknown ones are ignored [spec decision 15]."""
        written = {name: attributes[name] for name in WRITABLE if name in attributes}
        if written.get("started_at") is not None:
            written["started_at"] = in_offset(written["started_at"], records.organization["utc_offset"])
        return written
