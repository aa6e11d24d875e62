"""Attack on session 10's web and curation changes (task A3, /work/notes/s10/attack_web.md).

Bounded validation over HTTP (limits, report cap, the worker pool), merges that refuse to replace another
source's graph, graph-IRI checks, SPARQL 1.2 triple terms, the BOM, canned-query parameters by IRI or
title, and JSON-LD naming policykg's own context. Each defect is a strict xfail naming cause and fix;
each attack that held is a plain test. Apps are built in process, as tests/test_newcomer_s10_*.py do.
"""

from __future__ import annotations

import json
import threading
import time
import warnings

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from api import create_app
from policykg.cli import _curated_reader
from policykg.ingest import ensure_reference
from policykg.settings import Settings
from policykg.store import OxigraphStore
from policykg.vocab import PKG

pytest_plugins = ["curation_helpers"]  # the fixtures reference_store and make_client
from tests.linked_data_helpers import POLICY
from tests.sparql_helpers import make_client as make_sparql_client

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

BASE = "https://w3id.org/policykg/"
AUTH = {"Authorization": "Bearer secret"}
TTL = {"Content-Type": "text/turtle", **AUTH}
TRIG = {"Content-Type": "application/trig", **AUTH}
CSV = {"Content-Type": "text/csv", **AUTH}
HEADER = ("kind,title_en,title_zh,genre,jurisdiction,city,level,issuers,source_url,publication_date,"
          "instruments,sectors,indicator,year,value,unit,comparator,baseline_year\n")
HEBEI = ("policy,Action Plan for Hydrogen Vehicles in Hebei Province,,Action Plan,CN-HE,,provincial,"
         "Hebei Provincial People's Government,https://www.hebei.gov.cn/example/2024/05/10/plan.html,2024-05-10,,,,,,,,\n"
         "target,,,,,,,,,,,,fuel-cell vehicles in operation,2025,10000,vehicles,more than,\n")
PREFIXES = "@prefix pkg: <https://w3id.org/policykg/ontology#> .\n@prefix dcterms: <http://purl.org/dc/terms/> .\n"


def bare_policies(n: int, prefix: str = "p") -> str:
    """Turtle triples (no prefixes) of ``n`` policies with a title and a jurisdiction only."""
    return "".join(f'<{BASE}id/policy/{prefix}{i}> a pkg:Policy ; dcterms:title "T {prefix}{i}"@en ; '
                   f"pkg:jurisdiction <{BASE}id/region/CN> .\n" for i in range(n))


def briefing_graph(name: str) -> tuple[URIRef, rdflib.Graph]:
    """A loaded briefing's graph as the loaders write it (graph/{name}, briefing/{name}, ``{name}.txt``)."""
    g = rdflib.Graph()
    doc, pol = URIRef(f"{BASE}id/briefing/{name}"), URIRef(f"{BASE}id/policy/cn-a-briefed-policy")
    g.add((doc, RDF.type, PKG.Briefing))
    g.add((doc, DCTERMS.identifier, Literal(f"{name}.txt")))
    g.add((pol, RDF.type, PKG.Policy))
    g.add((pol, DCTERMS.title, Literal("A Briefed Policy", lang="en")))
    g.add((pol, PKG.jurisdiction, URIRef(f"{BASE}id/region/CN")))
    return URIRef(f"{BASE}graph/{name}"), g


# reference_store and make_client: tests/curation_helpers.py


# =========================================================================== replace=false dodged


def test_a_csv_whose_slug_equals_a_briefings_document_does_not_replace_it(make_client):
    client, store = make_client()
    name, g = briefing_graph("notes-csv")
    store.replace_graphs({name: g})
    before = store.dump_nquads()
    with client:
        r = client.post("/merge", content=(HEADER + HEBEI).encode(), headers=CSV, params={"graph": str(name)})
        assert r.status_code == 409, r.text
    assert store.dump_nquads() == before


def test_a_trig_body_naming_a_briefings_graph_is_refused_and_nothing_is_written(make_client):
    client, store = make_client()
    name, g = briefing_graph("brief-2024-02-02")
    store.replace_graphs({name: g})
    before = store.dump_nquads()
    fresh = f"{BASE}graph/fresh-a12"
    body = (PREFIXES + f"<{fresh}> {{ {bare_policies(1, 'fa')} }}\n<{name}> {{ {bare_policies(1, 'fb')} }}\n")
    with client:
        r = client.post("/merge", content=body.encode(), headers=TRIG)
        assert r.status_code == 409 and r.json()["graph"] == str(name), r.text
        # the graph named in N-Quads, and a ?graph= that the body's named graph overrides
        nq = f"<{BASE}id/policy/q> <{RDF.type}> <{PKG.Policy}> <{name}> .\n"
        r = client.post("/merge", content=nq.encode(), headers={"Content-Type": "application/n-quads", **AUTH},
                        params={"graph": fresh})
        assert r.status_code == 409, r.text
    assert store.dump_nquads() == before  # the other graph of the body was not written either


def test_two_curated_files_of_one_slug_in_two_graphs_do_not_share_a_document_node(make_client):
    """x.csv into graph/x and into graph/x-csv: both are read as 'x.csv'; their document nodes must differ,
    or the union graph gives one document two sources and deleting one graph leaves the other half-described."""
    client, store = make_client()
    with client:
        for g in ("dup", "dup-csv"):
            r = client.post("/merge", content=(HEADER + HEBEI).encode(), headers=CSV, params={"graph": BASE + "graph/" + g})
            assert r.status_code == 200, r.text
        # replacing graph/dup with an edited file must not be refused, and graph/dup-csv still says its source
        docs = store.select(f"SELECT DISTINCT ?g ?d WHERE {{ GRAPH ?g {{ ?d a <{PKG.Briefing}> }} "
                            f"FILTER(?g IN (<{BASE}graph/dup>, <{BASE}graph/dup-csv>)) }}")
    assert len({str(r["d"]) for r in docs}) == 2, docs


# =========================================================================== limits dodged


def test_blank_nodes_count_as_focus_nodes(make_client):
    client, _ = make_client(max_validate_focus_nodes=20)
    nested = " ; ".join(f'pkg:note [ a pkg:Note ; dcterms:description "n{i}" ]' for i in range(30))
    body = PREFIXES + f"<{BASE}id/policy/one> a pkg:Policy ; {nested} .\n"
    with client:
        r = client.post("/validate", content=body.encode(), headers={"Content-Type": "text/turtle"})
    assert r.status_code == 413 and r.json()["count"] == 31, r.text


def test_trig_with_many_graphs_counts_every_graphs_subjects(make_client):
    client, store = make_client(max_validate_focus_nodes=20)
    before = store.dump_nquads()
    body = PREFIXES + "".join(f"<{BASE}graph/many-{i}> {{ {bare_policies(1, f'm{i}-')} }}\n" for i in range(25))
    with client:
        for path in ("/validate", "/merge"):
            r = client.post(path, content=body.encode(), headers=TRIG)
            assert r.status_code == 413 and r.json()["count"] == 25, (path, r.text)
    assert store.dump_nquads() == before


def test_many_triples_on_one_subject_in_jsonld_and_rdfxml_are_refused(make_client):
    client, _ = make_client(max_validate_triples=100)
    g = rdflib.Graph()
    pol = URIRef(f"{BASE}id/policy/big")
    for i in range(300):
        g.add((pol, DCTERMS.title, Literal(f"Title {i}", lang="en")))
    with client:
        for ctype, fmt in (("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
                           ("application/n-triples", "nt")):
            r = client.post("/validate", content=g.serialize(format=fmt).encode(), headers={"Content-Type": ctype})
            assert r.status_code == 413, (ctype, r.text)


def test_a_csv_of_many_rows_is_refused_before_validation(make_client):
    client, _ = make_client(max_validate_focus_nodes=50)
    rows = "".join(HEBEI.splitlines()[1].replace("2025", str(2030 + i)) + "\n" for i in range(60))
    body = HEADER + HEBEI.splitlines()[0] + "\n" + rows
    with client:
        started = time.monotonic()
        r = client.post("/validate", content=body.encode(), headers={"Content-Type": "text/csv"})
    assert r.status_code == 413 and r.json()["limit"] == 50, r.text
    assert time.monotonic() - started < 10


# =========================================================================== report truncation


def test_a_report_of_warnings_only_is_cut_and_still_conforms(make_client):
    client, _ = make_client(max_report_results=3)
    body = "".join(POLICY.replace("cn-notice-on-a-test-policy", f"cn-notice-{i}").replace(
        "Notice on a Test Policy", f"Notice {i}") for i in range(6))
    with client:
        data = client.post("/validate", content=body.encode(), headers={"Content-Type": "text/turtle"}).json()
    total = sum(data["counts"].values())
    assert data["conforms"] is True and data["counts"].get("Violation", 0) == 0, data
    assert total > 3 and len(data["results"]) == 3 and data["truncated"] is True
    assert data["results_omitted"] == total - 3
    with client:
        ttl = client.post("/validate", content=body.encode(), headers={"Content-Type": "text/turtle",
                                                                         "Accept": "text/turtle"})
    report = rdflib.Graph().parse(data=ttl.text, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    # (sh:conforms there is SHACL's, false for any result, warnings included: SHACL 1.0 §3.6.1)
    assert len(list(report.objects(None, sh.result))) == 3
    assert f"{total - 3} left out" in str(next(report.objects(None, rdflib.RDFS.comment)))


# =========================================================================== graph IRIs


@pytest.mark.parametrize("name", ["graph/meta\u200b", "graph/\ufeffmeta", "graph/meta\u00ad", "graph/onto\u200dlogy",
                                  "graph/%E2%80%8Bmeta"])
def test_invisible_characters_in_a_graph_name_are_refused(make_client, name):
    client, store = make_client()
    before = store.dump_nquads()
    with client:
        r = client.post("/merge", content=(PREFIXES + bare_policies(1)).encode(), headers=TTL,
                        params={"graph": BASE + name})
    assert r.status_code == 400 and r.json()["field"] == "graph", r.text
    assert store.dump_nquads() == before


@pytest.mark.parametrize("name", ["graph/%2Fmeta", "graph/meta%2F", "graph/me%74a%2F..", "graph/%252e%252e/meta",
                                  "graph/reference%3F", "graph/Ｍｅｔａ"])
def test_encoded_and_unicode_tricks_give_400_or_a_harmless_plain_graph(make_client, name):
    client, store = make_client()
    with client:
        r = client.post("/merge", content=(PREFIXES + bare_policies(1)).encode(), headers=TTL,
                        params={"graph": BASE + name})
    assert r.status_code in (200, 400), r.text
    for own in ("ontology", "reference", "meta"):
        got = store.ask(f"ASK {{ GRAPH <{BASE}graph/{own}> {{ <{BASE}id/policy/p0> ?p ?o }} }}")
        assert not got, own


# =========================================================================== the validation pool


def test_a_timed_out_merge_races_a_small_merge_and_nothing_is_half_written(make_client):
    client, store = make_client(validate_timeout_s=1.5, validate_workers=2, max_validate_focus_nodes=2000)
    with client:
        assert client.post("/validate", content=(PREFIXES + bare_policies(1)).encode(),
                           headers={"Content-Type": "text/turtle"}).status_code == 200
        answers = {}

        def big():
            answers["big"] = client.post("/merge", content=(PREFIXES + bare_policies(800, "big")).encode(),
                                         headers=TTL, params={"graph": BASE + "graph/big"})

        thread = threading.Thread(target=big)
        thread.start()
        time.sleep(0.2)
        small = client.post("/merge", content=POLICY.encode(), headers=TTL, params={"graph": BASE + "graph/small"})
        thread.join(30)
        assert small.status_code == 200, small.text
        assert answers["big"].status_code == 503, answers["big"].text
    graphs = {str(r["g"]) for r in store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}
    assert BASE + "graph/small" in graphs and BASE + "graph/big" not in graphs
    assert not store.ask(f"ASK {{ <{BASE}id/policy/big0> ?p ?o }}")


def test_concurrent_small_validations_do_not_starve_on_one_worker(make_client):
    client, _ = make_client(validate_timeout_s=4, validate_workers=1)
    with client:
        assert client.post("/validate", content=(PREFIXES + bare_policies(1)).encode(),
                           headers={"Content-Type": "text/turtle"}).status_code == 200
        codes = []

        def one(i):
            codes.append(client.post("/validate", content=(PREFIXES + bare_policies(2, f"c{i}-")).encode(),
                                     headers={"Content-Type": "text/turtle"}).status_code)

        threads = [threading.Thread(target=one, args=(i,)) for i in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    assert codes == [200] * 6, codes


def test_a_killed_worker_is_replaced_by_a_live_one(make_client):
    from api.validate import _validator

    client, _ = make_client(validate_timeout_s=1.2, validate_workers=1, max_validate_focus_nodes=2000)
    with client:
        assert client.post("/validate", content=(PREFIXES + bare_policies(1)).encode(),
                           headers={"Content-Type": "text/turtle"}).status_code == 200
        pool = _validator(client.app.state.ctx)
        (old,) = pool._idle
        r = client.post("/validate", content=(PREFIXES + bare_policies(800)).encode(),
                        headers={"Content-Type": "text/turtle"})
        assert r.status_code == 503, r.text
        deadline = time.monotonic() + 20
        while not pool._idle and time.monotonic() < deadline:
            time.sleep(0.1)
        (new,) = pool._idle
        assert new is not old and new.process.poll() is None and old.process.poll() is not None
        assert client.post("/validate", content=(PREFIXES + bare_policies(1)).encode(),
                           headers={"Content-Type": "text/turtle"}).status_code == 200


def test_a_curated_file_merged_from_the_command_line_does_not_replace_a_briefing_of_that_slug(tmp_path):
    from typer.testing import CliRunner

    from policykg.cli import app as cli_app

    settings = Settings(store_path=tmp_path / "store")
    name, g = briefing_graph("notes-csv")
    with OxigraphStore(settings.store_path, settings.base_iri) as store:
        ensure_reference(store, settings)
        store.replace_graphs({name: g})
        before = store.dump_nquads()
    path = tmp_path / "notes.csv"
    path.write_text(HEADER + HEBEI, encoding="utf-8")
    result = CliRunner().invoke(cli_app, ["merge", "--store", str(settings.store_path), str(path)])
    with OxigraphStore(settings.store_path, settings.base_iri) as store:
        after = store.dump_nquads()
    assert result.exit_code != 0 and "notes-csv.txt" in result.output and after == before, result.output


# =========================================================================== SPARQL 1.2 triple terms, the BOM


@pytest.fixture(scope="module")
def sparql():
    c, app, store = make_sparql_client(Settings(query_timeout_s=10))
    with c:
        yield c, store
    pool = app.state.ctx.cache.get("querypool")
    if pool is not None:
        pool.close()


NESTED = "<<( <http://a> <http://b> <<( <http://c> <http://d> \"x\\ny\"@en )>> )>>"


@pytest.mark.parametrize("accept", ["text/turtle", "application/n-triples", "application/rdf+xml", "application/trig",
                                    "application/n-quads"])
def test_nested_triple_terms_in_a_construct_template(sparql, accept):
    client, _ = sparql
    q = f"CONSTRUCT {{ <http://s> <http://p> {NESTED} . <http://s> <http://q> << <http://e> <http://f> <http://g> >> }} WHERE {{}}"
    r = client.get("/sparql", params={"query": q}, headers={"Accept": accept})
    assert r.status_code == 200, r.text
    quads = list(ox.parse(r.content, format=ox.RdfFormat.from_media_type(accept)))
    nested = [x.object for x in quads if isinstance(x.object, ox.Triple) and isinstance(x.object.object, ox.Triple)]
    assert len(nested) == 1 and nested[0].object.object.value == "x\ny"
    assert any(str(x.predicate) == "<http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies>" for x in quads)


def test_nested_triple_terms_jsonld_and_html(sparql):
    client, _ = sparql
    q = f"CONSTRUCT {{ <http://s> <http://p> {NESTED} }} WHERE {{}}"
    assert client.get("/sparql", params={"query": q}, headers={"Accept": "application/ld+json"}).status_code == 406
    r = client.get("/sparql", params={"query": q, "format": "html"})
    assert r.status_code == 200 and r.text.count("&lt;&lt;( ") >= 2 and "x\\ny" in r.text, r.text[-1500:]
    sel = f"SELECT ?t WHERE {{ BIND({NESTED} AS ?t) }}"
    for fmt in ("csv", "tsv", "xml", "json"):
        r = client.post("/sparql", data={"query": sel, "format": fmt})
        assert r.status_code == 200, (fmt, r.text)
    tsv = client.get("/sparql", params={"query": sel, "format": "tsv"}).text.splitlines()
    assert len(tsv) == 2 and tsv[1].count("<<(") == 2 and "\\n" in tsv[1], tsv  # one row: the newline escaped


@pytest.mark.parametrize("query", [
    "CONSTRUCT { <<( <http://a> <http://b> <http://c> )>> <http://p> <http://o> } WHERE {}",  # subject: not 1.2
    "DESCRIBE <<( <http://a> <http://b> <http://c> )>>",
    "SELECT * WHERE { ?s ?p <<( ?s ?p ?o )>> } LIMIT 1",
    "SELECT (TRIPLE(<http://a>, <http://b>, TRIPLE(<http://a>, <http://b>, 1)) AS ?t) (isTRIPLE(?t) AS ?k) WHERE {}",
])
def test_odd_triple_term_queries_are_answered_or_refused_never_500(sparql, query):
    client, _ = sparql
    for accept in ("application/sparql-results+json", "text/turtle", "text/html"):
        r = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
        assert r.status_code in (200, 400, 406), (accept, r.text)
        if r.status_code >= 400:  # a browser's refusal is a page (api.app.for_browsers), a program's RFC 9457
            assert r.headers["content-type"].startswith("text/html" if accept == "text/html"
                                                        else "application/problem+json"), (accept, r.text)


@pytest.mark.parametrize("query", ["SELECT\ufeff * WHERE { ?s ?p ?o } LIMIT 1", "\ufeff\ufeffSELECT * WHERE { ?s ?p ?o } LIMIT 1",
                                   "SELECT * WHERE { ?s ?p ?o } LIMIT 1\ufeff"])
def test_a_bom_past_the_start_is_a_syntax_error_shown_escaped(sparql, query):
    client, _ = sparql
    for r in (client.get("/sparql", params={"query": query}),
              client.post("/sparql", data={"query": query}),
              client.post("/sparql", content=query.encode("utf-8"), headers={"Content-Type": "application/sparql-query"})):
        assert r.status_code == 400, r.text
        assert "\ufeff" not in r.text and "<U+FEFF>" in r.json()["detail"], r.text


def test_a_bom_in_a_form_body_and_a_utf16_query(sparql):
    client, _ = sparql
    body = b"query=%EF%BB%BFSELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D"
    r = client.post("/sparql", content=body, headers={"Content-Type": "application/x-www-form-urlencoded",
                                                      "Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and int(r.json()["results"]["bindings"][0]["n"]["value"]) > 0, r.text
    r = client.post("/sparql", content="SELECT * WHERE {}".encode("utf-16"),
                    headers={"Content-Type": "application/sparql-query"})
    assert r.status_code in (200, 400, 415), r.text  # not 500


@pytest.mark.parametrize("ctype,body", [
    ("application/ld+json", json.dumps({"@context": "https://w3id.org/policykg/context.jsonld",
                                        "@id": f"{BASE}id/policy/cn-x", "@type": "pkg:Policy",
                                        "dcterms:title": {"@value": "X", "@language": "en"}})),
    ("application/rdf+xml", '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
     f'xmlns:dcterms="http://purl.org/dc/terms/"><rdf:Description rdf:about="{BASE}id/policy/cn-x">'
     '<dcterms:title xml:lang="en">X</dcterms:title></rdf:Description></rdf:RDF>'),
    ("application/n-quads", f"<{BASE}id/policy/cn-x> <http://purl.org/dc/terms/title> \"X\"@en <{BASE}graph/g> .\n"),
])
def test_a_leading_bom_is_ignored_in_every_rdf_syntax(sparql, ctype, body):
    client, _ = sparql
    r = client.post("/validate", content=b"\xef\xbb\xbf" + body.encode("utf-8"), headers={"Content-Type": ctype})
    assert r.status_code in (200, 422), (ctype, r.text)
    assert "json" not in r.text.lower() or r.status_code != 400


# =========================================================================== JSON-LD naming our context


def _jsonld(ctx) -> bytes:
    return json.dumps({"@context": ctx, "@id": f"{BASE}id/policy/cn-ctx", "@type": "pkg:Policy",
                       "dcterms:title": {"@value": "Ctx", "@language": "en"}}).encode()


@pytest.mark.parametrize("ctx", [
    ["https://w3id.org/policykg/context.jsonld", {"t": "dcterms:title"}],
    [{"@version": 1.1}, "https://w3id.org/policykg/context.jsonld"],
    {"@version": 1.1, "pkg": "https://w3id.org/policykg/ontology#", "dcterms": "http://purl.org/dc/terms/",
     "rel": {"@id": "dcterms:relation", "@context": "https://w3id.org/policykg/context.jsonld"}},
])
def test_our_context_in_a_list_or_a_scoped_context_reads(sparql, ctx):
    client, _ = sparql
    r = client.post("/validate", content=_jsonld(ctx), headers={"Content-Type": "application/ld+json"})
    assert r.status_code in (200, 422), r.text
    assert not any(x.get("message", "").startswith("parse") for x in r.json().get("results", []))


@pytest.mark.parametrize("ctx", [
    "http://w3id.org/policykg/context.jsonld", "https://w3id.org/policykg/context.jsonld#x",
    "https://w3id.org/policykg/context.jsonld?v=2", "HTTPS://W3ID.ORG/policykg/context.jsonld",
    {"@import": "https://example.org/ctx.jsonld"}, {"@import": "https://w3id.org/policykg/context.jsonld"},
    {"rel": {"@id": "http://purl.org/dc/terms/relation", "@context": "https://example.org/evil.jsonld"}},
])
def test_other_contexts_are_refused_without_a_fetch(sparql, ctx):
    client, _ = sparql
    started = time.monotonic()
    r = client.post("/validate", content=_jsonld(ctx), headers={"Content-Type": "application/ld+json"})
    assert time.monotonic() - started < 5
    assert r.status_code in (200, 400, 422), r.text
    if "example.org" in json.dumps(ctx):
        assert r.status_code == 400 and r.json()["type"].endswith("/InputError"), r.text


# =========================================================================== canned-query parameters


def test_an_iri_of_another_kind_is_a_typed_404(sparql):
    client, _ = sparql
    for param, query, value in (("region", "policies-by-region", f"{BASE}id/policy/cn-new-energy-storage-guiding-opinions"),
                                ("policy", "policy-targets", f"{BASE}id/region/CN-SD"),
                                ("policy", "policy-targets", f"{BASE}id/policy/cn-new-energy-storage-guiding-opinions#x"),
                                ("region", "policies-by-region", "\ufeffCN-SD"),
                                ("region", "policies-by-region", f"{BASE}id/region/CN-SD?x=1")):
        r = client.get(f"/api/queries/{query}", params={param: value, "format": "json"})
        assert r.status_code in (404, 422), (value, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")


def test_a_title_matching_two_policies_lists_both(sparql):
    client, store = sparql
    rows = store.select(f"SELECT ?t WHERE {{ <{BASE}id/policy/cn-new-energy-storage-guiding-opinions> "
                        f"<http://purl.org/dc/terms/title> ?t }}")
    title = str(rows[0]["t"])
    twin = URIRef(f"{BASE}id/policy/cn-a12-twin")
    g = rdflib.Graph()
    g.add((twin, RDF.type, PKG.Policy))
    g.add((twin, DCTERMS.title, Literal(title.upper(), lang="en")))
    store.replace_graphs({URIRef(f"{BASE}graph/a12-twin"): g})
    try:
        r = client.get("/api/queries/policy-targets", params={"policy": title, "format": "json"})
        assert r.status_code == 422, r.text
        assert "cn-a12-twin" in r.json()["detail"] and "cn-new-energy-storage-guiding-opinions" in r.json()["detail"]
        # the slug still picks one
        r = client.get("/api/queries/policy-targets", params={"policy": "cn-a12-twin", "format": "json"})
        assert r.status_code == 200, r.text
    finally:
        store.replace_graphs({URIRef(f"{BASE}graph/a12-twin"): rdflib.Graph()})


# =========================================================================== curated files: cost and report size


def _rows_csv(n: int, year: str = "2025") -> bytes:
    target = HEBEI.splitlines()[1].replace("2025", year)
    rows = "".join(target.replace("fuel-cell vehicles", f"fuel-cell vehicles {i}") + "\n" for i in range(n))
    return (HEADER + HEBEI.splitlines()[0] + "\n" + rows).encode()


def test_a_csv_far_over_the_limit_is_refused_cheaply(make_client, monkeypatch):
    # cheaply: refused once its records are counted, before anything of its RDF is built (the first step after the
    # count, the document node's slug, fails the request if it is reached). A wall-clock bound (1.5 s, 0.17 s
    # measured) failed once at 2.1 s late in a CI run, where nothing else of the request had changed.
    import loaders.curated

    def reached(*_args, **_kwargs):
        raise RuntimeError("the RDF of a body over the limit is being built")
    monkeypatch.setattr(loaders.curated, "slugify", reached)
    client, _ = make_client(max_validate_focus_nodes=50)
    body = _rows_csv(6000)
    with client:
        r = client.post("/validate", content=body, headers={"Content-Type": "text/csv"})
    assert r.status_code == 413, r.text
    assert r.json()["count"] >= 6000 and r.json()["limit"] == 50, r.json()


def test_a_curated_file_with_thousands_of_bad_cells_gets_a_bounded_answer(make_client):
    client, _ = make_client(max_report_results=20)
    with client:
        r = client.post("/validate", content=_rows_csv(2000, year="twenty"), headers={"Content-Type": "text/csv"})
    assert r.status_code == 400, r.text
    problem = r.json()
    assert "2000 problem" in problem["detail"]
    assert len(problem["problems"]) <= 20 and len(r.content) < 20_000, len(r.content)


def test_a_validation_worker_ends_when_its_server_dies(tmp_path):
    import os
    import subprocess
    import sys

    from policykg.settings import PROJECT_ROOT

    code = ("import os, sys, rdflib; sys.path.insert(0, %r)\n"
            "from policykg.settings import Settings\nfrom policykg.validation import ValidationPool\n"
            "s = Settings(); pool = ValidationPool(s.shapes_dir, s.ontology_dir, base_iri=s.base_iri, timeout_s=30)\n"
            "pool.validate(rdflib.Graph()); print(pool._idle[0].process.pid, flush=True); os.kill(os.getpid(), 9)\n"
            % str(PROJECT_ROOT))
    out = tmp_path / "pid"
    with out.open("w") as fh:
        proc = subprocess.run([sys.executable, "-c", code], stdout=fh, stderr=subprocess.DEVNULL, timeout=60)
    assert proc.returncode == -9
    pid = int(out.read_text().split()[0])
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        try:  # a zombie of init counts as ended
            if open(f"/proc/{pid}/status").read().split("State:")[1].split()[0] == "Z":
                return
        except (FileNotFoundError, IndexError):
            return
        time.sleep(0.2)
    os.kill(pid, 9)
    pytest.fail(f"validation worker {pid} outlived its server")


# =========================================================================== pages


@pytest.mark.parametrize("path", ["/year/99999999999999999999", "/year/-5", "/year/0", "/year/\uff12\uff10\uff12\uff15",
                                  "/year/2024.0", "/year/%20%32%30%32%34",
                                  f"/policies?region={BASE}id/policy/cn-new-energy-storage-guiding-opinions"])
def test_odd_year_and_filter_values_are_typed_404s(sparql, path):
    client, _ = sparql
    r = client.get(path)
    assert r.status_code in (404, 422), r.text
    assert r.headers["content-type"].startswith("application/problem+json") and "Accept" in r.headers.get("vary", "")


def test_merge_and_validate_refuse_other_methods_with_allow(sparql):
    client, _ = sparql
    for method in ("PUT", "DELETE", "PATCH"):
        for path in ("/validate", "/merge"):
            r = client.request(method, path)
            assert r.status_code == 405 and "POST" in r.headers.get("allow", ""), (method, path, r.text)
            assert r.json()["type"].endswith("/MethodNotAllowed")


# =========================================================================== JSON literals are data, not contexts


@pytest.mark.parametrize("form", ["term", "value-object"])
def test_a_json_literal_holding_our_context_url_is_stored_as_sent(form):
    from policykg.rdfio import format_for_media_type, parse_rdf

    inner = {"@context": "https://w3id.org/policykg/context.jsonld", "a": 1}
    ctx = {"@version": 1.1, "dcterms": "http://purl.org/dc/terms/",
           "j": {"@id": "dcterms:description", "@type": "@json"}}
    value = inner if form == "term" else {"@value": inner, "@type": "@json"}
    key = "j" if form == "term" else "dcterms:description"
    doc = {"@context": ctx, "@id": f"{BASE}id/policy/cn-j", key: value}
    ds = parse_rdf(json.dumps(doc).encode(), format_for_media_type("application/ld+json"), source="b")
    (literal,) = [q[2] for q in ds.quads((None, None, None, None))]
    assert json.loads(str(literal)) == inner


def test_a_json_literal_naming_a_remote_context_is_data_not_a_fetch():
    from policykg.rdfio import format_for_media_type, parse_rdf

    ctx = {"@version": 1.1, "dcterms": "http://purl.org/dc/terms/",
           "j": {"@id": "dcterms:description", "@type": "@json"}}
    doc = {"@context": ctx, "@id": f"{BASE}id/policy/cn-j", "j": {"@context": "https://example.org/x"}}
    ds = parse_rdf(json.dumps(doc).encode(), format_for_media_type("application/ld+json"), source="b")
    assert len(list(ds.quads((None, None, None, None)))) == 1


def test_a_yaml_alias_bomb_is_refused_at_once(make_client):
    lines = ["anchors:", "  t0: &t0 {indicator: wind capacity, year: 2027, value: 10, unit: million kilowatts, "
             "comparator: more than}", "  l1: &l1 [" + ", ".join(["*t0"] * 10) + "]"]
    lines += [f"  l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(2, 6)]
    lines += ["policies:", "  - {title_en: A Plan, genre: Implementation Plan, jurisdiction: CN-FJ, level: provincial, "
              "targets: *l5}"]
    client, _ = make_client()
    with client:
        started = time.monotonic()
        r = client.post("/validate", content="\n".join(lines).encode(), headers={"Content-Type": "application/yaml"})
    assert r.status_code == 400 and "alias" in r.json()["detail"], r.text
    assert time.monotonic() - started < 3


@pytest.mark.parametrize("value", ["../../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "ccnt-2024-03-04.txt\x00.rq",
                                   "*", "%", "' } SELECT * WHERE { ?s ?p ?o } #"])
def test_odd_briefing_names_are_404_or_422(sparql, value):
    client, _ = sparql
    r = client.get("/api/queries/briefing-contents", params={"briefing": value, "format": "json"})
    assert r.status_code in (404, 422), r.text


# =========================================================================== the command line


@pytest.mark.parametrize("query,fmt", [
    ("SELECT ?t WHERE { BIND(<<( <http://a> <http://b> <http://c> )>> AS ?t) }", "json"),
    ("SELECT ?t WHERE { BIND(<<( <http://a> <http://b> <http://c> )>> AS ?t) }", "csv"),
    ("CONSTRUCT { <http://s> <http://p> <<( <http://a> <http://b> <http://c> )>> } WHERE {}", None),
])
def test_the_cli_query_answers_triple_terms(tmp_path, monkeypatch, query, fmt):
    import os

    from typer.testing import CliRunner

    from policykg.cli import app as cli_app
    from tests.sparql_helpers import sample_store

    for key in [k for k in os.environ if k.startswith("POLICYKG_")]:
        monkeypatch.delenv(key)
    store = tmp_path / "store"
    sample_store(Settings(), store).close()
    result = CliRunner().invoke(cli_app, ["query", "--store", str(store), query] + (["--format", fmt] if fmt else []))
    failed = result.exception if not isinstance(result.exception, SystemExit) else None
    del result.exc_info  # the traceback would keep the store (and its lock) alive
    assert failed is None and result.exit_code == 0 and "http://c" in result.output, (failed, result.output)


# =========================================================================== concurrent merges into one graph


def test_a_csv_and_plain_rdf_racing_for_one_new_graph_never_both_win(make_client):
    client, store = make_client()
    graph = BASE + "graph/contested"
    answers = {}

    def send(kind):
        if kind == "csv":
            answers[kind] = client.post("/merge", content=(HEADER + HEBEI).encode(), headers=CSV, params={"graph": graph})
        else:
            answers[kind] = client.post("/merge", content=POLICY.encode(), headers=TTL, params={"graph": graph})

    with client:
        threads = [threading.Thread(target=send, args=(k,)) for k in ("csv", "ttl")]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        codes = sorted(r.status_code for r in answers.values())
        assert codes == [200, 409], {k: r.text[:300] for k, r in answers.items()}
        winner = next(k for k, r in answers.items() if r.status_code == 200)
        held = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        assert int(held[0]["n"]) == answers[winner].json()["changes"][0]["after"]["triples"]


# =========================================================================== what the fixes must not break


def test_the_same_curated_file_edited_still_replaces_its_own_graph(make_client, tmp_path):
    """Sources compare by (document, file name): the same file sent again to its graph, by HTTP or after
    `policykg merge my.csv` (graph/my-csv), is the same source, and is replaced without replace=true."""
    client, store = make_client()
    edited = HEBEI.replace("10000", "12000")
    with client:
        for g in ("dup", "dup-csv"):
            for body in (HEBEI, edited):
                r = client.post("/merge", content=(HEADER + body).encode(), headers=CSV,
                                params={"graph": BASE + "graph/" + g})
                assert r.status_code == 200, (g, r.text)
        # graph/dup-csv still names its own source after graph/dup was replaced
        rows = store.select(f"SELECT ?d ?f WHERE {{ GRAPH <{BASE}graph/dup-csv> {{ ?d a <{PKG.Briefing}> ; "
                            f"<{DCTERMS.source}> ?f }} }}")
        assert [(str(r["d"]), str(r["f"])) for r in rows] == [(f"{BASE}id/briefing/dup-csv", "dup.csv")]
        # a body without ?graph= fills graph/entry-{hash}, and its document node has that graph's name
        r = client.post("/merge", content=(HEADER + HEBEI).encode(), headers=CSV)
        assert r.status_code == 200, r.text
        graph = r.json()["written"][0]
        assert r.json()["changes"][0]["after"]["sources"][0]["document"] == graph.replace("/graph/", "/id/briefing/")


def test_a_curated_file_merged_from_the_command_line_then_sent_over_http_is_the_same_source(tmp_path):
    from typer.testing import CliRunner

    from policykg.cli import app as cli_app

    settings = Settings(store_path=tmp_path / "store", write_token="secret")
    path = tmp_path / "my.csv"
    path.write_text(HEADER + HEBEI, encoding="utf-8")
    result = CliRunner().invoke(cli_app, ["merge", "--store", str(settings.store_path), str(path)])
    assert result.exit_code == 0, result.output
    with OxigraphStore(settings.store_path, settings.base_iri) as store:
        client = TestClient(create_app(settings, store, curated_reader=_curated_reader(settings)))
        with client:
            r = client.post("/merge", content=(HEADER + HEBEI.replace("10000", "11000")).encode(), headers=CSV,
                            params={"graph": BASE + "graph/my-csv"})
        assert r.status_code == 200 and r.json()["replaced"] == [BASE + "graph/my-csv"], r.text


def test_a_briefing_with_a_source_url_is_the_same_source_when_loaded_again(tmp_path):
    """A loaded briefing's node has dcterms:identifier (its file) and dcterms:source (its URL): the store and
    the new entries must name it by the same one, or a reload would be refused as another source."""
    from policykg.ingest import Entry, check_replacements

    name, g = briefing_graph("brief-url")
    doc = next(g.subjects(RDF.type, PKG.Briefing))
    g.add((doc, DCTERMS.source, URIRef("https://www.example.org/zzz-briefing.html")))
    with OxigraphStore(None, BASE) as store:
        store.replace_graphs({name: g})
        held = check_replacements(store, [Entry(name, g, "brief-url.txt")])
        assert held[name].sources == {doc: "brief-url.txt"}


@pytest.mark.parametrize("name", ["graph/caf%C3%A9-notes", "graph/政策-一", "graph/meta-notes", "graph/a%2Db"])
def test_plain_and_visible_non_ascii_graph_names_are_still_written(make_client, name):
    client, _ = make_client()
    with client:
        r = client.post("/merge", content=(PREFIXES + bare_policies(1)).encode(), headers=TTL,
                        params={"graph": BASE + name})
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("name", ["graph/Ｍｅｔａ", "graph/ｒｅｆｅｒｅｎｃｅ", "graph/%25E2%2580%258Bmeta"])
def test_compatibility_forms_and_double_encoding_of_own_graphs_are_refused(make_client, name):
    client, store = make_client()
    before = store.dump_nquads()
    with client:
        r = client.post("/merge", content=(PREFIXES + bare_policies(1)).encode(), headers=TTL,
                        params={"graph": BASE + name})
    assert r.status_code == 400 and r.json()["field"] == "graph", r.text
    assert store.dump_nquads() == before


def test_a_csv_within_the_limit_is_still_validated_and_an_over_limit_one_says_at_least(make_client):
    client, _ = make_client(max_validate_focus_nodes=50)
    with client:
        r = client.post("/validate", content=_rows_csv(3), headers={"Content-Type": "text/csv"})
        assert r.status_code == 200 and "conforms" in r.json(), r.text
        r = client.post("/validate", content=_rows_csv(60), headers={"Content-Type": "text/csv"})
    assert r.status_code == 413 and r.json()["count"] == 61 and "at least 61" in r.json()["detail"], r.text


def test_a_curated_file_with_few_bad_cells_lists_them_all(make_client):
    client, _ = make_client(max_report_results=20)
    with client:
        r = client.post("/validate", content=_rows_csv(5, year="twenty"), headers={"Content-Type": "text/csv"})
    problem = r.json()
    assert r.status_code == 400 and len(problem["problems"]) == 5, r.text
    assert "truncated" not in problem and problem["detail"].count("'twenty' is not a year") == 5
    with client:
        r = client.post("/validate", content=_rows_csv(30, year="twenty"), headers={"Content-Type": "text/csv"})
    problem = r.json()
    assert problem["truncated"] is True and problem["problems_omitted"] == 10 and len(problem["problems"]) == 20
    assert problem["detail"].count("'twenty' is not a year") == 20 and "10 more problem(s)" in problem["detail"]


@pytest.mark.parametrize("doc", [
    # a term typed @json in one node, redefined as a plain property in a nested node: checked there
    {"@context": {"@version": 1.1, "j": {"@id": "http://purl.org/dc/terms/description", "@type": "@json"}},
     "@id": f"{BASE}id/policy/cn-j", "http://purl.org/dc/terms/relation": {
         "@context": {"j": {"@id": "http://purl.org/dc/terms/relation"}}, "@id": f"{BASE}id/policy/cn-k",
         "j": {"@context": "https://example.org/x", "@id": f"{BASE}id/policy/cn-l"}}},
    # a term of no @json type: its value is a node object, whose remote context is refused
    {"@context": {"@version": 1.1, "j": {"@id": "http://purl.org/dc/terms/relation"}},
     "@id": f"{BASE}id/policy/cn-j", "j": {"@context": "https://example.org/x", "@id": f"{BASE}id/policy/cn-k"}},
])
def test_a_remote_context_outside_json_literals_is_still_refused(doc):
    from policykg.errors import InputError
    from policykg.rdfio import format_for_media_type, parse_rdf

    with pytest.raises(InputError, match="refers to a document"):
        parse_rdf(json.dumps(doc).encode(), format_for_media_type("application/ld+json"), source="b")


def test_our_context_in_a_nested_node_is_still_inlined_beside_a_json_literal():
    from policykg.rdfio import format_for_media_type, parse_rdf

    ctx = {"@version": 1.1, "dcterms": "http://purl.org/dc/terms/",
           "j": {"@id": "dcterms:description", "@type": "@json"}}
    doc = {"@context": ctx, "@id": f"{BASE}id/policy/cn-j", "j": {"x": 1},
           "dcterms:relation": {"@context": "https://w3id.org/policykg/context.jsonld", "@id": "pkg:x",
                                "dcterms:title": "X"}}
    ds = parse_rdf(json.dumps(doc).encode(), format_for_media_type("application/ld+json"), source="b")
    assert (URIRef(f"{PKG}x"), DCTERMS.title, Literal("X")) in ds.default_graph


@pytest.mark.parametrize("fmt,expected", [
    ("json", '"<<( <http://a> <http://b> \\"c\\"@en )>>"'),
    ("csv", '"<<( <http://a> <http://b> ""c""@en )>>"'),
    (None, '<<( <http://a> <http://b> "c"@en )>>'),  # off a terminal: tab-separated values
])
def test_the_cli_query_writes_a_triple_term_in_n_triples_form(tmp_path, monkeypatch, fmt, expected):
    import os

    from typer.testing import CliRunner

    from policykg.cli import app as cli_app

    for key in [k for k in os.environ if k.startswith("POLICYKG_")]:
        monkeypatch.delenv(key)
    settings = Settings(store_path=tmp_path / "store")
    with OxigraphStore(settings.store_path, settings.base_iri):
        pass
    query = 'SELECT ?t WHERE { BIND(<<( <http://a> <http://b> "c"@en )>> AS ?t) }'
    result = CliRunner().invoke(cli_app, ["query", "--store", str(settings.store_path), query]
                                + (["--format", fmt] if fmt else []))
    assert result.exit_code == 0 and expected in result.output, result.output


def test_the_cli_construct_with_triple_terms_is_turtle_1_2_and_without_them_unchanged(tmp_path, monkeypatch):
    import os

    from typer.testing import CliRunner

    from policykg.cli import app as cli_app

    for key in [k for k in os.environ if k.startswith("POLICYKG_")]:
        monkeypatch.delenv(key)
    settings = Settings(store_path=tmp_path / "store")
    with OxigraphStore(settings.store_path, settings.base_iri):
        pass
    q = "CONSTRUCT { <http://s> <http://p> <<( <http://a> <http://b> <http://c> )>> } WHERE {}"
    result = CliRunner().invoke(cli_app, ["query", "--store", str(settings.store_path), q])
    assert result.exit_code == 0, result.output
    parsed = list(ox.parse(result.output.encode(), format=ox.RdfFormat.TURTLE))
    assert parsed == [ox.Quad(ox.NamedNode("http://s"), ox.NamedNode("http://p"), ox.Triple(
        ox.NamedNode("http://a"), ox.NamedNode("http://b"), ox.NamedNode("http://c")))]
    q = f'CONSTRUCT {{ <{BASE}id/policy/x> <{DCTERMS.title}> "17"^^<http://www.w3.org/2001/XMLSchema#double> }} WHERE {{}}'
    result = CliRunner().invoke(cli_app, ["query", "--store", str(settings.store_path), q])
    assert result.exit_code == 0 and '"17"^^xsd:double' in result.output, result.output
