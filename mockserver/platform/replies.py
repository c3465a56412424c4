"""What a handler answers, and the JSON encoding every answer is written in."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from typing import Any

import orjson


@dataclass
class Reply:
    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


# Compact and UTF-8. orjson writes it about ten times sooner than the standard library; what orjson will not
# write (an integer past 64 bits, a member name that is not a string, a string holding a lone surrogate,
# nesting past 254 levels) the standard library writes as `json.dumps` with these settings would. The two
# write the same bytes but for a float's exponent (`1e16` for `1e+16`) and a NaN, which is not JSON (null for
# NaN). A datetime or a dataclass is not JSON to either: orjson passes them on, to fail as the library fails.
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
_STANDARD = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False)


def encode_json(body: Any) -> bytes:
    try:
        return orjson.dumps(body, option=_ORJSON_OPTIONS)
    except orjson.JSONEncodeError:
        return _STANDARD.encode(body).encode()


def raw_headers(status: int, headers: dict[str, str], body: bytes, media_type: str | None) -> list[tuple[bytes, bytes]]:
    """The header lines of an answer, in the order and spelling Starlette's `Response` gives them."""
    if not headers and media_type is not None and not (status < 200 or status in (204, 304)):
        return [(b"content-length", str(len(body)).encode("latin-1")), _content_type_line(media_type)]
    raw = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]
    names = {name for name, _ in raw}
    if b"content-length" not in names and not (status < 200 or status in (204, 304)):
        raw.append((b"content-length", str(len(body)).encode("latin-1")))
    if media_type is not None and b"content-type" not in names:
        raw.append(_content_type_line(media_type))
    return raw


@functools.lru_cache(maxsize=64)
def _content_type_line(media_type: str) -> tuple[bytes, bytes]:
    if media_type.startswith("text/") and "charset=" not in media_type.lower():
        media_type += "; charset=utf-8"
    return (b"content-type", media_type.encode("latin-1"))
