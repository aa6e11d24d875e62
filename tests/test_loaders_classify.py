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


def test_green_finance_is_an_instrument_and_the_finance_sector(classifier):
    """Was: "Guidelines on ... Financial Support for Green and Low-Carbon Development" had no Finance sector."""
    hits = found(classifier, "advance regional reforms in green finance and improve the green financial system")
    assert {"instrument/green-finance", "sector/finance"} <= set(hits)


def test_an_instrument_phrase_does_not_hide_a_sector(classifier):
    hits = found(classifier, "respond to the trade-in of consumer goods")
    assert hits["instrument/equipment-renewal"] == "trade-in of consumer goods"
    assert hits["sector/consumer-goods"] == "consumer goods"


def test_carbon_trading_measures_have_the_carbon_market_sector(classifier):
    """Was: the "Measures for the Management of Carbon Emissions Trading" had no sector at all."""
    hits = found(classifier, "Measures for the Management of Carbon Emissions Trading; credits to offset emissions")
    assert {"instrument/emissions-trading", "sector/carbon-markets"} <= set(hits)


def test_hyphens_match_spaces_even_across_a_line_break(classifier):
    hits = found(classifier, "make good use of their carbon-\nemission-reduction supporting tools")
    assert hits["instrument/relending"] == "carbon-\nemission-reduction supporting tools"
    assert "sector/energy-efficiency" in found(classifier, "energy-saving renovation projects")


def test_a_label_inside_a_hyphenated_compound_is_no_mention(classifier):
    assert "sector/power" not in found(classifier, "the non-power sector will follow")
    assert "sector/power" in found(classifier, "the power sector will follow")


def test_the_other_number_of_a_multi_word_label(classifier):
    hits = found(classifier, "standards related to product carbon footprints; each pilot county")
    assert {"instrument/product-carbon-footprint", "sector/carbon-accounting", "instrument/pilot-zones"} <= set(hits)
    # single words are not inflected: "standard" is also a unit and a rate
    assert "instrument/standards" not in found(classifier, "the standard is high")


def test_family_heads_of_the_sector_scheme(classifier):
    assert "sector/transport" in found(classifier, "investment in transport will grow")
    assert "sector/energy" not in found(classifier, "energy use per unit of output")  # "energy" alone: too common
    assert "sector/energy" in found(classifier, "a clean, low-carbon energy system")


def test_a_bare_shared_word_signals_the_concept_it_names(classifier):
    hits = found(classifier, "support scope and standards")
    assert "instrument/standards" in hits and "sector/standardisation" not in hits
    hits = found(classifier, "improve the standard system")
    assert {"instrument/standards", "sector/standardisation"} <= set(hits)


def test_a_reward_standard_is_a_rate_not_a_technical_standard(classifier):
    hits = found(classifier, "Reward standards are set based on the annual utilization rate")
    assert "instrument/fiscal-subsidy" in hits and "instrument/standards" not in hits


def test_chinese_labels_match_without_word_boundaries(classifier):
    hits = found(classifier, "关于推进绿色金融支持碳排放权交易和新能源发展的通知")
    assert {"instrument/green-finance", "sector/finance", "instrument/emissions-trading",
            "sector/carbon-markets", "sector/renewable-energy"} <= set(hits)
    assert hits["sector/renewable-energy"] == "新能源"
    assert "sector/energy" not in found(classifier, "能源局发布通知")  # 能源 is a part of 新能源: no keyword


def test_a_family_name_that_its_members_use_is_no_keyword():
    g = rdflib.Graph()
    scheme = URIRef(ID + "scheme/sector")
    head, member = URIRef(ID + "sector/widgets"), URIRef(ID + "sector/blue-widgets")
    for c in (head, member):
        g.add((c, RDF.type, PKG.Sector))
    g.add((head, SKOS.topConceptOf, scheme))
    g.add((member, SKOS.broader, head))
    g.add((head, SKOS.prefLabel, Literal("Widgets", lang="en")))
    g.add((head, SKOS.altLabel, Literal("widget industry", lang="en")))
    g.add((member, SKOS.prefLabel, Literal("Blue widgets", lang="en")))
    c = Classifier(g)
    assert [m.concept for m in c.find("red widgets")] == []
    assert [m.concept for m in c.find("the widget industry")] == [head]
    assert [m.concept for m in c.find("blue widgets")] == [member]


def test_agency_names_are_no_mention():
    """Was: "The Ministry of Finance ... released the Notice on ... Clean Heating" was tagged sector Finance."""
    g = load_ontology_graph()
    mof, pboc = URIRef(ID + "agency/mof"), URIRef(ID + "agency/pboc")
    g.add((mof, RDF.type, PKG.Agency))
    g.add((mof, SKOS.prefLabel, Literal("Ministry of Finance", lang="en")))
    g.add((pboc, RDF.type, PKG.Agency))
    g.add((pboc, SKOS.prefLabel, Literal("中国人民银行", lang="zh")))
    c = Classifier(g)
    assert found(c, "The Ministry of Finance released the Notice") == {}
    assert "sector/finance" in found(c, "banks and the finance sector")
    assert "sector/finance" not in found(c, "中国人民银行发布通知")
    assert "sector/finance" in found(c, "引导银行加大支持")


def test_power_usage_effectiveness_is_a_data_centre_metric(classifier):
    hits = found(classifier, "the average power usage effectiveness (PUE) of data centers")
    assert "sector/digital-infrastructure" in hits and "sector/power" not in hits
