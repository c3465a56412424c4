"""specs/align.yaml against the Align fake: schemathesis with every built-in check passes."""

import pytest

from tests.schemathesis_run import conformance_test, schema_for

pytestmark = pytest.mark.fuzz

schema = schema_for("align", "/align/api/v1")

test_align_conforms_to_its_spec = conformance_test(schema, max_examples=150)
