"""``GET /briefings``: the briefings the graph was read from, newest first, with what each reported, and the
landing page's way to it. Before, nothing listed the briefings: a reader reached one only from a policy's
evidence, and the landing page's "Briefing" count linked to the class in the ontology.

Also :func:`policykg.describe.edtf_label`, the briefing's date as a reader says it: the sample's slug
``ccnt-2024-03-04`` read as the 4th of March, though it is the March–April issue (``2024-03/2024-04``).
"""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import pytest
import rdflib

from policykg.describe import edtf_label, list_briefings
from policykg.settings import Settings
from policykg.store import OxigraphStore
from policykg.vocab import DCTERMS, PKG, RDF
from tests.sparql_helpers import bundled_briefing_store, hold, running_client

BASE = Settings().base_iri


class Table(HTMLParser):
    """The rows of a page's ``<table id=briefings>`` (cell texts) and every link's href."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.links: list[str] = []
        self._in = False
        self._cell: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and a.get("id") == "briefings":
            self._in = True
        elif tag == "tr" and self._in:
            self.rows.append([])
        elif tag == "td" and self._in:
            self._cell = []
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in = False
            self.rows = [r for r in self.rows if r]  # the header row has no <td>
        elif tag == "td" and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


@pytest.mark.parametrize(("value", "said"), [
    ("2024-03/2024-04", "March–April 2024"),
    ("2023-12/2024-01", "December 2023–January 2024"),
    ("2024-03", "March 2024"),
    ("2024-03-04", "4 March 2024"),
    ("2024", "2024"),
    ("2024-03-01/2024-04-30", "1 March 2024–30 April 2024"),
    ("2024-13", "2024-13"),  # no month: given back as it is
    ("spring 2024", "spring 2024"),
    ("", ""),
    ("2024-03/2024-03", "March 2024"),
    ("2024-02-29", "29 February 2024"),
    # a day the calendar lacks, an interval that ends before it starts: given back, never a confident label
    ("2024-02-30", "2024-02-30"), ("2023-02-29", "2023-02-29"), ("2024-04-31", "2024-04-31"),
    ("2024-04/2024-03", "2024-04/2024-03"), ("2025/2024", "2025/2024"), ("../2024", "../2024"), ("2024?", "2024?"),
])
def test_a_briefing_date_reads_as_a_reader_says_it(value: str, said: str) -> None:
    assert edtf_label(value) == said


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    settings = Settings(query_timeout_s=30)
    store = bundled_briefing_store(settings, tmp_path_factory.mktemp("briefings") / "store")
    with running_client(settings, store) as (c, _app):
        yield c, store
    store.close()


def _count(store, query: str) -> int:
    return int(store.select("PREFIX pkg: <https://w3id.org/policykg/ontology#>\n" + query)[0]["n"])


def test_the_sample_briefing_is_listed_with_what_it_reported(sample) -> None:
    client, store = sample
    r = client.get("/briefings", headers={"Accept": "text/html"})
    assert r.status_code == 200, r.text
    page = Table(r.text)
    assert len(page.rows) == 1
    issue, title, series, policies, reports, targets, file, _data = page.rows[0]
    assert issue == "March–April 2024"
    assert "ccnt-2024-03-04" in title and series == "China Carbon Neutrality Tracker (CCNT)"
    assert file == "ccnt-2024-03-04.txt"
    # the counts are the graph's, as a researcher's own SPARQL counts them
    assert int(policies) == _count(store, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a pkg:Policy ; pkg:reportedIn ?b }")
    assert int(reports) == _count(store, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a pkg:Report ; pkg:reportedIn ?b }")
    assert int(targets) == _count(store, "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?p pkg:reportedIn ?b ; pkg:setsTarget ?t }")
    assert int(policies) >= 20 and int(targets) >= 10
    # every link of the row answers: the briefing's page and its contents as CSV
    doc = next(h for h in page.links if h.startswith("/doc/briefing/"))
    assert client.get(doc, headers={"Accept": "text/html"}).status_code == 200
    data = next(h for h in page.links if "briefing-contents" in h and "format=csv" in h)
    got = client.get(data)
    assert got.status_code == 200, got.text
    assert len(list(csv.DictReader(io.StringIO(got.text)))) == int(policies) + int(reports)


def test_the_landing_page_and_the_navigation_lead_to_the_list(sample) -> None:
    client, _ = sample
    landing = client.get("/", headers={"Accept": "text/html"}).text
    cards = re.search(r'<ul class="cards" id="counts">(.*?)</ul>', landing, re.S).group(1)
    # the Policy and Briefing counts link to their lists; the class stays a link away
    assert re.search(r'<li class="briefings"><span class="n">1</span> <a href="/briefings">', cards)
    assert re.search(r'<li class="briefings"><span class="n">\d+</span> <a href="/policies">', cards)
    assert '<a href="/briefings">Briefings</a>' in client.get("/policies", headers={"Accept": "text/html"}).text
    assert "/briefings</loc>" in client.get("/sitemap.xml").text


def test_the_briefing_page_says_its_date_as_read(sample) -> None:
    client, _ = sample
    page = client.get("/doc/briefing/ccnt-2024-03-04", headers={"Accept": "text/html"}).text
    assert "March–April 2024 <small>(2024-03/2024-04, EDTF)</small>" in page


@pytest.mark.parametrize(("query", "status"), [
    ("page=2", 404), ("page=0", 422), ("page=x", 422), ("page=1&page=2", 422), ("sort=date", 422)])
def test_a_bad_or_past_page_is_refused_with_the_reason(sample, query: str, status: int) -> None:
    client, _ = sample
    r = client.get(f"/briefings?{query}")
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")


def _briefing(graph: rdflib.Graph, n: int, date: str | None, policies: int) -> None:
    b = rdflib.URIRef(f"{BASE}id/briefing/b-{n:03d}")
    graph.add((b, RDF.type, PKG.Briefing))
    graph.add((b, DCTERMS.title, rdflib.Literal(f"Briefing {n}", lang="en")))
    if date:
        graph.add((b, DCTERMS.date, rdflib.Literal(date)))
    for i in range(policies):
        p = rdflib.URIRef(f"{BASE}id/policy/b{n}-p{i}")
        graph.add((p, RDF.type, PKG.Policy))
        graph.add((p, PKG.reportedIn, b))


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """A store of 205 briefings: 203 dated (months of 2008-2024, in scrambled order), two undated."""
    graph = rdflib.Graph()
    for n in range(203):
        month = (n * 37) % 203
        _briefing(graph, n, f"{2008 + month // 12}-{month % 12 + 1:02d}", n % 3)
    _briefing(graph, 203, None, 1)
    _briefing(graph, 204, None, 0)
    settings = Settings(query_timeout_s=30)
    store = OxigraphStore(tmp_path_factory.mktemp("many") / "store", settings.base_iri)
    store.replace_graphs({rdflib.URIRef(f"{BASE}graph/many"): graph})
    with running_client(settings, store) as (c, _app):
        yield c, store
    store.close()


def test_briefings_are_newest_first_undated_last(many) -> None:
    _, store = many
    listed = list_briefings(store, BASE)
    assert len(listed) == 205
    dates = [b["date"] for b in listed]
    assert dates[:203] == sorted(dates[:203], reverse=True) and dates[0] == "2024-11"
    assert dates[203:] == ["", ""] and [b["iri"][-5:] for b in listed[203:]] == ["b-203", "b-204"]
    assert {b["policies"] for b in listed} == {0, 1, 2}


def test_the_list_pages_by_a_hundred(many) -> None:
    client, _ = many
    seen = []
    for page in (1, 2, 3):
        r = client.get(f"/briefings?page={page}", headers={"Accept": "text/html"})
        assert r.status_code == 200, r.text
        rows = Table(r.text).rows
        seen += [row[1] for row in rows]
        assert ("next →" in r.text) == (page < 3)
        assert ("← previous" in r.text) == (page > 1)
    assert len(seen) == 205 and len(set(seen)) == 205
    assert "205 briefings: 201 to 205 shown" in client.get("/briefings?page=3").text
    assert client.get("/briefings?page=4").status_code == 404


def test_odd_dates_titles_and_iris_are_listed_without_a_wrong_label_or_a_dead_link(tmp_path) -> None:
    """The attacker's data (session 21): dates that are no EDTF date sort after the dated ones and are shown as
    stored; a title in Chinese only is the title; a briefing IRI that names no page of this site gets no link."""
    graph = rdflib.Graph()
    _briefing(graph, 1, "2024-03", 1)
    _briefing(graph, 2, "Spring 2019", 1)
    _briefing(graph, 3, "2024-02-30", 1)
    _briefing(graph, 4, "2010-01", 1)
    zh = rdflib.URIRef(f"{BASE}id/briefing/zh-only")
    graph.add((zh, RDF.type, PKG.Briefing))
    graph.add((zh, DCTERMS.title, rdflib.Literal("中文简报", lang="zh")))
    graph.add((zh, DCTERMS.date, rdflib.Literal("2023-01")))
    for odd in (f"{BASE}id/briefing/a%20b", f"{BASE}id/briefing/x/y", "http://elsewhere.example/briefing/x"):
        graph.add((rdflib.URIRef(odd), RDF.type, PKG.Briefing))
        graph.add((rdflib.URIRef(odd), DCTERMS.title, rdflib.Literal("Odd " + odd[-3:], lang="en")))
    settings = Settings(query_timeout_s=30)
    store = OxigraphStore(tmp_path / "store", settings.base_iri)
    store.replace_graphs({rdflib.URIRef(f"{BASE}graph/odd"): graph})
    try:
        listed = list_briefings(store, BASE)
        assert [b["date"] for b in listed[:3]] == ["2024-03", "2023-01", "2010-01"]
        assert {b["date"] for b in listed[3:]} == {"Spring 2019", "2024-02-30", ""}  # after the dated ones
        assert next(b["title"] for b in listed if b["iri"].endswith("zh-only")) == "中文简报"
        with running_client(settings, store) as (client, _app):
            r = client.get("/briefings", headers={"Accept": "text/html"})
            assert r.status_code == 200, r.text
            assert "30 February" not in r.text and "2024-02-30" in r.text
            links = Table(r.text).links
            assert "/doc/briefing/zh-only" in links
            for href in links:
                if href.startswith(("/doc/", "/api/queries/")):
                    got = client.get(href, headers={"Accept": "text/html"})
                    assert got.status_code == 200, (href, got.status_code)
            assert not any("a%20b" in h or "x/y" in h or "elsewhere" in h for h in links)
    finally:
        store.close()


def test_a_page_of_a_list_being_computed_after_a_write_is_no_404(monkeypatch, many) -> None:
    """While a write's list is computed, a page the earlier list lacks answers 200 with the pending notice:
    a 404 would tell a crawler the page does not exist (the attacker saw page 31 of 3,000 briefings so)."""
    import api.resources

    client, store = many
    assert client.get("/briefings?page=3").status_code == 200  # 205 briefings: 3 pages
    app_ctx = client.app.state.ctx
    gate = hold(monkeypatch, [api.resources], "list_briefings", 20)
    monkeypatch.setattr(app_ctx.summaries, "wait_s", 0.05)
    graph = rdflib.Graph()
    for n in range(300, 400):
        _briefing(graph, n, "2025-01", 0)
    store.replace_graphs({rdflib.URIRef(f"{BASE}graph/more"): graph})
    try:
        r = client.get("/briefings?page=4", headers={"Accept": "text/html"})
        assert r.status_code == 200, r.text
        assert 'id="pending"' in r.text
    finally:
        gate.set()
        store.drop_graphs([rdflib.URIRef(f"{BASE}graph/more")])
