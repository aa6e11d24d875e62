"""Session 12: what two more unseen CCNT issues (``ccnt-2023-09-unseen``, ``ccnt-2026-01-unseen``) found, each rule
pinned on small invented inputs with the tests of what it must NOT do.

Rules (module and function named in each section):

1. a title named later in the sentence as the means of the issuer's action: "<Agency> <verb>ed its <object> ...
   through|via the <Title>" (briefing._means_title);
2. a title in apposition to a lower-case object that names its kind: "<Agency> published two new codes for X, the
   Code for ... — <subtitle>." (briefing._appositive_title);
3. a paragraph opening "Issued by the <Agency>, the <Title> ..." (briefing._participial_title);
4. a title's closing scope list "(Power, Steel, Cement and Aluminum Sectors)" is part of it (briefing._scope_list);
5. "<Title> (<Chinese title>), issued by the <Agency>": the issuer after the Chinese name (briefing._find_title);
6. co-issuers "the provincial <Organ> together with the <Agency>", "<Agency> with the municipal <Organ>"
   (briefing._issuer_list_run; emit._resolve_one, emit._WITH_SPLIT, emit._stated_department);
7. prices: "yuan per ton of CO2", "yuan per cubic meter", and "200 yuan per ton of standard coal ..., 240 yuan per
   ton" (quantities._RATE_DENOMS, quantities._elided_denominators);
8. provision cues (``goal_cues.yaml``): "sets the <noun> at <figure>", "may <verb> no more than <figure>", "<projects>
   of 6 MW or less", "applies to <things> with a <property> below <figure>";
9. "one certificate is issued for every 1,000 kWh" counts no "one" (goals._EQUIVALENCE_RX); "to ensure that each
   township has at least one station" is a goal, not a per-entity rule (goals._ENSURE_EACH_RX);
10. "... 72% of urban buses, and for all new buses in key regions": a second goal of 100% (goals._AND_ALL_RX);
    "bonds use all of their proceeds for ..." with no year: a provision of 100% (goals._USE_ALL_RX).

All titles, numbers and URLs here are invented; agency and region names are real (reference data).
"""

from __future__ import annotations

from pathlib import Path

from loader_helpers import agency_labels, ccnt_page, extract_text, genre_regex, goal_tuples, policies_by_title, url_tails

from loaders.briefing import find_titles
from loaders.quantities import find_quantities
from policykg.vocab import PKG


def _titles(text: str) -> list[tuple[str, str | None]]:
    return [(t.title, t.issuer) for t in find_titles(text, genre_regex())]


# --------------------------------------------------------------------------- 1. "through the <Title>"

def test_means_title_after_a_lower_case_object() -> None:
    got = _titles("The Ministry of Finance renewed its green procurement scheme until 2027 through the Notice on "
                  "Continuing Green Procurement for Public Hospitals. Under the scheme, hospitals buy more.")
    assert got == [("Notice on Continuing Green Procurement for Public Hospitals", "Ministry of Finance")]
    got = _titles("The NEA expanded its rural grid programme via the Work Plan for Rural Grid Upgrading in Border "
                  "Counties.")
    assert got == [("Work Plan for Rural Grid Upgrading in Border Counties", "NEA")]


def test_means_title_needs_a_body_as_subject_and_a_full_title() -> None:
    # the subject is no body's name: a statistic, not an issuer
    assert _titles("Emissions dropped sharply in the region through the Action Plan for Clean Air in Northern "
                   "Cities.") == []
    # the subject is a policy: no issuer reads from it
    assert not [t for t in _titles("The Plan extended its coverage through the Notice on Grid Fees for Storage.")
                if t[1] == "Plan"]
    # the genre word alone after "through the" names no title
    assert _titles("The NDRC lowered its tariffs through the Notice.") == []
    # "under the <Title>" is a reference to another document, not the means
    assert _titles("The MIIT expanded its pilot cities under the Action Plan for Smart Grids in Coastal "
                   "Provinces.") == []


def test_means_title_takes_its_own_url_on_a_ccnt_page(tmp_path: Path) -> None:
    page = ccnt_page(
        "Measures for Rewarding Energy-Saving Retrofits in Public Buildings aim to guide owners. The\n"
        "Measures provide that eligible owners will be rewarded at 150 yuan per square meter.\n\n"
        "The People's Bank of China extended its green relending facility to the end of 2027 through\n"
        "the Notice on Extending the Green Relending Facility for Rural Banks. Under the facility, the\n"
        "central bank will provide funding equal to 50% of the principal of eligible loans.\n",
        2, ["http://jjs.mof.gov.cn/2026/t_1.htm"] * 2 + ["http://www.pbc.gov.cn/2026/t_2.html"] * 2)
    ex = extract_text(tmp_path, page)
    pols = policies_by_title(ex.graph)
    notice = pols["Notice on Extending the Green Relending Facility for Rural Banks"]
    measures = pols["Measures for Rewarding Energy-Saving Retrofits in Public Buildings"]
    assert url_tails(ex, notice) == ["t_2.html"]
    assert url_tails(ex, measures) == ["t_1.htm"]
    assert agency_labels(ex.graph, notice) == {"People's Bank of China"}
    # the 50% is the notice's, not the measures' above it
    def values(pol):
        return sorted(float(ex.graph.value(q, PKG.normalizedValue)) for q in ex.graph.objects(pol, PKG.hasProvision))
    assert values(notice) == [50.0]
    assert values(measures) == [150.0]


# --------------------------------------------------------------------------- 2. ", the <Kind> for ..."

def test_appositive_title_named_by_its_kind() -> None:
    got = _titles("The NEA released three new codes for battery storage, the Code for Fire Safety of "
                  "Battery Rooms — Lithium Iron Phosphate Cells. It applies to new stations.")
    assert got == [("Code for Fire Safety of Battery Rooms — Lithium Iron Phosphate Cells", "NEA")]


def test_appositive_title_needs_the_same_kind_and_the_sentence_end() -> None:
    # the title's first word is not the object's kind
    assert _titles("The NEA released three new codes for storage, the Handbook for Fire Safety of Battery "
                   "Rooms.") == []
    # more words after the title: not an apposition that closes the sentence
    assert _titles("The NEA released two new codes for storage, the Code for Fire Safety of Battery Rooms being "
                   "the first.") == []


# --------------------------------------------------------------------------- 3. "Issued by the <Agency>, the <Title>"

def test_participial_title_at_paragraph_start() -> None:
    got = _titles("Issued by the Ministry of Transport, the Administrative Measures for Shore Power at Inland "
                  "Ports set the share of berths at 60%.")
    assert got == [("Administrative Measures for Shore Power at Inland Ports", "Ministry of Transport")]


def test_participial_referent_is_no_title() -> None:
    # ", the Measures set ...": a referent to a title named before, read by participial_issuer, no title here
    assert _titles("Issued by the Ministry of Transport, the Measures set the share of berths at 60%.") == []


# --------------------------------------------------------------------------- 4. a closing scope list

def test_scope_list_stays_in_the_title() -> None:
    got = _titles("Work Plan for Cutting Process Emissions of Heavy Industry (Glass, Paper, Ceramics and Lime "
                  "Sectors) sets caps for four sectors.")
    assert got == [("Work Plan for Cutting Process Emissions of Heavy Industry (Glass, Paper, Ceramics and Lime "
                    "Sectors)", None)]


def test_an_issuer_aside_is_no_scope_list() -> None:
    got = _titles("Work Plan for Cutting Process Emissions of Heavy Industry (NDRC, MIIT and MEE) sets caps.")
    assert got and got[0][0] == "Work Plan for Cutting Process Emissions of Heavy Industry"
    got = _titles("Work Plan for Cutting Process Emissions (Ministry of Finance, Ministry of Commerce and State "
                  "Council) sets caps.")
    assert got and got[0][0] == "Work Plan for Cutting Process Emissions"


# --------------------------------------------------------------------------- 5. issuer after a Chinese title

def test_issuer_after_the_chinese_title() -> None:
    got = _titles("The Guidelines for Building Hydrogen Refuelling Networks (加氢网络建设指南), issued by the "
                  "National Energy Administration and four other departments, propose 500 stations.")
    assert got == [("Guidelines for Building Hydrogen Refuelling Networks", "National Energy Administration")]


def test_no_issuer_after_the_chinese_title_without_by() -> None:
    got = _titles("The Guidelines for Building Hydrogen Refuelling Networks (加氢网络建设指南), published last "
                  "week, propose 500 stations.")
    assert got == [("Guidelines for Building Hydrogen Refuelling Networks", None)]


# --------------------------------------------------------------------------- 6. co-issuers

CO_ISSUER_PAGE = ccnt_page(
    "Guangdong and Shanghai pushed storage and green finance.\n\n"
    "Implementation Plan for New-Type Energy Storage in Guangdong Province (2026-2028), issued by the\n"
    "provincial Energy Bureau together with the Guangdong DRC, proposes that by 2028 storage capacity\n"
    "will exceed 20 GW.\n\n"
    "The Work Plan for Green Credit in Shanghai (2026-2027), issued by the Shanghai Municipal Financial\n"
    "Regulatory Bureau with the municipal Commission of Development and Reform, proposes that by 2027\n"
    "green loans will exceed 3 trillion yuan.\n",
    1, ["http://drc.gd.gov.cn/2026/t_1.html"] * 2 + ["https://jrj.sh.gov.cn/2026/t_2.html"] * 2)


def test_level_word_organ_and_with_co_issuer(tmp_path: Path) -> None:
    ex = extract_text(tmp_path, CO_ISSUER_PAGE)
    pols = policies_by_title(ex.graph)
    gd = pols["Implementation Plan for New-Type Energy Storage in Guangdong Province (2026-2028)"]
    sh = pols["Work Plan for Green Credit in Shanghai (2026-2027)"]
    assert agency_labels(ex.graph, gd) == {"Guangdong Provincial Energy Bureau",
                                           "Guangdong Provincial Development and Reform Commission"}
    assert agency_labels(ex.graph, sh) == {"Shanghai Municipal Financial Regulatory Bureau",
                                           "Shanghai Municipal Development and Reform Commission"}
    # the bureau's own sub-host is the bureau's site, not the city government's
    assert "Shanghai Municipal People's Government" not in agency_labels(ex.graph, sh, PKG.sourceHostedBy)


def test_with_before_a_non_body_is_no_co_issuer() -> None:
    got = _titles("The Work Plan for Green Credit in Shanghai (2026-2027), issued by the Shanghai Municipal "
                  "Financial Regulatory Bureau with strong support, proposes more loans.")
    assert got == [("Work Plan for Green Credit in Shanghai (2026-2027)", "Shanghai Municipal Financial Regulatory "
                    "Bureau")]


# --------------------------------------------------------------------------- 7. prices

def _units(text: str) -> list[tuple[float, str | None, str | None]]:
    return [(float(q.value), q.unit_text, str(q.normalized_unit).rsplit("#", 1)[-1] if q.normalized_unit else None)
            for q in find_quantities(text)]


def test_price_per_ton_of_co2_and_per_cubic_meter() -> None:
    assert _units("a floor price of 40 yuan per ton of CO2") == [(40.0, "yuan per ton of CO2", "CNYPerTonne")]
    assert _units("a subsidy of 0.2 yuan per cubic meter of biogas") == [(0.2, "yuan per cubic meter", None)]


def test_elided_coal_denominator() -> None:
    got = _units("Firms in the north get 300 yuan per ton of standard coal saved, and those in the south 350 yuan "
                 "per ton.")
    assert [u for _, _, u in got] == ["CNYPerTonneCoalEquivalent", "CNYPerTonneCoalEquivalent"]


def test_bare_ton_price_elsewhere_stays_per_tonne() -> None:
    # another sentence: no ellipsis
    got = _units("Firms get 300 yuan per ton of standard coal saved. Scrap steel sells at 350 yuan per ton.")
    assert [u for _, _, u in got] == ["CNYPerTonneCoalEquivalent", "CNYPerTonne"]
    # a price per tonne of CO2 before it gives no coal denominator
    got = _units("Allowances sell at 60 yuan per ton of CO2, and offsets at 30 yuan per ton.")
    assert [u for _, _, u in got] == ["CNYPerTonne", "CNYPerTonne"]


# --------------------------------------------------------------------------- 8. provision cues

def test_set_at_and_may_no_more_than_are_rules() -> None:
    assert goal_tuples("The Measures set the total coal quota at 2.5 million tonnes.") == [
        ("provision", None, 2500000.0)]
    assert goal_tuples("Refiners may carry over no more than 8% of their quotas.") == [("provision", None, 8.0)]


def test_set_up_and_dated_setting_stay_goals() -> None:
    assert goal_tuples("The city set up charging stations at 20 sites.") == []
    assert goal_tuples("By 2028 the province will set the share at 40%.") == [("target", 2028, 40.0)]
    # "may" before a value with no bound: no rule
    assert goal_tuples("Emissions may rise to 9 million tonnes.") == []


def test_size_threshold_and_scope_are_rules() -> None:
    assert goal_tuples("Plants of 20 megawatts or less connected at 35 kV or below are exempt.") == [
        ("provision", None, 20000000.0), ("provision", None, 35000.0)]
    assert goal_tuples("It applies to landfill gas with a methane concentration below 25%.") == [
        ("provision", None, 25.0)]


def test_size_threshold_in_a_dated_goal_stays_a_goal() -> None:
    assert goal_tuples("By 2028, plants of 20 megawatts or more will cut emissions by 10%.") == [
        ("target", 2028, 20000000.0), ("target", 2028, 10.0)]


# --------------------------------------------------------------------------- 9. "one ... is issued for every", "ensure that each"

def test_one_unit_issued_for_every_amount() -> None:
    got = goal_tuples("Under the Rules, one credit is issued for every 500 kWh of eligible green power.")
    assert [v for _, _, v in got] == [500.0]


def test_one_as_an_amount_stays() -> None:
    got = goal_tuples("By 2027, each county will build at least one hydrogen station.")
    assert [v for _, _, v in got] == [1.0]


def test_ensure_each_unit_has_is_a_goal() -> None:
    got = goal_tuples("The Plan proposes to build 5,000 piles by 2027 and to ensure that each village has at "
                      "least two public chargers.", 2026)
    assert got == [("target", 2027, 5000.0), ("target", 2027, 2.0)]


def test_each_unit_receives_stays_a_provision() -> None:
    assert goal_tuples("Each village receives at least two public chargers.") == [("provision", None, 2.0)]


# --------------------------------------------------------------------------- 10. "and for all <group>", "use all of"

def test_and_for_all_of_a_second_group() -> None:
    assert goal_tuples("By 2027, electric taxis will account for at least 60% of taxis in the province, and for "
                       "all new taxis in the capital.") == [("target", 2027, 60.0), ("target", 2027, 100.0)]


def test_and_for_all_needs_a_share_of_a_group_and_a_noun() -> None:
    # no "of <group>" after the value: no share to extend
    assert goal_tuples("By 2027, the rate will reach 60%, and for all new taxis.") == [("target", 2027, 60.0)]
    # a pronoun and a verb after "all": no group
    assert goal_tuples("By 2027, the rate will reach 60% of taxis, and for all of them a plan exists.") == [
        ("target", 2027, 60.0)]


def test_use_all_of_the_proceeds_is_a_provision() -> None:
    assert goal_tuples("Transition bonds use all of their proceeds for low-carbon retrofits.") == [
        ("provision", None, 100.0)]


def test_use_all_in_the_past_or_of_other_things_is_none() -> None:
    assert goal_tuples("Issuers used all of their proceeds in 2023.") == []
    assert goal_tuples("Firms use all of their land for solar farms.") == []


# --------------------------------------------------------------------------- 11. narrowed after the attack
# (tests/test_loaders_s12_attacks.py): what each narrowed rule still reads, beside what it no longer reads


def test_means_title_reads_only_an_act_by_a_new_document() -> None:
    # a verb of acting by a document still reads the means
    assert _titles("The Ministry of Water Resources tightened its quota rules via the Measures for Water Quota "
                   "Management in Dry Counties.") == [
        ("Measures for Water Quota Management in Dry Counties", "Ministry of Water Resources")]
    # an outcome verb, or a document issued in a past year, does not
    assert _titles("The Ministry of Water Resources exceeded its savings goal via the Measures for Water Quota "
                   "Management in Dry Counties.") == []
    assert _titles("The Ministry of Water Resources tightened its quota rules via the Measures for Water Quota "
                   "Management in Dry Counties released back in 2019.") == []


def test_appositive_title_needs_a_document_kind_and_keeps_the_first_of_two() -> None:
    assert _titles("The NEA approved three new stations for the coast, the Station for Tidal Power Testing.") == []
    got = _titles("The NEA released two new codes for storage, the Code for Battery Rooms of Small Sites and the "
                  "Code for Cable Trays of Small Sites.")
    assert got[:1] == [("Code for Battery Rooms of Small Sites", "NEA")]


def test_participial_issuer_drops_its_date() -> None:
    got = _titles("Issued by the Ministry of Transport in May 2026, the Administrative Measures for Shore Power at "
                  "River Ports set the share of berths at 70%.")
    assert got == [("Administrative Measures for Shore Power at River Ports", "Ministry of Transport")]


def test_scope_list_then_a_named_body() -> None:
    got = _titles("Guidelines for Waste Heat Recovery (Glass, Paper, Ceramics and Lime Sectors) by the Ministry of "
                  "Industry and Information Technology set goals.")
    assert got == [("Guidelines for Waste Heat Recovery (Glass, Paper, Ceramics and Lime Sectors)",
                    "Ministry of Industry and Information Technology")]


def test_unknown_level_organ_is_left_out_not_minted(tmp_path: Path) -> None:
    # a national policy: "the provincial <Organ>" has no province to read it by; the NDRC stands alone
    ex = extract_text(tmp_path, ccnt_page(
        "China pushed heat pumps.\n\nNotice on Heat Pump Subsidies for Rural Homes, issued by the NDRC with the "
        "provincial\nHousing Bureau, proposes that by 2028 heat pumps will exceed 5 million units.\n", 1,
        ["https://www.ndrc.gov.cn/2026/t_3.html"] * 2))
    got = {t: agency_labels(ex.graph, p) for t, p in policies_by_title(ex.graph).items()}
    assert got == {"Notice on Heat Pump Subsidies for Rural Homes": {"National Development and Reform Commission"}}


def test_carried_coal_denominator_needs_an_elided_coordinate() -> None:
    # "and those in the west at ...": the same rate for another group, the coal denominator carries
    got = _units("Plants in the east get 100 yuan per ton of standard coal saved, and those in the west at 120 yuan "
                 "per ton.")
    assert [u for _, _, u in got] == ["CNYPerTonneCoalEquivalent", "CNYPerTonneCoalEquivalent"]
    # a clause of its own subject and verb, or a ton of a named material: no carry
    got = _units("Plants get 100 yuan per ton of standard coal saved, and the fine is 50 yuan per ton.")
    assert [u for _, _, u in got] == ["CNYPerTonneCoalEquivalent", "CNYPerTonne"]
    got = _units("Plants get 100 yuan per ton of standard coal saved, and 90 yuan per tonne of cement clinker.")
    assert [u for _, _, u in got] == ["CNYPerTonneCoalEquivalent", "CNYPerTonne"]


def test_provision_cues_narrowed() -> None:
    # a rule's setting still reads; a market's outcome does not
    assert goal_tuples("The Rules set the annual water quota at 1.5 million tonnes.") == [
        ("provision", None, 1500000.0)]
    assert goal_tuples("Last week's trading session set the average price at 61 yuan per ton.") == []
    # a size class with a rule still reads; the same class in a statistic does not
    assert goal_tuples("Projects of 5 MW or less are exempt from the review.")[:1] == [("provision", None, 5000000.0)]
    assert goal_tuples("Projects of 5 MW or less made up 12% of new capacity.") == []
    # "applies to ... with ... below" opening its clause is still a scope rule
    assert goal_tuples("It applies to boilers with a sulphur content below 1%.") == [("provision", None, 1.0)]


def test_ensure_each_with_a_modifier_and_a_later_rule() -> None:
    assert goal_tuples("By 2028, the city will ensure that every district on the east bank has at least one depot.") \
        == [("target", 2028, 1.0)]
    assert goal_tuples("By 2028, the city will ensure that each district has at least one depot, and each household "
                       "gets 3 bins.") == [("target", 2028, 1.0), ("provision", None, 3.0)]


def test_all_is_100_percent_only_for_a_group_or_a_rule() -> None:
    # "and among all <group>" still gives the second goal; "in all <places>" or a time span does not
    assert goal_tuples("By 2028, heat pumps will make up 30% of new heating in the county, and among all new "
                       "schools.") == [("target", 2028, 30.0), ("target", 2028, 100.0)]
    assert goal_tuples("By 2028, heat pumps will make up 30% of new heating in the county, and in all towns.") == [
        ("target", 2028, 30.0)]
    assert goal_tuples("By 2028, heat pumps will make up 30% of new heating, and for all of the time.") == [
        ("target", 2028, 30.0)]
    # a negated or reported use of all the money is no 100% rule
    assert goal_tuples("Green funds must not use all of their budgets on coal.") == []
    assert goal_tuples("According to the report, cooperatives invest all of their income in seed.") == []
