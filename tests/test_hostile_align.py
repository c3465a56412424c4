"""Align: no hostile request gets a 5xx; each 4xx is in the envelope and changes nothing (tests/hostile.py)."""

import hypothesis
import pytest
from hypothesis import assume, given, settings

from mockserver.server import MockServer
from tests import hostile, hostile_defects

API = "align"


@pytest.fixture(scope="module")
def server() -> MockServer:
    return MockServer(apis=[API])


@pytest.fixture(scope="module")
def open_defects(server: MockServer) -> list[hostile_defects.KnownDefect]:
    return hostile_defects.open_defects(API, server)


@hypothesis.seed(1010)
@settings(hostile.SETTINGS, max_examples=60)
@given(hostile_request=hostile.requests(API))
def test_hostile_requests_short(server, open_defects, hostile_request):
    assume(not any(defect.matches(hostile_request) for defect in open_defects))
    hostile.check(API, server, hostile_request)


@pytest.mark.slow
@hypothesis.seed(1011)
@settings(hostile.SETTINGS, max_examples=1500)
@given(hostile_request=hostile.requests(API))
def test_hostile_requests_long(server, open_defects, hostile_request):
    assume(not any(defect.matches(hostile_request) for defect in open_defects))
    hostile.check(API, server, hostile_request)


KNOWN_DEFECTS = [
    pytest.param(defect, marks=pytest.mark.xfail(strict=False, reason=defect.name), id=defect.name[:48])
    for defect in hostile_defects.KNOWN_DEFECTS
]


@pytest.mark.parametrize("defect", KNOWN_DEFECTS)
def test_known_defect(server, defect):
    hostile.check(API, server, defect.reproduction(API), within=hostile_defects.PROBE_WITHIN)
