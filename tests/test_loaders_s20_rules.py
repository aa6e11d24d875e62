"""Session 20 loader rules, from a blind test of how quantitative targets are read:

* grams are a unit, read only as an intensity ("550 g CO2/kWh", "300 gce/kWh", "300 grams of standard coal per
  kilowatt-hour"; with no denominator, "below 300 grams of standard coal", too): the unit as written is kept and
  nothing is normalised, as for "0.035 kg CO2 per ton-kilometre" (before, "300 grams" was a count of 300 "grams",
  normalised as unit:NUM, and "550 g CO2/kWh" a count of "g CO");
* a volume over a denominator is an intensity like a mass, coal equivalent or energy ("10 cubic metres per 10,000
  yuan", "10 m³ per 10,000 yuan of industrial added value" of water; before, normalised as 10 m³ and the
  denominator read as a sum of 10,000 yuan), and litres are a volume; a vehicle's "km" / "100 km" is a denominator
  ("95 g CO2/km", "15 kWh per 100 km");
* a mass or coal equivalent "annually" / "each year" / "every year" is an annual rate as "per year" is ("save 2
  million tce annually": before, normalised as 2 million tce while "per year" was kept as a rate);
* the evaluator compares a spelled-out "kilowatt-hour" with "kWh" as one unit (a gold wrote "300 grams of standard
  coal per kWh" for a text, now kept as written, that spells "per kilowatt-hour").
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal

from loader_helpers import ccnt_page, extract_text, policies_by_title
from loaders.quantities import find_quantities
from policykg.vocab import PKG, UNIT


@pytest.mark.parametrize(("text", "unit_text", "kind"), [
    ("the carbon emission intensity of the grid below 550 g CO2/kWh", "g CO2/kWh", "mass_intensity"),
    ("coal consumption of thermal power units below 300 gce/kWh", "gce/kWh", "coal_equivalent_intensity"),
    ("300 grams of standard coal per kilowatt-hour", "grams of standard coal per kilowatt-hour",
     "coal_equivalent_intensity"),
    ("285 g of standard coal equivalent per kWh", "g of standard coal equivalent per kWh",
     "coal_equivalent_intensity"),
    ("30 grams of CO2 per kWh", "grams of CO2 per kWh", "mass_intensity"),
    ("fall below 300 grams of standard coal.", "grams of standard coal", "coal_equivalent_intensity"),
    ("new cars will emit 95 g CO2/km", "g CO2/km", "mass_intensity"),
])
def test_grams_are_an_intensity_kept_as_written(text: str, unit_text: str, kind: str) -> None:
    (q,) = find_quantities(text)  # before: a count of "grams", "gce" or "g CO", normalised as unit:NUM
    assert (q.unit_text, q.kind) == (unit_text, kind)
    assert q.normalized_value is None and q.normalized_unit is None


def test_held_a_g_glued_to_a_number_or_alone_is_no_gram() -> None:
    assert [(q.value, q.unit_text) for q in find_quantities("build 600,000 5G base stations")] == [
        (Decimal("600000"), None)]
    assert [q.kind for q in find_quantities("5 g network")] == ["count"]
    (q,) = find_quantities("35 micrograms per cubic metre")
    assert q.kind == "concentration"
    (q,) = find_quantities("no more than 2 kgce")  # a kilogram of coal equivalent is still an amount
    assert q.kind == "coal_equivalent" and q.normalized_value == 0.002


@pytest.mark.parametrize(("text", "unit_text"), [
    ("water consumption per 10,000 yuan of GDP will fall to 10 cubic metres per 10,000 yuan",
     "cubic metres per 10,000 yuan"),
    ("below 10 m³ per 10,000 yuan of industrial added value", "m³ per 10,000 yuan of industrial added value"),
    ("12 m3 per unit of industrial added value", "m3 per unit of industrial added value"),
    ("water use of thermal power below 1.5 litres per kilowatt-hour", "litres per kilowatt-hour"),
    ("fuel use of 5 L/100km", "L/100km"),
])
def test_a_volume_per_a_denominator_is_an_intensity(text: str, unit_text: str) -> None:
    qs = find_quantities(text)
    q = qs[-1]  # "per 10,000 yuan of GDP" in the subject is a sum of its own, left to the goals engine
    assert (q.unit_text, q.kind) == (unit_text, "volume_intensity")
    assert q.normalized_value is None and q.normalized_unit is None
    assert not any(x.unit_text == "yuan" for x in qs if x.start > q.start)  # the denominator is no sum


def test_a_vehicles_kilometre_is_a_denominator_and_litres_are_a_volume() -> None:
    (q,) = find_quantities("15 kWh per 100 km")
    assert (q.unit_text, q.kind, q.normalized_value) == ("kWh per 100 km", "energy_intensity", None)
    (q,) = find_quantities("a displacement of 2.0 litres or below")
    assert (q.unit_text, q.kind, q.normalized_value, q.normalized_unit) == ("litres", "volume", 0.002, UNIT.M3)


@pytest.mark.parametrize(("text", "kind", "unit_text", "normalized"), [
    ("30 billion cubic metres of natural gas", "volume", "billion cubic metres", 3e10),
    ("0.3 yuan per cubic meter", "price_per_volume", "yuan per cubic meter", None),
    ("up to 1,000 kWh per household", "energy", "kWh", 1000.0),
    ("a 3-kilometre radius of 5 km", "length", "km", 5000.0),
])
def test_held_volumes_prices_and_per_recipient_amounts(text: str, kind: str, unit_text: str,
                                                       normalized: float | None) -> None:
    q = find_quantities(text)[-1]
    assert (q.kind, q.unit_text, q.normalized_value) == (kind, unit_text, normalized)


_T_A, _TCE_A = UNIT["TONNE-PER-YR"], PKG.TonneCoalEquivalentPerYear


@pytest.mark.parametrize(("text", "kind", "unit_text", "rate"), [
    ("save 2 million tce annually", "coal_equivalent_per_year", "million tce per year", (2e6, _TCE_A)),
    ("save 2 million tce per year", "coal_equivalent_per_year", "million tce per year", (2e6, _TCE_A)),
    ("reduce 1 million tonnes of CO2 annually", "mass_per_year", "million tonnes of CO2 per year", (1e6, _T_A)),
    ("reduce 1 million tonnes of CO2 per year", "mass_per_year", "million tonnes of CO2 per year", (1e6, _T_A)),
    ("replace 3 million tonnes of standard coal each year", "coal_equivalent_per_year",
     "million tonnes of standard coal per year", (3e6, _TCE_A)),
    ("cut 5 Mt every year", "mass_per_year", "million tonnes per year", (5e6, _T_A)),
])
def test_a_mass_annually_is_an_annual_rate_like_per_year(text: str, kind: str, unit_text: str, rate: tuple) -> None:
    (q,) = find_quantities(text)  # before: "annually" / "each year" left a normalised amount of mass
    # normalised as a rate (tonnes or tce per year) since session 23, never as a mass
    assert (q.kind, q.unit_text, (q.normalized_value, q.normalized_unit)) == (kind, unit_text, rate)


def test_a_year_or_more_is_a_rate_and_a_year_ago_or_hours_annually_held() -> None:
    assert [(q.unit_text, q.kind) for q in find_quantities("coal use fell 2 Mt a year ago")] == [("Mt", "mass")]
    (q,) = find_quantities("5 Mt a year or more")
    assert (q.unit_text, q.kind, q.comparator) == ("million tonnes per year", "mass_per_year", PKG.AtLeast)
    (q,) = find_quantities("1,000 hours annually")
    assert (q.unit_text, q.kind, q.normalized_value) == ("hours per year", "time", 1000.0)


def test_gram_water_and_annual_targets_are_emitted_as_written(tmp_path: Path) -> None:
    page = ccnt_page(
        "The National Energy Administration issued the Action Plan for Clean and Efficient Coal Power\n"
        "(2024-2027). The Plan proposes that:\n\n"
        "e By 2027, the average coal consumption for power supply of coal-fired units will fall\n"
        "below 300 grams of standard coal per kilowatt-hour.\n\n"
        "e By 2027, the carbon emission intensity of the grid will be below 550 g CO2/kWh.\n\n"
        "e By 2027, water use of thermal power will be kept below 10 m³ per 10,000 yuan of industrial\n"
        "added value.\n\n"
        "e By 2027, retrofitted units will save 2 million tce annually.\n",
        1, ["http://zfxxgk.nea.gov.cn/2024-06/c_1310771072.htm"] * 2)
    ex = extract_text(tmp_path, page, name="ccnt-2024-07-02.txt")
    (pol,) = policies_by_title(ex.graph).values()
    g = ex.graph
    goals = {(str(g.value(t, PKG.targetYear)), Decimal(str(g.value(t, PKG.value))), str(g.value(t, PKG.unitText)),
              g.value(t, PKG.comparator), g.value(t, PKG.normalizedValue), g.value(t, PKG.normalizedUnit))
             for t in g.objects(pol, PKG.setsTarget)}
    assert goals == {
        ("2027", Decimal("300"), "grams of standard coal per kilowatt-hour", PKG.LessThan, None, None),
        ("2027", Decimal("550"), "g CO2/kWh", PKG.LessThan, None, None),
        ("2027", Decimal("10"), "m³ per 10,000 yuan of industrial added value", PKG.LessThan, None, None),
        ("2027", Decimal("2"), "million tce per year", PKG.Exactly, Literal(2e6), PKG.TonneCoalEquivalentPerYear),
    }


def test_the_evaluator_reads_a_spelled_out_kilowatt_hour_as_its_symbol() -> None:
    from loaders.evaluate import _unit_words

    # a gold may write "per kWh" where the text, kept as written, spells "per kilowatt-hour" (before, the two
    # matched only while "300 grams" was read as a count)
    assert _unit_words("grams of standard coal per kilowatt-hour") == _unit_words("grams of standard coal per kWh")
    assert _unit_words("billion kilowatt hours") == _unit_words("billion kWh")
    assert _unit_words("kilowatts") != _unit_words("kWh")
