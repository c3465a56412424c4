"""The parsed-spec cache: the same content as the YAML, and a broken cache file is read past."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mockserver import SPECS_DIR
from mockserver.platform import spec


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "mockserver" / "specs"


def parse(path: Path) -> dict:
    return spec._parsed.__wrapped__(path, path.stat().st_mtime_ns)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["align.yaml", "contracting.yaml", "productive.yaml"])
def test_cached_spec_equals_the_yaml(cache_home: Path, name: str) -> None:
    path = SPECS_DIR / name
    as_written = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert parse(path) == as_written
    (cached,) = cache_home.glob(f"{path.stem}-*.json")
    assert parse(path) == as_written  # now read from the cache
    assert cached.exists()


def test_a_broken_cache_file_is_parsed_anew(cache_home: Path) -> None:
    path = SPECS_DIR / "align.yaml"
    parse(path)
    (cached,) = cache_home.glob("align-*.json")
    cached.write_text("{not json", encoding="utf-8")
    assert parse(path) == yaml.safe_load(path.read_text(encoding="utf-8"))


def test_a_spec_json_cannot_hold_is_not_cached(cache_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "dated.yaml"
    path.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\nx-released: 2024-01-01\n", encoding="utf-8")
    assert str(parse(path)["x-released"]) == "2024-01-01"
    assert not list(cache_home.glob("dated-*.json"))


def test_an_unwritable_cache_only_costs_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where the directory would go
    path = SPECS_DIR / "align.yaml"
    assert parse(path) == yaml.safe_load(path.read_text(encoding="utf-8"))


def resolve(path: Path) -> dict:
    return spec._resolved.__wrapped__(path, path.stat().st_mtime_ns)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["align.yaml", "contracting.yaml", "productive.yaml"])
def test_the_cached_resolution_is_connexions(cache_home: Path, name: str) -> None:
    from connexion.spec import OpenAPISpecification

    path = SPECS_DIR / name
    by_connexion = OpenAPISpecification(yaml.safe_load(path.read_text(encoding="utf-8"))).spec
    assert resolve(path) == by_connexion
    (cached,) = cache_home.glob(f"{path.stem}-*-resolved-*.json")
    assert resolve(path) == by_connexion  # now read from the cache
    assert "$ref" not in cached.read_text(encoding="utf-8")


def test_another_connexion_resolves_anew(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = SPECS_DIR / "align.yaml"
    resolve(path)
    monkeypatch.setattr(spec, "_resolver_stamp", lambda: "another")
    resolve(path)
    assert len(list(cache_home.glob("align-*-resolved-*.json"))) == 2


@pytest.mark.slow
def test_a_start_with_a_warm_cache_does_not_import_connexion(tmp_path: Path) -> None:
    # connexion's import is a third of a start; Swagger UI imports it at its first request
    start = "import sys\nfrom mockserver.server import MockServer\nMockServer()\nprint('connexion' in sys.modules)"
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    starts = [
        subprocess.run([sys.executable, "-c", start], check=True, env=environment, capture_output=True, text=True)
        for _ in range(2)
    ]
    assert [s.stdout.strip() for s in starts] == ["True", "False"]  # the first start fills the cache
