"""`--state` under kill -9: every write the server acknowledged is back after a restart."""

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest

from tests.align_data import ORG_KEY, SYNC, entry_path, sync_body

ROUNDS = 3
WRITERS = 4


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(state, port) -> subprocess.Popen:
    command = [sys.executable, "-m", "mockserver", "serve", "--api", "align", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--state", str(state), "--log-level", "warning"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/__admin/health", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("the server did not start")


def write_until_refused(base: str, prefix: str, acknowledged: dict[str, str], lock: threading.Lock) -> None:
    with httpx.Client(base_url=base, timeout=5) as client:
        for number in range(100_000):
            external_id = f"{prefix}-{number}"
            try:
                response = client.post(SYNC, json=sync_body(externalId=external_id), headers=ORG_KEY)
            except httpx.TransportError:
                return
            with lock:
                if response.status_code == 201:
                    acknowledged[external_id] = response.json()["id"]
                else:
                    acknowledged[f"unexpected {response.status_code}: {response.text}"] = ""


@pytest.mark.slow
def test_no_acknowledged_write_is_lost_under_kill_9(tmp_path):
    state = tmp_path / "state.json"
    random_delay = random.Random(10)
    acknowledged: dict[str, str] = {}
    lock = threading.Lock()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    for round_number in range(ROUNDS):
        process = start(state, port)
        try:
            # the restart compacted the log and removed what a crash left behind
            assert sorted(path.name for path in tmp_path.iterdir()) == ["state.json"]
            with httpx.Client(base_url=base, timeout=5) as client:
                for external_id, entry_id in acknowledged.items():
                    response = client.get(entry_path(entry_id), headers=ORG_KEY)
                    assert response.status_code == 200, f"acknowledged write {external_id} lost"
            before = len(acknowledged)
            writers = [
                threading.Thread(target=write_until_refused, args=(base, f"r{round_number}w{n}", acknowledged, lock))
                for n in range(WRITERS)
            ]
            for writer in writers:
                writer.start()
            time.sleep(random_delay.uniform(0.5, 1.5))
            os.kill(process.pid, signal.SIGKILL)
            for writer in writers:
                writer.join(timeout=30)
            assert len(acknowledged) > before  # the kill came mid-write, not before any
            assert not [key for key, entry_id in acknowledged.items() if not entry_id]
        finally:
            process.kill()
            process.wait(timeout=10)
    process = start(state, port)
    try:
        with httpx.Client(base_url=base, timeout=5) as client:
            lost = [
                external_id
                for external_id, entry_id in acknowledged.items()
                if client.get(entry_path(entry_id), headers=ORG_KEY).status_code != 200
            ]
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert lost == []
