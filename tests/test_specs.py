"""Every spec passes openapi-spec-validator, and every example in it validates against its schema."""

from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate

from mockserver import SPECS_DIR
from mockserver.platform.validation import FORMATS

SPECS = sorted(SPECS_DIR.glob("*.yaml"))


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text())


def resolve(spec: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def examples(spec: dict[str, Any]):
    """(where, schema, example) for every example in the spec, wherever it stands."""

    def walk(node: Any, where: str):
        node = resolve(spec, node)
        if isinstance(node, dict):
            schema = node.get("schema")
            if schema is not None:
                if "example" in node:
                    yield where, schema, node["example"]
                for name, example in (node.get("examples") or {}).items():
                    yield f"{where}/examples/{name}", schema, resolve(spec, example)["value"]
            if "example" in node and ("type" in node or "properties" in node or "allOf" in node):
                yield where, node, node["example"]
            for key, value in node.items():
                if key not in ("example", "examples"):
                    yield from walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, item in enumerate(node):
                yield from walk(item, f"{where}/{index}")

    yield from walk(spec.get("paths", {}), "#/paths")
    yield from walk(spec.get("components", {}), "#/components")


@pytest.mark.parametrize("path", SPECS, ids=lambda path: path.name)
def test_spec_is_valid_openapi(path):
    validate(load(path))


@pytest.mark.parametrize("path", SPECS, ids=lambda path: path.name)
def test_every_example_validates_against_its_schema(path):
    spec = load(path)
    found = list(examples(spec))
    assert len(found) > 10
    failures = []
    for where, schema, example in found:
        validator = OAS30Validator({**schema, "components": spec.get("components", {})}, format_checker=FORMATS)
        errors = [error.message for error in validator.iter_errors(example)]
        if errors:
            failures.append(f"{where}: {errors[0]}")
    assert not failures, "\n".join(failures)


def test_the_example_check_catches_a_bad_example():
    spec = {
        "components": {"schemas": {"N": {"type": "integer", "minimum": 1, "example": 0}}},
        "paths": {},
    }
    ((where, schema, example),) = examples(spec)
    assert list(OAS30Validator(schema).iter_errors(example))
