"""`mockserver fuzz` from the command line: over real HTTP, JUnit in --report, exit codes, usage errors."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import pytest

from mockserver.server import MockServer

pytestmark = [pytest.mark.fuzz, pytest.mark.slow]

SHORT_RUN = ["--max-examples", "3", "--seed", "1", "--phases", "examples,fuzzing,stateful"]


def fuzz(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mockserver", "fuzz", *args], capture_output=True, text=True, timeout=300
    )


def junit(report_dir) -> ElementTree.Element:
    return ElementTree.parse(report_dir / "junit.xml").getroot()


def test_the_fake_passes_over_http_with_the_demo_credentials(serve_over_http, tmp_path):
    url = serve_over_http(MockServer(apis=["align"])) + "/align/api/v1"
    result = fuzz("--api", "align", "--url", url, "--report", str(tmp_path), *SHORT_RUN)
    assert result.returncode == 0, result.stdout[-3000:]
    suite = junit(tmp_path)
    assert suite.get("failures") == "0" and suite.get("errors") == "0"
    names = {case.get("name") for case in suite.iter("testcase")}
    assert {"POST /integration/time-entries", "GET /integration/time-entries/{id}"} <= names
    assert "Checks (passed / failed / errored):" in result.stdout
    assert "natural_key_replay" in result.stdout
    assert "examples  POST /integration/time-entries:" in result.stdout


def test_a_broken_rule_fails_the_run_and_the_report_reproduces_it(serve_over_http, tmp_path):
    """An org-scoped key passed as the project-scoped one: /integration/* accepts it, as it should,
    so the scope rule does not hold for that target."""
    url = serve_over_http(MockServer(apis=["align"])) + "/align/api/v1"
    result = fuzz(
        "--api", "align", "--url", url, "--project-key", "ako_demo_org_acme", "--report", str(tmp_path), *SHORT_RUN
    )
    assert result.returncode == 1
    failures = [
        failure
        for failure in junit(tmp_path).iter("failure")
        if "Custom check failed: `project_key_scope`" in (failure.text or "")
    ]
    assert failures
    reproduction = failures[0].text.split("Reproduce with:")[1]
    assert reproduction.count("curl -X") == 2  # the request, then the same one with the other key
    assert f"{url}/integration/time-entries" in reproduction


def test_an_unreachable_target_is_an_error_not_a_pass(tmp_path):
    result = fuzz("--api", "align", "--url", "http://127.0.0.1:9/align/api/v1", *SHORT_RUN)
    assert result.returncode == 1
    assert "Connection refused" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--api", "nope", "--url", "http://x"], "unknown API 'nope'"),
        (["--api", "align"], "the following arguments are required: --url"),
        (["--api", "align", "--url", "ftp://x"], "'ftp://x' is not an http(s) base URL"),
        (["--api", "align", "--url", "http://x", "--header", "NoColon"], "is not a header"),
        (["--api", "align", "--url", "http://x", "--tenant", "t"], "--tenant does not apply to align"),
        (["--api", "productive", "--url", "http://x", "--project-key", "k"], "--project-key does not apply"),
        (["--api", "align", "--url", "http://x", "--phases", "examples,nope"], "unknown phase 'nope'"),
        (["--api", "align", "--url", "http://x", "--max-examples", "0"], "'0' is not a positive whole number"),
        (["--api", "align", "--url", "http://x", "--exclude-checks", "nope"], "unknown check 'nope'"),
    ],
)
def test_bad_usage_exits_2_with_one_line(args, message):
    result = fuzz(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
