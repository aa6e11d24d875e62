"""Session 16 newcomer walkthrough (helper report) and review: the points fixed.

* a policy without a jurisdiction (a missing YAML key, a misspelt CSV header, an empty cell) is told that the
  field is required, not ``None is not an ISO 3166-2 code``;
* units a curator writes as translations put them ("10,000 tons" for 万吨, "100 million yuan" for 亿元,
  "10,000 vehicles") are read with their factor; rates the ontology has no unit for ("tons per year", "kt/a")
  are kept as written, with no normalised value, as the briefing loader keeps them;
* a shape result on a Turtle, TriG or N-Triples input is placed on the line and column of its property (the
  predicate as written), not on the subject's first line.
"""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
from loader_helpers import assert_linear
from rdflib import RDF, Dataset, Graph

from loaders.curated import CSV_COLUMNS, load_curated
from policykg.errors import InputError
from policykg.settings import PROJECT_ROOT
from policykg.validation import _statements, subject_lines
from policykg.vocab import PKG, Minter


def _csv(path, rows: list[dict[str, str]], columns=CSV_COLUMNS) -> None:
    def cell(v: str) -> str:
        return f'"{v}"' if "," in v else v
    path.write_text("\n".join([",".join(columns)] + [",".join(cell(r.get(c, "")) for c in columns) for r in rows])
                    + "\n", encoding="utf-8")


POLICY = {"kind": "policy", "title_en": "Implementation Plan for Example Green Hydrogen", "genre": "Implementation Plan",
          "jurisdiction": "CN-HE", "level": "provincial", "publication_date": "2024-05-15",
          "source_url": "https://hbdrc.hebei.gov.cn/example/1.html"}


# --------------------------------------------------------------------------- a missing jurisdiction

def test_a_missing_jurisdiction_is_said_to_be_required(tmp_path) -> None:
    misspelt = [c if c != "jurisdiction" else "jurisdiciton" for c in CSV_COLUMNS]
    _csv(tmp_path / "header.csv", [POLICY | {"jurisdiciton": "CN-HE"}], misspelt)
    _csv(tmp_path / "empty.csv", [POLICY | {"jurisdiction": ""}])
    (tmp_path / "key.yaml").write_text("policies:\n  - title_en: Notice on Example Things\n    genre: Notice\n"
                                       "    level: national\n    publication_date: 2024-05-15\n", encoding="utf-8")
    messages = {}
    for name in ("header.csv", "empty.csv", "key.yaml"):
        with pytest.raises(InputError) as err:
            load_curated(tmp_path / name, Minter())
        messages[name] = str(err.value)
    column = CSV_COLUMNS.index("jurisdiction") + 1
    assert "header.csv:1:5 field 'jurisdiciton': unknown column (did you mean 'jurisdiction'?)" in messages["header.csv"]
    assert "header.csv:2 field 'jurisdiction': a policy needs its jurisdiction" in messages["header.csv"]
    assert "the 'jurisdiction' field is missing" in messages["header.csv"]
    assert f"empty.csv:2:{column} field 'jurisdiction': a policy needs its jurisdiction" in messages["empty.csv"]
    assert "key.yaml:2 field 'jurisdiction': a policy needs its jurisdiction" in messages["key.yaml"]
    for message in messages.values():
        assert "None is not" not in message and "'' is not" not in message, message


# --------------------------------------------------------------------------- units with a factor, and rates

def _targets(path) -> dict[str, tuple]:
    g = load_curated(path, Minter()).graph
    return {str(g.value(t, PKG.indicator)): (str(g.value(t, PKG.value)), str(g.value(t, PKG.unitText)),
                                              g.value(t, PKG.normalizedValue) and float(g.value(t, PKG.normalizedValue)))
            for t in g.subjects(PKG.indicator, None)}


def test_units_with_a_power_of_ten_and_rates_are_read(tmp_path) -> None:
    def target(indicator: str, value: str, unit: str) -> dict[str, str]:
        return {"kind": "target", "indicator": indicator, "year": "2027", "value": value, "unit": unit}
    _csv(tmp_path / "units.csv", [POLICY, target("hydrogen output", "12", "10,000 tons"),
                                  target("hydrogen investment", "3", "100 million yuan"),
                                  target("fuel cell vehicles", "5", "10,000 vehicles"),
                                  target("capacity in tons a year", "50", "thousand tons per year"),
                                  target("capacity in kt a year", "5", "kt/a"),
                                  target("plain tons", "7", "thousand tons")])
    got = _targets(tmp_path / "units.csv")
    assert got["hydrogen output"] == ("12", "10,000 tons", 120_000.0)
    assert got["hydrogen investment"] == ("3", "100 million yuan", 300_000_000.0)
    assert got["fuel cell vehicles"] == ("5", "10,000 vehicles", 50_000.0)
    # a rate: kept as written, normalised as tonnes a year (unit:TONNE-PER-YR, session 23), never as a mass
    assert got["capacity in tons a year"] == ("50", "thousand tons per year", 50_000.0)
    assert got["capacity in kt a year"] == ("5", "kt/a", 5_000.0)
    assert got["plain tons"] == ("7", "thousand tons", 7_000.0)


@pytest.mark.parametrize("unit, told", [("furlongs per fortnight", "docs/curating.md lists them"),
                                        ("10,000 kilowats", "looks like a misspelt 'kilowatts'")])
def test_an_unknown_unit_is_still_refused(tmp_path, unit: str, told: str) -> None:
    _csv(tmp_path / "bad.csv", [POLICY, {"kind": "target", "indicator": "x", "year": "2027", "value": "5",
                                         "unit": unit}])
    with pytest.raises(InputError) as err:
        load_curated(tmp_path / "bad.csv", Minter())
    assert "field 'unit'" in str(err.value) and told in str(err.value)


# --------------------------------------------------------------------------- Turtle results on their property

TURTLE = """@prefix pkg: <https://w3id.org/policykg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/policykg/id/policy/cn-notice-on-example-places> a pkg:Policy ;
  dcterms:title "Notice on Example Places ; with . punctuation"@en , \"\"\"示例 ;
. 通知\"\"\"@zh ;
  pkg:genre <https://w3id.org/policykg/id/genre/notice> ;
  pkg:governmentLevel pkg:National ;
  pkg:jurisdiction <https://w3id.org/policykg/id/region/CN> ;
  pkg:sourceURL <https://www.ndrc.gov.cn/example.html> ;
  pkg:publicationDate "2024-02-30"^^xsd:date .
"""


def test_the_statement_scanner_reads_the_turtle_layout() -> None:
    trig = ("@prefix ex: <http://e/> .\nPREFIX p: <http://p/>\nGRAPH ex:g { ex:a p:x \"a ; b . c\" ; p:y [ p:z 1 ] ,"
            " ex:c .\n  ex:b a p:T ; p:w '''multi\n. line ; ''' ; p:v 1.5 . }\nex:g2 { ex:a p:late \"x\"@en }\n"
            "<http://e/c> <http://p/q> ( ex:a ex:b ) .\n[ p:n 1 ] p:m 2 .\nex:d p:e ex:f.\n")
    assert list(_statements(trig)) == [
        ("http://e/a", 3, [("p:x", "http://p/x", 3, 19), ("p:y", "http://p/y", 3, 37)]),
        ("http://e/b", 4, [("a", str(RDF.type), 4, 8), ("p:w", "http://p/w", 4, 16), ("p:v", "http://p/v", 5, 16)]),
        ("http://e/a", 6, [("p:late", "http://p/late", 6, 14)]),
        ("http://e/c", 7, [("<http://p/q>", "http://p/q", 7, 14)]),
        ("http://e/d", 9, [("p:e", "http://p/e", 9, 6)]),
    ]
    ds = Dataset()
    ds.parse(data=trig, format="trig")  # the text is TriG an RDF parser accepts


def test_a_turtle_result_is_placed_on_its_property_by_the_cli(tmp_path) -> None:
    path = tmp_path / "entry.ttl"
    path.write_text(TURTLE, encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "policykg.cli", "validate", str(path), "--no-store"],
                         capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300)
    assert out.returncode == 1, out.stdout + out.stderr
    date_line = TURTLE.splitlines().index('  pkg:publicationDate "2024-02-30"^^xsd:date .') + 1
    assert f"/entry.ttl:{date_line}:3 property 'pkg:publicationDate')" in out.stdout, out.stdout


def test_n_triples_and_a_subject_described_twice_are_placed() -> None:
    g = Graph().parse(data=TURTLE, format="turtle")
    nt = g.serialize(format="nt")
    policy = "https://w3id.org/policykg/id/policy/cn-notice-on-example-places"
    loc = subject_lines(nt, g, "entry.nt")[policy]
    genre_line = loc.fields["https://w3id.org/policykg/ontology#genre"][1]
    assert "/genre/notice>" in nt.splitlines()[genre_line - 1]
    twice = TURTLE + f"<{policy}> pkg:status pkg:InForce .\n"
    loc = subject_lines(twice, Graph().parse(data=twice, format="turtle"), "entry.ttl")[policy]
    assert loc[1] == 4 and loc.fields["https://w3id.org/policykg/ontology#status"] == ("pkg:status", 12, len(policy) + 4)


def test_the_statement_scanner_is_linear() -> None:
    def make(n: int) -> str:
        return "@prefix p: <http://p/> .\n" + "".join(f'p:s{i} p:a "x ; y . z" ; p:b [ p:c ( 1 2 ) ] .\n'
                                                      for i in range(n))
    assert_linear(lambda text: list(_statements(text)), make, 40_000)
    assert_linear(lambda text: list(_statements(text)), lambda n: '<http://p/s> <http://p/a> "' + "\\\\" * n + '" .\n',
                  400_000)


# --------------------------------------------------------------------------- a browser's refused parameter

def test_a_browser_gets_a_page_for_a_refused_parameter_as_for_a_404() -> None:
    from tests.sparql_helpers import running_client, sample_store
    from policykg.settings import Settings

    settings = Settings(query_timeout_s=10)
    browser = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    with running_client(settings, sample_store(settings)) as (client, _):
        for params, status in (({"foo": "1"}, 422), ({"year": "20x5"}, 422), ({"region": "Atlantis"}, 404)):
            r = client.get("/policies", params=params, headers=browser)
            assert r.status_code == status and r.headers["content-type"].startswith("text/html"), (params, r.text)
            assert "Programs get this answer as" in r.text and "Accept" in r.headers["vary"]
        assert "Correct the address's parameters" in client.get("/policies", params={"foo": "1"}, headers=browser).text
        r = client.get("/policies", params={"foo": "1"}, headers={"Accept": "application/json"})
        assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
        r = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x ?y }"}, headers=browser)
        assert r.status_code == 400 and "error at 1:26" in r.text, r.text
        assert "<pre>  SELECT ?x WHERE { ?x ?y }\n" in r.text  # the caret under the error keeps its column


def test_an_agency_page_counts_its_undated_policies_beside_the_years() -> None:
    # "2024: 5" above a table of 6 rows: the sixth policy had no date, and the page did not say so
    import rdflib
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS, RDF

    from policykg.settings import Settings
    from tests.sparql_helpers import running_client, sample_store

    settings = Settings(query_timeout_s=10)
    store = sample_store(settings)
    policy = URIRef(f"{settings.base_iri}id/policy/notice-on-example-undated-things")
    g = rdflib.Graph()
    g.add((policy, RDF.type, PKG.Policy))
    g.add((policy, DCTERMS.title, Literal("Notice on Example Undated Things", lang="en")))
    g.add((policy, PKG.issuedBy, URIRef(f"{settings.base_iri}id/agency/ndrc")))
    store.replace_graphs({URIRef(f"{settings.base_iri}graph/undated"): g})
    with running_client(settings, store) as (client, _):
        page = client.get("/doc/agency/ndrc", headers={"Accept": "text/html"}).text
    years = page.split('<p class="by-year">', 1)[1].split("</p>", 1)[0]
    listed = page.split('<table id="policies">', 1)[1].split("</table>", 1)[0].count("<tr><td>")
    counts = [int(n) for n in re.findall(r": (\d+)", years)]
    assert years.endswith("no date: 1") and sum(counts) == listed, (years, listed)


def test_every_normalised_unit_has_a_display_symbol() -> None:
    # a merged target showed "50,000 TONNE": the pages named the units they had no symbol for by their IRI
    from loaders.quantities import _NORMAL
    from policykg.describe import UNIT_SYMBOLS

    units = {str(unit) for _, unit in _NORMAL.values()}
    assert units and units <= set(UNIT_SYMBOLS), sorted(units - set(UNIT_SYMBOLS))


def test_command_help_has_no_markup_of_the_source_docstrings() -> None:
    # `policykg serve --help` showed ``OxigraphStore.snapshot``; `merge --help` broke a sentence in two lines
    from typer.testing import CliRunner

    from policykg.cli import app

    runner = CliRunner()
    for command in ("extract", "eval", "load", "validate", "merge", "query", "serve", "dump", "restore"):
        out = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"}).output
        assert "``" not in out and ":func:" not in out and ":class:" not in out, (command, out)
    merge = runner.invoke(app, ["merge", "--help"], env={"COLUMNS": "200"}).output
    assert "The summary says what each graph held before and after." in merge


def test_an_unknown_yaml_key_is_placed_on_the_key(tmp_path) -> None:
    # "my-notes.yaml:8:22 field 'publication_dat': unknown field" pointed at the value; the key starts at column 5
    (tmp_path / "notes.yaml").write_text(
        "policies:\n  - title_en: Notice on Example Keys\n    jurisdiction: CN\n    level: national\n"
        "    publication_dat: 2024-06-10\n    targets:\n      - indicator: example things\n"
        "        year: 2027\n        valeu: 5\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_curated(tmp_path / "notes.yaml", Minter())
    message = str(err.value)
    assert "notes.yaml:5:5 field 'publication_dat': unknown field (did you mean 'publication_date'?)" in message
    assert "notes.yaml:9:9 field 'valeu': unknown field of a target (did you mean 'value'?)" in message


def test_an_unquoted_thousands_comma_in_a_csv_cell_is_named(tmp_path) -> None:
    # "10,000 tons" unquoted split the row: 'unit' was '10', 'comparator' '000 tons', 'baseline_year' 'at least'
    header = ",".join(CSV_COLUMNS)
    policy = ",".join(POLICY.get(c, "") for c in CSV_COLUMNS)
    target = {"kind": "target", "indicator": "hydrogen output", "year": "2027", "value": "12",
              "unit": "10,000 tons", "comparator": "at least"}
    row = ",".join(target.get(c, "") for c in CSV_COLUMNS)  # not quoted
    (tmp_path / "comma.csv").write_text(f"{header}\n{policy}\n{row}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_curated(tmp_path / "comma.csv", Minter())
    message = str(err.value)
    unit = CSV_COLUMNS.index("unit") + 1
    assert message.count("\n") == 1, message  # one problem: not one per shifted cell
    assert (f"comma.csv:3:{unit} field 'unit': {len(CSV_COLUMNS) + 1} cells where the header has {len(CSV_COLUMNS)}: "
            "'10' and '000 tons' look like one cell split at its comma ('10,000 tons'): put the cell in double "
            "quotes") in message
