"""Align (alignsoft): integration sync, project time entries, API-key scopes and plan gating.

Operations of specs/align.yaml: `syncIntegrationTimeEntry`, `getIntegrationTimeEntry` (a synced entry with its
links) and `logProjectTimeEntry`.
"""

from mockserver.vendors.align.vendor import Align

__all__ = ["Align"]
