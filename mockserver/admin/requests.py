"""Journal queries: `GET /__admin/requests` and `/count` with filters, combined with AND.

`api`, `method`, `status` (`404`, or a class such as `4xx`), `reason` match exactly; `path` is the
full path, the path below the API's base path, or a spec template of it (`/time_entries/{id}`);
`since` keeps the entries after an entry id or after a date-time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime

from mockserver.admin.http import bad_request
from mockserver.platform.journal import Entry

FILTERS = ("api", "method", "path", "status", "reason", "since")

Predicate = Callable[[Entry], bool]


def parse_filters(query: Iterable[tuple[str, str]]) -> list[Predicate]:
    seen: dict[str, str] = {}
    for name, value in query:
        if name not in FILTERS:
            raise bad_request(f"unknown filter '{name}' (filters: {', '.join(FILTERS)})")
        if name in seen:
            raise bad_request(f"the filter '{name}' is given twice")
        seen[name] = value
    return [_PARSERS[name](value) for name, value in seen.items()]


def select(entries: Iterable[Entry], predicates: list[Predicate]) -> list[Entry]:
    return [entry for entry in entries if all(predicate(entry) for predicate in predicates)]


def _api(value: str) -> Predicate:
    return lambda entry: entry.api == value


def _method(value: str) -> Predicate:
    method = value.upper()
    return lambda entry: entry.method == method


def _path(value: str) -> Predicate:
    if not value.startswith("/"):
        raise bad_request(f"the path filter '{value}' must start with '/'")
    pattern = re.compile(re.sub(r"\\\{[^/]*?\\\}", "[^/]+", re.escape(value)))
    return lambda entry: bool(pattern.fullmatch(entry.relative_path) or pattern.fullmatch(entry.path))


def _status(value: str) -> Predicate:
    if re.fullmatch(r"[1-5]xx", value, re.IGNORECASE):
        first = int(value[0])
        return lambda entry: entry.status is not None and entry.status // 100 == first
    if not re.fullmatch(r"[1-5][0-9][0-9]", value):
        raise bad_request(f"the status filter '{value}' is not an HTTP status (e.g. 404) or class (e.g. 4xx)")
    status = int(value)
    return lambda entry: entry.status == status


def _reason(value: str) -> Predicate:
    return lambda entry: entry.reason == value


def _since(value: str) -> Predicate:
    if value.isdigit() and len(value) <= 18:
        after = int(value)
        return lambda entry: entry.id > after
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise bad_request(f"since '{value}' is neither an entry id nor a date-time with an offset (…Z, …+02:00)")
    return lambda entry: entry.time > moment


_PARSERS: Mapping[str, Callable[[str], Predicate]] = {
    "api": _api,
    "method": _method,
    "path": _path,
    "status": _status,
    "reason": _reason,
    "since": _since,
}
