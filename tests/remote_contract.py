"""Store-contract checks shared by the remote-store integration tests (Oxigraph server, Virtuoso):
the same behaviour asserted on every SPARQL 1.1 server policykg supports."""

from __future__ import annotations

import pytest
import rdflib
from rdflib import Literal, URIRef

from policykg.errors import StoreError

BASE = "https://w3id.org/policykg/"
POLICY = f"{BASE}id/policy/370200-green-buildings-measures"
TITLE = Literal("Qingdao Measures for Green Buildings", lang="en")


def check_bindings_are_terms_not_text(store) -> None:  # noqa: ANN001
    """Bound values select by term and never change the query, whatever they hold."""
    q = "SELECT ?s ?t WHERE { ?s <http://purl.org/dc/terms/title> ?t }"
    rows = store.select(q, {"t": TITLE})
    assert [str(r["s"]) for r in rows] == [POLICY]
    for payload in ['" } ?s ?p ?o { "', "x\n} UNION { ?s ?p ?o", "> . ?s ?p ?o <"]:
        assert store.select(q, {"t": Literal(payload)}) == []


def check_replace_is_atomic_and_versioned(store) -> str:  # noqa: ANN001
    """replace_graphs replaces whole graphs, moves the data version, and a refused write
    changes neither data nor version; returns the version before the final drop."""
    name = URIRef(f"{BASE}graph/remote-test")
    g = rdflib.Graph()
    g.add((URIRef("http://ex/a"), URIRef("http://ex/p"), Literal("one")))
    store.replace_graphs({name: g})
    v1 = store.data_version().tag
    g2 = rdflib.Graph()
    g2.add((URIRef("http://ex/a"), URIRef("http://ex/p"), Literal("two")))
    store.replace_graphs({name: g2})
    assert store.data_version().tag != v1
    assert [str(r["o"]) for r in store.select(f"SELECT ?o WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")] == ["two"]
    bad = rdflib.Graph()
    bad.add((URIRef("http://ex/a"), URIRef("http://ex/p"), Literal("x", datatype=URIRef("http://ex/dt> . <x"))))
    v2 = store.data_version().tag
    with pytest.raises(StoreError):
        store.replace_graphs({name: bad})
    assert [str(r["o"]) for r in store.select(f"SELECT ?o WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")] == ["two"]
    assert store.data_version().tag == v2
    store.drop_graphs([name])
    assert name not in store.graph_names()
    assert b"graph/reference" in store.dump_nquads()
    return v2


#: Parameters for the canned queries on tests/data/sparql_sample.trig where the header's example does not fit.
SAMPLE_QUERY_PARAMS = {"briefing-contents": {"briefing": "test-briefing-2024-03"},
                       "policy-targets": {"policy": "cn-sd-new-energy-storage-implementation-plan"},
                       "lookup": {"text": "NDRC"}}


#: A value of each parameter type that the sample graph has nothing for (an optional parameter given it
#: leaves no row, where left out it leaves all).
OTHER = {"year": "1999", "string": "no such text", "integer": "0"}


def _rows(client, name: str, params: dict) -> list[tuple]:  # noqa: ANN001
    r = client.get(f"/api/queries/{name}", params=params, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, (name, r.status_code, r.text[:300])
    out = []
    for b in r.json()["results"]["bindings"]:
        row = []
        for var, term in sorted(b.items()):
            value = term["value"]
            if term.get("datatype", "").endswith(("#integer", "#int", "#decimal", "#double", "#long")):
                value = float(value)  # Virtuoso writes a count as xsd:int, Oxigraph as xsd:integer
            elif term.get("datatype", "").endswith("#boolean"):
                value = float(value in ("true", "1"))  # and the value of a comparison as 1 or 0
            row.append((var, value, term.get("xml:lang")))
        out.append(tuple(row))
    return sorted(out, key=repr)


def check_every_canned_query_answers_as_embedded(remote_client) -> None:  # noqa: ANN001
    """Every canned query (``queries/*.rq``) gives a non-empty answer through ``/api/queries`` on the
    remote store, with the same rows as on the embedded store holding the same data (issue 6:
    "the twelve canned queries answer on both embedded and remote stores"), and its pages add up to it.
    A parameter that may be left out is also left out, and given a value that matches nothing: the
    rows are the embedded store's each time (an optional parameter is a filter the query writes with
    COALESCE, which engines read differently for an unbound variable)."""
    from policykg.settings import PROJECT_ROOT, Settings
    from policykg.sparql import load_canned_queries
    from tests.sparql_helpers import running_client, sample_store

    settings = Settings(query_timeout_s=10)
    queries = load_canned_queries(PROJECT_ROOT / "queries")
    assert len(queries) >= 12
    with running_client(settings, sample_store(settings)) as (embedded, _):
        for name, q in sorted(queries.items()):
            params = {p.name: p.example for p in q.params if p.example is not None}
            params.update(SAMPLE_QUERY_PARAMS.get(name, {}))
            expected = _rows(embedded, name, params)
            assert expected, name
            got = _rows(remote_client, name, params)
            assert got == expected, (name, sorted(set(got) ^ set(expected), key=repr)[:6])
            check_pages_add_up(remote_client, name, params)
            for p in q.params:
                if p.required or p.default is not None:
                    continue
                for variant in ({k: v for k, v in params.items() if k != p.name}, {**params, p.name: OTHER[p.type]}):
                    expected = _rows(embedded, name, variant)
                    assert _rows(remote_client, name, variant) == expected, (name, variant)


def check_pages_add_up(client, name: str, params: dict) -> int:  # noqa: ANN001
    """The pages of 2 rows of a canned answer, read by following ``Link: rel="next"``, are the whole
    answer in its order: the store sorts by the query's total ORDER BY and applies the OFFSET written in.
    Returns the number of pages read."""
    accept = {"Accept": "application/sparql-results+json"}
    whole = client.get(f"/api/queries/{name}", params=params, headers=accept).json()["results"]["bindings"]
    assert whole, name
    pages: list = []
    read = 0
    r = client.get(f"/api/queries/{name}", params={**params, "limit": 2}, headers=accept)
    while True:
        assert r.status_code == 200, (name, r.status_code, r.text[:300])
        rows = r.json()["results"]["bindings"]
        assert len(rows) <= 2, name
        pages += rows
        read += 1
        nxt = r.links.get("next")
        if nxt is None:
            break
        assert len(pages) <= len(whole), name
        r = client.get(nxt["url"], headers=accept)
    assert pages == whole, (name, len(pages), len(whole))
    return read


def check_conditional_replace_is_a_compare_and_swap(store) -> None:  # noqa: ANN001
    """``replace_graphs(if_version=tag)`` writes only on that data version: a stale tag raises
    WriteConflict and changes nothing, blank nodes stay one node each (a second curator's merge
    must not land on a state it was not checked against)."""
    from rdflib import BNode

    from policykg.errors import WriteConflict

    name = URIRef(f"{BASE}graph/remote-cas-test")
    g = rdflib.Graph()
    b = BNode()
    g.add((URIRef("http://ex/a"), URIRef("http://ex/p"), b))
    g.add((b, URIRef("http://ex/q"), Literal("one")))
    before = store.data_version().tag
    store.replace_graphs({name: g}, if_version=before)
    after = store.data_version().tag
    assert after != before
    rows = store.select(f"SELECT ?o WHERE {{ GRAPH <{name}> {{ <http://ex/a> <http://ex/p> ?b . ?b <http://ex/q> ?o }} }}")
    assert [str(r["o"]) for r in rows] == ["one"]
    g2 = rdflib.Graph()
    g2.add((URIRef("http://ex/a"), URIRef("http://ex/p"), Literal("two")))
    with pytest.raises(WriteConflict):
        store.replace_graphs({name: g2}, if_version=before)  # stale: another write came in between
    assert store.data_version().tag == after
    assert len(store.select(f"SELECT ?o WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")) == 2  # unchanged
    store.drop_graphs([name])


def check_select_star_columns_in_query_order(client) -> None:  # noqa: ANN001
    """``SELECT *`` answers with its columns in the order the query names the variables, in every results
    format (``policykg.sparql.star_columns``): policy, title, agency, not pyoxigraph's alphabetical order."""
    import csv
    import io
    import re

    query = ("PREFIX pkg: <https://w3id.org/policykg/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/>\n"
             "SELECT * WHERE { ?policy dcterms:title ?title ; pkg:issuedBy ?agency } LIMIT 3")
    want = ["policy", "title", "agency"]
    r = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.json()["head"]["vars"] == want
    assert {frozenset(b) for b in r.json()["results"]["bindings"]} == {frozenset(want)}
    r = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+xml"})
    assert r.status_code == 200 and re.findall(r'<variable name="(\w+)"', r.text) == want
    r = client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    rows = list(csv.reader(io.StringIO(r.text, newline="")))
    assert r.status_code == 200 and rows[0] == want and len(rows) == 4
    assert all(row[0].startswith("https://w3id.org/policykg/id/policy/") and
               row[2].startswith("https://w3id.org/policykg/id/agency/") for row in rows[1:])
    r = client.get("/sparql", params={"query": query}, headers={"Accept": "text/tab-separated-values"})
    lines = r.text.rstrip("\n").split("\n")
    assert r.status_code == 200 and lines[0] == "?policy\t?title\t?agency" and len(lines) == 4, r.text[:300]
    assert all(line.split("\t")[0].startswith("<https://w3id.org/policykg/id/policy/") for line in lines[1:])


def check_a_hub_is_described_with_a_bounded_number_of_its_links(store) -> None:  # noqa: ANN001
    """``describe_bounded`` on the store: with a bound of 2, China (linked to by every national policy of
    tests/data/sparql_sample.trig) is described with 2 of its links and their subjects' labels, and
    nothing the full description lacks; with the default bound, as :func:`~policykg.describe.describe`."""
    from rdflib import URIRef

    from policykg.describe import describe, describe_bounded

    china = URIRef("https://w3id.org/policykg/id/region/CN")
    full = describe(store, china)
    assert len(set(full.subjects(None, china))) > 2
    graph, partial = describe_bounded(store, china, limit=2)
    assert partial == 2 and len(set(graph.subjects(None, china))) == 2 and set(graph) <= set(full)
    assert any(True for _ in graph.predicate_objects(china))  # its own description is whole
    graph, partial = describe_bounded(store, china)
    assert partial is None and set(graph) == set(full)


#: Three entry graphs for :func:`check_drop_keeps_what_the_other_graphs_need`: a policy that sets a target
#: (A), the target (B), one more statement about the policy (D).
DROP_POLICY = URIRef(f"{BASE}id/policy/cn-drop-test-plan")
DROP_TARGET = URIRef(f"{BASE}id/target/cn-drop-test-plan-1")
DROP_ENTRIES = {
    "drop-test-a": f"""@prefix pkg: <https://w3id.org/policykg/ontology#> . @prefix dcterms: <http://purl.org/dc/terms/> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <{DROP_POLICY}> a pkg:Policy ; dcterms:title "Drop test plan"@en ;
            pkg:genre <{BASE}id/genre/notice> ; pkg:issuedBy <{BASE}id/agency/ndrc> ;
            pkg:jurisdiction <{BASE}id/region/CN> ; pkg:governmentLevel pkg:National ;
            pkg:publicationDate "2024-01-05"^^xsd:date ; pkg:setsTarget <{DROP_TARGET}> .""",
    "drop-test-b": f"""@prefix pkg: <https://w3id.org/policykg/ontology#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <{DROP_TARGET}> a pkg:Target ; pkg:indicator "share of green buildings"@en ;
            pkg:targetYear "2027"^^xsd:gYear .""",
    "drop-test-d": f"""@prefix pkg: <https://w3id.org/policykg/ontology#> .
        <{DROP_POLICY}> pkg:sector <{BASE}id/sector/buildings> .""",
}


def check_drop_keeps_what_the_other_graphs_need(store, validator) -> None:  # noqa: ANN001
    """``drop_graphs_checked`` refuses a drop that would break the graphs that remain, changing nothing,
    and drops graphs that can go together; the data version moves only then."""
    from policykg.errors import NotFound, ValidationFailed  # noqa: PLC0415
    from policykg.ingest import Entry, GraphNeeded, drop_graphs_checked, merge_entries  # noqa: PLC0415

    names = {slug: URIRef(f"{BASE}graph/{slug}") for slug in DROP_ENTRIES}
    entries = [Entry(names[slug], rdflib.Graph().parse(data=text, format="turtle"), f"{slug}.ttl")
               for slug, text in DROP_ENTRIES.items()]
    outcome = merge_entries(store, validator, entries)
    assert not outcome.report.violations, outcome.report.to_text()
    version = store.data_version().tag
    held = {g: len(store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}"))
            for g in names.values()}
    # the policy goes, its target stays: the target then belongs to no policy (a new violation)
    with pytest.raises(ValidationFailed) as failed:
        drop_graphs_checked(store, validator, [names["drop-test-a"], names["drop-test-d"]])
    assert [r.focus_node for r in failed.value.report.violations] == [str(DROP_TARGET)]
    assert "belongs to no policy" in failed.value.report.violations[0].message
    # the target goes, the policy stays pointing at it
    with pytest.raises(ValidationFailed) as failed:
        drop_graphs_checked(store, validator, [names["drop-test-b"]])
    assert {r.focus_node for r in failed.value.report.violations} == {str(DROP_POLICY)}
    # the policy's class goes, another graph's statement about it stays
    with pytest.raises(GraphNeeded) as needed:
        drop_graphs_checked(store, validator, [names["drop-test-a"], names["drop-test-b"]])
    assert str(DROP_POLICY) in needed.value.detail and str(names["drop-test-d"]) in needed.value.detail
    with pytest.raises(NotFound):
        drop_graphs_checked(store, validator, [URIRef(f"{BASE}graph/drop-test-none")])
    assert store.data_version().tag == version  # nothing was written by the refusals
    assert {g: len(store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}"))
            for g in names.values()} == held
    # all three together: nothing is left dangling
    done = drop_graphs_checked(store, validator, list(names.values()))
    assert set(done.dropped) == set(names.values()) and done.dropped[names["drop-test-a"]].policies == 1
    assert not set(names.values()) & store.graph_names()
    assert not store.ask(f"ASK {{ <{DROP_POLICY}> ?p ?o }}") and not store.ask(f"ASK {{ <{DROP_TARGET}> ?p ?o }}")
    assert store.data_version().tag != version
