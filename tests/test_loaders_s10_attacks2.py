"""Session 10 precision attacks on the second wave of loader rules (commits 37da6ae and 6be7eaa): OCR'd bullet
glyphs, digit groups split by no-break spaces, participial issuer phrases, "(Source: X)", a target grid written
as text rows, "per tonne of X" intensities, split URL lines, OCR-folded agency names, "2O25" years, "together
with" issuer lists, summary boxes, bylines.

Every input is small and invented, written to ``tmp_path`` and read through the public entry point
(:func:`loaders.extract`) or the module function the rule lives in. A strict xfail is a defect found (content
read right before the session and lost or corrupted now, or a fact invented); its reason names the cause and a
fix. An unmarked test is an attack that held. "Before" behaviour quoted in a reason was measured on 399d77a.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from loader_helpers import assert_linear, policies_by_title, year_values
from loader_helpers import reference_linker as _linker
from rdflib import URIRef

from loaders import extract
from loaders.goals import find_goals
from loaders.linking import OCR_MIN_CHARS, normalize_name, ocr_fold
from loaders.quantities import find_quantities
from policykg.vocab import PKG, Minter

HEAD = "Energy Digest\n\nMarch 2025\n\n"
LEAD = ("On 3 March 2025 the National Energy Administration issued the Notice on Example Tidal Piers. "
        "It sets goals.\n\n- By 2027, example piers should number 40.\n")
TITLE = "Notice on Example Tidal Piers"


def _extract(tmp_path: Path, text: str, name: str = "digest.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return extract(p, Minter()).graph


_policies = policies_by_title


def _issuers(g, pol) -> set[str]:
    return {str(a).rsplit("/", 1)[-1] for a in g.objects(pol, PKG.issuedBy)}


_targets = year_values


def _sources(g, pol) -> set[str]:
    return {str(u) for u in g.objects(pol, PKG.sourceURL)}


# =========================================================================== defects (strict xfails until fixed)

@pytest.mark.parametrize("tail", [
    "Coal output rose 3% last year (Source: National Bureau of Statistics)",
    "Coal output rose 3% last year. (Source: National Bureau of Statistics)",
])
def test_source_of_a_statistic_is_no_issuer(tmp_path: Path, tail: str) -> None:
    g = _extract(tmp_path, HEAD + "On 3 March 2025 the National Energy Administration issued the Notice on Example "
                 f"Tidal Piers. By 2027, example piers should number 40. {tail}\n")
    assert _issuers(g, _policies(g)[TITLE]) == {"nea"}


def test_news_outlet_in_participial_phrase_is_no_issuer(tmp_path: Path) -> None:
    g = _extract(tmp_path, HEAD + f"{TITLE}\n\nThe notice targets piers. Published by Xinhua News Agency, the "
                 "Notice sets goals: by 2027, example piers should number 40.\n")
    pols = _policies(g)
    assert TITLE in pols
    assert not any("xinhua" in a for a in _issuers(g, pols[TITLE]))


def test_per_tonne_in_a_relative_clause_is_no_intensity() -> None:
    goals = [(g.value, g.unit_text) for g in find_goals(
        "By 2027, the capacity of steel plants whose emissions per tonne of steel exceed the benchmark will be cut "
        "by 30 million tonnes.") if g.value is not None]
    assert goals and all("per" not in (u or "") for _, u in goals)


def test_statistics_grid_of_past_years_gives_no_targets(tmp_path: Path) -> None:
    g = _extract(tmp_path, HEAD + LEAD + "\nTable 1: Progress towards the 2025 targets\nIndicator 2022 2023\n"
                 "Wind capacity (GW) 365 441\nSolar capacity (GW) 393 609\n")
    assert _targets(g, _policies(g)[TITLE]) == [(2027, 40.0)]


def test_analysts_forecast_after_bullets_is_no_goal_of_the_policy(tmp_path: Path) -> None:
    g = _extract(tmp_path, HEAD + LEAD + "\nBy 2030, analysts expect national coal use to fall by 10%, a report by "
                 "Example Think Tank said.\n")
    assert _targets(g, _policies(g)[TITLE]) == [(2027, 40.0)]


def test_byline_of_another_agency_adds_no_coissuer(tmp_path: Path) -> None:
    g = _extract(tmp_path, HEAD + "National Development and Reform Commission | 2025-03-21\n\nOfficials explain pier "
                 "rules\n\nThe Ministry of Ecology and Environment issued the Notice on Example Tidal Piers. By 2027, "
                 "example piers should number 40.\n")
    assert _issuers(g, _policies(g)[TITLE]) == {"mee"}


def test_inanimate_plural_before_plan_keeps_the_title(tmp_path: Path) -> None:
    g = _extract(tmp_path, HEAD + "Public buildings plan to cut carbon in Example City\n\nThe Example City Housing "
                 "Bureau issued the plan on 3 March 2025. By 2027, example buildings should number 40.\n")
    pols = _policies(g)
    assert "Public buildings plan to cut carbon in Example City" in pols
    assert _targets(g, pols["Public buildings plan to cut carbon in Example City"]) == [(2027, 40.0)]


def test_interpretation_link_does_not_refine_the_issue_date(tmp_path: Path) -> None:
    g = _extract(tmp_path, HEAD + "The Guizhou Provincial People's Government issued the Implementation Plan for "
                 "Example Mountain Wind Farms. By 2027, mountain wind capacity will reach 9 GW.\n"
                 "Source: https://www.guizhou.gov.cn/zwgk/zcwj/202408/content_6968.htm\n"
                 "Interpretation: https://fgw.guizhou.gov.cn/zcjd/202408/t20240830_139.html\n")
    pol = _policies(g)["Implementation Plan for Example Mountain Wind Farms"]
    assert str(g.value(pol, PKG.publicationDate)) == "2024-08"


# =========================================================================== attacks that held

def test_ocr_year_in_a_table_reference_invents_no_goal() -> None:
    got = [(g.target_year, float(g.value)) for g in find_goals(
        "Units listed in 2O25 Annex Table must cut emissions by 5% by 2027.") if g.value is not None]
    assert got == [(2027, 5.0)]  # before the session: also an invented (2027, 2.0) from "2O25"



def _page(body: str, n: int, urls: list[str]) -> str:
    """One CCNT page as its PDF's text comes out (as tests/test_loaders_s10_ccnt.py writes it)."""
    return f" {body}\n\nPolicy Tracker | {n}\n\n\n" + "".join(u + "\n" for u in urls)


def test_news_link_before_the_policies_stays_off_them_with_prose_after(tmp_path: Path) -> None:
    """Surplus link of news BEFORE the policies, and link-less prose after the last one (surplus_last is set):
    the links of one host give no hint, yet each policy keeps its own link."""
    page = _page("International Cooperation\n\n"
                 "China and Example Land released the Joint Statement on Example Coastal Cooperation, agreeing to\n"
                 "share data on coastal wind resources and to hold a dialogue every year.\n\n"
                 "Guizhou and Hunan publish plans.\n\n"
                 "Guizhou Province issued the Implementation Plan for Example Mountain Wind Farms in Guizhou\n"
                 "Province. It proposes that by 2027 mountain wind capacity will reach 9 GW.\n\n"
                 "Hunan Province issued the Work Plan for Example River Barges in Hunan. By 2026, electric barges\n"
                 "will reach 300.\n\n"
                 "More provinces are expected to follow with plans of their own later this year.\n", 3,
                 [f"https://www.gov.cn/zhengce/202705/content_700{i}.htm" for i in (1, 2, 3)])
    g = _extract(tmp_path, page, "ccnt.txt")
    pols = _policies(g)
    assert _sources(g, pols["Implementation Plan for Example Mountain Wind Farms in Guizhou Province"]) == {
        "https://www.gov.cn/zhengce/202705/content_7002.htm"}
    assert _sources(g, pols["Work Plan for Example River Barges in Hunan"]) == {
        "https://www.gov.cn/zhengce/202705/content_7003.htm"}


def test_ligature_title_reads_letters_and_evidence_quotes_the_glyph(tmp_path: Path) -> None:
    g = _extract(tmp_path, HEAD + "On 3 March 2025 the National Energy Administration issued the Notice on "
                 "E\ufb03ciency of Example Tidal Piers. It sets goals.\n\n- By 2027, example piers should number 40.\n")
    assert "Notice on Efficiency of Example Tidal Piers" in _policies(g)
    exact = {str(o) for o in g.objects(None, URIRef("http://www.w3.org/ns/oa#exact"))}
    assert "Notice on E\ufb03ciency of Example Tidal Piers" in exact



def test_target_grid_rows_still_read(tmp_path: Path) -> None:
    """The rule's own case (control for the defect above): future years under a target caption are targets."""
    g = _extract(tmp_path, HEAD + LEAD + "\nTable 1: Targets of the Notice\nIndicator 2026 2028\n"
                 "Wind capacity (GW) 365 441\n")
    years = {y for y, _ in _targets(g, _policies(g)[TITLE])}
    assert {2026, 2028} <= years


def test_degree_celsius_is_a_temperature_not_a_bullet(tmp_path: Path) -> None:
    q = find_quantities("warming held below 1.5 °C by 2030")
    assert [(float(x.value), x.kind) for x in q][:1] == [(1.5, "temperature")]
    g = _extract(tmp_path, HEAD + "On 3 March 2025 the National Energy Administration issued the Notice on "
                 "Example Tidal Piers, for\n°C readings at piers. It sets goals.\n\n- By 2027, example piers should "
                 "number 40.\n")
    assert _issuers(g, _policies(g)[TITLE]) == {"nea"}


def test_french_quotes_at_a_line_start_keep_the_policy(tmp_path: Path) -> None:
    g = _extract(tmp_path, HEAD + "On 3 March 2025 the National Energy Administration issued the\n"
                 "« Notice on Example Tidal Piers », which sets goals.\n\n- By 2027, example piers should number 40.\n")
    pols = _policies(g)
    assert TITLE in pols and _issuers(g, pols[TITLE]) == {"nea"}
    assert _targets(g, pols[TITLE]) == [(2027, 40.0)]


def test_copyright_footer_is_no_policy_item(tmp_path: Path) -> None:
    g = _extract(tmp_path, HEAD + LEAD + "\n© 2025 Example Tracker. All rights reserved.\n")
    pols = _policies(g)
    assert set(pols) == {TITLE} and _issuers(g, pols[TITLE]) == {"nea"}


@pytest.mark.parametrize("sep", ["\u00a0", "\u202f", "\u2009"])
def test_list_of_years_split_by_no_break_spaces_is_not_one_number(sep: str) -> None:
    text = f"capacity grew in the years 2025{sep}2026{sep}2027 at pace"
    assert all(x.value < 10000 for x in find_quantities(text))
    assert [float(x.value) for x in find_quantities(f"reach 1{sep}800 GW by 2030")] == [1800.0]


def test_summary_item_sharing_words_with_another_policy_stays_apart(tmp_path: Path) -> None:
    g = _extract(tmp_path, HEAD + "Key Policies\n• NEA: Notice on Example Tidal Piers – piers above 40\n"
                 "• MEE: Plan for Example Wetlands – wetlands above 30\n\n"
                 "On 3 March 2025 the Ministry of Ecology and Environment issued the Plan for Example Wetlands. "
                 "By 2027, example wetlands should number 30.\n\n"
                 "On 4 March 2025 the State Council issued the Notice on Example Tidal Piers Pilots. "
                 "By 2026, pilots should number 5.\n")
    pols = _policies(g)
    assert {TITLE, "Plan for Example Wetlands", "Notice on Example Tidal Piers Pilots"} <= set(pols)
    assert _issuers(g, pols[TITLE]) == {"nea"}
    assert _issuers(g, pols["Notice on Example Tidal Piers Pilots"]) == {"state-council"}


def test_news_byline_over_a_headline_gives_no_issuer(tmp_path: Path) -> None:
    g = _extract(tmp_path, HEAD + "Reuters | 2025-05-21\n\nProvinces race to build piers\n\n"
                 "The Notice on Example Tidal Piers sets goals: by 2027, example piers should number 40.\n")
    assert _issuers(g, _policies(g)[TITLE]) == set()


def test_together_with_between_a_policy_and_its_annex(tmp_path: Path) -> None:
    g = _extract(tmp_path, HEAD + "On 3 March 2025 the Ministry of Ecology and Environment issued the Notice on "
                 "Example Tidal Piers together with the Annex on Monitoring Methods. By 2027, example piers should "
                 "number 40.\n")
    assert _issuers(g, _policies(g)[TITLE]) == {"mee"}


def test_together_with_between_two_agencies_lists_both(tmp_path: Path) -> None:
    g = _extract(tmp_path, HEAD + "On 3 March 2025 the Ministry of Ecology and Environment together with the "
                 "National Energy Administration issued the Notice on Example Tidal Piers. By 2027, example piers "
                 "should number 40.\n")
    assert _issuers(g, _policies(g)[TITLE]) == {"mee", "nea"}


def test_2o25_after_to_in_a_product_name_invents_no_target(tmp_path: Path) -> None:
    g = _extract(tmp_path, HEAD + "On 3 March 2025 the National Energy Administration issued the Notice on "
                 "Example Tidal Piers. Piers must switch to 2O25 standard cables.\n\n- By 2027, example piers "
                 "should number 40.\n")
    assert _targets(g, _policies(g)[TITLE]) == [(2027, 40.0)]


def test_url_line_followed_by_url_like_prose_line(tmp_path: Path) -> None:
    g = _extract(tmp_path, HEAD + LEAD + "\nSources:\nhttps://www.nea.gov.cn/20250303/abc/c.html\n"
                 "www.nea.gov.cn/ 2025 report archive\n")
    assert _sources(g, _policies(g)[TITLE]) == {"https://www.nea.gov.cn/20250303/abc/c.html"}


def test_no_two_reference_agencies_collide_when_ocr_folded() -> None:
    """Distinct labels of distinct agencies (16+ characters) never fold to one key: an OCR-folded name cannot
    pick the wrong agency. (Homonym cities share a label already and are refused before folding.)"""
    by_fold: dict[str, set[tuple[str, str]]] = {}
    for key, cands in _linker()._agency_by_label.items():
        for c in cands:
            by_fold.setdefault(ocr_fold(key)[0], set()).add((key, str(c)))
    clashes = [f for f, s in by_fold.items() if len(f) >= OCR_MIN_CHARS
               and len({k for k, _ in s}) > 1 and len({c for _, c in s}) > 1]
    assert clashes == []
    assert _linker().resolve_agency(normalize_name("National Energy Adrninistration")) is not None


@pytest.mark.parametrize("make, size", [
    (lambda n: "".join(f"On 3 March 2025 the National Energy Administration issued the Notice on Example Pier Group "
                       f"{i}. By 2027, piers should number {i}. (Source: Ministry of Ecology and Environment)\n\n"
                       for i in range(n)), 600),
    (lambda n: "Notice on Example Tidal Piers\n\nIssued by the " + "A, " * n + "the Notice sets goals.\n", 30000),
    (lambda n: "Table 1: targets\nIndicator 2024 2027\n" + "".join(f"Row label {i} 1\u00a0100 2\u00a0500\n"
                                                                    for i in range(n)), 3000),
    (lambda n: "https://www.nea.gov.cn/a/ " + "1" * n + "\n", 100000),
    (lambda n: "in 2O25 " * n, 12000),
    (lambda n: "Nati0nal Energy Adrninistratlon " * n, 3000),
    (lambda n: "« " * n, 50000),
], ids=["source-notes", "participial", "spaced-grid", "split-url", "ocr-years", "ocr-agencies", "quotes"])
def test_100kb_inputs_load_in_seconds(tmp_path: Path, make, size: int) -> None:
    assert_linear(lambda body: _extract(tmp_path, HEAD + body), make, size)


# =========================================================================== must-not tests of the fixes above

@pytest.mark.parametrize("tail", [
    "It takes effect on 1 July 2025. (Source: Ministry of Ecology and Environment)",
    "By 2027, pier emissions will fall by 5% (Source: Ministry of Ecology and Environment)",
])
def test_source_note_after_a_date_or_a_goal_still_names_the_issuer(tmp_path: Path, tail: str) -> None:
    """The statistic guard refuses only a measured figure (a past verb of change, no goal cue)."""
    g = _extract(tmp_path, HEAD + f"Notice on Example Tidal Piers sets goals for piers. {tail}\n")
    assert _issuers(g, _policies(g)[TITLE]) == {"mee"}


def test_participial_publisher_that_is_an_agency_stays_the_issuer(tmp_path: Path) -> None:
    g = _extract(tmp_path, HEAD + f"{TITLE}\n\nThe notice targets piers. Published by the Ministry of Ecology and "
                 "Environment, the Notice sets goals: by 2027, example piers should number 40.\n")
    assert _issuers(g, _policies(g)[TITLE]) == {"mee"}


def test_agency_with_a_media_word_in_its_name_stays_a_participial_issuer() -> None:
    import re

    from loaders.briefing import participial_issuer

    got = participial_issuer("Issued by the National Radio and Television Administration, the Notice sets goals.",
                             re.compile("Notice"))
    assert got is not None and got[0] == "National Radio and Television Administration"


def test_per_tonne_in_the_head_noun_phrase_is_still_an_intensity() -> None:
    goals = [(float(g.value), g.unit_text) for g in find_goals(
        "By 2027, coal use per tonne of cement, which plants report each year, will be cut to 100 kilograms.")
        if g.value is not None]
    assert goals == [(100.0, "kilograms per tonne")]


def test_target_grid_with_years_after_the_captions_year_still_reads(tmp_path: Path) -> None:
    g = _extract(tmp_path, HEAD + LEAD + "\nTable 1: Targets for 2026 and 2028\nIndicator 2026 2028\n"
                 "Wind capacity (GW) 365 441\n")
    assert {2026, 2028} <= {y for y, _ in _targets(g, _policies(g)[TITLE])}


def test_outturn_grid_caption_without_year_gives_no_targets(tmp_path: Path) -> None:
    g = _extract(tmp_path, HEAD + LEAD + "\nTable 1: Progress on targets so far\nIndicator 2022 2023\n"
                 "Wind capacity (GW) 365 441\n")
    assert _targets(g, _policies(g)[TITLE]) == [(2027, 40.0)]


def test_closing_goal_after_bullets_without_attribution_is_still_read(tmp_path: Path) -> None:
    g = _extract(tmp_path, HEAD + LEAD + "\nBy 2030, example piers will number 60.\n")
    assert (2030, 60.0) in _targets(g, _policies(g)[TITLE])


@pytest.mark.parametrize("byline,lead", [
    ("NDRC, MEE", "The Ministry of Ecology and Environment issued the Notice on Example Tidal Piers."),
    ("National Development and Reform Commission",
     "The Ministry of Ecology and Environment jointly issued the Notice on Example Tidal Piers."),
])
def test_byline_naming_the_issuer_or_a_joint_lead_still_adds_coissuers(tmp_path: Path, byline: str,
                                                                        lead: str) -> None:
    g = _extract(tmp_path, HEAD + f"{byline} | 2025-03-21\n\nOfficials explain pier rules\n\n{lead} By 2027, "
                 "example piers should number 40.\n")
    assert _issuers(g, _policies(g)[TITLE]) == {"mee", "ndrc"}


@pytest.mark.parametrize("headline", ["Several cities plan to add example piers in 2027",
                                      "Provinces plan to add example piers in 2027"])
def test_agent_subject_before_plan_is_still_a_headline(headline: str) -> None:
    from loaders.briefing import find_titles

    got = find_titles(headline + ".", ["Plan", "Notice"])
    assert [t.title for t in got] == []


def test_unlabelled_second_link_still_refines_the_date(tmp_path: Path) -> None:
    g = _extract(tmp_path, HEAD + "The Guizhou Provincial People's Government issued the Implementation Plan for "
                 "Example Mountain Wind Farms. By 2027, mountain wind capacity will reach 9 GW.\n"
                 "Source: https://www.guizhou.gov.cn/zwgk/zcwj/202408/content_6968.htm\n"
                 "Source: https://fgw.guizhou.gov.cn/zcjd/202408/t20240830_139.html\n")
    pol = _policies(g)["Implementation Plan for Example Mountain Wind Farms"]
    assert str(g.value(pol, PKG.publicationDate)) == "2024-08-30"
