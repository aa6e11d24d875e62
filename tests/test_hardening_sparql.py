"""Hostile queries on ``/sparql`` and hostile parameters of the canned queries ``/api/queries/{name}``.

Each query class must be refused (400 problem+json) or bounded (503 with
``Retry-After`` at ``query_timeout_s``; results cut at ``max_result_rows``
and flagged by ``X-PolicyKG-Truncated``), make no outbound request (every
``SERVICE``/``FROM``/``LOAD`` IRI points at a loopback :class:`Recorder`),
and leave the server live: a simple query right after succeeds. The store
must be unchanged after every attempted update.

Canned-query parameters are bound as RDF terms, never pasted into the text:
:func:`test_canned_query_text_never_depends_on_parameter_values` checks that
``CannedQuery.bind`` returns the same query text for any value (or refuses
it with a ``ParameterError``), for every ``queries/*.rq``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from policykg.errors import ParameterError
from policykg.settings import PROJECT_ROOT, Settings
from policykg.store import OxigraphStore

from test_hardening_support import Recorder, client_for, dump_without_meta, need, recorder  # noqa: F401

N_POLICIES = 400
TIMEOUT_S = 2.0
MAX_ROWS = 100
SIMPLE = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/policykg/ontology#Policy> }"


def _fill(store: OxigraphStore, base: str) -> None:
    """``N_POLICIES`` policy-like resources in a chain (``pkg:next``), one named graph per 100."""
    pkg = rdflib.Namespace("https://w3id.org/policykg/ontology#")
    graphs: dict[rdflib.URIRef, rdflib.Graph] = {}
    for i in range(N_POLICIES):
        g = graphs.setdefault(rdflib.URIRef(f"{base}graph/doc{i // 100}"), rdflib.Graph())
        p = rdflib.URIRef(f"{base}policy/p{i}")
        g.add((p, rdflib.RDF.type, pkg.Policy))
        g.add((p, rdflib.RDFS.label, rdflib.Literal(f"Policy {i}", lang="en")))
        g.add((p, pkg.next, rdflib.URIRef(f"{base}policy/p{(i + 1) % N_POLICIES}")))
    store.replace_graphs(graphs)


@pytest.fixture(scope="module")
def app_env(tmp_path_factory: pytest.TempPathFactory):
    """(client, store, settings) on a store of ``N_POLICIES`` policies; the query pool closed after."""
    need("policykg.reference", "policykg.reference (imported by api.validate through policykg.ingest)")
    need("api.sparql", "the SPARQL endpoint (api/sparql.py)")
    tmp = tmp_path_factory.mktemp("sparql")
    settings = Settings(store_path=tmp / "store", query_timeout_s=TIMEOUT_S, max_result_rows=MAX_ROWS)
    store = OxigraphStore(settings.store_path, settings.base_iri)
    _fill(store, settings.base_iri)
    client = client_for(settings, store)
    with client:
        yield client, store, settings
        pool = client.app.state.ctx.cache.get("querypool")
        if pool is not None:
            pool.close()
    store.close()


def _alive(client) -> None:  # noqa: ANN001
    started = time.perf_counter()
    resp = client.get("/sparql", params={"query": SIMPLE}, headers={"Accept": "application/sparql-results+json"})
    assert resp.status_code == 200, resp.text
    assert int(resp.json()["results"]["bindings"][0]["n"]["value"]) == N_POLICIES
    assert time.perf_counter() - started < TIMEOUT_S + 5


def _problem(resp, status: int) -> dict:  # noqa: ANN001
    assert resp.status_code == status, (resp.status_code, resp.text[:300])
    assert resp.headers["content-type"].startswith("application/problem+json")
    body = resp.json()
    assert body["status"] == status and body["detail"]
    return body


def _hostile_queries(p: str) -> list:
    """(id, query) pairs; ``p`` is the recorder's base URL."""
    return [
        ("insert-data", "INSERT DATA { <http://ex.org/a> <http://ex.org/b> <http://ex.org/c> }"),
        ("insert-data-graph", "PREFIX ex: <http://ex.org/>\nINSERT DATA { GRAPH ex:g { ex:a ex:b ex:c } }"),
        ("delete-where", "DELETE WHERE { ?s ?p ?o }"),
        ("delete-insert", "DELETE { ?s ?p ?o } INSERT { ?s ?p \"x\" } WHERE { ?s ?p ?o }"),
        ("load", f"LOAD <{p}load.ttl>"),
        ("load-silent-into", f"LOAD SILENT <{p}load2.ttl> INTO GRAPH <http://ex.org/g>"),
        ("clear-all", "CLEAR ALL"),
        ("clear-default", "CLEAR DEFAULT"),
        ("drop-all", "DROP ALL"),
        ("create", "CREATE GRAPH <http://ex.org/g>"),
        ("copy", "COPY DEFAULT TO <http://ex.org/g>"),
        ("update-after-query", "SELECT * WHERE { ?s ?p ?o } ; DROP ALL"),
        ("service", f"SELECT * WHERE {{ SERVICE <{p}sparql> {{ ?s ?p ?o }} }}"),
        ("service-silent", f"SELECT * WHERE {{ SERVICE SILENT <{p}sparql> {{ ?s ?p ?o }} }}"),
        ("service-variable", f"SELECT * WHERE {{ VALUES ?e {{ <{p}v> }} SERVICE ?e {{ ?s ?p ?o }} }}"),
        ("service-in-subquery", f"SELECT * WHERE {{ {{ SELECT * WHERE {{ OPTIONAL {{ SERVICE <{p}sub> {{ ?s ?p ?o }} }} }} }} }}"),
        ("service-in-exists", f"ASK {{ FILTER EXISTS {{ SERVICE <{p}exists> {{ ?s ?p ?o }} }} }}"),
        ("service-lower-case", f"select * where {{ service <{p}lower> {{ ?s ?p ?o }} }}"),
        ("service-construct", f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{p}c> {{ ?s ?p ?o }} }}"),
        ("service-prefixed", f"PREFIX r: <{p}>\nSELECT * WHERE {{ SERVICE r:pref {{ ?s ?p ?o }} }}"),
        ("from-file", "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"),
        ("from-remote", f"SELECT * FROM <{p}from.ttl> WHERE {{ ?s ?p ?o }}"),
        ("from-named-remote", f"SELECT * FROM NAMED <{p}named.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"),
        ("syntax-error", "SELECT * WHERE {\n  ?s ?p }"),
        ("empty", ""),
        ("garbage", "\x00\x01\x02 DROP"),
        ("deep-subqueries", "SELECT * WHERE { " + "{ SELECT * WHERE { " * 3000 + "?s ?p ?o" + " } }" * 3000 + " }"),
        ("deep-groups", "SELECT * WHERE " + "{ " * 50_000 + "?s ?p ?o" + " }" * 50_000),
        ("deep-parentheses", "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 50_000 + "1" + ")" * 50_000 + ") }"),
        ("deep-path", "SELECT * WHERE { ?s " + "(" * 20_000 + "<http://ex.org/p>" + ")" * 20_000 + " ?o }"),
    ]


def test_hostile_queries_are_refused_without_outbound_requests(app_env, recorder: Recorder) -> None:
    client, store, settings = app_env
    before = dump_without_meta(store.dump_nquads())
    for name, query in _hostile_queries(recorder.url):
        for method in ("GET", "POST-form", "POST-direct") if len(query) < 8000 else ("POST-form", "POST-direct"):
            started = time.perf_counter()
            if method == "GET":
                resp = client.get("/sparql", params={"query": query})
            elif method == "POST-form":
                resp = client.post("/sparql", data={"query": query})
            else:
                resp = client.post("/sparql", content=query.encode("utf-8"),
                                   headers={"Content-Type": "application/sparql-query"})
            assert resp.status_code in (400, 413), (name, method, resp.status_code, resp.text[:300])
            _problem(resp, resp.status_code)
            assert time.perf_counter() - started < 10, (name, method)
    assert recorder.hits == []
    assert dump_without_meta(store.dump_nquads()) == before
    _alive(client)


def test_syntax_error_is_400_with_line_and_column(app_env) -> None:
    client, _, _ = app_env
    resp = client.get("/sparql", params={"query": "PREFIX ex: <http://ex.org/>\nSELECT * WHERE {\n  ?s ex:p }"})
    body = _problem(resp, 400)
    assert (body.get("line"), body.get("column")) == (3, 11)


@pytest.mark.parametrize("ctype", ["application/sparql-update", "application/sparql-update; charset=utf-8"])
def test_update_protocol_is_refused(app_env, ctype: str) -> None:
    client, store, _ = app_env
    before = dump_without_meta(store.dump_nquads())
    resp = client.post("/sparql", content=b"DROP ALL", headers={"Content-Type": ctype})
    assert resp.status_code in (400, 415)
    resp = client.post("/sparql", data={"update": "DROP ALL"})
    assert resp.status_code == 400
    resp = client.get("/sparql", params={"update": "DROP ALL"})
    assert resp.status_code == 400
    assert dump_without_meta(store.dump_nquads()) == before


@pytest.mark.parametrize("query", [
    # a cross product of the whole store, counted: 1,200^3 rows
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    # a property path over every predicate in both directions, joined with itself
    "SELECT (COUNT(*) AS ?n) WHERE { ?a (<https://w3id.org/policykg/ontology#next>|^<https://w3id.org/policykg/ontology#next>)* ?b . ?b (!<http://x/>)* ?c }",
    # a sort over a cross product
    "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY DESC(STR(?c)) LIMIT 1",
], ids=["cross-product", "property-paths", "sorted-cross-product"])
def test_runaway_query_gets_503_with_retry_after_and_server_stays_live(app_env, query: str) -> None:
    client, _, _ = app_env
    started = time.perf_counter()
    resp = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    elapsed = time.perf_counter() - started
    _problem(resp, 503)
    assert int(resp.headers["Retry-After"]) >= 1
    assert elapsed < TIMEOUT_S + 5, elapsed
    _alive(client)


def test_query_parsing_is_bounded_by_the_query_timeout(app_env) -> None:
    client, _, _ = app_env
    query = "SELECT * WHERE { " + " UNION ".join([f"{{ ?s ?p{i} ?o }}" for i in range(2000)]) + " }"
    started = time.perf_counter()
    resp = client.post("/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"})
    assert resp.status_code in (200, 400, 503), resp.status_code
    assert time.perf_counter() - started < TIMEOUT_S + 3


@pytest.mark.parametrize(("query", "accept"), [
    ("SELECT * WHERE { ?s ?p ?o }", "application/sparql-results+json"),
    ("SELECT * WHERE { ?s ?p ?o }", "text/csv"),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 100000", "application/sparql-results+xml"),
    ("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", "application/sparql-results+json"),
])
def test_huge_select_results_are_cut_and_flagged(app_env, query: str, accept: str) -> None:
    client, _, _ = app_env
    resp = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert resp.status_code == 200, resp.text[:300]
    assert resp.headers.get("X-PolicyKG-Truncated") == "true"
    assert resp.headers.get("X-PolicyKG-Row-Limit") == str(MAX_ROWS)
    if "json" in accept:
        assert len(resp.json()["results"]["bindings"]) == MAX_ROWS
    elif accept == "text/csv":
        assert len(resp.text.strip().splitlines()) == MAX_ROWS + 1


def test_huge_construct_results_are_cut_and_flagged(app_env) -> None:
    client, _, _ = app_env
    resp = client.get("/sparql", params={"query": "CONSTRUCT { ?a <http://ex.org/x> ?d } WHERE { ?a ?b ?c . ?d ?e ?f }"},
                      headers={"Accept": "application/n-triples"})
    assert resp.status_code == 200
    assert resp.headers.get("X-PolicyKG-Truncated") == "true"
    assert len([line for line in resp.text.splitlines() if line.strip()]) <= MAX_ROWS


def test_oversized_query_is_refused(app_env) -> None:
    client, _, settings = app_env
    query = "SELECT * WHERE { ?s ?p ?o } # " + "x" * (settings.max_query_bytes + 10)
    resp = client.post("/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"})
    assert resp.status_code in (400, 413)
    _problem(resp, resp.status_code)


# --------------------------------------------------------------------------------------------------
# canned queries


def _canned() -> dict:
    sparql = need("policykg.sparql", "canned queries (policykg/sparql.py)")
    load = getattr(sparql, "load_canned_queries", None)
    if load is None:
        pytest.skip("policykg.sparql.load_canned_queries is not written yet")
    queries = load(PROJECT_ROOT / "queries")
    if not queries:
        pytest.skip("no canned queries in queries/ yet")
    return queries


HOSTILE_VALUES = [
    '"', "'", '" } ; DROP ALL ; #', "> } ; DROP ALL ; <", "<http://ex.org/x>", "http://ex.org/a> <http://ex.org/b",
    "x\ny", "x\r\n}\nCLEAR ALL", "SELECT * WHERE { ?s ?p ?o }", "?s", "$s", "_:b0", "#", "\\", "\\u0022",
    "\x00", "\u202e", "CN-SD\" || true || \"", "1; INSERT DATA { <a> <b> <c> }", "9" * 400, "-1", "1e309",
    "NaN", "2030-13-45", "x" * 10_000, "javascript:alert(1)", "file:///etc/passwd", "CN-SD\n", " CN-SD",
]


def test_canned_query_text_never_depends_on_parameter_values() -> None:
    """For every canned query and hostile value: ``bind`` refuses (ParameterError) or returns the same text."""
    queries = _canned()
    base = Settings().base_iri
    for q in queries.values():
        for spec in q.params:
            for value in HOSTILE_VALUES:
                try:
                    text, bindings = q.bind({spec.name: value}, base)
                except ParameterError:
                    continue
                assert text == q.sparql, (q.name, spec.name, value)
                for term in bindings.values():
                    assert isinstance(term, (rdflib.URIRef, rdflib.Literal)), (q.name, spec.name, value, term)
                    if isinstance(term, rdflib.URIRef):
                        assert not any(c in str(term) for c in '<>"{}|^`\\ \n'), (q.name, spec.name, value, term)


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=st.text(max_size=80))
def test_canned_query_binding_of_any_text_is_refused_or_harmless(value: str) -> None:
    queries = _canned()
    base = Settings().base_iri
    for q in queries.values():
        for spec in q.params:
            try:
                text, bindings = q.bind({spec.name: value}, base)
            except ParameterError:
                continue
            assert text == q.sparql


def test_canned_query_endpoints_answer_hostile_parameters_with_422_404_or_results(app_env) -> None:
    """A hostile value is refused (422), names nothing the graph has (404, problem+json), or is harmless."""
    client, store, _ = app_env
    before = dump_without_meta(store.dump_nquads())
    listing = client.get("/api/queries")
    assert listing.status_code == 200
    queries = listing.json()
    if not queries:
        pytest.skip("no canned queries in queries/ yet")
    for q in queries:
        for p in q["parameters"]:
            for value in HOSTILE_VALUES[:20] + ["x" * 10_000]:
                resp = client.get(f"/api/queries/{q['name']}", params={p["name"]: value},
                                  headers={"Accept": "application/sparql-results+json"})
                assert resp.status_code in (200, 404, 422), (q["name"], p["name"], value[:40], resp.status_code,
                                                             resp.text[:200])
                if resp.status_code in (404, 422):
                    _problem(resp, resp.status_code)
                else:
                    json.loads(resp.text)
        resp = client.get(f"/api/queries/{q['name']}", params={"no_such_param": "1"})
        assert resp.status_code == 422, q["name"]
        resp = client.get(f"/api/queries/{q['name']}", params={"format": "exe"})
        assert resp.status_code == 422, q["name"]
    assert dump_without_meta(store.dump_nquads()) == before
    _alive(client)


def test_queries_during_writes_never_fail_and_see_whole_graphs(tmp_path: Path) -> None:
    import threading  # noqa: PLC0415

    querypool = need("policykg.querypool", "the query pool (policykg/querypool.py)")
    base = Settings().base_iri
    store = OxigraphStore(tmp_path / "store", base)
    name = rdflib.URIRef(base + "graph/a")
    graphs = []
    for n in (200, 300):
        g = rdflib.Graph()
        for i in range(n):
            g.add((rdflib.URIRef(f"{base}id/span/x{i}"), rdflib.RDFS.label, rdflib.Literal(str(i))))
        graphs.append(g)
    store.replace_graphs({name: graphs[0]})
    pool = querypool.QueryPool(store, workers=2, timeout_s=5)
    errors: list[str] = []
    counts: set[int] = set()
    stop = threading.Event()
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"

    def reader() -> None:
        while not stop.is_set():
            try:
                out = pool.run(querypool.QueryJob(query, "SELECT", "json"))
                counts.add(int(json.loads(out.data)["results"]["bindings"][0]["n"]["value"]))
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(f"{type(exc).__name__}: {exc}"[:160])

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        for i in range(30):
            store.replace_graphs({name: graphs[i % 2]})
            time.sleep(0.05)
        time.sleep(0.5)
    finally:
        stop.set()
        for t in threads:
            t.join(30)
        pool.close()
        store.close()
    assert not errors, sorted(set(errors))[:3]
    assert counts and counts <= {200, 300}, counts
