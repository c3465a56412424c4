"""`mockserver` command line: serve the fakes, fuzz any implementation against the specs, diff two.

Nothing heavy is imported here: each command imports what it needs, so `--help` answers at once.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from mockserver import DEFAULT_FIXTURES, __version__

API_SLUGS = ("align", "contracting", "productive")


def _api_list(value: str) -> tuple[str, ...]:
    slugs = tuple(part.strip() for part in value.split(",") if part.strip())
    unknown = [slug for slug in slugs if slug not in API_SLUGS]
    if not slugs or unknown:
        raise argparse.ArgumentTypeError(
            f"unknown API '{(unknown or [value])[0]}' (choose from {', '.join(API_SLUGS)})"
        )
    return slugs


def _port(value: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise argparse.ArgumentTypeError(f"'{value}' is not a TCP port (1-65535)")
    return int(value)


def _host(value: str) -> str:
    if not value.strip() or any(char.isspace() for char in value):
        raise argparse.ArgumentTypeError(f"'{value}' is not a host name or address")
    return value


def _origin(value: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(value)
    if value != "*" and (parts.scheme not in ("http", "https") or not parts.netloc or parts.path or parts.query):
        raise argparse.ArgumentTypeError(f"'{value}' is not an origin (scheme://host[:port]) or *")
    return value.rstrip("/")


def _text(value: str) -> str:
    if not value:
        raise argparse.ArgumentTypeError("an empty value")
    return value


# serve's options that the environment may set: (option, variable, parse, default)
SERVE_ENVIRONMENT: tuple[tuple[str, str, Callable[[str], Any], Any], ...] = (
    ("host", "MOCKSERVER_HOST", _host, "127.0.0.1"),
    ("port", "MOCKSERVER_PORT", _port, 8080),
    ("api", "MOCKSERVER_API", _api_list, API_SLUGS),
    ("fixtures", "MOCKSERVER_FIXTURES", _text, str(DEFAULT_FIXTURES)),
    ("state", "MOCKSERVER_STATE", _text, None),
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mockserver", description=__doc__.split("\n")[0])
    parser.error = _one_line_error(parser)  # type: ignore[method-assign]
    parser.add_argument("--version", action="version", version=f"mockserver {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve",
        help="serve the fakes over HTTP",
        description="Serve the fakes and the admin API. Each option can also be set by the environment "
        "variable named beside it; the flag wins.",
    )
    serve.error = _one_line_error(serve)  # type: ignore[method-assign]
    serve.add_argument("--host", type=_host, help="interface to bind (MOCKSERVER_HOST, default 127.0.0.1)")
    serve.add_argument("--port", type=_port, help="TCP port (MOCKSERVER_PORT, default 8080)")
    serve.add_argument(
        "--api", type=_api_list, help=f"comma list of APIs (MOCKSERVER_API, default {','.join(API_SLUGS)})"
    )
    serve.add_argument(
        "--fixtures", type=_text, help="JSON file of records to start from (MOCKSERVER_FIXTURES, default the demo data)"
    )
    serve.add_argument("--state", type=_text, help="keep state in this JSON file across restarts (MOCKSERVER_STATE)")
    serve.add_argument(
        "--cors-origin",
        type=_origin,
        action="append",
        metavar="ORIGIN",
        help="a browser origin allowed to call the fakes (repeatable; default any origin)",
    )
    serve.add_argument("--seed", type=_seed, help="seed of the fault rules' probability draws (repeatable runs)")
    serve.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    _add_fuzz_parser(commands)
    _add_diff_parser(commands)
    return parser


def _serve_options(args: argparse.Namespace, environment: dict[str, str]) -> argparse.Namespace:
    """Options not given as flags come from the environment, then from the defaults."""
    for option, variable, parse, default in SERVE_ENVIRONMENT:
        if getattr(args, option) is not None:
            continue
        raw = environment.get(variable)
        if raw is None:
            setattr(args, option, default)
            continue
        try:
            setattr(args, option, parse(raw))
        except argparse.ArgumentTypeError as exc:
            raise UsageError(f"{variable}: {exc}") from None
    return args


class UsageError(Exception):
    """A bad option: one line on stderr, exit 2."""


FUZZ_APIS = API_SLUGS  # mockserver.fuzz.apis.APIS, without importing the fuzzer
CREDENTIAL_OPTIONS = (
    "token",
    "tenant",
    "other_tenant",
    "organization",
    "project_key",
    "disabled_key",
    "revoked_key",
    "other_org_entry",
    "other_org_key",
    "single_tenant_token",
    "readonly_token",
    "other_token",
    "other_organization",
    "organization_offset",
    "other_organization_offset",
)
FUZZ_PHASES = ("examples", "coverage", "fuzzing", "stateful")


def _fuzz_api(value: str) -> str:
    if value not in FUZZ_APIS:
        raise argparse.ArgumentTypeError(f"unknown API '{value}' (choose from {', '.join(FUZZ_APIS)})")
    return value


def _url(value: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(f"'{value}' is not an http(s) base URL")
    return value.rstrip("/")


def _header(value: str) -> tuple[str, str]:
    name, separator, content = value.partition(":")
    if not separator or not name.strip() or any(char.isspace() for char in name.strip()):
        raise argparse.ArgumentTypeError(f"'{value}' is not a header: use 'Name: value'")
    return name.strip(), content.strip()


def _count(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a positive whole number")
    return int(value)


def _seed(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number") from None


def _workers(value: str) -> int:
    count = _count(value)
    if count > 64:
        raise argparse.ArgumentTypeError(f"'{value}' workers is more than 64")
    return count


def _phases(value: str) -> tuple[str, ...]:
    phases = tuple(part.strip() for part in value.split(",") if part.strip())
    unknown = [phase for phase in phases if phase not in FUZZ_PHASES]
    if not phases or unknown:
        raise argparse.ArgumentTypeError(
            f"unknown phase '{(unknown or [value])[0]}' (choose from {', '.join(FUZZ_PHASES)})"
        )
    return phases


def _names(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _add_fuzz_parser(commands: argparse._SubParsersAction) -> None:
    fuzz = commands.add_parser(
        "fuzz",
        help="conformance-fuzz any implementation of one API against its spec",
        description="Every built-in schemathesis check, the stateful phase and the behaviour checks of the API, "
        "against BASE_URL. Exit 0 only when every check passed, 1 on failures, 3 when the run could not "
        "do its job, 2 on bad usage. Without credentials the demo ones of the fake are used.",
    )
    fuzz.error = _one_line_error(fuzz)
    fuzz.add_argument("--api", type=_fuzz_api, required=True, help=f"one of {', '.join(FUZZ_APIS)}")
    fuzz.add_argument("--url", type=_url, required=True, help="base URL, e.g. http://127.0.0.1:8080/align/api/v1")
    fuzz.add_argument(
        "--header", type=_header, action="append", default=[], metavar="'NAME: VALUE'", help="extra header (repeatable)"
    )
    credentials = fuzz.add_argument_group("credentials (default: the fake's demo credentials)")
    credentials.add_argument("--token", help="Align API key / Contracting bearer token / Productive X-Auth-Token")
    credentials.add_argument("--tenant", help="Contracting: tenant-id every request works in")
    credentials.add_argument("--other-tenant", help="Contracting: a second tenant of the token, for isolation")
    credentials.add_argument("--organization", help="Productive: X-Organization-Id")
    credentials.add_argument("--project-key", help="Align: a project-scoped key (refused on /integration/*)")
    credentials.add_argument("--disabled-key", help="Align: org key of an organization without time_tracking")
    credentials.add_argument("--revoked-key", help="Align: a revoked key (401 key_revoked)")
    credentials.add_argument("--other-org-entry", help="Align: id of a time entry of another organization")
    credentials.add_argument("--other-org-key", help="Align: org key of another organization with time_tracking")
    credentials.add_argument("--single-tenant-token", help="Contracting: a token not allowed on --other-tenant")
    credentials.add_argument("--readonly-token", help="Productive: a read-only token of the organization")
    credentials.add_argument("--other-token", help="Productive: a token of another organization")
    credentials.add_argument("--other-organization", help="Productive: that other organization's id")
    credentials.add_argument("--organization-offset", help="Productive: the organization's UTC offset, e.g. +02:00")
    credentials.add_argument("--other-organization-offset", help="Productive: the other organization's UTC offset")
    fuzz.add_argument("--max-examples", type=_count, help="examples per operation and phase (schemathesis' default)")
    fuzz.add_argument("--seed", type=_seed, help="seed for a reproducible run (random by default, printed)")
    fuzz.add_argument(
        "--phases", type=_phases, default=FUZZ_PHASES, help=f"comma list (default {','.join(FUZZ_PHASES)})"
    )
    fuzz.add_argument("--workers", type=_workers, default=1, help="concurrent workers (default 1)")
    fuzz.add_argument("--exclude-checks", type=_names, default=(), help="comma list of checks to skip")
    fuzz.add_argument("--report", metavar="DIR", help="write the JUnit XML report to DIR/junit.xml")


def _add_diff_parser(commands: argparse._SubParsersAction) -> None:
    diff = commands.add_parser(
        "diff",
        help="send the same seeded request sequences to two implementations and report where they differ",
        description="Generated ids, timestamps and free-text messages may differ; status, envelope, shape and "
        "every other value may not. Each divergence comes with the shortest request sequence that shows it "
        "(shortened by replaying from POST /__admin/reset where the targets have it). Exit 0 when the targets "
        "agree, 1 on divergences, 2 on bad usage.",
    )
    diff.error = _one_line_error(diff)
    diff.add_argument("--api", type=_fuzz_api, required=True, help=f"one of {', '.join(FUZZ_APIS)}")
    diff.add_argument("--a", type=_url, required=True, metavar="URL", help="base URL of the first implementation")
    diff.add_argument("--b", type=_url, required=True, metavar="URL", help="base URL of the second implementation")
    diff.add_argument("--seed", type=_seed, default=0, help="seed of the request sequences (default 0)")
    diff.add_argument("--max-examples", type=_count, default=100, help="scenarios to explore (default 100)")
    diff.add_argument("--max-steps", type=_count, default=10, help="requests per scenario at most (default 10)")
    diff.add_argument(
        "--header", type=_header, action="append", default=[], metavar="'NAME: VALUE'", help="extra header (repeatable)"
    )
    diff.add_argument("--token", help="the credential (default: the fake's demo one)")
    diff.add_argument("--tenant", help="Contracting: tenant-id")
    diff.add_argument("--organization", help="Productive: X-Organization-Id")


def diff(args: argparse.Namespace) -> int:
    from mockserver.diff.report import write_report
    from mockserver.diff.runner import run_diff
    from mockserver.diff.targets import Target
    from mockserver.fuzz.credentials import CredentialError, credentials_for

    try:
        credentials = credentials_for(args.api, token=args.token, tenant=args.tenant, organization=args.organization)
    except CredentialError as exc:
        print(f"mockserver diff: error: {exc}", file=sys.stderr)
        return 2
    headers = {**credentials.headers(), **dict(args.header)}
    a, b = Target(args.a), Target(args.b)
    result = run_diff(
        args.api, a, b, headers=headers, seed=args.seed, max_examples=args.max_examples, max_steps=args.max_steps
    )
    write_report(result, a, b, sys.stdout)
    return 1 if result.findings else 0


def _one_line_error(parser: argparse.ArgumentParser):
    def error(message: str) -> None:
        parser.exit(2, f"{parser.prog}: error: {message}\n")

    return error


def serve(args: argparse.Namespace) -> int:
    from mockserver.serving import ServeError, serve_forever

    try:
        args = _serve_options(args, dict(os.environ))
        return serve_forever(
            host=args.host,
            port=args.port,
            apis=args.api,
            fixtures=args.fixtures,
            state=args.state,
            cors_origins=tuple(args.cors_origin) if args.cors_origin else None,  # None: any origin
            seed=args.seed,
            log_level=args.log_level,
        )
    except (UsageError, ServeError) as exc:
        print(f"mockserver: error: {exc}", file=sys.stderr)
        return 2


def fuzz(args: argparse.Namespace) -> int:
    from pathlib import Path

    from schemathesis.config import ConfigError

    from mockserver.fuzz.checks import known_names
    from mockserver.fuzz.credentials import CredentialError, credentials_for
    from mockserver.fuzz.runner import FuzzSettings, execute

    try:
        credentials = credentials_for(args.api, **{name: getattr(args, name) for name in CREDENTIAL_OPTIONS})
    except CredentialError as exc:
        print(f"mockserver fuzz: error: {exc}", file=sys.stderr)
        return 2
    unknown = [name for name in args.exclude_checks if name not in known_names()]
    if unknown:
        print(f"mockserver fuzz: error: unknown check '{unknown[0]}'", file=sys.stderr)
        return 2
    settings = FuzzSettings(
        api=args.api,
        base_url=args.url,
        credentials=credentials,
        headers=dict(args.header),
        max_examples=args.max_examples,
        seed=args.seed,
        phases=args.phases,
        workers=args.workers,
        excluded_checks=args.exclude_checks,
    )
    report_dir = Path(args.report) if args.report else None
    if report_dir is not None and report_dir.exists() and not report_dir.is_dir():
        print(f"mockserver fuzz: error: --report {args.report} is not a directory", file=sys.stderr)
        return 2
    try:
        return execute(settings, report_dir=report_dir).exit_code
    except ConfigError as exc:
        print(f"mockserver fuzz: error: {exc}", file=sys.stderr)
        return 3


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"serve": serve, "fuzz": fuzz, "diff": diff}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return COMMANDS[args.command](args)
