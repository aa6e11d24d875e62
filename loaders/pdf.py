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

Layouts of tracker PDFs (:func:`_page_text`; each rule's own docstring says
what it must not do):

* a URL broken over two lines is joined into one line, as its link
  annotation says, else when the line was full (:func:`_url_wraps`);
* superscript footnote markers (smaller, raised digits or symbols) are
  dropped; powers ("m2") and ordinals ("14th") stay (:func:`_drop_markers`);
* a two-column page is read left column, then right; full-width parts stay
  in place (:func:`_gutter`, :func:`_reading_order`);
* a drawn (ruled) table becomes one line per row, cells joined by " | ",
  header first, with a blank line around it (:func:`_tables`), the layout
  :func:`loaders.briefing.find_tables` reads;
* running headers and footers ("Page 2 of 5", a masthead repeated at the
  same height; only page numbers may differ) are left out
  (:func:`_running_lines`); a letter-spaced logo ("L L R C") above the
  first page's text is left out and letter-spaced words elsewhere are
  joined (:func:`_unspace_letters`);
* text set in a bold face is listed in ``Document.emphasis``
  (:func:`_bold_runs`): a title set in bold inside prose.

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
is mostly such glyphs is refused (it needs OCR, like a scan). One such glyph
alone at a line start, before mapped text, is a bullet and becomes "\u2022"
(:func:`_unmapped_bullet`); no "(cid:N)" text ever reaches the loaders.
"""

from __future__ import annotations

import bisect
import io
import logging
import re
import time
import zlib
from pathlib import Path

from policykg.errors import InputError

from .briefing import LinkAnchor
from .document import (
    FOOTNOTE_MARK,
    Document,
    cell_bars,
    kept_superscript,
    run_bounded,
    sanitize_text,
)

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
    count = _Count()
    unmapped_pages: list[int] = []
    emphasis: list[tuple[int, int]] = []
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            layouts: list[_PageLayout] = []
            for pno, page in enumerate(pdf.pages):
                if time.monotonic() - t0 > timeout_s:
                    raise InputError(f"PDF text extraction ran past {timeout_s} s (page {pno + 1})", file=name)
                layouts.append(_page_layout(page))
            running = _running_lines(layouts)
            for pno, lay in enumerate(layouts):
                if time.monotonic() - t0 > timeout_s:
                    raise InputError(f"PDF text extraction ran past {timeout_s} s (page {pno + 1})", file=name)
                before = count.unmapped
                text, char_boxes = _page_text(lay, running.get(pno, set()), count, masthead=pno == 0)
                if count.unmapped > before:
                    unmapped_pages.append(pno + 1)
                page_starts.append(offset)
                emphasis.extend(_bold_runs(text, char_boxes, offset))
                for uri, x0, x1, top, bottom in lay.links:
                    inside = [k for k, (cx, cy, _b) in char_boxes.items()
                              if x0 - 0.5 <= cx <= x1 + 0.5 and top - 0.5 <= cy <= bottom + 0.5]
                    if inside:
                        anchors.append(LinkAnchor(uri, offset + min(inside), offset + max(inside) + 1, pno))
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
    total_unmapped, total_glyphs = count.unmapped, count.glyphs
    if total_unmapped:
        if total_unmapped * 2 > total_glyphs:
            raise InputError(f"{total_unmapped} of the {total_glyphs} glyphs have no Unicode mapping (a font without "
                             "a /ToUnicode map): the text layer is unreadable and needs OCR", file=name)
        pages = ", ".join(str(n) for n in unmapped_pages[:10]) + (", ..." if len(unmapped_pages) > 10 else "")
        warnings_.append(f"{total_unmapped} glyphs of a font without a Unicode mapping (no /ToUnicode map) on "
                         f"page(s) {pages} were replaced by U+FFFD; that text is lost")
    anchors.sort(key=lambda a: (a.start, a.end, a.uri))
    return Document(Path(path), "pdf", full, page_starts=page_starts, anchors=anchors, warnings=warnings_,
                    emphasis=emphasis)


# --------------------------------------------------------------------------- page layout

class _Count:
    """Glyphs seen and glyphs without a Unicode mapping (each now one U+FFFD), over the whole document."""

    def __init__(self) -> None:
        self.glyphs = self.unmapped = 0


#: One character of the text with the centre of its glyph box (``None`` for an inserted space or separator).
#: The box is ``(cx, cy, bold)``: the glyph's centre (pt) and whether its font is a bold face (:func:`_bold`).
_Item = tuple[str, "tuple[float, float, bool] | None"]


class _Unit:
    """A text line (its characters, sorted by x) or a drawn table (its rows of cells, each a list of lines of
    characters) at its place on the page (PDF user space as pdfplumber gives it: ``top`` grows downwards)."""

    __slots__ = ("chars", "rows", "top", "bottom", "x0", "x1", "size", "col_right")

    def __init__(self, chars: list | None = None, rows: list | None = None,
                 bbox: tuple[float, float, float, float] | None = None) -> None:
        self.chars = chars
        self.rows = rows
        if chars:
            self.x0 = min(float(c["x0"]) for c in chars)
            self.x1 = max(float(c["x1"]) for c in chars)
            self.top = min(float(c["top"]) for c in chars)
            self.bottom = max(float(c["bottom"]) for c in chars)
            sizes = sorted(_size(c) for c in chars)
            self.size = sizes[len(sizes) // 2]
        else:
            assert bbox is not None
            self.x0, self.top, self.x1, self.bottom = (float(v) for v in bbox)
            self.size = 0.0
        self.col_right = self.x1


class _PageLayout:
    """What :func:`_page_layout` read from one page: text lines and drawn tables (:class:`_Unit`), the link
    annotations ``(uri, x0, x1, top, bottom)`` and the page height (pt)."""

    def __init__(self, units: list[_Unit], links: list[tuple[str, float, float, float, float]],
                 height: float) -> None:
        self.units, self.links, self.height = units, links, height


def _size(c: dict) -> float:
    """A character's font size (pt); its box height when the PDF gives none."""
    try:
        s = float(c.get("size") or 0)
    except (TypeError, ValueError):
        s = 0.0
    return s if s > 0 else max(float(c["bottom"]) - float(c["top"]), 1.0)


def _page_layout(page) -> _PageLayout:
    """Read a page's text lines, drawn tables and link annotations.

    Lines: pdfplumber's ``extract_text_lines`` (y tolerance 4 pt keeps
    superscripts such as "14th", "m2" on their line at body sizes), each
    character once, sorted by x. Tables: :func:`_tables`; their characters
    leave the lines.
    """
    lines = page.extract_text_lines(return_chars=True, strip=False, y_tolerance=4)
    tables = _tables(page)
    units: list[_Unit] = []
    for ln in lines:
        # pdfplumber's text map lists a char once per letter of its text ("(cid:3)", a ligature "fi"): keep it once
        chars = [c for k, c in enumerate(ln.get("chars", [])) if k == 0 or c is not ln["chars"][k - 1]]
        if tables:
            chars = [c for c in chars if not any(_inside(c, t) for t in tables)]
        chars = [c for c in chars if c.get("text")]
        if not chars:
            continue
        chars.sort(key=lambda c: float(c["x0"]))
        units.append(_Unit(chars=chars))
    units.extend(tables)
    links = []
    for link in page.hyperlinks or []:
        uri = link.get("uri")
        if uri:
            links.append((str(uri).strip(), float(link["x0"]), float(link["x1"]), float(link["top"]),
                          float(link["bottom"])))
    return _PageLayout(units, links, float(page.height))


def _inside(c: dict, t: _Unit) -> bool:
    cx = (float(c["x0"]) + float(c["x1"])) / 2
    cy = (float(c["top"]) + float(c["bottom"])) / 2
    return t.x0 - 1 <= cx <= t.x1 + 1 and t.top - 1 <= cy <= t.bottom + 1


#: Longest mean cell text (characters) of a drawn table: ruled boxes around whole paragraphs are layout, not a grid.
_MAX_MEAN_CELL = 200


def _tables(page) -> list[_Unit]:
    """The page's drawn (ruled) tables, found by pdfplumber's ``find_tables`` (the "lines" strategy: cells
    bounded by drawn lines or rectangles). A table needs two rows and two columns with text in at least
    two cells of two rows; each cell's characters are grouped into lines. A character goes to the cell of
    its row whose box holds its centre, else to a cell merged over several rows that holds it (its text
    belongs to the merged cell's first row: "Coastal counties | 2031 | 45 GW", then " | 2035 | 60 GW")."""
    if not page.edges:
        return []
    try:
        found = _find_tables(page)
    except Exception:  # a degenerate drawing: read the page as plain text
        return []
    if not found:
        return []
    chars = page.chars
    out: list[_Unit] = []
    for t in found:
        rows = [[cell for cell in r.cells] for r in t.rows]
        if len(rows) < 2 or max(len(r) for r in rows) < 2:
            continue
        x0, top, x1, bottom = (float(v) for v in t.bbox)
        unit = _Unit(bbox=(x0, top, x1, bottom))
        cells: dict[tuple[int, int], list] = {}
        row_tops = [min((float(c[1]) for c in r if c is not None), default=top) for r in rows]
        # cells merged over rows (pdfplumber lists such a cell in its first row only, None below it)
        tall = [(i, j, cell) for i, r in enumerate(rows) for j, cell in enumerate(r)
                if cell is not None and i + 1 < len(rows) and float(cell[3]) > row_tops[i + 1] + 1]
        for ch in chars:
            if not ch.get("text") or not _inside(ch, unit):
                continue
            cx = (float(ch["x0"]) + float(ch["x1"])) / 2
            cy = (float(ch["top"]) + float(ch["bottom"])) / 2
            i = max(bisect.bisect_right(row_tops, cy + 1) - 1, 0)
            for i2, j, cell in [(i, j, cell) for j, cell in enumerate(rows[i])] + tall:
                if cell is not None and cell[0] - 1 <= cx <= cell[2] + 1 and cell[1] - 1 <= cy <= cell[3] + 1:
                    cells.setdefault((i2, j), []).append(ch)
                    break
        filled = [sum(1 for j in range(len(r)) if (i, j) in cells) for i, r in enumerate(rows)]
        if sum(1 for f in filled if f >= 2) < 2:
            continue
        n_chars = sum(len(v) for v in cells.values())
        if n_chars > _MAX_MEAN_CELL * len(cells):
            continue
        unit.rows = [[_cluster_lines(cells.get((i, j), [])) for j in range(len(r))] for i, r in enumerate(rows)]
        out.append(unit)
    return out


#: Most ruling-line crossings a page may have for its tables to be looked for: pdfplumber's
#: ``intersections_to_cells`` compares every crossing with every other (quadratic; a dense 150 x 150 grid
#: took 45 s). A 60-row, 8-column ruled table has under 600.
_MAX_INTERSECTIONS = 2500


def _find_tables(page) -> list:
    """``page.find_tables()`` (default settings), or ``[]`` when the page's ruling lines cross more than
    :data:`_MAX_INTERSECTIONS` times (a chart or a map drawn in lines, not a table); the steps are those of
    ``pdfplumber.table.TableFinder``, with the count checked before the quadratic one."""
    from pdfplumber import table as pt

    finder = pt.TableFinder.__new__(pt.TableFinder)
    finder.page = page
    finder.settings = pt.TableSettings.resolve(None)
    edges = finder.get_edges()
    crossings = pt.edges_to_intersections(edges, finder.settings.intersection_x_tolerance,
                                          finder.settings.intersection_y_tolerance)
    if len(crossings) > _MAX_INTERSECTIONS:
        return []
    cells = pt.intersections_to_cells(crossings)
    return [pt.Table(page, group) for group in pt.cells_to_tables(cells)]


def _cluster_lines(chars: list) -> list[list]:
    """Characters grouped into lines: sorted by top, a new line where a character's top lies more than half
    its size below the current line's first top; each line sorted by x."""
    lines: list[list] = []
    first_top = None
    for c in sorted(chars, key=lambda c: (float(c["top"]), float(c["x0"]))):
        if first_top is None or float(c["top"]) - first_top > 0.5 * _size(c):
            lines.append([])
            first_top = float(c["top"])
        lines[-1].append(c)
    for ln in lines:
        ln.sort(key=lambda c: float(c["x0"]))
    return lines


# --------------------------------------------------------------------------- footnote markers

def _drop_markers(chars: list) -> list:
    """A line's characters without its superscript footnote markers.

    A marker is a run of characters at most 0.85 times the line's body size
    (the most common size, the larger on a tie) whose bottom sits at least
    0.12 of that size above the body's baseline, and whose text is a marker
    (:data:`~loaders.document.FOOTNOTE_MARK`). Kept: a raised digit after a
    unit of length, "10" or a formula's letters
    (:func:`~loaders.document.kept_superscript`: "m2", "CO2"), and raised
    letters ("14th").
    Lowered characters (subscripts, "CO2") are never touched.
    """
    body = [c for c in chars if c["text"].strip()]
    if len(body) < 2:
        return chars
    tally: dict[float, int] = {}
    for c in body:
        s = round(_size(c), 1)
        tally[s] = tally.get(s, 0) + 1
    dom = max(tally, key=lambda s: (tally[s], s))
    bottoms = sorted(float(c["bottom"]) for c in body if round(_size(c), 1) == dom)
    base = bottoms[len(bottoms) // 2]

    def raised(c: dict) -> bool:
        return bool(c["text"].strip()) and _size(c) <= 0.85 * dom and float(c["bottom"]) <= base - 0.12 * dom

    out: list = []
    i, n = 0, len(chars)
    while i < n:
        if not raised(chars[i]):
            out.append(chars[i])
            i += 1
            continue
        j = i
        while j < n and raised(chars[j]):
            j += 1
        run = "".join(c["text"] for c in chars[i:j])
        before = _text(_items(out[-6:], None))  # spaces from the gaps: PDFs seldom draw space glyphs
        if not FOOTNOTE_MARK.fullmatch(run) or kept_superscript(run, before):
            out.extend(chars[i:j])
        i = j
    return out


# --------------------------------------------------------------------------- lines to text

#: Least gap between two glyphs (a share of the font size, em) read as a word space. Word spaces are about
#: 0.2-0.28 em (Helvetica 0.278, Times 0.25, the half-width space of CJK fonts such as STSong about 0.2),
#: letters of a word touch or nearly so (kerning and tracking well under 0.1 em).
_WORD_GAP = 0.15


def _items(chars: list, count: _Count | None) -> list[_Item]:
    """The text of one line's characters (sorted by x): a space where the gap to the previous character
    exceeds :data:`_WORD_GAP` of its size; a glyph pdfminer could not map (``(cid:N)``) becomes one U+FFFD."""
    out: list[_Item] = []
    last_x1 = None
    for c in chars:
        t = c.get("text", "")
        if not t:
            continue
        if t != " " and count is not None:
            count.glyphs += 1
        if _CID.fullmatch(t):
            t = "\ufffd"
            if count is not None:
                count.unmapped += 1
        if last_x1 is not None and float(c["x0"]) - last_x1 > _WORD_GAP * _size(c) and out and out[-1][0] != " " \
                and t != " ":
            out.append((" ", None))
        box = ((float(c["x0"]) + float(c["x1"])) / 2, (float(c["top"]) + float(c["bottom"])) / 2, _bold(c))
        for ch in t:
            out.append((ch, box))
        last_x1 = float(c["x1"])
    while out and out[-1][0] == " ":
        out.pop()
    if _unmapped_bullet(out, chars):
        out[0] = ("\u2022", out[0][1])
        if count is not None:
            count.unmapped -= 1
    return out


def _unmapped_bullet(out: list[_Item], chars: list) -> bool:
    """Whether a line's first glyph is a bullet drawn in a font without a Unicode mapping (pdfminer's
    ``(cid:N)``, e.g. reportlab's "\u2022" in a standard-14 font's encoding as ``(cid:127)``): it stands alone,
    set off from the text by a gap, and the text after it is mapped (a line of a font with no mapping at all,
    CJK without ``/ToUnicode``, stays U+FFFD throughout). Such a glyph is read as "\u2022" (a list item,
    as :mod:`loaders.briefing` reads bullets) instead of U+FFFD."""
    if len(out) < 3 or out[0][0] != "\ufffd" or out[1][0] != " " or out[2][0] in ("\ufffd", " "):
        return False
    first = next((c for c in chars if c.get("text", "") not in ("", " ")), None)
    return first is not None and bool(_CID.fullmatch(first.get("text", "")))


#: Font name parts of a bold face (PostScript names: "Helvetica-Bold", "ABCDEF+NotoSans-SemiBold", "Arial,Bold").
_BOLD_FONT = re.compile(r"bold|black|heavy|demi|semibd|[-,]bd\b", re.I)


def _bold(c: dict) -> bool:
    """Whether a character's font is a bold face, by its name (:data:`_BOLD_FONT`)."""
    return bool(_BOLD_FONT.search(str(c.get("fontname") or "")))


def _bold_runs(text: str, boxes: dict[int, tuple[float, float, bool]], offset: int) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` (``offset`` added) of bold text in a page's ``text``: runs of bold characters,
    continued over spaces and one line break between two bold characters (a blank line ends a run: a bold
    heading and the bold title under it are two runs). Linear in the page's characters."""
    out: list[tuple[int, int]] = []
    start = end = None
    for k in sorted(boxes):
        bold = boxes[k][2]
        if start is not None and bold and (k == end or (text[end:k].isspace() and text.count("\n", end, k) <= 1)):
            end = k + 1
            continue
        if start is not None:
            out.append((start, end))
            start = None
        if bold:
            start, end = k, k + 1
    if start is not None:
        out.append((start, end))
    return [(offset + s, offset + e) for s, e in out if text[s:e].strip()]


def _text(items: list[_Item]) -> str:
    return "".join(ch for ch, _ in items)


#: Share of the page height at the top and at the bottom where running headers and footers sit.
_MARGIN = 0.08


#: Page numbers in a running header or footer (each number becomes "#" in :func:`_page_key`): a line that is a
#: number alone ("3", "- 3 -", "[3]"), "Page 3", "p. 3", "3 of 12", "3/12", "第3页", and a number that opens or
#: closes the line, set off from its words ("3  Tidal Watch", "Tidal Watch | 3").
_PAGE_NUMBER = re.compile(
    r"^[\W_]*\d{1,4}[\W_]*$"
    r"|(?i:\b(?:page|pg|p)\.?\s*)\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"
    r"|\b\d{1,4}\s*(?:of|/|\uff0f)\s*\d{1,4}\b"
    r"|\u7b2c\s*\d{1,4}\s*\u9875|\d{1,4}\s*\u9875"
    r"|^\d{1,4}(?=\s)|(?<=\s)\d{1,4}$")
#: Most words of a line whose page number is masked to compare it with other pages (a running head is short).
_RUNNING_WORDS = 12


def _page_key(text: str) -> str:
    """The text a running header or footer keeps from page to page: ``text`` with its whitespace collapsed
    and its page numbers (:data:`_PAGE_NUMBER`) as "#". Other numbers stay: body lines that differ only in
    them ("Article 1 ... 3 GW", "Article 2 ... 4 GW") are different lines. A line of more than
    :data:`_RUNNING_WORDS` words keeps its page number too (it must repeat exactly)."""
    text = " ".join(text.split())
    if len(text.split()) > _RUNNING_WORDS:
        return text
    return _PAGE_NUMBER.sub(lambda m: re.sub(r"\d+", "#", m.group(0)), text)


def _running_lines(layouts: list[_PageLayout]) -> dict[int, set[int]]:
    """Running headers and footers: per page, the indexes (into ``units``) of its first two and last two text
    lines that lie in the top or bottom 8% of the page (:data:`_MARGIN`) and recur with the same text (page
    numbers compared as ``#``, :func:`_page_key`: "Page 2 of 5") within 3 pt of the same height on two or
    more pages."""
    seen: dict[str, list[tuple[int, int, float]]] = {}
    for pno, lay in enumerate(layouts):
        lines = sorted((k for k, u in enumerate(lay.units) if u.chars), key=lambda k: lay.units[k].top)
        for k in {*lines[:2], *lines[-2:]}:
            u = lay.units[k]
            if u.top > _MARGIN * lay.height and u.bottom < (1 - _MARGIN) * lay.height:
                continue
            key = _page_key(_text(_items(u.chars, None)))
            if key:
                seen.setdefault(key, []).append((pno, k, u.top))
    out: dict[int, set[int]] = {}
    for hits in seen.values():
        for pno, k, top in hits:
            if len({p for p, _, t in hits if abs(t - top) <= 3}) >= 2:
                out.setdefault(pno, set()).add(k)
    return out


def _occupied(chars: list) -> list[tuple[float, float]]:
    """The x-intervals a line's visible characters cover, gaps of up to one character size closed (word
    spaces, even stretched by justification, stay inside)."""
    out: list[list[float]] = []
    for c in chars:
        if not c["text"].strip():
            continue
        x0, x1 = float(c["x0"]), float(c["x1"])
        if out and x0 - out[-1][1] <= _size(c):
            out[-1][1] = max(out[-1][1], x1)
        else:
            out.append([x0, x1])
    return [(a, b) for a, b in out]


#: Candidate gutter positions tried across the middle half of the text width.
_GUTTER_STEPS = 200


def _gutter(lines: list[_Unit]) -> float | None:
    """The x of the gutter of a two-column page, or ``None``.

    A gutter is a vertical strip, somewhere in the middle half of the text
    width, that no character covers (:func:`_occupied`) on at least six lines
    (and 30% of the page's lines) more than lines cover it, counting the
    lines that have text on its right: lines with text on both sides of it
    and lines that start right of it (a right column's lines need not share
    a baseline with the left one's). Then the
    strip they leave free is at least one character size wide, the text
    right of it reads as prose (a median of three or more words) and
    mostly starts at one x (a column's left edge, within one character size;
    centred lines start anywhere), and most lines left of it run up to it (columns are filled; a table's cells or a
    one-column page's short lines are not), and the text left of it reads as
    prose too (a median of three or more words: the labels of a label/value
    form, "Issuing body   Coastal Energy Bureau ...", are no column). Linear in
    the number of lines (a difference array over :data:`_GUTTER_STEPS` positions).
    """
    if len(lines) < 8:
        return None
    X0 = min(u.x0 for u in lines)
    X1 = max(u.x1 for u in lines)
    W = X1 - X0
    if W <= 0:
        return None
    lo, hi = X0 + 0.25 * W, X0 + 0.75 * W
    dx = (hi - lo) / _GUTTER_STEPS
    diff = [0] * (_GUTTER_STEPS + 2)

    def mark(a: float, b: float, by: int = 1) -> None:
        k0 = max(0, int((a - lo) / dx) + 1)
        k1 = min(_GUTTER_STEPS, int((b - lo) / dx))
        if k0 <= k1:
            diff[k0] += by
            diff[k1 + 1] -= by

    gaps_of: list[list[tuple[float, float]]] = []
    for u in lines:
        occ = _occupied(u.chars)
        gaps = [(occ[k][1], occ[k + 1][0]) for k in range(len(occ) - 1)]
        if occ:
            gaps.insert(0, (X0 - 1.0, occ[0][0]))  # a line starting right of x has x free on its left
        gaps_of.append(gaps)
        for g0, g1 in gaps:
            mark(g0, g1)
        for a, b in occ:  # a line covering x counts against it
            mark(a - dx, b + dx, -1)
    best_k, best, run = 0, 0, 0
    for k in range(_GUTTER_STEPS + 1):
        run += diff[k]
        if run > best:
            best_k, best = k, run
    if best < 6 or best < 0.3 * len(lines):
        return None
    x = lo + best_k * dx
    g1 = X1
    words: list[int] = []
    left_words: list[int] = []  # words of the text left of x
    starts: list[float] = []
    ends: list[float] = []  # right edges of the text left of x
    for u, gaps in zip(lines, gaps_of):
        hit = next(((a, b) for a, b in gaps if a < x < b), None)
        if hit is None:
            if u.x1 < x:  # a line of the left column only
                ends.append(u.x1)
                left_words.append(len(_text(_items(u.chars, None)).split()))
            continue
        g1 = min(g1, hit[1])
        starts.append(hit[1])
        right = _text(_items([c for c in u.chars if float(c["x0"]) >= hit[1] - 0.01], None))
        words.append(len(right.split()))
        if hit[0] > X0:
            ends.append(hit[0])
            left = _text(_items([c for c in u.chars if float(c["x1"]) <= hit[0] + 0.01], None))
            left_words.append(len(left.split()))
    if not ends or not words:
        return None
    g0 = max(ends)
    filled = sum(1 for e in ends if e >= g0 - 0.25 * (g0 - X0))
    size = sorted(u.size for u in lines)[len(lines) // 2]
    words.sort()
    left_words.sort()
    aligned = sum(1 for s in starts if s <= g1 + size)
    if g1 - g0 < size or words[len(words) // 2] < 3 or filled * 2 < len(ends) or aligned < 0.6 * len(starts):
        return None
    if left_words[len(left_words) // 2] < 3:  # labels of a form ("Issuing body   Coastal Energy Bureau")
        return None
    return (g0 + g1) / 2


def _reading_order(units: list[_Unit]) -> list[_Unit]:
    """The page's units in reading order, each with ``col_right`` (the right edge of its column).

    One column: top to bottom. Two columns (:func:`_gutter`): units that
    cross the gutter (full-width headers, headings, paragraphs, tables) stay
    in place from top to bottom; each run of units between them is read left
    column first, then the right one (a line that runs across the gutter's
    height is split at the gutter).
    """
    units = sorted(units, key=lambda u: (u.top, u.x0))
    lines = [u for u in units if u.chars]
    x = _gutter(lines)
    if x is None:
        right = max((u.x1 for u in units), default=0.0)
        for u in units:
            u.col_right = right
        return units

    def crosses(u: _Unit) -> bool:
        if u.chars is None:
            return u.x0 < x < u.x1
        return any(a < x < b for a, b in _occupied(u.chars))

    out: list[_Unit] = []
    band: list[_Unit] = []
    full: list[_Unit] = []

    def flush() -> None:
        left: list[_Unit] = []
        right: list[_Unit] = []
        for u in band:
            if u.chars is None:
                (left if (u.x0 + u.x1) / 2 < x else right).append(u)
                continue
            lc = [c for c in u.chars if (float(c["x0"]) + float(c["x1"])) / 2 < x]
            rc = [c for c in u.chars if (float(c["x0"]) + float(c["x1"])) / 2 >= x]
            if any(c["text"].strip() for c in lc):
                left.append(_Unit(chars=lc))
            if any(c["text"].strip() for c in rc):
                right.append(_Unit(chars=rc))
        for side in (left, right):
            edge = max((u.x1 for u in side), default=0.0)
            for u in side:
                u.col_right = edge
            out.extend(sorted(side, key=lambda u: u.top))
        band.clear()

    for u in units:
        if crosses(u):
            flush()
            full.append(u)
            out.append(u)
        else:
            band.append(u)
    flush()
    edge = max((u.x1 for u in full), default=0.0)
    for u in full:
        u.col_right = edge
    return out


#: A URL running to the end of a line (the part of it before the line break).
_URL_AT_END = re.compile(r"(?:https?://|www\.)\S+$", re.I)
#: Characters of a URL (RFC 3986 section 2: unreserved, reserved, percent).
_URL_CHARS = re.compile(r"[A-Za-z0-9\-._~%/?#\[\]@!$&'()*+,;=:]+")


#: The end of a URL that names a document: a file extension of a web page or a download. Without an
#: annotation to say otherwise, such a URL is complete at the line end.
_COMPLETE_URL = re.compile(r"\.(?:s?html?|php|aspx?|jsp|pdf|docx?|xlsx?|pptx?|txt|csv|zip)$", re.I)


#: A word that is an abbreviation, not a piece of a URL: letters of one or two set apart by periods ("e.g.",
#: "i.e.", "a.m.", "U.S."), or a common abbreviation with its period, optionally a number glued on ("No.5",
#: "cf.", "etc.", "pp.12"). Such a first word of a line never continues a URL without an annotation to say so.
_ABBREVIATION = re.compile(r"(?:[A-Za-z]{1,2}\.){2,}|(?:cf|etc|vs|viz|ibid|no|nos|art|arts|para|paras|pp?|ch|sec|"
                           r"fig|figs|vol|eq|approx|incl|esp|resp|ref|refs|ed|eds)\.(?:\d[\d.,\-\u2013]*)?", re.I)


def _url_wraps(head: str, tail: str, room: float, size: float, uris: list[str]) -> bool:
    """Whether the line ``tail`` continues a URL that ``head`` ends with (a URL broken at a line end).

    With link annotations on the page (``uris``): when one of them starts
    with the URL part at the end of ``head`` followed by the first word of
    ``tail``. An annotation that covers the part on its own (no longer URI
    starting with it) says the URL ended there. Without one, from the text:
    ``head``'s URL does not end with a document's file extension
    (:data:`_COMPLETE_URL`: ".html", ".pdf"), the first word of ``tail`` is
    all URL characters, holds a path character or digit and a letter or
    slash, is no abbreviation (:data:`_ABBREVIATION`: "e.g.", "No.5"), and would not have fitted in the
    ``room`` (pt) left at the end of ``head``'s line (about 0.6 of the font
    ``size`` per character), so the layout had to break there.
    """
    m = _URL_AT_END.search(head)
    w = re.match(r"\S+", tail)
    if not m or not w:
        return False
    part, word = m.group(0), w.group(0)

    def bare(u: str) -> str:
        return re.sub(r"^https?://", "", u, flags=re.I)

    part_b = bare(part)
    cont = word.rstrip(".,;:)]")
    related = [bare(u) for u in uris if bare(u).startswith(part_b)]
    if related:
        return any(len(u) > len(part_b) and u[len(part_b):].startswith(cont) and cont for u in related)
    if uris and any(part_b.startswith(bare(u)) for u in uris):
        return False
    if not _URL_CHARS.fullmatch(word) or not re.search(r"[/._=?&%#\d]", word) or not re.search(r"[A-Za-z/]", word):
        return False
    if _ABBREVIATION.fullmatch(word.rstrip(",;:)]")):
        return False
    if _COMPLETE_URL.search(part):
        return False
    return room < 0.6 * size * len(word)


#: A line of single glyphs set apart (a letter-spaced logo or heading: "L L R C"; a letter-spaced sentence,
#: punctuation included: "B y 2 0 2 8 , ...").
_SPACED_LETTERS = re.compile(r"(?:\S ){2,}\S")


#: Widest median gap between the letters of a letter-spaced line, in font sizes (em). Letter-spacing of logos
#: and headings stays under about one em (a CJK heading spaced by one full-width character is 1 em); wider gaps
#: are columns (a borderless table's header "1  2  3  4"), not spacing.
_MAX_LETTER_GAP = 1.5
#: A masthead logo: one word of at most eight Latin letters ("LLRC").
_LOGO = re.compile(r"[A-Za-z]{1,8}")


def _unspace_letters(items: list[_Item], chars: list, *, masthead: bool = False) -> list[_Item] | None:
    """A letter-spaced line (:data:`_SPACED_LETTERS`) with its letters joined into words: a gap over 1.6
    times the median gap between letters (and over it by 0.3 of the font size) separates words.

    ``items`` unchanged when the median gap is over :data:`_MAX_LETTER_GAP` font sizes (single characters
    set in columns, not letter-spacing). ``None`` (drop the line) only for a logo in the masthead: when
    ``masthead`` (the line comes before any other text of the first page) and it joins into one word of
    at most eight Latin letters (:data:`_LOGO`). Elsewhere a spaced word is content ("S U M M A R Y" over
    a paragraph, a spaced CJK heading "\u5b9e \u65bd \u65b9 \u6848") and is joined, never dropped."""
    letters = [c for c in chars if c["text"].strip()]
    gaps = [float(b["x0"]) - float(a["x1"]) for a, b in zip(letters, letters[1:])]
    if not gaps:
        return items
    mid = sorted(gaps)[len(gaps) // 2]
    size = _size(letters[0])
    if mid > _MAX_LETTER_GAP * size:
        return items
    cut = max(1.6 * mid, mid + 0.3 * size)
    out: list[_Item] = []
    for k, c in enumerate(letters):
        if k and gaps[k - 1] > cut:
            out.append((" ", None))
        out.append((c["text"], ((float(c["x0"]) + float(c["x1"])) / 2, (float(c["top"]) + float(c["bottom"])) / 2,
                                _bold(c))))
    if masthead and _LOGO.fullmatch(_text(out)):
        return None
    return out


def _page_text(lay: _PageLayout, running: set[int], count: _Count, *,
               masthead: bool = False) -> tuple[str, dict[int, tuple[float, float, bool]]]:
    """A page's text and, by offset, the centre of each character and whether it is bold.

    Lines in reading order (:func:`_reading_order`), running headers and
    footers left out (:func:`_running_lines`), superscript footnote markers
    dropped (:func:`_drop_markers`), a URL broken over two lines joined
    (:func:`_url_wraps`), a letter-spaced logo left out when ``masthead``
    (the first page) and it comes before the page's other text
    (:func:`_unspace_letters`); a vertical gap larger than 0.6 of a line
    height between two lines, or a step in type size (:func:`_heading_step`: a slide's title, its
    "agency | date" line, a small "Source:" footer), becomes a blank line. A drawn table becomes
    one line per row, cells joined by " | ", header row first, with a blank
    line before and after it (the table layout :func:`loaders.briefing.find_tables`
    reads); a cell's lines are joined by a space, or without one after a
    hyphen that ends a line before a lower-case letter.
    """
    units = [u for k, u in enumerate(lay.units) if k not in running]
    uris = [u for u, *_ in lay.links]
    # (items, first unit, last unit, is a table row) in reading order; a URL joined over two lines
    # keeps its first line's unit for the gap above it and its last line's for the gap below
    seq: list[tuple[list[_Item], _Unit, _Unit, bool]] = []
    for u in _reading_order(units):
        if u.rows is not None:
            for row in u.rows:
                items: list[_Item] = []
                for j, cell in enumerate(row):
                    if j:
                        items.extend([(" ", None), ("|", None), (" ", None)])
                    items.extend(_cell_items(cell, count))
                seq.append((items, u, u, True))
            continue
        chars = _drop_markers(u.chars)
        items = _items(chars, count)
        if not items:
            continue
        if _SPACED_LETTERS.fullmatch(_text(items)):
            spaced = _unspace_letters(items, chars, masthead=masthead and not seq)
            if spaced is None:
                continue
            items = spaced
        if seq and not seq[-1][3]:
            prev_items, first, last, _ = seq[-1]
            if _url_wraps(_text(prev_items), _text(items), last.col_right - last.x1, last.size or u.size, uris):
                seq[-1] = (prev_items + items, first, u, False)
                continue
        seq.append((items, u, u, False))
    out: list[_Item] = []
    prev_unit: _Unit | None = None
    prev_table = False
    for items, first, last, is_row in seq:
        if prev_unit is not None:
            if is_row and first is prev_unit:
                pass  # the next row of the same table
            elif is_row or prev_table:
                out.append(("\n", None))
            else:
                gap = first.top - prev_unit.bottom
                if gap > 0.6 * max(prev_unit.bottom - prev_unit.top, first.bottom - first.top) \
                        or _heading_step(prev_unit, first):
                    out.append(("\n", None))
        out.extend(items)
        out.append(("\n", None))
        prev_unit, prev_table = last, is_row
    text = "".join(ch for ch, _ in out)
    boxes = {k: box for k, (_, box) in enumerate(out) if box is not None}
    return text, boxes


#: Ratio of median font sizes between two consecutive text lines that makes the second open a paragraph of its
#: own: a title over its subtitle or body, a subtitle or small-type footer under a title or body (slide decks:
#: title 19-26 pt, dateline 15 pt, bullets 20 pt, "Source:" footer 8 pt are common). 1.2 stays clear of bold or
#: small-caps body lines (same size) and of sub- and superscripts (a line's median size ignores them).
_SIZE_STEP = 1.2


def _heading_step(prev: _Unit, cur: _Unit) -> bool:
    """Whether the text line ``cur`` is set in type of another size than the text line ``prev`` right above it
    (ratio at least :data:`_SIZE_STEP` either way): a heading, its subtitle or a footer, which opens a
    paragraph of its own even with no vertical gap (a second policy's title right under the first one's
    small-type "Source: ..." footer on one slide; a slide title right above its "Agency | date" line).
    Table units (size 0) never count."""
    if not prev.size or not cur.size:
        return False
    big, small = max(prev.size, cur.size), min(prev.size, cur.size)
    return big >= _SIZE_STEP * small


def _cell_items(lines: list[list], count: _Count) -> list[_Item]:
    """One table cell's text on one line: its lines joined by a space, or directly after a line-end hyphen
    followed by a lower-case letter; a bar that would read as a cell separator becomes a slash so that cells
    stay apart (:func:`~loaders.document.cell_bars`; "T|1" stays)."""
    out: list[_Item] = []
    for ln in lines:
        items = _items(_drop_markers(ln), count)
        if not items:
            continue
        if out:
            if not (out[-1][0] == "-" and items[0][0].islower()):
                out.append((" ", None))
        out.extend(items)
    text = cell_bars(_text(out))  # one character for one
    return [(text[k], box) for k, (_, box) in enumerate(out)]
