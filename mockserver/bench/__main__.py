"""Run the benchmark: `python -m mockserver.bench [--requests N] [--rounds R] [--http-seconds S] [--no-http]`.

In-process (no sockets) against a bare Starlette ceiling, then over HTTP with wrk beside the ceiling and
Stoplight Prism 5, then the startup time and idle memory of `mockserver serve`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import gc
import json
import statistics
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

from mockserver import DEFAULT_FIXTURES  # noqa: E402
from mockserver.asgi import Request, served, timed_run  # noqa: E402
from mockserver.bench import http  # noqa: E402
from mockserver.bench.align_requests import ALIGN_KEY, sync_request  # noqa: E402
from mockserver.bench.ceiling import ceiling_app, productive_list_app  # noqa: E402
from mockserver.server import MockServer  # noqa: E402
from mockserver.vendors.productive import bench_data  # noqa: E402

ENTRY = "a4000000-0000-4000-8000-000000000001"
BLOCK = 100  # requests a target answers before the other takes its turn (in-process section)


@dataclass
class Scenario:
    name: str
    make_request: Callable[[int], Request]
    expect: set[int]
    targets: Callable[[], dict[str, Any]] = lambda: align_targets()
    share: float = 1.0  # of --requests: the list page's ceiling scans 100 000 records per request


def align_targets() -> dict[str, Any]:
    fixtures = json.loads(DEFAULT_FIXTURES.read_text())
    return {"fake": MockServer(apis=["align"]), "ceiling": ceiling_app(fixtures["align"])}


LIST_ENTRIES = 100_000
PRODUCTIVE_LIST = Request(
    "GET",
    "/productive/api/v2/time_entries",
    query="filter[person_id]=8160&filter[after]=2024-01-01&sort=-date&page[size]=30",
    headers=(("x-auth-token", "pat_demo_1001"), ("x-organization-id", "1001")),
)


def productive_targets() -> dict[str, Any]:
    records = bench_data.entries(LIST_ENTRIES)
    fake = MockServer(apis=["productive"])
    fake.load_fixtures(records, check=False)  # generated in the demo records' shape; checking costs a minute
    return {"fake": fake, "ceiling": productive_list_app(records["productive"]["time_entries"])}



SCENARIOS = [
    Scenario(
        "align GET /integration/time-entries/{id}",
        lambda _: Request("GET", f"/align/api/v1/integration/time-entries/{ENTRY}", headers=ALIGN_KEY),
        {200},
    ),
    Scenario("align POST /integration/time-entries (create)", sync_request, {201}),
    Scenario(
        f"productive GET /time_entries filtered+sorted ({LIST_ENTRIES} entries)",
        lambda _: PRODUCTIVE_LIST,
        {200},
        productive_targets,
        share=0.1,
    ),
]


@dataclass
class Figures:
    rps: float
    p50: float
    p99: float


def _shifted(make_request: Callable[[int], Request], offset: int, number: int) -> Request:
    return make_request(offset + number)


def figures(latencies: list[float]) -> Figures:
    ordered = sorted(latencies)
    return Figures(
        rps=len(ordered) / (sum(ordered) / 1000),
        p50=statistics.median(ordered),
        p99=ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
    )


async def _round(scenario: Scenario, requests: int, round_number: int) -> dict[str, list[float]]:
    """The latencies of each target in one round. The apps are new, and started as a server starts them (their
    lifespan: the fake keeps what it built at start out of the collector's scans); the targets take turns
    every BLOCK requests, so a burst of other work on a shared machine hits both alike rather than whichever
    ran then."""
    targets = scenario.targets()
    count = max(20, int(requests * scenario.share))
    latencies: dict[str, list[float]] = {name: [] for name in targets}
    async with contextlib.AsyncExitStack() as running:
        for app in targets.values():
            await running.enter_async_context(served(app))
        for start in range(0, count, BLOCK):
            for name, app in targets.items():
                numbered = functools.partial(_shifted, scenario.make_request, round_number * requests + start)
                latencies[name] += await timed_run(app, numbered, min(BLOCK, count - start), scenario.expect)
    return latencies


async def measure(requests: int, rounds: int) -> None:
    print(
        f"in-process ASGI, {requests} sequential requests per target and round (the targets take turns every "
        f"{BLOCK}), {rounds} rounds, medians of the rounds\n"
    )
    header = f"{'scenario':<60} {'target':<9} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}"
    print(header)
    print("-" * len(header))
    for scenario in SCENARIOS:
        results: dict[str, list[Figures]] = {"fake": [], "ceiling": []}
        for round_number in range(rounds):
            gc.collect()  # the last round's apps, not collected in this one's measurements
            for name, measured in (await _round(scenario, requests, round_number)).items():
                count = len(measured)
                results[name].append(figures(measured[count // 10 :]))  # first 10% warm up
        medians = {
            name: Figures(*(statistics.median(getattr(f, field) for f in runs) for field in ("rps", "p50", "p99")))
            for name, runs in results.items()
        }
        for name, value in medians.items():
            print(f"{scenario.name:<60} {name:<9} {value.rps:>9.0f} {value.p50:>8.3f} {value.p99:>8.3f}")
        ratio = medians["fake"].rps / medians["ceiling"].rps
        print(f"{'':<60} {'ratio':<9} {ratio:>9.2f}   (fake req/s ÷ ceiling req/s)\n")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m mockserver.bench", description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--http-rounds", type=int, default=3)
    parser.add_argument("--http-seconds", type=float, default=5)
    parser.add_argument("--ui-rounds", type=int, default=3)
    parser.add_argument("--no-http", action="store_true", help="only the in-process figures")
    args = parser.parse_args()
    asyncio.run(measure(args.requests, args.rounds))
    asyncio.run(__import__("mockserver.bench.state", fromlist=["measure"]).measure())
    if args.no_http:
        return
    http.measure(args.http_rounds, args.http_seconds)
    start = http.startup_and_memory()
    print(
        f"startup of `mockserver serve` (every API) to a healthy answer: {start.warm:.2f} s "
        f"({start.cold:.2f} s with an empty spec cache); idle RSS {start.rss:.0f} MiB\n"
    )
    __import__("mockserver.bench.ui", fromlist=["measure"]).measure(args.ui_rounds)


if __name__ == "__main__":
    main()
