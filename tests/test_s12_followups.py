"""Session 12: follow-ups of the eleventh note (proxy headers, newcomer's small points)."""

from __future__ import annotations

import pytest
import rdflib

from policykg.cli import _proxy_options
from policykg.settings import Settings
from policykg.vocab import PKG, Minter
from policykg.settings import PROJECT_ROOT
from tests.sparql_helpers import running_client, sample_store

TEMPLATE = PROJECT_ROOT / "data" / "templates" / "policies.csv"


def test_serve_believes_no_proxy_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    """uvicorn by itself believes X-Forwarded-For from 127.0.0.1; ``serve`` believes it from no peer unless
    POLICYKG_FORWARDED_ALLOW_IPS (or uvicorn's own FORWARDED_ALLOW_IPS) names the proxy."""
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    assert _proxy_options(Settings()) == {"proxy_headers": False}
    told = Settings.from_env({"POLICYKG_FORWARDED_ALLOW_IPS": "10.0.0.5, 10.1.0.0/16"})
    assert _proxy_options(told) == {"proxy_headers": True, "forwarded_allow_ips": "10.0.0.5, 10.1.0.0/16"}
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "192.0.2.7")
    assert _proxy_options(Settings()) == {"proxy_headers": True, "forwarded_allow_ips": "192.0.2.7"}
    assert _proxy_options(told)["forwarded_allow_ips"] == "10.0.0.5, 10.1.0.0/16"  # ours wins


@pytest.fixture(scope="module")
def client():
    """A running app on the SPARQL sample store, plus a graph with two cities of one name in two provinces."""
    settings = Settings()
    store = sample_store(settings)
    twins = rdflib.Graph()
    twins.parse(data=f"""
        @prefix pkg: <{PKG}> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix region: <{settings.base_iri}id/region/> .
        region:CN-JS a pkg:Region ; skos:prefLabel "Jiangsu"@en .
        region:CN-ZJ a pkg:Region ; skos:prefLabel "Zhejiang"@en .
        region:321200 a pkg:Region ; skos:prefLabel "Taizhou"@en ; pkg:partOf region:CN-JS .
        region:331000 a pkg:Region ; skos:prefLabel "Taizhou"@en ; pkg:partOf region:CN-ZJ .
        """, format="turtle")
    store.replace_graphs({rdflib.URIRef(f"{settings.base_iri}graph/twins"): twins})
    with running_client(settings, store) as (c, _):
        yield c


def test_two_regions_of_one_name_are_told_apart_by_their_province(client) -> None:
    r = client.get("/policies", params={"region": "Taizhou"})
    assert r.status_code == 422
    assert "321200 (in Jiangsu), 331000 (in Zhejiang)" in r.json()["detail"]


@pytest.mark.parametrize("path", ["/doc/region/cn-sd", "/id/region/cn-sd"])
def test_an_iri_in_the_wrong_case_gets_a_hint(client, path) -> None:
    r = client.get(path, follow_redirects=False)
    assert r.status_code == 404
    assert r.json()["detail"].endswith("IRIs are case-sensitive: did you mean https://w3id.org/policykg/id/region/CN-SD?")
    assert "did you mean" not in client.get("/doc/region/cn-xx").json()["detail"]


def test_a_browser_is_sent_from_a_document_s_graph_to_its_page(client) -> None:
    """The Graph Store Protocol's direct identification answers RDF; a browser asking for HTML was a 406."""
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = client.get("/graph/test-briefing-2024-03", headers={"Accept": browser}, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/doc/briefing/test-briefing-2024-03")
    assert "Accept" in r.headers["vary"]
    assert client.get("/graph/test-briefing-2024-03?format=html", follow_redirects=False).status_code == 303
    rdf = client.get("/graph/test-briefing-2024-03", headers={"Accept": "*/*"})
    assert rdf.status_code == 200 and rdf.headers["content-type"].startswith("text/turtle")
    # a graph that is no document's has no page: still 406 for HTML only
    assert client.get("/graph/reference", headers={"Accept": "text/html"}).status_code == 406
    assert client.get("/graph/reference", headers={"Accept": browser}).status_code == 200


@pytest.mark.parametrize("accept", ["text/html;q=high", ";;;", "text/turtle;q=2"])
def test_an_accept_header_with_no_well_formed_range_is_ignored(client, accept) -> None:
    r = client.get("/doc/region/CN-SD", headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    assert client.get("/doc/region/CN-SD", headers={"Accept": "image/png"}).status_code == 406


@pytest.mark.parametrize(("encoding", "label"), [("utf-16", "UTF-16 (little-endian)"), ("utf-16-be", None),
                                                 ("utf-32", "UTF-32 (little-endian)")])
def test_a_utf16_or_utf32_file_is_named_as_such(tmp_path, encoding, label) -> None:
    """Excel's "Unicode Text" and Notepad's "Unicode" write UTF-16 with a byte-order mark: the error names it
    (it said 'byte 0xff at byte offset 0'); without a mark, the first NUL byte is (it was a byte 0x95
    on line 2)."""
    from loaders.curated import load_curated
    from policykg.vocab import Minter
    from policykg.errors import InputError

    path = tmp_path / "entries.csv"
    path.write_bytes(TEMPLATE.read_text(encoding="utf-8").encode(encoding))
    with pytest.raises(InputError) as caught:
        load_curated(path, Minter())
    message = str(caught.value)
    if label:
        assert f"{label} text (byte-order mark" in message and "save it as UTF-8" in message
    else:
        assert message.endswith("entries.csv:1:1: a NUL byte: not a text file, or UTF-16/UTF-32 text without a "
                                "byte-order mark; save it as UTF-8")


@pytest.mark.parametrize("how", ["read-only", "held"])
def test_load_refuses_a_store_it_cannot_write_before_extracting(tmp_path, monkeypatch, how) -> None:
    """`policykg load` beside a running server (the store's lock held) or on a read-only store failed only
    after extracting every briefing (13 s for the sample); it now fails at once, and extracts nothing."""
    from typer.testing import CliRunner

    import policykg.cli as cli
    from policykg.store import OxigraphStore

    store = tmp_path / "store"
    OxigraphStore(store, Settings().base_iri).close()
    monkeypatch.setattr(cli, "_extract", lambda *a, **k: pytest.fail("extracted before checking the store"))
    env = {"POLICYKG_STORE_READ_ONLY": "true"} if how == "read-only" else {}
    holder = OxigraphStore(store, Settings().base_iri) if how == "held" else None
    try:
        result = CliRunner().invoke(cli.app, ["load", "--store", str(store), str(TEMPLATE)], env=env)
    finally:
        if holder is not None:
            holder.close()
    assert result.exit_code != 0
    assert ("read-only" if how == "read-only" else "LOCK") in result.output


def test_the_outside_classifications_iris_dereference() -> None:
    """The 92 concepts of ontology/vocab/external.ttl (CCLW, Climate Policy Database, IPCC 2006 sectors) have
    IRIs under policykg's own namespace, each the skos:closeMatch of a vocabulary concept, and every one was a
    404. They answer like any resource's document, and pages link them on this site."""
    import re

    from fastapi.testclient import TestClient

    from api.app import create_app
    from policykg.reference import load_ontology_graph
    from policykg.store import OxigraphStore
    from policykg.vocab import Minter

    settings = Settings()
    store = OxigraphStore(None, settings.base_iri)
    store.replace_graphs({Minter(settings.base_iri).ontology_graph: load_ontology_graph(PROJECT_ROOT / "ontology")})
    c = TestClient(create_app(settings, store))
    ttl = c.get("/external/cclw/regulation", headers={"Accept": "text/turtle"})
    assert ttl.status_code == 200 and ttl.headers["content-location"] == "/external/cclw/regulation.ttl"
    g = rdflib.Graph().parse(data=ttl.text, format="turtle")
    iri = rdflib.URIRef("https://w3id.org/policykg/external/cclw/regulation")
    assert (iri, rdflib.RDF.type, rdflib.SKOS.Concept) in g
    html = c.get("/external/cclw/regulation", headers={"Accept": "text/html"})
    assert html.status_code == 200 and "Regulation" in html.text
    assert c.get("/external/cclw/regulation.jsonld").headers["content-type"].startswith("application/ld+json")
    assert c.get("/external/cpd/no-such-concept").status_code == 404
    # the concept's page links its scheme on this site, not out to w3id.org
    links = set(re.findall(r'href="(/external/[^"#]+)"', html.text))
    assert "/external/cclw/scheme" in links and all(c.get(href).status_code == 200 for href in links)


def test_a_page_whose_queries_run_away_is_stopped_at_the_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """A page's query that runs away is stopped at the time limit: 503 with Retry-After, and the worker is
    killed. Pages used to run their queries in the server process, where /year/{y} ran to its end (34.6 s
    with three copies of one small curated policy, oxigraph#1919; 190 s for a newcomer). That store no
    longer makes the paged year page run away (0.05 s), so the year page's first query is joined here with
    a counted cross product of every triple, four times."""
    import time

    import policykg.describe

    runaway = "SELECT ?region (COUNT(*) AS ?n) WHERE { %s ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } GROUP BY ?region"
    monkeypatch.setattr(policykg.describe, "YEAR_TARGETS", policykg.describe._PREFIXES + runaway)
    settings = Settings(query_timeout_s=2)
    with running_client(settings, sample_store(settings)) as (c, _):
        c.get("/doc/region/CN-SD", headers={"Accept": "text/html"})  # the pages' workers are started
        started = time.monotonic()
        r = c.get("/year/2025", headers={"Accept": "text/html"})
        took = time.monotonic() - started
        assert r.status_code == 503 and "retry-after" in r.headers, (r.status_code, took)
        assert took < 2 + 5, took  # the limit, plus a worker's replacement on a loaded machine
        assert c.get("/doc/region/CN-SD", headers={"Accept": "text/turtle"}).status_code == 200


def test_a_quality_note_is_described_by_its_briefing_s_document(tmp_path) -> None:
    """A quality note's IRI is ``{briefing}#note-...``: it dereferences to the briefing's document, which
    said nothing of it (the notes were only in their policies' documents)."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    import loaders
    from policykg.store import OxigraphStore

    settings = Settings()
    result = loaders.extract(PROJECT_ROOT / "data" / "briefings" / "ccnt-2024-03-04.txt", Minter(settings.base_iri))
    notes = set(result.graph.subjects(rdflib.RDF.type, PKG.QualityNote))
    assert notes
    store = OxigraphStore(None, settings.base_iri)
    store.replace_graphs({result.graph_name: result.graph})
    briefing = str(next(iter(notes))).split("#", 1)[0]
    doc = TestClient(create_app(settings, store)).get("/doc/" + briefing[len(settings.base_iri) + 3:] + ".ttl")
    described = rdflib.Graph().parse(data=doc.text, format="turtle")
    assert notes <= set(described.subjects(rdflib.RDF.type, PKG.QualityNote))
    assert all((n, PKG.noteCode, None) in described for n in notes)


def test_a_conforming_validation_in_html_says_so(client) -> None:
    """It was a heading over an empty table's header row."""
    ttl = ('<https://w3id.org/policykg/id/region/CN-SD> <http://www.w3.org/2004/02/skos/core#altLabel> '
           '"Lu"@en .')
    r = client.post("/validate", content=ttl, headers={"Content-Type": "text/turtle", "Accept": "text/html"})
    assert r.status_code == 200
    assert "1 focus node(s) checked: no problems found." in r.text and "<table" not in r.text
