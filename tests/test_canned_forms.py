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
from typer.testing import CliRunner

from policykg.cli import app as cli
from policykg.settings import PROJECT_ROOT, Settings
from policykg.sparql import load_canned_queries
from policykg.store import OxigraphStore
from tests.sparql_helpers import running_client

ROOT = PROJECT_ROOT
SAMPLE = ROOT / "data" / "briefings" / "ccnt-2024-03-04.txt"
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
    store_dir = tmp_path_factory.mktemp("forms") / "store"
    result = CliRunner().invoke(cli, ["load", str(SAMPLE), "--store", str(store_dir)])
    assert result.exit_code == 0, result.output

    settings = Settings(query_timeout_s=30)
    store = OxigraphStore(store_dir, settings.base_iri)
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
            assert fields[p.name]["placeholder"] == (p.default or p.example), (name, p.name)


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
    typed = {i["name"]: i["placeholder"] for i in form["inputs"] if i["required"]}
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
