"""Over HTTP, side by side in one run: the fake, the bare Starlette ceiling and Stoplight Prism 5 serving
the same spec, measured with wrk (2 threads, 32 connections) in interleaved rounds; plus the fake's
startup time to a healthy answer and its idle memory."""

from __future__ import annotations

import compileall
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import mockserver
from mockserver import SPECS_DIR
from mockserver.bench.npm import installed

PRISM_VERSION = "5"
ENTRY = "a4000000-0000-4000-8000-000000000001"
GET_PATH = f"/align/api/v1/integration/time-entries/{ENTRY}"
SYNC_PATH = "/align/api/v1/integration/time-entries"
AUTH = "Authorization: Bearer ako_demo_org_acme"

# each wrk thread numbers its own requests, so every sync is a new (externalSystem, externalId): a create
SYNC_SCRIPT = """
local counter = 0
local thread_id = 0
local next_id = 0
function setup(thread) next_id = next_id + 1; thread:set("thread_id", next_id) end
function request()
  counter = counter + 1
  local body = '{"projectId":"a1000000-0000-4000-8000-000000000001",' ..
    '"userId":"a2000000-0000-4000-8000-000000000001","workDate":"2025-01-15","minutes":150,' ..
    '"externalSystem":"bench","externalId":"' .. PREFIX .. '-' .. thread_id .. '-' .. counter .. '"}'
  return wrk.format("POST", PATH, {["Authorization"]="Bearer ako_demo_org_acme",
    ["Content-Type"]="application/json"}, body)
end
"""


@dataclass
class WrkFigures:
    rps: float
    p50: float
    p99: float
    non_2xx: int


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(url: str, timeout: float = 30) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return time.perf_counter() - started
        except urllib.error.HTTPError:
            return time.perf_counter() - started  # any answer: it is up
        except OSError:
            time.sleep(0.01)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


@contextmanager
def process(
    command: list[str], health: str, env: dict[str, str] | None = None
) -> Iterator[tuple[subprocess.Popen[bytes], float]]:
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        wait_until_up(health)
        yield child, time.perf_counter() - started
    finally:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def serve_command(target: str, port: int) -> list[str]:
    return [sys.executable, "-m", "mockserver.bench.serve", target, str(port)]


def prism_binary() -> Path | None:
    """Prism from the cache directory, installed there with npm when missing; None without npm."""
    return installed("prism", f"@stoplight/prism-cli@{PRISM_VERSION}", ".bin/prism")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def wrk(url: str, seconds: float, script: str | None = None) -> WrkFigures:
    command = ["wrk", "-t2", "-c32", f"-d{seconds:g}s", "--latency", "-H", AUTH]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        if script:
            lua.write(script)
            command += ["-s", lua.name]
    try:
        output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(lua.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return WrkFigures(rps, _latency(output, "50%"), _latency(output, "99%"), int(non_2xx.group(1)) if non_2xx else 0)


def _latency(output: str, percentile: str) -> float:
    match = re.search(rf"^\s+{re.escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    if match is None:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


@dataclass
class Startup:
    cold: float  # seconds, the cache empty: the first start after an install or a spec change
    warm: float  # seconds, with the cache the cold start filled
    rss: float  # MiB, idle


def startup_and_memory(rounds: int = 3) -> Startup:
    """Seconds from `mockserver serve` (every API) to a healthy answer, cold and warm (medians), and its
    idle RSS. The package's bytecode is compiled first, as an installed package has it."""
    compileall.compile_dir(Path(mockserver.__file__).parent, quiet=1)
    cold: list[float] = []
    warm: list[float] = []
    rss: list[float] = []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as cache:
            env = {**os.environ, "XDG_CACHE_HOME": cache}
            for seconds in (cold, warm):
                port = free_port()
                command = [sys.executable, "-m", "mockserver", "serve", "--port", str(port)]
                with process(command, f"http://127.0.0.1:{port}/__admin/health", env) as (child, took):
                    seconds.append(took)
                    time.sleep(0.5)
                    rss.append(rss_mib(child.pid))
    return Startup(statistics.median(cold), statistics.median(warm), statistics.median(rss))


def measure(rounds: int, seconds: float) -> None:
    print(f"over HTTP: wrk -t2 -c32, {seconds:g} s per run, {rounds} interleaved rounds, medians of the rounds\n")
    if shutil.which("wrk") is None:
        print("skipped: wrk is not installed (apt-get install wrk), so no HTTP figures and no Prism row\n")
        return
    prism = prism_binary()
    if prism is None:
        print("skipped: the Prism row (npm is not installed to fetch @stoplight/prism-cli@5)\n")
    targets = {"fake": free_port(), "ceiling": free_port(), "prism": free_port()}
    commands = {name: serve_command(name, port) for name, port in targets.items() if name != "prism"}
    if prism is not None:
        commands["prism"] = [
            str(prism),
            "mock",
            "-h",
            "127.0.0.1",
            "-p",
            str(targets["prism"]),
            str(SPECS_DIR / "align.yaml"),
        ]
    scenarios = {
        "align GET /integration/time-entries/{id}": (GET_PATH, None),
        "align POST /integration/time-entries (create)": (SYNC_PATH, SYNC_SCRIPT),
    }
    results: dict[tuple[str, str], list[WrkFigures]] = {}
    for round_number in range(rounds):
        for name, command in commands.items():
            base = f"http://127.0.0.1:{targets[name]}"
            with process(command, base + "/__admin/health"):
                for scenario, (path, script) in scenarios.items():
                    url_path = path.removeprefix("/align/api/v1") if name == "prism" else path
                    lua = None
                    if script:
                        lua = f'PATH = "{url_path}"\nPREFIX = "r{round_number}{name}"\n' + script
                    figures = wrk(base + url_path, seconds, lua)
                    results.setdefault((scenario, name), []).append(figures)
    header = f"{'scenario':<48} {'target':<8} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}"
    print(header)
    print("-" * len(header))
    for scenario in scenarios:
        medians: dict[str, float] = {}
        for name in commands:
            runs = results[(scenario, name)]
            rps = statistics.median(r.rps for r in runs)
            medians[name] = rps
            p50 = statistics.median(r.p50 for r in runs)
            p99 = statistics.median(r.p99 for r in runs)
            print(f"{scenario:<48} {name:<8} {rps:>9.0f} {p50:>8.2f} {p99:>8.2f} {sum(r.non_2xx for r in runs):>8}")
        ratios = [f"fake ÷ ceiling {medians['fake'] / medians['ceiling']:.2f}"]
        if "prism" in medians:
            ratios.append(f"fake ÷ prism {medians['fake'] / medians['prism']:.2f}")
        print(f"{'':<48} {'ratio':<8} {'   '.join(ratios)}\n")
