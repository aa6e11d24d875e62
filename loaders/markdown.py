"""Markdown reader: newsletters and e-mail/Substack exports saved as ``.md`` (or as ``.txt``).

The Markdown is parsed with markdown-it-py (CommonMark 0.31 with the GFM table extension: the parser
``rich`` already depends on; https://spec.commonmark.org/) and its token stream is walked into the text
layout :mod:`loaders.briefing` reads, the layout :mod:`loaders.html` gives a web page:

* one block a paragraph, blocks separated by a blank line: a heading (``#`` marks and the emoji that
  decorate its start dropped, :func:`_undecorated`), a paragraph
  (soft and hard line breaks become spaces), a block quote's paragraphs, a fenced or indented code block;
* each list item (``-``, ``*``, ``+``, ``1.``) as a ``•`` bullet paragraph of its own; an item's nested
  list follows it as further bullet paragraphs (its text is not merged into the parent item);
* a table (GFM) as one line per row, cells joined by `` | `` (header row first), rows on consecutive lines;
* emphasis markup (``*``, ``_``, ``**``, ``__``, backticks) disappears, backslash escapes and character
  references are resolved, inline and block HTML tags are dropped, images are dropped, thematic breaks
  (``---``) are dropped;
* each link (``[text](url)``, autolink ``<url>``, and raw HTML ``<a href="url">text</a>`` inline or in an
  HTML block) with an http(s) target becomes a
  :class:`~loaders.briefing.LinkAnchor` over the text it shows; ``**strong**`` runs are recorded as
  :attr:`~loaders.document.Document.emphasis` spans.

All offsets (anchors, emphasis, every evidence span the loaders derive) index the text this module
builds (:attr:`Document.text`), as for HTML: not the Markdown source.

:func:`looks_like_markdown` is the conservative rule by which :func:`loaders.document.read_document`
reads a ``.txt`` file as Markdown.
"""

from __future__ import annotations

import re
from pathlib import Path

from policykg.errors import InputError

from .briefing import LinkAnchor
from .document import Document, cell_bars, decode_text, sanitize_text

__all__ = ["read_markdown", "render_markdown", "looks_like_markdown"]

#: An inline link with an absolute web target: ``[text](http://...)`` (CommonMark section 6.3).
_INLINE_LINK = re.compile(r"\[[^\]\n]{1,500}\]\(\s*<?https?://[^\s)>]+>?(?:\s+\"[^\"\n]*\")?\s*\)")
#: An autolink: ``<https://...>`` (CommonMark section 6.5).
_AUTOLINK = re.compile(r"<https?://[^\s<>]+>")
#: A strong emphasis pair on one line: ``**text**`` or ``__text__`` (CommonMark section 6.2), the text not
#: starting or ending with a space.
_STRONG = re.compile(r"(\*\*|__)(?=\S)[^\n]{1,300}?(?<=\S)\1")
#: An ATX heading line: 1-6 ``#`` then a space and text (CommonMark section 4.2).
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+\S", re.M)
#: A GFM table's delimiter row under its header row: ``|---|:---:|`` (GFM spec, section 4.10, "Tables"): cells of
#: dashes with optional alignment colons, at least two of them, between pipes.
_TABLE_DELIMITER = re.compile(r"^ {0,3}\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*$", re.M)
#: An HTML tag or comment inside a raw HTML block (CommonMark section 4.6), dropped with its markup.
_TAG = re.compile(r"<!--.*?-->|<[^>]*>", re.S)


#: A raw HTML anchor's start tag with its target (HTML Living Standard 4.6.1, the ``a`` element; the ``href``
#: attribute quoted with ``"`` or ``'`` or unquoted, 13.1.2.3) and its end tag.
_A_OPEN = re.compile(r"<a\s(?:[^>]*?\s)?href\s*=\s*(?:\"(?P<d>[^\"]*)\"|'(?P<s>[^']*)'|(?P<u>[^\s\"'>]+))[^>]*>",
                     re.IGNORECASE)
_A_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)


def _href(m: re.Match[str]) -> str:
    """The target of an :data:`_A_OPEN` match, character references resolved."""
    import html

    return html.unescape((m.group("d") or m.group("s") or m.group("u") or "").strip())


def _html_block(content: str) -> tuple[str, list[tuple[int, int, str]]]:
    """A raw HTML block's text on one line (tags dropped, character references resolved, whitespace runs one
    space) and the spans of its ``<a href="http(s)://...">`` links in that text. Linear in the block."""
    import html

    out: list[str] = []
    n = 0
    last_space = True
    links: list[tuple[int, int, str]] = []
    raw_open: tuple[int, str] | None = None  # the one open "a" element (an "a" start tag closes an open one)

    def put(seg: str) -> None:
        nonlocal n, last_space
        for ch in html.unescape(seg):
            if ch.isspace():
                if last_space:
                    continue
                out.append(" ")
                last_space = True
            else:
                out.append(ch)
                last_space = False
            n += 1

    pos = 0
    for m in _TAG.finditer(content):
        put(content[pos:m.start()])
        pos = m.end()
        tag = m.group(0)
        am = _A_OPEN.fullmatch(tag)
        if am is not None:
            if raw_open is not None and raw_open[1].startswith(("http://", "https://")):
                links.append((raw_open[0], n, raw_open[1]))  # HTML LS 13.2.6.4.7: an "a" start tag closes an open "a"
            raw_open = (n, _href(am))
            continue
        if _A_CLOSE.fullmatch(tag) and raw_open is not None:
            start, href = raw_open
            raw_open = None
            if href.startswith(("http://", "https://")):
                links.append((start, n, href))
            continue
        put(" ")  # any other tag separates words ("<br>", "</p><p>")
    put(content[pos:])
    text = "".join(out).rstrip()
    end = len(text)
    trimmed = []
    for s, e, u in links:
        s, e = min(s, end), min(e, end)
        while s < e and text[s] == " ":
            s += 1
        while e > s and text[e - 1] == " ":
            e -= 1
        if e > s:
            trimmed.append((s, e, u))
    return text, trimmed


def looks_like_markdown(text: str) -> bool:
    """Whether plain text is plainly Markdown (a ``.txt`` export of a newsletter), by counting its markup.

    Signals: inline links ``[text](http...)``, autolinks ``<http...>``, strong pairs ``**...**`` /
    ``__...__``, ATX heading lines ``# ...``, a table's delimiter row ``|---|---|``. The text is Markdown
    when it holds at least 3 inline links, or a table delimiter row (no PDF extraction writes one: a
    digest's table of policies in a ``.txt`` export gave no policy before, the twentieth blind test), or
    at least two of: 2 links (inline or auto), 2 strong pairs, 1 heading line. Conservative on purpose:
    a lone asterisk, a bulleted list, a "# 1" line or one bracketed URL never flip plain text (list
    markers and ``*`` alone are common in text extracted from PDFs). Linear in the text.

    >>> looks_like_markdown("See [A](https://a.example/1), [B](https://b.example/2), [C](https://c.example/3).")
    True
    >>> looks_like_markdown("Prices rose 5%* in May.\\n* footnote\\n- item one\\n- item two")
    False
    """
    inline = len(_INLINE_LINK.findall(text))
    if inline >= 3 or _TABLE_DELIMITER.search(text):
        return True
    links = inline + len(_AUTOLINK.findall(text))
    signals = (links >= 2) + (len(_STRONG.findall(text)) >= 2) + bool(_HEADING.search(text))
    return signals >= 2


class _Builder:
    """The text being built, block by block, with the anchors and strong spans found on the way."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.anchors: list[LinkAnchor] = []
        self.strong: list[tuple[int, int]] = []
        self.title: str | None = None

    def block(self, text: str, refs: list[tuple[int, int, str]], strong: list[tuple[int, int]],
              sep: str = "\n\n") -> None:
        """Append one block (already on one line) after ``sep``; spans are offsets into ``text``."""
        if not text.strip():
            return
        if self.parts:
            self.parts.append(sep)
            self.pos += len(sep)
        for s, e, u in refs:
            if e > s:
                self.anchors.append(LinkAnchor(u, self.pos + s, self.pos + e, 0))
        self.strong.extend((self.pos + s, self.pos + e) for s, e in strong if e > s)
        self.parts.append(text)
        self.pos += len(text)


#: A bare web address in text (GFM extended autolink, section 6.9): scheme, then anything to a space or "<".
_BARE_URL = re.compile(r"https?://[^\s<]+")


def _autolink_end(url: str) -> str:
    """``url`` without the trailing punctuation GFM leaves out of an extended autolink (section 6.9: "?", "!",
    ".", ",", ":", "*", "_", "~", and a ")" with no "(" to match it; also a closing quote), which is the
    sentence's, not the address's."""
    while url:
        if url[-1] in "?!.,:*_~'\"":
            url = url[:-1]
        elif url[-1] == ")" and url.count(")") > url.count("("):
            url = url[:-1]
        else:
            break
    return url


def _inline(tok) -> tuple[str, list[tuple[int, int, str]], list[tuple[int, int]]]:
    """An ``inline`` token's text on one line, its http(s) link spans and its strong spans.

    Whitespace runs become one space and the text is stripped; spans move with it.
    """
    buf: list[str] = []
    n = 0
    links: list[tuple[int, int, str]] = []
    strong: list[tuple[int, int]] = []
    open_links: list[tuple[int, str]] = []
    #: The one raw HTML anchor open: an "a" start tag closes an open "a" element (HTML LS 13.2.6.4.7), so raw
    #: anchors never nest or overlap
    raw_open: tuple[int, str] | None = None
    open_strong: list[int] = []
    last_space = True  # no leading space

    def put(s: str) -> None:
        nonlocal n, last_space
        for ch in s:
            if ch.isspace():
                if last_space:
                    continue
                buf.append(" ")
                last_space = True
            else:
                buf.append(ch)
                last_space = False
            n += 1

    for child in tok.children or ():
        t = child.type
        if t == "text" and not open_links and raw_open is None:
            # a bare URL in the text is a link (GFM's extended autolinks, https://github.github.com/gfm/ section
            # 6.9): "Title (Publisher) - https://..." of a plain-text digest read as Markdown (before, its report had
            # no link: the twentieth blind test)
            k = 0
            for um in _BARE_URL.finditer(child.content):
                url = _autolink_end(um.group(0))
                put(child.content[k:um.start()])
                start = n
                put(url)
                links.append((start, n, url))
                k = um.start() + len(url)
            put(child.content[k:])
        elif t in ("text", "code_inline"):
            put(child.content)
        elif t in ("softbreak", "hardbreak"):
            put(" ")
        elif t == "link_open":
            if raw_open is not None:  # "<a href=1>X [Y](2)": the link's "a" start tag closes the raw one
                if raw_open[1].startswith(("http://", "https://")):
                    links.append((raw_open[0], n, raw_open[1]))
                raw_open = None
            open_links.append((n, str(child.attrGet("href") or "")))
        elif t == "link_close" and open_links:
            start, href = open_links.pop()
            label = "".join(buf[start:n])
            if label.isdigit() and len(label) <= 3:  # a reference-style endnote link "[1]": keep its brackets,
                buf[start:n] = ["[", *label, "]"]  # which mark it as a note, not words of the sentence
                n += 2
            if href.startswith(("http://", "https://")):
                links.append((start, n, href))
        elif t == "html_inline" and (am := _A_OPEN.fullmatch(child.content.strip())) is not None:
            if raw_open is not None and raw_open[1].startswith(("http://", "https://")):
                links.append((raw_open[0], n, raw_open[1]))  # "<a 1>X <a 2>Y</a>": the second closes the first
            raw_open = (n, _href(am))  # raw HTML "<a href=...>text</a>" inside a paragraph
        elif t == "html_inline" and _A_CLOSE.fullmatch(child.content.strip()) and raw_open is not None:
            start, href = raw_open
            raw_open = None
            if href.startswith(("http://", "https://")):
                links.append((start, n, href))
        elif t == "strong_open":
            open_strong.append(n)
        elif t == "strong_close" and open_strong:
            strong.append((open_strong.pop(), n))
        # em, s, image, html_inline: markup only (an image's alt text is not prose)
    text = "".join(buf)
    end = len(text.rstrip())
    text = text[:end]

    def trim(s: int, e: int) -> tuple[int, int]:
        s, e = min(s, end), min(e, end)
        while s < e and text[s] == " ":
            s += 1
        while e > s and text[e - 1] == " ":
            e -= 1
        return s, e

    links = [(*trim(s, e), u) for s, e, u in links]
    strong = [trim(s, e) for s, e in strong]
    return text, links, strong


def _pictograph(ch: str) -> bool:
    """An emoji or other pictographic symbol, or a character that joins or styles one: Unicode general
    category So (symbols, regional indicators of flags), Sk (skin-tone modifiers), U+200D ZERO WIDTH JOINER,
    U+FE0E/U+FE0F variation selectors, U+20E3 COMBINING ENCLOSING KEYCAP (Unicode Technical Standard #51)."""
    import unicodedata

    return unicodedata.category(ch) in ("So", "Sk") or ch in "\u200d\ufe0e\ufe0f\u20e3"


def _undecorated(text: str, refs: list[tuple[int, int, str]], strong: list[tuple[int, int]]
                 ) -> tuple[str, list[tuple[int, int, str]], list[tuple[int, int]]]:
    """A heading's text without the pictographs that decorate its start ("\U0001f3d9\ufe0f Provinces & cities"
    -> "Provinces & cities"; newsletters put an emoji before each section heading), spans moved to match.
    A heading made of pictographs only is kept as it is."""
    k = 0
    while k < len(text) and (_pictograph(text[k]) or text[k] == " "):
        k += 1
    if k == 0 or k == len(text):
        return text, refs, strong
    return (text[k:], [(max(s - k, 0), max(e - k, 0), u) for s, e, u in refs],
            [(max(s - k, 0), max(e - k, 0)) for s, e in strong])


def render_markdown(source: str) -> tuple[str, list[LinkAnchor], list[tuple[int, int]], str | None]:
    """Markdown ``source`` -> ``(text, anchors, strong spans, first level-1 heading or None)``.

    The layout is the module docstring's. Offsets index ``text`` (which ends with a newline). Linear in
    the number of tokens (markdown-it-py's parser is linear in the input for CommonMark, spec section
    "Appendix A: parsing strategy").
    """
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    tokens = md.parse(source)
    out = _Builder()
    item_open: list[bool] = []  # per open list item: whether its first block got the bullet already
    row: list[tuple[str, list[tuple[int, int, str]], list[tuple[int, int]]]] | None = None
    table_rows = 0
    heading: str | None = None
    numbered = _numbered_headings(tokens)
    marker: dict[int, str] = {}  # depth of an open list item -> the marker its first block gets
    for i, tok in enumerate(tokens):
        t = tok.type
        if t == "list_item_open":
            item_open.append(False)
            marker[len(item_open)] = numbered.get(i, "\u2022")
        elif t == "list_item_close":
            if item_open:
                item_open.pop()
        elif t == "heading_open":
            heading = tok.tag
        elif t == "heading_close":
            heading = None
        elif t == "table_open":
            table_rows = 0
        elif t == "tr_open":
            row = []
        elif t == "tr_close" and row is not None:
            text, refs, strong = "", [], []
            for i, (cell, crefs, cstrong) in enumerate(row):
                if i:
                    text += " | "
                off = len(text)
                text += cell_bars(cell)
                refs += [(off + s, off + e, u) for s, e, u in crefs]
                strong += [(off + s, off + e) for s, e in cstrong]
            out.block(text, refs, strong, "\n" if table_rows else "\n\n")
            table_rows += 1
            row = None
        elif t == "inline":
            text, refs, strong = _inline(tok)
            if row is not None:
                row.append((text, refs, strong))
                continue
            if heading is not None:
                text, refs, strong = _undecorated(text, refs, strong)
            if heading == "h1" and out.title is None and text:
                out.title = text
            if item_open and not item_open[-1]:
                item_open[-1] = True
                lead = marker.get(len(item_open), "\u2022") + " "
                text = lead + text
                refs = [(s + len(lead), e + len(lead), u) for s, e, u in refs]
                strong = [(s + len(lead), e + len(lead)) for s, e in strong]
            out.block(text, refs, strong)
        elif t in ("fence", "code_block"):
            for para in re.split(r"\n\s*\n", tok.content):
                out.block(" ".join(para.split()), [], [])
        elif t == "html_block":  # an e-mail export's raw HTML: its text, tags dropped, its links kept
            out.block(*_html_block(tok.content), [])
        # hr, image, paragraph/quote/list open-close: no text of their own
    text = sanitize_text("".join(out.parts) + "\n")
    return text, out.anchors, out.strong, out.title


def _numbered_headings(tokens: list) -> dict[int, str]:
    """``{index of a list_item_open token: "3."}`` for each ordered list of a single item whose text is one short
    line with no sentence end: a plain-text digest's numbered section heading ("3. Reports", "2. Provincial
    Policies") that CommonMark reads as a list (section 5.3). Its number is kept, so that the briefing reader sees
    a numbered heading (:func:`loaders.briefing._section_of`), not a "•" bullet (before, the reports under "3.
    Reports" in a ``.txt`` digest read as Markdown were lost: the twentieth blind test). Every other list item
    gets the bullet."""
    out: dict[int, str] = {}
    for i, tok in enumerate(tokens):
        if tok.type != "ordered_list_open":
            continue
        items, inline, j = [], [], i + 1
        while j < len(tokens) and not (tokens[j].type == "ordered_list_close" and tokens[j].level == tok.level):
            if tokens[j].type == "list_item_open" and tokens[j].level == tok.level + 1:
                items.append(j)
            elif tokens[j].type == "inline":
                inline.append(tokens[j].content)
            if len(items) > 1 or len(inline) > 1:
                break  # no heading: stop here (a long or nested list is scanned no further, so this stays linear)
            j += 1
        if len(items) == 1 and len(inline) == 1:
            line = inline[0].strip()
            if line and "\n" not in line and len(line.split()) <= 6 and not re.search(r"[.!?:;]$", line):
                out[items[0]] = f"{tokens[items[0]].info or '1'}{tokens[items[0]].markup or '.'}"
    return out


def read_markdown(path: Path, data: bytes | None = None, *, source: str | None = None) -> Document:
    """Read a Markdown file into a :class:`~loaders.document.Document` of kind ``"markdown"``.

    ``data``: the file's bytes (read from ``path`` when ``None``), decoded as UTF-8 text
    (:func:`loaders.document.decode_text`); ``source``: the decoded text, when the caller has it already.
    ``Document.title`` is the first level-1 heading; ``anchors`` are the links, ``emphasis`` the strong
    runs; ``page_starts`` is ``[0]``. Raises :class:`InputError` (file named) for bytes that are not UTF-8
    text or Markdown without any text.
    """
    path = Path(path)
    name = path.name
    if source is None:
        if data is None:
            data = path.read_bytes()
        source = decode_text(data, name)
    try:
        text, anchors, strong, title = render_markdown(source.lstrip("\ufeff"))
    except RecursionError:
        raise InputError("unreadable Markdown: the blocks nest too deeply", file=name) from None
    if not text.replace("\ufffd", "").strip():
        raise InputError("no text found in the Markdown document", file=name)
    return Document(path, "markdown", text, page_starts=[0], anchors=anchors, title=title, emphasis=strong)
