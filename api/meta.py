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
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote, urlencode
from xml.sax.saxutils import escape as xml_escape

import pyoxigraph as ox
import rdflib
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from policykg.describe import (SLUG_PATTERN, Link, bar_chart_svg, local_path, ontology_page,
                               policies_by_region, publications_by_month, sitemap_resources, targets_by_year_indicator,
                               targets_without_year, tile_map_svg, timeline_svg)
from policykg.errors import NotFound, QueryTimeout, StoreError
from policykg.ontodoc import class_examples, relation_diagram_svg
from policykg.rdfio import FORMATS, parse_rdf_file, serialize_graph
from policykg.store import DataVersion, OwnedDir, OxigraphStore, scratch_folder, seal_dump
from policykg.vocab import DCAT, DCTERMS, FOAF, OA, ONTOLOGY_IRI, OWL, PKG, PKG_NS, PREFIXES, PROV, RDF, SKOS, VOID, XSD

from .resources import (DATA_LICENSE, DOCUMENT_CONTENT, RDF_CONTENT, RDF_VARIANTS, VARIANTS, alternates, cached, dataset_iri, labelled, negotiate_variant,
                        get_and_head, if_none_match, render_html, represent, represent_summaries, responses)
from .summaries import Summary, list_aggregates, not_ready, pending_notice

__all__ = ["build_router", "Dump", "dumps", "ontology_graph", "void_graph", "dataset_page", "dataset_iri", "graph_document",
           "EXAMPLE_QUERY", "DATA_LICENSE"]

STATIC_DIR = Path(__file__).resolve().parent / "static"
_BY_NAME = {f.name: f for f in FORMATS}
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
#: Who made the dataset, as the ontology names its creator (``ontology/policykg.ttl``).
CREATOR = Literal("policykg contributors")

#: The example query on the landing page: policies with their targets for one year.
EXAMPLE_QUERY = """PREFIX pkg: <https://w3id.org/policykg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
# DISTINCT: a policy that two documents report is held in each one's named graph
SELECT DISTINCT ?policy ?title ?indicator ?value ?unit WHERE {
  ?policy a pkg:Policy ; dcterms:title ?title ; pkg:setsTarget ?t .
  ?t pkg:targetYear "2025"^^<http://www.w3.org/2001/XMLSchema#gYear> ; pkg:indicator ?indicator .
  OPTIONAL { ?t pkg:value ?value ; pkg:unitText ?unit }
  FILTER(langMatches(lang(?title), "en"))
} ORDER BY ?title LIMIT 50"""


#: The dumps' file names (:func:`build_dumps`).
DUMP_NAMES = ("policykg.nq.gz", "policykg.ttl")


class Dump:
    """One dump file: ``name``, ``media_type`` (of the content), ``encoding`` (compression, e.g. ``gzip``),
    ``body`` (the bytes served), ``size`` (bytes) and ``sha256`` (hex) of ``body``."""

    def __init__(self, name: str, media_type: str, body: bytes, encoding: str | None = None):
        self.name, self.media_type, self.body, self.encoding = name, media_type, body, encoding
        #: the Content-Type the file is served with: the compression format for a compressed file
        self.served_type = f"application/{encoding}" if encoding else media_type
        self.size = len(body)
        self.sha256 = hashlib.sha256(body).hexdigest()


def write_dumps(store: Any, out_dir: Path | str) -> None:
    """Write the dumps of ``store`` (a policykg store, or a pyoxigraph ``Store``) as it is now into the
    directory ``out_dir``, one file per name of :data:`DUMP_NAMES`: ``policykg.nq.gz`` (N-Quads, gzip,
    every named graph, ending with the quad count and checksum line of ``policykg dump``,
    :func:`policykg.store.seal_dump`, so ``policykg restore`` takes it) and ``policykg.ttl`` (the union of
    the graphs as Turtle, duplicates removed)."""
    out = Path(out_dir)
    nquads = store.dump_nquads() if hasattr(store, "dump_nquads") else store.dump(format=ox.RdfFormat.N_QUADS)
    (out / "policykg.nq.gz").write_bytes(gzip.compress(seal_dump(nquads), mtime=0))
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS)}
    del nquads
    (out / "policykg.ttl").write_bytes(
        ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.TURTLE, prefixes=dict(PREFIXES)) or b"")


def _write_dumps_of_snapshot(snapshot: str, out_dir: str) -> None:
    """:func:`write_dumps` of the read-only store snapshot at ``snapshot``: the body of the child process of
    :func:`build_dumps`."""
    write_dumps(ox.Store.read_only(snapshot), out_dir)


def build_dumps(store: Any, scratch_dir: Path | str | None = None, timeout_s: float | None = None,
                on_child: Callable[[Callable[[], None]], None] | None = None) -> dict[str, Dump]:
    """The dumps of ``store`` as it is now (:func:`write_dumps`), as ``{name: Dump}``.

    Building them parses and sorts every quad: 46 s of one core and about 2 GB on 100,000 synthetic policies
    (measured 2026-11-30). For an embedded store on disk it is done in a child process, on a snapshot of the
    store (:meth:`~policykg.store.OxigraphStore.snapshot`, hard links beside it, or in ``scratch_dir``), so
    that the server's own process keeps answering (in it, the build held the interpreter for most of that
    time) and its memory goes back to the system; the child is killed past ``timeout_s``, and
    ``on_child`` is given the function that kills it (:meth:`api.summaries.Summaries.on_close`: the
    server's shutdown ends it). An in-memory or remote store is dumped in this process. Raises :class:`~policykg.errors.StoreError` when the snapshot
    or the child fails, :class:`~policykg.errors.QueryTimeout` past ``timeout_s``.
    """
    if not (isinstance(store, OxigraphStore) and store.path is not None):
        with tempfile.TemporaryDirectory(prefix="policykg-dumps-") as out:
            write_dumps(store, out)
            return _read_dumps(Path(out))
    work = OwnedDir(scratch_folder(store.path, "dump-builds", scratch_dir))
    try:
        snapshot = store.snapshot(work.path / "store")
        child = subprocess.Popen([sys.executable, "-c", "import sys; from api.meta import _write_dumps_of_snapshot; "
                                  "_write_dumps_of_snapshot(sys.argv[1], sys.argv[2])", str(snapshot), str(work.path)],
                                 cwd=str(Path(__file__).resolve().parent.parent),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if on_child is not None:
            on_child(child.kill)
        try:
            _, err = child.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            raise QueryTimeout(f"building the dumps ran past POLICYKG_SUMMARY_TIMEOUT_S ({timeout_s:g} s) "
                               "and was stopped") from None
        if child.returncode != 0:
            last = (err or b"").decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
            raise StoreError(f"building the dumps failed (exit status {child.returncode}): {last[0]}")
        return _read_dumps(work.path)
    finally:
        work.release()


def _read_dumps(folder: Path) -> dict[str, Dump]:
    return {
        "policykg.nq.gz": Dump("policykg.nq.gz", "application/n-quads", (folder / "policykg.nq.gz").read_bytes(), "gzip"),
        "policykg.ttl": Dump("policykg.ttl", "text/turtle", (folder / "policykg.ttl").read_bytes()),
    }


def dumps(ctx: Any, version: DataVersion, wait_s: float | None = None) -> Summary[dict[str, Dump]]:
    """The dumps of data version ``version`` (:func:`build_dumps`), the background aggregate ``"dumps"``
    of ``ctx`` (:mod:`api.summaries`): built once per version."""
    return ctx.summaries.get("dumps", version, lambda: _build_dumps(ctx), wait_s)


def _build_dumps(ctx: Any) -> dict[str, Dump]:
    return build_dumps(ctx.store, ctx.settings.scratch_dir, ctx.settings.summary_timeout_s, ctx.summaries.on_close)


def void_counts(reads: Any, base: str) -> dict[str, Any]:
    """What VoID says of the store's content, read through ``reads`` (a store's read API): ``triples``,
    ``subjects``, ``properties`` (distinct), ``classes`` (``[(class IRI, instances)]``, every class),
    ``example`` (the first policy's IRI or None), ``briefings`` (IRIs), ``subsets`` (rows ``d``,
    ``title``, ``licence`` of the reference datasets ``{base}dataset/*``), ``briefing_titles``
    (``{IRI: title}``). Aggregates over every triple: the background aggregate ``"void"``."""
    row = reads.select("SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?props) "
                       "WHERE { ?s ?p ?o }")[0]
    classes = reads.select("SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?c } GROUP BY ?c ORDER BY ?c")
    example = reads.select(f"SELECT ?x WHERE {{ ?x a <{PKG.Policy}> }} ORDER BY ?x LIMIT 1")
    briefings = reads.select(f"SELECT DISTINCT ?b WHERE {{ ?b a <{PKG.Briefing}> }} ORDER BY ?b")
    subsets = reads.select(f"SELECT ?d ?title ?licence WHERE {{ ?d a <{VOID.Dataset}> "
                           f"OPTIONAL {{ ?d <{DCTERMS.title}> ?title }} OPTIONAL {{ ?d <{DCTERMS.license}> ?licence }} "
                           f"FILTER(STRSTARTS(STR(?d), \"{base}dataset/\")) }} ORDER BY ?d")
    titles = reads.select(f"SELECT ?b (MIN(STR(?title)) AS ?t) WHERE {{ ?b a <{PKG.Briefing}> ; "
                          f"<{DCTERMS.title}> ?title }} GROUP BY ?b")
    return {"triples": int(row["n"]), "subjects": int(row["subjects"]), "properties": int(row["props"]),
            "classes": [(r["c"], int(r["n"])) for r in classes],
            "example": example[0]["x"] if example else None,
            "briefings": [r["b"] for r in briefings], "subsets": [dict(r) for r in subsets],
            "briefing_titles": {r["b"]: str(r["t"]) for r in titles}}


def document_wait(ctx: Any) -> float:
    """How long a request for a document that must be complete (sitemap, VoID, dumps) waits for its
    aggregates before its 503: the query time limit, and at least the pages' wait (seconds)."""
    return max(ctx.settings.query_timeout_s, ctx.summaries.wait_s)


def void_ready(ctx: Any, version: DataVersion) -> tuple[dict[str, Any], dict[str, Dump]]:
    """VoID's counts (:func:`void_counts`) and the dumps of data version ``version``, both the current
    data's; :class:`~policykg.errors.NotReady` while either is being computed (a description with the
    last version's counts under this version's modification time would be wrong)."""
    got = ctx.summaries.get_many(version, {
        "void": lambda: void_counts(ctx.summary_reads(), ctx.settings.base_iri),
        "dumps": lambda: _build_dumps(ctx)}, document_wait(ctx))
    if not all(s.ready for s in got.values()):
        raise not_ready("the dataset description (VoID, with the dumps' sizes and checksums)", got.values())
    return got["void"].value, got["dumps"].value


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


def void_graph(ctx: Any, site: str, version: DataVersion, counts: dict[str, Any], files: dict[str, Dump]) -> rdflib.Graph:
    """The VoID + DCAT description of the dataset served at ``site`` (absolute URL ending in ``/``), with
    the store's ``counts`` (:func:`void_counts`) and dump ``files`` (:func:`build_dumps`) of ``version``.

    The dataset is :func:`dataset_iri` (host-independent); its class partitions, distributions and
    service are hash IRIs under it. Only the URLs where this server answers (SPARQL endpoint, dumps,
    home page) are ``site``-relative. Provenance (W3C DWBP BP 7): ``prov:wasDerivedFrom`` each
    briefing in the store, ``dcterms:creator``; parts (VoID §3.4): ``void:subset`` for each reference
    dataset ``{base}dataset/*`` in the store, with its title and licence.
    """
    base = ctx.settings.base_iri
    g = rdflib.Graph()
    ds = dataset_iri(base)
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal("policykg: China climate and energy policies", lang="en")))
    g.add((ds, DCTERMS.description, Literal(
        "A knowledge graph of China's climate and energy policies (policies, agencies, regions, targets, provisions, "
        "instruments, sectors) built from policy-tracker briefings, with text-span evidence for each fact.", lang="en")))
    g.add((ds, DCTERMS.license, DATA_LICENSE))
    g.add((ds, DCTERMS.creator, CREATOR))
    g.add((ds, DCTERMS.modified, Literal(version.modified.isoformat(), datatype=XSD.dateTime)))
    g.add((ds, FOAF.homepage, URIRef(site)))
    g.add((ds, VOID.sparqlEndpoint, URIRef(f"{site}sparql")))
    g.add((ds, VOID.uriSpace, Literal(f"{base}id/")))
    g.add((ds, VOID.rootResource, URIRef(f"{site}policies")))
    for vocab in (PKG_NS, str(DCTERMS), str(SKOS), str(OA), str(PROV), "http://www.w3.org/ns/org#",
                  "https://schema.org/", "http://qudt.org/vocab/unit/"):
        g.add((ds, VOID.vocabulary, URIRef(vocab)))
    # counts: SPARQL aggregates over the union graph
    g.add((ds, VOID.triples, Literal(counts["triples"])))
    g.add((ds, VOID.distinctSubjects, Literal(counts["subjects"])))
    g.add((ds, VOID.properties, Literal(counts["properties"])))
    g.add((ds, VOID.classes, Literal(len(counts["classes"]))))
    for cls, n in counts["classes"]:
        if not str(cls).startswith(PKG_NS):
            continue
        part = URIRef(f"{ds}#class-{str(cls).rsplit('#', 1)[-1]}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, Literal(n)))
    if counts["example"] is not None:
        g.add((ds, VOID.exampleResource, counts["example"]))
    for b in counts["briefings"]:
        g.add((ds, PROV.wasDerivedFrom, b))
    for r in counts["subsets"]:
        if r["d"] == ds:
            continue
        g.add((ds, VOID.subset, r["d"]))
        g.add((r["d"], RDF.type, VOID.Dataset))
        for prop, key in ((DCTERMS.title, "title"), (DCTERMS.license, "licence")):
            if r.get(key) is not None:
                g.add((r["d"], prop, r[key]))
    for dump in files.values():
        url = URIRef(f"{site}dumps/{dump.name}")
        g.add((ds, VOID.dataDump, url))
        dist = URIRef(f"{ds}#dump-{dump.name}")
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
        g.add((dist, DCTERMS.license, DATA_LICENSE))
    # DCAT 3 §6.4, §6.7: the range of dcat:distribution is dcat:Distribution; a service is reached
    # through a distribution's dcat:accessService.
    service = URIRef(f"{ds}#sparql")
    endpoint = URIRef(f"{site}sparql")
    access = URIRef(f"{ds}#sparql-access")
    g.add((ds, DCAT.distribution, access))
    g.add((access, RDF.type, DCAT.Distribution))
    g.add((access, DCAT.accessURL, endpoint))
    g.add((access, DCAT.accessService, service))
    g.add((access, DCTERMS.license, DATA_LICENSE))
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCAT.endpointURL, endpoint))
    g.add((service, DCAT.servesDataset, ds))
    g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    g.bind("spdx", SPDX)
    return g


def dataset_page(g: rdflib.Graph, ds: URIRef, base: str, titles: dict[URIRef, str]) -> dict[str, Any]:
    """The model of the HTML view of the VoID description ``g`` of dataset ``ds`` (:func:`void_graph`), so that
    the page says exactly what the RDF says: title, description, licence, creator, modification time, the
    SPARQL endpoint, URI space, root and example resources (VoID §3, §6), the statistics and class
    partitions (VoID §4.5-4.6), the subsets (§3.4), the briefings it was derived from (``titles`` maps a
    briefing IRI to its title; the IRI is shown when absent) and the dumps (DCAT distributions with their
    media type, size in bytes and SHA-256). Links go through :func:`policykg.describe.local_path` and
    :func:`policykg.describe.safe_href`, as on every page.
    """
    def one(s: Node, p: URIRef) -> Node | None:
        return g.value(s, p)

    def link(node: Node | None, text: str | None = None) -> Link | None:
        return None if node is None else Link(local_path(node, base), text or str(node), str(node))

    def number(s: Node, p: URIRef) -> int | None:
        value = one(s, p)
        return None if value is None else int(value)

    partitions = []
    for part in g.objects(ds, VOID.classPartition):
        cls = one(part, VOID["class"])
        partitions.append({"class": link(cls, "pkg:" + str(cls).rsplit("#", 1)[-1]),
                           "entities": number(part, VOID.entities)})
    partitions.sort(key=lambda r: r["class"].text)
    subsets = sorted(({"dataset": link(d, str(one(d, DCTERMS.title) or d)), "license": link(one(d, DCTERMS.license))}
                      for d in g.objects(ds, VOID.subset)), key=lambda r: r["dataset"].text)
    briefings = sorted((link(b, titles.get(b)) for b in g.objects(ds, PROV.wasDerivedFrom)), key=lambda x: x.text)
    dumps_ = []
    for dist in g.objects(ds, DCAT.distribution):
        url = one(dist, DCAT.downloadURL)
        if url is None:
            continue
        checksum = one(dist, SPDX.checksum)
        media = str(one(dist, DCAT.mediaType) or "").removeprefix("https://www.iana.org/assignments/media-types/")
        compress = str(one(dist, DCAT.compressFormat) or "").rsplit("/", 1)[-1]
        dumps_.append({"link": link(url, str(url).rsplit("/", 1)[-1]), "media_type": media, "compression": compress,
                       "bytes": number(dist, DCAT.byteSize),
                       "sha256": str(one(checksum, SPDX.checksumValue) or "") if checksum is not None else ""})
    dumps_.sort(key=lambda d: d["link"].text)
    modified = one(ds, DCTERMS.modified)
    return {
        "iri": str(ds), "title": str(one(ds, DCTERMS.title) or ds), "description": str(one(ds, DCTERMS.description) or ""),
        "license": link(one(ds, DCTERMS.license)), "creator": str(one(ds, DCTERMS.creator) or ""),
        "modified": str(modified) if modified is not None else "", "endpoint": link(one(ds, VOID.sparqlEndpoint)),
        "uri_space": str(one(ds, VOID.uriSpace) or ""), "root": link(one(ds, VOID.rootResource)),
        "example": link(one(ds, VOID.exampleResource)),
        "counts": [(name, number(ds, prop)) for name, prop in (
            ("Triples", VOID.triples), ("Distinct subjects", VOID.distinctSubjects),
            ("Properties", VOID.properties), ("Classes", VOID.classes))],
        "vocabularies": sorted((link(v) for v in g.objects(ds, VOID.vocabulary)), key=lambda x: x.text),
        "partitions": partitions, "subsets": subsets, "briefings": briefings, "dumps": dumps_,
    }


def graph_document(ctx: Any, name: URIRef, version: DataVersion) -> rdflib.Graph | None:
    """The triples of the named graph ``name`` (the SPARQL 1.1 Graph Store HTTP Protocol's direct
    identification, §4.1: a graph IRI answers with the graph), or None when the store has no such
    graph. Cached per data version and graph."""
    def build() -> rdflib.Graph | None:
        if name not in ctx.store.graph_names():
            return None
        return ctx.store.construct("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": name})
    return cached(ctx, f"graph {name}", version, build)


def graph_page(ctx: Any, name: URIRef) -> str | None:
    """The site path of the HTML page for the named graph ``name``, or None.

    A document's graph holds one ``pkg:Briefing`` node (a briefing, or the record of a curated file): its
    ``/doc/briefing/...`` page, which lists what the document reported. The ontology's graph: ``/ontology``.
    The reference and meta graphs have no page of their own (None). One bounded query on the store.
    """
    base = ctx.settings.base_iri
    if str(name) == f"{base}graph/ontology":
        return "/ontology"
    documents = {r["d"] for r in ctx.store.select(
        f"SELECT DISTINCT ?g ?d WHERE {{ GRAPH ?g {{ ?d a <{PKG.Briefing}> }} }} LIMIT 2", {"g": name})  # bound: projected
        if isinstance(r.get("d"), URIRef)}
    if len(documents) != 1:
        return None
    path = local_path(documents.pop(), base)
    return path if path.startswith("/doc/") else None


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

    def pictures() -> dict[str, Any]:
        reads = ctx.summary_reads()
        return {
            "targets_chart": bar_chart_svg(targets_by_year_indicator(reads)),
            "tile_map": tile_map_svg(policies_by_region(reads)),
            "timeline": timeline_svg(publications_by_month(reads)),
            "undated_targets": targets_without_year(reads),
        }

    @get_and_head(router, "/", summary="Landing page")
    def landing(request: Request) -> Response:
        version = store.data_version()
        got = ctx.summaries.get_many(version, {
            **list_aggregates(ctx),
            "target-years": lambda: sorted({r["year"] for r in targets_by_year_indicator(ctx.summary_reads())}),
            "pictures": pictures,
            "dumps": lambda: _build_dumps(ctx)})

        def body() -> bytes:
            return render_html(ctx, "index", title="policykg", counts=got["counts"].value or [],
                               facets=got["facets"].value or {},
                               example_query=EXAMPLE_QUERY, example_href="/sparql?" + urlencode({"query": EXAMPLE_QUERY}),
                               target_years=got["target-years"].value or [],
                               tile_map=(got["pictures"].value or {}).get("tile_map", ""),
                               dumps=(got["dumps"].value or {}).values(), pending=pending_notice(got))
        return represent_summaries(request, body, "text/html; charset=utf-8", version, "html", got)

    @get_and_head(router, "/stats", summary="Charts (SVG)")
    def stats(request: Request) -> Response:
        version = store.data_version()
        got = ctx.summaries.get_many(version, {"pictures": pictures})
        model = got["pictures"].value or {"targets_chart": "", "tile_map": "", "timeline": "", "undated_targets": 0}
        return represent_summaries(request, lambda: render_html(ctx, "stats", title="Statistics", pending=pending_notice(got),
                                                                **model),
                                   "text/html; charset=utf-8", version, "html", got)

    def _ontology(request: Request, override: str | None) -> Response:
        negotiated = override is None and "format" not in request.query_params
        variant, label = negotiate_variant(request.headers.get("accept"), VARIANTS,
                                           override or request.query_params.get("format"))
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
        media, tag = labelled(variant, VARIANTS[variant][0] + ("; charset=utf-8" if variant == "turtle" else ""), label)
        return represent(request, lambda: serialize_graph(graph, _BY_NAME[variant]), media, version, tag, headers)

    @get_and_head(router, "/ontology", summary="The ontology (HTML documentation, Turtle, JSON-LD, N-Triples, RDF/XML)",
                  responses=responses(200, 304, 406, content=DOCUMENT_CONTENT))
    def ontology(request: Request) -> Response:
        return _ontology(request, None)

    @get_and_head(router, "/ontology.{ext}", summary="The ontology in one format",
                  responses=responses(200, 304, 404, content=DOCUMENT_CONTENT))
    def ontology_ext(ext: str, request: Request) -> Response:
        if ext not in {e for _, e in VARIANTS.values()}:
            raise NotFound(f"no ontology document /ontology.{ext}")
        return _ontology(request, ext)

    @get_and_head(router, "/ontology/{version_name}", summary="A version IRI of the ontology (303 to /ontology)",
                  status_code=303, responses=responses(303, 404))
    def ontology_version(version_name: str, request: Request) -> Response:
        # owl:versionIRI (OWL 2 Structural Specification §3.1): the current version's IRI answers with
        # the ontology; an older or unknown version is not served.
        graph = ontology_graph(ctx, store.data_version())
        iri = URIRef(f"{ONTOLOGY_IRI}/{version_name}")
        if (None, OWL.versionIRI, iri) not in graph:
            raise NotFound(f"no ontology version {iri}")
        return RedirectResponse("/ontology", status_code=303, headers={"Vary": "Accept"})

    @get_and_head(router, "/dataset/{name}", summary="A dataset IRI (303 to the VoID description that describes it)",
                  status_code=303, responses=responses(303, 404))
    def dataset(name: str, request: Request) -> Response:
        iri = URIRef(f"{base}dataset/{name}")
        known = iri == dataset_iri(base) or (SLUG_PATTERN.match(name) is not None and store.ask(
            "ASK { ?d a ?type }", {"d": iri, "type": VOID.Dataset}))
        if not known:
            raise NotFound(f"no dataset {iri}")
        return RedirectResponse("/.well-known/void", status_code=303,
                                headers={"Vary": "Accept", "Link": '</.well-known/void>; rel="describedby"'})

    @get_and_head(router, "/graph/{name:path}", summary="A named graph: its triples (Graph Store Protocol §4.1)",
                  description="A browser (HTML preferred) is sent (303) to the page of the document the graph "
                              "holds: its briefing or curated file, or the ontology's documentation.",
                  responses=responses(200, 303, 304, 404, 406, content=RDF_CONTENT))
    def named_graph(name: str, request: Request) -> Response:
        iri = URIRef(f"{base}graph/{name}")
        accept, override = request.headers.get("accept"), request.query_params.get("format")
        version = store.data_version()
        if iri not in store.graph_names():
            raise NotFound(f"no named graph {iri}")
        if negotiate_variant(accept, VARIANTS, override)[0] == "html":
            page = graph_page(ctx, iri)  # before the triples are read: a browser needs only the page's path
            if page is not None:
                return RedirectResponse(page, status_code=303, headers={"Vary": "Accept"})
        variant, label = negotiate_variant(accept, RDF_VARIANTS, override)
        graph = graph_document(ctx, iri, version)
        if graph is None:
            raise NotFound(f"no named graph {iri}")
        media, tag = labelled(variant, RDF_VARIANTS[variant][0] + ("; charset=utf-8" if variant == "turtle" else ""),
                              label)
        return represent(request, lambda: serialize_graph(graph, _BY_NAME[variant]), media, version,
                         f"graph-{hashlib.sha256(name.encode()).hexdigest()[:12]}-{tag}",
                         {"Vary": "Accept", "Link": f'<{iri}>; rel="describes"'})

    @get_and_head(router, "/.well-known/void", summary="VoID and DCAT description of the dataset (RDF, or HTML for browsers)",
                  responses=responses(200, 304, 406, content=DOCUMENT_CONTENT),
                  openapi_extra={"parameters": [{
                      "name": "format", "in": "query", "required": False,
                      "description": "the variant, overriding Accept", "schema": {"type": "string", "enum": list(VARIANTS)}}]})
    def void(request: Request) -> Response:
        variant, label = negotiate_variant(request.headers.get("accept"), VARIANTS,
                                           request.query_params.get("format"))
        version = store.data_version()
        site = _site(request)
        # the body names the host's endpoint and dump URLs: one validator per host
        host_tag = hashlib.sha256(site.encode()).hexdigest()[:8]
        # ... and a cache must not hand one host's body to another (RFC 9110 §12.5.5)
        headers = {"Vary": "Accept, Host", "Link": f'<{dataset_iri(base)}>; rel="describes"'}
        if variant == "html":
            def page() -> bytes:
                counts, files = void_ready(ctx, version)  # here: a 304 computes nothing
                model = dataset_page(void_graph(ctx, site, version, counts, files), dataset_iri(base), base,
                                     counts["briefing_titles"])
                return render_html(ctx, "dataset", title="About the dataset", page=model, alternates=[
                    {"type": mt, "href": "/.well-known/void?format=" + name, "name": name}
                    for name, (mt, _) in RDF_VARIANTS.items()])
            return represent(request, page, "text/html; charset=utf-8", version, f"html-{host_tag}", headers)
        media, tag = labelled(variant, RDF_VARIANTS[variant][0] + ("; charset=utf-8" if variant == "turtle" else ""),
                              label)
        return represent(request, lambda: serialize_graph(void_graph(ctx, site, version, *void_ready(ctx, version)),
                                                          _BY_NAME[variant]),
                         media, version, f"{tag}-{host_tag}", headers)

    @get_and_head(router, "/dumps/{name}", summary="Data dumps",
                  responses=responses(200, 206, 304, 404, 416, content={
                      t: {"schema": {"type": "string", "format": "binary"}}
                      for t in ("application/gzip", "text/turtle")}))
    def dump(name: str, request: Request) -> Response:
        version = store.data_version()
        if name not in DUMP_NAMES:
            raise NotFound(f"no dump {name!r}; dumps are {', '.join(DUMP_NAMES)}")
        built = dumps(ctx, version, document_wait(ctx))
        if not built.ready:
            raise not_ready(f"the dump {name}", [built])
        files = built.value
        if name not in files:
            raise NotFound(f"no dump {name!r}; dumps are {', '.join(files)}")
        d = files[name]
        digest = base64.b64encode(bytes.fromhex(d.sha256)).decode("ascii")
        return represent(request, lambda: d.body, d.served_type, version, f"dump-{d.sha256[:16]}",
                         {"Content-Disposition": f'attachment; filename="{d.name}"',
                          "Repr-Digest": f"sha-256=:{digest}:"}, ranges=True)  # RFC 9530; resumable (RFC 9110 §14)

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
        host_tag = hashlib.sha256(site.encode()).hexdigest()[:8]  # the URLs name the host: one validator per host

        def body() -> bytes:
            listed = ctx.summaries.get("sitemap", version,
                                       lambda: sitemap_resources(ctx.summary_reads(), base, 49_990),
                                       document_wait(ctx))
            if not listed.ready:
                raise not_ready("the sitemap", [listed])
            lastmod = version.modified.date().isoformat()
            paths = ["/", "/policies", "/briefings", "/stats", "/ontology"]
            paths += ["/doc/" + quote(iri[len(base) + 3:]) for iri in listed.value]
            urls = "".join(f"<url><loc>{xml_escape(site + p)}</loc><lastmod>{lastmod}</lastmod></url>\n" for p in paths)
            return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "</urlset>\n").encode()
        return represent(request, body, "application/xml", version, f"sitemap-{host_tag}", {"Vary": "Host"})

    @get_and_head(router, "/robots.txt", include_in_schema=False)
    def robots(request: Request) -> Response:
        return Response(f"User-agent: *\nDisallow: /sparql\nSitemap: {_site(request)}sitemap.xml\n",
                        media_type="text/plain", headers={"Vary": "Host"})

    @get_and_head(router, "/static/{path:path}", include_in_schema=False)
    def static(path: str, request: Request) -> Response:
        # a NUL (or any control character) names no file: checked before Path.resolve, which raises
        # ValueError on an embedded NUL (a 500 where any other missing file is 404)
        if any(ord(c) < 0x20 or c == "\x7f" for c in path):
            raise NotFound(f"no static file {path[:200]!r}")
        try:
            target = (STATIC_DIR / path).resolve()
            found = STATIC_DIR in target.parents and target.is_file()
        except (OSError, ValueError):  # a name the file system refuses (ENAMETOOLONG...) names no file
            found = False
        if not found:
            raise NotFound(f"no static file {path[:200]!r}")
        types = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml",
                 ".map": "application/json", ".png": "image/png", ".woff2": "font/woff2"}
        body = target.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        if if_none_match(request.headers.get("if-none-match"), etag):
            return Response(status_code=304, headers={"ETag": etag})
        return Response(body, media_type=types.get(target.suffix, "application/octet-stream"),
                        headers={"ETag": etag, "Cache-Control": "public, max-age=3600"})

    return router
