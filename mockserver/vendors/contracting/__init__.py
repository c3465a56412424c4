"""Kukkingu Contracting: tenant-scoped time entries with expandable relations.

Seed: 002 (list time entries); create, get and replace from public facts (DESIGN §6).
"""

from mockserver.vendors.contracting.vendor import Contracting

__all__ = ["Contracting"]
