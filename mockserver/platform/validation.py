"""Input validation against the operation's schemas: every violation at once, as structured `Violation`s.

Validators are compiled once per schema with jsonschema's own `FormatChecker` for `date`, `date-time`
(through rfc3339-validator) and `uuid`, in the OpenAPI 3.0 dialect connexion's request validator reads:
draft 4, where `nullable: true` admits null to `type` and `enum` (`RequestValidator`; tests hold the two
alike). The vendor renders the violations in its own envelope.

jsonschema is the judge; fastjsonschema's generated code only answers "valid" sooner. It is compiled
for a schema only when every keyword in it is one both read alike (`FAST_KEYWORDS`), with the same
format checks, and it is never laxer there: what it rejects (a `nullable` null, a `$` it reads as the very end,
a format jsonschema does not check) goes to jsonschema, which names every violation.
tests/test_fast_validation.py holds the two to that.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import fastjsonschema
from jsonschema import Draft4Validator, FormatChecker, ValidationError, validators
from jsonschema.protocols import Validator
from starlette.datastructures import Headers

from mockserver.platform.errors import ApiError, InputError, Violation
from mockserver.platform.jsonbody import parse_json
from mockserver.platform.operations import Operation, Parameter
from mockserver.platform.query import QueryValues, coerce

FORMATS = FormatChecker(formats=("date", "date-time", "uuid"))

# the keywords of the specs' schemas that fastjsonschema's draft-4 code checks as jsonschema does (or
# more strictly); a schema with any other keyword (readOnly, writeOnly, x-nullable, ...) has no fast path
FAST_KEYWORDS = frozenset(
    {
        "type", "properties", "required", "additionalProperties", "items", "enum", "format", "pattern",
        "minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems", "minProperties",
        "maxProperties", "allOf", "anyOf", "oneOf",
        # annotations neither checks (fastjsonschema fills no default: use_default is off)
        "nullable", "description", "example", "default", "title",
    }
)  # fmt: skip
# fastjsonschema's code for a schema grows with every path through it: Productive's resolved `filter`
# tree (about 28 000 nodes) takes half a minute and gigabytes to compile, so such a schema is left to
# jsonschema alone
MAX_FAST_NODES = 1000  # the largest other schema of the three specs holds under 100
_CANONICAL_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _conforms(name: str) -> Callable[[str], bool]:
    """`FORMATS.conforms(value, name)`: jsonschema's own check of the format, called without the checker's
    dispatch and its FormatError on the way."""
    check, raises = FORMATS.checkers[name]

    def conforms(value: str) -> bool:
        try:
            return bool(check(value))
        except raises:
            return False

    return conforms


_FAST_FORMATS: dict[str, Callable[[str], bool]] = {
    **{name: _conforms(name) for name in FORMATS.checkers},
    # every canonical 8-4-4-4-12 form passes jsonschema's uuid check; any other spelling it may take is
    # left to jsonschema itself
    "uuid": lambda value: _CANONICAL_UUID.fullmatch(value) is not None,
}

FastCheck = Callable[[Any], Any]
Keyword = Callable[[Validator, Any, Any, dict[str, Any]], Iterator[ValidationError]]


def _admitting_null(keyword: str) -> Keyword:
    """Draft 4's `keyword`, except that it passes a null where the schema is `nullable: true`."""
    draft4: Keyword = Draft4Validator.VALIDATORS[keyword]

    def check(validator: Validator, value: Any, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
        if instance is None and schema.get("nullable") is True:
            return
        yield from draft4(validator, value, instance, schema)

    return check


# connexion's own request validator is the same extension; importing connexion for it would be a third of a start
RequestValidator = validators.extend(
    Draft4Validator, {"type": _admitting_null("type"), "enum": _admitting_null("enum")}
)


@dataclass(frozen=True)
class CompiledSchema:
    schema: dict[str, Any]
    validator: Validator

    @functools.cached_property
    def fast(self) -> FastCheck | None:
        """Raises when it cannot vouch for the instance; None: jsonschema only. Built at first use, not at
        start: generating the code of every operation's schemas was a sixth of a start."""
        return fast_check(self.schema)

    def is_surely_valid(self, instance: Any) -> bool:
        if self.fast is None:
            return False
        try:
            self.fast(instance)
        except fastjsonschema.JsonSchemaException:
            return False
        return True


_compiled: dict[int, CompiledSchema] = {}


def schema_validator(schema: dict[str, Any]) -> CompiledSchema:
    """One compiled validator per schema object, kept for the life of the process."""
    cached = _compiled.get(id(schema))
    if cached is None or cached.schema is not schema:
        validator = RequestValidator(schema, format_checker=FORMATS)
        cached = CompiledSchema(schema, validator)
        _compiled[id(schema)] = cached
    return cached


def fast_check(schema: dict[str, Any]) -> FastCheck | None:
    """fastjsonschema's validator for a schema that uses only `FAST_KEYWORDS` and is small enough for its
    generated code to be built at start, else None."""
    if not within_size(schema, MAX_FAST_NODES) or not _only_fast_keywords(schema):
        return None
    try:
        check: FastCheck = fastjsonschema.compile(
            {"$schema": "http://json-schema.org/draft-04/schema#", **schema},
            formats=_FAST_FORMATS,
            use_default=False,
        )
    except (fastjsonschema.JsonSchemaDefinitionException, RecursionError):
        return None
    return check


def within_size(schema: Any, budget: int) -> bool:
    """Whether the schema, $refs resolved, holds at most `budget` objects and arrays; stops counting there."""
    pending = [schema]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
        else:
            continue
        budget -= 1
        if budget < 0:
            return False
    return True


def _only_fast_keywords(schema: Any) -> bool:
    if not isinstance(schema, dict) or not FAST_KEYWORDS.issuperset(schema):
        return False
    for keyword, value in schema.items():
        if keyword == "properties":
            if not isinstance(value, dict) or not all(_only_fast_keywords(s) for s in value.values()):
                return False
        elif keyword in ("items", "additionalProperties") and isinstance(value, dict):
            if not _only_fast_keywords(value):
                return False
        elif keyword in ("allOf", "anyOf", "oneOf"):
            if not isinstance(value, list) or not all(_only_fast_keywords(s) for s in value):
                return False
    return True


def violations_of(
    instance: Any, schema: dict[str, Any], location: str, prefix: tuple[str | int, ...] = ()
) -> list[Violation]:
    compiled = schema_validator(schema)
    if compiled.is_surely_valid(instance):
        return []
    found: list[Violation] = []
    for error in compiled.validator.iter_errors(instance):
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
    if strict and query.unknown:
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


@functools.lru_cache(maxsize=256)  # clients send the same few Content-Type values again and again
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
