"""An outside schemathesis run, as a user types it (README, "Conformance"): `mockserver serve`, then the `st`
CLI against the served spec with the demo credentials as headers, from a directory without
`schemathesis.toml`. Every phase passes, with no failed health check."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from openapi_schema_validator import OAS30Validator
from starlette.testclient import TestClient

from mockserver import PROJECT_ROOT
from mockserver.platform.validation import FORMATS
from tests.productive_data import SEED_ENTRY, WRITE, entry_path, update_body

ST = Path(sys.executable).with_name("st")
PRODUCTIVE_HEADERS = ("X-Auth-Token: pat_demo_1001", "X-Organization-Id: 1001")


def _schemas() -> dict[str, Any]:
    return yaml.safe_load((PROJECT_ROOT / "specs" / "productive.yaml").read_text())["components"]["schemas"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def productive_over_http() -> Iterator[str]:
    """`mockserver serve --api productive` on a free port; its base URL while the test runs."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mockserver", "serve", "--api", "productive", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/__admin/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.slow
@pytest.mark.fuzz
def test_outside_schemathesis_run_against_productive_passes(productive_over_http: str, tmp_path: Path) -> None:
    headers = [argument for header in PRODUCTIVE_HEADERS for argument in ("-H", header)]
    command = [
        str(ST), "run", f"{productive_over_http}/productive/api/v2/openapi.json", "--checks", "all", *headers,
        "--max-examples", "5", "--seed", "20261129", "--no-color",
    ]  # fmt: skip
    assert not (tmp_path / "schemathesis.toml").exists()
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    assert "Health Check" not in output, output
    for phase in ("Examples", "Coverage", "Fuzzing", "Stateful"):
        assert f"✅  {phase}" in output, output  # ran, and passed
    assert result.returncode == 0, output


def test_the_filter_key_lists_name_exactly_the_typed_filters_and_the_indexes() -> None:
    """`TimeEntryFilterKeys` and `TimeEntryFilterGroupKeys` close the names that `additionalProperties` does not
    type (productive.yaml, the `filter` parameter's "Schema shape"): a filter in one list and not the other would
    be refused, or taken for an indexed operand."""
    schemas = _schemas()
    levels = (("TimeEntryFilter", "TimeEntryFilterKeys", 10), ("TimeEntryFilterGroup", "TimeEntryFilterGroupKeys", 5))
    for level, keys, indexes in levels:
        typed = set(schemas[level]["properties"])
        assert set(schemas[keys]["properties"]) == typed | {str(index) for index in range(indexes)}
        assert not any(name.isdigit() for name in typed)
    assert set(schemas["TimeEntryFilterConditions"]["properties"]) == typed - {"$op"}


@pytest.mark.parametrize("refused", ["", "2023-02-30", "2024-13-45", "15/01/2024", "20240115"])
def test_a_date_the_vendor_refuses_is_no_schema_valid_date(refused: str, client: TestClient) -> None:
    """Schema-valid data is accepted (an outside run's positive_data_acceptance): `DateInput` admits calendar
    dates only, and what it refuses still gets the vendor's 422 (productive.yaml decision 14), never a 400."""
    date_input = OAS30Validator(_schemas()["DateInput"], format_checker=FORMATS)
    assert not date_input.is_valid(refused)
    assert date_input.is_valid("2024-02-29")
    response = client.patch(entry_path(SEED_ENTRY), json=update_body(date=refused), headers=WRITE)
    assert response.status_code == 422, response.text
    details = [error["detail"] for error in response.json()["errors"]]
    assert details == (["can't be blank", "is not a date"] if refused == "" else ["is not a date"])
