"""Content negotiation (RFC 9110 §12.5.1), tested from a table of Accept headers."""

import pytest

from api import negotiate
from api.negotiate import choose, parse_accept, quality

RDF = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]
RESULTS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
           "text/tab-separated-values"]

CASES = [
    (None, RDF, "text/turtle"),
    ("", RDF, "text/turtle"),
    ("*/*", RDF, "text/turtle"),
    ("application/ld+json", RDF, "application/ld+json"),
    ("text/turtle;q=0.9, application/ld+json", RDF, "application/ld+json"),
    ("application/rdf+xml, */*;q=0.1", RDF, "application/rdf+xml"),
    ("image/png, */*;q=0.1", RDF, "text/turtle"),
    ("image/png", RDF, None),
    ("text/*", RESULTS, "text/csv"),
    ("text/*;q=0.5, text/tab-separated-values", RESULTS, "text/tab-separated-values"),
    ("text/*;q=0, */*", RESULTS, "application/sparql-results+json"),
    ("text/csv;q=0, text/*", RESULTS, "text/tab-separated-values"),
    ("*/*;q=0", RESULTS, None),
    ("application/sparql-results+json;q=0.2, application/sparql-results+xml;q=0.8", RESULTS,
     "application/sparql-results+xml"),
    # duplicates: the higher weight wins
    ("text/csv;q=0.1, text/csv;q=0.9, application/sparql-results+json;q=0.5", RESULTS, "text/csv"),
    # case-insensitive type, spaces, bad q ignored
    ("TEXT/CSV ; Q=0.7 , application/bogus;q=x", RESULTS, "text/csv"),
    ("text/csv;q=2, text/tab-separated-values;q=0.3", RESULTS, "text/tab-separated-values"),
    # parameters: the more specific range decides
    ("text/html;level=1;q=0, text/html", ["text/html;level=1", "text/html"], "text/html"),
    # an offer without charset is UTF-8 (everything policykg writes), so only a UTF-8 charset range matches it
    ("application/json; charset=utf-8", ["application/json"], "application/json"),
    ("text/turtle;charset=UTF-8", ["text/turtle"], "text/turtle"),
    ("application/json; charset=iso-8859-1", ["application/json"], None),
    ("text/plain;charset=latin1", ["text/plain;charset=latin1", "text/plain"], "text/plain;charset=latin1"),
    # the JSON-LD profile is a request the server answers as it can (JSON-LD 1.1 §9.1)
    ('application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted"', ["application/ld+json"],
     "application/ld+json"),
    ("text/html;level=1", ["text/html"], None),
    ("garbage", RDF, "text/turtle"),  # no well-formed range: the header is ignored (RFC 9110 §12.5.1)
    ("garbage, image/png", RDF, None),  # one well-formed range: it counts
]


@pytest.mark.parametrize("header, offered, expected", CASES)
def test_choose_table(header, offered, expected):
    assert choose(header, offered) == expected


def test_specificity_beats_order():
    ranges = parse_accept("*/*;q=0.9, text/turtle;q=0.3")
    assert quality(ranges, "text/turtle") == pytest.approx(0.3)
    assert quality(ranges, "application/ld+json") == pytest.approx(0.9)


def test_server_order_breaks_ties():
    assert choose("text/turtle, application/ld+json", ["application/ld+json", "text/turtle"]) == "application/ld+json"


def test_accept_ext_after_q_is_not_a_parameter():
    ranges = parse_accept("text/csv;q=0.5;foo=bar")
    assert ranges[0].params == () and ranges[0].q == 0.5


def test_all_exports_exist():
    for name in negotiate.__all__:
        assert hasattr(negotiate, name)
