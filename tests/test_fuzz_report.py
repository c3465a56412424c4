"""What a run reports: rules it could not check, by name and as skipped JUnit cases; failures named by
check; reproductions that run as pasted, keys as shell variables."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from dataclasses import replace

import pytest

from mockserver.fuzz.credentials import credentials_for
from mockserver.fuzz.runner import execute, in_process
from tests import fuzz_breakers as broken
from tests.fuzz_support import BASE_PATHS, SEED, fake

pytestmark = pytest.mark.fuzz
SHORT = {"phases": ("examples",), "max_examples": 1, "seed": SEED}


def test_a_rule_without_its_credential_is_not_checked_and_skipped_in_junit(tmp_path):
    credentials = replace(credentials_for("align"), revoked_key=None)
    settings = in_process("align", fake("align"), credentials, BASE_PATHS["align"], **SHORT)
    outcome = execute(settings, report_dir=tmp_path, quiet=True)
    assert outcome.exit_code == 0
    assert outcome.not_checked == {"revoked_key_refused": ("--revoked-key",)}
    skipped = [
        case for case in ElementTree.parse(tmp_path / "junit.xml").iter("testcase") if case.find("skipped") is not None
    ]
    assert [case.get("name") for case in skipped] == ["revoked_key_refused"]
    assert "--revoked-key" in skipped[0].find("skipped").get("message")


def test_junit_names_the_failed_check_and_reproductions_use_shell_variables(tmp_path):
    settings = in_process(
        "align", broken.RevokedKeyAccepted(fake("align")), credentials_for("align"), BASE_PATHS["align"], **SHORT
    )
    outcome = execute(settings, report_dir=tmp_path, quiet=True)
    assert outcome.exit_code == 1
    suite = ElementTree.parse(tmp_path / "junit.xml").getroot().find("testsuite")
    assert {prop.get("name"): prop.get("value") for prop in suite.iter("property")}["seed"] == str(SEED)
    failures = [(case, failure) for case in suite.iter("testcase") for failure in case.findall("failure")]
    assert [failure.get("message") for _, failure in failures] == ["revoked_key_refused"]
    assert all(case.get("classname") == "mockserver.fuzz.align" for case, _ in failures)
    reproduction = outcome.tally.reproductions["revoked_key_refused"][0]
    assert '"Authorization: Bearer ${ALIGN_REVOKED_KEY}"' in reproduction
    assert "ako_demo" not in reproduction and "[Filtered]" not in reproduction


def test_rules_that_need_the_admin_api_are_not_checked_on_a_target_without_it():
    settings = in_process(
        "align", broken.WithoutAdminApi(fake("align")), credentials_for("align"), BASE_PATHS["align"], **SHORT
    )
    outcome = execute(settings, quiet=True)
    assert outcome.exit_code == 0
    assert outcome.not_checked == {
        "idempotency_key_in_flight": ("the admin API (/__admin)",),
        "idempotency_key_expiry": ("the admin API (/__admin)",),
        "fault_answers_in_vendor_envelope": ("the admin API (/__admin)",),
        "idempotency_rate_limit_not_stored": ("the admin API (/__admin)",),
    }


def test_the_organization_offset_is_an_option_and_unchecked_without_it():
    credentials = credentials_for("productive", token="pat_demo_1001", organization_offset=None)
    assert credentials.organization_offset == "+02:00"
    mine = replace(credentials, organization_offset=None)
    settings = in_process("productive", fake("productive"), mine, BASE_PATHS["productive"], **SHORT)
    outcome = execute(settings, quiet=True)
    assert outcome.not_checked == {
        "timestamps_in_organization_offset": ("--organization-offset",),
        "approval_sets_and_clears_marks": ("--organization-offset",),
    }
