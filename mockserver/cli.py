"""`mockserver` command line: serve the fakes (fuzz and diff join later)."""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence

# connexion's import warns about starlette's test client, which the server never uses
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

from mockserver import DEFAULT_FIXTURES, __version__  # noqa: E402
from mockserver.vendors import VENDORS  # noqa: E402


def _api_list(value: str) -> tuple[str, ...]:
    slugs = tuple(part.strip() for part in value.split(",") if part.strip())
    unknown = [slug for slug in slugs if slug not in VENDORS]
    if not slugs or unknown:
        raise argparse.ArgumentTypeError(
            f"unknown API '{(unknown or [value])[0]}' (choose from {', '.join(VENDORS)})"
        )
    return slugs


def _port(value: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise argparse.ArgumentTypeError(f"'{value}' is not a TCP port (1-65535)")
    return int(value)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mockserver", description=__doc__)
    parser.add_argument("--version", action="version", version=f"mockserver {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve the fakes over HTTP")
    serve.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8080, help="TCP port (default 8080)")
    serve.add_argument(
        "--api", type=_api_list, default=tuple(VENDORS), help=f"comma list of APIs (default {','.join(VENDORS)})"
    )
    serve.add_argument("--fixtures", default=str(DEFAULT_FIXTURES), help="JSON file of records to start from")
    serve.add_argument("--state", default=None, help="keep state in this JSON file across restarts")
    serve.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    return parser


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from mockserver.server import FixtureError, MockServer

    try:
        server = MockServer(apis=args.api, fixtures=args.fixtures, state_file=args.state)
    except (FixtureError, ValueError) as exc:
        print(f"mockserver: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"mockserver: error: cannot use state file {args.state}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    base = f"http://{args.host}:{args.port}"
    for vendor in server.vendors.values():
        print(f"  {vendor.slug:<12} {base}{vendor.base_path}   (Swagger UI: {base}{vendor.base_path}/ui/)")
    print(f"  {'admin':<12} {base}/__admin/health")
    uvicorn.run(server, host=args.host, port=args.port, log_level=args.log_level, lifespan="on")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return serve(args)
    return 2
