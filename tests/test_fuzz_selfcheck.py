"""The self-check: each fake passes `mockserver fuzz` (every built-in and behaviour check, every phase,
stateful included) in-process, through the runner the CLI uses, with a fixed seed and bounded examples."""

from __future__ import annotations

import pytest

from mockserver.fuzz import checks
from tests.fuzz_support import fake, fuzz

pytestmark = pytest.mark.fuzz

MAX_EXAMPLES = {"align": 10, "contracting": 10, "productive": 3}
# Links the specs add for the fuzzer's chains; which of them a run walks depends on the seed.
CHAIN_LINKS = {
    "align": ("GetSyncedEntry", "LogOnSyncedEntry", "GetLoggedEntry"),
    "contracting": ("ListTimeEntriesOfDate", "GetListedTimeEntryExpanded", "GetTimeEntryExpanded"),
    "productive": ("GetTimeEntry", "UpdateTimeEntry", "ApproveTimeEntry", "RejectTimeEntry"),
}


@pytest.mark.parametrize(
    "api",
    list(MAX_EXAMPLES),
)
def test_the_fake_passes_mockserver_fuzz(api):
    outcome = fuzz(api, fake(api), max_examples=MAX_EXAMPLES[api])
    assert outcome.exit_code == 0, dict(outcome.tally.reproductions)
    assert outcome.tally.stateful_scenarios > 0
    walked = {link.split(" -> ")[1].split("] ")[1] for link in outcome.tally.links}
    assert walked & set(CHAIN_LINKS[api]), sorted(outcome.tally.links)
    exercised = {name for name, outcomes in outcome.tally.checks.items() if outcomes["success"]}
    assert set(checks.names(api)) <= exercised
