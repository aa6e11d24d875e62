"""policykg.sparql: query inspection, result limiting (pure functions, no HTTP)."""

import json

import pytest

from policykg import sparql
from policykg.errors import PayloadTooLarge, QueryError, QueryRefused
from policykg.sparql import check_dataset, inspect_query, limit_query, truncate_results


@pytest.mark.parametrize("text, form", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("PREFIX ex: <http://ex/> ASK { ex:a ?p ?o }", "ASK"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("DESCRIBE <http://ex/a>", "DESCRIBE"),
])
def test_forms(text, form):
    assert inspect_query(text).form == form


@pytest.mark.parametrize("text", [
    "INSERT DATA { <http://a> <http://b> <http://c> }",
    "LOAD <http://example.org/data.ttl>",
    "LOAD <file:///etc/passwd> INTO GRAPH <http://g>",
    "CLEAR ALL",
    "PREFIX ex: <http://ex/> DELETE WHERE { ?s ?p ?o }",
])
def test_updates_refused(text):
    with pytest.raises(QueryRefused, match="read-only"):
        inspect_query(text)


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE SILENT <http://x/> { ?s ?q ?r } } }",
    "SELECT * WHERE { { SELECT ?s WHERE { OPTIONAL { SERVICE ?x { ?s ?p ?o } } } } }",
    "ASK { service <http://x/> { ?s ?p ?o } }",
])
def test_service_refused_anywhere(text):
    with pytest.raises(QueryRefused, match="SERVICE"):
        inspect_query(text)


def test_service_in_a_string_is_not_service():
    assert inspect_query('SELECT * WHERE { ?s ?p "SERVICE <http://x/> { }" }').form == "SELECT"


def test_syntax_error_has_position():
    with pytest.raises(QueryError) as info:
        inspect_query("SELECT *\nWHERE {\n  ?s ?p \n}")
    assert not isinstance(info.value, QueryRefused)
    assert info.value.extra["line"] == 4 and info.value.extra["column"] >= 1


def test_dataset_clauses_are_resolved():
    info = inspect_query("PREFIX g: <https://w3id.org/policykg/graph/> SELECT * FROM g:a FROM NAMED <http://x/b> "
                         "WHERE { ?s ?p ?o }")
    assert info.default_graphs == ("https://w3id.org/policykg/graph/a",)
    assert info.named_graphs == ("http://x/b",)


def test_check_dataset():
    allowed = lambda iri: iri.startswith("https://w3id.org/policykg/")  # noqa: E731
    check_dataset(["https://w3id.org/policykg/graph/a"], allowed)
    with pytest.raises(QueryRefused, match="file"):
        check_dataset(["file:///etc/passwd"], lambda iri: True)
    with pytest.raises(QueryRefused, match="not a graph"):
        check_dataset(["http://example.org/remote.ttl"], allowed)


def test_size_limit():
    with pytest.raises(PayloadTooLarge):
        inspect_query("SELECT * WHERE { ?s ?p ?o } #" + "x" * 200, max_bytes=100)


def test_deep_nesting_is_a_clear_error_not_a_crash():
    text = "SELECT * WHERE " + "{ " * 3000 + "?s ?p ?o" + " }" * 3000
    with pytest.raises(QueryError):
        inspect_query(text)


@pytest.mark.parametrize("text, expected", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT * WHERE { ?s ?p ?o }\nLIMIT 11\n"),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 500 OFFSET 2", "SELECT * WHERE { ?s ?p ?o } LIMIT 11 OFFSET 2"),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 3", "SELECT * WHERE { ?s ?p ?o } LIMIT 3"),
    ('SELECT * WHERE { ?s ?p "} LIMIT 3" } # LIMIT 4\nVALUES ?s { <http://a> }',
     'SELECT * WHERE { ?s ?p "} LIMIT 3" } # LIMIT 4\nLIMIT 11\nVALUES ?s { <http://a> }'),
    ("SELECT * WHERE { { SELECT * WHERE { ?s ?p ?o } LIMIT 50 } }",
     "SELECT * WHERE { { SELECT * WHERE { ?s ?p ?o } LIMIT 50 } }\nLIMIT 11\n"),
])
def test_limit_query(text, expected):
    out = limit_query(text, inspect_query(text), 10)
    assert out == expected
    inspect_query(out)  # still valid


def test_truncate_results_all_formats():
    import pyoxigraph as ox
    store = ox.Store()
    for i in range(5):
        store.add(ox.Quad(ox.NamedNode(f"http://ex/{i}"), ox.NamedNode("http://p"), ox.Literal(f'a,"b"\n{{{i}}}')))
    for fmt, oxfmt in [("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML),
                       ("csv", ox.QueryResultsFormat.CSV), ("tsv", ox.QueryResultsFormat.TSV)]:
        data = store.query("SELECT ?s ?o WHERE { ?s ?p ?o }").serialize(format=oxfmt)
        same, cut = truncate_results(data, fmt, 5)
        assert same == data and cut is False
        out, cut = truncate_results(data, fmt, 3)
        assert cut is True
        if fmt == "csv":
            import csv
            import io
            rows = list(csv.reader(io.StringIO(out.decode(), newline="")))[1:]
            assert rows[0][1].startswith('a,"b"\n{')
        else:
            rows = list(ox.parse_query_results(out, format=oxfmt))
        assert len(rows) == 3, fmt
    data = store.query("SELECT ?s WHERE { ?s ?p ?o }").serialize(format=ox.QueryResultsFormat.JSON)
    assert len(json.loads(truncate_results(data, "json", 2)[0])["results"]["bindings"]) == 2


def test_all_exports_exist():
    for name in sparql.__all__:
        assert hasattr(sparql, name)


def test_lexical_fast_path_agrees_with_the_full_parse():
    """On the W3C SPARQL 1.1 syntax suite, the token-level classification equals rdflib's parse."""
    from rdflib.plugins.sparql.parser import parseQuery

    from tests.sparql_helpers import SHARED

    folder = SHARED / "conformance" / "rdf-tests-sparql" / "sparql11"
    files = sorted(folder.glob("*/*.rq"))[::3]  # a third of the suite keeps the test fast
    if not files:
        pytest.skip("W3C suites not found")
    checked = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        if sparql._oxigraph_syntax_error(text) is not None or sparql.nesting_depth(text) > sparql.MAX_NESTING:
            continue
        try:
            tree = parseQuery(text)
        except Exception:  # noqa: BLE001 - rdflib does not read every 1.1 extension
            continue
        fast = sparql._lexical_info(text)
        has_service = any(c.name == "ServiceGraphPattern" for c in sparql._walk(tree[1]))
        has_from = "datasetClause" in tree[1]
        if fast is None:
            continue
        assert not has_service and not has_from, path
        assert fast.form == sparql.FORMS[tree[1].name], path
        lo = tree[1]["limitoffset"] if "limitoffset" in tree[1] else None
        assert fast.limit == (int(lo["limit"]) if lo is not None and "limit" in lo else None), path
        checked += 1
    assert checked > 80


@pytest.mark.parametrize("text", [
    "PREFIX service: <http://x/> SELECT * WHERE { ?s service:p ?o SERVICE <http://x/> { ?a ?b ?c } }",
    "SELECT * WHERE { ?s ?p '''\n''' . SERVICE <http://x/> { ?a ?b ?c } }",
    "SELECT * WHERE { ?s <http://x/#> ?o . SERVICE <http://x/> { ?a ?b ?c } }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o<?p) SERVICE <http://x/> { ?a ?b ?c } }",
])
def test_service_after_tricky_tokens_is_refused(text):
    with pytest.raises(QueryRefused, match="SERVICE"):
        inspect_query(text)
