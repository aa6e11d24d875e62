"""Session 10 (F3): OCR slips and layout faults that two more CCNT-style unseen issues found, each rule pinned on
small invented inputs with the tests of what it must NOT do.

1. A link line broken by one space ("https://.../t2027031 5_77.html") ended the page's link list: every later
   link line of the page was lost (:func:`loaders.briefing.split_lines`, :func:`loaders.briefing.line_url`).
2. Agency names printed with OCR slips ("Adrninistration", "Govemment", "lndustry") were minted as new agencies
   or gave no issuer (:func:`loaders.linking.ocr_fold`, :meth:`loaders.linking.Linker.resolve_agency`,
   :meth:`loaders.linking.Linker.find_agencies`).
3. "By 2O27" (letter O for zero) was read as the number 2 (:func:`loaders.goals.find_goals`).
4. "issued by A together with B and nine other departments" gave A only (briefing ``_ISSUER_TAIL``,
   :meth:`loaders.emit` ``resolve_issuer``).
5. A title linked to two copies of one document took the date of the first link, not the more precise one.

All titles, numbers and URLs here are invented; agency and region names are real (reference data).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from loader_helpers import extract_text
from loader_helpers import policies_by_title, year_values
from loader_helpers import reference_linker as _linker
from rdflib import URIRef
from rdflib.namespace import SKOS

from loaders.linking import OCR_MIN_CHARS, ocr_fold
from policykg.vocab import PKG


def _policies(ex) -> dict[str, URIRef]:
    return policies_by_title(ex.graph)


def _targets(ex, pol) -> list[tuple[int | None, float | None]]:
    return year_values(ex.graph, pol)


def _agencies(ex, pol, prop: URIRef = PKG.issuedBy) -> set[str]:
    g = ex.graph
    out = set()
    for a in g.objects(pol, prop):
        info = _linker().agency(a)
        out.add(info.pref_label if info is not None else "MINTED " + str(g.value(a, SKOS.prefLabel) or a))
    return out


def _urls(ex, pol) -> set[str]:
    return {str(u) for u in ex.graph.objects(pol, PKG.sourceURL)}


def _dates(ex, pol) -> set[str]:
    return {str(d) for d in ex.graph.objects(pol, PKG.publicationDate)}


def _page(body: str, n: int, urls: list[str]) -> str:
    """One CCNT page as its PDF's text comes out: a leading space, the text, a footer, the page's link list."""
    return f" {body}\n\nPolicy Tracker | {n}\n\n\n" + "".join(u + "\n" for u in urls)


def _name(iri: URIRef | None) -> str | None:
    info = _linker().agency(iri)
    return info.pref_label if info is not None else None


# --------------------------------------------------------------------------- 1. a link line broken by a space

_THREE = ("Harbour towns will electrify their ferries and barges.\n\n"
          "The Ministry of Transport issued the Action Plan for Electric Ferries in Harbour Towns.\n"
          "By 2027, the share of electric ferries in new ferry purchases will reach 65%.\n\n"
          "The National Energy Administration issued the Notice on Shore Power for Inland Barges.\n"
          "By 2028, shore power will cover 90% of inland barge berths.\n\n"
          "The Ministry of Water Resources issued the Work Plan for Greener Canal Locks in River Ports.\n"
          "By 2029, 300 canal locks will be electrified.\n")
_U1 = "https://xxgk.mot.gov.cn/2027/jigou/fgs/202703/t20270305_4101.html"
_U2 = "https://zfxxgk.nea.gov.cn/2027-03/18/c_1310999.htm"
_U3 = "http://www.mwr.gov.cn/zwgk/gknr/202704/t20270402_1777.html"


def test_url_line_broken_by_one_space_is_rejoined_and_the_list_goes_on(tmp_path: Path) -> None:
    broken = "http://www.mwr.gov.cn/zwgk/gknr/202704/t2027040 2_1777.html"
    ex = extract_text(tmp_path, _page(_THREE, 1, [_U1, _U2, broken]) + _page(
        "Nothing more.\n", 2, []))
    pols = _policies(ex)
    canal = pols["Work Plan for Greener Canal Locks in River Ports"]
    assert _urls(ex, canal) == {_U3}
    assert _dates(ex, canal) == {"2027-04-02"}
    assert _agencies(ex, canal, PKG.sourceHostedBy) == {"Ministry of Water Resources"}


def test_links_after_a_broken_line_are_still_read(tmp_path: Path) -> None:
    broken = "https://zfxxgk.nea.gov.cn/2027-03/1 8/c_1310999.htm"
    ex = extract_text(tmp_path, _page(_THREE, 1, [_U1, broken, _U3]))
    pols = _policies(ex)
    assert _urls(ex, pols["Action Plan for Electric Ferries in Harbour Towns"]) == {_U1}
    assert _urls(ex, pols["Notice on Shore Power for Inland Barges"]) == {_U2}
    assert _urls(ex, pols["Work Plan for Greener Canal Locks in River Ports"]) == {_U3}
    assert _dates(ex, pols["Work Plan for Greener Canal Locks in River Ports"]) == {"2027-04-02"}


def test_unjoinable_link_line_keeps_its_place_in_the_list(tmp_path: Path) -> None:
    # a link line garbled beyond a single split: loaded for no policy, but the lines after it keep their order
    garbled = "https://zfxxgk.nea.gov.cn/2027-03/18/c_13 10 999.htm"
    ex = extract_text(tmp_path, _page(_THREE, 1, [_U1, garbled, _U3]))
    pols = _policies(ex)
    assert _urls(ex, pols["Action Plan for Electric Ferries in Harbour Towns"]) == {_U1}
    assert _urls(ex, pols["Notice on Shore Power for Inland Barges"]) == set()
    assert _urls(ex, pols["Work Plan for Greener Canal Locks in River Ports"]) == {_U3}


@pytest.mark.parametrize("line", [
    # two URLs on one line are two links, never one
    "https://xxgk.mot.gov.cn/2027/a.html https://zfxxgk.nea.gov.cn/2027-03/18/c_1.htm",
    # a complete URL (its file name has an extension) followed by a word: not one URL
    "https://xxgk.mot.gov.cn/2027/jigou/t20270305_4101.html accessed",
    # a host broken by a space is no path to rejoin
    "https://xxgk.mot. gov.cn/2027/jigou/t20270305_4101.html",
])
def test_line_url_does_not_join_what_are_not_two_halves_of_one_url(line: str) -> None:
    from loaders.briefing import line_url

    assert line_url(line) is None


def test_line_url_joins_a_path_split_by_one_space() -> None:
    from loaders.briefing import line_url

    assert line_url("https://www.ndrc.gov.cn/xxgk/zcfb/tz/202704/t2027041 8_1.html") == \
        "https://www.ndrc.gov.cn/xxgk/zcfb/tz/202704/t20270418_1.html"
    assert line_url(" https://xxgk.mot.gov.cn/2027/jigou/t20270305_4101.html.") == \
        "https://xxgk.mot.gov.cn/2027/jigou/t20270305_4101.html"


def test_prose_line_starting_with_a_url_after_a_link_list_stays_prose(tmp_path: Path) -> None:
    # a new page's text that opens with a URL and words is no link line: the page still breaks there
    text = _page(_THREE, 1, [_U1, _U2, _U3]) + (
        "https://ccnt.example.org hosts the tracker database for all of the policies above.\n")
    ex = extract_text(tmp_path, text)
    pols = _policies(ex)
    assert _urls(ex, pols["Work Plan for Greener Canal Locks in River Ports"]) == {_U3}


# --------------------------------------------------------------------------- 2. agency names with OCR slips

@pytest.mark.parametrize(("slip", "real"), [
    ("State Adrninistration for Market Regulation", "State Administration for Market Regulation"),   # rn for m
    ("Zhejiang Provincial People's Govemment", "Zhejiang Provincial People's Government"),             # rn for m
    ("Ministry of Agricu1ture and RuraI Affairs", "Ministry of Agriculture and Rural Affairs"),       # 1, I for l
    ("Ministry of Housing and Urban-Rural Deve|opment", "Ministry of Housing and Urban-Rural Development"),
    ("Ministry of Water Resources", "Ministry of Water Resources"),                                     # no slip
    ("Ministry of Eclucation", "Ministry of Education"),                                               # cl for d
    ("National Deve1opment and Reform Cornmission", "National Development and Reform Commission"),
    ("Nationa1 Forestry and Grass1and Adrninistration", "National Forestry and Grassland Administration"),
    ("Hubel Provincial Development and Reform Commission", "Hubei Provincial Development and Reform Commission"),
])
def test_ocr_slip_in_an_agency_name_resolves(slip: str, real: str) -> None:
    assert _name(_linker().resolve_agency(slip)) == real


@pytest.mark.parametrize(("name", "real"), [
    # real different agencies of one type: a letter that is no OCR look-alike keeps them apart
    ("Hubei Provincial Development and Reform Commission", "Hubei Provincial Development and Reform Commission"),
    ("Hebei Provincial Development and Reform Commission", "Hebei Provincial Development and Reform Commission"),
    ("Shaanxi Provincial People's Govemment", "Shaanxi Provincial People's Government"),
    ("Shanxi Provincial People's Govemment", "Shanxi Provincial People's Government"),
    ("Hainan Provincial People's Govemment", "Hainan Provincial People's Government"),
    ("Henan Provincial People's Govemment", "Henan Provincial People's Government"),
])
def test_ocr_tolerance_never_crosses_to_a_near_miss_agency(name: str, real: str) -> None:
    assert _name(_linker().resolve_agency(name)) == real


@pytest.mark.parametrize("name", [
    "NEl",                                        # an abbreviation: too short for OCR tolerance
    "Ministry of lndustry",                       # a part of a name is no name
    "Hebel",                                      # a place alone is no agency
    "Ministry of Ecology and Envlronment Bureau",  # a longer name that only starts like one
    "State Administration for Market Regulations",  # a real letter more
])
def test_ocr_tolerance_does_not_resolve_what_is_no_agency_name(name: str) -> None:
    assert _linker().resolve_agency(name) is None


def test_ocr_fold_is_narrow() -> None:
    assert len(ocr_fold("People's Government")[0]) == len("People's Government") - 1  # "rn" is one letter
    assert ocr_fold("Hubei")[0] != ocr_fold("Hebei")[0]
    assert ocr_fold("Shanxi")[0] != ocr_fold("Shaanxi")[0]
    assert OCR_MIN_CHARS >= 12


def test_find_agencies_reads_a_slipped_name_in_a_conjunct() -> None:
    text = "The State Adrninistration for Market Regulation and the Ministry of Water Resources jointly"
    got = [(m.label, _name(m.target)) for m in _linker().find_agencies(text, 100)]
    assert got == [("State Adrninistration for Market Regulation", "State Administration for Market Regulation"),
                   ("Ministry of Water Resources", "Ministry of Water Resources")]
    m = _linker().find_agencies(text, 100)[0]
    assert text[m.start - 100:m.end - 100] == m.label


def test_find_agencies_exact_names_unchanged_by_ocr_matching() -> None:
    text = "the Ministry of Transport and the National Energy Administration with the NDRC"
    got = [m.label for m in _linker().find_agencies(text)]
    assert got == ["Ministry of Transport", "National Energy Administration", "NDRC"]


@pytest.mark.parametrize("text", [
    "Hebel and Hubel promote hydrogen.",                            # places, no agency
    "the national energy adrninistration of the island",            # lower-case prose
    "The Ministry of Ecology and Envlronmental Affairs of the town",  # another (invented) body
])
def test_find_agencies_ocr_matching_finds_no_agency_in(text: str) -> None:
    assert [m.label for m in _linker().find_agencies(text)] == []


def test_slipped_issuer_names_are_linked_not_minted(tmp_path: Path) -> None:
    body = ("Market rules for heat pumps and pilot towns.\n\n"
            "The State Adrninistration for Market Regulation and the National Development and Reform Commission\n"
            "jointly released the Notice on Example Heat Pump Labels. By 2028, labelled heat pumps will reach\n"
            "40% of sales.\n\n"
            "Zhejiang Provincial People's Govemment issued the Work Plan for Example Zero-Carbon Towns in Zhejiang.\n"
            "By 2027, 50 zero-carbon towns will be built.\n")
    ex = extract_text(tmp_path, _page(body, 1, ["https://www.samr.gov.cn/zw/zfxxgk/2027/t20270101_1.html"] * 3 +
                                      ["https://www.zj.gov.cn/art/2027/1/5/art_1229019364_1.html"] * 2))
    pols = _policies(ex)
    assert _agencies(ex, pols["Notice on Example Heat Pump Labels"]) == {
        "State Administration for Market Regulation", "National Development and Reform Commission"}
    assert _agencies(ex, pols["Work Plan for Example Zero-Carbon Towns in Zhejiang"]) == {
        "Zhejiang Provincial People's Government"}
    assert not [w for w in ex.warnings if "minted agency" in w]


# --------------------------------------------------------------------------- 3. "2O27": letter O in a year

@pytest.mark.parametrize(("sentence", "year"), [
    ("By 2O27, the share of electric ferries in new ferry purchases will reach 65%.", 2027),
    ("The share of electric ferries will reach 65% by 2O3O.", 2030),
    ("Before 2O28 the share of electric ferries will exceed 65%.", 2028),
    ("In 2o29, the share of electric ferries will reach 65%.", 2029),
])
def test_year_with_letter_o_is_read_as_that_year(sentence: str, year: int) -> None:
    from loaders.goals import find_goals

    got = [(g.target_year, float(g.value)) for g in find_goals(sentence) if g.value is not None]
    assert got == [(year, 65.0)]


@pytest.mark.parametrize("sentence", [
    "By 2027, Unit 2O25 will cut its emissions by 30% compared with 2024.",   # a unit's name, not after by/in
    "By 2027, the O2O5 line will carry 30% more passengers.",                 # not a year-shaped token
    "By 2027, in 3O45 towns the share of electric ferries will reach 65%.",   # no year 19xx/20xx
])
def test_letter_o_elsewhere_is_no_year(sentence: str) -> None:
    from loaders.goals import find_goals

    years = {g.target_year for g in find_goals(sentence)}
    assert years <= {2027}


def test_year_with_letter_o_keeps_its_baseline(tmp_path: Path) -> None:
    body = ("The Ministry of Transport issued the Action Plan for Electric Ferries in Harbour Towns. The Plan\n"
            "proposes that:\n\n"
            "e By 2O27, the energy use per ferry trip will decrease by 12% compared with 2025.\n")
    ex = extract_text(tmp_path, _page(body, 1, [_U1] * 2))
    pol = _policies(ex)["Action Plan for Electric Ferries in Harbour Towns"]
    assert _targets(ex, pol) == [(2027, 12.0)]


# --------------------------------------------------------------------------- 4. "together with"

def test_together_with_joins_two_issuers(tmp_path: Path) -> None:
    body = ("Ferries get rules for shore power.\n\n"
            "Rules for Example Shore Power at Ferry Berths were issued by the Ministry of Transport\n"
            "together with the National Energy Administration and nine other departments. The Rules propose\n"
            "that by 2028 shore power will cover 90% of ferry berths.\n")
    ex = extract_text(tmp_path, _page(body, 1, [_U1] * 2))
    pol = _policies(ex)["Rules for Example Shore Power at Ferry Berths"]
    assert _agencies(ex, pol) == {"Ministry of Transport", "National Energy Administration"}


def test_together_with_before_the_issue_verb(tmp_path: Path) -> None:
    body = ("Ferries get rules for shore power.\n\n"
            "The Ministry of Transport, together with the National Energy Administration, issued the Notice on\n"
            "Example Shore Power at Ferry Berths. By 2028, shore power will cover 90% of ferry berths.\n")
    ex = extract_text(tmp_path, _page(body, 1, [_U1] * 2))
    pol = _policies(ex)["Notice on Example Shore Power at Ferry Berths"]
    assert _agencies(ex, pol) == {"Ministry of Transport", "National Energy Administration"}


@pytest.mark.parametrize("issuer", [
    "The Ministry of Transport, together with relevant departments,",
    "The Ministry of Transport together with other departments",
    "The Ministry of Transport, along with local transport bureaus,",
])
def test_together_with_unnamed_bodies_adds_no_issuer(tmp_path: Path, issuer: str) -> None:
    body = ("Ferries get rules for shore power.\n\n"
            f"{issuer} issued the Notice on Example Shore Power at Ferry Berths. By 2028, shore power\n"
            "will cover 90% of ferry berths.\n")
    ex = extract_text(tmp_path, _page(body, 1, [_U1] * 2))
    pol = _policies(ex)["Notice on Example Shore Power at Ferry Berths"]
    assert _agencies(ex, pol) == {"Ministry of Transport"}
    assert not [w for w in ex.warnings if "minted agency" in w]


# --------------------------------------------------------------------------- 5. two source URLs: the precise date

def _two_link_pdf(out: Path, u1: str, u2: str) -> None:
    """A one-page PDF whose policy title carries two link annotations (one document on two sites)."""
    from reportlab_helpers import FONT, a4_canvas, text_width

    c = a4_canvas(out)
    c.setFont(FONT, 10)
    title = "Action Plan for Electric Ferries in Harbour Towns"
    lines = ["Harbour towns will electrify their ferries.", "",
             f"{title} aims to cut the emissions of ferries. The Plan",
             "proposes that by 2027 the share of electric ferries will reach 65%."]
    y = 780
    for i, line in enumerate(lines):
        c.drawString(72, y, line)
        if i == 2:
            for u in (u1, u2):
                c.linkURL(u, (72, y - 2, 72 + text_width(title), y + 10), relative=0, thickness=0)
        y -= 14
    c.showPage()
    c.save()


@pytest.mark.parametrize(("u1", "u2", "want"), [
    # same year and month: the day of the second copy is the date
    ("https://www.gov.cn/zhengce/zhengceku/202703/content_7001.htm",
     "https://xxgk.mot.gov.cn/2027/jigou/t20270315_3912.html", "2027-03-15"),
    ("https://xxgk.mot.gov.cn/2027/jigou/t20270315_3912.html",
     "https://www.gov.cn/zhengce/zhengceku/202703/content_7001.htm", "2027-03-15"),
    # the copies disagree on the month: no finer date is read into the first one
    ("https://www.gov.cn/zhengce/zhengceku/202703/content_7001.htm",
     "https://xxgk.mot.gov.cn/2027/jigou/t20270415_3912.html", "2027-03"),
])
def test_two_source_urls_give_the_more_precise_agreeing_date(tmp_path: Path, u1: str, u2: str, want: str) -> None:
    from loaders import extract_document
    from loaders.document import read_document
    from policykg.vocab import Minter

    out = tmp_path / "two.pdf"
    _two_link_pdf(out, u1, u2)
    ex = extract_document(read_document(out), Minter(), _linker())
    pol = _policies(ex)["Action Plan for Electric Ferries in Harbour Towns"]
    assert _urls(ex, pol) == {u1, u2}
    assert _dates(ex, pol) == {want}


@pytest.mark.parametrize(("dates", "want"), [
    (["2027-03", "2027-03-15"], "2027-03-15"),
    (["2027", "2027-03"], "2027-03"),
    (["2027-03-15", "2027-03"], "2027-03-15"),
    (["2027-03", "2027-04-15"], "2027-03"),        # another month: the sites disagree, the first stays
    (["2027-03-15", "2027-03-16"], "2027-03-15"),  # two days: the first stays
    (["2027-03", "2027-03-15", "2027-03-16"], "2027-03-15"),
])
def test_refined_date(dates: list[str], want: str) -> None:
    from rdflib import Literal
    from rdflib.namespace import XSD

    from loaders.emit import refined_date

    types = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}
    assert str(refined_date([Literal(d, datatype=types[len(d)]) for d in dates])) == want
