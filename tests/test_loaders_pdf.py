"""PDF path: a briefing rendered with reportlab, with real link annotations over title lines.

The fixture generator lays out a briefing text page by page (the text
layout's page chunks; URL lines are not drawn) and puts one ``/Link``
annotation over the part of each text line that a title covers, pointing to
that title's URL. Titles and URLs come from the gold file (sample briefing)
or from the synthetic briefing's own making, never from the loader.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import pytest
import yaml
from rdflib.namespace import DCTERMS

from pdf_helpers import HELVETICA, one_page_pdf
from loaders import extract
from loaders.briefing import split_lines
from loaders.pdf import read_pdf
from policykg.errors import InputError
from policykg.vocab import OA, PKG, Minter

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "briefings" / "ccnt-2024-03-04.txt"
GOLD = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "gold" / "ccnt-2024-03-04.yaml"

FONT, SIZE, LEADING = "Helvetica", 8.5, 12.0


def _title_spans(text: str, title: str) -> list[tuple[int, int]]:
    """Offsets of ``title`` in ``text`` where line breaks / blank lines may stand for spaces."""
    words = [re.escape(w) for w in title.split()]
    rx = re.compile(r"(?:\s+(?:https?://\S+\s+)*)".join(words))   # a page's link list may sit in between
    return [(m.start(), m.end()) for m in rx.finditer(text)]


def render_pdf(text: str, links: list[tuple[int, int, str]], out: Path) -> None:
    """Draw ``text`` (briefing text layout) into ``out``; ``links`` are (start, end, uri) text spans.

    Each page chunk of the layout becomes a PDF page; URL lines are dropped;
    a blank line is a blank line. A link span gets one annotation rectangle
    per line it covers.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(out), pagesize=A4)
    width, height = A4
    lines = split_lines(text)
    page = 0
    y = height - 50
    for ln in lines:
        if ln.page != page:
            c.showPage()
            page = ln.page
            y = height - 50
        if ln.kind == "url":
            continue
        if ln.kind == "blank":
            y -= LEADING
            continue
        content = text[ln.cstart:ln.cend]
        c.setFont(FONT, SIZE)
        c.drawString(40, y, content)
        for s, e, uri in links:
            a, b = max(s, ln.cstart), min(e, ln.cend)
            if a < b:
                x0 = 40 + stringWidth(text[ln.cstart:a], FONT, SIZE)
                x1 = 40 + stringWidth(text[ln.cstart:b], FONT, SIZE)
                c.linkURL(uri, (x0, y - 2, x1, y + SIZE - 1), relative=0)
        y -= LEADING
    c.save()


def _sample_links(text: str) -> tuple[list[tuple[int, int, str]], dict[str, list[str]]]:
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    links = []
    want = {}
    for p in gold["policies"]:
        spans = _title_spans(text, p["title"])
        assert spans, p["title"]
        for url in p["source_urls"]:
            links.append((spans[0][0], spans[0][1], url))
        want[p["title"]] = p["source_urls"]
    return links, want


@pytest.mark.skipif(not GOLD.exists(), reason="gold annotation of the sample briefing not available")
def test_sample_pdf_gives_same_policies_and_urls(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    links, want = _sample_links(text)
    pdf = tmp_path / "ccnt-2024-03-04.pdf"
    render_pdf(text, links, pdf)
    ex_pdf = extract(pdf, Minter())
    ex_txt = extract(SAMPLE, Minter())
    g = ex_pdf.graph
    got = {}
    for p in g.subjects(predicate=None, object=PKG.Policy):
        title = str(g.value(p, DCTERMS.title))
        got[title] = sorted(str(u) for u in g.objects(p, PKG.sourceURL))
    assert {t: sorted(u) for t, u in want.items()} == got
    # the text path finds the same policies with the same URLs
    gt = ex_txt.graph
    got_txt = {str(gt.value(p, DCTERMS.title)):
               sorted(str(u) for u in gt.objects(p, PKG.sourceURL))
               for p in gt.subjects(predicate=None, object=PKG.Policy)}
    assert got_txt == got
    assert ex_pdf.stats["reports"] == ex_txt.stats["reports"]


def test_link_anchors_cover_the_title_text(tmp_path: Path) -> None:
    text = (" National policies\n\nNotice on Testing Link Anchors in Portable Documents aims to check\n"
            "that the reader finds the links.\n")
    s = text.index("Notice")
    e = text.index(" aims")
    pdf = tmp_path / "one.pdf"
    render_pdf(text, [(s, e, "https://example.gov.cn/2024/05/01/a.html")], pdf)
    doc = read_pdf(pdf)
    assert doc.anchors and doc.anchors[0].uri == "https://example.gov.cn/2024/05/01/a.html"
    a = doc.anchors[0]
    assert doc.text[a.start:a.end] == "Notice on Testing Link Anchors in Portable Documents"


def test_broken_pdf_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF")
    with pytest.raises(InputError) as info:
        extract(bad, Minter())
    assert "broken.pdf" in str(info.value)


def test_not_a_pdf_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "fake.pdf"
    bad.write_text("just text\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        extract(bad, Minter())
    assert "fake.pdf" in str(info.value)


def test_synthetic_pdf_gives_same_policies_and_urls(tmp_path: Path) -> None:
    from test_loaders_briefing import SYNTHETIC, SYNTHETIC_EXPECTED
    from test_loaders_linking import reference_graph

    links = []
    for title, urls in SYNTHETIC_EXPECTED.items():
        (span,) = _title_spans(SYNTHETIC, title)
        links += [(span[0], span[1], u) for u in urls]
    pdf = tmp_path / "epm-2025-06.pdf"
    render_pdf(SYNTHETIC, links, pdf)
    ex = extract(pdf, Minter(), reference=reference_graph())
    g = ex.graph
    got = {str(g.value(p, DCTERMS.title)): sorted(str(u) for u in g.objects(p, PKG.sourceURL))
           for p in g.subjects(predicate=None, object=PKG.Policy)}
    assert got == SYNTHETIC_EXPECTED
    assert ex.stats["reports"] == 1
    spans = list(g.subjects(OA.hasSource, ex.document))
    assert spans
    for span in spans:
        assert ex.text[int(g.value(span, OA.start)):int(g.value(span, OA.end))] == str(g.value(span, OA.exact))


def test_superscript_stays_on_its_line(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    out = tmp_path / "sup.pdf"
    c = canvas.Canvas(str(out), pagesize=A4)
    y = A4[1] - 60
    head = "Notice on Wind Power in the 14"
    c.setFont(FONT, 10)
    c.drawString(40, y, head)
    x = 40 + stringWidth(head, FONT, 10)
    c.setFont(FONT, 6)
    c.drawString(x, y + 3.5, "th")
    c.setFont(FONT, 10)
    c.drawString(x + stringWidth("th", FONT, 6) + 1, y, " Five-Year Plan Period aims to add wind farms.")
    c.save()
    doc = read_pdf(out)
    assert "14th Five-Year Plan Period" in doc.text.replace("14 th", "14th")
    assert len([ln for ln in doc.text.splitlines() if ln.strip()]) == 1


# --- encrypted PDFs, decompression bombs, glyphs without a Unicode mapping


def _one_line_pdf(out: Path, line: str = "Notice on Testing Encrypted Documents aims to test.") -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(out))
    c.drawString(40, 800, line)
    c.showPage()
    c.save()
    return out


@pytest.mark.parametrize("user_password, algorithm", [("", "AES-256"), ("", "RC4-128"), ("u", "AES-128")])
def test_encrypted_pdf_opens_without_a_user_password_only(tmp_path: Path, user_password: str, algorithm: str) -> None:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=str(_one_line_pdf(tmp_path / "plain.pdf")))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm=algorithm)
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as fh:
        writer.write(fh)
    if user_password:
        with pytest.raises(InputError) as info:
            read_pdf(locked)
        assert str(info.value).startswith("locked.pdf:") and "password-protected PDF" in str(info.value)
    else:  # an owner password alone: a viewer opens the file, and so do we
        assert read_pdf(locked).text.startswith("Notice on Testing Encrypted Documents")


def _flate_pdf(streams: list[bytes]) -> bytes:
    """A one-page PDF; its content stream is the first of ``streams``, the others are unused streams."""
    extra = [HELVETICA] + [b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(s) + s + b"\nendstream"
                           for s in streams[1:]]
    return one_page_pdf(streams[0], b"/F1 5 0 R", extra)


def test_inflation_is_bounded_per_stream_and_in_all(tmp_path: Path) -> None:
    from loaders.pdf import check_pdf

    text = zlib.compress(b"BT /F1 12 Tf 40 700 Td (Notice on Inflation Bounds) Tj ET")
    big = zlib.compress(b" " * 3_000_000)
    with pytest.raises(InputError) as info:
        check_pdf(_flate_pdf([text, big]), "one.pdf", max_stream_bytes=2_000_000)
    assert str(info.value).startswith("one.pdf:") and "decompression bomb" in str(info.value)
    assert "stream object" in str(info.value)
    with pytest.raises(InputError) as info:
        check_pdf(_flate_pdf([text, big, big]), "all.pdf", max_stream_bytes=4_000_000, max_inflated_bytes=5_000_000)
    assert "in all" in str(info.value)
    path = tmp_path / "fine.pdf"
    path.write_bytes(_flate_pdf([text, big]))
    assert check_pdf(path.read_bytes(), "fine.pdf") > 3_000_000
    assert read_pdf(path).text.startswith("Notice on Inflation Bounds")


def test_a_pdf_pypdf_cannot_parse_is_still_bounded_by_a_raw_scan() -> None:
    from loaders.pdf import check_pdf

    bomb = zlib.compress(b" " * 3_000_000)
    data = b"%PDF-1.4\n1 0 obj << /Length 5 >>\nstream\n" + bomb + b"\nendstream\nendobj\n"  # no xref, no trailer
    with pytest.raises(InputError) as info:
        check_pdf(data, "raw.pdf", max_stream_bytes=1_000_000)
    assert "decompression bomb" in str(info.value)


def _cid_pdf(rows: list[tuple[str, str]]) -> bytes:
    """A page whose rows are (font, string) text operations; F2 is a CID font without a /ToUnicode map."""
    cid_font = [b"<< /Type /Font /Subtype /Type0 /BaseFont /Foo /Encoding /Identity-H /DescendantFonts [7 0 R] >>",
                (b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Foo /CIDSystemInfo << /Registry (Adobe) "
                 b"/Ordering (Identity) /Supplement 0 >> /FontDescriptor 8 0 R /DW 500 >>"),
                (b"<< /Type /FontDescriptor /FontName /Foo /Flags 4 /FontBBox [0 0 1000 1000] /ItalicAngle 0 "
                 b"/Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>")]
    content = "".join(f"BT /{f} 10 Tf 40 {700 - 12 * k} Td {s} Tj ET\n" for k, (f, s) in enumerate(rows)).encode()
    return one_page_pdf(zlib.compress(content), b"/F1 5 0 R /F2 6 0 R", [HELVETICA, *cid_font])


def test_unmapped_glyphs_become_one_replacement_character_each(tmp_path: Path) -> None:
    path = tmp_path / "cid.pdf"
    path.write_bytes(_cid_pdf([("F1", "(Notice on Unmapped Glyphs aims to test fonts.)"), ("F2", "<000300040005>")]))
    doc = read_pdf(path)
    assert doc.text.splitlines()[:2] == ["Notice on Unmapped Glyphs aims to test fonts.", "\ufffd" * 3]
    assert "(cid:" not in doc.text
    assert len(doc.warnings) == 1 and "3 glyphs" in doc.warnings[0] and "page(s) 1" in doc.warnings[0]


def test_a_text_layer_of_mostly_unmapped_glyphs_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cid-only.pdf"
    path.write_bytes(_cid_pdf([("F1", "(Note)"), ("F2", "<" + "0003" * 40 + ">")]))
    with pytest.raises(InputError) as info:
        read_pdf(path)
    assert str(info.value).startswith("cid-only.pdf:") and "Unicode mapping" in str(info.value)
