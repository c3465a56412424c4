"""New record ids: random (version 4) UUIDs in their canonical lower-case spelling.

What `str(uuid.uuid4())` gives, without building a `UUID` object on every create.
"""

from __future__ import annotations

import os


def new_uuid() -> str:
    raw = bytearray(os.urandom(16))
    raw[6] = raw[6] & 0x0F | 0x40  # version 4
    raw[8] = raw[8] & 0x3F | 0x80  # RFC 4122 variant
    text = raw.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
