"""Linked data: /id → 303 → /doc, content negotiation, validators, HEAD, and a real HTTP client.

The store holds ``tests/data/sample.trig`` (a hand-built graph in the core vocabulary,
with evidence offsets into the sample briefing) and the ontology graph.
"""

from __future__ import annotations

import email.utils
import json
import socket
import threading
import time
import warnings
from pathlib import Path

import pytest
import rdflib
with warnings.catch_warnings():  # starlette 1.x warns when its test client runs on httpx rather than httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient
from rdflib import Literal, URIRef

from api import create_app
from api.resources import choose_variant
from policykg.errors import NotAcceptable
from policykg.rdfio import parse_rdf_file
from policykg.settings import Settings
from policykg.store import OxigraphStore
from policykg.vocab import DCTERMS, OA, PKG, RDF, RDFS, SKOS
from linked_data_helpers import make_store  # noqa: E402

DATA = Path(__file__).parent / "data" / "sample.trig"
ROOT = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/policykg/"
POLICY = "cn-guidance-on-the-high-quality-development-of-distribution-networks-under-the-new-circumstances"
TARGET = "cn-guidance-on-the-high-quality-development-of-distribution--a1b2c3d4"

#: One resource of every kind in the sample graph.
SAMPLES = {
    "policy": POLICY,
    "agency": "ndrc",
    "region": "CN-SD",
    "briefing": "ccnt-2024-03-04",
    "report": "compendium-of-best-practices-on-low-carbon-cities-in-north-east-asia",
    "target": TARGET,
    "provision": "cn-notice-on-deepening-financial-services-for-the-manufactur-0a1b2c3d",
    "genre": "notice",
    "instrument": "planning-target",
    "sector": "power",
    "scheme": "genre",
}
#: (Accept header) → (Content-Type prefix, rdflib parser name or "html").
FORMATS = {
    "text/turtle": ("text/turtle", "turtle"),
    "application/ld+json": ("application/ld+json", "json-ld"),
    "application/n-triples": ("application/n-triples", "nt"),
    "application/rdf+xml": ("application/rdf+xml", "xml"),
    "text/html": ("text/html", "html"),
    "application/x-turtle": ("text/turtle", "turtle"),
}




@pytest.fixture(scope="module")
def store() -> OxigraphStore:
    return make_store()


@pytest.fixture(scope="module")
def client(store: OxigraphStore) -> TestClient:
    return TestClient(create_app(Settings(base_iri=BASE), store))


def iri(kind: str, slug: str) -> URIRef:
    return URIRef(f"{BASE}id/{kind}/{slug}")


def test_sample_data_evidence_matches_the_briefing() -> None:
    """The hand-built graph is realistic: every span's oa:exact is text[start:end] of the briefing."""
    text = (ROOT / "data" / "briefings" / "ccnt-2024-03-04.txt").read_text(encoding="utf-8")
    ds = rdflib.Graph()
    for s, p, o, _ in parse_rdf_file(DATA).quads((None, None, None, None)):
        ds.add((s, p, o))
    spans = list(ds.subjects(OA.exact, None))
    assert len(spans) >= 10
    for span in spans:
        start, end = int(ds.value(span, OA.start)), int(ds.value(span, OA.end))
        assert text[start:end] == str(ds.value(span, OA.exact))
        assert str(span).endswith(f"#char={start},{end}")


@pytest.mark.parametrize("kind", sorted(SAMPLES))
@pytest.mark.parametrize("accept", sorted(FORMATS))
def test_document_table(client: TestClient, kind: str, accept: str) -> None:
    """(path, Accept) → (200, Content-Type, body parses and describes the resource)."""
    slug = SAMPLES[kind]
    if kind in ("genre", "instrument", "sector"):
        client.get("/policies")  # a concept page counts its policies by the list's filter counts: computed here
    r = client.get(f"/doc/{kind}/{slug}", headers={"Accept": accept})
    media, parser = FORMATS[accept]
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(media)
    assert "Accept" in [v.strip() for v in r.headers["vary"].split(",")]
    ext = {"turtle": "ttl", "json-ld": "jsonld", "nt": "nt", "xml": "rdf", "html": "html"}[parser]
    assert r.headers["content-location"] == f"/doc/{kind}/{slug}.{ext}"
    assert r.headers["etag"] and r.headers["last-modified"]
    if parser == "html":
        assert "<html" in r.text and f"{BASE}id/{kind}/{slug}" in r.text
        return
    g = rdflib.Graph().parse(data=r.content, format=parser)
    assert (iri(kind, slug), None, None) in g


@pytest.mark.parametrize("suffix,parser", [("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt"), ("rdf", "xml")])
def test_suffix_overrides_accept(client: TestClient, suffix: str, parser: str) -> None:
    r = client.get(f"/doc/policy/{POLICY}.{suffix}", headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert "accept" not in r.headers.get("vary", "").lower() and "content-location" not in r.headers
    g = rdflib.Graph().parse(data=r.content, format=parser)
    assert (iri("policy", POLICY), RDF.type, PKG.Policy) in g


def test_html_suffix_and_format_parameter(client: TestClient) -> None:
    assert client.get("/doc/agency/ndrc.html", headers={"Accept": "text/turtle"}).headers["content-type"].startswith("text/html")
    r = client.get("/doc/agency/ndrc?format=nt", headers={"Accept": "text/html"})
    assert r.headers["content-type"].startswith("application/n-triples")
    r = client.get("/doc/agency/ndrc?format=application%2Fld%2Bjson")
    assert r.headers["content-type"].startswith("application/ld+json")
    r = client.get("/doc/agency/ndrc?format=bogus")
    assert r.status_code == 406 and r.headers["content-type"] == "application/problem+json"


def test_policy_document_holds_what_a_reader_needs(client: TestClient) -> None:
    g = rdflib.Graph().parse(data=client.get(f"/doc/policy/{POLICY}.ttl").content, format="turtle")
    p = iri("policy", POLICY)
    # own triples
    assert (p, DCTERMS.title, Literal("关于新形势下配电网高质量发展的指导意见", lang="zh")) in g
    # labels of everything it links to
    assert (iri("agency", "ndrc"), SKOS.prefLabel, Literal("National Development and Reform Commission", lang="en")) in g
    assert (iri("region", "CN"), SKOS.prefLabel, Literal("中国", lang="zh")) in g
    assert (iri("genre", "guidance"), SKOS.prefLabel, Literal("Guidance", lang="en")) in g
    # its targets, with their triples and their evidence spans
    t = iri("target", TARGET)
    assert (p, PKG.setsTarget, t) in g
    assert (t, PKG.unitText, Literal("million kilowatts")) in g
    span = g.value(t, PKG.evidence)
    assert span is not None and str(g.value(span, OA.exact)).startswith("By 2025, distribution networks")
    # its own evidence
    assert any(str(o).startswith("Guidance on the High-quality") for o in g.objects(g.value(p, PKG.evidence), OA.exact))
    # but not the unrelated rest of the graph
    assert (iri("policy", "cn-sd-370100-jinan-carbon-peaking-implementation-plan"), None, None) not in g



def test_a_target_page_names_the_briefing_its_evidence_quotes(client: TestClient) -> None:
    """The evidence of a target is a span of a briefing: the page names the briefing by its title, as a policy
    page does, not by the last segment of its IRI; the title is in the RDF document too."""
    path = "/doc/target/cn-guidance-on-the-high-quality-development-of-distribution--a1b2c3d4"
    page = client.get(path, headers={"Accept": "text/html"}).text
    footer = page[page.index('<blockquote class="evidence"'):]
    footer = footer[footer.index("<footer>"):footer.index("</footer>")]
    assert ">China Carbon Neutrality Tracker policy briefing, 2024-03/04</a>" in footer
    g = rdflib.Graph().parse(data=client.get(path, headers={"Accept": "text/turtle"}).text, format="turtle")
    assert (iri("briefing", "ccnt-2024-03-04"), DCTERMS.title, None) in g

def test_agency_and_briefing_documents_include_links_into_them(client: TestClient) -> None:
    g = rdflib.Graph().parse(data=client.get("/doc/agency/ndrc.nt").content, format="nt")
    assert (iri("policy", POLICY), PKG.issuedBy, iri("agency", "ndrc")) in g
    assert (iri("policy", POLICY), DCTERMS.title, None) in g
    g = rdflib.Graph().parse(data=client.get("/doc/briefing/ccnt-2024-03-04.ttl").content, format="turtle")
    spans = list(g.subjects(OA.hasSource, iri("briefing", "ccnt-2024-03-04")))
    assert len(spans) == 16  # every #char= fragment of the briefing is described in its document


def test_jsonld_uses_the_published_context(client: TestClient) -> None:
    doc = client.get(f"/doc/policy/{POLICY}", headers={"Accept": "application/ld+json"}).json()
    ctx = client.get("/context.jsonld").json()["@context"]
    assert ctx["pkg"] == "https://w3id.org/policykg/ontology#"
    assert doc["@context"] == ctx  # inline, so clients need not fetch it (and parsers never do)


@pytest.mark.parametrize("accept,expected", [
    # Firefox/Chrome: HTML explicitly at q=1, everything else through */*;q=0.8
    ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8", "html"),
    # both listed at equal q: RDF first
    ("text/html, text/turtle", "turtle"),
    ("application/rdf+xml, text/html", "rdfxml"),
    ("text/html;q=0.9, application/ld+json;q=0.9, */*;q=0.1", "jsonld"),
    ("text/html;q=1.0, text/turtle;q=0.8", "html"),
    # duplicates: the highest weight of equally specific ranges counts
    ("text/turtle;q=0.5, text/html;q=0.9, text/turtle", "turtle"),
    # q=0 refuses a type even if a wildcard would take it (and an alias does not bring it back)
    ("text/turtle;q=0, */*", "jsonld"),
    ("text/turtle;q=0, application/ld+json;q=0, */*;q=0.5", "ntriples"),
    # legacy names
    ("application/x-turtle", "turtle"),
    ("text/plain, */*;q=0.1", "ntriples"),
    ("application/json", "jsonld"),
    # rdflib's own header with format=None (its registered parsers, none weighted)
    ("application/rdf+xml, text/n3, text/turtle, application/n-triples, application/ld+json, text/html", "turtle"),
    # absent or */*: the server's first choice
    (None, "turtle"),
    ("*/*", "turtle"),
    ("text/*", "turtle"),
])
def test_negotiation_table(accept: str | None, expected: str) -> None:
    assert choose_variant(accept) == expected


def test_nothing_acceptable_is_406(client: TestClient) -> None:
    with pytest.raises(NotAcceptable):
        choose_variant("image/png, text/turtle;q=0")
    r = client.get(f"/doc/policy/{POLICY}", headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert r.headers["content-type"] == "application/problem+json"
    assert "text/turtle" in r.json()["detail"]


def test_id_redirects_303_keeping_the_query(client: TestClient) -> None:
    r = client.get(f"/id/policy/{POLICY}", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == f"/doc/policy/{POLICY}"
    r = client.get("/id/region/CN-SD?format=nt&x=%C3%A9", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/doc/region/CN-SD?format=nt&x=%C3%A9"
    r = client.get("/id/region/CN-SD?format=nt")  # followed
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/n-triples")
    assert client.head("/id/agency/nea", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("path", [
    "/id/policy/no-such-policy", "/doc/policy/no-such-policy", "/doc/policy/no-such-policy.ttl",
    "/doc/nokind/ndrc", "/doc/Bad%20Kind/ndrc", "/id/agency/nd%20rc", "/doc/agency/nd%3Brc", "/doc/agency/%22%3E%3C",
    "/doc/agency/ndrc%3E%20%3Fp%20%3Fo", "/year/20x5",
])
def test_unknown_or_invalid_is_404_problem(client: TestClient, path: str) -> None:
    r = client.get(path, follow_redirects=False)
    assert r.status_code == 404, path
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["status"] == 404


def test_a_resource_exists_when_it_is_a_subject(client: TestClient) -> None:
    # pkg:National is only an object in the instance data, not under {base}id/: no document
    assert client.get("/doc/region/CN").status_code == 200
    # the Jinan city region is only partOf-linked; it is the subject of its own triples
    assert client.get("/doc/region/370100.nt").status_code == 200


def test_head_matches_get(client: TestClient) -> None:
    for accept in ("text/turtle", "text/html"):
        get = client.get(f"/doc/policy/{POLICY}", headers={"Accept": accept})
        head = client.head(f"/doc/policy/{POLICY}", headers={"Accept": accept})
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == str(len(get.content))
        assert head.headers["etag"] == get.headers["etag"]
        assert head.headers["content-type"] == get.headers["content-type"]


def test_conditional_requests(client: TestClient) -> None:
    path = "/doc/agency/ndrc"
    first = client.get(path, headers={"Accept": "text/turtle"})
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert client.get(path, headers={"Accept": "application/ld+json"}).headers["etag"] != etag  # one per variant
    r = client.get(path, headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert r.status_code == 304 and r.content == b"" and r.headers["etag"] == etag
    assert client.get(path, headers={"Accept": "text/turtle", "If-None-Match": f'"x", W/{etag}'}).status_code == 304
    assert client.get(path, headers={"Accept": "text/turtle", "If-None-Match": "*"}).status_code == 304
    assert client.get(path, headers={"Accept": "text/turtle", "If-Modified-Since": modified}).status_code == 304
    earlier = email.utils.format_datetime(email.utils.parsedate_to_datetime(modified).replace(year=2000), usegmt=True)
    assert client.get(path, headers={"Accept": "text/turtle", "If-Modified-Since": earlier}).status_code == 200
    assert client.get(path, headers={"Accept": "text/turtle", "If-Modified-Since": "not a date"}).status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2)
    r = client.get(path, headers={"Accept": "text/turtle", "If-None-Match": '"other"', "If-Modified-Since": modified})
    assert r.status_code == 200
    # a 304 for a different variant's ETag is not given
    assert client.get(path, headers={"Accept": "text/html", "If-None-Match": etag}).status_code == 200



@pytest.mark.parametrize("accept", ["text/turtle", "text/html"])
def test_a_conditional_request_answered_304_does_not_read_the_description(client: TestClient, accept: str,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = "/doc/region/CN"  # a hub: every national policy links to it, as every policy of a province to it
    etag = client.get(path, headers={"Accept": accept}).headers["etag"]
    import api.resources

    calls = []
    real = api.resources.describe_bounded
    monkeypatch.setattr(api.resources, "describe_bounded", lambda *a: calls.append(a) or real(*a))
    assert client.get(path, headers={"Accept": accept, "If-None-Match": etag}).status_code == 304
    assert calls == []
    assert client.get(path, headers={"Accept": accept}).status_code == 200 and len(calls) == 1
    assert client.get("/doc/region/CN-XX", headers={"Accept": accept, "If-None-Match": etag}).status_code == 404

def test_etag_changes_with_the_data() -> None:
    store = make_store(with_ontology=False)
    client = TestClient(create_app(Settings(base_iri=BASE), store))
    etag = client.get("/doc/agency/ndrc.ttl").headers["etag"]
    extra = rdflib.Graph()
    extra.add((iri("agency", "ndrc"), SKOS.altLabel, Literal("国家发改委", lang="zh")))
    store.replace_graphs({URIRef(f"{BASE}graph/extra"): extra})
    r = client.get("/doc/agency/ndrc.ttl", headers={"If-None-Match": etag})
    assert r.status_code == 200 and r.headers["etag"] != etag
    assert "国家发改委" in r.text


def _free_port_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def test_real_client_follows_303(store: OxigraphStore) -> None:
    """rdflib, as any linked-data client, dereferences an IRI over HTTP and follows the 303."""
    import uvicorn  # noqa: PLC0415

    sock = _free_port_socket()
    port = sock.getsockname()[1]
    app = create_app(Settings(base_iri=BASE), store)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server.started
        g = rdflib.Graph().parse(f"http://127.0.0.1:{port}/id/policy/{POLICY}")
        assert (iri("policy", POLICY), RDF.type, PKG.Policy) in g
        assert (iri("target", TARGET), PKG.normalizedUnit, URIRef("http://qudt.org/vocab/unit/W")) in g
        g = rdflib.Graph().parse(f"http://127.0.0.1:{port}/id/agency/ndrc", format="json-ld")
        assert (iri("agency", "ndrc"), SKOS.altLabel, Literal("NDRC", lang="en")) in g
        g = rdflib.Graph().parse(f"http://127.0.0.1:{port}/id/region/CN-SD", format="nt")
        assert (iri("region", "CN-SD"), PKG.partOf, iri("region", "CN")) in g
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def test_context_document_is_json(client: TestClient) -> None:
    r = client.get("/context.jsonld")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/ld+json")
    assert json.loads(r.content)["@context"]["dcterms"] == str(DCTERMS)


def test_turtle_of_a_document_begins_with_the_resource_it_describes(client) -> None:
    """Turtle written by Oxigraph keeps lexical forms; the described resource comes first, before its evidence."""
    path = "/doc/region/CN-SD"
    body = client.get(path, headers={"Accept": "text/turtle"}).text
    statements = [line for line in body.splitlines() if line and not line.startswith(("@prefix", "\t", " "))]
    assert statements[0].startswith("<https://w3id.org/policykg/id/region/CN-SD>"), statements[:2]


def test_a_page_names_the_most_specific_types_only(store: OxigraphStore) -> None:
    """An agency is a pkg:Agency and an org:Organization (the reference data types it so); pkg:Agency is a
    subclass of org:Organization in the ontology, so the page's type line says "Agency", not
    "organization, Agency". The RDF document keeps both types."""
    from policykg.describe import page_for

    ndrc = iri("agency", "ndrc")
    g = rdflib.Graph()
    g.add((ndrc, RDF.type, PKG.Agency))
    g.add((ndrc, RDF.type, URIRef("http://www.w3.org/ns/org#Organization")))
    g.add((ndrc, RDF.type, URIRef("http://example.org/UnrelatedClass")))
    g.add((ndrc, SKOS.prefLabel, Literal("National Development and Reform Commission", lang="en")))
    _, page = page_for(store, g, ndrc, BASE)
    assert [t.iri for t in page["types"]] == ["http://example.org/UnrelatedClass", str(PKG.Agency)]


def test_a_hub_is_described_with_a_bounded_number_of_its_links(client: TestClient, store: OxigraphStore,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A resource more than HUB_LINKS links lead to (a sector of every policy: 400,000 triples and 58 s
    on the 100,000-policy benchmark graph) is described with HUB_LINKS of them; the page and the data
    document say so, and the page links to the policies list, which has them all."""
    import policykg.describe

    china = iri("region", "CN")
    full = client.get("/doc/region/CN", headers={"Accept": "text/turtle"})
    g_full = rdflib.Graph().parse(data=full.text, format="turtle")
    doc = URIRef(f"{BASE}doc/region/CN")
    assert len(set(g_full.subjects(None, china)) - {doc}) == 12 and 'id="partial"' not in client.get(
        "/doc/region/CN", headers={"Accept": "text/html"}).text
    monkeypatch.setattr(policykg.describe, "HUB_LINKS", 5)
    g = rdflib.Graph().parse(data=client.get("/doc/region/CN", headers={"Accept": "text/turtle"}).text,
                             format="turtle")
    comment = next(g.objects(doc, RDFS.comment))
    assert len(set(g.subjects(None, china)) - {doc}) == 5 and set(g) - set(g_full) == {(doc, RDFS.comment, comment)}
    assert "More than 5 links lead to" in str(comment)
    page = client.get("/doc/region/CN", headers={"Accept": "text/html"}).text
    assert 'id="partial"' in page and 'href="/policies?region=CN"' in page
    assert (china, SKOS.prefLabel, None) in g  # the resource's own description is whole


def test_a_hub_concepts_notice_says_its_policies_are_the_lists(client: TestClient,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A concept page's policies come from the policies list (``concept_policies``), the most recent of all,
    even when the rest of the page holds HUB_LINKS of its links: the notice says which part is which."""
    import policykg.describe

    monkeypatch.setattr(policykg.describe, "HUB_LINKS", 3)  # 4 links lead to sector/power in the sample
    page = client.get("/doc/sector/power", headers={"Accept": "text/html"}).text
    notice = page[page.index('id="partial"'):]
    notice = notice[:notice.index("</p>")]
    assert "policies below are the most recent of all" in notice and 'href="/policies?sector=power"' in notice
    assert "the rest of this page and its data documents show 3 of the links" in notice
    assert "has all its policies" not in notice
