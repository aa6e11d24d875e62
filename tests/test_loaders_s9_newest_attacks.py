"""Session 9 precision attacks on the newest loader rules (Markdown detection, endnote markers, bilingual
Chinese/English lines, issuer lead-ins, nested bullets, the 0.15 em PDF word gap).

Every input is small and invented. A strict xfail is a defect found (content read right before and lost or
corrupted now, or a fact invented); an unmarked test is an attack that held.
"""

from __future__ import annotations

from pathlib import Path

from loader_helpers import assert_linear, policies_by_title, year_values
from loader_helpers import reference_linker as _linker
from rdflib.namespace import RDF

from loaders import extract_document
from loaders.document import read_document
from policykg.vocab import PKG, Minter


def _read(tmp_path: Path, name: str, text: str):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    doc = read_document(p)
    return doc, extract_document(doc, Minter(), _linker()).graph


_policies = policies_by_title


_targets = year_values


def _issuers(g, pol) -> set[str]:
    return {str(a).rsplit("/", 1)[-1] for a in g.objects(pol, PKG.issuedBy)}


def _sources(g, pol) -> set[str]:
    return {str(u) for u in g.objects(pol, PKG.sourceURL)}


# --------------------------------------------------------------------------- defects (strict xfail)

ZH_THEN_OTHER_FACT = """Energy Bulletin

1.《关于某某示范的通知》

Notice on Advancing Example Geothermal Heating Pilots

发布机关：国家能源局，2025年3月6日发布。

主要目标/Key targets:

• 到2030年，地热供暖面积达到5亿平方米；
"""


def test_chinese_target_followed_by_a_different_english_fact_keeps_both(tmp_path: Path) -> None:
    text = ZH_THEN_OTHER_FACT + "\nin addition, 20 pilot towns will be named by 2027.\n"
    _, g = _read(tmp_path, "bulletin.txt", text)
    pol = _policies(g)["Notice on Advancing Example Geothermal Heating Pilots"]
    assert (2030, 5e8) in _targets(g, pol)
    assert (2027, 20.0) in _targets(g, pol)


def test_chinese_target_alone_is_read(tmp_path: Path) -> None:  # the control of the test above (held)
    _, g = _read(tmp_path, "bulletin.txt", ZH_THEN_OTHER_FACT)
    pol = _policies(g)["Notice on Advancing Example Geothermal Heating Pilots"]
    assert _targets(g, pol) == [(2030, 5e8)]


def test_markdown_reference_style_endnote_number_is_no_part_of_the_title(tmp_path: Path) -> None:
    text = ("# Letter\n\n## National\n\n**1.** The National Energy Administration issued the Notice on Example "
            "Tidal Berths [1].\n\n- By 2028, tidal berths should number 40.\n\n**2.** The Ministry of Transport "
            "issued the Measures for Example Hydrogen Buses [2].\n\n## Notes\n\n"
            "[1]: https://www.nea.gov.cn/a/20250306_6.htm\n[2]: https://www.mot.gov.cn/b/20250307_7.htm\n")
    _, g = _read(tmp_path, "letter.md", text)
    assert set(_policies(g)) == {"Notice on Example Tidal Berths", "Measures for Example Hydrogen Buses"}


def test_lower_case_target_line_under_a_title_is_no_part_of_it(tmp_path: Path) -> None:
    text = ("Energy Notes\n\n1. Notice on Example Solar Parks\n\nby 2028, solar parks above 2 GW [3]\n\n"
            "The National Energy Administration issued the notice.\n")
    _, g = _read(tmp_path, "notes.txt", text)
    pols = _policies(g)
    assert set(pols) == {"Notice on Example Solar Parks"}
    assert _targets(g, pols["Notice on Example Solar Parks"]) == [(2028, 2e9)]


# --------------------------------------------------------------------------- attacks that held

def test_plain_text_with_hash_numbering_and_bold_stars_flipped_to_markdown_keeps_policies(tmp_path: Path) -> None:
    text = ("Weekly Energy Notes\n\n**Note: all figures are provisional.**\n\n# 1\n\n"
            "The National Energy Administration issued the Notice on Widening Example Heat Pump Pilots "
            "(see <https://www.nea.gov.cn/x/20250301_1.htm>).\n\n# 2\n\n"
            "The Ministry of Finance issued the Measures for Example Rural Road Lighting "
            "(source: <https://www.mof.gov.cn/y/20250302_2.htm>).\n\n**Comment:** details are pending.\n")
    doc, g = _read(tmp_path, "notes.txt", text)
    assert doc.kind == "markdown"
    pols = _policies(g)
    assert set(pols) == {"Notice on Widening Example Heat Pump Pilots", "Measures for Example Rural Road Lighting"}
    assert _issuers(g, pols["Notice on Widening Example Heat Pump Pilots"]) == {"nea"}
    assert _sources(g, pols["Measures for Example Rural Road Lighting"]) == {"https://www.mof.gov.cn/y/20250302_2.htm"}


def test_markdown_link_anchor_here_is_no_title(tmp_path: Path) -> None:
    text = ("# Letter\n\nThe National Energy Administration issued the Notice on Expanding Example Wave Energy "
            "Trials. Read it [here](https://www.nea.gov.cn/z/20250303_3.htm).\n\n"
            "- By 2028, wave energy capacity should exceed 4 GW.\n")
    _, g = _read(tmp_path, "letter.md", text)
    pols = _policies(g)
    assert set(pols) == {"Notice on Expanding Example Wave Energy Trials"}
    assert _targets(g, pols["Notice on Expanding Example Wave Energy Trials"]) == [(2028, 4e9)]


def test_year_in_brackets_stays_in_title_and_marker_after_a_target_is_no_amount(tmp_path: Path) -> None:
    text = ("Energy Notes\n\n1. Notice on Example Offshore Wind Grid Links [2025]\n\n"
            "The National Energy Administration issued the notice.\n\n"
            "• By 2028, offshore wind capacity should exceed 2 GW [3]\n")
    _, g = _read(tmp_path, "notes.txt", text)
    pols = _policies(g)
    assert set(pols) == {"Notice on Example Offshore Wind Grid Links [2025]"}
    assert _targets(g, pols["Notice on Example Offshore Wind Grid Links [2025]"]) == [(2028, 2e9)]


def test_endnote_numbers_restarting_per_section_give_no_wrong_source(tmp_path: Path) -> None:
    text = ("Energy Notes\n\nSection A\n\n1. Notice on Example Tidal Berths [1]\n\n"
            "The National Energy Administration issued the notice.\n\n"
            "2. Measures for Example Hydrogen Buses [2]\n\nThe Ministry of Transport issued the measures.\n\n"
            "Sources\n\n[1] https://www.nea.gov.cn/a/20250306_6.htm\n\n[2] https://www.mot.gov.cn/b/20250307_7.htm\n\n"
            "Section B\n\n1. Work Plan for Example Coal Mine Gas Reuse [1]\n\n"
            "The Ministry of Ecology and Environment issued the plan.\n\nSources\n\n"
            "[1] https://www.mee.gov.cn/c/20250308_8.htm\n")
    _, g = _read(tmp_path, "notes.txt", text)
    pols = _policies(g)
    assert _sources(g, pols["Notice on Example Tidal Berths"]) <= {"https://www.nea.gov.cn/a/20250306_6.htm"}
    assert _sources(g, pols["Work Plan for Example Coal Mine Gas Reuse"]) <= {"https://www.mee.gov.cn/c/20250308_8.htm"}
    assert _sources(g, pols["Measures for Example Hydrogen Buses"]) == {"https://www.mot.gov.cn/b/20250307_7.htm"}


def test_citation_markers_in_prose_link_nothing_and_the_title_marker_links_its_endnote(tmp_path: Path) -> None:
    text = ("Energy Notes\n\n1. Notice on Advancing Example Wave Energy Trials [2]\n\n"
            "The National Energy Administration issued the notice, citing earlier studies [1] and a review [2] "
            "of costs.\n\n• By 2028, wave energy capacity should exceed 4 GW.\n\nEndnotes\n\n"
            "[1] https://www.example.org/study/20240101_1.htm\n\n[2] https://www.nea.gov.cn/z/20250303_3.htm\n")
    _, g = _read(tmp_path, "notes.txt", text)
    pols = _policies(g)
    assert set(pols) == {"Notice on Advancing Example Wave Energy Trials"}
    pol = pols["Notice on Advancing Example Wave Energy Trials"]
    assert _sources(g, pol) == {"https://www.nea.gov.cn/z/20250303_3.htm"}
    assert _targets(g, pol) == [(2028, 4e9)]


def _pdf(path: Path, lines: list[tuple[str, int, float, str]]) -> str:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    y = 760
    for font, size, track, line in lines:
        t = c.beginText(72, y)
        t.setFont(font, size)
        t.setCharSpace(track)  # extra space after every glyph, points
        t.textLine(line)
        c.drawText(t)
        y -= 40
    c.showPage()
    c.save()
    return read_document(path).text


def test_pdf_times_roman_and_letter_spaced_heading_keep_their_words(tmp_path: Path) -> None:
    text = _pdf(tmp_path / "a.pdf", [("Helvetica", 10, 2.0, "Notice on Example Information Platforms"),
                                     ("Times-Roman", 11, 0.0, "By 2028, information platforms should cover 30 provinces.")])
    assert "Notice on Example Information Platforms" in text
    assert "By 2028, information platforms should cover 30 provinces." in text


def test_pdf_letter_spaced_sentence_with_digits_keeps_its_words(tmp_path: Path) -> None:
    text = _pdf(tmp_path / "b.pdf",
                [("Times-Roman", 11, 2.0, "By 2028, information platforms should cover 30 provinces.")])
    assert "By 2028, information platforms should cover 30 provinces." in text


def test_large_markdown_and_many_markers_stay_fast(tmp_path: Path) -> None:
    def md(n: int) -> str:
        return "".join(f"- item [{i % 999}] with a [link](https://a.example.org/{i}) and **bold {i}**\n"
                       for i in range(n))

    assert_linear(lambda text: _read(tmp_path, "big.md", text), md, 1500)
    assert_linear(lambda text: _read(tmp_path, "markers.txt", text),
                  lambda n: "Notice on Example Things " + "[1] " * n + "\n", 25_000)


def test_chinese_agency_named_as_a_data_source_is_no_issuer(tmp_path: Path) -> None:
    text = ("Energy Bulletin\n\n1.《某某通知》\n\nNotice on Example Ferry Charging Berths\n\n"
            "The Ministry of Transport issued the notice.\n\n国家能源局数据显示，去年渡轮用电增长了一成。\n")
    _, g = _read(tmp_path, "bulletin.txt", text)
    assert _issuers(g, _policies(g)["Notice on Example Ferry Charging Berths"]) == {"mot"}


def test_table_with_columns_in_another_order_keeps_titles_and_issuers(tmp_path: Path) -> None:
    text = ("Energy Bulletin\n\nNo. | Date | Document | Issuing body\n"
            "1 | 2025-03-06 | Notice on Example Ferry Charging Berths | Ministry of Transport\n"
            "2 | 2025-03-07 | Measures for Example Rural Road Lighting | Ministry of Finance\n")
    _, g = _read(tmp_path, "bulletin.txt", text)
    pols = _policies(g)
    assert set(pols) == {"Notice on Example Ferry Charging Berths", "Measures for Example Rural Road Lighting"}
    assert _issuers(g, pols["Notice on Example Ferry Charging Berths"]) == {"mot"}
    assert _issuers(g, pols["Measures for Example Rural Road Lighting"]) == {"mof"}


def test_nested_bullets_keep_their_own_year_and_achievements_under_a_year_are_no_targets(tmp_path: Path) -> None:
    text = ("Energy Notes\n\n1. Notice on Example Wind Corridors\n\n"
            "The National Energy Administration issued the notice.\n\n"
            "• Targets for 2028:\n  • by 2030, wind capacity above 9 GW\n  • storage above 2 GW\n"
            "• Progress in 2024:\n  • 30 pilot sites were completed\n")
    _, g = _read(tmp_path, "notes.txt", text)
    assert _targets(g, _policies(g)["Notice on Example Wind Corridors"]) == [(2028, 2e9), (2030, 9e9)]


def test_reading_list_shaped_policy_line_stays_a_policy_with_its_target(tmp_path: Path) -> None:
    text = ("Energy Notes\n\n1. Notice on Example Solar Roofs\n\nThe National Energy Administration issued the "
            "notice.\n\n• By 2027, rooftop solar should exceed 3 GW.\n\nAction Plan for Example Village Biogas, "
            "Ministry of Agriculture and Rural Affairs (May 2025): biogas output above 5 billion cubic metres "
            "by 2029.\n")
    _, g = _read(tmp_path, "notes.txt", text)
    assert not list(g.subjects(RDF.type, PKG.Report))
    biogas = [p for t, p in _policies(g).items() if "Village Biogas" in t]
    assert len(biogas) == 1 and _targets(g, biogas[0]) == [(2029, 5e9)]
