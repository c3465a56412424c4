"""The self-check: each fake passes `mockserver fuzz` (every built-in and behaviour check, every phase,
stateful included) in-process, through the runner the CLI uses, with a fixed seed and bounded examples."""

from __future__ import annotations

import pytest

from mockserver.fuzz import checks
from tests.fuzz_support import fake, fuzz, served

MAX_EXAMPLES = {"align": 15, "contracting": 15, "productive": 5}
# Chains the stateful phase must have walked, link by link [issue item 2].
CHAINS = {
    "align": [
        "POST /integration/time-entries -> [201] GetSyncedEntry -> GET /integration/time-entries/{id}",
        "POST /projects/{id}/time-entries -> [201] UpsertLoggedEntry -> POST /projects/{id}/time-entries",
    ],
    "contracting": [
        "GET /api/v1/time-entries -> [200] GetListedTimeEntryExpanded -> GET /api/v1/time-entries/{id}",
    ],
    "productive": [],
}


@pytest.mark.parametrize(
    "api",
    [pytest.param(api, marks=pytest.mark.skipif(not served(api), reason=f"no {api} fake yet")) for api in MAX_EXAMPLES],
)
def test_the_fake_passes_mockserver_fuzz(api):
    outcome = fuzz(api, fake(api), max_examples=MAX_EXAMPLES[api])
    assert outcome.exit_code == 0, dict(outcome.tally.reproductions)
    assert outcome.tally.stateful_scenarios > 0
    assert set(CHAINS[api]) <= set(outcome.tally.links), sorted(outcome.tally.links)
    exercised = {name for name, outcomes in outcome.tally.checks.items() if outcomes["success"]}
    assert set(checks.names(api)) <= exercised
