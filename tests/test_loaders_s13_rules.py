"""Session 13: what two more unseen CCNT issues (``ccnt-2022-12-unseen``, ``ccnt-2025-05-unseen``) found, each rule
pinned on small invented inputs with the tests of what it must NOT do.

Rules (module and function named in each section):

1. a quantifier between the issuing verb and the title: "<Body> published several Measures to ..."
   (briefing._ISSUE_VERB);
2. "In its|their <Title>, the <Agency> aims ...": the leading "In its" is no part of the title (briefing._TITLE_PREFIX);
3. a title with no genre word, known by its Chinese name and a passive issuer: "<Title-case run> (<Chinese name>)
   were <verb>ed by the <Agency>" (briefing._named_passive_title);
4. "<Place>'s <Title> was issued by <A> and <B>": the bodies after "issued by" issue it, not the possessor
   (briefing._find_title, briefing._PASSIVE_ISSUED_BY);
5. issuers: "the <Agency A> and the <Agency B>" parts two whole names that hold "and" of their own
   (emit._AND_THE_SPLIT); "the provincial DRC and Energy Bureau": the level word holds for the second organ, and the
   short form "<Region> DRC" is read for "the provincial DRC" (emit.resolve_issuer, emit._resolve_one);
6. quantities: a minus sign ("a floor of -0.05 yuan per kWh"); prices per MW / MWh; an energy per mass ("180 Wh/kg",
   "53 kWh per kilogram of hydrogen"); "5G" and "in one go" count nothing (quantities._MINUS_BEFORE,
   quantities._RATE_DENOMS, quantities._PER_MASS_RX, quantities._ONE_IDIOM_BEFORE);
7. a subject's denominator: "per ton-kilometer" is kept whole, and "per ton" inside a relative clause counts when that
   clause's verb takes the value, and a later "above <N> kWh" of the same sentence takes that denominator too
   (goals._SUBJECT_PER_RX, goals._governs_value, goals._elided_subject_denominators);
8. years: "more than 25 GW, and by 2030 over 60 GW" dates the first value by the year before it
   (goals._COORD_BEFORE_YEAR_RX); "It aims that by 2025 ..." is a fronted year for the whole sentence
   (goals._when); ", and by 2030 to basically establish ..." is a goal of its own (goals._YEAR_INFINITIVE_RX);
9. a baseline does not reach over a coordinated clause with its own predicate ("..., and heat losses to be kept below
   15%") (goals._BASELINE_COORD_RX); a purpose infinitive (", to be rated as ...") is no predicate of a coordinated
   part (goals._PURPOSE_RX); "full coverage of <places> by the end of 2025 (see ...)" (goals._FULL_COVERAGE_RX).

The last section pins the fixes of the session 13 precision attack (tests/test_loaders_s13_attacks.py) on further
invented inputs, each with a case the narrowed rule must still read.

All titles, numbers and URLs here are invented; agency and region names are real (reference data).
"""

from __future__ import annotations

from pathlib import Path

from loader_helpers import agency_labels, ccnt_page, extract_text, genre_regex, goal_tuples, policies_by_title

from loaders.briefing import find_titles
from loaders.goals import find_goals
from loaders.quantities import find_quantities


def _titles(text: str) -> list[tuple[str, str | None]]:
    return [(t.title, t.issuer) for t in find_titles(text, genre_regex())]


def _q(text: str) -> list[tuple[float, str | None, str, float | None]]:
    return [(float(q.value), q.unit_text, q.kind, q.normalized_value) for q in find_quantities(text)]


def _goals(text: str, year: int = 2024) -> list[tuple[str, int | None, float | None, int | None]]:
    return [(g.kind, g.target_year, float(g.value) if g.value is not None else None, g.baseline_year)
            for g in find_goals(text, context_year=year)]


# --------------------------------------------------------------------------- 1. a quantifier before the title

def test_quantifier_between_verb_and_title() -> None:
    assert _titles("Hainan Province published several Measures to Promote Offshore Wind Power in Hainan. It aims "
                   "for more.") == [("Measures to Promote Offshore Wind Power in Hainan", "Hainan Province")]
    assert _titles("The MOF issued a set of Rules on Green Bond Disclosure for Local Banks.") == [
        ("Rules on Green Bond Disclosure for Local Banks", "MOF")]


def test_quantifier_before_a_lower_case_object_is_no_title() -> None:
    assert _titles("Hainan Province published several reports on offshore wind power in Hainan.") == []


# --------------------------------------------------------------------------- 2. "In its <Title>, ..."

def test_in_its_is_no_part_of_the_title() -> None:
    got = _titles("In its Action Plan for Resilient Coastal Towns, the Ministry of Natural Resources aims to "
                  "restore 200 km of coastline by 2027.")
    assert got and got[0][0] == "Action Plan for Resilient Coastal Towns"


def test_in_its_before_a_lower_case_word_and_in_place_stay() -> None:
    assert _titles("In its annual report, the NEA said that storage grew fast.") == []
    got = _titles("In Hunan, the Work Plan for Rural Biogas Upgrading sets out pilots.")
    assert got and got[0][0] == "Work Plan for Rural Biogas Upgrading"


# --------------------------------------------------------------------------- 3. a title known by its Chinese name

def test_title_without_genre_word_by_chinese_name_and_passive_issuer() -> None:
    got = _titles("Differentiated Water Prices for Paper Mills (造纸行业差别水价政策) were revised by the MOF: mills "
                  "that use more pay more.")
    assert got == [("Differentiated Water Prices for Paper Mills", "MOF")]


def test_no_title_without_the_chinese_name_or_for_a_body() -> None:
    # no Chinese name: a title-case run with no genre word is no title
    assert _titles("Differentiated Water Prices for Paper Mills were revised by the MOF: mills pay more.") == []
    # a body's name with its Chinese name is no document
    assert _titles("Hainan Provincial People's Government (海南省人民政府) was praised by the State Council for "
                   "its work.") == []
    # no passive "by": not read
    assert _titles("Differentiated Water Prices for Paper Mills (造纸行业差别水价政策) remain in force.") == []


def test_chinese_named_title_is_a_policy_of_its_own(tmp_path: Path) -> None:
    page = ccnt_page(
        "The MEE issued the Notice on Example River Monitoring. By 2027, 500 stations will be built.\n\n"
        "Differentiated Water Prices for Paper Mills (造纸行业差别水价政策) were revised by the MOF: mills\n"
        "whose water use exceeds 20 cubic meters pay a surcharge of 0.5 yuan per cubic meter.\n",
        1, ["https://www.mee.gov.cn/2026/t_1.html"] * 2 + ["https://www.mof.gov.cn/2026/t_2.html"] * 2)
    ex = extract_text(tmp_path, page)
    pols = policies_by_title(ex.graph)
    assert "Differentiated Water Prices for Paper Mills" in pols
    assert agency_labels(ex.graph, pols["Differentiated Water Prices for Paper Mills"]) == {"Ministry of Finance"}


# --------------------------------------------------------------------------- 4. "<Place>'s <Title> was issued by ..."

def test_possessive_place_with_passive_issuers() -> None:
    got = _titles("Hainan Province's Work Plan for Green Ports (2026-2028) was issued by the provincial DRC and the "
                  "Hainan Provincial Department of Transport. By 2028, ports will be electrified.")
    assert got == [("Work Plan for Green Ports (2026-2028)",
                    "provincial DRC and the Hainan Provincial Department of Transport")]


def test_possessive_without_passive_issuers_stays_the_issuer() -> None:
    got = _titles("Hainan Province's Work Plan for Green Ports (2026-2028) sets out electrified berths.")
    assert got == [("Work Plan for Green Ports (2026-2028)", "Hainan Province")]


# --------------------------------------------------------------------------- 5. issuers

ISSUER_PAGE = ccnt_page(
    "Ministries and provinces moved on forests and wind.\n\n"
    "The MEE, together with the Ministry of Housing and Urban-Rural Development and the China Earthquake\n"
    "Administration, launched an Action Plan for Urban Green Space Carbon Sinks. By 2027, green space will\n"
    "exceed 40%.\n\n"
    "In Shandong, the provincial DRC and Energy Bureau jointly released the Implementation Plan for Offshore\n"
    "Wind in Shandong Province. By 2027, offshore wind capacity will reach 30 GW.\n",
    1, ["https://www.mee.gov.cn/2026/t_1.html"] * 2 + ["http://fgw.shandong.gov.cn/2026/t_2.html"] * 2)


def test_and_the_parts_two_names_and_level_word_is_shared(tmp_path: Path) -> None:
    ex = extract_text(tmp_path, ISSUER_PAGE)
    pols = policies_by_title(ex.graph)
    assert agency_labels(ex.graph, pols["Action Plan for Urban Green Space Carbon Sinks"]) == {
        "Ministry of Ecology and Environment", "Ministry of Housing and Urban-Rural Development",
        "China Earthquake Administration"}  # a body the reference data lacks: minted by its name
    assert agency_labels(ex.graph, pols["Implementation Plan for Offshore Wind in Shandong Province"]) == {
        "Shandong Provincial Development and Reform Commission", "Shandong Provincial Energy Bureau"}


def test_and_inside_one_name_and_unknown_second_organ_stay(tmp_path: Path) -> None:
    page = ccnt_page(
        "Housing and wind.\n\n"
        "The Ministry of Housing and Urban-Rural Development issued the Notice on Example Roof Insulation. By\n"
        "2027, 300 projects will be built.\n\n"
        "In Shandong, the provincial DRC and Example Wind Group jointly released the Implementation Plan for\n"
        "Offshore Wind in Shandong Province. By 2027, offshore wind capacity will reach 30 GW.\n",
        1, ["https://www.mohurd.gov.cn/2026/t_1.html"] * 2 + ["http://fgw.shandong.gov.cn/2026/t_2.html"] * 2)
    ex = extract_text(tmp_path, page)
    pols = policies_by_title(ex.graph)
    assert agency_labels(ex.graph, pols["Notice on Example Roof Insulation"]) == {
        "Ministry of Housing and Urban-Rural Development"}
    # a company after the organ gets no level word: no "Shandong Provincial Example Wind Group"
    got = agency_labels(ex.graph, pols["Implementation Plan for Offshore Wind in Shandong Province"])
    assert not any("Provincial Example" in a for a in got)


# --------------------------------------------------------------------------- 6. quantities

def test_minus_sign_is_the_numbers_own() -> None:
    assert _q("prices range from a floor of -0.2 yuan per kWh to a cap of 2 yuan per kWh")[0][0] == -0.2
    assert _q("winter lows of −10 °C")[0][0] == -10.0
    assert _q("from -5% to 10%")[0][0] == -5.0


def test_hyphen_after_a_word_or_number_is_no_minus() -> None:
    assert [x[0] for x in _q("a 10-15% cut")] == [10.0]
    assert _q("CO2-5 items") == []


def test_price_per_megawatt_and_megawatt_hour() -> None:
    assert _q("capped at 12 yuan per MW of mileage") == [(12.0, "yuan per MW", "price_per_power", 0.012)]
    assert _q("a price of 400 yuan per MWh") == [(400.0, "yuan per MWh", "price_per_energy", 0.4)]
    # a bare amount of power stays power
    assert _q("a 12 MW plant")[0][2] == "power"


def test_energy_per_mass() -> None:
    assert _q("no lower than 160 Wh/kg") == [(160.0, "Wh/kg", "energy_per_mass", None)]
    assert _q("at most 50 kWh per kilogram of ammonia") == [
        (50.0, "kWh per kilogram of ammonia", "energy_per_mass", None)]


def test_energy_without_mass_denominator_stays_energy() -> None:
    assert _q("storing 300 kWh per day")[0][2] == "energy"
    assert _q("saving 20 kWh for each household")[0][2] == "energy"


def test_technology_names_and_idioms_count_nothing() -> None:
    assert _q("building 4K broadcast and 5G base stations") == []
    assert _q("sets goals for 2025 in one go") == []
    assert _q("summed up in one phrase") == []


def test_counts_with_one_and_glued_units_stay() -> None:
    assert _q("at least one station in each county") == [(1.0, "station", "count", 1.0)]
    assert _q("build 5GW of wind")[0][2] == "power"
    assert _q("one of the 30 pilot cities")[-1][0] == 30.0


# --------------------------------------------------------------------------- 7. a subject's denominator

def test_compound_denominator_kept_whole() -> None:
    g = find_goals("By 2026, fuel use per passenger-kilometer will fall to 0.5 kg and emissions per ton-kilometer "
                   "of rail freight will fall to 0.2 kg.", context_year=2024)
    assert [g_.unit_text for g_ in g] == ["kg", "kg per ton-kilometer"]


def test_per_ton_in_a_relative_clause_that_takes_the_value() -> None:
    g = find_goals("Smelters whose power use per ton of zinc exceeds 3,000 kWh pay a surcharge of 0.05 yuan per kWh.",
                   context_year=2024)
    assert g[0].unit_text == "kWh per ton"
    # a main verb between the relative clause and the value: the "per" is of another noun
    g = find_goals("By 2027, the output of smelters whose power use per ton of zinc exceeds the benchmark will be cut "
                   "by 2 million kWh.", context_year=2024)
    assert g and all("per" not in (x.unit_text or "") for x in g)


# --------------------------------------------------------------------------- 8. years

def test_year_after_and_dates_the_next_value() -> None:
    got = goal_tuples("By 2027, installed storage will reach more than 40 GW, and by 2030 over 90 GW.")
    assert got == [("target", 2027, 4e10), ("target", 2030, 9e10)]


def test_year_right_after_a_value_stays_its_own() -> None:
    assert goal_tuples("Wind capacity will reach 10 GW by 2026 and 30 GW by 2030.") == [
        ("target", 2026, 1e10), ("target", 2030, 3e10)]


def test_aims_that_by_year_dates_the_coordinated_clause() -> None:
    got = goal_tuples("It aims that by 2027 the city's biogas output will exceed 200 million cubic meters, and "
                      "digester capacity will reach around 3 GW.")
    assert ("target", 2027, 3e9) in got


def test_noted_that_by_year_is_no_fronted_year() -> None:
    got = goal_tuples("It noted that by 2024 output rose to 2 GW, and capacity will reach around 4 GW.")
    assert ("target", None, 4e9) in got


def test_and_by_year_to_verb_is_a_goal_of_its_own() -> None:
    got = _goals("The MNR aims to restore around 40 wetlands by 2026, and by 2030 to basically establish a network "
                 "for monitoring coastal erosion.")
    assert ("target", 2030, None, None) in got


def test_and_by_year_to_a_value_stays_in_the_clause() -> None:
    assert goal_tuples("The plan raises capacity to 30 GW by 2026, and by 2030 to 60 GW.") == [
        ("target", 2026, 3e10), ("target", 2030, 6e10)]


# --------------------------------------------------------------------------- 9. baselines, purposes, coverage

def test_baseline_stops_at_a_coordinated_clause_with_its_own_predicate() -> None:
    got = _goals("Water use per unit of output to fall by 8% compared with 2020 by 2025, and pipe leakage to be kept "
                 "below 9%.", 2022)
    assert got == [("target", 2025, 8.0, 2020), ("target", 2025, 9.0, None)]


def test_baseline_reaches_a_gapped_coordinate() -> None:
    got = _goals("By 2025, emissions will fall by 18% compared with 2020, and energy use by 13.5%.", 2022)
    assert got == [("target", 2025, 18.0, 2020), ("target", 2025, 13.5, 2020)]


def test_purpose_infinitive_is_no_predicate_of_a_coordinated_part() -> None:
    got = _goals("A mine must meet no less than 70% of its heat from waste heat, and at least 20% of its power "
                 "through on-site solar, to be rated as green.")
    assert [v for _, _, v, _ in got] == [70.0, 20.0]


def test_coordinated_clause_with_its_own_modal_still_splits() -> None:
    got = _goals("Wind power will reach 20 GW, and solar capacity will be raised to 30 GW, to be connected by 2026.")
    assert [v for _, _, v, _ in got] == [20.0, 30.0]


def test_full_coverage_with_due_year_and_aside() -> None:
    got = _goals("Bus depots are to achieve full coverage of charging facilities by the end of 2026 (see the "
                 "MOT's notes).")
    assert got == [("target", 2026, 100.0, None)]


def test_full_coverage_in_the_past_is_no_goal() -> None:
    assert _goals("Bus depots achieved full coverage of charging facilities by the end of 2022.") == []


def test_threshold_of_a_later_clause_takes_the_subjects_denominator() -> None:
    g = find_goals("Smelters whose power use per ton of zinc exceeds 3,000 kWh pay a surcharge of 0.05 yuan per kWh, "
                   "and the surcharge rises to 0.1 yuan per kWh above 3,400 kWh.", context_year=2024)
    assert [(float(x.value), x.unit_text) for x in g] == [(3000.0, "kWh per ton"), (0.05, "yuan per kWh"),
                                                           (0.1, "yuan per kWh"), (3400.0, "kWh per ton")]


def test_amount_without_threshold_word_keeps_its_unit() -> None:
    g = find_goals("Smelters whose power use per ton of zinc exceeds 3,000 kWh pay a surcharge, and total use will "
                   "be capped at 5,000 kWh.", context_year=2024)
    assert [(float(x.value), x.unit_text) for x in g] == [(3000.0, "kWh per ton"), (5000.0, "kWh")]


# --------------------------------------------------------------------------- precision (the session 13 attack)
# tests/test_loaders_s13_attacks.py holds the attack's own inputs; these are further invented inputs for the fixes.

def test_quantifier_only_before_a_genre_word() -> None:
    # "several" / "a batch of" before a text about a policy (not a genre word): no new title
    assert all(not t.startswith(("Explanations", "Reports")) for t, _ in _titles(
        "The MEE published several Explanations of the Guidelines on Example Soil Checks for farmers."))
    assert all(not t.startswith("Reports") for t, _ in _titles(
        "The NEA released a batch of Reports on the Action Plan for Example Heat Storage."))
    # a plural genre word after the quantifier still opens a title
    assert _titles("The MOT issued a set of Measures for Example Inland Shipping Loans.") == [
        ("Measures for Example Inland Shipping Loans", "MOT")]


def test_passive_chinese_named_title_needs_an_issuing_verb_and_a_document() -> None:
    # a verb of changing a document still reads
    assert _titles("Seasonal Gas Prices for Ceramic Kilns (陶瓷窑炉季节性气价) were adjusted by the NDRC: kilns pay "
                   "less.") == [("Seasonal Gas Prices for Ceramic Kilns", "NDRC")]
    # a verb of praise or of hosting names no issuer; a company, a prize or a plant is no document
    assert _titles("Seasonal Gas Prices for Ceramic Kilns (陶瓷窑炉季节性气价) were welcomed by the China Ceramic "
                   "Industry Association.") == []
    assert _titles("Jiangsu Offshore Wind Power Plant (江苏海上风电场) was revised by the NEA last year.") == []
    assert _titles("China Three Gorges Corporation (中国长江三峡集团) was published by the SASAC in Wuhan.") == []


def test_passive_issuer_ends_before_time_or_place() -> None:
    got = _titles("Seasonal Gas Prices for Ceramic Kilns (陶瓷窑炉季节性气价) were revised by the NDRC in 2023 after "
                  "hearings.")
    assert got == [("Seasonal Gas Prices for Ceramic Kilns", "NDRC")]


def test_published_by_news_outlet_is_no_issuer_but_by_agency_is() -> None:
    assert _titles("Sichuan Province's Action Plan for Example Hydrogen Buses was published by China Daily on "
                   "Friday.") == [("Action Plan for Example Hydrogen Buses", "Sichuan Province")]
    # an agency after "published by" still issues it
    assert _titles("Sichuan Province's Action Plan for Example Hydrogen Buses was published by the Sichuan Provincial "
                   "Development and Reform Commission.") == [
        ("Action Plan for Example Hydrogen Buses", "Sichuan Provincial Development and Reform Commission")]


def test_one_coordinated_with_a_number_is_a_count_idiom_stays_none() -> None:
    assert (1.0, "county", "count") in [x[:3] for x in _q("Trials will run in one county and 12 towns.")]
    assert all(x[0] != 1.0 for x in _q("Rebuilt in one go and 8 GW added."))


def test_and_inside_a_noun_phrase_is_no_coordinator_of_the_year() -> None:
    # (the 500,000 is a past level since session 21: the "and" leaves it its year; since session 32 a level to
    # reach has no baseline year, pkg:baselineYear dating changes only)
    got = _goals("By 2030, charging points will reach 900,000, up from 500,000 of public and private points in 2026.")
    assert got == [("target", 2030, 900000.0, None)]
    # a real coordinator still opens the next value's member
    assert goal_tuples("In 2024, capacity reached 10 GW; it will exceed 25 GW by 2027, and by 2030 over 60 GW.") == [
        ("target", 2027, 2.5e10), ("target", 2030, 6e10)]


def test_lower_case_to_verb_only_is_a_predicate() -> None:
    got = _goals("By 2026, water use will fall by 12% compared with 2021, and water use relative to GDP by 9%.")
    assert ("target", 2026, 9.0, 2021) in got
    # "to be kept" (a verb) still stops the baseline
    got = _goals("By 2026, water use will fall by 12% compared with 2021, and pipe losses to be kept below 8%.")
    assert ("target", 2026, 8.0, None) in got


def test_parenthetical_purpose_keeps_the_split() -> None:
    got = _goals("Hydropower will reach 12 GW, and pumped storage, to be built by 2027, will reach 9 GW.")
    assert ("target", 2027, 12.0, None) not in got and ("target", 2027, 9.0, None) in got


def test_in_its_before_a_number_and_the_agency_after_the_comma(tmp_path: Path) -> None:
    assert _titles("In its 15th Five-Year Plan for Example Inland Ports, the MOT sets 40 berths by 2030.")[0][0] == \
        "15th Five-Year Plan for Example Inland Ports"
    ex = extract_text(tmp_path, ccnt_page("Port news.\n\nIn its Action Plan for Example River Ferries, the Ministry "
                                          "of Transport aims to electrify 70 ferries by 2028.\n", 1,
                                          ["https://www.mot.gov.cn/2026/t_9.html"] * 2))
    got = {t: agency_labels(ex.graph, p) for t, p in policies_by_title(ex.graph).items()}
    assert got.get("Action Plan for Example River Ferries") == {"Ministry of Transport"}
    # no body after the comma: no issuer from it
    assert _titles("In its Action Plan for Example River Ferries, electrification is the first task.") == [
        ("Action Plan for Example River Ferries", None)]


def test_level_word_must_fit_the_region_for_the_short_form(tmp_path: Path) -> None:
    page = ("Wind news.\n\nIn Jiangsu, the municipal DRC issued the Work Plan for Example Tidal Power in Jiangsu "
            "Province. By 2028, 2 GW will be built.\n")
    ex = extract_text(tmp_path, ccnt_page(page, 1, ["http://fzggw.jiangsu.gov.cn/2026/t_3.html"] * 2))
    got = {t: agency_labels(ex.graph, p) for t, p in policies_by_title(ex.graph).items()}
    assert "Jiangsu Provincial Development and Reform Commission" not in got[
        "Work Plan for Example Tidal Power in Jiangsu Province"]


def test_plural_organs_of_two_places_are_not_minted(tmp_path: Path) -> None:
    ex = extract_text(tmp_path, ccnt_page("Water news.\n\nThe MWR and the Water Resources Departments of Hubei and "
                                          "Hunan jointly issued the Notice on Example Lake Levels. By 2027, 40 "
                                          "gauges will be built.\n", 1, ["https://www.mwr.gov.cn/2026/t_4.html"] * 2))
    got = {t: agency_labels(ex.graph, p) for t, p in policies_by_title(ex.graph).items()}
    assert not any(a.startswith("Water Resources Departments") for a in got["Notice on Example Lake Levels"])


def test_material_after_per_mass_and_dotted_energy() -> None:
    assert _q("at most 520 kWh per ton of crude steel")[0][1] == "kWh per ton of crude steel"
    assert _q("at most 520 kWh per ton of the slabs")[0][1] == "kWh per ton"
    assert _q("at most 520 kWh per ton of steel by 2027")[0][1] == "kWh per ton of steel"
    assert _q("a price of 90 yuan per kW·h")[0][2] == "price_per_energy"
    assert _q("a capacity price of 90 yuan per MW")[0][2] == "price_per_power"


def test_denominator_stops_at_semicolon_and_new_subject_but_copula_threshold_keeps_it() -> None:
    got = find_goals("Mills whose power use per ton of paper exceeds 800 kWh pay a surcharge of 0.1 yuan per kWh; "
                     "new offices with annual use above 9,000 kWh must install meters.", context_year=2024)
    assert [x.unit_text for x in got if float(x.value) == 9000.0] == ["kWh"]
    got = find_goals("Mills whose power use per ton of paper exceeds 800 kWh pay a surcharge of 0.1 yuan per kWh, "
                     "and schools that use above 9,000 kWh a year pay more.", context_year=2024)
    assert all("per ton" not in (x.unit_text or "") for x in got if float(x.value) == 9000.0)
    got = find_goals("Mills whose power use per ton of paper is above 800 kWh pay a surcharge of 0.1 yuan per kWh.",
                     context_year=2024)
    assert got[0].unit_text == "kWh per ton"
    # a main verb after the copula's threshold still stops it
    got = find_goals("Mills whose output per ton is above the benchmark will cut use by 800 kWh.", context_year=2024)
    assert all("per ton" not in (x.unit_text or "") for x in got)


def test_second_clause_quantified_title_and_its_issuer() -> None:
    got = _titles("In 2025, the MEE issued several Notices on Soil Checks, and the MWR issued a package of Measures "
                  "for Example Dikes.")
    assert got and got[-1] == ("Measures for Example Dikes", "MWR")
