"""Reading untrusted RDF safely, and writing RDF in every format we serve.

Parsing goes through Oxigraph's parsers (Rust; no network access, positions
in every syntax error), never through rdflib's JSON-LD parser, which fetches
remote and file ``@context`` documents without a timeout
(``shared/design/library-pitfalls.md``). Guards applied where the data enters:

* a size limit (``max_bytes``) before anything is parsed (:class:`PayloadTooLarge`);
* text must be UTF-8 (:class:`InputError` with the byte offset otherwise);
* RDF/XML with a DTD that declares entities, or with external entities, is
  refused (billion laughs, XXE) using :mod:`defusedxml`;
* JSON-LD with a remote or file ``@context`` is refused: the Oxigraph parser is
  given no document loader, so any such context is an error.

Syntax errors become :class:`InputError` with 1-based ``line`` and ``column``.
"""

from __future__ import annotations

import codecs
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib

from .errors import InputError, NotAcceptable, PayloadTooLarge, UnsupportedFormat
from .store import error_position, to_oxigraph, to_rdflib
from .vocab import DEFAULT_BASE_IRI, PREFIXES

__all__ = ["not_utf8", "bom_encoding", "RdfFormatInfo", "FORMATS", "format_for_path", "format_for_media_type", "parse_rdf", "parse_rdf_file",
           "serialize_graph", "jsonld_context", "graph_to_jsonld", "xml_safe", "UTF8_BOM", "strip_bom",
           "show_invisible"]


@dataclass(frozen=True)
class RdfFormatInfo:
    """One RDF syntax: its name, media type, file suffixes, and the Oxigraph/rdflib format names."""

    name: str
    media_type: str
    suffixes: tuple[str, ...]
    oxigraph: ox.RdfFormat
    rdflib_name: str
    aliases: tuple[str, ...] = ()


#: Every RDF syntax policykg reads and writes (media types per their W3C/IANA registrations).
FORMATS: tuple[RdfFormatInfo, ...] = (
    RdfFormatInfo("turtle", "text/turtle", (".ttl",), ox.RdfFormat.TURTLE, "turtle",
                  ("application/x-turtle", "application/turtle")),
    RdfFormatInfo("ntriples", "application/n-triples", (".nt",), ox.RdfFormat.N_TRIPLES, "nt",
                  ("text/plain",)),
    RdfFormatInfo("jsonld", "application/ld+json", (".jsonld", ".json"), ox.RdfFormat.JSON_LD, "json-ld"),
    RdfFormatInfo("rdfxml", "application/rdf+xml", (".rdf", ".owl", ".xml"), ox.RdfFormat.RDF_XML, "xml"),
    RdfFormatInfo("trig", "application/trig", (".trig",), ox.RdfFormat.TRIG, "trig"),
    RdfFormatInfo("nquads", "application/n-quads", (".nq",), ox.RdfFormat.N_QUADS, "nquads"),
)


def format_for_path(path: Path | str) -> RdfFormatInfo:
    """The RDF syntax of a file from its suffix; :class:`UnsupportedFormat` if none matches."""
    suffix = Path(path).suffix.lower()
    for f in FORMATS:
        if suffix in f.suffixes:
            return f
    raise UnsupportedFormat(
        f"cannot tell the RDF syntax from the suffix {suffix!r}; use one of "
        + ", ".join(s for f in FORMATS for s in f.suffixes), file=str(path))


def format_for_media_type(media_type: str) -> RdfFormatInfo:
    """The RDF syntax of a media type (parameters such as ``charset`` ignored); :class:`UnsupportedFormat` otherwise."""
    mt = media_type.split(";", 1)[0].strip().lower()
    for f in FORMATS:
        if mt == f.media_type or mt in f.aliases or mt == f.name:
            return f
    raise UnsupportedFormat(f"unsupported RDF media type {media_type!r}; use one of "
                            + ", ".join(f.media_type for f in FORMATS))


def _check_xml(data: bytes, source: str | None) -> None:
    import defusedxml.ElementTree as det  # noqa: PLC0415
    from defusedxml import DefusedXmlException  # noqa: PLC0415
    from xml.etree.ElementTree import ParseError  # noqa: PLC0415

    try:
        det.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise InputError(f"RDF/XML with entity declarations or external references is refused ({exc})",
                         file=source) from None
    except ParseError as exc:
        line, column = exc.position if exc.position else (None, None)
        raise InputError(f"malformed XML: {exc}", file=source, line=line,
                         column=None if column is None else column + 1) from None


#: The URL at which policykg publishes its JSON-LD ``@context`` (``GET /context.jsonld``, under the
#: dataset's w3id namespace). A document that names it gets the context inline, without a fetch.
OWN_CONTEXT_URL = f"{DEFAULT_BASE_IRI}context.jsonld"


def _prepare_jsonld(data: bytes, source: str | None) -> bytes:
    """Check a JSON-LD text before Oxigraph reads it; return it with policykg's own context inlined.

    Raises :class:`InputError` with line and column for malformed JSON, and for an ``@context``
    that names any other document: remote and file contexts are never fetched (no outbound
    request from untrusted input). An ``@context`` naming :data:`OWN_CONTEXT_URL` (the context
    the landing page links) is replaced by that context's object, so a document written against
    our published context reads as it would on a JSON-LD processor that fetched it (JSON-LD 1.1
    §4.1 "Advanced Context Usage"). The bytes are returned unchanged when nothing was replaced.
    """
    try:
        doc = json.loads(data)
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON: {exc.msg}", file=source, line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        raise InputError("JSON nested too deeply to read", file=source) from None
    except UnicodeDecodeError as exc:  # json.loads guesses UTF-8/16/32 from the first bytes (RFC 8259 §8.1)
        raise InputError(f"JSON is not valid UTF-8, UTF-16 or UTF-32 text: {exc.reason} at byte {exc.start}",
                         file=source) from None
    inlined = False
    # (JSON value, the term definitions in scope there: {term: definition object})
    stack: list[tuple[Any, dict]] = [(doc, {})]
    while stack:
        node, terms = stack.pop()
        if isinstance(node, dict):
            if "@value" in node:
                continue  # a value object: its @value is data (a JSON literal's too), never a context
            ctx = node.get("@context")
            contexts = ctx if isinstance(ctx, list) else [ctx]  # a list is edited in place
            for i, c in enumerate(contexts):
                if c == OWN_CONTEXT_URL:
                    contexts[i] = jsonld_context()
                    inlined = True
                elif isinstance(c, str):
                    raise InputError(
                        f"JSON-LD @context {c!r} refers to a document; remote and file contexts are not "
                        f"fetched (except policykg's own, {OWN_CONTEXT_URL}): inline the context object instead",
                        file=source, field="@context")
            if not isinstance(ctx, list) and contexts[0] is not ctx:
                node["@context"] = contexts[0]
            if "@context" in node:
                terms = _scope_terms(terms, node["@context"])
            for key, value in node.items():
                if key == "@context":
                    stack.append((value, terms))  # scoped contexts inside a context object are checked too
                    continue
                definition = terms.get(key)
                if isinstance(definition, dict) and definition.get("@type") == "@json":
                    continue  # a JSON literal (JSON-LD 1.1 §4.2.2): data, whatever keys it holds
                inner = definition.get("@context") if isinstance(definition, dict) else None
                stack.append((value, terms if inner is None else _scope_terms(terms, inner)))
        elif isinstance(node, list):
            stack.extend((item, terms) for item in node)
    return json.dumps(doc, ensure_ascii=False).encode("utf-8") if inlined else data


def _scope_terms(terms: dict, context: Any) -> dict:
    """The term definitions in scope after a JSON-LD ``@context`` value (an object, ``null``, or a list
    of them; JSON-LD 1.1 §4.1): ``terms`` updated with its term definitions, a ``null`` clearing them.
    Used only to find the terms typed ``@json`` (JSON-LD 1.1 §4.2.2), whose values are JSON literals,
    not node objects; type-scoped contexts and ``@propagate`` are not followed (a term taken for one
    wrongly only skips the context check of its value, and Oxigraph, with no document loader, still
    fetches nothing)."""
    out = dict(terms)
    for c in context if isinstance(context, list) else [context]:
        if c is None:
            out = {}
        elif isinstance(c, dict):
            out.update((k, v) for k, v in c.items() if not k.startswith("@"))
    return out


#: Most triples one untrusted input may hold: a bound on parsing time and memory.
MAX_TRIPLES = 200_000
#: Fewest input bytes per triple beyond the first 10,000 triples. Real data takes 20-100
#: bytes a triple; Turtle collections take 2 (``(1 1 1 ...)``), an amplification that would
#: let a body at the upload limit cost minutes of CPU.
MIN_BYTES_PER_TRIPLE = 4


#: The UTF-8 encoding of U+FEFF, the byte-order mark some editors (Windows Notepad, Excel) put first in a file.
UTF8_BOM = b"\xef\xbb\xbf"


def strip_bom(data: bytes) -> bytes:
    """``data`` without a leading UTF-8 byte-order mark (:data:`UTF8_BOM`).

    RDF 1.1 Turtle §6.5, N-Triples, TriG, N-Quads and the SPARQL 1.1 grammar (§19.8) have no production
    for U+FEFF, but Unicode §23.8 makes a leading BOM in a UTF-8 stream a signature, not text, and
    RFC 8259 §8.1 (JSON) and XML 1.0 §4.3.3 let readers ignore it: editors that write one (Windows
    Notepad, Excel "UTF-8" files) must not make a file unreadable. Only one leading mark is removed:
    U+FEFF anywhere else is data.
    """
    return data.removeprefix(UTF8_BOM)


#: Byte-order marks and the encodings they name, longest first (UTF-32 LE starts with the UTF-16 LE mark).
#: Source: the Unicode Standard, section 23.8 "Specials" (U+FEFF), and WHATWG Encoding "BOM sniff".
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 (little-endian)"),
         (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 (big-endian)"),
         (codecs.BOM_UTF8, "utf-8", "UTF-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 (little-endian)"),
         (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 (big-endian)"))


def bom_encoding(data: bytes) -> tuple[str, int, str] | None:
    """The encoding a leading byte-order mark names: ``(python codec, BOM length in bytes, human name)``.

    ``None`` when ``data`` starts with no BOM. UTF-32 marks are tested before
    UTF-16 ones (``FF FE 00 00`` is UTF-32 LE, not UTF-16 LE followed by NUL).

    >>> bom_encoding(b"\\xff\\xfeA\\x00")
    ('utf-16-le', 2, 'UTF-16 (little-endian)')
    """
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            return codec, len(bom), label
    return None


def not_utf8(data: bytes, exc: UnicodeDecodeError, file: str | None) -> InputError:
    """The :class:`InputError` for ``data`` that failed to decode as UTF-8 with ``exc``: where the first bad
    byte is (``line`` and ``column``, 1-based; the column counts characters, as an editor does) and its
    value. When the whole of ``data`` reads as GB18030 (the Chinese national encoding, a superset of GBK and
    GB2312 that spreadsheet programs on Chinese Windows write), the message says so: "save it as UTF-8".
    So it does when ``data`` opens with a UTF-16 or UTF-32 byte-order mark (Excel's "Unicode Text", Windows
    Notepad's "Unicode"): the mark names the encoding (:func:`bom_encoding`).
    """
    bom = bom_encoding(data)
    if bom is not None and bom[0] != "utf-8":
        return InputError(f"{bom[2]} text (byte-order mark {data[:bom[1]].hex(' ')}), not UTF-8; save it as UTF-8",
                          file=file, line=1, column=1)
    skipped = 0
    if isinstance(exc.object, bytes) and exc.object is not data and data.endswith(exc.object):
        skipped = len(data) - len(exc.object)  # a codec that drops a signature ("utf-8-sig") reports past it
    start = exc.start + skipped
    line_start = data.rfind(b"\n", 0, start) + 1
    line = data.count(b"\n", 0, start) + 1
    column = len(data[line_start:start].decode("utf-8", errors="replace")) + 1
    hint = ""
    try:
        data.decode("gb18030")
        hint = "; it reads as GB18030 (GBK), a Chinese encoding: save it as UTF-8"
    except UnicodeDecodeError:
        hint = "; save it as UTF-8"
    return InputError(f"not UTF-8 text (byte 0x{data[start]:02x} at byte offset {start}){hint}",
                      file=file, line=line, column=column)


def show_invisible(text: str) -> str:
    r"""``text`` with every character a reader cannot see written ``<U+XXXX>``: control and format
    characters (Unicode general categories Cc, Cf: U+FEFF, U+200B, bidi controls...), private-use,
    surrogate and unassigned code points (Co, Cs, Cn), and separators other than the space (Zs, Zl, Zp:
    U+00A0, U+3000, U+2028). Line feeds and tabs are kept. For error messages that quote input:
    "\ufeff is not a valid subject" shows as "<U+FEFF> is not a valid subject" (>>> below).

    >>> show_invisible("\ufeffPREFIX a\u00a0b")
    '<U+FEFF>PREFIX a<U+00A0>b'
    """
    if text.isascii() and text.isprintable():
        return text
    return "".join(c if c in "\n\t " or unicodedata.category(c)[0] not in "CZ" else f"<U+{ord(c):04X}>"
                   for c in text)


#: The base a JSON-LD text without one is read against, to find its relative IRIs (see parse_rdf).
_RELATIVE_BASE = "urn:x-policykg-relative:/"


def parse_rdf(data: bytes | str, fmt: RdfFormatInfo, *, source: str | None = None,
              max_bytes: int = 10_000_000, base_iri: str | None = None,
              max_triples: int = MAX_TRIPLES) -> rdflib.Dataset:
    """Parse untrusted RDF ``data`` in syntax ``fmt`` into an rdflib ``Dataset``.

    Triples of a graph syntax land in the default graph; quads keep their
    graph names. ``source`` names the file or request in error messages.

    Raises :class:`PayloadTooLarge` when ``data`` is over ``max_bytes`` or
    holds more than ``max_triples`` triples, and
    :class:`InputError` (with ``line``/``column`` where the parser gives them)
    for anything unreadable. Makes no network or file access.
    """
    raw = strip_bom(data.encode("utf-8") if isinstance(data, str) else data)
    if len(raw) > max_bytes:
        raise PayloadTooLarge(f"{len(raw)} bytes is over the limit of {max_bytes} bytes", file=source)
    if not raw.strip():
        raise InputError("empty input: no RDF to read", file=source)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise not_utf8(raw, exc, source) from None
    if fmt.oxigraph == ox.RdfFormat.RDF_XML:
        _check_xml(raw, source)
    elif fmt.oxigraph == ox.RdfFormat.JSON_LD:
        raw = _prepare_jsonld(raw, source)
    ds = rdflib.Dataset()
    count = 0
    max_triples = min(max_triples, max(10_000, len(raw) // MIN_BYTES_PER_TRIPLE))
    quads = []
    try:
        # JSON-LD drops a triple whose IRI stays relative (no base) without a word: parse against a
        # sentinel base, and refuse any IRI resolved against it
        parse_base = base_iri if base_iri is not None or fmt.name != "jsonld" else _RELATIVE_BASE
        for quad in ox.parse(raw, format=fmt.oxigraph, base_iri=parse_base):  # fast: refuse before rdflib
            count += 1
            if parse_base is _RELATIVE_BASE:
                for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
                    if isinstance(term, ox.NamedNode) and term.value.startswith(_RELATIVE_BASE):
                        raise InputError(f"relative IRI {term.value[len(_RELATIVE_BASE):]!r}: give absolute IRIs, "
                                         "or an @base in the @context", file=source, field="@id")
            if count > max_triples:
                raise PayloadTooLarge(f"more than {max_triples} triples in {len(raw)} bytes: split the input "
                                      "or write long collections out", file=source)
            if isinstance(quad.object, ox.Triple) or getattr(quad.object, "direction", None):
                _refuse_rdf12(raw, quad, fmt, source)
            quads.append(quad)
        for quad in quads:
            g = to_rdflib(quad.graph_name)
            triple = (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))
            if g is None:
                ds.default_graph.add(triple)  # type: ignore[arg-type]
            else:
                ds.graph(g).add(triple)  # type: ignore[arg-type]
    except SyntaxError as exc:
        line, column = error_position(str(exc))
        raise InputError(f"{fmt.name} syntax error: {exc}", file=source, line=line, column=column) from None
    except (ValueError, TypeError, RecursionError) as exc:
        raise InputError(f"{fmt.name} input refused: {exc}", file=source) from None
    return ds


#: Where RDF 1.2 syntax policykg cannot store starts in a Turtle-family text: a triple term or
#: reifier (``<<``), a base direction after a language tag (``@ar--rtl``).
_RDF12_SYNTAX = {"triple": re.compile(r"<<"), "direction": re.compile(r"@[A-Za-z0-9-]*?--(?:ltr|rtl)\b")}


def _refuse_rdf12(raw: bytes, quad: ox.Quad, fmt: RdfFormatInfo, source: str | None) -> None:
    """Raise InputError for an RDF 1.2 triple term or directional literal, with the line where one starts.

    rdflib, which policykg's graphs and validation run on, has neither: a
    triple term cannot be converted, and a base direction would be dropped
    without a word (RDF 1.2 Concepts §3.3, §3.4). The position is that of the
    first such construct in a Turtle-family text (Oxigraph reports none).
    """
    kind = "triple" if isinstance(quad.object, ox.Triple) else "direction"
    line = column = None
    if fmt.name in ("turtle", "ntriples", "trig", "nquads"):
        text = raw.decode("utf-8")
        m = _RDF12_SYNTAX[kind].search(text)
        if m is not None:
            line = text.count("\n", 0, m.start()) + 1
            column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
    what = ("an RDF 1.2 triple term (<< ... >>)" if kind == "triple"
            else f"an RDF 1.2 literal with a base direction ({quad.object})")
    raise InputError(f"{what} cannot be stored: policykg reads RDF 1.1; write the statement without it",
                     file=source, line=line, column=column)


def parse_rdf_file(path: Path, *, max_bytes: int = 10_000_000, base_iri: str | None = None) -> rdflib.Dataset:
    """Parse an RDF file, its syntax chosen by suffix (see :func:`parse_rdf` for errors)."""
    fmt = format_for_path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from None
    if size > max_bytes:
        raise PayloadTooLarge(f"{size} bytes is over the limit of {max_bytes} bytes", file=str(path))
    return parse_rdf(path.read_bytes(), fmt, source=str(path), max_bytes=max_bytes, base_iri=base_iri)


def jsonld_context() -> dict[str, str]:
    """The JSON-LD ``@context`` policykg publishes: our prefixes as term definitions."""
    return dict(PREFIXES)


def graph_to_jsonld(graph: rdflib.Graph, context: dict[str, str] | None = None) -> str:
    """``graph`` as JSON-LD compacted with ``context`` (default :func:`jsonld_context`), unless that changes a triple.

    rdflib's compaction writes ``xsd:integer``, ``xsd:boolean`` and
    ``xsd:double`` literals as bare JSON numbers and booleans. A JSON-LD
    processor reads a number without a fractional part back as an
    ``xsd:integer`` (JSON-LD 1.1 Processing Algorithms §8.6, Data Round
    Tripping), so ``"2.0E8"^^xsd:double`` came back as the integer
    200000000, and a non-canonical lexical form changed. Such literals are
    written as typed value objects (``{"@type": "xsd:double", "@value":
    "2.0E8"}``) instead. rdflib also drops some values (``""``, ``0``,
    ``false`` beside another value of the same property) and self-referencing
    blank nodes: the compacted text is parsed back and compared with
    ``graph``, and on any difference the lossless expanded form that Oxigraph
    writes is returned instead.
    """
    marked, marker = _mark_lossy_native_literals(graph)
    compact = marked.serialize(format="json-ld", context=context or jsonld_context(), auto_compact=True)
    if marker is not None:
        compact = json.dumps(_unmark(json.loads(compact), marker), indent=2, ensure_ascii=False)
    if _same_triples(compact, graph):
        return compact
    quads = [ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph]
    return ox.serialize(quads, format=ox.RdfFormat.JSON_LD).decode("utf-8")


_XSD = "http://www.w3.org/2001/XMLSchema#"
_NATIVE = {rdflib.URIRef(_XSD + t) for t in ("integer", "boolean", "double")}


def _mark_lossy_native_literals(graph: rdflib.Graph) -> tuple[rdflib.Graph, str | None]:
    """``graph`` with every literal that a bare JSON value would change given a marker datatype.

    Returns (graph, marker IRI), or (``graph`` itself, None) when no literal
    needs it. The marker is ``urn:uuid:...#`` + the XSD local name, so that
    rdflib writes a value object (``@type`` + string ``@value``), which
    :func:`_unmark` turns back into the XSD datatype.
    """
    def lossy(o: rdflib.Literal) -> bool:
        lexical = str(o)
        if o.datatype == rdflib.URIRef(_XSD + "double"):
            return True  # JSON-LD turns a number back into the canonical xsd:double form, or an integer
        if o.datatype == rdflib.URIRef(_XSD + "boolean"):
            return lexical not in ("true", "false")
        return not re.fullmatch(r"-?(0|[1-9][0-9]{0,14})", lexical)  # canonical, and exact in a double

    lossy_triples = [(s, p, o) for s, p, o in graph
                     if isinstance(o, rdflib.Literal) and o.datatype in _NATIVE and lossy(o)]
    if not lossy_triples:
        return graph, None
    import uuid  # noqa: PLC0415

    marker = f"urn:uuid:{uuid.uuid4()}#"
    marked = rdflib.Graph()
    for prefix, namespace in graph.namespaces():
        marked.bind(prefix, namespace)
    for t in graph:
        marked.add(t)
    for s, p, o in lossy_triples:
        marked.remove((s, p, o))
        local = str(o.datatype)[len(_XSD):]
        marked.add((s, p, rdflib.Literal(str(o), datatype=rdflib.URIRef(marker + local))))
    return marked, marker


def _unmark(node: object, marker: str) -> object:
    """The JSON-LD tree ``node`` with marker datatypes (see above) turned back into ``xsd:`` ones."""
    if isinstance(node, list):
        return [_unmark(n, marker) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _unmark(v, marker) for k, v in node.items() if k != "@context"}
    if "@context" in node:
        out = {"@context": node["@context"], **out}
    if isinstance(out.get("@type"), str) and out["@type"].startswith(marker) and "@value" in out:
        out["@type"] = "xsd:" + out["@type"][len(marker):]
    return out


def _same_triples(text: str, graph: rdflib.Graph) -> bool:
    """Whether the JSON-LD ``text``, read by Oxigraph, gives exactly the triples of ``graph``.

    Compared term by term (literals by lexical form and datatype); with blank
    nodes, as graphs up to blank-node renaming (``rdflib.compare.isomorphic``).
    """
    try:
        back = [q.triple for q in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.JSON_LD)]
    except SyntaxError:
        return False
    if len(back) != len(graph):
        return False
    if not any(isinstance(t, rdflib.BNode) for triple in graph for t in triple):
        return set(back) == {ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph}
    from rdflib.compare import isomorphic  # noqa: PLC0415

    other = rdflib.Graph()
    for t in back:
        other.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return isomorphic(other, graph)


#: In UTF-8 text, a character XML 1.0 cannot carry, raw or as a character reference (XML 1.0 §2.2
#: ``Char``: C0 controls other than TAB, LF and CR, and U+FFFE, U+FFFF; UTF-8 never holds surrogates).
_XML_ILLEGAL_UTF8 = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")


def xml_safe(data: bytes, instead: str = "Turtle, N-Triples or JSON-LD") -> bytes:
    """The UTF-8 XML document ``data`` (RDF/XML, SPARQL XML results) made to read back as written.

    * A raw carriage return becomes ``&#13;``: an XML parser turns CR LF and a lone CR
      into LF (XML 1.0 §2.11, end-of-line handling), but keeps a character reference
      (§4.1), in text content and attribute values alike (§3.3.3). Writers put CR only
      inside literals and attribute values, never in markup.
    * A character XML 1.0 cannot carry at all (§2.2, :data:`_XML_ILLEGAL_UTF8`) raises
      :class:`~policykg.errors.NotAcceptable` (406), naming the formats to ask for
      instead (``instead``), where the writer would have produced ill-formed XML.
    """
    if _XML_ILLEGAL_UTF8.search(data):
        raise NotAcceptable("this answer holds characters XML 1.0 cannot carry (control characters, XML 1.0 "
                            f"§2.2); ask for {instead} instead")
    return data.replace(b"\r", b"&#13;") if b"\r" in data else data


def _turtle(graph: rdflib.Graph, subject: rdflib.URIRef | None = None) -> str:
    """``graph`` as Turtle written by Oxigraph: lexical forms kept, the same text for the same graph.

    Triples are sorted (subjects grouped; ``subject``, the resource a
    document describes, first), and only the prefixes of
    :data:`~policykg.vocab.PREFIXES` that the graph uses are declared, in that
    order (Oxigraph's own header order varies from run to run).
    """
    triples = sorted(graph, key=lambda t: (t[0] != subject, isinstance(t[0], rdflib.BNode), str(t[0]), str(t[1]),
                                           t[2].n3()))
    names = {str(x) for t in triples for x in t if isinstance(x, rdflib.URIRef)}
    names |= {str(t[2].datatype) for t in triples if isinstance(t[2], rdflib.Literal) and t[2].datatype}
    used = {p: ns for p, ns in PREFIXES.items() if any(n.startswith(ns) for n in names)}
    body = ox.serialize([ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in triples],
                        format=ox.RdfFormat.TURTLE, prefixes=used).decode("utf-8")
    lines = body.split("\n")
    start = next((i for i, line in enumerate(lines) if not line.startswith("@prefix ")), len(lines))
    header = [f"@prefix {p}: <{ns}> ." for p, ns in used.items()]
    return "\n".join(header + ([""] if header else []) + lines[start:])


def serialize_graph(graph: rdflib.Graph, fmt: RdfFormatInfo, subject: rdflib.URIRef | None = None) -> bytes:
    """Serialise ``graph`` in ``fmt`` as UTF-8 bytes, with policykg's prefixes bound.

    JSON-LD output is compacted with :func:`jsonld_context` given inline (see
    :func:`graph_to_jsonld`); Turtle is written by Oxigraph, which keeps every
    literal's lexical form, with ``subject`` (the resource a document
    describes) first. RDF/XML goes through :func:`xml_safe`: a literal holding a
    character XML 1.0 forbids, or a property IRI that cannot be split into an
    XML QName, raises :class:`~policykg.errors.NotAcceptable`.
    """
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    if fmt.name == "jsonld":
        out = graph_to_jsonld(graph)
    elif fmt.name in ("trig", "nquads"):
        ds = rdflib.Dataset()
        for t in graph:
            ds.default_graph.add(t)
        out = ds.serialize(format=fmt.rdflib_name)
    elif fmt.name == "turtle":
        # Oxigraph writes every literal with its lexical form; rdflib's Turtle shorthand turned
        # "500"^^xsd:decimal into 500.0, another RDF term (RDF 1.1 Concepts §3.3).
        out = _turtle(graph, subject)
    else:
        try:
            out = graph.serialize(format=fmt.rdflib_name)
        except ValueError as exc:  # rdflib: "Can't split <predicate>": RDF/XML needs an XML QName per predicate
            if fmt.name != "rdfxml":
                raise
            raise NotAcceptable(f"this resource uses a property RDF/XML cannot name ({exc}); ask for Turtle, "
                                "N-Triples or JSON-LD instead") from None
    data = out.encode("utf-8") if isinstance(out, str) else out
    return xml_safe(data) if fmt.name == "rdfxml" else data
