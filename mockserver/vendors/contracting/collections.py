"""Contracting's records in the store (fixtures use the same names under "contracting")."""

from mockserver.platform.records import Collection

TENANTS = "contracting.tenants"
TOKENS = "contracting.tokens"
CLIENTS = "contracting.clients"
CONTRACTS = "contracting.contracts"
PROJECTS = "contracting.projects"
INVOICES = "contracting.invoices"
BILLABLES = "contracting.billables"
TIME_ENTRIES = "contracting.time_entries"

# A list reads one tenant's entries, narrowed by the most selective filter it was given.
BY_TENANT = "tenantId"
BY_PROJECT = ("tenantId", "projectId")
BY_BILLABLE = ("tenantId", "billableId")

ALL = (
    Collection(TENANTS),
    Collection(TOKENS, key="token"),
    Collection(CLIENTS),
    Collection(CONTRACTS),
    Collection(PROJECTS),
    Collection(INVOICES),
    Collection(BILLABLES),
    Collection(TIME_ENTRIES, indexes=(BY_TENANT, BY_PROJECT, BY_BILLABLE)),
)
