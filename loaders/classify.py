"""Classifying policies by instrument type and sector, with the SKOS vocabularies as the lexicon.

The labels of the concepts in ``ontology/vocab/instrument.ttl`` and
``ontology/vocab/sector.ttl`` (``skos:prefLabel``, ``skos:altLabel`` and
``skos:hiddenLabel`` in English) are the only keywords: adding a keyword is a
vocabulary edit, never a code edit. Top concepts that head a family (a
``skos:topConceptOf`` with narrower concepts, such as "Regulatory
instruments") are not assigned from text: they are too general to be
evidence of anything.

Matching rules:

* whole words only, longest label first, never inside another word;
* case-insensitive, except labels of at most five characters written all in
  capitals (acronyms such as ``RE``, ``EV``, ``ETS``, ``CCUS``), which must
  match in capitals so that "re" or "ets" inside prose do not count;
* line breaks and runs of spaces in the text match a single space in a label
  (briefing text wraps lines anywhere);
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


class Classifier:
    """Finds instrument and sector concepts in text. Build once per vocabulary graph.

    ``graph`` must hold the concepts typed ``pkg:Instrument`` / ``pkg:Sector``
    with their labels (the ontology graph of ``policykg.reference``); a graph
    without them gives a classifier that finds nothing.
    """

    def __init__(self, graph: rdflib.Graph):
        self._concept: dict[tuple[bool, str], tuple[URIRef, URIRef]] = {}
        folded: list[str] = []
        exact: list[str] = []
        for kind in (PKG.Instrument, PKG.Sector):
            for concept in sorted((c for c in graph.subjects(RDF.type, kind) if isinstance(c, URIRef)), key=str):
                has_children = (concept, SKOS.narrower, None) in graph or (None, SKOS.broader, concept) in graph
                if has_children and (concept, SKOS.topConceptOf, None) in graph:
                    continue
                for prop in _LABEL_PROPS:
                    for o in graph.objects(concept, prop):
                        if not isinstance(o, Literal) or not (o.language or "en").lower().startswith("en"):
                            continue
                        label = " ".join(str(o).split())
                        if not label:
                            continue
                        acronym = len(label) <= 5 and label.isupper()
                        key = (acronym, label if acronym else label.lower())
                        if key in self._concept:
                            continue  # a label shared by two concepts: the first (by IRI) keeps it
                        self._concept[key] = (concept, kind)
                        (exact if acronym else folded).append(label)
        self._folded = _matcher(folded, ignore_case=True)
        self._exact = _matcher(exact, ignore_case=False)

    def find(self, text: str, base_offset: int = 0) -> list[Mention]:
        """Concepts mentioned in ``text``: one :class:`Mention` per concept, at its first mention,
        sorted by position; offsets are ``base_offset`` + position in ``text``."""
        first: dict[URIRef, Mention] = {}
        for matcher, acronym in ((self._folded, False), (self._exact, True)):
            if matcher is None:
                continue
            for start, end in matcher.finditer(text):
                label = " ".join(text[start:end].split())
                hit = self._concept.get((acronym, label if acronym else label.lower()))
                if hit is None:
                    continue
                if _UNIT_BEFORE.search(text[max(0, start - 16):start]) or _UNIT_AFTER.match(text[end:end + 16]):
                    continue  # "standard coal", "oil equivalent": a unit of energy, not the sector
                concept, kind = hit
                mention = Mention(concept, kind, base_offset + start, base_offset + end)
                if concept not in first or mention.start < first[concept].start:
                    first[concept] = mention
        return sorted(first.values(), key=lambda x: (x.start, str(x.concept)))
