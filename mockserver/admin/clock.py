"""`/__admin/clock`: read, advance, set, freeze and unfreeze the one clock every fake reads."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

from mockserver.admin.http import bad_request
from mockserver.platform.clock import Clock, iso_z

# far enough for any test, near enough that no date computed from the clock overflows
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)


def clock_view(clock: Clock) -> dict[str, Any]:
    return {"now": iso_z(clock.now()), "frozen": clock.frozen}


def apply(clock: Clock, body: Any) -> None:
    if not isinstance(body, dict) or len(body) != 1 or next(iter(body)) not in ("advance", "set", "freeze"):
        raise bad_request('send one of {"advance": seconds}, {"set": date-time} or {"freeze": true|false}')
    (command, value), = body.items()
    if command == "advance":
        seconds = _seconds(value)
        try:
            moment = clock.now() + timedelta(seconds=seconds)
        except OverflowError:
            raise bad_request(f"advance {value} seconds leaves the years {EARLIEST.year}–{LATEST.year}") from None
        clock.set(_within(moment))
    elif command == "set":
        clock.set(_within(_moment(value)))
    else:
        if not isinstance(value, bool):
            raise bad_request("freeze takes true or false")
        clock.freeze(value)


def _seconds(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise bad_request("advance takes a number of seconds")
    if abs(value) > (LATEST - EARLIEST).total_seconds():
        raise bad_request(f"advance {value} seconds leaves the years {EARLIEST.year}–{LATEST.year}")
    return float(value)


def _moment(value: Any) -> datetime:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise bad_request(f"set takes a date-time with an offset, e.g. 2025-01-15T09:00:00Z (got {value!r})")
    return moment


def _within(moment: datetime) -> datetime:
    if not EARLIEST <= moment <= LATEST:
        raise bad_request(f"the clock stays within the years {EARLIEST.year}–{LATEST.year}")
    return moment
