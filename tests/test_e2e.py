"""End to end: the sample briefing is extracted, validated and loaded into a fresh store,
then served: SPARQL counts its policies and reports, and a policy IRI dereferences as
Turtle (parsed back with rdflib) and as HTML."""

from __future__ import annotations


import pytest
import rdflib
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api import create_app
from policykg.cli import app as cli_app
from policykg.settings import PROJECT_ROOT, Settings
from policykg.store import OxigraphStore
from policykg.vocab import PKG

SAMPLE = PROJECT_ROOT / "data" / "briefings" / "ccnt-2024-03-04.txt"
COUNT = """PREFIX pkg: <https://w3id.org/policykg/ontology#>
SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a pkg:%s }"""


@pytest.fixture(scope="module")
def loaded_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("e2e") / "store"
    result = CliRunner().invoke(cli_app, ["load", str(SAMPLE), "--store", str(path)])
    assert result.exit_code == 0, result.output
    assert "25 policies" in result.output
    # which store it wrote, as merge and drop say (a relative var/store depends on the working directory)
    assert f"store: {path.resolve()} (new: there was no store there)" in result.output
    return path


@pytest.fixture(scope="module")
def client(loaded_store):
    settings = Settings(store_path=loaded_store)
    store = OxigraphStore(loaded_store, settings.base_iri)
    with TestClient(create_app(settings, store)) as c:
        yield c
    store.close()


def count(client, cls: str) -> int:
    r = client.get("/sparql", params={"query": COUNT % cls},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_sparql_counts_policies_and_reports(client):
    assert count(client, "Policy") == 25
    assert count(client, "Report") == 5


def test_policy_dereferences_as_turtle_and_html(client):
    r = client.get("/sparql", params={"query": "PREFIX pkg: <https://w3id.org/policykg/ontology#> "
                                               "SELECT ?p WHERE { ?p a pkg:Policy } ORDER BY ?p LIMIT 1"},
                   headers={"Accept": "application/sparql-results+json"})
    iri = r.json()["results"]["bindings"][0]["p"]["value"]
    path = "/" + iri.split("/", 3)[3][len("policykg/"):] if "w3id.org" in iri else iri
    assert path.startswith("/id/policy/")
    r = client.get(path, headers={"Accept": "text/turtle"}, follow_redirects=False)
    assert r.status_code == 303
    doc = r.headers["location"]
    r = client.get(doc, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    assert (rdflib.URIRef(iri), rdflib.RDF.type, PKG.Policy) in g
    r = client.get(doc, headers={"Accept": "text/html"})
    assert r.status_code == 200 and "<html" in r.text.lower()


def test_reload_is_a_no_op(tmp_path):
    path = tmp_path / "store"
    runner = CliRunner()
    assert runner.invoke(cli_app, ["load", str(SAMPLE), "--store", str(path)]).exit_code == 0
    store = OxigraphStore(path, Settings().base_iri)
    before = store.dump_nquads()
    store.close()
    result = runner.invoke(cli_app, ["load", str(SAMPLE), "--store", str(path)])
    assert result.exit_code == 0, result.output
    assert "unchanged 1" in result.output and f"store: {path.resolve()}\n" in result.output
    store = OxigraphStore(path, Settings().base_iri)
    assert store.dump_nquads() == before
    store.close()


def test_every_canned_query_example_answers_on_the_bundled_graph(client):
    """The examples /api/queries and the query editor offer must answer on the graph `serve` builds:
    an example naming a policy or concept that is not there opens an empty tab."""
    listing = client.get("/api/queries").json()
    assert len(listing) >= 12
    for q in listing:
        params = {p["name"]: p["example"] for p in q["parameters"] if p.get("example") is not None}
        r = client.get(f"/api/queries/{q['name']}", params=params, headers={"Accept": "application/json"})
        assert r.status_code == 200, (q["name"], r.text)
        assert r.json()["results"]["bindings"], (q["name"], params)


def test_a_report_is_found_from_the_regions_it_studies(client):
    """The Compendium's seven city cases ("from Zhejiang, Shaanxi, Beijing, Shanghai, Inner Mongolia and
    Sichuan in China") were invisible from Beijing: reports had no coverage (a researcher's review)."""
    r = client.get("/sparql", params={"query": "PREFIX pkg: <https://w3id.org/policykg/ontology#> "
                                               "PREFIX dcterms: <http://purl.org/dc/terms/> "
                                               "SELECT ?r WHERE { ?r a pkg:Report ; dcterms:spatial "
                                               "<https://w3id.org/policykg/id/region/CN-BJ> }"},
                   headers={"Accept": "application/sparql-results+json"})
    reports = [b["r"]["value"] for b in r.json()["results"]["bindings"]]
    assert len(reports) == 1 and "compendium" in reports[0]
    slug = reports[0].rsplit("/", 1)[1]
    region = client.get("/doc/region/CN-BJ", headers={"Accept": "text/html"}).text
    assert 'id="reports"' in region and f"/doc/report/{slug}" in region
    report = client.get(f"/doc/report/{slug}", headers={"Accept": "text/html"}).text
    for code in ("CN-ZJ", "CN-SN", "CN-BJ", "CN-SH", "CN-NM", "CN-SC"):
        assert f"/doc/region/{code}" in report, code
    turtle = rdflib.Graph().parse(data=client.get(f"/doc/report/{slug}.ttl").text, format="turtle")
    quotes = {str(o) for s in turtle.objects(None, PKG.evidence) for o in turtle.objects(s, rdflib.URIRef(
        "http://www.w3.org/ns/oa#exact"))}
    assert "Beijing" in quotes  # the mention is the evidence


def test_policies_say_which_agencies_only_host_the_source_and_search_agrees_with_the_filter(client):
    """Session 11 (a newcomer): /policies?agency=ndrc listed 6 policies, 4 with a blank issuer (NDRC only hosts
    their source documents, an inferred fact the page did not show), and q=NDRC found 1. Each row now names a
    source host that is no issuer, and the search finds what the agency filter finds."""
    import re  # noqa: PLC0415

    def rows(params):
        html = client.get("/policies", params=params, headers={"Accept": "text/html"}).text
        return re.findall(r"<tr><td>.*?</tr>", html, re.S)

    by_filter = rows({"agency": "ndrc"})
    assert len(by_filter) >= 2
    for row in by_filter:  # every row says how NDRC is involved
        assert "National Development and Reform Commission" in row, row
    assert any("National Development and Reform Commission (source host)" in row for row in by_filter)
    links = {re.search(r'href="([^"]+)"', row).group(1) for row in by_filter}
    assert links <= {re.search(r'href="([^"]+)"', row).group(1) for row in rows({"q": "NDRC"})}
