"""What a run tells its user: schemathesis' own console output (phases, failures with their curl
reproductions, summary) and JUnit XML, plus a line per operation and phase as it finishes and a
summary per check and per operation."""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

from schemathesis.config import ProjectConfig
from schemathesis.engine import Status, events

from mockserver.fuzz.adapter import (
    UNIT_PHASES,
    EventHandler,
    ExecutionContext,
    ExitCode,
    JunitXMLHandler,
    OutputHandler,
    PhaseName,
)
from mockserver.fuzz.target import Target

JUNIT_FILE = "junit.xml"
EXIT_CODES = {ExitCode.OK: 0, ExitCode.FAILURES: 1, ExitCode.ERROR: 3, ExitCode.INTERRUPTED: 130}


@dataclass
class Tally:
    """The run's figures: requests per phase and operation, outcomes per check, stateful coverage."""

    checks: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    operations: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    requests: Counter[str] = field(default_factory=Counter)
    stateful_scenarios: int = 0
    links: Counter[str] = field(default_factory=Counter)
    reproductions: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def on_event(self, event: events.EngineEvent) -> None:
        if not isinstance(event, events.ScenarioFinished) or not event.is_test_scenario:
            return
        recorder = event.recorder
        if event.phase == PhaseName.STATEFUL_TESTING and recorder.cases:
            self.stateful_scenarios += 1
        for case_id, node in recorder.cases.items():
            label = node.value.operation.label
            self.requests[event.phase.value] += 1
            self.operations[label]["requests"] += 1
            if node.transition is not None and node.is_transition_applied:
                self.links[node.transition.id] += 1
            for check in recorder.checks.get(case_id, []):
                self.checks[check.name][check.status.value] += 1
                if check.status != Status.SUCCESS:
                    self.operations[label][check.status.value] += 1
                if check.failure_info is not None:
                    self.reproductions[check.name].append(check.failure_info.code_sample)

    @property
    def failed_checks(self) -> set[str]:
        return {name for name, outcomes in self.checks.items() if outcomes[Status.FAILURE.value]}

    @property
    def stateful_steps(self) -> int:
        return sum(self.links.values())


class Progress(EventHandler[ExecutionContext]):
    """A line per operation and phase as it finishes, for logs where no live display shows."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.scenarios = 0
        self.steps = 0

    def handle_event(self, ctx: ExecutionContext, event: events.EngineEvent) -> None:
        if isinstance(event, events.ScenarioFinished) and event.is_test_scenario and event.recorder.cases:
            failed = sum(
                check.status != Status.SUCCESS for checks in event.recorder.checks.values() for check in checks
            )
            if event.phase in UNIT_PHASES:
                self._line(
                    f"{event.phase.value:<9} {event.recorder.label}: {len(event.recorder.cases)} requests, "
                    f"{failed} failed checks"
                )
            elif event.phase == PhaseName.STATEFUL_TESTING:
                self.scenarios += 1
                self.steps += len(event.recorder.cases)
        elif isinstance(event, events.PhaseFinished) and event.phase.name == PhaseName.STATEFUL_TESTING:
            if event.phase.is_enabled:
                self._line(f"stateful  {self.scenarios} scenarios, {self.steps} requests: {event.status.value}")

    def _line(self, text: str) -> None:
        print(f"  · {text}", file=self.stream, flush=True)


class Summary(EventHandler[ExecutionContext]):
    """Per check and per operation, printed once the run is over."""

    def __init__(self, tally: Tally, stream: IO[str]) -> None:
        self.tally = tally
        self.stream = stream

    def handle_event(self, ctx: ExecutionContext, event: events.EngineEvent) -> None:
        if isinstance(event, events.EngineFinished):
            self.print()

    def print(self) -> None:
        tally, out = self.tally, self.stream
        print("\nChecks (passed / failed / errored):", file=out)
        for name in sorted(tally.checks):
            outcomes = tally.checks[name]
            mark = "✘" if outcomes["failure"] or outcomes["error"] else "✔"
            print(
                f"  {mark} {name:<36} {outcomes['success']:>6} / {outcomes['failure']:>3} / {outcomes['error']:>3}",
                file=out,
            )
        print("\nOperations (requests, failed checks):", file=out)
        for label in sorted(tally.operations):
            counts = tally.operations[label]
            print(f"  {label:<48} {counts['requests']:>6}  {counts['failure'] + counts['error']:>4}", file=out)
        print("\nRequests by phase:", file=out)
        for phase in ("examples", "coverage", "fuzzing", "stateful"):
            if tally.requests[phase]:
                print(f"  {phase:<10} {tally.requests[phase]:>7}", file=out)
        print(f"  {'total':<10} {sum(tally.requests.values()):>7}", file=out)
        if tally.stateful_scenarios:
            print(
                f"Stateful: {tally.stateful_scenarios} scenarios, {tally.stateful_steps} steps along links:", file=out
            )
            for link, count in sorted(tally.links.items()):
                print(f"  {count:>5}  {link}", file=out)
        out.flush()


class NotChecked(EventHandler[ExecutionContext]):
    """The rules a run could not check (a credential or the demo fixtures missing), by name."""

    def __init__(self, targets: list[Target], stream: IO[str]) -> None:
        self.targets = targets
        self.stream = stream

    def handle_event(self, ctx: ExecutionContext, event: events.EngineEvent) -> None:
        if not isinstance(event, events.EngineFinished):
            return
        missing = not_checked(self.targets)
        if missing:
            print("\nNot checked (give what each needs to check it):", file=self.stream)
            for name, needs in sorted(missing.items()):
                print(f"  - {name:<36} needs {', '.join(needs)}", file=self.stream)
        secrets = sorted({variable for target in self.targets for variable in target.credentials.secrets().values()})
        if secrets:
            names = " ".join(f"{name}=..." for name in secrets)
            print(f"\nReproductions name keys and tokens as shell variables: export {names}", file=self.stream)
        self.stream.flush()


def not_checked(targets: list[Target]) -> dict[str, tuple[str, ...]]:
    return {name: needs for target in targets for name, needs in target.not_checked.items()}


CUSTOM_FAILURE = re.compile(r"Custom check failed: `([A-Za-z0-9_]+)`")
BUILT_IN_FAILURE = re.compile(r"^- (?:ST\d+ )?(.+)$", re.MULTILINE)


def finish_junit(path: Path, api: str, seed: int | None, missing: dict[str, tuple[str, ...]]) -> None:
    """schemathesis' JUnit file, made readable: each case's classname, failure messages naming the
    checks, the run's seed, and a skipped case per rule that was not checked."""
    tree = ElementTree.parse(path)
    root = tree.getroot()
    suite = root.find("testsuite")
    if suite is None:
        return
    suite.set("name", f"mockserver fuzz {api}")
    properties = ElementTree.Element("properties")
    for name, value in (("api", api), ("seed", "" if seed is None else str(seed))):
        ElementTree.SubElement(properties, "property", name=name, value=value)
    suite.insert(0, properties)
    for case in suite.iter("testcase"):
        case.set("classname", f"mockserver.fuzz.{api}")
        for failure in case.findall("failure"):
            text = failure.text or ""
            names = CUSTOM_FAILURE.findall(text) or [
                title for title in BUILT_IN_FAILURE.findall(text) if not title.startswith("Custom check")
            ]
            if names:
                failure.set("message", ", ".join(dict.fromkeys(names)))
    for name, needs in sorted(missing.items()):
        case = ElementTree.SubElement(suite, "testcase", name=name, classname=f"mockserver.fuzz.{api}.not_checked")
        ElementTree.SubElement(case, "skipped", message=f"not checked: needs {', '.join(needs)}")
    for element in (root, suite):
        element.set("skipped", str(int(element.get("skipped") or 0) + len(missing)))
        element.set("tests", str(int(element.get("tests") or 0) + len(missing)))
    tree.write(path, encoding="utf-8", xml_declaration=True)


@dataclass
class Reporter:
    """Feeds every event to schemathesis' execution context and to each output of the run."""

    config: ProjectConfig
    report_dir: Path | None = None
    quiet: bool = False
    stream: IO[str] = field(default_factory=lambda: sys.stdout)
    tally: Tally = field(default_factory=Tally)
    handlers: list[EventHandler] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)  # filled by the run (what it did not check)
    api: str = ""

    def __post_init__(self) -> None:
        self.context = ExecutionContext(config=self.config)
        if self.report_dir is not None:
            self.report_dir.mkdir(parents=True, exist_ok=True)
            self.handlers.append(JunitXMLHandler(self.report_dir / JUNIT_FILE))
        if not self.quiet:
            output = OutputHandler(config=self.config)
            self.handlers.append(output)
            if not output.console.is_terminal:
                self.handlers.append(Progress(self.stream))
            self.handlers.append(Summary(self.tally, self.stream))
            self.handlers.append(NotChecked(self.targets, self.stream))
        for handler in self.handlers:
            handler.start(self.context)

    def handle(self, event: events.EngineEvent) -> None:
        self.context.on_event(event)
        self.tally.on_event(event)
        for handler in self.handlers:
            handler.handle_event(self.context, event)

    def finish(self) -> int:
        for handler in self.handlers:
            handler.shutdown(self.context)
        if self.report_dir is not None and (self.report_dir / JUNIT_FILE).exists():
            seed = self.config.seed if self.config.has_explicit_seed or self.config.seed is not None else None
            finish_junit(self.report_dir / JUNIT_FILE, self.api, seed, not_checked(self.targets))
        return EXIT_CODES.get(ExitCode(self.context.exit_code), 1)
