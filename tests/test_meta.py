"""The site around the data: landing page, /stats pictures, /ontology, VoID, dumps, sitemap, static files."""

from __future__ import annotations

import base64
import gzip
import hashlib
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import OWL

from api import create_app
from api.meta import EXAMPLE_QUERY
from policykg.describe import PROVINCE_TILES, bar_chart_svg, tile_map_svg, timeline_svg
from policykg.settings import Settings
from policykg.store import OxigraphStore
from policykg.vocab import DCAT, PKG, RDF, SKOS, VOID
from linked_data_helpers import make_store  # noqa: E402

with warnings.catch_warnings():  # starlette 1.x warns when its test client runs on httpx rather than httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

DATA = Path(__file__).parent / "data" / "sample.trig"
ROOT = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/policykg/"
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")




@pytest.fixture(scope="module")
def store() -> OxigraphStore:
    return make_store()


@pytest.fixture(scope="module")
def client(store: OxigraphStore) -> TestClient:
    return TestClient(create_app(Settings(base_iri=BASE), store))


def test_landing_page(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    html = r.text
    assert "<script" not in html
    # counts by class, from the data
    # the count links to the list of policies, and the class to its entry in the ontology
    assert ('<span class="n">7</span> <a href="/policies">Policy</a> <a class="class" href="/ontology#Policy" '
            'title="the class https://w3id.org/policykg/ontology#Policy in the ontology">(ontology)</a>') in html
    assert '<span class="n">7</span> <a href="/ontology#Target" title="https://w3id.org/policykg/ontology#Target">Target</a>' in html
    for href in ('href="/policies"', 'href="/sparql"', 'href="/.well-known/void"', 'href="/ontology"',
                 'href="/doc/region/CN-SD"', 'href="/year/2025"', 'href="/dumps/policykg.nq.gz"'):
        assert href in html, href
    assert "SELECT DISTINCT ?policy ?title" in html and "/sparql?query=PREFIX" in html
    assert client.head("/").status_code == 200


def test_landing_page_leads_with_what_the_briefings_say(client: TestClient) -> None:
    """Policies and targets come before the reference data's 369 regions and the vocabularies' concepts,
    and the page says what the reference counts hold; its title is not 'policykg · policykg'."""
    import re

    html = client.get("/").text
    assert "<title>policykg</title>" in html
    cards = re.findall(r'<li class="(\w+)"><span class="n">\d+</span> (?:<a href="/\w+">\w+</a> )?'
                       r'<a (?:class="class" )?href="/ontology#(\w+)"', html)
    kinds = [k for k, _ in cards]
    assert kinds == sorted(kinds, key=["briefings", "reference", "vocabulary"].index), cards
    assert [c for _, c in cards][:2] == ["Policy", "Target"]
    assert ("Region", "reference") in {(c, k) for k, c in cards}
    assert "count the reference data too" in html
    assert "takes in the policies of its provinces and cities" in html
    assert "<title>Statistics · policykg</title>" in client.get("/stats").text


def test_stats_say_how_many_targets_have_no_year_and_label_every_month_that_fits() -> None:
    from policykg.describe import targets_without_year

    store = make_store()
    assert targets_without_year(store) == 0
    assert "Not shown" not in TestClient(create_app(Settings(base_iri=BASE), store)).get("/stats").text
    extra = rdflib.Graph()
    for i in range(2):  # two goals stated without a year
        extra.add((URIRef(f"{BASE}id/target/undated-{i}"), RDF.type, PKG.Target))
    store.replace_graphs({URIRef(f"{BASE}graph/undated"): extra})
    assert targets_without_year(store) == 2
    assert "Not shown: 2 targets stated without a year." in TestClient(
        create_app(Settings(base_iri=BASE), store)).get("/stats").text
    svg = timeline_svg([("2024-01", 2), ("2024-03", 1), ("2024-04", 5)])
    assert all(f">{m}</text>" in svg for m in ("2024-01", "2024-02", "2024-03", "2024-04"))
    long = timeline_svg([("2010-05", 1), ("2024-04", 5)])  # 168 months: a label a year, and the ends
    assert ">2015-01</text>" in long and ">2015-02</text>" not in long and ">2010-05</text>" in long


def test_example_query_runs_on_the_store(store: OxigraphStore) -> None:
    rows = store.select(EXAMPLE_QUERY)
    assert sorted((str(r["value"]), str(r["unit"])) for r in rows) == [
        ("10", "percentage points"), ("12", "million charging piles"), ("50", "%"), ("500", "million kilowatts")]


def test_stats_pictures_are_svg_without_javascript(client: TestClient) -> None:
    html = client.get("/stats").text
    assert "<script" not in html
    svgs = [s[: s.index("</svg>") + 6] for s in html.split("<svg")[1:]]
    assert len(svgs) == 3
    for s in svgs:
        root = ET.fromstring("<svg" + s)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "2025: 1 × capacity (W)" in html  # bar tooltip: year, count, kind of indicator
    assert "CN-SD: 2" in html     # tile
    assert "2024-04: 3" in html   # timeline month


def test_svg_builders() -> None:
    bars = bar_chart_svg([{"year": "2025", "unit": "W", "count": 3}, {"year": "2030", "unit": "<evil>", "count": 1}])
    ET.fromstring(bars)
    assert "&lt;evil&gt;" in bars
    tiles = ET.fromstring(tile_map_svg({"CN-GD": 5}))
    assert len(tiles.findall("{http://www.w3.org/2000/svg}a")) == len(PROVINCE_TILES) == 34
    assert len(set(PROVINCE_TILES.values())) == 34  # no two tiles overlap
    line = timeline_svg([("2023-11", 1), ("2024-02", 2)])
    ET.fromstring(line)
    assert line.count("<rect") == 2 and "2024-01" in line  # months without policies still take a column
    ET.fromstring(timeline_svg([]))


@pytest.mark.parametrize("path,accept,media,parser", [
    ("/ontology", "text/html,application/xhtml+xml,*/*;q=0.8", "text/html", None),
    ("/ontology", "text/turtle", "text/turtle", "turtle"),
    ("/ontology", "application/ld+json", "application/ld+json", "json-ld"),
    ("/ontology", "application/rdf+xml", "application/rdf+xml", "xml"),
    ("/ontology.ttl", "text/html", "text/turtle", "turtle"),
    ("/ontology.nt", None, "application/n-triples", "nt"),
    ("/ontology.html", "text/turtle", "text/html", None),
    ("/ontology?format=rdf", "text/html", "application/rdf+xml", "xml"),
])
def test_ontology_negotiation(client: TestClient, path: str, accept: str | None, media: str, parser: str | None) -> None:
    r = client.get(path, headers={"Accept": accept} if accept else {})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    if parser:
        g = rdflib.Graph().parse(data=r.content, format=parser)
        assert (PKG.Policy, RDF.type, OWL.Class) in g
    else:
        assert "pkg:Policy" in r.text


def test_ontology_documentation(client: TestClient) -> None:
    html = client.get("/ontology.html").text
    assert '<section class="term" id="Policy">' in html
    assert "政策" in html and "A policy document issued by a government body" in html
    assert 'href="https://schema.org/Legislation">schema:Legislation' in html  # superclass / alignment
    start = html.index('id="jurisdiction"')
    section = html[start:html.index("</section>", start)]
    assert "Domain" in section and "Range" in section and 'href="#Region"' in section
    assert 'id="MoreThan"' in html and 'id="PercentagePoint"' in html  # targets of /ontology#… links from pages
    assert client.get("/ontology", headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/ontology.exe").status_code == 404


def test_ontology_read_from_files_when_the_store_has_none() -> None:
    c = TestClient(create_app(Settings(base_iri=BASE), make_store(with_ontology=False)))
    g = rdflib.Graph().parse(data=c.get("/ontology.ttl").content, format="turtle")
    assert (PKG.Target, RDF.type, OWL.Class) in g


def _void(client: TestClient) -> rdflib.Graph:
    r = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    return rdflib.Graph().parse(data=r.content, format="turtle")


def test_void_describes_the_dataset(client: TestClient, store: OxigraphStore) -> None:
    g = _void(client)
    ds = next(g.subjects(RDF.type, VOID.Dataset))
    assert (ds, RDF.type, DCAT.Dataset) in g
    total = int(store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])
    assert int(g.value(ds, VOID.triples)) == total
    assert g.value(ds, VOID.sparqlEndpoint) == URIRef("http://testserver/sparql")
    assert (ds, VOID.vocabulary, URIRef(str(PKG))) in g and (ds, VOID.vocabulary, URIRef(str(SKOS))) in g
    assert g.value(ds, VOID.uriSpace) == Literal(f"{BASE}id/")
    assert g.value(ds, rdflib.URIRef("http://purl.org/dc/terms/license")) is not None
    parts = {g.value(p, VOID["class"]): int(g.value(p, VOID.entities)) for p in g.objects(ds, VOID.classPartition)}
    assert parts[PKG.Policy] == 7 and parts[PKG.Target] == 7 and parts[PKG.Agency] == 6
    assert set(map(str, g.objects(ds, VOID.dataDump))) == {"http://testserver/dumps/policykg.nq.gz",
                                                           "http://testserver/dumps/policykg.ttl"}
    for fmt, parser in (("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")):
        r = client.get("/.well-known/void", headers={"Accept": fmt})
        assert (ds, VOID.triples, None) in rdflib.Graph().parse(data=r.content, format=parser)


def test_dumps_match_their_void_size_and_checksum(client: TestClient, store: OxigraphStore) -> None:
    g = _void(client)
    downloads = list(g.subject_objects(DCAT.downloadURL))
    assert {str(u).rsplit("/", 1)[-1] for _, u in downloads} == {"policykg.nq.gz", "policykg.ttl"}
    for dist, url in downloads:
        assert (dist, RDF.type, DCAT.Distribution) in g
        url = str(url)
        r = client.get(url)
        assert r.status_code == 200
        assert int(g.value(dist, DCAT.byteSize)) == len(r.content)
        checksum = g.value(dist, SPDX.checksum)
        assert str(g.value(checksum, SPDX.checksumValue)) == hashlib.sha256(r.content).hexdigest()
        assert r.headers["repr-digest"] == "sha-256=:" + base64.b64encode(hashlib.sha256(r.content).digest()).decode() + ":"
    nq = gzip.decompress(client.get("/dumps/policykg.nq.gz").content)
    quads = list(ox.parse(nq, format=ox.RdfFormat.N_QUADS))
    assert len(quads) == len(list(ox.parse(store.dump_nquads(), format=ox.RdfFormat.N_QUADS)))
    assert client.get("/dumps/policykg.nq.gz").headers["content-type"] == "application/gzip"
    ttl = rdflib.Graph().parse(data=client.get("/dumps/policykg.ttl").content, format="turtle")
    assert (URIRef(f"{BASE}id/agency/ndrc"), RDF.type, PKG.Agency) in ttl
    assert len(ttl) == int(store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])
    assert client.get("/dumps/other.zip").status_code == 404


def test_dumps_answer_byte_ranges_so_a_download_can_resume(client: TestClient) -> None:
    """RFC 9110 §14: one byte range gives 206 with Content-Range; a range past the end 416; an If-Range
    that does not match, or several ranges, the whole dump (200)."""
    full = client.get("/dumps/policykg.nq.gz")
    body, etag, size = full.content, full.headers["etag"], len(full.content)
    assert full.headers["accept-ranges"] == "bytes" and size > 100
    first = client.get("/dumps/policykg.nq.gz", headers={"Range": "bytes=0-99"})
    assert first.status_code == 206 and first.content == body[:100]
    assert first.headers["content-range"] == f"bytes 0-99/{size}"
    rest = client.get("/dumps/policykg.nq.gz", headers={"Range": "bytes=100-", "If-Range": etag})
    assert rest.status_code == 206 and first.content + rest.content == body
    assert client.get("/dumps/policykg.nq.gz", headers={"Range": "bytes=-10"}).content == body[-10:]
    assert client.get("/dumps/policykg.nq.gz", headers={"Range": f"bytes=0-{size * 2}"}).content == body
    past = client.get("/dumps/policykg.nq.gz", headers={"Range": f"bytes={size}-"})
    assert past.status_code == 416 and past.headers["content-range"] == f"bytes */{size}"
    for whole in ({"Range": "bytes=0-9", "If-Range": '"another-version"'}, {"Range": "bytes=0-9,20-29"},
                  {"Range": "bytes=9-0"}, {"Range": "items=0-9"}):
        r = client.get("/dumps/policykg.nq.gz", headers=whole)
        assert r.status_code == 200 and r.content == body, whole


def test_dumps_are_regenerated_when_the_data_changes() -> None:
    store = make_store(with_ontology=False)
    c = TestClient(create_app(Settings(base_iri=BASE), store))
    first = c.get("/dumps/policykg.ttl")
    assert c.get("/dumps/policykg.ttl", headers={"If-None-Match": first.headers["etag"]}).status_code == 304
    g = rdflib.Graph()
    g.add((URIRef(f"{BASE}id/agency/ndrc"), SKOS.altLabel, Literal("发改委", lang="zh")))
    store.replace_graphs({URIRef(f"{BASE}graph/more"): g})
    second = c.get("/dumps/policykg.ttl", headers={"If-None-Match": first.headers["etag"]})
    assert second.status_code == 200 and "发改委" in second.text
    sizes = {int(s) for s in _void(c).objects(None, DCAT.byteSize)}
    assert len(second.content) in sizes


def test_sitemap(client: TestClient) -> None:
    r = client.get("/sitemap.xml")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(r.content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in root.findall("s:url/s:loc", ns)]
    assert "http://testserver/" in locs
    assert "http://testserver/doc/agency/ndrc" in locs and "http://testserver/doc/region/370100" in locs
    assert not any("#" in (x or "") for x in locs)
    assert len(locs) == len(set(locs))


def test_static_files(client: TestClient) -> None:
    r = client.get("/static/style.css")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/css")
    assert client.get("/static/style.css", headers={"If-None-Match": r.headers["etag"]}).status_code == 304
    for bad in ("/static/../meta.py", "/static/%2e%2e/meta.py", "/static/nothing.css"):
        assert client.get(bad).status_code == 404, bad
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").text


def test_an_empty_store_still_serves_the_site() -> None:
    c = TestClient(create_app(Settings(base_iri=BASE), OxigraphStore(None, BASE)))
    for path in ("/", "/stats", "/policies", "/sitemap.xml", "/.well-known/void", "/dumps/policykg.ttl", "/year/2030"):
        assert c.get(path).status_code == 200, path
    assert c.get("/doc/policy/anything").status_code == 404


def test_query_editor_offers_every_canned_query_ready_to_run(client: TestClient, store: OxigraphStore) -> None:
    """GET /query lists the canned queries; each text (example parameters in VALUES) runs as it stands."""
    import html as html_lib  # noqa: PLC0415
    import re  # noqa: PLC0415

    from policykg.sparql import load_canned_queries  # noqa: PLC0415

    page = client.get("/query").text
    offered = {html_lib.unescape(n): html_lib.unescape(q) for n, q in
               re.findall(r'class="canned-query" data-name="([^"]*)" data-query="([^"]*)"', page)}
    assert set(offered) == set(load_canned_queries(ROOT / "queries"))
    assert 'VALUES (?year) { ("2025"^^<http://www.w3.org/2001/XMLSchema#gYear>) }' in offered["targets-due-in-year"]
    canned = load_canned_queries(ROOT / "queries")
    for name, text in offered.items():  # the same answer as the canned query with its example parameters
        examples = {p.name: p.example or p.default for p in canned[name].params if p.example or p.default}
        r = client.get("/sparql", params={"query": text}, headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200, (name, r.text[:300])
        api = client.get(f"/api/queries/{name}", params=examples, headers={"Accept": "application/json"})
        if api.status_code == 404:  # the example names a resource this small graph lacks: nothing to answer
            assert r.json()["results"]["bindings"] == [] and "the graph has no" in api.json()["detail"], name
            continue
        assert api.status_code == 200, (name, api.text[:300])
        assert len(r.json()["results"]["bindings"]) == len(api.json()["results"]["bindings"]), name


def test_api_docs_use_the_bundled_swagger_ui(client: TestClient) -> None:
    """GET /docs loads Swagger UI from the app (it showed nothing offline when it came from a CDN)."""
    html = client.get("/docs").text
    assert "/static/swagger-ui/swagger-ui-bundle.js" in html and "/openapi.json" in html
    assert "cdn." not in html and "https://" not in html
    readme = (ROOT / "api" / "static" / "swagger-ui" / "README.md").read_text(encoding="utf-8")
    for name in ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"):
        r = client.get(f"/static/swagger-ui/{name}")
        assert r.status_code == 200
        assert f"{hashlib.sha256(r.content).hexdigest()}  {name}" in readme
    assert client.get("/redoc").status_code == 404


def test_query_editor_page_uses_the_bundled_yasgui(client: TestClient) -> None:
    html = client.get("/query").text
    assert '<script src="/static/yasgui/yasgui.min.js"></script>' in html
    assert "https://" not in html.split("<main>")[1].split("</main>")[0].replace("https://w3id.org", "")  # no CDN
    readme = (ROOT / "api" / "static" / "yasgui" / "README.md").read_text(encoding="utf-8")
    for name in ("yasgui.min.js", "yasgui.min.css"):
        r = client.get(f"/static/yasgui/{name}")
        assert r.status_code == 200
        assert f"{hashlib.sha256(r.content).hexdigest()}  {name}" in readme


def test_graph_dataset_and_version_iris_that_do_not_exist_are_404(client: TestClient) -> None:
    """Only IRIs the store (or the ontology) holds dereference; the others are problem+json 404s."""
    for path in ("/graph/no-such-graph", "/dataset/no-such-dataset", "/ontology/9.9.9"):
        r = client.get(path, headers={"Accept": "text/turtle"}, follow_redirects=False)
        assert r.status_code == 404, path
        assert r.headers["content-type"].startswith("application/problem+json"), path


def test_named_graph_document_holds_exactly_the_graph(client: TestClient, store: OxigraphStore) -> None:
    """GET /graph/{name} gives the named graph's triples, no more and no fewer, in every RDF format."""
    name = URIRef(f"{BASE}graph/reference")
    expected = store.construct("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": name})
    assert len(expected) > 100
    for accept, parser in (("application/n-triples", "nt"), ("text/turtle", "turtle")):
        r = client.get("/graph/reference", headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
        got = rdflib.Graph().parse(data=r.content, format=parser)
        assert len(got) == len(expected) and set(got) == set(expected)
    head = client.head("/graph/reference", headers={"Accept": "text/turtle"})
    assert head.status_code == 200 and head.content == b""
    etag = client.get("/graph/reference", headers={"Accept": "text/turtle"}).headers["etag"]
    assert client.get("/graph/reference", headers={"Accept": "text/turtle", "If-None-Match": etag}).status_code == 304


@pytest.mark.parametrize("months", [[("2024-02", 11), ("2024-03", 8), ("2024-04", 3)],  # the sample: they overlapped
                                    [("2010-05", 1), ("2024-04", 5)], [("2019-12", 1), ("2025-01", 1)],
                                    [("2023-12", 1), ("2024-02", 2)], [("2020-03", 1), ("2020-09", 2)]])
def test_timeline_month_labels_never_overlap(months) -> None:
    """A "YYYY-MM" label at font size 10 is about 45 px wide: labels at least 50 px apart, ends included."""
    import re

    svg = timeline_svg(months)
    xs = [float(x) for x in re.findall(r'<text x="([0-9.]+)" y="[0-9.]+" font-size="10" text-anchor="middle">'
                                       r'\d{4}-\d{2}</text>', svg)]
    assert xs and all(b - a >= 50 for a, b in zip(xs, xs[1:])), xs
    assert f">{months[0][0]}</text>" in svg and f">{months[-1][0]}</text>" in svg  # both ends are named
