"""Hand-built PDF files for loader tests (PDF 1.4: ISO 32000-1 §7.5 file structure)."""

from __future__ import annotations

#: A standard Type 1 font (ISO 32000-1 §9.6.2.2): every reader knows its glyphs and their Unicode.
HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pdf_file(objs: list[bytes]) -> bytes:
    """A PDF file of the numbered objects ``objs`` (object 1 is the catalog), with a correct cross-reference
    table (§7.5.4) and trailer, so that readers need no repair to open it."""
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    n = len(objs) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % n + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (n, xref)


def one_page_pdf(stream: bytes, fonts: bytes = b"/F1 5 0 R", extra: list[bytes] | None = None,
                 flate: bool = True) -> bytes:
    """A one-page PDF: objects 1-4 are the catalog, the pages, the page (fonts ``fonts`` in its resources)
    and its content ``stream`` (FlateDecode-compressed already when ``flate``); ``extra`` objects follow
    from 5 (default: Helvetica as object 5)."""
    extra = [HELVETICA] if extra is None else extra
    filters = b" /Filter /FlateDecode" if flate else b""
    return pdf_file([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << "
                     + fonts + b" >> >> >>",
                     b"<< /Length %d%s >>\nstream\n" % (len(stream), filters) + stream + b"\nendstream", *extra])
