"""A benchmark target over HTTP: `python -m mockserver.bench.serve fake|ceiling PORT` (Align's data)."""

from __future__ import annotations

import json
import sys

import uvicorn
from starlette.types import ASGIApp

from mockserver import DEFAULT_FIXTURES
from mockserver.bench.ceiling import ceiling_app
from mockserver.server import MockServer


def main() -> None:
    target, port = sys.argv[1], int(sys.argv[2])
    app: ASGIApp
    if target == "fake":
        app = MockServer(apis=["align"])
    else:
        app = ceiling_app(json.loads(DEFAULT_FIXTURES.read_text())["align"])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
