"""Timestamps in the organization's UTC offset with milliseconds: `2025-08-01T06:18:41.728+02:00`
[productive.yaml decision 18]. Entries store them in that form, so reading one is a lookup."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta, timezone


@functools.lru_cache(maxsize=64)
def zone(offset: str) -> timezone:
    """`+02:00` → UTC+2."""
    sign = -1 if offset.startswith("-") else 1
    hours, minutes = offset.lstrip("+-").split(":")
    return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))


def local(moment: datetime, offset: str) -> str:
    """A moment at the edge of the calendar that the offset would push out of it keeps its own."""
    try:
        shown = moment.astimezone(zone(offset))
    except OverflowError:
        shown, offset = moment, _offset_text(moment)
    return (
        f"{shown.year:04d}-{shown.month:02d}-{shown.day:02d}T{shown.hour:02d}:{shown.minute:02d}:"
        f"{shown.second:02d}.{shown.microsecond // 1000:03d}{offset}"
    )


def _offset_text(moment: datetime) -> str:
    minutes = int((moment.utcoffset() or timedelta(0)).total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def local_whole_seconds(moment: datetime, offset: str) -> str:
    """`approved_at` drops the milliseconds: `…06:19:42.000+02:00` [productive.yaml decision 18]."""
    return local(moment.replace(microsecond=0), offset)


@functools.lru_cache(maxsize=65536)
def in_offset(value: str, offset: str) -> str:
    """Any ISO timestamp (a fixture's `Z`, a client's `started_at`) in the organization's form."""
    if len(value) == 29 and value.endswith(offset):
        return value
    return local(datetime.fromisoformat(value.upper().replace("Z", "+00:00")), offset)


def local_date(value: str, offset: str) -> str:
    """The calendar day of a timestamp in the organization's time zone [spec decision 7]."""
    return in_offset(value, offset)[:10]
