"""The command line: exit codes (0 ok, 1 validation failed, 2 input error), messages that say
where, and the commands that read or write the store."""

from __future__ import annotations

import gzip
import json

import pytest
import rdflib
from typer.testing import CliRunner

from policykg.cli import app
from policykg.settings import PROJECT_ROOT

SAMPLE = PROJECT_ROOT / "data" / "briefings" / "ccnt-2024-03-04.txt"
runner = CliRunner()

NO_TITLE = """@prefix pkg: <https://w3id.org/policykg/ontology#> .
@prefix id: <https://w3id.org/policykg/id/policy/> .

id:cn-untitled a pkg:Policy ;
  pkg:jurisdiction <https://w3id.org/policykg/id/region/CN> .
"""


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "sample.ttl"
    result = runner.invoke(app, ["extract", str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_extract_formats(extracted, tmp_path):
    g = rdflib.Graph().parse(extracted)
    assert len(g) > 1000
    for fmt, parse_as in (("nquads", "nquads"), ("jsonld", "json-ld")):
        out = tmp_path / f"x.{fmt}"
        assert runner.invoke(app, ["extract", str(SAMPLE), "-o", str(out), "--format", fmt]).exit_code == 0
        if fmt == "nquads":
            ds = rdflib.Dataset().parse(out, format="nquads")
            assert sum(len(c) for c in ds.contexts()) == len(g)
        else:  # the same triples, datatypes included (a whole-number xsd:double once came back an integer)
            def terms(graph):  # noqa: ANN001, ANN202 - literals by datatype and value (Turtle writes 300 as 300.0)
                return {(s, p, (o.datatype, o.toPython()) if isinstance(o, rdflib.Literal) else o)
                        for s, p, o in graph if not isinstance(s, rdflib.BNode) and not isinstance(o, rdflib.BNode)}

            back = rdflib.Graph().parse(out, format=parse_as)
            assert len(back) == len(g) and terms(back) == terms(g)
            assert runner.invoke(app, ["validate", str(out), "--no-store"]).exit_code == 0


def test_validate_exit_codes(extracted, tmp_path):
    assert runner.invoke(app, ["validate", str(extracted), "--no-store"]).exit_code == 0
    bad = tmp_path / "no-title.ttl"
    bad.write_text(NO_TITLE, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad), "--no-store"])
    assert result.exit_code == 1
    assert f"({bad}:4)" in result.output and "English title" in result.output
    broken = tmp_path / "broken.ttl"
    broken.write_text(NO_TITLE.replace("pkg:Policy ;", "pkg:Policy ;;\n  ]"), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(broken), "--no-store"])
    assert result.exit_code == 2
    assert f"{broken}:5:" in result.output


def test_validate_json_and_turtle_reports(tmp_path):
    bad = tmp_path / "no-title.ttl"
    bad.write_text(NO_TITLE, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad), "--no-store", "--format", "json"])
    report = json.loads(result.output)
    assert report["conforms"] is False and report["counts"]["Violation"] == 1
    result = runner.invoke(app, ["validate", str(bad), "--no-store", "--format", "turtle"])
    g = rdflib.Graph().parse(data=result.output, format="turtle")
    assert len(list(g.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#ValidationReport")))) == 1


def test_load_query_dump_restore(tmp_path):
    store = tmp_path / "store"
    assert runner.invoke(app, ["load", str(SAMPLE), "--store", str(store)]).exit_code == 0
    result = runner.invoke(app, ["query", "targets-due-in-year", "--param", "year=2025", "--store", str(store),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) >= 10 and all(r["year"] == "2025" for r in rows)
    result = runner.invoke(app, ["query", "targets-due-in-year", "--param", "year=twenty", "--store", str(store)])
    assert result.exit_code == 2
    dump = tmp_path / "backup.nq.gz"
    assert runner.invoke(app, ["dump", str(dump), "--store", str(store)]).exit_code == 0
    other = tmp_path / "other"
    assert runner.invoke(app, ["restore", str(dump), "--store", str(other)]).exit_code == 0
    a = sorted(gzip.decompress(dump.read_bytes()).splitlines())
    result = runner.invoke(app, ["dump", str(tmp_path / "again.nq"), "--store", str(other)])
    assert result.exit_code == 0
    assert sorted((tmp_path / "again.nq").read_bytes().splitlines()) == a
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://a> <http://b> <http://c> .\n<http://a> <http://b> .\n")
    result = runner.invoke(app, ["restore", str(bad), "--store", str(other)])
    assert result.exit_code == 2 and "cut short" in result.output, result.output  # no checksum line
    result = runner.invoke(app, ["restore", str(bad), "--unchecked", "--store", str(other)])
    assert result.exit_code == 2 and f"{bad}:2:" in result.output, result.output  # names the file and line
    # a dump of another tool (no checksum line) restores with --unchecked
    plain = tmp_path / "plain.nq"
    plain.write_bytes(b"".join(line + b"\n" for line in a))
    assert runner.invoke(app, ["restore", str(plain), "--store", str(tmp_path / "third")]).exit_code == 2
    assert runner.invoke(app, ["restore", str(plain), "--unchecked", "--store", str(tmp_path / "third")]).exit_code == 0
    assert runner.invoke(app, ["dump", str(tmp_path / "after.nq"), "--store", str(other)]).exit_code == 0
    assert sorted((tmp_path / "after.nq").read_bytes().splitlines()) == a  # the store is as it was


def test_unwritable_output_and_missing_input_are_exit_2(tmp_path):
    result = runner.invoke(app, ["extract", str(SAMPLE), "-o", str(tmp_path / "no" / "such" / "dir.ttl")])
    assert result.exit_code == 2 and "No such file" in result.output
    result = runner.invoke(app, ["validate", str(tmp_path / "missing.ttl")])
    assert result.exit_code == 2 and "missing.ttl" in result.output
    result = runner.invoke(app, ["extract", str(tmp_path)])
    assert result.exit_code == 2


def test_eval_prints_scores_per_field():
    gold = PROJECT_ROOT.parent / "shared" / "corpus" / "gold" / "ccnt-2024-03-04.yaml"
    if not gold.exists():
        pytest.skip("shared/corpus is not beside the checkout")
    result = runner.invoke(app, ["eval", str(gold), str(SAMPLE), "--json"])
    assert result.exit_code == 0, result.output
    scores = {f["name"]: f for f in json.loads(result.output[result.output.index("{"):])["fields"]}
    for name in ("policies", "title", "jurisdiction", "source_urls", "published", "reports"):
        assert scores[name]["precision"] == scores[name]["recall"] == 1.0, name


def test_eval_with_its_arguments_swapped_says_which_comes_first(tmp_path):
    """It said "invalid YAML: mapping values are not allowed here" at a line of the briefing."""
    gold = tmp_path / "gold.yaml"
    gold.write_text("policies: []\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(SAMPLE), str(gold)])
    assert result.exit_code == 2, result.output
    assert "the gold annotation comes first" in result.output and "invalid YAML" not in result.output


def test_a_store_built_with_another_base_iri_is_refused_for_writes_validation_and_serving(tmp_path):
    """Its IRIs would answer 404 under this base and new entries would mix with the old (newcomer report)."""
    entry = tmp_path / "entry.ttl"
    entry.write_text('<http://127.0.0.1:8001/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n')
    store = str(tmp_path / "store")
    local = {"POLICYKG_BASE_IRI": "http://127.0.0.1:8001/"}
    result = runner.invoke(app, ["merge", str(entry), "--store", store], env=local)
    assert result.exit_code == 0, result.output
    for args in (["merge", str(entry), "--store", store], ["validate", str(entry), "--store", store],
                 ["serve", "--store", store, "--port", "0"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output
        assert "POLICYKG_BASE_IRI=http://127.0.0.1:8001/" in result.output


def test_load_refuses_a_document_without_policies(tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_text("Minutes of the garden club.\n\nWe met on Tuesday and planted tulips.\n", encoding="utf-8")
    store = tmp_path / "store"
    result = runner.invoke(app, ["load", str(SAMPLE), str(junk), "--store", str(store)])
    assert result.exit_code == 2 and "junk.txt" in result.output and "no policy or report" in result.output
    assert not store.exists()  # refused before the store was opened: nothing of the sample was written either


def _store_with_one_label(tmp_path) -> str:
    """The folder of a store merged from one triple ``<{base}id/x> rdfs:label "x"`` (plus the reference data)."""
    entry = tmp_path / "entry.ttl"
    entry.write_text('<https://w3id.org/policykg/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n')
    store = str(tmp_path / "store")
    assert runner.invoke(app, ["merge", str(entry), "--store", store]).exit_code == 0
    return store


def test_query_json_gives_numbers_as_numbers(tmp_path):
    store = _store_with_one_label(tmp_path)
    query = ('SELECT (COUNT(*) AS ?n) (1.5 AS ?d) (true AS ?b) ("2025"^^<http://www.w3.org/2001/XMLSchema#gYear> AS ?y) '
             '("INF"^^<http://www.w3.org/2001/XMLSchema#double> AS ?inf) WHERE { ?s ?p ?o }')
    result = runner.invoke(app, ["query", query, "--store", store, "--format", "json"])
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)
    assert isinstance(row["n"], int) and row["n"] > 1000 and row["d"] == 1.5 and row["b"] is True
    assert row["y"] == "2025" and row["inf"] == "INF"
    result = runner.invoke(app, ["query", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(?s = <https://w3id.org/policykg/id/x>) }",
                                 "--store", store])
    assert result.exit_code == 0 and '"x"' in result.output and "<https://w3id.org/policykg/id/x>" in result.output


def test_query_csv_writes_whole_doubles_as_stored(tmp_path):
    """A normalised target value "2500000000000"^^xsd:double printed as "2500000000000.0" in CSV and
    the table (rdflib's normal form), where /sparql's CSV gives "2500000000000". Every double is
    written as the store holds it, as /sparql writes it ("2.5E-5" is stored as "0.000025")."""
    store = _store_with_one_label(tmp_path)
    query = ('SELECT ?v ("2.5E-5"^^<http://www.w3.org/2001/XMLSchema#double> AS ?small) (50.0 AS ?d) WHERE { '
             'VALUES ?v { "2500000000000"^^<http://www.w3.org/2001/XMLSchema#double> } }')
    result = runner.invoke(app, ["query", query, "--store", store, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["v,small,d", "2500000000000,0.000025,50"]
    result = runner.invoke(app, ["query", query, "--store", store, "--format", "json"])
    assert json.loads(result.output) == [{"v": 2500000000000, "small": 2.5e-05, "d": 50}]


def test_query_columns_follow_the_select_clause(tmp_path):
    """CSV and table columns are the query's projection in its order, as /sparql and /api/queries give
    them, even when the first solutions leave a variable unbound."""
    store = _store_with_one_label(tmp_path)
    query = 'SELECT ?late ?early WHERE { VALUES (?early ?late) { ("a" UNDEF) ("b" "c") } } ORDER BY ?early'
    result = runner.invoke(app, ["query", query, "--store", store, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["late,early", ",a", "c,b"]


def test_validate_reports_every_file_when_one_cannot_be_read(tmp_path):
    """A pre-merge check over many files (README: find ... | xargs policykg validate --no-store): an
    unreadable file is reported beside the others' violations, never instead of them."""
    bad = tmp_path / "broken.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    wrong = tmp_path / "wrong.ttl"
    wrong.write_text('<https://w3id.org/policykg/id/policy/x> a <https://w3id.org/policykg/ontology#Policy> .\n',
                     encoding="utf-8")
    result = runner.invoke(app, ["validate", "--no-store", "--format", "json", str(bad), str(wrong),
                                 str(tmp_path / "missing.ttl")])
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert doc["conforms"] is False and doc["counts"].get("Violation", 0) > 0
    files = [e["file"] for e in doc["input_errors"]]
    assert files == [str(bad), str(tmp_path / "missing.ttl")] and doc["input_errors"][0]["line"] == 1
    result = runner.invoke(app, ["validate", "--no-store", str(bad), str(wrong)])
    assert result.exit_code == 2 and "broken.ttl" in result.stderr and "Violation" in result.stdout


def test_merge_refuses_two_files_that_would_fill_one_graph(tmp_path):
    """a/entry.ttl and b/entry.ttl slug to one graph: refused naming both, nothing written."""
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "entry.ttl").write_text(
            f'<https://w3id.org/policykg/id/x-{folder}> <http://www.w3.org/2000/01/rdf-schema#label> "{folder}" .\n')
    store = tmp_path / "store"
    result = runner.invoke(app, ["merge", str(tmp_path / "a" / "entry.ttl"), str(tmp_path / "b" / "entry.ttl"),
                                 "--store", str(store)])
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert str(tmp_path / "a" / "entry.ttl") in message and str(tmp_path / "b" / "entry.ttl") in message
    assert not store.exists()
