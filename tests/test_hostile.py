"""Per API: no hostile request gets a 5xx; each 4xx is in the vendor's envelope and changes nothing
(the requests and the judge are in tests/hostile.py)."""

import hypothesis
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.server import MockServer
from tests import hostile
from tests.hostile_regressions import REGRESSIONS

APIS = ("align", "contracting", "productive")


@pytest.mark.parametrize("api", APIS)
@hypothesis.seed(1010)
@settings(hostile.SETTINGS, max_examples=60)
@given(data=st.data())
def test_hostile_requests_short(session_server: MockServer, api: str, data: st.DataObject) -> None:
    hostile.check(api, session_server, data.draw(hostile.requests(api), label="request"))


@pytest.mark.slow
@pytest.mark.parametrize("api", APIS)
@hypothesis.seed(1011)
@settings(hostile.SETTINGS, max_examples=600)
@given(data=st.data())
def test_hostile_requests_long(session_server: MockServer, api: str, data: st.DataObject) -> None:
    hostile.check(api, session_server, data.draw(hostile.requests(api), label="request"))


@pytest.mark.parametrize("api", APIS)
@pytest.mark.parametrize("regression", sorted(REGRESSIONS))
def test_once_found_defects_stay_fixed(session_server: MockServer, api: str, regression: str) -> None:
    hostile.check(api, session_server, REGRESSIONS[regression](api))
