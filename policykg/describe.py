"""Descriptions of resources and the page models built from them (pure: no web framework).

What a linked-data document about a resource holds (``/doc/{kind}/{slug}``):

* the resource's own triples (its concise bounded description, CBD: W3C
  Member Submission "CBD", 2005, §2), including the triples of the blank
  nodes it points to;
* the triples of its parts: targets, provisions, evidence spans, quality
  notes (``pkg:setsTarget``, ``pkg:hasProvision``, ``pkg:evidence``,
  ``pkg:qualityNote``), and the evidence spans of those targets/provisions;
* the labels (``skos:prefLabel``, ``dcterms:title``, ``rdfs:label``) of
  everything it or its parts link to, so a reader sees names, not IRIs,
  among them the title of the briefing each evidence span quotes;
* the links into it (``?x ?p <resource>``) with the labels, types and
  publication dates of their subjects (an agency's policies, a region's
  cities), and, for a briefing, the evidence spans taken from it
  (``{briefing}#char=s,e`` fragments: Cool URIs for the Semantic Web §4.2,
  a hash IRI is described by the document of its base IRI).

Both queries run with the resource's IRI bound as ``?s`` by the store
(``bindings``), never pasted into the query text; a hub's (:func:`describe_bounded`)
get it written in as an N-Triples term. The IRI itself comes from
:func:`resource_iri`, which accepts only slugs matching ``[A-Za-z0-9._~-]+``
(RFC 3986 unreserved characters).

The page models (``*_page`` functions) turn a description graph into plain
dicts and lists for the jinja2 templates and for embedded schema.org JSON-LD.
"""

from __future__ import annotations

import calendar
import functools
import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCAT
from rdflib.term import Node

from .errors import NotFound
from .store import Store
from .vocab import DCTERMS, EXTERNAL_NS, KINDS, OA, PKG, PKG_NS, RDF, RDFS, SKOS, XSD

__all__ = [
    "SLUG_PATTERN", "KIND_PATTERN", "LABEL_PROPERTIES", "PART_PROPERTIES", "Link", "resource_iri", "resource_exists",
    "no_resource",
    "describe", "local_path", "safe_href", "kind_of", "label", "labels", "policy_page", "agency_page", "region_page",
    "briefing_page", "concept_page", "report_page", "generic_page", "page_for", "year_page", "list_policies",
    "PolicyFilters", "facet_options", "listed_total", "concept_policies", "graph_counts", "targets_by_year_indicator", "targets_without_year",
    "policies_by_region",
    "publications_by_month", "schema_org_jsonld", "bar_chart_svg", "tile_map_svg", "timeline_svg",
    "PROVINCE_TILES", "sitemap_resources", "UNIT_SYMBOLS", "INDICATOR_FAMILIES", "ontology_page", "region_targets",
    "briefing_order", "list_briefings", "edtf_label", "edtf_interval", "YEAR_PAGE_SIZE", "PAGE_LIST_SIZE",
    "TargetRows", "describe_bounded", "HUB_LINKS",
]

#: A slug is one path segment of RFC 3986 unreserved characters (§2.3).
SLUG_PATTERN = re.compile(r"[A-Za-z0-9._~-]+\Z")  # \Z, not $: $ also matches before a final "\n"
#: A kind is the path segment after ``id/``: lower-case letters, digits and hyphens.
KIND_PATTERN = re.compile(r"[a-z][a-z0-9-]{0,40}\Z")
#: Properties whose values name a resource, in order of preference.
LABEL_PROPERTIES = (SKOS.prefLabel, DCTERMS.title, RDFS.label)
#: Properties whose objects are parts of the subject, described in its document.
PART_PROPERTIES = (PKG.setsTarget, PKG.hasProvision, PKG.evidence, PKG.qualityNote)

_PREFIXES = f"""PREFIX pkg: <{PKG_NS}>
PREFIX skos: <{SKOS}>
PREFIX dcterms: <{DCTERMS}>
PREFIX rdfs: <{RDFS}>
PREFIX rdf: <{RDF}>
PREFIX oa: <{OA}>
PREFIX xsd: <{XSD}>
"""

#: Outgoing part of a description: CBD + parts + labels of everything linked (``?s`` bound).
#: Label predicates are chosen with ``FILTER(?lp IN (...))``, not ``VALUES``: Oxigraph 0.5 joins a
#: ``VALUES`` block first, which turns each branch into a scan of every label in the store.
DESCRIBE_OUT = _PREFIXES + """
CONSTRUCT {
  ?s ?p ?o . ?o ?lp ?label .
  ?x ?xp ?xo . ?xo ?xlp ?xlabel .
  ?y ?yp ?yo .
  ?b ?blp ?blabel .
}
WHERE {
  { ?s ?p ?o }
  UNION { ?s ?p ?o . ?o ?lp ?label . FILTER(?lp IN (skos:prefLabel, dcterms:title, rdfs:label)) }
  UNION { ?s ?p ?x . FILTER(isBlank(?x)) ?x ?xp ?xo }
  UNION { ?s pkg:setsTarget|pkg:hasProvision|pkg:evidence|pkg:qualityNote ?x . ?x ?xp ?xo }
  UNION { ?s pkg:setsTarget|pkg:hasProvision ?x . ?x ?xp ?xo .
          ?xo ?xlp ?xlabel . FILTER(?xlp IN (skos:prefLabel, dcterms:title, rdfs:label)) }
  UNION { ?s pkg:setsTarget|pkg:hasProvision ?t . ?t pkg:evidence ?y . ?y ?yp ?yo }
  UNION { ?s pkg:evidence ?e . ?e oa:hasSource ?b . ?b ?blp ?blabel .
          FILTER(?blp IN (skos:prefLabel, dcterms:title, rdfs:label)) }
  UNION { ?s pkg:setsTarget|pkg:hasProvision ?t . ?t pkg:evidence ?e . ?e oa:hasSource ?b . ?b ?blp ?blabel .
          FILTER(?blp IN (skos:prefLabel, dcterms:title, rdfs:label)) }
}
"""

#: :data:`DESCRIBE_IN` and the hub's (:data:`_DESCRIBE_IN_HUB`) around their ``%s``: the links into ``?s`` and
#: their subjects' labels, types and dates, which the hub's query cuts at its bound.
_DESCRIBE_IN_AROUND = _PREFIXES + """
CONSTRUCT {
  ?in ?ip ?s . ?in ?lp ?label .
  ?y ?yp ?yo .
  ?n ?np ?no .
}
WHERE {
  %s
  UNION { ?y oa:hasSource ?s . ?y ?yp ?yo }
  UNION { ?pol pkg:reportedIn ?s ; pkg:qualityNote ?n . FILTER(STRSTARTS(STR(?n), CONCAT(STR(?s), "#"))) ?n ?np ?no }
}
"""

#: Incoming part: links into ``?s`` with their subjects' labels/types/dates, spans taken from ``?s``, and the
#: quality notes minted under a briefing's IRI (``{briefing}#note-...``), which dereference to its document.
DESCRIBE_IN = _DESCRIBE_IN_AROUND % """{ ?in ?ip ?s . FILTER(?ip != oa:hasSource) }
  UNION { ?in ?ip ?s . FILTER(?ip != oa:hasSource)
          ?in ?lp ?label . FILTER(?lp IN (skos:prefLabel, dcterms:title, rdfs:label, rdf:type, pkg:publicationDate)) }"""


@dataclass(frozen=True)
class Link:
    """A link for a page: ``href`` (site-relative path, or the IRI for outside resources), ``text``, ``iri``."""

    href: str
    text: str
    iri: str = ""


# ---------------------------------------------------------------------------
# IRIs and paths
# ---------------------------------------------------------------------------

def resource_iri(base: str, kind: str, slug: str) -> URIRef:
    """``{base}id/{kind}/{slug}`` for a ``kind`` matching :data:`KIND_PATTERN` and a valid slug.

    Any kind is accepted (the reference data mints e.g. ``agency-type`` besides
    :data:`~policykg.vocab.KINDS`); whether the resource exists is the store's answer.
    Raises :class:`~policykg.errors.NotFound` when the kind or the slug does not match
    its pattern (so no user text ever reaches a query unchecked).

    >>> str(resource_iri("https://example.org/", "region", "CN-SD"))
    'https://example.org/id/region/CN-SD'
    """
    if not KIND_PATTERN.match(kind):
        raise NotFound(f"{kind!r} is not a resource kind (lower-case letters, digits and '-'); "
                       f"kinds in use include {', '.join(KINDS)}")
    if not SLUG_PATTERN.match(slug):
        raise NotFound(f"{slug!r} is not a valid identifier (letters, digits, '.', '_', '~', '-')")
    return URIRef(f"{base}id/{kind}/{slug}")


def resource_exists(store: Store, iri: URIRef) -> bool:
    """True when ``iri`` is the subject of at least one triple in any graph."""
    return store.ask("ASK { ?s ?p ?o }", {"s": iri})


def no_resource(store: Store, iri: URIRef) -> NotFound:
    """The 404 for ``iri``, which the store does not have, with a hint when it differs from one the store
    has only in letter case (``/id/region/cn-sd`` for ``CN-SD``, ``/external/CPD/...`` for ``cpd``): IRIs
    compare character by character (RFC 3987 §5.3.1), so the two name different resources. Checks the
    last segment (the slug) as given, in upper and in lower case, under the segment before it (the kind or
    scheme, always lower case) as given and in lower case: at most five ASKs.
    """
    head, _, slug = str(iri).rpartition("/")
    space, _, kind = head.rpartition("/")
    for k in dict.fromkeys((kind, kind.lower())):
        for variant in dict.fromkeys((slug, slug.upper(), slug.lower())):
            candidate = URIRef(f"{space}/{k}/{variant}")
            if candidate != iri and resource_exists(store, candidate):
                return NotFound(f"no resource {iri}; IRIs are case-sensitive: did you mean {candidate}?")
    return NotFound(f"no resource {iri}")


def describe(store: Store, iri: URIRef) -> rdflib.Graph:
    """The description of ``iri`` (see the module docstring): two CONSTRUCT queries, ``?s`` bound.

    Returns an rdflib graph (may be empty when the store knows nothing of ``iri``).
    """
    g = store.construct(DESCRIBE_OUT, {"s": iri})
    g += store.construct(DESCRIBE_IN, {"s": iri})
    return g


#: A resource more links than this lead to is a hub (a sector or genre of every policy, a province at
#: scale): its description holds this many of the links, in no particular order (:func:`describe_bounded`).
#: On the 100,000-policy benchmark graph the full description of a sector held 400,000 triples and took 58 s.
HUB_LINKS = 5000

#: The links into ``?s`` (written in: a bound variable is joined only after the engine has read every link),
#: at most ``%d`` of them: a hub has more.
_INBOUND_PROBE = _PREFIXES + """
SELECT ?in ?s WHERE { ?in ?ip ?s . FILTER(?ip != oa:hasSource) } LIMIT %d
"""

#: :data:`DESCRIBE_IN` for a hub: its first ``%d`` links (and their subjects' labels, types and dates) only.
_DESCRIBE_IN_HUB = _DESCRIBE_IN_AROUND % """{ { SELECT ?in ?ip ?s WHERE { ?in ?ip ?s . FILTER(?ip != oa:hasSource) } LIMIT %d }
    OPTIONAL { ?in ?lp ?label .
               FILTER(?lp IN (skos:prefLabel, dcterms:title, rdfs:label, rdf:type, pkg:publicationDate)) } }"""


def describe_bounded(store: Store, iri: URIRef, limit: int | None = None) -> tuple[rdflib.Graph, int | None]:
    """:func:`describe` for any resource, bounded for hubs: ``(graph, None)`` when at most ``limit``
    (default :data:`HUB_LINKS`) links lead to ``iri`` (triples ``?x ?p <iri>``; the full description),
    else ``(graph, limit)``: the description with ``limit`` of those links (the engine's first, in no
    particular order) and their subjects' labels, types and dates. One probe query, stopped after
    ``limit + 1`` links, tells the two apart. The IRI is written into the probe's and the hub query's
    text as an N-Triples term (:func:`policykg.remote.insert_values`)."""
    from .remote import insert_values  # noqa: PLC0415 - remote imports the store module this one does

    limit = HUB_LINKS if limit is None else limit
    probe = store.select(insert_values(_INBOUND_PROBE % (limit + 1), {"s": iri}))
    if len(probe) <= limit:
        return describe(store, iri), None
    g = store.construct(DESCRIBE_OUT, {"s": iri})
    g += store.construct(insert_values(_DESCRIBE_IN_HUB % limit, {"s": iri}))
    return g, limit


def kind_of(iri: Node, base: str) -> str | None:
    """The kind segment of an IRI under ``{base}id/``, or None for anything else."""
    s = str(iri)
    if not isinstance(iri, URIRef) or not s.startswith(f"{base}id/"):
        return None
    rest = s[len(base) + 3:]
    if "/" not in rest:
        return None
    kind = rest.split("/", 1)[0]
    return kind if KIND_PATTERN.match(kind) else None


def local_path(iri: Node, base: str) -> str:
    """The site path of the document describing ``iri``: ``{base}id/k/s#f`` → ``/doc/k/s#f``;
    ontology terms ``pkg:X`` → ``/ontology#X`` (their entry in the ontology documentation); a concept
    of an outside classification (:data:`~policykg.vocab.EXTERNAL_NS`) → ``/external/...``.

    Other IRIs link out as they are when :func:`safe_href` allows them, else
    give ``""`` (no link target): a ``javascript:`` IRI in the data must not
    become a script link.
    """
    s = str(iri)
    if isinstance(iri, URIRef) and s.startswith(PKG_NS) and len(s) > len(PKG_NS):
        return "/ontology#" + s[len(PKG_NS):]
    if isinstance(iri, URIRef) and s.startswith(EXTERNAL_NS) and len(s) > len(EXTERNAL_NS):
        return "/external/" + s[len(EXTERNAL_NS):]
    if kind_of(iri, base) is None:
        return safe_href(s)
    return "/doc/" + s[len(base) + 3:]


#: URI schemes a page may link to (RFC 3986 scheme names, compared in lower case).
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "ftp"})


def safe_href(url: str) -> str:
    """``url`` when a browser may follow it from a page, else ``""``.

    Allowed: a site path (``/...``), a fragment (``#...``), or an absolute
    IRI whose scheme is in :data:`SAFE_SCHEMES`. Everything else, above all
    ``javascript:``, ``data:`` and ``vbscript:`` IRIs that a hostile store may
    hold, is dropped (the OWASP XSS prevention rule for URL attributes); so is
    any text with control characters or spaces, which browsers strip from
    schemes (``java\tscript:``).
    """
    if not url or any(ord(c) <= 0x20 or c == "\x7f" for c in url):
        return ""
    if url.startswith(("/", "#")) and not url.startswith("//"):
        return url
    scheme, sep, _ = url.partition(":")
    if sep and scheme.lower() in SAFE_SCHEMES:
        return url
    return ""


# ---------------------------------------------------------------------------
# Labels
# ---------------------------------------------------------------------------

def labels(g: rdflib.Graph, node: Node) -> dict[str, str]:
    """All labels of ``node`` in ``g`` by language tag (``""`` for none), best property first."""
    out: dict[str, str] = {}
    for prop in LABEL_PROPERTIES:
        for o in sorted(g.objects(node, prop), key=str):
            if isinstance(o, Literal):
                out.setdefault(o.language or "", str(o))
    return out


def _local_name(iri: Node) -> str:
    s = str(iri)
    for sep in ("#", "/"):
        if sep in s:
            s = s.rsplit(sep, 1)[-1]
    return s


def label(g: rdflib.Graph, node: Node, lang: str = "en") -> str:
    """A display name for ``node``: its label in ``lang``, else English, else any, else its local name.

    Pascal- and camel-case local names are split into words (``pkg:MoreThan`` → ``more than``,
    ``pkg:issuedBy`` → ``issued by``).
    """
    found = labels(g, node)
    for key in (lang, "en", "", *sorted(found)):
        if key in found:
            return found[key]
    if isinstance(node, Literal):
        return str(node)
    if str(node) in UNIT_SYMBOLS:
        return UNIT_SYMBOLS[str(node)]
    name = _local_name(node)
    if re.fullmatch(r"[A-Za-z][a-z]+(?:[A-Z][a-z]+)*", name):
        return re.sub(r"(?<!^)([A-Z])", r" \1", name).lower()
    if re.fullmatch(r"[a-z]+(?:[A-Z][a-z]+)*[A-Z]{2,}", name):  # an acronym last: pkg:sourceURL → source URL
        words = re.sub(r"(?<!^)([A-Z][a-z]+)", r" \1", re.sub(r"([A-Z]{2,})$", r" \1", name)).split()
        return " ".join(w if w.isupper() else w.lower() for w in words)
    return name


#: Display symbols of the normalised units of ``shared/design/ontology-core.md`` (QUDT units and ours).
UNIT_SYMBOLS: dict[str, str] = {
    "http://qudt.org/vocab/unit/W": "W",
    "http://qudt.org/vocab/unit/KiloW-HR": "kWh",
    "http://qudt.org/vocab/unit/TONNE": "t",
    "http://qudt.org/vocab/unit/TONNE-PER-YR": "t/a",
    "http://qudt.org/vocab/unit/M": "m",
    "http://qudt.org/vocab/unit/M-PER-SEC": "m/s",
    "http://qudt.org/vocab/unit/M2": "m²",
    "http://qudt.org/vocab/unit/M3": "m³",
    "http://qudt.org/vocab/unit/NUM": "(count)",
    "http://qudt.org/vocab/unit/PERCENT": "%",
    "http://qudt.org/vocab/unit/V": "V",
    "http://qudt.org/vocab/unit/HR": "h",
    "http://qudt.org/vocab/unit/DEG_C": "°C",
    "http://qudt.org/vocab/unit/MicroGM-PER-M3": "µg/m³",
    "http://qudt.org/vocab/currency/CNY": "CNY",
    f"{PKG_NS}PercentagePoint": "percentage points",
    f"{PKG_NS}TonneCoalEquivalent": "tce",
    f"{PKG_NS}TonneCoalEquivalentPerYear": "tce/a",
    f"{PKG_NS}CNYPerTonneCoalEquivalent": "CNY/tce",
    f"{PKG_NS}CNYPerKiloWattHour": "CNY/kWh",
    f"{PKG_NS}CNYPerKiloWatt": "CNY/kW",
    f"{PKG_NS}CNYPerKiloWattYear": "CNY/(kW·a)",
    f"{PKG_NS}CNYPerTonne": "CNY/t",
    f"{PKG_NS}CNYPerSquareMetre": "CNY/m²",
}


def _link(g: rdflib.Graph, node: Node, base: str) -> Link:
    return Link(local_path(node, base), label(g, node), str(node))


def _links(g: rdflib.Graph, s: Node, p: URIRef, base: str) -> list[Link]:
    return sorted((_link(g, o, base) for o in g.objects(s, p)), key=lambda link: link.text.lower())


def _source_urls(g: rdflib.Graph, s: Node) -> list[str]:
    """The ``pkg:sourceURL`` links of ``s`` that a page may link to (:func:`safe_href`), sorted."""
    return sorted(str(u) for u in g.objects(s, PKG.sourceURL) if safe_href(str(u)))


def _lit(g: rdflib.Graph, s: Node, p: URIRef, lang: str | None = None) -> str | None:
    for o in sorted(g.objects(s, p), key=str):
        if isinstance(o, Literal) and (lang is None or o.language == lang):
            return str(o)
    return None


def _number(value: Node | None) -> str | None:
    """A decimal or double literal for reading: ``5.0E11`` → ``500,000,000,000``; ``12.0`` → ``12``."""
    if value is None:
        return None
    try:
        x = float(str(value))
    except ValueError:
        return str(value)
    if not math.isfinite(x):  # "INF", "NaN" are valid xsd:double literals (XSD 1.1 §3.3.5)
        return str(value)
    if x == int(x) and abs(x) < 1e18:
        return f"{int(x):,}"
    return f"{x:,.6g}" if abs(x) >= 1e6 else f"{x:g}"


# ---------------------------------------------------------------------------
# Page models
# ---------------------------------------------------------------------------

def _spans(g: rdflib.Graph, s: Node, base: str) -> list[dict[str, Any]]:
    """The evidence spans of ``s``: quote, offsets, and a link to the span in its briefing's page."""
    out = []
    for span in g.objects(s, PKG.evidence):
        source = g.value(span, OA.hasSource)
        start, end = g.value(span, OA.start), g.value(span, OA.end)
        out.append({
            "iri": str(span),
            "cite": safe_href(str(span)) if isinstance(span, URIRef) else "",
            "exact": _lit(g, span, OA.exact) or "",
            "start": int(start) if start is not None else None,
            "end": int(end) if end is not None else None,
            "href": local_path(span, base),
            "source": _link(g, source, base) if source is not None else None,
            # what the span is evidence for (dcterms:subject: a property such as pkg:jurisdiction, or a
            # concept such as a sector), as "jurisdiction", "digital infrastructure"
            "supports": sorted({_supported(g, x, base) for x in g.objects(span, DCTERMS.subject)}),
        })
    return sorted(out, key=lambda d: (d["start"] is None, d["start"] or 0))


def _supported(g: rdflib.Graph, about: Node, base: str) -> str:
    """What an evidence span's ``dcterms:subject`` names, for reading: a property by its words
    ("jurisdiction", "issued by", "source URL"), a resource of the dataset with its kind first
    ("sector consumer goods")."""
    kind = kind_of(about, base)
    return f"{kind} {label(g, about).lower()}" if kind else label(g, about)


def _quantity(g: rdflib.Graph, t: Node, base: str) -> dict[str, Any]:
    """A target or provision as a table row: values as written and normalised, year, comparator, evidence."""
    comparator = g.value(t, PKG.comparator)
    value, unit_text = g.value(t, PKG.value), _lit(g, t, PKG.unitText)
    written = " ".join(x for x in (_number(value), unit_text) if x) if value is not None else ""
    nunit = g.value(t, PKG.normalizedUnit)
    norm_value = g.value(t, PKG.normalizedValue)
    normalised = ""
    if norm_value is not None:
        unit = (UNIT_SYMBOLS.get(str(nunit)) or label(g, nunit)) if nunit is not None else ""
        normalised = " ".join(x for x in (_number(norm_value), unit) if x)
    year = g.value(t, PKG.targetYear)
    baseline = g.value(t, PKG.baselineYear)
    return {
        "iri": str(t),
        "href": local_path(t, base),
        "indicator": _lit(g, t, PKG.indicator, "en") or _lit(g, t, PKG.indicator) or label(g, t),
        "year": str(year) if year is not None else "",
        "comparator": label(g, comparator) if comparator is not None else "",
        "written": written,
        "normalised": normalised,
        "normalised_unit": str(nunit) if nunit is not None else "",
        "baseline": str(baseline) if baseline is not None else "",
        "qualitative": value is None,
        "bindingness": label(g, g.value(t, PKG.bindingness)) if g.value(t, PKG.bindingness) is not None else "",
        "evidence": _spans(g, t, base),
    }


def _notes(g: rdflib.Graph, s: Node) -> list[dict[str, str]]:
    out = []
    for note in g.objects(s, PKG.qualityNote):
        out.append({"code": _lit(g, note, PKG.noteCode) or "", "comment": _lit(g, note, RDFS.comment) or ""})
    return sorted(out, key=lambda d: d["code"])


def _incoming(g: rdflib.Graph, s: Node, props: Iterable[URIRef], base: str) -> list[dict[str, Any]]:
    """Subjects linking to ``s`` through ``props``: link, date, the linking properties; newest first."""
    seen: dict[Node, dict[str, Any]] = {}
    for prop in props:
        for x in g.subjects(prop, s):
            row = seen.setdefault(x, {"link": _link(g, x, base), "date": str(g.value(x, PKG.publicationDate) or ""),
                                      "via": []})
            row["via"].append(label(g, prop))
    return sorted(seen.values(), key=lambda r: (r["date"] == "", _neg(r["date"]), r["link"].text))


def _neg(date: str) -> tuple[int, ...]:
    """A sort key that orders dates' lexical forms newest first, as ``ORDER BY DESC(STR(?date))`` does (the
    policies list): a day of a month ("2024-04-17") before the month written alone ("2024-04")."""
    return (*(-ord(c) for c in date), 1)


@functools.lru_cache(maxsize=1)
def _ontology_superclasses() -> dict[Node, frozenset[Node]]:
    """Each class of policykg's ontology (``ontology/policykg.ttl``) -> its superclasses, ``rdfs:subClassOf``
    followed transitively (RDFS 1.1 §5.1.2): read once per process."""
    from .reference import default_ontology_dir  # noqa: PLC0415

    graph = rdflib.Graph().parse(default_ontology_dir() / "policykg.ttl", format="turtle")
    direct: dict[Node, set[Node]] = defaultdict(set)
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        direct[sub].add(sup)
    closure = {}
    for cls in direct:
        seen: set[Node] = set()
        todo = list(direct[cls])
        while todo:
            sup = todo.pop()
            if sup not in seen:
                seen.add(sup)
                todo.extend(direct.get(sup, ()))
        closure[cls] = frozenset(seen)
    return closure


def _most_specific(types: list[Node]) -> list[Node]:
    """``types`` without those that another of them is a subclass of in the ontology: a page says
    "Agency", not "organization, Agency" (``pkg:Agency rdfs:subClassOf org:Organization``)."""
    supers = _ontology_superclasses()
    implied = set().union(*(supers.get(t, frozenset()) for t in types)) if types else set()
    return [t for t in types if t not in implied]


def _common(g: rdflib.Graph, iri: URIRef, base: str) -> dict[str, Any]:
    kind = kind_of(iri, base) or ""
    lab = labels(g, iri)
    return {
        "iri": str(iri),
        "kind": kind,
        "path": local_path(iri, base),
        "title": label(g, iri),
        "title_zh": lab.get("zh", ""),
        "types": [_link(g, t, base) for t in _most_specific(sorted(g.objects(iri, RDF.type), key=str))],
        "notes": _notes(g, iri),
        "evidence": _spans(g, iri, base),
        "reported_in": _links(g, iri, PKG.reportedIn, base),
    }


def policy_page(g: rdflib.Graph, iri: URIRef, base: str) -> dict[str, Any]:
    """Model of a policy page: titles (en, zh), genre, issuers (stated, headline, source host),
    jurisdiction (and local jurisdiction), date, source URL, document number (发文字号 as written),
    status, the policies it supersedes and those superseding it, targets and provisions (value as
    written and normalised, bindingness), instruments, sectors, evidence, quality notes, briefings."""
    page = _common(g, iri, base)
    date = g.value(iri, PKG.publicationDate)
    page.update({
        "title": _lit(g, iri, DCTERMS.title, "en") or page["title"],
        "title_zh": _lit(g, iri, DCTERMS.title, "zh") or "",
        "genre": _links(g, iri, PKG.genre, base),
        # pkg:issuedBy holds the headline issuers too (its definition): "Issued by" shows those the
        # text names for this policy itself, the headline ones have their own row
        "issued_by": [x for x in _links(g, iri, PKG.issuedBy, base)
                      if (iri, PKG.issuedByHeadline, URIRef(x.iri)) not in g],
        "issued_by_headline": _links(g, iri, PKG.issuedByHeadline, base),
        "source_hosted_by": _links(g, iri, PKG.sourceHostedBy, base),
        "jurisdiction": _links(g, iri, PKG.jurisdiction, base),
        "local_jurisdiction": _links(g, iri, PKG.localJurisdiction, base),
        "government_level": _links(g, iri, PKG.governmentLevel, base),
        "date": str(date) if date is not None else "",
        "source_urls": _source_urls(g, iri),
        "targets": sorted((_quantity(g, t, base) for t in g.objects(iri, PKG.setsTarget)),
                          key=lambda r: (r["year"] or "9999", r["indicator"])),
        "provisions": sorted((_quantity(g, t, base) for t in g.objects(iri, PKG.hasProvision)),
                             key=lambda r: r["indicator"]),
        "instruments": _links(g, iri, PKG.usesInstrument, base),
        "sectors": _links(g, iri, PKG.sector, base),
        "document_number": _lit(g, iri, PKG.documentNumberRaw) or _lit(g, iri, PKG.documentNumber) or "",
        "status": _links(g, iri, PKG.status, base),
        "supersedes": _links(g, iri, PKG.supersedes, base),
        "superseded_by": [r["link"] for r in _incoming(g, iri, (PKG.supersedes,), base)],
    })
    return page


#: The properties that link a policy to an agency, shown as its role on the agency page.
AGENCY_ROLES = (PKG.issuedBy, PKG.issuedByHeadline, PKG.sourceHostedBy)


def property_labels(store: Store, props: Iterable[URIRef]) -> rdflib.Graph:
    """The ontology's English ``rdfs:label`` of each of ``props`` ("issued by"), read from ``store``,
    as a graph to add to a page's graph: a page names a property as the ontology does, not by its
    local name. Empty when the store holds no ontology."""
    values = " ".join(f"<{p}>" for p in props)
    return store.construct(
        "CONSTRUCT { ?p <http://www.w3.org/2000/01/rdf-schema#label> ?l } WHERE { VALUES ?p { " + values + " } "
        "?p <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(langMatches(lang(?l), \"en\")) }")


#: How many policies (or targets) an agency or region page lists, the most recent (the earliest due) first;
#: the rest are a link away (``/policies?agency=``, ``?region=``, ``/year/{yyyy}``), which pages them.
PAGE_LIST_SIZE = 50


def _newest_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of :func:`_incoming` newest first (no date last), then by name, then by IRI: a total order,
    so that the first :data:`PAGE_LIST_SIZE` are the same on every request."""
    return sorted(rows, key=lambda r: (r["date"] == "", _neg(r["date"]), r["link"].text, r["link"].iri))


def agency_page(g: rdflib.Graph, iri: URIRef, base: str) -> dict[str, Any]:
    """Model of an agency page: names, abbreviations, jurisdiction, level, web domains, and its
    policies over time (``by_year``: how many each year; ``undated``: how many have no date), the
    :data:`PAGE_LIST_SIZE` most recent listed
    (``policies``) with their role (:data:`AGENCY_ROLES`: stated issuer, headline issuer, or host of the
    source; named by their labels in ``g``, see :func:`property_labels`); ``policy_count`` counts them all."""
    page = _common(g, iri, base)
    policies = _newest_first(_incoming(g, iri, AGENCY_ROLES, base))
    page.update({
        "alt_labels": sorted(str(o) for o in g.objects(iri, SKOS.altLabel)),
        "jurisdiction": _links(g, iri, PKG.jurisdiction, base),
        "government_level": _links(g, iri, PKG.governmentLevel, base),
        "domains": sorted(str(o) for o in g.objects(iri, PKG.webDomain)),
        "policies": policies[:PAGE_LIST_SIZE],
        "policy_count": len(policies),
        "slug": str(iri).rsplit("/", 1)[-1],
    })
    stated, headline = label(g, PKG.issuedBy), label(g, PKG.issuedByHeadline)
    for row in page["policies"]:  # pkg:issuedBy holds headline issuers too: name the narrower role only
        if (URIRef(row["link"].iri), PKG.issuedByHeadline, iri) in g and stated in row["via"]:
            row["via"] = [v for v in row["via"] if v != stated] or [headline]
    by_year: Counter[str] = Counter(r["date"][:4] for r in policies if r["date"])
    page["by_year"] = sorted(by_year.items())
    page["undated"] = sum(1 for r in policies if not r["date"])  # the table lists them; the years do not
    return page


def region_page(g: rdflib.Graph, iri: URIRef, base: str, targets: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Model of a region page: names, codes, parent, cities (``pkg:partOf`` it), agencies governing
    it, the :data:`PAGE_LIST_SIZE` most recent policies applying to it (``policies``; ``policy_count``
    counts them all), reports studying it (``dcterms:spatial``), and ``targets`` (rows from
    :func:`region_targets`: the first :data:`PAGE_LIST_SIZE` listed, ``target_count`` and
    ``target_years``, ``[(year, count)]``, from its ``total`` and ``by_year``)."""
    page = _common(g, iri, base)
    policies = _newest_first([r for r in _incoming(g, iri, (PKG.jurisdiction, PKG.localJurisdiction), base)
                              if (URIRef(r["link"].iri), RDF.type, PKG.Policy) in g])
    targets = targets if targets is not None else []
    page.update({
        "iso_code": _lit(g, iri, PKG.isoCode) or "",
        "gb_code": _lit(g, iri, PKG.gbCode) or "",
        "part_of": _links(g, iri, PKG.partOf, base),
        "parts": [r["link"] for r in _incoming(g, iri, (PKG.partOf,), base)],
        "agencies": [r["link"] for r in _incoming(g, iri, (PKG.jurisdiction,), base)
                     if (URIRef(r["link"].iri), RDF.type, PKG.Agency) in g],
        "policies": policies[:PAGE_LIST_SIZE],
        "policy_count": len(policies),
        "reports": [r for r in _incoming(g, iri, (DCTERMS.spatial,), base)
                    if (URIRef(r["link"].iri), RDF.type, PKG.Report) in g],
        "targets": list(targets[:PAGE_LIST_SIZE]),
        "target_count": getattr(targets, "total", len(targets)),
        "target_years": getattr(targets, "by_year", []),
        "slug": str(iri).rsplit("/", 1)[-1],
    })
    return page


#: The targets set by policies whose jurisdiction or local jurisdiction is the region (``VALUES ?s``),
#: with what orders them; one property per branch (see :func:`_policy_set`).
REGION_TARGETS = _PREFIXES + """
SELECT DISTINCT ?policy ?target ?indicator ?year WHERE {
  VALUES ?s { %s }
  { ?policy pkg:jurisdiction ?s } UNION { ?policy pkg:localJurisdiction ?s }
  ?policy pkg:setsTarget ?target .
  OPTIONAL { ?target pkg:indicator ?indicator }
  OPTIONAL { ?target pkg:targetYear ?year }
}
"""

#: What the listed targets of a region page state (``VALUES (?policy ?target)``).
_REGION_TARGET_DETAILS = _PREFIXES + """
SELECT DISTINCT ?policy ?target ?title ?value ?unit WHERE {
  VALUES (?policy ?target) { %s }
  OPTIONAL { ?policy dcterms:title ?title FILTER(langMatches(lang(?title), "en")) }
  OPTIONAL { ?target pkg:value ?value }
  OPTIONAL { ?target pkg:unitText ?unit }
}
"""


class TargetRows(list):
    """The rows of :func:`region_targets` (a list), with ``total`` (how many targets, one per policy, target,
    indicator and year) and ``by_year`` (``[(year, count)]``, ascending; "" for a target with no year)."""

    total: int = 0
    by_year: list[tuple[str, int]] = []


def region_targets(store: Store, iri: URIRef, base: str, limit: int = PAGE_LIST_SIZE) -> TargetRows:
    """Targets set by policies whose jurisdiction (or local jurisdiction) is ``iri``: the first ``limit`` by
    year (earliest first; none first), indicator and target IRI, with ``total`` and ``by_year`` counting all.

    The targets are read with only what orders them and sorted here (the engine's sort compares long
    strings by looking each up: 6.6 s for the 4,800 targets of a province among 100k policies, measured);
    the titles and values of the listed ones are read after, by ``VALUES``.
    """
    keys = store.select(REGION_TARGETS % _terms([iri]))
    keys = sorted(keys, key=lambda r: (_ascending(r.get("year")), _ascending(r.get("indicator")),
                                       _ascending(r["target"]), _ascending(r["policy"])))
    rows = TargetRows()
    rows.total = len(keys)
    rows.by_year = sorted(Counter(str(r.get("year", "")) for r in keys).items())
    shown = [r for r in keys[:limit] if isinstance(r["policy"], URIRef) and isinstance(r["target"], URIRef)]
    pairs = " ".join(f"({_terms([r['policy']])} {_terms([r['target']])})" for r in shown
                     if _terms([r["policy"]]) and _terms([r["target"]]))
    details: dict[tuple[Node, Node], list[Mapping[str, Node]]] = defaultdict(list)
    for d in store.select(_REGION_TARGET_DETAILS % pairs) if pairs else []:
        details[(d["policy"], d["target"])].append(d)
    for k in keys[:limit]:
        for d in details.get((k["policy"], k["target"])) or [{}]:
            r = {**k, **d}
            rows.append({
                "policy": Link(local_path(r["policy"], base), str(r.get("title", _local_name(r["policy"]))),
                               str(r["policy"])),
                "href": local_path(r["target"], base),
                "indicator": str(r.get("indicator", "")),
                "year": str(r.get("year", "")),
                "written": " ".join(x for x in (_number(r.get("value")), str(r.get("unit", ""))) if x).strip()
                if "value" in r else "",
            })
    return rows


def briefing_page(g: rdflib.Graph, iri: URIRef, base: str) -> dict[str, Any]:
    """Model of a briefing page: series, publisher, its policies and reports in reading order (the
    smallest evidence offset taken from this briefing), and every evidence span (anchored ``char=s,e``).
    Every link built from the data goes through :func:`safe_href` (``landing_href``, ``cite``): the
    ``dcat:landingPage`` text is shown, and linked only when safe (OWASP XSS rule for URL attributes)."""
    page = _common(g, iri, base)
    publisher = g.value(iri, PKG.publisher)
    # a period ("2024-03/2024-04", EDTF) or a day or month, as the briefing or its file name states it (the least
    # of several, as the list of briefings shows it)
    date = min((str(d) for d in g.objects(iri, DCTERMS.date) if isinstance(d, Literal)), default="")
    spans = []
    for span in g.subjects(OA.hasSource, iri):
        start, end = g.value(span, OA.start), g.value(span, OA.end)
        s_i = int(start) if start is not None else None
        spans.append({"iri": str(span), "cite": safe_href(str(span)) if isinstance(span, URIRef) else "",
                      "anchor": str(span).split("#", 1)[-1] if "#" in str(span) else "",
                      "exact": _lit(g, span, OA.exact) or "", "start": s_i,
                      "end": int(end) if end is not None else None})
    spans.sort(key=lambda d: (d["start"] is None, d["start"] or 0))
    # reading order: the spans of this briefing that are evidence for each entity, first one first; policies
    # under one group headline share its span, and their next spans (their own titles) order them
    found: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for x, span in g.subject_objects(PKG.evidence):
        start = g.value(span, OA.start)
        if start is not None and str(span).startswith(f"{iri}#"):
            found[str(x)].append((int(start), str(span).split("#", 1)[1]))
    first = {x: sorted(spans) for x, spans in found.items()}
    entries = _incoming(g, iri, (PKG.reportedIn,), base)
    entries.sort(key=lambda r: ([o for o, _ in first.get(r["link"].iri, [])] or [1 << 62], r["link"].text))
    for r in entries:
        offset, anchor = (first.get(r["link"].iri) or [(None, "")])[0]
        r["offset"], r["anchor"] = offset, anchor
        r["is_report"] = (URIRef(r["link"].iri), RDF.type, PKG.Report) in g
    page.update({
        "series": _lit(g, iri, PKG.series) or "",
        "publisher": label(g, publisher) if publisher is not None else "",
        "publisher_link": Link(local_path(publisher, base), label(g, publisher), str(publisher))
        if isinstance(publisher, URIRef) and str(publisher).startswith(base) else None,
        "date": date,
        "date_label": edtf_label(date),
        # shown as text; linked only when safe_href allows it (a hostile store may hold javascript:)
        "landing_page": str(g.value(iri, DCAT.landingPage) or ""),
        "landing_href": safe_href(str(g.value(iri, DCAT.landingPage) or "")),
        "entries": entries,
        "spans": spans,
    })
    return page


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_EDTF_DAY = re.compile(r"(?P<y>\d{4})(?:-(?P<m>0[1-9]|1[0-2])(?:-(?P<d>0[1-9]|[12]\d|3[01]))?)?\Z")


def edtf_interval(value: str) -> tuple[tuple[int, int, int], tuple[int, int, int]] | None:
    """The first and last day of an EDTF level-0 date or interval (ISO 8601-2:2019): ``"2024-03/2024-04"`` →
    ``((2024, 3, 1), (2024, 4, 30))``; a year, a month or a day alone covers itself. ``None`` for anything
    else: another syntax ("Spring 2019", "2024?", "../2024"), a day the calendar lacks ("2024-02-30"), or an
    interval that ends before it starts."""
    ends = []
    parts = value.split("/")
    if not 1 <= len(parts) <= 2:
        return None
    for part in parts:
        m = _EDTF_DAY.match(part)
        if m is None:
            return None
        y, mo, d = int(m["y"]), int(m["m"] or 0), int(m["d"] or 0)
        if d and d > calendar.monthrange(y, mo)[1]:
            return None
        first = (y, mo or 1, d or 1)
        last = (y, mo or 12, d or calendar.monthrange(y, mo or 12)[1])
        ends.append((first, last))
    first, last = ends[0][0], ends[-1][1]
    return (first, last) if first <= last and ends[0][0] <= ends[-1][0] else None


def edtf_label(value: str) -> str:
    """A briefing's date as a reader says it: ``"2024-03/2024-04"`` → ``"March–April 2024"``, ``"2023-12/2024-01"``
    → ``"December 2023–January 2024"``, ``"2024-03"`` → ``"March 2024"``, ``"2024-03-04"`` → ``"4 March 2024"``,
    ``"2024-03/2024-03"`` → ``"March 2024"``. ``value`` is a year, month or day of the Extended Date/Time Format
    (ISO 8601-2:2019, EDTF level 0), or an interval of two (``A/B``); anything else, a day the calendar lacks
    and an interval that ends before it starts (:func:`edtf_interval`) are given back as they are. An issue that
    covers two months has a date of the first form (a tracker's "March–April" issue), which its file name
    abbreviates to its first day (``ccnt-2024-03-04`` is that issue, not the 4th of March)."""
    if edtf_interval(value) is None:
        return value
    parts = value.split("/")
    if len(parts) == 2 and parts[0] == parts[1]:
        parts = parts[:1]
    found = [_EDTF_DAY.match(p) for p in parts]

    def one(m: re.Match[str], year: bool = True) -> str:
        y, mo, d = m["y"], m["m"], m["d"]
        words = ([str(int(d))] if d else []) + ([_MONTHS[int(mo) - 1]] if mo else []) + ([y] if year or not mo else [])
        return " ".join(words)

    if len(found) == 1:
        return one(found[0])  # type: ignore[arg-type]
    a, b = found  # type: ignore[misc]
    if a["y"] == b["y"] and a["m"] and b["m"] and not a["d"] and not b["d"]:
        return f"{one(a, year=False)}–{one(b)}"
    return f"{one(a)}–{one(b)}"  # type: ignore[arg-type]


#: The briefings in the store with their title, date, series and source file (``?briefing`` each).
BRIEFING_LIST = _PREFIXES + """
SELECT ?briefing (MIN(?ten) AS ?title) (MIN(?tany) AS ?other_title) (MIN(STR(?d)) AS ?date) (SAMPLE(?s) AS ?series)
       (SAMPLE(?f) AS ?file)
WHERE {
  ?briefing a pkg:Briefing .
  OPTIONAL { ?briefing dcterms:title ?ten FILTER(lang(?ten) = "" || langMatches(lang(?ten), "en")) }
  OPTIONAL { ?briefing dcterms:title ?tany }
  OPTIONAL { ?briefing dcterms:date ?d FILTER(isLiteral(?d)) }
  OPTIONAL { ?briefing pkg:series ?s }
  OPTIONAL { ?briefing dcterms:identifier ?f }
} GROUP BY ?briefing
"""
#: How many resources of one class (``{cls}``, a ``pkg:`` class name written in) each briefing reports:
#: ``?briefing ?n``.
BRIEFING_COUNTS = _PREFIXES + """
SELECT ?briefing (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x pkg:reportedIn ?briefing ; a pkg:{cls} }} GROUP BY ?briefing
"""
#: How many targets the policies each briefing reports set: ``?briefing ?n``.
BRIEFING_TARGETS = _PREFIXES + """
SELECT ?briefing (COUNT(DISTINCT ?t) AS ?n) WHERE { ?p pkg:reportedIn ?briefing ; pkg:setsTarget ?t } GROUP BY ?briefing
"""


def list_briefings(store: Store, base: str) -> list[dict[str, Any]]:
    """Every briefing in ``store``, newest first (by ``dcterms:date``; undated last, then by IRI):
    ``[{"iri", "href", "own", "title", "date", "dated", "date_label", "series", "file", "policies", "reports",
    "targets"}]``. ``title`` is an English or untagged ``dcterms:title`` (else any, else the IRI's last segment;
    the least of several, as ``date`` is). ``date`` is the ``dcterms:date`` as stored (``""`` when none),
    ``dated`` whether it is an EDTF date (:func:`edtf_interval`), ``date_label`` it as read
    (:func:`edtf_label`); ``policies`` and ``reports`` count the resources stating ``pkg:reportedIn`` the
    briefing, ``targets`` the targets (``pkg:setsTarget``) of its policies. ``href`` is the briefing's page, and
    ``own`` true, for a briefing IRI of this site (``{base}id/briefing/{slug}``, :data:`SLUG_PATTERN`); ``""``
    and false for any other (no page to link). Four grouped queries, each one pass over the store, whatever the
    number of briefings (2,000 in the 100,000-policy benchmark graph)."""
    rows = store.select(BRIEFING_LIST)
    counts: dict[str, dict[str, int]] = {key: {} for key in ("policies", "reports", "targets")}
    for key, cls in (("policies", "Policy"), ("reports", "Report")):
        for r in store.select(BRIEFING_COUNTS.format(cls=cls)):
            counts[key][str(r["briefing"])] = int(r["n"])
    for r in store.select(BRIEFING_TARGETS):
        counts["targets"][str(r["briefing"])] = int(r["n"])
    out = []
    prefix = f"{base}id/briefing/"
    for r in rows:
        iri = str(r["briefing"])
        date = str(r.get("date") or "")
        title = (str(r.get("title") or "") or str(r.get("other_title") or "")).strip() or iri.rsplit("/", 1)[-1]
        slug = iri[len(prefix):] if iri.startswith(prefix) else ""
        # a page and data only for a briefing of this site, named as its IRIs are (RFC 3986 unreserved characters)
        own = bool(SLUG_PATTERN.match(slug))
        out.append({"iri": iri, "href": "/doc/briefing/" + slug if own else "", "own": own, "title": title or "—",
                    "date": date, "dated": edtf_interval(date) is not None, "date_label": edtf_label(date),
                    "series": str(r.get("series") or ""), "file": str(r.get("file") or ""),
                    **{key: counts[key].get(iri, 0) for key in counts}})
    # newest first by the date's last day, then its first day (a two-month issue after the month it ends in);
    # a date that is no EDTF date, or none, after them, by IRI
    spans = {b["iri"]: edtf_interval(b["date"]) for b in out}
    out.sort(key=lambda b: b["iri"])
    out.sort(key=lambda b: (spans[b["iri"]] or ((0, 0, 0), (0, 0, 0)))[::-1], reverse=True)
    out.sort(key=lambda b: spans[b["iri"]] is None)
    return out


BRIEFING_ORDER = _PREFIXES + """
CONSTRUCT { ?x pkg:evidence ?span . ?span oa:start ?start . }
WHERE { ?x pkg:reportedIn ?s ; pkg:evidence ?span . ?span oa:hasSource ?s ; oa:start ?start . }
"""


def briefing_order(store: Store, iri: URIRef) -> rdflib.Graph:
    """``?x pkg:evidence ?span . ?span oa:start n`` for what briefing ``iri`` reports (for reading order)."""
    return store.construct(BRIEFING_ORDER, {"s": iri})


def concept_page(g: rdflib.Graph, iri: URIRef, base: str) -> dict[str, Any]:
    """Model of a SKOS concept page (genre, instrument, sector, scheme): labels, definition, scheme,
    members (for a scheme), and the policies and targets using it: the :data:`PAGE_LIST_SIZE` most recent
    policies (``policy_count`` counts them all) and the first targets (``target_count``)."""
    page = _common(g, iri, base)
    page.update({
        "definition": _lit(g, iri, SKOS.definition, "en") or _lit(g, iri, SKOS.definition) or "",
        "schemes": _links(g, iri, SKOS.inScheme, base),
        "members": [r["link"] for r in _incoming(g, iri, (SKOS.inScheme,), base)],
    })
    policies = [r for r in _incoming(g, iri, (PKG.genre, PKG.usesInstrument, PKG.sector), base)
                if (URIRef(r["link"].iri), RDF.type, PKG.Policy) in g]
    targets = [r["link"] for r in _incoming(g, iri, (PKG.sector,), base)
               if (URIRef(r["link"].iri), RDF.type, PKG.Target) in g]
    page.update({"policies": policies[:PAGE_LIST_SIZE], "policy_count": len(policies), "more_policies": False,
                 "with_narrower": False,  # the links of the description; concept_policies replaces them on the site
                 "targets": targets[:PAGE_LIST_SIZE], "target_count": len(targets)})
    shown = {PKG.genre, PKG.usesInstrument, PKG.sector, SKOS.inScheme}
    other = sorted({p for p in g.predicates(None, iri) if isinstance(p, URIRef) and p not in shown}, key=str)
    # e.g. agencies of an agency type; not the evidence spans about it (a "#char=s,e" of a briefing is no
    # resource to list here: the policy pages show their evidence)
    page["linked_from"] = [r for r in _incoming(g, iri, other, base)
                           if (URIRef(r["link"].iri), RDF.type, PKG.TextSpan) not in g and "#char=" not in r["link"].iri]
    return page


def report_page(g: rdflib.Graph, iri: URIRef, base: str) -> dict[str, Any]:
    """Model of a report page: title, publisher (the linked agency's label, else the name as the
    briefing gives it), publication date, source links, the regions it studies
    (``dcterms:spatial``), the briefings that point to it, evidence."""
    page = _common(g, iri, base)
    publisher = g.value(iri, PKG.publisher)
    page["publishers"] = ([label(g, publisher)] if publisher is not None
                          else sorted(str(o) for o in g.objects(iri, DCTERMS.publisher) if isinstance(o, Literal)))
    page["publisher"] = "; ".join(page["publishers"])
    page["date"] = str(g.value(iri, PKG.publicationDate) or "")
    page["source_urls"] = _source_urls(g, iri)
    page["regions"] = _links(g, iri, DCTERMS.spatial, base)
    return page


def generic_page(g: rdflib.Graph, iri: URIRef, base: str) -> dict[str, Any]:
    """Model of any other resource (target, provision...): a property table, plus the quantity view
    and the policy that sets it when the resource is a target or provision."""
    page = _common(g, iri, base)
    rows = []
    for p, o in sorted(g.predicate_objects(iri), key=lambda po: (str(po[0]), str(po[1]))):
        if isinstance(o, Literal):
            value: Link | str = str(o) + (f" @{o.language}" if o.language else "")
        elif isinstance(o, BNode):
            value = label(g, o)
        else:
            value = _link(g, o, base)
        rows.append({"property": Link(safe_href(str(p)), _curie(p), str(p)), "value": value})
    page["rows"] = rows
    is_quantity = (iri, RDF.type, PKG.Target) in g or (iri, RDF.type, PKG.Provision) in g
    page["quantity"] = _quantity(g, iri, base) if is_quantity else None
    page["set_by"] = [r["link"] for r in _incoming(g, iri, (PKG.setsTarget, PKG.hasProvision), base)]
    if page["quantity"]:
        page["title"] = page["quantity"]["indicator"]
    return page


def _curie(iri: Node) -> str:
    from .vocab import PREFIXES  # noqa: PLC0415

    s = str(iri)
    for prefix, ns in PREFIXES.items():
        if s.startswith(ns) and s != ns:
            return f"{prefix}:{s[len(ns):]}"
    return s


def page_for(store: Store, g: rdflib.Graph, iri: URIRef, base: str) -> tuple[str, dict[str, Any]]:
    """Pick the page model for ``iri`` from its ``rdf:type`` in ``g``: ``(template name, model)``.

    Template names: ``policy``, ``agency``, ``region``, ``briefing``, ``concept``, ``report``, ``resource``.
    Each model also carries ``jsonld`` (schema.org JSON-LD text, safe inside ``<script>``).
    """
    types = set(g.objects(iri, RDF.type))
    if PKG.Policy in types:
        name, page = "policy", policy_page(g, iri, base)
    elif PKG.Agency in types:
        name, page = "agency", agency_page(g + property_labels(store, AGENCY_ROLES), iri, base)
    elif PKG.Region in types:
        name, page = "region", region_page(g, iri, base, region_targets(store, iri, base))
    elif PKG.Briefing in types:
        name, page = "briefing", briefing_page(g + briefing_order(store, iri), iri, base)
    elif PKG.Report in types:
        name, page = "report", report_page(g, iri, base)
    elif types & {SKOS.Concept, SKOS.ConceptScheme, PKG.Instrument, PKG.Sector, PKG.PolicyGenre}:
        name, page = "concept", concept_page(g, iri, base)
    else:
        name, page = "resource", generic_page(g, iri, base)
    page["jsonld"] = schema_org_jsonld(g, iri, name, page)
    return name, page


def schema_org_jsonld(g: rdflib.Graph, iri: URIRef, kind: str, page: Mapping[str, Any]) -> str:
    """schema.org JSON-LD for a page (``Legislation`` for a policy, ``GovernmentOrganization`` for an
    agency, ``AdministrativeArea``, ``Report``, ``DefinedTerm``...), as text safe inside a
    ``<script type="application/ld+json">`` element (``<``, ``>`` and ``&`` escaped as JSON ``\\u`` escapes)."""
    doc: dict[str, Any] = {"@context": "https://schema.org", "@id": str(iri), "name": page.get("title", "")}
    if kind == "policy":
        doc["@type"] = "Legislation"
        if page.get("title_zh"):
            doc["alternateName"] = {"@value": page["title_zh"], "@language": "zh"}
        if page.get("genre"):
            doc["legislationType"] = page["genre"][0].text
        issuers = page.get("issued_by") or []
        if issuers:
            doc["legislationPassedBy"] = [{"@type": "GovernmentOrganization", "@id": x.iri, "name": x.text}
                                          for x in issuers]
        if page.get("jurisdiction"):
            doc["legislationJurisdiction"] = [{"@type": "AdministrativeArea", "@id": x.iri, "name": x.text}
                                              for x in page["jurisdiction"]]
        if page.get("date"):
            doc["legislationDate"] = page["date"]
            doc["datePublished"] = page["date"]
        if page.get("source_urls"):
            doc["url"] = page["source_urls"][0]
        if page.get("sectors"):
            doc["about"] = [x.text for x in page["sectors"]]
    elif kind == "agency":
        doc["@type"] = "GovernmentOrganization"
        if page.get("alt_labels"):
            doc["alternateName"] = page["alt_labels"]
    elif kind == "region":
        doc["@type"] = "AdministrativeArea"
        if page.get("part_of"):
            doc["containedInPlace"] = {"@id": page["part_of"][0].iri, "name": page["part_of"][0].text}
    elif kind == "report":
        doc["@type"] = "Report"
        if page.get("regions"):
            doc["spatialCoverage"] = [{"@type": "AdministrativeArea", "@id": x.iri, "name": x.text}
                                      for x in page["regions"]]
        if page.get("publishers"):
            doc["publisher"] = [{"@type": "Organization", "name": name} for name in page["publishers"]]
        if page.get("date"):
            doc["datePublished"] = page["date"]
    elif kind == "briefing":
        doc["@type"] = "CreativeWork"
    elif kind == "concept":
        doc["@type"] = "DefinedTerm"
    else:
        doc["@type"] = "Thing"
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


# ---------------------------------------------------------------------------
# Year page and the policies list
# ---------------------------------------------------------------------------

#: The target years of the graph (their lexical forms), for the year pages' neighbour links.
TARGET_YEARS = _PREFIXES + """
SELECT DISTINCT ?year WHERE { ?policy pkg:setsTarget ?target . ?target pkg:targetYear ?year }
"""


def target_years(store: Store) -> list[int]:
    """The years some policy's target is due in (``pkg:targetYear``, read as a year from its lexical
    form, ``"2025"`` or ``"2025"^^xsd:gYear``; a form that is no year is left out), ascending."""
    years = set()
    for r in store.select(TARGET_YEARS):
        m = re.match(r"^\s*(-?[0-9]{4,})", str(r["year"]))
        if m:
            years.add(int(m.group(1)))
    return sorted(years)


#: The targets due in a year (``VALUES ?year`` first), each with its policy and region: the city of a
#: municipal policy (``pkg:localJurisdiction``), else its ``pkg:jurisdiction``; ``%s`` is the year term.
#: The regions are joined from a scan of all jurisdictions (a hash join), not looked up target by target
#: (Oxigraph 0.5: about half the time for the 33k targets of one year among 100k policies, measured).
_YEAR_UNITS = """{ SELECT DISTINCT ?target ?policy ?region WHERE {
    { SELECT ?target ?policy WHERE { VALUES ?year { %s } ?target pkg:targetYear ?year . ?policy pkg:setsTarget ?target } }
    OPTIONAL { SELECT ?policy ?province WHERE { ?policy pkg:jurisdiction ?province } }
    OPTIONAL { SELECT ?policy ?city WHERE { ?policy pkg:localJurisdiction ?city } }
    BIND(COALESCE(?city, ?province) AS ?region)
  } }"""

#: How many targets of a year each region has (``%s``: :data:`_YEAR_UNITS`); the targets of policies of no
#: region are counted on a row of their own, with ``?region`` unbound.
YEAR_TARGETS = _PREFIXES + """
SELECT ?region (COUNT(*) AS ?n) WHERE {
  %s
} GROUP BY ?region
"""

#: The English labels of the regions of a year page (``VALUES ?region``). Not an OPTIONAL beside the count:
#: joined to the row of the targets of no region (``?region`` unbound), it would bind every label in the store.
_REGION_LABELS = _PREFIXES + """
SELECT ?region ?label WHERE {
  VALUES ?region { %s }
  ?region skos:prefLabel ?label FILTER(langMatches(lang(?label), "en"))
}
"""

#: The targets due in a year set by policies of the regions of ``VALUES ?region`` (their own region: the
#: city of a municipal policy, else the province), or by policies with no region (``%(none)s``).
_YEAR_REGION_UNITS = _PREFIXES + """
SELECT DISTINCT ?target ?policy ?region ?title ?indicator WHERE {
  {
    { SELECT ?policy ?region WHERE { VALUES ?region { %(regions)s } ?policy pkg:localJurisdiction ?region } }
    UNION
    { SELECT ?policy ?region WHERE { VALUES ?region { %(regions)s } ?policy pkg:jurisdiction ?region
                                     FILTER NOT EXISTS { ?policy pkg:localJurisdiction ?city } } }
    %(none)s
  }
  VALUES ?year { %(year)s }
  ?policy pkg:setsTarget ?target .
  ?target pkg:targetYear ?year .
  OPTIONAL { ?policy dcterms:title ?title FILTER(langMatches(lang(?title), "en")) }
  OPTIONAL { ?target pkg:indicator ?indicator }
}
"""

_NO_REGION = """UNION { SELECT DISTINCT ?policy WHERE { VALUES ?year0 { %s } ?t0 pkg:targetYear ?year0 . ?policy pkg:setsTarget ?t0
                                             FILTER NOT EXISTS { ?policy pkg:jurisdiction ?p0 }
                                             FILTER NOT EXISTS { ?policy pkg:localJurisdiction ?c0 } } }"""

#: What a target of the year page states (``VALUES ?target``): value as written, normalised, comparator, baseline.
_TARGET_DETAILS = _PREFIXES + """
SELECT DISTINCT ?target ?value ?unit ?nvalue ?nunit ?comparator ?baselineYear WHERE {
  VALUES ?target { %s }
  OPTIONAL { ?target pkg:value ?value }
  OPTIONAL { ?target pkg:unitText ?unit }
  OPTIONAL { ?target pkg:normalizedValue ?nvalue }
  OPTIONAL { ?target pkg:normalizedUnit ?nunit }
  OPTIONAL { ?target pkg:comparator ?comparator }
  OPTIONAL { ?target pkg:baselineYear ?baselineYear }
}
"""

#: The years targets are due in (their terms), whether or not a policy sets them.
_TARGET_YEAR_TERMS = _PREFIXES + "SELECT DISTINCT ?year WHERE { ?target pkg:targetYear ?year }"
#: Whether some policy sets a target due in the year ``%s``.
_YEAR_HAS_POLICY = _PREFIXES + "ASK { VALUES ?year { %s } ?target pkg:targetYear ?year . ?policy pkg:setsTarget ?target }"


#: Targets on one page of ``/year/{yyyy}``.
YEAR_PAGE_SIZE = 200


def _ascending(term: Node | None) -> tuple[int, str]:
    """A sort key ordering as SPARQL's ``ORDER BY ASC`` orders these values: unbound first, then by text."""
    return (0, "") if term is None else (1, str(term))


def _neighbour_years(store: Store, year: int) -> tuple[int | None, int | None]:
    """The nearest years before and after ``year`` that some policy's target is due in (read from the lexical
    form as :func:`target_years` reads it), or None: the target years are read alone, then asked about one
    by one from the nearest (an ASK ends at its first answer), rather than joining every target to its
    policy (2.8 s among 100k policies, measured)."""
    by_year: dict[int, list[Node]] = defaultdict(list)
    for r in store.select(_TARGET_YEAR_TERMS):
        m = re.match(r"^\s*(-?[0-9]{4,})", str(r["year"]))
        if m:
            by_year[int(m.group(1))].append(r["year"])

    def nearest(candidates: list[int]) -> int | None:
        for y in candidates:
            terms = _terms(by_year[y])
            if terms and store.ask(_YEAR_HAS_POLICY % terms):
                return y
        return None
    return (nearest(sorted((y for y in by_year if y < year), reverse=True)),
            nearest(sorted(y for y in by_year if y > year)))


def year_page(store: Store, year: int, base: str, page: int = 1) -> dict[str, Any]:
    """Page ``page`` (from 1, :data:`YEAR_PAGE_SIZE` targets) of the targets due in ``year``
    (``pkg:targetYear`` equal to ``"yyyy"^^xsd:gYear``), ordered by region label, policy title,
    indicator, then target, policy and region IRIs (a total order, so that pages neither repeat nor skip).

    Each row's region is the most specific one (the city of a municipal policy,
    ``pkg:localJurisdiction``, else ``pkg:jurisdiction``); ``baseline`` is the
    baseline year of a change target ("compared with 2021"), else empty.
    ``previous`` / ``next`` are the nearest years before and after ``year`` that
    have targets, or None: the pages link only to years with data, so a crawler
    that follows them visits each such year once, not every year from 1000 to 9999.
    ``total`` counts the year's targets (one per target, policy and region), ``pages``
    the pages they fill (at least 1); ``page_no`` is ``page``. Raises :class:`NotFound`
    for a page after the last.

    Three stages, so that a page costs a count of the year's targets by region, then work for the
    regions the page spans: sorting all of a year's targets by title costs Oxigraph 0.5 a string look-up
    per comparison (25 s for the 33k targets of one year among 100k policies, measured). A target with
    two titles, indicators or region labels (which the shapes refuse) is placed by the smallest and shown
    on one row per combination, as before.
    """
    year_term = _terms([Literal(f"{year:04d}", datatype=XSD.gYear)])
    counts = {r.get("region"): int(r["n"]) for r in store.select(YEAR_TARGETS % (_YEAR_UNITS % year_term))}
    labels: dict[Node, list[str]] = defaultdict(list)
    named = _terms(r for r in counts if isinstance(r, URIRef))
    for r in store.select(_REGION_LABELS % named) if named else []:
        labels[r["region"]].append(str(r["label"]))
    # label groups in order: the targets of regions with one label sort among each other by title
    groups: dict[tuple[int, str], list[Node | None]] = defaultdict(list)
    for region in counts:
        name = min(labels.get(region, []), default=None) if region is not None else None
        groups[(0, "") if name is None else (1, name)].append(region)
    total = sum(counts.values())
    pages = max(1, -(-total // YEAR_PAGE_SIZE))
    if page > pages:
        raise NotFound(f"no page {page} of the targets due in {year:04d}: there are {pages}")
    start, end = (page - 1) * YEAR_PAGE_SIZE, page * YEAR_PAGE_SIZE
    spans: list[tuple[tuple[int, str], int]] = []  # the groups the page takes targets of, with their start
    seen = 0
    for key in sorted(groups):
        size = sum(counts[r] for r in groups[key])
        if seen < end and seen + size > start:
            spans.append((key, seen))
        seen += size
    group_of = {region: key for key, _ in spans for region in groups[key]}
    read: dict[tuple[int, str], list[tuple[Any, ...]]] = defaultdict(list)  # one query for all their regions
    for unit in _year_units(store, list(group_of), year_term, labels) if group_of else []:
        read[group_of[unit[1]["region"]]].append(unit)
    units: list[tuple[Any, ...]] = []
    for key, first in spans:
        units += sorted(read[key], key=lambda u: u[0])[max(start - first, 0):end - first]
    targets = _year_rows(store, [u[1] for u in units], base)
    previous, following = _neighbour_years(store, year)
    return {"year": f"{year:04d}", "targets": targets, "title": f"Targets due in {year:04d}",
            "total": total, "page_no": page, "pages": pages, "page_size": YEAR_PAGE_SIZE,
            "previous": None if previous is None or not 1000 <= previous <= 9999 else f"{previous:04d}",
            "next": None if following is None or not 1000 <= following <= 9999 else f"{following:04d}"}


def _year_units(store: Store, regions: list[Node | None], year_term: str,
                labels: Mapping[Node, list[str]]) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    """The year's targets set by policies of ``regions`` (None: of no region), each as ``(sort key, row)``."""
    iris = _terms(r for r in regions if isinstance(r, URIRef))
    rows = store.select(_YEAR_REGION_UNITS % {"regions": iris, "year": year_term,
                                               "none": _NO_REGION % year_term if None in regions else ""}) \
        if iris or None in regions else []
    units: dict[tuple[Node, Node, Node | None], dict[str, Any]] = {}
    for r in rows:
        unit = units.setdefault((r["target"], r["policy"], r.get("region")),
                                {"target": r["target"], "policy": r["policy"], "region": r.get("region"),
                                 "titles": set(), "indicators": set()})
        if "title" in r:
            unit["titles"].add(r["title"])
        if "indicator" in r:
            unit["indicators"].add(r["indicator"])
    out = []
    for u in units.values():
        u["labels"] = sorted(labels.get(u["region"], [])) if u["region"] is not None else []
        key = (_ascending(min(u["titles"], key=str, default=None)), _ascending(min(u["indicators"], key=str, default=None)),
               _ascending(u["target"]), _ascending(u["policy"]), _ascending(u["region"]))
        out.append((key, u))
    return out


def _year_rows(store: Store, units: list[dict[str, Any]], base: str) -> list[dict[str, Any]]:
    """The rows of the year page for ``units`` (from :func:`_year_units`), in their order: one per unit
    and combination of its titles, indicators, region labels and stated values."""
    iris = _terms({u["target"] for u in units if isinstance(u["target"], URIRef)})
    details: dict[Node, list[Mapping[str, Node]]] = defaultdict(list)
    for r in store.select(_TARGET_DETAILS % iris) if iris else []:
        details[r["target"]].append(r)
    targets = []
    for u in units:
        for title in sorted(u["titles"], key=str) or [None]:
            for indicator in sorted(u["indicators"], key=str) or [None]:
                for region_label in u["labels"] or [None]:
                    for r in details.get(u["target"]) or [{}]:
                        targets.append(_year_row(u, title, indicator, region_label, r, base))
    return targets


def _year_row(u: Mapping[str, Any], title: Node | None, indicator: Node | None, region_label: str | None,
              r: Mapping[str, Node], base: str) -> dict[str, Any]:
    comp = r.get("comparator")
    written = " ".join(x for x in (_number(r.get("value")), str(r.get("unit", "")) if "value" in r else "") if x)
    region = u["region"]
    return {
        "policy": Link(local_path(u["policy"], base), str(title if title is not None else _local_name(u["policy"])),
                       str(u["policy"])),
        "href": local_path(u["target"], base),
        "indicator": str(indicator if indicator is not None else ""),
        "comparator": label(rdflib.Graph(), comp) if comp is not None else "",
        "written": written,
        "baseline": str(r["baselineYear"]) if "baselineYear" in r else "",
        "normalised": " ".join(x for x in (_number(r.get("nvalue")),
                                           label(rdflib.Graph(), r["nunit"]) if "nunit" in r else "") if x),
        "region": Link(local_path(region, base), region_label if region_label is not None else _local_name(region),
                       str(region)) if region is not None else None,
    }


@dataclass
class PolicyFilters:
    """Filters of the policies list. IRIs are built from validated slugs; ``region`` selects the
    policies of the region and of its parts (``pkg:partOf``: a province's cities), ``instrument``,
    ``sector`` and ``genre`` those of the concept and its narrower ones (``skos:broader``: the genre
    Programme takes in Work Plan, Action Plan...), as the canned queries do;
    ``q`` is matched as a case-insensitive substring of English or Chinese titles and of the names of the
    agencies the ``agency`` filter would find (issuers, group-headline issuers, source hosts);
    ``year`` is the publication year (matched on the lexical form of the date, whatever its precision)."""

    region: URIRef | None = None
    agency: URIRef | None = None
    instrument: URIRef | None = None
    sector: URIRef | None = None
    genre: URIRef | None = None
    year: int | None = None
    q: str = ""
    limit: int = 100
    offset: int = 0


def _values(var: str, term: Node) -> str:
    """``VALUES ?var { term }``: ``term`` bound to ``?var`` in the group that uses it, written as an
    N-Triples term (:func:`policykg.remote.nt_term`: no value breaks out of it), as the remote store binds
    every query's parameters."""
    from .remote import nt_term  # noqa: PLC0415 - policykg.remote imports the store module, not this one

    return f"VALUES ?{var} {{ {nt_term(term)} }}"


def _narrower(prop: str, var: str, term: URIRef, broader: str) -> str:
    """Policies whose ``prop`` is ``term`` or one of its parts/narrower concepts (``broader+`` to it):
    direct and transitive links as a UNION, not a zero-length path (Virtuoso 7 drops those from a bound
    end, see queries/policies-by-region.rq), the transitive end bound inside its own sub-SELECT, which
    the engine answers first (the parts of a province, then their policies: Oxigraph 0.5 otherwise read
    every ``prop`` link and walked the path from each, 2.2 s among 100k policies, measured)."""
    return (f"{{ {_values(var, term)} ?policy {prop} ?{var} }} UNION "
            f"{{ {{ SELECT DISTINCT ?{var}Part WHERE {{ {_values(var, term)} ?{var}Part {broader}+ ?{var} }} }} "
            f"?policy {prop} ?{var}Part }}")


def _policy_set(f: PolicyFilters) -> str:
    """The policies ``f`` selects, as a sub-SELECT ``{ SELECT DISTINCT ?policy WHERE { ... } }`` assembled
    from fixed fragments chosen by which filters are set.

    The filters' values are bound in ``VALUES`` blocks (:func:`_values`) in the groups that use them,
    not as the store's ``bindings``: Oxigraph 0.5 applies a query's substitutions after choosing its join
    order, so a bound region was checked against every policy (2.4 s rather than 0.08 s among 100k, measured).
    """
    where: list[str] = []
    # A region takes in its parts (a province its cities), a concept its narrower concepts, as the
    # canned queries policies-by-region/-instrument/-sector do; one property per branch: Virtuoso 7
    # answered 3 of 6 policies for "?p pkg:jurisdiction|pkg:localJurisdiction ?x . ?x pkg:partOf+ <CN>" (measured).
    if f.region is not None:
        where.append(_narrower("pkg:jurisdiction", "fRegion", f.region, "pkg:partOf") + " UNION "
                     + _narrower("pkg:localJurisdiction", "fRegion", f.region, "pkg:partOf"))
    if f.agency is not None:
        where.append(f"{_values('fAgency', f.agency)} ?policy pkg:issuedBy|pkg:issuedByHeadline|pkg:sourceHostedBy ?fAgency .")
    for term, prop, var in ((f.instrument, "pkg:usesInstrument", "fInstrument"), (f.sector, "pkg:sector", "fSector"),
                            (f.genre, "pkg:genre", "fGenre")):
        if term is not None:
            where.append(_narrower(prop, var, term, "skos:broader"))
    if f.year is not None:
        where.append(f"{_values('fYear', Literal(f'{f.year:04d}'))} ?policy pkg:publicationDate ?fDate . "
                     "FILTER(SUBSTR(STR(?fDate), 1, 4) = ?fYear)")
    if f.q:
        # each branch answered on its own (the matching titles; the policies of the matching agencies), then
        # joined to the others: checked policy by policy, the agency branch took 17 s among 100k (measured)
        q = _values("fQ", Literal(f.q))
        where.append(f"""{{ SELECT DISTINCT ?policy WHERE {{ {q} ?policy dcterms:title ?fText
                         FILTER(CONTAINS(LCASE(STR(?fText)), LCASE(?fQ))) }} }}
  UNION {{ SELECT DISTINCT ?policy WHERE {{
            {{ SELECT DISTINCT ?fAg WHERE {{ {q} ?fAg skos:prefLabel|skos:altLabel ?fAgLabel
                                           FILTER(CONTAINS(LCASE(STR(?fAgLabel)), LCASE(?fQ))) }} }}
            ?policy pkg:issuedBy|pkg:issuedByHeadline|pkg:sourceHostedBy ?fAg }} }}""")
    if not where:
        return "{ SELECT DISTINCT ?policy WHERE { ?policy a pkg:Policy } }"
    # the type of the filtered policies, joined to all policies' types at once (0.3 s among 100k) rather
    # than looked up for each (3 s for the 100k policies of China, measured)
    body = "\n  ".join(["{ SELECT ?policy WHERE { ?policy a pkg:Policy } }", *where])
    return f"{{ SELECT DISTINCT ?policy WHERE {{\n  {body}\n  }} }}"


#: A policy's date key: the latest lexical form of its ``pkg:publicationDate``, "" when it has none (which
#: sorts after every date when the newest come first, as an unbound date does in ``ORDER BY DESC``). MAX,
#: not SAMPLE: the stages of :func:`list_policies` must find the same key for a policy holding two dates.
_DATE_KEY = 'COALESCE(MAX(STR(?date)), "")'
#: The dates of the listed policies, joined to them by one scan of all dates (a hash join) rather than one
#: look-up per policy: Oxigraph 0.5, among 100k policies, 2.8 s rather than 4.7 s for the 100k of China, and
#: 0.8 s rather than 0.5 s for the 3k of one province (measured): bounded, whichever filters are set.
_ALL_DATES = "OPTIONAL { SELECT ?policy ?date WHERE { ?policy pkg:publicationDate ?date } }"


#: How many policies before and after a page the first query of :func:`_policy_window` reads, so that the
#: policies sharing the page's first or last date are mostly among them.
_WINDOW_MARGIN = 100


def _policy_window(store: Store, f: PolicyFilters) -> list[Node]:
    """The policies at ``f.offset`` to ``f.offset + f.limit`` in the list ``f`` selects, in its order:
    newest first (:data:`_DATE_KEY`), then by English title (the smallest, ``""`` for none), then by IRI.

    Sorting all policies by title and IRI costs the engine a string look-up per comparison (Oxigraph 0.5:
    13 s for 100k policies, measured), so the engine sorts them by date only, whose short lexical forms it
    stores inline, and returns the page with up to :data:`_WINDOW_MARGIN` policies either side; the
    policies from the page's last date to its first are then sorted here by their titles (Python orders
    strings by code point, as SPARQL's ORDER BY orders simple literals). When more policies share the
    page's first or last date than the margin holds, those dates' policies are read by a second query.
    """
    policies, dates = _policy_set(f), _ALL_DATES
    keyed = f"""{{ SELECT ?policy ({_DATE_KEY} AS ?ds) WHERE {{
    {policies}
    {dates}
  }} GROUP BY ?policy }}"""
    limit, offset = int(f.limit), int(f.offset)
    low = max(0, offset - _WINDOW_MARGIN)
    wanted = limit + (offset - low) + _WINDOW_MARGIN
    # ORDER BY names the aggregate, not its alias, which Virtuoso 7 refuses beside GROUP BY (SP031)
    around = [(str(r.get("ds", "")), r["policy"]) for r in store.select(_PREFIXES + f"""
SELECT ?policy ({_DATE_KEY} AS ?ds) WHERE {{
  {policies}
  {dates}
}} GROUP BY ?policy
ORDER BY DESC({_DATE_KEY})
LIMIT {wanted} OFFSET {low}
""")]
    at = offset - low  # the page's place in ``around``
    page = around[at:at + limit]
    if not page:
        return []
    first, last = page[0][0], page[-1][0]
    # the policies of the page's first date start after ``around`` starts, those of its last end before it ends
    whole = ((low == 0 or any(ds != first for ds, _ in around[:at]))
             and (len(around) < wanted or any(ds != last for ds, _ in around[at + limit:])))
    if whole:
        span = [(ds, p) for ds, p in around if last <= ds <= first]
        before = low + around.index(span[0])
        iris = [p for _, p in span if isinstance(p, URIRef)]
        titles = {r["policy"]: str(r.get("ts", "")) for r in store.select(_PREFIXES + f"""
SELECT ?policy (MIN(STR(?titleEn)) AS ?ts) WHERE {{
  VALUES ?policy {{ {_terms(iris)} }}
  OPTIONAL {{ ?policy dcterms:title ?titleEn FILTER(langMatches(lang(?titleEn), "en")) }}
}} GROUP BY ?policy
""")} if iris else {}
        rows = [(ds, titles.get(p, ""), str(p), p) for ds, p in span]
    else:
        rows = [(str(r.get("ds", "")), str(r.get("ts", "")), str(r["policy"]), r["policy"])
                for r in store.select(_PREFIXES + f"""
SELECT ?policy ?ds (MIN(STR(?titleEn)) AS ?ts) WHERE {{
  {keyed}
  FILTER(?ds >= {_string(last)} && ?ds <= {_string(first)})
  OPTIONAL {{ ?policy dcterms:title ?titleEn FILTER(langMatches(lang(?titleEn), "en")) }}
}} GROUP BY ?policy ?ds
""")]
        later = store.select(_PREFIXES + f"""
SELECT (COUNT(?policy) AS ?n) WHERE {{
  {keyed}
  FILTER(?ds > {_string(first)})
}}""")
        before = int(later[0]["n"]) if later else 0
    rows.sort(key=lambda k: (k[1], k[2]))
    rows.sort(key=lambda k: k[0], reverse=True)  # stable: newest first, then by title and IRI
    start = max(offset - before, 0)
    return [k[3] for k in rows[start:start + len(page)]]


def _terms(terms: Iterable[Node]) -> str:
    """``terms`` as N-Triples terms for a ``VALUES`` block (:func:`policykg.remote.nt_term`), those that
    cannot be written (an IRI with characters IRIREF forbids, read from a remote store) left out."""
    from .remote import nt_term  # noqa: PLC0415

    out = []
    for term in terms:
        try:
            out.append(nt_term(term))
        except ValueError:
            pass
    return " ".join(out)


def _string(text: str) -> str:
    """``text`` as a SPARQL string literal (N-Triples escapes: no value breaks out of its quotes)."""
    from .remote import nt_term  # noqa: PLC0415

    return nt_term(Literal(text))


#: Joins labels in a GROUP_CONCAT: the ASCII unit separator, which no label holds (a "; " may be in one);
#: written in the query as a SPARQL escape (SPARQL 1.1 Query §19.2, UCHAR), so the query text stays printable.
_LABEL_SEPARATOR = "\x1f"
_SPARQL_SEPARATOR = "\\u001F"


#: The details of the policies of one page of the list (``VALUES ?policy``), one row per policy.
_POLICY_DETAILS = f"""
SELECT ?policy (SAMPLE(?titleEn) AS ?title) (SAMPLE(?titleZh) AS ?title_zh) (SAMPLE(?date) AS ?pdate)
       (SAMPLE(?regionLabel) AS ?region_label) (SAMPLE(?region) AS ?region_iri)
       (SAMPLE(?cityLabel) AS ?city_label) (SAMPLE(?city) AS ?city_iri)
       (GROUP_CONCAT(DISTINCT ?issuerLabel; separator="{_SPARQL_SEPARATOR}") AS ?issuers)
       (GROUP_CONCAT(DISTINCT ?headlineLabel; separator="{_SPARQL_SEPARATOR}") AS ?headline_issuers)
       (GROUP_CONCAT(DISTINCT ?hostLabel; separator="{_SPARQL_SEPARATOR}") AS ?hosts)
WHERE {{
  VALUES ?policy {{ %s }}
  OPTIONAL {{ ?policy dcterms:title ?titleEn FILTER(langMatches(lang(?titleEn), "en")) }}
  OPTIONAL {{ ?policy dcterms:title ?titleZh FILTER(langMatches(lang(?titleZh), "zh")) }}
  OPTIONAL {{ ?policy pkg:publicationDate ?date }}
  OPTIONAL {{ ?policy pkg:jurisdiction ?region .
             OPTIONAL {{ ?region skos:prefLabel ?regionLabel FILTER(langMatches(lang(?regionLabel), "en")) }} }}
  OPTIONAL {{ ?policy pkg:localJurisdiction ?city .
             OPTIONAL {{ ?city skos:prefLabel ?cityLabel FILTER(langMatches(lang(?cityLabel), "en")) }} }}
  OPTIONAL {{ ?policy pkg:issuedBy ?issuer FILTER NOT EXISTS {{ ?policy pkg:issuedByHeadline ?issuer }}
             ?issuer skos:prefLabel ?issuerLabel FILTER(langMatches(lang(?issuerLabel), "en")) }}
  OPTIONAL {{ ?policy pkg:issuedByHeadline ?headline .
             ?headline skos:prefLabel ?headlineLabel FILTER(langMatches(lang(?headlineLabel), "en")) }}
  OPTIONAL {{ ?policy pkg:sourceHostedBy ?host
             FILTER NOT EXISTS {{ ?policy pkg:issuedBy|pkg:issuedByHeadline ?host }}
             ?host skos:prefLabel ?hostLabel FILTER(langMatches(lang(?hostLabel), "en")) }}
}}
GROUP BY ?policy
"""


def list_policies(store: Store, f: PolicyFilters, base: str) -> list[dict[str, Any]]:
    """Policies matching ``f`` (at most ``f.limit``, after the first ``f.offset``), newest first, then by
    English title, then by IRI: link, English and Chinese titles, date, most specific place, issuers.

    Two stages, so that a page costs the engine a sort of the listed policies by date and then work for
    its own policies only: :func:`_policy_window` finds the page's policies, and one query reads their
    details, bound by ``VALUES`` (IRIs read from the store, written with N-Triples escapes), as the
    filters' values are (:func:`_policy_set`).
    """
    window = _policy_window(store, f)
    if not window:
        return []
    iris = _terms(p for p in window if isinstance(p, URIRef))  # a blank node, if any, is listed by its name
    details = {r["policy"]: r for r in store.select(_PREFIXES + _POLICY_DETAILS % iris)} if iris else {}
    rows = []
    for policy in window:
        r = details.get(policy, {"policy": policy})
        rows.append({
            "link": Link(local_path(policy, base), str(r.get("title", _local_name(policy))), str(policy)),
            "title_zh": str(r.get("title_zh", "")),
            "date": str(r.get("pdate", "")),
            # the most specific place, as the year and region pages give it: the city of a city's policy
            "region": _place_link(r, "city", base) or _place_link(r, "region", base),
            # GROUP_CONCAT's order is the engine's (SPARQL 1.1 §18.5.1.7 leaves it open): sorted here
            "issuers": _sorted_labels(r.get("issuers")),
            "headline_issuers": _sorted_labels(r.get("headline_issuers")),
            # agencies whose website hosts the source but that the briefing does not name as issuers (inferred)
            "hosts": _sorted_labels(r.get("hosts")),
        })
    return rows


def concept_policies(store: Store, iri: URIRef, kind: str, base: str,
                     facets: Mapping[str, list[dict[str, Any]]] | None) -> dict[str, Any]:
    """The policies of a concept page (``kind``: ``instrument``, ``sector`` or ``genre``), as the policy list
    and the canned queries select them: those of the concept and of its narrower concepts
    (``skos:broader``), the :data:`PAGE_LIST_SIZE` most recent (:func:`list_policies`), not only the
    policies its description links to directly (a broad concept such as "economic instruments" has none).

    Returns the page fields ``policies`` (rows of :func:`list_policies`: link, date, region, issuers...),
    ``policy_count`` (from the list's filter counts ``facets``, :func:`listed_total`; ``None`` when they are
    not at hand or do not agree with the rows), ``more_policies`` (more than the rows shown) and
    ``with_narrower`` (True: the template says the rows take in the narrower concepts)."""
    f = PolicyFilters(**{kind: iri}, limit=PAGE_LIST_SIZE + 1)
    rows = list_policies(store, f, base)
    shown, more = rows[:PAGE_LIST_SIZE], len(rows) > PAGE_LIST_SIZE
    total = listed_total(f, facets, None)
    if total is not None and (total <= len(shown) if more else total != len(shown)):
        total = None  # of other data than the rows: no number rather than a wrong one
    return {"policies": shown, "policy_count": total, "more_policies": more, "with_narrower": True}


def _place_link(row: Mapping[str, Any], key: str, base: str) -> Link | None:
    """The link to ``row[key + "_iri"]`` labelled ``row[key + "_label"]`` (else its local name); None when unbound."""
    iri = row.get(f"{key}_iri")
    if iri is None:
        return None
    return Link(local_path(iri, base), str(row.get(f"{key}_label", _local_name(iri))), str(iri))




def _sorted_labels(joined: Node | None) -> str:
    """The labels of a ``GROUP_CONCAT(...; separator=_LABEL_SEPARATOR)`` in alphabetical order, joined by
    "; " ("" for none)."""
    return "; ".join(sorted(filter(None, str(joined or "").split(_LABEL_SEPARATOR))))


FACETS = _PREFIXES + """
SELECT ?facet ?value (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?policy) AS ?n) WHERE {
  ?policy a pkg:Policy .
  { ?policy pkg:jurisdiction ?value BIND("region" AS ?facet) }
  UNION { ?policy pkg:localJurisdiction ?value BIND("region" AS ?facet) }
  UNION { ?policy pkg:jurisdiction ?part . ?part pkg:partOf+ ?value BIND("region" AS ?facet) }
  UNION { ?policy pkg:localJurisdiction ?part . ?part pkg:partOf+ ?value BIND("region" AS ?facet) }
  UNION { ?policy pkg:issuedBy|pkg:issuedByHeadline|pkg:sourceHostedBy ?value BIND("agency" AS ?facet) }
  UNION { ?policy pkg:usesInstrument ?value BIND("instrument" AS ?facet) }
  UNION { ?policy pkg:usesInstrument ?narrower . ?narrower skos:broader+ ?value BIND("instrument" AS ?facet) }
  UNION { ?policy pkg:sector ?value BIND("sector" AS ?facet) }
  UNION { ?policy pkg:sector ?narrower . ?narrower skos:broader+ ?value BIND("sector" AS ?facet) }
  UNION { ?policy pkg:genre ?value BIND("genre" AS ?facet) }
  UNION { ?policy pkg:genre ?narrower . ?narrower skos:broader+ ?value BIND("genre" AS ?facet) }
  OPTIONAL { ?value skos:prefLabel ?l FILTER(langMatches(lang(?l), "en")) }
} GROUP BY ?facet ?value ORDER BY ?facet ?label
"""


def facet_options(store: Store, base: str) -> dict[str, list[dict[str, Any]]]:
    """Values offered by the list filters: ``{facet: [{"slug", "label", "count"}]}`` for region,
    agency, instrument, sector, genre (only values under ``{base}id/``), plus publication ``year``. Labels
    two values share get the slug after them ("Taizhou (321200)")."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in store.select(FACETS):
        value = r["value"]
        if kind_of(value, base) is None:
            continue
        out[str(r["facet"])].append({"slug": str(value).rsplit("/", 1)[-1],
                                     "label": str(r.get("label", _local_name(value))), "count": int(r["n"])})
    for options in out.values():  # two cities named "Taizhou" (Jiangsu, Zhejiang): tell them apart by code
        names = Counter(o["label"] for o in options)
        for o in options:
            if names[o["label"]] > 1:
                o["label"] = f"{o['label']} ({o['slug']})"
        # sorted here, not by the query: engines order language-tagged labels differently (Virtuoso 7
        # by internal id for long ones), and a value without a label shows its slug
        options.sort(key=lambda o: (o["label"].casefold(), o["slug"]))
    years = store.select(_PREFIXES + """
SELECT ?year (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a pkg:Policy ; pkg:publicationDate ?d BIND(SUBSTR(STR(?d), 1, 4) AS ?year) }
GROUP BY ?year ORDER BY DESC(?year)""")
    out["year"] = [{"slug": str(r["year"]), "label": str(r["year"]), "count": int(r["n"])} for r in years]
    return dict(out)


def listed_total(f: PolicyFilters, facets: Mapping[str, list[dict[str, Any]]] | None,
                 counts: list[dict[str, Any]] | None) -> int | None:
    """How many policies the list ``f`` selects, read from the aggregates already computed, without a query:
    all policies (``counts``, :func:`graph_counts`: the instances of ``pkg:Policy``) when no filter is set; the
    count of the one facet value chosen (``facets``, :func:`facet_options`, which counts the policies each
    filter selects: a region with its parts, a concept with its narrower ones, a publication year) when one
    filter is set. ``None`` for a title search or two filters at once, which no aggregate counts, or when
    the aggregate is not at hand (the page then says "100+")."""
    chosen = {k: v for k, v in (("region", f.region), ("agency", f.agency), ("instrument", f.instrument),
                                ("sector", f.sector), ("genre", f.genre)) if v is not None}
    if f.year is not None:
        chosen["year"] = f"{f.year:04d}"
    if f.q or len(chosen) > 1:
        return None
    if not chosen:
        policy = str(PKG.Policy)
        return next((int(c["count"]) for c in counts or () if str(c["class"]) == policy), None)
    (facet, value), = chosen.items()
    slug = str(value).rsplit("/", 1)[-1]
    if facets is None:
        return None
    # a value no policy has is no option: none are listed
    return next((int(o["count"]) for o in facets.get(facet, ()) if o["slug"] == slug), 0)


# ---------------------------------------------------------------------------
# Statistics for the landing and /stats pages
# ---------------------------------------------------------------------------

#: Classes whose instances the loaders and curators write: policies, what they say, and the evidence.
READ_FROM_BRIEFINGS = ("Policy", "Target", "Provision", "Briefing", "Report", "TextSpan", "QualityNote")
#: Classes the reference data fills (every agency and region of China, named by a briefing or not); the
#: briefings add the agencies they name that it lacks.
REFERENCE_CLASSES = ("Agency", "Region")


#: The site's list page of a class's instances, by the class's local name (the landing page's count cards link
#: there; the others link to the class in the ontology).
LIST_PAGES = {"Policy": "/policies", "Briefing": "/briefings"}


def graph_counts(store: Store) -> list[dict[str, Any]]:
    """Instances per class of the policykg ontology: ``[{"class": IRI, "href": "/ontology#Name", "list": the list
    page (:data:`LIST_PAGES`) or "", "label": str, "count": int, "kind": "briefings" | "reference" |
    "vocabulary"}]``, the classes read from briefings first
    (:data:`READ_FROM_BRIEFINGS`, in that order), then the reference data's (:data:`REFERENCE_CLASSES`), then the
    controlled vocabularies' concepts, most first."""
    rows = store.select(_PREFIXES + """
SELECT ?class (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?x) AS ?n) WHERE {
  ?x a ?class . FILTER(STRSTARTS(STR(?class), STR(pkg:)))
  OPTIONAL { ?class rdfs:label ?l FILTER(langMatches(lang(?l), "en")) }
} GROUP BY ?class ORDER BY DESC(?n) ?class""")
    order = {name: i for i, name in enumerate(READ_FROM_BRIEFINGS + REFERENCE_CLASSES)}

    def kind(name: str) -> str:
        return "briefings" if name in READ_FROM_BRIEFINGS else "reference" if name in REFERENCE_CLASSES else "vocabulary"

    counts = [{"class": str(r["class"]), "href": local_path(r["class"], ""),
               "list": LIST_PAGES.get(_local_name(r["class"]), ""),
               "label": str(r.get("label", _local_name(r["class"]))), "count": int(r["n"]),
               "kind": kind(_local_name(r["class"]))} for r in rows]
    return sorted(counts, key=lambda c: order.get(_local_name(URIRef(c["class"])), len(order)))  # stable: most first


def targets_by_year_indicator(store: Store) -> list[dict[str, Any]]:
    """Targets per target year and normalised unit (the indicator family, named by
    :data:`INDICATOR_FAMILIES`): ``[{"year", "unit", "count"}]``."""
    rows = store.select(_PREFIXES + """
SELECT ?year ?unit (COUNT(DISTINCT ?t) AS ?n) WHERE {
  ?t a pkg:Target ; pkg:targetYear ?year .
  OPTIONAL { ?t pkg:normalizedUnit ?u }
  BIND(COALESCE(?u, pkg:Qualitative) AS ?unit)
} GROUP BY ?year ?unit ORDER BY ?year ?unit""")
    return [{"year": str(r["year"]), "unit": INDICATOR_FAMILIES.get(_local_name(r["unit"]), _local_name(r["unit"])),
             "count": int(r["n"])} for r in rows]


def targets_without_year(store: Store) -> int:
    """How many targets have no ``pkg:targetYear`` (a goal stated without a date): the targets chart,
    which is by year, leaves them out and says how many."""
    rows = store.select(_PREFIXES + """
SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a pkg:Target FILTER NOT EXISTS { ?t pkg:targetYear ?year } }""")
    return int(rows[0]["n"]) if rows else 0


#: Chart legend for each normalised unit (local name of the QUDT or pkg: unit): the kind of indicator.
INDICATOR_FAMILIES: dict[str, str] = {
    "W": "capacity (W)", "NUM": "count", "PERCENT": "share (%)", "PercentagePoint": "change (pp)",
    "CNY": "money (CNY)", "M2": "area (m²)", "CNYPerTonneCoalEquivalent": "price (CNY/tce)",
    "Qualitative": "qualitative",
}


def policies_by_region(store: Store) -> dict[str, int]:
    """Policies per ISO 3166-2 code of their jurisdiction: ``{"CN-SD": 3, ...}``."""
    rows = store.select(_PREFIXES + """
SELECT ?code (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a pkg:Policy ; pkg:jurisdiction ?r . ?r pkg:isoCode ?code }
GROUP BY ?code""")
    return {str(r["code"]): int(r["n"]) for r in rows}


def publications_by_month(store: Store) -> list[tuple[str, int]]:
    """Policies per publication month ``YYYY-MM`` (dates at year precision are left out), in order.

    Only ``xsd:date``, ``xsd:gYearMonth`` and ``xsd:dateTime`` values of years 0000-9999 count: a
    plain string or a year before the common era has no month to chart.
    """
    rows = store.select(_PREFIXES + """
SELECT ?month (COUNT(DISTINCT ?p) AS ?n) WHERE {
  ?p a pkg:Policy ; pkg:publicationDate ?d .
  FILTER(DATATYPE(?d) IN (xsd:date, xsd:gYearMonth, xsd:dateTime) && REGEX(STR(?d), "^[0-9]{4}-(0[1-9]|1[0-2])"))
  BIND(SUBSTR(STR(?d), 1, 7) AS ?month)
} GROUP BY ?month ORDER BY ?month""")
    return [(str(r["month"]), int(r["n"])) for r in rows]


def sitemap_resources(store: Store, base: str, limit: int = 50_000) -> list[str]:
    """IRIs of the policies, agencies, regions, briefings, reports and concepts to list in a sitemap
    (sitemaps.org protocol: at most 50,000 URLs per file)."""
    rows = store.select(_PREFIXES + f"""
SELECT DISTINCT ?x WHERE {{
  VALUES ?c {{ pkg:Policy pkg:Agency pkg:Region pkg:Briefing pkg:Report pkg:Instrument pkg:Sector pkg:PolicyGenre skos:Concept }}
  ?x a ?c . FILTER(isIRI(?x))
}} ORDER BY ?x LIMIT {int(limit)}""")
    return [str(r["x"]) for r in rows if kind_of(r["x"], base) is not None and "#" not in str(r["x"])]


# ---------------------------------------------------------------------------
# Pictures: server-side SVG, no JavaScript
# ---------------------------------------------------------------------------

def _esc(text: object) -> str:
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;"))


_PALETTE = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666")


def bar_chart_svg(rows: list[dict[str, Any]], title: str = "Targets by year and unit") -> str:
    """A stacked bar chart (SVG text) of ``rows`` ``{"year", "unit", "count"}``: one bar a year,
    one colour a unit, with a legend; an accessible ``<title>`` and a text fallback per bar."""
    years = sorted({r["year"] for r in rows})
    units = sorted({r["unit"] for r in rows})
    totals = {y: sum(r["count"] for r in rows if r["year"] == y) for y in years}
    top = max(totals.values(), default=1) or 1
    bar_w, gap, h, left, bottom = 34, 14, 180, 36, 30
    width = max(320, left + len(years) * (bar_w + gap) + 170)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" viewBox="0 0 {width} {h + bottom + 20}" '
             f'width="{width}" height="{h + bottom + 20}"><title>{_esc(title)}</title>']
    parts.append(f'<line x1="{left}" y1="{h + 10}" x2="{left + len(years) * (bar_w + gap)}" y2="{h + 10}" stroke="#333"/>')
    parts.append(f'<text x="4" y="18" font-size="11">{top}</text>')
    for i, y in enumerate(years):
        x = left + i * (bar_w + gap) + gap / 2
        base_y = h + 10
        for j, u in enumerate(units):
            n = sum(r["count"] for r in rows if r["year"] == y and r["unit"] == u)
            if not n:
                continue
            bh = n / top * (h - 10)
            base_y -= bh
            parts.append(f'<rect x="{x:.1f}" y="{base_y:.1f}" width="{bar_w}" height="{bh:.1f}" '
                         f'fill="{_PALETTE[j % len(_PALETTE)]}"><title>{_esc(y)}: {n} × {_esc(u)}</title></rect>')
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{h + 26}" font-size="11" text-anchor="middle">{_esc(y)}</text>')
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{base_y - 3:.1f}" font-size="10" text-anchor="middle">{totals[y]}</text>')
    lx = left + len(years) * (bar_w + gap) + 16
    for j, u in enumerate(units):
        parts.append(f'<rect x="{lx}" y="{14 + j * 16}" width="10" height="10" fill="{_PALETTE[j % len(_PALETTE)]}"/>'
                     f'<text x="{lx + 14}" y="{23 + j * 16}" font-size="11">{_esc(u)}</text>')
    parts.append("</svg>")
    return "".join(parts)


#: Tile-grid positions (column, row) of China's provincial-level divisions, keyed by ISO 3166-2
#: code (ISO 3166-2:CN, 2017 codes), laid out roughly by geography for a tile-grid map.
PROVINCE_TILES: dict[str, tuple[int, int]] = {
    "CN-HL": (7, 0), "CN-JL": (7, 1), "CN-NM": (5, 1), "CN-LN": (6, 2), "CN-BJ": (5, 2), "CN-TJ": (5, 3),
    "CN-XJ": (0, 2), "CN-GS": (2, 2), "CN-NX": (3, 3), "CN-SX": (4, 3), "CN-HE": (4, 2), "CN-SD": (6, 3),
    "CN-QH": (1, 3), "CN-SN": (3, 4), "CN-HA": (4, 4), "CN-JS": (6, 4), "CN-SH": (7, 4), "CN-XZ": (0, 4),
    "CN-SC": (2, 5), "CN-CQ": (3, 5), "CN-HB": (4, 5), "CN-AH": (5, 4), "CN-ZJ": (6, 5), "CN-YN": (1, 6),
    "CN-GZ": (2, 6), "CN-HN": (3, 6), "CN-JX": (5, 5), "CN-FJ": (6, 6), "CN-TW": (7, 6), "CN-GX": (3, 7),
    "CN-GD": (4, 7), "CN-HK": (5, 7), "CN-MO": (4, 8), "CN-HI": (3, 8),
}


def tile_map_svg(counts: Mapping[str, int], title: str = "Policies by province") -> str:
    """A tile-grid map (SVG text) of the provincial-level divisions shaded by ``counts`` (ISO code →
    number); each tile links to its region page and carries a ``<title>`` with the number."""
    top = max(counts.values(), default=0) or 1
    size, pad = 44, 3
    cols = 1 + max(c for c, _ in PROVINCE_TILES.values())
    rows = 1 + max(r for _, r in PROVINCE_TILES.values())
    w, h = cols * size + 2, rows * size + 24
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" viewBox="0 0 {w} {h}" width="{w}" '
             f'height="{h}"><title>{_esc(title)}</title>']
    for code, (c, r) in sorted(PROVINCE_TILES.items()):
        n = counts.get(code, 0)
        share = n / top
        light = 95 - int(60 * share) if n else 96
        fill = f"hsl(205, 60%, {light}%)"
        colour = "#fff" if light < 60 else "#222"
        parts.append(f'<a href="/doc/region/{code}"><rect x="{c * size + 1}" y="{r * size + 1}" width="{size - pad}" '
                     f'height="{size - pad}" rx="4" fill="{fill}" stroke="#9ab"><title>{code}: {n}</title></rect>'
                     f'<text x="{c * size + 1 + (size - pad) / 2}" y="{r * size + 19}" font-size="11" '
                     f'text-anchor="middle" fill="{colour}">{code[3:]}</text>'
                     f'<text x="{c * size + 1 + (size - pad) / 2}" y="{r * size + 33}" font-size="10" '
                     f'text-anchor="middle" fill="{colour}">{n}</text></a>')
    national = counts.get("CN", 0)
    parts.append(f'<text x="2" y="{h - 6}" font-size="11">National (CN): {national}</text></svg>')
    return "".join(parts)


#: Width (px) a "YYYY-MM" label of :func:`timeline_svg` takes at font size 10, with a gap: labels closer are dropped.
_MONTH_LABEL_W = 50


def timeline_svg(months: list[tuple[str, int]], title: str = "Policies published per month") -> str:
    """A timeline (SVG text): one column per calendar month from the first to the last of ``months``
    (``("YYYY-MM", n)``), empty months included, so gaps show; month labels never overlap (every month when
    :data:`_MONTH_LABEL_W` fits each, else each January and the two ends, as room allows)."""
    if not months:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" width="320" height="40">'
                f'<title>{_esc(title)}</title><text x="4" y="24" font-size="12">No dated policies.</text></svg>')
    counts = dict(months)
    y0, m0 = (int(x) for x in months[0][0].split("-"))
    y1, m1 = (int(x) for x in months[-1][0].split("-"))
    seq = []
    y, m = y0, m0
    while (y, m) <= (y1, m1) and len(seq) < 600:
        seq.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    top = max(counts.values()) or 1
    step, h, left = max(8, min(_MONTH_LABEL_W, 640 // max(1, len(seq)))), 120, 30
    w = left + len(seq) * step + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" viewBox="0 0 {w} {h + 40}" '
             f'width="{w}" height="{h + 40}"><title>{_esc(title)}</title>',
             f'<line x1="{left}" y1="{h}" x2="{w - 10}" y2="{h}" stroke="#333"/>',
             f'<text x="2" y="14" font-size="11">{top}</text>']
    # labels: every month when they fit side by side, else each January and the two ends; one closer to the
    # label before it than a label's width is left out (the last month's ousts the one before it instead)
    wanted = [i for i, month in enumerate(seq)
              if step >= _MONTH_LABEL_W or month.endswith("-01") or i in (0, len(seq) - 1)]
    labelled: list[int] = []
    for i in wanted:
        while labelled and (i - labelled[-1]) * step < _MONTH_LABEL_W and i == len(seq) - 1 and labelled[-1] != 0:
            labelled.pop()
        if not labelled or (i - labelled[-1]) * step >= _MONTH_LABEL_W:
            labelled.append(i)
    for i, month in enumerate(seq):
        n = counts.get(month, 0)
        x = left + i * step
        bh = n / top * (h - 20)
        if n:
            parts.append(f'<rect x="{x + 1}" y="{h - bh:.1f}" width="{step - 2}" height="{bh:.1f}" fill="#3b7dd8">'
                         f'<title>{month}: {n}</title></rect>')
        if i in labelled:
            parts.append(f'<text x="{x + step / 2}" y="{h + 14}" font-size="10" text-anchor="middle">{month}</text>')
    parts.append("</svg>")
    return "".join(parts)



# ---------------------------------------------------------------------------
# Ontology documentation
# ---------------------------------------------------------------------------

_OWL = rdflib.Namespace("http://www.w3.org/2002/07/owl#")
_SCHEMA = rdflib.Namespace("https://schema.org/")
_VANN = rdflib.Namespace("http://purl.org/vocab/vann/")


def _term(g: rdflib.Graph, node: Node, base: str) -> dict[str, Any]:
    def lits(p: URIRef, lang: str) -> str:
        return _lit(g, node, p, lang) or ""

    def refs(*props: URIRef) -> list[Link]:
        out = []
        for p in props:
            for o in g.objects(node, p):
                if isinstance(o, URIRef):
                    href = f"#{_local_name(o)}" if str(o).startswith(PKG_NS) else local_path(o, base)
                    out.append(Link(href, _curie(o), str(o)))
        return sorted(set(out), key=lambda x: x.text)

    return {
        "iri": str(node), "name": _local_name(node), "curie": _curie(node),
        "label_en": lits(RDFS.label, "en") or lits(SKOS.prefLabel, "en"),
        "label_zh": lits(RDFS.label, "zh") or lits(SKOS.prefLabel, "zh"),
        "definition": lits(SKOS.definition, "en") or _lit(g, node, SKOS.definition) or "",
        "comment": lits(RDFS.comment, "en") or _lit(g, node, RDFS.comment) or "",
        "super": refs(RDFS.subClassOf, RDFS.subPropertyOf),
        "alignments": refs(SKOS.exactMatch, SKOS.closeMatch, _OWL.equivalentClass, _OWL.equivalentProperty),
        "domain": refs(RDFS.domain, _SCHEMA.domainIncludes),
        "range": refs(RDFS.range, _SCHEMA.rangeIncludes),
        "kinds": sorted(_local_name(t) for t in g.objects(node, RDF.type)),
        "members": refs(SKOS.hasTopConcept),
    }


def ontology_page(g: rdflib.Graph, base: str) -> dict[str, Any]:
    """Documentation model of the ontology graph ``g``: header facts of the ``owl:Ontology``, and
    the classes, properties and concept schemes of the ``pkg:`` namespace, each with en/zh
    labels, definition, superclasses/-properties, alignments, domain and range, and the concepts
    and units minted in the ``pkg:`` namespace (government levels, comparators, ``pkg:PercentagePoint``...).
    ``header["license_href"]`` is the ``dcterms:license`` IRI when :func:`safe_href` allows it, else ``""``."""
    onto = next(iter(g.subjects(RDF.type, _OWL.Ontology)), None)
    header: dict[str, Any] = {}
    if onto is not None:
        header = {
            "iri": str(onto),
            "title": _lit(g, onto, DCTERMS.title, "en") or _lit(g, onto, DCTERMS.title) or "policykg ontology",
            "title_zh": _lit(g, onto, DCTERMS.title, "zh") or "",
            "description": _lit(g, onto, DCTERMS.description, "en") or "",
            "version": _lit(g, onto, _OWL.versionInfo) or "",
            "namespace": _lit(g, onto, _VANN.preferredNamespaceUri) or PKG_NS,
            "prefix": _lit(g, onto, _VANN.preferredNamespacePrefix) or "pkg",
            "license": str(g.value(onto, DCTERMS.license) or ""),
            "license_href": safe_href(str(g.value(onto, DCTERMS.license) or "")),
            "changes": sorted(str(o) for o in g.objects(onto, SKOS.changeNote)),
        }

    def ours(kinds: Iterable[URIRef]) -> list[dict[str, Any]]:
        nodes = {s for k in kinds for s in g.subjects(RDF.type, k)
                 if isinstance(s, URIRef) and str(s).startswith(PKG_NS)}
        return sorted((_term(g, n, base) for n in nodes), key=lambda t: t["name"].lower())

    return {
        "title": header.get("title", "policykg ontology"),
        "header": header,
        "classes": ours([_OWL.Class, RDFS.Class]),
        "object_properties": ours([_OWL.ObjectProperty]),
        "datatype_properties": ours([_OWL.DatatypeProperty]),
        "schemes": ours([SKOS.ConceptScheme]),
        "concepts": ours([SKOS.Concept, URIRef("http://qudt.org/schema/qudt/Unit")]),
        "triples": len(g),
    }
