"""Shared by the linked-data tests (test_resources, test_pages, test_meta): the sample graph in a fresh store."""

from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib import URIRef

from policykg.rdfio import parse_rdf_file
from policykg.store import OxigraphStore
from policykg.vocab import Minter

DATA = Path(__file__).parent / "data" / "sample.trig"
ROOT = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/policykg/"


def make_store(with_ontology: bool = True) -> OxigraphStore:
    """A fresh in-memory store with the sample graph (one named graph per TriG graph) and the ontology."""
    store = OxigraphStore(None, BASE)
    ds = parse_rdf_file(DATA)
    graphs = {g.identifier: rdflib.Graph() + g for g in ds.graphs() if len(g) and isinstance(g.identifier, URIRef)}
    if with_ontology:
        graphs[Minter(BASE).ontology_graph] = rdflib.Graph() + parse_rdf_file(ROOT / "ontology" / "policykg.ttl").default_graph
    store.replace_graphs(graphs)
    return store
