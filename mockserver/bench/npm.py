"""The Node tools the bench runs beside the fake, installed with npm into a cache directory outside the
repository, once."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mockserver"


def installed(directory: str, package: str, wanted: str) -> Path | None:
    """`wanted` (a path inside `node_modules`) of `package` (npm's `name@range`), installed under the cache's
    `directory` when missing; None without npm."""
    prefix = CACHE / directory
    path = prefix / "node_modules" / wanted
    if path.exists():
        return path
    if shutil.which("npm") is None:
        return None
    prefix.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(prefix), package],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return path if path.exists() else None
