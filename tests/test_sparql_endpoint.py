"""The /sparql endpoint: SPARQL 1.1 Protocol, content negotiation, refusals, limits, CORS."""

import json

import pyoxigraph as ox
import pytest
import rdflib

from policykg.settings import Settings
from tests.sparql_helpers import make_client

SELECT = "PREFIX pkg: <https://w3id.org/policykg/ontology#> SELECT ?p WHERE { ?p a pkg:Policy } ORDER BY ?p"
CONSTRUCT = ("PREFIX pkg: <https://w3id.org/policykg/ontology#> CONSTRUCT { ?p a pkg:Policy } "
             "WHERE { ?p a pkg:Policy }")


@pytest.fixture(scope="module")
def client():
    c, app, store = make_client(Settings(query_timeout_s=5, max_result_rows=4, max_query_bytes=2000))
    with c:
        yield c
    pool = app.state.ctx.cache.get("querypool")
    if pool is not None:
        pool.close()


def test_get_select_json(client):
    r = client.get("/sparql", params={"query": SELECT})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    assert "accept" in r.headers["vary"].lower()
    rows = json.loads(r.content)["results"]["bindings"]
    assert len(rows) == 4  # 6 policies, cut at max_result_rows=4
    assert r.headers["x-policykg-truncated"] == "true" and r.headers["x-policykg-row-limit"] == "4"


def test_not_truncated_has_no_flag(client):
    r = client.get("/sparql", params={"query": SELECT + " LIMIT 2"})
    assert r.status_code == 200 and "x-policykg-truncated" not in r.headers
    assert len(json.loads(r.content)["results"]["bindings"]) == 2


def test_exactly_the_limit_is_not_truncated(client):
    r = client.get("/sparql", params={"query": SELECT + " LIMIT 4"})
    assert "x-policykg-truncated" not in r.headers


@pytest.mark.parametrize("accept, media, parse", [
    ("application/sparql-results+xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("text/tab-separated-values", "text/tab-separated-values", ox.QueryResultsFormat.TSV),
    ("text/csv", "text/csv", None),
    ("application/json", "application/json", ox.QueryResultsFormat.JSON),
    ("image/png, application/sparql-results+xml;q=0.5, */*;q=0.1", "application/sparql-results+xml",
     ox.QueryResultsFormat.XML),
    ("image/png, */*;q=0.1", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
])
def test_select_negotiation(client, accept, media, parse):
    r = client.get("/sparql", params={"query": SELECT + " LIMIT 3"}, headers={"Accept": accept})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == media
    if parse is not None:
        assert len(list(ox.parse_query_results(r.content, format=parse))) == 3
    else:
        assert r.text.splitlines()[0] == "p" and len(r.text.splitlines()) == 4


def test_ask(client):
    r = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/sparql-results+json"})
    assert r.json()["boolean"] is True


@pytest.mark.parametrize("accept, rdflib_format", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"), ("application/trig", "trig"), ("application/n-quads", "nquads"),
])
def test_construct_formats(client, accept, rdflib_format):
    r = client.post("/sparql", content=CONSTRUCT + " LIMIT 3",
                    headers={"Content-Type": "application/sparql-query", "Accept": accept})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == accept
    g = rdflib.Dataset() if rdflib_format in ("trig", "nquads") else rdflib.Graph()
    g.parse(data=r.content, format=rdflib_format)
    assert len(g) == 3


def test_describe(client):
    r = client.get("/sparql", params={"query": "DESCRIBE <https://w3id.org/policykg/id/agency/ndrc>"},
                   headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    g = rdflib.Graph().parse(data=r.content, format="nt")
    assert (rdflib.URIRef("https://w3id.org/policykg/id/agency/ndrc"), None, None) in g


def test_construct_triple_limit(client):
    r = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": "text/turtle"})
    assert r.headers["x-policykg-truncated"] == "true"
    assert len(rdflib.Graph().parse(data=r.content, format="turtle")) == 4


def test_post_form(client):
    r = client.post("/sparql", data={"query": SELECT + " LIMIT 1"})
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 1


def test_406(client):
    r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert r.headers["content-type"].startswith("application/problem+json")
    r = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 406


def test_415(client):
    r = client.post("/sparql", content=SELECT, headers={"Content-Type": "text/plain"})
    assert r.status_code == 415 and r.headers["content-type"].startswith("application/problem+json")


def test_syntax_error_400_with_position(client):
    r = client.get("/sparql", params={"query": "SELECT *\nWHERE { ?s ?p }"})
    assert r.status_code == 400
    body = r.json()
    assert body["status"] == 400 and body["line"] == 2 and body["column"] >= 1


@pytest.mark.parametrize("query", [
    "INSERT DATA { <http://a> <http://b> <http://c> }",
    "DROP ALL",
    "LOAD <http://example.org/x.ttl>",
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <http://example.org/remote.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }",
])
def test_refused(client, query):
    r = client.get("/sparql", params={"query": query})
    assert r.status_code == 400, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["title"] == "Query refused"


def test_update_over_post_refused(client):
    r = client.post("/sparql", data={"update": "DROP ALL"})
    assert r.status_code == 400
    r = client.post("/sparql", content="DROP ALL", headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 400
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


def test_remote_default_graph_uri_refused(client):
    r = client.get("/sparql", params={"query": SELECT, "default-graph-uri": "http://example.org/data.rdf"})
    assert r.status_code == 400


def test_dataset_from_protocol(client):
    q = "PREFIX pkg: <https://w3id.org/policykg/ontology#> SELECT (COUNT(?p) AS ?n) WHERE { ?p a pkg:Policy }"
    g = "https://w3id.org/policykg/graph/test-briefing-2023-11"
    r = client.get("/sparql", params={"query": q, "default-graph-uri": g})
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "1"
    r = client.get("/sparql", params={"query": q})
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "6"  # union default graph
    q2 = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = client.get("/sparql", params={"query": q2, "named-graph-uri": g})
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "1"
    r = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) FROM <" + g + "> WHERE { ?p a ?c }"})
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "3"  # briefing, policy, target


def test_query_size_limit_413(client):
    r = client.get("/sparql", params={"query": SELECT + " #" + "x" * 3000})
    assert r.status_code == 413
    r = client.post("/sparql", content=SELECT + " #" + "x" * 3000,
                    headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413


def test_two_queries_400(client):
    r = client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert r.status_code == 400


def test_service_description(client):
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = rdflib.Graph().parse(data=r.content, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = g.value(None, rdflib.RDF.type, sd.Service)
    assert service is not None
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in g
    assert (service, sd.feature, sd.UnionDefaultGraph) in g
    r = client.get("/sparql", headers={"Accept": "application/rdf+xml"})
    assert len(rdflib.Graph().parse(data=r.content, format="xml")) == len(g)
    r = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.headers["content-type"].startswith("text/html") and "yasgui" in r.text.lower()


def test_cors(client):
    r = client.options("/sparql", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "*"
    r = client.get("/sparql", params={"query": SELECT}, headers={"Origin": "https://example.org"})
    assert r.headers["access-control-allow-origin"] == "*"
    assert "x-policykg-truncated" in r.headers["access-control-expose-headers"].lower()


def test_all_exports_exist():
    from api import queries, sparql

    for module in (sparql, queries):
        for name in module.__all__:
            assert hasattr(module, name)


def test_browsers_get_the_query_editor_and_html_results(client):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = client.get("/sparql", headers={"Accept": browser})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "yasgui" in r.text.lower()
    q = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"
    r = client.get("/sparql", params={"query": q}, headers={"Accept": browser})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<table>" in r.text and r.text.count("<tr>") == 4
    r = client.get("/sparql", params={"query": q}, headers={"Accept": "*/*"})
    assert not r.headers["content-type"].startswith("text/html")
