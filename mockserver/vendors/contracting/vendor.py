"""Contracting on the platform: where its spec is served, which tenants a token may use, and the
vendor's Fastify-style error envelope (spec decisions 1-3)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from starlette.datastructures import Headers

from mockserver.platform.errors import ApiError, InputError, Violation
from mockserver.platform.vendor import Handler, Vendor
from mockserver.vendors.contracting import collections as c
from mockserver.vendors.contracting.handlers import ContractingHandlers
from mockserver.vendors.contracting.representations import expand_paths

TENANT_HEADER = "tenant-id"

# Fastify's own codes; every other status is named after its reason phrase (`NOT_FOUND`).
FASTIFY_CODES = {
    400: "FST_ERR_VALIDATION",
    413: "FST_ERR_CTP_BODY_TOO_LARGE",
    415: "FST_ERR_CTP_INVALID_MEDIA_TYPE",
}
PHRASES = {413: "Payload Too Large"}  # Fastify's name; Python still says "Request Entity Too Large"
# Fastify's names for where an input error was found
LOCATIONS = {"body": "body", "query": "querystring", "header": "headers", "path": "params", "cookie": "cookies"}
# messages the platform phrases as a predicate ("is not a valid date"), not as a sentence
PREDICATE_RULES = frozenset({"required", "format", "malformed"})
EXPAND_MESSAGE = "querystring/expand must be a comma-separated list of: " + ", ".join(expand_paths())


def phrase(status: int) -> str:
    return PHRASES.get(status) or HTTPStatus(status).phrase


def code(status: int) -> str:
    return FASTIFY_CODES.get(status) or phrase(status).upper().replace(" ", "_").replace("-", "_")


def fastify_error(status: int, message: str) -> ApiError:
    return ApiError(status, code(status), message)


@dataclass(frozen=True)
class TenantAccess:
    token: str
    tenants: frozenset[str]  # the tenants the token may use
    requested: str | None  # the request's tenant-id header

    @property
    def tenant(self) -> str:
        """The tenant a handler works in; validation has made the header required by then."""
        if self.requested is None:
            raise RuntimeError(f"no {TENANT_HEADER} header reached the handler")
        return self.requested


class Contracting(Vendor):
    slug = "contracting"
    spec_file = "contracting.yaml"
    base_path = "/contracting"  # the vendor's paths start with /api/v1 (README, URLs)
    collections = c.ALL
    strict_validation = False  # unknown query parameters are ignored (spec decision 6)

    def handlers(self) -> Mapping[str, Handler]:
        return ContractingHandlers(self.services).by_operation()

    # -- guard -------------------------------------------------------------------------------

    def authenticate(self, credentials: Mapping[str, str], headers: Headers) -> TenantAccess:
        credential = credentials.get("bearerAuth")
        if credential is None:
            raise fastify_error(401, "No authorization token provided")
        record = self.store.get(c.TOKENS, credential)
        if record is None:
            raise fastify_error(401, "Invalid bearer token")
        return TenantAccess(record["token"], frozenset(record["tenantIds"]), headers.get(TENANT_HEADER))

    def authorize(self, principal: TenantAccess, operation_id: str, path: Mapping[str, str], headers: Headers) -> None:
        """403 before input is looked at; a missing header is input, answered 400 by validation."""
        tenant = principal.requested
        if tenant is None:
            return
        if tenant not in principal.tenants or self.store.get(c.TENANTS, tenant) is None:
            raise fastify_error(403, f"Token is not allowed on tenant {tenant}")

    # -- errors ------------------------------------------------------------------------------

    def error_body(self, error: ApiError) -> dict[str, Any]:
        """Also renders the platform's own errors (413, 500), hence the code by status."""
        return {
            "statusCode": error.status,
            "code": code(error.status),
            "error": phrase(error.status),
            "message": error.message,
        }

    def input_error(self, error: InputError) -> ApiError:
        messages: dict[tuple[str, tuple[str | int, ...]], str] = {}
        for violation in error.violations:
            messages.setdefault((violation.location, violation.path), _message(violation))
        return fastify_error(400, ", ".join(dict.fromkeys(messages.values())))

    def framework_error(self, status: int, message: str) -> ApiError:
        return fastify_error(status, message or phrase(status))


def _message(violation: Violation) -> str:
    """In the words of Fastify's validator where it has them: "body must have required property 'date'"."""
    location = LOCATIONS.get(violation.location, violation.location)
    where = "/".join([location, *map(str, violation.path)])
    parent = "/".join([location, *map(str, violation.path[:-1])])
    if violation.rule == "required" and violation.path:
        return f"{parent} must have required property '{violation.path[-1]}'"
    if violation.rule == "additionalProperties":
        return f"{parent} must NOT have additional properties"
    if (violation.location, violation.path, violation.rule) == ("query", ("expand",), "pattern"):
        return EXPAND_MESSAGE
    if violation.rule in PREDICATE_RULES:
        return f"{where} {violation.message}"
    return f"{where}: {violation.message}"
