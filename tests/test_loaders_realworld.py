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
from rdflib import Literal
from rdflib.namespace import DCTERMS, RDF, XSD

from loaders import extract
from loaders.briefing import _paragraphs, find_titles, parse_briefing, split_lines, stated_date
from loaders.goals import find_goals
from loaders.quantities import find_quantities
from policykg.vocab import PKG, Minter

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
