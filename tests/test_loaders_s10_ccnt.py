"""Session 10: what two CCNT-style unseen issues (text extracted from the tracker's PDFs) found in the loaders,
each rule pinned on small invented inputs with the tests of what it must NOT do.

Misses, by how many real issues they would hit: bullet glyphs OCR'd as "¢", "«", "°", "©" (briefing._BULLET,
goals._BULLET_RX); digit groups set off by no-break spaces ("1\u00a0800 GW", quantities._DIGITS); a page's link
list with more groups than policies, the surplus belonging to news after them (briefing.align_links
``surplus_last``); issuer phrases "Jointly issued by A and B, the Notice ..." (briefing.participial_issuer);
ligature glyphs in titles ("Veriﬁcation", briefing._build_logical); agency lines "<Agencies> | YYYY-MM-DD" over
the policy they introduce, wrapped or not, and "(Source: MEE)" closing a policy (briefing._paragraphs,
parse_briefing, _source_issuers); a headline whose genre word is its verb ("Six departments plan to lift ...",
briefing._genre_as_verb).

All titles, numbers and URLs here are invented; agency and region names are real (reference data).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from loader_helpers import extract_text
from loader_helpers import agency_labels, policies_by_title, year_values
from rdflib import URIRef
from rdflib.namespace import SKOS

from loaders.briefing import align_links, parse_briefing
from loaders.quantities import find_quantities, parse_number
from policykg.vocab import PKG

GENRES = ["Notice", "Plan", "Action Plan", "Implementation Plan", "Measures", "Guiding Opinions",
          "Implementation Rules", "Work Plan"]


def _policies(ex) -> dict[str, URIRef]:
    return policies_by_title(ex.graph)


def _targets(ex, pol) -> list[tuple[int | None, float | None]]:
    return year_values(ex.graph, pol)


def _agencies(ex, pol, prop: URIRef = PKG.issuedBy) -> set[str]:
    return agency_labels(ex.graph, pol, prop)


def _urls(ex, pol) -> set[str]:
    return {str(u) for u in ex.graph.objects(pol, PKG.sourceURL)}


def _page(body: str, n: int, urls: list[str]) -> str:
    """One CCNT page as its PDF's text comes out: a leading space, the text, a footer, the page's link list."""
    return f" {body}\n\nPolicy Tracker | {n}\n\n\n" + "".join(u + "\n" for u in urls)


# --------------------------------------------------------------------------- 1. OCR'd bullet glyphs

@pytest.mark.parametrize("glyph", ["¢", "«", "»", "°", "©", "®"])
def test_ocr_bullet_glyph_items_are_targets(tmp_path: Path, glyph: str) -> None:
    body = ("Harbour towns will electrify their ferries.\n\n"
            "The Ministry of Transport issued the Action Plan for Electric Ferries in Harbour Towns. The Plan\n"
            "proposes that by 2027:\n\n"
            f"{glyph} The share of electric ferries in new ferry purchases will reach 65%.\n\n"
            f"{glyph} More than 420 shore charging points will be built in harbour towns.\n")
    ex = extract_text(tmp_path, _page(body, 1, ["https://xxgk.mot.gov.cn/2027/ferry/t20270105_1.html"] * 2))
    pols = _policies(ex)
    assert list(pols) == ["Action Plan for Electric Ferries in Harbour Towns"]
    assert _targets(ex, pols["Action Plan for Electric Ferries in Harbour Towns"]) == [(2027, 65.0), (2027, 420.0)]


def test_degree_sign_or_quote_opening_a_wrapped_line_is_no_bullet() -> None:
    # "°C" glued to its unit, "«" before a lower-case word: a wrapped line's start, not a list item
    text = ("The Notice on Example Heat Pumps requires heat pumps to deliver water above 60\n"
            "°C in winter, and names them « green » heat sources.\n")
    p = parse_briefing(text, GENRES)
    assert len(p.paragraphs) == 1 and not p.paragraphs[0].bullet


# --------------------------------------------------------------------------- 2. digit groups set off by no-break spaces

def test_no_break_space_groups_digits() -> None:
    assert parse_number("1\u00a0250") == 1250
    assert parse_number("3\u202f400\u202f000") == 3400000  # narrow no-break spaces (SI style)
    got = find_quantities("capacity will reach more than 2\u00a0400 GW by 2030")
    assert [(float(q.value), q.unit_text) for q in got][:1] == [(2400.0, "GW")]


def test_ordinary_space_and_four_digit_groups_are_not_joined() -> None:
    # "1 100 2 500": a row of figures may hold two cells; "1\u00a02500" is no group of three
    assert parse_number("1 250") is None
    assert parse_number("1\u00a02500") is None
    assert [float(q.value) for q in find_quantities("capacity 3 450 GW")] != [3450.0]
    assert [float(q.value) for q in find_quantities("in 2026\u00a0120 GW")] == [120.0]


def test_no_break_space_number_is_one_target(tmp_path: Path) -> None:
    body = ("The National Energy Administration issued the Notice on Example Tidal Power. It proposes that by\n"
            "2028 tidal power capacity will reach more than 1\u00a0250 MW.\n")
    ex = extract_text(tmp_path, _page(body, 1, ["https://zfxxgk.nea.gov.cn/2027-03/05/c_1.htm"] * 2))
    assert _targets(ex, _policies(ex)["Notice on Example Tidal Power"]) == [(2028, 1.25e9)]


# --------------------------------------------------------------------------- 3. surplus links after the policies

PAGE_WITH_NEWS = _page(
    "Guizhou and Hunan publish plans.\n\n"
    "Guizhou Province issued the Implementation Plan for Example Mountain Wind Farms in Guizhou\n"
    "Province. It proposes that by 2027 mountain wind capacity will reach 9 GW.\n\n"
    "Hunan Province issued the Work Plan for Example River Barges in Hunan. By 2026, electric barges\n"
    "will reach 300.\n\n"
    "International Cooperation\n\n"
    "China and Example Land released the Joint Statement on Example Coastal Cooperation, agreeing to\n"
    "share data on coastal wind resources and to hold a dialogue every year.\n", 3,
    ["https://fgw.guizhou.gov.cn/zwgk/202705/t20270511_1.html"] * 2
    + ["https://fgw.hunan.gov.cn/xxgk/202705/t20270519_2.html"]
    + ["https://www.mee.gov.cn/ywdt/202705/t20270520_3.shtml"] * 2)


def test_surplus_link_group_of_news_after_the_policies_is_left_to_the_news(tmp_path: Path) -> None:
    ex = extract_text(tmp_path, PAGE_WITH_NEWS)
    pols = _policies(ex)
    assert _urls(ex, pols["Implementation Plan for Example Mountain Wind Farms in Guizhou Province"]) == {
        "https://fgw.guizhou.gov.cn/zwgk/202705/t20270511_1.html"}
    assert _urls(ex, pols["Work Plan for Example River Barges in Hunan"]) == {
        "https://fgw.hunan.gov.cn/xxgk/202705/t20270519_2.html"}


def test_surplus_link_stays_first_without_prose_after_the_policies() -> None:
    # the tie-break moves only with prose after the last title; otherwise a stray first link is skipped
    assert align_links([2], list("xaa")) == [["a"]]
    assert align_links([1, 1], list("abc")) == [["b"], ["c"]]
    assert align_links([1, 1], list("abc"), surplus_last=True) == [["a"], ["b"]]
    # and it never overrides the line counts: a better fit of copies wins over the tie-break
    assert align_links([2, 2], list("xaabb"), surplus_last=True) == [["a"], ["b"]]


# --------------------------------------------------------------------------- 4. participial issuer phrases

def test_participial_issuer_phrase_names_the_issuers(tmp_path: Path) -> None:
    body = ("Notice on Example Capacity Payments for Gas Peaker Units aims to pay peaker units for standby\n"
            "capacity. Jointly issued by the National Development and Reform Commission and the National\n"
            "Energy Administration, the Notice specifies:\n\n"
            "e From 2027, capacity payments will cover 40% of the fixed costs of peaker units.\n\n"
            "Notice on Example Electric Street Sweepers aims to clean city streets with electric sweepers.\n"
            "Issued by the Ministry of Industry and Information Technology, the Ministry of Transport and four\n"
            "other departments, the Notice proposes that by 2028 the share of electric sweepers will reach 70%.\n")
    ex = extract_text(tmp_path, _page(body, 1, ["https://www.ndrc.gov.cn/xxgk/zcfb/tz/202704/t20270410_1.html"] * 3
                                      + ["https://www.miit.gov.cn/zwgk/zcwj/art/2027/art_1.html"] * 3))
    pols = _policies(ex)
    assert _agencies(ex, pols["Notice on Example Capacity Payments for Gas Peaker Units"]) == {
        "National Development and Reform Commission", "National Energy Administration"}
    assert _agencies(ex, pols["Notice on Example Electric Street Sweepers"]) == {
        "Ministry of Industry and Information Technology", "Ministry of Transport"}


@pytest.mark.parametrize("para", [
    "Issued by the NEA in 2019, a plan set goals for wind.",                   # no referent to the title
    "Jointly issued by the NEA and the MEE, it sets goals for wind.",         # a pronoun, not the genre word
    "The Plan aims at X. Published by many local offices, the Plan is long.",  # not names
])
def test_participial_phrase_without_its_title_referent_names_no_issuer(para: str) -> None:
    import re

    from loaders.briefing import participial_issuer

    assert participial_issuer(para, re.compile("Plan")) is None


# --------------------------------------------------------------------------- 5. ligature glyphs

def test_ligature_glyphs_in_a_title_read_as_letters(tmp_path: Path) -> None:
    body = ("Notice on Example Veriﬁcation of Efﬁcient Oﬄine Meters aims to check meters. It proposes that\n"
            "by 2027 veriﬁed meters will reach 80%.\n")
    ex = extract_text(tmp_path, _page(body, 1, ["https://www.samr.gov.cn/zw/202703/t20270301_1.html"] * 2))
    pols = _policies(ex)
    assert list(pols) == ["Notice on Example Verification of Efficient Offline Meters"]
    # evidence spans still quote the document as it is written
    g = ex.graph
    span = next(g.objects(pols["Notice on Example Verification of Efficient Offline Meters"], PKG.evidence))
    s, e = int(g.value(span, URIRef("http://www.w3.org/ns/oa#start"))), int(
        g.value(span, URIRef("http://www.w3.org/ns/oa#end")))
    assert str(g.value(span, URIRef("http://www.w3.org/ns/oa#exact"))) == ex.text[s:e]


# --------------------------------------------------------------------------- 6. agency lines and sources

AGENCY_LINES = _page(
    "Policy Updates\n\n"
    "NDRC, NEA | 2027-05-21\n"
    "China sets a goal for example pumped storage.\n\n"
    "Action Plan for Example Pumped Storage Stations aims to add storage. It proposes that by 2029\n"
    "pumped storage will reach 90 GW.\n\n"
    "The MEE amended its rules for example landfill gas.\n\n"
    "Notice on Amending the Measures for Example Landfill Gas Reporting updates the reporting rules\n"
    "and takes effect on 1 July 2027.\n"
    "(Source: MEE)\n\n"
    "NEA | 2027-06-03\n"
    "Notice on Example Rural Biogas Stations proposes that by 2029 biogas output will reach 4 billion\n"
    "cubic metres.\n\n"
    "Guangdong Provincial Development and Reform Commission, Guangdong Provincial\n"
    "Energy Bureau | 2027-05-30\n"
    "Implementation Plan for Example Tidal Farms in Guangdong Province proposes that by 2029 tidal\n"
    "capacity will reach 2 GW.\n", 2,
    ["https://www.ndrc.gov.cn/xxgk/zcfb/tz/202705/t20270521_1.html",
     "https://www.mee.gov.cn/xxgk2018/xxgk/202705/t20270528_2.html",
     "https://www.mee.gov.cn/xxgk2018/xxgk/202705/t20270528_2.html",
     "https://zfxxgk.nea.gov.cn/2027-06/03/c_3.htm",
     "https://drc.gd.gov.cn/ywtz/content/post_4.html"])


def test_agency_line_over_a_title_gives_its_issuers(tmp_path: Path) -> None:
    ex = extract_text(tmp_path, AGENCY_LINES)
    pols = _policies(ex)
    assert _agencies(ex, pols["Action Plan for Example Pumped Storage Stations"]) == {
        "National Development and Reform Commission", "National Energy Administration"}
    assert _agencies(ex, pols["Notice on Example Rural Biogas Stations"]) == {"National Energy Administration"}
    # a wrapped agency line is one line of two agencies
    assert _agencies(ex, pols["Implementation Plan for Example Tidal Farms in Guangdong Province"]) == {
        "Guangdong Provincial Development and Reform Commission", "Guangdong Provincial Energy Bureau"}


def test_source_note_names_the_issuer_of_its_own_policy_only(tmp_path: Path) -> None:
    ex = extract_text(tmp_path, AGENCY_LINES)
    pols = _policies(ex)
    # "(Source: MEE)" ends the amendment; the agency line under it introduces the next policy
    assert _agencies(ex, pols["Notice on Amending the Measures for Example Landfill Gas Reporting"]) == {
        "Ministry of Ecology and Environment"}
    assert "Ministry of Ecology and Environment" not in _agencies(ex, pols["Notice on Example Rural Biogas Stations"])


def test_agency_line_directly_over_its_title_is_a_paragraph_of_its_own() -> None:
    text = ("Provincial Policies\n\nNingxia Hui Autonomous Region Development and Reform Commission | 2027-06-10\n"
            "Implementation Rules for Example Feed-in Tariffs in the Ningxia Hui Autonomous Region specify\n"
            "that by 2028 all new wind farms will sell power on the market.\n")
    p = parse_briefing(text, GENRES)
    assert [e.title for e in p.policies] == [
        "Implementation Rules for Example Feed-in Tariffs in the Ningxia Hui Autonomous Region"]
    assert p.policies[0].issuer == "Ningxia Hui Autonomous Region Development and Reform Commission"


def test_source_note_that_is_no_name_and_far_agency_lines_give_no_issuer() -> None:
    text = ("NEA | 2027-06-03\n\nWind output grew.\n\nSolar output grew.\n\nStorage output grew.\n\n"
            "Notice on Example Rural Biogas Stations proposes that by 2029 biogas output will reach 4 billion\n"
            "cubic metres (Source: own calculation based on yearbooks)\n")
    p = parse_briefing(text, GENRES)
    assert [e.title for e in p.policies] == ["Notice on Example Rural Biogas Stations"]
    assert p.policies[0].issuer is None and not p.policies[0].joint_issuers and not p.policies[0].source_issuers


def test_source_note_naming_a_news_outlet_gives_no_issuer(tmp_path: Path) -> None:
    text = AGENCY_LINES.replace("(Source: MEE)", "(Source: Xinhua)")
    ex = extract_text(tmp_path, text)
    pol = _policies(ex)["Notice on Amending the Measures for Example Landfill Gas Reporting"]
    # the headline's MEE stays; the news outlet is neither linked nor minted as an issuer
    assert _agencies(ex, pol) == {"Ministry of Ecology and Environment"}
    assert not any("Xinhua" in str(o) for o in ex.graph.objects(None, SKOS.prefLabel))


# --------------------------------------------------------------------------- 7. a headline whose genre word is its verb

def test_headline_with_plan_as_its_verb_is_no_policy(tmp_path: Path) -> None:
    body = ("Five ministries plan to lift example rail freight to over 40% by 2028.\n\n"
            "The Ministry of Transport and four other departments published the Action Plan for Example Rail\n"
            "Freight. The Plan proposes that by 2028:\n\n"
            "e The share of rail in bulk freight will exceed 40%.\n")
    ex = extract_text(tmp_path, _page(body, 1, ["https://xxgk.mot.gov.cn/2027/t20270301_1.html"] * 2))
    assert list(_policies(ex)) == ["Action Plan for Example Rail Freight"]


def test_sentence_case_title_with_plan_to_stays_a_title() -> None:
    from loaders.briefing import find_titles

    got = find_titles("Implementation plan to promote example rooftop solar in rural areas was issued.", GENRES)
    assert [t.title for t in got] == ["Implementation plan to promote example rooftop solar in rural areas"]


# --------------------------------------------------------------------------- 8. a summary box over the articles

SUMMARY_BOX = (" Policy Tracker\nIssue 2027 No. 2\n\nKey Policies\n\n"
               "• NEA, MEE: Action Plan for Example Offshore Hydrogen Hubs (2027–2029) – electrolysers above 9 GW by 2029\n"
               "• NDRC: coal use per unit of GDP to fall by about 4% in 2027\n"
               "• Fujian: tidal capacity to reach 3 GW by 2029\n\n"
               "Policy Tracker | 1\n"
               " Policy Updates\n\nNational\n\n"
               "NEA, MEE | 2027-04-21\nChina sets a goal for example offshore hydrogen.\n\n"
               "Action Plan for Example Offshore Hydrogen Hubs (2027–2029) aims to build hubs. It proposes that by\n"
               "2029:\n\n"
               "• Electrolyser capacity at offshore hubs will exceed 9 GW.\n"
               "• Hydrogen pipelines will reach 400 kilometres.\n\n"
               "By 2031, an offshore hydrogen supply chain will be basically formed.\n\n"
               "Ports will buy electric tugs.\n\n"
               "Notice on Example Electric Tugboats proposes that by 2029 electric tugs will reach 120.\n\n"
               "Policy Tracker | 2\n\n\n"
               "https://zfxxgk.nea.gov.cn/2027-04/21/c_1.htm\n"
               "https://xxgk.mot.gov.cn/2027/t20270428_2.html\n")


def test_summary_box_item_is_the_article_s_policy_and_its_figures_count_once(tmp_path: Path) -> None:
    ex = extract_text(tmp_path, SUMMARY_BOX)
    pols = _policies(ex)
    assert set(pols) == {"Action Plan for Example Offshore Hydrogen Hubs (2027–2029)", "Notice on Example Electric Tugboats"}
    hubs = pols["Action Plan for Example Offshore Hydrogen Hubs (2027–2029)"]
    # the article's two targets and its closing goal; not the box's repeat (9 GW), nor its other items (4%, 3 GW)
    assert _targets(ex, hubs) == [(2029, 400000.0), (2029, 9e9), (2031, None)]


def test_bulleted_list_of_policies_without_an_article_keeps_each_item() -> None:
    # a list of policies, one per bullet, written up nowhere else: each item stays a policy with its figures
    text = ("Key Policies\n\n• NEA: Notice on Example Rural Biogas Stations – biogas above 4 billion m3 by 2029\n"
            "• MOT: Action Plan for Example Electric Tugboats – 120 tugs by 2029\n")
    p = parse_briefing(text, GENRES)
    assert [e.title for e in p.policies] == ["Notice on Example Rural Biogas Stations",
                                              "Action Plan for Example Electric Tugboats"]


def test_year_sentence_above_a_title_stays_a_headline() -> None:
    # "By 2031, ..." right above the next policy's title introduces that policy: no closing goal of the one above
    text = ("Notice on Example Electric Tugboats proposes that by 2029:\n\n"
            "• Electric tugs will reach 120.\n\n"
            "By 2031, ports will run on clean power.\n\n"
            "Notice on Example Shore Power proposes that by 2029 shore power will reach 80% of berths.\n")
    p = parse_briefing(text, GENRES)
    tugs = p.policies[0]
    assert not any(x.logical.startswith("By 2031") for x in tugs.parts)


# --------------------------------------------------------------------------- 9. a target table as text rows

GRID = ("Fujian Provincial Development and Reform Commission | 2027-05-30\n"
        "Fujian plans more tidal power.\n\n"
        "Implementation Plan for Example Tidal Power in Fujian Province (2027–2029) sets the following targets:\n\n"
        "Table 1 Main targets of the Plan\n"
        "Indicator 2026 2029\n"
        "Tidal capacity (10,000 kW) 1\u00a0200 3\u00a0400\n"
        "Share of clean power in port electricity use (%) 41 75\n"
        "Shore power berths 90 260\n\n")


def test_text_rows_of_a_target_table_give_the_target_year_column(tmp_path: Path) -> None:
    ex = extract_text(tmp_path, _page(GRID, 1, ["https://fgw.fujian.gov.cn/zwgk/202705/t20270530_1.html"] * 2))
    pol = _policies(ex)["Implementation Plan for Example Tidal Power in Fujian Province (2027–2029)"]
    # the 2029 column only: the first year column is the base the plan starts from
    assert _targets(ex, pol) == [(2029, 75.0), (2029, 260.0), (2029, 3.4e10)]


@pytest.mark.parametrize("grid", [
    GRID.replace("Table 1 Main targets of the Plan\n", "Table 1 Installed capacity\n"),  # a caption on no targets
    GRID.replace("1\u00a0200 3\u00a0400", "1 200 3 400"),                                # ordinary spaces: ambiguous
])
def test_text_rows_without_a_target_caption_or_with_ambiguous_figures_give_no_targets(grid: str) -> None:
    from loaders.briefing import find_tables, split_lines

    tables = find_tables(split_lines(grid), grid)
    rows = {ln.line.index for t in tables for ln in t.rows}
    lines = split_lines(grid)
    tidal = next(ln.index for ln in lines if ln.content(grid).startswith("Tidal capacity"))
    assert tidal not in rows


def test_bare_year_column_inside_the_plan_period_stays_a_target(tmp_path: Path) -> None:
    # a mid-term column of the plan's own period is a target year, not a base (2028 within 2028–2031)
    grid = GRID.replace("(2027–2029)", "(2028–2031)").replace("2026 2029", "2028 2031")
    ex = extract_text(tmp_path, _page(grid, 1, ["https://fgw.fujian.gov.cn/zwgk/202705/t20270530_1.html"] * 2))
    pol = _policies(ex)["Implementation Plan for Example Tidal Power in Fujian Province (2028–2031)"]
    assert [y for y, _ in _targets(ex, pol)] == [2028, 2028, 2028, 2031, 2031, 2031]


# --------------------------------------------------------------------------- 10. ratios and per-tonne intensities

def test_ratio_after_the_word_ratio_is_a_dimensionless_value() -> None:
    from loaders.goals import find_goals

    got = find_goals("By 2028, charging points will exceed 40,000, with a bus-to-charger ratio of no more than 3.5:1.")
    assert [(float(g.value), g.unit_text, str(g.comparator).rsplit("#", 1)[1]) for g in got] == [
        (40000.0, None, "MoreThan"), (3.5, "ratio", "AtMost")]
    got = find_goals("By 2028, the ratio of new chargers to new electric buses will reach 1:1.")
    assert [(float(g.value), g.unit_text, str(g.normalized_unit).rsplit("/", 1)[1]) for g in got] == [
        (1.0, "ratio", "NUM")]


@pytest.mark.parametrize("text", [
    "By 2028, ferries will leave at 10:15 and the harbour map will be drawn at 1:50,000.",  # a time, a scale
    "By 2028, wind and solar will be built at 2:1 in the north.",                          # no "ratio" before it
    "The ratio was high in 2020. By 2028, ferries will reach 3:1.",                          # "ratio" in another sentence
])
def test_colon_figures_that_are_no_stated_ratio_give_no_ratio(text: str) -> None:
    from loaders.quantities import find_quantities

    assert [q for q in find_quantities(text) if q.kind == "ratio"] == []


def test_amount_under_a_per_tonne_subject_is_an_intensity() -> None:
    from loaders.goals import find_goals

    got = find_goals("By 2028, the average power consumption per tonne of example alloy will be controlled within "
                     "9,800 kWh.")
    assert [(float(g.value), g.unit_text, g.normalized_unit) for g in got] == [(9800.0, "kWh per tonne", None)]
    # an amount whose subject names no denominator stays an amount of energy, normalised
    got = find_goals("By 2028, the power consumption of example alloy plants will be controlled within 9,800 kWh.")
    assert [(g.unit_text, g.normalized_value) for g in got] == [("kWh", 9800.0)]
    # a share under a "per unit of" subject stays a share
    got = find_goals("By 2028, energy use per tonne of example alloy will fall by 6%.")
    assert [g.unit_text for g in got] == ["%"]
