"""The one interface every fake keeps its state through: `RecordStore`.

Vendor code and the platform's services (idempotency, the admin API, the server) name only this
interface and the collections they declare, so another implementation — a store shared by several
workers or hosts — can take the place of the in-memory one (`platform/store.py`) without a change to
any vendor. What an implementation owes beyond the method signatures is in their docstrings.
"""

from __future__ import annotations

from collections.abc import Iterator, KeysView, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

Document = dict[str, Any]
IndexKey = str | tuple[str, ...]


@dataclass(frozen=True)
class Collection:
    """A named set of documents keyed by `key`, with equality indexes on `indexes`.

    An index is a field name, or a tuple of field names for a composite key.
    """

    name: str
    key: str = "id"
    indexes: tuple[IndexKey, ...] = ()


class StoreError(ValueError):
    """Records that cannot be loaded: unknown collection, missing key."""


@runtime_checkable
class RecordStore(Protocol):
    """Documents by collection and key, with the equality indexes each `Collection` declares.

    A document handed out is the stored one: callers treat it as read-only and `put` a changed copy.
    Changes made while answering a request are durable once `commit` returns, before the answer is sent.
    """

    # -- reading -------------------------------------------------------------------------------

    def get(self, collection: str, key: Any) -> Document | None: ...

    def all(self, collection: str) -> Iterator[Document]: ...

    def count(self, collection: str) -> int: ...

    def find(self, collection: str, index: IndexKey, value: Any) -> list[Document]:
        """Documents whose indexed field (or tuple of fields) equals `value`, in insertion order."""
        ...

    def keys(self, collection: str, index: IndexKey, value: Any) -> KeysView[Any]:
        """The keys of the documents `find` would return."""
        ...

    def revision(self, collection: str) -> int:
        """A number that changes whenever the collection does: lets callers keep derived data in step."""
        ...

    # -- writing -------------------------------------------------------------------------------

    def put(self, collection: str, doc: Document) -> Document: ...

    def delete(self, collection: str, key: Any) -> Document | None: ...

    # -- bulk ----------------------------------------------------------------------------------

    def clear(self) -> None: ...

    def load(self, records: Mapping[str, Mapping[str, list[Document]]]) -> int:
        """Add or replace records given as {vendor: {collection: [documents]}}, all or none (StoreError);
        returns the count."""
        ...

    def export(self) -> dict[str, dict[str, Document]]:
        """The state in TinyDB's own file layout: {table: {doc_id: document}}."""
        ...

    # -- durability ----------------------------------------------------------------------------

    def restore(self) -> bool:
        """Take up the state kept from an earlier run; False when there is none."""
        ...

    async def commit(self) -> None:
        """Make the changes made so far durable (called by the pipeline before each answer)."""
        ...

    def flush(self) -> None:
        """`commit` for callers outside a request (start, admin): blocks until the changes are durable."""
        ...

    def close(self) -> None:
        """At shutdown; the store stays usable."""
        ...

    def wait_for_compaction(self) -> None:
        """Block until background upkeep under way has finished (none: return at once)."""
        ...
