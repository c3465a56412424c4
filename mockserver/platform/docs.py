"""Each API's documents: `openapi.json` as written (its `$ref`s kept), with an ETag, and connexion's
Swagger UI over it; both compressed when the client accepts gzip (the UI's static files once, platform/assets.py).

Swagger UI is built at its first request, on a worker thread: it imports connexion, a third of a start,
which a server that is never asked for its UI need not pay, and the other requests go on meanwhile.
"""

from __future__ import annotations

import asyncio
import threading

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
        self.not_found = not_found
        self.spec = spec
        self.base_path = base_path
        self.spec_path = base_path + SPEC_PATH
        self.ui_prefix = base_path + UI_PATH
        self._ui: ASGIApp | None = None
        self._building = threading.Lock()

        async def document(request: Request) -> Response:
            headers = {"ETag": spec.etag, "Cache-Control": "no-cache"}
            if spec.etag in request.headers.get("if-none-match", ""):
                return Response(status_code=304, headers=headers)
            return Response(spec.document, media_type="application/json", headers=headers)

        self._spec = GZipMiddleware(Router([Route(self.spec_path, document, methods=["GET"])]))

    def swagger_ui(self) -> ASGIApp:
        """connexion's Swagger UI for the API, built once (by whichever request asks first)."""
        with self._building:
            if self._ui is None:
                from connexion.middleware.swagger_ui import SwaggerUIMiddleware
                from connexion.options import SwaggerUIOptions

                swagger = SwaggerUIMiddleware(self.not_found)
                # no Schemas section under the operations: rendering every model of Productive's spec (its
                # filter tree above all) cost about 0.4 s of the page's 2.8 s; each operation still shows its
                # own schemas
                options = SwaggerUIOptions(serve_spec=False, swagger_ui_config={"defaultModelsExpandDepth": -1})
                swagger.add_api(self.spec.specification(), base_path=self.base_path, swagger_ui_options=options)
                self._ui = CompressedAssets(swagger, fallback=GZipMiddleware(swagger))
            return self._ui

    def serves(self, path: str) -> bool:
        return path == self.spec_path or path == self.ui_prefix or path.startswith(self.ui_prefix + "/")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope = {**scope, "root_path": ""}  # the documents' routes are absolute paths
        if scope["method"] not in ("GET", "HEAD"):
            await self.not_found(scope, receive, send)  # the API's own 404/405, in its envelope
        elif scope["path"] == self.spec_path:
            await self._spec(scope, receive, send)
        else:
            ui = self._ui if self._ui is not None else await asyncio.to_thread(self.swagger_ui)
            try:
                await ui(scope, receive, send)
            except HTTPException:  # a file Swagger UI does not have: raised before anything was sent
                await self.not_found(scope, receive, send)
