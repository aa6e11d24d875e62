"""Regression tests for the web defects a newcomer found in session 10 (/work/notes/s10/newcomer_report.md).

Each test is named after the finding it covers; the apps are built in process on the sample dataset
(``tests/sparql_helpers.py``), the CLI runs in process (typer's CliRunner) or in a subprocess.
"""

from __future__ import annotations

import json
import re

import pyoxigraph as ox
import pytest
import rdflib

from policykg.settings import Settings
from tests.sparql_helpers import make_client, sample_store

TRIPLE_TERM = "<<( <http://a> <http://b> <http://c> )>>"
SELECT_TT = "SELECT * WHERE { BIND(" + TRIPLE_TERM + " AS ?t) }"
CONSTRUCT_TT = "CONSTRUCT { <http://a> <http://b> " + TRIPLE_TERM + " } WHERE {}"


@pytest.fixture(scope="module")
def client():
    c, app, _ = make_client(Settings(query_timeout_s=10))
    with c:
        yield c
    pool = app.state.ctx.cache.get("querypool")
    if pool is not None:
        pool.close()


# --- finding 4: SPARQL 1.2 triple terms ---------------------------------------------------------------

def test_f4_html_select_renders_triple_term(client):
    r = client.get("/sparql", params={"query": SELECT_TT, "format": "html"})
    assert r.status_code == 200, r.text
    assert "&lt;&lt;( " in r.text and 'href="http://c"' in r.text
    assert "1 result(s)" in r.text


def test_f4_html_triple_term_is_escaped_and_nested(client):
    q = ('SELECT * WHERE { BIND(<<( <http://a> <http://b> <<( <javascript:alert(1)> <http://b> "<script>x"@en )>> )>> '
         "AS ?t) }")
    r = client.get("/sparql", params={"query": q, "format": "html"})
    assert r.status_code == 200, r.text
    assert "<script>x" not in r.text and "&lt;script&gt;x" in r.text and 'href="javascript:' not in r.text
    assert r.text.count('class="triple-term"') == 2


def test_f4_canned_query_html_renders_triple_terms():
    from api.queries import results_html
    from policykg.sparql import CannedQuery

    term = {"type": "triple", "value": {"subject": {"type": "uri", "value": "http://a"},
                                        "predicate": {"type": "uri", "value": "http://b"},
                                        "object": {"type": "literal", "value": "<c>"}}}
    page = results_html(CannedQuery("x", "x", "SELECT * {}", "SELECT"),
                        {"head": {"vars": ["t"]}, "results": {"bindings": [{"t": term}]}}, {}, None,
                        "https://w3id.org/policykg/")
    assert 'class="triple-term"' in page and "&lt;c&gt;" in page


@pytest.mark.parametrize("fmt,check", [
    ("json", lambda b: json.loads(b)["results"]["bindings"][0]["t"]["type"] == "triple"),
    ("xml", lambda b: b"<triple>" in b),
    ("csv", lambda b: b"http://a http://b http://c" in b),
    ("tsv", lambda b: TRIPLE_TERM.encode() in b),
])
def test_f4_select_formats_carry_triple_terms(client, fmt, check):
    for method in ("GET", "POST"):
        r = (client.get("/sparql", params={"query": SELECT_TT, "format": fmt}) if method == "GET" else
             client.post("/sparql", data={"query": SELECT_TT, "format": fmt}))
        assert r.status_code == 200, (method, r.text)
        assert check(r.content), r.content


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "trig", "nquads", "rdfxml"])
def test_f4_construct_formats_carry_triple_terms(client, fmt):
    r = client.get("/sparql", params={"query": CONSTRUCT_TT, "format": fmt})
    assert r.status_code == 200, r.text
    parsed = list(ox.parse(r.content, format=ox.RdfFormat.from_media_type(r.headers["content-type"].split(";")[0])))
    assert len(parsed) == 1 and isinstance(parsed[0].object, ox.Triple)


@pytest.mark.parametrize("method", ["GET", "POST", "Accept"])
def test_f4_construct_jsonld_triple_term_is_406(client, method):
    if method == "GET":
        r = client.get("/sparql", params={"query": CONSTRUCT_TT, "format": "jsonld"})
    elif method == "POST":
        r = client.post("/sparql", data={"query": CONSTRUCT_TT, "format": "jsonld"})
    else:
        r = client.get("/sparql", params={"query": CONSTRUCT_TT}, headers={"Accept": "application/ld+json"})
    assert r.status_code == 406, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["type"].endswith("/NotAcceptable")
    assert "text/turtle" in r.json()["detail"] and "JSON-LD" in r.json()["detail"]


def test_f4_construct_jsonld_without_triple_terms_still_works(client):
    q = "CONSTRUCT { <http://a> <http://b> <http://c> } WHERE {}"
    r = client.get("/sparql", params={"query": q}, headers={"Accept": "application/ld+json"})
    assert r.status_code == 200, r.text
    g = rdflib.Graph().parse(data=r.text, format="json-ld")
    assert (rdflib.URIRef("http://a"), rdflib.URIRef("http://b"), rdflib.URIRef("http://c")) in g


@pytest.fixture(scope="module")
def tt_client():
    """An app whose store holds a triple whose object is a triple term (as pyoxigraph 0.5 can store)."""
    settings = Settings(query_timeout_s=10)
    store = sample_store(settings)
    a, b = ox.NamedNode("https://w3id.org/policykg/id/policy/tt-a"), ox.NamedNode("http://example.org/says")
    inner = ox.Triple(a, ox.NamedNode("http://example.org/p"), ox.Literal("x"))
    store.raw.add(ox.Quad(a, b, inner, ox.NamedNode("https://w3id.org/policykg/graph/tt")))
    c, app, _ = make_client(settings, store)
    with c:
        yield c
    pool = app.state.ctx.cache.get("querypool")
    if pool is not None:
        pool.close()


@pytest.mark.parametrize("query", [
    "DESCRIBE <https://w3id.org/policykg/id/policy/tt-a>",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s <http://example.org/says> ?o . ?s ?p ?o }",
])
def test_f4_describe_and_stored_triple_terms(tt_client, query):
    for accept in ("text/turtle", "application/n-triples", "application/rdf+xml"):
        r = tt_client.get("/sparql", params={"query": query}, headers={"Accept": accept})
        assert r.status_code == 200, (accept, r.text)
        assert any(isinstance(q.object, ox.Triple) for q in ox.parse(r.content, format=ox.RdfFormat.from_media_type(accept)))
    r = tt_client.get("/sparql", params={"query": query}, headers={"Accept": "application/ld+json"})
    assert r.status_code == 406, r.text
    r = tt_client.get("/sparql", params={"query": query, "format": "html"})
    assert r.status_code == 200 and "<<(" in r.text.replace("&lt;&lt;(", "<<(")


# --- finding 7: the HTML view counts triples, not Turtle lines -----------------------------------------

def test_f7_html_construct_counts_triples(client):
    r = client.get("/sparql", params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 2", "format": "html"})
    assert r.status_code == 200, r.text
    assert re.search(r"<p>2 triples\.", r.text), r.text[:2000]
    ttl = client.get("/sparql", params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 14",
                                        "format": "turtle"})
    n = len(list(ox.parse(ttl.content, format=ox.RdfFormat.TURTLE)))
    r = client.get("/sparql", params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 14", "format": "html"})
    assert re.search(rf"<p>{n} triples\.", r.text), r.text[:2000]
    r = client.get("/sparql", params={"query": "DESCRIBE <https://w3id.org/policykg/id/region/CN-SD>",
                                      "format": "html"})
    ttl = client.get("/sparql", params={"query": "DESCRIBE <https://w3id.org/policykg/id/region/CN-SD>",
                                        "format": "turtle"})
    n = len(list(ox.parse(ttl.content, format=ox.RdfFormat.TURTLE)))
    assert n > 0 and re.search(rf"<p>{n} triples?\.", r.text), r.text[:2000]


# --- finding 14: a UTF-8 byte-order mark is a signature, not data; invisible characters shown escaped ---

BOM_QUERY = "\ufeffSELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def test_f14_sparql_with_bom_get_and_post(client):
    for r in (client.get("/sparql", params={"query": BOM_QUERY}, headers={"Accept": "application/sparql-results+json"}),
              client.get("/sparql", params={"query": BOM_QUERY, "format": "json"}),
              client.post("/sparql", data={"query": BOM_QUERY}, headers={"Accept": "application/sparql-results+json"}),
              client.post("/sparql", content=BOM_QUERY.encode("utf-8"),
                          headers={"Content-Type": "application/sparql-query",
                                   "Accept": "application/sparql-results+json"})):
        assert r.status_code == 200, r.text
        assert int(r.json()["results"]["bindings"][0]["n"]["value"]) > 0


def test_f14_turtle_body_with_bom_validates(client):
    from tests.linked_data_helpers import POLICY

    for ctype in ("text/turtle", "application/n-triples", "application/trig"):
        body = POLICY if ctype != "application/n-triples" else (
            "<https://w3id.org/policykg/id/policy/cn-x> <http://purl.org/dc/terms/title> \"X\"@en .\n")
        r = client.post("/validate", content=b"\xef\xbb\xbf" + body.encode("utf-8"), headers={"Content-Type": ctype})
        assert r.status_code in (200, 422), (ctype, r.text)
        assert "syntax" not in r.text.lower() and "\ufeff" not in r.text, r.text


def test_f14_error_messages_show_invisible_characters(client):
    # U+FEFF inside the text (not leading) stays data and a syntax error: the message shows it, escaped
    r = client.post("/validate", content="<http://a> <http://b> <http://c> .\n\ufeff<http://a> <http://b> 1 .".encode(),
                    headers={"Content-Type": "text/turtle"})
    assert r.status_code == 400, r.text
    assert "\ufeff" not in r.text and "<U+FEFF>" in r.json()["detail"], r.text


def test_f14_cli_query_file_with_bom(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from policykg.cli import app

    store = tmp_path / "store"
    sample_store(Settings(), store).close()
    q = tmp_path / "q.rq"
    q.write_bytes(b"\xef\xbb\xbf" + b"SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }\n")
    for key in [k for k in __import__("os").environ if k.startswith("POLICYKG_")]:
        monkeypatch.delenv(key)
    result = CliRunner().invoke(app, ["query", f"@{q}", "--store", str(store), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["n"] > 0
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT * WHERE { ?s ?p ?o \u200b}", encoding="utf-8")
    result = CliRunner().invoke(app, ["query", f"@{bad}", "--store", str(store)])
    assert result.exit_code == 2 and "\u200b" not in result.output and "<U+200B>" in result.output, result.output


# --- finding 10: full IRIs, titles and names as canned-query parameters ------------------------------

ID = "https://w3id.org/policykg/id/"


def _rows(r) -> list[dict]:
    assert r.status_code == 200, r.text
    return r.json()["results"]["bindings"]


@pytest.mark.parametrize("value", ["CN-SD", "cn-sd", f"{ID}region/CN-SD", f"{ID}region/cn-sd", "Shandong"])
def test_f10_region_by_code_iri_or_name(client, value):
    rows = _rows(client.get("/api/queries/policies-by-region", params={"region": value, "format": "json"}))
    assert rows and any("/policy/cn-sd-" in r["policy"]["value"] for r in rows), rows


@pytest.mark.parametrize("value", [
    "cn-new-energy-storage-guiding-opinions", f"{ID}policy/cn-new-energy-storage-guiding-opinions",
    "Guiding Opinions on Accelerating New Energy Storage", "guiding opinions on accelerating new energy storage",
    "CN-NEW-ENERGY-STORAGE-GUIDING-OPINIONS"])
def test_f10_policy_by_slug_iri_or_title(client, value):
    r = client.get("/api/queries/policy-targets", params={"policy": value, "format": "json"})
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("value", ["test-briefing-2024-03", "TEST-BRIEFING-2024-03", f"{ID}briefing/test-briefing-2024-03",
                                   "Test policy briefing, March 2024"])
def test_f10_briefing_by_slug_iri_or_title(client, value):
    rows = _rows(client.get("/api/queries/briefing-contents", params={"briefing": value, "format": "json"}))
    assert rows, value


def test_f10_iri_with_configured_base_and_foreign_iris():
    settings = Settings(query_timeout_s=10, base_iri="http://data.example.org/pkg/")
    from tests.sparql_helpers import DATA

    text = DATA.read_text(encoding="utf-8").replace("https://w3id.org/policykg/id/", "http://data.example.org/pkg/id/")
    from policykg.store import OxigraphStore

    store = OxigraphStore(None, settings.base_iri)
    ds = rdflib.Dataset()
    ds.parse(data=text, format="trig")
    store.replace_graphs({g.identifier: g for g in ds.graphs() if isinstance(g.identifier, rdflib.URIRef) and len(g)})
    c, app, _ = make_client(settings, store)
    with c:
        for value in ("http://data.example.org/pkg/id/region/CN-SD", f"{ID}region/CN-SD"):
            assert _rows(c.get("/api/queries/policies-by-region", params={"region": value, "format": "json"})), value
        for value in ("http://example.org/region/CN-SD", f"{ID}agency/ndrc", f"{ID}region/CN-SD/x"):
            r = c.get("/api/queries/policies-by-region", params={"region": value, "format": "json"})
            assert r.status_code == 404, r.text
            assert r.json()["type"].endswith("/NotFound") and "region" in r.json()["detail"]
    pool = app.state.ctx.cache.get("querypool")
    if pool is not None:
        pool.close()


def test_f10_unknown_title_is_404_not_422(client):
    r = client.get("/api/queries/policy-targets", params={"policy": "No Such Policy Title", "format": "json"})
    assert r.status_code == 404, r.text
    assert "policy" in r.json()["detail"]


def test_f10_openapi_schema_allows_iris_and_titles(client):
    spec = client.get("/openapi.json").json()
    params = {p["name"]: p for p in spec["paths"]["/api/queries/policy-targets"]["get"]["parameters"]}
    pattern = re.compile(params["policy"]["schema"]["pattern"])
    for value in ("Guiding Opinions on Accelerating New Energy Storage", f"{ID}policy/x", "cn-x"):
        assert pattern.search(value), value


# --- finding 11: year pages link only to years with targets -------------------------------------------

def _year_links(html_text: str) -> list[str]:
    return re.findall(r'href="/year/([0-9]+)"', html_text)


def test_f11_year_pages_link_only_to_years_with_targets(client):
    years = sorted({r["year"]["value"][:4] for r in client.get(
        "/sparql", params={"query": "PREFIX pkg: <https://w3id.org/policykg/ontology#> SELECT DISTINCT ?year "
                                    "WHERE { ?p pkg:setsTarget ?t . ?t pkg:targetYear ?year }"},
        headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"]})
    assert len(years) >= 2, years
    first, last = years[0], years[-1]
    assert _year_links(client.get("/year/1000").text) == [first]
    assert _year_links(client.get("/year/9999").text) == [last]
    page = client.get(f"/year/{first}").text
    assert _year_links(page)[:1] == [years[1]] and f"/year/{int(first) - 1}" not in page
    page = client.get(f"/year/{last}").text
    assert f"/year/{int(last) + 1}\"" not in page and years[-2] in _year_links(page)
    # a crawler that follows the links from any page visits only years with targets, and each once
    seen, todo = set(), ["1000"]
    while todo:
        y = todo.pop()
        r = client.get(f"/year/{y}")
        assert r.status_code == 200
        for link in _year_links(r.text):
            if link not in seen:
                seen.add(link)
                todo.append(link)
    assert seen == set(years), (seen, years)


# --- finding 13: negotiation and error nits -----------------------------------------------------------

def _vary(r) -> set[str]:
    return {v.strip().lower() for v in r.headers.get("vary", "").split(",") if v.strip()}


def test_f13_validate_and_merge_vary_by_accept(client):
    from tests.linked_data_helpers import POLICY

    for accept in ("application/json", "text/turtle", "text/html"):
        r = client.post("/validate", content=POLICY, headers={"Content-Type": "text/turtle", "Accept": accept,
                                                              "Origin": "http://example.org"})
        assert r.status_code == 200, r.text
        assert {"accept", "origin"} <= _vary(r), r.headers
    r = client.post("/merge", content=POLICY, headers={"Content-Type": "text/turtle", "Origin": "http://example.org"})
    assert "accept" in _vary(r) and "origin" in _vary(r), (r.status_code, r.headers)
    assert len(r.headers.get_list("vary")) == 1, r.headers  # one Vary field, not two


def test_f13_api_queries_list_406_for_unmet_accept(client):
    r = client.get("/api/queries", headers={"Accept": "image/png"})
    assert r.status_code == 406, r.text
    assert r.json()["type"].endswith("/NotAcceptable")
    r = client.get("/api/queries", headers={"Accept": "application/json"})
    assert r.status_code == 200 and isinstance(r.json(), list) and "accept" in _vary(r)
    assert client.get("/api/queries").status_code == 200


@pytest.mark.parametrize("method,path,status,name", [
    ("GET", "/id/policy/", 404, "NotFound"), ("GET", "/no/such/path", 404, "NotFound"),
    ("PUT", "/sparql", 405, "MethodNotAllowed"), ("DELETE", "/validate", 405, "MethodNotAllowed")])
def test_f13_framework_errors_have_typed_problems(client, method, path, status, name):
    r = client.request(method, path, headers={"Accept": "application/json"})
    assert r.status_code == status, r.text
    doc = r.json()
    assert doc["type"] == f"https://w3id.org/policykg/problems/{name}", doc
    assert doc["status"] == status and path in doc["detail"]
    if status == 405:
        assert "GET" in r.headers["allow"] or "POST" in r.headers["allow"]
    page = client.get(f"/problems/{name}", headers={"Accept": "application/json"})
    assert page.status_code == 200 and page.json()["status"] == status, page.text


# --- finding 19: Host-dependent bodies, dump file mode, query output off a terminal -------------------

@pytest.mark.parametrize("path,accept", [("/.well-known/void", "text/turtle"), ("/.well-known/void", "text/html"),
                                         ("/sitemap.xml", None), ("/api/queries", None), ("/robots.txt", None),
                                         ("/sparql", "text/turtle")])
def test_f19_host_dependent_bodies_vary_by_host(client, path, accept):
    headers = {"Accept": accept} if accept else {}
    a = client.get(path, headers={**headers, "Host": "a.example"})
    b = client.get(path, headers={**headers, "Host": "b.example"})
    assert a.status_code == b.status_code == 200, a.text
    assert b"a.example" in a.content and b"b.example" in b.content
    assert "host" in _vary(a), a.headers
    if "etag" in a.headers:
        assert a.headers["etag"] != b.headers["etag"]


def _invoke(args, monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from policykg.cli import app

    for key in [k for k in __import__("os").environ if k.startswith("POLICYKG_")]:
        monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    return CliRunner().invoke(app, args)


def test_f19_dump_honours_umask(tmp_path, monkeypatch):
    import os
    import stat

    store = tmp_path / "store"
    sample_store(Settings(), store).close()
    old = os.umask(0o022)
    try:
        result = _invoke(["dump", str(tmp_path / "d.nq.gz"), "--store", str(store)], monkeypatch, tmp_path)
        assert result.exit_code == 0, result.output
        assert stat.S_IMODE((tmp_path / "d.nq.gz").stat().st_mode) == 0o644
        os.umask(0o027)
        result = _invoke(["dump", str(tmp_path / "e.nq"), "--store", str(store)], monkeypatch, tmp_path)
        assert result.exit_code == 0, result.output
        assert stat.S_IMODE((tmp_path / "e.nq").stat().st_mode) == 0o640
        (tmp_path / "e.nq").chmod(0o604)  # an existing file keeps its mode, as open() leaves it
        result = _invoke(["dump", str(tmp_path / "e.nq"), "--store", str(store)], monkeypatch, tmp_path)
        assert stat.S_IMODE((tmp_path / "e.nq").stat().st_mode) == 0o604
        assert not list(tmp_path.glob(".*.partial"))
    finally:
        os.umask(old)


def test_f19_query_table_off_a_terminal_is_tsv(tmp_path):
    import subprocess
    import sys

    from policykg.settings import PROJECT_ROOT

    store = tmp_path / "store"
    sample_store(Settings(), store).close()
    env = {k: v for k, v in __import__("os").environ.items()
           if not k.startswith("POLICYKG_") and k not in ("COLUMNS", "LINES")}
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    r = subprocess.run([sys.executable, "-c", "from policykg.cli import main; main()", "query",
                        "policies-by-region", "--param", "region=CN-SD", "--store", str(store)],
                       cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    header = lines[0].split("\t")
    assert "policy" in header and len(lines) >= 2
    assert all(len(line.split("\t")) == len(header) for line in lines[1:])
    assert max(len(line) for line in lines) < 400, max(len(line) for line in lines)
    assert "https://w3id.org/policykg/id/region/CN-SD" in r.stdout
    assert re.search(r"\d+ row\(s\)", r.stderr) and "row(s)" not in r.stdout
