"""The approval state machine: approve / unapprove / reject / unreject and their conflicts
[productive.yaml decision 19].

An entry is unapproved, approved or rejected, never both of the last two. Each action returns the
changed copy of the entry, or raises the vendor's 409 naming the state that stands in the way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from mockserver.platform.errors import ApiError
from mockserver.vendors.productive import errors
from mockserver.vendors.productive.entries import Entry, value
from mockserver.vendors.productive.timestamps import local, local_whole_seconds


@dataclass(frozen=True)
class Actor:
    """Who acts and when, in the organization's offset."""

    person_id: str | None
    moment: datetime
    offset: str

    @property
    def now(self) -> str:
        return local(self.moment, self.offset)

    def touch(self, entry: Entry, **changes: object) -> Entry:
        """Every write moves `updated_at` and names the updater [spec decision 18]."""
        return {**entry, **changes, "updated_at": self.now, "updater_id": self.person_id}


def approve(entry: Entry, actor: Actor) -> Entry:
    if value(entry, "approved"):
        raise errors.conflict("record_already_approved")
    if value(entry, "rejected"):
        raise errors.conflict("record_already_rejected")
    # [productive.yaml decision 18] approved_at is whole seconds: "2025-08-01T06:19:42.000+02:00"
    approved_at = local_whole_seconds(actor.moment, actor.offset)
    return actor.touch(entry, approved=True, approved_at=approved_at, approver_id=actor.person_id)


def unapprove(entry: Entry, actor: Actor) -> Entry:
    if not value(entry, "approved"):
        raise errors.conflict("record_already_unapproved")
    return actor.touch(entry, approved=False, approved_at=None, approver_id=None)


def reject(entry: Entry, actor: Actor) -> Entry:
    if value(entry, "approved"):
        raise errors.conflict("record_already_approved")  # productive.yaml example AlreadyApprovedConflict
    if value(entry, "rejected"):
        raise errors.conflict("record_already_rejected")
    return actor.touch(entry, rejected=True, rejected_at=actor.now, rejecter_id=actor.person_id)


def unreject(entry: Entry, actor: Actor) -> Entry:
    if not value(entry, "rejected"):
        raise errors.conflict("record_already_unrejected")  # productive.yaml example AlreadyUnrejectedConflict
    return actor.touch(entry, rejected=False, rejected_at=None, rejected_reason=None, rejecter_id=None)


Action = Callable[[Entry, Actor], Entry]


def unless_conflicting(action: Action) -> Action:
    """Bulk actions leave an entry that cannot take the action as it is [productive.yaml decision 20]."""

    def lenient(entry: Entry, actor: Actor) -> Entry:
        try:
            return action(entry, actor)
        except ApiError:
            return entry

    return lenient
