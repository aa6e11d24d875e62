"""Session 31 loader rules: what the session 30 note listed as found and not mended, then what the nineteenth blind
test found. Each case names the reading before it; the ``test_precision_*`` cases guard text each rule must leave
alone.
"""
from __future__ import annotations

import pytest

from rdflib import RDF
from rdflib.namespace import DCTERMS

from loader_helpers import LOCAL, agency_labels, extract_text, only_policy, policies_by_title
from loaders.goals import find_goals
from loaders.quantities import AT_MOST, EXACTLY, MORE_THAN
from policykg.vocab import PKG, UNIT


def _read(text: str, year: int = 2026) -> list[tuple]:
    """``(kind, due year, value, comparator)`` of each goal of ``text`` in a briefing of ``year``."""
    return [(g.kind, g.target_year, float(g.value) if g.value is not None else None, g.comparator)
            for g in find_goals(text, context_year=year)]


@pytest.mark.parametrize("text", [
    # before: exactly 50% (a possessive in the object of "limit")
    "By 2025, the province will limit coal's share of energy consumption to 50%.",
    "By 2025, the province will limit coal’s share of energy consumption to 50%.",
    # before: exactly 50% (a passive, with no object between the verb and "to")
    "By 2025, coal's share of energy consumption will be limited to 50%.",
    "By 2025, coal's share of energy consumption will be restricted to 50%.",
    "By 2025, the province will restrict coal's share of energy consumption to 50%.",
])
def test_a_limit_to_a_value_is_an_upper_bound(text: str) -> None:
    assert _read(text) == [("target", 2025, 50.0, AT_MOST)]


@pytest.mark.parametrize(("text", "read"), [
    ("Support includes but is not limited to 5 million yuan per project.", [("provision", None, 5.0, EXACTLY)]),
    ("By 2027, the city will raise the share of clean buses to 50%.", [("target", 2027, 50.0, EXACTLY)]),
])
def test_precision_no_limit_no_upper_bound(text: str, read: list[tuple]) -> None:
    assert _read(text) == read


def test_a_verb_of_ruling_after_and_opens_its_own_clause() -> None:
    """Before: only the 60 kgce limit; the 100% goal of "requires all new public buildings ..." was lost."""
    got = _read("The plan requires all new public buildings to install rooftop solar from 2027, and limits the energy "
                "use of data centres to 60 kgce per square metre.")
    assert [(k, y, v) for k, y, v, _ in got] == [("target", 2027, 100.0), ("provision", None, 60.0)]
    assert got[1][3] == AT_MOST


def test_precision_a_plural_noun_after_and_stays_in_its_list() -> None:
    got = _read("The fund covers subsidies, tax breaks, and caps on coal use of 50 million tonnes by 2027.")
    assert [(k, v) for k, _, v, _ in got] == [("provision", 50.0)]


@pytest.mark.parametrize(("text", "read"), [
    # before: a 2025 target of fewer than 1,000 piles
    ("Cities where networks have installed fewer than 1,000 piles by 2025 will receive support.",
     [("provision", None, 1000.0)]),
    ("Counties where households have already built more than 500 rooftop systems will get 2 million yuan.",
     [("provision", None, 500.0), ("provision", None, 2.0)]),
])
def test_a_place_qualified_by_what_was_done_there_is_a_condition(text: str, read: list[tuple]) -> None:
    assert [(k, y, v) for k, y, v, _ in _read(text)] == read


def test_precision_where_with_no_perfect_leaves_the_goal() -> None:
    got = _read("By 2027, the province will build 200 stations in areas where demand is high.")
    assert [(k, y, v) for k, y, v, _ in got] == [("target", 2027, 200.0)]


@pytest.mark.parametrize("text", [
    # before: nothing (the multiplier was dropped beside the 8 GW, which is a statistic)
    "By 2030, the province will triple the 8 GW installed by 2025.",
    "By 2030, the province will triple the 8 GW of solar it had at the end of 2025.",
])
def test_a_multiplied_level_of_a_past_year_is_the_baseline_of_the_rise(text: str) -> None:
    [g] = find_goals(text, context_year=2026)
    assert (g.kind, g.target_year, float(g.value), g.baseline_year) == ("target", 2030, 200.0, 2025)


@pytest.mark.parametrize(("text", "read"), [
    ("Solar capacity will double from 2020 to reach 1,200 GW by 2030.", [("target", 2030, 1200.0)]),
    ("By 2030, the province will double the number of charging piles to 20,000.", [("target", 2030, 20000.0)]),
    ("Capacity is expected to double to 160 GW by 2030.", [("target", 2030, 160.0)]),
])
def test_precision_the_level_a_multiplying_reaches_stays_the_goal(text: str, read: list[tuple]) -> None:
    assert [(k, y, v) for k, y, v, _ in _read(text)] == read


# =========================================================================== the nineteenth blind test

@pytest.mark.parametrize("text", ["New energy installed capacity is to top 200 GW by 2030.",
                                  "By 2030, new energy installed capacity will top 200 GW."])
def test_the_verb_top_is_more_than(text: str) -> None:
    """Before: exactly 200 GW."""
    assert _read(text) == [("target", 2030, 200.0, MORE_THAN)]


def test_precision_the_adjective_top_is_no_comparator() -> None:
    got = _read("By 2027, the city aims to rank in the top 10 cities for air quality and cut PM2.5 to 30 µg/m³.")
    assert all(c != MORE_THAN for *_, c in got)


@pytest.mark.parametrize(("text", "read"), [
    # before: nothing; "will receive" gave a target with no year
    ("Owners who scrap a fuel car and buy a new energy vehicle receive 10,000 yuan, and buyers of a used new energy "
     "vehicle receive 3,000 yuan.", [("provision", None, 10000.0), ("provision", None, 3000.0)]),
    ("Owners who scrap a fuel car will receive 10,000 yuan.", [("provision", None, 10000.0)]),
])
def test_money_a_subject_receives_is_a_grant(text: str, read: list[tuple]) -> None:
    assert [(k, y, v) for k, y, v, _ in _read(text)] == read


def test_precision_investment_a_place_receives_stays_a_goal() -> None:
    got = _read("By 2027, the province will receive 2 billion yuan of investment in grids and build 30 substations.")
    assert [(k, y) for k, y, *_ in got] == [("target", 2027), ("target", 2027)]


def _briefing(tmp_path, text: str, name: str = "digest.txt"):
    """The graph of ``text`` as a briefing whose file name states no date."""
    return extract_text(tmp_path, text, name).graph


def test_a_briefing_with_no_date_is_dated_by_its_sources_for_history(tmp_path) -> None:
    """Before: "By the end of 2024, ... had been completed on about 150 million kilowatts" in a briefing whose name,
    masthead and page state no date gave 2024 targets of 150 GW and 12%; its policies' links are of 2025."""
    g = _briefing(tmp_path, " China issued a policy.\n\nThe NDRC issued the Action Plan for Coal Power Retrofits. By "
                  "the end of 2024, retrofits had been completed on about 150 million kilowatts of capacity, 12% more "
                  "than a year earlier. By 2027, retrofits will exceed 350 million kilowatts.\n\n\n"
                  "https://www.ndrc.gov.cn/xxgk/zcfb/tz/202501/t20250114_1395521.html\n")
    years = sorted(int(y) for t in g.subjects(RDF.type, PKG.Target) for y in g.objects(t, PKG.targetYear))
    assert years == [2027]


@pytest.mark.parametrize(("text", "name"), [
    # before: no report (a numbered reading list)
    ("RESEARCH AND ANALYSIS\n\n8. China Carbon Market Annual Report 2025 (Beijing Climate Change Research Centre)\n"
     "The report reviews the first four compliance cycles of the national market.\n", "digest.txt"),
    # before: no report (the description runs on after the header, bulleted or not)
    ("## Perspectives\n\n- **[China Power Sector Flexibility Review 2025](https://www.example.org/x)** (Agora "
     "Energiewende). The review finds that flexibility is scarce.\n", "digest.md"),
    ("## Perspectives\n\n**[China Power Sector Flexibility Review 2025](https://www.example.org/x)** (Agora "
     "Energiewende). The review finds that flexibility is scarce.\n", "digest.md"),
])
def test_report_headers_of_reading_lists(tmp_path, text: str, name: str) -> None:
    head = ("## National policies\n\n" if name.endswith(".md") else "NATIONAL POLICIES\n\n")
    g = _briefing(tmp_path, head + "The NEA issued the Notice on Green Certificates. By 2027, trading will exceed 500 "
                  "million.\nhttp://zfxxgk.nea.gov.cn/2025-02/18/c_1310790112.htm\n\n" + text, name)
    titles = {str(t) for r in g.subjects(RDF.type, PKG.Report) for t in g.objects(r, DCTERMS.title)}
    assert len(titles) == 1 and titles.pop().startswith("China ")


def test_precision_a_key_finding_bullet_under_a_report_is_none(tmp_path) -> None:
    g = _briefing(tmp_path, "## National policies\n\nThe NEA issued the Notice on Green Certificates. By 2027, "
                  "trading will exceed 500 million.\n\n## Perspectives\n\n[China Power Sector Flexibility Review "
                  "2025](https://www.example.org/x) (Agora Energiewende)\n\n- Coal plants ran fewer hours than "
                  "planned (about 4,000). The review finds that flexibility is scarce.\n", "digest.md")
    assert len(set(g.subjects(RDF.type, PKG.Report))) == 1


def test_an_indefinite_article_is_no_part_of_a_title(tmp_path) -> None:
    """Before: "A Work Plan for ..."."""
    _, title, policy = only_policy(tmp_path, "A Work Plan for Building a Zero-Waste Society (2025-2030) was issued by "
                                   "the General Office of the State Council.")
    assert title == "Work Plan for Building a Zero-Waste Society (2025-2030)"


@pytest.mark.parametrize(("text", "issuers"), [
    # before: the Finance Bureau was left out ("no such organ ... (not minted)"); its place is the body's before it
    ("The Hangzhou Municipal Bureau of Commerce, together with the municipal Finance Bureau, issued Implementation "
     "Rules for Appliance Subsidies in Hangzhou. Consumers receive a subsidy of 20% of the sale price.",
     {"Hangzhou Municipal Bureau of Commerce", "Hangzhou Municipal Finance Bureau"}),
    ("The Hangzhou Municipal Bureau of Commerce and the municipal Finance Bureau issued Implementation Rules for "
     "Appliance Subsidies in Hangzhou. Consumers receive a subsidy of 20% of the sale price.",
     {"Hangzhou Municipal Bureau of Commerce", "Hangzhou Municipal Finance Bureau"}),
    # before: no issuer
    ("Chengdu City in Sichuan announced Several Measures to Support Charging Infrastructure. By 2026, the city will "
     "have more than 150,000 public charging piles.", {"Chengdu Municipal People's Government"}),
])
def test_issuers_named_by_a_type_or_placed_in_a_province(tmp_path, text: str, issuers: set[str]) -> None:
    graph = extract_text(tmp_path, LOCAL + text + "\n\n\nhttps://www.example.org/tzgg/202504/t20250410_1.html\n").graph
    ((_, policy),) = policies_by_title(graph).items()
    assert agency_labels(graph, policy) == issuers


@pytest.mark.parametrize(("text", "read"), [
    # before: the 300 factories had the 2020 baseline of the goal after them
    ("It calls for no fewer than 300 green factories by 2027 and for energy consumption per unit of industrial value "
     "added to fall by 13.5% from 2020 levels by 2025.", [(2027, 300.0, None), (2025, 13.5, 2020)]),
    ("The plan aims to build 300 green factories by 2027 and to cut energy use by 13.5% from 2020 levels by 2030.",
     [(2027, 300.0, None), (2030, 13.5, 2020)]),
])
def test_a_baseline_stays_in_its_own_goal_after_a_due_year_and_for(text: str, read: list[tuple]) -> None:
    got = find_goals(text, context_year=2025)
    assert [(g.target_year, float(g.value), g.baseline_year) for g in got] == read


# =========================================================================== the precision attack on these rules

@pytest.mark.parametrize(("text", "read"), [
    # a non-restrictive ", where" after a place is a statistic, no condition
    ("The plan builds on pilots in Shenzhen, where operators have installed 2,000 charging piles.", []),
    # no value right after the participle: the main clause's dated goal stands
    ("Capacity in cities where operators have invested heavily will reach 20 GW by 2027.", [("target", 2027, 20.0)]),
    # "and sets the target" is no clause of its own: the goal before it shares its year
    ("The plan expands the scheme to 20 cities, and sets the target of 5 GW of storage by 2027.",
     [("target", 2027, 20.0), ("target", 2027, 5.0)]),
    # a multiplied value with no baseline year: no rise is read (as before)
    ("The province will triple the 8 GW target set for 2025 by 2030.", [("target", 2025, 8.0)]),
])
def test_precision_attack_on_the_session_rules(text: str, read: list[tuple]) -> None:
    assert [(k, y, v) for k, y, v, _ in _read(text)] == read


def test_km_per_hour_is_a_speed() -> None:
    from loaders.quantities import find_quantities

    [q] = find_quantities("Trucks will be limited to 60 km per hour in urban areas.")
    assert (q.kind, q.normalized_unit) == ("speed", UNIT["M-PER-SEC"])


def test_precision_prose_with_a_parenthesis_in_perspectives_is_no_report(tmp_path) -> None:
    g = _briefing(tmp_path, "NATIONAL POLICIES\n\nThe NEA issued the Notice on Green Certificates. By 2027, trading will "
                  "exceed 500 million.\nhttp://zfxxgk.nea.gov.cn/2025-02/18/c_1310790112.htm\n\nPerspectives\n\n"
                  "China Power Sector Flexibility Review 2025 (Agora Energiewende)\n\nDemand growth will be led by the "
                  "Yangtze River Delta (Shanghai, Jiangsu and Zhejiang). The region added 30 GW of solar last year.\n\n"
                  "Most new capacity came from Inner Mongolia (IMAR). Curtailment there rose to 8% in 2025.\n\n"
                  "According to Wood Mackenzie (WoodMac). Chinese developers will add 120 GW of wind in 2026.\n")
    titles = {str(t) for r in g.subjects(RDF.type, PKG.Report) for t in g.objects(r, DCTERMS.title)}
    assert titles == {"China Power Sector Flexibility Review 2025"}


# =========================================================================== the twentieth blind test

TABLE_DIGEST = """CLIMATE POLICY DIGEST

1. Policies released this month

| Title | Issuer | Date | Link |
|---|---|---|---|
| Implementation Opinions on Distributed Photovoltaics in Guangxi | Guangxi Zhuang Autonomous Region Development and Reform Commission | 2025-06-05 | http://fgw.gxzf.gov.cn/zwgk/wjzx/tzgg/t20250605_98765.shtml |
| Work Plan for Energy Conservation in the Data Centre Sector | NDRC, NEA | 2025-06-03 | https://www.ndrc.gov.cn/xxgk/zcfb/tz/202506/t20250603_1399012.html |

2. Notes

Guangxi. Key targets: distributed PV capacity will reach 15 GW by 2027.

Data centres. The share of green electricity used by new data centres will reach 80% by 2027.
"""


def test_a_pipe_table_in_a_txt_file_and_its_labelled_notes(tmp_path) -> None:
    """Before: no policy at all (the ``.txt`` was read as PDF text); as ``.md``, the notes were no policy's."""
    g = _briefing(tmp_path, TABLE_DIGEST)
    by_title = policies_by_title(g)
    assert len(set(by_title.values())) == 2
    values = {str(t): sorted(float(v) for tg in g.objects(p, PKG.setsTarget) for v in g.objects(tg, PKG.value))
              for t, p in by_title.items()}
    assert values == {"Implementation Opinions on Distributed Photovoltaics in Guangxi": [15.0],
                      "Work Plan for Energy Conservation in the Data Centre Sector": [80.0]}


def test_precision_a_label_two_records_fit_names_neither(tmp_path) -> None:
    text = TABLE_DIGEST.replace("Data centres.", "Energy.").replace("Work Plan for Energy Conservation in the Data "
                                                                       "Centre Sector", "Work Plan for Energy Saving")
    text = text.replace("Distributed Photovoltaics", "Energy Photovoltaics")
    g = _briefing(tmp_path, text)
    assert not any(float(v) == 80.0 for v in g.objects(None, PKG.value))


@pytest.mark.parametrize(("text", "issuers"), [
    # before: no issuer (a date between the verb and "by")
    ("The Measures for the Administration of Green Electricity Certificate Trading were released on 8 May by the "
     "NDRC, the Ministry of Finance and the NEA.",
     {"National Development and Reform Commission", "Ministry of Finance", "National Energy Administration"}),
    # before: no policy
    ("Under a plan unveiled Tuesday by the National Energy Administration (NEA) and the National Development and "
     "Reform Commission (NDRC), the Implementation Plan for the Flexibility Retrofit of Coal-fired Power Units "
     "(2025-2027) sets out how the coal fleet will be retrofitted.",
     {"National Development and Reform Commission", "National Energy Administration"}),
    # before: an agency minted as written
    ("Xinjiang's regional Development and Reform Commission published the Implementation Plan for Green Hydrogen in "
     "Xinjiang.", {"Xinjiang Uygur Autonomous Region Development and Reform Commission"}),
])
def test_issuers_of_the_twentieth_blind_test(tmp_path, text: str, issuers: set[str]) -> None:
    graph, _, policy = only_policy(tmp_path, text)
    assert agency_labels(graph, policy) == issuers


def test_deeper_than_is_more_than() -> None:
    """Before: exactly 10 m."""
    got = _read("Turbines in waters deeper than 10 metres will receive 0.05 yuan/kWh.")
    assert got[0][2:] == (10.0, MORE_THAN)


@pytest.mark.parametrize("body", [
    "The Zhejiang Provincial Department of Ecology and Environment issued the",
    "Zhejiang's provincial Department of Ecology and Environment issued the",
])
def test_a_headings_region_label_is_no_issuer_beside_the_body_the_paragraph_names(tmp_path, body: str) -> None:
    """Before: the province's government was an issuer too (the heading "Zhejiang: <Title>")."""
    url = "https://sthjt.zj.gov.cn/art/2025/5/15/art_1201912_59012345.html"
    title = "Action Plan for Methane Emission Control in Zhejiang Province"
    html = (f"<html><body><article><h2>Zhejiang: {title}</h2><p>{body} <a href=\"{url}\">{title}</a>. By 2027, the "
            "landfill gas recovery rate will be no less than 70 per cent.</p></article></body></html>")
    graph = extract_text(tmp_path, html, "digest.html").graph
    ((_, policy),) = policies_by_title(graph).items()
    assert agency_labels(graph, policy) == {"Zhejiang Provincial Department of Ecology and Environment"}
