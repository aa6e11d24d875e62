"""The tenth review's two CCNT-style unseen issues, pinned at what the loaders reach on them.

``data/ccnt-2023-11-unseen.txt`` (an older China Carbon Neutrality Tracker issue as its PDF's text comes out: a
cover page naming the sections, bullets OCR'd as "«", "°", "e", "¢" and "•", a title over three lines ending in a
document number, issuers in participial phrases "Jointly issued by A and B, the Notice specifies:", a headline
"Six departments plan to lift ...", "International Cooperation" news with links of their own after a page's
policies) and ``data/ccnt-2025-06-unseen.txt`` (a newer issue whose layout drifted: a "Key Policies" summary box
repeating a policy and three targets, "<Agencies> | YYYY-MM-DD" lines over the policies (one wrapped), "(Source:
MEE)" after two, ligature glyphs and curly quotes in titles, digit groups set off by no-break spaces, a target
table as text rows "Indicator 2024 2027", a closing "By 2030, ..." goal after a list), each with a gold file.

The rules behind these figures are pinned one by one on invented inline inputs in
``tests/test_loaders_s10_ccnt.py``; here each document is loaded whole and scored with
:func:`loaders.evaluate.evaluate`, so that a change that loses what the rules reach shows up as a figure below its
floor. The floors are the figures reached when the rules were fixed (sectors and instruments excepted: several
gold labels are outside the vocabulary). Known gaps kept below 1.0:

* 2023-11: two of P01's three provisions, "..., rising to no less than 50% from 2026" (a participle clause
  after the first value, no goal cue of its own) and "330 yuan per kilowatt per year" (read "yuan per kilowatt",
  and with no cue at all).
* 2025-06: the gold's choices the sample's conventions do not support, kept as they are: ``published`` from the
  "<Agencies> | YYYY-MM-DD" line where the URL has no date (P06) or only a month (P09). (P07's gold title,
  with straight quotes and a hyphen where the text writes curly quotes and an en dash, matches: the evaluator
  folds both, as the shared scorer does.)

Re-run with ``policykg eval tests/hostile_unseen/data/X.yaml tests/hostile_unseen/data/X.txt``.
"""

from __future__ import annotations

import pytest
from unseen_harness import check_floor, check_gold_files, floors

#: Document stems of this review and their suffixes.
DOCS = {"ccnt-2023-11-unseen": ".txt", "ccnt-2025-06-unseen": ".txt"}

#: Per document, per field: the lowest precision and recall accepted (1.0 unless listed).
FLOORS = {
    "ccnt-2023-11-unseen": {**floors(), "provisions": (1.0, 0.33)},
    "ccnt-2025-06-unseen": {**floors(),
                            "published": (0.90, 0.81)},
}


@pytest.mark.parametrize("stem", sorted(DOCS))
def test_s10_gold_files_load(stem: str) -> None:
    """Every hand-written gold (and its ``.shared.yaml`` variant) follows the gold schema."""
    check_gold_files(stem, DOCS[stem], min_policies=10)


@pytest.mark.parametrize(("stem", "name"), [(s, n) for s in sorted(FLOORS) for n in FLOORS[s]])
def test_s10_figures_reach_their_floors(stem: str, name: str) -> None:
    check_floor(stem, DOCS[stem], name, FLOORS)
