"""The site around the data: landing page, statistics, ontology documentation, VoID, dumps, sitemap.

Routes (``build_router(ctx)``):

* ``GET /``: what the graph holds (instances per class), links to the policies list,
  regions, the SPARQL endpoint with an example query, VoID, the ontology and dumps.
* ``GET /stats``: pictures as server-side SVG (no JavaScript): targets by year and unit,
  a tile-grid map of provinces shaded by policy count, publications per month.
* ``GET /ontology`` (``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``, ``.html``; ``?format=``):
  the ontology, negotiated between HTML documentation and RDF. Read from the store's
  ontology graph ``{base}graph/ontology``, else from ``settings.ontology_dir``.
* ``GET /.well-known/void``: a VoID (W3C Interest Group Note "Describing Linked Datasets
  with the VoID Vocabulary", 2011; RFC 5785 well-known URI registered for ``void``) and
  DCAT 2 description: triples, classes, vocabularies, SPARQL endpoint, dumps with size and
  SHA-256 (SPDX checksum), licence.
* ``GET /dumps/policykg.nq.gz`` and ``GET /dumps/policykg.ttl``: the whole dataset, regenerated
  when the data version changes (cached by version).
* ``GET /query``: a query editor (YASGUI, ``@zazuko/yasgui`` from npm, bundled in ``api/static/yasgui``)
  on ``/sparql``; the only page that needs JavaScript.
* ``GET /sitemap.xml`` (sitemaps.org protocol 0.9), ``GET /robots.txt``, ``GET /static/{path}``.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import threading
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode
from xml.sax.saxutils import escape as xml_escape

import pyoxigraph as ox
import rdflib
from fastapi import APIRouter, Request
from fastapi.responses import Response
from rdflib import BNode, Literal, URIRef

from policykg.describe import (bar_chart_svg, facet_options, graph_counts, ontology_page, policies_by_region,
                               publications_by_month, sitemap_resources, targets_by_year_indicator, tile_map_svg,
                               timeline_svg)
from policykg.errors import NotFound
from policykg.ontodoc import class_examples, relation_diagram_svg
from policykg.rdfio import FORMATS, parse_rdf_file, serialize_graph
from policykg.store import DataVersion
from policykg.vocab import DCAT, DCTERMS, FOAF, OA, PKG, PKG_NS, PREFIXES, PROV, RDF, SKOS, VOID, XSD

from .resources import (RDF_VARIANTS, VARIANTS, alternates, cached, choose_variant, get_and_head, render_html,
                        represent)

__all__ = ["build_router", "Dump", "dumps", "ontology_graph", "void_graph", "EXAMPLE_QUERY"]

STATIC_DIR = Path(__file__).resolve().parent / "static"
_BY_NAME = {f.name: f for f in FORMATS}
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
#: Licence of the data and ontology (the project's licence, pyproject.toml).
LICENSE = URIRef("https://www.apache.org/licenses/LICENSE-2.0")

#: The example query on the landing page: policies with their targets for one year.
EXAMPLE_QUERY = """PREFIX pkg: <https://w3id.org/policykg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?policy ?title ?indicator ?value ?unit WHERE {
  ?policy a pkg:Policy ; dcterms:title ?title ; pkg:setsTarget ?t .
  ?t pkg:targetYear "2025"^^<http://www.w3.org/2001/XMLSchema#gYear> ; pkg:indicator ?indicator .
  OPTIONAL { ?t pkg:value ?value ; pkg:unitText ?unit }
  FILTER(langMatches(lang(?title), "en"))
} ORDER BY ?title LIMIT 50"""


class Dump:
    """One dump file: ``name``, ``media_type`` (of the content), ``encoding`` (compression, e.g. ``gzip``),
    ``body`` (the bytes served), ``size`` (bytes) and ``sha256`` (hex) of ``body``."""

    def __init__(self, name: str, media_type: str, body: bytes, encoding: str | None = None):
        self.name, self.media_type, self.body, self.encoding = name, media_type, body, encoding
        #: the Content-Type the file is served with: the compression format for a compressed file
        self.served_type = f"application/{encoding}" if encoding else media_type
        self.size = len(body)
        self.sha256 = hashlib.sha256(body).hexdigest()


_DUMP_LOCK = threading.Lock()


def dumps(ctx: Any, version: DataVersion) -> dict[str, Dump]:
    """The dumps of data version ``version``, built once per version and cached on ``ctx``:
    ``policykg.nq.gz`` (N-Quads, gzip, every named graph) and ``policykg.ttl`` (the union of
    the graphs as Turtle, duplicates removed)."""
    with _DUMP_LOCK:
        cached = ctx.cache.get("dumps")
        if cached is not None and cached[0] == version.tag:
            return cached[1]
        nquads = ctx.store.dump_nquads()
        nq_gz = gzip.compress(nquads, mtime=0)
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS)}
        ttl = ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.TURTLE, prefixes=dict(PREFIXES)) or b""
        built = {
            "policykg.nq.gz": Dump("policykg.nq.gz", "application/n-quads", nq_gz, "gzip"),
            "policykg.ttl": Dump("policykg.ttl", "text/turtle", ttl),
        }
        ctx.cache["dumps"] = (version.tag, built)
        return built


def ontology_graph(ctx: Any, version: DataVersion) -> rdflib.Graph:
    """The ontology as an rdflib graph: the store's ``{base}graph/ontology`` graph when it is not
    empty, else ``policykg.reference.load_ontology_graph(settings.ontology_dir)`` when that
    function exists, else the Turtle files of ``settings.ontology_dir`` (``*.ttl`` and
    ``vocab/*.ttl``). Cached per data version."""
    cached = ctx.cache.get("ontology")
    if cached is not None and cached[0] == version.tag:
        return cached[1]
    g = ctx.store.construct("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
                            {"g": ctx.minter.ontology_graph})
    if not len(g):
        g = _ontology_from_files(ctx.settings.ontology_dir)
    ctx.cache["ontology"] = (version.tag, g)
    return g


def _ontology_from_files(directory: Path) -> rdflib.Graph:
    try:
        from policykg.reference import load_ontology_graph  # noqa: PLC0415 - written by the ontology engineer
    except ImportError:
        load_ontology_graph = None
    if load_ontology_graph is not None:
        return load_ontology_graph(directory)
    g = rdflib.Graph()
    for path in sorted(Path(directory).glob("*.ttl")) + sorted(Path(directory).glob("vocab/*.ttl")):
        for t in parse_rdf_file(path).default_graph:
            g.add(t)
    return g


def void_graph(ctx: Any, site: str, version: DataVersion) -> rdflib.Graph:
    """The VoID + DCAT description of the dataset served at ``site`` (absolute URL ending in ``/``)."""
    store = ctx.store
    base = ctx.settings.base_iri
    g = rdflib.Graph()
    ds = URIRef(f"{site}.well-known/void#policykg")
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal("policykg: China climate and energy policies", lang="en")))
    g.add((ds, DCTERMS.description, Literal(
        "A knowledge graph of China's climate and energy policies (policies, agencies, regions, targets, provisions, "
        "instruments, sectors) built from policy-tracker briefings, with text-span evidence for each fact.", lang="en")))
    g.add((ds, DCTERMS.license, LICENSE))
    g.add((ds, DCTERMS.modified, Literal(version.modified.isoformat(), datatype=XSD.dateTime)))
    g.add((ds, FOAF.homepage, URIRef(site)))
    g.add((ds, VOID.sparqlEndpoint, URIRef(f"{site}sparql")))
    g.add((ds, VOID.uriSpace, Literal(f"{base}id/")))
    g.add((ds, VOID.rootResource, URIRef(f"{site}policies")))
    for vocab in (PKG_NS, str(DCTERMS), str(SKOS), str(OA), str(PROV), "http://www.w3.org/ns/org#",
                  "https://schema.org/", "http://qudt.org/vocab/unit/"):
        g.add((ds, VOID.vocabulary, URIRef(vocab)))
    # counts: SPARQL aggregates over the union graph
    row = store.select("SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?props) "
                       "WHERE { ?s ?p ?o }")[0]
    classes = store.select("SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?c } GROUP BY ?c ORDER BY ?c")
    g.add((ds, VOID.triples, Literal(int(row["n"]))))
    g.add((ds, VOID.distinctSubjects, Literal(int(row["subjects"]))))
    g.add((ds, VOID.properties, Literal(int(row["props"]))))
    g.add((ds, VOID.classes, Literal(len(classes))))
    for i, r in enumerate(classes):
        if not str(r["c"]).startswith(PKG_NS):
            continue
        part = URIRef(f"{site}.well-known/void#class-{str(r['c']).rsplit('#', 1)[-1]}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], r["c"]))
        g.add((part, VOID.entities, Literal(int(r["n"]))))
    example = store.select(f"SELECT ?x WHERE {{ ?x a <{PKG.Policy}> }} ORDER BY ?x LIMIT 1")
    if example:
        g.add((ds, VOID.exampleResource, example[0]["x"]))
    for dump in dumps(ctx, version).values():
        url = URIRef(f"{site}dumps/{dump.name}")
        g.add((ds, VOID.dataDump, url))
        dist = URIRef(f"{site}.well-known/void#dump-{dump.name}")
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{dump.media_type}")))
        if dump.encoding:
            g.add((dist, DCAT.compressFormat, URIRef(f"https://www.iana.org/assignments/media-types/application/{dump.encoding}")))
        g.add((dist, DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger)))
        checksum = BNode()
        g.add((dist, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary)))
        g.add((dist, DCTERMS.license, LICENSE))
    service = URIRef(f"{site}.well-known/void#sparql")
    g.add((ds, DCAT.distribution, service))
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCAT.endpointURL, URIRef(f"{site}sparql")))
    g.add((service, DCAT.servesDataset, ds))
    g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    g.bind("spdx", SPDX)
    return g


def _site(request: Request) -> str:
    site = str(request.base_url)
    return site if site.endswith("/") else site + "/"


def editor_queries(ctx: Any) -> list[dict[str, str]]:
    """The canned queries as the query editor offers them: name, summary, and SPARQL text to edit.

    Each text has its example (else default) parameter values bound in a
    ``VALUES`` block (:func:`policykg.remote.insert_values`, terms written by
    :func:`policykg.remote.nt_term`), so that it runs as it stands; a parameter
    with neither stays unbound. The same queries answer at ``/api/queries``.
    """
    from policykg.errors import PolicyKGError  # noqa: PLC0415
    from policykg.remote import insert_values  # noqa: PLC0415
    from policykg.sparql import load_canned_queries  # noqa: PLC0415

    queries = ctx.cache.get("canned_queries")
    if queries is None:
        queries = load_canned_queries(ctx.settings.queries_dir)
    offered = []
    for name in sorted(queries):
        q = queries[name]
        examples = {p.name: p.example or p.default for p in q.params if (p.example or p.default)}
        try:
            text, bindings = q.bind(examples, ctx.settings.base_iri)
            text = insert_values(text, bindings)
        except PolicyKGError:
            text = q.sparql  # an example that does not bind: offer the query with its parameters unbound
        offered.append({"name": name, "summary": q.summary, "text": text})
    return offered


def build_router(ctx: Any) -> APIRouter:
    """The meta router for the app context ``ctx``."""
    router = APIRouter(tags=["site"])
    store = ctx.store
    base = ctx.settings.base_iri

    def _pictures(version: DataVersion) -> dict[str, str]:
        return cached(ctx, "pictures", version, lambda: {
            "targets_chart": bar_chart_svg(targets_by_year_indicator(store)),
            "tile_map": tile_map_svg(policies_by_region(store)),
            "timeline": timeline_svg(publications_by_month(store)),
        })

    @get_and_head(router, "/", summary="Landing page")
    def landing(request: Request) -> Response:
        version = store.data_version()

        def body() -> bytes:
            facets = cached(ctx, "facets", version, lambda: facet_options(store, base))
            counts = cached(ctx, "counts", version, lambda: graph_counts(store))
            years = cached(ctx, "target-years", version,
                           lambda: sorted({r["year"] for r in targets_by_year_indicator(store)}))
            return render_html(ctx, "index", title="policykg", counts=counts, facets=facets,
                               example_query=EXAMPLE_QUERY, example_href="/sparql?" + urlencode({"query": EXAMPLE_QUERY}),
                               target_years=years, tile_map=_pictures(version)["tile_map"],
                               dumps=dumps(ctx, version).values())
        return represent(request, body, "text/html; charset=utf-8", version, "html")

    @get_and_head(router, "/stats", summary="Charts (SVG)")
    def stats(request: Request) -> Response:
        version = store.data_version()
        return represent(request, lambda: render_html(ctx, "stats", title="Statistics", **_pictures(version)),
                         "text/html; charset=utf-8", version, "html")

    def _ontology(request: Request, override: str | None) -> Response:
        negotiated = override is None and "format" not in request.query_params
        variant = choose_variant(request.headers.get("accept"), VARIANTS, override or request.query_params.get("format"))
        version = store.data_version()
        graph = ontology_graph(ctx, version)
        headers = {"Vary": "Accept", "Content-Location": f"/ontology.{VARIANTS[variant][1]}"} if negotiated else {}
        if variant == "html":
            def body() -> bytes:
                page = ontology_page(graph, base)
                diagram = cached(ctx, "ontology-diagram", version, lambda: relation_diagram_svg(graph))
                examples = cached(ctx, "ontology-examples", version,
                                  lambda: class_examples(store, [URIRef(t["iri"]) for t in page["classes"]]))
                return render_html(ctx, "ontology", title=page["title"], page=page, alternates=alternates("/ontology"),
                                   diagram=diagram, examples=examples)
            return represent(request, body, "text/html; charset=utf-8", version, variant, headers)
        media = VARIANTS[variant][0] + ("; charset=utf-8" if variant == "turtle" else "")
        return represent(request, lambda: serialize_graph(graph, _BY_NAME[variant]), media, version, variant, headers)

    @get_and_head(router, "/ontology", summary="The ontology (HTML documentation, Turtle, JSON-LD, N-Triples, RDF/XML)")
    def ontology(request: Request) -> Response:
        return _ontology(request, None)

    @get_and_head(router, "/ontology.{ext}", summary="The ontology in one format")
    def ontology_ext(ext: str, request: Request) -> Response:
        if ext not in {e for _, e in VARIANTS.values()}:
            raise NotFound(f"no ontology document /ontology.{ext}")
        return _ontology(request, ext)

    @get_and_head(router, "/.well-known/void", summary="VoID and DCAT description of the dataset")
    def void(request: Request) -> Response:
        variant = choose_variant(request.headers.get("accept"), RDF_VARIANTS, request.query_params.get("format"))
        version = store.data_version()
        media = RDF_VARIANTS[variant][0] + ("; charset=utf-8" if variant == "turtle" else "")
        return represent(request, lambda: serialize_graph(void_graph(ctx, _site(request), version), _BY_NAME[variant]),
                         media, version, variant, {"Vary": "Accept"})

    @get_and_head(router, "/dumps/{name}", summary="Data dumps")
    def dump(name: str, request: Request) -> Response:
        version = store.data_version()
        files = dumps(ctx, version)
        if name not in files:
            raise NotFound(f"no dump {name!r}; dumps are {', '.join(files)}")
        d = files[name]
        digest = base64.b64encode(bytes.fromhex(d.sha256)).decode("ascii")
        return represent(request, lambda: d.body, d.served_type, version, f"dump-{d.sha256[:16]}",
                         {"Content-Disposition": f'attachment; filename="{d.name}"',
                          "Repr-Digest": f"sha-256=:{digest}:"})  # RFC 9530

    @get_and_head(router, "/query", summary="Query editor (YASGUI, bundled from npm) on the SPARQL endpoint")
    def query_editor(request: Request) -> Response:
        version = store.data_version()
        return represent(request, lambda: render_html(
            ctx, "query", title="Query editor", example_query=EXAMPLE_QUERY,
            example_href="/sparql?" + urlencode({"query": EXAMPLE_QUERY}), canned=editor_queries(ctx)),
            "text/html; charset=utf-8", version, "html")

    @get_and_head(router, "/sitemap.xml", summary="Sitemap (sitemaps.org 0.9)",
                  responses={200: {"content": {"application/xml": {"schema": {"type": "string"}}}},
                             304: {"description": "Not modified"}})
    def sitemap(request: Request) -> Response:
        version = store.data_version()
        site = _site(request).rstrip("/")

        def body() -> bytes:
            lastmod = version.modified.date().isoformat()
            paths = ["/", "/policies", "/stats", "/ontology"]
            paths += ["/doc/" + quote(iri[len(base) + 3:]) for iri in sitemap_resources(store, base, 49_990)]
            urls = "".join(f"<url><loc>{xml_escape(site + p)}</loc><lastmod>{lastmod}</lastmod></url>\n" for p in paths)
            return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "</urlset>\n").encode()
        return represent(request, body, "application/xml", version, "sitemap")

    @get_and_head(router, "/robots.txt", include_in_schema=False)
    def robots(request: Request) -> Response:
        return Response(f"User-agent: *\nDisallow: /sparql\nSitemap: {_site(request)}sitemap.xml\n",
                        media_type="text/plain")

    @get_and_head(router, "/static/{path:path}", include_in_schema=False)
    def static(path: str, request: Request) -> Response:
        target = (STATIC_DIR / path).resolve()
        if STATIC_DIR not in target.parents or not target.is_file():
            raise NotFound(f"no static file {path!r}")
        types = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml",
                 ".map": "application/json", ".png": "image/png", ".woff2": "font/woff2"}
        body = target.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers={"ETag": etag})
        return Response(body, media_type=types.get(target.suffix, "application/octet-stream"),
                        headers={"ETag": etag, "Cache-Control": "public, max-age=3600"})

    return router
