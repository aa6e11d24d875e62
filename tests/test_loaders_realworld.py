"""Rules found by running the loaders on real public digests they had never seen.

The pages (English-language news about new plans, a policy-database entry, a
think-tank policy briefing, a translated State Council notice, a law-firm
note, newsletter issues) write policies in running prose rather than in the
title-case layout of the sample briefing. Each test is one general rule, with
an invented snippet in our own words (invented policies, places, numbers): no
text of those pages is copied here, so a fix cannot be fitted to them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from loader_helpers import assert_linear
from rdflib import Literal
from rdflib.namespace import DCTERMS, RDF, XSD

from loaders import extract
from loaders.briefing import _paragraphs, find_titles, parse_briefing, split_lines, stated_date
from loaders.goals import find_goals, merge_repeated
from loaders.quantities import find_quantities
from policykg.vocab import OA, PKG, Minter

GENRES = ["Notice", "Plan", "Action Plan", "Action Program", "Implementation Plan", "Measures",
          "Guiding Opinions", "Guidance", "Guidelines", "Opinions", "Work Plan", "Five-Year Plan"]
BASE = "https://example.org/"


def _titles(sentence: str) -> list[tuple[str, str | None]]:
    return [(t.title, t.issuer) for t in find_titles(sentence, GENRES)]


def _extract(tmp_path: Path, text: str, name: str = "digest.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return extract(path, Minter(BASE))


def _policies(ex) -> dict[str, object]:
    g = ex.graph
    out = {}
    for p in g.subjects(RDF.type, PKG.Policy):
        title = next(str(t) for t in g.objects(p, DCTERMS.title) if getattr(t, "language", None) == "en")
        out[title] = p
    return out


def _tails(nodes) -> set[str]:
    """Last path segments of IRIs (agency and genre IRIs are minted from reference-data slugs)."""
    return {str(n).rstrip("/").rsplit("/", 1)[-1] for n in nodes}


# --------------------------------------------------------------------------- titles in running prose

def test_sentence_case_title_after_the_policy_with_date_and_issuers() -> None:
    got = _titles("The policy Working guidance for tidal power in island counties was released on 3 May 2023 by "
                  "the Ministry of Natural Resources and the State Council.")
    assert got == [("Working guidance for tidal power in island counties",
                    "Ministry of Natural Resources and the State Council")]


def test_sentence_case_heading_is_a_title() -> None:
    parse = parse_briefing("Guiding opinions on greener harbour logistics in river ports\n\n"
                           "The ministry issued guidelines to cut emissions of inland shipping.\n", GENRES)
    assert [p.title for p in parse.policies] == ["Guiding opinions on greener harbour logistics in river ports"]


def test_lower_case_title_after_issue_verb() -> None:
    got = _titles("The National Energy Administration (NEA), on Tuesday, unveiled a new plan for geothermal "
                  "heating in northern market towns, to replace coal boilers.")
    assert got == [("plan for geothermal heating in northern market towns",
                    "National Energy Administration (NEA)")]


def test_lower_case_title_before_released_by() -> None:
    got = _titles("According to the coastal hydrogen corridor plan under the 15th Five-Year Plan (2026-30) released "
                  "by the Ministry of Transport and the National Energy Administration on April 9, ports will add "
                  "40 refuelling stations by 2028.")
    assert got == [("coastal hydrogen corridor plan under the 15th Five-Year Plan (2026-30)",
                    "Ministry of Transport and the National Energy Administration")]


def test_quoted_title_after_on_the_issuance_of() -> None:
    got = _titles('On June 2, the State Council on the issuance of "2026-2027 Water Saving and Emission Cutting '
                  'Action Program" notice.')
    assert got == [("2026-2027 Water Saving and Emission Cutting Action Program", "State Council")]


@pytest.mark.parametrize("sentence", [
    "The Hunan commission issued the notice in May to set rooftop rules.",
    "Anhui Province published the first provincial Photovoltaic Plan; Hefei City promotes it.",
    "The plan for the county is still being drafted by officials.",
    "The Guidance and Action Plan are dated 2 March 2026 and 5 March 2026 respectively.",
])
def test_no_prose_title(sentence: str) -> None:
    assert _titles(sentence) == []


# --------------------------------------------------------------------------- layout of web-page text

def test_one_paragraph_per_line_text_splits_at_sentence_ends() -> None:
    long = "word " * 50
    text = (f"First paragraph about a plan {long}ends here.\n"
            f"Second paragraph starts {long}and ends.\n"
            f"Third one {long}too.\n")
    lines = split_lines(text)
    assert len(_paragraphs(lines, text)) == 3
    wrapped = "A short wrapped line that ends.\nThe next line goes on.\nAnd one more line.\n"
    assert len(_paragraphs(split_lines(wrapped), wrapped)) == 1  # page-wrapped text keeps its paragraphs


def test_field_line_after_blank_is_not_joined_to_heading() -> None:
    text = ("Guiding opinions on cleaner river shipping for inland ports\n\nSource: Example Energy Agency\n"
            "Last updated: 4 June 2026\n\nThe Chinese Ministry of Transport issued guidelines to cut emissions, "
            "with the goal of a peak in shipping emissions by 2031, and zero-emission ferries by 2045.\n")
    parse = parse_briefing(text, GENRES)
    assert [p.title for p in parse.policies] == ["Guiding opinions on cleaner river shipping for inland ports"]
    assert parse.policies[0].issuer == "Chinese Ministry of Transport"


def test_database_entry_end_to_end(tmp_path: Path) -> None:
    text = ("Guiding opinions on cleaner river shipping for inland ports\n\nSource: Example Energy Agency\n"
            "Last updated: 4 June 2026\n\nThe Chinese Ministry of Transport issued guidelines to cut emissions, "
            "with the goal of a peak in shipping emissions by 2031, and zero-emission ferries by 2045.\n")
    ex = _extract(tmp_path, text)
    pols = _policies(ex)
    assert list(pols) == ["Guiding opinions on cleaner river shipping for inland ports"]
    p = pols["Guiding opinions on cleaner river shipping for inland ports"]
    g = ex.graph
    assert _tails(g.objects(p, PKG.genre)) == {"guiding-opinions"}  # genre read in sentence case
    assert _tails(g.objects(p, PKG.issuedBy)) == {"mot"}  # "Chinese ..." only qualifies the name
    years = {str(g.value(t, PKG.targetYear)) for t in g.objects(p, PKG.setsTarget)}
    assert years == {"2031", "2045"}


def test_news_text_end_to_end_with_stated_date(tmp_path: Path) -> None:
    long_tail = " ".join(["The rollout is to be watched by provincial energy bureaus across the region."] * 3)
    text = ("The policy Working guidance for tidal power in island counties was released on 3 May 2023 by the "
            f"State Council of China. {long_tail}\n"
            "By 2027, installed tidal capacity will reach about 1.5 million kilowatts and the share of tidal power in "
            f"island power use will exceed 12%. {long_tail}\n")
    ex = _extract(tmp_path, text)
    pols = _policies(ex)
    p = pols["Working guidance for tidal power in island counties"]
    g = ex.graph
    assert g.value(p, PKG.publicationDate) == Literal("2023-05-03", datatype=XSD.date)
    assert _tails(g.objects(p, PKG.issuedBy)) == {"state-council"}  # "... of China" only qualifies the name
    values = sorted(float(g.value(t, PKG.normalizedValue)) for t in g.objects(p, PKG.setsTarget)
                    if g.value(t, PKG.normalizedValue) is not None)
    assert values == [12.0, 1.5e9]


def test_stated_date_needs_exactly_one_date() -> None:
    one = parse_briefing("The policy Working guidance for tidal power in island counties was released on "
                         "3 May 2023 by the State Council.\n", GENRES)
    assert stated_date(one.policies[0])[0] == "2023-05-03"
    two = parse_briefing("The policy Working guidance for tidal power in island counties was released on "
                         "3 May 2023 and revised in June 2024 by the State Council.\n", GENRES)
    assert two.policies and stated_date(two.policies[0]) is None


# --------------------------------------------------------------------------- goals

def test_coordinated_qualitative_goals_each_keep_their_year() -> None:
    goals = find_goals("The plan sets the goal of a peak in freight emissions by 2031, and carbon neutrality of "
                       "ports by 2052.")
    assert [(g.target_year, g.value) for g in goals] == [(2031, None), (2052, None)]


def test_had_risen_is_a_statistic_even_with_a_plan_in_an_aside() -> None:
    goals = find_goals("The share of wind in power use had risen from 6 percent in 2015 — the first year of the "
                       "13th Five-Year Plan period (2016-20) — to 11.2 percent by the end of 2020.")
    assert goals == []


@pytest.mark.parametrize("text", ['the "1" of the "1+N" system', "the 1+X certificate scheme"])
def test_number_used_as_a_name_is_not_a_quantity(text: str) -> None:
    assert find_quantities(text) == []


def test_quoted_percentage_is_still_a_quantity() -> None:
    assert [q.value for q in find_quantities('a share of "25%" by 2030')] == [25]


def test_with_clause_shares_the_year_of_the_goal_before_it() -> None:
    goals = find_goals("The province will lift storage capacity to more than 3.2 GW by 2027, with its annual "
                       "biogas output gradually rising to around 90 million cubic meters.")
    assert [(g.target_year, float(g.value), g.unit_text) for g in goals] == [
        (2027, 3.2, "GW"), (2027, 90.0, "million cubic meters")]
    # a ", with ..." rule after a sentence without a year stays a provision without a year
    rule = find_goals("Projects are supported, with a subsidy of up to 2 million yuan each.")
    assert [(g.kind, g.target_year) for g in rule] == [("provision", None)]


# --------------------------------------------------------------------------- a year written in front of a goal

@pytest.mark.parametrize("sentence,want", [
    ("The plan aims to achieve 2060 carbon neutrality.", [(2060, "carbon neutrality")]),
    ("The province will strive for a 2031 peak in industrial emissions.", [(2031, "peak in industrial emissions")]),
    ("The county pledged a 2029 peak and 2055 carbon neutrality.", [(2029, "peak"), (2055, "carbon neutrality")]),
])
def test_year_in_front_of_a_goal_noun_is_its_due_year(sentence: str, want: list[tuple[int, str]]) -> None:
    goals = find_goals(sentence, context_year=2026)
    assert [(g.target_year, g.indicator) for g in goals] == want
    assert all(g.kind == "target" and g.value is None for g in goals)


@pytest.mark.parametrize("sentence", [
    "The 2025 report will review progress of the shipping sector.",
    "Officials said the 2026 policies will guide cleaner heating in the valley.",
    "The city will publish its 2029 peak load forecast for the grid.",
    "The province reached its 2021 peak in coal use.",
])
def test_year_before_other_nouns_is_no_due_year(sentence: str) -> None:
    assert find_goals(sentence) == []


def test_year_in_front_of_a_goal_noun_does_not_date_a_quantity() -> None:
    goals = find_goals("In line with the 2060 carbon neutrality goal, the county will install 5 GW of rooftop solar.")
    assert [(g.target_year, float(g.value)) for g in goals] == [(None, 5.0)]


# --------------------------------------------------------------------------- dates given "respectively"

_PAIR = ("Storage and hydrogen updates\n\nThe Ministry of Transport issued the Guidance on Shore Power for Inland "
         "Harbours and the Action Plan for Electric Ferries on Mountain Lakes")


@pytest.mark.parametrize("tail,want", [
    (". The Guidance and Action Plan are dated 2 March 2026 and 5 March 2026 respectively.\n",
     ["2026-03-02", "2026-03-05"]),
    (". The Action Plan and the Guidance were published on 2 March 2026 and 5 March 2026 respectively.\n",
     ["2026-03-05", "2026-03-02"]),  # the subject's order, not the titles' order
    (" on 2 March 2026 and 5 March 2026 respectively.\n", ["2026-03-02", "2026-03-05"]),
])
def test_respectively_gives_each_listed_policy_its_date(tail: str, want: list[str]) -> None:
    parse = parse_briefing(_PAIR + tail, GENRES)
    assert [p.title for p in parse.policies] == ["Guidance on Shore Power for Inland Harbours",
                                                 "Action Plan for Electric Ferries on Mountain Lakes"]
    got = [stated_date(p) for p in parse.policies]
    assert [d[0] if d else None for d in got] == want
    text = _PAIR + tail
    assert all(d and text[d[1][0]:d[1][1]] in ("2 March 2026", "5 March 2026") for d in got)


@pytest.mark.parametrize("tail", [
    ". The Guidance and the Action Plan take effect on 2 March 2026 and 5 March 2026 respectively.\n",
    ". The Notice and the Guidance are dated 2 March 2026 and 5 March 2026 respectively.\n",  # no such Notice
    ". The Guidance and Action Plan are dated 2 March 2026, 5 March 2026 and 9 March 2026 respectively.\n",
])
def test_respectively_dates_need_a_publication_verb_and_one_policy_each(tail: str) -> None:
    parse = parse_briefing(_PAIR + tail, GENRES)
    assert [stated_date(p) for p in parse.policies] == [None, None]


def test_respectively_dates_end_to_end(tmp_path: Path) -> None:
    ex = _extract(tmp_path, _PAIR + ". The Guidance and Action Plan are dated 2 March 2026 and 5 March 2026 "
                  "respectively.\n")
    pols = _policies(ex)
    g = ex.graph
    assert g.value(pols["Guidance on Shore Power for Inland Harbours"], PKG.publicationDate) == \
        Literal("2026-03-02", datatype=XSD.date)
    assert g.value(pols["Action Plan for Electric Ferries on Mountain Lakes"], PKG.publicationDate) == \
        Literal("2026-03-05", datatype=XSD.date)


# --------------------------------------------------------------------------- sub-headings inside an article

_ARTICLE = ("Notice on Cleaner Tugboats in River Harbours\n\n"
            "The Ministry of Transport issued the notice on 4 May 2026 to cut emissions of harbour tugs, with\n"
            "pilot harbours in three provinces and a review of the results at the end of the pilot period in\n"
            "each of the harbours that take part.\n\n"
            "Key targets\n\n"
            "• By 2028, the number of electric tugboats in river harbours will exceed 400.\n"
            "• By 2030, the share of shore power in harbour tug energy use will reach 35%.\n\n"
            "Main measures:\n\n"
            "• Each pilot harbour will receive a subsidy of up to 15 million yuan.\n")


def test_subheading_inside_an_article_keeps_its_bullets_with_the_policy() -> None:
    parse = parse_briefing(_ARTICLE, GENRES)
    assert [p.title for p in parse.policies] == ["Notice on Cleaner Tugboats in River Harbours"]
    parts = [p.logical for p in parse.policies[0].parts]
    assert "Key targets" in parts and "Main measures:" in parts
    assert sum(p.bullet for p in parse.policies[0].parts) == 3
    assert parse.headlines == []


def test_subheading_end_to_end(tmp_path: Path) -> None:
    ex = _extract(tmp_path, _ARTICLE)
    g = ex.graph
    p = _policies(ex)["Notice on Cleaner Tugboats in River Harbours"]
    assert sorted((str(g.value(t, PKG.targetYear)), float(g.value(t, PKG.value))) for t in g.objects(p, PKG.setsTarget)) \
        == [("2028", 400.0), ("2030", 35.0)]
    assert [float(g.value(v, PKG.value)) for v in g.objects(p, PKG.hasProvision)] == [15.0]


def test_short_headline_over_bullets_that_name_policies_still_opens_them() -> None:
    text = ("Harbour policies\n\n"
            "• The Ministry of Transport issued the Notice on Cleaner Tugboats in River Harbours.\n"
            "• The National Energy Administration released the Action Plan for Shore Power in Lake Ports.\n")
    parse = parse_briefing(text, GENRES)
    assert [p.title for p in parse.policies] == ["Notice on Cleaner Tugboats in River Harbours",
                                                 "Action Plan for Shore Power in Lake Ports"]
    # in a list of policies (one per bullet) a short line over plain bullets is a group headline, not a sub-heading
    listed = text + "\nOther harbour news\n\n• Three lake ports opened 12 new shore power berths.\n"
    parse = parse_briefing(listed, GENRES)
    assert all("berths" not in q.logical for e in parse.policies for q in e.parts)


# --------------------------------------------------------------------------- a paragraph written twice

_TWICE = ("The Ministry of Transport issued the Notice on Cleaner Tugboats in River Harbours. By 2028, the number\n"
          "of electric tugboats in river harbours will exceed 400, and the share of shore power in harbour\n"
          "tug energy use will reach 35%.\n\n")
_OTHER = ("The National Energy Administration released the Action Plan for Shore Power in Lake Ports. By\n"
          "2027, shore power capacity in lake ports will reach 90 MW across the region's largest ports.\n\n")


@pytest.mark.parametrize("text", [_TWICE + _TWICE, _TWICE + _OTHER + _TWICE])
def test_repeated_paragraph_sets_each_target_once(tmp_path: Path, text: str) -> None:
    ex = _extract(tmp_path, "Harbour updates\n\n" + text)
    g = ex.graph
    pols = _policies(ex)
    p = pols["Notice on Cleaner Tugboats in River Harbours"]
    targets = list(g.objects(p, PKG.setsTarget))
    assert sorted(float(g.value(t, PKG.value)) for t in targets) == [35.0, 400.0]  # not 90 MW of the other plan
    for t in targets:  # the evidence quotes both places
        quotes = [str(g.value(ev, OA.exact)) for ev in g.objects(t, PKG.evidence)]
        assert sum("2028" in q or "35%" in q for q in quotes) >= 2
    if _OTHER in text:
        other = pols["Action Plan for Shore Power in Lake Ports"]
        assert [float(g.value(t, PKG.value)) for t in g.objects(other, PKG.setsTarget)] == [90.0]


def test_merge_repeated_keeps_provisions_whose_clauses_differ() -> None:
    text = ("Each pilot harbour will receive a reward of 2 million yuan.\n"
            "Each pilot ferry line will receive a reward of 2 million yuan.\n")
    goals = find_goals(text)
    assert [g.kind for g in goals] == ["provision", "provision"]
    assert merge_repeated(goals + goals, text) == goals



# --------------------------------------------------------------------------- linear time on long whitespace runs

def test_long_whitespace_runs_in_goal_and_date_sentences_stay_linear() -> None:
    # a quadratic scan of a 100,000-space run takes minutes; a linear one a fraction of a second
    assert_linear(find_goals, lambda n: f"The plan will promote a 2030{' ' * n}peak and 40% of{' ' * n}and 2060 "
                  "goals by 2030.\n", 100_000)
    assert_linear(lambda text: parse_briefing(text, GENRES),
                  lambda n: _PAIR + f". The Guidance and{' ' * n}Action Plan are{' ' * n}dated 2 March 2026 and "
                  "5 March 2026 respectively.\n", 100_000)
