"""The target's admin API (README "Admin API"), when it has one: fault rules that hold a request in flight and
the clock that ages Idempotency-Keys. Only the fake and builds of it serve `/__admin`; against any other target
the scenarios that need it are reported as not checked, like a missing credential."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

import httpx

ADMIN = "admin"  # a scenario need: the target serves the admin API
PREFIX = "/__admin"
TIMEOUT_SECONDS = 30.0


class AdminError(RuntimeError):
    """The admin API answered something other than what README "Admin API" documents."""


class AdminApi:
    """`/__admin` on the target's origin, reached the way the run reaches the target (in-process or over HTTP)."""

    def __init__(self, base_url: str, app: Any = None) -> None:
        parts = urlsplit(base_url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.app = app

    def _call(self, method: str, path: str, body: Any = None) -> httpx.Response:
        if self.app is not None:
            return asyncio.run(self._call_app(method, path, body))
        with httpx.Client(base_url=self.origin, timeout=TIMEOUT_SECONDS) as client:
            return client.request(method, PREFIX + path, json=body)

    async def _call_app(self, method: str, path: str, body: Any) -> httpx.Response:
        transport = httpx.ASGITransport(app=self.app)
        async with httpx.AsyncClient(transport=transport, base_url=self.origin, timeout=TIMEOUT_SECONDS) as client:
            return await client.request(method, PREFIX + path, json=body)

    def _expect(self, answer: httpx.Response, status: int, what: str) -> Any:
        if answer.status_code != status:
            raise AdminError(f"{what}: the admin API answered {answer.status_code} {answer.text[:300]}")
        return answer.json() if answer.content else None

    def available(self) -> bool:
        """`GET /__admin/health` answers 200 `{"status": "ok"}`."""
        try:
            answer = self._call("GET", "/health")
        except httpx.HTTPError:
            return False
        try:
            return answer.status_code == 200 and answer.json() == {"status": "ok"}
        except ValueError:
            return False

    def add_fault(self, rule: dict[str, Any]) -> str:
        created = self._expect(self._call("POST", "/faults", rule), 201, f"POST {PREFIX}/faults {rule}")
        return str(created["id"])

    def fired(self, fault_id: str) -> int:
        """How often the fault `fault_id` has fired so far."""
        listed = self._expect(self._call("GET", "/faults"), 200, f"GET {PREFIX}/faults")
        return next((int(fault["fired"]) for fault in listed["faults"] if str(fault["id"]) == fault_id), 0)

    def delete_fault(self, fault_id: str) -> None:
        self._call("DELETE", f"/faults/{fault_id}")

    def advance_clock(self, seconds: int) -> None:
        self._expect(self._call("POST", "/clock", {"advance": seconds}), 200, f"POST {PREFIX}/clock")

    def reset_clock(self) -> None:
        """Real time again."""
        self._call("DELETE", "/clock")
