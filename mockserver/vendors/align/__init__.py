"""Align (alignsoft): integration sync, project time entries, API-key scopes and plan gating.

Seeds: 000 (get a synced entry), 001 (sync from an external system), 004 (log a time entry).
"""

from mockserver.vendors.align.vendor import Align

__all__ = ["Align"]
