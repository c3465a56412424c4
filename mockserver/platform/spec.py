"""A vendor's spec, loaded once per process: as written (served to clients) and resolved by connexion
(the source the pipeline compiles its routes, parameters and schemas from).

This module is the one place that uses a private hook of connexion (pyproject pins its minor version):
`make lint` and tests/test_specs.py validate the specs against the OpenAPI schema, so the server skips
connexion's own validation at every start, which cost most of a start's time.

Importing connexion is a third of a start, so a start does not import it when it need not: the parsed
YAML and connexion's resolution of it are both kept as JSON in the user's cache directory, keyed by the
spec's content (and, for the resolution, by connexion's own files); connexion's `Specification` object is
built at first use, by Swagger UI.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mockserver import SPECS_DIR


@dataclass(frozen=True)
class LoadedSpec:
    raw: dict[str, Any]  # as written, `$ref`s kept
    resolved: dict[str, Any]  # connexion's resolution of `raw`: every `$ref` replaced by what it names
    document: bytes  # what `openapi.json` serves: `raw` as compact JSON, this fake as its first server
    etag: str

    def specification(self) -> Any:
        """A new connexion Specification of the spec (what its Swagger UI takes, and changes); imports connexion."""
        return _specification(self.raw)


def load_spec(name: str, base_path: str) -> LoadedSpec:
    """The spec under specs/ for an API served at `base_path`, shared by every server of the process."""
    path = SPECS_DIR / name
    return _loaded(path, path.stat().st_mtime_ns, base_path)


def raw_spec(name: str) -> dict[str, Any]:
    """The spec as written; treat it as read-only."""
    path = SPECS_DIR / name
    return _parsed(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _content(path: Path, modified: int) -> tuple[bytes, str]:
    """The spec file's bytes and their digest, which names its entries in the cache."""
    text = path.read_bytes()
    return text, hashlib.sha256(text).hexdigest()[:32]


@functools.lru_cache(maxsize=16)
def _parsed(path: Path, modified: int) -> dict[str, Any]:
    text, digest = _content(path, modified)
    cached = _cache_dir() / f"{path.stem}-{digest}.json"
    parsed = _cached(cached)
    if parsed is None:
        import yaml  # only when the cache has no JSON of this content

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        parsed = yaml.load(text, Loader=loader)
        _keep(cached, parsed)
    return parsed


@functools.lru_cache(maxsize=16)
def _resolved(path: Path, modified: int) -> dict[str, Any]:
    """connexion's resolution of the spec: from the cache when this content was resolved by these connexion
    files before, else by connexion (and then kept)."""
    digest = _content(path, modified)[1]
    cached = _cache_dir() / f"{path.stem}-{digest}-resolved-{_resolver_stamp()}.json"
    resolved = _cached(cached)
    if resolved is None:
        resolved = _specification(_parsed(path, modified)).spec
        _keep(cached, resolved)
    return resolved


def _specification(raw: dict[str, Any]) -> Any:
    from connexion.spec import OpenAPISpecification

    class ValidatedSpecification(OpenAPISpecification):
        @classmethod
        def _validate_spec(cls, spec: dict[str, Any]) -> None:
            """Validated by `make lint` and the test suite, not at every start."""

    return ValidatedSpecification(raw)


def _resolver_stamp() -> str:
    """Names the connexion that resolves, by its resolving modules' sizes and times (an upgrade changes
    them), without importing it."""
    found = importlib.util.find_spec("connexion")
    if found is None or found.origin is None:
        return "none"
    package = Path(found.origin).parent
    stamps = [os.stat(package / module) for module in ("spec.py", "json_schema.py")]
    return hashlib.sha256(repr([(s.st_size, s.st_mtime_ns) for s in stamps]).encode()).hexdigest()[:16]


def _cached(cached: Path) -> Any:
    try:
        return json.loads(cached.read_bytes())
    except (OSError, ValueError):
        return None


def _cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mockserver" / "specs"


def _keep(cached: Path, parsed: dict[str, Any]) -> None:
    """Parsing YAML was a fifth of a start; the JSON of the same content, keyed by its hash, reads in
    milliseconds. A cache that cannot be written is only slower; a spec JSON cannot hold as YAML read it
    (a date, an integer key) is not cached."""
    dumped = json.dumps(parsed, default=str)
    if json.loads(dumped) != parsed:
        return
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(dumped, encoding="utf-8")
        os.replace(partial, cached)
    except OSError:
        pass


@functools.lru_cache(maxsize=16)
def _loaded(path: Path, modified: int, base_path: str) -> LoadedSpec:
    raw = _parsed(path, modified)
    # as written, except that the first server is this fake, for Swagger UI's "Try it out" and clients
    served = {**raw, "servers": [{"url": base_path, "description": "this fake"}, *raw.get("servers", [])]}
    document = json.dumps(served, separators=(",", ":"), ensure_ascii=False, default=str).encode()
    etag = '"' + hashlib.sha256(document).hexdigest()[:32] + '"'
    return LoadedSpec(raw, _resolved(path, modified), document, etag)
