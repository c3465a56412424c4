"""One list of APIs: the CLI's choices are the fuzzer's rooms, and every credential option has a field."""

from __future__ import annotations

from dataclasses import fields

from mockserver import cli
from mockserver.fuzz.apis import APIS
from mockserver.fuzz.credentials import Credentials


def test_the_cli_offers_exactly_the_fuzzer_apis():
    assert tuple(APIS) == cli.FUZZ_APIS


def test_every_credential_field_is_a_cli_option():
    assert set(cli.CREDENTIAL_OPTIONS) == {item.name for item in fields(Credentials)} - {"api"}
