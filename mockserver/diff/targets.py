"""An implementation under comparison, reached over HTTP at its base URL."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests

RESET_PATH = "/__admin/reset"


@dataclass
class Target:
    base_url: str
    session: requests.Session = field(default_factory=requests.Session, repr=False)

    @property
    def origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    def call_kwargs(self) -> dict[str, Any]:
        return {"base_url": self.base_url, "session": self.session}

    def reset(self) -> bool:
        """Back to the starting state through the admin API; False when the target has none."""
        try:
            return self.session.post(self.origin + RESET_PATH, timeout=10).status_code == 204
        except requests.RequestException:
            return False
