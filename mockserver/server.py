"""The root ASGI app: CORS in front of everything, each selected vendor under /<slug> (its documents
and its pipeline, journaled), the admin API under /__admin."""

from __future__ import annotations

import gc
import json
import operator
import os
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from mockserver import DEFAULT_FIXTURES
from mockserver.admin import admin_app
from mockserver.admin.shapes import ShapeError, record_shapes
from mockserver.platform import idempotency
from mockserver.platform.clock import Clock
from mockserver.platform.cors import Cors
from mockserver.platform.docs import ApiDocs
from mockserver.platform.errors import ApiError
from mockserver.platform.faults import FaultRegistry
from mockserver.platform.idempotency import IdempotencyCache
from mockserver.platform.journal import Journal, JournalMiddleware, Recorder
from mockserver.platform.limits import Limited, Limits
from mockserver.platform.pipeline import Pipeline
from mockserver.platform.records import RecordStore, StoreError
from mockserver.platform.spec import load_spec
from mockserver.platform.store import MemoryStore
from mockserver.platform.transport import remember_connection
from mockserver.platform.vendor import Services, Vendor
from mockserver.vendors import ERROR_REASONS, VENDORS

ADMIN_PREFIX = "/__admin"


class Mounted(NamedTuple):
    """A vendor's apps under its base path."""

    docs: ApiDocs
    journaled_docs: ASGIApp
    pipeline: Pipeline


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
        limits: Limits | None = None,
        faults: FaultRegistry | None = None,
    ) -> None:
        self.apis = tuple(apis)
        unknown = [slug for slug in self.apis if slug not in VENDORS]
        if unknown:
            raise ValueError(f"unknown API '{unknown[0]}' (choose from {', '.join(VENDORS)})")
        self.clock = clock or Clock()
        self.limits = limits or Limits()
        self.cors_origins = tuple(cors_origins or ())  # none named: any origin
        self.fixtures = read_fixtures(fixtures)
        collections = [idempotency.COLLECTION]
        for slug in self.apis:
            collections.extend(VENDORS[slug].collections)
        # the one place that picks the implementation; everything else names RecordStore
        self.store: RecordStore = MemoryStore(collections, state_file)
        self.services = Services(
            self.store, self.clock, IdempotencyCache(self.store, self.clock), faults or FaultRegistry()
        )
        if not self.store.restore():
            # the demo data's shapes are held by the test suite; checking them here would cost every start
            demo = os.path.abspath(fixtures) == os.path.abspath(DEFAULT_FIXTURES)
            self.load_fixtures(self.fixtures, source=str(fixtures), check=not demo)
        self.vendors: dict[str, Vendor] = {slug: VENDORS[slug](self.services) for slug in self.apis}
        self.journal = Journal(self.clock)
        self._admin = JournalMiddleware(Limited(admin_app(self), self.limits, admin_error), None, "admin")
        # by the first path segment; not Starlette's Mount, whose pattern misses a path holding a newline
        self._mounted = {vendor.mount_path: self._journaled(vendor) for vendor in self.vendors.values()}
        self._unmounted = JournalMiddleware(self._not_mounted, None, "-")
        self._cors = Cors(self._dispatch, self.cors_origins)

    @property
    def faults(self) -> FaultRegistry:
        """The fault rules every vendor's pipeline consults (README, "Admin API": faults)."""
        return self.services.faults

    @faults.setter
    def faults(self, registry: FaultRegistry) -> None:
        self.services.faults = registry

    def _journaled(self, vendor: Vendor) -> Mounted:
        """The apps for the paths under the vendor's base path: its documents or its pipeline, every call
        journaled."""
        recorder = Recorder(self.journal, vendor.slug, vendor.base_path, ERROR_REASONS[vendor.slug])
        pipeline = Pipeline(vendor, self.limits, recorder)
        docs = ApiDocs(load_spec(vendor.spec_file, vendor.base_path), vendor.base_path, pipeline)
        return Mounted(docs, JournalMiddleware(docs, self.journal, vendor.slug, vendor.base_path), pipeline)

    # -- state -------------------------------------------------------------------------------

    def load_fixtures(
        self, records: dict[str, Any], source: str = "request", check: bool = True, flush: bool = True
    ) -> int:
        """Add or replace records; each is checked against its collection's shape first (admin/shapes.py),
        and one bad record loads nothing. Without `flush` the caller makes the change durable
        (`await store.commit()`, off the event loop)."""
        selected = {slug: tables for slug, tables in records.items() if slug in self.apis}
        try:
            if check:
                record_shapes().check(selected, lambda collection, key: self.store.get(collection, key) is not None)
            count = self.store.load(selected)
        except (StoreError, ShapeError) as exc:
            raise FixtureError(f"fixtures from {source}: {exc}") from None
        if flush:
            self.store.flush()
        return count

    def reset(self, flush: bool = True) -> None:
        self.store.clear()
        self.load_fixtures(self.fixtures, check=False, flush=flush)  # checked when the server was made
        self.journal.clear()
        self.faults.clear()
        self.clock.reset()

    # -- ASGI --------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send, on_shutdown=self.store.close)
            return
        remember_connection(scope, send)
        if scope["type"] == "http" and not _has_origin(scope["headers"]):
            # not a browser's cross-origin call: CORS adds nothing, so the layer is skipped (platform/cors.py)
            await self._app_for(scope["path"])(scope, receive, send)
        else:
            await self._cors(scope, receive, send)

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._app_for(scope["path"])(scope, receive, send)

    def _app_for(self, path: str) -> ASGIApp:
        """The admin API, a vendor's documents or pipeline, or the 404 for a path under no mount."""
        end = path.find("/", 1)
        mount = self._mounted.get(path if end == -1 else path[:end])  # by the first segment, "/align"
        if mount is not None:
            return mount.journaled_docs if mount.docs.serves(path) else mount.pipeline
        if path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/"):
            return self._admin
        return self._unmounted

    async def _not_mounted(self, scope: Scope, receive: Receive, send: Send) -> None:
        mounted = ", ".join("/" + slug for slug in self.apis)
        message = f"No API is served at {scope['path']}. Mounted: {mounted}, and {ADMIN_PREFIX}."
        await JSONResponse({"error": "not_found", "message": message}, status_code=404)(scope, receive, send)


def _has_origin(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    return b"origin" in map(_line_name, headers)  # compared in C, line by line


_line_name = operator.itemgetter(0)


def admin_error(error: ApiError) -> Response:
    """The admin API's envelope."""
    return JSONResponse({"error": error.reason, "message": error.message}, error.status, error.headers)


async def _lifespan(receive: Receive, send: Send, on_shutdown: Callable[[], None]) -> None:
    # State lives outside the lifespan on purpose: schemathesis' ASGI transport runs it per request.
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            # what was built at start (specs, compiled schemas, fixtures) is never garbage: keeping it out
            # of the collector's scans keeps its pauses, and the latency tail, short
            gc.freeze()
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            on_shutdown()  # the state file compacted into its snapshot alone
            # a process that goes on (the pytest plugin's, the bench's) may drop what was frozen: collectable again
            gc.unfreeze()
            await send({"type": "lifespan.shutdown.complete"})
            return
