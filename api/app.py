"""The application factory, the one error handler, and the problem type pages.

Nothing here reads the environment or opens a store: the caller passes
``settings`` and ``store`` in, so tests build a fresh app on a fresh store.
Error answers are RFC 9457 problem documents; their ``type`` URIs dereference
to ``/problems/{Name}`` (RFC 9457 §3.1.1), pages generated from
:mod:`policykg.errors`. A 405 lists in ``Allow`` every method of the path
(RFC 9110 §15.5.6), and a negotiated 404/406 carries ``Vary: Accept`` in both
its variants (RFC 9110 §12.5.5).
"""

from __future__ import annotations

import asyncio
import copy
import inspect
import json
import logging
import math
import re
import threading
from dataclasses import dataclass, field
from typing import Any, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from policykg import __version__
from policykg.errors import (MethodNotAllowed, NotAcceptable, NotFound, ParameterError, PayloadTooLarge,
                             PolicyKGError)
from policykg.querypool import QUERY_CLIENT, PooledReads, client_key
from policykg.rdfio import show_invisible
from policykg.settings import Settings
from policykg.store import Store
from policykg.vocab import Minter

from .sparql import QUERY_PATHS, REQUEST_PEER, RequestPeer
from .summaries import Summaries

__all__ = ["create_app", "AppContext", "PolicyKGApp", "problem_response", "error_response", "allowed_methods",
           "problem_types", "PROBLEM_TYPE_BASE", "PROBLEM_TYPE_PATH", "FRAMEWORK_PROBLEMS",
           "VaryAccept", "NEGOTIATED_PATHS"]

log = logging.getLogger("policykg.api")

PROBLEM_JSON = "application/problem+json"


_SUMMARIES_LOCK = threading.Lock()


@dataclass
class AppContext:
    """What every router needs: the settings, the store, the IRI minter, and a cache for lazy objects."""

    settings: Settings
    store: Store
    minter: Minter
    cache: dict[str, Any] = field(default_factory=dict)

    def page_reads(self) -> PooledReads:
        """The store's reads for one page's scanning queries (lists, statistics, aggregates), answered
        in the pages' query pool (:func:`api.sparql.get_page_pool`) and stopped at ``query_timeout_s``
        for the page as a whole (:class:`PooledReads`): in the server process such a query could not be
        stopped."""
        from .sparql import get_page_pool  # noqa: PLC0415 - api.sparql imports this module's siblings

        return PooledReads(self.store, get_page_pool(self), self.settings.query_timeout_s)

    def summary_reads(self) -> PooledReads:
        """The store's reads for one background aggregate (:mod:`api.summaries`): in the aggregates' own query
        pool (:func:`api.sparql.get_summary_pool`), stopped at ``summary_timeout_s`` for the aggregate as a
        whole; on a remote store, with that as the HTTP timeout."""
        from policykg.remote import RemoteStore  # noqa: PLC0415

        from .sparql import get_summary_pool  # noqa: PLC0415 - api.sparql imports this module's siblings

        store = self.store
        if isinstance(store, RemoteStore):  # no pool: the HTTP timeout is the limit
            store = copy.copy(store)
            store.timeout_s = float(self.settings.summary_timeout_s)
        return PooledReads(store, get_summary_pool(self), self.settings.summary_timeout_s,
                           f"the aggregate's queries ran past POLICYKG_SUMMARY_TIMEOUT_S "
                           f"({self.settings.summary_timeout_s:g} s)")

    @property
    def summaries(self) -> Summaries:
        """The application's background aggregates (:class:`api.summaries.Summaries`); a page waits for them
        5 s at most (on the sample, the first page's wait, query workers' start included, is 1 to 3 s), the
        sitemap, VoID and the dumps up to the query time limit."""
        found = self.cache.get("summaries")
        if found is None:
            with _SUMMARIES_LOCK:
                found = self.cache.get("summaries")
                if found is None:
                    found = self.cache["summaries"] = Summaries(self.store.data_version, wait_s=5.0)
                    import atexit  # noqa: PLC0415
                    import weakref  # noqa: PLC0415

                    atexit.register(found.close)  # the server's shutdown ends a dumps' child process too
                    weakref.finalize(self, found.close)  # and so does an app dropped by a test
        return found


def problem_response(status: int, title: str, detail: str, headers: dict[str, str] | None = None,
                     **extra: Any) -> JSONResponse:
    """An RFC 9457 ``application/problem+json`` response."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def error_response(exc: PolicyKGError, settings: Settings | None) -> JSONResponse:
    """The problem+json response for an error of the core hierarchy: its status and problem document;
    503 (a query timeout or a busy pool) and 429 (a client's own queries hold its workers) carry
    ``Retry-After`` (the query timeout, in whole seconds, or the error's own ``retry_after_s``);
    401 carries ``WWW-Authenticate: Bearer`` (RFC 9110 §15.5.2, RFC 6750 §3). ``settings`` may be None
    where none is at hand (the body-size middleware's 413)."""
    headers = {}
    if exc.status in (429, 503) and settings is not None:
        custom = getattr(exc, "retry_after_s", None)  # NotReady's estimate, when it has one
        headers["Retry-After"] = str(max(1, math.ceil(custom) if custom is not None else int(settings.query_timeout_s)))
    if exc.status == 401:  # RFC 9110 §15.5.2 (MUST), with the Bearer scheme of RFC 6750 §3
        headers["WWW-Authenticate"] = 'Bearer realm="policykg"'
    problem = exc.problem()
    if isinstance(problem.get("detail"), str):  # input quoted in a message: an invisible U+FEFF shown as <U+FEFF>
        problem["detail"] = show_invisible(problem["detail"])
    return JSONResponse(problem, status_code=exc.status, media_type=PROBLEM_JSON, headers=headers)


def for_browsers(request: Request, problem: JSONResponse, ctx: Any) -> Response:
    """``problem`` as an HTML page when a browser asks (a GET or HEAD whose ``Accept`` names
    ``text/html`` and prefers it to JSON, RFC 9110 §12.5.1) for a 404, a 406, a parameter refused (400, 422:
    ``/policies?year=20x5``), or a page past its time limit or its client's share of the query workers (503,
    429: pages run their scanning queries there), or
    when a request whose route chose HTML by its own negotiation (``request.state.problem_page``: ``POST
    /validate`` asking for its report in HTML) is refused (400, 413, 415); the problem+json response
    otherwise. Same status and headers: a person who follows a dead link
    sees a page, a program sees RFC 9457. Both variants of such a negotiated answer carry
    ``Vary: Accept`` (RFC 9110 §12.5.5), or a shared cache would hand a stored problem+json 404
    (heuristically cacheable, RFC 9111 §4.2.2) to a browser."""
    # a route that answered in HTML by Accept (POST /validate's report, for a curator's browser) set
    # request.state.problem_page: its refusals of an entry (wrong cells, a body too large or of an unread type)
    # come as a page too
    asked = getattr(request.state, "problem_page", False) and problem.status_code in (400, 413, 415, 422, 429, 503)
    if not asked and (request.method not in ("GET", "HEAD")
                      or problem.status_code not in (400, 404, 406, 422, 429, 503)):
        return problem
    vary = [v.strip() for v in problem.headers.get("vary", "").split(",") if v.strip()]
    if "accept" not in {v.lower() for v in vary}:
        problem.headers["Vary"] = ", ".join([*vary, "Accept"])
    accept = request.headers.get("accept") or ""
    from .negotiate import choose  # noqa: PLC0415

    if not asked and ("text/html" not in accept or choose(accept, ["application/problem+json", "application/json",
                                                                   "text/html"]) != "text/html"):
        return problem
    from .resources import render_html  # noqa: PLC0415

    doc = json.loads(bytes(problem.body))
    form_values = getattr(request.state, "validate_form", None) if asked else None
    if form_values is not None:  # a refused form of GET /validate: the form again, filled in, to correct
        from api.validate import validate_page  # noqa: PLC0415

        body = validate_page(ctx, str(doc.get("title", "Error")), problem=doc, values=form_values)
    else:
        body = render_html(ctx, "error", title=str(doc.get("title", "Error")), problem=doc, entries=asked,
                           form=_canned_form(request, ctx) if problem.status_code in (400, 404, 422) else "")
    headers = {k: v for k, v in problem.headers.items() if k.lower() not in ("content-type", "content-length")}
    return Response(b"" if request.method == "HEAD" else body, status_code=problem.status_code,
                    media_type="text/html; charset=utf-8", headers=headers)


def _canned_form(request: Request, ctx: Any) -> str:
    """For a refused ``GET /api/queries/{name}`` (a name the graph lacks, a mistyped or missing parameter):
    the query's form filled in with what was asked (``format`` and ``offset`` left out), so that a person
    who sent it from a browser corrects it in place; "" for any other path. No choices are read from the
    store here (:func:`api.queries.form_model` with none): the error page stays cheap."""
    from .queries import form_model, html_page_rows, macro  # noqa: PLC0415

    prefix = "/api/queries/"
    query = ctx.cache.get("canned_queries", {}).get(request.url.path[len(prefix):]) \
        if request.url.path.startswith(prefix) else None
    if query is None:
        return ""
    values = {k: v for k, v in request.query_params.items() if k not in ("format", "offset")}
    return str(macro(ctx, "rerun_form")(form_model(query, {}), values, html_page_rows(ctx.settings), True))


#: The order methods are listed in ``Allow`` (RFC 9110 §9.3 order).
_METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH")


def allowed_methods(app: FastAPI, scope: dict) -> list[str]:
    """Every method some route of ``app`` answers on the request's path, for the ``Allow`` header of a 405
    and of an ``OPTIONS`` answer; ``[]`` when no route has the path.

    Each method is its own route here (``resources.get_and_head``, the ``/sparql`` GET and POST), and
    Starlette's 405 names only the methods of the first route whose path matches; RFC 9110 §15.5.6 and
    §10.2.1 say ``Allow`` lists the methods the target resource supports. HEAD is listed wherever GET
    is (RFC 9110 §9.1: a general-purpose server supports HEAD wherever GET is).
    """
    from starlette.routing import Match  # noqa: PLC0415

    # Each method is tried on the app's routes (included routers match as a whole, BaseRoute.matches).
    methods = [m for m in _METHOD_ORDER
               if any(route.matches({**scope, "method": m})[0] == Match.FULL for route in app.router.routes)]
    if "GET" in methods and "HEAD" not in methods:
        methods.insert(methods.index("GET") + 1, "HEAD")
    if methods and "OPTIONS" not in methods:  # answered on every path that has a route (RFC 9110 §9.3.7)
        methods.append("OPTIONS")
    return methods


_ROLE = re.compile(r":[a-z]+:`~?([^`]+)`")


def _plain(text: str) -> str:
    """A docstring paragraph as plain text: reST roles and literals unwrapped, lines joined."""
    text = _ROLE.sub(lambda m: m.group(1).rsplit(".", 1)[-1], text)
    return " ".join(text.replace("``", "").split())


def problem_types() -> dict[str, dict[str, Any]]:
    """The problem types of :mod:`policykg.errors`, by name: ``{name: {"type", "title", "status",
    "summary", "description": [paragraphs], "parent": name | None, "href"}}``.

    Read from the error hierarchy itself (every :class:`PolicyKGError` class in ``errors.__all__``, its
    ``problem()`` type URI, ``title``, ``status`` and docstring), so the pages never disagree with the
    problem documents the API sends (RFC 9457 §3.1.1: a type URI should dereference to
    human-readable documentation of the problem type).
    """
    from policykg import errors  # noqa: PLC0415

    out: dict[str, dict[str, Any]] = {}
    for name in errors.__all__:
        cls = getattr(errors, name)
        if not (isinstance(cls, type) and issubclass(cls, PolicyKGError)):
            continue
        uri = cls("documentation").problem()["type"]
        if not uri.startswith(PROBLEM_TYPE_BASE):
            continue
        slug = uri[len(PROBLEM_TYPE_BASE):]
        doc = inspect.getdoc(cls) or cls.title
        paragraphs = [_plain(p) for p in doc.split("\n\n") if p.strip() and not p.lstrip().startswith("Class tree")]
        parent = next((b.__name__ for b in cls.__mro__[1:] if isinstance(b, type) and issubclass(b, PolicyKGError)),
                      None)
        out[slug] = {"name": slug, "type": uri, "title": cls.title, "status": cls.status, "summary": paragraphs[0],
                     "description": paragraphs, "parent": parent, "href": f"{PROBLEM_TYPE_PATH}{slug}"}
    return out


#: Where the problem type URIs of :mod:`policykg.errors` live: under the project's persistent base
#: ``https://w3id.org/policykg/``, which (as for ``/id``, ``/dataset``, ``/ontology``) this server maps to
#: its own paths: ``{PROBLEM_TYPE_BASE}X`` is served at ``{PROBLEM_TYPE_PATH}X``.
PROBLEM_TYPE_BASE = PolicyKGError("documentation").problem()["type"].rsplit("/", 1)[0] + "/"
PROBLEM_TYPE_PATH = "/problems/"
#: Representations of a problem type page, in server order: HTML first (the documentation RFC 9457
#: §3.1.1 asks for is for people), then a JSON summary for programs.
_PROBLEM_OFFERS = ["text/html", "application/json"]


def _problems_router(ctx: AppContext) -> Any:
    """``GET|HEAD /problems`` (the list) and ``/problems/{name}`` (one type), negotiated (RFC 9110 §12.5.1)
    between HTML and JSON with ``Vary: Accept``; 406 when neither fits, 404 for an unknown type."""
    from fastapi import APIRouter  # noqa: PLC0415

    from .negotiate import choose  # noqa: PLC0415
    from .resources import get_and_head, render_html  # noqa: PLC0415

    router = APIRouter(tags=["site"])
    types = problem_types()
    declared = {200: {"content": {t: {} for t in _PROBLEM_OFFERS}},
                406: {"description": "neither HTML nor JSON is acceptable (problem+json)"}}

    def answer(request: Request, html: Callable[[], bytes], data: Any) -> Response:
        chosen = choose(request.headers.get("accept"), _PROBLEM_OFFERS)
        if chosen is None:
            raise NotAcceptable("problem types are documented as " + ", ".join(_PROBLEM_OFFERS))
        body = html() if chosen == "text/html" else json.dumps(data, indent=1, ensure_ascii=False).encode("utf-8")
        headers = {"Vary": "Accept", "Cache-Control": "public, max-age=86400"}  # changes only with the code
        if request.method == "HEAD":
            headers["Content-Length"] = str(len(body))
            body = b""
        media = "text/html; charset=utf-8" if chosen == "text/html" else "application/json"
        return Response(body, media_type=media, headers=headers)

    def public(t: dict[str, Any]) -> dict[str, Any]:
        parent = types.get(t["parent"]) if t["parent"] else None
        return {"type": t["type"], "title": t["title"], "status": t["status"], "description": " ".join(t["description"]),
                "subtypeOf": parent["type"] if parent else None}

    @get_and_head(router, PROBLEM_TYPE_PATH.rstrip("/"), summary="The problem types of error answers (RFC 9457)",
                  responses=declared)
    def problem_list(request: Request) -> Response:
        listed = sorted(types.values(), key=lambda t: (t["status"], t["name"]))
        return answer(request, lambda: render_html(ctx, "problem", title="Problem types", problem=None,
                                                   problems=listed), [public(t) for t in listed])

    @get_and_head(router, PROBLEM_TYPE_PATH + "{name}", summary="One problem type (RFC 9457 §3.1.1)",
                  responses={**declared, 404: {"description": "no such problem type (problem+json)"}})
    def problem_type(name: str, request: Request) -> Response:
        t = types.get(name)
        if t is None:
            raise NotFound(f"no problem type {PROBLEM_TYPE_BASE}{name}")
        parent = types.get(t["parent"]) if t["parent"] else None
        children = [c for c in types.values() if c["parent"] == name]
        page = {**t, "parent": parent, "children": children}
        return answer(request, lambda: render_html(ctx, "problem", title=t["title"], problem=page, problems=[]),
                      public(t))

    return router


#: Starlette's own error statuses -> the problem type they are answered with, so that every problem
#: document the API sends has a ``type`` under ``/problems/`` (RFC 9457 §3.1.1) rather than ``about:blank``.
FRAMEWORK_PROBLEMS: dict[int, type[PolicyKGError]] = {404: NotFound, 405: MethodNotAllowed}


def _framework_detail(request: Request, status: int, headers: dict[str, str] | None) -> str:
    """The ``detail`` of a Starlette 404/405: what was asked for and, for 405, what is allowed."""
    path = request.url.path
    if status == 405:
        allow = (headers or {}).get("Allow", "")
        return f"{request.method} is not allowed on {path}" + (f"; use {allow}" if allow else "")
    return f"nothing is served at {path}"


#: Paths whose answers are chosen by ``Accept`` in handlers that do not say so themselves: their
#: responses get ``Accept`` added to ``Vary`` (:class:`VaryAccept`).
NEGOTIATED_PATHS = frozenset({"/validate", "/merge"})


class VaryAccept:
    """ASGI middleware: add ``Accept`` to the ``Vary`` header of every response to :data:`NEGOTIATED_PATHS`.

    ``POST /validate`` answers JSON, Turtle, JSON-LD or HTML by ``Accept`` (and ``/merge`` its
    report likewise), so a cache must key on it (RFC 9110 §12.5.5); values already there (``Origin``,
    from the CORS middleware) are kept.
    """

    def __init__(self, app: Any, paths: frozenset[str] = NEGOTIATED_PATHS):
        self.app = app
        self.paths = paths

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("path") not in self.paths:
            await self.app(scope, receive, send)
            return

        async def send_vary(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"vary"]
                values = [v.strip() for k, v in message.get("headers", []) if k.lower() == b"vary"
                          for v in v.split(b",") if v.strip()]
                if b"accept" not in {v.lower() for v in values}:
                    values.append(b"Accept")
                message = {**message, "headers": [*headers, (b"vary", b", ".join(values))]}
            await send(message)

        await self.app(scope, receive, send_vary)


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
        response: Response = error_response(
            PayloadTooLarge(f"request body over the limit of {self.max_bytes} bytes"),
            None)  # the same typed problem as PayloadTooLarge raised further in
        ctx = getattr(getattr(scope.get("app"), "state", None), "ctx", None)
        if ctx is not None and scope.get("method") == "POST" and scope.get("path") == "/validate":
            # a curator's browser declares its body's length: the refusal is a page, as for a streamed body
            from .validate import FORM_TYPES, REPORT_TYPES, empty_form  # noqa: PLC0415
            from .negotiate import choose  # noqa: PLC0415

            request = Request(scope)
            if choose(request.headers.get("accept"), REPORT_TYPES) == "text/html":
                request.state.problem_page = True
                if request.headers.get("content-type", "").split(";", 1)[0].strip().lower() in FORM_TYPES:
                    request.state.validate_form = empty_form()
                response = for_browsers(request, response, ctx)
        await response(scope, receive, send)


class PolicyKGApp(FastAPI):
    """The FastAPI application, with plain SPARQL GET queries answered ahead of it.

    Each request's queries count against its client's share of the query pool (:data:`QUERY_CLIENT`, set from
    the peer address), and a query request whose client disconnects while its query runs in the pool is
    cancelled (:data:`~api.sparql.REQUEST_PEER`, :func:`~api.sparql.stop_on_disconnect`). Each request then
    meets :class:`api.sparql.SparqlGetFastPath`, which
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
        peer = scope.get("client")
        token = QUERY_CLIENT.set(client_key(peer[0]) if peer else None)
        request = RequestPeer(receive) if scope["type"] == "http" and scope["path"].startswith(QUERY_PATHS) else None
        token2 = REQUEST_PEER.set(request)
        try:
            await self._fast(scope, receive, send)
        except asyncio.CancelledError:
            if request is None or not request.gone:
                raise  # cancelled from outside (server shutdown), not by a disconnect
            asyncio.current_task().uncancel()  # type: ignore[union-attr]
            log.info("client went away during %s %s: its query was stopped", scope.get("method"), scope["path"])
        finally:
            REQUEST_PEER.reset(token2)
            QUERY_CLIENT.reset(token)


def create_app(settings: Settings, store: Store, *,
               curated_reader: Callable[..., Any] | None = None) -> FastAPI:
    """Build the FastAPI application serving ``store`` with ``settings``.

    ``curated_reader(path, source=None, *, graph_slug=None, check_records=None) -> result with .graph
    and .graph_name`` reads the curated-entry templates (CSV/YAML) for ``POST /validate`` and
    ``/merge``: ``source`` names the input in messages, ``graph_slug`` the graph the entries fill
    and their document node, ``check_records(n)`` may refuse a file of ``n`` records before it is
    turned into RDF (``policykg.cli._curated_reader`` is one). The CLI passes the loaders' reader in
    (the API never imports the loaders); without it those media types get 415.

    Routers are mounted in a fixed order; errors of the core hierarchy
    become problem+json with their status; anything unexpected is a logged 500.
    """
    from policykg.validation import quiet_ill_typed_literals  # noqa: PLC0415

    quiet_ill_typed_literals()  # an ill-typed literal in a /validate body is a report, not a logged traceback
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

    def stop_background() -> None:  # the server's shutdown: no aggregate, dumps' child or query worker outlives it
        summaries = ctx.cache.get("summaries")
        if summaries is not None:
            summaries.close()
        from .sparql import close_pools  # noqa: PLC0415

        close_pools(ctx)
    app.router.on_shutdown.append(stop_background)
    if curated_reader is not None:
        ctx.cache["curated_readers"] = {".csv": curated_reader, ".yaml": curated_reader}

    @app.exception_handler(PolicyKGError)
    async def _core_error(request: Request, exc: PolicyKGError) -> Response:
        return for_browsers(request, error_response(exc, settings), ctx)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        """Starlette's own errors (no route for the path: 404; no route for the method: 405) as the
        problem types our errors use (:data:`FRAMEWORK_PROBLEMS`); any other status stays ``about:blank``."""
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:
            methods = allowed_methods(app, request.scope)
            if request.method == "OPTIONS" and methods:
                # RFC 9110 §9.3.7: what the resource supports, in Allow. A CORS preflight (Origin and
                # Access-Control-Request-Method) is answered before this by the CORS middleware.
                return Response(status_code=204, headers={"Allow": ", ".join(methods)})
            headers = {**(headers or {}), "Allow": ", ".join(methods)}
        typed = FRAMEWORK_PROBLEMS.get(exc.status_code)
        if typed is not None:
            problem = error_response(typed(_framework_detail(request, exc.status_code, headers)), settings)
            problem.headers.update(headers or {})
            return for_browsers(request, problem, ctx)
        return for_browsers(request, problem_response(exc.status_code, str(exc.detail), str(exc.detail),
                                                      headers=headers), ctx)

    @app.exception_handler(RequestValidationError)
    async def _request_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        """A parameter FastAPI refused: the ParameterError problem type, as every other parameter error
        (an ``about:blank`` problem would need the status phrase as its title, RFC 9457 §4.2.1), with
        FastAPI's list of errors."""
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg")} for e in exc.errors()]
        names = sorted({str(e["loc"][-1]) for e in errors if e["loc"]})
        detail = "the request parameters are invalid" + (f": {', '.join(names)}" if names else "")
        return error_response(ParameterError(detail, errors=errors), settings)

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
    app.include_router(_problems_router(ctx))
    sparql.add_cors(app)
    app.add_middleware(VaryAccept)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_upload_bytes)
    return app
