"""Productive's JSON:API error documents, each written exactly as the vendor writes it
(productive.yaml `components/examples`).

An `ApiError` carries its error objects in `details`; `document` renders `{"errors": [...]}`.
Statuses are strings (`"409"`), except the word `"unprocessable_entity"` for filter values and the
integer 400 for unsupported filters, sorts and includes (spec: Conventions, decision 10).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from mockserver.platform.errors import ApiError

ErrorObject = dict[str, Any]

TITLES = {413: "Payload Too Large", 409: "Conflict error"}


def title(status: int) -> str:
    return TITLES.get(status) or HTTPStatus(status).phrase


def document(error: ApiError) -> dict[str, list[ErrorObject]]:
    """Errors raised by the platform (413, 500, …) carry no objects: they get the generic one."""
    return {"errors": error.details or [plain(error.status, error.message)]}


def plain(status: int, detail: str) -> ErrorObject:
    return {"status": str(status), "title": title(status), "detail": detail}


def failure(status: int, objects: list[ErrorObject]) -> ApiError:
    first = objects[0]
    detail = str(first.get("detail", first["title"]))
    return ApiError(status, first.get("code") or first["title"], detail, details=objects)


def error(status: int, detail: str) -> ApiError:
    return failure(status, [plain(status, detail)])


def bad_request(detail: str) -> ErrorObject:
    return plain(400, detail)


def unsupported(kind: str, name: str) -> ErrorObject:
    """`kind` is Filter, Sort or Include [spec decision 10]."""
    return {
        "status": 400,
        "title": f"Unsupported {kind}",
        "detail": f"{kind} '{name}' is not supported on this endpoint",
    }


def unsupported_filter_value(parameter: str, name: str, value: Any, expected: str) -> ErrorObject:
    """productive.yaml example `ListUnsupportedFilterValueTypeResponse`: GET /time_entries?filter[after]=10/21/19."""
    return {
        "status": "unprocessable_entity",
        "code": "unsupported_filter_value_type",
        "title": "Unsupported filter value type",
        "detail": f"Unsupported value '{value}' for filter '{name}' on this endpoint. "
        f"Expected a value of type '{expected}'",
        "source": {"parameter": parameter},
    }


def invalid_attribute(name: str, *details: str) -> ApiError:
    """A blank date (productive.yaml example `BlankDateResponse`): one error per failed rule, each pointing at the
    attribute."""
    return failure(
        422,
        [
            {
                "status": "422",
                "code": "invalid_attribute",
                "title": "Invalid Attribute",
                "detail": detail,
                "source": {"pointer": f"data/attributes/{name}"},
            }
            for detail in details
        ],
    )


def conflict(code: str) -> ApiError:
    """productive.yaml example `AlreadyApprovedConflict`: PATCH /time_entries/343/reject on an approved entry."""
    return failure(409, [{"status": "409", "code": code, "title": "Conflict error", "source": {}}])


def id_conflict() -> ApiError:
    """JSON:API: an `id` in the document that is not the URL's [spec decision 16]."""
    return failure(
        409,
        [
            {
                "status": "409",
                "title": "Conflict error",
                "detail": "The id in the body does not match the id in the URL",
                "source": {"pointer": "data/id"},
            }
        ],
    )


def record_not_found() -> ApiError:
    return error(404, "Record not found")


def related_not_found(relationship: str) -> ApiError:
    """[spec decision 3] a person, service or task that is not the organization's."""
    return failure(
        404,
        [{**plain(404, "Related record not found"), "source": {"pointer": f"data/relationships/{relationship}"}}],
    )
