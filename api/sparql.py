"""The SPARQL 1.1 Protocol endpoint ``/sparql`` (read-only) and its service description.

* ``GET /sparql?query=...`` (and ``HEAD``, RFC 9110 §9.3.2) and ``POST /sparql``
  (``application/x-www-form-urlencoded`` or ``application/sparql-query``), SPARQL 1.1
  Protocol §2.1, its parameters described in the OpenAPI schema; ``default-graph-uri``
  and ``named-graph-uri`` set the dataset (§2.1.4: they override ``FROM``); without
  them the default graph is the union of the named graphs.
* The query is inspected first (:func:`policykg.sparql.inspect_query`): updates,
  ``SERVICE`` and ``FROM`` of IRIs that are not graphs of the store are refused
  with 400 problem+json; syntax errors are 400 with ``line``/``column``.
* Results are chosen by ``Accept`` (:func:`api.negotiate.choose`) and serialised
  by pyoxigraph in a worker process (:class:`policykg.querypool.QueryPool`), which
  is killed at ``query_timeout_s`` (503 + ``Retry-After``). Bounded queries
  (:func:`policykg.sparql.bounded_query_info`: lookups by IRI, single-pattern
  SELECT/ASK, DESCRIBE of IRIs), which cannot run away, are answered in the
  server process instead (:func:`bounded_response`), with the same results.
  Plain GET requests are answered ahead of the middleware stack and routing
  (:class:`SparqlGetFastPath`).
* XML answers (SPARQL XML results, RDF/XML) go through :func:`policykg.rdfio.xml_safe`, as
  ``/doc``'s RDF/XML does: a literal's CR is written ``&#13;`` (XML 1.0 §2.11), and a character
  XML 1.0 cannot carry (§2.2) gives 406 rather than ill-formed XML.
* SELECT results over ``max_result_rows`` are cut and flagged with the response
  headers ``X-PolicyKG-Truncated: true`` and ``X-PolicyKG-Row-Limit: N``
  (likewise CONSTRUCT/DESCRIBE triples).
* ``GET /sparql`` without ``query`` returns the SPARQL 1.1 Service Description
  (Turtle, RDF/XML, JSON-LD, N-Triples) or, for ``text/html`` (a browser), the query editor;
  a browser that asks for a query's results as HTML gets an HTML table.

Call :func:`add_cors` on the app to allow cross-origin GET and POST.
"""

from __future__ import annotations

import contextvars
import html
import itertools
import re
import threading
import time
from collections import OrderedDict
from typing import Any, Iterable, Mapping
from urllib.parse import parse_qs, unquote_plus, urlencode

import pyoxigraph as ox
import rdflib
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from rdflib import Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import URL

from policykg.describe import local_path
from policykg.errors import (NotAcceptable, ParameterError, PayloadTooLarge, PolicyKGError, QueryError,
                             QueryRefused, UnsupportedFormat)
from policykg.querypool import RDF_FORMATS, PublicQueryJob, QueryJob, QueryOutcome, QueryPool, term_tuple
from policykg.querypool import execute as execute_job
from policykg.rdfio import xml_safe
from policykg.sparql import (QueryInfo, bounded_query_info, check_dataset, inspect_query, limit_query,
                             order_columns, precheck, star_columns, truncate_results)
from policykg.store import OxigraphStore
from policykg.vocab import PREFIXES, short_iri

from .negotiate import choose
from .resources import get_and_head, media_schema, responses

__all__ = ["QUERY_PATHS", "RequestPeer", "REQUEST_PEER", "stop_on_disconnect", "build_router", "add_cors", "term_html", "NO_TRIPLE_TERMS", "TRIPLE_TERM_FORMATS", "format_override", "FORMAT_OVERRIDES", "bounded_response", "embedded_response", "SparqlGetFastPath", "base_iri_of", "run_query", "run_query_async", "inspect", "get_pool", "get_page_pool", "RESULTS_MEDIA_TYPES", "RDF_MEDIA_TYPES",
           "TRUNCATED_HEADER", "ROW_LIMIT_HEADER"]

#: Response header set to ``true`` when results were cut at ``max_result_rows``.
TRUNCATED_HEADER = "X-PolicyKG-Truncated"
#: Response header giving the row limit that applied.
ROW_LIMIT_HEADER = "X-PolicyKG-Row-Limit"

#: SELECT/ASK media types offered, in order of preference -> short format name
#: (SPARQL 1.1 Query Results JSON, XML, CSV/TSV formats; ``application/json`` and ``application/xml`` as aliases).
RESULTS_MEDIA_TYPES: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
}
#: CONSTRUCT/DESCRIBE media types offered -> ``policykg.rdfio.FORMATS`` name.
RDF_MEDIA_TYPES: dict[str, str] = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "application/trig": "trig",
    "application/n-quads": "nquads",
    "text/plain": "ntriples",
    "application/x-turtle": "turtle",
}
_CANONICAL = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
              "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
              "turtle": "text/turtle; charset=utf-8", "ntriples": "application/n-triples",
              "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml",
              "trig": "application/trig", "nquads": "application/n-quads"}

FORM_TYPE = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = rdflib.Namespace("http://www.w3.org/ns/formats/")


#: Request headers a cross-origin script may send (Fetch standard §3.2.3): negotiation, bodies,
#: conditional GET (revalidation of a cached document) and the Bearer token of ``POST /merge``.
CORS_REQUEST_HEADERS = ["Accept", "Content-Type", "If-None-Match", "If-Modified-Since", "Authorization"]
#: Response headers a cross-origin script may read besides the CORS-safelisted ones (Fetch standard
#: §3.2.6: only Cache-Control, Content-Language, Content-Length, Content-Type, Expires, Last-Modified
#: and Pragma are readable without this list).
CORS_EXPOSED_HEADERS = ["Retry-After", "Link", "ETag", "Content-Location", "Location", "Vary", "Repr-Digest"]


def add_cors(app: FastAPI) -> None:
    """Allow cross-origin ``GET``/``HEAD``/``POST`` on the API (W3C CORS; any origin, no credentials).

    Scripts may send :data:`CORS_REQUEST_HEADERS` and read the truncation headers and
    :data:`CORS_EXPOSED_HEADERS` (links, validators). Call once after ``create_app``.
    """
    from fastapi.middleware.cors import CORSMiddleware  # noqa: PLC0415

    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
                       allow_headers=CORS_REQUEST_HEADERS, allow_credentials=False,
                       expose_headers=[TRUNCATED_HEADER, ROW_LIMIT_HEADER, *CORS_EXPOSED_HEADERS], max_age=3600)


#: Paths whose requests only read (queries): a client that goes away stops their pool query.
QUERY_PATHS = ("/sparql", "/api/queries/")


class RequestPeer:
    """The ASGI ``receive`` of a query request (set per request by ``api.app.PolicyKGApp``) and whether its client
    has gone (``gone``: an ``http.disconnect`` came while its query ran)."""

    __slots__ = ("receive", "gone")

    def __init__(self, receive: Any):
        self.receive = receive
        self.gone = False


#: The current query request's :class:`RequestPeer`, or None (not a query path, the command line, a test).
REQUEST_PEER: contextvars.ContextVar[RequestPeer | None] = contextvars.ContextVar("policykg_request_peer",
                                                                                   default=None)


async def stop_on_disconnect(awaitable: Any) -> Any:
    """Await ``awaitable`` (a pool query), but cancel the request's task when its client disconnects meanwhile.

    uvicorn lets a handler run on after its client left, so an abandoned query held its worker, a CPU and its
    client's share until its time limit. Here a watcher reads the request's remaining ASGI messages (the body of
    a query request is read before its query runs, so none is taken from the handler) and, on
    ``http.disconnect``, cancels the task: the query pool kills a worker whose job was cancelled
    (``QueryPool._lease``), and ``PolicyKGApp`` ends the request quietly. Without a :data:`REQUEST_PEER` it only
    awaits.
    """
    import asyncio  # noqa: PLC0415

    peer = REQUEST_PEER.get()
    if peer is None:
        return await awaitable
    task = asyncio.current_task()

    async def watch() -> None:
        while True:
            message = await peer.receive()
            if message["type"] == "http.disconnect":
                peer.gone = True
                task.cancel()  # type: ignore[union-attr]
                return

    watcher = asyncio.ensure_future(watch())
    try:
        return await awaitable
    finally:
        watcher.cancel()


def get_pool(ctx: Any) -> QueryPool | None:
    """The app's query pool (created on first use, ``settings.query_workers`` processes), or None for a remote store.

    The workers stop at interpreter exit or when the app context is garbage-collected.
    """
    return _app_pool(ctx, "querypool", ctx.settings.query_workers, ctx.settings.query_workers_per_client)


def get_page_pool(ctx: Any) -> QueryPool | None:
    """The pool of the pages' own scanning queries (:meth:`api.app.AppContext.page_reads`), or None for a
    remote store: ``settings.page_workers`` processes, one at most for one client, apart from the public
    query pool, so that clients whose SPARQL queries fill that pool leave the pages of everyone else served
    (with two clients' runaways in it, a third client's uncached page waited for a worker to its 503)."""
    return _app_pool(ctx, "pagepool", ctx.settings.page_workers, 1)


def get_summary_pool(ctx: Any) -> QueryPool | None:
    """The pool of the background aggregates' queries (:meth:`api.app.AppContext.summary_reads`), or None
    for a remote store: one process of its own, so that an aggregate running for minutes on a large store
    never holds a worker the pages need (with ``POLICYKG_PAGE_WORKERS=1`` it held the only one)."""
    return _app_pool(ctx, "summarypool", 1, None)


_POOLS_LOCK = threading.Lock()
#: The keys of ``ctx.cache`` that hold an application's query pools (:func:`_app_pool`).
POOL_KEYS = ("querypool", "pagepool", "summarypool")


def close_pools(ctx: Any) -> None:
    """Close the application's query pools and forget them (its shutdown): their worker processes end
    now, not when the process does; a later request starts a new pool."""
    with _POOLS_LOCK:
        pools = [ctx.cache.pop(key) for key in POOL_KEYS if ctx.cache.get(key) is not None]
    for pool in pools:
        pool.close()


def _app_pool(ctx: Any, key: str, workers: int, per_client: int | None) -> QueryPool | None:
    if not isinstance(ctx.store, OxigraphStore):
        return None
    with _POOLS_LOCK:  # page requests run in threads: two first uses must not start two pools
        pool = ctx.cache.get(key)
        if pool is None:
            pool = QueryPool(ctx.store, workers=workers, timeout_s=ctx.settings.query_timeout_s,
                             scratch_dir=ctx.settings.scratch_dir, per_client=per_client)
            ctx.cache[key] = pool
            import atexit  # noqa: PLC0415
            import weakref  # noqa: PLC0415

            atexit.register(pool.close)
            weakref.finalize(ctx, pool.close)  # an app dropped by a test stops its workers
    return pool


def _job(ctx: Any, sparql: str, info: QueryInfo, fmt: str, bindings: Mapping[str, Node] | None,
         default_graphs: list[str] | None, named_graphs: list[str] | None, base_iri: str | None,
         max_rows: int | None = None) -> QueryJob:
    """The :class:`QueryJob` for an inspected query: row limit applied (``max_rows``, at most the server's
    ``max_result_rows``, which it defaults to), dataset resolved."""
    max_rows = min(max_rows or ctx.settings.max_result_rows, ctx.settings.max_result_rows)
    text = limit_query(sparql, info, max_rows) if info.form == "SELECT" else sparql
    if default_graphs is None and named_graphs is None and (info.default_graphs or info.named_graphs):
        # The query's own FROM / FROM NAMED (SPARQL 1.1 Query §13.2); pyoxigraph would
        # otherwise let use_default_graph_as_union override them.
        default_graphs, named_graphs = list(info.default_graphs), list(info.named_graphs)
    if default_graphs is not None and named_graphs is None:
        named_graphs = []
    if named_graphs is not None and default_graphs is None:
        default_graphs = []
    return QueryJob(text, info.form, fmt,
                    default_graphs=None if default_graphs is None else tuple(default_graphs),
                    named_graphs=None if named_graphs is None else tuple(named_graphs),
                    substitutions=tuple((k, term_tuple(v)) for k, v in (bindings or {}).items()),
                    max_rows=max_rows, prefixes=_PREFIX_ITEMS, base_iri=base_iri)


def run_query(ctx: Any, sparql: str, info: QueryInfo, fmt: str, *,
              bindings: Mapping[str, Node] | None = None,
              default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
              base_iri: str | None = None, timeout_s: float | None = None) -> QueryOutcome:
    """Run an inspected query on the app's store and return serialised results (blocking).

    ``fmt`` is a short results format (``json``/``xml``/``csv``/``tsv``) for
    SELECT/ASK or an RDF format name for CONSTRUCT/DESCRIBE. Embedded stores
    run in the query pool (stoppable); remote stores are called over HTTP
    with ``query_timeout_s``. Raises QueryError, QueryTimeout, StoreError.
    """
    job = _job(ctx, sparql, info, _wire_format(fmt), bindings, default_graphs, named_graphs, base_iri)
    pool = get_pool(ctx)
    if pool is not None:
        return _finish_rdf(pool.run(job, timeout_s), fmt)
    return _finish_rdf(_run_remote(ctx, job, bindings), fmt)


async def run_query_async(ctx: Any, sparql: str, info: QueryInfo, fmt: str, *,
                          bindings: Mapping[str, Node] | None = None,
                          default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
                          base_iri: str | None = None, timeout_s: float | None = None,
                          max_rows: int | None = None) -> QueryOutcome:
    """:func:`run_query` for route handlers: awaits the worker's reply without holding a thread.
    ``max_rows`` caps the rows below the server's row limit (a page of a canned query's answer)."""
    job = _job(ctx, sparql, info, _wire_format(fmt), bindings, default_graphs, named_graphs, base_iri, max_rows)
    pool = get_pool(ctx)
    if pool is not None:
        return _finish_rdf(await stop_on_disconnect(pool.run_async(job, timeout_s)), fmt)
    return _finish_rdf(await run_in_threadpool(_run_remote, ctx, job, bindings), fmt)


def _run_remote(ctx: Any, job: QueryJob, bindings: Mapping[str, Node] | None) -> QueryOutcome:
    store = ctx.store
    graphs = {"default_graphs": None if job.default_graphs is None else list(job.default_graphs),
              "named_graphs": None if job.named_graphs is None else list(job.named_graphs)}
    if job.form in ("SELECT", "ASK"):
        media = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                 "csv": "text/csv", "tsv": "text/tab-separated-values"}[job.fmt]
        if job.fmt == "tsv":
            # Virtuoso 7 writes TSV with quoted names and IRIs as strings ("policy", "https://..."); the
            # JSON results are read and written as SPARQL 1.1 TSV (§4: ?policy, <https://...>) instead
            media = "application/sparql-results+json"
        data = store.query_raw(job.sparql, media, bindings=bindings, timeout_s=ctx.settings.query_timeout_s,
                               **graphs)
        if job.fmt == "tsv":
            data = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON).serialize(
                format=ox.QueryResultsFormat.TSV)
        if job.form == "SELECT":
            data, truncated = truncate_results(data, job.fmt, job.max_rows)
            columns = star_columns(job.sparql)
            return QueryOutcome(order_columns(data, job.fmt, columns) if columns else data, truncated)
        return QueryOutcome(data)
    data = store.query_raw(job.sparql, "application/n-triples", bindings=bindings,
                           timeout_s=ctx.settings.query_timeout_s, **graphs)
    triples = [q.triple for q in itertools.islice(ox.parse(data, format=ox.RdfFormat.N_TRIPLES), job.max_rows + 1)]
    truncated = len(triples) > job.max_rows
    out = ox.serialize(triples[:job.max_rows], format=RDF_FORMATS[job.fmt], prefixes=dict(PREFIXES))
    return QueryOutcome(out, truncated)


#: RDF formats that cannot carry the triple terms of RDF 1.2 (RDF 1.2 Concepts §3.4) -> the name of the
#: format version that cannot. JSON-LD 1.1 has no syntax for them (pyoxigraph 0.5 refuses with "JSON-LD
#: does not support RDF 1.2 yet"); Turtle, TriG, N-Triples, N-Quads and RDF/XML are written in their
#: RDF 1.2 versions (``<<( s p o )>>``; RDF/XML ``rdf:parseType="Triple"`` with ``rdf:version="1.2"``,
#: which an RDF 1.1 parser refuses rather than misreads).
NO_TRIPLE_TERMS: dict[str, str] = {"jsonld": "JSON-LD 1.1"}
#: The CONSTRUCT/DESCRIBE formats that carry triple terms, as a 406 names them.
TRIPLE_TERM_FORMATS = "text/turtle, application/trig, application/n-triples, application/n-quads or " \
                      "application/rdf+xml (their RDF 1.2 versions)"


def _wire_format(fmt: str) -> str:
    """The format to run a query in for the wanted format ``fmt``: N-Triples for a format of
    :data:`NO_TRIPLE_TERMS` (converted by :func:`_finish_rdf`, which checks for triple terms), else ``fmt``."""
    return "ntriples" if fmt in NO_TRIPLE_TERMS else fmt


def _finish_rdf(outcome: QueryOutcome, fmt: str) -> QueryOutcome:
    """``outcome`` (run in :func:`_wire_format` of ``fmt``) in ``fmt``: unchanged unless ``fmt`` is in
    :data:`NO_TRIPLE_TERMS`; then its N-Triples are re-serialised in ``fmt``, with the project's prefixes.

    Raises :class:`~policykg.errors.NotAcceptable` (406, naming :data:`TRIPLE_TERM_FORMATS`) when a
    triple holds a triple term, which ``fmt`` cannot write (never a 500).
    """
    if fmt not in NO_TRIPLE_TERMS:
        return outcome
    triples = [q.triple for q in ox.parse(bytes(outcome.data), format=ox.RdfFormat.N_TRIPLES)]
    if any(isinstance(t.subject, ox.Triple) or isinstance(t.object, ox.Triple) for t in triples):
        raise NotAcceptable(f"the results hold RDF 1.2 triple terms, which {NO_TRIPLE_TERMS[fmt]} cannot carry; "
                            f"ask for {TRIPLE_TERM_FORMATS}")
    data = ox.serialize(triples, format=RDF_FORMATS[fmt], prefixes=dict(PREFIXES))
    return QueryOutcome(data, outcome.truncated, outcome.elapsed_s, outcome.form, fmt)


_INSPECTED: "OrderedDict[tuple[str, str | None], QueryInfo]" = OrderedDict()
_INSPECTED_MAX = 1024
_INSPECTED_LOCK = threading.Lock()


def inspect(ctx: Any, query: str, base_iri: str | None) -> QueryInfo:
    """Inspect ``query`` (:func:`policykg.sparql.inspect_query`) within the query deadline (blocking).

    The linear checks (size, nesting) run here; parsing runs in a query-pool
    worker, so a query that is slow merely to parse is stopped at
    ``query_timeout_s`` like any other (503). Accepted queries are cached.
    For a remote store (no pool) parsing runs in this process.
    """
    precheck(query, max_bytes=ctx.settings.max_query_bytes)
    key = (query, base_iri)
    with _INSPECTED_LOCK:
        info = _INSPECTED.get(key)
        if info is not None:
            _INSPECTED.move_to_end(key)
            return info
    pool = get_pool(ctx)
    if pool is None:
        info = inspect_query(query, max_bytes=ctx.settings.max_query_bytes, base_iri=base_iri)
    else:
        info = pool.inspect(query, base_iri=base_iri, max_bytes=ctx.settings.max_query_bytes)
    with _INSPECTED_LOCK:
        _INSPECTED[key] = info
        if len(_INSPECTED) > _INSPECTED_MAX:
            _INSPECTED.popitem(last=False)
    return info


def _allowed_graph(ctx: Any):
    names_cache: dict[str, set[str]] = {}

    def allowed(iri: str) -> bool:
        if iri.startswith(ctx.settings.base_iri):
            return True
        if "names" not in names_cache:
            names_cache["names"] = {str(g) for g in ctx.store.graph_names()}
        return iri in names_cache["names"]

    return allowed


def _service_description(endpoint: str, base_iri: str, graphs: Iterable[URIRef] = ()) -> rdflib.Graph:
    """SPARQL 1.1 Service Description (W3C Rec 2013, §3) of this endpoint.

    The default dataset (§3.2.2) is the dataset the VoID description describes (``{base}dataset/policykg``,
    typed ``sd:Dataset`` as §3.4 allows for a ``void:Dataset``); its default graph is the union of
    the named graphs ``graphs`` (§3.4.16 ``sd:namedGraph``, each with its ``sd:name``), and
    ``rdfs:seeAlso`` points to ``/.well-known/void``.
    """
    g = rdflib.Graph()
    g.bind("sd", SD)
    g.bind("formats", FORMATS_NS)
    s = URIRef(endpoint)
    g.add((s, RDF.type, SD.Service))
    g.add((s, SD.endpoint, s))
    g.add((s, SD.supportedLanguage, SD.SPARQL11Query))
    for f in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
              "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "TriG", "N-Quads"):
        g.add((s, SD.resultFormat, FORMATS_NS[f]))
    g.add((s, SD.feature, SD.UnionDefaultGraph))
    ds = URIRef(f"{base_iri}dataset/policykg")
    dg = rdflib.BNode()
    g.add((s, SD.defaultDataset, ds))
    g.add((ds, RDF.type, SD.Dataset))
    g.add((ds, rdflib.RDFS.seeAlso, URIRef(endpoint.rsplit("/sparql", 1)[0] + "/.well-known/void")))
    g.add((ds, SD.defaultGraph, dg))
    g.add((dg, RDF.type, SD.Graph))
    for name in sorted(graphs, key=str):
        named = rdflib.BNode()
        g.add((ds, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, name))
    g.add((s, rdflib.RDFS.comment, Literal(
        "Read-only SPARQL 1.1 Query endpoint of policykg; the default graph is the union of the named graphs; "
        "SPARQL Update, SERVICE and remote FROM are refused.", lang="en")))
    g.add((s, URIRef("http://rdfs.org/ns/void#uriSpace"), Literal(f"{base_iri}id/")))
    return g


_SD_TYPES = {"text/turtle": "turtle", "application/rdf+xml": "xml", "application/ld+json": "json-ld",
             "application/n-triples": "nt", "text/html": "html"}


def term_html(b: Mapping[str, Any], base: str) -> str:
    """One RDF term of SPARQL JSON results (SPARQL 1.1 Query Results JSON §3.2.2, and the ``triple``
    term of SPARQL 1.2 Query Results JSON §3.2.2) as escaped HTML: an IRI of this site links to its
    page (a ``javascript:`` IRI is shown, never linked), a literal shows its language tag, a blank
    node its label, a triple term ``<<( s p o )>>`` (RDF 1.2 Concepts §3.4) its three terms, each
    rendered the same way (nesting allowed)."""
    esc = html.escape
    kind = b.get("type")
    value = b.get("value")
    if kind == "triple" and isinstance(value, Mapping):
        parts = " ".join(term_html(value.get(k) or {}, base) for k in ("subject", "predicate", "object"))
        return f'<span class="triple-term">&lt;&lt;( {parts} )&gt;&gt;</span>'
    text = esc(str(value if value is not None else ""))
    if kind == "uri":
        href = esc(local_path(URIRef(str(value)), base))
        short = short_iri(str(value), base)
        shown = f'<span title="{text}">{esc(short)}</span>' if short != value else text
        return f'<a href="{href}">{shown}</a>' if href else shown
    if kind == "bnode":
        return f"_:{text}"
    suffix = f'<span class="lang">@{esc(b["xml:lang"])}</span>' if "xml:lang" in b else ""
    return f"{text}{suffix}"


def _triple_count(body: bytes, media_type: str) -> int | str:
    """The number of triples (or quads) in serialised CONSTRUCT/DESCRIBE results of ``media_type``,
    counted by parsing them (not their lines: a Turtle document has prefix lines, and one subject's
    triples share lines); "?" when the body cannot be read back."""
    fmt = ox.RdfFormat.from_media_type(media_type.split(";")[0].strip())
    if fmt is None:
        return "?"
    try:
        return sum(1 for _ in ox.parse(body, format=fmt))
    except (SyntaxError, ValueError, OSError):
        return "?"


def _html_results(ctx: Any, query: str, response: Response, base: str) -> HTMLResponse:
    """An HTML page of query results for browsers, in the site's layout (``templates/canned.html``, with its
    navigation): a table (SELECT/ASK) or the triples as Turtle, with a notice when the results were
    truncated and a link to edit the query."""
    import json as _json  # noqa: PLC0415
    from urllib.parse import urlencode  # noqa: PLC0415

    esc = html.escape
    body = bytes(response.body)
    truncated = response.headers.get(TRUNCATED_HEADER) == "true"
    if response.media_type.startswith("application/sparql-results+json"):
        data = _json.loads(body)
        if "boolean" in data:
            table = f"<p>Answer: <strong>{'yes' if data['boolean'] else 'no'}</strong></p>"
            count = 1
        else:
            names = data["head"]["vars"]
            rows = data["results"]["bindings"]
            count = len(rows)

            def cell(b: dict | None) -> str:
                return "<td></td>" if b is None else f"<td>{term_html(b, base)}</td>"

            head = "".join(f"<th>{esc(n)}</th>" for n in names)
            trs = "".join("<tr>" + "".join(cell(r.get(n)) for n in names) + "</tr>" for r in rows)
            table = f'<div class="results"><table><thead><tr>{head}</tr></thead><tbody>{trs}</tbody></table></div>'
    else:
        count = _triple_count(body, response.media_type)
        table = f"<pre>{esc(body.decode('utf-8', 'replace'))}</pre>"
    notice = ('<p class="notice"><strong>Results truncated</strong> at the row limit of '
              f"{esc(response.headers.get(ROW_LIMIT_HEADER, ''))}: add LIMIT/OFFSET or narrow the query.</p>"
              if truncated else "")
    edit = "/query?" + urlencode({"query": query})
    noun = ("result(s)" if response.media_type.startswith("application/sparql-results+json")
            else "triple" if count == 1 else "triples")
    from .resources import render_html  # noqa: PLC0415

    page = render_html(ctx, "canned", title="Query results", body=(
        f'<h1>Query results</h1>{notice}<p>{count} {noun}. <a href="{esc(edit)}">Edit the query</a></p>'
        f"{table}<details><summary>Query</summary><pre>{esc(query)}</pre></details>"))
    headers = {"Vary": "Accept"}
    if truncated:
        headers[TRUNCATED_HEADER] = "true"
    return HTMLResponse(page, headers=headers)


#: XML media types ``/sparql`` answers in -> the formats to ask for instead when XML cannot carry the answer.
_XML_MEDIA_TYPES = {"application/sparql-results+xml": "SPARQL JSON, CSV or TSV results",
                    "application/xml": "SPARQL JSON, CSV or TSV results",
                    "application/rdf+xml": "Turtle, N-Triples or JSON-LD"}


def _respond(outcome: QueryOutcome, media_type: str, max_rows: int) -> Response:
    """The response for serialised results: ``Vary: Accept``, the truncation headers, and XML made
    to read back as written (:func:`policykg.rdfio.xml_safe`: Oxigraph's SPARQL XML results and
    RDF/XML writers put a literal's CR and control characters in raw, which XML 1.0 §2.11 turns into
    LF and §2.2 forbids). Raises NotAcceptable (406) when XML cannot carry the results."""
    headers = {"Vary": "Accept"}
    if outcome.truncated:
        headers[TRUNCATED_HEADER] = "true"
        headers[ROW_LIMIT_HEADER] = str(max_rows)
    data = outcome.data
    instead = _XML_MEDIA_TYPES.get(media_type)
    if instead is not None:
        data = xml_safe(bytes(data), instead)
    return Response(data, media_type=media_type, headers=headers)


def bounded_response(ctx: Any, query: str, accept: str | None, base_iri: str | None) -> Response | None:
    """Answer a bounded query (:func:`policykg.sparql.bounded_query_info`) in this process, or return None.

    Lookups by IRI, single-pattern SELECT/ASK and DESCRIBE of IRIs cannot run
    away (their time is linear in the rows returned, and the row limit caps
    those), so the embedded store answers them directly, without the query
    pool's inter-process round trip, in the same formats and with the same
    truncation headers. ``query`` is within ``max_query_bytes`` (the callers
    check). Returns None, leaving the query to the pool, for any other
    query, for a remote store, when no format fits ``accept`` for the query's
    form, and when the engine reports an error (the pool path then produces
    the problem+json answer).
    """
    if not isinstance(ctx.store, OxigraphStore):
        return None
    info = bounded_query_info(query, max_offset=ctx.settings.max_result_rows)
    if info is None:
        return None
    choice = _choice(RESULTS_MEDIA_TYPES if info.form in ("SELECT", "ASK") else RDF_MEDIA_TYPES, accept)
    if choice is None:
        return None
    try:
        outcome = execute_job(ctx.store.raw, _job(ctx, query, info, _wire_format(choice[0]), None, None, None,
                                                  base_iri))
    except PolicyKGError:
        return None
    return _respond(_finish_rdf(outcome, choice[0]), choice[1], ctx.settings.max_result_rows)


async def embedded_response(ctx: Any, query: str, accept: str | None, base_iri: str | None,
                            default_graphs: list[str] | None = None,
                            named_graphs: list[str] | None = None) -> Response:
    """Answer a query on the embedded store: in this process when bounded, else in the query pool.

    ``query`` is at most ``max_query_bytes`` long (the worker runs the rest
    of :func:`policykg.sparql.precheck` before parsing); ``default_graphs``
    / ``named_graphs`` are the protocol's dataset (None: not given). One
    worker round trip inspects (parses, refuses), checks the dataset, runs
    and serialises. Raises NotAcceptable (406), QueryError / QueryRefused
    (400), QueryTimeout (503), StoreError.
    """
    settings = ctx.settings
    choices = {"results": _choice(RESULTS_MEDIA_TYPES, accept), "rdf": _choice(RDF_MEDIA_TYPES, accept)}
    if choices["results"] is None and choices["rdf"] is None:
        raise NotAcceptable("no result format matches Accept: " + str(accept))
    if default_graphs is None and named_graphs is None:
        response = bounded_response(ctx, query, accept, base_iri)
        if response is not None:
            return response
    job = PublicQueryJob(
        query, results_fmt=choices["results"] and choices["results"][0],
        rdf_fmt=choices["rdf"] and _wire_format(choices["rdf"][0]), base_iri=base_iri,
        max_bytes=settings.max_query_bytes,
        default_graphs=None if default_graphs is None else tuple(default_graphs),
        named_graphs=None if named_graphs is None else tuple(named_graphs),
        max_rows=settings.max_result_rows, local_prefix=settings.base_iri, prefixes=_PREFIX_ITEMS)
    outcome = await stop_on_disconnect(get_pool(ctx).run_async(job))
    if outcome.form in ("SELECT", "ASK"):
        media = choices["results"][1]  # type: ignore[index]
    else:
        outcome = _finish_rdf(outcome, choices["rdf"][0])  # type: ignore[index]
        media = choices["rdf"][1]  # type: ignore[index]
    return _respond(outcome, media, settings.max_result_rows)


class SparqlGetFastPath:
    """ASGI wrapper: answer plain ``GET /sparql?query=...`` on the embedded store before FastAPI.

    A plain GET is same-origin (no ``Origin`` header: cross-origin requests
    need the CORS middleware), has one ``query`` and no other parameter, and
    comes from a client that does not prefer HTML. It is answered by
    :func:`embedded_response` (bounded queries in this process, others in the
    query pool) with the same status, headers and body as the ``/sparql``
    route; errors of the :class:`~policykg.errors.PolicyKGError` hierarchy
    become the same problem+json (:func:`api.app.error_response`). With
    ``vary_origin`` (the app has CORS) answers carry ``Vary: Origin`` as the
    CORS middleware's same-origin answers do. Any other
    request, a remote store, and any unexpected exception go to the wrapped
    application unchanged. Skipping Starlette's middleware stack and routing
    cut the server process's CPU time for a small pool query from 0.43 to
    0.27 ms; with cached negotiation it raised bounded lookups from about
    2,200 per second (answered by the route) to about 4,000 on the benchmark
    machine (``benchmarks/bench_sparql.py``, wrk, 2 cores).
    """

    def __init__(self, app: Any, ctx: Any, path: str = "/sparql", *, vary_origin: bool = False):
        self.app = app
        self.ctx = ctx
        self.path = path
        self.vary_origin = vary_origin

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        response = None
        if (scope["type"] == "http" and scope["method"] == "GET" and scope["path"] == self.path
                and isinstance(self.ctx.store, OxigraphStore)):
            try:
                response = await self._answer(scope)
            except Exception:  # noqa: BLE001 - the full application answers (and logs) instead
                response = None
        if response is None:
            await self.app(scope, receive, send)
            return
        if self.vary_origin:  # as the CORS middleware marks same-origin answers, for caches
            response.headers["Vary"] = ", ".join(filter(None, [response.headers.get("Vary"), "Origin"]))
        await response(scope, receive, send)

    async def _answer(self, scope: dict) -> Response | None:
        from .app import error_response  # noqa: PLC0415 - api.app imports this module

        accept = None
        for name, value in scope["headers"]:
            if name == b"origin":
                return None
            if name == b"accept" and accept is None:
                accept = value.decode("latin-1")
        # UTF-8, as Starlette reads the query string for the route (invalid UTF-8 falls through to it)
        qs = scope["query_string"].decode("utf-8")
        if qs.startswith("query=") and "&" not in qs:  # the common case: what parse_qs gives, for less
            queries = [unquote_plus(qs[6:])]
        else:
            params = parse_qs(qs, keep_blank_values=True)
            queries = params.get("query")
            if queries is None or len(params) != 1 or len(queries) != 1:
                return None
        if choose(accept, _ALL_OFFERS) == "text/html":
            return None
        if len(queries[0].encode("utf-8")) > self.ctx.settings.max_query_bytes:
            return None  # the route answers 413
        query = queries[0].removeprefix("\ufeff")  # a leading BOM is no part of the query, as in the route
        try:  # no nesting precheck here: bounded shapes are flat, and the worker prechecks the rest
            return await embedded_response(self.ctx, query, accept, base_iri_of(_endpoint_url(scope)))
        except PolicyKGError as exc:
            problem = error_response(exc, self.ctx.settings)
            if problem.status_code == 406:  # chosen by Accept, as the route's answer (app.for_browsers) says
                problem.headers["Vary"] = "Accept"
            return problem


def base_iri_of(url: str) -> str | None:
    """``url`` when it is a valid IRI (RFC 3987, as Oxigraph checks a base IRI), else None.

    The endpoint's URL is the base IRI of a query (SPARQL 1.1 Query §4.1.1.1);
    it comes from the request's ``Host`` header, which a client can make
    invalid (``a%b``): such a query then has no base IRI, and a relative IRI
    in it is a syntax error (400), not an engine failure.
    """
    try:
        ox.NamedNode(url)
    except ValueError:
        return None
    return url


def _endpoint_url(scope: dict) -> str:
    """The request URL without its query string, as ``request.url.replace(query="")`` gives it.

    The common case (a plain ``Host`` header) is formatted directly; anything
    else goes through Starlette's :class:`~starlette.datastructures.URL`.
    """
    host = next((v for k, v in scope["headers"] if k == b"host"), b"")
    plain = _PLAIN_HOST.fullmatch(host)
    if plain is None or (plain.group(1) and int(plain.group(1)[1:]) > 65535):
        return str(URL(scope=scope).replace(query=""))
    return f"{scope.get('scheme', 'http')}://{host.decode('ascii')}{scope['path']}"


_PLAIN_HOST = re.compile(rb"[A-Za-z0-9.\-]+(:[0-9]{1,5})?")


_PREFIX_ITEMS = tuple(PREFIXES.items())

#: Everything ``/sparql`` can answer with; HTML last, so that a wildcard never picks it.
_ALL_OFFERS = [*RESULTS_MEDIA_TYPES, *RDF_MEDIA_TYPES, "text/html"]


def _choice(offers: dict[str, str], accept: str | None) -> tuple[str, str] | None:
    """(format short name, response media type) chosen among ``offers`` for ``Accept``, or None."""
    chosen = choose(accept, list(offers))
    if chosen is None:
        return None
    fmt = offers[chosen]
    return fmt, (_CANONICAL[fmt] if chosen not in ("application/json", "application/xml", "text/plain") else chosen)


def _media_for(form: str, accept: str | None) -> tuple[str, str]:
    """(format short name, response media type) for a query form and ``Accept``; NotAcceptable when none fits."""
    offers = RESULTS_MEDIA_TYPES if form in ("SELECT", "ASK") else RDF_MEDIA_TYPES
    chosen = choose(accept, list(offers))
    if chosen is None:
        raise NotAcceptable(f"{form} results are available as " + ", ".join(offers)
                            + f"; nothing matches Accept: {accept}")
    fmt = offers[chosen]
    media = _CANONICAL[fmt] if chosen not in ("application/json", "application/xml", "text/plain") else chosen
    return fmt, media


#: OpenAPI 3.1 (§4.8.12) description of the ``query`` URL parameter of ``GET /sparql`` (SPARQL 1.1
#: Protocol §2.1.1). Documentation only: the handler reads the raw query string itself, so that a
#: repeated or absent parameter gets the protocol's answer (400, or the service description).
_QUERY_PARAMETER: dict[str, Any] = {
    "name": "query", "in": "query", "required": False,
    "description": "A SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE). Without it, GET /sparql answers "
                   "with the SPARQL 1.1 Service Description.",
    "schema": {"type": "string"}, "example": "SELECT * WHERE { ?s ?p ?o } LIMIT 10"}
#: The dataset parameters (SPARQL 1.1 Protocol §2.1.4), repeatable; they override the query's FROM / FROM NAMED.
_DATASET_PARAMETERS: list[dict[str, Any]] = [
    {"name": name, "in": "query", "required": False, "style": "form", "explode": True,
     "description": f"IRI of a graph of the store to use as {what} (repeatable; overrides the query's {clause})",
     "schema": {"type": "array", "items": {"type": "string", "format": "iri"}}}
    for name, what, clause in (("default-graph-uri", "part of the default graph", "FROM"),
                               ("named-graph-uri", "a named graph", "FROM NAMED"))]


#: ``?format=`` (or ``output=``) values of ``/sparql`` -> the ``Accept`` value they stand for. Not part of
#: the SPARQL 1.1 Protocol, which negotiates by ``Accept`` (§2.1), but what users of other endpoints
#: type in a browser's address bar (Fuseki's ``output``/``format``, Virtuoso's ``format``). A short name
#: that fits both kinds of result (``json``, ``xml``) names the SELECT/ASK format and the RDF one, and
#: the query's form picks; a media type stands for itself.
FORMAT_OVERRIDES: dict[str, str] = {
    "json": "application/sparql-results+json, application/ld+json",
    "xml": "application/sparql-results+xml, application/rdf+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values", "html": "text/html",
    "turtle": "text/turtle", "ttl": "text/turtle", "ntriples": "application/n-triples",
    "nt": "application/n-triples", "n-triples": "application/n-triples",
    "jsonld": "application/ld+json", "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml", "rdf": "application/rdf+xml", "rdf/xml": "application/rdf+xml",
    "trig": "application/trig", "nquads": "application/n-quads", "nq": "application/n-quads",
    "n-quads": "application/n-quads",
    **{mt: mt for mt in [*RESULTS_MEDIA_TYPES, *RDF_MEDIA_TYPES, "text/html"]},
}


def format_override(*sources: Mapping[str, list[str]]) -> str | None:
    """The ``Accept`` value that the ``format`` (or ``output``) parameter of a ``/sparql`` request stands for
    (:data:`FORMAT_OVERRIDES`), or None when there is none. ``sources`` are parsed URL or form
    parameters (``parse_qs`` shape). Case and surrounding spaces are ignored, and so are the parameters of
    a media type (``text/csv; charset=utf-8``: the answer is UTF-8 in any case).

    Raises :class:`~policykg.errors.ParameterError` (field ``format``) for an unknown value, or for
    more than one value across ``format``, ``output`` and all sources.
    """
    given = [v for src in sources for key in ("format", "output") for v in src.get(key, [])]
    if not given:
        return None
    if len(given) > 1:
        raise ParameterError(f"give one result format, not {len(given)} ('format'/'output')", field="format")
    value = given[0].strip().lower()
    if "/" in value:  # a media type stands for itself, parameters aside ("text/csv; charset=utf-8")
        value, _, params = value.partition(";")
        value = value.strip()
        if re.search(r"(?:^|;)\s*q\s*=\s*0(?:\.0*)?\s*(?:;|$)", params):
            raise ParameterError(f"result format {given[0]!r} has q=0: it asks for no format", field="format")
    accept = FORMAT_OVERRIDES.get(value)
    if accept is None:
        names = sorted(k for k in FORMAT_OVERRIDES if "/" not in k)
        raise ParameterError(f"unknown result format {given[0]!r}; use one of {', '.join(names)}, or a media type",
                             field="format")
    return accept


#: OpenAPI description of ``format`` (:func:`format_override`).
_FORMAT_PARAMETER: dict[str, Any] = {
    "name": "format", "in": "query", "required": False,
    "description": "The result format, overriding Accept: json, xml, csv, tsv, html (SELECT/ASK); turtle, ntriples, "
                   "jsonld, rdfxml, trig, nquads (CONSTRUCT/DESCRIBE); or a media type. 'output' is a synonym.",
    "schema": {"type": "string"}, "example": "csv"}


#: OpenAPI: what ``/sparql`` answers with, by status (SPARQL 1.1 Protocol §2.1.2-2.1.4 for 400 and 415).
_RESULT_CONTENT = {m: {"schema": media_schema(m)} for m in [*RESULTS_MEDIA_TYPES, *RDF_MEDIA_TYPES]}
_STATUSES = {400: "Malformed or refused query, with the parser's line and column (problem+json)",
             406: "No result format fits Accept or format= for the query's form (problem+json)",
             413: "The query is over the size limit (problem+json)",
             415: "The body is neither form-encoded nor application/sparql-query (problem+json)",
             422: "An unknown or repeated format= value (problem+json)",
             503: "The query ran past the time limit and was stopped; Retry-After says when to retry (problem+json)"}


def build_router(ctx: Any) -> APIRouter:
    """The ``/sparql`` routes for the app context ``ctx`` (settings, store): GET and HEAD (a query, or the
    service description without one) and POST, as SPARQL 1.1 Protocol §2.1 and RFC 9110 §9.3.2 say."""
    router = APIRouter(tags=["sparql"])
    settings = ctx.settings

    async def execute(request: Request, query: str, default_graphs: list[str], named_graphs: list[str],
                      override: str | None = None) -> Response:
        """Run a query; a browser that prefers HTML gets the results as an HTML page. ``override`` (from
        :func:`format_override`) replaces the request's ``Accept``. A leading byte-order mark is no
        part of the query (:func:`policykg.rdfio.strip_bom`)."""
        query = query.removeprefix("\ufeff")
        accept = override if override is not None else request.headers.get("accept")
        if choose(accept, _ALL_OFFERS) != "text/html":
            return await run(request, query, default_graphs, named_graphs, accept)
        response = await run(request, query, default_graphs, named_graphs,
                             "application/sparql-results+json, text/turtle;q=0.9")
        return _html_results(ctx, query, response, ctx.settings.base_iri)

    async def run(request: Request, query: str, default_graphs: list[str], named_graphs: list[str],
                  accept: str | None) -> Response:
        base = base_iri_of(str(request.url.replace(query="")))
        precheck(query, max_bytes=settings.max_query_bytes)
        given = bool(default_graphs or named_graphs)  # §2.1.4: protocol graphs override FROM
        if get_pool(ctx) is not None:
            return await embedded_response(ctx, query, accept, base, default_graphs if given else None,
                                           named_graphs if given else None)
        deadline = time.monotonic() + settings.query_timeout_s
        info = await run_in_threadpool(inspect, ctx, query, base)
        allowed = _allowed_graph(ctx)
        check_dataset(info.default_graphs, allowed, clause="FROM")
        check_dataset(info.named_graphs, allowed, clause="FROM NAMED")
        check_dataset(default_graphs, allowed, clause="default-graph-uri")
        check_dataset(named_graphs, allowed, clause="named-graph-uri")
        fmt, media = _media_for(info.form, accept)
        outcome = await run_in_threadpool(
            run_query, ctx, query, info, fmt,
            default_graphs=list(default_graphs) if given else None,
            named_graphs=list(named_graphs) if given else None, base_iri=base,
            timeout_s=max(0.05, deadline - time.monotonic()))
        return _respond(outcome, media, settings.max_result_rows)

    @get_and_head(router, "/sparql", summary="SPARQL 1.1 query (GET) or service description",
                  responses=responses(200, 400, 406, 422, 503, content=_RESULT_CONTENT, descriptions=_STATUSES),
                  openapi_extra={"parameters": [_QUERY_PARAMETER, *_DATASET_PARAMETERS, _FORMAT_PARAMETER]})
    async def sparql_get(request: Request) -> Response:
        """GET (SPARQL 1.1 Protocol §2.1.1) and HEAD, which answers as GET without the body
        (RFC 9110 §9.3.2: HEAD wherever GET is, same status and header fields)."""
        params = parse_qs(request.url.query, keep_blank_values=True)
        queries = params.get("query", [])
        if "update" in params:
            raise QueryRefused("SPARQL Update is not accepted: this endpoint is read-only")
        if len(queries) > 1:
            raise QueryError("more than one 'query' parameter (SPARQL 1.1 Protocol §2.1.1)")
        if not queries:
            response = _describe(request)
        else:
            response = await execute(request, queries[0], params.get("default-graph-uri", []),
                                     params.get("named-graph-uri", []), format_override(params))
        if request.method != "HEAD":
            return response
        headers = {k: v for k, v in response.headers.items() if k != "content-length"}  # Content-Type kept
        return Response(b"", status_code=response.status_code,
                        headers={**headers, "content-length": str(len(response.body))})

    @router.post("/sparql", summary="SPARQL 1.1 query (POST, form-encoded or application/sparql-query)",
                 response_class=Response,
                 responses=responses(200, 400, 406, 413, 415, 422, 503, content=_RESULT_CONTENT,
                                     descriptions=_STATUSES),
                 openapi_extra={"parameters": [*_DATASET_PARAMETERS, _FORMAT_PARAMETER], "requestBody": {"content": {
                     FORM_TYPE: {"schema": {"type": "object", "properties": {
                         "query": {"type": "string"},
                         "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                         "named-graph-uri": {"type": "array", "items": {"type": "string"}}},
                         "required": ["query"]}},
                     QUERY_TYPE: {"schema": {"type": "string"}}}}})
    async def sparql_post(request: Request) -> Response:
        ctype = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        url_params = parse_qs(request.url.query, keep_blank_values=True)
        if ctype == UPDATE_TYPE:
            raise QueryRefused("SPARQL Update is not accepted: this endpoint is read-only")
        if ctype not in (FORM_TYPE, QUERY_TYPE):
            raise UnsupportedFormat(f"POST /sparql takes {FORM_TYPE} or {QUERY_TYPE}, not {ctype or 'no type'!r}")
        charset = re.search(r"charset\s*=\s*\"?([^\";\s]+)", request.headers.get("content-type", ""), re.I)
        if charset and charset.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
            raise UnsupportedFormat(f"the query must be UTF-8 (SPARQL 1.1 Protocol §2.1.2), not {charset.group(1)}")
        body = bytearray()
        async for chunk in request.stream():
            body.extend(chunk)
            if len(body) > settings.max_query_bytes * 4 + 10_000:
                raise PayloadTooLarge(f"request body over the limit of {settings.max_query_bytes} bytes of query")
        try:
            text = bytes(body).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise QueryError(f"request body is not UTF-8 (byte {exc.start})") from None
        if ctype == QUERY_TYPE:
            if "query" in url_params:
                raise QueryError("the query is in the body: a 'query' URL parameter is not allowed too")
            return await execute(request, text, url_params.get("default-graph-uri", []),
                                 url_params.get("named-graph-uri", []), format_override(url_params))
        form = parse_qs(text, keep_blank_values=True)
        if "update" in form:
            raise QueryRefused("SPARQL Update is not accepted: this endpoint is read-only")
        queries = form.get("query", [])
        if len(queries) != 1:
            raise QueryError("exactly one 'query' form field is required (SPARQL 1.1 Protocol §2.1.2)")
        # Dataset parameters may come in the body (§2.1.2) or the URL (as the W3C protocol tests send them).
        return await execute(request, queries[0],
                             form.get("default-graph-uri", []) + url_params.get("default-graph-uri", []),
                             form.get("named-graph-uri", []) + url_params.get("named-graph-uri", []),
                             format_override(form, url_params))

    def _describe(request: Request) -> Response:
        chosen = choose(request.headers.get("accept"), list(_SD_TYPES))
        if chosen is None:
            raise NotAcceptable("the service description is available as " + ", ".join(_SD_TYPES))
        endpoint = str(request.url.replace(query=""))
        if chosen == "text/html":  # a browser: the query editor (YASGUI) served by api.meta
            from .meta import EXAMPLE_QUERY, editor_queries  # noqa: PLC0415
            from .resources import render_html  # noqa: PLC0415

            page = render_html(ctx, "query", title="Query editor", example_query=EXAMPLE_QUERY,
                               example_href="/sparql?" + urlencode({"query": EXAMPLE_QUERY}),
                               canned=editor_queries(ctx))
            return HTMLResponse(page, headers={"Vary": "Accept"})
        g = _service_description(endpoint, settings.base_iri, ctx.store.graph_names())
        data = g.serialize(format=_SD_TYPES[chosen])
        # the description names the endpoint's URL, built from the request's Host: a cache keys on it too
        return Response(data.encode("utf-8") if isinstance(data, str) else data, media_type=chosen,
                        headers={"Vary": "Accept, Host"})

    return router
