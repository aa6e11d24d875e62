"""Canned queries in a browser: ``GET /api/queries`` as an HTML page with a form per query, and each
query's HTML answer with a form to run it again and links to the same rows as JSON and CSV.

The forms are submitted as a browser submits them (HTML Living Standard §4.10.21.4, "constructing the
entry list": every named input, a blank one as an empty value), on the bundled briefing's graph, which
holds the vocabularies the fields offer.
"""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest

from policykg.settings import PROJECT_ROOT, Settings
from policykg.sparql import load_canned_queries
from tests.sparql_helpers import bundled_briefing_store, running_client

ROOT = PROJECT_ROOT
QUERIES = load_canned_queries(ROOT / "queries")
#: What Chromium sends for a page it navigates to.
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


class Forms(HTMLParser):
    """The forms of a page: ``[{"action", "method", "inputs": [{name, value, required, placeholder, list}]}]``,
    the options of its datalists (``{id: [value]}``), its ``<link rel=alternate>`` and the rows of its
    tables (rows with ``<td>`` cells)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.datalists: dict[str, list[str]] = {}
        self.alternates: dict[str, str] = {}
        self.data_links: dict[str, str] = {}
        self.rows = 0
        self._list: str | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action"), "method": a.get("method"), "inputs": []})
        elif tag == "input" and self.forms:
            self.forms[-1]["inputs"].append({"name": a.get("name"), "value": a.get("value") or "",
                                             "required": "required" in a, "placeholder": a.get("placeholder"),
                                             "list": a.get("list")})
        elif tag == "datalist":
            self._list = a.get("id")
            self.datalists[self._list or ""] = []
        elif tag == "option" and self._list:
            self.datalists[self._list].append(a.get("value") or "")
        elif tag == "link" and a.get("rel") == "alternate":
            self.alternates[a.get("type") or ""] = a.get("href") or ""
        elif tag == "a" and a.get("type"):
            self.data_links[a["type"] or ""] = a.get("href") or ""
        elif tag == "tr":
            self.rows += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "datalist":
            self._list = None


def submit(form: dict, values: dict[str, str]) -> str:
    """The URL a browser goes to when the form is sent with ``values`` typed in (others as they stand)."""
    entries = [(i["name"], values.get(i["name"], i["value"])) for i in form["inputs"] if i["name"]]
    return f"{form['action']}?{urlencode(entries)}"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """A client on the bundled briefing's graph (``policykg load``), with its vocabularies."""
    settings = Settings(query_timeout_s=30)
    store = bundled_briefing_store(settings, tmp_path_factory.mktemp("forms") / "store")
    with running_client(settings, store) as (c, _app):
        yield c
    store.close()


def test_a_browser_gets_the_list_as_a_page_and_other_clients_keep_json(client) -> None:
    page = client.get("/api/queries", headers={"Accept": BROWSER})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "accept" in page.headers["vary"].lower()
    forms = Forms(page.text).forms
    assert sorted(f["action"] for f in forms) == sorted(f"/api/queries/{n}" for n in QUERIES)
    for accept in (None, "*/*", "application/json", "application/json, text/html;q=0.5"):
        r = client.get("/api/queries", headers={"Accept": accept} if accept else {})
        assert r.status_code == 200 and r.headers["content-type"] == "application/json", accept
        assert {q["name"] for q in r.json()} == set(QUERIES)
    assert client.get("/api/queries", headers={"Accept": "image/png"}).status_code == 406
    head = client.head("/api/queries", headers={"Accept": BROWSER})
    assert head.status_code == 200 and head.headers["content-type"] == page.headers["content-type"]


def test_each_form_has_a_field_per_parameter_marking_the_required_ones(client) -> None:
    forms = {f["action"].rsplit("/", 1)[1]: f for f in Forms(client.get("/api/queries", headers={"Accept": BROWSER}).text).forms}
    for name, query in QUERIES.items():
        fields = {i["name"]: i for i in forms[name]["inputs"]}
        assert set(fields) == {p.name for p in query.params} | ({"limit"} if query.form != "ASK" else set()), name
        for p in query.params:
            assert fields[p.name]["required"] == (p.required and p.default is None), (name, p.name)
            # a default is what a blank field gives; an example only shows what to type
            wanted = p.default or (f"e.g. {p.example}" if p.example else None)
            assert fields[p.name]["placeholder"] == wanted, (name, p.name)


def test_region_agency_and_concept_fields_offer_the_graph_s_values(client) -> None:
    parsed = Forms(client.get("/api/queries", headers={"Accept": BROWSER}).text)
    fields = {(f["action"].rsplit("/", 1)[1], i["name"]): i for f in parsed.forms for i in f["inputs"]}
    sectors = parsed.datalists[fields[("policies-by-sector", "sector")]["list"]]
    assert "power" in sectors and "energy" in sectors  # the sector vocabulary's slugs
    agencies = parsed.datalists[fields[("policies-by-agency", "agency")]["list"]]
    assert "ndrc" in agencies and "nea" in agencies
    regions = parsed.datalists[fields[("policies-by-region", "region")]["list"]]
    assert "CN-SD" in regions and "CN" in regions
    assert fields[("targets-due-in-year", "year")]["list"] is None  # a year is typed, not picked


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_form_sent_with_its_examples_answers_with_rows(client, name: str) -> None:
    """Every field is sent, the blank ones (optional parameters, rows per page) as empty values: those
    count as not given, as they do in HTML forms everywhere, instead of a 422 for an empty limit."""
    forms = {f["action"].rsplit("/", 1)[1]: f for f in Forms(client.get("/api/queries", headers={"Accept": BROWSER}).text).forms}
    form = forms[name]
    typed = {i["name"]: i["placeholder"].removeprefix("e.g. ") for i in form["inputs"] if i["required"]}
    r = client.get(submit(form, typed), headers={"Accept": BROWSER})
    assert r.status_code == 200, (name, r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("text/html")
    again = Forms(r.text)
    assert len(again.forms) == 1 and again.forms[0]["action"] == form["action"]
    kept = {i["name"]: i["value"] for i in again.forms[0]["inputs"]}
    assert all(kept[k] == v for k, v in typed.items()), (kept, typed)  # the values asked for stay filled in
    if QUERIES[name].form == "SELECT":
        assert again.rows > 1, name  # a header row and at least one answer on the bundled briefing


def test_a_result_page_links_to_its_own_rows_as_json_and_csv(client) -> None:
    url = "/api/queries/targets-due-in-year?year=2025&limit=3&offset=2"
    page = Forms(client.get(url, headers={"Accept": BROWSER}).text)
    shown = page.rows - 1  # the header row
    assert shown == 3
    as_json = client.get(page.alternates["application/sparql-results+json"])
    assert as_json.status_code == 200
    assert as_json.headers["content-type"].startswith("application/sparql-results+json")
    rows = json.loads(as_json.text)["results"]["bindings"]
    as_csv = client.get(page.alternates["text/csv"])
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert len(rows) == len(list(csv.reader(io.StringIO(as_csv.text)))) - 1 == shown
    whole = json.loads(client.get("/api/queries/targets-due-in-year?year=2025&format=json").text)
    assert rows == whole["results"]["bindings"][2:5]  # the same rows as the page, not the whole answer
    assert page.data_links == {k: v for k, v in page.alternates.items()}  # named in the footer too


def test_a_page_without_its_limit_links_to_a_page_of_the_same_rows(client) -> None:
    """The HTML view's own page size (100 rows) is written into the data links: JSON without a limit
    would give up to the server's row limit, not the rows of the page."""
    page = Forms(client.get("/api/queries/policies-by-region?region=CN", headers={"Accept": BROWSER}).text)
    assert "limit=100" in page.alternates["text/csv"]


@pytest.mark.parametrize("query", ["limit=", "limit=%20", "offset="])
def test_blank_paging_fields_are_not_given(client, query: str) -> None:
    """A blank ``format`` stays a 422, as ``/sparql`` answers it (the forms send none)."""
    r = client.get(f"/api/queries/targets-due-in-year?year=2025&{query}", headers={"Accept": "text/csv"})
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"].startswith("text/csv")


def test_a_blank_required_field_is_a_422_naming_it(client) -> None:
    r = client.get("/api/queries/targets-due-in-year?year=&limit=", headers={"Accept": "application/json"})
    assert r.status_code == 422 and r.json()["field"] == "year", r.text[:300]


def test_a_bad_limit_is_still_refused(client) -> None:
    r = client.get("/api/queries/targets-due-in-year?year=2025&limit=ten")
    assert r.status_code == 422 and r.json()["field"] == "limit"


def test_the_list_takes_format_and_links_its_json(client) -> None:
    as_json = client.get("/api/queries?format=json", headers={"Accept": BROWSER})
    assert as_json.headers["content-type"] == "application/json" and len(as_json.json()) == len(QUERIES)
    assert client.get("/api/queries?format=HTML").headers["content-type"].startswith("text/html")
    assert client.get("/api/queries?format=text/html").headers["content-type"].startswith("text/html")
    bad = client.get("/api/queries?format=csv")
    assert bad.status_code == 422 and bad.json()["field"] == "format"
    page = Forms(client.get("/api/queries", headers={"Accept": BROWSER}).text)
    assert page.alternates == {"application/json": "/api/queries?format=json"}


def test_no_two_elements_of_the_list_share_an_id(client, tmp_path) -> None:
    """Ids are built from query and parameter names: a query ``policy`` with a parameter ``targets`` must not
    take the id of the query ``policy-targets``, nor a parameter ``title`` that of a heading."""
    import re
    import shutil

    folder = tmp_path / "queries"
    shutil.copytree(ROOT / "queries", folder)
    (folder / "policy.rq").write_text("""#+ name: policy
#+ summary: A policy's targets and title
#+ params:
#+   targets: {type: string, description: "text"}
#+   title: {type: string, description: "text"}
SELECT ?targets ?title WHERE { BIND(1 AS ?x) }
""", encoding="utf-8")
    from tests.sparql_helpers import make_client, sample_store

    settings = Settings(queries_dir=folder)
    c, app, _ = make_client(settings, sample_store(settings))
    text = c.get("/api/queries", headers={"Accept": BROWSER}).text
    ids = re.findall(r'\sid="([^"]+)"', text)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    for target in re.findall(r'\s(?:for|list|aria-describedby)="([^"]+)"', text):
        assert target in ids, target


def test_an_ask_query_answers_yes_or_no_and_its_data_links_work(tmp_path) -> None:
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "region-has-policies.rq").write_text("""#+ name: region-has-policies
#+ summary: Whether a region has policies
#+ params:
#+   region: {type: region, required: true, example: CN-SD, description: "a region"}
PREFIX pkg: <https://w3id.org/policykg/ontology#>
ASK { ?p pkg:jurisdiction ?region }
""", encoding="utf-8")
    from tests.sparql_helpers import running_client, sample_store

    settings = Settings(queries_dir=folder, query_timeout_s=30)
    with running_client(settings, sample_store(settings)) as (c, _app):
        r = c.get("/api/queries/region-has-policies?region=CN-SD", headers={"Accept": BROWSER})
        assert r.status_code == 200 and "Answer: <strong>yes</strong>" in r.text and "<table" not in r.text
        page = Forms(r.text)
        for media, href in page.alternates.items():
            assert "limit=" not in href, href
            data = c.get(href)
            assert data.status_code == 200, (href, data.text[:200])
        assert json.loads(c.get(page.alternates["application/sparql-results+json"]).text)["boolean"] is True
        form = page.forms[0]
        assert [i["name"] for i in form["inputs"]] == ["region"]  # no rows per page for one boolean


def test_the_rows_placeholder_is_the_page_the_server_gives(tmp_path) -> None:
    from tests.sparql_helpers import make_client, sample_store

    settings = Settings(max_result_rows=50)
    c, _app, _ = make_client(settings, sample_store(settings))
    forms = Forms(c.get("/api/queries", headers={"Accept": BROWSER}).text).forms
    assert {i["placeholder"] for f in forms for i in f["inputs"] if i["name"] == "limit"} == {"50"}


def test_choices_are_one_per_resource_whatever_its_labels() -> None:
    """Rows of the choices' query are resources: two English labels (``@en``, ``@en-GB``) gave two rows, and
    the cut-off counted rows, so a long list lost names silently."""
    import rdflib
    from rdflib import Literal, URIRef

    from policykg.sparql import ParamSpec, parameter_choices
    from tests.sparql_helpers import sample_store

    settings = Settings()
    store = sample_store(settings)
    agency = ParamSpec("agency", "agency")
    before = parameter_choices(store, agency, settings.base_iri)
    extra = rdflib.Graph()
    skos = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
    for slug, _name in before:
        iri = URIRef(f"{settings.base_iri}id/agency/{slug}")
        extra.add((iri, skos.prefLabel, Literal("Another name", lang="en-GB")))
        extra.add((iri, skos.prefLabel, Literal("A second English name", lang="en")))
    store.replace_graphs({URIRef(f"{settings.base_iri}graph/labels"): extra})
    after = parameter_choices(store, agency, settings.base_iri)
    assert sorted(slug for slug, _ in after) == sorted(slug for slug, _ in before)  # once each
    assert all(name != "Another name" for _, name in after)  # an English name, not a regional variant


@pytest.mark.parametrize("query,status", [("region=Shandongg", 404), ("region=%20", 422), ("region=CN&limit=0", 422)])
def test_a_refused_form_comes_back_filled_in_to_correct(client, query: str, status: int) -> None:
    r = client.get(f"/api/queries/policies-by-region?{query}", headers={"Accept": BROWSER})
    assert r.status_code == status and r.headers["content-type"].startswith("text/html")
    page = Forms(r.text)
    assert [f["action"] for f in page.forms] == ["/api/queries/policies-by-region"]
    sent = dict(pair.split("=") for pair in query.split("&"))
    kept = {i["name"]: i["value"] for i in page.forms[0]["inputs"]}
    assert kept["region"] == sent["region"].replace("%20", " ")
    assert "<details class=\"params\" id=\"parameters\" open>" in r.text
    other = client.get("/policies?year=20x5", headers={"Accept": BROWSER})  # no form on other refusals
    assert other.status_code == 422 and "<form class=\"params\"" not in other.text


def test_a_result_page_also_links_to_the_whole_answer(client) -> None:
    """A researcher's "download CSV" is the whole answer, not the 5 rows of the page in view."""
    import re

    r = client.get("/api/queries/targets-due-in-year?year=2025&limit=5&offset=5", headers={"Accept": BROWSER})
    block = re.search(r'<p class="downloads">(.*?)</p>', r.text).group(1)
    hrefs = [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', block)]
    assert len(hrefs) == 4
    page_csv, whole_csv = hrefs[0], hrefs[2]
    assert "limit=5" in page_csv and "offset=5" in page_csv
    assert "limit=" not in whole_csv and "offset=" not in whole_csv and "format=csv" in whole_csv
    whole = list(csv.reader(io.StringIO(client.get(whole_csv).text)))
    everything = json.loads(client.get("/api/queries/targets-due-in-year?year=2025&format=json").text)
    assert len(whole) - 1 == len(everything["results"]["bindings"]) > 10
