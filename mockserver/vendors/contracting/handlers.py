"""Contracting's four operations on a tenant's time entries (specs/contracting.yaml)."""

from __future__ import annotations

import secrets
import string
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mockserver.platform.clock import iso_z
from mockserver.platform.errors import ApiError
from mockserver.platform.replies import Reply
from mockserver.platform.vendor import Handler, Services
from mockserver.vendors.contracting import collections as c
from mockserver.vendors.contracting.representations import expansion, time_entry

if TYPE_CHECKING:
    from mockserver.vendors.contracting.vendor import TenantAccess

ID_ALPHABET = string.ascii_lowercase + string.digits
ID_LENGTH = 24  # the vendor's ids: prefix, "_", 24 lowercase alphanumerics [contracting.yaml decision 8]
OPTIONAL_FIELDS = ("description", "referenceSource", "referenceId")
EXACT_FILTERS = ("projectId", "billableId", "referenceSource", "referenceId")


def new_id(prefix: str) -> str:
    return f"{prefix}_" + "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))


def not_found(what: str, record_id: str) -> ApiError:
    return ApiError(404, "NOT_FOUND", f"{what} {record_id} not found")


def list_order(entry: dict[str, Any]) -> tuple[str, str, str]:
    """`date`, then `createdAt`, then `id`: a total order (spec decision 5)."""
    return entry["date"], entry["createdAt"], entry["id"]


class ContractingHandlers:
    def __init__(self, services: Services) -> None:
        self.store = services.store
        self.clock = services.clock

    def by_operation(self) -> Mapping[str, Handler]:
        return {
            "listTimeEntries": self.list_time_entries,
            "createTimeEntry": self.create_time_entry,
            "getTimeEntry": self.get_time_entry,
            "replaceTimeEntry": self.replace_time_entry,
        }

    # -- operations --------------------------------------------------------------------------

    async def list_time_entries(
        self,
        principal: TenantAccess,
        expand: str | None = None,
        projectId: str | None = None,
        billableId: str | None = None,
        referenceSource: str | None = None,
        referenceId: str | None = None,
        dateFrom: str | None = None,
        dateTo: str | None = None,
    ) -> Reply:
        wanted = {
            name: value
            for name, value in zip(EXACT_FILTERS, (projectId, billableId, referenceSource, referenceId), strict=True)
            if value is not None
        }
        entries = [
            entry
            for entry in self._candidates(principal.tenant, wanted)
            if all(entry[name] == value for name, value in wanted.items())
            # dates are YYYY-MM-DD, so text order is calendar order; both bounds inclusive
            # [rule contracting.list.date-bounds]
            and (dateFrom is None or entry["date"] >= dateFrom)
            and (dateTo is None or entry["date"] <= dateTo)
        ]
        tree = expansion(expand)
        return Reply({"data": [time_entry(self.store, entry, tree) for entry in sorted(entries, key=list_order)]})

    async def create_time_entry(self, body: dict[str, Any], principal: TenantAccess) -> Reply:
        tenant = principal.tenant
        project = self._record_of_tenant(c.PROJECTS, "Project", body["projectId"], tenant)
        billable_id = self._billable_of_tenant(body.get("billableId"), tenant)
        now = iso_z(self.clock.now())
        entry = {
            "id": new_id("tsh"),
            "tenantId": tenant,
            "projectId": project["id"],
            "billableId": billable_id,
            "date": body["date"],
            "durationSeconds": body["durationSeconds"],
            **{name: body.get(name) for name in OPTIONAL_FIELDS},
            "createdAt": now,
            "updatedAt": now,
        }
        self.store.put(c.TIME_ENTRIES, entry)
        return Reply({"data": time_entry(self.store, entry)}, 201)

    async def get_time_entry(self, id: str, principal: TenantAccess, expand: str | None = None) -> Reply:
        entry = self._record_of_tenant(c.TIME_ENTRIES, "Time entry", id, principal.tenant)
        return Reply({"data": time_entry(self.store, entry, expansion(expand))})

    async def replace_time_entry(self, id: str, body: dict[str, Any], principal: TenantAccess) -> Reply:
        """A full replace: what the body omits becomes null; project and createdAt are kept."""
        tenant = principal.tenant
        entry = self._record_of_tenant(c.TIME_ENTRIES, "Time entry", id, tenant)
        replaced = {
            **entry,
            "billableId": self._billable_of_tenant(body.get("billableId"), tenant),
            "date": body["date"],
            "durationSeconds": body["durationSeconds"],
            **{name: body.get(name) for name in OPTIONAL_FIELDS},
            "updatedAt": iso_z(self.clock.now()),
        }
        self.store.put(c.TIME_ENTRIES, replaced)
        return Reply({"data": time_entry(self.store, replaced)})

    # -- lookups -----------------------------------------------------------------------------

    def _candidates(self, tenant: str, wanted: Mapping[str, str]) -> list[dict[str, Any]]:
        """The tenant's entries, through the narrowest index the filters allow."""
        if "projectId" in wanted:
            return self.store.find(c.TIME_ENTRIES, c.BY_PROJECT, (tenant, wanted["projectId"]))
        if "billableId" in wanted:
            return self.store.find(c.TIME_ENTRIES, c.BY_BILLABLE, (tenant, wanted["billableId"]))
        return self.store.find(c.TIME_ENTRIES, c.BY_TENANT, tenant)

    def _record_of_tenant(self, collection: str, what: str, record_id: str, tenant: str) -> dict[str, Any]:
        """Another tenant's record is answered like a missing one (spec decision 4)."""
        record = self.store.get(collection, record_id)
        if record is None or record["tenantId"] != tenant:
            raise not_found(what, record_id)
        return record

    def _billable_of_tenant(self, billable_id: str | None, tenant: str) -> str | None:
        if billable_id is None:
            return None
        return self._record_of_tenant(c.BILLABLES, "Billable", billable_id, tenant)["id"]
