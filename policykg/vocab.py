"""Namespaces, fixed core terms and deterministic IRI minting.

The ontology namespace and the IRI patterns follow
``shared/design/ontology-core.md``::

    {base}id/policy/{slug}      {base}id/agency/{slug}     {base}id/region/{code}
    {base}id/target/{slug}      {base}id/briefing/{slug}   {base}id/report/{slug}
    {base}id/provision/{slug}   {base}id/{scheme}/{slug}   (SKOS concepts)

Evidence spans are minted as fragments of their briefing's IRI using the
RFC 5147 ``char=start,end`` fragment syntax, so the same span of the same
document always gets the same IRI.

Minting is pure: the same inputs give the same IRI on every run and machine
(no counters, no randomness, no time stamps).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

__all__ = [
    "PKG", "PKG_NS", "OA", "SCHEMA", "ELI", "ORG", "PROV", "VANN", "QUDT", "UNIT", "CUR",
    "FOAF", "DCAT", "VOID", "TIME", "DCTERMS", "OWL", "RDF", "RDFS", "SKOS", "XSD",
    "ONTOLOGY_IRI", "EXTERNAL_NS", "DEFAULT_BASE_IRI", "PREFIXES", "KINDS",
    "slugify", "short_hash", "Minter",
]

#: The ontology namespace (hash namespace; the ontology document is ``/ontology``).
PKG_NS = "https://w3id.org/policykg/ontology#"
PKG = Namespace(PKG_NS)
#: IRI of the ``owl:Ontology`` resource itself.
ONTOLOGY_IRI = URIRef("https://w3id.org/policykg/ontology")
#: Namespace of the outside classifications the vocabularies map to (``ontology/vocab/external.ttl``: CCLW,
#: the Climate Policy Database, the 2006 IPCC Guidelines' sectors), transcribed by policykg and served at
#: ``/external/{scheme}/{slug}``. Fixed, like the ontology's: not under ``POLICYKG_BASE_IRI``.
EXTERNAL_NS = "https://w3id.org/policykg/external/"
#: Default base for instance IRIs; override with ``POLICYKG_BASE_IRI``.
DEFAULT_BASE_IRI = "https://w3id.org/policykg/"

OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
VANN = Namespace("http://purl.org/vocab/vann/")
QUDT = Namespace("http://qudt.org/schema/qudt/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
CUR = Namespace("http://qudt.org/vocab/currency/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
VOID = Namespace("http://rdfs.org/ns/void#")
TIME = Namespace("http://www.w3.org/2006/time#")

#: Prefixes bound in every serialisation and offered to SPARQL users.
PREFIXES: dict[str, str] = {
    "pkg": PKG_NS,
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "oa": str(OA),
    "schema": str(SCHEMA),
    "eli": str(ELI),
    "org": str(ORG),
    "prov": str(PROV),
    "vann": str(VANN),
    "qudt": str(QUDT),
    "unit": str(UNIT),
    "cur": str(CUR),
    "foaf": str(FOAF),
    "dcat": str(DCAT),
    "void": str(VOID),
    "time": str(TIME),
}

#: The namespaces of :data:`PREFIXES`, longest first: ``unit:`` before a shorter one it starts with.
_PREFIXES_LONGEST_FIRST = tuple(sorted(PREFIXES.items(), key=lambda item: -len(item[1])))
#: A local part of a prefixed name that needs no escapes (SPARQL 1.1 Query §19.8 PN_LOCAL, ASCII name characters).
_LOCAL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*(?<!\.)")


def short_iri(iri: str, base: str) -> str:
    """``iri`` as a table of results shows it: a resource of this site as its path under ``{base}id/``
    (``policy/cn-sd-...``, ``region/CN-SD``), an IRI in a namespace of :data:`PREFIXES` as a prefixed
    name (``pkg:AtLeast``, ``unit:PERCENT``; SPARQL 1.1 Query §4.1.1.1, a local part of name characters
    only), any other IRI whole. Tables that shorten IRIs keep the whole one at hand (an HTML cell's
    ``title`` and link; the CLI's CSV, TSV and JSON output)."""
    if iri.startswith(f"{base}id/") and len(iri) > len(base) + 3:
        return iri[len(base) + 3:]
    for prefix, namespace in _PREFIXES_LONGEST_FIRST:
        if iri.startswith(namespace) and _LOCAL_NAME.fullmatch(iri[len(namespace):]):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


#: Resource kinds that live under ``{base}id/{kind}/``: dereferenceable by the API.
KINDS = (
    "policy", "agency", "region", "target", "provision", "briefing", "report",
    "genre", "instrument", "sector", "scheme", "agency-type",
)

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_len: int = 90) -> str:
    """Turn ``text`` into a lower-case ASCII slug of words joined by ``-``.

    Accents are folded (NFKD), anything else that is not ``[a-z0-9]``
    separates words. A slug longer than ``max_len`` characters is cut at a
    word boundary and gets an 8-hex-digit hash of the full slug appended, so
    two long titles that share a prefix still get distinct slugs.

    >>> slugify("Notice on Promoting the Grid Integration")
    'notice-on-promoting-the-grid-integration'
    >>> slugify("  ")
    ''
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NON_SLUG.sub("-", folded.lower()).strip("-")
    if len(slug) <= max_len:
        return slug
    cut = slug[:max_len].rsplit("-", 1)[0]
    return f"{cut}-{short_hash(slug)}"


def short_hash(*parts: object, length: int = 8) -> str:
    """Return the first ``length`` hex digits of the SHA-1 of ``parts`` joined by U+001F.

    >>> short_hash("a", 1)
    '6aec555e'
    """
    data = "\x1f".join(str(p) for p in parts).encode("utf-8")
    return hashlib.sha1(data).hexdigest()[:length]


class Minter:
    """Mints the IRIs of instance data under one base IRI.

    ``base`` must end with ``/`` (a :class:`ValueError` is raised otherwise).
    Every method is pure: equal inputs give equal IRIs.

    >>> m = Minter("https://example.org/")
    >>> str(m.region("CN-SD"))
    'https://example.org/id/region/CN-SD'
    >>> str(m.span(m.briefing("b1"), 10, 24))
    'https://example.org/id/briefing/b1#char=10,24'
    """

    def __init__(self, base: str = DEFAULT_BASE_IRI):
        if not base.endswith("/"):
            raise ValueError(f"base IRI must end with '/': {base!r}")
        self.base = base

    def id(self, kind: str, slug: str) -> URIRef:
        """``{base}id/{kind}/{slug}``; ``kind`` must be one of :data:`KINDS`."""
        if kind not in KINDS:
            raise ValueError(f"unknown resource kind {kind!r}; expected one of {KINDS}")
        if not slug:
            raise ValueError(f"empty slug for kind {kind!r}")
        return URIRef(f"{self.base}id/{kind}/{slug}")

    def policy(self, title: str, jurisdiction_code: str) -> URIRef:
        """A policy's IRI from its English title and its jurisdiction code.

        The jurisdiction (ISO 3166-2 code, or GB/T 2260 code for a city) is
        part of the slug because provinces issue plans with identical titles.
        Two briefings that give the same title for the same jurisdiction give
        one policy.
        """
        return self.id("policy", slugify(f"{jurisdiction_code} {title}"))

    def agency(self, slug: str) -> URIRef:
        """An agency's IRI (reference data chooses the slug, e.g. ``ndrc``)."""
        return self.id("agency", slug)

    def region(self, code: str) -> URIRef:
        """A region's IRI: ISO 3166-2 code for the country and provinces, GB/T 2260 code for cities."""
        return self.id("region", code)

    def briefing(self, slug: str) -> URIRef:
        """A source document's IRI."""
        return self.id("briefing", slug)

    def report(self, title: str) -> URIRef:
        """A third-party report's IRI, from its title."""
        return self.id("report", slugify(title))

    def target(self, policy: URIRef, *key: object) -> URIRef:
        """A target's IRI: the policy's slug plus a hash of ``key``.

        ``key`` should identify the goal within its policy, e.g.
        ``(year, indicator, value, unit)``.
        """
        return self.id("target", f"{str(policy).rsplit('/', 1)[-1][:60]}-{short_hash(*key)}")

    def provision(self, policy: URIRef, *key: object) -> URIRef:
        """A provision's IRI: the policy's slug plus a hash of ``key``."""
        return self.id("provision", f"{str(policy).rsplit('/', 1)[-1][:60]}-{short_hash(*key)}")

    def concept(self, scheme: str, slug: str) -> URIRef:
        """A SKOS concept's IRI in scheme ``scheme`` (``genre``, ``instrument``, ``sector``)."""
        return self.id(scheme, slug)

    def scheme(self, name: str) -> URIRef:
        """A SKOS concept scheme's IRI."""
        return self.id("scheme", name)

    def span(self, briefing: URIRef, start: int, end: int) -> URIRef:
        """An evidence span's IRI: ``{briefing}#char={start},{end}`` (RFC 5147)."""
        return URIRef(f"{briefing}#char={start},{end}")

    def graph(self, document_slug: str) -> URIRef:
        """The named graph that holds what one loaded document says."""
        return URIRef(f"{self.base}graph/{document_slug}")

    @property
    def reference_graph(self) -> URIRef:
        """Named graph holding regions, agencies and concept schemes."""
        return URIRef(f"{self.base}graph/reference")

    @property
    def ontology_graph(self) -> URIRef:
        """Named graph holding the ontology."""
        return URIRef(f"{self.base}graph/ontology")
