"""Input validation against the operation's schemas: every violation at once, as structured `Violation`s.

Validators are compiled once per schema with jsonschema's own `FormatChecker` for `date`, `date-time`
(through rfc3339-validator) and `uuid`, and the OpenAPI 3.0 dialect connexion uses (`nullable`,
`readOnly`/`writeOnly`). The vendor renders the violations in its own envelope.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from jsonschema import FormatChecker, ValidationError
from jsonschema.protocols import Validator
from starlette.datastructures import Headers

from mockserver.platform.errors import ApiError, InputError, Violation
from mockserver.platform.jsonbody import parse_json
from mockserver.platform.operations import Operation, Parameter
from mockserver.platform.query import QueryValues, coerce

FORMATS = FormatChecker(formats=("date", "date-time", "uuid"))

_compiled: dict[int, tuple[dict[str, Any], Validator]] = {}


def schema_validator(schema: dict[str, Any]) -> Validator:
    """One compiled validator per schema object, kept for the life of the process."""
    cached = _compiled.get(id(schema))
    if cached is None or cached[0] is not schema:
        # imported here: connexion's package import is most of a start's import time (servers import lazily)
        from connexion.json_schema import Draft4RequestValidator

        cached = (schema, Draft4RequestValidator(schema, format_checker=FORMATS))
        _compiled[id(schema)] = cached
    return cached[1]


def violations_of(
    instance: Any, schema: dict[str, Any], location: str, prefix: tuple[str | int, ...] = ()
) -> list[Violation]:
    found: list[Violation] = []
    for error in schema_validator(schema).iter_errors(instance):
        found.extend(_violations(error, location, prefix))
    return sorted(found, key=lambda v: (tuple(map(str, v.path)), v.rule))


def _violations(error: ValidationError, location: str, prefix: tuple[str | int, ...]) -> list[Violation]:
    path = prefix + tuple(error.absolute_path)
    instance = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "required" and isinstance(instance, dict) and isinstance(error.validator_value, list):
        # name each missing member, not the object that lacks it
        missing = [name for name in error.validator_value if name not in instance]
        return [Violation(location, (*path, name), "is required", "required") for name in missing]
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        patterns = [re.compile(pattern) for pattern in schema.get("patternProperties", {})]
        extras = [
            name
            for name in instance
            if name not in schema.get("properties", {}) and not any(p.search(name) for p in patterns)
        ]
        return [Violation(location, (*path, name), "is not allowed", "additionalProperties") for name in extras]
    message = f"is not a valid {error.validator_value}" if error.validator == "format" else error.message
    return [Violation(location, path, message, str(error.validator), instance)]


def validate_parameters(
    operation: Operation, path: dict[str, str], query: QueryValues, headers: Headers, strict: bool
) -> dict[str, Any]:
    """The path and query values by handler argument name, coerced; InputError naming every problem."""
    violations: list[Violation] = []
    if strict:
        violations += [Violation("query", (name,), "is not a known parameter", "unknown") for name in query.unknown]
    values: dict[str, Any] = {}
    for parameter in operation.parameters:
        value = _value(parameter, path, query, headers)
        if value is None:
            if parameter.required:
                violations.append(Violation(parameter.location, (parameter.name,), "is required", "required"))
            elif "default" in parameter.schema and parameter.location == "query":
                values[parameter.argument] = parameter.schema["default"]
            continue
        if not (value == "" and parameter.schema.get("nullable")):
            violations += violations_of(value, parameter.schema, parameter.location, (parameter.name,))
        if parameter.location in ("path", "query"):
            values[parameter.argument] = value
    if violations:
        raise InputError(violations)
    return values


def _value(parameter: Parameter, path: dict[str, str], query: QueryValues, headers: Headers) -> Any:
    if parameter.location == "query":
        return query.values.get(parameter.name)
    raw = path.get(parameter.name) if parameter.location == "path" else headers.get(parameter.name)
    return None if raw is None else coerce([raw], parameter)


def validate_body(operation: Operation, headers: Headers, raw: bytes, unsupported: Callable[[str], ApiError]) -> Any:
    """The parsed JSON body, validated against the schema of its media type; None without a body.

    `unsupported(media_type)` is the vendor's 415, raised for a media type the operation does not take
    (a body without Content-Type included).
    """
    body = operation.body
    if body is None:
        return None
    media_type, charset = _content_type(headers.get("content-type"))
    schema = _schema_for(body.schemas, media_type)
    if schema is None and (media_type or raw):
        raise unsupported(media_type or "none")
    if not raw or schema is None:
        if body.required:
            raise InputError([Violation("body", (), "is required", "required")])
        return None
    value = parse_json(raw, charset)
    if value is None:
        if body.required:
            raise InputError([Violation("body", (), "is required", "required")])
        return None
    violations = violations_of(value, schema, "body")
    if violations:
        raise InputError(violations)
    return value


def _content_type(header: str | None) -> tuple[str, str]:
    if not header:
        return "", "utf-8"
    media_type, *params = (part.strip() for part in header.split(";"))
    charset = next(
        (value.strip('"') for name, _, value in (p.partition("=") for p in params) if name.lower() == "charset"),
        "utf-8",
    )
    return media_type.lower(), charset


def _schema_for(schemas: dict[str, dict[str, Any]], media_type: str) -> dict[str, Any] | None:
    if not media_type or "/" not in media_type:
        return None
    if media_type in schemas:
        return schemas[media_type]
    kind, _, subtype = media_type.partition("/")
    for declared, schema in schemas.items():
        declared_kind, _, declared_subtype = declared.partition("/")
        if declared_kind in ("*", kind) and declared_subtype in ("*", subtype):
            return schema
    return None
