"""The store behind one interface: vendor code and the platform's services name `RecordStore`
(platform/records.py), never the in-memory implementation, so another store can take its place."""

from __future__ import annotations

import ast
from pathlib import Path

import mockserver
from mockserver.platform.records import RecordStore
from mockserver.platform.store import MemoryStore, Store
from mockserver.platform.vendor import Services
from mockserver.server import MockServer

PACKAGE = Path(mockserver.__file__).parent
# the only modules that may name the implementation: itself and the server, which picks it
ALLOWED = {PACKAGE / "platform" / "store.py", PACKAGE / "server.py"}


def _imports_of_the_implementation(source: Path) -> list[str]:
    tree = ast.parse(source.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "mockserver.platform.store":
            found.append(f"{source.relative_to(PACKAGE)}:{node.lineno}")
        elif isinstance(node, ast.Import) and any(a.name == "mockserver.platform.store" for a in node.names):
            found.append(f"{source.relative_to(PACKAGE)}:{node.lineno}")
    return found


def test_only_the_server_names_the_in_memory_store() -> None:
    offenders = [
        hit for source in sorted(PACKAGE.rglob("*.py")) if source not in ALLOWED
        for hit in _imports_of_the_implementation(source)
    ]  # fmt: skip
    assert offenders == []


def test_the_in_memory_store_is_a_record_store_under_its_old_name() -> None:
    assert Store is MemoryStore
    assert isinstance(Store([]), RecordStore)
    assert Services.__annotations__["store"] == "RecordStore"


def test_the_server_keeps_its_state_through_the_interface() -> None:
    server = MockServer(apis=["align"])
    assert isinstance(server.store, RecordStore)
    assert isinstance(server.services.store, RecordStore)
