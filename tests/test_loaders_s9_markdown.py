"""Session 9 (F4): Markdown briefings (``loaders.markdown``) and PDF bullets without a Unicode mapping.

Inputs are small and invented (no briefing's own titles, URLs or numbers).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from loader_helpers import assert_linear
from rdflib.namespace import DCTERMS, RDF

from loaders import extract
from loaders.document import read_document
from loaders.markdown import looks_like_markdown, render_markdown
from loaders.pdf import _items
from policykg.errors import InputError, UnsupportedFormat
from policykg.vocab import OA, PKG, Minter
from test_loaders_linking import reference_graph

HERE = Path(__file__).parent
DIGEST = """# The Example Power Letter, Issue 7

*Monday, March 2, 2026 · a weekly letter*

## National

**1. Methane.** The Ministry of Ecology and Environment issued the
[Guidelines on Methane Emission Control in Coal Mines](https://www.mee.gov.cn/a/202603/t20260301_1.html).
Key numbers:

* By 2028, the utilisation rate of coal mine methane will exceed 55%.
* Operators must report emissions each year.

**2. Heating.** The National Energy Administration released the
**Action Plan for Clean Winter Heating in Mountain Villages**. Full text: <https://www.nea.gov.cn/b/20260302_2.htm>

- By 2029, the clean heating rate in mountain villages will exceed 75%.
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# --------------------------------------------------------------------------- the text layout

def test_markdown_markup_disappears_and_links_become_anchors_over_their_text() -> None:
    text, anchors, strong, title = render_markdown(
        "# A Letter\n\nThe *agency* issued the [Notice on Small Things](https://x.example.gov.cn/a.html) "
        "and **Plan B** (<https://y.example.gov.cn/b.html>).\n")
    assert title == "A Letter"
    assert text == ("A Letter\n\nThe agency issued the Notice on Small Things and Plan B "
                    "(https://y.example.gov.cn/b.html).\n")
    assert [(text[a.start:a.end], a.uri) for a in anchors] == [
        ("Notice on Small Things", "https://x.example.gov.cn/a.html"),
        ("https://y.example.gov.cn/b.html", "https://y.example.gov.cn/b.html")]
    assert [text[s:e] for s, e in strong] == ["Plan B"]


def test_markdown_list_items_each_become_a_bullet_paragraph_nested_ones_too() -> None:
    text, _, _, _ = render_markdown("Intro:\n\n- Targets for 2030:\n    - output above 3 units\n"
                                    "    - cost below 2 units\n- another item\n")
    assert text.split("\n\n") == ["Intro:", "\u2022 Targets for 2030:", "\u2022 output above 3 units",
                                  "\u2022 cost below 2 units", "\u2022 another item\n"]


def test_markdown_soft_breaks_join_a_paragraph_and_quotes_and_tables_keep_their_text() -> None:
    text, anchors, _, _ = render_markdown(
        "A line\nwrapped here.\n\n> A quoted\n> remark.\n\n---\n\n| No. | Document |\n|---|---|\n"
        "| 1 | [Plan A](https://a.example.gov.cn/1) |\n| 2 | Notice B |\n\n<div>raw <b>html</b> text</div>\n")
    assert text == ("A line wrapped here.\n\nA quoted remark.\n\nNo. | Document\n1 | Plan A\n2 | Notice B\n\n"
                    "raw html text\n")
    assert [text[a.start:a.end] for a in anchors] == ["Plan A"]


def test_markdown_links_to_other_schemes_give_no_anchor() -> None:
    text, anchors, _, _ = render_markdown("[mail us](mailto:a@example.org) and [top](#top)\n")
    assert text == "mail us and top\n"
    assert anchors == []


# --------------------------------------------------------------------------- which files are Markdown

@pytest.mark.parametrize("suffix", [".md", ".markdown", ".MD"])
def test_md_and_markdown_suffixes_are_read_as_markdown(tmp_path: Path, suffix: str) -> None:
    doc = read_document(_write(tmp_path, "letter" + suffix, DIGEST))
    assert doc.kind == "markdown"
    assert "**" not in doc.text and "](" not in doc.text and not doc.text.startswith("#")
    assert [doc.text[a.start:a.end] for a in doc.anchors or []][0] == \
        "Guidelines on Methane Emission Control in Coal Mines"


def test_a_txt_file_that_is_plainly_markdown_is_read_as_markdown(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, "letter.md.txt", DIGEST))
    assert doc.kind == "markdown"
    assert doc.title == "The Example Power Letter, Issue 7"


@pytest.mark.parametrize("text", [
    "Prices rose 5%* in May.\n\n* provisional figure\n",
    "China Policy Monitor\n\n- item one\n- item two\n\n# 1\n\nThe **only** bold word.\n",
    "See [the notice](https://a.example.gov.cn/x.html) for details.\nhttps://b.example.gov.cn/y.html\n",
    "Title with [bracket] and (parenthesis) and 2 * 3 = 6 and a_b_c names.\n",
])
def test_plain_text_with_stray_markup_is_not_read_as_markdown(tmp_path: Path, text: str) -> None:
    assert not looks_like_markdown(text)
    assert read_document(_write(tmp_path, "plain.txt", text)).kind == "text"


def test_no_text_briefing_of_the_corpus_is_read_as_markdown() -> None:
    files = sorted((HERE / "hostile_unseen" / "data").glob("*-unseen.txt")) + \
        sorted((HERE.parent / "data" / "briefings").glob("*.txt"))
    assert files
    for f in files:
        assert not looks_like_markdown(f.read_text(encoding="utf-8")), f.name


def test_markdown_without_text_is_an_input_error_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="blank.md"):
        read_document(_write(tmp_path, "blank.md", "---\n\n***\n\n![](https://x.example/i.png)\n"))


def test_an_unknown_suffix_lists_md_among_the_kinds(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormat, match=r"\.md"):
        read_document(_write(tmp_path, "letter.rst", "Title\n=====\n"))


def test_markdown_render_is_linear_enough_for_a_large_input() -> None:
    block = "**Plan.** The agency issued the [Notice on Things](https://a.example.gov.cn/x.html).\n\n- by 2030, x\n\n"
    text, anchors, _, _ = render_markdown(block * 2000)  # ~200 kB
    assert len(anchors) == 2000
    assert_linear(render_markdown, lambda n: block * n, 2000)


# --------------------------------------------------------------------------- end to end

def test_markdown_digest_gives_policies_with_their_links_and_spans_into_the_kept_text(tmp_path: Path) -> None:
    ex = extract(_write(tmp_path, "example-letter.md", DIGEST), Minter(), reference=reference_graph())
    g = ex.graph
    pols = {str(g.value(p, DCTERMS.title)): p for p in g.subjects(RDF.type, PKG.Policy)}
    p = pols["Guidelines on Methane Emission Control in Coal Mines"]
    assert [str(u) for u in g.objects(p, PKG.sourceURL)] == ["https://www.mee.gov.cn/a/202603/t20260301_1.html"]
    assert not any("**" in t or "[" in t for t in pols)
    for s in g.subjects(OA.exact, None):
        assert ex.text[int(g.value(s, OA.start)):int(g.value(s, OA.end))] == str(g.value(s, OA.exact))


# --------------------------------------------------------------------------- PDF glyphs without Unicode

def _char(text: str, x0: float, size: float = 10.0) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + size * 0.5, "top": 100.0, "bottom": 100.0 + size, "size": size,
            "fontname": "Helvetica"}


def test_pdf_unmapped_glyph_alone_at_a_line_start_is_a_bullet() -> None:
    chars = [_char("(cid:127)", 10)] + [_char(ch, 20 + 5 * k) for k, ch in enumerate("by 2030")]
    assert "".join(ch for ch, _ in _items(chars, None)) == "\u2022 by 2030"


def test_pdf_line_of_a_font_with_no_mapping_at_all_stays_replacement_characters() -> None:
    chars = [_char("(cid:12)", 10), _char("(cid:40)", 20), _char("(cid:41)", 25)]
    assert "".join(ch for ch, _ in _items(chars, None)) == "\ufffd \ufffd\ufffd"
    inside = [_char("a", 10), _char("(cid:127)", 15), _char("b", 20)]
    assert "".join(ch for ch, _ in _items(inside, None)) == "a\ufffdb"


def test_pdf_bullets_without_unicode_mapping_read_as_bullets_and_cjk_text_is_kept(tmp_path: Path) -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    en = ParagraphStyle("en", fontName="Helvetica", fontSize=10, leading=13, leftIndent=14, bulletIndent=4,
                        bulletFontName="Helvetica")
    zh = ParagraphStyle("zh", parent=en, fontName="STSong-Light")
    out = tmp_path / "bullets.pdf"
    SimpleDocTemplate(str(out), invariant=1).build([
        Paragraph("Key targets:", en),
        Paragraph("by 2031, storage capacity above 7 GW", en, bulletText="\u2022"),
        Paragraph("到2031年，储能装机达到700万千瓦以上；", zh, bulletText="\u2022"),
        Paragraph("到2031年，储能装机达到700万千瓦以上；", zh)])
    doc = read_document(out)
    lines = [ln for ln in doc.text.splitlines() if ln.strip()]
    assert "(cid:" not in doc.text and "\ufffd" not in doc.text
    assert lines == ["Key targets:", "\u2022 by 2031, storage capacity above 7 GW",
                     "\u2022 到2031年，储能装机达到700万千瓦以上；", "到2031年，储能装机达到700万千瓦以上；"]
    assert not any("Unicode mapping" in w for w in doc.warnings)


def _cjk_pdf(out: Path, paras: list[str]) -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    zh = ParagraphStyle("zh", fontName="STSong-Light", fontSize=9, leading=12)
    SimpleDocTemplate(str(out), invariant=1).build([Paragraph(p, zh) for p in paras])


def test_pdf_english_words_set_in_a_cjk_font_keep_their_spaces(tmp_path: Path) -> None:
    out = tmp_path / "mixed.pdf"
    _cjk_pdf(out, ["发布机关：某某局，2031年1月2日发布。/ Issued by the Example Energy Bureau on 2 Jan 2031.",
                   "Implementation Plan for Quiet Harbours"])
    lines = [ln for ln in read_document(out).text.splitlines() if ln.strip()]
    assert lines == ["发布机关：某某局，2031年1月2日发布。/ Issued by the Example Energy Bureau on 2 Jan 2031.",
                     "Implementation Plan for Quiet Harbours"]


def test_pdf_latin_fonts_keep_word_spaces_times_too_and_words_stay_whole(tmp_path: Path) -> None:
    """Times' space is 0.25 em exactly: the old threshold (more than 0.25 em) ran its words together."""
    from reportlab_helpers import a4_canvas

    out = tmp_path / "latin.pdf"
    c = a4_canvas(out)
    for k, (font, size) in enumerate([("Helvetica", 10), ("Times-Roman", 11), ("Helvetica-Bold", 12),
                                      ("Courier", 9)]):
        c.setFont(font, size)
        c.drawString(72, 760 - 20 * k, "AVAILABILITY of Wyoming Tariff Plan, effectively 1,250 MW")
    c.save()
    lines = [ln for ln in read_document(out).text.splitlines() if ln.strip()]
    assert lines == ["AVAILABILITY of Wyoming Tariff Plan, effectively 1,250 MW"] * 4
