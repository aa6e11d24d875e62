"""A linked-data consumer's and a researcher's review of the served graph.

The app serves the real sample briefing (``data/briefings/ccnt-2024-03-04.txt``) extracted
by the loaders, with the reference data and the ontology, as ``policykg serve`` builds it
(validation is skipped: it does not change the triples). Facts are read back through the
public ``/sparql`` endpoint and the ``/id`` → ``/doc`` documents, as an outside client would.

Checks against:

* W3C "Cool URIs for the Semantic Web" (2008) §4.3 (303 URIs) and §6 (dereferenceable IRIs);
* W3C "Best Practices for Publishing Linked Data" (2014) §§ "Use HTTP URIs", "Provide machine
  readable data", "Document the data";
* W3C "Data on the Web Best Practices" (2017), BP 1-7 (metadata, licence, provenance), BP 10
  (persistent URIs);
* W3C Interest Group Note "Describing Linked Datasets with the VoID Vocabulary" (2011), DCAT 3;
* the Fetch Standard's CORS protocol (safelisted response headers, preflight);
* RFC 5147 ``char=`` fragments (offsets in characters) and the ontology's ``pkg:evidence`` rule
  ``text[start:end] == oa:exact``.

A defect that reproduces is an ``xfail(strict=True)`` test naming what is expected, so the suite
stays green until it is fixed and then tells us to drop the mark.
"""

from __future__ import annotations

import re
import warnings

import pint
import pytest
import rdflib
from rdflib import URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, VOID

with warnings.catch_warnings():  # starlette 1.x warns when its test client runs on httpx rather than httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

import loaders
from api import create_app
from policykg.reference import load_ontology_graph, load_reference_graph
from policykg.settings import PROJECT_ROOT, Settings
from policykg.store import OxigraphStore
from policykg.vocab import Minter, PKG

BASE = "https://w3id.org/policykg/"
BRIEFING = PROJECT_ROOT / "data" / "briefings" / "ccnt-2024-03-04.txt"
TEXT = BRIEFING.read_text(encoding="utf-8")
PREFIXES = """PREFIX pkg: <https://w3id.org/policykg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
UNIT = "http://qudt.org/vocab/unit/"
CUR = "http://qudt.org/vocab/currency/"
ureg = pint.UnitRegistry()


# --------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    """``(client, minter)``: the app on an on-disk store holding ontology, reference data and the briefing."""
    settings = Settings(base_iri=BASE, query_timeout_s=10)
    minter = Minter(BASE)
    ontology = load_ontology_graph(settings.ontology_dir, base=BASE)
    reference = load_reference_graph(settings.ontology_dir, base=BASE)
    extraction = loaders.extract(BRIEFING, minter, reference=reference + ontology, ontology_dir=settings.ontology_dir)
    store = OxigraphStore(tmp_path_factory.mktemp("ld-review") / "store", BASE)
    store.replace_graphs({minter.ontology_graph: ontology, minter.reference_graph: reference,
                          extraction.graph_name: extraction.graph})
    app = create_app(settings, store)
    try:
        with TestClient(app) as client:
            yield client, minter
    finally:
        pool = app.state.ctx.cache.get("querypool")
        if pool is not None:
            pool.close()
        store.close()


@pytest.fixture(scope="module")
def client(served) -> TestClient:
    return served[0]


def select(client: TestClient, query: str) -> list[dict[str, str]]:
    """Rows of a SELECT on the public /sparql endpoint, each ``{var: lexical form}``."""
    r = client.get("/sparql", params={"query": PREFIXES + query},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    return [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]


def turtle(client: TestClient, path: str, **headers: str) -> rdflib.Graph:
    r = client.get(path, headers={"Accept": "text/turtle", **headers})
    assert r.status_code == 200, (path, r.status_code, r.text[:200])
    return rdflib.Graph().parse(data=r.content, format="turtle")


def policy_iri(client: TestClient, title: str) -> str:
    rows = select(client, f'SELECT ?p WHERE {{ ?p a pkg:Policy ; dcterms:title "{title}"@en }}')
    assert len(rows) == 1, (title, rows)
    return rows[0]["p"]


def doc_path(iri: str) -> str:
    """``/doc/...`` path of an IRI under the base."""
    assert iri.startswith(BASE + "id/"), iri
    return "/doc/" + iri[len(BASE) + 3:]


# --------------------------------------------------------------------------- what holds up (regressions)

#: Ten quantified facts of the briefing: (policy title, value as written, unit text, target year or None,
#: comparator, baseline year or None, expected normalised value, normalised unit IRI, number as printed).
#: Normalised values are computed here with pint (power, area) or by the SI multiplier (money, counts).
FACTS = [
    ("Guidance on the High-quality Development of Distribution Networks under the New Circumstances",
     "500", "million kilowatts", "2025", "Approximately", None,
     ureg.Quantity(500e6, "kilowatt").to("watt").magnitude, UNIT + "W", "500\nmillion kilowatts"),
    ("Guidance on the High-quality Development of Distribution Networks under the New Circumstances",
     "12", "million charging piles", "2025", "Approximately", None, 12e6, UNIT + "NUM", "12 million charging piles"),
    ("Guidance on the High-quality Development of Distribution Networks under the New Circumstances",
     "10", "percentage points", "2025", "MoreThan", "2021", 10.0, str(PKG.PercentagePoint), "10 percentage point"),
    ("Guiding Opinions on Strengthening the Peak-Shaving Energy Storage and Intelligent Dispatching Capabilities"
     " of the Power Grid", "80", "million kilowatts", "2027", "MoreThan", None,
     ureg.Quantity(80e6, "kilowatt").to("watt").magnitude, UNIT + "W", "80 million\nkilowatts"),
    ("Work Plan on Accelerating Energy Conservation and Carbon Reduction in the Buildings Sector",
     "20", "million square meters", "2025", "MoreThan", "2023",
     ureg.Quantity(20e6, "meter ** 2").to("meter ** 2").magnitude, UNIT + "M2", "20 million square meters"),
    ("Several Measures on Further Improving the Green Financial System to Promote Energy and Industrial"
     " Transformation", "2.5", "trillion RMB", "2026", "MoreThan", None, 2.5e12, CUR + "CNY", "2.5 trillion RMB"),
    ("Several Measures to Promote Green and Low-Carbon Development of the Manufacturing and Information Software"
     " Industries in Beijing Municipality", "1200", "yuan/ton of standard coal", None, "AtMost", None, 1200.0,
     str(PKG.CNYPerTonneCoalEquivalent), "1,200 yuan/ton of standard"),
    ("Implementation Plan for Pilot Demonstration and Promotion of Building-Integrated Photovoltaic (BIPV) in"
     " Anhui Province", "400", "MW", "2027", "MoreThan", None,
     ureg.Quantity(400, "megawatt").to("watt").magnitude, UNIT + "W", "400MW"),
    ("Notice on Organizing and Carrying out the Thousands of Townships and Tens of Thousands of Villages"
     " Harnessing the Wind Program", "20", "megawatts", None, "AtMost", None,
     ureg.Quantity(20, "megawatt").to("watt").magnitude, UNIT + "W", "20 megawatts"),
    ("Implementation Plan for Promoting Large-scale Equipment Renewal and Trade-in of Consumer Goods in Guangdong"
     " Province", "800000", None, "2027", "Approximately", None, 8e5, UNIT + "NUM", "800,000"),
]


@pytest.mark.parametrize("fact", FACTS, ids=[f"{f[1]} {f[2] or ''}".strip() for f in FACTS])
def test_quantified_fact_matches_the_briefing(client: TestClient, fact: tuple) -> None:
    """Value, unit, year, comparator, baseline, normalised value and unit, and a span quoting the number."""
    title, value, unit, year, comparator, baseline, normalized, norm_unit, printed = fact
    p = policy_iri(client, title)
    rows = select(client, f"""
        SELECT ?x ?u ?y ?c ?b ?nv ?nu ?e ?s ?end ?exact ?src WHERE {{
          <{p}> pkg:setsTarget|pkg:hasProvision ?x . ?x pkg:value ?v FILTER(?v = {value})
          OPTIONAL {{ ?x pkg:unitText ?u }} OPTIONAL {{ ?x pkg:targetYear ?y }} OPTIONAL {{ ?x pkg:baselineYear ?b }}
          ?x pkg:comparator ?c ; pkg:normalizedValue ?nv ; pkg:normalizedUnit ?nu ;
             pkg:evidence ?e . ?e oa:start ?s ; oa:end ?end ; oa:exact ?exact ; oa:hasSource ?src
          FILTER NOT EXISTS {{ ?e dcterms:subject pkg:targetYear }} }}""")  # the clause, not a lead-in's year
    assert len(rows) == 1, rows
    row = rows[0]
    assert row.get("u") == unit
    assert row.get("y") == year and row.get("b") == baseline
    assert row["c"] == str(PKG[comparator])
    assert float(row["nv"]) == pytest.approx(normalized, rel=1e-12)
    assert row["nu"] == norm_unit
    start, end = int(row["s"]), int(row["end"])
    assert TEXT[start:end] == row["exact"]  # character offsets (RFC 5147 char=), not bytes
    assert row["e"] == f"{row['src']}#char={start},{end}"
    assert printed in row["exact"]


def test_every_evidence_span_quotes_the_briefing_at_its_offsets(client: TestClient) -> None:
    """All spans: ``text[start:end] == oa:exact`` in characters; the text has multi-byte characters, so byte
    offsets would be caught (the file is longer in UTF-8 bytes than in characters)."""
    assert len(BRIEFING.read_bytes()) > len(TEXT)
    rows = select(client, "SELECT ?e ?s ?end ?x WHERE { ?e oa:start ?s ; oa:end ?end ; oa:exact ?x }")
    assert len(rows) > 200
    bad = [r["e"] for r in rows if TEXT[int(r["s"]):int(r["end"])] != r["x"]]
    assert bad == []


@pytest.mark.parametrize("title,jurisdiction,issuers,date,datatype", [
    ("Implementation Plan for Carbon Peaking in Urban and Rural Development in Taizhou City",
     "CN-JS", {"321200-government"}, "2024", "gYear"),
    ("Notice on Policies and Measures to Support the Green, Low-Carbon and High-Quality Development of Inner"
     " Mongolia Autonomous Region", "CN-NM", {"ndrc"}, "2024-04-01", "date"),
    ("Several Measures to Promote the Development of Green Computing Power in Qinghai Province",
     "CN-QH", {"cn-qh-data"}, "2024-03-23", "date"),
    ("Work Plan on Accelerating Energy Conservation and Carbon Reduction in the Buildings Sector",
     "CN", {"general-office-state-council"}, "2024-03", "gYearMonth"),
])
def test_policy_jurisdiction_issuer_and_date(client: TestClient, title: str, jurisdiction: str, issuers: set,
                                             date: str, datatype: str) -> None:
    p = policy_iri(client, title)
    rows = select(client, f"""SELECT ?iso ?d (datatype(?d) AS ?dt) WHERE {{
        <{p}> pkg:jurisdiction ?r ; pkg:publicationDate ?d . ?r pkg:isoCode ?iso }}""")
    assert [(r["iso"], r["d"], r["dt"]) for r in rows] == [(jurisdiction, date, f"http://www.w3.org/2001/XMLSchema#{datatype}")]
    got = {r["a"] for r in select(client, f"SELECT ?a WHERE {{ <{p}> pkg:issuedBy ?a }}")}
    assert got == {f"{BASE}id/agency/{slug}" for slug in issuers}


def test_linked_agencies_and_regions_have_reference_labels_in_en_and_zh(client: TestClient) -> None:
    """Every agency or region a policy links to that the reference data holds has one @en and one @zh prefLabel."""
    rows = select(client, """SELECT ?x (SUM(IF(lang(?l) = "en", 1, 0)) AS ?en) (SUM(IF(lang(?l) = "zh", 1, 0)) AS ?zh)
        WHERE { { SELECT DISTINCT ?x WHERE {
                    ?p a pkg:Policy ; pkg:issuedBy|pkg:sourceHostedBy|pkg:jurisdiction|pkg:localJurisdiction ?x } }
                GRAPH <https://w3id.org/policykg/graph/reference> { ?x skos:prefLabel ?l } } GROUP BY ?x""")
    assert len(rows) > 20
    assert [r["x"] for r in rows if (int(r["en"]), int(r["zh"])) != (1, 1)] == []


def test_no_agency_is_published_under_two_iris(client: TestClient) -> None:
    """No two agency IRIs share a web domain or a Chinese name (homonym cities share English names only)."""
    for prop in ("pkg:webDomain ?k", 'skos:prefLabel ?k FILTER(lang(?k) = "zh")'):
        rows = select(client, f"SELECT ?k WHERE {{ ?a a pkg:Agency ; {prop} }} GROUP BY ?k HAVING (COUNT(DISTINCT ?a) > 1)")
        assert rows == [], prop


def test_policy_page_links_its_evidence_to_anchors_of_the_briefing_page(client: TestClient) -> None:
    p = policy_iri(client, "Measures for the Management of Carbon Emissions Trading in Beijing")
    page = client.get(doc_path(p), headers={"Accept": "text/html"}).text
    briefing = client.get("/doc/briefing/ccnt-2024-03-04", headers={"Accept": "text/html"}).text
    anchors = re.findall(r'href="/doc/briefing/ccnt-2024-03-04#(char=\d+,\d+)"', page)
    assert anchors
    assert all(f'id="{a}"' in briefing for a in anchors)


def test_jsonld_document_round_trips_to_the_turtle_triples(client: TestClient) -> None:
    """rdflib's JSON-LD processor (context inline, nothing fetched) gives the same graph as the Turtle."""
    from rdflib.compare import isomorphic  # noqa: PLC0415
    p = policy_iri(client, "Guidance on the High-quality Development of Distribution Networks under the New Circumstances")
    for path in (doc_path(p), "/doc/agency/ndrc", "/doc/region/CN-JS", "/doc/briefing/ccnt-2024-03-04"):
        ttl = rdflib.Graph().parse(data=client.get(path + ".ttl").content, format="turtle")
        jl = rdflib.Graph().parse(data=client.get(path + ".jsonld").content, format="json-ld")
        assert len(ttl) > 10 and isomorphic(ttl, jl), path


# --------------------------------------------------------------------------- defects: linked-data publishing

def test_cors_exposes_linked_data_headers(client: TestClient) -> None:
    r = client.get("/doc/agency/ndrc", headers={"Origin": "https://example.org", "Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "*"
    exposed = {h.strip().lower() for h in r.headers.get("access-control-expose-headers", "").split(",")}
    assert {"link", "etag", "content-location"} <= exposed


def test_cors_preflight_allows_conditional_request_headers(client: TestClient) -> None:
    r = client.options("/doc/agency/ndrc", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "if-none-match, if-modified-since"})
    assert r.status_code == 200


def test_named_graph_iri_dereferences(served) -> None:
    client, minter = served
    rows = select(client, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s a pkg:Briefing } }")
    assert rows and rows[0]["g"].startswith(BASE + "graph/")
    r = client.get("/" + rows[0]["g"][len(BASE):], headers={"Accept": "text/turtle"})
    assert r.status_code in (200, 303), r.status_code


def test_reference_dataset_iri_dereferences(client: TestClient) -> None:
    g = turtle(client, "/doc/agency/ndrc")
    source = g.value(URIRef(BASE + "id/agency/ndrc"), DCTERMS.source)
    assert source is not None and str(source).startswith(BASE)
    r = client.get("/" + str(source)[len(BASE):], headers={"Accept": "text/turtle"})
    assert r.status_code in (200, 303), r.status_code


def test_ontology_version_iri_dereferences(client: TestClient) -> None:
    g = turtle(client, "/ontology")
    version = g.value(URIRef(BASE + "ontology"), rdflib.OWL.versionIRI)
    assert version is not None
    r = client.get("/" + str(version)[len(BASE):], headers={"Accept": "text/turtle"})
    assert r.status_code in (200, 303), r.status_code


def test_void_dataset_iri_is_persistent(client: TestClient) -> None:
    bodies = [client.get("/.well-known/void", headers={"Accept": "text/turtle", "Host": host})
              for host in ("testserver", "other.example")]
    ids = [set(rdflib.Graph().parse(data=b.content, format="turtle").subjects(rdflib.RDF.type, VOID.Dataset))
           for b in bodies]
    assert ids[0] == ids[1]
    assert all(str(i).startswith(BASE) for i in ids[0])


def _void(client: TestClient) -> tuple[rdflib.Graph, URIRef]:
    g = turtle(client, "/.well-known/void")
    ds = next(s for s in g.subjects(VOID.sparqlEndpoint, None))
    return g, ds


def test_void_distributions_are_distributions(client: TestClient) -> None:
    g, ds = _void(client)
    dists = list(g.objects(ds, DCAT.distribution))
    assert dists
    assert all((d, rdflib.RDF.type, DCAT.Distribution) in g for d in dists)


def test_void_states_provenance_and_parts(client: TestClient) -> None:
    g, ds = _void(client)
    briefings = {r["b"] for r in select(client, "SELECT ?b WHERE { ?b a pkg:Briefing }")}
    sources = {str(o) for o in g.objects(ds, PROV.wasDerivedFrom)} | {str(o) for o in g.objects(ds, DCTERMS.source)}
    assert briefings <= sources
    assert g.value(ds, DCTERMS.publisher) is not None or g.value(ds, DCTERMS.creator) is not None
    assert URIRef(BASE + "dataset/agencies") in set(g.objects(ds, VOID.subset))


def test_void_licence_agrees_with_the_served_datasets(client: TestClient) -> None:
    g, ds = _void(client)
    parts = {r["l"] for r in select(client, "SELECT DISTINCT ?l WHERE { ?d a <http://rdfs.org/ns/void#Dataset> ; "
                                            "dcterms:license ?l }")}
    assert parts == {"https://creativecommons.org/licenses/by/4.0/"}
    assert {str(o) for o in g.objects(ds, DCTERMS.license)} <= parts


def test_document_links_to_its_dataset_and_licence(client: TestClient) -> None:
    g = turtle(client, "/doc/agency/ndrc")
    assert list(g.subject_objects(VOID.inDataset))
    assert list(g.subject_objects(DCTERMS.license))


def test_link_header_announces_alternates_and_describedby(client: TestClient) -> None:
    r = client.get("/doc/agency/ndrc", headers={"Accept": "text/turtle"})
    link = r.headers.get("link", "")
    assert 'rel="alternate"' in link and "/doc/agency/ndrc.jsonld" in link
    r = client.get("/id/agency/ndrc", follow_redirects=False)
    assert 'rel="describedby"' in r.headers.get("link", "")


def test_briefing_states_where_and_when_it_was_published(client: TestClient) -> None:
    b = URIRef(BASE + "id/briefing/ccnt-2024-03-04")
    g = turtle(client, "/doc/briefing/ccnt-2024-03-04")
    assert isinstance(g.value(b, DCTERMS.publisher), URIRef)
    assert g.value(b, DCTERMS.issued) is not None or g.value(b, DCTERMS.date) is not None
    assert any(isinstance(o, URIRef) and o.startswith("http") and not o.startswith(BASE)
               for p in (DCTERMS.source, PKG.sourceURL, rdflib.FOAF.page, PROV.wasDerivedFrom)
               for o in g.objects(b, p))


# --------------------------------------------------------------------------- defects: data quality

def test_every_target_year_is_quoted_by_its_evidence(client: TestClient) -> None:
    rows = select(client, """SELECT ?t ?y (GROUP_CONCAT(?x; separator=" | ") AS ?quotes) WHERE {
        ?t a pkg:Target ; pkg:targetYear ?y ; pkg:evidence/oa:exact ?x } GROUP BY ?t ?y""")
    assert len(rows) > 30
    assert [(r["t"], r["y"]) for r in rows if r["y"] not in r["quotes"]] == []


def test_city_agency_iris_carry_the_city_code(client: TestClient) -> None:
    rows = select(client, """SELECT ?a ?gb WHERE { ?a a pkg:Agency ; pkg:jurisdiction ?r . ?r pkg:gbCode ?gb
        FILTER(!STRENDS(?gb, "0000")) }""")
    assert len(rows) > 300
    assert [r["a"] for r in rows if not r["a"].startswith(f"{BASE}id/agency/{r['gb']}-")] == []


def test_indicators_name_what_is_measured(client: TestClient) -> None:
    rows = select(client, "SELECT ?x ?i WHERE { ?x pkg:indicator ?i }")
    function_words = {"up", "over", "more", "about", "to", "the", "of", "at", "least", "most", "than"}
    bad = [(r["x"], r["i"]) for r in rows if set(r["i"].lower().split()) <= function_words]
    assert bad == []


def test_a_browser_that_follows_a_dead_link_gets_a_page(client: TestClient) -> None:
    """404 for a browser is an HTML page; for a program (no text/html in Accept) RFC 9457 problem+json."""
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = client.get("/id/policy/no-such-policy", headers={"Accept": browser})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "no resource" in r.text and "<h1>404" in r.text
    for accept in ("text/turtle", "application/json", "*/*"):
        r = client.get("/id/policy/no-such-policy", headers={"Accept": accept})
        assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json"), accept


def test_policies_under_one_headline_keep_the_briefings_order(client: TestClient) -> None:
    """Was: three finance policies sharing their group headline's span were ordered by title."""
    html = client.get("/doc/briefing/ccnt-2024-03-04", headers={"Accept": "text/html"}).text
    order = re.findall(r'href="(/doc/policy/[^"#]+)"', html)
    deepening = next(i for i, h in enumerate(order) if "deepening-financial-services" in h)
    guidelines = next(i for i, h in enumerate(order) if "guidelines-on-further-strengthening-financial" in h)
    assert deepening < guidelines  # as the briefing lists them


def test_policies_by_agency_lists_each_policy_once(client: TestClient) -> None:
    """Was: a policy under a headline naming PBoC came twice, as "issuer" and as "headline issuer"."""
    r = client.get("/api/queries/policies-by-agency", params={"agency": "pboc"},
                   headers={"Accept": "application/sparql-results+json"})
    rows = r.json()["results"]["bindings"]
    policies = [b["policy"]["value"] for b in rows]
    assert policies and len(policies) == len(set(policies))
    assert {b["role"]["value"] for b in rows} <= {"issuer", "headline issuer"}
