"""Kukkingu Contracting: tenant-scoped time entries with expandable relations.

Operations of specs/contracting.yaml: `listTimeEntries`, `createTimeEntry`, `getTimeEntry`, `replaceTimeEntry`.
"""

from mockserver.vendors.contracting.vendor import Contracting

__all__ = ["Contracting"]
