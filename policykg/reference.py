"""Reference data (regions, agencies, agency types) and the ontology loaders.

Which file goes where::

    ontology/policykg.ttl               ┐
    ontology/vocab/*.ttl                ┘  load_ontology_graph()   -> ontology graph
    ontology/reference/regions.ttl      ┐
    ontology/reference/agencies.ttl     │  load_reference_graph()  -> reference graph
    ontology/reference/agency-types.ttl ┘

The ontology graph (OWL ontology + SKOS schemes for genre, instrument,
sector and the external classifications they align to) is what pySHACL gets
as ``ont_graph``. The reference graph holds the instance data the loaders
resolve names and web domains against. The ``reference/*.ttl`` files are
**generated** from the CSV tables beside them by :func:`build_reference`
(``python -m policykg.reference`` rewrites them); never edit them by hand.

Tables (``ontology/reference/``), one row per resource, ``;`` separates
list values inside a cell:

=========================== ==========================================================
``provinces.csv``           the 34 provincial-level divisions: ISO 3166-2:CN code,
                            former numeric code, GB/T 2260 code, names, type,
                            Wikidata item, portal domain of the people's government
``cities.csv``              the prefecture-level divisions: GB/T 2260 code, names,
                            province, type, ethnic groups of autonomous prefectures,
                            portal domain of the city government
``agency-types.csv``        kinds of department with name patterns per level and
                            the host-name prefixes they commonly use
``national-agencies.csv``   central bodies: names, abbreviations, parent, web and
                            portal domains, founding/dissolution, successor
``provincial-departments``  exceptions to the name patterns for one province and
``.csv``                    department type, departments that do not exist
                            (``include`` = ``no``) and known web domains
``sources.csv``             source and vintage of each table (becomes
                            ``dcterms:source`` / ``dcterms:created`` of a
                            ``dcat:Dataset`` resource per generated file)
=========================== ==========================================================

IRIs (``base`` defaults to :data:`policykg.vocab.DEFAULT_BASE_IRI`)::

    {base}id/region/CN               the country
    {base}id/region/CN-SD            a provincial-level division (ISO 3166-2 code)
    {base}id/region/321200           a prefecture-level division (GB/T 2260 code)
    {base}id/agency/ndrc             a national agency (slug from national-agencies.csv)
    {base}id/agency/cn-sd-government a provincial people's government
    {base}id/agency/cn-sd-drc        a provincial department ({iso}-{type suffix})
    {base}id/agency/321200-government a city people's government
    {base}id/agency-type/{slug}      an agency type concept
    {base}id/scheme/agency-type      the agency type scheme
    {base}dataset/{name}             the dataset description of a generated file

Web domains: ``pkg:webDomain`` holds host names of an agency's own sites;
a URL's host matches a domain when it equals it or ends with ``.`` + the
domain, and the longest match wins (``fgw.shandong.gov.cn`` beats
``shandong.gov.cn``). ``pkg:portalDomain`` (only ``gov.cn``, on the State
Council) marks a portal that publishes documents of many issuers: never
infer an issuer or host agency from it.
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS, XSD

from policykg.errors import InputError
from policykg.vocab import DCAT, DEFAULT_BASE_IRI, ORG, PKG, PREFIXES, SCHEMA, VOID, Minter

__all__ = [
    "ONTOLOGY_FILES", "VOCAB_DIR", "REFERENCE_DIR", "GENERATED_FILES",
    "default_ontology_dir", "load_ontology_graph", "load_reference_graph", "rebase",
    "read_table", "build_reference", "serialize_reference", "write_reference", "main",
]

#: Files of the ontology graph, relative to the ontology directory (plus every ``vocab/*.ttl``).
ONTOLOGY_FILES = ("policykg.ttl",)
#: Sub-directory of SKOS vocabularies (ontology graph).
VOCAB_DIR = "vocab"
#: Sub-directory of reference data (reference graph).
REFERENCE_DIR = "reference"
#: Generated Turtle files of the reference graph, by dataset name.
GENERATED_FILES = {
    "regions": "regions.ttl",
    "agency-types": "agency-types.ttl",
    "agencies": "agencies.ttl",
}

WIKIDATA = "http://www.wikidata.org/entity/"

#: Chinese names of the ethnic groups that appear in names of autonomous prefectures.
_ETHNIC_ZH = (
    "藏族", "羌族", "彝族", "蒙古族", "回族", "苗族", "侗族", "布依族", "土家族", "傣族", "景颇族",
    "白族", "哈尼族", "傈僳族", "壮族", "朝鲜族", "哈萨克", "柯尔克孜", "蒙古",
)

_REGION_TYPES = {
    "Country", "Province", "AutonomousRegion", "Municipality", "SpecialAdministrativeRegion",
    "PrefectureLevelCity", "Prefecture", "AutonomousPrefecture", "League", "NewArea",
}
_ISO_RE = re.compile(r"^CN-[A-Z]{2}$")
_FORMER_ISO_RE = re.compile(r"^CN-\d{2}$")
_GB_RE = re.compile(r"^\d{6}$")
_DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$")
_SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_DATE_RES = (
    (re.compile(r"^\d{4}$"), XSD.gYear),
    (re.compile(r"^\d{4}-\d{2}$"), XSD.gYearMonth),
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), XSD.date),
)


def default_ontology_dir() -> Path:
    """The ``ontology/`` directory of this source tree (``<repo>/ontology``)."""
    return Path(__file__).resolve().parent.parent / "ontology"


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------

def _parse_turtle(graph: Graph, path: Path) -> None:
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types for bad Turtle
        line = getattr(exc, "lines", None)
        raise InputError(f"cannot parse Turtle: {exc}", file=str(path),
                         line=line if isinstance(line, int) else None) from exc


def _bind(graph: Graph) -> Graph:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    return graph


def rebase(graph: Graph, base: str) -> Graph:
    """Return a copy of ``graph`` with instance IRIs moved from the default base to ``base``.

    The committed Turtle mints IRIs under :data:`~policykg.vocab.DEFAULT_BASE_IRI`;
    a deployment with another ``base_iri`` setting rewrites every IRI that
    starts with ``{DEFAULT_BASE_IRI}id/`` or ``{DEFAULT_BASE_IRI}dataset/``.
    The ontology namespace and the ``external/`` classifications keep their
    IRIs. ``base`` must end with ``/`` (:class:`ValueError` otherwise).

    >>> g = Graph()
    >>> _ = g.add((URIRef(DEFAULT_BASE_IRI + "id/region/CN"), PKG.isoCode, Literal("CN")))
    >>> [str(s) for s in rebase(g, "https://example.org/").subjects()]
    ['https://example.org/id/region/CN']
    """
    Minter(base)  # validates the trailing slash
    if base == DEFAULT_BASE_IRI:
        return graph
    prefixes = tuple(DEFAULT_BASE_IRI + p for p in ("id/", "dataset/"))

    def move(term):
        if isinstance(term, URIRef) and str(term).startswith(prefixes):
            return URIRef(base + str(term)[len(DEFAULT_BASE_IRI):])
        return term

    out = _bind(Graph())
    for s, p, o in graph:
        out.add((move(s), p, move(o)))
    return out


def load_ontology_graph(ontology_dir: str | Path | None = None, base: str = DEFAULT_BASE_IRI) -> Graph:
    """Parse the ontology and its SKOS vocabularies into one :class:`rdflib.Graph`.

    Reads ``{ontology_dir}/policykg.ttl`` and every ``{ontology_dir}/vocab/*.ttl``
    (sorted by name). ``ontology_dir`` defaults to :func:`default_ontology_dir`.
    Use it as pySHACL's ``ont_graph`` and load it into the ontology named graph.
    Concept IRIs are moved to ``base`` with :func:`rebase`.

    Raises :class:`~policykg.errors.InputError` (naming the file) when a file
    is missing or is not valid Turtle.
    """
    root = Path(ontology_dir) if ontology_dir is not None else default_ontology_dir()
    graph = _bind(Graph())
    paths = [root / name for name in ONTOLOGY_FILES] + sorted((root / VOCAB_DIR).glob("*.ttl"))
    for path in paths:
        if not path.is_file():
            raise InputError("ontology file not found", file=str(path))
        _parse_turtle(graph, path)
    return rebase(graph, base)


def load_reference_graph(ontology_dir: str | Path | None = None, base: str = DEFAULT_BASE_IRI) -> Graph:
    """Parse the committed reference data (regions, agencies, agency types) into one graph.

    Reads every ``{ontology_dir}/reference/*.ttl`` (the files of
    :data:`GENERATED_FILES`). Load it into the reference named graph
    (:attr:`policykg.vocab.Minter.reference_graph`). IRIs are moved to
    ``base`` with :func:`rebase`. Raises
    :class:`~policykg.errors.InputError` when a file is missing or malformed.
    """
    root = Path(ontology_dir) if ontology_dir is not None else default_ontology_dir()
    graph = _bind(Graph())
    for name in GENERATED_FILES.values():
        path = root / REFERENCE_DIR / name
        if not path.is_file():
            raise InputError("reference file not found; run `python -m policykg.reference`",
                             file=str(path))
        _parse_turtle(graph, path)
    return rebase(graph, base)


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    """One CSV row: ``values`` by column name, ``file`` and 1-based ``line`` for error messages."""

    values: dict[str, str]
    file: str
    line: int

    def get(self, column: str) -> str:
        """The stripped cell of ``column`` (``""`` when empty)."""
        return (self.values.get(column) or "").strip()

    def list(self, column: str) -> list[str]:
        """The cell of ``column`` split at ``;``, stripped, empties dropped."""
        return [v.strip() for v in self.get(column).split(";") if v.strip()]

    def error(self, column: str, detail: str) -> InputError:
        """An :class:`InputError` pointing at this row and column."""
        return InputError(detail, file=self.file, line=self.line, field=column)

    def require(self, column: str, pattern: re.Pattern[str] | None = None) -> str:
        """The non-empty cell of ``column``, checked against ``pattern``; else :class:`InputError`."""
        value = self.get(column)
        if not value:
            raise self.error(column, "required value is empty")
        if pattern is not None and not pattern.match(value):
            raise self.error(column, f"{value!r} does not match {pattern.pattern}")
        return value


def read_table(path: Path, required: Iterable[str]) -> list[Row]:
    """Read a UTF-8 CSV table with a header row into :class:`Row` objects.

    Raises :class:`~policykg.errors.InputError` when the file is missing, a
    ``required`` column is absent from the header, or a row has more cells
    than the header.
    """
    if not path.is_file():
        raise InputError("table not found", file=str(path))
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        missing = [c for c in required if c not in header]
        if missing:
            raise InputError(f"missing column(s) {', '.join(missing)}", file=str(path), line=1)
        rows = []
        for record in reader:
            if None in record:
                raise InputError("more cells than header columns", file=str(path),
                                 line=reader.line_num)
            rows.append(Row({k: v or "" for k, v in record.items()}, str(path), reader.line_num))
    return rows


# ---------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------

def _date_literal(row: Row, column: str) -> Literal | None:
    value = row.get(column)
    if not value:
        return None
    for pattern, datatype in _DATE_RES:
        if pattern.match(value):
            return Literal(value, datatype=datatype)
    raise row.error(column, f"{value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")


def _domains(row: Row, column: str) -> list[str]:
    values = row.list(column)
    for value in values:
        if not _DOMAIN_RE.match(value):
            raise row.error(column, f"{value!r} is not a lower-case host name")
    return values


def _add_labels(g: Graph, node: URIRef, pref_en: str, pref_zh: str,
                alt_en: Iterable[str] = (), alt_zh: Iterable[str] = (),
                hidden_zh: Iterable[str] = ()) -> None:
    g.add((node, SKOS.prefLabel, Literal(pref_en, lang="en")))
    g.add((node, SKOS.prefLabel, Literal(pref_zh, lang="zh")))
    for value in alt_en:
        if value and value != pref_en:
            g.add((node, SKOS.altLabel, Literal(value, lang="en")))
    for value in alt_zh:
        if value and value != pref_zh:
            g.add((node, SKOS.altLabel, Literal(value, lang="zh")))
    for value in hidden_zh:
        g.add((node, SKOS.hiddenLabel, Literal(value, lang="zh")))


@dataclass(frozen=True)
class _Province:
    iso: str
    gb: str
    name_en: str
    name_zh: str
    region_type: str
    full_en: str   # "Shandong Province", "Beijing Municipality", "Guangxi Zhuang Autonomous Region"
    prefix_en: str  # "Shandong Provincial", "Beijing Municipal", "Guangxi Zhuang Autonomous Region"
    portal: tuple[str, ...]
    alt_en: tuple[str, ...]


def _province_names(row: Row) -> tuple[str, str]:
    name = row.require("name_en")
    kind = row.require("region_type")
    if kind == "Province":
        return f"{name} Province", f"{name} Provincial"
    if kind == "Municipality":
        return f"{name} Municipality", f"{name} Municipal"
    if kind == "AutonomousRegion":
        full = next((a for a in row.list("alt_en") if a.endswith("Autonomous Region")), None)
        if full is None:
            raise row.error("alt_en", "an autonomous region needs its full name among alt_en")
        return full, full
    if kind == "SpecialAdministrativeRegion":
        return f"{name} Special Administrative Region", f"{name} Special Administrative Region"
    raise row.error("region_type", f"{kind!r} is not a provincial-level type")


def _read_sources(ref: Path) -> dict[str, Row]:
    rows = read_table(ref / "sources.csv",
                      ["dataset", "title", "tables", "source", "source_date", "compiled", "license", "note"])
    return {r.require("dataset"): r for r in rows}


def _dataset(g: Graph, base: str, name: str, sources: dict[str, Row]) -> URIRef:
    row = sources.get(name)
    if row is None:
        raise InputError(f"no row for dataset {name!r}", file="sources.csv")
    node = URIRef(f"{base}dataset/{name}")
    g.add((node, RDF.type, DCAT.Dataset))
    g.add((node, RDF.type, VOID.Dataset))
    g.add((node, DCTERMS.title, Literal(row.require("title"), lang="en")))
    for source in row.list("source"):
        g.add((node, DCTERMS.source, URIRef(source) if source.startswith("http") else Literal(source)))
    for column, prop in (("source_date", DCTERMS.temporal), ("compiled", DCTERMS.created)):
        lit = _date_literal(row, column)
        if lit is not None:
            g.add((node, prop, lit))
    if row.get("license"):
        g.add((node, DCTERMS.license, URIRef(row.get("license"))))
    if row.get("note"):
        g.add((node, DCTERMS.description, Literal(row.get("note"), lang="en")))
    for table in row.list("tables"):
        g.add((node, DCTERMS.hasPart, Literal(table)))
    return node


def _build_regions(ref: Path, minter: Minter, sources: dict[str, Row]) -> tuple[Graph, dict[str, _Province], dict[str, Row]]:
    g = Graph()
    dataset = _dataset(g, minter.base, "regions", sources)
    country = minter.region("CN")
    g.add((country, RDF.type, PKG.Region))
    _add_labels(g, country, "China", "中国",
                ["People's Republic of China", "PRC", "the People's Republic of China"],
                ["中华人民共和国"])
    g.add((country, PKG.isoCode, Literal("CN")))
    g.add((country, PKG.regionType, PKG.Country))
    g.add((country, OWL.sameAs, URIRef(WIKIDATA + "Q148")))
    g.add((country, DCTERMS.source, dataset))

    provinces: dict[str, _Province] = {}
    rows = read_table(ref / "provinces.csv",
                      ["iso_code", "former_iso_code", "gb_code", "name_en", "name_zh", "short_zh",
                       "region_type", "wikidata", "portal_domain", "alt_en", "alt_zh"])
    for row in rows:
        iso = row.require("iso_code", _ISO_RE)
        gb = row.require("gb_code", _GB_RE)
        if iso in provinces:
            raise row.error("iso_code", f"duplicate {iso}")
        if not gb.endswith("0000"):
            raise row.error("gb_code", "a provincial-level GB/T 2260 code ends in 0000")
        kind = row.require("region_type")
        full_en, prefix_en = _province_names(row)
        node = minter.region(iso)
        g.add((node, RDF.type, PKG.Region))
        alt_en = [full_en, *row.list("alt_en")]
        _add_labels(g, node, row.require("name_en"), row.require("name_zh"), alt_en,
                    row.list("alt_zh"), row.list("short_zh"))
        g.add((node, PKG.isoCode, Literal(iso)))
        g.add((node, PKG.gbCode, Literal(gb)))
        former = row.get("former_iso_code")
        if former:
            if not _FORMER_ISO_RE.match(former):
                raise row.error("former_iso_code", f"{former!r} is not CN-nn")
            g.add((node, PKG.formerIsoCode, Literal(former)))
        g.add((node, PKG.regionType, PKG[kind]))
        g.add((node, PKG.partOf, country))
        if row.get("wikidata"):
            g.add((node, OWL.sameAs, URIRef(WIKIDATA + row.require("wikidata", re.compile(r"^Q\d+$")))))
        g.add((node, DCTERMS.source, dataset))
        provinces[iso] = _Province(iso, gb, row.require("name_en"), row.require("name_zh"), kind,
                                   full_en, prefix_en, tuple(_domains(row, "portal_domain")),
                                   tuple(row.list("alt_en")))
    if len(provinces) != 34:
        raise InputError(f"expected 34 provincial-level divisions, found {len(provinces)}",
                         file=str(ref / "provinces.csv"))

    by_gb_prefix = {p.gb[:2]: p for p in provinces.values()}
    province_names_en = {p.name_en for p in provinces.values()}
    province_names_zh = {p.name_zh for p in provinces.values()} | {
        p.name_zh[:-1] for p in provinces.values() if p.name_zh.endswith(("省", "市"))}
    cities: dict[str, Row] = {}
    for row in read_table(ref / "cities.csv", ["gb_code", "name_zh", "name_en", "province_iso",
                                               "region_type", "ethnic_groups_en", "alt_en", "portal_domain"]):
        gb = row.require("gb_code", _GB_RE)
        if gb in cities:
            raise row.error("gb_code", f"duplicate {gb}")
        if gb.endswith("0000") or not gb.endswith("00"):
            raise row.error("gb_code", "a prefecture-level GB/T 2260 code ends in 00 but not 0000")
        iso = row.require("province_iso", _ISO_RE)
        province = provinces.get(iso)
        if province is None or by_gb_prefix.get(gb[:2]) is not province:
            raise row.error("province_iso", f"{iso} is not the province of GB/T 2260 code {gb}")
        kind = row.require("region_type")
        if kind not in _REGION_TYPES:
            raise row.error("region_type", f"unknown region type {kind!r}")
        pref_en, alt_en, alt_zh = _city_labels(row, province, province_names_en, province_names_zh)
        node = minter.region(gb)
        g.add((node, RDF.type, PKG.Region))
        _add_labels(g, node, pref_en, row.require("name_zh"), alt_en, alt_zh)
        g.add((node, PKG.gbCode, Literal(gb)))
        g.add((node, PKG.regionType, PKG.PrefectureLevelDivision if kind == "NewArea" else PKG[kind]))
        g.add((node, PKG.partOf, minter.region(iso)))
        g.add((node, DCTERMS.source, dataset))
        cities[gb] = row
    return g, provinces, cities


def _city_stem_zh(name_zh: str, kind: str) -> str:
    for suffix in ("自治州", "地区", "新区", "盟", "市"):
        if name_zh.endswith(suffix):
            stem = name_zh[: -len(suffix)]
            break
    else:
        stem = name_zh
    if kind == "AutonomousPrefecture":
        # the place name precedes the first ethnic group name
        cuts = [i for i in (stem.find(e) for e in _ETHNIC_ZH) if i >= 2]
        if cuts:
            stem = stem[: min(cuts)]
    return stem


def _city_labels(row: Row, province: _Province, province_names_en: set[str],
                 province_names_zh: set[str]) -> tuple[str, list[str], list[str]]:
    """(prefLabel@en, altLabels@en, altLabels@zh) of a prefecture-level division."""
    stem = row.require("name_en")
    kind = row.require("region_type")
    clash = stem in province_names_en
    alts: list[str] = []
    if kind == "PrefectureLevelCity":
        pref = f"{stem} City" if clash else stem
        alts = [f"{stem} City", f"{stem}, {province.name_en}", f"{stem} City, {province.name_en}"]
    elif kind == "AutonomousPrefecture":
        groups = row.require("ethnic_groups_en")
        pref = f"{stem} {groups} Autonomous Prefecture"
        alts = [f"{stem} Autonomous Prefecture", f"{stem} Prefecture"]
    elif kind == "Prefecture":
        pref = f"{stem} Prefecture"
        alts = [f"{stem} Region"]
    elif kind == "League":
        pref = f"{stem} League"
        alts = [f"{stem} Meng"]
    else:  # NewArea
        pref = f"{stem} New Area"
        alts = [f"{province.name_en} {stem} New Area"]
    if not clash:
        alts.append(stem)
    for extra in row.list("alt_en"):
        alts.append(extra)
        if kind == "PrefectureLevelCity":
            alts.append(f"{extra} City")
    name_zh = row.require("name_zh")
    stem_zh = _city_stem_zh(name_zh, kind)
    alt_zh = []
    if len(stem_zh) >= 2 and stem_zh not in province_names_zh:
        alt_zh.append(stem_zh)
    if kind == "AutonomousPrefecture":
        alt_zh.append(f"{stem_zh}州")
    if kind == "NewArea":
        alt_zh.append(f"{province.name_zh[:-1]}{name_zh}")
    return pref, list(dict.fromkeys(alts)), alt_zh


@dataclass(frozen=True)
class _AgencyType:
    slug: str
    suffix: str
    row: Row


def _build_agency_types(ref: Path, minter: Minter, sources: dict[str, Row]) -> tuple[Graph, dict[str, _AgencyType]]:
    g = Graph()
    dataset = _dataset(g, minter.base, "agency-types", sources)
    scheme = URIRef(f"{minter.base}id/scheme/agency-type")
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    _add_labels(g, scheme, "Agency type", "机构类型")
    g.add((scheme, SKOS.definition, Literal(
        "Kinds of government department that recur at each level of Chinese government, with the "
        "host-name prefixes their websites commonly use.", lang="en")))
    g.add((scheme, DCTERMS.source, dataset))
    types: dict[str, _AgencyType] = {}
    rows = read_table(ref / "agency-types.csv",
                      ["slug", "agency_slug", "name_en", "name_zh", "definition", "generate",
                       "dept_en_provincial", "dept_en_municipal", "dept_zh_provincial", "dept_zh_municipal",
                       "alt_dept_en", "abbr_en", "abbr_zh_provincial", "abbr_zh_municipal",
                       "parent_type", "host_prefixes"])
    for row in rows:
        slug = row.require("slug", _SLUG_RE)
        if slug in types:
            raise row.error("slug", f"duplicate {slug}")
        node = URIRef(f"{minter.base}id/agency-type/{slug}")
        g.add((node, RDF.type, SKOS.Concept))
        g.add((node, RDF.type, PKG.AgencyType))
        _add_labels(g, node, row.require("name_en"), row.require("name_zh"))
        g.add((node, SKOS.definition, Literal(row.require("definition"), lang="en")))
        g.add((node, SKOS.inScheme, scheme))
        g.add((node, SKOS.topConceptOf, scheme))
        g.add((scheme, SKOS.hasTopConcept, node))
        for prefix in row.list("host_prefixes"):
            if not re.match(r"^[a-z0-9-]+$", prefix):
                raise row.error("host_prefixes", f"{prefix!r} is not a host-name label")
            g.add((node, PKG.hostPrefix, Literal(prefix)))
        if row.get("generate") not in ("yes", "no"):
            raise row.error("generate", "expected yes or no")
        types[slug] = _AgencyType(slug, row.require("agency_slug", _SLUG_RE), row)
    for t in types.values():
        parent = t.row.get("parent_type")
        if parent and parent not in types:
            raise t.row.error("parent_type", f"unknown agency type {parent!r}")
    return g, types


def _agency(g: Graph, node: URIRef, *, pref_en: str, pref_zh: str, alt_en: Iterable[str],
            alt_zh: Iterable[str], level: URIRef, jurisdiction: URIRef, dataset: URIRef,
            agency_type: URIRef | None = None, parent: URIRef | None = None,
            domains: Iterable[str] = (), government_of: URIRef | None = None) -> None:
    g.add((node, RDF.type, PKG.Agency))
    g.add((node, RDF.type, ORG.Organization))
    _add_labels(g, node, pref_en, pref_zh, alt_en, alt_zh)
    g.add((node, PKG.governmentLevel, level))
    g.add((node, PKG.jurisdiction, jurisdiction))
    if agency_type is not None:
        g.add((node, PKG.agencyType, agency_type))
    if parent is not None:
        g.add((node, ORG.subOrganizationOf, parent))
    for domain in domains:
        g.add((node, PKG.webDomain, Literal(domain)))
    if government_of is not None:
        g.add((node, PKG.governmentOf, government_of))
    g.add((node, DCTERMS.source, dataset))


def _build_agencies(ref: Path, minter: Minter, sources: dict[str, Row], provinces: dict[str, _Province],
                    cities: dict[str, Row], types: dict[str, _AgencyType]) -> Graph:
    g = Graph()
    dataset = _dataset(g, minter.base, "agencies", sources)
    seen: dict[URIRef, str] = {}
    domain_owner: dict[str, URIRef] = {}

    def type_iri(slug: str) -> URIRef:
        return URIRef(f"{minter.base}id/agency-type/{slug}")

    def claim(node: URIRef, where: str, domains: Iterable[str]) -> None:
        if node in seen:
            raise InputError(f"agency IRI {node} minted twice ({seen[node]} and {where})")
        seen[node] = where
        for d in domains:
            if d in domain_owner:
                raise InputError(f"web domain {d!r} given to {domain_owner[d]} and {node}", file=where)
            domain_owner[d] = node

    # --- national ---------------------------------------------------------
    rows = read_table(ref / "national-agencies.csv",
                      ["slug", "name_en", "name_zh", "alt_en", "alt_zh", "agency_type", "parent",
                       "web_domain", "portal_domain", "founded", "dissolved", "replaced_by"])
    slugs = {r.require("slug", _SLUG_RE) for r in rows}
    country = minter.region("CN")
    for row in rows:
        slug = row.require("slug", _SLUG_RE)
        node = minter.agency(slug)
        domains = _domains(row, "web_domain")
        claim(node, f"{row.file}:{row.line}", domains)
        atype = row.get("agency_type")
        if atype and atype not in types:
            raise row.error("agency_type", f"unknown agency type {atype!r}")
        for column in ("parent", "replaced_by"):
            if row.get(column) and row.get(column) not in slugs:
                raise row.error(column, f"unknown agency slug {row.get(column)!r}")
        _agency(g, node, pref_en=row.require("name_en"), pref_zh=row.require("name_zh"),
                alt_en=row.list("alt_en"), alt_zh=row.list("alt_zh"), level=PKG.National,
                jurisdiction=country, dataset=dataset,
                agency_type=type_iri(atype) if atype else None,
                parent=minter.agency(row.get("parent")) if row.get("parent") else None,
                domains=domains,
                government_of=country if atype == "people-government" else None)
        for portal in _domains(row, "portal_domain"):
            g.add((node, PKG.portalDomain, Literal(portal)))
        for column, prop in (("founded", SCHEMA.foundingDate), ("dissolved", SCHEMA.dissolutionDate)):
            lit = _date_literal(row, column)
            if lit is not None:
                g.add((node, prop, lit))
        if row.get("dissolved"):
            g.add((node, OWL.deprecated, Literal(True)))
        if row.get("replaced_by"):
            successor = minter.agency(row.get("replaced_by"))
            g.add((node, DCTERMS.isReplacedBy, successor))
            g.add((successor, DCTERMS.replaces, node))

    # --- provincial -------------------------------------------------------
    overrides: dict[tuple[str, str], Row] = {}
    for row in read_table(ref / "provincial-departments.csv",
                          ["province_iso", "agency_type", "include", "name_zh", "name_en", "web_domain"]):
        key = (row.require("province_iso", _ISO_RE), row.require("agency_type"))
        if key[0] not in provinces:
            raise row.error("province_iso", f"unknown province {key[0]}")
        if key[1] not in types:
            raise row.error("agency_type", f"unknown agency type {key[1]!r}")
        if key in overrides:
            raise row.error("agency_type", f"duplicate row for {key}")
        if row.get("include") not in ("", "yes", "no"):
            raise row.error("include", "expected yes, no or empty")
        if bool(row.get("name_zh")) != bool(row.get("name_en")):
            raise row.error("name_en", "name_zh and name_en are overridden together")
        overrides[key] = row

    for province in sorted(provinces.values(), key=lambda p: p.iso):
        if province.region_type == "SpecialAdministrativeRegion" or province.iso == "CN-TW":
            continue  # outside the mainland system of people's governments
        region = minter.region(province.iso)
        slug_base = province.iso.lower()
        gov = minter.agency(f"{slug_base}-government")
        claim(gov, f"provinces.csv {province.iso}", province.portal)
        _agency(g, gov, pref_en=f"{province.prefix_en} People's Government",
                pref_zh=f"{province.name_zh}人民政府",
                alt_en=[f"People's Government of {province.full_en}", f"{province.prefix_en} Government",
                        f"{province.full_en} People's Government", f"{province.full_en}",
                        f"{province.name_en} Government", f"{province.name_en} People's Government"],
                alt_zh=[f"{province.name_zh}政府"], level=PKG.Provincial, jurisdiction=region,
                dataset=dataset, agency_type=type_iri("people-government"), domains=province.portal,
                government_of=region)
        made: dict[str, URIRef] = {"people-government": gov}
        for t in types.values():  # parents first: people-government, then table order
            if t.row.get("generate") != "yes":
                continue
            override = overrides.get((province.iso, t.slug))
            if override is not None and override.get("include") == "no":
                continue
            node = minter.agency(f"{slug_base}-{t.suffix}")
            domains = _domains(override, "web_domain") if override is not None else []
            claim(node, f"{province.iso} {t.slug}", domains)
            pref_en, pref_zh, alt_en, alt_zh = _department_labels(province, t, override)
            parent_type = t.row.get("parent_type") or "people-government"
            _agency(g, node, pref_en=pref_en, pref_zh=pref_zh, alt_en=alt_en, alt_zh=alt_zh,
                    level=PKG.Provincial, jurisdiction=region, dataset=dataset,
                    agency_type=type_iri(t.slug), parent=made.get(parent_type, gov), domains=domains)
            made[t.slug] = node
    unused = [k for k, r in overrides.items()
              if provinces[k[0]].region_type == "SpecialAdministrativeRegion" or
              types[k[1]].row.get("generate") != "yes"]
    if unused:
        raise InputError(f"provincial-departments.csv rows that generate nothing: {unused}")

    # --- prefecture-level -------------------------------------------------
    province_names_en = {p.name_en for p in provinces.values()}
    for gb, row in sorted(cities.items()):
        node = minter.agency(f"{gb}-government")
        domains = _domains(row, "portal_domain")
        claim(node, f"{row.file}:{row.line}", domains)
        province = provinces[row.require("province_iso")]
        pref_en, pref_zh, alt_en, alt_zh = _city_government_labels(row, province)
        if row.require("name_en") in province_names_en:  # Jilin city vs Jilin province
            alt_en = [a for a in alt_en if a != f"{row.require('name_en')} People's Government"]
        region = minter.region(gb)
        _agency(g, node, pref_en=pref_en, pref_zh=pref_zh, alt_en=alt_en, alt_zh=alt_zh,
                level=PKG.Municipal, jurisdiction=region, dataset=dataset,
                agency_type=type_iri("people-government"), domains=domains, government_of=region)
    return g


def _department_labels(province: _Province, t: _AgencyType, override: Row | None) -> tuple[str, str, list[str], list[str]]:
    """(prefLabel@en, prefLabel@zh, altLabels@en, altLabels@zh) of a provincial department."""
    row = t.row
    municipal = province.region_type == "Municipality"
    gov_en = f"{province.prefix_en} People's Government"
    if t.slug == "general-office":
        pref_en = f"General Office of the {gov_en}"
        alt_en = [f"General Office of the {province.full_en} People's Government",
                  f"General Office of the People's Government of {province.full_en}",
                  f"General Office of {province.prefix_en} Government",
                  f"{province.prefix_en} Government General Office",
                  f"{province.name_en} General Office"]
        pref_zh = f"{province.name_zh}人民政府办公厅"
        alt_zh = [f"{province.name_zh}政府办公厅"]
    else:
        dept_en = row.require("dept_en_municipal" if municipal else "dept_en_provincial")
        dept_zh = row.require("dept_zh_municipal" if municipal else "dept_zh_provincial")
        pref_en = f"{province.prefix_en} {dept_en}"
        pref_zh = f"{province.name_zh}{dept_zh}"
        names = [dept_en, *row.list("alt_dept_en")]
        alt_en = []
        for name in names:
            alt_en += [f"{province.prefix_en} {name}", f"{province.name_en} {name}",
                       f"{name} of {province.full_en}"]
            if province.prefix_en != province.full_en:
                alt_en.append(f"{province.full_en} {name}")
        if row.get("abbr_en"):
            alt_en.append(f"{province.name_en} {row.get('abbr_en')}")
        abbr_zh = row.get("abbr_zh_municipal" if municipal else "abbr_zh_provincial")
        alt_zh = [f"{province.name_zh}{abbr_zh}"] if abbr_zh else []
    if override is not None and override.get("name_zh"):
        # the pattern name is wrong for this province: keep it out of the labels entirely
        pref_en, pref_zh = override.get("name_en"), override.get("name_zh")
        alt_en = [pref_en.replace(province.prefix_en, province.name_en, 1)]
        if province.prefix_en != province.full_en:
            alt_en.append(pref_en.replace(province.prefix_en, province.full_en, 1))
        alt_zh = []
    return pref_en, pref_zh, list(dict.fromkeys(alt_en)), list(dict.fromkeys(alt_zh))


def _city_government_labels(row: Row, province: _Province) -> tuple[str, str, list[str], list[str]]:
    stem = row.require("name_en")
    kind = row.require("region_type")
    name_zh = row.require("name_zh")
    extra = row.list("alt_en")
    if kind == "PrefectureLevelCity":
        pref_en = f"{stem} Municipal People's Government"
        alt_en = [f"{stem} City", f"{stem} Municipal Government", f"People's Government of {stem} City",
                  f"{stem} People's Government", f"{stem} City People's Government",
                  f"{stem} City Government", f"{stem} Municipal People's Government, {province.name_en}"]
        alt_en += [f"{e} Municipal People's Government" for e in extra]
        return pref_en, f"{name_zh}人民政府", alt_en, [f"{name_zh}政府"]
    if kind == "AutonomousPrefecture":
        full = f"{stem} {row.require('ethnic_groups_en')} Autonomous Prefecture"
        return (f"{full} People's Government", f"{name_zh}人民政府",
                [f"People's Government of {full}", f"{stem} Prefecture People's Government",
                 f"{stem} Prefecture Government"],
                [f"{_city_stem_zh(name_zh, kind)}州人民政府", f"{_city_stem_zh(name_zh, kind)}州政府"])
    if kind in ("Prefecture", "League"):
        word = "Prefecture" if kind == "Prefecture" else "League"
        return (f"{stem} {word} Administrative Office", f"{name_zh}行政公署",
                [f"Administrative Office of {stem} {word}", f"{stem} {word} Government",
                 f"{stem} {word} Commissioner's Office"],
                [f"{name_zh}行署"])
    # NewArea (Xiong'an): run by an administrative committee of the province
    return (f"{stem} New Area Administrative Committee", f"{province.name_zh[:-1]}{name_zh}管理委员会",
            [f"{stem} New Area Management Committee", f"Administrative Committee of {province.name_en} {stem} New Area"],
            [f"{name_zh}管理委员会", f"{name_zh}管委会"])


def build_reference(ontology_dir: str | Path | None = None, base: str = DEFAULT_BASE_IRI) -> dict[str, Graph]:
    """Build the reference graphs from the CSV tables in ``{ontology_dir}/reference/``.

    Returns ``{dataset name: graph}`` for each key of :data:`GENERATED_FILES`
    (``regions``, ``agency-types``, ``agencies``). IRIs are minted under
    ``base`` (see the module docstring for the patterns). Pure: the same
    tables give the same triples.

    Raises :class:`~policykg.errors.InputError` naming file, line and column
    for a malformed row: a bad code, an unknown province, type or parent, a
    duplicate IRI, a web domain given to two agencies.
    """
    root = Path(ontology_dir) if ontology_dir is not None else default_ontology_dir()
    ref = root / REFERENCE_DIR
    minter = Minter(base)
    sources = _read_sources(ref)
    regions, provinces, cities = _build_regions(ref, minter, sources)
    agency_types, types = _build_agency_types(ref, minter, sources)
    agencies = _build_agencies(ref, minter, sources, provinces, cities, types)
    return {"regions": regions, "agency-types": agency_types, "agencies": agencies}


_HEADER = (
    "# GENERATED by `python -m policykg.reference` from the CSV tables in this directory.\n"
    "# Do not edit: change the tables and regenerate. Sources: README.md, sources.csv.\n"
)


def serialize_reference(graph: Graph) -> str:
    """Serialise one reference graph as deterministic Turtle (prefixes of :data:`PREFIXES`).

    rdflib's Turtle writer sorts subjects, predicates and objects, and the
    graphs contain no blank nodes, so equal graphs give equal text.
    """
    out = Graph()
    for prefix, ns in PREFIXES.items():
        out.bind(prefix, ns, override=True)
    for triple in graph:
        if any(isinstance(t, BNode) for t in triple):
            raise ValueError("reference graphs must not contain blank nodes")
        out.add(triple)
    return _HEADER + out.serialize(format="turtle")


def write_reference(ontology_dir: str | Path | None = None, base: str = DEFAULT_BASE_IRI) -> list[Path]:
    """Rebuild and write every file of :data:`GENERATED_FILES`; returns the paths written."""
    root = Path(ontology_dir) if ontology_dir is not None else default_ontology_dir()
    written = []
    for name, graph in build_reference(root, base).items():
        path = root / REFERENCE_DIR / GENERATED_FILES[name]
        path.write_text(serialize_reference(graph), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m policykg.reference [ONTOLOGY_DIR]``: regenerate the reference Turtle files.

    Exit code 0 on success, 2 on an :class:`~policykg.errors.InputError`
    (message on stderr).
    """
    args = sys.argv[1:] if argv is None else argv
    try:
        paths = write_reference(args[0] if args else None)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in paths:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
