"""The Align requests the benchmark sends in-process: a GET by id of a fixture entry, and a sync that
creates a new entry each time (its externalId is the request's number)."""

from __future__ import annotations

import json

from mockserver.asgi import Request

ALIGN_KEY = (("authorization", "Bearer ako_demo_org_acme"),)
SYNC_PATH = "/align/api/v1/integration/time-entries"


def sync_request(number: int, system: str = "bench") -> Request:
    body = {
        "projectId": "a1000000-0000-4000-8000-000000000001",
        "userId": "a2000000-0000-4000-8000-000000000001",
        "workDate": "2025-01-15",
        "minutes": 150,
        "externalSystem": system,
        "externalId": f"{system}-{number}",
    }
    headers = (*ALIGN_KEY, ("content-type", "application/json"))
    return Request("POST", SYNC_PATH, headers=headers, body=json.dumps(body).encode())
