"""`--state` under kill -9: every write the server acknowledged is back after a restart, also when the
log is compacted into the snapshot in the background while the writes go on."""

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

from mockserver.platform import persistence
from tests.align_data import ORG_KEY, SYNC, entry_path, sync_body

ROUNDS = 3
WRITERS = 4


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(state, port, compact_at_least) -> subprocess.Popen:
    arguments = ["serve", "--api", "align", "--port", str(port), "--state", str(state), "--log-level", "warning"]
    program = (
        "import sys; from mockserver.platform import persistence; "
        f"persistence.COMPACT_AT_LEAST = {compact_at_least}; "
        "from mockserver.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", program, *arguments],
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
@pytest.mark.parametrize(
    "compact_at_least",
    [persistence.COMPACT_AT_LEAST, 0],
    ids=["appending", "compacting whenever the log outgrows the snapshot"],
)
def test_no_acknowledged_write_is_lost_under_kill_9(tmp_path, compact_at_least):
    state = tmp_path / "state.json"
    random_delay = random.Random(10)
    acknowledged: dict[str, str] = {}
    lock = threading.Lock()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    for round_number in range(ROUNDS):
        process = start(state, port, compact_at_least)
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
            target = before + random_delay.randint(30, 90)  # acknowledged writes before the kill
            deadline = time.monotonic() + 60
            while len(acknowledged) < target and time.monotonic() < deadline:
                time.sleep(0.005)
            os.kill(process.pid, signal.SIGKILL)
            for writer in writers:
                writer.join(timeout=30)
            assert len(acknowledged) > before  # the kill came mid-write, not before any
            assert not [key for key, entry_id in acknowledged.items() if not entry_id]
            if compact_at_least == 0 and round_number == 0:
                # the log outgrew the fixtures' small snapshot, which was rewritten while the writes went on
                assert any(entry_id in state.read_text() for entry_id in list(acknowledged.values())[before:])
        finally:
            process.kill()
            process.wait(timeout=10)
    process = start(state, port, compact_at_least)
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
