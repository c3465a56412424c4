"""How the admin API reads bodies and answers errors: `{"error": slug, "message": ...}`, never a
framework default, with the limits every vendor API has (1 MiB body, strict JSON)."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from mockserver.platform.errors import InputError, snake_reason_phrase
from mockserver.platform.jsonbody import parse_json
from mockserver.platform.limits import MAX_BODY_BYTES


class AdminError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def bad_request(message: str) -> AdminError:
    return AdminError(400, message)


async def read_json(request: Request) -> Any:
    """The body's JSON value, read up to the body limit; 413 past it, 400 when it is not strict JSON."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise _too_large()
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _too_large()
        chunks.append(chunk)
    try:
        value = parse_json(b"".join(chunks))
    except InputError as exc:
        raise bad_request(f"the body {exc.violations[0].message}") from None
    if value is None:
        raise bad_request("the body is empty: send a JSON object")
    return value


def _too_large() -> AdminError:
    return AdminError(413, f"The request body exceeds {MAX_BODY_BYTES} bytes.")


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse(
        {"error": snake_reason_phrase(status), "message": message}, status_code=status, headers=headers
    )


async def on_admin_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AdminError)
    return error_response(exc.status, exc.message, exc.headers)


async def on_http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own 404 (no such admin path) and 405 (with its Allow header), in the admin envelope."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}."
    elif exc.status_code == 404:
        message = f"No admin call at {request.url.path}."
    else:
        message = str(exc.detail)
    return error_response(exc.status_code, message, dict(exc.headers or {}))
