"""The list pages at scale: /policies, /year/{yyyy}, and the region and agency pages read a page of a long
list, not all of it (policykg.describe.list_policies in two stages, year_page by pages of YEAR_PAGE_SIZE, the
region and agency pages the PAGE_LIST_SIZE most recent with a link to the rest).

On a small invented graph beside the sample: 330 policies of one invented region and agency, 130 of them
published on one day (more than list_policies reads around a page, so the ties are read by its second
query), some on no day, some with one title; 450 targets due in one year. No test is timed: the timings
are measured by hand (see the session notes)."""

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

from linked_data_helpers import make_store  # noqa: E402
from serve_helpers import oxigraph_server  # noqa: E402

from api import create_app  # noqa: E402
from policykg.describe import (PAGE_LIST_SIZE, YEAR_PAGE_SIZE, PolicyFilters, list_policies,  # noqa: E402
                               region_targets, year_page)
from policykg.errors import NotFound  # noqa: E402
from policykg.remote import RemoteStore  # noqa: E402
from policykg.settings import Settings  # noqa: E402
from policykg.vocab import DCTERMS, PKG, RDF, SKOS, XSD  # noqa: E402

with warnings.catch_warnings():  # starlette 1.x warns when its test client runs on httpx rather than httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

BASE = "https://w3id.org/policykg/"
REGION, CITY = URIRef(f"{BASE}id/region/s13-r"), URIRef(f"{BASE}id/region/s13-c")
OTHER = URIRef(f"{BASE}id/region/s13-o")
AGENCY = URIRef(f"{BASE}id/agency/s13-a")
N_POLICIES, SAME_DAY, NO_DAY = 330, 130, 12
N_TARGETS = 450
YEAR = 2041


def _policy(i: int) -> URIRef:
    return URIRef(f"{BASE}id/policy/s13-p{i:03d}")


def _facts(i: int) -> tuple[str | None, str | None]:
    """(date, English title) of invented policy ``i``: 130 on one day, 12 on none, the others on 198 days;
    titles repeat (the IRI then orders them) and one in 25 has none."""
    if i < SAME_DAY:
        date = "2039-06-15"
    elif i < SAME_DAY + NO_DAY:
        date = None
    else:
        date = f"20{30 + i % 9}-{1 + i % 12:02d}-{1 + i % 28:02d}"
    title = None if i % 25 == 0 else f"S13 policy {'ABCDEFG'[i % 7]}"
    return date, title


def _graph() -> rdflib.Graph:
    g = rdflib.Graph()
    for x, name in ((REGION, "S13 Region"), (CITY, "S13 City"), (OTHER, "S13 Other"), (AGENCY, "S13 Agency")):
        g.add((x, SKOS.prefLabel, Literal(name, lang="en")))
    for x in (REGION, CITY, OTHER):
        g.add((x, RDF.type, PKG.Region))
    g.add((CITY, PKG.partOf, REGION))
    g.add((AGENCY, RDF.type, PKG.Agency))
    for i in range(N_POLICIES):
        p = _policy(i)
        date, title = _facts(i)
        g.add((p, RDF.type, PKG.Policy))
        if date:
            g.add((p, PKG.publicationDate, Literal(date, datatype=XSD.date)))
        if title:
            g.add((p, DCTERMS.title, Literal(title, lang="en")))
        g.add((p, PKG.jurisdiction, REGION))
        if i % 10 == 3:
            g.add((p, PKG.localJurisdiction, CITY))
        g.add((p, PKG.issuedBy, AGENCY))
    # targets due in YEAR: of the region's policies, the city's, another region's, and of policies of no region
    for t in range(N_TARGETS):
        target = URIRef(f"{BASE}id/target/s13-t{t:03d}")
        if t % 9 == 0:
            policy = URIRef(f"{BASE}id/policy/s13-noregion-{t % 4}")
            g.add((policy, RDF.type, PKG.Policy))
        elif t % 9 == 1:
            policy = URIRef(f"{BASE}id/policy/s13-other-{t % 5}")
            g.add((policy, RDF.type, PKG.Policy))
            g.add((policy, PKG.jurisdiction, OTHER))
        else:
            policy = _policy(t % N_POLICIES)
        g.add((policy, PKG.setsTarget, target))
        g.add((target, RDF.type, PKG.Target))
        g.add((target, PKG.targetYear, Literal(str(YEAR), datatype=XSD.gYear)))
        g.add((target, PKG.indicator, Literal(f"s13 indicator {t % 6}", lang="en")))
        g.add((target, PKG.value, Literal(t)))
        g.add((target, PKG.unitText, Literal("GW")))
    for t in range(60):  # a second year, for the region page's links to the year pages
        target = URIRef(f"{BASE}id/target/s13-later-{t:02d}")
        g.add((_policy(t), PKG.setsTarget, target))
        g.add((target, PKG.targetYear, Literal(str(YEAR + 5), datatype=XSD.gYear)))
    return g


@pytest.fixture(scope="module")
def store():
    s = make_store()
    s.replace_graphs({URIRef(f"{BASE}graph/s13-scale"): _graph()})
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(store):
    return TestClient(create_app(Settings(base_iri=BASE), store))


def _expected_order() -> list[str]:
    """The invented policies in the list's order, worked out here: newest first (none last), then by English
    title ("" for none first), then by IRI."""
    rows = []
    for i in range(N_POLICIES):
        date, title = _facts(i)
        rows.append((date or "", title or "", str(_policy(i))))
    rows.sort(key=lambda r: (r[1], r[2]))
    rows.sort(key=lambda r: r[0], reverse=True)
    return [r[2] for r in rows]


def _page_order() -> list[str]:
    """The order of the region and agency pages' lists (their documents' incoming links): newest first
    (none last), then by the name shown (the title, else the local name), then by IRI."""
    rows = []
    for i in range(N_POLICIES):
        date, title = _facts(i)
        rows.append((date or "", title or str(_policy(i)).rsplit("/", 1)[-1], str(_policy(i))))
    rows.sort(key=lambda r: (r[1], r[2]))
    rows.sort(key=lambda r: (r[0] != "", r[0]), reverse=True)
    return ["/doc/" + r[2][len(BASE) + 3:] for r in rows]


def _listed(store, **kw) -> list[str]:
    return [r["link"].iri for r in list_policies(store, PolicyFilters(**kw), BASE)]


@pytest.mark.parametrize("size", [101, 7, 60])
def test_pages_of_the_policies_list_follow_one_total_order(store, size):
    """Page after page, each policy once, none missing, in the order worked out from the data, across the
    day that 130 policies share (read by the second query) and into the policies of no date."""
    expected = _expected_order()
    assert _listed(store, agency=AGENCY, limit=1000) == expected
    pages = [_listed(store, agency=AGENCY, limit=size, offset=o) for o in range(0, N_POLICIES + size, size)]
    assert [x for p in pages for x in p] == expected
    assert pages[-1] == []


def test_a_page_inside_a_day_of_many_policies(store):
    """A page all of one day's policies, far from that day's first: placed by counting the later ones."""
    expected = _expected_order()
    same_day = [i for i, iri in enumerate(expected) if iri.startswith(f"{BASE}id/policy/s13-p")
                and _facts(int(iri[-3:]))[0] == "2039-06-15"]
    start = same_day[0] + 110  # beyond the margin read around a page
    assert _listed(store, agency=AGENCY, limit=10, offset=start) == expected[start:start + 10]


def test_the_region_filter_pages_the_same_way(store):
    """The region filter takes in the city's policies; its pages are the agency's (the same policies)."""
    assert _listed(store, region=REGION, limit=1000) == _expected_order()
    assert _listed(store, region=CITY, limit=1000) == [x for x in _expected_order()
                                                        if int(x[-3:]) % 10 == 3]


def _links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def _policy_links(html: str) -> list[str]:
    table = html.split('<table id="policies">', 1)[1].split("</table>", 1)[0]
    return [h for h in _links(table) if h.startswith("/doc/policy/")]


def test_policies_page_links_next_and_previous(client):
    seen: list[str] = []
    for page in range(1, 5):
        r = client.get("/policies", params={"agency": "s13-a", "page": page})
        assert r.status_code == 200
        links = _links(r.text)
        rows = _policy_links(r.text)
        assert ("/policies?agency=s13-a&amp;page=%d" % (page + 1) in links) == (page < 4)
        assert ("/policies?agency=s13-a&amp;page=%d" % (page - 1) in links) == (page > 1)
        seen += rows
    assert len(seen) == len(set(seen)) == N_POLICIES
    assert seen == ["/doc/" + iri[len(BASE) + 3:] for iri in _expected_order()]


def _year_key(row) -> tuple:
    """Region label, policy title (none first: the page then shows the policy's local name), indicator, target."""
    untitled = row["policy"].text == row["policy"].iri.rsplit("/", 1)[-1]
    return (row["region"].text if row["region"] else "", (not untitled, "" if untitled else row["policy"].text), row["indicator"],
            row["href"])


def test_year_pages_hold_every_target_once_in_order(store):
    first = year_page(store, YEAR, BASE)
    assert first["total"] == N_TARGETS and first["pages"] == -(-N_TARGETS // YEAR_PAGE_SIZE) == 3
    rows = [r for p in range(1, first["pages"] + 1) for r in year_page(store, YEAR, BASE, p)["targets"]]
    assert len(rows) == N_TARGETS and len({r["href"] for r in rows}) == N_TARGETS
    # the policies of no region come first (no region label sorts first), then the regions by label
    assert [r["region"] is None for r in rows[:50]] == [True] * 50
    labelled = [r for r in rows if r["region"] is not None]
    assert labelled == sorted(labelled, key=_year_key)
    assert {r["region"].text for r in labelled} == {"S13 City", "S13 Other", "S13 Region"}
    with pytest.raises(NotFound):
        year_page(store, YEAR, BASE, 4)


def test_year_page_links_and_bad_pages(client):
    r = client.get(f"/year/{YEAR}")
    assert r.status_code == 200
    assert f"/year/{YEAR}?page=2" in _links(r.text) and "450 targets, page 1 of 3" in r.text
    r2 = client.get(f"/year/{YEAR}", params={"page": 2})
    assert f"/year/{YEAR}" in _links(r2.text) and f"/year/{YEAR}?page=3" in _links(r2.text)
    r3 = client.get(f"/year/{YEAR}", params={"page": 3})
    assert f"/year/{YEAR}?page=4" not in _links(r3.text) and f"/year/{YEAR}?page=2" in _links(r3.text)
    assert r.text.count("<tr>") + r2.text.count("<tr>") + r3.text.count("<tr>") == N_TARGETS + 3  # + headers
    assert client.get(f"/year/{YEAR}", params={"page": 4}).status_code == 404
    for bad in ("0", "x", "-1", "10001"):
        assert client.get(f"/year/{YEAR}", params={"page": bad}).status_code == 422
    assert client.get(f"/year/{YEAR}?page=1&page=2").status_code == 422
    assert client.get("/year/1999").status_code == 200  # no targets: page 1 says so
    assert client.get("/year/1999", params={"page": 2}).status_code == 404


def test_region_page_lists_the_most_recent_and_links_to_all(client):
    r = client.get("/doc/region/s13-r", headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert _policy_links(r.text) == _page_order()[:PAGE_LIST_SIZE]
    assert "/policies?region=s13-r" in _links(r.text)
    assert f"All {N_POLICIES} policies, with those of its subdivisions" in r.text
    # its targets: the first PAGE_LIST_SIZE, and the count of all by year, linking to the year pages
    targets = r.text.split('<table id="targets">', 1)[1].split("</table>", 1)[0]
    assert targets.count("<tr>") == PAGE_LIST_SIZE + 1
    assert f"/year/{YEAR}" in _links(r.text) and f"/year/{YEAR + 5}" in _links(r.text)


def test_region_targets_counts_all_and_lists_the_first(store):
    rows = region_targets(store, REGION, BASE)
    mine = sum(1 for t in range(N_TARGETS) if t % 9 not in (0, 1))  # the city's policies are the region's too
    assert rows.total == mine + 60 and len(rows) == PAGE_LIST_SIZE
    assert dict(rows.by_year) == {str(YEAR): mine, str(YEAR + 5): 60}
    assert [r["year"] for r in rows] == [str(YEAR)] * PAGE_LIST_SIZE


def test_agency_page_lists_the_most_recent_and_links_to_all(client):
    r = client.get("/doc/agency/s13-a", headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert _policy_links(r.text) == _page_order()[:PAGE_LIST_SIZE]
    assert "/policies?agency=s13-a" in _links(r.text) and f"All {N_POLICIES} policies" in r.text
    assert "2039: 130" in r.text  # the counts by year take in every policy, not the listed ones


def test_the_rdf_documents_still_hold_every_link(client):
    r = client.get("/doc/agency/s13-a.nt")
    assert r.status_code == 200
    assert r.text.count(f"<{AGENCY}>") >= N_POLICIES


# ------------------------------------------------------------------ the same pages on a remote store

@pytest.fixture(scope="module")
def remote(tmp_path_factory, store):
    with oxigraph_server(str(tmp_path_factory.mktemp("oxi-s13"))) as url:
        r = RemoteStore(Settings(sparql_endpoint=f"{url}/query", sparql_update_endpoint=f"{url}/update",
                                 query_timeout_s=30))
        quads = store.raw.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8")
        graphs: dict[str, list[str]] = {}
        for q in ox.parse(quads.encode("utf-8"), format=ox.RdfFormat.N_QUADS):
            graphs.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
        for g, ts in graphs.items():
            r._update(f"INSERT DATA {{ GRAPH {g} {{ {' '.join(ts)} }} }}")
        yield r


def test_the_pages_are_the_same_on_a_remote_store(remote, store):
    for kw in ({"agency": AGENCY, "limit": 101, "offset": 101}, {"region": REGION, "limit": 10, "offset": 240},
               {"q": "s13 policy c", "limit": 30}, {"year": 2039, "limit": 101}):
        assert _listed(remote, **kw) == _listed(store, **kw), kw
    for page in (1, 3):
        assert year_page(remote, YEAR, BASE, page) == year_page(store, YEAR, BASE, page)
    assert list(region_targets(remote, REGION, BASE)) == list(region_targets(store, REGION, BASE))


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory, store):
    """A RemoteStore on a throwaway Virtuoso 7 (tests/test_remote_virtuoso.py's server) holding the same graphs."""
    from tests.test_remote_virtuoso import _settings, _virtuoso  # noqa: PLC0415 - only when this test runs

    with _virtuoso(tmp_path_factory.mktemp("virtuoso-s13")) as url:
        r = RemoteStore(_settings(url))
        ds = rdflib.Dataset()
        ds.parse(Path(__file__).parent / "data" / "sample.trig", format="trig")
        graphs = {g.identifier: rdflib.Graph() + g for g in ds.graphs() if str(g.identifier).startswith(BASE)}
        graphs[URIRef(f"{BASE}graph/s13-scale")] = _graph()
        r.replace_graphs(graphs)
        yield r


def test_the_pages_are_the_same_on_virtuoso(virtuoso, store):
    """Virtuoso 7 answers the pages' queries (sub-SELECTs in OPTIONAL, VALUES blocks, ORDER BY an
    aggregate) as the embedded store does."""
    for kw in ({"agency": AGENCY, "limit": 101, "offset": 101}, {"region": REGION, "limit": 10, "offset": 240},
               {"q": "s13 policy c", "limit": 30}, {"year": 2039, "limit": 101}, {"limit": 50}):
        assert _listed(virtuoso, **kw) == _listed(store, **kw), kw
    for page in (1, 3):
        assert year_page(virtuoso, YEAR, BASE, page) == year_page(store, YEAR, BASE, page)
    assert list(region_targets(virtuoso, REGION, BASE)) == list(region_targets(store, REGION, BASE))
