"""Credentials of `mockserver fuzz`: the demo ones (README, Demo credentials) by default, options in their place."""

from __future__ import annotations

import pytest

from mockserver.fuzz.credentials import CredentialError, credentials_for


def test_without_options_every_api_gets_the_demo_credentials():
    assert credentials_for("align").headers() == {"Authorization": "Bearer ako_demo_org_acme"}
    assert credentials_for("contracting").headers() == {
        "Authorization": "Bearer kk_demo_token_all",
        "tenant-id": "tnt_acme00000000000000000001",
    }
    assert credentials_for("productive").headers() == {"X-Auth-Token": "pat_demo_1001", "X-Organization-Id": "1001"}


def test_the_checks_extra_credentials_default_to_the_demo_ones():
    align, contracting = credentials_for("align"), credentials_for("contracting")
    assert (align.project_key, align.disabled_key) == ("ako_demo_proj_acme_web", "ako_demo_org_globex")
    assert contracting.other_tenant == "tnt_zeta00000000000000000002"


def test_options_replace_the_defaults_they_name():
    credentials = credentials_for("contracting", token="kk_live", tenant="tnt_a", other_tenant="tnt_b")
    assert credentials.headers() == {"Authorization": "Bearer kk_live", "tenant-id": "tnt_a"}
    assert credentials.parameters() == {"header.tenant-id": "tnt_a"}
    assert credentials.other_tenant == "tnt_b"


def test_the_spec_schemes_carry_the_main_credential():
    assert credentials_for("align", token="ako_x").auth_schemes() == {"bearerAuth": {"bearer": "ako_x"}}
    assert credentials_for("productive", organization="7").auth_schemes() == {
        "authToken": {"api_key": "pat_demo_1001"},
        "organizationId": {"api_key": "7"},
    }


@pytest.mark.parametrize(
    ("api", "option", "message"),
    [
        ("align", {"tenant": "t"}, "--tenant does not apply to align"),
        ("productive", {"disabled_key": "k"}, "--disabled-key does not apply to productive"),
        ("contracting", {"token": ""}, "--token must not be empty"),
    ],
)
def test_an_option_that_does_not_fit_is_refused(api, option, message):
    with pytest.raises(CredentialError, match=message):
        credentials_for(api, **option)


def test_with_another_main_credential_the_extras_are_only_those_given():
    credentials = credentials_for("align", token="ako_live", revoked_key="ako_live_revoked")
    assert (credentials.project_key, credentials.disabled_key) == (None, None)
    assert credentials.revoked_key == "ako_live_revoked"


def test_secrets_are_named_as_shell_variables():
    variables = credentials_for("align").secrets()
    assert variables["ako_demo_org_acme"] == "ALIGN_KEY"
    assert variables["ako_demo_revoked"] == "ALIGN_REVOKED_KEY"
    assert "tnt_acme00000000000000000001" not in credentials_for("contracting").secrets()
