"""Session 9 (F6, readers): slide decks (PDF) and listing pages (HTML).

Invented inputs only (policies, agencies, URLs and numbers made up here). What
:func:`loaders.pdf.read_pdf` must hand on for a slide whose title, "agency | date"
line, bullets and small "Source:" footer are set in different type sizes with
little or no space between them, and what :func:`loaders.html.read_html` must
hand on for a listing whose item fields (title link, date span, summary
paragraph) touch with no whitespace. The precision tests say what the rules
must not do: same-size lines stay one paragraph, a link running into ordinary
words keeps them on its line, a subscript stays on its word.
"""

from __future__ import annotations

from pathlib import Path

from reportlab_helpers import FONT

from loaders.html import read_html
from loaders.pdf import read_pdf


def _paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, each line stripped."""
    return ["\n".join(ln.strip() for ln in p.strip().splitlines()) for p in text.split("\n\n") if p.strip()]


# --------------------------------------------------------------------------- PDF slides


def _slide_pdf(out: Path, slides: list[list[tuple[float, str, float]]]) -> Path:
    """A 16:9 deck: each slide a list of ``(font size, text, baseline drop below the previous line)``."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(out), pagesize=(960, 540), invariant=1)
    for k, slide in enumerate(slides, 1):
        y = 500.0
        for size, text, drop in slide:
            y -= drop
            c.setFont(FONT, size)
            c.drawString(48, y, text)
        c.setFont(FONT, 9)
        c.drawString(48, 20, f"Tidewater Policy Deck {k}")  # running footer with the slide number
        c.showPage()
    c.save()
    return out


#: Two policies on one slide, tight: title 19 pt, dateline 15 pt, bullets 20 pt, footer 8 pt; the second title
#: sits right under the first one's footer (baseline drops barely more than the type size).
_TWO_ON_ONE = [
    (30, "Also this quarter", 0),
    (19, "Notice on Kelp Farm Carbon Accounting", 70),
    (15, "Marine Bureau & Fisheries Office | 4 Mar 2031", 22),
    (20, "\u2022 Kelp area: 40,000 ha by 2033", 30),
    (8, "Source: https://marine.example.org/notice/2031/kelp.html", 24),
    (19, "Guidelines on Tidal Turbine Siting", 21),
    (15, "Coastal Energy Office | 9 Mar 2031", 22),
    (20, "\u2022 Tidal capacity > 3 GW (2034)", 30),
    (8, "Source: https://coast.example.org/guide/tidal.html", 24),
]


def test_pdf_slide_second_title_is_not_glued_under_first_footer(tmp_path: Path) -> None:
    doc = read_pdf(_slide_pdf(tmp_path / "s.pdf", [_TWO_ON_ONE]))
    paras = _paragraphs(doc.text)
    assert "Source: https://marine.example.org/notice/2031/kelp.html" in paras
    assert "Guidelines on Tidal Turbine Siting" in paras


def test_pdf_slide_title_and_dateline_are_paragraphs_of_their_own(tmp_path: Path) -> None:
    slide = [
        (30, "National", 0),
        (26, "Action Plan for Seagrass Restoration (2031-2035)", 80),
        (15, "Ocean Agency & Water Ministry | 12 Jun 2031", 30),
        (20, "\u2022 Meadows restored: 2,500 ha by 2035", 32),
        (20, "\u2022 Monitoring sites: 120 by 2033", 32),
        (8, "Source: https://ocean.example.org/plan/seagrass.html", 45),
    ]
    doc = read_pdf(_slide_pdf(tmp_path / "t.pdf", [slide]))
    paras = _paragraphs(doc.text)
    i = paras.index("Action Plan for Seagrass Restoration (2031-2035)")
    assert paras[i + 1] == "Ocean Agency & Water Ministry | 12 Jun 2031"
    assert paras[i + 2] == ("\u2022 Meadows restored: 2,500 ha by 2035\n\u2022 Monitoring sites: 120 by 2033")
    assert "Source: https://ocean.example.org/plan/seagrass.html" in paras


def test_pdf_slide_numbers_are_running_footers(tmp_path: Path) -> None:
    slides = [[(26, f"Notice on Reef Survey Phase {n}", 60), (20, "\u2022 Survey 10 reefs by 2032", 40)]
              for n in ("One", "Two", "Three")]
    doc = read_pdf(_slide_pdf(tmp_path / "n.pdf", slides))
    assert "Tidewater Policy Deck" not in doc.text
    assert "Notice on Reef Survey Phase Two" in doc.text


def test_pdf_same_size_lines_stay_one_paragraph(tmp_path: Path) -> None:
    """Precision: bullets in one size (and a title only slightly larger: bold-like emphasis) are not split."""
    slide = [
        (20, "Plan on Harbour Shore Power", 0),
        (18, "\u2022 Berths with shore power: 60% by 2032", 24),
        (18, "\u2022 Cruise terminals: all by 2033", 24),
    ]
    doc = read_pdf(_slide_pdf(tmp_path / "p.pdf", [slide]))
    assert _paragraphs(doc.text)[0] == ("Plan on Harbour Shore Power\n\u2022 Berths with shore power: 60% by 2032\n"
                                         "\u2022 Cruise terminals: all by 2033")


# --------------------------------------------------------------------------- HTML listing pages

_LISTING = """<!doctype html><html><head><title>Recent Notices</title></head><body>
<div class="nav"><a href="/">Home</a></div>
<div class="main"><h1>Recent Notices</h1><ul class="list">
<li><a href="https://gov.example.org/n/2031/0412/a.html">Coastal bureau issues plan on tidal lagoon power</a><span class="date">2031-04-12</span>
<p class="summary">The plan, issued by the coastal bureau, says tidal lagoon capacity should exceed 2 gigawatts by 2034.</p></li>
<li><a href="https://gov.example.org/n/2031/0409/b.html">Notice on kelp farm carbon accounting</a><span class="date">2031-04-09</span></li>
<li><a href="https://gov.example.org/n/2031/0402/c.html">Guideline on reef restoration funding</a><time>2 April 2031</time> <p>Funds of 5 billion yuan a year are set aside until 2033 for reef restoration work.</p></li>
</ul></div></body></html>"""


def _html(tmp_path: Path, page: str) -> Path:
    p = tmp_path / "page.html"
    p.write_text(page, encoding="utf-8")
    return p


def test_html_listing_title_date_summary_each_on_a_line(tmp_path: Path) -> None:
    doc = read_html(_html(tmp_path, _LISTING))
    paras = _paragraphs(doc.text)
    assert ("\u2022 Coastal bureau issues plan on tidal lagoon power\n2031-04-12\nThe plan, issued by the coastal "
            "bureau, says tidal lagoon capacity should exceed 2 gigawatts by 2034.") in paras
    assert "\u2022 Notice on kelp farm carbon accounting\n2031-04-09" in paras
    assert ("\u2022 Guideline on reef restoration funding\n2 April 2031\nFunds of 5 billion yuan a year are set "
            "aside until 2033 for reef restoration work.") in paras
    assert "power2031" not in doc.text


def test_html_listing_link_anchor_covers_exactly_the_title(tmp_path: Path) -> None:
    doc = read_html(_html(tmp_path, _LISTING))
    covered = {doc.text[a.start:a.end]: a.uri for a in doc.anchors}
    assert covered["Coastal bureau issues plan on tidal lagoon power"] == "https://gov.example.org/n/2031/0412/a.html"
    assert covered["Notice on kelp farm carbon accounting"] == "https://gov.example.org/n/2031/0409/b.html"


def test_html_date_span_after_plain_text_is_set_apart(tmp_path: Path) -> None:
    """A date element right after another inline element (not a link) gets a separator too."""
    page = ("<html><body><div><p>The notice on estuary flood barriers was released and takes effect on the "
            "first day of next month across all coastal districts.</p><ul><li><b>Notice on estuary barriers</b>"
            "<span>2031-05-06</span></li><li><b>Plan on dune fencing</b><span>2031-05-02</span></li></ul>"
            "</div></body></html>")
    doc = read_html(_html(tmp_path, page))
    assert "\u2022 Notice on estuary barriers\n2031-05-06" in _paragraphs(doc.text)


def test_html_link_running_into_words_stays_on_its_line(tmp_path: Path) -> None:
    """Precision: a link followed by punctuation, by text with a space, or by a subscript keeps its line."""
    page = ("<html><body><div><p>Read the <a href='https://a.example.org/x.html'>Plan on Salt Marshes</a>, "
            "which cuts CO<sub>2</sub> by a tenth, and the <a href='https://a.example.org/y.html'>Notice</a>'s "
            "annex on <a href='https://a.example.org/z.html'>CH</a><sub>4</sub> flaring rules for ports.</p>"
            "<ul><li><a href='https://a.example.org/w.html'>Notice on wetland credits</a> <em>updated</em></li>"
            "<li>Plain item without fields</li></ul></div></body></html>")
    doc = read_html(_html(tmp_path, page))
    paras = _paragraphs(doc.text)
    assert ("Read the Plan on Salt Marshes, which cuts CO2 by a tenth, and the Notice's annex on CH4 flaring rules "
            "for ports.") in paras
    assert "\u2022 Notice on wetland credits updated" in paras
