"""Eleventh attacking review: the web changes of session 9 (commits 53ccff5..63762ec) as a hostile or careless
client and as a careful linked-data / SPARQL user: ``/sparql?format=`` (``api.sparql.format_override``), the HTML
view of ``/.well-known/void`` (``api.meta.dataset_page``), the ``text/plain`` hint of ``/validate``
(``api.validate._plain_text_hint``), the ``/policies`` filters over region parts and narrower concepts
(``policykg.describe.list_policies``, ``facet_options``), and the end-of-body VALUES block of a sub-SELECT on a
remote store (``policykg.remote.insert_values``).

A test marked ``xfail(strict=True)`` asserts the correct behaviour and fails today (a defect, with its cause and
a suggested fix as the reason); unmarked tests are attacks that held. Apps are built in process on fresh
in-memory stores with the sample graph (``linked_data_helpers.make_store``); hostile data goes in as an extra
named graph. Remote comparisons run an ``oxigraph serve`` (skipped when the binary is missing), as
tests/test_attacks9.py does.
"""

from __future__ import annotations

import re
import sys
import warnings
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import Literal, URIRef

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the helpers, as other test files import them

from linked_data_helpers import make_store
from serve_helpers import oxigraph_server

from api import create_app
from policykg.describe import PolicyFilters, facet_options, list_policies
from policykg.errors import PolicyKGError
from policykg.remote import RemoteStore
from policykg.settings import PROJECT_ROOT, Settings
from policykg.store import OxigraphStore
from policykg.vocab import DCTERMS, PKG, RDF

with warnings.catch_warnings():  # starlette 1.x warns when its test client runs on httpx rather than httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

BASE = "https://w3id.org/policykg/"
SKOS = rdflib.namespace.SKOS
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SELECT = f"SELECT ?s WHERE {{ ?s a <{PKG.Policy}> }} ORDER BY ?s LIMIT 2"


@pytest.fixture(scope="module")
def client():
    """A TestClient on the sample graph (read-only use)."""
    store = make_store()
    with TestClient(create_app(Settings(base_iri=BASE), store), raise_server_exceptions=False) as c:
        yield c
    store.close()


def _csv_rows(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln]


# ------------------------------------------------------------------ /sparql?format=


@pytest.mark.parametrize("fmt,query,want", [
    ("text/csv;charset=utf-8", SELECT, "text/csv"),
    ("text/turtle; charset=utf-8", "CONSTRUCT WHERE { ?s a ?c } LIMIT 1", "text/turtle"),
])
def test_format_as_a_media_type_with_parameters(client, fmt, query, want):
    r = client.get("/sparql", params={"query": query, "format": fmt})
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"].startswith(want)


def test_format_overrides_accept_in_any_case_and_spacing(client):
    reference = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/csv"})
    assert reference.status_code == 200
    for fmt in ("csv", " CSV ", "TEXT/CSV", "text/csv"):
        r = client.get("/sparql", params={"query": SELECT, "format": fmt},
                       headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv"), fmt
        assert _csv_rows(r.text) == _csv_rows(reference.text)


def test_format_works_on_head_post_cors_and_with_default_graph_uri(client):
    get = client.get("/sparql", params={"query": SELECT, "format": "csv"})
    head = client.head("/sparql", params={"query": SELECT, "format": "csv"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert int(head.headers["content-length"]) == len(get.content)
    form = client.post("/sparql", data={"query": SELECT, "format": "csv"})
    direct = client.post("/sparql?output=csv", content=SELECT, headers={"Content-Type": "application/sparql-query"})
    cors = client.get("/sparql", params={"query": SELECT, "format": "csv"}, headers={"Origin": "https://x.example"})
    for r in (form, direct, cors):
        assert r.status_code == 200 and r.content == get.content
    graph = f"{BASE}graph/ccnt-2024-03-04"
    dgu = client.get("/sparql", params={"query": SELECT, "format": "tsv", "default-graph-uri": graph})
    assert dgu.status_code == 200 and dgu.headers["content-type"].startswith("text/tab-separated-values")


def test_format_refuses_wildcards_repeats_and_q_zero_naming_the_field(client):
    for params in ({"format": "*/*"}, {"format": "application/sparql-results+json;q=0"},
                   {"format": "csv", "output": "json"}):
        r = client.get("/sparql", params={"query": SELECT, **params})
        assert r.status_code == 422, params
        assert "format" in r.text
    both = client.post("/sparql?format=csv", data={"query": SELECT, "format": "csv"})
    assert both.status_code == 422


def test_a_cache_keyed_on_the_url_and_accept_cannot_mix_formats(client):
    """The format= answer does not depend on Accept; the plain one does and says so (Vary: Accept)."""
    plain_json = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "application/sparql-results+json"})
    plain_csv = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/csv"})
    assert plain_json.headers["content-type"] != plain_csv.headers["content-type"]
    for r in (plain_json, plain_csv):
        assert "accept" in r.headers["vary"].lower()
        assert plain_json.headers.get("etag") is None or plain_json.headers.get("etag") != plain_csv.headers.get("etag")
    html = client.get("/sparql", params={"query": SELECT, "format": "json"}, headers={"Accept": BROWSER})
    assert html.headers["content-type"].startswith("application/sparql-results+json")


# ------------------------------------------------------------------ /.well-known/void as HTML


def test_void_html_and_rdf_validators_and_format_links(client):
    html = client.get("/.well-known/void", headers={"Accept": BROWSER})
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "accept" in html.headers["vary"].lower()
    # a client asking for Turtle with the HTML validator gets Turtle, not a 304
    ttl = client.get("/.well-known/void", headers={"Accept": "text/turtle", "If-None-Match": html.headers["etag"]})
    assert ttl.status_code == 200 and ttl.headers["content-type"].startswith("text/turtle")
    assert client.get("/.well-known/void?format=HTML").headers["content-type"].startswith("text/html")
    links = re.findall(r'<link rel="alternate" type="([^"]+)" href="(/\.well-known/void[^"]*)"', html.text)
    assert len(links) == 4
    for media, href in links:
        r = client.get(href, headers={"Accept": BROWSER})
        assert r.status_code == 200 and r.headers["content-type"].startswith(media), href
        rdflib.Graph().parse(data=r.content, format={"text/turtle": "turtle", "application/ld+json": "json-ld",
                                                     "application/n-triples": "nt",
                                                     "application/rdf+xml": "xml"}[media])


def test_void_html_with_a_hostile_store_links_nothing_unsafe_and_escapes_titles():
    store = make_store()
    g = rdflib.Graph()
    evil = URIRef("javascript:alert(1)")
    g.add((evil, RDF.type, PKG.Briefing))
    g.add((evil, DCTERMS.title, Literal("<script>alert(1)</script>")))
    b = URIRef(f"{BASE}id/briefing/attack11")
    g.add((b, RDF.type, PKG.Briefing))
    g.add((b, DCTERMS.title, Literal('<img src=x onerror="alert(2)">')))
    d = URIRef(f"{BASE}dataset/attack11")
    g.add((d, RDF.type, VOID.Dataset))
    g.add((d, DCTERMS.title, Literal("<i>subset</i>")))
    g.add((d, DCTERMS.license, URIRef("javascript:alert(3)")))
    nolabel = URIRef(f"{BASE}id/briefing/attack11-untitled")
    g.add((nolabel, RDF.type, PKG.Briefing))
    store.replace_graphs({URIRef(f"{BASE}graph/attack11"): g})
    with TestClient(create_app(Settings(base_iri=BASE), store), raise_server_exceptions=False) as c:
        r = c.get("/.well-known/void", headers={"Accept": BROWSER})
    store.close()
    assert r.status_code == 200
    assert not [a for a in re.findall(r"""(?:href|src)\s*=\s*["']?\s*([^"' >]*)""", r.text, re.IGNORECASE)
                if a.lower().startswith(("javascript:", "data:", "vbscript:"))]
    assert "<script>alert" not in r.text and "<img src=x" not in r.text and "<i>subset" not in r.text
    assert str(nolabel) in r.text  # a briefing without a title is shown by its IRI


def test_void_html_validator_is_per_host_and_lists_every_class_partition():
    store = make_store()
    g = rdflib.Graph()
    for i in range(1500):  # a store with many classes: the page lists them all, as the RDF does
        g.add((URIRef(f"{BASE}id/x/att11-{i}"), RDF.type, URIRef(f"{PKG}Att11Class{i}")))
    store.replace_graphs({URIRef(f"{BASE}graph/attack11"): g})
    with TestClient(create_app(Settings(base_iri=BASE), store), raise_server_exceptions=False) as c:
        a = c.get("/.well-known/void", headers={"Accept": BROWSER, "Host": "a.example"})
        b = c.get("/.well-known/void", headers={"Accept": BROWSER, "Host": "b.example",
                                                "If-None-Match": a.headers["etag"]})
        ttl = c.get("/.well-known/void?format=ntriples")
    store.close()
    assert a.status_code == 200 and b.status_code == 200  # the body names the host's endpoint: not a 304
    assert "http://b.example/sparql" in b.text and a.headers["etag"] != b.headers["etag"]
    partitions = ttl.text.count("<http://rdfs.org/ns/void#classPartition>")
    assert a.text.count('<a href="/ontology#') >= partitions >= 1500


# ------------------------------------------------------------------ the text/plain hint of /validate


@pytest.fixture(scope="module")
def validator(tmp_path_factory):
    from policykg.cli import _curated_reader

    settings = Settings(store_path=tmp_path_factory.mktemp("v11") / "store", max_upload_bytes=20_000)
    store = OxigraphStore(settings.store_path, settings.base_iri)
    with TestClient(create_app(settings, store, curated_reader=_curated_reader(settings)),
                    raise_server_exceptions=False) as c:
        yield c
    store.close()


CSV = (PROJECT_ROOT / "data" / "templates" / "policies.csv").read_bytes()
HINT = "send a curated-entry CSV as text/csv"


@pytest.mark.parametrize("body", [
    '\ufeff<https://e.org/a> <https://e.org/p> "one, two"\n'.encode(),   # BOM ignored; the missing '.' is the error
    b'{"@id": "https://e.org/a", "https://e.org/p": "one, two"}\n',
], ids=["ntriples-with-bom", "json-ld"])
def test_no_csv_hint_for_rdf_that_is_not_csv(validator, body):
    r = validator.post("/validate", content=body, headers={"Content-Type": "text/plain"})
    assert r.status_code == 400
    assert HINT not in r.json()["detail"]


def test_the_csv_hint_is_given_once_for_csv_and_only_for_text_plain(validator):
    for body, ctype in ((CSV, "text/plain"), (b"\xef\xbb\xbf" + CSV, "text/plain"),
                        (CSV.replace(b"\n", b"\r\n"), "Text/Plain; charset=utf-8")):
        r = validator.post("/validate", content=body, headers={"Content-Type": ctype})
        assert r.status_code == 400 and r.json()["detail"].count(HINT) == 1
    nt_comma = b'<https://e.org/a> <https://e.org/p> "one, two" .\n<https://e.org/a> <https://e.org/p> "z"\n'
    r = validator.post("/validate", content=nt_comma, headers={"Content-Type": "text/plain"})
    assert r.status_code == 400 and HINT not in r.json()["detail"] and r.json()["line"] == 3
    for body in (b"", b" \n\n"):
        r = validator.post("/validate", content=body, headers={"Content-Type": "text/plain"})
        assert r.status_code == 400 and HINT not in r.json()["detail"]
    huge = validator.post("/validate", content=CSV + b"policy,x" + b"," * 20 + b"\n" * 2000 * 10,
                          headers={"Content-Type": "text/plain"})
    assert huge.status_code == 413 and HINT not in huge.json()["detail"]
    ok = validator.post("/validate", content=b'<https://e.org/a> <https://e.org/p> "x, y" .\n',
                        headers={"Content-Type": "text/plain"})
    assert ok.status_code == 200


# ------------------------------------------------------------------ /policies filters

IB, IN = URIRef(f"{BASE}id/instrument/att11-broad"), URIRef(f"{BASE}id/instrument/att11-narrow")
SB, SN = URIRef(f"{BASE}id/sector/att11-broad"), URIRef(f"{BASE}id/sector/att11-narrow")
CA, CB = URIRef(f"{BASE}id/sector/att11-cycle-a"), URIRef(f"{BASE}id/sector/att11-cycle-b")
RA, RB = URIRef(f"{BASE}id/region/att11-a"), URIRef(f"{BASE}id/region/att11-b")
P1 = URIRef(f"{BASE}id/policy/att11-p1")
TWINS = [URIRef(f"{BASE}id/policy/att11-twin-{i}") for i in range(5)]
AG1, AG2 = URIRef(f"{BASE}id/agency/att11-z"), URIRef(f"{BASE}id/agency/att11-m")


def _hostile_policies() -> rdflib.Graph:
    """Narrower concepts, a region cycle (pkg:partOf), a concept cycle (skos:broader), five policies with the same
    date and title, and an agency label holding the GROUP_CONCAT separator."""
    g = rdflib.Graph()
    g.add((IN, SKOS.broader, IB))
    g.add((SN, SKOS.broader, SB))
    g.add((CA, SKOS.broader, CB))
    g.add((CB, SKOS.broader, CA))
    g.add((RA, PKG.partOf, RB))
    g.add((RB, PKG.partOf, RA))
    for x, label in ((IB, "Att11 broad instrument"), (IN, "Att11 narrow instrument"), (SB, "Att11 broad sector"),
                     (SN, "Att11 narrow sector"), (RA, "Att11 region A"), (RB, "Att11 region B"),
                     (AG1, "Zeta Office; Alpha Unit"), (AG2, "Middle Bureau")):
        g.add((x, SKOS.prefLabel, Literal(label, lang="en")))
    g.add((P1, RDF.type, PKG.Policy))
    g.add((P1, DCTERMS.title, Literal("Att11 policy", lang="en")))
    g.add((P1, PKG.usesInstrument, IN))
    g.add((P1, PKG.sector, SN))
    g.add((P1, PKG.sector, CA))
    g.add((P1, PKG.jurisdiction, RA))
    g.add((P1, PKG.issuedBy, AG1))
    g.add((P1, PKG.issuedBy, AG2))
    for t in TWINS:
        g.add((t, RDF.type, PKG.Policy))
        g.add((t, DCTERMS.title, Literal("Att11 twin", lang="en")))
        g.add((t, PKG.publicationDate, Literal("2031-01-01", datatype=rdflib.XSD.date)))
        g.add((t, PKG.jurisdiction, RB))
    return g


@pytest.fixture(scope="module")
def hostile_store():
    store = make_store()
    store.replace_graphs({URIRef(f"{BASE}graph/attack11"): _hostile_policies()})
    yield store
    store.close()


def _listed(store, **filters) -> list[str]:
    return [r["link"].iri for r in list_policies(store, PolicyFilters(**filters), BASE)]


def test_instrument_and_sector_filters_both_through_narrower_concepts(hostile_store):
    assert _listed(hostile_store, instrument=IB) == [str(P1)]
    assert _listed(hostile_store, sector=SB) == [str(P1)]
    assert _listed(hostile_store, instrument=IB, sector=SB) == [str(P1)]


def test_cycles_in_part_of_and_broader_terminate_and_match(hostile_store):
    assert str(P1) in _listed(hostile_store, region=RB)
    assert set(_listed(hostile_store, region=RA)) == {str(P1), *map(str, TWINS)}  # A is part of B is part of A
    assert _listed(hostile_store, sector=CB) == [str(P1)]
    assert _listed(hostile_store, instrument=IB, region=RA, q="att11 POLICY") == [str(P1)]
    assert _listed(hostile_store, region=RA, q="no such title") == []


def test_facet_counts_equal_the_list_lengths(hostile_store):
    facets = facet_options(hostile_store, BASE)
    for facet in ("region", "agency", "instrument", "sector"):
        for option in facets[facet]:
            iri = URIRef(f"{BASE}id/{facet}/{option['slug']}")
            assert len(_listed(hostile_store, **{facet: iri}, limit=1000)) == option["count"], (facet, option)
    assert [o["label"].casefold() for o in facets["sector"]] == sorted(o["label"].casefold() for o in facets["sector"])


def test_paging_is_a_total_order_for_same_date_same_title(hostile_store):
    whole = _listed(hostile_store, region=RB, limit=100)
    pages = [_listed(hostile_store, region=RB, limit=2, offset=o) for o in range(0, len(whole), 2)]
    assert [x for p in pages for x in p] == whole
    assert len(set(whole)) == len(whole) == 6


def test_issuer_labels_holding_the_separator_stay_whole(hostile_store):
    row = next(r for r in list_policies(hostile_store, PolicyFilters(q="Att11 policy"), BASE)
               if r["link"].iri == str(P1))
    assert row["issuers"] in ("Middle Bureau; Zeta Office; Alpha Unit", "Zeta Office; Alpha Unit; Middle Bureau")


def test_policies_page_combines_filters_over_http(hostile_store):
    with TestClient(create_app(Settings(base_iri=BASE), hostile_store), raise_server_exceptions=False) as c:
        r = c.get("/policies", params={"region": "att11-b", "q": "twin"})
        assert r.status_code == 200
        assert r.text.count("/doc/policy/att11-twin-") == 5
        again = c.get("/policies", params={"region": "att11-b", "q": "twin"}, headers={"If-None-Match": r.headers["etag"]})
        assert again.status_code == 304


# ------------------------------------------------------------------ the same pages on a remote store


@pytest.fixture(scope="module")
def remote_pair(tmp_path_factory, hostile_store):
    """(embedded hostile store, RemoteStore on ``oxigraph serve`` holding the same quads)."""
    with oxigraph_server(str(tmp_path_factory.mktemp("oxi-a11"))) as url:
        remote = RemoteStore(Settings(sparql_endpoint=f"{url}/query", sparql_update_endpoint=f"{url}/update",
                                      query_timeout_s=20))
        quads = hostile_store.raw.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8")
        named = "\n".join(line for line in quads.splitlines() if line.strip())
        remote._update(f"INSERT DATA {{ {_as_graph_blocks(named)} }}")
        yield hostile_store, remote


def _as_graph_blocks(nquads: str) -> str:
    """``GRAPH <g> { triples }`` blocks of N-Quads lines (every sample quad is in a named graph)."""
    graphs: dict[str, list[str]] = {}
    for q in ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS):
        graphs.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    return " ".join(f"GRAPH {g} {{ {' '.join(ts)} }}" for g, ts in graphs.items())


@pytest.mark.parametrize("filters", [
    {"region": RA}, {"region": URIRef(f"{BASE}id/region/CN")}, {"sector": CB}, {"instrument": IB},
    {"region": RB, "q": "twin"}, {"region": RB, "limit": 2, "offset": 2},
], ids=["cycle", "country", "concept-cycle", "narrower", "q", "page"])
def test_the_policies_list_is_the_same_on_a_remote_store(remote_pair, filters):
    embedded, remote = remote_pair
    assert _listed(remote, **filters) == _listed(embedded, **filters)


def test_facets_are_the_same_on_a_remote_store(remote_pair):
    embedded, remote = remote_pair
    assert facet_options(remote, BASE) == facet_options(embedded, BASE)


# ------------------------------------------------------------------ insert_values: sub-SELECTs projecting a parameter

_DATA = ('INSERT DATA { GRAPH <https://w3id.org/policykg/graph/attack11> { <http://e/a> <http://e/p> "x" . '
         '<http://e/b> <http://e/p> "y" . <http://e/a> <http://e/n> 3 . <http://e/b> <http://e/n> 5 } }')
X = Literal("x")


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    with oxigraph_server(str(tmp_path_factory.mktemp("oxi-bind11"))) as url:
        remote = RemoteStore(Settings(sparql_endpoint=f"{url}/query", sparql_update_endpoint=f"{url}/update",
                                      query_timeout_s=10))
        remote._update(_DATA)
        embedded = OxigraphStore(None, BASE)
        embedded.raw.update(_DATA)
        yield embedded, remote


def _select(store, sparql: str) -> object:
    try:
        return sorted(tuple(sorted((k, str(v)) for k, v in row.items())) for row in store.select(sparql, {"t": X}))
    except (PolicyKGError, RuntimeError, ValueError) as exc:
        return f"{type(exc).__name__}: {str(exc)[:200]}"


def _held(id_: str, sparql: str):
    return pytest.param(sparql, id=id_)


@pytest.mark.parametrize("sparql", [
    # was: the sub-SELECT's VALUES block went at the end of its body, after the MINUS, so the MINUS's left
    # side had ?t unbound, shared no variable and removed nothing; a MINUS sharing it moves the block first
    pytest.param("SELECT ?s ?t WHERE { { SELECT ?s ?t WHERE { ?s <http://e/n> ?o MINUS { ?z <http://e/p> ?t } } } }",
                 id="sub-select-minus-shares-the-parameter"),
    pytest.param("SELECT ?s ?t WHERE { ?s <http://e/n> ?o { MINUS { ?z <http://e/p> ?t } } }",
                 id="minus-alone-in-a-nested-group", marks=pytest.mark.xfail(strict=True, reason=(
                     "silent wrong answer against the embedded reference (which binds ?t on both sides of a MINUS, "
                     "as test_attacks9 'minus-sharing-only-the-parameter' chose): policykg/remote.py:insert_values "
                     "puts the block at the start of the WHERE group, but the left side of this MINUS is the nested "
                     "group, evaluated before that join, so nothing is removed. Fix: put the block at the start of "
                     "the group that directly holds a MINUS sharing the parameter"))),
    # was refused by the server: the MINUS group's block went in front of its lone SELECT
    # ('MINUS { VALUES ... SELECT ... }'); it is now wrapped: MINUS { VALUES ... { SELECT ... } }
    pytest.param("SELECT ?s ?t WHERE { ?s <http://e/n> ?o MINUS { SELECT ?z WHERE { ?z <http://e/p> ?t } } }",
                 id="minus-group-is-a-sub-select"),
    _held("sub-bind", "SELECT ?s ?t WHERE { { SELECT ?s ?t WHERE { ?s <http://e/p> ?o BIND(?o AS ?t) } } }"),
    _held("sub-bind-constant", 'SELECT ?s ?t WHERE { { SELECT ?s ?t WHERE { ?s <http://e/n> ?o BIND("x" AS ?t) } } }'),
    _held("sub-values", 'SELECT ?s ?t WHERE { { SELECT ?s ?t WHERE { ?s <http://e/p> ?o VALUES ?t { "x" "y" } } } }'),
    _held("sub-values-other", 'SELECT ?s ?t WHERE { { SELECT ?s ?t WHERE { ?s <http://e/p> ?o VALUES ?t { "y" } } } }'),
    _held("sub-minus-same-triple", "SELECT ?s ?t WHERE { { SELECT ?s ?t WHERE { ?s <http://e/p> ?t "
                                   "MINUS { ?s <http://e/p> ?t } } } }"),
    _held("nested", "SELECT ?s ?t WHERE { { SELECT ?s ?t WHERE { { SELECT ?s ?t WHERE { ?s <http://e/p> ?t } } } } }"),
    _held("nested-unbound", "SELECT ?s ?t WHERE { { SELECT ?s ?t WHERE { { SELECT ?s ?t WHERE "
                            "{ ?s <http://e/n> ?o } } } } }"),
    _held("select-star", "SELECT ?s ?t WHERE { { SELECT * WHERE { ?s <http://e/p> ?t } } }"),
    _held("select-star-unbound", "SELECT ?s ?t WHERE { { SELECT * WHERE { ?s <http://e/n> ?o } } }"),
    _held("group-by", "SELECT ?t ?c WHERE { { SELECT ?t (COUNT(?s) AS ?c) WHERE { ?s <http://e/n> ?o } GROUP BY ?t } }"),
    _held("having", "SELECT ?t ?c WHERE { { SELECT ?t (COUNT(*) AS ?c) WHERE { ?s <http://e/p> ?t } GROUP BY ?t "
                    "HAVING(COUNT(*) > 0) } }"),
    _held("optional", "SELECT ?s ?t WHERE { { SELECT ?s ?t WHERE { ?s <http://e/n> ?o "
                      "OPTIONAL { ?s <http://e/p> ?t } } } }"),
    _held("not-exists", "SELECT ?s ?t WHERE { { SELECT ?s ?t WHERE { ?s <http://e/n> ?o "
                        "FILTER NOT EXISTS { ?s <http://e/p> ?t } } } }"),
    _held("limit", "SELECT ?s ?t WHERE { { SELECT ?s ?t WHERE { ?s <http://e/n> ?o } ORDER BY ?s LIMIT 1 } }"),
    _held("trailing-values-in-sub", 'SELECT ?s ?t WHERE { { SELECT ?s ?t WHERE { ?s <http://e/p> ?o } '
                                    'VALUES ?t { "x" } } }'),
    _held("two-sub-selects", "SELECT ?s ?t WHERE { { SELECT ?s ?t WHERE { ?s <http://e/n> ?o } } "
                             "{ SELECT ?s ?t WHERE { ?s <http://e/p> ?o } } }"),
    _held("bind-in-inner-group", "SELECT ?s ?t WHERE { { SELECT ?s ?t WHERE { ?s <http://e/p> ?o "
                                 "{ BIND(?o AS ?t) } } } }"),
])
def test_a_sub_select_projecting_the_parameter_answers_as_embedded(pair, sparql):
    embedded, remote = pair
    expected = _select(embedded, sparql)
    assert not isinstance(expected, str), expected
    assert _select(remote, sparql) == expected


# ------------------------------------------------------------------ OpenAPI of the changed routes


def test_openapi_documents_the_422_of_format(client):
    paths = client.get("/openapi.json").json()["paths"]
    for method in ("get", "head", "post"):
        op = paths["/sparql"][method]
        assert "format" in [p["name"] for p in op.get("parameters", [])]
        assert "422" in op["responses"], method


def test_openapi_documents_the_format_of_void(client):
    op = client.get("/openapi.json").json()["paths"]["/.well-known/void"]["get"]
    assert "format" in [p["name"] for p in op.get("parameters", [])]


# ------------------------------------------------------------------ a canned query's own LIMIT


def test_a_canned_query_keeps_its_own_limit_and_the_row_cap(tmp_path):
    (tmp_path / "two.rq").write_text(
        "#+ name: two\n#+ summary: two policies\n"
        f"SELECT ?s WHERE {{ ?s a <{PKG.Policy}> }} ORDER BY ?s LIMIT 2\n", encoding="utf-8")
    (tmp_path / "inner.rq").write_text(  # a LIMIT inside a sub-SELECT is not the query's own
        "#+ name: inner\n#+ summary: an inner limit\n"
        "SELECT ?s ?c WHERE { { SELECT ?c WHERE { ?x a ?c } GROUP BY ?c ORDER BY ?c LIMIT 3 } ?s a ?c }\n",
        encoding="utf-8")
    store = make_store()
    for max_rows, want_two in ((1000, 2), (1, 1)):
        app = create_app(Settings(base_iri=BASE, queries_dir=tmp_path, max_result_rows=max_rows), store)
        with TestClient(app, raise_server_exceptions=False) as c:
            r = c.get("/api/queries/two", params={"format": "json"})
            assert r.status_code == 200, r.text[:300]
            assert len(r.json()["results"]["bindings"]) == want_two
            truncated = [v for k, v in r.headers.items() if "truncat" in k.lower()]
            assert truncated == (["true"] if max_rows == 1 else []), r.headers
            inner = c.get("/api/queries/inner", params={"format": "json"})
            assert inner.status_code == 200 and len(inner.json()["results"]["bindings"]) <= max(max_rows, 1)
    store.close()
