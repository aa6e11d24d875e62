"""Attacks on canned-query paging (aa35b2d, 91c05a1: ``?limit=&offset=``, Link rel=next/prev/first,
``policykg query --limit/--offset``, Virtuoso's SR353 as a 422 naming offset).

Tests under a '# fixed (was a strict xfail)' comment were defects, fixed in the same session; the others are
attacks that held and guard the behaviour.
"""

import re
import warnings

import pytest
from typer.testing import CliRunner

from policykg.cli import app as cli_app
from policykg.errors import QueryError, StoreError
from policykg.settings import Settings
from policykg.sparql import inspect_query, limit_query, page_query
from tests.sparql_helpers import make_client
from tests.test_attacks16_canned import cli_store  # noqa: F401 (fixture: the sample store on disk)

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PKG = "PREFIX pkg: <https://w3id.org/policykg/ontology#>\n"


def _app(queries_dir=None, **kw):
    """(client that turns server errors into 500 responses, app) on the sample store."""
    settings = Settings(query_timeout_s=10, **({"queries_dir": queries_dir} if queries_dir else {}), **kw)
    _, app, _ = make_client(settings)
    return TestClient(app, raise_server_exceptions=False), app


def _close(app):
    pool = app.state.ctx.cache.get("querypool")
    if pool is not None:
        pool.close()


# --- 1. a limit or offset of more than 4,300 digits is a 500 -----------------------------------------------

# fixed (was a strict xfail)
@pytest.mark.parametrize("field", ["limit", "offset"])
def test_a_limit_or_offset_of_5000_digits_is_a_422_not_a_500(field):
    """_paging calls int() on the text after isdigit(): CPython refuses to convert more than 4,300 digits
    (ValueError, sys.get_int_max_str_digits), so the request is a 500 instead of the 422 naming the field
    that "9" * 40 gets."""
    c, app = _app()
    try:
        r = c.get("/api/queries/policies-by-region", params={"region": "CN", field: "9" * 5000})
        assert r.status_code == 422, (r.status_code, r.text[:200])
        assert r.json()["field"] == field
    finally:
        _close(app)


# --- 2. every ASK canned query is now a 500 -----------------------------------------------------------------

# fixed (was a strict xfail)
def test_an_ask_canned_query_answers_without_paging(tmp_path):
    """A .rq file may hold an ASK query (parse_canned_query accepts it; before aa35b2d it answered 200 in
    JSON, CSV and HTML). The endpoint now calls page_query on every request, and page_query raises
    ValueError for ASK before it looks at offset 0: every request, paged or not, is a 500."""
    (tmp_path / "any-policy.rq").write_text(
        "#+ name: any-policy\n#+ summary: is there a policy\n" + PKG + "ASK { ?p a pkg:Policy }\n", encoding="utf-8")
    c, app = _app(tmp_path)
    try:
        for fmt in ("json", "csv", "html"):
            r = c.get("/api/queries/any-policy", params={"format": fmt})
            assert r.status_code == 200, (fmt, r.status_code, r.text[:200])
        # and a page of an ASK is the client's mistake, not the server's
        r = c.get("/api/queries/any-policy", params={"offset": 1})
        assert r.status_code == 422 and r.json()["field"] == "offset", (r.status_code, r.text[:200])
    finally:
        _close(app)


# --- 3. a comment between OFFSET (or LIMIT) and its number --------------------------------------------------

# fixed (was a strict xfail)
def test_page_query_finds_an_offset_whose_number_follows_a_comment():
    """page_query takes the token right after OFFSET as its number; a comment there (legal SPARQL: comments
    are whitespace) makes it miss the clause and append a second OFFSET: a syntax error."""
    text = ("SELECT ?n WHERE { ?s <http://x/n> ?n } ORDER BY ?n OFFSET # skip the header row\n 1\n")
    paged, info = page_query(text, inspect_query(text), 3)
    inspect_query(limit_query(paged, info, 2), thorough=True)  # raised QueryError: "expected VALUES"
    assert "OFFSET # skip the header row\n 4" in paged
    assert inspect_query("SELECT * WHERE { ?s ?p ?o } LIMIT # a page\n 7").limit == 7


def test_the_next_link_of_a_canned_query_with_a_commented_offset_works(tmp_path):
    """The same over HTTP: the first page answers and links rel=next, and the next page is a 400
    "malformed SPARQL query" about an OFFSET the client never wrote."""
    (tmp_path / "skip-one.rq").write_text(
        "#+ name: skip-one\n#+ summary: every policy but the first\n" + PKG +
        "SELECT ?p WHERE { ?p a pkg:Policy } ORDER BY ?p OFFSET # the first is a test entry\n 1\n",
        encoding="utf-8")
    c, app = _app(tmp_path)
    try:
        first = c.get("/api/queries/skip-one", params={"limit": 1})
        assert first.status_code == 200 and "next" in first.links
        nxt = c.get(first.links["next"]["url"])
        assert nxt.status_code == 200, (nxt.status_code, nxt.text[:300])
    finally:
        _close(app)


# --- 4. policykg query --limit has no upper bound -----------------------------------------------------------

# fixed (was a strict xfail)
def test_cli_a_huge_limit_is_a_bad_option_not_a_syntax_error(cli_store):  # noqa: F811
    """--offset is bounded (0274ba3: "a larger one ... came back as a syntax error about an OFFSET the user
    never wrote"); --limit is not: limit_query writes LIMIT 10**30 + 1 and Oxigraph reports a malformed
    query pointing at that LIMIT."""
    r = CliRunner().invoke(cli_app, ["query", "policies-by-region", "-p", "region=CN", "--limit", str(10**30),
                                     "--store", str(cli_store)])
    assert r.exit_code == 2
    assert "malformed SPARQL" not in r.output and "--limit" in r.output, r.output


# --- 5. SR353: "OFFSET <digit>" anywhere in the text is taken for a page -------------------------------------

class _FakeWrapper:
    """What RemoteStore._call needs of a SPARQLWrapper, answering with Virtuoso's SR353."""

    endpoint = "http://127.0.0.1:9/query"
    updateEndpoint = "http://127.0.0.1:9/update"

    def __init__(self, text):
        self.queryString = text

    def isSparqlUpdateRequest(self):  # noqa: N802 - SPARQLWrapper's name
        return False

    def query(self):
        from SPARQLWrapper.SPARQLExceptions import EndPointInternalError

        raise EndPointInternalError(response=b"Virtuoso 42000 Error SR353: Sorted TOP clause specifies more then "
                                             b"200001 rows to sort. Only 10000 are allowed.")


# fixed (was a strict xfail)
def test_sr353_of_a_query_without_an_offset_clause_names_the_deployment_setting():
    """remote._call decides "a page deep in an ordered answer" by searching the raw text for OFFSET and a
    digit: a comment of the .rq file, or a string parameter (policies-with-quality-warnings?code=offset 1)
    written into the query as a literal, matches. The unpaged request then gets QueryError (400 "Malformed
    query", "ask for a smaller offset or limit") instead of the StoreError that names MaxSortedTopRows /
    POLICYKG_MAX_RESULT_ROWS."""
    from policykg.remote import RemoteStore

    store = RemoteStore(Settings(sparql_endpoint="http://127.0.0.1:9/query", max_result_rows=200_000))
    text = ('SELECT ?p ?code WHERE { ?p ?x ?code FILTER(?code = "offset 1") }  # OFFSET 0 would be the same\n'
            "ORDER BY ?p LIMIT 200001")
    with pytest.raises(StoreError, match="POLICYKG_MAX_RESULT_ROWS"):
        try:
            store._call(_FakeWrapper(text))
        except QueryError as exc:
            raise AssertionError(f"blamed on the request: {exc.detail}") from None


# --- 6. (debatable) the prev link of a page that does not start on a page boundary overlaps it --------------

# fixed (was a strict xfail)
def test_prev_link_ends_where_the_page_starts():
    """From offset=3&limit=5 (rows 4 to 8) the prev link is offset=0&limit=5 (rows 1 to 5), which repeats rows
    4 and 5, and the HTML labels it "previous 5 rows" though only 3 rows precede the page. Walking prev
    links back from such a page gives duplicates; offset=0&limit=3 would give exactly the rows before."""
    c, app = _app()
    try:
        r = c.get("/api/queries/policies-by-region", params={"region": "CN", "limit": 5, "offset": 3})
        prev = r.links["prev"]["url"]
        start = int(re.search(r"offset=(\d+)", prev).group(1))
        size = int(re.search(r"limit=(\d+)", prev).group(1))
        assert start + size <= 3, prev
    finally:
        _close(app)


def test_sr353_of_a_page_past_the_bound_blames_the_offset():
    """The other side of 5: a page whose LIMIT alone fits the server's bound, deep in the answer, is the
    request's doing (QueryError with sorted_rows_limit, a 422 naming offset at the canned endpoint); the
    same bound with a LIMIT over it is the deployment's (StoreError naming the setting)."""
    from policykg.remote import RemoteStore

    store = RemoteStore(Settings(sparql_endpoint="http://127.0.0.1:9/query"))
    page = 'SELECT ?p WHERE { ?p ?x "offset 1" } ORDER BY ?p OFFSET # deep\n 200000 LIMIT 101'
    with pytest.raises(QueryError) as info:
        store._call(_FakeWrapper(page))
    assert info.value.extra["sorted_rows_limit"] == 10000
    with pytest.raises(StoreError, match="POLICYKG_MAX_RESULT_ROWS"):
        store._call(_FakeWrapper("SELECT ?p WHERE { ?p ?x ?o } ORDER BY ?p OFFSET 5 LIMIT 10001"))


def test_a_construct_or_describe_canned_query_is_refused_when_loaded(tmp_path):
    """Found beside the paging attack (older than it): the loader took CONSTRUCT and DESCRIBE files, whose
    every request was then a 500 (the endpoint answers tables). They are now refused with the file named."""
    from policykg.errors import InputError
    from policykg.sparql import load_canned_queries

    for form, body in (("CONSTRUCT", "CONSTRUCT { ?p a pkg:Policy } WHERE { ?p a pkg:Policy }"),
                       ("DESCRIBE", "DESCRIBE ?p WHERE { ?p a pkg:Policy }")):
        folder = tmp_path / form
        folder.mkdir()
        (folder / "triples.rq").write_text(f"#+ name: triples\n#+ summary: s\n{PKG}{body}\n", encoding="utf-8")
        with pytest.raises(InputError, match=f"SELECT or an ASK.*{form}") as info:
            load_canned_queries(folder)
        assert info.value.file.endswith("triples.rq") and info.value.field == "form"


def test_html_prev_link_of_a_page_within_the_first_says_how_many_rows_it_holds():
    c, app = _app()
    try:
        r = c.get("/api/queries/policies-by-region", params={"region": "CN", "limit": 5, "offset": 3,
                                                            "format": "html"})
        assert r.status_code == 200 and "previous 3 rows" in r.text and "first page" not in r.text
        r = c.get("/api/queries/policies-by-region", params={"region": "CN", "limit": 2, "offset": 3,
                                                            "format": "html"})
        assert "previous 2 rows" in r.text and "first page" in r.text
    finally:
        _close(app)


# --- a newcomer's walkthrough of the same commits ----------------------------------------------------------

def test_html_page_past_the_end_says_so_and_offers_only_the_first_page():
    c, app = _app()
    try:
        r = c.get("/api/queries/policies-by-region", params={"region": "CN", "limit": 5, "offset": 500,
                                                            "format": "html"})
        assert r.status_code == 200 and "No rows here: the answer has 500 rows or fewer." in r.text
        assert 'rel="first"' in r.text and 'rel="prev"' not in r.text
    finally:
        _close(app)


def test_result_tables_show_short_names_and_keep_the_whole_iri():
    from api.sparql import short_iri

    base = "https://w3id.org/policykg/"
    assert short_iri(f"{base}id/region/CN-SD", base) == "region/CN-SD"
    assert short_iri("https://w3id.org/policykg/ontology#AtLeast", base) == "pkg:AtLeast"
    assert short_iri("http://qudt.org/vocab/unit/PERCENT", base) == "unit:PERCENT"
    assert short_iri("http://qudt.org/vocab/unit/MicroGM-PER-M3", base) == "unit:MicroGM-PER-M3"
    assert short_iri("http://example.org/a/b", base) == "http://example.org/a/b"
    assert short_iri("https://w3id.org/policykg/ontology#a/b", base) == "https://w3id.org/policykg/ontology#a/b"
    c, app = _app()
    try:
        r = c.get("/api/queries/targets-due-in-year", params={"year": "2025", "format": "html"})
        assert r.status_code == 200
        assert 'title="https://w3id.org/policykg/ontology#AtLeast">pkg:AtLeast</span>' in r.text or "pkg:" in r.text
        assert ">https://w3id.org/policykg/id/" not in r.text  # no raw IRI of this site as a cell's text
    finally:
        _close(app)


def test_store_commands_refuse_a_missing_store_or_another_base(tmp_path, cli_store, monkeypatch):  # noqa: F811
    """dump and query opened a missing --store folder, making an empty store, and reported on it (a backup
    of 0 quads, 0 rows, "the graph has no region"); graphs and canned queries on a store built with another
    base IRI answered as if it held nothing. Each is now refused, naming the store or the base IRI."""
    runner = CliRunner()
    missing = tmp_path / "nowhere"
    for args in (["dump", str(tmp_path / "b.nq")], ["query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1"],
                 ["graphs"]):
        r = runner.invoke(cli_app, [*args, "--store", str(missing)])
        assert r.exit_code == 2 and "there is no store at" in r.output, (args, r.output)
    assert not missing.exists() and not (tmp_path / "b.nq").exists()
    monkeypatch.setenv("POLICYKG_BASE_IRI", "http://127.0.0.1:9/")
    monkeypatch.setenv("POLICYKG_STORE_READ_ONLY", "true")
    for args in (["graphs"], ["query", "policies-by-region", "-p", "region=CN"]):
        r = runner.invoke(cli_app, [*args, "--store", str(cli_store)])
        assert r.exit_code == 2 and "built with base IRI https://w3id.org/policykg/" in r.output, (args, r.output)
    r = runner.invoke(cli_app, ["query", "ASK { ?s ?p ?o }", "--store", str(cli_store)])  # SPARQL of its own: no IRI of ours
    assert r.exit_code == 0 and "true" in r.output


def test_a_canned_query_format_is_read_as_sparql_reads_it():
    """The newcomer: format=CSV and format=text/csv were 422 at /api/queries, while /sparql takes both."""
    c, app = _app()
    try:
        for value in ("CSV", " csv ", "text/csv", "Text/CSV; charset=utf-8"):
            r = c.get("/api/queries/policies-by-region", params={"region": "CN", "format": value})
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv"), value
        r = c.get("/api/queries/policies-by-region", params={"region": "CN", "format": "application/json"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
        r = c.get("/api/queries/policies-by-region", params={"region": "CN", "format": "HTML"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        for bad in ("tsv", "text/turtle", ""):
            r = c.get("/api/queries/policies-by-region", params={"region": "CN", "format": bad})
            assert r.status_code == 422 and r.json()["field"] == "format", bad
    finally:
        _close(app)
