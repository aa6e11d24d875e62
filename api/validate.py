"""``POST /validate``: check submitted entries against the shapes (never writes), ``GET /validate``:
a curator's form for it, and ``POST /merge``: validate and write them, off unless a write token is
configured.

The form (``api/templates/validate.html``) posts ``multipart/form-data`` to ``POST /validate``: the
entries pasted (``entries``) or a file (``file``), their media type (``format``; empty: the file
name's suffix) and the named graph (``graph``); they are checked as the same bytes sent raw would be,
and the report page shows the form again, filled in. A refused form (400, 413, 415, 422, 429, 503)
comes back as that page with the problem (``api.app.for_browsers``). ``POST /merge`` reads no form.

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

Bounds of a public service (``policykg validate`` and ``policykg merge`` on the command line have
none): a body with more than ``max_validate_focus_nodes`` focus nodes (distinct subjects) or
``max_validate_triples`` triples is refused with 413 before validation (problem+json with ``count``
and ``limit``); a Turtle-family body is counted by a streaming pass before any graph is built. A
report lists at most ``max_report_results`` results, most severe first, and says how many it left
out (``truncated``, ``results_omitted``; an ``rdfs:comment`` in the Turtle and JSON-LD reports);
``counts`` and ``conforms`` are those of the whole run. Validation runs in worker processes
(:class:`policykg.validation.ValidationPool`) killed at ``validate_timeout_s``: 503 problem+json
(``ValidationTimeout``, type ``QueryTimeout``), and nothing is written.

Where entries go: named graphs of a TriG or N-Quads body are written as
named; the rest of an RDF body, and a curated file, fill the named graph
given by the ``graph`` query parameter (an IRI; the merge replaces that
graph, unless it holds another source's entries: 409, or ``replace=true``;
see :func:`policykg.ingest.check_replacements`), else ``{base}graph/entry-{SHA-256 of the body, 16 hex digits}``:
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
written). The answer lists each graph with what it held before and after
(``changes``: triples, policies, source files).

``DELETE /graph/{name}`` withdraws entries as ``policykg drop`` does
(:func:`policykg.ingest.drop_graphs_checked`), with the same token, one write at a time beside the
merges: 404 for a graph the store does not hold, 400 for one of its own graphs, 409 when other graphs
make statements about resources only this graph gives a class, 422 with the report when the drop
would bring violations into the graphs that remain; nothing is dropped then.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import tempfile
import threading
from dataclasses import asdict
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from fastapi import APIRouter, Depends, Request
from fastapi.security import HTTPBearer
from starlette.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response

from policykg.errors import (Forbidden, InputError, NotAcceptable, ParameterError, PayloadTooLarge, Unauthorized,
                             UnsupportedFormat, ValidationFailed)
from policykg.ingest import (Entry, check_graph_name, drop_graphs_checked, entries_from_dataset, merge_entries,
                             validate_entries)
from policykg.rdfio import FORMATS, format_for_media_type, parse_rdf
from policykg.vocab import short_hash, slugify

from .app import AppContext
from .negotiate import choose
from .resources import get_and_head, render_html, responses

__all__ = ["build_router"]

REPORT_TYPES = ["application/json", "text/turtle", "application/ld+json", "text/html"]
CURATED_TYPES = {"text/csv": ".csv", "application/yaml": ".yaml", "application/x-yaml": ".yaml",
                 "text/yaml": ".yaml"}


def _validator(ctx: AppContext):  # noqa: ANN202
    """What validates a request's entries: a :class:`~policykg.validation.ValidationPool` whose workers
    are killed at ``validate_timeout_s`` (shared by the apps of one process with the same shapes), or,
    with ``POLICYKG_VALIDATE_TIMEOUT_S=0``, a :class:`~policykg.validation.Validator` in this process
    (no time limit)."""
    validator = ctx.cache.get("validator")
    if validator is None:
        s = ctx.settings
        if s.validate_timeout_s > 0:
            from policykg.validation import ValidationPool  # noqa: PLC0415

            key = (str(s.shapes_dir), str(s.ontology_dir), s.base_iri, s.validate_timeout_s, s.validate_workers)
            with _POOLS_LOCK:
                validator = _POOLS.get(key)
                if validator is None:
                    validator = _POOLS[key] = ValidationPool(s.shapes_dir, s.ontology_dir, base_iri=s.base_iri,
                                                             workers=s.validate_workers,
                                                             timeout_s=s.validate_timeout_s)
        else:
            from policykg.validation import Validator  # noqa: PLC0415

            validator = Validator(s.shapes_dir, s.ontology_dir, base_iri=s.base_iri)
        ctx.cache["validator"] = validator
    return validator


#: The validation pools of this process, by (shapes, ontology, base IRI, time limit, workers): apps built
#: with the same settings (tests build many) share one pool of worker processes.
_POOLS: dict[tuple, object] = {}
_POOLS_LOCK = threading.Lock()


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


#: ``POST /validate`` also reads the HTML form of ``GET /validate``.
_VALIDATE_DOC = {**_BODY_DOC, "requestBody": {**_BODY_DOC["requestBody"], "description": (
    _BODY_DOC["requestBody"]["description"] + " Or the form of GET /validate (multipart/form-data): the entries "
    "pasted in `entries` or uploaded as `file`, their media type in `format` (empty: from the file's suffix), "
    "and `graph`."), "content": {**_BODY_DOC["requestBody"]["content"], "multipart/form-data": {"schema": {
        "type": "object", "additionalProperties": False, "properties": {
            "entries": {"type": "string", "description": "the entries, pasted"},
            "file": {"type": "string", "format": "binary", "description": "or a file of entries"},
            "format": {"type": "string", "description": "media type of the entries (text/turtle...); empty: "
                                                       "from the file's suffix"},
            "graph": {"type": "string", "description": "IRI of the named graph the entries fill"}}}}}}}


#: ``POST /merge`` takes ``replace`` too.
_MERGE_DOC = {**_BODY_DOC, "parameters": [*_BODY_DOC["parameters"], {
    "name": "replace", "in": "query", "required": False, "schema": {"type": "boolean", "default": False},
    "description": "true: replace the graph even when it holds another source's entries (a loaded briefing, "
                   "a curated file of another name); otherwise such a merge is refused (409)"}]}


def _graph_param(request: Request, ctx: AppContext, allowed: tuple[str, ...] = ("graph",)) -> URIRef | None:
    """The ``graph`` query parameter as an IRI (None when absent); InputError (field ``graph``) otherwise.

    Any other query parameter than ``allowed`` is refused (422, as canned queries do): a mistyped
    ``?grpah=`` would otherwise add a copy of the entries instead of replacing the graph meant.
    """
    unknown = sorted(set(request.query_params) - set(allowed))
    if unknown:
        raise ParameterError(f"{request.url.path} takes no parameter {unknown[0]!r}; its parameters are "
                             + ", ".join(allowed), field=unknown[0])
    values = request.query_params.getlist("graph")
    if not values:
        return None
    if len(values) > 1:
        raise InputError("give the graph parameter once", field="graph")
    return _graph_iri(values[0], ctx, "graph parameter")


def _graph_iri(value: str, ctx: AppContext, where: str) -> URIRef:
    """``value`` (the ``graph`` query parameter or form field, named ``where`` in errors) as the IRI of a
    named graph entries may fill: InputError (field ``graph``) for text that is no absolute IRI, and the
    refusals of :func:`policykg.ingest.check_graph_name` (the store's own graphs, a fragment...)."""
    try:
        ox.NamedNode(value)
    except ValueError:
        raise InputError(f"{value!r} is not an absolute IRI", field="graph") from None
    return check_graph_name(URIRef(value), ctx.settings.base_iri, where)


def _also_param(request: Request) -> list[str]:
    """The ``also`` names of ``DELETE /graph/{name}``: more graphs (names under ``{base}graph/``) dropped in
    the same transaction, for graphs that depend on each other; any other parameter is refused (422)."""
    unknown = sorted(set(request.query_params) - {"also"})
    if unknown:
        raise ParameterError(f"{request.url.path} takes no parameter {unknown[0]!r}; its parameter is also "
                             "(another graph's name, dropped in the same transaction)", field=unknown[0])
    return request.query_params.getlist("also")


def _replace_param(request: Request) -> bool:
    """``replace=true|false`` of ``POST /merge`` (default false): whether the merge may replace a graph
    holding another source's entries (:func:`policykg.ingest.check_replacements`); 422 otherwise."""
    values = request.query_params.getlist("replace")
    if not values:
        return False
    if len(values) > 1 or values[0].lower() not in ("true", "false"):
        raise ParameterError("replace is true or false, given once", field="replace")
    return values[0].lower() == "true"


def _check_work(ctx: AppContext, triples: int, subjects: int, *, more_than: bool = False,
                at_least: bool = False) -> None:
    """Refuse (413 problem+json, before validation) a body with more triples or focus nodes (distinct
    subjects: each is validated) than one HTTP request may submit (``max_validate_triples``,
    ``max_validate_focus_nodes``). ``more_than``: the triples were counted up to the limit only;
    ``at_least``: the counts are lower bounds (a curated file's records, counted before its RDF is
    built: each is one focus node or more). Measured: pySHACL takes about 5 to 10 ms a focus node in the
    store's context (the sample briefing, 412 focus nodes and 3,120 triples: 3.3 s), and values add
    cost too (one policy with 5,000 titles: 3.6 s)."""
    s = ctx.settings
    for count, limit, what, var in ((subjects, s.max_validate_focus_nodes, "focus nodes (distinct subjects)",
                                     "POLICYKG_MAX_VALIDATE_FOCUS_NODES"),
                                    (triples, s.max_validate_triples, "triples", "POLICYKG_MAX_VALIDATE_TRIPLES")):
        if count > limit or (more_than and count == limit and what == "triples"):
            raise PayloadTooLarge(
                f"the body holds {'more than ' if more_than else 'at least ' if at_least else ''}{count} {what}, "
                f"over the limit of {limit} "
                "that one request may submit "
                f"({var}): split it into parts of at most {limit}, or check it with `policykg validate` "
                "(and write it with `policykg merge`) on the command line, which have no such limit",
                count=count, limit=limit, field="body")


def _precount(body: bytes, fmt: object) -> tuple[int, int] | None:
    """``(triples, distinct subjects)`` of a Turtle-family body, read with Oxigraph's streaming parser
    without building a graph (a 9 MB body of 62,000 subjects: 0.6 s, where the full parse takes 6 s);
    None when it does not parse (the full parse reports why) or for another syntax."""
    if getattr(fmt, "name", None) not in _LINE_FORMATS:
        return None
    triples, subjects = 0, set()
    try:
        for quad in ox.parse(body, format=fmt.oxigraph):  # type: ignore[attr-defined]
            triples += 1
            subjects.add(quad.subject)
    except (SyntaxError, ValueError):
        return None
    return triples, len(subjects)


def _curated_name(graph: URIRef | None, stem: str, suffix: str, base_iri: str) -> str:
    """The file name a curated body is read under: its document node's ``dcterms:source`` (the node
    itself is ``briefing/{graph's name}``, :func:`_document_slug`), the record of their source that a
    later merge into the same graph is checked against (:func:`policykg.ingest.check_replacements`
    compares document and file name). With ``?graph=`` it is the
    graph's name (``graph/my-entries`` -> ``my-entries.csv``; ``graph/my-csv``, where
    ``policykg merge my.csv`` puts its entries -> ``my.csv``), so an edited file sent again to the same
    graph is the same source; without, the body's hash."""
    if graph is None:
        return f"{stem}{suffix}"
    name = str(graph)[len(f"{base_iri}graph/"):]
    tail = "-" + suffix.lstrip(".")
    if name.endswith(tail) and len(name) > len(tail):
        name = name[: -len(tail)]
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or stem
    if len(name) > _MAX_NAME:  # a file name has at most 255 bytes (ext4, APFS, NTFS): cut, kept apart by a hash
        name = f"{name[:_MAX_NAME - 17]}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:16]}"
    return f"{name}{suffix}"


#: The longest curated file name :func:`_curated_name` gives (its suffix aside): file systems allow 255 bytes.
_MAX_NAME = 200


def _document_slug(graph: URIRef, base_iri: str) -> str:
    """The slug of a curated body's document node (``briefing/{slug}``) for the named graph ``graph``
    that its entries fill: the graph's own name (``graph/dup`` -> ``dup``, ``graph/dup-csv`` ->
    ``dup-csv``), so that two graphs never share a document node (whose page and briefing-contents
    would mix two files' entries), and a curated file sent to the graph ``policykg merge`` gives it
    (``my.csv`` -> ``graph/my-csv``) has the document node the command line gives it. A name that is
    not one plain path segment (``a/b``, ``政策``) is slugified and gets a hash of the whole name, so
    two such names still differ."""
    name = str(graph)[len(f"{base_iri}graph/"):]
    if _PLAIN_SEGMENT.fullmatch(name):
        return name
    return f"{slugify(name) or 'entry'}-{short_hash(name)}"


#: One plain IRI path segment of unreserved characters (RFC 3986 §2.3), not a dot segment.
_PLAIN_SEGMENT = re.compile(r"(?!\.{1,2}$)[A-Za-z0-9._~-]+")


def _bound_problems(exc: InputError, limit: int) -> None:
    """Cut a curated file's problem list (``exc.extra["problems"]``, one per wrong cell) to its first
    ``limit`` (``max_report_results``, the bound of a validation report), in place: the ``detail`` keeps
    its first line (which gives the total, "2000 problem(s) in ...") and the lines of the problems
    kept, and says how many it left out; ``truncated`` and ``problems_omitted`` say so as members (as
    a report's ``truncated`` and ``results_omitted``). An error within the limit is left as it is."""
    problems = exc.extra.get("problems")
    if not isinstance(problems, list) or len(problems) <= limit:
        return
    omitted = len(problems) - limit
    lines = exc.detail.split("\n")
    kept = lines[: 1 + limit] if len(lines) == 1 + len(problems) else lines[:1]
    note = (f"... and {omitted} more problem(s) not listed (POLICYKG_MAX_REPORT_RESULTS={limit}): run "
            "`policykg validate FILE` on the command line to see them all")
    exc.detail = "\n".join([*kept, note])
    exc.args = (exc.detail,)
    exc.extra["problems"] = problems[:limit]
    exc.extra["truncated"] = True
    exc.extra["problems_omitted"] = omitted


def _entries(ctx: AppContext, body: bytes, content_type: str, graph: URIRef | None,
             source: str = "request body") -> list[Entry]:
    """The entries of a request body (see the module docstring for where they go); ``source`` names them in
    errors and reports (a form's file by its name)."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    stem = "entry-" + hashlib.sha256(body).hexdigest()[:16]
    if media_type in CURATED_TYPES:
        reader = ctx.cache.get("curated_readers", {}).get(CURATED_TYPES[media_type])
        if reader is None:
            raise UnsupportedFormat(f"no reader for {media_type} is configured in this server")
        name = graph if graph is not None else ctx.minter.graph(stem)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / _curated_name(graph, stem, CURATED_TYPES[media_type], ctx.settings.base_iri)
            path.write_bytes(body)
            try:
                result = reader(path, source=source,
                                graph_slug=_document_slug(name, ctx.settings.base_iri),
                                check_records=lambda n: _check_work(ctx, 0, n, at_least=True))
            except InputError as exc:
                if not isinstance(exc, PayloadTooLarge):
                    _bound_problems(exc, ctx.settings.max_report_results)
                raise
        lines = result.subject_lines(source) if hasattr(result, "subject_lines") else {}
        _check_work(ctx, len(result.graph), len(set(result.graph.subjects())))
        return [Entry(check_graph_name(name, ctx.settings.base_iri, source), result.graph, source,
                      lines)]
    try:
        fmt = format_for_media_type(media_type or "application/octet-stream")
    except UnsupportedFormat as exc:
        curated = [t for t in CURATED_TYPES if CURATED_TYPES[t] in ctx.cache.get("curated_readers", {})]
        detail = exc.detail + (f"; or a curated-entry template as {', '.join(curated)}" if curated else "")
        if media_type == "application/x-www-form-urlencoded":
            detail += (" (application/x-www-form-urlencoded is what curl -d sends: send the file with "
                       "--data-binary @FILE -H 'Content-Type: text/turtle')")
        if detail == exc.detail:
            raise
        raise UnsupportedFormat(detail) from None
    counted = _precount(body, fmt)
    if counted is not None:
        _check_work(ctx, *counted)
    try:
        dataset = parse_rdf(body, fmt, source=source, max_bytes=ctx.settings.max_upload_bytes,
                            max_triples=ctx.settings.max_validate_triples)
    except PayloadTooLarge:
        if counted is not None:
            raise
        # the parser stopped past the limit: how many more, unknown
        _check_work(ctx, ctx.settings.max_validate_triples, 0, more_than=True)
        raise
    except InputError as exc:
        hint = _plain_text_hint(media_type, body)
        if hint is None or hint[0] not in ctx.cache.get("curated_readers", {}):
            raise
        exc.detail = f"{exc.detail}; {hint[1]}"
        exc.args = (exc.detail,)
        raise
    # the Turtle-family text lets the report name the line of each subject, as `policykg validate
    # file.ttl` does (cli.py passes the file's text for .ttl/.nt/.trig/.nq)
    text = body.decode("utf-8", errors="replace") if fmt.name in _LINE_FORMATS else None
    if counted is None:
        _check_work(ctx, sum(len(g) for g in dataset.contexts()),
                    len({s for g in dataset.contexts() for s in g.subjects()}))
    return entries_from_dataset(dataset, source, ctx.minter, text,
                                default_graph=graph if graph is not None else ctx.minter.graph(stem))


#: A CSV header cell: a column name (letters, digits, ``_``, ``-``, spaces), as the curated templates use.
_HEADER_CELL = re.compile(r"[A-Za-z][A-Za-z0-9_\- ]{0,63}")


def _plain_text_hint(media_type: str, body: bytes) -> tuple[str, str] | None:
    """What to say when a ``text/plain`` body fails to parse and reads like something else:
    ``(the curated file suffix it reads like, the hint)``.

    ``text/plain`` is N-Triples' media type as RDF 1.0 served it (RDF 1.1 N-Triples, Appendix A), so
    such a body is read as N-Triples; but ``curl --data-binary @entries.csv`` and many HTTP tools send
    ``text/plain`` for any text. When the first non-blank line of such a body (after a byte-order mark)
    is a row of two or more comma-separated column names, it is a CSV template's header; when it is
    ``policies:`` or a YAML list item with a key (``- title_en: ...``), curated YAML; the client is told
    which type to send. None for any other media type or body.
    """
    if media_type != "text/plain":
        return None
    text = body[:4096].decode("utf-8", errors="replace").lstrip("\ufeff")
    lines = (ln.strip() for ln in text.splitlines())
    first = next((ln for ln in lines if ln and not ln.startswith("#")), "")
    if _YAML_START.fullmatch(first):
        return (".yaml", "text/plain is read as N-Triples: send curated-entry YAML as application/yaml "
                         "(curl -H 'Content-Type: application/yaml')")
    cells = [c.strip().strip('"') for c in first.split(",")]
    if len(cells) < 2 or not all(_HEADER_CELL.fullmatch(c) for c in cells):
        return None  # not a header row of column names: N-Triples, JSON-LD, a literal with a comma...
    return (".csv", "text/plain is read as N-Triples: send a curated-entry CSV as text/csv "
                    "(curl -H 'Content-Type: text/csv')")


#: The first line of curated-entry YAML: the ``policies:`` key, or a list item opening with a key.
_YAML_START = re.compile(r"policies\s*:\s*(?:#.*)?|-\s+[A-Za-z_]+\s*:.*")


#: Formats whose source text gives subject lines (``policykg.validation.subject_lines``): Turtle and its
#: subsets and extensions (N-Triples, TriG, N-Quads), as the CLI reads them.
_LINE_FORMATS = frozenset({"turtle", "ntriples", "trig", "nquads"})


#: Request bodies that are an HTML form (WHATWG HTML §4.10.21.7): ``POST /validate`` reads the entries from
#: the form of ``GET /validate`` (a curator's browser, which sends a file as multipart/form-data), never
#: ``POST /merge``. A urlencoded body stays a 415: it is what ``curl -d @entries.ttl`` sends, with a hint.
FORM_TYPES = ("multipart/form-data",)

#: What the form's format list calls each media type, in its order: the RDF syntaxes, then the curated-entry
#: templates (listed only when the server has a reader for them).
_FORMAT_LABELS = {"text/turtle": "Turtle", "application/n-triples": "N-Triples", "application/ld+json": "JSON-LD",
                  "application/rdf+xml": "RDF/XML", "application/trig": "TriG", "application/n-quads": "N-Quads",
                  "text/csv": "curated-entry CSV", "application/yaml": "curated-entry YAML"}

#: The fields of the form: the entries pasted as text, or a file; their format; the named graph they fill.
_FORM_FIELDS = ("entries", "file", "format", "graph")


def form_formats(ctx: AppContext) -> list[dict[str, object]]:
    """The formats the form offers: ``[{"media_type", "label", "suffixes"}]``, the RDF syntaxes of
    :data:`policykg.rdfio.FORMATS` and the curated-entry templates this server has readers for, with the
    file-name suffixes that select each when the form's format is left to the file's name."""
    readers = ctx.cache.get("curated_readers", {})
    out: list[dict[str, object]] = [{"media_type": f.media_type, "label": _FORMAT_LABELS.get(f.media_type, f.name),
                                     "suffixes": f.suffixes} for f in FORMATS]
    for media_type, suffix in (("text/csv", ".csv"), ("application/yaml", ".yaml")):
        if suffix in readers:
            out.append({"media_type": media_type, "label": _FORMAT_LABELS[media_type],
                        "suffixes": (".csv",) if suffix == ".csv" else (".yaml", ".yml")})
    return out


def empty_form(graph: str = "") -> dict[str, str]:
    """The values of an empty form (``entries``, ``format``, ``graph``, ``file``: what the page shows filled in),
    with ``graph`` given by the ``graph`` query parameter when there is one."""
    return {"entries": "", "format": "", "graph": graph, "file": ""}


def validate_page(ctx: AppContext, title: str, *, report: dict | None = None, problem: dict | None = None,
                  values: dict[str, str] | None = None) -> str:
    """The page of ``GET /validate`` (``api/templates/validate.html``): the form, filled in with ``values``
    (:func:`empty_form`'s keys; None: empty), above a validation ``report`` (its JSON form) or the ``problem``
    (problem+json, RFC 9457) that refused the form."""
    return render_html(ctx, "validate", title=title, report=report, problem=problem, values=values,
                       formats=form_formats(ctx), limit=ctx.settings.max_upload_bytes)


async def _form_body(request: Request, ctx: AppContext) -> tuple[bytes, str, URIRef | None, str]:
    """The entries of an HTML form posted to ``/validate``: ``(body, its media type, the named graph, what
    errors call them)``, as a raw body would give them; errors call them ``pasted entries`` or by the file's
    name.

    Fields: ``entries`` (text) or ``file`` (an upload), one of them; ``format``, a media type of
    :func:`form_formats` (empty: from the file's suffix); ``graph``, an IRI (empty: none), which the
    ``graph`` query parameter may give instead. What was sent is kept in ``request.state.validate_form``,
    so that a refusal shows the form filled in. Raises InputError naming the field: no entries, both, a
    format the file's name does not tell, an unknown field, a form that cannot be read; the body limits
    are those of a raw body (413 past ``max_upload_bytes``).
    """
    from starlette.datastructures import UploadFile  # noqa: PLC0415
    from starlette.exceptions import HTTPException  # noqa: PLC0415

    values = empty_form(request.query_params.get("graph", ""))
    request.state.validate_form = values
    charset = re.search(r";\s*charset\s*=\s*\"?([^\";\s]+)", request.headers.get("content-type", ""), re.IGNORECASE)
    if charset and charset.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise UnsupportedFormat(f"the form is sent as {charset.group(1)!r}: send it as UTF-8, as the form of GET "
                                "/validate does")
    try:
        form = await request.form(max_files=1, max_fields=len(_FORM_FIELDS),
                                  max_part_size=ctx.settings.max_upload_bytes)
    except HTTPException as exc:  # Starlette's answer to a malformed form or one past its field counts
        raise InputError(f"the form could not be read: {exc.detail}") from None
    try:
        unknown = sorted(set(form) - set(_FORM_FIELDS))
        if unknown:
            raise InputError(f"the form has no field {unknown[0]!r}; its fields are {', '.join(_FORM_FIELDS)}",
                             field=unknown[0])
        for name in _FORM_FIELDS:
            if len(form.getlist(name)) > 1:
                raise InputError(f"give the form field {name!r} once", field=name)
        text = form.get("entries") or ""
        upload = form.get("file")
        if upload == "":  # no file chosen: an empty part with no file name, which Starlette reads as text
            upload = None
        if isinstance(text, UploadFile):
            raise InputError("'entries' is a text field: choose a file in 'file'", field="entries")
        if upload is not None and not isinstance(upload, UploadFile):
            raise InputError("'file' is a file field: paste text in 'entries'", field="file")
        for name in ("format", "graph"):
            if isinstance(form.get(name), UploadFile):
                raise InputError(f"'{name}' is a text field, not a file", field=name)
        values["entries"] = text
        values["format"] = str(form.get("format") or "").strip()
        if form.get("graph"):
            values["graph"] = str(form.get("graph")).strip()
        data = await upload.read() if upload is not None else b""
        name = (upload.filename or "") if upload is not None else ""
        values["file"] = name
    finally:
        await form.close()
    if data and text.strip():
        raise InputError("give the entries either pasted in 'entries' or as a file, not both", field="entries")
    if not data and not text.strip():
        raise InputError("no entries: paste them in 'entries' or choose a file" + (
            f" ({name!r} is empty)" if name else ""), field="entries")
    media_type = values["format"]
    if not media_type:
        suffix = Path(name).suffix.lower() if data else ""
        media_type = next((str(f["media_type"]) for f in form_formats(ctx) if suffix and suffix in f["suffixes"]), "")
        if not media_type:
            raise InputError(("choose the format of the pasted entries" if not data else
                              f"choose the format: the file name {name!r} does not tell it"), field="format")
    query_graph = request.query_params.get("graph", "")
    if query_graph and values["graph"] and values["graph"] != query_graph:
        raise InputError("the graph is given twice, in the address and in the form, differently", field="graph")
    graph = _graph_iri(values["graph"], ctx, "form") if values["graph"] else None
    return (data or text.encode("utf-8")), media_type, graph, (Path(name).name or "file") if data else "pasted entries"


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
            413: {"description": "Body over the configured limit (bytes, triples or focus nodes)"},
            415: {"description": "Unsupported Content-Type"},
            503: {"description": "The validation ran past validate_timeout_s and was stopped"},
        },
        openapi_extra=_VALIDATE_DOC,
    )
    async def validate(request: Request) -> Response:
        chosen = choose(request.headers.get("accept"), REPORT_TYPES)
        if chosen is None:
            raise NotAcceptable("the report is available as " + ", ".join(REPORT_TYPES))
        # a refused entry is answered in the report's type: a page for a curator's browser (api.app.for_browsers)
        request.state.problem_page = chosen == "text/html"
        graph = _graph_param(request, ctx)
        source = "request body"
        if request.headers.get("content-type", "").split(";", 1)[0].strip().lower() in FORM_TYPES:
            body, content_type, form_graph, source = await _form_body(request, ctx)
            graph = form_graph or graph
        else:
            body = await request.body()
            content_type = request.headers.get("content-type", "")

        def check() -> object:  # CPU-bound: parsing and SHACL run off the event loop
            entries = _entries(ctx, body, content_type, graph, source)
            return validate_entries(ctx.store, _validator(ctx), entries)

        report = (await run_in_threadpool(check)).limited(ctx.settings.max_report_results)
        if chosen == "text/turtle":
            return Response(report.to_turtle(), media_type="text/turtle")
        if chosen == "application/ld+json":
            return Response(report.to_jsonld(), media_type="application/ld+json")
        if chosen == "text/html":
            return HTMLResponse(validate_page(ctx, "Validation report", report=report.to_json(),
                                              values=getattr(request.state, "validate_form", None)))
        return JSONResponse(report.to_json())

    @get_and_head(router, "/validate", summary="A form to validate entries from a browser",
                  description="An HTML page with a form that posts entries (pasted, or a file) to `POST /validate` "
                              "and shows the report; the same check as a raw body gets.",
                  responses=responses(200, 406, content={"text/html": {"schema": {"type": "string"}}}))
    def validate_form(request: Request) -> Response:
        if request.query_params:
            name = sorted(request.query_params)[0]
            raise ParameterError(f"GET /validate takes no parameter {name!r}", field=name)
        if choose(request.headers.get("accept"), ["text/html"]) is None:
            raise NotAcceptable("GET /validate is a form for browsers (text/html); programs POST their entries "
                                "to /validate with the Content-Type of their syntax")
        body = validate_page(ctx, "Validate entries")
        headers = {"Vary": "Accept"}
        if request.method == "HEAD":  # the length GET would send (RFC 9110 §9.3.2)
            headers["Content-Length"] = str(len(body))
        return Response(b"" if request.method == "HEAD" else body, media_type="text/html; charset=utf-8",
                        headers=headers)

    @router.post(
        "/merge",
        summary="Validate entries and write them in one transaction (needs the write token)",
        responses={
            200: {"description": "What was written: graphs written and unchanged, warning count"},
            401: {"description": "Missing or wrong bearer token"},
            403: {"description": "Writes over HTTP are off (no write token configured)"},
            409: {"description": "The graph holds another source's entries (replace=true to replace them)"},
            413: {"description": "Body over the configured limit (bytes, triples or focus nodes)"},
            422: {"description": "Violations: nothing was written (the report is in the problem body)"},
        },
        openapi_extra=_MERGE_DOC,
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
        graph = _graph_param(request, ctx, ("graph", "replace"))
        replace = _replace_param(request)

        def write() -> object:
            entries = _entries(ctx, body, content_type, graph)
            # one merge at a time: each is validated against what the one before it wrote
            with ctx.cache.setdefault("merge_lock", threading.Lock()):
                try:
                    return merge_entries(ctx.store, _validator(ctx), entries, replace=replace)
                except ValidationFailed as exc:
                    exc.extra["report"] = exc.report.limited(ctx.settings.max_report_results).to_json()
                    raise

        outcome = await run_in_threadpool(write)
        return JSONResponse({"written": [str(g) for g in outcome.written],
                             "replaced": [str(g) for g in outcome.replaced],
                             "unchanged": [str(g) for g in outcome.unchanged],
                             "changes": outcome.changes(),
                             "warnings": len(outcome.report.warnings)})

    @router.delete(
        "/graph/{name:path}",
        summary="Drop a named graph of entries (Graph Store Protocol §5.5; needs the write token)",
        description="Withdraws merged or loaded entries: the graph `{base}graph/{name}`, and the graphs named "
                    "by `also` (repeatable: `?also=b&also=c`), are dropped in one transaction, only if what "
                    "the other graphs hold still conforms (the resources the drop touches are validated again; "
                    "graphs that depend on each other go together). The store's own graphs (ontology, "
                    "reference, meta) are refused. As `policykg drop` on the command line.",
        responses={
            200: {"description": "What was dropped: the graph and what it held (triples, policies, sources)"},
            400: {"description": "Not an entry graph of the store (one of its own graphs, an ill-formed name)"},
            401: {"description": "Missing or wrong bearer token"},
            403: {"description": "Writes over HTTP are off (no write token configured)"},
            404: {"description": "No such graph, or it is empty"},
            409: {"description": "Other graphs make statements about resources only this graph gives a class"},
            422: {"description": "The drop would bring violations into the graphs that remain (the report is in "
                                 "the problem body): nothing was dropped"},
        },
        dependencies=[Depends(HTTPBearer(auto_error=False, description="POLICYKG_WRITE_TOKEN"))],
    )
    async def drop_graph(name: str, request: Request) -> Response:
        token = ctx.settings.write_token
        if not token:
            raise Forbidden("writes over HTTP are off: set POLICYKG_WRITE_TOKEN to enable DELETE /graph/{name}")
        if not _authorized(request.headers.get("authorization", ""), token):
            raise Unauthorized("DELETE /graph/{name} needs 'Authorization: Bearer <write token>'")
        names = [URIRef(f"{ctx.settings.base_iri}graph/{n}") for n in [name, *_also_param(request)]]

        def write() -> object:
            with ctx.cache.setdefault("merge_lock", threading.Lock()):  # writes one at a time, as merges
                try:
                    return drop_graphs_checked(ctx.store, _validator(ctx), names)
                except ValidationFailed as exc:
                    exc.extra["report"] = exc.report.limited(ctx.settings.max_report_results).to_json()
                    raise

        outcome = await run_in_threadpool(write)
        return JSONResponse({"dropped": [{"graph": str(g), "held": held.to_json()} for g, held in outcome.dropped.items()],
                             "checked": outcome.checked,
                             "new_warnings": [asdict(w) for w in outcome.new_warnings]})

    return router
