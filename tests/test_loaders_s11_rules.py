"""Session 11: what two more unseen CCNT issues (``ccnt-2024-01-unseen``, ``ccnt-2025-10-unseen``) found, each rule
pinned on small invented inputs with the tests of what it must NOT do.

Rules (module and function named in each section):

1. a one-sentence group headline whose only title is a lower-case description ("<Agency> issued an action plan to
   cut ...") over the paragraph that names that plan in title case is a headline, not a policy
   (briefing._prose_headline); a "By 2030, ..." closing goal after a policy's bullets stays with the policy when
   such a headline follows it (briefing._opens_policy);
2. "... was published by <Agency> in December": the month is no part of the issuer (briefing.find_title);
3. "In <Place>, the <Title> ..." and "The three-year <Title> ..." open a title (briefing._TITLE_PREFIX);
4. "(see the ministry's policy interpretation)" has its own run of a page's URL copies, which no policy takes
   (briefing._side_link_spans);
5. a "+" between two title-case words and the quote that closes in the title belong to it (briefing._title_run);
6. a local department named after a city name that two provinces share is the one in the policy's province
   (emit._mint_named): its level is municipal;
7. a sentence with no year of its own takes the one year of the sentence before it in the same paragraph
   (goals._carried_year);
8. "hours a year" keeps "per year" in its unit (quantities._match_unit);
9. "achieve full coverage of <places>" with no value is a 100% goal (goals._read_clause);
10. "One <thing> corresponds to <amount>" counts no "one" (goals._EQUIVALENCE_RX);
11. "tons of oil equivalent" is a unit of its own (quantities, ``loaders/units.txt``);
12. "every year from 2025" is a start, no baseline (goals._BASELINE_RX);
13. provision cues: "<entities> in X with N tons or more", "provides N yuan per <unit>" (``goal_cues.yaml``).

After the precision attack (``tests/test_loaders_s11_attacks.py``) the rules reach less: a headline states no year
or quantity and shares a content word with the title below it; co-issuers after the month stay; a side link
takes URL copies only when the page has room for them, and "briefing" / "section" are no side documents; no year
is carried into a sentence with a later horizon, an attribution, the present or another document; "+" before a
number ends a title; the threshold cue counts only in a clause with no year, the grant cue not "per year". The
last section pins what these narrowed rules still do.

All titles, numbers and URLs here are invented; agency and region names are real (reference data).
"""

from __future__ import annotations

from pathlib import Path

from loader_helpers import ccnt_page, extract_text, genre_regex, goal_tuples, policies_by_title, url_tails, year_values
from loader_helpers import reference_linker as _linker

from loaders.briefing import find_title, find_titles
from loaders.goals import find_goals
from loaders.quantities import find_quantities
from policykg.vocab import PKG




# --------------------------------------------------------------------------- 1. a headline read as a policy

HEADLINE_PAGE = ccnt_page(
    "The Ministry of Transport issued a plan to curb emissions from ports, with shore power set to expand.\n\n"
    "Work Plan for Green and Low-Carbon Ports (2026-2028) was published by the Ministry of Transport. It\n"
    "proposes that by 2028 the share of berths with shore power will exceed 85%.\n\n"
    "Notice on Hydrogen Refuelling Stations for Heavy Trucks was issued by the National Energy\n"
    "Administration. It proposes that by 2027 more than 400 stations will be built.\n",
    1, ["https://xxgk.mot.gov.cn/2026/art_11.html"] * 2 + ["http://zfxxgk.nea.gov.cn/2026-02/c_22.htm"] * 2)


def test_one_sentence_lower_case_plan_over_its_title_is_a_headline(tmp_path: Path) -> None:
    ex = extract_text(tmp_path, HEADLINE_PAGE)
    pols = policies_by_title(ex.graph)
    assert set(pols) == {"Work Plan for Green and Low-Carbon Ports (2026-2028)",
                         "Notice on Hydrogen Refuelling Stations for Heavy Trucks"}
    # no extra policy before them: each title keeps its own URL
    assert url_tails(ex, pols["Work Plan for Green and Low-Carbon Ports (2026-2028)"]) == ["art_11.html"]
    assert url_tails(ex, pols["Notice on Hydrogen Refuelling Stations for Heavy Trucks"]) == ["c_22.htm"]


def test_lower_case_notice_over_a_title_of_another_genre_stays_a_policy(tmp_path: Path) -> None:
    # the headline's genre word ("notice") is no word of the title below it ("Guidelines ..."): two policies
    page = ccnt_page(
        "The National Energy Administration issued a notice on grid fees for independent storage plants.\n\n"
        "Guidelines for the Safety of Battery Storage Plants were released by the Ministry of Emergency\n"
        "Management. They require annual inspections of every plant.\n",
        1, ["http://zfxxgk.nea.gov.cn/2026-03/c_1.htm"] + ["https://www.mem.gov.cn/gk/art_2.html"] * 2)
    pols = policies_by_title(extract_text(tmp_path, page).graph)
    assert "notice on grid fees for independent storage plants" in pols
    assert "Guidelines for the Safety of Battery Storage Plants" in pols


def test_lower_case_plan_with_a_body_of_its_own_stays_a_policy() -> None:
    from loaders.briefing import _prose_headline, parse_briefing
    labels = [lab for lab, _ in _linker().genre_labels]
    text = ("The NEA released a plan for hydrogen in road transport. It calls for 300 stations by 2027.\n\n"
            "Action Plan for Hydrogen Corridors was issued by the Ministry of Transport.\n")
    parse = parse_briefing(text, labels)
    assert [e.title for e in parse.policies] == ["plan for hydrogen in road transport",
                                                 "Action Plan for Hydrogen Corridors"]
    p0, p1 = parse.paragraphs[0], parse.paragraphs[1]
    assert not _prose_headline(p0, find_titles(p0.logical, genre_regex()), p1, genre_regex())


CLOSING_GOAL_PAGE = ccnt_page(
    "The Action Plan for Low-Carbon Cold Chains, issued by the Ministry of Commerce, proposes that by 2027:\n\n"
    "e The share of refrigerated trucks running on electricity will exceed 30%.\n\n"
    "e The energy use of cold stores will fall by 10%.\n\n"
    "By 2030, the energy efficiency of cold chains is expected to reach an internationally advanced level.\n\n"
    "The State Council issued an action plan to clean up freight transport, with rail freight set to grow.\n\n"
    "Action Plan for Cleaner Freight Transport was published by the State Council. It proposes that by\n"
    "2027 rail freight volume will rise by 10%.\n",
    1, ["https://www.mofcom.gov.cn/a/1.html"] + ["https://www.gov.cn/zhengce/content/2.htm"])


def test_closing_goal_stays_with_its_policy_over_a_prose_headline(tmp_path: Path) -> None:
    ex = extract_text(tmp_path, CLOSING_GOAL_PAGE)
    pols = policies_by_title(ex.graph)
    assert set(pols) == {"Action Plan for Low-Carbon Cold Chains", "Action Plan for Cleaner Freight Transport"}
    assert (2030, None) in year_values(ex.graph, pols["Action Plan for Low-Carbon Cold Chains"])
    assert (2030, None) not in year_values(ex.graph, pols["Action Plan for Cleaner Freight Transport"])


# --------------------------------------------------------------------------- 2. issuer ends before a month

def test_issuer_after_published_by_ends_before_the_month() -> None:
    tm = find_title("Action Plan for Cleaner Inland Shipping (2026-2027) was published by the State Council in "
                    "March. It sets out that by 2027:", genre_regex())
    assert tm is not None and tm.issuer == "State Council"


def test_issuer_without_a_month_is_kept_whole() -> None:
    tm = find_title("Action Plan for Cleaner Inland Shipping was published by the Hainan Provincial People's "
                    "Government. It sets out that by 2027:", genre_regex())
    assert tm is not None and tm.issuer == "Hainan Provincial People's Government"


# --------------------------------------------------------------------------- 3. title prefixes

def test_place_and_determiner_before_a_title() -> None:
    tm = find_title("In Hunan, the Implementation Plan for Pumped Storage in the Xiangxi Area proposes that "
                    "capacity will exceed 3 GW by 2027.", genre_regex())
    assert tm is not None and tm.title == "Implementation Plan for Pumped Storage in the Xiangxi Area"


def test_year_count_modifier_before_a_title() -> None:
    tm = find_title("The two-year Action Plan for Upgrading Rural Power Grids (2026-2027) was jointly issued by "
                    "the NEA and the NDRC.", genre_regex())
    assert tm is not None and tm.title == "Action Plan for Upgrading Rural Power Grids (2026-2027)"
    assert tm.issuer == "NEA and the NDRC"


def test_month_or_lower_case_words_before_a_title_are_no_place() -> None:
    # "In March," names a time, not a place: the prefix rule does not fire (the title is not read through it)
    tm = find_title("In March, the Implementation Plan for Pumped Storage proposes 3 GW by 2027.", genre_regex())
    assert tm is None or not tm.title.startswith("In ")
    # a lower-case modifier that is no year count or revision word stays outside the rule
    tm = find_title("The ambitious Action Plan for Rural Grids was issued by the NEA.", genre_regex())
    assert tm is None or tm.title != "Action Plan for Rural Grids"


# --------------------------------------------------------------------------- 4. an interpretation's link

def test_interpretation_link_wrapping_two_lines_is_no_source(tmp_path: Path) -> None:
    page = ccnt_page(
        "Technical Guidelines for Heat Pump Retrofits of Public Schools, released by the MOHURD, set out\n"
        "the requirements for insulation and heat pumps in retrofits of schools (see the ministry's policy\n"
        "interpretation).\n\n"
        "Notice on Subsidies for Electric Municipal Vehicles in 2026-2027 was issued by the Ministry of\n"
        "Finance. It provides 30,000 yuan per vehicle.\n",
        1, ["https://www.mohurd.gov.cn/gongkai/art_1.html"] + ["https://www.mohurd.gov.cn/xinwen/art_2.html"] * 2
        + ["https://jjs.mof.gov.cn/zhengcefagui/t_3.htm"] * 2)
    ex = extract_text(tmp_path, page)
    pols = policies_by_title(ex.graph)
    assert url_tails(ex, pols["Technical Guidelines for Heat Pump Retrofits of Public Schools"]) == ["art_1.html"]
    assert url_tails(ex, pols["Notice on Subsidies for Electric Municipal Vehicles in 2026-2027"]) == ["t_3.htm"]


def test_see_table_takes_no_link(tmp_path: Path) -> None:
    # "(see Table 2)" is no side document: the URLs go to the titles as before
    page = ccnt_page(
        "Technical Guidelines for Heat Pump Retrofits of Public Schools, released by the MOHURD, set out\n"
        "the requirements for insulation (see Table 2).\n\n"
        "Notice on Subsidies for Electric Municipal Vehicles in 2026-2027 was issued by the Ministry of\n"
        "Finance. It provides 30,000 yuan per vehicle.\n",
        1, ["https://www.mohurd.gov.cn/gongkai/art_1.html"] + ["https://jjs.mof.gov.cn/zhengcefagui/t_3.htm"] * 2)
    ex = extract_text(tmp_path, page)
    pols = policies_by_title(ex.graph)
    assert url_tails(ex, pols["Technical Guidelines for Heat Pump Retrofits of Public Schools"]) == ["art_1.html"]
    assert url_tails(ex, pols["Notice on Subsidies for Electric Municipal Vehicles in 2026-2027"]) == ["t_3.htm"]


# --------------------------------------------------------------------------- 5. "+" in a title

def test_plus_between_title_words_and_the_closing_quote_stay_in_the_title() -> None:
    tm = find_title("Guiding Opinions on Promoting “Internet + Transport” call for smart logistics by 2027.",
                    genre_regex())
    assert tm is not None and tm.title == "Guiding Opinions on Promoting “Internet + Transport”"
    tm = find_title("Guiding Opinions on Promoting Internet + Transport call for smart logistics.", genre_regex())
    assert tm is not None and tm.title == "Guiding Opinions on Promoting Internet + Transport"


def test_plus_before_a_lower_case_word_ends_the_title() -> None:
    tm = find_title("Guiding Opinions on Solar Power + storage projects call for more batteries.", genre_regex())
    assert tm is not None and tm.title == "Guiding Opinions on Solar Power"


# --------------------------------------------------------------------------- 6. a shared city name

def test_department_of_a_shared_city_name_is_the_one_in_the_policys_province(tmp_path: Path) -> None:
    page = ccnt_page(
        "Subnational Updates\n\n"
        "The Taizhou Municipal Bureau of Water Resources issued a Work Plan for Rural Solar Pumping in\n"
        "Taizhou, Zhejiang Province. It aims to install 200 solar pumps by 2027.\n",
        1, ["https://sl.zjtz.gov.cn/art/2026/art_5.html"])
    ex = extract_text(tmp_path, page)
    (pol,) = policies_by_title(ex.graph).values()
    assert ex.graph.value(pol, PKG.governmentLevel) == PKG.Municipal
    issuers = list(ex.graph.objects(pol, PKG.issuedBy))
    assert issuers and all(str(ex.graph.value(a, PKG.jurisdiction)).endswith("/331000") for a in issuers)


def test_department_of_a_provincial_name_stays_provincial(tmp_path: Path) -> None:
    # "Beijing Municipal ..." names a province-level municipality: the rule for shared city names does not apply
    page = ccnt_page(
        "Subnational Updates\n\n"
        "The Beijing Municipal Bureau of Water Resources issued a Work Plan for Rural Solar Pumping in\n"
        "Beijing. It aims to install 200 solar pumps by 2027.\n",
        1, ["https://swj.beijing.gov.cn/art/2026/art_5.html"])
    ex = extract_text(tmp_path, page)
    (pol,) = policies_by_title(ex.graph).values()
    assert ex.graph.value(pol, PKG.governmentLevel) == PKG.Provincial


# --------------------------------------------------------------------------- 7. a year carried to the next sentence

def test_year_of_the_previous_sentence_dates_the_next_ones_goals() -> None:
    text = ("The Plan calls for water use per unit of output to fall by 6% by 2028 compared with 2025. The share\n"
            "of recycled water should exceed 40%, and annual savings should reach about 2 million tons of\n"
            "standard coal.")
    assert [(k, y) for k, y, _ in goal_tuples(text, 2026)] == [("target", 2028), ("target", 2028), ("target", 2028)]


def test_no_year_carried_when_the_paragraph_has_two_years() -> None:
    text = ("The Plan proposes 20 GW of offshore wind by 2027 and 40 GW by 2030. The share of local equipment\n"
            "should exceed 70%.")
    assert not [g for g in goal_tuples(text, 2026) if g[2] == 70.0 and g[1] is not None]


def test_no_year_carried_over_a_third_sentence_or_into_bullets() -> None:
    text = ("The Plan calls for emissions to fall by 6% by 2028. The share of recycled water should exceed 40%.\n"
            "Subsidies should reach 3 billion yuan.")
    got = goal_tuples(text, 2026)
    assert ("target", 2028, 40.0) in got
    assert not [g for g in got if g[2] == 3e9 and g[1] is not None]
    bullets = ("The Plan calls for emissions to fall by 6% by 2028.\n\n"
               "• The share of recycled water should exceed 40%.\n")
    assert not [g for g in goal_tuples(bullets, 2026) if g[2] == 40.0 and g[1] is not None]


def test_no_year_carried_to_a_qualitative_goal_or_a_present_figure() -> None:
    text = "The Plan calls for emissions to fall by 6% by 2028. A monitoring system will be built."
    assert [g for g in goal_tuples(text, 2026) if g[2] is None] == []
    # a figure of the present, with no goal language, takes no year (and is no goal)
    assert goal_tuples("The Plan calls for emissions to fall by 6% by 2028. Capacity currently stands at 20 GW.",
                  2026) == [("target", 2028, 6.0)]


# --------------------------------------------------------------------------- 8. hours a year

def test_hours_a_year_keep_per_year_in_the_unit() -> None:
    q = find_quantities("raise utilisation to around 1,200 hours a year")[0]
    assert (float(q.value), q.unit_text, str(q.normalized_unit).rsplit("/", 1)[1]) == (1200.0, "hours per year", "HR")


def test_plain_hours_and_hours_a_day_are_unchanged() -> None:
    assert find_quantities("no less than 600 hours")[0].unit_text == "hours"
    assert all(q.unit_text != "hours per year" for q in find_quantities("stations open 24 hours a day"))


# --------------------------------------------------------------------------- 9. full coverage with no value

def test_full_coverage_bullet_under_a_dated_lead_in_is_a_100_percent_goal() -> None:
    text = ("By the end of 2028, the province will:\n\n• Build 5,000 charging piles in villages.\n\n"
            "• Achieve full coverage of charging facilities in eligible villages.\n")
    got = goal_tuples(text, 2026)
    assert ("target", 2028, 100.0) in got


def test_full_coverage_that_was_achieved_or_has_no_year_is_no_goal() -> None:
    assert goal_tuples("In 2024, the city achieved full coverage of charging stations in all towns.", 2026) == []
    assert [g for g in goal_tuples("The city will achieve full coverage of charging stations in towns.", 2026)
            if g[2] == 100.0] == []


# --------------------------------------------------------------------------- 10. a unit's definition

def test_one_thing_corresponding_to_an_amount_counts_no_one() -> None:
    # under a headline that dates the group ("... its storage goals for 2026"), the "one" was read as a count
    got = find_goals("One storage credit corresponds to 200 kWh of discharged electricity, and credits remain "
                     "tradable.", context_year=2026, lead_in="The province set its storage goals for 2026.")
    assert [float(g.value) for g in got] == [200.0]


def test_one_million_piles_is_still_a_count() -> None:
    assert ("target", 2027, 1e6) in goal_tuples("One million charging piles will be built by 2027.", 2026)


# --------------------------------------------------------------------------- 11. oil equivalent

def test_tons_of_oil_equivalent_is_a_unit_of_its_own() -> None:
    q = find_quantities("fields producing more than 300,000 tonnes of oil equivalent")[0]
    assert (float(q.value), q.unit_text, q.kind, q.normalized_unit) == (
        300000.0, "tonnes of oil equivalent", "oil_equivalent", None)


def test_coal_equivalent_and_plain_tons_of_oil_are_unchanged() -> None:
    assert find_quantities("5 million tons of standard coal")[0].kind == "coal_equivalent"
    q = find_quantities("200,000 tons of oil")[0]
    assert (q.kind, q.unit_text) == ("mass", "tons")


# --------------------------------------------------------------------------- 12. "every year from <year>"

def test_every_year_from_a_year_is_no_baseline() -> None:
    got = find_goals("Rules require enterprises with an annual output of more than 300,000 tons of oil equivalent "
                     "to report their flaring every year from 2027.", context_year=2026)
    assert [(g.kind, g.baseline_year) for g in got] == [("provision", None)]


def test_down_from_a_year_is_still_a_baseline() -> None:
    got = find_goals("By 2028, coal use will fall by 8% from 2024.", context_year=2026)
    assert [g.baseline_year for g in got] == [2024]


# --------------------------------------------------------------------------- 13. provision cues

def test_entities_with_a_threshold_a_few_words_after_them_are_a_provision() -> None:
    text = ("Industrial firms with annual emissions of 30,000 tons or more, and enterprises in aviation and\n"
            "shipping with 15,000 tons or more, are covered.")
    assert [(k, v) for k, _, v in goal_tuples(text)] == [("provision", 30000.0), ("provision", 15000.0)]


def test_money_provided_per_unit_is_a_provision() -> None:
    assert goal_tuples("The Notice provides 25,000 yuan per boat for replacing diesel engines.") == [
        ("provision", None, 25000.0)]


def test_dated_counts_of_enterprises_and_money_provided_stay_targets() -> None:
    got = goal_tuples("By 2030, the number of enterprises in the hydrogen sector with revenue over 1 billion yuan "
                 "will reach 50.", 2026)
    assert ("target", 2030, 50.0) in got and all(k == "target" for k, _, _ in got)
    assert [k for k, _, _ in goal_tuples("By 2027, the fund provides 10 billion yuan for retrofits.", 2026)] == ["target"]



# --------------------------------------------------------------------------- fixes after the s11 precision attack
# (tests/test_loaders_s11_attacks.py pins the inputs that went wrong; these pin what the narrowed rules still do)

def test_headline_over_a_title_sharing_its_subject_is_still_a_headline(tmp_path: Path) -> None:
    # no year, no quantity, and "buildings" in both: the headline rule still fires (one policy, its own link)
    page = ccnt_page(
        "The Ministry of Housing and Urban-Rural Development issued a plan to cut energy use in public buildings,\n"
        "with heat pumps set to spread.\n\n"
        "Action Plan for Energy Conservation in Public Buildings was published by the Ministry of Housing and\n"
        "Urban-Rural Development. It proposes that by 2028 energy use per square metre will fall by 5%.\n",
        1, ["https://www.mohurd.gov.cn/gongkai/art_7.html"] * 2)
    ex = extract_text(tmp_path, page)
    pols = policies_by_title(ex.graph)
    assert list(pols) == ["Action Plan for Energy Conservation in Public Buildings"]
    assert url_tails(ex, pols["Action Plan for Energy Conservation in Public Buildings"]) == ["art_7.html"]


def test_co_issuers_after_a_month_and_the_month_alone() -> None:
    tm = find_title("Work Plan for Green Ports was issued by the Ministry of Transport in July, together with the "
                    "NDRC.", genre_regex())
    assert tm is not None and tm.issuer == "Ministry of Transport, together with the NDRC"
    tm = find_title("Work Plan for Green Ports was issued by the Ministry of Transport in July. It sets goals.",
                    genre_regex())
    assert tm is not None and tm.issuer == "Ministry of Transport"


def test_year_carried_to_the_documents_own_next_sentence_but_not_to_another_document() -> None:
    # "The Plan also aims ..." goes on with the same document; "A MOF notice ..." / "Later, ..." do not
    first = "The Plan calls for water use to fall by 6% by 2028. "
    assert ("target", 2028, 40.0) in goal_tuples(first + "The Plan also aims to raise the share of recycled water to 40%.")
    for second in ("A MOF notice requires the share of recycled water to exceed 40%.",
                   "Later, the share of recycled water should exceed 40%."):
        assert not [g for g in goal_tuples(first + second) if g[2] == 40.0 and g[1] is not None]


def test_threshold_cue_still_makes_an_undated_rule_a_provision() -> None:
    got = goal_tuples("Firms in the steel sector with annual emissions of 50,000 tons or more are covered.")
    assert got and all(k == "provision" for k, _, _ in got)


def test_hours_a_year_or_two_stays_hours() -> None:
    # "a year or two" is a duration, not a rate ("a year or more" is one)
    assert find_quantities("600 hours a year or two")[0].unit_text == "hours"
    assert find_quantities("600 hours every year")[0].unit_text == "hours per year"


def test_plus_before_a_capitalised_word_still_joins_the_title() -> None:
    tm = find_title("Guiding Opinions on Promoting Internet + Logistics was issued by the NDRC.", genre_regex())
    assert tm is not None and tm.title == "Guiding Opinions on Promoting Internet + Logistics"
