"""Generate ``provincial-roundup-2025-05-unseen.pdf``: an invented monthly PDF roundup.

Hand-written unseen-layout test data (session 9). Titles, URLs, documents and
numbers are invented; only agency names/abbreviations are real. The layout
mimics PDFs as research groups publish them: a title page with a logo-like
heading and contents, a running header, "Page N of M" footers, one section per
region group, policies as a bold title line (Chinese title in parentheses, CID
font STSong-Light) followed by Issuer/Date/Link lines or by prose, drawn tables
of targets (reportlab Table with grid), superscript footnote markers with the
notes at the end of the section, URLs wrapped over two lines, words hyphenated
at line ends, and one two-column page.

Run from anywhere: ``python tests/hostile_unseen/data/make_roundup_pdf.py``;
writes the PDF next to this file. Output is deterministic (invariant=1).
"""
from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate,
                                Paragraph, Spacer, Table, TableStyle)

OUT = Path(__file__).with_name("provincial-roundup-2025-05-unseen.pdf")
pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))

ss = getSampleStyleSheet()
BODY = ParagraphStyle("body", parent=ss["BodyText"], fontName="Helvetica", fontSize=9.5, leading=12.5)
TITLE = ParagraphStyle("ptitle", parent=BODY, fontName="Helvetica-Bold", fontSize=10.5, leading=13.5,
                       spaceBefore=8)
META = ParagraphStyle("meta", parent=BODY, leftIndent=8)
H1 = ParagraphStyle("h1", parent=ss["Heading1"], fontName="Helvetica-Bold", fontSize=15,
                    textColor=colors.HexColor("#0b5d3b"))
NOTE = ParagraphStyle("note", parent=BODY, fontSize=7.5, leading=9.5)
CAP = ParagraphStyle("cap", parent=BODY, fontName="Helvetica-Oblique", fontSize=8.5)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=8.5, leading=10.5)


def zh(s: str) -> str:
    """Wrap Chinese text in the built-in CID font."""
    return f'<font name="STSong-Light">{s}</font>'


def link(url: str, split_at: int | None = None) -> Paragraph:
    """A "Link:" line; the URL is broken over two lines at ``split_at`` (as a narrow column does)."""
    shown = url if split_at is None else url[:split_at] + "<br/>" + url[split_at:]
    return Paragraph(f'Link: <a href="{url}" color="blue">{shown}</a>', META)


def meta(issuer: str, date: str) -> list:
    return [Paragraph(f"Issuer: {issuer}", META), Paragraph(f"Date: {date}", META)]


def table(rows: list[list[str]], caption: str, widths) -> list:
    data = [[Paragraph(c, CELL) for c in r] for r in rows]
    t = Table(data, colWidths=widths, hAlign="LEFT")
    t.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dcefe4")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return [Spacer(1, 4), Paragraph(caption, CAP), Spacer(1, 2), t, Spacer(1, 4)]


def notes(*lines: str) -> list:
    out = [Spacer(1, 6), Paragraph("_" * 30, NOTE)]
    out += [Paragraph(f"<super>{i}</super> {s}", NOTE) for i, s in lines]
    return out


class NumberedCanvas(rl_canvas.Canvas):
    """Canvas that knows the page count, for "Page N of M" footers (two-pass)."""

    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self._saved = []

    def showPage(self):
        self._saved.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._saved)
        for state in self._saved:
            self.__dict__.update(state)
            if self._pageNumber > 1:
                self.setFont("Helvetica", 8)
                self.setFillColor(colors.grey)
                self.drawString(20 * mm, A4[1] - 12 * mm,
                                "LLRC Provincial Climate Policy Roundup  |  May 2025")
                self.drawRightString(A4[0] - 20 * mm, A4[1] - 12 * mm, "www.llrc-lowcarbon.org")
                self.line(20 * mm, A4[1] - 14 * mm, A4[0] - 20 * mm, A4[1] - 14 * mm)
                self.drawCentredString(A4[0] / 2, 10 * mm, f"Page {self._pageNumber} of {total}")
            super().showPage()
        super().save()


def story() -> list:
    s: list = []
    logo = ParagraphStyle("logo", parent=H1, fontSize=40, leading=46, alignment=TA_CENTER,
                          textColor=colors.HexColor("#0b5d3b"))
    s += [Spacer(1, 50 * mm), Paragraph("L L R C", logo),
          Paragraph("Lianhe Low-Carbon Research Centre", ParagraphStyle("sub", parent=BODY, alignment=TA_CENTER,
                                                                       fontSize=12)),
          Spacer(1, 20 * mm),
          Paragraph("Provincial Climate Policy Roundup", ParagraphStyle("big", parent=H1, fontSize=24,
                                                                        leading=30, alignment=TA_CENTER)),
          Paragraph("Issue 17 &middot; May 2025", ParagraphStyle("iss", parent=BODY, alignment=TA_CENTER,
                                                                 fontSize=12)),
          Spacer(1, 20 * mm)]
    for line in ["Contents", "1  National Policies", "2  Northern and Eastern Provinces",
                 "3  Central and Western Provinces", "4  City Watch", "5  Further Reading"]:
        s.append(Paragraph(line, ParagraphStyle("toc", parent=BODY, alignment=TA_CENTER, fontSize=10.5)))
    s += [NextPageTemplate("one"), PageBreak()]

    # ---- 1 National
    s.append(Paragraph("1  National Policies", H1))
    s.append(Paragraph(
        "Action Plan for Accelerating the Construction of a New-Type Power System (2025&ndash;2027) ("
        + zh("加快构建新型电力系统行动方案（2025—2027年）") + ")", TITLE))
    s += meta("National Development and Reform Commission; National Energy Administration", "12 May 2025")
    s.append(link("https://www.ndrc.gov.cn/xxgk/zcfb/tz/202505/t20250512_1398321.html", 46))
    s.append(Paragraph(
        "The plan organises nine special actions on grid flexibility, system-friendly renewable plants and "
        "smart dispatching.<super>1</super> Its headline goals for 2027 are summarised in Table 1.", BODY))
    s += table([["Indicator", "2027 target"],
                ["New-type energy storage installed capacity", "more than 180 GW"],
                ["Demand-side response capability", "no less than 5% of maximum load"],
                ["Inter-provincial transmission capacity", "400 million kW"]],
               "Table 1. Selected 2027 targets of the national Action Plan", [95 * mm, 60 * mm])

    s.append(Paragraph(
        "Implementation Plan for the Allocation of Carbon Emission Allowances in the Steel, Cement and "
        "Aluminium Smelting Industries (" + zh("钢铁、水泥、铝冶炼行业碳排放配额分配实施方案") + ")", TITLE))
    s += meta("Ministry of Ecology and Environment", "6 May 2025")
    s.append(link("https://www.mee.gov.cn/xxgk2018/xxgk/xxgk03/202505/t20250506_1112045.html"))
    s.append(Paragraph(
        "Entities emitting 26,000 tonnes of CO2 or more a year in the three industries enter the national "
        "market with intensity-based free allocation for the 2024 and 2025 compliance years. By 2027 the "
        "Ministry intends to intro-<br/>duce an absolute cap for industries whose emissions have "
        "stabilised.<super>2</super>", BODY))

    s.append(Spacer(1, 6))
    s.append(Paragraph(
        "The Ministry of Industry and Information Technology (MIIT) and seven other departments released "
        "the <b>Guiding Opinions on the Recycling and Utilisation of Retired Wind Turbines and Photovoltaic "
        "Modules</b> (" + zh("关于促进退役风电、光伏设备循环利用的指导意见") + ") on 23 April.<super>3</super> "
        "By 2027, the country should have a dismantling and recycling capacity of around 500,000 tonnes "
        "per year, and by 2030 the comprehensive utilisa-<br/>tion rate of retired blades and modules "
        "should be no lower than 85%.", BODY))
    s.append(link("https://www.miit.gov.cn/zwgk/zcwj/wjfb/yj/art/2025/art_5d2e71c04b8a4f2e9c1b.html"))

    s.append(Paragraph(
        "Notice on Orderly Promoting the Direct Supply of Green Electricity ("
        + zh("关于有序推动绿电直连发展的通知") + ")", TITLE))
    s += meta("National Energy Administration", "20 May 2025")
    s.append(link("http://zfxxgk.nea.gov.cn/2025-05/20/c_1310822417.htm"))
    s.append(Paragraph(
        "Direct-supply projects must consume on site no less than 60% of the electricity they generate each "
        "year, and self-generated green power should account for at least 30% of the user&rsquo;s total "
        "electricity consumption. Surplus power may be fed into the public grid only within the share "
        "agreed with the grid company.", BODY))
    s += notes((1, "Titles are unofficial translations by the LLRC team."),
               (2, "Allowances for the 2024 compliance year are to be surrendered by the end of 2025."),
               (3, "The Chinese title uses " + zh("指导意见") + " (guiding opinions)."))
    s.append(PageBreak())

    # ---- 2 Northern and Eastern
    s.append(Paragraph("2  Northern and Eastern Provinces", H1))
    s.append(Paragraph(
        "Zhejiang Province Implementation Plan for the High-Quality Development of Offshore Wind Power "
        "(2025&ndash;2030) (" + zh("浙江省海上风电高质量发展实施方案（2025—2030年）") + ")", TITLE))
    s += meta("Zhejiang Provincial Development and Reform Commission", "8 May 2025")
    s.append(link("https://fzggw.zj.gov.cn/art/2025/5/8/art_1229123351_5412345.html"))
    s.append(Paragraph(
        "By the end of 2027, grid-connected offshore wind capacity will reach 12 GW; by 2030 it is to "
        "exceed 20 million kilowatts (" + zh("2000万千瓦") + "), with an offshore wind equipment industry "
        "chain worth around 100 billion yuan.", BODY))

    s.append(Spacer(1, 6))
    s.append(Paragraph(
        "On 28 April, the Jiangsu Provincial Department of Industry and Information Technology published "
        "the <b>Implementation Plan for Carbon Peaking in the Industrial Sector of Jiangsu Province</b> ("
        + zh("江苏省工业领域碳达峰实施方案") + ").<super>4</super> Energy consumption per unit of industrial "
        "added value is to be cut by 18% from 2020 levels by 2025, and CO2 emissions per unit of indus-<br/>"
        "trial added value by 22%&ndash;25% from 2020 by 2030. By 2030, green factories should contribute "
        "no less than 40% of industrial output value.", BODY))
    s.append(link("https://gxt.jiangsu.gov.cn/art/2025/4/28/art_6278_11534210.html"))

    s.append(Paragraph(
        "Opinions on Accelerating the High-Quality Development of the Hydrogen Energy Industry in Anhui "
        "Province (" + zh("关于加快氢能产业高质量发展的意见") + ")", TITLE))
    s += meta("Anhui Provincial People&rsquo;s Government", "30 April 2025")
    s.append(link("https://www.ah.gov.cn/public/1681/564213871.html"))
    s += table([["Indicator", "By 2027"],
                ["Hydrogen refuelling stations", "no fewer than 60"],
                ["Fuel cell vehicles in operation", "5,000"],
                ["Output value of the hydrogen industry", "over CNY 50 billion"]],
               "Table 2. Anhui hydrogen industry targets", [95 * mm, 60 * mm])

    s.append(Paragraph(
        "Beijing Municipality Work Plan for Promoting Vehicle-Grid Interaction ("
        + zh("北京市推动车网互动工作方案") + ")", TITLE))
    s += meta("Beijing Municipal Commission of Development and Reform", "19 May 2025")
    s.append(link("https://fgw.beijing.gov.cn/fgwzwgk/zcgk/bwqtwj/202505/t20250519_4079012.htm"))
    s.append(Paragraph(
        "By the end of 2026, the city will have more than 1,000 bidirectional (V2G) charging piles and an "
        "adjustable charging load of about 500,000 kilowatts (" + zh("50万千瓦") + "); by 2030, the "
        "adjustable load should be no less than 1 million kW.", BODY))
    s += notes((4, "A draft was circulated for public comment in October 2024."))
    s += [NextPageTemplate("two"), PageBreak()]

    # ---- 3 Central and Western (two columns)
    s.append(Paragraph("3  Central and Western Provinces", H1))
    s.append(Paragraph(
        "<b>Overview.</b> Central and western provinces continue to host most of the country&rsquo;s new "
        "large wind and solar bases. According to NEA statistics, the region connected about 35 GW of wind "
        "and solar capacity in the first quarter of 2025, while curtailment in the north-west rose again "
        "during the spring. Provincial governments are responding with storage mandates, hydropower-"
        "anchored bases and distributed PV programmes; Yunnan and Guizhou are expected to publish similar "
        "plans later this year. In this section we cover three documents: a hydro-wind-solar base plan for "
        "the upper Jinsha and Yalong rivers, Guangxi&rsquo;s new support measures for storage, and "
        "Henan&rsquo;s distributed PV plan, which is notable for tying grid funding to hosting capacity. "
        "Readers interested in inter-provincial power trading should also see the tracker listed in "
        "Section 5, which compares the spot-market rules of eleven provinces. Ningxia&rsquo;s storage "
        "leasing market, covered in our March issue, has meanwhile been extended to 2026.", BODY))
    s.append(Paragraph(
        "Work Plan for the Construction of Integrated Hydro-Wind-Solar Bases in the Upper Reaches of the "
        "Jinsha and Yalong Rivers (" + zh("金沙江、雅砻江上游水风光一体化基地建设工作方案") + ")", TITLE))
    s += meta("Sichuan Provincial People&rsquo;s Government", "14 May 2025")
    s.append(link("https://www.sc.gov.cn/10462/zfwjts/2025/5/14/8a1f2c3d4e5f47a8b9c0d1e2f3a4b5c6.shtml", 40))
    s.append(Paragraph(
        "By 2028, the bases will add 20&ndash;25 GW of wind and solar capacity, and annual power sent out "
        "of the province will reach 80 billion kWh (" + zh("800亿千瓦时") + "). Hydropower stations are to "
        "provide regu-<br/>lating capacity for the new plants.", BODY))
    s.append(Paragraph(
        "Several Measures to Support the Development of New-Type Energy Storage in Guangxi Zhuang "
        "Autonomous Region (" + zh("广西壮族自治区支持新型储能发展若干措施") + ")", TITLE))
    s += meta("Development and Reform Commission of Guangxi Zhuang Autonomous Region", "9 May 2025")
    s.append(link("http://fgw.gxzf.gov.cn/zfxxgkzl/fdzdgknr/zcwj/t20250509_4512345.shtml", 38))
    s.append(Paragraph(
        "By 2025, installed new-type storage capacity should be above 3 GW. Independent storage stations "
        "that enter commercial operation receive a one-off reward of up to CNY 5 million per project.", BODY))
    s.append(Spacer(1, 6))
    s.append(Paragraph(
        "Henan&rsquo;s provincial Development and Reform Commission issued the <b>Henan Province Action Plan "
        "for the Development of Distributed Photovoltaics (2025&ndash;2027)</b> (" + zh("河南省分布式光伏发电"
        "发展行动方案（2025—2027年）") + "). The province aims for distributed PV capacity of about 50 million "
        "kW (" + zh("5000万千瓦") + ") by 2027. All counties are to complete grid hosting-capacity "
        "assessments by 2026, and new public buildings must reserve roof space for PV where technically "
        "feasible. Counties with hosting capacity below the provincial average will be given priority in "
        "distribution-network upgrade funding, which the plan puts at no more than CNY 2 billion over the "
        "period.", BODY))
    s.append(link("https://fgw.henan.gov.cn/2025/05-16/3156789.html"))
    s += [NextPageTemplate("one"), PageBreak()]

    # ---- 4 City Watch
    s.append(Paragraph("4  City Watch", H1))
    s.append(Paragraph(
        "Hangzhou Implementation Plan for Pilot Zero-Carbon Industrial Parks ("
        + zh("杭州市零碳产业园区试点实施方案") + ")", TITLE))
    s += meta("Hangzhou Municipal People&rsquo;s Government", "9 May 2025")
    s.append(link("https://www.hangzhou.gov.cn/art/2025/5/9/art_1229063382_1845123.html"))
    s.append(Paragraph(
        "By 2027, the city will build no less than 20 zero-carbon parks, and rooftop photovoltaics will "
        "cover 50% of the suitable roof area in pilot parks.", BODY))
    s.append(Paragraph(
        "Wuhan Action Plan for Energy Conservation and Carbon Reduction in Buildings (2025&ndash;2027) ("
        + zh("武汉市建筑领域节能降碳行动方案（2025—2027年）") + ")", TITLE))
    s += meta("Wuhan Municipal Bureau of Housing and Urban-Rural Development", "15 May 2025")
    s.append(link("https://zgj.wuhan.gov.cn/zwgk_18/tzgg/202505/t20250515_2571234.shtml"))
    s.append(Paragraph(
        "By 2027, energy-saving retrofits will be completed on 6 million square metres of existing public "
        "buildings, and the share of star-rated green buildings in new urban construction is to rise by 10 "
        "percentage points over 2024.", BODY))

    # ---- 5 Further reading (reports)
    s.append(Spacer(1, 8))
    s.append(Paragraph("5  Further Reading", H1))
    s.append(Paragraph("Provincial Power Market Reform Tracker 2025", TITLE))
    s.append(Paragraph("Publisher: Rocky Mountain Institute", META))
    s.append(link("https://rmi.org.cn/insights/provincial-power-market-tracker-2025/"))
    s.append(Paragraph("The Cost of a Just Coal Transition in Shanxi", TITLE))
    s.append(Paragraph("Publisher: Energy Foundation China, with Shanxi University", META))
    s.append(link("https://www.efchina.org/Reports-en/report-20250512-shanxi-just-transition"))
    s.append(Spacer(1, 10))
    s.append(Paragraph(
        "<b>About LLRC.</b> The Lianhe Low-Carbon Research Centre is an independent think tank that tracks "
        "climate and energy policy in China's provinces. Contact: roundup@llrc-lowcarbon.org.", NOTE))
    return s


def build(path: Path = OUT) -> Path:
    """Write the PDF to ``path`` and return it."""
    doc = BaseDocTemplate(str(path), pagesize=A4, invariant=1, title="LLRC Provincial Climate Policy Roundup",
                          author="Lianhe Low-Carbon Research Centre", leftMargin=20 * mm, rightMargin=20 * mm,
                          topMargin=20 * mm, bottomMargin=18 * mm)
    w, h = A4
    fw, fh = w - 40 * mm, h - 38 * mm
    one = Frame(20 * mm, 18 * mm, fw, fh, id="one")
    colw = (fw - 8 * mm) / 2
    left = Frame(20 * mm, 18 * mm, colw, fh, id="left")
    right = Frame(20 * mm + colw + 8 * mm, 18 * mm, colw, fh, id="right")
    doc.addPageTemplates([PageTemplate("cover", [Frame(20 * mm, 18 * mm, fw, fh, id="cover")]),
                          PageTemplate("one", [one]), PageTemplate("two", [left, right])])
    doc.build(story(), canvasmaker=NumberedCanvas)
    return path


if __name__ == "__main__":
    print(build())
