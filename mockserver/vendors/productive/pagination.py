"""`page[number]`/`page[size]`, and the list's `meta` and `links` exactly as the vendor shows them
[productive.yaml decision 12]."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

DEFAULT_NUMBER = 1
DEFAULT_SIZE = 30
MAX_PAGE_SIZE = 200  # a larger size is answered as 200
PAGE_KEYS = ("page[number]", "page[size]")


@dataclass(frozen=True)
class Page:
    number: int
    size: int

    @classmethod
    def of(cls, raw: dict[str, Any] | None) -> Page:
        raw = raw or {}
        return cls(raw.get("number", DEFAULT_NUMBER), min(raw.get("size", DEFAULT_SIZE), MAX_PAGE_SIZE))

    @property
    def start(self) -> int:
        return (self.number - 1) * self.size

    def total_pages(self, total_count: int) -> int:
        return -(-total_count // self.size)

    def meta(self, total_count: int) -> dict[str, int]:
        return {
            "current_page": self.number,
            "total_pages": self.total_pages(total_count),
            "total_count": total_count,
            "page_size": self.size,
            "max_page_size": MAX_PAGE_SIZE,
        }

    def links(self, url: str, query: list[tuple[str, str]], total_count: int) -> dict[str, str]:
        """`first` and `last` always (`last` is page 0 when nothing matches); `prev` and `next` when
        that page exists."""
        last = self.total_pages(total_count)
        links = {"first": _link(url, query, 1, self.size)}
        if 1 <= self.number - 1 <= last:
            links["prev"] = _link(url, query, self.number - 1, self.size)
        if self.number + 1 <= last:
            links["next"] = _link(url, query, self.number + 1, self.size)
        links["last"] = _link(url, query, last, self.size)
        return links


def _link(url: str, query: list[tuple[str, str]], number: int, size: int) -> str:
    """The request's own parameters with the page set, each `key=value` percent-encoded and the
    pairs sorted, as Rails' `to_query` writes them: `filter%5Bafter%5D=2019-10-21&page%5Bnumber%5D=1`."""
    pairs = [(key, value) for key, value in query if key not in PAGE_KEYS]
    pairs += [("page[number]", str(number)), ("page[size]", str(size))]
    return (
        url + "?" + "&".join(sorted(f"{quote_plus(key, safe='')}={quote_plus(value, safe='')}" for key, value in pairs))
    )
