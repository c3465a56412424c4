"""The state of every fake: documents held in memory with indexes, made durable through a state file;
one implementation of `RecordStore` (platform/records.py), the interface everything else names.

TinyDB gives the document format, the fixture format and the state file. Its tables rebuild on
every write and scan on every query, so the per-request path works on in-memory dictionaries with
secondary indexes instead. With a state file (`--state`), each change is also noted, and `commit`
appends a request's changes to the file's change log (see `persistence.py`) before it is answered.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterable, Iterator, KeysView, Mapping
from typing import Any

from mockserver.platform.persistence import Change, StateFile, Tables, tinydb_layout
from mockserver.platform.records import Collection, Document, IndexKey, RecordStore, StoreError

__all__ = ["Collection", "Document", "IndexKey", "MemoryStore", "RecordStore", "Store", "StoreError"]

_EMPTY: dict[Any, None] = {}


class MemoryStore(RecordStore):
    """The in-memory implementation of `RecordStore`, durable through a state file's change log."""

    def __init__(self, collections: Iterable[Collection], state_file: str | os.PathLike[str] | None = None):
        self._collections: dict[str, Collection] = {c.name: c for c in collections}
        self._docs: dict[str, dict[str, Document]] = {name: {} for name in self._collections}
        self._index: dict[str, dict[IndexKey, dict[Any, dict[str, None]]]] = {
            name: {field: {} for field in c.indexes} for name, c in self._collections.items()
        }
        self._file = StateFile(state_file) if state_file else None
        self._changes: list[Change] = []  # made since the last commit; noted only with a state file
        self._revisions: dict[str, int] = dict.fromkeys(self._collections, 0)

    # -- reading -------------------------------------------------------------------------------

    def get(self, collection: str, key: Any) -> Document | None:
        """The stored document itself: treat it as read-only and `put` a changed copy."""
        return self._docs[collection].get(key)

    def all(self, collection: str) -> Iterator[Document]:
        return iter(self._docs[collection].values())

    def count(self, collection: str) -> int:
        return len(self._docs[collection])

    def find(self, collection: str, index: IndexKey, value: Any) -> list[Document]:
        """Documents whose indexed field (or tuple of fields) equals `value`, in insertion order."""
        keys = self._index[collection][index].get(tuple(value) if value.__class__ is list else value)
        return [] if keys is None else list(map(self._docs[collection].__getitem__, keys))

    def keys(self, collection: str, index: IndexKey, value: Any) -> KeysView[Any]:
        """The keys of the documents `find` would return, as a live read-only view (O(1))."""
        return self._index[collection][index].get(_hashable(value), _EMPTY).keys()

    def revision(self, collection: str) -> int:
        """A number that changes whenever the collection does: lets callers keep derived data in step."""
        return self._revisions[collection]

    # -- writing -------------------------------------------------------------------------------

    def put(self, collection: str, doc: Document) -> Document:
        key = doc[self._collections[collection].key]
        docs = self._docs[collection]
        old = docs.get(key)
        if old is not None:
            self._unindex(collection, key, old)
        docs[key] = doc
        for fields, index in self._index[collection].items():
            if isinstance(fields, str):
                value = doc.get(fields)
                if value.__class__ is list:
                    value = tuple(value)
            else:
                value = tuple(map(doc.get, fields))
                if list in map(type, value):
                    value = _index_value(doc, fields)
            bucket = index.get(value)
            if bucket is None:
                index[value] = {key: None}
            else:
                bucket[key] = None
        self._revisions[collection] += 1
        if self._file is not None:
            self._changes.append(["put", collection, doc])
        return doc

    def delete(self, collection: str, key: Any) -> Document | None:
        old = self._docs[collection].pop(key, None)
        if old is not None:
            self._unindex(collection, key, old)
            self._revisions[collection] += 1
            if self._file is not None:
                self._changes.append(["delete", collection, key])
        return old

    def _unindex(self, collection: str, key: Any, doc: Document) -> None:
        for fields, index in self._index[collection].items():
            value = _index_value(doc, fields)
            bucket = index.get(value)
            if bucket is not None:
                bucket.pop(key, None)
                if not bucket:
                    del index[value]

    # -- bulk ----------------------------------------------------------------------------------

    def clear(self) -> None:
        for name in self._collections:
            self._docs[name].clear()
            for index in self._index[name].values():
                index.clear()
            self._revisions[name] += 1
        if self._file is not None:
            self._changes = [["clear"]]  # what came before no longer matters

    def load(self, records: Mapping[str, Mapping[str, list[Document]]]) -> int:
        """Add or replace records given as {vendor: {collection: [documents]}}; returns the count."""
        prepared: list[tuple[str, Document]] = []
        for vendor, tables in records.items():
            if not isinstance(tables, Mapping):
                raise StoreError(f"'{vendor}' must map collection names to lists of records")
            for table, docs in tables.items():
                name = f"{vendor}.{table}"
                if name not in self._collections:
                    raise StoreError(f"unknown collection '{name}'")
                if not isinstance(docs, list):
                    raise StoreError(f"'{name}' must be a list of records")
                key = self._collections[name].key
                for doc in docs:
                    if not isinstance(doc, dict) or key not in doc:
                        raise StoreError(f"every record of '{name}' needs the key '{key}'")
                    prepared.append((name, doc))
        for name, doc in prepared:  # validated first: a bad file loads nothing
            self.put(name, doc)
        return len(prepared)

    def export(self) -> dict[str, dict[str, Document]]:
        """The state in TinyDB's own file layout: {table: {doc_id: document}}."""
        return tinydb_layout(self._tables())

    def _tables(self) -> Tables:
        # a shallow copy is a consistent picture: a stored document is replaced, never changed in place
        return {name: list(docs.values()) for name, docs in self._docs.items()}

    # -- persistence ---------------------------------------------------------------------------

    def restore(self) -> bool:
        """Load the state file (snapshot, then change log) if there is one; False when there is none yet.

        A state restored from a log is compacted at once, so the server starts on a snapshot alone."""
        if self._file is None:
            return False
        snapshot, changes, logged = self._file.read()
        if snapshot is None and not logged:
            return False
        self.clear()
        for name, table in (snapshot or {}).items():
            if name in self._collections:
                key = self._collections[name].key
                for doc in table.values():
                    if key not in doc:
                        raise StoreError(f"state file: a record of '{name}' has no '{key}'")
                    self.put(name, dict(doc))
        for change in changes:
            self._apply(change)
        self._changes = []
        if logged:
            self._file.compact(self._tables())
        return True

    def _apply(self, change: Change) -> None:
        kind, *arguments = change
        if kind == "clear":
            self.clear()
        elif arguments[0] not in self._collections:  # a collection of an API this server does not serve
            return
        elif kind == "put":
            self.put(arguments[0], arguments[1])
        elif kind == "delete":
            self.delete(arguments[0], arguments[1])

    async def commit(self) -> None:
        """Make the changes made so far durable before a request is answered: the file work runs in a
        worker thread; the log's records keep the order of the changes."""
        if self._file is None:
            return
        ticket = self._queue_changes()
        if not self._file.is_durable(ticket):
            await asyncio.to_thread(self._file.sync, ticket)

    def flush(self) -> None:
        """`commit` for callers outside a request (start, admin): blocks until the changes are on disk."""
        if self._file is None:
            return
        if not self._file.has_snapshot:  # the first state: written whole, so the file exists from the start
            self._changes = []
            self._file.compact(self._tables())
            return
        self._file.sync(self._queue_changes())

    def close(self) -> None:
        """Compact the state file into the snapshot alone (at shutdown); the store stays usable."""
        if self._file is None:
            return
        if self._changes:
            self._file.queue(self._changes)
            self._changes = []
        self._file.compact(self._tables())

    def wait_for_compaction(self) -> None:
        """Block until a background compaction under way has written its snapshot."""
        if self._file is not None:
            self._file.wait_for_compaction()

    def _queue_changes(self) -> int:
        """Queue the pending changes as one log record (and, when the log has grown, a compaction right
        after them, of the state they add up to); the number to wait for."""
        assert self._file is not None
        ticket = self._file.queue(self._changes) if self._changes else self._file.last_queued
        self._changes = []
        if self._file.wants_compaction():
            self._file.queue_compaction(self._tables())
        return ticket


def _index_value(doc: Document, fields: IndexKey) -> Any:
    if isinstance(fields, str):
        return _hashable(doc.get(fields))
    return tuple(_hashable(doc.get(field)) for field in fields)


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


Store = MemoryStore  # the name the server and the tests construct it by
