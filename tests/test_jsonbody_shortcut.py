"""platform/jsonbody.py skips its walk over a parsed body when the text shows there is nothing to find;
the skip must never let through what the walk refuses (a lone surrogate, nesting past MAX_DEPTH)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockserver.platform.errors import InputError
from mockserver.platform.jsonbody import MAX_DEPTH, _surely_usable, _unusable, parse_json

TEXT = st.text(alphabet=st.sampled_from(["a", "é", "[", "{", "\\", "\ud800", "\udfff", "😀", '"']), max_size=6)
VALUES: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.integers() | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=12,
)


def _nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


@given(value=VALUES | st.integers(MAX_DEPTH - 2, MAX_DEPTH + 2).map(_nested), ascii_only=st.booleans())
def test_the_shortcut_vouches_only_for_what_the_walk_accepts(value: Any, ascii_only: bool) -> None:
    raw = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")  # as a client may send it
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return  # refused before the shortcut is asked
    if _surely_usable(text, "utf-8"):
        assert _unusable(json.loads(text)) is None


@pytest.mark.parametrize(
    "raw",
    [b'{"a": "\\ud800"}', b'{"\\udfff": 1}', json.dumps(_nested(MAX_DEPTH + 1)).encode()],
    ids=["lone surrogate value", "lone surrogate name", "too deep"],
)
def test_what_the_walk_refuses_is_still_refused(raw: bytes) -> None:
    with pytest.raises(InputError):
        parse_json(raw)


def test_a_plain_body_takes_the_shortcut() -> None:
    assert _surely_usable('{"minutes": 150, "tags": ["a"]}', "utf-8")
    assert not _surely_usable('{"a": "\\u00e9"}', "utf-8")
    assert not _surely_usable("{}", "utf-7")  # a codec that may decode to a lone surrogate
