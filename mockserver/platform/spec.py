"""A vendor's spec, loaded once per process: as written (served to clients) and resolved by connexion
(the source the pipeline compiles its routes, parameters and schemas from).

This module is the one place that uses a private hook of connexion (pyproject pins its minor version):
`make lint` and tests/test_specs.py validate the specs against the OpenAPI schema, so the server skips
connexion's own validation at every start, which cost most of a start's time.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mockserver import SPECS_DIR


@dataclass(frozen=True)
class LoadedSpec:
    raw: dict[str, Any]  # as written, `$ref`s kept
    resolved: Any  # connexion's Specification: references resolved, validated against the OpenAPI schema
    document: bytes  # what `openapi.json` serves: `raw` as compact JSON, this fake as its first server
    etag: str


def load_spec(name: str, base_path: str) -> LoadedSpec:
    """The spec under specs/ for an API served at `base_path`, shared by every server of the process."""
    path = SPECS_DIR / name
    return _loaded(path, path.stat().st_mtime_ns, base_path)


def raw_spec(name: str) -> dict[str, Any]:
    """The spec as written; treat it as read-only."""
    path = SPECS_DIR / name
    return _parsed(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _parsed(path: Path, modified: int) -> dict[str, Any]:
    text = path.read_bytes()
    cached = _cache_dir() / f"{path.stem}-{hashlib.sha256(text).hexdigest()[:32]}.json"
    try:
        parsed: dict[str, Any] = json.loads(cached.read_bytes())
        return parsed
    except (OSError, ValueError):
        pass
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    parsed = yaml.load(text, Loader=loader)
    _keep(cached, parsed)
    return parsed


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
    from connexion.spec import OpenAPISpecification

    class ValidatedSpecification(OpenAPISpecification):
        @classmethod
        def _validate_spec(cls, spec: dict[str, Any]) -> None:
            """Validated by `make lint` and the test suite, not at every start."""

    raw = _parsed(path, modified)
    resolved = ValidatedSpecification(raw)
    resolved.base_path = base_path
    # as written, except that the first server is this fake, for Swagger UI's "Try it out" and clients
    served = {**raw, "servers": [{"url": base_path, "description": "this fake"}, *raw.get("servers", [])]}
    document = json.dumps(served, separators=(",", ":"), ensure_ascii=False, default=str).encode()
    etag = '"' + hashlib.sha256(document).hexdigest()[:32] + '"'
    return LoadedSpec(raw, resolved, document, etag)
