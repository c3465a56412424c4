"""The fast validation path (platform/validation.py) never accepts what jsonschema, the judge, rejects:
for every parameter and body schema of the three specs, on values chosen to sit on the edges where the two
libraries could read a schema differently (bool against integer, 1.0, null, a trailing newline, dates and
uuids that only look right, unknown members)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockserver.platform.operations import compile_paths
from mockserver.platform.spec import load_spec
from mockserver.platform.validation import MAX_FAST_NODES, schema_validator, violations_of, within_size
from mockserver.vendors import VENDORS


def _schemas() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for vendor in VENDORS.values():
        spec = load_spec(vendor.spec_file, vendor.base_path)
        for item in compile_paths(spec.resolved):
            for operation in item.operations.values():
                for parameter in operation.parameters:
                    found.append((f"{operation.operation_id}:{parameter.name}", parameter.schema))
                for media_type, schema in operation.body.schemas.items() if operation.body else ():
                    found.append((f"{operation.operation_id}:body:{media_type}", schema))
    return found


SCHEMAS = _schemas()

EDGES = st.sampled_from(
    [
        True, False, None, 0, 1, -1, 1.0, 1.5, 1440, 1441, 2**40, "", " ", "x", "abc\n", "a" * 2001,
        "2024-02-29", "2023-02-29", "2024-02-30", "2025-01-15T10:00:00Z", "2025-01-15T10:00:00+02:00",
        "2025-01-15T25:00:00Z", "a4000000-0000-4000-8000-000000000001", "A4000000-0000-4000-8000-000000000001",
        "a4000000000040008000000000000001", "a4000000-0000-4000-8000-00000000000", "draft", "approved",
        "time_entries", "time-entries", "1001", "8160", [], [1], ["x"], {}, {"a": 1},
    ]
)  # fmt: skip


def _names(schema: Any) -> list[str]:
    """Every property name the schema mentions, at any depth: the keys an instance is drawn from."""
    names: set[str] = set()
    if isinstance(schema, dict):
        names.update(schema.get("properties", {}))
        for value in schema.values():
            names.update(_names(value))
    elif isinstance(schema, list):
        for value in schema:
            names.update(_names(value))
    return sorted(names)


def _instances(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    keys = st.sampled_from([*_names(schema), "unknown"])
    values = st.recursive(EDGES, lambda inner: st.dictionaries(keys, inner, max_size=4) | st.lists(inner, max_size=3))
    return values | st.dictionaries(keys, values, max_size=12)


def test_every_schema_of_the_specs_has_a_fast_path_but_productives_filter_tree() -> None:
    # not vacuous: the property below runs on fast paths, and the request path has one for each schema
    # but the one whose generated code would take half a minute to build at start
    assert SCHEMAS
    assert [name for name, schema in SCHEMAS if schema_validator(schema).fast is None] == ["listTimeEntries:filter"]
    (tree,) = [schema for name, schema in SCHEMAS if name == "listTimeEntries:filter"]
    assert not within_size(tree, MAX_FAST_NODES)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "schema"), SCHEMAS, ids=[name for name, _ in SCHEMAS])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_fast_path_accepts_only_what_jsonschema_accepts(name: str, schema: dict[str, Any], data: Any) -> None:
    instance = data.draw(_instances(schema))
    compiled = schema_validator(schema)
    if compiled.is_surely_valid(instance):
        assert list(compiled.validator.iter_errors(instance)) == [], (name, instance)


def test_what_the_fast_path_rejects_jsonschema_still_judges() -> None:
    nullable = {"type": "string", "nullable": True, "format": "date"}
    assert not schema_validator(nullable).is_surely_valid(None)  # fastjsonschema knows no `nullable`
    assert violations_of(None, nullable, "body") == []
    anchored = {"type": "string", "pattern": "^ab$"}
    assert not schema_validator(anchored).is_surely_valid("ab\n")  # its `$` is `\Z`; jsonschema's `$` is re's
    assert violations_of("ab\n", anchored, "body") == []


@given(value=st.uuids().map(str) | st.uuids().map(lambda u: str(u).upper()) | st.text(max_size=40))
def test_a_uuid_the_fast_path_takes_is_one_jsonschema_takes(value: str) -> None:
    schema = {"type": "string", "format": "uuid"}
    compiled = schema_validator(schema)
    if compiled.is_surely_valid(value):
        assert list(compiled.validator.iter_errors(value)) == []


def test_a_uuid_jsonschema_takes_in_another_spelling_is_still_accepted() -> None:
    braced = "{a4000000-0000-4000-8000-000000000001}"
    schema = {"type": "string", "format": "uuid"}
    assert not schema_validator(schema).is_surely_valid(braced)
    assert violations_of(braced, schema, "path") == violations_of(braced, {**schema, "readOnly": False}, "path")


def test_the_fast_path_fills_in_no_default() -> None:
    schema = {"type": "object", "properties": {"size": {"type": "integer", "default": 30}}}
    body: dict[str, Any] = {}
    assert schema_validator(schema).is_surely_valid(body)
    assert body == {}


def test_a_schema_with_a_keyword_outside_the_shared_set_has_no_fast_path() -> None:
    schema = {"type": "object", "properties": {"id": {"type": "string", "readOnly": True}}}
    assert schema_validator(schema).fast is None
    assert violations_of({"id": "x"}, schema, "body") == []


def _errors(validator: Any, instance: Any) -> list[tuple[str, tuple[Any, ...], str]]:
    found = [(str(e.validator), tuple(e.absolute_path), e.message) for e in validator.iter_errors(instance)]
    return sorted(found, key=repr)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "schema"), SCHEMAS, ids=[name for name, _ in SCHEMAS])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_request_validator_reads_every_schema_as_connexions_does(
    name: str, schema: dict[str, Any], data: Any
) -> None:
    from connexion.json_schema import Draft4RequestValidator

    instance = data.draw(_instances(schema))
    ours = schema_validator(schema).validator
    theirs = Draft4RequestValidator(schema, format_checker=ours.format_checker)
    assert _errors(ours, instance) == _errors(theirs, instance), (name, instance)


def test_nullable_admits_null_to_type_and_enum_only_where_it_is_true() -> None:
    for schema in ({"type": "string"}, {"enum": ["a"]}, {"type": "string", "enum": ["a"]}):
        assert violations_of(None, {**schema, "nullable": True}, "body") == []
        assert violations_of(None, {**schema, "nullable": False}, "body") != []
        assert violations_of(None, schema, "body") != []
    assert violations_of(1, {"type": "string", "nullable": True}, "body") != []
