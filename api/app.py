"""The application factory and the one error handler.

Nothing here reads the environment or opens a store: the caller passes
``settings`` and ``store`` in, so tests build a fresh app on a fresh store.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from policykg import __version__
from policykg.errors import PayloadTooLarge, PolicyKGError
from policykg.settings import Settings
from policykg.store import Store
from policykg.vocab import Minter

__all__ = ["create_app", "AppContext", "PolicyKGApp", "problem_response", "error_response"]

log = logging.getLogger("policykg.api")

PROBLEM_JSON = "application/problem+json"


@dataclass
class AppContext:
    """What every router needs: the settings, the store, the IRI minter, and a cache for lazy objects."""

    settings: Settings
    store: Store
    minter: Minter
    cache: dict[str, Any] = field(default_factory=dict)


def problem_response(status: int, title: str, detail: str, headers: dict[str, str] | None = None,
                     **extra: Any) -> JSONResponse:
    """An RFC 9457 ``application/problem+json`` response."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def error_response(exc: PolicyKGError, settings: Settings | None) -> JSONResponse:
    """The problem+json response for an error of the core hierarchy: its status and problem document;
    503 (a query timeout or a busy pool) carries ``Retry-After`` (the query timeout, in whole seconds);
    401 carries ``WWW-Authenticate: Bearer`` (RFC 9110 §15.5.2, RFC 6750 §3). ``settings`` may be None
    where none is at hand (the body-size middleware's 413)."""
    headers = {}
    if exc.status == 503 and settings is not None:
        headers["Retry-After"] = str(max(1, int(settings.query_timeout_s)))
    if exc.status == 401:  # RFC 9110 §15.5.2 (MUST), with the Bearer scheme of RFC 6750 §3
        headers["WWW-Authenticate"] = 'Bearer realm="policykg"'
    return JSONResponse(exc.problem(), status_code=exc.status, media_type=PROBLEM_JSON, headers=headers)


def for_browsers(request: Request, problem: JSONResponse, ctx: Any) -> Response:
    """``problem`` as an HTML page when a browser asks (a GET or HEAD whose ``Accept`` names
    ``text/html`` and prefers it to JSON, RFC 9110 §12.5.1) for a 404 or 406; the
    problem+json response otherwise. Same status and headers: a person who follows a dead link
    sees a page, a program sees RFC 9457."""
    if request.method not in ("GET", "HEAD") or problem.status_code not in (404, 406):
        return problem
    accept = request.headers.get("accept") or ""
    from .negotiate import choose  # noqa: PLC0415

    if "text/html" not in accept or choose(accept, ["application/problem+json", "application/json",
                                                    "text/html"]) != "text/html":
        return problem
    from .resources import render_html  # noqa: PLC0415

    doc = json.loads(bytes(problem.body))
    body = render_html(ctx, "error", title=str(doc.get("title", "Error")), problem=doc)
    headers = {k: v for k, v in problem.headers.items() if k.lower() not in ("content-type", "content-length")}
    return Response(b"" if request.method == "HEAD" else body, status_code=problem.status_code,
                    media_type="text/html; charset=utf-8", headers={**headers, "Vary": "Accept"})


class BodySizeLimit:
    """ASGI middleware: refuse request bodies over ``max_bytes`` with 413 before any parsing.

    Checks ``Content-Length`` up front and counts streamed chunks for
    chunked bodies (``shared/design/library-pitfalls.md``: Starlette reads
    bodies whole unless limited).
    """

    def __init__(self, app: Any, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared > self.max_bytes:
                    await self._reject(scope, receive, send)
                    return
        seen = 0

        async def limited_receive() -> dict:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise PayloadTooLarge(f"request body over the limit of {self.max_bytes} bytes")
            return message

        await self.app(scope, limited_receive, send)

    async def _reject(self, scope: dict, receive: Any, send: Any) -> None:
        response = error_response(PayloadTooLarge(f"request body over the limit of {self.max_bytes} bytes"),
                                  None)  # the same typed problem as PayloadTooLarge raised further in
        await response(scope, receive, send)


class PolicyKGApp(FastAPI):
    """The FastAPI application, with plain SPARQL GET queries answered ahead of it.

    Each request first meets :class:`api.sparql.SparqlGetFastPath`, which
    answers plain ``GET /sparql?query=...`` requests on the embedded store
    and hands everything else to FastAPI (error handling, CORS, body limit,
    routing). It needs ``app.state.ctx``, which :func:`create_app` sets.
    """

    _fast: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self._fast is None:
            from .sparql import SparqlGetFastPath  # noqa: PLC0415

            cors = any(m.cls is CORSMiddleware for m in self.user_middleware)
            self._fast = SparqlGetFastPath(super().__call__, self.state.ctx, vary_origin=cors)
        await self._fast(scope, receive, send)


def create_app(settings: Settings, store: Store, *,
               curated_reader: Callable[[Path], Any] | None = None) -> FastAPI:
    """Build the FastAPI application serving ``store`` with ``settings``.

    ``curated_reader(path) -> result with .graph and .graph_name`` reads the
    curated-entry templates (CSV/YAML) for ``POST /validate``; the CLI passes
    the loaders' reader in (the API never imports the loaders), and without
    it those media types get 415.

    Routers are mounted in a fixed order; errors of the core hierarchy
    become problem+json with their status; anything unexpected is a logged 500.
    """
    app = PolicyKGApp(
        title="policykg",
        version=__version__,
        description="A knowledge graph of China's climate and energy policies: SPARQL 1.1 endpoint, "
                    "linked data, canned queries and SHACL validation.",
        docs_url=None, redoc_url=None,  # /docs is served below from the bundled Swagger UI (no CDN)
    )

    @app.api_route("/docs", methods=["GET", "HEAD"], include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="policykg API",
                                   swagger_js_url="/static/swagger-ui/swagger-ui-bundle.js",
                                   swagger_css_url="/static/swagger-ui/swagger-ui.css",
                                   swagger_favicon_url="/static/swagger-ui/favicon-32x32.png")

    ctx = AppContext(settings=settings, store=store, minter=Minter(settings.base_iri))
    app.state.ctx = ctx
    if curated_reader is not None:
        ctx.cache["curated_readers"] = {".csv": curated_reader, ".yaml": curated_reader}

    @app.exception_handler(PolicyKGError)
    async def _core_error(request: Request, exc: PolicyKGError) -> Response:
        return for_browsers(request, error_response(exc, settings), ctx)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return for_browsers(request, problem_response(exc.status_code, str(exc.detail), str(exc.detail),
                                                      headers=getattr(exc, "headers", None)), ctx)

    @app.exception_handler(RequestValidationError)
    async def _request_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem_response(422, "Invalid request", "the request parameters are invalid",
                                errors=[{"loc": list(e.get("loc", ())), "msg": e.get("msg")} for e in exc.errors()])

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, ClientDisconnect):  # the client went away mid-body: nobody to answer, not a fault
            log.info("client disconnected during %s %s", request.method, request.url.path)
            return problem_response(400, "Client disconnected", "the request body ended early")
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem_response(500, "Internal server error", "an unexpected error occurred; it has been logged")

    from . import meta, queries, resources, sparql, validate  # noqa: PLC0415

    for module in (sparql, queries, validate, resources, meta):
        build = getattr(module, "build_router", None)
        if build is not None:
            app.include_router(build(ctx))
    sparql.add_cors(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_upload_bytes)
    return app
