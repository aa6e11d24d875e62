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

Before pdfminer sees the file, :func:`check_pdf` reads its object table with
pypdf and

* refuses a password-protected PDF by name (an owner password alone, with an
  empty user password, is opened as a PDF viewer opens it);
* inflates every stream pdfminer may decode (all but images that are used
  only as images: drawn with ``Do``, which pdfminer and pdfplumber never
  decode for text; a stream labelled ``/Image`` that a page also uses as
  content, a CMap or a font is counted) in chunks with
  ``zlib.decompressobj().decompress(data, max_length)``, counting the bytes,
  and refuses the file as a decompression bomb when one stream inflates past
  ``max_stream_bytes`` or all of them past ``max_inflated_bytes``. pdfminer
  inflates with an unbounded ``zlib.decompress`` (ISO 32000-1 section 7.4.4:
  deflate reaches 1032:1, so a 10 MB upload could need 10 GB); the check
  itself holds one 1 MB chunk at a time. Other filter chains (LZW, run
  length, ASCII85 + Flate) are decoded by pypdf under the same output limit.

Glyphs of a font without a Unicode mapping (no ``/ToUnicode`` CMap, no
standard encoding) come out of pdfminer as ``(cid:N)``; each becomes one
U+FFFD and the document gets a warning naming the pages; a text layer that
is mostly such glyphs is refused (it needs OCR, like a scan).
"""

from __future__ import annotations

import io
import logging
import re
import time
import zlib
from pathlib import Path

from policykg.errors import InputError

from .briefing import LinkAnchor
from .document import Document, run_bounded, sanitize_text

__all__ = ["read_pdf", "check_pdf", "MAX_STREAM_BYTES", "MAX_INFLATED_BYTES"]

#: Largest inflated size of one stream (bytes): a full embedded CJK TrueType font is ~20 MB.
MAX_STREAM_BYTES = 64_000_000
#: Largest inflated size of all the streams pdfminer may decode (bytes).
MAX_INFLATED_BYTES = 192_000_000
_CHUNK = 1 << 20
#: pdfminer's placeholder for a glyph it cannot map to Unicode (``PDFLayoutAnalyzer.handle_undefined_char``).
_CID = re.compile(r"\(cid:\d+\)")


def read_pdf(path: Path, data: bytes | None = None, *, timeout_s: float = 60,
             max_stream_bytes: int = MAX_STREAM_BYTES, max_inflated_bytes: int = MAX_INFLATED_BYTES) -> Document:
    """Read a PDF into a :class:`~loaders.document.Document` with ``page_starts`` and ``anchors``.

    Raises :class:`InputError` (file named) for a file that is not a PDF,
    is password-protected, inflates past ``max_stream_bytes`` (one stream)
    or ``max_inflated_bytes`` (all streams) (:func:`check_pdf`), does not
    parse, has no text layer or a text layer of mostly unmapped glyphs, or
    takes longer than ``timeout_s`` (the parser runs in a worker thread the
    caller stops waiting for: :func:`~loaders.document.run_bounded`).
    ``Document.warnings`` notes glyphs replaced by U+FFFD.
    """
    name = Path(path).name
    if data is None:
        data = Path(path).read_bytes()
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise InputError("not a PDF file (no %PDF header)", file=name)
    raw = data

    def run() -> Document:
        check_pdf(raw, name, max_stream_bytes=max_stream_bytes, max_inflated_bytes=max_inflated_bytes)
        return _read_pdf(Path(path), raw, timeout_s)

    return run_bounded(run, timeout_s, name, "PDF text extraction")


def check_pdf(data: bytes, name: str, *, max_stream_bytes: int = MAX_STREAM_BYTES,
              max_inflated_bytes: int = MAX_INFLATED_BYTES) -> int:
    """Check a PDF before text extraction; return the inflated size of its checked streams (bytes).

    Raises :class:`InputError` naming ``name`` when the PDF needs a password
    (ISO 32000-1 section 7.6.3: a non-empty user password), or when a stream
    other than an image (``/Subtype /Image`` referred to only where images go,
    :data:`_IMAGE_USES`: pdfminer never decodes those for text) inflates past
    ``max_stream_bytes``, or all of them past
    ``max_inflated_bytes``. Memory stays bounded: ``/FlateDecode`` streams are
    inflated 1 MB at a time and counted, never kept; other filter chains are
    decoded by pypdf with its output limits set to ``max_stream_bytes``. A file
    pypdf cannot parse is left to pdfminer (which then names what is wrong),
    after a raw scan inflates, with the same bounds, every ``stream`` keyword's
    data that is zlib.
    """
    import pypdf
    from pypdf.errors import LimitReachedError

    budget = _Budget(name, max_stream_bytes, max_inflated_bytes)
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    with pypdf.apply_configuration(  # a context variable: this thread only
            zlib_maximum_output_length=max_stream_bytes, lzw_maximum_output_length=max_stream_bytes,
            run_length_maximum_output_length=max_stream_bytes, brotli_maximum_output_length=max_stream_bytes,
            array_based_stream_maximum_output_length=max_stream_bytes,
            stream_decoding_work_maximum_length=max_stream_bytes):
        try:
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            encrypted = reader.is_encrypted
        except LimitReachedError as exc:
            raise InputError(f"refused: the PDF's structure exceeds a safety limit of the parser ({exc}); possibly "
                             "a decompression bomb", file=name) from None
        except Exception:  # pypdf cannot parse it: bound what pdfminer may inflate with a raw scan
            _raw_scan(data, budget)
            return budget.total
        if encrypted:
            try:
                opened = reader.decrypt("")
            except Exception as exc:  # unsupported handler, missing crypto provider
                raise InputError(f"encrypted (password-protected) PDF that cannot be opened: {exc}",
                                 file=name) from None
            if not opened:
                raise InputError("password-protected PDF (encrypted with a user password): the text cannot be "
                                 "read without it; give a copy without the password", file=name)
        objects = []
        for gen, table in list(reader.xref.items()):
            for num in list(table):
                try:
                    obj = reader.get_object(pypdf.generic.IndirectObject(num, gen, reader))
                except LimitReachedError as exc:
                    raise InputError(f"refused: object {num} exceeds a safety limit of the parser ({exc}); "
                                     "possibly a decompression bomb", file=name) from None
                except Exception:  # a broken object: pdfminer reports what it cannot read
                    continue
                objects.append((num, obj))
        uses = _uses(objects)
        for num, obj in objects:
            if isinstance(obj, pypdf.generic.StreamObject):
                _check_stream(obj, num, budget, image_only=uses.get(num, set()) <= _IMAGE_USES)
    return budget.total


#: Where a reference to an image leads only to ``Do`` (pdfminer's ``render_image``, which keeps the stream
#: undecoded) or to another image: an entry of an ``/XObject`` resource dictionary (ISO 32000-1 section
#: 7.8.3), a soft mask or mask (section 8.9.6, 11.6.5.3), a thumbnail (section 12.3.4), an alternate image
#: (section 8.9.5.4). Any other use (``/Contents``, ``/ToUnicode``, ``/FontFile2``...) is decoded by pdfminer.
_IMAGE_USES = frozenset({"(xobject entry)", "/SMask", "/Mask", "/Thumb", "/Image", "/Alternates"})


def _uses(objects: list) -> dict[int, set[str]]:
    """For each object number, the keys under which the other objects refer to it (``"(xobject entry)"`` for
    an entry of an ``/XObject`` dictionary, direct or itself referred to under ``/XObject``); an array's items
    take the key of the array. References are not followed: each object is walked once."""
    from pypdf.generic import IndirectObject

    uses: dict[int, set[str]] = {}

    def walk(value, key: str | None) -> None:
        stack = [(value, key)]
        while stack:
            value, key = stack.pop()
            if isinstance(value, IndirectObject):
                uses.setdefault(value.idnum, set()).add(str(key))
            elif isinstance(value, dict):
                for k, v in dict.items(value):
                    stack.append((v, "(xobject entry)" if key == "/XObject" else str(k)))
            elif isinstance(value, list):
                stack.extend((v, key) for v in value)

    for _num, obj in objects:
        walk(obj, None)
    # an /XObject dictionary held in an object of its own: walk again, its entries as XObject entries
    held = {num for num, obj in objects if "/XObject" in uses.get(num, ()) and isinstance(obj, dict)
            and not hasattr(obj, "get_data")}
    if held:
        uses.clear()
        for num, obj in objects:
            walk(obj, "/XObject" if num in held else None)
    return uses


class _Budget:
    """Inflated bytes counted so far against the per-stream and total limits."""

    def __init__(self, name: str, per_stream: int, total: int) -> None:
        self.name, self.per_stream, self.limit, self.total = name, per_stream, total, 0

    def add(self, n: int, where: str, so_far: int) -> None:
        self.total += n
        if so_far > self.per_stream:
            raise InputError(f"refused as a possible decompression bomb: {where} inflates past "
                             f"{self.per_stream:,} bytes", file=self.name)
        if self.total > self.limit:
            raise InputError(f"refused as a possible decompression bomb: the streams inflate past "
                             f"{self.limit:,} bytes in all (at {where})", file=self.name)


def _inflate_counted(raw: bytes, where: str, budget: _Budget) -> None:
    """Inflate zlib data, counting the output against ``budget`` and keeping none of it; stop at its end or an error.

    Input goes in 64 kB at a time and output comes out at most 1 MB at a
    time (``decompress(data, max_length)``), so memory stays near 1 MB
    whatever the ratio.
    """
    d = zlib.decompressobj()
    size = 0
    view = memoryview(raw)
    try:
        for i in range(0, len(view), 1 << 16):
            buf = view[i:i + (1 << 16)]
            while buf:
                out = d.decompress(buf, _CHUNK)
                size += len(out)
                budget.add(len(out), where, size)
                if d.eof:
                    return
                buf = d.unconsumed_tail
    except zlib.error:  # not zlib or corrupt: pdfminer's recovery gets no further than what was counted
        return


def _filters(obj) -> list[str]:
    f = obj.get("/Filter")
    if f is None:
        return []
    f = f.get_object() if hasattr(f, "get_object") else f
    items = list(f) if isinstance(f, list) else [f]
    return [str(x.get_object() if hasattr(x, "get_object") else x) for x in items]


def _check_stream(obj, num: int, budget: _Budget, *, image_only: bool = True) -> None:
    """Count the inflated size of one stream object (``num``: its object number) against ``budget``.

    An image (``/Subtype /Image``, ``/Type`` absent or ``/XObject``) is skipped when ``image_only``: no
    object refers to it where pdfminer would decode it (:data:`_IMAGE_USES`)."""
    from pypdf.errors import LimitReachedError

    def name_of(key: str) -> str | None:
        value = obj.get(key)
        return None if value is None else str(value.get_object() if hasattr(value, "get_object") else value)

    if image_only and name_of("/Subtype") == "/Image" and name_of("/Type") in (None, "/XObject"):
        return
    where = f"stream object {num}"
    filters = _filters(obj)
    if not filters:
        return
    raw = getattr(obj, "_data", None)  # the encoded (decrypted) bytes: where pypdf's StreamObject keeps them
    if not isinstance(raw, (bytes, bytearray)):  # pragma: no cover - another pypdf layout: decode under the limit
        filters = ["(pypdf)"]
    if filters in (["/FlateDecode"], ["/Fl"]):
        _inflate_counted(raw, where, budget)
        return
    try:
        decoded = obj.get_data()
    except LimitReachedError:
        budget.add(budget.per_stream + 1, where, budget.per_stream + 1)
        return
    except Exception:  # an unsupported or broken filter: pdfminer says what it cannot read
        return
    finally:
        if hasattr(obj, "decoded_self"):
            obj.decoded_self = None
    budget.add(len(decoded), where, len(decoded))


_STREAM = re.compile(rb"stream(?:\r\n|\n|\r)")


def _raw_scan(data: bytes, budget: _Budget) -> None:
    """Inflate (bounded, counted) the data after every ``stream`` keyword that is zlib: for files pypdf cannot parse."""
    for m in _STREAM.finditer(data):
        head = data[m.end():m.end() + 2]
        if len(head) < 2 or (head[0] & 0x0F) != 8 or ((head[0] << 8) | head[1]) % 31:
            continue  # no zlib header (RFC 1950 section 2.2)
        _inflate_counted(memoryview(data)[m.end():], f"the stream at byte {m.end()}", budget)


def _read_pdf(path: Path, data: bytes, timeout_s: float) -> Document:
    import pdfplumber

    name = path.name
    t0 = time.monotonic()
    chunks: list[str] = []
    page_starts: list[int] = []
    anchors: list[LinkAnchor] = []
    offset = 0
    total_glyphs = total_unmapped = 0
    unmapped_pages: list[int] = []
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for pno, page in enumerate(pdf.pages):
                if time.monotonic() - t0 > timeout_s:
                    raise InputError(f"PDF text extraction ran past {timeout_s} s (page {pno + 1})", file=name)
                text, char_boxes, unmapped, glyphs = _page_text(page)
                total_glyphs += glyphs
                if unmapped:
                    total_unmapped += unmapped
                    unmapped_pages.append(pno + 1)
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
        if "PDFPasswordIncorrect" in repr(exc) or "PDFEncryption" in repr(exc):
            raise InputError("password-protected PDF (encrypted): the text cannot be read without the password",
                             file=name) from None
        raise InputError(f"unreadable PDF: {type(exc).__name__}: {exc}", file=name) from None
    full = sanitize_text("\n".join(chunks))
    if not full.strip():
        raise InputError("the PDF has no text layer (scanned images need OCR first)", file=name)
    warnings_: list[str] = []
    if total_unmapped:
        if total_unmapped * 2 > total_glyphs:
            raise InputError(f"{total_unmapped} of the {total_glyphs} glyphs have no Unicode mapping (a font without "
                             "a /ToUnicode map): the text layer is unreadable and needs OCR", file=name)
        pages = ", ".join(str(n) for n in unmapped_pages[:10]) + (", ..." if len(unmapped_pages) > 10 else "")
        warnings_.append(f"{total_unmapped} glyphs of a font without a Unicode mapping (no /ToUnicode map) on "
                         f"page(s) {pages} were replaced by U+FFFD; that text is lost")
    anchors.sort(key=lambda a: (a.start, a.end, a.uri))
    return Document(Path(path), "pdf", full, page_starts=page_starts, anchors=anchors, warnings=warnings_)


def _page_text(page) -> tuple[str, dict[int, tuple[float, float]], int, int]:
    """A page's text (lines, blank lines at paragraph gaps), the centre of each character by offset,
    the number of glyphs without a Unicode mapping (each now one U+FFFD) and the number of glyphs."""
    # y_tolerance 4 pt keeps superscripts ("14th", "m2") on their line at body sizes
    lines = page.extract_text_lines(return_chars=True, strip=False, y_tolerance=4)
    out: list[str] = []
    boxes: dict[int, tuple[float, float]] = {}
    pos = 0
    prev_bottom = None
    prev_height = None
    unmapped = glyphs = 0
    for ln in lines:
        # pdfplumber's text map lists a char once per letter of its text ("(cid:3)", a ligature "fi"): keep it once
        chars = [c for k, c in enumerate(ln.get("chars", [])) if k == 0 or c is not ln["chars"][k - 1]]
        chars.sort(key=lambda c: float(c["x0"]))
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
            if t != " ":
                glyphs += 1
            if _CID.fullmatch(t):  # one glyph pdfminer could not map: one replacement character
                t = "\ufffd"
                unmapped += 1
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
    return text, boxes, unmapped, glyphs
