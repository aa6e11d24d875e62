"""Paging through canned-query answers: ``?limit=&offset=`` over HTTP (``Link`` headers, RFC 8288),
``--limit``/``--offset`` in the CLI, and :func:`policykg.sparql.page_query` that writes the OFFSET."""

import json
import re

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from policykg.cli import app as cli_app
from policykg.errors import InputError
from policykg.settings import Settings
from policykg.sparql import MAX_OFFSET, QueryInfo, inspect_query, limit_query, page_query, parse_canned_query
from tests.remote_contract import check_pages_add_up
from tests.sparql_helpers import make_client
from tests.test_attacks16_canned import cli_store  # noqa: F401 (the sample store for the CLI, a fixture)
from tests.test_queries import QUERIES, _params, client  # noqa: F401 (client: the app on the sample, a fixture)


def _rows(response):
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"]


def _links(response) -> dict[str, str]:
    """``{rel: URL}`` of a response's Link header."""
    return {rel: url for url, rel in re.findall(r'<([^>]*)>; rel="([a-z]+)"', response.headers.get("link", ""))}


# --- page_query on query texts ------------------------------------------------------------------------

def _page(text, offset):
    return page_query(text, inspect_query(text), offset)


def _answer(text):
    store = ox.Store()
    for i in range(10):
        store.add(ox.Quad(ox.NamedNode(f"http://x/{i}"), ox.NamedNode("http://x/n"), ox.Literal(str(i), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))))
    return [int(r["n"].value) for r in store.query(text)]


def test_offset_is_added_where_the_query_has_none():
    text, info = _page("SELECT ?n WHERE { ?s <http://x/n> ?n } ORDER BY ?n", 3)
    assert _answer(text) == [3, 4, 5, 6, 7, 8, 9] and info.limit is None


def test_own_offset_and_limit_are_kept_in_step():
    # the query's own window is rows 2..6 (LIMIT 5 OFFSET 2); its page from 3 rows in is rows 5..6
    base = "SELECT ?n WHERE { ?s <http://x/n> ?n } ORDER BY ?n LIMIT 5 OFFSET 2"
    text, info = _page(base, 3)
    assert _answer(text) == [5, 6] and info.limit == 2
    assert _answer(_page(base, 7)[0]) == []  # past the query's own LIMIT: nothing, not the rows after it
    # and the row cap of a page (limit_query) applies to what is left
    assert _answer(limit_query(text, info, 1)) == [5, 6]  # LIMIT 2 left as is: within the cap plus one


def test_offset_goes_before_a_trailing_values_clause_and_not_into_comments_or_subqueries():
    text = ('SELECT ?n WHERE { { SELECT ?n WHERE { ?s <http://x/n> ?n } ORDER BY ?n LIMIT 8 } } # LIMIT 1 OFFSET 1\n'
            'ORDER BY ?n VALUES ?z { 1 }')
    paged, info = _page(text, 6)
    assert _answer(paged) == [6, 7] and info.limit is None
    assert "# LIMIT 1 OFFSET 1" in paged  # the comment is untouched


def test_offset_zero_changes_nothing_and_ask_or_negative_offsets_are_refused():
    text = "SELECT * { ?s ?p ?o }"
    info = inspect_query(text)
    assert page_query(text, info, 0) == (text, info)
    with pytest.raises(ValueError):
        page_query(text, info, -1)
    with pytest.raises(ValueError):
        page_query("ASK { ?s ?p ?o }", QueryInfo("ASK"), 1)


def test_a_canned_query_may_not_declare_the_endpoints_own_parameters():
    for name in ("limit", "offset", "format"):
        with pytest.raises(InputError, match="taken") as exc:
            parse_canned_query(f"#+ name: x\n#+ summary: x\n#+ params:\n#+   {name}: {{type: integer}}\n"
                               f"SELECT ?{name} WHERE {{ ?s ?p ?{name} }}", "x.rq")
        assert exc.value.field == f"params.{name}"


# --- over HTTP ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(QUERIES))
def test_pages_put_together_are_the_whole_answer(client, name):
    """Every canned query, read in pages of 2 by following rel="next", gives the rows of the whole
    answer, in the same order (each ORDER BY ends in keys that make it total)."""
    params = _params(QUERIES[name])
    whole = _rows(client.get(f"/api/queries/{name}", params=params))
    assert whole, name
    seen = check_pages_add_up(client, name, params)
    assert seen == -(-len(whole) // 2)  # no empty page at the end: "next" only when a row follows


def test_next_prev_and_first_links(client):
    name, params = "policies-by-region", {"region": "CN"}
    whole = _rows(client.get(f"/api/queries/{name}", params=params))
    assert len(whole) > 3
    first = client.get(f"/api/queries/{name}", params={**params, "limit": 3})
    assert set(_links(first)) == {"next"} and "offset=3" in _links(first)["next"] and "region=CN" in _links(first)["next"]
    second = client.get(_links(first)["next"])
    assert _rows(second) == whole[3:6]
    assert _links(second)["prev"] == _links(second)["first"] and "offset=0" in _links(second)["prev"]
    last = client.get(f"/api/queries/{name}", params={**params, "limit": 3, "offset": len(whole) - 1})
    assert _rows(last) == whole[-1:] and "next" not in _links(last)
    beyond = client.get(f"/api/queries/{name}", params={**params, "offset": len(whole) + 5})
    assert _rows(beyond) == [] and "next" not in _links(beyond) and "prev" in _links(beyond)
    # a page the client chose is not a cut at the row limit
    assert "x-policykg-truncated" not in first.headers
    # each page has its own validator
    assert first.headers["etag"] != second.headers["etag"]
    assert client.get(_links(first)["next"], headers={"If-None-Match": second.headers["etag"]}).status_code == 304


def test_the_query_own_limit_bounds_the_pages(tmp_path):
    (tmp_path / "five.rq").write_text(
        "#+ name: five\n#+ summary: the first five policies\n#+ tags: [test]\n"
        "SELECT ?policy WHERE { ?policy a <https://w3id.org/policykg/ontology#Policy> } ORDER BY ?policy LIMIT 5\n",
        encoding="utf-8")
    c, app, _ = make_client(Settings(query_timeout_s=10, queries_dir=tmp_path))
    try:
        whole = _rows(c.get("/api/queries/five"))
        assert len(whole) == 5
        r = c.get("/api/queries/five", params={"limit": 2, "offset": 2})
        assert _rows(r) == whole[2:4] and "offset=4" in _links(r)["next"]
        r = c.get("/api/queries/five", params={"limit": 10, "offset": 3})
        assert _rows(r) == whole[3:] and "next" not in _links(r)  # not the sixth policy on
        r = c.get("/api/queries/five", params={"limit": 2, "offset": 4})
        assert _rows(r) == whole[4:] and "next" not in _links(r)
        assert _rows(c.get("/api/queries/five", params={"offset": 9})) == []
    finally:
        pool = app.state.ctx.cache.get("querypool")
        if pool is not None:
            pool.close()


@pytest.mark.parametrize("params, field", [
    ({"limit": "0"}, "limit"), ({"limit": "-1"}, "limit"), ({"limit": "x"}, "limit"), ({"limit": "1.5"}, "limit"),
    ({"limit": "10001"}, "limit"), ({"limit": "\u0663"}, "limit"), ({"offset": "-1"}, "offset"),
    ({"offset": "1e3"}, "offset"), ({"offset": str(10**12 + 1)}, "offset"), ({"offset": "9" * 40}, "offset"),
])
def test_a_bad_limit_or_offset_is_a_422_naming_it(client, params, field):
    r = client.get("/api/queries/policies-by-region", params={"region": "CN", **params})
    assert r.status_code == 422, r.text
    assert r.json()["field"] == field and field in r.json()["detail"]


def test_a_repeated_limit_is_refused(client):
    r = client.get("/api/queries/policies-by-region?region=CN&limit=1&limit=2")
    assert r.status_code == 422 and r.json()["field"] == "limit"


def test_the_openapi_schema_documents_limit_and_offset(client):
    schema = client.get("/openapi.json").json()
    for name in QUERIES:
        params = {p["name"]: p for p in schema["paths"][f"/api/queries/{name}"]["get"]["parameters"]}
        assert params["limit"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 10_000}
        assert params["offset"]["schema"]["minimum"] == 0


def test_the_row_limit_cut_says_so_and_links_the_rest():
    c, app, _ = make_client(Settings(query_timeout_s=10, max_result_rows=4))
    try:
        params = {"region": "CN"}
        cut = c.get("/api/queries/policies-by-region", params=params)
        assert len(_rows(cut)) == 4 and cut.headers["x-policykg-truncated"] == "true"
        assert cut.headers["x-policykg-row-limit"] == "4" and "offset=4" in _links(cut)["next"]
        rest = c.get(_links(cut)["next"])
        assert len(_rows(rest)) >= 1
        csv = c.get("/api/queries/policies-by-region", params={**params, "format": "csv"})
        assert csv.headers["x-policykg-truncated"] == "true" and "next" in _links(csv)
        html = c.get("/api/queries/policies-by-region", params={**params, "format": "html"})
        assert "Results truncated" in html.text and 'rel="next"' in html.text and "rows 1 to 4" in html.text
        assert c.get("/api/queries/policies-by-region", params={**params, "limit": 5}).status_code == 422
    finally:
        app.state.ctx.cache["querypool"].close()


def test_html_pages_link_each_other(client):
    params = {"region": "CN", "format": "html", "limit": 2, "offset": 2}
    r = client.get("/api/queries/policies-by-region", params=params)
    assert r.status_code == 200 and "rows 3 to 4" in r.text and "(more follow)" in r.text
    hrefs = dict(re.findall(r'<a rel="([a-z]+)" href="([^"]*)"', r.text))
    assert set(hrefs) == {"prev", "next"}  # "first" is the previous page here
    assert "format=html" in hrefs["next"] and "offset=4" in hrefs["next"]
    assert "x-policykg-truncated" not in r.headers and "Results truncated" not in r.text


# --- the CLI ------------------------------------------------------------------------------------------

def _cli(store, *args):
    return CliRunner().invoke(cli_app, ["query", *args, "--store", str(store), "--format", "json"])


def test_cli_pages_are_the_whole_answer(cli_store):
    whole = json.loads(_cli(cli_store, "policies-by-region", "-p", "region=CN").stdout)
    assert len(whole) > 3
    first = _cli(cli_store, "policies-by-region", "-p", "region=CN", "--limit", "3")
    assert first.exit_code == 0 and json.loads(first.stdout) == whole[:3]
    assert "--offset 3" in first.stderr
    rest = _cli(cli_store, "policies-by-region", "-p", "region=CN", "--offset", "3")
    assert json.loads(rest.stdout) == whole[3:] and "more rows" not in rest.stderr
    adhoc = _cli(cli_store, "SELECT ?s WHERE { ?s a <https://w3id.org/policykg/ontology#Policy> } ORDER BY ?s",
                 "--limit", "1", "--offset", "1")
    assert adhoc.exit_code == 0 and len(json.loads(adhoc.stdout)) == 1


def test_cli_refuses_paging_what_has_no_rows(cli_store):
    r = _cli(cli_store, "ASK { ?s ?p ?o }", "--limit", "1")
    assert r.exit_code == 2 and "SELECT" in r.output
    r = _cli(cli_store, "policies-by-region", "-p", "region=CN", "--limit", "0")
    assert r.exit_code == 2


def test_cli_offset_is_bounded_as_the_api_bounds_it(cli_store):
    # before, a larger --offset went into the query text and came back as the engine's syntax error about
    # an OFFSET the user never wrote
    r = _cli(cli_store, "policies-by-region", "-p", "region=CN", "--offset", str(MAX_OFFSET + 1))
    assert r.exit_code == 2 and "--offset" in r.output and "malformed" not in r.output
    r = _cli(cli_store, "policies-by-region", "-p", "region=CN", "--offset", str(MAX_OFFSET), "--limit", "1")
    assert r.exit_code == 0 and json.loads(r.stdout) == []
