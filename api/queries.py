"""Canned queries: ``GET /api/queries`` (the list) and ``GET /api/queries/{name}`` (one route per query).

Each ``queries/*.rq`` file (see :mod:`policykg.sparql` for its header) becomes
a route with explicit, documented query parameters, so ``/openapi.json``
lists every query and parameter. Parameters are checked and turned into RDF
terms by :meth:`policykg.sparql.CannedQuery.bind`, and the terms (never the
user's text) are written into the query by
:meth:`policykg.sparql.CannedQuery.bound_text`; the query runs in the same
stoppable worker pool as ``/sparql``.

Results are JSON (SPARQL 1.1 Query Results JSON), CSV or an HTML table,
chosen by ``?format=json|csv|html`` or else by ``Accept``.
"""

from __future__ import annotations

import hashlib
import html
import inspect
import json
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response

from policykg.errors import NotAcceptable, NotFound, ParameterError, QueryError
from policykg.sparql import _DATE as _DATE_RE  # the server's own patterns: the schema says what they accept
from policykg.sparql import _DECIMAL as _DECIMAL_RE
from policykg.sparql import _MAX_TITLE
from policykg.sparql import _YEAR as _YEAR_RE
from policykg.sparql import (MAX_OFFSET, PAGING_PARAMS, CannedQuery, ParamSpec, load_canned_queries, page_query,
                             parameter_choices, resolve_resources)

from .negotiate import choose, parse_accept
from .resources import get_and_head, not_modified, responses, templates, validators
from .resources import render_html as render_page
from .sparql import ROW_LIMIT_HEADER, TRUNCATED_HEADER, run_query_async, term_html

__all__ = ["build_router", "OFFERS", "ALIASES", "negotiate_format", "parameter_schema", "results_html", "Page",
           "HTML_PAGE_ROWS", "html_page_rows", "form_model", "macro"]

#: Media types a canned query is offered in, in order of preference -> format name.
OFFERS = {"application/sparql-results+json": "json", "application/json": "json", "text/csv": "csv",
          "text/html": "html"}
#: Offered only when the client names them, and then the label of the body (see :func:`negotiate_format`).
ALIASES = frozenset({"application/json"})
_FORMATS = ("json", "csv", "html")


def negotiate_format(accept: str | None) -> tuple[str, str]:
    """``(format name, media type to label the body with)`` for an ``Accept`` value, by
    :func:`api.negotiate.choose` among :data:`OFFERS`.

    An alias (``application/json`` for the SPARQL JSON results) is offered only when the client
    names it, and a body chosen through it is labelled with it: a wildcard must not bring back,
    under another name, a type the client refused with ``q=0``, and a type refused with ``q=0`` is
    never sent (RFC 9110 §12.4.2: q=0 means "not acceptable"; §12.5.1). Raises
    :class:`~policykg.errors.NotAcceptable` (406) when nothing fits."""
    named = {f"{r.type}/{r.subtype}" for r in parse_accept(accept)}
    offered = [mt for mt in OFFERS if mt not in ALIASES or mt in named]
    chosen = choose(accept, offered)
    if chosen is None:
        raise NotAcceptable("canned query results are available as " + ", ".join(OFFERS))
    fmt = OFFERS[chosen]
    return fmt, (chosen if chosen in ALIASES else _MEDIA[fmt])


def format_param(raw: str) -> tuple[str, str]:
    """``(format name, media type to label a JSON body with)`` for a canned query's ``format`` parameter: a
    name of :data:`_FORMATS` or a media type of :data:`OFFERS`, in any case, with spaces and media-type
    parameters ignored (``CSV``, ``text/csv; charset=utf-8``), as ``/sparql``'s ``format`` reads them
    (:func:`api.sparql.format_override`). Raises :class:`~policykg.errors.ParameterError` (422, field
    ``format``) for anything else."""
    value = raw.strip().lower().partition(";")[0].strip()
    if value in _FORMATS:
        return value, _MEDIA["json"]
    if value in OFFERS:
        return OFFERS[value], value if value in ALIASES else _MEDIA["json"]
    raise ParameterError(f"parameter 'format' must be one of {', '.join(_FORMATS)} (or one of the media types "
                         f"{', '.join(OFFERS)}), got {raw!r}", field="format")


#: The canonical media type of each format.
_MEDIA = {"json": "application/sparql-results+json", "csv": "text/csv; charset=utf-8", "html": "text/html"}


@dataclass(frozen=True)
class Page:
    """Where one page of a canned query's answer stands: it starts ``offset`` rows in and holds at most
    ``size`` rows; ``more`` when rows follow it, ``cut`` when the server's row limit (not a page size
    the client or the HTML view chose) ended it; ``links`` maps the link relations ``next``, ``prev``
    and ``first`` to relative URLs of those pages (:func:`_page_links`)."""

    offset: int = 0
    size: int = 0
    more: bool = False
    cut: bool = False
    links: dict[str, str] = field(default_factory=dict)


def results_html(query: CannedQuery, results: dict[str, Any], params: dict[str, str], page: Page | None,
                 base: str, form: str = "", downloads: str = "") -> str:
    """The body of a canned query's HTML page: its summary, description, parameters, ``form`` (HTML, a
    form to run the query again with other parameters, see :func:`form_model`), which rows the page
    holds and links to the next and previous pages (``page``; None for an answer in one page), the
    truncation notice when the row limit cut it, and a table of ``results`` (SPARQL JSON results), all
    escaped, then ``downloads`` (HTML: links to the answer as data, see :func:`_downloads`); an ASK query's
    answer (``results`` with ``boolean``) as a yes or no. The site's page layout (``templates/canned.html``)
    goes around it."""
    page = page or Page()
    out = [f"<h1>{html.escape(query.summary)}</h1>"]
    if query.description:
        out.append(f"<p>{html.escape(query.description)}</p>")
    if params:
        out.append("<p>" + ", ".join(f"{html.escape(k)} = <code>{html.escape(v)}</code>" for k, v in params.items())
                   + "</p>")
    out.append(form)
    if "boolean" in results:  # an ASK query (SPARQL 1.1 Query Results JSON §3.2.3): one answer, no table
        out.append(f"<p>Answer: <strong>{'yes' if results['boolean'] else 'no'}</strong></p>")
        return "".join(out)
    vars_ = results.get("head", {}).get("vars", [])
    rows = results.get("results", {}).get("bindings", [])
    if page.cut:
        out.append(f"<p class=\"notice\"><strong>Results truncated</strong> at the row limit of {page.size} rows; "
                   "the next page link below goes on from there.</p>")
    nav = "".join(f' <a rel="{rel}" href="{html.escape(page.links[rel])}">{label}</a>'
                  for rel, label in (("first", "first page"), ("prev", f"previous {min(page.size, page.offset)} rows"),
                                     ("next", f"next {page.size} rows"))
                  if rel in page.links and not (rel == "first" and page.offset <= page.size))  # prev starts at 0
    if page.offset and not rows:  # past the end: how far it is is unknown, so no "previous" page is offered
        nav = f' <a rel="first" href="{html.escape(page.links["first"])}">first page</a>' if "first" in page.links else ""
        out.append(f"<p>No rows here: the answer has {page.offset} rows or fewer.</p>")
    elif page.offset or page.more:
        shown = f"rows {page.offset + 1} to {page.offset + len(rows)}"
        out.append(f"<p>{shown}{' (more follow)' if page.more else ''}</p>")
    else:
        out.append(f"<p>{len(rows)} rows</p>")
    if nav:
        out.append(f'<nav class="pages">{nav.strip()}</nav>')
    out.append('<div class="results"><table><thead><tr>')
    out.extend(f"<th>{html.escape(v)}</th>" for v in vars_)
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>")
        for v in vars_:
            term = row.get(v)
            if term is None:
                out.append("<td></td>")
            elif term["type"] in ("uri", "triple"):  # as /sparql's HTML view shows them (linked, shortened)
                out.append(f"<td>{term_html(term, base)}</td>")
            else:
                out.append(f"<td>{html.escape(term['value'])}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    if nav and len(rows) > 20:  # a long table gets the links again at its foot
        out.append(f'<nav class="pages">{nav.strip()}</nav>')
    out.append(downloads)
    return "".join(out)


class ResultCache:
    """The answers of canned queries, kept per data version: ``get(key)`` / ``put(key, outcome)`` with
    ``key = (data version tag, query text with its parameters written in, wire format, row limit)``.

    An answer depends on nothing else, so a repeated query (a dashboard's, a crawler's) is answered
    without the engine until the data change: on the 100,000-policy benchmark graph the whole-graph
    canned queries take 1 to 5 s (``benchmarks/results/canned-queries.md``). Least recently used
    answers go first past ``max_bytes`` (32 MiB) in all; an answer over a quarter of it is not kept.
    Keys of an older version are never asked for again and age out. Used from the event loop only.
    """

    def __init__(self, max_bytes: int = 32 * 1024 * 1024):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple, Any] = OrderedDict()
        self._bytes = 0

    def get(self, key: tuple) -> Any:
        """The kept outcome for ``key`` (a :class:`~policykg.querypool.QueryOutcome`), or None."""
        outcome = self._entries.get(key)
        if outcome is not None:
            self._entries.move_to_end(key)
        return outcome

    def put(self, key: tuple, outcome: Any) -> None:
        """Keep ``outcome`` for ``key``, dropping the least recently used past :attr:`max_bytes` (the
        answers and the keys' texts, which hold whole queries, are both counted)."""
        size = self._size(key, outcome)
        if size > self.max_bytes // 4 or key in self._entries:
            return
        self._entries[key] = outcome
        self._bytes += size
        while self._bytes > self.max_bytes:
            dropped_key, dropped = self._entries.popitem(last=False)
            self._bytes -= self._size(dropped_key, dropped)

    @staticmethod
    def _size(key: tuple, outcome: Any) -> int:
        return len(outcome.data) + sum(len(part) for part in key if isinstance(part, str)) + 200


#: ``format`` of ``GET /api/queries`` -> the media type it chooses.
_LIST_FORMATS = {"json": "application/json", "application/json": "application/json", "html": "text/html",
                 "text/html": "text/html"}

#: Rows per page of a canned query's HTML table when the request gives no ``limit``: a page a browser
#: shows at once, with links to the next and previous pages (JSON and CSV give up to the row limit).
HTML_PAGE_ROWS = 100


def html_page_rows(settings: Any) -> int:
    """Rows of a canned query's HTML page when the request gives no ``limit``: :data:`HTML_PAGE_ROWS`, or the
    server's row limit (``settings.max_result_rows``) when that is smaller."""
    return min(HTML_PAGE_ROWS, settings.max_result_rows)


def _paging(kwargs: dict[str, Any], max_rows: int) -> tuple[int | None, int]:
    """``(limit, offset)`` from the request's ``limit`` and ``offset`` (removed from ``kwargs``):
    ``limit`` a whole number from 1 to the server's row limit ``max_rows`` (None when not given or
    empty, as an HTML form sends a field left blank), ``offset`` from 0 to :data:`MAX_OFFSET` (0 when
    not given or empty). Raises
    :class:`~policykg.errors.ParameterError` (422, naming the field) for anything else."""
    out: list[int | None] = []
    for name, low, high in (("limit", 1, max_rows), ("offset", 0, MAX_OFFSET)):
        raw = kwargs.pop(name, None)
        if raw is None or not raw.strip():  # an empty field of a form is a value not given
            out.append(None)
            continue
        value = raw.strip()
        # the length first: int() refuses a text of more than 4,300 digits (sys.get_int_max_str_digits)
        if (not value.isascii() or not value.isdigit() or len(value.lstrip("0")) > len(str(high))
                or not low <= int(value) <= high):
            bound = f"the server's row limit, {high}" if name == "limit" else str(high)
            raise ParameterError(f"parameter {name!r} must be a whole number from {low} to {bound}, got {raw!r}",
                                 field=name)
        out.append(int(value))
    return out[0], out[1] or 0


def _page_links(request: Request, offset: int, size: int, more: bool) -> dict[str, str]:
    """The other pages of a page of ``size`` rows that starts at ``offset``, ``{relation: URL}``: ``next``
    when ``more`` rows follow, ``prev`` and ``first`` when it does not start at 0 (IANA link relations,
    RFC 8288 §6.2.2). The URLs are relative references (RFC 3986 §4.2) to the same query with the same
    parameters and format, and the page size as ``limit``; ``prev`` of a page that starts less than a page
    in (``offset=3&limit=5``) holds just the rows before it (``offset=0&limit=3``), so that pages followed
    back do not repeat rows."""
    links = {}

    def link(start: int, rows: int = size) -> str:
        url = request.url.include_query_params(offset=start, limit=rows)
        return f"{url.path}?{url.query}"

    if more:
        links["next"] = link(offset + size)
    if offset > 0:  # the rows just before this page: fewer than a page when it starts within the first
        links["prev"] = link(max(offset - size, 0), min(size, offset))
        links["first"] = link(0, size)
    return links


def _with_format(request: Request, fmt: str, rows: int | None) -> str:
    """A relative URL of the page ``request`` asked for, its ``rows`` rows as ``fmt`` (``format=``); ``rows``
    None for an ASK query's answer, which has no rows to page."""
    url = request.url.include_query_params(format=fmt, **({} if rows is None else {"limit": rows}))
    return f"{url.path}?{url.query}"


def _downloads(request: Request, rows: int, max_rows: int) -> str:
    """HTML links to a canned query's answer as data: the rows of this page (``rows`` a page) and the whole
    answer (``limit`` and ``offset`` left out: up to the server's row limit ``max_rows``, with a next-page
    link past it), each as CSV and JSON."""
    whole = request.url.remove_query_params(["limit", "offset", "format"])

    def link(fmt: str, url: Any) -> str:
        return f'<a href="{html.escape(url.path + "?" + url.include_query_params(format=fmt).query)}">{fmt.upper()}</a>'

    page = request.url.include_query_params(limit=rows)
    return (f'<p class="downloads">Download this page as {link("csv", page)} or {link("json", page)}; the whole '
            f"answer (up to {max_rows:,} rows) as {link('csv', whole)} or {link('json', whole)}.</p>")


def form_model(query: CannedQuery, choices: dict[str, list[tuple[str, str]]]) -> dict[str, Any]:
    """``query`` as the HTML form of ``templates/_macros.html`` (``query_form``) shows it: ``name``,
    ``href``, ``summary``, ``description``, ``tags``, ``form`` (SELECT or ASK), ``example_query`` (the
    query string of its example parameters, "" when it has none) and ``params``, each a dict of
    ``name``, ``type``, ``required`` (no default fills it), ``default``, ``example``, ``description``,
    ``numeric`` (integer or year) and ``choices`` (``[(value, name)]`` for a ``<datalist>``: ``choices``
    of the parameter's kind, see :func:`_choices`)."""
    examples = {p.name: p.example or p.default for p in query.params if p.example or p.default}
    return {
        "name": query.name, "href": f"/api/queries/{query.name}", "summary": query.summary,
        "description": query.description, "tags": list(query.tags), "form": query.form,
        "example_query": urlencode(examples),
        "params": [{"name": p.name, "type": p.type, "required": p.required and p.default is None,
                    "default": p.default, "example": p.example, "description": p.description,
                    "numeric": p.type in ("integer", "year"), "choices": choices.get(p.kind, [])}
                   for p in query.params],
    }


def _choices(ctx: Any, version_tag: str) -> dict[str, list[tuple[str, str]]]:
    """``{kind: [(value, name)]}``: the regions, agencies and concepts of each scheme the canned queries'
    parameters name (:func:`policykg.sparql.parameter_choices`), read once per data version
    (``version_tag``) and kept in ``ctx.cache``. Runs the store's queries: call it from a worker thread."""
    cached = ctx.cache.get("canned_choices")
    if cached is not None and cached[0] == version_tag:
        return cached[1]
    found: dict[str, list[tuple[str, str]]] = {}
    for query in ctx.cache["canned_queries"].values():
        for p in query.params:
            if p.kind not in found:
                found[p.kind] = parameter_choices(ctx.store, p, ctx.settings.base_iri)
    ctx.cache["canned_choices"] = (version_tag, found)
    return found


def macro(ctx: Any, name: str) -> Any:
    """The jinja2 macro ``name`` of ``templates/_macros.html``, to call from Python (returns Markup)."""
    return getattr(templates(ctx).get_template("_macros.html").module, name)


def _make_endpoint(ctx: Any, query: CannedQuery):
    async def endpoint(request: Request, **kwargs: Any) -> Response:
        fmt = kwargs.pop("format", None)
        limit, offset = _paging(kwargs, ctx.settings.max_result_rows)
        if query.form == "ASK" and (limit is not None or offset):  # one boolean: no rows to page through
            field = "offset" if offset else "limit"
            raise ParameterError(f"query {query.name!r} is an ASK query: its answer is one boolean, not rows "
                                 f"to page through with {field!r}", field=field)
        params = {k: v for k, v in kwargs.items() if v is not None and v != ""}  # "" is not given (bind)
        extra = set(request.query_params) - {p.name for p in query.params} - set(PAGING_PARAMS)
        if extra:
            raise ParameterError(f"query {query.name!r} has no parameter {sorted(extra)[0]!r}", field=sorted(extra)[0])
        given = [k for k, _ in request.query_params.multi_items()]
        repeated = sorted({k for k in given if given.count(k) > 1})
        if repeated:  # the last value would silently win, hiding a wrong one
            raise ParameterError(f"give parameter {repeated[0]!r} once", field=repeated[0])
        if fmt is None:
            fmt, json_media = negotiate_format(request.headers.get("accept"))
        else:
            fmt, json_media = format_param(fmt)
        # rows on this page: the limit asked for, else a screenful in HTML, else the server's row limit
        page_rows = limit or (html_page_rows(ctx.settings) if fmt == "html"
                              else ctx.settings.max_result_rows)
        version = await run_in_threadpool(ctx.store.data_version)
        _, bindings = query.bind(params, ctx.settings.base_iri)
        bindings = await run_in_threadpool(resolve_resources, ctx.store, query, bindings, params,
                                           ctx.settings.base_iri)
        text, info = query.bound_text(bindings), query.info
        if offset:
            text, info = page_query(text, info, offset)
        wire = "csv" if fmt == "csv" else "json"
        # one representation per data version, query text (parameters and offset written in), format, media
        # type and page size (a server started with another row limit answers with more or fewer rows)
        digest = hashlib.sha256("\0".join((text, fmt, json_media, str(page_rows))).encode("utf-8")).hexdigest()
        variant = "q-" + digest[:16]
        headers = {"Vary": "Accept"}
        if not_modified(request.headers, version, variant):
            return Response(status_code=304, headers={**headers, **validators(version, variant)})
        results = ctx.cache.setdefault("canned_results", ResultCache())
        key = (version.tag, text, wire, page_rows)
        outcome = results.get(key)
        if outcome is None:
            try:
                outcome = await run_query_async(ctx, text, info, wire, max_rows=page_rows)
            except QueryError as exc:
                if offset and "sorted_rows_limit" in exc.extra:  # a remote store's bound on ordered rows
                    raise ParameterError(exc.detail, field="offset", **exc.extra) from None
                raise
            if await run_in_threadpool(ctx.store.data_version) == version:  # the answer is of that version
                results.put(key, outcome)
                headers.update(validators(version, variant))
        else:
            headers.update(validators(version, variant))
        links = _page_links(request, offset, page_rows, outcome.truncated)
        if links:  # RFC 8288 §3
            headers["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items())
        # cut at the server's row limit, not at a page size the client or the HTML view chose
        cut = outcome.truncated and page_rows == ctx.settings.max_result_rows and limit is None
        if cut:
            headers[TRUNCATED_HEADER] = "true"
            headers[ROW_LIMIT_HEADER] = str(ctx.settings.max_result_rows)
        if fmt == "csv":
            return Response(outcome.data, media_type="text/csv; charset=utf-8", headers=headers)
        if fmt == "html":
            page = Page(offset, page_rows, outcome.truncated, cut, links)
            choices = await run_in_threadpool(_choices, ctx, version.tag)
            filled = {**params, **({"limit": str(limit)} if limit else {})}  # the form as this page was asked for
            form = macro(ctx, "rerun_form")(form_model(query, choices), filled,
                                            html_page_rows(ctx.settings))
            downloads = "" if query.form == "ASK" else _downloads(request, page_rows, ctx.settings.max_result_rows)
            body = results_html(query, json.loads(outcome.data), params, page, ctx.settings.base_iri, str(form),
                                downloads)
            data = [{"type": _MEDIA[f].partition(";")[0], "name": f.upper(),
                     "href": _with_format(request, f, None if query.form == "ASK" else page_rows)}
                    for f in ("json", "csv")]
            return HTMLResponse(render_page(ctx, "canned", title=query.summary, body=body, alternates=data),
                                headers=headers)
        return Response(outcome.data, media_type=json_media, headers=headers)

    parameters = [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request)]
    for p in query.params:
        desc = f"{p.description} ({p.type}{', required' if p.required and p.default is None else ''})".strip()
        examples = [p.example] if p.example else None
        parameters.append(inspect.Parameter(
            p.name, inspect.Parameter.KEYWORD_ONLY, annotation=str | None,
            default=Query(None, description=desc, examples=examples, include_in_schema=False)))
    # documented by _openapi_parameters, which marks the required ones; no pattern here: a refused value is
    # the endpoint's typed ParameterError (RFC 9457 §3.1.1), not FastAPI's untyped validation error
    for name in PAGING_PARAMS:
        parameters.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=str | None,
                                            default=Query(None, include_in_schema=False)))
    endpoint.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    endpoint.__name__ = "query_" + query.name.replace("-", "_")
    return endpoint


def build_router(ctx: Any) -> APIRouter:
    """The canned-query routes for ``ctx`` (queries read from ``ctx.settings.queries_dir`` once)."""
    router = APIRouter(tags=["queries"])
    queries = load_canned_queries(ctx.settings.queries_dir)
    ctx.cache["canned_queries"] = queries

    @get_and_head(router, "/api/queries", summary="List the canned queries and their parameters",
                  responses=responses(200, 406, 422, content={"application/json": {}, "text/html": {}},
                                      descriptions={406: "Accept allows neither JSON nor HTML (problem+json)",
                                                    422: "format is neither json nor html (problem+json)"}))
    async def list_queries(request: Request, format: str | None = Query(  # noqa: A002 - the API's own name
            None, description="json or html (or a media type): overrides Accept")) -> Response:
        """The list as JSON (the default), or for a browser (``Accept`` preferring ``text/html``) as a page
        with a form per query whose region, agency and concept fields offer the graph's values; ``format``
        (json, html, or their media types, in any case) chooses instead of ``Accept``, else 422 naming it;
        406 for an ``Accept`` that allows neither (RFC 9110 §15.5.7), as every negotiated endpoint answers."""
        if format is not None:
            chosen = _LIST_FORMATS.get(format.strip().lower().partition(";")[0].strip())
            if chosen is None:
                raise ParameterError(f"parameter 'format' of the list must be json or html, got {format!r}",
                                     field="format")
        else:
            chosen = choose(request.headers.get("accept"), ["application/json", "text/html"])
        if chosen is None:
            raise NotAcceptable("the list of canned queries is available as application/json and text/html")
        if chosen == "text/html":
            version = await run_in_threadpool(ctx.store.data_version)
            choices = await run_in_threadpool(_choices, ctx, version.tag)
            return HTMLResponse(render_page(ctx, "queries", title="Canned queries",
                                            rows_placeholder=html_page_rows(ctx.settings),
                                            queries=[form_model(q, choices) for q in queries.values()],
                                            alternates=[{"type": "application/json", "name": "JSON",
                                                         "href": "/api/queries?format=json"}]),
                                headers={"Vary": "Accept"})
        base = str(request.base_url).rstrip("/")
        return JSONResponse([{
            "name": q.name, "summary": q.summary, "description": q.description, "tags": list(q.tags),
            "url": f"{base}/api/queries/{q.name}",
            "parameters": [{"name": p.name, "type": p.type, "required": p.required and p.default is None,
                            "default": p.default, "example": p.example, "description": p.description}
                           for p in q.params],
        } for q in queries.values()], headers={"Vary": "Accept, Host"})  # the URLs name the request's host

    for q in queries.values():
        get_and_head(router, f"/api/queries/{q.name}", summary=q.summary,
                     description=q.description or q.summary,
                     openapi_extra={"parameters": _openapi_parameters(q, ctx.settings.max_result_rows)},
                     responses={200: {"content": {m: {} for m in OFFERS}},
                                404: {"description": "a region, agency, concept, policy or briefing parameter "
                                                      "names nothing in the graph (problem+json)"},
                                406: {"description": "Accept allows none of the result formats (problem+json)"},
                                422: {"description": "missing, repeated or mistyped parameter, a limit or offset "
                                                     "out of range, or a name that several resources share "
                                                     "(problem+json)"},
                                429: {"description": "this client's share of the query workers is busy "
                                                     "(problem+json, Retry-After)"},
                                503: {"description": "query timed out (problem+json, Retry-After)"}})(_make_endpoint(ctx, q))

    @get_and_head(router, "/api/queries/{name}", include_in_schema=False)
    def unknown_query(name: str) -> Response:
        raise NotFound(f"no canned query named {name!r}; the canned queries are {', '.join(sorted(queries))} "
                       "(GET /api/queries lists them with their parameters)")
    return router


#: Language tags as :meth:`policykg.sparql.ParamSpec.to_term` accepts them (BCP 47 shape).
_LANG_PATTERN = "^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$"
#: An absolute http(s) IRI without the characters RFC 3987 §2.2 excludes (as ``_IRI_BAD`` refuses them).
_IRI_PATTERN = '^https?://[^\\x00-\\x20<>"{}|^`\\\\]*$'


def _ecma(pattern: re.Pattern[str]) -> str:
    """A server-side regex (anchored with ``\\Z``) as an ECMA-262 pattern for JSON Schema (``$``)."""
    return pattern.pattern.replace("\\Z", "$")


#: A region, agency or concept name as :meth:`policykg.sparql.ParamSpec._by_name` accepts it: no control
#: characters and none of ``<>"{}|^`\\`` (ECMA-262 syntax, as OpenAPI patterns are).
_NAME_PATTERN = "^[^\\u0000-\\u001f\\u007f-\\u009f<>\"{}|^`\\\\]+$"


def parameter_schema(p: ParamSpec) -> dict[str, Any]:
    """The JSON Schema (OpenAPI 3.1 §4.8.24, JSON Schema 2020-12 validation §6) of a canned-query
    parameter, from the type its ``.rq`` header declares (:data:`policykg.sparql.PARAM_TYPES`), so
    that a value the schema allows is one :meth:`~policykg.sparql.ParamSpec.to_term` accepts and a
    value it refuses with 422 is schema-invalid (schemathesis ST202): integers with their range, years,
    decimals and dates with the server's own patterns, IRIs as ``format: uri``; a region, agency or
    concept is a code, a slug, a name or its full IRI (at most 200 characters, none that IRIs or SPARQL
    delimit with), a policy or briefing a slug, a title or its IRI (at most 500 characters), as :meth:`~policykg.sparql.ParamSpec._by_name` accepts. Leading and trailing spaces, which the server strips,
    are left out of the patterns (they document the canonical form)."""
    t = p.type
    if t == "integer":
        schema: dict[str, Any] = {"type": "integer"}
        if p.minimum is not None:
            schema["minimum"] = p.minimum
        if p.maximum is not None:
            schema["maximum"] = p.maximum
        return schema
    if t == "year":
        schema = {"type": "string", "pattern": _ecma(_YEAR_RE)}
        if p.minimum is not None or p.maximum is not None:  # a range a pattern cannot say: in the description
            schema["description"] = f"from {p.minimum if p.minimum is not None else '…'} to " \
                                    f"{p.maximum if p.maximum is not None else '…'}"
        return schema
    if t == "decimal":
        return {"type": "string", "pattern": _ecma(_DECIMAL_RE)}
    if t == "date":
        return {"type": "string", "format": "date", "pattern": _ecma(_DATE_RE)}
    if t == "lang":
        return {"type": "string", "pattern": _LANG_PATTERN}
    if t == "iri":
        return {"type": "string", "format": "uri", "pattern": _IRI_PATTERN}
    if t in ("region", "agency", "concept"):  # a code or slug in any case, or a name looked up among labels
        return {"type": "string", "minLength": 1, "maxLength": 200, "pattern": _NAME_PATTERN}
    if t in ("policy", "briefing"):  # a slug in any case, a title (or a briefing's file name), or the full IRI
        return {"type": "string", "minLength": 1, "maxLength": _MAX_TITLE, "pattern": _NAME_PATTERN}
    return {"type": "string", "maxLength": 500}


def _openapi_parameters(query: CannedQuery, max_rows: int) -> list[dict[str, Any]]:
    """The OpenAPI 3.1 parameter objects of a canned query's endpoint (§4.8.12), each with the typed
    schema of :func:`parameter_schema`.

    The endpoint takes every parameter as optional so that a missing one is
    answered by :meth:`CannedQuery.bind` (a problem+json naming it, with an
    example); the description still marks the required ones ``required``. ``format``, ``limit`` (at
    most ``max_rows``, the server's row limit) and ``offset`` follow the query's own parameters.
    """
    out = []
    for p in query.params:
        param: dict[str, Any] = {"name": p.name, "in": "query", "required": bool(p.required and p.default is None),
                                 "description": f"{p.description} ({p.type})".strip(), "schema": parameter_schema(p)}
        if p.default is not None:
            param["schema"]["default"] = p.default
        if p.example:
            param["example"] = int(p.example) if p.type == "integer" and p.example.lstrip("+-").isdigit() \
                else p.example
        out.append(param)
    out.append({"name": "format", "in": "query", "required": False,
                "description": "json, csv or html (any case), or one of their media types; overrides Accept",
                "schema": {"type": "string"}, "examples": {name: {"value": name} for name in _FORMATS}})
    out.append({"name": "limit", "in": "query", "required": False,
                "description": "rows per page (default: the server's row limit; 100 in HTML). The Link header "
                               "(RFC 8288) names the next page when more rows follow",
                "schema": {"type": "integer", "minimum": 1, "maximum": max_rows}})
    out.append({"name": "offset", "in": "query", "required": False,
                "description": "rows to skip, in the query's own order: the page that starts offset rows in",
                "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0}})
    return out
