"""The store: named graphs of policy data behind one small interface.

Two implementations share :class:`Store`:

* :class:`OxigraphStore`: embedded ``pyoxigraph.Store`` on disk (default).
* ``policykg.remote.RemoteStore``: any SPARQL 1.1 server, through the
  SPARQL 1.1 Protocol (queries) and Update (writes).

Layout of the dataset (see ``shared/design/architecture.md``):

* one named graph per loaded document (``Minter.graph(slug)``), replaced
  whole and atomically on re-load;
* the ontology and the vocabularies in ``{base}graph/ontology``;
* regions and agencies in ``{base}graph/reference``;
* a ``{base}graph/meta`` graph holding the data version (changed by every
  write, in the same transaction), used for ``ETag``/``Last-Modified``.

Queries see the union of all named graphs as their default graph
(SPARQL 1.1 Query §13.2: the dataset's default graph is implementation
defined; we define it as the union).
"""

from __future__ import annotations

import abc
import datetime as _dt
import fcntl
import hashlib
import io
import os
import re
import shutil
import uuid
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .errors import ConfigError, InputError, QueryError, StoreError, WriteConflict
from .vocab import DCTERMS, PKG, XSD

__all__ = [
    "Store", "OxigraphStore", "DataVersion", "SelectRows", "open_store", "to_rdflib", "to_oxigraph",
    "graph_to_ntriples", "error_position", "iri_ref", "as_stored", "restore_store",
    "OwnedDir", "remove_stale_dirs", "scratch_folder", "same_file_system", "seal_dump", "check_dump",
    "DumpReader", "INITIAL_VERSION", "TripleTerm", "TripleTermsInGraph",
]


#: The data version tag of a store never written (:meth:`Store.data_version`).
INITIAL_VERSION = "0"


@dataclass(frozen=True)
class DataVersion:
    """The data version: an opaque ``tag`` (changes on every write) and its UTC time ``modified``."""

    tag: str
    modified: _dt.datetime


class TripleTerm(tuple):
    """An RDF 1.2 triple term (RDF 1.2 Concepts §3.4) in a SELECT solution: ``(subject, predicate,
    object)`` as rdflib terms (the object may be a triple term again). rdflib has no triple term, so
    :meth:`Store.select` gives this tuple; it cannot go into an rdflib graph.

    ``str()`` and :meth:`n3` give the N-Triples 1.2 form (RDF 1.2 N-Triples §2.4), as ``/sparql``
    writes triple terms in TSV results:

    >>> str(TripleTerm((URIRef("http://a"), URIRef("http://b"), Literal("c", lang="en"))))
    '<<( <http://a> <http://b> "c"@en )>>'
    """

    __slots__ = ()

    def __new__(cls, terms: Iterable[Any]) -> TripleTerm:  # noqa: PYI034 - a tuple subclass
        terms = tuple(terms)
        if len(terms) != 3:
            raise ValueError(f"a triple term has three terms, not {len(terms)}")
        return super().__new__(cls, terms)

    @property
    def subject(self) -> Node:
        return self[0]

    @property
    def predicate(self) -> Node:
        return self[1]

    @property
    def object(self) -> Node | TripleTerm:
        return self[2]

    def n3(self, namespace_manager: Any = None) -> str:  # rdflib's signature
        """``<<( s p o )>>``, each term in N-Triples."""
        return "<<( " + " ".join(t.n3() for t in self) + " )>>"

    def __str__(self) -> str:
        return self.n3()


class TripleTermsInGraph(QueryError):
    """A CONSTRUCT or DESCRIBE answer holds an RDF 1.2 triple term, which an rdflib graph
    (:meth:`Store.construct`) cannot carry: read it with :meth:`OxigraphStore.construct_triples`."""


def to_rdflib(term: Any, *, triple_terms: bool = False) -> Node | None:
    """Convert a pyoxigraph term (``NamedNode``, ``BlankNode``, ``Literal``) to the rdflib term.

    A literal keeps the lexical form the store holds (``normalize=False``): rdflib's
    normalisation would re-lex it (``"17"^^xsd:double`` as ``"17.0"``, ``"INF"`` as
    ``"inf"``, outside the xsd:double lexical space, XSD 1.1 §3.3.5.1), and a
    different lexical form is a different RDF term (RDF 1.1 Concepts §3.3), so a
    document would disagree with ``/sparql`` and the dumps. ``toPython()`` still
    gives the value. ``None`` (an unbound variable) stays ``None``. An RDF 1.2 triple
    term (``pyoxigraph.Triple``) becomes a :class:`TripleTerm` with ``triple_terms``, and raises
    :class:`TypeError` otherwise (no rdflib graph can hold one).
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt), normalize=False)
    if isinstance(term, ox.DefaultGraph):
        return None
    if isinstance(term, ox.Triple) and triple_terms:
        return TripleTerm(to_rdflib(t, triple_terms=True) for t in (term.subject, term.predicate, term.object))
    raise TypeError(f"cannot convert {term!r} to an rdflib term")


def to_oxigraph(term: Node) -> Any:
    """Convert an rdflib ``URIRef``/``BNode``/``Literal`` to the pyoxigraph term.

    Raises :class:`TypeError` for anything else (e.g. a ``Variable``).
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to a pyoxigraph term")


def as_stored(graph: rdflib.Graph) -> rdflib.Graph:
    """``graph`` with every literal in the lexical form the store keeps.

    Oxigraph stores typed numeric literals in a canonical form (``"5.0"^^xsd:decimal``
    is kept as ``"5"``), so data must be compared with what is stored, and
    validated beside it, in that form; otherwise one value read twice looks like
    two values (a ``sh:maxCount 1`` violation on re-merge).
    """
    scratch = ox.Store()
    scratch.extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph)
    out = rdflib.Graph()
    for prefix, ns in graph.namespaces():
        out.bind(prefix, ns)
    for q in scratch:
        out.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return out


def graph_to_ntriples(graph: rdflib.Graph) -> str:
    """Serialise ``graph`` as N-Triples text (UTF-8 safe, one triple a line)."""
    return graph.serialize(format="nt")


_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def iri_ref(iri: str) -> str:
    """``<iri>`` for use in SPARQL text, after checking ``iri`` has none of the
    characters the IRIREF production forbids (SPARQL 1.1 Query §19.8, rule [139]).

    Raises :class:`ValueError` for such an IRI, so no value can break out of
    the angle brackets.

    >>> iri_ref("https://example.org/a")
    '<https://example.org/a>'
    """
    if not iri or _IRI_FORBIDDEN.search(iri):
        raise ValueError(f"not a valid IRI for SPARQL: {iri!r}")
    return f"<{iri}>"


_POS = re.compile(r"(?:line|at) (\d+)[^\d]+(?:columns?|col\.?) (\d+)", re.I)
_OX_POS = re.compile(r"(\d+):(\d+)")


def error_position(message: str) -> tuple[int | None, int | None]:
    """Best-effort (line, column), 1-based, from a parser's error message; ``(None, None)`` if absent.

    Oxigraph reports positions as ``line:column`` (both 1-based, since 0.4) or
    ``at line L column C``; both forms are recognised.
    """
    m = _POS.search(message) or _OX_POS.search(message)
    if not m:
        return None, None
    return int(m.group(1)), int(m.group(2))


def _has_dataset_clause(sparql: str) -> bool:
    """Whether the query has a ``FROM`` or ``FROM NAMED`` clause (a ``FROM`` keyword token).

    Such a query defines its own dataset (SPARQL 1.1 §13.2), which Oxigraph
    ignores when asked to use the union of the named graphs as the default
    graph; without one, policykg queries that union. The token scan skips
    strings, IRIs, comments and language tags (:mod:`policykg.sparql`); it runs
    only when the text holds the letters ``from`` at all, and stops at the first
    ``FROM``.
    """
    if "from" not in sparql.lower():
        return False
    from .sparql import _TOKEN  # noqa: PLC0415 - policykg.sparql imports this module

    # Not the cached token list of policykg.sparql: a validation query's FROM list can be long, and is
    # seen once. A word right after "@" or "-" is (part of) a language tag ("@en-from"), not a keyword.
    for m in _TOKEN.finditer(sparql):
        if (m.lastgroup == "word" and m.group().upper() == "FROM"
                and (m.start() == 0 or sparql[m.start() - 1] not in "@-")):
            return True
    return False


class SelectRows(list):
    """The solutions of a SELECT: a list with one dict per solution (variable name → rdflib term,
    unbound variables absent), and ``variables``, the projected variable names in the query's
    order (SPARQL 1.1 Query §18.2.5; the ``head.vars`` of the JSON results format), which the
    solutions alone cannot give when the first ones leave a variable unbound."""

    def __init__(self, rows: Iterable[dict[str, Node]] = (), variables: Iterable[str] = ()):
        super().__init__(rows)
        self.variables: list[str] = list(variables)


class Store(abc.ABC):
    """The interface every store offers. Terms going in and out are rdflib terms.

    ``bindings`` map variable names (without ``?``) to RDF terms; they are
    bound by the engine (pyoxigraph ``substitutions``, RDF-dev SEP-0007, or a
    ``VALUES`` block for remote engines), never pasted into the query text as
    strings. As SEP-0007 requires, a bound variable must be in the SELECT
    projection (or in scope of the ASK/CONSTRUCT pattern).
    """

    base_iri: str

    @property
    def meta_graph(self) -> URIRef:
        """The graph holding the data version."""
        return URIRef(f"{self.base_iri}graph/meta")

    @abc.abstractmethod
    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> list[dict[str, Node]]:
        """Run a SELECT; return one dict per solution (unbound variables absent), as :class:`SelectRows`.

        Raises :class:`~policykg.errors.QueryError` for a malformed query.
        """

    @abc.abstractmethod
    def ask(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> bool:
        """Run an ASK query."""

    @abc.abstractmethod
    def construct(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> rdflib.Graph:
        """Run a CONSTRUCT or DESCRIBE; return the triples as an rdflib graph."""

    @abc.abstractmethod
    def replace_graphs(self, graphs: Mapping[URIRef, rdflib.Graph], *, if_version: str | None = None) -> None:
        """Replace each named graph in ``graphs`` by the given triples, all in one transaction.

        Either every graph is replaced and the data version changes, or the
        store is left exactly as it was and :class:`~policykg.errors.StoreError` is raised.
        With ``if_version`` (a :attr:`DataVersion.tag`), the write happens only if the
        store's data version is still that one, and raises
        :class:`~policykg.errors.WriteConflict` otherwise (a compare-and-swap: entries
        validated against one state are never written onto another).
        """

    @abc.abstractmethod
    def drop_graphs(self, names: Iterable[URIRef]) -> None:
        """Remove the named graphs ``names`` in one transaction (missing ones are ignored)."""

    @abc.abstractmethod
    def graph_names(self) -> set[URIRef]:
        """The names of the non-empty named graphs."""

    @abc.abstractmethod
    def dump_nquads(self) -> bytes:
        """The whole dataset (all named graphs) as N-Quads."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the store (flushes the embedded one)."""

    def is_empty(self) -> bool:
        """True when no triple is stored outside the meta graph."""
        return not self.select(
            f"SELECT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != {iri_ref(self.meta_graph)}) }} LIMIT 1")

    def stored_base_iris(self) -> set[str]:
        """The base IRIs the store was written with: ``B`` for each meta graph ``{B}graph/meta`` it holds.

        Every write records the data version in ``{base}graph/meta``
        (:attr:`meta_graph`), so a store written with another
        ``POLICYKG_BASE_IRI`` is told by its meta graph. Empty for a new store.
        """
        rows = self.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?g <{PKG.dataVersion}> ?v }} }}")
        return {str(r["g"])[: -len("graph/meta")] for r in rows if str(r["g"]).endswith("/graph/meta")}

    def check_base_iri(self) -> None:
        """Raise :class:`~policykg.errors.ConfigError` when the store was written with another base IRI.

        Writing or serving it with this one would mix two sets of IRIs: its
        policies would answer 404 under this base, and new ones would be added
        beside the old.
        """
        others = sorted(self.stored_base_iris() - {self.base_iri})
        if others and self.base_iri not in self.stored_base_iris():
            raise ConfigError(f"this store was built with base IRI {others[0]}, not {self.base_iri}: set "
                              f"POLICYKG_BASE_IRI={others[0]} to use it, or give another store")

    def check_usable(self) -> None:
        """Raise :class:`~policykg.errors.ConfigError` when this configuration cannot use the store: here,
        when it was written with another base IRI (:meth:`check_base_iri`). Commands call it before
        they write, validate against, query or serve the store."""
        self.check_base_iri()

    def data_version(self) -> DataVersion:
        """The current data version; a fixed initial version for a store never written."""
        rows = self.select(
            f"SELECT ?v ?m WHERE {{ GRAPH <{self.meta_graph}> {{ <{self.meta_graph}> <{PKG.dataVersion}> ?v "
            f"OPTIONAL {{ <{self.meta_graph}> <{DCTERMS.modified}> ?m }} }} }} ORDER BY STR(?v) LIMIT 1")
        epoch = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
        if not rows:
            return DataVersion(INITIAL_VERSION, epoch)
        try:  # a meta graph edited by hand may lack the date or hold a bad one: the version still counts
            modified = _dt.datetime.fromisoformat(str(rows[0]["m"])) if rows[0].get("m") is not None else epoch
        except ValueError:
            modified = epoch
        return DataVersion(str(rows[0]["v"]), modified)

    def _version_triples(self) -> rdflib.Graph:
        g = rdflib.Graph()
        now = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)
        g.add((self.meta_graph, PKG.dataVersion, Literal(uuid.uuid4().hex)))
        g.add((self.meta_graph, DCTERMS.modified, Literal(now.isoformat(), datatype=XSD.dateTime)))
        return g

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class OxigraphStore(Store):
    """Embedded Oxigraph store on disk (``path``), or in memory when ``path`` is ``None``.

    With ``read_only`` the directory is opened with ``Store.read_only``: no
    lock is taken, nothing may write the directory meanwhile (serve a snapshot,
    see :meth:`snapshot`), and every write raises
    :class:`~policykg.errors.StoreError`.

    Raises :class:`~policykg.errors.StoreError` when the directory cannot be
    opened (for example because another process holds its lock).
    """

    def __init__(self, path: Path | str | None, base_iri: str, *, read_only: bool = False):
        self.base_iri = base_iri
        self.path = Path(path) if path is not None else None
        #: True when opened with ``Store.read_only`` (writes raise StoreError).
        self.read_only = bool(read_only and self.path is not None)
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                if not self.path.exists():
                    _finish_interrupted_restore(self.path)
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            hint = ""
            if "lock" in str(exc).lower():
                hint = (" (another process holds it: stop 'policykg serve' or the other command using it, "
                        "or give another directory with --store; commands that only read, such as query, dump "
                        "and validate, can open it with POLICYKG_STORE_READ_ONLY=true)")
            raise StoreError(f"cannot open the store at {self.path}: {exc}{hint}") from exc

    @property
    def raw(self) -> ox.Store:
        """The underlying ``pyoxigraph.Store`` (for serialising results without Python per row)."""
        return self._store

    def _query(self, sparql: str, bindings: Mapping[str, Node] | None) -> Any:
        subs = {ox.Variable(k): to_oxigraph(v) for k, v in (bindings or {}).items()}
        try:
            return self._store.query(sparql, use_default_graph_as_union=not _has_dataset_clause(sparql),
                                     substitutions=subs or None)
        except SyntaxError as exc:
            line, column = error_position(str(exc))
            from .sparql import syntax_error_message  # noqa: PLC0415 - policykg.sparql imports this module

            raise QueryError(syntax_error_message(sparql, exc), line=line, column=column) from exc
        except OSError as exc:
            raise StoreError(f"cannot read the store: {exc}") from exc

    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> list[dict[str, Node]]:
        result = self._query(sparql, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        names = [v.value for v in result.variables]
        rows = SelectRows(variables=names)
        for solution in result:
            row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = to_rdflib(value, triple_terms=True)
            rows.append(row)
        return rows

    def ask(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> bool:
        result = self._query(sparql, bindings)
        if not isinstance(result, ox.QueryBoolean):
            raise QueryError("expected an ASK query")
        return bool(result)

    def construct(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> rdflib.Graph:
        result = self._query(sparql, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise QueryError("expected a CONSTRUCT or DESCRIBE query")
        g = rdflib.Graph()
        for t in result:
            if isinstance(t.object, ox.Triple) or isinstance(t.subject, ox.Triple):
                raise TripleTermsInGraph("the answer holds RDF 1.2 triple terms (<<( s p o )>>), which an rdflib "
                                         "graph cannot carry")
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return g

    def construct_triples(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> list[ox.Triple]:
        """Run a CONSTRUCT or DESCRIBE; return its triples as ``pyoxigraph.Triple`` objects, RDF 1.2 triple
        terms kept (what :meth:`construct` refuses with :class:`TripleTermsInGraph`). Serialise them with
        ``pyoxigraph.serialize`` in an RDF 1.2 syntax (Turtle, N-Triples, TriG, N-Quads, RDF/XML).

        Raises :class:`~policykg.errors.QueryError` for a malformed query or another form.
        """
        result = self._query(sparql, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise QueryError("expected a CONSTRUCT or DESCRIBE query")
        return list(result)

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the store at {self.path} is open read-only (a served snapshot, or "
                             "POLICYKG_STORE_READ_ONLY): nothing was written")

    def snapshot(self, target: Path | str) -> Path:
        """Write a consistent, immutable copy of the on-disk store to the new directory ``target``.

        A RocksDB checkpoint (``Store.backup``): files are hard-linked when
        ``target`` is on the same file system, so it is cheap. Open it with
        ``read_only=True``; delete the directory when done. Raises
        :class:`~policykg.errors.StoreError` for an in-memory store or when the
        copy cannot be written.
        """
        if self.path is None:
            raise StoreError("an in-memory store has no on-disk snapshot")
        target = Path(target)
        try:
            if not self.read_only:
                self._store.flush()
            target.parent.mkdir(parents=True, exist_ok=True)
            self._store.backup(str(target))
        except OSError as exc:
            raise StoreError(f"cannot snapshot the store at {self.path} to {target}: {exc}") from exc
        return target

    def replace_graphs(self, graphs: Mapping[URIRef, rdflib.Graph], *, if_version: str | None = None) -> None:
        self._check_writable()
        if if_version is not None and self.data_version().tag != if_version:  # this process holds the lock
            raise WriteConflict("the store changed after the entries were checked; nothing was written")
        parts = []
        for name, graph in graphs.items():
            parts.append(f"DROP SILENT GRAPH {iri_ref(name)}")
        parts.append(f"DROP SILENT GRAPH {iri_ref(self.meta_graph)}")
        body = []
        for name, graph in list(graphs.items()) + [(self.meta_graph, self._version_triples())]:
            if len(graph):
                body.append(f"GRAPH {iri_ref(name)} {{\n{graph_to_ntriples(graph)}}}")
        update = " ;\n".join(parts) + " ;\nINSERT DATA {\n" + "\n".join(body) + "\n}"
        try:
            self._store.update(update)
        except (SyntaxError, OSError) as exc:
            raise StoreError(f"the write was rolled back, nothing changed: {exc}") from exc

    def drop_graphs(self, names: Iterable[URIRef]) -> None:
        self._check_writable()
        names = list(names)
        version = graph_to_ntriples(self._version_triples())
        update = "".join(f"DROP SILENT GRAPH {iri_ref(n)} ;\n" for n in names)
        update += f"DROP SILENT GRAPH <{self.meta_graph}> ;\nINSERT DATA {{ GRAPH <{self.meta_graph}> {{ {version} }} }}"
        try:
            self._store.update(update)
        except (SyntaxError, OSError) as exc:
            raise StoreError(f"the write was rolled back, nothing changed: {exc}") from exc

    def graph_names(self) -> set[URIRef]:
        return {URIRef(g.value) for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)}

    def dump_nquads(self) -> bytes:
        return self._store.dump(format=ox.RdfFormat.N_QUADS)

    def restore_nquads(self, data: bytes) -> None:
        """Replace the whole dataset by ``data`` (N-Quads) in one transaction.

        Raises :class:`~policykg.errors.StoreError` on unreadable data; the store is then unchanged.
        """
        self._check_writable()
        try:
            dataset = ox.Dataset(ox.parse(data, format=ox.RdfFormat.N_QUADS))
        except SyntaxError as exc:
            raise StoreError(f"unreadable N-Quads dump: {exc}") from exc
        update = "CLEAR ALL ;\nINSERT DATA {\n"
        chunks = []
        for q in dataset:
            if isinstance(q.graph_name, ox.DefaultGraph):
                chunks.append(f"{q.subject} {q.predicate} {q.object} .")
            else:
                chunks.append(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}")
        update += "\n".join(chunks) + "\n}"
        try:
            self._store.update(update)
        except (SyntaxError, OSError) as exc:
            raise StoreError(f"restore rolled back, nothing changed: {exc}") from exc

    def flush(self) -> None:
        """Flush pending writes to disk."""
        if self.path is not None and not self.read_only:
            self._store.flush()

    def close(self) -> None:
        if self.path is not None and not self.read_only:
            try:
                self._store.flush()
            except OSError:
                pass
        self._store = None  # type: ignore[assignment]


class OwnedDir:
    """A scratch directory ``<parent>/<pid>-<id>`` beside a store, owned by this process while it lives.

    For the query pool's checkpoints and ``serve``'s snapshots: beside the
    store, on its file system, so that RocksDB checkpoints are hard links. The
    owner holds an exclusive ``flock`` on ``<parent>/<pid>-<id>.lock``; the
    kernel drops it when the process ends, however it ends (``kill -9``
    included), so :func:`remove_stale_dirs` tells leftovers from live
    directories without trusting process ids, which are reused (pid 1 in every
    container). Leftovers are removed when one is made. With ``create`` false
    the directory itself is left for the caller to create (``Store.backup``
    wants a new one). :meth:`release` deletes it. Raises
    :class:`~policykg.errors.StoreError` when ``parent`` cannot be written.
    """

    def __init__(self, parent: Path | str, *, create: bool = True):
        self.parent = Path(parent)
        self._fd: int | None = None
        last: OSError | None = None
        for _ in range(20):  # another process may remove the empty parent, or clean a lock, meanwhile
            name = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
            self.path = self.parent / name
            self._lock_path = self.parent / f"{name}.lock"
            try:
                self.parent.mkdir(parents=True, exist_ok=True)
                remove_stale_dirs(self.parent)
                fd = os.open(self._lock_path, os.O_CREAT | os.O_RDWR | os.O_CLOEXEC, 0o600)
            except (FileNotFoundError, FileExistsError) as exc:
                last = exc
                continue
            except OSError as exc:
                raise StoreError(f"cannot make a scratch directory in {self.parent}: {exc}") from exc
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                if os.fstat(fd).st_ino != os.stat(self._lock_path).st_ino:
                    raise FileNotFoundError("the lock file was cleaned away before it was locked")
                if create:
                    self.path.mkdir()
            except OSError as exc:
                os.close(fd)
                last = exc
                continue
            self._fd = fd
            return
        raise StoreError(f"cannot make a scratch directory in {self.parent}: {last}")

    def release(self) -> None:
        """Delete the directory and its lock file, then ``parent`` if it is left empty. Idempotent."""
        if self._fd is None:
            return
        shutil.rmtree(self.path, ignore_errors=True)
        self._lock_path.unlink(missing_ok=True)
        os.close(self._fd)
        self._fd = None
        try:
            self.parent.rmdir()
        except OSError:
            pass  # not empty: another process's directory, or its lock file


#: Names :class:`OwnedDir` gives: ``<pid>-<8 hex digits>``; nothing else in the folder is touched.
_OWNED_NAME = re.compile(r"[0-9]+-[0-9a-f]{8}")


def remove_stale_dirs(parent: Path | str) -> None:
    """Delete the :class:`OwnedDir` directories under ``parent`` whose owner has ended.

    A directory is stale when its lock file can be locked (nobody holds it).
    A ``<pid>-<id>`` directory without a lock file (made by an older version)
    is stale when no process has that pid. Only names of that form are
    touched: files planted in the folder are left alone.
    """
    parent = Path(parent)
    if not parent.is_dir():
        return
    for lock in parent.glob("*.lock"):
        if not _OWNED_NAME.fullmatch(lock.stem):
            continue  # not ours: never delete by a name someone else chose ("...lock" would be "..")
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CLOEXEC)
        except OSError:
            continue  # released meanwhile
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # its owner is alive
            lock.unlink(missing_ok=True)  # while locked: a creator that locks it next sees it is gone
            shutil.rmtree(parent / lock.stem, ignore_errors=True)
        finally:
            os.close(fd)
    for child in parent.iterdir():
        if not _OWNED_NAME.fullmatch(child.name) or (parent / f"{child.name}.lock").exists():
            continue
        pid = child.name.split("-", 1)[0]
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(child, ignore_errors=True)
        except (PermissionError, OverflowError):
            pass  # alive (another user's), or not a pid at all


def scratch_folder(store_path: Path | str, kind: str, scratch_dir: Path | str | None = None) -> Path:
    """The folder of ``kind`` scratch directories (:class:`OwnedDir`) of the store at ``store_path``.

    ``<store>.<kind>`` beside the store, or inside ``scratch_dir`` when it is
    given (``POLICYKG_SCRATCH_DIR``, for a store that is a volume or mount
    point of its own, whose parent is on another file system). ``kind`` is
    ``serve-snapshots`` or ``query-checkpoints``. Paths are resolved, so the
    folder does not move when the working directory changes.
    """
    store = Path(store_path).resolve()
    base = Path(scratch_dir).resolve() if scratch_dir is not None else store.parent
    return base / f"{store.name}.{kind}"


def same_file_system(a: Path | str, b: Path | str) -> bool:
    """Whether ``a`` and ``b`` (or, for a path not made yet, its nearest existing ancestor) share a device.

    RocksDB checkpoints hard-link files only within one file system; across
    two they are full copies (``Store.backup``). True when either cannot be
    inspected, so that an unreadable path is not reported as a copy.
    """
    devices = []
    for path in (Path(a).resolve(), Path(b).resolve()):
        while not path.exists() and path != path.parent:
            path = path.parent
        try:
            devices.append(path.stat().st_dev)
        except OSError:
            return True
    return devices[0] == devices[1]


#: The last line of a ``policykg dump``: the number of quads and the SHA-256 of every byte before the
#: line. An N-Quads comment (RDF 1.1 N-Quads §2.3), so any N-Quads reader still reads the file.
#: A CR before the newline, and blank space after the line (an editor's or a transfer's), still mark a
#: trailer, so that it is checked (a CRLF-converted dump fails its checksum) rather than taken for none.
_TRAILER = re.compile(rb"# policykg dump: (\d+) quads, sha256 ([0-9a-f]{64})[ \t]*(?:\r?\n[ \t\r\n]*)?\Z")


def seal_dump(nquads: bytes) -> bytes:
    """``nquads`` followed by the dump trailer (quad count and SHA-256 of ``nquads``), which
    :func:`check_dump` verifies: a dump cut at a line end still parses, so only the trailer tells a
    whole dump from a part of one."""
    count = sum(1 for line in nquads.splitlines() if line.strip() and not line.lstrip().startswith(b"#"))
    body = nquads if not nquads or nquads.endswith(b"\n") else nquads + b"\n"
    return body + f"# policykg dump: {count} quads, sha256 {hashlib.sha256(body).hexdigest()}\n".encode()


#: Bytes kept back from the running SHA-256 of a :class:`DumpReader`: the trailer is searched for in
#: the last 200 bytes (a trailer is at most 17 + 20 + 14 + 64 + 1 = 116 bytes).
_TRAILER_WINDOW = 200


class DumpReader(io.RawIOBase):
    """A binary reader over a dump (``raw``: a file object, e.g. ``gzip.open(path, "rb")``) that checks the
    trailer :func:`seal_dump` writes while the bytes stream through it, in bounded memory.

    Give it to a parser (``pyoxigraph.Store.bulk_load``); it keeps a running SHA-256 of everything but the
    last ``_TRAILER_WINDOW`` bytes read, and only those bytes, so memory does not grow with the dump's
    (inflated) size. Call :meth:`finish` once the parser is done: it reads what the parser left, then
    checks the trailer. An error of ``raw`` itself (a damaged gzip member) is raised by ``readinto`` as an
    ``OSError`` and kept in :attr:`read_error` for the caller to name.
    """

    def __init__(self, raw: Any, source: str | None = None, *, require_trailer: bool = True):
        super().__init__()
        self._raw, self.source, self.require_trailer = raw, source, require_trailer
        self._sha = hashlib.sha256()
        self._tail = b""
        #: bytes read from ``raw`` so far (inflated size for a gzip file).
        self.bytes_read = 0
        #: bytes before the trailer line, once :meth:`finish` found one; else None.
        self.body_bytes: int | None = None
        #: the exception ``raw.read`` raised (``OSError``, ``EOFError``, ``zlib.error``), if any.
        self.read_error: BaseException | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        """Fill ``buffer`` from ``raw`` (at most ``len(buffer)`` bytes); 0 at the end."""
        try:
            data = self._raw.read(len(buffer))
        except (OSError, EOFError, zlib.error) as exc:
            self.read_error = exc
            raise OSError(f"cannot read the dump: {exc}") from exc
        if data:
            window = self._tail + data
            keep = max(0, len(window) - _TRAILER_WINDOW)
            self._sha.update(memoryview(window)[:keep])
            self._tail = window[keep:]
            self.bytes_read += len(data)
            buffer[:len(data)] = data
        return len(data)

    def finish(self) -> int | None:
        """Read the rest of ``raw`` (after a parser stopped early) and check the trailer.

        Returns the quad count the trailer states, or None for a dump without a trailer when
        ``require_trailer`` is false. Raises :class:`~policykg.errors.InputError` naming ``source`` when
        the trailer is missing (a dump cut short, or not made by ``policykg dump``), when the bytes before
        it do not have the SHA-256 it states (altered, or cut and re-ended), or when ``raw`` cannot be read.
        """
        chunk = bytearray(1 << 20)
        try:
            while self.readinto(chunk):
                pass
        except OSError:
            raise InputError(f"the dump cannot be read ({self.read_error}); nothing changed",
                             file=self.source) from None
        tail_at = self._tail.rfind(b"# policykg dump: ")
        m = _TRAILER.match(self._tail, tail_at) if tail_at >= 0 else None
        if m is None:
            if self.require_trailer:
                raise InputError("the dump does not end with the line 'policykg dump' writes (quad count and "
                                 "checksum): it was cut short, or made by another tool; nothing changed. Restore a "
                                 "file from another tool with --unchecked", file=self.source)
            return None
        sha = self._sha.copy()
        sha.update(self._tail[:tail_at])
        if sha.hexdigest() != m.group(2).decode():
            raise InputError(f"the dump's checksum does not match its content (it should hold {int(m.group(1))} "
                             "quads): it was altered or damaged; nothing changed", file=self.source)
        self.body_bytes = self.bytes_read - len(self._tail) + tail_at
        return int(m.group(1))


def check_dump(data: bytes, source: str | None = None, *, require_trailer: bool = True) -> bytes:
    """The N-Quads of a dump made by :func:`seal_dump`, after checking its trailer (a dump already in
    memory; :func:`restore_store` checks a file as it reads it, with :class:`DumpReader`).

    Raises :class:`~policykg.errors.InputError` naming ``source`` when the trailer is missing (a dump cut
    short, or not made by ``policykg dump``; ``require_trailer=False`` accepts such a file as it is) or
    when the bytes before it do not have the SHA-256 it states (a dump altered or cut and re-ended).
    """
    reader = DumpReader(io.BytesIO(data), source, require_trailer=require_trailer)
    reader.finish()
    return data if reader.body_bytes is None else data[:reader.body_bytes]


#: Quads per ``Store.bulk_extend`` call in :func:`restore_store`: Oxigraph's bulk loader buffers a
#: whole call (up to a million quads per thread, about 0.7 kB each), so calls of this many keep the
#: restore near 150 MB whatever the dump's size (measured: docs/reliability.md, defect 66).
RESTORE_BATCH_QUADS = 100_000


def _load_dump(store: ox.Store, reader: DumpReader) -> int:
    """Stream the N-Quads of ``reader`` into ``store`` in batches of :data:`RESTORE_BATCH_QUADS`;
    the number of quads read (a repeated quad counts each time, as :func:`seal_dump` counts lines)."""
    import itertools  # noqa: PLC0415

    count = 0

    def counted(quads: Iterable[Any]) -> Iterable[Any]:
        nonlocal count
        for quad in quads:
            count += 1
            yield quad

    quads = counted(ox.parse(reader, format=ox.RdfFormat.N_QUADS))
    while True:
        before = count
        store.bulk_extend(itertools.islice(quads, RESTORE_BATCH_QUADS))
        if count == before:
            return count


def _finish_interrupted_restore(target: Path) -> None:
    """Complete a :func:`restore_store` stopped between its two renames (the store moved to
    ``<store>.replaced``, the checked new one still at ``<store>.restoring``, no ``<store>``): the new one
    takes its place. Without this, opening the store made a new empty one beside both copies."""
    fresh = target.with_name(target.name + ".restoring")
    old = target.with_name(target.name + ".replaced")
    if fresh.is_dir() and old.is_dir():
        fresh.rename(target)
        shutil.rmtree(old, ignore_errors=True)


def restore_store(path: Path | str, dump: bytes | Any, source: str | None = None, *,
                  require_trailer: bool = True) -> int:
    """Replace the embedded store at ``path`` by an N-Quads dump, exactly, in bounded memory.

    ``dump`` is a binary file object (``open(f, "rb")``, ``gzip.open(f, "rb")``), read once as a stream,
    or the bytes of a dump. With ``require_trailer`` the dump must end in the trailer :func:`seal_dump`
    writes, whose quad count and SHA-256 are checked as the dump streams in (:class:`DumpReader`); a
    trailer present is checked in any case. Memory does not grow with the dump's size (the quads go to
    ``Store.bulk_extend`` in batches of :data:`RESTORE_BATCH_QUADS`), so a gzip bomb costs time and
    never its inflated size in memory.

    Blank-node labels are kept (a SPARQL ``INSERT DATA`` would rename them), so ``dump → restore →
    dump`` gives the same quads. The dump is loaded into a new directory beside the store, which takes
    the store's place only once every check has passed. An unreadable dump (syntax, gzip) or a failed
    check raises :class:`~policykg.errors.InputError` naming ``source`` (the dump's file), with the line
    and column of a syntax error; a store held by another process, or a write failure, raises
    :class:`~policykg.errors.StoreError`; in every case the store is untouched. Returns the number of
    quads restored.
    """
    target = Path(path)
    reader = DumpReader(io.BytesIO(dump) if isinstance(dump, (bytes, bytearray)) else dump, source,
                        require_trailer=require_trailer)
    # held (its lock taken) while the dump loads, so that no 'serve' or other command opens the store
    # meanwhile and is left reading a directory that is renamed and removed under it
    guard = OxigraphStore(target, "urn:x-policykg:") if target.exists() else None  # StoreError if held
    fresh = target.with_name(target.name + ".restoring")
    old = target.with_name(target.name + ".replaced")
    for leftover in (fresh, old):
        shutil.rmtree(leftover, ignore_errors=True)
    failure: tuple[str, str] | None = None
    new: ox.Store | None = None
    try:
        new = ox.Store(str(fresh))
        count = _load_dump(new, reader)
        new.flush()
    except SyntaxError as exc:
        failure = ("syntax", str(exc))
    except OSError as exc:
        failure = ("read" if reader.read_error is not None else "write", str(exc))
    except MemoryError as exc:  # pyoxigraph's parser buffers one line (statement) of at most 16 MiB
        failure = ("line", str(exc))
    # the store's lock goes with its last reference: drop it (and the exception's frames, above) before
    # its directory is removed or renamed
    new = None
    try:
        if failure is None:
            stated = reader.finish()
            if stated is not None and stated != count:
                raise InputError(f"the dump states {stated} quads but holds {count}: nothing changed", file=source)
        elif failure[0] == "syntax":
            if reader.require_trailer:
                reader.finish()  # a dump cut short or altered is named as such first
            line, column = error_position(failure[1])
            raise InputError(f"not an N-Quads dump, nothing changed: {failure[1]}", file=source, line=line,
                             column=column)
        elif failure[0] == "line":
            raise InputError(f"the dump has a statement longer than the N-Quads parser takes ({failure[1]}); "
                             "nothing changed", file=source, line=None)
        elif failure[0] == "read":
            raise InputError(f"the dump cannot be read ({reader.read_error}); nothing changed", file=source)
        else:
            raise StoreError(f"cannot write the restored store, nothing changed: {failure[1]}")
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        if guard is not None:
            guard.close()
        raise
    if guard is not None:
        guard.close()
        guard = None
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return count


def open_store(settings: Any, *, read_only: bool | None = None) -> Store:
    """Open the store ``settings`` select: remote when ``settings.sparql_endpoint`` is set, else embedded.

    The embedded store is opened read-only when ``read_only`` is true, or when
    it is None and ``settings.store_read_only`` is set.
    Raises :class:`~policykg.errors.StoreError` when it cannot be opened.
    """
    if read_only is None:
        read_only = bool(getattr(settings, "store_read_only", False))
    if settings.sparql_endpoint:
        from .remote import RemoteStore  # noqa: PLC0415 - optional path

        return RemoteStore(settings)
    return OxigraphStore(settings.store_path, settings.base_iri, read_only=read_only)
