"""The parsed-spec cache: the same content as the YAML, and a broken cache file is read past."""

from __future__ import annotations

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
