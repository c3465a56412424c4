"""Align's records in the store (fixtures use the same names under "align")."""

from mockserver.platform.records import Collection

ORGANIZATIONS = "align.organizations"
API_KEYS = "align.api_keys"
PROJECTS = "align.projects"
USERS = "align.users"
ENTRIES = "align.entries"  # Align's own tickets, which a time entry may point at
RELEASES = "align.releases"
TIME_ENTRIES = "align.time_entries"
LINKS = "align.integration_links"

# The integration namespace: an organisation's links are unique by this key [rule align.log.upsert].
REF = ("organizationId", "provider", "externalType", "externalId")

ALL = (
    Collection(ORGANIZATIONS),
    Collection(API_KEYS, key="key"),
    Collection(PROJECTS),
    Collection(USERS),
    Collection(ENTRIES),
    Collection(RELEASES),
    Collection(TIME_ENTRIES),
    Collection(LINKS, indexes=(REF, "alignEntityId")),
)
