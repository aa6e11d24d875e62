"""Property-based robustness (hypothesis).

* Round trip: a random small graph of policy-like triples, serialised with
  ``policykg.rdfio.serialize_graph`` in every format of ``FORMATS`` and read
  back with ``parse_rdf``, is the same graph (isomorphic: blank nodes may be
  renamed). Literal text covers the whole of Unicode but surrogates,
  including control characters, quotes, backslashes and bidi controls;
  language tags are drawn in mixed case (RDF 1.1 Concepts §3.3 makes them
  case-insensitive, and the parser's lower-casing must keep the graph equal).
* Parser robustness: any bytes given to ``parse_rdf`` in any format give a
  dataset or a ``PolicyKGError``, never another exception.
* Quantities: ``loaders.quantities.parse_quantity`` and ``find_quantities``
  on any text give ``None``/a ``Quantity`` (a list of them) whose offsets lie
  inside the text, never an exception. The grammar's own cases belong to
  ``tests/test_loaders_quantities.py``.
"""

from __future__ import annotations

import re
import string

import pytest
import rdflib
from hypothesis import HealthCheck, assume, example, given, settings, strategies as st
from rdflib import BNode, Literal, URIRef
from rdflib.compare import isomorphic, to_isomorphic
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from policykg.errors import PolicyKGError
from policykg.rdfio import FORMATS, parse_rdf, serialize_graph

from test_hardening_support import need

BASE = "https://w3id.org/policykg/id/"
PKG = rdflib.Namespace("https://w3id.org/policykg/ontology#")
PREDICATES = [RDFS.label, DCTERMS.title, DCTERMS.issued, SKOS.prefLabel, PKG.issuedBy, PKG.jurisdiction,
              PKG.targetYear, PKG.targetValue, PKG.hasTarget, PKG.evidence]
CLASSES = [PKG.Policy, PKG.Agency, PKG.Region, PKG.Target, SKOS.Concept]
KINDS = ["policy", "agency", "region", "target", "provision", "briefing", "concept", "span"]

slug = st.text(alphabet=string.ascii_lowercase + string.digits + "-", min_size=1, max_size=12).filter(
    lambda s: not s.startswith("-"))
iri = st.builds(lambda k, s: URIRef(f"{BASE}{k}/{s}"), st.sampled_from(KINDS), slug)
bnode = st.builds(lambda n: BNode(f"b{n}"), st.integers(0, 5))
# Any Unicode scalar value: no surrogates (not representable in UTF-8).
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
#: Well-formed BCP 47 tags (RFC 5646 §2.1), drawn in random letter case.
LANG_TAGS = ["en", "zh", "fr", "zh-hans", "zh-cn", "en-gb", "es-419", "zh-hant-tw", "de-ch-1996", "sgn-be-fr",
             "yue", "i-klingon", "x-private"]
lang = st.builds(lambda tag, flips: "".join(c.upper() if f else c for c, f in zip(tag, flips + [False] * 20)),
                 st.sampled_from(LANG_TAGS), st.lists(st.booleans(), max_size=12))
typed = st.one_of(
    st.integers(-10**12, 10**12).map(lambda n: Literal(str(n), datatype=XSD.integer)),
    st.decimals(min_value=-10**6, max_value=10**6, places=3, allow_nan=False).map(
        lambda d: Literal(format(d, "f"), datatype=XSD.decimal)),
    st.integers(1900, 2100).map(lambda y: Literal(str(y), datatype=XSD.gYear)),
    st.dates().map(lambda d: Literal(d.isoformat(), datatype=XSD.date)),
    st.booleans().map(lambda b: Literal("true" if b else "false", datatype=XSD.boolean)),
)
literal = st.one_of(text.map(Literal), st.builds(lambda t, l: Literal(t, lang=l), text, lang), typed)
triple = st.one_of(
    st.tuples(st.one_of(iri, bnode), st.sampled_from(PREDICATES), st.one_of(iri, bnode, literal)),
    st.tuples(st.one_of(iri, bnode), st.just(RDF.type), st.sampled_from(CLASSES)),
)
graphs = st.lists(triple, max_size=15).map(lambda ts: _graph(ts))


def _graph(triples: list) -> rdflib.Graph:
    """The graph of ``triples``, blank nodes kept acyclic (``_:bI ... _:bJ`` only when J > I).

    Cycles through blank nodes are pinned by their own test
    (:func:`test_jsonld_keeps_blank_node_cycles`).
    """
    g = rdflib.Graph()
    for s, p, o in triples:
        if isinstance(s, BNode) and isinstance(o, BNode) and int(str(o)[1:]) <= int(str(s)[1:]):
            continue
        g.add((s, p, o))
    return g


_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_safe(g: rdflib.Graph) -> bool:
    """True when every literal is made of XML 1.0 characters (XML 1.0 §2.2, production [2] Char)."""
    return not any(isinstance(o, Literal) and _XML_CHAR.search(str(o)) for _, _, o in g)


def _lower_lang(g: rdflib.Graph) -> rdflib.Graph:
    """The graph with language tags in lower case (their canonical form, RDF 1.1 Concepts §3.3)."""
    out = rdflib.Graph()
    for s, p, o in g:
        if isinstance(o, Literal) and o.language:
            o = Literal(str(o), lang=o.language.lower())
        out.add((s, p, o))
    return out


def _falsy_native(o: object) -> bool:
    """A literal JSON-LD writes as a native falsy value: "" (plain), 0 (xsd:integer), false (xsd:boolean)."""
    return (isinstance(o, Literal) and not o.language and o.datatype in (None, XSD.string, XSD.integer, XSD.boolean)
            and not o.toPython())


def _diff(a: rdflib.Graph, b: rdflib.Graph) -> str:
    ia, ib = to_isomorphic(a), to_isomorphic(b)
    only_a = sorted(t.n3() for t in (ia - ib) for t in t)[:6]
    only_b = sorted(t.n3() for t in (ib - ia) for t in t)[:6]
    return f"only before: {only_a}\nonly after: {only_b}"


@pytest.mark.parametrize("fmt", FORMATS, ids=[f.name for f in FORMATS])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graph=graphs)
def test_serialize_then_parse_is_the_same_graph(fmt, graph: rdflib.Graph) -> None:  # noqa: ANN001
    if fmt.name == "rdfxml":
        assume(_xml_safe(graph))  # the other characters: test_rdfxml_refuses_or_keeps_control_characters
    if fmt.name == "jsonld":
        assume(not any(_falsy_native(o) for _, _, o in graph))  # test_jsonld_keeps_falsy_values
    data = serialize_graph(graph, fmt)
    ds = parse_rdf(data, fmt, source="roundtrip") if len(graph) else None
    back = rdflib.Graph()
    if ds is not None:
        for ctx in ds.graphs():
            for t in ctx:
                back.add(t)
    expected = _lower_lang(graph)
    assert isomorphic(expected, _lower_lang(back)), _diff(expected, back) + "\n" + data.decode()[:800]


def _roundtrip(graph: rdflib.Graph, name: str) -> rdflib.Graph:
    fmt = next(f for f in FORMATS if f.name == name)
    back = rdflib.Graph()
    for ctx in parse_rdf(serialize_graph(graph, fmt), fmt, source=name).graphs():
        for t in ctx:
            back.add(t)
    return back


@pytest.mark.parametrize("value", [Literal(""), Literal("0", datatype=XSD.integer), Literal("false", datatype=XSD.boolean)],
                         ids=["empty-string", "zero", "false"])
def test_jsonld_keeps_falsy_values(value: Literal) -> None:
    g = rdflib.Graph()
    s = URIRef(BASE + "target/t")
    g.add((s, PKG.targetValue, value))
    g.add((s, PKG.targetValue, Literal("a")))
    assert isomorphic(_roundtrip(g, "jsonld"), g)


def test_jsonld_keeps_blank_node_cycles() -> None:
    g = rdflib.Graph()
    b = BNode()
    g.add((b, RDFS.label, b))  # referenced from nowhere else
    assert isomorphic(_roundtrip(g, "jsonld"), g)


@pytest.mark.parametrize("value", ["page\x0cbreak", "bell\x07", "nul\x00", "\ufffe"])
def test_rdfxml_refuses_or_keeps_control_characters(value: str) -> None:
    g = rdflib.Graph()
    g.add((URIRef(BASE + "policy/p"), RDFS.label, Literal(value)))
    fmt = next(f for f in FORMATS if f.name == "rdfxml")
    try:
        data = serialize_graph(g, fmt)
    except PolicyKGError:
        return  # refused clearly
    assert isomorphic(_roundtrip(g, "rdfxml"), g), data


@pytest.mark.parametrize("fmt", FORMATS, ids=[f.name for f in FORMATS])
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass"))))
@example(data=b"\x00{\x00\x80\x00")  # read as UTF-16 by json.loads, then a truncated code unit
def test_parse_rdf_gives_a_dataset_or_a_policykg_error(fmt, data: bytes) -> None:  # noqa: ANN001
    try:
        parse_rdf(data, fmt, source="fuzz")
    except PolicyKGError as exc:
        assert exc.status in (400, 413, 415)


RDF_FRAGMENTS = st.sampled_from([
    "<http://ex.org/a>", "<http://ex.org/b c>", "_:b", "[", "]", "(", ")", ";", ",", ".", "\"x\"", "\"\"\"",
    "@en", "@EN-gb", "^^<http://www.w3.org/2001/XMLSchema#integer>", "\\u0000", "\\uD800", "@prefix ex: <x> .",
    "ex:a", "@base <file:///etc/> .", "1", "1.5e3", "true", "<>", "a", "\n", " ", "{", "}", "GRAPH",
])


@pytest.mark.parametrize("name", ["turtle", "trig", "ntriples", "nquads"])
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(RDF_FRAGMENTS, max_size=30))
def test_turtle_family_fragments_never_crash(name: str, parts: list[str]) -> None:
    fmt = next(f for f in FORMATS if f.name == name)
    try:
        parse_rdf(" ".join(parts).encode("utf-8", "surrogatepass"), fmt, source="fragments")
    except PolicyKGError as exc:
        assert exc.status in (400, 413, 415)


QUANTITY_WORDS = st.sampled_from([
    "more than", "at least", "no more than", "about", "approximately", "up to", "less than", "10", "1,200",
    "2.5", "five", "twenty-five", "two hundred and ten", "a", "million", "billion", "%", "percent",
    "percentage points", "kilowatts", "MW", "GW", "tons", "tonnes of standard coal", "yuan", "yuan/ton",
    "tce", "(", ")", "of", "-", "to", "charging piles", "\u3000", "１０", "万", "亿", "吨", "1e309", "0.000",
    ",", ".", "per", "kWh", "m³", "by 2030",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(phrase=st.one_of(st.lists(QUANTITY_WORDS, max_size=8).map(" ".join), st.text(max_size=60)))
def test_parse_quantity_gives_none_or_a_quantity(phrase: str) -> None:
    quantities = need("loaders.quantities", "the quantity grammar (loaders/quantities.py)")
    parse_quantity = getattr(quantities, "parse_quantity", None)
    if parse_quantity is None:
        pytest.skip("loaders.quantities.parse_quantity is not written yet")
    q = parse_quantity(phrase)
    assert q is None or isinstance(q, quantities.Quantity)
    if q is not None:
        assert 0 <= q.start <= q.end <= len(phrase)
    for found in quantities.find_quantities(phrase):
        assert isinstance(found, quantities.Quantity)
        assert 0 <= found.start <= found.end <= len(phrase)
