"""`mockserver serve`: everything that can fail (fixtures, state file, the port) is tried before the
banner is printed, so a bad start is one line and a non-zero exit; then uvicorn serves on the socket
already bound. Each request is logged once, by the server's own line (platform/journal.py), in place
of uvicorn's access line."""

from __future__ import annotations

import copy
import errno
import os
import socket
import warnings
from typing import Any


class ServeError(Exception):
    """Why the server cannot start, in one line."""


def serve_forever(
    *,
    host: str,
    port: int,
    apis: tuple[str, ...],
    fixtures: str,
    state: str | None,
    cors_origins: tuple[str, ...] | None,
    seed: int | None,
    log_level: str,
) -> int:
    # connexion's import warns about starlette's test client, which the server never uses
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    import uvicorn

    from mockserver.platform.faults import FaultRegistry
    from mockserver.server import FixtureError, MockServer

    try:
        server = MockServer(
            apis=apis, fixtures=fixtures, state_file=state, cors_origins=cors_origins, faults=FaultRegistry(seed)
        )
    except (FixtureError, ValueError) as exc:
        raise ServeError(str(exc)) from None
    except OSError as exc:
        raise ServeError(f"cannot use state file {state}: {exc.strerror or exc}") from None
    listening = bind(host, port)
    base = f"http://{host}:{port}" if ":" not in host else f"http://[{host}]:{port}"
    for vendor in server.vendors.values():
        print(f"  {vendor.slug:<12} {base}{vendor.base_path}   (Swagger UI: {base}{vendor.base_path}/ui/)")
    print(f"  {'admin':<12} {base}/__admin/health", flush=True)
    config = uvicorn.Config(server, log_level=log_level, log_config=log_config(log_level), access_log=False)
    uvicorn.Server(config).run(sockets=[listening])
    return 0


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or ServeError naming why not (in use, no such address)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    listening = socket.socket(family, kind, proto)
    try:
        if os.name != "nt":
            listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind(address)
        listening.listen(2048)
    except OSError as exc:
        listening.close()
        reason = "the port is already in use" if exc.errno == errno.EADDRINUSE else (exc.strerror or str(exc))
        raise ServeError(f"cannot listen on {host}:{port}: {reason}") from None
    listening.set_inheritable(True)
    return listening


def log_config(level: str) -> dict[str, Any]:
    """uvicorn's own logging set-up, with the request log line added beside its messages."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["mockserver"] = {"handlers": ["default"], "level": level.upper(), "propagate": False}
    return config
