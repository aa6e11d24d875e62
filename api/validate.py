"""``POST /validate``: check submitted entries against the shapes (never writes), and
``POST /merge``: validate and write them, off unless a write token is configured.

The body's ``Content-Type`` selects the reader: an RDF syntax
(``text/turtle``, ``application/n-triples``, ``application/ld+json``,
``application/rdf+xml``, ``application/trig``, ``application/n-quads``) or a
curated-entry template (``text/csv``, ``application/yaml``) when the
composition root registered a reader for it (``AppContext.cache["curated_readers"]``;
the API does not import the loaders). Entries are validated in the context
of the store, as ``policykg validate`` does. The report is returned, by
``Accept``, as JSON, as an ``sh:ValidationReport`` in Turtle or JSON-LD, or as
an HTML page. Unparsable input: 400 problem+json with line and column; over
``max_upload_bytes``: 413; unsupported type: 415.

Where entries go: named graphs of a TriG or N-Quads body are written as
named; the rest of an RDF body, and a curated file, fill the named graph
given by the ``graph`` query parameter (an IRI; the merge replaces that
graph), else ``{base}graph/entry-{SHA-256 of the body, 16 hex digits}``:
each different body gets a graph of its own, and sending the same body again
is a no-op. The store's own graphs (ontology, reference data, data version)
and blank-node graph labels are refused (400).

``POST /merge`` takes the same bodies, and writes them as ``policykg merge``
does (validate first, one transaction, a second run is a no-op); merges run
one at a time, so a merge is validated against what the one before it wrote.
It answers 403 while ``settings.write_token`` is empty (the default: writes
over HTTP are off), 401 with ``WWW-Authenticate: Bearer`` without
``Authorization: Bearer <token>`` (the scheme in any case, RFC 9110 §11.1),
and 422 with the validation report when there is a violation (nothing is
written).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import tempfile
import threading
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from fastapi import APIRouter, Depends, Request
from fastapi.security import HTTPBearer
from starlette.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response

from policykg.errors import (Forbidden, InputError, NotAcceptable, ParameterError, Unauthorized,
                             UnsupportedFormat, ValidationFailed)
from policykg.ingest import Entry, check_graph_name, entries_from_dataset, merge_entries, validate_entries
from policykg.rdfio import format_for_media_type, parse_rdf

from .app import AppContext
from .negotiate import choose

__all__ = ["build_router"]

REPORT_TYPES = ["application/json", "text/turtle", "application/ld+json", "text/html"]
CURATED_TYPES = {"text/csv": ".csv", "application/yaml": ".yaml", "application/x-yaml": ".yaml",
                 "text/yaml": ".yaml"}


def _validator(ctx: AppContext):  # noqa: ANN202
    validator = ctx.cache.get("validator")
    if validator is None:
        from policykg.validation import Validator  # noqa: PLC0415

        validator = Validator(ctx.settings.shapes_dir, ctx.settings.ontology_dir, base_iri=ctx.settings.base_iri)
        ctx.cache["validator"] = validator
    return validator


#: The request body as the OpenAPI description gives it (the body is read raw, by Content-Type).
_BODY_DOC = {"requestBody": {"required": True, "description": (
    "Entries, sent raw (not as a form) with a Content-Type that names their syntax: Turtle, N-Triples, "
    "JSON-LD, RDF/XML, TriG, N-Quads, or a curated-entry template (CSV, YAML)."), "content": {
    t: {"schema": {"type": "string"}} for t in (
        "text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml", "application/trig",
        "application/n-quads", "text/csv", "application/yaml")}},
    "parameters": [{"name": "graph", "in": "query", "required": False, "schema": {"type": "string", "format": "iri"},
                    "description": "IRI of the named graph that the body's triples outside named graphs fill "
                                   "(replaced by a merge); default: {base}graph/entry-{SHA-256 of the body}"}]}


def _graph_param(request: Request, ctx: AppContext) -> URIRef | None:
    """The ``graph`` query parameter as an IRI (None when absent); InputError (field ``graph``) otherwise.

    Any other query parameter is refused (422, as canned queries do): a mistyped ``?grpah=`` would
    otherwise add a copy of the entries instead of replacing the graph meant.
    """
    unknown = sorted(set(request.query_params) - {"graph"})
    if unknown:
        raise ParameterError(f"{request.url.path} takes no parameter {unknown[0]!r}; its one parameter is graph",
                             field=unknown[0])
    values = request.query_params.getlist("graph")
    if not values:
        return None
    if len(values) > 1:
        raise InputError("give the graph parameter once", field="graph")
    try:
        ox.NamedNode(values[0])
    except ValueError:
        raise InputError(f"{values[0]!r} is not an absolute IRI", field="graph") from None
    return check_graph_name(URIRef(values[0]), ctx.settings.base_iri, "graph parameter")


def _entries(ctx: AppContext, body: bytes, content_type: str, graph: URIRef | None) -> list[Entry]:
    """The entries of a request body (see the module docstring for where they go)."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    stem = "entry-" + hashlib.sha256(body).hexdigest()[:16]
    if media_type in CURATED_TYPES:
        reader = ctx.cache.get("curated_readers", {}).get(CURATED_TYPES[media_type])
        if reader is None:
            raise UnsupportedFormat(f"no reader for {media_type} is configured in this server")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"{stem}{CURATED_TYPES[media_type]}"
            path.write_bytes(body)
            result = reader(path, source="request body")
        name = graph if graph is not None else ctx.minter.graph(stem)
        lines = result.subject_lines("request body") if hasattr(result, "subject_lines") else {}
        return [Entry(check_graph_name(name, ctx.settings.base_iri, "request body"), result.graph, "request body",
                      lines)]
    try:
        fmt = format_for_media_type(media_type or "application/octet-stream")
    except UnsupportedFormat as exc:
        curated = [t for t in CURATED_TYPES if CURATED_TYPES[t] in ctx.cache.get("curated_readers", {})]
        if not curated:
            raise
        raise UnsupportedFormat(f"{exc.detail}; or a curated-entry template as {', '.join(curated)}") from None
    try:
        dataset = parse_rdf(body, fmt, source="request body", max_bytes=ctx.settings.max_upload_bytes)
    except InputError as exc:
        hint = _plain_text_hint(media_type, body)
        if hint is None or ".csv" not in ctx.cache.get("curated_readers", {}):
            raise
        exc.detail = f"{exc.detail}; {hint}"
        exc.args = (exc.detail,)
        raise
    # the Turtle-family text lets the report name the line of each subject, as `policykg validate
    # file.ttl` does (cli.py passes the file's text for .ttl/.nt/.trig/.nq)
    text = body.decode("utf-8", errors="replace") if fmt.name in _LINE_FORMATS else None
    return entries_from_dataset(dataset, "request body", ctx.minter, text,
                                default_graph=graph if graph is not None else ctx.minter.graph(stem))


#: A CSV header cell: a column name (letters, digits, ``_``, ``-``, spaces), as the curated templates use.
_HEADER_CELL = re.compile(r"[A-Za-z][A-Za-z0-9_\- ]{0,63}")


def _plain_text_hint(media_type: str, body: bytes) -> str | None:
    """What to say when a ``text/plain`` body fails to parse and reads like something else.

    ``text/plain`` is N-Triples' media type as RDF 1.0 served it (RDF 1.1 N-Triples, Appendix A), so
    such a body is read as N-Triples; but ``curl --data-binary @entries.csv`` and many HTTP tools send
    ``text/plain`` for any text. When the first non-blank line of such a body (after a byte-order mark)
    is a row of two or more comma-separated column names, it is a CSV template's header, and the client
    is told which type to send. None for any other media type or body.
    """
    if media_type != "text/plain":
        return None
    text = body[:4096].decode("utf-8", errors="replace").lstrip("\ufeff")
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    cells = [c.strip().strip('"') for c in first.split(",")]
    if len(cells) < 2 or not all(_HEADER_CELL.fullmatch(c) for c in cells):
        return None  # not a header row of column names: N-Triples, JSON-LD, a literal with a comma...
    return "text/plain is read as N-Triples: send a curated-entry CSV as text/csv (curl -H 'Content-Type: text/csv')"


#: Formats whose source text gives subject lines (``policykg.validation.subject_lines``): Turtle and its
#: subsets and extensions (N-Triples, TriG, N-Quads), as the CLI reads them.
_LINE_FORMATS = frozenset({"turtle", "ntriples", "trig", "nquads"})


def _authorized(given: str, token: str) -> bool:
    """Whether ``Authorization: given`` carries ``token`` with the Bearer scheme (any case, RFC 9110 §11.1)."""
    scheme, _, credentials = given.strip().partition(" ")
    return hmac.compare_digest(scheme.lower().encode("utf-8") + b" " + credentials.strip().encode("utf-8"),
                               b"bearer " + token.encode("utf-8"))


def build_router(ctx: AppContext) -> APIRouter:
    """The ``/validate`` router."""
    router = APIRouter(tags=["validation"])

    @router.post(
        "/validate",
        summary="Validate entries against the SHACL shapes (never writes)",
        responses={
            200: {"description": "The validation report (JSON, Turtle, JSON-LD or HTML by Accept)"},
            400: {"description": "Unparsable input (problem+json with line and column)"},
            406: {"description": "No acceptable report format"},
            413: {"description": "Body over the configured limit"},
            415: {"description": "Unsupported Content-Type"},
        },
        openapi_extra=_BODY_DOC,
    )
    async def validate(request: Request) -> Response:
        chosen = choose(request.headers.get("accept"), REPORT_TYPES)
        if chosen is None:
            raise NotAcceptable("the report is available as " + ", ".join(REPORT_TYPES))
        body = await request.body()
        content_type = request.headers.get("content-type", "")
        graph = _graph_param(request, ctx)

        def check() -> object:  # CPU-bound: parsing and SHACL run off the event loop
            entries = _entries(ctx, body, content_type, graph)
            return validate_entries(ctx.store, _validator(ctx), entries)

        report = await run_in_threadpool(check)
        if chosen == "text/turtle":
            return Response(report.to_turtle(), media_type="text/turtle")
        if chosen == "application/ld+json":
            return Response(report.to_jsonld(), media_type="application/ld+json")
        if chosen == "text/html":
            return HTMLResponse(_html(report))
        return JSONResponse(report.to_json())

    @router.post(
        "/merge",
        summary="Validate entries and write them in one transaction (needs the write token)",
        responses={
            200: {"description": "What was written: graphs written and unchanged, warning count"},
            401: {"description": "Missing or wrong bearer token"},
            403: {"description": "Writes over HTTP are off (no write token configured)"},
            422: {"description": "Violations: nothing was written (the report is in the problem body)"},
        },
        openapi_extra=_BODY_DOC,
        # documents the Bearer scheme (Swagger UI's Authorize button); the token is checked below
        dependencies=[Depends(HTTPBearer(auto_error=False, description="POLICYKG_WRITE_TOKEN"))],
    )
    async def merge(request: Request) -> Response:
        token = ctx.settings.write_token
        if not token:
            raise Forbidden("writes over HTTP are off: set POLICYKG_WRITE_TOKEN to enable POST /merge")
        if not _authorized(request.headers.get("authorization", ""), token):
            raise Unauthorized("POST /merge needs 'Authorization: Bearer <write token>'")
        body = await request.body()
        content_type = request.headers.get("content-type", "")
        graph = _graph_param(request, ctx)

        def write() -> object:
            entries = _entries(ctx, body, content_type, graph)
            # one merge at a time: each is validated against what the one before it wrote
            with ctx.cache.setdefault("merge_lock", threading.Lock()):
                try:
                    return merge_entries(ctx.store, _validator(ctx), entries)
                except ValidationFailed as exc:
                    exc.extra["report"] = exc.report.to_json()
                    raise

        outcome = await run_in_threadpool(write)
        return JSONResponse({"written": [str(g) for g in outcome.written],
                             "replaced": [str(g) for g in outcome.replaced],
                             "unchanged": [str(g) for g in outcome.unchanged],
                             "warnings": len(outcome.report.warnings)})

    return router


def _html(report: object) -> str:
    from html import escape  # noqa: PLC0415

    data = report.to_json()  # type: ignore[attr-defined]

    def cell(value: object) -> str:
        return "" if value is None else escape(str(value))

    rows = "".join(
        f"<tr><td>{cell(r.get('severity'))}</td><td>{cell(r.get('line'))}</td><td>{cell(r.get('column'))}</td>"
        f"<td>{cell(r.get('field'))}</td><td>{cell(r.get('focus_label'))}<br>"
        f"<code>{cell(r.get('focus_node'))}</code></td><td><code>{cell(r.get('path'))}</code></td>"
        f"<td>{cell(r.get('value'))}</td><td>{cell(r.get('message'))}</td></tr>"
        for r in data.get("results", []))
    verdict = "conforms" if data.get("conforms") else "does not conform"
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Validation report</title></head>"
            f"<body><h1>Validation report: {verdict}</h1>"
            f"<table><thead><tr><th>severity</th><th>line</th><th>column</th><th>field</th><th>focus node</th><th>path</th>"
            f"<th>value</th><th>message</th></tr>"
            f"</thead><tbody>{rows}</tbody></table></body></html>")
