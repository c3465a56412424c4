"""A `date` attribute that is not a calendar date is a Rails attribute error (422 invalid_attribute), even
where the spec's pattern refuses it before the handler sees it [DESIGN §6 Productive]."""

from __future__ import annotations

import pytest

HEADERS = {"X-Auth-Token": "pat_demo_1001", "X-Organization-Id": "1001", "Content-Type": "application/vnd.api+json"}


def entry(date: str) -> dict:
    return {
        "data": {
            "type": "time_entries",
            "attributes": {"date": date, "time": 60},
            "relationships": {
                "person": {"data": {"type": "people", "id": "8160"}},
                "service": {"data": {"type": "services", "id": "1192"}},
            },
        }
    }


@pytest.mark.parametrize("date", ["2024-13-45", "15/01/2024", "not-a-date", "2024-02-30"])
def test_a_date_that_is_no_calendar_date_is_422_is_not_a_date(client, date):
    answer = client.post("/productive/api/v2/time_entries", json=entry(date), headers=HEADERS)
    assert answer.status_code == 422
    assert answer.json() == {
        "errors": [
            {
                "status": "422",
                "code": "invalid_attribute",
                "title": "Invalid Attribute",
                "detail": "is not a date",
                "source": {"pointer": "data/attributes/date"},
            }
        ]
    }
