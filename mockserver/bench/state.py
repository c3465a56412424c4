"""The state section of the benchmark: what a write costs under `--state` with a small and a large state,
and the memory the idempotency cache holds per 10 000 keys, before and after their 24 hours are up."""

from __future__ import annotations

import json
import statistics
import tempfile
import tracemalloc
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from mockserver import DEFAULT_FIXTURES
from mockserver.asgi import Request, call, timed_run
from mockserver.bench.align_requests import sync_request as align_sync_request
from mockserver.platform import idempotency
from mockserver.platform.clock import Clock
from mockserver.server import MockServer

EXTRA_RECORDS = (0, 20_000)
IDEMPOTENCY_KEYS = 10_000



def sync_request(number: int) -> Request:
    return align_sync_request(number, system="state")


def extra_entries(count: int) -> dict[str, Any]:
    """`count` copies of a fixture entry of Acme's project Web under new ids, as fixtures to load."""
    template = json.loads(DEFAULT_FIXTURES.read_text())["align"]["time_entries"][0]
    return {
        "align": {
            "time_entries": [
                {**template, "id": f"e0000000-0000-4000-8000-{number:012d}", "status": "draft"}
                for number in range(count)
            ]
        }
    }


def target(directory: Path, extra: int, durable: bool) -> MockServer:
    """Align with `extra` entries more than the fixtures, in memory or on a state file compacted as after
    a restart."""
    server = MockServer(apis=["align"], state_file=directory / "state.json" if durable else None)
    server.load_fixtures(extra_entries(extra))
    server.store.close()
    return server


async def measure_state_writes(requests: int, rounds: int) -> None:
    print(
        f"--state write cost: align sync (create), {requests} sequential writes per round, {rounds} rounds, "
        "medians of the rounds\n"
    )
    header = f"{'records':<24} {'state':<10} {'writes/s':>9} {'p50 ms':>8} {'p99 ms':>8}"
    print(header)
    print("-" * len(header))
    kinds = [(extra, durable) for extra in EXTRA_RECORDS for durable in (False, True)]
    results: dict[tuple[int, bool], list[tuple[float, float, float]]] = {kind: [] for kind in kinds}
    with tempfile.TemporaryDirectory(prefix="mockserver-bench-") as directory:
        for round_number in range(rounds):
            for extra, durable in kinds:  # interleaved, so drift on a noisy machine hits all alike
                round_directory = Path(directory) / f"{extra}-{durable}-{round_number}"
                round_directory.mkdir()
                server = target(round_directory, extra, durable)
                latencies = await timed_run(server, sync_request, requests, {201})
                server.store.wait_for_compaction()
                measured = sorted(latencies[requests // 10 :])  # first 10% warm up
                p99 = measured[min(len(measured) - 1, int(len(measured) * 0.99))]
                results[extra, durable].append(
                    (len(measured) / (sum(measured) / 1000), statistics.median(measured), p99)
                )
    medians = {
        kind: [statistics.median(run[field] for run in runs) for field in range(3)] for kind, runs in results.items()
    }
    for (extra, durable), (rate, p50, p99) in medians.items():
        state = "--state" if durable else "memory"
        print(f"{f'fixtures + {extra}':<24} {state:<10} {rate:>9.0f} {p50:>8.3f} {p99:>8.3f}")
    small, large = EXTRA_RECORDS
    cost = {extra: medians[extra, True][1] - medians[extra, False][1] for extra in EXTRA_RECORDS}
    print(
        f"\n--state p50 at {large} ÷ at {small} extra records: {medians[large, True][1] / medians[small, True][1]:.2f}"
    )
    print(
        f"what --state adds to the p50 (--state − memory): {cost[small]:.3f} ms at {small}, "
        f"{cost[large]:.3f} ms at {large} extra records\n"
    )


async def measure_idempotency_memory(keys: int = IDEMPOTENCY_KEYS // 10) -> None:
    """What the cache holds per key, through the real app: the traced memory `keys` syncs with an
    Idempotency-Key each leave, and how much of it is freed once the clock has passed their 24 hours
    and one more keyed request came (which drops the expired records)."""
    clock = Clock()
    server = MockServer(apis=["align"], clock=clock)
    await _syncs(server, 50, with_keys=True, first=10 * keys)  # warm-up: lazily built parts of the app
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        await _syncs(server, keys, with_keys=True)
        held = tracemalloc.get_traced_memory()[0] - base
        records = server.store.count(idempotency.COLLECTION.name)
        clock.advance(idempotency.TTL + timedelta(seconds=1))
        await _syncs(server, 1, with_keys=True, first=keys)
        left = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    per = 10_000 / keys / 2**20
    print(f"idempotency cache, {keys} syncs with an Idempotency-Key each, traced memory scaled to 10 000 keys:")
    print(f"  {'all the syncs leave, within 24 h':<42} {held * per:>7.2f} MiB  ({records} cache records)")
    after = f"{left * per:>7.2f} MiB  ({server.store.count(idempotency.COLLECTION.name)} cache records)"
    print(f"  {'after 24 h + 1 s and one more request':<42} {after}")
    print(f"  {'held by the cache, freed at expiry':<42} {(held - left) * per:>7.2f} MiB  (entries and journal stay)\n")


async def _syncs(server: MockServer, count: int, with_keys: bool, first: int = 0) -> None:
    for number in range(first, first + count):
        request = sync_request(number)
        if with_keys:
            request = replace(request, headers=(*request.headers, ("idempotency-key", f"key-{number:08d}")))
        status, body = await call(server, request)
        if status != 201:
            raise RuntimeError(f"the sync answered {status}: {body[:300]!r}")


async def measure(requests: int = 300, rounds: int = 5) -> None:
    await measure_state_writes(requests, rounds)
    await measure_idempotency_memory()
