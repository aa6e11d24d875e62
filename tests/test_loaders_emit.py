"""RDF emission: URL dates, linking results, quality notes, evidence spans, determinism."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from loaders import Extraction, extract
from loaders.emit import EDTF, masthead_date, name_date, url_date
from policykg.vocab import DCAT, FOAF, OA, PKG, Minter

from test_loaders_briefing import SYNTHETIC, SYNTHETIC_EXPECTED
from test_loaders_linking import A, R, reference_graph

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "briefings" / "ccnt-2024-03-04.txt"


# ---------------------------------------------------------------- URL dates

@pytest.mark.parametrize("url, lexical, datatype", [
    ("http://zfxxgk.nea.gov.cn/2024-04/02/c_1310771072.htm", "2024-04-02", XSD.date),
    ("https://www.ndrc.gov.cn/xxgk/zcfb/tz/202403/t20240301_1364313.html", "2024-03-01", XSD.date),
    ("http://fgw.shandong.gov.cn/art/2024/4/9/art_91650_10433736.html", "2024-04-09", XSD.date),
    ("http://www.qinghai.gov.cn/zwgk/system/2024/03/23/030040009.shtml", "2024-03-23", XSD.date),
    ("http://www.nrdc.cn/Public/uploads/2024-04-18/6620a9c51818f.pdf", "2024-04-18", XSD.date),
    ("https://example.org/wp-content/uploads/2024/03/2024-03-06-report.pdf", "2024-03-06", XSD.date),
    ("https://xxgk.mot.gov.cn/2020/jigou/glj/202404/t20240417_4129628.html", "2024-04-17", XSD.date),
    ("https://www.gov.cn/zhengce/zhengceku/202404/content_6945700.htm", "2024-04", XSD.gYearMonth),
    ("https://example.org/wp-content/uploads/2024/03/report.pdf", "2024-03", XSD.gYearMonth),
    ("https://jsj.taizhou.gov.cn/xwzx/tzgg/art/2024/art_191178a58f1145dd93073352c5d946ec.html", "2024", XSD.gYear),
    ("https://www.beijing.gov.cn/zhengce/zfwj/zfwj2016/szfwj/202403/t20240312_3587396.html", "2024-03-12", XSD.date),
    ("https://www.example.com.cn/cj/2025/07-14/1234567.shtml", "2025-07-14", XSD.date),    # /YYYY/MM-DD/
    ("https://paper.example.cn/n1/2025/0714/c1004-4021.html", "2025-07-14", XSD.date),      # /YYYY/MMDD/
    ("https://example.cn/a/2025/1399/x.html", "2025", XSD.gYear),                          # an id, not a date
])
def test_url_date_precision(url: str, lexical: str, datatype: URIRef) -> None:
    lit, unreadable = url_date(url)
    assert lit is not None and not unreadable
    assert str(lit) == lexical
    assert lit.datatype == datatype


@pytest.mark.parametrize("url", [
    "https://zfxxgk.ndrc.gov.cn/web/iteminfo.jsp?id=20348",
    "https://www.gd.gov.cn/zwgk/wjk/qbwj/yf/content/post_4406243.html",
    "http://dohurd.ah.gov.cn/public/6991/57126401.html",
    "https://wri.org.cn/en/node/879",
    "https://www2024.example.org/a.html",           # the host is never read
])
def test_url_without_date(url: str) -> None:
    assert url_date(url) == (None, False)


@pytest.mark.parametrize("url", ["https://example.gov.cn/art/2024/13/45/a.html",
                                 "https://example.cn/cj/2024/13-45/a.html"])
def test_unreadable_url_date(url: str) -> None:
    lit, unreadable = url_date(url)
    assert unreadable
    assert lit is None or str(lit) == "2024"


# ---------------------------------------------------------------- the synthetic briefing as RDF

@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Extraction:
    d = tmp_path_factory.mktemp("syn")
    path = d / "epm-2025-06.txt"
    path.write_text(SYNTHETIC, encoding="utf-8")
    return extract(path, Minter(), reference=reference_graph())


def _policies(ex: Extraction) -> dict[str, URIRef]:
    g = ex.graph
    return {str(g.value(p, DCTERMS.title)): p for p in g.subjects(RDF.type, PKG.Policy)}


def test_synthetic_policies_and_urls(synthetic: Extraction) -> None:
    g = synthetic.graph
    pol = _policies(synthetic)
    assert set(pol) == set(SYNTHETIC_EXPECTED)
    for title, urls in SYNTHETIC_EXPECTED.items():
        assert sorted(str(u) for u in g.objects(pol[title], PKG.sourceURL)) == urls
    assert synthetic.stats["policies"] == 8 and synthetic.stats["reports"] == 1
    assert synthetic.stats["triples"] == len(g)


@pytest.mark.parametrize("title, jurisdiction, level", [
    ("Notice on Accelerating the Demonstration of Hydrogen Fuel Cell Vehicles in Port Logistics", "CN", PKG.National),
    ("Guidelines on Methane Emission Control in Coal Mines", "CN", PKG.National),
    ("Action Plan for Clean Winter Heating in Rural Areas of Shandong Province", "CN-SD", PKG.Provincial),
    ("Implementation Plan for Green Building Retrofits in Taizhou City", "CN-JS", PKG.Municipal),
    ("Several Measures on Supporting Offshore Wind Power in Tianjin Municipality", "CN-TJ", PKG.Provincial),
    ("Implementation Plan for Distributed Solar on Industrial Roofs in Zhejiang Province", "CN-ZJ", PKG.Provincial),
])
def test_jurisdiction_and_level(synthetic: Extraction, title: str, jurisdiction: str, level: URIRef) -> None:
    g = synthetic.graph
    p = _policies(synthetic)[title]
    assert list(g.objects(p, PKG.jurisdiction)) == [R[jurisdiction]]
    assert list(g.objects(p, PKG.governmentLevel)) == [level]


def test_city_policy_local_jurisdiction_and_minted_department(synthetic: Extraction) -> None:
    g = synthetic.graph
    p = _policies(synthetic)["Implementation Plan for Green Building Retrofits in Taizhou City"]
    assert list(g.objects(p, PKG.localJurisdiction)) == [R["321200"]]
    assert list(g.objects(p, PKG.issuedBy)) == [A["taizhou-js-government"]]
    (host,) = g.objects(p, PKG.sourceHostedBy)
    assert str(g.value(host, SKOS.prefLabel)) == "Taizhou Municipal Housing and Urban-Rural Development Bureau"
    assert str(host).startswith(str(A["321200-"]))  # the city's GB/T 2260 code: Taizhou (Zhejiang) differs
    assert (host, PKG.jurisdiction, R["321200"]) in g
    assert (host, PKG.governmentLevel, PKG.Municipal) in g
    assert str(g.value(p, PKG.publicationDate)) == "2025"


def test_issuers_and_hosts(synthetic: Extraction) -> None:
    g = synthetic.graph
    pol = _policies(synthetic)
    methane = pol["Guidelines on Methane Emission Control in Coal Mines"]
    assert list(g.objects(methane, PKG.issuedBy)) == [A.mee]
    heating = pol["Action Plan for Clean Winter Heating in Rural Areas of Shandong Province"]
    assert list(g.objects(heating, PKG.issuedBy)) == [A["shandong-government"]]
    assert list(g.objects(heating, PKG.sourceHostedBy)) == [A["shandong-drc"]]
    hydrogen = pol["Notice on Accelerating the Demonstration of Hydrogen Fuel Cell Vehicles in Port Logistics"]
    assert list(g.objects(hydrogen, PKG.issuedBy)) == []
    assert list(g.objects(hydrogen, PKG.sourceHostedBy)) == [A.ndrc]


def test_missing_government_is_minted_with_a_warning(synthetic: Extraction) -> None:
    g = synthetic.graph
    p = _policies(synthetic)["Implementation Plan for Distributed Solar on Industrial Roofs in Zhejiang Province"]
    (gov,) = g.objects(p, PKG.issuedBy)
    assert str(g.value(gov, SKOS.prefLabel)) == "Zhejiang Provincial People's Government"
    assert (gov, PKG.jurisdiction, R["CN-ZJ"]) in g
    assert any("Zhejiang Provincial People's Government" in w for w in synthetic.warnings)
    assert all(w.startswith("epm-2025-06.txt: ") for w in synthetic.warnings)


def _note_codes(g: rdflib.Graph, p: URIRef) -> set[str]:
    return {str(g.value(n, PKG.noteCode)) for n in g.objects(p, PKG.qualityNote)}


def test_quality_notes(synthetic: Extraction) -> None:
    g = synthetic.graph
    pol = _policies(synthetic)
    zj = pol["Implementation Plan for Distributed Solar on Industrial Roofs in Zhejiang Province"]
    sd = pol["Guiding Opinions on Coordinated Carbon Markets in Shandong Province"]
    assert {"shared-source-url", "source-jurisdiction-mismatch"} <= _note_codes(g, zj)
    assert "shared-source-url" in _note_codes(g, sd)
    assert "source-jurisdiction-mismatch" not in _note_codes(g, sd)
    js = pol["Notice on Pilot Zero-Carbon Parks in Jiangsu Province"]
    assert "no-source-url" in _note_codes(g, js)
    assert list(g.objects(js, PKG.sourceURL)) == []
    clean = pol["Guidelines on Methane Emission Control in Coal Mines"]
    assert _note_codes(g, clean) == set()


def test_report_and_briefing(synthetic: Extraction) -> None:
    g = synthetic.graph
    (rep,) = g.subjects(RDF.type, PKG.Report)
    assert str(g.value(rep, DCTERMS.title)) == "Pathways to Net Zero Ports in East Asia"
    assert sorted(str(x) for x in g.objects(rep, DCTERMS.publisher)) == [
        "Clean Transport Institute", "Harbour Research Group"]
    assert (rep, RDF.type, PKG.Policy) not in g
    b = synthetic.document
    assert (b, RDF.type, PKG.Briefing) in g
    assert str(g.value(b, PKG.series)) == "Example Policy Monitor (EPM)"
    assert str(g.value(b, DCTERMS.identifier)) == "epm-2025-06.txt"
    assert synthetic.graph_name == Minter().graph("epm-2025-06")


def _check_evidence(ex: Extraction) -> int:
    g = ex.graph
    n = 0
    for span in set(g.subjects(OA.hasSource, ex.document)):
        exact = str(g.value(span, OA.exact))
        s, e = int(g.value(span, OA.start)), int(g.value(span, OA.end))
        assert ex.text[s:e] == exact, span
        assert g.value(span, OA.start).datatype == XSD.integer
        assert str(span) == f"{ex.document}#char={s},{e}"
        n += 1
    for subject in set(g.subjects(RDF.type, PKG.Policy)) | set(g.subjects(RDF.type, PKG.Report)):
        assert list(g.objects(subject, PKG.evidence)), subject
    return n


def test_evidence_offsets_are_valid(synthetic: Extraction) -> None:
    assert _check_evidence(synthetic) > 20


def test_title_evidence_over_page_break_skips_the_link_list(synthetic: Extraction) -> None:
    g = synthetic.graph
    p = _policies(synthetic)["Several Measures on Supporting Offshore Wind Power in Tianjin Municipality"]
    quotes = [str(g.value(s, OA.exact)) for s in g.objects(p, PKG.evidence) if (s, DCTERMS.subject, DCTERMS.title) in g]
    assert quotes and not any("http" in q for q in quotes)


def test_no_blank_nodes(synthetic: Extraction) -> None:
    for t in synthetic.graph:
        assert not any(isinstance(x, rdflib.BNode) for x in t)


def test_determinism(tmp_path: Path) -> None:
    path = tmp_path / "epm-2025-06.txt"
    path.write_text(SYNTHETIC, encoding="utf-8")
    ref = reference_graph()
    a = extract(path, Minter(), reference=ref)
    b = extract(path, Minter(), reference=ref)
    assert isomorphic(a.graph, b.graph)
    nt_a = sorted(a.graph.serialize(format="nt").splitlines())
    nt_b = sorted(b.graph.serialize(format="nt").splitlines())
    assert nt_a == nt_b


def test_policy_iri_from_title_and_jurisdiction(synthetic: Extraction) -> None:
    pol = _policies(synthetic)
    title = "Action Plan for Clean Winter Heating in Rural Areas of Shandong Province"
    assert pol[title] == Minter().policy(title, "CN-SD")


# ---------------------------------------------------------------- the sample briefing with the project's reference data

@pytest.mark.skipif(not SAMPLE.exists(), reason="sample briefing not in data/briefings")
def test_sample_briefing_extracts() -> None:
    ex = extract(SAMPLE, Minter())
    assert ex.stats["policies"] == 25
    assert ex.stats["reports"] == 5
    _check_evidence(ex)
    g = ex.graph
    for p in g.subjects(RDF.type, PKG.Policy):
        assert list(g.objects(p, PKG.sourceURL)), g.value(p, DCTERMS.title)
        assert (p, PKG.reportedIn, ex.document) in g
    dates = {str(d) for d in g.objects(None, PKG.publicationDate)}
    assert "2024-04" in dates and "2024" in dates


def test_issuer_with_abbreviation_in_brackets_and_zh_title(tmp_path: Path) -> None:
    path = tmp_path / "news.txt"
    path.write_text("On May 5, the National Development and Reform Commission (NDRC) issued the Notice on "
                    "Green Power Trading (关于绿色电力交易的通知), which aims to expand trading.\n", encoding="utf-8")
    ex = extract(path, Minter(), reference=reference_graph())
    g = ex.graph
    (p,) = g.subjects(RDF.type, PKG.Policy)
    assert list(g.objects(p, PKG.issuedBy)) == [A.ndrc]
    assert Literal("关于绿色电力交易的通知", lang="zh") in set(g.objects(p, DCTERMS.title))
    assert list(g.objects(p, PKG.jurisdiction)) == [R.CN]
    assert not any("minted" in w for w in ex.warnings)


GOLD = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "gold" / "ccnt-2024-03-04.yaml"


@pytest.mark.skipif(not (SAMPLE.exists() and GOLD.exists()), reason="sample briefing or its gold file missing")
def test_sample_against_gold() -> None:
    """Titles, URLs, dates, jurisdictions and report/policy separation match the gold annotation."""
    import yaml

    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    ex = extract(SAMPLE, Minter())
    g = ex.graph
    got = {}
    for p in g.subjects(RDF.type, PKG.Policy):
        title = next(str(t) for t in g.objects(p, DCTERMS.title) if t.language == "en")
        codes = {str(r).rsplit("/", 1)[-1] for r in g.objects(p, PKG.jurisdiction)}  # {base}id/region/{iso}
        dates = {str(d) for d in g.objects(p, PKG.publicationDate)}
        got[title] = (sorted(str(u) for u in g.objects(p, PKG.sourceURL)), codes, dates)
    want = {x["title"]: (sorted(x["source_urls"]), {x["jurisdiction"]},
                         set() if x.get("published") is None else {str(x["published"])})
            for x in gold["policies"]}
    assert got == want
    reports = {str(g.value(r, DCTERMS.title)) for r in g.subjects(RDF.type, PKG.Report)}
    assert len(reports) == len(gold["reports"]) and not reports & set(got)


def test_shared_city_name_decided_by_source_domain(tmp_path: Path) -> None:
    path = tmp_path / "tz.txt"
    path.write_text(" Implementation Plan for Green Schools in Taizhou City aims to retrofit schools.\n\n"
                    "https://www.taizhou.gov.cn/art/2025/5/1/art_1.html\n", encoding="utf-8")
    ex = extract(path, Minter(), reference=reference_graph())
    g = ex.graph
    (p,) = g.subjects(RDF.type, PKG.Policy)
    assert list(g.objects(p, PKG.localJurisdiction)) == [R["321200"]]
    assert list(g.objects(p, PKG.jurisdiction)) == [R["CN-JS"]]
    assert list(g.objects(p, PKG.governmentLevel)) == [PKG.Municipal]


DIGEST_TXT = """China Climate Policy Digest - April 2025

National Policies

On 12 March, the Ministry of Ecology and Environment (MEE) released the "Implementation Plan for the
Expansion of the National Carbon Market to Steel, Cement and Aluminium", which brings about 1,500
additional companies into the market.
\u2022 By 2027, the carbon market will cover all major industrial sectors.
\u2022 Free allocation will gradually be reduced.

The NDRC and the XYZA jointly issued the Notice on Improving the Green Certificate Trading Mechanism
and the Action Plan for Distributed Photovoltaic Development, aiming to boost demand for renewables.

Provincial Policies

Zhejiang Province unveiled the Several Measures to Support the Hydrogen Industry in Zhejiang
Province. The measures provide subsidies of up to 5 million yuan per refuelling station.

The Qingdao Municipal Development and Reform Commission published the Work Plan for Zero-Carbon
Parks in Qingdao, with 10 pilot parks by 2026.

Research & Reports

Decarbonising China's Steel Sector: A Roadmap to 2060 (Rocky Mountain Institute)
The report outlines pathways for deep emission cuts in the steel industry.
"""


def test_digest_in_another_style(tmp_path: Path) -> None:
    """No page chunks or URL lists, quoted titles, datelines, two titles in one sentence, • bullets."""
    path = tmp_path / "digest-2025-04.txt"
    path.write_text(DIGEST_TXT, encoding="utf-8")
    ex = extract(path, Minter(), reference=reference_graph())
    g = ex.graph
    pol = _policies(ex)
    assert set(pol) == {
        "Implementation Plan for the Expansion of the National Carbon Market to Steel, Cement and Aluminium",
        "Notice on Improving the Green Certificate Trading Mechanism",
        "Action Plan for Distributed Photovoltaic Development",
        "Several Measures to Support the Hydrogen Industry in Zhejiang Province",
        "Work Plan for Zero-Carbon Parks in Qingdao"}
    assert list(g.objects(pol["Implementation Plan for the Expansion of the National Carbon Market to Steel, "
                              "Cement and Aluminium"], PKG.issuedBy)) == [A.mee]
    assert list(g.objects(pol["Action Plan for Distributed Photovoltaic Development"], PKG.issuedBy)) == [A.ndrc]
    qd = pol["Work Plan for Zero-Carbon Parks in Qingdao"]
    (issuer,) = g.objects(qd, PKG.issuedBy)
    assert str(g.value(issuer, SKOS.prefLabel)) == "Qingdao Municipal Development and Reform Commission"
    assert (issuer, PKG.jurisdiction, R["370200"]) in g and (issuer, PKG.governmentLevel, PKG.Municipal) in g
    assert list(g.objects(qd, PKG.jurisdiction)) == [R["CN-SD"]]
    assert list(g.objects(qd, PKG.localJurisdiction)) == [R["370200"]]
    assert list(g.objects(qd, PKG.governmentLevel)) == [PKG.Municipal]
    (rep,) = g.subjects(RDF.type, PKG.Report)
    assert str(g.value(rep, DCTERMS.title)) == "Decarbonising China's Steel Sector: A Roadmap to 2060"
    assert [str(x) for x in g.objects(rep, DCTERMS.publisher)] == ["Rocky Mountain Institute"]
    assert str(g.value(ex.document, DCTERMS.title)) == "China Climate Policy Digest - April 2025"
    assert all(not list(g.objects(p, PKG.sourceURL)) for p in pol.values())
    assert any("XYZA" in w for w in ex.warnings)
    _check_evidence(ex)


def test_two_issuers_with_abbreviations(tmp_path: Path) -> None:
    path = tmp_path / "two.txt"
    path.write_text("The National Development and Reform Commission (NDRC) and Ministry of Ecology and Environment "
                    "(MEE) jointly released the Notice on Methane Control in Landfills to cut emissions.\n",
                    encoding="utf-8")
    ex = extract(path, Minter(), reference=reference_graph())
    g = ex.graph
    (p,) = g.subjects(RDF.type, PKG.Policy)
    assert sorted(g.objects(p, PKG.issuedBy)) == sorted([A.ndrc, A.mee])
    assert not any("minted" in w for w in ex.warnings)


def test_issuer_clauses_and_several_provinces(tmp_path: Path) -> None:
    path = tmp_path / "multi.txt"
    path.write_text("To promote green finance, the National Development and Reform Commission issued the Notice on "
                    "Green Bonds for Ports to help.\n\n"
                    "Shandong, Jiangsu and Zhejiang provinces issued the Notice on Joint Carbon Markets to link "
                    "pilots.\n", encoding="utf-8")
    ex = extract(path, Minter(), reference=reference_graph())
    g = ex.graph
    pol = _policies(ex)
    bonds = pol["Notice on Green Bonds for Ports"]
    assert list(g.objects(bonds, PKG.issuedBy)) == [A.ndrc]
    joint = pol["Notice on Joint Carbon Markets"]
    assert set(g.objects(joint, PKG.jurisdiction)) == {R["CN-SD"], R["CN-JS"], R["CN-ZJ"]}
    issuers = set(g.objects(joint, PKG.issuedBy))
    assert {A["shandong-government"], A["jiangsu-government"]} <= issuers and len(issuers) == 3


def test_city_with_province_after_a_comma(tmp_path: Path) -> None:
    path = tmp_path / "tz2.txt"
    path.write_text("Subnational Updates\n\nTaizhou City, Jiangsu Province issued the Notice on Cleaner Buses in "
                    "Taizhou City to cut diesel use.\n", encoding="utf-8")
    ex = extract(path, Minter(), reference=reference_graph())
    g = ex.graph
    (p,) = g.subjects(RDF.type, PKG.Policy)
    assert list(g.objects(p, PKG.issuedBy)) == [A["taizhou-js-government"]]
    assert list(g.objects(p, PKG.localJurisdiction)) == [R["321200"]]


def test_url_with_control_character_is_not_loaded(tmp_path: Path) -> None:
    path = tmp_path / "bell.txt"
    path.write_text(" Notice on Bells in Links for Hebei Province aims to test.\n\n"
                    "https://www.ndrc.gov.cn/a\x07b.html\n", encoding="utf-8")
    ex = extract(path, Minter(), reference=reference_graph())
    g = ex.graph
    (p,) = g.subjects(RDF.type, PKG.Policy)
    assert list(g.objects(p, PKG.sourceURL)) == []
    assert "invalid-source-url" in _note_codes(g, p)
    assert "\x07" not in g.serialize(format="nt")


FOOTER_TXT = """\
Energy Transition Watch
Edition 9

Guiding Opinions on Heat Pumps in Sichuan Province aim to replace coal boilers. The
Opinions propose that by 2027:

e Heat pumps will supply 3 GW of heating capacity in the province.

Energy Transition Watch - Page 4
https://fgw.sc.gov.cn/x/202506/t20250603_7.html
 The Sichuan Provincial People's Government issued the Implementation Plan for Green Ports in
Sichuan Province (2026-2028). It proposes that by 2028:

Energy Transition Watch - Page 5
https://www.sc.gov.cn/y/202506/t20250604_8.html
https://www.sc.gov.cn/y/202506/t20250604_8.html
 e Shore power will serve more than 70% of berths.

Energy Transition Watch - Page 6
"""


def test_running_footers_and_titles_are_not_goals(tmp_path: Path) -> None:
    """A running footer between a lead-in and its bullets is layout, and the period in a policy's own
    title is part of its name: neither is read as a target (``_Emitter.prose``, ``_Emitter.goals``)."""
    path = tmp_path / "etw-2025-06.txt"
    path.write_text(FOOTER_TXT, encoding="utf-8")
    ex = extract(path, Minter(), reference=reference_graph())
    g = ex.graph
    pol = _policies(ex)
    ports = pol["Implementation Plan for Green Ports in Sichuan Province (2026-2028)"]
    targets = [(g.value(t, PKG.value), g.value(t, PKG.targetYear)) for t in g.objects(ports, PKG.setsTarget)]
    assert [(float(v), str(y)) for v, y in targets] == [(70.0, "2028")]
    heat = pol["Guiding Opinions on Heat Pumps in Sichuan Province"]
    assert [float(g.value(t, PKG.value)) for t in g.objects(heat, PKG.setsTarget)] == [3.0]
    _check_evidence(ex)


def test_the_department_behind_a_host_is_the_issuer_the_briefing_named(tmp_path: Path) -> None:
    """An issuer the reference data lacks is typed by its department name; the source host's department of
    that type and region is then that issuer, not a second agency minted under the type's usual name."""
    text = ("China Policy Digest\n\nLOCAL UPDATES\n\n"
            "Hangzhou Municipal Bureau of Economy and Information Technology issued the Implementation Plan "
            "for Digital Factories in Hangzhou. By 2026, the city will build 50 digital factories.\n"
            "https://jxj.hangzhou.gov.cn/art/2024/6/3/art_1229_58.html\n")
    doc = tmp_path / "digest.txt"
    doc.write_text(text, encoding="utf-8")
    g = extract(doc, Minter()).graph
    minted = {a for a in g.subjects(RDF.type, PKG.Agency)}
    assert len(minted) == 1, [str(a) for a in minted]
    (agency,) = minted
    assert g.value(agency, PKG.agencyType) == URIRef(
        "https://w3id.org/policykg/id/agency-type/industry-and-information-technology")
    policy = next(g.subjects(RDF.type, PKG.Policy))
    assert (policy, PKG.issuedBy, agency) in g and (policy, PKG.sourceHostedBy, agency) in g


# ---------------------------------------------------------------- review defects: year evidence, minted IRIs

def test_year_of_a_lead_in_is_quoted_as_evidence(synthetic: Extraction) -> None:
    """A bullet dated by its lead-in ("The Opinions propose that by 2030:") has a second span, about
    ``pkg:targetYear``, quoting the lead-in; every dated target's spans then quote its year."""
    g = synthetic.graph
    (t,) = [t for t in g.subjects(PKG.value, None) if str(g.value(t, PKG.value)) == "1500"]
    assert str(g.value(t, PKG.targetYear)) == "2030"
    about_year = [e for e in g.objects(t, PKG.evidence) if (e, DCTERMS.subject, PKG.targetYear) in g]
    assert [str(g.value(e, OA.exact)) for e in about_year] == ["The Opinions propose that by 2030:"]
    for t in g.subjects(PKG.targetYear, None):
        quotes = " ".join(str(g.value(e, OA.exact)) for e in g.objects(t, PKG.evidence))
        assert str(g.value(t, PKG.targetYear)) in quotes, t


def _emitter(extra_ttl: str = ""):
    from loaders.briefing import parse_briefing
    from loaders.emit import _Emitter
    from loaders.linking import Linker

    ref = reference_graph()
    ref.parse(data="""@prefix pkg: <https://w3id.org/policykg/ontology#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix a: <https://w3id.org/policykg/id/agency/> . @prefix r: <https://w3id.org/policykg/id/region/> .
        @prefix t: <https://w3id.org/policykg/id/agency-type/> .
        a:cn-zj-housing a pkg:Agency ; skos:prefLabel "Zhejiang Provincial Department of Housing and Urban-Rural Development"@en ;
            pkg:jurisdiction r:CN-ZJ ; pkg:governmentLevel pkg:Provincial ; pkg:agencyType t:housing .
        """ + extra_ttl, format="turtle")
    linker = Linker(ref)
    return _Emitter(parse_briefing("", []), linker, Minter(), URIRef("https://w3id.org/policykg/id/briefing/x"), "x.txt"), linker


def test_minted_city_and_province_departments_carry_the_region_code() -> None:
    em, L = _emitter()
    housing = URIRef("https://w3id.org/policykg/id/agency-type/housing")
    drc = URIRef("https://w3id.org/policykg/id/agency-type/drc")
    label = "Taizhou Municipal Housing and Urban-Rural Development Bureau"  # two cities bear this English name
    js = em.mint_agency(label + " (JS)", L.region(R["321200"]), PKG.Municipal, "test", housing)
    zj = em.mint_agency(label + " (ZJ)", L.region(R["331000"]), PKG.Municipal, "test", housing)
    assert (js, zj) == (A["321200-housing"], A["331000-housing"])        # the suffix the reference data uses
    assert em.mint_agency("Jiangsu Provincial Department of Housing", L.region(R["CN-JS"]), PKG.Provincial, "test",
                          housing) == A["cn-js-housing"]
    # no reference department of the type has a code-prefixed IRI: the label's slug after the code
    assert em.mint_agency("Qingdao Municipal Development and Reform Commission", L.region(R["370200"]),
                          PKG.Municipal, "test", drc) == A["370200-qingdao-municipal-development-and-reform-commission"]
    # a second department of one type and city keeps its own IRI
    other = em.mint_agency("Taizhou Urban Renewal Bureau", L.region(R["321200"]), PKG.Municipal, "test", housing)
    assert other == A["321200-taizhou-urban-renewal-bureau"]
    # a national agency the reference data lacks: its label's slug
    assert em.mint_agency("National Grid Safety Office", None, PKG.National, "test") == A["national-grid-safety-office"]
    assert em.mint_agency(label + " (JS)", None, None, "again") == js   # one label, one IRI


# --------------------------------------------------------------------------- indexed look-ups (test_attacks5 review)

def test_indexed_line_lookups_match_a_scan_of_every_line() -> None:
    """``url_line_spans``, ``pieces`` and ``prose`` use indexes built once; they find what a scan of every
    line of the document finds (the sample: page chunks, link lists, running heads)."""
    from loaders.briefing import parse_briefing
    from loaders.emit import _Emitter
    from loaders.linking import load_reference

    linker = load_reference(ROOT / "ontology")
    text = SAMPLE.read_text(encoding="utf-8")
    parse = parse_briefing(text, [label for label, _ in linker.genre_labels])
    em = _Emitter(parse, linker, Minter(), URIRef("https://example.org/b"), SAMPLE.name)
    checked = 0
    for e in parse.policies:
        s, end = e.title_span
        pages = sorted({ln.page for ln in parse.lines if ln.kind == "text" and ln.cstart < end and ln.cend > s})
        for u in e.urls:
            scan = [(ln.cstart, ln.cstart + len(u)) for pno in pages if pno < len(parse.pages)
                    for ln in parse.pages[pno].url_lines if ln.content(text).rstrip(".,;") == u][:1]
            assert em.url_line_spans(e.title_span, u) == scan
            checked += bool(scan)
        bs, be = e.block
        blanked = list(text[bs:be])
        for ln in parse.lines:
            if ln.kind in ("url", "noise") and ln.start >= bs and ln.end <= be:
                blanked[ln.start - bs:ln.end - bs] = " " * (ln.end - ln.start)
        assert em.prose(e) == (bs, "".join(blanked))
        cuts = [ln.start for ln in parse.lines if ln.kind in ("url", "noise") and bs < ln.start < be]
        pieces = em.pieces(e.block)
        assert all(not (a < c < b) for a, b in pieces for c in cuts)
    assert checked >= 10


def test_extraction_work_grows_linearly_with_the_policies(monkeypatch) -> None:
    """Eight times the policies on one page (one link list) cost about eight times the work, not sixty-four
    (the review measured 2,000 policies 18 s, 4,000 65 s). Work is counted, not timed: the reads of line
    contents, which the quadratic look-ups of emit did for every policy against every line."""
    from loaders import briefing as briefing_module
    from loaders.briefing import parse_briefing
    from loaders.emit import emit
    from loaders.linking import load_reference

    def briefing(n: int) -> str:
        paras = "".join(f"Notice on Promoting Storage Development Number {i} aims to regulate the sector. "
                        f"The Notice specifies that by 2030 the capacity will exceed {i + 1} million kilowatts.\n\n"
                        for i in range(n))
        urls = "".join(f"https://www.ndrc.gov.cn/xxgk/zcfb/tz/2024/t{i}.html\n" for i in range(n))
        return " China issued several policies on the power system.\n\n" + paras + urls

    reads = [0]
    content = briefing_module.Line.content

    def counted(self, text: str) -> str:
        reads[0] += 1
        return content(self, text)

    monkeypatch.setattr(briefing_module.Line, "content", counted)
    linker = load_reference(ROOT / "ontology")
    labels = [label for label, _ in linker.genre_labels]
    work = []
    for n in (150, 1200):
        reads[0] = 0
        result = emit(parse_briefing(briefing(n), labels), linker, Minter(), f"gen-{n}", f"gen-{n}.txt")
        assert result.stats["policies"] == n
        work.append(reads[0])
    assert work[1] / work[0] < 14, f"8x the policies read line contents {work[1] / work[0]:.1f}x as often"


# ---------------------------------------------------------------- the briefing: who published it, when, where

def _about(publisher: str, series: str, series_text: str) -> str:
    """The closing "About" sections of a tracker briefing (layout of the sample's last page)."""
    return (f" About the {publisher}\n\nThe {publisher} is a research institute that works on climate policy.\n\n"
            f"About {series}\n\n{series_text}\n")


PUBLISHED = SYNTHETIC.split(" About the Example Policy Monitor")[0] + _about(
    "Harbour Climate Institute (HCI)", "Example Policy Monitor (EPM)",
    "The Example Policy Monitor (EPM) tracks climate policies. For the latest updates, please visit\n"
    "https://epm.example.org/briefings.\n\nContact: epm@example.org.")


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> list[Extraction]:
    """The synthetic briefing with a publisher's and a series' "About" section, as two issues of the series."""
    d = tmp_path_factory.mktemp("published")
    out = []
    for name in ("epm-2025-06.txt", "epm-2025-07.txt"):
        (d / name).write_text(PUBLISHED, encoding="utf-8")
        out.append(extract(d / name, Minter(), reference=reference_graph()))
    return out


def test_publisher_is_an_agent_named_in_the_about_section(published: list[Extraction]) -> None:
    """DCMI: the range of dcterms:publisher is dcterms:Agent; the name and acronym go on the agent."""
    ex = published[0]
    g, b = ex.graph, ex.document
    (agent,) = g.objects(b, DCTERMS.publisher)
    assert agent == URIRef("https://w3id.org/policykg/id/agency/harbour-climate-institute")
    assert list(g.objects(b, PKG.publisher)) == [agent]
    assert (agent, RDF.type, PKG.Agency) in g
    assert list(g.objects(agent, SKOS.prefLabel)) == [Literal("Harbour Climate Institute", lang="en")]
    assert list(g.objects(agent, SKOS.altLabel)) == [Literal("HCI", lang="en")]
    assert str(g.value(b, PKG.series)) == "Example Policy Monitor (EPM)"
    quoted = {str(g.value(e, OA.exact)): g.value(e, DCTERMS.subject) for e in g.objects(b, PKG.evidence)}
    assert quoted["Harbour Climate Institute (HCI)"] == DCTERMS.publisher


def test_two_issues_of_a_series_name_one_publisher(published: list[Extraction]) -> None:
    a, b = (ex.graph.value(ex.document, DCTERMS.publisher) for ex in published)
    assert a == b and published[0].document != published[1].document


def test_landing_page_is_the_address_the_series_about_section_gives(published: list[Extraction]) -> None:
    """DCAT 3: dcat:landingPage (a sub-property of foaf:page) is where the briefing is published; the URL's
    sentence full stop is not part of it; the e-mail address is not a web page."""
    ex = published[0]
    g, b = ex.graph, ex.document
    page = URIRef("https://epm.example.org/briefings")
    assert list(g.objects(b, DCAT.landingPage)) == [page]
    assert list(g.objects(b, FOAF.page)) == [page]
    (span,) = [e for e in g.objects(b, PKG.evidence) if (e, DCTERMS.subject, DCAT.landingPage) in g]
    text = PUBLISHED
    assert text[int(g.value(span, OA.start)):int(g.value(span, OA.end))] == str(page)


def test_a_briefing_without_about_sections_names_no_publisher(synthetic: Extraction) -> None:
    g, b = synthetic.graph, synthetic.document
    assert list(g.objects(b, DCTERMS.publisher)) == []      # only the series' "About" heading
    assert list(g.objects(b, DCAT.landingPage)) == []       # and it gives no web address


def test_a_publisher_in_the_reference_data_is_not_minted(tmp_path: Path) -> None:
    text = SYNTHETIC.split(" About the Example Policy Monitor")[0] + _about(
        "National Development and Reform Commission (NDRC)", "Example Policy Monitor (EPM)", "It tracks policies.")
    path = tmp_path / "epm-2025-06.txt"
    path.write_text(text, encoding="utf-8")
    ex = extract(path, Minter(), reference=reference_graph())
    assert list(ex.graph.objects(ex.document, DCTERMS.publisher)) == [A.ndrc]
    assert list(ex.graph.objects(A.ndrc, SKOS.prefLabel)) == []  # the reference data names it


def test_sample_briefing_states_publisher_date_and_page() -> None:
    ex = extract(SAMPLE, Minter())
    g, b = ex.graph, ex.document
    (agent,) = g.objects(b, DCTERMS.publisher)
    assert isinstance(agent, URIRef) and (agent, SKOS.altLabel, Literal("iGDP", lang="en")) in g
    assert [str(u) for u in g.objects(b, DCAT.landingPage)] == ["https://ccnt.igdp.cn"]
    # "2024-03-04" names the March-April 2024 issue: it reports policies of April 2024
    assert list(g.objects(b, DCTERMS.date)) == [Literal("2024-03/2024-04", datatype=EDTF)]
    assert list(g.objects(b, DCTERMS.issued)) == []


@pytest.mark.parametrize("name, content, expected", [
    ("epm-2025-06", [], Literal("2025-06", datatype=XSD.gYearMonth)),
    ("epm_2025_06", [], None),                                        # not a slug: slugs join words with "-"
    ("brief-2024-05-17", [Literal("2024-05-02", datatype=XSD.date)], Literal("2024-05-17", datatype=XSD.date)),
    ("brief-2024-05-06", [], Literal("2024-05-06", datatype=XSD.date)),  # ISO 8601 unless refuted
    ("brief-2024-05-06", [Literal("2024-06-02", datatype=XSD.date)], Literal("2024-05/2024-06", datatype=EDTF)),
    ("brief-2024-05-06", [Literal("2024-06", datatype=XSD.gYearMonth)], Literal("2024-05/2024-06", datatype=EDTF)),
    ("brief-2024-05-06", [Literal("2024", datatype=XSD.gYear)], Literal("2024-05-06", datatype=XSD.date)),
    ("brief-2024-05-04", [Literal("2024-06-02", datatype=XSD.date)], None),  # refuted, and April is not after May
    ("brief-2024-03-15", [Literal("2024-04-01", datatype=XSD.date)], None),
    ("brief-2024-02-30", [], None),
    ("brief-2024-13", [], None),
    ("brief-20240506", [], None),                                     # a run of digits may be an identifier
    ("brief-no-date", [], None),
])
def test_name_date(name: str, content: list[Literal], expected: Literal | None) -> None:
    lit, why = name_date(name, content)
    assert lit == expected and (lit is None or lit.datatype == expected.datatype)
    assert (why is not None) == (expected is None and re.search(r"\d{4}-\d\d", name) is not None)


@pytest.mark.parametrize("masthead, expected", [
    ("China Carbon Neutrality Tracker\nPolicy Briefing | May - July 2024", Literal("2024-05/2024-07", datatype=EDTF)),
    ("China Energy Monitor\nIssue No. 27 | 5 July 2024", Literal("2024-07-05", datatype=XSD.date)),
    ("China Energy Monitor\nIssue 3, July 5th, 2024", Literal("2024-07-05", datatype=XSD.date)),
    ("China Climate Policy Pulse\nMonthly Briefing, June 2024", Literal("2024-06", datatype=XSD.gYearMonth)),
    ("Winter Digest | December - January 2025", Literal("2024-12/2025-01", datatype=EDTF)),
    ("Policy Digest 2024-07-05", Literal("2024-07-05", datatype=XSD.date)),
    ("中国气候政策简报\n2024年7月", Literal("2024-07", datatype=XSD.gYearMonth)),
    ("China Energy Monitor\nIssue 4 | 31 June 2024", None),          # no such day
    (" In March 2024 the National Energy Administration issued a notice on grid access.", None),  # prose
    ("China Energy Monitor\nIssue 4", None),
])
def test_masthead_date(masthead: str, expected: Literal | None) -> None:
    from loaders.briefing import parse_briefing
    parse = parse_briefing(masthead + "\n\nNational Updates\n\nThe Notice on Grid Access aims to help.\n", ["Notice"])
    got = masthead_date(parse)
    if expected is None:
        assert got is None
        return
    lit, (start, end) = got
    assert lit == expected and lit.datatype == expected.datatype
    assert re.search(r"\d", parse.text[start:end]) and start < end


def test_stated_date_wins_over_the_file_name(tmp_path: Path) -> None:
    """The masthead's date is the briefing's, quoted as evidence; the file name's is not added."""
    path = tmp_path / "epm-2025-07.txt"
    path.write_text("Example Policy Monitor\nPolicy Briefing | May - July 2025\n\n" + SYNTHETIC, encoding="utf-8")
    ex = extract(path, Minter(), reference=reference_graph())
    g, b = ex.graph, ex.document
    assert list(g.objects(b, DCTERMS.date)) == [Literal("2025-05/2025-07", datatype=EDTF)]
    (span,) = [e for e in g.objects(b, PKG.evidence) if (e, DCTERMS.subject, DCTERMS.date) in g]
    assert str(g.value(span, OA.exact)) == "May - July 2025"


def test_an_about_heading_that_names_no_one_gives_no_publisher(tmp_path: Path) -> None:
    """ "About Us" or "About this briefing" present no party by name: no agent "Us" is minted."""
    text = SYNTHETIC.split(" About the Example Policy Monitor")[0] + (
        " About Us\n\nWe track climate policies in China and publish a briefing every month.\n\n"
        "About the Example Policy Monitor (EPM)\n\nThe Example Policy Monitor (EPM) tracks climate policies.\n")
    path = tmp_path / "epm-2025-06.txt"
    path.write_text(text, encoding="utf-8")
    ex = extract(path, Minter(), reference=reference_graph())
    assert list(ex.graph.objects(ex.document, DCTERMS.publisher)) == []
    assert str(ex.graph.value(ex.document, PKG.series)) == "Example Policy Monitor (EPM)"
