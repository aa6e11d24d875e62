"""Tests of policykg.rdfio: safe parsing of untrusted RDF, format lookup, serialisation."""

from __future__ import annotations

import pytest
import rdflib

from policykg.errors import InputError, PayloadTooLarge, UnsupportedFormat
from policykg.rdfio import FORMATS, format_for_media_type, format_for_path, parse_rdf, serialize_graph

TTL = format_for_path("x.ttl")
JSONLD = format_for_path("x.jsonld")
RDFXML = format_for_path("x.rdf")
NT = format_for_path("x.nt")


def test_turtle_syntax_error_has_line_and_column():
    data = b"@prefix ex: <http://e/> .\nex:a ex:b ex:c ;\n  ex:d \"x .\n"
    with pytest.raises(InputError) as info:
        parse_rdf(data, TTL, source="entry.ttl")
    e = info.value
    assert (e.file, e.line, e.column) == ("entry.ttl", 3, 8)
    assert "entry.ttl:3:8" in str(e)


def test_ntriples_error_position():
    with pytest.raises(InputError) as info:
        parse_rdf(b"<http://a> <http://b> <http://c> .\n<http://a> <http://b> .\n", NT)
    assert info.value.line == 2


@pytest.mark.parametrize("doc", [
    b'{"@context": "http://example.org/context.jsonld", "@id": "http://a", "name": "x"}',
    b'{"@context": "file:///etc/passwd", "@id": "http://a"}',
    b'{"@context": [{"ex": "http://e/"}, "https://schema.org/"], "@id": "http://a"}',
    b'{"@graph": [{"@context": "http://evil.example/ctx", "@id": "http://a"}]}',
])
def test_jsonld_remote_or_file_context_is_refused(doc):
    with pytest.raises(InputError) as info:
        parse_rdf(doc, JSONLD)
    assert info.value.field == "@context"


def test_jsonld_inline_context_is_read():
    ds = parse_rdf(b'{"@context": {"ex": "http://e/"}, "@id": "http://a", "ex:n": "x"}', JSONLD)
    assert len(ds.default_graph) == 1


@pytest.mark.parametrize("context", [
    '"https://w3id.org/policykg/context.jsonld"',
    '["https://w3id.org/policykg/context.jsonld", {"ex": "http://e/"}]',
])
def test_jsonld_naming_our_published_context_is_read_with_it_inline(context):
    """The landing page links /context.jsonld: a document written against it reads without a fetch."""
    doc = ('{"@context": %s, "@id": "https://w3id.org/policykg/id/policy/x", "@type": "pkg:Policy", '
           '"dcterms:title": {"@value": "Notice", "@language": "en"}}' % context).encode()
    g = parse_rdf(doc, JSONLD).default_graph
    x = rdflib.URIRef("https://w3id.org/policykg/id/policy/x")
    assert (x, rdflib.RDF.type, rdflib.URIRef("https://w3id.org/policykg/ontology#Policy")) in g
    assert g.value(x, rdflib.URIRef("http://purl.org/dc/terms/title")) == rdflib.Literal("Notice", lang="en")


@pytest.mark.parametrize("doc", [
    # another document's context beside ours, and a remote scoped context inside ours' neighbour
    b'{"@context": ["https://w3id.org/policykg/context.jsonld", "https://schema.org/"], "@id": "http://a"}',
    b'{"@context": ["https://w3id.org/policykg/context.jsonld", {"t": {"@id": "http://e/t", '
    b'"@context": "http://evil.example/ctx"}}], "@id": "http://a"}',
    # a look-alike of ours
    b'{"@context": "https://w3id.org/policykg/context.jsonld?x", "@id": "http://a"}',
    b'{"@context": "http://w3id.org/policykg/context.jsonld", "@id": "http://a"}',
])
def test_jsonld_other_contexts_beside_ours_are_still_refused(doc):
    with pytest.raises(InputError) as info:
        parse_rdf(doc, JSONLD)
    assert info.value.field == "@context"


def test_json_syntax_error_position():
    with pytest.raises(InputError) as info:
        parse_rdf(b'{\n  "@id": "http://a",\n  oops\n}', JSONLD)
    assert info.value.line == 3


@pytest.mark.parametrize("doc", [
    # billion laughs
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/">'
    b'<rdf:Description rdf:about="http://a"><ex:p>&b;</ex:p></rdf:Description></rdf:RDF>',
    # external entity (XXE)
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/">'
    b'<rdf:Description rdf:about="http://a"><ex:p>&x;</ex:p></rdf:Description></rdf:RDF>',
])
def test_rdfxml_entities_are_refused(doc):
    with pytest.raises(InputError):
        parse_rdf(doc, RDFXML)


def test_size_limit_before_parsing():
    with pytest.raises(PayloadTooLarge):
        parse_rdf(b"<http://a> <http://b> <http://c> .\n" * 100, NT, max_bytes=100)


@pytest.mark.parametrize("data", [b"", b"   \n", b"\xff\xfe\x00garbage"])
def test_empty_or_non_utf8(data):
    with pytest.raises(InputError):
        parse_rdf(data, TTL)


def test_language_tags_are_normalised():
    ds = parse_rdf(b'<http://a> <http://b> "c"@EN-gb .', NT)
    (_, _, o), = ds.default_graph
    assert o.language.lower() == "en-gb"


def test_unknown_suffix_and_media_type():
    with pytest.raises(UnsupportedFormat):
        format_for_path("entry.docx")
    with pytest.raises(UnsupportedFormat):
        format_for_media_type("application/msword")
    assert format_for_media_type("text/turtle; charset=utf-8").name == "turtle"
    assert format_for_media_type("application/x-turtle").name == "turtle"


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_serialisation_round_trip(fmt):
    g = rdflib.Graph()
    g.add((rdflib.URIRef("https://w3id.org/policykg/id/policy/p"), rdflib.URIRef("http://purl.org/dc/terms/title"),
           rdflib.Literal("Notice on 储能", lang="en")))
    data = serialize_graph(g, fmt)
    back = parse_rdf(data, fmt)
    triples = set(back.default_graph) | {t for c in back.contexts() for t in c}
    assert triples == set(g)


def test_jsonld_keeps_the_datatype_of_every_native_literal():
    """A whole-number xsd:double used to come back from compacted JSON-LD as an xsd:integer (JSON-LD 1.1 §8.6)."""
    from rdflib import XSD, Literal, URIRef

    g = rdflib.Graph()
    a, ns = URIRef("https://w3id.org/policykg/id/target/t"), "https://w3id.org/policykg/ontology#"
    values = [Literal("2.0E8", datatype=XSD.double), Literal(2.5), Literal(-0.0), Literal(1e21),
              Literal(2025), Literal(True), Literal("0", datatype=XSD.integer), Literal("x")]
    for i, v in enumerate(values):
        g.add((a, URIRef(f"{ns}p{i}"), v))
    text = serialize_graph(g, JSONLD).decode("utf-8")
    assert '"pkg:p0"' in text  # still compacted with our context
    back = parse_rdf(text.encode("utf-8"), JSONLD).default_graph
    assert {(p, o.datatype) for _, p, o in back} == {(p, o.datatype) for _, p, o in g}
    assert set(back) == set(g)
