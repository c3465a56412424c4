"""Query strings read once, in time linear in their length, into an operation's parameter values.

The serialization rules are OpenAPI's, as the specs use them: `form` (a repeated or comma-separated
array when the schema says array, else the last value) and `deepObject` (`filter[date][gt_eq]=…`
builds nested objects). Values are coerced to the scalar type their schema names; a value that does
not coerce is left as written, for validation to reject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from mockserver.platform.errors import InputError, Violation
from mockserver.platform.operations import Parameter

_DEEP_KEY = re.compile(r"([^\[\]]+)((?:\[[^\[\]]*\])+)")
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")


def query_pairs(raw: bytes) -> list[tuple[str, str]]:
    """The decoded name/value pairs of a query string; InputError when it is not UTF-8."""
    try:
        return parse_qsl(raw.decode("ascii"), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise unreadable("is not percent-encoded UTF-8") from None


def unreadable(message: str = "cannot be read as this operation's parameters") -> InputError:
    return InputError([Violation("query", (), message, "malformed")])


@dataclass
class QueryValues:
    values: dict[str, Any] = field(default_factory=dict)  # by parameter name, coerced
    unknown: list[str] = field(default_factory=list)  # names no parameter declares, in order


def read_query(pairs: list[tuple[str, str]], parameters: tuple[Parameter, ...]) -> QueryValues:
    declared = {parameter.name: parameter for parameter in parameters}
    plain: dict[str, list[str]] = {}
    deep: dict[str, dict[str, Any]] = {}
    unknown: dict[str, None] = {}
    for name, value in pairs:
        parameter = declared.get(name)
        if parameter is not None:
            plain.setdefault(name, []).append(value)
            continue
        match = _DEEP_KEY.fullmatch(name)
        if match and match.group(1) in declared and declared[match.group(1)].style == "deepObject":
            _insert(deep.setdefault(match.group(1), {}), _SEGMENT.findall(match.group(2)), value)
        else:
            unknown[name] = None
    result = QueryValues(unknown=list(unknown))
    for name, parameter in declared.items():
        if name in deep:
            if name in plain:
                raise unreadable(f"gives {name} both as a value and as an object")
            result.values[name] = _coerce_leaves(deep[name], parameter.schema)
        elif name in plain:
            result.values[name] = coerce(plain[name], parameter)
    return result


def _insert(root: dict[str, Any], keys: list[str], value: str) -> None:
    node = root
    for key in keys[:-1]:
        child = node.setdefault(key, {})
        if not isinstance(child, dict):
            raise unreadable(f"gives [{key}] both as a value and as an object")
        node = child
    if isinstance(node.get(keys[-1]), dict):
        raise unreadable(f"gives [{keys[-1]}] both as a value and as an object")
    node[keys[-1]] = value  # a repeated key: the last value, as for plain parameters


def coerce(values: list[str], parameter: Parameter) -> Any:
    """A plain parameter's value from every occurrence of its name (path and header: one value)."""
    schema = parameter.schema
    kind = schema.get("type")
    if kind == "array":
        joined = ",".join(values) if parameter.explode else values[-1]
        item_type = schema.get("items", {}).get("type")
        return [_scalar(item, item_type) for item in joined.split(",")]
    if kind not in _COERCED:
        return values[-1]
    return _scalar(values[-1], kind)


def _coerce_leaves(value: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    properties = schema.get("properties")
    if not properties:
        return value
    for key, item in value.items():
        if key in properties:
            inner = properties[key]
            value[key] = _coerce_leaves(item, inner) if isinstance(item, dict) else _scalar(item, inner.get("type"))
    return value


_COERCED = frozenset({"integer", "number", "boolean"})  # the types a value is read as; any other stays as written


def _scalar(value: str, kind: str | None) -> Any:
    try:
        if kind == "integer":
            return int(value)
        if kind == "number":
            return float(value)
    except ValueError:
        return value
    if kind == "boolean" and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value
