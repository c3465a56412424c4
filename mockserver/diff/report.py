"""The diff's console report: each divergence, and the shortest request sequence that shows it."""

from __future__ import annotations

import json
from typing import TextIO

from mockserver.diff.machine import Finding
from mockserver.diff.runner import DiffResult
from mockserver.diff.targets import Target


def write_report(result: DiffResult, a: Target, b: Target, out: TextIO) -> None:
    print(f"A: {a.base_url}\nB: {b.base_url}", file=out)
    print(f"{result.scenarios} scenarios, {result.requests} requests", file=out)
    if not result.resettable:
        print("note: a target has no POST /__admin/reset; sequences were not shortened", file=out)
    if not result.findings:
        print("no divergence", file=out)
        return
    print(f"{len(result.findings)} divergence(s)", file=out)
    for number, finding in enumerate(result.findings, start=1):
        _write_finding(number, finding, a, out)


def _write_finding(number: int, finding: Finding, a: Target, out: TextIO) -> None:
    print(f"\n{number}. {finding.divergences[0].describe()}", file=out)
    for divergence in finding.divergences[1:]:
        print(f"   also {divergence.describe()}", file=out)
    print(f"   shortest sequence ({len(finding.steps)} request(s)), as sent to A:", file=out)
    for step in finding.steps:
        print(f"     {step.case.as_curl_command(base_url=a.base_url)}", file=out)
        print(f"       A {step.a.status} {_brief(step.a.body)}", file=out)
        print(f"       B {step.b.status} {_brief(step.b.body)}", file=out)


def _brief(body: object, limit: int = 160) -> str:
    text = json.dumps(body, ensure_ascii=False) if not isinstance(body, str) else body
    return text if len(text) <= limit else text[: limit - 1] + "…"
