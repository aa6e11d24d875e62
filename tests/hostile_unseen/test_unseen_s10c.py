"""The tenth review's third pair of CCNT unseen issues, pinned at what the loaders reach on them.

``data/ccnt-2024-05-unseen.txt`` and ``data/ccnt-2025-03-unseen.txt``: ordinary next issues of the China Carbon
Neutrality Tracker in the sample's own layout (leading-space page starts, per-page URL lists with one copy per title
line, "e " bullets, group headlines, "Subnational Updates", "Perspectives", About boilerplate), each with a gold file.

The rules behind these figures are pinned one by one on invented inline inputs in
``tests/test_loaders_s10_ordinary.py``; here each document is loaded whole and scored with
:func:`loaders.evaluate.evaluate`, so that a change that loses what the rules reach shows up as a figure below its
floor. The floors are the figures reached after those fixes (sectors and instruments excepted: several gold labels
are outside the vocabulary). Known gaps kept below 1.0, where the gold goes beyond the sample gold's conventions:

* issuers: a group headline's agencies are given (``issuers_headline``) only to policies that state no issuer of
  their own, as in the sample gold (its P20 under a headline naming the NDRC keeps only its stated issuer); the
  writer's gold also gives them to policies with stated issuers (2024-05 P06; 2025-03 P06, P07): 3 misses.
* 2025-03 P04 "cover an additional 3 billion tons of carbon dioxide equivalent emissions": the loader's goal (no
  year, 3e9 t, eq) and the gold's provision (no si_value) are one reading that the evaluation does not pair.

Re-run with ``policykg eval tests/hostile_unseen/data/X.yaml tests/hostile_unseen/data/X.txt``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"

#: Document stems of this review and their suffixes.
DOCS = {"ccnt-2024-05-unseen": ".txt", "ccnt-2025-03-unseen": ".txt"}

_ALL = ("policies", "reports", "reports_not_policies", "title", "genre", "level", "jurisdiction", "source_urls",
        "published", "issuers", "targets", "qualitative_targets", "provisions", "policy_evidence",
        "target_evidence")

#: Per document, per field: the lowest precision and recall accepted (1.0 unless listed).
FLOORS = {
    "ccnt-2024-05-unseen": {**{n: (1.0, 1.0) for n in _ALL}, "issuers": (1.0, 0.96)},
    "ccnt-2025-03-unseen": {**{n: (1.0, 1.0) for n in _ALL}, "issuers": (1.0, 0.91), "targets": (0.96, 1.0),
                            "provisions": (1.0, 0.83), "target_evidence": (0.97, 1.0)},
}


@pytest.mark.parametrize("stem", sorted(DOCS))
def test_s10c_gold_files_load(stem: str) -> None:
    """Every hand-written gold (and its ``.shared.yaml`` variant) follows the gold schema."""
    from loaders.evaluate import load_gold

    for suffix in (".yaml", ".shared.yaml"):
        gold = load_gold(DATA / f"{stem}{suffix}")
        assert len(gold["policies"]) >= 10
    assert (DATA / f"{stem}{DOCS[stem]}").is_file()


@lru_cache(maxsize=None)
def _scores(stem: str):
    from loaders import extract
    from loaders.evaluate import evaluate, load_gold
    from policykg.vocab import Minter

    ex = extract(DATA / f"{stem}{DOCS[stem]}", Minter())
    return evaluate(load_gold(DATA / f"{stem}.yaml"), ex)


@pytest.mark.parametrize(("stem", "name"), [(s, n) for s in sorted(FLOORS) for n in FLOORS[s]])
def test_s10c_figures_reach_their_floors(stem: str, name: str) -> None:
    ev = _scores(stem)
    f = ev.score(name)
    p_floor, r_floor = FLOORS[stem][name]
    misses = [m for m in ev.misses if "sector" not in m and "instrument" not in m]
    assert f.precision >= p_floor and f.recall >= r_floor, (name, f, misses)


def test_s10c_page_headlines_are_no_policies() -> None:
    """The group headlines that open pages ("Multiple departments — including A and B — released ...", "The NDRC
    issued basic rules for ..., and five departments set ...") are neither policies nor parts of the policy above."""
    ev = _scores("ccnt-2024-05-unseen")
    assert not [m for m in ev.misses if m.startswith("extra: policy")]
    assert not [m for m in ev.misses if "issuer missed" in m and m.split(":")[0] in ("P02", "P04", "P05", "P07")]
