"""`mockserver fuzz` sends only requests a real front accepts: through a proxy that refuses request heads
over 16 KiB, every phase of a Productive run (the API whose filter tree once made 1.4 MB URLs) passes."""

from __future__ import annotations

import pytest

from mockserver.fuzz.credentials import credentials_for
from mockserver.fuzz.limits import MAX_URL
from mockserver.fuzz.runner import FuzzSettings, execute
from mockserver.server import MockServer
from tests.fuzz_front import front
from tests.fuzz_support import SEED


@pytest.mark.slow
@pytest.mark.fuzz
def test_a_productive_run_through_a_16_kib_front_passes(serve_over_http):
    upstream = serve_over_http(MockServer(apis=["productive"]))
    with front(upstream) as proxy:
        settings = FuzzSettings(
            "productive", proxy.url + "/productive/api/v2", credentials_for("productive"), max_examples=5, seed=SEED
        )
        outcome = execute(settings, quiet=True)
    assert proxy.refused == []
    assert 0 < proxy.largest <= MAX_URL + 8 * 1024
    assert outcome.exit_code == 0, dict(outcome.tally.reproductions)
