"""Session 32 loader rules: what the session 31 note listed as found and not mended (the twentieth blind test), then
what the twenty-first blind test found. Each case names the reading before it; the ``test_precision_*`` cases guard
text each rule must leave alone.
"""
from __future__ import annotations

import pytest

from rdflib import RDF
from rdflib.namespace import DCTERMS

from loader_helpers import LOCAL, agency_labels, extract_text, only_policy, policies_by_title, year_values
from policykg.vocab import PKG


NINGXIA = ("The Ningxia Hui Autonomous Region's Development and Reform Commission released the Implementation Plan "
           "for the Development of the Green Hydrogen Industry in Ningxia (2025-2030). By 2027, installed "
           "electrolyser capacity will exceed 1 GW.")
NINGXIA_URL = "https://fzggw.nx.gov.cn/zcgz/202505/t20250506_4712345.html"
JIANGXI_URL = "https://drc.jiangxi.gov.cn/art/2025/5/12/art_14590_4812345.html"


def _two_notes(tmp_path, second: str):
    """The graph of a page with the Ningxia note, then ``second``, then both notes' links in order."""
    return extract_text(tmp_path, LOCAL + NINGXIA + "\n\n" + second + "\n\n\n" + NINGXIA_URL + "\n"
                        + JIANGXI_URL + "\n").graph


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
def test_a_policy_named_after_a_news_lead(tmp_path, second: str, title: str, issuers: set[str], targets: list) -> None:
    graph = _two_notes(tmp_path, second)
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
def test_precision_a_note_that_goes_on_names_no_new_policy_in_its_second_sentence(tmp_path, second: str) -> None:
    assert len(policies_by_title(_two_notes(tmp_path, second))) == 1


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
def test_a_title_equated_with_a_mention_of_its_kind(tmp_path, text: str, title: str, issuers: set[str]) -> None:
    graph, got, policy = only_policy(tmp_path, LOCAL + text)
    assert got == title
    assert agency_labels(graph, policy) == issuers


@pytest.mark.parametrize("text", [
    "Its new targets, released on 3 May, are the most ambitious in China. By 2027, the city will have 5,000 trucks.",
    "The new rules are the Toughest in the Country, officials said. By 2027, the city will have 5,000 trucks.",
])
def test_precision_no_title_after_the_copula(tmp_path, text: str) -> None:
    graph = extract_text(tmp_path, LOCAL + text + "\n\n\nhttps://www.example.gov.cn/a/202505/t1.html\n").graph
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
def test_a_report_header_that_points_to_its_link(tmp_path, text: str, name: str) -> None:
    graph = extract_text(tmp_path, text, name).graph
    assert _reports(graph) == {RPS: ({"Greenpeace East Asia"}, {RPS_URL})}


def test_a_labelled_report_heading_on_a_news_page(tmp_path) -> None:
    """Before: no report ("<h2>Report: <Title></h2>" among the policy headings of a news page)."""
    url = "https://www.efchina.org/Reports-en/report-20250518-outlook"
    html = ("<html><body><article><h2>National: Notice on Promoting Industrial Heat Pumps</h2><p>The <a href=\"https://"
            "www.miit.gov.cn/zwgk/zcwj/art/2025/art_1.html\">Notice on Promoting Industrial Heat Pumps</a> was issued "
            "by the MIIT. By 2027, heat pumps will save 10 million tonnes of standard coal.</p>"
            "<h2>Report: China Energy Transition Outlook 2025</h2><p>The <a href=\"" + url + "\">China Energy "
            "Transition Outlook 2025</a>, published by Energy Foundation China, finds that non-fossil sources could "
            "supply 40% of primary energy by 2035.</p></article></body></html>")
    graph = extract_text(tmp_path, html, "page.html").graph
    assert _reports(graph) == {"China Energy Transition Outlook 2025": ({"Energy Foundation China"}, {url})}
    ((_, policy),) = policies_by_title(graph).items()
    assert year_values(graph, policy) == [(2027, pytest.approx(1e7))]  # the report's 2035 figure is not the policy's


@pytest.mark.parametrize("heading", [
    "Report: the findings are mixed",  # sentence case: no title
    "Research: What We Learned.",  # a sentence
])
def test_precision_a_labelled_line_that_is_no_report_title(tmp_path, heading: str) -> None:
    html = (f"<html><body><article><h2>{heading}</h2><p>The NEA issued the Notice on Green Certificates. By 2027, "
            "trading will exceed 500 million.</p></article></body></html>")
    graph = extract_text(tmp_path, html, "page.html").graph
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
def test_titles_after_a_lead_in_in_the_second_sentence(tmp_path, text: str, title: str, issuers: set[str]) -> None:
    graph = extract_text(tmp_path, LOCAL + text + "\n\n\nhttps://www.example.gov.cn/a/202610/t1.html\n").graph
    ((got, policy),) = policies_by_title(graph).items()
    assert got == title
    assert issuers <= agency_labels(graph, policy)


def test_a_place_possessive_organ_is_minted_under_the_places_name(tmp_path) -> None:
    """Before: minted as "Shenzhen's Housing and Construction Bureau"."""
    graph, _, policy = only_policy(tmp_path, LOCAL + "Shenzhen's Housing and Construction Bureau issued the "
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


def test_a_markdown_list_of_links_with_issuer_notes_under_place_headings(tmp_path) -> None:
    """Before: the three policies had no issuer the text names, the Zhejiang notice was national, no report."""
    graph = extract_text(tmp_path, MD_LIST, "watch.md").graph
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


def test_precision_a_date_in_brackets_before_a_dash_is_no_publisher(tmp_path) -> None:
    md = ("## National\n\n- [Notice on Green Certificates](https://www.example.org/a1) — issued by the NEA. By 2027, "
          "trading will exceed 500 million.\n\n## Perspectives\n\n- **[China Energy Storage Industry White Paper 2025]"
          "(https://www.example.org/r1)**, China Energy Storage Alliance (Aug 2025): storage grew fast.\n")
    graph = extract_text(tmp_path, md, "watch.md").graph
    assert _reports(graph) == {"China Energy Storage Industry White Paper 2025": ({"China Energy Storage Alliance"},
                                                                                  {"https://www.example.org/r1"})}


def test_a_lower_case_description_under_a_listed_title_is_its_body(tmp_path) -> None:
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
    graph = extract_text(tmp_path, html, "releases.html").graph
    pols = policies_by_title(graph)
    assert set(pols) == {"Notice on Supporting the Development of Distributed Wind Power in Rural Areas",
                         "Guidelines on Strengthening Methane Emission Control in Coal Mines"}
    for policy in pols.values():
        assert str(graph.value(policy, PKG.jurisdiction)).endswith("/CN")
    assert year_values(graph, pols["Guidelines on Strengthening Methane Emission Control in Coal Mines"]) == [(2030, 60.0)]


def test_a_report_list_under_a_heading_of_a_page_without_a_main_element(tmp_path) -> None:
    """Before: no report (trafilatura dropped the "<h2>" between the two lists of a page with no <main> or
    <article>, so the report was read in the policies' part; a list item with its title linked was no report)."""
    html = ("<html><body><div class=\"header\"><h1>Press Releases</h1></div><ul><li><a href=\"https://www.nea.gov.cn"
            "/2026-11/18/c_1.htm\">Notice on Supporting the Development of Distributed Wind Power in Rural Areas</a> "
            "<span>2026-11-18</span><p>The National Energy Administration issued the notice. Rural distributed wind "
            "capacity should exceed 30 GW by 2028.</p></li></ul><h2>Research and Reports</h2><ul><li><a href=\"https:"
            "//www.example.org/r1.pdf\">Decarbonising China's Aluminium Sector: A 2035 Roadmap</a> <span>2026-11-25"
            "</span><p>Published by the Green Industry Research Centre, the report sets out pathways to 2035.</p>"
            "</li></ul></body></html>")
    graph = extract_text(tmp_path, html, "releases.html").graph
    assert _reports(graph) == {"Decarbonising China's Aluminium Sector: A 2035 Roadmap": (
        {"Green Industry Research Centre"}, {"https://www.example.org/r1.pdf"})}
    assert len(policies_by_title(graph)) == 1


def test_precision_a_linked_bullet_with_more_than_a_date_after_its_link_is_no_report_head(tmp_path) -> None:
    md = ("## National\n\n- [Notice on Green Certificates](https://www.example.org/a1) — issued by the NEA. By 2027, "
          "trading will exceed 500 million.\n\n## Perspectives\n\n- [Coal Power Is Still Growing Fast](https://www."
          "example.org/x) said an analyst on Monday, citing new data.\n")
    graph = extract_text(tmp_path, md, "watch.md").graph
    assert not _reports(graph)


def test_a_tonne_symbol_before_a_period_is_a_throughput_and_a_ban_on_small_new_units_a_rule() -> None:
    """Before: a count of 35 ("t" as a noun) and a goal with no year."""
    from loaders.goals import find_goals
    from loaders.quantities import LESS_THAN, find_quantities

    [q] = find_quantities("boilers below 35 t/h")
    assert (q.kind, q.unit_text, q.comparator) == ("mass_per_hour", "t/h", LESS_THAN)
    [g] = find_goals("No new coal-fired boilers below 35 t/h will be approved in prefecture-level cities.",
                     context_year=2026)
    assert (g.kind, g.target_year, float(g.value)) == ("provision", None, 35.0)


@pytest.mark.parametrize(("text", "read"), [
    # a bare "t" with no period after it stays as it was; "yuan/t" stays a price
    ("By 2027, the province will have 40 t of hydrogen storage.", [("count", "t")]),
    ("The plant emits 35 t of dust a day.", [("count", "t")]),
    ("It costs 40 yuan/t.", [("price_per_mass", "yuan/t")]),
])
def test_precision_no_throughput_without_a_period_after_the_symbol(text: str, read: list) -> None:
    from loaders.quantities import find_quantities

    assert [(q.kind, q.unit_text) for q in find_quantities(text)] == read


def _read(text: str, year: int = 2026) -> list[tuple]:
    """``(kind, due year, value, baseline year)`` of each goal of ``text`` in a briefing of ``year``."""
    from loaders.goals import find_goals

    return [(g.kind, g.target_year, float(g.value) if g.value is not None else None, g.baseline_year)
            for g in find_goals(text, context_year=year)]


@pytest.mark.parametrize(("text", "read"), [
    # before: the 2 percentage points had the 2020 baseline of the first item
    ("The plan aims to reduce CO2 emissions per unit of transport turnover by 20% compared with 2020 by 2027, to raise "
     "the share of rail and waterway freight by 2 percentage points compared with 2025, and to bring the number of new "
     "energy buses to more than 9,000 by 2027.",
     [("target", 2027, 20.0, 2020), ("target", 2027, 2.0, 2025), ("target", 2027, 9000.0, None)]),
    # before: a provision of 10 parks with no year (one clause with the reward)
    ("Hangzhou will build no less than 10 zero-carbon parks by 2028 and each qualifying park can receive a one-off "
     "reward of up to 5 million yuan.", [("target", 2028, 10.0, None), ("provision", None, 5.0, None)]),
    # before: nothing
    ("Data centers using green power get an electricity price reduction of 0.1 yuan/kWh.",
     [("provision", None, 0.1, None)]),
])
def test_goals_of_the_twenty_first_blind_test(text: str, read: list[tuple]) -> None:
    assert _read(text) == read


@pytest.mark.parametrize(("text", "read"), [
    # a purpose after a comma, with no serial list, keeps the due year for both values
    ("The plan aims to install 10 GW, to reach a total of 50 GW by 2027.",
     [("target", 2027, 10.0, None), ("target", 2027, 50.0, None)]),
    # "May" the month is no modal
    ("Output will reach 5 Mt by 2027 and exports in May fell.", [("target", 2027, 5.0, None)]),
    ("By 2027, the province will cut electricity prices by 0.1 yuan/kWh.", [("target", 2027, 0.1, None)]),
])
def test_precision_the_twenty_first_blind_tests_goal_rules(text: str, read: list[tuple]) -> None:
    assert _read(text) == read


# --------------------------------------------------------------------------- the twenty-second blind test

def test_a_news_headline_over_the_policy_it_describes_is_no_policy(tmp_path) -> None:
    """Before: a second policy "Ningxia unveils plan to build a national green hydrogen hub by 2030"."""
    html = ("<html><head><title>Ningxia unveils plan to build green hydrogen hub</title></head><body><article>"
            "<h1>Ningxia unveils plan to build a national green hydrogen hub by 2030</h1><p>YINCHUAN, Nov 19, 2026</p>"
            "<p>The Ningxia Hui Autonomous Region has unveiled a roadmap for green hydrogen, officials said.</p>"
            "<p>The <a href=\"https://fzggw.nx.gov.cn/tzgg/202611/t20261117_4471234.html\">Implementation Plan for "
            "Accelerating the Development of the Hydrogen Energy Industry in Ningxia Hui Autonomous Region (2026-2030)"
            "</a> was issued by the regional Development and Reform Commission.</p><p>By 2030, electrolyser capacity "
            "will reach about 3 GW.</p></article></body></html>")
    graph = extract_text(tmp_path, html, "article.html").graph
    assert set(policies_by_title(graph)) == {"Implementation Plan for Accelerating the Development of the Hydrogen "
                                             "Energy Industry in Ningxia Hui Autonomous Region (2026-2030)"}


NEWSLETTER = """# China Climate Dispatch

Hi all — a busy fortnight. Beijing finally published its methane plan for coal mines, and two provinces moved on offshore wind. Let's dig in.

### 1. Coal mine methane gets a hard number

The National Energy Administration and the Ministry of Ecology and Environment jointly published the **[Action Plan for the Utilization of Coal Mine Methane (2026-2030)](https://www.nea.gov.cn/2026-11/10/c_1311098765.htm)**. Methane utilization should reach more than 8 billion cubic meters a year by 2030.

### 2. Shenzhen's EV-charging upgrade

The Shenzhen Municipal Development and Reform Commission published **[Shenzhen Action Plan for Building a Supercharging City (2026-2028)](http://fgw.sz.gov.cn/zwgk/qt/tzgg/content/post_12345678.html)**. By 2028: 2,000 supercharging stations, and a supercharger-to-gas-station ratio of 1.5:1.

### What we're reading

- [China's Coal Power Exit: Provincial Scorecards 2026](https://www.example.org/r1) — Carbon Brief
"""


def test_a_newsletter_intro_a_colon_lead_in_and_a_reading_list(tmp_path) -> None:
    """Before: a policy "methane plan for coal mines" from the intro, no goal after "By 2028:", no report."""
    graph = extract_text(tmp_path, NEWSLETTER, "dispatch.md").graph
    pols = policies_by_title(graph)
    assert set(pols) == {"Action Plan for the Utilization of Coal Mine Methane (2026-2030)",
                         "Shenzhen Action Plan for Building a Supercharging City (2026-2028)"}
    assert year_values(graph, pols["Shenzhen Action Plan for Building a Supercharging City (2026-2028)"]) == [
        (2028, 1.5), (2028, 2000.0)]
    assert _reports(graph) == {"China's Coal Power Exit: Provincial Scorecards 2026": ({"Carbon Brief"},
                                                                                       {"https://www.example.org/r1"})}


def test_precision_a_description_of_another_places_policy_stays_a_policy(tmp_path) -> None:
    text = (LOCAL + "Shandong issued a plan for hydrogen vehicles. Its details are not yet public.\n\n"
            "Hebei issued the Action Plan for Hydrogen Vehicles in Hebei Province. By 2027, the province will have "
            "3,000 fuel cell vehicles.\n\n\nhttps://www.example.gov.cn/a/202610/t1.html\n"
            "https://www.example.gov.cn/a/202610/t2.html\n")
    assert len(policies_by_title(extract_text(tmp_path, text).graph)) == 2


@pytest.mark.parametrize(("text", "read"), [
    # before: only the 2 hours (the 50 MW were cut off from the rule's verb by the with-phrase)
    ("Energy storage stations of at least 50 MW each, with a continuous discharge duration of no less than 2 hours, "
     "will be eligible for capacity compensation.", [("provision", None, 50.0, None), ("provision", None, 2.0, None)]),
    # before: nothing
    ("Covered enterprises may use CCER credits for up to 5% of their verified emissions.",
     [("provision", None, 5.0, None)]),
    # before: a provision with no year
    ("Energy consumption per unit of GDP will fall by 14% by 2027 compared with 2020, and industrial coal consumption "
     "will be capped at 95 million tce.", [("target", 2027, 14.0, 2020), ("target", 2027, 95.0, None)]),
    # before: exactly 8 (now an upper bound, checked below)
    ("The plan sets a limit of 8 Mt for coal consumption by 2027.", [("target", 2027, 8.0, None)]),
    # before: targets of 2 cities and of 10 enterprises
    ("The ten departments and the two cities will build 30 stations by 2027.", [("target", 2027, 30.0, None)]),
    ("By 2027, the top 10 enterprises will cut emissions by 5%.", [("target", 2027, 5.0, None)]),
])
def test_goals_of_the_twenty_second_blind_test_and_the_attack_leftovers(text: str, read: list[tuple]) -> None:
    assert _read(text) == read


def test_a_limit_of_is_an_upper_bound_and_a_flow_is_no_volume() -> None:
    from loaders.quantities import AT_MOST, find_quantities

    [q] = find_quantities("The plan sets a limit of 8 Mt for coal consumption.")
    assert q.comparator == AT_MOST
    [q] = find_quantities("The discharge capacity will reach 500 m3/s.")
    assert (q.kind, q.normalized_unit) == ("volume_per_second", None)


@pytest.mark.parametrize(("text", "read"), [
    ("By 2027, the province will support the top 10 enterprises.", [("target", 2027, 10.0, None)]),
    ("By 2027, the market will trade 50 million tonnes of carbon credits.", [("target", 2027, 50.0, None)]),
    # the year of an inline lead-in dates its list only
    ("By 2028: 2,000 stations. Each charger should deliver up to 600 kW.",
     [("target", 2028, 2000.0, None), ("target", None, 600.0, None)]),
])
def test_precision_the_twenty_second_blind_tests_goal_rules(text: str, read: list[tuple]) -> None:
    assert _read(text) == read


# --------------------------------------------------------------------------- the precision attack on these rules

@pytest.mark.parametrize("text", [
    "Coal output hit a record in May, official data showed. The United Nations Environment Programme warned that "
    "emissions would keep rising.",
    "Officials in Hebei said on Friday that steel output would be cut. The Beijing-Tianjin-Hebei Coordinated "
    "Development Plan Leading Group met in Tianjin to discuss the cuts.",
    "To tackle this, the Yangtze River Protection Law Enforcement Team was sent to Wuhan.",
    "According to the General Office of the Hubei Provincial Government, the Provincial Plan Review Committee will "
    "meet next week.",
])
def test_precision_a_bodys_name_after_a_lead_is_no_policy(tmp_path, text: str) -> None:
    graph = extract_text(tmp_path, LOCAL + text + "\n\n\nhttps://www.example.gov.cn/a/202605/t1.html\n").graph
    assert not set(graph.subjects(RDF.type, PKG.Policy))


def test_precision_a_place_heading_after_a_linked_entry_places_the_next_entry(tmp_path) -> None:
    """Before: the Guangdong notice was Zhejiang's (the heading was read as the body of the entry above it)."""
    md = ("# Weekly digest\n\n## Zhejiang\n\n- [Notice on Heat Pumps](https://fzggw.zj.gov.cn/a/202605/t20260505_5.html)"
          " — issued by the provincial DRC\n\n## Guangdong\n\n- [Notice on Rooftop Solar](https://drc.gd.gov.cn/a/"
          "202605/t20260505_3.html) — issued by the provincial DRC\n")
    graph = extract_text(tmp_path, md, "digest.md").graph
    pols = policies_by_title(graph)
    assert str(graph.value(pols["Notice on Rooftop Solar"], PKG.jurisdiction)).endswith("/CN-GD")
    assert agency_labels(graph, pols["Notice on Rooftop Solar"]) == {
        "Guangdong Provincial Development and Reform Commission"}


def test_precision_events_and_jobs_close_the_reports_part(tmp_path) -> None:
    md = ("## National\n\n- [Notice on Green Certificates](https://www.example.org/a1) — issued by the NEA.\n\n"
          "## Reports\n\n- [China Power Sector Flexibility Outlook 2026](https://www.example.org/r1) — Clean Energy "
          "Futures Institute\n\n## Events\n\n- [Shanghai Climate Week 2026](https://www.example.org/e1) — Shanghai "
          "Climate Week Secretariat\n\n## Jobs\n\n- [Policy Analyst, Beijing Office](https://www.example.org/j1) — E3G\n")
    graph = extract_text(tmp_path, md, "digest.md").graph
    assert set(_reports(graph)) == {"China Power Sector Flexibility Outlook 2026"}


@pytest.mark.parametrize(("md", "titles"), [
    # another document of the same genre and topic words: the description stays a policy
    ("# News\n\nBeijing finally published its methane plan for coal mines, a year late.\n\n## Shanxi\n\nThe Shanxi "
     "Development and Reform Commission issued the **[Shanxi Action Plan for Coal Mine Safety](https://fzggw.shanxi."
     "gov.cn/a/1.html)**. By 2027, mine accidents will fall by 20%.\n",
     {"methane plan for coal mines", "Shanxi Action Plan for Coal Mine Safety"}),
    # a body the titled policy only mentions is not its issuer
    ("# News\n\nThe NEA issued a notice to promote rooftop solar on public buildings.\n\n## Jiangsu\n\nThe Jiangsu "
     "Notice on Rooftop Solar Subsidies, which follows earlier guidance from the NEA, offers 0.1 yuan per kWh.\n",
     {"notice to promote rooftop solar on public buildings", "Jiangsu Notice on Rooftop Solar Subsidies"}),
])
def test_precision_a_description_of_another_document_stays(tmp_path, md: str, titles: set[str]) -> None:
    assert set(policies_by_title(extract_text(tmp_path, md, "news.md").graph)) == titles


@pytest.mark.parametrize(("text", "read"), [
    # a year at the end of a list with no year or baseline in its earlier items dates them all (one clause)
    ("The city plans to cut emissions by 15%, to reach 40% renewables, and to double EV sales by 2030.",
     [("target", 2030, 15.0, None), ("target", 2030, 40.0, None)]),
])
def test_precision_a_serial_list_without_years_of_its_own_stays_one_clause(text: str, read: list[tuple]) -> None:
    assert _read(text) == read


def test_precision_a_minimum_limit_is_a_lower_bound() -> None:
    from loaders.quantities import AT_LEAST, find_quantities

    [q] = find_quantities("Each province will set a minimum limit of 15% for energy storage.")
    assert q.comparator == AT_LEAST


@pytest.mark.parametrize(("text", "read"), [
    # before: a count of 3 as well
    ("The top 10 enterprises will receive awards, and the top 3 will get 1 million yuan each.",
     [("provision", None, 1.0, None)]),
    # a rank that is no subject stays a count
    ("By 2027, the province will be among the top 3 in solar output.", [("target", 2027, 3.0, None)]),
])
def test_a_ranked_group_that_acts_is_no_count(text: str, read: list[tuple]) -> None:
    assert _read(text) == read
