"""Session 15 newcomer walkthrough (helper report): the points fixed.

* a misspelt key of a YAML target or provision ("comparater: at least") is an unknown field with a hint, not a
  value silently dropped;
* the warning on a policy already in the store names ways to merge into its graph that exist;
* a curated file is found by its file name where a briefing parameter is asked for (``briefing=my-notes.csv``);
* ``policykg query --param`` given twice is refused, as ``/api/queries/`` refuses it;
* curated YAML sent as ``text/plain`` gets the hint to send it as ``application/yaml``.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from loaders.curated import read_curated
from policykg.settings import PROJECT_ROOT

pytest_plugins = ["curation_helpers"]  # the fixture make_client

TARGET_YAML = """policies:
  - title_en: Notice on Example Charging Stations
    jurisdiction: CN-ZJ
    level: provincial
    publication_date: 2025-03-02
    genre: Notice
    targets:
      - indicator: charging stations built
        year: 2025
        value: 100
        unit: stations
        comparater: at least
        baseline_yr: 2020
    provisions:
      - indicator: subsidy per charging pile
        valeu: 500
"""


def test_a_misspelt_key_of_a_target_or_provision_is_an_unknown_field_with_a_hint() -> None:
    _, problems = read_curated(Path("typo.yaml"), TARGET_YAML)
    got = {(p["field"], p["line"]): p["message"] for p in problems.items}
    assert got[("comparater", 12)].startswith("unknown field of a target (did you mean 'comparator'?)")
    assert got[("baseline_yr", 13)].startswith("unknown field of a target (did you mean 'baseline_year'?)")
    assert got[("valeu", 16)].startswith("unknown field of a provision (did you mean 'value'?)")
    assert all(p["column"] for p in problems.items if p["field"] in ("comparater", "baseline_yr", "valeu"))
    # the right keys are no problem
    ok, problems = read_curated(Path("ok.yaml"), TARGET_YAML.replace("comparater", "comparator")
                                .replace("baseline_yr", "baseline_year").replace("valeu", "value"))
    assert not [p for p in problems.items if p["message"].startswith("unknown field")]
    assert ok and len(ok[0].quantities) == 2


def test_the_repeated_entry_warning_names_merges_that_exist() -> None:
    text = (PROJECT_ROOT / "shapes" / "policy.ttl").read_text(encoding="utf-8")
    assert "merge --graph" not in text and "POST /merge?graph=" in text


def test_a_curated_file_is_found_by_its_file_name_as_a_briefing(make_client) -> None:
    client, _ = make_client()
    body = (PROJECT_ROOT / "data" / "templates" / "policies.csv").read_bytes()
    r = client.post("/merge", params={"graph": "https://w3id.org/policykg/graph/my-notes"}, content=body,
                    headers={"Content-Type": "text/csv", "Authorization": "Bearer secret"})
    assert r.status_code == 200, r.text
    by_name = client.get("/api/queries/briefing-contents", params={"briefing": "my-notes.csv"},
                         headers={"Accept": "application/json"})
    by_slug = client.get("/api/queries/briefing-contents", params={"briefing": "my-notes"},
                         headers={"Accept": "application/json"})
    assert by_name.status_code == 200, by_name.text
    assert by_name.json() == by_slug.json() and by_name.json()["results"]["bindings"]


def test_a_canned_query_parameter_given_twice_on_the_command_line_is_refused() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYKG_")}
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    r = subprocess.run([sys.executable, "-c", "from policykg.cli import main; main()", "query", "targets-due-in-year",
                        "--param", "year=2025", "--param", "year=2026"], cwd=PROJECT_ROOT, env=env,
                       capture_output=True, text=True, timeout=120, check=False)
    assert r.returncode == 2 and "give --param year once" in r.stderr, (r.returncode, r.stderr)


@pytest.mark.parametrize("first", ["policies:", "# my notes\npolicies:", "- title_en: Notice on Things"])
def test_curated_yaml_sent_as_text_plain_gets_the_yaml_hint(make_client, first: str) -> None:
    client, _ = make_client()
    body = (first + "\n  - title_en: Notice on Example Charging Stations\n").encode()
    r = client.post("/validate", content=body, headers={"Content-Type": "text/plain"})
    assert r.status_code == 400
    assert "send curated-entry YAML as application/yaml" in r.json()["detail"], r.json()


@pytest.fixture(scope="module")
def sample_client():
    from policykg.settings import Settings
    from tests.sparql_helpers import running_client, sample_store

    settings = Settings(query_timeout_s=10)
    with running_client(settings, sample_store(settings)) as (c, _):
        c.get("/policies")  # the filter counts, computed once
        yield c


@pytest.mark.parametrize("facet", ["instrument", "sector", "genre"])
def test_a_concept_page_lists_the_policies_the_list_filter_selects(sample_client, facet: str) -> None:
    # a broad concept ("economic instruments") has no policy of its own: its page said "No policies use this
    # concept" while /policies?instrument=economic listed 4 (its narrower concepts')
    import re

    form = sample_client.get("/policies").text
    select = form.split(f'<select name="{facet}">', 1)[1].split("</select>", 1)[0]
    options = re.findall(r'<option value="([^"]+)"[^>]*>[^<]*\((\d+)\)</option>', select)
    assert options
    for slug, count in options:
        page = sample_client.get(f"/doc/{facet}/{slug}", headers={"Accept": "text/html"}).text
        listed = sample_client.get("/policies", params={facet: slug}).text
        rows = page.split('<table id="policies">', 1)[1].split("</tbody>", 1)[0]
        hrefs = re.findall(r'<td><a href="(/doc/policy/[^"]+)"', rows)
        assert hrefs == re.findall(r'<td>\d{4}[^<]*</td><td><a href="(/doc/policy/[^"]+)"', listed)[:50], (facet, slug)
        n = int(count)
        assert f'<p class="count">{n} {"policy" if n == 1 else "policies"} using this concept or a narrower one' \
               in page, (facet, slug)


def test_a_publication_date_after_today_is_a_problem_of_that_cell(tmp_path) -> None:
    import datetime as dt

    from loaders.curated import CSV_COLUMNS, load_curated
    from policykg.errors import InputError
    from policykg.vocab import Minter

    year = dt.datetime.now(dt.timezone.utc).year + 5
    row = {c: "" for c in CSV_COLUMNS} | {"kind": "policy", "title_en": "Notice on Example Future Things",
                                          "genre": "Notice", "jurisdiction": "CN-ZJ", "level": "provincial",
                                          "publication_date": f"{year}-05-20"}
    path = tmp_path / "future.csv"
    path.write_text(",".join(CSV_COLUMNS) + "\n" + ",".join(row[c] for c in CSV_COLUMNS) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_curated(path, Minter())
    message = str(err.value)
    assert f"future.csv:2:{CSV_COLUMNS.index('publication_date') + 1} field 'publication_date'" in message, message
    assert "after today" in message


def test_each_group_headline_issuer_is_marked_in_the_list() -> None:
    # "A; B (group headline)" read as if only B were a headline issuer
    import rdflib
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS, RDF

    from policykg.settings import Settings
    from policykg.vocab import PKG
    from tests.sparql_helpers import running_client, sample_store

    settings = Settings(query_timeout_s=10)
    store = sample_store(settings)
    agencies = [r["a"] for r in store.select(
        "PREFIX pkg: <https://w3id.org/policykg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT DISTINCT ?a WHERE { ?a a pkg:Agency ; skos:prefLabel ?l FILTER(LANG(?l) = 'en') } ORDER BY ?a LIMIT 2")]
    assert len(agencies) == 2
    policy = URIRef(f"{settings.base_iri}id/policy/notice-on-example-joint-headline")
    g = rdflib.Graph()
    g.add((policy, RDF.type, PKG.Policy))
    g.add((policy, DCTERMS.title, Literal("Notice on Example Joint Headline", lang="en")))
    for a in agencies:
        g.add((policy, PKG.issuedBy, a))
        g.add((policy, PKG.issuedByHeadline, a))
    store.replace_graphs({URIRef(f"{settings.base_iri}graph/joint-headline"): g})
    with running_client(settings, store) as (c, _):
        html = c.get("/policies", params={"q": "Example Joint Headline"}).text
    row = html.split("Notice on Example Joint Headline", 1)[1].split("</tr>", 1)[0]
    assert row.count("(group headline)</span>") == 2, row


def test_a_city_written_by_its_name_gets_its_code_as_a_hint(tmp_path) -> None:
    from loaders.curated import CSV_COLUMNS, load_curated
    from policykg.errors import InputError
    from policykg.vocab import Minter

    def row(title: str, jurisdiction: str, city: str) -> str:
        cells = {c: "" for c in CSV_COLUMNS} | {"kind": "policy", "title_en": title, "genre": "Notice",
                                                "jurisdiction": jurisdiction, "city": city, "level": "municipal",
                                                "publication_date": "2025-01-02"}
        return ",".join(cells[c] for c in CSV_COLUMNS)
    path = tmp_path / "cities.csv"
    path.write_text("\n".join([",".join(CSV_COLUMNS), row("Notice on Example City Things", "CN-ZJ", "Hangzhou"),
                               row("Notice on Example Taizhou Things", "CN-JS", "Taizhou"),
                               row("Notice on Other Taizhou Things", "CN", "Taizhou")]) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_curated(path, Minter())
    message = str(err.value)
    assert "'Hangzhou' is not a GB/T 2260 six-digit code; for 'Hangzhou' write 330100" in message
    assert "for 'Taizhou' write 321200" in message  # the Taizhou of the row's province, Jiangsu
    assert "several cities are called 'Taizhou': write 321200 or 331000" in message  # no province to tell them apart


def test_pages_order_a_month_written_alone_after_the_days_of_that_month_as_the_list_does() -> None:
    # the agency, region and concept pages put "2024-04" above "2024-04-17"; /policies (ORDER BY DESC(STR(?date)))
    # below it
    from policykg.describe import Link, _newest_first

    dates = ["2024-04", "2024-04-17", "2024-03", "2025", "2024-04-01", ""]
    rows = [{"date": d, "link": Link(f"/doc/policy/p{i}", f"Policy {i}", f"https://e.org/p{i}")}
            for i, d in enumerate(dates)]
    assert [r["date"] for r in _newest_first(rows)] == ["2025", "2024-04-17", "2024-04-01", "2024-04", "2024-03", ""]
    assert [r["date"] for r in _newest_first(rows)] == sorted([d for d in dates if d], reverse=True) + [""]


def test_validate_asked_for_html_answers_a_refused_entry_with_a_page(make_client) -> None:
    # a curator's browser got problem+json for wrong cells while the report itself comes as HTML by Accept
    client, _ = make_client()
    head = ("kind,title_en,title_zh,genre,jurisdiction,city,level,issuers,source_url,publication_date,instruments,"
            "sectors,indicator,year,value,unit,comparator,baseline_year,document_number,status,supersedes,bindingness")
    row = "policy,Notice on Example Things,,Notice,CN-ZJ,Hangzhou,municipal,,,2025-01-02" + "," * 12
    r = client.post("/validate", content=(head + "\n" + row + "\n").encode(),
                    headers={"Content-Type": "text/csv", "Accept": "text/html"})
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")
    assert '<table id="problems">' in r.text and "<td>city</td>" in r.text and "write 330100" in r.text
    r = client.post("/validate", content=(head + "\n" + row + "\n").encode(),
                    headers={"Content-Type": "text/csv", "Accept": "application/json"})
    assert r.status_code == 400 and r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["problems"][0]["field"] == "city"


def test_a_concept_page_lists_no_evidence_span_among_what_links_to_it() -> None:
    # "Also linked from" on /doc/sector/energy listed "char=3302,3315 (subject)"
    import rdflib
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS, RDF, SKOS

    from policykg.describe import concept_page
    from policykg.vocab import PKG

    base = "https://w3id.org/policykg/"
    sector = URIRef(f"{base}id/sector/energy")
    span = URIRef(f"{base}id/briefing/digest#char=3302,3315")
    other = URIRef(f"{base}id/sector/power")
    g = rdflib.Graph()
    g.add((sector, RDF.type, PKG.Sector))
    g.add((sector, SKOS.prefLabel, Literal("Energy", lang="en")))
    g.add((span, RDF.type, PKG.TextSpan))
    g.add((span, DCTERMS.subject, sector))
    g.add((other, SKOS.related, sector))
    g.add((other, SKOS.prefLabel, Literal("Power", lang="en")))
    linked = [r["link"].iri for r in concept_page(g, sector, base)["linked_from"]]
    assert linked == [str(other)]
