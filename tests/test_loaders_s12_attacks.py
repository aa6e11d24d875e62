"""Session 12 attack on the session's new loader rules (tests/test_loaders_s12_rules.py): inputs where a rule did
the wrong thing, each first an ``xfail(strict=True)`` naming what happened and the rule/function (kept as the test's
docstring, "Was a strict xfail: ..."), all fixed since (narrower rules in loaders/); a few tests pin what held. Every title, number and URL here is invented; agency and region names are real (reference data).

Each failing case was compared against the committed loaders (``git show HEAD:loaders/...`` in a temp dir): unless
its reason says "also at HEAD", the committed code did not do the wrong thing.
"""

from __future__ import annotations

import re
from pathlib import Path

from loader_helpers import agency_labels, ccnt_page, extract_text, genre_regex, goal_tuples, policies_by_title

from loaders.briefing import find_titles
from loaders.quantities import find_quantities


def _titles(text: str) -> list[tuple[str, str | None]]:
    return [(t.title, t.issuer) for t in find_titles(text, genre_regex())]


def _norm_units(text: str) -> list[str | None]:
    return [re.split(r"[#/]", str(q.normalized_unit))[-1] if q.normalized_unit else None for q in find_quantities(text)]


def _issuers(tmp_path: Path, body: str, url: str) -> dict[str, set[str]]:
    ex = extract_text(tmp_path, ccnt_page(body, 1, [url] * 2))
    return {t: agency_labels(ex.graph, p) for t, p in policies_by_title(ex.graph).items()}


# --------------------------------------------------------------------------- 1. _means_title

def test_means_title_of_an_old_document_is_no_new_policy() -> None:
    """Was a strict xfail: briefing._means_title: an earlier document the agency acted through ('... through the Notice
    on ... issued in 2021') is read as a new policy with the subject as issuer."""
    assert _titles("The NDRC strengthened its oversight of coal prices through the Notice on Coal Price Regulation "
                   "issued in 2021.") == []


def test_means_title_of_an_achievement_or_a_report() -> None:
    """Was a strict xfail: briefing._means_title: any '<Agency> <verb>ed its <noun> ... through the <Title>' fires,
    also for an achievement or a report ('achieved its goal', 'reported that it had expanded'), not only for the act
    of issuing."""
    assert _titles("The NEA achieved its 2025 storage goal ahead of schedule through the Action Plan for New-Type "
                   "Energy Storage.") == []
    assert _titles("The NEA reported that it had expanded its pilots through the Notice on Green Certificate Trading "
                   "for Enterprises.") == []


def test_means_title_needs_a_body_subject_held() -> None:
    # held: a plural common-noun subject is no issuer
    assert _titles("Local governments increased their investment through the Notice on Rural Grid Upgrading in "
                   "Border Counties.") == []


# --------------------------------------------------------------------------- 2. _appositive_title

def test_appositive_commentary_of_a_news_outlet() -> None:
    """Was a strict xfail: briefing._appositive_title: a noun phrase after the issue verb is taken as a document kind
    whatever it is; a news outlet's commentary becomes a policy issued by Xinhua."""
    assert _titles("Xinhua published a new commentary on the scheme, the Commentary on Green Power Trading "
                   "Rules.") == []


def test_appositive_project_is_no_document() -> None:
    """Was a strict xfail: briefing._appositive_title: 'approved two new projects ..., the Project for ...' reads an
    approved project (no document) as a policy title."""
    assert _titles("The NEA approved two new projects in Gansu, the Project for Gansu Wind Power Base.") == []


def test_appositive_two_titles_are_not_merged() -> None:
    """Was a strict xfail: briefing._appositive_title: 'two new methodologies ..., the Methodology for A and the
    Methodology for B.' comes out as ONE title 'Methodology for A and the Methodology for B'."""
    got = _titles("The MEE published two new methodologies for the CCER scheme, the Methodology for Offshore Wind "
                  "Power and the Methodology for Mangrove Restoration.")
    assert ("Methodology for Offshore Wind Power and the Methodology for Mangrove Restoration", "MEE") not in got
    assert [t for t, _ in got][:1] == ["Methodology for Offshore Wind Power"]


# --------------------------------------------------------------------------- 3. _participial_title

def test_participial_issuer_with_a_date(tmp_path: Path) -> None:
    """Was a strict xfail: briefing._participial_title: the issuer runs to the comma and keeps a date ('NDRC on 1 March
    2024'), which emit cannot resolve: the policy has no pkg:issuedBy."""
    got = _titles("Issued by the NDRC on 1 March 2024, the Notice on Grid Fees for Storage Stations sets fees.")
    assert got == [("Notice on Grid Fees for Storage Stations", "NDRC")]


def test_participial_issuer_with_a_date_in_the_graph(tmp_path: Path) -> None:
    """Was a strict xfail: briefing._participial_title + emit: 'Issued by the NDRC on 1 March 2024, the Notice ...'
    yields a policy with no issuer (the date stays in the issuer phrase)."""
    got = _issuers(tmp_path, "China pushed storage.\n\nIssued by the NDRC on 1 March 2024, the Notice on Grid Fees "
                   "for Storage Stations proposes that by 2028 storage capacity will exceed 20 GW.\n",
                   "https://www.ndrc.gov.cn/2026/t_1.html")
    assert got == {"Notice on Grid Fees for Storage Stations": {"National Development and Reform Commission"}}


# --------------------------------------------------------------------------- 4. _scope_list

def test_scope_list_then_by_the_agency() -> None:
    """Was a strict xfail: briefing._title_run/_scope_list: after a scope list the title no longer stops before 'by the
    <Agency>'; the title swallows the issuer and the issuer is lost."""
    got = _titles("Work Plan for Cutting Emissions (Power, Steel, Cement and Aluminum Smelting Sectors) by the "
                  "Ministry of Ecology and Environment sets caps.")
    assert got == [("Work Plan for Cutting Emissions (Power, Steel, Cement and Aluminum Smelting Sectors)",
                    "Ministry of Ecology and Environment")]


def test_scope_list_of_sectors_and_an_issuer_aside_after_it_held() -> None:
    got = _titles("The Guidelines for Emission Accounting (Power, Steel, Cement and Aluminum Smelting Sectors), "
                  "(MEE, 2024) set rules.")
    assert got[0][0] == "Guidelines for Emission Accounting (Power, Steel, Cement and Aluminum Smelting Sectors)"


# --------------------------------------------------------------------------- 6. co-issuers

SH = ("Shanghai pushed green credit.\n\nThe Work Plan for Green Credit in Shanghai (2026-2027), issued by the {}, "
      "proposes that by 2027\ngreen loans will exceed 3 trillion yuan.\n")
SH_TITLE = "Work Plan for Green Credit in Shanghai (2026-2027)"


def test_three_co_issuers_with_a_level_word(tmp_path: Path) -> None:
    """Was a strict xfail: emit.resolve_issuer/_WITH_SPLIT: a third co-issuer after 'with the municipal <Organ> and the
    <Agency>' makes a piece unresolvable, and the policy loses ALL its issuers (HEAD kept the first)."""
    got = _issuers(tmp_path, SH.format("Shanghai Municipal Development and Reform Commission with the municipal "
                                       "Transport Commission and the Shanghai Municipal Commission of Economy and "
                                       "Informatization"), "https://fgw.sh.gov.cn/2026/t_2.html")
    assert {"Shanghai Municipal Development and Reform Commission",
            "Shanghai Municipal Commission of Economy and Informatization"} <= got[SH_TITLE]


def test_comma_list_with_a_level_word(tmp_path: Path) -> None:
    """Was a strict xfail: briefing._issuer_list_run/emit._resolve_one: in a comma list, 'the municipal <Organ>' in
    second place empties pkg:issuedBy (HEAD kept the first issuer)."""
    got = _issuers(tmp_path, SH.format("Shanghai Municipal Development and Reform Commission, the municipal "
                                       "Transport Commission and the Shanghai Municipal Commission of Economy and "
                                       "Informatization"), "https://fgw.sh.gov.cn/2026/t_2.html")
    assert "Shanghai Municipal Development and Reform Commission" in got[SH_TITLE]


def test_provincial_organ_without_a_province_mints_junk(tmp_path: Path) -> None:
    """Was a strict xfail: emit.resolve_issuer: 'the NEA together with the provincial Energy Bureau' on a national
    policy: the level word has no province, the split fails and the whole phrase is minted as one agency (HEAD:
    National Energy Administration)."""
    got = _issuers(tmp_path, "China pushed storage.\n\nNotice on Grid Fees for Storage Stations, issued by the NEA "
                   "together with the provincial\nEnergy Bureau, proposes that by 2028 storage capacity will exceed "
                   "20 GW.\n", "http://www.nea.gov.cn/2026/t_1.html")
    assert got == {"Notice on Grid Fees for Storage Stations": {"National Energy Administration"}}


def test_provincial_organ_of_a_city_policy_is_its_province_held(tmp_path: Path) -> None:
    got = _issuers(tmp_path, "Zhejiang and Hangzhou pushed green buildings.\n\nWork Plan for Green Buildings in "
                   "Hangzhou (2026-2027), issued by the\nprovincial Department of Housing and Urban-Rural "
                   "Development, proposes that by 2027 green\nbuildings will exceed 90% of new buildings.\n",
                   "http://jst.zj.gov.cn/2026/t_1.html")
    assert got == {"Work Plan for Green Buildings in Hangzhou (2026-2027)":
                   {"Zhejiang Provincial Department of Housing and Urban-Rural Development"}}


def test_with_before_a_non_body_held(tmp_path: Path) -> None:
    got = _issuers(tmp_path, SH.format("Shanghai Municipal Development and Reform Commission with the help of "
                                       "experts"), "https://fgw.sh.gov.cn/2026/t_2.html")
    assert got[SH_TITLE] == {"Shanghai Municipal Development and Reform Commission"}


# --------------------------------------------------------------------------- 7. prices

def test_bare_ton_of_another_subject_keeps_tonne() -> None:
    """Was a strict xfail: quantities._elided_denominators: any bare 'yuan per ton' after a coal price in the same
    sentence takes tce, also a clause with another subject (a carbon price, scrap steel)."""
    assert _norm_units("The subsidy is 200 yuan per ton of standard coal saved, while the carbon price averaged 80 "
                       "yuan per ton.") == ["CNYPerTonneCoalEquivalent", "CNYPerTonne"]
    assert _norm_units("Enterprises saving energy get 200 yuan per ton of standard coal, and scrap steel is bought "
                       "at 2,400 yuan per ton.") == ["CNYPerTonneCoalEquivalent", "CNYPerTonne"]


def test_ton_of_steel_is_not_coal() -> None:
    """Was a strict xfail: quantities._elided_denominators: 'yuan per tonne of steel' (its unit text stops at 'tonne',
    so _BARE_TON_RX matches) takes the coal denominator despite its own 'of steel'."""
    got = _norm_units("Firms in the north get 300 yuan per ton of standard coal saved, and those in the south get "
                      "350 yuan per tonne of steel.")
    assert got == ["CNYPerTonneCoalEquivalent", "CNYPerTonne"]


def test_penalty_per_ton_after_a_coal_reward() -> None:
    """Was a strict xfail: quantities._elided_denominators: a penalty per ton of emissions after a reward per tce is
    read per tce."""
    got = _norm_units("The reward is 200 yuan per ton of standard coal equivalent saved, and the penalty for excess "
                      "emissions is 100 yuan per ton.")
    assert got == ["CNYPerTonneCoalEquivalent", "CNYPerTonne"]


def test_price_units_held() -> None:
    assert _norm_units("a price of 40 yuan per ton of CO2 equivalent") == ["CNYPerTonne"]
    # (since session 32 a volume per hour is a flow, kept as written like a mass per hour: no volume)
    assert _norm_units("a flow of 30 m3/h") == [None]
    got = _norm_units("Firms get 200 yuan per ton of standard coal saved (about 70 yuan per ton of CO2), and 240 "
                      "yuan per ton in the west.")
    assert got[:2] == ["CNYPerTonneCoalEquivalent", "CNYPerTonne"]


# --------------------------------------------------------------------------- 8. provision cues

def test_set_at_of_a_market_outcome() -> None:
    """Was a strict xfail: goal_cues.yaml rule_modals 'sets? the <noun> at': a market outcome ('the latest auction set
    the clearing price at 58 yuan per ton') is read as a provision."""
    assert goal_tuples("The latest auction set the clearing price at 58 yuan per ton.") == []


def test_size_class_statistic_is_no_provision() -> None:
    """Was a strict xfail: goal_cues.yaml undated_threshold_cues '<units> of N MW or above': a statistic about a size
    class ('generated 80% of coal power', 'account for') becomes provisions."""
    assert goal_tuples("Units of 300 MW or above generated 80% of coal power.") == []
    assert goal_tuples("Plants of 20 megawatts or less account for a third of capacity.") == []


def test_scope_clause_does_not_turn_a_target_into_a_provision() -> None:
    """Was a strict xfail: goal_cues.yaml 'appl(y|ies) to ... with ... below N': the scope clause turns the whole
    sentence's undated target ('will be cut by 10%') into a provision (HEAD: target)."""
    got = goal_tuples("Coal use will be cut by 10%, and the standard applies to boilers with a capacity below 35 "
                      "tonnes per hour.")
    assert ("target", None, 10.0) in got


def test_dated_setting_and_capped_permission_stay_targets_held() -> None:
    assert goal_tuples("The Plan sets the installed capacity of storage at 30 GW by the end of 2027.") == [
        ("target", 2027, 30000000000.0)]
    assert goal_tuples("Provinces may add no more than 5 GW of coal power by 2027.") == [
        ("target", 2027, 5000000000.0)]


# --------------------------------------------------------------------------- 9. "ensure that each"

def test_ensure_every_unit_with_a_modifier() -> None:
    """Was a strict xfail: goals._ENSURE_EACH_RX allows at most two words after 'each|every': 'every county in the
    mountain areas has at least one ...' stays a per-entity provision, the dated target is lost."""
    assert goal_tuples("By 2027, the province will ensure that every county in the mountain areas has at least one "
                       "charging station.") == [("target", 2027, 1.0)]


def test_ensure_each_then_a_per_entity_rule() -> None:
    """Was a strict xfail: goals._read_clause: the per-entity cue is searched over the whole clause; a second 'each
    village gets' makes the 'ensure that each county has at least one' target a provision too (also at HEAD)."""
    got = goal_tuples("By 2027, the province will ensure that each county has at least one charging station, and "
                      "each village gets 2 chargers.")
    assert ("target", 2027, 1.0) in got


# --------------------------------------------------------------------------- 10. "all" = 100%

def test_and_in_all_is_the_same_share() -> None:
    """Was a strict xfail: goals._AND_ALL_RX: ', and in|of all <group>' is the SAME share over another whole ('40% of
    new car sales ..., and in all pilot cities'), read as a second 100% target."""
    assert goal_tuples("By 2027, electric vehicles will make up 40% of new car sales in the province, and in all "
                       "pilot cities.") == [("target", 2027, 40.0)]
    assert goal_tuples("By 2030, the market share will reach 50% of sales, and of all exports too.") == [
        ("target", 2030, 50.0)]


def test_and_for_all_of_the_period() -> None:
    """Was a strict xfail: goals._AND_ALL_RX: 'and for all of the period' (a time span, no group) gives a 100% target."""
    assert goal_tuples("By 2025, renewables will supply 50% of new power demand, and for all of the period.") == [
        ("target", 2025, 50.0)]


def test_negated_use_all_is_no_100_percent() -> None:
    """Was a strict xfail: goals._USE_ALL_RX: a negated rule ('cannot|should not|are not allowed to use all of their
    proceeds') is read as a 100% provision, the opposite of what it says."""
    assert goal_tuples("Issuers cannot use all of their proceeds for refinancing.") == []
    assert goal_tuples("Banks should not use all of their funds for coal projects.") == []
    assert goal_tuples("Issuers are not allowed to use all of their proceeds for refinancing.") == []


def test_use_all_in_a_survey_finding() -> None:
    """Was a strict xfail: goals._USE_ALL_RX: a reported finding ('Companies use all of their revenue to repay debt,
    the survey found') becomes a 100% provision."""
    assert goal_tuples("Companies use all of their revenue to repay debt, the survey found.") == []


def test_and_for_all_without_a_share_of_group_held() -> None:
    assert goal_tuples("By 2027, emissions will drop by 20% of the 2020 level, and for all heavy industries.") == [
        ("target", 2027, 20.0)]
