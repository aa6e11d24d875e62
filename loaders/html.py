"""HTML reader: main text and its links, via trafilatura.

trafilatura (``extract(output_format="xml", include_links=True)``) drops
navigation, footers and boilerplate and gives the main content as
``<head>``, ``<p>``, ``<list><item>`` ... with links as ``<ref target>``.
This module turns that into the text layout :mod:`loaders.briefing` reads:
one paragraph per block, separated by blank lines, list items as ``•``
bullets, and each ``<ref>`` as a :class:`~loaders.briefing.LinkAnchor` over
the text it wraps. The page's own title is the first paragraph when the main
content does not start with it, so a news headline such as "NDRC issues
Notice on ..." can name the policy.

Both a news article about one policy and a tracker digest of several read
the same way; :func:`single_policy_fallback` adds what an article about one
policy lacks (its own URL as the source when the title carries no link).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

from policykg.errors import InputError

from .briefing import BriefingParse, LinkAnchor
from .document import Document, decode_text, run_bounded, sanitize_text

__all__ = ["read_html", "single_policy_fallback"]

_BLOCKS = {"head", "p", "item", "quote", "cell", "td", "row", "code", "lb"}


def read_html(path: Path, data: bytes | None = None, *, timeout_s: float = 60) -> Document:
    """Read an HTML page into a :class:`~loaders.document.Document` (text, anchors, title, url).

    Raises :class:`InputError` (file named) when the bytes are not text, the
    page has no main text, or extraction runs past ``timeout_s`` (trafilatura
    runs in a worker thread the caller stops waiting for:
    :func:`~loaders.document.run_bounded`). Nothing is fetched: scripts,
    styles, frames and images are never loaded.
    """
    import trafilatura
    from lxml import etree

    name = Path(path).name
    if data is None:
        data = Path(path).read_bytes()
    if b"\x00" in data[:65536]:
        raise InputError("binary data (NUL bytes), not an HTML document", file=name)
    try:
        html = data.decode("utf-8")
    except UnicodeDecodeError:
        html = None
    if html is None:
        try:
            import charset_normalizer  # shipped with trafilatura's dependencies
            best = charset_normalizer.from_bytes(data).best()
            html = str(best) if best is not None else None
        except ImportError:  # pragma: no cover
            html = None
    if html is None:
        decode_text(data, name)  # raises with line and column
        raise InputError("undecodable HTML", file=name)  # pragma: no cover
    page = html

    def run() -> str | None:
        try:
            return trafilatura.extract(page, output_format="xml", include_links=True, include_formatting=False,
                                       include_tables=True, favor_recall=True, with_metadata=True,
                                       include_comments=False)
        except Exception as exc:  # trafilatura/lxml raise several types on broken markup
            raise InputError(f"unreadable HTML: {type(exc).__name__}: {exc}", file=name) from None

    xml = run_bounded(run, timeout_s, name, "HTML text extraction")
    if not xml:
        raise InputError("no main text found in the HTML page", file=name)
    root = etree.fromstring(xml.encode("utf-8"), parser=etree.XMLParser(resolve_entities=False, no_network=True))
    title = (root.get("title") or "").strip() or None
    url = (root.get("url") or "").strip() or None
    paras: list[tuple[str, list[tuple[int, int, str]]]] = []
    main = root.find("main")
    if main is None:
        main = root
    for el in main.iter():
        if not isinstance(el.tag, str) or el.tag not in ("head", "p", "item", "quote", "cell"):
            continue
        if any(isinstance(a.tag, str) and a.tag in ("p", "item", "quote", "cell") for a in el.iterancestors()):
            continue
        text, refs = _flatten(el, url)
        text = " ".join(text.split()) if "\n" not in text else text
        if not text.strip():
            continue
        if el.tag == "item":
            text, refs = "• " + text, [(s + 2, e + 2, u) for s, e, u in refs]
        paras.append((text, refs))
    if title and not (paras and " ".join(paras[0][0].split()) == " ".join(title.split())):
        paras.insert(0, (title, []))
    out: list[str] = []
    anchors: list[LinkAnchor] = []
    pos = 0
    for text, refs in paras:
        for s, e, u in refs:
            if e > s:
                anchors.append(LinkAnchor(u, pos + s, pos + e, 0))
        out.append(text)
        pos += len(text) + 2
    full = sanitize_text("\n\n".join(out) + "\n")
    if not full.strip():
        raise InputError("no main text found in the HTML page", file=name)
    return Document(Path(path), "html", full, page_starts=[0], anchors=anchors, title=title, url=url)


def _flatten(el, base: str | None = None) -> tuple[str, list[tuple[int, int, str]]]:
    """Text of an element with its ``<ref target>`` spans (offsets into that text).

    Relative targets are resolved against ``base`` (the page's own URL) when
    it is known; only http(s) targets are kept.
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
                buf.append(" ")
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
