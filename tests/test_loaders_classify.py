"""Instrument and sector classification with the SKOS vocabularies as the lexicon."""

from __future__ import annotations

import rdflib
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS

from loaders.classify import Classifier
from policykg.reference import load_ontology_graph
from policykg.vocab import PKG

ID = "https://w3id.org/policykg/id/"


@pytest.fixture(scope="module")
def classifier():
    return Classifier(load_ontology_graph())


def found(classifier, text):
    return {str(m.concept)[len(ID):]: text[m.start:m.end] for m in classifier.find(text)}


def test_labels_across_line_breaks_and_case(classifier):
    hits = found(classifier, "The plan sets up a provincial Carbon Emission\nTrading market and green\nloans.")
    assert hits["instrument/emissions-trading"] == "Carbon Emission\nTrading"
    assert hits["instrument/green-loans"] == "green\nloans"


def test_acronyms_match_only_in_capitals(classifier):
    assert "sector/renewable-energy" in found(classifier, "The RE share will rise.")
    assert "sector/renewable-energy" not in found(classifier, "They are re-used; are you sure?")


def test_no_match_inside_words(classifier):
    assert "sector/transport" not in found(classifier, "The transportable units are untransported.")


def test_family_heads_are_not_assigned(classifier):
    assert "instrument/regulatory" not in found(classifier, "Regulatory instruments and regulation apply.")


def test_offsets_are_shifted_and_first_mention_wins(classifier):
    text = "x hydrogen ... hydrogen"
    (m,) = [m for m in classifier.find(text, base_offset=100) if str(m.concept).endswith("/hydrogen")]
    assert (m.start, m.end) == (102, 110)


def test_a_new_keyword_is_a_vocabulary_edit():
    g = rdflib.Graph()
    c = URIRef(ID + "sector/test-sector")
    g.add((c, RDF.type, PKG.Sector))
    g.add((c, SKOS.prefLabel, Literal("Widget making", lang="en")))
    assert Classifier(g).find("a widget plant") == []
    g.add((c, SKOS.altLabel, Literal("widget", lang="en")))
    assert [m.concept for m in Classifier(g).find("a widget plant")] == [c]


def test_document_numbers_are_normalised():
    from loaders.docnumber import find_document_numbers, normalise_document_number

    assert normalise_document_number("国发〔2021〕23号") == "国发[2021]23号"
    assert normalise_document_number("国发[2021]23号") == "国发[2021]23号"
    assert normalise_document_number("国发【2021】023号") == "国发[2021]23号"
    assert normalise_document_number("国发（２０２１）２３号") == "国发[2021]23号"
    assert normalise_document_number("Guofa 2021 No. 23") is None
    (n,) = find_document_numbers("The Notice (发改能源〔2024〕123号) says", base_offset=10)
    assert (n.raw, n.normalised, n.start) == ("发改能源〔2024〕123号", "发改能源[2024]123号", 22)


def test_a_unit_of_energy_is_not_a_sector_mention(classifier):
    """Was: "a reward of 300 yuan/ton of standard coal" tagged an energy-saving measure "Fossil fuels"."""
    for text in ("a reward of 300 yuan/ton of standard\ncoal saved", "cut use by 2 million tons of coal equivalent",
                 "10 Mtoe (million tonnes of oil-equivalent)", "energy use per unit of GDP in standard coal"):
        assert "sector/fossil-fuels" not in found(classifier, text), text
    assert "sector/fossil-fuels" in found(classifier, "reduce coal consumption in coal-fired power plants")
    assert "sector/fossil-fuels" in found(classifier, "control coal use; the standard is set by the NEA")
