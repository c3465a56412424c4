"""Align's three operations (specs/align.yaml): sync `syncIntegrationTimeEntry`, get with links
`getIntegrationTimeEntry`, log / upsert `logProjectTimeEntry`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mockserver.platform.clock import iso_z
from mockserver.platform.errors import ApiError
from mockserver.platform.ids import new_uuid
from mockserver.platform.replies import Reply
from mockserver.platform.vendor import Handler, Services
from mockserver.vendors.align import collections as c
from mockserver.vendors.align.hours import HoursTooLarge, duration
from mockserver.vendors.align.representations import logged_entry, synced_entry, time_entry_with_links

if TYPE_CHECKING:
    from mockserver.vendors.align.vendor import ApiKey

LOCKED_STATUSES = frozenset({"approved", "locked", "invoiced"})
SYNC_LINK_TYPE = "time_entry"  # externalType and alignEntityType of a sync's link [rule align.sync.integration-link]


def invalid(field: str, issue: str) -> ApiError:
    return ApiError(
        400,
        "validation_error",
        f"The request is invalid: {field} {issue}.",
        details=[{"location": "body", "field": field, "issue": issue}],
    )


def calendar_date(work_date: str) -> str:
    """The day as written, in the value's own offset: 2025-01-15T23:30:00-05:00 is 2025-01-15."""
    return work_date[:10]


class AlignHandlers:
    def __init__(self, services: Services) -> None:
        self.store = services.store
        self.clock = services.clock

    def by_operation(self) -> Mapping[str, Handler]:
        return {
            "syncIntegrationTimeEntry": self.sync_integration_time_entry,
            "getIntegrationTimeEntry": self.get_integration_time_entry,
            "logProjectTimeEntry": self.log_project_time_entry,
        }

    # -- operations --------------------------------------------------------------------------

    async def get_integration_time_entry(self, id: str, principal: ApiKey) -> Reply:
        entry = self._entry_of_org(id.lower(), principal.organization_id)
        if entry is None:
            raise ApiError(404, "not_found", f"Time entry {id} was not found.")
        links = self.store.find(c.LINKS, "alignEntityId", entry["id"])
        return Reply(time_entry_with_links(entry, links))

    async def log_project_time_entry(self, id: str, body: dict[str, Any], principal: ApiKey) -> Reply:
        return await self._log(id.lower(), body, principal)

    # -- behaviour ---------------------------------------------------------------------------

    async def sync_integration_time_entry(self, body: dict[str, Any], principal: ApiKey) -> Reply:
        org = principal.organization_id
        project = self._project_of_org(body["projectId"].lower(), org)
        self._require_user(body["userId"].lower(), org)
        entry_id = self._ticket_in_project(body.get("entryId"), project["id"], "entryId", c.ENTRIES)

        # externalSystem + externalId is the natural key: a repeat returns the entry, 200
        # [rule align.sync.created-then-replayed]
        ref = (org, body["externalSystem"], SYNC_LINK_TYPE, body["externalId"])
        existing = self._linked_entry(ref)
        if existing is not None:
            link, entry = existing
            return Reply(synced_entry(entry, link, created=False), 200)

        now = iso_z(self.clock.now())
        minutes, hours = duration(body["minutes"], None)
        entry = self._new_entry(
            org,
            project["id"],
            body["userId"].lower(),
            work_date=calendar_date(body["workDate"]),
            minutes=minutes,
            hours=hours,
            description=body.get("description"),
            billable=body.get("billable", True),
            entry_id=entry_id,
            release_id=None,
            source=body["externalSystem"],  # [rule align.sync.source-and-notes]
            now=now,
        )
        entry["externalMetadata"] = body.get("externalMetadata")
        link = self._new_link(ref, entry["id"], now)
        self.store.put(c.TIME_ENTRIES, entry)
        self.store.put(c.LINKS, link)
        return Reply(synced_entry(entry, link, created=True), 201)

    async def _log(self, project_id: str, body: dict[str, Any], principal: ApiKey) -> Reply:
        org = principal.organization_id
        project = self._project_of_org(project_id, org)
        user_id = body["userId"].lower()
        self._require_user(user_id, org)
        entry_id = self._ticket_in_project(body.get("entryId"), project["id"], "entryId", c.ENTRIES)
        release_id = self._ticket_in_project(body.get("releaseId"), project["id"], "releaseId", c.RELEASES)
        try:
            minutes, hours = duration(body.get("minutes"), body.get("hours"))
        except HoursTooLarge as exc:
            raise invalid("hours", str(exc).removeprefix("hours ")) from None
        now = iso_z(self.clock.now())

        external_ref = body.get("externalRef")
        if external_ref is not None:
            ref = (org, external_ref["provider"], external_ref["externalType"], external_ref["externalId"])
            existing = self._linked_entry(ref)
            if existing is not None:
                entry = existing[1]
                return self._upsert(entry, project["id"], body, user_id, minutes, hours, entry_id, release_id, now)

        entry = self._new_entry(
            org,
            project["id"],
            user_id,
            work_date=calendar_date(body["workDate"]),
            minutes=minutes,
            hours=hours,
            description=body.get("description"),
            billable=body.get("billable", True),
            entry_id=entry_id,
            release_id=release_id,
            source="api",  # [rule align.log.draft] entries logged through the API
            now=now,
        )
        self.store.put(c.TIME_ENTRIES, entry)
        if external_ref is not None:
            self.store.put(c.LINKS, self._new_link(ref, entry["id"], now))
        return Reply(logged_entry(entry), 201)

    def _upsert(
        self,
        entry: dict[str, Any],
        project_id: str,
        body: dict[str, Any],
        user_id: str,
        minutes: int,
        hours: str,
        entry_id: str | None,
        release_id: str | None,
        now: str,
    ) -> Reply:
        """externalRef upsert [rule align.log.upsert]: update the bound entry unless it is closed for changes
        [rule align.log.locked]."""
        if entry["projectId"] != project_id:
            raise invalid("externalRef", "is bound to a time entry of another project")
        if entry["status"] in LOCKED_STATUSES or entry.get("invoiced"):
            raise ApiError(409, "entry_locked", f"Time entry {entry['id']} is {entry['status']} and cannot be changed.")
        updated = {
            **entry,
            "userId": user_id,
            "workDate": calendar_date(body["workDate"]),
            "minutes": minutes,
            "hours": hours,
            "updatedAt": now,
        }
        for field, value in (("entryId", entry_id), ("releaseId", release_id)):
            if field in body:
                updated[field] = value
        for field in ("description", "billable"):
            if field in body:
                updated[field] = body[field]
        self.store.put(c.TIME_ENTRIES, updated)
        return Reply(logged_entry(updated), 200)

    # -- lookups -----------------------------------------------------------------------------

    def _entry_of_org(self, entry_id: str, org: str) -> dict[str, Any] | None:
        entry = self.store.get(c.TIME_ENTRIES, entry_id)
        return entry if entry is not None and entry["organizationId"] == org else None

    def _project_of_org(self, project_id: str, org: str) -> dict[str, Any]:
        project = self.store.get(c.PROJECTS, project_id)
        if project is None or project["organizationId"] != org:
            raise ApiError(404, "not_found", f"Project {project_id} was not found.")
        return project

    def _require_user(self, user_id: str, org: str) -> None:
        user = self.store.get(c.USERS, user_id)
        if user is None or user["organizationId"] != org:
            raise ApiError(404, "not_found", f"User {user_id} was not found.")

    def _ticket_in_project(self, ticket_id: str | None, project_id: str, field: str, collection: str) -> str | None:
        """An entryId/releaseId must name a record of the same project, else 400
        [rules align.sync.refusals, align.log.refusals]."""
        if ticket_id is None:
            return None
        ticket = self.store.get(collection, ticket_id.lower())
        if ticket is None or ticket["projectId"] != project_id:
            raise invalid(field, "must belong to the specified project")
        return ticket["id"]

    def _linked_entry(self, ref: tuple[str, str, str, str]) -> tuple[dict[str, Any], dict[str, Any]] | None:
        for link in self.store.find(c.LINKS, c.REF, ref):
            if link["alignEntityType"] == "time_entry":
                entry = self.store.get(c.TIME_ENTRIES, link["alignEntityId"])
                if entry is not None:
                    return link, entry
        return None

    # -- records -----------------------------------------------------------------------------

    def _new_entry(
        self,
        org: str,
        project_id: str,
        user_id: str,
        *,
        work_date: str,
        minutes: int,
        hours: str,
        description: str | None,
        billable: bool,
        entry_id: str | None,
        release_id: str | None,
        source: str,
        now: str,
    ) -> dict[str, Any]:
        return {
            "id": new_uuid(),
            "organizationId": org,
            "projectId": project_id,
            "userId": user_id,
            "entryId": entry_id,
            "releaseId": release_id,
            "workDate": work_date,
            "hours": hours,
            "minutes": minutes,
            "description": description,
            "billable": billable,
            "source": source,
            "status": "draft",
            "invoiced": False,
            "createdAt": now,
            "updatedAt": now,
            "externalMetadata": None,
        }

    def _new_link(self, ref: tuple[str, str, str, str], entry_id: str, now: str) -> dict[str, Any]:
        org, provider, external_type, external_id = ref
        return {
            "id": new_uuid(),
            "organizationId": org,
            "provider": provider,
            "externalType": external_type,
            "externalId": external_id,
            "alignEntityType": "time_entry",
            "alignEntityId": entry_id,
            "createdAt": now,
        }
