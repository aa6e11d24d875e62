"""Tests of policykg.store: named graphs, atomic replacement, data version, dump/restore."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef

import policykg.store as store_module
from policykg.errors import QueryError, StoreError
from policykg.store import OxigraphStore, error_position, iri_ref

BASE = "https://w3id.org/policykg/"
G1 = URIRef(BASE + "graph/one")
G2 = URIRef(BASE + "graph/two")
A = URIRef(BASE + "id/policy/a")
P = URIRef("http://purl.org/dc/terms/title")


def graph(*objects: str) -> rdflib.Graph:
    g = rdflib.Graph()
    for o in objects:
        g.add((A, P, Literal(o, lang="en")))
    return g


@pytest.fixture
def store(tmp_path):
    s = OxigraphStore(tmp_path / "store", BASE)
    yield s
    s.close()


def test_doctests():
    assert doctest.testmod(store_module).failed == 0


def test_new_store_is_empty_with_initial_version(store):
    assert store.is_empty()
    assert store.data_version().tag == "0"


def test_replace_graph_and_union_default_graph(store):
    store.replace_graphs({G1: graph("one"), G2: graph("two")})
    rows = store.select("SELECT ?p ?t WHERE { ?s ?p ?t } ORDER BY ?t", {"p": P})
    assert [str(r["t"]) for r in rows] == ["one", "two"]
    assert {G1, G2} <= store.graph_names()
    assert not store.is_empty()


def test_replace_is_whole_graph(store):
    store.replace_graphs({G1: graph("old", "older")})
    store.replace_graphs({G1: graph("new")})
    titles = {str(r["t"]) for r in store.select(f"SELECT ?t WHERE {{ GRAPH {iri_ref(G1)} {{ ?s ?p ?t }} }}")}
    assert titles == {"new"}


def test_every_write_changes_the_data_version(store):
    store.replace_graphs({G1: graph("x")})
    v1 = store.data_version()
    store.replace_graphs({G1: graph("y")})
    v2 = store.data_version()
    assert v1.tag != v2.tag and v2.modified >= v1.modified


def test_failed_write_leaves_store_unchanged(store):
    store.replace_graphs({G1: graph("kept")})
    before = store.dump_nquads()
    bad = rdflib.Graph()
    bad.add((A, P, Literal("x")))
    with pytest.raises((StoreError, ValueError)):
        store.replace_graphs({G2: graph("new"), URIRef("http://bad iri/>"): bad})
    assert store.dump_nquads() == before


def test_bindings_are_bound_not_pasted(store):
    store.replace_graphs({G1: graph("one")})
    rows = store.select("SELECT ?s ?t WHERE { ?s ?p ?t }", {"s": A})
    assert len(rows) == 1
    rows = store.select("SELECT ?s ?t WHERE { ?s ?p ?t }", {"s": Literal('" } ?x ?y ?z { "')})
    assert rows == []


def test_malformed_query_has_position(store):
    with pytest.raises(QueryError) as info:
        store.select("SELECT * WHERE { ?s ?p }")
    assert info.value.extra["line"] == 1 and info.value.extra["column"] > 1


def test_dump_restore_round_trip(tmp_path, store):
    store.replace_graphs({G1: graph("one"), G2: graph("two", "deux")})
    data = store.dump_nquads()
    other = OxigraphStore(tmp_path / "other", BASE)
    other.replace_graphs({G1: graph("to be replaced")})
    other.restore_nquads(data)
    assert sorted(other.dump_nquads().splitlines()) == sorted(data.splitlines())
    other.close()


def test_restore_of_garbage_changes_nothing(store):
    store.replace_graphs({G1: graph("one")})
    before = store.dump_nquads()
    with pytest.raises(StoreError):
        store.restore_nquads(b"<a> <b> .\n")
    assert store.dump_nquads() == before


def test_second_opener_gets_a_store_error(tmp_path):
    first = OxigraphStore(tmp_path / "locked", BASE)
    with pytest.raises(StoreError):
        OxigraphStore(tmp_path / "locked", BASE)
    first.close()


@pytest.mark.parametrize("message,expected", [
    ("error at 3:14: expected", (3, 14)),
    ("Parser error at line 7 column 2", (7, 2)),
    ("nothing here", (None, None)),
])
def test_error_position(message, expected):
    assert error_position(message) == expected


@pytest.mark.parametrize("bad", ["", "http://a b", "http://a>", 'http://a"', "http://a{"])
def test_iri_ref_refuses_breakouts(bad):
    with pytest.raises(ValueError):
        iri_ref(bad)


def test_snapshot_is_a_read_only_copy_that_refuses_writes(store, tmp_path):
    store.replace_graphs({G1: graph("one")})
    snap = store.snapshot(tmp_path / "snaps" / "s1")
    store.replace_graphs({G1: graph("changed")})  # the snapshot does not follow the store
    ro = OxigraphStore(snap, BASE, read_only=True)
    assert ro.read_only
    assert [str(r["t"]) for r in ro.select(f"SELECT ?t {{ GRAPH <{G1}> {{ ?s ?p ?t }} }}")] == ["one"]
    before = ro.dump_nquads()
    for write in (lambda: ro.replace_graphs({G2: graph("x")}), lambda: ro.drop_graphs([G1]),
                  lambda: ro.restore_nquads(before)):
        with pytest.raises(StoreError, match="open read-only"):
            write()
    assert ro.dump_nquads() == before
    ro.flush()
    ro.close()  # no flush on a read-only store: closes without error
    with pytest.raises(StoreError, match="in-memory"):
        OxigraphStore(None, BASE).snapshot(tmp_path / "mem")


def test_scratch_folder_is_beside_the_store_or_in_the_scratch_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert store_module.scratch_folder("var/kg", "serve-snapshots") == tmp_path / "var" / "kg.serve-snapshots"
    assert (store_module.scratch_folder("var/kg", "query-checkpoints", "scratch")
            == tmp_path / "scratch" / "kg.query-checkpoints")


def test_same_file_system_looks_at_the_nearest_existing_folder(tmp_path):
    assert store_module.same_file_system(tmp_path, tmp_path / "not" / "made" / "yet")
    shm = Path("/dev/shm")
    if shm.is_dir() and shm.stat().st_dev != tmp_path.stat().st_dev:
        assert not store_module.same_file_system(tmp_path, shm / "policykg-not-made")


def test_a_query_with_from_reads_its_own_dataset(store):
    """SPARQL 1.1 §13.2: FROM defines the default graph; without it the store queries the union of its graphs."""
    a, b = URIRef(store.base_iri + "graph/a"), URIRef(store.base_iri + "graph/b")
    ga, gb = rdflib.Graph(), rdflib.Graph()
    ga.add((URIRef("http://e/x"), URIRef("http://e/p"), Literal("in a")))
    gb.add((URIRef("http://e/x"), URIRef("http://e/p"), Literal("in b")))
    store.replace_graphs({a: ga, b: gb})
    union = {str(r["o"]) for r in store.select("SELECT ?o WHERE { <http://e/x> <http://e/p> ?o }")}
    assert union == {"in a", "in b"}
    only_b = store.select(f"SELECT ?o FROM <{b}> WHERE {{ <http://e/x> <http://e/p> ?o }}")
    assert [str(r["o"]) for r in only_b] == ["in b"]
    text = store.select('SELECT ?o WHERE { <http://e/x> <http://e/p> ?o FILTER(?o != "from") }')  # a word, no clause
    assert len(text) == 2


def test_replace_graphs_if_version_writes_only_on_that_version() -> None:
    from policykg.errors import WriteConflict
    from policykg.store import INITIAL_VERSION

    s = OxigraphStore(None, BASE)
    s.replace_graphs({G1: graph("one")}, if_version=INITIAL_VERSION)
    tag = s.data_version().tag
    with pytest.raises(WriteConflict):
        s.replace_graphs({G1: graph("two")}, if_version=INITIAL_VERSION)
    assert s.data_version().tag == tag
    s.replace_graphs({G1: graph("two")}, if_version=tag)
    assert s.data_version().tag != tag
