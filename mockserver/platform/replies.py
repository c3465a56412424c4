"""What a handler answers, and the JSON encoding every answer is written in."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Reply:
    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


# Compact, UTF-8, floats spelled as `float.__repr__` spells them: what `json.dumps` with these settings writes.
# `JSONEncoder.encode` builds a new C encoder on every call (and a circular-reference table, which a reply
# built from stored documents never needs); the one below is built once. `c_make_encoder` is the stdlib's
# own accelerator, absent only where `_json` is (then the public encoder does the same work).
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False)
_make_encoder: Any = getattr(json.encoder, "c_make_encoder", None)
_encode_chunks = (
    _make_encoder(None, _ENCODER.default, json.encoder.encode_basestring, None, ":", ",", False, False, True)
    if _make_encoder is not None
    else None
)


def encode_json(body: Any) -> bytes:
    if _encode_chunks is None:
        return _ENCODER.encode(body).encode()
    return "".join(_encode_chunks(body, 0)).encode()


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
