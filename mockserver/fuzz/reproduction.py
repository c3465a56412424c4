"""Reproductions that name every request a failure needs, and the credential each was sent with.

Keys and tokens are written as shell variables (`"$ALIGN_KEY"`), so a reproduction runs as pasted once
they are exported, and no secret is printed.

Schemathesis' unit phases give a failure the curl command of the request the check failed on. Our
behaviour checks fail on a follow-up (a replay, a read after a write, the same request with another
credential); the request it follows belongs to the reproduction too, as the parents of a stateful step
do. A request sent with another credential than the run's own says which.
"""

from __future__ import annotations

import re

from mockserver.fuzz.adapter import ReproductionStep, ScenarioRecorder
from mockserver.fuzz.credentials import Credentials

CREDENTIAL_HEADERS = ("authorization", "x-auth-token", "x-api-key", "tenant-id", "x-organization-id")


def credential_notes(credentials: Credentials) -> dict[str, str]:
    """Sent header value -> the option that names that credential, for every credential but the main one."""
    notes = {}
    for option, value in (
        ("--project-key", credentials.project_key),
        ("--disabled-key", credentials.disabled_key),
        ("--other-tenant", credentials.other_tenant),
    ):
        if value is not None and value not in (credentials.token, credentials.tenant):
            notes[value] = option
    return notes


def complete_reproductions(recorder: ScenarioRecorder, credentials: Credentials) -> None:
    notes = credential_notes(credentials)
    secrets = credentials.secrets()
    for case_id, checks in recorder.checks.items():
        for check in checks:
            info = check.failure_info
            if info is None:
                continue
            chain = [
                case
                for case in recorder.iter_chain_cases(case_id=case_id, related_case_ids=info.failure.related_case_ids())
                if case.id in recorder.interactions
            ]
            response = recorder.find_response(case_id=case_id)
            steps = []
            for case in chain:
                headers = recorder.find_request_headers(case_id=case.id)
                step = ReproductionStep.from_case(
                    case,
                    headers=headers,
                    verify=response.verify if response is not None else True,
                    roles=info.failure.identity_roles(),
                )
                used = sorted({notes[value] for value in _credential_values(headers) if value in notes})
                step.curl = with_variables(step.curl, secrets)
                if used:
                    step.curl = f"# with {', '.join(used)}\n{step.curl}"
                steps.append(step)
            info.steps = steps
            info.code_sample = "\n".join(step.curl for step in steps)


QUOTED = re.compile(r"'([^']*)'")


def with_variables(command: str, secrets: dict[str, str]) -> str:
    """`command` with each secret replaced by its shell variable; the arguments holding one are
    double-quoted so the shell expands it."""

    def substitute(match: re.Match[str]) -> str:
        text = match.group(1)
        found = [secret for secret in secrets if secret in text]
        if not found:
            return match.group(0)
        escaped = re.sub(r'([\\"$`])', r"\\\1", text)
        for secret in sorted(found, key=len, reverse=True):
            escaped = escaped.replace(re.sub(r'([\\"$`])', r"\\\1", secret), "${" + secrets[secret] + "}")
        return f'"{escaped}"'

    return QUOTED.sub(substitute, command)


def _credential_values(headers: dict[str, str]) -> list[str]:
    values = []
    for name, value in headers.items():
        if name.lower() in CREDENTIAL_HEADERS:
            values.append(value.removeprefix("Bearer ").strip())
    return values
