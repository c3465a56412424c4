"""Align's rules provoked (the registry's `align.*` rules): each scenario sends what its rule is about
(the revoked key, the project key, a datetime workDate, hours that need rounding, ...) and judges the
answers. Ids are the demo records of `fixtures/default.json` (README, Demo credentials)."""

from __future__ import annotations

import time
import uuid
from typing import Any

from mockserver.fuzz.admin import ADMIN
from mockserver.fuzz.probe import FIXTURES, Probe, Reply, scenario

SYNC = "syncIntegrationTimeEntry"
GET = "getIntegrationTimeEntry"
LOG = "logProjectTimeEntry"

WEB = "a1000000-0000-4000-8000-000000000001"
MOBILE = "a1000000-0000-4000-8000-000000000002"
USER = "a2000000-0000-4000-8000-000000000001"
MOBILE_TICKET = "a3000000-0000-4000-8000-000000000002"
MOBILE_RELEASE = "a5000000-0000-4000-8000-000000000002"
WEB_TICKET = "a3000000-0000-4000-8000-000000000001"
WEB_RELEASE = "a5000000-0000-4000-8000-000000000001"
LOCKED_REFS = {  # entry id -> its externalRef; each is invoiced, locked or approved: an upsert is 409
    "a4000000-0000-4000-8000-000000000001": "WL-INVOICED-1",
    "a4000000-0000-4000-8000-000000000002": "WL-LOCKED-1",
    "a4000000-0000-4000-8000-000000000003": "WL-APPROVED-1",
}
UNKNOWN = "00000000-0000-4000-8000-00000000dead"
KEY_HEADER = "Idempotency-Key"
REPLAYED = "idempotent-replayed"
SYNC_PATH = "/integration/time-entries"
HOLD_MS = 2000  # how long the admin API holds a first request in flight
KEY_LIFETIME_SECONDS = 24 * 60 * 60


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def _sync_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "projectId": WEB,
        "userId": USER,
        "workDate": "2025-01-15",
        "minutes": 90,
        "externalSystem": "mockserver-fuzz",
        "externalId": _unique("te"),
    }
    body.update(changes)
    return {name: value for name, value in body.items() if value is not None}


def _log_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"userId": USER, "workDate": "2025-01-15", "minutes": 60}
    body.update(changes)
    return {name: value for name, value in body.items() if value is not None}


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _sync(probe: Probe, body: dict[str, Any] | str, **options: Any) -> Reply:
    return probe.call(SYNC, body=body, **options)


def _log(probe: Probe, body: dict[str, Any], project: str = WEB, **options: Any) -> Reply:
    return probe.call(LOG, path={"id": project}, body=body, **options)


def _read(probe: Probe, entry: Any, **options: Any) -> Reply:
    return probe.call(GET, path={"id": str(entry)}, **options)


def _reason(probe: Probe, reply: Reply, status: int, reason: str, what: str) -> None:
    probe.expect(reply, status, what, reason=reason)


@scenario("align")
def missing_or_unknown_key(probe: Probe) -> None:
    """[rule align.auth.missing-or-unknown-key] No key → 401 `missing_api_key`; a key that does not exist → 401
    `invalid_api_key`."""
    entry = UNKNOWN
    _reason(probe, _read(probe, entry, drop=("Authorization", "X-API-Key")), 401, "missing_api_key", "Without a key")
    unknown = _read(probe, entry, headers=_bearer("ako_mockserver_fuzz_no_such_key"))
    _reason(probe, unknown, 401, "invalid_api_key", "With a key that does not exist")


@scenario("align", needs=("revoked_key",))
def revoked_key_refused(probe: Probe) -> None:
    """[rule align.auth.revoked-key] A revoked key → 401 `key_revoked` on every endpoint."""
    key = _bearer(probe.credentials.revoked_key or "")
    _reason(probe, _read(probe, UNKNOWN, headers=key), 401, "key_revoked", "GET with the revoked key")
    _reason(probe, _sync(probe, _sync_body(), headers=key), 401, "key_revoked", "A sync with the revoked key")
    _reason(probe, _log(probe, _log_body(), headers=key), 401, "key_revoked", "A log with the revoked key")


@scenario("align", needs=(FIXTURES,))
def x_api_key_accepted(probe: Probe) -> None:
    """[rule align.auth.x-api-key] The key is accepted as `X-API-Key` as well as `Authorization: Bearer`."""
    reply = _sync(probe, _sync_body(), drop=("Authorization",), headers={"X-API-Key": probe.credentials.token})
    probe.expect(reply, 201, "A sync authenticated by X-API-Key")


@scenario("align", needs=("project_key", FIXTURES))
def project_key_scope_provoked(probe: Probe) -> None:
    """[rules align.scope.project-key-integration, align.scope.project-key-own-project] A project key: /integration/* →
    403 `scope_violation`; a log in its own project is fine, in another project → 403 `scope_violation`."""
    key = _bearer(probe.credentials.project_key or "")
    synced = probe.expect(_sync(probe, _sync_body()), 201, "A sync with the org key")
    _reason(probe, _sync(probe, _sync_body(), headers=key), 403, "scope_violation", "A sync with the project key")
    _reason(probe, _read(probe, synced.member("id"), headers=key), 403, "scope_violation", "GET with the project key")
    probe.expect(_log(probe, _log_body(), headers=key), 201, "A log in the key's own project")
    other = _log(probe, _log_body(), project=MOBILE, headers=key)
    _reason(probe, other, 403, "scope_violation", "A log in another project with the project key")


@scenario("align", needs=("disabled_key",))
def plan_gate_provoked(probe: Probe) -> None:
    """[rule align.plan.time-tracking] An org without `time_tracking` → 402 `feature_disabled` on sync, get and log."""
    key = _bearer(probe.credentials.disabled_key or "")
    _reason(probe, _sync(probe, _sync_body(), headers=key), 402, "feature_disabled", "A sync of a disabled org")
    _reason(probe, _read(probe, UNKNOWN, headers=key), 402, "feature_disabled", "GET by a disabled org")
    _reason(probe, _log(probe, _log_body(), headers=key), 402, "feature_disabled", "A log by a disabled org")


@scenario("align", needs=("project_key", "disabled_key", FIXTURES))
def align_check_order(probe: Probe) -> None:
    """[rule align.order.checks] 401 → 403 → 402 → 400 → 404 → 409: each request below breaks two rules and must be
    answered for the earlier one."""
    bad = _sync_body(minutes=0)
    _reason(probe, _sync(probe, bad, drop=("Authorization", "X-API-Key")), 401, "missing_api_key", "No key, bad body")
    text = _sync(probe, "minutes=0", drop=("Authorization", "X-API-Key"), media_type="text/plain")
    _reason(probe, text, 401, "missing_api_key", "No key, a text/plain body")
    project_key = _bearer(probe.credentials.project_key or "")
    _reason(probe, _sync(probe, bad, headers=project_key), 403, "scope_violation", "Project key, bad body")
    disabled = _bearer(probe.credentials.disabled_key or "")
    _reason(probe, _sync(probe, bad, headers=disabled), 402, "feature_disabled", "Disabled org, bad body")
    unknown_project = _sync_body(minutes=0, projectId=UNKNOWN)
    _reason(probe, _sync(probe, unknown_project), 400, "validation_error", "Bad body and an unknown project")
    ref = {"provider": "jira", "externalType": "worklog", "externalId": "WL-LOCKED-1"}
    locked_unknown_user = _log(probe, _log_body(userId=UNKNOWN, externalRef=ref))
    _reason(probe, locked_unknown_user, 404, "not_found", "A locked entry's ref with an unknown user")


@scenario("align", needs=(FIXTURES,))
def sync_creates_then_replays(probe: Probe) -> None:
    """[rules align.sync.created-then-replayed, align.sync.source-and-notes] A first sync: 201 `created: true`,
    `source` = externalSystem, text as `notes`; the same externalSystem + externalId again with another body: 200
    `created: false`, same `id` and `integrationLinkId`, the stored entry unchanged."""
    body = _sync_body(description="first")
    first = probe.expect(_sync(probe, body), 201, "A first sync", created=True, source=body["externalSystem"])
    if first.member("notes") != "first" or "description" in (first.body or {}):
        probe.fail(f"The sync's `description` must come back as `notes`: {first.describe()}")
    stored = _read(probe, first.member("id"))
    if stored.member("notes") != "first" or "description" in (stored.body or {}):
        probe.fail(f"A read names the synced text `notes`: {stored.describe()}")
    again = _sync(probe, {**body, "description": "second", "minutes": 15})
    probe.expect(again, 200, "The same natural key again", created=False, id=first.member("id"))
    probe.expect(again, 200, "The same natural key again", integrationLinkId=first.member("integrationLinkId"))
    after = _read(probe, first.member("id"))
    if after.body != stored.body:
        probe.fail(f"The repeat changed the stored entry:\nbefore {stored.describe()}\nafter  {after.describe()}")


@scenario("align", needs=(FIXTURES,))
def sync_link_and_metadata_on_read(probe: Probe) -> None:
    """[rules align.sync.integration-link, align.sync.external-metadata] A read returns the entry with its integration
    link (provider = externalSystem, externalType and alignEntityType `time_entry`, alignEntityId = the entry) and
    `externalMetadata` as sent (null when none was sent)."""
    metadata = {"worklog": {"id": 7, "tags": ["a", "b"]}, "note": "ünïcode"}
    body = _sync_body(externalMetadata=metadata)
    created = probe.expect(_sync(probe, body), 201, "A sync with externalMetadata")
    read = probe.expect(_read(probe, created.member("id")), 200, "Reading the synced entry")
    if read.member("externalMetadata") != metadata:
        probe.fail(f"`externalMetadata` read back as {read.member('externalMetadata')!r}, sent {metadata!r}")
    expected = {
        "id": created.member("integrationLinkId"),
        "provider": body["externalSystem"],
        "externalType": "time_entry",
        "externalId": body["externalId"],
        "alignEntityType": "time_entry",
        "alignEntityId": created.member("id"),
    }
    links = read.member("integrationLinks")
    if not isinstance(links, list) or not any(
        isinstance(link, dict) and all(link.get(key) == value for key, value in expected.items()) for link in links
    ):
        probe.fail(f"No integration link {expected} on the read: {links!r}")
    plain = probe.expect(_sync(probe, _sync_body()), 201, "A sync without externalMetadata")
    read = probe.expect(_read(probe, plain.member("id")), 200, "Reading it")
    if "externalMetadata" not in (read.body or {}) or read.member("externalMetadata") is not None:
        probe.fail(f"Without externalMetadata sent, the read must carry `externalMetadata: null`: {read.describe()}")


@scenario("align", needs=(FIXTURES,))
def every_link_bound_to_its_entry(probe: Probe) -> None:
    """[rule align.sync.integration-link] A read returns exactly the integration links bound to its entry: a synced
    entry its one `time_entry` link, a log's new externalRef its link with the externalType as given, a log without
    a ref none; another entry's link never."""
    synced = probe.expect(_sync(probe, _sync_body()), 201, "A sync")
    probe.expect(_sync(probe, _sync_body()), 201, "Another sync (another entry, another link)")
    ref = {"provider": "mockserver-fuzz", "externalType": "worklog", "externalId": _unique("wl")}
    referenced = probe.expect(_log(probe, _log_body(externalRef=ref)), 201, "A log with a new externalRef")
    plain = probe.expect(_log(probe, _log_body()), 201, "A log without externalRef")
    expected = {
        synced.member("id"): [{"id": synced.member("integrationLinkId"), "externalType": "time_entry"}],
        referenced.member("id"): [ref],
        plain.member("id"): [],
    }
    for entry, links in expected.items():
        read = probe.expect(_read(probe, entry), 200, f"Reading entry {entry}")
        got = read.member("integrationLinks")
        if not isinstance(got, list) or len(got) != len(links):
            probe.fail(f"Entry {entry} must read with {len(links)} integration link(s), got {got!r}")
        for link, wanted in zip(got, links, strict=True):
            bound = {"alignEntityType": "time_entry", "alignEntityId": entry, **wanted}
            if not isinstance(link, dict) or any(link.get(key) != value for key, value in bound.items()):
                probe.fail(f"Entry {entry} reads with link {link!r}, expected one bound to it: {bound}")


@scenario("align", needs=(FIXTURES,))
def workdate_keeps_its_calendar_date(probe: Probe) -> None:
    """[rule align.sync.workdate-calendar-date] A datetime `workDate` keeps the calendar date as written in its own
    offset."""
    for written, day in (("2025-01-15T23:30:00-05:00", "2025-01-15"), ("2025-01-16T01:00:00+09:00", "2025-01-16")):
        reply = probe.expect(_sync(probe, _sync_body(workDate=written)), 201, f"A sync of workDate {written}")
        if reply.member("workDate") != day:
            probe.fail(f"workDate {written} answered as {reply.member('workDate')!r}, expected {day}")
        read = _read(probe, reply.member("id"))
        if read.member("workDate") != day:
            probe.fail(f"workDate {written} read back as {read.member('workDate')!r}, expected {day}")


@scenario("align", needs=(FIXTURES,))
def sync_refusals(probe: Probe) -> None:
    """[rule align.sync.refusals] Unknown project or user → 404 `not_found`; an `entryId` of another project → 400
    `validation_error`; minutes outside 1–1440 or not whole, a description over 2000 → 400."""
    _reason(probe, _sync(probe, _sync_body(projectId=UNKNOWN)), 404, "not_found", "A sync to an unknown project")
    _reason(probe, _sync(probe, _sync_body(userId=UNKNOWN)), 404, "not_found", "A sync for an unknown user")
    other = _sync(probe, _sync_body(entryId=MOBILE_TICKET))
    _reason(probe, other, 400, "validation_error", "A sync naming another project's entryId")
    for minutes in (0, 1441, 1.5):
        _reason(probe, _sync(probe, _sync_body(minutes=minutes)), 400, "validation_error", f"minutes {minutes}")
    _reason(probe, _sync(probe, _sync_body(description="x" * 2001)), 400, "validation_error", "a description of 2001")
    probe.expect(_sync(probe, _sync_body(minutes=1440)), 201, "minutes 1440")
    probe.expect(_sync(probe, _sync_body(minutes=1, description="x" * 2000)), 201, "minutes 1, a description of 2000")
    probe.expect(_sync(probe, _sync_body(entryId=WEB_TICKET)), 201, "A sync naming an entryId of its own project")


@scenario("align", needs=(FIXTURES,))
def other_organization_entry_invisible(probe: Probe) -> None:
    """[rule align.get.other-organization] Another organization's entry → 404; a malformed id → 400 or 404, in the
    envelope."""
    entry = probe.credentials.other_org_entry or "b4000000-0000-4000-8000-000000000001"
    _reason(probe, _read(probe, entry), 404, "not_found", "Another organization's entry")
    malformed = _read(probe, "not-a-uuid")
    if malformed.status not in (400, 404) or not isinstance(malformed.body, dict) or "reason" not in malformed.body:
        probe.fail(f"A malformed id: expected 400 or 404 in the envelope, got {malformed.describe()}")


@scenario("align", needs=(FIXTURES,))
def log_creates_a_draft(probe: Probe) -> None:
    """[rules align.log.draft, align.log.refusals] A log: 201, status `draft`, `source` `api`, text as `description`;
    neither minutes nor hours → 400; unknown user → 404; `entryId`/`releaseId` of another project → 400."""
    reply = _log(probe, _log_body(description="logged"))
    probe.expect(reply, 201, "A log", status="draft", source="api", description="logged")
    if "notes" in (reply.body or {}):
        probe.fail(f"A log's text is `description`, not `notes`: {reply.describe()}")
    neither = _log(probe, _log_body(minutes=None))
    _reason(probe, neither, 400, "validation_error", "A log with neither minutes nor hours")
    _reason(probe, _log(probe, _log_body(userId=UNKNOWN)), 404, "not_found", "A log for an unknown user")
    _reason(probe, _log(probe, _log_body(entryId=MOBILE_TICKET)), 400, "validation_error", "Another project's entry")
    release = _log(probe, _log_body(releaseId=MOBILE_RELEASE))
    _reason(probe, release, 400, "validation_error", "Another project's release")
    own = _log(probe, _log_body(entryId=WEB_TICKET, releaseId=WEB_RELEASE))
    probe.expect(own, 201, "A log naming its own project's entry and release")


# minutes or hours sent -> (hours, minutes) answered [rule align.log.hours-arithmetic]
ROUNDING: tuple[tuple[dict[str, Any], str, int], ...] = (
    ({"minutes": 150}, "2.5", 150),
    ({"minutes": 120}, "2.0", 120),
    ({"minutes": 70}, "1.25", 70),
    ({"minutes": 105}, "1.75", 105),
    ({"minutes": 5}, "0.25", 5),
    ({"hours": "1.1"}, "1.0", 60),
    ({"hours": "8"}, "8.0", 480),
    ({"hours": "0.1"}, "0.25", 15),
    ({"hours": "2.38"}, "2.5", 150),
    ({"hours": "24.1"}, "24.0", 1440),
    ({"hours": "3", "minutes": 90}, "1.5", 90),
)
REFUSED_HOURS = ("24.2", "1.234", "-1", "0", "abc")


@scenario("align", needs=(FIXTURES,))
def log_hours_arithmetic(probe: Probe) -> None:
    """[rules align.log.hours-arithmetic, align.hours.quarter-steps] Hours are quarter-hour steps: from minutes, rounded
    to the nearest 0.25 (at least 0.25), at least one decimal; from hours, rounded and minutes = hours × 60; both →
    minutes wins; over 24 after rounding, more than two decimals, or not positive → 400."""
    for sent, hours, minutes in ROUNDING:
        reply = _log(probe, {**_log_body(minutes=None), **sent})
        probe.expect(reply, 201, f"A log of {sent}", hours=hours, minutes=minutes)
    for value in REFUSED_HOURS:
        reply = _log(probe, _log_body(minutes=None, hours=value))
        _reason(probe, reply, 400, "validation_error", f"A log of hours {value!r}")


@scenario("align", needs=(FIXTURES,))
def log_upsert_by_reference(probe: Probe) -> None:
    """[rule align.log.upsert] An `externalRef` makes the log an upsert: a new ref → 201; the same ref again → 200, the
    same entry updated, `source` unchanged; the ref in another project → 400; a ref a sync made (provider =
    externalSystem, externalType `time_entry`) is found, and a sync finds a ref a log made."""
    ref = {"provider": "jira", "externalType": "worklog", "externalId": _unique("WL")}
    created = probe.expect(_log(probe, _log_body(externalRef=ref)), 201, "A log with a new externalRef")
    updated = _log(probe, _log_body(externalRef=ref, minutes=30, description="updated"))
    probe.expect(updated, 200, "The same externalRef again", id=created.member("id"), minutes=30, source="api")
    probe.expect(updated, 200, "The same externalRef again", description="updated")
    stored = _read(probe, created.member("id"))
    if (stored.member("minutes"), stored.member("notes")) != (30, "updated"):
        probe.fail(f"The upsert's 200 is not what a read gives: {stored.describe()}")
    elsewhere = _log(probe, _log_body(externalRef=ref), project=MOBILE)
    _reason(probe, elsewhere, 400, "validation_error", "The ref in another project")
    synced = probe.expect(_sync(probe, _sync_body()), 201, "A sync")
    sync_ref = {"provider": "mockserver-fuzz", "externalType": "time_entry", "externalId": None}
    sync_ref["externalId"] = _read(probe, synced.member("id")).member("integrationLinks", 0, "externalId")
    upsert = _log(probe, _log_body(externalRef=sync_ref, minutes=45))
    probe.expect(upsert, 200, "A log naming the sync's link", id=synced.member("id"), source="mockserver-fuzz")
    log_ref = {"provider": "mockserver-fuzz", "externalType": "time_entry", "externalId": _unique("te")}
    logged = probe.expect(_log(probe, _log_body(externalRef=log_ref)), 201, "A log with a time_entry ref")
    found = _sync(probe, _sync_body(externalId=log_ref["externalId"]))
    probe.expect(found, 200, "A sync of the log's ref", created=False, id=logged.member("id"))


@scenario("align", needs=(FIXTURES,))
def locked_entries_refuse_upserts(probe: Probe) -> None:
    """[rule align.log.locked] An upsert on an invoiced, locked or approved entry → 409 `entry_locked`, entry
    unchanged."""
    for entry, external_id in LOCKED_REFS.items():
        before = _read(probe, entry)
        ref = {"provider": "jira", "externalType": "worklog", "externalId": external_id}
        reply = _log(probe, _log_body(externalRef=ref, minutes=33))
        _reason(probe, reply, 409, "entry_locked", f"An upsert on {external_id}")
        after = _read(probe, entry)
        if after.body != before.body:
            probe.fail(f"The refused upsert changed {entry}:\nbefore {before.describe()}\nafter  {after.describe()}")


@scenario("align", needs=(FIXTURES,))
def idempotency_statuses(probe: Probe) -> None:
    """[rules align.idempotency.replay, align.idempotency.stored-statuses] Idempotency-Key: a 400 is not stored (the key
    works again with any body); a 404 and a 409 are stored and replayed with `Idempotent-Replayed: true`; a first answer
    carries no such header; the key's scope includes the path (the same key on the other POST is a new key)."""
    key = {KEY_HEADER: _unique("mockserver-fuzz")}
    _reason(probe, _sync(probe, _sync_body(minutes=0), headers=key), 400, "validation_error", "A first use with 400")
    first = probe.expect(_sync(probe, _sync_body(), headers=key), 201, "The key after a 400, with a valid body")
    if REPLAYED in first.headers:
        probe.fail(f"A first (not replayed) answer carries Idempotent-Replayed: {first.headers[REPLAYED]}")
    other_path = _log(probe, _log_body(), headers=key)
    probe.expect(other_path, 201, "The same key on the log endpoint (another path)")
    missing = {KEY_HEADER: _unique("mockserver-fuzz")}
    body = _sync_body(projectId=UNKNOWN)
    _reason(probe, _sync(probe, body, headers=missing), 404, "not_found", "A first use answered 404")
    replayed = _sync(probe, body, headers=missing)
    _reason(probe, replayed, 404, "not_found", "The 404's key again")
    if replayed.headers.get(REPLAYED) != "true":
        probe.fail(f"A stored 404 replayed without Idempotent-Replayed: true: {replayed.headers}")
    locked = {KEY_HEADER: _unique("mockserver-fuzz")}
    upsert = _log_body(externalRef={"provider": "jira", "externalType": "worklog", "externalId": "WL-LOCKED-1"})
    _reason(probe, _log(probe, upsert, headers=locked), 409, "entry_locked", "A first use answered 409")
    again = _log(probe, upsert, headers=locked)
    _reason(probe, again, 409, "entry_locked", "The 409's key again")
    if again.headers.get(REPLAYED) != "true":
        probe.fail(f"A stored 409 replayed without Idempotent-Replayed: true: {again.headers}")


@scenario("align", needs=("project_key", FIXTURES))
def idempotency_refusals_not_stored(probe: Probe) -> None:
    """[rule align.idempotency.stored-statuses] A 403 or a 415 is not stored: the key then works with a valid request;
    input is validated before the key is looked up: a used key with an invalid body → 400, not 422."""
    key = {KEY_HEADER: _unique("mockserver-fuzz")}
    body = _sync_body()
    project_key = _bearer(probe.credentials.project_key or "")
    forbidden = _sync(probe, body, headers={**project_key, **key})
    _reason(probe, forbidden, 403, "scope_violation", "A first use with the project key")
    first = probe.expect(_sync(probe, body, headers=key), 201, "The same key and body with the org key after a 403")
    if REPLAYED in first.headers:
        probe.fail(f"A 403 was stored: the org key's request was answered as a replay: {first.describe()}")
    invalid = _sync(probe, _sync_body(minutes=0), headers=key)
    _reason(probe, invalid, 400, "validation_error", "The used key with an invalid body (validated before the key)")
    text = {KEY_HEADER: _unique("mockserver-fuzz")}
    unsupported = _sync(probe, "minutes=90", headers=text, media_type="text/plain")
    if unsupported.status != 415:
        probe.fail(f"A text/plain body: expected 415, got {unsupported.describe()}")
    probe.expect(_sync(probe, _sync_body(), headers=text), 201, "The key after a 415, with a JSON body")


@scenario("align", needs=("disabled_key", FIXTURES))
def idempotency_gate_refusals_not_stored(probe: Probe) -> None:
    """[rule align.idempotency.stored-statuses] A 401 (unknown key), a 402 (disabled plan) and a 413 (body over 1 MiB)
    are not stored under their Idempotency-Key: the refused request again is no replay, and the key then works with a
    valid request (a fresh 201, neither replayed nor 422 reused)."""
    refusals: tuple[tuple[str, dict[str, str], dict[str, Any]], ...] = (
        ("An unknown key (401)", _bearer("ak_mockserver_fuzz_unknown"), _sync_body()),
        ("The disabled plan's key (402)", _bearer(probe.credentials.disabled_key or ""), _sync_body()),
        ("A body over 1 MiB (413)", {}, _sync_body(description="x" * (1024 * 1024 + 1))),
    )
    for what, headers, body in refusals:
        key = {KEY_HEADER: _unique("mockserver-fuzz")}
        first = _sync(probe, body, headers={**headers, **key})
        again = _sync(probe, body, headers={**headers, **key})
        if first.status < 400 or again.status != first.status or REPLAYED in again.headers:
            probe.fail(f"{what}, sent twice with one key: {first.describe()}\nthen {again.describe()}")
        _fresh_after_refusal(probe, key, what)


@scenario("align", needs=(ADMIN, FIXTURES))
def idempotency_rate_limit_not_stored(probe: Probe) -> None:
    """[rule align.idempotency.stored-statuses] A 429 (a rate-limit fault of the target's admin API) is not stored
    under its Idempotency-Key: the same key and body afterwards are a fresh 201, not a replay."""
    key = {KEY_HEADER: _unique("mockserver-fuzz")}
    body = _sync_body()
    fault = probe.admin.add_fault({"api": "align", "method": "POST", "path": SYNC_PATH, "status": 429, "times": 1})
    try:
        limited = _sync(probe, body, headers=key)
    finally:
        probe.admin.delete_fault(fault)
    _reason(probe, limited, 429, "rate_limit", "A first use answered 429 by a fault")
    _fresh_after_refusal(probe, key, "A 429", body)


def _fresh_after_refusal(probe: Probe, key: dict[str, str], what: str, body: dict[str, Any] | None = None) -> None:
    fresh = _sync(probe, body or _sync_body(), headers=key)
    probe.expect(fresh, 201, f"The key of {what}, with a valid request")
    if REPLAYED in fresh.headers:
        probe.fail(f"{what} was stored under its Idempotency-Key: the valid request was a replay: {fresh.describe()}")


@scenario("align", needs=(ADMIN, FIXTURES))
def idempotency_key_in_flight(probe: Probe) -> None:
    """[rule align.idempotency.in-flight] The same Idempotency-Key while its first request is still running → 409
    `idempotency_key_in_use`; the first then completes, and the key replays its answer. The first request is held by a
    delay fault of the target's admin API."""
    key = {KEY_HEADER: _unique("mockserver-fuzz")}
    body = _sync_body()
    fault = probe.admin.add_fault({"api": "align", "method": "POST", "path": SYNC_PATH, "delayMs": HOLD_MS, "times": 1})
    try:
        held = probe.start(SYNC, body=body, headers=key)
        deadline = time.monotonic() + HOLD_MS / 1000
        while probe.admin.fired(fault) < 1 and time.monotonic() < deadline:
            time.sleep(0.02)
        meanwhile = _sync(probe, body, headers=key)
        first = held.reply()
    finally:
        probe.admin.delete_fault(fault)
    _reason(probe, meanwhile, 409, "idempotency_key_in_use", "The same key while its first request is in flight")
    probe.expect(first, 201, "The first request, held in flight")
    replayed = _sync(probe, body, headers=key)
    probe.expect(replayed, 201, "The key once its first request is done", id=first.member("id"))
    if replayed.headers.get(REPLAYED) != "true":
        probe.fail(f"The finished first request is not what the key replays: {replayed.headers}")


@scenario("align", needs=(ADMIN, FIXTURES))
def idempotency_key_expiry(probe: Probe) -> None:
    """[rule align.idempotency.expiry] A key is kept 24 h: a minute before, the same key and body replay the first
    answer; 24 h and a second after the first use the key is free again (another body → a fresh 201). Time passes
    through the target's admin clock, real time again afterwards."""
    key = {KEY_HEADER: _unique("mockserver-fuzz")}
    body = _sync_body()
    first = probe.expect(_sync(probe, body, headers=key), 201, "A first use of a key")
    try:
        probe.admin.advance_clock(KEY_LIFETIME_SECONDS - 60)
        kept = _sync(probe, body, headers=key)
        probe.expect(kept, 201, "The key 23 h 59 min later, same body", id=first.member("id"))
        if kept.headers.get(REPLAYED) != "true":
            probe.fail(f"A key 23 h 59 min old is no longer kept: {kept.headers}")
        probe.admin.advance_clock(61)
        fresh = _sync(probe, _sync_body(), headers=key)
    finally:
        probe.admin.reset_clock()
    probe.expect(fresh, 201, "The key 24 h and 1 s after its first use, with another body")
    if REPLAYED in fresh.headers:
        probe.fail(f"An expired key's answer is marked replayed: {fresh.headers}")


@scenario("align", needs=("other_org_key",))
def idempotency_key_per_organization(probe: Probe) -> None:
    """[rule align.idempotency.organization-scope] A key's scope is its API key's organization: a key another
    organization used is new here — the same body is not replayed, another body is not refused as reused. (A project
    this organization does not know answers 404, an answer the key keeps.)"""
    other = _bearer(probe.credentials.other_org_key or "")
    body = _sync_body(projectId=UNKNOWN)
    same = {KEY_HEADER: _unique("mockserver-fuzz")}
    _reason(probe, _sync(probe, body, headers=same), 404, "not_found", "A first use in this organization")
    theirs = _sync(probe, body, headers={**other, **same})
    _reason(probe, theirs, 404, "not_found", "The same key and body from another organization")
    if REPLAYED in theirs.headers:
        probe.fail(f"Another organization got this organization's stored answer replayed: {theirs.headers}")
    reused = {KEY_HEADER: _unique("mockserver-fuzz")}
    _reason(probe, _sync(probe, body, headers=reused), 404, "not_found", "A first use of another key")
    another = _sync(probe, {**body, "description": "another organization's body"}, headers={**other, **reused})
    _reason(probe, another, 404, "not_found", "That key from another organization, with another body")


SCENARIOS = (
    missing_or_unknown_key,
    revoked_key_refused,
    x_api_key_accepted,
    project_key_scope_provoked,
    plan_gate_provoked,
    align_check_order,
    sync_creates_then_replays,
    sync_link_and_metadata_on_read,
    workdate_keeps_its_calendar_date,
    sync_refusals,
    other_organization_entry_invisible,
    log_creates_a_draft,
    log_hours_arithmetic,
    log_upsert_by_reference,
    locked_entries_refuse_upserts,
    idempotency_statuses,
    idempotency_refusals_not_stored,
    idempotency_gate_refusals_not_stored,
    idempotency_rate_limit_not_stored,
    every_link_bound_to_its_entry,
    idempotency_key_in_flight,
    idempotency_key_expiry,
    idempotency_key_per_organization,
)
