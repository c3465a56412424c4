"""Each API's documents: `openapi.json` as written (its `$ref`s kept), with an ETag, and connexion's
Swagger UI over it; both compressed when the client accepts gzip (the UI's static files once, platform/assets.py)."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, Router
from starlette.types import ASGIApp, Receive, Scope, Send

from mockserver.platform.assets import CompressedAssets
from mockserver.platform.spec import LoadedSpec

SPEC_PATH = "/openapi.json"
UI_PATH = "/ui"


class ApiDocs:
    """Answers the paths under `base_path` that are documents, not operations."""

    def __init__(self, spec: LoadedSpec, base_path: str, not_found: ASGIApp) -> None:
        from connexion.middleware.swagger_ui import SwaggerUIMiddleware
        from connexion.options import SwaggerUIOptions

        self.not_found = not_found
        self.spec_path = base_path + SPEC_PATH
        self.ui_prefix = base_path + UI_PATH
        swagger = SwaggerUIMiddleware(not_found)
        # no Schemas section under the operations: rendering every model of Productive's spec (its filter
        # tree above all) cost about 0.4 s of the page's 2.8 s; each operation still shows its own schemas
        ui_options = SwaggerUIOptions(serve_spec=False, swagger_ui_config={"defaultModelsExpandDepth": -1})
        swagger.add_api(spec.resolved, base_path=base_path, swagger_ui_options=ui_options)

        async def document(request: Request) -> Response:
            headers = {"ETag": spec.etag, "Cache-Control": "no-cache"}
            if spec.etag in request.headers.get("if-none-match", ""):
                return Response(status_code=304, headers=headers)
            return Response(spec.document, media_type="application/json", headers=headers)

        self._spec = GZipMiddleware(Router([Route(self.spec_path, document, methods=["GET"])]))
        self._ui = CompressedAssets(swagger, fallback=GZipMiddleware(swagger))

    def serves(self, path: str) -> bool:
        return path == self.spec_path or path == self.ui_prefix or path.startswith(self.ui_prefix + "/")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope = {**scope, "root_path": ""}  # the documents' routes are absolute paths
        if scope["method"] not in ("GET", "HEAD"):
            await self.not_found(scope, receive, send)  # the API's own 404/405, in its envelope
        elif scope["path"] == self.spec_path:
            await self._spec(scope, receive, send)
        else:
            try:
                await self._ui(scope, receive, send)
            except HTTPException:  # a file Swagger UI does not have: raised before anything was sent
                await self.not_found(scope, receive, send)
