"""Hostile requests for the property tests of `test_hostile.py`: every operation of an API's spec,
sent with random bytes, random JSON (deep nesting, huge numbers, lone surrogates, NaN) and random
headers and queries. The judge asks only what the server shows from outside: a 2xx, or a 4xx in
the vendor's envelope and media type (never a 5xx); and after a 4xx the API's records are unchanged.

Operations, their parameters and their valid bodies (the spec's examples) come from the spec; ids
that exist come from the fixtures; credentials are the demo ones of the fuzzer.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
from hypothesis import HealthCheck, currently_in_test_context, event, settings
from hypothesis import strategies as st

from mockserver import DEFAULT_FIXTURES
from mockserver.fuzz.apis import APIS
from mockserver.platform.spec import raw_spec as load_spec
from mockserver.vendors import VENDORS

METHODS = ("get", "post", "put", "patch", "delete")
MAX_BODY_TEXT = 4000

SETTINGS = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # the spec's template under the API's base path
    path_parameters: tuple[str, ...]
    query_parameters: tuple[str, ...]
    media_type: str | None
    examples: tuple[Any, ...] = field(default=())

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class HostileRequest:
    operation: Operation
    url: str
    headers: tuple[tuple[str, bytes], ...]
    body: bytes | None

    def __repr__(self) -> str:  # what a failing example prints: a curl command that replays it
        headers = "".join(f" -H {_shell(name.encode() + b': ' + value)}" for name, value in self.headers)
        body = "" if self.body is None else f" --data-binary {_shell(self.body[:2000])}"
        return f"curl -X {self.operation.method} {_shell(('http://127.0.0.1:8080' + self.url).encode())}{headers}{body}"


def _shell(raw: bytes) -> str:
    """Bash's $'...' quoting, every byte outside printable ASCII escaped."""
    escaped = "".join(chr(b) if 32 <= b < 127 and b not in b"'\\" else f"\\x{b:02x}" for b in raw)
    return f"$'{escaped}'"


def operations(api: str) -> list[Operation]:
    vendor = VENDORS[api]
    spec = load_spec(vendor.spec_file)
    found = []
    for template, item in spec["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            operation = item[method]
            parameters = [_resolve(spec, p) for p in [*item.get("parameters", []), *operation.get("parameters", [])]]
            content = _resolve(spec, operation.get("requestBody", {})).get("content", {})
            media_type = next(iter(content), None)
            found.append(
                Operation(
                    method.upper(),
                    vendor.base_path + template,
                    tuple(p["name"] for p in parameters if p["in"] == "path"),
                    tuple(p["name"] for p in parameters if p["in"] == "query"),
                    media_type,
                    tuple(_examples(spec, content[media_type])) if media_type else (),
                )
            )
    return found


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def _examples(spec: dict[str, Any], media: dict[str, Any]) -> list[Any]:
    if "example" in media:
        return [media["example"]]
    return [_resolve(spec, example)["value"] for example in media.get("examples", {}).values()]


def known_ids(api: str) -> list[str]:
    """Every id in the API's fixtures, so generated paths often name a record that exists."""
    tables = json.loads(DEFAULT_FIXTURES.read_text()).get(api, {})
    return sorted({str(record["id"]) for records in tables.values() for record in records if "id" in record})


def records(server: Any) -> dict[str, Any]:
    """What the API shows, as the store holds it; the idempotency cache keeps the answers to 404 and 409."""
    return {name: table for name, table in server.store.export().items() if not name.startswith("platform.")}


# -- strategies --------------------------------------------------------------------------------

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]) | st.characters(categories=["Cs"]), max_size=40)
HUGE_NUMBERS = st.sampled_from(["1e400", "-1e400", "1" * 5000, "-" + "9" * 4400, "1e-400", "0.1e999999999"])


def json_values() -> st.SearchStrategy[Any]:
    scalars = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.integers(min_value=2**63, max_value=2**200)
        | st.floats(allow_nan=True, allow_infinity=True)
        | TEXT
    )
    return st.recursive(
        scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4), max_leaves=20
    )


def json_text(value: Any) -> str:
    return json.dumps(value, allow_nan=True)  # NaN, Infinity and "\ud800" escapes as a sloppy client writes them


@st.composite
def _deeply_nested(draw: st.DrawFn) -> str:
    depth = draw(st.integers(min_value=90, max_value=3000))
    opener, closer = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
    return opener * depth + draw(st.sampled_from(["1", "null", '"x"'])) + closer * depth


@st.composite
def _mutated_example(draw: st.DrawFn, examples: tuple[Any, ...]) -> str:
    """A valid body with one member (at any depth) replaced by a hostile value or a huge number."""
    body = json.loads(json.dumps(draw(st.sampled_from(examples))))
    holders = list(_members(body))
    placeholder = "\u2063HOSTILE\u2063"
    if holders:
        holder, key = draw(st.sampled_from(holders))
        holder[key] = placeholder
    text = json_text(body)
    replacement = draw(st.one_of(HUGE_NUMBERS, json_values().map(json_text), _deeply_nested()))
    return text.replace(json.dumps(placeholder), replacement, 1)


def _members(node: Any) -> Any:
    if isinstance(node, dict):
        for key, value in node.items():
            yield node, key
            yield from _members(value)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield node, index
            yield from _members(value)


def _bodies(operation: Operation) -> st.SearchStrategy[bytes | None]:
    hostile = st.one_of(json_values().map(json_text), _deeply_nested(), HUGE_NUMBERS)
    texts = [hostile]
    if operation.examples:  # half the time close to valid, so the hostile part reaches deeper
        texts += [_mutated_example(operation.examples), st.sampled_from(operation.examples).map(json_text)]
    return st.one_of(
        st.none(),
        st.binary(max_size=300),
        st.one_of(*texts).map(lambda text: text[: MAX_BODY_TEXT * 2].encode("utf-8", "surrogatepass")),
    )


def segment(value: str) -> str:
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def _path(operation: Operation, ids: list[str]) -> st.SearchStrategy[str]:
    values = st.sampled_from(ids) | TEXT.filter(bool) | st.integers().map(str) if ids else TEXT.filter(bool)

    @st.composite
    def build(draw: st.DrawFn) -> str:
        return fill_path(operation, draw(values))

    return build()


def _query(operation: Operation) -> st.SearchStrategy[str]:
    names = st.sampled_from(operation.query_parameters) if operation.query_parameters else TEXT
    pair = st.tuples(names | TEXT, TEXT | st.integers().map(str) | HUGE_NUMBERS)
    pairs = st.lists(pair, max_size=8).map(lambda pairs: "&".join(f"{segment(k)}={segment(v)}" for k, v in pairs))
    return st.just("") | pairs


HEADER_NAME = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_!#$%&'*+.^`|~"),
                      min_size=1, max_size=20).filter(
    lambda name: name.lower() not in {"content-length", "transfer-encoding", "host", "connection", "expect"}
)
# what an HTTP server lets through: visible ASCII, obs-text, and spaces or tabs inside the value
HEADER_VALUE = st.binary(max_size=60).map(
    lambda raw: bytes(b for b in raw if b == 9 or 32 <= b <= 126 or b >= 128).strip(b" \t")
)
CONTENT_TYPES = st.sampled_from(
    [
        b"application/json",
        b"application/vnd.api+json",
        b"application/json; charset=utf-8",
        b"application/vnd.api+json; charset=latin-1",
        b"application/json; charset=no-such-codec",
        b"text/plain",
        b"multipart/form-data; boundary=x",
        b"application/x-www-form-urlencoded",
        b"",
    ]
)


def _headers(api: str, operation: Operation) -> st.SearchStrategy[tuple[tuple[str, bytes], ...]]:
    credentials = {name: value.encode() for name, value in APIS[api].demo.headers().items()}

    @st.composite
    def build(draw: st.DrawFn) -> tuple[tuple[str, bytes], ...]:
        headers = dict(credentials)
        mode = draw(st.sampled_from(["valid"] * 6 + ["missing", "altered"]))
        if mode != "valid":
            name = draw(st.sampled_from(sorted(credentials)))
            if mode == "missing":
                del headers[name]
            else:
                headers[name] = draw(HEADER_VALUE)
        content_type = draw(st.none() | CONTENT_TYPES | HEADER_VALUE)
        if content_type is not None:
            headers["Content-Type"] = content_type
        elif operation.media_type and draw(st.booleans()):
            headers["Content-Type"] = operation.media_type.encode()
        if draw(st.booleans()):
            headers["Idempotency-Key"] = draw(HEADER_VALUE)
        headers.update(draw(st.dictionaries(HEADER_NAME, HEADER_VALUE, max_size=4)))
        return tuple(headers.items())

    return build()


HOSTILE_PARTS = ("body", "headers", "query", "path")


def requests(api: str) -> st.SearchStrategy[HostileRequest]:
    """One operation of the API; one part of the request hostile (or all of them), the others valid so
    the hostile part gets as deep into the server as it can."""
    ids = known_ids(api)
    credentials = tuple((name, value.encode()) for name, value in APIS[api].demo.headers().items())

    @st.composite
    def build(draw: st.DrawFn) -> HostileRequest:
        operation = draw(st.sampled_from(operations(api)))
        hostile = draw(st.sampled_from([*HOSTILE_PARTS, "everything"]))
        if hostile in ("path", "everything"):
            path = draw(_path(operation, ids))
        else:
            path = fill_path(operation, draw(st.sampled_from(ids)))
        query = draw(_query(operation)) if hostile in ("query", "everything") else ""
        if hostile in ("headers", "everything"):
            headers = draw(_headers(api, operation))
        else:
            content_type = (("Content-Type", operation.media_type.encode()),) if operation.media_type else ()
            headers = (*credentials, *content_type)
        if hostile in ("body", "everything") or not operation.examples:
            body = draw(_bodies(operation))
        else:
            body = json_text(draw(st.sampled_from(operation.examples))).encode()
        return HostileRequest(operation, path + (f"?{query}" if query else ""), headers, body)

    return build()


def fill_path(operation: Operation, value: str) -> str:
    path = operation.path
    for name in operation.path_parameters:
        path = path.replace("{" + name + "}", segment(value))
    return path


# -- the judge ---------------------------------------------------------------------------------

ANSWER_WITHIN = 30.0  # seconds: far beyond any answer, only there so a request never answered fails the test


def check(api: str, server: Any, request: HostileRequest, within: float = ANSWER_WITHIN) -> None:
    """Send `request` on fresh state; a 2xx, or a 4xx in the vendor's envelope that changed nothing."""
    asyncio.run(_check(api, server, request, within))


async def _check(api: str, server: Any, request: HostileRequest, within: float) -> None:
    transport = httpx.ASGITransport(app=server)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8080") as client:
        reset = await client.post("/__admin/reset")
        assert reset.status_code == 204
        before = records(server)
        try:
            response = await asyncio.wait_for(
                client.request(
                    request.operation.method,
                    request.url,
                    headers=[(name.encode(), value) for name, value in request.headers],
                    content=request.body,
                ),
                within,
            )
        except TimeoutError:
            raise AssertionError(f"{request!r}\nnever answered") from None
        except Exception as exc:  # what escapes the app: a real server logs it, and may answer 500 or nothing
            raise AssertionError(f"{request!r}\nthe app raised {exc!r}") from exc
    status = response.status_code
    if currently_in_test_context():  # not in the regression cases
        event(f"{request.operation} -> {status}")
    assert status < 500, f"{request!r}\nanswered {status}: {response.text[:500]}"
    if 400 <= status < 500:
        envelope = APIS[api]
        media_type = response.headers.get("content-type", "").split(";")[0].strip()
        assert media_type == envelope.media_type, f"{request!r}\nanswered {status} as {media_type!r}"
        problems = envelope.envelope_problems(status, _json(response))
        assert not problems, f"{request!r}\nanswered {status} outside the envelope: {problems}: {response.text[:300]}"
        assert records(server) == before, f"{request!r}\nanswered {status} and changed the API's records"


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
