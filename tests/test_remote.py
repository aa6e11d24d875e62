"""policykg.remote.RemoteStore against a real Oxigraph server (the `oxigraph` PyPI package's binary)."""

import json
import re
import warnings

import pytest
import rdflib
from rdflib import BNode, Literal, URIRef

from policykg.errors import QueryError
from policykg.remote import RemoteStore, insert_values, nt_term
from policykg.settings import Settings
from tests.remote_contract import (check_bindings_are_terms_not_text, check_every_canned_query_answers_as_embedded,
                                   check_a_hub_is_described_with_a_bounded_number_of_its_links,
                                   check_select_star_columns_in_query_order,
                                   check_conditional_replace_is_a_compare_and_swap,
                                   check_drop_keeps_what_the_other_graphs_need, check_replace_is_atomic_and_versioned)
from tests.serve_helpers import oxigraph_server
from tests.sparql_helpers import DATA

BASE = "https://w3id.org/policykg/"
@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with oxigraph_server(str(tmp_path_factory.mktemp("oxi"))) as url:
        yield url


@pytest.fixture(scope="module")
def store(server):
    settings = Settings(sparql_endpoint=f"{server}/query", sparql_update_endpoint=f"{server}/update",
                        query_timeout_s=5)
    s = RemoteStore(settings)
    ds = rdflib.Dataset()
    ds.parse(DATA, format="trig")
    s.replace_graphs({g.identifier: g for g in ds.graphs() if str(g.identifier).startswith(BASE)})
    return s


@pytest.mark.parametrize("term, expected", [
    (URIRef("http://ex/a"), "<http://ex/a>"),
    (Literal('a "b"\n\\c'), '"a \\"b\\"\\n\\\\c"'),
    (Literal("x", lang="en"), '"x"@en'),
    (Literal("2030", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear")),
     '"2030"^^<http://www.w3.org/2001/XMLSchema#gYear>'),
])
def test_nt_term(term, expected):
    assert nt_term(term) == expected


def test_nt_term_refuses_bad_iri():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bad = URIRef("http://ex/a> . ?s ?p ?o <x")
    with pytest.raises(ValueError):
        nt_term(bad)


def test_insert_values_finds_the_where_group():
    q = 'CONSTRUCT { ?s ?p "WHERE {" } WHERE { ?s ?p ?o } # WHERE {'
    out = insert_values(q, {"s": URIRef("http://ex/a")})
    assert out == ('CONSTRUCT { <http://ex/a> ?p "WHERE {" } WHERE { <http://ex/a> ?p ?o  VALUES (?s) '
                   '{ (<http://ex/a>) } } # WHERE {')
    one = '"1"^^<http://www.w3.org/2001/XMLSchema#integer>'
    # WHERE is optional: the pattern is then SELECT's and ASK's first group, CONSTRUCT's second
    assert insert_values("ASK { ?s ?p ?o }", {"o": Literal(1)}) == f"ASK {{ ?s ?p {one}  VALUES (?o) {{ ({one}) }} }}"
    assert insert_values("CONSTRUCT { ?s ?p ?o } { ?s ?p ?o }", {"o": Literal(1)}) == (
        f"CONSTRUCT {{ ?s ?p {one} }} {{ ?s ?p {one}  VALUES (?o) {{ ({one}) }} }}")


def test_insert_values_binds_where_substitutions_do():
    """A FILTER on a parameter inside a sub-SELECT or a nested group met an unbound variable when
    the only binding was a VALUES block at the start of the WHERE group: /policies?q= found nothing
    on a remote store (a newcomer's review). A term replaces the variable in the outer scope, and in
    a sub-SELECT that projects it; projections, AS targets, VALUES lists and the outer GROUP BY keep
    it, and a block at the end of the WHERE group binds it for them."""
    q = ("SELECT ?p ?q WHERE { ?p a ?c . { SELECT ?p ?q (EXISTS { ?p ?x ?q } AS ?e) WHERE { ?p ?t ?title "
         "FILTER(CONTAINS(?title, ?q)) } GROUP BY ?p ?q } OPTIONAL { ?p ?y ?z FILTER(?z = ?q) } "
         "{ SELECT ?p WHERE { ?p ?w ?q } } BIND(1 AS ?q2) VALUES ?q3 { 1 } } ORDER BY ?q")
    out = insert_values(q, {"q": Literal("x")})
    assert out.startswith('SELECT ?p ?q WHERE { ?p a ?c')
    assert 'EXISTS { ?p ?x "x" }' in out and 'CONTAINS(?title, "x")' in out and 'FILTER(?z = "x")' in out
    # the sub-SELECT's bare GROUP BY key stays (Virtuoso refuses GROUP BY ("x" AS ?q) beside a projected
    # ?q), bound by a block at the end of its body, which its projection of ?q needs too
    assert 'CONTAINS(?title, "x"))  VALUES (?q) { ("x") } } GROUP BY ?p ?q }' in out
    assert "{ SELECT ?p WHERE { ?p ?w ?q } }" in out  # not projected there: another variable
    assert "SELECT ?p ?q (EXISTS" in out  # a projection keeps its variable
    assert out.endswith('VALUES ?q3 { 1 }  VALUES (?q) { ("x") } } ORDER BY ?q')


@pytest.mark.parametrize("query,bindings,expected", [
    # BOUND takes a variable: a bound parameter in scope is bound, so BOUND(?t) is true
    ("SELECT ?t WHERE { ?s ?p ?t FILTER(BOUND(?t)) }", {"t": Literal("x")},
     'SELECT ?t WHERE { ?s ?p "x" FILTER(true)  VALUES (?t) { ("x") } }'),
    # nothing else may stand in '{ SELECT ... }': it is wrapped; the sub-SELECT projecting the parameter
    # binds it in its body (Virtuoso 7 joins its projected but unbound variable with nothing outside)
    ("SELECT ?t WHERE { SELECT ?t WHERE { ?s ?p ?t } } # done", {"t": Literal("x")},
     'SELECT ?t WHERE { { SELECT ?t WHERE { ?s ?p "x"  VALUES (?t) { ("x") } } } VALUES (?t) { ("x") } } # done'),
    # no projection and no variable left: no block (CONSTRUCT WHERE { } may hold triples only)
    ("CONSTRUCT WHERE { ?s ?p ?t }", {"t": Literal("x")}, 'CONSTRUCT WHERE { ?s ?p "x" }'),
    ("DESCRIBE ?s", {"s": URIRef("http://ex/a")}, "DESCRIBE <http://ex/a>"),
    # a MINUS sharing the parameter needs it bound on its left side too: the block goes first
    ("SELECT ?t WHERE { ?s ?p ?o MINUS { ?s ?q ?t } }", {"t": Literal("x")},
     'SELECT ?t WHERE { VALUES (?t) { ("x") }  ?s ?p ?o MINUS { VALUES (?t) { ("x") }  ?s ?q ?t } }'),
    # GRAPH takes an IRI or a variable: a literal leaves the variable, which the block binds
    ("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": Literal("x")},
     'SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o }  VALUES (?g) { ("x") } }'),
])
def test_insert_values_placement(query, bindings, expected):
    assert insert_values(query, bindings) == expected


@pytest.mark.parametrize("query,bindings,message", [
    ("SELECT ?s WHERE { ?s ?p ?t }", {"t": Literal("x")}, "does not contain variable ?t in its SELECT projection"),
    ("SELECT ?t WHERE { ?s ?p ?t }", {"t": BNode("b")}, "a blank node cannot be bound to ?t"),
    ("SELECT * WHERE { ?s ?p ?t }", {"a-b": Literal(1)}, "'a-b' is not a SPARQL variable name"),
])
def test_insert_values_refuses_what_the_embedded_store_refuses(query, bindings, message):
    with pytest.raises(QueryError, match=re.escape(message)):
        insert_values(query, bindings)


def test_select_ask_construct(store):
    rows = store.select("PREFIX pkg: <https://w3id.org/policykg/ontology#> SELECT ?p WHERE { ?p a pkg:Policy }")
    assert len(rows) == 6
    assert store.ask("ASK { ?s ?p ?o }") is True
    g = store.construct(f"DESCRIBE <{BASE}id/agency/ndrc>")
    assert (URIRef(f"{BASE}id/agency/ndrc"), None, None) in g
    assert URIRef(f"{BASE}graph/reference") in store.graph_names()
    assert store.data_version().tag != "0"


def test_bindings_are_terms_not_text(store):
    check_bindings_are_terms_not_text(store)


def test_replace_is_atomic_and_versioned(store):
    check_replace_is_atomic_and_versioned(store)


def test_malformed_query_is_query_error(store):
    with pytest.raises(QueryError):
        store.select("SELECT * WHERE { ?s ?p }")


def test_api_on_remote_store(store):
    from tests.sparql_helpers import make_client

    settings = Settings(sparql_endpoint=store.endpoint, sparql_update_endpoint=store.update_endpoint,
                        query_timeout_s=5, max_result_rows=3)
    client, _, _ = make_client(settings, store)
    r = client.get("/sparql", params={"query": "PREFIX pkg: <https://w3id.org/policykg/ontology#> "
                                               "SELECT ?p WHERE { ?p a pkg:Policy }"})
    assert r.status_code == 200 and r.headers["x-policykg-truncated"] == "true"
    assert len(r.json()["results"]["bindings"]) == 3
    r = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2"}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and len(rdflib.Graph().parse(data=r.content, format="turtle")) == 2
    r = client.get("/api/queries/policies-by-region", params={"region": "CN-SD"})
    assert r.status_code == 200
    assert len(json.loads(r.content)["results"]["bindings"]) == 2
    r = client.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }"})
    assert r.status_code == 400


def test_every_canned_query_answers_as_on_the_embedded_store(store):
    from tests.sparql_helpers import running_client

    settings = Settings(sparql_endpoint=store.endpoint, sparql_update_endpoint=store.update_endpoint,
                        query_timeout_s=10)
    with running_client(settings, store) as (client, _):
        check_every_canned_query_answers_as_embedded(client)


def test_select_star_columns_come_in_the_querys_order(store):
    from tests.sparql_helpers import running_client

    settings = Settings(sparql_endpoint=store.endpoint, sparql_update_endpoint=store.update_endpoint,
                        query_timeout_s=10)
    with running_client(settings, store) as (client, _):
        check_select_star_columns_in_query_order(client)


@pytest.mark.parametrize("query", [
    "# policies\n# that address a sector (SPARQLWrapper kept this line and read ADD from 'address')\n"
    "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1",
    "PREFIX ex: <http://example.org/>\n# one\n# then copy the rows\nSELECT ?s WHERE { ?s ?p ?o } LIMIT 1",
])
def test_a_query_with_update_words_in_comments_or_strings_is_sent_as_a_query(store, query):
    """SPARQLWrapper guesses query or update from the first such word anywhere in the text; it sent
    these as ``update=`` and the server refused them (a canned query's description had "address")."""
    assert len(store.select(query)) == 1


def test_all_exports_exist():
    from policykg import remote

    for name in remote.__all__:
        assert hasattr(remote, name)


def test_conditional_replace_is_a_compare_and_swap(store):
    check_conditional_replace_is_a_compare_and_swap(store)


def test_conditional_replace_on_a_store_never_written(tmp_path):
    """The first write of a fresh server, conditional on the initial version, happens once."""
    from policykg.errors import WriteConflict
    from policykg.store import INITIAL_VERSION

    g = rdflib.Graph()
    g.add((URIRef("http://ex/a"), URIRef("http://ex/p"), Literal("one")))
    with oxigraph_server(str(tmp_path / "oxi")) as url:
        s = RemoteStore(Settings(sparql_endpoint=f"{url}/query", sparql_update_endpoint=f"{url}/update"))
        assert s.data_version().tag == INITIAL_VERSION
        s.replace_graphs({URIRef(f"{BASE}graph/first"): g}, if_version=INITIAL_VERSION)
        assert s.data_version().tag != INITIAL_VERSION
        with pytest.raises(WriteConflict):
            s.replace_graphs({URIRef(f"{BASE}graph/second"): g}, if_version=INITIAL_VERSION)
        assert s.graph_names() == {URIRef(f"{BASE}graph/first"), s.meta_graph}


def test_select_reads_sparql_12_triple_terms_as_the_embedded_store_does(store):
    """A ``triple`` term of SPARQL 1.2 JSON results is a TripleTerm (it read as a literal: a wrong answer)."""
    from policykg.store import TripleTerm

    rows = store.select('SELECT ?t WHERE { BIND(<<( <http://a> <http://b> "c"@en )>> AS ?t) }')
    assert [str(r["t"]) for r in rows] == ['<<( <http://a> <http://b> "c"@en )>>']
    assert isinstance(rows[0]["t"], TripleTerm) and rows[0]["t"].object == Literal("c", lang="en")


def test_a_hub_is_described_with_a_bounded_number_of_its_links(store):
    check_a_hub_is_described_with_a_bounded_number_of_its_links(store)


def test_drop_refuses_what_breaks_the_other_graphs(store):
    from policykg.validation import Validator

    settings = Settings()
    check_drop_keeps_what_the_other_graphs_need(
        store, Validator(settings.shapes_dir, settings.ontology_dir, base_iri=settings.base_iri))
