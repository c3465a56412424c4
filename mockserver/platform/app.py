"""One connexion app per vendor, with every stage of the pipeline wired in order."""

from __future__ import annotations

import copy
import functools
import logging
import re
from pathlib import Path
from typing import Any

import connexion
import yaml
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
    spec = load_spec(vendor.spec_file)
    app.add_api(
        copy.deepcopy(spec),  # connexion resolves references in place
        base_path=vendor.base_path,
        resolver=Resolver(function_resolver=lambda operation_id: _endpoint(vendor, handlers[operation_id])),
        strict_validation=vendor.strict_validation,
        validator_map=VALIDATOR_MAP,
        security_map=security_map(vendor),
    )
    app.add_middleware(BodyLimitMiddleware, position=MiddlewarePosition.BEFORE_VALIDATION)
    render = _renderer(vendor)
    app.add_error_handler(ApiError, render)
    app.add_error_handler(ProblemException, lambda request, exc: render(request, _from_problem(vendor, exc)))
    routes = _route_methods(vendor, spec)
    app.add_error_handler(InputError, lambda request, exc: render(request, _from_input(vendor, routes, request, exc)))
    app.add_error_handler(HTTPException, lambda request, exc: render(request, _from_http(vendor, routes, request, exc)))
    app.add_error_handler(Exception, lambda request, exc: render(request, _internal(exc)))
    return app


def _endpoint(vendor: Vendor, handler: Handler) -> Handler:
    """The handler, its reply encoded in the vendor's media type, the store saved before answering."""

    @functools.wraps(handler)
    async def endpoint(*args: Any, **kwargs: Any) -> Any:
        try:
            reply = await handler(*args, **kwargs)
        finally:
            await vendor.store.commit()
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


def _from_input(
    vendor: Vendor, routes: list[tuple[re.Pattern[str], str]], request: ConnexionRequest, exc: InputError
) -> ApiError:
    """Input errors, except for a path that is another operation's: `GET /time_entries/bulk_approve`
    reaches `GET /time_entries/{id}` only because the static path has no GET, and that is a 405."""
    allowed = _allowed(routes, request.url.path)
    if allowed is not None and request.method not in allowed.split(", "):
        message = f"No operation {request.method} {request.url.path} in this API."
        return vendor.framework_error(405, message).with_headers({"Allow": allowed})
    return vendor.input_error(exc)


def _allowed(routes: list[tuple[re.Pattern[str], str]], path: str) -> str | None:
    """The `Allow` value of the first spec path that matches, as the router tries them."""
    return next((methods for pattern, methods in routes if pattern.fullmatch(path)), None)


def _from_http(
    vendor: Vendor, routes: list[tuple[re.Pattern[str], str]], request: ConnexionRequest, exc: HTTPException
) -> ApiError:
    """No route (404) or no such method on it (405, with its `Allow` header)."""
    what = "operation" if exc.status_code == 405 else "endpoint"
    message = f"No {what} {request.method} {request.url.path} in this API."
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        # starlette names the methods of one operation only; the path's are all of its operations
        headers["Allow"] = _allowed(routes, request.url.path) or headers.get("Allow", "")
    return vendor.framework_error(exc.status_code, message).with_headers(headers)


HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def load_spec(name: str) -> dict[str, Any]:
    """The spec under specs/, parsed once per process with libyaml: every server built in the test
    suite would otherwise parse it again in pure Python (a third of a second for the largest)."""
    path = SPECS_DIR / name
    return _parsed_spec(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _parsed_spec(path: Path, modified: int) -> dict[str, Any]:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _route_methods(vendor: Vendor, spec: dict[str, Any]) -> list[tuple[re.Pattern[str], str]]:
    """Each spec path as a pattern under the base path, with its `Allow` value, in routing order."""
    routes = []
    for template, item in spec.get("paths", {}).items():
        methods = [method.upper() for method in HTTP_METHODS if method in item]
        if "GET" in methods and "HEAD" not in methods:
            methods.append("HEAD")  # starlette answers HEAD wherever GET is served
        pattern = re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(vendor.base_path + template))
        routes.append((re.compile(pattern), ", ".join(methods)))
    return routes


def _internal(exc: Exception) -> ApiError:
    log.exception("unhandled error", exc_info=exc)
    return ApiError(500, "internal_error", "The fake failed unexpectedly; this is a bug in mockserver.")
