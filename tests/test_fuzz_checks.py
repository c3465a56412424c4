"""Every behaviour check of `mockserver fuzz` fails on a target that breaks exactly its rule (the fake
behind an ASGI wrapper, tests/fuzz_breakers.py), while the same run on the fake itself passes."""

from __future__ import annotations

import pytest

from mockserver.fuzz import checks
from tests import fuzz_breakers as broken
from tests.fuzz_support import fake, fuzz

pytestmark = pytest.mark.fuzz

# A short run per API that still reaches every rule: the phases and size that exercise its checks.
PROBES = {
    "align": {"phases": ("examples", "fuzzing"), "max_examples": 5},
    "contracting": {"phases": ("examples", "fuzzing", "stateful"), "max_examples": 5},
    "productive": {"phases": ("fuzzing", "stateful"), "max_examples": 3},
}
# Rules that need a particular sequence: a rejected log after a logged entry comes with coverage's
# deterministic negative variants of the spec's own example.
# A scenario plays on the run's first answer: one operation's examples are enough to start every one.
SCENARIO_PROBE = {"phases": ("examples",), "max_examples": 1}
FIRST_OPERATION = {"align": "getIntegrationTimeEntry", "contracting": "getTimeEntry", "productive": "getTimeEntry"}
PROBE_OF = {broken.RejectedLogStillWrites: {"phases": ("coverage",), "max_examples": 5}}
BREAKERS = [
    ("align", broken.FreshIdOnNaturalKeyRepeat, "natural_key_replay"),
    ("align", broken.DropsReplayedHeader, "idempotency_key_replay"),
    ("align", broken.IgnoresReusedKey, "idempotency_key_reuse"),
    ("align", broken.ProjectKeyOnIntegration, "project_key_scope"),
    ("align", broken.NoPlanGate, "feature_disabled_plan"),
    ("align", broken.HoursNotRounded, "hours_in_quarter_steps"),
    ("align", broken.FrameworkNotFound, "errors_in_vendor_envelope"),
    ("align", broken.RejectedLogStillWrites, "rejected_request_changes_nothing"),
    ("contracting", broken.TenantLeak, "tenant_isolation"),
    ("contracting", broken.IgnoresExpand, "expand_matches_paths"),
    ("contracting", broken.ExclusiveDateBounds, "date_bounds_inclusive"),
    ("contracting", broken.FrameworkNotFound, "errors_in_vendor_envelope"),
    ("contracting", broken.RejectedCreateStillWrites, "rejected_request_changes_nothing"),
    ("productive", broken.IgnoresFilters, "list_matches_filters"),
    ("productive", broken.IgnoresSort, "list_sort_order"),
    ("productive", broken.OffByOneTotalPages, "pagination_meta_arithmetic"),
    ("productive", broken.DropsIncluded, "included_matches_relationships"),
    ("productive", broken.GenericConflict, "transition_conflicts_match_seed"),
    ("productive", broken.PatchNotSaved, "patch_visible_in_next_get"),
    ("productive", broken.FrameworkNotFound, "errors_in_vendor_envelope"),
    ("productive", broken.RejectedEntryStillWrites, "rejected_request_changes_nothing"),
]
# The scenarios: each provokes its rule on the run's first answer, so the shortest run shows it.
SCENARIO_BREAKERS = [
    ("align", broken.UnknownKeyReadsAsMissing, "missing_or_unknown_key"),
    ("align", broken.RevokedKeyAccepted, "revoked_key_refused"),
    ("align", broken.IgnoresXApiKey, "x_api_key_accepted"),
    ("align", broken.ProjectKeyOnIntegration, "project_key_scope_provoked"),
    ("align", broken.ProjectKeyInAnyProject, "project_key_scope_provoked"),
    ("align", broken.PlanGateOnSyncOnly, "plan_gate_provoked"),
    ("align", broken.ValidatesBeforeAuth, "align_check_order"),
    ("align", broken.ExistenceBeforeValidation, "align_check_order"),
    ("align", broken.SyncRepeatUpdates, "sync_creates_then_replays"),
    ("align", broken.SyncSourceIsApi, "sync_creates_then_replays"),
    ("align", broken.SyncTextAsDescription, "sync_creates_then_replays"),
    ("align", broken.ReadWithoutLinks, "sync_link_and_metadata_on_read"),
    ("align", broken.ReadWithoutMetadata, "sync_link_and_metadata_on_read"),
    ("align", broken.WorkDateInUtc, "workdate_keeps_its_calendar_date"),
    ("align", broken.UnknownUserAccepted, "sync_refusals"),
    ("align", broken.MinutesUncapped, "sync_refusals"),
    ("align", broken.OtherOrganizationReadable, "other_organization_entry_invisible"),
    ("align", broken.LogIsSubmitted, "log_creates_a_draft"),
    ("align", broken.HoursRoundedDown, "log_hours_arithmetic"),
    ("align", broken.HoursOverADayAccepted, "log_hours_arithmetic"),
    ("align", broken.HoursWinOverMinutes, "log_hours_arithmetic"),
    ("align", broken.UpsertCreatesDuplicates, "log_upsert_by_reference"),
    ("align", broken.UpsertSetsSourceApi, "log_upsert_by_reference"),
    ("align", broken.LockedEntriesUpdated, "locked_entries_refuse_upserts"),
    ("align", broken.StoresBadRequestKeys, "idempotency_statuses"),
    ("align", broken.KeyScopeWithoutPath, "idempotency_statuses"),
    ("contracting", broken.UnknownTenantServedAsAcme, "tokens_and_tenants"),
    ("contracting", broken.SingleTenantTokenEverywhere, "tokens_and_tenants"),
    ("contracting", broken.MissingTenantDefaultsToAcme, "tokens_and_tenants"),
    ("contracting", broken.ContractingValidatesBeforeAuth, "contracting_check_order"),
    ("contracting", broken.TenantLeak, "other_tenant_records_invisible"),
    ("contracting", broken.ForeignProjectAccepted, "other_tenant_records_invisible"),
    ("contracting", broken.PutMerges, "create_read_replace"),
    ("contracting", broken.PutIgnoresProjectId, "create_read_replace"),
    ("contracting", broken.TimestampsWithOffset, "create_read_replace"),
    ("contracting", broken.LenientCalendar, "strict_dates_and_durations"),
    ("contracting", broken.NegativeDurationAccepted, "strict_dates_and_durations"),
    ("contracting", broken.ListOrderReversed, "list_filters_and_order"),
    ("contracting", broken.IgnoresReferenceFilter, "list_filters_and_order"),
    ("contracting", broken.ExclusiveDateBounds, "list_filters_and_order"),
    ("contracting", broken.ExpandWithoutNames, "expand_links"),
    ("contracting", broken.UnknownExpandIgnored, "expand_links"),
    ("contracting", broken.MediaTypeAsValidation, "wrong_media_type"),
    ("productive", broken.ReadonlyTokenWrites, "tokens_and_organizations"),
    ("productive", broken.OrganizationFromTokenOnly, "tokens_and_organizations"),
    ("productive", broken.OrganizationsShareEntries, "other_organization_invisible"),
    ("productive", broken.PlainJsonAccepted, "productive_check_order"),
    ("productive", broken.PlainJsonAccepted, "json_api_media_type_and_ids"),
    ("productive", broken.PatchIdMismatchIgnored, "json_api_media_type_and_ids"),
    ("productive", broken.PatchTypeAliasRefused, "json_api_media_type_and_ids"),
    ("productive", broken.TimeDefaultsToNull, "create_defaults_and_costs"),
    ("productive", broken.CostsNotConverted, "create_defaults_and_costs"),
    ("productive", broken.ReadWithoutMeta, "create_defaults_and_costs"),
    ("productive", broken.BlankDateOneError, "dates_validated_as_attributes"),
    ("productive", broken.DatesRefusedByPattern, "dates_validated_as_attributes"),
    ("productive", broken.GenericConflict, "approval_transitions"),
    ("productive", broken.RejectOfApprovedSaysRejected, "approval_transitions"),
    ("productive", broken.BulkApprovesBeforeRefusing, "bulk_actions"),
    ("productive", broken.BulkReapproves, "bulk_actions"),
    ("productive", broken.StatusNotExclusive, "list_query_rules"),
    ("productive", broken.ExclusiveAfter, "list_query_rules"),
    ("productive", broken.UnsupportedParametersIgnored, "list_query_rules"),
    ("productive", broken.PageSizeUncapped, "list_query_rules"),
    ("productive", broken.DefaultPageSize25, "list_query_rules"),
    ("productive", broken.IgnoresSort, "list_order_and_links"),
    ("productive", broken.ListWithoutLinks, "list_order_and_links"),
    ("align", broken.ProblemJsonUnauthorized, "missing_or_unknown_key"),
    ("contracting", broken.ProblemJsonUnauthorized, "tokens_and_tenants"),
    ("productive", broken.ProblemJsonUnauthorized, "tokens_and_organizations"),
    ("align", broken.TimestampsWithOffset, "timestamps_in_vendor_zone"),
    ("contracting", broken.TimestampsWithOffset, "timestamps_in_vendor_zone"),
    ("productive", broken.TimestampsInUtc, "timestamps_in_vendor_zone"),
    ("productive", broken.LastLinkOffByOne, "list_order_and_links"),
    ("align", broken.InFlightKeyProcessed, "idempotency_key_in_flight"),
    ("align", broken.KeysNeverExpire, "idempotency_key_expiry"),
    ("align", broken.KeyScopeWithoutOrganization, "idempotency_key_per_organization"),
    ("contracting", broken.ForeignBillableAccepted, "other_tenant_records_invisible"),
    ("productive", broken.OneOffsetForEveryOrganization, "timestamps_in_organization_offset"),
    ("productive", broken.UtcClockLabelledWithOffset, "timestamps_in_organization_offset"),
    ("align", broken.ConflictsNotStored, "idempotency_statuses"),
    ("align", broken.ForbiddenKeysStored, "idempotency_refusals_not_stored"),
    ("align", broken.KeysNeverExpire, "idempotency_refusals_not_stored"),
    ("align", broken.DescriptionCappedAt1000, "sync_refusals"),
    ("contracting", broken.ReferenceIdCappedAt100, "list_filters_and_order"),
    ("contracting", broken.ListPaginatedAt30, "list_without_pagination"),
    ("contracting", broken.DeepExpandStopsAtInvoice, "expand_links"),
    ("productive", broken.GtAsGtEq, "filter_operations_and_groups"),
    ("productive", broken.NestedOrGroupAsAnd, "filter_operations_and_groups"),
    ("productive", broken.PatchPlainJsonAccepted, "json_api_media_type_and_ids"),
    ("align", broken.RateLimitWithoutRetryAfter, "fault_answers_in_vendor_envelope"),
    ("align", broken.RateLimitReasonIsTheSlug, "fault_answers_in_vendor_envelope"),
    ("contracting", broken.RateLimitWithoutRetryAfter, "fault_answers_in_vendor_envelope"),
    ("productive", broken.RateLimitWithoutRetryAfter, "fault_answers_in_vendor_envelope"),
    ("align", broken.AnyEntryIdRefused, "sync_refusals"),
    ("align", broken.AnyEntryIdRefused, "log_creates_a_draft"),
    ("contracting", broken.IgnoresExpand, "list_filters_and_order"),
    ("productive", broken.PatchDateUnchecked, "dates_validated_as_attributes"),
    ("productive", broken.LinksDropFilters, "list_order_and_links"),
    ("productive", broken.NextOnLastPage, "list_order_and_links"),
    ("align", broken.ReadTextAsDescription, "sync_creates_then_replays"),
    ("align", broken.MediaTypeBeforeAuth, "align_check_order"),
    ("contracting", broken.MediaTypeBeforeAuth, "contracting_check_order"),
    ("contracting", broken.TenantHeaderBeforeToken, "contracting_check_order"),
    ("productive", broken.MediaTypeBeforeAuth, "productive_check_order"),
    ("productive", broken.PatchNotSaved, "json_api_media_type_and_ids"),
    ("productive", broken.ApprovedAttributeHonoured, "create_defaults_and_costs"),
    ("productive", broken.ReadonlyTokenMayChange, "tokens_and_organizations"),
    ("productive", broken.OrganizationsShareWrites, "other_organization_invisible"),
    ("align", broken.UpsertNotStored, "log_upsert_by_reference"),
    ("productive", broken.ApprovedStatusSwapped, "list_query_rules"),
    ("contracting", broken.LeapDayRefusedInList, "strict_dates_and_durations"),
    ("align", broken.StoresUnauthorizedKeys, "idempotency_gate_refusals_not_stored"),
    ("align", broken.StoresPaymentRequiredKeys, "idempotency_gate_refusals_not_stored"),
    ("align", broken.StoresTooLargeKeys, "idempotency_gate_refusals_not_stored"),
    ("align", broken.StoresRateLimitedKeys, "idempotency_rate_limit_not_stored"),
    ("align", broken.ReadShowsForeignLinks, "every_link_bound_to_its_entry"),
    ("align", broken.ReadHidesReferenceLinks, "every_link_bound_to_its_entry"),
    ("productive", broken.SortOnDateOnly, "list_sort_fields_and_nulls"),
    ("productive", broken.SortOnFirstFieldOnly, "list_sort_fields_and_nulls"),
    ("productive", broken.NullsSortLast, "list_sort_fields_and_nulls"),
    ("productive", broken.RelationshipsNotIncludedAsNull, "relationships_included_or_marked"),
    ("productive", broken.ApproverNotSet, "approval_sets_and_clears_marks"),
    ("productive", broken.ApprovedAtKeptOnUnapprove, "approval_sets_and_clears_marks"),
    ("productive", broken.ContainsAsEq, "filter_operations_and_groups"),
    ("productive", broken.BulkAnswerInIdOrder, "bulk_actions"),
]


def test_every_behaviour_check_has_a_breaker():
    shown = {(api, check) for api, _, check in (*BREAKERS, *SCENARIO_BREAKERS)}
    assert shown == {(api, name) for api in checks.BY_API for name in checks.names(api)}


BASELINES = [
    *PROBES.items(),
    *((api, SCENARIO_PROBE) for api in PROBES),
    *((api, PROBE_OF[breaker]) for api, breaker, _ in BREAKERS if breaker in PROBE_OF),
]


@pytest.mark.parametrize(("api", "probe"), [pytest.param(api, probe) for api, probe in BASELINES])
def test_the_probe_run_passes_on_the_fake(api, probe):
    outcome = fuzz(api, fake(api), **probe)
    assert outcome.exit_code == 0, dict(outcome.tally.reproductions)


@pytest.mark.parametrize(
    ("api", "breaker", "check"),
    [
        pytest.param(api, breaker, check, id=f"{check}-{breaker.__name__}")
        for api, breaker, check in BREAKERS
    ],
)
def test_check_fails_on_a_target_that_breaks_its_rule(api, breaker, check):
    # the check alone: another one failing first on the same operation would end its examples before this one's turn
    others = tuple(name for name in checks.names(api) if name != check)
    outcome = fuzz(api, breaker(fake(api)), excluded_checks=others, **PROBE_OF.get(breaker, PROBES[api]))
    assert outcome.exit_code == 1
    assert check in outcome.tally.failed_checks


@pytest.mark.parametrize(
    ("api", "breaker", "check"),
    [
        pytest.param(api, breaker, check, id=f"{check}-{breaker.__name__}")
        for api, breaker, check in SCENARIO_BREAKERS
    ],
)
def test_scenario_fails_on_a_target_that_breaks_its_rule(api, breaker, check):
    others = tuple(name for name in checks.names(api) if name != check)  # the scenario alone, kept short
    outcome = fuzz(
        api, breaker(fake(api)), operation_ids=(FIRST_OPERATION[api],), excluded_checks=others, **SCENARIO_PROBE
    )
    assert outcome.exit_code == 1
    assert check in outcome.tally.failed_checks, sorted(outcome.tally.failed_checks)


def test_a_failure_reproduces_with_every_request_it_needs():
    outcome = fuzz("align", broken.DropsReplayedHeader(fake("align")), **PROBES["align"])
    reproduction = outcome.tally.reproductions["idempotency_key_replay"][0]
    assert reproduction.count("curl -X POST") == 3  # the request, then the key's first use and its replay
    assert reproduction.count("Idempotency-Key: mockserver-fuzz-") == 2


def test_a_request_sent_with_another_credential_says_which():
    outcome = fuzz("align", broken.ProjectKeyOnIntegration(fake("align")), **PROBES["align"])
    assert "# with --project-key\ncurl" in outcome.tally.reproductions["project_key_scope"][0]
