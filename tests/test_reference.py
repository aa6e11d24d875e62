"""Tests of policykg.reference and the reference data in ontology/reference/."""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS, XSD

from policykg import reference
from policykg.errors import InputError
from policykg.reference import (
    GENERATED_FILES, REFERENCE_DIR, build_reference, default_ontology_dir, load_reference_graph,
    serialize_reference,
)
from policykg.vocab import DCAT, ORG, PKG, SCHEMA, Minter

ONTOLOGY_DIR = default_ontology_dir()
M = Minter()
CN = M.region("CN")


@pytest.fixture(scope="module")
def built() -> dict[str, Graph]:
    return build_reference(ONTOLOGY_DIR)


OTHER_BASE = "https://example.org/kg/"


@pytest.fixture(scope="module")
def built_other_base() -> dict[str, Graph]:
    return build_reference(ONTOLOGY_DIR, base=OTHER_BASE)


@pytest.fixture(scope="module")
def ref() -> Graph:
    return load_reference_graph(ONTOLOGY_DIR)


def _pref(g: Graph, node: URIRef, lang: str) -> str:
    values = [str(o) for o in g.objects(node, SKOS.prefLabel) if o.language == lang]
    assert len(values) == 1, (node, lang, values)
    return values[0]


def _labels(g: Graph, node: URIRef, lang: str = "en") -> set[str]:
    return {str(o) for p in (SKOS.prefLabel, SKOS.altLabel) for o in g.objects(node, p) if o.language == lang}


def _resolve(g: Graph, label: str, cls: URIRef = PKG.Agency) -> set[URIRef]:
    """Resources of ``cls`` with ``label`` as prefLabel or altLabel (case-insensitive)."""
    want = label.casefold()
    return {s for p in (SKOS.prefLabel, SKOS.altLabel) for s, o in g.subject_objects(p)
            if str(o).casefold() == want and (s, RDF.type, cls) in g}


def _host_owner(g: Graph, host: str) -> URIRef | None:
    """The agency whose pkg:webDomain is the longest dot-suffix of ``host`` (the documented rule)."""
    best: tuple[int, URIRef] | None = None
    for agency, domain in g.subject_objects(PKG.webDomain):
        d = str(domain)
        if host == d or host.endswith("." + d):
            if best is None or len(d) > best[0]:
                best = (len(d), agency)
    return best[1] if best else None


# --- generation -----------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(GENERATED_FILES))
def test_committed_turtle_equals_a_fresh_build(built: dict[str, Graph], name: str) -> None:
    committed = (ONTOLOGY_DIR / REFERENCE_DIR / GENERATED_FILES[name]).read_text(encoding="utf-8")
    assert committed == serialize_reference(built[name]), (
        f"{GENERATED_FILES[name]} is stale: run `python -m policykg.reference`")


def test_build_follows_the_base(built: dict[str, Graph], built_other_base: dict[str, Graph]) -> None:
    other = built_other_base
    subjects = {s for g in other.values() for s in g.subjects() if isinstance(s, URIRef)}
    assert URIRef("https://example.org/kg/id/region/CN-SD") in subjects
    assert not any(str(s).startswith("https://w3id.org/policykg/id/") for s in subjects)
    assert sum(len(g) for g in other.values()) == sum(len(g) for g in built.values())


def test_main_rewrites_the_files(tmp_path: Path) -> None:
    root = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY_DIR / REFERENCE_DIR, root / REFERENCE_DIR)
    for name in GENERATED_FILES.values():
        (root / REFERENCE_DIR / name).unlink()
    assert reference.main([str(root)]) == 0
    for name in GENERATED_FILES.values():
        written = (root / REFERENCE_DIR / name).read_text(encoding="utf-8")
        assert written == (ONTOLOGY_DIR / REFERENCE_DIR / name).read_text(encoding="utf-8")


def _corrupt(tmp_path: Path, table: str, old: str, new: str) -> Path:
    root = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY_DIR / REFERENCE_DIR, root / REFERENCE_DIR)
    path = root / REFERENCE_DIR / table
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


@pytest.mark.parametrize("table,old,new,field", [
    ("provinces.csv", "CN-SD,CN-37,370000", "CN-SDX,CN-37,370000", "iso_code"),
    ("provinces.csv", "CN-SD,CN-37,370000", "CN-SD,CN-37,37000", "gb_code"),
    ("cities.csv", "321200,泰州市,Taizhou,CN-JS", "321200,泰州市,Taizhou,CN-ZJ", "province_iso"),
    ("national-agencies.csv", "nea.gov.cn,,2008", "nea.gov.cn,,20O8", "founded"),
    ("national-agencies.csv", "energy,ndrc,nea.gov.cn", "energy,nrdc,nea.gov.cn", "parent"),
    ("national-agencies.csv", "nea.gov.cn,,2008", "NEA.gov.cn,,2008", "web_domain"),
])
def test_bad_rows_raise_input_error_with_location(tmp_path: Path, table: str, old: str, new: str,
                                                  field: str) -> None:
    root = _corrupt(tmp_path, table, old, new)
    with pytest.raises(InputError) as info:
        build_reference(root)
    assert info.value.file.endswith(table) and info.value.line and info.value.field == field


def test_a_domain_given_to_two_agencies_is_refused(tmp_path: Path) -> None:
    root = _corrupt(tmp_path, "national-agencies.csv", "mee.gov.cn,,2018", "ndrc.gov.cn,,2018")
    with pytest.raises(InputError, match="ndrc.gov.cn"):
        build_reference(root)


def test_missing_reference_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="python -m policykg.reference"):
        load_reference_graph(tmp_path)


def test_datasets_record_source_and_date(ref: Graph) -> None:
    datasets = set(ref.subjects(RDF.type, DCAT.Dataset))
    assert {str(d).rsplit("/", 1)[-1] for d in datasets} == set(GENERATED_FILES)
    for d in datasets:
        assert list(ref.objects(d, DCTERMS.source)), d
        created = ref.value(d, DCTERMS.created)
        assert created is not None and created.datatype == XSD.date, d
    for s in set(ref.subjects(RDF.type, PKG.Region)) | set(ref.subjects(RDF.type, PKG.Agency)):
        assert ref.value(s, DCTERMS.source) in datasets, s


# --- regions --------------------------------------------------------------------

def _provinces(g: Graph) -> set[URIRef]:
    return set(g.subjects(PKG.partOf, CN))


def test_country(ref: Graph) -> None:
    assert (CN, RDF.type, PKG.Region) in ref
    assert ref.value(CN, PKG.isoCode) == Literal("CN")
    assert _pref(ref, CN, "en") == "China" and _pref(ref, CN, "zh") == "中国"


def test_34_provincial_level_divisions_with_codes(ref: Graph) -> None:
    provinces = _provinces(ref)
    assert len(provinces) == 34
    iso_codes, gb_codes = set(), set()
    for p in provinces:
        iso = str(ref.value(p, PKG.isoCode))
        gb = str(ref.value(p, PKG.gbCode))
        assert re.fullmatch(r"CN-[A-Z]{2}", iso) and p == M.region(iso), p
        assert re.fullmatch(r"\d{2}0000", gb), p
        assert re.fullmatch(r"CN-\d{2}", str(ref.value(p, PKG.formerIsoCode))), p
        assert (p, RDF.type, PKG.Region) in ref
        _pref(ref, p, "en"), _pref(ref, p, "zh")
        iso_codes.add(iso), gb_codes.add(gb)
    assert len(iso_codes) == len(gb_codes) == 34


@pytest.mark.parametrize("iso,gb,en,zh,kind,alt", [
    ("CN-SD", "370000", "Shandong", "山东省", "Province", "Shandong Province"),
    ("CN-SN", "610000", "Shaanxi", "陕西省", "Province", "Shaanxi Province"),
    ("CN-SX", "140000", "Shanxi", "山西省", "Province", "Shanxi Province"),
    ("CN-NM", "150000", "Inner Mongolia", "内蒙古自治区", "AutonomousRegion", "Inner Mongolia Autonomous Region"),
    ("CN-BJ", "110000", "Beijing", "北京市", "Municipality", "Beijing Municipality"),
    ("CN-HK", "810000", "Hong Kong", "香港特别行政区", "SpecialAdministrativeRegion", "Hong Kong SAR"),
    ("CN-MO", "820000", "Macao", "澳门特别行政区", "SpecialAdministrativeRegion", "Macau"),
    ("CN-TW", "710000", "Taiwan", "台湾省", "Province", "Taiwan Province"),
])
def test_province_examples(ref: Graph, iso: str, gb: str, en: str, zh: str, kind: str, alt: str) -> None:
    node = M.region(iso)
    assert str(ref.value(node, PKG.gbCode)) == gb
    assert _pref(ref, node, "en") == en and _pref(ref, node, "zh") == zh
    assert ref.value(node, PKG.regionType) == PKG[kind]
    assert alt in _labels(ref, node)


def test_former_numeric_iso_code(ref: Graph) -> None:
    assert ref.value(M.region("CN-SD"), PKG.formerIsoCode) == Literal("CN-37")


def test_wikidata_links(ref: Graph) -> None:
    assert (M.region("CN-SD"), OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q43407")) in ref
    assert (CN, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q148")) in ref


def test_cities_have_parent_provinces_matching_their_codes(ref: Graph) -> None:
    provinces = {str(ref.value(p, PKG.gbCode))[:2]: p for p in _provinces(ref)}
    cities = [r for r in ref.subjects(RDF.type, PKG.Region) if ref.value(r, PKG.isoCode) is None]
    assert len(cities) >= 333
    for city in cities:
        gb = str(ref.value(city, PKG.gbCode))
        assert re.fullmatch(r"\d{4}00", gb) and not gb.endswith("0000") and city == M.region(gb), city
        assert ref.value(city, PKG.partOf) == provinces[gb[:2]], city
        _pref(ref, city, "en"), _pref(ref, city, "zh")


def test_homonymous_cities_stay_apart(ref: Graph) -> None:
    js, zj = M.region("321200"), M.region("331000")
    assert _pref(ref, js, "zh") == "泰州市" and _pref(ref, zj, "zh") == "台州市"
    assert ref.value(js, PKG.partOf) == M.region("CN-JS") and ref.value(zj, PKG.partOf) == M.region("CN-ZJ")
    assert "Taizhou, Jiangsu" in _labels(ref, js) and "Taizhou, Zhejiang" in _labels(ref, zj)


def test_city_name_never_shadows_a_province_name(ref: Graph) -> None:
    province_labels = {lbl.casefold() for p in _provinces(ref) for lbl in _labels(ref, p)}
    for city in ref.subjects(PKG.partOf, None):
        if city in _provinces(ref):
            continue
        assert not {lbl.casefold() for lbl in _labels(ref, city)} & province_labels, city


# --- agencies ---------------------------------------------------------------------

def test_every_agency_is_complete(ref: Graph) -> None:
    agencies = set(ref.subjects(RDF.type, PKG.Agency))
    assert len(agencies) > 800
    regions = set(ref.subjects(RDF.type, PKG.Region))
    levels = {PKG.National, PKG.Provincial, PKG.Municipal}
    for a in agencies:
        assert str(a).startswith(f"{M.base}id/agency/"), a
        assert (a, RDF.type, ORG.Organization) in ref
        _pref(ref, a, "en"), _pref(ref, a, "zh")
        assert ref.value(a, PKG.governmentLevel) in levels, a
        assert ref.value(a, PKG.jurisdiction) in regions, a
        parent = ref.value(a, ORG.subOrganizationOf)
        assert parent is None or (parent, RDF.type, PKG.Agency) in ref, a


def test_agency_iris_are_distinct_per_source_row(built: dict[str, Graph]) -> None:
    """Each table row gives its own IRI: the count of agencies equals the count of rows they come from."""
    g = built["agencies"]
    import csv
    base = ONTOLOGY_DIR / REFERENCE_DIR
    national = len(list(csv.DictReader((base / "national-agencies.csv").open(encoding="utf-8"))))
    cities = len(list(csv.DictReader((base / "cities.csv").open(encoding="utf-8"))))
    national_iris = set(g.subjects(PKG.governmentLevel, PKG.National))
    municipal_iris = set(g.subjects(PKG.governmentLevel, PKG.Municipal))
    assert len(national_iris) == national and len(municipal_iris) == cities


def test_web_domains_are_host_names_owned_once(ref: Graph) -> None:
    owners: dict[str, set[URIRef]] = defaultdict(set)
    for agency, domain in ref.subject_objects(PKG.webDomain):
        assert re.fullmatch(r"([a-z0-9-]+\.)+[a-z]{2,}", str(domain)), domain
        owners[str(domain)].add(agency)
    assert all(len(v) == 1 for v in owners.values())
    assert "gov.cn" not in owners and "www.gov.cn" not in owners


def test_central_portal_is_marked_not_an_issuer(ref: Graph) -> None:
    state_council = M.agency("state-council")
    assert {str(d) for d in ref.objects(state_council, PKG.portalDomain)} >= {"gov.cn", "www.gov.cn"}
    assert _host_owner(ref, "www.gov.cn") is None


@pytest.mark.parametrize("host,slug", [
    ("www.ndrc.gov.cn", "ndrc"),
    ("zfxxgk.nea.gov.cn", "nea"),
    ("www.mot.gov.cn", "mot"),
    ("fgw.shandong.gov.cn", "cn-sd-drc"),
    ("www.shandong.gov.cn", "cn-sd-government"),
    ("drc.gd.gov.cn", "cn-gd-drc"),
    ("fzggw.jiangsu.gov.cn", "cn-js-drc"),
    ("sndrc.shaanxi.gov.cn", "cn-sn-drc"),
    ("gxt.guizhou.gov.cn", "cn-gz-industry-it"),
    ("dohurd.ah.gov.cn", "cn-ah-housing"),
    ("www.qinghai.gov.cn", "cn-qh-government"),
    ("www.taizhou.gov.cn", "321200-government"),
    ("www.zjtz.gov.cn", "331000-government"),
])
def test_host_resolution(ref: Graph, host: str, slug: str) -> None:
    assert _host_owner(ref, host) == M.agency(slug)


@pytest.mark.parametrize("label,slug", [
    ("NDRC", "ndrc"),
    ("National Development and Reform Commission", "ndrc"),
    ("National Energy Administration", "nea"),
    ("People's Bank of China", "pboc"),
    ("PBOC", "pboc"),
    ("PBC", "pboc"),
    ("General Administration of Market Supervision", "samr"),
    ("National Financial Regulatory Administration", "nfra"),
    ("General Office of the State Council", "general-office-state-council"),
    ("Shandong Provincial People's Government", "cn-sd-government"),
    ("Shandong Provincial Government", "cn-sd-government"),
    ("Beijing Municipality", "cn-bj-government"),
    ("Inner Mongolia Autonomous Region People's Government", "cn-nm-government"),
    ("Shandong Provincial Development and Reform Commission", "cn-sd-drc"),
    ("国家发展和改革委员会", "ndrc"),
    ("浙江省经济和信息化厅", "cn-zj-industry-it"),
])
def test_label_resolution(ref: Graph, label: str, slug: str) -> None:
    assert _resolve(ref, label) == {M.agency(slug)}


def test_shared_agency_labels_belong_only_to_homonymous_cities(ref: Graph) -> None:
    owners: dict[tuple[str, str | None], set[URIRef]] = defaultdict(set)
    for p in (SKOS.prefLabel, SKOS.altLabel):
        for s, o in ref.subject_objects(p):
            if (s, RDF.type, PKG.Agency) in ref:
                owners[(str(o).casefold(), o.language)].add(s)
    for label, agencies in owners.items():
        if len(agencies) > 1:
            regions = {ref.value(a, PKG.governmentOf) for a in agencies}
            names = {_pref(ref, r, "en") for r in regions if r is not None}
            assert None not in regions and len(names) == 1, (label, agencies)


def test_every_mainland_province_has_government_and_drc(ref: Graph) -> None:
    mainland = [p for p in _provinces(ref)
                if ref.value(p, PKG.regionType) != PKG.SpecialAdministrativeRegion
                and str(p) != str(M.region("CN-TW"))]
    assert len(mainland) == 31
    for p in mainland:
        slug = str(ref.value(p, PKG.isoCode)).lower()
        gov, drc = M.agency(f"{slug}-government"), M.agency(f"{slug}-drc")
        assert ref.value(gov, PKG.governmentOf) == p
        assert ref.value(gov, PKG.governmentLevel) == PKG.Provincial
        assert ref.value(drc, ORG.subOrganizationOf) == gov
        assert ref.value(drc, PKG.agencyType) == URIRef(f"{M.base}id/agency-type/development-and-reform")
        assert ref.value(gov, PKG.webDomain) is not None, gov


def test_every_city_has_a_government(ref: Graph) -> None:
    for city in ref.subjects(RDF.type, PKG.Region):
        gb = str(ref.value(city, PKG.gbCode) or "")
        if ref.value(city, PKG.isoCode) is None:
            gov = M.agency(f"{gb}-government")
            assert ref.value(gov, PKG.governmentOf) == city
            assert ref.value(gov, PKG.governmentLevel) == PKG.Municipal


@pytest.mark.parametrize("old,new,year", [("mep", "mee", "2018"), ("cbirc", "nfra", "2023-05-18")])
def test_successors(ref: Graph, old: str, new: str, year: str) -> None:
    a, b = M.agency(old), M.agency(new)
    assert (a, DCTERMS.isReplacedBy, b) in ref and (b, DCTERMS.replaces, a) in ref
    assert str(ref.value(a, SCHEMA.dissolutionDate)) == year
    assert ref.value(a, OWL.deprecated) == Literal(True)
    assert ref.value(b, SCHEMA.dissolutionDate) is None


def test_agency_types_have_host_prefixes(ref: Graph) -> None:
    scheme = URIRef(f"{M.base}id/scheme/agency-type")
    types = set(ref.subjects(SKOS.inScheme, scheme))
    assert len(types) >= 10
    for t in types:
        assert (t, RDF.type, PKG.AgencyType) in ref
        _pref(ref, t, "en"), _pref(ref, t, "zh")
        assert ref.value(t, SKOS.definition) is not None
    expected = {"development-and-reform": {"fgw", "drc", "fzggw", "sndrc", "fgwj", "fgj"},
                "industry-and-information-technology": {"gxt", "jxt", "gxw", "jxw"},
                "housing-and-urban-rural-development": {"zjt", "jst", "zfcxjst", "dohurd", "jsj", "zjj"},
                "ecology-and-environment": {"sthjt", "sthjj", "sthj"},
                "energy": {"nyj"}, "finance": {"czt", "czj"}, "data": {"sjj"}}
    prefix_owner: dict[str, URIRef] = {}
    for slug, prefixes in expected.items():
        node = URIRef(f"{M.base}id/agency-type/{slug}")
        assert prefixes <= {str(o) for o in ref.objects(node, PKG.hostPrefix)}, slug
    for t, prefix in ref.subject_objects(PKG.hostPrefix):
        assert prefix_owner.setdefault(str(prefix), t) == t, f"host prefix {prefix} on two types"


def test_public_names() -> None:
    assert all(hasattr(reference, name) for name in reference.__all__)
    assert {"load_ontology_graph", "load_reference_graph", "build_reference"} <= set(reference.__all__)


def test_loaders_rebase_instance_iris_only(built: dict[str, Graph],
                                          built_other_base: dict[str, Graph]) -> None:
    base = OTHER_BASE
    moved = load_reference_graph(ONTOLOGY_DIR, base=base)
    assert len(moved) == sum(len(g) for g in built.values())
    iris = {t for triple in moved for t in triple if isinstance(t, URIRef)}
    assert URIRef(base + "id/agency/ndrc") in iris and URIRef(base + "dataset/agencies") in iris
    assert not any(str(i).startswith(M.base + "id/") for i in iris)
    assert PKG.Agency in iris  # the ontology namespace stays
    assert set(moved) == {t for g in built_other_base.values() for t in g}


def test_rebase_refuses_a_base_without_slash() -> None:
    with pytest.raises(ValueError):
        reference.rebase(Graph(), "https://example.org")


def test_doctests() -> None:
    import doctest
    assert doctest.testmod(reference).failed == 0
