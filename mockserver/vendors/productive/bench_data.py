"""Time entries in bulk for the benchmark: `entries(100_000)` is fixture data (the format of
fixtures/*.json) for `MockServer.load_fixtures` or `POST /__admin/fixtures`.

The entries belong to the organization's own people, services and tasks of the default fixtures,
spread over four years, with every approval state, so filtered and sorted lists have work to do.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from typing import Any

from mockserver import DEFAULT_FIXTURES

FIRST_ID = 1_000_000  # far above the fixtures' ids
FIRST_DAY = date(2022, 1, 1)
DAYS = 4 * 365


def entries(
    count: int, organization_id: str = "1001", first_id: int = FIRST_ID, seed: int = 20261122
) -> dict[str, Any]:
    """`count` entries with ids from `first_id` (give each organization its own range)."""
    demo = json.loads(DEFAULT_FIXTURES.read_text(encoding="utf-8"))["productive"]
    offset = next(org["utc_offset"] for org in demo["organizations"] if org["id"] == organization_id)
    people, services, tasks = (
        [record["id"] for record in demo[name] if record["organization_id"] == organization_id]
        for name in ("people", "services", "tasks")
    )
    chooser = random.Random(seed)
    records = []
    for number in range(count):
        day = FIRST_DAY + timedelta(days=chooser.randrange(DAYS))
        created = f"{day.isoformat()}T18:{number // 60 % 60:02d}:{number % 60:02d}.000{offset}"  # the org's own time
        person = chooser.choice(people)
        state = chooser.random()
        records.append(
            {
                "id": str(first_id + number),
                "organization_id": organization_id,
                "date": day.isoformat(),
                "time": chooser.randrange(15, 481, 15),
                "note": f"Bench entry {number}",
                "person_id": person,
                "service_id": chooser.choice(services),
                "task_id": chooser.choice([*tasks, None]),
                "approved": state < 0.4,
                "approved_at": created if state < 0.4 else None,
                "approver_id": people[0] if state < 0.4 else None,
                "rejected": 0.4 <= state < 0.5,
                "rejected_at": created if 0.4 <= state < 0.5 else None,
                "rejecter_id": people[0] if 0.4 <= state < 0.5 else None,
                "submitted": state >= 0.8,
                "jira_issue_id": f"BENCH-{number % 500}" if number % 3 == 0 else None,
                "creator_id": person,
                "updater_id": person,
                "last_actor_id": person,
                "created_at": created,
                "updated_at": created,
                "last_activity_at": created,
            }
        )
    return {"productive": {"time_entries": records}}
