"""platform/jsonbody.py and platform/replies.py read and write JSON through orjson, with the standard library
behind it: orjson must read every body exactly as the standard library would (the same value, of the same
types, or the same refusal), and write what the standard library writes."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from mockserver.platform.errors import InputError
from mockserver.platform.jsonbody import MAX_DEPTH, parse_json, parse_json_standard
from mockserver.platform.replies import encode_json

TEXT = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(["\\", '"', "\ud800", "\x00", "\u2028"]))
NUMBERS = (
    st.integers()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
)
VALUES: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | NUMBERS | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=20,
)
# a written number as a client may spell it: leading zeros, exponents, signs, long mantissas
NUMBER_TEXT = st.from_regex(r"\A-?(0|[1-9][0-9]{0,24}|0[0-9])(\.[0-9]{0,20})?([eE][+-]?[0-9]{1,4})?\Z")


def _typed(value: Any) -> Any:
    """The value with every leaf's type beside it: 1 and 1.0, 0.0 and -0.0 differ here."""
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typed(item) for item in value]
    return (type(value).__name__, repr(value))


def _reading(read: Any, raw: bytes, encoding: str = "utf-8") -> Any:
    try:
        return ("value", _typed(read(raw, encoding)))
    except InputError as error:
        return ("refused", [violation.message for violation in error.violations])


def _same_reading(raw: bytes, encoding: str = "utf-8") -> None:
    assert _reading(parse_json, raw, encoding) == _reading(parse_json_standard, raw, encoding)


@given(value=VALUES, ascii_only=st.booleans())
def test_orjson_reads_a_document_as_the_standard_library(value: Any, ascii_only: bool) -> None:
    _same_reading(json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass"))


@given(number=NUMBER_TEXT)
@example(number="18446744073709551616")
@example(number="-9223372036854775809")
@example(number="1e400")
@example(number="0.1000000000000000055511151231257827")
@example(number="1.7976931348623159e308")
def test_orjson_reads_a_number_as_the_standard_library(number: str) -> None:
    _same_reading(number.encode())
    _same_reading(b'{"minutes": ' + number.encode() + b"}")


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    """A written document with a few bytes put in place of one of its own."""
    raw = json.dumps(draw(VALUES)).encode()
    at = draw(st.integers(0, len(raw) - 1))
    return raw[:at] + draw(st.binary(max_size=3)) + raw[at + 1 :]


@given(raw=st.binary(max_size=40) | _mutated())
def test_orjson_refuses_what_the_standard_library_refuses(raw: bytes) -> None:
    _same_reading(raw)


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"  \n",
        b"NaN",
        b"[Infinity]",
        b'"\\ud800"',
        b'{"\\udfff": 1}',
        b"\xef\xbb\xbf{}",
        b'"\xff"',
        b'{"a": 1,}',
        b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1),
        b"[" * MAX_DEPTH + b"]" * MAX_DEPTH,
        b'{"a":1,"a":2}',
    ],
)
def test_edge_bodies_read_alike(raw: bytes) -> None:
    _same_reading(raw)


def test_another_charset_is_read_by_the_standard_library() -> None:
    _same_reading('{"a": "é"}'.encode("latin-1"), "latin-1")


@given(value=VALUES)
def test_orjson_writes_what_the_standard_library_writes(value: Any) -> None:
    try:
        standard = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
    except UnicodeEncodeError:  # a lone surrogate cannot be written as UTF-8 by either
        with pytest.raises(UnicodeEncodeError):
            encode_json(value)
        return
    written = encode_json(value)
    if _has_float(value):  # an exponent may be spelled otherwise (1e16 for 1e+16): the same number
        assert _typed(json.loads(written)) == _typed(json.loads(standard))
    else:
        assert written == standard


def _has_float(value: Any) -> bool:
    if isinstance(value, float):
        return True
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return any(_has_float(child) for child in children)


def test_what_orjson_will_not_write_is_written_by_the_standard_library() -> None:
    assert encode_json({"n": 2**70, 1: [True]}) == b'{"n":1180591620717411303424,"1":[true]}'


def test_a_float_is_written_as_the_same_number() -> None:
    for number in (1e16, 1e-7, -0.0, 5e-324, 1.7976931348623157e308, 0.1):
        written = encode_json(number)
        assert float(written) == number and math.copysign(1, float(written)) == math.copysign(1, number)
