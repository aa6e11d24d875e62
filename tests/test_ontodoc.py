"""The ontology documentation's relation diagram and examples (policykg.ontodoc) and their place on /ontology."""

from __future__ import annotations

import ast
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import OWL

from api import create_app
from policykg import ontodoc
from policykg.ontodoc import CORE_CLASSES, class_examples, diagram_relations, relation_diagram_svg
from policykg.reference import load_ontology_graph
from policykg.settings import Settings
from policykg.store import OxigraphStore
from policykg.vocab import DCTERMS, PKG, RDF, RDFS, SKOS

with warnings.catch_warnings():  # starlette 1.x warns when its test client runs on httpx rather than httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

BASE = "https://w3id.org/policykg/"
SVG = "{http://www.w3.org/2000/svg}"
POLICY = URIRef(f"{BASE}id/policy/test-policy-on-wind-power")
TITLE = "Test Policy on <Wind> & Solar Power"


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return load_ontology_graph()


def _relations(svg: str) -> set[tuple[str, str, str]]:
    root = ET.fromstring(svg)
    return {(g.get("data-property"), g.get("data-domain"), g.get("data-range"))
            for g in root.iter(f"{SVG}g") if g.get("class") == "relation"}


def one_policy_store() -> OxigraphStore:
    g = rdflib.Graph()
    g.add((POLICY, RDF.type, PKG.Policy))
    g.add((POLICY, DCTERMS.title, Literal(TITLE, lang="en")))
    g.add((POLICY, PKG.publicationDate, Literal("2024", datatype=rdflib.XSD.gYear)))
    g.add((POLICY, PKG.issuedBy, URIRef(f"{BASE}id/agency/nea")))
    store = OxigraphStore(None, BASE)
    store.replace_graphs({URIRef(f"{BASE}graph/test"): g})
    return store


def test_all_is_exported() -> None:
    """Every public name the module defines (not imports) is in ``__all__``, and nothing else."""
    tree = ast.parse(Path(ontodoc.__file__).read_text(encoding="utf-8"))
    defined = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            defined.add(node.target.id)
        elif isinstance(node, ast.Assign):
            defined.update(t.id for t in node.targets if isinstance(t, ast.Name))
    assert set(ontodoc.__all__) == {n for n in defined if not n.startswith("_")}


def test_diagram_is_svg_with_a_box_per_core_class(ontology: rdflib.Graph) -> None:
    svg = relation_diagram_svg(ontology)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and "<script" not in svg
    assert root.find(f"{SVG}title").text == "Main relations of the policykg ontology"
    boxes = [g for g in root.iter(f"{SVG}g") if g.get("class") == "class"]
    assert [g.get("data-iri") for g in boxes] == [str(c) for c in CORE_CLASSES]
    for g in boxes:
        name = g.get("data-iri").rsplit("#", 1)[1]
        assert g.find(f"{SVG}a").get("href") == f"#{name}"
        assert g.find(f".//{SVG}text").text == name
        assert g.find(f".//{SVG}title").text.startswith(f"pkg:{name}")
        assert g.find(f".//{SVG}rect") is not None
    assert "A policy document issued by a government body" in svg  # definition in the Policy box's title


def test_diagram_arrows_come_from_domains_and_ranges(ontology: rdflib.Graph) -> None:
    svg = relation_diagram_svg(ontology)
    rels = _relations(svg)
    assert (str(PKG.issuedBy), str(PKG.Policy), str(PKG.Agency)) in rels
    assert (str(PKG.setsTarget), str(PKG.Policy), str(PKG.Target)) in rels
    assert (str(PKG.jurisdiction), str(PKG.Agency), str(PKG.Region)) in rels  # schema:domainIncludes
    assert (str(PKG.partOf), str(PKG.Region), str(PKG.Region)) in rels      # a loop
    assert not any(p == str(PKG.status) for p, _, _ in rels)  # range pkg:PolicyStatus is not a core class
    assert rels == {(str(p), str(d), str(r)) for p, d, r in diagram_relations(ontology)}
    root = ET.fromstring(svg)
    for g in root.iter(f"{SVG}g"):
        if g.get("data-property") == str(PKG.issuedBy):
            assert g.find(f".//{SVG}title").text == "pkg:issuedBy: Policy → Agency"
            assert g.find(f".//{SVG}line").get("marker-end") == "url(#pkg-diagram-arrow)"
            assert g.find(f".//{SVG}text").text == "issuedBy"
    assert relation_diagram_svg(ontology) == svg  # deterministic

    # Not hard-coded: without its domain, pkg:issuedBy is no arrow; a new property is one.
    g = rdflib.Graph() + ontology
    g.remove((PKG.issuedBy, RDFS.domain, None))
    g.add((PKG.cites, RDF.type, OWL.ObjectProperty))
    g.add((PKG.cites, RDFS.domain, PKG.Report))
    g.add((PKG.cites, RDFS.range, PKG.Policy))
    changed = _relations(relation_diagram_svg(g))
    assert not any(p == str(PKG.issuedBy) for p, _, _ in changed)
    assert (str(PKG.cites), str(PKG.Report), str(PKG.Policy)) in changed


def test_diagram_escapes_text() -> None:
    g = rdflib.Graph()
    g.add((PKG.Policy, RDF.type, OWL.Class))
    g.add((PKG.Policy, SKOS.definition, Literal('<script>alert("x")</script> & more', lang="en")))
    svg = relation_diagram_svg(g, title="<b>&</b>")
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == "<b>&</b>"
    assert "<script" not in svg and "&lt;script&gt;" in svg
    assert len([x for x in root.iter(f"{SVG}g") if x.get("class") == "class"]) == 1
    empty = ET.fromstring(relation_diagram_svg(rdflib.Graph()))
    assert "none of the core classes" in "".join(empty.itertext())


def test_examples_from_the_store() -> None:
    store = one_policy_store()
    examples = class_examples(store, [PKG.Policy, PKG.Agency, PKG.Target])
    assert set(examples) == {str(PKG.Policy)}  # no agency or target is in the store: no example
    ttl = examples[str(PKG.Policy)]
    assert TITLE in ttl and "@prefix pkg:" in ttl and "@prefix xsd:" in ttl
    parsed = rdflib.Graph().parse(data=ttl, format="turtle")
    assert (POLICY, DCTERMS.title, Literal(TITLE, lang="en")) in parsed
    assert (POLICY, PKG.issuedBy, URIRef(f"{BASE}id/agency/nea")) in parsed


def test_examples_take_the_first_instance_and_are_trimmed() -> None:
    g = rdflib.Graph()
    for slug in ("b-second", "a-first"):
        s = URIRef(f"{BASE}id/policy/{slug}")
        g.add((s, RDF.type, PKG.Policy))
        for i in range(30):
            g.add((s, SKOS.altLabel, Literal(f"name {slug} {i:02d}")))
    store = OxigraphStore(None, BASE)
    store.replace_graphs({URIRef(f"{BASE}graph/test"): g})
    ttl = class_examples(store, [PKG.Policy], max_lines=10)[str(PKG.Policy)]
    assert "a-first" in ttl and "b-second" not in ttl
    body = [line for line in ttl.splitlines() if line and not line.startswith("@prefix")]
    assert len(body) == 11 and body[-1] == "# … 21 more lines"


def test_ontology_page_shows_diagram_and_examples() -> None:
    client = TestClient(create_app(Settings(), one_policy_store()))
    r = client.get("/ontology", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    assert "<script" not in html
    start = html.index('<figure class="diagram" id="diagram">')
    svg = html[html.index("<svg", start):html.index("</svg>", start) + 6]
    assert (str(PKG.issuedBy), str(PKG.Policy), str(PKG.Agency)) in _relations(svg)
    assert start < html.index('<h2 id="classes">')  # the diagram comes before the classes
    policy = html[html.index('<section class="term" id="Policy">'):]
    policy = policy[:policy.index("</section>")]
    assert '<details class="example">' in policy and "<pre>" in policy
    assert "Test Policy on &lt;Wind&gt; &amp; Solar Power" in policy  # escaped in the page
    agency = html[html.index('<section class="term" id="Agency">'):]
    assert '<details class="example">' not in agency[:agency.index("</section>")]
