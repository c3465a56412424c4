"""New record ids: random (version 4) UUIDs in their canonical lower-case spelling.

What `str(uuid.uuid4())` gives, without building a `UUID` object on every create. The random bytes are
drawn from the system for a batch of ids at a time (one call instead of one per id); a forked child
draws its own.
"""

from __future__ import annotations

import os

BATCH = 64  # ids made per draw of random bytes

# a random hex digit with its two high bits made 10: the RFC 4122 variant
_VARIANT = {digit: "89ab"[int(digit, 16) & 0x3] for digit in "0123456789abcdef"}

_made: list[str] = []  # ids drawn and not handed out yet


def new_uuid() -> str:
    if not _made:
        _made.extend(_draw(BATCH))
    return _made.pop()


def _draw(count: int) -> list[str]:
    text = os.urandom(16 * count).hex()
    # in each 32 digits, the 13th is the version (4) and the 17th carries the variant
    return [
        f"{text[at : at + 8]}-{text[at + 8 : at + 12]}-4{text[at + 13 : at + 16]}-"
        f"{_VARIANT[text[at + 16]]}{text[at + 17 : at + 20]}-{text[at + 20 : at + 32]}"
        for at in range(0, 32 * count, 32)
    ]


os.register_at_fork(after_in_child=_made.clear)  # never the parent's ids in a child
