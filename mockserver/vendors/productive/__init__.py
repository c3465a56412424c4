"""Productive.io: JSON:API time entries with filters, sorting, pagination, includes, approvals and
derived costs.

The operations of specs/productive.yaml, which reproduces the vendor's Time Entries page.
"""

from mockserver.vendors.productive.vendor import Productive

__all__ = ["Productive"]
