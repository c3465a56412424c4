"""The spec's operations compiled once at start: what the router, the guard and the validators need.

Nothing here restates the spec: every template, parameter, schema, media type and security
requirement is read from connexion's resolved specification.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class SecurityScheme:
    name: str  # the scheme's key under components.securitySchemes
    kind: str  # "bearer" (http bearer) or "header" (apiKey in a header)
    header: str  # the header that carries it, lower case
    raw_header: bytes = field(init=False)  # the same, as a header line names it

    def __post_init__(self) -> None:
        object.__setattr__(self, "raw_header", self.header.encode("latin-1"))


@dataclass(frozen=True)
class Parameter:
    name: str
    argument: str  # the name a handler takes it by: a Python identifier
    location: str  # "path", "query", "header", "cookie"
    required: bool
    schema: dict[str, Any]
    style: str
    explode: bool


@dataclass(frozen=True)
class RequestBody:
    required: bool
    media_types: tuple[str, ...]  # as the spec lists them, lower case
    schemas: dict[str, dict[str, Any]]  # media type -> schema


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str  # upper case
    template: str  # the spec's path, relative to the base path
    parameters: tuple[Parameter, ...]
    body: RequestBody | None
    # alternatives (OR), each a set of schemes that must all be present (AND); empty: no security
    security: tuple[tuple[SecurityScheme, ...], ...]
    query_names: frozenset[str] = field(default=frozenset())
    query_parameters: tuple[Parameter, ...] = ()
    # every scheme the alternatives name, each once, in the order they first name it
    schemes: tuple[SecurityScheme, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        distinct = {scheme.name: scheme for requirement in self.security for scheme in requirement}
        object.__setattr__(self, "schemes", tuple(distinct.values()))

    def in_location(self, location: str) -> tuple[Parameter, ...]:
        return tuple(parameter for parameter in self.parameters if parameter.location == location)


@dataclass(frozen=True)
class PathItem:
    template: str
    pattern: re.Pattern[str]  # matches the request path below the base path
    operations: dict[str, Operation]  # by upper-case method
    names: dict[str, str] = field(default_factory=dict)  # the template's parameter names by regex group

    @property
    def allow(self) -> str:
        methods = list(self.operations)
        if "GET" in methods and "HEAD" not in methods:
            methods.append("HEAD")  # HEAD is answered wherever GET is
        return ", ".join(methods)


DEFAULT_STYLE = {"path": "simple", "header": "simple", "query": "form", "cookie": "form"}


def compile_paths(spec: dict[str, Any]) -> list[PathItem]:
    """Every path of the resolved spec, in the spec's order (the order the router tries them in)."""
    schemes = _security_schemes(spec)
    default_security = spec.get("security", [])
    items = []
    for template, item in spec.get("paths", {}).items():
        shared = item.get("parameters", [])
        operations = {}
        for method in HTTP_METHODS:
            if method not in item:
                continue
            operation = item[method]
            parameters = _parameters([*shared, *operation.get("parameters", [])])
            requirements = operation.get("security", default_security)
            operations[method.upper()] = Operation(
                operation_id=operation["operationId"],
                method=method.upper(),
                template=template,
                parameters=parameters,
                body=_body(operation.get("requestBody")),
                security=tuple(tuple(schemes[name] for name in requirement) for requirement in requirements),
                query_names=frozenset(p.name for p in parameters if p.location == "query"),
                query_parameters=tuple(p for p in parameters if p.location == "query"),
            )
        names = {_group(name): name for name in re.findall(r"\{([^}]+)\}", template)}
        items.append(PathItem(template, _pattern(template), operations, names))
    return items


class PathRouter:
    """The first path item, in the spec's order, whose pattern matches a path, and the values of its template's
    parameters: one regex, the items' patterns as its alternatives in that order, finds both at once.

    Each alternative is one group around the item's own groups, unnamed so alternatives never share a
    name; the alternative that matched is the group that closed last (`lastindex`), and its values are
    the groups right after it."""

    def __init__(self, items: list[PathItem]) -> None:
        self.items = items
        self.by_group: dict[int, tuple[PathItem, int, tuple[str, ...]]] = {}
        alternatives = []
        group = 1
        for item in items:
            groups = sorted(item.pattern.groupindex, key=item.pattern.groupindex.__getitem__)
            names = tuple(item.names.get(name, name) for name in groups)
            self.by_group[group] = (item, group, names)  # the values are groups group+1 .. group+len(names)
            alternatives.append(f"({_unnamed(item.pattern.pattern)})")
            group += 1 + item.pattern.groups
        self.combined = re.compile("|".join(alternatives))

    def match(self, path: str) -> tuple[PathItem, dict[str, str]] | None:
        """The item and its template's values by parameter name; None when no item matches."""
        found = self.combined.fullmatch(path)
        if found is None or found.lastindex is None:
            return None
        item, group, names = self.by_group[found.lastindex]
        if not names:
            return item, {}
        values = found.groups()[group : group + len(names)]
        return item, dict(zip(names, values, strict=True))


def _unnamed(pattern: str) -> str:
    """The pattern with its named groups made plain groups, numbered in the same order."""
    return re.sub(r"\(\?P<\w+>", "(", pattern)


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{([^}]+)\}", template)
    regex = "".join(
        re.escape(part) if index % 2 == 0 else f"(?P<{_group(part)}>[^/]+)" for index, part in enumerate(parts)
    )
    return re.compile(regex)


def _group(name: str) -> str:
    return re.sub(r"\W", "_", name)


def _parameters(declared: list[dict[str, Any]]) -> tuple[Parameter, ...]:
    by_key: dict[tuple[str, str], Parameter] = {}
    for raw in declared:  # an operation's parameter overrides the path's of the same name and place
        location = raw["in"]
        style = raw.get("style", DEFAULT_STYLE[location])
        by_key[(raw["name"], location)] = Parameter(
            name=raw["name"],
            argument=_group(raw["name"]),
            location=location,
            required=bool(raw.get("required", location == "path")),
            schema=raw.get("schema", {}),
            style=style,
            explode=bool(raw.get("explode", style == "form")),
        )
    return tuple(by_key.values())


def _body(raw: dict[str, Any] | None) -> RequestBody | None:
    if raw is None:
        return None
    content = {media.lower(): entry.get("schema", {}) for media, entry in raw.get("content", {}).items()}
    return RequestBody(bool(raw.get("required", False)), tuple(content), content)


def _security_schemes(spec: dict[str, Any]) -> dict[str, SecurityScheme]:
    schemes = {}
    for name, scheme in spec.get("components", {}).get("securitySchemes", {}).items():
        if scheme.get("type") == "http" and scheme.get("scheme", "").lower() == "bearer":
            schemes[name] = SecurityScheme(name, "bearer", "authorization")
        elif scheme.get("type") == "apiKey" and scheme.get("in") == "header":
            schemes[name] = SecurityScheme(name, "header", scheme["name"].lower())
        else:
            raise ValueError(f"security scheme '{name}' is not one the fakes serve (bearer, or an API key header)")
    return schemes
