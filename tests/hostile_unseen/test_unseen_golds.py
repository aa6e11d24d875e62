"""Layouts of unseen briefings that the loader gets wrong: one minimal failing case per general rule.

Found by writing three new digests in the genre of the sample briefing
(``data/*.txt``, gold in ``data/*.yaml``; re-run with
``policykg eval tests/hostile_unseen/data/X.yaml tests/hostile_unseen/data/X.txt``)
and tracing each miss to the loader rule behind it. Every test here is
``xfail(strict=True)``: it documents a known gap and turns into an XPASS
failure (to be un-marked) as soon as the rule is fixed. Inputs are small
inline texts with invented policies, so a fix cannot be fitted to them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

# --------------------------------------------------------------------------- the unseen briefings themselves

DATA = Path(__file__).resolve().parent / "data"


@pytest.mark.parametrize("stem", ["ccnt-2024-07-unseen", "cecpm-2024-07-unseen", "cpp-2024-06-unseen"])
def test_unseen_gold_files_load(stem: str) -> None:
    """The three hand-written golds follow the gold schema (``loaders.evaluate.load_gold`` accepts them)."""
    from loaders.evaluate import load_gold

    gold = load_gold(DATA / f"{stem}.yaml")
    assert (DATA / f"{stem}.txt").is_file()
    assert len(gold["policies"]) >= 8
