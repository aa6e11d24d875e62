"""Attacks on two commits: 4517428 (targets-due-in-year looks up each region's English label inside the
OPTIONALs that find the jurisdiction and the city) and af8cfa0 (the /policies page states a total read from
the background aggregates: "230 policies: 101 to 200 shown").

Tests under a '# fixed (was a strict xfail)' comment were defects, fixed in the same session; the others are
attacks that held and guard the behaviour.
"""
from __future__ import annotations

import collections
import threading
import time

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

import api.resources
import api.summaries
from policykg.settings import PROJECT_ROOT, Settings
from policykg.sparql import load_canned_queries, parse_canned_query
from policykg.vocab import PKG
from tests.sparql_helpers import list_count_text as _count
from tests.sparql_helpers import listed_rows as _listed
from tests.sparql_helpers import running_client, sample_store

BASE = "https://w3id.org/policykg/"
NEW = load_canned_queries(PROJECT_ROOT / "queries")["targets-due-in-year"]


#: The region part of the text before 4517428: the label looked up after the BIND that picks the region.
_OLD_REGION = """  OPTIONAL { ?policy pkg:jurisdiction ?jurisdiction }
  OPTIONAL { ?policy pkg:localJurisdiction ?city }
  BIND(COALESCE(?city, ?jurisdiction) AS ?region)
  OPTIONAL { ?region skos:prefLabel ?regionLabel FILTER(LANG(?regionLabel) = "en") }
"""


def _old_targets_query():
    """The text before 4517428, rebuilt from the shipped one (a clone without history has no older text)."""
    text = (PROJECT_ROOT / "queries" / "targets-due-in-year.rq").read_text(encoding="utf-8")
    start = text.index("  # each region's label is looked up")
    end = text.index("AS ?regionLabel)\n", start) + len("AS ?regionLabel)\n")
    return parse_canned_query(text[:start] + _OLD_REGION + text[end:], "targets-due-in-year")


# --- 4517428: targets-due-in-year ---------------------------------------------------------------------

#: Two jurisdictions; two cities (one labelled only in Chinese); a jurisdiction without any label; a city
#: without a jurisdiction; a city with two English labels; a Chinese-only title; a literal jurisdiction and a
#: blank-node city; labels tagged en-US and EN; and a target whose policy has no region at all.
TARGETS_TRIG = """
@prefix pkg: <https://w3id.org/policykg/ontology#> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix r: <https://w3id.org/policykg/id/region/> . @prefix p: <https://w3id.org/policykg/id/policy/> .
@prefix t: <https://w3id.org/policykg/id/target/> .
<https://w3id.org/policykg/graph/ref> {
 r:CN skos:prefLabel "China"@en . r:SD skos:prefLabel "Shandong"@en , "山东"@zh . r:GD skos:prefLabel "Guangdong"@en .
 r:QD skos:prefLabel "Qingdao"@en , "Tsingtao"@en . r:YT skos:prefLabel "烟台"@zh . r:NOL a pkg:Region .
 r:EN skos:prefLabel "EnUS"@en-US . r:UP skos:prefLabel "Upper"@EN .
}
<https://w3id.org/policykg/graph/a> {
 p:two-jur dcterms:title "Two jur"@en ; pkg:jurisdiction r:SD , r:GD ; pkg:setsTarget t:1 .
 p:two-city dcterms:title "Two city"@en ; pkg:jurisdiction r:SD ; pkg:localJurisdiction r:QD , r:YT ; pkg:setsTarget t:2 .
 p:nolabel-jur dcterms:title "NL jur"@en ; pkg:jurisdiction r:NOL ; pkg:setsTarget t:3 .
 p:city-only dcterms:title "City only"@en ; pkg:localJurisdiction r:QD ; pkg:setsTarget t:4 .
 p:none dcterms:title "None"@en ; pkg:setsTarget t:5 .
 p:zh dcterms:title "中文"@zh ; pkg:jurisdiction r:SD ; pkg:setsTarget t:6 .
 p:literal dcterms:title "Lit"@en ; pkg:jurisdiction "Shandong" ; pkg:localJurisdiction _:b ; pkg:setsTarget t:7 .
 _:b skos:prefLabel "Blank city"@en .
 p:enus dcterms:title "EnUS"@en , "EnUS again"@en ; pkg:jurisdiction r:EN ; pkg:localJurisdiction r:UP ; pkg:setsTarget t:8 .
 p:city-zh dcterms:title "city zh"@en ; pkg:jurisdiction r:SD ; pkg:localJurisdiction r:YT ; pkg:setsTarget t:9 .
}
<https://w3id.org/policykg/graph/b> { p:two-jur pkg:jurisdiction r:CN . p:city-only pkg:jurisdiction r:NOL . }
""" + "".join(f'<https://w3id.org/policykg/graph/y{i}> {{ t:{i} pkg:targetYear "2025"^^xsd:gYear ; pkg:indicator "i{i}" . }}\n'
              for i in range(1, 10))


def _rows(store, text: str) -> collections.Counter:
    res = store.query(text, use_default_graph_as_union=True)
    return collections.Counter(tuple("" if r[v] is None else str(r[v]) for v in res.variables) for r in res)


def test_targets_rows_change_only_for_a_policy_without_region() -> None:
    # Every corner case gives the old rows, but one: a target whose policy has neither jurisdiction nor city.
    # The old text joined its unbound ?region to every English label of the store (a row per labelled
    # resource, China, Qingdao, a blank node...); the new one gives the single row, without region: a fix.
    store = ox.Store()
    store.load(TARGETS_TRIG.encode("utf-8"), format=ox.RdfFormat.TRIG)
    _, b = NEW.bind({"year": "2025"})
    old, new = _rows(store, _old_targets_query().bound_text(b)), _rows(store, NEW.bound_text(b))
    target5 = f"<{BASE}id/target/5>"
    assert {k: v for k, v in old.items() if k[1] != target5} == {k: v for k, v in new.items() if k[1] != target5}
    assert len([k for k in old if k[1] == target5]) > 1
    region_less = [k for k in new if k[1] == target5]
    assert len(region_less) == 1 and region_less[0][-3:] == ("", "", "")
    # a city with no English label: no region label, not its province's
    assert {k[-2] for k in new if k[1] == f"<{BASE}id/target/9>"} == {""}


# --- af8cfa0: the total on /policies ----------------------------------------------------------------------

def _policies(n: int, region: str = "CN-SD", prefix: str = "sd") -> rdflib.Graph:
    """``n`` policies of ``region``: every 3rd titled only in Chinese, every 5th typed twice (and as another
    class), dates of year, month and day precision, odd ones with a city, each issued by NDRC under a narrower
    instrument."""
    g = rdflib.Graph()
    for i in range(n):
        p = URIRef(f"{BASE}id/policy/{prefix}-{i:03d}")
        g.add((p, RDF.type, PKG.Policy))
        g.add((p, DCTERMS.title, Literal(f"{prefix} {i}", lang="zh" if i % 3 == 0 else "en")))
        if i % 5 == 0:
            g.add((p, RDF.type, URIRef(f"{BASE}ontology#Other")))
        g.add((p, PKG.jurisdiction, URIRef(f"{BASE}id/region/{region}")))
        if i % 2:
            g.add((p, PKG.localJurisdiction, URIRef(f"{BASE}id/region/370200")))
        g.add((p, PKG.issuedBy, URIRef(f"{BASE}id/agency/ndrc")))
        g.add((p, PKG.usesInstrument, URIRef(f"{BASE}id/instrument/fiscal-subsidy")))
        lex, dt = [("2023", XSD.gYear), ("2023-05", XSD.gYearMonth), ("2023-05-06", XSD.date)][i % 3]
        g.add((p, PKG.publicationDate, Literal(lex, datatype=dt)))
    return g


SYN = URIRef(f"{BASE}graph/syn")


@pytest.fixture()
def app_store():
    settings = Settings(query_timeout_s=10)
    store = sample_store(settings)
    store.replace_graphs({SYN: _policies(150)})
    with running_client(settings, store) as (client, app):
        yield client, store


def _all_rows(client, params: dict) -> int:
    n, page = 0, 1
    while True:
        r = client.get("/policies", params={**params, "page": page})
        assert r.status_code == 200, (params, r.text[:300])
        k = _listed(r.text)
        n += k
        if k < 100:
            return n
        page += 1


@pytest.mark.parametrize("params", [
    {}, {"region": "CN-SD"}, {"region": "cn-sd"}, {"region": "Shandong"}, {"region": " shandong "},
    {"region": f"{BASE}id/region/CN-SD"}, {"region": "Qingdao"}, {"region": "CN"}, {"agency": "NDRC"},
    {"agency": "national development and reform commission"}, {"instrument": "economic"},
    {"instrument": "ECONOMIC"}, {"year": "2023"}, {"year": "02023"}, {"q": "  "}])
def test_a_filter_given_by_name_or_case_states_the_rows_total(app_store, params) -> None:
    # names, case variants, a full IRI, a broader concept, dates of year/month precision, a policy typed twice
    # and Chinese-only titles: the total the first page states is the number of rows all pages list
    client, _ = app_store
    n = _all_rows(client, params)
    text = _count(client.get("/policies", params=params).text)
    assert text == (f"{n} policies: 1 to 100 shown" if n > 100 else f"{n} {'policy' if n == 1 else 'policies'}"), params


def test_the_total_after_a_write_is_the_new_datas(app_store) -> None:
    client, store = app_store
    r = client.get("/policies", params={"region": "CN-SD"})
    etag = r.headers["etag"]
    assert _count(r.text) == "152 policies: 1 to 100 shown"
    assert client.get("/policies", params={"region": "CN-SD"}, headers={"If-None-Match": etag}).status_code == 304
    head = client.head("/policies", params={"region": "CN-SD"})
    assert head.status_code == 200 and head.headers["etag"] == etag and head.content == b""
    store.replace_graphs({SYN: _policies(120, "CN-GD", "gd")})
    r = client.get("/policies", params={"region": "CN-SD"}, headers={"If-None-Match": etag})
    assert r.status_code == 200 and r.headers.get("etag") != etag
    assert _count(r.text) == "62 policies"  # the odd ones are of Qingdao, in Shandong
    assert _count(client.get("/policies", params={"region": "CN-GD"}).text) == "121 policies: 1 to 100 shown"
    assert _count(client.get("/policies").text) == "126 policies: 1 to 100 shown"


# fixed (was a strict xfail): a page after the last states the total ('152 policies') above 'No policy matches these
#   filters.' (page 2 of a 2-policy list: '2 policies' and no match)
@pytest.mark.parametrize("params", [{"region": "CN-SD", "page": "3"}, {"region": "CN-GD", "page": "2"},
                                    {"page": "10000"}])
def test_a_page_past_the_end_does_not_contradict_its_total(app_store, params) -> None:
    client, _ = app_store
    r = client.get("/policies", params=params)
    assert r.status_code in (200, 404)
    if r.status_code == 200:
        text = _count(r.text)
        stated = int(text.split()[0].replace(",", "").rstrip("+"))
        # either no total is stated, or the page does not say that nothing matches
        assert stated == 0 or "No policy matches these filters" not in r.text, (text, params)


# fixed (was a strict xfail): a write landing after the page took its aggregates and before it read its rows: the
#   page states the old data's total (252) over the new data's rows (122 policies of CN-SD), under the old version's
#   ETag
def test_a_write_during_the_request_gives_no_stale_total(monkeypatch) -> None:
    settings = Settings(query_timeout_s=10)
    store = sample_store(settings)
    store.replace_graphs({SYN: _policies(250)})
    real = api.resources.list_policies

    def write_first(reads, filters, base):  # the write lands between the aggregates and the rows
        monkeypatch.setattr(api.resources, "list_policies", real)
        store.replace_graphs({SYN: _policies(120)})
        return real(reads, filters, base)
    with running_client(settings, store) as (client, _):
        assert _count(client.get("/policies", params={"region": "CN-SD"}).text) == "252 policies: 1 to 100 shown"
        monkeypatch.setattr(api.resources, "list_policies", write_first)
        r = client.get("/policies", params={"region": "CN-SD"})
        assert r.status_code == 200 and _listed(r.text) == 100
        text = _count(r.text)
        assert text in ("122 policies: 1 to 100 shown", "100+ policies"), text


def _boom(*args, **kwargs):
    raise RuntimeError("boom")


# fixed (was a strict xfail): while the class counts ('counts', which only the unfiltered list uses) fail, a
#   filtered list whose total the facets give is sent no-store without ETag and says figures 'could not be computed
#   ... of earlier data are shown'
def test_a_failing_class_count_does_not_mark_a_filtered_list_incomplete(app_store, monkeypatch) -> None:
    client, store = app_store
    client.get("/policies")
    monkeypatch.setattr(api.summaries, "graph_counts", _boom)
    store.replace_graphs({SYN: _policies(130)})
    r = client.get("/policies", params={"region": "CN-SD"})
    assert r.status_code == 200 and _count(r.text) == "132 policies: 1 to 100 shown"
    assert "could not be computed" not in r.text
    assert "etag" in r.headers and r.headers.get("cache-control") != "no-store"


def test_failing_aggregates_do_not_break_the_list_landing_or_stats(app_store, monkeypatch) -> None:
    client, store = app_store
    client.get("/policies")
    monkeypatch.setattr(api.summaries, "graph_counts", _boom)
    store.replace_graphs({SYN: _policies(130)})
    r = client.get("/policies")
    assert r.status_code == 200 and _count(r.text) == "100+ policies"  # no total without the class counts
    assert r.headers.get("cache-control") == "no-store" and "etag" not in r.headers
    monkeypatch.setattr(api.summaries, "facet_options", _boom)
    store.replace_graphs({SYN: _policies(140)})
    for params in ({}, {"region": "CN-SD"}, {"year": "2023"}):
        r = client.get("/policies", params=params)
        assert r.status_code == 200 and _count(r.text) == "100+ policies", params
    assert client.head("/policies").status_code == 200
    assert client.get("/").status_code == 200 and client.get("/stats").status_code == 200


def test_a_concept_page_without_its_count_is_not_kept_by_a_304(app_store, monkeypatch) -> None:
    """A concept page shows its policy count when the list's filter counts (facets) are ready and is not
    kept waiting for them. Without the count it is sent no-store and without ETag, as the list is: before,
    it had the data version's ETag, and a browser revalidating it kept the page without the count (304)."""
    client, store = app_store
    release, real = threading.Event(), api.summaries.facet_options

    def held(*args, **kwargs):  # the filter counts take their time
        release.wait(30)
        return real(*args, **kwargs)
    monkeypatch.setattr(api.summaries, "facet_options", held)
    store.replace_graphs({SYN: _policies(161)})
    r = client.get("/doc/instrument/fiscal-subsidy", headers={"Accept": "text/html"})
    assert r.status_code == 200 and "The 50 most recent policies using" in r.text
    assert r.headers.get("cache-control") == "no-store" and "etag" not in r.headers
    assert "/doc/instrument/fiscal-subsidy.html" in r.headers["content-location"] and "link" in r.headers
    release.set()
    # the facets of the new data version are computed: the list waits for them, but never past a few seconds
    # after they were asked for (by the concept page above), so on a loaded machine it may answer first
    # without the total; it is asked again until they are there (CI once got "100+ policies" here)
    deadline = time.monotonic() + 60
    while True:
        listed = _count(client.get("/policies", params={"instrument": "fiscal-subsidy"}).text)
        if listed != "100+ policies" or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert listed == "164 policies: 1 to 100 shown"  # 161 and the sample's 3
    r = client.get("/doc/instrument/fiscal-subsidy", headers={"Accept": "text/html"})
    assert r.status_code == 200 and f"The 50 most recent of {listed.split()[0]} policies using" in r.text
    assert "etag" in r.headers and r.headers.get("cache-control") != "no-store"
    again = client.get("/doc/instrument/fiscal-subsidy", headers={"Accept": "text/html",
                                                                  "If-None-Match": r.headers["etag"]})
    assert again.status_code == 304
    turtle = client.get("/doc/instrument/fiscal-subsidy", headers={"Accept": "text/turtle"})
    assert "etag" in turtle.headers  # the data documents do not use the counts


def test_on_a_remote_store_the_total_and_a_region_less_target(tmp_path) -> None:
    from policykg.remote import RemoteStore
    from tests.serve_helpers import oxigraph_server
    from tests.sparql_helpers import DATA

    with oxigraph_server(str(tmp_path / "oxi")) as url:
        settings = Settings(sparql_endpoint=f"{url}/query", sparql_update_endpoint=f"{url}/update", query_timeout_s=10)
        store = RemoteStore(settings)
        ds = rdflib.Dataset()
        ds.parse(DATA, format="trig")
        graphs = {g.identifier: g for g in ds.graphs() if str(g.identifier).startswith(BASE)}
        none = rdflib.Graph()
        policy, target = URIRef(f"{BASE}id/policy/no-region"), URIRef(f"{BASE}id/target/no-region")
        none.add((policy, DCTERMS.title, Literal("No region", lang="en")))
        none.add((policy, PKG.setsTarget, target))
        none.add((target, PKG.targetYear, Literal("2031", datatype=XSD.gYear)))
        none.add((target, PKG.indicator, Literal("x")))
        store.replace_graphs({**graphs, SYN: _policies(150), URIRef(f"{BASE}graph/none"): none})
        with running_client(settings, store) as (client, _):
            assert _count(client.get("/policies", params={"region": "Shandong"}).text) == "152 policies: 1 to 100 shown"
            assert _count(client.get("/policies", params={"page": 2}).text) == "156 policies: 101 to 156 shown"
            r = client.get("/api/queries/targets-due-in-year", params={"year": "2031"},
                           headers={"Accept": "application/sparql-results+json"})
            rows = r.json()["results"]["bindings"]
            assert r.status_code == 200 and len(rows) == 1 and "region" not in rows[0]
