"""`mockserver serve`: bad options and bad fixture files get one clear line, not a traceback."""

import subprocess
import sys

import pytest


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mockserver", *args], capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["serve", "--api", "nope"], "unknown API 'nope'"),
        (["serve", "--port", "http"], "'http' is not a TCP port"),
        (["serve", "--port", "70000"], "'70000' is not a TCP port"),
        (["serve", "--fixtures", "/no/such/file.json"], "fixtures file not found: /no/such/file.json"),
    ],
)
def test_bad_options_fail_with_one_line(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "is not valid JSON"),
        ("[]", "must hold a JSON object"),
        ('{"acme": {}}', "names unknown APIs: acme"),
        ('{"align": {"ghosts": []}}', "unknown collection 'align.ghosts'"),
        ('{"align": {"time_entries": [{"no": "id"}]}}', "needs the key 'id'"),
    ],
)
def test_bad_fixture_files_fail_with_one_line(tmp_path, content, message):
    fixtures = tmp_path / "fixtures.json"
    fixtures.write_text(content)
    result = run("serve", "--fixtures", str(fixtures), "--port", "1")
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unwritable_state_file_fails_with_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run("serve", "--state", str(blocker / "state.json"), "--port", "1")
    assert result.returncode == 2
    assert "cannot use state file" in result.stderr
    assert "Traceback" not in result.stderr
