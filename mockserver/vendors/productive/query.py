"""Answering a filter and a sort from the indexes, without reading every entry.

The top-level `and` of a filter is split four ways: one indexed field's single value (a partition:
the entries that have it, kept in their own sort orders), other id-list conditions the store's
equality indexes answer (sets of ids), bounds on `date` (a slice of the date order), and the rest
(tests run on the entries that remain). The answer is then read in sort order from `orders.py`, or,
when an index leaves only a few candidates, those candidates are sorted directly.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from mockserver.platform.records import RecordStore
from mockserver.vendors.productive import collections as c
from mockserver.vendors.productive.entries import Entry, canonical_id, number
from mockserver.vendors.productive.filters import ARRAY, Condition, Group
from mockserver.vendors.productive.orders import EntryOrders, Partition, field_key
from mockserver.vendors.productive.representations import Records

INTEGER_FIELDS = frozenset({"track_method_id", "invoice_attribution_id"})  # integers, as the attributes
INDEXED = frozenset(c.INDEXED_ENTRY_FIELDS)
SMALL = 4  # candidates this many times fewer than the ordered slice are sorted directly
PARTITION_MIN = 2000  # entries sharing one value before they get sort orders of their own


@dataclass(frozen=True)
class Sort:
    field: str
    descending: bool


def parse_sort(raw: str | None) -> list[Sort]:
    """`-date,updated_at` [productive.yaml decision 11: `-` for descending]."""
    return [Sort(part.lstrip("-"), part.startswith("-")) for part in raw.split(",")] if raw else []


@dataclass
class Plan:
    sets: list[Collection[str]] = field(default_factory=list)  # every match is in each
    low: str | None = None  # bounds on `date`, inclusive
    high: str | None = None
    tests: list[Callable[[Entry], bool]] = field(default_factory=list)
    partition: Partition | None = None  # an indexed field's value every match has

    @property
    def bounded(self) -> bool:
        return self.low is not None or self.high is not None

    def in_bounds(self, entry: Entry) -> bool:
        day = entry["date"]
        return (self.low is None or day >= self.low) and (self.high is None or day <= self.high)


class Query:
    def __init__(self, store: RecordStore, orders: EntryOrders, records: Records) -> None:
        self.store = store
        self.orders = orders
        self.records = records
        self.organization = records.organization["id"]

    def select(self, group: Group, sorts: list[Sort]) -> list[str]:
        """The ids of the organization's entries that `group` holds for, in answer order."""
        plan = self._plan(group)
        smallest = min(plan.sets, key=len) if plan.sets else None
        if len(sorts) <= 1:
            sort = sorts[0] if sorts else Sort("id", False)
            order = self.orders.order(self.records.organization, sort.field, sort.descending, plan.partition)
            start, end = order.span(plan.low, plan.high) if sort.field == "date" else (0, len(order))
            if smallest is None or len(smallest) * SMALL >= end - start:
                tests = plan.tests if sort.field == "date" or not plan.bounded else [plan.in_bounds, *plan.tests]
                return self._matching(order.ids_between(start, end), plan.sets, tests)
        pool = plan.sets + ([self._bucket(plan.partition)] if plan.partition else [])
        smallest = min(pool, key=len) if pool else None
        candidates = self._matching(smallest, [s for s in pool if s is not smallest], [plan.in_bounds, *plan.tests])
        return self._sorted(candidates, sorts)

    # -- planning ------------------------------------------------------------------------------

    def _plan(self, group: Group) -> Plan:
        plan = Plan()
        partitions: list[Partition] = []
        members = group.members if not group.any_of else (group,) if group.members else ()
        for member in members:
            if isinstance(member, Condition) and self._bounds(plan, member):
                continue
            partition = self._partition(member)
            if partition is not None:
                partitions.append(partition)
                continue
            exact = self._exact(member)
            if exact is not None:
                plan.sets.append(exact)
            else:
                plan.tests.append(functools.partial(member.test, records=self.records))
        partitions.sort(key=lambda partition: len(self._bucket(partition)))
        plan.sets += [self._bucket(partition) for partition in partitions[1:]]
        if partitions and len(self._bucket(partitions[0])) >= PARTITION_MIN:
            plan.partition = partitions[0]
        elif partitions:
            plan.sets.append(self._bucket(partitions[0]))  # few enough to sort directly
        return plan

    def _bounds(self, plan: Plan, condition: Condition) -> bool:
        """Narrows the plan's `date` bounds when `condition` is one; after/before are gt_eq/lt_eq."""
        if condition.spec.field != "date" or condition.operation not in ("eq", "gt", "gt_eq", "lt", "lt_eq"):
            return False
        day = condition.expected[0]
        if condition.operation in ("eq", "gt", "gt_eq"):
            low = _next_day(day) if condition.operation == "gt" else day
            plan.low = low if plan.low is None else max(plan.low, low)
        if condition.operation in ("eq", "lt", "lt_eq"):
            high = _previous_day(day) if condition.operation == "lt" else day
            plan.high = high if plan.high is None else min(plan.high, high)
        return True

    def _partition(self, member: Condition | Group) -> Partition | None:
        """An indexed entry field that must equal one value."""
        if not isinstance(member, Condition) or member.operation not in ("eq", "contains"):
            return None
        spec = member.spec
        if spec.kind is not ARRAY or spec.field not in INDEXED or len(member.expected) != 1:
            return None
        return spec.field, _stored(spec.field, member.expected)[0]

    def _bucket(self, partition: Partition) -> Collection[str]:
        field_name, stored = partition
        return self.store.keys(c.TIME_ENTRIES, (c.ORGANIZATION, field_name), (self.organization, stored))

    def _exact(self, member: Condition | Group) -> Collection[str] | None:
        """The ids `member` holds for, when indexes give them exactly; else None."""
        if isinstance(member, Group):
            exact = [self._exact(part) for part in member.members]
            parts = [part for part in exact if part is not None]
            if not member.members or len(parts) < len(exact):
                return None
            if member.any_of:
                return set().union(*parts)
            smallest = min(parts, key=len)
            return {key for key in smallest if all(key in part for part in parts)}
        spec = member.spec
        if spec.kind is not ARRAY or member.operation not in ("eq", "contains"):
            return None
        if spec.field == "id":
            mine = self.store.keys(c.TIME_ENTRIES, c.ORGANIZATION, self.organization)
            return {key for key in map(canonical_id, member.expected) if key in mine}
        if spec.field in INDEXED:
            return self._union(spec.field, _stored(spec.field, member.expected))
        if spec.service_field is not None:
            services = [
                service["id"]
                for service in self.store.find(c.SERVICES, c.ORGANIZATION, self.organization)
                if service.get(spec.service_field) is not None and int(service[spec.service_field]) in member.expected
            ]
            return self._union("service_id", services)
        return None

    def _union(self, entry_field: str, values: Iterable[Any]) -> Collection[str]:
        buckets = [
            self.store.keys(c.TIME_ENTRIES, (c.ORGANIZATION, entry_field), (self.organization, v)) for v in values
        ]
        return buckets[0] if len(buckets) == 1 else set().union(*buckets)

    # -- reading -------------------------------------------------------------------------------

    def _matching(
        self, ids: Iterable[str] | None, sets: list[Collection[str]], tests: list[Callable[[Entry], bool]]
    ) -> list[str]:
        if ids is None:
            ids = self.store.keys(c.TIME_ENTRIES, c.ORGANIZATION, self.organization)
        for members in sets:
            ids = filter(members.__contains__, ids)
        if tests:
            ids = (key for key in ids if all(test(self._entry(key)) for test in tests))
        return list(ids)

    def _sorted(self, ids: list[str], sorts: list[Sort]) -> list[str]:
        """Stable sorts from the last key to the first; ties stay in id order [spec decision 11]."""
        offset = self.records.organization["utc_offset"]
        entries = sorted((self._entry(key) for key in ids), key=lambda e: number(e["id"]))
        for sort in reversed(sorts):
            entries.sort(key=functools.partial(field_key, sort.field, offset=offset), reverse=sort.descending)
        return [entry["id"] for entry in entries]

    def _entry(self, key: str) -> Entry:
        """An entry the indexes name: it exists, as they are kept in step with every write."""
        entry = self.store.get(c.TIME_ENTRIES, key)
        assert entry is not None, key
        return entry


def _stored(field_name: str, ids: tuple[int, ...]) -> tuple[Any, ...]:
    """Ids as the entries store them: integers for the integer attributes, else numeric strings."""
    return ids if field_name in INTEGER_FIELDS else tuple(map(str, ids))


def _next_day(day: str) -> str:
    try:
        return (date.fromisoformat(day) + timedelta(days=1)).isoformat()
    except OverflowError:
        return "9999-12-32"  # after every date


def _previous_day(day: str) -> str:
    try:
        return (date.fromisoformat(day) - timedelta(days=1)).isoformat()
    except OverflowError:
        return "0001-01-00"  # before every date
