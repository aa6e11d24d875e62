"""Session 10 rule fixes (rules side): loader gaps found on the unseen documents, each pinned on small
invented inputs, with the precision tests of what each rule must NOT do.

Gaps: a lower-case year clause under a title heading (briefing._paragraphs), a publication day written
without its year (briefing.stated_date, emit anchor date), mass rates (quantities), the "eligible" provision
cue (goals), a headline agency and a "jointly issued by" summary (briefing), Chinese plan genres (ontology),
Chinese names of city and provincial organs (linking), raw HTML links in Markdown (markdown).
"""

from __future__ import annotations

import datetime
from pathlib import Path

from loader_helpers import policies_by_title, year_values
from loader_helpers import reference_linker as _linker

from loaders import extract_document
from loaders.briefing import day_with_year
from loaders.document import read_document
from policykg.vocab import PKG, UNIT, Minter


def _read(tmp_path: Path, name: str, text: str):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    doc = read_document(p)
    return doc, extract_document(doc, Minter(), _linker()).graph


_policies = policies_by_title


_targets = year_values


def _date(g, pol) -> str | None:
    d = g.value(pol, PKG.publicationDate)
    return None if d is None else str(d)


# --------------------------------------------------------------------------- 1. year clause under a heading

def test_year_clause_under_a_numbered_heading_is_its_own_target(tmp_path: Path) -> None:
    text = ("Grid Notes\n\n2. Measures for Example Tidal Berths\n\nby 2029, tidal berths above 3 GW\n\n"
            "The Ministry of Transport issued the measures.\n")
    _, g = _read(tmp_path, "notes.txt", text)
    pols = _policies(g)
    assert set(pols) == {"Measures for Example Tidal Berths"}
    assert _targets(g, pols["Measures for Example Tidal Berths"]) == [(2029, 3e9)]


def test_lower_case_line_without_a_year_clause_still_continues_the_title(tmp_path: Path) -> None:
    # the rule is narrow: a wrapped title's lower-case tail across a blank line is still the title's
    text = ("Grid Notes\n\n2. Measures for Example Tidal Berths in\n\nthe Coastal Counties\n\n"
            "The Ministry of Transport issued the measures.\n")
    _, g = _read(tmp_path, "notes.txt", text)
    assert "Measures for Example Tidal Berths in the Coastal Counties" in _policies(g)


def _logical(text: str) -> list[str]:
    from loaders.briefing import _paragraphs, split_lines

    return [p.logical for p in _paragraphs(split_lines(text), text)]


def test_year_clause_after_a_sentence_line_is_still_joined() -> None:
    # "... to reach" / "by 2029, ..." split by a page-break blank line: one sentence, no heading above it
    text = ("The Ministry of Transport issued the Measures for Example Tidal Berths, which want tidal berth "
            "capacity to reach\n\nby 2029, a total above 3 GW.\n")
    assert len(_logical(text)) == 1
    # and the rule itself: under a one-line title-case heading the year clause is a paragraph of its own
    assert _logical("2. Measures for Example Tidal Berths\n\nby 2029, tidal berths above 3 GW\n") == [
        "Measures for Example Tidal Berths", "by 2029, tidal berths above 3 GW"]


# --------------------------------------------------------------------------- 2. a day without its year

def test_day_with_year_takes_the_briefing_year_or_the_year_before() -> None:
    anchor = datetime.date(2026, 1, 10)
    assert day_with_year("Jan 4", anchor) == "2026-01-04"
    assert day_with_year("Jan 10", anchor) == "2026-01-10"
    assert day_with_year("Jan 11", anchor) == "2025-01-11"  # after the briefing's day: the year before
    assert day_with_year("28 December", anchor) == "2025-12-28"
    assert day_with_year("March 3rd", datetime.date(2025, 8, 29)) == "2025-03-03"


def test_day_with_year_refuses_a_day_the_month_lacks() -> None:
    assert day_with_year("Feb 30", datetime.date(2025, 8, 1)) is None
    assert day_with_year("Feb 29", datetime.date(2025, 8, 1)) is None  # 2025 is no leap year
    assert day_with_year("Feb 29", datetime.date(2024, 8, 1)) == "2024-02-29"
    assert day_with_year("Sometime 5", datetime.date(2025, 8, 1)) is None


DAYS = ("Energy Digest\n\nJanuary 2026\n\n"
        "On Dec 28 the National Energy Administration issued the Notice on Example Tidal Piers. It sets goals.\n\n"
        "The Ministry of Finance issued the Measures for Example Rural Lamps on 4 January. They set goals.\n")


def test_day_without_year_takes_the_masthead_year(tmp_path: Path) -> None:
    _, g = _read(tmp_path, "digest.txt", DAYS)
    pols = _policies(g)
    assert _date(g, pols["Notice on Example Tidal Piers"]) == "2025-12-28"
    assert _date(g, pols["Measures for Example Rural Lamps"]) == "2026-01-04"


def test_day_without_year_takes_the_file_name_year(tmp_path: Path) -> None:
    text = DAYS.replace("January 2026\n\n", "")
    _, g = _read(tmp_path, "digest-2026-01.txt", text)
    pols = _policies(g)
    assert _date(g, pols["Notice on Example Tidal Piers"]) == "2025-12-28"
    assert _date(g, pols["Measures for Example Rural Lamps"]) == "2026-01-04"


def test_day_without_year_in_an_undated_briefing_gives_no_date(tmp_path: Path) -> None:
    _, g = _read(tmp_path, "digest.txt", DAYS.replace("January 2026\n\n", ""))
    assert all(_date(g, p) is None for p in _policies(g).values())


def test_day_without_year_is_not_read_from_other_events_or_with_its_year(tmp_path: Path) -> None:
    text = ("Energy Digest\n\nJanuary 2026\n\n"
            "The National Energy Administration issued the Notice on Example Tidal Piers. It takes effect on "
            "Mar 1.\n\n"
            "On Dec 28, 2024 the Ministry of Finance issued the Measures for Example Rural Lamps. They set goals.\n")
    _, g = _read(tmp_path, "digest.txt", text)
    pols = _policies(g)
    assert _date(g, pols["Notice on Example Tidal Piers"]) is None  # not the lead's first sentence, not publication
    assert _date(g, pols["Measures for Example Rural Lamps"]) == "2024-12-28"  # the written year wins


# --------------------------------------------------------------------------- 3. annual rates of mass

def test_abbreviated_annual_mass_rates_read_as_the_words_golds_write() -> None:
    from loaders.quantities import find_quantities

    cases = {
        "output of ~4 Mt/yr": (4, "million tonnes per year"),
        "about 4 million tonnes per year": (4, "million tonnes per year"),
        "a 300 kt/a line": (300, "thousand tonnes per year"),
        "7 Mt per annum": (7, "million tonnes per year"),
        "20 t/a of sludge": (20, "tonnes per year"),
        "3 Gt a year": (3, "billion tonnes per year"),
    }
    for text, (value, unit) in cases.items():
        q = find_quantities(text)[0]
        assert (float(q.value), q.unit_text, q.kind) == (value, unit, "mass_per_year"), text
        assert q.normalized_unit == UNIT["TONNE-PER-YR"], text  # a rate, never a mass (session 23)


def test_tilde_before_a_rate_is_about() -> None:
    from loaders.quantities import find_quantities
    from policykg.vocab import PKG as _PKG

    assert find_quantities("~4 Mt/yr")[0].comparator == _PKG.Approximately


def test_annual_rate_words_keep_a_mass_written_in_words_and_chinese() -> None:
    from loaders.quantities import find_quantities

    assert find_quantities("70,000 tons per year")[0].unit_text == "tons per year"  # as written (gold convention)
    assert find_quantities("70,000 tons/year")[0].unit_text == "tons per year"
    assert find_quantities("年产8万吨/年")[0].unit_text == "万吨/年"


def test_mass_symbols_without_a_rate_stay_masses_and_a_bare_t_is_no_tonne() -> None:
    from loaders.quantities import find_quantities

    q = find_quantities("a 9 kt stockpile")[0]
    assert (q.kind, q.normalized_value) == ("mass", 9000.0)
    assert find_quantities("cut 2 Mt of CO2")[0].kind == "mass"
    assert all(q.kind != "mass" for q in find_quantities("grade 5 t steel"))


def test_annual_rate_target_in_a_briefing_keeps_value_and_unit(tmp_path: Path) -> None:
    text = ("Hydrogen Notes\n\nThe National Energy Administration issued the Notice on Example Green Ammonia Hubs. "
            "It sets goals.\n\n- Green ammonia output of ~3 Mt/yr by 2031.\n")
    _, g = _read(tmp_path, "notes.txt", text)
    pol = _policies(g)["Notice on Example Green Ammonia Hubs"]
    tgts = list(g.objects(pol, PKG.setsTarget))
    assert len(tgts) == 1
    t = tgts[0]
    assert (str(g.value(t, PKG.targetYear))[:4], float(g.value(t, PKG.value)), str(g.value(t, PKG.unitText)),
            g.value(t, PKG.comparator)) == ("2031", 3.0, "million tonnes per year", PKG.Approximately)


# --------------------------------------------------------------------------- 4. "eligible" with a year of its own

def _kinds(text: str) -> list[tuple[str, int | None, float]]:
    from loaders.goals import find_goals

    return [(g.kind, g.target_year, float(g.value)) for g in find_goals(text) if g.value is not None]


def test_dated_share_of_eligible_units_is_a_target() -> None:
    assert _kinds("By 2028, no less than 40% of eligible county hospitals should install heat pumps.") == [
        ("target", 2028, 40.0)]
    assert _kinds("The share of eligible depots with charging will reach 70% by 2029.") == [("target", 2029, 70.0)]


def test_eligible_without_a_year_stays_a_provision() -> None:
    assert _kinds("No less than 40% of eligible county hospitals should install heat pumps.") == [
        ("provision", None, 40.0)]
    assert _kinds("Eligible depots receive 3,000 yuan each.") == [("provision", None, 3000.0)]


def test_dated_payment_or_rate_to_eligible_units_stays_a_provision() -> None:
    # a year does not turn a rule into a goal when the eligible units are the payees, not the counted population
    assert _kinds("By 2027, eligible depots will receive 300 yuan per kilowatt.") == [("provision", None, 300.0)]
    assert _kinds("Banks lend to eligible depots at a 15% discount by 2026.") == [("provision", None, 15.0)]
    assert _kinds("By 2026, banks should refinance 60% of the principal of eligible loans.") == [
        ("provision", None, 60.0)]


# --------------------------------------------------------------------------- 5. headline agency + joint summary

def _listing(summary: str) -> str:
    return ("<html><body><h1>Latest Releases</h1><ul>"
            "<li><a href=\"https://www.gov.cn/zhengce/zhengceku/202510/content_9101.htm\">Ministry of Ecology and "
            "Environment releases rules on example methane flaring at landfills</a><span>2025-10-29</span>"
            f"<p>{summary}</p></li>"
            "<li><a href=\"https://www.gov.cn/zhengce/zhengceku/202510/content_9102.htm\">China issues guideline on "
            "example tidal piers</a><span>2025-10-28</span><p>The guideline says 40 piers should be built by 2027.</p>"
            "</li></ul></body></html>")


def _issuers(g, pol) -> set[str]:
    return {str(a).rsplit("/", 1)[-1] for a in g.objects(pol, PKG.issuedBy)}


TITLE5 = "Ministry of Ecology and Environment releases rules on example methane flaring at landfills"


def test_headline_agency_is_united_with_the_joint_issuers_of_its_summary(tmp_path: Path) -> None:
    _, g = _read(tmp_path, "news.html", _listing(
        "The rules, jointly issued by the Ministry of Ecology and Environment and the National Energy "
        "Administration, say the flaring rate should fall below 5 percent by 2028."))
    pols = _policies(g)
    pol = next(p for t, p in pols.items() if "methane flaring" in t)
    assert _issuers(g, pol) == {"mee", "nea"}
    assert _targets(g, pol) == [(2028, 5.0)]


def test_summary_naming_one_other_agency_without_jointly_adds_none(tmp_path: Path) -> None:
    _, g = _read(tmp_path, "news.html", _listing(
        "The rules, issued by the National Energy Administration, say the flaring rate should fall below 5 percent "
        "by 2028."))
    pol = next(p for t, p in _policies(g).items() if "methane flaring" in t)
    assert _issuers(g, pol) == {"mee"}


def test_summary_without_an_issuer_keeps_the_headline_agency(tmp_path: Path) -> None:
    _, g = _read(tmp_path, "news.html", _listing("The rules say the flaring rate should fall below 5 percent by 2028."))
    pol = next(p for t, p in _policies(g).items() if "methane flaring" in t)
    assert _issuers(g, pol) == {"mee"}


# --------------------------------------------------------------------------- 6. the 方案 family of genres

def _genre(title: str) -> str | None:
    got = _linker().genre_in(title)
    return None if got is None else str(got[0]).rsplit("/", 1)[-1]


def test_programme_family_titles_map_to_their_own_genres() -> None:
    assert _genre("Construction Plan for Example Hydro-Solar Bases in Yunnan Province") == "construction-plan"
    assert _genre("Overall Plan for Example Grid Reform") == "overall-plan"
    assert _genre("Implementation Plan for Example Kilns") == "implementation-plan"
    assert _genre("Work Plan for Example Depot Pilots") == "work-plan"
    assert _genre("Action Plan for Example Electric Ferries") == "action-plan"


def test_plan_and_carrier_notice_are_unchanged() -> None:
    assert _genre("Plan for Example Grid Upgrades") == "plan"
    assert _genre("Example Hydrogen Industry Development Plan") == "plan"
    assert _genre("Notice on Issuing the Construction Plan for Example Zones") == "notice"


def test_new_genres_carry_chinese_labels_under_programme() -> None:
    from rdflib import Graph, Literal
    from rdflib.namespace import SKOS

    g = Graph().parse(Path(__file__).resolve().parents[1] / "ontology" / "vocab" / "genre.ttl")
    base = "https://w3id.org/policykg/id/genre/"
    from rdflib import URIRef
    for slug, zh in (("construction-plan", "建设方案"), ("overall-plan", "总体方案"), ("implementation-plan", "实施方案"),
                     ("work-plan", "工作方案"), ("action-plan", "行动方案")):
        c = URIRef(base + slug)
        assert Literal(zh, lang="zh") in set(g.objects(c, SKOS.prefLabel)), slug
        assert (c, SKOS.broader, URIRef(base + "programme")) in g, slug


# --------------------------------------------------------------------------- 7. Chinese organ names of places

def _zh_dept(name: str) -> tuple[str, str] | None:
    got = _linker().zh_department(name)
    return None if got is None else (got[0].pref_label, str(got[1]).rsplit("/", 1)[-1])


def test_chinese_organ_name_is_read_as_region_plus_standard_suffix() -> None:
    assert _zh_dept("杭州市发展和改革委员会") == ("Hangzhou", "development-and-reform")
    assert _zh_dept("广州市人民政府办公厅") == ("Guangzhou", "general-office")
    assert _zh_dept("苏州市生态环境局") == ("Suzhou", "ecology-and-environment")
    assert _zh_dept("广东省发展改革委") == ("Guangdong", "development-and-reform")  # the national organ's short form


def test_chinese_variant_of_a_reference_agency_resolves_to_it() -> None:
    L = _linker()
    assert str(L.resolve_agency("内蒙古人民政府办公厅")).endswith("/cn-nm-general-office")
    assert str(L.resolve_agency("广东省发展改革委")).endswith("/cn-gd-drc")
    assert str(L.resolve_agency("广州人民政府")).endswith("/440100-government")


def test_chinese_names_that_are_no_region_plus_organ_stay_unresolved() -> None:
    L = _linker()
    for name in ("广州市某某中心", "某某市发展和改革委员会", "发展和改革委员会", "广州市", "广州市发展和改革委员会能源处"):
        assert _zh_dept(name) is None, name
        assert L.resolve_agency(name) is None, name


ZH_BULLETIN = """Energy Bulletin

1.《关于某某码头示范的通知》

Notice on Example Tidal Piers in Guangzhou

发布机关：{a}，2025年3月6日发布。

By 2027, tidal piers should number 40.

2.《某某热泵实施方案》

Implementation Plan for Example Heat Pumps in Hangzhou

发布机关：{b}，2025年3月8日发布。

By 2027, heat pumps should number 4,000.
"""


def test_chinese_city_issuers_are_linked_and_named_in_english(tmp_path: Path) -> None:
    from rdflib.namespace import SKOS

    _, g = _read(tmp_path, "bulletin.txt", ZH_BULLETIN.format(a="广州市人民政府办公厅", b="杭州市发展和改革委员会"))
    pols = _policies(g)
    (gz,) = g.objects(pols["Notice on Example Tidal Piers in Guangzhou"], PKG.issuedBy)
    (hz,) = g.objects(pols["Implementation Plan for Example Heat Pumps in Hangzhou"], PKG.issuedBy)
    assert str(g.value(gz, SKOS.prefLabel)) == "General Office of the Guangzhou Municipal People's Government"
    assert str(g.value(hz, SKOS.prefLabel)) == "Hangzhou Municipal Development and Reform Commission"
    assert str(g.value(gz, PKG.jurisdiction)).endswith("/440100")


def test_unknown_chinese_issuer_is_not_minted(tmp_path: Path) -> None:
    _, g = _read(tmp_path, "bulletin.txt", ZH_BULLETIN.format(a="广州市某某中心", b="某某市发展和改革委员会"))
    for pol in _policies(g).values():
        assert list(g.objects(pol, PKG.issuedBy)) == []


# --------------------------------------------------------------------------- 8. raw HTML links in Markdown

def _anchors(src: str) -> list[tuple[str, str]]:
    from loaders.markdown import render_markdown

    text, anchors, _, _ = render_markdown(src)
    return [(text[a.start:a.end], a.uri) for a in anchors]


def test_raw_html_anchor_inside_a_paragraph_is_a_link() -> None:
    assert _anchors('# L\n\nThe NEA issued the <a href="https://www.nea.gov.cn/x/1.htm">Notice on Example Weirs</a>.\n') \
        == [("Notice on Example Weirs", "https://www.nea.gov.cn/x/1.htm")]
    assert _anchors("# L\n\nSee <A HREF='https://www.mof.gov.cn/y/2.htm' target=_blank>Measures for Example Kilns</A>.\n") \
        == [("Measures for Example Kilns", "https://www.mof.gov.cn/y/2.htm")]


def test_raw_html_anchor_inside_an_html_block_is_a_link() -> None:
    got = _anchors('# L\n\n<p>The MOF issued the <a href="https://www.mof.gov.cn/y/2.htm?a=1&amp;b=2">Measures '
                   'for Example Kilns &amp; Ovens</a>.</p>\n')
    assert got == [("Measures for Example Kilns & Ovens", "https://www.mof.gov.cn/y/2.htm?a=1&b=2")]


def test_html_anchors_without_a_web_target_give_no_link() -> None:
    assert _anchors('# L\n\nWrite to <a href="mailto:desk@example.org">the desk</a> or jump '
                    '<a name="top">up</a> or <a href="#notes">to notes</a>.\n') == []
    assert _anchors('# L\n\n<div><a href="/relative/page.htm">Notice on Example Weirs</a></div>\n') == []


def test_raw_html_link_gives_the_policy_its_source(tmp_path: Path) -> None:
    text = ("# Energy Letter\n\n## National\n\n**1.** The National Energy Administration issued the "
            '<a href="https://www.nea.gov.cn/2025-03/06/c_1310123456.htm">Notice on Example Tidal Weirs</a>. '
            "It sets goals.\n\n- By 2028, tidal weirs should number 12.\n")
    _, g = _read(tmp_path, "letter.md", text)
    pol = _policies(g)["Notice on Example Tidal Weirs"]
    assert {str(u) for u in g.objects(pol, PKG.sourceURL)} == {"https://www.nea.gov.cn/2025-03/06/c_1310123456.htm"}
