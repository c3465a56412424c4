"""Errors raised anywhere in the pipeline, rendered later in the vendor's own envelope."""

from __future__ import annotations

from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any


@dataclass(frozen=True)
class Violation:
    """One reason a request was rejected by input validation."""

    location: str  # "body", "query", "path", "header"
    path: tuple[str | int, ...]  # position inside the body, or the parameter name
    message: str
    rule: str  # the JSON-schema keyword that failed, or "malformed", "format", ...
    value: Any = field(default=None, compare=False)  # the rejected value at `path`, when there is one

    @property
    def pointer(self) -> str:
        return "/".join(str(part) for part in self.path)


class ApiError(Exception):
    """A vendor-visible error: status plus the vendor's reason code and a human message."""

    def __init__(
        self,
        status: int,
        reason: str,
        message: str,
        *,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.message = message
        self.details = details
        self.headers = dict(headers or {})

    def with_headers(self, headers: dict[str, str]) -> ApiError:
        return ApiError(
            self.status, self.reason, self.message, details=self.details, headers={**self.headers, **headers}
        )

    def __repr__(self) -> str:
        return f"ApiError({self.status}, {self.reason!r}, {self.message!r})"


@dataclass
class InputError(Exception):
    """Input validation failed; each vendor decides the status and envelope of its violations."""

    violations: list[Violation] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(f"{v.location} {v.pointer}: {v.message}" for v in self.violations)


RFC_9110_NAMES = {413: "payload_too_large", 414: "uri_too_long"}


def snake_reason_phrase(status: int) -> str:
    """`payload_too_large` for 413: the HTTP reason phrase in snake case."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        return "error"
    if status in RFC_9110_NAMES:  # Python still uses the older names
        return RFC_9110_NAMES[status]
    return phrase.lower().replace(" ", "_").replace("-", "_")
