"""Classifying policies by instrument type and sector, with the SKOS vocabularies as the lexicon.

The labels of the concepts in ``ontology/vocab/instrument.ttl`` and
``ontology/vocab/sector.ttl`` (``skos:prefLabel``, ``skos:altLabel`` and
``skos:hiddenLabel``, in English and in Chinese) are the only keywords:
adding a keyword is a vocabulary edit, never a code edit.

Which concepts are assigned:

* The families of the instrument scheme (its top concepts with narrower
  concepts, such as "Regulatory instruments") never are: they classify
  instruments, no text is evidence of one.
* A sector that heads a family (a top concept with narrower concepts:
  Energy, Transport) is assigned by its altLabels and hiddenLabels, and by
  its prefLabel only when that word is no word of a label of one of its
  narrower concepts (a Chinese prefLabel: no part of one, as 能源 of
  新能源): "energy" is mostly a fragment of "energy storage", "new energy",
  "nuclear energy" (and is in almost every policy), while "transport" is the
  name of its sector.
* The two schemes are matched separately, so a phrase of one does not hide
  a label of the other ("trade-in of consumer goods" is the instrument
  Equipment renewal and trade-in, and holds the sector Consumer goods), and
  a label both schemes carry ("carbon market": the policy area and the
  emissions trading instrument; "green finance": the instrument and, as a
  hiddenLabel, the finance sector) signals each of them, except a single
  word that is the prefLabel of one of them and not of the other: it signals
  that one only ("standards" is the instrument Standards; the policy area
  Standardisation needs "standard system", "standardization"...).

Matching rules:

* whole words only, longest label first, never inside another word;
* a label of several words also matches with its last word in the other
  grammatical number (regular English plurals: "carbon footprints",
  "pilot county"), unless that form is itself a label;
* case-insensitive, except labels of at most five characters written all in
  capitals (acronyms such as ``RE``, ``EV``, ``ETS``, ``CCUS``), which must
  match in capitals so that "re" or "ets" inside prose do not count;
* line breaks and runs of spaces in the text match a single space in a label
  (briefing text wraps lines anywhere), and a hyphen matches a space
  ("carbon-emission-reduction" / "carbon emission reduction", "energy-saving"
  / "energy saving"; a hyphen that ends a line before "emission" too); a
  match that a hyphen continues on either side ("non-power sector") is part
  of a compound word and does not count;
* Chinese labels match anywhere in the text (Chinese writes no spaces
  between words), longest first;
* the names of agencies in the graph (``pkg:Agency`` prefLabels and
  altLabels of two words or more, and Chinese ones) are no mention: "the
  Ministry of Finance" or 国家能源局 name the issuer, not the policy's sector;
* each concept is reported once per text, at its first mention, with the
  span of that mention as evidence;
* a label used as a unit of energy is no mention: "standard coal" ("yuan/ton
  of standard coal", the tonne of coal equivalent, tce, of China's energy
  statistics, GB/T 2589) and "coal equivalent" / "oil equivalent" (tce, toe)
  measure energy of any source, not the fossil-fuel sector.
"""

from __future__ import annotations

import re

from dataclasses import dataclass

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS

from policykg.vocab import PKG

from .linking import _LabelMatcher

__all__ = ["Mention", "Classifier"]

#: A unit of energy around a label: "standard" before it, "equivalent" after it (see the module docstring).
_UNIT_BEFORE = re.compile(r"\bstandard\s+$", re.IGNORECASE)
_UNIT_AFTER = re.compile(r"^[\s-]+equivalents?\b", re.IGNORECASE)

_LABEL_PROPS = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)


@dataclass(frozen=True)
class Mention:
    """A concept mentioned in a text: its IRI, its class (``pkg:Instrument`` or ``pkg:Sector``),
    and the offsets ``start``/``end`` of the mention in the caller's coordinates."""

    concept: URIRef
    kind: URIRef
    start: int
    end: int


def _matcher(labels: list[str], ignore_case: bool) -> _LabelMatcher | None:
    r"""A matcher for ``labels`` (single-spaced): what the pattern
    ``(?<![\w-])(?:label1|label2|...)(?![\w-])`` (longest first, a space matching
    ``\s+``, ``re.IGNORECASE`` when ``ignore_case``) finds with ``finditer``.

    Performance: a character trie (:class:`loaders.linking._LabelMatcher`)
    instead of one regex alternation of every label, which cost about 1 ms
    per policy block (a fifth of a briefing's extraction time).
    """
    if not labels:
        return None
    return _LabelMatcher(set(labels), the_prefix=False, quotes=False, ignore_case=ignore_case)


#: The two schemes, matched separately: a phrase of one never hides a label of the other.
_KINDS = (PKG.Instrument, PKG.Sector)

#: What an agency name is blanked out with: no word character, no space, matches no label.
_BLANK = "\x00"

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _key(label: str, acronym: bool) -> tuple[bool, str]:
    """The lookup key of a label or of matched text: acronyms as written, other labels lower-cased,
    hyphens and runs of white space as one space."""
    text = " ".join(label.replace("-", " ").split())
    return (acronym, text if acronym else text.lower())


def _other_number(label: str) -> str | None:
    """``label`` (lower case, single-spaced, several words) with its last word in the other
    grammatical number: "-ies" <-> "-y" after a consonant, "-es" after s/x/z/ch/sh, else "-s";
    ``None`` for a single word (too ambiguous: "standard" is also a unit, "power" a verb) or a last
    word that is not alphabetic or is shorter than three letters. English regular plurals only."""
    head, _, last = label.rpartition(" ")
    if not head or not last.isalpha() or len(last) < 3:
        return None
    if last.endswith("ies") and len(last) > 4:
        other = last[:-3] + "y"
    elif last.endswith(("sses", "xes", "zes", "ches", "shes")):
        other = last[:-2]
    elif last.endswith("s") and len(last) > 3 and not last.endswith(("ss", "us", "is")):
        other = last[:-1]
    elif last.endswith("y") and last[-2] not in "aeiou":
        other = last[:-1] + "ies"
    elif last.endswith(("s", "x", "z", "ch", "sh")):
        other = last + "es"
    else:
        other = last + "s"
    return f"{head} {other}"


class Classifier:
    """Finds instrument and sector concepts in text. Build once per vocabulary graph.

    ``graph`` must hold the concepts typed ``pkg:Instrument`` / ``pkg:Sector``
    with their labels (the ontology graph of ``policykg.reference``); a graph
    without them gives a classifier that finds nothing. Which concepts and
    labels count, and how they match: see the module docstring.
    """

    def __init__(self, graph: rdflib.Graph):
        # per scheme (class): label key -> concepts; Chinese label -> concepts
        lexicon: dict[URIRef, dict[tuple[bool, str], URIRef]] = {}
        zh: dict[URIRef, dict[str, URIRef]] = {}
        named: dict[URIRef, set[tuple[bool, str]]] = {}  # keys that are a prefLabel in that scheme
        for kind in _KINDS:
            keys = lexicon.setdefault(kind, {})
            zh_keys = zh.setdefault(kind, {})
            named[kind] = set()
            for concept in sorted((c for c in graph.subjects(RDF.type, kind) if isinstance(c, URIRef)), key=str):
                narrower = set(graph.objects(concept, SKOS.narrower)) | set(graph.subjects(SKOS.broader, concept))
                head = bool(narrower) and (concept, SKOS.topConceptOf, None) in graph
                if head and kind == PKG.Instrument:
                    continue
                skip_pref: set[str] = set()
                if head:  # a family's name is no keyword when it is a word (Chinese: a part) of its members' labels
                    member_labels = [str(o) for c in narrower for p in _LABEL_PROPS for o in graph.objects(c, p)]
                    words = {w for x in member_labels for w in _key(x, False)[1].split()}
                    skip_pref = {str(o) for o in graph.objects(concept, SKOS.prefLabel)
                                 if _key(str(o), False)[1] in words
                                 or (_CJK.search(str(o)) and any(str(o) in x for x in member_labels))}
                for prop in _LABEL_PROPS:
                    for o in graph.objects(concept, prop):
                        if not isinstance(o, Literal) or (prop == SKOS.prefLabel and str(o) in skip_pref):
                            continue
                        label = " ".join(str(o).split())
                        if not label:
                            continue
                        if _CJK.search(label):
                            zh_keys.setdefault(label, concept)
                            continue
                        if not (o.language or "en").lower().startswith("en"):
                            continue
                        acronym = len(label) <= 5 and label.isupper()
                        key = _key(label, acronym)
                        keys.setdefault(key, concept)  # unique within a scheme (tests/test_ontology.py)
                        if prop == SKOS.prefLabel:
                            named[kind].add(key)
            # the other grammatical number of multi-word labels; a label of the vocabulary keeps its concept
            for (acronym, text), concept in list(keys.items()):
                variant = None if acronym else _other_number(text)
                if variant is not None:
                    keys.setdefault((False, variant), concept)
        # a single word both schemes carry signals only the concept it names ("standards": the
        # instrument Standards, not the policy area Standardisation, which needs a phrase)
        for kind in _KINDS:
            for other in _KINDS:
                if other != kind:
                    for key in [k for k in lexicon[kind] if " " not in k[1] and k in lexicon[other]]:
                        if key in named[other] and key not in named[kind]:
                            del lexicon[kind][key]
        # names of agencies ("Ministry of Finance", "National Energy Administration") name an issuer,
        # not a sector or an instrument of the policy: they are blanked out before matching
        agency_en: set[str] = set()
        self._agency_zh: list[str] = []
        for agency in graph.subjects(RDF.type, PKG.Agency):
            for prop in (SKOS.prefLabel, SKOS.altLabel):
                for o in graph.objects(agency, prop):
                    label = " ".join(str(o).split())
                    if _CJK.search(label):
                        self._agency_zh.append(label)
                    elif " " in label:  # an acronym names no sector
                        agency_en.add(label)
        self._agencies = _LabelMatcher(agency_en, the_prefix=False, quotes=True) if agency_en else None
        self._agency_zh_pattern: re.Pattern[str] | None = None
        self._lexicon = lexicon
        self._zh = zh
        self._matchers: list[tuple[URIRef, bool, _LabelMatcher | None]] = [
            (kind, acronym, _matcher(sorted(k[1] for k in lexicon[kind] if k[0] == acronym), ignore_case=not acronym))
            for kind in _KINDS for acronym in (False, True)
        ]
        self._zh_patterns = [
            (kind, re.compile("|".join(re.escape(x) for x in sorted(zh[kind], key=lambda x: (-len(x), x)))))
            for kind in _KINDS if zh[kind]
        ]

    def _agency_zh_regex(self) -> re.Pattern[str]:
        """Chinese agency names, longest first (compiled on the first text with Chinese in it)."""
        if self._agency_zh_pattern is None:
            names = sorted(set(self._agency_zh), key=lambda x: (-len(x), x))
            self._agency_zh_pattern = re.compile("|".join(re.escape(x) for x in names))
        return self._agency_zh_pattern

    def find(self, text: str, base_offset: int = 0) -> list[Mention]:
        """Concepts mentioned in ``text``: one :class:`Mention` per concept, at its first mention,
        sorted by position; offsets are ``base_offset`` + position in ``text``."""
        first: dict[URIRef, Mention] = {}

        def note(concept: URIRef, kind: URIRef, start: int, end: int) -> None:
            mention = Mention(concept, kind, base_offset + start, base_offset + end)
            if concept not in first or mention.start < first[concept].start:
                first[concept] = mention

        spaced = text.replace("-", " ")  # same length: a hyphen matches a space (module docstring)
        masked = [(a, b) for a, b in self._agencies.finditer(text)] if self._agencies is not None else []
        if self._agency_zh and _CJK.search(text):
            masked += [m.span() for m in self._agency_zh_regex().finditer(text)]
        if masked:
            chars = list(spaced)
            for a, b in masked:
                chars[a:b] = _BLANK * (b - a)
            spaced = "".join(chars)
        for kind, acronym, matcher in self._matchers:
            if matcher is None:
                continue
            keys = self._lexicon[kind]
            for start, end in matcher.finditer(spaced):
                if (start > 0 and text[start - 1] == "-") or (end < len(text) and text[end] == "-"):
                    continue  # inside a hyphenated compound ("non-power sector")
                concept = keys.get(_key(text[start:end], acronym))
                if concept is None:
                    continue
                if _UNIT_BEFORE.search(text[max(0, start - 16):start]) or _UNIT_AFTER.match(text[end:end + 16]):
                    continue  # "standard coal", "oil equivalent": a unit of energy, not the sector
                note(concept, kind, start, end)
        for kind, pattern in self._zh_patterns:
            for m in pattern.finditer(spaced):  # Chinese labels have no hyphens
                note(self._zh[kind][m.group()], kind, m.start(), m.end())
        return sorted(first.values(), key=lambda x: (x.start, str(x.concept)))
