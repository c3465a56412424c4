"""`Idempotency-Key` replay [rules align.idempotency.replay, align.idempotency.reuse,
align.idempotency.stored-statuses].

A key is scoped to (owner, method, path, key) and kept for 24 hours. The same key with the same
body answers the stored reply again with `Idempotent-Replayed: true`; with another body, 422; while
the first request is still running, 409. Only answers the handler decided are kept (2xx and the
error statuses in `STORED_ERRORS`): input, auth and plan errors never reach this stage.
"""

from __future__ import annotations

import contextlib
import hashlib
import heapq
import json
from collections.abc import Awaitable, Callable, Iterator
from datetime import timedelta
from typing import Any

from mockserver.platform.clock import Clock
from mockserver.platform.errors import ApiError
from mockserver.platform.records import Collection, RecordStore
from mockserver.platform.replies import Reply

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
STORED_ERRORS = frozenset({404, 409})
TTL = timedelta(hours=24)

COLLECTION = Collection("platform.idempotency", key="scope")


def fingerprint(body: Any) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


class IdempotencyCache:
    """The answers kept per scope. Expired records are dropped as requests come (oldest expiry first,
    from a heap), so memory follows the keys of the last 24 hours, not every key ever sent."""

    def __init__(self, store: RecordStore, clock: Clock, ttl: timedelta = TTL) -> None:
        self._store = store
        self._clock = clock
        self._ttl = ttl
        self._in_flight: set[str] = set()
        self._expiries: list[tuple[float, str]] = []  # (expiresAt, scope), a heap
        self._seen_revision = -1  # the collection's revision the heap was last in step with

    @staticmethod
    def scope_of(owner: str, method: str, path: str, key: str) -> str:
        return json.dumps([owner, method.upper(), path, key])

    @contextlib.contextmanager
    def holding(self, scope: str, key: str) -> Iterator[None]:
        """The key marked in flight for as long as the block runs; 409 when it already is."""
        if scope in self._in_flight:
            raise ApiError(
                409,
                "idempotency_key_in_use",
                f"A request with Idempotency-Key '{key}' is still being processed; retry later.",
            )
        self._in_flight.add(scope)
        try:
            yield
        finally:
            self._in_flight.discard(scope)

    async def run(
        self, owner: str, method: str, path: str, key: str, body: Any, call: Callable[[], Awaitable[Reply]]
    ) -> Reply:
        scope = self.scope_of(owner, method, path, key)
        digest = fingerprint(body)
        self._drop_expired()
        record = self._live_record(scope)
        if record is not None:
            if record["fingerprint"] != digest:
                raise ApiError(
                    422,
                    "idempotency_key_reused",
                    f"Idempotency-Key '{key}' was already used with a different request body.",
                )
            return _replay(record)
        with self.holding(scope, key):
            try:
                reply = await call()
            except ApiError as error:
                if error.status in STORED_ERRORS:
                    self._save(scope, digest, {"error": [error.status, error.reason, error.message, error.details]})
                raise
        if 200 <= reply.status < 300:
            self._save(scope, digest, {"reply": [reply.status, reply.body, reply.headers]})
        return reply

    def _live_record(self, scope: str) -> dict[str, Any] | None:
        record = self._store.get(COLLECTION.name, scope)
        if record is None or record["expiresAt"] <= self._clock.now().timestamp():
            return None
        return record

    def _save(self, scope: str, digest: str, outcome: dict[str, Any]) -> None:
        self._sync_expiries()
        expires = (self._clock.now() + self._ttl).timestamp()
        self._store.put(COLLECTION.name, {"scope": scope, "fingerprint": digest, "expiresAt": expires, **outcome})
        heapq.heappush(self._expiries, (expires, scope))
        self._seen_revision = self._store.revision(COLLECTION.name)

    def _drop_expired(self) -> None:
        """Delete the records whose time is up; each record is pushed and popped once (amortised O(log n))."""
        self._sync_expiries()
        now = self._clock.now().timestamp()
        while self._expiries and self._expiries[0][0] <= now:
            expires, scope = heapq.heappop(self._expiries)
            record = self._store.get(COLLECTION.name, scope)
            if record is not None and record["expiresAt"] == expires:  # not a newer record of the same scope
                self._store.delete(COLLECTION.name, scope)
        self._seen_revision = self._store.revision(COLLECTION.name)

    def _sync_expiries(self) -> None:
        """Rebuild the heap when the records changed behind the cache's back (a reset, a restored state)."""
        if self._seen_revision != self._store.revision(COLLECTION.name):
            self._expiries = [(record["expiresAt"], record["scope"]) for record in self._store.all(COLLECTION.name)]
            heapq.heapify(self._expiries)
            self._seen_revision = self._store.revision(COLLECTION.name)


def _replay(record: dict[str, Any]) -> Reply:
    replayed = {REPLAYED_HEADER: "true"}
    if "error" in record:
        status, reason, message, details = record["error"]
        raise ApiError(status, reason, message, details=details, headers=replayed)
    status, body, headers = record["reply"]
    return Reply(body, status, {**headers, **replayed})
