"""How Align shows a time entry: `notes` on the integration endpoints [rule align.sync.source-and-notes],
`description` on the project endpoint [rule align.log.draft]."""

from __future__ import annotations

from typing import Any

_COMMON = ("id", "organizationId", "projectId", "userId", "entryId", "workDate", "hours", "minutes")
_TAIL = ("billable", "source", "status", "invoiced", "createdAt", "updatedAt")
_LINK = (
    "id",
    "organizationId",
    "provider",
    "externalType",
    "externalId",
    "alignEntityType",
    "alignEntityId",
    "createdAt",
)


def _integration_view(entry: dict[str, Any]) -> dict[str, Any]:
    view = {field: entry[field] for field in _COMMON}
    view["notes"] = entry["description"]
    view.update((field, entry[field]) for field in _TAIL)
    view["externalMetadata"] = entry.get("externalMetadata")
    return view


def synced_entry(entry: dict[str, Any], link: dict[str, Any], *, created: bool) -> dict[str, Any]:
    return {**_integration_view(entry), "integrationLinkId": link["id"], "created": created}


def time_entry_with_links(entry: dict[str, Any], links: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        **_integration_view(entry),
        "integrationLinks": [{field: link[field] for field in _LINK} for link in links],
    }


def logged_entry(entry: dict[str, Any]) -> dict[str, Any]:
    view = {field: entry[field] for field in _COMMON}
    view["releaseId"] = entry.get("releaseId")
    view["description"] = entry["description"]
    view.update((field, entry[field]) for field in _TAIL)
    return view
