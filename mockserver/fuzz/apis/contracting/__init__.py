"""Kukkingu Contracting (specs/contracting.yaml): bearer tokens, tenants, Fastify's errors."""

from mockserver.fuzz.apis.contracting import checks, scenarios
from mockserver.fuzz.apis.room import Api, Read
from mockserver.fuzz.credentials import Credentials

API = Api(
    slug="contracting",
    demo=Credentials(
        "contracting",
        token="kk_demo_token_all",
        tenant="tnt_acme00000000000000000001",
        other_tenant="tnt_zeta00000000000000000002",
        single_tenant_token="kk_demo_token_acme",
    ),
    media_type=checks.MEDIA_TYPE,
    envelope_problems=checks.envelope_problems,
    read=Read("getTimeEntry", "/api/v1/time-entries/{id}", "tsh_zzzzzzzzzzzzzzzzzzzzzzzz"),
    observe=checks.observe,
    default_max_examples=40,
    checks=(
        checks.tenant_isolation,
        checks.expand_matches_paths,
        checks.date_bounds_inclusive,
        *scenarios.SCENARIOS,
    ),
)
