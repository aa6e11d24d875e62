"""Third attacking review of the web API: linked data, HTML pages, canned queries, /validate and /merge,
dumps and VoID, caching headers. Every test here asserts the correct behaviour and is an ``xfail(strict=True)``
for a defect found by the review: it fails today and will pass (and then must be un-marked) once fixed.

Apps are built in process on fresh stores, as tests/test_resources.py and tests/test_merge_api.py do:
the read-only sample graph of ``linked_data_helpers.make_store``, or a writable in-memory store seeded once
per module with the ontology and reference data (``ensure_reference``), restored per test.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic

from api import create_app
from serve_helpers import reference_seed
from linked_data_helpers import make_store
from policykg.settings import Settings
from policykg.store import OxigraphStore
from policykg.vocab import DCTERMS, PKG, RDF, SKOS

with warnings.catch_warnings():  # starlette 1.x warns when its test client runs on httpx rather than httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

BASE = "https://w3id.org/policykg/"
PROBLEM = "application/problem+json"
TOKEN = "secret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TEMPLATES = Path(__file__).resolve().parent.parent / "data" / "templates"
TARGET = "cn-guidance-on-the-high-quality-development-of-distribution--a1b2c3d4"

#: A policy that validates against the shapes on a store holding the reference data (tests/test_merge_api.py).
POLICY_TTL = """@prefix pkg: <https://w3id.org/policykg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<https://w3id.org/policykg/id/policy/cn-notice-on-a-test-policy{n}> a pkg:Policy ;
  dcterms:title "Notice on a Test Policy {n}"@en ;
  pkg:genre <https://w3id.org/policykg/id/genre/notice> ;
  pkg:governmentLevel pkg:National ;
  pkg:jurisdiction <https://w3id.org/policykg/id/region/CN> .
"""
PREFIXES = """@prefix pkg: <https://w3id.org/policykg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
POLICY_BODY = """<https://w3id.org/policykg/id/policy/cn-notice-on-a-test-policy{n}> a pkg:Policy ;
  dcterms:title "Notice on a Test Policy {n}"@en ;
  pkg:genre <https://w3id.org/policykg/id/genre/notice> ;
  pkg:governmentLevel pkg:National ;
  pkg:jurisdiction <https://w3id.org/policykg/id/region/CN> """


def _policy_iri(n: str) -> str:
    return f"{BASE}id/policy/cn-notice-on-a-test-policy{n}"


def _is_problem(resp, *statuses: int) -> bool:  # noqa: ANN001
    return resp.status_code in statuses and resp.headers.get("content-type", "").startswith(PROBLEM)


# --------------------------------------------------------------------------------------------------
# fixtures


@pytest.fixture(scope="module")
def sample():
    """A TestClient on the sample graph (read-only use)."""
    store = make_store()
    with TestClient(create_app(Settings(base_iri=BASE), store), raise_server_exceptions=False) as client:
        yield client, store
    store.close()


def _sample_with(graph: rdflib.Graph):
    """A fresh sample store plus ``graph`` in its own named graph, and a client on it."""
    store = make_store()
    store.replace_graphs({URIRef(f"{BASE}graph/attack"): graph})
    return TestClient(create_app(Settings(base_iri=BASE), store), raise_server_exceptions=False), store


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory):
    """The N-Quads of a store holding the ontology and reference data, one validator, the CLI's curated reader."""
    return reference_seed(tmp_path_factory.mktemp("seed"))


def _writable(seed, **settings_kw):  # noqa: ANN001, ANN202
    """A client with writes on (token ``secret``) and the curated reader, on a fresh copy of the seeded store."""
    data, validator, curated_reader = seed
    settings = Settings(write_token=TOKEN, **settings_kw)
    store = OxigraphStore(None, settings.base_iri)
    store.restore_nquads(data)
    app = create_app(settings, store, curated_reader=curated_reader(settings))
    app.state.ctx.cache["validator"] = validator  # the same shapes; built once to keep the module fast
    return TestClient(app, raise_server_exceptions=False), store


# --------------------------------------------------------------------------------------------------
# HTML pages: parameters


@pytest.mark.parametrize("query", ["page=%C2%B2", "year=%C2%B2%C2%B3%C2%B2%C2%B3"])
def test_policies_params_with_superscript_digits_are_422(sample, query: str) -> None:
    client, _ = sample
    resp = client.get(f"/policies?{query}")
    assert _is_problem(resp, 422), (resp.status_code, resp.text[:200])
    assert resp.json()["field"] == query.split("=")[0]


@pytest.mark.parametrize("year", ["%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%95", "2025%0A"])
def test_year_page_accepts_only_four_ascii_digits(sample, year: str) -> None:
    client, _ = sample
    assert client.get("/year/2025").status_code == 200
    resp = client.get(f"/year/{year}", follow_redirects=False)
    assert resp.status_code in (301, 308, 404), resp.status_code


# --------------------------------------------------------------------------------------------------
# POST /merge: what a valid-looking request can do to the store


def test_adding_a_fact_to_a_stored_policy_is_not_a_false_violation(seed) -> None:
    client, _ = _writable(seed)
    with client:
        resp = client.post("/merge", content=POLICY_TTL.format(n="d"), headers={**AUTH, "Content-Type": "text/turtle"})
        assert resp.status_code == 200, resp.text
        extra = (PREFIXES + f"<{BASE}graph/dates> {{ <{_policy_iri('d')}> "
                 'pkg:publicationDate "2024-03-01"^^xsd:date . }')
        report = client.post("/validate", content=extra, headers={"Content-Type": "application/trig"}).json()
    assert report["conforms"] is True, [r["message"][:100] for r in report["results"] if r["severity"] == "Violation"]


def test_infinite_normalized_value_does_not_break_pages(seed) -> None:
    client, _ = _writable(seed)
    target = f"{BASE}id/target/cn-notice-on-a-test-policye-0001"
    body = (PREFIXES + "@prefix unit: <http://qudt.org/vocab/unit/> .\n" + POLICY_BODY.format(n="e")
            + f"; pkg:setsTarget <{target}> .\n"
            + f'<{target}> a pkg:Target ; pkg:indicator "capacity"@en ; pkg:targetYear "2030"^^xsd:gYear ; '
              'pkg:value 500.0 ; pkg:unitText "million kilowatts" ; pkg:normalizedValue "INF"^^xsd:double ; '
              "pkg:normalizedUnit unit:W ; pkg:comparator pkg:Approximately .")
    with client:
        resp = client.post("/merge", content=body, headers={**AUTH, "Content-Type": "text/turtle"})
        assert resp.status_code == 200, resp.text[:300]  # it passes validation
        for path in ["/doc/target/cn-notice-on-a-test-policye-0001", "/doc/policy/cn-notice-on-a-test-policye",
                     "/year/2030"]:
            page = client.get(path, headers={"Accept": "text/html"})
            assert page.status_code == 200, (path, page.status_code)


# --------------------------------------------------------------------------------------------------
# POST /validate: inputs


def test_triple_term_input_error_says_where(sample) -> None:
    client, _ = sample
    body = "<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n" \
           "<< <http://example.org/a> <http://example.org/b> <http://example.org/c> >> <http://example.org/d> 1 .\n"
    resp = client.post("/validate", content=body, headers={"Content-Type": "text/turtle"})
    assert _is_problem(resp, 400, 415), resp.status_code
    assert resp.json().get("line") == 2, resp.json()


def test_directional_literal_is_kept_or_refused(seed) -> None:
    client, store = _writable(seed)
    body = '<http://example.org/s> <http://example.org/p> "\u0627\u0644\u0635\u064a\u0646"@ar--rtl .\n'
    with client:
        resp = client.post("/merge", content=body.encode(), headers={**AUTH, "Content-Type": "text/turtle"})
    if resp.status_code == 200:
        assert "@ar--rtl" in store.dump_nquads().decode(), "the base direction was dropped"
    else:
        assert _is_problem(resp, 400, 415) and resp.json().get("line") == 1, resp.text[:200]


def test_curated_yaml_mapping_where_text_is_expected_is_400(seed) -> None:
    client, _ = _writable(seed)
    with open(TEMPLATES / "policies.yaml", "rb") as f:
        yaml_text = f.read()
    with client:
        resp = client.post("/validate", content=yaml_text.replace(b"title_zh: null", b"title_zh: {a: 1}"),
                           headers={"Content-Type": "application/yaml"})
    assert _is_problem(resp, 400), (resp.status_code, resp.text[:200])
    assert any(p.get("field") == "title_zh" for p in resp.json().get("problems", [])), resp.json()


def test_curated_yaml_alias_bomb_is_refused(seed) -> None:
    client, _ = _writable(seed, max_upload_bytes=1_000_000)
    levels = 6  # 10**6 list items: ~5 MB once turned into text
    bomb = "x0: &a0 [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"x{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, levels))
    body = (bomb + f"policies:\n  - title_en: Notice on Aliases\n    title_zh: *a{levels - 1}\n"
            "    jurisdiction: CN\n    level: national\n    genre: notice\n").encode()
    assert len(body) < 1000
    with client:
        resp = client.post("/validate", content=body, headers={"Content-Type": "application/yaml"})
    assert _is_problem(resp, 400, 413), (resp.status_code, resp.text[:200])


def test_curated_unreadable_value_is_blamed_on_the_value_field(seed) -> None:
    client, _ = _writable(seed)
    with open(TEMPLATES / "policies.csv", "rb") as f:
        csv = f.read()
    assert b",10,million kilowatts," in csv
    with client:
        resp = client.post("/validate", content=csv.replace(b",10,million kilowatts,", b",Infinity,million kilowatts,"),
                           headers={"Content-Type": "text/csv"})
    assert _is_problem(resp, 400), resp.status_code
    fields = [p.get("field") for p in resp.json().get("problems", [])]
    assert fields == ["value"], resp.json()["detail"][:300]


# --------------------------------------------------------------------------------------------------
# XSS through data values (the store is treated as hostile, as in tests/test_hardening_http.py)


def _script_links(html: str) -> list[str]:
    return [a for a in re.findall(r"""(?:href|src|action)\s*=\s*["']?\s*([^"' >]*)""", html, re.I)
            if a.strip().lower().startswith(("javascript:", "data:", "vbscript:"))]


def test_resource_pages_never_link_script_iris() -> None:
    g = rdflib.Graph()
    p, t = URIRef(f"{BASE}id/policy/cn-hostile"), URIRef(f"{BASE}id/target/cn-hostile-t")
    g.add((p, RDF.type, PKG.Policy))
    g.add((p, DCTERMS.title, Literal("Hostile policy", lang="en")))
    g.add((p, PKG.sourceURL, URIRef("javascript:alert(1)//")))
    g.add((p, PKG.issuedBy, URIRef("javascript:alert(2)//")))
    g.add((p, PKG.setsTarget, t))
    g.add((t, RDF.type, PKG.Target))
    g.add((t, PKG.indicator, Literal("capacity", lang="en")))
    g.add((t, PKG.comparator, URIRef("javascript:alert(3)//")))
    client, store = _sample_with(g)
    with client:
        bad = {path: _script_links(client.get(path, headers={"Accept": "text/html"}).text)
               for path in ["/doc/policy/cn-hostile", "/doc/target/cn-hostile-t"]}
    store.close()
    assert not any(bad.values()), bad


def test_canned_query_html_never_links_script_iris() -> None:
    g = rdflib.Graph()
    evil = URIRef("javascript:alert(document.cookie)//")
    g.add((evil, RDF.type, PKG.Region))
    g.add((evil, SKOS.prefLabel, Literal("Evilland", lang="en")))
    client, store = _sample_with(g)
    with client:
        resp = client.get("/api/queries/lookup", params={"text": "Evilland", "format": "html"})
    store.close()
    assert resp.status_code == 200 and "Evilland" in resp.text
    assert _script_links(resp.text) == []


@pytest.mark.parametrize("date", [Literal("-0044-03-15", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date")),
                                  Literal("2024/03/01")])
def test_landing_and_stats_survive_an_odd_publication_date(date: Literal) -> None:
    g = rdflib.Graph()
    p = URIRef(f"{BASE}id/policy/cn-odd-date")
    g.add((p, RDF.type, PKG.Policy))
    g.add((p, PKG.publicationDate, date))
    client, store = _sample_with(g)
    with client:
        statuses = {path: client.get(path).status_code for path in ("/", "/stats")}
    store.close()
    assert statuses == {"/": 200, "/stats": 200}, statuses


# --------------------------------------------------------------------------------------------------
# representations: W3C correctness


def test_rdfxml_of_an_unsplittable_predicate_is_not_a_500() -> None:
    g = rdflib.Graph()
    p = URIRef(f"{BASE}id/policy/cn-odd-predicate")
    g.add((p, RDF.type, PKG.Policy))
    g.add((p, URIRef("https://example.org/ns/1"), Literal("a predicate ending in a digit")))
    client, store = _sample_with(g)
    with client:
        resp = client.get("/doc/policy/cn-odd-predicate", headers={"Accept": "application/rdf+xml"})
    store.close()
    if resp.status_code == 200:
        back = rdflib.Graph().parse(data=resp.content, format="xml")
        assert (p, URIRef("https://example.org/ns/1"), None) in back
    else:
        assert _is_problem(resp, 406), (resp.status_code, resp.text[:200])


def test_turtle_and_ntriples_of_a_document_are_the_same_graph(sample) -> None:
    client, _ = sample
    path = f"/doc/target/{TARGET}"
    ttl = rdflib.Graph().parse(data=client.get(path, headers={"Accept": "text/turtle"}).content, format="turtle")
    nt = rdflib.Graph().parse(data=client.get(path, headers={"Accept": "application/n-triples"}).content, format="nt")
    assert len(nt) > 5
    assert isomorphic(ttl, nt)  # RDF 1.1 Concepts §3.3: literals are equal only with equal lexical forms


# --------------------------------------------------------------------------------------------------
# content negotiation: media type parameters


POLICY_DOC = "/doc/policy/cn-guidance-on-the-high-quality-development-of-distribution-networks-under-the-new-circumstances"


@pytest.mark.parametrize(("path", "accept", "served"), [
    (POLICY_DOC, "text/turtle;charset=utf-8", "text/turtle"),
    (POLICY_DOC, "text/html;charset=UTF-8", "text/html"),
    (POLICY_DOC, 'application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted"', "application/ld+json"),
    ("/ontology", "text/turtle;charset=utf-8", "text/turtle"),
    ("/api/queries/targets-due-in-year?year=2025", "text/csv;charset=utf-8", "text/csv"),
])
def test_accept_with_media_type_parameters_is_honoured(sample, path: str, accept: str, served: str) -> None:
    """RFC 9110 §12.5.1: a range with parameters matches a representation carrying them (the Turtle, HTML and
    CSV here are served with charset=utf-8; compacted JSON-LD is what the JSON-LD profile names)."""
    client, _ = sample
    resp = client.get(path, headers={"Accept": accept})
    assert resp.status_code == 200, (resp.status_code, resp.text[:150])
    assert resp.headers["content-type"].startswith(served)


# --------------------------------------------------------------------------------------------------
# HTTP: HEAD, OpenAPI, canned-query parameters


@pytest.mark.parametrize("path", ["/sitemap.xml", "/context.jsonld", "/api/queries",
                                  "/api/queries/targets-due-in-year?year=2025", "/robots.txt",
                                  "/static/style.css"])
def test_head_is_answered_wherever_get_is(sample, path: str) -> None:
    client, _ = sample
    get = client.get(path)
    head = client.head(path)
    assert get.status_code == 200
    assert head.status_code == 200, head.status_code
    assert head.headers["content-type"] == get.headers["content-type"]


def test_openapi_marks_required_canned_query_parameters(sample) -> None:
    client, _ = sample
    spec = client.get("/openapi.json").json()
    op = spec["paths"]["/api/queries/targets-due-in-year"]["get"]
    year = next(p for p in op["parameters"] if p["name"] == "year")
    assert client.get("/api/queries/targets-due-in-year").status_code == 422  # it is required
    assert year["required"] is True


def test_canned_query_year_in_other_digits_is_422_or_the_same_year(sample) -> None:
    client, _ = sample
    arabic = client.get("/api/queries/targets-due-in-year", params={"year": "٢٠٢٥"})
    ascii_ = client.get("/api/queries/targets-due-in-year", params={"year": "2025"})
    assert ascii_.json()["results"]["bindings"]
    assert _is_problem(arabic, 422) or arabic.json() == ascii_.json(), arabic.text[:200]


def test_repeated_canned_query_parameter_is_422(sample) -> None:
    client, _ = sample
    resp = client.get("/api/queries/targets-due-in-year?year=abcd&year=2025")
    assert _is_problem(resp, 422), resp.status_code
    assert resp.json().get("field") == "year" or "year" in resp.text


# --------------------------------------------------------------------------------------------------
# concurrency at start-up (a fresh process: rdflib's SPARQL grammar must not have been used yet)

_COLD_VALIDATE = r"""
import json, sys, threading, warnings
sys.path[:0] = [sys.argv[1], sys.argv[2]]
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient
from api import create_app
from linked_data_helpers import DATA, make_store
from policykg.settings import Settings
# a time limit far past what 8 cold validations on 2 workers take on a loaded machine: this test is about
# 500s, and a 503 at the default 15 s limit (queued behind the others) made it flaky under CI load
client = TestClient(create_app(Settings(validate_timeout_s=110), make_store()), raise_server_exceptions=False)
import rdflib
ds = rdflib.Dataset()
ds.parse(DATA, format="trig")
body = ds.graph(rdflib.URIRef("https://w3id.org/policykg/graph/ccnt-2024-03-04")).serialize(format="turtle").encode()
barrier, statuses = threading.Barrier(8), []
def post():
    barrier.wait()
    statuses.append(client.post("/validate", content=body, headers={"Content-Type": "text/turtle"}).status_code)
with client:
    threads = [threading.Thread(target=post) for _ in range(8)]
    for t in threads: t.start()
    for t in threads: t.join(60)
print(json.dumps(statuses))
"""


def test_concurrent_first_validations_are_not_500() -> None:
    import json  # noqa: PLC0415
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    here = Path(__file__).resolve().parent
    out = subprocess.run([sys.executable, "-c", _COLD_VALIDATE, str(here.parent), str(here)],
                         capture_output=True, text=True, timeout=120, cwd=here.parent)
    assert out.returncode == 0, out.stderr[-2000:]
    statuses = json.loads(out.stdout.strip().splitlines()[-1])
    assert statuses == [200] * 8, statuses
