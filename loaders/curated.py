"""The curated-entry loader: policies that researchers write by hand, as CSV or YAML.

Templates: ``data/templates/policies.csv`` and ``data/templates/policies.yaml``
(documented in the README). The loader emits the same triples the briefing
loader emits (``shared/design/ontology-core.md``), so curated entries are
validated and merged the same way. The curated file itself is the evidence:
each policy, target and provision gets an ``oa:`` span over its row (CSV) or
record (YAML) in the file's text, and the file is typed ``pkg:Briefing``.

CSV layout: a header row, then rows whose ``kind`` column is ``policy``,
``target`` or ``provision``; target and provision rows belong to the policy
row above them. Multi-valued cells (issuers, instruments, sectors) separate
values with ``;``.

Every problem in the file is collected before anything is emitted, and all of
them are raised together as one :class:`~policykg.errors.InputError` whose
``problems`` list gives ``line``, ``column`` (CSV), ``field`` and ``message``
of each, so a curator sees every wrong cell in one run.
"""

from __future__ import annotations

import bisect
import csv
import difflib
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import rdflib
import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from policykg.errors import InputError, UnsupportedFormat
from policykg.rdfio import bom_encoding, not_utf8
from policykg.validation import SourceLocation
from policykg.vocab import OA, PKG, Minter, short_hash, slugify

from .docnumber import normalise_document_number
from .quantities import MAX_EXPONENT

__all__ = ["CSV_COLUMNS", "CuratedPolicy", "load_curated", "read_curated"]

#: Columns of the CSV template, in order. ``kind`` is required on every row.
CSV_COLUMNS = (
    "kind", "title_en", "title_zh", "genre", "jurisdiction", "city", "level", "issuers", "source_url",
    "publication_date", "instruments", "sectors", "indicator", "year", "value", "unit", "comparator",
    "baseline_year", "document_number", "status", "supersedes", "bindingness",
)

#: The keys of a YAML record's ``targets`` and ``provisions`` items (the quantity columns of the CSV template).
QUANTITY_KEYS = ("indicator", "year", "value", "unit", "comparator", "baseline_year", "bindingness")

#: Comparator words and symbols → ontology individuals (``shared/design/ontology-core.md``).
COMPARATORS = {
    "approximately": PKG.Approximately, "about": PKG.Approximately, "~": PKG.Approximately,
    "more than": PKG.MoreThan, "over": PKG.MoreThan, "exceed": PKG.MoreThan, ">": PKG.MoreThan,
    "at least": PKG.AtLeast, "no less than": PKG.AtLeast, ">=": PKG.AtLeast, "≥": PKG.AtLeast,
    "less than": PKG.LessThan, "<": PKG.LessThan,
    "at most": PKG.AtMost, "no more than": PKG.AtMost, "not exceed": PKG.AtMost, "up to": PKG.AtMost,
    "<=": PKG.AtMost, "≤": PKG.AtMost,
    "exactly": PKG.Exactly, "reach": PKG.Exactly, "=": PKG.Exactly, "": PKG.Exactly,
}
LEVELS = {"national": PKG.National, "provincial": PKG.Provincial, "municipal": PKG.Municipal}
#: Policy status words (English and Chinese) → the ontology's status scheme.
STATUSES = {"in force": PKG.InForce, "现行有效": PKG.InForce, "draft for comment": PKG.DraftForComment,
            "draft": PKG.DraftForComment, "征求意见稿": PKG.DraftForComment, "superseded": PKG.Superseded,
            "已被修改": PKG.Superseded, "expired": PKG.Expired, "失效": PKG.Expired, "已废止": PKG.Expired}
#: Target bindingness (约束性 / 预期性, the Five-Year Plan indicator attributes).
BINDINGNESS = {"binding": PKG.Binding, "约束性": PKG.Binding, "indicative": PKG.Indicative,
               "预期性": PKG.Indicative}
#: Which template field writes each property of a policy (for validation reports on curated entries).
POLICY_FIELDS = {
    DCTERMS.title: "title_en", PKG.jurisdiction: "jurisdiction", PKG.localJurisdiction: "city",
    PKG.governmentLevel: "level", PKG.genre: "genre", PKG.issuedBy: "issuers", PKG.usesInstrument: "instruments",
    PKG.sector: "sectors", PKG.sourceURL: "source_url", PKG.publicationDate: "publication_date",
    PKG.documentNumber: "document_number", PKG.documentNumberRaw: "document_number", PKG.status: "status",
    PKG.supersedes: "supersedes",
}
#: Which template field writes each property of a target or provision.
QUANTITY_FIELDS = {
    PKG.indicator: "indicator", PKG.targetYear: "year", PKG.baselineYear: "baseline_year", PKG.value: "value",
    PKG.unitText: "unit", PKG.normalizedValue: "value", PKG.normalizedUnit: "unit", PKG.comparator: "comparator",
    PKG.bindingness: "bindingness",
}
#: Properties the loader computes from a field that another property holds as written.
DERIVED_PROPERTIES = frozenset(str(p) for p in (PKG.normalizedValue, PKG.normalizedUnit, PKG.documentNumber))
_ISO = re.compile(r"^CN(-[A-Z]{2})?$")
#: What an IRI written in a name cell may hold (RFC 3987: no spaces, controls or <>"{}|^`\).
_IRI_CELL = re.compile(r'^https?://[^\s<>"{}|^`\\\x00-\x1f\x7f]+$')
_GB = re.compile(r"^[0-9]{6}$")
#: Han characters (CJK Unified Ideographs and Extension A, Unicode blocks 4E00-9FFF, 3400-4DBF)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_DATE_FORMS = ((re.compile(r"^\d{4}-\d{2}-\d{2}$"), XSD.date), (re.compile(r"^\d{4}-\d{2}$"), XSD.gYearMonth),
               (re.compile(r"^\d{4}$"), XSD.gYear))


@dataclass
class Quantity:
    """A curated target or provision: one row (CSV) or list item (YAML)."""

    kind: str
    indicator: str
    year: int | None
    value: Decimal | None
    unit: str | None
    comparator: URIRef | None
    baseline_year: int | None
    line: int
    start: int
    end: int
    bindingness: URIRef | None = None
    #: CSV column number (1-based) of each field, for the errors found after reading (units); None for YAML
    columns: dict[str, int] | None = None
    #: whether a cell of it was reported as wrong while reading: it is still emitted (never written, the
    #: file's problems are raised) so that its other cells get the checks that come later (the unit)
    faulty: bool = False
    #: whether the cells that identify it (indicator, year, value, unit) could all be read, so that a
    #: repeat of an earlier row can be told even when another cell of the row is wrong
    key_readable: bool = True
    #: whether a problem found while reading already names the unit cell (the unit and comparator cells
    #: look swapped): the unit is then not checked again, so that the cell gets one message
    unit_reported: bool = False


@dataclass
class CuratedPolicy:
    """One curated policy record with the position of its text in the file (``start``/``end`` offsets)."""

    fields: dict[str, Any]
    line: int
    start: int
    end: int
    quantities: list[Quantity] = field(default_factory=list)


@dataclass
class CuratedResult:
    """What :func:`load_curated` returns; the same shape as ``loaders.Extraction``."""

    graph: rdflib.Graph
    document: URIRef
    graph_name: URIRef
    text: str
    warnings: list[str]
    stats: dict[str, int]
    #: ``{subject IRI: {property IRI: (field, line, column)}}``: the cell each value was written in
    #: (column None for a YAML field left out), for :meth:`subject_lines`
    places: dict[str, dict[str, tuple[str, int, int | None]]] = field(default_factory=dict)

    def subject_lines(self, source: str) -> dict[str, SourceLocation]:
        """``{subject IRI: (source, line)}`` for every subject with evidence: where its row is in the file.

        Lines are 1-based, counted in :attr:`text` from the ``oa:start`` of
        the subject's evidence span; validation reports use them to give a
        violation's line (``policykg.validation``, ``source_lines``). Each
        pair is a :class:`~policykg.validation.SourceLocation` that also maps
        the subject's properties to the CSV column / YAML field that wrote
        them (:data:`POLICY_FIELDS`, :data:`QUANTITY_FIELDS`), so a report
        names ``value`` and its column rather than ``pkg:normalizedValue``.
        """
        starts = [0] + [i + 1 for i, ch in enumerate(self.text) if ch == "\n"]
        lines: dict[str, tuple[str, int]] = {}
        for subject, span in self.graph.subject_objects(PKG.evidence):
            start = self.graph.value(span, OA.start)
            if isinstance(subject, URIRef) and start is not None and str(start).isdecimal():
                lines.setdefault(str(subject), SourceLocation(
                    source, bisect.bisect_right(starts, int(str(start))), self.places.get(str(subject)),
                    DERIVED_PROPERTIES))
        return lines


class _Problems:
    """The problems of one curated file, each with line, column, field and message.

    A reader that knows where each field's value is (YAML: a record's fields sit on lines of their own)
    registers it in :attr:`positions`; a problem reported at a record's line for such a field is then
    placed at the value itself.
    """

    def __init__(self, file: str):
        self.file = file
        self.items: list[dict[str, Any]] = []
        #: (record line, field) -> (line, column) of the field's value, both 1-based
        self.positions: dict[tuple[int, str], tuple[int, int]] = {}
        #: (record line, field) -> (line, column) of the field's key (YAML), where an unknown key is reported
        self.key_positions: dict[tuple[int, str], tuple[int, int]] = {}
        #: what is allowed but is often a slip, as ``file:line:column field 'name': message`` lines
        self.warnings: list[str] = []

    def warn(self, line: int, field_name: str, message: str, column: int | None = None) -> None:
        """Record a warning placed like a problem (never blocks loading)."""
        line, column = self.positions.get((line, field_name), (line, column))
        self.warnings.append(f"{self.file}:{line}" + (f":{column}" if column else "")
                             + f" field {field_name!r}: {message}")

    def add(self, line: int | None, field_name: str | None, message: str, column: int | None = None, *,
            at_key: bool = False) -> None:
        places = self.key_positions if at_key else self.positions  # a misspelt key: where the key is written
        if line is not None and field_name is not None and (line, field_name) in places:
            line, exact_column = places[(line, field_name)]
            column = column or exact_column
        self.items.append({"line": line, "column": column, "field": field_name, "message": message})

    def place(self, record_line: int, node: Any) -> None:
        """Register where each field of the YAML mapping ``node`` (a record or a target) holds its value."""
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    self.positions[(record_line, str(key.value))] = (value.start_mark.line + 1,
                                                                     value.start_mark.column + 1)
                    self.key_positions[(record_line, str(key.value))] = (key.start_mark.line + 1,
                                                                         key.start_mark.column + 1)

    def raise_if_any(self) -> None:
        if not self.items:
            return
        self.items.sort(key=lambda p: (p["line"] or 0, p["column"] or 0))
        lines = [self.file + (f":{p['line']}" if p["line"] else "") + (f":{p['column']}" if p["column"] else "")
                 + (f" field {p['field']!r}" if p["field"] else "") + f": {p['message']}" for p in self.items]
        raise InputError(f"{len(self.items)} problem(s) in the curated entries; nothing was loaded:\n"
                         + "\n".join(lines), file=self.file, problems=self.items)


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        spans.append((pos, pos + len(body)))
        pos += len(line)
    return spans


#: Two cells that read as one number cut at its thousands comma: "10" and "000 tons", "1" and "500".
_SPLIT_NUMBER = re.compile(r"\s*\d{1,3}(?:,\d{3})*,\d{3}(?!\d)(?:[^,]*)$")


def _read_csv(text: str, problems: _Problems) -> list[CuratedPolicy]:
    spans = _line_spans(text)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        problems.add(1, None, "empty file: expected a header row " + ",".join(CSV_COLUMNS))
        return []
    header = [h.strip() for h in header]
    for sep, name in ((";", "semicolons"), ("\t", "tabs")):
        if len(header) == 1 and sep in header[0] and {h.strip() for h in header[0].split(sep)} & set(CSV_COLUMNS):
            # a spreadsheet's "CSV" in a locale whose list separator is ';' (or a TSV export): say so once,
            # rather than one unknown column named by the whole header (RFC 4180 §2: fields are comma-separated)
            problems.add(1, None, f"the header row is separated by {name}, not commas: save the file as CSV "
                         "with commas (RFC 4180), e.g. 'CSV UTF-8 (comma delimited)' in a spreadsheet")
            return []
    unknown = [h for h in header if h not in CSV_COLUMNS]
    for h in unknown:
        near = difflib.get_close_matches(h, CSV_COLUMNS, n=1, cutoff=0.7)
        problems.add(1, h, (f"unknown column (did you mean {near[0]!r}?)" if near else "unknown column")
                     + f"; the template's columns are {', '.join(CSV_COLUMNS)}", column=header.index(h) + 1)
    if "kind" not in header:
        problems.add(1, "kind", "the 'kind' column is required (policy, target or provision)")
        return []
    records: list[CuratedPolicy] = []
    while True:
        first = reader.line_num + 1  # a quoted cell may hold newlines: the row starts here, ends at line_num
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.add(reader.line_num, None, f"malformed CSV: {exc}")
            break
        line, last = first, reader.line_num
        if not any(c.strip() for c in row):
            continue
        cells = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}
        columns = {h: i + 1 for i, h in enumerate(header)}
        extra = [i + 1 for i in range(len(header), len(row)) if row[i].strip()]
        split = next((i for i in range(min(len(row), len(header) + 1) - 1)
                      if len(row) > len(header) and _SPLIT_NUMBER.match(row[i] + "," + row[i + 1])), None)
        if split is not None:  # "10,000 tons" unquoted: two cells, and every later cell under the wrong column
            problems.add(line, header[split] if split < len(header) else None,
                         f"{len(row)} cells where the header has {len(header)}: {row[split].strip()!r} and "
                         f"{row[split + 1].strip()!r} look like one cell split at its comma "
                         f"({(row[split] + ',' + row[split + 1]).strip()!r}): put the cell in double quotes",
                         column=split + 1)
            continue
        if extra:  # a shifted row (a comma too many) would put every later cell under the wrong column
            problems.add(line, None, f"{len(row)} cells where the header has {len(header)}: cell "
                         f"{extra[0]} ({row[extra[0] - 1].strip()!r}) is under no column", column=extra[0])
            continue
        start = spans[line - 1][0] if line - 1 < len(spans) else 0
        end = spans[last - 1][1] if last - 1 < len(spans) else start
        kind = cells.get("kind", "").lower()
        if kind == "policy":
            records.append(CuratedPolicy({**cells, "_columns": columns}, line, start, end))
        elif kind in ("target", "provision"):
            if not records:
                problems.add(line, "kind", f"a {kind} row must follow the policy row it belongs to",
                             column=columns["kind"])
                continue
            q = _quantity(kind, cells, line, start, end, problems, columns)
            if q is not None:
                records[-1].quantities.append(q)
        else:
            problems.add(line, "kind", f"{cells.get('kind')!r} is not one of policy, target, provision",
                         column=columns["kind"])
    return records


def _quantity(kind: str, cells: dict[str, Any], line: int, start: int, end: int, problems: _Problems,
              columns: dict[str, int] | None = None) -> Quantity | None:
    col = (columns or {}).get
    indicator = str(cells.get("indicator") or "").strip()
    ok = True
    if not indicator:
        problems.add(line, "indicator", f"a {kind} needs an indicator (what is measured)", column=col("indicator"))
        ok = False
    year = _year(cells.get("year"), line, "year", problems, col("year"))
    key_readable = bool(indicator) and (year is not None or not str(cells.get("year") or "").strip())
    baseline = _year(cells.get("baseline_year"), line, "baseline_year", problems, col("baseline_year"))
    value: Decimal | None = None
    raw_value = str(cells.get("value") or "").replace(",", "").strip()
    if raw_value:
        try:
            value = Decimal(raw_value)
        except InvalidOperation:
            swapped = re.fullmatch(r"[0-9][0-9,]*(\.[0-9]+)?", str(cells.get("unit") or "").strip())
            problems.add(line, "value", f"{cells.get('value')!r} is not a number" + (
                f" (and the unit {str(cells.get('unit')).strip()!r} is one: are the 'value' and 'unit' cells "
                "swapped?)" if swapped else ""), column=col("value"))
            ok = False
        else:
            if value.is_finite() and abs(value.adjusted()) > MAX_EXPONENT:
                problems.add(line, "value", f"{cells.get('value')!r} is out of range: write a number between "
                             f"1e-{MAX_EXPONENT} and 1e{MAX_EXPONENT} in a unit that fits it", column=col("value"))
                ok, value = False, None
            elif not value.is_finite() or value < 0:
                problems.add(line, "value", f"{cells.get('value')!r} is not a finite number of zero or more (for a "
                             "decrease, say so in the indicator: 'reduction of coal use', 5, %)", column=col("value"))
                ok, value = False, None
            else:
                value = Decimal(format(value, "f")) if value else Decimal(0)  # 1e3 -> 1000, -0 -> 0
    unit = str(cells.get("unit") or "").strip() or None
    if value is not None and unit is None:
        problems.add(line, "unit", "a value needs a unit (for a count, name the things counted)", column=col("unit"))
        ok = False
    comparator = None
    unit_reported = False
    raw_cmp = str(cells.get("comparator") or "").strip().lower()
    if value is not None or raw_cmp:  # checked even when the value is wrong: one run reports both
        comparator = COMPARATORS.get(raw_cmp)
        if comparator is None:
            swapped = (unit or "").lower() in COMPARATORS
            unit_reported = swapped
            problems.add(line, "comparator", f"{raw_cmp!r} is not a comparator"
                         + (f" (and the unit {unit!r} is one: are the 'unit' and 'comparator' cells swapped?)"
                            if swapped else "") + "; use one of "
                         + ", ".join(sorted(k for k in COMPARATORS if k)), column=col("comparator"))
            ok = False
    if not raw_value and not str(cells.get("year") or "").strip() and kind == "target":  # not: both given, wrong
        problems.add(line, "year", "a target without a value needs a target year", column=col("year"))
        ok = False
    if year is not None and baseline is not None and baseline > year:
        problems.add(line, "baseline_year", f"baseline year {baseline} is after the target year {year}",
                     column=col("baseline_year"))
        ok = False
    raw_binding = str(cells.get("bindingness") or "").strip().lower()
    bindingness = BINDINGNESS.get(raw_binding) if raw_binding else None
    if raw_binding and bindingness is None:
        problems.add(line, "bindingness", f"{raw_binding!r} is not one of {', '.join(BINDINGNESS)}",
                     column=col("bindingness"))
        ok = False
    key_readable = key_readable and (value is not None or not raw_value) and (value is None or unit is not None)
    # Every cell of a row is reported in one run: a row with a wrong cell is still returned (marked
    # faulty), so that the checks made when it is emitted (its unit, a repeat of an earlier row) run too.
    return Quantity(kind, indicator, year, value, unit, comparator, baseline, line, start, end, bindingness, columns,
                    faulty=not ok, key_readable=key_readable, unit_reported=unit_reported)


def _year(raw: Any, line: int, name: str, problems: _Problems, column: int | None) -> int | None:
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None
    if not re.fullmatch(r"\d{4}", text) or not 1949 <= int(text) <= 2100:
        problems.add(line, name, f"{text!r} is not a year between 1949 and 2100", column=column)
        return None
    return int(text)


#: Deepest nesting of YAML lists and mappings read in a curated file (the template's layout needs 4).
MAX_YAML_DEPTH = 32


class _CuratedLoader(yaml.SafeLoader):
    """PyYAML's safe loader without its YAML 1.1 timestamp, number and boolean reading: a value stays the
    text written, as in a CSV cell, so that curated-entry rules check it and quote it (PyYAML raised
    ValueError for 2024-02-30, read ``value: 1:5`` as the base-60 number 65, ``010`` as 8, ``no`` as False).
    ``null`` (and an empty value) still means no value."""


_CuratedLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (
        "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _read_yaml(text: str, problems: _Problems) -> list[CuratedPolicy]:
    """Records of a curated YAML file (the template's layout); every problem goes to ``problems``.

    Aliases (``*name``) are refused before anything is built: curated entries
    need none, and nested aliases grow a few hundred bytes into gigabytes when
    values are turned into text (the "billion laughs" of YAML). A field that
    holds text may not hold a mapping or a list (except the ``;``-lists
    ``issuers``, ``instruments``, ``sectors``, ``supersedes``).
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_YAML_DEPTH:  # the template needs 4; PyYAML's composer recurses, slowly, per level
                    mark = event.start_mark
                    problems.add(mark.line + 1, None, f"YAML nested more than {MAX_YAML_DEPTH} levels deep; curated "
                                 "entries need 4 (policies, a record, its targets, a target)", column=mark.column + 1)
                    return []
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                problems.add(mark.line + 1, None, f"YAML alias *{event.anchor} is not allowed in curated entries; "
                             "write the value out", column=mark.column + 1)
                return []
        doc = yaml.load(text, Loader=_CuratedLoader)  # noqa: S506 - a SafeLoader (see below)
        node = yaml.compose(text, Loader=_CuratedLoader)
    except RecursionError:
        problems.add(None, None, "YAML nested too deeply to read")
        return []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.add(mark.line + 1 if mark else None, None, f"malformed YAML: {getattr(exc, 'problem', exc)}",
                     column=mark.column + 1 if mark else None)
        return []
    items = doc.get("policies") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        problems.add(1, "policies", "expected a list of policy records under 'policies'")
        return []
    # positions: the line where each record starts, found through the YAML node tree
    seq = node
    if isinstance(node, yaml.MappingNode):
        seq = next((v for k, v in node.value if k.value == "policies"), None)
    spans = _line_spans(text)
    offsets = [s for s, _ in spans] + [len(text)]
    records = []
    for i, item in enumerate(items):
        item_node = seq.value[i] if isinstance(seq, yaml.SequenceNode) and i < len(seq.value) else None
        line = item_node.start_mark.line + 1 if item_node is not None else 1
        start = item_node.start_mark.index if item_node is not None else 0
        end = item_node.end_mark.index if item_node is not None else len(text)
        while end > start and text[end - 1] in " \n\r":
            end -= 1
        if not isinstance(item, dict):
            problems.add(line, None, "a policy record must be a mapping of field: value")
            continue
        if item_node is not None:
            problems.place(line, item_node)
        fields_ = {k: v for k, v in item.items() if k not in ("targets", "provisions")}
        unknown = [k for k in fields_ if k not in CSV_COLUMNS or k in ("kind",)]
        policy_fields = [c for c in CSV_COLUMNS[1:12]] + ["document_number", "status", "supersedes"]
        for k in unknown:
            near = difflib.get_close_matches(str(k), policy_fields + ["targets", "provisions"], n=1, cutoff=0.7)
            problems.add(line, k, (f"unknown field (did you mean {near[0]!r}?)" if near else "unknown field")
                         + f"; use {', '.join(policy_fields)}, targets, provisions", at_key=True)
            fields_.pop(k)  # reported once: not also as a value of the wrong type
        for key in ("issuers", "instruments", "sectors", "supersedes"):
            v = fields_.get(key)
            if isinstance(v, list):
                fields_[key] = ";".join(str(x) for x in v)
        for key, v in list(fields_.items()):
            if isinstance(v, (dict, list)):
                problems.add(line, key, f"expected a text, not a YAML {'mapping' if isinstance(v, dict) else 'list'}")
                v = None
            fields_[key] = "" if v is None else str(v)
        rec = CuratedPolicy(fields_, line, start, end)
        for kind, key in (("target", "targets"), ("provision", "provisions")):
            sub_items = item.get(key) or []
            if not isinstance(sub_items, list):
                problems.add(line, key, f"'{key}' must be a list")
                continue
            sub_nodes = []
            if item_node is not None:
                sub_seq = next((v for k, v in item_node.value if k.value == key), None)
                sub_nodes = sub_seq.value if isinstance(sub_seq, yaml.SequenceNode) else []
            for j, sub in enumerate(sub_items):
                sn = sub_nodes[j] if j < len(sub_nodes) else None
                sline = sn.start_mark.line + 1 if sn is not None else line
                s0, s1 = (sn.start_mark.index, sn.end_mark.index) if sn is not None else (start, end)
                if not isinstance(sub, dict):
                    problems.add(sline, key, f"each of '{key}' must be a mapping")
                    continue
                if sn is not None:
                    problems.place(sline, sn)
                for k in [k for k in sub if k not in QUANTITY_KEYS]:
                    # a misspelt key would drop its value without a word ("comparater: at least")
                    near = difflib.get_close_matches(str(k), QUANTITY_KEYS, n=1, cutoff=0.7)
                    problems.add(sline, str(k), (f"unknown field of a {kind} (did you mean {near[0]!r}?)" if near
                                                 else f"unknown field of a {kind}")
                                 + f"; use {', '.join(QUANTITY_KEYS)}", at_key=True)
                nested = [k for k, v in sub.items() if isinstance(v, (dict, list))]
                for k in nested:
                    problems.add(sline, str(k), "expected a text or a number, not a YAML "
                                 + ("mapping" if isinstance(sub[k], dict) else "list"))
                if nested:
                    continue
                q = _quantity(kind, sub, sline, s0, s1, problems)
                if q is not None:
                    rec.quantities.append(q)
        records.append(rec)
    del offsets
    return records


def read_curated(path: Path, text: str, source: str | None = None) -> tuple[list[CuratedPolicy], _Problems]:
    """Parse a curated file's text into records; problems are collected, not raised.

    ``source`` names the input in problems (default: ``path``).
    """
    problems = _Problems(source or str(path))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(text, problems), problems
    if suffix in (".yaml", ".yml"):
        return _read_yaml(text, problems), problems
    raise UnsupportedFormat("curated entries must be .csv, .yaml or .yml", file=source or str(path))


class _Lexicon:
    """Label → IRI lookups over the reference data and vocabularies (case- and space-insensitive).

    A label several resources bear (two cities called Taizhou have a
    "Taizhou Municipal People's Government") is resolved by the row's
    jurisdiction: the one resource of that region or city; otherwise
    :meth:`find` reports the label as ambiguous instead of picking one.
    """

    def __init__(self, graph: rdflib.Graph):
        self.by_type: dict[URIRef, dict[str, list[URIRef]]] = {}
        self.jurisdiction: dict[URIRef, set[URIRef]] = {}
        #: region -> the regions it is part of (a city's province), from ``pkg:partOf``
        self.part_of: dict[URIRef, set[URIRef]] = {}
        #: label key -> the label as written (for hints)
        self.display: dict[str, str] = {}
        #: resource -> its English (or untagged) skos:prefLabel, the label hints offer for it
        self.preferred: dict[URIRef, str] = {}
        for cls in (PKG.Agency, PKG.PolicyGenre, PKG.Instrument, PKG.Sector, PKG.Region):
            table: dict[str, list[URIRef]] = {}
            for s in sorted((s for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef)), key=str):
                for o in graph.objects(s, SKOS.prefLabel):
                    if isinstance(o, Literal) and (o.language or "en").lower().startswith("en"):
                        self.preferred.setdefault(s, str(o))
                for p in (SKOS.prefLabel, SKOS.altLabel, RDFS.label, SKOS.notation, PKG.isoCode, PKG.gbCode):
                    for o in graph.objects(s, p):
                        self._add(table, self.key(str(o)), s)
                        self.display.setdefault(self.key(str(o)), str(o))
                self._add(table, self.key(str(s).rsplit("/", 1)[-1]), s)
                if cls == PKG.Agency:
                    self.jurisdiction[s] = {j for j in graph.objects(s, PKG.jurisdiction) if isinstance(j, URIRef)}
                if cls == PKG.Region:
                    self.part_of[s] = {r for r in graph.objects(s, PKG.partOf) if isinstance(r, URIRef)}
            self.by_type[cls] = table

    @staticmethod
    def _add(table: dict[str, list[URIRef]], key: str, iri: URIRef) -> None:
        bucket = table.setdefault(key, [])
        if iri not in bucket:
            bucket.append(iri)

    @staticmethod
    def key(text: str) -> str:
        return re.sub(r"\s+", " ", text.replace("’", "'")).strip().lower()

    def candidates(self, cls: URIRef, name: str) -> list[URIRef]:
        """Every resource of ``cls`` that bears the label ``name`` (a well-formed IRI stands for itself;
        a malformed one matches nothing)."""
        if name.startswith(("http://", "https://")):
            return [URIRef(name)] if _IRI_CELL.match(name) else []
        return list(self.by_type.get(cls, {}).get(self.key(name), []))

    def near(self, cls: URIRef, name: str, n: int = 3) -> list[str]:
        """Up to ``n`` labels of ``cls`` close to ``name`` (:func:`difflib.get_close_matches`, ratio 0.6,
        then labels containing every word of ``name``), as written, for a "did you mean" hint; one label
        per resource (an agency's prefLabel and altLabel are not offered as two choices)."""
        table = self.by_type.get(cls, {})
        labels = [k for k in table if not k.startswith(("http://", "https://"))]
        key = self.key(name)
        close = difflib.get_close_matches(key, labels, n=3 * n, cutoff=0.6)
        words = set(re.findall(r"\w+", key)) - {"and", "of", "the", "for", "on"}
        if words:
            close += sorted((k for k in labels if k not in close and words <= set(re.findall(r"\w+", k))),
                            key=len)[:3 * n]
        picked, seen = [], set()
        for k in close:
            resources = table.get(k, [])
            if frozenset(resources) not in seen:
                seen.add(frozenset(resources))
                one = self.preferred.get(resources[0]) if len(resources) == 1 else None
                picked.append(one or self.display.get(k, k))  # a resource by its prefLabel, not its IRI slug
        return picked[:n]

    def find(self, cls: URIRef, name: str, within: set[URIRef] | None = None) -> URIRef | None:
        """The one resource of ``cls`` labelled ``name``; among several, the one whose jurisdiction is in
        ``within`` (the row's region and city); None when none or several remain."""
        found = self.candidates(cls, name)
        if len(found) > 1 and within:
            found = [c for c in found if self.jurisdiction.get(c, set()) & within] or found
        return found[0] if len(found) == 1 else None


#: The lexicon built last, with the reference and vocabulary graphs it was built from and their sizes:
#: [reference, vocabularies, (len, len), _Lexicon]. Building it reads every label (about a second).
_LAST_LEXICON: list[Any] = []


def load_curated(path: Path, minter: Minter, *, reference: rdflib.Graph | None = None,
                 vocabularies: rdflib.Graph | None = None, max_bytes: int = 10_000_000,
                 source: str | None = None, graph_slug: str | None = None,
                 check_records: Callable[[int], None] | None = None) -> CuratedResult:
    """Read a curated CSV or YAML file and emit its policies as RDF.

    ``reference`` holds regions and agencies, ``vocabularies`` the genre,
    instrument and sector schemes (both default to the project's
    ``ontology/``). Raises :class:`~policykg.errors.InputError` listing every
    problem found (each with line, column for CSV, and field), or
    :class:`~policykg.errors.UnsupportedFormat` for another suffix. ``source``
    names the input in those errors instead of ``path`` (``"request body"``
    for a file the API wrote to a temporary folder). A row that repeats an
    earlier policy or target of the file (same IRI) is a problem too. What is
    allowed but often a slip (a target with a value and no year) comes back in
    ``CuratedResult.warnings`` as ``file:line:column field 'name': message``
    lines. The lexicon built from ``reference`` + ``vocabularies`` is kept for
    the next call with the same graphs (the CLI and API pass the same ones).

    The entries fill the named graph ``graph/{graph_slug}`` (default: the slug of the file name with
    its suffix, ``my.csv`` -> ``my-csv``) and their document node (``pkg:Briefing``, the record of
    their source) is ``briefing/{graph_slug}``: one document node per graph, as a loaded briefing's,
    so two files of one name sent to two graphs never share one. ``graph_slug`` must be an IRI path
    segment (the API passes the name of the ``?graph=`` it writes). ``check_records`` is called with
    the number of records read (policy, target and provision rows or YAML items: each is at least
    one focus node) before any RDF is emitted, and may raise an InputError to refuse the file cheaply
    (the API's 413 for a body over its focus-node limit); the problems found in reading the file, if
    any, are raised instead (the file is refused either way, and they say what to fix).
    """
    from policykg.reference import load_ontology_graph, load_reference_graph  # noqa: PLC0415
    from policykg.settings import PROJECT_ROOT  # noqa: PLC0415

    where = source or str(path)
    size = path.stat().st_size if path.exists() else None
    if size is None:
        raise InputError("no such file", file=where)
    if size > max_bytes:
        raise InputError(f"{size} bytes is over the limit of {max_bytes} bytes", file=where)
    data = path.read_bytes()
    nul = data.find(b"\x00")
    if nul >= 0 and (bom_encoding(data) or ("utf-8",))[0] == "utf-8":  # UTF-16/32 with a mark: not_utf8 names it
        line = data.count(b"\n", 0, nul) + 1
        column = len(data[data.rfind(b"\n", 0, nul) + 1:nul].decode("utf-8", errors="replace")) + 1
        raise InputError("a NUL byte: not a text file, or UTF-16/UTF-32 text without a byte-order mark; save it "
                         "as UTF-8", file=where, line=line, column=column)
    try:
        text = data.decode("utf-8-sig")  # a byte-order mark (Excel writes one) is not text
    except UnicodeDecodeError as exc:
        raise not_utf8(data, exc, where) from None
    records, problems = read_curated(path, text, where)
    if check_records is not None:
        try:
            check_records(sum(1 + len(rec.quantities) for rec in records))
        except InputError:
            problems.raise_if_any()  # refused either way: the problems found so far say more than the size
            raise
    sizes = (len(reference), len(vocabularies)) if reference is not None and vocabularies is not None else None
    cached = _LAST_LEXICON
    if sizes is not None and cached and cached[0] is reference and cached[2] == sizes \
            and (cached[1] is vocabularies or not sizes[1]):  # the CLI passes a new empty graph each time
        lexicon = cached[3]
    else:
        lexicon_graph = rdflib.Graph()
        lexicon_graph += reference if reference is not None else load_reference_graph(PROJECT_ROOT / "ontology")
        lexicon_graph += vocabularies if vocabularies is not None else load_ontology_graph(PROJECT_ROOT / "ontology")
        lexicon = _Lexicon(lexicon_graph)
        if sizes is not None:  # the CLI and the API pass the same graphs for every file
            _LAST_LEXICON[:] = [reference, vocabularies, sizes, lexicon]
    # with the suffix: policies.csv and policies.yaml stay apart; a name a slug cannot keep (政策一.csv) by hash
    slug = slugify(path.name) if slugify(path.stem) else f"entry-{short_hash(path.name)}-{slugify(path.suffix)}"
    slug = graph_slug or slug
    document = minter.briefing(slug)
    g = rdflib.Graph()
    g.add((document, RDF.type, PKG.Briefing))
    g.add((document, DCTERMS.title, Literal(f"Curated entries: {path.name}", lang="en")))
    g.add((document, DCTERMS.source, Literal(path.name)))
    # its file name, as a loaded briefing records its own: a briefing parameter may name the file (my-policies.csv)
    g.add((document, DCTERMS.identifier, Literal(path.name)))
    stats = {"policies": 0, "reports": 0, "targets": 0, "provisions": 0}
    from .quantities import parse_quantity  # noqa: PLC0415

    places: dict[str, dict[str, tuple[str, int, int | None]]] = {}
    for rec in records:
        _emit_policy(g, rec, text, document, minter, lexicon, problems, parse_quantity, stats, places)
    problems.raise_if_any()
    stats["triples"] = len(g)
    return CuratedResult(g, document, minter.graph(slug), text, problems.warnings, stats, places)


def _today() -> str:
    """Today's date in UTC, ``YYYY-MM-DD``: no publication date may be later (its ISO 8601 form compares as text)."""
    return dt.datetime.now(dt.timezone.utc).date().isoformat()


def _places(problems: _Problems, line: int, columns: dict[str, int] | None,
            fields: dict[URIRef, str]) -> dict[str, tuple[str, int, int | None]]:
    """``{property IRI: (field, line, column)}`` for a record written at ``line``: a CSV row's cells
    (``columns``), or a YAML mapping's values (``problems.positions``; a field left out: the record's line)."""
    out = {"_line": ("", line, None)}  # the record's own line (duplicate rows name it)
    for prop, name in fields.items():
        if columns is not None:
            out[str(prop)] = (name, line, columns.get(name))
        else:
            out[str(prop)] = (name, *problems.positions.get((line, name), (line, None)))
    return out


def _emit_policy(g: rdflib.Graph, rec: CuratedPolicy, text: str, document: URIRef, minter: Minter,
                 lexicon: _Lexicon, problems: _Problems, parse_quantity: Any, stats: dict[str, int],
                 places: dict[str, dict[str, tuple[str, int, int | None]]]) -> None:
    f = rec.fields
    col = f.get("_columns", {}).get
    line = rec.line
    # Every cell is checked even when the title or jurisdiction is wrong, so that one run reports every
    # problem of the row; the placeholder IRIs below are never written (problems.raise_if_any raises).
    title = f.get("title_en", "").strip()
    if not title:
        problems.add(line, "title_en", "a policy needs an English title", column=col("title_en"))
    elif len(_HAN.findall(title)) > len(re.findall(r"[A-Za-z]", title)):
        problems.add(line, "title_en", f"{title!r} is Chinese: put it in 'title_zh' and write the English title "
                     "(a translation) in 'title_en'", column=col("title_en"))
        title = ""
    iso = f.get("jurisdiction", "").strip().upper()
    if not iso:
        problems.add(line, "jurisdiction", "a policy needs its jurisdiction, an ISO 3166-2 code: CN for a national "
                     "policy, CN-SD (Shandong) for a province's, the province's for a city's (the city goes in "
                     "'city')" + ("" if "jurisdiction" in f else "; the 'jurisdiction' field is missing"),
                     column=col("jurisdiction"))
        iso = "CN"
    elif not _ISO.match(iso):
        problems.add(line, "jurisdiction", f"{f.get('jurisdiction')!r} is not an ISO 3166-2 code such as CN or CN-SD"
                     + _region_hint(lexicon, f.get("jurisdiction", "").strip()), column=col("jurisdiction"))
        iso = "CN"
    elif lexicon.find(PKG.Region, iso) is None:
        problems.add(line, "jurisdiction", f"{iso!r} is not a region of the reference data (ISO 3166-2:CN codes "
                     "such as CN-SD)" + _region_hint(lexicon, iso), column=col("jurisdiction"))
        iso = "CN"  # the placeholder: the city is then not checked against a region that does not exist
    title = title or f"untitled policy on line {line}"
    region = minter.region(iso)
    city_code = f.get("city", "").strip()
    policy = minter.policy(title, city_code or iso)
    g.add((policy, RDF.type, PKG.Policy))
    g.add((policy, DCTERMS.title, Literal(title, lang="en")))
    if f.get("title_zh", "").strip() and not _HAN.search(f["title_zh"]):
        problems.add(line, "title_zh", f"{f['title_zh'].strip()!r} has no Chinese characters: 'title_zh' holds the "
                     "Chinese title as issued (leave it empty when unknown); the English one goes in 'title_en'",
                     column=col("title_zh"))
    elif f.get("title_zh", "").strip():
        g.add((policy, DCTERMS.title, Literal(f["title_zh"].strip(), lang="zh")))
    g.add((policy, PKG.jurisdiction, region))
    if city_code:
        city = minter.region(city_code)
        if not _GB.match(city_code):
            problems.add(line, "city", f"{city_code!r} is not a GB/T 2260 six-digit code"
                         + _city_hint(lexicon, city_code, region), column=col("city"))
        elif city in lexicon.part_of and iso != "CN" and region not in lexicon.part_of[city]:
            problems.add(line, "city", f"{city_code!r} is not a city of {iso} in the reference data",
                         column=col("city"))
        else:
            g.add((policy, PKG.localJurisdiction, city))
    level = LEVELS.get(f.get("level", "").strip().lower())
    if level is None:
        problems.add(line, "level", f"{f.get('level')!r} is not one of {', '.join(LEVELS)}", column=col("level"))
    else:
        g.add((policy, PKG.governmentLevel, level))
    for name, cls, prop in (("genre", PKG.PolicyGenre, PKG.genre), ("issuers", PKG.Agency, PKG.issuedBy),
                            ("instruments", PKG.Instrument, PKG.usesInstrument), ("sectors", PKG.Sector, PKG.sector)):
        for value in [v.strip() for v in f.get(name, "").split(";") if v.strip()]:
            iri = lexicon.find(cls, value, within={region} | ({minter.region(city_code)} if city_code else set()))
            if iri is not None:
                g.add((policy, prop, iri))
            elif len(lexicon.candidates(cls, value)) > 1:
                problems.add(line, name, f"{value!r} is the label of several resources ("
                             + ", ".join(str(c) for c in lexicon.candidates(cls, value))
                             + ") and the row's jurisdiction does not tell them apart; give the IRI of the one "
                             "you mean", column=col(name))
            else:
                parts = [p.strip() for p in re.split(r"[,，、]", value) if p.strip()]
                if len(parts) > 1 and all(lexicon.candidates(cls, p) for p in parts):
                    problems.add(line, name, f"{value!r} holds several names: separate them with ';' "
                                 f"({'; '.join(parts)})", column=col(name))
                    continue
                near = lexicon.near(cls, value)
                hint = f" (did you mean {' or '.join(repr(n) for n in near)}?)" if near else ""
                problems.add(line, name, f"{value!r} matches no label in the {cls.split('#')[-1]} reference data "
                             f"or vocabulary{hint}; use a label or an IRI", column=col(name))
    url = f.get("source_url", "").strip()
    if url:
        if not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", url):
            problems.add(line, "source_url", f"{url!r} is not an http(s) URL", column=col("source_url"))
        else:
            g.add((policy, PKG.sourceURL, URIRef(url)))
    date = f.get("publication_date", "").strip()
    if date:
        dtype = next((t for rx, t in _DATE_FORMS if rx.match(date)), None)
        if dtype is None:
            problems.add(line, "publication_date", f"{date!r} is not YYYY-MM-DD, YYYY-MM or YYYY",
                         column=col("publication_date"))
        elif not _valid_date(date if dtype == XSD.date else (date + "-01-01")[:10]):
            problems.add(line, "publication_date", f"{date!r} is written YYYY-MM-DD, YYYY-MM or YYYY but is no "
                         "calendar date (month 01-12, a day the month has); check the day and month",
                         column=col("publication_date"))
        elif date > _today()[:len(date)]:
            problems.add(line, "publication_date", f"{date!r} is after today ({_today()}, UTC): a policy cannot "
                         "have been published in the future; check the year", column=col("publication_date"))
        else:
            g.add((policy, PKG.publicationDate, Literal(date, datatype=dtype)))
    raw_number = f.get("document_number", "").strip()
    if raw_number:
        number = normalise_document_number(raw_number)
        if number is None:
            problems.add(line, "document_number", f"{raw_number!r} is not a document number such as 国发〔2021〕23号",
                         column=col("document_number"))
        else:
            g.add((policy, PKG.documentNumber, Literal(number)))
            g.add((policy, PKG.documentNumberRaw, Literal(raw_number)))
    raw_status = f.get("status", "").strip()
    if raw_status:
        status = STATUSES.get(raw_status.lower())
        if status is None:
            problems.add(line, "status", f"{raw_status!r} is not one of in force, draft for comment, superseded, "
                         "expired", column=col("status"))
        else:
            g.add((policy, PKG.status, status))
    for earlier in [v.strip() for v in f.get("supersedes", "").split(";") if v.strip()]:
        if not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", earlier):
            problems.add(line, "supersedes", f"{earlier!r} is not the IRI of the policy it replaces",
                         column=col("supersedes"))
        else:
            g.add((policy, PKG.supersedes, URIRef(earlier)))
    g.add((policy, PKG.reportedIn, document))
    if str(policy) in places:
        problems.add(line, "title_en", f"the policy on line {places[str(policy)]['_line'][1]} has the same English "
                     "title and jurisdiction: write each policy once, with all its targets and provisions under it "
                     "(or correct the title if these are two policies)", column=col("title_en"))
        return
    places[str(policy)] = _places(problems, line, f.get("_columns"), POLICY_FIELDS)
    _evidence(g, policy, document, minter, text, rec.start, rec.end)
    stats["policies"] += 1
    for q in rec.quantities:
        key = (q.year, q.indicator, q.value, q.unit)
        if not q.key_readable:  # a wrong indicator, year or value cell (reported): no repeat can be told
            key = ("unreadable", q.line)  # type: ignore[assignment]
        node = minter.target(policy, *key) if q.kind == "target" else minter.provision(policy, *key)
        g.add((policy, PKG.setsTarget if q.kind == "target" else PKG.hasProvision, node))
        if q.key_readable and str(node) in places:
            problems.add(q.line, "indicator", f"repeats the {q.kind} on line {places[str(node)]['_line'][1]} (same "
                         "indicator, year, value and unit): delete one, or correct the one you meant to change",
                         column=(q.columns or {}).get("indicator"))
            continue
        g.add((node, RDF.type, PKG.Target if q.kind == "target" else PKG.Provision))
        places[str(node)] = _places(problems, q.line, q.columns, QUANTITY_FIELDS)
        g.add((node, PKG.indicator, Literal(q.indicator, lang="en")))
        if q.year is not None:
            g.add((node, PKG.targetYear, Literal(str(q.year), datatype=XSD.gYear)))
        elif q.kind == "target" and q.value is not None:
            problems.warn(q.line, "year", "a target with a value but no target year; fill 'year' if the policy "
                          "gives one (left empty, the target is stored without a year)",
                          column=(q.columns or {}).get("year"))
        if q.baseline_year is not None:
            g.add((node, PKG.baselineYear, Literal(str(q.baseline_year), datatype=XSD.gYear)))
        if q.bindingness is not None:
            g.add((node, PKG.bindingness, q.bindingness))
        if q.value is not None and q.unit is not None and not q.unit_reported:
            parsed = _read_quantity(q.value, q.unit, parse_quantity)
            unit_problem = _count_unit_problem(parsed, q.unit) if parsed is not None else None
            if unit_problem:
                problems.add(q.line, "unit", unit_problem, column=(q.columns or {}).get("unit"))
                continue
            if (parsed is not None and parsed.normalized_unit is None and parsed.kind not in (None, "count")
                    and parsed.start == 0 and parsed.end == len(parsed.text)):
                # a unit the grammar knows and does not normalise: an annual rate ("tons per year"), a
                # throughput, a foreign currency, oil equivalent (loaders/quantities.py); as the briefing
                # loader records it: the value and the unit as written, no normalised value
                g.add((node, PKG.value, Literal(format(q.value, "f"), datatype=XSD.decimal)))
                g.add((node, PKG.unitText, Literal(q.unit)))
                if q.comparator is not None:
                    g.add((node, PKG.comparator, q.comparator))
                _evidence(g, node, document, minter, text, q.start, q.end)
                stats["targets" if q.kind == "target" else "provisions"] += 1
                continue
            if parsed is None or parsed.normalized_unit is None:
                known = parse_quantity(f"1 {q.unit}")
                if known is not None and known.normalized_unit is not None:  # the unit is fine: the number is not
                    problems.add(q.line, "value", f"{format(q.value, 'f')} cannot be read as a quantity of {q.unit}; "
                                 "write it with at most a few decimals, in a unit that fits it",
                                 column=(q.columns or {}).get("value"))
                else:
                    problems.add(q.line, "unit", f"{q.unit!r} is not a unit policykg knows (e.g. million kilowatts, "
                                 "%, percentage points, million RMB, 10,000 tons, tons per year, square meters, or a "
                                 "count such as vehicles; docs/curating.md lists them)",
                                 column=(q.columns or {}).get("unit"))
                continue
            g.add((node, PKG.value, Literal(format(q.value, "f"), datatype=XSD.decimal)))
            g.add((node, PKG.unitText, Literal(q.unit)))
            g.add((node, PKG.normalizedValue, Literal(float(parsed.normalized_value), datatype=XSD.double)))
            g.add((node, PKG.normalizedUnit, parsed.normalized_unit))
            if q.comparator is not None:  # None only in a faulty row (reported), which is never written
                g.add((node, PKG.comparator, q.comparator))
        _evidence(g, node, document, minter, text, q.start, q.end)
        stats["targets" if q.kind == "target" else "provisions"] += 1


#: A unit that starts with a power of ten, its digits grouped by three or not at all: "10,000 tons",
#: "100 million yuan", "1 000 kW", "10000 vehicles".
_POWER_OF_TEN_UNIT = re.compile(
    r"^(1(?:0{1,2}|0{0,2}(?:,000)+|0{0,2}(?: 000)+|0{3,}))(?:\s+(thousand|million|billion))?\s+(\S.*)$")
_POWER_SCALES = {None: 1, "thousand": 10 ** 3, "million": 10 ** 6, "billion": 10 ** 9}


def _read_quantity(value: Decimal, unit: str, parse_quantity: Any) -> Any:
    """The quantity grammar's reading (:func:`loaders.quantities.parse_quantity`) of a curated ``value`` in
    ``unit``, or None. A unit of a power of ten, as Chinese statistics are put into English ("10,000 tons"
    for 万吨, "100 million yuan" for 亿元, "10,000 vehicles" for 万辆), is read as the grammar reads it in
    parentheses ("5,000 (10,000 kW)"), else as the value times that power of ten in the rest of the unit."""
    plain = format(value, "f")  # plain digits: str() writes 1E-7
    parsed = parse_quantity(f"{plain} {unit}")
    scaled = _POWER_OF_TEN_UNIT.match(unit)
    if scaled is None or (parsed is not None and parsed.unit_text == unit):
        return parsed
    parsed = parse_quantity(f"{plain} ({unit})")
    if parsed is None or parsed.unit_text != unit:
        factor = int(re.sub(r"[,\s]", "", scaled.group(1))) * _POWER_SCALES[scaled.group(2)]
        written = f"{format(value * factor, 'f')} {scaled.group(3)}"
        parsed = parse_quantity(written)
        parsed = parsed if parsed is not None and parsed.start == 0 and parsed.end == len(written) else None
        if re.match(r"\s*\d", scaled.group(3)):  # "10,000 10,000 tons": a multiple of a multiple is a slip
            parsed = None
    # a share has no power-of-ten unit: "10,000 %" is a slip, not 10,000 times the value
    return None if parsed is not None and parsed.kind in ("percent", "percentage_point") else parsed

#: Words of the units policykg normalises (loaders/quantities.py), for telling a misspelt unit from the
#: name of things counted: "million kilowats" must not become ten million of something called "kilowats".
_UNIT_WORDS = ("watt", "watts", "kilowatt", "kilowatts", "megawatt", "megawatts", "gigawatt", "gigawatts",
               "kilowatt-hour", "kilowatt-hours", "tonne", "tonnes", "percent", "meter", "meters", "metre",
               "metres", "kilometer", "kilometers", "kilometre", "kilometres", "hectare", "hectares",
               "percentage", "equivalent", "standard")
_SCALE_WORDS = {"hundred", "thousand", "million", "billion", "trillion", "ten"}
#: Count nouns that pint also reads as units: "units" (a luminosity), "points" (a length), time spans.
_COUNT_NOUNS = {"unit", "units", "point", "points", "day", "days", "week", "weeks", "month", "months", "year",
                "years", "hour", "hours", "minute", "minutes"}


def _count_unit_problem(parsed: Any, unit: str | None) -> str | None:
    """Why a unit the quantity parser read as a count (``unit:NUM``: "3 projects") is not one, or None.

    A count names the things counted. Refused: a noun that is a physical unit pint knows but policykg
    does not normalise ("gigaparsecs": a length; not the count nouns pint also reads as units, such as
    "units" and "days"), and a word of six letters or more close to a unit word (difflib ratio 0.85:
    "kilowats"), which is a misspelt unit far more often than a thing counted.
    """
    from loaders.quantities import unit_registry  # noqa: PLC0415

    if str(parsed.normalized_unit) != "http://qudt.org/vocab/unit/NUM" or not unit:
        return None
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z-]*", unit) if w.lower() not in _SCALE_WORDS]
    for word in words:
        # long words only: "towns" and "homes" are near "tons" and "hours" but are things counted
        close = difflib.get_close_matches(word.lower(), _UNIT_WORDS, n=1, cutoff=0.85) if len(word) >= 6 else []
        if close and close[0] != word.lower():
            head = f"{unit!r}" if word == unit else f"{unit!r}: {word!r}"  # not "'gigawats': 'gigawats' ..."
            return f"{head} looks like a misspelt {close[0]!r}; a count names the things counted (vehicles, projects)"
    noun = " ".join(words)
    if noun and noun.lower() not in _COUNT_NOUNS:
        try:
            dims = unit_registry().parse_units(noun.replace(" ", "_")).dimensionality
        except Exception:  # noqa: BLE001 - pint raises several kinds for a word it does not know: a count noun
            dims = None
        if dims:
            kind = " × ".join(k.strip("[]") + (f"^{v:g}" if v != 1 else "") for k, v in dict(dims).items())
            return (f"{unit!r} is a unit of {kind} that policykg does not normalise targets in; use one of "
                    "million kilowatts, kilowatt-hours, tonnes, %, percentage points, RMB, square meters, "
                    "or a count such as vehicles")
    return None


def _region_hint(lexicon: _Lexicon, name: str) -> str:
    """A hint for a jurisdiction written as a region's name or code ("Guangdong", "广东省", "440000"): the ISO
    3166-2 code to write instead (or, for a city, where its GB/T 2260 code goes); for a misspelt one
    ("Zhejang", "CN-ZH"), the provinces whose names or codes are close (:meth:`_Lexicon.near`); empty
    when none is known."""
    found = lexicon.find(PKG.Region, name) if name else None
    code = str(found).rsplit("/", 1)[-1] if found is not None else ""
    if _ISO.match(code):
        return f"; for {name!r} write {code}"
    if _GB.match(code):
        return (f"; {name!r} is a city: write its GB/T 2260 code {code} in 'city' and its province's ISO code "
                "in 'jurisdiction'")
    # a misspelt name or code ("Zhejang", "CN-ZH"): the provinces it is close to, with their codes
    close = []
    for label in lexicon.near(PKG.Region, name) if name else []:
        iri = lexicon.find(PKG.Region, label)
        near_code = str(iri).rsplit("/", 1)[-1] if iri is not None else ""
        if _ISO.match(near_code) and near_code not in {c for _, c in close}:
            close.append((label, near_code))
    return ("; did you mean " + " or ".join(f"{label} ({c})" for label, c in close) + "?") if close else ""


def _city_hint(lexicon: _Lexicon, name: str, region: URIRef) -> str:
    """A hint for a city written by its name ("Hangzhou", "杭州市"): the GB/T 2260 code to write instead,
    or, when several cities bear the name ("Taizhou"), each with its code, those of the row's province
    (``region``, ``pkg:partOf``) first; empty when no city has that name."""
    cities = [c for c in lexicon.candidates(PKG.Region, name) if _GB.match(str(c).rsplit("/", 1)[-1])]
    if not cities:
        return ""
    cities.sort(key=lambda c: (region not in lexicon.part_of.get(c, set()), str(c)))
    codes = [str(c).rsplit("/", 1)[-1] for c in cities]
    if len(codes) == 1 or region in lexicon.part_of.get(cities[0], set()) and region not in lexicon.part_of.get(
            cities[1], set()):
        return f"; for {name!r} write {codes[0]}"
    return f"; several cities are called {name!r}: write {' or '.join(codes)}"


def _valid_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _evidence(g: rdflib.Graph, node: URIRef, document: URIRef, minter: Minter, text: str, start: int, end: int) -> None:
    span = minter.span(document, start, end)
    g.add((node, PKG.evidence, span))
    g.add((span, RDF.type, PKG.TextSpan))
    g.add((span, OA.hasSource, document))
    g.add((span, OA.exact, Literal(text[start:end])))
    g.add((span, OA.start, Literal(start, datatype=XSD.integer)))
    g.add((span, OA.end, Literal(end, datatype=XSD.integer)))
