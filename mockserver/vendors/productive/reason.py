"""The rule that answered a Productive error, as the journal and the request log name it: the first
error object's `code`, or its `title` where it has none (the 400 "Unsupported Filter" has none)."""

from __future__ import annotations

from typing import Any


def error_reason(body: Any) -> str | None:
    errors = body.get("errors") if isinstance(body, dict) else None
    first = errors[0] if isinstance(errors, list) and errors else None
    if not isinstance(first, dict):
        return None
    for member in ("code", "title"):
        if isinstance(first.get(member), str):
            return first[member]
    return None
