"""Align on the platform: where its spec is served, who may call what, how its errors look."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import Headers

from mockserver.platform.errors import ApiError, InputError, snake_reason_phrase
from mockserver.platform.vendor import Handler, Vendor
from mockserver.vendors.align import collections as c
from mockserver.vendors.align.handlers import AlignHandlers

TIME_TRACKING = "time_tracking"
ORG_KEY_ONLY = frozenset({"syncIntegrationTimeEntry", "getIntegrationTimeEntry"})


@dataclass(frozen=True)
class ApiKey:
    key: str
    organization_id: str
    project_id: str | None  # set for a project-scoped key


class Align(Vendor):
    slug = "align"
    spec_file = "align.yaml"
    base_path = "/align/api/v1"
    collections = c.ALL
    # [rule align.idempotency.replay] both POSTs take an Idempotency-Key
    idempotent_operations = frozenset({"syncIntegrationTimeEntry", "logProjectTimeEntry"})

    def handlers(self) -> Mapping[str, Handler]:
        return AlignHandlers(self.services).by_operation()

    # -- guard -------------------------------------------------------------------------------

    def authenticate(self, credentials: Mapping[str, str], headers: Headers) -> ApiKey:
        """The key from `Authorization: Bearer` or `X-API-Key` (the spec's two schemes)."""
        credential = credentials.get("bearerAuth") or credentials.get("apiKeyAuth")
        if credential is None:
            raise ApiError(
                401,
                "missing_api_key",
                "An API key is required: send Authorization: Bearer <key> or X-API-Key: <key>.",
            )
        record = self.store.get(c.API_KEYS, credential)
        if record is None:
            raise ApiError(401, "invalid_api_key", "The API key is not valid.")
        if record.get("revoked"):
            raise ApiError(401, "key_revoked", "This API key has been revoked.")
        return ApiKey(record["key"], record["organizationId"], record.get("projectId"))

    def authorize(self, principal: ApiKey, operation_id: str, path: Mapping[str, str], headers: Headers) -> None:
        if principal.project_id is not None:
            # [rule align.scope.project-key-integration] project-scoped keys are rejected on /integration/*
            if operation_id in ORG_KEY_ONLY:
                raise ApiError(403, "scope_violation", "This endpoint requires an organization-scoped API key.")
            # [rule align.scope.project-key-own-project] a project key logs time on its own project only
            project = path.get("id")
            if project is not None and project.lower() != principal.project_id:
                raise ApiError(403, "scope_violation", "This API key is scoped to another project.")
        # [rule align.plan.time-tracking] the plan gate covers every time-entry endpoint
        organization = self.store.get(c.ORGANIZATIONS, principal.organization_id) or {}
        if TIME_TRACKING not in organization.get("features", ()):
            raise ApiError(402, "feature_disabled", "The time_tracking feature is not enabled for this organization.")

    def idempotency_owner(self, principal: ApiKey) -> str:
        # a key is scoped to the API key's organization (specs/align.yaml info.description, Idempotency-Key)
        return principal.organization_id

    # -- errors ------------------------------------------------------------------------------

    def error_body(self, error: ApiError) -> dict[str, Any]:
        body: dict[str, Any] = {
            "error": snake_reason_phrase(error.status),
            "reason": error.reason,
            "message": error.message,
        }
        if error.details:
            body["details"] = error.details
        return body

    def input_error(self, error: InputError) -> ApiError:
        details = [{"location": v.location, "field": v.pointer, "issue": v.message} for v in error.violations]
        first = details[0]
        subject = f"{first['field']} " if first["field"] else f"the {first['location']} "
        return ApiError(400, "validation_error", f"The request is invalid: {subject}{first['issue']}.", details=details)

    def framework_error(self, status: int, message: str) -> ApiError:
        if status == 401:  # a malformed credential; a missing one is the guard's missing_api_key
            return ApiError(401, "invalid_api_key", f"The API key is not valid ({message}).")
        if status == 415:
            return ApiError(415, "unsupported_media_type", "Send the body as application/json.")
        return ApiError(status, snake_reason_phrase(status), message or snake_reason_phrase(status))

    def fault_error(self, status: int) -> ApiError:
        reason = "rate_limit" if status == 429 else snake_reason_phrase(status)
        return ApiError(status, reason, f"Fault injected by the admin API: {status}.")
