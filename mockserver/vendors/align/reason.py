"""The rule that answered an Align error, as the journal and the request log name it: its `reason`."""

from __future__ import annotations

from typing import Any


def error_reason(body: Any) -> str | None:
    """`{"error": ..., "reason": "entry_locked", ...}` -> `entry_locked` (README, "Admin API")."""
    reason = body.get("reason") if isinstance(body, dict) else None
    return reason if isinstance(reason, str) else None
