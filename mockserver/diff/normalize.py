"""What may legitimately differ between two implementations: generated ids, timestamps, their own origin.

Two targets agree on ids when they pair up one to one: wherever A answers its id X, B answers the
same id Y, whatever the values X and Y are.
"""

from __future__ import annotations

import re
from typing import Any

UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
VENDOR_ID = re.compile(r"^[a-z]{2,5}_[a-z0-9]{24}$")  # Contracting's prefixed ids: tsh_…, prj_…
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$")


def is_id_key(key: str) -> bool:
    return key == "id" or key.endswith("Id") or key.endswith("_id")


def is_id(value: Any, key: str) -> bool:
    if isinstance(value, bool) or value is None or value == "":
        return False
    if isinstance(value, str) and (UUID.match(value) or VENDOR_ID.match(value)):
        return True
    return is_id_key(key) and isinstance(value, str | int)


def is_timestamp(value: Any) -> bool:
    return isinstance(value, str) and bool(DATE_TIME.match(value))


class IdPairing:
    """A's ids and B's, paired one to one over a whole scenario."""

    def __init__(self) -> None:
        self._a_to_b: dict[str, str] = {}
        self._b_to_a: dict[str, str] = {}

    def agree(self, a: Any, b: Any) -> bool:
        a, b = str(a), str(b)
        if a in self._a_to_b or b in self._b_to_a:
            return self._a_to_b.get(a) == b and self._b_to_a.get(b) == a
        self._a_to_b[a] = b
        self._b_to_a[b] = a
        return True


def without_origin(value: Any, origin: str) -> Any:
    if isinstance(value, dict):
        return {key: without_origin(item, origin) for key, item in value.items()}
    if isinstance(value, list):
        return [without_origin(item, origin) for item in value]
    if isinstance(value, str) and origin and origin in value:
        return value.replace(origin, "<origin>")
    return value


def shape(value: Any) -> Any:
    """The structure without the values: keys, list item shapes, JSON types."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in sorted(value.items())}
    if isinstance(value, list):
        shapes = []
        for item in value:
            if shape(item) not in shapes:
                shapes.append(shape(item))
        return shapes
    if value is None:
        return "null"
    return type(value).__name__
