"""Pure SPARQL helpers: query inspection, result limiting, canned queries (no FastAPI).

Query inspection (:func:`inspect_query`) decides whether the public
endpoint runs a query at all, *before* it reaches the engine:

0. linear checks first (:func:`precheck`): size, and nesting depth of
   ``{}``/``()``/``[]`` (deep nesting can crash parsers: Oxigraph's overflows
   its stack near 3,000 levels), counted by a small lexer that skips strings,
   IRIs and comments;
1. the text is parsed by Oxigraph's own parser without evaluating it (a
   substitution of a variable the query does not project makes
   ``Store.query`` stop after parsing), which gives exact 1-based
   ``line:column`` positions for syntax errors;
2. text that is not a query but parses as SPARQL 1.1 Update is refused
   (:class:`~policykg.errors.QueryRefused`): the endpoint is read-only;
3. when its tokens contain ``SERVICE`` or ``FROM`` keywords, the query is
   parsed again by rdflib's SPARQL 1.1 grammar, whose parse tree is walked to
   find ``SERVICE`` patterns (refused: pyoxigraph would evaluate them over
   HTTP with no timeout, ``shared/design/library-pitfalls.md``) and the
   ``FROM`` / ``FROM NAMED`` dataset clauses (SPARQL 1.1 Query §13.2), which
   :func:`check_dataset` then restricts to graphs of the store. Without
   those keyword tokens neither can occur, and the form and LIMIT are read
   from the tokens (a test checks this agrees with rdflib on the W3C suite).

Parsing time is not linear in every case (Oxigraph is superlinear on long
``UNION`` chains), so the endpoint runs inspection inside a killable worker
(:class:`policykg.querypool.QueryPool`), under the query deadline. The one
exception is a *bounded* query (:func:`bounded_query_info`): a short query of
a single triple pattern or a DESCRIBE of IRIs, recognised by a linear scan of
its tokens, which parses and runs in time linear in its size and its rows.

Canned queries (:func:`load_canned_queries`) are ``.rq`` files whose leading
comment block, lines starting with ``#+``, is a YAML document::

    #+ name: policies-by-region
    #+ summary: Policies of a region and of its cities
    #+ description: >
    #+   Longer text...
    #+ tags: [region, jurisdiction]
    #+ params:
    #+   region: {type: region, required: true, example: CN-SD, description: ISO 3166-2 code}
    #+   year:   {type: year, default: "2030"}

Each parameter ``p`` is bound to the query variable ``?p`` as an RDF term
through engine substitutions (RDF-dev SEP-0007), never pasted into the
text; as SEP-0007 requires, ``?p`` must be projected by a SELECT.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Iterator, Mapping

import pyoxigraph as ox
import yaml
from rdflib import Literal, URIRef
from rdflib.term import Node

from .errors import InputError, NotFound, ParameterError, PayloadTooLarge, QueryError, QueryRefused
from .store import error_position
from .vocab import DEFAULT_BASE_IRI, XSD

__all__ = [
    "QueryInfo", "inspect_query", "provisional_info", "bounded_query_info", "precheck", "check_dataset", "limit_query", "page_query", "outer_slice", "PAGING_PARAMS", "truncate_results", "csv_results",
    "star_columns", "order_columns", "syntax_error_message",
    "ParamSpec", "CannedQuery", "load_canned_queries", "parameter_choices", "MAX_CHOICES", "parse_canned_query", "PARAM_TYPES", "resolve_resources", "resolve_resource",
]

#: Query forms of SPARQL 1.1 Query §16, in the names the endpoint reports.
FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


@dataclass(frozen=True)
class QueryInfo:
    """What inspection learnt about a query.

    ``form``: ``"SELECT"``, ``"ASK"``, ``"CONSTRUCT"`` or ``"DESCRIBE"``;
    ``default_graphs`` / ``named_graphs``: the IRIs of its ``FROM`` /
    ``FROM NAMED`` clauses (absolute, in order); ``limit``: the LIMIT of the
    outermost query or None.
    """

    form: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    limit: int | None = None


_PROBE = {ox.Variable("policykg_parse_probe_7f3a"): ox.Literal("probe")}
_PROBE_STORE: ox.Store | None = None


def _oxigraph_syntax_error(text: str, base_iri: str | None = None) -> SyntaxError | None:
    """Parse ``text`` with Oxigraph without evaluating it; the SyntaxError, or None when it parses."""
    global _PROBE_STORE
    if _PROBE_STORE is None:
        _PROBE_STORE = ox.Store()
    try:
        _PROBE_STORE.query(text, substitutions=_PROBE, base_iri=base_iri)
    except SyntaxError as exc:
        return exc
    except RuntimeError:
        return None  # parsed; stopped at the substitution check before any evaluation
    # Unreachable in practice: the probe variable is never projected. Treat as parsed.
    return None


def _walk(node: Any):
    """Yield every rdflib ``CompValue`` in a parse tree (iteratively: no recursion limit)."""
    from rdflib.plugins.sparql.parserutils import CompValue  # noqa: PLC0415
    from pyparsing import ParseResults  # noqa: PLC0415

    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, CompValue):
            yield n
            stack.extend(n.values())
        elif isinstance(n, (ParseResults, list, tuple)):
            stack.extend(n)
        elif isinstance(n, dict):
            stack.extend(n.values())


def _lexical_info(text: str) -> QueryInfo | None:
    """Classify a query that Oxigraph parsed, from its tokens alone, when that is conclusive.

    Returns None (use the full parse) when a ``SERVICE`` or ``FROM`` keyword
    token occurs. Strings, IRIs, comments, variables and prefixed names are
    separate tokens, so a keyword is only seen where the grammar has one; a
    query without those tokens has no SERVICE pattern and no dataset clause.
    """
    form = None
    limit = None
    for m in _tokens(text):
        # '<' is an IRI or a less-than, which only the grammar tells apart: a keyword inside
        # IRI-like text may be a real one (``FILTER(1<2)SERVICE:x#>``); leave it to the full parse.
        if m.lastgroup == "iri" and _HIDDEN_KEYWORD.search(m.group()):
            return None
    for word, _, top_level, following in _keywords(text):
        if word in ("SERVICE", "FROM"):
            return None
        if form is None and word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            form = word
        elif word == "LIMIT" and top_level and following is not None and following.lastgroup == "int":
            if len(following.group()) > 18:
                return None  # the full parse reports it
            limit = int(following.group())
    if form is None:
        return None
    return QueryInfo(form, (), (), limit)


_HIDDEN_KEYWORD = re.compile(r"service|from|limit", re.I)


def _undeclared_prefixes(text: str) -> str:
    """For a query that uses prefixes it does not declare (SPARQL 1.1 §4.1.1.1; the usual slip is a
    missing ``PREFIX pkg:``): a message naming them, with the declaration of those policykg knows
    (:data:`policykg.vocab.PREFIXES`); "" when every prefix used is declared. Oxigraph's own message
    for this lists the grammar's expected tokens, not the prefix."""
    from .vocab import PREFIXES  # noqa: PLC0415

    declared: set[str] = set()  # the prologue comes first (SPARQL 1.1 grammar [4]): one pass reads both
    used: list[str] = []
    after_prefix = False
    for m in _tokens(text):
        if m.lastgroup == "pname":
            name = m.group().split(":", 1)[0]
            if after_prefix:
                declared.add(name)
            elif name not in declared and name not in used:
                used.append(name)
        after_prefix = m.lastgroup == "word" and m.group().upper() == "PREFIX"
    if not used:
        return ""
    known = [f"PREFIX {p}: <{PREFIXES[p]}>" for p in used if p in PREFIXES]
    hints = [f"add {' and '.join(known)}"] if known else []
    if len(known) < len(used):
        hints.append("declare the others with PREFIX name: <namespace IRI>" if known
                     else "declare it with PREFIX name: <namespace IRI>")
    names = ", ".join(p + ":" for p in used)
    return f"prefix {names} used but not declared; {'; '.join(hints)}"



#: Character classes in Oxigraph's "expected" lists (its grammar's name characters, SPARQL 1.1 §19.8
#: PN_CHARS_BASE and friends, and digits), which tell a reader nothing as ranges of code points.
_CHAR_CLASS = re.compile(r"\[[^\[\]]*?\.\.[^\[\]]*\]")  # one class of characters: no nested alternation
_ANY_CHAR = re.compile(r",?\s*\[_\]")


def _tidy_expected(message: str) -> str:
    """Oxigraph's parser message with its lists of code-point ranges named ("a digit", "a name character")
    and its "[_]" (any character) dropped."""
    def name(m: re.Match[str]) -> str:
        return "a digit" if m.group() in ("['0'..='9']", "['0' ..= '9']") else "a name character"

    tidy = _ANY_CHAR.sub("", _CHAR_CLASS.sub(name, message))
    if re.search(r"expected(?: one of)?\s*\Z", tidy):  # only "[_]" was expected: nothing a reader can use
        tidy = re.sub(r"expected(?: one of)?\s*\Z", "unexpected text", tidy)
    parts = dict.fromkeys(p.replace("['_']", '"_"') for p in tidy.split(", "))
    return ", ".join(parts).replace("expected one of a", "expected a")


def _missing_object_hint(text: str, line: int | None, column: int | None) -> str:
    """``"; the triple pattern `?s ?p` has no object ..."`` when the parser stopped at the ``.`` or ``}``
    that ends a triple pattern of two terms, or at one that ends a predicate after ``;`` with no object
    (a triple is subject, predicate, object: SPARQL 1.1 §4.2); "" otherwise. Read from the tokens
    (strings, IRIs and comments skipped), so a ``.`` inside them is not taken for the end of a pattern."""
    if line is None or column is None:
        return ""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return ""
    offset = sum(len(x) + 1 for x in lines[:line - 1]) + column - 1
    end = offset
    while end > 0 and text[end - 1] in " \t\r\n":
        end -= 1
    if end < len(text) and text[end] in ".}" and (end == offset or text[offset:offset + 1] in ("", " ")):
        stop = end
    elif end > 0 and text[end - 1] in ".}":
        stop = end - 1
    elif offset < len(text) and text[offset] in ".}":
        stop = offset
    else:
        return ""
    for _ in range(2):  # the pattern before the stop; or, when only "." stands there, the one before that
        terms, opened_by, stop = _pattern_before(text, stop)
        if terms or opened_by != ".":
            break
    if opened_by in "{." and len(terms) == 2:
        return (f"; the triple pattern `{' '.join(terms)}` has no object: a triple pattern is a subject, "
                "a predicate and an object (?s ?p ?o)")
    if opened_by == ";" and len(terms) == 1:
        return f"; the predicate `{terms[0]}` after ';' has no object"
    if opened_by == "," and not terms:
        return "; an object is missing after ','"
    return ""


def _pattern_before(text: str, stop: int) -> tuple[list[str], str, int]:
    """The terms of the triple pattern that ends at offset ``stop`` (``[]`` when a keyword or a bracket
    stands in it), the mark that opened it (``{``, ``.``, ``;`` or ``,``) and that mark's offset."""
    terms: list[str] = []
    previous_end = stop
    tokens = [t for t in _tokens(text) if t.end() <= stop]
    for i in range(len(tokens) - 1, -1, -1):
        m = tokens[i]
        gap = text[m.end():previous_end]
        at = max(gap.rfind(c) for c in "{.;,")
        if at >= 0:
            return terms, gap[at], m.end() + at
        previous_end = m.start()
        if m.lastgroup == "comment":  # skipped like blanks: a "." in it ends nothing
            continue
        if m.lastgroup == "open":
            before = [t for t in tokens[:i] if t.lastgroup != "comment"]
            head = next((t for t in reversed(before) if t.lastgroup not in ("var", "popen", "pclose")), None)
            if head is not None and head.lastgroup == "word" and head.group().upper() == "VALUES":
                return [], "", m.start()  # a VALUES block's data, not a triple pattern
            return terms, "{", m.start()
        if m.lastgroup in ("close", "popen", "pclose") or (m.lastgroup == "word" and m.group() != "a"):
            return [], "", m.start()  # a keyword (FILTER, OPTIONAL...) or brackets: not a plain triple pattern
        terms.insert(0, m.group() if len(m.group()) <= 80 else m.group()[:60] + "…" + m.group()[-10:])
    return terms, "", 0


def _excerpt(text: str, line: int | None, column: int | None) -> str:
    """The query's line ``line`` with a caret under ``column`` (1-based), on two lines of their own; ""
    when the position is unknown or the line is over 200 characters."""
    from .rdfio import show_invisible  # noqa: PLC0415

    lines = text.split("\n")
    if line is None or column is None or not 1 <= line <= len(lines) or len(lines[line - 1]) > 200:
        return ""
    raw = lines[line - 1].rstrip("\r").replace("\t", " ")
    # invisible characters are shown as <U+XXXX> (as error answers show them): the caret counts them so
    return f"\n  {show_invisible(raw)}\n  {' ' * len(show_invisible(raw[:column - 1]))}^"


def syntax_error_message(text: str, error: object) -> str:
    """The message for a query Oxigraph cannot parse: ``malformed SPARQL query: `` and the undeclared
    prefixes (:func:`_undeclared_prefixes`) or the parser's own message (``error`` as a string) with its
    expected tokens tidied, a hint for a triple pattern without its object, an invisible character in
    the text, and the line the parser stopped at with a caret under the column."""
    line, column = error_position(str(error))
    message = _undeclared_prefixes(text) or (_tidy_expected(str(error)) + _missing_object_hint(text, line, column))
    return f"malformed SPARQL query: {message}{_invisible_note(text)}{_excerpt(text, line, column)}"

def _invisible_note(text: str) -> str:
    """``"; the query holds an invisible character <U+200B> at line L, column C"`` for the first character
    of ``text`` that a reader cannot see (:func:`policykg.rdfio.show_invisible`: format and control
    characters, separators other than space, tab and line breaks), or "" when there is none. The
    parser's message names the token it expected, not the character it found."""
    from .rdfio import show_invisible  # noqa: PLC0415

    for i, ch in enumerate(text):
        if ch not in "\r\n\t " and show_invisible(ch) != ch:
            line = text.count("\n", 0, i) + 1
            column = i - (text.rfind("\n", 0, i) + 1) + 1
            return f"; the query holds an invisible character {show_invisible(ch)} at line {line}, column {column}"
    return ""


@functools.lru_cache(maxsize=512)
def _inspect_cached(text: str, base_iri: str | None = None, thorough: bool = False) -> QueryInfo:
    from rdflib.plugins.sparql.algebra import translatePrologue  # noqa: PLC0415
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate  # noqa: PLC0415

    error = _oxigraph_syntax_error(text, base_iri)
    # rdflib ends comments at LF only; SPARQL 1.1 §19.4 (and Oxigraph) at CR too. Every CR becomes an LF
    # for rdflib, which changes no token (CR can only stand in whitespace, comments and long strings).
    lf_text = text.replace("\r", "\n")
    if error is None and not thorough:
        fast = _lexical_info(text)
        if fast is not None:
            return fast
    if error is not None:
        try:
            parseUpdate(lf_text)
        except Exception:  # noqa: BLE001 - any parser failure means "not an update either"
            line, column = error_position(str(error))
            raise QueryError(syntax_error_message(text, error), line=line, column=column) from None
        raise QueryRefused("SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE...) is not accepted: queries "
                           "are read-only (the SPARQL 1.1 Protocol's query operation, §2.1); change the data with "
                           "`policykg load` or `policykg merge`, or POST /merge")
    try:
        parsed = parseQuery(lf_text)
    except RecursionError:
        raise QueryRefused("query nesting too deep to inspect") from None
    except Exception as exc:  # noqa: BLE001 - rdflib raises pyparsing errors
        raise QueryRefused(f"query uses syntax beyond SPARQL 1.1 that cannot be inspected: {exc}",
                           line=getattr(exc, "lineno", None), column=getattr(exc, "col", None)) from None
    prologue_tree, body = parsed[0], parsed[1]
    form = FORMS.get(body.name)
    if form is None:
        raise QueryRefused(f"unsupported query form {body.name}")
    for comp in _walk(body):
        if comp.name == "ServiceGraphPattern":
            raise QueryRefused("SERVICE (federated query) is not allowed: queries run on the local store only")
    prologue = translatePrologue(prologue_tree, base_iri)
    defaults: list[str] = []
    named: list[str] = []
    for clause in body.get("datasetClause") or []:
        if "default" in clause:
            defaults.append(str(prologue.absolutize(clause["default"])))
        if "named" in clause:
            named.append(str(prologue.absolutize(clause["named"])))
    limit = None
    lo = body["limitoffset"] if "limitoffset" in body else None
    if lo is not None and "limit" in lo:
        limit = int(lo["limit"])
    return QueryInfo(form, tuple(defaults), tuple(named), limit)


def inspect_query(text: str, *, max_bytes: int | None = None, base_iri: str | None = None,
                  thorough: bool = False) -> QueryInfo:
    """Parse and classify ``text``; refuse what the public endpoint does not run.

    Returns a :class:`QueryInfo`. Raises :class:`PayloadTooLarge` when the
    UTF-8 text is over ``max_bytes``; :class:`QueryError` with 1-based
    ``line``/``column`` for a syntax error; :class:`QueryRefused` for SPARQL
    Update (and so ``LOAD``) and for ``SERVICE`` anywhere in the query
    (sub-queries, ``EXISTS``, ``OPTIONAL``...). Results are cached by text.
    ``thorough`` skips the token shortcut and always walks rdflib's parse tree.
    """
    precheck(text, max_bytes=max_bytes)
    return _inspect_cached(text, base_iri, thorough)


def provisional_info(text: str, *, max_bytes: int | None = None) -> QueryInfo | None:
    """The :class:`QueryInfo` of ``text`` read from its tokens alone, or None when they do not settle it.

    Runs :func:`precheck` first (same errors). The answer holds only if
    ``text`` parses as a SPARQL query: the caller must run it with Oxigraph
    and, when Oxigraph reports a syntax error, call :func:`inspect_query`,
    which raises the precise error (or refuses an update). Tokens settle a
    query that has a form keyword and no ``SERVICE`` or ``FROM`` token (see
    :func:`_lexical_info`); nothing the caller adds for the row limit can
    introduce either.
    """
    precheck(text, max_bytes=max_bytes)
    return _lexical_info(text)


def precheck(text: str, *, max_bytes: int | None = None) -> None:
    """The checks of :func:`inspect_query` that take linear time: size, emptiness, nesting depth.

    Raises :class:`PayloadTooLarge`, :class:`QueryError` or :class:`QueryRefused`.
    """
    if max_bytes is not None and len(text.encode("utf-8")) > max_bytes:
        raise PayloadTooLarge(f"query text over the limit of {max_bytes} bytes")
    if not text.strip():
        raise QueryError("empty query")
    depth = nesting_depth(text)
    if depth > MAX_NESTING:
        raise QueryRefused(f"query nested {depth} levels deep; at most {MAX_NESTING} levels of (), [] and {{}} "
                           "are accepted")


#: Most nested ``{}``/``()``/``[]`` levels accepted: deeper text can exhaust the parsers' stacks
#: (Oxigraph's parser crashes the process near 3,000 levels; ``shared/design/library-pitfalls.md``).
MAX_NESTING = 64


def nesting_depth(text: str) -> int:
    """Deepest nesting of ``{}``, ``()`` and ``[]`` in ``text``, ignoring strings and comments.

    Brackets inside IRI-like text count too: ``<`` may be a less-than whose
    "IRI" the engine reads as code (``FILTER(1<2)((((...#>``).
    """
    depth = best = 0
    for m in _tokens(text):
        kind = m.lastgroup
        if kind in ("open", "popen"):
            depth += 1
            best = max(best, depth)
        elif kind in ("close", "pclose"):
            depth -= 1
        elif kind == "iri":
            for ch in m.group():
                if ch in "{([":
                    depth += 1
                    best = max(best, depth)
                elif ch in "})]":
                    depth -= 1
    return best


def check_dataset(iris: list[str] | tuple[str, ...], allowed: Any, *, clause: str = "FROM") -> None:
    """Refuse dataset IRIs (``FROM``, ``default-graph-uri``...) that do not name a graph of the store.

    ``allowed(iri) -> bool`` says whether an IRI names a local graph. Any
    other IRI, in particular ``file:`` and remote ``http(s):`` documents that
    an engine might be tempted to fetch, raises :class:`QueryRefused`.
    """
    for iri in iris:
        if iri.lower().startswith("file:"):
            raise QueryRefused(f"{clause} <{iri}>: file IRIs are not allowed")
        if not allowed(iri):
            raise QueryRefused(f"{clause} <{iri}> is not a graph of this store; "
                               "remote documents are not loaded")


# --- result limiting ------------------------------------------------------

_TOKEN = re.compile(
    r'''(?P<comment>\#[^\r\n]*)
      | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'|"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*')
      | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
      | (?P<open>\{) | (?P<close>\})
      | (?P<popen>[(\[]) | (?P<pclose>[)\]])
      | (?P<var>[?$][^\s(){}\[\],;.<>"'=!|&+*/^\\\#-]+)
      | (?P<pname>(?:[^\W\d][\w.\-]*)?:(?:[\w.\-:%]|\\[_~.\-!$&'()*+,;=/?\#@%])*)
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<int>[0-9]+)
    ''', re.X | re.S)


@functools.lru_cache(maxsize=64)
def _tokens(text: str) -> tuple[re.Match[str], ...]:
    """The :data:`_TOKEN` matches of ``text``, cached: inspection, nesting and LIMIT rewriting scan a query once."""
    return tuple(_TOKEN.finditer(text))


def _keywords(text: str) -> Iterator[tuple[str, re.Match[str], bool, re.Match[str] | None]]:
    """The word tokens of a query (comments, strings and IRIs skipped by :data:`_TOKEN`):
    ``(upper-case word, its match, top_level, the next token that is not a comment, or None)``, where
    ``top_level`` means outside every brace and after the first group pattern
    closed (where solution modifiers and a trailing VALUES clause stand). A comment may stand between
    any two tokens (SPARQL 1.1 Query §19.6), ``OFFSET # note`` and the line after."""
    tokens = _tokens(text)
    for i, m, depth, seen_group in _words(tokens):
        j = i + 1
        while j < len(tokens) and tokens[j].lastgroup == "comment":
            j += 1
        yield m.group().upper(), m, depth == 0 and seen_group, tokens[j] if j < len(tokens) else None


def _words(tokens: tuple[re.Match[str], ...]) -> Iterator[tuple[int, re.Match[str], int, bool]]:
    """The word tokens of ``tokens`` (:func:`_tokens`): ``(index, match, brace depth, whether a group
    pattern closed before it)``."""
    depth = 0
    seen_group = False
    for i, m in enumerate(tokens):
        kind = m.lastgroup
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
            seen_group = True
        elif kind == "word":
            yield i, m, depth, seen_group


def limit_query(text: str, info: QueryInfo, max_rows: int) -> str:
    """Return ``text`` with its outermost LIMIT made at most ``max_rows + 1``.

    The extra row lets :func:`truncate_results` tell "exactly max_rows" from
    "more". Only our own integer is inserted; user text is not changed
    otherwise. The query is lexed (comments, strings, IRIs skipped) to find
    the depth-0 ``LIMIT`` or the trailing ``VALUES`` clause (SPARQL 1.1
    grammar rules [18] SolutionModifier and [28] ValuesClause). ASK queries
    and queries whose LIMIT is already small are returned unchanged.
    """
    cap = max_rows + 1
    if info.form == "ASK" or (info.limit is not None and info.limit <= max_rows):
        return text
    limit_span = values_pos = None
    for word, m, top_level, following in _keywords(text):
        if not top_level:
            continue
        if word == "LIMIT" and following is not None and following.lastgroup == "int":
            if len(following.group()) > 18:  # past a 64-bit integer: the engine refuses it, leave it
                return text
            limit_span = following.span()
        elif word == "VALUES" and values_pos is None:
            values_pos = m.start()
    if limit_span is not None:
        return text[:limit_span[0]] + str(cap) + text[limit_span[1]:]
    if values_pos is not None:
        return text[:values_pos] + f"LIMIT {cap}\n" + text[values_pos:]
    return text + f"\nLIMIT {cap}\n"


def _outer_clauses(text: str) -> tuple[re.Match[str] | None, re.Match[str] | None, int | None]:
    """The outermost query's LIMIT integer token, OFFSET integer token (None when absent) and the start of
    its trailing VALUES clause (None when absent), found by the lexer of :func:`limit_query` (comments,
    strings, IRIs and sub-selects skipped); the last of each clause counts."""
    limit = offset = None
    values_pos = None
    for word, m, top_level, following in _keywords(text):
        if not top_level:
            continue
        if word in ("LIMIT", "OFFSET") and following is not None and following.lastgroup == "int":
            if word == "LIMIT":
                limit = following
            else:
                offset = following
        elif word == "VALUES" and values_pos is None:
            values_pos = m.start()
    return limit, offset, values_pos


def outer_slice(text: str) -> tuple[int | None, int]:
    """``(LIMIT, OFFSET)`` of the outermost query of ``text`` (SPARQL 1.1 Query §15.4, §15.5): the LIMIT or
    None, the OFFSET or 0 (:func:`_outer_clauses`); a text that does not lex as a query gives ``(None, 0)``."""
    limit, offset, _ = _outer_clauses(text)
    return (None if limit is None else int(limit.group())), (0 if offset is None else int(offset.group()))


def page_query(text: str, info: QueryInfo, offset: int) -> tuple[str, QueryInfo]:
    """Return ``(text, info)`` for the page of ``text``'s solutions that starts ``offset`` rows in.

    The outermost OFFSET becomes the query's own OFFSET plus ``offset`` (SPARQL 1.1 Query §15.4); an
    outermost LIMIT of its own, say 50, becomes ``max(50 - offset, 0)`` so that paging never reads past
    the rows the query itself asks for, and the returned :class:`QueryInfo` carries it for
    :func:`limit_query`, which then caps the page. Only our own integers are written: the depth-0
    LIMIT and OFFSET are found by the lexer of :func:`limit_query` (comments, strings and IRIs skipped),
    a missing OFFSET goes before a trailing VALUES clause or at the end (grammar rules [18]
    SolutionModifier, [25] LimitOffsetClauses, [28] ValuesClause). ``offset`` 0 returns both unchanged.
    Raises ValueError for a negative ``offset`` or an ASK query (which has no solution sequence to page).
    """
    if offset < 0:
        raise ValueError(f"offset must be 0 or more, got {offset}")
    if info.form == "ASK":
        raise ValueError("an ASK query has no rows to page through")
    if offset == 0:
        return text, info
    limit_token, offset_token, values_pos = _outer_clauses(text)
    limit_span = None if limit_token is None else limit_token.span()
    offset_span = None if offset_token is None else offset_token.span()
    own_offset = 0 if offset_token is None else int(offset_token.group())
    edits = []  # (start, end, replacement), applied from the end so that earlier spans stay valid
    new_limit = info.limit
    if info.limit is not None and limit_span is not None:
        new_limit = max(info.limit - offset, 0)
        edits.append((*limit_span, str(new_limit)))
    if offset_span is not None:
        edits.append((*offset_span, str(own_offset + offset)))
    elif values_pos is not None:
        edits.append((values_pos, values_pos, f"OFFSET {offset}\n"))
    else:
        edits.append((len(text), len(text), f"\nOFFSET {offset}\n"))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text, replace(info, limit=new_limit)


def _csv_field(term: Any) -> str:
    """One term as a field of SPARQL 1.1 Query Results CSV (§2 of the CSV/TSV note): an IRI without angle
    brackets, a literal's lexical form (no datatype or language), a blank node as ``_:label``, unbound as
    empty; a SPARQL 1.2 triple term as ``<< s p o >>``, its terms written the same way and a literal object
    in quotation marks (SPARQL 1.2 Query Results CSV and TSV Formats, "Serializing RDF Terms")."""
    if term is None:
        return ""
    if isinstance(term, ox.Triple):
        obj = term.object
        written = f'"{obj.value}"' if isinstance(obj, ox.Literal) else _csv_field(obj)
        return f"<< {_csv_field(term.subject)} {_csv_field(term.predicate)} {written} >>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def csv_results(solutions: Any, max_rows: int) -> tuple[bytes, bool]:
    """SELECT ``solutions`` (a ``pyoxigraph.QuerySolutions``) as SPARQL 1.1 CSV, at most ``max_rows`` rows:
    ``(bytes, truncated)``. Fields are quoted as RFC 4180 says (a comma, a quote, a line break).

    pyoxigraph 0.5's own CSV writer quotes literals only, so an IRI with a comma (every evidence IRI,
    ``...#char=120,184``) or a triple term split a row into more fields than the header has.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    names = [v.value for v in solutions.variables]
    writer.writerow(names)
    truncated = False
    for n, solution in enumerate(solutions):
        if n >= max_rows:
            truncated = True
            break
        writer.writerow([_csv_field(solution[name]) for name in names])
    return out.getvalue().encode("utf-8"), truncated


def truncate_results(data: bytes, fmt: str, max_rows: int) -> tuple[bytes, bool]:
    """Cut serialised SELECT results to ``max_rows``; return ``(data, truncated)``.

    ``fmt`` is ``json``, ``xml``, ``csv`` or ``tsv`` (pyoxigraph's output of
    the SPARQL 1.1 Query Results formats). Rows are counted without parsing
    when that is exact (XML ``<result>`` elements, TSV lines: both escape
    their delimiters inside values) or bounded from above (JSON objects, CSV
    lines); the output is parsed only when it may hold more than ``max_rows``
    rows, so small results never touch Python per row.
    """
    if fmt == "xml":
        n = data.count(b"<result>")
        if n <= max_rows:
            return data, False
        cut = 0
        for _ in range(max_rows + 1):
            cut = data.index(b"<result>", cut) + 1
        end = data.rindex(b"</results>")
        return data[:cut - 1] + data[end:], True
    if fmt == "tsv":
        lines = data.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        if len(lines) - 1 <= max_rows:
            return data, False
        return b"\n".join(lines[:max_rows + 1]) + b"\n", True
    if fmt == "json":
        if data.count(b"{") - 3 <= max_rows:
            return data, False
        doc = json.loads(data)
        rows = doc["results"]["bindings"]
        if len(rows) <= max_rows:
            return data, False
        doc["results"]["bindings"] = rows[:max_rows]
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), True
    if fmt == "csv":
        if data.count(b"\n") - 1 <= max_rows:
            return data, False
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        if len(rows) - 1 <= max_rows:
            return data, False
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(rows[:max_rows + 1])
        return out.getvalue().encode("utf-8"), True
    raise ValueError(f"unknown results format {fmt!r}")


def star_columns(text: str) -> tuple[str, ...] | None:
    """For a query whose outermost projection is ``*`` (``SELECT [DISTINCT|REDUCED] *``): the variable names
    in the order they first occur after the ``*``, else None.

    That is the order of the answer's columns: SPARQL 1.1 §18.2.1 makes ``*`` the set of the in-scope
    variables and leaves their order open; pyoxigraph lists them alphabetically, rdflib and Jena in the
    order the query names them, which is what a reader of ``SELECT * WHERE { ?policy dcterms:title
    ?title }`` expects (policy, then title). Variables the text names but the engine does not project
    (a FILTER's, a sub-query's own) are dropped by :func:`order_columns`. Lexed with :data:`_TOKEN`
    (strings, IRIs and comments skipped); text without ``*`` costs one substring search.
    """
    if "*" not in text:
        return None
    tokens = _tokens(text)
    for i, m, depth, _ in _words(tokens):
        word = m.group().upper()
        if depth == 0 and word == "SELECT":
            j = i + 1
            while j < len(tokens) and (tokens[j].lastgroup == "comment" or tokens[j].lastgroup == "word"
                                       and tokens[j].group().upper() in ("DISTINCT", "REDUCED")):
                j += 1
            end = tokens[j - 1].end()
            gap = text[end:tokens[j].start()] if j < len(tokens) else text[end:]
            if gap.strip() != "*":
                return None
            return tuple(dict.fromkeys(t.group()[1:] for t in tokens[j:] if t.lastgroup == "var"))
        if word in ("ASK", "CONSTRUCT", "DESCRIBE"):
            return None
    return None


_JSON_VARS = re.compile(rb'\A\s*\{\s*"head"\s*:\s*\{\s*"vars"\s*:\s*(\[[^\]]*\])')
_XML_VARIABLE = re.compile(rb'<variable\s+name\s*=\s*(["\'])(.*?)\1\s*(?:/>|>\s*</variable>)')


def order_columns(data: bytes, fmt: str, preferred: tuple[str, ...]) -> bytes:
    """SELECT results serialised in ``fmt`` (``json``, ``xml``, ``csv``, ``tsv``: the SPARQL 1.1 Query Results
    formats) with their columns in ``preferred`` order (from :func:`star_columns`), the head's other
    variables after them in their order. Returns ``data`` itself when nothing moves.

    JSON and XML list the variables in the head only (a row's bindings are named), so only the head is
    rewritten; CSV and TSV rows are rewritten field by field (TSV escapes its tabs and line breaks inside
    values, SPARQL 1.1 TSV §4; CSV is read with the csv module). Raises ValueError for an unknown format.
    """
    def final(names: list[str]) -> list[str] | None:
        wanted = [n for n in preferred if n in names] + [n for n in names if n not in preferred]
        return None if wanted == names else wanted

    if fmt == "json":
        m = _JSON_VARS.match(data)
        if m is not None:
            wanted = final(json.loads(m.group(1)))
            if wanted is None:
                return data
            return data[:m.start(1)] + json.dumps(wanted, separators=(",", ":")).encode("utf-8") + data[m.end(1):]
        doc = json.loads(data)  # a head that is not first (a remote server's own layout)
        wanted = final(doc.get("head", {}).get("vars", []))
        if wanted is None:
            return data
        doc["head"]["vars"] = wanted
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if fmt == "xml":
        head_end = data.find(b"</head>")
        found = list(_XML_VARIABLE.finditer(data, 0, head_end if head_end >= 0 else 0))
        if not found or any(data[a.end():b.start()].strip() for a, b in zip(found, found[1:])):
            return data  # no head, or other elements between the variables: left as the engine wrote it
        wanted = final([m.group(2).decode("utf-8") for m in found])
        if wanted is None:
            return data
        elements = "".join(f'<variable name="{n}"/>' for n in wanted).encode("utf-8")
        return data[:found[0].start()] + elements + data[found[-1].end():]
    if fmt == "tsv":
        lines = data.split(b"\n")
        header = lines[0].split(b"\t") if lines[0] else []
        names = [h.decode("utf-8").lstrip("?$") for h in header]
        wanted = final(names)
        if wanted is None:
            return data
        index = [names.index(n) for n in wanted]
        return b"\n".join(b"\t".join(fields[k] for k in index) if len(fields := line.split(b"\t")) == len(names)
                          else line for line in lines)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        wanted = final(rows[0]) if rows else None
        if wanted is None:
            return data
        index = [rows[0].index(n) for n in wanted]
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows([row[k] if k < len(row) else "" for k in index]
                                                          for row in rows)
        return out.getvalue().encode("utf-8")
    raise ValueError(f"unknown results format {fmt!r}")

# --- bounded queries ------------------------------------------------------

_LOOKUP_TOKEN = re.compile(
    r"""(?P<ws>[ \t\r\n]+|\#[^\r\n]*)
      | (?P<string>"(?:[^"\\\r\n]|\\[tbnrf"'\\])*"|'(?:[^'\\\r\n]|\\[tbnrf"'\\])*')
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\ufffd]+)
      | (?P<pname>(?:[A-Za-z\u00c0-\ufffd][\w\-.]*)?:(?:[\w\-:%]|\.(?=[\w\-:%]))*)
      | (?P<word>[A-Za-z]+)
      | (?P<int>[+-]?[0-9]{1,18})
      | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
      | (?P<dt>\^\^)
      | (?P<punct>[{}.*])
    """, re.X)
_LOOKUP_MAX_BYTES = 4096


def _lookup_tokens(text: str) -> list[tuple[str, str]] | None:
    """``(kind, text)`` tokens of ``text`` without blanks and comments, or None if anything else occurs."""
    out: list[tuple[str, str]] = []
    pos = 0
    for m in _LOOKUP_TOKEN.finditer(text):
        if m.start() != pos:
            return None
        pos = m.end()
        if m.lastgroup != "ws":
            out.append((m.lastgroup or "", m.group()))
    return out if pos == len(text) else None


def bounded_query_info(text: str, *, max_offset: int = 10_000) -> QueryInfo | None:
    """The :class:`QueryInfo` of a query whose evaluation cannot run away, or None.

    A query is *bounded* when every solution comes from one index scan step
    of one quad pattern, so that time is linear in the rows returned and the
    row limit (:func:`limit_query`) bounds it. Recognised shapes, checked on
    the tokens of the whole text (up to 4 KiB; comments allowed):

    * ``PREFIX``/``BASE`` declarations, then ``SELECT (* | ?v...) [WHERE] { s p o [.] }``
      with optional ``LIMIT n`` and ``OFFSET m`` (``m <= max_offset``);
    * the same pattern after ``ASK [WHERE]``;
    * ``DESCRIBE`` of one or more IRIs or prefixed names (no ``WHERE``).

    In ``s p o`` each term is an IRI, a prefixed name, a variable, ``a``
    (predicate) or a literal (object; a string with an optional language tag
    or datatype, or an integer), and no variable occurs twice (``?x ?p ?x``
    would scan the store for matches). Everything else: joins, ``FILTER``,
    ``OPTIONAL``, paths, ``DISTINCT``, ``ORDER BY``, aggregates, sub-queries,
    ``FROM``, ``SERVICE``, blank nodes, returns None and is left to the
    killable query pool. The text may still be malformed SPARQL; the engine
    reports that. ``tests/test_sparql_bounded.py`` checks every query of the
    W3C SPARQL test suites classified as bounded against rdflib's algebra
    (one triple pattern, or DESCRIBE of IRIs).
    """
    if len(text) > _LOOKUP_MAX_BYTES:
        return None
    tokens = _lookup_tokens(text)
    if not tokens:
        return None
    n = len(tokens)
    i = 0

    def kind(j: int) -> str:
        return tokens[j][0] if j < n else ""

    def word(j: int) -> str:
        return tokens[j][1].upper() if kind(j) == "word" else ""

    def is_named(j: int) -> bool:  # an IRI or a prefixed name (no blank nodes)
        return kind(j) == "iri" or (kind(j) == "pname" and not tokens[j][1].startswith("_:"))

    while word(i) in ("PREFIX", "BASE"):
        if word(i) == "PREFIX" and kind(i + 1) == "pname" and tokens[i + 1][1].endswith(":") and kind(i + 2) == "iri":
            i += 3
        elif word(i) == "BASE" and kind(i + 1) == "iri":
            i += 2
        else:
            return None
    form = word(i)
    i += 1
    if form == "DESCRIBE":
        if i >= n or not all(is_named(j) for j in range(i, n)):
            return None
        return QueryInfo("DESCRIBE")
    if form == "SELECT":
        if tokens[i:i + 1] == [("punct", "*")]:
            i += 1
        else:
            start = i
            while kind(i) == "var":
                i += 1
            if i == start:
                return None
    elif form != "ASK":
        return None
    if word(i) == "WHERE":
        i += 1
    if tokens[i:i + 1] != [("punct", "{")]:
        return None
    i += 1
    seen: set[str] = set()
    for position in ("subject", "predicate", "object"):
        k, value = tokens[i] if i < n else ("", "")
        if k == "var":
            if value[1:] in seen:
                return None
            seen.add(value[1:])
        elif is_named(i) or (position == "predicate" and (k, value) == ("word", "a")):
            pass
        elif position == "object" and k == "string":
            if kind(i + 1) == "lang":
                i += 1
            elif kind(i + 1) == "dt" and is_named(i + 2):
                i += 2
        elif position == "object" and k == "int":
            pass
        else:
            return None
        i += 1
    if tokens[i:i + 1] == [("punct", ".")]:
        i += 1
    if tokens[i:i + 1] != [("punct", "}")]:
        return None
    i += 1
    limit = offset = None
    while form == "SELECT" and word(i) in ("LIMIT", "OFFSET") and kind(i + 1) == "int":
        value = int(tokens[i + 1][1])
        if word(i) == "LIMIT" and limit is None:
            limit = value
        elif word(i) == "OFFSET" and offset is None:
            offset = value
        else:
            return None
        i += 2
    if i != n or (offset is not None and not 0 <= offset <= max_offset):
        return None
    return QueryInfo(form, (), (), limit)


# --- canned queries -------------------------------------------------------

# ASCII digits only, and \Z (not $, which also matches before a final newline): the lexical forms of
# XSD 1.1 (xsd:gYear, xsd:integer, xsd:decimal, xsd:date) allow no other digits.
_YEAR = re.compile(r"^[0-9]{4}\Z")  # four digits, as /year/{y} takes them: no policy year is BCE
_INT = re.compile(r"^[+-]?[0-9]+\Z")
_DECIMAL = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)\Z")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
#: ISO 3166-2 for China: ``CN`` or ``CN-`` + two letters (GB/T 2260 six digits accepted for cities).
_REGION = re.compile(r"^(CN(-[A-Z]{2})?|[0-9]{6})\Z")
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\Z")
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
#: The longest policy or briefing title a canned-query parameter may give (policy titles run to ~250 characters).
_MAX_TITLE = 500

#: Parameter types of canned queries and what each binds to.
PARAM_TYPES = {
    "string": "xsd:string literal",
    "integer": "xsd:integer literal",
    "decimal": "xsd:decimal literal",
    "year": "xsd:gYear literal (four digits)",
    "date": "xsd:date literal (YYYY-MM-DD)",
    "iri": "absolute http(s) IRI",
    "region": "region IRI from an ISO 3166-2 code (CN, CN-SD) or GB/T 2260 code, a name, or the full IRI",
    "agency": "agency IRI from its slug (ndrc), a name or acronym, or the full IRI",
    "policy": "policy IRI from its slug, its title, or the full IRI",
    "briefing": "briefing IRI from its slug, its title or file name, or the full IRI",
    "concept": "SKOS concept IRI from its slug or label, in the parameter's scheme (genre, instrument, sector), "
               "or the full IRI",
    "lang": "language tag (en, zh)",
}


@dataclass(frozen=True)
class ParamSpec:
    """One canned-query parameter: ``name`` (= the query variable), ``type`` (a :data:`PARAM_TYPES` key).

    ``required``; ``default`` (a string, converted like user input);
    ``example``; ``description``; ``scheme`` for ``concept`` parameters;
    ``minimum``/``maximum`` for ``integer``/``year``.
    """

    name: str
    type: str
    required: bool = False
    default: str | None = None
    example: str | None = None
    description: str = ""
    scheme: str | None = None
    minimum: int | None = None
    maximum: int | None = None

    @property
    def kind(self) -> str:
        """The kind of resource the parameter names, the ``{kind}`` of its IRIs ``{base}id/{kind}/{slug}``: a
        concept parameter's scheme (``sector``), else its type (``region``, ``agency``; ``year`` for a year)."""
        return self.scheme if self.type == "concept" and self.scheme else self.type

    def to_term(self, raw: str, base_iri: str = DEFAULT_BASE_IRI) -> Node:
        """Check ``raw`` (user text) and return the RDF term it binds to.

        A region is an ISO 3166-2 or GB/T 2260 code, in any case; an agency,
        concept, policy or briefing a slug, in any case ("NDRC" is ``ndrc``,
        "CCNT-2024-03-04" is ``ccnt-2024-03-04``); any of them may also be given
        by a name (a region's or agency's label, a policy's or briefing's title,
        a briefing's file name), bound to a placeholder IRI that
        :func:`resolve_resources` replaces (:meth:`_by_name`), or by its full
        IRI ``{base}id/{kind}/{slug}``, with ``base_iri`` or the default
        ``https://w3id.org/policykg/`` (:data:`policykg.vocab.DEFAULT_BASE_IRI`).

        Any other absolute IRI is bound as it is, for :func:`resolve_resource` to refuse (404).

        Raises :class:`ParameterError` naming the parameter when ``raw`` is not of the type.
        """
        if any("\ud800" <= c <= "\udfff" for c in raw):  # a byte the command line could not decode as UTF-8
            raise ParameterError(f"parameter {self.name!r}: the value is not UTF-8 text (it holds a byte that "
                                 "does not decode)", field=self.name)
        v = raw.strip()
        t = self.type
        if t in ("region", "agency", "policy", "briefing", "concept") and re.match(r"^https?://", v, re.IGNORECASE):
            if _IRI_BAD.search(v) or not _engine_accepts_iri(v):
                raise ParameterError(f"parameter {self.name!r}: {raw!r} is not an IRI (RFC 3987: no space, none "
                                     'of <>"{}|^`\\, and % only before two hexadecimal digits)', field=self.name)
            local = self._local_name(v, base_iri)
            return URIRef(v) if local is None else self.to_term(local, base_iri)

        def bad(expected: str) -> ParameterError:
            return ParameterError(f"parameter {self.name!r}: {raw!r} is not {expected}", field=self.name)

        if t == "string":
            if len(raw) > 500:
                raise bad("a string of at most 500 characters")
            return Literal(raw)
        if t in ("integer", "year"):
            if not (_YEAR if t == "year" else _INT).match(v) or len(v.lstrip("+-")) > 100:
                raise bad("a four-digit year" if t == "year" else "an integer of at most 100 digits")
            n = int(v)
            if self.minimum is not None and n < self.minimum or self.maximum is not None and n > self.maximum:
                raise bad(f"between {self.minimum} and {self.maximum}")
            return Literal(v, datatype=XSD.gYear) if t == "year" else Literal(n)
        if t == "decimal":
            if not _DECIMAL.match(v):
                raise bad("a decimal number")
            return Literal(v, datatype=XSD.decimal)
        if t == "date":
            try:
                valid = bool(_DATE.match(v)) and date.fromisoformat(v) is not None
            except ValueError:  # 2024-13-45: the pattern's shape, not a day of the calendar
                valid = False
            if not valid:
                raise bad("a date YYYY-MM-DD")
            return Literal(v, datatype=XSD.date)
        if t == "lang":
            if not re.match(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$", v):
                raise bad("a language tag")
            return Literal(v.lower())
        if t == "iri":
            if not re.match(r"^https?://", v) or _IRI_BAD.search(v) or not _engine_accepts_iri(v):
                raise bad("an absolute http(s) IRI")
            return URIRef(v)
        if t == "region":
            if _REGION.match(v.upper()):
                return URIRef(f"{base_iri}id/region/{v.upper()}")
            return self._by_name(v, "region", base_iri,
                                 bad("an ISO 3166-2 code such as CN or CN-SD (or a GB/T 2260 code), or a name"))
        if t in ("agency", "policy", "briefing", "concept"):
            kind = self.kind
            if _SLUG.match(v.lower()):
                return URIRef(f"{base_iri}id/{kind}/{v.lower()}")
            if t in ("policy", "briefing"):
                return self._by_name(v, kind, base_iri, bad(f"a slug of lower-case letters, digits and hyphens, a "
                                                            f"title of at most {_MAX_TITLE} characters, or the IRI"),
                                     max_length=_MAX_TITLE)
            return self._by_name(v, kind, base_iri, bad("a slug of lower-case letters, digits and hyphens, or a name"))
        raise ParameterError(f"parameter {self.name!r} has unknown type {t!r}")

    def _local_name(self, iri: str, base_iri: str) -> str | None:
        """The slug or code of ``iri`` when it is a full IRI ``{base}id/{kind}/{slug}`` of this parameter's
        kind (``base`` is ``base_iri`` or :data:`~policykg.vocab.DEFAULT_BASE_IRI`; the prefix compared in
        any case), else None."""
        kind = self.kind
        for base in dict.fromkeys((base_iri, DEFAULT_BASE_IRI)):
            prefix = f"{base}id/{kind}/"
            if iri[:len(prefix)].lower() == prefix.lower():
                rest = iri[len(prefix):]
                if rest and not any(c in rest for c in "/?#"):
                    return rest
        return None

    @staticmethod
    def _by_name(text: str, kind: str, base_iri: str, error: ParameterError, max_length: int = 200) -> URIRef:
        """A placeholder IRI ``{base}id/{kind}/{percent-encoded text}`` for a region, agency or concept
        given by its name ("Shandong", "Ministry of Finance"): no resource has it, so
        :func:`resolve_resources` looks the text up among the labels and replaces it. Raises
        ``error`` for a text no name can be: empty, longer than 200 characters, with control
        characters, or with characters IRIs and SPARQL delimit with (``<>"{}|^`\\``)."""
        from urllib.parse import quote  # noqa: PLC0415

        if (not text or len(text) > max_length or _IRI_BAD.search(text.replace(" ", "_"))
                or any(0x7F <= ord(c) < 0xA0 for c in text)):
            raise error
        return URIRef(f"{base_iri}id/{kind}/{quote(text, safe='')}")


def _engine_accepts_iri(text: str) -> bool:
    """Whether pyoxigraph takes ``text`` as an IRI (RFC 3987: it refuses a ``%`` not followed by two hex
    digits, DEL, noncharacters...), which is stricter than :data:`_IRI_BAD`; a parameter it refuses would
    otherwise fail in the engine, not as the parameter's error."""
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class CannedQuery:
    """A canned query: header fields, its typed parameters and the SPARQL text.

    ``form`` is the query form found by :func:`inspect_query`, ``limit`` the query's own outermost
    LIMIT (None when it has none), which a caller capping rows must keep when it is smaller.
    """

    name: str
    summary: str
    sparql: str
    form: str
    description: str = ""
    tags: tuple[str, ...] = ()
    params: tuple[ParamSpec, ...] = field(default=())
    path: str | None = None
    limit: int | None = None

    @property
    def info(self) -> QueryInfo:
        """What :func:`inspect_query` learnt of the text: its form and LIMIT (for :func:`limit_query`)."""
        return QueryInfo(self.form, limit=self.limit)

    def param(self, name: str) -> ParamSpec | None:
        """The parameter called ``name`` or None."""
        return next((p for p in self.params if p.name == name), None)

    def bind(self, params: Mapping[str, str], base_iri: str = DEFAULT_BASE_IRI) -> tuple[str, dict[str, Node]]:
        """Check ``params`` (name -> user text) and return ``(sparql, bindings)``.

        ``bindings`` maps variable names to rdflib terms, for
        ``Store.select(sparql, bindings)``; the text is returned unchanged.
        Defaults fill absent parameters; empty strings count as absent.
        Raises :class:`ParameterError` for an unknown, missing or mistyped parameter.
        """
        known = {p.name for p in self.params}
        unknown = sorted(set(params) - known)
        if unknown:
            raise ParameterError(f"query {self.name!r} has no parameter {unknown[0]!r}; "
                                 f"parameters: {', '.join(sorted(known)) or 'none'}", field=unknown[0])
        bindings: dict[str, Node] = {}
        for spec in self.params:
            raw = params.get(spec.name)
            if raw is None or raw == "":
                if spec.default is not None:
                    raw = spec.default
                elif spec.required:
                    raise ParameterError(f"query {self.name!r}: parameter {spec.name!r} is required"
                                         + (f" (for example {spec.example})" if spec.example else ""),
                                         field=spec.name)
                else:
                    continue
            bindings[spec.name] = spec.to_term(str(raw), base_iri)
        return self.sparql, bindings

    def bound_text(self, bindings: Mapping[str, Node]) -> str:
        """The query's text with ``bindings`` (from :meth:`bind`, then :func:`resolve_resources`) written in.

        Each bound variable becomes its term, written by
        :func:`policykg.remote.nt_term` (never the user's text), and a ``VALUES``
        block keeps it in the projection (:func:`policykg.remote.insert_values`:
        the answer RDF-dev SEP-0007 defines for bound variables, which is
        pyoxigraph's ``substitutions``' answer for every shipped query,
        ``tests/test_queries.py``). Both kinds of store run this text: the
        engine then plans with the terms. pyoxigraph applies ``substitutions``
        only after it has chosen its join order, so a bound agency still scanned
        every issuer (``policies-by-agency`` with ``agency=ndrc`` on the
        100,000-policy benchmark graph: 2.2 s with ``substitutions``, 0.2 s
        written in; ``benchmarks/results/canned-queries.md``). Raises
        :class:`~policykg.errors.QueryError` where the engine would refuse the binding.
        """
        from .remote import insert_values  # noqa: PLC0415 - remote imports this module

        return insert_values(self.sparql, bindings)


#: Parameter types whose value names a resource of the graph (an IRI under ``{base}id/{kind}/``).
RESOURCE_PARAM_TYPES = ("region", "agency", "policy", "briefing", "concept")

_EXISTS = "ASK { { ?resource ?p ?o } UNION { ?s ?p ?resource } }"
_BY_NAME = """SELECT DISTINCT ?resource ?prefix ?text ?class WHERE {  # bound variables are projected (pyoxigraph)
  ?resource a ?class .
  VALUES ?property { <http://www.w3.org/2004/02/skos/core#prefLabel> <http://www.w3.org/2004/02/skos/core#altLabel>
                     <http://www.w3.org/2004/02/skos/core#notation> <http://www.w3.org/2000/01/rdf-schema#label>
                     <http://xmlns.com/foaf/0.1/nick> <http://purl.org/dc/terms/identifier>
                     <http://purl.org/dc/terms/title> }
  ?resource ?property ?name .
  FILTER(STRSTARTS(STR(?resource), ?prefix) && LCASE(STR(?name)) = ?text)
} ORDER BY ?resource LIMIT 6"""


#: The parameter types looked up by name, and the class a resource of each has: the scan is over the
#: labels of that class's resources (reference regions, agencies, vocabulary concepts; policies and
#: briefings by their titles, a briefing also by its file name, ``dcterms:identifier``), never over
#: every label of the graph.
_NAMED_CLASSES = {"region": URIRef("https://w3id.org/policykg/ontology#Region"),
                  "agency": URIRef("https://w3id.org/policykg/ontology#Agency"),
                  "policy": URIRef("https://w3id.org/policykg/ontology#Policy"),
                  "briefing": URIRef("https://w3id.org/policykg/ontology#Briefing"),
                  "concept": URIRef("http://www.w3.org/2004/02/skos/core#Concept")}


#: ``{values}``: the resources, as IRIs in angle brackets.
#: The region's province follows a city's name ("Taizhou, Jiangsu": the Taizhou governments lie in two cities of
#: one name), never the country, as the canned query ``lookup`` writes it.
_WHEREABOUTS = """SELECT ?resource (MIN(?name) AS ?where) WHERE {{ VALUES ?resource {{ {values} }}
  ?resource <https://w3id.org/policykg/ontology#partOf>|<https://w3id.org/policykg/ontology#jurisdiction> ?up .
  ?up <http://www.w3.org/2004/02/skos/core#prefLabel> ?label FILTER(LANGMATCHES(LANG(?label), "en"))
  OPTIONAL {{ ?up <https://w3id.org/policykg/ontology#partOf> ?province .
             ?province <https://w3id.org/policykg/ontology#partOf> ?country ;
                       <http://www.w3.org/2004/02/skos/core#prefLabel> ?provinceLabel
             FILTER(LANGMATCHES(LANG(?provinceLabel), "en")) }}
  BIND(IF(BOUND(?provinceLabel), CONCAT(STR(?label), ", ", STR(?provinceLabel)), STR(?label)) AS ?name)
}} GROUP BY ?resource"""


def _whereabouts(store: Any, resources: list[URIRef]) -> dict[Node, str]:
    """The English name of the region each of ``resources`` lies in (a region's ``pkg:partOf``, an
    agency's ``pkg:jurisdiction``), with its province when that region is a city, where it has one: what
    tells apart two resources of one name (Taizhou in Jiangsu and in Zhejiang; their governments, in
    "Taizhou, Jiangsu" and "Taizhou, Zhejiang")."""
    values = " ".join(f"<{r}>" for r in resources)  # IRIs the store itself returned
    rows = store.select(_WHEREABOUTS.format(values=values))
    return {r["resource"]: str(r["where"]) for r in rows if r.get("where") is not None}


def resolve_resources(store: Any, query: CannedQuery, bindings: Mapping[str, Node], params: Mapping[str, str],
                      base_iri: str = DEFAULT_BASE_IRI) -> dict[str, Node]:
    """Check that each resource parameter of ``query`` names something in ``store``; return the bindings.

    ``bindings`` come from :meth:`CannedQuery.bind`; ``params`` are the user's
    texts. Each :data:`RESOURCE_PARAM_TYPES` parameter is checked by
    :func:`resolve_resource`. Raises what it raises.
    """
    resolved = dict(bindings)
    for spec in query.params:
        iri = resolved.get(spec.name)
        if spec.type in RESOURCE_PARAM_TYPES and isinstance(iri, URIRef):
            text = str(params.get(spec.name) or spec.default or "").strip()
            resolved[spec.name] = resolve_resource(store, spec, iri, text, base_iri)
    return resolved


def resolve_resource(store: Any, spec: ParamSpec, iri: URIRef, text: str,
                     base_iri: str = DEFAULT_BASE_IRI) -> URIRef:
    """The resource a :data:`RESOURCE_PARAM_TYPES` parameter ``spec`` names: ``iri`` (from
    :meth:`ParamSpec.to_term` of the user's ``text``) when ``store`` has it; else the one resource
    of that class and kind with a label, alternative label, notation, identifier or title
    (``dcterms:title``) equal to ``text``, case-insensitively (``agency=pbc`` finds the agency whose
    ``skos:altLabel`` is "PBC"; ``region=Shandong``; ``policy=`` a policy's English title;
    ``briefing=`` a briefing's title or file name). Used by the canned queries and by the
    filters of ``/policies``.

    Raises :class:`~policykg.errors.NotFound` (404) naming the parameter when
    nothing matches, and :class:`~policykg.errors.ParameterError` (422)
    listing the candidates when several do: an unknown value would otherwise
    give an empty result, which reads as "none" rather than "no such thing".
    """
    kind = spec.kind
    prefix = f"{base_iri}id/{kind}/"
    if not str(iri).startswith(prefix):  # an IRI given in full, outside the dataset's IRIs of this kind
        raise NotFound(f"parameter {spec.name!r}: <{iri}> is no {kind} of this dataset; its {kind} IRIs are "
                       f"{prefix}{{slug}}", field=spec.name)
    if store.ask(_EXISTS, {"resource": iri}):
        return iri
    named_class = _NAMED_CLASSES.get(spec.type)
    found = [] if named_class is None else [r["resource"] for r in store.select(
        _BY_NAME, {"prefix": Literal(prefix), "text": Literal(text.lower()), "class": named_class})]
    if len(found) == 1:
        return found[0]
    if found:
        where = _whereabouts(store, found)
        slugs = ", ".join(str(r)[len(prefix):] + (f" (in {where[r]})" if where.get(r) else "") for r in found)
        raise ParameterError(f"parameter {spec.name!r}: {text!r} names several {kind} resources: {slugs}; "
                             "give one of these", field=spec.name)
    article = "an" if kind[:1].lower() in "aeiou" else "a"
    hint = (_suggestions(store, named_class, prefix, kind, text)
            if spec.type in ("region", "agency", "concept", "briefing") else "")
    raise NotFound(f"parameter {spec.name!r}: the graph has no {kind} {text!r} (looked for <{iri}> and for "
                   f"{article} {kind} of that name); the query would answer nothing{hint}", field=spec.name)


#: ``{cls}``: the class IRI; ``{prefix}``: the IRI prefix as a string literal (both the server's own terms, written
#: in so that the engine starts from the class: a bound ``?class`` would be joined after reading every typed resource).
_MEMBERS = """SELECT ?resource ?name WHERE {{
  ?resource a {cls} . FILTER(STRSTARTS(STR(?resource), {prefix}))
  OPTIONAL {{ ?resource <http://www.w3.org/2004/02/skos/core#prefLabel> ?name FILTER(LANGMATCHES(LANG(?name), "en")) }}
}}"""
#: A kind with at most this many resources (a vocabulary: sectors, genres, instruments) is listed whole
#: when nothing is close to the text given.
_LIST_ALL_UNDER = 40


def _suggestions(store: Any, named_class: URIRef | None, prefix: str, kind: str, text: str) -> str:
    """``"; did you mean: power (Power), ..."`` for a region, agency or vocabulary concept that is not
    there: the resources of ``named_class`` under ``prefix`` whose slug or English name holds ``text``
    (or is held in it), then those close to it (:func:`difflib.get_close_matches`), at most five; a
    small vocabulary is listed whole when none is close. "" when there is nothing to suggest."""
    import difflib  # noqa: PLC0415

    if named_class is None:
        return ""
    names: dict[str, str] = {}
    for row in store.select(_MEMBERS.format(cls=named_class.n3(), prefix=Literal(prefix).n3())):
        slug = str(row["resource"])[len(prefix):]
        names.setdefault(slug, str(row["name"]) if row.get("name") is not None else "")
    if not names:
        return ""
    wanted = text.strip().lower()
    keys = {slug.lower(): slug for slug in names} | {name.lower(): slug for slug, name in names.items() if name}
    close = [k for k in keys if len(wanted) >= 3 and (wanted in k or (len(k) >= 3 and k in wanted))]
    close += difflib.get_close_matches(wanted, list(keys), n=5, cutoff=0.6)
    picked = list(dict.fromkeys(keys[k] for k in close))[:5]
    if not picked and len(names) <= _LIST_ALL_UNDER:
        return f"; the {kind} values are: " + ", ".join(sorted(names))
    if not picked:
        return ""
    return "; did you mean: " + ", ".join(f"{s} ({names[s]})" if names[s] and names[s].lower() != s.lower() else s
                                          for s in picked)


#: A parameter kind with more resources than this offers no list of choices (:func:`parameter_choices`): a list
#: of a few thousand names is still a usable ``<datalist>`` (the reference data have 875 agencies, 370 regions).
MAX_CHOICES = 3000
#: One row per resource of class ``{cls}`` under ``{prefix}`` (at most ``{limit}``), with one English name (the
#: least of its ``@en`` prefLabels or titles, whatever other labels it has): rows are resources, so the limit
#: counts them.
_CHOICES = """SELECT ?resource (MIN(STR(?label)) AS ?name) WHERE {{
  ?resource a {cls} . FILTER(STRSTARTS(STR(?resource), {prefix}))
  OPTIONAL {{ ?resource <http://www.w3.org/2004/02/skos/core#prefLabel>|<http://purl.org/dc/terms/title> ?label
             FILTER(LANG(?label) = "en" || LANG(?label) = "") }}
}} GROUP BY ?resource LIMIT {limit}"""


def parameter_choices(store: Any, spec: ParamSpec, base_iri: str = DEFAULT_BASE_IRI) -> list[tuple[str, str]]:
    """The values ``store`` holds for a region, agency, concept or briefing parameter ``spec``: ``[(slug or
    code, English name or title)]`` sorted by name (the name "" when the resource has none), as an HTML form
    offers them (a ``<datalist>``); each slug is a value :meth:`ParamSpec.to_term` accepts. ``[]`` for
    parameters of other types (policies are too many to list) and for a kind with more than
    :data:`MAX_CHOICES` resources."""
    if spec.type not in ("region", "agency", "concept", "briefing"):
        return []
    kind = spec.kind
    prefix = f"{base_iri}id/{kind}/"
    names: dict[str, str] = {}
    query = _CHOICES.format(cls=_NAMED_CLASSES[spec.type].n3(), prefix=Literal(prefix).n3(), limit=MAX_CHOICES + 1)
    rows = store.select(query)
    if len(rows) > MAX_CHOICES:
        return []
    for row in rows:
        slug = str(row["resource"])[len(prefix):]
        if slug and not any(c in slug for c in "/?#"):
            names[slug] = str(row["name"]) if row.get("name") is not None else ""
    return sorted(names.items(), key=lambda item: (item[1].lower() or item[0], item[0]))


_HEADER_LINE = re.compile(r"^#\+ ?(.*)$")
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


#: Query parameters that every canned query takes and none may declare: ``format`` (json, csv, html),
#: ``limit`` (rows per page) and ``offset`` (rows skipped), as ``GET /api/queries/{name}`` and
#: ``policykg query NAME --limit N --offset M`` take them.
PAGING_PARAMS = ("format", "limit", "offset")
#: The largest ``offset`` a page may start at (``?offset=``, ``--offset``): engines read OFFSET as a 64-bit
#: integer (Oxigraph refuses a larger one as a syntax error in the query text), and no graph policykg
#: serves has a trillion rows to skip.
MAX_OFFSET = 10**12


def parse_canned_query(text: str, source: str = "<query>") -> CannedQuery:
    """Parse one ``.rq`` file's text (see the module docstring for the header).

    Raises :class:`InputError` naming ``source`` and the line for a bad
    header (YAML error, missing ``name``/``summary``, unknown parameter type,
    parameter not projected) and for a query the endpoint would refuse.
    """
    header: list[str] = []
    for line in text.splitlines():
        m = _HEADER_LINE.match(line)
        if m:
            header.append(m.group(1))
        elif line.strip() == "" and not header:
            continue
        else:
            break
    if not header:
        raise InputError("no '#+' header block (name, summary, params)", file=source, line=1)
    try:
        meta = yaml.safe_load("\n".join(header)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(f"header is not valid YAML: {getattr(exc, 'problem', exc)}", file=source,
                         line=None if mark is None else mark.line + 1) from None
    if not isinstance(meta, dict):
        raise InputError("header must be a YAML mapping", file=source, line=1)
    for key in ("name", "summary"):
        if not meta.get(key):
            raise InputError(f"header lacks {key!r}", file=source, line=1, field=key)
    name = str(meta["name"])
    if not _NAME.match(name):
        raise InputError(f"query name {name!r} must be a lower-case slug", file=source, field="name")
    specs = []
    for pname, pdef in (meta.get("params") or {}).items():
        if str(pname) in PAGING_PARAMS:
            raise InputError(f"parameter name {pname!r} is taken: {', '.join(PAGING_PARAMS)} are the endpoint's own "
                             "(result format and paging)", file=source, field=f"params.{pname}")
        pdef = pdef or {}
        ptype = pdef.get("type", "string")
        if ptype not in PARAM_TYPES:
            raise InputError(f"parameter {pname!r} has unknown type {ptype!r}; use one of {sorted(PARAM_TYPES)}",
                             file=source, field=f"params.{pname}")
        if ptype == "concept" and not pdef.get("scheme"):
            raise InputError(f"concept parameter {pname!r} needs a 'scheme'", file=source, field=f"params.{pname}")
        default = pdef.get("default")
        specs.append(ParamSpec(
            name=str(pname), type=ptype, required=bool(pdef.get("required", False)),
            default=None if default is None else str(default),
            example=None if pdef.get("example") is None else str(pdef["example"]),
            description=str(pdef.get("description", "")), scheme=pdef.get("scheme"),
            minimum=pdef.get("minimum"), maximum=pdef.get("maximum")))
    try:
        info = inspect_query(text)
    except QueryError as exc:
        raise InputError(f"query refused: {exc.detail}", file=source, line=exc.extra.get("line"),
                         column=exc.extra.get("column")) from None
    if info.form not in ("SELECT", "ASK"):  # GET /api/queries/{name} answers with a table (JSON, CSV, HTML)
        raise InputError(f"a canned query is a SELECT or an ASK query, whose answer is a table (SPARQL JSON, "
                         f"CSV or HTML); this is a {info.form} query: put a graph's triples in rows "
                         "(SELECT ?s ?p ?o), or run it at /sparql", file=source, field="form")
    for spec in specs:
        # The file is trusted and already inspected (no SERVICE); evaluating it on the
        # empty probe store is harmless and tells whether ?name is projected.
        try:
            _PROBE_STORE.query(text, substitutions={ox.Variable(spec.name): ox.Literal("x")})  # type: ignore[union-attr]
        except RuntimeError as exc:
            raise InputError(f"parameter {spec.name!r}: ?{spec.name} must be projected by the query "
                             f"(SEP-0007 substitution): {exc}", file=source, field=f"params.{spec.name}") from None
    tags = meta.get("tags") or ()
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",") if t.strip()]
    return CannedQuery(name=name, summary=str(meta["summary"]).strip(), sparql=text, form=info.form,
                       description=str(meta.get("description", "")).strip(), tags=tuple(str(t) for t in tags),
                       params=tuple(specs), path=source, limit=info.limit)


def load_canned_queries(queries_dir: Path | str) -> dict[str, CannedQuery]:
    """Load every ``*.rq`` file of ``queries_dir`` (sorted by name) into ``{name: CannedQuery}``.

    Raises :class:`InputError` for a bad file or for two files declaring one name.
    """
    out: dict[str, CannedQuery] = {}
    for path in sorted(Path(queries_dir).glob("*.rq")):
        q = parse_canned_query(path.read_text(encoding="utf-8"), str(path))
        if q.name in out:
            raise InputError(f"query name {q.name!r} is declared twice (also in {out[q.name].path})",
                             file=str(path), field="name")
        out[q.name] = q
    return out
