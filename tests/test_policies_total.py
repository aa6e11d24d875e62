"""The policy list says how many policies its filters select (``policykg.describe.listed_total``): read from the
background aggregates (all policies; one facet value's count), checked here against the rows the list itself
gives, and left out ("100+") where no aggregate counts them (a title search, two filters)."""
from __future__ import annotations

import re

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from policykg.describe import PolicyFilters, listed_total
from policykg.settings import Settings
from policykg.vocab import PKG
from tests.sparql_helpers import list_count_text as _count_text
from tests.sparql_helpers import listed_rows as _rows
from tests.sparql_helpers import running_client, sample_store

@pytest.fixture(scope="module")
def client():
    settings = Settings(query_timeout_s=10)
    with running_client(settings, sample_store(settings)) as (c, _):
        yield c


def test_the_unfiltered_list_counts_every_policy(client) -> None:
    r = client.get("/policies")
    assert r.status_code == 200
    n = client.get("/sparql", params={"query": "PREFIX pkg: <https://w3id.org/policykg/ontology#> "
                                                 "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a pkg:Policy }"},
                   headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"][0]["n"]["value"]
    assert _count_text(r.text) == f"{int(n)} {'policy' if int(n) == 1 else 'policies'}"
    assert _rows(r.text) == int(n)


@pytest.mark.parametrize("facet", ["region", "agency", "instrument", "sector", "genre", "year"])
def test_each_filter_value_counts_what_the_list_lists(client, facet: str) -> None:
    # every option the form offers: the count its label shows, the count the page says and the rows it lists agree
    form = client.get("/policies").text
    select = form.split(f'<select name="{facet}">', 1)[1].split("</select>", 1)[0]
    options = re.findall(r'<option value="([^"]+)"[^>]*>[^<]*\((\d+)\)</option>', select)
    assert options, facet
    for slug, shown in options:
        r = client.get("/policies", params={facet: slug})
        assert r.status_code == 200, (facet, slug)
        n = int(shown)
        assert _count_text(r.text) == f"{n} {'policy' if n == 1 else 'policies'}", (facet, slug)
        assert _rows(r.text) == n, (facet, slug)


def test_a_search_or_two_filters_give_no_total(client) -> None:
    r = client.get("/policies", params={"q": "energy"})
    assert re.fullmatch(r"\d+\+? polic(y|ies)", _count_text(r.text))
    form = client.get("/policies").text
    region = re.search(r'<select name="region">.*?<option value="([^"]+)"', form, re.S).group(1)
    year = re.search(r'<select name="year">.*?<option value="([^"]+)"', form, re.S).group(1)
    r = client.get("/policies", params={"region": region, "year": year})
    assert re.fullmatch(r"\d+\+? polic(y|ies)", _count_text(r.text))
    assert int(_count_text(r.text).split()[0].rstrip("+")) == _rows(r.text)


def test_pages_of_a_long_list_say_which_policies_they_show() -> None:
    settings = Settings(query_timeout_s=10)
    store = sample_store(settings)
    g = rdflib.Graph()
    region = URIRef(f"{settings.base_iri}id/region/CN-HI")
    for i in range(230):
        p = URIRef(f"{settings.base_iri}id/policy/notice-on-island-ferries-{i:03d}")
        g.add((p, RDF.type, PKG.Policy))
        g.add((p, DCTERMS.title, Literal(f"Notice on Island Ferries No. {i}", lang="en")))
        g.add((p, PKG.jurisdiction, region))
        g.add((p, PKG.publicationDate, Literal(f"2025-{1 + i % 12:02d}-01", datatype=XSD.date)))
    store.replace_graphs({URIRef(f"{settings.base_iri}graph/ferries"): g})
    with running_client(settings, store) as (c, _):
        texts = [_count_text(c.get("/policies", params={"region": "CN-HI", "page": k}).text) for k in (1, 2, 3)]
        assert texts[0].startswith("230 policies: 1 to 100 shown"), texts
        assert texts[1] == "230 policies: 101 to 200 shown", texts
        assert texts[2] == "230 policies: 201 to 230 shown", texts
        everything = _count_text(c.get("/policies").text)
        assert re.fullmatch(r"\d+ policies: 1 to 100 shown", everything) and int(everything.split()[0]) > 230


def test_listed_total_reads_only_the_aggregates() -> None:
    region = URIRef("https://w3id.org/policykg/id/region/CN-SD")
    facets = {"region": [{"slug": "CN-SD", "label": "Shandong", "count": 7}], "year": [{"slug": "2025", "label": "2025", "count": 3}]}
    counts = [{"class": PKG.Policy, "count": 40}, {"class": PKG.Target, "count": 90}]
    assert listed_total(PolicyFilters(), facets, counts) == 40
    assert listed_total(PolicyFilters(region=region), facets, counts) == 7
    assert listed_total(PolicyFilters(year=2025), facets, counts) == 3
    assert listed_total(PolicyFilters(year=1999), facets, counts) == 0  # no option: nothing listed
    assert listed_total(PolicyFilters(region=region, year=2025), facets, counts) is None
    assert listed_total(PolicyFilters(q="ferry"), facets, counts) is None
    assert listed_total(PolicyFilters(region=region), None, counts) is None  # not computed yet
    assert listed_total(PolicyFilters(), facets, None) is None
