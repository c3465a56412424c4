"""Fixture records checked against their collection's shape before anything is loaded.

The shapes are data, `fixtures/shapes.json`: per collection the spec schema whose properties type the
record's fields, the types of its other fields, the fields every record needs, and the fields that name
another record. A record that would make a later request fail is refused here, with the collection,
the record and the field named, so that no fixture can make the fake answer 500.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, cast

from jsonschema import FormatChecker
from jsonschema.exceptions import ValidationError, best_match
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from mockserver import FIXTURES_DIR, SPECS_DIR
from mockserver.platform.spec import raw_spec
from mockserver.vendors import VENDORS

if TYPE_CHECKING:
    from referencing._core import Resolver  # the type `Registry.resolver()` returns

SHAPES_FILE = FIXTURES_DIR / "shapes.json"
MAX_REF_DEPTH = 20

Exists = Callable[[str, Any], bool]  # (collection "api.name", key) -> whether the store holds it


class ShapeError(ValueError):
    """A record that does not fit its collection; the message names collection, record and field."""


@functools.lru_cache(maxsize=1)
def _registry() -> Registry:
    resources = []
    for path in sorted(SPECS_DIR.glob("*.yaml")):
        resources.append((path.name, Resource.from_contents(raw_spec(path.name), default_specification=DRAFT4)))
    return Registry().with_resources(resources)


@functools.lru_cache(maxsize=1)
def record_shapes() -> RecordShapes:
    return RecordShapes(json.loads(SHAPES_FILE.read_text(encoding="utf-8")))


class Shape:
    def __init__(self, key: str, shape: Mapping[str, Any], registry: Registry) -> None:
        self.key = key
        properties: dict[str, Any] = {}
        if "from" in shape:
            source = registry.resolver().lookup(shape["from"]).contents
            properties = {field: {"$ref": f"{shape['from']}/properties/{field}"} for field in source["properties"]}
        properties.update(shape.get("properties", {}))
        resolver = registry.resolver()
        schema = {
            "type": "object",
            "required": [key, *shape.get("required", ())],
            "properties": {field: _inlined(schema, resolver) for field, schema in properties.items()},
        }
        self.validator = OAS30Validator(schema, format_checker=FormatChecker())
        self.references: dict[str, str] = dict(shape.get("references", {}))


def _inlined(node: Any, resolver: Resolver, depth: int = 0) -> Any:
    """`node` with every `$ref` replaced by what it names: the spec schemas a shape uses are small and
    acyclic, and a validator that looks references up per value is ten times slower."""
    if depth > MAX_REF_DEPTH:
        raise ValueError("fixtures/shapes.json: references nest too deep (a cycle?)")
    if isinstance(node, list):
        return [_inlined(item, resolver, depth) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        resolved = resolver.lookup(node["$ref"])
        return _inlined(resolved.contents, resolved.resolver, depth + 1)
    return {name: _inlined(value, resolver, depth) for name, value in node.items()}


class RecordShapes:
    def __init__(self, shapes: Mapping[str, Any]) -> None:
        self._raw = {api: tables for api, tables in shapes.items() if not api.startswith("$")}

    @functools.cached_property
    def _shapes(self) -> dict[str, Shape]:
        registry = _registry()
        keys = {c.name: c.key for vendor in VENDORS.values() for c in vendor.collections}
        return {
            f"{api}.{table}": Shape(keys[f"{api}.{table}"], shape, registry)
            for api, tables in self._raw.items()
            for table, shape in tables.items()
        }

    @property
    def collections(self) -> set[str]:
        return set(self._shapes)

    def check(self, records: Mapping[str, Any], exists: Exists) -> None:
        """Raise ShapeError for the first record that does not fit, else return: nothing is loaded here."""
        batch: dict[str, set[Any]] = {}
        for name, index, record in _records(records):
            shape = self._shapes.get(name)
            if shape is None:
                raise ShapeError(f"unknown collection '{name}'")
            error = best_match(shape.validator.iter_errors(record))
            if error is not None:
                raise ShapeError(_describe(name, index, record, shape.key, error))
            batch.setdefault(name, set()).add(record[shape.key])
        for name, index, record in _records(records):
            shape = self._shapes[name]
            api = name.split(".", 1)[0]
            for field, target in shape.references.items():
                value = record.get(field)
                target_name = f"{api}.{target}"
                if value is not None and value not in batch.get(target_name, ()) and not exists(target_name, value):
                    raise ShapeError(
                        f"{_record(name, index, record, shape.key)}: field '{field}': "
                        f"no record {value!r} in '{target_name}'"
                    )


def _records(records: Mapping[str, Any]) -> Iterator[tuple[str, int, Any]]:
    for api, tables in records.items():
        if not isinstance(tables, Mapping):
            raise ShapeError(f"'{api}' must map collection names to lists of records")
        for table, docs in tables.items():
            if not isinstance(docs, list):
                raise ShapeError(f"'{api}.{table}' must be a list of records")
            for index, doc in enumerate(docs):
                yield f"{api}.{table}", index, doc


def _record(name: str, index: int, record: Any, key: str) -> str:
    value = record.get(key) if isinstance(record, dict) else None
    named = f" ({key} {value!r})" if isinstance(value, str | int) else ""
    return f"{name} record {index}{named}"


def _describe(name: str, index: int, record: Any, key: str, error: ValidationError) -> str:
    where = _record(name, index, record, key)
    if not error.absolute_path:
        if error.validator == "required":
            missing = [field for field in cast(list[str], error.validator_value) if field not in record]
            return f"{where}: field '{missing[0]}' is required"
        return f"{where}: a record must be a JSON object"
    field = ".".join(str(part) for part in error.absolute_path)
    if error.validator == "type" and error.instance is None:
        return f"{where}: field '{field}': must not be null"
    return f"{where}: field '{field}': {error.message}"
