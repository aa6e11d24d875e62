"""Hostile briefings for ``policykg extract`` and ``policykg load``.

The corpus is ``tests/hostile/`` (small files kept in the repository; see its
README) plus pages generated here (gigantic pages, a compressed PDF whose one
page holds tens of thousands of text operations, HTML whose scripts and
resources point at a loopback :class:`Recorder`). Every unreadable document
must give exit 2 with the file's name in the message, within a time bound,
and ``load`` must write nothing (the store's dump is identical before and
after, even when a good document comes first in the same command).
"""

from __future__ import annotations

import time
import zlib
from pathlib import Path

import pytest
import rdflib

from pdf_helpers import one_page_pdf
from policykg.settings import Settings
from policykg.store import OxigraphStore

from test_hardening_support import HOSTILE, Recorder, dump_without_meta, need, need_attr, recorder, timed  # noqa: F401

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "briefings" / "ccnt-2024-03-04.txt"

#: Files of tests/hostile/ that no loader can read: exit 2, named.
UNREADABLE = ["empty.txt", "whitespace.txt", "binary.txt", "utf16.txt", "gbk.txt", "latin1.txt",
              "truncated.pdf", "header-only.pdf", "not-a-pdf.pdf", "zip-as.pdf", "cyclic.pdf",
              "empty.html", "no-text.html", "utf16.html", "unclosed.html"]
#: Files that are readable but hostile: exit 0 (nothing found) or 2; never their payload in the output.
READABLE_HOSTILE = ["control-chars.txt", "script.html", "entity.html", "gbk.html"]


def _cli():
    need("loaders", "the loaders package")
    if not hasattr(need("loaders", "the loaders package"), "extract"):
        pytest.skip("loaders.extract is not written yet")
    from typer.testing import CliRunner  # noqa: PLC0415

    from policykg.cli import app  # noqa: PLC0415

    return CliRunner(), app


def _one_line(text: str) -> str:
    """stderr with rich's line wrapping undone (it wraps at 80 columns when not on a terminal)."""
    return " ".join(text.split())


def _seed(path: Path) -> list[bytes]:
    base = Settings().base_iri
    with OxigraphStore(path, base) as st:
        g = rdflib.Graph()
        g.add((rdflib.URIRef(base + "policy/seed"), rdflib.RDFS.label, rdflib.Literal("seed")))
        st.replace_graphs({rdflib.URIRef(base + "graph/seed"): g})
        return dump_without_meta(st.dump_nquads())


def _dump(path: Path) -> list[bytes]:
    with OxigraphStore(path, Settings().base_iri) as st:
        return dump_without_meta(st.dump_nquads())


def test_corpus_is_present() -> None:
    missing = [n for n in UNREADABLE + READABLE_HOSTILE if not (HOSTILE / n).is_file()]
    assert not missing


@pytest.mark.parametrize("name", UNREADABLE)
def test_extract_unreadable_document_exit_2_names_the_file(name: str) -> None:
    runner, app = _cli()
    started = time.perf_counter()
    result = runner.invoke(app, ["extract", str(HOSTILE / name)])
    elapsed = time.perf_counter() - started
    assert result.exit_code == 2, (name, result.exit_code, result.stderr[-300:], result.exception)
    assert name in _one_line(result.stderr)
    assert result.stdout == ""
    assert elapsed < 20, elapsed


def test_extract_bom_only_file_is_empty() -> None:
    runner, app = _cli()
    result = runner.invoke(app, ["extract", str(HOSTILE / "bom-only.txt")])
    assert result.exit_code == 2
    assert "bom-only.txt" in _one_line(result.stderr)


@pytest.mark.parametrize("name", READABLE_HOSTILE)
def test_extract_hostile_but_readable_document_carries_no_payload(name: str) -> None:
    runner, app = _cli()
    result = runner.invoke(app, ["extract", str(HOSTILE / name)])
    assert result.exit_code in (0, 2), (name, result.exception)
    out = result.stdout
    for payload in ("alert(", "<script", "injected", "onerror", "root:x:0", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "\x1b["):
        assert payload not in out, (name, payload)
    if result.exit_code == 0:
        rdflib.Graph().parse(data=out, format="turtle")  # the output is well-formed Turtle


def test_extract_html_fetches_nothing(tmp_path: Path, recorder: Recorder) -> None:
    """Scripts, stylesheets, frames, images and refreshes in a page are never fetched."""
    runner, app = _cli()
    u = recorder.url
    page = tmp_path / "page.html"
    page.write_text(
        f"<!doctype html><html><head><title>Briefing</title><script src='{u}a.js'></script>"
        f"<link rel='stylesheet' href='{u}s.css'><meta http-equiv='refresh' content='0;url={u}r'>"
        f"<base href='{u}'></head><body><h1>Policy tracker</h1><p>The agency issued a notice on carbon markets."
        f"<img src='{u}i.png'> <iframe src='{u}f.html'></iframe><object data='{u}o.swf'></object>"
        f"<script>fetch('{u}beacon')</script></p><p>Second paragraph about energy policy.</p></body></html>",
        encoding="utf-8")
    result = runner.invoke(app, ["extract", str(page)])
    assert result.exit_code in (0, 2)
    assert recorder.hits == []


def test_extract_document_over_the_size_limit_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner, app = _cli()
    monkeypatch.setenv("POLICYKG_MAX_UPLOAD_BYTES", "100000")
    for name, data in [("huge.txt", b"Policy line.\n" * 10_000), ("huge.html", b"<p>policy</p>" * 10_000),
                       ("huge.pdf", b"%PDF-1.4\n" + b"%" * 150_000)]:
        (tmp_path / name).write_bytes(data)
        result, seconds = timed(lambda: runner.invoke(app, ["extract", str(tmp_path / name)]))
        assert result.exit_code == 2, (name, result.stderr[-200:])
        assert name in _one_line(result.stderr) and seconds < 5


def test_extract_large_text_page_in_bounded_time(tmp_path: Path) -> None:
    runner, app = _cli()
    page = tmp_path / "large.txt"
    page.write_text("".join(f"Line {i}: the agency issued a notice on energy.\n" for i in range(20_000)), encoding="utf-8")
    result, seconds = timed(lambda: runner.invoke(app, ["extract", str(page)]))
    assert result.exit_code in (0, 2), result.exception
    assert seconds < 30, seconds


def _dense_pdf(text_ops: int) -> bytes:
    """A one-page PDF whose Flate-compressed content stream holds ``text_ops`` text-showing operations."""
    content = b"BT /F1 1 Tf " + b"1 0 0 1 10 10 Tm (x) Tj " * text_ops + b"ET"
    stream = zlib.compress(content, 9)
    return one_page_pdf(stream)


def test_pdf_extraction_time_bound_holds_within_a_page(tmp_path: Path) -> None:
    read_pdf = need("loaders.pdf", "the PDF reader (loaders/pdf.py)").read_pdf
    path = tmp_path / "dense.pdf"
    path.write_bytes(_dense_pdf(12_000))
    value, seconds = timed(lambda: read_pdf(path, timeout_s=0.5))
    assert seconds < 1.5, (seconds, value)


def test_html_extraction_time_bound_interrupts(tmp_path: Path) -> None:
    read_html = need("loaders.html", "the HTML reader (loaders/html.py)").read_html
    path = tmp_path / "large.html"
    path.write_text("<html><body>" + "".join(
        f"<p>Paragraph {i}: the National Development and Reform Commission issued a notice.</p>\n"
        for i in range(10_000)) + "</body></html>", encoding="utf-8")
    # unbounded, this page takes about 3.3 s on 2 idle cores; the bound answers in 0.2-0.3 s there. The
    # margin covers a busy CI machine (a run at 5,000 paragraphs once took 1.8 s against a 1.0 s limit). The
    # parser holds the GIL while it runs, so the waiting thread may wake only when it lets go: one CI run
    # waited 3.2 s. Three tries: a bound that never interrupts fails all three.
    tries = []
    for _ in range(3):
        tries.append(timed(lambda: read_html(path, timeout_s=0.2)))
        if tries[-1][1] < 2.5:
            break
    assert tries[-1][1] < 2.5, tries


# --------------------------------------------------------------------------------------------------
# load: nothing is written when any document fails


def test_load_unreadable_documents_write_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner, app = _cli()
    before = _seed(tmp_path / "store")
    for name in UNREADABLE:
        result = runner.invoke(app, ["load", str(HOSTILE / name), "--store", str(tmp_path / "store")])
        assert result.exit_code == 2, (name, result.exception)
        assert name in _one_line(result.stderr)
    assert _dump(tmp_path / "store") == before


def test_load_good_then_bad_document_writes_nothing(tmp_path: Path) -> None:
    """A good briefing followed by a broken one in one command: exit 2, no graph of either is written."""
    runner, app = _cli()
    if not SAMPLE.is_file():
        pytest.skip("the sample briefing data/briefings/ccnt-2024-03-04.txt is missing")
    before = _seed(tmp_path / "store")
    result = runner.invoke(app, ["load", str(SAMPLE), str(HOSTILE / "truncated.pdf"),
                                 "--store", str(tmp_path / "store")])
    assert result.exit_code == 2, (result.stdout[-300:], result.stderr[-300:], result.exception)
    assert "truncated.pdf" in _one_line(result.stderr)
    assert _dump(tmp_path / "store") == before


def test_load_missing_and_unsupported_files_exit_2(tmp_path: Path) -> None:
    runner, app = _cli()
    before = _seed(tmp_path / "store")
    (tmp_path / "briefing.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "noext").write_bytes(b"text")
    for path in [tmp_path / "missing.txt", tmp_path / "briefing.docx", tmp_path / "noext", tmp_path]:
        result = runner.invoke(app, ["load", str(path), "--store", str(tmp_path / "store")])
        assert result.exit_code == 2, (path, result.exception)
        assert path.name in _one_line(result.stderr), (path, result.stderr)
    assert _dump(tmp_path / "store") == before


def test_load_briefing_with_control_character_in_a_url(tmp_path: Path) -> None:
    """Regression: a source URL holding a BEL once reached the SPARQL text of validation (a QueryError
    naming no file); it must be dropped with a warning or refused naming the file."""
    runner, app = _cli()
    if not SAMPLE.is_file():
        pytest.skip("the sample briefing data/briefings/ccnt-2024-03-04.txt is missing")
    text = SAMPLE.read_text(encoding="utf-8")
    urls = [line for line in text.splitlines() if line.startswith("http")]
    if not urls:
        pytest.skip("the sample briefing has no bare URL lines")
    hostile = tmp_path / "bell-url.txt"
    hostile.write_text(text.replace(urls[0], urls[0].rstrip("/") + "/a\x07b.html"), encoding="utf-8")
    result = runner.invoke(app, ["load", str(hostile), "--store", str(tmp_path / "store")])
    if result.exit_code == 2:
        assert "bell-url.txt" in _one_line(result.stderr), result.stderr
    else:
        assert result.exit_code == 0, (result.stderr[-300:], result.exception)
        assert "\x07" not in _dump_all(tmp_path / "store")


def _dump_all(path: Path) -> str:
    with OxigraphStore(path, Settings().base_iri) as st:
        return st.dump_nquads().decode("utf-8")


# --------------------------------------------------------------------------------------------------
# curated CSV/YAML entries (policykg validate / merge)


def _curated_cli():
    runner, app = _cli()
    need_attr("loaders.curated", "load_curated", "the curated CSV/YAML loader (loaders/curated.py)")
    return runner, app


@pytest.mark.parametrize(("name", "text"), [
    ("alias-bomb.yaml", "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                        + "".join(f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi"))
                        + "policies: *i\n"),
    ("python-tag.yaml", "policies:\n  - !!python/object/apply:os.system ['echo pwned']\n"),
    ("not-a-list.yaml", "policies: 5\n"),
    ("broken.yaml", "policies:\n  - title_en: [unclosed\n"),
    ("binary.csv", "\x00\x01\x02"),
    ("ragged.csv", 'kind,title_en\n"unterminated,x\n' + "a," * 50_000 + "\n"),
])
def test_hostile_curated_files_exit_2_naming_the_file(tmp_path: Path, name: str, text: str) -> None:
    runner, app = _curated_cli()
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result, seconds = timed(lambda: runner.invoke(app, ["validate", str(path), "--no-store"]))
    assert result.exit_code == 2, (name, result.exit_code, result.stderr[-300:], result.exception)
    assert name in _one_line(result.stderr)
    assert seconds < 20


def test_deeply_nested_curated_yaml_exit_2(tmp_path: Path) -> None:
    runner, app = _curated_cli()
    path = tmp_path / "deep.yaml"
    path.write_text("policies: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path), "--no-store"])
    assert result.exit_code == 2, (result.exit_code, type(result.exception).__name__)
    assert "deep.yaml" in _one_line(result.stderr) and "nested more than" in _one_line(result.stderr)
