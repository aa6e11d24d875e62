"""A curator's review: real Chinese climate policies entered by hand with the mistakes curators make.

Each test is one defect found by writing curated CSV/YAML entries from the README and the templates
only, and judging every message: does it say what is wrong, where (file, line, column, the CSV column
or YAML field the curator wrote) and what to do. Fixed defects pass; open ones are ``xfail(strict=True)``
with the reason. Policies: the State Council's Action Plan for Carbon Dioxide Peaking Before 2030
(国发〔2021〕23号), the Guangdong and Shandong carbon peaking implementation plans, MIIT's industry plan.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policykg.cli import _curated_reader
from policykg.cli import app as cli_app
from policykg.errors import InputError
from policykg.ingest import ensure_reference
from policykg.settings import Settings
from policykg.store import OxigraphStore

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from api import create_app  # noqa: E402

HEADER = ("kind,title_en,title_zh,genre,jurisdiction,city,level,issuers,source_url,publication_date,instruments,"
          "sectors,indicator,year,value,unit,comparator,baseline_year,document_number,status,supersedes,bindingness\n")
PEAKING = ("policy,Action Plan for Carbon Dioxide Peaking Before 2030,2030年前碳达峰行动方案,Action Plan,CN,,national,"
           "State Council,https://www.gov.cn/zhengce/content/2021-10/26/content_5644984.htm,2021-10-26,"
           "planning target,energy,,,,,,,国发〔2021〕23号,in force,,\n")
GUANGDONG = ("policy,Guangdong Province Carbon Peaking Implementation Plan,广东省碳达峰实施方案,Implementation Plan,"
             "CN-GD,,provincial,Guangdong Provincial People's Government,"
             "https://www.gd.gov.cn/zwgk/wjk/qbwj/yf/content/post_4044466.html,2022-06-01,planning target,energy,"
             ",,,,,,粤府〔2022〕56号,in force,,\n")
SHARE = "target,,,,,,,,,,,,share of non-fossil energy in energy consumption,2025,{value},%,at least,,,,,binding\n"
SHANDONG_YAML = """policies:
  - title_en: Shandong Province Carbon Peaking Implementation Plan
    title_zh: 山东省碳达峰实施方案
    genre: Implementation Plan
    jurisdiction: CN-SD
    level: provincial
    issuers: [Shandong Provincial People's Government]
    publication_date: 2022-12-19
    document_number: 鲁政发〔2022〕18号
    targets:
      - {indicator: share of non-fossil energy in energy consumption, year: 2025, value: 130, unit: "%", comparator: at least}
"""


def write(tmp_path: Path, text: str, name: str = "entries.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


READ = None


def read(path: Path):
    """The curated reader the CLI uses (reference data loaded once per test session)."""
    global READ  # noqa: PLW0603
    if READ is None:
        READ = _curated_reader(Settings())
    return READ(path)


def problems(path: Path) -> list[dict]:
    with pytest.raises(InputError) as info:
        read(path)
    return info.value.extra["problems"]


def validate(path: Path, *extra: str):
    return CliRunner().invoke(cli_app, ["validate", "--no-store", str(path), *extra])


@pytest.fixture(scope="module")
def percent_csv(tmp_path_factory) -> Path:
    return write(tmp_path_factory.mktemp("c"), HEADER + GUANGDONG + SHARE.format(value=125))


# --- SHACL results name the curated field, once ---------------------------------------------------------


def test_shacl_violation_names_the_csv_column_line_and_cell(percent_csv):
    """Was: 'but https://w3id.org/policykg/ontology#normalizedValue is 125.0 (file:3)': an RDF property the
    curator never wrote, and no column."""
    result = validate(percent_csv)
    assert result.exit_code == 1, result.output
    assert f"({percent_csv}:3:15 field 'value')" in result.output
    assert "but 'value' is 125." in result.output
    assert "ontology#" not in result.output


def test_out_of_range_percentage_is_reported_once(percent_csv):
    """Was: two violations, one for pkg:value and one for the normalised pkg:normalizedValue."""
    doc = json.loads(validate(percent_csv, "--format", "json").output)
    assert doc["counts"]["Violation"] == 1, doc
    (only,) = doc["results"]
    assert (only["field"], only["line"], only["column"]) == ("value", 3, 15)
    assert only["path"].endswith("#value")


def test_yaml_violation_points_at_the_field_of_the_target(tmp_path):
    path = write(tmp_path, SHANDONG_YAML, "shandong.yaml")
    doc = json.loads(validate(path, "--format", "json").output)
    violations = [r for r in doc["results"] if r["severity"] == "Violation"]
    assert len(violations) == 1, violations
    assert (violations[0]["field"], violations[0]["line"]) == ("value", 11)
    assert SHANDONG_YAML.splitlines()[10][violations[0]["column"] - 1:].startswith("130")
    warning = next(r for r in doc["results"] if r["field"] == "source_url")
    assert "Add 'source_url'" in warning["message"] and warning["line"] == 2


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    settings = Settings(store_path=tmp_path_factory.mktemp("api") / "store")
    store = OxigraphStore(settings.store_path, settings.base_iri)
    ensure_reference(store, settings)
    with TestClient(create_app(settings, store, curated_reader=_curated_reader(settings))) as test_client:
        yield test_client
    store.close()


def test_post_validate_names_the_field_once(client):
    r = client.post("/validate", content=SHANDONG_YAML.encode("utf-8"),
                    headers={"Content-Type": "application/yaml", "Accept": "application/json"})
    assert r.status_code == 200, r.text
    violations = [x for x in r.json()["results"] if x["severity"] == "Violation"]
    assert [(v["file"], v["line"], v["field"]) for v in violations] == [("request body", 11, "value")]


def test_merge_shows_its_warnings(tmp_path):
    entries = write(tmp_path, HEADER + GUANGDONG.replace(
        "https://www.gd.gov.cn/zwgk/wjk/qbwj/yf/content/post_4044466.html", ""))
    result = CliRunner().invoke(cli_app, ["merge", str(entries), "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    assert "field 'source_url'" in result.output


def test_post_validate_html_report_shows_where(client):
    r = client.post("/validate", content=SHANDONG_YAML.encode("utf-8"),
                    headers={"Content-Type": "application/yaml", "Accept": "text/html"})
    assert r.status_code == 200 and ">11<" in r.text


def test_turtle_report_has_one_result_per_cell(percent_csv):
    import rdflib

    g = rdflib.Graph().parse(data=validate(percent_csv, "--format", "turtle").output, format="turtle")
    assert len(list(g.subjects(rdflib.RDF.type, rdflib.SH.ValidationResult))) == 1


# --- cell checks ----------------------------------------------------------------------------------------


def test_impossible_calendar_date_is_called_so(tmp_path):
    """Was: '2022-13-01' is not YYYY-MM-DD, YYYY-MM or YYYY: but it is written that way."""
    found = problems(write(tmp_path, HEADER + GUANGDONG.replace("2022-06-01", "2022-13-01")))
    assert [(p["line"], p["column"], p["field"]) for p in found] == [(2, 10, "publication_date")]
    assert "no calendar date" in found[0]["message"]
    found = problems(write(tmp_path, HEADER + GUANGDONG.replace("2022-06-01", "2022/06/01")))
    assert "is not YYYY-MM-DD" in found[0]["message"]


@pytest.mark.parametrize("written, hint", [("Guangdong", "write CN-GD"), ("广东省", "write CN-GD"),
                                           ("Shenzhen", "440300 in 'city'")])
def test_jurisdiction_written_as_a_name_gets_the_code_to_write(tmp_path, written, hint):
    found = problems(write(tmp_path, HEADER + GUANGDONG.replace(",CN-GD,", f",{written},")))
    assert [(p["line"], p["column"], p["field"]) for p in found] == [(2, 5, "jurisdiction")]
    assert hint in found[0]["message"]


def test_chinese_title_in_title_en_is_refused(tmp_path):
    """Was: accepted as an English title, minting the IRI .../policy/cn-2030 from its digits."""
    row = PEAKING.replace("Action Plan for Carbon Dioxide Peaking Before 2030,2030年前碳达峰行动方案",
                          "2030年前碳达峰行动方案,")
    found = problems(write(tmp_path, HEADER + row))
    assert [(p["line"], p["column"], p["field"]) for p in found] == [(2, 2, "title_en")]
    assert "'title_zh'" in found[0]["message"]


def test_english_title_in_title_zh_is_refused(tmp_path):
    """Was: stored as a Chinese (@zh) title."""
    row = PEAKING.replace(",2030年前碳达峰行动方案,", ",Action Plan for Carbon Dioxide Peaking Before 2030,")
    found = problems(write(tmp_path, HEADER + row))
    assert [(p["line"], p["column"], p["field"]) for p in found] == [(2, 3, "title_zh")]
    assert "no Chinese characters" in found[0]["message"]


def test_duplicated_target_row_is_reported(tmp_path):
    """Was: silently folded into one target (a copy-pasted row meant to be edited)."""
    found = problems(write(tmp_path, HEADER + GUANGDONG + SHARE.format(value=25) * 2))
    assert [(p["line"], p["field"]) for p in found] == [(4, "indicator")]
    assert "repeats the target on line 3" in found[0]["message"]


def test_duplicated_policy_row_is_reported(tmp_path):
    found = problems(write(tmp_path, HEADER + PEAKING + GUANGDONG + PEAKING))
    assert [(p["line"], p["field"]) for p in found] == [(4, "title_en")]
    assert "policy on line 2" in found[0]["message"]


def test_misspelled_yaml_field_is_reported_once_with_the_right_name(tmp_path):
    """Was: two problems for one key (unknown field; expected a text, not a YAML list), no suggestion."""
    text = SHANDONG_YAML.replace("value: 130", "value: 30") + "    provisons: []\n"
    found = problems(write(tmp_path, text, "shandong.yaml"))
    assert [(p["line"], p["field"]) for p in found] == [(12, "provisons")]
    assert "did you mean 'provisions'?" in found[0]["message"]


def test_misspelled_csv_column_gets_the_right_name(tmp_path):
    found = problems(write(tmp_path, HEADER.replace("publication_date", "publish_date") + PEAKING))
    assert [(p["line"], p["column"], p["field"]) for p in found] == [(1, 10, "publish_date")]
    assert "did you mean 'publication_date'?" in found[0]["message"]


def test_issuers_separated_by_commas_are_told_to_use_semicolons(tmp_path):
    row = PEAKING.replace(",State Council,",
                          ',"Ministry of Industry and Information Technology, National Development and Reform '
                          'Commission",')
    found = problems(write(tmp_path, HEADER + row))
    assert [(p["line"], p["column"], p["field"]) for p in found] == [(2, 8, "issuers")]
    assert "separate them with ';'" in found[0]["message"]


def test_swapped_unit_and_comparator_cells_are_named(tmp_path):
    row = "target,,,,,,,,,,,,energy consumption per unit of industrial added value,2025,13.5,at least,%,,,,,binding\n"
    found = problems(write(tmp_path, HEADER + PEAKING + row))
    assert [(p["line"], p["column"], p["field"]) for p in found] == [(3, 17, "comparator")]
    assert "swapped" in found[0]["message"]


def test_swapped_value_and_unit_cells_are_named(tmp_path):
    """Was: only "'million kilowatts' is not a number"."""
    row = "target,,,,,,,,,,,,renewable electricity generation,2025,trillion kilowatt-hours,3.3,about,,,,,indicative\n"
    found = problems(write(tmp_path, HEADER + PEAKING + row))
    assert [(p["line"], p["column"], p["field"]) for p in found] == [(3, 15, "value")]
    assert "are the 'value' and 'unit' cells swapped?" in found[0]["message"]


def test_unknown_agency_hint_offers_each_agency_once(tmp_path):
    """Was: "Shanghai Municipal People's Government" or "Shanghai Municipality People's Government": one
    agency's prefLabel and altLabel offered as two choices."""
    row = GUANGDONG.replace("Guangdong Provincial People's Government", "Shanghai Municipal Peoples Govt")
    (found,) = problems(write(tmp_path, HEADER + row.replace(",CN-GD,", ",CN-SH,")))
    assert found["field"] == "issuers" and "Shanghai Municipal People's Government" in found["message"]
    assert "Shanghai Municipality People's Government" not in found["message"]


# --- a target without a year ----------------------------------------------------------------------------

NO_YEAR = "target,,,,,,,,,,,,reduction of carbon dioxide emissions per unit of GDP,,20.5,%,at least,2020,,,,binding\n"


def test_target_with_a_value_but_no_year_is_a_loader_warning(tmp_path):
    """The ontology allows a target without a year (the text may give none), so it is no error; but a
    curator who left the cell empty by mistake is told, with line, column and field."""
    path = write(tmp_path, HEADER + GUANGDONG + NO_YEAR)
    result = read(path)
    assert result.warnings == [f"{path}:3:14 field 'year': a target with a value but no target year; fill 'year' "
                               "if the policy gives one (left empty, the target is stored without a year)"]


def test_target_with_a_value_but_no_year_is_shown_by_validate(tmp_path):
    result = validate(write(tmp_path, HEADER + GUANGDONG + NO_YEAR))
    assert result.exit_code == 0 and "no target year" in result.output
