"""New record ids: random (version 4) UUIDs in their canonical lower-case spelling.

What `str(uuid.uuid4())` gives, without building a `UUID` object on every create.
"""

from __future__ import annotations

import os

# a random hex digit with its two high bits made 10: the RFC 4122 variant
_VARIANT = {digit: "89ab"[int(digit, 16) & 0x3] for digit in "0123456789abcdef"}


def new_uuid() -> str:
    text = os.urandom(16).hex()
    # the 13th digit is the version (4), the 17th carries the variant
    return f"{text[:8]}-{text[8:12]}-4{text[13:16]}-{_VARIANT[text[16]]}{text[17:20]}-{text[20:]}"
