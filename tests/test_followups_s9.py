"""Items the eighth session's closing note left open, done in the ninth.

* ``/sparql?format=`` (and ``output=``) choose the result format, as on other public endpoints;
  the protocol's negotiation by ``Accept`` is unchanged when it is absent.
"""

from __future__ import annotations

import csv
import io

import pytest
import rdflib

from policykg.settings import Settings
from tests.sparql_helpers import make_client

SELECT = "SELECT ?s WHERE { ?s a <https://w3id.org/policykg/ontology#Policy> } LIMIT 3"
CONSTRUCT = "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t } LIMIT 3"


@pytest.fixture(scope="module")
def client():
    c, _, _ = make_client(Settings(query_timeout_s=10))
    return c


# --- /sparql?format= ----------------------------------------------------------------------------


@pytest.mark.parametrize("value, media", [
    ("csv", "text/csv"), ("CSV", "text/csv"), ("tsv", "text/tab-separated-values"),
    ("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"), ("html", "text/html"),
])
def test_format_parameter_chooses_the_select_format_whatever_accept_says(client, value, media):
    r = client.get("/sparql", params={"query": SELECT, "format": value},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(media)
    if media == "text/csv":
        rows = list(csv.reader(io.StringIO(r.text)))
        assert rows[0] == ["s"] and len(rows) == 4


@pytest.mark.parametrize("value, media, rdflib_format", [
    ("json", "application/ld+json", "json-ld"), ("xml", "application/rdf+xml", "xml"),
    ("ttl", "text/turtle", "turtle"), ("nt", "application/n-triples", "nt"),
])
def test_format_parameter_on_construct_picks_the_rdf_sibling(client, value, media, rdflib_format):
    r = client.get("/sparql", params={"query": CONSTRUCT, "output": value})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(media)
    assert len(rdflib.Graph().parse(data=r.content, format=rdflib_format)) == 3


def test_format_parameter_in_a_post_form(client):
    r = client.post("/sparql", data={"query": SELECT, "format": "tsv"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/tab-separated-values")
    r = client.post("/sparql?format=csv", content=SELECT, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")


@pytest.mark.parametrize("params, word", [
    ({"format": "excel"}, "excel"),
    ({"format": ["csv", "json"]}, "one result format"),
    ({"format": "csv", "output": "json"}, "one result format"),
])
def test_a_bad_format_parameter_is_named(client, params, word):
    r = client.get("/sparql", params={"query": SELECT, **params})
    assert r.status_code == 422, r.text
    body = r.json()
    assert word in body["detail"] and "format" in body["detail"]


def test_a_format_the_query_form_cannot_take_is_406(client):
    r = client.get("/sparql", params={"query": CONSTRUCT, "format": "csv"})
    assert r.status_code == 406
    assert "text/turtle" in r.json()["detail"]


def test_format_parameter_is_documented(client):
    doc = client.get("/openapi.json").json()
    names = {p["name"] for p in doc["paths"]["/sparql"]["get"]["parameters"]}
    assert "format" in names


# --- the VoID description in a browser ----------------------------------------------------------

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_void_gives_a_browser_a_page_that_says_what_the_rdf_says(client):
    from rdflib import Graph, URIRef

    from policykg.vocab import VOID

    r = client.get("/.well-known/void", headers={"Accept": BROWSER})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "Accept" in r.headers["vary"]
    g = Graph().parse(data=client.get("/.well-known/void?format=turtle").text, format="turtle")
    ds = URIRef("https://w3id.org/policykg/dataset/policykg")
    for part in g.objects(ds, VOID.classPartition):
        name = str(g.value(part, VOID["class"])).rsplit("#", 1)[-1]
        n = int(g.value(part, VOID.entities))
        assert f'<a href="/ontology#{name}">pkg:{name}</a></td><td>{n:,}</td>' in r.text, name
    for url in g.objects(ds, VOID.dataDump):
        assert f'href="{url}"' in r.text
    assert f"{int(g.value(ds, VOID.triples)):,}" in r.text
    assert 'href="/.well-known/void?format=turtle"' in r.text


@pytest.mark.parametrize("accept", [None, "*/*", "text/turtle", "application/ld+json"])
def test_void_still_gives_data_clients_rdf(client, accept):
    r = client.get("/.well-known/void", headers={"Accept": accept} if accept else {})
    assert r.status_code == 200
    assert not r.headers["content-type"].startswith("text/html")


def test_void_html_has_its_own_validator(client):
    html = client.get("/.well-known/void", headers={"Accept": BROWSER})
    ttl = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert html.headers["etag"] != ttl.headers["etag"]
    again = client.get("/.well-known/void", headers={"Accept": BROWSER, "If-None-Match": html.headers["etag"]})
    assert again.status_code == 304
    head = client.head("/.well-known/void", headers={"Accept": BROWSER})
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == len(html.content)


# --- a CSV template sent as text/plain -------------------------------------------------------------


def test_a_csv_template_sent_as_text_plain_is_told_to_use_text_csv(tmp_path):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from policykg.settings import PROJECT_ROOT
    from policykg.store import OxigraphStore
    from tests.test_curated import _curated_reader

    settings = Settings(store_path=tmp_path / "store")
    store = OxigraphStore(settings.store_path, settings.base_iri)
    body = (PROJECT_ROOT / "data" / "templates" / "policies.csv").read_bytes()
    with TestClient(create_app(settings, store, curated_reader=_curated_reader(settings))) as c:
        r = c.post("/validate", content=body, headers={"Content-Type": "text/plain"})
        assert r.status_code == 400
        problem = r.json()
        assert problem["line"] == 1 and "send a curated-entry CSV as text/csv" in problem["detail"]
        assert problem["detail"].count("request body:1:1") == 1
        # real N-Triples as text/plain (its RDF 1.0 media type) is still read, and a broken one gets no CSV hint
        nt = b'<https://example.org/a> <https://example.org/p> "x" .\n'
        assert c.post("/validate", content=nt, headers={"Content-Type": "text/plain"}).status_code == 200
        r = c.post("/validate", content=nt[:-3], headers={"Content-Type": "text/plain"})
        assert r.status_code == 400 and "text/csv" not in r.json()["detail"]
    store.close()


# --- a bar inside a table cell -----------------------------------------------------------------------


def test_a_bar_inside_a_cell_value_does_not_split_the_row():
    """The readers keep "T|1" in a cell (a code, not a separator, loaders.document.cell_bars); the table
    rule must read it as one cell too, or the row has a cell too many and ends its table."""
    from loaders.briefing import find_tables, split_lines

    text = ("Policy | Issuer | Date | Link\n"
            "Notice on Grid Code T|1 for Rural Feeders | NEA | 2025-04-02 | https://example.org/a.html\n"
            "Work Plan for Harbour Shore Power | MOT | 2025-04-09 | https://example.org/b.html\n")
    (table,) = find_tables(split_lines(text), text)
    assert [text[a:b] for a, b in table.rows[0].cells][0] == "Notice on Grid Code T|1 for Rural Feeders"
    assert len(table.rows) == 2 and all(len(r.cells) == 4 for r in table.rows)
