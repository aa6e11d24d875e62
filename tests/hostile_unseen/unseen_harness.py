"""The harness the unseen-document modules share: each document loaded whole, scored against its gold
with :func:`loaders.evaluate.evaluate`, and each field held to a floor.

A module lists its documents (``DOCS``: stem -> suffix) and, per document and field, the lowest
precision and recall it accepts (``FLOORS``, 1.0 unless listed; :func:`floors` builds them), then
parametrises :func:`check_gold_files` and :func:`check_floor` over them. Sectors and instruments are
left out of the misses a failure prints: several gold labels are outside the vocabulary.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"

#: The fields every document is held to.
FIELDS = ("policies", "reports", "reports_not_policies", "title", "genre", "level", "jurisdiction", "source_urls",
          "published", "issuers", "targets", "qualitative_targets", "provisions", "policy_evidence",
          "target_evidence")


def floors(**below_one: tuple[float, float]) -> dict[str, tuple[float, float]]:
    """``(precision, recall)`` floors of one document: 1.0 for every field of :data:`FIELDS`, except
    those given (``targets=(0.9, 1.0)``)."""
    return {**{name: (1.0, 1.0) for name in FIELDS}, **below_one}


def check_gold_files(stem: str, suffix: str, min_policies: int) -> None:
    """The hand-written gold of ``stem`` and its ``.shared.yaml`` variant follow the gold schema and list
    at least ``min_policies`` policies; the document ``stem + suffix`` is there."""
    from loaders.evaluate import load_gold

    for variant in (".yaml", ".shared.yaml"):
        gold = load_gold(DATA / f"{stem}{variant}")
        assert len(gold["policies"]) >= min_policies, (stem, variant)
    assert (DATA / f"{stem}{suffix}").is_file()


@cache
def scores(stem: str, suffix: str) -> Any:
    """The :class:`loaders.evaluate.Evaluation` of ``stem + suffix`` against ``stem.yaml`` (loaded once)."""
    from loaders import extract
    from loaders.evaluate import evaluate, load_gold
    from policykg.vocab import Minter

    return evaluate(load_gold(DATA / f"{stem}.yaml"), extract(DATA / f"{stem}{suffix}", Minter()))


def check_floor(stem: str, suffix: str, name: str, floors_of: Mapping[str, Mapping[str, tuple[float, float]]]) -> None:
    """Field ``name`` of ``stem`` reaches its precision and recall floors (``floors_of[stem][name]``)."""
    ev = scores(stem, suffix)
    f = ev.score(name)
    p_floor, r_floor = floors_of[stem][name]
    misses = [m for m in ev.misses if "sector" not in m and "instrument" not in m]
    assert f.precision >= p_floor and f.recall >= r_floor, (name, f, misses)
