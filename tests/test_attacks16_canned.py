"""Attacks on canned queries run with their parameters written into the text (``CannedQuery.bound_text``,
which calls ``policykg.remote.insert_values``) instead of pyoxigraph ``substitutions``, and on the three
query texts restructured with sub-SELECTs (policies-by-agency, -genre, -region).

Failing tests are defects; passing tests are attacks that held and guard the behaviour.
"""

from __future__ import annotations

import collections
import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from typer.testing import CliRunner

from policykg.cli import app as cli_app
from policykg.remote import nt_term
from policykg.settings import PROJECT_ROOT, Settings
from policykg.sparql import load_canned_queries, parse_canned_query
from policykg.store import to_oxigraph
from tests.sparql_helpers import DATA, make_client, sample_store

QUERIES = load_canned_queries(PROJECT_ROOT / "queries")
BASE = "https://w3id.org/policykg/"
XSD = "http://www.w3.org/2001/XMLSchema#"
SAMPLE2 = Path(__file__).parent / "data" / "sample.trig"

#: The string parameter of each canned query that has one.
STRING_PARAMS = {"lookup": "text", "indicator-across-regions": "indicator", "policies-with-quality-warnings": "code"}

#: Values that would break out of a literal, comment out the rest of a line, close a group, or be read as a
#: codepoint escape if the text were pasted, and values that are merely unusual.
NASTY = ['x" } } ; DROP ALL ; SELECT * { "', "\\", "\\\\", '"', '"""', "'''", "'", "\\u0022", "\\u0022) } } #",
         "\\U00000022", "#", "# } LIMIT 1", "} LIMIT 1 #", "a\nb", "a\r\nb\r", "\t", "\x00", "\x0b\x0c\x08\x1f",
         "\x7f\x85\u2028\u2029", "\ufeff\u200b", "é", "中国", "山东", "😀", "?text", "$code", "<https://x/>",
         '"x"@en', '"2025"^^xsd:gYear', "x" * 500, '\\"' * 200, "capacity", "NDRC", "ndrc.gov.cn", "shared-source-url",
         "", " ", "%22", "\\n", "\\t", "\\'", "\\\\\"", "'\"'\"", "\\\n"]

#: The three texts before the change (commit 922f2f8), their header and PREFIX lines left out.
_PREFIXES = """PREFIX pkg: <https://w3id.org/policykg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
OLD_TEXTS = {
    "policies-by-agency": _PREFIXES + """SELECT DISTINCT ?agency ?policy ?title ?date ?role
WHERE {
  { ?policy pkg:issuedBy ?agency FILTER NOT EXISTS { ?policy pkg:issuedByHeadline ?agency } BIND("issuer" AS ?role) }
  UNION { ?policy pkg:issuedByHeadline ?agency BIND("headline issuer" AS ?role) }
  UNION { ?policy pkg:sourceHostedBy ?agency
          FILTER NOT EXISTS { ?policy pkg:issuedBy ?agency }
          FILTER NOT EXISTS { ?policy pkg:issuedByHeadline ?agency }
          BIND("source host" AS ?role) }
  ?policy a pkg:Policy ; dcterms:title ?title .
  FILTER(LANG(?title) = "en")
  OPTIONAL { ?policy pkg:publicationDate ?date }
}
ORDER BY DESC(STR(?date)) STR(?title)""",
    "policies-by-genre": _PREFIXES + """SELECT DISTINCT ?genre ?policy ?title ?policyGenre ?jurisdiction ?date
WHERE {
  ?policyGenre skos:broader* ?genre .
  ?policy pkg:genre ?policyGenre ; a pkg:Policy ; dcterms:title ?title .
  FILTER(LANG(?title) = "en")
  OPTIONAL { ?policy pkg:jurisdiction ?jurisdiction }
  OPTIONAL { ?policy pkg:publicationDate ?date }
}
ORDER BY DESC(STR(?date)) STR(?title)""",
    "policies-by-region": _PREFIXES + """SELECT ?region ?policy ?title ?jurisdiction ?jurisdictionLabel ?date
WHERE {
  ?policy a pkg:Policy ; dcterms:title ?title .
  FILTER(LANG(?title) = "en")
  { ?policy pkg:localJurisdiction ?jurisdiction }
  UNION
  { ?policy pkg:jurisdiction ?jurisdiction FILTER NOT EXISTS { ?policy pkg:localJurisdiction ?city } }
  ?jurisdiction pkg:partOf* ?region .
  OPTIONAL { ?jurisdiction skos:prefLabel ?jurisdictionLabel FILTER(LANG(?jurisdictionLabel) = "en") }
  OPTIONAL { ?policy pkg:publicationDate ?date }
}
GROUP BY ?region ?policy ?title ?jurisdiction ?jurisdictionLabel ?date
ORDER BY DESC(STR(?date)) STR(?title)""",
}

#: A graph of the corner cases the restructured texts must keep: a city in two provinces, a policy with a city
#: outside its province, two jurisdictions, English titles twice or never, a non-policy with links, a region
#: and a genre cycle, a genre reached by two paths, the same policy in two graphs, every agency role.
EDGE_TRIG = """
@prefix pkg: <https://w3id.org/policykg/ontology#> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix r: <https://w3id.org/policykg/id/region/> . @prefix a: <https://w3id.org/policykg/id/agency/> .
@prefix p: <https://w3id.org/policykg/id/policy/> . @prefix g: <https://w3id.org/policykg/id/genre/> .
<https://w3id.org/policykg/graph/ref> {
  r:CN a pkg:Region ; skos:prefLabel "China"@en .
  r:CN-SD a pkg:Region ; pkg:partOf r:CN ; skos:prefLabel "Shandong"@en , "Shantung"@en .
  r:CN-GD a pkg:Region ; pkg:partOf r:CN ; skos:prefLabel "Guangdong"@en .
  r:370200 a pkg:Region ; pkg:partOf r:CN-SD ; skos:prefLabel "Qingdao"@en .
  r:440300 a pkg:Region ; pkg:partOf r:CN-GD , r:CN-SD ; skos:prefLabel "Shenzhen"@en .
  r:LOOP1 a pkg:Region ; pkg:partOf r:LOOP2 . r:LOOP2 a pkg:Region ; pkg:partOf r:LOOP1 .
  a:x a pkg:Agency . a:y a pkg:Agency . a:z a pkg:Agency .
  g:top a skos:Concept . g:mid a skos:Concept ; skos:broader g:top . g:leaf a skos:Concept ; skos:broader g:mid , g:top .
  g:c1 a skos:Concept ; skos:broader g:c2 . g:c2 a skos:Concept ; skos:broader g:c1 .
}
<https://w3id.org/policykg/graph/one> {
  p:p1 a pkg:Policy ; dcterms:title "P1"@en , "P1 again"@en , "P1 zh"@zh ; pkg:jurisdiction r:CN-SD ;
     pkg:localJurisdiction r:440300 ; pkg:issuedBy a:x , a:y ; pkg:issuedByHeadline a:y ; pkg:sourceHostedBy a:x , a:z ;
     pkg:genre g:leaf , g:mid ; pkg:publicationDate "2024-01-01"^^xsd:date , "2024"^^xsd:gYear .
  p:p2 a pkg:Policy ; dcterms:title "P2"@en ; pkg:jurisdiction r:CN-SD , r:CN-GD ; pkg:issuedByHeadline a:x ; pkg:genre g:c1 .
  p:p3 a pkg:Policy ; dcterms:title "P3"@zh ; pkg:jurisdiction r:CN ; pkg:issuedBy a:x ; pkg:genre g:top .
  p:p4 a pkg:Policy ; dcterms:title "P4"@en ; pkg:localJurisdiction r:370200 ; pkg:sourceHostedBy a:y ; pkg:genre g:c2 .
  p:p5 dcterms:title "not a policy"@en ; pkg:jurisdiction r:CN ; pkg:issuedBy a:x ; pkg:genre g:top .
  p:p6 a pkg:Policy ; dcterms:title "P6"@en ; pkg:jurisdiction r:LOOP1 ; pkg:issuedBy a:z ; pkg:genre g:leaf .
}
<https://w3id.org/policykg/graph/two> {
  p:p1 a pkg:Policy ; dcterms:title "P1"@en ; pkg:jurisdiction r:CN-SD ; pkg:issuedBy a:x ; pkg:genre g:leaf .
  p:p2 pkg:localJurisdiction r:370200 .
}
"""


# --- fixtures and helpers ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def stores():
    """``{name: pyoxigraph store}``: the SPARQL sample; the linked-data sample with the full reference data and
    vocabularies (every region, agency and concept policykg ships); the corner-case graph."""
    s1 = ox.Store()
    s1.load(path=str(DATA), format=ox.RdfFormat.TRIG)
    s2 = ox.Store()
    s2.load(path=str(SAMPLE2), format=ox.RdfFormat.TRIG)
    for f in sorted((PROJECT_ROOT / "ontology" / "reference").glob("*.ttl")) + sorted(
            (PROJECT_ROOT / "ontology" / "vocab").glob("*.ttl")):
        s2.load(path=str(f), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f"{BASE}graph/{f.stem}"))
    s3 = ox.Store()
    s3.load(EDGE_TRIG.encode("utf-8"), format=ox.RdfFormat.TRIG)
    return {"sparql_sample": s1, "sample+reference": s2, "edge": s3}


@pytest.fixture(scope="module")
def client():
    c, app, _ = make_client(Settings(query_timeout_s=10))
    yield c
    _close(app)


def _close(app) -> None:
    """Stop the app's query pool, if a query started it."""
    pool = app.state.ctx.cache.get("querypool")
    if pool is not None:
        pool.close()


def rows(result) -> collections.Counter:
    """Rows as a multiset of tuples of N-Triples terms; a GROUP_CONCAT value's space-separated parts sorted."""
    out: collections.Counter = collections.Counter()
    for r in result:
        out[tuple("" if r[v] is None else " ".join(sorted(str(r[v]).split(" "))) for v in result.variables)] += 1
    return out


def with_subs(store, text, bindings):
    subs = {ox.Variable(k): to_oxigraph(v) for k, v in bindings.items()}
    return rows(store.query(text, use_default_graph_as_union=True, substitutions=subs or None))


def written(store, text):
    return rows(store.query(text, use_default_graph_as_union=True))


def resources(store, kind: str, used_only: bool = False) -> list[str]:
    """The IRIs ``{base}id/{kind}/...`` the store names (``used_only``: those a policy links to, and what they
    are part of or narrower than), sorted."""
    link = ("?x ?p ?r . ?x a <https://w3id.org/policykg/ontology#Policy>" if used_only
            else "{ ?r ?p ?o } UNION { ?x ?p ?r }")
    q = f'SELECT DISTINCT ?r WHERE {{ {link} FILTER(ISIRI(?r) && STRSTARTS(STR(?r), "{BASE}id/{kind}/")) }}'
    found = {r["r"].value for r in store.query(q, use_default_graph_as_union=True)}
    if used_only:  # and their ancestors: a province of a city, a broader concept
        up = ("SELECT DISTINCT ?u WHERE { VALUES ?r { %s } ?r (<https://w3id.org/policykg/ontology#partOf>|"
              "<http://www.w3.org/2004/02/skos/core#broader>)+ ?u }" % " ".join(f"<{r}>" for r in found))
        found |= {r["u"].value for r in store.query(up, use_default_graph_as_union=True)} if found else set()
    return sorted(found)


def values_for(store, q, used_only: bool) -> list[dict]:
    """Bindings to try for the (single) parameter of ``q`` on ``store``: for a resource, the ones the store has
    (``used_only``: those the policies use, and 10 others) and one it lacks; strings from :data:`NASTY`
    (``used_only``: a third of them);
    years from 1999 to 2061 and 0000, 9999."""
    if not q.params:
        return [{}]
    p = q.params[0]
    if p.type == "string":  # on the reference data (slow to scan by name), a third of them
        return [{p.name: Literal(v)} for v in (NASTY[::3] if used_only else NASTY)]
    if p.type == "year":
        return [{p.name: Literal(f"{y:04d}", datatype=URIRef(XSD + "gYear"))} for y in [0, 9999, *range(1999, 2062)]]
    kind = p.scheme if p.type == "concept" else p.type
    found = resources(store, kind, used_only)
    if used_only:
        found = sorted(set(found) | set(resources(store, kind)[:10]))
    return [{p.name: URIRef(r)} for r in found] + [{p.name: URIRef(f"{BASE}id/{kind}/not-in-the-graph")}]


# --- the text never holds what the user wrote as syntax ------------------------------------------------

@pytest.mark.parametrize("name", sorted(STRING_PARAMS))
def test_a_string_parameter_changes_only_the_literal(name):
    """Whatever the string, the bound text is the text of a harmless string with only the literal swapped: no
    quote, backslash, brace, '#', newline or \\u escape in the value reaches the query as syntax."""
    q, p = QUERIES[name], STRING_PARAMS[name]
    mark = nt_term(Literal("MARK-7f3a"))
    safe = q.bound_text(q.bind({p: "MARK-7f3a"})[1])
    for value in NASTY:
        _, b = q.bind({p: value}) if value else (None, {p: Literal(value)})
        assert q.bound_text(b) == safe.replace(mark, nt_term(Literal(value))), repr(value)


@pytest.mark.parametrize("name", sorted(STRING_PARAMS))
def test_a_string_parameter_comes_back_exactly(stores, name):
    """The engine reads the written-in literal as the very string given (echoed in the parameter's column):
    control characters, a lone backslash before 'u0022', U+2028, a BOM, astral characters."""
    q, p = QUERIES[name], STRING_PARAMS[name]
    store = stores["sparql_sample"]
    for value in [v for v in NASTY if v] + ["storage", "n"]:
        _, b = q.bind({p: value})
        got = list(store.query(q.bound_text(b), use_default_graph_as_union=True))
        for row in got:
            assert row[p] == ox.Literal(value), (value, row[p])


def test_every_parameter_type_is_a_term_in_the_text():
    """Resource parameters are written as IRIs of the dataset, a year as a typed literal: nothing of the raw text
    that resolved them ("Shandong", " NDRC ", a full IRI in capitals) is in the query."""
    q = QUERIES["targets-due-in-year"]
    text = q.bound_text(q.bind({"year": " 2025 "})[1])
    assert '"2025"^^<http://www.w3.org/2001/XMLSchema#gYear>' in text and " 2025 " not in text
    q = QUERIES["policies-by-agency"]
    text = q.bound_text(q.bind({"agency": "HTTPS://W3ID.ORG/POLICYKG/ID/AGENCY/NDRC"})[1])
    assert f"<{BASE}id/agency/ndrc>" in text and "HTTPS" not in text


# --- bound_text answers as substitutions did -----------------------------------------------------------

@pytest.mark.parametrize("name", sorted(QUERIES))
def test_written_in_parameters_answer_as_substitutions(stores, name):
    """For every canned query, on the three graphs, for every resource of the parameter's kind in the small
    graphs (the used ones and 10 others in the reference data), a missing one, nasty strings and 65 years: the
    rows of ``bound_text`` are the rows of ``substitutions`` on the same text, as multisets."""
    q = QUERIES[name]
    checked = 0
    for sname, store in stores.items():
        for b in values_for(store, q, used_only=sname == "sample+reference"):
            assert written(store, q.bound_text(b)) == with_subs(store, q.sparql, b), (sname, b)
            checked += 1
    assert checked >= 3


@pytest.mark.parametrize("name", sorted(OLD_TEXTS))
def test_restructured_texts_answer_as_the_old_ones(stores, name):
    """The sub-SELECT versions of policies-by-agency/-genre/-region give the old texts' rows (with substitutions)
    and their own bound text gives them too, on every graph and for every value tried, corner cases included
    (a city in two provinces, a region cycle, a genre cycle, a policy in two graphs, titles twice or never)."""
    q = QUERIES[name]
    nonempty = 0
    for sname, store in stores.items():
        for b in values_for(store, q, used_only=sname == "sample+reference"):
            old = with_subs(store, OLD_TEXTS[name], b)
            assert with_subs(store, q.sparql, b) == old, (sname, b)
            assert written(store, q.bound_text(b)) == old, (sname, b)
            nonempty += bool(old)
    assert nonempty >= 5


def test_the_corner_case_graph_is_exercised(stores):
    """The corner-case graph gives rows for each restructured query (so that the equality above means something)."""
    s = stores["edge"]
    for name, param, iri in (("policies-by-region", "region", "region/440300"), ("policies-by-region", "region", "region/LOOP2"),
                             ("policies-by-genre", "genre", "genre/c1"), ("policies-by-agency", "agency", "agency/y")):
        assert written(s, QUERIES[name].bound_text({param: URIRef(BASE + "id/" + iri)})), (name, iri)
    def roles(slug):
        q = QUERIES["policies-by-agency"]
        return {(r[1].rsplit("/", 1)[1], r[4]) for r in written(s, q.bound_text({"agency": URIRef(BASE + "id/agency/" + slug)}))}
    assert roles("x") == {("p1>", '"issuer"'), ("p2>", '"headline issuer"')}
    assert roles("y") == {("p1>", '"headline issuer"'), ("p4>", '"source host"')}
    assert roles("z") == {("p1>", '"source host"'), ("p6>", '"issuer"')}


# --- over HTTP --------------------------------------------------------------------------------------------

#: For each canned query with a parameter, the parameter's name and the values thrown at it over HTTP.
HTTP_VALUES = {
    "text": NASTY + ["x" * 501],
    "indicator": ['" } #', "\\u0022", "a\nb", "capacity", "\x00", "x" * 501],
    "code": ['" } #', "\\", "", "shared"],
    "year": ["2025", " 2025 ", "2025\n", "0000", "9999", "+2025", "２０２５", "2025.0", "20255", '2025" } #', "2025\\u0022"],
    "region": ["CN", "cn-sd", "Shandong", "370200", "XX", "CN-XX", '" } #', "CN> } #", "https://w3id.org/policykg/id/region/CN",
               "https://w3id.org/policykg/id/region/CN>", "https://w3id.org/policykg/id/region/%3E", "http://example.org/x",
               "<https://w3id.org/policykg/id/region/CN>", "Shandong\n", "x" * 201, "\\u003E"],
    "agency": ["ndrc", "NDRC", "National Energy Administration", "nope", "https://w3id.org/policykg/id/agency/ndrc",
               "HTTPS://W3ID.ORG/POLICYKG/ID/AGENCY/NDRC", "https://w3id.org/policykg/id/agency/ndrc#x",
               "https://w3id.org/policykg/id/agency/a/b", '"ndrc"', "ndrc } #", "ndrc>", "ＮＤＲＣ"],
    "genre": ["notice", "Notice", "implementation-plan", "instrument/economic", "https://w3id.org/policykg/id/instrument/economic",
              "nope", "a>b"],
    "instrument": ["economic", "Economic and market-based instruments", "sector", '" . ?s ?p ?o #'],
    "sector": ["power", "Energy", "POWER", "https://w3id.org/policykg/id/sector/power", "x y"],
    "policy": ["cn-sd-new-energy-storage-implementation-plan", "Shandong Implementation Plan for New Energy Storage",
               "nope", "x" * 501, '" } #'],
    "briefing": ["test-briefing-2024-03", "Test policy briefing, March 2024", "nope", "test-briefing-2024-03 } #"],
}


def _http_cases():
    """``(query name, parameter, hostile value, the query's other required parameters at their examples)``."""
    for name, q in sorted(QUERIES.items()):
        for p in q.params:
            others = {o.name: o.example for o in q.params if o.name != p.name and o.required and o.default is None}
            for value in HTTP_VALUES[p.name]:
                yield name, p.name, value, others


def test_http_never_fails_and_answers_as_substitutions(client, stores):
    """Every canned query over HTTP with hostile values: 200 with the rows ``substitutions`` give (on the same
    graph), or a problem+json 404/422 naming the parameter; never a 5xx. CSV and HTML give as many rows."""
    from policykg.sparql import resolve_resources
    store = stores["sparql_sample"]
    app_store = client.app.state.ctx.store
    seen = collections.Counter()
    for name, param, value, others in _http_cases():
        given = {**others, param: value}
        r = client.get(f"/api/queries/{name}", params={**given, "format": "json"})
        seen[r.status_code] += 1
        assert r.status_code in (200, 404, 422), (name, value, r.status_code, r.text[:300])
        if r.status_code != 200:
            assert r.headers["content-type"].startswith("application/problem+json"), (name, value)
            assert r.json().get("field") == param or f"'{param}'" in r.json()["detail"], (name, value, r.json())
            continue
        q = QUERIES[name]
        _, b = q.bind(given)
        b = resolve_resources(app_store, q, b, given)
        expected = with_subs(store, q.sparql, b)
        got = collections.Counter()
        for row in r.json()["results"]["bindings"]:
            got[tuple(_nt(row.get(v)) for v in r.json()["head"]["vars"])] += 1
        assert got == expected, (name, value)
        if param in ("text", "region", "agency"):  # the other formats, for a few
            c = client.get(f"/api/queries/{name}", params={**given, "format": "csv"})
            assert c.status_code == 200 and len(list(csv.reader(io.StringIO(c.text)))) - 1 == sum(expected.values())
            h = client.get(f"/api/queries/{name}", params={**given, "format": "html"})
            assert h.status_code == 200 and f"<p>{sum(expected.values())} rows</p>" in h.text
    assert seen[200] > 50 and seen[404] > 5 and seen[422] > 5, seen


def _nt(term) -> str:
    """A SPARQL JSON term as :func:`rows` writes it (N-Triples, GROUP_CONCAT parts sorted)."""
    if term is None:
        return ""
    if term["type"] == "uri":
        return f"<{term['value']}>"
    if term["type"] == "bnode":
        return f"_:{term['value']}"
    lit = ox.Literal(term["value"], language=term.get("xml:lang"),
                     datatype=ox.NamedNode(term["datatype"]) if "datatype" in term and "xml:lang" not in term else None)
    return " ".join(sorted(str(lit).split(" ")))


def test_http_html_echoes_a_hostile_value_escaped(client):
    """The HTML page shows the parameter as given, escaped; the query ran with it as a literal."""
    r = client.get("/api/queries/lookup", params={"text": '<script>"}#', "format": "html"})
    assert r.status_code == 200
    assert "<script>" not in r.text and "&lt;script&gt;&quot;}#" in r.text and "<p>0 rows</p>" in r.text


def test_http_full_iri_with_bad_percent_encoding_is_a_4xx(client):
    """DEFECT (older than this change, in resolve_resources): a resource parameter given as a full IRI under the
    kind's prefix with one more path segment and an invalid percent-encoding or a DEL
    (``agency=https://w3id.org/policykg/id/agency/a/%zz``) raises pyoxigraph's ValueError ("Invalid IRI percent
    encoding") from the existence ASK: a 500. It should be a 404 (or 422) naming the parameter, as ``.../a/b`` is."""
    from fastapi.testclient import TestClient
    quiet = TestClient(client.app, raise_server_exceptions=False)
    for value in ("https://w3id.org/policykg/id/agency/a/%zz", "https://w3id.org/policykg/id/agency/a/\x7f"):
        r = quiet.get("/api/queries/policies-by-agency", params={"agency": value})
        assert r.status_code in (404, 422), (value, r.status_code, r.text[:200])
        assert r.json().get("field") == "agency"


# --- row limit -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("limit, truncated", [(5, True), (6, False), (7, False)])
def test_truncation_headers_after_bound_text(limit, truncated):
    """policies-by-region CN has 6 rows on the sample: the row limit cuts them (headers, HTML notice) only below 6,
    in every format; lookup's own LIMIT 50 is replaced by the row limit, and a value holding 'LIMIT 1' changes
    nothing."""
    c, app, _ = make_client(Settings(query_timeout_s=10, max_result_rows=limit))
    try:
        for fmt in ("json", "csv", "html"):
            r = c.get("/api/queries/policies-by-region", params={"region": "CN", "format": fmt})
            assert r.status_code == 200
            assert (r.headers.get("X-PolicyKG-Truncated") == "true") is truncated, fmt
            assert r.headers.get("X-PolicyKG-Row-Limit") == (str(limit) if truncated else None)
            n = (len(r.json()["results"]["bindings"]) if fmt == "json" else
                 len(list(csv.reader(io.StringIO(r.text)))) - 1 if fmt == "csv" else r.text.count("<tr>") - 1)
            assert n == min(limit, 6), fmt
            if fmt == "html":
                assert ("<strong>Results truncated</strong> at the row limit" in r.text) is truncated
        r = c.get("/api/queries/lookup", params={"text": "n"})  # 14 rows on the sample
        assert len(r.json()["results"]["bindings"]) == limit and r.headers.get("X-PolicyKG-Truncated") == "true"
        r = c.get("/api/queries/lookup", params={"text": '" } LIMIT 1 #'})
        assert r.status_code == 200 and r.json()["results"]["bindings"] == []
        r = c.get("/api/queries/lookup", params={"text": "LIMIT 1"})
        assert r.status_code == 200 and "X-PolicyKG-Truncated" not in r.headers
    finally:
        _close(app)


# --- the command line ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cli_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("attacks16") / "store"
    sample_store(Settings(), path).close()
    return path


def _cli(store, *args):
    return CliRunner().invoke(cli_app, ["query", *args, "--store", str(store)])


@pytest.mark.parametrize("name, param, value", [
    ("lookup", "text", 'x" } } ; DROP ALL ; SELECT * { "'), ("lookup", "text", "\\u0022) } #"), ("lookup", "text", "a=b\nc"),
    ("lookup", "text", "NDRC"), ("targets-due-in-year", "year", "2025"), ("policies-by-agency", "agency", "NDRC"),
    ("policies-by-region", "region", "Shandong"), ("policies-by-genre", "genre", "implementation-plan"),
    ("policies-with-quality-warnings", "code", ""), ("policies-with-quality-warnings", "code", '"'),
    ("indicator-across-regions", "indicator", "storage"), ("briefing-contents", "briefing", "test-briefing-2024-03"),
])
def test_cli_answers_as_substitutions(cli_store, stores, name, param, value):
    """``policykg query NAME --param k=v`` (now bound_text) prints the rows substitutions give."""
    from policykg.sparql import resolve_resources
    from policykg.store import OxigraphStore
    r = _cli(cli_store, name, "--format", "json", "--param", f"{param}={value}")
    assert r.exit_code == 0, r.output
    q = QUERIES[name]
    _, b = q.bind({param: value})
    with OxigraphStore(None, BASE) as mem:
        mem.raw.load(path=str(DATA), format=ox.RdfFormat.TRIG)
        b = resolve_resources(mem, q, b, {param: value})
    expected = with_subs(stores["sparql_sample"], q.sparql, b)
    assert len(json.loads(r.stdout)) == sum(expected.values())
    if param in ("text", "code") and expected:
        assert {row[param] for row in json.loads(r.stdout)} == {value}


def test_cli_without_params_and_with_the_default_agree(cli_store):
    """``policykg query policies-with-quality-warnings`` (default code "", still run with substitutions) and
    ``--param code=`` (bound_text) print the same rows."""
    a = _cli(cli_store, "policies-with-quality-warnings", "--format", "json")
    b = _cli(cli_store, "policies-with-quality-warnings", "--format", "json", "--param", "code=")
    assert a.exit_code == b.exit_code == 0 and json.loads(a.stdout) == json.loads(b.stdout) != []


def test_cli_unknown_resource_is_an_error_naming_the_parameter(cli_store):
    r = _cli(cli_store, "policies-by-agency", "--param", "agency=nope } #")
    assert r.exit_code == 2 and "parameter 'agency'" in r.output


def test_cli_undecodable_argument_is_a_clean_error(cli_store):
    """DEFECT (older than this change): an argument with a byte that is not UTF-8 reaches Python as a lone
    surrogate (``\\udcff``, surrogateescape); the string parameter accepts it, and the query dies with an
    uncaught UnicodeEncodeError traceback (before the change: an uncaught ValueError from pyoxigraph). It should
    be refused as the other bad values are: exit code 2, a message naming parameter 'text'."""
    r = _cli(cli_store, "lookup", "--param", "text=a\udcffb")
    assert r.exit_code == 2 and "parameter 'text'" in r.output, (r.exit_code, repr(r.exception))


# --- custom queries (queries_dir) with the other parameter types -----------------------------------------

TYPED = """#+ name: typed
#+ summary: typed parameters
#+ tags: [t]
#+ params:
#+   iri: {type: iri, description: an IRI}
#+   n: {type: integer, description: an integer}
#+   d: {type: decimal, description: a decimal}
#+   day: {type: date, description: a date}
#+   lang: {type: lang, description: a language tag}
#+   s: {type: string, description: a string}
PREFIX pkg: <https://w3id.org/policykg/ontology#>
SELECT ?iri ?n ?d ?day ?lang ?s ?t WHERE { ?t pkg:value ?x }
"""


@pytest.fixture(scope="module")
def typed_client(tmp_path_factory):
    from fastapi.testclient import TestClient
    qdir = tmp_path_factory.mktemp("attacks16q")
    (qdir / "typed.rq").write_text(TYPED, encoding="utf-8")
    c, app, _ = make_client(Settings(query_timeout_s=10, queries_dir=qdir))
    yield TestClient(app, raise_server_exceptions=False)
    _close(app)


@pytest.mark.parametrize("params", [
    {"iri": "http://x/ok?a=b#c"}, {"iri": "http://x/é'"}, {"n": "+5"}, {"n": "-0"}, {"n": "9" * 40}, {"d": ".5"},
    {"d": "1."}, {"d": "-0.0"}, {"day": "2024-02-29"}, {"lang": "EN-gb"}, {"s": '"}#\\u0022'},
])
def test_custom_typed_parameters_answer_as_substitutions(typed_client, stores, params):
    """Integer, decimal, date, language-tag, IRI and string parameters of a custom canned query: 200, each row
    echoing the term substitutions would bind."""
    q = parse_canned_query(TYPED)
    r = typed_client.get("/api/queries/typed", params={**params, "format": "json"})
    assert r.status_code == 200, r.text[:300]
    _, b = q.bind(params)
    expected = with_subs(stores["sparql_sample"], q.sparql, b)
    got = collections.Counter(tuple(_nt(row.get(v)) for v in r.json()["head"]["vars"])
                              for row in r.json()["results"]["bindings"])
    assert got == expected


@pytest.mark.parametrize("value", ["http://x/%zz", "http://x/\x7f", "http://x/\ufffe"])
def test_custom_iri_parameter_the_engine_refuses_is_a_422_naming_it(typed_client, value):
    """DEFECT: an ``iri`` parameter that passes ``to_term`` (no space or <>"{}|^`\\) but that no engine takes as
    an IRI (bad percent-encoding, DEL, a noncharacter) is now written into the text, which then fails to parse:
    a 400 QueryError "malformed SPARQL query: error at 11:89: expected IRI parsing failed" that blames the
    server's query and names no parameter (before the change: a 500 StoreError from the worker's ValueError).
    It should be a 422 naming parameter 'iri'."""
    r = typed_client.get("/api/queries/typed", params={"iri": value})
    assert r.status_code == 422 and r.json().get("field") == "iri", (r.status_code, r.text[:300])


def test_custom_integer_parameter_too_long_is_a_422(typed_client):
    """DEFECT (older than this change, in ``ParamSpec.to_term``): an integer parameter of more than 4,300 digits
    makes ``int()`` raise ValueError (Python's integer string conversion limit): a 500. It should be a 422
    naming the parameter, like any other value that is not an integer it can bind."""
    r = typed_client.get("/api/queries/typed", params={"n": "9" * 5000})
    assert r.status_code == 422 and r.json().get("field") == "n", (r.status_code, r.text[:200])


def test_bound_text_follows_sep_0007_where_substitutions_did_not(stores):
    """Not a defect for the shipped queries (none does this), but a change for custom ones: written in, a
    parameter is bound everywhere (SEP-0007, as the docstring of insert_values says), so ``BOUND(?v)`` is true,
    ``BIND(?v AS ?x)`` copies it and ``FILTER(?x = ?v)`` compares numerically; pyoxigraph's substitutions left
    ?v unbound inside the pattern (and 30.0 = 30 false). The docstring of bound_text ("the same answer as
    pyoxigraph's substitutions") holds for the shipped queries only."""
    s = stores["sparql_sample"]
    head = "#+ name: t\n#+ summary: t\n#+ params:\n#+   v: {type: %s}\nPREFIX pkg: <https://w3id.org/policykg/ontology#>\n"
    q = parse_canned_query(head % "region" + "SELECT ?v ?x WHERE { BIND(?v AS ?x) }")
    b = {"v": URIRef(BASE + "id/region/CN")}
    assert written(s, q.bound_text(b)) == {(f"<{BASE}id/region/CN>",) * 2: 1}
    q = parse_canned_query(head % "integer" + "SELECT ?v ?t WHERE { ?t pkg:value ?x FILTER(?x = ?v) }")
    b = q.bind({"v": "30"})[1]
    assert sum(written(s, q.bound_text(b)).values()) == 1  # target cn-storage-2025, pkg:value 30.0


def test_cli_default_resource_by_name_is_resolved_without_params(cli_store, tmp_path):
    """DEFECT (older than this change, on the path it edits): ``policykg query NAME`` with no ``--param`` skips
    ``resolve_resources`` and ``bound_text`` (``canned = ... if param else None``), so a custom query whose
    resource parameter defaults to a name (``region: {type: region, default: Shandong}``) runs with the
    placeholder IRI ``.../region/Shandong`` and prints ``[]``; with ``--param region=`` (or over HTTP) the same
    default resolves to CN-SD and gives rows. Both should give the rows."""
    (tmp_path / "dflt.rq").write_text(
        "#+ name: dflt\n#+ summary: default by name\n#+ tags: [t]\n#+ params:\n"
        "#+   region: {type: region, default: Shandong, description: a region}\n"
        "PREFIX pkg: <https://w3id.org/policykg/ontology#>\nSELECT ?region ?p WHERE { ?p pkg:jurisdiction ?region }\n",
        encoding="utf-8")
    env = {"POLICYKG_QUERIES_DIR": str(tmp_path)}
    run = CliRunner().invoke
    with_param = run(cli_app, ["query", "dflt", "--store", str(cli_store), "--format", "json", "--param", "region="], env=env)
    assert with_param.exit_code == 0 and json.loads(with_param.stdout), with_param.output  # the default resolves here
    without = run(cli_app, ["query", "dflt", "--store", str(cli_store), "--format", "json"], env=env)
    assert without.exit_code == 0 and json.loads(without.stdout) == json.loads(with_param.stdout), without.output
