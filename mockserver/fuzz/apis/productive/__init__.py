"""Productive.io (specs/productive.yaml): JSON:API, organizations, read-only tokens, approvals."""

from mockserver.fuzz.apis.productive import checks, scenarios
from mockserver.fuzz.apis.room import Api, Read
from mockserver.fuzz.credentials import Credentials

API = Api(
    slug="productive",
    demo=Credentials(
        "productive",
        token="pat_demo_1001",
        organization="1001",
        readonly_token="pat_demo_1001_readonly",
        other_token="pat_demo_1002",
        other_organization="1002",
        organization_offset="+02:00",
        other_organization_offset="-04:00",
    ),
    media_type=checks.MEDIA_TYPE,
    envelope_problems=checks.envelope_problems,
    read=Read("getTimeEntry", "/time_entries/{id}", "999999999"),
    observe=checks.observe,
    default_max_examples=20,
    checks=(
        checks.list_matches_filters,
        checks.list_sort_order,
        checks.pagination_meta_arithmetic,
        checks.included_matches_relationships,
        checks.transition_conflicts_match_seed,
        checks.patch_visible_in_next_get,
        *scenarios.SCENARIOS,
    ),
)
