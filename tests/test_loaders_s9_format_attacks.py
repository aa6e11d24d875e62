"""Session 9 (formats), precision attacks: inputs where the new PDF/HTML layout rules could destroy content.

Each test draws a small invented page (reportlab canvas or platypus; HTML
inline), reads it through the public readers :func:`loaders.pdf.read_pdf` /
:func:`loaders.html.read_html` and asserts that real content survives: a URL
at a line end followed by an ordinary word, superscripts that are content
(exponents, units), label/value forms, lines in the top margin that differ
only in their numbers, merged table cells, letter-spaced headings, table rows
with empty cells, bars inside cells. The 13 defects found this way were
fixed by general rules (session 9, F3); their tests now guard them, and the
``test_precision_*`` tests at the end say what each fix must not do.
"""

from __future__ import annotations

from pathlib import Path

from reportlab_helpers import FONT
from reportlab_helpers import a4_canvas as _canvas
from reportlab_helpers import draw_with_sup as _draw_with_sup
from reportlab_helpers import text_lines as _lines

from loaders.html import read_html
from loaders.pdf import read_pdf


def _flat(text: str) -> str:
    return " ".join(text.split())


def _spaced(c, x: float, y: float, font: str, size: float, char_space: float, text: str) -> None:
    """``text`` letter-spaced by ``char_space`` pt (ISO 32000-1 section 9.3.2, Tc), Tc reset afterwards (it is
    part of the text state and would otherwise carry over to later text)."""
    t = c.beginText(x, y)
    t.setFont(font, size)
    t.setCharSpace(char_space)
    t.textOut(text)
    t.setCharSpace(0)
    c.drawText(t)


def _html(tmp_path: Path, body: str, name: str = "p.html") -> Path:
    page = ("<!doctype html><html><head><meta charset='utf-8'><title>Tidal Watch</title></head><body><main><article>"
            "<h1>Tidal Watch: Issue 9</h1><p>The coastal counties keep building tidal plants, and the inland ones "
            "add storage; this issue covers what the provinces published this month and what they plan for the "
            "next two years.</p>" + body + "</article></main></body></html>")
    out = tmp_path / name
    out.write_text(page, encoding="utf-8")
    return out


# --------------------------------------------------------------------------- 1. URLs at a line end


def test_pdf_url_at_a_full_line_end_is_not_glued_to_a_next_line_starting_with_e_g(tmp_path: Path) -> None:
    out = tmp_path / "eg.pdf"
    c = _canvas(out)
    c.setFont(FONT, 10)
    c.drawString(60, 760, "The Notice on Tidal Energy asks counties to report progress.")
    c.drawString(60, 747.5, "Counties publish their plans at www.tidal-watch.example/plans")
    c.drawString(60, 735, "e.g. the coastal ones report each spring.")
    c.drawString(60, 722.5, "Other text of the block runs to about the same width here.")
    c.showPage()
    c.save()
    lines = _lines(read_pdf(out).text)
    assert "Counties publish their plans at www.tidal-watch.example/plans" in lines
    assert "e.g. the coastal ones report each spring." in lines


def test_pdf_url_then_footnote_marker_at_line_end_is_not_joined_to_the_next_prose_line(tmp_path: Path) -> None:
    out = tmp_path / "urlnote.pdf"
    c = _canvas(out)
    c.setFont(FONT, 10)
    c.drawString(60, 760, "The Notice on Tidal Energy asks counties to report progress.")
    _draw_with_sup(c, 60, 747.5, "Counties publish their plans at www.tidal-watch.example/plans", "3", "")
    c.drawString(60, 735, "Counties report each spring to the provincial bureau.")
    c.showPage()
    c.save()
    lines = _lines(read_pdf(out).text)
    assert "Counties publish their plans at www.tidal-watch.example/plans" in lines
    assert "Counties report each spring to the provincial bureau." in lines


def test_pdf_url_at_line_end_followed_by_a_year_range_line_is_not_joined_when_the_line_had_room(tmp_path: Path) -> None:
    out = tmp_path / "room.pdf"
    c = _canvas(out)
    c.setFont(FONT, 10)
    c.drawString(60, 760, "A long line of ordinary prose sets the right edge of this block of text on the page here.")
    c.drawString(60, 747.5, "See www.tidal-watch.example/plans")
    c.drawString(60, 735, "2031/32 is the first season of the plan.")
    c.showPage()
    c.save()
    lines = _lines(read_pdf(out).text)
    assert "See www.tidal-watch.example/plans" in lines and "2031/32 is the first season of the plan." in lines


# --------------------------------------------------------------------------- 2. superscripts that are content


def test_pdf_raised_exponent_after_ten_is_kept(tmp_path: Path) -> None:
    out = tmp_path / "exp.pdf"
    c = _canvas(out)
    _draw_with_sup(c, 60, 760, "Storage output reaches 1.2 x 10", "6", " kWh a year.")
    c.showPage()
    c.save()
    assert "1.2 x 106 kWh" in _flat(read_pdf(out).text)


def test_pdf_raised_power_after_normal_cubic_metre_is_kept(tmp_path: Path) -> None:
    out = tmp_path / "nm3.pdf"
    c = _canvas(out)
    _draw_with_sup(c, 60, 760, "Gas supply rises to 30 billion Nm", "3", " by 2031.")
    c.showPage()
    c.save()
    assert "30 billion Nm3 by 2031." in _flat(read_pdf(out).text)


def test_pdf_ordinal_in_a_date_and_a_unit_power_stay(tmp_path: Path) -> None:
    out = tmp_path / "ord.pdf"
    c = _canvas(out)
    _draw_with_sup(c, 60, 760, "The plan takes effect on 1", "st", " March 2031 for all counties.")
    _draw_with_sup(c, 60, 740, "Roofs of 4 million km", "2", " are covered by the counties.")
    _draw_with_sup(c, 60, 720, "Output grows to 1.5 x 10", "4", " MWh by 2031.")
    c.showPage()
    c.save()
    text = _flat(read_pdf(out).text)
    assert "on 1st March 2031" in text
    assert "4 million km2 are covered" in text
    assert "1.5 x 104 MWh by 2031." in text


def test_html_sup_exponent_and_normal_cubic_metre_stay(tmp_path: Path) -> None:
    body = ("<p>Storage output reaches 1.2 &#215; 10<sup>6</sup> kWh a year, and gas supply rises to 30 billion "
            "Nm<sup>3</sup> by 2031, the counties say in their plans.</p>")
    text = _flat(read_html(_html(tmp_path, body)).text)
    assert "1.2 \u00d7 106 kWh" in text and "30 billion Nm3 by 2031" in text


def test_html_sup_ordinal_in_date_and_negative_exponent_stay(tmp_path: Path) -> None:
    body = ("<p>The plan takes effect on 1<sup>st</sup> March 2031, and leaks must stay below 10<sup>-4</sup> of "
            "the volume stored, the counties say in their plans for the coming years.</p>")
    text = _flat(read_html(_html(tmp_path, body)).text)
    assert "1st March 2031" in text and "10-4 of the volume" in text


# --------------------------------------------------------------------------- 3. two-column detection

FORM = [("Issuing body", "Coastal Energy Bureau of the province"), ("Document type", "Notice on tidal energy parks"),
        ("Date issued", "4 March 2031 by the bureau"), ("Effective from", "1 May 2031 for all counties"),
        ("Status", "In force and under review"), ("Scope", "All coastal counties and their grids"),
        ("Key target", "45 GW of tidal capacity by 2031"), ("Contact", "The bureau's planning office desk")]


def test_pdf_label_value_form_is_not_read_as_two_columns(tmp_path: Path) -> None:
    out = tmp_path / "form.pdf"
    c = _canvas(out)
    c.setFont(FONT, 10)
    for k, (label, value) in enumerate(FORM):
        c.drawString(60, 760 - 14 * k, label)
        c.drawString(180, 760 - 14 * k, value)
    c.showPage()
    c.save()
    lines = _lines(read_pdf(out).text)
    assert "Issuing body Coastal Energy Bureau of the province" in lines
    assert "Key target 45 GW of tidal capacity by 2031" in lines


def test_pdf_two_columns_of_numbers_beside_prose_labels_keep_their_rows(tmp_path: Path) -> None:
    out = tmp_path / "nums.pdf"
    c = _canvas(out)
    c.setFont(FONT, 10)
    for k in range(9):
        c.drawString(60, 760 - 14 * k, f"Coastal county number {k + 1} of the province")
        c.drawString(330, 760 - 14 * k, f"{k + 2} GW")
    c.showPage()
    c.save()
    lines = _lines(read_pdf(out).text)
    assert "Coastal county number 3 of the province 4 GW" in lines


# --------------------------------------------------------------------------- 5. running headers and footers


def test_pdf_top_lines_that_differ_only_in_numbers_are_not_running_headers(tmp_path: Path) -> None:
    out = tmp_path / "art.pdf"
    c = _canvas(out)
    for p in range(3):
        c.setFont(FONT, 10)
        c.drawString(60, 800, f"Article {p + 1} Counties shall build {p + 3} GW of tidal plants.")
        c.drawString(60, 760, f"Body text on page {p + 1} runs on.")
        c.showPage()
    c.save()
    text = read_pdf(out).text
    assert "Article 2 Counties shall build 4 GW of tidal plants." in text


def test_pdf_page_n_of_m_in_body_text_stays_while_the_footer_goes(tmp_path: Path) -> None:
    out = tmp_path / "pg.pdf"
    c = _canvas(out)
    for p in range(3):
        c.setFont(FONT, 8)
        c.drawString(280, 25, f"Page {p + 1} of 3")
        c.setFont(FONT, 10)
        c.drawString(60, 760, f"Page {p + 1} of the plan lists the counties of zone {p + 1}.")
        c.showPage()
    c.save()
    text = read_pdf(out).text
    assert "Page 2 of the plan lists the counties of zone 2." in text
    assert "Page 2 of 3" not in text


# --------------------------------------------------------------------------- 4. tables


def test_pdf_table_cell_merged_over_rows_keeps_its_text(tmp_path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    out = tmp_path / "span.pdf"
    st = ParagraphStyle("c", fontName=FONT, fontSize=9, leading=11)
    rows = [["Region", "Year", "Target"], ["Coastal counties", "2031", "45 GW"], ["", "2035", "60 GW"],
            ["", "2040", "80 GW"], ["Inland", "2031", "8 GW"]]
    t = Table(rows, colWidths=[150, 80, 80])
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("SPAN", (0, 1), (0, 3)),
                           ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    SimpleDocTemplate(str(out), pagesize=A4, invariant=1).build(
        [Paragraph("Targets by region are set out below.", st), t, Paragraph("Counties report every spring.", st)])
    text = read_pdf(out).text
    assert "Coastal counties" in text
    assert "Inland | 2031 | 8 GW" in text


def test_pdf_one_row_ruled_table_and_a_table_over_a_page_break_keep_their_text(tmp_path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import (
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    out = tmp_path / "rows.pdf"
    st = ParagraphStyle("c", fontName=FONT, fontSize=9, leading=11)
    one = Table([["Target", "45 GW of tidal capacity by 2031"]], colWidths=[100, 220])
    one.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]))
    many = Table([["County", "Target"]] + [[f"County {k}", f"{k} GW"] for k in range(1, 90)],
                 colWidths=[150, 80], repeatRows=1)
    many.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]))
    SimpleDocTemplate(str(out), pagesize=A4, invariant=1).build(
        [Paragraph("The plan has one headline target.", st), one, Spacer(1, 12), many])
    doc = read_pdf(out)
    text = _flat(doc.text)
    assert len(doc.page_starts) >= 2
    assert "Target" in text and "45 GW of tidal capacity by 2031" in text
    lines = _lines(doc.text)
    assert "County 1 | 1 GW" in lines and "County 89 | 89 GW" in lines


def test_html_table_row_with_empty_cells_stays_in_its_table(tmp_path: Path) -> None:
    body = ("<table><tr><th>County</th><th>2031 target</th><th>2035 target</th></tr>"
            "<tr><td>Coastal A</td><td>4 GW</td><td>6 GW</td></tr><tr><td>Inland C</td><td></td><td></td></tr>"
            "<tr><td>Coastal B</td><td>5 GW</td><td>7 GW</td></tr></table>"
            "<p>Counties report their progress every spring to the provincial bureau, which publishes a summary.</p>")
    text = read_html(_html(tmp_path, body)).text
    assert "County | 2031 target | 2035 target\nCoastal A | 4 GW | 6 GW\nInland C" in text
    assert "\nCoastal B | 5 GW | 7 GW" in text and "\n\nCoastal B" not in text


def test_html_bar_inside_a_cell_value_is_kept(tmp_path: Path) -> None:
    body = ("<table><tr><th>Code</th><th>Meaning</th></tr><tr><td>T|1</td><td>Tidal plants of the first tier</td>"
            "</tr><tr><td>T|2</td><td>Tidal plants of the second tier</td></tr></table>")
    text = read_html(_html(tmp_path, body)).text
    assert "T|1 | Tidal plants of the first tier" in text


# --------------------------------------------------------------------------- 5b. letter-spaced text


def test_pdf_letter_spaced_chinese_heading_is_kept(tmp_path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = tmp_path / "cjk.pdf"
    c = _canvas(out)
    _spaced(c, 60, 700, "STSong-Light", 16, 16, "\u5b9e\u65bd\u65b9\u6848")
    c.setFont("STSong-Light", 10)
    c.drawString(60, 670, "\u5404\u53bf\u6bcf\u5e74\u6625\u5b63\u62a5\u544a\u6f6e\u6c50\u80fd\u9879\u76ee\u8fdb\u5c55\u3002")
    c.showPage()
    c.save()
    text = read_pdf(out).text
    assert "\u5404\u53bf\u6bcf\u5e74" in text  # the body survives (guard of the test itself)
    assert "\u5b9e\u65bd\u65b9\u6848" in text


def test_pdf_letter_spaced_one_word_heading_mid_page_is_kept(tmp_path: Path) -> None:
    out = tmp_path / "sum.pdf"
    c = _canvas(out)
    c.setFont(FONT, 10)
    c.drawString(60, 760, "The coastal counties build tidal plants and report each spring.")
    _spaced(c, 60, 500, "Helvetica-Bold", 12, 7, "SUMMARY")
    c.setFont(FONT, 10)
    c.drawString(60, 480, "The counties build 45 GW of tidal plants by 2031.")
    c.showPage()
    c.save()
    text = read_pdf(out).text
    assert "The counties build 45 GW of tidal plants by 2031." in text
    assert "SUMMARY" in text


def test_pdf_spaced_capitals_inside_a_sentence_stay(tmp_path: Path) -> None:
    out = tmp_path / "ai.pdf"
    c = _canvas(out)
    c.setFont(FONT, 10)
    c.drawString(60, 760, "Grid rules for A I systems apply to every county.")
    c.drawString(60, 740, "C O 2")  # ordinary word spacing, not letter-spaced: 3 items of one line
    c.drawString(60, 720, "Counties report their emissions each spring.")
    c.showPage()
    c.save()
    text = read_pdf(out).text
    assert "Grid rules for A I systems apply to every county." in text
    assert "Counties report their emissions each spring." in text


def test_pdf_header_row_of_single_digits_in_a_borderless_table_is_kept(tmp_path: Path) -> None:
    out = tmp_path / "quarters.pdf"
    c = _canvas(out)
    c.setFont(FONT, 10)
    c.drawString(60, 780, "Tidal output of each county by quarter (GW):")
    for k, x in enumerate((200, 250, 300, 350)):
        c.drawString(x, 760, str(k + 1))
    for r, name in enumerate(("Coastal A", "Coastal B", "Inland C")):
        c.drawString(60, 745 - 14 * r, name)
        for k, x in enumerate((200, 250, 300, 350)):
            c.drawString(x, 745 - 14 * r, str(r + k + 2))
    c.showPage()
    c.save()
    lines = _lines(read_pdf(out).text)
    assert "Coastal A 2 3 4 5" in lines  # guard of the test itself
    assert "1 2 3 4" in lines


def test_html_layout_table_with_nav_and_article_is_not_a_table_row(tmp_path: Path) -> None:
    body = ("<table><tr><td width='150'><a href='/a'>Home</a><br><a href='/b'>Archive</a><br>"
            "<a href='/c'>About us</a></td><td><h2>Notice on Tidal Energy</h2><p>The coastal counties shall build "
            "45 GW of tidal plants by 2031 and report each spring to the bureau.</p><p>The inland provinces add 8 "
            "GW of storage by 2031, the notice says, and connect it to the grid within ninety days.</p></td></tr>"
            "</table>")
    out = tmp_path / "layout.html"
    out.write_text("<!doctype html><html><head><meta charset='utf-8'><title>Tidal Watch</title></head><body>" + body
                   + "</body></html>", encoding="utf-8")
    text = read_html(out).text
    assert "The coastal counties shall build 45 GW of tidal plants by 2031" in text
    assert "About us | Notice" not in text


def test_html_nested_table_keeps_its_inner_rows(tmp_path: Path) -> None:
    body = ("<table><tr><th>Plan</th><th>Targets</th></tr><tr><td>Tidal Plan</td><td><table><tr><td>2031</td>"
            "<td>45 GW</td></tr><tr><td>2035</td><td>60 GW</td></tr></table></td></tr></table>")
    text = read_html(_html(tmp_path, body)).text
    assert "Tidal Plan" in text and "2031 | 45 GW" in text and "2035 | 60 GW" in text


# --------------------------------------------------------------------------- time bounds


def test_pdf_page_of_five_thousand_tiny_characters_reads_fast(tmp_path: Path) -> None:
    import time

    out = tmp_path / "tiny.pdf"
    c = _canvas(out)
    c.setFont(FONT, 3)
    for k in range(50):
        c.drawString(20, 820 - 8 * k, "tidal plants of the coastal counties " * 3)  # ~5,500 glyphs in all
    c.showPage()
    c.save()
    t0 = time.perf_counter()
    text = read_pdf(out).text
    # a guard against a runaway (quadratic) reader only, with room for a loaded CI machine (6.6 s there once,
    # against 0.7 s alone); speed itself is for benchmarks. The PDF is read in a thread of its own
    # (loaders.document.run_bounded), so this thread's CPU time would not count it; nor would the process's
    # be this reader's alone (a stuck parser of an earlier test may still spin). Measured 0.27 s (100 lines).
    assert time.perf_counter() - t0 < 60.0
    assert text.count("tidal plants of the coastal counties") >= 100


# --------------------------------------------------------------------------- precision of the fixes


def test_precision_a_url_still_joins_when_its_next_line_is_a_path_not_an_abbreviation(tmp_path: Path) -> None:
    out = tmp_path / "host.pdf"
    c = _canvas(out)
    c.setFont(FONT, 10)
    c.drawString(60, 760, "The Notice on Tidal Energy asks counties to report progress.")
    c.drawString(60, 747.5, "Counties publish their plans at www.tidal-watch.example/pl")
    c.drawString(60, 735, "ans/ab.cd.html and report each spring.")
    c.showPage()
    c.save()
    assert "www.tidal-watch.example/plans/ab.cd.html and report each spring." in _flat(read_pdf(out).text)


def test_precision_raised_digits_after_a_year_or_a_bare_ten_are_still_footnote_markers(tmp_path: Path) -> None:
    out = tmp_path / "marks.pdf"
    c = _canvas(out)
    _draw_with_sup(c, 60, 760, "The counties began in 2010", "6", " and report each spring.")
    _draw_with_sup(c, 60, 740, "The plan names the top 10", "5", " counties of the coast.")
    c.showPage()
    c.save()
    text = _flat(read_pdf(out).text)
    assert "began in 2010 and report" in text and "the top 10 counties" in text
    body = ("<p>The counties began in 2010<sup>6</sup> and name the top 10<sup><a href='#n7'>7</a></sup> counties, "
            "says the plan for the coming years of tidal building on the coast.</p>")
    html = _flat(read_html(_html(tmp_path, body)).text)
    assert "began in 2010 and name the top 10 counties" in html


def test_html_unlinked_sup_after_a_bare_ten_is_an_exponent(tmp_path: Path) -> None:
    body = ("<p>Storage output reaches 10<sup>6</sup> kWh a year and leaks stay below 10<sup>\u22125</sup> of the "
            "volume, the counties say in their plans for the coming years of tidal building.</p>")
    text = _flat(read_html(_html(tmp_path, body)).text)
    assert "reaches 106 kWh" in text and "below 10\u22125 of the volume" in text


def test_precision_running_header_with_a_page_number_at_its_end_is_still_left_out(tmp_path: Path) -> None:
    out = tmp_path / "head.pdf"
    c = _canvas(out)
    for p in range(3):
        c.setFont(FONT, 8)
        c.drawString(60, 815, f"Tidal Watch | Issue 9 | {p + 1}")
        c.drawString(60, 25, f"{p + 1}  Coastal Energy Review")
        c.setFont(FONT, 10)
        c.drawString(60, 740, f"Body text on page {p + 1} runs on.")
        c.showPage()
    c.save()
    text = read_pdf(out).text
    assert "Tidal Watch" not in text and "Coastal Energy Review" not in text
    assert "Body text on page 2 runs on." in text


def test_precision_a_letter_spaced_logo_above_the_first_page_text_still_goes(tmp_path: Path) -> None:
    out = tmp_path / "mast.pdf"
    c = _canvas(out)
    _spaced(c, 200, 700, "Helvetica-Bold", 30, 14, "TWRC")  # masthead logo, well below the top margin
    c.setFont(FONT, 10)
    c.drawString(60, 650, "Tidal Watch Monthly Review, the coastal edition.")
    c.showPage()
    _spaced(c, 200, 700, "Helvetica-Bold", 30, 14, "TWRC")  # the same word on page 2 is no masthead
    c.setFont(FONT, 10)
    c.drawString(60, 650, "The counties build tidal plants.")
    c.showPage()
    c.save()
    doc = read_pdf(out)
    first, second = doc.text[:doc.page_starts[1]], doc.text[doc.page_starts[1]:]
    assert "TWRC" not in first and "T W R C" not in first
    assert "TWRC" in second


def test_precision_two_columns_of_prose_beside_each_other_are_still_read_column_by_column(tmp_path: Path) -> None:
    out = tmp_path / "cols.pdf"
    c = _canvas(out)
    c.setFont(FONT, 10)
    left = [f"Left column line {k} says the coastal counties build." for k in range(10)]
    right = [f"Right column line {k} says inland grids add storage." for k in range(10)]
    for k in range(10):
        c.drawString(60, 760 - 13 * k, left[k])
        c.drawString(310, 760 - 13 * k, right[k])
    c.showPage()
    c.save()
    lines = _lines(read_pdf(out).text)
    assert lines == left + right


def test_precision_html_caption_and_spanning_section_row_stay_paragraphs_of_their_own(tmp_path: Path) -> None:
    body = ("<table><caption>Table 4. Targets by county</caption><tr><th>County</th><th>2031 target</th>"
            "<th>2035 target</th></tr><tr><td colspan='3'>Coastal counties</td></tr>"
            "<tr><td>Coastal A</td><td>4 GW</td><td>6 GW</td></tr></table>")
    text = read_html(_html(tmp_path, body)).text
    assert "\n\nTable 4. Targets by county\n\nCounty | 2031 target | 2035 target\n" in text
    assert "\n\nCoastal counties\n\nCoastal A | 4 GW | 6 GW" in text
    assert "Coastal counties |" not in text


def test_precision_html_bar_between_spaces_in_a_cell_still_becomes_a_slash(tmp_path: Path) -> None:
    body = ("<table><tr><th>Item</th><th>Value</th></tr><tr><td>Tidal | wave</td><td>45 GW</td></tr>"
            "<tr><td>Storage</td><td>8 GW</td></tr></table>")
    text = read_html(_html(tmp_path, body)).text
    assert "Tidal / wave | 45 GW" in text


def test_precision_html_layout_cell_keeps_its_text_runs_and_blocks_in_order(tmp_path: Path) -> None:
    body = ("<table><tr><td><a href='/a'>Home</a></td><td>Posted today.<h2>Notice on Tidal Energy</h2><p>The "
            "coastal counties shall build 45 GW of tidal plants by 2031 and report each spring to the bureau.</p>"
            "Contact the bureau for details.</td></tr></table>")
    out = tmp_path / "lay2.html"
    out.write_text("<!doctype html><html><head><meta charset='utf-8'><title>Tidal Watch</title></head><body>" + body
                   + "</body></html>", encoding="utf-8")
    text = read_html(out).text
    i = text.find("Notice on Tidal Energy")
    j = text.find("The coastal counties shall build 45 GW")
    k = text.find("Contact the bureau for details.")
    assert 0 <= i < j < k
    assert "|" not in text


def test_precision_html_data_table_with_long_but_short_enough_cells_stays_a_table(tmp_path: Path) -> None:
    title = "Action Plan of the Coastal Province for Tidal Energy Parks and Their Grid Connection (2031-2035)"
    body = ("<table><tr><th>Policy</th><th>Issuer</th><th>Date</th><th>Key target</th></tr>"
            f"<tr><td>{title}</td><td>Coastal Energy Bureau</td><td>4 Mar 2031</td><td>45 GW by 2035</td></tr>"
            "</table>")
    text = read_html(_html(tmp_path, body)).text
    assert f"{title} | Coastal Energy Bureau | 4 Mar 2031 | 45 GW by 2035" in text
