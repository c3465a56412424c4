"""The request as a handler may see it, passed as an argument (never read from a request global)."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import URL, Headers


@dataclass(frozen=True)
class Inbound:
    method: str
    url: URL
    headers: Headers
    query: list[tuple[str, str]]  # the decoded query pairs, in order
