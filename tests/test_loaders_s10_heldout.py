"""Session 10 (F5): what two more ordinary CCNT issues (``ccnt-2024-09-unseen``, ``ccnt-2025-08-unseen``) found,
each rule pinned on small invented inputs with the tests of what it must NOT do.

Rules: "Technical Specification" / "Specification" (技术规范) is a genre of the vocabulary (``ontology/vocab/genre.ttl``,
narrower than Standard), so "Technical Specification for ... was released by <Agency>." opens a policy; "qualification
rate" (合格率) is an indicator, no eligibility cue (``goal_cues.yaml``); "aims to ensure that by 2027 ..." fronts its
year over the sentence (goals._when ``fronted``); "40% of the roofs of eligible schools" is a share of eligible units,
so a dated clause with it is a goal (goals._SHARE_OF_ELIGIBLE_RX), unless the part is money ("60% of the principal
of eligible loans"); a local department named in the other word order ("<Region> Municipal Commission of <X>" for
"<Region> Municipal <X> Commission") resolves to the one reference agency (linking.word_order_variant); the
Ministry of Finance's procurement site ccgp.gov.cn is one of its web domains (reference data).

All titles, numbers and URLs here are invented; agency and region names are real (reference data).
"""

from __future__ import annotations

from pathlib import Path

from loader_helpers import extract_text
from loader_helpers import policies_by_title
from loader_helpers import agency_labels
from loader_helpers import reference_linker as _linker
from rdflib import URIRef
from rdflib.namespace import SKOS

from loaders.briefing import _genre_regex, find_title
from loaders.goals import _when, find_goals
from loaders.linking import word_order_variant
from policykg.vocab import PKG


def _page(body: str, n: int, urls: list[str]) -> str:
    """One CCNT page as its PDF's text comes out: a leading space, the text, a footer, the page's link list."""
    return f" {body}\n\nPolicy Tracker | {n}\n\n\n" + "".join(u + "\n" for u in urls)


def _agencies(ex, pol, prop: URIRef = PKG.issuedBy) -> set[str]:
    return agency_labels(ex.graph, pol, prop)


def _goals(text: str, year: int = 2026) -> list[tuple[str, int | None, float | None]]:
    return [(g.kind, g.target_year, float(g.normalized_value) if g.normalized_value is not None else None)
            for g in find_goals(text, context_year=year)]


def _genre_labels() -> list[str]:
    return [lab for lab, _ in _linker().genre_labels]


# --------------------------------------------------------------------------- 1. "Technical Specification" titles

SPEC_PAGE = _page(
    "Industrial emissions rules were updated.\n\n"
    "Implementation Plan for Cutting Fluorinated Gas Emissions in Refrigeration aims to phase down\n"
    "fluorinated gases in cold chains. The Plan proposes that by 2028 the share of low-carbon refrigerants\n"
    "in new cold storage will exceed 45%.\n\n"
    "Technical Specification for Greenhouse Gas Emission Accounting of Glass Fibre Manufacturers\n"
    "was released by the Ministry of Ecology and Environment. It sets the boundary and the methods\n"
    "for accounting the emissions of glass fibre furnaces.\n",
    1, ["https://www.mee.gov.cn/xxgk/202706/t20270603_1.html"] * 2
    + ["https://www.mee.gov.cn/xxgk/202706/t20270611_2.html"] * 2)


def test_technical_specification_title_opens_its_own_policy(tmp_path: Path) -> None:
    ex = extract_text(tmp_path, SPEC_PAGE)
    pols = policies_by_title(ex.graph)
    spec = pols["Technical Specification for Greenhouse Gas Emission Accounting of Glass Fibre Manufacturers"]
    plan = pols["Implementation Plan for Cutting Fluorinated Gas Emissions in Refrigeration"]
    assert _agencies(ex, spec) == {"Ministry of Ecology and Environment"}
    # the paragraph is not merged into the plan before it, and the URLs are not shifted
    assert [str(u).rsplit("/", 1)[1] for u in ex.graph.objects(plan, PKG.sourceURL)] == ["t20270603_1.html"]
    assert [str(u).rsplit("/", 1)[1] for u in ex.graph.objects(spec, PKG.sourceURL)] == ["t20270611_2.html"]
    genre = ex.graph.value(spec, PKG.genre)
    assert genre is not None and str(genre).endswith("/technical-specification")


def test_specification_genre_is_narrower_than_standard() -> None:
    L = _linker()
    spec = next(iri for lab, iri in L.genre_labels if lab == "Technical Specification")
    assert str(L.graph.value(spec, SKOS.broader)).endswith("/standard")


def test_specification_in_prose_or_after_a_determiner_is_no_title() -> None:
    genre_re = _genre_regex(_genre_labels())
    # lower-case prose and "The Specification requires" name no document
    assert find_title("Firms must follow the technical specifications for accounting their emissions.", genre_re) \
        is None
    assert find_title("The Specification requires firms to report their emissions every year.", genre_re) is None


# --------------------------------------------------------------------------- 2. goals the year reaches

def test_year_after_a_value_dates_a_share_of_roofs_of_eligible_units() -> None:
    text = ("The Plan aims to add 3 million kilowatts of rooftop wind capacity by 2028 and to install solar\n"
            "panels on 40% of the roofs of eligible schools.")
    assert _goals(text) == [("target", 2028, 3e9), ("target", 2028, 40.0)]  # 3 million kW in W


def test_share_of_roofs_of_eligible_units_without_a_year_stays_a_provision() -> None:
    assert _goals("Solar panels are installed on 40% of the roofs of eligible schools.") == [
        ("provision", None, 40.0)]


def test_dated_share_of_the_principal_of_eligible_loans_stays_a_provision() -> None:
    # a share of a sum of money paid for eligible units is a rate of payment, whatever year it names
    assert _goals("By 2027, banks should refinance 55% of the principal of eligible loans.") == [
        ("provision", None, 55.0)]
    assert _goals("By 2027, the fund will cover 30% of the cost of eligible projects.") == [
        ("provision", None, 30.0)]


def test_qualification_rate_under_a_dated_lead_in_is_a_target() -> None:
    text = ("The Action Plan sets out that by 2028:\n"
            "e The comprehensive voltage qualification rate will exceed 99.7%.\n"
            "e The power supply reliability rate will be no less than 99.8%.\n")
    assert [(k, y, v) for k, y, v in _goals(text) if v is not None] == [
        ("target", 2028, 99.7), ("target", 2028, 99.8)]


def test_qualification_threshold_stays_a_provision() -> None:
    # "qualify" / "qualification" as eligibility (not an indicator's "qualification rate") is still a rule cue
    assert _goals("Depots that qualify receive 2,000 yuan each.") == [("provision", None, 2000.0)]
    assert _goals("The qualification threshold is an annual output of 5,000 tonnes.")[0][0] == "provision"


def test_aims_to_ensure_that_by_year_dates_the_coordinated_clause() -> None:
    text = ("The Work Plan aims to ensure that by 2026 recycled materials will account for 100% of new roads,\n"
            "and more than 3 million square meters of green roofs will be built.")
    assert _goals(text, 2025) == [("target", 2026, 100.0), ("target", 2026, 3_000_000.0)]


def test_proposes_that_by_year_dates_the_coordinated_clause() -> None:
    text = ("The Plan proposes that by 2027 heat pumps will account for 30% of new heating,\n"
            "and more than 2 million square meters of floor area will be retrofitted.")
    assert _goals(text, 2025) == [("target", 2027, 30.0), ("target", 2027, 2_000_000.0)]


def test_year_not_right_after_the_lead_verb_is_not_fronted() -> None:
    # only "<subject> aims to ensure|proposes that by YYYY ..." fronts the year over the sentence; a year after the
    # goal's own verb phrase, or after another subject's "ensure that", stays the clause's own
    for text, fronted in [
            ("The Work Plan aims to ensure that by 2026 recycled materials will cover all new roads", True),
            ("The Work Plan aims to cut emissions by 10% by 2026", False),
            ("Firms must ensure that their emissions fall by 10% by 2026", False),
            ("The Plan aims to ensure that heat pumps account for 30% of new heating by 2026", False)]:
        w = _when(text, 0, len(text), 2025)
        assert (w.year, w.fronted) == (2026, fronted), text


# --------------------------------------------------------------------------- 3. word-order variants of agency names

def test_word_order_variant_of_a_local_department() -> None:
    assert word_order_variant("Shanghai Municipal Commission of Transport") == "Shanghai Municipal Transport Commission"
    assert word_order_variant("Hubei Provincial Ecology and Environment Department") == \
        "Hubei Provincial Department of Ecology and Environment"
    # national names and other kinds have no such variant
    assert word_order_variant("Ministry of Transport") is None
    assert word_order_variant("Beijing Municipal People's Government") is None


def test_commission_of_x_resolves_to_the_reference_x_commission() -> None:
    L = _linker()
    a = L.resolve_agency("Tianjin Municipal Commission of Housing and Urban-Rural Development")
    assert a is not None and L.agency(a).pref_label == "Tianjin Municipal Housing and Urban-Rural Development Commission"
    b = L.resolve_agency("Beijing Municipal Commission of Transport")
    assert b is not None and L.agency(b).pref_label == "Beijing Municipal Transport Commission"


def test_word_order_variant_never_resolves_to_another_agency() -> None:
    L = _linker()
    # a name the reference has as a label of its own keeps its agency
    a = L.resolve_agency("Beijing Municipal Commission of Development and Reform")
    b = L.resolve_agency("Beijing Municipal Development and Reform Commission")
    assert a is not None and a == b
    # a department the reference data does not have is not resolved by the variant rule
    assert L.resolve_agency("Tianjin Municipal Commission of Lunar Exploration") is None


def test_stated_word_order_name_is_one_node_with_that_name(tmp_path: Path) -> None:
    body = ("Tianjin set its building rules.\n\n"
            "Tianjin Municipal Commission of Housing and Urban-Rural Development released the\n"
            "Work Plan for Retrofitting Old Residential Buildings in Tianjin (2027-2028). The Work Plan\n"
            "aims to ensure that by 2028 more than 2 million square meters of old buildings will be retrofitted.\n")
    ex = extract_text(tmp_path, _page(body, 1, ["https://zfcxjs.tj.gov.cn/xxgk/202706/t20270603_1.html"] * 2))
    pol = policies_by_title(ex.graph)["Work Plan for Retrofitting Old Residential Buildings in Tianjin (2027-2028)"]
    issuers = list(ex.graph.objects(pol, PKG.issuedBy))
    assert len(issuers) == 1 and _linker().agency(issuers[0]) is not None  # the reference node, none minted
    assert "Tianjin Municipal Commission of Housing and Urban-Rural Development" in {
        str(x) for x in ex.graph.objects(issuers[0], SKOS.altLabel)}


# --------------------------------------------------------------------------- 4. reference data: MOF's domains

def test_ccgp_is_a_web_domain_of_the_ministry_of_finance() -> None:
    L = _linker()
    agency, _, _ = L.host_agency("http://www.ccgp.gov.cn/zcfg/mof/202706/t20270603_1.htm")
    assert agency is not None and L.agency(agency).pref_label == "Ministry of Finance"
    agency, _, _ = L.host_agency("https://www.mof.gov.cn/zhengwuxinxi/202706/t20270603_1.htm")
    assert agency is not None and L.agency(agency).pref_label == "Ministry of Finance"
