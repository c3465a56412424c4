"""Productive's records in the store (fixtures use the same names under "productive")."""

from mockserver.platform.records import Collection

ORGANIZATIONS = "productive.organizations"
TOKENS = "productive.tokens"
PEOPLE = "productive.people"
SERVICES = "productive.services"
TASKS = "productive.tasks"
SUBSIDIARIES = "productive.subsidiaries"
TIME_ENTRIES = "productive.time_entries"

ORGANIZATION = "organization_id"

# Entry fields that id-list filters look up by equality [productive.yaml decision 5]; each is indexed
# per organization, so a filter reads its matches instead of scanning the entries.
INDEXED_ENTRY_FIELDS = (
    "person_id",
    "service_id",
    "task_id",
    "approver_id",
    "creator_id",
    "last_actor_id",
    "track_method_id",
    "booking_id",
    "invoice_id",
    "invoice_attribution_id",
)

ALL = (
    Collection(ORGANIZATIONS),
    Collection(TOKENS, key="token"),
    Collection(PEOPLE),
    Collection(SERVICES, indexes=(ORGANIZATION,)),
    Collection(TASKS),
    Collection(SUBSIDIARIES),
    Collection(
        TIME_ENTRIES,
        indexes=(ORGANIZATION, *((ORGANIZATION, field) for field in INDEXED_ENTRY_FIELDS)),
    ),
)
