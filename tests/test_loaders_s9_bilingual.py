"""Loader rules for bilingual bulletins (``loaders/briefing.py``): endnote markers, wrapped titles.

A bilingual bulletin (Chinese title line, then the English title) marks each English title with an endnote
number ("[3]", at the title's end or alone on the next line) whose endnote "[3] https://..." on the last page
gives the policy's source URL. Inputs are invented (titles, URLs and numbers made up); the layout was found on
``tests/hostile_unseen/data/bilingual-bulletin-2025-09-unseen.pdf``, none of whose sentences is used here.
"""

from __future__ import annotations

from pathlib import Path

from loader_helpers import extract_text
from loader_helpers import reference_linker as _linker
from rdflib.namespace import DCTERMS, RDF

from loaders import extract_document
from loaders.briefing import parse_briefing
from loaders.document import read_document
from loaders.quantities import find_quantities
from policykg.vocab import PKG, Minter

GENRES = ["Notice", "Plan", "Action Plan", "Implementation Plan", "Measures", "Work Plan"]

BULLETIN = """Energy Bulletin

1.《关于推进某某示范的通知》

Notice on Advancing Tidal Power Demonstration Projects [1]

Document No.: X〔2024〕7号

2.《某某实施方案》

Implementation Plan for Grid-Side Flexibility Upgrades
[2]

Document No.: Y〔2024〕9号

3.《某省方案》

Work Plan for the Low-Carbon Upgrade of Ports in Fictional Autonomous
Region [3]

Document No.: Z〔2026〕3号

Endnotes

[1] https://example.gov.cn/a/2024-05/06/c_111.htm

[2] https://example.gov.cn/b/202405/t20240509_222.html

[3] https://example.gov.cn/c/2024/5/12/art_333.html
"""


def _policies(text: str):
    return parse_briefing(text, GENRES).policies


def test_endnote_marker_is_no_part_of_the_title() -> None:
    titles = [e.title for e in _policies(BULLETIN)]
    assert titles[:2] == ["Notice on Advancing Tidal Power Demonstration Projects",
                          "Implementation Plan for Grid-Side Flexibility Upgrades"]


def test_endnote_marker_title_span_excludes_marker() -> None:
    e = _policies(BULLETIN)[0]
    assert BULLETIN[e.title_span[0]:e.title_span[1]] == e.title


def test_endnote_gives_the_source_url_of_the_marked_policy() -> None:
    urls = [e.urls for e in _policies(BULLETIN)]
    assert urls == [["https://example.gov.cn/a/2024-05/06/c_111.htm"],
                    ["https://example.gov.cn/b/202405/t20240509_222.html"],
                    ["https://example.gov.cn/c/2024/5/12/art_333.html"]]


def test_title_wrapped_before_its_marker_continues() -> None:
    e = _policies(BULLETIN)[2]
    assert e.title == "Work Plan for the Low-Carbon Upgrade of Ports in Fictional Autonomous Region"
    assert not any(p.logical.startswith("Region") for p in e.parts)


def test_precision_bracketed_number_inside_prose_is_kept_and_links_nothing() -> None:
    text = ("Notice on Advancing Tidal Power Demonstration Projects\n\n"
            "The notice cites earlier studies [4] and asks for reports by 2026.\n\n"
            "Notes\n\n[4] https://example.org/study.html\n")
    es = _policies(text)
    assert [e.title for e in es] == ["Notice on Advancing Tidal Power Demonstration Projects"]
    assert es[0].urls == []


def test_precision_marker_without_endnote_links_nothing() -> None:
    text = "Notice on Advancing Tidal Power Demonstration Projects [7]\n\nThe notice asks for reports.\n"
    es = _policies(text)
    assert es[0].title == "Notice on Advancing Tidal Power Demonstration Projects"
    assert es[0].urls == []


# --------------------------------------------------------------------------- Chinese field lines, targets, issuers

KEY_POINTS = """Energy Bulletin

1.《关于推进某某示范的通知》

Notice on Advancing Tidal Power Demonstration Projects [1]

文号/Document No.: X〔2024〕7号

发布机关：国家能源局、生态环境部，2024年5月6日发布。/Issued by the NEA and the MEE on 6 May 2024.

主要目标/Key targets:

• 到2028年，潮汐电站装机规模达到3亿千瓦以上；

by 2028, tidal power capacity above 300 GW.

• 到2029年，示范项目达到12个；

by 2029, 12 demonstration projects.

2.《某某行动方案》

Work Plan for Cleaner Ferries [2]

发布机关：交通运输部等四部门，2024年5月9日发布。

主要目标/Key targets:

• 到2030年，电动渡轮占比不低于40%；

Endnotes

[1] https://example.gov.cn/a/2024-05/06/c_111.htm

[2] https://example.gov.cn/b/202405/t20240509_222.html
"""


def _extract(tmp_path: Path, text: str):
    return extract_text(tmp_path, text, "bulletin.txt")


def _policy(g, title_part: str):
    return next(pol for pol in g.subjects(RDF.type, PKG.Policy)
                if any(title_part in str(t) for t in g.objects(pol, DCTERMS.title)))


def _targets(g, pol) -> list[tuple[int | None, float | None]]:
    out = []
    for t in g.objects(pol, PKG.setsTarget):
        y = g.value(t, PKG.targetYear)
        v = g.value(t, PKG.normalizedValue)
        out.append((int(str(y)[:4]) if y is not None else None, float(v) if v is not None else None))
    return sorted(out, key=lambda x: (x[0] or 0, x[1] or 0))


def test_chinese_field_lines_and_bullets_stay_with_the_policy() -> None:
    e = parse_briefing(KEY_POINTS, GENRES).policies[0]
    logicals = [p.logical for p in e.parts]
    assert any(x.startswith("发布机关") for x in logicals)
    assert any(x.startswith("主要目标") for x in logicals)
    assert "by 2029, 12 demonstration projects." in logicals
    assert any(p.bullet and p.logical.startswith("到2029年") for p in e.parts)


def test_chinese_target_and_its_translation_give_one_target(tmp_path: Path) -> None:
    g = _extract(tmp_path, KEY_POINTS).graph
    pol = _policy(g, "Tidal Power")
    assert _targets(g, pol) == [(2028, 3e11), (2029, 12.0)]


def test_chinese_target_without_translation_is_read(tmp_path: Path) -> None:
    g = _extract(tmp_path, KEY_POINTS).graph
    pol = _policy(g, "Cleaner Ferries")
    assert _targets(g, pol) == [(2030, 40.0)]


def test_chinese_issuer_line_resolves_chinese_labels(tmp_path: Path) -> None:
    g = _extract(tmp_path, KEY_POINTS).graph
    got = {_linker().agency(a).pref_label for a in g.objects(_policy(g, "Tidal Power"), PKG.issuedBy)}
    assert got == {"National Energy Administration", "Ministry of Ecology and Environment"}


def test_chinese_issuer_and_n_other_departments_names_the_lead_agency(tmp_path: Path) -> None:
    g = _extract(tmp_path, KEY_POINTS).graph
    got = {_linker().agency(a).pref_label for a in g.objects(_policy(g, "Cleaner Ferries"), PKG.issuedBy)
           if _linker().agency(a) is not None}
    assert "Ministry of Transport" in got


def test_resolve_agency_by_chinese_label_precision() -> None:
    lk = _linker()
    assert lk.resolve_agency("国家能源局") == lk.resolve_agency("National Energy Administration")
    assert lk.resolve_agency("某某虚构局") is None
    assert lk.resolve_agency("国家能源") is None  # a label is matched whole, never a prefix


def test_endnote_marker_is_no_quantity() -> None:
    assert find_quantities("Notice on Tidal Power [3]") == []
    assert [float(q.value) for q in find_quantities("a capacity of 30 GW [4] by 2030")][:1] == [30.0]
    assert [float(q.value) for q in find_quantities("[ 12 units ]")] == [12.0]


def test_precision_english_bullets_are_both_read(tmp_path: Path) -> None:
    text = ("Notice on Advancing Tidal Power Demonstration Projects\n\nKey targets:\n\n"
            "• Tidal power capacity above 300 GW by 2028;\n\nby 2029, 12 demonstration projects.\n")
    g = _extract(tmp_path, text).graph
    assert _targets(g, _policy(g, "Tidal Power")) == [(2028, 3e11), (2029, 12.0)]


def test_precision_chinese_prose_colon_is_no_field_line() -> None:
    from loaders.briefing import _ZH_FIELD, _ZH_ISSUER_FIELD
    assert _ZH_FIELD.match("通知指出：各地要加快示范。") is None
    assert _ZH_FIELD.match("主要目标/Key targets:") is not None
    assert _ZH_ISSUER_FIELD.match("通知指出：国家能源局，2024年5月6日发布。") is None


def test_bilingual_line_gives_one_provision_from_its_english_half(tmp_path: Path) -> None:
    text = ("Notice on Advancing Tidal Power Demonstration Projects [1]\n\n"
            "发布机关：国家能源局，2024年5月6日发布。\n\n"
            "其他规定：单个项目补贴不超过300万元。/ Other provisions: the subsidy per project is capped at "
            "3 million yuan.\n")
    g = _extract(tmp_path, text).graph
    pol = _policy(g, "Tidal Power")
    provs = list(g.objects(pol, PKG.hasProvision))
    assert len(provs) == 1
    assert not list(g.objects(pol, PKG.setsTarget))


def test_precision_slash_inside_english_keeps_both_halves() -> None:
    from loaders.emit import _chinese_half
    assert _chinese_half("Targets: 30 GW by 2027; / 40 GW by 2030.") == 0
    assert _chinese_half("其他规定：不超过5%。/ Other provisions: at most 5%.") > 0
    assert _chinese_half("其他规定：不超过5%。/ 其他：最多5%。") == 0


# --------------------------------------------------------------------------- newsletter notes (Markdown as text)

NEWSLETTER = """The Fictional Power Letter

National

1. Tidal pilots. The slow one. On Mar 3 the National Energy Administration issued the Notice on Tidal Power Pilot Zones. Key numbers:

• By 2029, tidal capacity should exceed 2 GW.

2. Heating. Two days later (Mar 5) the Ministry of Finance and the NEA issued the Work Plan for Solar Heating in Mountain Towns. Two targets stand out:

• By 2029, solar heating covers 40% of mountain towns.

3. Lamps. Last Tuesday the Ministry of Finance put out the Notice on Efficient Street Lamps in County Towns.

Provinces

Hainan. The Hainan Provincial Development and Reform Commission released the Hainan Province Action Plan for Electric Ferries:

• Targets for 2028:

• electric ferries above 120

• charging berths more than 40

Yunnan. Published Mar 9 by the Yunnan Provincial People's Government: the Yunnan Province Work Plan for Rural Biogas (https://example.gov.cn/yn/biogas.html).

Gansu. The Gansu Provincial Development and Reform Commission issued Gansu Measures for Desert Solar Parks on Mar 11:

• about 30 parks by 2030
"""


def _news_policies():
    return {e.title: e for e in parse_briefing(NEWSLETTER, GENRES + ["Action Plan"]).policies}


def test_issuer_lead_in_with_a_day_without_year_or_a_relative_time_is_cut() -> None:
    es = _news_policies()
    assert es["Notice on Tidal Power Pilot Zones"].issuer == "National Energy Administration"
    assert es["Work Plan for Solar Heating in Mountain Towns"].issuer == "Ministry of Finance and the NEA"


def test_put_out_is_an_issue_verb_and_last_weekday_is_a_lead_in() -> None:
    assert _news_policies()["Notice on Efficient Street Lamps in County Towns"].issuer == "Ministry of Finance"


def test_published_by_heading_gives_issuer_and_title_without_determiner() -> None:
    e = _news_policies()["Yunnan Province Work Plan for Rural Biogas"]
    assert e.issuer == "Yunnan Provincial People's Government"


def test_title_stops_before_a_day_without_year() -> None:
    assert "Gansu Measures for Desert Solar Parks" in _news_policies()


def test_every_note_is_a_policy_and_nested_lowercase_items_are_bullets() -> None:
    es = _news_policies()
    assert len(es) == 6
    hainan = es["Hainan Province Action Plan for Electric Ferries"]
    items = [p.logical for p in hainan.parts if p.bullet]
    assert items == ["Targets for 2028:", "electric ferries above 120", "charging berths more than 40"]


def test_nested_items_take_their_parents_year_and_a_count_of_targets_is_none(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text(NEWSLETTER, encoding="utf-8")
    g = extract_document(read_document(path), Minter(), _linker()).graph
    assert _targets(g, _policy(g, "Electric Ferries")) == [(2028, 40.0), (2028, 120.0)]
    assert _targets(g, _policy(g, "Solar Heating")) == [(2029, 40.0)]


def test_precision_lead_in_keeps_a_name_that_starts_with_a_month_word() -> None:
    from loaders.briefing import _issuer_phrase
    assert _issuer_phrase("The National Energy Administration")[0] == "National Energy Administration"
    assert _issuer_phrase("On 12 June 2024 the NEA")[0] == "NEA"
    assert _issuer_phrase("Three provinces")[0] == "Three provinces"


def test_precision_wrapped_bullet_continues_in_lower_case() -> None:
    text = ("Notice on Tidal Power Pilot Zones\n\nKey targets:\n\n• By 2029, tidal capacity in the pilot zones of"
            "\n\nthe eastern coast should exceed 2 GW.\n")
    e = parse_briefing(text, GENRES).policies[0]
    assert any("eastern coast" in p.logical for p in e.parts)


# --------------------------------------------------------------------------- bilingual table of policies

TABLE = """Energy Bulletin

No. 序号 | Document 文件 | Issuing body 发布机关 | Date 日期
1 | 关于推进某某示范的通知 Notice on Advancing Tidal Power Demonstration Projects 国能发〔2031〕7号 | 国家能源局 National Energy Administration | 2031年5月6日 6 May 2031
2 | 某某工作方案 Work Plan for Cleaner Ferries 交规划〔2031〕9号 | 交通运输部 Ministry of Transport | 2031年5月9日 9 May 2031

Key points

1.《关于推进某某示范的通知》

Notice on Advancing Tidal Power Demonstration Projects [1]

主要目标/Key targets:

• 到2033年，示范项目达到12个；

by 2033, 12 demonstration projects.

Endnotes

[1] https://example.gov.cn/a/2031-05/06/c_111.htm
"""


def test_bilingual_table_records_are_policies_with_english_cells() -> None:
    es = parse_briefing(TABLE, GENRES).policies
    assert [e.title for e in es] == ["Notice on Advancing Tidal Power Demonstration Projects",
                                     "Work Plan for Cleaner Ferries"]
    assert es[0].issuer == "National Energy Administration"
    assert es[1].table_date is not None and es[1].table_date[0] == "2031-05-09"


def test_bilingual_table_record_and_its_key_points_are_one_policy(tmp_path: Path) -> None:
    es = parse_briefing(TABLE, GENRES).policies
    assert es[0].urls == ["https://example.gov.cn/a/2031-05/06/c_111.htm"]
    g = _extract(tmp_path, TABLE).graph
    assert _targets(g, _policy(g, "Tidal Power")) == [(2033, 12.0)]  # the record's number "1 |" is no count
    assert not list(g.objects(_policy(g, "Cleaner Ferries"), PKG.setsTarget))


def test_precision_english_table_header_roles_unchanged() -> None:
    from loaders.briefing import _column_role
    assert _column_role("Issuing body 发布机关") == "issuer"
    assert _column_role("Policy") == "title"
    assert _column_role("序号") is None


def test_unquoted_reading_list_entry_is_a_report() -> None:
    text = ("Notice on Advancing Tidal Power Demonstration Projects\n\nThe notice asks for reports.\n\n"
            "Worth reading\n\n• Tidal Energy Market Outlook 2031, Fictional Ocean Energy Institute (May 2031): "
            "costs and sites.\n")
    parse = parse_briefing(text, GENRES)
    assert [(r.title, r.publishers) for r in parse.reports] == [
        ("Tidal Energy Market Outlook 2031", ["Fictional Ocean Energy Institute"])]


def test_precision_sentence_with_a_parenthesised_year_is_no_reading_entry() -> None:
    from loaders.briefing import _reading_list_entry
    assert _reading_list_entry("Costs fell sharply, analysts said (2031): see below.") is None
    assert _reading_list_entry("The pattern is clear, as before (2030): more to come.") is None
