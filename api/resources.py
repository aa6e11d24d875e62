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
  Among types the client weighs equally, RDF is preferred to HTML (server order).
* ``GET /context.jsonld``: the JSON-LD ``@context`` of our JSON-LD documents, at a stable URL.
* ``GET /policies``: the policies list, with filters and a search box.
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
from urllib.parse import urlencode
from typing import Any, Callable, Mapping

import jinja2
import rdflib
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from rdflib import URIRef

from policykg import __version__
from policykg.describe import (SLUG_PATTERN, PolicyFilters, describe, facet_options, list_policies, page_for,
                               resource_exists, resource_iri, year_page)
from policykg.errors import NotAcceptable, NotFound, ParameterError
from policykg.rdfio import FORMATS, RdfFormatInfo, jsonld_context, serialize_graph
from policykg.store import DataVersion
from policykg.vocab import DCTERMS, FOAF, VOID

from .negotiate import choose, parse_accept

__all__ = [
    "build_router", "VARIANTS", "RDF_VARIANTS", "OFFERED", "choose_variant", "not_modified", "validators",
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


def choose_variant(accept: str | None, variants: Mapping[str, tuple[str, str]] = VARIANTS,
                   override: str | None = None) -> str:
    """The variant name to serve: ``override`` (a ``?format=`` value or an extension) when given,
    else the one :func:`api.negotiate.choose` picks from ``accept`` among ``variants``.

    Raises :class:`~policykg.errors.NotAcceptable` (406) when nothing fits, naming what is offered.
    """
    # Aliases (application/x-turtle...) are offered only when the client names them: a wildcard
    # must not bring back, under another name, a format the client refused with q=0.
    named = {f"{r.type}/{r.subtype}" for r in parse_accept(accept)}
    canonical = {mt for mt, _ in variants.values()}
    offered = [(mt, name) for mt, name in OFFERED if name in variants and (mt in canonical or mt in named)]
    if override is not None:
        name = _FORMAT_PARAM.get(override.strip().lower())
        if name is None or name not in variants:
            raise NotAcceptable(f"unknown format {override!r}; use one of {', '.join(variants)}")
        return name
    picked = choose(accept, [mt for mt, _ in offered])
    if picked is None:
        raise NotAcceptable(f"nothing matches Accept: {accept!r}; this resource is available as "
                            + ", ".join(mt for mt, _ in variants.values()))
    return dict(offered)[picked]


def validators(version: DataVersion, variant: str) -> dict[str, str]:
    """``ETag`` (strong: one per data version, variant and policykg release, so new templates are not
    hidden by caches) and ``Last-Modified`` (HTTP-date of the data version) headers."""
    modified = version.modified if version.modified.tzinfo else version.modified.replace(tzinfo=_dt.timezone.utc)
    return {"ETag": f'"{version.tag}-{variant}-{__version__}"',
            "Last-Modified": email.utils.format_datetime(modified, usegmt=True)}


def not_modified(headers: Mapping[str, str], version: DataVersion, variant: str) -> bool:
    """True when the request's preconditions say the client's copy is current (→ 304).

    ``If-None-Match`` is evaluated when present (weak comparison, ``*`` matches);
    ``If-Modified-Since`` only when it is absent (RFC 9110 §13.2.2). An unparseable
    date is ignored (§13.1.3).
    """
    inm = headers.get("if-none-match")
    if inm is not None:
        etag = validators(version, variant)["ETag"]
        tags = [t.strip() for t in inm.split(",")]
        return any(t == "*" or t.removeprefix("W/") == etag for t in tags)
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


def represent(request: Request, body_fn: Callable[[], bytes], media_type: str, version: DataVersion, variant: str,
              extra_headers: Mapping[str, str] | None = None) -> Response:
    """A response with validators: 304 when :func:`not_modified`, an empty body for HEAD (with the
    ``Content-Length`` of the GET body), else ``body_fn()`` as ``media_type``."""
    headers = {**validators(version, variant), **(extra_headers or {})}
    if not_modified(request.headers, version, variant):
        return Response(status_code=304, headers=headers)
    body = body_fn()
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


def _slug_param(params: Mapping[str, str], name: str, kind: str, base: str) -> URIRef | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    if not SLUG_PATTERN.match(raw):
        raise ParameterError(f"parameter {name!r} must be an identifier (letters, digits, '.', '_', '~', '-'),"
                             f" got {raw!r}", field=name)
    return resource_iri(base, kind, raw)


def build_router(ctx: Any) -> APIRouter:
    """The linked-data router for the app context ``ctx`` (settings, store, cache)."""
    router = APIRouter(tags=["linked data"])
    base = ctx.settings.base_iri
    store = ctx.store

    @get_and_head(router, "/id/{kind}/{slug}", summary="Dereference a resource IRI (303 to its document)")
    def identify(kind: str, slug: str, request: Request) -> Response:
        iri = resource_iri(base, kind, slug)
        if not resource_exists(store, iri):
            raise NotFound(f"no resource {iri}")
        target = f"/doc/{kind}/{slug}"
        link = f'<{target}>; rel="describedby"'  # POWDER §4.1.4 / RFC 8288: the document about the thing
        if request.url.query:
            target += f"?{request.url.query}"
        return RedirectResponse(target, status_code=303, headers={"Vary": "Accept", "Link": link})

    @get_and_head(router, "/doc/{kind}/{slug}", summary="The document describing a resource (HTML, Turtle, JSON-LD, N-Triples, RDF/XML)")
    def document(kind: str, slug: str, request: Request) -> Response:
        stem, ext_variant = _split_slug(slug)
        iri = resource_iri(base, kind, stem)
        negotiated = ext_variant is None and "format" not in request.query_params
        variant = choose_variant(request.headers.get("accept"), VARIANTS,
                                 ext_variant or request.query_params.get("format"))
        version = store.data_version()
        graph = describe(store, iri)
        if (iri, None, None) not in graph:
            raise NotFound(f"no resource {iri}")
        path = f"/doc/{kind}/{stem}"
        headers = {"Link": document_links(iri, path)}
        if negotiated:
            headers["Vary"] = "Accept"
            headers["Content-Location"] = f"{path}.{VARIANTS[variant][1]}"
        media_type = VARIANTS[variant][0]
        if variant == "html":
            def body() -> bytes:
                name, page = page_for(store, graph, iri, base)
                return render_html(ctx, name, page=page, title=page["title"], alternates=alternates(path),
                                   jsonld=page["jsonld"])
            media_type = "text/html; charset=utf-8"
        else:
            def body() -> bytes:
                return serialize_graph(about_document(graph, URIRef(f"{base}doc/{kind}/{stem}"), iri, base),
                                       _BY_NAME[variant], subject=iri)
            if variant == "turtle":
                media_type = "text/turtle; charset=utf-8"
        return represent(request, body, media_type, version, variant, headers)

    @get_and_head(router, "/context.jsonld", summary="The JSON-LD @context of policykg's JSON-LD documents",
                  responses={200: {"content": {"application/ld+json": {"schema": {"type": "object"}}}},
                             304: {"description": "Not modified"}})
    def context(request: Request) -> Response:
        version = store.data_version()
        body = json.dumps({"@context": jsonld_context()}, indent=1).encode("utf-8")
        # the context changes only with the code, but one validator scheme keeps caches simple
        return represent(request, lambda: body, "application/ld+json", version, "context",
                         {"Cache-Control": "public, max-age=86400"})

    @get_and_head(router, "/policies", summary="Policies, filtered by region, agency, instrument, sector, year, and searched by title")
    def policies(request: Request) -> Response:
        params = request.query_params
        q = params.get("q", "").strip()
        if len(q) > 200:
            raise ParameterError("parameter 'q' is longer than 200 characters", field="q")
        page_no = _int_param(params, "page", 1, 10_000) or 1
        filters = PolicyFilters(
            region=_slug_param(params, "region", "region", base),
            agency=_slug_param(params, "agency", "agency", base),
            instrument=_slug_param(params, "instrument", "instrument", base),
            sector=_slug_param(params, "sector", "sector", base),
            year=_int_param(params, "year", 1000, 9999),
            q=q, limit=101, offset=(page_no - 1) * 100,
        )
        version = store.data_version()

        def body() -> bytes:
            rows = list_policies(store, filters, base)
            chosen = {k: params.get(k, "") for k in ("region", "agency", "instrument", "sector", "year", "q")}
            more = len(rows) > 100
            keep = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "page"])
            return render_html(ctx, "policies", title="Policies", rows=rows[:100],
                               facets=cached(ctx, "facets", version, lambda: facet_options(store, base)),
                               chosen=chosen, page_no=page_no, more=more, keep=keep)
        return represent(request, body, "text/html; charset=utf-8", version, "html")

    @get_and_head(router, "/year/{year}", summary="Targets due in a year")
    def year(year: str, request: Request) -> Response:
        if not _YEAR.match(year):
            raise NotFound(f"{year!r} is not a four-digit year")
        version = store.data_version()

        def body() -> bytes:
            page = year_page(store, int(year), base)
            return render_html(ctx, "year", page=page, title=page["title"])
        return represent(request, body, "text/html; charset=utf-8", version, "html")

    return router

