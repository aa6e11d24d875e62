"""Session 32 loader rules: what the session 31 note listed as found and not mended (the twentieth blind test), then
what the twenty-first blind test found. Each case names the reading before it; the ``test_precision_*`` cases guard
text each rule must leave alone.
"""
from __future__ import annotations

import pytest

from rdflib import RDF
from rdflib.namespace import DCTERMS

from loader_helpers import agency_labels, extract_text, only_policy, policies_by_title, year_values
from policykg.vocab import PKG

LOCAL = " Subnational Updates\n\n"

NINGXIA = ("The Ningxia Hui Autonomous Region's Development and Reform Commission released the Implementation Plan "
           "for the Development of the Green Hydrogen Industry in Ningxia (2025-2030). By 2027, installed "
           "electrolyser capacity will exceed 1 GW.")
NINGXIA_URL = "https://fzggw.nx.gov.cn/zcgz/202505/t20250506_4712345.html"
JIANGXI_URL = "https://drc.jiangxi.gov.cn/art/2025/5/12/art_14590_4812345.html"


def _two_notes(second: str):
    """The graph of a page with the Ningxia note, then ``second``, then both notes' links in order."""
    return extract_text(tmp_path_holder[0], LOCAL + NINGXIA + "\n\n" + second + "\n\n\n" + NINGXIA_URL + "\n"
                        + JIANGXI_URL + "\n").graph


tmp_path_holder: list = []


@pytest.fixture(autouse=True)
def _tmp(tmp_path):
    tmp_path_holder[:] = [tmp_path]
    yield
    tmp_path_holder.clear()


@pytest.mark.parametrize(("second", "title", "issuers", "targets"), [
    # before: no policy (a news lead with a number, then the sentence that names the plan); the link of the note
    # was given to the next policy
    ("Jiangxi's energy regulator said on 12 May that wind and solar would lead its growth. The Jiangxi Province "
     "Action Plan for New Energy Development (2025-2027), issued by the provincial Development and Reform "
     "Commission, sets a goal of more than 50 million kilowatts of wind and solar capacity by 2027.",
     "Jiangxi Province Action Plan for New Energy Development (2025-2027)",
     {"Jiangxi Provincial Development and Reform Commission"}, [(2027, 5e10)]),
    ("Jiangxi's energy regulator said on 12 May that no new coal plants will be approved after 2027. Jiangxi Province "
     "issued the Action Plan for New Energy Development (2025-2027). Wind and solar capacity will exceed 50 million "
     "kilowatts by 2027.",
     "Action Plan for New Energy Development (2025-2027)", {"Jiangxi Provincial People's Government"}, [(2027, 5e10)]),
    ("\u201cWe will not slow down,\u201d the governor said. The provincial Development and Reform Commission issued the "
     "Action Plan for New Energy Development in Jiangxi (2025-2027). Wind and solar capacity will exceed 50 million "
     "kilowatts by 2027.",
     "Action Plan for New Energy Development in Jiangxi (2025-2027)",
     {"Jiangxi Provincial Development and Reform Commission"}, [(2027, 5e10)]),
])
def test_a_policy_named_after_a_news_lead(second: str, title: str, issuers: set[str], targets: list) -> None:
    graph = _two_notes(second)
    policies = policies_by_title(graph)
    assert set(policies) == {title, "Implementation Plan for the Development of the Green Hydrogen Industry in "
                                    "Ningxia (2025-2030)"}
    policy = policies[title]
    assert agency_labels(graph, policy) == issuers
    assert [(y, v) for y, v in year_values(graph, policy)] == targets
    assert {str(u) for u in graph.objects(policy, PKG.sourceUrl)} | {
        str(u) for u in graph.objects(policy, DCTERMS.source)} >= {JIANGXI_URL} or JIANGXI_URL in {
        str(o) for _, _, o in graph.triples((policy, None, None))}


@pytest.mark.parametrize("second", [
    # a note that goes on about the policy above names it first, then refers to another document
    "The plan also sets up a fund. The Notice on Hydrogen Refuelling Stations in Ningxia of 2023 stays in force.",
    # a reference opens the note
    "It was welcomed by industry. The Measures for Hydrogen Safety in Ningxia take effect in July.",
])
def test_precision_a_note_that_goes_on_names_no_new_policy_in_its_second_sentence(second: str) -> None:
    assert len(policies_by_title(_two_notes(second))) == 1


@pytest.mark.parametrize(("text", "title", "issuers"), [
    # before: no policy
    ("Chongqing's new rules, released by the municipal Commission of Housing and Urban-Rural Development on 3 May, "
     "are the Measures for Energy Efficiency Management of Public Buildings in Chongqing. By 2027, energy-saving "
     "retrofits will cover 5 million square metres of public buildings.",
     "Measures for Energy Efficiency Management of Public Buildings in Chongqing",
     {"Chongqing Municipal Housing and Urban-Rural Development Commission"}),
    ("Shanghai's latest action plan is the Action Plan for Hydrogen Trucks in Shanghai (2025-2027). By 2027, the "
     "city will have 5,000 hydrogen trucks.", "Action Plan for Hydrogen Trucks in Shanghai (2025-2027)", set()),
])
def test_a_title_equated_with_a_mention_of_its_kind(text: str, title: str, issuers: set[str]) -> None:
    graph, got, policy = only_policy(tmp_path_holder[0], LOCAL + text)
    assert got == title
    assert agency_labels(graph, policy) == issuers


@pytest.mark.parametrize("text", [
    "Its new targets, released on 3 May, are the most ambitious in China. By 2027, the city will have 5,000 trucks.",
    "The new rules are the Toughest in the Country, officials said. By 2027, the city will have 5,000 trucks.",
])
def test_precision_no_title_after_the_copula(text: str) -> None:
    graph = extract_text(tmp_path_holder[0], LOCAL + text + "\n\n\nhttps://www.example.gov.cn/a/202505/t1.html\n").graph
    assert not set(graph.subjects(RDF.type, PKG.Policy))


def _reports(graph) -> dict[str, tuple[set[str], set[str]]]:
    """Each report of ``graph`` by title: ``(publishers, source URLs)``."""
    out = {}
    for r in graph.subjects(RDF.type, PKG.Report):
        out[str(graph.value(r, DCTERMS.title))] = ({str(x) for x in graph.objects(r, DCTERMS.publisher)},
                                                    {str(x) for x in graph.objects(r, PKG.sourceURL)})
    return out


POLICY_TXT = ("NATIONAL POLICIES\n\nThe NEA issued the Notice on Green Certificates. By 2027, trading will exceed 500 "
              "million.\nhttp://zfxxgk.nea.gov.cn/2025-02/18/c_1310790112.htm\n\n")
RPS = "Tracking Provincial Renewable Portfolio Standards 2025"
RPS_URL = "https://www.greenpeace.org.cn/reports/rps-tracking-2025/"


@pytest.mark.parametrize(("text", "name"), [
    # before: no report (the dash pointing to the link on the next line)
    (POLICY_TXT + f"REPORTS\n\n{RPS} (Greenpeace East Asia) -\n{RPS_URL}\nFinds that 12 provinces missed their quotas.\n",
     "digest.txt"),
    # before: no report (a .txt digest read as Markdown: its "3. Reports" heading was a bullet, its link no link)
    ("1. Policies\n\n| Title | Issuer | Link |\n|---|---|---|\n| Notice on Green Certificates | NEA | "
     "http://zfxxgk.nea.gov.cn/2025-02/18/c_1310790112.htm |\n\n3. Reports\n\n"
     f"{RPS} (Greenpeace East Asia) -\n{RPS_URL}\nFinds that 12 provinces missed their quotas.\n", "digest.txt"),
])
def test_a_report_header_that_points_to_its_link(text: str, name: str) -> None:
    graph = extract_text(tmp_path_holder[0], text, name).graph
    assert _reports(graph) == {RPS: ({"Greenpeace East Asia"}, {RPS_URL})}


def test_a_labelled_report_heading_on_a_news_page() -> None:
    """Before: no report ("<h2>Report: <Title></h2>" among the policy headings of a news page)."""
    url = "https://www.efchina.org/Reports-en/report-20250518-outlook"
    html = ("<html><body><article><h2>National: Notice on Promoting Industrial Heat Pumps</h2><p>The <a href=\"https://"
            "www.miit.gov.cn/zwgk/zcwj/art/2025/art_1.html\">Notice on Promoting Industrial Heat Pumps</a> was issued "
            "by the MIIT. By 2027, heat pumps will save 10 million tonnes of standard coal.</p>"
            "<h2>Report: China Energy Transition Outlook 2025</h2><p>The <a href=\"" + url + "\">China Energy "
            "Transition Outlook 2025</a>, published by Energy Foundation China, finds that non-fossil sources could "
            "supply 40% of primary energy by 2035.</p></article></body></html>")
    graph = extract_text(tmp_path_holder[0], html, "page.html").graph
    assert _reports(graph) == {"China Energy Transition Outlook 2025": ({"Energy Foundation China"}, {url})}
    ((_, policy),) = policies_by_title(graph).items()
    assert year_values(graph, policy) == [(2027, pytest.approx(1e7))]  # the report's 2035 figure is not the policy's


@pytest.mark.parametrize("heading", [
    "Report: the findings are mixed",  # sentence case: no title
    "Research: What We Learned.",  # a sentence
])
def test_precision_a_labelled_line_that_is_no_report_title(heading: str) -> None:
    html = (f"<html><body><article><h2>{heading}</h2><p>The NEA issued the Notice on Green Certificates. By 2027, "
            "trading will exceed 500 million.</p></article></body></html>")
    graph = extract_text(tmp_path_holder[0], html, "page.html").graph
    assert not _reports(graph)


def test_markdown_bare_urls_are_links_without_the_sentences_punctuation() -> None:
    from loaders.markdown import render_markdown

    text, anchors, _, _ = render_markdown("See https://www.example.org/a_(b) and (https://www.example.org/c).\n")
    assert [a.uri for a in anchors] == ["https://www.example.org/a_(b)", "https://www.example.org/c"]
    assert [text[a.start:a.end] for a in anchors] == [a.uri for a in anchors]


def test_markdown_keeps_the_number_of_a_numbered_heading_only() -> None:
    from loaders.markdown import render_markdown

    text, *_ = render_markdown("3. Reports\n\nSome text.\n\n1. First item.\n2. Second item.\n")
    assert text.splitlines()[0] == "3. Reports"
    assert "\u2022 First item." in text and "\u2022 Second item." in text
