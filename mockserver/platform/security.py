"""The guard stage: the credentials the operation's security requirement names, read from the request
once, handed to the vendor's guard once — 401 auth, then 403 scope, then 402 plan, before any input is
looked at."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from starlette.datastructures import Headers

from mockserver.platform.errors import ApiError
from mockserver.platform.headers import RequestHeaders
from mockserver.platform.operations import Operation

# RFC 6750 §2.1: the scheme, one space, a b64token; a TAB or any other shape is a malformed credential
_BEARER = re.compile(r"Bearer ([A-Za-z0-9\-._~+/]+=*)", re.IGNORECASE)


class MalformedCredential(Exception):
    """An Authorization header that is not `Bearer <token>`."""


class Guard(Protocol):
    def authenticate(self, credentials: Mapping[str, str], headers: Headers) -> Any:
        """The principal behind the credentials (scheme name -> value, the ones sent), or ApiError 401."""

    def authorize(self, principal: Any, operation_id: str, path: Mapping[str, str], headers: Headers) -> None:
        """ApiError 403 when the principal may not call the operation, then 402 when its plan lacks it."""


@functools.lru_cache(maxsize=64)  # a client sends the same Authorization on every request
def bearer_token(value: str) -> str | None:
    """The token of `Bearer <token>`; None for any other shape."""
    match = _BEARER.fullmatch(value)
    return None if match is None else match.group(1)


def credentials(operation: Operation, headers: RequestHeaders) -> dict[str, str]:
    """Every credential the operation's security schemes name that the request carries, by scheme name."""
    found: dict[str, str] = {}
    for scheme in operation.schemes:
        raw = headers.first.get(scheme.raw_header)
        if raw is None:
            continue
        if scheme.raw_header in headers.repeated:
            raise MalformedCredential(f"{scheme.header} is sent more than once")
        value = raw.decode("latin-1")
        if scheme.kind == "bearer":
            token = bearer_token(value)
            if token is None:
                raise MalformedCredential("Authorization is not 'Bearer <token>'")
            found[scheme.name] = token
        else:
            found[scheme.name] = value
    return found


def guard(
    vendor: Guard,
    operation: Operation,
    path: Mapping[str, str],
    headers: RequestHeaders,
    unauthorized: Callable[[str], ApiError],
) -> Any:
    """The principal the request acts as; `unauthorized` makes the vendor's 401 for a malformed credential."""
    if not operation.security:
        return None
    try:
        sent = credentials(operation, headers)
    except MalformedCredential as malformed:
        raise unauthorized(str(malformed)) from None
    principal = vendor.authenticate(sent, headers)
    vendor.authorize(principal, operation.operation_id, path, headers)
    return principal
