"""Session 26 loader rules, from the misses the session 25 note listed (old and new code alike):

* "From 2020, carbon intensity will drop by 18% by 2025": the opening year is the baseline of a change dated later
  in the clause (before: a goal due in 2020 whose indicator was the whole sentence);
* a year phrase with "starting", "beginning" or "effective" is no indicator ("Starting in 2026, carbon intensity
  ...": before, "Starting carbon intensity"), nor is a fronted "Under the plan, ..." (before, "Under the plan,
  coal consumption");
* baseline values in a list ("up from 18% and 12% respectively in 2020") are the baselines of the goals before
  them (before: targets, one of them due in 2020, and the goals had no baseline year);
* "capped at" with a year of its own is a dated goal with an upper bound ("coal consumption will be capped at 280
  million tonnes by 2025"; before: an undated provision); without one it stays a rule;
* a sum of money set aside or spent names its use after "in" ("earmark up to 1.5 billion yuan in fiscal support
  for hydrogen projects"; before: the words before a blanked-out title, "Jiangsu ... issued the , which earmark");
* a relative clause with a preposition after a blanked-out title ("issued the <title>, under which coal
  consumption will be capped ...") has its own subject.
"""
from __future__ import annotations

import pytest

from loader_helpers import extract_text, policies_by_title
from loaders.goals import find_goals
from policykg.vocab import PKG

URL = "\n\n\nhttp://www.example.gov.cn/zwgk/202403/t20240304_112233.html\n"
LOCAL = " Subnational Updates\n\n"


def _one(tmp_path, text: str):
    g = extract_text(tmp_path, text + URL).graph
    ((title, pol),) = policies_by_title(g).items()
    return g, title, pol


def _read(text: str) -> list[tuple]:
    return [(g.kind, g.target_year, int(g.value), g.indicator, g.baseline_year)
            for g in find_goals(text, context_year=2024)]


@pytest.mark.parametrize(("text", "expected"), [
    ("From 2020, carbon intensity will drop by 18% by 2025.", [("target", 2025, 18, "carbon intensity", 2020)]),
    ("From 2021, energy use per unit of GDP will fall by about 13.5% by the end of 2025.",
     [("target", 2025, 13, "energy use per unit of GDP", 2021)]),
])
def test_from_a_year_before_a_later_due_year_is_the_baseline_of_a_change(text: str, expected: list[tuple]) -> None:
    assert [(k, y, v, i, b) for k, y, v, i, b in _read(text)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # no change: the opening year is the start of a level (no baseline)
    ("From 2026, the share of green power will rise to 30% by 2030.",
     [("target", 2030, 30, "share of green power", None)]),
    # no later year: the opening year dates the goal (session 25)
    ("From 2026, the share of new energy buses will be no less than 80%.",
     [("target", 2026, 80, "share of new energy buses", None)]),
    # after its value "from" is a baseline, as before
    ("Emissions will fall by 8% from 2024 by 2027.", [("target", 2027, 8, "Emissions", 2024)]),
])
def test_from_a_year_without_a_later_change_is_no_baseline(text: str, expected: list[tuple]) -> None:
    assert _read(text) == expected


@pytest.mark.parametrize(("text", "indicator"), [
    ("Starting in 2026, carbon intensity will drop by 18% by 2030.", "carbon intensity"),
    ("Effective from 2027, methane emissions will fall by 5% by 2030.", "methane emissions"),
    ("Under the plan, coal consumption will be capped at 280 million tonnes by 2025.", "coal consumption"),
])
def test_a_fronted_time_or_frame_is_no_indicator(text: str, indicator: str) -> None:
    (goal,) = find_goals(text, context_year=2024)
    assert goal.indicator == indicator


@pytest.mark.parametrize("text", [
    "By 2025, the shares of coal and gas will reach 25% and 20% respectively, up from 18% and 12% respectively in "
    "2020.",
    "By 2025, the shares of coal and gas will reach 25% and 20% respectively, up from 18% and 12% in 2020.",
])
def test_a_list_of_baseline_values_is_no_target(text: str) -> None:
    assert [(k, y, v, b) for k, y, v, _, b in _read(text)] == [("target", 2025, 25, 2020), ("target", 2025, 20, 2020)]


def test_a_listed_value_with_its_own_year_stays_a_goal() -> None:
    """A value after a baseline value and ", and" with a year of its own is a goal, not a second baseline value."""
    assert [(y, v) for _, y, v, _, _ in _read("By 2025, the share will reach 25%, up from 18%, and 30% by 2030.")] \
        == [(2025, 25), (2030, 30)]


@pytest.mark.parametrize(("text", "kind", "year"), [
    ("Coal consumption will be capped at 280 million tonnes by 2025.", "target", 2025),
    ("By 2027, total energy consumption will be capped at 500 million tce.", "target", 2027),
    ("Subsidies per project are capped at 5 million yuan.", "provision", None),
    ("Annual allowances for each firm are capped at 10,000 tonnes.", "provision", None),
])
def test_capped_at_is_a_rule_only_without_a_year(text: str, kind: str, year: int | None) -> None:
    (goal,) = find_goals(text, context_year=2024)
    assert (goal.kind, goal.target_year, goal.comparator.rsplit("#", 1)[1]) == (kind, year, "AtMost")


@pytest.mark.parametrize(("text", "indicator"), [
    ("The department will earmark up to 1.5 billion yuan in fiscal support for hydrogen projects by 2027.",
     "fiscal support for hydrogen projects"),
    ("The province will invest 2 billion yuan in grid upgrades by 2026.", "grid upgrades"),
    # no use after "in": a year, a place, the province
    ("By 2026, the province will invest 2 billion yuan in 2026.", "province"),
    ("By 2025, green loans will exceed 500 billion yuan in the province.", "green loans"),
])
def test_money_set_aside_names_its_use_after_in(text: str, indicator: str) -> None:
    (goal,) = find_goals(text, context_year=2024)
    assert goal.indicator == indicator


@pytest.mark.parametrize(("sentence", "indicator", "kind"), [
    ("which earmark up to 1.5 billion yuan in fiscal support for hydrogen projects by 2027.",
     "fiscal support for hydrogen projects", PKG.setsTarget),
    ("under which coal consumption will be capped at 280 million tonnes by 2025.", "coal consumption", PKG.setsTarget),
])
def test_a_clause_after_a_blanked_title_names_its_own_indicator(tmp_path, sentence: str, indicator: str,
                                                                 kind) -> None:
    g, title, pol = _one(tmp_path, LOCAL + "The Hebei Provincial Development and Reform Commission issued the "
                         f"Plan for Controlling Coal Consumption, {sentence}")
    assert title == "Plan for Controlling Coal Consumption"
    (goal,) = g.objects(pol, kind)
    assert str(g.value(goal, PKG.indicator)) == indicator
