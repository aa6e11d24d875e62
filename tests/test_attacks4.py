"""Fourth attacking review (the changes of a1333f1..da26e15): graph naming of POST /merge and /validate,
validation against the store as a merge leaves it, the FROM scan of the embedded store, the base-IRI check,
curated input, links in HTML, the remote store.

Every test asserts the correct behaviour and is an ``xfail(strict=True)`` for a defect found by the review:
it fails today and will pass (and then must be un-marked) once the defect is fixed.
"""

from __future__ import annotations

import urllib.request
import warnings
from pathlib import Path

import pytest
import rdflib
from linked_data_helpers import POLICY, make_store
from serve_helpers import oxigraph_server, reference_seed
from rdflib import URIRef

from api import create_app
from policykg.settings import Settings
from policykg.store import OxigraphStore

with warnings.catch_warnings():  # starlette 1.x warns when its test client runs on httpx rather than httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

BASE = "https://w3id.org/policykg/"
PROBLEM = "application/problem+json"
AUTH = {"Authorization": "Bearer secret"}
TEMPLATES = Path(__file__).resolve().parent.parent / "data" / "templates"
CSV = (TEMPLATES / "policies.csv").read_text(encoding="utf-8")
YAML = (TEMPLATES / "policies.yaml").read_text(encoding="utf-8")
P = "<https://w3id.org/policykg/id/policy/cn-notice-on-a-test-policy>"


def _dated(day: str) -> str:
    return POLICY + (f'{P} <https://w3id.org/policykg/ontology#publicationDate> '
                     f'"2024-05-{day}"^^<http://www.w3.org/2001/XMLSchema#date> .\n')


def _is_problem(resp, *statuses: int) -> bool:
    return resp.status_code in statuses and resp.headers.get("content-type", "").startswith(PROBLEM)


# --------------------------------------------------------------------------------------------------
# fixtures (as tests/test_api_attacks3.py: one seeded store and one validator per module)


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory):
    """The N-Quads of a store holding the ontology and reference data, one validator, the CLI's curated reader."""
    return reference_seed(tmp_path_factory.mktemp("seed4"))


def _writable(seed):
    data, validator, curated_reader = seed
    settings = Settings(write_token="secret")
    store = OxigraphStore(None, settings.base_iri)
    store.restore_nquads(data)
    app = create_app(settings, store, curated_reader=curated_reader(settings))
    app.state.ctx.cache["validator"] = validator
    return TestClient(app, raise_server_exceptions=False), store


@pytest.fixture(scope="module")
def sample():
    store = make_store()
    with TestClient(create_app(Settings(base_iri=BASE), store), raise_server_exceptions=False) as client:
        yield client
    store.close()


# --------------------------------------------------------------------------------------------------
# XSS: the /sparql HTML results page


def test_sparql_html_results_do_not_link_script_iris(sample) -> None:
    query = 'SELECT ?x WHERE { BIND(IRI("javascript:alert(document.domain)") AS ?x) }'
    resp = sample.get("/sparql", params={"query": query}, headers={"Accept": "text/html"})
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/html")
    assert 'href="javascript:' not in resp.text.lower()


# --------------------------------------------------------------------------------------------------
# curated input: values, IRIs given for names, YAML scalars


def test_a_value_with_a_huge_exponent_is_a_value_problem(seed) -> None:
    client, _ = _writable(seed)
    with client:
        resp = client.post("/validate", content=CSV.replace(",2027,10,", ",2027,1e999999999999999999,").encode(),
                           headers={"Content-Type": "text/csv", "Accept": "application/json"})
    assert _is_problem(resp, 400, 422), (resp.status_code, resp.text[:200])
    assert any(p.get("field") == "value" for p in resp.json().get("problems", [])), resp.text[:300]


@pytest.mark.parametrize("value", ["0.0000001", "-0"])
def test_a_small_value_is_not_blamed_on_its_unit(seed, value: str) -> None:
    client, _ = _writable(seed)
    with client:
        resp = client.post("/validate", content=CSV.replace(",2027,10,", f",2027,{value},").encode(),
                           headers={"Content-Type": "text/csv", "Accept": "application/json"})
    if resp.status_code != 200:
        fields = {p.get("field") for p in resp.json().get("problems", [])}
        assert fields == {"value"}, resp.text[:300]


@pytest.mark.parametrize("iri", ["http://example.org/a b", "https://example.org/<x>"])
def test_a_malformed_iri_in_a_name_cell_is_an_input_error(seed, iri: str) -> None:
    client, _ = _writable(seed)
    body = CSV.replace("Fujian Provincial People's Government", f'"{iri}"')
    with client:
        resp = client.post("/validate", content=body.encode(), headers={"Content-Type": "text/csv"})
    assert _is_problem(resp, 400), (resp.status_code, resp.text[:200])
    assert any(p.get("field") == "issuers" for p in resp.json().get("problems", [])), resp.text[:300]


def test_an_impossible_yaml_date_is_an_input_error(seed) -> None:
    client, _ = _writable(seed)
    body = YAML.replace("publication_date: 2024-05-10", "publication_date: 2024-02-30")
    with client:
        resp = client.post("/validate", content=body.encode(), headers={"Content-Type": "application/yaml"})
    assert _is_problem(resp, 400), (resp.status_code, resp.text[:200])
    assert "2024-02-30" in resp.json()["detail"]


# --------------------------------------------------------------------------------------------------
# graph naming of RDF bodies


def test_a_refused_graph_name_names_the_request_body(seed) -> None:
    client, _ = _writable(seed)
    trig = f'<{BASE}graph/meta> {{ <http://example.org/a> <http://example.org/b> <http://example.org/c> . }}'
    with client:
        resp = client.post("/validate", content=trig, headers={"Content-Type": "application/trig"})
    assert _is_problem(resp, 400) and resp.json()["field"] == "graph"
    assert resp.json().get("file") == "request body", resp.json()


def test_a_jsonld_body_whose_iris_are_relative_is_refused(seed) -> None:
    client, store = _writable(seed)
    body = '{"@id": "g", "@graph": [{"@id": "a", "http://example.org/b": "x"}]}'
    before = store.dump_nquads()
    with client:
        resp = client.post("/merge", content=body, headers={**AUTH, "Content-Type": "application/ld+json"})
    assert store.dump_nquads() == before
    assert _is_problem(resp, 400, 422), (resp.status_code, resp.text[:200])


# --------------------------------------------------------------------------------------------------
# the embedded store's FROM scan (policykg/store._has_dataset_clause)


def test_a_language_tag_is_not_a_from_clause() -> None:
    store = OxigraphStore(None, BASE)
    g = rdflib.Graph()
    g.add((URIRef("http://example.org/s"), URIRef("http://example.org/p"), rdflib.Literal("x", lang="en")))
    store.replace_graphs({URIRef(f"{BASE}graph/a"): g})
    rows = store.select('SELECT ?s WHERE { ?s <http://example.org/p> ?o FILTER(?o != "y"@en-from) }')
    store.close()
    assert [str(r["s"]) for r in rows] == ["http://example.org/s"]


# --------------------------------------------------------------------------------------------------
# /docs


def test_head_docs(sample) -> None:
    assert sample.head("/docs").status_code == 200


# --------------------------------------------------------------------------------------------------
# the remote store (a real Oxigraph server run as the docs say: --union-default-graph)


@pytest.fixture
def server(tmp_path):
    with oxigraph_server(str(tmp_path / "oxigraph")) as url:
        yield url


def _remote(url: str, base: str = BASE):
    from policykg.remote import RemoteStore

    return RemoteStore(Settings(base_iri=base, sparql_endpoint=f"{url}/query",
                                sparql_update_endpoint=f"{url}/update", query_timeout_s=10))


def _load_seed(url: str, seed) -> None:
    req = urllib.request.Request(f"{url}/store", data=seed[0], method="POST",
                                 headers={"Content-Type": "application/n-quads"})
    urllib.request.urlopen(req, timeout=30).read()


def test_a_shared_remote_server_with_another_dataset_is_not_refused(server) -> None:
    other = _remote(server, "https://example.org/other/")
    g = rdflib.Graph()
    g.add((URIRef("https://example.org/other/id/x"), URIRef("http://example.org/p"), rdflib.Literal("1")))
    other.replace_graphs({URIRef("https://example.org/other/graph/data"): g})
    ours = _remote(server)
    assert ours.is_empty()
    ours.check_base_iri()  # a new dataset beside another one: nothing of ours to mix


def test_an_entry_edited_in_place_on_a_remote_store_is_not_a_violation(server, seed) -> None:
    from policykg.ingest import Entry, merge_entries

    _load_seed(server, seed)
    store = _remote(server)
    graph = URIRef(f"{BASE}graph/curated")
    first = rdflib.Graph().parse(data=_dated("10"), format="turtle")
    assert merge_entries(store, seed[1], [Entry(graph, first, "first")]).written == [graph]
    edited = rdflib.Graph().parse(data=_dated("11"), format="turtle")
    outcome = merge_entries(store, seed[1], [Entry(graph, edited, "edited")])
    assert outcome.replaced == [graph]


def test_a_graph_a_remote_merge_wrote_is_in_the_dump(server, seed) -> None:
    from policykg.errors import InputError
    from policykg.ingest import Entry, merge_entries

    _load_seed(server, seed)
    store = _remote(server)
    graph = URIRef("http://example.org/my-entries")
    try:
        merge_entries(store, seed[1], [Entry(graph, rdflib.Graph().parse(data=POLICY, format="turtle"), "body")])
    except InputError:
        return  # refusing such a graph name is a fix as well
    assert graph in store.graph_names()
    assert str(graph).encode() in store.dump_nquads()


# --------------------------------------------------------------------------------------------------
# curated rows: the row's city and its jurisdiction


def test_a_city_outside_the_rows_jurisdiction_is_refused(seed) -> None:
    client, _ = _writable(seed)
    body = (CSV.replace("Fujian Provincial People's Government", "Taizhou Municipal People's Government")
            .replace("CN-FJ,,provincial", "CN-ZJ,321200,municipal"))
    with client:
        resp = client.post("/validate", content=body.encode(), headers={"Content-Type": "text/csv",
                                                                        "Accept": "application/json"})
    if resp.status_code == 200:
        assert resp.json()["conforms"] is False, resp.text[:300]
    else:
        assert _is_problem(resp, 400) and any(p.get("field") == "city" for p in resp.json()["problems"]), resp.text


# --------------------------------------------------------------------------------------------------
# CLI merge: graph names from file names


@pytest.mark.parametrize("suffix", [".ttl", ".csv"])
def test_two_files_of_different_names_fill_different_graphs(tmp_path, suffix: str) -> None:
    from policykg.cli import _read_entries
    from policykg.errors import InputError

    settings = Settings(store_path=tmp_path / "store")
    names = []
    for stem, n in (("政策一", "one"), ("政策二", "two")):
        path = tmp_path / f"{stem}{suffix}"
        if suffix == ".ttl":
            path.write_text(POLICY.replace("test-policy", f"test-policy-{n}"), encoding="utf-8")
        else:
            path.write_text(CSV.replace("Example Province", f"Example Province {n}"), encoding="utf-8")
        try:
            names.append({e.graph_name for e in _read_entries([path], settings)})
        except InputError:
            return  # refusing a file name that gives no graph name is a fix as well
    assert names[0].isdisjoint(names[1]), names


# --------------------------------------------------------------------------------------------------
# memory: the FROM scan of validation queries


def test_validation_queries_with_long_from_lists_are_not_kept_in_memory() -> None:
    import gc
    import tracemalloc

    from policykg.validation import neighbourhood_query

    store = OxigraphStore(None, BASE)
    graphs = [f"{BASE}graph/entry-{i:016x}" for i in range(20_000)]
    queries = [neighbourhood_query([f"{BASE}id/policy/p{k}"], from_graphs=graphs) for k in range(3)]
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for q in queries:
            store.construct(q)
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
        store.close()
    assert kept < 10 * 2**20, f"{kept / 2**20:.0f} MB kept after three queries"


# --------------------------------------------------------------------------------------------------
# POST /merge: query parameters


def test_merge_refuses_an_unknown_query_parameter(seed) -> None:
    client, store = _writable(seed)
    before = store.dump_nquads()
    with client:
        resp = client.post("/merge", content=POLICY, headers={**AUTH, "Content-Type": "text/turtle"},
                           params={"grpah": f"{BASE}graph/mine"})
    assert _is_problem(resp, 400, 422) and resp.json().get("field") == "grpah", (resp.status_code, resp.text[:200])
    assert store.dump_nquads() == before
