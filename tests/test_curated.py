"""The curator's workflow: curated CSV/YAML entries are read, checked cell by cell,
validated against the shapes, merged atomically, and found over SPARQL."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib import URIRef
from typer.testing import CliRunner

from api import create_app
from loaders.curated import load_curated
from policykg.cli import _curated_reader
from policykg.cli import app as cli_app
from policykg.errors import InputError
from policykg.ingest import ensure_reference
from policykg.settings import PROJECT_ROOT, Settings
from policykg.store import OxigraphStore
from policykg.vocab import OA, PKG, Minter

TEMPLATES = PROJECT_ROOT / "data" / "templates"
HEADER = ("kind,title_en,title_zh,genre,jurisdiction,city,level,issuers,source_url,publication_date,"
          "instruments,sectors,indicator,year,value,unit,comparator,baseline_year\n")
GOOD_ROWS = [
    "policy,Action Plan for Hydrogen Vehicles in Hebei Province,,Action Plan,CN-HE,,provincial,"
    "Hebei Provincial People's Government,https://www.hebei.gov.cn/example/2024/05/10/plan.html,2024-05-10,,,,,,,,\n",
    "target,,,,,,,,,,,,fuel-cell vehicles in operation,2025,10000,vehicles,more than,\n",
    "policy,Notice on Rooftop Solar Pilots in Hangzhou,,Notice,CN-ZJ,330100,municipal,,"
    "https://www.hangzhou.gov.cn/example/202406/notice.html,2024-06,,,,,,,,\n",
    "target,,,,,,,,,,,,rooftop photovoltaic capacity,2026,1.5,GW,at least,\n",
    "policy,Measures for Energy Saving Rewards,,Measures,CN,,national,"
    "National Development and Reform Commission,,2024,,,,,,,,\n",
    "provision,,,,,,,,,,,,reward per tonne of standard coal saved,,300,yuan/ton of standard coal,no more than,\n",
]


def write(tmp_path: Path, rows: list[str], name: str = "new.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("template", ["policies.csv", "policies.yaml"])
def test_templates_load_into_the_briefing_vocabulary(template):
    result = load_curated(TEMPLATES / template, Minter())
    g = result.graph
    policies = list(g.subjects(rdflib.RDF.type, PKG.Policy))
    assert len(policies) == 1 and result.stats["targets"] == 2
    p = policies[0]
    for prop in (PKG.jurisdiction, PKG.governmentLevel, PKG.genre, PKG.issuedBy, PKG.sourceURL,
                 PKG.publicationDate, PKG.evidence, PKG.setsTarget, PKG.usesInstrument, PKG.sector):
        assert g.value(p, prop) is not None, prop
    for target in g.objects(p, PKG.setsTarget):
        assert g.value(target, PKG.normalizedUnit) is not None
        span = g.value(target, PKG.evidence)
        start, end = int(g.value(span, OA.start)), int(g.value(span, OA.end))
        assert result.text[start:end] == str(g.value(span, OA.exact))


def test_every_wrong_cell_is_reported_in_one_run(tmp_path):
    rows = list(GOOD_ROWS)
    rows[0] = rows[0].replace("CN-HE", "Hebei")
    rows[1] = rows[1].replace("2025", "2o25").replace("more than", "bigger")
    rows[3] = rows[3].replace("1.5,GW", "1.5,")
    rows[4] = rows[4].replace("Measures,CN", "Manifesto,CN")
    with pytest.raises(InputError) as info:
        load_curated(write(tmp_path, rows), Minter())
    problems = {(p["line"], p["field"]) for p in info.value.extra["problems"]}
    assert problems == {(2, "jurisdiction"), (3, "year"), (3, "comparator"), (5, "unit"), (6, "genre")}
    columns = {p["field"]: p["column"] for p in info.value.extra["problems"]}
    assert columns["jurisdiction"] == 5 and columns["year"] == 14


def test_one_run_reports_every_cell_even_beside_a_wrong_title_value_or_region(tmp_path):
    """A wrong value no longer hides its row's comparator, nor a missing title or unknown region the row's other cells."""
    rows = list(GOOD_ROWS)
    rows[0] = rows[0].replace("Action Plan for Hydrogen Vehicles in Hebei Province", "").replace("2024-05-10", "May 10")
    rows[1] = rows[1].replace("10000", "ten thousand").replace("more than", "roughly")
    rows[2] = rows[2].replace("CN-ZJ", "CN-ZZ").replace("municipal", "city")
    with pytest.raises(InputError) as info:
        load_curated(write(tmp_path, rows), Minter())
    problems = {(p["line"], p["field"]) for p in info.value.extra["problems"]}
    assert problems == {(2, "title_en"), (2, "publication_date"), (3, "value"), (3, "comparator"),
                        (4, "jurisdiction"), (4, "level")}
    assert any("'CN-ZZ' is not a region" in p["message"] for p in info.value.extra["problems"])


def test_a_byte_order_mark_is_not_part_of_the_first_column(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + "".join(GOOD_ROWS)).encode("utf-8"))
    assert load_curated(path, Minter()).stats["policies"] == 3


def test_subject_lines_give_the_row_of_each_policy_and_target(tmp_path):
    """Validation reports on curated input give the line of the row (``CuratedResult.subject_lines``)."""
    result = load_curated(write(tmp_path, GOOD_ROWS), Minter())
    lines = result.subject_lines("new.csv")
    by_line = {}
    for subject, (source, line) in lines.items():
        assert source == "new.csv"
        by_line.setdefault(line, set()).update(result.graph.objects(URIRef(subject), rdflib.RDF.type))
    assert PKG.Policy in by_line[2] and PKG.Target in by_line[3] and PKG.Policy in by_line[4]
    assert PKG.Target in by_line[5] and PKG.Provision in by_line[7]


def test_unknown_column_and_orphan_target(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("kind,title,indicator\ntarget,,x\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_curated(path, Minter())
    fields = {p["field"] for p in info.value.extra["problems"]}
    assert {"title", "kind"} <= fields


def test_curator_workflow_fix_merge_query(tmp_path):
    runner = CliRunner()
    store_dir = tmp_path / "store"
    assert runner.invoke(cli_app, ["merge", str(TEMPLATES / "policies.yaml"), "--store", str(store_dir)]).exit_code == 0
    store = OxigraphStore(store_dir, Settings().base_iri)
    before = store.dump_nquads()
    store.close()

    rows = list(GOOD_ROWS)
    rows[1] = rows[1].replace("2025", "2o25")
    bad = write(tmp_path, rows)
    result = runner.invoke(cli_app, ["merge", str(bad), "--store", str(store_dir)])
    assert result.exit_code == 2 and "2o25" in result.output and ":3:14" in result.output
    store = OxigraphStore(store_dir, Settings().base_iri)
    assert store.dump_nquads() == before
    store.close()

    good = write(tmp_path, GOOD_ROWS)
    result = runner.invoke(cli_app, ["validate", str(good), "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli_app, ["merge", str(good), "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    assert "written 1" in result.output and "added https://w3id.org/policykg/graph/" in result.output
    result = runner.invoke(cli_app, ["merge", str(good), "--store", str(store_dir)])
    assert "written 0 graph(s), unchanged 1" in result.output
    # another file of the same name fills the same graph: the summary says what it replaced
    (tmp_path / "sub").mkdir()
    other = write(tmp_path / "sub", GOOD_ROWS[:2])
    result = runner.invoke(cli_app, ["merge", str(other), "--store", str(store_dir)])
    assert result.exit_code == 0 and "written 1 graph(s) (1 replaced)" in result.output, result.output
    assert "replaced https://w3id.org/policykg/graph/new-csv" in result.output
    assert runner.invoke(cli_app, ["merge", str(good), "--store", str(store_dir)]).exit_code == 0
    # an edited file replaces its graph: its old copy is no second date or second quote of a span
    edited = write(tmp_path, [r.replace("2024-05-10", "2024-05-11").replace(",10000,", ",12000,") for r in GOOD_ROWS])
    result = runner.invoke(cli_app, ["merge", str(edited), "--store", str(store_dir)])
    assert result.exit_code == 0 and "(1 replaced)" in result.output, result.output
    # a file named after one of the store's own graphs is refused, and nothing is written
    reserved = tmp_path / "reference.ttl"
    reserved.write_text("<https://w3id.org/policykg/id/x> <http://www.w3.org/2000/01/rdf-schema#label> \"x\" .\n")
    result = runner.invoke(cli_app, ["merge", str(reserved), "--store", str(store_dir)])
    assert result.exit_code == 2 and "store's own graphs" in result.output, result.output

    store = OxigraphStore(store_dir, Settings().base_iri)
    rows = store.select("PREFIX pkg: <https://w3id.org/policykg/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "
                        "SELECT ?t WHERE { ?p a pkg:Policy ; dcterms:title ?t }")
    store.close()
    titles = {str(r["t"]) for r in rows}
    assert {"Action Plan for Hydrogen Vehicles in Hebei Province", "Notice on Rooftop Solar Pilots in Hangzhou",
            "Measures for Energy Saving Rewards"} <= titles


def test_post_validate_takes_the_csv_template(tmp_path):
    settings = Settings(store_path=tmp_path / "store")
    store = OxigraphStore(settings.store_path, settings.base_iri)
    ensure_reference(store, settings)
    before = store.dump_nquads()
    app = create_app(settings, store, curated_reader=_curated_reader(settings))
    with TestClient(app) as client:
        body = (HEADER + "".join(GOOD_ROWS)).encode("utf-8")
        r = client.post("/validate", content=body, headers={"Content-Type": "text/csv"})
        assert r.status_code == 200, r.text
        assert r.json()["conforms"] is True
        bad = body.replace(b"CN-HE", b"Hebei")
        r = client.post("/validate", content=bad, headers={"Content-Type": "text/csv"})
        assert r.status_code == 400
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["problems"][0]["field"] == "jurisdiction"
        r = client.post("/validate", content=body, headers={"Content-Type": "application/pdf"})
        assert r.status_code == 415 and "text/csv" in r.json()["detail"] and "text/turtle" in r.json()["detail"]
    assert store.dump_nquads() == before
    store.close()


def test_post_validate_reports_violations_as_turtle(tmp_path):
    settings = Settings(store_path=tmp_path / "store")
    store = OxigraphStore(settings.store_path, settings.base_iri)
    no_title = (b"@prefix pkg: <https://w3id.org/policykg/ontology#> .\n"
                b"<https://w3id.org/policykg/id/policy/cn-untitled> a pkg:Policy ;\n"
                b"  pkg:jurisdiction <https://w3id.org/policykg/id/region/CN> .\n")
    with TestClient(create_app(settings, store)) as client:
        r = client.post("/validate", content=no_title,
                        headers={"Content-Type": "text/turtle", "Accept": "text/turtle"})
        assert r.status_code == 200
        report = rdflib.Graph().parse(data=r.text, format="turtle")
        sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
        assert (None, sh.focusNode, URIRef("https://w3id.org/policykg/id/policy/cn-untitled")) in report
        r = client.post("/validate", content=b"<a> <b> .", headers={"Content-Type": "text/turtle"})
        assert r.status_code == 400 and r.json()["line"] == 1
        r = client.post("/validate", content=b"x", headers={"Content-Type": "application/msword"})
        assert r.status_code == 415
    store.close()


def test_an_issuer_label_two_cities_share_is_resolved_by_the_rows_city_or_refused(tmp_path):
    """Taizhou (Jiangsu, 321200) and Taizhou (Zhejiang, 331000) both have a "Taizhou Municipal People's Government"."""
    row = ("policy,Notice on Rooftop Solar Pilots in Taizhou,,Notice,CN-JS,321200,municipal,"
           "Taizhou Municipal People's Government,,2024-06,,,,,,,,\n")
    g = load_curated(write(tmp_path, [row]), Minter()).graph
    assert {str(o) for o in g.objects(None, PKG.issuedBy)} == {"https://w3id.org/policykg/id/agency/321200-government"}
    row = row.replace(",CN-JS,321200,municipal,", ",CN,,national,")
    with pytest.raises(InputError) as info:
        load_curated(write(tmp_path, [row], "national.csv"), Minter())
    assert "is the label of several resources" in str(info.value) and "331000-government" in str(info.value)


def test_a_misspelt_or_foreign_unit_is_refused_not_counted(tmp_path):
    """'million kilowats' (a typo) and 'gigaparsecs' (a unit policykg does not normalise) used to be stored
    as counts of things called kilowats or gigaparsecs; things counted (vehicles, towns) still are counts."""
    rows = list(GOOD_ROWS)
    rows[1] = rows[1].replace("10000,vehicles", "10,million kilowats")
    rows[3] = rows[3].replace("1.5,GW", "1.5,gigaparsecs")
    with pytest.raises(InputError) as info:
        load_curated(write(tmp_path, rows), Minter())
    problems = {(p["line"], p["field"], p["column"]): p["message"] for p in info.value.extra["problems"]}
    assert set(problems) == {(3, "unit", 16), (5, "unit", 16)}
    assert "misspelt 'kilowatts'" in problems[(3, "unit", 16)]
    assert "unit of length" in problems[(5, "unit", 16)]
    rows[1] = GOOD_ROWS[1].replace("10000,vehicles", "12,towns")
    rows[3] = GOOD_ROWS[3]
    assert load_curated(write(tmp_path, rows), Minter()).stats["targets"] == 2


@pytest.mark.parametrize("written, hint", [("Zhejang", "did you mean Zhejiang (CN-ZJ)"),
                                           ("CN-ZH", "did you mean Zhejiang (CN-ZJ)")])
def test_a_misspelt_jurisdiction_is_offered_the_close_provinces(tmp_path, written, hint):
    """'Zhejang' and 'CN-ZH' (the newcomer's typos) were refused with no suggestion."""
    rows = list(GOOD_ROWS)
    rows[2] = rows[2].replace(",CN-ZJ,330100,", f",{written},330100,")
    with pytest.raises(InputError) as info:
        load_curated(write(tmp_path, rows), Minter())
    (problem,) = [p for p in info.value.extra["problems"] if p["field"] == "jurisdiction"]
    assert problem["line"] == 4 and hint in problem["message"], problem


def test_a_row_with_more_cells_than_the_header_is_refused(tmp_path):
    """A comma too many shifts every later cell under the wrong column: refused with the cell, never dropped."""
    rows = list(GOOD_ROWS)
    rows[1] = rows[1].rstrip("\n") + ",EXTRA,MORE\n"
    with pytest.raises(InputError) as info:
        load_curated(write(tmp_path, rows), Minter())
    (problem,) = info.value.extra["problems"]
    assert (problem["line"], problem["column"]) == (3, 19) and "'EXTRA'" in problem["message"]


def test_an_unknown_label_comes_with_the_labels_it_is_near(tmp_path):
    rows = list(GOOD_ROWS)
    rows[0] = rows[0].replace("Hebei Provincial People's Government", "Hebei Provincial Peoples Govt")
    rows[4] = rows[4].replace("national,", "national,").replace(",2024,,,,,,,,", ",2024,research and development,,,,,,,")
    with pytest.raises(InputError) as info:
        load_curated(write(tmp_path, rows), Minter())
    messages = {p["field"]: p["message"] for p in info.value.extra["problems"]}
    assert "did you mean \"Hebei Provincial People's Government\"" in messages["issuers"]
    assert "Research, development and deployment" in messages["instruments"]


def test_yaml_problems_point_at_the_field_not_the_record(tmp_path):
    """A bad value in a YAML record is reported at its own line and column, as CSV cells are."""
    text = (TEMPLATES / "policies.yaml").read_text(encoding="utf-8")
    text = text.replace("publication_date: 2024-05-10", "publication_date: sometime in May")
    text = text.replace("instruments: [planning target]", "instruments: [planing targets]")
    text = text.replace("value: 10, unit: million kilowatts", "value: 10, unit: million kilowats")
    path = tmp_path / "entry.yaml"
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    with pytest.raises(InputError) as info:
        load_curated(path, Minter())
    where = {p["field"]: (p["line"], p["column"]) for p in info.value.extra["problems"]}
    for field, needle in (("publication_date", "sometime in May"), ("instruments", "[planing targets]"),
                          ("unit", "million kilowats")):
        line, column = where[field]
        assert lines[line - 1][column - 1:].startswith(needle), (field, line, column)


def test_a_curated_policys_page_shows_its_document_number_status_and_bindingness():
    from policykg.describe import policy_page  # noqa: PLC0415
    from policykg.reference import load_ontology_graph  # noqa: PLC0415

    result = load_curated(TEMPLATES / "policies.yaml", Minter())
    g = result.graph + load_ontology_graph(PROJECT_ROOT / "ontology")
    (policy,) = result.graph.subjects(rdflib.RDF.type, PKG.Policy)
    page = policy_page(g, policy, Settings().base_iri)
    assert page["document_number"] == "闽政〔2024〕12号"
    assert [link.text.lower() for link in page["status"]] == ["in force"]
    assert {t["bindingness"].lower() for t in page["targets"]} == {"binding", "indicative"}
