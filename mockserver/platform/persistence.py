"""The state file of `--state`: a TinyDB-format snapshot and an append-only change log beside it.

Each request's changes are appended to `<state>.log` as one record and fsynced before the request is
answered, so a write costs the size of its changes, not the size of the state. When the log outgrows
the snapshot it is set aside as `<state>.log.prev` and the state of that moment is written as the new
snapshot in a background thread (a temporary file renamed over the old one), after which the set-aside
log is removed. Restoring reads the snapshot and replays `.log.prev`, then `.log`; a record cut short by
a crash (only the last one can be) is ignored, as is everything after it.

Replaying a change the snapshot already holds is harmless: every change sets or removes one document
(or all of them), so the last change to a document decides it, whichever file that change is read from.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

log = logging.getLogger("mockserver")

Document = dict[str, Any]
Change = list[Any]  # ["put", collection, document] | ["delete", collection, key] | ["clear"]
Tables = Mapping[str, list[Document]]  # each collection's documents, in insertion order

COMPACT_AT_LEAST = 1 << 20  # bytes of log before a compaction, however small the snapshot


class AtomicJSONStorage(Storage):
    """TinyDB storage that replaces its file in one rename: a crash never leaves it half-written."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            with self.path.open(encoding="utf-8") as handle:
                data: dict[str, dict[str, Any]] = json.load(handle)
                return data
        except FileNotFoundError:
            return None

    def write(self, data: Mapping[str, Mapping[str, Any]]) -> None:
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
        _fsync_directory(self.path.parent)

    def close(self) -> None:
        pass


def tinydb_layout(tables: Tables) -> dict[str, dict[str, Document]]:
    """TinyDB's own file layout: {table: {doc_id: document}}."""
    return {name: {str(number): doc for number, doc in enumerate(docs, start=1)} for name, docs in tables.items()}


class StateFileError(ValueError):
    """A state file that cannot be read as one; the message names the file."""


@dataclass(frozen=True)
class _Rotation:
    """A place in the log where it is set aside, and the state the changes before it add up to."""

    tables: Tables


class StateFile:
    """Durable changes for one Store. `queue` and the compaction requests are called from one thread (the
    event loop's), in the order of the changes; `sync` may run on any thread."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.log_path = self.path.with_name(self.path.name + ".log")
        self.prev_path = self.path.with_name(self.path.name + ".log.prev")
        self._snapshot = AtomicJSONStorage(self.path)
        self._queue_lock = threading.Lock()  # guards the queue and its counter
        self._write_lock = threading.Lock()  # one writer of the log (and of the snapshot) at a time
        self._queue: list[bytes | _Rotation] = []
        self._queued = 0  # number of the last batch queued
        self._durable = 0  # number of the last batch on disk
        self._log_fd: int | None = None
        self._log_bytes = 0
        self._snapshot_bytes = 0
        # from the request of a compaction until its snapshot is written; for good if that failed, since the
        # set-aside log must not be replaced until `compact` has written a snapshot that holds it
        self._compacting = False
        self._compactor: threading.Thread | None = None

    # -- start -----------------------------------------------------------------------------------

    def read(self) -> tuple[dict[str, dict[str, Any]] | None, list[Change], bool]:
        """The snapshot (None when there is none), the logged changes after it, and whether a log exists.

        Temporary files a crash left behind (`.<name>.*`, from the atomic rename) are removed first."""
        prefix = f".{self.path.name}."
        if self.path.parent.is_dir():
            for stale in self.path.parent.iterdir():
                if stale.name.startswith(prefix) and stale.is_file():
                    stale.unlink(missing_ok=True)
        try:
            snapshot = self._snapshot.read()
        except ValueError as exc:  # not JSON, not UTF-8
            raise StateFileError(f"state file {self.path} is not a TinyDB JSON file: {exc}") from None
        if snapshot is not None and not _tinydb_layout(snapshot):
            raise StateFileError(f"state file {self.path} is not in TinyDB's layout {{table: {{id: document}}}}")
        self._snapshot_bytes = self.path.stat().st_size if snapshot is not None else 0
        changes = [*_read_log(self.prev_path), *_read_log(self.log_path)]
        return snapshot, changes, self.prev_path.exists() or self.log_path.exists()

    @property
    def has_snapshot(self) -> bool:
        return self.path.exists()

    # -- appending -------------------------------------------------------------------------------

    def queue(self, changes: list[Change]) -> int:
        """Encode one batch of changes as a log record, in order after those queued before; its number."""
        line = json.dumps(changes, separators=(",", ":")).encode("ascii")
        record = b"%08x %s\n" % (zlib.crc32(line), line)
        with self._queue_lock:
            self._queue.append(record)
            self._queued += 1
            return self._queued

    @property
    def last_queued(self) -> int:
        return self._queued

    def is_durable(self, ticket: int) -> bool:
        return self._durable >= ticket

    def sync(self, ticket: int) -> None:
        """Block until batch `ticket` (and so every batch before it) is on disk; writes whatever is queued.

        If the disk refuses a write, what was not written goes back to the head of the queue, in order,
        for the next call: the log never skips a batch."""
        with self._write_lock:
            if self._durable >= ticket:
                return
            with self._queue_lock:
                items, self._queue = self._queue, []
                last = self._queued
            start = 0  # the first item not yet on disk
            try:
                for index, item in enumerate(items):
                    if isinstance(item, _Rotation):
                        self._append(_records(items[start:index]))
                        self._rotate(item)
                        start = index + 1
                self._append(_records(items[start:]))
            except BaseException:
                with self._queue_lock:
                    self._queue[:0] = items[start:]
                raise
            self._durable = last

    def _append(self, data: bytes) -> None:
        if not data:
            return
        if self._log_fd is None:
            self._log_fd = os.open(self.log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            self._log_bytes = os.fstat(self._log_fd).st_size
            _fsync_directory(self.path.parent)  # the new file's name must survive a crash too
        try:
            view = memoryview(data)
            while view:
                written = os.write(self._log_fd, view)
                view = view[written:]
            os.fdatasync(self._log_fd)
        except OSError:
            os.ftruncate(self._log_fd, self._log_bytes)  # no half record before the ones that follow
            raise
        self._log_bytes += len(data)

    # -- compaction ------------------------------------------------------------------------------

    def wants_compaction(self) -> bool:
        """The log has outgrown the snapshot and no compaction is under way or left unfinished."""
        if self._compacting:
            return False
        return self._log_bytes >= max(COMPACT_AT_LEAST, self._snapshot_bytes)

    def queue_compaction(self, tables: Tables) -> None:
        """Set the log aside at this point of the queue and write `tables`, the state the changes queued so
        far add up to, as the snapshot in the background."""
        with self._queue_lock:
            self._queue.append(_Rotation(tables))
        self._compacting = True

    def _rotate(self, rotation: _Rotation) -> None:
        if self._log_fd is not None:
            os.close(self._log_fd)
            self._log_fd = None
        if self.log_path.exists():
            os.replace(self.log_path, self.prev_path)
            _fsync_directory(self.path.parent)
        self._log_bytes = 0
        self._compactor = threading.Thread(
            target=self._write_snapshot, args=(rotation.tables,), name="mockserver-compaction", daemon=True
        )
        self._compactor.start()

    def _write_snapshot(self, tables: Tables) -> None:
        try:
            self._snapshot.write(tinydb_layout(tables))
            self._snapshot_bytes = self.path.stat().st_size
            self.prev_path.unlink(missing_ok=True)
            _fsync_directory(self.path.parent)
        except Exception:  # the set-aside log stays and holds every change; `compact` at shutdown finishes it
            log.exception("compacting the state file %s failed", self.path)
        else:
            self._compacting = False

    def compact(self, tables: Tables) -> None:
        """Write `tables` (every queued change included) as the snapshot now and drop the logs: at start,
        at shutdown. The queued changes reach the log first, so a failure here loses none of them."""
        self.sync(self._queued)  # which may start the compaction of a rotation still queued
        self.wait_for_compaction()
        with self._write_lock:
            self._snapshot.write(tinydb_layout(tables))
            self._snapshot_bytes = self.path.stat().st_size
            if self._log_fd is not None:
                os.close(self._log_fd)
                self._log_fd = None
            self.prev_path.unlink(missing_ok=True)
            self.log_path.unlink(missing_ok=True)
            self._log_bytes = 0
            self._compacting = False
            _fsync_directory(self.path.parent)

    def wait_for_compaction(self) -> None:
        if self._compactor is not None:
            self._compactor.join()

    def close(self) -> None:
        self.sync(self._queued)
        self.wait_for_compaction()
        with self._write_lock:
            if self._log_fd is not None:
                os.close(self._log_fd)
                self._log_fd = None


def _records(items: list[bytes | _Rotation]) -> bytes:
    return b"".join(item for item in items if isinstance(item, bytes))


def _tinydb_layout(data: Any) -> bool:
    return isinstance(data, dict) and all(
        isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values()) for table in data.values()
    )


def _read_log(path: Path) -> Iterator[Change]:
    """The changes of every whole record, up to the first one that is cut short or damaged."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return
    *records, _unterminated = data.split(b"\n")
    for record in records:
        checksum, _, line = record.partition(b" ")
        try:
            if int(checksum, 16) != zlib.crc32(line):
                return
            batch = json.loads(line)
        except ValueError:
            return
        yield from batch


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
