"""``GET /validate``: a curator's form, posted as multipart/form-data to ``POST /validate``, which checks the
entries exactly as it checks a raw body; a refused form comes back filled in."""

from __future__ import annotations

import html
import re

import pytest

from tests.curation_helpers import make_client, reference_store  # noqa: F401 - fixtures

#: A policy with two violations (no English title, no jurisdiction), its subject on line 2.
BROKEN = ("@prefix pkg: <https://w3id.org/policykg/ontology#> .\n"
          "<https://w3id.org/policykg/id/policy/x> a pkg:Policy .\n")
#: A statement about a reference region: conforms.
FINE = '<https://w3id.org/policykg/id/region/CN-SD> <http://www.w3.org/2004/02/skos/core#altLabel> "Lu"@en .\n'
CSV = ("kind,title_en,title_zh,genre,jurisdiction,city,level,issuers,source_url,publication_date,instruments,"
       "sectors,indicator,year,value,unit,comparator,baseline_year,document_number,status,supersedes,bindingness\n"
       "policy,Guangdong Province Carbon Peaking Implementation Plan,,Implementation Plan,CN-GD,,provincial,"
       "Guangdong Provincial People's Government,https://example.org/gd.html,2022-13-01,planning target,energy,"
       ",,,,,,,in force,,\n")
HTML = {"Accept": "text/html"}
JSON = {"Accept": "application/json"}


@pytest.fixture
def client(make_client):  # noqa: F811
    return make_client()[0]


def _report(r) -> dict:
    """A JSON report without its time and the name each result gives its source (a file by its name, the
    raw body as ``request body``)."""
    doc = r.json()
    doc.pop("elapsed_s")
    for result in doc["results"]:
        result.pop("file")
    return doc


def _post(client, data, files=None, headers=JSON, **kwargs):
    """POST the form as a browser does: multipart/form-data, with an empty file part when no file is chosen
    (WHATWG HTML §4.10.21.4: a file control with no file selected is an empty part of name "")."""
    return client.post("/validate", data=data, files=files or {"file": ("", b"", "application/octet-stream")},
                       headers=headers, **kwargs)


def test_the_form_page(client):
    r = client.get("/validate", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    form = re.search(r'<form method="post" action="/validate" enctype="multipart/form-data"[^>]*>(.*?)</form>',
                     r.text, re.S).group(1)
    assert {"entries", "file", "format", "graph"} == set(re.findall(r'name="(\w+)"', form))
    offered = set(re.findall(r'<option value="([^"]*)"', form))
    assert offered == {"", "text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml",
                       "application/trig", "application/n-quads", "text/csv", "application/yaml"}
    assert 'href="/validate"' in client.get("/", headers=HTML).text  # in every page's navigation
    head = client.head("/validate", headers=HTML)
    assert head.status_code == 200 and head.content == b"" and head.headers["content-length"] == str(len(r.content))
    refused = client.get("/validate", headers=JSON)
    assert refused.status_code == 406 and "POST" in refused.json()["detail"]
    assert client.get("/validate", params={"x": "1"}, headers=HTML).status_code == 422


def test_pasted_entries_get_the_report_a_raw_body_gets(client):
    raw = client.post("/validate", content=BROKEN, headers={"Content-Type": "text/turtle", **JSON})
    form = _post(client, {"entries": BROKEN, "format": "text/turtle"})
    assert raw.status_code == form.status_code == 200
    assert _report(form) == _report(raw) and _report(form)["counts"]["Violation"] == 2
    page = _post(client, {"entries": BROKEN, "format": "text/turtle"}, headers=HTML)
    assert page.status_code == 200 and "Validation report: does not conform" in page.text
    assert re.search(r"<tr><td>Violation</td><td>2</td>", page.text)  # the line in the pasted text
    # the form comes again, filled in, to correct and send again
    assert _textarea(page.text) == BROKEN
    assert '<option value="text/turtle" selected>' in page.text
    fine = _post(client, {"entries": FINE, "format": "text/turtle"}, headers=HTML)
    assert "conforms" in fine.text and "1 focus node(s) checked: no problems found." in fine.text


@pytest.mark.parametrize("name, body, media_type", [
    ("entry.ttl", BROKEN, "text/turtle"), ("entries.csv", CSV, "text/csv"), ("ENTRY.TTL", BROKEN, "text/turtle")])
def test_a_file_is_read_by_its_suffix_or_the_format_chosen(client, name, body, media_type):
    raw = client.post("/validate", content=body, headers={"Content-Type": media_type, **JSON})
    by_suffix = _post(client, {"format": ""}, {"file": (name, body.encode())})
    chosen = _post(client, {"format": media_type}, {"file": ("upload", body.encode())})
    assert raw.status_code == by_suffix.status_code == chosen.status_code
    if raw.status_code == 200:
        assert _report(by_suffix) == _report(chosen) == _report(raw)
    else:  # the CSV's impossible date: the same problems, the file called by its name
        assert raw.json()["problems"] == chosen.json()["problems"] == by_suffix.json()["problems"]
        assert name in by_suffix.json()["detail"] or name in str(by_suffix.json())


@pytest.mark.parametrize("data, files, field", [
    ({"entries": BROKEN, "format": "text/turtle"}, {"file": ("e.ttl", BROKEN.encode())}, "entries"),  # both
    ({"entries": "  \n", "format": "text/turtle"}, None, "entries"),  # neither
    ({"format": "text/turtle"}, {"file": ("e.ttl", b"")}, "entries"),  # an empty file
    ({"entries": BROKEN}, None, "format"),  # pasted, no format
    ({"format": ""}, {"file": ("entries.txt", BROKEN.encode())}, "format"),  # a suffix that tells nothing
    ({"entries": BROKEN, "format": "text/turtle", "graph": "not an iri"}, None, "graph"),
    ({"entries": BROKEN, "format": "text/turtle", "graph": "https://w3id.org/policykg/graph/meta"}, None, "graph"),
    ({"entries": BROKEN, "format": "text/turtle", "grpah": "x"}, None, "grpah"),  # a field the form lacks
    ({"entries": BROKEN}, {"format": ("f", b"text/turtle")}, "format"),  # a text field sent as a file
])
def test_a_form_missing_or_contradicting_itself_is_a_400_naming_the_field(client, data, files, field):
    r = _post(client, data, files)
    assert r.status_code == 400 and r.json()["field"] == field, r.text
    page = _post(client, data, files, headers=HTML)
    assert page.status_code == 400 and '<form method="post" action="/validate"' in page.text
    # the control named is marked for assistive technology and points at the message (WAI-ARIA 1.2)
    marked = re.findall(r'name="(\w+)"[^>]*aria-invalid="true" aria-describedby="problem"', page.text)
    assert marked == ([field] if field in ("entries", "file", "format", "graph") else [])
    assert page.text.count('id="problem"') == 1


def test_a_syntax_error_names_line_and_column_and_refills_the_form(client):
    bad = BROKEN + '<https://w3id.org/policykg/id/policy/x> <http://purl.org/dc/terms/title> "open .\n'
    r = _post(client, {"entries": bad, "format": "text/turtle"})
    assert r.status_code == 400 and r.json()["line"] == 3 and "pasted entries" in r.json()["detail"]
    page = _post(client, {"entries": bad, "format": "text/turtle"}, headers=HTML)
    assert page.status_code == 400 and "Correct the entries" in page.text
    assert _textarea(page.text) == bad
    assert re.findall(r'name="(\w+)"[^>]*aria-invalid="true"', page.text) == ["entries"]
    in_file = _post(client, {"format": "text/turtle"}, {"file": ("e.ttl", bad.encode())}, headers=HTML)
    assert re.findall(r'name="(\w+)"[^>]*aria-invalid="true"', in_file.text) == ["file"]
    assert "aria-invalid" not in client.get("/validate", headers=HTML).text


def _textarea(page: str) -> str:
    """What the page's form holds in its entries field, as a browser reads it (WHATWG HTML §13.2.6.4.7: a
    newline right after the start tag is dropped)."""
    text = html.unescape(re.search(r'<textarea id="v-entries"[^>]*>(.*?)</textarea>', page, re.S).group(1))
    return text[1:] if text.startswith("\n") else text


def test_a_leading_blank_line_is_kept_so_lines_still_match(client):
    page = _post(client, {"entries": "\n\n" + BROKEN, "format": "text/turtle"}, headers=HTML)
    assert _textarea(page.text) == "\n\n" + BROKEN and re.search(r"<tr><td>Violation</td><td>4</td>", page.text)


def test_what_was_sent_is_shown_escaped(client):
    hostile = '</textarea><script>alert(1)</script>'
    page = _post(client, {"entries": hostile, "format": "text/turtle", "graph": '"><script>x</script>'},
                 headers=HTML)
    assert page.status_code == 400 and "<script>" not in page.text and "&lt;/textarea&gt;" in page.text


def test_the_graph_field_and_parameter(client):
    graph = "https://w3id.org/policykg/graph/my-entries"
    r = _post(client, {"entries": FINE, "format": "text/turtle", "graph": graph})
    assert r.status_code == 200
    same = _post(client, {"entries": FINE, "format": "text/turtle", "graph": graph}, params={"graph": graph})
    assert same.status_code == 200
    other = _post(client, {"entries": FINE, "format": "text/turtle", "graph": graph}, params={"graph": graph + "-2"})
    assert other.status_code == 400 and other.json()["field"] == "graph"


def test_nothing_is_written_and_merge_takes_no_form(make_client):  # noqa: F811
    client, store = make_client()
    before = store.data_version()
    assert _post(client, {"entries": FINE, "format": "text/turtle"}).status_code == 200
    merge = client.post("/merge", data={"entries": FINE, "format": "text/turtle"},
                        files={"file": ("", b"", "application/octet-stream")},
                        headers={"Authorization": "Bearer secret", **JSON})
    assert merge.status_code == 415
    assert store.data_version() == before


def test_a_form_over_the_body_limit_is_a_413(make_client):  # noqa: F811
    client, _ = make_client(max_upload_bytes=2_000)
    r = _post(client, {}, {"file": ("big.ttl", FINE.encode() * 40)})
    assert r.status_code == 413


def test_a_long_graph_name_for_a_curated_file_is_no_server_error(client):
    """The curated file is read under the graph's name, which a file system caps at 255 bytes (was a 500)."""
    graph = "https://w3id.org/policykg/graph/" + "a" * 300
    r = _post(client, {"entries": CSV, "format": "text/csv", "graph": graph})
    assert r.status_code == 400 and r.json()["problems"][0]["field"] == "publication_date"
    raw = client.post("/validate", params={"graph": graph}, content=CSV, headers={"Content-Type": "text/csv", **JSON})
    assert raw.status_code == 400 and raw.json()["problems"] == r.json()["problems"]


def test_a_browser_gets_a_page_for_a_declared_length_over_the_limit(make_client):  # noqa: F811
    client, _ = make_client(max_upload_bytes=2_000)
    page = _post(client, {}, {"file": ("big.ttl", FINE.encode() * 40)}, headers=HTML)
    assert page.status_code == 413 and page.headers["content-type"].startswith("text/html")
    assert '<form method="post" action="/validate"' in page.text
    raw = client.post("/validate", content=FINE.encode() * 40, headers={"Content-Type": "text/turtle", **HTML})
    assert raw.status_code == 413 and raw.headers["content-type"].startswith("text/html")
    assert client.post("/validate", content=FINE.encode() * 40,
                       headers={"Content-Type": "text/turtle"}).headers["content-type"].startswith("application/problem")


def test_a_validation_stopped_at_its_time_limit_is_a_page(make_client):  # noqa: F811
    client, _ = make_client(validate_timeout_s=0.001)
    page = _post(client, {"entries": BROKEN, "format": "text/turtle"}, headers=HTML)
    assert page.status_code == 503 and "The check was stopped" in page.text and _textarea(page.text) == BROKEN


def test_a_form_in_another_charset_is_refused(client):
    body = ("--b\r\nContent-Disposition: form-data; name=\"entries\"\r\n\r\n" + FINE +
            "\r\n--b\r\nContent-Disposition: form-data; name=\"format\"\r\n\r\ntext/turtle\r\n--b--\r\n")
    r = client.post("/validate", content=body.encode("latin-1"),
                    headers={"Content-Type": "multipart/form-data; boundary=b; charset=latin-1", **JSON})
    assert r.status_code == 415 and "UTF-8" in r.json()["detail"]
    ok = client.post("/validate", content=body.encode("utf-8"),
                     headers={"Content-Type": "multipart/form-data; boundary=b; charset=UTF-8", **JSON})
    assert ok.status_code == 200
