"""Align's hours/minutes rules: hours are quarter-hour steps; minutes win over hours
[rules align.log.hours-arithmetic, align.hours.quarter-steps]."""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_UP, Decimal

QUARTER = Decimal("0.25")
MAX_HOURS = Decimal(24)


def round_to_quarter(hours: Decimal) -> Decimal:
    """Nearest quarter hour, never below 0.25."""
    quarters = (hours / QUARTER).to_integral_value(rounding=ROUND_HALF_UP)
    return max(QUARTER, quarters * QUARTER)


def format_hours(hours: Decimal) -> str:
    """At least one decimal: "2.5", "2.0", "1.75"."""
    text = f"{hours:.2f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


@functools.lru_cache(maxsize=2048)  # a pure function of the minutes, which are 1–1440 on a sync
def hours_for_minutes(minutes: int) -> str:
    return format_hours(round_to_quarter(Decimal(minutes) / 60))


class HoursTooLarge(ValueError):
    pass


def duration(minutes: int | None, hours: str | None) -> tuple[int, str]:
    """(minutes, hours) to store: minutes given win; otherwise from the rounded hours."""
    if minutes is not None:
        return minutes, hours_for_minutes(minutes)
    if hours is None:
        raise ValueError("either minutes or hours is required")
    rounded = round_to_quarter(Decimal(hours))
    if rounded > MAX_HOURS:
        raise HoursTooLarge(f"hours {hours} is more than 24 after rounding to a quarter hour")
    return int(rounded * 60), format_hours(rounded)
