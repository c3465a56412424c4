"""What a real front (nginx, a CDN, uvicorn) accepts: no generated request the run sends may exceed it.

The specs bound what generation produces (README, Conformance fuzzing); negative generation still breaks those bounds on
purpose (a string over its maxLength), so the run drops the rare case that would not fit a front at all.
"""

from __future__ import annotations

from typing import Any

from requests import Request

from mockserver.fuzz.adapter import serialize

MAX_URL = 8 * 1024  # path plus query, as nginx's request line (large_client_header_buffers 8k)
MAX_HEADERS = 8 * 1024  # every header line together
MARGIN = 512  # the base URL's path and the request line's method and version


def request_size(case: Any) -> tuple[int, int]:
    """The URL and header block `case` would be sent with, in bytes."""
    data = serialize(case)
    prepared = Request(method=data["method"], url=data["url"], params=data.get("params"), headers=data.get("headers"))
    request = prepared.prepare()
    headers = sum(len(name) + len(str(value)) + 4 for name, value in (request.headers or {}).items())
    return len(request.url or ""), headers


def fits_a_real_front(context: Any, case: Any) -> bool:
    """schemathesis' `filter_case` hook: False for a request line or header block a front would refuse."""
    try:
        url, headers = request_size(case)
    except Exception:  # noqa: BLE001 - a case that cannot even be serialised is schemathesis' to report
        return True
    return url <= MAX_URL - MARGIN and headers <= MAX_HEADERS - MARGIN
