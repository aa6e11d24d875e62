"""Score a loader's extraction against a gold annotation: precision and recall per field.

This is what ``policykg eval GOLD.yaml DOC`` prints. The gold format is the
one of ``shared/corpus/gold/*.yaml``; the header of each gold file documents
it. In short, a mapping with a ``policies`` list (``id``, ``title``,
``genre``, ``level``, ``jurisdiction``, ``source_urls``, ``published``,
``issuers_stated``, ``issuers_headline``, ``issuer_from_source``,
``targets``, ``provisions``, ``sectors``, ``instruments``) and an optional
``reports`` list (``id``, ``title``).

Public interface::

    load_gold(path) -> dict                       # InputError on bad YAML / shape
    evaluate(gold, extraction, *, reference=None) -> Evaluation
    Evaluation.fields: list[FieldScore]; Evaluation.misses: list[str]
    Evaluation.unmapped_labels: list[tuple[str, str, str]]   # (gold id, "sectors"|"instruments", label)
    Evaluation.to_text() -> str; Evaluation.to_json() -> dict; Evaluation.score(name) -> FieldScore

How each field is counted (``gold`` = items the gold file holds, ``predicted``
= items the extraction holds, ``true_positives`` = predicted items that a gold
item is matched to, one to one):

``policies``
    Gold policies vs ``pkg:Policy`` nodes, matched by the ``difflib``
    ratio of normalised titles (lower case, unified quotes and dashes,
    collapsed white space), ratio >= :data:`TITLE_MATCH_RATIO`, greedy
    best-first (highest ratio first, each side used once). Every other
    per-policy field is read on the matched pairs; values of unmatched
    predicted policies count as predicted (wrong) values.
``reports``
    Gold reports vs ``pkg:Report`` nodes, matched the same way.
``reports_not_policies``
    Gold reports whose title matches no ``pkg:Policy`` title (predicted =
    gold = number of gold reports).
``title``
    Normalised ``dcterms:title`` (``@en`` or untagged) equals the gold title.
``genre``
    The gold genre name equals (normalised) a ``skos:prefLabel`` /
    ``skos:altLabel`` of the ``pkg:genre`` concept or of one of its
    ``skos:broader`` ancestors (a narrower, correct genre is right).
``level``
    ``pkg:governmentLevel`` local name (``National``...) vs gold ``level``.
``jurisdiction``
    ``pkg:isoCode`` of the ``pkg:jurisdiction`` region (for a region
    without one, a city, that of the nearest ``pkg:partOf`` ancestor) vs the
    gold ISO 3166-2 code.
``source_urls``
    The set of ``pkg:sourceURL`` equals the gold set (one item per policy).
``published``
    Lexical form of ``pkg:publicationDate`` equals the gold date at its
    precision (``2024-04-02``, ``2024-04``, ``2024``); gold ``null`` means
    the policy must have none.
``issuers``
    Gold ``issuers_stated`` + ``issuers_headline`` + ``issuer_from_source``
    (distinct names) vs the distinct agencies of ``pkg:issuedBy`` +
    ``pkg:issuedByHeadline`` + ``pkg:sourceHostedBy``. A gold name matches an
    agency when it equals (normalised) one of the agency's
    ``skos:prefLabel`` / ``skos:altLabel`` in the reference data or in the
    extraction; a name no reference agency carries matches by label
    similarity (ratio >= :data:`AGENCY_MATCH_RATIO`); "<Place> Provincial
    (Municipal) People's Government" also matches the agency that is
    ``pkg:governmentOf`` a region labelled <Place>, and such a name is never
    matched by similarity (Shanxi / Shaanxi differ by one letter).
``targets``
    Quantitative gold targets (``value`` not null). A match needs: the same
    target year (null = none), ``pkg:normalizedValue`` within
    :data:`VALUE_TOLERANCE` (relative) of ``si_value``, ``pkg:normalizedUnit``
    equal to the IRI of ``si_unit`` (:data:`SI_UNITS`), ``pkg:comparator``
    equal to ``comparator`` or ``comparator_alt`` (:data:`COMPARATORS`;
    a null gold comparator accepts any) and the same ``pkg:baselineYear``.
    Per the gold header, a goal read as a ``pkg:Provision`` still counts
    (and a provision read as a target); a ``value_optional`` goal is also
    matched by a qualitative target of that year.
``qualitative_targets``
    Gold targets with ``value: null`` vs ``pkg:Target`` nodes without
    ``pkg:value``, matched on the target year.
``provisions``
    Gold provisions vs ``pkg:Provision`` nodes: value within tolerance and
    the same unit (``si_value``/``si_unit`` when the gold gives them, else
    ``pkg:value`` and the unit as written, or a count unit).
``policy_evidence`` / ``target_evidence``
    Matched policies (targets of any kind) whose predicted node has at least
    one ``pkg:evidence`` span and whose every span satisfies
    ``text[oa:start:oa:end] == oa:exact``.
``sectors`` / ``instruments``
    (policy, concept) pairs: the gold ``sectors:`` / ``instruments:`` labels
    of a policy vs its ``pkg:sector`` / ``pkg:usesInstrument`` concepts.
    A gold label names the ``pkg:Sector`` (``pkg:Instrument``) concept one of
    whose ``skos:prefLabel`` / ``skos:altLabel`` / ``skos:hiddenLabel`` (any
    language) it equals after :func:`concept_label_key` (case, punctuation,
    "and", plurals, British/American spelling); a prefLabel beats an
    altLabel beats a hiddenLabel, and a label two concepts share at the same
    rank is met by either. Two gold labels that name one concept are one
    gold pair. A predicted concept meets a gold one when it is that concept
    or a narrower one (``skos:broader``, transitively), one to one, exact
    concepts first. A gold label that names no concept of its scheme stays a
    gold pair that nothing can meet (a miss in recall) and is listed in
    :attr:`Evaluation.unmapped_labels`. A gold policy without the key is not
    annotated for that field: its predicted concepts are not counted; the
    concepts of predicted policies that match no gold policy count as
    predicted (wrong) when any gold policy has the key.

Each predicted target or provision is counted in exactly one field: the
field of the gold item it matched, else its own kind (``pkg:Target`` with a
value -> ``targets``, without -> ``qualitative_targets``, ``pkg:Provision`` ->
``provisions``), so precision never exceeds 1.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import functools
import re
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import rdflib
import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from policykg.errors import InputError
from policykg.vocab import CUR, OA, PKG, UNIT

__all__ = [
    "FieldScore", "Evaluation", "evaluate", "load_gold",
    "TITLE_MATCH_RATIO", "AGENCY_MATCH_RATIO", "VALUE_TOLERANCE", "SI_UNITS", "COMPARATORS", "FIELDS",
    "CONCEPT_FIELDS", "concept_label_key",
]

#: Minimum ``difflib.SequenceMatcher.ratio`` of normalised titles for a policy or report match.
TITLE_MATCH_RATIO = 0.85
#: Minimum ratio for a gold agency name that no reference agency carries as a label.
AGENCY_MATCH_RATIO = 0.9
#: Relative tolerance on normalised values (0.5 %).
VALUE_TOLERANCE = 0.005

#: Gold ``si_unit`` -> the unit IRI the loader emits as ``pkg:normalizedUnit`` (ontology-core.md): the seven of the
#: corpus gold header (``W`` ... ``CNY_per_tce``), then one name for each other unit the loader normalises to
#: (:data:`loaders.quantities._NORMAL`; a gold file for another briefing may need them: before, the nineteenth blind
#: test's gold files with tonnes, m³ or yuan per kW were refused).
SI_UNITS: dict[str, URIRef] = {
    "w": UNIT.W,
    "cny": CUR.CNY,
    "m2": UNIT.M2,
    "count": UNIT.NUM,
    "percent": UNIT.PERCENT,
    "percentage_point": PKG.PercentagePoint,
    "cny_per_tce": PKG.CNYPerTonneCoalEquivalent,
    "kwh": UNIT["KiloW-HR"],
    "t": UNIT.TONNE,
    "tce": PKG.TonneCoalEquivalent,
    "t_per_year": UNIT["TONNE-PER-YR"],
    "tce_per_year": PKG.TonneCoalEquivalentPerYear,
    "v": UNIT.V,
    "ug_per_m3": UNIT["MicroGM-PER-M3"],
    "degc": UNIT.DEG_C,
    "m3": UNIT.M3,
    "m": UNIT.M,
    "m_per_s": UNIT["M-PER-SEC"],
    "h": UNIT.HR,
    "cny_per_kwh": PKG.CNYPerKiloWattHour,
    "cny_per_t": PKG.CNYPerTonne,
    "cny_per_kw": PKG.CNYPerKiloWatt,
    "cny_per_kw_year": PKG.CNYPerKiloWattYear,
    "cny_per_m2": PKG.CNYPerSquareMetre,
}

#: Gold ``comparator`` -> ``pkg:comparator`` individual (gold header / ontology-core.md).
COMPARATORS: dict[str, URIRef] = {
    "approx": PKG.Approximately,
    "gt": PKG.MoreThan,
    "gte": PKG.AtLeast,
    "lt": PKG.LessThan,
    "lte": PKG.AtMost,
    "eq": PKG.Exactly,
}

#: The fields of an :class:`Evaluation`, in order.
FIELDS = (
    "policies", "reports", "reports_not_policies", "title", "genre", "level", "jurisdiction",
    "source_urls", "published", "issuers", "targets", "qualitative_targets", "provisions",
    "policy_evidence", "target_evidence", "sectors", "instruments",
)

#: Gold key -> (the policy property, the class of its concepts) for the concept fields.
CONCEPT_FIELDS: dict[str, tuple[URIRef, URIRef]] = {
    "sectors": (PKG.sector, PKG.Sector),
    "instruments": (PKG.usesInstrument, PKG.Instrument),
}

_LEVELS = {"national", "provincial", "municipal"}
_GOVERNMENT_RE = re.compile(
    r"^(?:the )?(?P<place>.+?)(?: (?:provincial|municipal|city|province|autonomous region|region))? people's government$"
)


# ------------------------------------------------------------------ results

@dataclass
class FieldScore:
    """Counts for one field: ``true_positives`` <= ``predicted`` and <= ``gold`` (items, not fractions)."""

    name: str
    true_positives: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        """``true_positives / predicted``; 1.0 when nothing was predicted."""
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        """``true_positives / gold``; 1.0 when the gold holds nothing."""
        return self.true_positives / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall (1.0 when both denominators are 0; 0.0 when both are 0.0)."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    """Scores per field (in :data:`FIELDS` order) and ``misses``: one human-readable line per
    gold item missed or wrong, prefixed with the gold id (``"P03: genre: ..."``), or ``"extra: ..."``
    for predicted items that match nothing. ``unmapped_labels``: the gold ``sectors`` /
    ``instruments`` labels that name no concept of the vocabulary, as ``(gold id, field, label)``;
    each is also a gold pair nothing meets (counted in the field's recall)."""

    fields: list[FieldScore]
    misses: list[str] = field(default_factory=list)
    unmapped_labels: list[tuple[str, str, str]] = field(default_factory=list)

    def score(self, name: str) -> FieldScore:
        """The :class:`FieldScore` called ``name``; ``KeyError`` if there is none."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def to_text(self) -> str:
        """A table, one line per field: name, TP/predicted, TP/gold, precision, recall, F1;
        then the misses, one per line. Ends with a newline."""
        width = max([len(f.name) for f in self.fields] + [5])
        lines = [f"{'field':<{width}}  {'TP/pred':>9}  {'TP/gold':>9}  {'P':>6}  {'R':>6}  {'F1':>6}"]
        for f in self.fields:
            lines.append(
                f"{f.name:<{width}}  {f'{f.true_positives}/{f.predicted}':>9}  {f'{f.true_positives}/{f.gold}':>9}"
                f"  {f.precision:6.3f}  {f.recall:6.3f}  {f.f1:6.3f}"
            )
        if self.unmapped_labels:
            lines.append("")
            lines.append(f"gold labels not in the vocabulary ({len(self.unmapped_labels)}; each a miss in recall):")
            lines.extend(f"  {pid}: {name}: {label!r}" for pid, name, label in self.unmapped_labels)
        if self.misses:
            lines.append("")
            lines.append(f"misses and extras ({len(self.misses)}; 'missed' lowers recall, 'not in gold' precision):")
            lines.extend(f"  {m}" for m in self.misses)
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict[str, Any]:
        """``{"fields": [{"name", "true_positives", "predicted", "gold", "precision", "recall", "f1"}...],
        "misses": [str...], "gold_labels_not_in_vocabulary": [{"id", "field", "label"}...]}``
        (floats rounded to 4 places)."""
        return {
            "fields": [
                {
                    "name": f.name, "true_positives": f.true_positives, "predicted": f.predicted,
                    "gold": f.gold, "precision": round(f.precision, 4), "recall": round(f.recall, 4),
                    "f1": round(f.f1, 4),
                }
                for f in self.fields
            ],
            "misses": list(self.misses),
            "gold_labels_not_in_vocabulary": [
                {"id": pid, "field": name, "label": label} for pid, name, label in self.unmapped_labels
            ],
        }


# ------------------------------------------------------------------ gold file

def load_gold(path: Path) -> dict:
    """Read a gold YAML file (``yaml.safe_load``) and check its shape.

    Returns the parsed mapping. Raises :class:`~policykg.errors.InputError`
    naming the file, 1-based line and column (and ``field`` for shape errors)
    when the file cannot be read, is not YAML, is not a mapping, has no
    ``policies`` list, or a policy/report lacks a string ``title``, a
    ``targets`` / ``provisions`` / ``reports`` entry is not a list of
    mappings, or a ``si_unit`` / ``comparator`` is not one the gold header
    defines, or a ``level`` is not national, provincial or municipal, or
    ``sectors`` / ``instruments`` is not a list of non-empty strings.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file", file=str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=str(path)) from None
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise InputError(f"invalid YAML: {problem}", file=str(path),
                         line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML: {exc}", file=str(path)) from None
    finally:
        loader.dispose()
    try:
        _check_gold(data)
    except _ShapeError as exc:
        target = _node_at(node, exc.path)
        mark = target.start_mark if target is not None else None
        raise InputError(exc.message, file=str(path), line=mark.line + 1 if mark else None,
                         column=mark.column + 1 if mark else None, field=_path_text(exc.path) or None) from None
    return data


class _ShapeError(Exception):
    def __init__(self, message: str, path: Sequence[str | int]):
        super().__init__(message)
        self.message, self.path = message, tuple(path)


def _check_gold(gold: Any) -> None:
    """Raise ``_ShapeError(message, path)`` when ``gold`` is not a gold mapping (see :func:`load_gold`)."""
    if not isinstance(gold, dict):
        raise _ShapeError("the gold file must be a mapping with a 'policies' list", ())
    policies = gold.get("policies")
    if not isinstance(policies, list):
        raise _ShapeError("missing 'policies' list" if policies is None else "'policies' must be a list",
                          ("policies",) if "policies" in gold else ())
    reports = gold.get("reports")
    if reports is not None and not isinstance(reports, list):
        raise _ShapeError("'reports' must be a list", ("reports",))
    for key, items in (("policies", policies), ("reports", reports or [])):
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise _ShapeError(f"each entry of '{key}' must be a mapping", (key, i))
            if not isinstance(item.get("title"), str) or not item["title"].strip():
                raise _ShapeError("a 'title' string is required", (key, i, "title") if "title" in item else (key, i))
            if key != "policies":
                continue
            level = item.get("level")
            if level is not None and str(level).strip().lower() not in _LEVELS:
                raise _ShapeError(f"unknown level {level!r} (known: {', '.join(sorted(_LEVELS))})", (key, i, "level"))
            for sub in CONCEPT_FIELDS:
                labels = item.get(sub)
                if labels is not None and (not isinstance(labels, list) or not all(
                        isinstance(x, str) and x.strip() for x in labels)):
                    raise _ShapeError(f"'{sub}' must be a list of labels (strings)", (key, i, sub))
            for sub in ("targets", "provisions"):
                entries = item.get(sub)
                if entries is None:
                    continue
                if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
                    raise _ShapeError(f"'{sub}' must be a list of mappings", (key, i, sub))
                for j, e in enumerate(entries):
                    unit = e.get("si_unit")
                    if unit is not None and str(unit).lower() not in SI_UNITS:
                        raise _ShapeError(f"unknown si_unit {unit!r} (known: {', '.join(sorted(SI_UNITS))})",
                                          (key, i, sub, j, "si_unit"))
                    for ckey in ("comparator", "comparator_alt"):
                        comp = e.get(ckey)
                        if comp is not None and str(comp).lower() not in COMPARATORS:
                            raise _ShapeError(f"unknown {ckey} {comp!r} (known: {', '.join(COMPARATORS)})",
                                              (key, i, sub, j, ckey))
                    for nkey in ("value", "si_value"):
                        if e.get(nkey) is not None and _number(e[nkey]) is None:
                            raise _ShapeError(f"{nkey} must be a number", (key, i, sub, j, nkey))


def _node_at(node: yaml.Node | None, path: Sequence[str | int]) -> yaml.Node | None:
    """The deepest YAML node along ``path`` (mapping keys / sequence indices) from ``node``."""
    for step in path:
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            nxt = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            nxt = node.value[step]
        else:
            nxt = None
        if nxt is None:
            break
        node = nxt
    return node


def _path_text(path: Sequence[str | int]) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


# ------------------------------------------------------------------ normalisation

def _norm(s: str) -> str:
    """Lower case, unified apostrophes, quotation marks and dashes, collapsed white space.

    Curly quotation marks fold to straight ones as apostrophes do: a gold written with a plain
    keyboard (``"Dual Control"``) matches a briefing's typeset title (``“Dual Control”``).
    """
    s = s.lower().replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", "-")
    s = s.replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", s).strip()


def _norm_name(s: str) -> str:
    """Agency / genre names: :func:`_norm`, ``&`` -> ``and``, punctuation dropped, no leading ``the``."""
    s = _norm(s).replace("&", " and ")
    s = re.sub(r"[^\w' ]+", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    return s[4:] if s.startswith("the ") else s


_SPELLING = ((re.compile(r"isation"), "ization"), (re.compile(r"ise\b"), "ize"), (re.compile(r"\bprogramme"), "program"),
             (re.compile(r"\bcentre"), "center"), (re.compile(r"\blitre"), "liter"))


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def concept_label_key(label: str) -> str:
    """The key under which a gold label and a concept label are compared (``sectors`` / ``instruments``).

    :func:`_norm_name` (case, apostrophes, dashes, ``&``, punctuation and hyphens as spaces), then
    British spellings as American (``-isation``, ``-ise``, ``programme``, ``centre``), the word
    "and" dropped and each word made singular (``-ies`` -> ``-y``; a final ``s`` dropped after four
    or more letters, except ``-ss``/``-us``/``-is``). So "Energy storages", "energy-storage" and
    "Energy Storage" share a key, as do "pilot programmes" / "pilot program" and "waste & circular
    economy" / "waste and circular economy". Chinese labels are only stripped and case-folded.

    >>> concept_label_key("Carbon capture, utilisation and storage")
    'carbon capture utilization storage'
    """
    s = _norm_name(label).replace("-", " ")
    for pattern, repl in _SPELLING:
        s = pattern.sub(repl, s)
    return " ".join(_singular(w) for w in s.split() if w != "and")


def _ratio(a: str, b: str, floor: float = 0.0) -> float:
    """``difflib.SequenceMatcher(None, a, b).ratio()``; 0.0 when its cheap upper bounds are already below ``floor``."""
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() < floor or m.quick_ratio() < floor:
        return 0.0
    return m.ratio()


def _number(v: Any) -> float | None:
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        return float(v)
    try:
        return float(str(v).replace(",", ""))
    except ValueError:
        return None


def _year(v: Any) -> int | None:
    """A year as an int from a gold int/str or an ``xsd:gYear`` lexical form; ``None`` when absent."""
    if v is None:
        return None
    m = re.match(r"\s*(-?\d{1,9})", str(v))
    return int(m.group(1)) if m else None


def _close(predicted: float | None, gold: float | None) -> bool:
    if predicted is None or gold is None:
        return False
    if gold == 0:
        return predicted == 0
    return abs(predicted - gold) <= VALUE_TOLERANCE * abs(gold)


#: Units of energy spelled out, folded to their symbols when units as written are compared: a gold may write
#: "grams of standard coal per kWh" where the text (and the loader) spells "per kilowatt-hour".
_SPELLED_ENERGY_RX = re.compile(r"\b(?P<p>kilo|mega|giga|tera)watt hour\b")


def _unit_words(s: str | None) -> str:
    """A unit as written, compared by its words: :func:`_norm`, punctuation dropped, a plural "s" dropped, and
    "kilowatt-hour" (mega-, giga-, tera-) as its symbol "kwh" (:data:`_SPELLED_ENERGY_RX`)."""
    words = re.sub(r"[^a-z0-9%]+", " ", _norm(s or "")).split()
    folded = " ".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words)
    return _SPELLED_ENERGY_RX.sub(lambda m: m["p"][0] + "wh", folded)


def _gold_date(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, _dt.datetime):
        return v.date().isoformat()
    if isinstance(v, _dt.date):
        return v.isoformat()
    return str(v).strip() or None


def _greedy(gold: Sequence[Any], predicted: Sequence[Any], score: Callable[[Any, Any], float],
            threshold: float) -> dict[int, int]:
    """One-to-one matching, best score first: ``{gold index: predicted index}`` for scores >= ``threshold``.
    Ties are broken by gold order, then predicted order (deterministic)."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            s = score(g, p)
            if s >= threshold:
                pairs.append((-s, gi, pi))
    pairs.sort()
    used_g: dict[int, int] = {}
    used_p: set[int] = set()
    for _, gi, pi in pairs:
        if gi not in used_g and pi not in used_p:
            used_g[gi] = pi
            used_p.add(pi)
    return used_g


# ------------------------------------------------------------------ reading the extraction

class _View:
    """Read access to the extraction graph with the reference graph behind it (labels, regions)."""

    def __init__(self, graph: rdflib.Graph, reference: rdflib.Graph, text: str, document: URIRef | None):
        self.g, self.ref, self.text, self.document = graph, reference, text, document
        self.index = _label_index(reference)

    def objects(self, s: Any, p: URIRef) -> list[Any]:
        out = list(self.g.objects(s, p))
        for o in self.ref.objects(s, p):
            if o not in out:
                out.append(o)
        return out

    def labels(self, s: Any) -> set[str]:
        return {_norm_name(str(o)) for p in (SKOS.prefLabel, SKOS.altLabel) for o in self.objects(s, p)}

    def label(self, s: Any) -> str:
        for o in self.objects(s, SKOS.prefLabel):
            if isinstance(o, Literal) and o.language in (None, "en"):
                return str(o)
        return str(s)

    def iso_code(self, region: Any) -> str | None:
        seen = set()
        while region is not None and region not in seen:
            seen.add(region)
            codes = self.objects(region, PKG.isoCode)
            if codes:
                return str(codes[0])
            parents = self.objects(region, PKG.partOf)
            region = parents[0] if parents else None
        return None

    def genre_labels(self, concept: Any) -> set[str]:
        """Labels of ``concept`` and of its ``skos:broader`` ancestors."""
        out: set[str] = set()
        todo, seen = [concept], set()
        while todo:
            c = todo.pop()
            if c in seen:
                continue
            seen.add(c)
            out |= self.labels(c)
            todo.extend(self.objects(c, SKOS.broader))
        return out

    def span_ok(self, span: Any) -> bool:
        exact = self.objects(span, OA.exact)
        start, end = self.objects(span, OA.start), self.objects(span, OA.end)
        if len(exact) != 1 or len(start) != 1 or len(end) != 1:
            return False
        try:
            a, b = int(start[0]), int(end[0])
        except (TypeError, ValueError):
            return False
        if not 0 <= a <= b <= len(self.text) or self.text[a:b] != str(exact[0]):
            return False
        sources = self.objects(span, OA.hasSource)
        return self.document is None or not sources or self.document in sources


@dataclass
class _LabelIndex:
    agencies: dict[str, set[Any]]  # normalised label -> agencies carrying it
    size: int


_INDEXES: "weakref.WeakKeyDictionary[rdflib.Graph, _LabelIndex]" = weakref.WeakKeyDictionary()


def _label_index(reference: rdflib.Graph) -> _LabelIndex:
    hit = _INDEXES.get(reference)
    if hit is not None and hit.size == len(reference):
        return hit
    agencies: dict[str, set[Any]] = {}
    for s in reference.subjects(RDF.type, PKG.Agency):
        for p in (SKOS.prefLabel, SKOS.altLabel):
            for o in reference.objects(s, p):
                agencies.setdefault(_norm_name(str(o)), set()).add(s)
    index = _LabelIndex(agencies, len(reference))
    _INDEXES[reference] = index
    return index


_LABEL_RANKS = ((SKOS.prefLabel, 0), (SKOS.altLabel, 1), (SKOS.hiddenLabel, 2))
_CONCEPT_INDEXES: weakref.WeakKeyDictionary[rdflib.Graph, tuple[int, dict[str, dict[str, set[Any]]]]] = (
    weakref.WeakKeyDictionary())


def _concept_index(reference: rdflib.Graph) -> dict[str, dict[str, set[Any]]]:
    """``{"sectors"|"instruments": {concept_label_key(label): concepts}}``: for each key, the concepts
    of the field's class that carry it with the best label rank (pref < alt < hidden)."""
    hit = _CONCEPT_INDEXES.get(reference)
    if hit is not None and hit[0] == len(reference):
        return hit[1]
    out: dict[str, dict[str, set[Any]]] = {}
    for name, (_, cls) in CONCEPT_FIELDS.items():
        best: dict[str, tuple[int, set[Any]]] = {}
        for concept in reference.subjects(RDF.type, cls):
            for prop, rank in _LABEL_RANKS:
                for o in reference.objects(concept, prop):
                    key = concept_label_key(str(o))
                    if not key:
                        continue
                    have = best.get(key)
                    if have is None or rank < have[0]:
                        best[key] = (rank, {concept})
                    elif rank == have[0]:
                        have[1].add(concept)
        out[name] = {k: v[1] for k, v in best.items()}
    _CONCEPT_INDEXES[reference] = (len(reference), out)
    return out


@dataclass
class _Quantity:
    node: Any
    kind: str  # "target" | "provision"
    policy: Any
    value: float | None
    normalized_value: float | None
    unit: Any
    unit_text: str | None
    comparator: Any
    year: int | None
    baseline_year: int | None
    indicator: str
    evidence: list[Any]
    assigned: str | None = None  # the field of the gold item it matched

    @property
    def natural_field(self) -> str:
        if self.kind == "provision":
            return "provisions"
        return "targets" if self.value is not None or self.normalized_value is not None else "qualitative_targets"

    @property
    def field(self) -> str:
        return self.assigned or self.natural_field

    def describe(self) -> str:
        parts = [f"year {self.year}" if self.year is not None else "no year"]
        if self.normalized_value is not None or self.value is not None:
            v = self.normalized_value if self.normalized_value is not None else self.value
            parts.append(f"{v:g} {_short(self.unit) if self.unit is not None else self.unit_text or ''}".strip())
        if self.comparator is not None:
            parts.append(_short(self.comparator))
        if self.baseline_year is not None:
            parts.append(f"baseline {self.baseline_year}")
        return f"{self.kind} {', '.join(parts)} ({self.indicator[:70]})"


def _short(iri: Any) -> str:
    s = str(iri)
    return re.split(r"[#/]", s)[-1] if s else s


def _first(values: list[Any]) -> Any:
    return values[0] if values else None


def _float(v: Any) -> float | None:
    return None if v is None else _number(str(v))


def _quantity(view: _View, node: Any, kind: str, policy: Any) -> _Quantity:
    ind = _first(view.objects(node, PKG.indicator))
    return _Quantity(
        node=node, kind=kind, policy=policy,
        value=_float(_first(view.objects(node, PKG.value))),
        normalized_value=_float(_first(view.objects(node, PKG.normalizedValue))),
        unit=_first(view.objects(node, PKG.normalizedUnit)),
        unit_text=(str(u) if (u := _first(view.objects(node, PKG.unitText))) is not None else None),
        comparator=_first(view.objects(node, PKG.comparator)),
        year=_year(_first(view.objects(node, PKG.targetYear))),
        baseline_year=_year(_first(view.objects(node, PKG.baselineYear))),
        indicator=str(ind) if ind is not None else "",
        evidence=view.objects(node, PKG.evidence),
    )


@dataclass
class _Predicted:
    node: Any
    titles: list[str]
    genres: list[Any]
    levels: set[str]
    jurisdictions: set[str]
    urls: frozenset[str]
    dates: set[str]
    issuers: list[Any]
    evidence: list[Any]
    quantities: list[_Quantity]
    concepts: dict[str, list[Any]] = field(default_factory=dict)  # "sectors"/"instruments" -> concepts

    @property
    def title(self) -> str:
        return self.titles[0] if self.titles else str(self.node)


def _titles(view: _View, node: Any) -> list[str]:
    lits = [o for o in view.g.objects(node, DCTERMS.title) if isinstance(o, Literal)]
    en = sorted(str(o) for o in lits if o.language is None or o.language.lower().startswith("en"))
    return en


def _read_policies(view: _View) -> tuple[list[_Predicted], list[_Quantity]]:
    """Predicted policies (sorted by IRI) and every target/provision node in the extraction."""
    g = view.g
    quantities: dict[Any, _Quantity] = {}
    policies = []
    for node in sorted(set(g.subjects(RDF.type, PKG.Policy)), key=str):
        qs = []
        for prop in (PKG.setsTarget, PKG.hasProvision):
            for q in sorted(g.objects(node, prop), key=str):
                if q in quantities:
                    continue
                kind = "provision" if (q, RDF.type, PKG.Provision) in g or (
                    (q, RDF.type, PKG.Target) not in g and prop == PKG.hasProvision) else "target"
                quantities[q] = _quantity(view, q, kind, node)
                qs.append(quantities[q])
        issuers: list[Any] = []
        for prop in (PKG.issuedBy, PKG.issuedByHeadline, PKG.sourceHostedBy):
            for a in sorted(g.objects(node, prop), key=str):
                if a not in issuers:
                    issuers.append(a)
        policies.append(_Predicted(
            node=node,
            titles=_titles(view, node),
            genres=sorted(g.objects(node, PKG.genre), key=str),
            levels={_short(o).lower() for o in g.objects(node, PKG.governmentLevel)},
            jurisdictions={c for r in g.objects(node, PKG.jurisdiction) if (c := view.iso_code(r))},
            urls=frozenset(str(o).strip() for o in g.objects(node, PKG.sourceURL)),
            dates={str(o) for o in g.objects(node, PKG.publicationDate)},
            issuers=issuers,
            evidence=list(g.objects(node, PKG.evidence)),
            quantities=qs,
            concepts={name: sorted(set(g.objects(node, prop)), key=str)
                      for name, (prop, _) in CONCEPT_FIELDS.items()},
        ))
    # targets and provisions that hang off no policy: predicted, so they count against precision
    for cls, kind in ((PKG.Target, "target"), (PKG.Provision, "provision")):
        for q in sorted(set(g.subjects(RDF.type, cls)), key=str):
            if q not in quantities:
                quantities[q] = _quantity(view, q, kind, None)
    return policies, list(quantities.values())


# ------------------------------------------------------------------ gold items

@dataclass
class _GoldQuantity:
    where: str
    kind: str  # "target" | "provision"
    value: float | None
    unit_text: str | None
    si_value: float | None
    si_unit: URIRef | None
    comparators: set[URIRef] | None
    year: int | None
    baseline_year: int | None
    value_optional: bool
    label: str

    @property
    def field(self) -> str:
        if self.kind == "provision":
            return "provisions"
        return "targets" if self.value is not None else "qualitative_targets"

    def describe(self) -> str:
        parts = [f"year {self.year}" if self.year is not None else "no year"]
        if self.value is not None:
            if self.si_value is not None and self.si_unit is not None:
                parts.append(f"{self.si_value:g} {_short(self.si_unit)}")
            else:
                parts.append(f"{self.value:g} {self.unit_text or ''}".strip())
        if self.comparators:
            parts.append("/".join(sorted(_short(c) for c in self.comparators)))
        if self.baseline_year is not None:
            parts.append(f"baseline {self.baseline_year}")
        return f"{self.kind} {', '.join(parts)} ({self.label[:70]})"


def _gold_quantity(entry: dict, kind: str, where: str) -> _GoldQuantity:
    unit = entry.get("si_unit")
    si_unit = None
    if unit is not None:
        si_unit = SI_UNITS.get(str(unit).lower())
        if si_unit is None:
            raise InputError(f"unknown si_unit {unit!r}", field=f"{where}.si_unit")
    comps: set[URIRef] = set()
    for key in ("comparator", "comparator_alt"):
        c = entry.get(key)
        if c is not None:
            iri = COMPARATORS.get(str(c).lower())
            if iri is None:
                raise InputError(f"unknown comparator {c!r}", field=f"{where}.{key}")
            comps.add(iri)
    return _GoldQuantity(
        where=where, kind=kind,
        value=_number(entry.get("value")),
        unit_text=str(entry["unit"]) if entry.get("unit") is not None else None,
        si_value=_number(entry.get("si_value")),
        si_unit=si_unit,
        comparators=comps or None,
        year=_year(entry.get("year")),
        baseline_year=_year(entry.get("baseline_year")),
        value_optional=bool(entry.get("value_optional")),
        label=str(entry.get("indicator") or entry.get("what") or ""),
    )


def _value_unit_ok(g: _GoldQuantity, p: _Quantity) -> bool:
    if g.si_unit is not None:
        gold_value = g.si_value if g.si_value is not None else g.value
        return p.unit == g.si_unit and _close(p.normalized_value, gold_value)
    # no normalised unit in the gold: the number as written and the unit as written (or a count)
    return _close(p.value, g.value) and (
        (g.unit_text is not None and _unit_words(g.unit_text) == _unit_words(p.unit_text)) or p.unit == UNIT.NUM
    )


def _target_ok(g: _GoldQuantity, p: _Quantity) -> bool:
    return (
        g.year == p.year
        and g.baseline_year == p.baseline_year
        and (g.comparators is None or p.comparator in g.comparators)
        and _value_unit_ok(g, p)
    )


def _qualitative_ok(g: _GoldQuantity, p: _Quantity) -> bool:
    return p.natural_field == "qualitative_targets" and g.year == p.year


# ------------------------------------------------------------------ evaluation

@functools.lru_cache(maxsize=1)
def _default_reference() -> rdflib.Graph:
    from policykg.reference import load_ontology_graph, load_reference_graph

    graph = load_reference_graph()
    graph += load_ontology_graph()
    return graph


class _Counter:
    def __init__(self) -> None:
        self.tp = {name: 0 for name in FIELDS}
        self.pred = {name: 0 for name in FIELDS}
        self.gold = {name: 0 for name in FIELDS}


def evaluate(gold: dict, extraction: Any, *, reference: rdflib.Graph | None = None) -> Evaluation:
    """Score ``extraction`` against ``gold``; see the module docstring for how each field counts.

    ``gold``: the parsed gold mapping (:func:`load_gold`). ``extraction``: a
    :class:`loaders.Extraction` (only ``graph``, ``text`` and, when present,
    ``document`` are read: spans must come from that document).
    ``reference``: regions, agencies and the SKOS vocabularies (labels of
    agencies, regions and genres), as the CLI builds it; default: the
    project's ``ontology/`` read once (``load_reference_graph()`` +
    ``load_ontology_graph()``).

    Returns an :class:`Evaluation` with one :class:`FieldScore` per name in
    :data:`FIELDS`. Raises :class:`~policykg.errors.InputError` (with
    ``field``) when ``gold`` is not a gold mapping or names an unknown unit
    or comparator.
    """
    try:
        _check_gold(gold)
    except _ShapeError as exc:
        raise InputError(exc.message, field=_path_text(exc.path) or None) from None
    if reference is None:
        reference = _default_reference()
    view = _View(extraction.graph, reference, extraction.text, getattr(extraction, "document", None))
    counts = _Counter()
    misses: list[str] = []
    unmapped: list[tuple[str, str, str]] = []

    predicted, quantities = _read_policies(view)
    gold_policies: list[dict] = gold["policies"]
    ids = [str(p.get("id") or f"policies[{i}]") for i, p in enumerate(gold_policies)]

    # -- policies
    gold_titles = [_norm(p["title"]) for p in gold_policies]
    pred_titles = [[_norm(t) for t in p.titles] for p in predicted]
    matches = _greedy(gold_titles, pred_titles,
                      lambda g, ts: max((_ratio(g, t, TITLE_MATCH_RATIO) for t in ts), default=0.0), TITLE_MATCH_RATIO)
    counts.gold["policies"] = len(gold_policies)
    counts.pred["policies"] = len(predicted)
    counts.tp["policies"] = len(matches)
    matched_pred = set(matches.values())

    # -- reports
    gold_reports: list[dict] = gold.get("reports") or []
    report_nodes = sorted(set(view.g.subjects(RDF.type, PKG.Report)), key=str)
    report_titles = [[_norm(t) for t in _titles(view, r)] for r in report_nodes]
    gold_report_titles = [_norm(r["title"]) for r in gold_reports]
    title_score = lambda g, ts: max((_ratio(g, t, TITLE_MATCH_RATIO) for t in ts), default=0.0)  # noqa: E731
    report_matches = _greedy(gold_report_titles, report_titles, title_score, TITLE_MATCH_RATIO)
    counts.gold["reports"] = len(gold_reports)
    counts.pred["reports"] = len(report_nodes)
    counts.tp["reports"] = len(report_matches)
    counts.gold["reports_not_policies"] = counts.pred["reports_not_policies"] = len(gold_reports)
    for ri, r in enumerate(gold_reports):
        rid = str(r.get("id") or f"reports[{ri}]")
        as_policy = any(title_score(gold_report_titles[ri], ts) >= TITLE_MATCH_RATIO for ts in pred_titles)
        if as_policy:
            misses.append(f"{rid}: report extracted as a policy: {r['title']!r}")
        else:
            counts.tp["reports_not_policies"] += 1
        if ri not in report_matches:
            misses.append(f"{rid}: report not found: {r['title']!r}")
    for pi, node in enumerate(report_nodes):
        if pi not in report_matches.values():
            misses.append(f"extra: report not in gold: {_first(_titles(view, node)) or node}")

    # -- per-policy fields on every predicted policy (predicted counts)
    for p in predicted:
        counts.pred["title"] += len(set(_norm(t) for t in p.titles))
        counts.pred["genre"] += len(p.genres)
        counts.pred["level"] += len(p.levels)
        counts.pred["jurisdiction"] += len(p.jurisdictions)
        counts.pred["source_urls"] += 1 if p.urls else 0
        counts.pred["published"] += len(p.dates)
        counts.pred["issuers"] += len(p.issuers)
        counts.pred["policy_evidence"] += 1 if p.evidence else 0

    gold_quantities: list[_GoldQuantity] = []
    for gi, gp in enumerate(gold_policies):
        pid = ids[gi]
        counts.gold["title"] += 1
        counts.gold["policy_evidence"] += 1
        genre = gp.get("genre")
        level = str(gp["level"]).strip().lower() if gp.get("level") is not None else None
        jur = str(gp["jurisdiction"]).strip() if gp.get("jurisdiction") is not None else None
        urls = frozenset(str(u).strip() for u in (gp.get("source_urls") or []))
        date = _gold_date(gp.get("published"))
        names = _gold_issuers(gp)
        counts.gold["genre"] += genre is not None
        counts.gold["level"] += level is not None
        counts.gold["jurisdiction"] += jur is not None
        counts.gold["source_urls"] += bool(urls)
        counts.gold["published"] += date is not None
        counts.gold["issuers"] += len(names)
        gq = [_gold_quantity(t, "target", f"{pid}.targets[{j}]") for j, t in enumerate(gp.get("targets") or [])]
        gq += [_gold_quantity(t, "provision", f"{pid}.provisions[{j}]") for j, t in enumerate(gp.get("provisions") or [])]
        for q in gq:
            counts.gold[q.field] += 1
            if q.kind == "target":
                counts.gold["target_evidence"] += 1
        gold_quantities.extend(gq)

        gold_concepts = {name: _gold_concepts(view, pid, name, gp[name] or [], unmapped)
                         for name in CONCEPT_FIELDS if name in gp}
        for name, items in gold_concepts.items():
            counts.gold[name] += len(items)

        if gi not in matches:
            misses.append(f"{pid}: policy not found: {gp['title']!r}")
            for q in gq:
                misses.append(f"{pid}: {q.kind} missed (policy not found): {q.describe()}")
            continue
        p = predicted[matches[gi]]
        for name, items in gold_concepts.items():
            counts.pred[name] += len(p.concepts[name])
            counts.tp[name] += _match_concepts(view, pid, name, items, p.concepts[name], misses)

        # title
        if _norm(gp["title"]) in {_norm(t) for t in p.titles}:
            counts.tp["title"] += 1
        else:
            misses.append(f"{pid}: title: gold {gp['title']!r}, predicted {p.title!r}")
        # genre
        if genre is not None or p.genres:
            hit = genre is not None and any(_norm_name(str(genre)) in view.genre_labels(c) for c in p.genres)
            counts.tp["genre"] += hit
            if not hit:
                misses.append(f"{pid}: genre: gold {genre!r}, predicted {[view.label(c) for c in p.genres]}")
        # level, jurisdiction, published: sets of at most one gold value
        for name, gold_value, pred_values in (("level", level, p.levels), ("jurisdiction", jur, p.jurisdictions),
                                               ("published", date, p.dates)):
            hit = gold_value is not None and gold_value in pred_values
            counts.tp[name] += hit
            if not hit and (gold_value is not None or pred_values):
                misses.append(f"{pid}: {name}: gold {gold_value!r}, predicted {sorted(pred_values)}")
        # source URLs: the set, as one item
        if urls or p.urls:
            hit = bool(urls) and urls == p.urls
            counts.tp["source_urls"] += hit
            if not hit:
                misses.append(f"{pid}: source_urls: gold {sorted(urls)}, predicted {sorted(p.urls)}")
        # issuers
        issuer_pairs = _greedy(names, p.issuers, lambda n, a: _issuer_score(view, n, a), AGENCY_MATCH_RATIO)
        counts.tp["issuers"] += len(issuer_pairs)
        for ni, n in enumerate(names):
            if ni not in issuer_pairs:
                misses.append(f"{pid}: issuer missed: {n!r} (predicted {[view.label(a) for a in p.issuers]})")
        for ai, a in enumerate(p.issuers):
            if ai not in issuer_pairs.values():
                misses.append(f"{pid}: issuer not in gold: {view.label(a)!r}")
        # evidence of the policy
        if p.evidence:
            bad = [s for s in p.evidence if not view.span_ok(s)]
            counts.tp["policy_evidence"] += not bad
            for s in bad:
                misses.append(f"{pid}: policy evidence span does not match the text: {s}")
        else:
            misses.append(f"{pid}: policy has no evidence span")
        # targets and provisions
        _match_quantities(view, pid, gq, p.quantities, counts, misses)

    annotated = [name for name in CONCEPT_FIELDS if any(name in gp for gp in gold_policies)]
    for pi, p in enumerate(predicted):
        if pi not in matched_pred:
            misses.append(f"extra: policy not in gold: {p.title!r}")
            for name in annotated:
                counts.pred[name] += len(p.concepts[name])
    for q in quantities:
        counts.pred[q.field] += 1
        if q.field in ("targets", "qualitative_targets") and q.evidence:
            counts.pred["target_evidence"] += 1
    # predicted quantities of matched policies that matched nothing
    gold_id_of = {predicted[pi].node: ids[gi] for gi, pi in matches.items()}
    for q in quantities:
        if q.assigned is None and q.policy in gold_id_of:
            misses.append(f"{gold_id_of[q.policy]}: {q.kind} not in gold: {q.describe()}")
        elif q.policy is None:
            misses.append(f"extra: {q.kind} attached to no policy: {q.describe()}")

    fields = [FieldScore(name, counts.tp[name], counts.pred[name], counts.gold[name]) for name in FIELDS]
    return Evaluation(fields=fields, misses=misses, unmapped_labels=unmapped)


def _gold_concepts(view: _View, pid: str, name: str, labels: list[str],
                   unmapped: list[tuple[str, str, str]]) -> list[tuple[str, frozenset[Any]]]:
    """The gold pairs of one policy for ``name`` (``"sectors"``/``"instruments"``): ``(label,
    concepts the label names)`` per distinct concept set; an empty set for a label that names no
    concept of the field's class (also appended to ``unmapped``)."""
    index = _concept_index(view.ref)[name]
    items: list[tuple[str, frozenset[Any]]] = []
    for label in labels:
        concepts = frozenset(index.get(concept_label_key(label), ()))
        if not concepts:
            unmapped.append((pid, name, label))
        elif any(concepts == c for _, c in items):
            continue  # a second label of the same concept: one pair
        items.append((label, concepts))
    return items


def _match_concepts(view: _View, pid: str, name: str, gold: list[tuple[str, frozenset[Any]]],
                    predicted: list[Any], misses: list[str]) -> int:
    """True positives among ``predicted`` concepts of one policy against its ``gold`` pairs: one to one,
    the concept itself first, then a narrower one (``skos:broader`` ancestors). Appends misses."""
    kind = name[:-1]
    used: set[Any] = set()
    paired: dict[int, Any] = {}
    for narrower in (False, True):
        for gi, (_, concepts) in enumerate(gold):
            if gi in paired:
                continue
            for c in predicted:
                if c in used:
                    continue
                if (c in concepts) if not narrower else bool(_ancestors(view, c) & concepts):
                    paired[gi] = c
                    used.add(c)
                    break
    for gi, (label, concepts) in enumerate(gold):
        if gi not in paired:
            if concepts:
                names = sorted(view.label(c) for c in concepts)
                misses.append(f"{pid}: {kind} missed: {label!r} ({' / '.join(names)})")
            else:
                misses.append(f"{pid}: {kind} missed: {label!r} (not in the vocabulary)")
    for c in predicted:
        if c not in used:
            misses.append(f"{pid}: {kind} not in gold: {view.label(c)!r}")
    return len(paired)


def _ancestors(view: _View, concept: Any) -> set[Any]:
    """``skos:broader`` ancestors of ``concept`` (transitively, the concept itself excluded)."""
    out: set[Any] = set()
    todo = list(view.objects(concept, SKOS.broader))
    while todo:
        c = todo.pop()
        if c not in out and c != concept:
            out.add(c)
            todo.extend(view.objects(c, SKOS.broader))
    return out


def _gold_issuers(gp: dict) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    stated = gp.get("issuers_stated") or []
    headline = gp.get("issuers_headline") or []
    source = gp.get("issuer_from_source")
    for n in [*_as_list(stated), *_as_list(headline), *_as_list(source)]:
        key = _norm_name(n)
        if key and key not in seen:
            seen.add(key)
            names.append(n)
    return names


def _as_list(v: Any) -> list[str]:
    if v is None:
        return []
    if isinstance(v, (list, tuple)):
        return [str(x) for x in v if x is not None]
    return [str(v)]


def _issuer_score(view: _View, name: str, agency: Any) -> float:
    """1.0 for a label match (or the region-government rule); else the label ratio for names the
    reference data does not know; 0.0 otherwise."""
    key = _norm_name(name)
    labels = view.labels(agency)
    if key in labels or agency in view.index.agencies.get(key, ()):
        return 1.0
    m = _GOVERNMENT_RE.match(key)
    if m:
        place = m.group("place")
        for region in view.objects(agency, PKG.governmentOf):
            if place in view.labels(region):
                return 1.0
        return 0.0  # a people's government is named by its region: no fuzzy guess (Shanxi / Shaanxi)
    if key in view.index.agencies:  # the reference data knows the name, and it is another agency
        return 0.0
    return max((_ratio(key, lbl, AGENCY_MATCH_RATIO) for lbl in labels), default=0.0)


def _assign(gold: list[_GoldQuantity], pool: Iterable[_Quantity], ok: Callable[[_GoldQuantity, _Quantity], bool],
            pairs: dict[int, _Quantity], only: Callable[[_GoldQuantity], bool]) -> None:
    """First fit: each unpaired gold item (in gold order) with ``only(item)`` takes the first free
    predicted item of ``pool`` that ``ok`` accepts."""
    pool = list(pool)
    for gi, g in enumerate(gold):
        if gi in pairs or not only(g):
            continue
        for p in pool:
            if p.assigned is None and ok(g, p):
                p.assigned = g.field
                pairs[gi] = p
                break


def _match_quantities(view: _View, pid: str, gold: list[_GoldQuantity], predicted: list[_Quantity],
                      counts: _Counter, misses: list[str]) -> None:
    quant_targets = [q for q in predicted if q.natural_field == "targets"]
    qual_targets = [q for q in predicted if q.natural_field == "qualitative_targets"]
    provisions = [q for q in predicted if q.natural_field == "provisions"]
    pairs: dict[int, _Quantity] = {}
    is_quant = lambda g: g.field == "targets"  # noqa: E731
    is_qual = lambda g: g.field == "qualitative_targets"  # noqa: E731
    is_prov = lambda g: g.field == "provisions"  # noqa: E731
    # same kind first, then the crossings the gold header allows
    _assign(gold, quant_targets, _target_ok, pairs, is_quant)
    _assign(gold, qual_targets, _qualitative_ok, pairs, is_qual)
    _assign(gold, provisions, _value_unit_ok, pairs, is_prov)
    _assign(gold, provisions, _target_ok, pairs, is_quant)
    _assign(gold, qual_targets, _qualitative_ok, pairs, lambda g: is_quant(g) and g.value_optional)
    _assign(gold, quant_targets, _value_unit_ok, pairs, is_prov)
    for gi, g in enumerate(gold):
        p = pairs.get(gi)
        if p is None:
            misses.append(f"{pid}: {g.kind} missed: {g.describe()}")
            continue
        counts.tp[g.field] += 1
        if g.kind == "target":
            bad = [s for s in p.evidence if not view.span_ok(s)]
            if p.evidence and not bad:
                counts.tp["target_evidence"] += 1
            elif not p.evidence:
                misses.append(f"{pid}: target has no evidence span: {p.describe()}")
            else:
                for s in bad:
                    misses.append(f"{pid}: target evidence span does not match the text: {s}")
