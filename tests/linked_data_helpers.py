"""Shared by the linked-data tests (test_resources, test_pages, test_meta): the sample graph in a fresh store;
and by the merge tests (test_merge_api, test_attacks4): a minimal policy entry."""

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


#: A minimal valid policy entry (Turtle) for merge and validation tests.
POLICY = """@prefix pkg: <https://w3id.org/policykg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<https://w3id.org/policykg/id/policy/cn-notice-on-a-test-policy> a pkg:Policy ;
  dcterms:title "Notice on a Test Policy"@en ;
  pkg:genre <https://w3id.org/policykg/id/genre/notice> ;
  pkg:governmentLevel pkg:National ;
  pkg:jurisdiction <https://w3id.org/policykg/id/region/CN> .
"""
