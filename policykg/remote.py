"""A :class:`~policykg.store.Store` on any SPARQL 1.1 server (Oxigraph server, Virtuoso, GraphDB...).

* Queries go through SPARQLWrapper to ``settings.sparql_endpoint`` (SPARQL 1.1
  Protocol), with ``settings.query_timeout_s`` as the HTTP timeout.
* ``bindings`` are applied as the embedded store applies them (pyoxigraph
  ``substitutions``, SEP-0007): each bound variable is replaced by its
  N-Triples term, escaped here (:func:`nt_term`), where it is in scope, and a
  ``VALUES`` block binds it for the projection (:func:`insert_values`);
  the user's text is otherwise unchanged. A bound variable must be projected.
* Writes go to ``settings.sparql_update_endpoint`` (SPARQL 1.1 Update);
  :meth:`RemoteStore.replace_graphs` is ONE update request
  ``DROP SILENT GRAPH ...; INSERT DATA {...}``, atomic on servers that run an
  update request in one transaction (Oxigraph, GraphDB, Jena). Virtuoso
  refuses a malformed request whole, but keeps the operations done before
  one that fails while running.
* Only graphs under ``{base}graph/`` are policykg's: a shared server's other
  graphs (Virtuoso's system graphs, other datasets) are not listed, dumped
  or counted.
* The store contract says the default graph is the union of the named
  graphs: configure the server so (``oxigraph serve --union-default-graph``;
  Virtuoso and GraphDB do so by default).
"""

from __future__ import annotations

import re
import socket
import urllib.error
from typing import Any, Iterable, Mapping

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .errors import (ConfigError, PolicyKGError, QueryError, QueryTimeout, StoreError, StoreUnavailable,
                     WriteConflict)
from .store import INITIAL_VERSION, SelectRows, Store, graph_to_ntriples
from .vocab import PKG

__all__ = ["RemoteStore", "nt_term", "values_block", "insert_values"]

_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_LANG = re.compile(r"^[a-zA-Z]+(-[a-zA-Z0-9]+)*$")


def nt_term(term: Node) -> str:
    """``term`` in N-Triples syntax (W3C RDF 1.1 N-Triples §2.4 ECHAR escapes), safe inside SPARQL text.

    Raises :class:`ValueError` for an IRI with characters IRIREF forbids, a
    malformed language tag, or a term that is not an IRI, blank node or literal.
    """
    if isinstance(term, URIRef):
        if _IRI_BAD.search(str(term)):
            raise ValueError(f"IRI with forbidden characters: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{re.sub(r'[^A-Za-z0-9_]', '_', str(term))}"
    if isinstance(term, Literal):
        body = "".join(_ECHAR.get(c, c if ord(c) >= 0x20 or c in "\t" else f"\\u{ord(c):04X}") for c in str(term))
        if term.language:
            if not _LANG.match(term.language):
                raise ValueError(f"bad language tag {term.language!r}")
            return f'"{body}"@{term.language}'
        if term.datatype is not None and str(term.datatype) != "http://www.w3.org/2001/XMLSchema#string":
            return f'"{body}"^^{nt_term(URIRef(term.datatype))}'
        return f'"{body}"'
    raise ValueError(f"cannot write {term!r} as an N-Triples term")


#: SPARQL 1.1 grammar [166] VARNAME, with [164] PN_CHARS_U (letters of the listed Unicode ranges, ``_``).
_PN_CHARS_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
                  "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_VARNAME = re.compile(f"^[{_PN_CHARS_BASE}_0-9][{_PN_CHARS_BASE}_0-9\u00B7\u0300-\u036F\u203F-\u2040]*$")


def values_block(bindings: Mapping[str, Node]) -> str:
    """``VALUES (?a ?b) { (<x> "y") }`` for one row of ``bindings``.

    Raises :class:`QueryError` for a name that is not a SPARQL VARNAME (SPARQL 1.1
    grammar [166]), :class:`ValueError` as :func:`nt_term` does for a term.
    """
    names = list(bindings)
    for n in names:
        if not _VARNAME.match(n):
            raise QueryError(f"{n!r} is not a SPARQL variable name (SPARQL 1.1 grammar [166] VARNAME)")
    return ("VALUES (" + " ".join(f"?{n}" for n in names) + ") { ("
            + " ".join(nt_term(bindings[n]) for n in names) + ") }")


#: What cannot begin or occur in an IRI written in a query, but does in an expression after ``<``
#: (``?v<?w``, ``?o<9&&?t>2``): the lexer then reads ``<`` as the less-than operator.
_NOT_AN_IRI = re.compile(r"^<[?$0-9]|&&|\|\|")


def _lex(sparql: str) -> list[tuple[str, str, int, int]]:
    """``(kind, text, start, end)`` tokens of ``sparql`` (the :data:`policykg.sparql._TOKEN` lexer, comments
    dropped), plus a ``star`` token for each ``*`` between them, with two corrections for reading scopes:
    a language tag with its subtags is a ``langtag`` token, not keywords (``"zz"@en-select``), and ``<``
    before what no IRI holds is the less-than operator (:data:`_NOT_AN_IRI`)."""
    from .sparql import _TOKEN  # noqa: PLC0415 - the same lexer as limit_query

    out: list[tuple[str, str, int, int]] = []
    pos = 0
    while True:
        m = _TOKEN.search(sparql, pos)
        gap_end = m.start() if m is not None else len(sparql)
        out += [("star", "*", k, k + 1) for k in range(pos, gap_end) if sparql[k] == "*"]
        if m is None:
            return out
        kind, text = m.lastgroup or "", m.group()
        if kind == "iri" and _NOT_AN_IRI.search(text):
            pos = m.start() + 1
            continue
        before = sparql[m.start() - 1] if m.start() > 0 else ""
        if kind in ("word", "int") and (before == "@" or (before == "-" and out and out[-1][0] == "langtag"
                                                          and out[-1][3] == m.start() - 1)):
            kind = "langtag"
        if kind != "comment":
            out.append((kind, text, m.start(), m.end()))
        pos = m.end()


def _groups(tokens: list[tuple[str, str, int, int]]) -> tuple[dict[int, set[str] | None], dict[int, set[str]]]:
    """First pass of :func:`insert_values`: for each ``SELECT`` token (by its offset), the names it
    projects (``None`` for ``*``); for each ``MINUS`` group (by the offset just inside its ``{``), the
    variable names written in it."""
    projections: dict[int, set[str] | None] = {}
    minus: dict[int, set[str]] = {}
    open_selects: list[tuple[int, int, int]] = []  # (offset, brace depth, paren depth) of SELECTs being read
    open_minus: list[tuple[int, int]] = []  # (offset inside '{', depth inside)
    depth = parens = 0
    previous = ""
    pending_minus = False
    for kind, text, start, end in tokens:
        upper = text.upper() if kind == "word" else ""
        if upper == "SELECT":
            projections[start] = set()
            open_selects.append((start, depth, parens))
        elif upper == "MINUS":
            pending_minus = True
        elif kind == "popen":
            parens += 1
        elif kind == "pclose":
            parens -= 1
        elif kind == "open":
            if open_selects and open_selects[-1][1:] == (depth, parens):
                open_selects.pop()  # its projection ends at its group
            depth += 1
            if pending_minus:
                open_minus.append((end, depth))
                minus[end] = set()
                pending_minus = False
        elif kind == "close":
            if open_minus and open_minus[-1][1] == depth:
                open_minus.pop()
            depth -= 1
        elif upper == "WHERE" and open_selects and open_selects[-1][1:] == (depth, parens):
            open_selects.pop()
        elif kind == "star" and open_selects and open_selects[-1][1:] == (depth, parens):
            projections[open_selects[-1][0]] = None
        elif kind == "var":
            if open_selects and (previous == "AS" or open_selects[-1][1:] == (depth, parens)):
                names = projections[open_selects[-1][0]]
                if names is not None:
                    names.add(text[1:])
            for offset, _ in open_minus:
                minus[offset].add(text[1:])
        previous = upper if kind == "word" else text
    return projections, minus


def _where_group(tokens: list[tuple[str, str, int, int]]) -> tuple[int, int] | None:
    """The query pattern's group as ``(offset just inside its '{', offset of its '}')``, or ``None``
    (``DESCRIBE ?s`` has none). ``WHERE`` is optional (SPARQL 1.1 grammar [17] WhereClause): without
    it, the pattern is the first top-level group of SELECT and ASK, and the second of CONSTRUCT
    (the first is its template)."""
    groups: list[tuple[int, int, bool]] = []  # top-level groups: (inside '{', '}', after WHERE)
    form = ""
    depth = 0
    after_where = False
    opened = 0
    for kind, text, start, end in tokens:
        upper = text.upper() if kind == "word" else ""
        if depth == 0 and upper in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK") and not form:
            form = upper
        elif depth == 0 and upper == "WHERE":
            after_where = True
        elif kind == "open":
            if depth == 0:
                opened = end
            depth += 1
        elif kind == "close":
            depth -= 1
            if depth == 0:
                groups.append((opened, start, after_where))
                if after_where:
                    return opened, start
    if groups and form in ("SELECT", "ASK"):
        return groups[0][:2]
    if len(groups) > 1 and form == "CONSTRUCT":
        return groups[1][:2]
    return None


class _Scope:
    """A sub-SELECT being read by :func:`insert_values`: the brace depth of its ``SELECT``, the names it
    projects (``None`` for ``*``), and where the reader is: ``projection``, ``body`` or ``modifiers``."""

    def __init__(self, depth: int, names: set[str] | None):
        self.depth = depth
        self.names = names
        self.state = "projection"
        self.body = 0  # offset just inside its WHERE group
        self.bound: set[str] = set()  # names a block at ``body`` binds
        self.projected: set[str] = set()  # parameters its projection names bare (bound in its body)
        self.front = False  # a MINUS in its body shares a parameter: its block goes first, not last

    def sees(self, name: str) -> bool:
        return self.names is None or name in self.names


def insert_values(sparql: str, bindings: Mapping[str, Node] | None) -> str:
    """``sparql`` with ``bindings`` applied as pyoxigraph's ``substitutions`` apply them.

    Each bound variable is replaced by its term (:func:`nt_term`) wherever it
    is in the outer query's scope: in the WHERE group and every group nested in
    it (``OPTIONAL``, ``UNION``, ``GRAPH``, ``FILTER`` expressions), and inside
    a sub-SELECT only when the sub-SELECT projects it (SPARQL 1.1 §18.2.1: an
    unprojected variable of a sub-query is another variable). There,
    ``BOUND(?v)`` is ``true``. It stays a variable where the grammar wants
    one: a projection, ``AS ?v``, a ``VALUES`` variable list, bare ``GROUP BY``
    / ``ORDER BY`` keys, and ``GRAPH ?v`` bound to a literal.

    A :func:`values_block` then binds what stays a variable: at the end of the
    WHERE group (around a bare ``{ SELECT ... }``, which may hold nothing
    else), so that the projection echoes the bound term and ``BIND(... AS ?v)``
    keeps only the rows where it computes that term, as SEP-0007 says. A
    sub-SELECT gets a block of its own at the end of its body for a parameter
    its projection names bare (Virtuoso 7 joins a sub-SELECT's projected but
    unbound variable with nothing outside: ``{ SELECT ?s ?v WHERE { ?s ?p
    term } } VALUES ?v { term }`` gave no rows), and at the start of its body
    for a bare ``GROUP BY ?v`` key it does not project (Virtuoso refuses
    ``GROUP BY (term AS ?v)`` beside a projected ``?v``). Not a trailing
    VALUES clause: Virtuoso 7 answers ``SELECT ?s ?t WHERE { ?s ?p ?o }
    VALUES ?t { "x" }`` with no rows, and refuses one after ASK.
    ``DESCRIBE ?v`` and ``CONSTRUCT WHERE { triples }`` need no block. Inside
    ``MINUS`` the variables stay, bound by a block at the start of the MINUS
    group (wrapped with it in a group when the MINUS holds a lone sub-SELECT):
    pyoxigraph binds them on both sides, so they are shared. When a MINUS
    group shares a parameter, the query has a trailing VALUES clause, or its
    projection assigns the parameter (``(?o AS ?v)``), the block of the WHERE
    group (or of the sub-SELECT holding the MINUS) goes at its start instead.

    The query is lexed with strings, IRIs, comments and language tags skipped
    (:func:`_lex`, :func:`_groups`, :func:`_where_group`). A VALUES block
    alone left a FILTER on a parameter in a nested group or a sub-SELECT
    unbound, and such queries found nothing on a remote store
    (``/policies?q=``).

    Raises :class:`QueryError`, as the embedded store refuses the same
    bindings: a SELECT that does not project a bound variable; a blank node
    as a parameter (a query's blank-node labels are its own, SPARQL 1.1
    §4.1.4, and VALUES forbids them); a name that is not a VARNAME; and,
    when the block must go first, a query without a group to bind into.
    """
    if not bindings:
        return sparql
    blank = sorted(n for n, term in bindings.items() if isinstance(term, BNode))
    if blank:
        raise QueryError(f"a blank node cannot be bound to ?{blank[0]} on a remote store: a query's blank-node "
                         "labels are its own (SPARQL 1.1 §4.1.4); bind an IRI")
    names = set(bindings)
    tokens = _lex(sparql)
    projections, minus = _groups(tokens)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement)
    depth = parens = 0
    modifiers = values_vars = group_by = trailing_values = short_form = False
    where = _where_group(tokens)
    bare_sub_select = False  # the WHERE group is '{ SELECT ... }', which may hold nothing else
    assigned = False  # the parameter is assigned or shared before the end of the WHERE group
    outer_select: int | None = None
    scopes: list[_Scope] = []
    projecting: _Scope | None = None  # the SELECT whose projection is being read (outer: a scope of its own)
    projection_parens = 0
    in_minus: list[int] = []  # brace depths inside the MINUS groups around the reader
    wrapped: set[int] = set()  # brace depths of MINUS groups holding a lone sub-SELECT, wrapped in a group
    previous = before_previous = ""
    for i, (kind, text, start, end) in enumerate(tokens):
        upper = text.upper() if kind == "word" else ""
        if upper == "SELECT":
            bare_sub_select = bare_sub_select or (where is not None and previous == "{" and start > where[0] and
                                                  not sparql[where[0]:start].strip())
            projecting, projection_parens = _Scope(depth, projections.get(start, set())), parens
            if depth > 0:
                scopes.append(projecting)
            elif outer_select is None:
                outer_select = start
        elif upper == "WHERE" and depth == 0:
            projecting = None
            short_form = previous == "CONSTRUCT"  # CONSTRUCT WHERE { triples }: nothing else may stand in it
        elif upper == "VALUES":
            values_vars = True
            trailing_values = trailing_values or depth == 0
        elif upper in ("GROUP", "ORDER", "HAVING", "LIMIT", "OFFSET"):
            group_by = upper == "GROUP"
        elif kind == "popen":
            parens += 1
        elif kind == "pclose":
            parens -= 1
        elif kind == "open":
            values_vars = group_by = False  # a VALUES data block, or any group, ends a VALUES variable list
            if projecting is not None and parens == projection_parens:
                if projecting.depth > 0:
                    projecting.state, projecting.body = "body", end
                projecting = None
            depth += 1
            if end in minus:
                in_minus.append(depth)
                shared = sorted(minus[end] & names)
                if shared:
                    block = values_block({n: bindings[n] for n in shared})
                    if i + 1 < len(tokens) and tokens[i + 1][1].upper() == "SELECT":
                        edits.append((end, end, f" {block} {{ "))  # MINUS { SELECT ... }: a lone sub-SELECT,
                        wrapped.add(depth)  # which may hold nothing else, is wrapped (closed below)
                    else:
                        edits.append((end, end, " " + block + " "))
                    assigned = True  # the left side of MINUS must have it bound too: the block goes in front
                    if scopes and scopes[-1].state == "body":
                        scopes[-1].front = True  # and so in a sub-SELECT whose body holds the MINUS
        elif kind == "close":
            group_by = False
            if depth in wrapped:
                wrapped.discard(depth)
                edits.append((start, start, " } "))
            if in_minus and in_minus[-1] == depth:
                in_minus.pop()
            depth -= 1
            if scopes and scopes[-1].state == "body" and depth == scopes[-1].depth:
                scopes[-1].state = "modifiers"  # its group closed: GROUP BY, ORDER BY... of the sub-SELECT
                unbound = sorted(scopes[-1].projected - scopes[-1].bound)
                if unbound:  # joined last in its body, so that its projection echoes the term (as outside)
                    scopes[-1].bound.update(unbound)
                    at = scopes[-1].body if scopes[-1].front else start
                    edits.append((at, at, " " + values_block({n: bindings[n] for n in unbound}) + " "))
            elif scopes and scopes[-1].state == "modifiers" and depth < scopes[-1].depth:
                scopes.pop()  # the group holding the sub-SELECT closed
            if where is not None and start == where[1]:
                modifiers = True
        elif kind == "var" and text[1:] in names:
            name = text[1:]
            term = nt_term(bindings[name])
            bare = projecting is not None and parens == projection_parens
            if previous == "AS" and projecting is not None and projecting.depth == 0 and depth == 0:
                assigned = True  # (expr AS ?v) in the outer projection
            sub_modifiers = bool(scopes) and scopes[-1].state == "modifiers"
            visible = all(sc.sees(name) for sc in scopes)
            in_bound = previous == "(" and before_previous == "BOUND"
            if bare and projecting is not None and projecting.depth > 0 and not in_minus:
                projecting.projected.add(name)
            if previous == "AS" or values_vars or bare or in_minus or not visible:
                pass
            elif previous == "GRAPH" and isinstance(bindings[name], Literal):
                pass  # GRAPH takes VarOrIri: the block joins the variable, and no graph is named so
            elif in_bound:
                closing = tokens[i + 1] if i + 1 < len(tokens) else None
                if closing is not None and closing[0] == "pclose":
                    edits.append((tokens[i - 2][2], closing[3], "true"))
            elif (modifiers or sub_modifiers) and parens == 0:
                if sub_modifiers and not modifiers and group_by and name not in scopes[-1].bound:
                    scopes[-1].bound.add(name)  # a bare GROUP BY key of a sub-SELECT: bound in its body
                    edits.append((scopes[-1].body, scopes[-1].body, " " + values_block({name: bindings[name]}) + " "))
            else:
                edits.append((start, end, term))
        before_previous, previous = previous, (upper if kind == "word" else text)
    if outer_select is not None:
        projected = projections.get(outer_select, set())
        missing = sorted(names - projected) if projected is not None else []
        if missing:
            raise QueryError(f"the query does not contain variable ?{missing[0]} in its SELECT projection: "
                             "a bound parameter must be projected (SEP-0007, as the embedded store requires)")
    block = values_block(bindings)
    if not trailing_values and not assigned:
        if where is None or short_form:
            pass  # DESCRIBE ?v, CONSTRUCT WHERE { triples }: no projection to echo, no variable left to bind
        elif bare_sub_select:
            edits += [(where[0], where[0], " {"), (where[1], where[1], "} " + block + " ")]
        else:
            edits.append((where[1], where[1], " " + block + " "))  # joined last inside the WHERE group
    else:
        if where is None:
            raise QueryError("the query has no group pattern to bind parameters into")
        edits.append((where[0], where[0], " " + block + " "))
    out = sparql
    for pos, stop, text in sorted(edits, key=lambda e: e[0], reverse=True):
        out = out[:pos] + text + out[stop:]
    return out


_BNODE_UNSAFE = re.compile(r"[^A-Za-z0-9_]")
#: Triples per ``GRAPH`` block of one INSERT DATA (Virtuoso refuses one block of about 5,000: SP030).
INSERT_CHUNK = 2000
#: Triples per ``INSERT { } WHERE { }`` template (Virtuoso refuses one of about 1,200: SP031, its generated
#: SQL passes 10,000 lines).
TEMPLATE_CHUNK = 500


def _insert_blocks(name: URIRef, graph: rdflib.Graph) -> tuple[list[str], rdflib.Graph]:
    """``GRAPH name { ... }`` blocks for ``INSERT DATA`` (the triples without blank nodes, at most
    :data:`INSERT_CHUNK` per block), and the triples with blank nodes, which go to
    :func:`_bnode_templates`: Virtuoso refuses blank nodes in ``INSERT DATA``."""
    plain, with_bnodes = rdflib.Graph(), rdflib.Graph()
    for t in graph:
        (with_bnodes if any(isinstance(x, BNode) for x in t) else plain).add(t)
    lines = graph_to_ntriples(plain).splitlines(keepends=True)
    g = nt_term(URIRef(name))
    blocks = [f"GRAPH {g} {{\n{''.join(lines[i:i + INSERT_CHUNK])}}}" for i in range(0, len(lines), INSERT_CHUNK)]
    return blocks, with_bnodes


def _bnode_templates(graphs: Iterable[tuple[URIRef, rdflib.Graph]]) -> list[str]:
    """``INSERT { GRAPH ... { ... } ... } WHERE {}`` operations for triples with blank nodes.

    A blank node is one node within one template and a fresh one in each other (SPARQL 1.1
    Update §3.1.3), so the triples that share a blank node, in any of ``graphs`` (an RDF dataset's
    graphs may share them: RDF 1.1 Concepts §4), go in the same template: they are grouped by
    connected blank nodes, and the groups packed into templates of at most
    :data:`TEMPLATE_CHUNK` triples (Virtuoso refuses one of about 1,200). A group larger than
    that goes alone. Each blank-node label is used in one template only.
    """
    quads = [(URIRef(name), t) for name, graph in graphs for t in graph]
    parent: dict[BNode, BNode] = {}

    def root(node: BNode) -> BNode:
        while (up := parent.setdefault(node, node)) != node:
            parent[node] = node = parent.setdefault(up, up)  # path halving
        return node

    for _, t in quads:
        nodes = [x for x in (t[0], t[2]) if isinstance(x, BNode)]
        for other in nodes[1:]:
            parent[root(other)] = root(nodes[0])
    components: dict[BNode, list[tuple[URIRef, tuple]]] = {}
    for name, t in quads:
        components.setdefault(root(t[0] if isinstance(t[0], BNode) else t[2]), []).append((name, t))
    packs: list[list[tuple[URIRef, tuple]]] = []
    for group in components.values():
        if packs and len(packs[-1]) + len(group) <= TEMPLATE_CHUNK:
            packs[-1].extend(group)
        else:
            packs.append(list(group))
    operations = []
    for pack in packs:
        by_graph: dict[URIRef, rdflib.Graph] = {}
        for name, t in pack:
            by_graph.setdefault(name, rdflib.Graph()).add(t)
        body = "\n".join(f"GRAPH {nt_term(name)} {{\n{graph_to_ntriples(g)}}}" for name, g in by_graph.items())
        operations.append(f"INSERT {{\n{body}\n}} WHERE {{}}")
    return operations


def _from_json(term: dict[str, str]) -> Node:
    """An rdflib term from a SPARQL 1.1 Query Results JSON term (§3.2.2); a typed literal keeps the
    lexical form the server wrote, as :func:`policykg.store.to_rdflib` keeps the embedded store's, and a
    SPARQL 1.2 ``triple`` term is a :class:`policykg.store.TripleTerm` (it used to read as a literal)."""
    t = term["type"]
    if t == "uri":
        return URIRef(term["value"])
    if t == "triple":  # SPARQL 1.2 Query Results JSON §3.2.2: an RDF 1.2 triple term, as the embedded store gives it
        from .store import TripleTerm  # noqa: PLC0415

        parts = term["value"]
        return TripleTerm(_from_json(parts[k]) for k in ("subject", "predicate", "object"))  # type: ignore[return-value]
    if t == "bnode":  # Virtuoso labels blank nodes 'nodeID://b10000': keep them usable as N-Triples labels
        return BNode(_BNODE_UNSAFE.sub("_", term["value"]))
    if "xml:lang" in term:
        return Literal(term["value"], lang=term["xml:lang"])
    if term.get("datatype"):
        return Literal(term["value"], datatype=URIRef(term["datatype"]), normalize=False)
    return Literal(term["value"])


class RemoteStore(Store):
    """A store behind SPARQL 1.1 endpoints named in ``settings``.

    ``settings.sparql_endpoint`` (queries), ``settings.sparql_update_endpoint``
    (writes; defaults to the query endpoint's ``/update`` sibling for
    Oxigraph's layout when empty), ``settings.query_timeout_s`` (HTTP timeout).
    Errors: :class:`QueryError` (the server rejected the query, 400),
    :class:`QueryTimeout` (no answer in time), :class:`StoreError` (cannot
    reach the server, or it failed).
    """

    def __init__(self, settings: Any):
        self.base_iri = settings.base_iri
        self.endpoint = settings.sparql_endpoint
        self.update_endpoint = settings.sparql_update_endpoint or re.sub(r"/query/?$", "/update", self.endpoint)
        self.timeout_s = float(settings.query_timeout_s)

    # -- HTTP ---------------------------------------------------------------
    def _wrapper(self, timeout_s: float | None = None) -> Any:
        from SPARQLWrapper import POST, SPARQLWrapper  # noqa: PLC0415

        sw = SPARQLWrapper(self.endpoint, updateEndpoint=self.update_endpoint, agent="policykg")
        sw.setMethod(POST)
        sw.setOnlyConneg(True)  # Accept only: Virtuoso refuses format=/output= parameters that disagree with it
        sw.setTimeout(int(max(1, round(timeout_s or self.timeout_s))))
        return sw

    @staticmethod
    def _set_request(sw: Any, text: str, *, update: bool) -> None:
        """Give ``sw`` the request text and say whether it is a query or an update.

        Not ``SPARQLWrapper.setQuery``: it guesses the form from the first of
        SELECT, ASK, ..., ADD, LOAD, DROP found anywhere in the text, case
        blind, after a comment filter that keeps every other comment line. So
        a query with the word "address" or "load" in its second comment line
        was sent as ``update=`` and refused by the server (SPARQLWrapper 2.0.0). policykg knows which it sends: ``query=`` from
        :meth:`query_raw`, ``update=`` from :meth:`_update` (SPARQL 1.1
        Protocol §2.1.2, §2.2.2).
        """
        from SPARQLWrapper import INSERT, SELECT  # noqa: PLC0415

        sw.queryString = text
        sw.queryType = INSERT if update else SELECT  # the server reads the real form from the text

    def _call(self, sw: Any) -> Any:
        from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, QueryBadFormed, SPARQLWrapperException  # noqa: PLC0415

        where = sw.updateEndpoint if sw.isSparqlUpdateRequest() else sw.endpoint  # named in messages
        try:
            return sw.query()
        except QueryBadFormed as exc:
            raise QueryError(f"the SPARQL server rejected the query: {_server_reason(exc)}") from None
        except EndPointInternalError as exc:
            hint = ""
            if "SR353" in str(exc):  # Virtuoso: "Sorted TOP clause specifies more then N rows to sort"
                allowed = re.search(r"Only (\d+) are allowed", str(exc))
                from .sparql import outer_slice  # noqa: PLC0415

                limit, offset = outer_slice(sw.queryString or "")
                if allowed and offset and limit is not None and limit <= int(allowed.group(1)):
                    # a page deep in an ordered answer (OFFSET + LIMIT past the server's bound, the LIMIT alone
                    # within it): the request's doing, not the deployment's, which a smaller offset mends;
                    # sorted_rows_limit lets a caller name its offset parameter
                    raise QueryError(f"the SPARQL server sorts at most {allowed.group(1)} rows of an ordered answer "
                                     "(Virtuoso's MaxSortedTopRows), and this page ends past them: ask for a "
                                     "smaller offset or limit", sorted_rows_limit=int(allowed.group(1))) from None
                hint = (" (policykg asks for POLICYKG_MAX_RESULT_ROWS + 1 rows to detect truncation; set "
                        "MaxSortedTopRows in the [Parameters] section of virtuoso.ini above that, or lower "
                        "POLICYKG_MAX_RESULT_ROWS)")
            raise StoreError(f"the SPARQL server failed: {_server_reason(exc)}{hint}") from None
        except SPARQLWrapperException as exc:
            raise StoreError(f"SPARQL request failed: {exc}") from None
        except (socket.timeout, TimeoutError) as exc:
            raise QueryTimeout(f"the SPARQL server did not answer within {self.timeout_s:g} s") from exc
        except urllib.error.HTTPError as exc:  # the server (or a proxy before it) answered, with a status
            # SPARQLWrapper does not map: RFC 9110 §15.6.5 504 is a timeout upstream, 502/503 a server
            # unable to answer for now; any other status is a refusal that a retry will not change
            try:
                body = " ".join(exc.read(2000).decode("utf-8", errors="replace").split())[:500]
            except OSError:
                body = ""
            reason = f"HTTP {exc.code} {exc.reason}" + (f": {body}" if body else "")
            if exc.code == 504:
                raise QueryTimeout(f"the SPARQL server did not answer in time ({reason})") from None
            if exc.code in (502, 503):
                raise StoreUnavailable(f"the SPARQL server {where} is unavailable ({reason})") from None
            raise StoreError(f"the SPARQL server {where} refused the request ({reason})") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (socket.timeout, TimeoutError)):
                raise QueryTimeout(f"the SPARQL server did not answer within {self.timeout_s:g} s") from None
            raise StoreUnavailable(f"cannot reach the SPARQL server {where}: {exc.reason}") from None

    def query_raw(self, sparql: str, accept: str, *, bindings: Mapping[str, Node] | None = None,
                  default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
                  timeout_s: float | None = None) -> bytes:
        """Send a query with ``Accept: accept`` and return the response body as the server wrote it."""
        sw = self._wrapper(timeout_s)
        self._set_request(sw, insert_values(sparql, bindings), update=False)
        for g in default_graphs or ():
            sw.addDefaultGraph(g)
        for g in named_graphs or ():
            sw.addNamedGraph(g)
        sw.addCustomHttpHeader("Accept", accept)
        response = self._call(sw)
        capped = response.response.headers.get("X-SPARQL-MaxRows")
        if capped and _cut_by_server(sw.queryString, capped):  # Virtuoso's ResultSetMaxRows, said only here
            raise StoreError(f"the SPARQL server cut the result at {capped} rows, so it cannot be given whole or "
                             "signalled as truncated: raise the server's result-row limit (Virtuoso: "
                             "ResultSetMaxRows in the [SPARQL] section of virtuoso.ini) above "
                             "POLICYKG_MAX_RESULT_ROWS")
        data = response.response.read()
        if accept == "application/sparql-results+json" and b"__ASK_RETVAL" in data[:300]:
            data = _standard_ask(data)
        return data

    # -- Store ----------------------------------------------------------------
    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> list[dict[str, Node]]:
        import json  # noqa: PLC0415

        doc = json.loads(self.query_raw(sparql, "application/sparql-results+json", bindings=bindings))
        if "results" not in doc:
            raise QueryError("expected a SELECT query")
        return SelectRows(({k: _from_json(v) for k, v in row.items()} for row in doc["results"]["bindings"]),
                          doc.get("head", {}).get("vars", []))

    def ask(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> bool:
        import json  # noqa: PLC0415

        doc = json.loads(self.query_raw(sparql, "application/sparql-results+json", bindings=bindings))
        # (Virtuoso's one-column ASK answer is rewritten to the standard form by query_raw)
        if "boolean" not in doc:
            raise QueryError("expected an ASK query")
        return bool(doc["boolean"])

    def construct(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> rdflib.Graph:
        data = self.query_raw(sparql, "application/n-triples", bindings=bindings)
        g = rdflib.Graph()
        try:
            g.parse(data=data.decode("utf-8"), format="nt")
        except Exception as exc:  # noqa: BLE001 - a server answering something else than N-Triples
            raise QueryError(f"expected a CONSTRUCT or DESCRIBE query ({exc})") from None
        return g

    def _update(self, update: str) -> None:
        sw = self._wrapper()
        self._set_request(sw, update, update=True)
        try:
            self._call(sw)
        except QueryError as exc:
            raise StoreError(f"the write was refused, nothing changed: {exc.detail}") from None

    def replace_graphs(self, graphs: Mapping[URIRef, rdflib.Graph], *, if_version: str | None = None) -> None:
        """One update request: DROP each graph, then INSERT DATA its triples.

        Triples are sent in ``GRAPH`` blocks of at most :data:`INSERT_CHUNK`
        (Virtuoso refuses larger ones), and triples with blank nodes in
        ``INSERT { } WHERE { }`` templates of the same request
        (:func:`_bnode_templates`), since INSERT DATA may not hold blank nodes
        on Virtuoso. Servers that run an update request in one
        transaction (Oxigraph) apply all or nothing; Virtuoso applies all or
        nothing for a request its parser refuses, but keeps the operations done
        before one that fails while running.

        With ``if_version``, every operation is conditional (:meth:`_conditional_replace`), so that
        two writers who validated against the same state cannot both write.
        """
        if if_version is not None:
            self._conditional_replace(graphs, if_version)
            return
        parts = [f"DROP SILENT GRAPH {nt_term(URIRef(name))}" for name in graphs]
        parts.append(f"DROP SILENT GRAPH {nt_term(self.meta_graph)}")
        data: list[str] = []
        with_bnodes: list[tuple[URIRef, rdflib.Graph]] = []
        for name, graph in list(graphs.items()) + [(self.meta_graph, self._version_triples())]:
            blocks, bnode_triples = _insert_blocks(name, graph)
            data += blocks
            with_bnodes.append((URIRef(name), bnode_triples))
        operations = parts + ["INSERT DATA {\n" + "\n".join(data) + "\n}"] + _bnode_templates(with_bnodes)
        self._update(" ;\n".join(operations))

    def _conditional_replace(self, graphs: Mapping[URIRef, rdflib.Graph], expected: str) -> None:
        """:meth:`replace_graphs` as a compare-and-swap on the data version, in one update request.

        1. The triples go to staging graphs (``urn:x-policykg:staging:...``, outside policykg's
           graphs) with ``INSERT DATA``, in chunks as in :meth:`replace_graphs`.
        2. The version ``expected`` is swapped for a claim token (``DELETE/INSERT ... WHERE`` on
           the meta graph: SPARQL 1.1 Update §3.1.3).
        3. Each target graph is emptied and filled from its staging graph by ``DELETE ... WHERE``
           and ``INSERT ... WHERE`` operations that all hold the claim in their ``WHERE``; the
           meta graph gets the new version the same way. ``DROP`` and ``INSERT DATA`` cannot be
           conditional, and Virtuoso refuses large ``INSERT`` templates (SP031), hence the staging.
        4. The staging graphs are dropped.

        When another writer moved the version first, the claim matches nothing and no target
        graph changes. Whether the write landed is read from a receipt graph
        (``urn:x-policykg:receipt:...``) written under the claim and dropped afterwards, which a
        later write cannot clear (the new version can be replaced already): if not,
        :class:`~policykg.errors.WriteConflict`. A server that runs two update requests at once on
        one snapshot (Oxigraph 0.5 does) can let two claims succeed: then the meta graph holds two
        versions, and :class:`~policykg.errors.StoreError` says so (both writes landed).
        """
        import uuid  # noqa: PLC0415

        if self.meta_graph in graphs:  # its claim token is what every operation below holds
            raise StoreError(f"<{self.meta_graph}> holds the store's data version and is written by policykg only")
        run = uuid.uuid4().hex
        meta, version = nt_term(self.meta_graph), nt_term(PKG.dataVersion)
        claim = nt_term(Literal(f"claim-{run}"))
        held = f"GRAPH {meta} {{ {meta} {version} {claim} }}"
        staging = {URIRef(name): URIRef(f"urn:x-policykg:staging:{run}:{i}") for i, name in enumerate(graphs)}
        data: list[str] = []
        with_bnodes: list[tuple[URIRef, rdflib.Graph]] = []
        for name, graph in graphs.items():
            blocks, bnode_triples = _insert_blocks(staging[URIRef(name)], graph)
            data += blocks
            with_bnodes.append((staging[URIRef(name)], bnode_triples))
        operations = _bnode_templates(with_bnodes)
        if data:
            operations.insert(0, "INSERT DATA {\n" + "\n".join(data) + "\n}")
        if expected == INITIAL_VERSION:  # a store never written: no version yet
            operations.append(f"INSERT {{ GRAPH {meta} {{ {meta} {version} {claim} }} }} WHERE {{ FILTER NOT EXISTS "
                              f"{{ GRAPH {meta} {{ {meta} {version} ?any }} }} }}")
        else:
            operations.append(f"DELETE {{ GRAPH {meta} {{ {meta} {version} ?v }} }} INSERT {{ GRAPH {meta} {{ {meta} "
                              f"{version} {claim} }} }} WHERE {{ GRAPH {meta} {{ {meta} {version} ?v "
                              f"FILTER(STR(?v) = {nt_term(Literal(expected))}) }} }}")
        for name, st in staging.items():
            g, st_ = nt_term(name), nt_term(st)
            operations.append(f"DELETE {{ GRAPH {g} {{ ?s ?p ?o }} }} WHERE {{ {held} GRAPH {g} {{ ?s ?p ?o }} }}")
            operations.append(f"INSERT {{ GRAPH {g} {{ ?s ?p ?o }} }} WHERE {{ {held} GRAPH {st_} {{ ?s ?p ?o }} }}")
        new = self._version_triples()
        tag = str(next(new.objects(self.meta_graph, PKG.dataVersion)))
        receipt = nt_term(URIRef(f"urn:x-policykg:receipt:{run}"))  # outside policykg's graphs: no write clears it
        operations.append(f"INSERT {{ GRAPH {receipt} {{ {receipt} {version} {nt_term(Literal(tag))} }} }} "
                          f"WHERE {{ {held} }}")
        operations.append(f"DELETE {{ GRAPH {meta} {{ ?s ?p ?o }} }} INSERT {{ GRAPH {meta} {{\n"
                          f"{graph_to_ntriples(new)}}} }} WHERE {{ {held} GRAPH {meta} {{ ?s ?p ?o }} }}")
        operations += [f"DROP SILENT GRAPH {nt_term(st)}" for st in staging.values()]
        self._update(" ;\n".join(operations))
        try:
            landed = self.ask(f"ASK {{ GRAPH {receipt} {{ ?s ?p ?o }} }}")
        except PolicyKGError as exc:
            raise StoreError(f"the write was sent, but whether it landed could not be read ({exc.detail}): it may "
                             "have; check the store before writing again") from None
        finally:
            try:
                self._update(f"DROP SILENT GRAPH {receipt}")
            except PolicyKGError:
                pass  # one triple outside policykg's graphs; the write itself is decided above
        if not landed:
            raise WriteConflict("the store changed after the entries were checked (another write came first); "
                                "nothing was written")
        versions = {str(r["v"]) for r in self.select(
            f"SELECT ?v WHERE {{ GRAPH {meta} {{ {meta} {version} ?v }} }}")}
        if len(versions) > 1:
            raise StoreError("another write landed at the same moment, and this SPARQL server does not keep two "
                             "update requests apart: both were written, so the entries were not checked against "
                             "each other. Validate them again (policykg validate FILES), and write one at a time")

    def drop_graphs(self, names: Iterable[URIRef]) -> None:
        version = graph_to_ntriples(self._version_triples())
        update = "".join(f"DROP SILENT GRAPH {nt_term(URIRef(n))} ;\n" for n in names)
        update += (f"DROP SILENT GRAPH {nt_term(self.meta_graph)} ;\n"
                   f"INSERT DATA {{ GRAPH {nt_term(self.meta_graph)} {{ {version} }} }}")
        self._update(update)

    def graph_names(self) -> set[URIRef]:
        """policykg's named graphs (those under ``{base}graph/``): a shared server holds others too
        (Virtuoso's system graphs, other datasets), which policykg neither lists nor counts."""
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        prefix = f"{self.base_iri}graph/"
        return {r["g"] for r in rows if isinstance(r.get("g"), URIRef) and str(r["g"]).startswith(prefix)}

    def check_base_iri(self) -> None:
        """Nothing to check: a shared SPARQL server may hold other datasets under other base IRIs beside
        this one (their graphs are not under ``{base}graph/``, and policykg neither lists nor touches them)."""

    def check_usable(self) -> None:
        """Raise :class:`~policykg.errors.ConfigError` when the server's default graph is not the union
        of its named graphs, which every policykg query assumes (a server started as plain
        ``oxigraph serve --location DIR`` keeps the default graph apart: policykg then saw an empty
        store, and the checks of new entries against the store found no conflicts).

        Checked on one triple of a policykg graph: it must also match in the default graph (two
        queries). An empty store cannot be checked; the first command after a write is.
        """
        rows = self.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "
                           f"{nt_term(Literal(self.base_iri + 'graph/'))}) && !isBlank(?s) && !isBlank(?o)) }} LIMIT 1")
        if rows and not self.ask("ASK { ?s ?p ?o }", {k: rows[0][k] for k in ("s", "p", "o")}):
            raise ConfigError(
                f"the SPARQL server {self.endpoint} keeps its default graph apart from its named graphs, so "
                "policykg's queries would see an empty store: its default graph must be the union of the named "
                "graphs (start Oxigraph as `oxigraph serve --union-default-graph ...`; Virtuoso and GraphDB "
                "do so by default)")

    def is_empty(self) -> bool:
        """True when no policykg graph other than the meta graph holds a triple."""
        return not (self.graph_names() - {self.meta_graph})

    def dump_nquads(self) -> bytes:
        """policykg's graphs as N-Quads, from one SELECT over ``GRAPH ?g``.

        Raises :class:`~policykg.errors.StoreError` when the server returned fewer quads than it
        counts: servers cap result rows (Virtuoso's ``ResultSetMaxRows``, 10,000 by default, which
        :meth:`query_raw` also catches by its ``X-SPARQL-MaxRows`` header), and a dump cut short
        must never pass for a whole one.
        """
        from .store import to_oxigraph  # noqa: PLC0415

        prefix = f"{self.base_iri}graph/"
        in_ours = f"FILTER(STRSTARTS(STR(?g), {nt_term(Literal(prefix))}))"
        counted = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {in_ours} }}")
        expected = int(counted[0]["n"]) if counted and counted[0].get("n") is not None else 0
        rows = self.select(f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {in_ours} }}")
        quads = [ox.Quad(to_oxigraph(r["s"]), to_oxigraph(r["p"]), to_oxigraph(r["o"]), to_oxigraph(r["g"]))
                 for r in rows if str(r["g"]).startswith(prefix)]
        if len(quads) < expected:
            raise StoreError(f"the SPARQL server returned {len(quads)} of its {expected} quads, so no dump was "
                             "written: raise its result-row limit (Virtuoso: ResultSetMaxRows in the [SPARQL] "
                             "section of virtuoso.ini) above the store's size")
        return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""

    def close(self) -> None:
        """Nothing to release: every call is one HTTP request."""


def _cut_by_server(sparql: str, capped: str) -> bool:
    """Whether an answer that came with Virtuoso's ``X-SPARQL-MaxRows: capped`` header may be cut short.

    Virtuoso sends the header whenever an answer reaches its ``ResultSetMaxRows``, also when the
    query's own outermost ``LIMIT`` asked for at most that many rows: such an answer is whole.
    """
    from .sparql import inspect_query  # noqa: PLC0415

    try:
        limit = inspect_query(sparql).limit
        cap = int(capped)
    except (PolicyKGError, ValueError):
        return True
    return limit is None or limit > cap


def _server_reason(exc: Any) -> str:
    """The server's own words for a refused request (Oxigraph: "error at 1:25: expected ..."): the
    response body, which SPARQLWrapper 2.0 keeps only as the ``repr`` of the bytes after "Response:"
    in its message; its generic message when there is no body. At most 500 characters."""
    import ast  # noqa: PLC0415

    message = str(exc.args[0]) if exc.args else ""
    _, found, tail = message.partition("\n\nResponse:\n")
    body = ""
    if found:
        try:
            raw = ast.literal_eval(tail.strip())  # a bytes literal, never code
            body = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else str(raw)
        except (ValueError, SyntaxError):
            body = tail
    text = " ".join(body.split())
    return text[:500] if text else str(getattr(exc, "msg", "") or exc)


def _standard_ask(data: bytes) -> bytes:
    """Virtuoso answers ASK as a one-column result (``__ASK_RETVAL``, no row meaning false);
    rewrite it to the standard SPARQL 1.1 JSON form ``{"head": {}, "boolean": b}``."""
    import json  # noqa: PLC0415

    doc = json.loads(data)
    if doc.get("head", {}).get("vars") != ["__ASK_RETVAL"]:
        return data
    rows = doc.get("results", {}).get("bindings", [])
    value = bool(rows) and rows[0].get("__ASK_RETVAL", {}).get("value") not in ("0", "false")
    return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
