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

Errors: :class:`~policykg.errors.UnsupportedFormat` for another suffix,
:class:`~policykg.errors.PayloadTooLarge` over ``max_bytes``, and
:class:`~policykg.errors.InputError` for a missing, empty, binary or
wrongly encoded file; each names the file.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TypeVar

from policykg.errors import InputError, PayloadTooLarge, UnsupportedFormat

from .briefing import LinkAnchor

T = TypeVar("T")

__all__ = ["Document", "read_document", "decode_text", "sanitize_text", "run_bounded", "SUFFIXES"]

#: Control characters (C0 but tab and newline, DEL, C1) and bidirectional overrides/isolates:
#: terminal escapes and spoofing, never prose.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def sanitize_text(text: str) -> str:
    """Replace control characters and bidi overrides with U+FFFD, one for one (offsets keep their meaning).

    >>> sanitize_text("Title\x1b[31m red")
    'Title\ufffd[31m red'
    """
    return _CONTROL.sub("\ufffd", text)

#: File suffix -> document kind.
SUFFIXES = {".txt": "text", ".text": "text", ".pdf": "pdf", ".html": "html", ".htm": "html", ".xhtml": "html"}


@dataclass
class Document:
    """A document as read.

    ``text``: the text all offsets index (control characters replaced, see
    :func:`sanitize_text`). ``page_starts``: offsets where pages begin (PDF),
    else ``None`` (the text layout decides). ``anchors``: link
    annotations with the text they cover (PDF, HTML), else ``None`` (links are
    bare URL lines in the text). ``title``/``url``: a page's own title and
    canonical URL when the format says (HTML).
    """

    path: Path
    kind: str
    text: str
    page_starts: list[int] | None = None
    anchors: list[LinkAnchor] | None = None
    title: str | None = None
    url: str | None = None
    warnings: list[str] = field(default_factory=list)


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
    UTF-8 byte-order mark is kept, as ``read_text`` keeps it.
    """
    if b"\x00" in data[:65536]:
        raise InputError("binary data (NUL bytes), not a text document", file=name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[:exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise InputError(f"not UTF-8 text (byte 0x{data[exc.start]:02x})", file=name, line=line, column=col) from None
    return sanitize_text(text.replace("\r\n", "\n").replace("\r", "\n"))


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
    if not path.is_file():
        raise InputError("no such file", file=str(path))
    size = path.stat().st_size
    if size > max_bytes:
        raise PayloadTooLarge(f"file is {size} bytes, over the limit of {max_bytes}", file=name)
    data = path.read_bytes()
    if not data.strip():
        raise InputError("empty document", file=name)
    if kind == "text":
        text = decode_text(data, name)
        if not text.replace("\ufeff", "").replace("\ufffd", "").strip():
            raise InputError("empty document", file=name)
        return Document(path, kind, text)
    if kind == "pdf":
        from .pdf import read_pdf
        return read_pdf(path, data, timeout_s=timeout_s)
    from .html import read_html
    return read_html(path, data, timeout_s=timeout_s)
