"""Input validation: connexion's validators, made strict on formats and vendor-neutral in failure.

Connexion checks parameters and bodies against the spec but skips `format`, answers 500 on a body
that is not UTF-8, and stops at the first problem with a framework message. These subclasses check
`date`, `date-time` and `uuid`, collect every violation, and raise `InputError` for the vendor to
render in its own envelope. Compiled schema validators are cached per schema (connexion rebuilds
them on every request).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from connexion.datastructures import MediaTypeDict
from connexion.json_schema import Draft4RequestValidator
from connexion.validators import VALIDATOR_MAP as CONNEXION_VALIDATORS
from connexion.validators import JSONRequestBodyValidator
from connexion.validators import ParameterValidator as ConnexionParameterValidator
from jsonschema import FormatChecker, ValidationError

from mockserver.platform.errors import InputError, Violation
from mockserver.platform.jsonbody import parse_json

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

FORMATS = FormatChecker(formats=())


@FORMATS.checks("date")
def is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


@FORMATS.checks("date-time")
def is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


@FORMATS.checks("uuid")
def is_uuid(value: object) -> bool:
    return not isinstance(value, str) or bool(_UUID.fullmatch(value))


_compiled: dict[int, tuple[dict[str, Any], Draft4RequestValidator]] = {}


def schema_validator(schema: dict[str, Any]) -> Draft4RequestValidator:
    """One compiled validator per schema object, kept for the life of the process."""
    cached = _compiled.get(id(schema))
    if cached is None or cached[0] is not schema:
        cached = (schema, Draft4RequestValidator(schema, format_checker=FORMATS))
        _compiled[id(schema)] = cached
    return cached[1]


def violations_of(
    validator: Draft4RequestValidator, instance: Any, location: str, prefix: tuple[str | int, ...] = ()
) -> list[Violation]:
    found = []
    for error in validator.iter_errors(instance):
        found.extend(_flatten(error, location, prefix))
    return sorted(found, key=lambda v: (tuple(map(str, v.path)), v.rule))


def _flatten(error: ValidationError, location: str, prefix: tuple[str | int, ...]) -> list[Violation]:
    path = prefix + tuple(error.absolute_path)
    if error.validator == "required":
        # name the missing member, not the object that lacks it
        missing = re.match(r"'(.*)' is a required property", error.message)
        if missing:
            return [Violation(location, path + (missing.group(1),), "is required", "required")]
    if error.validator == "additionalProperties":
        extras = re.findall(r"'([^']*)'", error.message.split("(")[-1])
        return [Violation(location, path + (name,), "is not allowed", "additionalProperties") for name in extras]
    message = error.message
    if error.validator == "format":
        message = f"is not a valid {error.validator_value}"
    return [Violation(location, path, message, str(error.validator), error.instance)]


class ParameterValidator(ConnexionParameterValidator):
    """Every parameter problem of the request at once, unknown query parameters included."""

    def validate_request(self, request: Any) -> None:
        violations: list[Violation] = []
        try:
            request.query_params  # noqa: B018 - parsed (and cached) by connexion on first access
        except (LookupError, TypeError, ValueError, AttributeError):
            # connexion's deepObject parser fails on shapes the spec does not describe
            # (`page[number][x]=1` raises KeyError): the query is malformed, not the fake broken
            unreadable = Violation("query", (), "cannot be read as this operation's parameters", "malformed")
            raise InputError([unreadable]) from None
        if self.strict_validation:
            extras = self.validate_query_parameter_list(request, security_params=self.security_query_params)
            violations += [Violation("query", (name,), "is not a known parameter", "unknown") for name in extras]
        sources = {
            "query": lambda p: request.query_params.get(p["name"]),
            "path": lambda p: request.path_params.get(p["name"].replace("-", "_")),
            "header": lambda p: request.headers.get(p["name"]),
            "cookie": lambda p: request.cookies.get(p["name"]),
        }
        for location, read in sources.items():
            for param in self.parameters.get(location, []):
                value = read(param)
                if value is None:
                    if param.get("required"):
                        violations.append(Violation(location, (param["name"],), "is required", "required"))
                    continue
                if value == "" and param.get("schema", {}).get("nullable"):
                    continue
                validator = schema_validator(param.get("schema", {}))
                violations += violations_of(validator, value, location, (param["name"],))
        if violations:
            raise InputError(violations)


class JSONBodyValidator(JSONRequestBodyValidator):
    """JSON bodies: undecodable bytes, malformed JSON and schema violations all become InputError."""

    async def _parse(self, stream: Any, scope: Any) -> Any:
        return parse_json(b"".join([chunk async for chunk in stream]), self._encoding)

    def _validate(self, body: Any) -> None:
        if body is None and not self._nullable:
            raise InputError([Violation("body", (), "is required", "required")])
        violations = violations_of(schema_validator(self._schema), body, "body")
        if violations:
            raise InputError(violations)


VALIDATOR_MAP = {
    **CONNEXION_VALIDATORS,
    "parameter": ParameterValidator,
    "body": MediaTypeDict({"*/*json": JSONBodyValidator}),
}
