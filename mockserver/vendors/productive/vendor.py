"""Productive on the platform: where its spec is served, who may call what (token, organization,
read-only access, JSON:API content negotiation), and how its errors look."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import Headers

from mockserver.platform.errors import ApiError, InputError, Violation
from mockserver.platform.vendor import Handler, Vendor
from mockserver.vendors.productive import collections as c
from mockserver.vendors.productive import errors
from mockserver.vendors.productive.filters import value_error
from mockserver.vendors.productive.handlers import ProductiveHandlers
from mockserver.vendors.productive.orders import SORT_FIELDS
from mockserver.vendors.productive.representations import INCLUDES

TOKEN_HEADER = "X-Auth-Token"
ORGANIZATION_HEADER = "X-Organization-Id"
JSON_API = "application/vnd.api+json"
READS = frozenset({"listTimeEntries", "getTimeEntry"})
WITH_BODY = frozenset({"createTimeEntry", "updateTimeEntry", "bulkApproveTimeEntries", "bulkUnapproveTimeEntries"})
# the parameters whose every failure is the vendor's 400 "Unsupported …" [spec decision 10]
# (name in the error, the supported names, whether a name may carry `-` for descending)
UNSUPPORTED_KINDS = {
    "sort": ("Sort", frozenset(name for name in SORT_FIELDS if name != "id"), True),
    "include": ("Include", INCLUDES, False),
}


@dataclass(frozen=True)
class Access:
    token: str
    organization_id: str  # the organization the token belongs to
    person_id: str | None  # who acts: approver, rejecter, creator, updater
    read_only: bool


class Productive(Vendor):
    slug = "productive"
    spec_file = "productive.yaml"
    base_path = "/productive/api/v2"
    media_type = f"{JSON_API}; charset=utf-8"  # every response's Content-Type (specs/productive.yaml, Conventions)
    collections = c.ALL

    def handlers(self) -> Mapping[str, Handler]:
        return ProductiveHandlers(self.services).by_operation()

    # -- guard: the spec requires the two headers together --------------------------------------

    def authenticate(self, credentials: Mapping[str, str], headers: Headers) -> Access:
        """401: a missing or unknown token, or no organization header [spec decision 1]."""
        record = self.store.get(c.TOKENS, credentials.get("authToken") or "")
        if record is None:
            raise errors.error(401, f"{TOKEN_HEADER} is missing or invalid")
        if not credentials.get("organizationId"):
            raise errors.error(401, f"{ORGANIZATION_HEADER} is missing")
        return Access(record["token"], record[c.ORGANIZATION], record.get("person_id"), record.get("read_only", False))

    def authorize(self, principal: Access, operation_id: str, path: Mapping[str, str], headers: Headers) -> None:
        """403 for another organization or a read-only write, then 415 for a body that is not
        JSON:API — both before the input is looked at [spec decisions 1-2]."""
        if headers.get(ORGANIZATION_HEADER) != principal.organization_id:
            raise errors.error(403, "The token has no access to this organization")
        if principal.read_only and operation_id not in READS:
            raise errors.error(403, "The token is read-only")
        if operation_id in WITH_BODY and _has_body(headers) and "content-type" not in headers:
            raise self.framework_error(415, "")  # a typed body is checked with the input

    # -- errors ------------------------------------------------------------------------------

    def error_body(self, error: ApiError) -> dict[str, Any]:
        return errors.document(error)

    def input_error(self, error: InputError) -> ApiError:
        """400 for anything malformed or unsupported, else the vendor's 422 for filter values."""
        dates = [violation for violation in error.violations if _not_a_date(violation)]
        if dates:  # Rails validates attributes, not patterns
            if dates[0].value == "":
                return errors.invalid_attribute("date", "can't be blank", "is not a date")
            return errors.invalid_attribute("date", "is not a date")
        objects = _unique([_error_object(violation) for violation in error.violations])
        malformed = [item for item in objects if item["status"] in (400, "400")]
        return errors.failure(400, malformed) if malformed else errors.failure(422, objects)

    def framework_error(self, status: int, message: str) -> ApiError:
        if status == 401:
            return errors.error(401, f"{TOKEN_HEADER} is missing or invalid")
        if status == 415:
            return errors.error(415, f"Content-Type must be {JSON_API}")
        return errors.error(status, message or errors.title(status))


def _unique(objects: list[errors.ErrorObject]) -> list[errors.ErrorObject]:
    """One error object per distinct problem (a filter value may fail several schema rules)."""
    return list({repr(item): item for item in objects}.values())


def _not_a_date(violation: Violation) -> bool:
    """A string `date` attribute the spec's `DateInput` refused (`""`, `2023-02-30`, `15/01/2024`): 422
    [productive.yaml decision 14]."""
    path = tuple(map(str, violation.path or ()))
    refused = violation.rule in ("pattern", "format", "maxLength")
    return violation.location == "body" and path[-2:] == ("attributes", "date") and refused


def _has_body(headers: Headers) -> bool:
    length = headers.get("content-length")
    return "transfer-encoding" in headers or (length is not None and length not in ("", "0"))


def _error_object(violation: Violation) -> errors.ErrorObject:
    where, *inside = violation.path or ("",)
    if violation.location == "query" and where == "filter":
        if violation.rule == "additionalProperties":
            return errors.unsupported("Filter", str(violation.path[-1]))
        return value_error(tuple(map(str, violation.path)), violation.value)
    if violation.location == "query" and where in UNSUPPORTED_KINDS and isinstance(violation.value, str):
        kind, supported, signed = UNSUPPORTED_KINDS[where]
        names = [part.removeprefix("-") if signed else part for part in violation.value.split(",")]
        return errors.unsupported(kind, next((name for name in names if name not in supported), violation.value))
    if violation.location == "query" and where == "page":
        return errors.bad_request("page[number] and page[size] must be integers of at least 1")
    if violation.location == "body":
        subject = f"{violation.pointer} " if violation.path else "Request body "
        return errors.bad_request(f"{subject}{violation.message}")
    name = "".join([str(where), *(f"[{part}]" for part in inside)]) or f"The {violation.location} string"
    return errors.bad_request(f"{name} {violation.message}")
