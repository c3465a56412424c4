"""Who the fuzzer is, per API: the main credential and the extra ones the behaviour checks send.

The demo values (README, Demo credentials) live in each API's room (`mockserver.fuzz.apis.<api>`): with the demo main
credential every extra one defaults to its demo value too, so `mockserver fuzz` works against the fake out
of the box. With another main credential (a real deployment) only the extras given are used; the rules that
need a missing one are reported as not checked.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any


class CredentialError(ValueError):
    """An option that does not fit the API it was given for."""


@dataclass(frozen=True)
class Credentials:
    """One API's credentials. Fields an API does not use stay None."""

    api: str
    token: str
    tenant: str | None = None  # Contracting: the `tenant-id` every request works in
    organization: str | None = None  # Productive: `X-Organization-Id`
    project_key: str | None = None  # Align: a project-scoped key, refused on /integration/* (403)
    disabled_key: str | None = None  # Align: an org-scoped key of an org without time_tracking (402)
    revoked_key: str | None = None  # Align: a revoked key (401 key_revoked)
    other_org_key: str | None = None  # Align: an org-scoped key of another organization with time_tracking
    other_org_entry: str | None = None  # Align: the id of a time entry of another organization (404)
    other_tenant: str | None = None  # Contracting: a second tenant the token may use, for isolation
    single_tenant_token: str | None = None  # Contracting: a token refused on --other-tenant (403)
    readonly_token: str | None = None  # Productive: a read-only token of the organization (403 on writes)
    other_token: str | None = None  # Productive: a token of another organization
    other_organization: str | None = None  # Productive: that other organization's id
    organization_offset: str | None = None  # Productive: the UTC offset the organization's timestamps carry
    other_organization_offset: str | None = None  # Productive: the other organization's UTC offset

    def headers(self) -> dict[str, str]:
        """Every header the main credential needs, as a plain client would send them."""
        if self.api == "align":
            return {"Authorization": f"Bearer {self.token}"}
        if self.api == "contracting":
            return {"Authorization": f"Bearer {self.token}", "tenant-id": self.tenant or ""}
        return {"X-Auth-Token": self.token, "X-Organization-Id": self.organization or ""}

    def auth_schemes(self) -> dict[str, dict[str, str]]:
        """The main credential as schemathesis' `[auth.openapi]` schemes of the API's spec."""
        if self.api == "productive":
            return {"authToken": {"api_key": self.token}, "organizationId": {"api_key": self.organization or ""}}
        return {"bearerAuth": {"bearer": self.token}}

    def parameters(self) -> dict[str, str]:
        """Credentials the spec declares as ordinary parameters (Contracting's `tenant-id` header)."""
        return {"header.tenant-id": self.tenant or ""} if self.api == "contracting" else {}

    def secrets(self) -> dict[str, str]:
        """Every credential value that is a secret (keys and tokens) -> the shell variable it stands for."""
        variables: dict[str, str] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name in SECRET_FIELDS and isinstance(value, str) and value:
                suffix = "KEY" if (self.api, item.name) == ("align", "token") else SECRET_FIELDS[item.name]
                variables.setdefault(value, f"{self.api.upper()}_{suffix}")
        return variables


SECRET_FIELDS = {
    "token": "TOKEN",
    "project_key": "PROJECT_KEY",
    "disabled_key": "DISABLED_KEY",
    "revoked_key": "REVOKED_KEY",
    "other_org_key": "OTHER_ORG_KEY",
    "single_tenant_token": "SINGLE_TENANT_TOKEN",
    "readonly_token": "READONLY_TOKEN",
    "other_token": "OTHER_TOKEN",
}
# The main credential is always given; these are the fields that identify where it works, not extras.
PLACE_FIELDS = frozenset({"token", "tenant", "organization"})


def option_name(field_name: str) -> str:
    return "--" + field_name.replace("_", "-")


def demo(api: str) -> Credentials:
    from mockserver.fuzz.apis import APIS

    if api not in APIS:
        raise CredentialError(f"unknown API '{api}' (choose from {', '.join(APIS)})")
    return APIS[api].demo


def options(api: str) -> tuple[str, ...]:
    """The credential fields that apply to `api`: those its demo credentials set."""
    return tuple(item.name for item in fields(Credentials) if item.name != "api" and getattr(demo(api), item.name))


def credentials_for(api: str, **given: Any) -> Credentials:
    """`api`'s credentials from the options given (not None). With the demo main credential, every other
    field defaults to its demo value; with another one, the extras not given stay None (not checked)."""
    base = demo(api)
    applicable = options(api)
    changes: dict[str, str] = {}
    for name, value in given.items():
        if value is None:
            continue
        if name not in applicable:
            users = sorted(slug for slug in _apis() if name in options(slug))
            raise CredentialError(f"{option_name(name)} does not apply to {api} (it is for {', '.join(users)})")
        if not value:
            raise CredentialError(f"{option_name(name)} must not be empty")
        changes[name] = value
    if changes.get("token", base.token) != base.token:
        cleared: dict[str, Any] = {name: None for name in applicable if name not in PLACE_FIELDS}
        base = replace(base, **cleared)
    return replace(base, **changes)


def _apis() -> tuple[str, ...]:
    from mockserver.fuzz.apis import APIS

    return tuple(APIS)
