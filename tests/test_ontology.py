"""Tests of ontology/policykg.ttl and the SKOS vocabularies in ontology/vocab/.

The core term list below is the fixed core of shared/design/ontology-core.md.
"""

from __future__ import annotations

import shutil
import subprocess
import warnings
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from policykg.errors import InputError
from policykg.reference import default_ontology_dir, load_ontology_graph
from policykg.vocab import ELI, FOAF, ONTOLOGY_IRI, ORG, PKG, PKG_NS, PROV, SCHEMA, VANN, Minter

ONTOLOGY_DIR = default_ontology_dir()

CORE_CLASSES = {
    "Policy": [SCHEMA.Legislation, ELI.LegalResource],
    "Agency": [ORG.Organization, SCHEMA.GovernmentOrganization],
    "Region": [SCHEMA.AdministrativeArea],
    "Target": [],
    "Provision": [],
    "Instrument": [SKOS.Concept],
    "Sector": [SKOS.Concept],
    "PolicyGenre": [SKOS.Concept],
    "Briefing": [PROV.Entity, FOAF.Document],
    "Report": [SCHEMA.Report],
}

# property -> (OWL kind, rdfs:range or None when the range is given by schema:rangeIncludes)
CORE_PROPERTIES = {
    "genre": (OWL.ObjectProperty, PKG.PolicyGenre),
    "issuedBy": (OWL.ObjectProperty, PKG.Agency),
    "sourceHostedBy": (OWL.ObjectProperty, PKG.Agency),
    "jurisdiction": (OWL.ObjectProperty, PKG.Region),
    "governmentLevel": (OWL.ObjectProperty, PKG.GovernmentLevel),
    "sourceURL": (OWL.ObjectProperty, None),
    "publicationDate": (OWL.DatatypeProperty, None),
    "sector": (OWL.ObjectProperty, PKG.Sector),
    "usesInstrument": (OWL.ObjectProperty, PKG.Instrument),
    "setsTarget": (OWL.ObjectProperty, PKG.Target),
    "hasProvision": (OWL.ObjectProperty, PKG.Provision),
    "reportedIn": (OWL.ObjectProperty, PKG.Briefing),
    "evidence": (OWL.ObjectProperty, None),
    "indicator": (OWL.DatatypeProperty, RDF.langString),
    "targetYear": (OWL.DatatypeProperty, XSD.gYear),
    "value": (OWL.DatatypeProperty, XSD.decimal),
    "unitText": (OWL.DatatypeProperty, XSD.string),
    "normalizedValue": (OWL.DatatypeProperty, XSD.double),
    "normalizedUnit": (OWL.ObjectProperty, None),
    "comparator": (OWL.ObjectProperty, PKG.Comparator),
    "baselineYear": (OWL.DatatypeProperty, XSD.gYear),
    "isoCode": (OWL.DatatypeProperty, XSD.string),
    "gbCode": (OWL.DatatypeProperty, XSD.string),
    "partOf": (OWL.ObjectProperty, PKG.Region),
    "webDomain": (OWL.DatatypeProperty, XSD.string),
}

EXTENSION_PROPERTIES = {
    "localJurisdiction": (OWL.ObjectProperty, PKG.Region),
    "governmentOf": (OWL.ObjectProperty, PKG.Region),
    "issuedByHeadline": (OWL.ObjectProperty, PKG.Agency),
    "horizonYears": (OWL.DatatypeProperty, XSD.integer),
    "periodStart": (OWL.DatatypeProperty, XSD.gYear),
    "periodEnd": (OWL.DatatypeProperty, XSD.gYear),
    "lowerValue": (OWL.DatatypeProperty, XSD.decimal),
    "upperValue": (OWL.DatatypeProperty, XSD.decimal),
    "qualityNote": (OWL.ObjectProperty, PKG.QualityNote),
    "noteCode": (OWL.DatatypeProperty, XSD.string),
    "documentNumber": (OWL.DatatypeProperty, XSD.string),
    "documentNumberRaw": (OWL.DatatypeProperty, XSD.string),
    "status": (OWL.ObjectProperty, PKG.PolicyStatus),
    "supersedes": (OWL.ObjectProperty, PKG.Policy),
    "issuesDocument": (OWL.ObjectProperty, PKG.Policy),
    "bindingness": (OWL.ObjectProperty, PKG.Bindingness),
    "regionType": (OWL.ObjectProperty, PKG.RegionType),
    "publisher": (OWL.ObjectProperty, None),
    "series": (OWL.DatatypeProperty, XSD.string),
    "portalDomain": (OWL.DatatypeProperty, XSD.string),
    "formerIsoCode": (OWL.DatatypeProperty, XSD.string),
    "agencyType": (OWL.ObjectProperty, PKG.AgencyType),
    "hostPrefix": (OWL.DatatypeProperty, XSD.string),
    "contentHash": (OWL.DatatypeProperty, XSD.string),
    "dataVersion": (OWL.DatatypeProperty, XSD.string),
}

# properties that may describe any resource (a note on anything; a named graph's IRI)
ANY_SUBJECT = {"qualityNote", "contentHash", "dataVersion"}

SCHEME_MEMBERS = {
    PKG.GovernmentLevelScheme: (PKG.GovernmentLevel, {"National", "Provincial", "Municipal"}),
    PKG.ComparatorScheme: (PKG.Comparator,
                           {"Approximately", "MoreThan", "AtLeast", "LessThan", "AtMost", "Exactly"}),
    PKG.PolicyStatusScheme: (PKG.PolicyStatus, {"InForce", "DraftForComment", "Superseded", "Expired"}),
    PKG.BindingnessScheme: (PKG.Bindingness, {"Binding", "Indicative"}),
}

VOCABS = {  # scheme name -> class of its concepts
    "genre": PKG.PolicyGenre,
    "instrument": PKG.Instrument,
    "sector": PKG.Sector,
}

# English surface forms the loaders classify genres by (from briefing titles in general).
GENRE_SURFACE_FORMS = {
    "Notice": "notice", "Circular": "notice", "Opinions": "opinions",
    "Guiding Opinions": "guiding-opinions", "Guidance": "guiding-opinions",
    "Guidelines": "guiding-opinions", "Implementation Opinions": "implementation-opinions",
    "Action Plan": "action-plan", "Work Plan": "work-plan", "Implementation Plan": "implementation-plan",
    "Plan": "plan", "Programme": "programme", "Measures": "measures",
    "Management Measures": "management-measures", "Several Measures": "several-measures",
    "Regulations": "regulations", "Rules": "rules", "Detailed Rules": "detailed-rules",
    "Decision": "decision", "Provisions": "provisions", "Announcement": "announcement",
    "Letter": "letter", "Guide": "guide",
}


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "policykg.ttl")


@pytest.fixture(scope="module")
def full() -> Graph:
    return load_ontology_graph(ONTOLOGY_DIR)


def _langs(graph: Graph, node, prop) -> list[str | None]:
    return [o.language for o in graph.objects(node, prop) if isinstance(o, Literal)]


@pytest.mark.parametrize("path", sorted(ONTOLOGY_DIR.rglob("*.ttl")), ids=lambda p: p.name)
def test_every_turtle_file_parses(path: Path) -> None:
    assert len(Graph().parse(path, format="turtle")) > 0


def test_header(onto: Graph) -> None:
    o = ONTOLOGY_IRI
    assert (o, RDF.type, OWL.Ontology) in onto
    assert onto.value(o, OWL.versionInfo) == Literal("0.1.0")
    assert str(onto.value(o, OWL.versionIRI)).startswith(str(o))
    assert onto.value(o, DCTERMS.license) is not None
    assert onto.value(o, DCTERMS.creator) is not None
    assert list(onto.objects(o, SKOS.changeNote))
    assert onto.value(o, VANN.preferredNamespacePrefix) == Literal("pkg")


def test_namespace_is_discoverable_as_the_design_says(onto: Graph) -> None:
    rows = list(onto.query(
        "SELECT ?ns WHERE { ?o a owl:Ontology ; vann:preferredNamespaceUri ?ns }",
        initNs={"owl": OWL, "vann": VANN}))
    assert [str(r[0]) for r in rows] == [PKG_NS]


@pytest.mark.parametrize("name", sorted(CORE_CLASSES))
def test_core_class_declared_and_aligned(onto: Graph, name: str) -> None:
    cls = PKG[name]
    assert (cls, RDF.type, OWL.Class) in onto
    supers = set(onto.objects(cls, RDFS.subClassOf))
    for expected in CORE_CLASSES[name]:
        assert expected in supers, f"{name} should be a subclass of {expected}"


@pytest.mark.parametrize("name", sorted({**CORE_PROPERTIES, **EXTENSION_PROPERTIES}))
def test_property_declared_with_kind_and_range(onto: Graph, name: str) -> None:
    kind, rng = {**CORE_PROPERTIES, **EXTENSION_PROPERTIES}[name]
    prop = PKG[name]
    assert (prop, RDF.type, kind) in onto, f"pkg:{name} should be a {kind}"
    if rng is not None:
        assert onto.value(prop, RDFS.range) == rng
    else:
        assert list(onto.objects(prop, SCHEMA.rangeIncludes)) or kind == OWL.ObjectProperty
    assert onto.value(prop, RDFS.domain) is not None or list(onto.objects(prop, SCHEMA.domainIncludes)) \
        or name in ANY_SUBJECT


def test_local_jurisdiction_is_not_a_sub_property_of_jurisdiction(onto: Graph) -> None:
    assert (PKG.localJurisdiction, RDFS.subPropertyOf, PKG.jurisdiction) not in onto
    assert (PKG.issuedByHeadline, RDFS.subPropertyOf, PKG.issuedBy) not in onto


def test_standard_alignments(onto: Graph) -> None:
    assert (PKG.issuedBy, RDFS.subPropertyOf, SCHEMA.legislationPassedBy) in onto
    assert (PKG.issuedBy, RDFS.subPropertyOf, ELI.passed_by) in onto
    assert (PKG.publicationDate, SKOS.closeMatch, SCHEMA.legislationDate) in onto
    assert (PKG.publicationDate, SKOS.closeMatch, ELI.date_publication) in onto
    assert (PKG.jurisdiction, SKOS.closeMatch, SCHEMA.legislationJurisdiction) in onto
    assert (PKG.value, SKOS.closeMatch, URIRef("http://qudt.org/schema/qudt/numericValue")) in onto
    assert (PKG.normalizedUnit, SKOS.closeMatch, URIRef("http://qudt.org/schema/qudt/unit")) in onto


def _pkg_terms(onto: Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property, OWL.AnnotationProperty)
    return {s for k in kinds for s in onto.subjects(RDF.type, k)
            if isinstance(s, URIRef) and str(s).startswith(PKG_NS)}


def test_every_pkg_class_and_property_has_en_zh_label_and_definition(onto: Graph) -> None:
    terms = _pkg_terms(onto)
    assert len(terms) > 60
    for term in terms:
        langs = _langs(onto, term, RDFS.label)
        assert sorted(langs) == ["en", "zh"], f"{term}: rdfs:label languages {langs}"
        assert "en" in _langs(onto, term, SKOS.definition), f"{term}: no skos:definition@en"


def test_every_pkg_term_used_in_the_ontology_is_declared(onto: Graph) -> None:
    declared = _pkg_terms(onto) | {s for s in onto.subjects() if str(s).startswith(PKG_NS)}
    used = {t for triple in onto for t in triple if isinstance(t, URIRef) and str(t).startswith(PKG_NS)}
    assert used <= declared, sorted(used - declared)


def test_domains_and_ranges_point_to_declared_classes(onto: Graph) -> None:
    for prop in (RDFS.domain, RDFS.range):
        for _, target in onto.subject_objects(prop):
            if str(target).startswith(PKG_NS):
                assert (target, RDF.type, OWL.Class) in onto, target


@pytest.mark.parametrize("scheme", sorted(SCHEME_MEMBERS), ids=lambda s: s.split("#")[-1])
def test_enumeration_schemes(onto: Graph, scheme: URIRef) -> None:
    cls, names = SCHEME_MEMBERS[scheme]
    members = set(onto.subjects(SKOS.inScheme, scheme))
    assert {m.split("#")[-1] for m in members} == names
    assert (scheme, RDF.type, SKOS.ConceptScheme) in onto
    for m in members:
        assert (m, RDF.type, cls) in onto and (m, RDF.type, SKOS.Concept) in onto
        assert sorted(_langs(onto, m, SKOS.prefLabel)) == ["en", "zh"]


def test_region_types_cover_the_administrative_levels(onto: Graph) -> None:
    members = {m.split("#")[-1] for m in onto.subjects(SKOS.inScheme, PKG.RegionTypeScheme)}
    assert {"Country", "Province", "AutonomousRegion", "Municipality", "SpecialAdministrativeRegion",
            "PrefectureLevelCity", "AutonomousPrefecture", "Prefecture", "League"} <= members


def test_units_qudt_lacks(onto: Graph) -> None:
    qudt_unit = URIRef("http://qudt.org/schema/qudt/Unit")
    for unit in (PKG.PercentagePoint, PKG.CNYPerTonneCoalEquivalent, PKG.TonneCoalEquivalent,
                 PKG.TonneCoalEquivalentPerYear, PKG.CNYPerKiloWattHour, PKG.CNYPerKiloWatt, PKG.CNYPerKiloWattYear, PKG.CNYPerTonne, PKG.CNYPerSquareMetre):
        assert (unit, RDF.type, qudt_unit) in onto
        assert sorted(_langs(onto, unit, RDFS.label)) == ["en", "zh"]


# --- SKOS vocabularies --------------------------------------------------------

def _scheme_concepts(full: Graph, name: str) -> set[URIRef]:
    scheme = Minter().scheme(name)
    return set(full.subjects(SKOS.inScheme, scheme))


@pytest.mark.parametrize("name", sorted(VOCABS))
def test_vocabulary_concepts(full: Graph, name: str) -> None:
    minter = Minter()
    scheme = minter.scheme(name)
    assert (scheme, RDF.type, SKOS.ConceptScheme) in full
    concepts = _scheme_concepts(full, name)
    assert len(concepts) >= {"genre": 20, "instrument": 30, "sector": 20}[name]
    tops = set(full.objects(scheme, SKOS.hasTopConcept))
    assert tops <= concepts and tops
    for c in concepts:
        assert str(c).startswith(f"{minter.base}id/{name}/"), c
        assert (c, RDF.type, SKOS.Concept) in full and (c, RDF.type, VOCABS[name]) in full, c
        assert sorted(_langs(full, c, SKOS.prefLabel)) == ["en", "zh"], c
        assert "en" in _langs(full, c, SKOS.definition), c
        broader = list(full.objects(c, SKOS.broader))
        assert (c in tops) == (not broader), f"{c}: top concepts and only they lack skos:broader"
        for b in broader:
            assert b in concepts, f"{c}: broader {b} outside the scheme"
        assert ((c, SKOS.topConceptOf, scheme) in full) == (c in tops), c


@pytest.mark.parametrize("name", sorted(VOCABS))
def test_labels_are_unambiguous_within_a_scheme(full: Graph, name: str) -> None:
    owners: dict[tuple[str, str | None], set[URIRef]] = defaultdict(set)
    for c in _scheme_concepts(full, name):
        for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
            for label in full.objects(c, prop):
                owners[(str(label).casefold(), label.language)].add(c)
    shared = {k: v for k, v in owners.items() if len(v) > 1}
    assert not shared, shared


def test_instrument_leaves_align_to_an_external_classification(full: Graph) -> None:
    concepts = _scheme_concepts(full, "instrument")
    cpd_scheme = URIRef("https://w3id.org/policykg/external/cpd/scheme")
    cclw_scheme = URIRef("https://w3id.org/policykg/external/cclw/scheme")
    mapped_to_cclw = 0
    for c in concepts:
        matches = list(full.objects(c, SKOS.closeMatch))
        assert any((m, SKOS.inScheme, cpd_scheme) in full for m in matches), f"{c} has no CPD/IEA skos:closeMatch"
        for m in matches:
            assert ((m, SKOS.inScheme, cpd_scheme) in full or (m, SKOS.inScheme, cclw_scheme) in full), \
                f"{c}: {m} is not a declared CPD or CCLW concept"
        mapped_to_cclw += any((m, SKOS.inScheme, cclw_scheme) in full for m in matches)
    # every instrument with a CCLW counterpart is mapped (voluntary approaches and a few market rules have none)
    assert mapped_to_cclw >= 40


def test_sector_alignments_resolve(full: Graph) -> None:
    for c in _scheme_concepts(full, "sector"):
        for m in full.objects(c, SKOS.closeMatch):
            assert (m, RDF.type, SKOS.Concept) in full, m
            assert sorted(_langs(full, m, SKOS.prefLabel)) == ["en", "zh"], m


def test_instrument_families_and_chinese_practice_leaves(full: Graph) -> None:
    ins = Minter().id
    tops = set(full.objects(Minter().scheme("instrument"), SKOS.hasTopConcept))
    assert tops == {ins("instrument", s) for s in
                    ("regulatory", "economic", "information", "governance", "voluntary")}
    for slug in ("pilot-zones", "target-allocation", "guaranteed-purchase", "green-finance", "relending",
                 "green-loans", "transition-finance", "emissions-trading", "national-ets", "pilot-ets",
                 "green-certificates", "product-carbon-footprint", "equipment-renewal", "fiscal-subsidy",
                 "central-budget-investment", "energy-efficiency-standards", "product-standards",
                 "building-standards", "electricity-market", "grid-connection-rules", "carbon-accounting",
                 "information-disclosure"):
        assert (ins("instrument", slug), RDF.type, PKG.Instrument) in full, slug


@pytest.mark.parametrize("surface,slug", sorted(GENRE_SURFACE_FORMS.items()))
def test_genre_lexicon(full: Graph, surface: str, slug: str) -> None:
    concept = Minter().concept("genre", slug)
    labels = {str(o) for p in (SKOS.prefLabel, SKOS.altLabel) for o in full.objects(concept, p)
              if o.language == "en"}
    assert surface in labels


def test_load_ontology_graph_reports_bad_turtle(tmp_path: Path) -> None:
    shutil.copytree(ONTOLOGY_DIR, tmp_path / "ontology", ignore=shutil.ignore_patterns("reference"))
    (tmp_path / "ontology" / "vocab" / "broken.ttl").write_text("@prefix x: <http://x/> .\nx:a x:b .\nx:c", "utf-8")
    with pytest.raises(InputError, match="broken.ttl"):
        load_ontology_graph(tmp_path / "ontology")


def test_load_ontology_graph_reports_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="policykg.ttl"):
        load_ontology_graph(tmp_path)


# --- OWL reasoning --------------------------------------------------------------

def _java_available() -> bool:
    java = shutil.which("java")
    if java is None:
        return False
    return subprocess.run([java, "-version"], capture_output=True, timeout=30).returncode == 0


def _owl2_datatypes_only(graph: Graph) -> Graph:
    """A copy whose xsd:gYear / xsd:gYearMonth ranges are widened to rdfs:Literal.

    HermiT accepts only the OWL 2 datatype map (OWL 2 Structural
    Specification, section 4), which lacks the XML Schema date fragments;
    the ranges are the only place the ontology names them.
    """
    out = Graph()
    for s, p, o in graph:
        if p == RDFS.range and o in (XSD.gYear, XSD.gYearMonth):
            o = RDFS.Literal
        out.add((s, p, o))
    return out


def _hermit(graph: Graph, tmp_path: Path):
    owlready2 = pytest.importorskip("owlready2", reason="owlready2 is not installed (pip install owlready2)")
    if not _java_available():
        pytest.skip("no Java runtime: HermiT needs `java` on PATH")
    path = tmp_path / "onto.nt"
    _owl2_datatypes_only(graph).serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    ontology = world.get_ontology(path.as_uri()).load(format="ntriples")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # owlready2 warns about punned external terms
        with ontology:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    return owlready2, world


def test_hermit_finds_ontology_vocabularies_and_reference_data_consistent(full: Graph, tmp_path: Path) -> None:
    from policykg.reference import load_reference_graph

    graph = full + load_reference_graph(ONTOLOGY_DIR)
    _, world = _hermit(graph, tmp_path)
    assert list(world.inconsistent_classes()) == []


def test_hermit_catches_a_region_used_as_agency(onto: Graph, tmp_path: Path) -> None:
    """Negative control: the check above can fail (pkg classes are pairwise disjoint)."""
    bad = Graph()
    for t in onto:
        bad.add(t)
    region, policy = URIRef("https://example.org/r"), URIRef("https://example.org/p")
    bad.add((region, RDF.type, PKG.Region))
    bad.add((policy, RDF.type, PKG.Policy))
    bad.add((policy, PKG.issuedBy, region))  # range pkg:Agency, disjoint with pkg:Region
    owlready2 = pytest.importorskip("owlready2", reason="owlready2 is not installed (pip install owlready2)")
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _hermit(bad, tmp_path)


def test_ontology_graph_rebases_concepts_not_terms() -> None:
    moved = load_ontology_graph(ONTOLOGY_DIR, base="https://example.org/")
    assert (URIRef("https://example.org/id/genre/notice"), RDF.type, PKG.PolicyGenre) in moved
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in moved
