"""Session 11: small HTTP, input and curation fixes left open by the tenth review.

* ``OPTIONS`` without ``Origin`` was a 405 (RFC 9110 §9.3.7: it asks what the resource supports); a CORS
  preflight is still answered by the CORS middleware;
* text that is not UTF-8 (a GB18030 CSV saved by a spreadsheet on Chinese Windows) was refused with a byte
  offset; it now gets the line and column, and the message names GB18030 when the bytes read as it;
* ``/sparql`` CSV left IRIs with a comma (every evidence IRI) and triple terms unquoted (pyoxigraph 0.5's writer):
  ``policykg.sparql.csv_results`` writes RFC 4180 fields;
* a curated policy of Fujian (or of the whole country) issued by a Beijing department passed with no word:
  ``PolicyIssuerJurisdictionShape`` warns when an issuer's region is neither the policy's jurisdiction nor a
  region containing it (cases in ``tests/shapes/policy-issuer-*.ttl``).
"""

from __future__ import annotations

import pytest

from loaders.curated import load_curated
from loaders.document import decode_text
from policykg.errors import InputError
from policykg.rdfio import format_for_media_type, not_utf8, parse_rdf
from policykg.settings import Settings
from policykg.vocab import Minter
from tests.sparql_helpers import running_client, sample_store

pytest_plugins = ["curation_helpers"]  # the fixtures reference_store and make_client


@pytest.fixture(scope="module")
def client():
    settings = Settings(query_timeout_s=10)
    with running_client(settings, sample_store(settings)) as (c, _):
        yield c


@pytest.mark.parametrize(("path", "allowed"), [
    ("/sparql", ["GET", "HEAD", "POST", "OPTIONS"]),
    ("/doc/region/CN", ["GET", "HEAD", "OPTIONS"]),
    ("/validate", ["GET", "HEAD", "POST", "OPTIONS"]),
])
def test_options_lists_what_the_resource_supports(client, path, allowed) -> None:
    r = client.options(path)
    assert r.status_code == 204, r.text
    assert [m.strip() for m in r.headers["allow"].split(",")] == allowed
    assert r.content == b""


def test_options_on_no_resource_is_404_and_405_allow_names_options(client) -> None:
    assert client.options("/no/such/path").status_code == 404
    r = client.request("PUT", "/sparql")
    assert r.status_code == 405 and "OPTIONS" in r.headers["allow"]


def test_cors_preflight_is_still_the_cors_answer(client) -> None:
    r = client.options("/sparql", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"})
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "*"
    assert "POST" in r.headers["access-control-allow-methods"]


CSV = ("record,title_en,genre,jurisdiction,level,issuers\n"
       "policy,Notice on Rooftop Solar,Notice,CN-ZJ,provincial,浙江省发展和改革委员会\n")


def test_a_gb18030_curated_csv_gets_line_column_and_the_encoding(tmp_path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(CSV.encode("gb18030"))
    with pytest.raises(InputError) as info:
        load_curated(path, Minter())
    err = info.value
    assert (err.line, err.column) == (2, CSV.splitlines()[1].index("浙") + 1)
    assert "GB18030" in str(err) and "save it as UTF-8" in str(err)
    assert str(err).startswith(f"{path}:2:{err.column}: ")


def test_a_byte_order_mark_does_not_shift_the_position(tmp_path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + CSV.encode("gb18030"))
    with pytest.raises(InputError) as info:
        load_curated(path, Minter())
    assert (info.value.line, info.value.column) == (2, CSV.splitlines()[1].index("浙") + 1)
    offset = 3 + len(CSV.encode("gb18030").split(b"\n")[0]) + 1 + CSV.splitlines()[1].index("浙")
    assert f"at byte offset {offset})" in str(info.value)


def test_a_latin1_briefing_is_no_gb18030_and_columns_count_characters() -> None:
    data = "Über 2025 — a line\nCafé ".encode("utf-8") + b"\xff\n"
    with pytest.raises(InputError) as info:
        decode_text(data, "brief.txt")
    assert (info.value.line, info.value.column) == (2, 6)  # "Café " is 5 characters, 6 bytes
    assert "0xff" in str(info.value) and "GB18030" not in str(info.value)


def test_rdf_input_that_is_not_utf8_says_where() -> None:
    data = '<http://a> <http://b> "ok" .\n<http://a> <http://b> "能源" .\n'.encode("gb18030")
    with pytest.raises(InputError) as info:
        parse_rdf(data, format_for_media_type("application/n-triples"), source="entry.nt")
    assert (info.value.line, info.value.column) == (2, 24) and "GB18030" in str(info.value)


def test_not_utf8_is_an_input_error_with_its_extras() -> None:
    data = b"abc\n\x80"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        err = not_utf8(data, exc, "x.ttl")
    assert err.status == 400 and err.problem()["line"] == 2 and err.problem()["column"] == 1


ISSUER_ROWS = (
    "kind,title_en,title_zh,genre,jurisdiction,city,level,issuers,source_url,publication_date\n"
    "policy,Notice on Coastal Wind Pilots,,Notice,CN-FJ,,national,Beijing Municipal Development and Reform "
    "Commission,https://fgw.beijing.gov.cn/x/202406/t1.html,2024-06\n"
    "policy,Plan for Zhejiang Wind,,Plan,CN-ZJ,,provincial,National Energy Administration,"
    "https://www.nea.gov.cn/x/202406/t3.html,2024-06\n"
    "policy,Plan for Heat Pumps,,Plan,CN,,national,Beijing Municipal Development and Reform Commission,"
    "https://fgw.beijing.gov.cn/x/202406/t4.html,2024-06\n")


def test_the_issuer_region_warning_comes_over_http_too(make_client) -> None:
    """POST /validate checks against the store's neighbourhood of the entries, which held the issuer's region but
    not the regions above it: the warning the command line gave was missing over HTTP (a newcomer)."""
    client, _ = make_client()
    with client:
        r = client.post("/validate", content=ISSUER_ROWS.encode(),
                        headers={"Content-Type": "text/csv", "Authorization": "Bearer secret"})
    assert r.status_code == 200, r.text
    warned = [x for x in r.json()["results"] if "is an agency of" in x["message"]]
    assert sorted(x["line"] for x in warned) == [2, 4] and all(x["field"] == "issuers" for x in warned), r.text


def test_a_curated_issuer_of_another_region_is_a_warning_at_its_cell(tmp_path) -> None:
    """The newcomer's row (jurisdiction CN-FJ, level national, a Beijing issuer) and a national row with the same
    issuer get the warning, pointing at the issuers cell; a provincial row issued by a national agency does not."""
    from typer.testing import CliRunner

    from policykg.cli import app as cli_app

    path = tmp_path / "entries.csv"
    path.write_text(ISSUER_ROWS, encoding="utf-8")
    result = CliRunner().invoke(cli_app, ["validate", "--no-store", str(path)])
    assert result.exit_code == 0, result.output  # warnings only
    warned = [line for line in result.output.splitlines() if "is an agency of" in line]
    assert len(warned) == 2, result.output
    assert all("region/CN-BJ" in line and "field 'issuers'" in line for line in warned)
    assert {line.split(f"{path}:")[1].split(":")[0] for line in warned} == {"2", "4"}


def test_sparql_csv_quotes_iris_with_commas_and_triple_terms(client) -> None:
    """Every evidence IRI has a comma (``#char=120,184``); pyoxigraph 0.5's CSV writer left such IRIs (and triple
    terms) unquoted, so a CSV reader split those rows into more fields than the header (a newcomer: 2,210 of
    10,000 rows of a SELECT * export)."""
    import csv
    import io

    q = ("SELECT ?s ?iri ?lit ?t WHERE { VALUES (?s ?iri ?lit) { (1 <http://example.org/b#char=12,40> \"a, \\\"b\\\"\") } "
         "BIND(<<( <http://a> <http://b> \"c,d\" )>> AS ?t) }")
    for params in ({"query": q}, {"query": q, "format": "csv"}):
        r = client.get("/sparql", params=params, headers={"Accept": "text/csv"})
        assert r.status_code == 200, r.text
        rows = list(csv.reader(io.StringIO(r.text, newline="")))
        assert rows == [["s", "iri", "lit", "t"],
                        ["1", "http://example.org/b#char=12,40", 'a, "b"', '<< http://a http://b "c,d" >>']]
    evidence = "SELECT ?x ?ev WHERE { ?x <https://w3id.org/policykg/ontology#evidence> ?ev }"
    rows = list(csv.reader(io.StringIO(client.get("/sparql", params={"query": evidence},
                                                  headers={"Accept": "text/csv"}).text, newline="")))
    assert len(rows) >= 2 and all(len(row) == 2 for row in rows) and "#char=10,60" in rows[1][1]


def test_sparql_csv_is_cut_at_the_row_limit_with_the_signal() -> None:
    settings = Settings(query_timeout_s=10, max_result_rows=3)
    with running_client(settings, sample_store(settings)) as (c, _):
        r = c.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o }"}, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["x-policykg-truncated"] == "true"
    assert len(r.text.strip().split("\r\n")) == 1 + 3

