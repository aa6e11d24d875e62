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
from serve_helpers import post_validate, reference_seed

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


def _comment_over_sparql(slug: str, comment: str, accept: str, query: str):  # noqa: ANN202 - a Response
    """``query`` (with ``{s}`` for the policy) asked of ``/sparql`` with ``Accept: accept``, on the sample
    plus a policy ``slug`` whose ``rdfs:comment`` is ``comment``."""
    s = URIRef(f"{BASE}id/policy/{slug}")
    g = rdflib.Graph()
    g.add((s, RDF.type, PKG.Policy))
    g.add((s, RDFS.comment, Literal(comment)))
    client, store = _sample_with(g)
    with client:
        r = client.get("/sparql", params={"query": query.format(s=s)}, headers={"Accept": accept})
    store.close()
    return r


@pytest.mark.parametrize("accept, query", [
    ("application/sparql-results+xml", "SELECT ?o WHERE {{ <{s}> <http://www.w3.org/2000/01/rdf-schema#comment> ?o }}"),
    ("application/rdf+xml", "CONSTRUCT WHERE {{ <{s}> <http://www.w3.org/2000/01/rdf-schema#comment> ?o }}"),
])
def test_sparql_xml_answers_keep_carriage_returns(accept: str, query: str) -> None:
    r = _comment_over_sparql("cn-attack10-cr", "a\r\nb\rc", accept, query)
    assert r.status_code == 200
    if accept == "application/sparql-results+xml":
        value = ET.fromstring(r.content).find(f".//{SR}literal").text
    else:
        value = str(rdflib.Graph().parse(data=r.content, format="xml").value(
            URIRef(f"{BASE}id/policy/cn-attack10-cr"), RDFS.comment))
    assert value == "a\r\nb\rc"


# --------------------------------------------------------------------------------------------------
# Security: script links from the data (the store treated as hostile)


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
def test_a_slug_with_a_final_newline_is_404_not_500(sample, path: str) -> None:
    r = sample.get(path, follow_redirects=False)
    assert r.status_code == 404, r.status_code


@pytest.mark.parametrize("accept, query", [
    ("application/sparql-results+xml", "SELECT ?o WHERE {{ <{s}> <http://www.w3.org/2000/01/rdf-schema#comment> ?o }}"),
    ("application/rdf+xml", "CONSTRUCT WHERE {{ <{s}> <http://www.w3.org/2000/01/rdf-schema#comment> ?o }}"),
])
def test_sparql_xml_answers_are_well_formed_or_refused(accept: str, query: str) -> None:
    r = _comment_over_sparql("cn-attack10-bell", "bell \x07 here", accept, query)
    if r.status_code == 200:
        ET.fromstring(r.content)  # raises ParseError on ill-formed XML
    else:
        assert r.status_code == 406


def test_static_path_with_a_nul_byte_is_404(sample) -> None:
    assert sample.get("/static/%00").status_code == 404


# --------------------------------------------------------------------------------------------------
# HTTP semantics


def test_head_sparql_is_answered(sample) -> None:
    get, head = sample.get("/sparql"), sample.head("/sparql")
    assert get.status_code == 200
    assert head.status_code == 200, head.status_code
    assert head.headers["content-type"] == get.headers["content-type"]


@pytest.mark.parametrize("method, path, allowed", [
    ("PATCH", "/sparql", {"GET", "HEAD", "POST"}),
    ("PUT", "/doc/region/CN", {"GET", "HEAD"}),
])
def test_405_allow_lists_every_supported_method(sample, method: str, path: str, allowed: set[str]) -> None:
    r = sample.request(method, path)
    assert r.status_code == 405
    assert allowed <= {m.strip() for m in r.headers.get("allow", "").split(",")}, r.headers.get("allow")


def test_a_negotiated_404_varies_on_accept_in_every_variant(sample) -> None:
    r = sample.get("/doc/policy/no-such-policy", headers={"Accept": "application/json"})
    assert r.status_code == 404
    assert "accept" in r.headers.get("vary", "").lower(), r.headers.get("vary")


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
def test_document_never_serves_a_type_refused_with_q0(sample, accept: str, refused: str) -> None:
    r = sample.get("/doc/region/CN", headers={"Accept": accept})
    assert r.status_code in (200, 406)
    if r.status_code == 200:
        assert r.headers["content-type"].split(";")[0] != refused


def test_policies_filter_given_twice_is_not_silently_the_last_one(sample) -> None:
    def rows(query: str) -> int:
        return sample.get(f"/policies?{query}").text.count("<tr><td>")
    both = sample.get("/policies?region=CN-SD&region=CN-BJ")
    assert both.status_code == 422 or rows("region=CN-SD&region=CN-BJ") == rows("region=CN-SD") + rows("region=CN-BJ")


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


def test_validate_report_names_the_line_of_a_turtle_body(seed) -> None:
    r = post_validate(seed, POLICY_BAD_GENRE)
    assert r.status_code == 200
    violations = [x for x in r.json()["results"] if x["severity"] == "Violation"]
    # a value's result is placed on its line (the genre, line 5, column 3); a missing one's on the subject's
    where = {(x["path"], x["line"], x["column"], x["field"]) for x in violations}
    assert ("https://w3id.org/policykg/ontology#genre", 5, 3, "pkg:genre") in where, where
    assert all(line == 3 and column is None for path, line, column, _ in where if not path.endswith("#genre")), where


# --------------------------------------------------------------------------------------------------
# OpenAPI description and problem documents


def test_openapi_documents_the_sparql_query_parameter(sample) -> None:
    op = sample.get("/openapi.json").json()["paths"]["/sparql"]["get"]
    names = {p["name"] for p in op.get("parameters", [])}
    assert {"query", "default-graph-uri", "named-graph-uri"} <= names, names


def test_openapi_documents_the_303_of_a_resource_iri(sample) -> None:
    responses = sample.get("/openapi.json").json()["paths"]["/id/{kind}/{slug}"]["get"]["responses"]
    assert "303" in responses and "404" in responses, sorted(responses)
    assert "422" not in responses, sorted(responses)


def test_openapi_schema_of_a_year_parameter_refuses_what_the_server_refuses(sample) -> None:
    params = sample.get("/openapi.json").json()["paths"]["/api/queries/targets-due-in-year"]["get"]["parameters"]
    year = next(p for p in params if p["name"] == "year")
    pattern = year["schema"].get("pattern")
    assert pattern is not None, year["schema"]
    assert re.search(pattern, "Accept") is None and re.search(pattern, "2025")


def test_problem_type_uris_dereference(sample) -> None:
    problem = sample.get("/doc/policy/no-such-policy", headers={"Accept": "application/problem+json"}).json()
    assert problem["type"].startswith(BASE)
    r = sample.get("/" + problem["type"][len(BASE):], headers={"Accept": "text/html"})
    assert r.status_code == 200, r.status_code


def test_a_refused_format_parameter_is_a_typed_problem(sample) -> None:
    r = sample.get("/api/queries/agencies-ranked", params={"format": "xml"})
    assert r.status_code == 422
    problem = r.json()
    assert problem["type"] != "about:blank" or problem["title"] == "Unprocessable Content", problem
