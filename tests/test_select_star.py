"""``SELECT *``: columns in the order the query names its variables (``policykg.sparql.star_columns``),
on /sparql (embedded; the remote stores run tests.remote_contract's check) and in ``policykg query``."""

import csv
import io
import json

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from policykg.cli import app
from policykg.settings import Settings
from policykg.sparql import order_columns, star_columns
from tests.remote_contract import check_select_star_columns_in_query_order
from tests.sparql_helpers import running_client, sample_store


@pytest.mark.parametrize("query, expected", [
    ("SELECT * WHERE { ?zeta ?alpha ?mid }", ("zeta", "alpha", "mid")),
    ("PREFIX a: <http://x/*> # SELECT ?c\nSELECT DISTINCT * { ?b ?a ?c FILTER(?f) }", ("b", "a", "c", "f")),
    ("select reduced *\nwhere { ?b ?a ?c }", ("b", "a", "c")),
    ("SELECT * FROM <http://g/> WHERE { $b ?a ?c }", ("b", "a", "c")),
    ("SELECT * { ?s <http://p/*> \"*\" }", ("s",)),
])
def test_star_columns(query, expected):
    assert star_columns(query) == expected


@pytest.mark.parametrize("query", [
    "SELECT ?a WHERE { { SELECT * { ?c ?b ?a } } }",  # the outer projection names its columns
    "SELECT (2*3 AS ?x) WHERE {}",
    "SELECT ?a { ?a ?b ?c FILTER(?c * 2 > 1) }",
    "ASK { ?a ?b ?c FILTER(1*2) }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "DESCRIBE * WHERE { ?s ?p ?o }",
    "SELECT ?a { ?a ?b \"*\" }",
])
def test_star_columns_is_none_for_other_projections(query):
    assert star_columns(query) is None


_QUERY = "SELECT * WHERE { ?zeta ?alpha ?mid OPTIONAL { ?zeta <http://x/> ?nope } }"


@pytest.fixture(scope="module")
def solutions():
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://a/"), ox.NamedNode("http://b/"), ox.Literal('tab\tcomma,"quote"')))
    return store


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_order_columns_moves_the_columns_and_keeps_the_values(solutions, fmt):
    formats = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
               "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
    data = solutions.query(_QUERY).serialize(format=formats[fmt])
    out = order_columns(data, fmt, star_columns(_QUERY))
    assert order_columns(out, fmt, star_columns(_QUERY)) is out  # already in order: nothing rewritten
    if fmt == "csv":  # pyoxigraph does not read CSV results (lossy): compare the fields
        before, after = (list(csv.reader(io.StringIO(d.decode(), newline=""))) for d in (data, out))
        index = [before[0].index(n) for n in after[0]]
        assert after[0] == ["zeta", "alpha", "mid", "nope"]
        assert after == [[row[k] for k in index] for row in before] and after[1][2] == 'tab\tcomma,"quote"'
        return
    got = list(ox.parse_query_results(out, format=formats[fmt]))
    want = list(ox.parse_query_results(data, format=formats[fmt]))
    assert [v.value for v in ox.parse_query_results(out, format=formats[fmt]).variables] == \
        ["zeta", "alpha", "mid", "nope"]
    assert [[row[n] for n in ("zeta", "alpha", "mid", "nope")] for row in got] == \
        [[row[n] for n in ("zeta", "alpha", "mid", "nope")] for row in want]


def test_order_columns_reads_a_json_head_that_is_not_first():
    data = json.dumps({"results": {"bindings": [{"a": {"type": "literal", "value": "1"}}]},
                       "head": {"link": ["http://x/"], "vars": ["a", "b"]}}).encode()
    assert json.loads(order_columns(data, "json", ("b", "a")))["head"] == {"link": ["http://x/"], "vars": ["b", "a"]}


def test_select_star_on_the_embedded_store():
    settings = Settings(query_timeout_s=10)
    with running_client(settings, sample_store(settings)) as (client, _):
        check_select_star_columns_in_query_order(client)
        # a bounded lookup (answered in the server process, not the pool) is ordered too
        r = client.get("/sparql", params={"query": "SELECT * WHERE { <https://w3id.org/policykg/id/agency/ndrc> ?p ?o }"},
                       headers={"Accept": "text/csv"})
        assert r.status_code == 200 and r.text.splitlines()[0] == "p,o"


def test_select_star_in_the_cli(tmp_path):
    store = tmp_path / "store"
    settings = Settings(store_path=store)
    sample_store(settings, store).close()
    query = ("PREFIX pkg: <https://w3id.org/policykg/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "
             "SELECT * WHERE { ?policy dcterms:title ?title ; pkg:issuedBy ?agency } LIMIT 1")
    result = CliRunner().invoke(app, ["query", query, "--store", str(store), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "policy,title,agency"
