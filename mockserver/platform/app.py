"""One connexion app per vendor, with every stage of the pipeline wired in order."""

from __future__ import annotations

import functools
import logging
from typing import Any

import connexion
from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from connexion.middleware import MiddlewarePosition
from connexion.resolver import Resolver
from starlette.exceptions import HTTPException

from mockserver import SPECS_DIR
from mockserver.platform.errors import ApiError, InputError, Violation
from mockserver.platform.limits import BodyLimitMiddleware
from mockserver.platform.replies import encode_json, to_response
from mockserver.platform.security import security_map
from mockserver.platform.validation import VALIDATOR_MAP
from mockserver.platform.vendor import Handler, Vendor

log = logging.getLogger("mockserver")


def build_vendor_app(vendor: Vendor) -> connexion.AsyncApp:
    handlers = vendor.handlers()
    app = connexion.AsyncApp(__name__)
    app.add_api(
        SPECS_DIR / vendor.spec_file,
        base_path=vendor.base_path,
        resolver=Resolver(function_resolver=lambda operation_id: _endpoint(vendor, handlers[operation_id])),
        strict_validation=vendor.strict_validation,
        validator_map=VALIDATOR_MAP,
        security_map=security_map(vendor),
    )
    app.add_middleware(BodyLimitMiddleware, position=MiddlewarePosition.BEFORE_VALIDATION)
    render = _renderer(vendor)
    app.add_error_handler(ApiError, render)
    app.add_error_handler(InputError, lambda request, exc: render(request, vendor.input_error(exc)))
    app.add_error_handler(ProblemException, lambda request, exc: render(request, _from_problem(vendor, exc)))
    app.add_error_handler(HTTPException, lambda request, exc: render(request, _from_http(vendor, request, exc)))
    app.add_error_handler(Exception, lambda request, exc: render(request, _internal(exc)))
    return app


def _endpoint(vendor: Vendor, handler: Handler) -> Handler:
    """The handler, its reply encoded in the vendor's media type, the store saved before answering."""

    @functools.wraps(handler)
    async def endpoint(*args: Any, **kwargs: Any) -> Any:
        try:
            reply = await handler(*args, **kwargs)
        finally:
            vendor.store.flush()
        return to_response(reply, vendor.media_type)

    return endpoint


def _renderer(vendor: Vendor):
    def render(request: ConnexionRequest, error: ApiError) -> ConnexionResponse:
        return ConnexionResponse(
            status_code=error.status,
            mimetype=vendor.media_type,
            body=encode_json(vendor.error_body(error)),
            headers=error.headers,
        )

    return render


def _from_problem(vendor: Vendor, problem: ProblemException) -> ApiError:
    detail = str(problem.detail or problem.title or "")
    if problem.status == 400:  # connexion's own check: a required body that is missing
        return vendor.input_error(InputError([Violation("body", (), "is required", "required")]))
    return vendor.framework_error(problem.status, detail)


def _from_http(vendor: Vendor, request: ConnexionRequest, exc: HTTPException) -> ApiError:
    """No route (404) or no such method on it (405, with its `Allow` header)."""
    what = "operation" if exc.status_code == 405 else "endpoint"
    message = f"No {what} {request.method} {request.url.path} in this API."
    return vendor.framework_error(exc.status_code, message).with_headers(dict(exc.headers or {}))


def _internal(exc: Exception) -> ApiError:
    log.exception("unhandled error", exc_info=exc)
    return ApiError(500, "internal_error", "The fake failed unexpectedly; this is a bug in mockserver.")
