"""Session 20 loader rules, from a blind test on two briefings written in the tracker's layout (the snippets here
are made up in that layout; no title, agency or number is taken from the blind briefings):

* issuers named after a count of bodies ("was released by six departments including the NDRC and the NEA", "Six
  departments, including A and B, released ..."): the named bodies are the issuers, the count is no agency
  (before, no issuer at all); a city government named by a city name two provinces share ("Suzhou City issued
  ...") is read by the source URL's domain, also when the domain is the province's (before, no issuer, or a
  minted "Suzhou Municipal Government");
* a due year reaches a coverage goal over every unit ("By 2025, every county seat will have at least two charging
  stations": before, a per-entity provision with no year) and a stretch goal after a dated one ("... 50 GW by
  2027, and will strive to reach 60 GW": before, no year unless the year opened the sentence);
* a distance condition ("more than 50 kilometres from the coast": where a project is sited) and a voltage naming a
  class of grid assets ("10 kV distribution lines", "a project connected at 10 kV") are no quantities of a goal or
  a rule (before, targets or provisions of 50 km and 10 kV).
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from loader_helpers import agency_labels, ccnt_page, extract_text, goal_tuples, policies_by_title
from loaders.goals import find_goals
from policykg.vocab import PKG

_NDRC_URL = "https://www.ndrc.gov.cn/xxgk/zcfb/tz/202403/t20240301_1364313.html"
_GOAL = "The Plan proposes that by 2025, the share of clean heating will reach 20%.\n"


def _issuer_iris(tmp_path: Path, body: str, url: str = _NDRC_URL) -> set[str]:
    """The local names of the issuers of the one policy of a CCNT page holding ``body`` (wrapped at 90 characters,
    as the tracker's lines are) and linking ``url``."""
    text = textwrap.fill(" ".join(body.split()), 90) + "\n"
    ex = extract_text(tmp_path, ccnt_page(text, 1, [url] * 2), name="ccnt-2024-03-04.txt")
    (pol,) = policies_by_title(ex.graph).values()
    return {str(a).rsplit("/", 1)[1] for a in ex.graph.objects(pol, PKG.issuedBy)}


# --------------------------------------------------------------------------- 1. issuers after a count of bodies

@pytest.mark.parametrize("lead", [
    "The Implementation Plan for Promoting Grid Modernisation was released by six departments\n"
    "including the NDRC and the NEA.",
    "The Implementation Plan for Promoting Grid Modernisation was jointly issued by 9 departments,\n"
    "including the National Development and Reform Commission and the National Energy Administration.",
    "Six departments including the NDRC and the NEA released the Implementation Plan for Promoting\n"
    "Grid Modernisation.",
    "Six departments, including the NDRC and the NEA, released the Implementation Plan for Promoting\n"
    "Grid Modernisation.",
    "Multiple departments — including the National Development and Reform Commission and the National\n"
    "Energy Administration — jointly released the Implementation Plan for Promoting Grid Modernisation.",
])
def test_the_bodies_a_count_of_departments_names_are_the_issuers(tmp_path: Path, lead: str) -> None:
    assert _issuer_iris(tmp_path, f"{lead} {_GOAL}") == {"ndrc", "nea"}  # before: none


@pytest.mark.parametrize("lead", [
    "Six departments released the Implementation Plan for Promoting Grid Modernisation.",
    "The Implementation Plan for Promoting Grid Modernisation was released by six departments.",
])
def test_held_a_count_of_departments_alone_names_no_issuer(tmp_path: Path, lead: str) -> None:
    assert _issuer_iris(tmp_path, f"{lead} {_GOAL}") == set()


@pytest.mark.parametrize("lead", [
    "The Implementation Plan for Promoting Grid Modernisation was jointly issued by the National\n"
    "Development and Reform Commission, the National Energy Administration and the Ministry of Finance.",
    "The NDRC, together with the NEA and the MOF, issued the Implementation Plan for Promoting Grid\n"
    "Modernisation.",
])
def test_held_joint_issuers_listed_or_together_with(tmp_path: Path, lead: str) -> None:
    assert _issuer_iris(tmp_path, f"{lead} {_GOAL}") == {"ndrc", "nea", "mof"}


# --------------------------------------------------------------------------- 1. a city government as issuer

@pytest.mark.parametrize(("who", "url", "iri"), [
    # a city name two provinces share (Suzhou, Jiangsu 320500 / Anhui 341300): the source's domain decides
    ("Suzhou City", "https://www.suzhou.gov.cn/szsrmzf/zfwj/202403/t1.shtml", "320500-government"),
    ("Suzhou Municipal Government", "https://www.suzhou.gov.cn/szsrmzf/zfwj/202403/t1.shtml", "320500-government"),
    # a domain of the province (its government's or a department's) decides too
    ("Suzhou City", "https://fzggw.jiangsu.gov.cn/art/2024/3/1/art_1.html", "320500-government"),
    ("Suzhou City", "http://www.ah.gov.cn/public/1681/553.html", "341300-government"),
    ("Suzhou Municipal Government", "http://www.ah.gov.cn/public/1681/553.html", "341300-government"),
])
def test_a_city_sharing_its_name_issues_by_the_source_domain(tmp_path: Path, who: str, url: str, iri: str) -> None:
    body = f"{who} issued the Implementation Plan for Carbon Peaking in the Industrial Sector. {_GOAL}"
    assert _issuer_iris(tmp_path, body, url) == {iri}


def test_held_a_city_of_one_name_issues_and_a_provincial_government_too(tmp_path: Path) -> None:
    plan = "issued the Implementation Plan for Carbon Peaking in the Industrial Sector. "
    assert _issuer_iris(tmp_path, f"Nantong City {plan}{_GOAL}") == {"320600-government"}
    ex = extract_text(tmp_path, ccnt_page(f"Shandong Province {plan}{_GOAL}", 1, [_NDRC_URL] * 2))
    (pol,) = policies_by_title(ex.graph).values()
    assert agency_labels(ex.graph, pol) == {"Shandong Provincial People's Government"}


# --------------------------------------------------------------------------- 2. a due year over every unit

@pytest.mark.parametrize("text", [
    "By 2025, every county seat will have at least two charging stations.",
    "By the end of 2025, each county seat should be equipped with at least two charging stations.",
    "The Plan proposes that by 2025:\n\ne Every county seat will have at least two charging stations.\n",
])
def test_a_dated_coverage_of_every_unit_is_a_goal_of_that_year(text: str) -> None:
    assert goal_tuples(text, 2024) == [("target", 2025, 2.0)]  # before: ("provision", None, 2.0)


@pytest.mark.parametrize(("text", "want"), [
    ("Every county seat will have at least two charging stations.", [("provision", None, 2.0)]),  # no year
    ("By 2025, each village receives at least two public chargers.", [("provision", None, 2.0)]),  # an allocation
    ("By 2025, each enterprise shall have no more than 2 permits.", [("provision", None, 2.0)]),  # a cap per unit
    ("By 2025, each project will have a subsidy of 1 million yuan.", [("provision", None, 1e6)]),
])
def test_held_a_per_unit_rule_stays_a_provision(text: str, want: list) -> None:
    assert goal_tuples(text, 2024) == want


# --------------------------------------------------------------------------- 2. a stretch goal after a dated one

@pytest.mark.parametrize("text", [
    "The installed capacity will reach 50 GW by 2027, and will strive to reach 60 GW.",
    "The installed capacity will reach 50 GW in 2027, and strive to reach 60 GW.",
    "The installed capacity will reach 50 GW by the end of 2027, striving to reach 60 GW.",
    "The installed capacity will reach 50 GW by 2027, while striving to reach 60 GW.",
    "The installed capacity will reach 50 GW by 2027, and efforts will be made to reach 60 GW.",
    "e The installed capacity will reach 50 GW by 2027. It will strive to reach 60 GW.\n",
])
def test_a_stretch_goal_takes_the_year_of_the_goal_before_it(text: str) -> None:
    assert goal_tuples(text, 2024) == [("target", 2027, 5e10), ("target", 2027, 6e10)]  # before: 60 GW undated


def test_a_stretch_goal_without_a_subject_takes_the_indicator_before_it() -> None:
    gs = find_goals("By 2027, the installed capacity of new energy storage will reach 50 GW, and will strive to "
                    "reach 60 GW.", context_year=2024)
    assert [g.indicator for g in gs] == ["installed capacity of new energy storage"] * 2  # before: "strive"


@pytest.mark.parametrize(("text", "years"), [
    ("The installed capacity will reach 50 GW by 2027, and will strive to reach 60 GW by 2030.", [2027, 2030]),
    ("The installed capacity will reach 50 GW by 2027, and will strive to reach 60 GW eventually.", [2027, None]),
    ("e The installed capacity will reach 50 GW by 2027. In 2030 it will strive to reach 60 GW.\n", [2027, 2030]),
    # in a bullet, a sentence that is no stretch goal takes no year from the one before it
    ("e The installed capacity will reach 50 GW by 2027. Wind capacity will reach 60 GW.\n", [2027, None]),
    ("By 2027, the installed capacity will reach 50 GW, and will strive to reach 60 GW.", [2027, 2027]),
])
def test_held_a_stretch_goal_with_its_own_time_and_other_sentences(text: str, years: list) -> None:
    assert [y for _, y, _ in goal_tuples(text, 2024)] == years


def test_the_emitted_policy_dates_its_stretch_and_coverage_goals(tmp_path: Path) -> None:
    page = ccnt_page(
        "The National Energy Administration issued the Action Plan for Charging Infrastructure in Rural\n"
        "Areas. The Plan proposes that:\n\n"
        "e The installed capacity of rural charging facilities will reach 50 million kilowatts by 2027, and\n"
        "will strive to reach 60 million kilowatts.\n\n"
        "e By 2025, every county seat will have at least two public charging stations.\n",
        1, ["http://zfxxgk.nea.gov.cn/2024-02/c_1310771072.htm"] * 2)
    ex = extract_text(tmp_path, page)
    (pol,) = policies_by_title(ex.graph).values()
    g = ex.graph
    goals = {(str(g.value(t, PKG.targetYear)), float(g.value(t, PKG.normalizedValue)))
             for t in g.objects(pol, PKG.setsTarget)}
    assert goals == {("2027", 5e10), ("2027", 6e10), ("2025", 2.0)}
    assert not list(g.objects(pol, PKG.hasProvision))


# --------------------------------------------------------------------------- 3. distance conditions, voltage classes

@pytest.mark.parametrize("text", [
    "By 2030, the Plan will support offshore wind projects sited more than 50 kilometres from the coast.",
    "Offshore wind projects shall be located more than 50 km away from the shore.",
    "By 2026, new waste incineration plants will be built at least 2 km from residential areas.",
])
def test_a_distance_from_a_place_is_a_siting_condition_and_no_goal(text: str) -> None:
    assert goal_tuples(text, 2024) == []  # before: a 50 km (2 km) target


def test_held_a_length_before_from_that_is_no_distance() -> None:
    # a baseline after "from", a route between named places: the length stays a goal
    assert ("target", 2025, 5e6) in goal_tuples("By 2025, the rail network will grow to 5,000 km from 3,000 km in "
                                                "2020.", 2024)
    assert goal_tuples("By 2025, a 500 km line from Beijing to Tianjin will be built.", 2024) == [
        ("target", 2025, 5e5)]


@pytest.mark.parametrize(("text", "want"), [
    ("By 2025, 5,000 kilometres of 10 kV distribution lines will be built.", [("target", 2025, 5e6)]),
    ("The capacity of a single project connected at 10 kV shall in principle not exceed 6 MW.",
     [("provision", None, 6e6)]),
    ("By 2025, the 10 kV distribution network will cover all villages.", [("target", 2025, None)]),
])
def test_a_voltage_naming_a_grid_class_is_no_quantity(text: str, want: list) -> None:
    assert goal_tuples(text, 2024) == want  # before: a 10 kV target or provision besides


@pytest.mark.parametrize(("text", "want"), [
    ("Plants of 6 MW or less connected at 10 kV or below are to be handled through a simplified procedure.",
     [("provision", None, 6e6), ("provision", None, 1e4)]),
    ("By 2030, the transmission voltage will be raised to 1,100 kV.", [("target", 2030, 1.1e6)]),
])
def test_held_a_voltage_with_a_bound_or_as_the_value_raised(text: str, want: list) -> None:
    assert goal_tuples(text, 2024) == want
