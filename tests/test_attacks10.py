"""Tenth attacking review: the published HTTP surface as a semantic-web engineer would review it
(linked-data documents and their serialisations, content negotiation, HTTP semantics, the SPARQL
endpoint's XML formats, HTML pages, /validate, the canned-query API and its OpenAPI description).

Every test asserts the correct behaviour and is an ``xfail(strict=True)`` for a defect found by this
review: it fails today and will pass (and then must be un-marked) once the defect is fixed. Apps are
built in process on fresh in-memory stores (``linked_data_helpers.make_store``: the sample graph), as
tests/test_api_attacks3.py does; hostile values go in as an extra named graph (the store is treated
as hostile, as in tests/test_hardening_http.py).
"""

from __future__ import annotations

import re
import warnings
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
import rdflib
from linked_data_helpers import make_store
from rdflib import Literal, URIRef
from serve_helpers import reference_seed

from api import create_app
from policykg.settings import Settings
from policykg.store import OxigraphStore
from policykg.vocab import DCTERMS, PKG, RDF, RDFS, Minter

with warnings.catch_warnings():  # starlette 1.x warns when its test client runs on httpx rather than httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

BASE = "https://w3id.org/policykg/"
XSD = rdflib.XSD
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
SR = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture(scope="module")
def sample():
    """A TestClient on the sample graph (read-only use)."""
    store = make_store()
    with TestClient(create_app(Settings(base_iri=BASE), store), raise_server_exceptions=False) as client:
        yield client
    store.close()


def _sample_with(graph: rdflib.Graph) -> tuple[TestClient, OxigraphStore]:
    """A fresh sample store plus ``graph`` in its own named graph, and a client on it."""
    store = make_store()
    store.replace_graphs({URIRef(f"{BASE}graph/attack"): graph})
    return TestClient(create_app(Settings(base_iri=BASE), store), raise_server_exceptions=False), store


def _script_links(html: str) -> list[str]:
    return [a for a in re.findall(r"""(?:href|src|action)\s*=\s*["']?\s*([^"' >]*)""", html, re.IGNORECASE)
            if a.strip().lower().startswith(("javascript:", "data:", "vbscript:"))]


# --------------------------------------------------------------------------------------------------
# Silent wrong data


@pytest.mark.xfail(strict=True, reason=(
    "policykg/store.py:to_rdflib builds rdflib Literals with rdflib's lexical normalisation on, and "
    "rdfio.serialize_graph writes str(literal): every xsd:double of a /doc (and /graph, /ontology) document "
    "is re-lexed (the sample's pkg:normalizedValue \"17\" is served as \"17.0\", \"INF\" as \"inf\", which is "
    "not in the xsd:double lexical space, XSD 1.1 §3.3.5.1); the document then disagrees with /sparql and the "
    "dumps on the RDF term (RDF 1.1 Concepts §3.3), and a consumer merging both gets two values"))
def test_document_literals_keep_the_stored_lexical_form() -> None:
    t = URIRef(f"{BASE}id/target/cn-attack10-double")
    g = rdflib.Graph()
    g.add((t, RDF.type, PKG.Target))
    g.add((t, PKG.normalizedValue, Literal("17", datatype=XSD.double)))
    g.add((t, PKG.value, Literal("INF", datatype=XSD.double)))
    client, store = _sample_with(g)
    with client:
        truth = client.get("/sparql", params={"query": f"CONSTRUCT WHERE {{ <{t}> ?p ?o }}"},
                           headers={"Accept": "application/n-triples"})
        doc = client.get("/doc/target/cn-attack10-double.nt")
    store.close()
    want = {q.predicate.value: q.object for q in ox.parse(truth.content, format=ox.RdfFormat.N_TRIPLES)}
    got = {q.predicate.value: q.object for q in ox.parse(doc.content, format=ox.RdfFormat.N_TRIPLES)
           if q.subject.value == str(t)}
    assert got[str(PKG.normalizedValue)] == want[str(PKG.normalizedValue)]
    assert got[str(PKG.value)] == want[str(PKG.value)]


@pytest.mark.parametrize("accept, query", [
    ("application/sparql-results+xml", "SELECT ?o WHERE {{ <{s}> <http://www.w3.org/2000/01/rdf-schema#comment> ?o }}"),
    ("application/rdf+xml", "CONSTRUCT WHERE {{ <{s}> <http://www.w3.org/2000/01/rdf-schema#comment> ?o }}"),
])
@pytest.mark.xfail(strict=True, reason=(
    "/sparql's XML answers (Oxigraph's SPARQL XML results and RDF/XML writers, api/sparql.py) write a "
    "literal's carriage return raw: every XML parser turns CR LF and lone CR into LF (XML 1.0 §2.11), so a "
    "client reads \"a\\nb\\nc\" for the stored \"a\\r\\nb\\rc\"; /doc's RDF/XML (rdflib) writes &#13; and keeps it"))
def test_sparql_xml_answers_keep_carriage_returns(accept: str, query: str) -> None:
    s = URIRef(f"{BASE}id/policy/cn-attack10-cr")
    g = rdflib.Graph()
    g.add((s, RDF.type, PKG.Policy))
    g.add((s, RDFS.comment, Literal("a\r\nb\rc")))
    client, store = _sample_with(g)
    with client:
        r = client.get("/sparql", params={"query": query.format(s=s)}, headers={"Accept": accept})
    store.close()
    assert r.status_code == 200
    if accept == "application/sparql-results+xml":
        value = ET.fromstring(r.content).find(f".//{SR}literal").text
    else:
        value = str(rdflib.Graph().parse(data=r.content, format="xml").value(s, RDFS.comment))
    assert value == "a\r\nb\rc"


# --------------------------------------------------------------------------------------------------
# Security: script links from the data (the store treated as hostile)


@pytest.mark.xfail(strict=True, reason=(
    "policykg/describe.py:briefing_page passes dcat:landingPage through as text and api/templates/"
    "briefing.html puts it in href unchecked (no safe_href): a briefing page links javascript: "
    "(OWASP XSS rule for URL attributes); every other data link goes through safe_href"))
def test_briefing_page_never_links_a_script_landing_page() -> None:
    b = URIRef(f"{BASE}id/briefing/attack10-2024-01-01")
    g = rdflib.Graph()
    g.add((b, RDF.type, PKG.Briefing))
    g.add((b, DCTERMS.title, Literal("Hostile briefing", lang="en")))
    g.add((b, DCAT.landingPage, URIRef("javascript:alert(document.domain)")))
    client, store = _sample_with(g)
    with client:
        r = client.get("/doc/briefing/attack10-2024-01-01", headers={"Accept": "text/html"})
    store.close()
    assert r.status_code == 200
    assert _script_links(r.text) == []


@pytest.mark.xfail(strict=True, reason=(
    "policykg/describe.py:ontology_page takes dcterms:license of the store's ontology graph as text and "
    "api/templates/ontology.html puts it in href unchecked: /ontology links javascript: (OWASP XSS rule "
    "for URL attributes); safe_href is not applied"))
def test_ontology_page_never_links_a_script_licence() -> None:
    store = make_store()
    name = URIRef(Minter(BASE).ontology_graph)
    g = store.construct("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": name})
    onto = next(g.subjects(RDF.type, rdflib.OWL.Ontology))
    g.remove((onto, DCTERMS.license, None))
    g.add((onto, DCTERMS.license, URIRef("javascript:alert(1)")))
    store.replace_graphs({name: g})
    with TestClient(create_app(Settings(base_iri=BASE), store), raise_server_exceptions=False) as client:
        r = client.get("/ontology", headers={"Accept": "text/html"})
    store.close()
    assert r.status_code == 200
    assert _script_links(r.text) == []


# --------------------------------------------------------------------------------------------------
# Crashes and ill-formed answers


@pytest.mark.parametrize("path", ["/doc/region/CN%0A", "/id/region/CN%0A", "/doc/region/CN%0A.ttl",
                                  "/dataset/agencies%0A"])
@pytest.mark.xfail(strict=True, reason=(
    "policykg/describe.py:SLUG_PATTERN ends in '$', which also matches before a final newline: "
    "resource_iri (and api/meta.py:dataset) accept 'CN\\n', Oxigraph refuses the IRI and the user gets a 500 "
    "for a URL that should be 404 (the year pattern was fixed with \\Z, the slug one was not)"))
def test_a_slug_with_a_final_newline_is_404_not_500(sample, path: str) -> None:
    r = sample.get(path, follow_redirects=False)
    assert r.status_code == 404, r.status_code


@pytest.mark.parametrize("accept, query", [
    ("application/sparql-results+xml", "SELECT ?o WHERE {{ <{s}> <http://www.w3.org/2000/01/rdf-schema#comment> ?o }}"),
    ("application/rdf+xml", "CONSTRUCT WHERE {{ <{s}> <http://www.w3.org/2000/01/rdf-schema#comment> ?o }}"),
])
@pytest.mark.xfail(strict=True, reason=(
    "/sparql answers 200 with ill-formed XML (SPARQL XML results, RDF/XML) when a literal holds a "
    "character XML 1.0 forbids (§2.2): the client's parser fails; /doc and /graph answer 406 naming the "
    "problem (rdfio.serialize_graph), api/sparql.py does not check"))
def test_sparql_xml_answers_are_well_formed_or_refused(accept: str, query: str) -> None:
    s = URIRef(f"{BASE}id/policy/cn-attack10-bell")
    g = rdflib.Graph()
    g.add((s, RDF.type, PKG.Policy))
    g.add((s, RDFS.comment, Literal("bell \x07 here")))
    client, store = _sample_with(g)
    with client:
        r = client.get("/sparql", params={"query": query.format(s=s)}, headers={"Accept": accept})
    store.close()
    if r.status_code == 200:
        ET.fromstring(r.content)  # raises ParseError on ill-formed XML
    else:
        assert r.status_code == 406


@pytest.mark.xfail(strict=True, reason=(
    "api/meta.py:static resolves the path before any check: /static/%00 raises ValueError "
    "('embedded null byte') in Path.resolve and the user gets a 500 where any other missing file is 404"))
def test_static_path_with_a_nul_byte_is_404(sample) -> None:
    assert sample.get("/static/%00").status_code == 404


# --------------------------------------------------------------------------------------------------
# HTTP semantics


@pytest.mark.xfail(strict=True, reason=(
    "HEAD /sparql (the service description) is 405: api/sparql.py registers GET and POST only; "
    "RFC 9110 §9.1: general-purpose servers MUST support HEAD wherever GET is"))
def test_head_sparql_is_answered(sample) -> None:
    get, head = sample.get("/sparql"), sample.head("/sparql")
    assert get.status_code == 200
    assert head.status_code == 200, head.status_code
    assert head.headers["content-type"] == get.headers["content-type"]


@pytest.mark.parametrize("method, path, allowed", [
    ("PATCH", "/sparql", {"GET", "HEAD", "POST"}),
    ("PUT", "/doc/region/CN", {"GET", "HEAD"}),
])
@pytest.mark.xfail(strict=True, reason=(
    "405 answers name one method in Allow (PATCH /sparql -> 'Allow: GET', no POST; PUT /doc -> no HEAD): "
    "each method is its own route (resources.get_and_head, sparql.build_router) and Starlette reports the "
    "first; RFC 9110 §15.5.6/§10.2.1: Allow MUST list the methods the resource supports (schemathesis ST205)"))
def test_405_allow_lists_every_supported_method(sample, method: str, path: str, allowed: set[str]) -> None:
    r = sample.request(method, path)
    assert r.status_code == 405
    assert allowed <= {m.strip() for m in r.headers.get("allow", "").split(",")}, r.headers.get("allow")


@pytest.mark.xfail(strict=True, reason=(
    "api/app.py:for_browsers serves a 404 as HTML to browsers and as problem+json to others, but only the "
    "HTML one carries 'Vary: Accept': a shared cache stores the problem+json 404 (heuristically cacheable, "
    "RFC 9111 §4.2.2) without Vary and hands it to browsers (RFC 9110 §12.5.5)"))
def test_a_negotiated_404_varies_on_accept_in_every_variant(sample) -> None:
    r = sample.get("/doc/policy/no-such-policy", headers={"Accept": "application/json"})
    assert r.status_code == 404
    assert "accept" in r.headers.get("vary", "").lower(), r.headers.get("vary")


@pytest.mark.xfail(strict=True, reason=(
    "api/queries.py offers application/json as an alias of the SPARQL JSON results but serves "
    "application/sparql-results+json: 'Accept: application/sparql-results+json;q=0, */*' gets exactly the "
    "type the client refused (RFC 9110 §12.4.2: q=0 means not acceptable); choose_variant in resources.py "
    "guards its aliases, the canned queries do not"))
def test_canned_query_never_serves_a_type_refused_with_q0(sample) -> None:
    r = sample.get("/api/queries/agencies-ranked",
                   headers={"Accept": "application/sparql-results+json;q=0, */*"})
    assert r.status_code in (200, 406)
    if r.status_code == 200:
        assert r.headers["content-type"].split(";")[0] != "application/sparql-results+json"


@pytest.mark.parametrize("accept, refused", [
    ("application/ld+json;q=0, application/json", "application/ld+json"),
    ("text/html;q=0, application/xhtml+xml", "text/html"),
])
@pytest.mark.xfail(strict=True, reason=(
    "api/resources.py:document maps an alias the client names (application/json, application/xhtml+xml) "
    "to its variant and then sends the variant's canonical type, which the same header refused with q=0 "
    "(RFC 9110 §12.4.2, §12.5.1): it should label the body with the alias (or answer 406)"))
def test_document_never_serves_a_type_refused_with_q0(sample, accept: str, refused: str) -> None:
    r = sample.get("/doc/region/CN", headers={"Accept": accept})
    assert r.status_code in (200, 406)
    if r.status_code == 200:
        assert r.headers["content-type"].split(";")[0] != refused


@pytest.mark.xfail(strict=True, reason=(
    "/policies reads each filter with QueryParams.get: ?region=CN-SD&region=CN-BJ silently shows CN-BJ's "
    "policies only (the page says nothing), where the canned queries refuse a repeated parameter (422) "
    "because 'the last value would silently win' (api/resources.py:policies, _slug_param)"))
def test_policies_filter_given_twice_is_not_silently_the_last_one(sample) -> None:
    def rows(query: str) -> int:
        return sample.get(f"/policies?{query}").text.count("<tr><td>")
    both = sample.get("/policies?region=CN-SD&region=CN-BJ")
    assert both.status_code == 422 or rows("region=CN-SD&region=CN-BJ") == rows("region=CN-SD") + rows("region=CN-BJ")


@pytest.mark.xfail(strict=True, reason=(
    "api/meta.py:static compares If-None-Match with '==': a weak validator W/\"...\" or a list of tags "
    "gets 200 instead of 304 (RFC 9110 §13.1.2: weak comparison, a list of entity tags)"))
def test_static_if_none_match_uses_weak_comparison_and_lists(sample) -> None:
    etag = sample.get("/static/style.css").headers["etag"]
    assert sample.get("/static/style.css", headers={"If-None-Match": f"W/{etag}"}).status_code == 304
    assert sample.get("/static/style.css", headers={"If-None-Match": f'"other", {etag}'}).status_code == 304


# --------------------------------------------------------------------------------------------------
# /validate


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory):
    """The N-Quads of a store holding the ontology and reference data, one validator, the CLI's curated reader."""
    return reference_seed(tmp_path_factory.mktemp("seed10"))


POLICY_BAD_GENRE = """@prefix pkg: <https://w3id.org/policykg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<https://w3id.org/policykg/id/policy/cn-notice-on-an-attack10-policy> a pkg:Policy ;
  dcterms:title "Notice on an Attack10 Policy"@en ;
  pkg:genre "not a genre IRI" ;
  pkg:governmentLevel pkg:National ;
  pkg:jurisdiction <https://w3id.org/policykg/id/region/CN> .
"""


@pytest.mark.xfail(strict=True, reason=(
    "api/validate.py:_entries calls entries_from_dataset without the body text, so a violation in a "
    "Turtle body sent to POST /validate has line None, where 'policykg validate file.ttl' (cli.py passes "
    "the text) names the line of the subject: the report cannot say where (team rule: errors name line)"))
def test_validate_report_names_the_line_of_a_turtle_body(seed) -> None:
    data, validator, _ = seed
    settings = Settings()
    store = OxigraphStore(None, settings.base_iri)
    store.restore_nquads(data)
    app = create_app(settings, store)
    app.state.ctx.cache["validator"] = validator
    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.post("/validate", content=POLICY_BAD_GENRE.encode(),
                        headers={"Content-Type": "text/turtle", "Accept": "application/json"})
    store.close()
    assert r.status_code == 200
    violations = [x for x in r.json()["results"] if x["severity"] == "Violation"]
    assert violations and all(x["line"] == 3 for x in violations), [(x["path"], x["line"]) for x in violations]


# --------------------------------------------------------------------------------------------------
# OpenAPI description and problem documents


@pytest.mark.xfail(strict=True, reason=(
    "GET /sparql's OpenAPI operation documents no parameter (api/sparql.py:build_router): 'query', "
    "'default-graph-uri' and 'named-graph-uri' (SPARQL 1.1 Protocol §2.1.1) are missing, so /docs "
    "(Swagger 'Try it out') and generated clients cannot send a query by GET"))
def test_openapi_documents_the_sparql_query_parameter(sample) -> None:
    op = sample.get("/openapi.json").json()["paths"]["/sparql"]["get"]
    names = {p["name"] for p in op.get("parameters", [])}
    assert {"query", "default-graph-uri", "named-graph-uri"} <= names, names


@pytest.mark.xfail(strict=True, reason=(
    "/id/{kind}/{slug} is documented as answering 200 and 422 (FastAPI's HTTPValidationError, JSON) but "
    "answers 303 (or 404 problem+json) and never 200 or 422 (api/resources.py get_and_head without "
    "responses=); schemathesis reports undocumented statuses (ST103); OpenAPI 3.1 §4.8.16"))
def test_openapi_documents_the_303_of_a_resource_iri(sample) -> None:
    responses = sample.get("/openapi.json").json()["paths"]["/id/{kind}/{slug}"]["get"]["responses"]
    assert "303" in responses and "404" in responses, sorted(responses)
    assert "422" not in responses, sorted(responses)


@pytest.mark.xfail(strict=True, reason=(
    "api/queries.py:_openapi_parameters gives every canned-query parameter the schema {type: string}: a "
    "year, slug or code the server refuses with 422 (e.g. year=Accept) is schema-valid (schemathesis ST202); "
    "the type the .rq header declares (year: four digits) should become a pattern"))
def test_openapi_schema_of_a_year_parameter_refuses_what_the_server_refuses(sample) -> None:
    params = sample.get("/openapi.json").json()["paths"]["/api/queries/targets-due-in-year"]["get"]["parameters"]
    year = next(p for p in params if p["name"] == "year")
    pattern = year["schema"].get("pattern")
    assert pattern is not None, year["schema"]
    assert re.search(pattern, "Accept") is None and re.search(pattern, "2025")


@pytest.mark.xfail(strict=True, reason=(
    "problem+json 'type' URIs are https://w3id.org/policykg/problems/{Name} (policykg/errors.py) under the "
    "base IRI, which this server maps to its own paths, but /problems/{Name} is 404: RFC 9457 §3.1.1 says a "
    "type URI SHOULD dereference to human-readable documentation of the problem type"))
def test_problem_type_uris_dereference(sample) -> None:
    problem = sample.get("/doc/policy/no-such-policy", headers={"Accept": "application/problem+json"}).json()
    assert problem["type"].startswith(BASE)
    r = sample.get("/" + problem["type"][len(BASE):], headers={"Accept": "text/html"})
    assert r.status_code == 200, r.status_code


@pytest.mark.xfail(strict=True, reason=(
    "api/app.py:_request_error answers a refused parameter (e.g. a canned query's ?format=xml) with type "
    "about:blank and title 'Invalid request': RFC 9457 §4.2.1 says an about:blank problem's title SHOULD be "
    "the status phrase ('Unprocessable Content'); every other parameter error uses the ParameterError type"))
def test_a_refused_format_parameter_is_a_typed_problem(sample) -> None:
    r = sample.get("/api/queries/agencies-ranked", params={"format": "xml"})
    assert r.status_code == 422
    problem = r.json()
    assert problem["type"] != "about:blank" or problem["title"] == "Unprocessable Content", problem
