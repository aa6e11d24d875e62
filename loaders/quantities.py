"""The quantity grammar: numbers with units and comparators in policy text.

Finds phrases such as "approximately 500 million kilowatts", "no more than
1,200 yuan/ton of standard coal", "more than 10 percentage points", "about
800,000", "400MW", "2.5 trillion RMB", "500万千瓦" and "a total of 70
counties", "600 hours" (utilisation hours), "5,000 (10,000 kW)" (a power-of-ten multiple of a unit in
parentheses: 万千瓦 as Chinese statistics put it into English) and "1,200 ten thousand kilowatts", and normalises
each with pint (the default registry plus
``loaders/units.txt``) to the unit the ontology uses:

==================  =============================  ======================================
kind                normalised pint unit           ``normalized_unit``
==================  =============================  ======================================
power               W                              ``unit:W``
energy              kWh                            ``unit:KiloW-HR`` (never joules)
mass                tonne (metric, never ``ton``)  ``unit:TONNE``
coal_equivalent     tce                            ``pkg:TonneCoalEquivalent``
currency            yuan                           ``cur:CNY``
area                m²                             ``unit:M2``
volume              m³ (litres converted)          ``unit:M3``
length              m                              ``unit:M``
speed               m/s (km/h converted)           ``unit:M-PER-SEC``
percent             percent                        ``unit:PERCENT``
percentage_point    percentage_point               ``pkg:PercentagePoint``
count               item                           ``unit:NUM``
price per tce       yuan/tce                       ``pkg:CNYPerTonneCoalEquivalent``
price per kWh       yuan/kWh                       ``pkg:CNYPerKiloWattHour``
price per tonne     yuan/tonne                     ``pkg:CNYPerTonne``
price per kW        yuan/kW                        ``pkg:CNYPerKiloWatt``
price per kW a year yuan/kW·year, yuan/kW/month    ``pkg:CNYPerKiloWattYear``
price per m²        yuan/m²                        ``pkg:CNYPerSquareMetre``
price per W / kg    (converted to per kW / tonne)  as above
voltage             V                              ``unit:V``
concentration       µg/m³                          ``unit:MicroGM-PER-M3``
temperature         °C                             ``unit:DEG_C``
time                hour                           ``unit:HR`` (utilisation hours; "hours a year" keeps
                                                   "per year" in its unit as written)
currency_other      (USD, EUR...: not converted)   ``None``
oil_equivalent      (toe: not converted)           ``None`` (no oil-equivalent unit in the ontology)
mass per year       tonne/year                     ``unit:TONNE-PER-YR``
tce per year        tce/year                       ``pkg:TonneCoalEquivalentPerYear``
mass_per_day etc.   (t/d, t/h, t/month, t/week)    ``None`` (a throughput: not converted, unit as written)
volume_per_second   (m³/s, m³/h, m³/d: a flow)     ``None`` (not converted, unit as written; also _hour, _day)
*_intensity         (tce per 10,000 yuan, kg CO2   ``None`` (an intensity: no unit in the ontology; the unit
                    per ton-km, g CO2/kWh, gce/kWh, as written keeps its denominator). Grams are read
                    m³ per 10,000 yuan: not        only as intensities, with or without a denominator
                    converted)                     ("below 300 grams of standard coal")
==================  =============================  ======================================

A mass followed by "per year", "/year", "/a", "per annum", "annually" or
"each/every year" ("60,000 tons per year" of production capacity, "save 2
million tce annually") is an annual rate, kind ``mass_per_year``
(``coal_equivalent_per_year`` for tce): the unit as written keeps the rate
(spelled "per year"), and it is normalised to a rate (tonnes or tce per year),
never to a mass. An oil equivalent per year stays as written.
An amount of energy "per year" ("200 billion kWh a year") is not read so:
it stays an amount of energy, normalised, as the golds of
``tests/hostile_unseen`` read it (unit "billion kWh", "TWh").

Comparators come from the words right before the number (or right after:
"or more", "以上"), following ``shared/design/ontology-core.md``: "over /
exceed / more than / above / higher than" -> ``pkg:MoreThan``; "at least /
a minimum of" -> ``pkg:AtLeast``; "up to / at most / within / a maximum of"
-> ``pkg:AtMost``; "less than / below / under" -> ``pkg:LessThan``; "about /
approximately / around / nearly" -> ``pkg:Approximately``. A negation in the
same clause flips the bound: "no more than", "not exceed", "cannot exceed",
"neither shall ... exceed", "nor shall ... add up to over" -> ``pkg:AtMost``;
"no less than", "not below", "should not be less than" -> ``pkg:AtLeast``.
A comparator written before the first value of a coordinated list bounds
every value of the list that has none of its own: "no less than 40% in oil
refining and 30% in ethylene" -> both ``pkg:AtLeast`` (English distributes a
pre-modifier over coordinated values; see :func:`_carries_comparator`).
With no comparator word the comparator is ``None`` (callers read it as
"exactly"), except for a range ("between 25% and 30%", "10-15 GW"): its
value is the lower bound with ``pkg:AtLeast``, and ``upper_value`` holds the
upper bound (``pkg:lowerValue`` / ``pkg:upperValue`` in the ontology).

Not quantities (``None`` / skipped): calendar years (a bare 1900-2100 integer
with no unit), year ranges ("2024-2026"), ordinals ("14th", OCR "14™"),
numbers glued to letters ("CO2", "PM2.5"), reference numbers ("No. 5",
"Article 3", "Grade 1"), day-of-month numbers next to a month name,
durations ("five years", "10 working days"; hours are the one time unit
read, and not as a compound adjective: "4-hour storage", "a 3-kilometre circle", "a 24 hour
hotline"), multiples
("2 times"), compounds ("Five-Year Plan"), and number words with neither a
unit nor a noun after them ("one of").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pint
from rdflib import URIRef

from policykg.vocab import CUR, PKG, UNIT

#: Largest decimal exponent of a value read as a quantity, as written in a briefing or a curated cell
#: (10^30 of any unit is past every quantity a policy sets); beyond it, writing the number out would cost
#: memory without bound ("1e999999999").
MAX_EXPONENT = 30

#: The glyphs of a footnote marker, as character classes: superscript digits ("²", "¹²"), and an asterisk or
#: dagger ("*", "†", "‡"). Every footnote pattern of the loaders is built from these two.
SUPERSCRIPT_DIGITS = "[¹²³⁴⁵⁶⁷⁸⁹⁰]"
MARKER_SYMBOLS = "[*†‡]"

#: A footnote marker in superscript digits glued after a word, a unit or punctuation ("exceed 180 GW².",
#: "(2023 Edition)¹", "the new power system²"): never after a digit (``10⁴``) or a length unit's "m" written after
#: a number, a space or a prefix (``100 m²``, ``km³``, ``cm²``), where it is a power. A pattern (not compiled), so
#: that a reader may anchor it.
SUPERSCRIPT_MARKER = r"(?<=[^\d\s])(?<![\d\s(/·]m)(?<![\d\s(/·][kcdμ]m)" + SUPERSCRIPT_DIGITS + "+"

__all__ = [
    "Quantity", "parse_quantity", "find_quantities", "unit_registry", "parse_number",
    "comparator_for", "UNITS_FILE", "MAX_EXPONENT", "SUPERSCRIPT_DIGITS", "MARKER_SYMBOLS", "SUPERSCRIPT_MARKER",
    "EXACTLY", "APPROXIMATELY", "MORE_THAN", "AT_LEAST", "LESS_THAN", "AT_MOST",
]

#: The pint registry extension (currency, tce, percentage point, counts, magnitudes).
UNITS_FILE = Path(__file__).with_name("units.txt")

EXACTLY = PKG.Exactly
APPROXIMATELY = PKG.Approximately
MORE_THAN = PKG.MoreThan
AT_LEAST = PKG.AtLeast
LESS_THAN = PKG.LessThan
AT_MOST = PKG.AtMost


@functools.cache
def unit_registry() -> pint.UnitRegistry:
    """The shared pint registry: pint's defaults plus :data:`UNITS_FILE`.

    Built once per process. Raises ``pint.errors.DefinitionSyntaxError`` if
    ``units.txt`` is malformed (a packaging bug, not a user error).
    """
    ureg = pint.UnitRegistry()
    ureg.load_definitions(str(UNITS_FILE))
    return ureg


@dataclass(frozen=True)
class Quantity:
    """One number-with-unit phrase found in a text.

    ``value`` is the number as written (``Decimal('500')`` for "500 million
    kilowatts"; the lower bound for a range). ``unit_text`` is the unit as
    written, whitespace collapsed ("million kilowatts", "%", "yuan/ton of
    standard coal", "million charging piles"), or ``None`` for a bare count
    ("about 800,000"). ``normalized_value``/``normalized_unit`` give the value
    in the ontology's unit (5.0e11, ``unit:W``); both are ``None`` for a unit
    with no normalised form. ``kind`` is one of the kinds of the module
    table. ``noun`` is the counted noun for counts ("charging piles").
    ``comparator`` is a ``pkg:`` comparator IRI or ``None`` when the text
    has no comparator word (``pkg:AtLeast`` for a range without one).
    ``lower_value``/``upper_value`` are set for ranges ("10-15%", "five to
    eight", "between 25% and 30%"). ``start``/``end`` are offsets of
    the number-and-unit phrase in the searched text; ``comparator_start`` is
    where the comparator phrase begins (``None`` without one). ``pint_unit``
    is the pint expression of the unit as written ("million*(kilowatt)"),
    ``None`` for units outside the registry.
    """

    value: Decimal
    unit_text: str | None
    normalized_value: float | None
    normalized_unit: URIRef | None
    kind: str
    start: int
    end: int
    text: str
    comparator: URIRef | None = None
    comparator_start: int | None = None
    noun: str | None = None
    lower_value: Decimal | None = None
    upper_value: Decimal | None = None
    pint_unit: str | None = None

    def as_pint(self) -> Any:
        """The value as a ``pint.Quantity`` in the unit as written (range: the lower bound),
        or ``None`` for a unit outside the registry (kind ``currency_other``: USD, EUR...)."""
        if self.pint_unit is None:
            return None
        return unit_registry().Quantity(float(self.value), self.pint_unit)


# ---------------------------------------------------------------------------
# numbers
# ---------------------------------------------------------------------------

_SMALL = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_SMALL_RX = "|".join(sorted(_SMALL, key=len, reverse=True))
_TENS_RX = "|".join(_TENS)
_WORD_NUMBER = (rf"(?:(?:{_TENS_RX})(?:[-\s](?:{_SMALL_RX}))?|{_SMALL_RX})"
                rf"(?:\s+hundred(?:\s+(?:and\s+)?(?:(?:{_TENS_RX})(?:[-\s](?:{_SMALL_RX}))?|{_SMALL_RX}))?)?")
#: Digits: "1200", "1,200", or groups of three set off by a no-break, narrow no-break or thin space ("1\u00a0200",
#: "1\u202f200": the SI Brochure, 9th ed., section 5.4.4, and ISO 80000-1 section 7.3.1 group digits by a space,
#: which typesetting keeps unbreakable). A group separated by an ordinary space is not joined ("2 500" in a row
#: of figures may be two cells).
_GROUP_SPACE = "\u00a0\u202f\u2009"
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[" + _GROUP_SPACE + r"]\d{3})+(?!\d)|\d+)(?:\.\d+)?"
#: E notation attached to the digits ("1E+3", "1.5e3", "2e-4"): the exponent is part of the number, so that
#: "1E+3 kilowatts" is not read as 3 kilowatts. Not when a letter, digit or decimal follows ("1e5f", a code).
_EXPONENT = r"[eE][+-]?\d+(?![\w]|\.\d)"
_E_NUMBER_RX = re.compile(rf"(?P<mantissa>{_DIGITS})[eE](?P<exponent>[+-]?\d+)")
_NUMBER = rf"(?:(?P<dig>{_DIGITS}(?:{_EXPONENT})?)|(?P<word>\b{_WORD_NUMBER}\b)|(?P<a>\b(?:a|an|one)\b)(?=\s+(?:hundred|thousand|million|billion|trillion)\b))"
_NUMBER_RX = re.compile(_NUMBER, re.I)


def parse_number(text: str) -> Decimal | None:
    """Parse one number as written: digits with thousands separators ("1,200",
    "2.5"), digits in E notation ("1E+3", "1.5e3": the value written out,
    ``Decimal('1000')``), or English words ("five", "twenty-five", "two
    hundred and ten").

    Returns ``None`` for anything else, and for E notation whose decimal
    exponent is past :data:`MAX_EXPONENT` either way
    ("1e308": past every quantity a policy sets, and costly to write out),
    the bound the curated loader puts on its values. Magnitude words
    ("million") are not part of a number; see :func:`parse_quantity`.

    >>> parse_number("1,200"), parse_number("twenty-five"), parse_number("x")
    (Decimal('1200'), Decimal('25'), None)
    >>> parse_number("1.5e3"), parse_number("2E-2"), parse_number("1e308")
    (Decimal('1500'), Decimal('0.02'), None)
    >>> parse_number("1\u00a0800"), parse_number("1 800")
    (Decimal('1800'), None)
    """
    em = _E_NUMBER_RX.fullmatch(text.strip())
    if em:
        return _scientific(em["mantissa"], em["exponent"])
    if re.fullmatch(_DIGITS, text.strip()):
        try:
            return Decimal(re.sub("[," + _GROUP_SPACE + "]", "", text.strip()))
        except InvalidOperation:  # pragma: no cover - the regex admits only valid numerals
            return None
    s = " ".join(text.strip().lower().replace("-", " ").split())
    if not s:
        return None
    if re.fullmatch(_DIGITS, s):
        try:
            return Decimal(s.replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the regex admits only valid numerals
            return None
    if s in ("a", "an"):
        return Decimal(1)
    total = 0
    current = 0
    for w in s.split():
        if w == "and":
            continue
        if w in _SMALL:
            current += _SMALL[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w == "hundred":
            current = max(current, 1) * 100
        else:
            return None
    total += current
    return Decimal(total)


def _scientific(mantissa: str, exponent: str) -> Decimal | None:
    """``mantissa`` x 10^``exponent`` written out (``Decimal('1500')`` for "1.5", "3"), or ``None`` when the
    value's decimal exponent is past :data:`MAX_EXPONENT` either way."""
    if len(exponent.lstrip("+-")) > 6:  # the test below refuses it; do not build the integer of a long numeral
        return None
    value = Decimal(f"{mantissa.replace(',', '')}E{int(exponent)}")
    if value and abs(value.adjusted()) > MAX_EXPONENT:
        return None
    return Decimal(format(value, "f")) if value else Decimal(0)


# ---------------------------------------------------------------------------
# magnitudes and units
# ---------------------------------------------------------------------------

#: Magnitude words -> pint unit names of units.txt.
_MAGNITUDES: list[tuple[str, str]] = [
    (r"hundred\s+million", "hundred*million"), (r"ten[\s-]+thousand", "wan"),
    (r"hundred", "hundred"), (r"thousand", "thousand"), (r"million", "million"), (r"mn\b", "million"),
    (r"billion", "billion"), (r"bn\b", "billion"), (r"trillion", "trillion"), (r"tn\b", "trillion"),
    (r"万亿", "wan*yi"), (r"亿", "yi"), (r"万", "wan"),
]
_MAG_RX = re.compile("|".join(f"(?P<m{i}>{rx})" for i, (rx, _) in enumerate(_MAGNITUDES)), re.I)
#: A magnitude word right after a number (after any whitespace), and "by" right before one (a change's amount).
_MAG_AFTER_RX = re.compile(r"[ \t\r\n]*(?:" + _MAG_RX.pattern + r")", re.I)
#: A range's separator and upper bound after its lower bound: "-15", " to 15", "% and 30" ("10-15", "five to
#: eight", "between 25% and 30%"), also after the lower bound's magnitude word ("300 million and 700 million").
_RANGE_REST_RX = re.compile(rf"\s*(?:(?:%|％)\s*)?(?P<sep>-|–|—|~|～|to|and)\s*(?:{_NUMBER})", re.I)
_BY_BEFORE_RX = re.compile(r"\bby\s+$", re.I)
#: The factor of each magnitude word of :data:`_MAGNITUDES` (a product of these for "hundred*million", "wan*yi").
_MAGNITUDE_FACTORS = {"hundred": Decimal(100), "thousand": Decimal(1000), "million": Decimal(10) ** 6,
                      "billion": Decimal(10) ** 9, "trillion": Decimal(10) ** 12, "wan": Decimal(10) ** 4,
                      "yi": Decimal(10) ** 8}


def _magnitude_factor(m: re.Match[str]) -> Decimal:
    """The factor of the magnitude word a :data:`_MAG_RX` match read ("million" -> 10**6, "亿" -> 10**8)."""
    expr = next(_MAGNITUDES[i][1] for i in range(len(_MAGNITUDES)) if m[f"m{i}"] is not None)
    factor = Decimal(1)
    for part in expr.split("*"):
        factor *= _MAGNITUDE_FACTORS[part]
    return factor

_SI_PREFIX = {"": "", "k": "kilo", "kilo": "kilo", "m": "mega", "mega": "mega", "g": "giga",
              "giga": "giga", "t": "tera", "tera": "tera"}
_TONNE = r"(?:metric\s+)?(?:tons?|tonnes?)"
_COAL = (rf"{_TONNE}\s+(?:of\s+)?(?:standard\s+coal(?:\s+equivalent)?|coal\s+equivalent|SCE\b)(?:\s*\(tce\))?"
         r"|吨标准煤|吨标煤")
_OIL = rf"{_TONNE}\s+(?:of\s+)?(?:crude\s+)?oil\s+equivalent\b(?:\s*\((?-i:toe)\))?|吨油当量"
_CO2 = r"(?:\s+of\s+(?:CO2|CO₂|carbon\s+dioxide)(?:[\s-]+(?:equivalent|eq\.?)|e)?)?"

# (regex, kind, pint expression or callable(match) -> expression). Tried in order;
# the longest match wins. Case-insensitive unless the regex sets (?-i:...).
_UNIT_TABLE: list[tuple[str, str, Any]] = [
    # energy before power ("kWh" before "kW")
    (r"(?P<p>kilo|mega|giga|tera)?watt[\s-]*hours?\b", "energy", lambda m: f"{_SI_PREFIX[(m['p'] or '').lower()]}watt_hour"),
    (r"(?-i:(?P<p>[kMGT])?W\s?h|(?P<q>[kMGT])?W·h)\b", "energy", lambda m: f"{_SI_PREFIX[(m['p'] or m['q'] or '').lower()]}watt_hour"),
    (r"千瓦时", "energy", "kilowatt_hour"),
    (r"(?P<p>kilo|mega|giga|tera)?watts?\b", "power", lambda m: f"{_SI_PREFIX[(m['p'] or '').lower()]}watt"),
    (r"(?-i:(?P<p>[kMGT])W[pe]?)\b", "power", lambda m: f"{_SI_PREFIX[m['p'].lower()]}watt"),
    (r"千瓦", "power", "kilowatt"), (r"兆瓦", "power", "megawatt"), (r"吉瓦", "power", "gigawatt"),
    # coal equivalent before mass
    (_COAL, "coal_equivalent", "tce"),
    (r"(?-i:(?P<p>[Mk])?tce)\b", "coal_equivalent",
     lambda m: {"M": "million*tce", "k": "thousand*tce", None: "tce"}[m["p"]]),
    (r"kgce\b", "coal_equivalent", "kgce"),
    # grams of coal equivalent ("300 gce/kWh", "300 grams of standard coal per kilowatt-hour"): an intensity only
    # (:data:`_GRAM_UNITS`)
    (r"(?:grams?|(?-i:g))\s+(?:of\s+)?(?:standard\s+coal(?:\s+equivalent)?|coal\s+equivalent)\b|(?-i:gce)\b",
     "coal_equivalent", "gce"),
    # oil equivalent before mass ("500,000 tons of oil equivalent", "2 Mtoe"): an energy amount, kept as written
    (_OIL, "oil_equivalent", "toe"),
    (r"(?-i:(?P<p>[Mk])?toe)\b", "oil_equivalent",
     lambda m: {"M": "million*toe", "k": "thousand*toe", None: "toe"}[m["p"]]),
    (_TONNE + r"\b" + _CO2, "mass", "tonne"),
    (r"(?-i:(?P<p>M|k|G)?tCO2(?:e|-eq)?)", "mass",
     lambda m: {"M": "million*tonne", "k": "thousand*tonne", "G": "billion*tonne", None: "tonne"}[m["p"]]),
    (r"(?-i:Mt)\b" + _CO2, "mass", "million*tonne"),
    (r"(?-i:Gt)\b" + _CO2, "mass", "billion*tonne"),
    (r"(?-i:kt)\b" + _CO2, "mass", "thousand*tonne"),
    # a bare "t" is a tonne only before a period ("500 t/a", "5 t per year", "35 t/h" of a boiler's steam output,
    # "10 t/d"; before session 32 "35 t/h" was a count of 35, the twenty-first blind test): alone it is no unit here
    (r"(?-i:t)(?=\s*(?:/\s*(?:a|y|yr|year|d|day|h|hr|hour)\b|per\s+(?:year|annum|yr|day|hour)\b))", "mass",
     "tonne"),
    (r"kilograms?\b|kg\b", "mass", "kilogram"),
    # grams ("550 g CO2/kWh", "30 grams of CO2 per kWh"): an intensity only (:data:`_GRAM_UNITS`); the symbol "g"
    # only before a gas or a denominator ("5G" names a technology, and a lone "g" is no unit here)
    (r"grams?\b|(?-i:g)(?=[ \t]*(?:/|per\b|每)|[ \t]+(?:CO2|CO₂))", "mass", "gram"),
    (r"吨", "mass", "tonne"),
    # concentration ("30 micrograms per cubic metre" of PM2.5)
    (r"micrograms?\s+per\s+cubic\s+met(?:er|re)s?\b|[μµu]g\s?/\s?m(?:3|³)", "concentration", "microgram/m**3"),
    # area before length
    (r"square\s+(?P<p>kilo)?met(?:er|re)s?\b", "area", lambda m: "km**2" if m["p"] else "m**2"),
    (r"sq\.?\s?(?P<p>k)?m\b", "area", lambda m: "km**2" if m["p"] else "m**2"),
    (r"(?-i:(?P<p>k)?m(?:2|²))(?!\d)", "area", lambda m: "km**2" if m["p"] else "m**2"),
    (r"hectares?\b", "area", "hectare"),
    (r"(?-i:mu)\b", "area", "mu"),
    (r"平方公里", "area", "km**2"), (r"平方米", "area", "m**2"), (r"亩", "area", "mu"),
    (r"cubic\s+met(?:er|re)s?\b|(?-i:m(?:3|³))(?!\d)|立方米", "volume", "m**3"),
    # litres ("1.2 litres per kWh", "a displacement of 2.0 L"): a volume, normalised to m³
    (r"lit(?:re|er)s?\b|(?-i:L)\b", "volume", "liter"),
    # speed before length ("wind speeds above 3 m/s", "5.5 metres per second", "120 km/h"): read as "m" before
    (r"(?P<p>kilo)?met(?:er|re)s?\s+(?:per|an|a)\s+(?P<t>second|hour)\b|(?-i:(?P<k>k)?m)\s?/\s?(?-i:(?P<s>s|h))\b"
     r"|(?-i:(?P<k2>k)?m)\s+per\s+(?P<t2>second|hour)\b",
     "speed", lambda m: ("kilometer" if m["p"] or m["k"] or m["k2"] else "meter") + (
         "/hour" if (m["t"] or m["s"] or m["t2"]).lower() in ("hour", "h") else "/second")),
    (r"(?P<p>kilo)?met(?:er|re)s?\b", "length", lambda m: "km" if m["p"] else "m"),
    (r"(?-i:km)\b|公里", "length", "km"),
    # percentage points before percent
    (r"percentage[\s-]+points?\b|percent(?:age)?[\s-]+pts?\b\.?|(?-i:pp|ppts?)\b|个百分点|百分点",
     "percentage_point", "percentage_point"),
    (r"%|％|per\s?cent\b|percent\b", "percent", "percent"),
    # currency (rates are appended after the match)
    (r"yuan\b|RMB\b|CNY\b|renminbi\b|元", "currency", "yuan"),
    # other currencies: kept as written, never normalised to CNY (no exchange rates here)
    (r"(?:US\s?)?dollars?\b|(?-i:USD|EUR)\b|euros?\b", "currency_other", "item"),
    # voltage ("500 kV substations") and temperature ("1.5°C")
    (r"(?-i:(?P<p>[kM])?V)\b|(?P<q>kilo)?volts?\b", "voltage",
     lambda m: {"k": "kilovolt", "M": "megavolt", None: "volt"}[m["p"] or ("k" if m["q"] else None)]),
    (r"°\s?C|℃|degrees?\s+Celsius", "temperature", "degC"),
    # hours: utilisation hours of power plants and storage ("no less than 600 hours", 利用小时数), the one
    # time unit of this grammar; never a compound adjective ("4-hour storage", see _quantity_at)
    (r"hours?\b|hrs?\b|小时", "time", "hour"),
]
_UNIT_RX = [(re.compile(rx, re.I), kind, expr) for rx, kind, expr in _UNIT_TABLE]

#: Denominators of a price: currency "/" or "per" one of these.
_RATE_DENOMS: list[tuple[str, str, str]] = [
    (_COAL + r"|(?-i:tce)\b", "tce", "coal_equivalent"),
    # "kW·h", "MW·h" (a middle dot between the factors): an energy too, not a power (session 13 attack)
    (r"kilowatt[\s-]*hours?\b|(?-i:kW[·⋅∙•*]?h)\b|千瓦时", "kilowatt_hour", "energy"),
    # "yuan per MWh", "yuan per MW" (ancillary-service and capacity prices): normalised per kWh / kW
    (r"megawatt[\s-]*hours?\b|(?-i:MW[·⋅∙•*]?h)\b|兆瓦时", "megawatt_hour", "energy"),
    # "1.5 billion yuan per gigawatt" (an investment intensity, the twelfth blind test): normalised per kW; an
    # energy first ("per gigawatt-hour", "per GW·h")
    (r"gigawatt[\s-]*hours?\b|(?-i:GW[·⋅∙•*]?h)\b", "gigawatt_hour", "energy"),
    (r"gigawatts?\b(?![\s-]*hours?\b)|(?-i:GW)\b(?![·⋅∙•*]?h\b)|吉瓦", "gigawatt", "power"),
    (r"megawatts?\b|(?-i:MW)\b|兆瓦", "megawatt", "power"),
    (r"kilowatts?\b|(?-i:kW)\b|千瓦", "kilowatt", "power"),
    (r"watts?\b|(?-i:W)\b|瓦", "watt", "power"),
    # "yuan per ton of CO2": the gas the price is of stays with its denominator (a price per tonne all the same)
    (_TONNE + r"\b" + _CO2 + r"|(?-i:t)\b|吨", "tonne", "mass"),
    (r"kilograms?\b|(?-i:kg)\b|公斤|千克", "kilogram", "mass"),
    (r"square\s+met(?:er|re)s?\b|(?-i:m(?:2|²))|平方米", "m**2", "area"),
    # "0.3 yuan per cubic meter" (of gas or water used): kind price_per_volume, no normalised unit in the
    # ontology, so the unit stays as written
    (r"cubic\s+met(?:er|re)s?\b|(?-i:m(?:3|³))(?!\d)|立方米", "m**3", "volume"),
]
_RATE_RX = re.compile(r"\s*(?:/|per\s+|每)\s*(?:" + "|".join(f"(?P<r{i}>{rx})" for i, (rx, _, _) in enumerate(_RATE_DENOMS)) + ")", re.I)
#: An annual rate after a mass: "tons per year", "t/a" (吨/年), "tonnes per annum".
#: "a year" only as a rate, never a time phrase ("2 Mt a year ago / earlier / later / before", "a year on").
_PER_YEAR_RX = re.compile(r"\s*(?:/\s*(?:year|yr|y|a)\b|per\s+(?:year|annum|yr)\b"
                          r"|a\s+year\b(?![\s-]*(?:ago|earlier|later|before|after|on|prior|previously|or)\b)"
                          r"|/年|每年)", re.I)
#: More ways to say "a year" after hours or a mass (:func:`_match_unit`): "2,000 hours annually / each year / every
#: year", "2 million tce annually", and "a year" before "or more / or above" (which :data:`_PER_YEAR_RX` refuses for
#: "a year or two").
_HOURS_YEARLY_RX = re.compile(r"\s*(?:annually\b|(?:each|every)\s+year\b|a\s+year(?=\s+or\s+(?:more|above|longer)\b))",
                              re.I)
#: The same words at the end of a unit as written, spelled "per year" (``hours annually`` -> ``hours per year``,
#: ``million tce each year`` -> ``million tce per year``).
_HOURS_YEARLY_TAIL_RX = re.compile(r"\s+(?:annually|(?:each|every)\s+year|a\s+year)$", re.I)
#: A rate over a period shorter than a year after a mass ("10 kt/d", "2 kt/h", "5 tons per day", "吨/日"): the
#: throughput of a plant, neither a mass nor an annual rate; kept as written, never normalised.
_PER_PERIOD_RX = re.compile(
    r"\s*(?:/\s*(?P<d>d|day)\b|per\s+(?P<d2>day)\b|a\s+(?P<d3>day)\b|/\s*(?P<h>h|hr|hour)\b"
    r"|per\s+(?P<h2>hour)\b|an\s+(?P<h3>hour)\b|/\s*(?P<m>month|mo)\b|per\s+(?P<m2>month)\b|a\s+(?P<m3>month)\b"
    r"|/\s*(?P<w>week|wk)\b|per\s+(?P<w2>week)\b|a\s+(?P<w3>week)\b|(?:/|每)(?P<dz>日|天)|(?:/|每)(?P<hz>小时)"
    r"|(?:/|每)(?P<mz>月))(?![\s-]*(?:ago|earlier|later|before|after)\b)", re.I)
_PERIOD_NAMES = {"d": "day", "h": "hour", "m": "month", "w": "week"}
#: A second, hour or day after a volume ("500 m3/s" of a river's or a pipeline's flow, "cubic metres per hour"): a
#: flow, neither a volume nor normalised (the session 31 attack read a volume of 500 m³). Group name: the period.
_PER_SHORT_PERIOD_RX = re.compile(r"\s*(?:/\s*(?:(?P<second>s|sec)|(?P<hour>h|hr)|(?P<day>d))\b"
                                  r"|(?:per|an?)\s+(?:(?P<second_>second)|(?P<hour_>hour)|(?P<day_>day))\b)", re.I)
#: An abbreviated mass of an annual rate and its words, as golds write the unit ("Mt/yr": "million tonnes per
#: year"; the SI symbols of the tonne's multiples, BIPM SI Brochure table 8 and the kt/Mt/Gt usage).
_MASS_SYMBOLS = {"t": "tonnes", "kt": "thousand tonnes", "Mt": "million tonnes", "Gt": "billion tonnes"}
_MASS_SYMBOL_RX = re.compile(r"(?P<s>kt|Mt|Gt|t)(?=\b|CO)")


def _annual_rate_words(unit_text: str) -> str:
    """The unit of an annual rate of mass in words, one spelling for its variants: the rate part ("/yr",
    "/a", "/y", "per annum", "a year") as "per year", an abbreviated mass ("Mt", "kt", "Gt", "t") spelled out
    ("~1 Mt/yr" and "1 million tonnes per year" both give "million tonnes per year"). A mass written in
    words keeps its words ("tons per year"); a Chinese rate ("吨/年") is left as written.

    >>> _annual_rate_words("Mt/yr"), _annual_rate_words("kt per annum"), _annual_rate_words("tons/year")
    ('million tonnes per year', 'thousand tonnes per year', 'tons per year')
    """
    m = _PER_YEAR_RX.search(unit_text)
    if m is None or not m.group(0).strip().isascii():
        return unit_text
    head = unit_text[:m.start()].strip()
    sm = _MASS_SYMBOL_RX.match(head)
    if sm is not None:
        rest = head[sm.end():]
        head = _MASS_SYMBOLS[sm.group("s")] + (" " + rest.strip() if rest.strip() else "")
    return f"{head} per year" + unit_text[m.end():]
_URL_RX = re.compile(r"(?:https?://|www\.)\S+")
_PREFIX_CURRENCY_RX = re.compile(r"(?:(?P<cny>\b(?:RMB|CNY)|[¥￥])|(?P<other>\b(?:USD|EUR)|US\$|\$|€))\s*$")

#: Normalisation: kind -> (pint target unit, IRI).
_NORMAL: dict[str, tuple[str, URIRef]] = {
    "power": ("watt", UNIT.W),
    "energy": ("kilowatt_hour", UNIT["KiloW-HR"]),
    "mass": ("tonne", UNIT.TONNE),
    "coal_equivalent": ("tce", PKG.TonneCoalEquivalent),
    "mass_per_year": ("tonne/year", UNIT["TONNE-PER-YR"]),
    "coal_equivalent_per_year": ("tce/year", PKG.TonneCoalEquivalentPerYear),
    "currency": ("yuan", CUR.CNY),
    "voltage": ("volt", UNIT.V),
    "concentration": ("microgram/m**3", UNIT["MicroGM-PER-M3"]),
    "temperature": ("degC", UNIT.DEG_C),
    "area": ("m**2", UNIT.M2),
    "volume": ("m**3", UNIT.M3),
    "length": ("m", UNIT.M),
    "speed": ("meter/second", UNIT["M-PER-SEC"]),
    "percent": ("percent", UNIT.PERCENT),
    "time": ("hour", UNIT.HR),
    "percentage_point": ("percentage_point", PKG.PercentagePoint),
    "count": ("item", UNIT.NUM),
    "price_per_coal_equivalent": ("yuan/tce", PKG.CNYPerTonneCoalEquivalent),
    "price_per_energy": ("yuan/kilowatt_hour", PKG.CNYPerKiloWattHour),
    "price_per_mass": ("yuan/tonne", PKG.CNYPerTonne),
    "price_per_power": ("yuan/kilowatt", PKG.CNYPerKiloWatt),
    "price_per_power_year": ("yuan/kilowatt/year", PKG.CNYPerKiloWattYear),
    "price_per_power_month": ("yuan/kilowatt/year", PKG.CNYPerKiloWattYear),
    "price_per_area": ("yuan/m**2", PKG.CNYPerSquareMetre),
}

# ---------------------------------------------------------------------------
# counts
# ---------------------------------------------------------------------------

#: Words that cannot begin a counted noun phrase: function words, verbs,
#: comparators. A number followed by one of these is a bare count.
_NOT_NOUN = set("""
a an the of for in on at by to with within without and or but nor as that which who whose than from
into onto over under above below about around per each every this these those its their his her our
will shall should would could can may might must is are was were be been being has have had do does did
not no more less most least fewer higher lower greater further only also still yet so such both either
neither compared versus vs respectively approximately nearly roughly some other others
reach reached reaches exceed exceeded exceeds achieve achieved
""".split())
#: Time units and multiples: out of this grammar ("five years", "2 times").
_NOT_COUNT = re.compile(
    r"(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centuries|century|times|fold"
    r"|o'clock|am|pm)\b", re.I)
_NOT_COUNT_AFTER = re.compile(r"\s*(?:" + _NOT_COUNT.pattern + ")", re.I)
#: A word of a counted noun; a digit inside it stays ("1,000 V2G-capable charging stations", "10 H2 refuelling
#: stations": the thirteenth blind test read the unit "V").
_NOUN_WORD = r"[A-Za-z][A-Za-z0-9'-]*"
_NOUN_RX = re.compile(rf"\s+(?P<noun>{_NOUN_WORD}(?:\s+{_NOUN_WORD}){{0,3}})(?P<paren>\s*\([A-Za-z][A-Za-z\s]{{0,20}}\))?")
# "30 local, corporate, or group standards": a list of modifiers before the counted noun
_NOUN_LIST_RX = re.compile(
    rf"\s+(?P<noun>{_NOUN_WORD}(?:,\s+{_NOUN_WORD})+,?\s+(?:or|and)\s+{_NOUN_WORD}\s+{_NOUN_WORD})(?=[\s,.;:]|$)")
#: Two modifiers joined by "and"/"or" before the counted plural noun: "LNG and methanol bunkering stations".
_PAIRED_MODIFIER_RX = re.compile(rf"\s+(?P<noun>(?:{_NOUN_WORD}\s+){{0,2}}(?:or|and)\s+{_NOUN_WORD}"
                                 rf"(?:\s+{_NOUN_WORD}){{0,2}}?"
                                 rf"\s+{_NOUN_WORD}[^s\W]*s)(?=[\s,.;:)]|$)")
_PAREN_NOUN_RX = re.compile(r"\s*\((?P<noun>[A-Za-z][A-Za-z\s-]{0,30})\)")
_CJK_COUNT_RX = re.compile(r"(?P<noun>[个辆座家台套项户处条所只件批])")

# ---------------------------------------------------------------------------
# exclusions
# ---------------------------------------------------------------------------

_MONTHS = (r"January|February|March|April|May|June|July|August|September|October|November|December"
           r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?")
_REF_BEFORE = re.compile(
    rf"(?:\b(?:No|Nos|Art|Article|Articles|Section|Sections|Chapter|Chapters|Clause|Clauses|Item|Items|Paragraph"
    rf"|Annex|Appendix|Table|Figure|Fig|Grade|Level|Class|Phase|Tier|Type|Batch|Group|Page|Part|Step|Version"
    rf"|Notice|Document|{_MONTHS})\.?\s*|\b(?-i:GB|GB/T|ISO|IEC|DB\d*|DB\d*/T|JGJ|HJ)\s*|[第])$", re.I)
_MONTH_AFTER = re.compile(rf"\s*(?:{_MONTHS})\b|\s*(?:st|nd|rd|th)\s+(?:of\s+)?(?:{_MONTHS})\b|[年月日号]", re.I)
_ORDINAL_AFTER = re.compile(r"(?:st|nd|rd|th|™|TH)\b|™", re.I)
_YEAR_RANGE_AFTER = re.compile(r"\s*(?:-|–|—|to|~|～|/)\s*(?:19|20)\d\d\b")

# ---------------------------------------------------------------------------
# comparators
# ---------------------------------------------------------------------------

#: Comparator phrases before a number. Order does not matter: the phrase
#: nearest the number wins. Negators in the same clause flip the bound.
_COMPARATOR_PHRASES: list[tuple[str, URIRef]] = [
    (r"more\s+than|over|exceed(?:s|ed|ing)?|above|higher\s+than|greater\s+than|beyond|in\s+excess\s+of"
     # "shall be no longer than 50 km" (negated: at most; the eleventh blind test); "deeper than 10 metres" (before
     # exactly: the twentieth blind test)
     r"|surpass(?:es|ed|ing)?|upwards\s+of|(?:longer|larger|bigger|wider|deeper|taller|thicker|heavier|older|faster)\s+than|>|超过|高于|大于"
     # the verb "top" ("is to top 200 GW", "will top", "topped": before exactly, the nineteenth blind test); not the
     # adjective ("the top 10 enterprises")
     r"|(?:(?<=\bto\s)|(?<=\bwill\s)|(?<=\bshall\s)|(?<=\bshould\s)|(?<=\bmust\s)|(?<=\bcould\s)|(?<=\bmay\s))top"
     r"(?!\s+(?:\d{1,2}|ten|five|three|twenty|fifty|hundred)\s+(?:[a-z]+\s+)?(?:of|in|among|list|rank\w*)\b)"
     r"|tops|topped|topping", MORE_THAN),
    # "a floor of 0.2 yuan", "with a cap of 5 million yuan per project" (the tenth blind test): a bound named
    # (with up to five words of what is bounded: "a price floor of", "an annual carbon emission intensity cap of",
    # "a price ceiling of": the fourteenth blind test read Exactly)
    (r"at\s+least|a\s+minimum\s+of|minimum\s+of|an?\s+(?:[\w-]+\s+){0,5}?(?<!ground\s)(?<!first\s)(?<!top\s)"
     r"(?<!upper\s)(?<!second\s)(?<!sea\s)(?<!factory\s)(?:floor|lower\s+limit|minimum\s+limit)\s+of|≥|>=|不低于|不少于|至少",
     AT_LEAST),
    # not "the cap of 5 million yuan" (a cap being changed), nor "a market cap of"
    (r"up\s+to|at\s+most|a\s+maximum\s+of|maximum\s+of|capped\s+at|"
     # "sets a limit of 8 Mt" (before, exactly: the session 31 attack)
     r"an?\s+(?:(?!market\b)[\w-]+\s+){0,5}?(?<!market\s)(?<!lower\s)(?<!minimum\s)(?:cap|ceiling|upper\s+limit|limit)"
     r"\s+of|within|"
     r"≤|<=|最多|最高", AT_MOST),
    (r"less\s+than|fewer\s+than|below|under|lower\s+than|(?:shorter|smaller|narrower|shallower|thinner|lighter|younger|slower)\s+than|<|低于|少于|小于",
     LESS_THAN),
    (r"about|approximately|approx\.|around|roughly|nearly|almost|some|close\s+to|circa|~|约|近", APPROXIMATELY),
]
_COMP_ALT = "|".join(f"(?P<c{i}>{rx})" for i, (rx, _) in enumerate(_COMPARATOR_PHRASES))
# filler allowed between comparator and number: "exceed a cumulative installation capacity of 400MW"
_FILLER = r"(?:(?:a|an|the)\s+(?:[\w-]+\s+){0,4}?of\s+)?"
_COMP_BEFORE_RX = re.compile(rf"(?:(?<![A-Za-z0-9_])(?:{_COMP_ALT}))\s*(?:(?<=\s){_FILLER})?$", re.I)
_COMP_AFTER_RX = re.compile(
    r"\s*(?:(?P<ge>(?:or|and)\s+(?:more|above|higher|greater|over)\b|以上|(?:%|％)?\+(?!\s*[\d(]|[A-Za-z])"
    # "the 45 million tonne ceiling", "a 5% cap", "a 30% floor": the value is a bound
    r"|(?:-|\s)?(?:floor|lower\s+limit)\b)"
    r"|(?P<le>(?:or|and)\s+(?:less|below|lower|fewer|under)\b|以下|以内|(?:-|\s)?(?:ceiling|cap|upper\s+limit)\b)"
    r"|(?P<ap>左右))", re.I)
#: Before the first bound of a range with a magnitude on each bound: a change or its start ("increase by 10 million
#: to 50 million", "rose 10 million to 50 million", "from about 300 million to 700 million"): a change and the
#: level it reaches, two values (the precision attack on the range rule).
_CHANGE_BEFORE_RX = re.compile(r"\b(?:by|from|rose|rise[sn]?|rising|increas\w*|grow\w*|grew|fell|fall\w*|drop\w*|"
                               r"declin\w*|reduc\w*|cut|rais\w*|up|down)\s+(?:(?:about|around|approximately|nearly|"
                               r"roughly|some|over|more\s+than)\s+)?$", re.I)
#: A verb of capping, its object and "at"/"to" right before a value: the value is an upper bound.
#: ("limit coal's share to 50%", "emissions will be limited to 10 million tonnes": a possessive in the object, a
#: passive with none; both were read as exactly the value. Not "not limited to", which names no bound.)
_CAP_VERB_BEFORE_RX = re.compile(r"(?<![A-Za-z0-9_])(?:(?:cap(?:s|ping)?|limit(?:s|ing)?|restrict(?:s|ing)?)\s+"
                                 r"(?:[\w'’-]+\s+){1,8}?|(?<!\bnot\s)(?:capped|limited|restricted)\s+"
                                 r"(?:[\w'’-]+\s+){0,8}?)(?:at|to)\s+$", re.I)
_NEGATOR_RX = re.compile(r"\b(?:not|never|neither|nor|cannot|can't|won't|shan't|mustn't|shouldn't)\b|不得|不|未", re.I)
#: A finite verb after a negation and before a comparator: the negation is another clause's (:func:`comparator_for`).
_FINITE_VERB_RX = re.compile(r"\b(?:will|shall|should|must|may|can|could|would|is|are|was|were)\b", re.I)
#: A subject negated by its determiner negates the predicate: "no single project may receive more than 8 million
#: yuan" is at most 8 million (the twelfth blind test); not "with no single point of failure", "no single-use".
_NEGATED_SUBJECT_RX = re.compile(r"(?<!\bwith\s)\bno\s+(?:single|individual)\s+[a-z]+(?:\s+[a-z]+)?\s+"
                                 r"(?:may|can|shall|will|should|must|is|are)\b", re.I)
_FLIP = {MORE_THAN: AT_MOST, AT_LEAST: LESS_THAN, LESS_THAN: AT_LEAST, AT_MOST: MORE_THAN}
_CLAUSE_CUT_RX = re.compile(r"[,;:!?，；：。]|\.(?=\s)|\d")


def comparator_for(text: str, start: int, end: int) -> tuple[URIRef | None, int | None]:
    """The comparator of the number at ``text[start:end]`` and where its phrase begins.

    Looks at the words right before ``start`` within the same clause (no
    comma, semicolon, colon or other number between) and at "or more" /
    "or less" right after ``end``. Returns ``(None, None)`` without a
    comparator word.

    >>> comparator_for("will not exceed 5%", 16, 18)[0] == AT_MOST
    True
    """
    after = _COMP_AFTER_RX.match(text, end)
    if after:
        if after["ge"]:
            return AT_LEAST, None
        if after["le"]:
            return AT_MOST, None
        return APPROXIMATELY, None
    lo = max(0, start - 160)
    pre = text[lo:start]
    cuts = list(_CLAUSE_CUT_RX.finditer(pre))
    if cuts:
        pre_lo = cuts[-1].end()
        pre = pre[pre_lo:]
        lo += pre_lo
    m = _COMP_BEFORE_RX.search(pre)
    if not m:
        # "cap the price of X at 0.3 yuan", "limit coal use to 300 million tonnes": the object between the verb
        # and the value is the indicator, so no comparator phrase starts at the verb (eighth blind test)
        return (AT_MOST, None) if _CAP_VERB_BEFORE_RX.search(pre) else (None, None)
    comp = next(_COMPARATOR_PHRASES[i][1] for i in range(len(_COMPARATOR_PHRASES)) if m[f"c{i}"] is not None)
    head = pre[:m.start()]
    words = head.split()
    window = " ".join(words[-8:])
    # a negation inside a relative clause before the predicate negates that clause ("the share of projects that are
    # not connected will be below 5%"): only one with no finite verb between it and the comparator counts
    negator = None
    for negator in _NEGATOR_RX.finditer(window):
        pass
    # (an inverted verb right after it is its own: "neither shall the reward exceed")
    inverted = _FINITE_VERB_RX.match(window, negator.end() + 1) if negator is not None else None
    negated = (negator is not None and not _FINITE_VERB_RX.search(
        window, inverted.end() if inverted is not None else negator.end())) or (
        bool(words) and words[-1].lower() == "no") or bool(_NEGATED_SUBJECT_RX.search(window))
    if negated and comp in _FLIP:
        comp = _FLIP[comp]
    return comp, lo + m.start()


# ---------------------------------------------------------------------------
# the grammar
# ---------------------------------------------------------------------------

def _norm_ws(s: str) -> str:
    return " ".join(s.split())


#: A mass denominator after an amount of energy: "Wh/kg" (energy density of a battery cell), "kWh per kilogram of
#: hydrogen" (an electrolyser's consumption), "kWh per ton of aluminium". The material after "of" (one lower-case
#: word) is part of the unit as written, as "yuan per ton of CO2" keeps its gas. Kind ``energy_per_mass``: the
#: ontology has no normalised unit for it, so only the unit as written is kept.
#: Words that are no part of a material's name after "per ton of" (determiners, prepositions, verbs of a clause).
_MATERIAL_STOP = (r"(?:the|a|an|its|their|this|these|those|that|which|who|by|in|for|to|from|and|or|of|on|at|with|"
                  r"will|is|are|was|were|be|shall|should|must|can|per|than|before|after|until|each|every|over|under|"
                  r"above|below|within|during|no|not|more|less)")
_PER_MASS_RX = re.compile(r"\s*(?:/|per\s+|每)\s*(?P<den>kilograms?\b|(?-i:kg)\b|tonnes?\b|tons?\b|(?-i:t)\b|公斤|千克|吨)"
                          # the material: one or two lower-case words, no determiner ("of the output": none) and
                          # no function word as its second ("of coal by 2025") (session 13 attack)
                          r"(?![\w-])(?:\s+of\s+(?!" + _MATERIAL_STOP + r"\b)(?-i:[a-z][a-z]+)"
                          r"(?:\s+(?!" + _MATERIAL_STOP + r"\b)(?-i:[a-z][a-z]+))?\b(?!\s+(?:and|or)\b))?", re.I)
#: The pint unit of a :data:`_PER_MASS_RX` denominator by its first letter.
_PER_MASS_UNITS = {"k": "kilogram", "t": "tonne", "公": "kilogram", "千": "kilogram", "吨": "tonne"}


#: A denominator after an amount of a mass, coal equivalent, energy or volume, which makes it an intensity, not an
#: amount: "0.37 tonnes of standard coal equivalent per 10,000 yuan of GDP" (energy intensity, 吨标准煤/万元),
#: "0.035 kg CO2 per ton-kilometre" (carbon intensity of freight), "20 kWh per square metre of floor area",
#: "550 g CO2/kWh" (of the grid), "10 cubic metres per 10,000 yuan" (water intensity).
#: The gas or fuel may stand between unit and "per" ("kg CO2", "tonnes of carbon dioxide"); the denominator is
#: one of :data:`_DENOMINATOR`. Kind ``{kind}_intensity``: the ontology has no unit for it, so only the unit as
#: written is kept (never normalised as the amount it is not).
_GAS = r"(?:(?:of\s+)?(?:CO2|CO₂|carbon\s+dioxide(?:\s+equivalent)?|carbon|CO2e|CO2-eq|SO2|NOx))"
#: The denominators of an intensity: a measure of output or of the economy ("10,000 yuan (of GDP)", "unit of
#: GDP", "unit of industrial added value", "ton-kilometre", "kilometre" or "100 km" (of a vehicle: "95 g CO2/km",
#: "15 kWh per 100 km"), a tonne of a fuel or product ("0.2 tonnes of CO2 per tonne of standard coal equivalent",
#: "550 kgce per tonne of steel", "per tce"), "kWh", "square metre (of floor area)"). A per-head
#: or per-recipient amount ("1,000 kWh per household", "per capita") stays an amount, normalised: a cap for
#: each household is still so many kWh. "per" before anything else is "according to" ("per NDRC targets").
_DENOMINATOR = (
    r"(?:(?:10,000|10000|ten[ \t\r\n]+thousand|100[ \t\r\n]+million)[ \t\r\n]+)?(?:yuan|RMB|CNY)"
    r"(?:[ \t\r\n]+of[ \t\r\n]+(?:GDP|(?:industrial[ \t\r\n]+)?added[ \t\r\n]+value|output))?"
    r"|万元|unit[ \t\r\n]+of[ \t\r\n]+(?:GDP|(?:industrial[ \t\r\n]+)?added[ \t\r\n]+value|output|product)"
    r"|(?:ton|tonne|passenger)s?-?[ \t\r\n]*(?:kilomet(?:re|er)s?|km)|tkm|pkm"
    r"|(?:100[ \t\r\n]*)?(?:kilomet(?:re|er)s?|km)"
    r"|(?:ton|tonne)s?(?:[ \t\r\n]+of[ \t\r\n]+(?:(?:standard|raw)[ \t\r\n]+)?(?:coal|steel|crude[ \t\r\n]+steel|cement|"
    r"clinker|crude(?:[ \t\r\n]+oil)?|oil|product|output)(?:[ \t\r\n]+equivalent)?)?|tce"
    r"|kWh|kilowatt[- ]hours?|MWh"
    r"|(?:square|cubic)[ \t\r\n]+met(?:re|er)s?(?:[ \t\r\n]+of[ \t\r\n]+(?-i:floor[ \t\r\n]+area|building))?"
    r"|m2|m²|GDP")
#: Pint units of :data:`_UNIT_TABLE` read only as an intensity: grams ("550 g CO2/kWh", "300 gce/kWh", "300 grams of
#: standard coal per kilowatt-hour"). No policy sets an amount of a few grams; a gram figure without a denominator
#: ("fall below 300 grams of standard coal", its "per kWh" in the subject) is an intensity too, kept as written.
_GRAM_UNITS = frozenset({"gram", "gce"})
_PER_DENOMINATOR_RX = re.compile(
    r"(?:[ \t\r\n]+" + _GAS + r")?[ \t\r\n]*(?:/|\bper[ \t\r\n]+|每)[ \t\r\n]*(?:" + _DENOMINATOR + r")"
    r"(?![\w-])", re.I)


def _match_unit(text: str, pos: int) -> tuple[int, str, str] | None:
    """Longest unit phrase at ``pos`` (after optional spaces or a hyphen): (end, kind, pint expr)."""
    m0 = re.compile(r"[ \t\r\n]*-?[ \t\r\n]*").match(text, pos)
    p = m0.end() if m0 else pos
    best: tuple[int, str, str] | None = None
    for rx, kind, expr in _UNIT_RX:
        m = rx.match(text, p)
        if not m or m.end() == p:
            continue
        e = expr(m) if callable(expr) else expr
        if best is None or m.end() > best[0]:
            best = (m.end(), kind, e)
    if best is None:
        return None
    end, kind, expr = best
    if kind in ("mass", "coal_equivalent", "oil_equivalent"):
        r = _PER_YEAR_RX.match(text, end) or _HOURS_YEARLY_RX.match(text, end)
        if r:  # "60,000 tons per year", "5 Mt/a", "2 million tce annually": a rate, not a mass
            return r.end(), f"{kind}_per_year", f"({expr})/year"
        r = _PER_PERIOD_RX.match(text, end)
        if r:  # "10 kt/d", "2 kt/h": a throughput (a rate), not a mass either
            period = _PERIOD_NAMES[next(k for k, v in r.groupdict().items() if v is not None)[0]]
            return r.end(), f"{kind}_per_{period}", f"({expr})/{period}"
    if kind == "volume":
        r = _PER_SHORT_PERIOD_RX.match(text, end)
        if r:  # "500 m3/s", "2,000 cubic metres per hour": a flow (a rate), not a volume; kept as written
            period = next(k for k, v in r.groupdict().items() if v is not None).rstrip("_")
            return r.end(), f"volume_per_{period}", f"({expr})/{period}"
    if kind == "energy":
        r = _PER_MASS_RX.match(text, end)
        if r:  # "180 Wh/kg", "53 kWh per kilogram of hydrogen": an energy per mass, no amount of energy
            return r.end(), "energy_per_mass", f"({expr})/({_PER_MASS_UNITS[r.group('den')[:1].lower()]})"
    if kind in ("mass", "coal_equivalent", "energy", "volume"):
        r = _PER_DENOMINATOR_RX.match(text, end)
        # "0.37 tce per 10,000 yuan of GDP", "0.035 kg CO2 per ton-kilometre", "10 m³ per 10,000 yuan": an
        # intensity, no amount
        if r:
            return r.end(), f"{kind}_intensity", expr
    if expr in _GRAM_UNITS:  # "below 300 grams of standard coal" (its denominator in the subject): no amount either
        return end, f"{kind}_intensity", expr
    if kind == "time":
        r = _PER_YEAR_RX.match(text, end) or _HOURS_YEARLY_RX.match(text, end)
        if r:  # "1,000 hours a year": utilisation hours are a yearly figure; the unit keeps "per year" as written
            return r.end(), kind, expr
    if kind == "currency":
        r = _RATE_RX.match(text, end)
        if r:
            i = next(i for i in range(len(_RATE_DENOMS)) if r[f"r{i}"] is not None)
            denom, dkind = _RATE_DENOMS[i][1], _RATE_DENOMS[i][2]
            t = _POWER_PERIOD_RX.match(text, r.end()) if dkind == "power" else None
            if t:  # "330 yuan per kilowatt per year": a capacity price, no one-off price per kW
                period = t["p"].lower().replace("annum", "year")
                return t.end(), f"price_per_power_{period}", f"{expr}/{denom}/{period}"
            return r.end(), f"price_per_{dkind}", f"{expr}/{denom}"
    return best


#: After a price per unit of power: the period it is paid for ("330 yuan per kilowatt per year", "100 yuan/kW·year",
#: "5 yuan/kW·month", "... per kW a year"): a capacity price (kind ``price_per_power_year`` / ``_month``), normalised
#: to pkg:CNYPerKiloWattYear (a month's price times 12); pkg:CNYPerKiloWatt is a one-off price per kW.
_POWER_PERIOD_RX = re.compile(r"(?:[ \t]*[·⋅∙•*/][ \t]*|[ \t\r\n]+(?:per|a|each|every)[ \t\r\n]+)(?P<p>year|annum|month)\b",
                              re.I)


def _normalise(value: Decimal, expr: str, kind: str) -> tuple[float | None, URIRef | None]:
    target = _NORMAL.get(kind)
    if target is None:
        return None, None
    ureg = unit_registry()
    try:
        if kind == "temperature":
            return float(value), target[1]
        q = ureg.Quantity(float(value), expr).to(target[0])
    except (pint.errors.PintError, ValueError):  # pragma: no cover - table and units.txt agree
        return None, None
    return float(f"{q.magnitude:.12g}"), target[1]


#: A unit written in parentheses as a power-of-ten multiple, right after a bare number: "5,000 (10,000 kW)" is
#: 5,000 x 10,000 kW, the way Chinese statistics put 万千瓦 / 万元 into English ("30 (10,000 yuan)"). The multiple
#: is 1 then zeros ("10,000", "10000", "100") and/or magnitude words ("(ten thousand kW)", "(万千瓦)").
_PAREN_OPEN_RX = re.compile(r"[ \t]*[(（][ \t]*(?:(?P<mult>1(?:0{1,2})?(?:,000)+|10+)(?![\d,.]))?")
_PAREN_CLOSE_RX = re.compile(r"[ \t]*[)）]")
#: Kinds a parenthesised multiple may carry. Not percent, points, temperature, voltage, time: "5 (100%)" or
#: "300 (1,000 hours)" are asides, and so is any multiple that is not a power of ten ("5,000 (50 GW)").
_PAREN_KINDS = frozenset({"power", "energy", "mass", "coal_equivalent", "currency", "area", "volume", "length"})


#: A power-of-ten multiple written in digits right after a number, before its unit: "600 10,000 kilowatts".
_POWER_OF_TEN_DIGITS = r"1(?:0{1,2})?(?:,000)+|10{3,}"
_POWER_OF_TEN_DIGITS_RX = re.compile(_POWER_OF_TEN_DIGITS)
_BARE_MULTIPLE_RX = re.compile(r"[ \t]+(?P<mult>" + _POWER_OF_TEN_DIGITS + r")(?=[ \t]+[A-Za-z])")


def _power_of_ten(n: int) -> list[str]:
    """10^``n`` as magnitude names of ``units.txt`` (pint takes no number in a unit expression):
    ``["thousand", "ten"]`` for 4; ``[]`` for 0."""
    return ["thousand"] * (n // 3) + [[], ["ten"], ["hundred"]][n % 3]


def _paren_unit(text: str, pos: int) -> tuple[int, str, str, str] | None:
    """The parenthesised power-of-ten unit at ``pos`` (:data:`_PAREN_OPEN_RX`): ``(end after the closing
    parenthesis, kind, pint expression, unit text without the parentheses)``, e.g. ``(…, "power",
    "thousand*ten*(kilowatt)", "10,000 kW")`` for " (10,000 kW)"; ``None`` when the parenthesis holds anything else."""
    op = _PAREN_OPEN_RX.match(text, pos)
    if op is None:
        return None
    factors = _power_of_ten(len(op["mult"].replace(",", "")) - 1) if op["mult"] else []
    p = op.end()
    for _ in range(2):
        mm = re.compile(r"[ \t]*(?:" + _MAG_RX.pattern + r")", re.I).match(text, p)
        if not mm:
            break
        factors.append(next(_MAGNITUDES[i][1] for i in range(len(_MAGNITUDES)) if mm[f"m{i}"] is not None))
        p = mm.end()
    if not factors:
        return None
    unit = _match_unit(text, p)
    if unit is None or unit[1] not in _PAREN_KINDS:
        return None
    close = _PAREN_CLOSE_RX.match(text, unit[0])
    if close is None:
        return None
    inner = _norm_ws(text[op.end() - len(op["mult"] or ""):unit[0]])
    return close.end(), unit[1], "*".join(factors + [f"({unit[2]})"]), inner


#: A definite determiner right before a number word: "the three", "these two", "both", "all four".
#: Only at a sentence's start ("The two regulators expect ...") or after a preposition ("in the three
#: industries", "loans to the five industries": "to" and "with" were missing, a miss the session 29 note listed):
#: there the phrase names things already known; "will cover the eight industries" (the object of a goal verb)
#: stays a count.
_DEFINITE_BEFORE = re.compile(r"(?:^\s*|[.;:!?]\s+|\b(?:in|of|among|for|from|between|across|within|at|on|under|"
                              r"over|throughout|to|with)\s+)(?:the|these|those|its|their|both|said)\s+$", re.IGNORECASE)
#: The same determiner after a comma or "and", before a subject and its verb: "By 2027, the two cities will build 50
#: stations", "The ten departments and the two cities will build ..." (the cities named before; before, a target of
#: 2). :data:`_SUBJECT_VERB_AFTER` reads the verb.
_DEFINITE_AFTER_COMMA = re.compile(r"(?:,|\band)\s+(?:the|these|those|both)\s+$", re.IGNORECASE)
#: A ranked group as a subject, before its number: "By 2027, the top 10 enterprises will cut emissions by 5%" (the
#: group that must act, no amount: before, a target of 10, a miss the session 29 note listed); with
#: :data:`_SUBJECT_VERB_AFTER`.
_RANKED_SUBJECT_BEFORE = re.compile(r"(?:^\s*|[.;:!?,]\s+|\band\s+)(?:the|its|their)\s+(?:top|largest|biggest|"
                                    r"leading|first)\s+$", re.IGNORECASE)
#: A modal right after a ranked group's number: "the top 3 will get 1 million yuan each" (:data:`_RANKED_SUBJECT_BEFORE`).
_RANKED_VERB_AFTER = re.compile(r"\s+(?:will|shall|should|must|are|get|receive)\b")
#: Up to three words of a plural subject's noun, then a modal or finite verb ("two cities will", "three pilot
#: provinces are to").
_SUBJECT_VERB_AFTER = re.compile(r"(?:\s+[a-z][\w-]*){1,3}\s+(?:will|shall|should|must|are|have|were|plan|aim)\b")
#: A footnote marker of one or two digits glued after a sentence's end: ").4 Energy", "”.12 The".
_FOOTNOTE_MARK = re.compile(r"[)\]”\"’'][.;]\d{1,2}(?=[ \t]+[A-Z][a-z]+\b|[ \t]*(?:\r?\n|$))")
#: The rest of a ratio written "X:1" (the second term 1, nothing numeric after: not a time "10:15", a scale
#: "1:50,000" or a verse "3:16").
_RATIO_AFTER = re.compile(r"[ \t]?[:：∶][ \t]?1(?![\d:：∶]|[.,]\d)")
#: The word that says a "X:1" is a ratio, within :data:`_RATIO_REACH` characters before it in its sentence.
_RATIO_WORD = re.compile(r"\bratios?\b", re.IGNORECASE)
_RATIO_REACH = 120
#: A bound of size right before "X:1" ("..., and no lower than 4:1 in regions where ...": a clause the word "ratio"
#: is not in, the thirteenth blind test), which no clock time takes ("no later than 10:30").
_RATIO_BOUND_BEFORE = re.compile(r"\b(?:(?:no|not)\s+(?:lower|higher|less|more|greater|smaller)\s+than|"
                                 r"at\s+(?:least|most))\s+$", re.IGNORECASE)
#: A year with one or two digits glued after its full stop: "by 2035.2" (a footnote marker, not a decimal).
_YEAR_FOOTNOTE = re.compile(r"(?:19|20)\d\d\.[1-9]\d?")
_FOOTNOTE_AFTER = re.compile(r"(?=[ \t]+[A-Z][a-z]+\b(?![ \t]*[/·])|[ \t]*(?:\r?\n|$))")
#: A year's preposition right before a year with a glued footnote marker: "by 2035.2", "in 2030.3".
_YEAR_PREP_BEFORE = re.compile(r"\b(?:by|in|until|before|after|since|end\s+of)\s+$", re.IGNORECASE)


#: A minus sign right before a number's digits: "-" or "−" after the text's start, white space, an opening bracket
#: or a colon (:func:`_quantity_at`).
_MINUS_BEFORE = re.compile(r"(?:^|(?<=[\s(\[（:：]))[-−]$")
#: "in one go", "at one stroke", "for one thing": the word "one" after a preposition, before a singular noun, is an
#: idiom of manner, no count (:func:`_quantity_at`). "one" after "at least"/"only" and in "one of" is untouched.
_ONE_IDIOM_BEFORE = re.compile(r"(?<![\w-])(?:in|at|for|with)\s+$", re.I)
#: A noun coordinated with a number and a plural noun after it ("in one province and 10 cities", "for one county or
#: two towns") makes "one" a count (session 13 attack).
#: "the new one", "this one", "each one", "no one": the word "one" after a determiner (and at most one adjective) is a
#: pronoun standing for a noun named before, no count ("the old plan set 100; the new one aims for 150": a miss the
#: session 29 note listed, read as a target of 1 "aims"). :func:`_quantity_at`; "one million" keeps its count.
_ONE_PRONOUN_BEFORE = re.compile(r"(?<![\w-])(?:(?:the|this|that|each|every|any|which|another|a|an)\s+"
                                 r"(?:new|old|first|last|latest|previous|current|existing|same|other|only|second|"
                                 r"third|revised|earlier|later|final)|the|this|that|each|every|any|which|another|no)"
                                 r"\s+$", re.I)
_ONE_IDIOM_NOUN = re.compile(r"\s+(?:[a-z]+(?<!s))\b(?!\s+(?:of|per)\b)"
                             r"(?!\s+(?:and|or)\s+(?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|eleven|"
                             r"twelve)\s+[a-z]+s\b)")


def _quantity_at(text: str, m: re.Match[str]) -> Quantity | None:
    """Build the quantity whose number is matched by ``m`` (a :data:`_NUMBER_RX` match), or ``None``."""
    start, end = m.start(), m.end()
    is_word = m["dig"] is None
    raw = m.group(0)
    before = text[max(0, start - 30):start]
    # glued to letters/digits before: CO2, PM2.5, H2, v1.2; or part of a decimal/reference
    after_unit_slash = (not is_word and start > 1 and text[start - 1] == "/" and text[start - 2].isalpha())
    if start > 0 and not after_unit_slash and (
            text[start - 1].isalpha() and text[start - 1].isascii()
            or text[start - 1] in "._/#-" and not is_word and start > 1 and text[start - 2].isalnum()):
        return None
    if not is_word and _REF_BEFORE.search(before):
        return None
    if not is_word and (_ORDINAL_AFTER.match(text, end) or _MONTH_AFTER.match(text, end)):
        return None
    # a citation / endnote marker "[3]", "[12]": a reference number, not an amount
    if (not is_word and start > 0 and text[start - 1] == "[" and text[end:end + 1] == "]"
            and re.fullmatch(r"\d{1,3}", raw)):
        return None
    # dates "2024.03.12", "2024-04-02", "2024年3月"
    if not is_word and re.match(r"(?:19|20)\d\d([./-])\d{1,2}\1\d{1,2}\b|(?:19|20)\d\d[/-]\d{1,2}\b|(?:19|20)\d\d年",
                                  text[start:start + 11]):
        return None
    # a ratio "X:1" after the word "ratio" ("a vehicle-to-pile ratio of no more than 2.5:1", "will reach 1:1"):
    # the first term, dimensionless (unit:NUM), the rest of the ratio is its unit as written
    rm = _RATIO_AFTER.match(text, end) if not is_word else None
    if rm is not None and (_RATIO_WORD.search(text[max(0, start - _RATIO_REACH):start].rsplit(";", 1)[-1]
                                              .rsplit(". ", 1)[-1])
                           or _RATIO_BOUND_BEFORE.search(text, max(0, start - 24), start)):
        value = parse_number(raw)
        if value is None:
            return None
        comp, comp_start = comparator_for(text, start, rm.end())
        return Quantity(value=value, unit_text="ratio", normalized_value=float(value), normalized_unit=UNIT.NUM,
                        kind="ratio", start=start, end=rm.end(), text=text[start:rm.end()], comparator=comp,
                        comparator_start=comp_start, pint_unit=None)
    # other ratios "2:1" (no "ratio" before), times "10:30", fractions "1/3"
    if not is_word and (re.match(r"\s?[:：∶/]\s?\d", text[end:end + 3]) or re.search(r"\d\s?[:：∶]\s?$", text[max(0, start - 3):start])):
        return None
    # a number used as a name: quoted on its own ('the "1" of the "1+N" system', "the "3060" goals") or
    # joined to a letter by "+" ("1+N", "1+X"); not an amount
    if not is_word and (re.match(r"[\"“'‘]", text[max(0, start - 1):start] or " ")
                        and re.match(r"[\"”'’+]", text[end:end + 1] or " ")
                        or re.match(r"\+[A-Za-z]\b", text[end:end + 2] or "")):
        return None
    # a year with its century cut off ("by '27", slides and tables): no amount
    if (not is_word and len(raw) == 2 and raw.isdigit() and start > 0 and text[start - 1] in "'’‘"
            and not re.match(r"[\"”'’%]", text[end:end + 1] or " ")):
        return None
    if _RANKED_SUBJECT_BEFORE.search(text, max(0, start - 20), start) and (
            _SUBJECT_VERB_AFTER.match(text, end) or _RANKED_VERB_AFTER.match(text, end)):
        return None  # "the top 10 enterprises will cut ...", "the top 3 will get ...": the group that acts, no amount
    if is_word and (_DEFINITE_BEFORE.search(text, max(0, start - 40), start) or (
            _DEFINITE_AFTER_COMMA.search(text, max(0, start - 10), start) and _SUBJECT_VERB_AFTER.match(text, end))):
        # "in the three industries", "The two regulators expect": a definite article before a number word
        # points back to things already named; it counts them, it sets no amount
        return None
    if not is_word and _FOOTNOTE_MARK.match(text, start - 2 if start >= 2 else 0) and start >= 2:
        # ").4 Energy consumption ...", "by 2035.2": a footnote marker glued after a sentence's end
        return None
    if not is_word and _YEAR_FOOTNOTE.fullmatch(raw) and _FOOTNOTE_AFTER.match(text, end) and \
            _YEAR_PREP_BEFORE.search(text, max(0, start - 12), start):
        return None
    if is_word and (re.match(r"-\w", text[end:end + 2]) or text[max(0, start - 1):start] == "-"):
        # "Five-Year Plan", "one-stop"; but "20-megawatt" style is digits only
        return None
    value = parse_number(raw)
    if value is None:
        return None
    if not is_word and start > 0 and text[start - 1] in "-−" and _MINUS_BEFORE.search(text, max(0, start - 3), start):
        # "a floor of -0.05 yuan per kWh", "(−3%)": a minus sign after a space, a bracket or the text's start
        # is the number's own sign; a hyphen after a word or a number ("CO2-5", "10-15") is none (refused above
        # or read as a range)
        value = -value
        start -= 1
    lower = upper = None
    pos = end
    # range: "10-15", "10 to 15", "five to eight", "between 10 and 15"
    # (one whitespace run before the separator: "\s*%?\s*" would try every split of a long run)
    rng = _RANGE_REST_RX.match(text, pos)
    from_before = re.search(r"\bfrom\s+$", text[max(0, start - 10):start], re.I)
    between = re.search(r"\bbetween\s+$", text[max(0, start - 10):start], re.I)
    if rng and not from_before and (rng["sep"].lower() != "and" or between):
        up = parse_number(rng["dig"] or rng["word"] or "")
        mag = (_MAG_AFTER_RX.match(text, rng.end()) if up is not None and 0 < up <= value
               and not _BY_BEFORE_RX.search(text, max(0, start - 4), start) else None)
        if mag is not None and up * _magnitude_factor(mag) > value >= _magnitude_factor(mag) / 1000:
            # "between 100,000 and 1 million yuan": the magnitude is the upper bound's own; the lower bound is
            # written in its terms (0.1 million), so that both share the unit read after the magnitude; not below a
            # thousandth of it ("between 500 and 2 billion" is no range of one unit), nor after "by" ("increase by
            # 500,000 to 3.5 million": a change, then the level it reaches)
            value = value / _magnitude_factor(mag)
        if up is not None and up > value:
            lower, upper = value, up
            pos = rng.end()
    elif (not _CHANGE_BEFORE_RX.search(text, max(0, start - 40), start)
          and (m1 := _MAG_AFTER_RX.match(text, pos)) is not None):
        # "between 300 million and 700 million yuan", "1.2 billion to 1.5 billion": each bound with the same
        # magnitude word, read once after the upper bound (the tenth blind test)
        rng = _RANGE_REST_RX.match(text, m1.end())
        m2 = _MAG_AFTER_RX.match(text, rng.end()) if rng and (rng["sep"].lower() != "and" or between) else None
        up = parse_number(rng["dig"] or rng["word"] or "") if m2 is not None else None
        if m2 is not None and m2.group(0).strip().lower() == m1.group(0).strip().lower() and up is not None \
                and up > value:
            lower, upper = value, up
            pos = rng.end()
    # year-like bare integer or a year range
    is_yearish = (not is_word and re.fullmatch(r"(?:19|20)\d\d", raw) is not None)
    if is_yearish and (upper is not None or _YEAR_RANGE_AFTER.match(text, end)):
        return None
    mags: list[str] = []
    mag_text_start = pos
    # "600 10,000 kilowatts": 万千瓦 put into English word for word, a power-of-ten multiple in digits between
    # the number and its unit (as "5,000 (10,000 kW)" puts it in parentheses): 600 x 10,000 kW, not two numbers
    pm = (_BARE_MULTIPLE_RX.match(text, pos) if not is_word and not is_yearish and upper is None
          # "Unit 3 1,000 MW", "Round 2 1000 MW": a capitalised word before the number makes it a reference
          and not re.search(r"\b[A-Z][A-Za-z]*\.?[ \t]*$", text[max(0, start - 20):start])
          # "10,000 10,000 tons": a multiple of a multiple is nonsense, not 10^8 tons
          and not _POWER_OF_TEN_DIGITS_RX.fullmatch(raw) else None)
    if pm is not None:
        after = _match_unit(text, pm.end())
        if after is not None and after[1] in _PAREN_KINDS:
            mags.extend(_power_of_ten(len(pm["mult"].replace(",", "")) - 1))
            pos = pm.end()
    for _ in range(2):
        mm = _MAG_AFTER_RX.match(text, pos)
        if not mm:
            break
        i = next(i for i in range(len(_MAGNITUDES)) if mm[f"m{i}"] is not None)
        mags.append(_MAGNITUDES[i][1])
        pos = mm.end()
    if m["a"] and not mags:
        return None
    unit = _match_unit(text, pos)
    if after_unit_slash and unit is None:
        return None  # "…/2024", "yuan/ton": only "30 GW/60 GWh" style pairs are quantities
    if unit is not None and unit[1] == "time" and (re.match(r"[ \t\r\n]*-", text[pos:pos + 8]) or (
            value != 1 and not re.search(r"s\b|小时", text[pos:unit[0]], re.I))):
        return None  # a compound adjective: "4-hour storage", "a 24 hour hotline" (singular after a plural number)
    if (unit is not None and unit[1] == "length" and not mags and re.match(r"-[A-Za-z]", text[pos:pos + 2])
            and re.match(r"[ \t\r\n]+(?!(?:of|by|in|to|and|or|from|for|at|on|with|per|will|is|are|was|were)\b)"
                         r"[A-Za-z]", text[unit[0]:unit[0] + 12])):
        return None  # a compound adjective: a "3-kilometre charging service circle", a "5-km radius", no goal
    # "by 2025 (100 GW ...)": a year is never the count of a parenthesised unit
    paren = _paren_unit(text, pos) if unit is None and not mags and not is_yearish else None
    prefix_currency = _PREFIX_CURRENCY_RX.search(text[max(0, start - 6):start]) if unit is None and paren is None \
        else None
    noun = None
    paren_text: str | None = None
    if paren is not None:
        q_end, kind, pint_expr, paren_text = paren
        unit_start = pos
    elif unit is not None:
        uend, kind, expr = unit
        unit_start = mag_text_start
        pint_expr = "*".join(mags + [f"({expr})"]) if mags else expr
        q_end = uend
    elif re.match(r"-[A-Za-z]", text[pos:pos + 2]):
        return None  # a compound adjective without a unit: "4-hour storage", "5-star"
    elif prefix_currency is not None:
        kind = "currency" if prefix_currency["cny"] else "currency_other"
        pint_expr = "*".join(mags + ["yuan" if kind == "currency" else "item"])
        unit_start = mag_text_start
        q_end = pos
        rate = _RATE_RX.match(text, pos) if kind == "currency" else None
        if rate:  # "RMB 0.03/kWh"
            i = next(i for i in range(len(_RATE_DENOMS)) if rate[f"r{i}"] is not None)
            kind = f"price_per_{_RATE_DENOMS[i][2]}"
            pint_expr = f"({pint_expr})/{_RATE_DENOMS[i][1]}"
            q_end = rate.end()
            t = _POWER_PERIOD_RX.match(text, q_end) if _RATE_DENOMS[i][2] == "power" else None
            if t:  # "RMB 100/kW·year": a capacity price
                period = t["p"].lower().replace("annum", "year")
                kind, pint_expr, q_end = f"price_per_power_{period}", f"{pint_expr}/{period}", t.end()
        start = max(0, start - 6) + prefix_currency.start()
    else:
        if _NOT_COUNT_AFTER.match(text, pos):
            return None  # "five years", "2 times"
        if not is_word and not mags and text[pos:pos + 1].isascii() and text[pos:pos + 1].isalpha():
            return None  # "5G", "3D", "4K": a number glued to a letter names a technology, it counts nothing
        if (is_word and raw.lower() == "one" and _ONE_IDIOM_BEFORE.search(text, max(0, start - 6), start)
                and _ONE_IDIOM_NOUN.match(text, pos)):
            return None  # "in one go", "in one sentence": an idiom of manner
        if is_word and raw.lower() == "one" and _ONE_PRONOUN_BEFORE.search(text, max(0, start - 24), start):
            return None  # "the new one aims for 150", "each one": a pronoun
        kind = "count"
        pint_expr = "*".join(mags + ["item"])
        unit_start = mag_text_start
        q_end = pos
        nm = _NOUN_RX.match(text, pos)
        pm = _PAREN_NOUN_RX.match(text, pos)
        cm = _CJK_COUNT_RX.match(text, pos)
        if nm:
            words = nm["noun"].split()
            kept: list[str] = []
            for j, w in enumerate(words):
                # an -ing/-ed word after the head noun opens a participle clause ("50 businesses operating in");
                # after a modifier that is no head ("5 million public charging piles": "public" is no plural
                # noun) and before a further noun word, it is a modifier of the counted noun
                if w.lower() in _NOT_NOUN or (j > 0 and re.search(r"(?:ing|ed)$", w, re.I) and not (
                        not re.search(r"[^s]s$", words[j - 1], re.I)
                        and j + 1 < len(words) and words[j + 1].lower() not in _NOT_NOUN)):
                    break
                if _NOT_COUNT.fullmatch(w):
                    return None
                kept.append(w)
            # "5 LNG and methanol bunkering stations": one modifier (no plural), "and|or", more words ending in a
            # plural head: the head is counted (a miss the session 26 note listed: the unit was "LNG")
            lst = _NOUN_LIST_RX.match(text, pos) or (_PAIRED_MODIFIER_RX.match(text, pos) if kept and not any(
                re.search(r"[^s]s$", w) for w in kept) else None)
            if lst and lst.re is _PAIRED_MODIFIER_RX and (
                    sum(w.lower() in _NOT_NOUN for w in lst["noun"].split()) != 1
                    or any(re.search(r"[^s]s$", w) for w in lst["noun"].split()[:-1])):
                lst = None  # the conjunction is the one function word; no plural before the head
            if lst:
                kept = lst["noun"].split()
                words = kept
                nm = lst
            if kept:
                noun = " ".join(kept)
                # end offset of the kept words
                sub = re.compile(r"\s+" + r"\s+".join(re.escape(w) for w in kept)).match(text, pos) if not lst else lst
                q_end = sub.end() if sub else pos
                if not lst and len(kept) == len(words) and nm["paren"]:
                    noun += " " + _norm_ws(nm["paren"])
                    q_end = nm.end()
        elif pm:
            noun = _norm_ws(pm["noun"])
            q_end = pm.end()
        elif cm:
            noun = cm["noun"]
            q_end = cm.end()
        if is_word and noun is None:
            return None
        if is_yearish and not mags:
            return None
    unit_text = paren_text or _norm_ws(text[unit_start:q_end]).lstrip("-").strip() or None
    if unit_text and prefix_currency is not None:
        unit_text = prefix_currency.group(0).strip() + ("" if unit_text.startswith("/") else " ") + unit_text
    elif prefix_currency is not None:
        unit_text = _norm_ws(prefix_currency.group(0))
    if unit_text and (kind == "time" or kind.endswith("_per_year")):
        unit_text = _HOURS_YEARLY_TAIL_RX.sub(" per year", unit_text)  # "hours annually", "tce each year"
    if unit_text and (kind.endswith("_per_year") or kind == "time"):
        unit_text = _annual_rate_words(unit_text)
    nv, nu = _normalise(value, pint_expr, kind)
    comp, comp_start = comparator_for(text, start, q_end)
    if comp is None and upper is not None:
        comp = AT_LEAST  # "between 25% and 30%": at least the lower bound, up to upper_value
    return Quantity(
        value=value, unit_text=unit_text, normalized_value=nv, normalized_unit=nu, kind=kind,
        start=start, end=q_end, text=text[start:q_end], comparator=comp, comparator_start=comp_start,
        noun=noun, lower_value=lower, upper_value=upper, pint_unit=None if kind == "currency_other" else pint_expr,
    )


def find_quantities(text: str) -> list[Quantity]:
    """All quantities in ``text``, in order, with offsets into ``text``.

    Returns a list of :class:`Quantity` (possibly empty); never raises on
    any string. Overlapping candidates are resolved left to right (a range
    "10-15%" is one quantity).

    >>> [(q.value, q.unit_text, q.normalized_value) for q in find_quantities("about 12 million charging piles")]
    [(Decimal('12'), 'million charging piles', 12000000.0)]
    """
    out: list[Quantity] = []
    pos = 0
    urls = [(u.start(), u.end()) for u in _URL_RX.finditer(text)]
    carried: set[int] = set()  # indices in ``out`` of quantities whose comparator was carried over from the one before
    for m in _NUMBER_RX.finditer(text):
        if m.start() < pos or not m.group(0).strip() or any(a <= m.start() < b for a, b in urls):
            continue
        q = _quantity_at(text, m)
        if q is None:
            continue
        if out and _carries_comparator(text, out[-1], q, len(out) - 1 in carried):
            q = replace(q, comparator=out[-1].comparator)
            carried.add(len(out))
        out.append(q)
        pos = q.end
    return _elided_denominators(text, _fractions(text, out))


#: A change by a simple fraction, written in words: "reduced by half", "by one third", "by a quarter", "by two
#: thirds", and the verb "halve" (:func:`_fractions`). Group ``n``: the numerator word, ``d``: the denominator.
_FRACTION_RX = re.compile(r"\bby[ \t\r\n]+(?:(?P<n>one|a|two|three)[ \t\r\n]+)?(?P<d>half|thirds?|quarters?|fifths?)\b"
                          r"|\b(?P<halve>halve[ds]?|halving)\b"
                          # "of which at least half will use heat pumps", "half of new buildings": a share of 50 %
                          # (not "the first half of 2025", "the back half of the year", "one and a half", "a half-year";
                          # only in a sentence with a modal, :func:`_fractions`)
                          r"|(?<!first )(?<!second )(?<!latter )(?<!later )(?<!former )(?<!back )(?<!front )"
                          r"(?<!other )(?<!upper )(?<!lower )(?<!and a )(?<!\ba )\b(?P<half>half)\b(?!-)"
                          r"(?![ \t\r\n]+of[ \t\r\n]+(?:(?:the|this|next)[ \t\r\n]+)?(?:(?:19|20)\d\d|year|month|"
                          r"decade|century|period|day|week|quarter)\b)"
                          r"(?=[ \t\r\n]+(?:of[ \t\r\n]+(?:(?:the|all|new|its|their)[ \t\r\n]+)?"
                          r"[a-z]+|will|shall|should|must|are|is)\b)"
                          # "will double from the 2025 level", "to triple": a rise by 100 % or 200 % (the eleventh
                          # blind test); only after a modal, "to" or "be" (not "double carbon", "double-digit")
                          r"|\b(?:will|to|shall|should|must|be|been|being)[ \t\r\n]+"
                          r"(?:(?:more[ \t\r\n]+than|at[ \t\r\n]+least|nearly|almost|basically|roughly)[ \t\r\n]+)?"
                          r"(?P<mult>doubl|tripl|quadrupl)"
                          # not an adjective or "double as": "to double carbon goals", "return to double digits"
                          r"(?:e[ds]?|ing)\b(?!-|[ \t\r\n]+(?:carbon|digits?|as|counting|check|dividend)\b)", re.I)
#: A participle that describes a share before "half" ("accounting for more than half of output", "representing
#: half"): what the things are, no share to reach (:func:`_fractions`).
_SHARE_ASIDE_BEFORE_RX = re.compile(r"\b(?:accounting\s+for|representing|making\s+up|comprising)\s+(?:(?:more|less)"
                                    r"\s+than\s+|about\s+|nearly\s+|over\s+|almost\s+|roughly\s+)?$", re.I)
#: A modal of a goal or a rule in the sentence around "half" (:func:`_fractions`).
_GOAL_MODAL_RX = re.compile(r"\b(?:will|shall|should|must|to\s+be)\b", re.I)
#: The rise a verb of multiplying states, in percent ("double" is +100 %).
_MULTIPLY_PERCENT = {"doubl": 100, "tripl": 200, "quadrupl": 300}
_FRACTION_DENOMINATORS = {"half": 2, "third": 3, "quarter": 4, "fifth": 5}
_FRACTION_NUMERATORS = {None: 1, "one": 1, "a": 1, "two": 2, "three": 3}


def _fractions(text: str, found: list[Quantity]) -> list[Quantity]:
    """``found`` with the changes by a fraction in words that ``text`` states added as percentages, in text order:
    "reduced by half" is 50 %, "by one third" 33.33 %, "by two thirds" 66.67 %, "halve emissions" 50 %, "will
    double" 100 % and "to triple" 200 % (unit as written "%": the ontology's
    unit:PERCENT). A count the number reader made of the same words ("one third" as 1
    "third") is replaced. Session 21, from the blind test ("Routine flaring will be reduced by half by 2030
    compared with 2020": before, a goal with no value)."""
    fractions: list[Quantity] = []
    for m in _FRACTION_RX.finditer(text):
        if m["mult"]:
            value = Decimal(_MULTIPLY_PERCENT[m["mult"].lower()])
            # "will at least double", "more than triple": the bound before the verb (a miss the session 27 note
            # listed: Exactly)
            comp, comp_start = comparator_for(text, m.start("mult"), m.end())
            fractions.append(Quantity(value=value, unit_text="%", normalized_value=float(value),
                                      normalized_unit=UNIT.PERCENT, kind="percent", start=m.start("mult"),
                                      end=m.end(), text=text[m.start("mult"):m.end()], pint_unit="percent",
                                      comparator=comp, comparator_start=comp_start))
            continue
        if m["half"]:
            if _SHARE_ASIDE_BEFORE_RX.search(text, max(0, m.start("half") - 40), m.start("half")):
                continue  # "60 enterprises, accounting for half of output, will ...": a description of them
            before = re.split(r"[.;:!?]", text[max(0, m.start("half") - 60):m.start("half")])[-1]
            after = re.split(r"[.;:!?]", text[m.end("half"):m.end("half") + 80])[0]
            if not (_GOAL_MODAL_RX.search(before) or _GOAL_MODAL_RX.search(after)):
                continue  # "More than half of the targets were met": a status report, no share to reach
            comp, comp_start = comparator_for(text, m.start("half"), m.end("half"))
            fractions.append(Quantity(value=Decimal(50), unit_text="%", normalized_value=50.0,
                                      normalized_unit=UNIT.PERCENT, kind="percent", start=m.start("half"),
                                      end=m.end("half"), text="half", pint_unit="percent", comparator=comp,
                                      comparator_start=comp_start))
            continue
        if m["halve"]:
            num, den, a = 1, 2, m.start("halve")
        else:
            den = _FRACTION_DENOMINATORS[m["d"].lower().rstrip("s")]
            num = _FRACTION_NUMERATORS[m["n"].lower() if m["n"] else None]
            if num >= den or (num > 1 and not m["d"].lower().endswith("s")):
                continue  # "by two half": no fraction
            a = m.start("n") if m["n"] else m.start("d")
        value = (Decimal(100 * num) / Decimal(den)).quantize(Decimal("0.01"))
        value = Decimal(int(value)) if value == value.to_integral_value() else value  # 50, not 50.00 nor 5E+1
        fractions.append(Quantity(value=value, unit_text="%", normalized_value=float(value),
                                  normalized_unit=UNIT.PERCENT, kind="percent", start=a, end=m.end(),
                                  text=text[a:m.end()], pint_unit="percent"))
    if not fractions:
        return found
    spans = [(f.start, f.end) for f in fractions]
    kept = [q for q in found if not any(q.start < b and a < q.end for a, b in spans)]
    return sorted(kept + fractions, key=lambda q: q.start)


#: A price per bare ton: "150 yuan per ton" (no "of ..." after it).
_BARE_TON_RX = re.compile(r"(?:/|per\s+|每)\s*" + _TONNE + r"$", re.I)
#: What may stand between two coordinated prices of one sentence: no sentence end.
_SENTENCE_STOP_RX = re.compile(r"[.!?;。；](?=\s|$)")
#: How far back (characters) the price with the full denominator may stand.
_ELLIPSIS_REACH = 200
#: What stands between the price per ton of coal and the bare one when the second is an ellipsis of the first: a
#: few words closing the first ("saved"), a coordinator, then nothing but the other group the same rate is for
#: ("those in the east", "in the west", "for small firms") with no verb of its own: "200 yuan per ton of standard
#: coal saved, and those in the east at 240 yuan per ton". A clause with its own subject and verb ("..., while the
#: carbon price averaged 80 yuan per ton", "and scrap steel is bought at") prices something else.
_ELLIPSIS_GAP_RX = re.compile(
    r"[^,;()]{0,40}?,?\s+(?:and|or|while|whereas|but)\s+"
    r"(?:(?:(?:those|that|the\s+ones?|ones)|(?:in|for|at|from|with|under|to)\s)"
    r"(?:(?!\b(?:is|are|was|were|be|been|being|has|have|had|will|shall|would|should|must|can|could|may)\b)[^,;()]){0,80}?)?"
    r"(?:\s+(?:at|of|is|are))?\s*$", re.I)


def _elided_denominators(text: str, out: list[Quantity]) -> list[Quantity]:
    """Give a price per bare "ton" the denominator of the price before it in the same sentence when that one's is
    a ton of coal equivalent: "120 yuan per ton of standard coal saved, and those in the north at 150 yuan per ton"
    (the second ton is of standard coal too, an ellipsis of coordination). Only a price of kind
    ``price_per_mass`` after a ``price_per_coal_equivalent`` of the same currency, with no sentence stop between,
    at most :data:`_ELLIPSIS_REACH` characters apart, joined as a coordinated list of the same subject
    (:data:`_ELLIPSIS_GAP_RX`: no clause of another subject between); a price "per tonne of <material>" has its
    own denominator and is left alone. The unit text stays as written, the kind and the
    normalised unit are the earlier price's. Returns the list (new items for the changed prices)."""
    for i in range(1, len(out)):
        q = out[i]
        if (q.kind != "price_per_mass" or q.unit_text is None or not _BARE_TON_RX.search(q.unit_text)
                or re.match(r"\s+of\s", text[q.end:q.end + 6])):
            continue  # "350 yuan per tonne of steel": a denominator of its own, no ellipsis
        for j in range(i - 1, -1, -1):
            p = out[j]
            if q.start - p.end > _ELLIPSIS_REACH or _SENTENCE_STOP_RX.search(text, p.end, q.start):
                break
            if p.kind.startswith("price_per_"):
                if (p.kind == "price_per_coal_equivalent" and p.pint_unit and q.pint_unit
                        and _ELLIPSIS_GAP_RX.fullmatch(text, p.end, q.start)
                        and p.pint_unit.split("/")[0] == q.pint_unit.split("/")[0]):
                    expr = q.pint_unit.rsplit("/", 1)[0] + "/tce"
                    nv, nu = _normalise(q.value, expr, p.kind)
                    out[i] = replace(q, kind=p.kind, pint_unit=expr, normalized_value=nv, normalized_unit=nu)
                break
    return out


#: A qualifier right after a value of a coordinated list: "in oil refining" of "40% in oil refining and 30% in
#: ethylene", "of new buses" of "50% of new buses, 30% of new taxis" (a preposition, then one to six words that are
#: no predicate, conjunction or number); group ``qual``. Shared with :mod:`loaders.goals` (list indicators).
COORD_QUALIFIER = (r"(?P<qual>(?:in|for|of|among|across|at|on|within|under)"
                   r"(?:[ \t\r\n]+(?!(?:and|or|by|will|shall|should|must|is|are)\b)[A-Za-z][\w-]*){1,6})")
#: The words between two coordinated values of one comparator: an optional postposed comparator of the first value
#: ("40% or more in ..."; it bounds that value only, see :func:`_carries_comparator`), an optional qualifier
#: (:data:`COORD_QUALIFIER`) or year ("at least 20% in 2025 and 40% in 2030": milestones of one floor), then a comma
#: and/or "and"/"or" before the next value ("no less than 40% in oil refining and 30% in ethylene"). Each part is
#: bounded, so a match is linear. Shared with :mod:`loaders.goals`; group ``qual`` is the qualifier.
COORD_GAP = (r"(?:[ \t\r\n]+(?:or|and)[ \t\r\n]+(?:more|above|higher|greater|over|less|below|lower|fewer|under)\b)?"
             rf"(?:[ \t\r\n]+{COORD_QUALIFIER}|[ \t\r\n]+in[ \t\r\n]+(?:19|20)\d\d(?!\d))?"
             r"(?:[ \t\r\n]*,[ \t\r\n]*(?:(?:and|or)[ \t\r\n]+)?|[ \t\r\n]+(?:and|or)[ \t\r\n]+)")
_COORD_GAP_RX = re.compile(COORD_GAP, re.I)
#: Words that give the next value a predicate or a year of its own ("... and will reach 30%", "... by the end"):
#: then the first value's comparator is not the next one's.
_OWN_PREDICATE_RX = re.compile(
    r"\b(?:will|shall|should|must|may|can|could|would|is|are|was|were|be|been|being|has|have|had|by|than|compared"
    r"|reach\w*|exceed\w*|achiev\w*|increas\w*|decreas\w*|reduc\w*|rais\w*|cut|respectively)\b", re.I)


#: After a value: it is a part of the value before it ("at least 1,200 GW, 500 GW of which in the west"), an
#: appositive that the total's comparator does not bound.
_PART_AFTER_RX = re.compile(r"[ \t\r\n]*(?:of|among|in)[ \t\r\n]+which\b", re.I)


#: A rating of power and energy written as one pair ("100 MW / 200 MWh", "50MW/100MWh"): a comparator before the first
#: bounds both (:func:`_carries_comparator`).
_RATING_KINDS = frozenset({"power", "energy"})
_RATING_SLASH_RX = re.compile(r"[ \t]*/[ \t]*")


def _carries_comparator(text: str, prev: Quantity, q: Quantity, prev_carried: bool) -> bool:
    """Whether the comparator written before ``prev`` also bounds ``q``, the next value of a coordinated list.

    English distributes a comparator over coordinated values ("no less than 40% in oil refining and 30% in
    ethylene": both at least; "more than 15% for paper and 10% for glass": both more than), and over a storage
    rating's pair ("at least 50 MW / 100 MWh", :data:`_RATING_SLASH_RX`). It is carried when
    ``q`` has no comparator of its own, is of the same kind, and only :data:`_COORD_GAP_RX` stands between the
    two with no predicate, year or comparison word (:data:`_OWN_PREDICATE_RX`); the comparator of ``prev`` was
    written before it (or carried to it), not after it ("40% or more in A and 30% in B" bounds A only); and ``q``
    is no part of ``prev`` ("at least 1,200 GW, 500 GW of which in the west", :data:`_PART_AFTER_RX`)."""
    if q.comparator is not None or prev.comparator is None:
        return False
    if prev.comparator_start is None and not prev_carried:
        return False
    if {prev.kind, q.kind} <= _RATING_KINDS and _RATING_SLASH_RX.fullmatch(text, prev.end, q.start):
        return True  # a storage rating: "no less than 100 MW / 200 MWh" bounds both (the sixteenth blind test)
    if q.kind != prev.kind:
        return False
    gap = _COORD_GAP_RX.fullmatch(text, prev.end, q.start)
    return (gap is not None and _OWN_PREDICATE_RX.search(gap.group(0)) is None
            and _PART_AFTER_RX.match(text, q.end) is None)


_HEAD_OK_RX = re.compile(
    r"\s*(?:(?:no|not|never|cannot|can|shall|should|must|will|may|be|to|between|a\s+total\s+of)\s+)*", re.I)


def parse_quantity(text: str) -> Quantity | None:
    """Parse a phrase that is one quantity, optionally with a comparator.

    ``text`` such as "more than 10 percentage points", "500 million
    kilowatts", "no more than 1,200 yuan/ton of standard coal", "400MW",
    "12 million (charging piles)". Words after the quantity are allowed only
    when they are a parenthesised remark or an "of ..." complement ("10% of
    the reward standard"). Returns ``None`` when ``text`` is not a quantity.
    Offsets in the result refer to ``text``.

    >>> q = parse_quantity("approximately 500 million kilowatts")
    >>> (q.value, q.unit_text, q.normalized_value, str(q.normalized_unit).rsplit('/', 1)[1])
    (Decimal('500'), 'million kilowatts', 500000000000.0, 'W')
    """
    qs = find_quantities(text)
    if not qs:
        return None
    q = qs[0]
    head = text[:q.comparator_start if q.comparator_start is not None else q.start]
    if not _HEAD_OK_RX.fullmatch(head):
        return None
    tail = text[q.end:].strip()
    if tail and not re.match(r"(?:\(.*\)|of\b.*|[.,;:]?)$", tail, re.S | re.I) \
            and not _COMP_AFTER_RX.match(text, q.end):
        return None
    return q
