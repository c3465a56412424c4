"""Behaviour checks, registered with schemathesis on import. Each API's own live in its room
(`mockserver.fuzz.apis.<api>`); `common.py` holds the rules every vendor shares.

They act only inside a `mockserver fuzz` run (see `mockserver.fuzz.target`), on the API it targets.
"""

from __future__ import annotations

from schemathesis.checks import CheckFunction

from mockserver.fuzz.apis import APIS
from mockserver.fuzz.checks import common

COMMON: tuple[CheckFunction, ...] = (
    common.errors_in_vendor_envelope,
    common.rejected_request_changes_nothing,
    common.timestamps_in_vendor_zone,
    common.fault_answers_in_vendor_envelope,
)
BY_API: dict[str, tuple[CheckFunction, ...]] = {slug: api.checks for slug, api in APIS.items()}


def names(api: str) -> list[str]:
    """The behaviour checks that hold `api`, by name."""
    return [check.__name__ for check in (*BY_API[api], *COMMON)]


def known_names() -> set[str]:
    """Every registered check: schemathesis' built-in ones and ours."""
    from schemathesis.checks import CHECKS, load_all_checks

    load_all_checks()
    return set(CHECKS.get_all_names())
