"""The one source of "now" for every fake: timestamps, idempotency expiry, Productive's dates.

It follows real time, shifted by an offset that `advance` and `set` move; `freeze` stops it at the
current instant and unfreezing resumes from there (README, "Admin API": `/__admin/clock`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self._offset = offset
        self._frozen_at: datetime | None = None

    def now(self) -> datetime:
        if self._frozen_at is not None:
            return self._frozen_at
        return datetime.now(UTC) + self._offset

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    def advance(self, delta: timedelta) -> None:
        if self._frozen_at is not None:
            self._frozen_at += delta
        else:
            self._offset += delta

    def set(self, moment: datetime) -> None:
        """Make `moment` (timezone-aware) the current instant; a frozen clock stays frozen there."""
        moment = moment.astimezone(UTC)
        if self._frozen_at is not None:
            self._frozen_at = moment
        else:
            self._offset = moment - datetime.now(UTC)

    def freeze(self, frozen: bool = True) -> None:
        if frozen and self._frozen_at is None:
            self._frozen_at = self.now()
        elif not frozen and self._frozen_at is not None:
            self._offset = self._frozen_at - datetime.now(UTC)
            self._frozen_at = None

    def reset(self) -> None:
        """Real time again."""
        self._offset = timedelta(0)
        self._frozen_at = None


def iso_z(moment: datetime) -> str:
    """UTC with a `Z` and milliseconds, as Align and Contracting return datetimes."""
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    if moment.year < 1000:  # strftime writes such a year unpadded, as this has always answered it
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    # what isoformat(timespec="milliseconds") writes before its offset; %-formatting costs about half of that
    # (and of an f-string's format specs)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (  # noqa: UP031
        moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second, moment.microsecond // 1000
    )  # fmt: skip
