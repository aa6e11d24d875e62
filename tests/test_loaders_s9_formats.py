"""Session 9 (formats): what the PDF and HTML readers hand on for tracker-style layouts.

Each test draws a small invented page (reportlab canvas or platypus; HTML
inline) and checks the text :func:`loaders.pdf.read_pdf` /
:func:`loaders.html.read_html` give: URLs wrapped over two lines, superscript
footnote markers, two-column pages, drawn tables, running headers and
footers, letter-spaced logos, HTML ``<sup>``/``<table>``/``<time>``. The
precision tests say what each rule must not do.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab_helpers import FONT
from reportlab_helpers import a4_canvas as _canvas
from reportlab_helpers import draw_with_sup as _draw_with_sup
from reportlab_helpers import text_lines as _lines
from reportlab_helpers import text_width as _width

from loaders.html import read_html
from loaders.pdf import read_pdf

# --------------------------------------------------------------------------- 1. URLs wrapped over two lines

URL = "https://www.example.org/policy/docs/2031/notice_44178.html"
HEAD, TAIL = URL[:-10], URL[-10:]  # ".../notice_" + "44178.html"


def _wrapped_url_pdf(out: Path, *, annotate: bool, fill: bool = True, tail: str = TAIL) -> Path:
    """A narrow block of prose whose "Link:" line breaks inside the URL (``fill``: the URL part runs to the
    block's right edge, as a layout that had to break it leaves it)."""
    c = _canvas(out)
    y = 760
    x = 60
    first = "Link: " + HEAD
    right = x + _width(first) if fill else x + _width(first) + 150
    prose = ["The Plan for Tidal Energy sets out how the coastal", "counties will build tidal plants by 2031."]
    c.setFont(FONT, 10)
    for ln in prose:
        c.drawString(x, y, ln)
        y -= 12.5
    y -= 12.5
    c.drawString(x, y, first)
    c.drawString(x, y - 12.5, tail)
    if not fill:  # something else sets the right edge of the block
        c.drawString(x, y - 50, "A longer line of ordinary prose that runs well past the link line on the page.")
    if annotate:
        c.linkURL(URL, (x + _width("Link: "), y - 15.5, x + _width(first), y + 9), relative=0)
        c.linkURL(URL, (x, y - 15.5 - 12.5, x + _width(tail), y - 3.5), relative=0)
    assert right > x
    c.showPage()
    c.save()
    return out


def test_pdf_url_wrapped_over_two_lines_is_joined_by_its_annotation(tmp_path: Path) -> None:
    doc = read_pdf(_wrapped_url_pdf(tmp_path / "a.pdf", annotate=True))
    assert "Link: " + URL in _lines(doc.text)
    assert all(doc.text[a.start:a.end] in URL for a in doc.anchors if a.uri == URL)
    assert any(a.uri == URL for a in doc.anchors)


def test_pdf_url_wrapped_without_annotation_is_joined_when_the_line_was_full(tmp_path: Path) -> None:
    doc = read_pdf(_wrapped_url_pdf(tmp_path / "b.pdf", annotate=False, fill=True))
    assert "Link: " + URL in _lines(doc.text)


def test_pdf_url_not_joined_when_its_line_had_room_or_the_next_line_is_prose(tmp_path: Path) -> None:
    # the URL line ends well before the block's right edge: the URL ended there
    doc = read_pdf(_wrapped_url_pdf(tmp_path / "c.pdf", annotate=False, fill=False))
    assert "Link: " + HEAD in _lines(doc.text) and TAIL in _lines(doc.text)
    # a prose line after a full URL line: no path character, not a URL's rest
    doc = read_pdf(_wrapped_url_pdf(tmp_path / "d.pdf", annotate=False, fill=True, tail="Counties report yearly"))
    assert "Link: " + HEAD in _lines(doc.text)
    assert "Counties report yearly" in _lines(doc.text)


def test_pdf_annotation_that_ends_at_the_line_end_stops_the_join(tmp_path: Path) -> None:
    out = tmp_path / "e.pdf"
    c = _canvas(out)
    c.setFont(FONT, 10)
    first = "Link: " + HEAD
    c.drawString(60, 700, first)
    c.drawString(60, 687.5, "2031/annex.html")
    c.linkURL(HEAD, (60 + _width("Link: "), 697, 60 + _width(first), 709), relative=0)
    c.showPage()
    c.save()
    doc = read_pdf(out)
    assert "Link: " + HEAD in _lines(doc.text)
    assert "2031/annex.html" in _lines(doc.text)


# --------------------------------------------------------------------------- 2. superscript footnote markers

def test_pdf_superscript_footnote_markers_are_dropped(tmp_path: Path) -> None:
    out = tmp_path / "sup.pdf"
    c = _canvas(out)
    _draw_with_sup(c, 60, 760, "Tidal capacity should reach 45 GW by 2031.", "7", " Counties report each year.")
    _draw_with_sup(c, 60, 740, "The Notice on Tidal Energy (draft)", "12", " was issued in spring.")
    _draw_with_sup(c, 60, 720, "Coastal plants*", "\u2020", " are exempt.")
    c.setFont(FONT, 7)
    c.drawString(60, 700, "7")  # the note itself, smaller, set on its own
    c.drawString(66, 700, "Figures are provisional.")
    c.showPage()
    c.save()
    lines = _lines(read_pdf(out).text)
    assert "Tidal capacity should reach 45 GW by 2031. Counties report each year." in lines
    assert "The Notice on Tidal Energy (draft) was issued in spring." in lines
    assert "Coastal plants* are exempt." in lines


def test_pdf_superscripts_that_are_not_markers_stay(tmp_path: Path) -> None:
    out = tmp_path / "sup2.pdf"
    c = _canvas(out)
    _draw_with_sup(c, 60, 760, "Retrofits will cover 3 million m", "2", " of roofs.")
    _draw_with_sup(c, 60, 740, "In the 15", "th", " Five-Year Plan period the counties build parks.")
    _draw_with_sup(c, 60, 720, "Emissions of CO", "2", " fall by 9%.", rise=-1.5)  # a subscript: lowered
    _draw_with_sup(c, 60, 700, "Methane (CH", "4", ") leaks must fall.")  # a formula set with a superscript
    c.showPage()
    c.save()
    text = read_pdf(out).text
    assert "3 million m2 of roofs." in text
    assert "15th Five-Year Plan" in text
    assert "CO2 fall by 9%." in text
    assert "Methane (CH4) leaks must fall." in text


# --------------------------------------------------------------------------- 3. two-column pages

LEFT = ["Overview. The coastal provinces", "keep building tidal plants and the", "inland ones add storage. The",
        "Notice on Tidal Energy sets a goal", "for each county and asks the grid", "companies to connect new plants",
        "within ninety days of their request", "so that no plant waits for a line;"]
RIGHT = ["funds for the lines come from the", "provincial budget. The Action Plan", "for Inland Storage adds 8 GW of",
         "storage by 2031 and asks each city", "to build one pilot station for the", "grid before the end of next year",
         "and to report its progress in the", "spring of each year to the province."]


def _two_column_pdf(out: Path, *, heading: str = "Section 3 Coastal and Inland Provinces",
                    footer: bool = True, shift: float = 2.0) -> Path:
    c = _canvas(out)
    c.setFont("Helvetica-Bold", 12)
    c.drawString(60, 780, heading)  # full width, above the columns
    c.setFont(FONT, 10)
    y0 = 750
    gutter_x = max(_width(x) for x in LEFT) + 16  # the left column's widest line, then a 16 pt gutter
    for k, (lft, rgt) in enumerate(zip(LEFT, RIGHT)):
        c.drawString(60, y0 - 12.5 * k, lft)
        c.drawString(60 + gutter_x, y0 - 12.5 * k - shift, rgt)  # shift: the right column's baselines need not be the left's
    if footer:
        c.drawString(60, 560, "A closing paragraph runs across the whole width of the page below both columns.")
    c.showPage()
    c.save()
    return out


@pytest.mark.parametrize("shift", [0.0, 2.0, 6.0])
def test_pdf_two_column_page_reads_left_column_then_right(tmp_path: Path, shift: float) -> None:
    lines = _lines(read_pdf(_two_column_pdf(tmp_path / "cols.pdf", shift=shift)).text)
    assert lines[0] == "Section 3 Coastal and Inland Provinces"
    assert lines[1:1 + len(LEFT)] == LEFT
    assert lines[1 + len(LEFT):1 + len(LEFT) + len(RIGHT)] == RIGHT
    assert lines[-1].startswith("A closing paragraph")


def test_pdf_one_column_page_and_a_borderless_grid_are_not_split(tmp_path: Path) -> None:
    out = tmp_path / "grid.pdf"
    c = _canvas(out)
    c.setFont(FONT, 10)
    rows = [("Province", "Tidal capacity"), ("Coastal A", "4 GW"), ("Coastal B", "6 GW"), ("Inland C", "none"),
            ("Inland D", "1 GW"), ("Coastal E", "2 GW"), ("Inland F", "3 GW"), ("Coastal G", "5 GW"),
            ("Inland H", "7 GW")]
    for k, (a, b) in enumerate(rows):
        c.drawString(60, 760 - 12.5 * k, a)
        c.drawString(320, 760 - 12.5 * k, b)
    for k in range(6):
        c.drawString(60, 600 - 12.5 * k, "Ordinary prose of one column runs across the page from the left margin on.")
    c.showPage()
    c.save()
    lines = _lines(read_pdf(out).text)
    assert "Coastal A 4 GW" in lines and "Inland H 7 GW" in lines


# --------------------------------------------------------------------------- 4. drawn tables

def _table_pdf(out: Path, rows: list[list[str]], caption: str = "Table 4. Tidal targets of the Plan") -> Path:
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

    body = ParagraphStyle("b", fontName=FONT, fontSize=10, leading=12.5)
    cell = ParagraphStyle("c", fontName=FONT, fontSize=9, leading=11)
    doc = SimpleDocTemplate(str(out), pagesize=A4, invariant=1)
    t = Table([[Paragraph(x, cell) for x in r] for r in rows], colWidths=[200, 120])
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]))
    doc.build([Paragraph("The Plan for Tidal Energy sets these goals for the coastal counties.", body), Spacer(1, 6),
               Paragraph(caption, body), Spacer(1, 4), t, Spacer(1, 8),
               Paragraph("Counties report their progress every spring.", body)])
    return out


def test_pdf_drawn_table_becomes_pipe_rows_header_first(tmp_path: Path) -> None:
    rows = [["Indicator", "2031 target"], ["Installed tidal capacity of the coastal counties", "more than 45 GW"],
            ["Share of tidal power in supply", "no less than 7%"]]
    text = read_pdf(_table_pdf(tmp_path / "t.pdf", rows)).text
    assert ("Table 4. Tidal targets of the Plan\n\nIndicator | 2031 target\n"
            "Installed tidal capacity of the coastal counties | more than 45 GW\n"
            "Share of tidal power in supply | no less than 7%\n\nCounties report") in text


def test_pdf_ruled_box_around_one_paragraph_is_not_a_table(tmp_path: Path) -> None:
    out = tmp_path / "box.pdf"
    c = _canvas(out)
    c.setFont(FONT, 10)
    c.rect(50, 690, 400, 60)
    c.drawString(60, 730, "Box. The Notice on Tidal Energy asks counties to")
    c.drawString(60, 717.5, "report their plants every spring.")
    c.showPage()
    c.save()
    text = read_pdf(out).text
    assert "|" not in text
    assert "Box. The Notice on Tidal Energy asks counties to" in _lines(text)


# --------------------------------------------------------------------------- 5. running heads, spaced logos

BODY = ["The coastal counties build tidal plants.", "Inland provinces add storage to their grids.",
        "Each county reports its progress every spring."]


def _pages_pdf(out: Path, n: int, head: str | None, first_page_logo: str | None = None) -> Path:
    c = _canvas(out)
    for p in range(n):
        c.setFont(FONT, 8)
        if head:
            c.drawString(60, 815, head)
        c.drawString(280, 25, f"Page {p + 1} of {n}")
        c.setFont(FONT, 10)
        if p == 0 and first_page_logo:
            c.drawString(60, 770, first_page_logo)
        c.drawString(60, 760, BODY[p % len(BODY)])
        c.drawString(60, 747.5, f"Section {p + 1} continues with more text.")
        c.showPage()
    c.save()
    return out


def test_pdf_running_headers_and_footers_are_left_out(tmp_path: Path) -> None:
    text = read_pdf(_pages_pdf(tmp_path / "h.pdf", 3, "Tidal Watch | Issue 9 www.tidal-watch.example")).text
    assert "Tidal Watch" not in text and "Page " not in text
    assert all(x in text for x in BODY) and "Section 3 continues" in text


def test_pdf_a_header_on_one_page_only_stays(tmp_path: Path) -> None:
    out = tmp_path / "one.pdf"
    c = _canvas(out)
    c.setFont(FONT, 10)
    c.drawString(60, 815, "Tidal Watch special issue")
    c.drawString(60, 740, "Body text of the only page.")
    c.showPage()
    c.save()
    assert "Tidal Watch special issue" in read_pdf(out).text


def test_pdf_letter_spaced_logo_is_dropped_and_spaced_words_are_joined(tmp_path: Path) -> None:
    out = tmp_path / "logo.pdf"
    c = _canvas(out)
    for y, size, text in ((790, 20, "TWRC"), (760, 10, "TIDAL WATCH")):
        t = c.beginText(60, y)
        t.setFont("Helvetica-Bold", size)
        t.setCharSpace(0.6 * size)  # letter-spacing (ISO 32000-1 section 9.3.2, Tc)
        t.textOut(text)
        t.setCharSpace(0)  # Tc is part of the text state and carries over to later text: reset it
        c.drawText(t)
    c.setFont(FONT, 10)
    c.drawString(60, 730, "Tidal Watch Monthly Review")
    c.drawString(60, 716, "The counties report each spring.")
    c.showPage()
    c.save()
    text = read_pdf(out).text
    # the logo above the first page's text goes; the spaced heading is joined into its words; the plain
    # lines after it (set without letter-spacing) read as they are
    assert _lines(text) == ["TIDAL WATCH", "Tidal Watch Monthly Review", "The counties report each spring."]
    assert "T W R C" not in text and "TWRC" not in text


def test_pdf_a_line_of_spaced_single_letters_is_not_dropped_when_it_reads_as_a_sentence(tmp_path: Path) -> None:
    out = tmp_path / "abc.pdf"
    c = _canvas(out)
    c.setFont(FONT, 10)
    c.drawString(60, 760, "Options A, B and C were weighed by the counties.")
    c.showPage()
    c.save()
    assert "Options A, B and C were weighed by the counties." in read_pdf(out).text


# --------------------------------------------------------------------------- HTML

def _html(tmp_path: Path, body: str, name: str = "p.html") -> Path:
    page = ("<!doctype html><html><head><meta charset='utf-8'><title>Tidal Watch</title>"
            "<link rel='canonical' href='https://tidal-watch.example/issue-9/'></head><body><main><article>"
            "<h1>Tidal Watch: Issue 9</h1>" + body + "</article></main></body></html>")
    out = tmp_path / name
    out.write_text(page, encoding="utf-8")
    return out


PROSE = ("<p>The coastal counties keep building tidal plants, and the inland ones add storage; this issue covers "
         "what the provinces published this month and what they plan for the next two years.</p>")


def test_html_sup_footnote_references_are_dropped(tmp_path: Path) -> None:
    body = (PROSE + "<h2><a href='https://gov.example/tidal.html'>Notice on Tidal Energy</a></h2>"
            "<p>Tidal capacity should reach 45 GW by 2031.<sup><a href='#fn1' id='r1'>1</a></sup> Counties "
            "report each year.<sup>[2]</sup> A basic system is in place by 2040.<sup>3</sup></p>")
    text = read_html(_html(tmp_path, body)).text
    assert "by 2031. Counties report each year. A basic system is in place by 2040." in " ".join(text.split())


def test_html_sup_that_is_a_power_or_an_ordinal_stays(tmp_path: Path) -> None:
    body = (PROSE + "<h2>Notice on Tidal Energy</h2><p>Retrofits will cover 3 million m<sup>2</sup> of roofs in "
            "the 15<sup>th</sup> Five-Year Plan period, the counties say in their plans; CO<sup>2</sup> falls.</p>")
    text = " ".join(read_html(_html(tmp_path, body)).text.split())
    assert "3 million m2 of roofs" in text and "15th Five-Year Plan" in text and "CO2 falls" in text


def test_html_table_rows_become_pipe_rows_with_their_links(tmp_path: Path) -> None:
    body = (PROSE + "<table><caption>Table 2. Local documents</caption><thead><tr><th>Policy</th><th>Issuer</th>"
            "<th>Date</th><th>Key target</th></tr></thead><tbody>"
            "<tr><td><a href='https://gov.example/a.html'>Plan for Tidal Parks</a></td><td>Coastal Energy Bureau</td>"
            "<td><time datetime='2031-06-09'>9 Jun 2031</time></td><td>4 GW | of tidal power by 2033</td></tr>"
            "<tr><td><a href='https://gov.example/b.html'>Measures for Inland Storage</a></td>"
            "<td>Inland Development Commission</td><td>12 Jun 2031</td><td>30 stations by 2032</td></tr>"
            "</tbody></table>")
    doc = read_html(_html(tmp_path, body))
    assert ("Policy | Issuer | Date | Key target\n"
            "Plan for Tidal Parks | Coastal Energy Bureau | 9 Jun 2031 | 4 GW / of tidal power by 2033\n"
            "Measures for Inland Storage | Inland Development Commission | 12 Jun 2031 | 30 stations by 2032\n"
            ) in doc.text
    got = {a.uri: doc.text[a.start:a.end] for a in doc.anchors}
    assert got["https://gov.example/a.html"] == "Plan for Tidal Parks"
    assert got["https://gov.example/b.html"] == "Measures for Inland Storage"


def test_html_dateline_under_a_heading_and_time_text_are_kept(tmp_path: Path) -> None:
    body = (PROSE + "<section><h3><a href='https://gov.example/t.html'>\n   Notice on Tidal Energy\n </a></h3>"
            "<p class='policy-meta'>Coastal Energy Bureau, Inland Development Commission &middot; "
            "<time datetime='2031-06-12'>12 June 2031</time></p>"
            "<p>The notice asks counties to connect tidal plants within ninety days of a request.</p></section>"
            "<dl><dt>Measures for Inland Storage</dt><dd><strong>Date:</strong> "
            "<time datetime='2031-06-10'>10 June 2031</time></dd></dl>")
    doc = read_html(_html(tmp_path, body))
    assert "Coastal Energy Bureau, Inland Development Commission · 12 June 2031" in doc.text
    assert "Date: 10 June 2031" in doc.text
    # link offsets stay right when the heading's text has leading whitespace
    a = next(a for a in doc.anchors if a.uri == "https://gov.example/t.html")
    assert doc.text[a.start:a.end] == "Notice on Tidal Energy"


def test_html_a_dated_paragraph_that_follows_no_heading_is_left_to_trafilatura(tmp_path: Path) -> None:
    body = (PROSE + "<h2>Notice on Tidal Energy</h2><p>The notice asks counties to connect tidal plants within "
            "ninety days of a request.</p><p class='post-meta'>Filed under energy &middot; "
            "<time datetime='2031-06-30'>30 June 2031</time></p>")
    assert "Filed under energy" not in read_html(_html(tmp_path, body)).text


# --------------------------------------------------------------------------- bold spans (a title inside prose)

def test_pdf_bold_text_is_handed_on_as_emphasis_spans(tmp_path: Path) -> None:
    out = tmp_path / "bold.pdf"
    c = _canvas(out)
    y = 760
    c.setFont("Helvetica-Bold", 11)
    c.drawString(60, y + 30, "Section 2 Coastal Provinces")
    parts = [("The coastal bureau issued the ", FONT), ("Tidal Province Action", "Helvetica-Bold")]
    x = 60
    for s, f in parts:
        c.setFont(f, 10)
        c.drawString(x, y, s)
        x += _width(s) if f == FONT else 0
    c.setFont("Helvetica-Bold", 10)
    c.drawString(60, y - 12.5, "Plan for Tidal Parks (2031-2033)")
    c.setFont(FONT, 10)
    c.drawString(60 + 10 + _width("Plan for Tidal Parks (2031-2033)"), y - 12.5, "in May.")
    c.showPage()
    c.save()
    doc = read_pdf(out)
    spans = [doc.text[s:e] for s, e in doc.emphasis]
    assert spans == ["Section 2 Coastal Provinces", "Tidal Province Action\nPlan for Tidal Parks (2031-2033)"]
    assert read_pdf(_wrapped_url_pdf(tmp_path / "plain.pdf", annotate=False)).emphasis == []


def test_pdf_tables_are_not_looked_for_on_a_page_of_too_many_ruling_crossings(tmp_path: Path,
                                                                                 monkeypatch) -> None:
    import loaders.pdf as pdf_mod

    rows = [["Indicator", "2031 target"], ["Tidal capacity", "45 GW"], ["Storage", "8 GW"]]
    out = _table_pdf(tmp_path / "t.pdf", rows)
    assert "Tidal capacity | 45 GW" in read_pdf(out).text
    monkeypatch.setattr(pdf_mod, "_MAX_INTERSECTIONS", 5)  # this grid has 3 x 4 = 12 crossings
    text = read_pdf(out).text
    assert "|" not in text and "Tidal capacity 45 GW" in text


def test_pdf_full_line_url_ending_in_a_page_name_is_not_joined_to_the_next_line(tmp_path: Path) -> None:
    out = tmp_path / "ref.pdf"
    c = _canvas(out)
    c.setFont(FONT, 10)
    c.drawString(60, 700, "Tidal Watch, https://tidal-watch.example/standards/tidal-units.html")
    c.drawString(60, 687.5, "ISO-3166Codes for coastal regions,")
    c.showPage()
    c.save()
    lines = _lines(read_pdf(out).text)
    assert lines == ["Tidal Watch, https://tidal-watch.example/standards/tidal-units.html",
                     "ISO-3166Codes for coastal regions,"]
