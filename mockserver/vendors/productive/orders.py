"""Each organization's entries kept sorted by a sort field, so a sorted, date-bounded page is a
slice instead of a scan (the store's own indexes answer equality only).

Orders are built on first use and kept in step with every write made through `EntryOrders`; a write
made anywhere else (fixtures, reset, state file) changes the store's revision and drops them all.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable
from typing import Any

from mockserver.platform.records import RecordStore
from mockserver.vendors.productive import collections as c
from mockserver.vendors.productive.entries import Entry, number, value
from mockserver.vendors.productive.timestamps import in_offset

FieldKey = tuple[int, Any]  # (0, "") for null, which sorts first ascending [spec decision 11]
NULL: FieldKey = (0, "")
Partition = tuple[str, Any]  # (indexed entry field, value): the entries an order is limited to


def _stored(field: str) -> Callable[[Entry, str], Any]:
    return lambda entry, offset: value(entry, field)


def _instant(field: str) -> Callable[[Entry, str], Any]:
    def read(entry: Entry, offset: str) -> Any:
        stored = value(entry, field)
        return None if stored is None else in_offset(stored, offset)

    return read


# the sort fields of the spec's `sort` parameter; `id` is the order of a list without `sort`
SORT_FIELDS: dict[str, Callable[[Entry, str], Any]] = {
    "id": lambda entry, offset: None,
    "date": _stored("date"),
    "updated_at": _instant("updated_at"),
    "jira_issue_id": _stored("jira_issue_id"),
    "jira_issue_status": _stored("jira_issue_status"),
    "jira_issue_summary": _stored("jira_issue_summary"),
}


def field_key(field: str, entry: Entry, offset: str) -> FieldKey:
    found = SORT_FIELDS[field](entry, offset)
    return NULL if found is None else (1, found)


class Order:
    """Entry ids by (field, id); a descending order keeps ties by ascending id [spec decision 11]."""

    def __init__(
        self, field: str, descending: bool, offset: str, partition: Partition | None, entries: Iterable[Entry]
    ) -> None:
        self.field = field
        self.descending = descending
        self.offset = offset
        self.partition = partition
        pairs = sorted((self._key(entry), entry["id"]) for entry in entries)
        self.keys = [key for key, _ in pairs]
        self.ids = [entry_id for _, entry_id in pairs]

    def __len__(self) -> int:
        return len(self.ids)

    def _key(self, entry: Entry) -> tuple[FieldKey, int]:
        tie = number(entry["id"])
        return field_key(self.field, entry, self.offset), -tie if self.descending else tie

    def holds(self, entry: Entry) -> bool:
        return self.partition is None or entry.get(self.partition[0]) == self.partition[1]

    def insert(self, entry: Entry) -> None:
        key = self._key(entry)
        at = bisect.bisect_left(self.keys, key)
        self.keys.insert(at, key)
        self.ids.insert(at, entry["id"])

    def remove(self, entry: Entry) -> None:
        key = self._key(entry)
        at = bisect.bisect_left(self.keys, key)
        if at < len(self.keys) and self.keys[at] == key:
            del self.keys[at]
            del self.ids[at]

    def span(self, low: Any, high: Any) -> tuple[int, int]:
        """Positions of the entries whose field lies in [low, high] (None: unbounded)."""
        start = 0 if low is None else bisect.bisect_left(self.keys, ((1, low), -math.inf))
        end = len(self.keys) if high is None else bisect.bisect_right(self.keys, ((1, high), math.inf))
        return start, max(start, end)

    def ids_between(self, start: int, end: int) -> list[str]:
        """The ids at those positions, in answer order."""
        ids = self.ids[start:end]
        if self.descending:
            ids.reverse()
        return ids


class EntryOrders:
    def __init__(self, store: RecordStore) -> None:
        self.store = store
        self._orders: dict[tuple[str, str, bool, Partition | None], Order] = {}
        self._highest: int | None = None
        self._revision = -1

    def _in_step(self) -> None:
        revision = self.store.revision(c.TIME_ENTRIES)
        if revision != self._revision:
            self._orders.clear()
            self._highest = None
            self._revision = revision

    def order(
        self, organization: dict[str, Any], field: str, descending: bool, partition: Partition | None = None
    ) -> Order:
        self._in_step()
        key = (organization["id"], field, descending, partition)
        if key not in self._orders:
            if partition is None:
                entries = self.store.find(c.TIME_ENTRIES, c.ORGANIZATION, organization["id"])
            else:
                index = (c.ORGANIZATION, partition[0])
                entries = self.store.find(c.TIME_ENTRIES, index, (organization["id"], partition[1]))
            self._orders[key] = Order(field, descending, organization["utc_offset"], partition, entries)
        return self._orders[key]

    def next_id(self) -> str:
        """Ids grow across organizations, as the vendor's do."""
        self._in_step()
        if self._highest is None:
            self._highest = max((number(key) for key in self._keys()), default=0)
        return str(self._highest + 1)

    def _keys(self) -> Iterable[str]:
        return (entry["id"] for entry in self.store.all(c.TIME_ENTRIES))

    def put(self, entry: Entry) -> None:
        self._in_step()
        old = self.store.get(c.TIME_ENTRIES, entry["id"])
        self.store.put(c.TIME_ENTRIES, entry)
        self._follow(old, entry)

    def delete(self, entry: Entry) -> None:
        self._in_step()
        self.store.delete(c.TIME_ENTRIES, entry["id"])
        self._follow(entry, None)

    def _follow(self, old: Entry | None, new: Entry | None) -> None:
        organization = (new or old or {}).get(c.ORGANIZATION)
        for (owner, *_), order in self._orders.items():
            if owner == organization:
                if old is not None and order.holds(old):
                    order.remove(old)
                if new is not None and order.holds(new):
                    order.insert(new)
        if new is not None and self._highest is not None:
            self._highest = max(self._highest, number(new["id"]))
        self._revision = self.store.revision(c.TIME_ENTRIES)
