"""PDF reader: text by page, plus link annotations with the text they cover.

Uses pdfplumber (pdfminer.six underneath). Each page's characters are
grouped into lines (``Page.extract_text_lines``); a vertical gap larger than
about half a line height between two lines becomes a blank line, so
paragraphs stay apart as in the text layout of :mod:`loaders.briefing`.
Pages are joined with a newline; :attr:`Document.page_starts` records where
each begins.

Link annotations (``Page.hyperlinks``: ``/Link`` annotations with a ``/URI``
action) become :class:`~loaders.briefing.LinkAnchor` spans: the characters
whose centres fall inside the annotation rectangle. Their real targets and
positions beat guessing from text order.

Bounds (``shared/design/library-pitfalls.md``: malformed or cyclic PDFs can
loop): extraction stops with :class:`~policykg.errors.InputError` when it
runs past ``timeout_s`` (checked between pages) and any parser failure is an
``InputError`` naming the file.
"""

from __future__ import annotations

import io
import logging
import time
from pathlib import Path

from policykg.errors import InputError

from .briefing import LinkAnchor
from .document import Document, run_bounded, sanitize_text

__all__ = ["read_pdf"]


def read_pdf(path: Path, data: bytes | None = None, *, timeout_s: float = 60) -> Document:
    """Read a PDF into a :class:`~loaders.document.Document` with ``page_starts`` and ``anchors``.

    Raises :class:`InputError` (file named) for a file that is not a PDF,
    does not parse, has no text layer, or takes longer than ``timeout_s``
    (the parser runs in a worker thread the caller stops waiting for:
    :func:`~loaders.document.run_bounded`).
    """
    name = Path(path).name
    if data is None:
        data = Path(path).read_bytes()
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise InputError("not a PDF file (no %PDF header)", file=name)
    raw = data
    return run_bounded(lambda: _read_pdf(Path(path), raw, timeout_s), timeout_s, name, "PDF text extraction")


def _read_pdf(path: Path, data: bytes, timeout_s: float) -> Document:
    import pdfplumber

    name = path.name
    t0 = time.monotonic()
    chunks: list[str] = []
    page_starts: list[int] = []
    anchors: list[LinkAnchor] = []
    offset = 0
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for pno, page in enumerate(pdf.pages):
                if time.monotonic() - t0 > timeout_s:
                    raise InputError(f"PDF text extraction ran past {timeout_s} s (page {pno + 1})", file=name)
                text, char_boxes = _page_text(page)
                page_starts.append(offset)
                for link in page.hyperlinks or []:
                    uri = link.get("uri")
                    if not uri:
                        continue
                    x0, x1 = float(link["x0"]), float(link["x1"])
                    top, bottom = float(link["top"]), float(link["bottom"])
                    inside = [k for k, (cx, cy) in char_boxes.items()
                              if x0 - 0.5 <= cx <= x1 + 0.5 and top - 0.5 <= cy <= bottom + 0.5]
                    if inside:
                        anchors.append(LinkAnchor(str(uri).strip(), offset + min(inside),
                                                  offset + max(inside) + 1, pno))
                chunks.append(text)
                offset += len(text) + 1
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises many types for broken files
        raise InputError(f"unreadable PDF: {type(exc).__name__}: {exc}", file=name) from None
    full = sanitize_text("\n".join(chunks))
    if not full.strip():
        raise InputError("the PDF has no text layer (scanned images need OCR first)", file=name)
    anchors.sort(key=lambda a: (a.start, a.end, a.uri))
    return Document(Path(path), "pdf", full, page_starts=page_starts, anchors=anchors)


def _page_text(page) -> tuple[str, dict[int, tuple[float, float]]]:
    """A page's text (lines, blank lines at paragraph gaps) and the centre of each character by offset."""
    # y_tolerance 4 pt keeps superscripts ("14th", "m2") on their line at body sizes
    lines = page.extract_text_lines(return_chars=True, strip=False, y_tolerance=4)
    out: list[str] = []
    boxes: dict[int, tuple[float, float]] = {}
    pos = 0
    prev_bottom = None
    prev_height = None
    for ln in lines:
        chars = sorted(ln.get("chars", []), key=lambda c: float(c["x0"]))
        if not chars:
            continue
        height = float(ln["bottom"]) - float(ln["top"])
        if prev_bottom is not None and prev_height:
            gap = float(ln["top"]) - prev_bottom
            if gap > 0.6 * max(prev_height, height):
                out.append("\n")
                pos += 1
        buf: list[str] = []
        last_x1 = None
        for c in chars:
            t = c.get("text", "")
            if not t:
                continue
            size = float(c.get("size", height) or height)
            if last_x1 is not None and float(c["x0"]) - last_x1 > 0.25 * size and buf and buf[-1] != " " and t != " ":
                buf.append(" ")
                pos += 1
            for ch in t:
                boxes[pos] = ((float(c["x0"]) + float(c["x1"])) / 2, (float(c["top"]) + float(c["bottom"])) / 2)
                buf.append(ch)
                pos += 1
            last_x1 = float(c["x1"])
        line = "".join(buf)
        stripped = line.rstrip()
        for k in range(pos - (len(line) - len(stripped)), pos):
            boxes.pop(k, None)
        pos -= len(line) - len(stripped)
        out.append(stripped + "\n")
        pos += 1
        prev_bottom = float(ln["bottom"])
        prev_height = height
    text = "".join(out)
    return text, boxes
