"""What the fuzzer knows about one API, behind one interface: its demo credentials, its error envelope,
how to read back its state, and the checks that hold its rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from schemathesis.checks import CheckContext, CheckFunction
from schemathesis.generation.case import Case

from mockserver.fuzz.credentials import Credentials
from mockserver.fuzz.target import Target

Observe = Callable[[CheckContext, Case, Target], Any]
EnvelopeProblems = Callable[[int, Any], list[str]]


@dataclass(frozen=True)
class Read:
    """A GET by id of the API, for checks that need any request at all: its operation, the path template relative
    to the base path (as the admin API's fault rules name it), and an id that exists nowhere."""

    operation: str
    template: str
    missing_id: str


@dataclass(frozen=True)
class Api:
    slug: str
    demo: Credentials  # README, Demo credentials: what `mockserver fuzz` uses against the fake without options
    media_type: str  # of every answer, errors included
    envelope_problems: EnvelopeProblems  # what is wrong with an error body, [] when it is the vendor's
    observe: Observe  # what a request could change, read back (None when nothing can be read)
    checks: tuple[CheckFunction, ...]  # the behaviour checks of this API (the shared ones apart)
    read: Read  # a GET by id
    # examples per operation and phase without --max-examples: the budget that keeps a default run of this
    # API near a minute on two cores (None: schemathesis' own default)
    default_max_examples: int | None = None
