"""Session 10 (F4): what two ordinary CCNT issues (``ccnt-2024-05-unseen``, ``ccnt-2025-03-unseen``) found, each rule
pinned on small invented inputs with the tests of what it must NOT do.

Rules: a group headline opening a page at the body's full width stays a headline when a title follows it
(briefing._page_headline); "A, together with B and N other departments, released" ends the issuer phrase before its
closing comma (briefing._issuer_phrase); "<Agency> issued basic rules for ..." in a headline is no sentence-case
title (briefing._subject_issued); ", and offer(s)/provide(s) a reward ..." is a second clause (goal_cues.yaml
``predicates``), so "to exceed X by 2027" keeps its year; a Five-Year Plan named as a document dates nothing
(goals._fyp_time); "a vehicle with a displacement of 2.0 L or below" is no goal (goals._SPEC_BEFORE_RX); "From 2024
to 2026, allowances will be allocated free of charge" is a rule of the period, no qualitative goal
(goals._FROM_PERIOD_RX).

All titles, numbers and URLs here are invented; agency and region names are real (reference data).
"""

from __future__ import annotations

from pathlib import Path

from loader_helpers import extract_text
from loader_helpers import policies_by_title
from loader_helpers import agency_labels
from rdflib import URIRef

from loaders.briefing import _genre_regex, _issuer_phrase, find_titles, parse_briefing
from loaders.goals import find_goals
from policykg.vocab import PKG

GENRES = ["Notice", "Plan", "Action Plan", "Implementation Plan", "Measures", "Rules", "Basic Rules", "Work Plan",
          "Guiding Opinions", "Implementation Rules"]


def _policies(ex) -> dict[str, URIRef]:
    return policies_by_title(ex.graph)


def _agencies(ex, pol, prop: URIRef = PKG.issuedBy) -> set[str]:
    return agency_labels(ex.graph, pol, prop)


def _page(body: str, n: int, urls: list[str]) -> str:
    """One CCNT page as its PDF's text comes out: a leading space, the text, a footer, the page's link list."""
    return f" {body}\n\nPolicy Tracker | {n}\n\n\n" + "".join(u + "\n" for u in urls)


def _goals(text: str, year: int = 2026) -> list[tuple[str, int | None, float | None]]:
    return [(g.kind, g.target_year, g.normalized_value) for g in find_goals(text, context_year=year)]


# --------------------------------------------------------------------------- 1. a full-width headline opening a page

PAGE_ONE = _page(
    "China set new rules for small hydropower and will expand the reuse of industrial water.\n\n"
    "Notice on Strengthening the Safety Supervision of Small Hydropower Stations aims to improve the\n"
    "safety of small hydropower stations in mountain counties and to retire stations that cannot\n"
    "meet the standards. The Notice requires county water authorities to inspect every station\n"
    "at least once a year and to publish the list of retired stations on a regular basis.\n",
    1, ["https://www.mwr.gov.cn/zwgk/gknr/202706/t20270611_1.html"] * 2)

PAGE_TWO_HEAD = ("Several departments — including the Ministry of Water Resources and the National Energy\n"
                 "Administration — released plans to expand the reuse of industrial water in the chemical,\n"
                 "paper and textile industries in the coming three years of the national programme.\n\n")

PAGE_TWO_BODY = (
    "Implementation Plan for Promoting the Reuse of Industrial Water in the Paper Industry aims to\n"
    "raise the reuse of water in paper mills. The Plan proposes that by 2029 the reuse rate of\n"
    "industrial water in paper mills will exceed 93%.\n")


def test_full_width_headline_opening_a_page_gives_its_agencies(tmp_path: Path) -> None:
    text = PAGE_ONE + _page(PAGE_TWO_HEAD + PAGE_TWO_BODY, 2,
                            ["https://www.mwr.gov.cn/zwgk/gknr/202707/t20270702_2.html"] * 2)
    ex = extract_text(tmp_path, text)
    pols = _policies(ex)
    plan = pols["Implementation Plan for Promoting the Reuse of Industrial Water in the Paper Industry"]
    assert {"Ministry of Water Resources", "National Energy Administration"} <= _agencies(ex, plan,
                                                                                           PKG.issuedByHeadline)
    notice = pols["Notice on Strengthening the Safety Supervision of Small Hydropower Stations"]
    assert not _agencies(ex, notice, PKG.issuedByHeadline)


def test_page_start_prose_without_a_title_below_stays_with_the_policy() -> None:
    # the page opens with more of the policy's text (no title follows it): not a headline
    more = ("County water authorities will publish the list of retired stations and the reasons for each\n"
            "retirement on their portals every quarter, and will report the list to the provincial water\n"
            "department, which checks the safety records of the stations that remain in operation.\n")
    text = PAGE_ONE + _page(more, 2, [])
    p = parse_briefing(text, GENRES)
    assert len(p.policies) == 1 and not p.headlines[1:]
    assert any(part.logical.startswith("County water authorities") for part in p.policies[0].parts)


def test_page_start_headline_of_two_sentences_is_not_taken_as_one() -> None:
    # two sentences at the page start are prose of the policy above, whatever follows
    more = ("County water authorities will publish the list of retired stations on their portals. They will\n"
            "report it to the provincial water department every quarter, which checks the safety records of\n"
            "the stations that remain in operation in each county of the mountain areas of the province.\n\n")
    text = PAGE_ONE + _page(more + PAGE_TWO_BODY, 2, ["https://www.mwr.gov.cn/a/t20270702_2.html"] * 2)
    p = parse_briefing(text, GENRES)
    assert any(part.logical.startswith("County water authorities") for part in p.policies[0].parts)


# --------------------------------------------------------------------------- 2. "A, together with B and N others,"

def test_together_with_between_commas_keeps_both_issuers(tmp_path: Path) -> None:
    body = ("Water reuse gets a national work plan.\n\n"
            "The Ministry of Water Resources, together with the National Energy Administration and nine other\n"
            "departments, released the Work Plan on Building a Water Reuse Accounting System to support water\n"
            "saving in industry. The Plan proposes that by 2029 about 40 accounting rules will be issued.\n")
    ex = extract_text(tmp_path, _page(body, 1, ["https://www.mwr.gov.cn/zwgk/gknr/202706/t20270611_1.html"] * 2))
    pol = _policies(ex)["Work Plan on Building a Water Reuse Accounting System"]
    assert {"Ministry of Water Resources", "National Energy Administration"} <= _agencies(ex, pol)


def test_together_with_unnamed_departments_adds_no_issuer() -> None:
    assert _issuer_phrase("The Ministry of Water Resources, together with relevant departments,") == (
        "Ministry of Water Resources", 4)
    assert _issuer_phrase("The Ministry of Water Resources and eleven other departments,")[0] == \
        "Ministry of Water Resources"


# --------------------------------------------------------------------------- 3. "<Agency> issued basic rules for ..."

def test_headline_with_an_issue_verb_is_no_sentence_case_title() -> None:
    head = ("The NEA issued basic rules for the national hydropower market, and four departments set "
            "water-saving targets for the paper industry.")
    assert find_titles(head, _genre_regex(GENRES)) == []


def test_sentence_case_title_without_a_verb_before_its_genre_is_still_a_title() -> None:
    got = find_titles("Basic rules for the national hydropower market aim to open the market to storage.",
                      _genre_regex(GENRES))
    assert [t.title for t in got] == ["Basic rules for the national hydropower market"]


# --------------------------------------------------------------------------- 4. the year after the number

def test_year_after_the_value_before_an_offer_of_rewards() -> None:
    got = _goals("The Measures aim for the output of the city's tidal energy industry to exceed 20 billion RMB by "
                 "2028, and offer a one-off reward of up to 3 million RMB for each demonstration project.")
    assert ("target", 2028, 2e10) in got
    assert ("provision", None, 3e6) in got and not any(k == "target" and v == 3e6 for k, _, v in got)


def test_build_about_n_by_year_before_provides_a_subsidy() -> None:
    got = _goals("It proposes to build about 30 county hydrogen stations by 2028, and provides a subsidy of up to "
                 "2 million RMB for each station.")
    assert ("target", 2028, 30.0) in got
    assert ("provision", None, 2e6) in got


def test_a_verb_of_giving_inside_a_listed_item_splits_nothing() -> None:
    # only "and offers|provides ..." opens a second predicate; "meters that utilities provide" is a listed noun
    # phrase (before this rule a verb of giving anywhere after ", and" would have cut the list)
    from loaders.goals import _clauses, cues

    s = "Rebates of 5% for batteries, and meters that utilities provide to households in rural counties."
    assert [s[a:b] for a, b in _clauses(s, 0, len(s), cues())] == [s]
    s2 = "It aims to add 5 GW by 2028, and provides a reward of 1 million RMB."
    assert len(_clauses(s2, 0, len(s2), cues())) == 3  # the goal, "and", the rule


# --------------------------------------------------------------------------- 5. non-goals

def test_five_year_plan_named_as_a_document_dates_nothing() -> None:
    assert _goals("The Notice aims to ensure that the binding targets of the 15th Five-Year Plan for water use "
                  "per unit of GDP are achieved.") == []


def test_five_year_plan_as_a_period_still_dates_goals() -> None:
    assert _goals("It proposes that during the 15th Five-Year Plan period, 40 pilot towns will be built.") == [
        ("target", 2030, 40.0)]
    assert _goals("By the end of the 15th Five-Year Plan, 40 pilot towns will be built.") == [("target", 2030, 40.0)]


def test_specification_of_a_thing_with_an_open_bound_is_no_goal() -> None:
    got = _goals("Buyers who scrap an old diesel boat will receive a one-off subsidy of 9,000 RMB, and those who buy "
                 "an electric boat with a battery capacity of 50 kWh or above will receive 6,000 RMB.")
    assert not any(v == 5e4 or v == 50.0 for _, _, v in got)  # 50 kWh (5e4 Wh) names which boats qualify
    assert ("provision", None, 9000.0) in got


def test_value_of_with_a_without_an_open_bound_is_still_a_goal() -> None:
    assert _goals("By 2028, build 12 pumped storage plants with a total capacity of 9 GW.") == [
        ("target", 2028, 12.0), ("target", 2028, 9e9)]
    assert _goals("By 2028, wind capacity will reach 30 GW or above.") == [("target", 2028, 3e10)]


def test_from_year_to_year_arrangement_is_no_qualitative_goal() -> None:
    assert _goals("From 2026 to 2028, quotas will be allocated free of charge and the total amount will be set "
                  "based on intensity control.") == []


def test_period_goals_other_than_a_from_span_are_kept() -> None:
    assert _goals("During 2026-2028, a quota trading system will be established.") == [("target", 2028, None)]
    assert _goals("From 2026 to 2028, wind capacity will increase by 10 GW.") == [("target", 2028, 1e10)]
    assert _goals("By 2028, quota allocation will be tightened.") == [("target", 2028, None)]


# --------------------------------------------------------------------------- 6. "achieving full coverage of ..."

def test_full_coverage_after_a_value_is_a_hundred_percent_goal() -> None:
    got = _goals("The Plan proposes that by 2029:\n\ne The number of shore power berths will exceed 2,400, achieving full "
                 "coverage of\ninland container terminals.")
    assert got == [("target", 2029, 2400.0), ("target", 2029, 100.0)]


def test_full_coverage_in_a_statistic_or_without_a_year_is_no_goal() -> None:
    assert _goals("Shore power berths reached 2,400 in 2025, achieving full coverage of inland container terminals.",
                  2026) == []
    got = _goals("The Notice requires berths to exceed 2,400, achieving full coverage of inland container terminals.")
    assert not any(v == 100.0 for _, _, v in got)


# --------------------------------------------------------------------------- 7. an abbreviation in a headline

def test_headline_abbreviation_names_the_issuer_of_a_policy_that_states_none(tmp_path: Path) -> None:
    body = ("Multiple departments including the MIIT released policies on kiln electrification.\n\n"
            "Action Plan for the Electrification of Ceramic Kilns aims to replace coal-fired kilns. It proposes\n"
            "that by 2029 electric kilns will account for 35% of new kilns.\n\n"
            "The Ministry of Ecology and Environment issued the Notice on Kiln Emission Monitoring, which\n"
            "requires online monitoring of large kilns.\n")
    ex = extract_text(tmp_path, _page(body, 1, ["https://www.miit.gov.cn/zwgk/zcwj/art/2027/art_1.html"] * 2
                                      + ["https://www.mee.gov.cn/xxgk2018/xxgk/202707/t20270703_1.html"] * 2))
    pols = _policies(ex)
    assert _agencies(ex, pols["Action Plan for the Electrification of Ceramic Kilns"], PKG.issuedByHeadline) == {
        "Ministry of Industry and Information Technology"}
    # a policy that states its issuer keeps it alone (the sample gold's convention)
    assert not _agencies(ex, pols["Notice on Kiln Emission Monitoring"], PKG.issuedByHeadline)
