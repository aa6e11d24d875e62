"""Session 16 attacks (helper 19) on the recent changes:

1. ``validation.subject_lines`` / ``_statements``: a shape result on a Turtle-family input placed on the line of
   its property as written;
2. ``loaders.curated._read_quantity``: units with a power of ten ("10,000 tons") and rates kept as written;
   the "a policy needs its jurisdiction" message;
3. ``api.resources``: a concept page without its count is sent ``no-store`` without ETag.

Attacks that hold are plain tests. Tests under a '# fixed (was a strict xfail)' comment were defects, fixed in the
same session (the comment keeps the defect as it was found).
"""
from __future__ import annotations

import functools
import subprocess
import sys
import threading

import pytest
from loader_helpers import assert_linear
from serve_helpers import post_validate
from rdflib import Dataset, Graph

from loaders.curated import CSV_COLUMNS, load_curated
from policykg.errors import InputError
from policykg.settings import PROJECT_ROOT
from policykg.validation import _statements, subject_lines
from policykg.vocab import PKG, Minter

# ============================================================================ 1. Turtle layout scanner

E = "http://e/"


def _graph(text: str) -> Graph:
    """``text`` as an RDF parser reads it (TriG is a superset of Turtle), with its prefixes bound (last wins,
    as ``policykg.ingest._subject_lines`` binds them)."""
    ds = Dataset()
    ds.parse(data=text, format="trig")
    g = Graph()
    for s, p, o, _ in ds.quads():
        g.add((s, p, o))
    for prefix, ns in ds.namespaces():
        g.bind(prefix, ns, override=True, replace=True)
    return g


def _places(text: str) -> dict[str, dict[str, int]]:
    """``{subject: {property: line}}`` of :func:`subject_lines`, after checking that each place's column
    points at the predicate as written."""
    lines = text.splitlines()
    out = {}
    for subject, loc in subject_lines(text, _graph(text), "f").items():
        for token, line, column in loc.fields.values():
            assert lines[line - 1][column - 1:].startswith(token), (subject, token, line, column)
        out[subject] = {p: line for p, (_, line, _) in loc.fields.items()}
    return out


HOLDING = {
    "number then dot": ("@prefix ex: <http://e/> .\nex:s ex:p 1.\nex:t ex:q 2 .\n",
                        {"s": {"p": 2}, "t": {"q": 3}}),
    "semicolon then dot": ("@prefix ex: <http://e/> .\nex:s ex:p 1 ; .\nex:t ex:q 2 .\n",
                           {"s": {"p": 2}, "t": {"q": 3}}),
    "numbers": ("@prefix ex: <http://e/> .\nex:s ex:p .5 , 1e10 , -1.5E-3 , +7 ;\n ex:q 2.0 .\nex:t ex:r 3.\n",
                {"s": {"p": 2, "q": 3}, "t": {"r": 4}}),
    "lang and datatype then dot": ('@prefix ex: <http://e/> .\nex:s ex:p "x"@en-US.\nex:t ex:q "y"^^ex:d.\n'
                                   'ex:u ex:r "z"^^<http://e/d> .\n',
                                   {"s": {"p": 2}, "t": {"q": 3}, "u": {"r": 4}}),
    "long strings with punctuation": ("@prefix ex: <http://e/> .\nex:s ex:p '''a # b . c ; d > e\n"
                                      "ex:t ex:q 1 .\n''' ;\n ex:q \"\"\"x \\\"\"\" . ; #\"\"\" .\n"
                                      "ex:t ex:r 'it\\'s # ; .'\n.\n",
                                      {"s": {"p": 2, "q": 5}, "t": {"r": 6}}),
    "escaped backslashes before quotes": ('@prefix ex: <http://e/> .\nex:s ex:p "a\\\\" ; ex:q """b\\\\""" .\n'
                                          'ex:t ex:r 1 .\n', {"s": {"p": 2, "q": 2}, "t": {"r": 3}}),
    "IRIs with # and prefixed names with dots": ("@prefix ex: <http://e/> .\n<http://e/s> <http://e/p#x> "
                                                 "<http://e/o#frag> ;\n ex:a.b ex:c.d .\nex:t.u ex:q 1 .\n",
                                                 {"s": {"p#x": 2, "a.b": 3}, "t.u": {"q": 4}}),
    "SPARQL-style directives in any case": ("BASE <http://e/>\nprefix ex: <http://e/>\nPrefix c: <http://c/>\n"
                                            "<s> ex:p 1 .\nex:t ex:q 2 .\nex:u a c:C ; ex:r 3 .\n",
                                            {"s": {"p": 4}, "t": {"q": 5}, "u": {"22-rdf-syntax-ns#type": 6, "r": 6}}),
    "nested blank nodes and collections": ("@prefix ex: <http://e/> .\n[ ex:n 1 ] ex:m 2 .\n( ex:a ex:b ) ex:m 3 .\n"
                                           "ex:s ex:p [ ex:n [ ex:n ( 1 [ ex:x 2 ] ) ] ; ex:y 3 ] ;\n ex:q ( ) .\n"
                                           "ex:t ex:r [] .\n", {"s": {"p": 4, "q": 5}, "t": {"r": 6}}),
    "comments at odd places": ("@prefix ex: <http://e/> . # a comment . ;\nex:s # here\n ex:p # there\n 1 # ; .\n"
                               " ; # x\n ex:q [ # ] ; .\n ex:n 1 ] .\nex:t ex:r 1 .# end\n",
                               {"s": {"p": 3, "q": 6}, "t": {"r": 8}}),
    "TriG graphs": ("@prefix ex: <http://e/> .\nGRAPH ex:g { ex:s ex:p 1 }\ngraph <http://e/g2> {\n ex:t ex:q 2 .\n"
                    " ex:s ex:r \"}\" }\n{ ex:u ex:v 3 }\nex:g3 { ex:t ex:w ( \"{\" ) }\n_:g4 { ex:u ex:x 4 }\n"
                    "[] { ex:u ex:y 5 }\n",
                    {"s": {"p": 2, "r": 5}, "t": {"q": 4, "w": 7}, "u": {"v": 6, "x": 8, "y": 9}}),
    "true, false and a without spaces": ("@prefix ex: <http://e/> .\nex:s a ex:C;ex:p true;ex:q false.\n",
                                         {"s": {"22-rdf-syntax-ns#type": 2, "p": 2, "q": 2}}),
}


@pytest.mark.parametrize("name", sorted(HOLDING))
def test_valid_unusual_turtle_is_placed(name: str) -> None:
    text, expected = HOLDING[name]
    got = _places(text)
    want = {E + s: {("http://www.w3.org/1999/02/" + p if p.startswith("22-") else E + p): line
                    for p, line in props.items()} for s, props in expected.items()}
    assert got == want, (got, want)


# --- defects: valid Turtle that the scanner misreads, so that one subject gets another's properties

MISREAD = {
    # "." right after an IRI or a string, then the next subject on the same line (Turtle §2.3: no space needed)
    "dot glued to the next subject after an IRI": '<http://e/s> <http://e/p> <http://e/o>.<http://e/t> '
                                                  '<http://e/n> "x" ;\n <http://e/q> 1 .\n',
    "dot glued to the next subject after a string": '@prefix ex: <http://e/> .\nex:s ex:p "o".ex:t ex:n "x" ;\n'
                                                    ' ex:q 1 .\n',
    # PN_LOCAL_ESC (Turtle §6.4: \# \' \; \, in a prefixed name's local part)
    "escaped # in a prefixed name": '@prefix ex: <http://e/> .\nex:s ex:p ex:o\\#x .\nex:t ex:n "x" ;\n ex:q 1 .\n',
    "escaped ' in a prefixed name": "@prefix ex: <http://e/> .\nex:s ex:p ex:o\\'x .\nex:t ex:n \"x\" ;\n ex:q 1 .\n",
}


# fixed (was a strict xfail): validation._statements (policykg/validation.py:896 and token_at l.845/_TOKEN_END
# l.801) does not end a statement at a '.' glued to the next token ('<o>.<t>', '"o".ex:t': the '.' is read as a
# token only when followed by white space), and token_at stops a prefixed name at an escaped '\#' or '\''
# (PN_LOCAL_ESC), reading the rest as a comment or a string; the next subject's statement is then read as the
# previous subject's, and its property 'q' is placed on that subject
@pytest.mark.parametrize("name", sorted(MISREAD))
def test_a_statement_ending_without_space_or_an_escaped_local_name_is_not_misread(name: str) -> None:
    text = MISREAD[name]
    got = _places(text)
    assert E + "q" not in got.get(E + "s", {}), got  # ex:s never writes ex:q
    assert got.get(E + "t", {}).get(E + "q") == text.splitlines().index(
        next(line for line in text.splitlines() if "q> 1" in line or "ex:q 1" in line)) + 1, got


# fixed (was a strict xfail): a prefix bound twice (valid Turtle: a directive holds until the next one) is read
# with its last binding for every predicate (validation._predicate_iri with one prefix map; ingest._subject_lines
# binds the last): 'q:jurisdiction' written under q: <notes#> is taken for pkg:jurisdiction, so the missing-
# jurisdiction violation points at a line that writes another property
def test_a_rebound_prefix_does_not_misplace_a_result_in_the_cli(tmp_path) -> None:
    text = REBOUND
    path = tmp_path / "rebound.ttl"
    path.write_text(text, encoding="utf-8")
    out = _cli_validate(path)
    line = text.splitlines().index('  q:jurisdiction "to be checked" ;') + 1
    assert "Violation" in out and "pkg:jurisdiction" in out, out
    assert f"rebound.ttl:{line}:" not in out, out


def _cli_validate(path) -> str:
    out = subprocess.run([sys.executable, "-m", "policykg.cli", "validate", str(path), "--no-store"],
                         capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300)
    assert out.returncode in (0, 1), out.stdout + out.stderr
    return out.stdout


POLICY_A = """<https://w3id.org/policykg/id/policy/cn-notice-on-example-places> a pkg:Policy ;
  dcterms:title "Notice on Example Places"@en ;
  pkg:genre <https://w3id.org/policykg/id/genre/notice> ;
  pkg:governmentLevel pkg:National ;
  pkg:sourceURL """
POLICY_B = """<https://w3id.org/policykg/id/policy/cn-notice-on-other-places> a pkg:Policy ;
  dcterms:title "Notice on Other Places"@en ;
  pkg:genre <https://w3id.org/policykg/id/genre/notice> ;
  pkg:governmentLevel pkg:National ;
  pkg:jurisdiction <https://w3id.org/policykg/id/region/CN> ;
  pkg:sourceURL <https://www.ndrc.gov.cn/other.html> .
"""
HEAD = """@prefix pkg: <https://w3id.org/policykg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix src: <https://www.ndrc.gov.cn/> .
"""
# policy A has no jurisdiction (a violation on pkg:jurisdiction); policy B, written after it, has one
GLUED = HEAD + POLICY_A + "<https://www.ndrc.gov.cn/example.html>." + POLICY_B
ESCAPED = HEAD + POLICY_A + "src:example\\#top .\n" + POLICY_B
REBOUND = """@prefix pkg: <https://w3id.org/policykg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix q: <http://example.org/notes#> .
<https://w3id.org/policykg/id/policy/cn-notice-on-example-places> a pkg:Policy ;
  dcterms:title "Notice on Example Places"@en ;
  pkg:genre <https://w3id.org/policykg/id/genre/notice> ;
  pkg:governmentLevel pkg:National ;
  q:jurisdiction "to be checked" ;
  pkg:sourceURL <https://www.ndrc.gov.cn/example.html> .
@prefix q: <https://w3id.org/policykg/ontology#> .
<https://w3id.org/policykg/id/policy/cn-notice-on-other-places> a pkg:Policy ;
  dcterms:title "Notice on Other Places"@en ;
  q:genre <https://w3id.org/policykg/id/genre/notice> ;
  q:governmentLevel pkg:National ;
  q:jurisdiction <https://w3id.org/policykg/id/region/CN> ;
  q:sourceURL <https://www.ndrc.gov.cn/other.html> .
"""
B_JURISDICTION_LINE = POLICY_B.splitlines().index("  pkg:jurisdiction <https://w3id.org/policykg/id/region/CN> ;")


# fixed (was a strict xfail): CLI: policy A's missing-jurisdiction violation is reported at the line of policy B's
# pkg:jurisdiction, because '<...example.html>.<policy B>' (no space after '.') is not read as the end of A's
# statement by validation._statements
def test_the_cli_places_a_missing_jurisdiction_on_its_own_policy(tmp_path) -> None:
    path = tmp_path / "glued.ttl"
    path.write_text(GLUED, encoding="utf-8")
    out = _cli_validate(path)
    b_line = GLUED.splitlines().index("  pkg:jurisdiction <https://w3id.org/policykg/id/region/CN> ;") + 1
    assert "A policy applies to exactly one jurisdiction" in out, out
    assert f"glued.ttl:{b_line}:" not in out, out


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory):
    from serve_helpers import reference_seed
    return reference_seed(tmp_path_factory.mktemp("seed19"))


# fixed (was a strict xfail): POST /validate: policy A's missing-jurisdiction violation comes back with the line
# and column of policy B's pkg:jurisdiction, because an escaped '\#' in a prefixed name (src:example\#top,
# PN_LOCAL_ESC) starts a comment for validation._statements, which eats A's final '.'
def test_post_validate_places_a_missing_jurisdiction_on_its_own_policy(seed) -> None:
    r = post_validate(seed, ESCAPED)
    assert r.status_code == 200, r.text
    b_line = ESCAPED.splitlines().index("  pkg:jurisdiction <https://w3id.org/policykg/id/region/CN> ;") + 1
    results = [x for x in r.json()["results"] if x["path"] == str(PKG.jurisdiction)]
    assert results and all(x["line"] != b_line for x in results), results


# fixed (was a strict xfail): policykg/ingest.py:337 _PREFIX = r'^\s*(?:@prefix\s+|PREFIX\s+)...' with re.M:
# '^\s*' spans newlines, so each of n blank lines re-reads all the rest: quadratic (20,000 blank lines: ~7 s,
# 80,000: ~110 s) before subject_lines runs, on every Turtle given to the CLI or POST /validate
def test_the_subject_lines_of_a_turtle_with_blank_lines_stay_linear() -> None:
    from policykg.ingest import _subject_lines

    def make(n: int) -> tuple[str, Graph]:
        text = "\n" * n + "<http://e/s> <http://e/p> 1 .\n"
        return text, Graph().parse(data=text, format="turtle")
    assert_linear(lambda a: _subject_lines(a[0], a[1], "f"), make, 12_000, factor=6, bound=15.0)


def test_the_scanner_stays_linear_on_hostile_layouts() -> None:
    run = lambda text: list(_statements(text))  # noqa: E731
    assert_linear(run, lambda n: '<http://e/s> <http://e/p> """' + '\\"""' * n + '""" .\n', 100_000)
    assert_linear(run, lambda n: "<http://e/s> <http://e/p> 1 " + ";" * n + " .\n", 400_000)
    assert_linear(run, lambda n: "<http://e/s> <http://e/p> " + "[ <http://e/q> " * n + "1" + " ]" * n + " .\n",
                  100_000)
    assert_linear(run, lambda n: "".join(f"<http://e/g{i}> {{ <http://e/s> <http://e/p> {i} }}\n"
                                         for i in range(n)), 40_000)
    assert_linear(run, lambda n: '<http://e/s> <http://e/p> """' + ("\\\\" * 50 + '\\"""') * n + 'x""" .\n', 4_000)


def test_subject_lines_stay_linear_in_subjects() -> None:
    def make(n: int) -> tuple[str, Graph]:
        text = "@prefix ex: <http://e/> .\n" + "".join(f'ex:s{i} ex:p{i % 7} "a ; . #" ; ex:q [ ex:r 1 ] .\n'
                                                       for i in range(n))
        return text, Graph().parse(data=text, format="turtle")
    assert_linear(lambda a: subject_lines(a[0], a[1], "f"), make, 8_000)


# ============================================================================ 2. curated units

POLICY = {"kind": "policy", "title_en": "Implementation Plan for Example Green Hydrogen", "genre": "Implementation Plan",
          "jurisdiction": "CN-HE", "level": "provincial", "publication_date": "2024-05-15",
          "source_url": "https://hbdrc.hebei.gov.cn/example/1.html"}


def _csv(path, rows: list[dict[str, str]], columns=CSV_COLUMNS) -> None:
    def cell(v: str) -> str:
        return f'"{v}"' if "," in v else v
    path.write_text("\n".join([",".join(columns)] + [",".join(cell(r.get(c, "")) for c in columns) for r in rows])
                    + "\n", encoding="utf-8")


@functools.lru_cache(maxsize=1)
def _lexicon() -> dict[str, Graph]:
    """The reference data and vocabularies load_curated reads by default, read once for the module."""
    from policykg.reference import load_ontology_graph, load_reference_graph
    return {"reference": load_reference_graph(PROJECT_ROOT / "ontology"),
            "vocabularies": load_ontology_graph(PROJECT_ROOT / "ontology")}


def _load(path):
    return load_curated(path, Minter(), **_lexicon())


def _target(tmp_path, value: str, unit: str) -> tuple:
    """``(value, unit text, normalised value or None)`` of one curated target, or raises InputError."""
    path = tmp_path / "t.csv"
    _csv(path, [POLICY, {"kind": "target", "indicator": "x", "year": "2027", "value": value, "unit": unit}])
    g = _load(path).graph
    t = next(g.subjects(PKG.indicator, None))
    n = g.value(t, PKG.normalizedValue)
    return str(g.value(t, PKG.value)), str(g.value(t, PKG.unitText)), None if n is None else float(n)


@pytest.mark.parametrize("value, unit, normalised", [
    ("2.5", "10,000 tons", 25_000.0), ("5", "10,000 million tons", 5e10), ("5", "10,000 thousand tons", 5e7),
    ("5", "1,000,000,000,000,000,000,000 tons", 5e21), ("5", "10,000 yuan per ton", 50_000.0),
    # a rate per year is normalised as a rate (tonnes per year, unit:TONNE-PER-YR; session 23), its factor applied
    ("5", "10,000 mu", 5e4 * 10_000 / 15), ("5", "10,000 tons per year", 5e4), ("5", "10,000 kt/a", 5e7),
    ("5", "10,000 tons/year", 5e4), ("5", "10,000 toe per year", None), ("1e5", "tons", 100_000.0)])
def test_units_with_a_factor_or_a_rate_are_read_right(tmp_path, value: str, unit: str, normalised) -> None:
    got_value, got_unit, got = _target(tmp_path, value, unit)
    assert got_unit == unit
    assert (got is None) if normalised is None else got == pytest.approx(normalised, rel=1e-6), got
    if normalised is None:
        assert got_value == value  # a rate is kept as written, not multiplied


@pytest.mark.parametrize("value, unit", [("-5", "10,000 tons"), ("5", "10,000"), ("5", "1e5 tons"),
                                         ("5", "10,000 10,000 tons"), ("5", "10,000 years")])
def test_nonsense_values_and_units_are_refused(tmp_path, value: str, unit: str) -> None:
    with pytest.raises(InputError):
        _target(tmp_path, value, unit)


# fixed (was a strict xfail): loaders/curated.py:937 _read_quantity multiplies a percentage by the unit's 'power
# of ten': value 5 in '10,000 %' is stored as normalised 50000 (%), '10 %' as 50, '100 percent' as 500, '10,000
# percentage points' as 50000; a share has no power-of-ten unit, the entry should be refused (it was before: '5 10
# %' is not a quantity)
@pytest.mark.parametrize("unit", ["10,000 %", "10 %", "100 percent", "10,000 percentage points"])
def test_a_percentage_with_a_power_of_ten_is_refused(tmp_path, unit: str) -> None:
    with pytest.raises(InputError):
        _target(tmp_path, "5", unit)


# fixed (was a strict xfail): loaders/curated.py:933 _POWER_OF_TEN_UNIT = r'^(1(?:[,\s]?0)+)...' allows a
# separator before every zero: '1 0 0 tons' is read as 100 tons (5 -> 500), '1,0,0 tons' as 100, '10,00 tons' and
# '100,0 tons' as 1,000, '1<TAB>0 tons' as 10: malformed digit groups are silently accepted; only 3-digit groups
# ('10,000', '1,000,000') should be
@pytest.mark.parametrize("unit", ["1 0 0 tons", "1,0,0 tons", "10,00 tons", "100,0 tons", "1\t0 tons"])
def test_a_malformed_power_of_ten_is_refused(tmp_path, unit: str) -> None:
    with pytest.raises(InputError):
        _target(tmp_path, "5", unit)


@pytest.mark.parametrize("written", ["", "~", "null", "'  '", '"\\t"'])
def test_an_empty_jurisdiction_is_said_to_be_required(tmp_path, written: str) -> None:
    path = tmp_path / "k.yaml"
    path.write_text("policies:\n  - title_en: Notice on Example Things\n    genre: Notice\n    level: national\n"
                    "    publication_date: 2024-05-15\n    jurisdiction: " + written + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        _load(path)
    message = str(err.value)
    assert "k.yaml:6:" in message and "field 'jurisdiction': a policy needs its jurisdiction" in message, message
    assert "field is missing" not in message and "None is not" not in message, message


# ============================================================================ 3. concept pages' caching

BASE = "https://w3id.org/policykg/"


@pytest.fixture()
def held_facets(monkeypatch):
    """A client on the sample data plus new policies whose filter counts are held back (not ready)."""
    import api.summaries
    from test_attacks18_list_total import SYN, _policies
    from tests.sparql_helpers import running_client, sample_store
    from policykg.settings import Settings

    release, real = threading.Event(), api.summaries.facet_options

    def held(*args, **kwargs):
        release.wait(30)
        return real(*args, **kwargs)
    monkeypatch.setattr(api.summaries, "facet_options", held)
    settings = Settings(query_timeout_s=10)
    store = sample_store(settings)
    with running_client(settings, store) as (client, app):
        store.replace_graphs({SYN: _policies(20)})
        yield client, release
        release.set()


def test_a_concept_page_without_its_count_in_head_suffix_and_conditionals(held_facets) -> None:
    client, release = held_facets
    html = {"Accept": "text/html"}
    get = client.get("/doc/instrument/fiscal-subsidy", headers=html)
    assert get.status_code == 200 and get.headers.get("cache-control") == "no-store" and "etag" not in get.headers
    assert "last-modified" not in get.headers
    head = client.head("/doc/instrument/fiscal-subsidy", headers=html)
    assert head.status_code == 200 and head.content == b""
    assert head.headers.get("cache-control") == "no-store" and "etag" not in head.headers
    assert "link" in head.headers and "Accept" in head.headers.get("vary", "")
    assert abs(int(head.headers["content-length"]) - len(get.content)) < 200  # same page (a timestamp may differ)
    for path in ("/doc/sector/power.html", "/doc/instrument/fiscal-subsidy.html", "/doc/genre/notice.html"):
        r = client.get(path)
        assert r.status_code == 200 and r.headers.get("cache-control") == "no-store", (path, r.headers)
        assert "etag" not in r.headers and "content-location" not in r.headers, (path, r.headers)
        h = client.head(path)
        assert h.status_code == 200 and "etag" not in h.headers, (path, h.headers)
    # a conditional request with a date or an unknown tag gets the page, never a 304
    for cond in ({"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"}, {"If-None-Match": '"nope"'}):
        r = client.get("/doc/sector/power", headers={**html, **cond})
        assert r.status_code in (200, 304), r.status_code
        if r.status_code == 304:  # only a tag of this version's complete page may be answered so
            assert "If-Modified-Since" in cond
    # the RDF documents and the other kinds of page keep their validators meanwhile
    for path, accept in (("/doc/sector/power", "text/turtle"), ("/doc/region/CN", "text/html"),
                         ("/doc/agency/ndrc", "text/html"), ("/doc/sector/power.ttl", "*/*")):
        r = client.get(path, headers={"Accept": accept})
        assert r.status_code == 200 and "etag" in r.headers and r.headers.get("cache-control") != "no-store", \
            (path, r.headers)
        again = client.get(path, headers={"Accept": accept, "If-None-Match": r.headers["etag"]})
        assert again.status_code == 304, path
    release.set()
