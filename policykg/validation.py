"""SHACL validation before merge: shapes in ``shapes/``, pySHACL as the engine.

Nothing that violates the shapes is merged (``shared/design/architecture.md``).
Severities follow SHACL 1.0 §2.1.5: ``sh:Violation`` blocks a merge,
``sh:Warning`` and ``sh:Info`` never do.

Two ways to validate:

* **full**: :meth:`Validator.validate` on a whole graph (a loaded document plus
  the reference data it points to);
* **incremental**: the data graph is only the new triples plus the
  neighbourhood they reference in the store (:func:`incremental_context`,
  built from :func:`neighbourhood_query`), and only the new or changed
  subjects are focus nodes, so the cost grows with the change, not with the
  store.

Focus nodes are applied by rewriting the shapes' targets, not through
pySHACL's own ``focus_nodes`` option: in pySHACL 0.40 that option also
filters the *value nodes* handed to nested shapes (``sh:or``, ``sh:node``,
``sh:qualifiedValueShape``...), so those constraints silently pass
(regression test ``test_focus_nodes_keep_nested_shape_checks``). Instead each
``sh:targetClass``/``sh:targetSubjectsOf``/``sh:targetObjectsOf`` becomes
``sh:targetNode`` for the focus nodes it selects, so the neighbourhood is read
but never validated; results of SPARQL-based targets outside the focus nodes
are dropped afterwards.

Speed: pySHACL hands rdflib the same SPARQL text once per focus node; the
data graph here parses each text once (module cache), and is validated in
place (it is our own copy). rdflib does not know that ``$this`` is bound when
it orders triple patterns, so the SHACL-SPARQL queries in ``shapes/`` start
from ``$this`` with property paths, ``OPTIONAL`` or ``EXISTS`` (see their comments).

OWL reasoning stays out (``inference="none"``); only the ontology's
``rdfs:subClassOf`` / ``rdfs:subPropertyOf`` triples are added to the data
graph copy (what ``pySHACL``'s ``ont_graph`` would do), which is what
``sh:class`` needs to see instances of subclasses (pySHACL pitfall in
``shared/design/library-pitfalls.md``).

SHACL-SPARQL constraints (``sh:sparql``, SHACL 1.0 §5) need pySHACL's
advanced mode, which is always on.
"""

from __future__ import annotations

import bisect
import logging
import re
import threading
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping
from urllib.parse import urljoin, urlsplit

import pyshacl
import rdflib
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, SH
from rdflib.plugins.sparql import prepareQuery

from .errors import InputError, QueryTimeout
from .querypool import PipeWorker, _Duplex
from .vocab import DEFAULT_BASE_IRI, OA, PKG, PREFIXES, Minter

__all__ = [
    "ValidationResult", "ValidationReport", "SourceLocation", "Validator", "validate_graphs",
    "neighbourhood_query", "incremental_context", "changed_subjects", "normalise_title",
    "read_results", "shacl_path_text", "subject_lines", "rebase_shapes_text",
    "SEVERITIES", "REFERENCE_PROPERTIES", "quiet_ill_typed_literals", "ValidationPool", "ValidationTimeout",
]

#: Severity IRIs of SHACL 1.0 §2.1.5 and their short names, most severe first.
SEVERITIES: dict[URIRef, str] = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}

#: Properties whose IRI values must be described in the graph (have an ``rdf:type``):
#: the list ``pkgsh:DanglingReferenceShape`` (``shapes/links.ttl``) checks.
REFERENCE_PROPERTIES: tuple[URIRef, ...] = (
    PKG.issuedBy, PKG.issuedByHeadline, PKG.sourceHostedBy, PKG.jurisdiction,
    PKG.localJurisdiction, PKG.genre, PKG.sector, PKG.usesInstrument, PKG.reportedIn,
    PKG.setsTarget, PKG.hasProvision, PKG.partOf, OA.hasSource,
)

_LABEL_PROPERTIES = (SKOS.prefLabel, DCTERMS.title, RDFS.label, PKG.indicator, OA.exact)
_ONTOLOGY_AXIOMS = (RDFS.subClassOf, RDFS.subPropertyOf)
# The default base as it is written in shapes files: plain (IRIs) and regex-escaped in a
# Turtle string literal (sh:pattern), where each regex backslash is doubled.
_DEFAULT_ID = DEFAULT_BASE_IRI + "id/"
_DEFAULT_ID_PATTERN = re.escape(_DEFAULT_ID).replace("\\", "\\\\")
_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')


@dataclass
class ValidationResult:
    """One ``sh:ValidationResult`` (SHACL 1.0 §3.6.2), flattened to strings.

    ``focus_node``/``path``/``value``/``source_shape``/``constraint`` are IRIs or
    literal lexical forms (a blank node as ``_:id``; a complex path in SPARQL
    property-path syntax). ``severity`` is ``"Violation"``, ``"Warning"`` or
    ``"Info"`` (a custom severity IRI, SHACL 1.0 §2.1.5, is kept as the IRI and
    does not block a merge). ``file``/``line`` locate the focus node's description in the
    input when the caller gave ``source_lines``.
    """

    focus_node: str
    focus_label: str | None
    path: str | None
    value: str | None
    message: str
    severity: str
    source_shape: str
    constraint: str
    file: str | None = None
    line: int | None = None
    #: the field (CSV column name, YAML key) of a curated entry that wrote the path's value, and its
    #: 1-based column (CSV) or the column of the value (YAML); for RDF input (Turtle, TriG, N-Triples,
    #: N-Quads), the predicate as written and its column (:func:`subject_lines`)
    field: str | None = None
    column: int | None = None

    def where(self) -> str:
        """Where the result is written, as `` (file:line:column field 'name')``; empty when unknown."""
        if not (self.file or self.line):
            return ""
        where = f" ({self.file or '?'}:{self.line}" if self.line else f" ({self.file}"
        noun = "property" if self.field and _written_predicate(self.field) else "field"
        return where + (f":{self.column}" if self.line and self.column else "") \
            + (f" {noun} {self.field!r}" if self.field else "") + ")"

    def one_line(self) -> str:
        """``[Severity] message (file:line:column field 'name')``: the result's line in a report."""
        return f"[{self.severity}] {self.message}{self.where()}"


class SourceLocation(tuple):
    """Where a focus node is written: a ``(file, line)`` pair that also knows its fields' places.

    It unpacks as ``file, line`` wherever a plain pair is expected (``source_lines`` of
    :func:`read_results`). ``fields`` maps a property IRI (the result path) to ``(field name, line,
    column)`` of the input cell that produced its value (``column`` None when unknown): a curated
    CSV column or YAML key; a fourth item, when present, is the file that writes it
    (:meth:`joined`). ``derived`` names the properties computed from another field
    (``pkg:normalizedValue`` from ``value`` and ``unit``); a result on one of them is dropped when the
    same constraint of the same shape also reports the field's own property, so that one cell gets
    one message.
    """

    fields: Mapping[str, tuple[str, int, int | None]]
    derived: frozenset[str]

    def __new__(cls, file: str | None, line: int, fields: Mapping[str, tuple[str, int, int | None]] | None = None,
                derived: Iterable[str] = ()) -> "SourceLocation":
        loc = super().__new__(cls, (file, line))
        loc.fields = dict(fields or {})
        loc.derived = frozenset(derived)
        return loc

    def __getnewargs__(self) -> tuple:  # pickling keeps the fields (the query pool and workers pickle)
        return (self[0], self[1], self.fields, self.derived)

    def joined(self, other: "SourceLocation | tuple") -> "SourceLocation":
        """This place and ``other``, where another input describes the same focus node (two files of one
        merge): the focus stays where this one writes it; each field keeps the file that writes it
        (a 4-tuple ``(field name, line, column, file)``; this one's first when both write a property)."""
        def placed(loc: "SourceLocation | tuple") -> dict:
            return {k: v if len(v) > 3 else (*v, loc[0]) for k, v in getattr(loc, "fields", {}).items()}

        return SourceLocation(self[0], self[1], {**placed(other), **placed(self)},
                              self.derived | frozenset(getattr(other, "derived", ())))


@dataclass
class ValidationReport:
    """The outcome of one validation.

    ``conforms`` is true when no result is a ``Violation`` (warnings and infos
    never block a merge). ``report_graph`` is the ``sh:ValidationReport``
    graph; ``focus_count`` the number of focus nodes checked (every targeted
    node for a full run, the given focus nodes for an incremental one);
    ``elapsed_s`` the wall time in seconds; ``counts`` ``{severity: n}``.
    """

    conforms: bool
    results: list[ValidationResult]
    report_graph: Graph
    focus_count: int
    elapsed_s: float
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.counts = {name: 0 for name in SEVERITIES.values()}
        for r in self.results:
            self.counts[r.severity] = self.counts.get(r.severity, 0) + 1

    @property
    def violations(self) -> list[ValidationResult]:
        """Results of severity ``Violation``: these block the merge."""
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[ValidationResult]:
        """Results of severity ``Warning`` (never block)."""
        return [r for r in self.results if r.severity == "Warning"]

    @property
    def infos(self) -> list[ValidationResult]:
        """Results of severity ``Info`` (never block)."""
        return [r for r in self.results if r.severity == "Info"]

    #: results found but not listed in ``results`` (see :meth:`limited`); ``counts`` still counts them
    results_omitted: int = 0

    def limited(self, max_results: int) -> "ValidationReport":
        """This report listing at most ``max_results`` results, most severe first (violations, then
        warnings, then infos; the order of ``results`` within a severity), in ``results`` and in
        ``report_graph``. ``counts``, ``conforms`` and ``focus_count`` stay those of the whole run;
        ``results_omitted`` says how many results were left out, and the report graph's
        ``sh:ValidationReport`` node gets an ``rdfs:comment`` saying so. ``self`` when nothing is cut."""
        if len(self.results) <= max_results:
            return self
        rank = {name: i for i, name in enumerate(SEVERITIES.values())}
        keep = sorted(range(len(self.results)), key=lambda i: (rank.get(self.results[i].severity, 9), i))[:max_results]
        kept = [self.results[i] for i in sorted(keep)]
        omitted = len(self.results) - len(kept)
        graph = Graph()
        for prefix, ns in self.report_graph.namespaces():
            graph.bind(prefix, ns, override=True)
        report_node = next(self.report_graph.subjects(RDF.type, SH.ValidationReport), None)
        if report_node is not None:
            wanted = {(r.focus_node, r.path or "", r.constraint, r.value, r.source_shape) for r in kept}
            for p, o in self.report_graph.predicate_objects(report_node):
                if p != SH.result:
                    graph.add((report_node, p, o))
            for result in self.report_graph.objects(report_node, SH.result):
                rpath = self.report_graph.value(result, SH.resultPath)
                value = self.report_graph.value(result, SH.value)
                key = (_node_str(self.report_graph.value(result, SH.focusNode)),
                       "" if rpath is None else shacl_path_text(self.report_graph, rpath),
                       _node_str(self.report_graph.value(result, SH.sourceConstraintComponent)),
                       None if value is None else _node_str(value),
                       _node_str(self.report_graph.value(result, SH.sourceShape)))
                if key in wanted:
                    graph.add((report_node, SH.result, result))
                    _copy_cbd(self.report_graph, result, graph)
            graph.add((report_node, RDFS.comment, Literal(
                f"{len(kept)} of {len(self.results)} results listed, {omitted} left out (a report lists at "
                f"most {max_results}, most severe first): split the input, or run `policykg validate` "
                "on the command line for the whole report", lang="en")))
        out = ValidationReport(conforms=self.conforms, results=kept, report_graph=graph,
                               focus_count=self.focus_count, elapsed_s=self.elapsed_s)
        out.counts = dict(self.counts)
        out.results_omitted = omitted
        return out

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict: ``conforms``, ``focus_count``, ``elapsed_s``,
        ``counts`` ({severity: n}, every result found), ``results`` (list of result dicts with
        the :class:`ValidationResult` field names, most severe first: violations, warnings, infos, each
        in the order found), ``truncated`` (true when ``results`` lists only some of them, see
        :meth:`limited`) and ``results_omitted`` (how many it leaves out)."""
        rank = {name: i for i, name in enumerate(SEVERITIES.values())}
        return {
            "conforms": self.conforms,
            "focus_count": self.focus_count,
            "elapsed_s": round(self.elapsed_s, 6),
            "counts": dict(self.counts),
            "results": [asdict(r) for r in sorted(self.results, key=lambda r: rank.get(r.severity, len(rank)))],
            "truncated": self.results_omitted > 0,
            "results_omitted": self.results_omitted,
        }

    def to_text(self) -> str:
        """A curator's report: one block per focus node (label, IRI), then one
        line per result giving path, value, severity, message and file:line (for a curated entry
        file:line:column and the field, CSV column or YAML key, that wrote the value).

        Focus nodes with a violation come first; within a node, results are
        sorted by severity, then path.
        """
        if not self.results:
            return (f"Conforms: yes. No problems found in {self.focus_count} "
                    f"focus node(s) ({self.elapsed_s:.3f} s).\n")
        rank = {name: i for i, name in enumerate(SEVERITIES.values())}
        groups: dict[str, list[ValidationResult]] = defaultdict(list)
        for r in self.results:
            groups[r.focus_node].append(r)
        order = sorted(groups, key=lambda f: (min(rank.get(r.severity, 9) for r in groups[f]), f))
        c = self.counts
        lines = [
            f"Conforms: {'yes' if self.conforms else 'no'} - {c.get('Violation', 0)} violation(s), "
            f"{c.get('Warning', 0)} warning(s), {c.get('Info', 0)} info(s) in "
            f"{self.focus_count} focus node(s) ({self.elapsed_s:.3f} s)",
        ]
        for focus in order:
            first = groups[focus][0]
            head = f"{first.focus_label} <{focus}>" if first.focus_label else f"<{focus}>"
            lines.append("")
            lines.append(head)
            for r in sorted(groups[focus], key=lambda r: (rank.get(r.severity, 9), r.path or "", r.value or "")):
                lines.append(f"  {r.one_line()}")
                detail = []
                if r.path:
                    detail.append(f"path: {_short(r.path)}")
                if r.value is not None:
                    detail.append(f"value: {r.value}")
                detail.append(f"shape: {_short(r.source_shape)}")
                lines.append("      " + "; ".join(detail))
        return "\n".join(lines) + "\n"

    def to_turtle(self) -> str:
        """The ``sh:ValidationReport`` graph as Turtle."""
        return self.report_graph.serialize(format="turtle")

    def to_jsonld(self) -> str:
        """The ``sh:ValidationReport`` graph as JSON-LD (no remote context)."""
        from .rdfio import graph_to_jsonld  # noqa: PLC0415 - rdfio imports the store, which this module need not

        return graph_to_jsonld(self.report_graph, dict(PREFIXES, sh=str(SH)))


def _short(iri: str) -> str:
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    if iri.startswith(str(SH)):
        return "sh:" + iri[len(str(SH)):]
    return iri


# --------------------------------------------------------------------------------------
# The engine call and the report reading, shared by Validator and the W3C conformance test


def validate_graphs(data: Graph, shapes: Graph, *, ont_graph: Graph | None = None,
                    context: Graph | None = None,
                    focus_nodes: Iterable[URIRef] | None = None,
                    source_lines: Mapping[str, Any] | None = None,
                    label_graph: Graph | None = None) -> ValidationReport:
    """Validate ``data`` against ``shapes`` with pySHACL and read the report.

    pySHACL runs in advanced mode (SHACL-SPARQL, SPARQL targets) with no
    inference, on one copy of ``data`` + ``context`` + ``ont_graph`` (none of
    them is changed). When ``focus_nodes`` is given, the shapes' targets are narrowed
    to them and only results whose ``sh:focusNode`` is one of them are kept
    (see the module docstring for why pySHACL's own option is not used).
    ``source_lines`` maps a focus node IRI to ``line`` or ``(file, line)``.
    ``label_graph`` (default ``data``) is where focus labels are looked up.

    Returns a :class:`ValidationReport`; pySHACL's own errors (a malformed
    shapes graph) propagate as :class:`pyshacl.errors.ShapeLoadError` etc.
    """
    started = time.perf_counter()
    work = _QueryCachingGraph()
    for graph in (data, context, ont_graph):
        if graph is not None:
            for t in graph:
                work.add(t)
    # ``work`` is our own copy, so pySHACL may run in place (no second clone).
    focus_list = None if focus_nodes is None else list(focus_nodes)
    if focus_list is not None:
        shapes = _shapes_for_focus(shapes, work, set(focus_list))
    _conforms, report_graph, _text = pyshacl.validate(
        work, shacl_graph=shapes, advanced=True, inference="none", inplace=True,
        allow_warnings=True, allow_infos=True,
    )
    focus_set = None if focus_list is None else {str(f) for f in focus_list}
    if focus_set is not None:
        report_graph = _filter_report(report_graph, focus_set)
    results = read_results(report_graph, label_graph if label_graph is not None else data,
                           source_lines)
    conforms = not any(r.severity == "Violation" for r in results)
    if focus_set is not None:
        # sh:conforms keeps its SHACL meaning (no result at all, SHACL 1.0 §3.6.1);
        # ValidationReport.conforms is the merge policy (no Violation).
        report_node = next(report_graph.subjects(RDF.type, SH.ValidationReport), None)
        if report_node is not None:
            report_graph.set((report_node, SH.conforms, Literal(not results)))
    if focus_set is not None:
        focus_count = len(focus_set)
    else:
        focus_count = _count_targets(shapes, data)
    elapsed = time.perf_counter() - started
    return ValidationReport(conforms=conforms, results=results, report_graph=report_graph,
                            focus_count=focus_count, elapsed_s=elapsed)


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def _shapes_for_focus(shapes: Graph, data: Graph, focus: set) -> Graph:
    """A copy of ``shapes`` whose node targets (SHACL 1.0 §2.1.3) select only ``focus`` nodes.

    Every ``sh:targetClass``/``sh:targetSubjectsOf``/``sh:targetObjectsOf``/
    ``sh:targetNode`` is replaced by ``sh:targetNode`` for the focus nodes it
    selects in ``data`` (class targets include subclass instances, from the
    ``rdfs:subClassOf`` triples in ``data``). So the store neighbourhood in the
    data graph is read by the constraints but never validated itself.
    SPARQL-based targets (``sh:target``) are kept; their extra results are
    filtered afterwards. Implicit class targets are not used by the project.
    """
    out = Graph()
    for prefix, ns in shapes.namespaces():
        out.bind(prefix, ns, override=True)
    selected: dict = defaultdict(set)
    subclass_cache: dict = {}
    for s, p, o in shapes:
        if p not in _TARGETS:
            out.add((s, p, o))
            continue
        nodes = selected[s]
        if p == SH.targetNode:
            if o in focus:
                nodes.add(o)
        elif p == SH.targetClass:
            classes = subclass_cache.get(o)
            if classes is None:
                classes = subclass_cache[o] = set(data.transitive_subjects(RDFS.subClassOf, o))
            nodes.update(n for n in focus if any((n, RDF.type, c) in data for c in classes))
        elif p == SH.targetSubjectsOf:
            nodes.update(n for n in focus if (n, o, None) in data)
        else:  # sh:targetObjectsOf
            nodes.update(n for n in focus if (None, o, n) in data)
    for shape, nodes in selected.items():
        for n in nodes:
            out.add((shape, SH.targetNode, n))
    return out


class _QueryCachingGraph(Graph):
    """An in-memory graph whose ``query`` parses each distinct SPARQL text once.

    pySHACL 0.40 hands rdflib the same constraint text once per focus node,
    with the focus node in ``initBindings``; parsing dominates (about 45 ms a
    query). Prepared queries are kept in a bounded module-level cache, and
    parsed under a lock (:data:`_PREPARE_LOCK`).
    """

    def query(self, query_object, *args, **kwargs):  # type: ignore[override]
        if isinstance(query_object, str):
            prepared = _PREPARED.get(query_object)
            if prepared is None:
                with _PREPARE_LOCK:  # rdflib's SPARQL grammar (pyparsing) is not safe to run in two threads
                    prepared = _PREPARED.get(query_object)
                    if prepared is None:
                        if len(_PREPARED) >= _PREPARED_MAX:
                            _PREPARED.clear()
                        prepared = _PREPARED[query_object] = prepareQuery(query_object)
            query_object = prepared
        return super().query(query_object, *args, **kwargs)


_PREPARED: dict[str, Any] = {}
_PREPARED_MAX = 1024
#: Parsing runs one at a time: pyparsing sets up its parse actions on first use, and two threads
#: doing that at once raise TypeError (Param.postParse2) - every first validation of a fresh server
#: that got concurrent requests ended in 500 (tests/test_api_attacks3.py).
_PREPARE_LOCK = threading.Lock()


def _filter_report(report: Graph, focus_set: set[str]) -> Graph:
    """A copy of ``report`` without the results whose focus node is outside ``focus_set``."""
    out = Graph()
    for prefix, ns in report.namespaces():
        out.bind(prefix, ns, override=True)
    report_node = next(report.subjects(RDF.type, SH.ValidationReport))
    out.add((report_node, RDF.type, SH.ValidationReport))
    for result in report.objects(report_node, SH.result):
        focus = report.value(result, SH.focusNode)
        if focus is None or str(focus) not in focus_set:
            continue
        out.add((report_node, SH.result, result))
        _copy_cbd(report, result, out)
    return out


def _copy_cbd(src: Graph, node: rdflib.term.Node, dst: Graph) -> None:
    for p, o in src.predicate_objects(node):
        dst.add((node, p, o))
        if isinstance(o, BNode) and p != SH.focusNode:
            _copy_cbd(src, o, dst)


def _count_targets(shapes: Graph, data: Graph) -> int:
    """Number of distinct nodes targeted by the shapes' simple targets (SHACL 1.0 §2.1.3)."""
    nodes: set = set()
    for cls in set(shapes.objects(None, SH.targetClass)):
        nodes.update(data.subjects(RDF.type, cls))
    for node in shapes.objects(None, SH.targetNode):
        nodes.add(node)
    for prop in set(shapes.objects(None, SH.targetSubjectsOf)):
        nodes.update(data.subjects(prop, None))
    for prop in set(shapes.objects(None, SH.targetObjectsOf)):
        nodes.update(data.objects(None, prop))
    return len(nodes)


def read_results(report: Graph, data: Graph | None = None,
                 source_lines: Mapping[str, Any] | None = None) -> list[ValidationResult]:
    """The top-level results of an ``sh:ValidationReport`` graph, sorted by focus node, path, component.

    ``data`` is where focus labels are looked up (none when omitted);
    ``source_lines`` maps a focus IRI to ``line`` or ``(file, line)``; a :class:`SourceLocation` also
    places each result on the field that wrote its path (``field``, ``line``, ``column``; the path in the
    message is replaced by the field name) and keeps one result per field and constraint.
    """
    data = data if data is not None else Graph()
    source_lines = source_lines or {}
    out: list[ValidationResult] = []
    # Only top-level results: nested ones (sh:detail, SHACL 1.0 §3.6.2.6) explain a parent.
    results = [r for rep in report.subjects(RDF.type, SH.ValidationReport)
               for r in report.objects(rep, SH.result)]
    for result in results:
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        sev_node = report.value(result, SH.resultSeverity)
        severity = SEVERITIES.get(sev_node) or (str(sev_node) if sev_node is not None else "Violation")
        messages = list(report.objects(result, SH.resultMessage))
        message = _pick_message(messages) or "Constraint not satisfied."
        shape = report.value(result, SH.sourceShape)
        component = report.value(result, SH.sourceConstraintComponent)
        file = line = field_name = column = None
        loc = source_lines.get(str(focus)) if focus is not None else None
        if isinstance(loc, tuple):
            file, line = loc
        elif isinstance(loc, int):
            line = loc
        path_text = None if path is None else shacl_path_text(report, path)
        place = getattr(loc, "fields", {}).get(path_text) if path_text else None
        if place is not None:
            field_name, line, column, *elsewhere = place
            file = elsewhere[0] if elsewhere else file  # written in another input (SourceLocation.joined)
            if not _written_predicate(field_name):  # a curated cell's name, in place of the property IRI
                message = _name_field(message, path_text, field_name)
        out.append(ValidationResult(
            focus_node=_node_str(focus),
            focus_label=_label(data, focus),
            path=path_text,
            value=None if value is None else _node_str(value),
            message=message,
            severity=severity,
            source_shape=_node_str(shape),
            constraint=_node_str(component),
            file=file,
            line=line,
            field=field_name,
            column=column,
        ))
    out = _one_per_field(out, source_lines)
    out.sort(key=lambda r: (r.focus_node, r.path or "", r.constraint, r.value or "", r.message))
    return _one_per_message(out)


def _one_per_message(results: list[ValidationResult]) -> list[ValidationResult]:
    """Keep one of the results that say the same thing about the same value: one property shape whose
    ``sh:message`` covers several constraints reports each failing one (SHACL 1.0 §3.6.2), and
    ``"x"`` (no language tag) on ``pkgsh:QuantityIndicatorShape`` fails both ``sh:datatype
    rdf:langString`` and ``sh:languageIn``: two identical lines, though the curator has one thing to fix.
    Results are the same when focus node, path, value, message, severity and shape are; the first (in
    the report's order) is kept. The report graph (Turtle, JSON-LD) keeps every SHACL result."""
    seen: set[tuple] = set()
    kept = []
    for r in results:
        key = (r.focus_node, r.path, r.value, r.message, r.severity, r.source_shape)
        if key not in seen:
            seen.add(key)
            kept.append(r)
    return kept


def _written_predicate(field_name: str) -> bool:
    """Whether a result's ``field`` is an RDF input's predicate as written (``pkg:value``, ``<IRI>``, ``a``:
    a property) rather than a curated entry's cell (``value``, ``source_url``: a field)."""
    return field_name == "a" or ":" in field_name or field_name.startswith("<")


def _name_field(message: str, path: str, field_name: str) -> str:
    """``message`` with the property IRI ``path`` (full, ``<full>`` or prefixed) replaced by the curated
    field that wrote it: ``... but 'value' is 130`` rather than ``... but https://...#value is 130``."""
    forms = [f"<{path}>", path, _short(path)]
    for form in forms:
        if form:
            message = re.sub(re.escape(form) + r"(?![\w-])", repr(field_name), message)
    return message


def _one_per_field(results: list[ValidationResult], source_lines: Mapping[str, Any]) -> list[ValidationResult]:
    """Drop the results on a derived property (:attr:`SourceLocation.derived`) that the same shape and
    constraint also report, with the same severity, on another property of the same field: a curator who
    wrote one wrong cell gets one message (``pkgsh:PercentShareRangeShape`` checks both ``pkg:value`` and
    ``pkg:normalizedValue``, which the curated loader computes from ``value`` and ``unit``)."""
    reported = {(r.focus_node, r.source_shape, r.constraint, r.severity, r.field)
                for r in results if r.field is not None
                and r.path not in getattr(source_lines.get(r.focus_node), "derived", ())}
    return [r for r in results
            if r.field is None or r.path not in getattr(source_lines.get(r.focus_node), "derived", ())
            or (r.focus_node, r.source_shape, r.constraint, r.severity, r.field) not in reported]


def _pick_message(messages: list) -> str | None:
    if not messages:
        return None
    for m in messages:
        if isinstance(m, Literal) and (m.language or "").lower().startswith("en"):
            return str(m)
    return str(messages[0])


def _node_str(node: rdflib.term.Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def _label(data: Graph, node: rdflib.term.Node | None) -> str | None:
    if node is None or isinstance(node, Literal):
        return None
    fallback = None
    for prop in _LABEL_PROPERTIES:
        for lit in data.objects(node, prop):
            if isinstance(lit, Literal):
                if (lit.language or "").lower().startswith("en"):
                    return str(lit)
                fallback = fallback or str(lit)
    return fallback


def shacl_path_text(g: Graph, path: rdflib.term.Node) -> str:
    """A SHACL property path (SHACL 1.0 §2.3.1) of graph ``g`` in SPARQL property-path syntax.

    A predicate path is its bare IRI; others wrap IRIs in ``<>``:
    ``^<p>``, ``<p>/<q>``, ``(<p>|<q>)*``... (a blank node that is no path: ``_:id``).
    """
    if isinstance(path, URIRef):
        return str(path)
    if isinstance(path, Literal):
        return str(path)
    if (path, RDF.first, None) in g:
        return "/".join(_path_wrap(g, p) for p in Collection(g, path))
    for prop, fmt in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"),
                      (SH.oneOrMorePath, "{}+"), (SH.zeroOrOnePath, "{}?")):
        inner = g.value(path, prop)
        if inner is not None:
            return fmt.format(_path_wrap(g, inner))
    alt = g.value(path, SH.alternativePath)
    if alt is not None:
        return "|".join(_path_wrap(g, p) for p in Collection(g, alt))
    return _node_str(path)


def _path_wrap(g: Graph, path: rdflib.term.Node) -> str:
    s = shacl_path_text(g, path)
    return f"<{s}>" if isinstance(path, URIRef) else f"({s})"


# --------------------------------------------------------------------------------------
# The project's validator: shapes + ontology loaded once


class Validator:
    """Validates data against the project's shapes, with the ontology's class tree.

    ``shapes_dir``: directory of ``*.ttl`` shapes files (all are loaded, sorted by
    name). ``ontology_dir``: the ontology directory, read with
    :func:`policykg.reference.load_ontology_graph` (``policykg.ttl`` +
    ``vocab/*.ttl``); only its ``rdfs:subClassOf``/``rdfs:subPropertyOf``
    triples are kept (for ``sh:class``). ``base_iri``: the instance base; shapes are written for the
    default base :data:`policykg.vocab.DEFAULT_BASE_IRI` and rewritten for
    another one (IRIs and ``sh:pattern`` regexes alike).

    Raises :class:`~policykg.errors.InputError` (file, line) when a shapes or
    ontology file is missing or does not parse, or when ``shapes_dir`` holds no
    shapes.
    """

    def __init__(self, shapes_dir: Path, ontology_dir: Path, *, base_iri: str = DEFAULT_BASE_IRI):
        self.shapes_dir = Path(shapes_dir)
        self.ontology_dir = Path(ontology_dir)
        self.base_iri = base_iri
        self.shapes_graph = self._load_shapes()
        self.ont_graph = self._load_ontology_axioms()

    def _load_shapes(self) -> Graph:
        files = sorted(self.shapes_dir.glob("*.ttl"))
        if not files:
            raise InputError("no SHACL shapes (*.ttl) found", file=str(self.shapes_dir))
        g = Graph()
        for f in files:
            text = f.read_text(encoding="utf-8")
            if self.base_iri != DEFAULT_BASE_IRI:
                text = rebase_shapes_text(text, self.base_iri)
            _parse_turtle(g, text, str(f))
        return g

    def _load_ontology_axioms(self) -> Graph:
        if not self.ontology_dir.is_dir():
            raise InputError("ontology directory not found", file=str(self.ontology_dir))
        try:
            from .reference import load_ontology_graph
        except ImportError:  # pragma: no cover - policykg.reference ships with the package
            full = Graph()
            for f in sorted(self.ontology_dir.rglob("*.ttl")):
                _parse_turtle(full, f.read_text(encoding="utf-8"), str(f))
        else:
            full = load_ontology_graph(self.ontology_dir, base=self.base_iri)
        axioms = Graph()
        for prop in _ONTOLOGY_AXIOMS:
            for s, o in full.subject_objects(prop):
                axioms.add((s, prop, o))
        return axioms

    def validate(self, data: Graph, *, context: Graph | None = None,
                 focus_nodes: Iterable[URIRef] | None = None,
                 source_lines: Mapping[str, Any] | None = None) -> ValidationReport:
        """Validate ``data`` (plus ``context``, the store neighbourhood it refers to).

        ``context``: triples already in the store that the new data references
        (see :func:`incremental_context`); the constraints read them, but only
        ``focus_nodes`` are validated and get results (an empty context still
        means an incremental check). ``focus_nodes``: default
        when ``context`` is given is every subject of ``data`` (the new or
        changed resources, :func:`changed_subjects`); without ``context`` the
        default is every targeted node (a full validation).
        ``source_lines``: ``{focus IRI: line | (file, line)}`` for the report.

        Returns a :class:`ValidationReport`; never raises for invalid data.
        """
        if context is not None and focus_nodes is None:
            focus_nodes = changed_subjects(data)
        return validate_graphs(data, self.shapes_graph, ont_graph=self.ont_graph, context=context,
                               focus_nodes=None if focus_nodes is None else list(focus_nodes),
                               source_lines=source_lines)


def rebase_shapes_text(text: str, base_iri: str) -> str:
    """Rewrite shapes Turtle written for the default base to ``base_iri``.

    Replaces ``https://w3id.org/policykg/id/`` in IRIs and its regex-escaped
    form inside ``sh:pattern`` strings (where backslashes are doubled).
    """
    pattern = re.escape(base_iri + "id/").replace("\\", "\\\\")
    text = text.replace(_DEFAULT_ID_PATTERN, pattern)
    return text.replace(_DEFAULT_ID, base_iri + "id/")


def _parse_turtle(g: Graph, text: str, file: str) -> None:
    try:
        g.parse(data=text, format="turtle", publicID=Path(file).resolve().as_uri())
    except Exception as exc:  # rdflib raises BadSyntax and others
        line = None
        m = re.search(r"line (\d+)", str(exc))
        if m:
            line = int(m.group(1))
        raise InputError(f"cannot parse Turtle: {exc}".splitlines()[0], file=file, line=line) from None


# --------------------------------------------------------------------------------------
# Incremental check: the neighbourhood of a change


def normalise_title(title: str) -> str:
    """The comparison key for duplicate English titles: lower case, every run of
    characters other than ``a-z0-9`` replaced by one space, trimmed.

    The shape ``pkgsh:PolicyDuplicateTitleShape`` computes the same key in
    SPARQL (``REPLACE(LCASE(STR(?t)), "[^a-z0-9]+", " ")`` then trim), with a
    regex that Python's ``re`` (rdflib) and Rust's ``regex`` (Oxigraph) read alike.

    >>> normalise_title("Notice on  Promoting the Grid-Integration.")
    'notice on promoting the grid integration'
    """
    return re.sub(r"[^a-z0-9]+", " ", title.lower()).strip()


def subject_lines(text: str, data: Graph, file: str | None = None) -> dict[str, SourceLocation]:
    """Where each IRI subject of ``data`` is described in ``text`` (its Turtle, TriG, N-Triples or N-Quads
    source), and where each of its properties is written.

    Returns ``{subject IRI: SourceLocation(file, line, fields)}`` (1-based lines), ready for the
    ``source_lines`` argument of :meth:`Validator.validate`: ``line`` is the first statement about the
    subject; ``fields`` maps each property IRI of the subject's statements to ``(predicate as written,
    line, column)`` of its first occurrence (``pkg:targetYear``, ``<IRI>``, ``a``), so that a result on
    that path is placed on the line of the value, not of the subject. The statements are read by
    :func:`_statements`, which resolves prefixed names and relative IRIs by the directives in force
    where they are written (W3C RDF 1.1 Turtle §6.3); subjects that are blank nodes are left out.
    """
    found: dict[str, tuple[int, dict[str, tuple[str, int, int]]]] = {}
    for subject, line, predicates in _statements(text):
        _, fields = found.setdefault(subject, (line, {}))
        for token, iri, p_line, column in predicates:
            fields.setdefault(iri, (token, p_line, column))
    subjects = {str(s) for s in data.subjects() if isinstance(s, URIRef)}
    return {s: SourceLocation(file, line, fields) for s, (line, fields) in found.items() if s in subjects}


_WS = " \t\r\n"
_TOKEN_END = _WS + "<\"'[](){};,#"


def _statements(text: str) -> Iterator[tuple[str, int, list[tuple[str, str, int, int]]]]:
    """The triples statements of a Turtle-family ``text``, in one pass: ``(subject IRI, line, [(predicate as
    written, predicate IRI, line, column), ...])`` with 1-based lines and columns, for each statement whose
    subject is an IRI (written ``<IRI>``, relative to the base in force, or as a prefixed name of the
    prefixes declared so far: a prefix declared again applies from there on). Directives (``@prefix``,
    ``PREFIX``, ``@base``, ``BASE``) and graph labels (TriG's ``GRAPH <g> {`` and ``<g> {``) are not
    statements; the predicates of nested blank nodes (``[ ... ]``) are not the subject's. Strings (short and
    long, with escapes), IRIs, comments and escapes in prefixed names (``ex:a\\#b``) are skipped whole, so
    that a ``.`` or ``;`` inside them is not read as punctuation.

    A layout scanner, not a parser: it runs on text that an RDF parser has already accepted.
    """
    n = len(text)
    line_starts = [0]
    line_starts.extend(i + 1 for i, ch in enumerate(text) if ch == "\n")
    prefixes: dict[str, str] = {}
    base = ""

    def place(i: int) -> tuple[int, int]:
        line = bisect.bisect_right(line_starts, i)
        return line, i - line_starts[line - 1] + 1

    def skip_string(i: int) -> int:  # i at the opening quote; returns the index after the closing one
        q = text[i]
        if text.startswith(q * 3, i):
            end = i + 3
            while True:
                end = text.find(q * 3, end)
                if end < 0:
                    return n
                if _escaped(text, end):
                    end += 1
                    continue
                return end + 3
        end = i + 1
        while end < n:
            ch = text[end]
            if ch == "\\":
                end += 2
                continue
            if ch == q or ch == "\n":
                return end + 1
            end += 1
        return n

    def token_at(i: int) -> int:  # the end of a token starting at i
        if text[i] == "<":
            end = text.find(">", i)
            return n if end < 0 else end + 1
        j = i
        while j < n and text[j] not in _TOKEN_END:
            j += 2 if text[j] == "\\" else 1  # an escape in a prefixed name's local part (Turtle §6.3 PN_LOCAL_ESC)
        j = min(j, n)
        # a statement's final "." is not part of its last token (Turtle §2.3: a prefixed name does not end in ".")
        while j > i + 1 and text[j - 1] == "." and not _escaped(text, j - 1):
            j -= 1
        return max(j, i + 1)

    def resolve(token: str) -> str | None:
        if token.startswith("<") and token.endswith(">"):
            return urljoin(base, token[1:-1]) if base else token[1:-1]
        prefix, sep, local = token.partition(":")
        if sep and prefix in prefixes and not token.startswith("_:"):
            return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
        return None

    i, depth = 0, 0
    subject: tuple[str, int] | None = None
    predicates: list[tuple[str, str, int, int]] = []
    at_start, expect_predicate = True, False
    while i < n:
        ch = text[i]
        if ch in _WS:
            i += 1
            continue
        if ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if ch in "\"'":
            i = skip_string(i)
            expect_predicate = False
            continue
        if ch in "[(":
            depth += 1
            at_start = expect_predicate = False
            i += 1
            continue
        if ch in "])":
            depth = max(0, depth - 1)
            i += 1
            continue
        if ch in "{}" and depth == 0:  # a graph's statements start, or end
            if subject is not None and predicates:
                yield subject[0], subject[1], predicates
            subject, predicates, at_start, expect_predicate = None, [], True, False
            i += 1
            continue
        if ch == ";" and depth == 0:
            expect_predicate = subject is not None
            i += 1
            continue
        if ch == "," and depth == 0:
            i += 1
            continue
        if ch == "." and depth == 0 and not (i + 1 < n and text[i + 1].isdigit()):  # ".5" starts a decimal
            if subject is not None and predicates:
                yield subject[0], subject[1], predicates
            subject, predicates, at_start, expect_predicate = None, [], True, False
            i += 1
            continue
        end = token_at(i)
        token = text[i:end]
        if at_start and depth == 0:
            at_start = False
            directive = token.lower()
            if directive in ("@prefix", "prefix", "@base", "base"):
                # its prefix and IRI; the "." after @prefix and @base then closes nothing
                k = _skip_ws(text, end)
                name = ""
                if directive.endswith("prefix") and k < n:
                    stop = token_at(k)
                    name, k = text[k:stop], _skip_ws(text, stop)
                stop = token_at(k) if k < n else n
                iri = text[k:stop]
                if iri.startswith("<") and iri.endswith(">"):
                    iri = urljoin(base, iri[1:-1]) if base else iri[1:-1]
                    if directive.endswith("prefix") and name.endswith(":"):
                        prefixes[name[:-1]] = iri
                    elif directive.endswith("base"):
                        base = iri
                i, at_start = stop, True
                continue
            if directive == "graph":  # TriG: the graph's label, then its "{"
                label = _skip_ws(text, end)
                i, at_start = (token_at(label) if label < n else n), True
                continue
            iri = resolve(token)
            subject = (iri, place(i)[0]) if iri is not None else None
            expect_predicate = subject is not None
            i = end
            continue
        if expect_predicate and depth == 0:
            iri = str(RDF.type) if token == "a" else resolve(token)
            if iri is not None:
                predicates.append((token, iri, *place(i)))
            expect_predicate = False
        i = end
    if subject is not None and predicates:
        yield subject[0], subject[1], predicates


def _skip_ws(text: str, i: int) -> int:
    """The index of the first character at or after ``i`` that is not white space (``len(text)`` if none)."""
    while i < len(text) and text[i] in _WS:
        i += 1
    return i


def _escaped(text: str, i: int) -> bool:
    """Whether the character at ``i`` follows an odd number of backslashes (an ECHAR, Turtle §6.4)."""
    k = i
    while k > 0 and text[k - 1] == "\\":
        k -= 1
    return (i - k) % 2 == 1


def changed_subjects(data: Graph) -> list[URIRef | BNode]:
    """The subjects of ``data`` (IRIs and blank nodes): the focus nodes of an incremental check."""
    return sorted({s for s in data.subjects() if isinstance(s, (URIRef, BNode))}, key=str)


def _sparql_iri(iri: URIRef | str) -> str:
    s = str(iri)
    if not s or _IRI_UNSAFE.search(s):
        raise InputError(f"IRI cannot be used in a query: {s!r}", field="iri")
    return f"<{s}>"


_LANG_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")


def _sparql_literal(text: str, lang: str | None = None) -> str:
    """A SPARQL string literal (SPARQL 1.1 §19.7 escapes), with a checked language tag."""
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r"))
    if lang:
        if not _LANG_TAG.match(lang):
            raise InputError(f"language tag cannot be used in a query: {lang!r}", field="lang")
        return f'"{escaped}"@{lang}'
    return f'"{escaped}"'


def _values(var: str, terms: Iterable[str]) -> str:
    return f"VALUES ?{var} {{ {' '.join(sorted(set(terms)))} }}"


def neighbourhood_query(iris: Iterable[URIRef | str], *,
                        source_urls: Iterable[URIRef | str] = (),
                        titles: Iterable[Literal] = (),
                        hosts: Iterable[str] = (),
                        jurisdictions: Iterable[URIRef | str] = (),
                        title_keys: Iterable[tuple[URIRef | str, str]] = (),
                        from_graphs: Iterable[URIRef | str] | None = None) -> str:
    """A SPARQL CONSTRUCT fetching from the store what new data refers to.

    Each part is a ``UNION`` branch with its own ``VALUES`` block, so that the
    engine starts from the bound values (an index lookup each) and the cost
    does not grow with the store:

    * ``iris``: their description (triples with them as subject), one level
      of blank nodes below them, and the ``rdf:type`` and ``skos:inScheme`` of
      every IRI their stored description points to (so that the class and
      concept-scheme constraints on a stored resource that new data adds to
      see its genre, region and agencies); and the ``pkg:partOf`` chain above
      the regions they name or act for (``pkg:jurisdiction``,
      ``pkg:governmentOf``, ``pkg:partOf``), for the issuer-region warning;
    * ``source_urls``: the resources citing them as ``pkg:sourceURL`` (type and
      URL), for the shared-source-URL warning;
    * ``titles``: resources with exactly that title (type, title, jurisdiction),
      for the duplicate-title rule;
    * ``hosts``: host names of source URLs; the agencies whose
      ``pkg:webDomain``/``pkg:portalDomain`` is the host or one of its parent
      domains, with their jurisdiction (for the source-domain warning);
    * ``jurisdictions``: the region's people's government (``pkg:governmentOf``)
      with its web and portal domains, so that the source-domain rule knows the
      region has known domains. (Not every agency of the region: an index lookup
      on ``pkg:jurisdiction`` would also walk the region's policies. In the
      reference data every region with agency domains has a government with
      one; where not, the incremental check stays silent and a full validation
      warns.)
    * ``title_keys``: ``(jurisdiction, normalise_title(title))`` pairs: every
      policy of that jurisdiction whose English title normalises to the key.
      This branch scans the jurisdiction's policies (cost grows with them); it
      finds case and punctuation variants under IRIs that were not minted from
      the title. Off unless given.

    ``from_graphs``: when given, the query reads only those named graphs (one
    ``FROM`` each, SPARQL 1.1 §13.2): the store as it will be once a merge has
    replaced some graphs, so that the old copy of an edited entry is not
    taken for a second value.

    Values go into ``VALUES`` blocks as RDF terms, never pasted unescaped:
    IRIs must hold no character that could end the term (``<>"{}|^`\\``,
    spaces, controls; :class:`~policykg.errors.InputError` otherwise); strings
    are escaped as SPARQL 1.1 §19.7 says.
    """
    pkg = PKG_NS_STR
    parts: list[str] = []
    iri_terms = [_sparql_iri(i) for i in iris]
    if iri_terms:
        parts.append(f"{{ {_values('s', iri_terms)} ?s ?p ?o }}")
        parts.append(f"{{ {_values('n', iri_terms)} ?n ?p0 ?s . FILTER(isBlank(?s)) ?s ?p ?o }}")
        # the classes and schemes of what the stored descriptions point to (a genre, a region...)
        parts.append(f"{{ {_values('n', iri_terms)} ?n ?p1 ?s . FILTER(isIRI(?s)) ?s ?p ?o . "
                     f"FILTER(?p IN (<{RDF.type}>, <{SKOS.inScheme}>)) }}")
        # the regions above the regions they name or act for (an issuer's region and the policy's jurisdiction,
        # for the issuer-region warning): the pkg:partOf links of the region and of every region above it
        near = f"<{pkg}jurisdiction>|<{pkg}governmentOf>|<{pkg}partOf>"
        parts.append(f"{{ {_values('n', iri_terms)} ?n {near} ?s . ?s ?p ?o . FILTER(?p = <{pkg}partOf>) }}")
        parts.append(f"{{ {_values('n', iri_terms)} ?n {near} ?r0 . ?r0 <{pkg}partOf>+ ?s . ?s ?p ?o . "
                     f"FILTER(?p = <{pkg}partOf>) }}")
    url_terms = [_sparql_iri(u) for u in source_urls]
    if url_terms:
        parts.append(f"""{{ {_values('u', url_terms)} ?s <{pkg}sourceURL> ?u . ?s ?p ?o .
    FILTER(?p IN (<{RDF.type}>, <{pkg}sourceURL>)) }}""")
    title_terms = [_sparql_literal(str(t), t.language if isinstance(t, Literal) else None) for t in titles]
    if title_terms:
        parts.append(f"""{{ {_values('t', title_terms)} ?s <{DCTERMS.title}> ?t . ?s ?p ?o .
    FILTER(?p IN (<{RDF.type}>, <{DCTERMS.title}>, <{pkg}jurisdiction>)) }}""")
    domain_terms = [_sparql_literal(d) for h in hosts for d in _parent_domains(h)]
    if domain_terms:
        parts.append(f"""{{ {_values('d', domain_terms)} ?s <{pkg}webDomain>|<{pkg}portalDomain> ?d . ?s ?p ?o .
    FILTER(?p IN (<{RDF.type}>, <{pkg}jurisdiction>, <{pkg}governmentOf>, <{pkg}webDomain>, <{pkg}portalDomain>)) }}""")
    region_terms = [_sparql_iri(j) for j in jurisdictions]
    if region_terms:
        parts.append(f"""{{ {_values('n', region_terms)} ?r <{pkg}governmentOf> ?n .
    BIND(?n AS ?rg)
    OPTIONAL {{ ?r <{pkg}webDomain> ?rw }} OPTIONAL {{ ?r <{pkg}portalDomain> ?rp }} }}""")
    keys = sorted({f"({_sparql_iri(j)} {_sparql_literal(k)})" for j, k in title_keys})
    if keys:
        parts.append(f"""{{ VALUES (?j ?key) {{ {' '.join(keys)} }}
    ?s <{pkg}jurisdiction> ?j ; <{DCTERMS.title}> ?t .
    FILTER(LANGMATCHES(LANG(?t), "en")
           && REPLACE(REPLACE(LCASE(STR(?t)), "[^a-z0-9]+", " "), "^ +| +$", "") = ?key)
    ?s ?p ?o .
    FILTER(?p IN (<{RDF.type}>, <{pkg}jurisdiction>, <{DCTERMS.title}>)) }}""")
    if not parts:
        return "CONSTRUCT { ?s ?p ?o } WHERE { FILTER(false) }"
    template = f"?s ?p ?o . ?r <{pkg}governmentOf> ?rg . ?r <{pkg}webDomain> ?rw . ?r <{pkg}portalDomain> ?rp ."
    dataset = ""
    if from_graphs is not None:
        # an empty dataset still needs one FROM, else the engine's default graph would be read
        names = sorted(_sparql_iri(g) for g in from_graphs) or ["<urn:x-policykg:no-graph>"]
        dataset = "".join(f"FROM {n}\n" for n in names)
    return f"CONSTRUCT {{ {template} }}\n{dataset}WHERE {{\n  " + "\n  UNION ".join(parts) + "\n}"


PKG_NS_STR = str(PKG)


def _parent_domains(host: str) -> list[str]:
    """``www.ndrc.gov.cn`` -> ``["www.ndrc.gov.cn", "ndrc.gov.cn", "gov.cn"]`` (no bare TLD)."""
    labels = host.lower().strip(".").split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)] if len(labels) > 1 else []


def incremental_context(store_query_fn: Callable[[str], Any], data: Graph, *,
                        scan_titles: bool = False) -> Graph:
    """Fetch from the store the neighbourhood that ``data`` refers to (one CONSTRUCT).

    ``store_query_fn(sparql)`` returns an rdflib Graph (e.g. ``Store.construct``),
    an iterable of rdflib triples, or pyoxigraph ``QueryTriples``
    (``lambda q: store.query(q, use_default_graph_as_union=True)``).

    The query is :func:`neighbourhood_query` over: every subject of ``data``
    (so the stored version of a changed resource is seen) and every IRI object
    but classes; the English titles of the new policies, and the IRI
    :meth:`~policykg.vocab.Minter.policy` would mint from each title (so a
    duplicate of a minted policy is found by index lookups); their source URLs
    and the hosts of those; their jurisdictions. ``scan_titles=True`` adds the
    jurisdiction scan of :func:`neighbourhood_query` (``title_keys``), which
    also finds case/punctuation variants under IRIs not minted from the title,
    at a cost that grows with the jurisdiction's policies; without it those are
    left to a full validation.

    Returns an rdflib Graph (possibly empty). Cost: a few index lookups per
    new resource, independent of the store size (without ``scan_titles``).
    """
    iris: set[URIRef] = set()
    for s, p, o in data:
        if isinstance(s, URIRef):
            iris.add(s)
        if isinstance(o, URIRef) and p != RDF.type:
            iris.add(o)
    titles: set[Literal] = set()
    hosts: set[str] = set()
    urls: set[URIRef] = set()
    jurisdictions: set[URIRef] = set()
    keys: set[tuple[URIRef, str]] = set()
    for policy in set(data.subjects(RDF.type, PKG.Policy)):
        head, sep, _ = str(policy).partition("id/policy/")
        base = head if sep and head.endswith("/") else None
        for url in data.objects(policy, PKG.sourceURL):
            if isinstance(url, URIRef):
                urls.add(url)
            host = urlsplit(str(url)).hostname
            if host:
                hosts.add(host)
        for j in data.objects(policy, PKG.jurisdiction):
            if not isinstance(j, URIRef):
                continue
            jurisdictions.add(j)
            for t in data.objects(policy, DCTERMS.title):
                if not (isinstance(t, Literal) and (t.language or "").lower().startswith("en")):
                    continue
                titles.add(t)
                keys.add((j, normalise_title(str(t))))
                if base:
                    try:
                        iris.add(Minter(base).policy(str(t), str(j).rsplit("/", 1)[-1]))
                    except ValueError:
                        pass
        for j in data.objects(policy, PKG.localJurisdiction):
            if isinstance(j, URIRef):
                jurisdictions.add(j)
    if not iris:
        return Graph()
    result = store_query_fn(neighbourhood_query(
        iris, source_urls=urls, titles=titles, hosts=hosts, jurisdictions=jurisdictions,
        title_keys=keys if scan_titles else ()))
    return _as_rdflib_graph(result)


def _as_rdflib_graph(result: Any) -> Graph:
    if isinstance(result, Graph):
        return result
    g = Graph()
    try:
        import pyoxigraph as ox
    except ImportError:  # pragma: no cover - pyoxigraph is a dependency
        ox = None
    if ox is not None and isinstance(result, ox.QueryTriples):
        data = ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)
        if data:
            g.parse(data=data.decode("utf-8"), format="nt")
        return g
    for t in result:
        g.add(tuple(t))
    return g


class _IllTypedLiteralFilter(logging.Filter):
    """Drops rdflib's "Failed to convert Literal lexical form to value" records (see
    :func:`quiet_ill_typed_literals`)."""

    def filter(self, record: logging.LogRecord) -> bool:  # noqa: D102
        return not str(record.msg).startswith("Failed to convert Literal lexical form to value")


def quiet_ill_typed_literals() -> None:
    """Stop rdflib from printing a Python traceback for each ill-typed literal it parses
    (``"2022-13-01"^^xsd:date``: rdflib 7 logs a warning with the exception on the ``rdflib.term``
    logger). Such a literal is the curator's error, reported by the shapes' ``sh:datatype``
    constraints (SHACL 1.0 §4.1.2: ill-typed literals do not conform) with the entry, field and line;
    the traceback read as a crash. Idempotent; other ``rdflib.term`` records pass."""
    logger = logging.getLogger("rdflib.term")
    if not any(isinstance(f, _IllTypedLiteralFilter) for f in logger.filters):
        logger.addFilter(_IllTypedLiteralFilter())



# --------------------------------------------------------------------------------------
# Validation where it can be stopped: worker processes killed at a deadline


class ValidationTimeout(QueryTimeout):
    """A validation ran past its time limit (``validate_timeout_s``); its worker process was killed.

    503 (the server stopped it): split the input, or run ``policykg validate`` on the command line,
    which has no time limit.
    """

    title = "Validation timed out"

    def problem(self) -> dict[str, Any]:  # the documented type: errors.py lists the documented problem types
        body = super().problem()
        body["type"] = body["type"].rsplit("/", 1)[0] + "/QueryTimeout"
        return body


class _ValidationWorker(PipeWorker):
    """One worker process holding a :class:`Validator` (:func:`_serve_validation`), started and ended as
    the query pool's workers are (:class:`policykg.querypool.PipeWorker`)."""

    label = "validation worker"
    stop_wait_s = 2.0

    def __init__(self, shapes_dir: Path, ontology_dir: Path, base_iri: str) -> None:
        super().__init__("policykg.validation", "_serve_validation", str(shapes_dir), str(ontology_dir), base_iri)
        self.ready = False

    def wait_ready(self, timeout_s: float = 120.0) -> None:
        """Block until the worker has loaded the shapes (start-up is not charged to any validation)."""
        if self.ready:
            return
        try:
            if self.conn.poll(timeout_s):
                message = self.conn.recv()
                if message == ("ready",):
                    self.ready = True
                    return
                if isinstance(message, tuple) and message[0] == "error":
                    self.kill()
                    raise InputError(f"the validation worker cannot load the shapes: {message[1]}")
        except (EOFError, OSError):
            pass
        self.kill()
        from .errors import StoreError  # noqa: PLC0415

        raise StoreError(f"a validation worker did not start within {timeout_s:g} s")


def _serve_validation(read_fd: int, write_fd: int, shapes_dir: str, ontology_dir: str, base_iri: str) -> None:
    """Entry point of a validation worker: load the shapes, then answer ``validate`` calls until EOF."""
    import signal  # noqa: PLC0415
    from multiprocessing.connection import Connection  # noqa: PLC0415


    # No prctl(PR_SET_PDEATHSIG): it fires when the *thread* that started the worker ends (a web
    # server's pool thread, the restart thread), not the server. The worker ends at EOF on its pipe.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    quiet_ill_typed_literals()
    conn = _Duplex(Connection(read_fd, writable=False), Connection(write_fd, readable=False))
    try:
        validator = Validator(Path(shapes_dir), Path(ontology_dir), base_iri=base_iri)
    except Exception as exc:  # noqa: BLE001 - reported to the server
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    try:
        validator.validate(_warm_up_graph(validator.shapes_graph))
    except Exception:  # noqa: BLE001 - warming up is an optimisation; the real calls report their errors
        pass
    conn.send(("ready",))
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        data, kwargs = msg
        try:
            conn.send(("ok", validator.validate(data, **kwargs)))
        except Exception as exc:  # noqa: BLE001 - reported to the server, which raises it
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


def _warm_up_graph(shapes: Graph) -> Graph:
    """A graph with one node for each target of ``shapes`` (a member of each target class, a subject or
    object of each target property): validating it once makes rdflib parse every SHACL-SPARQL text the
    shapes hand it (about 1 s in all, :class:`_QueryCachingGraph`), so that a worker's first request
    does not pay for it."""
    g = Graph()
    for i, cls in enumerate(sorted(set(shapes.objects(None, SH.targetClass)), key=str)):
        g.add((URIRef(f"urn:x-policykg:warm-up:class-{i}"), RDF.type, cls))
    for i, prop in enumerate(sorted(set(shapes.objects(None, SH.targetSubjectsOf)), key=str)):
        g.add((URIRef(f"urn:x-policykg:warm-up:subject-{i}"), prop, URIRef(f"urn:x-policykg:warm-up:value-{i}")))
    for i, prop in enumerate(sorted(set(shapes.objects(None, SH.targetObjectsOf)), key=str)):
        g.add((URIRef(f"urn:x-policykg:warm-up:holder-{i}"), prop, URIRef(f"urn:x-policykg:warm-up:object-{i}")))
    return g


class ValidationPool:
    """Runs :meth:`Validator.validate` in worker processes that are killed at a deadline.

    pySHACL runs in Python and cannot be interrupted from another thread (a thread left running
    would keep its CPU and memory), so the HTTP API validates in ``workers`` worker processes, each
    holding the shapes: a validation past ``timeout_s`` gets its worker killed (``SIGKILL``: CPU
    and memory are freed at once; a replacement is started in the background) and the caller gets
    :class:`ValidationTimeout` (503) at the deadline. At most ``workers`` validations run at once;
    the others wait for a free worker within their own deadline (the limit covers waiting and
    validating). Start-up of a worker (about 2 s: imports and shapes) is not charged to the request.
    Thread-safe.

    :meth:`validate` has :meth:`Validator.validate`'s signature, so a pool stands in for a
    validator (``policykg.ingest.validate_entries``, ``merge_entries``).
    """

    def __init__(self, shapes_dir: Path, ontology_dir: Path, *, base_iri: str = DEFAULT_BASE_IRI,
                 workers: int = 1, timeout_s: float = 15.0) -> None:
        self.args = (Path(shapes_dir), Path(ontology_dir), base_iri)
        self.timeout_s = timeout_s
        self.workers = workers
        self._idle: list[_ValidationWorker] = []
        self._slots = threading.BoundedSemaphore(workers)
        self._lock = threading.Lock()
        self._closed = False

    def _take(self) -> _ValidationWorker:
        with self._lock:
            worker = self._idle.pop() if self._idle else None
        if worker is None:
            worker = _ValidationWorker(*self.args)
        worker.wait_ready()
        return worker

    def _give_back(self, worker: _ValidationWorker) -> None:
        with self._lock:
            keep = not self._closed and len(self._idle) < self.workers
            if keep:
                self._idle.append(worker)
        if not keep:  # closed, or a replacement started while a request started its own: one too many
            worker.stop()

    def _replace(self) -> None:
        def start() -> None:
            try:
                worker = _ValidationWorker(*self.args)
                worker.wait_ready()
            except Exception:  # noqa: BLE001 - the next request starts one itself
                return
            self._give_back(worker)

        threading.Thread(target=start, name="policykg-validation-restart", daemon=True).start()

    def validate(self, data: Graph, *, context: Graph | None = None, focus_nodes: Iterable[URIRef] | None = None,
                 source_lines: Mapping[str, Any] | None = None, timeout_s: float | None = None) -> ValidationReport:
        """:meth:`Validator.validate` in a worker; :class:`ValidationTimeout` past ``timeout_s`` (default
        the pool's), with the worker killed. A failure in the worker raises InputError naming it."""
        limit = self.timeout_s if timeout_s is None else timeout_s
        deadline = time.monotonic() + limit
        if not self._slots.acquire(timeout=limit):
            raise ValidationTimeout(f"every validation worker stayed busy for {limit:g} s: try again later")
        try:
            started = time.monotonic()
            worker = self._take()
            # A worker's start-up is not the request's; the wait for a free worker is (the limit is the
            # request's whole time, as the README says).
            deadline += time.monotonic() - started
            if deadline - time.monotonic() < 0.05:
                self._give_back(worker)
                raise ValidationTimeout(f"every validation worker stayed busy for {limit:g} s: try again later")
            try:
                worker.conn.send((data, {"context": context, "source_lines": source_lines,
                                         "focus_nodes": None if focus_nodes is None else list(focus_nodes)}))
                answered = worker.conn.poll(max(0.0, deadline - time.monotonic()))
                reply = worker.conn.recv() if answered else None
            except (EOFError, OSError):
                worker.kill()
                self._replace()
                raise InputError("the validation worker ended unexpectedly; nothing was validated") from None
            if reply is None:
                worker.kill()
                self._replace()
                raise ValidationTimeout(
                    f"the validation ran past its limit of {limit:g} s and was stopped: split the input, or "
                    "check it with `policykg validate` on the command line, which has no time limit",
                    limit_s=limit)
            self._give_back(worker)
            if reply[0] == "error":
                raise InputError(f"validation failed: {reply[1]}")
            return reply[1]
        finally:
            self._slots.release()

    def close(self) -> None:
        """Stop the idle workers (a busy one is stopped when it comes back)."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()
