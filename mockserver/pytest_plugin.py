"""The pytest plugin `pip install mockserver` registers (README, "Testing your client").

Fixtures: `mockserver_url`, the base URL of a real server on a free port of 127.0.0.1, started once per
session and reset before every test that uses it; `mockserver`, the same server as an object (admin
calls, demo clients); `mockserver_app`, the ASGI app in-process. Options: `--mockserver-fixtures PATH`,
`--mockserver-api LIST`.

Loading the plugin costs nothing and changes nothing: the server and its imports come with the first
fixture that asks for them.
"""

from __future__ import annotations

import threading
import time
import warnings
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import httpx
    import uvicorn

    from mockserver.server import MockServer

API_SLUGS = ("align", "contracting", "productive")
START_SECONDS = 30


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mockserver", "mockserver fakes")
    group.addoption("--mockserver-fixtures", metavar="PATH", help="fixtures file the fakes start from")
    group.addoption(
        "--mockserver-api", metavar="LIST", help=f"comma list of APIs to serve (default {','.join(API_SLUGS)})"
    )


def _build(config: pytest.Config) -> MockServer:
    # connexion's import and its spec loading warn about its own dependencies: not the user's concern
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _built(config)


def _built(config: pytest.Config) -> MockServer:
    from mockserver import DEFAULT_FIXTURES
    from mockserver.server import MockServer

    apis_option = config.getoption("--mockserver-api")
    apis = tuple(part.strip() for part in apis_option.split(",") if part.strip()) if apis_option else API_SLUGS
    fixtures = config.getoption("--mockserver-fixtures") or DEFAULT_FIXTURES
    try:
        return MockServer(apis=apis, fixtures=fixtures)
    except ValueError as exc:  # FixtureError included
        raise pytest.UsageError(f"mockserver: {exc}") from None


class _LiveServer:
    """A MockServer served by uvicorn in a thread, on a free port of 127.0.0.1."""

    def __init__(self, server: MockServer) -> None:
        import uvicorn

        self.server = server
        config = uvicorn.Config(server, host="127.0.0.1", port=0, log_level="warning", access_log=False)
        self._uvicorn: uvicorn.Server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._uvicorn.run, name="mockserver", daemon=True)

    def start(self) -> str:
        self._thread.start()
        deadline = time.monotonic() + START_SECONDS
        while not self._uvicorn.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("mockserver: the server did not start")
            time.sleep(0.01)
        port = self._uvicorn.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        self._uvicorn.should_exit = True
        self._thread.join(timeout=START_SECONDS)


class Clock:
    """The server's clock, moved through the admin API."""

    def __init__(self, admin: httpx.Client) -> None:
        self._admin = admin

    def now(self) -> datetime:
        return datetime.fromisoformat(self._call("GET", None)["now"])

    def advance(self, seconds: float | timedelta) -> datetime:
        amount = seconds.total_seconds() if isinstance(seconds, timedelta) else seconds
        return self._post({"advance": amount})

    def set(self, moment: datetime | str) -> datetime:
        return self._post({"set": moment.isoformat() if isinstance(moment, datetime) else moment})

    def freeze(self, frozen: bool = True) -> datetime:
        return self._post({"freeze": frozen})

    def reset(self) -> None:
        _checked(self._admin.delete("/__admin/clock"))

    def _post(self, command: dict[str, Any]) -> datetime:
        return datetime.fromisoformat(self._call("POST", command)["now"])

    def _call(self, method: str, body: dict[str, Any] | None) -> dict[str, Any]:
        return _checked(self._admin.request(method, "/__admin/clock", json=body)).json()


class MockServerHandle:
    """What a test sees as the `mockserver` fixture; every call goes through the admin API over HTTP,
    as a client in any other language would make it."""

    def __init__(self, server: MockServer, url: str) -> None:
        import httpx

        self.url = url
        self._server = server
        self._admin = httpx.Client(base_url=url)
        self._clients: list[httpx.Client] = []
        self.clock = Clock(self._admin)

    def reset(self) -> None:
        _checked(self._admin.post("/__admin/reset"))

    def requests(self, **filters: Any) -> list[dict[str, Any]]:
        """Journal entries, oldest first; filters: api, method, path, status, reason, since."""
        return _checked(self._admin.get("/__admin/requests", params=_params(filters))).json()["requests"]

    def count(self, **filters: Any) -> int:
        return _checked(self._admin.get("/__admin/requests/count", params=_params(filters))).json()["count"]

    def fault(self, **rule: Any) -> dict[str, Any]:
        """Register a fault rule (`delay_ms` may be written for `delayMs`); returns it with its id."""
        if "delay_ms" in rule:
            rule["delayMs"] = rule.pop("delay_ms")
        return _checked(self._admin.post("/__admin/faults", json=rule)).json()

    def client(self, api: str) -> httpx.Client:
        """An httpx client on the API's base URL, with the API's first demo credentials."""
        import httpx

        vendor = self._server.vendors.get(api)
        if vendor is None:
            raise ValueError(f"mockserver: '{api}' is not served (served: {', '.join(self._server.vendors)})")
        client = httpx.Client(base_url=self.url + vendor.base_path, headers=_demo_headers(self._server, api))
        self._clients.append(client)
        return client

    def close(self) -> None:
        for client in (*self._clients, self._admin):
            client.close()


def _params(filters: dict[str, Any]) -> dict[str, str]:
    return {name: str(value) for name, value in filters.items() if value is not None}


def _checked(response: httpx.Response) -> httpx.Response:
    if response.status_code >= 400:
        raise ValueError(f"mockserver admin API answered {response.status_code}: {response.text}")
    return response


def _demo_headers(server: MockServer, api: str) -> dict[str, str]:
    """The first credential of the API's fixtures (the demo data: Acme's org key, Contracting's
    token of tenant acme, Productive's token of organization 1001)."""
    from mockserver.fuzz.credentials import credentials_for

    tables = server.fixtures.get(api, {})
    if api == "align":
        key = tables["api_keys"][0]
        return credentials_for(api, token=key["key"]).headers()
    token = tables["tokens"][0]
    if api == "contracting":
        return credentials_for(api, token=token["token"], tenant=token["tenantIds"][0]).headers()
    return credentials_for(api, token=token["token"], organization=token["organization_id"]).headers()


@pytest.fixture(scope="session")
def _mockserver_live(pytestconfig: pytest.Config) -> Iterator[tuple[MockServer, str]]:
    server = _build(pytestconfig)
    live = _LiveServer(server)
    url = live.start()
    try:
        yield server, url
    finally:
        live.stop()


@pytest.fixture
def mockserver_url(_mockserver_live: tuple[MockServer, str]) -> str:
    server, url = _mockserver_live
    server.reset()
    return url


@pytest.fixture
def mockserver(_mockserver_live: tuple[MockServer, str]) -> Iterator[MockServerHandle]:
    server, url = _mockserver_live
    server.reset()
    handle = MockServerHandle(server, url)
    try:
        yield handle
    finally:
        handle.close()


@pytest.fixture(scope="session")
def _mockserver_in_process(pytestconfig: pytest.Config) -> MockServer:
    return _build(pytestconfig)


@pytest.fixture
def mockserver_app(_mockserver_in_process: MockServer) -> MockServer:
    """The ASGI app, reset, for `httpx.ASGITransport(app=mockserver_app)`: no sockets."""
    _mockserver_in_process.reset()
    return _mockserver_in_process
