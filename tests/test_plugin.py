"""The pytest plugin, as a user gets it: pytest run on a user's test file in a temporary directory,
with the installed plugin loaded through its entry point and every warning an error."""

import json
import subprocess
import sys
import textwrap

import pytest

from mockserver import DEFAULT_FIXTURES

USER_TESTS = '''
import asyncio

import httpx
import pytest

SYNC = {
    "projectId": "a1000000-0000-4000-8000-000000000001",
    "userId": "a2000000-0000-4000-8000-000000000001",
    "workDate": "2025-01-15",
    "minutes": 150,
    "externalSystem": "illumera",
    "externalId": "te-1",
}


def test_the_url_is_a_real_server(mockserver_url):
    assert mockserver_url.startswith("http://127.0.0.1:")
    assert httpx.get(mockserver_url + "/__admin/health").json() == {"status": "ok"}


def test_clients_carry_the_first_demo_credentials(mockserver):
    assert mockserver.client("align").post("/integration/time-entries", json=SYNC).status_code == 201
    assert mockserver.client("contracting").get("/api/v1/time-entries").status_code == 200
    assert mockserver.client("productive").get("/time_entries").status_code == 200
    assert mockserver.count() == 3
    assert mockserver.count(api="align", status=201) == 1
    (entry,) = mockserver.requests(path="/integration/time-entries", method="POST")
    assert entry["response"]["body"]["created"] is True


def test_every_test_starts_from_the_fixtures(mockserver):
    assert mockserver.count() == 0
    assert mockserver.client("align").post("/integration/time-entries", json=SYNC).status_code == 201


def test_faults_and_the_clock(mockserver):
    fault = mockserver.fault(api="align", status=503, delay_ms=10, times=1)
    assert fault["delayMs"] == 10 and fault["id"]
    with pytest.raises(ValueError, match="400"):
        mockserver.fault(api="align")
    frozen = mockserver.clock.set("2030-01-01T00:00:00Z")
    assert frozen.year == 2030
    assert mockserver.clock.advance(3600).hour == 1
    mockserver.reset()
    assert mockserver.clock.now().year < 2030


def test_the_app_in_process(mockserver_app):
    async def health():
        transport = httpx.ASGITransport(app=mockserver_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://fake") as client:
            return (await client.get("/__admin/health")).json()

    assert asyncio.run(health()) == {"status": "ok"}
'''


def run_pytest(directory, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-W", "error", "-p", "no:cacheprovider", *args],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_a_users_suite_runs_with_the_installed_plugin(tmp_path):
    (tmp_path / "test_user.py").write_text(USER_TESTS)
    result = run_pytest(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 passed" in result.stdout
    assert "warning" not in result.stdout.lower()


@pytest.mark.slow
def test_the_options_choose_apis_and_fixtures(tmp_path):
    data = json.loads(DEFAULT_FIXTURES.read_text())
    data["align"]["api_keys"].reverse()  # the revoked key first: the demo client carries it
    (tmp_path / "data.json").write_text(json.dumps({"align": data["align"]}))
    (tmp_path / "test_options.py").write_text(
        textwrap.dedent(
            """
            import pytest

            def test_only_align(mockserver):
                align = mockserver.client("align")
                answer = align.get("/integration/time-entries/a4000000-0000-4000-8000-000000000001")
                assert (answer.status_code, answer.json()["reason"]) == (401, "key_revoked")
                with pytest.raises(ValueError, match="not served"):
                    mockserver.client("productive")
            """
        )
    )
    result = run_pytest(tmp_path, "--mockserver-api", "align", "--mockserver-fixtures", str(tmp_path / "data.json"))
    assert result.returncode == 0, result.stdout + result.stderr
    bad = run_pytest(tmp_path, "--mockserver-api", "nope")
    assert bad.returncode != 0 and "unknown API 'nope'" in bad.stdout + bad.stderr


@pytest.mark.slow
def test_loading_the_plugin_imports_nothing_heavy_and_warns_nothing():
    code = (
        "import sys, mockserver.pytest_plugin; "
        "print(sorted(m for m in ('connexion', 'uvicorn', 'httpx', 'starlette') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "[]", "")


def test_our_own_suite_has_the_plugin_loaded_and_untouched(pytestconfig):
    plugin = pytestconfig.pluginmanager.get_plugin("mockserver")
    assert plugin is not None and plugin.__name__ == "mockserver.pytest_plugin"
    assert pytestconfig.getoption("--mockserver-api") is None
