"""Bounded queries: the classifier, and /sparql answering them in-process exactly as the query pool would."""

from __future__ import annotations

import json

import pytest
import rdflib
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery

from api.sparql import inspect, run_query
from policykg.settings import Settings
from policykg.sparql import bounded_query_info
from tests.sparql_helpers import SHARED, running_client, sample_store

BASE = "https://w3id.org/policykg/"
POLICY = f"{BASE}id/policy/cn-carbon-market-notice"

BOUNDED = [
    (f"SELECT ?p ?o WHERE {{ <{POLICY}> ?p ?o }}", "SELECT", None),
    (f"select * {{ <{POLICY}> ?p ?o . }}", "SELECT", None),
    (f"SELECT ?p ?o WHERE {{ <{POLICY}> ?p ?o }} LIMIT 3", "SELECT", 3),
    (f"SELECT ?p ?o WHERE {{ <{POLICY}> ?p ?o }} OFFSET 2 LIMIT 20000", "SELECT", 20000),
    ("PREFIX pkg: <https://w3id.org/policykg/ontology#>\n# all policies\nSELECT ?p { ?p a pkg:Policy }",
     "SELECT", None),
    ('PREFIX dct: <http://purl.org/dc/terms/> SELECT ?s WHERE { ?s dct:title "A title"@en }', "SELECT", None),
    ('SELECT ?s { ?s <http://ex/p> "2030"^^<http://www.w3.org/2001/XMLSchema#gYear> }', "SELECT", None),
    ("SELECT ?s { ?s <http://ex/p> 42 }", "SELECT", None),
    ("SELECT ?s ?p ?o { ?s ?p ?o }", "SELECT", None),
    ("BASE <http://ex/> SELECT ?o { <s> <p> ?o }", "SELECT", None),
    ("ASK { ?s a <http://ex/C> }", "ASK", None),
    (f"DESCRIBE <{POLICY}>", "DESCRIBE", None),
    ("PREFIX pkg: <https://w3id.org/policykg/ontology#> DESCRIBE pkg:Policy <http://ex/b>", "DESCRIBE", None),
]

UNBOUNDED = [
    "SELECT ?s { ?s ?p ?s }",                                  # a repeated variable scans for matches
    "SELECT DISTINCT ?p { ?s ?p ?o }",                          # DISTINCT can skip arbitrarily many rows
    "SELECT ?s { ?s ?p ?o } ORDER BY ?s",                      # sorting materialises everything
    "SELECT ?s { ?s ?p ?o . ?o ?q ?r }",                       # a join
    "SELECT ?s { ?s ?p ?o ; ?q ?r }",
    "SELECT ?s { ?s <http://ex/p>* ?o }",                       # a property path
    "SELECT ?s { ?s ?p ?o FILTER(?o > 1) }",
    "SELECT ?s { OPTIONAL { ?s ?p ?o } }",
    "SELECT ?s { { ?s ?p ?o } }",
    "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
    "SELECT ?s FROM <http://ex/g> { ?s ?p ?o }",
    "SELECT ?s { GRAPH ?g { ?s ?p ?o } }",
    "SELECT ?s { SERVICE <http://ex/sparql> { ?s ?p ?o } }",
    "SELECT ?s { _:b ?p ?s }",
    "SELECT ?s { ?s ?p ?o } OFFSET 10000000",                   # skipping is linear in the offset
    "SELECT ?s { ?s ?p ?o } LIMIT 1 LIMIT 2",
    "SELECT ?s { ?s ?p ?o } VALUES ?s { <http://ex/a> }",
    "CONSTRUCT WHERE { ?s ?p ?o }",
    "DESCRIBE ?s WHERE { ?s ?p ?o }",
    "DESCRIBE",
    "INSERT DATA { <http://ex/a> <http://ex/b> <http://ex/c> }",
    "PREFIX : <http://ex/> SELECT ?s { ?s :p ?o",
    "SELECT ?s { ?s ?p ?o }" + " " * 5000,                      # over 4 KiB
    "",
]


@pytest.mark.parametrize("query, form, limit", BOUNDED)
def test_bounded_shapes(query, form, limit):
    info = bounded_query_info(query, max_offset=10_000)
    assert info is not None and info.form == form and info.limit == limit
    assert not info.default_graphs and not info.named_graphs


@pytest.mark.parametrize("query", UNBOUNDED)
def test_everything_else_is_left_to_the_pool(query):
    assert bounded_query_info(query) is None


def _single_pattern(algebra) -> bool:
    """Independent oracle (rdflib's algebra): DESCRIBE of IRIs, or at most Slice(Project(BGP)) of one
    triple pattern without a repeated variable."""
    if algebra.name == "DescribeQuery":
        return algebra.p is None and all(isinstance(t, rdflib.URIRef) for t in algebra.PV)
    node = algebra.p
    while node.name in ("Slice", "Project"):
        if node.name == "Slice" and (node.start or 0) > 10_000:
            return False
        node = node.p
    if node.name != "BGP" or len(node.triples) != 1:
        return False
    variables = [t for t in node.triples[0] if isinstance(t, rdflib.Variable)]
    return len(variables) == len(set(variables)) and not any(isinstance(t, rdflib.BNode) for t in node.triples[0])


def test_w3c_queries_classified_bounded_are_single_patterns():
    folder = SHARED / "conformance" / "rdf-tests-sparql"
    if not folder.is_dir():
        pytest.skip("../shared/conformance/rdf-tests-sparql is absent")
    accepted = 0
    for path in sorted(folder.rglob("*.rq")):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        if bounded_query_info(text) is None:
            continue
        accepted += 1
        algebra = translateQuery(parseQuery(text), base=path.as_uri()).algebra
        assert _single_pattern(algebra), f"{path.name} classified bounded but is {algebra.name}: {algebra.get('p')}"
    assert accepted >= 10  # the suite has plenty of single-pattern queries: the oracle is exercised


@pytest.fixture()
def fresh(tmp_path):
    settings = Settings(query_timeout_s=5, max_result_rows=4)
    with running_client(settings, sample_store(settings, tmp_path / "store")) as (client, app):
        yield client, app.state.ctx


ACCEPTS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
           "text/tab-separated-values", "application/json"]
RDF_ACCEPTS = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml",
               "application/trig", "application/n-quads"]


def test_bounded_answers_match_the_query_pool(fresh):
    client, ctx = fresh
    cases = [(q, a) for q, form, _ in BOUNDED for a in (RDF_ACCEPTS if form == "DESCRIBE" else ACCEPTS)]
    answers = []
    for query, accept in cases:
        r = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
        assert r.status_code == 200, (query, accept, r.text)
        answers.append(r)
    assert "querypool" not in ctx.cache  # all of them were answered without a worker
    from api.sparql import _media_for  # noqa: PLC0415

    for (query, accept), r in zip(cases, answers):
        base = "http://testserver/sparql"
        info = inspect(ctx, query, base)
        fmt, media = _media_for(info.form, accept)
        outcome = run_query(ctx, query, info, fmt, base_iri=base)
        assert r.headers["content-type"] == media or r.headers["content-type"].startswith(media + ";"), (accept, r.headers)
        assert r.content == outcome.data, (query, accept)
        assert (r.headers.get("x-policykg-truncated") == "true") == outcome.truncated
    assert "querypool" in ctx.cache  # the comparison really ran in the pool


def test_bounded_results_are_cut_at_the_row_limit(fresh):
    client, _ = fresh
    r = client.get("/sparql", params={"query": "SELECT ?s ?p ?o { ?s ?p ?o }"})
    assert r.status_code == 200
    assert len(json.loads(r.content)["results"]["bindings"]) == 4
    assert r.headers["x-policykg-truncated"] == "true" and r.headers["x-policykg-row-limit"] == "4"
    r = client.get("/sparql", params={"query": f"DESCRIBE <{POLICY}>"}, headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and r.headers["x-policykg-truncated"] == "true"
    assert len(r.content.strip().splitlines()) == 4
    r = client.get("/sparql", params={"query": f"SELECT ?p {{ <{POLICY}> ?p ?o }} LIMIT 4"})
    assert "x-policykg-truncated" not in r.headers


def test_cross_origin_requests_still_get_cors_headers(fresh):
    client, _ = fresh
    query = f"SELECT ?p ?o WHERE {{ <{POLICY}> ?p ?o }}"
    same = client.get("/sparql", params={"query": query})
    cross = client.get("/sparql", params={"query": query}, headers={"Origin": "https://yasgui.example"})
    assert cross.status_code == 200 and cross.headers["access-control-allow-origin"] == "*"
    assert "x-policykg-truncated" in cross.headers["access-control-expose-headers"].lower()
    assert "access-control-allow-origin" not in same.headers
    assert cross.content == same.content
    assert _vary(same) == _vary(cross) == {"accept", "origin"}  # caches must not mix the two


def test_bounded_shaped_errors_are_problem_json_with_position(fresh):
    client, _ = fresh
    r = client.get("/sparql", params={"query": "SELECT ?s\nWHERE { ?s nope:p ?o }"})
    assert r.status_code == 400 and r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["line"] == 2 and body["column"] >= 1


def test_bounded_queries_keep_negotiation_and_html(fresh):
    client, _ = fresh
    query = f"DESCRIBE <{POLICY}>"
    assert client.get("/sparql", params={"query": query}, headers={"Accept": "image/png"}).status_code == 406
    page = client.get("/sparql", params={"query": query}, headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Query results" in page.text
    # other protocol parameters take the full path, with the same answer
    plain = client.get("/sparql", params={"query": query}, headers={"Accept": "text/turtle"})
    graph = client.get("/sparql", params={"query": query, "default-graph-uri": f"{BASE}graph/reference"},
                       headers={"Accept": "text/turtle"})
    assert plain.status_code == graph.status_code == 200


# --- plain GET requests answered ahead of FastAPI, pool queries included -------------------------

POOL_QUERIES = [
    "PREFIX pkg: <https://w3id.org/policykg/ontology#> SELECT ?p ?t WHERE { ?p a pkg:Policy ; "
    "<http://purl.org/dc/terms/title> ?t } ORDER BY ?p",
    "PREFIX pkg: <https://w3id.org/policykg/ontology#> SELECT (COUNT(?p) AS ?n) WHERE { ?p a pkg:Policy }",
    "PREFIX pkg: <https://w3id.org/policykg/ontology#> CONSTRUCT { ?p a pkg:Policy } WHERE { ?p a pkg:Policy }",
    "ASK { ?s ?p ?o FILTER(isLiteral(?o)) }",
]


@pytest.mark.parametrize("query", POOL_QUERIES)
def test_plain_get_matches_the_route(fresh, query):
    client, _ = fresh
    accept = "text/turtle, application/sparql-results+json;q=0.9"
    get = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    post = client.post("/sparql", content=query.encode(), headers={"Accept": accept,
                                                                   "Content-Type": "application/sparql-query"})
    assert get.status_code == post.status_code == 200
    assert get.content == post.content
    for name in ("content-type", "x-policykg-truncated", "x-policykg-row-limit"):
        assert get.headers.get(name) == post.headers.get(name), name
    assert _vary(get) == _vary(post) == {"accept", "origin"}


def _vary(response) -> set[str]:
    return {v.strip().lower() for v in response.headers.get("vary", "").split(",") if v.strip()}


@pytest.mark.parametrize("query, status, field", [
    ("SELECT ?s WHERE {\n  ?s ?p ?o FILTER( }", 400, "line"),
    ("INSERT { ?s ?p ?o } WHERE { SELECT * WHERE { ?s ?p ?o } }", 400, None),      # an update holding a SELECT
    ("DELETE WHERE { ?s ?p ?o }", 400, None),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", 400, None),
    ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o FILTER(true) }", 400, None),
    ("PREFIX pkg: <https://w3id.org/policykg/ontology#> CONSTRUCT WHERE { ?p a pkg:Policy }", 406, None),
])
def test_plain_get_errors_are_the_routes(fresh, query, status, field):
    client, _ = fresh
    accept = "application/sparql-results+json"
    get = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    post = client.post("/sparql", content=query.encode(), headers={"Accept": accept,
                                                                   "Content-Type": "application/sparql-query"})
    assert get.status_code == post.status_code == status, get.text
    assert get.headers["content-type"].startswith("application/problem+json")
    assert get.json() == post.json()
    if field:
        assert get.json()[field] == 2


def test_plain_get_runaway_query_gets_503_with_retry_after(tmp_path):
    settings = Settings(query_timeout_s=1)
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with running_client(settings, sample_store(settings, tmp_path / "store")) as (client, _):
        r = client.get("/sparql", params={"query": runaway})
        assert r.status_code == 503 and r.headers["retry-after"] == "1"
        assert r.headers["content-type"].startswith("application/problem+json")
        assert client.get("/sparql", params={"query": f"ASK {{ <{POLICY}> ?p ?o }}"}).json()["boolean"] is True
