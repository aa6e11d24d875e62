"""Fifth attacking review: the document loaders (PDF, HTML, text) and the CLI paths that feed the store
(``load``, ``dump``, ``restore``).

Every test asserts the correct behaviour for a defect the review found (docs/reliability.md, defects 53-65);
each was a strict xfail until its fix, and all are fixed. Inputs are generated in ``tmp_path``; each test runs
in a few seconds.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import textwrap
import tracemalloc
import zlib
from pathlib import Path

import pytest
import rdflib

from pdf_helpers import HELVETICA, one_page_pdf
from policykg.errors import InputError
from policykg.settings import Settings
from policykg.store import OxigraphStore
from tests.sparql_helpers import small_store

ROOT = Path(__file__).resolve().parent.parent


def _cli():
    from typer.testing import CliRunner

    from policykg.cli import app

    return CliRunner(), app


def _one_line(text: str) -> str:
    return " ".join(text.split())



POLICY_LINES = ["Notice on Promoting Energy Storage Development aims to regulate the grid access of",
                "new energy storage. The Notice specifies that by 2025 the capacity will exceed 30",
                "million kilowatts."]


# --------------------------------------------------------------------------------------------------
# PDF


def test_an_encrypted_pdf_is_named_as_encrypted(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    plain = tmp_path / "plain.pdf"
    c = canvas.Canvas(str(plain))
    for k, line in enumerate(POLICY_LINES):
        c.drawString(40, 800 - 14 * k, line)
    c.showPage()
    c.save()
    writer = pypdf.PdfWriter(clone_from=str(plain))
    writer.encrypt(user_password="secret", owner_password="owner")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as fh:
        writer.write(fh)
    from loaders.pdf import read_pdf

    with pytest.raises(InputError) as info:
        read_pdf(locked)
    message = str(info.value).lower()
    assert "locked.pdf" in message
    assert "encrypt" in message or "password" in message, message


def _deflate_bomb(inflated_mb: int) -> bytes:
    """A one-page PDF whose content stream is ``inflated_mb`` MB of spaces then one line of text (1000:1)."""
    co = zlib.compressobj(9)
    parts = [co.compress(b" " * (1 << 20)) for _ in range(inflated_mb)]
    parts.append(co.compress(b"BT /F1 12 Tf 40 700 Td (Notice on Energy Storage) Tj ET"))
    parts.append(co.flush())
    return one_page_pdf(b"".join(parts), b"/F1 5 0 R", [HELVETICA])


def test_a_pdf_deflate_bomb_is_refused_without_inflating_it(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(_deflate_bomb(256))
    assert bomb.stat().st_size < 400_000
    script = textwrap.dedent(f"""
        import resource, sys
        from pathlib import Path
        from loaders.pdf import read_pdf
        from policykg.errors import InputError
        try:
            read_pdf(Path({str(bomb)!r}))
            outcome = "read"
        except InputError as exc:
            outcome = "refused: " + str(exc)
        print(outcome)
        # VmHWM: the peak RSS of this process image; ru_maxrss would also count the forked copy of pytest
        # (Linux keeps it across execve), which is large after other tests ran
        print(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")))
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    outcome, peak_kb = done.stdout.strip().splitlines()[-2:]
    assert outcome.startswith("refused") and "bomb.pdf" in outcome, outcome
    assert int(peak_kb) < 200_000, f"peak RSS {int(peak_kb) // 1000} MB for a {bomb.stat().st_size} byte file"


def test_glyphs_without_a_unicode_mapping_never_reach_the_graph(tmp_path: Path) -> None:
    import loaders
    from policykg.cli import _cached_reference
    from policykg.vocab import Minter

    cid_font = [b"<< /Type /Font /Subtype /Type0 /BaseFont /Foo /Encoding /Identity-H /DescendantFonts [7 0 R] >>",
                (b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Foo /CIDSystemInfo << /Registry (Adobe) "
                 b"/Ordering (Identity) /Supplement 0 >> /FontDescriptor 8 0 R /DW 500 >>"),
                (b"<< /Type /FontDescriptor /FontName /Foo /Flags 4 /FontBBox [0 0 1000 1000] /ItalicAngle 0 "
                 b"/Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>")]
    garbage = "<" + "".join("%04x" % (i % 20 + 3) for i in range(40)) + ">"
    rows = [("F1", f"({POLICY_LINES[0]})"), ("F2", garbage), ("F1", f"({POLICY_LINES[1]})"), ("F2", garbage),
            ("F1", f"({POLICY_LINES[2]})")]
    content = "".join(f"BT /{f} 10 Tf 40 {700 - 12 * k} Td {s} Tj ET\n" for k, (f, s) in enumerate(rows)).encode()
    path = tmp_path / "unmapped.pdf"
    path.write_bytes(one_page_pdf(zlib.compress(content), b"/F1 5 0 R /F2 6 0 R", [HELVETICA, *cid_font]))
    settings = Settings()
    result = loaders.extract(path, Minter(settings.base_iri), reference=_cached_reference(settings))
    leaked = [str(o) for o in result.graph.objects() if isinstance(o, rdflib.Literal) and "(cid:" in str(o)]
    assert not leaked, leaked[:2]
    assert any("unicode" in w.lower() or "font" in w.lower() for w in result.warnings), result.warnings


# --------------------------------------------------------------------------------------------------
# HTML

_P1 = ("<p><a href='{h1}'>Notice on Promoting Energy Storage Development</a> aims to regulate the grid access "
       "of new energy storage. By 2025 the capacity will exceed 30 million kilowatts.</p>")
_P2 = ("<p><a href='{h2}'>Guidance on Distribution Networks</a> aims to support distributed energy. By 2030 the "
       "capacity will exceed 50 million kilowatts.</p>")


def _page(head: str, h1: str, h2: str) -> str:
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>Policy tracker</title>{head}</head><body>"
            f"<article><h1>Policy tracker</h1>{_P1.format(h1=h1)}{_P2.format(h2=h2)}</article></body></html>")


@pytest.mark.parametrize("head, h1, h2, want", [
    ("<base href='https://www.ndrc.gov.cn/xxgk/zcfb/'>", "tz/a.html", "/b.html",
     ["https://www.ndrc.gov.cn/xxgk/zcfb/tz/a.html", "https://www.ndrc.gov.cn/b.html"]),
    ("<link rel='canonical' href='https://www.ndrc.gov.cn/xxgk/zcfb/index.html'>", "tz/a.html",
     "//www.nea.gov.cn/b.html", ["https://www.ndrc.gov.cn/xxgk/zcfb/tz/a.html", "https://www.nea.gov.cn/b.html"]),
    ("<base href='https://www.nea.gov.cn/news/'><link rel='canonical' href='https://www.ndrc.gov.cn/x/i.html'>",
     "a.html", "b.html", ["https://www.nea.gov.cn/news/a.html", "https://www.nea.gov.cn/news/b.html"]),
], ids=["base", "canonical", "base-beats-canonical"])
def test_relative_links_resolve_like_a_browser(tmp_path: Path, head: str, h1: str, h2: str, want: list[str]) -> None:
    from loaders.html import read_html

    path = tmp_path / "page.html"
    path.write_text(_page(head, h1, h2), encoding="utf-8")
    doc = read_html(path)
    assert [a.uri for a in doc.anchors] == want


def test_a_base_href_is_not_the_pages_own_url(tmp_path: Path) -> None:
    from loaders.html import read_html

    path = tmp_path / "article.html"
    path.write_text("<html><head><title>Notice on Promoting Energy Storage Development</title>"
                    "<base href='https://www.ndrc.gov.cn/xxgk/'></head><body><article><h1>Notice on Promoting "
                    "Energy Storage Development</h1><p>The Notice aims to regulate the grid access of new energy "
                    "storage. By 2025 the capacity will exceed 30 million kilowatts.</p></article></body></html>",
                    encoding="utf-8")
    assert read_html(path).url != "https://www.ndrc.gov.cn/xxgk/"


@pytest.mark.parametrize("text", ["Source: 通知", "Fee 5元."])
def test_the_declared_charset_is_honoured(tmp_path: Path, text: str) -> None:
    from loaders.html import read_html

    page = (f"<html><head><meta charset='gbk'><title>Tracker</title></head><body><article><h1>Policy tracker"
            f"</h1><p>{text}</p>{_P1.format(h1='https://www.ndrc.gov.cn/a.html')}</article></body></html>")
    path = tmp_path / "gbk.html"
    path.write_bytes(page.encode("gbk"))
    assert text in read_html(path).text


def test_deep_nesting_does_not_silently_drop_the_rest_of_the_page(tmp_path: Path) -> None:
    from loaders.html import read_html

    path = tmp_path / "deep.html"
    path.write_text("<html><body><article><h1>Policy tracker</h1>"
                    + _P1.format(h1="https://www.ndrc.gov.cn/a.html") + "<p>Note: " + "<font size=2>" * 300
                    + "small print</p>" + _P2.format(h2="https://www.nea.gov.cn/b.html")
                    + "</article></body></html>", encoding="utf-8")
    doc = read_html(path)
    assert "Guidance on Distribution Networks" in doc.text or doc.warnings, doc.text


def test_text_a_browser_never_shows_is_not_read(tmp_path: Path) -> None:
    from loaders.html import read_html

    hidden = ("<template><p>Notice on Template Injection aims to inject. By 2025 template will exceed 12 "
              "million kilowatts.</p></template>"
              "<div style='display:none'><p>Notice on Hidden Injection aims to inject. By 2025 hidden will "
              "exceed 13 million kilowatts.</p></div>"
              "<div hidden><p>Notice on Hiddenattr Injection aims to inject. By 2025 it will exceed 14 million "
              "kilowatts.</p></div>")
    path = tmp_path / "hidden.html"
    path.write_text("<html><head><title>Tracker</title></head><body><article><h1>Policy tracker</h1>"
                    + _P1.format(h1="https://www.ndrc.gov.cn/a.html") + hidden + "</article></body></html>",
                    encoding="utf-8")
    text = read_html(path).text
    assert "Energy Storage" in text
    assert "Injection" not in text, text


# --------------------------------------------------------------------------------------------------
# text briefings


def test_a_utf16_briefing_with_a_bom_is_not_called_binary(tmp_path: Path) -> None:
    from loaders.document import read_document

    path = tmp_path / "utf16.txt"
    path.write_bytes(("\n".join(POLICY_LINES) + "\n").encode("utf-16"))
    try:
        doc = read_document(path)
    except InputError as exc:
        assert "utf-16" in str(exc).lower(), str(exc)
    else:
        assert doc.text.startswith(POLICY_LINES[0])


def _briefing(n: int) -> str:
    genres = ["Notice", "Guidance", "Opinions", "Measures", "Plan"]
    topics = ["Energy Storage", "Distribution Networks", "Hydrogen", "Carbon Markets", "Green Finance"]
    paras = []
    for i in range(n):
        g, t = genres[i % 5], topics[(i // 5) % 5]
        paras.append(f"{g} on Promoting {t} Development Number {i} aims to regulate the {t.lower()} sector. "
                     f"The {g} specifies that by {2025 + i % 10} the capacity will exceed {i + 1} million "
                     "kilowatts.\n\n")
    urls = "".join(f"https://www.ndrc.gov.cn/xxgk/zcfb/tz/2024/t{i}.html\n" for i in range(n))
    return " China issued several policies on the power system.\n\n" + "".join(paras) + urls


def test_parse_memory_grows_linearly_with_the_policies() -> None:
    from loaders.briefing import parse_briefing
    from loaders.linking import load_reference

    labels = [label for label, _ in load_reference(ROOT / "ontology").genre_labels]
    peaks = []
    for n in (75, 300):
        text = _briefing(n)
        tracemalloc.start()
        try:
            parse = parse_briefing(text, labels)
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
        assert len(parse.policies) == n
    assert peaks[1] / peaks[0] < 6, f"4x the policies took {peaks[1] / peaks[0]:.1f}x the memory"


def test_a_long_run_of_letters_does_not_hang_the_parse() -> None:
    script = ("from loaders.briefing import parse_briefing\n"
              f"parse_briefing({POLICY_LINES[0]!r} + '\\n\\n' + 'x' * 200_000 + '\\n', ['Notice'])\n")
    try:
        done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=15,
                              check=False)
    except subprocess.TimeoutExpired:
        pytest.fail("parse_briefing of one 200,000-letter word ran past 15 s (quadratic backtracking takes minutes)")
    assert done.returncode == 0, done.stderr[-300:]


@pytest.mark.parametrize("text, wrong", [("capacity will reach 1E+3 kilowatts", "3"),
                                         ("the share will reach 1e308 percent", "1"),
                                         ("output will reach 1.5e3 tonnes", "1.5")])
def test_e_notation_is_not_misread(text: str, wrong: str) -> None:
    from decimal import Decimal

    from loaders.quantities import find_quantities

    values = [q.value for q in find_quantities(text)]
    assert Decimal(wrong) not in values, values


# --------------------------------------------------------------------------------------------------
# CLI: load, dump, restore


def test_two_documents_of_one_name_are_not_merged_into_one_briefing(tmp_path: Path, monkeypatch) -> None:
    from policykg import cli

    for folder, first in (("a", 0), ("b", 100)):
        (tmp_path / folder).mkdir()
        text = _briefing(first + 3).split("\n\n")
        body = " China issued policies.\n\n" + "\n\n".join(text[1 + first:4 + first]) + "\n\n" + "".join(
            f"https://www.{folder}.gov.cn/p{i}.html\n" for i in range(3))
        (tmp_path / folder / "x.txt").write_text(body, encoding="utf-8")
    seen: list = []

    # stops the command before validation (slow) and keeps the entries it would merge
    def tripwire(st, settings, entries):
        seen.extend(entries)
        raise InputError("stopped by the test before the merge")

    monkeypatch.setattr(cli, "_merge", tripwire)
    runner, app = _cli()
    result = runner.invoke(app, ["load", str(tmp_path / "a" / "x.txt"), str(tmp_path / "b" / "x.txt"),
                                 "--store", str(tmp_path / "store")])
    if seen:
        assert len({e.graph_name for e in seen}) == 2, [str(e.graph_name) for e in seen]
        briefings = {s for e in seen for s in e.graph.subjects(rdflib.RDF.type,
                                                                 rdflib.URIRef(
                                                                     "https://w3id.org/policykg/ontology#Briefing"))}
        assert len(briefings) == 2, briefings
    else:
        assert result.exit_code == 2
        err = _one_line(result.stderr)
        assert str(tmp_path / "a" / "x.txt") in err and str(tmp_path / "b" / "x.txt") in err, err


def test_a_path_that_is_not_a_regular_file_is_named_for_what_it_is(tmp_path: Path) -> None:
    runner, app = _cli()
    (tmp_path / "folder.txt").mkdir()
    os.symlink(tmp_path / "loop2.txt", tmp_path / "loop1.txt")
    os.symlink(tmp_path / "loop1.txt", tmp_path / "loop2.txt")
    messages = {}
    for name in ("folder.txt", "loop1.txt"):
        result = runner.invoke(app, ["extract", str(tmp_path / name)])
        assert result.exit_code == 2
        messages[name] = _one_line(result.stderr).lower()
    assert "directory" in messages["folder.txt"], messages
    assert "symbolic link" in messages["loop1.txt"] or "loop" in messages["loop1.txt"], messages


def _small_store(path: Path, graphs: int = 20, triples: int = 200) -> None:
    small_store(path, graphs, triples)


def _quads(path: Path) -> int:
    with OxigraphStore(path, Settings().base_iri) as st:
        return len(st.dump_nquads().splitlines())


def test_restore_refuses_a_dump_cut_at_a_line_end(tmp_path: Path) -> None:
    runner, app = _cli()
    store = tmp_path / "store"
    _small_store(store)
    full = tmp_path / "full.nq"
    assert runner.invoke(app, ["dump", str(full), "--store", str(store)]).exit_code == 0
    lines = full.read_bytes().splitlines(keepends=True)
    cut = tmp_path / "cut.nq"
    cut.write_bytes(b"".join(lines[:len(lines) // 2]))
    before = _quads(store)
    result = runner.invoke(app, ["restore", str(cut), "--store", str(store)])
    assert result.exit_code == 2, (result.exit_code, result.stdout)
    assert "cut.nq" in _one_line(result.stderr)
    assert _quads(store) == before


def test_a_failed_dump_keeps_the_previous_backup(tmp_path: Path) -> None:
    store = tmp_path / "store"
    _small_store(store, graphs=40, triples=500)
    backup = tmp_path / "backup.nq"
    backup.write_bytes(b"<urn:x:s> <urn:x:p> <urn:x:o> <urn:x:g> .\n")
    old = backup.read_bytes()

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))

    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYKG_")}
    done = subprocess.run([sys.executable, "-m", "policykg.cli", "dump", str(backup), "--store", str(store)],
                          cwd=ROOT, env=env, preexec_fn=small_files, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2, done.stderr[-300:]
    assert "backup.nq" in _one_line(done.stderr), done.stderr[-300:]
    assert backup.read_bytes() == old, f"the old backup is now {backup.stat().st_size} bytes of a partial dump"


_HEATING = (" China issued several policies to support clean heating.\n\n"
            "Notice on Promoting Clean Heating in Northern Rural Areas aims to reduce coal use for heating. The "
            "Notice specifies that by 2025 the clean heating rate will exceed 70 percent.\n\n{url}\n")


def test_a_policy_reported_again_with_another_link_is_loadable_or_the_conflict_is_named(tmp_path: Path) -> None:
    from serve_helpers import reference_seed

    import loaders
    from policykg.cli import _cached_reference
    from policykg.errors import ValidationFailed
    from policykg.ingest import Entry, merge_entries
    from policykg.vocab import Minter

    data, validator, _ = reference_seed(tmp_path / "seed")
    settings = Settings()
    store = OxigraphStore(None, settings.base_iri)
    store.restore_nquads(data)
    minter, reference = Minter(settings.base_iri), _cached_reference(settings)
    for name, url in (("march.txt", "https://www.ndrc.gov.cn/xxgk/zcfb/tz/202403/t20240301_1364313.html"),
                      ("april.txt", "https://www.nea.gov.cn/2024-03/05/c_1310766388.htm")):
        (tmp_path / name).write_text(_HEATING.format(url=url), encoding="utf-8")
    first = loaders.extract(tmp_path / "march.txt", minter, reference=reference)
    merge_entries(store, validator, [Entry(first.graph_name, first.graph, "march.txt")])
    second = loaders.extract(tmp_path / "april.txt", minter, reference=reference)
    try:
        merge_entries(store, validator, [Entry(second.graph_name, second.graph, "april.txt")])
    except ValidationFailed as exc:
        text = exc.report.to_text()
        assert "graph/march" in text or "march.txt" in text, text
        # the clashing values are named with where each comes from (a maxCount result carries no value)
        assert "2024-03-01" in text and "2024-03-05" in text and "april.txt" in text, text
        assert "sourceHostedBy" not in text, text  # one host per source URL: two links, two hosts
