"""The runner as a library: one result per request, the checks' follow-ups included."""

from __future__ import annotations

import pytest

from mockserver.fuzz.credentials import credentials_for
from mockserver.fuzz.runner import in_process, iter_results
from tests.fuzz_support import SEED, fake

pytestmark = pytest.mark.fuzz


def test_iter_results_yields_every_request_with_its_verdicts():
    settings = in_process(
        "align",
        fake("align"),
        credentials_for("align"),
        "/align/api/v1",
        phases=("fuzzing",),
        max_examples=5,
        seed=SEED,
    )
    results = list(iter_results(settings))
    generated = [result for result in results if result.checks]
    assert {result.phase for result in results} == {"fuzzing"}
    assert all(result.response is not None for result in results)
    assert all(verdict == "success" for result in generated for verdict in result.checks.values())
    assert any("natural_key_replay" in result.checks for result in generated)
    assert len(results) > len(generated)  # the behaviour checks' follow-up requests
