"""The thirteenth review's pair of CCNT unseen issues, pinned at what the loaders reach on them.

``data/ccnt-2022-12-unseen.txt`` and ``data/ccnt-2025-05-unseen.txt``: further issues of the China Carbon
Neutrality Tracker in the sample's own layout, written by a colleague who had not read the loaders, each with a gold
file.

The rules behind these figures are pinned one by one on invented inline inputs in ``tests/test_loaders_s13_rules.py``
(a quantifier before a title, "published several Measures to ..."; "In its <Title>, the <Agency> aims"; a title
with no genre word known by its Chinese name and a passive issuer, "<Title> (<中文>) were adjusted by the <Agency>";
"<Place>'s <Title> was issued by A and B"; "the <Agency A> and the <Agency B>"; "the provincial DRC and Energy
Bureau"; a minus sign, "-0.05 yuan per kWh"; "yuan per MW"; "180 Wh/kg", "53 kWh per kilogram of hydrogen"; "5G",
"in one go"; "per ton-kilometer"; "whose electricity use per ton of aluminum exceeds 13,300 kWh ..., above 13,600
kWh"; "more than 25 GW, and by 2030 over 60 GW"; "It aims that by 2025 ..."; ", and by 2030 to basically establish
..."; no baseline over ", and heat losses to be kept below 15%"; ", to be rated as ..." is no predicate; "full
coverage of ... by the end of 2025 (see ...)"). Here each document is loaded whole and scored with
:func:`loaders.evaluate.evaluate`. The floors are the figures reached (sectors and instruments excepted: several gold
labels are outside the vocabulary). Known gaps kept below 1.0:

* targets (2022-12 P01): "carbon dioxide emissions per ton-kilometer ... will fall to 0.88 kg": the loader reads
  "kg per ton-kilometer" (the subject's denominator, kept whole); the gold's unit "kg CO2 per ton-kilometer" adds
  the gas the subject names, which no unit grammar rule writes into a unit. One miss and one extra.
* genre (2025-05 P11): the gold genre "Price Policy" is no label of the genre vocabulary (``ontology/``), and the
  title has no genre word: none is linked. P07's "Standard Conditions" (规范条件) is a genre of the vocabulary since
  session 15 and is linked.
* issuers (2025-05 P03): the headline's NDRC is given only to policies that state no issuer of their own, as in the
  sample gold (the paragraph names the NEA).
* provisions, durations (2025-05 P06): "for three years". The quantity grammar reads no durations by design
  (``loaders/quantities.py``; ``tests/hostile_unseen/test_unseen_s11.py``): a change of that convention is left to
  the lead.

Re-run with ``policykg eval tests/hostile_unseen/data/X.yaml tests/hostile_unseen/data/X.txt``.
"""

from __future__ import annotations

import pytest
from unseen_harness import check_floor, check_gold_files, floors, scores

#: Document stems of this review and their suffixes.
DOCS = {"ccnt-2022-12-unseen": ".txt", "ccnt-2025-05-unseen": ".txt"}

#: Per document, per field: the lowest precision and recall accepted (1.0 unless listed).
FLOORS = {
    "ccnt-2022-12-unseen": {**floors(), "targets": (0.97, 0.97), "target_evidence": (0.98, 0.98)},
    "ccnt-2025-05-unseen": {**floors(), "genre": (0.94, 0.89), "issuers": (1.0, 0.96), "provisions": (1.0, 0.96)},
}


@pytest.mark.parametrize("stem", sorted(DOCS))
def test_s13_gold_files_load(stem: str) -> None:
    """Every hand-written gold (and its ``.shared.yaml`` variant) follows the gold schema."""
    check_gold_files(stem, DOCS[stem], min_policies=10)


@pytest.mark.parametrize(("stem", "name"), [(s, n) for s in sorted(FLOORS) for n in FLOORS[s]])
def test_s13_figures_reach_their_floors(stem: str, name: str) -> None:
    check_floor(stem, DOCS[stem], name, FLOORS)


def test_s13_every_policy_found_with_its_own_url() -> None:
    """The title with no genre word (known by its Chinese name) and the one after "published several" are policies
    of their own: no policy missed or extra, every URL and date in place, so no figure goes to a neighbour."""
    for stem in DOCS:
        ev = scores(stem, DOCS[stem])
        assert not [m for m in ev.misses if "policy not" in m or "source_urls" in m or "published" in m], stem


def test_s13_no_issuer_outside_the_gold() -> None:
    """Agencies joined by "and the", an organ whose level word is elided and the bodies after "was issued by" (not
    the possessor's government) are the issuers; no agency outside the gold is linked."""
    for stem in DOCS:
        ev = scores(stem, DOCS[stem])
        assert not [m for m in ev.misses if "issuer not in gold" in m], stem
