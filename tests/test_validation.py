"""Tests of policykg.validation and of the shapes in shapes/.

Shape cases are data: every ``tests/shapes/*.valid.ttl`` / ``*.invalid.ttl``
file lists the results it must produce in ``# expect:`` header lines::

    # expect: <focus node> <path or -> <severity> <constraint component>

(CURIEs with the prefixes ``id: pkg: sh: dcterms: skos: oa: rdfs:``; a path
``^pkg:x`` is an inverse path). ``# expect: none`` means no result at all.
Each case is validated as an incremental check: the file is the new data,
``tests/shapes/_context.ttl`` (reference data) is the store neighbourhood,
and the file's subjects are the focus nodes. The results must match exactly.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from policykg.errors import InputError
from policykg.settings import Settings
from policykg.validation import (
    ValidationReport, ValidationResult, Validator, changed_subjects, incremental_context,
    neighbourhood_query, normalise_title, validate_graphs,
)
from policykg.vocab import PKG

CASES_DIR = Path(__file__).parent / "shapes"
CONTEXT_FILE = CASES_DIR / "_context.ttl"
CASES = sorted(p for p in CASES_DIR.glob("*.ttl") if not p.name.startswith("_"))

PREFIXES = {
    "id": "https://w3id.org/policykg/id/",
    "pkg": "https://w3id.org/policykg/ontology#",
    "sh": "http://www.w3.org/ns/shacl#",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "oa": "http://www.w3.org/ns/oa#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}


def _expand(token: str) -> str:
    if token.startswith("<") and token.endswith(">"):
        return token[1:-1]
    prefix, _, local = token.partition(":")
    return PREFIXES[prefix] + local


def _expand_path(token: str) -> str | None:
    if token == "-":
        return None
    if token.startswith("^"):
        return f"^<{_expand(token[1:])}>"
    return _expand(token)


def expected_results(case: Path) -> list[tuple[str, str | None, str, str]]:
    """The ``# expect:`` lines of a case file as (focus, path, severity, component) tuples."""
    out = []
    for line in case.read_text(encoding="utf-8").splitlines():
        m = re.match(r"#\s*expect:\s*(.*)$", line)
        if not m:
            continue
        fields = m.group(1).split()
        if fields == ["none"]:
            continue
        focus, path, severity, component = fields
        out.append((_expand(focus), _expand_path(path), severity, _expand(component)))
    return sorted(out, key=str)


@pytest.fixture(scope="module")
def validator() -> Validator:
    settings = Settings()
    return Validator(settings.shapes_dir, settings.ontology_dir)


@pytest.fixture(scope="module")
def context() -> Graph:
    return Graph().parse(CONTEXT_FILE, format="turtle")


def test_cases_cover_both_kinds():
    names = [c.name for c in CASES]
    assert sum(n.endswith(".valid.ttl") for n in names) >= 15
    assert sum(n.endswith(".invalid.ttl") for n in names) >= 60
    for case in CASES:
        assert case.name.endswith((".valid.ttl", ".invalid.ttl")), case.name
        text = case.read_text(encoding="utf-8")
        assert "# expect:" in text, f"{case.name} has no '# expect:' line"
        if case.name.endswith(".invalid.ttl"):
            assert expected_results(case), f"{case.name} expects no result"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_shape_case(case: Path, validator: Validator, context: Graph):
    data = Graph().parse(case, format="turtle")
    report = validator.validate(data, context=context)
    got = sorted(((r.focus_node, r.path, r.severity, r.constraint) for r in report.results), key=str)
    assert got == expected_results(case), report.to_text()
    assert report.conforms == (not any(e[2] == "Violation" for e in expected_results(case)))
    for r in report.results:
        assert r.message and "{?" not in r.message and "{$" not in r.message, r.message


_NOT_CONSTRAINTS = {RDF.type, SH.property, SH.targetClass, SH.targetNode, SH.targetSubjectsOf,
                    SH.targetObjectsOf, SH.target, SH.message, SH.severity, SH.path, SH.name,
                    SH.description, SH.deactivated, URIRef("http://www.w3.org/2000/01/rdf-schema#comment")}


def test_every_shape_has_a_message(validator: Validator):
    """Every shape that reports results by itself has an sh:message (SPARQL ones on the constraint).

    Container node shapes (only sh:property) report through their property shapes; helper
    node shapes used with sh:node report through the message of the shape that uses them.
    """
    g = validator.shapes_graph
    shapes = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
    shapes |= set(g.objects(None, SH.property))
    helpers = set(g.objects(None, SH.node))
    helper_parts = {p for h in helpers for p in g.objects(h, SH.property)}
    checked = 0
    for shape in shapes - helpers - helper_parts:
        constraints = {p for p in g.predicates(shape, None)} - _NOT_CONSTRAINTS
        if not constraints:
            continue
        checked += 1
        if constraints == {SH.sparql}:
            for c in g.objects(shape, SH.sparql):
                assert (c, SH.message, None) in g, f"SPARQL constraint of {shape} has no sh:message"
        else:
            assert (shape, SH.message, None) in g, f"shape {shape} has no sh:message"
    assert checked >= 80


def test_every_constraint_family_has_valid_and_invalid_cases():
    names = [c.name for c in CASES]
    for family in ("policy", "target", "provision", "evidence", "agency", "region", "concept", "report", "briefing"):
        assert any(n.startswith(family) and n.endswith(".valid.ttl") for n in names), family
        assert any(n.startswith(family) and n.endswith(".invalid.ttl") for n in names), family


def test_focus_nodes_keep_nested_shape_checks(validator: Validator, context: Graph):
    """Regression: pySHACL 0.40's own focus_nodes option skips sh:or / qualified shapes.

    A date typed xsd:string must still be reported when only the policy is a focus node.
    """
    data = Graph().parse(CASES_DIR / "policy-publication-date-string.invalid.ttl")
    policy = URIRef(PREFIXES["id"] + "policy/cn-notice-on-testing-the-validator")
    report = validator.validate(data, context=context, focus_nodes=[policy])
    assert [r.constraint for r in report.violations] == [str(SH.OrConstraintComponent)]
    assert report.focus_count == 1


def test_full_validation_equals_incremental(validator: Validator, context: Graph):
    data = Graph().parse(CASES_DIR / "policy-duplicate-title.invalid.ttl")
    full = validator.validate(data + context)
    incremental = validator.validate(data, context=context)
    key = lambda r: (r.focus_node, r.path, r.severity, r.constraint)  # noqa: E731
    assert sorted(map(key, full.results)) == sorted(map(key, incremental.results))
    assert full.focus_count > incremental.focus_count


def test_context_results_are_not_reported(validator: Validator, context: Graph):
    """A problem in the store neighbourhood is not the new data's fault: it is not reported."""
    broken = Graph().parse(data=context.serialize(format="turtle"), format="turtle")
    ndrc = URIRef(PREFIXES["id"] + "agency/ndrc")
    broken.add((ndrc, PKG.governmentLevel, PKG.Township))
    data = Graph().parse(CASES_DIR / "policy-minimal.valid.ttl")
    report = validator.validate(data, context=broken)
    assert report.results == []
    assert not validator.validate(data + broken).conforms


def test_source_lines_locate_results(validator: Validator, context: Graph):
    data = Graph().parse(CASES_DIR / "policy-level-not-in-list.invalid.ttl")
    policy = PREFIXES["id"] + "policy/cn-notice-on-testing-the-validator"
    report = validator.validate(data, context=context, source_lines={policy: ("new.ttl", 12)})
    (result,) = report.results
    assert (result.file, result.line) == ("new.ttl", 12)
    assert "new.ttl:12" in report.to_text()


def test_source_location_names_the_field_and_keeps_one_result_per_field(validator: Validator, context: Graph):
    """A curated entry's results name the CSV column / YAML field, not the RDF property, and a derived
    property (pkg:normalizedValue from value and unit) adds no second message (``SourceLocation``)."""
    import pickle

    from policykg.validation import SourceLocation

    data = Graph().parse(CASES_DIR / "target-percent-share-over-100.invalid.ttl")
    target = PREFIXES["id"] + "target/cn-notice-on-testing-the-validator-aaaa1111"
    fields = {str(PKG.value): ("value", 3, 15), str(PKG.normalizedValue): ("value", 3, 15)}
    loc = SourceLocation("new.csv", 3, fields, {str(PKG.normalizedValue)})
    assert loc == ("new.csv", 3) and pickle.loads(pickle.dumps(loc)).fields == fields
    (result,) = validator.validate(data, context=context, source_lines={target: loc}).results
    assert (result.path, result.field, result.line, result.column) == (str(PKG.value), "value", 3, 15)
    assert "but 'value' is" in result.message and str(PKG.value) not in result.message
    plain = validator.validate(data, context=context, source_lines={target: ("new.csv", 3)})
    (one,) = plain.results  # the shape reports the number once (on pkg:value), with or without fields
    assert one.field is None and one.path == str(PKG.value)


# --------------------------------------------------------------------------- reports


@pytest.fixture(scope="module")
def mixed_report(validator: Validator, context: Graph) -> ValidationReport:
    data = Graph()
    for name in ("policy-level-not-in-list.invalid.ttl", "policy-source-domain-mismatch.invalid.ttl"):
        data.parse(CASES_DIR / name)
    return validator.validate(data, context=context)


def test_report_counts_and_conforms(mixed_report: ValidationReport):
    assert not mixed_report.conforms
    assert len(mixed_report.violations) == 1 and len(mixed_report.warnings) == 1
    assert mixed_report.counts == {"Violation": 1, "Warning": 1, "Info": 0}
    assert mixed_report.elapsed_s > 0


def test_warnings_never_block(validator: Validator, context: Graph):
    data = Graph().parse(CASES_DIR / "policy-source-domain-mismatch.invalid.ttl")
    report = validator.validate(data, context=context)
    assert report.conforms and report.warnings and not report.violations


def test_report_text_groups_by_focus_node(mixed_report: ValidationReport):
    text = mixed_report.to_text()
    assert text.startswith("Conforms: no - 1 violation(s), 1 warning(s), 0 info(s)")
    policy_head = "Notice on Testing the Validator <https://w3id.org/policykg/id/policy/cn-notice-on-testing-the-validator>"
    assert policy_head in text
    # the node with a violation comes before the node with only a warning
    assert text.index(policy_head) < text.index("Action Plan on Testing <https://w3id.org/policykg/id/policy/cn-sh-")
    assert "[Violation]" in text and "path: pkg:governmentLevel" in text
    assert "value: https://w3id.org/policykg/ontology#County" in text


def test_report_text_when_conforming(validator: Validator, context: Graph):
    report = validator.validate(Graph().parse(CASES_DIR / "policy-minimal.valid.ttl"), context=context)
    assert report.to_text().startswith("Conforms: yes. No problems found in 1 focus node(s)")


def test_report_json(mixed_report: ValidationReport):
    doc = json.loads(json.dumps(mixed_report.to_json()))
    assert doc["conforms"] is False
    assert doc["counts"]["Violation"] == 1
    assert set(doc["results"][0]) == {"focus_node", "focus_label", "path", "value", "message", "severity",
                                      "source_shape", "constraint", "file", "line", "field", "column"}


def test_report_rdf_round_trips(mixed_report: ValidationReport):
    for text, fmt in ((mixed_report.to_turtle(), "turtle"), (mixed_report.to_jsonld(), "json-ld")):
        g = Graph().parse(data=text, format=fmt)
        report = next(g.subjects(RDF.type, SH.ValidationReport))
        assert g.value(report, SH.conforms) == Literal(False)
        assert len(list(g.objects(report, SH.result))) == 2


# --------------------------------------------------------------------------- incremental helpers


def test_neighbourhood_query_escapes_values():
    cn = URIRef("https://w3id.org/policykg/id/region/CN")
    q = neighbourhood_query([cn], source_urls=[URIRef("https://www.ndrc.gov.cn/a.html")],
                            titles=[Literal('a "quoted" \\ title\n', lang="en")],
                            hosts=["www.ndrc.gov.cn"], jurisdictions=[cn],
                            title_keys=[(cn, 'a "quoted" \\ title\n')])
    assert '"a \\"quoted\\" \\\\ title\\n"@en' in q
    assert '"a \\"quoted\\" \\\\ title\\n")' in q
    assert "VALUES ?s { <https://w3id.org/policykg/id/region/CN> }" in q
    assert 'VALUES ?d { "gov.cn" "ndrc.gov.cn" "www.ndrc.gov.cn" }' in q
    assert "VALUES ?u { <https://www.ndrc.gov.cn/a.html> }" in q
    with pytest.raises(InputError):
        neighbourhood_query([URIRef("https://example.org/x> } . DROP ALL { <y")])
    with pytest.raises(InputError):
        neighbourhood_query([], titles=[Literal("t", lang="en")], jurisdictions=["urn:x y"])


def test_neighbourhood_query_parses_in_rdflib_and_oxigraph():
    import pyoxigraph as ox
    from rdflib.plugins.sparql import prepareQuery

    a, j = URIRef("https://example.org/a"), URIRef("https://example.org/j")
    for q in (neighbourhood_query([a], source_urls=[a], titles=[Literal("T", lang="en")], hosts=["x.example.org"],
                                  jurisdictions=[j], title_keys=[(j, "k")]),
              neighbourhood_query([])):
        prepareQuery(q)
        assert list(ox.Store().query(q)) == []


def test_incremental_context_against_oxigraph(validator: Validator, context: Graph):
    import pyoxigraph as ox

    store = ox.Store()
    store.load(context.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES)
    existing = Graph().parse(CASES_DIR / "policy-minimal.valid.ttl")
    store.load(existing.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES)
    # the new policy has the same title (modulo case) and the same source URL as the stored one
    new = Graph().parse(data="""
        @prefix pkg: <https://w3id.org/policykg/ontology#> . @prefix dcterms: <http://purl.org/dc/terms/> .
        <https://w3id.org/policykg/id/policy/cn-notice-on-testing-the-validator-bis> a pkg:Policy ;
          dcterms:title "NOTICE on testing the validator"@en ;
          pkg:jurisdiction <https://w3id.org/policykg/id/region/CN> ; pkg:governmentLevel pkg:National ;
          pkg:issuedBy <https://w3id.org/policykg/id/agency/ndrc> ; pkg:genre <https://w3id.org/policykg/id/genre/notice> ;
          pkg:sourceURL <https://www.ndrc.gov.cn/xxgk/zcfb/tz/202403/t20240301_1364999.html> ;
          pkg:reportedIn <https://w3id.org/policykg/id/briefing/ccnt-2024-03-04> .
    """, format="turtle")
    ctx = incremental_context(store.query, new)
    assert 0 < len(ctx) < len(context) + len(existing)
    report = validator.validate(new, context=ctx)
    got = sorted((r.path, r.severity) for r in report.results)
    assert got == [("http://purl.org/dc/terms/title", "Violation"), (str(PKG.sourceURL), "Warning")]
    assert report.focus_count == 1


def test_changed_subjects_and_title_key():
    g = Graph().parse(CASES_DIR / "target-complete.valid.ttl")
    assert len(changed_subjects(g)) == 3
    assert normalise_title("  Notice on the 14th Five-Year Plan!") == "notice on the 14th five year plan"


def test_validate_graphs_plain(validator: Validator):
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .""", format="turtle")
    data = Graph().parse(data="@prefix ex: <http://example.org/> . ex:a a ex:C . ex:b a ex:C ; ex:p 1 .", format="turtle")
    report = validate_graphs(data, shapes)
    assert [r.focus_node for r in report.results] == ["http://example.org/a"]
    assert report.focus_count == 2
    assert isinstance(report.results[0], ValidationResult)


def test_bad_shapes_file_is_an_input_error(tmp_path: Path):
    (tmp_path / "broken.ttl").write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n\nthis is not turtle .\n")
    with pytest.raises(InputError) as exc:
        Validator(tmp_path, tmp_path)
    assert "broken.ttl" in str(exc.value)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError):
        Validator(empty, tmp_path)
    with pytest.raises(InputError):  # no ontology/policykg.ttl
        Validator(Settings().shapes_dir, empty)


def test_other_base_iri_rewrites_shapes(tmp_path: Path, context: Graph):
    settings = Settings()
    v = Validator(settings.shapes_dir, settings.ontology_dir, base_iri="https://kg.example.org/")
    text = (CASES_DIR / "policy-minimal.valid.ttl").read_text(encoding="utf-8")
    ctx_text = CONTEXT_FILE.read_text(encoding="utf-8")
    rebased = lambda t: t.replace("https://w3id.org/policykg/id/", "https://kg.example.org/id/")  # noqa: E731
    report = v.validate(Graph().parse(data=rebased(text), format="turtle"),
                        context=Graph().parse(data=rebased(ctx_text), format="turtle"))
    assert report.results == []
    # the default-base IRI is now outside the base
    report = v.validate(Graph().parse(data=text, format="turtle"),
                        context=Graph().parse(data=rebased(ctx_text), format="turtle"))
    assert str(SH.PatternConstraintComponent) in {r.constraint for r in report.violations}


def test_title_scan_finds_variants_under_unminted_iris(validator: Validator, context: Graph):
    import pyoxigraph as ox

    store = ox.Store()
    store.load(context.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES)
    stored = Graph().parse(CASES_DIR / "policy-minimal.valid.ttl")
    old = URIRef(PREFIXES["id"] + "policy/cn-notice-on-testing-the-validator")
    custom = URIRef(PREFIXES["id"] + "policy/curated-0001")
    for p, o in list(stored.predicate_objects(old)):
        stored.add((custom, p, o))
    stored.remove((old, None, None))
    store.load(stored.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES)
    new = Graph().parse(CASES_DIR / "policy-duplicate-title.invalid.ttl")
    new.remove((old, None, None))  # keep only the "...validator." variant as the new policy
    query = lambda q: store.query(q, use_default_graph_as_union=True)  # noqa: E731
    quick = validator.validate(new, context=incremental_context(query, new))
    assert not quick.violations  # a case/punctuation variant under an unminted IRI: left to full validation
    scanned = validator.validate(new, context=incremental_context(query, new, scan_titles=True))
    assert [(r.path, r.value) for r in scanned.violations] == [("http://purl.org/dc/terms/title", str(custom))]


def test_sh_class_sees_subclasses_from_the_ontology(tmp_path: Path, context: Graph):
    """sh:class needs the ontology's rdfs:subClassOf triples (library-pitfalls.md, pySHACL)."""
    header = ("@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
              "@prefix pkg: <https://w3id.org/policykg/ontology#> .\n")
    with_dir, without_dir = tmp_path / "with", tmp_path / "without"
    for d, body in ((with_dir, "<https://example.org/Ministry> rdfs:subClassOf pkg:Agency .\n"),
                    (without_dir, "")):
        d.mkdir()
        (d / "policykg.ttl").write_text(header + body, encoding="utf-8")
    ministry = URIRef(PREFIXES["id"] + "agency/ndrc")
    ctx = Graph().parse(data=context.serialize(format="turtle"), format="turtle")
    ctx.remove((ministry, RDF.type, PKG.Agency))
    ctx.add((ministry, RDF.type, URIRef("https://example.org/Ministry")))
    data = Graph().parse(CASES_DIR / "policy-minimal.valid.ttl")
    settings = Settings()
    with_ontology = Validator(settings.shapes_dir, with_dir).validate(data, context=ctx)
    assert with_ontology.results == []
    without = Validator(settings.shapes_dir, without_dir).validate(data, context=ctx)
    assert [(r.path, r.constraint) for r in without.violations] == [
        (str(PKG.issuedBy), str(SH.ClassConstraintComponent))]


def test_reference_properties_match_the_dangling_reference_shape(validator: Validator):
    from policykg.validation import REFERENCE_PROPERTIES

    g = validator.shapes_graph
    shape = URIRef("https://w3id.org/policykg/shapes#DanglingReferenceShape")
    (constraint,) = g.objects(shape, SH.sparql)
    select = str(g.value(constraint, SH.select))
    in_list = select[select.index("FILTER(?path IN"):]
    used = {PREFIXES[p] + local for p, local in re.findall(r"\b(pkg|oa):(\w+)", in_list)}
    assert used == {str(p) for p in REFERENCE_PROPERTIES}


def test_blank_node_subjects_are_checked_incrementally(validator: Validator, context: Graph):
    data = Graph().parse(data="""
        @prefix pkg: <https://w3id.org/policykg/ontology#> . @prefix oa: <http://www.w3.org/ns/oa#> .
        @prefix dcterms: <http://purl.org/dc/terms/> .
        <https://w3id.org/policykg/id/policy/cn-notice-on-testing-the-validator> a pkg:Policy ;
          dcterms:title "Notice on Testing the Validator"@en ;
          pkg:jurisdiction <https://w3id.org/policykg/id/region/CN> ; pkg:governmentLevel pkg:National ;
          pkg:issuedBy <https://w3id.org/policykg/id/agency/ndrc> ;
          pkg:sourceURL <https://www.ndrc.gov.cn/a.html> ;
          pkg:reportedIn <https://w3id.org/policykg/id/briefing/ccnt-2024-03-04> ;
          pkg:evidence [ oa:hasSource <https://w3id.org/policykg/id/briefing/ccnt-2024-03-04> ;
                         oa:exact "Notice" ; oa:start 10 ; oa:end 20 ] .
    """, format="turtle")
    report = validator.validate(data, context=context)
    assert [(r.focus_node[:2], r.path, r.constraint) for r in report.results] == [
        ("_:", "http://www.w3.org/ns/oa#exact", str(SH.SPARQLConstraintComponent))]
    assert report.results[0].focus_label == "Notice"


def test_sample_briefing_loader_output_has_no_violations(validator: Validator):
    """Shapes v1 accept what the loader makes of the sample briefing (0 violations).

    The warnings are the sample's known quality problems (gold file: a Shanghai
    title linked to a Jiangsu URL that another policy also uses).
    """
    loaders = pytest.importorskip("loaders")
    import pyoxigraph as ox

    from policykg.reference import load_ontology_graph, load_reference_graph
    from policykg.vocab import Minter

    settings = Settings()
    reference = load_reference_graph(settings.ontology_dir) + load_ontology_graph(settings.ontology_dir)
    sample = next(settings.sample_dir.glob("ccnt-2024-03-04.*"))
    extraction = loaders.extract(sample, Minter(), reference=reference)
    store = ox.Store()
    store.load(reference.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES)
    context = incremental_context(lambda q: store.query(q, use_default_graph_as_union=True), extraction.graph)
    report = validator.validate(extraction.graph, context=context)
    assert report.violations == [], report.to_text()
    shanghai = [r for r in report.warnings if "/policy/cn-sh-" in r.focus_node]
    assert {r.source_shape.rsplit("#", 1)[-1] for r in shanghai} >= {
        "PolicySourceDomainShape", "PolicySharedSourceURLShape"}


def test_subject_lines_locate_results_in_the_input_file(validator: Validator, context: Graph):
    from policykg.validation import subject_lines

    case = CASES_DIR / "target-year-out-of-range.invalid.ttl"
    text = case.read_text(encoding="utf-8")
    data = Graph().parse(data=text, format="turtle")
    lines = subject_lines(text, data, file=case.name)
    target = PREFIXES["id"] + "target/cn-notice-on-testing-the-validator-aaaa1111"
    expected_line = next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(f"<{target}>"))
    assert lines[target] == (case.name, expected_line)
    report = validator.validate(data, context=context, source_lines=lines)
    (result,) = report.results
    # placed on the value's line: pkg:targetYear, written below the subject
    value_line = next(i for i, line in enumerate(text.splitlines(), 1) if line.strip().startswith("pkg:targetYear"))
    assert value_line > expected_line
    assert (result.file, result.line, result.column, result.field) == (case.name, value_line, 5, "pkg:targetYear")
    assert result.one_line().endswith(f"({case.name}:{value_line}:5 property 'pkg:targetYear')")
    # N-Triples: every line starts with its subject
    nt = data.serialize(format="nt")
    nt_lines = subject_lines(nt, data)
    assert nt.splitlines()[nt_lines[target][1] - 1].startswith(f"<{target}>")


def test_all_is_complete():
    import policykg.validation as module

    for name in module.__all__:
        assert hasattr(module, name), name
    public = {n for n, v in vars(module).items()
              if not n.startswith("_") and getattr(v, "__module__", None) == module.__name__}
    assert public <= set(module.__all__), public - set(module.__all__)


def test_one_message_over_two_failing_constraints_is_listed_once(validator: Validator, context: Graph):
    """An untagged indicator fails sh:datatype and sh:languageIn of one property shape, whose one
    sh:message covers both: the curator reads it once; the SHACL report graph keeps both results."""
    from rdflib.namespace import SH

    data = Graph().parse(data="""@prefix pkg: <https://w3id.org/policykg/ontology#> .
        <https://w3id.org/policykg/id/target/t-1> a pkg:Target ; pkg:indicator "allowances traded" .""",
                         format="turtle")
    report = validator.validate(data, context=context)
    lines = [r.one_line() for r in report.violations if r.path and r.path.endswith("#indicator")]
    assert len(lines) == 1 and "exactly one indicator" in lines[0]
    assert report.counts["Violation"] == len(report.violations)
    shacl = [r for r in report.report_graph.objects(None, SH.result)
             if str(report.report_graph.value(r, SH.resultPath)).endswith("#indicator")]
    assert len(shacl) == 2
