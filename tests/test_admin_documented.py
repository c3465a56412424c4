"""What users read in each served spec about the admin-driven behaviour: Align's demo keys in its
security scheme (Swagger UI's Authorize dialog), and the headers of a 429 fault in every description."""

import json

import pytest

from mockserver import DEFAULT_FIXTURES

SPEC_URLS = {
    "align": "/align/api/v1/openapi.json",
    "contracting": "/contracting/openapi.json",
    "productive": "/productive/api/v2/openapi.json",
}


def test_align_swagger_ui_shows_every_demo_key(client):
    spec = client.get(SPEC_URLS["align"]).json()
    shown = spec["components"]["securitySchemes"]["bearerAuth"]["description"]
    keys = [record["key"] for record in json.loads(DEFAULT_FIXTURES.read_text())["align"]["api_keys"]]
    assert len(keys) == 5
    for key in keys:
        assert f"`{key}`" in shown


@pytest.mark.parametrize("api", sorted(SPEC_URLS))
def test_each_spec_says_which_headers_a_429_carries(client, api):
    description = " ".join(client.get(SPEC_URLS[api]).json()["info"]["description"].split())
    for header in ("Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"):
        assert f"`{header}`" in description
