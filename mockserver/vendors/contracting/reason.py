"""The rule that answered a Contracting error, as the journal and the request log name it: its `code`."""

from __future__ import annotations

from typing import Any


def error_reason(body: Any) -> str | None:
    """`{"statusCode": 400, "code": "FST_ERR_VALIDATION", ...}` -> `FST_ERR_VALIDATION`."""
    code = body.get("code") if isinstance(body, dict) else None
    return code if isinstance(code, str) else None
