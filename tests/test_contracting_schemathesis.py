"""specs/contracting.yaml against the Contracting fake: schemathesis with every built-in check passes."""

import pytest

from tests.schemathesis_run import conformance_test, schema_for

pytestmark = pytest.mark.fuzz

schema = schema_for("contracting", "/contracting")

test_contracting_conforms_to_its_spec = conformance_test(schema, max_examples=150)
