"""Read a file of any supported kind into text plus link annotations.

Supported kinds (by file suffix):

* ``.txt`` / ``.text``: text as extracted from a briefing PDF (the layout of
  :mod:`loaders.briefing`). Read with ``Path.read_text(encoding="utf-8")``
  semantics: UTF-8, universal newlines, so that offsets agree with any
  consumer that reads the file the same way.
* ``.pdf``: :func:`loaders.pdf.read_pdf` (text by page and the link
  annotations' target URIs with the text they cover).
* ``.html`` / ``.htm`` / ``.xhtml``: :func:`loaders.html.read_html` (main
  text and its links, via trafilatura).
* ``.md`` / ``.markdown``, and a ``.txt`` whose text is plainly Markdown
  (:func:`loaders.markdown.looks_like_markdown`: links, ``**strong**`` pairs,
  ``#`` headings): :func:`loaders.markdown.read_markdown` (markdown-it-py;
  text laid out as for HTML, links as anchors; kind ``"markdown"``).

Errors: :class:`~policykg.errors.UnsupportedFormat` for another suffix,
:class:`~policykg.errors.PayloadTooLarge` over ``max_bytes``, and
:class:`~policykg.errors.InputError` for a missing, empty, binary or
wrongly encoded file, or a path that is not a regular file (a directory,
a symbolic link loop or to nothing, a named pipe, a socket, a device: each
is named for what it is); each names the file.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TypeVar

from policykg.errors import InputError, PayloadTooLarge, UnsupportedFormat
from policykg.rdfio import bom_encoding, not_utf8  # bom_encoding: also this module's, for loaders.html

from .briefing import SEPARATOR_BAR, LinkAnchor

T = TypeVar("T")

__all__ = ["Document", "read_document", "decode_text", "sanitize_text", "run_bounded", "SUFFIXES",
           "bom_encoding", "check_regular_file", "FOOTNOTE_MARK", "POWER_BEFORE", "TEN_BASE_BEFORE",
           "kept_superscript", "cell_bars"]

#: Control characters (C0 but tab and newline, DEL, C1) and bidirectional overrides/isolates:
#: terminal escapes and spoofing, never prose.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def sanitize_text(text: str) -> str:
    """Replace control characters and bidi overrides with U+FFFD, one for one (offsets keep their meaning).

    >>> sanitize_text("Title\x1b[31m red")
    'Title\ufffd[31m red'
    """
    return _CONTROL.sub("\ufffd", text)

#: The text of a superscript footnote reference: digits ("1", "12", "1,3", "[3]", "(4)") or a reference symbol
#: (asterisk, daggers, section sign). Used by the PDF and HTML readers to drop such markers from the text.
FOOTNOTE_MARK = re.compile(r"[\[(]?\d{1,3}(?:[,\u2013-]\d{1,3})*[\])]?|[*\u2020\u2021\u00a7]{1,3}")
#: What a raised digit keeps its place after: a unit of length ("m2", "km2", "m3": a power; also "Nm3" and
#: "Sm3", normal and standard cubic metres of gas, "hm3" and "dam3", ISO 80000-3 prefixed cubic metres), "10"
#: (an exponent) or a chemical formula written with a superscript by mistake ("CO2", "CH4", "SO2"). The text
#: before the superscript must end with it (no space between).
POWER_BEFORE = re.compile(r"(?:(?<![A-Za-z])(?:[kcdm\u00b5\u03bc]?m|[NS]m|hm|dam|ft|CO|SO|NO|CH|N|O|H)"
                          r"|(?<![\d.,])10)$")
#: "10" written as the base of a power of ten in scientific notation: after a multiplication sign ("1.2 x 10",
#: "1.2 \u00d7 10", "3*10"; ISO 80000-1 section 7.1.3). Any integer exponent is kept after it.
TEN_BASE_BEFORE = re.compile(r"\d\s*[x\u00d7\u2715*\u22c5\u00b7]\s*10$")
#: An integer exponent: digits, optionally signed ("6", "-4", "\u22124", "+3").
_EXPONENT = re.compile(r"[-+\u2212]?\d{1,3}")


#: A bare "10" (not the end of a longer number) right before the superscript.
_BARE_TEN = re.compile(r"(?<![\d.,])10$")


def kept_superscript(run: str, before: str, *, after_ten: bool = False) -> bool:
    """Whether a superscript ``run`` that directly follows the text ``before`` is a power, an exponent or
    part of a formula, to be kept in the text rather than dropped as a footnote marker.

    Kept: a run "2", "3" or "4" right after a unit or a formula (:data:`POWER_BEFORE`: "m", "km", "Nm", "CO",
    or a bare "10"), and any integer exponent (:data:`_EXPONENT`: "6", "-4") after the "10" of scientific
    notation (:data:`TEN_BASE_BEFORE`: "1.2 x 10"); with ``after_ten``, any integer exponent after a bare "10"
    too ("10<sup>6</sup> kWh": HTML, where a footnote reference links to its note and an unlinked
    superscript after "10" is a power). A run after a space is never kept.

    >>> kept_superscript("2", "3 million m"), kept_superscript("2", "by 2035."), kept_superscript("4", "CH")
    (True, False, True)
    >>> kept_superscript("6", "1.2 x 10"), kept_superscript("3", "30 billion Nm"), kept_superscript("6", "in 2010")
    (True, True, False)
    """
    if not before or before[-1:].isspace():
        return False
    if _EXPONENT.fullmatch(run) and (TEN_BASE_BEFORE.search(before) or (after_ten and _BARE_TEN.search(before))):
        return True
    return run in ("2", "3", "4") and bool(POWER_BEFORE.search(before))




def cell_bars(text: str) -> str:
    """A table cell's text with each bar that would read as a cell separator (:data:`SEPARATOR_BAR`: between
    spaces, or a space and the cell's edge) made a slash; bars inside a word ("T|1", a code) stay.

    >>> cell_bars("A | B"), cell_bars("T|1"), cell_bars("x |")
    ('A / B', 'T|1', 'x /')
    """
    return SEPARATOR_BAR.sub("/", text)


#: File suffix -> document kind.
SUFFIXES = {".txt": "text", ".text": "text", ".pdf": "pdf", ".html": "html", ".htm": "html", ".xhtml": "html",
            ".md": "markdown", ".markdown": "markdown"}


@dataclass
class Document:
    """A document as read.

    ``text``: the text all offsets index (control characters replaced, see
    :func:`sanitize_text`). ``page_starts``: offsets where pages begin (PDF),
    else ``None`` (the text layout decides). ``anchors``: link
    annotations with the text they cover (PDF, HTML), else ``None`` (links are
    bare URL lines in the text). ``title``/``url``: a page's own title and
    canonical URL when the format says (HTML). ``published``: the publication
    date the page's own metadata states (HTML ``<meta>`` or JSON-LD; see
    :func:`loaders.html.page_published_date`) as ``(YYYY-MM-DD, where)``, else ``None``.
    ``emphasis``: spans ``(start, end)`` of the text set in a bold face (PDF:
    the font's name, :func:`loaders.pdf._bold_runs`; a title set in bold
    inside prose), else ``None`` (the format does not say).
    """

    path: Path
    kind: str
    text: str
    page_starts: list[int] | None = None
    anchors: list[LinkAnchor] | None = None
    title: str | None = None
    url: str | None = None
    warnings: list[str] = field(default_factory=list)
    published: tuple[str, str] | None = None
    emphasis: list[tuple[int, int]] | None = None


def run_bounded(fn: Callable[[], T], timeout_s: float, name: str, what: str) -> T:
    """Run ``fn()`` in a daemon thread and wait at most ``timeout_s`` seconds.

    A parser stuck on a malformed file (``shared/design/library-pitfalls.md``:
    cyclic PDFs) cannot be stopped from Python, but the caller gets an
    :class:`InputError` naming ``name`` instead of hanging; the thread is a
    daemon, so it does not keep the process alive. Exceptions of ``fn``
    propagate unchanged.
    """
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # re-raised in the caller's thread
            box["error"] = exc

    t = threading.Thread(target=target, name=f"policykg-{what}", daemon=True)
    t.start()
    t.join(timeout_s)
    if t.is_alive():
        raise InputError(f"{what} ran past the time limit of {timeout_s} s", file=name)
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


def decode_text(data: bytes, name: str) -> str:
    """Decode UTF-8 bytes like ``Path.read_text(encoding="utf-8")`` (universal newlines).

    Control characters and bidi overrides become U+FFFD one for one
    (:func:`sanitize_text`): offsets still agree with ``read_text`` and only a
    span that quotes such a character differs from the file. Raises
    :class:`InputError` naming ``name``, the line and the column of the first
    byte that is not UTF-8, or when the data holds NUL bytes (binary). A
    UTF-8 byte-order mark is kept, as ``read_text`` keeps it. Text whose
    byte-order mark names UTF-16 or UTF-32 is refused with that encoding
    named ("UTF-16 (little-endian) text: save it as UTF-8"): a text briefing
    is UTF-8 so that its offsets agree with every reader of the file.
    """
    bom = bom_encoding(data)
    if bom is not None and bom[0] != "utf-8":
        codec, size, label = bom
        try:
            data[size:].decode(codec)
        except UnicodeDecodeError as exc:
            raise InputError(f"starts with a {label} byte-order mark but is not {label} text "
                             f"(byte {size + exc.start}); save it as UTF-8", file=name) from None
        raise InputError(f"{label} text (byte-order mark {data[:size].hex(' ')}): a text briefing must be "
                         "UTF-8; save it as UTF-8", file=name)
    if b"\x00" in data[:65536]:
        raise InputError("binary data (NUL bytes), not a text document", file=name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise not_utf8(data, exc, name) from None
    return sanitize_text(text.replace("\r\n", "\n").replace("\r", "\n"))


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def check_regular_file(path: Path) -> os.stat_result:
    """``os.stat(path)`` when ``path`` is a regular file (following symbolic links); else :class:`InputError`.

    The error names the path and says what it is: "no such file", "a
    symbolic link loop", "a symbolic link to a missing file (target)", "a
    directory, not a file (it holds: a.txt, b.pdf, ...)", "a named pipe
    (FIFO)", "a socket", "a character/block device", or the operating
    system's reason (permission denied). Nothing is opened, so a FIFO never
    blocks the caller. Kinds from POSIX ``<sys/stat.h>`` (``S_ISDIR`` ...).
    """
    path = Path(path)
    where = str(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError("a symbolic link loop (the links point at each other), not a file",
                             file=where) from None
        if exc.errno == errno.ENOENT and path.is_symlink():
            try:
                target = os.readlink(path)
            except OSError:  # pragma: no cover - raced away
                target = "?"
            raise InputError(f"a symbolic link to a missing file ({target})", file=where) from None
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            raise InputError("no such file", file=where) from None
        raise InputError(f"cannot read the file: {exc.strerror or exc}", file=where) from None
    if stat.S_ISREG(st.st_mode):
        return st
    for test, kind in _KINDS:
        if test(st.st_mode):
            break
    else:  # pragma: no cover - other file types (doors, ports) on exotic systems
        kind = "not a regular file"
    if stat.S_ISDIR(st.st_mode):
        try:
            names = sorted(p.name for p in path.iterdir() if p.suffix.lower() in SUFFIXES)
        except OSError:
            names = []
        listing = (f" (it holds {len(names)} readable document(s): {', '.join(names[:5])}"
                   f"{', ...' if len(names) > 5 else ''})") if names else " (it holds no .txt, .pdf or .html file)"
        raise InputError(f"a directory, not a file{listing}; give the documents themselves", file=where)
    raise InputError(f"{kind}, not a regular file", file=where)


def read_document(path: Path, *, max_bytes: int = 10_000_000, timeout_s: float = 60) -> Document:
    """Read ``path`` into a :class:`Document`.

    ``max_bytes``: largest accepted file size; ``timeout_s``: wall-clock bound
    on PDF/HTML extraction. Raises the errors listed in the module docstring.
    """
    path = Path(path)
    name = path.name
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise UnsupportedFormat(
            f"unsupported document kind {path.suffix or '(no suffix)'!r}; expected one of "
            f"{', '.join(sorted(SUFFIXES))}", file=name)
    size = check_regular_file(path).st_size
    if size > max_bytes:
        raise PayloadTooLarge(f"file is {size} bytes, over the limit of {max_bytes}", file=name)
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", file=str(path)) from None
    if len(data) > max_bytes:  # grew since the stat
        raise PayloadTooLarge(f"file is over the limit of {max_bytes} bytes", file=name)
    if not data.strip():
        raise InputError("empty document", file=name)
    if kind in ("text", "markdown"):
        text = decode_text(data, name)
        if not text.replace("\ufeff", "").replace("\ufffd", "").strip():
            raise InputError("empty document", file=name)
        from .markdown import looks_like_markdown, read_markdown  # markdown imports this module
        if kind == "markdown" or looks_like_markdown(text):
            return read_markdown(path, source=text)
        return Document(path, kind, text)
    if kind == "pdf":
        from .pdf import read_pdf
        return read_pdf(path, data, timeout_s=timeout_s)
    from .html import read_html
    return read_html(path, data, timeout_s=timeout_s)
