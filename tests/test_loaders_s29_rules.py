"""Session 29 loader rules: misses the session 28 note listed, then what the sixteenth blind test found. Each case
names the reading before it; the ``test_precision_*`` cases guard ordinary text each rule must leave alone.
"""
from __future__ import annotations

import pytest

from loaders.goals import find_goals
from loaders.quantities import LESS_THAN, MORE_THAN


def _read(text: str, year: int = 2026) -> list[tuple]:
    """``(kind, due year, value, comparator)`` of each goal of ``text`` in a briefing of ``year``."""
    return [(g.kind, g.target_year, float(g.value) if g.value is not None else None, g.comparator)
            for g in find_goals(text, context_year=year)]


@pytest.mark.parametrize(("text", "read"), [
    ("Beijing had set up 1,000 charging stations by 2025 and targets 3,000 by 2028.", [(2028, 3000.0)]),
    ("The province has installed 12 GW by 2025 and will add 8 GW by 2027.", [(2027, 8.0)]),
    ("The province has cut coal use by 10% since 2020 and will cut it by a further 5% by 2027.", [(2027, 5.0)]),
])
def test_a_perfect_of_doing_is_done_already(text: str, read: list[tuple]) -> None:
    """Before: the value done ("had set up 1,000 ... by 2025") was a target due in its year."""
    assert [(y, v) for k, y, v, _ in _read(text) if k == "target"] == read


@pytest.mark.parametrize(("text", "read"), [
    ("By 2027, the province will have built 50 hydrogen stations.", [("target", 2027, 50.0)]),
    ("The province has set up a target of 50 GW by 2030.", [("target", 2030, 50.0)]),
    ("Enterprises that have installed more than 10 MW of PV will receive a reward of 0.1 yuan/kWh.",
     [("provision", None, 10.0), ("provision", None, 0.1)]),
    ("Until the city has installed 500 stations, the subsidy of 100 yuan per kW will remain.",
     [("provision", None, 500.0), ("provision", None, 100.0)]),
])
def test_precision_a_future_perfect_a_goal_set_and_a_relative_clause_are_not_done(text: str, read: list[tuple]) -> None:
    assert [(k, y, v) for k, y, v, _ in _read(text)] == read


def test_a_past_by_the_end_of_after_a_future_is_a_due_year() -> None:
    """Before: "5 GW ... by the end of 2025" in a 2026 briefing was dropped as a statistic beside the 2027 goal."""
    text = "The province will reach 5 GW of storage by the end of 2025 and 10 GW by the end of 2027."
    assert [(k, y, v) for k, y, v, _ in _read(text)] == [("target", 2025, 5.0), ("target", 2027, 10.0)]


@pytest.mark.parametrize(("text", "read"), [
    ("The city had built 300 stations by the end of 2025 and plans 800 by 2028.", [(2028, 800.0)]),
    ("Xinjiang had 8 GW of storage at the end of 2025 and plans to exceed 20 GW by 2027.", [(2027, 20.0)]),
])
def test_precision_a_past_at_or_by_the_end_of_a_statistic_stays_dropped(text: str, read: list[tuple]) -> None:
    assert [(y, v) for k, y, v, _ in _read(text)] == read


@pytest.mark.parametrize(("text", "read"), [
    ("Once installed capacity has reached 10 GW, the premium will be phased out.", [("provision", None, 10.0, None)]),
    ("Once the share reaches 30%, the policy will be reviewed.", [("provision", None, 30.0, None)]),
    ("If emissions exceed 10,000 tonnes, the firm must report them.", [("provision", None, 10000.0, MORE_THAN)]),
    ("When the utilisation rate of wind power falls below 95%, new projects will be suspended.",
     [("provision", None, 95.0, LESS_THAN)]),
    # a trigger beside the goal it sets off: the goal only
    ("When coal prices exceed 1,000 yuan per tonne, the province will cut output by 5%.",
     [("target", None, 5.0, None)]),
])
def test_a_value_in_an_opening_condition_triggers_a_rule(text: str, read: list[tuple]) -> None:
    """Before: the trigger was a target with no year ("Once ... has reached 10 GW": the session 28 note)."""
    assert [(k, y, v, c if c in (MORE_THAN, LESS_THAN) else None) for k, y, v, c in _read(text)] == read


@pytest.mark.parametrize(("text", "read"), [
    ("If the pilot succeeds, the province will add 5 GW by 2028.", [("target", 2028, 5.0)]),
    ("By 2027, once the pilot ends, capacity will reach 30 GW.", [("target", 2027, 30.0)]),
    ("When completed, the project will generate 5 TWh a year.", [("target", None, 5.0)]),
])
def test_precision_a_condition_without_a_value_leaves_the_goal(text: str, read: list[tuple]) -> None:
    assert [(k, y, v) for k, y, v, _ in _read(text)] == read
