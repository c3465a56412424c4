"""Align (specs/align.yaml): API keys, org and project scope, the time_tracking plan."""

from mockserver.fuzz.apis.align import checks, scenarios
from mockserver.fuzz.apis.room import Api, Read
from mockserver.fuzz.credentials import Credentials

API = Api(
    slug="align",
    demo=Credentials(
        "align",
        token="ako_demo_org_acme",
        project_key="ako_demo_proj_acme_web",
        disabled_key="ako_demo_org_globex",
        revoked_key="ako_demo_revoked",
        other_org_key="ako_demo_org_initech",
        other_org_entry="b4000000-0000-4000-8000-000000000001",
    ),
    media_type=checks.MEDIA_TYPE,
    envelope_problems=checks.envelope_problems,
    read=Read("getIntegrationTimeEntry", "/integration/time-entries/{id}", "00000000-0000-4000-8000-00000000dead"),
    observe=checks.observe,
    checks=(
        checks.natural_key_replay,
        checks.idempotency_key_replay,
        checks.idempotency_key_reuse,
        checks.project_key_scope,
        checks.feature_disabled_plan,
        checks.hours_in_quarter_steps,
        *scenarios.SCENARIOS,
    ),
)
