"""What a handler answers, and the JSON encoding every answer is written in."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Reply:
    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)  # one encoder, not one per answer


def encode_json(body: Any) -> bytes:
    return _ENCODER.encode(body).encode()
