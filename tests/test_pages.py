"""HTML pages: every kind readable without JavaScript, embedded schema.org JSON-LD, RDF alternates,
the policies list with filters and search (values bound, never spliced), the year page."""

from __future__ import annotations

import json
import warnings
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest
import rdflib
from rdflib import URIRef

from api import create_app
from policykg.describe import SLUG_PATTERN, Link, label, local_path, resource_iri, schema_org_jsonld
from policykg.errors import NotFound
from policykg.settings import Settings
from policykg.store import OxigraphStore
from policykg.vocab import PKG
from linked_data_helpers import make_store  # noqa: E402

with warnings.catch_warnings():  # starlette 1.x warns when its test client runs on httpx rather than httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

DATA = Path(__file__).parent / "data" / "sample.trig"
ROOT = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/policykg/"
P_GUIDANCE = "cn-guidance-on-the-high-quality-development-of-distribution-networks-under-the-new-circumstances"
P_STORAGE = "cn-notice-on-promoting-the-grid-integration-and-utilization-for-dispatch-purposes-of-the-new-energy-storage"
P_JINAN = "cn-sd-370100-jinan-carbon-peaking-implementation-plan"
P_SHANDONG = "cn-sd-several-measures-on-further-improving-the-green-financial-system-to-promote-energy-and-industrial-transformation"




@pytest.fixture(scope="module")
def store() -> OxigraphStore:
    return make_store()


@pytest.fixture(scope="module")
def client(store: OxigraphStore) -> TestClient:
    return TestClient(create_app(Settings(base_iri=BASE), store))


class Page(HTMLParser):
    """Collects what the tests look at: text, links, <link rel=alternate>, JSON-LD scripts, tables, scripts."""

    def __init__(self, html: str):
        super().__init__()
        self.text: list[str] = []
        self.hrefs: list[str] = []
        self.alternates: dict[str, str] = {}
        self.jsonld: list[str] = []
        self.script_srcs: list[str] = []
        self.tables: dict[str, list[list[str]]] = {}
        self._script: str | None = None
        self._table: str | None = None
        self._cell: list[str] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"] or "")
        if tag == "link" and a.get("rel") == "alternate":
            self.alternates[a.get("type") or ""] = a.get("href") or ""
        if tag == "script":
            if a.get("src"):
                self.script_srcs.append(a["src"] or "")
            self._script = a.get("type") or ""
            self.jsonld.append("") if self._script == "application/ld+json" else None
        if tag == "table":
            self._table = a.get("id") or f"table{len(self.tables)}"
            self.tables[self._table] = []
        if tag == "tr" and self._table:
            self.tables[self._table].append([])
        if tag in ("td", "th") and self._table:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None
        if tag in ("td", "th") and self._table and self._cell is not None:
            self.tables[self._table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        if tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._script == "application/ld+json":
            self.jsonld[-1] += data
        elif self._script is None:
            self.text.append(data)
            if self._cell is not None:
                self._cell.append(data)

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


def page(client: TestClient, path: str) -> Page:
    r = client.get(path, headers={"Accept": "text/html"})
    assert r.status_code == 200, (path, r.text[:500])
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    return Page(r.text)


DOCS = [
    ("policy", P_GUIDANCE, "Legislation"), ("agency", "ndrc", "GovernmentOrganization"),
    ("region", "CN-SD", "AdministrativeArea"), ("briefing", "ccnt-2024-03-04", "CreativeWork"),
    ("report", "compendium-of-best-practices-on-low-carbon-cities-in-north-east-asia", "Report"),
    ("sector", "power", "DefinedTerm"), ("instrument", "green-finance", "DefinedTerm"), ("genre", "notice", "DefinedTerm"),
    ("scheme", "sector", "DefinedTerm"),
    ("target", "cn-guidance-on-the-high-quality-development-of-distribution--a1b2c3d4", "Thing"),
]


@pytest.mark.parametrize("kind,slug,schema_type", DOCS)
def test_every_kind_has_a_page_with_jsonld_and_alternates(client: TestClient, kind: str, slug: str,
                                                          schema_type: str) -> None:
    p = page(client, f"/doc/{kind}/{slug}")
    assert not p.script_srcs, "pages must be readable without JavaScript"
    assert len(p.jsonld) == 1
    doc = json.loads(p.jsonld[0])
    assert doc["@context"] == "https://schema.org" and doc["@type"] == schema_type
    assert doc["@id"] == f"{BASE}id/{kind}/{slug}"
    assert p.alternates == {
        "text/turtle": f"/doc/{kind}/{slug}.ttl", "application/ld+json": f"/doc/{kind}/{slug}.jsonld",
        "application/n-triples": f"/doc/{kind}/{slug}.nt", "application/rdf+xml": f"/doc/{kind}/{slug}.rdf"}
    for href in p.alternates.values():  # each alternate really is RDF about the resource
        r = client.get(href)
        assert r.status_code == 200 and len(r.content) > 100


def test_policy_page(client: TestClient) -> None:
    p = page(client, f"/doc/policy/{P_GUIDANCE}")
    text = p.all_text
    assert "Guidance on the High-quality Development of Distribution Networks under the New Circumstances" in text
    assert "关于新形势下配电网高质量发展的指导意见" in text
    for expected in ("Guidance", "National Development and Reform Commission", "China", "2024-03-01", "Power",
                     "Planning target", "National"):
        assert expected in text, expected
    assert "https://www.ndrc.gov.cn/xxgk/zcfb/tz/202403/t20240301_1364313.html" in p.hrefs
    rows = p.tables["targets"]
    assert rows[0][:6] == ["Indicator", "Year", "Comparator", "Value as written", "Normalised", "Baseline"]
    body = {r[0]: r for r in rows[1:]}
    row = body["distributed new energy capacity supported by distribution networks"]
    assert row[1:5] == ["2025", "approximately", "500 million kilowatts", "500,000,000,000 W"]
    row = body["share of operational transformers at or above the energy-efficiency level"]
    assert row[2:6] == ["more than", "10 percentage points", "10 percentage points", "2021"]
    assert body["integration of distributed smart grids with the power grid"][3] == "qualitative"
    # evidence quotes link to their span in the briefing page
    assert "/doc/briefing/ccnt-2024-03-04#char=1011,1133" in p.hrefs
    assert "/doc/briefing/ccnt-2024-03-04" in p.hrefs  # reported in
    assert "/year/2025" in p.hrefs
    doc = json.loads(p.jsonld[0])
    assert doc["alternateName"]["@value"] == "关于新形势下配电网高质量发展的指导意见"
    assert doc["legislationDate"] == "2024-03-01"
    assert {x["name"] for x in doc["legislationPassedBy"]} == {"National Development and Reform Commission",
                                                               "National Energy Administration"}


def test_policy_page_quality_warnings_and_headline_issuers(client: TestClient) -> None:
    text = page(client, f"/doc/policy/{P_STORAGE}").all_text
    assert "Quality warnings" in text and "issuer-from-url" in text
    assert "Source hosted by National Energy Administration" in text
    text = page(client, "/doc/policy/cn-notice-on-deepening-financial-services-for-the-manufacturing-industry-to-help-"
                        "promote-new-industrialization").all_text
    assert "Issuers named in the group headline National Financial Regulatory Administration" in text
    assert "People's Bank of China" in text
    assert "2024-04" in text and "17 measures" in text
    text = page(client, f"/doc/policy/{P_JINAN}").all_text
    assert "(city: Jinan )" in text and "Curated-entry" not in text and "curated-entry" in text


def test_agency_page_lists_its_policies_over_time(client: TestClient) -> None:
    p = page(client, "/doc/agency/ndrc")
    rows = p.tables["policies"][1:]
    assert [r[0] for r in rows] == ["2024-03-01", "2024-02-27"]  # newest first
    assert "NDRC" in p.all_text and "ndrc.gov.cn" in p.all_text
    assert "/policies?agency=ndrc" in p.hrefs


def test_region_page_lists_policies_targets_and_cities(client: TestClient) -> None:
    p = page(client, "/doc/region/CN-SD")
    assert "/doc/region/370100" in p.hrefs  # city
    assert "山东省" in p.all_text and "370000" in p.all_text
    assert "/doc/agency/sd-drc" in p.hrefs  # agencies governing the region
    titles = [r[1] for r in p.tables["policies"][1:]]
    assert "Jinan Carbon Peaking Implementation Plan" in titles
    targets = p.tables["targets"][1:]
    assert ["2026", "green loans balance", "2.5 trillion RMB"] == targets[0][:3]


def test_briefing_page_orders_policies_by_evidence_offset(client: TestClient) -> None:
    p = page(client, "/doc/briefing/ccnt-2024-03-04")
    order = [h for h in p.hrefs if h.startswith(("/doc/policy/", "/doc/report/"))]
    assert order[:3] == [f"/doc/policy/{P_STORAGE}", f"/doc/policy/{P_GUIDANCE}",
                         "/doc/policy/cn-guiding-opinions-on-strengthening-the-peak-shaving-energy-storage-and-"
                         "intelligent-dispatching-c-4b1f0e2a"]
    assert order[-1].startswith("/doc/report/")  # the Perspectives section comes last
    assert "#char=151,255" in p.hrefs
    r = client.get("/doc/briefing/ccnt-2024-03-04")
    assert 'id="char=1011,1133"' in client.get("/doc/briefing/ccnt-2024-03-04.html").text and r.status_code == 200


def test_concept_page_lists_policies_using_it(client: TestClient) -> None:
    p = page(client, "/doc/instrument/green-finance")
    assert len(p.tables["policies"]) == 3  # header + 2
    p = page(client, "/doc/scheme/sector")
    assert {"/doc/sector/power", "/doc/sector/finance"} <= set(p.hrefs)


def test_year_page(client: TestClient) -> None:
    p = page(client, "/year/2025")
    rows = p.tables["targets"][1:]
    assert len(rows) == 4
    assert {r[0] for r in rows} == {"China", "Beijing"}
    assert "50 %" in {r[3] for r in rows}
    assert "No targets are due in 1999" in page(client, "/year/1999").all_text
    assert client.get("/year/99").status_code == 404


def _titles(client: TestClient, query: str) -> list[str]:
    p = page(client, "/policies" + query)
    return [r[1] for r in p.tables.get("policies", [["head"]])[1:]]


def test_policies_list_and_filters(client: TestClient) -> None:
    assert len(_titles(client, "")) == 7
    assert len(_titles(client, "?region=CN")) == 7  # China takes in its provinces and cities
    assert len(_titles(client, "?region=CN-SD")) == 2
    assert len(_titles(client, "?region=370100")) == 1
    assert len(_titles(client, "?agency=ndrc")) == 2
    assert len(_titles(client, "?agency=pboc")) == 1  # headline issuers count
    assert len(_titles(client, "?instrument=green-finance")) == 2
    assert len(_titles(client, "?sector=power")) == 3
    assert len(_titles(client, "?year=2023")) == 1
    assert len(_titles(client, "?year=2024&sector=finance&region=CN")) == 2
    assert _titles(client, "?region=CN-GD") == []
    p = page(client, "/policies?region=CN-SD")
    assert "No policy" not in p.all_text and "Shandong (2)" in p.all_text  # facet with counts, selected


def test_evidence_says_which_fact_each_span_supports() -> None:
    """A span's dcterms:subject (the property or concept it is evidence for) is shown beside its quote."""
    from policykg.vocab import DCTERMS, OA

    store = make_store()
    base = "https://w3id.org/policykg/"
    c = TestClient(create_app(Settings(base_iri=base), store))
    href = [p for p in page(c, "/policies").hrefs if p.startswith("/doc/policy/")][0]
    policy = URIRef(base + "id/" + href[len("/doc/"):])
    briefing = URIRef(base + "id/briefing/test-evidence")
    g = rdflib.Graph()
    for i, (about, quote) in enumerate([(PKG.jurisdiction, "Shandong Province"), (PKG.sourceURL, "http://e.org/a"),
                                        (URIRef(base + "id/sector/power"), "power sector")]):
        span = URIRef(f"{briefing}#char={i * 100},{i * 100 + len(quote)}")
        g.add((policy, PKG.evidence, span))
        g.add((span, OA.hasSource, briefing))
        g.add((span, OA.exact, rdflib.Literal(quote)))
        g.add((span, OA.start, rdflib.Literal(i * 100)))
        g.add((span, OA.end, rdflib.Literal(i * 100 + len(quote))))
        g.add((span, DCTERMS.subject, about))
    store.replace_graphs({URIRef(base + "graph/test-evidence"): g})
    text = c.get(href, headers={"Accept": "text/html"}).text
    for said in ("for the jurisdiction", "for the source URL", "for the sector "):
        assert said in text, said


def test_policies_filter_by_genre_takes_in_narrower_genres() -> None:
    store = make_store()
    g = rdflib.Graph()
    genre = rdflib.Namespace("https://w3id.org/policykg/id/genre/")
    skos = rdflib.namespace.SKOS
    g.add((genre["opinions"], rdflib.RDF.type, skos.Concept))
    g.add((genre["opinions"], skos.prefLabel, rdflib.Literal("Opinions", lang="en")))
    g.add((genre["guiding-opinions"], skos.broader, genre["opinions"]))
    store.replace_graphs({URIRef("https://w3id.org/policykg/graph/test-genres"): g})
    c = TestClient(create_app(Settings(base_iri="https://w3id.org/policykg/"), store))
    assert len(_titles(c, "?genre=measures")) == 3
    assert len(_titles(c, "?genre=guiding-opinions")) == 1
    assert len(_titles(c, "?genre=opinions")) == 1  # the Guiding Opinions, under Opinions
    assert len(_titles(c, "?genre=Measures&region=CN-SD")) <= 3
    assert "Opinions (1)" in page(c, "/policies").all_text  # the facet counts the same way
    assert c.get("/policies?genre=no-such-genre").status_code == 404


@pytest.mark.parametrize("query", ["?concept=power", "?genre=measures&colour=red", "?Region=CN-SD"])
def test_policies_unknown_parameter_is_422_naming_it(client: TestClient, query: str) -> None:
    """A filter the page does not have must not list every policy as if it had been applied."""
    r = client.get("/policies" + query)
    assert r.status_code == 422
    name = query.rsplit("&", 1)[-1].lstrip("?").split("=")[0]
    assert r.json()["field"] == name and "genre" in r.json()["detail"]


def test_policies_list_names_a_city_policy_by_its_city(client: TestClient) -> None:
    """The jurisdiction column gives the most specific place, as the year and region pages do."""
    rows = page(client, "/policies?region=370100").tables["policies"][1:]
    assert [r[2] for r in rows] == ["Jinan"]
    rows = page(client, "/policies?region=CN-SD").tables["policies"][1:]
    assert sorted(r[2] for r in rows) == ["Jinan", "Shandong"]


@pytest.mark.parametrize("q,count", [
    ("storage", 2), ("STORAGE", 2), ("Grid Integration", 1),  # case-insensitive, English title
    ("储能", 1), ("碳达峰", 1),                # Chinese titles
    ("ndrc", 2), ("people's bank", 1),       # agency names and abbreviations
    ("zzz-nothing", 0),
])
def test_policies_search(client: TestClient, q: str, count: int) -> None:
    assert len(_titles(client, "?" + urlencode({"q": q}))) == count


@pytest.mark.parametrize("query", ['?q=") } ; DROP ALL ; SELECT * { ?s ?p ?o', "?q=%3E%20%3Fx%20", "?q=%5C%22"])
def test_search_text_is_bound_not_spliced(client: TestClient, store: OxigraphStore, query: str) -> None:
    before = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]
    assert _titles(client, query) == []
    assert store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"] == before


@pytest.mark.parametrize("query", ["?region=CN%0ASD", "?agency=%3Cx%3E", "?year=20x4", "?year=12345", "?page=0",
                                   "?q=" + "x" * 201])
def test_policies_bad_parameters_are_422(client: TestClient, query: str) -> None:
    r = client.get("/policies" + query)
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("query", ["?region=CN%20SD", "?region=XX-YY", "?agency=no-such-agency", "?sector=Nowhere"])
def test_policies_filter_naming_nothing_is_404(client: TestClient, query: str) -> None:
    """A filter is a code, a slug or a name, as for the canned queries; one that names nothing is a
    404 naming the parameter, not an empty list that reads as "no policies"."""
    r = client.get("/policies" + query)
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    assert "parameter '" + query[1:].split("=")[0] + "'" in r.json()["detail"]


def test_html_escapes_data(store: OxigraphStore) -> None:
    """Text from the data is escaped in HTML and cannot close the JSON-LD script element."""
    s = make_store()
    g = rdflib.Graph()
    evil = "</script><script>alert(1)</script> & <b>"
    g.add((resource_iri(BASE, "agency", "ndrc"), rdflib.SKOS.prefLabel, rdflib.Literal(evil, lang="en")))
    s.replace_graphs({URIRef(f"{BASE}graph/evil"): g})
    c = TestClient(create_app(Settings(base_iri=BASE), s))
    html = c.get("/doc/agency/ndrc.html").text
    assert "<script>alert(1)" not in html
    assert "&lt;/script&gt;" in html
    p = Page(html)
    assert len(p.jsonld) == 1  # the script element was not closed early
    assert json.loads(p.jsonld[0])["name"] in {evil, "National Development and Reform Commission"}


def test_pure_helpers() -> None:
    assert local_path(URIRef(f"{BASE}id/briefing/b1#char=1,2"), BASE) == "/doc/briefing/b1#char=1,2"
    assert local_path(URIRef("https://example.org/x"), BASE) == "https://example.org/x"
    assert local_path(PKG.MoreThan, BASE) == "/ontology#MoreThan"
    assert label(rdflib.Graph(), PKG.MoreThan) == "more than"
    assert label(rdflib.Graph(), URIRef("http://qudt.org/vocab/unit/NUM")) == "(count)"
    with pytest.raises(NotFound):
        resource_iri(BASE, "policy", "a/b")
    with pytest.raises(NotFound):
        resource_iri(BASE, "Bad Kind", "x")
    assert str(resource_iri(BASE, "agency-type", "drc")) == f"{BASE}id/agency-type/drc"
    assert SLUG_PATTERN.match("CN-SD") and not SLUG_PATTERN.match("a b")
    text = schema_org_jsonld(rdflib.Graph(), URIRef("urn:x"), "policy",
                             {"title": "a</script>", "issued_by": [Link("/x", "NDRC", "urn:y")]})
    assert "</" not in text and json.loads(text)["name"] == "a</script>"


@pytest.mark.parametrize("module", ["policykg.describe", "api.resources", "api.meta"])
def test_dunder_all_names_exist(module: str) -> None:
    import importlib  # noqa: PLC0415

    mod = importlib.import_module(module)
    missing = [name for name in mod.__all__ if not hasattr(mod, name)]
    assert not missing


@pytest.mark.parametrize("url, href", [
    ("https://www.gov.cn/x.htm", "https://www.gov.cn/x.htm"), ("HTTP://a.example/", "HTTP://a.example/"),
    ("mailto:a@b.example", "mailto:a@b.example"), ("/doc/policy/x", "/doc/policy/x"), ("#t1", "#t1"),
    ("javascript:alert(1)", ""), ("JaVaScRiPt:alert(1)", ""), ("data:text/html,<script>", ""),
    ("vbscript:x", ""), ("java\tscript:alert(1)", ""), ("//evil.example/x", ""), ("urn:isbn:1", ""), ("", ""),
])
def test_safe_href_lets_only_web_links_through(url: str, href: str) -> None:
    from policykg.describe import safe_href  # noqa: PLC0415

    assert safe_href(url) == href
