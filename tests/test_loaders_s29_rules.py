"""Session 29 loader rules: misses the session 28 note listed, then what the sixteenth blind test found. Each case
names the reading before it; the ``test_precision_*`` cases guard ordinary text each rule must leave alone.
"""
from __future__ import annotations

import pytest

from loader_helpers import LOCAL, SOURCE_LINK, extract_text, only_policy, policies_by_title
from loaders.goals import find_goals
from loaders.quantities import AT_LEAST, EXACTLY, LESS_THAN, MORE_THAN
from policykg.vocab import PKG

NATIONAL = " National Updates\n\n"
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
    # with no year, the rule's values both; under a due year, a trigger beside the goal it sets off: the goal only
    ("If a household installs rooftop PV of more than 5 kW, it will receive 0.1 yuan/kWh for 5 years.",
     [("provision", None, 5.0, MORE_THAN), ("provision", None, 0.1, None)]),
    ("When coal prices exceed 1,000 yuan per tonne, the province will cut output by 5% by 2028.",
     [("target", 2028, 5.0, None)]),
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


@pytest.mark.parametrize(("text", "read"), [
    ("When carbon prices reach 150 yuan per tonne, CCUS projects become profitable, the Plan notes.", []),
    ("By 2030, the country will have retired 30 GW of coal power and have built 100 GW of gas peaking plants.",
     [("target", 2030, 30.0), ("target", 2030, 100.0)]),
    ("By 2028, Chongqing has trained 10,000 energy auditors.", [("target", 2028, 10000.0)]),
    ("The MOF has cut subsidies by 30% for NEVs sold in 2027.", [("provision", None, 30.0)]),
    ("Installed PV will rise to 80 GW by 2028, after additions of 15 GW by the end of 2025.", [("target", 2028, 80.0)]),
    ("The goal of 3,000 stations by 2028 builds on 1,200 stations by the end of 2025.", [("target", 2028, 3000.0)]),
])
def test_precision_first_attack_guards(text: str, read: list[tuple]) -> None:
    """Readings the first precision attack found the new rules broke (a statement after a condition, a future or
    translated perfect, the policy's own act, a level compared after a goal)."""
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
    ("The Plan notes that the goal of peaking carbon emissions before 2030 has been met.", 2030, []),
    ("The Plan notes that the installed capacity of wind and solar power exceeded 2,400 GW at the end of 2029.", 2029,
     []),
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


@pytest.mark.parametrize("text", ["Storage projects must have a scale of no less than 100 MW / 200 MWh.",
                                  "By 2028, the province will build storage stations of at least 100 MW/200 MWh each."])
def test_a_bound_before_a_storage_rating_bounds_both_halves(text: str) -> None:
    """Before: the energy half was Exactly 200 MWh, with the indicator "/"."""
    got = find_goals(text, context_year=2027)
    assert [(float(g.value), g.comparator) for g in got] == [(100.0, AT_LEAST), (200.0, AT_LEAST)]
    assert got[0].indicator == got[1].indicator


def test_precision_a_rating_with_no_bound_stays_exact() -> None:
    got = find_goals("The station has a capacity of 100 MW / 200 MWh and will receive no more than 0.3 yuan/kWh.",
                     context_year=2027)
    assert [g.comparator for g in got[:2]] == [EXACTLY, EXACTLY]


@pytest.mark.parametrize("year", [2026, 2028])
def test_a_lead_in_reporting_a_documents_due_year_dates_its_bullets_in_a_later_briefing(year: int) -> None:
    """Before: in a 2028 briefing, "The Opinions propose that by 2027:" gave its bullets no year (the session 28
    note)."""
    got = find_goals("The Opinions propose that by 2027:\n\ne Installed storage capacity will exceed 30 GW.\n\n"
                     "e The share of renewables will reach 40%.\n", context_year=year)
    assert [(g.target_year, float(g.value)) for g in got] == [(2027, 30.0), (2027, 40.0)]


@pytest.mark.parametrize("text", ["The Plan proposed that by 2025, capacity reached 30 GW.",
                                  "The report requires that by 2025:\n\ne Capacity stood at 30 GW."])
def test_precision_a_past_report_under_a_past_year_stays_history(text: str) -> None:
    assert find_goals(text, context_year=2028) == []


# --- the seventeenth blind test ---

def test_a_barred_grid_under_a_lead_in_with_an_actual_column_and_multiples(tmp_path) -> None:
    """Before: no table (the lead-in is no "Table N" caption, and "2025 (actual)" no column head): no targets; and
    "(10,000 tonnes/year)", "(10,000)" were read as 30 and 20."""
    g, _, pol = only_policy(tmp_path, LOCAL + (
        "The Energy Bureau of Inner Mongolia Autonomous Region issued the Action Plan for the Hydrogen Energy Industry "
        "in Inner Mongolia Autonomous Region (2026-2028). Its main indicators are:\n\n"
        "Indicator | 2025 (actual) | 2027 | 2028\n"
        "Installed electrolyser capacity (GW) | 1.2 | 3 | 4\n"
        "Green hydrogen production capacity (10,000 tonnes/year) | 8 | 30 | 50\n"
        "Public charging points (10,000) | 11 | 20 | 30\n"))
    assert _targets(g, pol) == [(2027, 200_000.0), (2027, 300_000.0), (2027, 3e9), (2028, 300_000.0),
                                (2028, 500_000.0), (2028, 4e9)]


@pytest.mark.parametrize(("text", "year", "read"), [
    ("The first batch of 23 pilots, launched in 2023, had mobilized about 480 billion yuan by mid-2028.", 2028, []),
    ("Green loans are to grow by no less than 15% a year over the plan period.", 2028, [("target", None, 15.0)]),
    ("The county aims to build at least 20 near-zero carbon villages by 2028 and to install rooftop PV in all of its "
     "administrative villages by the end of 2029.", 2026, [("target", 2028, 20.0), ("target", 2029, None)]),
    ("The Plan further requires all newly built public buildings to meet ultra-low energy consumption standards "
     "from 2027.", 2026, [("target", 2027, 100.0)]),
    ("Enterprises will pay a surcharge of 0.1 yuan/kWh, rising to 0.3 yuan/kWh above 13,600 kWh.", 2029,
     [("provision", None, 0.1), ("provision", None, 0.3), ("provision", None, 13600.0)]),
])
def test_seventeenth_blind_test_goals_and_rules(text: str, year: int, read: list[tuple]) -> None:
    """Before, in order: two 2028 targets (23 pilots, 480 billion yuan); nothing; the 2029 goal lost; nothing; the
    second tier lost."""
    assert [(k, y, v) for k, y, v, _ in _read(text, year)] == read


@pytest.mark.parametrize(("text", "year", "read"), [
    ("The city had planned to build 300 stations by 2028.", 2028, []),
    ("The Notice requires all enterprises to report emissions from 2020.", 2026, []),
    ("The province will provide subsidies to enterprises and to households of 100 yuan per kW.", 2026,
     [("provision", None, 100.0)]),
    ("Capacity will reach 50 GW by 2030, rising to 80 GW by 2035.", 2026,
     [("target", 2030, 50.0), ("target", 2035, 80.0)]),
])
def test_precision_seventeenth_blind_test_rules_leave_these(text: str, year: int, read: list[tuple]) -> None:
    assert [(k, y, v) for k, y, v, _ in _read(text, year)] == read


def test_precision_a_goal_sentence_under_a_grid_stays_with_the_grids_policy(tmp_path) -> None:
    """The first precision attack: a one-sentence goal under a grid, over the next policy's title, was read as a
    headline (the grid's policy lost its goal, and the next policy's undated goal took its year)."""
    text = LOCAL + (
        "The Anhui Provincial People's Government issued the Work Plan for Zero-Carbon Parks in Anhui Province. Its "
        "main indicators are listed below.\n\n"
        "Table 1 Main indicators\n"
        "Indicator 2027 2030\n"
        "Installed capacity of photovoltaic power (GW) 80 110\n\n"
        "By 2030, the province will also build 20 zero-carbon industrial parks.\n\n"
        "The National Energy Administration (NEA) issued a Notice on Green Electricity in Industrial Parks. It "
        "proposes that:\n\n"
        "e The share of green electricity in park consumption will be no less than 50%.") + SOURCE_LINK
    g = extract_text(tmp_path, text).graph
    by_title = policies_by_title(g)
    grid_policy = by_title["Work Plan for Zero-Carbon Parks in Anhui Province"]
    notice = by_title["Notice on Green Electricity in Industrial Parks"]
    assert (2030, 20.0) in _targets(g, grid_policy)
    assert [(g.value(t, PKG.targetYear), float(g.value(t, PKG.value))) for t in g.objects(notice, PKG.setsTarget)] == [
        (None, 50.0)]


@pytest.mark.parametrize("title", ["Renewable Portfolio Standard (RPS)", "Energy Conservation Law (ECL)"])
def test_precision_a_title_with_an_acronym_and_no_agency_stays_a_policy(tmp_path, title: str) -> None:
    _, got, _ = only_policy(tmp_path, NATIONAL + f"The NEA issued the {title}, which requires 40% by 2030.")
    assert got == title


@pytest.mark.parametrize(("text", "read"), [
    ("Enterprises with a combined annual energy consumption of more than 50,000 tce will be included in the online "
     "monitoring system.", [("provision", None, 50000.0)]),
    ("Enterprises with a total annual energy consumption of 5,000 tce or more must submit energy audits.",
     [("provision", None, 5000.0)]),
    ("By 2028, build 12 pumped storage projects with a total capacity of 9 GW.",
     [("target", 2028, 12.0), ("target", 2028, 9e9 / 1e9)]),
    ("Firms whose emissions exceeded 26,000 tonnes in any year since 2023 must join the carbon market.",
     [("provision", None, 26000.0)]),
    ("Products rated at five stars or above will carry a green label by 2028.", [("target", 2028, 5.0)]),
    ("Appliances rated at 3 stars or below will receive no subsidy.", [("provision", None, 3.0)]),
])
def test_precision_first_attack_guards_on_totals_thresholds_and_ratings(text: str, read: list[tuple]) -> None:
    """A bounded total is a threshold; a relative clause's past is a rule's; a rating alone is the value read."""
    assert [(k, y, v) for k, y, v, _ in _read(text, 2027)] == read


def test_a_coordinated_that_clause_is_no_relative_clause() -> None:
    """", and that capacity exceeded 2,400 GW at the end of 2029" reports a statistic (the attack's relative-clause
    guard had brought the 2029 target back)."""
    got = find_goals("The Plan notes that the goal of peaking before 2030 has been met, and that the installed capacity "
                     "of wind and solar power exceeded 2,400 GW at the end of 2029.", context_year=2029)
    assert [g.value for g in got if g.value is not None] == []


def test_a_lead_in_of_a_duty_makes_its_bullets_values_goals() -> None:
    """Before: nothing ("requires green bond issuers to:" over "• Allocate no less than 70% ...": no goal words in
    the bullet itself)."""
    got = find_goals("Notice on Green Bonds requires green bond issuers to:\n\n"
                     "e Allocate no less than 70% of the proceeds to projects in the Catalogue, or 100% in the case of "
                     "carbon neutrality bonds.\n\ne Publish an annual report on the use of proceeds.\n", context_year=2026)
    assert [(float(g.value), g.comparator) for g in got] == [(70.0, AT_LEAST), (100.0, EXACTLY)]


def test_precision_a_lead_in_of_findings_passes_no_goal() -> None:
    assert find_goals("The report found that provinces had:\n\ne Installed 30 GW of storage.\n", context_year=2026) == []


@pytest.mark.parametrize(("text", "year", "read"), [
    ("The NDRC had instructed provinces to install 10 GW of new storage by 2027.", 2026, [("target", 2027, 10.0)]),
    ("Penalties are to be set at three times the excess emissions price of 100 yuan per tonne.", 2026, []),
    ("The price cap of 1.5 yuan/kWh is to be lifted.", 2026, []),
    ("The province aims to install 5 GW of storage, and to connect all of it to the grid by 2027.", 2026,
     [("target", 2027, 5.0)]),
    ("The Law no longer requires all small boilers to be registered from 2027.", 2026, []),
    ("The draft, which required all buildings to install PV from 2027, was withdrawn in 2026.", 2026, []),
    ("The Measures require all importers to declare embedded emissions from 2027 to 2030.", 2026, []),
    ("If the 30% target for 2027 is met early, the province will raise it to 35% by 2030.", 2026,
     [("target", 2027, 30.0), ("target", 2030, 35.0)]),
    ("The bulletin specifies that by the end of 2027, 3,200 stations were in operation.", 2028, []),
])
def test_precision_second_attack_guards(text: str, year: int, read: list[tuple]) -> None:
    """Readings the second precision attack found the session's rules broke (an earlier instruction's goal, passive
    "is to be", a first infinitive with no year, a negated or past requirement, a period, a goal in a condition, a
    past report)."""
    assert [(k, y, v) for k, y, v, _ in _read(text, year)] == read


def test_a_grid_record_under_a_year_column_is_a_target_whatever_its_label(tmp_path) -> None:
    """The second precision attack: "Households with ..." made the records undated provisions."""
    g, _, pol = only_policy(tmp_path, LOCAL + (
        "The Hebei Provincial People's Government issued the Action Plan for Home Charging in Hebei Province. Its "
        "main indicators are:\n\n"
        "Indicator | 2025 (actual) | 2026 (preliminary) | 2027 | 2028\n"
        "Households with home chargers (10,000) | 120 | 140 | 180 | 220\n"))
    assert _targets(g, pol) == [(2027, 1_800_000.0), (2028, 2_200_000.0)]


def test_a_grid_labels_open_bound_is_no_comparator_of_its_figures(tmp_path) -> None:
    """The second precision attack: "... rated at two stars or above (%) | 60 | 75" read "more than 75%"."""
    g, _, pol = only_policy(tmp_path, LOCAL + (
        "The Jiangsu Provincial People's Government issued the Work Plan for Green Buildings in Jiangsu Province. Its "
        "main indicators are:\n\n"
        "Indicator | 2025 (actual) | 2027 | 2028\n"
        "Share of new buildings rated at two stars or above (%) | 60 | 75 | 85\n"))
    got = sorted((int(str(g.value(t, PKG.targetYear))), float(g.value(t, PKG.value)), str(g.value(t, PKG.comparator)))
                 for t in g.objects(pol, PKG.setsTarget))
    assert got == [(2027, 75.0, str(EXACTLY)), (2028, 85.0, str(EXACTLY))]
