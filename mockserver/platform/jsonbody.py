"""Reading a JSON body as a strict JSON parser would: one pass, in time linear in its length.

Every body the server accepts (vendor requests, admin calls) is read here. What is refused, as
input errors: bytes that are not UTF-8, text that is not JSON, the non-JSON constants `NaN` and
`Infinity`, numbers too large to hold (`1e400`), nesting deeper than `MAX_DEPTH` (README, "Limits and
CORS"), and strings holding a lone surrogate (`"\\ud800"`), which are not Unicode text and could
not be written back out as UTF-8.

orjson reads a UTF-8 body first, about four times sooner; the standard library's decoder reads whatever
orjson refuses, and names the problem. orjson refuses all the standard library refuses (and lone
surrogates, and nesting past 1 024 levels), but it reads an integer past 64 bits as a float: a body with
a run of 19 digits (and one with more brackets than `MAX_DEPTH`) goes to the standard library whole.
tests/test_jsonbody_orjson.py holds the two readings alike.
"""

from __future__ import annotations

import json
import math
from typing import Any

import orjson

from mockserver.platform.errors import InputError, Violation

MAX_DEPTH = 100


def parse_json(raw: bytes, encoding: str = "utf-8") -> Any:
    """The JSON value of `raw`; `None` for an empty (or blank) body; InputError for anything else."""
    if encoding.lower() in _UTF_8 and not _has_long_digit_run(raw) and _brackets(raw) <= MAX_DEPTH:
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass  # read again, where the refusal is named
    return parse_json_standard(raw, encoding)


def parse_json_standard(raw: bytes, encoding: str = "utf-8") -> Any:
    """`parse_json` through the standard library alone."""
    try:
        text = raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise _malformed("is not valid UTF-8 text") from None
    if not text.strip():
        return None
    try:
        value = _DECODER.decode(text)
    except RecursionError:
        raise _malformed(f"is nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:  # JSONDecodeError, the constants and numbers refused above, huge integers
        raise _malformed(f"is not valid JSON ({exc})") from None
    if _surely_usable(text, encoding):
        return value
    problem = _unusable(value)
    if problem:
        raise _malformed(problem)
    return value


_UTF_8 = ("utf-8", "utf8")
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_NINETEEN_DIGITS = b"0" * 19


def _has_long_digit_run(raw: bytes) -> bool:
    """Whether the body holds 19 digits in a row: an integer that may be past 64 bits, which orjson reads as
    a float (digits in a string count too, and only cost the slower reading). A regex search here took
    longer than orjson's whole reading."""
    return _NINETEEN_DIGITS in raw.translate(_DIGITS_AS_ZERO)


def _brackets(raw: bytes) -> int:
    """How many arrays and objects the body opens at most (those inside strings only add to the count)."""
    return raw.count(b"[") + raw.count(b"{")


def _surely_usable(text: str, encoding: str) -> bool:
    """True when the text itself shows that `_unusable` cannot find anything: UTF-8 decoding never yields a
    surrogate, so a lone one can only come from a `\\u` escape, and nesting deeper than `MAX_DEPTH` needs
    more than `MAX_DEPTH` opening brackets (those inside strings only make the count larger)."""
    return (
        encoding.lower() in _UTF_8
        and "\\u" not in text
        and text.count("[") + text.count("{") <= MAX_DEPTH
    )


def _unusable(value: Any) -> str | None:
    """Why a parsed value cannot be accepted (too deep, a lone surrogate), or None; iterative, linear."""
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            if not _is_text(item):
                return "holds a string that is not Unicode text (a lone surrogate)"
        elif isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                return f"is nested deeper than {MAX_DEPTH} levels"
            children = item.items() if isinstance(item, dict) else ((None, element) for element in item)
            for key, element in children:
                if key is not None and not _is_text(key):
                    return "holds a member name that is not Unicode text (a lone surrogate)"
                pending.append((element, depth + 1))
    return None


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _finite_float(literal: str) -> float:
    number = float(literal)
    if not math.isfinite(number):
        raise ValueError(f"{literal} is too large for a JSON number")
    return number


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


# what json.loads(text, parse_constant=..., parse_float=...) would build on every call, built once
_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite_float)


def _malformed(message: str) -> InputError:
    return InputError([Violation("body", (), message, "malformed")])
