"""Generate ``ccnt-2024-10-unseen.pdf``: an invented China Carbon Neutrality Tracker (CCNT) issue as a PDF.

Hand-written unseen-layout test data (session 10, writer2). Titles, URLs, documents and
numbers are invented; only agency and region names are real. The layout is the one the
sample text extraction ``shared/corpus/briefings/ccnt-2024-03-04.txt`` implies for the
tracker's own PDFs: A4, a coloured header band with the tracker's name and the issue
month on page 1, an "Overview" paragraph, sections "National Updates" /
"Subnational Updates" / "Perspectives", a bold coloured headline per group of policies,
each policy's title set in bold at the start of a justified paragraph and carrying a link
annotation to its source (the URL is never printed; a title wrapped over two lines gets an
annotation on each line), one title with TWO annotations (the same policy on gov.cn and on
ndrc.gov.cn), bullets as real "•" glyphs, a pull quote box (a statistic: not a policy or
target), a photo placeholder with a caption, "China Carbon Neutrality Tracker | N" footers,
and the "About ..." boilerplate.

Run from anywhere: ``python tests/hostile_unseen/data/make_ccnt_pdf.py``; writes the PDF
next to this file. Output is deterministic (reportlab ``invariant=1``: fixed dates and ids).
"""
from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer,
                                Table, TableStyle)

OUT = Path(__file__).with_name("ccnt-2024-10-unseen.pdf")
GREEN = colors.HexColor("#1d6b4f")
# Bullets in an embedded TrueType font, as word processors write them (the glyph extracts as "•").
pdfmetrics.registerFont(TTFont("DV", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
W, H = A4

BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13.2, alignment=TA_JUSTIFY,
                      spaceAfter=6)
BULLET = ParagraphStyle("bullet", parent=BODY, leftIndent=16, bulletIndent=4, bulletFontName="DV",
                        spaceAfter=4)
HEADLINE = ParagraphStyle("headline", parent=BODY, fontName="Helvetica-Bold", fontSize=11.5, leading=15,
                          textColor=GREEN, spaceBefore=8, spaceAfter=8, alignment=0)
SECTION = ParagraphStyle("section", fontName="Helvetica-Bold", fontSize=16, leading=20, textColor=GREEN,
                         spaceBefore=10, spaceAfter=6)
REPORT = ParagraphStyle("report", parent=BODY, fontName="Helvetica-Bold", alignment=0)
QUOTE = ParagraphStyle("quote", parent=BODY, fontName="Helvetica-Oblique", fontSize=11, leading=14.5,
                       textColor=GREEN, alignment=0)
CAPTION = ParagraphStyle("caption", parent=BODY, fontName="Helvetica-Oblique", fontSize=8.5, leading=10.5,
                         alignment=0, textColor=colors.HexColor("#555555"))
SMALL = ParagraphStyle("small", parent=BODY, fontSize=9, leading=11.5)

# The policy that is linked twice (same document on gov.cn and on ndrc.gov.cn).
DUAL = {"https://www.gov.cn/zhengce/202408/content_6967712.htm":
        "https://www.ndrc.gov.cn/xxgk/jd/jd/202408/t20240812_1392245.html"}


class DualLinkCanvas(rl_canvas.Canvas):
    """Canvas that adds a second URI annotation over every rectangle linked to a key of ``DUAL``.

    A briefing editor who pasted two sources on one title produces exactly this: two
    overlapping link annotations on each line of the title.
    """

    def linkURL(self, url, rect, relative=0, thickness=0, color=None, dashArray=None, kind="URI", **kw):
        super().linkURL(url, rect, relative=relative, thickness=thickness, color=color,
                        dashArray=dashArray, kind=kind, **kw)
        if url in DUAL:
            super().linkURL(DUAL[url], rect, relative=relative, thickness=thickness, color=color,
                            dashArray=dashArray, kind=kind, **kw)


def policy(title: str, url: str, rest: str) -> Paragraph:
    """A policy paragraph: bold linked title (URL not shown) followed by its summary."""
    return Paragraph(f'<a href="{url}"><b>{title}</b></a> {rest}', BODY)


def bullets(*items: str) -> list:
    return [Paragraph(t, BULLET, bulletText="\u2022") for t in items]


def quote_box(text: str, who: str) -> Table:
    t = Table([[Paragraph(f"\u201c{text}\u201d", QUOTE)], [Paragraph(who, CAPTION)]], colWidths=[150 * mm])
    t.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#e8f3ee")),
                           ("LINEBEFORE", (0, 0), (0, -1), 3, GREEN),
                           ("LEFTPADDING", (0, 0), (-1, -1), 10), ("TOPPADDING", (0, 0), (-1, -1), 6),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return t


def photo_box(caption: str) -> Table:
    t = Table([[""], [Paragraph(caption, CAPTION)]], colWidths=[120 * mm], rowHeights=[38 * mm, None])
    t.setStyle(TableStyle([("BACKGROUND", (0, 0), (0, 0), colors.HexColor("#9fb8ad")),
                           ("BOX", (0, 0), (0, 0), 0.5, colors.grey)]))
    return t


def on_page(c: rl_canvas.Canvas, doc) -> None:
    c.saveState()
    if doc.page == 1:
        c.setFillColor(GREEN)
        c.rect(0, H - 34 * mm, W, 34 * mm, stroke=0, fill=1)
        c.setFillColor(colors.white)
        c.setFont("Helvetica-Bold", 22)
        c.drawString(20 * mm, H - 17 * mm, "China Carbon Neutrality Tracker")
        c.setFont("Helvetica", 13)
        c.drawString(20 * mm, H - 26 * mm, "Policy Briefing | October 2024")
        c.setFont("Helvetica", 9)
        c.drawRightString(W - 20 * mm, H - 26 * mm, "Institute for Global Decarbonization Progress")
    c.setFillColor(colors.HexColor("#444444"))
    c.setFont("Helvetica", 8.5)
    c.drawCentredString(W / 2, 12 * mm, f"China Carbon Neutrality Tracker | {doc.page}")
    c.restoreState()


def story() -> list:
    s: list = []
    s.append(Paragraph("Overview", SECTION))
    s.append(Paragraph(
        "From August to October 2024, China's central authorities set economy-wide green transition goals "
        "for 2030 and 2035, launched the retrofit of coal power units, and pushed equipment renewal in the "
        "energy sector. Provinces and cities followed with plans for new energy bases, new energy storage, "
        "hydrogen, zero-carbon industrial parks, low-carbon transport and near-zero energy buildings.", BODY))

    s.append(Paragraph("National Updates", SECTION))
    s.append(Paragraph("China's top leadership sets economy-wide green transition goals for 2030 and 2035.",
                       HEADLINE))
    s.append(policy(
        "Opinions on Accelerating the Comprehensive Green Transition of Economic and Social Development",
        "https://www.gov.cn/zhengce/202408/content_6967712.htm",
        "were jointly issued by the Central Committee of the Communist Party of China and the State "
        "Council, the first top-level document to set out a systematic plan for the green transition of "
        "the whole economy. The Opinions propose that:"))
    s += bullets(
        "By 2030, the share of non-fossil energy in total energy consumption will reach around 25%, and "
        "the output value of the energy conservation and environmental protection industries will reach "
        "about 15 trillion RMB.",
        "By 2035, a green, low-carbon and circular economic system will be basically established.")
    s.append(Spacer(1, 4))
    s.append(quote_box("By the end of August 2024, China's installed wind and solar capacity had reached "
                       "1,190 million kilowatts, exceeding that of coal power for the first time.",
                       "National Energy Administration, monthly statistics"))
    s.append(Spacer(1, 6))

    s.append(Paragraph("Coal power units are to halve their carbon intensity through low-carbon retrofits.",
                       HEADLINE))
    s.append(policy(
        "Action Plan for the Low-Carbon Transformation and Construction of Coal Power Units (2024-2027)",
        "https://www.ndrc.gov.cn/xxgk/zcfb/tz/202407/t20240715_1391663.html",
        "was jointly released by the National Development and Reform Commission and the National Energy "
        "Administration. It promotes biomass co-firing, green ammonia co-firing and carbon capture at "
        "existing units, and proposes that:"))
    s += bullets(
        "By 2025, the carbon emissions per kilowatt-hour of the first batch of transformed coal power "
        "projects will decrease by about 20% compared with 2023.",
        "By 2027, the carbon emissions per kilowatt-hour of the transformed projects will decrease by "
        "about 50% compared with 2023, close to the level of gas-fired power units.")

    s.append(Paragraph("Equipment renewal reaches the energy sector, and new energy buses replace old ones.",
                       HEADLINE))
    s.append(policy(
        "Implementation Plan for Promoting Large-scale Equipment Renewal in the Energy Sector",
        "http://zfxxgk.nea.gov.cn/2024-09/10/c_1310784512.htm",
        "aims to raise the efficiency and safety of power, oil and gas equipment and to recycle retired "
        "wind turbines and PV modules. The Plan proposes that by 2027:"))
    s += bullets(
        "Investment in equipment renewal in the energy sector will increase by more than 25% compared "
        "with 2023.",
        "The capacity of retired and upgraded wind turbines will reach 10 million kilowatts.",
        "The efficiency of thermal power units and the intelligence level of power grid equipment will "
        "be significantly improved.")
    s.append(Paragraph(
        "The Ministry of Finance and the Ministry of Transport published a "
        '<a href="https://xxgk.mot.gov.cn/2020/jigou/ysfws/202408/t20240802_4148211.html"><b>Notice on '
        "Supporting the Replacement of Old Urban Buses and Power Batteries with New Energy Vehicles</b></a>. "
        "It grants an average subsidy of 80,000 RMB for each new energy bus that replaces an old one, and "
        "proposes that by the end of 2025 the share of new energy vehicles among urban buses will reach "
        "more than 80%.", BODY))

    s.append(Paragraph("A carbon footprint accounting system for products takes shape.", HEADLINE))
    s.append(policy(
        "Guidelines for Carbon Footprint Accounting of Key Products",
        "https://www.mee.gov.cn/xxgk2018/xxgk/xxgk03/202409/t20240925_1087410.html",
        "were issued by the Ministry of Ecology and Environment together with the State Administration "
        "for Market Regulation and thirteen other departments. The Guidelines propose that:"))
    s += bullets(
        "By 2027, national carbon footprint accounting rules and standards will be issued for about 100 "
        "key products, and a product carbon footprint background database will be basically completed.",
        "By 2030, about 200 product carbon footprint accounting rules and standards will be issued.")

    s.append(Paragraph("Subnational Updates", SECTION))
    s.append(Paragraph("Inner Mongolia and Gansu scale up new energy and new energy storage.", HEADLINE))
    s.append(policy(
        "Implementation Plan for Accelerating the Construction of a New Type of Power System in Inner "
        "Mongolia Autonomous Region",
        "https://www.nmg.gov.cn/zwgk/zfxxgk/zfxxgkml/202409/t20240912_2572301.html",
        "was released by the People's Government of Inner Mongolia Autonomous Region. It proposes that:"))
    s += bullets(
        "By 2025, the installed capacity of new energy will exceed 135 million kilowatts.",
        "By 2027, the share of new energy in total power generation will exceed 35%, and the installed "
        "capacity of new energy storage will be no less than 30 GW.")
    s.append(photo_box("Wind and solar plants on the edge of the Kubuqi Desert, Inner Mongolia. Photo: iGDP."))
    s.append(Spacer(1, 6))
    s.append(Paragraph(
        "The Gansu Provincial Development and Reform Commission issued "
        '<a href="https://fzgg.gansu.gov.cn/fzgg/c106110/202408/174010231.shtml"><b>Several Measures to '
        "Support the Development of New Energy Storage in Gansu Province</b></a>, requiring new wind and PV "
        "projects to be equipped with energy storage of no less than 10% of their installed capacity. By "
        "2025, the installed capacity of new energy storage in the province will reach 6 GW.", BODY))

    s.append(Paragraph("Guangdong and Zhejiang promote hydrogen and zero-carbon industrial parks.", HEADLINE))
    s.append(Paragraph(
        "The Guangdong Provincial Development and Reform Commission and eight other departments jointly "
        'released an <a href="http://drc.gd.gov.cn/ywtz/content/post_4491207.html"><b>Implementation Plan '
        "for Accelerating the Development of the Hydrogen Energy Industry in Guangdong Province</b></a>. "
        "The Plan proposes that by 2027:", BODY))
    s += bullets(
        "More than 10,000 fuel cell vehicles will be promoted, and the number of hydrogen refuelling "
        "stations will reach 200.",
        "The scale of the hydrogen energy industry will reach about 100 billion RMB.")
    s.append(policy(
        "Guiding Opinions on Building Zero-Carbon Industrial Parks in Zhejiang Province",
        "https://jxt.zj.gov.cn/art/2024/9/5/art_1229123407_2430118.html",
        "were issued by the Zhejiang Provincial Department of Economy and Information Technology. By 2026, "
        "about 30 provincial zero-carbon pilot parks will be built; by 2030, the share of renewable "
        "electricity in the pilot parks will exceed 60%.", ))

    s.append(Paragraph("Cities act on low-carbon transport and near-zero energy buildings.", HEADLINE))
    s.append(Paragraph(
        "Chengdu Municipal Transport Bureau released the "
        '<a href="https://jtys.chengdu.gov.cn/cdjt/c158829/2024-09/20/content_8ac5e1f2.shtml"><b>'
        "Implementation Plan for Carbon Peaking in the Transport Sector of Chengdu</b></a>. The Plan "
        "proposes that:", BODY))
    s += bullets(
        "By 2025, the share of green travel in the central urban area will reach 70%, and the ownership of "
        "new energy vehicles will exceed 1 million.",
        "By 2030, the carbon emission intensity of operating vehicles will decrease by 9.5% compared with "
        "2020.")
    s.append(Paragraph(
        "Xiamen Municipal Bureau of Housing and Construction issued "
        '<a href="https://zjj.xm.gov.cn/xxgk/zfxxgk/202408/t20240826_2880617.htm"><b>Several Measures to '
        "Promote the Development of Near-Zero Energy Buildings in Xiamen</b></a>. By 2025, the area of newly "
        "built near-zero energy buildings will exceed 500,000 square meters. Subsidies for a single project "
        "will not exceed 5 million RMB.", BODY))

    s.append(Paragraph("Perspectives", SECTION))
    s.append(Paragraph(
        '<a href="https://rmi.org.cn/insights/provincial-peaking-pathways-2024/">Pathways to Peak: Assessing '
        "China's Provincial Carbon Peaking Plans</a> (Rocky Mountain Institute)", REPORT))
    s += bullets(
        "The report compares the carbon peaking plans of 31 provinces and finds that provinces rich in "
        "wind and solar resources can peak earlier than their plans state. It recommends linking "
        "provincial energy consumption controls to carbon budgets.")
    s.append(Paragraph(
        '<a href="https://www.igdp.cn/wp-content/uploads/2024/10/2024-10-08-iGDP-ETS-Expansion-Cement-'
        'Aluminium-EN.pdf">Expanding the National Carbon Market to Cement and Aluminium: Options and '
        "Impacts</a> (Institute for Global Decarbonization Progress)", REPORT))
    s += bullets(
        "This study simulates allowance allocation options for the cement and aluminium sectors and "
        "estimates their effect on costs and emissions.")

    s.append(Spacer(1, 10))
    s.append(Paragraph("<b>About the Institute for Global Decarbonization Progress (iGDP)</b>", SMALL))
    s.append(Paragraph(
        "The Institute for Global Decarbonization Progress (iGDP) is a non-profit think tank focusing on "
        "green and low-carbon development with offices in China and Europe.", SMALL))
    s.append(Paragraph("<b>About China Carbon Neutrality Tracker (CCNT)</b>", SMALL))
    s.append(Paragraph(
        "China Carbon Neutrality Tracker (CCNT) is an online database and interactive platform that tracks "
        "China's national and sub-national carbon neutrality actions. For the latest actions, please visit "
        "the CCNT database at https://ccnt.igdp.cn.", SMALL))
    return s


def main(path: Path = OUT) -> Path:
    """Write the PDF to ``path`` (default next to this script) and return the path."""
    doc = BaseDocTemplate(str(path), pagesize=A4, invariant=1, title="China Carbon Neutrality Tracker October 2024",
                          author="iGDP", creator="CCNT", leftMargin=20 * mm, rightMargin=20 * mm,
                          topMargin=18 * mm, bottomMargin=20 * mm)
    first = Frame(20 * mm, 20 * mm, W - 40 * mm, H - 60 * mm, id="first")
    later = Frame(20 * mm, 20 * mm, W - 40 * mm, H - 38 * mm, id="later")
    doc.addPageTemplates([PageTemplate("first", [first], onPage=on_page, autoNextPageTemplate="later"),
                          PageTemplate("later", [later], onPage=on_page)])
    doc.build(story(), canvasmaker=DualLinkCanvas)
    return path


if __name__ == "__main__":
    print(main())
