"""specs/contracting.yaml against the Contracting fake: schemathesis with every built-in check passes."""

from tests.schemathesis_run import conformance_test, schema_fixture

api_schema = schema_fixture("/contracting")

test_contracting_conforms_to_its_spec = conformance_test(max_examples=60)
