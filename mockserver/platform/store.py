"""The state of every fake: TinyDB documents held in memory with indexes, saved atomically.

TinyDB gives the document format, the fixture format and the state file. Its tables rebuild on
every write and scan on every query, so the per-request path works on in-memory dictionaries with
secondary indexes instead, and TinyDB's storage receives the whole state once per changing request.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator, KeysView, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage

Document = dict[str, Any]
IndexKey = str | tuple[str, ...]
_EMPTY: dict[Any, None] = {}


@dataclass(frozen=True)
class Collection:
    """A named set of documents keyed by `key`, with equality indexes on `indexes`.

    An index is a field name, or a tuple of field names for a composite key.
    """

    name: str
    key: str = "id"
    indexes: tuple[IndexKey, ...] = ()


class AtomicJSONStorage(Storage):
    """TinyDB storage that replaces its file in one rename: a crash never leaves it half-written."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            with self.path.open(encoding="utf-8") as handle:
                return json.load(handle)
        except FileNotFoundError:
            return None

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, separators=(",", ":"))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def close(self) -> None:
        pass


class StoreError(ValueError):
    """Records that cannot be loaded: unknown collection, missing key."""


class Store:
    def __init__(self, collections: Iterable[Collection], state_file: str | os.PathLike[str] | None = None):
        self._collections: dict[str, Collection] = {c.name: c for c in collections}
        self._docs: dict[str, dict[str, Document]] = {name: {} for name in self._collections}
        self._index: dict[str, dict[IndexKey, dict[Any, dict[str, None]]]] = {
            name: {field: {} for field in c.indexes} for name, c in self._collections.items()
        }
        self._db = TinyDB(state_file, storage=AtomicJSONStorage) if state_file else None
        self._dirty = False
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
        docs = self._docs[collection]
        return [docs[key] for key in self._index[collection][index].get(_hashable(value), ())]

    def keys(self, collection: str, index: IndexKey, value: Any) -> KeysView[Any]:
        """The keys of the documents `find` would return, as a live read-only view (O(1))."""
        return self._index[collection][index].get(_hashable(value), _EMPTY).keys()

    def revision(self, collection: str) -> int:
        """A number that changes whenever the collection does: lets callers keep derived data in step."""
        return self._revisions[collection]

    # -- writing -------------------------------------------------------------------------------

    def put(self, collection: str, doc: Document) -> Document:
        spec = self._collections[collection]
        key = doc[spec.key]
        old = self._docs[collection].get(key)
        if old is not None:
            self._unindex(collection, key, old)
        self._docs[collection][key] = doc
        for fields, index in self._index[collection].items():
            index.setdefault(_index_value(doc, fields), {})[key] = None
        self._revisions[collection] += 1
        self._dirty = True
        return doc

    def delete(self, collection: str, key: Any) -> Document | None:
        old = self._docs[collection].pop(key, None)
        if old is not None:
            self._unindex(collection, key, old)
            self._revisions[collection] += 1
            self._dirty = True
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
        self._dirty = True

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
        return {
            name: {str(number): doc for number, doc in enumerate(docs.values(), start=1)}
            for name, docs in self._docs.items()
        }

    # -- persistence ---------------------------------------------------------------------------

    @property
    def persistent(self) -> bool:
        return self._db is not None

    def restore(self) -> bool:
        """Load the state file if there is one; False when it does not exist yet."""
        if self._db is None or self._db.storage.read() is None:
            return False
        self.clear()
        for name in self._db.tables():
            if name in self._collections:
                for doc in self._db.table(name).all():
                    self.put(name, dict(doc))
        self._dirty = False
        return True

    async def commit(self) -> None:
        """Make the changes made so far durable before a request is answered."""
        self.flush()

    def flush(self) -> None:
        if self._db is not None and self._dirty:
            self._db.storage.write(self.export())
        self._dirty = False


def _index_value(doc: Document, fields: IndexKey) -> Any:
    if isinstance(fields, str):
        return _hashable(doc.get(fields))
    return tuple(_hashable(doc.get(field)) for field in fields)


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value
