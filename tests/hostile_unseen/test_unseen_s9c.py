"""The ninth review's third pair of unseen documents, pinned at what the loaders reach on them.

``data/slides-2025-10-unseen.pdf`` (made by ``make_slides_pdf.py``: a 16:9 slide deck, one slide per page, a big
title line, a dateline "<Agency> & <Agency> | 12 Oct 2025" under it, 2-4 telegraphic bullets "≥ 1,200 GW by 2030",
"↓ to < 50% (2027)", "45%+ by '27", a "Source: https://..." footer; a "Provinces" divider, a "Key numbers" slide that
repeats targets, a "Further reading" slide) and ``data/govsite-news-2025-11-unseen.html`` (a government portal's
"Latest Releases" listing: news-headline titles "<Agency> issues <genre> on <topic>", "Circular of the General Office
of the State Council on <topic>", off-topic entries, a date after each link, summaries "jointly issued by ..."), each
with a gold file. Re-run with ``policykg eval tests/hostile_unseen/data/X.yaml tests/hostile_unseen/data/X.pdf``.

The rules behind these figures are pinned one by one on invented inline inputs in
``tests/test_loaders_s9_headlines.py`` (rules) and ``tests/test_loaders_s9_slides_html.py`` (readers). Floors are
the figures reached when this file was written (sectors and instruments excepted: not pinned). Known gaps kept below
1.0: the slides' "~1 Mt/yr" (a unit of mass rate the unit table lacks), the qualitative bullet "GECs to cover all
renewable output", one provision "~1,500 more firms" (a count without a goal cue), the "Shanghai Housing
Commission" minted as an extra issuer. The listing reaches 1.0 on every pinned field.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"

#: (document, gold) pairs of this review.
DOCS = {"slides-2025-10-unseen": ".pdf", "govsite-news-2025-11-unseen": ".html"}

_ALL = ("policies", "reports", "reports_not_policies", "title", "genre", "level", "jurisdiction", "source_urls",
        "published", "issuers", "targets", "qualitative_targets", "provisions", "policy_evidence",
        "target_evidence")

#: Per document, per field: the lowest precision and recall accepted (1.0 unless listed).
FLOORS = {
    "slides-2025-10-unseen": {**{n: (1.0, 1.0) for n in _ALL},
                              "issuers": (0.92, 1.0), "targets": (0.92, 0.92), "qualitative_targets": (1.0, 0.0),
                              "provisions": (1.0, 0.5), "target_evidence": (0.92, 0.86)},
    "govsite-news-2025-11-unseen": {n: (1.0, 1.0) for n in _ALL},
}


@pytest.mark.parametrize("stem", sorted(DOCS))
def test_s9c_gold_files_load(stem: str) -> None:
    """Both golds (and their ``.shared.yaml`` variants) follow the gold schema."""
    from loaders.evaluate import load_gold

    for suffix in (".yaml", ".shared.yaml"):
        gold = load_gold(DATA / f"{stem}{suffix}")
        assert len(gold["policies"]) >= 6
    assert (DATA / f"{stem}{DOCS[stem]}").is_file()


@lru_cache(maxsize=None)
def _scores(stem: str):
    from loaders import extract
    from loaders.evaluate import evaluate, load_gold
    from policykg.vocab import Minter

    ex = extract(DATA / f"{stem}{DOCS[stem]}", Minter())
    return evaluate(load_gold(DATA / f"{stem}.yaml"), ex)


@pytest.mark.parametrize(("stem", "name"), [(s, n) for s in sorted(FLOORS) for n in FLOORS[s]])
def test_s9c_figures_reach_their_floors(stem: str, name: str) -> None:
    ev = _scores(stem)
    f = ev.score(name)
    p_floor, r_floor = FLOORS[stem][name]
    misses = [m for m in ev.misses if "sector" not in m and "instrument" not in m]
    assert f.precision >= p_floor and f.recall >= r_floor, (name, f, misses)


def test_s9c_listing_keeps_no_off_topic_entry() -> None:
    """None of the listing's five off-topic entries (care, tourism, insurance, investment, admissions) is a policy."""
    ev = _scores("govsite-news-2025-11-unseen")
    assert not [m for m in ev.misses if "policy not in gold" in m]
