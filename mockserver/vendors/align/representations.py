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


# (shown as, stored as), in the order shown
_INTEGRATION = (*((field, field) for field in _COMMON), ("notes", "description"), *((field, field) for field in _TAIL))


def _integration_view(entry: dict[str, Any]) -> dict[str, Any]:
    view = {shown: entry[stored] for shown, stored in _INTEGRATION}
    view["externalMetadata"] = entry.get("externalMetadata")
    return view


def synced_entry(entry: dict[str, Any], link: dict[str, Any], *, created: bool) -> dict[str, Any]:
    view = _integration_view(entry)
    view["integrationLinkId"] = link["id"]
    view["created"] = created
    return view


def time_entry_with_links(entry: dict[str, Any], links: list[dict[str, Any]]) -> dict[str, Any]:
    view = _integration_view(entry)
    view["integrationLinks"] = [{field: link[field] for field in _LINK} for link in links]
    return view


def logged_entry(entry: dict[str, Any]) -> dict[str, Any]:
    view = {field: entry[field] for field in _COMMON}
    view["releaseId"] = entry.get("releaseId")
    view["description"] = entry["description"]
    view.update((field, entry[field]) for field in _TAIL)
    return view
