"""Loader rules of the ninth unseen-briefing review (``loaders/briefing.py``, ``goals.py``, ``quantities.py``,
``emit.py``, ``linking.py``).

Each test pins one rule on a small invented input (titles, URLs and numbers are made up; agencies are real
reference agencies) and, next to it, what the rule must NOT do. The gaps were found on a provincial roundup
PDF and a ministry web page (``tests/hostile_unseen/data/*-2025-0[56]-unseen.*``); none of their sentences
is used here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from loader_helpers import extract_text as _extract
from loader_helpers import reference_linker as _linker
from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from loaders.briefing import SECTION_PERSPECTIVES, SECTION_SUBNATIONAL, parse_briefing, split_publishers
from policykg.vocab import PKG

GENRES = ["Notice", "Plan", "Action Plan", "Implementation Plan", "Measures", "Several Measures",
          "Guiding Opinions", "Guidelines", "Opinions", "Work Plan"]


def _policy_agencies(ex, title_part: str, prop: URIRef) -> set[str]:
    g = ex.graph
    out: set[str] = set()
    for pol in g.subjects(RDF.type, PKG.Policy):
        if any(title_part in str(t) for t in g.objects(pol, DCTERMS.title)):
            for a in g.objects(pol, prop):
                info = _linker().agency(a)
                out.add(info.pref_label if info is not None else str(g.value(a, SKOS.prefLabel) or a))
    return out


# =========================================================================== 1. labelled issuer lines

_LISTED = """Quarterly Energy Digest

1 National Policies

Notice on Improving the Metering of Rooftop Heat Pumps

Issuer: National Energy Administration; Ministry of Ecology and Environment

Date: 3 March 2031

Link: https://example.org/notice-heat-pumps.html

The notice asks grid companies to publish metering rules.

Work Plan for Lakeside Solar Parks in Hunan Province

Issuer: Hunan Provincial People's Government

Date: 5 March 2031

The plan lists pilot parks.
"""


def test_issuer_line_gives_every_listed_agency(tmp_path: Path) -> None:
    ex = _extract(tmp_path, _LISTED)
    got = _policy_agencies(ex, "Rooftop Heat Pumps", PKG.issuedBy)
    assert got == {"National Energy Administration", "Ministry of Ecology and Environment"}


def test_issuer_line_naming_a_provincial_government_is_no_section_heading() -> None:
    parse = parse_briefing(_LISTED, GENRES)
    titles = {e.title: e for e in parse.policies}
    hunan = titles["Work Plan for Lakeside Solar Parks in Hunan Province"]
    assert hunan.issuer == "Hunan Provincial People's Government"
    # the "Issuer: ... Provincial ..." line did not open a subnational section under the national heading
    assert {e.section for e in parse.policies} == {"national"}


@pytest.mark.parametrize("line", ["Issued by: National Energy Administration, Ministry of Finance and "
                                  "Ministry of Ecology and Environment",
                                  "• Issuing agencies: National Energy Administration; Ministry of Finance; "
                                  "Ministry of Ecology and Environment"])
def test_issued_by_lists(tmp_path: Path, line: str) -> None:
    text = f"""Notice on Winter Heat Supply in Rural Towns

{line}

Date: 4 April 2031

Grid companies are to report weekly.
"""
    ex = _extract(tmp_path, text)
    assert _policy_agencies(ex, "Winter Heat Supply", PKG.issuedBy) == {
        "National Energy Administration", "Ministry of Finance", "Ministry of Ecology and Environment"}


def test_issuer_line_precision_other_field_lines_give_no_issuer() -> None:
    text = """Notice on Winter Heat Supply in Rural Towns

Date: 4 April 2031

Source: National Energy Administration website

Grid companies are to report weekly.
"""
    parse = parse_briefing(text, GENRES)
    assert [e.issuer for e in parse.policies] == [None]


def test_meta_line_with_several_agencies_gives_them_all() -> None:
    # a web page's meta line under a title heading (HTML text: one paragraph a line)
    text = """Notice on Winter Heat Supply in Rural Towns

National Energy Administration, Ministry of Finance · 4 April 2031

Grid companies are to report weekly.
"""
    parse = parse_briefing(text, GENRES, wrapped=False)
    assert [e.issuer for e in parse.policies] == ["National Energy Administration, Ministry of Finance"]
    # precision: a one-agency byline keeps working, and a date alone names no issuer
    one = text.replace("National Energy Administration, Ministry of Finance ·", "Ministry of Finance,")
    assert [e.issuer for e in parse_briefing(one, GENRES, wrapped=False).policies] == ["Ministry of Finance"]
    none = text.replace("National Energy Administration, Ministry of Finance · ", "Updated ")
    assert [e.issuer for e in parse_briefing(none, GENRES, wrapped=False).policies] == [None]


def test_statistics_source_in_an_overview_is_no_issuer(tmp_path: Path) -> None:
    text = """Quarterly Energy Digest

Overview. Inland provinces keep building large wind bases. According to NEA statistics, the region added
about 9 GW in the first quarter, while curtailment rose in the spring.

Work Plan for Lakeside Solar Parks in Hunan Province

The plan lists pilot parks and a grid study.
"""
    ex = _extract(tmp_path, text)
    assert "National Energy Administration" not in _policy_agencies(ex, "Lakeside Solar", PKG.issuedBy)


def test_department_sub_host_is_the_stated_department(tmp_path: Path) -> None:
    text = """Action Plan for Green Building Retrofits in Wuhan

Issuer: Wuhan Municipal Bureau of Housing and Urban-Rural Development

Date: 7 March 2031

Link: https://qqq.wuhan.gov.cn/zwgk/tzgg/203103/t20310307_1.shtml

Retrofits cover public buildings.
"""
    ex = _extract(tmp_path, text)
    hosts = _policy_agencies(ex, "Green Building Retrofits", PKG.sourceHostedBy)
    assert hosts == {"Wuhan Municipal Bureau of Housing and Urban-Rural Development"}


def test_department_sub_host_precision_government_site_stays_the_government(tmp_path: Path) -> None:
    text = """Action Plan for Green Building Retrofits in Wuhan

Issuer: Wuhan Municipal Bureau of Housing and Urban-Rural Development

Link: https://www.wuhan.gov.cn/zwgk/tzgg/203103/t20310307_1.shtml

Retrofits cover public buildings.
"""
    ex = _extract(tmp_path, text)
    hosts = _policy_agencies(ex, "Green Building Retrofits", PKG.sourceHostedBy)
    assert hosts and "Wuhan Municipal Bureau of Housing and Urban-Rural Development" not in hosts


# =========================================================================== 6. Further Reading

def test_numbered_further_reading_heading_opens_the_reports_part() -> None:
    text = """1 National Policies

Notice on Winter Heat Supply in Rural Towns

Grid companies are to report weekly.

3 Further Reading

A Field Guide to Heat Pump Markets

Publisher: Example Energy Institute, with Example University

Link: https://example.org/heat-pump-guide

Coal Phase-Down Scenarios for Inland Provinces

Publisher: Example Climate Foundation
"""
    parse = parse_briefing(text, GENRES)
    assert [e.title for e in parse.policies] == ["Notice on Winter Heat Supply in Rural Towns"]
    assert [(r.title, r.publishers) for r in parse.reports] == [
        ("A Field Guide to Heat Pump Markets", ["Example Energy Institute"]),
        ("Coal Phase-Down Scenarios for Inland Provinces", ["Example Climate Foundation"])]


def test_provinces_heading_opens_the_subnational_part() -> None:
    text = """2 Southern and Western Provinces

Work Plan for Lakeside Solar Parks in Hunan Province

The plan lists pilot parks.
"""
    assert [e.section for e in parse_briefing(text, GENRES).policies] == [SECTION_SUBNATIONAL]


def test_further_reading_sentence_entry_is_a_report() -> None:
    text = """Further reading

Pricing Flexibility in Provincial Power Markets, a working paper by Example Policy Lab (May 2031), compares
the rules of four provinces.
"""
    parse = parse_briefing(text, GENRES, wrapped=False)
    assert [(r.title, r.publishers) for r in parse.reports] == [
        ("Pricing Flexibility in Provincial Power Markets", ["Example Policy Lab"])]


def test_further_reading_precision_prose_is_no_report() -> None:
    text = """Further reading

Readers who follow the markets, a group we hear from often, will find more in our March issue.
"""
    parse = parse_briefing(text, GENRES, wrapped=False)
    assert parse.reports == []


def test_running_head_is_no_report_title() -> None:
    text = """Contents

3 Further Reading

Example Tracker Monthly | June 2031 www.example-tracker.org

1 National Policies

Notice on Winter Heat Supply in Rural Towns

Grid companies are to report weekly.
"""
    parse = parse_briefing(text, GENRES)
    assert parse.reports == []
    assert parse_briefing(text, GENRES).policies[0].section == "national"


def test_partner_after_with_is_no_publisher() -> None:
    assert split_publishers("Example Foundation, with Example University") == ["Example Foundation"]
    assert split_publishers("Example Foundation, Example University") == ["Example Foundation", "Example University"]
    assert SECTION_PERSPECTIVES == "perspectives"


def test_agency_named_as_issuer_in_a_headline_still_counts(tmp_path: Path) -> None:
    # precision of the statistics guard: a headline that says who issued the policies below keeps working
    text = """Quarterly Energy Digest

The NEA issued two documents on rural power this month.

Work Plan for Lakeside Solar Parks in Hunan Province

The plan lists pilot parks and a grid study.
"""
    ex = _extract(tmp_path, text)
    assert "National Energy Administration" in _policy_agencies(ex, "Lakeside Solar", PKG.issuedBy)


# =========================================================================== 2-3. grids of targets, captions

def _targets(ex, title_part: str, prop: URIRef = PKG.setsTarget) -> list[tuple]:
    g = ex.graph
    out = []
    for pol in g.subjects(RDF.type, PKG.Policy):
        if any(title_part in str(t) for t in g.objects(pol, DCTERMS.title)):
            for t in g.objects(pol, prop):
                v = g.value(t, PKG.value)
                y = g.value(t, PKG.targetYear)
                c = g.value(t, PKG.comparator)
                b = g.value(t, PKG.baselineYear)
                out.append((float(v) if v is not None else None, str(y) if y is not None else None,
                            str(c).rsplit("#", 1)[-1] if c is not None else None,
                            str(b) if b is not None else None, str(g.value(t, PKG.indicator) or "")))
    return sorted(out, key=lambda x: (x[0] is None, x[0] or 0))


_GRID = """1 National Policies

Action Plan for Rural Heat Pumps (2031–2034)

Issuer: National Energy Administration

Date: 2 March 2031

Link: https://example.org/heat-pump-plan.html

The plan sets six tasks. Its main goals for 2034 are summarised in Table 1.

Table 1. Selected 2034 targets of the plan

Indicator | 2034 target
Installed heat pump capacity | more than 90 GW
Peak shaving capability | no less than 7% of maximum load
Pilot counties | 300

Notice on Winter Heat Supply in Rural Towns

Issuer: Ministry of Finance

Date: 4 March 2031

Link: https://example.org/heat-supply.html

Table 2. Heat supply targets

Item | By 2033
Heating stations | no fewer than 40
Output value of the heat pump industry | over CNY 20 billion
"""


def test_grid_cells_are_targets_of_the_header_year(tmp_path: Path) -> None:
    ex = _extract(tmp_path, _GRID)
    assert [x[:3] + (x[4],) for x in _targets(ex, "Rural Heat Pumps")] == [
        (7.0, "2034", "AtLeast", "Peak shaving capability"),
        (90.0, "2034", "MoreThan", "Installed heat pump capacity"),
        (300.0, "2034", "Exactly", "Pilot counties")]


def test_table_after_a_link_line_belongs_to_the_policy_above(tmp_path: Path) -> None:
    ex = _extract(tmp_path, _GRID)
    assert [x[:3] for x in _targets(ex, "Winter Heat Supply")] == [(20.0, "2033", "MoreThan"),
                                                                   (40.0, "2033", "AtLeast")]
    parse = parse_briefing(_GRID, GENRES)
    assert [e.title for e in parse.policies] == ["Action Plan for Rural Heat Pumps (2031–2034)",
                                                 "Notice on Winter Heat Supply in Rural Towns"]
    assert parse.headlines == [] or all("Table" not in h.text for h in parse.headlines)


def test_grid_precision_caption_and_pointer_sentence_are_no_goals(tmp_path: Path) -> None:
    ex = _extract(tmp_path, _GRID)
    # "Its main goals for 2034 are summarised in Table 1." and the caption give no qualitative target
    assert all(v is not None for v, *_ in _targets(ex, "Rural Heat Pumps"))


def test_statistics_grid_with_year_columns_gives_no_targets(tmp_path: Path) -> None:
    text = """Work Plan for Lakeside Solar Parks in Hunan Province

The plan lists pilot parks. Capacity so far:

Province | 2029 | 2030
Hunan | 3 GW | 4 GW
Jiangxi | 2 GW | 5 GW

By 2034, the parks will reach 12 GW.
"""
    ex = _extract(tmp_path, text)
    assert [x[:2] for x in _targets(ex, "Lakeside Solar")] == [(12.0, "2034")]
    from loaders.briefing import find_tables, split_lines
    (t,) = find_tables(split_lines(text), text)
    assert t.years == (None, None, None)  # a table now (no longer run into prose), but no target years


def test_two_cell_line_without_a_year_header_is_no_table() -> None:
    from loaders.briefing import find_tables, split_lines
    text = "Wind | Solar\nA line of prose | another one\n"
    assert find_tables(split_lines(text), text) == []


# =========================================================================== 4. precision of counts

def test_number_word_after_definite_article_is_no_target() -> None:
    from loaders.goals import find_goals
    got = find_goals("The two regulators expect rating rules for at least 80 key appliances to be in place by 2033.",
                     context_year=2031)
    assert [float(g.value) for g in got] == [80.0]
    got = find_goals("Plants in the four sectors join the market by 2033.", context_year=2031)
    assert all(g.value is None or float(g.value) != 4.0 for g in got)


def test_number_word_as_object_of_a_goal_verb_stays_a_target() -> None:
    from loaders.goals import find_goals
    got = find_goals("By 2033, the market will cover the six major emitting sectors.", context_year=2031)
    assert [(float(g.value), g.target_year) for g in got] == [(6.0, 2033)]
    got = find_goals("By 2033, the city will build two depots and five stations.", context_year=2031)
    assert sorted(float(g.value) for g in got) == [2.0, 5.0]


@pytest.mark.parametrize("text", ["The bureau's plan has six chapters (and two annexes).4 Energy use per unit of "
                                  "output is to be cut by 12% by 2033.",
                                  "The bureau issued the plan on 3 May.4 Energy use per unit of output is to be cut "
                                  "by 12% by 2033."])
def test_footnote_marker_after_a_sentence_end_is_no_value(text: str) -> None:
    from loaders.goals import find_goals
    got = find_goals(text, context_year=2031)
    assert [(float(g.value), g.target_year) for g in got] == [(12.0, 2033)]
    assert got[0].indicator == "Energy use per unit of output"


def test_footnote_marker_after_a_year_keeps_the_qualitative_goal() -> None:
    from loaders.goals import find_goals
    got = find_goals("Key targets: a green, low-carbon heating system basically in place by 2040.2", context_year=2031)
    assert [(g.value, g.target_year) for g in got] == [(None, 2040)]
    # precision: a real decimal stays a value
    got = find_goals("By 2034, capacity will reach 12.5 GW.", context_year=2031)
    assert [float(g.value) for g in got] == [12.5]


def test_entity_threshold_is_a_provision_not_a_target() -> None:
    from loaders.goals import find_goals
    got = find_goals("Plants emitting 13,000 tonnes of CO2 or more a year in the four sectors join the provincial "
                     "market with free allocation for the 2031 and 2032 compliance years.", context_year=2031)
    assert [(g.kind, float(g.value), g.target_year, str(g.comparator).rsplit("#", 1)[-1]) for g in got] == [
        ("provision", 13000.0, None, "AtLeast")]


def test_provision_takes_no_year_its_policy_does_not_give(tmp_path: Path) -> None:
    text = _GRID + """
Notice on Orderly Direct Supply of Wind Power

Issuer: National Energy Administration

Date: 9 March 2031

Projects must use on site no less than 70% of the power they generate each year, and self-generated power should
account for at least 20% of the user's total consumption.
"""
    ex = _extract(tmp_path, text)
    got = _targets(ex, "Direct Supply") + _targets(ex, "Direct Supply", PKG.hasProvision)
    assert sorted(v for v, *_ in got) == [20.0, 70.0]
    assert all(y is None for _, y, *_ in got)


def test_qualitative_goal_with_intends_to_and_a_relative_clause() -> None:
    from loaders.goals import find_goals
    got = find_goals("By 2034 the Bureau intends to intro-\nduce an absolute cap for sectors whose emissions have "
                     "stabilised.", context_year=2031)
    assert [(g.kind, g.value, g.target_year) for g in got] == [("target", None, 2034)]
    assert "introduce" in got[0].indicator
    # precision: "whose" still makes a threshold value a provision
    got = find_goals("By 2034, firms whose emissions exceed 10,000 tonnes will receive allowances.", context_year=2031)
    assert [g.kind for g in got] == ["provision"]


def test_line_break_hyphen_inside_a_word_is_dropped_in_indicators() -> None:
    from loaders.goals import find_goals
    got = find_goals("By 2030 the comprehensive utilisa-\ntion rate of retired parts should be no lower than 85%.")
    assert got[0].indicator == "comprehensive utilisation rate of retired parts"
    got = find_goals("By 2030 the negative-\ncarbon share should be 5%.")
    assert got[0].indicator == "negative-carbon share"


# =========================================================================== 5. baselines

def test_baseline_belongs_to_its_own_clause() -> None:
    from loaders.goals import find_goals
    got = find_goals("By 2034, heat-pump retrofits will be completed on 4 million square metres of existing schools, "
                     "and the share of certified buildings in new construction is to rise by 8 percentage points "
                     "over 2030.", context_year=2031)
    assert [(float(g.value), g.baseline_year) for g in got] == [(4.0, None), (8.0, 2030)]


def test_baseline_before_or_shared_by_a_list_still_applies() -> None:
    from loaders.goals import find_goals
    got = find_goals("Compared with 2030, energy use will fall by 10% by 2034.", context_year=2031)
    assert [g.baseline_year for g in got] == [2030]
    got = find_goals("By 2034, energy use and emissions will be cut by 10% and 12% from 2030 levels.", context_year=2031)
    assert [g.baseline_year for g in got] == [2030, 2030]


# =========================================================================== 8. evidence

def test_evidence_is_the_sentence_not_the_date_line(tmp_path: Path) -> None:
    text = """Notice on Winter Heat Supply in Rural Towns

Issuer: Ministry of Finance

Date: 4 March 2031

By the end of 2033, heating stations will reach 40 GW.
"""
    ex = _extract(tmp_path, text)
    (t,) = _targets(ex, "Winter Heat Supply")
    assert t[:2] == (40.0, "2033") and "March" not in t[4]
    g = ex.graph
    for node in g.objects(None, PKG.setsTarget):
        for sp in g.subjects(None, node):
            pass
    assert "Date:" not in t[4]


# =========================================================================== two-column prose

def test_narrow_column_prose_is_not_cut_at_capitalised_lines() -> None:
    text = """Hunan’s provincial Development and Reform
Commission issued the Hunan Province Action
Plan for the Development of Rooftop
Photovoltaics (2031–2033). The province
aims for rooftop PV capacity of about 9
million kW by 2033. Counties with weak grids
will be given priority in upgrade funding.
"""
    parse = parse_briefing(text, GENRES)
    assert [e.title for e in parse.policies] == ["Hunan Province Action Plan for the Development of Rooftop "
                                                 "Photovoltaics (2031–2033)"]


def test_narrow_column_title_heading_keeps_its_last_word() -> None:
    text = """Work Plan for the Construction of
Integrated Wind-Solar Bases in the
Upper Reaches of the Example and Sample
Rivers (示例河上游风光一体化基地
建设工作方案)

Issuer: Hunan Provincial People's Government
"""
    parse = parse_briefing(text, GENRES)
    assert [e.title for e in parse.policies] == [
        "Work Plan for the Construction of Integrated Wind-Solar Bases in the Upper Reaches of the Example and "
        "Sample Rivers"]


def test_wide_page_heading_still_ends_its_paragraph() -> None:
    text = ("Notice on Winter Heat Supply in Rural Towns\n"
            "Cities are asked to report weekly on supply and prices, the Ministry of Finance said on Tuesday in a "
            "statement.\n")
    parse = parse_briefing(text, GENRES)
    assert [e.title for e in parse.policies] == ["Notice on Winter Heat Supply in Rural Towns"]


# =========================================================================== 7. the briefing's title

_BODY = ("The notice asks grid companies in every province to publish their metering rules for rooftop heat pumps and\n"
         "to report monthly on connection times, fees and the share of applications approved within thirty days of\n"
         "filing, starting from the third quarter.\n")


@pytest.mark.parametrize("masthead", ["E X T R\nExample Low-Carbon Research Centre\n\n", "E X T R\n\n",
                                      "Example Low-Carbon Research Centre\n\n"])
def test_logo_and_publisher_lines_are_not_the_briefing_title(masthead: str) -> None:
    text = (masthead + "Coastal Climate Policy Roundup\nIssue 3 · June 2031\n\n1 National Policies\n\n"
            "Notice on Improving the Metering of Rooftop Heat Pumps\n\n" + _BODY)
    parse = parse_briefing(text, GENRES)
    assert parse.doc_title == "Coastal Climate Policy Roundup"
    assert [e.title for e in parse.policies] == ["Notice on Improving the Metering of Rooftop Heat Pumps"]


def test_briefing_title_precision_plain_first_line_still_the_title() -> None:
    text = "China Energy Tracker - Policy Briefing, June 2031\n\nNotice on Improving the Metering of Rooftop Heat Pumps\n\n" + _BODY
    assert parse_briefing(text, GENRES).doc_title == "China Energy Tracker - Policy Briefing, June 2031"
    # a section heading first is no title
    text = "National Policies\n\nNotice on Improving the Metering of Rooftop Heat Pumps\n\n" + _BODY
    assert parse_briefing(text, GENRES).doc_title is None


# =========================================================================== issuer names in prose, "all" goals

def test_possessive_provincial_department_resolves_to_the_department() -> None:
    L = _linker()
    named = L.resolve_agency("Hunan Provincial Development and Reform Commission")
    assert named is not None
    assert L.resolve_agency("Hunan's provincial Development and Reform Commission") == named
    assert L.resolve_agency("Hunan’s provincial Development and Reform Commission") == named
    # precision: a possessive before an unknown department names nothing
    assert L.resolve_agency("Hunan's provincial Bureau of Imaginary Affairs") is None


def test_goal_for_all_units_of_a_kind_is_a_full_share() -> None:
    from loaders.goals import find_goals
    got = find_goals("All counties are to complete grid assessments by 2033, and new public buildings must reserve "
                     "roof space for PV.", context_year=2031)
    assert [(g.kind, float(g.value), g.unit_text, g.target_year) for g in got] == [("target", 100.0, "%", 2033)]
    assert got[0].indicator == "counties complete grid assessments"


def test_all_units_precision_no_year_past_or_own_value() -> None:
    from loaders.goals import find_goals
    assert find_goals("All cities are to report weekly.", context_year=2031) == []
    assert find_goals("All counties have completed grid assessments in 2030.", context_year=2031) == []
    got = find_goals("By 2033, all new buildings will reach 30% rooftop PV cover.", context_year=2031)
    assert [float(g.value) for g in got] == [30.0]


def test_dateline_of_agencies_whose_names_hold_a_genre_word_is_no_title() -> None:
    text = ("Notice on Winter Heat Supply in Rural Towns\n\n"
            "Ministry of Ecology and Environment, State Administration for Market Regulation · 4 April 2031\n\n"
            "Grid companies are to report weekly.\n")
    parse = parse_briefing(text, GENRES + ["Regulation"], wrapped=False)
    assert [(e.title, e.issuer) for e in parse.policies] == [
        ("Notice on Winter Heat Supply in Rural Towns",
         "Ministry of Ecology and Environment, State Administration for Market Regulation")]


def test_dated_title_line_under_a_heading_stays_a_title() -> None:
    text = ("Notice on Winter Heat Supply in Rural Towns\n\n"
            "Notice on Rural Heat Pumps in Towns, 3 June 2031\n\n"
            "Grid companies are to report weekly.\n")
    parse = parse_briefing(text, GENRES, wrapped=False)
    assert [e.title for e in parse.policies] == ["Notice on Winter Heat Supply in Rural Towns",
                                                 "Notice on Rural Heat Pumps in Towns"]
    assert parse.policies[0].issuer is None


def test_grid_with_a_unit_column_and_several_target_years(tmp_path: Path) -> None:
    text = """Action Plan for Rural Heat Pumps (2031–2036)

Issuer: National Energy Administration

The plan sets six tasks.

Table 3. Main targets of the plan

Indicator | Unit | 2033 | 2036
Installed heat pump capacity | GW | 40 | more than 90
Share of heat pumps in rural heating | % | 15 | 30
"""
    ex = _extract(tmp_path, text)
    got = sorted((x[1], x[0], x[2]) for x in _targets(ex, "Rural Heat Pumps"))
    assert got == [("2033", 15.0, "Exactly"), ("2033", 40.0, "Exactly"), ("2036", 30.0, "Exactly"),
                   ("2036", 90.0, "MoreThan")]
    g = ex.graph
    units = {str(g.value(t, PKG.unitText)) for t in g.objects(None, PKG.setsTarget)}
    assert units == {"GW", "%"}


def test_caption_over_a_table_of_policies_keeps_its_records_policies() -> None:
    text = """Notice on Winter Heat Supply in Rural Towns

The notice asks cities to report weekly on supply and prices during the heating season, from November on.

Table 1. Local policies this month

Policy | Issuer | Date | Key target
Work Plan for Lakeside Solar Parks in Hunan Province | Hunan DRC | 3 Jun 2031 | 2 GW of solar by 2033
Action Plan for Rural Heat Pumps in Jiangxi Province | Jiangxi DRC | 9 Jun 2031 | 500 villages by 2034
"""
    parse = parse_briefing(text, GENRES)
    assert [(e.title, e.issuer) for e in parse.policies] == [
        ("Notice on Winter Heat Supply in Rural Towns", None),
        ("Work Plan for Lakeside Solar Parks in Hunan Province", "Hunan DRC"),
        ("Action Plan for Rural Heat Pumps in Jiangxi Province", "Jiangxi DRC")]


def test_key_target_cell_gives_the_record_its_target(tmp_path: Path) -> None:
    text = """Policy | Issuer | Date | Key target
Work Plan for Lakeside Solar Parks in Hunan Province | Hunan DRC | 3 Jun 2031 | 2 GW of solar by 2033
"""
    ex = _extract(tmp_path, text)
    assert [x[:2] for x in _targets(ex, "Lakeside Solar")] == [(2.0, "2033")]
