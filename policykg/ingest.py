"""Writing to the store: reference data, and validated entries merged atomically.

The rules (``shared/design/architecture.md``): validate first, then replace
each entry's named graph in one transaction; a failed load or merge leaves
the store exactly as it was; merging what the store already holds is a
no-op (the data version does not change).

This module knows nothing of briefings: the CLI runs the loaders and hands
their graphs in as :class:`Entry` objects.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace as with_fields
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence
from urllib.parse import unquote

import pyoxigraph as ox
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF
from rdflib.compare import isomorphic

from .errors import InputError, NotFound, ValidationFailed, WriteConflict
from .reference import load_ontology_graph, load_reference_graph
from .settings import Settings
from .store import Store, as_stored, iri_ref
from .vocab import Minter, PKG, short_hash, slugify

__all__ = ["Entry", "MergeOutcome", "GraphHolding", "GraphInUse", "check_replacements", "ensure_reference", "entries_from_dataset", "merge_entries", "reference_changes",
           "validate_entries", "reserved_graphs", "check_graph_name", "file_graph_slug", "DropOutcome", "GraphNeeded", "affected_by_drop", "entry_graphs",
           "drop_graphs_checked"]


@dataclass
class Entry:
    """One unit of data to merge: the triples of ``graph``, destined for the named graph ``graph_name``.

    ``source`` names where they came from (a file path) for messages.
    """

    graph_name: URIRef
    graph: rdflib.Graph
    source: str
    #: ``{subject IRI: (file, line)}``: where each subject is written, for validation reports.
    lines: dict = field(default_factory=dict)


@dataclass
class MergeOutcome:
    """What a merge did: graphs ``written`` and ``unchanged``, the validation ``report``.

    ``replaced`` lists the graphs of ``written`` that held other triples
    before (their old content is gone); the rest of ``written`` are new graphs.
    """

    written: list[URIRef] = field(default_factory=list)
    unchanged: list[URIRef] = field(default_factory=list)
    report: object = None
    replaced: list[URIRef] = field(default_factory=list)
    #: ``{graph: GraphHolding}``: what each graph of ``written`` and ``unchanged`` held before the merge
    before: dict = field(default_factory=dict)
    #: ``{graph: GraphHolding}``: what each of them holds after it
    after: dict = field(default_factory=dict)

    def changes(self) -> list[dict]:
        """One dict per graph the merge touched: ``graph``, ``status`` (``added``, ``replaced`` or
        ``unchanged``), and ``before``/``after`` (:meth:`GraphHolding.to_json`: triples, policies, sources)."""
        out = []
        for name in [*self.written, *self.unchanged]:
            status = "unchanged" if name in self.unchanged else "replaced" if name in self.replaced else "added"
            out.append({"graph": str(name), "status": status,
                        "before": self.before[name].to_json() if name in self.before else None,
                        "after": self.after[name].to_json() if name in self.after else None})
        return out


@dataclass
class GraphHolding:
    """What one named graph holds: ``triples`` (count), ``policies`` (resources typed ``pkg:Policy``) and
    ``sources``: ``{document IRI: file name}`` for each ``pkg:Briefing`` node in it, the record of where
    its entries come from (a loaded briefing's ``dcterms:identifier``, a curated file's
    ``dcterms:source``; ``None`` when it names no file). Entries sent as plain RDF carry no such node."""

    triples: int = 0
    policies: int = 0
    sources: dict = field(default_factory=dict)

    def describe(self) -> str:
        """``3120 triples, 25 policies, from ccnt-2024-03-04.txt`` (the sources by file name, else IRI)."""
        names = sorted(str(v) if v else str(k) for k, v in self.sources.items())
        origin = f"from {', '.join(names)}" if names else "with no record of its source file (plain RDF entries)"
        return f"{self.triples} triples, {self.policies} policies, {origin}"

    def to_json(self) -> dict:
        """``{"triples", "policies", "sources": [{"document", "file"}]}``."""
        return {"triples": self.triples, "policies": self.policies,
                "sources": [{"document": str(k), "file": None if v is None else str(v)}
                            for k, v in sorted(self.sources.items())]}

    @classmethod
    def of_graph(cls, graph: rdflib.Graph) -> "GraphHolding":
        """What ``graph`` (an entry's triples) holds."""
        sources = {}
        for doc in graph.subjects(RDF.type, PKG.Briefing):
            sources[doc] = _file_name(list(graph.objects(doc, DCTERMS.identifier)),
                                      list(graph.objects(doc, DCTERMS.source)))
        return cls(len(graph), len(set(graph.subjects(RDF.type, PKG.Policy))), sources)

    @classmethod
    def in_store(cls, store: Store, name: URIRef) -> "GraphHolding":
        """What the store's named graph ``name`` holds (three queries, each bounded by the graph); an
        empty holding when the store has no such graph."""
        return _holdings(store, name).get(name) or cls()


def entry_graphs(store: Store) -> dict[URIRef, GraphHolding]:
    """Every entry graph of the store (those under ``{base}graph/`` but :func:`reserved_graphs`) and what
    it holds, ``{graph: GraphHolding}`` in name order: three aggregate queries over the whole store
    (triples, policies, document nodes per graph), not three per graph."""
    held = _holdings(store, None)
    return dict(sorted(((g, h) for g, h in held.items() if _is_entry_graph(g, store.base_iri)),
                       key=lambda kv: str(kv[0])))


def _is_entry_graph(g: object, base_iri: str) -> bool:
    """Whether ``g`` names an entry graph: an IRI under ``{base}graph/`` that is not one of
    :func:`reserved_graphs`."""
    return isinstance(g, URIRef) and str(g).startswith(f"{base_iri}graph/") and g not in reserved_graphs(base_iri)


def _holdings(store: Store, graph: URIRef | None) -> dict[URIRef, GraphHolding]:
    """``{graph: GraphHolding}`` for the one named graph ``graph``, or for every named graph of the store
    when ``graph`` is None: three queries (triples, policies, document nodes), grouped by graph."""
    g = "?g" if graph is None else iri_ref(graph)
    select_g, group = ("?g", "GROUP BY ?g") if graph is None else ("", "")

    def graph_of(row: dict) -> object:
        return row.get("g") if graph is None else graph

    held: dict[URIRef, GraphHolding] = {}
    for row in store.select(f"SELECT {select_g} (COUNT(*) AS ?n) WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }} {group}"):
        if graph_of(row) is not None and int(row["n"]):
            held[graph_of(row)] = GraphHolding(int(row["n"]))
    if not held:
        return held
    for row in store.select(f"SELECT {select_g} (COUNT(DISTINCT ?x) AS ?n) "
                            f"WHERE {{ GRAPH {g} {{ ?x a {iri_ref(PKG.Policy)} }} }} {group}"):
        if graph_of(row) in held:
            held[graph_of(row)].policies = int(row["n"])
    names: dict = {}
    for row in store.select(f"SELECT {select_g} ?d ?p ?f WHERE {{ GRAPH {g} {{ ?d a {iri_ref(PKG.Briefing)} OPTIONAL {{ "
                            f"?d ?p ?f FILTER(?p IN ({iri_ref(DCTERMS.identifier)}, {iri_ref(DCTERMS.source)})) }} }} }}"):
        if graph_of(row) not in held:
            continue
        ids, srcs = names.setdefault((graph_of(row), row["d"]), ([], []))
        if row.get("f") is not None:
            (ids if row["p"] == DCTERMS.identifier else srcs).append(row["f"])
    for (name, d), (ids, srcs) in names.items():
        held[name].sources[d] = _file_name(ids, srcs)
    return held


def _file_name(identifiers: list, sources: list) -> str | None:
    """The file name a document node records: its ``dcterms:identifier`` (a loaded briefing's file
    name), else its ``dcterms:source`` (a curated file's name; a briefing's source URL when it has no
    identifier), the least in code-point order when there are several; None when it has neither. One
    rule for a graph in the store and for new entries, so that the same source compares equal."""
    values = identifiers or sources
    return min(str(v) for v in values) if values else None


class GraphInUse(WriteConflict):
    """A merge would replace a named graph that holds another source's entries (a loaded briefing, a
    curated file of another name): refused, nothing written, unless the merge asks to replace it.

    409 Conflict (RFC 9110 §15.5.10): repeat the merge into another graph, or ask for the replacement
    (``POST /merge?replace=true``, ``policykg merge --replace``).
    """

    title = "Graph holds other entries"
    problem_type = "WriteConflict"  # the documented type: errors.py lists the problem types the server documents


class GraphNeeded(WriteConflict):
    """A drop would leave statements of other graphs about resources that only the dropped graphs give a
    class (a policy that a briefing describes and a curated file gives one more target): refused,
    nothing dropped. 409 Conflict (RFC 9110 §15.5.10): drop those graphs too, in the same call.
    """

    title = "Graph needed by other entries"
    problem_type = "WriteConflict"


def reserved_graphs(base_iri: str) -> frozenset[URIRef]:
    """The store's own named graphs, which no entry may write: ontology, reference data, data version."""
    return frozenset(URIRef(f"{base_iri}graph/{name}") for name in ("ontology", "reference", "meta"))


def check_graph_name(name: object, base_iri: str, source: str) -> URIRef:
    """``name`` as the IRI of an entry's named graph; InputError (field ``graph``) when it cannot be one.

    A graph name must be an IRI (a blank-node graph label cannot be named
    again, so it could never be replaced or deleted) under ``{base}graph/``
    (the graphs a store lists, dumps and replaces; on a shared server, the
    only ones that are this dataset's), and not one of
    :func:`reserved_graphs`: those are rebuilt from ``ontology/`` and by
    every write, and an entry written there would corrupt the store.
    """
    if not isinstance(name, URIRef):
        raise InputError(f"named graph {name} has a blank-node label; give each graph of an entry an IRI",
                         file=source, field="graph")
    if name in reserved_graphs(base_iri):
        raise InputError(f"<{name}> is one of the store's own graphs (ontology, reference data, data version); "
                         "entries cannot write it: rename the file, or name another graph", file=source,
                         field="graph")
    if not str(name).startswith(f"{base_iri}graph/") or len(str(name)) == len(f"{base_iri}graph/"):
        raise InputError(f"<{name}> is not a graph of this store: policykg's named graphs are {base_iri}graph/"
                         "{name} (a store on a shared server lists, dumps and replaces only those)", file=source,
                         field="graph")
    _check_graph_path(name, str(name)[len(f"{base_iri}graph/"):], base_iri, source)
    return name


#: A percent-encoded octet (RFC 3986 §2.1).
_PCT = re.compile(r"%([0-9A-Fa-f]{2})")
#: Characters RFC 3986 §2.3 calls unreserved: percent-encoding them changes nothing (§6.2.2.2).
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _check_graph_path(name: URIRef, rest: str, base_iri: str, source: str) -> None:
    """Refuse a graph name whose part after ``{base}graph/`` (``rest``) misleads: InputError, field ``graph``.

    * a query (``?``) or a fragment (``#``): ``graph/meta?x`` and ``graph/meta#x`` are other IRIs than
      ``graph/meta``, yet a client or a server that drops the query or fragment reads the store's own graph;
    * a dot segment (``.`` or ``..``, also percent-encoded as ``%2E``): RFC 3986 §5.2.4 removes them when
      the IRI is resolved, so ``graph/../meta`` is written under one name and dereferenced as another
      (``{base}meta``, which is no graph);
    * a character a reader cannot see (Unicode general categories Cc, Cf, Zs, Zl, Zp: U+200B zero width
      space, U+FEFF, the soft hyphen U+00AD, U+200D zero width joiner, bidi controls, U+00A0...), as
      itself or percent-encoded (``%E2%80%8B``, which an IRI display decodes, RFC 3987 §3.2):
      ``graph/meta<U+200B>`` looks like ``graph/meta`` wherever it is shown;
    * a name that normalises (RFC 3986 §6.2.2: percent-encoded unreserved characters decoded, dot
      segments removed) to one of :func:`reserved_graphs`; and, beyond §6.2.2, one that differs from a
      reserved name only by letter case, compatibility forms (NFKC: fullwidth ``Ｍｅｔａ``) or a trailing
      or doubled ``/`` (``META``, ``meta/``): names that a reader takes for the store's own graph.
    """
    def refuse(why: str) -> None:
        raise InputError(f"<{name}> {why}: name the graph {base_iri}graph/{{name}} with a plain name "
                         "(letters, digits, '-', '_', '.')", file=source, field="graph")

    if "?" in rest or "#" in rest:
        refuse("has a query ('?') or a fragment ('#'), which a client may drop or never send")
    shown = _decode_iri_text(rest)
    hidden = sorted({c for c in shown if unicodedata.category(c) in _INVISIBLE})
    if hidden:
        refuse("holds a character a reader cannot see (" + ", ".join(
            f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed')}" for c in hidden)
            + "), as itself or percent-encoded: the name would show as another graph's")
    decoded = _PCT.sub(lambda m: chr(int(m.group(1), 16)) if chr(int(m.group(1), 16)) in _UNRESERVED
                       else m.group(0).upper(), rest)
    segments = decoded.split("/")
    if any(seg in (".", "..") for seg in segments):
        refuse("has a dot segment ('.' or '..', RFC 3986 §3.3), which resolving the IRI removes "
               "(RFC 3986 §5.2.4): it would be written under one name and read under another")
    plain = unicodedata.normalize("NFKC", "/".join(seg for seg in segments if seg)).casefold()
    reserved = {str(g)[len(f"{base_iri}graph/"):] for g in reserved_graphs(base_iri)}
    if plain in reserved:
        raise InputError(f"<{name}> reads as <{base_iri}graph/{plain}>, one of the store's own graphs (ontology, "
                         "reference data, data version); entries cannot write it: name another graph",
                         file=source, field="graph")


#: Unicode general categories of characters a reader cannot see in an IRI (Unicode §4.5): controls (Cc),
#: format characters (Cf: U+200B, U+200D, U+FEFF, U+00AD, bidi controls) and separators (Zs, Zl, Zp).
_INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


def _decode_iri_text(text: str, rounds: int = 3) -> str:
    """``text`` with its percent-encoded UTF-8 octets decoded, as an IRI display shows them (RFC 3987 §3.2),
    up to ``rounds`` times (``%25E2%2580%258B`` is ``%E2%80%8B`` once decoded); octets that are no UTF-8
    read as U+FFFD."""
    for _ in range(rounds):
        decoded = unquote(text, errors="replace") if "%" in text else text
        if decoded == text:
            break
        text = decoded
    return text


def _hash_files(files: Sequence[Path], base_iri: str) -> str:
    """SHA-256 over the base IRI and the names and bytes of ``files`` (what a graph is built from)."""
    h = hashlib.sha256(base_iri.encode("utf-8"))
    for f in files:
        h.update(f.name.encode("utf-8") + b"\0")
        h.update(f.read_bytes() if f.exists() else b"")
    return h.hexdigest()


def ensure_reference(store: Store, settings: Settings) -> bool:
    """Load the ontology and the reference data into their named graphs when missing or changed.

    Returns True when something was written. See :func:`reference_changes`.
    """
    changes = reference_changes(store, settings)
    if changes:
        store.replace_graphs(changes)
    return bool(changes)


def reference_changes(store: Store, settings: Settings) -> dict[URIRef, rdflib.Graph]:
    """The ontology and reference graphs that are missing from the store or out of date.

    The graphs' content hash (of the files they are built from) is stored with
    them (``pkg:contentHash``), so an unchanged ontology is not rewritten.
    Returns ``{graph name: graph}``, empty when the store is up to date; writing
    them is the caller's, so that a merge can do it in its own transaction.
    """
    minter = Minter(settings.base_iri)
    root = Path(settings.ontology_dir)
    wanted = {
        minter.ontology_graph: (load_ontology_graph, [root / "policykg.ttl", *sorted((root / "vocab").glob("*.ttl"))]),
        minter.reference_graph: (load_reference_graph, sorted((root / "reference").glob("*.ttl"))),
    }
    changes: dict[URIRef, rdflib.Graph] = {}
    for name, (load, files) in wanted.items():
        digest = _hash_files(files, settings.base_iri)
        have = store.select(
            f"SELECT ?h WHERE {{ GRAPH {iri_ref(name)} {{ {iri_ref(name)} {iri_ref(PKG.contentHash)} ?h }} }}")
        if have and str(have[0]["h"]) == digest:
            continue
        graph = load(root, base=settings.base_iri)
        graph.add((name, PKG.contentHash, Literal(digest)))
        changes[name] = graph
    return changes


def file_graph_slug(source: str) -> str:
    """The slug of the named graph a file fills: its stem's (``my-policies``), or, when the stem has no
    letter or digit a slug keeps (``政策一``), ``entry-`` + a hash of the file name, so that two such files
    fill two graphs."""
    stem = Path(source).stem
    return slugify(stem) or f"entry-{short_hash(Path(source).name)}"


def entries_from_dataset(dataset: rdflib.Dataset, source: str, minter: Minter,
                         text: str | None = None, default_graph: URIRef | None = None) -> list[Entry]:
    """Split a parsed file into entries: each named graph it names, plus its default graph.

    The default graph's triples go to ``default_graph``, else to
    ``{base}graph/{slug of the file stem}``: a merge replaces that graph, so
    a second file of the same name replaces the first one's entries.
    ``text`` (the file's Turtle/N-Triples/TriG source) lets reports give the
    line where each subject is written. Raises InputError (field ``graph``)
    for a graph name :func:`check_graph_name` refuses.
    """
    entries = []
    default = dataset.default_graph
    if len(default):
        g = rdflib.Graph()
        for t in default:
            g.add(t)
        name = default_graph if default_graph is not None else minter.graph(file_graph_slug(source))
        entries.append(Entry(check_graph_name(name, minter.base, source), g, source, _subject_lines(text, g, source)))
    for ctx in dataset.contexts():
        if ctx.identifier == default.identifier or not len(ctx):
            continue
        g = rdflib.Graph()
        for t in ctx:
            g.add(t)
        entries.append(Entry(check_graph_name(ctx.identifier, minter.base, source), g, source,
                             _subject_lines(text, g, source)))
    return entries


def _subject_lines(text: str | None, graph: rdflib.Graph, source: str) -> dict:
    """``{subject: SourceLocation}`` for a Turtle-family source text (see ``validation.subject_lines``,
    which reads the text's own prefix declarations where they stand)."""
    if not text:
        return {}
    from .validation import subject_lines  # noqa: PLC0415

    return subject_lines(text, graph, source)


def _union(entries: Sequence[Entry]) -> rdflib.Graph:
    data = rdflib.Graph()
    for e in entries:
        for t in e.graph:
            data.add(t)
    return data


def validate_entries(store: Store | None, validator: object, entries: Sequence[Entry], *,
                     reference: rdflib.Graph | None = None) -> object:
    """Validate ``entries`` in the context of the store (or of ``reference`` alone when no store).

    The data graph is the new triples plus the neighbourhood they reference
    in the store (``policykg.validation.incremental_context``), so the cost
    grows with the change, not with the graph. The neighbourhood is read
    from the store as the merge would leave it: the named graphs the entries
    replace are left out, so an edited entry is checked against the rest of
    the store, not against its own old copy. Returns the validation report.
    """
    from .validation import SourceLocation, incremental_context  # noqa: PLC0415

    data = as_stored(_union(entries))
    lines: dict = {}
    for e in entries:  # a subject two files describe: each result placed in the file that writes its property
        for subject, place in e.lines.items():
            before = lines.get(subject)
            if before is None:
                lines[subject] = place
            else:
                first = before if isinstance(before, SourceLocation) else SourceLocation(*before[:2])
                lines[subject] = first.joined(place)
    context = rdflib.Graph()
    if reference is not None:
        context += reference
    replaced = {e.graph_name for e in entries}
    if store is not None:
        context += incremental_context(store.construct, data)
        _forget_replaced(store, context, replaced)
    report = validator.validate(data, context=context, source_lines=lines or None)  # type: ignore[attr-defined]
    if store is not None:
        _name_conflicting_values(store, report, entries, replaced)
    return report


_MAX_COUNT = "http://www.w3.org/ns/shacl#MaxCountConstraintComponent"


def _name_conflicting_values(store: Store, report: object, entries: Sequence[Entry], replaced: set[URIRef]) -> None:
    """Add to each ``sh:maxCount`` violation of a stored resource the values it would have and where each
    comes from (a named graph of the store, or the entry's file).

    A maxCount result carries no value (SHACL 1.0 §4.2.2): a curator told only "more than 1 value" for a
    policy that an earlier briefing already gave another date cannot see which two dates clash.
    """
    for r in getattr(report, "results", []):
        if r.constraint != _MAX_COUNT or not r.path or not r.focus_node.startswith(("http://", "https://")) \
                or not r.path.startswith(("http://", "https://")):
            continue
        focus, path = URIRef(r.focus_node), URIRef(r.path)
        found = [(str(row["v"]), str(row["g"])) for row in store.select(
            "SELECT ?s ?p ?v ?g WHERE { GRAPH ?g { ?s ?p ?v } } ORDER BY ?g", {"s": focus, "p": path})
            if row["g"] not in replaced]
        found += [(str(v), e.source) for e in entries for v in e.graph.objects(focus, path)]
        if len({v for v, _ in found}) > 1:
            r.message += " (values: " + "; ".join(f"{v!r} in {where}" for v, where in found) + ")"


def _forget_replaced(store: Store, context: rdflib.Graph, graphs: set[URIRef]) -> None:
    """Remove from ``context`` what only ``graphs`` hold: the store as the merge replacing them leaves it.

    ``context`` was read from the union of the store's graphs. A triple of a
    graph about to be replaced stays in it only when another graph holds it
    too (one ``VALUES`` query per 200 triples, ``GRAPH ?g`` with ``?g`` not
    one of ``graphs``). The cost grows with the replaced graphs, not with the
    store, and it needs no ``FROM`` list, which remote servers with a union
    default graph ignore. Triples with blank nodes, which ``VALUES`` cannot
    name, are removed.
    """
    from .remote import nt_term  # noqa: PLC0415 - N-Triples terms for VALUES

    existing = [g for g in sorted(graphs) if store.ask(f"ASK {{ GRAPH {iri_ref(g)} {{ ?s ?p ?o }} }}")]
    if not existing:
        return
    stale = set()
    for g in existing:
        old = store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {iri_ref(g)} {{ ?s ?p ?o }} }}")
        stale.update(t for t in old if t in context)
    ground = sorted((t for t in stale if not any(isinstance(x, rdflib.BNode) for x in t)), key=str)
    elsewhere: set = set()
    others = ", ".join(iri_ref(g) for g in existing)
    for i in range(0, len(ground), 200):
        rows = " ".join("(" + " ".join(nt_term(x) for x in t) + ")" for t in ground[i:i + 200])
        found = store.select(f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES (?s ?p ?o) {{ {rows} }} "
                             f"GRAPH ?g {{ ?s ?p ?o }} FILTER(?g NOT IN ({others})) }}")
        elsewhere.update((r["s"], r["p"], r["o"]) for r in found)
    for t in stale - elsewhere:
        context.remove(t)


def check_replacements(store: Store, entries: Sequence[Entry], *, replace: bool = False) -> dict:
    """What each entry's named graph holds now, ``{graph: GraphHolding}``; :class:`GraphInUse` (409) when
    the merge would replace a graph that holds another source's entries, unless ``replace``.

    A graph's source is recorded by its document node (``pkg:Briefing``: a loaded briefing's, or a
    curated file's ``Curated entries: name``) and that node's file name (``dcterms:identifier`` or
    ``dcterms:source``; see :class:`GraphHolding`). Replacing is allowed when every (document, file
    name) the graph holds comes back in the new entries (the same briefing loaded again, the same
    curated file edited), and when the graph holds no document and the new entries none either
    (plain RDF replaced by plain RDF: its source is not recorded). It is refused when the graph holds a
    source the new entries drop: a CSV sent to a briefing's graph deletes the briefing, even when its
    document node has the briefing's IRI (``notes.csv`` sent to ``graph/notes-csv``, the graph of a
    briefing ``notes-csv.txt``: a file of another name is another source); or when it holds plain RDF
    and the new entries come from a file (the other way round).
    """
    holdings = {}
    for e in _group(entries):
        held = GraphHolding.in_store(store, e.graph_name)
        holdings[e.graph_name] = held
        if replace or not held.triples:
            continue
        new = GraphHolding.of_graph(e.graph)
        dropped = sorted({d for d, f in held.sources.items() if new.sources.get(d, ()) != f}, key=str)
        if dropped or (not held.sources and new.sources):
            what = ("its source " + ", ".join(f"{held.sources[d] or d}" for d in dropped)) if dropped \
                else "entries of no recorded source"
            raise GraphInUse(
                f"<{e.graph_name}> holds {held.describe()}; merging {e.source} there would replace all of it "
                f"(and drop {what}). Nothing was written. Merge into another graph (POST /merge without "
                "?graph=, or another ?graph=; on the command line, a file of another name), or, to delete what "
                "the graph holds and put these entries in its place, ask for it: POST /merge?replace=true, "
                "policykg merge --replace",
                graph=str(e.graph_name), holds=held.to_json(), field="graph")
    return holdings


def merge_entries(store: Store, validator: object, entries: Sequence[Entry], *,
                  also_write: Mapping[URIRef, rdflib.Graph] | None = None,
                  reference: rdflib.Graph | None = None, replace: bool = False) -> MergeOutcome:
    """Validate ``entries`` and, only if there is no violation, write them in one transaction.

    ``also_write`` (e.g. :func:`reference_changes`) is written in the same
    transaction; ``reference`` is extra validation context (the reference data
    when the store does not hold it yet). Entries whose named graph already
    holds exactly the same triples are skipped, so a second run is a no-op.
    Raises :class:`~policykg.errors.InputError` for an entry bound for one of
    the store's own graphs (:func:`check_graph_name`), and
    :class:`~policykg.errors.ValidationFailed` (carrying the report) on
    a violation, :class:`~policykg.errors.StoreError` if the write fails; in
    both cases the store is unchanged.

    The write happens only if the store is still in the state the entries were
    validated against (``replace_graphs(if_version=...)``): when another write
    came in between, the entries are validated again against the new state, up
    to :data:`MERGE_ATTEMPTS` times, then
    :class:`~policykg.errors.WriteConflict` is raised.

    A graph that holds another source's entries is not replaced unless ``replace`` is true
    (:func:`check_replacements`: :class:`GraphInUse`, 409, before validation). The outcome's
    ``before``/``after`` say what each graph held before and after (triples, policies, sources).
    """
    for e in entries:
        check_graph_name(e.graph_name, store.base_iri, e.source)
    entries = [Entry(e.graph_name, as_stored(e.graph), e.source, e.lines) for e in entries]

    def check() -> tuple[MergeOutcome, dict]:
        holdings = check_replacements(store, entries, replace=replace)
        report = validate_entries(store, validator, entries, reference=reference)
        if not report.conforms:  # type: ignore[attr-defined]
            raise ValidationFailed(
                f"{len(report.violations)} violation(s); nothing was written",  # type: ignore[attr-defined]
                report=report)
        outcome = MergeOutcome(report=report)
        changes: dict[URIRef, rdflib.Graph] = dict(also_write or {})
        for e in _group(entries):
            current = store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {iri_ref(e.graph_name)} {{ ?s ?p ?o }} }}")
            outcome.before[e.graph_name] = holdings.get(e.graph_name) or GraphHolding.of_graph(current)
            if len(current) == len(e.graph) and isomorphic(current, e.graph):
                outcome.unchanged.append(e.graph_name)
                outcome.after[e.graph_name] = outcome.before[e.graph_name]
            else:
                changes[e.graph_name] = e.graph
                outcome.written.append(e.graph_name)
                outcome.after[e.graph_name] = GraphHolding.of_graph(e.graph)
                if len(current):
                    outcome.replaced.append(e.graph_name)
        return outcome, changes

    # the write is conditional on the state the entries were checked against (a remote store has no
    # process lock: another curator's merge may land in between); then they are checked again
    return _write_checked(store, check)


#: How often :func:`merge_entries` checks and writes again when another write came in between.
MERGE_ATTEMPTS = 3


def _write_checked(store: Store, check: Callable[[], tuple[object, dict]]) -> object:
    """Run ``check() -> (outcome, {graph: triples})`` and write its graphs (an empty graph drops one) only if
    the store's data version is still the one read before the check (``replace_graphs(if_version=...)``):
    when another write came in between, check and write again, up to :data:`MERGE_ATTEMPTS` times, then
    :class:`~policykg.errors.WriteConflict`. Returns the outcome; nothing is written when there is nothing
    to change. The errors ``check`` raises (a violation, a graph in use) pass through, nothing written."""
    for attempt in range(1, MERGE_ATTEMPTS + 1):
        version = store.data_version().tag
        outcome, changes = check()
        if not changes:
            return outcome
        try:
            store.replace_graphs(changes, if_version=version)
            return outcome
        except WriteConflict:
            if attempt == MERGE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


@dataclass
class DropOutcome:
    """What :func:`drop_graphs_checked` did: ``dropped``, ``{graph: GraphHolding}`` (what each graph held
    before it was dropped), and ``report``, the validation of the resources of other graphs the drop
    touches (None when it touches none)."""

    dropped: dict = field(default_factory=dict)
    report: object = None
    #: resources of the remaining graphs that were validated again (see :func:`affected_by_drop`)
    checked: int = 0
    #: warnings the drop brings (results of severity Warning that the check before it did not have),
    #: each placed (``file``) on the graphs that hold its statement
    new_warnings: list = field(default_factory=list)


def affected_by_drop(store: Store, names: Sequence[URIRef]) -> list[URIRef]:
    """The resources whose validation can change when the named graphs ``names`` are dropped, sorted:

    * every IRI that is a subject in ``names`` and in another graph (a policy that a briefing gave its
      title and a curated file a target: without the briefing it has no title);
    * every IRI object (but ``rdf:type``'s) in ``names`` that another entry graph describes (a target
      written in another graph: the policy that sets it goes);
    * every subject of ``names`` that loses one of its classes (an ``rdf:type`` only ``names`` hold) or
      all its triples and that a subject of another entry graph refers to, with those subjects (an
      agency first named by the dropped briefing: the policies of other briefings that cite it would
      point at a resource of no class; an evidence span only the dropped graph describes, cited by a
      policy of another);
    * the instances, in other graphs, of a class that ``names`` declare ``rdfs:subClassOf`` another, and
      the subjects of other entry graphs that refer to them;
    * every IRI subject of another entry graph that refers to a blank node of ``names`` (a blank node one
      TriG file put in two graphs): its blank-node objects are checked with it (:func:`_described`).

    The store's own graphs (:func:`reserved_graphs`) count as "another graph" for the first rule only,
    so that the regions, agencies and concepts an entry refers to are not all checked again. Five
    queries, each bounded by the dropped graphs' triples and the index lookups they make.
    """
    dropped = " ".join(iri_ref(g) for g in names)
    not_dropped = ", ".join(iri_ref(g) for g in names)
    own = ", ".join(iri_ref(g) for g in [*names, *sorted(reserved_graphs(store.base_iri))])
    rdf_type, sub_class = iri_ref(RDF.type), iri_ref(rdflib.RDFS.subClassOf)
    elsewhere = f"FILTER(?h NOT IN ({not_dropped}))"
    referrer = f"GRAPH ?g {{ ?x ?q ?y }} FILTER(isIRI(?x) && ?g NOT IN ({own}))"
    queries = [
        f"SELECT DISTINCT ?x WHERE {{ VALUES ?d {{ {dropped} }} GRAPH ?d {{ ?x ?p ?o }} FILTER(isIRI(?x)) "
        f"GRAPH ?g {{ ?x ?q ?v }} FILTER(?g NOT IN ({not_dropped})) }}",
        f"SELECT DISTINCT ?x WHERE {{ VALUES ?d {{ {dropped} }} GRAPH ?d {{ ?s ?p ?x }} "
        f"FILTER(isIRI(?x) && ?p != {rdf_type}) GRAPH ?g {{ ?x ?q ?v }} FILTER(?g NOT IN ({own})) }}",
        f"SELECT DISTINCT ?y ?x WHERE {{ VALUES ?d {{ {dropped} }} GRAPH ?d {{ ?y {rdf_type} ?t }} FILTER(isIRI(?y)) "
        f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?y {rdf_type} ?t }} {elsewhere} }} {referrer} }}",
        f"SELECT DISTINCT ?y ?x WHERE {{ VALUES ?d {{ {dropped} }} GRAPH ?d {{ ?y ?p ?o }} FILTER(isIRI(?y)) "
        f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?y ?p2 ?o2 }} {elsewhere} }} {referrer} }}",
        f"SELECT DISTINCT ?y ?x WHERE {{ VALUES ?d {{ {dropped} }} GRAPH ?d {{ ?c {sub_class} ?super }} "
        f"GRAPH ?i {{ ?y {rdf_type} ?c }} FILTER(isIRI(?y) && ?i NOT IN ({not_dropped})) OPTIONAL {{ {referrer} }} }}",
        f"SELECT DISTINCT ?x WHERE {{ VALUES ?d {{ {dropped} }} GRAPH ?d {{ ?y ?p ?o }} FILTER(isBlank(?y)) "
        f"GRAPH ?g {{ ?x ?q ?y }} FILTER(isIRI(?x) && ?g NOT IN ({own})) }}",
    ]
    found: set[URIRef] = set()
    for q in queries:
        for row in store.select(q):
            found.update(v for v in (row.get("x"), row.get("y")) if isinstance(v, URIRef))
    return sorted(found, key=str)


#: The predicates the shapes read backwards (``sh:inversePath``): a target needs a policy that sets it, a
#: provision one that has it (``shapes/target.ttl``, TargetOwnerShape and ProvisionOwnerShape). A test
#: checks this list against the shapes.
INVERSE_PATHS = (PKG.setsTarget, PKG.hasProvision)


def _described(store: Store, subjects: Sequence[URIRef], leaving_out: Sequence[URIRef]) -> tuple[rdflib.Graph, rdflib.Graph]:
    """``(data, links)``: the triples of ``subjects`` in the store's graphs but ``leaving_out``, and the
    triples of those graphs that point at them by one of :data:`INVERSE_PATHS` (200 subjects a query)."""
    from .remote import nt_term  # noqa: PLC0415 - N-Triples terms for VALUES

    data, links = rdflib.Graph(), rdflib.Graph()
    unless = f"FILTER(?g NOT IN ({', '.join(iri_ref(g) for g in leaving_out)}))" if leaving_out else ""
    inverse = ", ".join(iri_ref(p) for p in INVERSE_PATHS)
    for i in range(0, len(subjects), 200):
        values = " ".join(nt_term(s) for s in subjects[i:i + 200])
        data += store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {values} }} "
                                f"GRAPH ?g {{ ?s ?p ?o }} {unless} }}")
        # their blank-node objects (an evidence span written as [ ... ]), which have no IRI to name them by
        data += store.construct(f"CONSTRUCT {{ ?b ?p ?o }} WHERE {{ VALUES ?s {{ {values} }} GRAPH ?f {{ ?s ?q ?b }} "
                                f"FILTER(isBlank(?b)) GRAPH ?g {{ ?b ?p ?o }} {unless} }}")
        links += store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?o {{ {values} }} "
                                 f"GRAPH ?g {{ ?s ?p ?o }} FILTER(?p IN ({inverse})) {unless} }}")
    classes = f"GRAPH ?g {{ ?c {iri_ref(rdflib.RDFS.subClassOf)} ?super }} FILTER(?g NOT IN " \
              f"({', '.join(iri_ref(g) for g in [*leaving_out, *sorted(reserved_graphs(store.base_iri))])}))"
    # class axioms of entry graphs (the validator holds the ontology's own): instances keep their classes
    links += store.construct(f"CONSTRUCT {{ ?c {iri_ref(rdflib.RDFS.subClassOf)} ?super }} WHERE {{ {classes} }}")
    return data, links


def _result_key(r: object) -> tuple:
    return (r.focus_node, r.path, r.constraint, r.source_shape, r.value)  # type: ignore[attr-defined]


def drop_graphs_checked(store: Store, validator: object, names: Sequence[URIRef]) -> DropOutcome:
    """Drop the entry graphs ``names`` in one transaction, unless that breaks what the other graphs hold.

    Each name must be an entry graph of the store (:func:`check_graph_name`: the store's own graphs are
    refused, InputError with field ``graph``) that holds triples (:class:`~policykg.errors.NotFound`
    otherwise, naming the graphs the store has). The resources the drop touches
    (:func:`affected_by_drop`) are validated twice, as the store holds them and as the drop would leave
    them; a violation the drop would bring (one the first run does not have) refuses it:
    :class:`~policykg.errors.ValidationFailed` with a report of those violations, nothing dropped
    (drop the graphs that depend on it in the same call, or correct them first). Violations that were
    there before do not block.

    The drop is conditional on the data version the check read (``replace_graphs(if_version=...)``,
    as :func:`merge_entries`): when another write came in between, the check runs again, up to
    :data:`MERGE_ATTEMPTS` times, then :class:`~policykg.errors.WriteConflict`. The data version
    changes, so the server's cached pages and aggregates are recomputed.
    """
    names = sorted(set(names), key=str)
    if not names:
        raise InputError("name at least one graph to drop", field="graph")
    for name in names:
        if name in reserved_graphs(store.base_iri):
            raise InputError(f"<{name}> is one of the store's own graphs (ontology, reference data, data version), "
                             "which are rebuilt from ontology/ and by every write; only entry graphs can be dropped",
                             field="graph")
        check_graph_name(name, store.base_iri, "graph")
        try:
            iri_ref(name)
            ox.NamedNode(str(name))  # the engine's own IRI check (RFC 3987): a broken '%ZZ' escape, ...
        except ValueError as exc:
            raise InputError(f"{str(name)!r} is not an IRI ({exc}): no graph has that name", field="graph") from None

    def check() -> tuple[DropOutcome, dict]:
        outcome = DropOutcome()
        for name in names:
            held = GraphHolding.in_store(store, name)
            if not held.triples:
                others = "; nothing was dropped" if len(names) > 1 else ""
                raise NotFound(_no_such_graph(store, name) + others, graph=str(name), field="graph")
            outcome.dropped[name] = held
        _refuse_orphans(store, names)
        affected = affected_by_drop(store, names)
        for start in range(0, len(affected), DROP_CHECK_CHUNK):
            chunk = affected[start:start + DROP_CHECK_CHUNK]
            report, new, new_warnings = _check_drop(store, validator, names, chunk)
            outcome.checked += len(chunk)
            outcome.report = report
            outcome.new_warnings += new_warnings
            if new:
                shown = with_fields(report, results=new, conforms=False)
                listed = ", ".join(f"<{g}>" for g in names)
                holding = sorted({g for r in new for g in (r.file or "").split(", ") if g})
                among = f" (found among the first {outcome.checked} of the {len(affected)} resources it touches)" \
                    if outcome.checked < len(affected) else ""
                raise ValidationFailed(
                    f"dropping {listed} would leave {len(new)} violation(s) in the graphs that remain ("
                    + (", ".join(holding) or "see the report") + f"){among}; nothing was dropped. Drop those "
                    "graphs with it (policykg drop NAME... ; DELETE /graph/{name}?also={other}), or first merge "
                    "them again without what points at it", report=shown,
                    graph=[str(g) for g in names], needed_by=[g.strip("<>") for g in holding])
        return outcome, {name: rdflib.Graph() for name in names}

    return _write_checked(store, check)


#: Resources :func:`drop_graphs_checked` validates at a time: a drop that breaks a hub (a graph that types
#: an agency thousands of policies cite) is refused after the first chunk with a violation, not after all.
DROP_CHECK_CHUNK = 250


def _check_drop(store: Store, validator: object, names: Sequence[URIRef], affected: Sequence[URIRef]) -> tuple:
    """``(report, new violations, new warnings)`` of ``affected`` validated as the store holds them and as
    the drop of ``names`` would leave them; each new result placed on the graphs holding its statement."""
    before_data, before_links = _described(store, affected, [])
    after_data, after_links = _described(store, affected, names)
    blank = {s for s in (*before_data.subjects(), *after_data.subjects()) if isinstance(s, rdflib.BNode)}
    focus = [*affected, *sorted(blank, key=str)]
    before = validator.validate(before_data, focus_nodes=focus,  # type: ignore[attr-defined]
                                context=_context(store, before_data, set()) + before_links)
    report = validator.validate(after_data, focus_nodes=focus,  # type: ignore[attr-defined]
                                context=_context(store, after_data, set(names)) + after_links)
    known = {_result_key(r) for r in before.results}
    new = [r for r in report.violations if _result_key(r) not in known]
    warnings = [r for r in report.warnings if _result_key(r) not in known]
    _name_graphs(store, new + warnings, names)
    return report, new, warnings


def _name_graphs(store: Store, results: list, leaving_out: Sequence[URIRef]) -> None:
    """Set each result's ``file`` to the graphs (of those that remain) that hold its statement, so that
    the curator knows which entries to correct: `` (<{base}graph/my-notes-csv>)``. The statement is the
    focus node's triples on the result's path (a plain property) with its value when it has one; for
    a result with no such triple left (a missing value, an inverse or complex path), the graphs that
    describe the focus node."""
    unless = ", ".join(iri_ref(g) for g in leaving_out)
    for r in results:
        if r.file or not r.focus_node.startswith(("http://", "https://")):
            continue
        try:
            focus = iri_ref(r.focus_node)
            path = iri_ref(r.path) if r.path and r.path.startswith(("http://", "https://")) else None
            value = iri_ref(r.value) if path and r.value and r.value.startswith(("http://", "https://")) else "?o"
        except ValueError:  # not an IRI SPARQL text can hold: leave the result unplaced
            continue
        rows = []
        if path:
            rows = store.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {focus} {path} {value} }} "
                                f"FILTER(?g NOT IN ({unless})) }}")
        if not rows:
            rows = store.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {focus} ?p ?o }} FILTER(?g NOT IN ({unless})) }}")
        if rows:
            r.file = ", ".join(sorted(f"<{row['g']}>" for row in rows))


def _refuse_orphans(store: Store, names: Sequence[URIRef]) -> None:
    """:class:`GraphNeeded` when another graph makes statements about a resource that only ``names`` give
    an ``rdf:type``: after the drop it would be a resource of no class (no shape targets it, no page
    names it), holding, say, one ``pkg:setsTarget`` and no title. One query, bounded by the typed
    subjects of ``names``; the message names at most 10 such resources and the graphs that keep them."""
    dropped = " ".join(iri_ref(g) for g in names)
    not_dropped = ", ".join(iri_ref(g) for g in names)
    rdf_type = iri_ref(RDF.type)
    rows = store.select(
        f"SELECT ?x (GROUP_CONCAT(DISTINCT STR(?g); separator=\" \") AS ?graphs) WHERE {{ VALUES ?d {{ {dropped} }} "
        f"GRAPH ?d {{ ?x {rdf_type} ?t }} FILTER NOT EXISTS {{ GRAPH ?h {{ ?x {rdf_type} ?u }} "
        f"FILTER(?h NOT IN ({not_dropped})) }} GRAPH ?g {{ ?x ?q ?v }} FILTER(?g NOT IN ({not_dropped})) }} "
        "GROUP BY ?x ORDER BY ?x")
    if not rows:
        return
    keeping = sorted({g for row in rows for g in str(row["graphs"]).split()})
    shown = "; ".join(f"<{row['x']}> (in {', '.join(f'<{g}>' for g in sorted(str(row['graphs']).split()))})"
                      for row in rows[:10])
    more = f" and {len(rows) - 10} more" if len(rows) > 10 else ""
    listed = ", ".join(f"<{g}>" for g in names)
    raise GraphNeeded(
        f"dropping {listed} would leave {len(rows)} resource(s) that other graphs still make statements about "
        f"with no class: {shown}{more}. Nothing was dropped: drop those graphs too, in the same call, or merge "
        "them again without those statements first", graph=[str(g) for g in names], needed_by=keeping,
        field="graph")


def _context(store: Store, data: rdflib.Graph, leaving_out: set[URIRef]) -> rdflib.Graph:
    """The store neighbourhood ``data`` refers to, without what only the graphs ``leaving_out`` hold."""
    from .validation import incremental_context  # noqa: PLC0415

    context = incremental_context(store.construct, data)
    if leaving_out:
        _forget_replaced(store, context, leaving_out)
    return context


def _no_such_graph(store: Store, name: URIRef) -> str:
    """"no graph <name> in the store", with the closest graph names the store has."""
    import difflib  # noqa: PLC0415

    prefix = f"{store.base_iri}graph/"
    have = sorted(str(g)[len(prefix):] for g in store.graph_names() if _is_entry_graph(g, store.base_iri))
    close = difflib.get_close_matches(str(name)[len(prefix):], have, n=3, cutoff=0.6)
    hint = (f"; did you mean {', '.join(close)}?" if close
            else f"; it has {len(have)} entry graph(s)" + (f": {', '.join(have[:10])}" + (", ..." if len(have) > 10 else "")
                                                           if have else ""))
    return f"no graph <{name}> in the store, or it is empty{hint}"


def _group(entries: Iterable[Entry]) -> list[Entry]:
    """Merge entries bound for the same named graph (several files may add to one graph)."""
    by_name: dict[URIRef, Entry] = {}
    for e in entries:
        if e.graph_name in by_name:
            by_name[e.graph_name].graph += e.graph
        else:
            by_name[e.graph_name] = Entry(e.graph_name, rdflib.Graph() + e.graph, e.source)
    return list(by_name.values())
