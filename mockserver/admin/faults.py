"""`POST /__admin/faults`: a rule as README, "Admin API" (Faults) describes it, checked whole
before it is registered (an unknown member, a wrong type, a rule that does nothing: 400)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from mockserver.admin.http import bad_request
from mockserver.platform.faults import Fault

MAX_DELAY_MS = 10 * 60 * 1000
TOKEN = r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"  # an HTTP header name or method
HEADER_VALUE = r"^[\t\x20-\x7e\x80-\xff]*$"


def _rule_schema(apis: Iterable[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["api"],
        "properties": {
            "api": {"enum": list(apis)},
            "method": {"type": "string", "pattern": TOKEN, "maxLength": 16},
            "path": {"type": "string", "pattern": "^/", "maxLength": 2048},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "delayMs": {"type": "integer", "minimum": 0, "maximum": MAX_DELAY_MS},
            "drop": {"type": "boolean"},
            "times": {"type": "integer", "minimum": 1},
            "probability": {"type": "number", "minimum": 0, "maximum": 1},
            "headers": {
                "type": "object",
                "propertyNames": {"pattern": TOKEN, "maxLength": 256},
                "additionalProperties": {"type": "string", "pattern": HEADER_VALUE, "maxLength": 4096},
            },
        },
    }


def parse_rule(body: Any, apis: Iterable[str]) -> Fault:
    error = best_match(Draft202012Validator(_rule_schema(apis)).iter_errors(body))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path)
        raise bad_request(f"fault rule{' member ' + repr(where) if where else ''}: {error.message}")
    if body.get("drop") and "status" in body:
        raise bad_request("fault rule: 'drop' closes the connection, so it cannot also answer a 'status'")
    if not (body.get("drop") or "status" in body or body.get("delayMs")):
        raise bad_request("fault rule: give what it does: 'status', 'delayMs' or 'drop'")
    if body.get("headers") and "status" not in body:
        raise bad_request("fault rule: 'headers' go on a 'status' answer")
    return Fault(
        api=body["api"],
        method=body.get("method", "").upper() or None,
        path=body.get("path"),
        status=body.get("status"),
        delay_ms=body.get("delayMs", 0),
        drop=body.get("drop", False),
        times=body.get("times"),
        probability=body.get("probability"),
        headers=dict(body.get("headers", {})),
    )
