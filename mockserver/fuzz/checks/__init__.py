"""Behaviour checks, registered with schemathesis on import: one function per rule, named after it.

They act only inside a `mockserver fuzz` run (see `mockserver.fuzz.target`), on the API it targets.
"""

from schemathesis.checks import CheckFunction

from mockserver.fuzz.checks import align, common, contracting, productive

BY_API: dict[str, tuple[CheckFunction, ...]] = {
    "align": (
        align.natural_key_replay,
        align.idempotency_key_replay,
        align.idempotency_key_reuse,
        align.project_key_scope,
        align.feature_disabled_plan,
    ),
    "contracting": (
        contracting.tenant_isolation,
        contracting.expand_matches_paths,
        contracting.date_bounds_inclusive,
    ),
    "productive": (
        productive.list_matches_filters,
        productive.list_sort_order,
        productive.pagination_meta_arithmetic,
        productive.included_matches_relationships,
        productive.transition_conflicts_match_seed,
        productive.patch_visible_in_next_get,
    ),
}
COMMON: tuple[CheckFunction, ...] = (common.errors_in_vendor_envelope, common.rejected_request_changes_nothing)


def names(api: str) -> list[str]:
    """The behaviour checks that hold `api`, by name."""
    return [check.__name__ for check in (*BY_API[api], *COMMON)]


def known_names() -> set[str]:
    """Every registered check: schemathesis' built-in ones and ours."""
    from schemathesis.checks import CHECKS, load_all_checks

    load_all_checks()
    return set(CHECKS.get_all_names())
