"""specs/productive.yaml against the Productive fake: schemathesis with every built-in check passes."""

from tests.schemathesis_run import conformance_test, schema_fixture

api_schema = schema_fixture("/productive/api/v2")

test_productive_conforms_to_its_spec = conformance_test(max_examples=60)
