"""Session 31 loader rules: what the session 30 note listed as found and not mended, then what the nineteenth blind
test found. Each case names the reading before it; the ``test_precision_*`` cases guard text each rule must leave
alone.
"""
from __future__ import annotations

import pytest

from loaders.goals import find_goals
from loaders.quantities import AT_MOST, EXACTLY


def _read(text: str, year: int = 2026) -> list[tuple]:
    """``(kind, due year, value, comparator)`` of each goal of ``text`` in a briefing of ``year``."""
    return [(g.kind, g.target_year, float(g.value) if g.value is not None else None, g.comparator)
            for g in find_goals(text, context_year=year)]


@pytest.mark.parametrize("text", [
    # before: exactly 50% (a possessive in the object of "limit")
    "By 2025, the province will limit coal's share of energy consumption to 50%.",
    "By 2025, the province will limit coal’s share of energy consumption to 50%.",
    # before: exactly 50% (a passive, with no object between the verb and "to")
    "By 2025, coal's share of energy consumption will be limited to 50%.",
    "By 2025, coal's share of energy consumption will be restricted to 50%.",
    "By 2025, the province will restrict coal's share of energy consumption to 50%.",
])
def test_a_limit_to_a_value_is_an_upper_bound(text: str) -> None:
    assert _read(text) == [("target", 2025, 50.0, AT_MOST)]


@pytest.mark.parametrize(("text", "read"), [
    ("Support includes but is not limited to 5 million yuan per project.", [("provision", None, 5.0, EXACTLY)]),
    ("By 2027, the city will raise the share of clean buses to 50%.", [("target", 2027, 50.0, EXACTLY)]),
])
def test_precision_no_limit_no_upper_bound(text: str, read: list[tuple]) -> None:
    assert _read(text) == read


def test_a_verb_of_ruling_after_and_opens_its_own_clause() -> None:
    """Before: only the 60 kgce limit; the 100% goal of "requires all new public buildings ..." was lost."""
    got = _read("The plan requires all new public buildings to install rooftop solar from 2027, and limits the energy "
                "use of data centres to 60 kgce per square metre.")
    assert [(k, y, v) for k, y, v, _ in got] == [("target", 2027, 100.0), ("provision", None, 60.0)]
    assert got[1][3] == AT_MOST


def test_precision_a_plural_noun_after_and_stays_in_its_list() -> None:
    got = _read("The fund covers subsidies, tax breaks, and caps on coal use of 50 million tonnes by 2027.")
    assert [(k, v) for k, _, v, _ in got] == [("provision", 50.0)]


@pytest.mark.parametrize(("text", "read"), [
    # before: a 2025 target of fewer than 1,000 piles
    ("Cities where networks have installed fewer than 1,000 piles by 2025 will receive support.",
     [("provision", None, 1000.0)]),
    ("Counties where households have already built more than 500 rooftop systems will get 2 million yuan.",
     [("provision", None, 500.0), ("provision", None, 2.0)]),
])
def test_a_place_qualified_by_what_was_done_there_is_a_condition(text: str, read: list[tuple]) -> None:
    assert [(k, y, v) for k, y, v, _ in _read(text)] == read


def test_precision_where_with_no_perfect_leaves_the_goal() -> None:
    got = _read("By 2027, the province will build 200 stations in areas where demand is high.")
    assert [(k, y, v) for k, y, v, _ in got] == [("target", 2027, 200.0)]


@pytest.mark.parametrize("text", [
    # before: nothing (the multiplier was dropped beside the 8 GW, which is a statistic)
    "By 2030, the province will triple the 8 GW installed by 2025.",
    "By 2030, the province will triple the 8 GW of solar it had at the end of 2025.",
])
def test_a_multiplied_level_of_a_past_year_is_the_baseline_of_the_rise(text: str) -> None:
    [g] = find_goals(text, context_year=2026)
    assert (g.kind, g.target_year, float(g.value), g.baseline_year) == ("target", 2030, 200.0, 2025)


@pytest.mark.parametrize(("text", "read"), [
    ("Solar capacity will double from 2020 to reach 1,200 GW by 2030.", [("target", 2030, 1200.0)]),
    ("By 2030, the province will double the number of charging piles to 20,000.", [("target", 2030, 20000.0)]),
    ("Capacity is expected to double to 160 GW by 2030.", [("target", 2030, 160.0)]),
])
def test_precision_the_level_a_multiplying_reaches_stays_the_goal(text: str, read: list[tuple]) -> None:
    assert [(k, y, v) for k, y, v, _ in _read(text)] == read
