"""HTML reader: main text and its links, via trafilatura.

trafilatura (``extract(output_format="xml", include_links=True)``) drops
navigation, footers and boilerplate and gives the main content as
``<head>``, ``<p>``, ``<list><item>`` ... with links as ``<ref target>``.
This module turns that into the text layout :mod:`loaders.briefing` reads:
one paragraph per block, separated by blank lines, list items as ``•``
bullets, table rows as one line each with cells joined by " | " (header
row first, :func:`_row`; a layout table's cells as paragraphs,
:func:`_is_layout_table`), and each ``<ref>`` as a
:class:`~loaders.briefing.LinkAnchor` over the text it wraps. The page's own title is the first paragraph when the main
content does not start with it, so a news headline such as "NDRC issues
Notice on ..." can name the policy.

Before trafilatura sees the page, this module does what a browser does
(HTML Living Standard; each step's section is named where it is done):

* decodes the bytes in the order of the encoding sniffing algorithm
  (section 13.2.3.2): a byte-order mark, then the transport's declared
  charset (``declared_charset``, e.g. HTTP ``Content-Type``), then a
  ``<meta charset>`` / ``<meta http-equiv=Content-Type>`` in the first
  1024 bytes, then UTF-8 if the bytes are UTF-8, then a guess
  (charset_normalizer) with a warning. Labels map to decoders as the WHATWG
  Encoding Standard says (``gbk``/``gb2312`` -> GB18030, ``iso-8859-1`` ->
  windows-1252 ...). UTF-16/32 pages (BOM) are refused with the encoding
  named: save them as UTF-8;
* parses with lxml's HTML parser with ``huge_tree`` (libxml2 otherwise stops
  at nesting depth 256 and drops the rest of the page without a word); a
  parse still cut short is a warning;
* removes what a browser never renders: ``<template>`` contents (section
  4.12.3), elements with the ``hidden`` attribute (section 6.1) and inline
  ``display: none`` / ``visibility: hidden`` styles;
* drops ``<sup>`` footnote references (``<sup><a href="#fn1">1</a></sup>``;
  section 4.5.19: powers and ordinals stay), keeps the text of ``<time>``
  elements (trafilatura drops them) and keeps the dateline under an item's
  ``<h2>``-``<h6>`` heading ("Agency A, Agency B · 12 June 2025") that
  trafilatura would drop for its class (:func:`_keep_datelines`);
* resolves links (section 2.4.1, "document base URL"): the first
  ``<base href>`` resolved against the page's own URL is the base, else the
  page's own URL; every ``href`` is made absolute against it (lxml
  ``make_links_absolute``). The page's own URL is its canonical link or
  ``og:url``, never ``<base href>`` (a base is where relative links point,
  not where the page lives).

Both a news article about one policy and a tracker digest of several read
the same way; :func:`single_policy_fallback` adds what an article about one
policy lacks (its own URL as the source when the title carries no link).
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from itertools import islice
from urllib.parse import urljoin

from policykg.errors import InputError

from .briefing import BriefingParse, LinkAnchor
from .document import (
    FOOTNOTE_MARK,
    Document,
    bom_encoding,
    cell_bars,
    kept_superscript,
    run_bounded,
    sanitize_text,
)

__all__ = ["read_html", "decode_html", "single_policy_fallback"]

_BLOCKS = {"head", "p", "item", "quote", "cell", "td", "row", "code", "lb"}

#: WHATWG Encoding Standard labels whose decoder differs from Python's codec of that name
#: (https://encoding.spec.whatwg.org/#names-and-labels); other labels go to ``codecs.lookup``.
_WHATWG = {
    **dict.fromkeys(["chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk",
                     "iso-ir-58", "x-gbk", "gb18030"], "gb18030"),
    **dict.fromkeys(["big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"], "big5hkscs"),
    **dict.fromkeys(["ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1",
                     "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1",
                     "us-ascii", "windows-1252", "x-cp1252", "x-user-defined"], "cp1252"),
    **dict.fromkeys(["cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987",
                     "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949"], "cp949"),
    **dict.fromkeys(["csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j",
                     "x-sjis"], "cp932"),
    **dict.fromkeys(["iso-8859-9", "latin5", "windows-1254", "l5", "iso8859-9"], "cp1254"),
    **dict.fromkeys(["iso-8859-11", "tis-620", "windows-874", "dos-874"], "cp874"),
    # a <meta> cannot switch to UTF-16: the bytes read so far were ASCII (WHATWG prescan, step "Processing")
    **dict.fromkeys(["utf-16", "utf-16le", "utf-16be", "unicode", "ucs-2", "csunicode", "iso-10646-ucs-2",
                     "unicodefeff", "unicodefffe"], "utf-8"),
}
#: Labels of the WHATWG "replacement" encoding: browsers refuse to decode these pages.
_REPLACEMENT = {"csiso2022kr", "hz-gb-2312", "iso-2022-cn", "iso-2022-cn-ext", "iso-2022-kr", "replacement"}

_COMMENT = re.compile(rb"<!--.*?(?:-->|\Z)", re.S)
_META = re.compile(rb"<meta[\s/]([^>]*)", re.I)
_ATTR = re.compile(rb"""([^\s/>=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]*))?""")
_CHARSET_IN_CONTENT = re.compile(rb"""charset\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s;"']+))""", re.I)
#: An inline style that hides the element (CSS Display 3 ``display: none``; CSS 2.2 section 11.2 ``visibility``).
_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse))"
                           r"\s*(?:!\s*important\s*)?(?:;|$)", re.I)


def _codec(label: str) -> str | None:
    """The Python codec for an encoding label (WHATWG "get an encoding"), ``None`` when unknown.

    Raises ``LookupError`` for a label of the replacement encoding.
    """
    key = label.strip().lower()
    if key in _REPLACEMENT:
        raise LookupError(key)
    if key in _WHATWG:
        return _WHATWG[key]
    try:
        name = codecs.lookup(key).name
    except LookupError:
        return None
    return "utf-8" if name.startswith(("utf-16", "utf-32")) else name


def _prescan(data: bytes) -> str | None:
    """The charset a ``<meta>`` in the first 1024 bytes declares (HTML section 13.2.3.2, "prescan"), or ``None``.

    ``<meta charset=X>``, or ``<meta http-equiv="Content-Type" content="...;
    charset=X">``; comments are skipped. A simplified prescan: attributes are
    read with a regular expression rather than the byte-by-byte algorithm.
    """
    head = _COMMENT.sub(b"", data[:1024])
    for m in _META.finditer(head):
        attrs: dict[bytes, bytes] = {}
        for a in _ATTR.finditer(m.group(1)):
            key = a.group(1).lower()
            if key not in attrs:
                attrs[key] = (a.group(2) or b"").strip(b"\"'")
        if attrs.get(b"charset"):
            return attrs[b"charset"].decode("ascii", "replace")
        if attrs.get(b"http-equiv", b"").lower() == b"content-type" and b"content" in attrs:
            c = _CHARSET_IN_CONTENT.search(attrs[b"content"])
            if c:
                return next(g for g in c.groups() if g is not None).decode("ascii", "replace")
    return None


def decode_html(data: bytes, name: str, declared_charset: str | None = None) -> tuple[str, list[str]]:
    """Decode an HTML page's bytes as a browser does; return ``(text, warnings)``.

    Order (HTML section 13.2.3.2): byte-order mark; ``declared_charset``
    (the transport's, e.g. HTTP ``Content-Type``); a ``<meta>`` charset in
    the first 1024 bytes; UTF-8 when the bytes are UTF-8; else a guess by
    charset_normalizer, with a warning. When the declared charset does not
    fit the bytes the guess is used if it fits, with a warning naming both.
    Raises :class:`InputError` naming ``name`` for UTF-16/32 pages (BOM: save
    as UTF-8), NUL bytes without a BOM (binary), a charset browsers refuse
    (WHATWG replacement encoding), or bytes nothing decodes.
    """
    warnings: list[str] = []
    bom = bom_encoding(data)
    if bom is not None:
        codec, size, label = bom
        if codec != "utf-8":
            raise InputError(f"{label} HTML (byte-order mark {data[:size].hex(' ')}): save the page as UTF-8",
                             file=name)
        return _strict(data[size:], "utf-8", name, "UTF-8 (byte-order mark)"), warnings
    if b"\x00" in data[:65536]:
        raise InputError("binary data (NUL bytes), not an HTML document", file=name)
    for source, label in (("the transport", declared_charset), ("<meta charset>", _prescan(data))):
        if not label:
            continue
        try:
            codec = _codec(label)
        except LookupError:
            raise InputError(f"the page declares charset {label!r} in {source}, which browsers refuse to decode "
                             "(WHATWG replacement encoding)", file=name) from None
        if codec is None:
            warnings.append(f"unknown charset {label!r} declared in {source}; ignored")
            continue
        try:
            return data.decode(codec), warnings
        except UnicodeDecodeError as exc:
            guess = _guess(data)
            if guess is not None and guess[1] != codec:
                warnings.append(f"the declared charset {label!r} does not fit the bytes (byte {exc.start}); "
                                f"read as {guess[1]} (guessed)")
                return guess[0], warnings
            warnings.append(f"the declared charset {label!r} does not fit the bytes (byte {exc.start}); "
                            "undecodable bytes replaced by U+FFFD")
            return data.decode(codec, errors="replace"), warnings
    try:
        return data.decode("utf-8"), warnings
    except UnicodeDecodeError:
        pass
    guess = _guess(data)
    if guess is None:
        from .document import decode_text
        decode_text(data, name)  # raises with line and column
        raise InputError("undecodable HTML", file=name)  # pragma: no cover
    warnings.append(f"no charset declared; read as {guess[1]} (guessed: declare <meta charset> to be sure)")
    return guess[0], warnings


def _strict(data: bytes, codec: str, name: str, what: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(f"not {what} text (byte {exc.start})", file=name) from None


def _guess(data: bytes) -> tuple[str, str] | None:
    """charset_normalizer's best reading of ``data``: ``(text, encoding)``, or ``None``."""
    try:
        import charset_normalizer  # shipped with trafilatura's dependencies
    except ImportError:  # pragma: no cover
        return None
    best = charset_normalizer.from_bytes(data).best()
    return (str(best), best.encoding) if best is not None else None


def _own_url(root) -> str | None:
    """The page's own URL: ``<link rel=canonical href>`` or ``<meta property=og:url>``, when absolute http(s)."""
    for el in root.iter("link"):
        rels = (el.get("rel") or "").lower().split()
        href = (el.get("href") or "").strip()
        if "canonical" in rels and href.startswith(("http://", "https://")):
            return href
    for el in root.iter("meta"):
        if (el.get("property") or el.get("name") or "").strip().lower() == "og:url":
            content = (el.get("content") or "").strip()
            if content.startswith(("http://", "https://")):
                return content
    return None


#: ``<meta>`` names and properties that state when a page was first published, best first: Open Graph
#: (ogp.me, ``article:published_time``), Dublin Core in HTML (DCMI "Expressing Dublin Core metadata using
#: HTML/XHTML meta and link elements": ``DC.date.issued``, ``DCTERMS.issued``), Highwire Press tags
#: (``citation_publication_date``, Google Scholar), schema.org microdata (``itemprop=datePublished``), and
#: the ``PubDate`` / ``firstpublishedtime`` tags of Chinese government portals. Not ``DC.date`` nor
#: ``date``: they may be any date of the page (modified, indexed). Compared in lower case.
PUBLISHED_META = ("article:published_time", "dcterms.issued", "dc.date.issued", "citation_publication_date",
                  "datepublished", "pubdate", "firstpublishedtime")
#: A date at the start of a metadata value: ``2024-05-20``, ``2024/05/20``, ``2024-05-20T08:00:00+08:00``.
_META_DATE = re.compile(r"\s*((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})(?![\d])")
_MAX_JSONLD_CHARS = 200_000


def page_published_date(root) -> tuple[str, str] | None:
    """The date a page's own metadata says it was published: ``("YYYY-MM-DD", "<meta name=...>")``.

    Read from ``<meta>`` (:data:`PUBLISHED_META`, the first name in that order
    with a valid calendar date) or, else, a JSON-LD script's ``datePublished``
    (top level or ``@graph``; scripts over 200,000 characters are skipped).
    The body text is never read: a date in prose may be a deadline or a target
    year (trafilatura's ``date`` took "Deadline 2025-06-30" from a paragraph).
    Returns ``None`` when nothing says.
    """
    import json

    found: dict[str, tuple[str, str]] = {}
    for el in root.iter("meta"):
        for attr in ("property", "name", "itemprop"):
            key = (el.get(attr) or "").strip().lower()
            if key in PUBLISHED_META and key not in found:
                day = _iso_day(el.get("content") or el.get("datetime") or "")
                if day:
                    found[key] = (day, f'<meta {attr}="{el.get(attr).strip()}">')
    for key in PUBLISHED_META:
        if key in found:
            return found[key]
    for el in root.iter("script"):
        if (el.get("type") or "").strip().lower() != "application/ld+json" or len(el.text or "") > _MAX_JSONLD_CHARS:
            continue
        try:
            doc = json.loads(el.text or "")
        except ValueError:
            continue
        nodes = doc if isinstance(doc, list) else [doc]
        nodes = nodes + [n for d in nodes if isinstance(d, dict) and isinstance(d.get("@graph"), list)
                         for n in d["@graph"]]
        for node in nodes:
            if isinstance(node, dict) and isinstance(node.get("datePublished"), str):
                day = _iso_day(node["datePublished"])
                if day:
                    return day, "JSON-LD datePublished"
    return None


def _iso_day(value: str) -> str | None:
    """``YYYY-MM-DD`` of a value that starts with a valid calendar date, else ``None``."""
    import datetime as _dt

    m = _META_DATE.match(value)
    if not m:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def _prepare(root, own_url: str | None) -> str | None:
    """Drop what a browser never renders and footnote references, keep datelines and ``<time>`` text, resolve
    links; return the document base URL (or ``None``).

    HTML section 2.4.1: the base is the first ``<base href>`` resolved
    against the page's own URL, else the page's own URL. ``<base>`` elements
    are removed afterwards, so that no later step takes one for the page's
    URL. Links that cannot be parsed are dropped (``handle_failures="discard"``).
    """
    _keep_datelines(root)
    _field_breaks(root)
    _unwrap_times(root)
    _main_container(root)
    drop = list(root.iter("template"))
    drop += [el for el in root.iter("sup") if _is_note_mark(el)]
    drop += [el for el in root.iter() if isinstance(el.tag, str) and el.get("hidden") is not None]
    drop += [el for el in root.iter() if isinstance(el.tag, str) and _HIDDEN_STYLE.search(el.get("style") or "")]
    for el in drop:
        if el.getparent() is not None:
            el.drop_tree()
    base = own_url
    for el in root.iter("base"):
        href = (el.get("href") or "").strip()
        if href:
            joined = urljoin(own_url or "", href)
            if joined.startswith(("http://", "https://")):
                base = joined
            break
    for el in list(root.iter("base")):
        if el.getparent() is not None:
            el.drop_tree()
    if base:
        root.make_links_absolute(base, resolve_base_href=False, handle_failures="discard")
    return base


def _main_container(root) -> None:
    """Wrap the body's content in a ``<main>`` element when the page has neither ``<main>`` nor ``<article>``.

    Without a container it recognises, trafilatura falls back on collecting paragraphs and drops the headings
    between lists (trafilatura issue #354): "<h2>Research and Reports</h2>" between a press-release list and a
    report list was lost, and with it the part of the page its reports are in (the twenty-first blind test).
    ``<main>`` is the element HTML section 4.4.14 defines for the dominant content of the body; navigation,
    headers and footers inside it are still removed by trafilatura's own cleaning."""
    if next(root.iter("main", "article"), None) is not None:
        return
    body = root.find("body")
    if body is None or len(body) == 0:
        return
    main = body.makeelement("main", {})
    main.text, body.text = body.text, None
    for child in list(body):
        main.append(child)
    body.append(main)


def _is_note_mark(sup) -> bool:
    """Whether a ``<sup>`` element is a footnote reference: its text is a marker
    (:data:`~loaders.document.FOOTNOTE_MARK`) and it links to a fragment of the page (``<a href="#fn1">``)
    or is not a power, exponent or formula digit (:func:`~loaders.document.kept_superscript`: "m<sup>2</sup>",
    "CO<sup>2</sup>", any exponent after a bare "10": "10<sup>6</sup>"). HTML section 4.5.19 ("sup"):
    superscripts also mark exponents and ordinals ("1<sup>st</sup>"); those stay."""
    text = "".join(sup.itertext()).strip()
    if not text or len(text) > 12:
        return False
    linked = any((a.get("href") or "").strip().startswith("#") for a in sup.iter("a"))
    if not (FOOTNOTE_MARK.fullmatch(text) or (linked and FOOTNOTE_MARK.fullmatch(text.strip("[]()")))):
        return False
    prev = sup.getprevious()
    before = (prev.tail if prev is not None else sup.getparent().text) or ""
    if prev is not None and not before:
        before = "".join(prev.itertext())
    return linked or not kept_superscript(text, before, after_ten=True)


#: The whole text of an element that is a date: ISO 8601 calendar date ("2025-11-03", also "/" or "."
#: separated), day month year ("3 Nov 2025", "03 November 2025"), month day, year ("Nov 3, 2025") or the
#: Chinese form ("2025年11月3日"), optionally in brackets.
_DATE_TEXT = re.compile(
    r"[\[(]?\s*(?:(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}"
    r"|\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+(?:19|20)\d\d"
    r"|[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+(?:19|20)\d\d"
    r"|(?:19|20)\d\d\s*\u5e74\s*\d{1,2}\s*\u6708\s*\d{1,2}\s*\u65e5)\s*[\])]?")
#: Inline (phrasing) elements that can hold a separate field of a listing (HTML section 3.2.5.2.5); not
#: ``<sub>``/``<sup>`` (a formula's subscript or an exponent continues the word before it).
_INLINE = ("a", "span", "time", "em", "strong", "b", "i", "small", "font", "abbr", "cite", "label", "mark",
           "u", "q", "data")


def _field_breaks(root) -> None:
    """Put a line break (``<br>``) between two inline elements that are separate fields of a listing and
    touch with no whitespace between them: a link followed directly by another element
    (``<a>Title</a><span class="date">2025-11-03</span>``), or any element followed directly by one whose
    whole text is a date (:data:`_DATE_TEXT`). A browser shows such fields apart only through the site's
    style sheet (HTML section 3.2.5.2.5: phrasing content runs on); without the break their words run
    together ("...sector2025-11-03"). Only between inline elements (:data:`_INLINE`; never before a subscript
    or superscript), not before text that opens with punctuation (", ", "'s"): those continue the link's words. Call before
    :func:`_unwrap_times` (a ``<time>`` is such an element). Linear in the elements."""
    import lxml.html

    for el in list(root.iter(*_INLINE)):
        nxt = el.getnext()
        if nxt is None or not isinstance(nxt.tag, str) or nxt.tag not in _INLINE:
            continue
        if el.tail and el.tail.strip():
            continue  # text between them: it is the separator, or the two are one run of words
        if el.tail:  # whitespace only: the words do not run together
            continue
        before = _last_text(el)
        after = "".join(islice((t for t in nxt.itertext() if t), _MAX_FIELD_CHUNKS))
        if not before.strip() or not after.strip() or before[-1].isspace() or after[0].isspace():
            continue
        if not after[0].isalnum():
            continue
        if el.tag == "a" or (len(after) <= 40 and _DATE_TEXT.fullmatch(after)):
            br = lxml.html.Element("br")
            el.addnext(br)  # lxml moves el's (empty) tail to br


#: Text runs of the next element read by :func:`_field_breaks` (a date is one or a few runs; bounds the work).
_MAX_FIELD_CHUNKS = 8


def _last_text(el) -> str:
    """The last non-empty text run inside ``el`` (its own text or a descendant's text or tail), or "":
    what the element's rendered text ends with. Walks down the last children only (the depth of the tree)."""
    node = el
    while True:
        for child in reversed(node):
            if child.tail:
                return child.tail
            if len(child) or child.text:
                node = child
                break
        else:
            return node.text or ""


def _unwrap_times(root) -> None:
    """Replace each ``<time>`` element by its content (trafilatura drops the element with its text, so a
    "Date: <time>10 June 2025</time>" line would lose its date)."""
    for el in list(root.iter("time")):
        if el.getparent() is not None:
            el.drop_tag()


#: Longest dateline (characters) kept under a heading.
_MAX_DATELINE = 300


def _keep_datelines(root) -> None:
    """Keep the dateline under an item's heading: a short ``<p>``/``<div>`` that directly follows an
    ``<h2>``-``<h6>`` and holds a ``<time>`` ("Agency A, Agency B · <time>12 June 2025</time>"). Its
    ``class``/``id`` ("meta", "byline") would make trafilatura drop it as boilerplate; they are removed.
    The page's own byline under ``<h1>`` is page metadata (:func:`page_published_date`) and stays as it is.
    Call before :func:`_unwrap_times`."""
    for t in list(root.iter("time")):
        el = t.getparent()
        while el is not None and el.tag not in ("p", "div"):
            el = el.getparent()
        if el is None:
            continue
        prev = el.getprevious()
        while prev is not None and not isinstance(prev.tag, str):
            prev = prev.getprevious()
        if prev is None or prev.tag not in ("h2", "h3", "h4", "h5", "h6"):
            continue
        if len(" ".join("".join(el.itertext()).split())) > _MAX_DATELINE:
            continue
        for attr in ("class", "id"):
            el.attrib.pop(attr, None)


def read_html(path: Path, data: bytes | None = None, *, timeout_s: float = 60,
              declared_charset: str | None = None) -> Document:
    """Read an HTML page into a :class:`~loaders.document.Document` (text, anchors, title, url, warnings).

    ``declared_charset``: the charset the transport declared (HTTP
    ``Content-Type``), if any (:func:`decode_html`). ``Document.url`` is the
    page's canonical URL (or ``og:url``); links are resolved against the
    document base URL (see the module docstring).

    Raises :class:`InputError` (file named) when the bytes are not text, the
    page has no main text, or extraction runs past ``timeout_s`` (parsing
    and trafilatura run in a worker thread the caller stops waiting for:
    :func:`~loaders.document.run_bounded`). Nothing is fetched: scripts,
    styles, frames and images are never loaded.
    """
    import lxml.html
    import trafilatura
    from lxml import etree

    name = Path(path).name
    if data is None:
        data = Path(path).read_bytes()
    page, warnings = decode_html(data, name, declared_charset)

    def run() -> tuple[str | None, str | None, str | None, tuple[str, str] | None, set[str]]:
        parser = lxml.html.HTMLParser(huge_tree=True, collect_ids=False, remove_comments=True, remove_pis=True,
                                      encoding="utf-8", no_network=True)
        try:
            tree = lxml.html.document_fromstring(page.encode("utf-8", "surrogatepass"), parser=parser)
        except (etree.ParserError, ValueError) as exc:
            raise InputError(f"unreadable HTML: {exc}", file=name) from None
        cut = [e for e in parser.error_log if e.level_name == "FATAL"]
        if cut:
            why = re.sub(r",\s*use XML_PARSE_HUGE option", "", cut[0].message.strip())
            warnings.append(f"the HTML parser stopped early at line {cut[0].line} ({why}); the rest of the page "
                            "is not read")
        own = _own_url(tree)
        published = page_published_date(tree)
        base = _prepare(tree, own)
        spanning = _spanning_rows(tree)
        try:
            xml = trafilatura.extract(tree, output_format="xml", include_links=True, include_formatting=False,
                                      include_tables=True, favor_recall=True, with_metadata=True,
                                      include_comments=False)
        except RecursionError:
            raise InputError("unreadable HTML: the elements nest too deeply to extract", file=name) from None
        except Exception as exc:  # trafilatura/lxml raise several types on broken markup
            raise InputError(f"unreadable HTML: {type(exc).__name__}: {exc}", file=name) from None
        return xml, own, base, published, spanning

    xml, url, base, published, spanning = run_bounded(run, timeout_s, name, "HTML text extraction")
    if not xml:
        raise InputError("no main text found in the HTML page", file=name)
    root = etree.fromstring(xml.encode("utf-8"), parser=etree.XMLParser(resolve_entities=False, no_network=True,
                                                                        huge_tree=True))
    title = (root.get("title") or "").strip() or None
    # (text, link spans, the table a row belongs to or None)
    main = root.find("main")
    if main is None:
        main = root
    paras = _paragraphs(main, base, spanning)
    if title and not (paras and " ".join(paras[0][0].split()) == " ".join(title.split())):
        paras.insert(0, (title, [], None))
    out: list[str] = []
    anchors: list[LinkAnchor] = []
    pos = 0
    prev_table = None
    for text, refs, table in paras:
        if out:
            sep = "\n" if table is not None and table is prev_table else "\n\n"
            out.append(sep)
            pos += len(sep)
        for s, e, u in refs:
            if e > s:
                anchors.append(LinkAnchor(u, pos + s, pos + e, 0))
        out.append(text)
        pos += len(text)
        prev_table = table
    full = sanitize_text("".join(out) + "\n")
    if not full.strip():
        raise InputError("no main text found in the HTML page", file=name)
    return Document(Path(path), "html", full, page_starts=[0], anchors=anchors, title=title, url=url,
                    warnings=warnings, published=published)


#: Children of a trafilatura ``<cell>`` that are blocks of their own: a cell holding one is page layout
#: (navigation beside the article), not a cell of a data table.
_CELL_BLOCKS = frozenset({"head", "p", "list", "quote", "table", "code"})
#: Longest mean text (characters) of the filled cells of a data table; longer cells are page layout (as
#: :data:`loaders.pdf._MAX_MEAN_CELL` for ruled boxes in a PDF).
_MAX_MEAN_CELL = 200


def _is_layout_table(table) -> bool:
    """Whether a trafilatura ``<table>`` lays out the page rather than holding data: a cell holds blocks
    (:data:`_CELL_BLOCKS`: headings, paragraphs, lists; older government sites put the menu in one cell
    and the article in the next) or the filled cells hold more than :data:`_MAX_MEAN_CELL` characters on
    average. HTML Living Standard section 4.9.1: tables must not be used as layout aids, but pages do."""
    lengths: list[int] = []
    for row in table:
        if not isinstance(row.tag, str) or row.tag != "row":
            continue
        for cell in row:
            if not isinstance(cell.tag, str) or cell.tag != "cell":
                continue
            if any(isinstance(ch.tag, str) and ch.tag in _CELL_BLOCKS for ch in cell):
                return True
            n = len(" ".join("".join(cell.itertext()).split()))
            if n:
                lengths.append(n)
    return bool(lengths) and sum(lengths) > _MAX_MEAN_CELL * len(lengths)


_Para = tuple[str, list[tuple[int, int, str]], object]


def _para(el, base: str | None) -> _Para | None:
    """One block's text on one line with its link spans; an ``<item>`` gets a bullet; ``None`` when empty."""
    text, refs = _flatten(el, base, lines=el.tag == "item")
    text, refs = _collapse(text, refs)
    if not text.strip():
        return None
    if el.tag == "item":
        text, refs = "\u2022 " + text, [(s + 2, e + 2, u) for s, e, u in refs]
    return text, refs, None


def _paragraphs(main, base: str | None, spanning: set[str]) -> list[_Para]:
    """The blocks of trafilatura's ``<main>`` in document order: ``(text, link spans, table or None)``.

    A ``<head>``, ``<p>``, ``<item>``, ``<quote>`` or lone ``<cell>`` is one paragraph (blocks inside a
    paragraph, item, quote, cell or row belong to it); a ``<row>`` of a data table is one line
    (:func:`_row`); the rows of a layout table (:func:`_is_layout_table`) give their cells' content as
    paragraphs, in order: the cell's text runs and its own blocks. An explicit stack: linear in the
    elements, whatever their depth.
    """
    paras: list[_Para] = []
    layout: dict[object, bool] = {}  # keyed by the element itself: a key keeps its proxy alive (ids are reused)
    # ("node", element) to walk, or ("para", paragraph) to hand on
    stack: list[tuple[str, object]] = [("node", ch) for ch in reversed(main)]
    while stack:
        kind, item = stack.pop()
        if kind == "para":
            paras.append(item)  # type: ignore[arg-type]
            continue
        el = item
        if not isinstance(el.tag, str):
            continue
        if el.tag == "row":
            table = el.getparent()
            if table not in layout:
                layout[table] = table is not None and _is_layout_table(table)
            if layout[table]:
                parts: list[tuple[str, object]] = []
                for cell in el:
                    if isinstance(cell.tag, str):
                        parts.extend(_cell_parts(cell, base))
                stack.extend(reversed(parts))
                continue
            first = table is not None and next((r for r in table if isinstance(r.tag, str) and r.tag == "row"),
                                               None) is el
            row = _row(el, base, spanning, first=first)
            if row is not None:
                paras.append(row)
            continue
        if el.tag in ("p", "item", "quote", "cell"):
            p = _para(el, base)
            if p is not None:
                paras.append(p)
            continue
        if el.tag == "head":
            p = _para(el, base)
            if p is not None:
                paras.append(p)
        stack.extend(("node", ch) for ch in reversed(el))
    return paras


def _cell_parts(cell, base: str | None) -> list[tuple[str, object]]:
    """A layout table cell's content in order: each run of text and inline elements as a paragraph
    (``("para", ...)``), each block child (:data:`_CELL_BLOCKS`) as an element to walk (``("node", el)``)."""
    import copy

    from lxml import etree

    out: list[tuple[str, object]] = []
    run = etree.Element("cell")
    run.text = cell.text

    def flush() -> None:
        p = _para(run, base)
        if p is not None:
            out.append(("para", p))

    for ch in cell:
        if isinstance(ch.tag, str) and ch.tag in _CELL_BLOCKS:
            flush()
            out.append(("node", ch))
            run = etree.Element("cell")
            run.text = ch.tail
        else:
            run.append(copy.deepcopy(ch))
    flush()
    return out


def _row(row, base: str | None, spanning: set[str] = frozenset(), *, first: bool = False) -> _Para | None:
    """A table row as one line, its cells joined by " | " (header row first, as the page has it), with its
    link spans; ``(text, refs, table element)``. A row is a paragraph of its own (table ``None``) when it
    has one cell, or text in one cell only and that text is a caption or a cell spanning the whole row in
    the page (``spanning``, :func:`_spanning_rows`: trafilatura pads such rows with empty cells) or the
    row is the table's ``first`` and only its first cell is filled (a title row); a row with empty cells
    otherwise stays in its table ("Inland C |  | "). An empty row is ``None``. A bar that would read as a
    cell separator becomes a slash (:func:`cell_bars`); a bar inside a word stays ("T|1"). Same shape as a
    drawn PDF table (:mod:`loaders.pdf`), read by :func:`loaders.briefing.find_tables`."""
    cells: list[tuple[str, list[tuple[int, int, str]]]] = []
    for cell in row:
        if not isinstance(cell.tag, str) or cell.tag != "cell":
            continue
        collapsed, refs = _collapse(*_flatten(cell, base))
        cells.append((cell_bars(collapsed), refs))
    filled = [c for c in cells if c[0]]
    if not filled:
        return None
    if len(filled) == 1 and (len(cells) == 1 or filled[0][0] in spanning or (first and cells[0][0])):
        return filled[0][0], filled[0][1], None
    parts: list[str] = []
    refs: list[tuple[int, int, str]] = []
    pos = 0
    for j, (text, rs) in enumerate(cells):
        if j:
            parts.append(" | ")
            pos += 3
        refs.extend((pos + s, pos + e, u) for s, e, u in rs)
        parts.append(text)
        pos += len(text)
    return "".join(parts).rstrip(), refs, row.getparent()


def _spanning_rows(root) -> set[str]:
    """Texts (whitespace collapsed) of the page's table captions and of rows made of one cell spanning two
    or more columns (``colspan``: a section row "Coastal provinces"). trafilatura turns both into a row
    padded with empty cells; :func:`_row` gives them as paragraphs. HTML Living Standard sections 4.9.2
    (``caption``) and 4.9.11 (``colspan``)."""
    out: set[str] = set()
    for el in root.iter("caption"):
        out.add(" ".join("".join(el.itertext()).split()))
    for tr in root.iter("tr"):
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
        if len(cells) != 1:
            continue
        try:
            span = int((cells[0].get("colspan") or "1").strip())
        except ValueError:
            span = 1
        if span >= 2:
            out.add(" ".join("".join(cells[0].itertext()).split()))
    out.discard("")
    return {cell_bars(t) for t in out}  # as :func:`_row` gives a cell's text


def _collapse(text: str, refs: list[tuple[int, int, str]]) -> tuple[str, list[tuple[int, int, str]]]:
    """``" ".join(text.split())`` (each whitespace run one space, none at either end) with the spans
    ``refs`` (offsets into ``text``) moved to match; a span's own leading and trailing spaces drop out.
    A :data:`_LINE_BREAK` mark (from :func:`_flatten` with ``lines``) becomes a newline that eats the
    spaces around it (several in a row: one newline; none at either end). Linear in the text."""
    out: list[str] = []
    new_at: list[int] = []  # new offset of each old offset
    for ch in text:
        new_at.append(len(out))
        if ch == _LINE_BREAK:
            while out and out[-1] == " ":
                out.pop()
            if out and out[-1] != "\n":
                out.append("\n")
        elif ch.isspace():
            if out and out[-1] not in " \n":
                out.append(" ")
        else:
            out.append(ch)
    new_at.append(len(out))
    while out and out[-1] in " \n":
        out.pop()
    n = len(out)
    moved = []
    for s, e, u in refs:
        s = max(0, min(s, len(text)))
        e = max(s, min(e, len(text)))
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        moved.append((min(new_at[s], n), min(new_at[e], n), u))
    return "".join(out), moved


#: Marks a line break in :func:`_flatten`'s text (NUL: never in XML text, so never in the page's own).
_LINE_BREAK = "\x00"


def _flatten(el, base: str | None = None, *, lines: bool = False) -> tuple[str, list[tuple[int, int, str]]]:
    """Text of an element with its ``<ref target>`` spans (offsets into that text).

    With ``lines`` (a list item), a line break (``<lb/>``: an author's ``<br>`` or one put between the
    fields of a listing by :func:`_field_breaks`) and the start and end of a paragraph inside the element
    (a summary ``<p>`` under an item's title link) are :data:`_LINE_BREAK` marks, which :func:`_collapse`
    turns into newlines: the item's title, date and summary each on a line of their own. Without it they
    are spaces (a paragraph's ``<br>`` only wraps its sentence).

    Relative targets (none are left when the page's base URL is known: see
    :func:`_prepare`) are resolved against ``base`` when given; only http(s)
    targets are kept.
    """
    buf: list[str] = []
    refs: list[tuple[int, int, str]] = []

    def walk(node) -> None:
        if node.text:
            buf.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and child.tag == "ref":
                start = sum(len(x) for x in buf)
                inner, _ = _flatten(child, base)
                buf.append(inner)
                target = (child.get("target") or "").strip()
                if base and target and not target.startswith(("http://", "https://", "javascript:", "mailto:", "#")):
                    target = urljoin(base, target)
                if target.startswith(("http://", "https://")):
                    refs.append((start, start + len(inner), target))
            elif isinstance(child.tag, str) and child.tag == "lb":
                buf.append(_LINE_BREAK if lines else " ")
            elif lines and isinstance(child.tag, str) and child.tag == "p":
                buf.append(_LINE_BREAK)
                walk(child)
                buf.append(_LINE_BREAK)
            else:
                walk(child)
            if child.tail:
                buf.append(child.tail)

    walk(el)
    text = "".join(buf).replace("\n", " ")
    return text, refs


def single_policy_fallback(parse: BriefingParse, doc: Document, genre_labels: list[str]) -> None:
    """An article about one policy: when its title carries no link, its source is the page itself.

    Applies only when the parse found exactly one policy and the page
    declares its own URL (canonical link or ``og:url``). Modifies ``parse``.
    """
    if len(parse.policies) != 1 or not doc.url:
        return
    e = parse.policies[0]
    if not e.urls:
        e.urls = [doc.url]
        e.link_note = "the article's own URL (no link over the title)"
