"""Load `specs/<api>.yaml` against a base URL with credentials, and drive schemathesis' engine over it.

`iter_events` is the building block: it yields schemathesis' own events (the loading pair first, as its
CLI does), with every built-in check and our behaviour checks on. `iter_results` reduces them to one
result per request; `mockserver fuzz` feeds them to the reporters of `report.py`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import schemathesis
from schemathesis.checks import load_all_checks
from schemathesis.config import (
    ApiKeyAuthConfig,
    ConfigError,
    HealthCheck,
    HttpBearerAuthConfig,
    SanitizationConfig,
    SchemathesisConfig,
)
from schemathesis.core.errors import LoaderError
from schemathesis.core.transport import Response
from schemathesis.engine import events, from_schema
from schemathesis.generation.case import Case
from schemathesis.schemas import BaseSchema

import mockserver.fuzz.checks  # noqa: F401  (registers the behaviour checks)
from mockserver import PROJECT_ROOT, SPECS_DIR
from mockserver.fuzz.adapter import LoadingFinished, LoadingStarted
from mockserver.fuzz.apis import APIS
from mockserver.fuzz.credentials import Credentials
from mockserver.fuzz.limits import fits_a_real_front
from mockserver.fuzz.report import Reporter, Tally
from mockserver.fuzz.reproduction import complete_reproductions
from mockserver.fuzz.target import Target, bound

PHASES = ("examples", "coverage", "fuzzing", "stateful")
CONFIG_FILE = PROJECT_ROOT / "schemathesis.toml"
IN_PROCESS_ORIGIN = "http://localhost"


@dataclass(frozen=True)
class FuzzSettings:
    api: str
    base_url: str
    credentials: Credentials
    headers: Mapping[str, str] = field(default_factory=dict)
    max_examples: int | None = None
    seed: int | None = None
    phases: tuple[str, ...] = PHASES
    workers: int = 1
    excluded_checks: tuple[str, ...] = ()
    app: Any = None  # an ASGI app called in-process instead of over the network
    target_sink: list[Target] | None = None  # receives the run's Target (what was played, what not checked)
    operation_ids: tuple[str, ...] = ()  # only these operations generate requests (all when empty)
    config_file: Path = CONFIG_FILE

    @property
    def spec(self) -> Path:
        return SPECS_DIR / f"{self.api}.yaml"


@dataclass(frozen=True)
class CaseResult:
    """One request of the run, its answer, and how each check judged it."""

    phase: str
    case: Case
    response: Response | None
    checks: dict[str, str]  # check name -> "success" | "failure" | "error"


def in_process(api: str, app: Any, credentials: Credentials, base_path: str, **options: Any) -> FuzzSettings:
    """Settings that fuzz `app` (an ASGI app serving `api` under `base_path`) without a network."""
    return FuzzSettings(api, IN_PROCESS_ORIGIN + base_path, credentials, app=app, **options)


def build_config(settings: FuzzSettings) -> SchemathesisConfig:
    config = SchemathesisConfig.from_path(settings.config_file)
    config.update(seed=settings.seed, max_failures=None, suppress_health_check=[HealthCheck.all])
    config.cache.enabled = False
    # Reproductions name keys and tokens as shell variables instead (reproduction.py), runnable as pasted.
    config.output.sanitization = SanitizationConfig(enabled=False)
    override = config.projects.override
    override.update(base_url=settings.base_url.rstrip("/"), workers=settings.workers, headers=dict(settings.headers))
    override.auth.openapi.schemes.update(_auth_schemes(settings.credentials))
    credential_parameters = settings.credentials.parameters()
    if credential_parameters:
        override.update(parameters={**_named_parameters(config, settings.spec), **credential_parameters})
    override.phases.update(phases=list(settings.phases))
    override.checks.update(excluded_check_names=list(settings.excluded_checks) or None)
    override.generation.update(
        max_examples=settings.max_examples or APIS[settings.api].default_max_examples,
        database="none" if settings.seed is not None else None,
        with_security_parameters=False,
    )
    return config


def load_schema(settings: FuzzSettings, config: SchemathesisConfig | None = None) -> BaseSchema:
    load_all_checks()
    schema: BaseSchema = schemathesis.openapi.from_path(settings.spec, config=config or build_config(settings))
    if settings.operation_ids:
        schema = schema.include(operation_id=list(settings.operation_ids))
    schema.hook("filter_case")(fits_a_real_front)
    if settings.app is not None:
        schema.app = settings.app
    return schema


def iter_events(settings: FuzzSettings, config: SchemathesisConfig | None = None) -> Iterator[events.EngineEvent]:
    """The run as schemathesis events; reproductions of failures cover every request they need."""
    started = LoadingStarted(location=str(settings.spec))
    yield started
    try:
        schema = load_schema(settings, config)
    except (ConfigError, LoaderError) as exc:
        yield events.FatalError(exception=exc)
        return
    yield LoadingFinished.from_schema(
        schema, location=str(settings.spec), start_time=started.timestamp, base_url=schema.get_base_url()
    )
    target = Target(
        settings.api,
        settings.credentials,
        exclusive=settings.workers == 1,
        demo_fixtures=settings.credentials.token == APIS[settings.api].demo.token,
    )
    if settings.target_sink is not None:
        settings.target_sink.append(target)
    with bound(schema, target):
        for event in from_schema(schema).execute():
            if isinstance(event, events.ScenarioFinished):
                complete_reproductions(event.recorder, settings.credentials)
            yield event


def iter_results(settings: FuzzSettings) -> Iterator[CaseResult]:
    """Every request the run sent (generated ones and the checks' follow-ups), in order."""
    for event in iter_events(settings):
        if not isinstance(event, events.ScenarioFinished):
            continue
        recorder = event.recorder
        for case_id, node in recorder.cases.items():
            yield CaseResult(
                phase=event.phase.value,
                case=node.value,
                response=recorder.find_response(case_id=case_id),
                checks={check.name: check.status.value for check in recorder.checks.get(case_id, [])},
            )


def _auth_schemes(credentials: Credentials) -> dict[str, ApiKeyAuthConfig | HttpBearerAuthConfig]:
    schemes: dict[str, ApiKeyAuthConfig | HttpBearerAuthConfig] = {}
    for name, scheme in credentials.auth_schemes().items():
        schemes[name] = ApiKeyAuthConfig(**scheme) if "api_key" in scheme else HttpBearerAuthConfig(**scheme)
    return schemes


def _named_parameters(config: SchemathesisConfig, spec: Path) -> dict[str, Any]:
    """The `[project.parameters]` of the spec's own project in the config file."""
    import yaml

    title = yaml.safe_load(spec.read_text(encoding="utf-8"))["info"]["title"]
    named = config.projects.named.get(title)
    return dict(named.parameters) if named is not None else {}


@dataclass(frozen=True)
class FuzzOutcome:
    exit_code: int
    tally: Tally
    seconds: float
    not_checked: dict[str, tuple[str, ...]] = field(default_factory=dict)  # check -> what it needed


def execute(settings: FuzzSettings, *, report_dir: Path | None = None, quiet: bool = False) -> FuzzOutcome:
    """Run `settings` to the end through a `Reporter`; exit code 0 only when every check passed.

    A configuration file schemathesis cannot use raises its `ConfigError` before anything is sent."""
    started = time.monotonic()
    targets: list[Target] = []
    settings = replace(settings, target_sink=targets)
    config = build_config(settings)
    import yaml

    raw = yaml.safe_load(settings.spec.read_text(encoding="utf-8"))
    reporter = Reporter(config.projects.get(raw), report_dir=report_dir, quiet=quiet, targets=targets)
    reporter.api = settings.api
    try:
        for event in iter_events(settings, config):
            reporter.handle(event)
    finally:
        exit_code = reporter.finish()
    missing = {name: needs for target in targets for name, needs in target.not_checked.items()}
    return FuzzOutcome(exit_code, reporter.tally, time.monotonic() - started, missing)
