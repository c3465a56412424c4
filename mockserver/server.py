"""The root ASGI app: each selected vendor under /<slug>, the admin API under /__admin."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from starlette.types import Receive, Scope, Send

from mockserver import DEFAULT_FIXTURES
from mockserver.admin import admin_app
from mockserver.admin.shapes import ShapeError, record_shapes
from mockserver.platform import idempotency
from mockserver.platform.app import build_vendor_app
from mockserver.platform.clock import Clock
from mockserver.platform.faults import FaultRegistry
from mockserver.platform.idempotency import IdempotencyCache
from mockserver.platform.journal import Journal, JournalMiddleware
from mockserver.platform.replies import encode_json
from mockserver.platform.store import Store, StoreError
from mockserver.platform.vendor import Services, Vendor
from mockserver.vendors import ERROR_REASONS, VENDORS

ADMIN_PREFIX = "/__admin"


class FixtureError(ValueError):
    """A fixtures file that cannot be used; the message names the file and the problem."""


def read_fixtures(path: str | os.PathLike[str]) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise FixtureError(f"fixtures file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FixtureError(f"cannot read fixtures file {path}: {exc}") from None
    except ValueError as exc:
        raise FixtureError(f"fixtures file {path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise FixtureError(f"fixtures file {path} must hold a JSON object keyed by API name")
    unknown = sorted(set(data) - set(VENDORS))
    if unknown:
        raise FixtureError(f"fixtures file {path} names unknown APIs: {', '.join(unknown)}")
    return data


class MockServer:
    def __init__(
        self,
        apis: Iterable[str] = tuple(VENDORS),
        fixtures: str | os.PathLike[str] = DEFAULT_FIXTURES,
        state_file: str | os.PathLike[str] | None = None,
        clock: Clock | None = None,
        *,
        cors_origins: Sequence[str] | None = None,
        faults: FaultRegistry | None = None,
    ) -> None:
        self.apis = tuple(apis)
        unknown = [slug for slug in self.apis if slug not in VENDORS]
        if unknown:
            raise ValueError(f"unknown API '{unknown[0]}' (choose from {', '.join(VENDORS)})")
        self.clock = clock or Clock()
        self.cors_origins = tuple(cors_origins or ())  # none named: any origin
        self.faults = faults or FaultRegistry()
        self.fixtures = read_fixtures(fixtures)
        collections = [idempotency.COLLECTION]
        for slug in self.apis:
            collections.extend(VENDORS[slug].collections)
        self.store = Store(collections, state_file)
        self.services = Services(self.store, self.clock, IdempotencyCache(self.store, self.clock))
        if not self.store.restore():
            # the demo data's shapes are held by the test suite; checking them here would cost every start
            demo = os.path.abspath(fixtures) == os.path.abspath(DEFAULT_FIXTURES)
            self.load_fixtures(self.fixtures, source=str(fixtures), check=not demo)
        self.vendors: dict[str, Vendor] = {slug: VENDORS[slug](self.services) for slug in self.apis}
        self.journal = Journal(self.clock)
        self._routes = [
            (
                vendor.mount_path,
                JournalMiddleware(
                    build_vendor_app(vendor), self.journal, vendor.slug, vendor.base_path, ERROR_REASONS[vendor.slug]
                ),
            )
            for vendor in self.vendors.values()
        ]
        self._admin = JournalMiddleware(admin_app(self), None, "admin")
        self._not_mounted = JournalMiddleware(self._answer_not_mounted, None, "-")

    # -- state -------------------------------------------------------------------------------

    def load_fixtures(self, records: dict[str, Any], source: str = "request", check: bool = True) -> int:
        """Add or replace records; each is checked against its collection's shape first (admin/shapes.py),
        and one bad record loads nothing."""
        selected = {slug: tables for slug, tables in records.items() if slug in self.apis}
        try:
            if check:
                record_shapes().check(selected, lambda collection, key: self.store.get(collection, key) is not None)
            count = self.store.load(selected)
        except (StoreError, ShapeError) as exc:
            raise FixtureError(f"fixtures from {source}: {exc}") from None
        self.store.flush()
        return count

    def reset(self) -> None:
        self.store.clear()
        self.load_fixtures(self.fixtures, check=False)  # checked when the server was made
        self.journal.clear()
        self.faults.clear()
        self.clock.reset()

    # -- ASGI --------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send, on_shutdown=self.store.close)
            return
        path: str = scope["path"]
        if path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/"):
            await self._admin(scope, receive, send)
            return
        for prefix, app in self._routes:
            if path == prefix or path.startswith(prefix + "/"):
                await app(scope, receive, send)
                return
        await self._not_mounted(scope, receive, send)

    async def _answer_not_mounted(self, scope: Scope, receive: Receive, send: Send) -> None:
        await _not_mounted(self.apis, scope["path"], send)


async def _lifespan(receive: Receive, send: Send, on_shutdown: Callable[[], None]) -> None:
    # State lives outside the lifespan on purpose: schemathesis' ASGI transport runs it per request.
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            on_shutdown()  # the state file compacted into its snapshot alone
            await send({"type": "lifespan.shutdown.complete"})
            return


async def _not_mounted(apis: tuple[str, ...], path: str, send: Send) -> None:
    body = encode_json(
        {
            "error": "not_found",
            "message": f"No API is served at {path}. Mounted: {', '.join('/' + slug for slug in apis)}, "
            f"and {ADMIN_PREFIX}.",
        }
    )
    await send(
        {
            "type": "http.response.start",
            "status": 404,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})

