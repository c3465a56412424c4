"""A time entry as stored: one flat record per entry, snake_case like the vendor's attributes.

Fixture records may leave out any field below; it then has its default, as a new entry would.
Timestamps are kept in the organization's form (timestamps.py); costs are never stored (costs.py).
"""

from __future__ import annotations

from typing import Any

Entry = dict[str, Any]

DEFAULTS: dict[str, Any] = {
    "note": None,
    "time": 0,  # [productive.yaml decision 15] POST without time → 0
    "track_method_id": 1,  # manual [spec decision 15]
    "started_at": None,
    "timer_started_at": None,
    "timer_stopped_at": None,
    "approved": False,
    "approved_at": None,
    "calendar_event_id": None,
    "invoice_attribution_id": None,
    "invoiced": False,
    "rejected": False,
    "rejected_reason": None,
    "rejected_at": None,
    "submitted": False,
    "autotracked": False,  # entries made through the API never are [spec decision 9]
    "invoicing_status": 1,  # not invoiced [spec decision 9]
    "jira_issue_id": None,
    "jira_worklog_id": None,
    "jira_organization": None,
    "jira_issue_status": None,
    "jira_issue_summary": None,
    "task_id": None,
    "approver_id": None,
    "updater_id": None,
    "rejecter_id": None,
    "creator_id": None,
    "last_actor_id": None,
    "timesheet_id": None,
    "booking_id": None,
    "invoice_id": None,
}


def value(entry: Entry, field: str) -> Any:
    return entry.get(field, DEFAULTS.get(field))


def billable_time(entry: Entry) -> int:
    """Omitted → equal to `time` [spec decision 15]."""
    stored = entry.get("billable_time")
    return value(entry, "time") if stored is None else stored


def number(entry_id: str) -> int:
    """Ids are numeric strings; creation order is their numeric order [spec decision 11]."""
    return int(entry_id)


def canonical_id(raw: str | int) -> str:
    """`"0281"`, `281` and `"281"` name the same record."""
    return str(int(raw))
