"""The security stage: 401 auth, then 403 scope, then 402 plan, before any input is looked at.

Connexion finds the credential for each security scheme of the spec (bearer header, API-key header)
and calls a function for it. Here that function is the vendor's `Guard`: it authenticates the
credential and authorizes the operation, raising ApiError with the vendor's own reasons. The
principal it returns is put in the request context, where handlers receive it as `principal`.
"""

from __future__ import annotations

from typing import Any, Protocol

from connexion.lifecycle import ConnexionRequest
from connexion.security import ApiKeySecurityHandler, BearerSecurityHandler

ROUTING = "connexion_routing"


class Guard(Protocol):
    def authenticate(self, credential: str, scheme: str, request: ConnexionRequest) -> Any:
        """The principal behind `credential`, or ApiError 401."""

    def authorize(self, principal: Any, operation_id: str, request: ConnexionRequest) -> None:
        """ApiError 403 when the principal may not call the operation, then 402 when its plan lacks it."""


def operation_id(request: ConnexionRequest) -> str:
    return request.scope.get("extensions", {}).get(ROUTING, {}).get("operation_id") or ""


def security_map(guard: Guard) -> dict[str, type]:
    """Connexion security handlers that hand every credential to `guard`."""

    def credential_check(scheme_type: str):
        def check(credential: str, request: ConnexionRequest) -> dict[str, Any]:
            principal = guard.authenticate(credential, scheme_type, request)
            guard.authorize(principal, operation_id(request), request)
            request.context["principal"] = principal
            return {"sub": getattr(principal, "id", None), "principal": principal}

        return check

    class GuardedBearer(BearerSecurityHandler):
        def _resolve_func(self, security_scheme: dict[str, Any]):
            return credential_check("bearer")

    class GuardedApiKey(ApiKeySecurityHandler):
        def _resolve_func(self, security_scheme: dict[str, Any]):
            return credential_check(security_scheme["name"])

    return {"bearer": GuardedBearer, "apiKey": GuardedApiKey}
