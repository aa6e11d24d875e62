"""Canned queries: header parsing, typed binding (injection-proof), every query on a realistic graph, HTTP."""

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from policykg.errors import InputError, NotFound, ParameterError
from policykg.settings import PROJECT_ROOT, Settings
from policykg.sparql import load_canned_queries, parse_canned_query
from policykg.store import to_oxigraph
from tests.sparql_helpers import DATA, make_client

QUERIES_DIR = PROJECT_ROOT / "queries"
QUERIES = load_canned_queries(QUERIES_DIR)
BASE = "https://w3id.org/policykg/"

#: Parameters for each query on tests/data/sparql_sample.trig (examples from the headers where they fit).
SAMPLE_PARAMS = {"briefing-contents": {"briefing": "test-briefing-2024-03"},
                 "policy-targets": {"policy": "cn-sd-new-energy-storage-implementation-plan"}}


@pytest.fixture(scope="module")
def raw_store():
    s = ox.Store()
    s.load(path=str(DATA), format=ox.RdfFormat.TRIG)
    return s


@pytest.fixture(scope="module")
def client():
    c, app, _ = make_client(Settings(query_timeout_s=5))
    yield c
    app.state.ctx.cache["querypool"].close()


def _params(q):
    params = {p.name: p.example for p in q.params if p.example is not None}
    params.update(SAMPLE_PARAMS.get(q.name, {}))
    return params


def test_at_least_twelve_queries_with_headers():
    assert len(QUERIES) >= 12
    for q in QUERIES.values():
        assert q.summary and q.tags and q.form == "SELECT"
        for p in q.params:
            assert p.description, (q.name, p.name)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_gives_plausible_results(raw_store, name):
    q = QUERIES[name]
    sparql, bindings = q.bind(_params(q))
    subs = {ox.Variable(k): to_oxigraph(v) for k, v in bindings.items()}
    rows = list(raw_store.query(sparql, use_default_graph_as_union=True, substitutions=subs or None))
    assert rows, name
    for row in rows:
        for var, term in bindings.items():
            assert row[var] == to_oxigraph(term)  # parameters are echoed as bound terms



def _rows_as_set(result):
    """Rows as sorted tuples of strings; a value's space-separated parts sorted (GROUP_CONCAT has no order)."""
    return sorted(tuple(" ".join(sorted(str(row[v]).split(" "))) if row[v] is not None else "" for v in result.variables)
                  for row in result)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_parameters_written_into_the_text_answer_as_substitutions_do(raw_store, name):
    """The API and the CLI run a canned query with its parameters written in as terms (``bound_text``, so that
    the engine plans with them); the answer is the one pyoxigraph gives with the same ``substitutions``."""
    q = QUERIES[name]
    sparql, bindings = q.bind(_params(q))
    subs = {ox.Variable(k): to_oxigraph(v) for k, v in bindings.items()}
    expected = _rows_as_set(raw_store.query(sparql, use_default_graph_as_union=True, substitutions=subs or None))
    text = q.bound_text(bindings)
    assert _rows_as_set(raw_store.query(text, use_default_graph_as_union=True)) == expected
    assert (text == sparql) == (not bindings)


def test_a_written_in_parameter_is_a_term_not_the_users_text():
    q = QUERIES["lookup"]
    _, bindings = q.bind({"text": 'x" } } ; DROP ALL ; SELECT * { "'})
    text = q.bound_text(bindings)
    assert 'STR("x\\" } } ; DROP ALL ; SELECT * { \\"")' in text  # one string literal, its quotes escaped
    assert 'x" } }' not in text

def test_specific_answers(raw_store):
    def run(name, **params):
        sparql, b = QUERIES[name].bind(params)
        return list(raw_store.query(sparql, use_default_graph_as_union=True,
                                    substitutions={ox.Variable(k): to_oxigraph(v) for k, v in b.items()}))

    sd = {r["policy"].value.rsplit("/", 1)[1] for r in run("policies-by-region", region="CN-SD")}
    assert sd == {"cn-sd-new-energy-storage-implementation-plan", "370200-green-buildings-measures"}  # city included
    assert len(run("policies-by-region", region="CN")) == 6
    ranked = run("agencies-ranked")
    assert ranked[0]["agency"].value.endswith("/ndrc") and ranked[0]["policies"].value == "3"
    storage = run("indicator-across-regions", indicator="Energy Storage")
    values = [float(r["normalizedValue"].value) for r in storage]
    assert values == sorted(values, reverse=True) and len(values) == 3
    assert {r["month"].value for r in run("publication-timeline")} == {"2023-11", "2024-01", "2024-02", "2024-03"}
    assert len(run("targets-due-in-year", year="2030")) == 2
    assert len(run("policies-with-quality-warnings")) == 2
    pairs = {(r["agency1"].value.rsplit("/", 1)[1], r["agency2"].value.rsplit("/", 1)[1]) for r in run("joint-issuance")}
    assert pairs == {("mee", "ndrc"), ("ndrc", "nea")}
    genre = {r["policy"].value.rsplit("/", 1)[1] for r in run("policies-by-genre", genre="implementation-plan")}
    assert len(genre) == 3
    # narrower concepts are included: fiscal-subsidy and emissions-trading are economic instruments
    assert len(run("policies-by-instrument", instrument="fiscal-subsidy")) == 3
    assert len({r["policy"].value for r in run("policies-by-instrument", instrument="economic")}) == 4
    assert len({r["policy"].value for r in run("policies-by-sector", sector="energy")}) == 5


def test_bind_types():
    q = QUERIES["targets-due-in-year"]
    _, b = q.bind({"year": "2030"})
    assert b == {"year": Literal("2030", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear"))}
    _, b = QUERIES["policies-by-region"].bind({"region": "cn-sd"})
    assert b["region"] == URIRef(BASE + "id/region/CN-SD")
    _, b = QUERIES["policies-by-instrument"].bind({"instrument": "fiscal-subsidy"})
    assert b["instrument"] == URIRef(BASE + "id/instrument/fiscal-subsidy")
    _, b = QUERIES["policies-by-agency"].bind({"agency": "nea"}, base_iri="https://example.org/kg/")
    assert b["agency"] == URIRef("https://example.org/kg/id/agency/nea")


@pytest.mark.parametrize("name, params, field", [
    ("targets-due-in-year", {}, "year"),
    ("targets-due-in-year", {"year": "20x0"}, "year"),
    ("targets-due-in-year", {"year": "2030", "region": "CN"}, "region"),
    ("policies-by-region", {"region": "Shan\x00dong"}, "region"),  # a name may be given, not a control character
    ("policies-by-agency", {"agency": "NDRC> . ?s ?p ?o <"}, "agency"),
    ("policies-by-sector", {"sector": "power/../x>"}, "sector"),
])
def test_bad_parameters(name, params, field):
    with pytest.raises(ParameterError) as info:
        QUERIES[name].bind(params)
    assert info.value.extra["field"] == field


INJECTIONS = ['" } ?s ?p ?o { "', "x' . ?s ?p ?o . '", "storage\"\"\" } UNION { ?s ?p ?o } #",
              "a\n} SELECT * WHERE { ?s ?p ?o", "> . ?s ?p ?o <", "\\\" ) ) } #"]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_injection_is_a_plain_literal(raw_store, payload):
    q = QUERIES["indicator-across-regions"]
    sparql, b = q.bind({"indicator": payload})
    assert sparql == q.sparql  # the text is never changed
    assert b["indicator"] == Literal(payload)
    rows = list(raw_store.query(sparql, use_default_graph_as_union=True,
                                substitutions={ox.Variable("indicator"): to_oxigraph(b["indicator"])}))
    assert rows == []


@pytest.mark.parametrize("payload", INJECTIONS)
def test_injection_over_http(client, payload):
    r = client.get("/api/queries/indicator-across-regions", params={"indicator": payload})
    assert r.status_code == 200
    assert r.json()["results"]["bindings"] == []
    r = client.get("/api/queries/policies-by-agency", params={"agency": payload})
    # refused as a slug and as a name (422), or looked up as a name that no agency has (404)
    assert r.status_code in (404, 422) and r.headers["content-type"].startswith("application/problem+json")
    assert "'agency'" in r.json()["detail"]


def test_http_formats(client):
    r = client.get("/api/queries/policies-by-region", params={"region": "CN-SD"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/sparql-results+json")
    assert len(r.json()["results"]["bindings"]) == 2
    r = client.get("/api/queries/policies-by-region", params={"region": "CN-SD"}, headers={"Accept": "text/csv"})
    assert r.headers["content-type"].startswith("text/csv") and len(r.text.strip().splitlines()) == 3
    r = client.get("/api/queries/policies-by-region", params={"region": "CN-SD", "format": "html"})
    assert r.headers["content-type"].startswith("text/html") and r.text.count("<tr>") == 3
    r = client.get("/api/queries/policies-by-region", params={"region": "CN-SD"},
                   headers={"Accept": "text/html,*/*;q=0.8"})
    assert "<table>" in r.text
    r = client.get("/api/queries/policies-by-region", params={"region": "CN-SD"}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    r = client.get("/api/queries/policies-by-region")
    assert r.status_code == 422 and r.json()["field"] == "region"
    r = client.get("/api/queries/agencies-ranked", params={"bogus": "1"})
    assert r.status_code == 422


def test_html_escapes_values(client):
    r = client.get("/api/queries/indicator-across-regions", params={"indicator": "<script>", "format": "html"})
    assert "<script>" not in r.text and "&lt;script&gt;" in r.text


def test_list_and_openapi(client):
    listing = client.get("/api/queries").json()
    assert {q["name"] for q in listing} == set(QUERIES)
    region = next(q for q in listing if q["name"] == "policies-by-region")
    assert region["parameters"][0] == {"name": "region", "type": "region", "required": True, "default": None,
                                       "example": "CN-SD", "description": region["parameters"][0]["description"]}
    import warnings

    with warnings.catch_warnings():
        # another router's duplicate operation ids are not this test's concern
        warnings.filterwarnings("ignore", message="Duplicate Operation ID", category=UserWarning)
        spec = client.get("/openapi.json").json()
    for name, q in QUERIES.items():
        op = spec["paths"][f"/api/queries/{name}"]["get"]
        names = {p["name"] for p in op["parameters"]}
        assert {p.name for p in q.params} | {"format"} <= names


def test_bad_header_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="lacks 'summary'"):
        parse_canned_query("#+ name: x\nSELECT * WHERE { ?s ?p ?o }", "x.rq")
    with pytest.raises(InputError, match="unknown type"):
        parse_canned_query("#+ name: x\n#+ summary: s\n#+ params:\n#+   a: {type: blob}\nSELECT ?a WHERE { ?a ?p ?o }")
    with pytest.raises(InputError, match="projected"):
        parse_canned_query("#+ name: x\n#+ summary: s\n#+ params:\n#+   a: {type: string}\n"
                           "SELECT ?s WHERE { ?s ?p ?a }")
    with pytest.raises(InputError, match="SERVICE"):
        parse_canned_query("#+ name: x\n#+ summary: s\nSELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }")
    with pytest.raises(InputError) as info:
        parse_canned_query("#+ name: x\n#+ summary: [unclosed\nSELECT * WHERE { ?s ?p ?o }", "bad.rq")
    assert info.value.file == "bad.rq"
    (tmp_path / "a.rq").write_text("#+ name: same\n#+ summary: s\nSELECT * WHERE { ?s ?p ?o }")
    (tmp_path / "b.rq").write_text("#+ name: same\n#+ summary: t\nSELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(InputError, match="declared twice"):
        load_canned_queries(tmp_path)


def test_queries_dir_is_the_settings_default():
    assert Path(Settings().queries_dir) == QUERIES_DIR


def test_html_results_link_this_sites_resources_to_their_pages(client):
    """A researcher clicking a policy in HTML results lands on its page on this server, not on the
    persistent IRI's host (which may not be this deployment)."""
    page = client.get("/api/queries/policies-by-region", params={"region": "CN-SD", "format": "html"}).text
    assert 'href="/doc/policy/' in page and 'href="https://w3id.org/policykg/id/' not in page
    assert '/static/style.css' in page
    r = client.get("/sparql", params={"query": "SELECT ?p WHERE { ?p a <https://w3id.org/policykg/ontology#Policy> } LIMIT 3"},
                   headers={"Accept": "text/html"})
    assert r.status_code == 200 and 'href="/doc/policy/' in r.text


def test_an_unknown_canned_query_is_named_in_the_404(client):
    r = client.get("/api/queries/policies-by-regoin")
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")
    assert "'policies-by-regoin'" in r.json()["detail"] and "policies-by-region" in r.json()["detail"]


def test_municipal_policies_are_counted_for_their_city_not_their_province(raw_store):
    """A city's policy (pkg:localJurisdiction) is reported under the city, with its province beside it:
    a comparison across regions must not show a city's target as the province's own."""
    def run(name, **params):
        sparql, b = QUERIES[name].bind(params)
        return list(raw_store.query(sparql, use_default_graph_as_union=True,
                                    substitutions={ox.Variable(k): to_oxigraph(v) for k, v in b.items()}))

    local = {r["policy"].value: r["city"].value for r in raw_store.query(
        "SELECT ?policy ?city WHERE { ?policy <https://w3id.org/policykg/ontology#localJurisdiction> ?city }",
        use_default_graph_as_union=True)}
    assert local  # the sample has municipal policies
    by_region = run("policies-by-region", region="CN-JS")
    assert len(by_region) == len({r["policy"].value for r in by_region})  # each policy once
    for r in by_region:
        assert r["jurisdiction"].value == local.get(r["policy"].value, r["jurisdiction"].value)
    rows = {r["region"].value: r for r in run("targets-by-region")}
    assert set(local.values()) <= set(rows)
    for city in set(local.values()):
        assert rows[city]["within"].value.startswith(BASE + "id/region/CN-")  # the city's province
    compared = run("indicator-across-regions", indicator="a")
    assert compared
    assert all(r["region"].value == local.get(r["policy"].value, r["jurisdiction"].value) for r in compared)
    assert any(r["comparator"] is not None for r in compared)
    sparql, b = QUERIES["targets-due-in-year"].bind({"year": "2025"})
    due = raw_store.query(sparql, use_default_graph_as_union=True,
                          substitutions={ox.Variable(k): to_oxigraph(v) for k, v in b.items()})
    assert {"comparator", "baselineYear", "region", "jurisdiction"} <= {v.value for v in due.variables}


def test_a_resource_parameter_the_graph_lacks_is_a_404_and_a_name_is_looked_up():
    """``agency=pbc`` (an alternative name) finds the agency; ``region=CN-XX`` or an unknown policy is a 404
    naming the parameter, not an empty 200 that reads as "no policies"."""
    import rdflib

    from tests.sparql_helpers import sample_store

    settings = Settings(query_timeout_s=5)
    store = sample_store(settings)
    extra = rdflib.Graph()
    agency, policy = URIRef(BASE + "id/agency/pboc"), URIRef(BASE + "id/policy/cn-green-finance-guidelines")
    skos, pkg = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#"), rdflib.Namespace(BASE + "ontology#")
    extra.add((agency, rdflib.RDF.type, pkg.Agency))
    extra.add((agency, skos.prefLabel, Literal("People's Bank of China", lang="en")))
    extra.add((agency, skos.altLabel, Literal("PBC", lang="en")))
    extra.add((policy, rdflib.RDF.type, pkg.Policy))
    extra.add((policy, rdflib.DCTERMS.title, Literal("Guidelines on green finance", lang="en")))
    extra.add((policy, pkg.issuedBy, agency))
    store.replace_graphs({URIRef(BASE + "graph/extra"): extra})
    client, app, _ = make_client(settings, store)
    try:
        named = client.get("/api/queries/policies-by-agency", params={"agency": "pbc", "format": "csv"})
        assert named.status_code == 200, named.text
        assert "cn-green-finance-guidelines" in named.text
        for query, params in (("policies-by-agency", {"agency": "no-such-agency"}),
                              ("policies-by-region", {"region": "CN-XX"}),
                              ("policy-targets", {"policy": "nope"})):
            r = client.get(f"/api/queries/{query}", params=params)
            assert r.status_code == 404, (query, r.text)
            name = next(iter(params))
            assert f"parameter {name!r}" in r.json()["detail"] and params[name] in r.json()["detail"]
        assert client.get("/api/queries/policies-by-agency", params={"agency": "ndrc"}).status_code == 200
    finally:
        app.state.ctx.cache["querypool"].close()


def test_lookup_matches_web_domains_at_whole_labels_only():
    """``lookup?text=NDRC`` also listed the Shaanxi and Yunnan commissions: "ndrc" is inside
    sndrc.shaanxi.gov.cn and yndrc.yn.gov.cn (a newcomer's review). Names still match anywhere."""
    s = ox.Store()
    s.load(path=str(PROJECT_ROOT / "ontology" / "reference" / "agencies.ttl"), format=ox.RdfFormat.TURTLE)

    def found(text):
        sparql, b = QUERIES["lookup"].bind({"text": text})
        rows = s.query(sparql, use_default_graph_as_union=True,
                       substitutions={ox.Variable(k): to_oxigraph(v) for k, v in b.items()})
        return {(r["resource"].value.rsplit("/", 1)[1], r["matched"].value) for r in rows}

    assert {a for a, _ in found("NDRC")} == {"ndrc"}
    assert ("ndrc", "ndrc.gov.cn") in found("www.ndrc.gov.cn")  # a host under the domain
    assert ("cn-sn-drc", "sndrc.shaanxi.gov.cn") in found("shaanxi.gov.cn")  # a parent domain
    assert "cn-sn-drc" in {a for a, _ in found("Shaanxi DRC")}



@pytest.mark.parametrize("path, params, hint", [
    ("/api/queries/policies-by-agency", {"agency": "ndcr"}, "did you mean: ndrc (National Development and Reform "
                                                             "Commission)"),
    ("/api/queries/policies-by-region", {"region": "Shandon"}, "did you mean: CN-SD (Shandong)"),
    ("/policies", {"region": "Shandon"}, "did you mean: CN-SD (Shandong)"),
])
def test_a_resource_that_is_not_there_gets_suggestions(client, path, params, hint):
    r = client.get(path, params=params, headers={"Accept": "application/json"})
    assert r.status_code == 404 and hint in r.json()["detail"], r.text[:500]
    assert r.json()["field"] == next(iter(params))


def test_a_small_vocabulary_is_listed_when_nothing_is_close():
    from policykg.sparql import resolve_resource
    from policykg.store import OxigraphStore

    store = OxigraphStore(None, BASE)
    store.raw.load(b"@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
                   + b"".join(f"<{BASE}id/sector/{s}> a skos:Concept ; skos:prefLabel \"{s.title()}\"@en .\n".encode()
                              for s in ("power", "transport", "buildings")), format=ox.RdfFormat.TURTLE)
    spec = QUERIES["policies-by-sector"].param("sector")
    with pytest.raises(NotFound) as caught:
        resolve_resource(store, spec, URIRef(f"{BASE}id/sector/xyzzy"), "xyzzy", BASE)
    assert str(caught.value).endswith("; the sector values are: buildings, power, transport")
    with pytest.raises(NotFound) as caught:
        resolve_resource(store, spec, URIRef(f"{BASE}id/sector/powr"), "powr", BASE)
    assert str(caught.value).endswith("; did you mean: power")


def test_canned_answers_have_validators_and_are_kept_per_data_version(monkeypatch):
    """An answer is one representation of a data version: it has an ETag, a conditional request for it is
    a 304 without running the query, a repeated request is answered from the kept answer, and a write
    changes the ETag and runs the query again."""
    import rdflib

    import api.queries
    from tests.sparql_helpers import running_client, sample_store

    runs = []
    real = api.queries.run_query_async

    async def counted(*args, **kwargs):
        runs.append(args[1])
        return await real(*args, **kwargs)

    monkeypatch.setattr(api.queries, "run_query_async", counted)
    settings = Settings(query_timeout_s=10)
    store = sample_store(settings)
    path, params = "/api/queries/policies-by-region", {"region": "CN-SD"}
    with running_client(settings, store) as (client, _):
        first = client.get(path, params=params)
        etag = first.headers["etag"]
        assert first.status_code == 200 and first.headers["last-modified"] and len(runs) == 1
        r = client.get(path, params=params, headers={"If-None-Match": etag})
        assert r.status_code == 304 and r.content == b"" and r.headers["etag"] == etag and len(runs) == 1
        again = client.get(path, params=params)
        assert again.content == first.content and again.headers["etag"] == etag and len(runs) == 1
        csv = client.get(path, params={**params, "format": "csv"})
        other = client.get(path, params={"region": "CN"})
        assert len({etag, csv.headers["etag"], other.headers["etag"]}) == 3 and len(runs) == 3

        graph = rdflib.Graph()
        graph.add((rdflib.URIRef(f"{BASE}id/x"), rdflib.RDFS.label, rdflib.Literal("x")))
        store.replace_graphs({rdflib.URIRef(f"{BASE}graph/test-write"): graph})
        r = client.get(path, params=params, headers={"If-None-Match": etag})
        assert r.status_code == 200 and r.headers["etag"] != etag and len(runs) == 4
