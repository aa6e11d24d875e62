"""Session 19 loader rules, from a blind test on two briefings written in the tracker's layout:

* an amount followed by a denominator ("per 10,000 yuan of GDP", "per ton-kilometre", "per capita") is an
  intensity: its unit as written keeps the denominator and nothing is normalised (before, "0.37 tonnes of
  standard coal equivalent per 10,000 yuan" was normalised as 0.37 tce of energy, "0.035 kg CO2 per
  ton-kilometre" as 3.5e-5 tonnes of mass);
* a policy speaks from the year it was issued: "In 2024, ... will decrease by about 3%" of a plan issued in
  September 2024 is a 2024 goal, though the briefing is of January 2025 (before, both goals were dropped as
  history of the briefing's year).
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from loader_helpers import ccnt_page, extract_text, policies_by_title
from loaders.quantities import find_quantities
from policykg.vocab import PKG


@pytest.mark.parametrize(("text", "unit_text"), [
    ("reaching about 0.37 tonnes of standard coal equivalent per 10,000 yuan of GDP.",
     "tonnes of standard coal equivalent per 10,000 yuan of GDP"),
    ("drop below 0.035 kg CO2 per ton-kilometre.", "kg CO2 per ton-kilometre"),
    ("about 0.09 kg CO2 per\nton-kilometre by 2027", "kg CO2 per ton-kilometre"),
    ("0.5 tce per unit of GDP", "tce per unit of GDP"),
    ("1.2 tons per capita", "tons per capita"),
    ("500 tonnes/10,000 yuan", "tonnes/10,000 yuan"),
    ("20 kWh per square metre of floor area", "kWh per square metre of floor area"),
])
def test_an_amount_per_a_denominator_is_an_intensity_and_not_normalised(text: str, unit_text: str) -> None:
    (q,) = find_quantities(text)
    assert q.unit_text == unit_text and q.kind.endswith("_intensity")
    assert q.normalized_value is None and q.normalized_unit is None


@pytest.mark.parametrize(("text", "kind", "unit_text"), [
    ("60,000 tons per year", "mass_per_year", "tons per year"),
    ("1,000 tons per day", "mass_per_day", "tons per day"),
    ("53 kWh per kilogram of hydrogen", "energy_per_mass", "kWh per kilogram of hydrogen"),
    ("cut emissions by 10 million tonnes of CO2 by 2025", "mass", "million tonnes of CO2"),
    ("save 5 million tonnes per the plan of 2023", "mass", "million tonnes"),
    ("3 million tce in 2025", "coal_equivalent", "million tce"),
])
def test_held_rates_amounts_and_a_per_before_a_function_word(text: str, kind: str, unit_text: str) -> None:
    (q,) = find_quantities(text)
    assert (q.kind, q.unit_text) == (kind, unit_text)


def test_a_goal_of_the_policys_own_year_is_kept_in_a_later_briefing(tmp_path: Path) -> None:
    page = ccnt_page(
        "Zhejiang Province steps up energy conservation.\n\n"
        "The General Office of the Zhejiang Provincial People's Government issued the Implementation\n"
        "Plan for Energy Conservation and Carbon Reduction in Zhejiang Province (2024-2025). The Plan\n"
        "proposes that:\n\n"
        "e In 2024, the energy consumption per unit of GDP will decrease by about 3%, reaching\n"
        "about 0.37 tonnes of standard coal equivalent per 10,000 yuan of GDP.\n\n"
        "e By 2025, the share of non-fossil energy consumption will reach 24%.\n",
        1, ["https://www.zj.gov.cn/art/2024/9/2/art_1229017139_2529746.html"] * 2)
    ex = extract_text(tmp_path, page, name="ccnt-2025-01-02.txt")
    (pol,) = policies_by_title(ex.graph).values()
    goals = {(str(ex.graph.value(t, PKG.targetYear)), Decimal(str(ex.graph.value(t, PKG.value))),
              str(ex.graph.value(t, PKG.unitText))) for t in ex.graph.objects(pol, PKG.setsTarget)}
    assert ("2024", Decimal("3"), "%") in goals
    assert ("2024", Decimal("0.37"), "tonnes of standard coal equivalent per 10,000 yuan of GDP") in goals
    assert ("2025", Decimal("24"), "%") in goals


def test_held_a_year_before_the_policys_own_is_history(tmp_path: Path) -> None:
    page = ccnt_page(
        "The National Energy Administration issued the Notice on Wind Power Development in 2025. In 2023,\n"
        "the installed capacity of wind power reached 400 million kilowatts, and by 2025 it will exceed\n"
        "500 million kilowatts.\n",
        1, ["http://zfxxgk.nea.gov.cn/2025-02/c_1310771072.htm"] * 2)
    ex = extract_text(tmp_path, page, name="ccnt-2025-03-04.txt")
    (pol,) = policies_by_title(ex.graph).values()
    years = {str(ex.graph.value(t, PKG.targetYear)) for t in ex.graph.objects(pol, PKG.setsTarget)}
    assert years == {"2025"}


@pytest.mark.parametrize(("text", "unit_text", "watts_or_yuan"), [
    ("install 600 10,000 kilowatts of solar", "10,000 kilowatts", 6e9),  # 600万千瓦, word for word
    ("reach 1,200 10,000 kW by 2025", "10,000 kW", 1.2e10),
    ("a fund of 30 10,000 yuan", "10,000 yuan", 3e5),
])
def test_a_power_of_ten_in_digits_between_number_and_unit_multiplies(text: str, unit_text: str,
                                                                       watts_or_yuan: float) -> None:
    (q,) = find_quantities(text)  # before: two quantities, 600 (a bare count) and 10,000 kW
    assert q.unit_text == unit_text and q.normalized_value == watts_or_yuan


def test_held_a_year_or_a_count_before_a_number_is_no_multiple() -> None:
    assert [(q.value, q.unit_text) for q in find_quantities("in 2025 10,000 kilowatts")] == [
        (Decimal("10000"), "kilowatts")]
    assert [q.value for q in find_quantities("5 10,000 people")] == [Decimal("5"), Decimal("10000")]


def test_a_hyphenated_length_before_a_noun_is_a_compound_adjective() -> None:
    from loaders.goals import find_goals

    assert find_quantities('A "3-kilometre charging service circle" will be achieved') == []
    assert find_quantities("a 5-km radius") == []
    (q,) = find_quantities("add 2,000-kilometre of lines")
    assert q.unit_text == "kilometre"
    (g,) = find_goals('By 2027, a "3-kilometre charging service circle" will be achieved in rural areas.',
                      context_year=2025)
    assert (g.kind, g.target_year, g.value) == ("target", 2027, None)  # before: a 3,000 m target
