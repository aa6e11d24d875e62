"""Entity linking against a small reference graph (regions, agencies, agency types, genres).

``REFERENCE_TTL`` is a self-contained slice of reference data in the shape of
``ontology/reference`` and ``ontology/vocab``; the other loader tests import
it so they do not depend on the full reference files.
"""

from __future__ import annotations

import rdflib
import pytest

from loaders.linking import Linker, normalize_name
from policykg.vocab import PKG

REFERENCE_TTL = """
@prefix pkg: <https://w3id.org/policykg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix r: <https://w3id.org/policykg/id/region/> .
@prefix a: <https://w3id.org/policykg/id/agency/> .
@prefix t: <https://w3id.org/policykg/id/agency-type/> .
@prefix g: <https://w3id.org/policykg/id/genre/> .
@prefix s: <https://w3id.org/policykg/id/scheme/> .

r:CN a pkg:Region ; skos:prefLabel "China"@en , "中国"@zh ; pkg:isoCode "CN" ; pkg:regionType pkg:Country .
r:CN-SD a pkg:Region ; skos:prefLabel "Shandong"@en ; skos:altLabel "Shandong Province"@en ;
    pkg:isoCode "CN-SD" ; pkg:partOf r:CN ; pkg:regionType pkg:Province .
r:CN-JS a pkg:Region ; skos:prefLabel "Jiangsu"@en ; skos:altLabel "Jiangsu Province"@en ;
    pkg:isoCode "CN-JS" ; pkg:partOf r:CN ; pkg:regionType pkg:Province .
r:CN-ZJ a pkg:Region ; skos:prefLabel "Zhejiang"@en ; skos:altLabel "Zhejiang Province"@en ;
    pkg:isoCode "CN-ZJ" ; pkg:partOf r:CN ; pkg:regionType pkg:Province .
r:CN-TJ a pkg:Region ; skos:prefLabel "Tianjin"@en ; skos:altLabel "Tianjin Municipality"@en ;
    pkg:isoCode "CN-TJ" ; pkg:partOf r:CN ; pkg:regionType pkg:Municipality .
r:CN-NX a pkg:Region ; skos:prefLabel "Ningxia"@en ; skos:altLabel "Ningxia Hui Autonomous Region"@en ;
    pkg:isoCode "CN-NX" ; pkg:partOf r:CN ; pkg:regionType pkg:AutonomousRegion .
r:321200 a pkg:Region ; skos:prefLabel "Taizhou"@en ; pkg:gbCode "321200" ; pkg:partOf r:CN-JS ;
    pkg:regionType pkg:PrefectureLevelCity .
r:331000 a pkg:Region ; skos:prefLabel "Taizhou"@en ; pkg:gbCode "331000" ; pkg:partOf r:CN-ZJ ;
    pkg:regionType pkg:PrefectureLevelCity .
r:370200 a pkg:Region ; skos:prefLabel "Qingdao"@en ; pkg:gbCode "370200" ; pkg:partOf r:CN-SD ;
    pkg:regionType pkg:PrefectureLevelCity .

a:ndrc a pkg:Agency ; skos:prefLabel "National Development and Reform Commission"@en ; skos:altLabel "NDRC"@en ;
    pkg:webDomain "ndrc.gov.cn" ; pkg:jurisdiction r:CN ; pkg:governmentLevel pkg:National .
a:mee a pkg:Agency ; skos:prefLabel "Ministry of Ecology and Environment"@en ; skos:altLabel "MEE"@en ;
    pkg:webDomain "mee.gov.cn" ; pkg:jurisdiction r:CN ; pkg:governmentLevel pkg:National .
a:state-council a pkg:Agency ; skos:prefLabel "State Council"@en ; pkg:portalDomain "gov.cn" , "www.gov.cn" ;
    pkg:governmentOf r:CN ; pkg:jurisdiction r:CN ; pkg:governmentLevel pkg:National .
a:shandong-government a pkg:Agency ; skos:prefLabel "Shandong Provincial People's Government"@en ;
    pkg:webDomain "shandong.gov.cn" ; pkg:governmentOf r:CN-SD ; pkg:jurisdiction r:CN-SD ;
    pkg:governmentLevel pkg:Provincial .
a:jiangsu-government a pkg:Agency ; skos:prefLabel "Jiangsu Provincial People's Government"@en ;
    pkg:webDomain "jiangsu.gov.cn" ; pkg:governmentOf r:CN-JS ; pkg:jurisdiction r:CN-JS ;
    pkg:governmentLevel pkg:Provincial .
a:tianjin-government a pkg:Agency ; skos:prefLabel "Tianjin Municipal People's Government"@en ;
    pkg:webDomain "tj.gov.cn" ; pkg:governmentOf r:CN-TJ ; pkg:jurisdiction r:CN-TJ ;
    pkg:governmentLevel pkg:Provincial .
a:taizhou-js-government a pkg:Agency ; skos:prefLabel "Taizhou Municipal People's Government"@en ;
    pkg:webDomain "taizhou.gov.cn" ; pkg:governmentOf r:321200 ; pkg:jurisdiction r:321200 ;
    pkg:governmentLevel pkg:Municipal .
a:shandong-drc a pkg:Agency ; skos:prefLabel "Shandong Provincial Development and Reform Commission"@en ;
    pkg:webDomain "fgw.shandong.gov.cn" ; pkg:jurisdiction r:CN-SD ; pkg:governmentLevel pkg:Provincial ;
    pkg:agencyType t:drc .

t:drc a pkg:AgencyType ; skos:prefLabel "Development and Reform Commission"@en ;
    pkg:hostPrefix "fgw" , "drc" , "fzggw" .
t:housing a pkg:AgencyType ; skos:prefLabel "Department of Housing and Urban-Rural Development"@en ;
    skos:altLabel "Housing and Urban-Rural Development Bureau"@en ; pkg:hostPrefix "zjt" , "jsj" .

s:genre a skos:ConceptScheme .
g:notice a pkg:PolicyGenre ; skos:inScheme s:genre ; skos:prefLabel "Notice"@en ; skos:altLabel "Circular"@en .
g:plan a pkg:PolicyGenre ; skos:inScheme s:genre ; skos:prefLabel "Plan"@en .
g:action-plan a pkg:PolicyGenre ; skos:inScheme s:genre ; skos:prefLabel "Action Plan"@en .
g:implementation-plan a pkg:PolicyGenre ; skos:inScheme s:genre ; skos:prefLabel "Implementation Plan"@en .
g:measures a pkg:PolicyGenre ; skos:inScheme s:genre ; skos:prefLabel "Measures"@en .
g:several-measures a pkg:PolicyGenre ; skos:inScheme s:genre ; skos:prefLabel "Several Measures"@en .
g:guiding-opinions a pkg:PolicyGenre ; skos:inScheme s:genre ; skos:prefLabel "Guiding Opinions"@en ;
    skos:altLabel "Guidance"@en , "Guidelines"@en .
g:roadmap a pkg:PolicyGenre ; skos:inScheme s:genre ; skos:prefLabel "Roadmap"@en .
"""

R = rdflib.Namespace("https://w3id.org/policykg/id/region/")
A = rdflib.Namespace("https://w3id.org/policykg/id/agency/")
T = rdflib.Namespace("https://w3id.org/policykg/id/agency-type/")
G = rdflib.Namespace("https://w3id.org/policykg/id/genre/")


def reference_graph() -> rdflib.Graph:
    """The test reference data as a graph."""
    return rdflib.Graph().parse(data=REFERENCE_TTL, format="turtle")


@pytest.fixture(scope="module")
def linker() -> Linker:
    return Linker(reference_graph())


def test_normalize_name() -> None:
    assert normalize_name("The  People’s Bank of China ") == "people's bank of china"


def test_find_regions_longest_label_and_offsets(linker: Linker) -> None:
    text = "Measures in Ningxia Hui Autonomous Region and Shandong Province"
    found = linker.find_regions(text)
    labels = [text[m.start:m.end] for m, _ in found]
    assert labels == ["Ningxia Hui Autonomous Region", "Shandong Province"]
    assert [c[0] for _, c in found] == [R["CN-NX"], R["CN-SD"]]


def test_lowercase_prose_is_not_a_place(linker: Linker) -> None:
    assert linker.find_regions("the china clay industry") == []


@pytest.mark.parametrize("context, expected", [
    ("Taizhou City (Jiangsu Province) released a plan", R["321200"]),
    ("Taizhou City (Zhejiang Province) released a plan", R["331000"]),
    ("Taizhou City released a plan", None),
])
def test_city_disambiguated_by_province(linker: Linker, context: str, expected) -> None:
    (mention, cands), *_ = linker.find_regions(context)
    assert len(cands) == 2
    assert linker.disambiguate(cands, context) == expected


def test_province_of_city(linker: Linker) -> None:
    assert linker.province_of(R["370200"]).iso_code == "CN-SD"
    assert linker.province_of(R["CN-SD"]).iso_code == "CN-SD"


def test_resolve_agency_by_label_and_abbreviation(linker: Linker) -> None:
    assert linker.resolve_agency("the National Development and Reform Commission") == A.ndrc
    assert linker.resolve_agency("NDRC") == A.ndrc
    assert linker.resolve_agency("Qinghai Provincial Data Bureau") is None


def test_find_agencies_in_headline(linker: Linker) -> None:
    text = "With support from the national NDRC and the Ministry of Ecology and Environment, provinces act."
    found = [m.target for m in linker.find_agencies(text)]
    assert found == [A.ndrc, A.mee]


def test_government_of_region(linker: Linker) -> None:
    assert linker.government_of(R["CN-SD"]) == A["shandong-government"]
    assert linker.government_of(R["CN-ZJ"]) is None


@pytest.mark.parametrize("url, expected", [
    ("https://www.ndrc.gov.cn/xxgk/zcfb/tz/202403/t20240301_1.html", (A.ndrc, None, None)),
    ("http://zfxxgk.ndrc.gov.cn/web/iteminfo.jsp?id=1", (A.ndrc, None, None)),
    ("https://www.gov.cn/zhengce/zhengceku/202404/content_1.htm", (None, None, None)),
    ("http://fgw.shandong.gov.cn/art/2024/4/9/art_1.html", (A["shandong-drc"], None, None)),
    ("http://www.shandong.gov.cn/art/2024/4/8/art_1.html", (A["shandong-government"], None, None)),
    ("https://jsj.taizhou.gov.cn/art/2024/x.html", (None, "taizhou.gov.cn", T.housing)),
    ("https://fzggw.jiangsu.gov.cn/art/2024/3/4/a.html", (None, "jiangsu.gov.cn", T.drc)),
    ("https://example.org/report.pdf", (None, None, None)),
])
def test_host_agency(linker: Linker, url: str, expected) -> None:
    assert linker.host_agency(url) == expected


def test_unknown_subhost_without_type_is_the_parent_agency(linker: Linker) -> None:
    assert linker.host_agency("http://xxgk.shandong.gov.cn/a.html")[0] == A["shandong-government"]


def test_agency_type_prefix_with_region_code(linker: Linker) -> None:
    # "sndrc" = a province code + the "drc" prefix
    assert linker.agency_type_for_prefix("sndrc") == T.drc
    assert linker.agency_type_for_prefix("www") is None


@pytest.mark.parametrize("title, genre", [
    ("Notice on Issuing the Implementation Plan for X", G.notice),
    ("Implementation Plan for Pilot Demonstration in Anhui Province", G["implementation-plan"]),
    ("Several Measures to Promote Green Computing", G["several-measures"]),
    ("Shanghai Municipality Action Plan on Carbon Footprints", G["action-plan"]),
    ("Guidance on the Development of Distribution Networks", G["guiding-opinions"]),
    ("Hydrogen Roadmap of Tianjin", G.roadmap),
    ("Report on the Work of the Government", None),
])
def test_genre_from_vocabulary_labels(linker: Linker, title: str, genre) -> None:
    got = linker.genre_in(title)
    assert (got[0] if got else None) == genre
    if got:
        assert title[got[1]:got[2]][:1].isupper()


def test_region_levels(linker: Linker) -> None:
    assert linker.region(R.CN).level == "country"
    assert linker.region(R["CN-TJ"]).level == "province"
    assert linker.region(R["321200"]).level == "city"


def test_reference_types_present() -> None:
    g = reference_graph()
    assert (A.ndrc, rdflib.RDF.type, PKG.Agency) in g
