"""The rule registry: every behaviour rule `mockserver fuzz` holds an implementation to, and the checks
that hold it. Ids are stable (code and docs cite them); README's behaviour table is rendered from here
(`python -m mockserver.fuzz.rules`), and tests keep the two equal and every rule and check paired."""

from __future__ import annotations

import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    id: str  # `<api>.<area>.<rule>`, stable
    api: str  # a slug, or "all"
    statement: str  # the rule, in our words
    source: str  # where it comes from: a seed page, a spec decision, DESIGN's decisions
    checks: tuple[str, ...]  # the checks holding it (schemathesis check names)


def _rule(rule_id: str, statement: str, source: str, *checks: str) -> Rule:
    api = rule_id.split(".", 1)[0]
    return Rule(rule_id, api, statement, source, checks)


RULES: tuple[Rule, ...] = (
    # -- every API ---------------------------------------------------------------------------------
    _rule(
        "all.errors.vendor-envelope",
        "Every 4xx/5xx answers in the vendor's own envelope and media type, never the framework's",
        "DESIGN §6 (decision)",
        "errors_in_vendor_envelope",
    ),
    _rule(
        "all.errors.rejected-changes-nothing",
        "A rejected write, sent again, changes nothing that can be read back",
        "DESIGN §6 (decision)",
        "rejected_request_changes_nothing",
    ),
    _rule(
        "all.timestamps.zone",
        "Moments are answered in UTC with `Z` (Align, Contracting), or in the organization's offset (Productive)",
        "DESIGN §6",
        "timestamps_in_vendor_zone",
    ),
    _rule(
        "all.errors.fault-answers",
        "A 429 carries `Retry-After` and `X-RateLimit-*` in the vendor's envelope (Align `rate_limit`); a 503 too",
        "DESIGN §6 Admin (decision)",
        "fault_answers_in_vendor_envelope",
    ),
    # -- Align -------------------------------------------------------------------------------------
    _rule(
        "align.auth.missing-or-unknown-key",
        "No key → 401 `missing_api_key`; an unknown key → 401 `invalid_api_key`",
        "seed 000",
        "missing_or_unknown_key",
    ),
    _rule("align.auth.revoked-key", "A revoked key → 401 `key_revoked`", "DESIGN §5/§6", "revoked_key_refused"),
    _rule("align.auth.x-api-key", "`X-API-Key` is accepted as well as `Bearer`", "seed 000", "x_api_key_accepted"),
    _rule(
        "align.scope.project-key-integration",
        "A project-scoped key on `/integration/*` → 403 `scope_violation`",
        "seed 000/001",
        "project_key_scope",
        "project_key_scope_provoked",
    ),
    _rule(
        "align.scope.project-key-own-project",
        "A project key logs in its own project only; another project → 403 `scope_violation`",
        "seed 004",
        "project_key_scope_provoked",
    ),
    _rule(
        "align.plan.time-tracking",
        "An org without `time_tracking` → 402 `feature_disabled` on sync, get and log",
        "seed 001, DESIGN §6",
        "feature_disabled_plan",
        "plan_gate_provoked",
    ),
    _rule(
        "align.order.checks",
        "401 → 403 → 402 → 400 → 404 → 409: a request breaking two rules is answered for the earlier",
        "DESIGN §6",
        "align_check_order",
    ),
    _rule(
        "align.sync.created-then-replayed",
        "First sync of a natural key: 201 `created: true`; later: 200 `created: false`, same ids, entry unchanged",
        "seed 001",
        "natural_key_replay",
        "sync_creates_then_replays",
    ),
    _rule(
        "align.sync.source-and-notes",
        "A synced entry's `source` is its externalSystem; its text is answered as `notes`",
        "seed 000/001",
        "sync_creates_then_replays",
    ),
    _rule(
        "align.sync.integration-link",
        "A sync makes an integration link (provider, `time_entry`, the entry); a read has exactly its entry's links",
        "seed 000/001",
        "sync_link_and_metadata_on_read",
        "every_link_bound_to_its_entry",
    ),
    _rule(
        "align.sync.external-metadata",
        "`externalMetadata` is stored as sent and read back at top level (null when none)",
        "seed 001",
        "sync_link_and_metadata_on_read",
    ),
    _rule(
        "align.sync.workdate-calendar-date",
        "A datetime `workDate` keeps its calendar date in its own offset",
        "seed 001",
        "workdate_keeps_its_calendar_date",
    ),
    _rule(
        "align.sync.refusals",
        "Unknown project/user → 404; another project's entryId → 400; minutes 1–1440 whole; description ≤ 2000",
        "seed 001",
        "sync_refusals",
    ),
    _rule(
        "align.get.other-organization",
        "Another organization's entry → 404; a malformed id → 400/404 in the envelope",
        "seed 000",
        "other_organization_entry_invisible",
    ),
    _rule(
        "align.log.draft",
        "A log: 201, `draft`, `source` `api`, text as `description`; neither minutes nor hours → 400",
        "seed 004",
        "log_creates_a_draft",
    ),
    _rule(
        "align.log.refusals",
        "A log for an unknown user → 404; another project's entryId/releaseId → 400",
        "seed 004",
        "log_creates_a_draft",
    ),
    _rule(
        "align.log.hours-arithmetic",
        "Quarter-hour hours from minutes (nearest, ≥ 0.25); minutes from rounded hours; minutes win; > 24 h → 400",
        "DESIGN §6 [public]",
        "log_hours_arithmetic",
    ),
    _rule(
        "align.hours.quarter-steps",
        "Every `hours` Align answers is a quarter-hour step, ≥ 0.25, with one or two decimals",
        "DESIGN §6 [public]",
        "hours_in_quarter_steps",
        "log_hours_arithmetic",
    ),
    _rule(
        "align.log.upsert",
        "A known externalRef updates its entry (200, source kept); another project → 400; links shared with syncs",
        "seed 004",
        "log_upsert_by_reference",
    ),
    _rule(
        "align.log.locked",
        "An upsert on an approved, locked or invoiced entry → 409 `entry_locked`, entry unchanged",
        "seed 004",
        "locked_entries_refuse_upserts",
    ),
    _rule(
        "align.idempotency.replay",
        "Same key, same body: the stored answer with `Idempotent-Replayed: true`, absent on a first answer",
        "seed 001/004",
        "idempotency_key_replay",
        "idempotency_statuses",
    ),
    _rule(
        "align.idempotency.reuse",
        "Same key, another body → 422 `idempotency_key_reused`",
        "seed 001/004",
        "idempotency_key_reuse",
    ),
    _rule(
        "align.idempotency.stored-statuses",
        "2xx/404/409 answers are stored; 400/401/402/403/413/415/429 are not (the key works again); input first; "
        "scope has the path",
        "DESIGN §6 (decision)",
        "idempotency_statuses",
        "idempotency_refusals_not_stored",
        "idempotency_gate_refusals_not_stored",
        "idempotency_rate_limit_not_stored",
    ),
    _rule(
        "align.idempotency.in-flight",
        "Same key while its first request is still running → 409 `idempotency_key_in_use` (needs the admin API)",
        "seed 001/004, DESIGN §6",
        "idempotency_key_in_flight",
    ),
    _rule(
        "align.idempotency.expiry",
        "A key is kept 24 h, then free again (needs the admin API's clock)",
        "DESIGN §6 (decision)",
        "idempotency_key_expiry",
    ),
    _rule(
        "align.idempotency.organization-scope",
        "A key's scope is its organization: another organization's use of it is neither replayed nor a reuse",
        "DESIGN §6 (decision)",
        "idempotency_key_per_organization",
    ),
    # -- Contracting -------------------------------------------------------------------------------
    _rule(
        "contracting.auth.tokens-and-tenants",
        "No/unknown token → 401; no `tenant-id` → 400; a tenant the token may not use or unknown → 403",
        "DESIGN §6 (decision)",
        "tokens_and_tenants",
    ),
    _rule(
        "contracting.order.checks",
        "401 → 403 → 400 → 404: a request breaking two rules is answered for the earlier",
        "DESIGN §6",
        "contracting_check_order",
    ),
    _rule(
        "contracting.tenant.isolation",
        "Another tenant's records: 404 by id, absent from lists, 404 as a create's projectId",
        "DESIGN §6",
        "tenant_isolation",
        "other_tenant_records_invisible",
    ),
    _rule(
        "contracting.tenant.foreign-billable",
        "A `billableId` of another tenant on create or replace → 404 `NOT_FOUND`, nothing written",
        "DESIGN §6",
        "other_tenant_records_invisible",
    ),
    _rule(
        "contracting.entry.create-read-replace",
        "Create 201, get/put 200, wrapped as `{data}`; PUT replaces (omitted optionals null); timestamps end in Z",
        "DESIGN §6 [public]",
        "create_read_replace",
    ),
    _rule(
        "contracting.entry.put-project-id",
        "A PUT carrying `projectId` → 400, entry unchanged",
        "DESIGN §6 [public]",
        "create_read_replace",
    ),
    _rule(
        "contracting.dates.strict-calendar",
        "A date not on the calendar (2023-02-29) → 400 everywhere; durationSeconds a whole number ≥ 0",
        "seed 002",
        "strict_dates_and_durations",
    ),
    _rule(
        "contracting.list.filters",
        "projectId, billableId, referenceSource, referenceId (≤ 255) filter the list",
        "seed 002",
        "list_filters_and_order",
    ),
    _rule(
        "contracting.list.date-bounds",
        "`dateFrom`/`dateTo` are inclusive",
        "seed 002",
        "date_bounds_inclusive",
        "list_filters_and_order",
    ),
    _rule(
        "contracting.list.unpaginated",
        "The list is `{data: [...]}` with every matching entry: no pagination",
        "seed 002",
        "list_without_pagination",
    ),
    _rule(
        "contracting.list.order",
        "The list is ordered by `date`, then `createdAt`",
        "seed 002",
        "list_filters_and_order",
    ),
    _rule(
        "contracting.expand.paths",
        "`expand` gives objects for the asked paths and their parents, id strings elsewhere",
        "seed 002",
        "expand_matches_paths",
        "expand_links",
    ),
    _rule(
        "contracting.expand.shapes",
        "Expanded links: project {id,name,contract}, contract {id,name,client}, ...; invoice may be null; unknown 400",
        "seed 002",
        "expand_links",
    ),
    _rule(
        "contracting.media-type",
        "A body that is not JSON → 415 `FST_ERR_CTP_INVALID_MEDIA_TYPE`",
        "DESIGN §6 (decision)",
        "wrong_media_type",
    ),
    # -- Productive --------------------------------------------------------------------------------
    _rule(
        "productive.timestamps.organization-offset",
        "Timestamps carry each organization's own UTC offset (`--organization-offset`) and the true instant",
        "productive.yaml decision 18",
        "timestamps_in_organization_offset",
        "timestamps_in_vendor_zone",
    ),
    _rule(
        "productive.auth.tokens-and-organizations",
        "No/unknown token or no organization → 401; another organization → 403; a read-only token writing → 403",
        "seed 003, DESIGN §6",
        "tokens_and_organizations",
    ),
    _rule(
        "productive.organization.isolation",
        "Another organization's entries: 404 by id (read and every write), absent from lists",
        "DESIGN §6",
        "other_organization_invisible",
    ),
    _rule(
        "productive.order.checks",
        "401 → 403 → 415/422 → 404: a request breaking two rules is answered for the earlier",
        "DESIGN §6",
        "productive_check_order",
    ),
    _rule(
        "productive.json-api.media-type-and-ids",
        "A body without the JSON:API type → 415; data.id other than the path's → 409; PATCH type alias",
        "DESIGN §6",
        "json_api_media_type_and_ids",
    ),
    _rule(
        "productive.entry.defaults-and-costs",
        "POST 201, GET 200 with `meta: {}`; `time` omitted → 0; costs derived; read-only attributes sent are ignored",
        "seed 003",
        "create_defaults_and_costs",
    ),
    _rule(
        "productive.entry.dates",
        "A blank date → the seed's two 422s; a date not on the calendar → 422 `invalid_attribute`, never 400",
        "seed 003, DESIGN §6",
        "dates_validated_as_attributes",
    ),
    _rule(
        "productive.entry.patch-visible",
        "A PATCH is visible in the next GET",
        "seed 003",
        "patch_visible_in_next_get",
    ),
    _rule(
        "productive.approval.conflicts",
        "approve/unapprove/reject/unreject answer the seed's 409 for the entry's state",
        "seed 003",
        "transition_conflicts_match_seed",
        "approval_transitions",
    ),
    _rule(
        "productive.approval.marks",
        "approve sets `approved`, `approved_at` and the `approver`, unapprove clears them; reject/unreject likewise",
        "productive.yaml decision 19",
        "approval_sets_and_clears_marks",
    ),
    _rule(
        "productive.approval.bulk",
        "Bulk approve/unapprove: an unknown id → 404 and nothing changes; entries in the target state are kept; "
        "the answer lists each entry asked, in request order",
        "seed 003",
        "bulk_actions",
    ),
    _rule(
        "productive.list.filters",
        "Every listed entry satisfies the filters, operations and `$op` groups asked",
        "seed 003",
        "list_matches_filters",
    ),
    _rule(
        "productive.list.operations",
        "Each filter operation (`contains` case-insensitive) selects exactly its entries; `$op` and/or groups, nested, "
        "combine their operands",
        "seed 003, DESIGN §6 [public]",
        "filter_operations_and_groups",
        "list_matches_filters",
    ),
    _rule(
        "productive.list.filter-semantics",
        "`status` values are exclusive; `after`/`before` inclusive; wrong value type → the seed's 422",
        "seed 003, DESIGN §6",
        "list_query_rules",
    ),
    _rule(
        "productive.list.unsupported",
        "An unknown filter, sort or include → 400 with an integer status",
        "DESIGN §6",
        "list_query_rules",
    ),
    _rule(
        "productive.list.sort",
        "Entries come in the `sort` order asked on any sortable field, a comma list left to right, `-` descending, "
        "`null` first ascending; ties and unsorted by id",
        "seed 003, productive.yaml decision 11",
        "list_sort_order",
        "list_order_and_links",
        "list_sort_fields_and_nulls",
    ),
    _rule(
        "productive.list.pagination",
        "`meta` arithmetic; page size 30 by default, at most 200; `links` to first, next, last",
        "seed 003",
        "pagination_meta_arithmetic",
        "list_query_rules",
        "list_order_and_links",
    ),
    _rule(
        "productive.list.include",
        "`include` fills `included` with exactly the named records and the relationships' `data`; a relationship not "
        'included carries `{"meta": {"included": false}}`',
        "seed 003, productive.yaml decision 13",
        "included_matches_relationships",
        "relationships_included_or_marked",
    ),
)


def by_check() -> dict[str, list[Rule]]:
    """Check name -> the rules it holds."""
    held: dict[str, list[Rule]] = {}
    for rule in RULES:
        for check in rule.checks:
            held.setdefault(check, []).append(rule)
    return held


def markdown_table() -> str:
    """README's behaviour table."""
    lines = ["| rule | API | statement | source | checks |", "|---|---|---|---|---|"]
    for rule in RULES:
        checks = ", ".join(f"`{check}`" for check in rule.checks)
        lines.append(f"| `{rule.id}` | {rule.api} | {rule.statement} | {rule.source} | {checks} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(markdown_table())
