"""Layouts of unseen briefings that the loader gets wrong: one minimal failing case per general rule.

Found by writing three new digests in the genre of the sample briefing
(``data/*.txt``, gold in ``data/*.yaml``; re-run with
``policykg eval tests/hostile_unseen/data/X.yaml tests/hostile_unseen/data/X.txt``)
and tracing each miss to the loader rule behind it. Each test was written
``xfail(strict=True)`` to document a gap; the rules are fixed now
(``loaders.briefing``: dates, lead-ins, issuers after a title, entry
headings, labelled links, line-break hyphens, document numbers, title
headings, open issue verbs, report author lines), so they stand as
regression tests; a new gap gets a new strict xfail here. Inputs are small
inline texts with invented policies, so a fix cannot be fitted to them.
"""

from __future__ import annotations

import pytest

from loaders.briefing import find_titles, parse_briefing

GENRES = ["Notice", "Plan", "Action Plan", "Implementation Plan", "Measures", "Several Measures",
          "Guiding Opinions", "Guidelines", "Opinions", "Work Plan"]


def _titles(sentence: str) -> list[tuple[str, str | None]]:
    return [(t.title, t.issuer) for t in find_titles(sentence, GENRES)]


# --------------------------------------------------------------------------- titles and issuers

def test_title_followed_by_by_agency() -> None:
    got = _titles("Guiding Opinions on Wind Power Work in 2025 by the National Energy Administration (NEA) "
                  "propose that in 2025:")
    assert got and got[0][0] == "Guiding Opinions on Wind Power Work in 2025"


def test_issuer_list_after_title() -> None:
    got = _titles("The Work Plan for Green Factories, jointly released by the NDRC, the MIIT and the NEA, "
                  "requires that:")
    assert got and got[0][0] == "Work Plan for Green Factories"
    assert got[0][1] is not None and "NEA" in got[0][1] and "MIIT" in got[0][1]


@pytest.mark.parametrize("date", ["on 30 May 2025", "on May 30, 2025", "on 2025-05-30", "in May 2025"])
def test_date_after_title_is_not_title(date: str) -> None:
    got = _titles(f"The MIIT published the Implementation Plan for Green Factories {date}. "
                  "By 2026, the share will reach 24%.")
    assert got and got[0][0] == "Implementation Plan for Green Factories"


def test_date_after_issuer_after_title() -> None:
    got = _titles("The Notice on Solar Roofs in Rural Areas, issued by the National Energy Administration on "
                  "5 March 2025, requires that by 2026 rooftop capacity will exceed 2 GW.")
    assert got == [("Notice on Solar Roofs in Rural Areas", "National Energy Administration")]


@pytest.mark.parametrize("number", ["[Fa Gai Neng Yuan (2025) No. 12]", "(Guo Ban Fa [2025] No. 7)"])
def test_document_number_after_title_is_not_title(number: str) -> None:
    got = _titles(f"The Notice on Solar Roofs in Rural Areas {number} requires that by 2026 rooftop capacity "
                  "will exceed 2 GW.")
    assert [t for t, _ in got] == ["Notice on Solar Roofs in Rural Areas"]


def test_according_to_prefix_is_not_title() -> None:
    got = _titles("According to the Notice on Solar Roofs in Rural Areas issued by the NEA, by 2026 rooftop "
                  "capacity will exceed 2 GW.")
    assert got == [("Notice on Solar Roofs in Rural Areas", "NEA")]


def test_month_day_year_lead_in_before_issuer() -> None:
    got = _titles("On May 30, 2025, the MIIT published the Implementation Plan for Green Factories.")
    assert got == [("Implementation Plan for Green Factories", "MIIT")]


@pytest.mark.parametrize("sep", [" – ", " - ", ": "])
def test_agency_separator_title_heading(sep: str) -> None:
    got = _titles(f"Ministry of Ecology and Environment (MEE){sep}Work Plan for Methane Control in Coal Mines")
    assert got and got[0][0] == "Work Plan for Methane Control in Coal Mines"
    assert got[0][1] is not None and "Ecology and Environment" in got[0][1]


@pytest.mark.parametrize("verb", ["extended", "renewed"])
def test_other_issue_verbs(verb: str) -> None:
    got = _titles(f"The People's Bank of China (PBOC) {verb} the Notice on the Green Relending Tool to the end of "
                  "2027.")
    assert [t for t, _ in got] == ["Notice on the Green Relending Tool"]


def test_hyphenated_line_break_inside_title() -> None:
    text = ("The MIIT published the Imple-\nmentation Plan for Green Factories in Hubei Province. By\n"
            "2026, the share of green factories will reach 30%.\n")
    parse = parse_briefing(text, GENRES)
    assert [p.title for p in parse.policies] == ["Implementation Plan for Green Factories in Hubei Province"]


def test_title_heading_line_directly_followed_by_body() -> None:
    text = ("Notice on Solar Roofs in Hunan Province\n"
            "The Hunan Provincial Development and Reform Commission issued the notice in May. It\n"
            "requires that by 2026 rooftop solar capacity will exceed 2 GW.\n")
    parse = parse_briefing(text, GENRES)
    assert [p.title for p in parse.policies] == ["Notice on Solar Roofs in Hunan Province"]


def test_issuer_named_in_body_under_a_title_heading() -> None:
    text = ("Notice on Solar Roofs in Hunan Province\n\n"
            "The Hunan Provincial Development and Reform Commission issued the notice in May. It\n"
            "requires that by 2026 rooftop solar capacity will exceed 2 GW.\n")
    parse = parse_briefing(text, GENRES)
    assert [(p.title, p.issuer) for p in parse.policies] == [
        ("Notice on Solar Roofs in Hunan Province", "Hunan Provincial Development and Reform Commission")]


# --------------------------------------------------------------------------- links and reports

def test_inline_source_url_line() -> None:
    url = "https://www.miit.gov.cn/zwgk/art/2025/art_12ab.html"
    text = ("The MIIT published the Work Plan for Green Factories. By 2026, the share of green\n"
            f"factories will reach 30%.\nSource: {url}\n")
    parse = parse_briefing(text, GENRES)
    assert [p.urls for p in parse.policies] == [[url]]


def test_report_with_author_line() -> None:
    text = ("Research & Analysis\n\n"
            "Cleaner Cement Kilns in Northern China\n"
            "Author: Example Energy Institute | Published: 2025-06-20\n"
            "The report finds that alternative fuels could cut kiln emissions by a fifth.\n"
            "Link: https://example.org/reports/cement-kilns\n")
    parse = parse_briefing(text, GENRES)
    assert [r.title for r in parse.reports] == ["Cleaner Cement Kilns in Northern China"]
