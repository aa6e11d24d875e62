"""A fact stated in two named graphs (a later briefing reporting a policy again) is one fact.

SPARQL 1.1 Query §13.1: the default graph is an RDF graph, a *set* of triples, so the union of the named graphs
holds each triple once. pyoxigraph 0.5 evaluates the union default graph as a bag (oxigraph issue #1919, fixed
for 0.6): a triple in two graphs matches twice, and a join of k such patterns gives 2^k rows. A newcomer saw
``policy-targets`` answer 512 rows for 2 targets and ``/year/2027`` list one target 1,024 times once the same
entries were merged under two graph names.

The canned queries and the pages are written to give the same rows whatever the multiplicity (``SELECT
DISTINCT``, ``COUNT(DISTINCT ...)``); these tests load the sample, then the same briefing graph again under a
second name, and compare every canned query and page with the store that has it once.
"""

from __future__ import annotations

import re

import pytest
from rdflib import URIRef

from policykg.settings import PROJECT_ROOT, Settings
from policykg.sparql import load_canned_queries
from tests.remote_contract import SAMPLE_QUERY_PARAMS, _rows
from tests.sparql_helpers import running_client, sample_store

SETTINGS = Settings(query_timeout_s=20)


def _twice_store():
    """The sample store, plus its briefing graphs copied under second graph names (the same facts reported by
    later briefings)."""
    store = sample_store(SETTINGS)
    copies = {}
    for name in store.graph_names():
        if "/graph/test-briefing-" in str(name):
            copies[URIRef(str(name) + "-reported-again")] = store.construct(
                "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": name})
    assert len(copies) == 2 and all(len(g) > 20 for g in copies.values())
    store.replace_graphs(copies)
    return store


@pytest.fixture(scope="module")
def clients():
    with running_client(SETTINGS, sample_store(SETTINGS)) as (once, _), \
            running_client(SETTINGS, _twice_store()) as (twice, _):
        yield once, twice


def test_every_canned_query_answers_the_same_rows_when_facts_are_repeated(clients) -> None:
    once, twice = clients
    for name, q in sorted(load_canned_queries(PROJECT_ROOT / "queries").items()):
        params = {p.name: p.example for p in q.params if p.example is not None}
        params.update(SAMPLE_QUERY_PARAMS.get(name, {}))
        expected = _rows(once, name, params)
        assert expected, name
        got = _rows(twice, name, params)
        assert len(got) == len(expected) and sorted(got, key=repr) == sorted(expected, key=repr), \
            (name, len(got), len(expected))


def _main(html: str) -> str:
    """The page's main content, without the parts that name graphs or count triples (which do differ)."""
    m = re.search(r"<main.*?</main>", html, re.S)
    return m.group(0) if m else html


@pytest.mark.parametrize("path", ["/year/2025", "/year/2030", "/stats", "/doc/region/CN-SD", "/policies",
                                  "/doc/agency/ndrc"])
def test_pages_are_the_same_when_facts_are_repeated(clients, path: str) -> None:
    once, twice = clients
    a = once.get(path, headers={"Accept": "text/html"})
    b = twice.get(path, headers={"Accept": "text/html"})
    assert a.status_code == b.status_code == 200, (path, a.status_code, b.status_code)
    assert _main(a.text) == _main(b.text), path


@pytest.mark.xfail(strict=True, reason=(
    "pyoxigraph 0.5 evaluates the union default graph as a bag (oxigraph issue #1919, fixed for 0.6): a user's "
    "own COUNT(*) over a pattern of a fact in two graphs counts it twice. The canned queries and pages are "
    "immune (DISTINCT); the endpoint answers what the engine answers"))
def test_a_users_count_counts_a_repeated_fact_once(clients) -> None:
    once, twice = clients
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?p a <https://w3id.org/policykg/ontology#Policy> }"
    counts = [int(c.get("/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"})
                  .json()["results"]["bindings"][0]["n"]["value"]) for c in clients]
    assert counts[0] == counts[1]
