"""How Align shows a time entry: `notes` on the integration endpoints [rule align.sync.source-and-notes],
`description` on the project endpoint [rule align.log.draft].

Each view is written out field by field, in the order shown: a dict display is built in one step, where a
loop over field names costs a lookup and an insertion per field on every answer.
"""

from __future__ import annotations

from typing import Any

Document = dict[str, Any]


def _integration_view(entry: Document) -> Document:
    return {
        "id": entry["id"],
        "organizationId": entry["organizationId"],
        "projectId": entry["projectId"],
        "userId": entry["userId"],
        "entryId": entry["entryId"],
        "workDate": entry["workDate"],
        "hours": entry["hours"],
        "minutes": entry["minutes"],
        "notes": entry["description"],
        "billable": entry["billable"],
        "source": entry["source"],
        "status": entry["status"],
        "invoiced": entry["invoiced"],
        "createdAt": entry["createdAt"],
        "updatedAt": entry["updatedAt"],
        "externalMetadata": entry.get("externalMetadata"),
    }


def _link_view(link: Document) -> Document:
    return {
        "id": link["id"],
        "organizationId": link["organizationId"],
        "provider": link["provider"],
        "externalType": link["externalType"],
        "externalId": link["externalId"],
        "alignEntityType": link["alignEntityType"],
        "alignEntityId": link["alignEntityId"],
        "createdAt": link["createdAt"],
    }


def synced_entry(entry: Document, link: Document, *, created: bool) -> Document:
    view = _integration_view(entry)
    view["integrationLinkId"] = link["id"]
    view["created"] = created
    return view


def time_entry_with_links(entry: Document, links: list[Document]) -> Document:
    view = _integration_view(entry)
    view["integrationLinks"] = [_link_view(link) for link in links]
    return view


def logged_entry(entry: Document) -> Document:
    return {
        "id": entry["id"],
        "organizationId": entry["organizationId"],
        "projectId": entry["projectId"],
        "userId": entry["userId"],
        "entryId": entry["entryId"],
        "workDate": entry["workDate"],
        "hours": entry["hours"],
        "minutes": entry["minutes"],
        "releaseId": entry.get("releaseId"),
        "description": entry["description"],
        "billable": entry["billable"],
        "source": entry["source"],
        "status": entry["status"],
        "invoiced": entry["invoiced"],
        "createdAt": entry["createdAt"],
        "updatedAt": entry["updatedAt"],
    }
