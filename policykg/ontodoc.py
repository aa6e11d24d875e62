"""Parts of the ontology documentation (``GET /ontology``) drawn from the ontology and the data.

* :func:`relation_diagram_svg` draws the main relations of the ontology as an SVG
  picture: the core classes of ``shared/design/ontology-core.md`` ("Classes") as
  labelled boxes, ``pkg:Policy`` in the centre and the others on an ellipse around
  it, and every ``owl:ObjectProperty`` whose domain and range are both drawn classes
  as a labelled arrow from domain to range. Domains and ranges are read from the
  graph (``rdfs:domain`` / ``rdfs:range`` and their schema.org counterparts
  ``schema:domainIncludes`` / ``schema:rangeIncludes``), never written here. The
  picture is plain SVG 1.1 text (no script), with a ``<title>`` on the picture, on
  every box and on every arrow (SVG 1.1 §5.4, "The 'desc' and 'title' elements").
* :func:`class_examples` gives, for each class, an example instance from the store
  in Turtle: the first instance by IRI order and its concise bounded description
  (CBD, W3C Member Submission "CBD", 2005, §2), trimmed to a few lines.

Pure functions: no web framework. The API's ``/ontology`` route passes their
results to ``api/templates/ontology.html``.
"""

from __future__ import annotations

import html
import math
from collections import defaultdict
from typing import Any, Iterable, Mapping

import rdflib
from rdflib import URIRef
from rdflib.namespace import OWL

from .vocab import DCTERMS, OA, PKG, PKG_NS, RDF, RDFS, SKOS, XSD

__all__ = ["CORE_CLASSES", "relation_diagram_svg", "diagram_relations", "class_examples", "EXAMPLE_QUERY_FIRST",
           "EXAMPLE_QUERY_CBD"]

_SCHEMA = rdflib.Namespace("https://schema.org/")

#: The core classes, in the order they are placed around the centre (clockwise from the top).
#: ``shared/design/ontology-core.md`` ("Classes") and its text spans (``pkg:TextSpan``). The order
#: puts classes linked to each other side by side (Agency–Region, Target–Provision–TextSpan,
#: Report–Briefing–Agency) so that few arrows cross; the first is drawn in the centre.
CORE_CLASSES: tuple[URIRef, ...] = (
    PKG.Policy,
    PKG.Agency, PKG.Region, PKG.PolicyGenre, PKG.Instrument, PKG.Sector,
    PKG.Target, PKG.Provision, PKG.TextSpan, PKG.Report, PKG.Briefing,
)

# Picture geometry (SVG user units = CSS px).
_WIDTH, _HEIGHT = 1000, 680
_CX, _CY = 500, 340
_RX, _RY = 385, 265
_BOX_H = 34
_FONT = 13
_LABEL_FONT = 11
_PARALLEL_GAP = 15


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _local(iri: URIRef) -> str:
    s = str(iri)
    return s[len(PKG_NS):] if s.startswith(PKG_NS) else s.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _text(g: rdflib.Graph, node: URIRef, *props: URIRef) -> str:
    """The English (else untagged) literal of the first of ``props`` that ``node`` has, or ``""``."""
    for p in props:
        found = sorted((o for o in g.objects(node, p) if isinstance(o, rdflib.Literal)), key=str)
        for want in ("en", None):
            for o in found:
                if o.language == want:
                    return str(o)
    return ""


def diagram_relations(graph: rdflib.Graph,
                      classes: Iterable[URIRef] = CORE_CLASSES) -> list[tuple[URIRef, URIRef, URIRef]]:
    """The arrows of the diagram: ``(property, domain, range)`` triples, sorted.

    One entry for every ``owl:ObjectProperty`` in ``graph`` and every pair of its
    domain (``rdfs:domain`` or ``schema:domainIncludes``) and range (``rdfs:range``
    or ``schema:rangeIncludes``) that are both in ``classes`` (IRIs only: a class
    expression such as an ``owl:unionOf`` blank node is not drawn).
    """
    wanted = set(classes)
    out = set()
    for prop in graph.subjects(RDF.type, OWL.ObjectProperty):
        if not isinstance(prop, URIRef):
            continue
        domains = {d for p in (RDFS.domain, _SCHEMA.domainIncludes) for d in graph.objects(prop, p) if d in wanted}
        ranges = {r for p in (RDFS.range, _SCHEMA.rangeIncludes) for r in graph.objects(prop, p) if r in wanted}
        out.update((prop, d, r) for d in domains for r in ranges)
    return sorted(out, key=lambda t: (str(t[1]), str(t[2]), str(t[0])))


def _positions(classes: list[URIRef]) -> dict[URIRef, tuple[float, float]]:
    """Centre of each box: the first class in the centre, the others evenly on an ellipse from the top."""
    pos: dict[URIRef, tuple[float, float]] = {}
    if not classes:
        return pos
    pos[classes[0]] = (_CX, _CY)
    rest = classes[1:]
    for i, c in enumerate(rest):
        angle = -math.pi / 2 + 2 * math.pi * i / len(rest)
        pos[c] = (round(_CX + _RX * math.cos(angle), 1), round(_CY + _RY * math.sin(angle), 1))
    return pos


def _box_width(name: str) -> float:
    return max(86.0, 8.2 * len(name) + 26)


def _border(centre: tuple[float, float], half_w: float, toward: tuple[float, float]) -> tuple[float, float]:
    """Where the ray from ``centre`` in direction ``toward`` (a vector) leaves a box of half-width ``half_w``."""
    dx, dy = toward
    half_h = _BOX_H / 2 + 3  # a little air between arrow head and box
    half_w += 3
    scale = min(half_w / abs(dx) if dx else math.inf, half_h / abs(dy) if dy else math.inf)
    return centre[0] + dx * scale, centre[1] + dy * scale


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def relation_diagram_svg(graph: rdflib.Graph, classes: Iterable[URIRef] = CORE_CLASSES,
                         title: str = "Main relations of the policykg ontology") -> str:
    """An SVG picture (text of one ``<svg>`` element, no script) of the main relations in ``graph``.

    Boxes: each of ``classes`` that ``graph`` declares (``a owl:Class`` or ``a rdfs:Class``),
    the first in the centre and the rest clockwise from the top on an ellipse; each box is a
    ``<g class="class" data-iri="...">`` with a ``<title>`` (CURIE, English label and
    definition) and links to the class's entry ``#{local name}`` on the documentation page.

    Arrows: :func:`diagram_relations` of the drawn classes, each a
    ``<g class="relation" data-property data-domain data-range>`` with a ``<title>``
    ("pkg:issuedBy: Policy → Agency"), a line from the domain box to the range box
    (parallel arrows between the same two boxes are drawn side by side; a property whose
    domain is its range is a loop) and its local name as a label, linked to ``#{name}``.

    The layout depends only on the order of ``classes`` and on the relations, so the same
    graph always gives the same text. Every text from the graph is XML-escaped. Sizes are
    SVG user units (px); the picture is 1000 × 680 and scales with its ``viewBox``.
    """
    declared = set(graph.subjects(RDF.type, OWL.Class)) | set(graph.subjects(RDF.type, RDFS.Class))
    drawn = [c for c in dict.fromkeys(classes) if c in declared]
    pos = _positions(drawn)
    half = {c: _box_width(_local(c)) / 2 for c in drawn}
    relations = diagram_relations(graph, drawn)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="diagram" aria-labelledby="pkg-diagram-title '
             f'pkg-diagram-desc" viewBox="0 0 {_WIDTH} {_HEIGHT}" width="{_WIDTH}" height="{_HEIGHT}" '
             f'font-family="sans-serif" style="max-width:100%;height:auto">',
             f'<title id="pkg-diagram-title">{_esc(title)}</title>',
             f'<desc id="pkg-diagram-desc">{_esc(_describe(drawn, relations))}</desc>',
             '<defs><marker id="pkg-diagram-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
             'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#456"/></marker></defs>']
    if not drawn:
        parts.append('<text x="20" y="40" font-size="14">The ontology declares none of the core classes.</text></svg>')
        return "".join(parts)

    # Group arrows by the unordered pair of boxes they join, so parallel ones are spread apart.
    groups: dict[tuple[str, str], list[tuple[URIRef, URIRef, URIRef]]] = defaultdict(list)
    for rel in relations:
        _, d, r = rel
        groups[tuple(sorted((str(d), str(r))))].append(rel)  # type: ignore[arg-type]

    edge_parts: list[str] = []
    for key in sorted(groups):
        rels = groups[key]
        if key[0] == key[1]:
            edge_parts.extend(_loops(rels, pos, half))
        else:
            edge_parts.extend(_parallel(rels, pos, half, drawn[0]))
    parts.append('<g class="relations">' + "".join(edge_parts) + "</g>")

    parts.append('<g class="classes">')
    for c in drawn:
        x, y = pos[c]
        w = half[c] * 2
        name = _local(c)
        label = _text(graph, c, RDFS.label, SKOS.prefLabel)
        definition = _text(graph, c, SKOS.definition, RDFS.comment)
        tip = f"pkg:{name}" + (f" ({label})" if label and label.lower() != name.lower() else "")
        tip += f": {definition}" if definition else ""
        centre = c == drawn[0]
        parts.append(
            f'<g class="class" data-iri="{_esc(c)}"><a href="#{_esc(name)}"><title>{_esc(tip)}</title>'
            f'<rect x="{_fmt(x - w / 2)}" y="{_fmt(y - _BOX_H / 2)}" width="{_fmt(w)}" height="{_BOX_H}" rx="6" '
            f'fill="{"#ffe9b3" if centre else "#e8f1fa"}" stroke="{"#b07d00" if centre else "#4a7aa8"}" '
            f'stroke-width="{2 if centre else 1.2}"/>'
            f'<text x="{_fmt(x)}" y="{_fmt(y + _FONT / 2 - 1)}" font-size="{_FONT}" text-anchor="middle" '
            f'font-weight="{"bold" if centre else "normal"}" fill="#123">{_esc(name)}</text></a></g>')
    parts.append("</g></svg>")
    return "".join(parts)


def _describe(drawn: list[URIRef], relations: list[tuple[URIRef, URIRef, URIRef]]) -> str:
    """A text equivalent of the picture, for readers who cannot see it (WCAG 2.1, SC 1.1.1)."""
    boxes = ", ".join(_local(c) for c in drawn)
    arrows = "; ".join(f"{_local(d)} {_local(p)} {_local(r)}" for p, d, r in relations)
    return f"Classes: {boxes}. Relations (domain property range): {arrows or 'none'}."


def _relation_open(p: URIRef, d: URIRef, r: URIRef) -> str:
    return (f'<g class="relation" data-property="{_esc(p)}" data-domain="{_esc(d)}" data-range="{_esc(r)}">'
            f'<a href="#{_esc(_local(p))}"><title>{_esc(f"pkg:{_local(p)}: {_local(d)} → {_local(r)}")}</title>')


def _label(x: float, y: float, text: str, anchor: str = "middle") -> str:
    return (f'<text x="{_fmt(x)}" y="{_fmt(y + _LABEL_FONT / 2 - 1)}" font-size="{_LABEL_FONT}" text-anchor="{anchor}" '
            f'fill="#234" stroke="#fff" stroke-width="3" paint-order="stroke">{_esc(text)}</text>')


def _parallel(rels: list[tuple[URIRef, URIRef, URIRef]], pos: Mapping[URIRef, tuple[float, float]],
              half: Mapping[URIRef, float], centre: URIRef) -> list[str]:
    """Arrows between two different boxes, offset sideways from each other, labels staggered along them."""
    out = []
    k = len(rels)
    first = min((rels[0][1], rels[0][2]), key=str)  # a fixed orientation for the sideways offset
    for i, (p, d, r) in enumerate(rels):
        (x1, y1), (x2, y2) = pos[d], pos[r]
        ax, ay = pos[first]
        bx, by = pos[r] if first == d else pos[d]
        length = math.hypot(bx - ax, by - ay) or 1.0
        nx, ny = -(by - ay) / length, (bx - ax) / length  # unit normal of the pair's axis
        shift = (i - (k - 1) / 2) * _PARALLEL_GAP
        sx, sy = x1 + nx * shift, y1 + ny * shift
        ex, ey = x2 + nx * shift, y2 + ny * shift
        direction = (ex - sx, ey - sy)
        start = _border((sx, sy), half[d], direction)
        end = _border((ex, ey), half[r], (-direction[0], -direction[1]))
        # Labels of arrows that do not touch the centre box sit nearer their domain end, away from the
        # radial arrows of the centre box that a long chord crosses half way.
        middle = 0.5 if centre in (d, r) else 0.36
        t = middle if k == 1 else 0.32 + 0.36 * i / (k - 1)
        lx, ly = start[0] + (end[0] - start[0]) * t, start[1] + (end[1] - start[1]) * t
        out.append(_relation_open(p, d, r)
                   + f'<line x1="{_fmt(start[0])}" y1="{_fmt(start[1])}" x2="{_fmt(end[0])}" y2="{_fmt(end[1])}" '
                   f'stroke="#456" stroke-width="1.3" marker-end="url(#pkg-diagram-arrow)"/>'
                   + _label(lx, ly, _local(p)) + "</a></g>")
    return out


def _loops(rels: list[tuple[URIRef, URIRef, URIRef]], pos: Mapping[URIRef, tuple[float, float]],
           half: Mapping[URIRef, float]) -> list[str]:
    """Arrows from a box to itself: nested loops on the side facing away from the centre
    (to the right for the centre box, where the ellipse leaves a gap)."""
    out = []
    c = rels[0][1]
    x, y = pos[c]
    dx, dy = x - _CX, y - _CY
    norm = math.hypot(dx, dy)
    ux, uy = (dx / norm, dy / norm) if norm else (1.0, 0.0)
    px, py = -uy, ux
    for i, (p, d, r) in enumerate(rels):
        reach = 34 + 26 * i
        spread = 7 + 3 * i
        bx, by = _border((x, y), half[c], (ux, uy))
        s = (bx + px * spread, by + py * spread)
        e = (bx - px * spread, by - py * spread)
        c1 = (s[0] + ux * reach + px * spread * 2.2, s[1] + uy * reach + py * spread * 2.2)
        c2 = (e[0] + ux * reach - px * spread * 2.2, e[1] + uy * reach - py * spread * 2.2)
        # Labels beyond the outermost loop, stacked across the loops' axis so they never overlap.
        outer = bx + ux * (34 + 26 * (len(rels) - 1)) * 0.8, by + uy * (34 + 26 * (len(rels) - 1)) * 0.8
        anchor = "start" if ux > 0.3 else "end" if ux < -0.3 else "middle"
        stack = (i - (len(rels) - 1) / 2) * (_LABEL_FONT + 3)
        lx = outer[0] + (6 if anchor == "start" else -6 if anchor == "end" else 0)
        ly = outer[1] + (10 if anchor == "middle" and uy > 0 else -10 if anchor == "middle" else 0)
        if anchor == "middle":
            ly += stack * (1 if uy > 0 else -1)
        else:
            ly += stack
        out.append(_relation_open(p, d, r)
                   + f'<path d="M{_fmt(s[0])},{_fmt(s[1])} C{_fmt(c1[0])},{_fmt(c1[1])} {_fmt(c2[0])},{_fmt(c2[1])} '
                   f'{_fmt(e[0])},{_fmt(e[1])}" fill="none" stroke="#456" stroke-width="1.3" '
                   f'marker-end="url(#pkg-diagram-arrow)"/>' + _label(lx, ly, _local(p), anchor) + "</a></g>")
    return out


# ---------------------------------------------------------------------------
# Examples
# ---------------------------------------------------------------------------

#: The first instance of ``?class`` by IRI order (blank nodes have no stable order and are skipped).
#: ``?class`` is projected because Oxigraph binds only projected variables (``substitutions``).
EXAMPLE_QUERY_FIRST = "SELECT ?s ?class WHERE { ?s a ?class . FILTER(isIRI(?s)) } ORDER BY ?s LIMIT 1"

#: The concise bounded description of ``?s`` (W3C Member Submission "CBD", 2005, §2): its triples and
#: those of the blank nodes it reaches, followed through two levels of blank nodes (SPARQL has no
#: recursion over blank nodes only; the project's data nests blank nodes at most one level deep).
EXAMPLE_QUERY_CBD = """CONSTRUCT { ?s ?p ?o . ?b ?bp ?bo . ?b2 ?bp2 ?bo2 }
WHERE {
  { ?s ?p ?o }
  UNION { ?s ?p ?b . FILTER(isBlank(?b)) ?b ?bp ?bo }
  UNION { ?s ?p ?b . FILTER(isBlank(?b)) ?b ?bq ?b2 . FILTER(isBlank(?b2)) ?b2 ?bp2 ?bo2 }
}"""

_PREFIXES = {"pkg": PKG_NS, "dcterms": str(DCTERMS), "skos": str(SKOS), "rdfs": str(RDFS), "oa": str(OA),
             "xsd": str(XSD), "owl": str(OWL), "prov": "http://www.w3.org/ns/prov#", "schema": str(_SCHEMA),
             "unit": "http://qudt.org/vocab/unit/", "cur": "http://qudt.org/vocab/currency/",
             "org": "http://www.w3.org/ns/org#"}


def class_examples(store: Any, classes: Iterable[URIRef], max_lines: int = 20) -> dict[str, str]:
    """An example in Turtle for each of ``classes`` that has an instance in ``store``.

    ``store`` is any object with the :class:`policykg.store.Store` methods
    ``select(sparql, bindings)`` and ``construct(sparql, bindings)``. For each class
    (bound as ``?class``, never spliced into the query) the first instance by IRI order
    (:data:`EXAMPLE_QUERY_FIRST`) is described by :data:`EXAMPLE_QUERY_CBD` (``?s`` bound)
    and serialised as Turtle with the usual prefixes. When the Turtle has more than
    ``max_lines`` lines after its ``@prefix`` lines, it is cut there and a comment
    ``# … N more lines`` ends it.

    Returns ``{class IRI as str: Turtle text}``; a class without an instance has no key.
    Store errors (:class:`~policykg.errors.StoreError`) propagate.
    """
    out: dict[str, str] = {}
    for cls in dict.fromkeys(classes):
        rows = store.select(EXAMPLE_QUERY_FIRST, {"class": URIRef(cls)})
        if not rows or rows[0].get("s") is None:
            continue
        g = store.construct(EXAMPLE_QUERY_CBD, {"s": rows[0]["s"]})
        if not len(g):
            continue
        out[str(cls)] = _turtle(g, max_lines)
    return out


def _turtle(g: rdflib.Graph, max_lines: int) -> str:
    """``g`` as Turtle with the project's prefixes (only those used), body cut after ``max_lines`` lines."""
    bound = rdflib.Graph(bind_namespaces="none")
    used = {str(t) for triple in g for t in triple if isinstance(t, URIRef)}
    used |= {str(o.datatype) for o in g.objects() if isinstance(o, rdflib.Literal) and o.datatype is not None}
    for prefix, ns in _PREFIXES.items():
        if any(u.startswith(ns) for u in used):
            bound.bind(prefix, ns, override=True)
    bound += g
    lines = bound.serialize(format="turtle").strip().splitlines()
    head = [x for x in lines if x.startswith("@prefix")]
    body = [x for x in lines if not x.startswith("@prefix")]
    while body and not body[0].strip():
        body.pop(0)
    if len(body) > max_lines:
        rest = len(body) - max_lines
        body = body[:max_lines] + [f"# … {rest} more line{'s' if rest != 1 else ''}"]
    return "\n".join(head + ([""] if head else []) + body) + "\n"
