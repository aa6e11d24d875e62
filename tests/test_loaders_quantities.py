"""Tests of loaders.quantities: the quantity grammar and the pint registry extension."""

from __future__ import annotations

import math
from decimal import Decimal

import pint
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import loaders.quantities as lq
from loaders.quantities import (APPROXIMATELY, AT_LEAST, AT_MOST, LESS_THAN, MORE_THAN, comparator_for,
                                find_quantities, parse_number, parse_quantity, unit_registry)
from policykg.vocab import CUR, PKG, UNIT


def test_all_is_complete():
    public = {n for n in dir(lq) if not n.startswith("_") and getattr(getattr(lq, n), "__module__", None) == lq.__name__}
    assert public <= set(lq.__all__)
    assert all(hasattr(lq, n) for n in lq.__all__)


# ---------------------------------------------------------------------------
# the registry extension (library-pitfalls.md: pp, ton, tce, currencies)
# ---------------------------------------------------------------------------

def test_registry_extension_units():
    ureg = unit_registry()
    assert ureg.Quantity(2.5, "trillion * RMB").to("yuan").magnitude == pytest.approx(2.5e12)
    assert ureg.Quantity(3, "yi * CNY").to("yuan").magnitude == pytest.approx(3e8)
    assert ureg.Quantity(500, "wan * kilowatt").to("watt").magnitude == pytest.approx(5e9)
    assert ureg.Quantity(1, "tce").dimensionality == ureg.Quantity(1, "tonne_coal_equivalent").dimensionality
    assert ureg.Quantity(15, "mu").to("m**2").magnitude == pytest.approx(10000)
    with pytest.raises(pint.DimensionalityError):
        ureg.Quantity(1, "percentage_point").to("percent")
    with pytest.raises(pint.DimensionalityError):
        ureg.Quantity(1, "yuan").to("item")


def test_ton_is_the_metric_tonne_and_pp_is_a_percentage_point():
    # pint's own "ton" is the short ton and "pp" a printer's point; the grammar never uses them
    assert parse_quantity("1 ton").normalized_value == 1.0
    assert parse_quantity("1 ton").normalized_unit == UNIT.TONNE
    q = parse_quantity("2 pp")
    assert (q.normalized_value, q.normalized_unit) == (2.0, PKG.PercentagePoint)


# ---------------------------------------------------------------------------
# unit phrases
# ---------------------------------------------------------------------------

CASES = [
    # text, value, unit_text, normalized value, normalized unit
    ("500 million kilowatts", "500", "million kilowatts", 5.0e11, UNIT.W),
    ("500\nmillion kilowatts", "500", "million kilowatts", 5.0e11, UNIT.W),
    ("10,000 kW", "10000", "kW", 1.0e7, UNIT.W),
    ("400MW", "400", "MW", 4.0e8, UNIT.W),
    ("20 megawatts", "20", "megawatts", 2.0e7, UNIT.W),
    ("1.5 GW", "1.5", "GW", 1.5e9, UNIT.W),
    ("75 watts", "75", "watts", 75.0, UNIT.W),
    ("3000万千瓦", "3000", "万千瓦", 3.0e10, UNIT.W),
    ("2 kWh", "2", "kWh", 2.0, UNIT["KiloW-HR"]),
    ("40 MWh", "40", "MWh", 4.0e4, UNIT["KiloW-HR"]),
    ("3.2 GWh", "3.2", "GWh", 3.2e6, UNIT["KiloW-HR"]),
    ("1 TWh", "1", "TWh", 1.0e9, UNIT["KiloW-HR"]),
    ("600 billion kilowatt-hours", "600", "billion kilowatt-hours", 6.0e11, UNIT["KiloW-HR"]),
    ("2.5亿千瓦时", "2.5", "亿千瓦时", 2.5e8, UNIT["KiloW-HR"]),
    ("5 million tonnes", "5", "million tonnes", 5.0e6, UNIT.TONNE),
    ("12 tons of CO2", "12", "tons of CO2", 12.0, UNIT.TONNE),
    ("1.2 million tons of standard coal", "1.2", "million tons of standard coal", 1.2e6, PKG.TonneCoalEquivalent),
    ("30 Mtce", "30", "Mtce", 3.0e7, PKG.TonneCoalEquivalent),
    ("5万吨标准煤", "5", "万吨标准煤", 5.0e4, PKG.TonneCoalEquivalent),
    ("2.5 trillion RMB", "2.5", "trillion RMB", 2.5e12, CUR.CNY),
    ("100 million RMB", "100", "million RMB", 1.0e8, CUR.CNY),
    ("3,000 yuan", "3000", "yuan", 3.0e3, CUR.CNY),
    ("45 thousand yuan", "45", "thousand yuan", 4.5e4, CUR.CNY),
    ("RMB 3 billion", "3", "RMB billion", 3.0e9, CUR.CNY),
    ("8 billion CNY", "8", "billion CNY", 8.0e9, CUR.CNY),
    ("30亿元", "30", "亿元", 3.0e9, CUR.CNY),
    ("200万元", "200", "万元", 2.0e6, CUR.CNY),
    ("20 million square meters", "20", "million square meters", 2.0e7, UNIT.M2),
    ("20 million square metres", "20", "million square metres", 2.0e7, UNIT.M2),
    ("500 m²", "500", "m²", 500.0, UNIT.M2),
    ("3 square kilometres", "3", "square kilometres", 3.0e6, UNIT.M2),
    ("96%", "96", "%", 96.0, UNIT.PERCENT),
    ("13.5 percent", "13.5", "percent", 13.5, UNIT.PERCENT),
    ("10 percentage points", "10", "percentage points", 10.0, PKG.PercentagePoint),
    ("3个百分点", "3", "个百分点", 3.0, PKG.PercentagePoint),
    ("1,200 yuan/ton of standard coal", "1200", "yuan/ton of standard coal", 1200.0, PKG.CNYPerTonneCoalEquivalent),
    ("800 yuan per tonne of standard coal equivalent", "800", "yuan per tonne of standard coal equivalent", 800.0,
     PKG.CNYPerTonneCoalEquivalent),
    ("0.35 yuan/kWh", "0.35", "yuan/kWh", 0.35, PKG.CNYPerKiloWattHour),
    ("70 counties", "70", "counties", 70.0, UNIT.NUM),
    ("3 million units", "3", "million units", 3.0e6, UNIT.NUM),
    ("10 million units (sets)", "10", "million units (sets)", 1.0e7, UNIT.NUM),
    ("12 million charging piles", "12", "million charging piles", 1.2e7, UNIT.NUM),
    ("12 million (charging piles)", "12", "million (charging piles)", 1.2e7, UNIT.NUM),
    ("800,000", "800000", None, 8.0e5, UNIT.NUM),
    ("4 million", "4", "million", 4.0e6, UNIT.NUM),
    ("five demonstration zones", "5", "demonstration zones", 5.0, UNIT.NUM),
    ("twenty-five projects", "25", "projects", 25.0, UNIT.NUM),
    ("a million vehicles", "1", "million vehicles", 1.0e6, UNIT.NUM),
    ("two hundred and fifty stations", "250", "stations", 250.0, UNIT.NUM),
    ("500 charging stations", "500", "charging stations", 500.0, UNIT.NUM),
    ("30 local, corporate, or group standards", "30", "local, corporate, or group standards", 30.0, UNIT.NUM),
    ("500 kV", "500", "kV", 5.0e5, UNIT.V),
    ("1.5°C", "1.5", "°C", 1.5, UNIT.DEG_C),
    ("3 Gt", "3", "Gt", 3.0e9, UNIT.TONNE),
    ("20 yuan per kilogram", "20", "yuan per kilogram", 2.0e4, PKG.CNYPerTonne),
    ("150 million mu", "150", "million mu", 1.0e11, UNIT.M2),
    ("RMB 0.03/kWh", "0.03", "RMB/kWh", 0.03, PKG.CNYPerKiloWattHour),
    ("1 yuan per watt", "1", "yuan per watt", 1000.0, PKG.CNYPerKiloWatt),
    ("50,000 new energy vehicles", "50000", "new energy vehicles", 5.0e4, UNIT.NUM),
    ("0.8 yuan/m2", "0.8", "yuan/m2", 0.8, PKG.CNYPerSquareMetre),
    ("20 billion cubic meters", "20", "billion cubic meters", 2.0e10, UNIT.M3),
]


@pytest.mark.parametrize("text,value,unit_text,nv,nu", CASES, ids=[c[0] for c in CASES])
def test_unit_phrases(text, value, unit_text, nv, nu):
    q = parse_quantity(text)
    assert q is not None, text
    assert q.value == Decimal(value)
    assert q.unit_text == unit_text
    assert q.normalized_unit == nu
    assert math.isclose(q.normalized_value, nv, rel_tol=1e-9)


@pytest.mark.parametrize("text", [
    "2025", "by 2030", "the 14th Five-Year Plan", "14™ Five-Year Plan", "CO2", "PM2.5", "five years",
    "2 times", "No. 5", "Article 12", "April 2", "2024-2026", "2:1", "one of them", "Grade 3", "first",
    "several", "billions", "", "  ", "near-zero", "10 working days", "4-hour storage", "2024.03.12",
    "2024-04-02", "GB 30252-2013", "2024年3月",
])
def test_not_quantities(text):
    assert parse_quantity(text) is None


def test_other_currencies_are_kept_but_never_normalised_to_cny():
    for text in ("USD 5 billion", "$3 million", "1 billion US dollars", "€4 billion"):
        q = parse_quantity(text)
        assert q is not None and q.kind == "currency_other", text
        assert (q.normalized_value, q.normalized_unit, q.as_pint()) == (None, None, None), text
    assert parse_quantity("¥30 billion").normalized_unit == CUR.CNY


def test_slash_pairs_and_urls():
    qs = find_quantities("a 30 GW/60 GWh storage base, https://www.gov.cn/zhengce/202404/content_6945700.htm, x/2024")
    assert [(q.normalized_value, q.normalized_unit) for q in qs] == [(3.0e10, UNIT.W), (6.0e7, UNIT["KiloW-HR"])]


def test_compound_adjective_with_unit():
    q = find_quantities("a 20-megawatt wind farm")[0]
    assert (q.normalized_value, q.normalized_unit) == (2.0e7, UNIT.W)


def test_ranges():
    q = parse_quantity("10–15%")
    assert (q.lower_value, q.upper_value, q.normalized_unit) == (Decimal(10), Decimal(15), UNIT.PERCENT)
    q = parse_quantity("five to eight projects")
    assert (q.lower_value, q.upper_value, q.noun) == (Decimal(5), Decimal(8), "projects")
    q = parse_quantity("between 3 and 4 GW")
    assert (q.lower_value, q.upper_value, q.normalized_value) == (Decimal(3), Decimal(4), 3.0e9)
    # "from 20% to 30%" is a change, not a range
    assert [x.value for x in find_quantities("increase from 20% to 30%")] == [Decimal(20), Decimal(30)]


# ---------------------------------------------------------------------------
# comparators
# ---------------------------------------------------------------------------

COMPARATORS = [
    ("more than 10 percentage points", MORE_THAN), ("over 80 million kilowatts", MORE_THAN),
    ("exceed 5%", MORE_THAN), ("above 50%", MORE_THAN), ("higher than 30%", MORE_THAN),
    ("no less than 55%", AT_LEAST), ("at least 80%", AT_LEAST), ("not less than 200,000", AT_LEAST),
    ("should not be less than 200,000", AT_LEAST), ("50 GW or more", AT_LEAST), ("a minimum of 3 GW", AT_LEAST),
    ("not exceed 100 million RMB", AT_MOST), ("no more than 5%", AT_MOST), ("up to 45 million RMB", AT_MOST),
    ("cannot exceed 5%", AT_MOST), ("not exceeding 20 megawatts", AT_MOST), ("within 5%", AT_MOST),
    ("at most 3 projects", AT_MOST), ("less than 2%", LESS_THAN), ("below 1.5%", LESS_THAN),
    ("not below 60%", AT_LEAST), ("about 12 million charging piles", APPROXIMATELY),
    ("approximately 500 MW", APPROXIMATELY), ("around 1,000 products", APPROXIMATELY),
    ("nearly 40%", APPROXIMATELY), ("超过30%", MORE_THAN), ("不低于50%", AT_LEAST), ("3000万千瓦以上", AT_LEAST),
]


@pytest.mark.parametrize("text,comparator", COMPARATORS, ids=[c[0] for c in COMPARATORS])
def test_comparators(text, comparator):
    q = parse_quantity(text)
    assert q is not None and q.comparator == comparator


def test_negation_reaches_back_within_the_clause():
    text = "neither shall the reward amount exceed 25% of the cost nor shall the reward add up to over 30 million RMB"
    qs = find_quantities(text)
    assert [q.comparator for q in qs] == [AT_MOST, AT_MOST]
    # a negation in another clause does not leak
    qs = find_quantities("It does not apply to imports, and output will exceed 5%")
    assert qs[0].comparator == MORE_THAN


def test_comparator_is_adjacent_only():
    # "exceeded the target" is far from "10%": no comparator
    text = "counties that have exceeded the target will be given a reward in accordance with 10% of the standard"
    assert find_quantities(text)[0].comparator is None
    assert comparator_for("the share will reach 8%", 21, 23) == (None, None)


def test_offsets_and_text():
    text = "By 2025, about 12 million charging piles and 500\nmillion kilowatts; see https://x.cn/2024/5."
    qs = find_quantities(text)
    for q in qs:
        assert text[q.start:q.end] == q.text
    assert [q.value for q in qs][:2] == [Decimal(12), Decimal(500)]
    assert qs[0].comparator_start == text.index("about")


def test_parse_number():
    assert parse_number("1,200") == Decimal(1200)
    assert parse_number("2.5") == Decimal("2.5")
    assert parse_number("ninety-nine") == Decimal(99)
    assert parse_number("three hundred") == Decimal(300)
    assert parse_number("lots") is None


def test_as_pint_keeps_the_unit_as_written():
    q = parse_quantity("2.5 trillion RMB")
    assert q.as_pint().to("yuan").magnitude == pytest.approx(2.5e12)


# ---------------------------------------------------------------------------
# property tests: render value + unit + comparator, parse back
# ---------------------------------------------------------------------------

UNITS = [  # phrase, factor to the normalised unit, normalised unit
    ("MW", 1e6, UNIT.W), ("GW", 1e9, UNIT.W), ("kilowatts", 1e3, UNIT.W), ("megawatts", 1e6, UNIT.W),
    ("kWh", 1.0, UNIT["KiloW-HR"]), ("TWh", 1e9, UNIT["KiloW-HR"]), ("tonnes", 1.0, UNIT.TONNE),
    ("tons of standard coal", 1.0, PKG.TonneCoalEquivalent), ("yuan", 1.0, CUR.CNY), ("RMB", 1.0, CUR.CNY),
    ("square meters", 1.0, UNIT.M2), ("square metres", 1.0, UNIT.M2), ("%", 1.0, UNIT.PERCENT),
    ("percent", 1.0, UNIT.PERCENT), ("percentage points", 1.0, PKG.PercentagePoint),
    ("yuan/ton of standard coal", 1.0, PKG.CNYPerTonneCoalEquivalent), ("charging piles", 1.0, UNIT.NUM),
    ("vehicles", 1.0, UNIT.NUM), ("counties", 1.0, UNIT.NUM), ("products", 1.0, UNIT.NUM),
    ("businesses", 1.0, UNIT.NUM), ("branches", 1.0, UNIT.NUM),
]
MAGS = [("", 1.0), ("thousand", 1e3), ("million", 1e6), ("billion", 1e9), ("trillion", 1e12)]
COMPS = [("", None), ("more than", MORE_THAN), ("over", MORE_THAN), ("exceeding", MORE_THAN),
         ("above", MORE_THAN), ("at least", AT_LEAST), ("no less than", AT_LEAST), ("not less than", AT_LEAST),
         ("up to", AT_MOST), ("no more than", AT_MOST), ("not exceeding", AT_MOST), ("less than", LESS_THAN),
         ("below", LESS_THAN), ("about", APPROXIMATELY), ("approximately", APPROXIMATELY),
         ("around", APPROXIMATELY)]

values = st.one_of(
    st.integers(min_value=1, max_value=9_999_999).map(lambda v: (f"{v:,}", Decimal(v))),
    st.decimals(min_value=Decimal("0.1"), max_value=Decimal("9999.99"), places=2).filter(
        lambda d: d == d.normalize() or True).map(lambda d: (f"{d:f}", d)),
)


@settings(max_examples=300, deadline=None)
@given(values, st.sampled_from(MAGS), st.sampled_from(UNITS), st.sampled_from(COMPS), st.booleans())
def test_rendered_phrases_parse_back(v, mag, unit, comp, newline):
    (num_text, value), (mag_text, mag_factor), (unit_text, factor, iri), (comp_text, comp_iri) = v, mag, unit, comp
    sep = "\n" if newline else " "
    parts = [p for p in (comp_text, num_text, mag_text, unit_text) if p]
    text = sep.join(parts) if unit_text != "%" or mag_text else sep.join(parts[:-1]) + "%"
    q = parse_quantity(text)
    assert q is not None, text
    assert q.value == value, text
    assert q.comparator == comp_iri, text
    assert q.normalized_unit == iri, text
    assert math.isclose(q.normalized_value, float(value) * mag_factor * factor, rel_tol=1e-9), text


@settings(max_examples=200, deadline=None)
@given(values, st.sampled_from(UNITS), st.sampled_from(COMPS), st.text(max_size=40))
def test_phrases_are_found_inside_sentences(v, unit, comp, noise):
    (num_text, value), (unit_text, _, iri), (comp_text, comp_iri) = v, unit, comp
    noise = "".join(c for c in noise if c.isalpha() and c.isascii() or c == " ")
    # a negator among the subject's words ("the A nor will be more than ...") flips the bound by design
    noise = " ".join(w for w in noise.split() if w.lower() not in {"no", "not", "nor", "never", "neither", "cannot"})
    phrase = " ".join(p for p in (comp_text, num_text, unit_text) if p)
    text = f"By 2030, the {noise or 'indicator'} will be {phrase}, and then."
    qs = find_quantities(text)
    assert len(qs) == 1, (text, qs)
    q = qs[0]
    assert (q.value, q.normalized_unit) == (value, iri), text
    assert q.comparator == comp_iri, text
    assert text[q.start:q.end] == q.text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_find_quantities_never_raises_and_offsets_hold(text):
    for q in find_quantities(text):
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start:q.end] == q.text


def test_range_without_comparator_word_is_at_least_its_lower_bound():
    q = parse_quantity("between 40% and 45%")
    assert (q.value, q.comparator, q.lower_value, q.upper_value) == (Decimal(40), AT_LEAST, Decimal(40), Decimal(45))
    assert parse_quantity("6-9 GW").comparator == AT_LEAST
    assert parse_quantity("roughly 6-9 GW").comparator == APPROXIMATELY
    assert parse_quantity("6 GW").comparator is None


def test_mass_per_year_is_a_rate_not_a_mass():
    q = find_quantities("output capacity of 45,000 tonnes per year")[0]
    assert (q.value, q.unit_text, q.kind) == (Decimal(45000), "tonnes per year", "mass_per_year")
    assert (q.normalized_value, q.normalized_unit) == (45000.0, UNIT["TONNE-PER-YR"])  # a rate, never unit:TONNE
    assert q.as_pint().to("tonne/day").magnitude == pytest.approx(45000 / 365.25, rel=1e-3)
    assert find_quantities("a 3 Mt/a plant")[0].kind == "mass_per_year"
    assert find_quantities("45,000 tonnes of steel")[0].normalized_unit == UNIT.TONNE
    # money per year stays money (a reward paid each year)
    assert find_quantities("300 million yuan per year")[0].normalized_unit == CUR.CNY


@pytest.mark.parametrize("text, unit_text, noun", [
    ("about 6 million public charging points", "million public charging points", "public charging points"),
    ("20 key supported enterprises will", "key supported enterprises", "key supported enterprises"),
    ("over 40 businesses operating in the zone", "businesses", "businesses"),      # a participle after the head
    ("12 pilot projects using hydrogen", "pilot projects", "pilot projects"),
])
def test_counted_noun_with_a_participle_modifier(text: str, unit_text: str, noun: str) -> None:
    (q,) = find_quantities(text)
    assert (q.unit_text, q.noun, q.kind) == (unit_text, noun, "count")


# ---------------------------------------------------------------------------
# E notation (test_attacks5 review: "1E+3 kilowatts" was read as 3 kilowatts)
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, value, unit_text", [
    ("capacity will reach 1E+3 kilowatts", Decimal(1000), "kilowatts"),
    ("output will reach 1.5e3 tonnes", Decimal(1500), "tonnes"),
    ("emissions fall to 2e-2 tonnes", Decimal("0.02"), "tonnes"),
    ("a share of 1e1 percent", Decimal(10), "percent"),
    ("build 1E+3 charging piles.", Decimal(1000), "charging piles"),
])
def test_e_notation_is_read_with_its_exponent(text: str, value: Decimal, unit_text: str) -> None:
    qs = find_quantities(text)
    assert [(q.value, q.unit_text) for q in qs] == [(value, unit_text)]
    numeral = next(w for w in text.split() if w[0].isdigit())
    assert qs[0].text.startswith(numeral), qs[0].text  # the span quotes the whole numeral


@pytest.mark.parametrize("text", ["the share will reach 1e308 percent", "reach 1E+31 kilowatts",
                                  "cut 5e-40 tonnes", "reach 1e99999999999999999999 tonnes"])
def test_e_notation_past_the_curated_bound_is_not_a_quantity(text: str) -> None:
    """Past 10^±MAX_EXPONENT (the bound the curated loader shares) the number is refused whole, not cut at the 'e'."""
    assert find_quantities(text) == []


def test_parse_number_reads_e_notation_within_the_bound() -> None:
    from loaders.quantities import MAX_EXPONENT

    assert parse_number("1,000e3") == Decimal(1_000_000)
    assert parse_number(f"1e{MAX_EXPONENT}") == Decimal(10) ** MAX_EXPONENT
    assert parse_number(f"1e{MAX_EXPONENT + 1}") is None
    assert parse_number("0e999") == Decimal(0)


def test_a_range_in_e_notation() -> None:
    q = parse_quantity("between 1e3 and 2e3 tonnes")
    assert (q.lower_value, q.upper_value, q.unit_text) == (Decimal(1000), Decimal(2000), "tonnes")


def test_letters_after_the_digits_are_not_an_exponent() -> None:
    """"1e5f" is a code, and "Class 1E" equipment has no exponent: the old readings stay."""
    assert [q.value for q in find_quantities("rated Class 1E equipment, 20 units")] == [Decimal(20)]
