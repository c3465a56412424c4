"""What a handler answers, and how it becomes bytes on the wire."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import Response


@dataclass
class Reply:
    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


def encode_json(body: Any) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def to_response(reply: Reply, media_type: str) -> Response:
    if reply.status == 204 or reply.body is None:
        return Response(status_code=reply.status, headers=reply.headers)
    return Response(encode_json(reply.body), reply.status, reply.headers, media_type)
