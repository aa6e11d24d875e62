"""HTML pages: a news article about one policy, and a tracker digest of several."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.namespace import DCTERMS, RDF

from loaders import extract
from loaders.html import read_html
from policykg.errors import InputError
from policykg.vocab import OA, PKG, Minter

from test_loaders_linking import A, R, reference_graph

ARTICLE = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>NDRC issues Notice on Improving Green Power Trading - Example News</title>
<link rel="canonical" href="https://news.example.com/2025-05/06/c_123.htm"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>NDRC issues Notice on Improving Green Power Trading</h1>
<p>BEIJING, May 6 -- On May 5, the National Development and Reform Commission issued the
<a href="https://www.ndrc.gov.cn/xxgk/zcfb/tz/202505/t20250505_111.html">Notice on Improving Green Power
Trading</a>, which aims to expand green electricity consumption across China.</p>
<p>The Notice proposes that by 2027, green power trading will exceed 300 billion kilowatt-hours a year.</p>
<p>Analysts said the move would help exporters meet carbon border rules in Europe and elsewhere.</p>
</article><footer>Copyright Example News. All rights reserved.</footer></body></html>
"""

ARTICLE_NO_LINK = ARTICLE.replace(
    '<a href="https://www.ndrc.gov.cn/xxgk/zcfb/tz/202505/t20250505_111.html">', "").replace("</a>, which", ", which")

DIGEST = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Example Policy Monitor, June 2025</title></head>
<body><main>
<h1>Example Policy Monitor, June 2025</h1>
<p>China strengthens methane control and clean heating policies this month.</p>
<p>The Ministry of Ecology and Environment released the
<a href="https://www.mee.gov.cn/xxgk2018/xxgk/xxgk03/202506/t20250603_5678.html">Guidelines on Methane
Emission Control in Coal Mines</a>, with a focus on monitoring and recovery of gas.</p>
<ul><li>By 2027, the utilisation rate of coal mine methane will exceed 50%.</li>
<li>Operators must report emissions each year to the local authorities.</li></ul>
<h2>Subnational Updates</h2>
<p>Provinces act on clean heating in rural areas.</p>
<p>Shandong Province issued an <a href="http://fgw.shandong.gov.cn/art/2025/6/9/art_1_2.html">Action Plan
for Clean Winter Heating in Rural Areas of Shandong Province</a> to reduce coal use in villages.</p>
<h2>Perspectives</h2>
<p><a href="https://example.org/reports/2025/ports.pdf">Pathways to Net Zero Ports in East Asia</a>
(Clean Transport Institute)</p>
<p>The study models port electrification scenarios and their costs for operators.</p>
</main></body></html>
"""


def _write(tmp_path: Path, name: str, html: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(html.encode(encoding))
    return p


def _titles(ex) -> dict[str, object]:
    g = ex.graph
    return {str(g.value(p, DCTERMS.title)): p for p in g.subjects(RDF.type, PKG.Policy)}


def test_article_about_one_policy(tmp_path: Path) -> None:
    ex = extract(_write(tmp_path, "ndrc-green-power.html", ARTICLE), Minter(), reference=reference_graph())
    g = ex.graph
    pols = _titles(ex)
    assert list(pols) == ["Notice on Improving Green Power Trading"]
    p = pols["Notice on Improving Green Power Trading"]
    assert [str(u) for u in g.objects(p, PKG.sourceURL)] == [
        "https://www.ndrc.gov.cn/xxgk/zcfb/tz/202505/t20250505_111.html"]
    assert list(g.objects(p, PKG.issuedBy)) == [A.ndrc]
    assert list(g.objects(p, PKG.jurisdiction)) == [R.CN]
    assert str(g.value(p, PKG.publicationDate)) == "2025-05-05"
    for s in g.objects(p, PKG.evidence):
        assert ex.text[int(g.value(s, OA.start)):int(g.value(s, OA.end))] == str(g.value(s, OA.exact))
    assert ex.stats["targets"] >= 1


def test_article_without_link_uses_its_own_url(tmp_path: Path) -> None:
    ex = extract(_write(tmp_path, "article.htm", ARTICLE_NO_LINK), Minter(), reference=reference_graph())
    g = ex.graph
    (p,) = _titles(ex).values()
    assert [str(u) for u in g.objects(p, PKG.sourceURL)] == ["https://news.example.com/2025-05/06/c_123.htm"]


def test_tracker_digest_of_several(tmp_path: Path) -> None:
    ex = extract(_write(tmp_path, "epm-2025-06.html", DIGEST), Minter(), reference=reference_graph())
    g = ex.graph
    pols = _titles(ex)
    assert set(pols) == {"Guidelines on Methane Emission Control in Coal Mines",
                         "Action Plan for Clean Winter Heating in Rural Areas of Shandong Province"}
    methane = pols["Guidelines on Methane Emission Control in Coal Mines"]
    assert list(g.objects(methane, PKG.issuedBy)) == [A.mee]
    assert [str(u) for u in g.objects(methane, PKG.sourceURL)] == [
        "https://www.mee.gov.cn/xxgk2018/xxgk/xxgk03/202506/t20250603_5678.html"]
    heating = pols["Action Plan for Clean Winter Heating in Rural Areas of Shandong Province"]
    assert list(g.objects(heating, PKG.jurisdiction)) == [R["CN-SD"]]
    assert [str(u) for u in g.objects(heating, PKG.sourceURL)] == [
        "http://fgw.shandong.gov.cn/art/2025/6/9/art_1_2.html"]
    reports = {str(g.value(r, DCTERMS.title)) for r in g.subjects(RDF.type, PKG.Report)}
    assert reports == {"Pathways to Net Zero Ports in East Asia"}
    assert str(g.value(ex.document, DCTERMS.title)) == "Example Policy Monitor, June 2025"


def test_gbk_page_is_read(tmp_path: Path) -> None:
    html = ARTICLE.replace('charset="utf-8"', 'charset="gbk"').replace("Example News", "示例新闻网 新闻中心")
    doc = read_html(_write(tmp_path, "gbk.html", html, encoding="gbk"))
    assert "Notice on Improving Green Power" in doc.text


def test_page_without_main_text(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        extract(_write(tmp_path, "nothing.html", "<html><body><nav></nav></body></html>"), Minter(),
                reference=reference_graph())
    assert "nothing.html" in str(info.value)


def test_anchor_offsets_quote_link_text(tmp_path: Path) -> None:
    doc = read_html(_write(tmp_path, "digest.html", DIGEST))
    assert doc.anchors
    for a in doc.anchors:
        assert doc.text[a.start:a.end].strip()
    first = doc.anchors[0]
    assert " ".join(doc.text[first.start:first.end].split()) == "Guidelines on Methane Emission Control in Coal Mines"


def test_link_elsewhere_in_the_paragraph(tmp_path: Path) -> None:
    html = ("<html><head><title>Monitor</title></head><body><main><h1>Monitor</h1>"
            "<p>The Ministry of Ecology and Environment released the Guidelines on Methane Emission Control in "
            "Coal Mines, with a focus on recovery of gas from old mines (<a href='https://www.mee.gov.cn/a/"
            "202506/t20250603_1.html'>full text</a>).</p><p>Another paragraph without any policy in it at all, "
            "long enough to be kept as main text by the extractor.</p></main></body></html>")
    ex = extract(_write(tmp_path, "m.html", html), Minter(), reference=reference_graph())
    g = ex.graph
    (p,) = g.subjects(RDF.type, PKG.Policy)
    assert [str(u) for u in g.objects(p, PKG.sourceURL)] == ["https://www.mee.gov.cn/a/202506/t20250603_1.html"]
    assert str(g.value(p, PKG.publicationDate)) == "2025-06-03"


def test_relative_link_resolved_against_page_url(tmp_path: Path) -> None:
    html = ARTICLE.replace("https://www.ndrc.gov.cn/xxgk/zcfb/tz/202505/t20250505_111.html", "/docs/202505/t20250505_9.html")
    doc = read_html(_write(tmp_path, "rel.html", html))
    assert [a.uri for a in doc.anchors] == ["https://news.example.com/docs/202505/t20250505_9.html"]


# --- decoding (HTML section 13.2.3.2), links (section 2.4.1), what a browser never renders

GBK_PAGE = ("<html><head>{meta}<title>Tracker</title></head><body><article><h1>Policy tracker</h1><p>来源: 通知"
            "</p><p>Notice on Testing Charsets aims to test the decoding of pages. By 2025 it will exceed 30 "
            "million kilowatts.</p></article></body></html>")


@pytest.mark.parametrize("meta", ["<meta charset='gb2312'>",
                                  '<meta http-equiv="Content-Type" content="text/html; charset=GBK">',
                                  "<!-- <meta charset='utf-8'> --><meta charset=x-gbk>"])
def test_a_declared_charset_decodes_the_page(tmp_path: Path, meta: str) -> None:
    doc = read_html(_write(tmp_path, "gbk.html", GBK_PAGE.format(meta=meta), encoding="gbk"))
    assert "来源: 通知" in doc.text
    assert doc.warnings == []


def test_the_transport_charset_beats_meta_and_a_bom_beats_both(tmp_path: Path) -> None:
    page = GBK_PAGE.format(meta="<meta charset='iso-8859-1'>")
    path = _write(tmp_path, "t.html", page, encoding="gbk")
    assert "来源: 通知" in read_html(path, declared_charset="gbk").text
    path = tmp_path / "bom.html"
    path.write_bytes(b"\xef\xbb\xbf" + page.encode("utf-8"))
    assert "来源: 通知" in read_html(path, declared_charset="gbk").text


def test_a_guess_or_a_wrong_declaration_is_a_warning(tmp_path: Path) -> None:
    text = "Notice on Guessing aims to test. " * 3 + "Le café est très bon, déjà vu à la carte. " * 20
    page = f"<html><head>{{meta}}<title>Tracker</title></head><body><article><p>{text}</p></article></body></html>"
    doc = read_html(_write(tmp_path, "none.html", page.format(meta=""), encoding="cp1252"))
    assert "café" in doc.text and any("guessed" in w for w in doc.warnings), doc.warnings
    doc = read_html(_write(tmp_path, "wrong.html", page.format(meta="<meta charset='utf-8'>"), encoding="cp1252"))
    assert any("does not fit" in w for w in doc.warnings), doc.warnings


def test_utf16_and_replacement_charsets_are_named(tmp_path: Path) -> None:
    path = tmp_path / "u16.html"
    path.write_bytes(GBK_PAGE.format(meta="").encode("utf-16"))
    with pytest.raises(InputError) as info:
        read_html(path)
    assert str(info.value).startswith("u16.html:") and "UTF-16" in str(info.value)
    with pytest.raises(InputError) as info:
        read_html(_write(tmp_path, "r.html", GBK_PAGE.format(meta="<meta charset='iso-2022-kr'>")))
    assert "iso-2022-kr" in str(info.value)


@pytest.mark.parametrize("head, url, links", [
    ("<link rel='canonical' href='https://a.gov.cn/x/y/index.html'><base href='../z/'>",
     "https://a.gov.cn/x/y/index.html", ["https://a.gov.cn/x/z/p.html"]),
    ("<meta property='og:url' content='https://a.gov.cn/n/1.html'>", "https://a.gov.cn/n/1.html",
     ["https://a.gov.cn/n/p.html"]),
    ("<base href='https://b.gov.cn/first/'><base href='https://b.gov.cn/second/'>", None,
     ["https://b.gov.cn/first/p.html"]),
    ("", None, []),
], ids=["relative-base", "og-url", "first-base", "no-base"])
def test_links_resolve_against_the_document_base_url(tmp_path: Path, head: str, url: str | None,
                                                     links: list[str]) -> None:
    page = (f"<html><head><title>T</title>{head}</head><body><article><h1>T</h1><p><a href='p.html'>Notice on "
            "Testing Base URLs</a> aims to test links. By 2025 it will exceed 30 million kilowatts.</p><p>A second "
            "paragraph long enough to be kept as main text by the extractor, about energy.</p></article></body>"
            "</html>")
    doc = read_html(_write(tmp_path, "base.html", page))
    assert doc.url == url
    assert [a.uri for a in doc.anchors] == links


def test_hidden_text_is_dropped_and_its_tail_kept(tmp_path: Path) -> None:
    page = ("<html><head><title>T</title></head><body><article><h1>T</h1><p>Visible start "
            "<span style='color: red; VISIBILITY: hidden !important'>secret one</span>middle "
            "<template>secret two</template><span hidden=until-found>secret three</span>end of the visible "
            "sentence about energy policy.</p><p style='display:block'>Shown paragraph about energy.</p>"
            "</article></body></html>")
    text = read_html(_write(tmp_path, "h.html", page)).text
    assert "secret" not in text
    assert "Visible start middle end of the visible sentence" in " ".join(text.split())
    assert "Shown paragraph" in text


def test_nesting_past_the_parser_limit_is_a_warning(tmp_path: Path) -> None:
    page = ("<html><body><article><h1>T</h1><p>Notice on Deep Pages aims to test nesting of elements in "
            "pages.</p><p>x " + "<font>" * 3000 + "deep</p><p>Guidance on Lost Paragraphs.</p></article></body></html>")
    doc = read_html(_write(tmp_path, "deep.html", page))
    assert any("stopped early" in w for w in doc.warnings), doc.warnings


@pytest.mark.parametrize("head, expected", [
    ('<meta property="article:published_time" content="2025-06-20T08:00:00+08:00">', "2025-06-20"),
    ('<meta name="DCTERMS.issued" content="2025/06/21">', "2025-06-21"),
    ('<meta name="PubDate" content="2025-06-22 10:00">', "2025-06-22"),
    ('<script type="application/ld+json">{"@graph": [{"@type": "Article", "datePublished": "2025-06-23"}]}</script>',
     "2025-06-23"),
    ('<meta name="date" content="2025-06-24"><meta name="pubdate" content="2025-02-30">', None),  # any date; no such day
    ("", None),
])
def test_the_page_metadata_dates_a_briefing_without_a_dated_masthead_or_name(tmp_path: Path, head: str,
                                                                            expected: str | None) -> None:
    """The page's own publication date is the briefing's date; a date in the body text never is
    (trafilatura's metadata took "by 2027" style dates from prose)."""
    page = DIGEST.replace("<title>", head + "<title>").replace("Example Policy Monitor, June 2025",
                                                                "Example Policy Monitor")
    page = page.replace("<p>Operators must report", "<p>Deadline 2026-12-31. Operators must report")
    ex = extract(_write(tmp_path, "monitor.html", page), Minter(), reference=reference_graph())
    dates = [str(d) for d in ex.graph.objects(ex.document, DCTERMS.date)]
    assert dates == ([expected] if expected else []), dates


def test_a_page_date_before_a_reported_document_is_not_the_briefings_date(tmp_path: Path) -> None:
    page = DIGEST.replace("<title>", '<meta property="article:published_time" content="2025-06-01"><title>')
    page = page.replace("Example Policy Monitor, June 2025", "Example Policy Monitor")
    ex = extract(_write(tmp_path, "monitor.html", page), Minter(), reference=reference_graph())
    assert list(ex.graph.objects(ex.document, DCTERMS.date)) == []  # it reports a document of 2025-06-09
    assert any("2025-06-01" in w and "2025-06-09" in w for w in ex.warnings), ex.warnings
