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
