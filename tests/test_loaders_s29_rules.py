"""Session 29 loader rules: misses the session 28 note listed, then what the sixteenth blind test found. Each case
names the reading before it; the ``test_precision_*`` cases guard ordinary text each rule must leave alone.
"""
from __future__ import annotations

import pytest

from loader_helpers import SOURCE_LINK, extract_text, only_policy, policies_by_title
from loaders.goals import find_goals
from loaders.quantities import AT_LEAST, LESS_THAN, MORE_THAN
from policykg.vocab import PKG

NATIONAL = " National Updates\n\n"
LOCAL = " Subnational Updates\n\n"


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


# --- the sixteenth blind test ---

def _targets(g, pol) -> list[tuple]:
    return sorted((int(str(g.value(t, PKG.targetYear))), float(g.value(t, PKG.normalizedValue)))
                  for t in g.objects(pol, PKG.setsTarget))


def test_a_grid_with_a_base_year_column_note_and_a_counted_multiple(tmp_path) -> None:
    """Before: no targets (the header's "2025 (base year)" made no grid), and "(10,000 units)" was read as 150."""
    g, _, pol = only_policy(tmp_path, LOCAL + (
        "The Guangdong Provincial People's Government issued the Work Plan for the Dual Control of Carbon Emissions "
        "in Guangdong Province. Its main indicators are listed below.\n\n"
        "Table 1 Main indicators for the dual control of carbon emissions\n"
        "Indicator 2025 (base year) 2027 2030\n"
        "Reduction in CO2 emissions per unit of GDP compared with 2025 (%) - 7 17\n"
        "Installed capacity of photovoltaic power (GW) 58 80 110\n"
        "Public charging infrastructure (10,000 units) 95 150 250\n"))
    assert _targets(g, pol) == [(2027, 7.0), (2027, 1_500_000.0), (2027, 80e9), (2030, 17.0), (2030, 2_500_000.0),
                                (2030, 110e9)]


def test_a_base_year_note_keeps_its_column_out_in_any_briefing_year(tmp_path) -> None:
    """The noted column holds no targets even when no briefing year tells that it is past (a file name without a
    date): before, the grid was no grid at all."""
    g, _, pol = only_policy(tmp_path, LOCAL + (
        "The Fujian Provincial People's Government issued the Implementation Plan for the Ecological Pilot Zone, "
        "with the following main targets:\n\n"
        "Table 1 Main targets\n"
        "Indicator Unit 2029 (actual) 2032 2035\n"
        "Forest coverage rate % 67.0 67.2 67.5\n"
        "Installed capacity of offshore wind power 10,000 kW 980 1,800 3,000\n"
        "Share of days with good air quality in cities % 99.0 ≥99 ≥99\n"))
    assert _targets(g, pol) == [(2032, 67.2), (2032, 99.0), (2032, 18e9), (2035, 67.5), (2035, 99.0), (2035, 30e9)]


@pytest.mark.parametrize("head", ["Indicator 2025 (projected) 2027 2030", "Indicator 2025 2027 (base year) 2030"])
def test_precision_a_note_of_no_past_leaves_its_column_or_drops_only_its_own(tmp_path, head: str) -> None:
    g, _, pol = only_policy(tmp_path, LOCAL + (
        "The Anhui Provincial People's Government issued the Work Plan for Solar Power in Anhui Province. Its main "
        "indicators are listed below.\n\n"
        "Table 1 Main indicators\n" + head + "\n"
        "Installed capacity of photovoltaic power (GW) 58 80 110\n"))
    kept = {"Indicator 2025 (projected) 2027 2030": [(2027, 80e9), (2030, 110e9)],
            "Indicator 2025 2027 (base year) 2030": [(2030, 110e9)]}[head]
    # (a file name with no date: the bare 2025 column is no base column by the briefing's year)
    assert [t for t in _targets(g, pol) if t[0] != 2025] == kept


def test_a_headline_under_a_grid_over_the_next_title_is_no_text_of_the_grids_policy(tmp_path) -> None:
    """Before: the headline went on with the policy above (the grid's), and the next policy took the earlier group
    headline's year (2030) for its undated goal."""
    text = LOCAL + (
        "Zhejiang targets 25 GW of offshore wind by 2030; Guangdong sets a cap on emissions.\n\n"
        "The Guangdong Provincial People's Government issued the Work Plan for the Dual Control of Carbon Emissions "
        "in Guangdong Province. Its main indicators are listed below.\n\n"
        "Table 1 Main indicators\n"
        "Indicator 2027 2030\n"
        "Installed capacity of photovoltaic power (GW) 80 110\n\n"
        "The national government backs a clean energy base in southern Xinjiang.\n\n"
        "The National Energy Administration (NEA) issued a Notice on Supporting Wind and Solar Power Bases in "
        "Southern Xinjiang. It proposes that:\n\n"
        "e Once the supporting line is in operation, the share of renewable electricity in the power it transmits "
        "will be no less than 50%.") + SOURCE_LINK
    g = extract_text(tmp_path, text).graph
    pol = policies_by_title(g)["Notice on Supporting Wind and Solar Power Bases in Southern Xinjiang"]
    assert [(g.value(t, PKG.targetYear), float(g.value(t, PKG.value))) for t in g.objects(pol, PKG.setsTarget)] == [
        (None, 50.0)]


def test_a_headline_naming_an_agency_with_a_genre_word_is_no_policy(tmp_path) -> None:
    """Before: a policy titled "Ministry of ... and the State Administration for Market Regulation (SAMR)"."""
    g = extract_text(tmp_path, NATIONAL + (
        "The Ministry of Industry and Information Technology (MIIT) and the State Administration for Market "
        "Regulation (SAMR) issued two documents to lift the energy efficiency of industrial equipment.\n\n"
        "Implementation Plan for Upgrading the Energy Efficiency of Industrial Motors sets out a three-year "
        "campaign.") + SOURCE_LINK).graph
    assert set(policies_by_title(g)) == {"Implementation Plan for Upgrading the Energy Efficiency of Industrial Motors"}


@pytest.mark.parametrize("title", ["Interim Regulations (Trial)", "Management Measures (Trial)"])
def test_precision_a_bracketed_word_after_a_genre_word_stays_in_the_title(tmp_path, title: str) -> None:
    _, got, _ = only_policy(tmp_path, NATIONAL + f"The NEA issued the {title} to regulate storage.")
    assert got == title


@pytest.mark.parametrize(("text", "read"), [
    # a total of the things is the goal's amount, no eligibility
    ("During the 15th Five-Year Plan period, deep-sea demonstration projects with a total capacity of 3-5 GW will "
     "be started.", [("target", 2030, 3.0, AT_LEAST)]),
    # the things a rule binds, with what it asks of them
    ("Hydropower stations with an installed capacity of 50 MW or more shall release an ecological flow of no less "
     "than 10% of the river's average annual natural flow.", [("provision", None, 50.0, AT_LEAST),
                                                                ("provision", None, 10.0, AT_LEAST)]),
    # a grade the things are rated at
    ("By 2028, buildings rated at three stars or above will account for 30% of new buildings.",
     [("target", 2028, 30.0, None)]),
])
def test_sixteenth_blind_test_scopes_totals_and_rules(text: str, read: list[tuple]) -> None:
    """Before: a provision of 3 GW with no year; a goal of 10% with no year (no 50 MW); a target of 3 stars."""
    assert [(k, y, v, c if c == AT_LEAST else None) for k, y, v, c in _read(text, 2027)] == read


@pytest.mark.parametrize(("text", "year", "read"), [
    ("The Plan notes that the goal of peaking carbon emissions before 2030 has been met, and that the installed "
     "capacity of wind and solar power exceeded 2,400 GW at the end of 2029.", 2029, []),
    ("Sales exceeded 5 million vehicles in 2028 and will reach 8 million by 2030.", 2029, [("target", 2030, 8.0)]),
])
def test_what_was_exceeded_or_met_is_no_goal(text: str, year: int, read: list[tuple]) -> None:
    """Before: a 2029 target of more than 2,400 GW (read from a plan issued in 2029), and a qualitative 2030 goal."""
    assert [(k, y, v) for k, y, v, _ in _read(text, year)] == read


@pytest.mark.parametrize(("text", "read"), [
    ("By 2030, capacity will have exceeded 2,400 GW.", [("target", 2030, 2400.0)]),
    ("Capacity should exceed 2,400 GW by 2030.", [("target", 2030, 2400.0)]),
    ("By 2030, the goals of the plan will have been met.", [("target", 2030, None)]),
])
def test_precision_what_will_be_exceeded_or_met_is_a_goal(text: str, read: list[tuple]) -> None:
    assert [(k, y, v) for k, y, v, _ in _read(text, 2029)] == read
