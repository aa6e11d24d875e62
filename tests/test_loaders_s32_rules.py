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


# --------------------------------------------------------------------------- the twenty-first blind test

@pytest.mark.parametrize(("text", "title", "issuers"), [
    # before: no policy (a lead-in of purpose before the title, in the sentence after a news lead)
    ("Coal still supplied 53.8% of primary energy in 2025. To tackle this, the Action Plan for the Clean and Efficient "
     "Utilization of Coal in Industrial Boilers was drafted by the National Energy Administration (NEA) and issued by "
     "the National Development and Reform Commission (NDRC). By 2027, boiler efficiency should be no less than 82%.",
     "Action Plan for the Clean and Efficient Utilization of Coal in Industrial Boilers",
     {"National Development and Reform Commission"}),
    # before: no policy ("of the" inside the body "According to" names)
    ("Transport accounted for 21% of Chongqing's emissions in 2024. According to the General Office of the Chongqing "
     "Municipal People's Government, the Work Plan for Carbon Peaking in the Transport Sector of Chongqing Municipality "
     "aims to bring the number of new energy buses to more than 9,000 by 2027.",
     "Work Plan for Carbon Peaking in the Transport Sector of Chongqing Municipality",
     {"General Office of the Chongqing Municipal People's Government"}),
    # before: no policy (a lower-case mention "from" a body sets out the title)
    ("In 2023 the province installed 12 GW of new wind and solar capacity. Building on that, the notice, from the "
     "provincial DRC, sets out the Implementation Plan for Grid-Side New Energy Storage in Shanxi Province. It "
     "proposes an additional 5 GW of grid-side storage by 2027.",
     "Implementation Plan for Grid-Side New Energy Storage in Shanxi Province",
     {"Shanxi Provincial Development and Reform Commission"}),
])
def test_titles_after_a_lead_in_in_the_second_sentence(text: str, title: str, issuers: set[str]) -> None:
    graph = extract_text(tmp_path_holder[0], LOCAL + text + "\n\n\nhttps://www.example.gov.cn/a/202610/t1.html\n").graph
    ((got, policy),) = policies_by_title(graph).items()
    assert got == title
    assert issuers <= agency_labels(graph, policy)


def test_a_place_possessive_organ_is_minted_under_the_places_name() -> None:
    """Before: minted as "Shenzhen's Housing and Construction Bureau"."""
    graph, _, policy = only_policy(tmp_path_holder[0], LOCAL + "Shenzhen's Housing and Construction Bureau issued the "
                                   "Implementation Measures for Solar Photovoltaic Installation on New Buildings in "
                                   "Shenzhen. At least 30% of new buildings should install rooftop PV by 2026.")
    assert agency_labels(graph, policy) == {"Shenzhen Municipal Housing and Construction Bureau"}


MD_LIST = """# Policy Watch

## National

- [Guiding Opinions on Accelerating Deep-Water Offshore Wind Power](https://www.example.org/a1) — issued by the NEA on 22 October. The Opinions call for an additional 15 GW of offshore wind by 2030.

## Guangxi

- [Implementation Plan for the Green Transformation of the Aluminium Industry in Guangxi Zhuang Autonomous Region](https://www.example.org/a2) — drafted by the autonomous region's Department of Industry and Information Technology and issued by the regional People's Government. The share of renewable power should reach at least 35% by 2027.

## Zhejiang

- [Notice on Further Improving the Time-of-Use Electricity Pricing Mechanism](https://www.example.org/a3) — the provincial Development and Reform Commission released the notice on 12 November. Users of more than 315 kW are covered.

## Perspectives

- [China Power Sector Flexibility Outlook 2026](https://www.example.org/r1) (Clean Energy Futures Institute) — the report estimates that China needs about 300 GW of flexible capacity by 2030.
"""


def test_a_markdown_list_of_links_with_issuer_notes_under_place_headings() -> None:
    """Before: the three policies had no issuer the text names, the Zhejiang notice was national, no report."""
    graph = extract_text(tmp_path_holder[0], MD_LIST, "watch.md").graph
    pols = policies_by_title(graph)
    want = {
        "Guiding Opinions on Accelerating Deep-Water Offshore Wind Power": ({"National Energy Administration"}, "CN"),
        "Implementation Plan for the Green Transformation of the Aluminium Industry in Guangxi Zhuang Autonomous "
        "Region": ({"Guangxi Zhuang Autonomous Region People's Government"}, "CN-GX"),
        "Notice on Further Improving the Time-of-Use Electricity Pricing Mechanism":
            ({"Zhejiang Provincial Development and Reform Commission"}, "CN-ZJ"),
    }
    assert set(pols) == set(want)
    for title, (issuers, code) in want.items():
        assert agency_labels(graph, pols[title]) == issuers, title
        assert str(graph.value(pols[title], PKG.jurisdiction)).endswith("/" + code), title
    assert _reports(graph) == {"China Power Sector Flexibility Outlook 2026": ({"Clean Energy Futures Institute"},
                                                                               {"https://www.example.org/r1"})}


def test_precision_a_date_in_brackets_before_a_dash_is_no_publisher() -> None:
    md = ("## National\n\n- [Notice on Green Certificates](https://www.example.org/a1) — issued by the NEA. By 2027, "
          "trading will exceed 500 million.\n\n## Perspectives\n\n- **[China Energy Storage Industry White Paper 2025]"
          "(https://www.example.org/r1)**, China Energy Storage Alliance (Aug 2025): storage grew fast.\n")
    graph = extract_text(tmp_path_holder[0], md, "watch.md").graph
    assert _reports(graph) == {"China Energy Storage Industry White Paper 2025": ({"China Energy Storage Alliance"},
                                                                                  {"https://www.example.org/r1"})}


def test_a_lower_case_description_under_a_listed_title_is_its_body() -> None:
    """Before: "notice to promote distributed wind power in villages" was a second policy, which took the next
    item's link and date; the page's tagline "national and local" made the national policies subnational."""
    html = ("<html><body><div><h1>Press Releases</h1><p>Policy updates, national and local</p></div><ul><li>"
            "<a href=\"https://www.nea.gov.cn/2026-11/18/c_1.htm\">Notice on Supporting the Development of Distributed "
            "Wind Power in Rural Areas</a> <span>2026-11-18</span><p>The National Energy Administration issued a notice "
            "to promote distributed wind power in villages. Rural distributed wind capacity should exceed 30 GW by "
            "2028.</p></li><li><a href=\"https://www.nea.gov.cn/2026-11/05/c_2.htm\">Guidelines on Strengthening "
            "Methane Emission Control in Coal Mines</a> <span>2026-11-05</span><p>The NEA and the Ministry of Ecology "
            "and Environment jointly released the Guidelines. By 2030, the utilisation rate of coal mine methane "
            "should be no less than 60%.</p></li></ul></body></html>")
    graph = extract_text(tmp_path_holder[0], html, "releases.html").graph
    pols = policies_by_title(graph)
    assert set(pols) == {"Notice on Supporting the Development of Distributed Wind Power in Rural Areas",
                         "Guidelines on Strengthening Methane Emission Control in Coal Mines"}
    for policy in pols.values():
        assert str(graph.value(policy, PKG.jurisdiction)).endswith("/CN")
    assert year_values(graph, pols["Guidelines on Strengthening Methane Emission Control in Coal Mines"]) == [(2030, 60.0)]
