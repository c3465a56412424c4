"""`mockserver serve`: options from flags or the environment, one line for every bad start, no banner."""

import json
import os
import socket
import subprocess
import sys
import time

import httpx
import pytest

from mockserver import DEFAULT_FIXTURES, PROJECT_ROOT, cli, serving


def serve_in_process(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = cli.main(["serve", *args])
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_failure(result, message):
    code, out, err = result
    assert code == 2
    assert out == ""  # no banner
    assert len(err.strip().splitlines()) == 1, err
    assert message in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--api", "nope"], "unknown API 'nope'"),
        (["--api", ","], "unknown API ','"),
        (["--port", "http"], "'http' is not a TCP port"),
        (["--port", "70000"], "'70000' is not a TCP port"),
        (["--cors-origin", "example.com"], "'example.com' is not an origin"),
        (["--seed", "x"], "'x' is not a whole number"),
        (["--fixtures", "/no/such/file.json"], "fixtures file not found: /no/such/file.json"),
        (["--host", "192.0.2.1", "--port", "1"], "cannot listen on 192.0.2.1:1"),
        (["--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_bad_options_fail_with_one_line(capsys, args, message):
    assert_one_line_failure(serve_in_process(capsys, *args), message)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "is not valid JSON"),
        ("[]", "must hold a JSON object"),
        ('{"acme": {}}', "names unknown APIs: acme"),
        ('{"align": {"ghosts": []}}', "unknown collection 'align.ghosts'"),
        ('{"align": {"time_entries": [{"no": "id"}]}}', "field 'id' is required"),
    ],
)
def test_bad_fixture_files_fail_with_one_line(capsys, tmp_path, content, message):
    fixtures = tmp_path / "fixtures.json"
    fixtures.write_text(content)
    assert_one_line_failure(serve_in_process(capsys, "--fixtures", str(fixtures), "--port", "1"), message)


def test_a_fixture_record_of_the_wrong_shape_fails_the_start_naming_it(capsys, tmp_path):
    data = json.loads(DEFAULT_FIXTURES.read_text())
    data["align"]["time_entries"][1]["minutes"] = "lots"
    fixtures = tmp_path / "fixtures.json"
    fixtures.write_text(json.dumps(data))
    result = serve_in_process(capsys, "--fixtures", str(fixtures), "--port", "1")
    assert_one_line_failure(result, "align.time_entries record 1")
    assert "field 'minutes'" in result[2]


def test_unwritable_state_file_fails_with_one_line(capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = serve_in_process(capsys, "--state", str(blocker / "state.json"), "--port", "1")
    assert_one_line_failure(result, "cannot use state file")


def test_a_port_in_use_fails_with_one_line_and_no_banner(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = serve_in_process(capsys, "--port", str(port))
    assert_one_line_failure(result, f"cannot listen on 127.0.0.1:{port}: the port is already in use")


def test_the_environment_sets_each_option_and_a_flag_wins(monkeypatch, capsys, tmp_path):
    started = {}
    monkeypatch.setattr(serving, "serve_forever", lambda **options: started.update(options) or 0)
    environment = {
        "MOCKSERVER_HOST": "0.0.0.0",
        "MOCKSERVER_PORT": "9191",
        "MOCKSERVER_API": "align,productive",
        "MOCKSERVER_FIXTURES": str(tmp_path / "f.json"),
        "MOCKSERVER_STATE": str(tmp_path / "s.json"),
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert cli.main(["serve", "--port", "9292", "--cors-origin", "http://localhost:3000", "--seed", "4"]) == 0
    assert started == {
        "host": "0.0.0.0",
        "port": 9292,
        "apis": ("align", "productive"),
        "fixtures": str(tmp_path / "f.json"),
        "state": str(tmp_path / "s.json"),
        "cors_origins": ("http://localhost:3000",),
        "seed": 4,
        "log_level": "info",
    }


def test_without_flags_or_environment_the_defaults_apply(monkeypatch):
    started = {}
    monkeypatch.setattr(serving, "serve_forever", lambda **options: started.update(options) or 0)
    for name in ("MOCKSERVER_HOST", "MOCKSERVER_PORT", "MOCKSERVER_API", "MOCKSERVER_FIXTURES", "MOCKSERVER_STATE"):
        monkeypatch.delenv(name, raising=False)
    assert cli.main(["serve"]) == 0
    assert (started["host"], started["port"], started["apis"], started["state"]) == (
        "127.0.0.1", 8080, ("align", "contracting", "productive"), None
    )  # fmt: skip
    assert started["fixtures"] == str(DEFAULT_FIXTURES) and started["cors_origins"] is None


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [("MOCKSERVER_PORT", "http", "MOCKSERVER_PORT: 'http' is not a TCP port"), ("MOCKSERVER_API", "x", "unknown API")],
)
def test_a_bad_environment_value_names_the_variable(monkeypatch, capsys, variable, value, message):
    monkeypatch.setenv(variable, value)
    assert_one_line_failure(serve_in_process(capsys), message)


def test_the_command_line_imports_nothing_heavy():
    heavy = "('connexion', 'uvicorn', 'schemathesis', 'starlette')"
    code = f"import sys, mockserver.cli; print(sorted(m for m in {heavy} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_serve_from_the_environment_logs_one_line_per_request():
    port = _free_port()
    environment = {**os.environ, "MOCKSERVER_PORT": str(port), "MOCKSERVER_API": "align"}
    process = subprocess.Popen(
        [sys.executable, "-m", "mockserver", "serve"], env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                assert httpx.get(f"{base}/__admin/health").json() == {"status": "ok"}
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and process.poll() is None, "the server did not start"
                time.sleep(0.1)
        missing = httpx.get(f"{base}/align/api/v1/integration/time-entries/x", headers={"Authorization": "Bearer no"})
        assert missing.status_code == 401
        assert httpx.get(f"{base}/contracting/api/v1/time-entries").status_code == 404  # not served
    finally:
        process.terminate()
        out, err = process.communicate(timeout=30)
    assert f"{base}/align/api/v1" in out and "/contracting" not in out
    lines = [line for line in err.splitlines() if " GET /" in line]
    assert len(lines) == 3, err
    assert "align GET /align/api/v1/integration/time-entries/x 401 invalid_api_key" in lines[1]
    assert "HTTP/1.1" not in err  # uvicorn's access line is replaced by the server's own


@pytest.mark.slow
def test_make_serve_takes_a_port():
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", "serve", "PORT=9090"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip().splitlines()[-1].endswith("mockserver serve --port 9090")
    plain = subprocess.run(
        ["make", "--no-print-directory", "-n", "serve"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60
    )
    assert plain.stdout.strip().splitlines()[-1].endswith("mockserver serve")


def test_serve_builds_the_server_it_was_asked_for(monkeypatch, capsys):
    import uvicorn

    from mockserver.platform.faults import Fault, FaultRegistry

    served = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: served.append((self.config, sockets)))
    # uvicorn applies a log config as its Config is built: keep this process' logging as the suite set it
    monkeypatch.setattr(serving, "log_config", lambda level: None)
    assert cli.main(["serve", "--port", str(_free_port()), "--api", "align", "--seed", "9",
                     "--cors-origin", "http://localhost:3000", "--log-level", "warning"]) == 0  # fmt: skip
    (config, sockets), = served
    sockets[0].close()
    server = config.app
    assert (server.apis, server.cors_origins) == (("align",), ("http://localhost:3000",))
    assert config.access_log is False
    draws = []
    for registry in (server.faults, FaultRegistry(9)):
        registry.add(Fault(api="align", status=503, probability=0.5))
        draws.append([registry.take("align", "GET", "/x", "/x") is not None for _ in range(40)])
    assert draws[0] == draws[1]
    assert "/align/api/v1" in capsys.readouterr().out
