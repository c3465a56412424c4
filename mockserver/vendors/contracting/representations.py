"""How Contracting shows its records: a link is an id string, or the linked object where `expand`
asks for it, a nested path expanding its parents too [contracting.yaml decision 7]."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mockserver.platform.records import RecordStore
from mockserver.vendors.contracting import collections as c

# relation name -> what to expand inside the related object; absent = leave the id string
Expansion = dict[str, "Expansion"]


@dataclass(frozen=True)
class Link:
    field: str  # where the stored record keeps the related id
    collection: str


@dataclass(frozen=True)
class Shape:
    fields: tuple[str, ...]  # in answer order; a name in `links` is answered as a link
    links: Mapping[str, Link] = field(default_factory=dict)


SHAPES: Mapping[str, Shape] = {
    c.TIME_ENTRIES: Shape(
        (
            "id",
            "project",
            "billable",
            "date",
            "durationSeconds",
            "createdAt",
            "updatedAt",
            "description",
            "referenceSource",
            "referenceId",
        ),
        {"project": Link("projectId", c.PROJECTS), "billable": Link("billableId", c.BILLABLES)},
    ),
    c.PROJECTS: Shape(("id", "name", "contract"), {"contract": Link("contractId", c.CONTRACTS)}),
    c.CONTRACTS: Shape(("id", "name", "client"), {"client": Link("clientId", c.CLIENTS)}),
    c.CLIENTS: Shape(("id", "name")),
    c.BILLABLES: Shape(("id", "name", "invoice"), {"invoice": Link("invoiceId", c.INVOICES)}),
    c.INVOICES: Shape(("id", "number", "contract"), {"contract": Link("contractId", c.CONTRACTS)}),
}


def expand_paths(collection: str = c.TIME_ENTRIES, prefix: str = "") -> list[str]:
    """Every path `expand` accepts: project, project.contract, …, billable.invoice.contract.client."""
    paths = []
    for name, link in SHAPES[collection].links.items():
        paths.append(prefix + name)
        paths.extend(expand_paths(link.collection, f"{prefix}{name}."))
    return paths


def expansion(expand: str | None) -> Expansion:
    """`project.contract,billable` -> {"project": {"contract": {}}, "billable": {}}.

    The spec's pattern admits only the seven paths of contracting.yaml decision 7, so every name here is a link.
    """
    tree: Expansion = {}
    for path in expand.split(",") if expand else ():
        node = tree
        for name in path.split("."):
            node = node.setdefault(name, {})
    return tree


def view(store: RecordStore, collection: str, record: dict[str, Any], expand: Expansion) -> dict[str, Any]:
    shape = SHAPES[collection]
    answer = {}
    for name in shape.fields:
        link = shape.links.get(name)
        answer[name] = record[name] if link is None else _linked(store, link, record[link.field], expand.get(name))
    return answer


def _linked(store: RecordStore, link: Link, record_id: str | None, expand: Expansion | None) -> Any:
    """A null link (no billable, not invoiced) stays null, expanded or not."""
    if record_id is None or expand is None:
        return record_id
    linked = store.get(link.collection, record_id)
    return record_id if linked is None else view(store, link.collection, linked, expand)


def time_entry(store: RecordStore, entry: dict[str, Any], expand: Expansion | None = None) -> dict[str, Any]:
    return view(store, c.TIME_ENTRIES, entry, expand or {})
