"""specs/align.yaml against the Align fake: schemathesis with every built-in check passes."""

from tests.schemathesis_run import conformance_test, schema_fixture

api_schema = schema_fixture("/align/api/v1")

test_align_conforms_to_its_spec = conformance_test(max_examples=60)
