"""Hostile RDF input: ``policykg.rdfio.parse_rdf``, ``policykg validate``/``merge`` and ``POST /validate``.

Classes of input (``shared/design/library-pitfalls.md``): syntax errors at
known positions in Turtle, N-Triples, JSON-LD and RDF/XML; invalid IRIs and
escapes; language-tag case; deep nesting and long lists; huge literals; XML
entity expansion and external entities; JSON-LD remote, ``@import`` and file
contexts. Each must give a clear error (``InputError`` naming file, line and
column; exit 2; HTTP 400/413/415 problem+json), make no outbound request (a
loopback :class:`Recorder` is the target of every remote reference and must
see zero hits) and finish within a generous time bound.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from policykg.errors import InputError, PayloadTooLarge
from policykg.rdfio import FORMATS, parse_rdf
from policykg.settings import Settings
from policykg.store import OxigraphStore

from test_hardening_support import Recorder, client_for, dump_without_meta, need, recorder, timed  # noqa: F401

FMT = {f.name: f for f in FORMATS}
MEDIA = {"turtle": "text/turtle", "ntriples": "application/n-triples", "jsonld": "application/ld+json",
         "rdfxml": "application/rdf+xml"}
SUFFIX = {"turtle": ".ttl", "ntriples": ".nt", "jsonld": ".jsonld", "rdfxml": ".rdf"}
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
# Regression: positions of "at line L between columns C1 and C2" errors (IRI and escape errors) were once lost.

# (format, document, line, column): the exact 1-based position of the first error.
SYNTAX_ERRORS = [
    pytest.param("turtle", b"@prefix ex: <http://ex.org/> .\nex:a ex:b ex:c .\nex:a ex:b ;\n", 3, 11,
                 id="turtle-dangling-semicolon"),
    pytest.param("turtle", b"@prefix : <http://ex.org/> .\n:a :b :c .\n:a :b \"unterminated .\n:x :y :z .\n", 3, 7,
                 id="turtle-unterminated-string"),
    pytest.param("turtle", b"<http://ex.org/a> <http://ex.org/b> \"x\"@123 .\n", 1, 41, id="turtle-bad-language-tag"),
    pytest.param("turtle", b"# comment\n<http://ex.org/a> <http://ex.org/b> <http://ex.org/c d> .\n", 2, 37,
                 id="turtle-iri-with-space"),
    pytest.param("turtle", b"<http://ex.org/a> <http://ex.org/b> \"\\uD800\" .\n", 1, 38,
                 id="turtle-lone-surrogate-escape"),
    pytest.param("ntriples", b"<http://ex.org/a> <http://ex.org/b> <http://ex.org/c> .\n"
                             b"<http://ex.org/a> <http://ex.org/b> <http://ex.org/c>\n", 3, 1, id="ntriples-missing-dot"),
    pytest.param("ntriples", b"<http://ex.org/a> <http://ex.org/b> \"x\" .\n_:b1 <http://ex.org/b> <rel> .\n", 2, 24,
                 id="ntriples-relative-iri"),
    pytest.param("ntriples", b"<http://ex.org/a> <http://ex.org/b> \"\\U0011FFFF\" .\n", 1, 38,
                 id="ntriples-escape-beyond-unicode"),
    pytest.param("jsonld", b'{\n  "@id": "http://ex.org/a",\n  "http://ex.org/b": [1, 2,]\n}', 3, 28,
                 id="jsonld-trailing-comma"),
    pytest.param("jsonld", b'{\n "@id": "http://ex.org/a",\n "http://ex.org/b": "unterminated\n}', 3, 34,
                 id="jsonld-control-char-in-string"),
    pytest.param("rdfxml", b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="' + RDF_NS.encode() + b'">\n'
                           b'  <rdf:Description rdf:about="http://ex.org/a">\n</rdf:RDF>\n', 4, 3,
                 id="rdfxml-mismatched-tag"),
    pytest.param("rdfxml", b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="' + RDF_NS.encode() + b'">\n'
                           b'  <rdf:Description rdf:about="http://ex.org/a">\n<ex:p>x</ex:p></rdf:Description>\n'
                           b'</rdf:RDF>\n', 4, 1, id="rdfxml-unbound-prefix"),
]

# Inputs refused without a position (the parser gives none), but with a clear error naming the source.
REFUSED_NO_POSITION = [
    pytest.param("turtle", "<http://ex.org/a> <http://ex.org/b> \"x\" .\n".encode("utf-16"), id="turtle-utf16"),
    pytest.param("turtle", "<http://ex.org/a> <http://ex.org/b> \"中文\" .\n".encode("gbk"), id="turtle-gbk"),
    pytest.param("turtle", b"   \n\t\n", id="turtle-blank"),
    pytest.param("turtle", b"\x00\x01\x02\xff\xfe binary", id="turtle-binary"),
    pytest.param("jsonld", b'{\n "@id": 5,\n "http://ex.org/b": "x"\n}', id="jsonld-id-not-string"),
    pytest.param("jsonld", b'{"@id": "http://ex.org/a", "http://ex.org/b": {"@value": "x", "@language": 7}}',
                 id="jsonld-language-not-string"),
    pytest.param("rdfxml", b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="' + RDF_NS.encode()
                 + b'" xmlns:ex="http://ex.org/">\n <rdf:Description rdf:about="http://ex.org/a b">'
                   b'<ex:p>x</ex:p></rdf:Description>\n</rdf:RDF>\n', id="rdfxml-iri-with-space"),
    pytest.param("rdfxml", b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="' + RDF_NS.encode()
                 + b'" xmlns:ex="http://ex.org/">\n<ex:p>x</ex:p>\n</rdf:RDF>\n', id="rdfxml-stray-text"),
]


def _hostile_remote(base: str) -> list:
    """Documents that reference ``base`` (the recorder) as a context, an entity or a DTD."""
    lol_levels = "".join(f' <!ENTITY l{i} "{"&l%d;" % (i - 1) * 10}">\n' for i in range(1, 10))
    return [
        pytest.param("jsonld", f'{{"@context": "{base}ctx.jsonld", "@id": "http://ex.org/a", "ex:p": "x"}}'.encode(),
                     id="jsonld-remote-context"),
        pytest.param("jsonld", f'{{"@context": [{{"ex": "http://ex.org/"}}, "{base}ctx2.jsonld"], '
                               f'"@id": "ex:a", "ex:p": "x"}}'.encode(), id="jsonld-remote-context-in-array"),
        pytest.param("jsonld", f'{{"@context": {{"@import": "{base}import.jsonld"}}, "@id": "http://ex.org/a", '
                               f'"http://ex.org/p": "x"}}'.encode(), id="jsonld-import"),
        pytest.param("jsonld", f'{{"@context": {{"ex": "http://ex.org/", "ex:q": {{"@id": "ex:q", "@context": '
                               f'"{base}scoped.jsonld"}}}}, "@id": "ex:a", "ex:q": {{"ex:p": "x"}}}}'.encode(),
                     id="jsonld-scoped-remote-context"),
        pytest.param("jsonld", f'{{"@graph": [{{"@context": "{base}inner.jsonld", "@id": "http://ex.org/a", '
                               f'"http://ex.org/p": "x"}}]}}'.encode(), id="jsonld-nested-remote-context"),
        pytest.param("jsonld", b'{"@context": "file:///etc/passwd", "@id": "http://ex.org/a"}', id="jsonld-file-context"),
        pytest.param("jsonld", b'{"@context": "../../../../etc/hosts", "@id": "http://ex.org/a"}',
                     id="jsonld-relative-file-context"),
        pytest.param("rdfxml", f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY x SYSTEM "{base}xxe"> ]>\n'
                               f'<rdf:RDF xmlns:rdf="{RDF_NS}" xmlns:ex="http://ex.org/">\n'
                               f' <rdf:Description rdf:about="http://ex.org/a"><ex:p>&x;</ex:p></rdf:Description>\n'
                               f'</rdf:RDF>'.encode(), id="rdfxml-external-entity-http"),
        pytest.param("rdfxml", f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]>\n'
                               f'<rdf:RDF xmlns:rdf="{RDF_NS}" xmlns:ex="http://ex.org/">\n'
                               f' <rdf:Description rdf:about="http://ex.org/a"><ex:p>&x;</ex:p></rdf:Description>\n'
                               f'</rdf:RDF>'.encode(), id="rdfxml-external-entity-file"),
        pytest.param("rdfxml", f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY % p SYSTEM "{base}p.dtd"> %p; ]>\n'
                               f'<rdf:RDF xmlns:rdf="{RDF_NS}"/>'.encode(), id="rdfxml-parameter-entity"),
        pytest.param("rdfxml", f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n <!ENTITY l0 "lollollollol">\n'
                               f'{lol_levels}]>\n<rdf:RDF xmlns:rdf="{RDF_NS}" xmlns:ex="http://ex.org/">\n'
                               f' <rdf:Description rdf:about="http://ex.org/a"><ex:p>&l9;</ex:p></rdf:Description>\n'
                               f'</rdf:RDF>'.encode(), id="rdfxml-billion-laughs"),
    ]


# --------------------------------------------------------------------------------------------------
# parse_rdf (the one entry point every surface uses)


@pytest.mark.parametrize(("fmt", "data", "line", "column"), SYNTAX_ERRORS)
def test_parse_rdf_syntax_error_has_exact_position(fmt: str, data: bytes, line: int, column: int) -> None:
    with pytest.raises(InputError) as info:
        parse_rdf(data, FMT[fmt], source="doc" + SUFFIX[fmt])
    err = info.value
    assert (err.line, err.column) == (line, column), str(err)
    assert str(err).startswith(f"doc{SUFFIX[fmt]}:{line}:{column}: ")


@pytest.mark.parametrize(("fmt", "data"), REFUSED_NO_POSITION)
def test_parse_rdf_refuses_unreadable_input_naming_the_source(fmt: str, data: bytes) -> None:
    with pytest.raises(InputError) as info:
        parse_rdf(data, FMT[fmt], source="upload" + SUFFIX[fmt])
    assert str(info.value).startswith("upload" + SUFFIX[fmt]), str(info.value)
    assert info.value.status == 400


def test_parse_rdf_refuses_remote_references_without_fetching(recorder: Recorder) -> None:
    cases = _hostile_remote(recorder.url)
    for case in cases:
        fmt, data = case.values
        value, seconds = timed(lambda: parse_rdf(data, FMT[fmt], source="hostile"))
        assert isinstance(value, InputError), (case.id, value)
        assert seconds < 2, (case.id, seconds)
    assert recorder.hits == []


def test_parse_rdf_external_dtd_is_never_fetched(recorder: Recorder) -> None:
    """A DOCTYPE naming an external DTD (no entity used) may be read, but the DTD is never fetched."""
    doc = (f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF SYSTEM "{recorder.url}ext.dtd">\n'
           f'<rdf:RDF xmlns:rdf="{RDF_NS}" xmlns:ex="http://ex.org/">\n'
           f' <rdf:Description rdf:about="http://ex.org/a"><ex:p>x</ex:p></rdf:Description>\n</rdf:RDF>').encode()
    value, seconds = timed(lambda: parse_rdf(doc, FMT["rdfxml"], source="ext.rdf"))
    assert not isinstance(value, BaseException) or isinstance(value, InputError), value
    assert seconds < 2
    assert recorder.hits == []


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld", "rdfxml"])
def test_parse_rdf_size_limit_is_checked_before_parsing(fmt: str) -> None:
    data = b"x" * 2001
    with pytest.raises(PayloadTooLarge) as info:
        parse_rdf(data, FMT[fmt], source="big", max_bytes=2000)
    assert info.value.status == 413


def test_parse_rdf_huge_literal_under_the_limit_is_read_quickly() -> None:
    data = b'<http://ex.org/a> <http://ex.org/b> "' + b"x" * 9_000_000 + b'" .\n'
    value, seconds = timed(lambda: parse_rdf(data, FMT["turtle"], source="huge.ttl"))
    assert not isinstance(value, BaseException), value
    assert len(value) == 1 and seconds < 10


def test_parse_rdf_huge_literal_over_the_limit_is_413() -> None:
    data = b'<http://ex.org/a> <http://ex.org/b> "' + b"x" * 10_000_001 + b'" .\n'
    with pytest.raises(PayloadTooLarge):
        parse_rdf(data, FMT["turtle"], source="huge.ttl")


@pytest.mark.parametrize(("opener", "closer", "kind"), [
    (b"[ <http://ex.org/p> ", b"]", "blank-node-property-lists"),
    (b"(", b")", "collections"),
])
def test_parse_rdf_deep_turtle_nesting_is_no_crash(opener: bytes, closer: bytes, kind: str) -> None:
    """100,000 nested ``[`` or ``(``: read (the Turtle parser is not recursive) or refused, never a crash."""
    depth = 100_000
    inner = b"1" if opener.startswith(b"[") else b""
    data = b"<http://ex.org/a> <http://ex.org/b> " + opener * depth + inner + closer * depth + b" .\n"
    value, seconds = timed(lambda: parse_rdf(data, FMT["turtle"], source="deep.ttl"))
    assert not isinstance(value, BaseException) or isinstance(value, InputError), repr(value)
    assert seconds < 20, seconds


@pytest.mark.parametrize("data", [
    b"[" * 100_000 + b"]" * 100_000,
    b'{"@id":"http://ex.org/a","http://ex.org/b":' + b'{"http://ex.org/b":' * 100_000 + b"1" + b"}" * 100_001,
], ids=["arrays", "objects"])
def test_parse_rdf_deep_jsonld_nesting_is_an_input_error(data: bytes) -> None:
    value, seconds = timed(lambda: parse_rdf(data, FMT["jsonld"], source="deep.jsonld"))
    assert isinstance(value, InputError), repr(value)
    assert seconds < 10


def test_parse_rdf_deep_rdfxml_nesting_is_no_crash() -> None:
    depth = 5_000
    data = (f'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="{RDF_NS}" xmlns:ex="http://ex.org/">'.encode()
            + b"<rdf:Description><ex:p>" * depth + b"</ex:p></rdf:Description>" * depth + b"</rdf:RDF>")
    value, seconds = timed(lambda: parse_rdf(data, FMT["rdfxml"], source="deep.rdf"))
    assert isinstance(value, InputError) or not isinstance(value, BaseException), repr(value)
    assert seconds < 20


def test_parse_rdf_long_list_cost_is_bounded_at_the_upload_limit() -> None:
    """Extrapolate the cost of a 40,000-element list (80 kB) to a body of ``max_upload_bytes``."""
    n = 40_000
    data = b"<http://ex.org/a> <http://ex.org/b> (" + b" 1" * n + b") .\n"
    value, seconds = timed(lambda: parse_rdf(data, FMT["turtle"], source="list.ttl"))
    if isinstance(value, InputError):
        return  # refused: bounded
    assert not isinstance(value, BaseException), value
    per_byte = seconds / len(data)
    assert per_byte * Settings().max_upload_bytes < 30, f"{per_byte * Settings().max_upload_bytes:.0f} s at the limit"


@pytest.mark.parametrize(("fmt", "doc"), [
    ("turtle", b'<http://ex.org/a> <http://ex.org/b> "x"@EN-gb .'),
    ("ntriples", b'<http://ex.org/a> <http://ex.org/b> "x"@EN-GB .\n'),
    ("jsonld", b'{"@id": "http://ex.org/a", "http://ex.org/b": {"@value": "x", "@language": "En-Gb"}}'),
    ("rdfxml", f'<rdf:RDF xmlns:rdf="{RDF_NS}" xmlns:ex="http://ex.org/"><rdf:Description '
               f'rdf:about="http://ex.org/a"><ex:b xml:lang="EN-gb">x</ex:b></rdf:Description></rdf:RDF>'.encode()),
])
def test_language_tags_are_read_case_insensitively(fmt: str, doc: bytes) -> None:
    """RDF 1.1 Concepts §3.3: language tags compare case-insensitively; every syntax gives one normal form."""
    ds = parse_rdf(doc, FMT[fmt], source="lang")
    (obj,) = [o for _, _, o in ds.default_graph]
    assert obj.language == "en-gb"


@pytest.mark.parametrize("doc", [
    b'<http://ex.org/a> <http://ex.org/b> "\\u0000" .',
    "<http://ex.org/a> <http://ex.org/b> \"x\u202e\ufeff\U0010FFFF\" .".encode(),
    b'<http://ex.org/a> <http://ex.org/b> "\\U0001F600\\t\\"" .',
    b'<http://ex.org/a> <http://ex.org/b> <http://[::1]:99999/x> .',
    b'<http://ex.org/a> <http://ex.org/b> <javascript:alert(1)> .',
])
def test_odd_but_valid_unicode_and_iris_are_read_exactly(doc: bytes) -> None:
    """Escapes and rare code points are kept as written (no silent change, no crash)."""
    ds = parse_rdf(doc, FMT["turtle"], source="odd.ttl")
    assert len(ds.default_graph) == 1


# --------------------------------------------------------------------------------------------------
# the CLI: policykg validate / merge


def _cli():
    need("policykg.reference", "policykg.reference (ontology/reference graph loading used by ingest)")
    from typer.testing import CliRunner  # noqa: PLC0415

    from policykg.cli import app  # noqa: PLC0415

    return CliRunner(), app


def _seed_store(path: Path) -> bytes:
    """A store holding one document graph; returns its dump (without the meta graph) as one blob."""
    import rdflib  # noqa: PLC0415

    base = Settings().base_iri
    with OxigraphStore(path, base) as st:
        g = rdflib.Graph()
        g.add((rdflib.URIRef(base + "policy/seed"), rdflib.RDFS.label, rdflib.Literal("seed")))
        st.replace_graphs({rdflib.URIRef(base + "graph/seed"): g})
        return b"\n".join(dump_without_meta(st.dump_nquads()))


def _store_dump(path: Path) -> bytes:
    with OxigraphStore(path, Settings().base_iri) as st:
        return b"\n".join(dump_without_meta(st.dump_nquads()))


@pytest.mark.parametrize("command", ["validate", "merge"])
@pytest.mark.parametrize(("fmt", "data", "line", "column"),
                         [p for p in SYNTAX_ERRORS if not p.marks])
def test_cli_syntax_error_exit_2_names_file_line_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        command: str, fmt: str, data: bytes, line: int,
                                                        column: int) -> None:
    runner, app = _cli()
    monkeypatch.chdir(tmp_path)
    before = _seed_store(tmp_path / "store")
    name = "bad" + SUFFIX[fmt]
    (tmp_path / name).write_bytes(data)
    result = runner.invoke(app, [command, name, "--store", str(tmp_path / "store")])
    assert result.exit_code == 2, (result.output, result.exception)
    assert f"{name}:{line}:{column}:" in result.stderr
    assert _store_dump(tmp_path / "store") == before


@pytest.mark.parametrize("command", ["validate", "merge"])
def test_cli_remote_references_exit_2_without_fetching(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       recorder: Recorder, command: str) -> None:
    runner, app = _cli()
    monkeypatch.chdir(tmp_path)
    before = _seed_store(tmp_path / "store")
    for i, case in enumerate(_hostile_remote(recorder.url)):
        fmt, data = case.values
        name = f"hostile{i}{SUFFIX[fmt]}"
        (tmp_path / name).write_bytes(data)
        started = time.perf_counter()
        result = runner.invoke(app, [command, name, "--store", str(tmp_path / "store")])
        assert result.exit_code == 2, (case.id, result.output, result.exception)
        assert name in result.stderr, case.id
        assert time.perf_counter() - started < 10, case.id
    assert recorder.hits == []
    assert _store_dump(tmp_path / "store") == before


@pytest.mark.parametrize("command", ["validate", "merge"])
def test_cli_oversized_and_undecodable_files_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    command: str) -> None:
    runner, app = _cli()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("POLICYKG_MAX_UPLOAD_BYTES", "5000")
    before = _seed_store(tmp_path / "store")
    files = {
        "big.ttl": b'<http://ex.org/a> <http://ex.org/b> "' + b"x" * 6000 + b'" .\n',
        "utf16.ttl": "<http://ex.org/a> <http://ex.org/b> \"x\" .\n".encode("utf-16"),
        "gbk.nt": "<http://ex.org/a> <http://ex.org/b> \"中文\" .\n".encode("gbk"),
        "empty.jsonld": b"",
        "weird.suffix": b"<http://ex.org/a> <http://ex.org/b> <http://ex.org/c> .",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        result = runner.invoke(app, [command, name, "--store", str(tmp_path / "store")])
        assert result.exit_code == 2, (name, result.output, result.exception)
        assert name in result.stderr, (name, result.stderr)
    result = runner.invoke(app, [command, "missing.ttl", "--store", str(tmp_path / "store")])
    assert result.exit_code == 2 and "missing.ttl" in result.stderr
    assert _store_dump(tmp_path / "store") == before


# --------------------------------------------------------------------------------------------------
# POST /validate


@pytest.fixture
def api_client(tmp_path: Path):
    need("policykg.reference", "policykg.reference (ontology/reference graph loading)")
    settings = Settings(store_path=tmp_path / "store", max_upload_bytes=200_000)
    store = OxigraphStore(tmp_path / "store", settings.base_iri)
    with client_for(settings, store) as client:
        yield client
    store.close()


def _problem(resp) -> dict:  # noqa: ANN001
    assert resp.headers["content-type"].startswith("application/problem+json"), resp.headers
    body = resp.json()
    assert body["status"] == resp.status_code
    assert body["title"] and body["detail"]
    return body


@pytest.mark.parametrize(("fmt", "data", "line", "column"), [p for p in SYNTAX_ERRORS if not p.marks])
def test_post_validate_syntax_error_is_400_with_line_and_column(api_client, fmt: str, data: bytes, line: int,
                                                                column: int) -> None:
    resp = api_client.post("/validate", content=data, headers={"Content-Type": MEDIA[fmt]})
    assert resp.status_code == 400, resp.text
    body = _problem(resp)
    assert (body.get("line"), body.get("column")) == (line, column)


def test_post_validate_remote_references_400_without_fetching(api_client, recorder: Recorder) -> None:
    for case in _hostile_remote(recorder.url):
        fmt, data = case.values
        started = time.perf_counter()
        resp = api_client.post("/validate", content=data, headers={"Content-Type": MEDIA[fmt]})
        assert resp.status_code == 400, (case.id, resp.text)
        _problem(resp)
        assert time.perf_counter() - started < 10, case.id
    assert recorder.hits == []


@pytest.mark.parametrize(("content_type", "data"), [
    ("application/pdf", b"%PDF-1.4"),
    ("text/html", b"<html></html>"),
    ("application/x-www-form-urlencoded", b"a=b"),
    ("", b"<http://ex.org/a> <http://ex.org/b> <http://ex.org/c> ."),
    ("text/turtle\x7f; charset=\"", b"<http://ex.org/a> <http://ex.org/b> <http://ex.org/c> ."),
])
def test_post_validate_unsupported_media_type_is_415(api_client, content_type: str, data: bytes) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    resp = api_client.post("/validate", content=data, headers=headers)
    assert resp.status_code == 415, resp.text
    _problem(resp)


def test_post_validate_body_over_limit_is_413_declared_and_chunked(api_client) -> None:
    big = b'<http://ex.org/a> <http://ex.org/b> "' + b"x" * 250_000 + b'" .\n'
    resp = api_client.post("/validate", content=big, headers={"Content-Type": "text/turtle"})
    assert resp.status_code == 413
    _problem(resp)

    def chunks():
        for i in range(0, len(big), 16_384):
            yield big[i:i + 16_384]

    resp = api_client.post("/validate", content=chunks(), headers={"Content-Type": "text/turtle"})
    assert resp.status_code == 413, resp.text
    _problem(resp)


@pytest.mark.parametrize(("fmt", "data"), REFUSED_NO_POSITION)
def test_post_validate_unreadable_body_is_400(api_client, fmt: str, data: bytes) -> None:
    resp = api_client.post("/validate", content=data, headers={"Content-Type": MEDIA[fmt]})
    assert resp.status_code == 400, resp.text
    _problem(resp)


def test_post_validate_deep_jsonld_is_400(api_client) -> None:
    resp = api_client.post("/validate", content=b"[" * 50_000 + b"]" * 50_000,
                           headers={"Content-Type": "application/ld+json"})
    assert resp.status_code == 400, resp.status_code


def test_post_validate_deep_turtle_is_answered_in_bounded_time(api_client) -> None:
    depth = 10_000
    data = b"<http://ex.org/a> <http://ex.org/b> " + b"[ <http://ex.org/p> " * depth + b"1" + b"]" * depth + b" .\n"
    started = time.perf_counter()
    resp = api_client.post("/validate", content=data, headers={"Content-Type": "text/turtle"})
    assert resp.status_code in (200, 400, 413, 422), resp.text
    assert time.perf_counter() - started < 60


def test_cli_error_keeps_file_line_column_on_one_line(tmp_path: Path) -> None:
    runner, app = _cli()
    deep = tmp_path / ("a-rather-long-directory-name-" * 2) / "another-long-directory-level"
    deep.mkdir(parents=True)
    bad = deep / "bad-file.ttl"
    bad.write_bytes(b"@prefix ex: <http://ex.org/> .\nex:a ex:b ex:c .\nex:a ex:b ;\n")
    result = runner.invoke(app, ["validate", str(bad), "--no-store"])
    assert result.exit_code == 2
    assert any(f"{bad}:3:11:" in line for line in result.stderr.splitlines()), result.stderr
