"""Who the fuzzer is, per API: the main credential, the extra ones the behaviour checks need,
and the demo defaults of DESIGN §5 that make `mockserver fuzz` work against the fake out of the box."""

from __future__ import annotations

from dataclasses import dataclass, replace
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
    other_tenant: str | None = None  # Contracting: a second tenant the token may use, for isolation

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


DEMO: dict[str, Credentials] = {
    "align": Credentials(
        "align",
        token="ako_demo_org_acme",
        project_key="ako_demo_proj_acme_web",
        disabled_key="ako_demo_org_globex",
    ),
    "contracting": Credentials(
        "contracting",
        token="kk_demo_token_all",
        tenant="tnt_acme00000000000000000001",
        other_tenant="tnt_zeta00000000000000000002",
    ),
    "productive": Credentials("productive", token="pat_demo_1001", organization="1001"),
}

# CLI option -> the Credentials field it sets, and the APIs it fits.
OPTIONS: dict[str, tuple[str, frozenset[str]]] = {
    "token": ("token", frozenset(DEMO)),
    "tenant": ("tenant", frozenset({"contracting"})),
    "other_tenant": ("other_tenant", frozenset({"contracting"})),
    "organization": ("organization", frozenset({"productive"})),
    "project_key": ("project_key", frozenset({"align"})),
    "disabled_key": ("disabled_key", frozenset({"align"})),
}


def credentials_for(api: str, **given: Any) -> Credentials:
    """The demo credentials of `api`, with every option given (not None) put in their place."""
    if api not in DEMO:
        raise CredentialError(f"unknown API '{api}' (choose from {', '.join(DEMO)})")
    changes: dict[str, str] = {}
    for option, value in given.items():
        if value is None:
            continue
        target, apis = OPTIONS[option]
        if api not in apis:
            flag = "--" + option.replace("_", "-")
            raise CredentialError(f"{flag} does not apply to {api} (it is for {', '.join(sorted(apis))})")
        if not value:
            raise CredentialError(f"--{option.replace('_', '-')} must not be empty")
        changes[target] = value
    return replace(DEMO[api], **changes)
