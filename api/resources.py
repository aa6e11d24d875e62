"""Linked data: dereferencing ``/id`` → 303 → ``/doc``, content negotiation, and the HTML pages.

Routes (``build_router(ctx)``):

* ``GET|HEAD /id/{kind}/{slug}`` → ``303 See Other`` to ``/doc/{kind}/{slug}``, query string
  kept (W3C "Cool URIs for the Semantic Web", 2008, §4.3: 303 URIs forwarding to one
  generic document). The server maps its own path ``/id/{kind}/{slug}`` to the IRI
  ``{settings.base_iri}id/{kind}/{slug}``, whatever host it runs on.
* ``GET|HEAD /doc/{kind}/{slug}`` negotiates (RFC 9110 §12.5.1, :func:`api.negotiate.choose`)
  Turtle, JSON-LD, N-Triples, RDF/XML and HTML, with ``Vary: Accept`` and a
  ``Content-Location`` naming the chosen variant; ``/doc/{kind}/{slug}.ttl`` (``.jsonld``,
  ``.nt``, ``.rdf``, ``.html``) and ``?format=`` select a variant whatever ``Accept`` says.
  Among types the client weighs equally, RDF is preferred to HTML (server order). A type refused
  with ``q=0`` is never sent, even when the client names an alias of it (``application/json`` for
  JSON-LD): the body is then labelled with the alias, or 406 (:func:`negotiate_variant`).
* ``GET /context.jsonld``: the JSON-LD ``@context`` of our JSON-LD documents, at a stable URL.
* ``GET /policies``: the policies list, with filters and a search box; each filter takes one value,
  and a repeated one is refused (422 ParameterError) as the canned queries refuse it.
* ``GET /year/{yyyy}``: targets due that year.

Every answer carries ``ETag`` (data version + variant) and ``Last-Modified`` (time of the
data version), and a matching ``If-None-Match`` (or, without it, ``If-Modified-Since``)
gives ``304 Not Modified`` (RFC 9110 §13.1.2, §13.1.3, §13.2.2 for the precedence).
"""

from __future__ import annotations

import datetime as _dt
import email.utils
import json
import re
from pathlib import Path
from urllib.parse import quote, urlencode
from typing import Any, Callable, Mapping

import jinja2
import rdflib
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from rdflib import Literal, URIRef

from policykg import __version__
from policykg.describe import (SLUG_PATTERN, PolicyFilters, concept_policies, describe_bounded, kind_of,
                               list_briefings, list_policies, listed_total,
                               no_resource, page_for, resource_exists, resource_iri, year_page, YEAR_PAGE_SIZE)
from policykg.errors import NotAcceptable, NotFound, ParameterError
from policykg.rdfio import FORMATS, RdfFormatInfo, jsonld_context, serialize_graph
from policykg.sparql import ParamSpec, resolve_resource
from policykg.store import DataVersion
from policykg.vocab import DCTERMS, EXTERNAL_NS, FOAF, RDFS, VOID

from .negotiate import MediaRange, choose, parse_accept, quality
from .summaries import list_aggregates, pending_notice

__all__ = [
    "build_router", "responses", "media_schema", "PROBLEM_CONTENT", "DOCUMENT_CONTENT", "RDF_CONTENT", "VARIANTS", "RDF_VARIANTS", "OFFERED", "ALIAS_LABELS", "choose_variant", "negotiate_variant",
    "labelled", "not_modified", "validators",
    "represent", "templates", "render_html", "alternates", "cached", "get_and_head", "document_links",
    "about_document", "dataset_iri", "DATA_LICENSE",
]

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

_BY_NAME: dict[str, RdfFormatInfo] = {f.name: f for f in FORMATS}
#: RDF variants of a document: name → (media type served, file extension).
RDF_VARIANTS: dict[str, tuple[str, str]] = {
    "turtle": ("text/turtle", "ttl"),
    "jsonld": ("application/ld+json", "jsonld"),
    "ntriples": ("application/n-triples", "nt"),
    "rdfxml": ("application/rdf+xml", "rdf"),
}
#: Every variant of a document, RDF first (server preference on ties), then HTML.
VARIANTS: dict[str, tuple[str, str]] = {**RDF_VARIANTS, "html": ("text/html", "html")}
#: Media types offered to negotiation, in server preference order, and the variant each selects.
#: Aliases seen in the wild (``application/x-turtle``, ``application/json``, ``text/plain`` for N-Triples as
#: RDF 1.0 served it, XHTML) are accepted when the client names them.
OFFERED: tuple[tuple[str, str], ...] = (
    ("text/turtle", "turtle"), ("application/x-turtle", "turtle"), ("application/turtle", "turtle"),
    ("application/ld+json", "jsonld"), ("application/n-triples", "ntriples"), ("application/rdf+xml", "rdfxml"),
    ("application/json", "jsonld"), ("text/plain", "ntriples"), ("text/html", "html"),
    ("application/xhtml+xml", "html"),
)
_EXTENSIONS = {ext: name for name, (_, ext) in VARIANTS.items()}
_FORMAT_PARAM = {
    **{name: name for name in VARIANTS}, **_EXTENSIONS,
    "json-ld": "jsonld", "n-triples": "ntriples", "xml": "rdfxml", "rdf/xml": "rdfxml", "json": "jsonld",
    **{mt: name for mt, name in OFFERED},
}


#: Aliases that may label the body of their variant when the client refused the canonical type with
#: ``q=0`` (the bytes are of that type too: JSON-LD is JSON, N-Triples and Turtle are UTF-8 text), with
#: the parameters to send. XHTML is not here: the HTML pages are not well-formed XML.
ALIAS_LABELS: dict[str, str] = {
    "application/x-turtle": "application/x-turtle; charset=utf-8",
    "application/turtle": "application/turtle; charset=utf-8",
    "application/json": "application/json",
    "text/plain": "text/plain; charset=utf-8",
}


def _refused(ranges: list[MediaRange], media_type: str) -> bool:
    """True when a range of the header matches ``media_type`` and its weight is 0 (``q=0``)."""
    return any(r.matches(media_type) for r in ranges) and quality(ranges, media_type) == 0


def negotiate_variant(accept: str | None, variants: Mapping[str, tuple[str, str]] = VARIANTS,
                      override: str | None = None) -> tuple[str, str | None]:
    """``(variant name, label)``: the variant :func:`choose_variant` picks, and the media type to label
    its body with when it is not the variant's own (else None).

    A type the client refused with ``q=0`` is never sent (RFC 9110 §12.4.2: q=0 means "not
    acceptable"; §12.5.1), whether named directly or reached through an alias: when the client names
    an alias (``application/json``) of a variant whose canonical type it refused
    (``application/ld+json;q=0``), the body is labelled with the alias (:data:`ALIAS_LABELS`), or,
    for an alias that cannot label it (XHTML), the alias is not offered at all (406 if nothing
    else fits). Aliases are offered only when the client names them: a wildcard must not bring back,
    under another name, a format the client refused. An ``override`` (``?format=``, an extension)
    selects a variant whatever ``Accept`` says, labelled with its own type.

    Raises :class:`~policykg.errors.NotAcceptable` (406) when nothing fits, naming what is offered.
    """
    if override is not None:
        name = _FORMAT_PARAM.get(override.strip().lower())
        if name is None or name not in variants:
            raise NotAcceptable(f"unknown format {override!r}; use one of {', '.join(variants)}")
        return name, None
    ranges = parse_accept(accept)
    named = {f"{r.type}/{r.subtype}" for r in ranges}
    canonical = {mt for mt, _ in variants.values()}
    offered = []
    for mt, name in OFFERED:
        if name not in variants or (mt not in canonical and mt not in named):
            continue
        if mt not in canonical and mt not in ALIAS_LABELS and _refused(ranges, variants[name][0]):
            continue  # an alias that cannot label the body of a refused type
        offered.append((mt, name))
    picked = choose(accept, [mt for mt, _ in offered])
    if picked is None:
        raise NotAcceptable(f"nothing matches Accept: {accept!r}; this resource is available as "
                            + ", ".join(mt for mt, _ in variants.values()))
    name = dict(offered)[picked]
    if picked not in canonical and _refused(ranges, variants[name][0]):
        return name, ALIAS_LABELS[picked]
    return name, None


def labelled(variant: str, media_type: str, label: str | None) -> tuple[str, str]:
    """``(media type, validator tag)`` of a body: ``media_type`` and ``variant`` as they are, or, when
    :func:`negotiate_variant` gave an alias ``label``, the alias and a tag of its own (one strong
    validator per representation, RFC 9110 §8.8.3)."""
    if label is None:
        return media_type, variant
    return label, f"{variant}-as-{label.split(';')[0].replace('/', '.')}"


def choose_variant(accept: str | None, variants: Mapping[str, tuple[str, str]] = VARIANTS,
                   override: str | None = None) -> str:
    """The variant name to serve: ``override`` (a ``?format=`` value or an extension) when given,
    else the one :func:`api.negotiate.choose` picks from ``accept`` among ``variants``
    (:func:`negotiate_variant`, whose label a caller that sends the body must use).

    Raises :class:`~policykg.errors.NotAcceptable` (406) when nothing fits, naming what is offered.
    """
    return negotiate_variant(accept, variants, override)[0]


def validators(version: DataVersion, variant: str) -> dict[str, str]:
    """``ETag`` (strong: one per data version, variant and policykg release, so new templates are not
    hidden by caches) and ``Last-Modified`` (HTTP-date of the data version) headers."""
    modified = version.modified if version.modified.tzinfo else version.modified.replace(tzinfo=_dt.timezone.utc)
    return {"ETag": f'"{version.tag}-{variant}-{__version__}"',
            "Last-Modified": email.utils.format_datetime(modified, usegmt=True)}


def if_none_match(header: str | None, etag: str) -> bool:
    """True when an ``If-None-Match`` value matches the entity tag ``etag`` (``"..."``, strong or
    ``W/"..."``): ``*`` matches any current representation, else the header is a comma-separated list
    of entity tags compared with the weak comparison function (RFC 9110 §13.1.2: an ``If-None-Match``
    recipient MUST use weak comparison; §8.8.3.2: two tags match weakly when their opaque-tags are
    equal, whether either is marked ``W/``). An absent header matches nothing."""
    if header is None:
        return False
    if header.strip() == "*":
        return True
    opaque = etag.strip().removeprefix("W/")
    # entity-tag = [ W/ ] DQUOTE *etagc DQUOTE, and etagc excludes '"' (RFC 9110 §8.8.3): a comma
    # may occur inside the quotes, so tags are found by their quotes, not by splitting on commas
    return any(tag == opaque for tag in re.findall(r'"[^"]*"', header))


def not_modified(headers: Mapping[str, str], version: DataVersion, variant: str) -> bool:
    """True when the request's preconditions say the client's copy is current (→ 304).

    ``If-None-Match`` is evaluated when present (weak comparison, ``*`` matches);
    ``If-Modified-Since`` only when it is absent (RFC 9110 §13.2.2). An unparseable
    date is ignored (§13.1.3).
    """
    inm = headers.get("if-none-match")
    if inm is not None:
        return if_none_match(inm, validators(version, variant)["ETag"])
    ims = headers.get("if-modified-since")
    if ims:
        try:
            since = email.utils.parsedate_to_datetime(ims)
        except (TypeError, ValueError, IndexError):
            return False
        if since is None:
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=_dt.timezone.utc)
        modified = version.modified if version.modified.tzinfo else version.modified.replace(tzinfo=_dt.timezone.utc)
        return modified.replace(microsecond=0) <= since
    return False


_BYTE_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def byte_range(headers: Mapping[str, str], size: int, etag: str) -> tuple[int, int] | None:
    """The one byte range a GET asks for, as ``(first, last)`` inclusive offsets within ``size`` bytes.

    RFC 9110 §14.2: ``Range: bytes=first-last``, ``bytes=first-`` or ``bytes=-suffix``; ``None`` (serve
    the whole representation, 200) when there is no Range header, when it is not one well-formed
    byte range (several ranges are allowed to be ignored, §14.2), or when an ``If-Range`` does not
    match ``etag`` (strong comparison, §13.1.5). Raises :class:`RangeNotSatisfiable` for a range
    that starts past the end, or an empty representation.
    """
    header = headers.get("range")
    if header is None:
        return None
    if_range = headers.get("if-range")
    if if_range is not None and if_range.strip() != etag:  # a date or another tag: the whole, as §13.1.5 says
        return None
    m = _BYTE_RANGE.fullmatch(header.strip())
    if m is None or (not m.group(1) and not m.group(2)):
        return None
    first, last = m.group(1), m.group(2)
    if not first:  # a suffix: the last N bytes
        n = int(last)
        if n == 0 or size == 0:
            raise RangeNotSatisfiable(size)
        return max(0, size - n), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size:
        raise RangeNotSatisfiable(size)
    if last and int(last) < start:
        return None  # invalid (last before first): ignore the header, §14.1.1
    return start, end


class RangeNotSatisfiable(Exception):
    """A byte range that starts past the end of a ``size``-byte representation (RFC 9110 §15.5.17: 416)."""

    def __init__(self, size: int):
        super().__init__(f"no byte range of a {size}-byte representation starts there")
        self.size = size


def represent(request: Request, body_fn: Callable[[], bytes], media_type: str, version: DataVersion, variant: str,
              extra_headers: Mapping[str, str] | None = None, *, ranges: bool = False) -> Response:
    """A response with validators: 304 when :func:`not_modified`, an empty body for HEAD (with the
    ``Content-Length`` of the GET body), else ``body_fn()`` as ``media_type``.

    ``ranges``: the representation answers single byte ranges (``Accept-Ranges: bytes``; 206 with
    ``Content-Range`` for a satisfiable :func:`byte_range`, 416 for one that is not), so that a large
    download can be resumed (RFC 9110 §14)."""
    headers = {**validators(version, variant), **(extra_headers or {})}
    if ranges:
        headers["Accept-Ranges"] = "bytes"
    if not_modified(request.headers, version, variant):
        return Response(status_code=304, headers=headers)
    body = body_fn()
    if request.method == "HEAD":
        return Response(content=b"", media_type=media_type, headers={**headers, "Content-Length": str(len(body))})
    if ranges:
        try:
            part = byte_range(request.headers, len(body), headers["ETag"])
        except RangeNotSatisfiable as exc:
            return Response(status_code=416, headers={**headers, "Content-Range": f"bytes */{exc.size}"})
        if part is not None:
            first, last = part
            return Response(content=body[first:last + 1], status_code=206, media_type=media_type,
                            headers={**headers, "Content-Range": f"bytes {first}-{last}/{len(body)}"})
    return Response(content=body, media_type=media_type, headers=headers)


def represent_summaries(request: Request, body_fn: Callable[[], bytes], media_type: str, version: DataVersion,
                        variant: str, summaries: Mapping[str, Any],
                        extra_headers: Mapping[str, str] | None = None) -> Response:
    """:func:`represent` for a page built on background aggregates (``summaries``: ``{key:
    api.summaries.Summary}``). While one is not the current data's, the page is not the representation of
    this data version: it is sent with ``Cache-Control: no-store`` and no validators, so that no cache
    (nor a conditional request) keeps it in place of the complete page (RFC 9111 §5.2.2.5)."""
    if all(s.ready for s in summaries.values()) or not_modified(request.headers, version, variant):
        # a client holding this version's complete page keeps it (304), whatever is recomputed meanwhile
        return represent(request, body_fn, media_type, version, variant, extra_headers)
    body = body_fn()
    headers = {**(extra_headers or {}), "Cache-Control": "no-store"}
    if request.method == "HEAD":
        return Response(content=b"", media_type=media_type, headers={**headers, "Content-Length": str(len(body))})
    return Response(content=body, media_type=media_type, headers=headers)


def get_and_head(router: APIRouter, path: str, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: serve ``fn`` on ``path`` for GET and HEAD, as two routes so that each OpenAPI
    operation has its own ``operationId`` (OpenAPI 3.1 §4.8.10: unique; one ``api_route`` with two
    methods would give both the same one). HEAD's is ``{fn.__name__}_head``."""
    def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
        router.add_api_route(path, fn, methods=["GET"], response_class=Response, **kwargs)
        router.add_api_route(path, fn, methods=["HEAD"], response_class=Response,
                             operation_id=f"{fn.__name__}_head", **kwargs)
        return fn
    return decorator


#: The body of an error answer: an RFC 9457 problem document (an HTML page for a browser's 404/406).
PROBLEM_CONTENT = {"application/problem+json": {"schema": {"type": "object", "properties": {
    "type": {"type": "string", "format": "uri-reference"}, "title": {"type": "string"},
    "status": {"type": "integer"}, "detail": {"type": "string"}}}},
    "text/html": {"schema": {"type": "string"}}}


def responses(*statuses: int, content: Mapping[str, Any] | None = None,
              descriptions: Mapping[int, str] | None = None) -> dict[int | str, dict[str, Any]]:
    """OpenAPI 3.1 Responses Object (§4.8.16) of a route: the ``statuses`` it really answers, 200 with
    ``content`` (media type → Media Type Object), 303 with its ``Location``, errors as problem+json, and a
    ``default`` for the rest (problem+json: 500, 503...). Passing this as ``responses=`` also keeps
    FastAPI from documenting its own 422 (HTTPValidationError), which routes whose parameters are
    plain strings never answer (schemathesis ST103: undocumented status codes)."""
    known = {200: "The representation chosen (RFC 9110 §12.5.1)",
             303: "See Other: the document describing the resource (W3C Cool URIs §4.3)",
             206: "Partial Content (RFC 9110 §15.3.7): the one byte range asked for, with Content-Range",
             304: "Not Modified (RFC 9110 §15.4.5): the client's copy is current",
             416: "Range Not Satisfiable (RFC 9110 §15.5.17): the range starts past the end; Content-Range gives the size",
             404: "Not Found (problem+json, or an HTML page for a browser)",
             406: "Not Acceptable: no offered media type fits Accept (problem+json)",
             422: "A parameter is missing, repeated or mistyped (problem+json)"}
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        entry: dict[str, Any] = {"description": (descriptions or {}).get(status) or known.get(status, str(status))}
        if status == 200 and content:
            entry["content"] = dict(content)
        elif status == 303:
            entry["headers"] = {"Location": {"description": "the document's path", "schema": {"type": "string"}}}
        elif status == 206 and content:
            entry["content"] = dict(content)
        elif status == 416:
            entry["headers"] = {"Content-Range": {"description": "bytes */{size}", "schema": {"type": "string"}}}
        elif status >= 400:
            entry["content"] = PROBLEM_CONTENT
        out[status] = entry
    out["default"] = {"description": "Any other error, as problem+json (RFC 9457)",
                      "content": {"application/problem+json": PROBLEM_CONTENT["application/problem+json"]}}
    return out


def media_schema(media_type: str) -> dict[str, Any]:
    """OpenAPI Schema Object of a body of ``media_type``: JSON ones (``application/json``, ``+json``
    suffixes, RFC 6839 §3.1) are an object or array, as a client parses them; any other is a string."""
    json_like = media_type == "application/json" or media_type.endswith("+json")
    return {"type": ["object", "array"]} if json_like else {"type": "string"}


#: The media types of a negotiated document (``/doc``, ``/ontology``, ``/.well-known/void``), for OpenAPI.
DOCUMENT_CONTENT = {mt: {"schema": media_schema(mt)} for mt, _ in VARIANTS.values()}
#: The media types of an RDF-only document (``/graph``, ``/.well-known/void``), for OpenAPI.
RDF_CONTENT = {mt: {"schema": media_schema(mt)} for mt, _ in RDF_VARIANTS.values()}


def cached(ctx: Any, key: str, version: DataVersion, compute: Callable[[], Any]) -> Any:
    """``compute()``, remembered on ``ctx.cache`` until the data version changes (aggregates such as
    facet counts and chart data are costly on a large graph and change only with the data)."""
    hit = ctx.cache.get(key)
    if hit is not None and hit[0] == version.tag:
        return hit[1]
    value = compute()
    ctx.cache[key] = (version.tag, value)
    return value


def templates(ctx: Any) -> jinja2.Environment:
    """The jinja2 environment (autoescaping HTML) for ``api/templates``, cached on ``ctx``."""
    env = ctx.cache.get("jinja")
    if env is None:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
                                 autoescape=jinja2.select_autoescape(["html", "xml", "svg"]),
                                 undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        env.globals["base_iri"] = ctx.settings.base_iri
        ctx.cache["jinja"] = env
    return env


def render_html(ctx: Any, template: str, **model: Any) -> bytes:
    """Render ``{template}.html`` with ``model`` to UTF-8 bytes."""
    model.setdefault("alternates", [])
    model.setdefault("jsonld", "")
    return templates(ctx).get_template(f"{template}.html").render(**model).encode("utf-8")


def alternates(path: str, variants: Mapping[str, tuple[str, str]] = RDF_VARIANTS) -> list[dict[str, str]]:
    """``<link rel="alternate">`` entries for a document path: ``[{"type", "href", "name"}]``."""
    return [{"type": mt, "href": f"{path}.{ext}", "name": name} for name, (mt, ext) in variants.items()]


#: Licence of the data (the graph, its dumps and documents): Creative Commons Attribution 4.0, the
#: licence of the reference datasets every graph includes (``ontology/reference/sources.csv``). The
#: ontology itself keeps the project's software licence (``ontology/policykg.ttl``).
DATA_LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")


def dataset_iri(base: str) -> URIRef:
    """The persistent IRI of the whole dataset, ``{base}dataset/policykg``: under the base IRI like the
    reference datasets (``{base}dataset/agencies``...), whatever host serves it (W3C Data on the Web Best
    Practices, BP 10). It dereferences (303) to ``/.well-known/void``, which describes it."""
    return URIRef(f"{base}dataset/policykg")


def document_links(iri: str, path: str, variants: Mapping[str, tuple[str, str]] = VARIANTS) -> str:
    """The ``Link`` header of a document at ``path`` about ``iri`` (RFC 8288): ``rel="describes"``
    (RFC 6892) naming the thing described, and one ``rel="alternate"`` with its ``type`` per variant
    (``{path}.{ext}``), so a client that got one format finds the others without guessing."""
    links = [f'<{iri}>; rel="describes"']
    links += [f'<{path}.{ext}>; rel="alternate"; type="{mt}"' for mt, ext in variants.values()]
    return ", ".join(links)


def about_document(graph: rdflib.Graph, document: URIRef, topic: URIRef, base: str) -> rdflib.Graph:
    """``graph`` plus what the document says of itself: ``foaf:primaryTopic`` (the resource it is
    about), ``void:inDataset`` (the dataset, ``{base}dataset/policykg``) and ``dcterms:license``, so
    that a crawler that fetched one document finds the dataset and the terms of use (VoID §6,
    W3C Data on the Web Best Practices BP 1 and BP 4). ``document`` is the persistent
    ``{base}doc/...`` IRI; ``graph`` itself is not changed."""
    out = rdflib.Graph()
    for t in graph:
        out.add(t)
    out.add((document, FOAF.primaryTopic, topic))
    out.add((document, VOID.inDataset, dataset_iri(base)))
    out.add((document, DCTERMS.license, DATA_LICENSE))
    return out


#: Kinds of resource that filter ``/policies`` (its parameter is the kind's name).
_LIST_FILTERS = ("region", "agency", "sector", "genre", "instrument")


def _policies_list_href(iri: URIRef, base: str) -> str:
    """``/policies?{kind}={slug}`` for a region, agency or concept of a filtering vocabulary, else ""."""
    kind = kind_of(iri, base)
    if kind not in _LIST_FILTERS:
        return ""
    return f"/policies?{kind}={quote(str(iri).rsplit('/', 1)[-1], safe='')}"


def _split_slug(slug: str) -> tuple[str, str | None]:
    stem, dot, ext = slug.rpartition(".")
    if dot and ext in _EXTENSIONS and stem:
        return stem, _EXTENSIONS[ext]
    return slug, None


_YEAR = re.compile(r"^[0-9]{4}\Z")  # ASCII digits, and no final newline ($ would allow one)


def _int_param(params: Mapping[str, str], name: str, low: int, high: int) -> int | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:  # "²" is a digit to isdigit()
        raise ParameterError(f"parameter {name!r} must be an integer from {low} to {high}, got {raw!r}",
                             field=name)
    return int(raw)


#: The filters of ``/policies`` that name a resource, typed as the canned queries' parameters.
_POLICY_FILTERS = {
    "region": ParamSpec("region", "region"),
    "agency": ParamSpec("agency", "agency"),
    "instrument": ParamSpec("instrument", "concept", scheme="instrument"),
    "sector": ParamSpec("sector", "concept", scheme="sector"),
    "genre": ParamSpec("genre", "concept", scheme="genre"),
}


def _resource_param(store: Any, params: Mapping[str, str], name: str, base: str) -> URIRef | None:
    """The resource the ``/policies`` filter ``name`` names, read as the canned queries read their
    parameters (:meth:`ParamSpec.to_term`, :func:`resolve_resource`): a code or slug in any case, or
    a name ("Shandong", "NDRC"); ``None`` when the filter is not given. Raises
    :class:`ParameterError` (422) for text that cannot name one, :class:`NotFound` (404) for one the
    graph does not have: an empty list would read as "no policies" rather than "no such region"."""
    raw = params.get(name, "").strip()
    if not raw:
        return None
    spec = _POLICY_FILTERS[name]
    return resolve_resource(store, spec, spec.to_term(raw, base), raw, base)


#: The parameters of ``/policies``; each takes one value (a repeated one is a 422 ParameterError), and
#: any other is a 422 naming them: a filter the page does not have ("concept=power") must not list every policy.
_POLICY_PARAMS = frozenset({"region", "agency", "instrument", "sector", "genre", "year", "q", "page"})


def _resource_doc(name: str, what: str, example: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": {"type": "string"}, "example": example,
            "description": f"{what}: its IRI, slug or name (a label, alternative label or code, any case). "
                           "404 when nothing has it; 422 naming the candidates when several do"}


#: The OpenAPI description of the filters of ``/policies`` (read by hand from the query string, so that an
#: unknown or repeated parameter is refused: FastAPI would not declare them itself).
_POLICY_PARAM_DOCS: list[dict[str, Any]] = [
    _resource_doc("region", "Jurisdiction, with the regions inside it (a province takes in its cities)", "CN-SD"),
    _resource_doc("agency", "An issuer (also named in a group headline) or the host of the source", "ndrc"),
    _resource_doc("instrument", "Policy instrument, with its narrower instruments", "subsidies"),
    _resource_doc("sector", "Sector, with its narrower sectors", "power"),
    _resource_doc("genre", "Document genre, with its narrower genres", "action-plan"),
    {"name": "year", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1000,
                                                                  "maximum": 9999},
     "description": "Publication year (the year a policy was published; /year/{y} lists targets due that year)"},
    {"name": "q", "in": "query", "required": False, "schema": {"type": "string", "maxLength": 200},
     "description": "Words in the title, or in the name of an issuer or of the source's host, any case"},
    {"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1,
                                                                  "maximum": 10000, "default": 1},
     "description": "Page of 100 policies, newest first"},
]


#: Briefings a page of ``/briefings`` lists.
BRIEFING_PAGE_SIZE = 100
#: The OpenAPI description of ``/briefings``' page parameter.
_BRIEFING_PAGE_DOC: dict[str, Any] = {
    "name": "page", "in": "query", "required": False,
    "schema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 1},
    "description": f"Page of {BRIEFING_PAGE_SIZE} briefings, newest first (404 after the last)"}

#: The OpenAPI description of ``/year/{yyyy}``'s page parameter.
_YEAR_PAGE_DOC: dict[str, Any] = {
    "name": "page", "in": "query", "required": False,
    "schema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 1},
    "description": f"Page of {YEAR_PAGE_SIZE} targets (404 after the last)"}


def build_router(ctx: Any) -> APIRouter:
    """The linked-data router for the app context ``ctx`` (settings, store, cache)."""
    router = APIRouter(tags=["linked data"])
    base = ctx.settings.base_iri
    store = ctx.store

    @get_and_head(router, "/id/{kind}/{slug}", summary="Dereference a resource IRI (303 to its document)",
                  status_code=303, responses=responses(303, 404))
    def identify(kind: str, slug: str, request: Request) -> Response:
        iri = resource_iri(base, kind, slug)
        if not resource_exists(store, iri):
            raise no_resource(store, iri)
        target = f"/doc/{kind}/{slug}"
        link = f'<{target}>; rel="describedby"'  # POWDER §4.1.4 / RFC 8288: the document about the thing
        if request.url.query:
            target += f"?{request.url.query}"
        return RedirectResponse(target, status_code=303, headers={"Vary": "Accept", "Link": link})

    @get_and_head(router, "/doc/{kind}/{slug}", summary="The document describing a resource (HTML, Turtle, JSON-LD, N-Triples, RDF/XML)",
                  responses=responses(200, 304, 404, 406, content=DOCUMENT_CONTENT))
    def document(kind: str, slug: str, request: Request) -> Response:
        stem, ext_variant = _split_slug(slug)
        return _document(request, resource_iri(base, kind, stem), f"/doc/{kind}/{stem}",
                         URIRef(f"{base}doc/{kind}/{stem}"), ext_variant)

    @get_and_head(router, "/external/{scheme}/{slug}",
                  summary="A concept of an outside classification, as policykg transcribes it (HTML, Turtle, ...)",
                  description="The classifications policykg's vocabularies are mapped to (skos:closeMatch): "
                              "Climate Change Laws of the World (cclw), the Climate Policy Database (cpd) and the "
                              "2006 IPCC Guidelines' sectors (ipcc2006). Their IRIs are policykg's own, under "
                              f"{EXTERNAL_NS}, and answer here like any resource's.",
                  responses=responses(200, 304, 404, 406, content=DOCUMENT_CONTENT))
    def external(scheme: str, slug: str, request: Request) -> Response:
        stem, ext_variant = _split_slug(slug)
        if not (SLUG_PATTERN.match(scheme) and SLUG_PATTERN.match(stem)):
            raise NotFound(f"no resource {EXTERNAL_NS}{scheme}/{stem}")
        iri = URIRef(f"{EXTERNAL_NS}{scheme}/{stem}")  # a scheme in the wrong case: no_resource's hint
        return _document(request, iri, f"/external/{scheme}/{stem}", None, ext_variant)

    def _document(request: Request, iri: URIRef, path: str, doc_iri: URIRef | None,
                  ext_variant: str | None) -> Response:
        """The document about ``iri`` served at ``path``: negotiated (or ``ext_variant``, from a suffix),
        HTML or RDF; ``doc_iri`` is the document's own persistent IRI, when it has one."""
        negotiated = ext_variant is None and "format" not in request.query_params
        variant, label = negotiate_variant(request.headers.get("accept"), VARIANTS,
                                           ext_variant or request.query_params.get("format"))
        version = store.data_version()
        if not resource_exists(store, iri):
            raise no_resource(store, iri)
        # the description is read in body(), only for a body: a conditional request that the ETag answers
        # (304) costs one ASK: 0.5 ms, against 2.2 s to describe Guangdong on the 100,000-policy benchmark graph
        headers = {"Link": document_links(iri, path)}
        if negotiated:
            headers["Vary"] = "Accept"
            headers["Content-Location"] = f"{path}.{VARIANTS[variant][1]}"
        media_type = VARIANTS[variant][0]
        if variant == "html":
            kind = kind_of(iri, base)
            # a concept's policies as the list selects them (with the narrower concepts'), the count from the
            # list's filter counts when they are ready (not waited for: the page says no number then, and is
            # sent uncached, so that no 304 keeps it once the count is there)
            got = ctx.summaries.get_many(version, {"facets": list_aggregates(ctx)["facets"]}, 0) \
                if kind in ("instrument", "sector", "genre") else {}

            def body() -> bytes:
                graph, partial = describe_bounded(store, iri)
                reads = ctx.page_reads()
                name, page = page_for(reads, graph, iri, base)
                page["partial_links"] = partial
                page["list_href"] = _policies_list_href(iri, base)
                if name == "concept" and got:
                    facets = got["facets"]
                    page.update(concept_policies(reads, iri, kind, base, facets.value if facets.ready else None))
                return render_html(ctx, name, page=page, title=page["title"], alternates=alternates(path),
                                   jsonld=page["jsonld"])
            media_type = "text/html; charset=utf-8"
            if got:
                media_type, tag = labelled(variant, media_type, label)
                return represent_summaries(request, body, media_type, version, tag, got, headers)
        else:
            def body() -> bytes:
                graph, partial = describe_bounded(store, iri)
                graph = graph if doc_iri is None else about_document(graph, doc_iri, iri, base)
                if partial and doc_iri is not None:
                    graph.add((doc_iri, RDFS.comment, Literal(
                        f"More than {partial:,} links lead to <{iri}>; this document holds {partial:,} of them, "
                        "in no particular order. The SPARQL endpoint answers for all of them.",
                        lang="en")))
                return serialize_graph(graph, _BY_NAME[variant], subject=iri)
            if variant == "turtle":
                media_type = "text/turtle; charset=utf-8"
        media_type, tag = labelled(variant, media_type, label)  # under the alias the client named, if it must be
        return represent(request, body, media_type, version, tag, headers)

    @get_and_head(router, "/context.jsonld", summary="The JSON-LD @context of policykg's JSON-LD documents",
                  responses={200: {"content": {"application/ld+json": {"schema": {"type": "object"}}}},
                             304: {"description": "Not modified"}})
    def context(request: Request) -> Response:
        version = store.data_version()
        body = json.dumps({"@context": jsonld_context()}, indent=1).encode("utf-8")
        # the context changes only with the code, but one validator scheme keeps caches simple
        return represent(request, lambda: body, "application/ld+json", version, "context",
                         {"Cache-Control": "public, max-age=86400"})

    @get_and_head(router, "/policies", summary="Policies, filtered by region, agency, instrument, sector, genre, year, and searched by title",
                  responses=responses(200, 304, 404, 422, content={"text/html": {"schema": {"type": "string"}}}),
                  openapi_extra={"parameters": _POLICY_PARAM_DOCS})
    def policies(request: Request) -> Response:
        params = request.query_params
        unknown = sorted({k for k in params if k not in _POLICY_PARAMS})
        if unknown:
            raise ParameterError(f"unknown parameter {unknown[0]!r}: /policies takes "
                                 f"{', '.join(sorted(_POLICY_PARAMS))}", field=unknown[0])
        given = [k for k, _ in params.multi_items() if k in _POLICY_PARAMS]
        repeated = sorted({k for k in given if given.count(k) > 1})
        if repeated:  # one value each: the last would silently win, as the canned queries refuse too
            raise ParameterError(f"give parameter {repeated[0]!r} once", field=repeated[0])
        q = params.get("q", "").strip()
        if len(q) > 200:
            raise ParameterError("parameter 'q' is longer than 200 characters", field="q")
        page_no = _int_param(params, "page", 1, 10_000) or 1
        filters = PolicyFilters(
            region=_resource_param(store, params, "region", base),
            agency=_resource_param(store, params, "agency", base),
            instrument=_resource_param(store, params, "instrument", base),
            sector=_resource_param(store, params, "sector", base),
            genre=_resource_param(store, params, "genre", base),
            year=_int_param(params, "year", 1000, 9999),
            q=q, limit=101, offset=(page_no - 1) * 100,
        )
        version = store.data_version()
        unfiltered = not (q or any(getattr(filters, k) is not None for k in (*_POLICY_FILTERS, "year")))
        # the facets fill the form (and count one filter's policies); the class counts only the unfiltered list's
        got = ctx.summaries.get_many(version, {k: compute for k, compute in list_aggregates(ctx).items()
                                               if k == "facets" or unfiltered})

        def body() -> bytes:
            reads = ctx.page_reads()
            rows = list_policies(reads, filters, base)
            chosen = {k: params.get(k, "") for k in ("region", "agency", "instrument", "sector", "genre", "year", "q")}
            for k in _POLICY_FILTERS:  # as resolved ("cn-sd", "Shandong": CN-SD), so the form shows it chosen
                iri = getattr(filters, k)
                if iri is not None:
                    chosen[k] = str(iri).rsplit("/", 1)[-1]
            more = len(rows) > 100
            # how many in all, when an aggregate of the data version the rows are of counts them (one filter or none)
            ready = {k: v.value if v.ready else None for k, v in got.items()}
            total = listed_total(filters, ready["facets"], ready.get("counts"))
            listed = filters.offset + min(len(rows), 100)
            if total is not None and (store.data_version() != version  # a write landed since the aggregates' version
                                      or (total <= listed if more else total != listed if rows else total > listed)):
                total = None  # a count the rows contradict is not shown
            keep = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "page"])
            return render_html(ctx, "policies", title="Policies", rows=rows[:100],
                               facets=got["facets"].value or {}, pending=pending_notice(got),
                               chosen=chosen, page_no=page_no, more=more, keep=keep, total=total,
                               first=filters.offset + 1)
        return represent_summaries(request, body, "text/html; charset=utf-8", version, "html", got)

    @get_and_head(router, "/briefings", summary="The briefings the graph was read from, newest first",
                  description=f"Pages of {BRIEFING_PAGE_SIZE} briefings, each with its date, series, source file and "
                              "how many policies, reports and targets it gave; a page after the last is 404.",
                  responses=responses(200, 304, 404, 422, content={"text/html": {"schema": {"type": "string"}}}),
                  openapi_extra={"parameters": [_BRIEFING_PAGE_DOC]})
    def briefings(request: Request) -> Response:
        params = request.query_params
        unknown = sorted({k for k in params if k != "page"})
        if unknown:
            raise ParameterError(f"unknown parameter {unknown[0]!r}: /briefings takes page", field=unknown[0])
        if len(params.getlist("page")) > 1:
            raise ParameterError("give parameter 'page' once", field="page")
        page_no = _int_param(params, "page", 1, 10_000) or 1
        version = store.data_version()
        got = ctx.summaries.get_many(version, {"briefings": lambda: list_briefings(ctx.summary_reads(), base)})
        listed = got["briefings"].value
        # past the end only by the list of this data version: an earlier one (while a write's list is computed)
        # may be shorter
        if got["briefings"].ready and page_no > 1 and (page_no - 1) * BRIEFING_PAGE_SIZE >= len(listed or []):
            listed = listed or []
            pages = -(-len(listed) // BRIEFING_PAGE_SIZE)
            raise NotFound(f"no page {page_no} of the briefings: there {'is' if pages == 1 else 'are'} {pages}")

        def body() -> bytes:
            rows = listed or []
            first = (page_no - 1) * BRIEFING_PAGE_SIZE
            shown = rows[first:first + BRIEFING_PAGE_SIZE]
            return render_html(ctx, "briefings", title="Briefings" + (f", page {page_no}" if page_no > 1 else ""),
                               rows=shown, total=len(rows) if listed is not None else None, first=first + 1,
                               page_no=page_no, more=first + BRIEFING_PAGE_SIZE < len(rows),
                               pending=pending_notice(got))
        return represent_summaries(request, body, "text/html; charset=utf-8", version, "html", got)

    @get_and_head(router, "/year/{year}", summary="Targets due in a year",
                  description=f"Pages of {YEAR_PAGE_SIZE} targets, by region, policy title and indicator; "
                              "a page after the last is 404.",
                  responses=responses(200, 304, 404, 422, content={"text/html": {"schema": {"type": "string"}}}),
                  openapi_extra={"parameters": [_YEAR_PAGE_DOC]})
    def year(year: str, request: Request) -> Response:
        if not _YEAR.match(year):
            raise NotFound(f"{year!r} is not a four-digit year")
        if len(request.query_params.getlist("page")) > 1:
            raise ParameterError("give parameter 'page' once", field="page")
        page_no = _int_param(request.query_params, "page", 1, 10_000) or 1
        version = store.data_version()

        def body() -> bytes:
            page = year_page(ctx.page_reads(), int(year), base, page_no)
            title = page["title"] + (f", page {page_no}" if page_no > 1 else "")
            return render_html(ctx, "year", page=page, title=title)
        return represent(request, body, "text/html; charset=utf-8", version, "html")

    return router

