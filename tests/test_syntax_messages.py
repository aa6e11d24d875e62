"""A malformed query's message (``policykg.sparql.syntax_error_message``): the parser's position and
expected tokens, tidied; a hint for a triple pattern without its object; the line with a caret."""

import pytest

from policykg.errors import QueryError
from policykg.settings import Settings
from policykg.sparql import inspect_query
from tests.sparql_helpers import running_client, sample_store


def _message(query: str) -> str:
    with pytest.raises(QueryError) as caught:
        inspect_query(query)
    return str(caught.value)


@pytest.mark.parametrize("query, hint", [
    ("SELECT * WHERE { ?s ?p }", "the triple pattern `?s ?p` has no object"),
    ("SELECT ?s WHERE { ?s a }", "the triple pattern `?s a` has no object"),
    ("PREFIX dcterms: <http://purl.org/dc/terms/>\nSELECT ?s WHERE {\n  ?s dcterms:title .\n}",
     "the triple pattern `?s dcterms:title` has no object"),
    ("SELECT ?s WHERE { ?s ?p 1.5 . ?x <http://x.y/z.w> }", "the triple pattern `?x <http://x.y/z.w>` has no object"),
    ("SELECT ?s WHERE { ?s ?p ?o ; ?q . }", "the predicate `?q` after ';' has no object"),
    ("SELECT ?s WHERE { ?s ?p ?o ; ?q }", "the predicate `?q` after ';' has no object"),
    ("SELECT ?s WHERE { ?s ?p ?o , }", "an object is missing after ','"),
    ("SELECT ?s WHERE { OPTIONAL { ?s ?p } }", "the triple pattern `?s ?p` has no object"),
])
def test_a_missing_object_is_named(query, hint):
    assert hint in _message(query)


@pytest.mark.parametrize("query", [
    "SELECT ?s WHERE { ?s ?p ?o",  # an unclosed group
    "SELECT ?s WHERE { ?s ?p \"x.y\" ?z }",  # four terms: the dot in the string is not a pattern's end
    "SELECT ?s WHERE { ?s ?p ?o FILTER(?o > ) }",
    "SELECT ?s WHERE { ?s ?p ?o . ?s ?p ?o . ?x ?y ?z ?w }",
])
def test_no_hint_where_no_object_is_missing(query):
    assert "no object" not in _message(query) and "missing after" not in _message(query)


def test_the_expected_tokens_name_character_classes_and_the_line_is_shown_with_a_caret():
    message = _message("SELECT ?s WHERE { ?s ?p ?o")
    assert message.startswith("malformed SPARQL query: error at 1:27: expected one of")
    assert "a name character" in message and "..=" not in message and "[_]" not in message
    assert message.endswith("\n  SELECT ?s WHERE { ?s ?p ?o\n  " + " " * 26 + "^")


def test_an_undeclared_prefix_is_still_named_first():
    message = _message("SELECT ?s WHERE { ?s pkg:title }")
    assert "prefix pkg: used but not declared; add PREFIX pkg: <https://w3id.org/policykg/ontology#>" in message


def test_the_endpoint_gives_the_message_and_the_position():
    settings = Settings(query_timeout_s=10)
    with running_client(settings, sample_store(settings)) as (client, _):
        r = client.get("/sparql", params={"query": "SELECT * WHERE {\n  ?s ?p\n}"})
    body = r.json()
    assert r.status_code == 400 and body["line"] == 3 and body["column"] == 2
    assert "the triple pattern `?s ?p` has no object" in body["detail"]
