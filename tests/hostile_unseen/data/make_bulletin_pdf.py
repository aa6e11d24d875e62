"""Generate ``bilingual-bulletin-2025-09-unseen.pdf``: an invented bilingual (Chinese/English) policy bulletin.

Hand-written unseen-layout test data (session 9). Titles, URLs, 文号 document numbers and
numbers are invented; only agency names are real. Layout exercised: a portrait cover page
with a bilingual masthead and overview; a LANDSCAPE page holding a ruled table
"No. | Document | Issuing body | Date" (序号 | 文件 | 发布机关 | 日期) whose cells wrap over
2-3 lines inside the cell (Chinese title, English title, 文号 in one cell); portrait detail
pages where each policy is a Chinese title line (CID font STSong-Light) then the English title
line, a 文号 line, an issuer/date line with dates as "2025年9月3日" and "3 Sep 2025" and an
endnote reference "[n]", and targets stated in Chinese each followed by the English
translation; endnotes with the URLs on the last page.

Run from anywhere: ``python tests/hostile_unseen/data/make_bulletin_pdf.py``; writes the PDF
next to this file. Output is deterministic (invariant=1).
"""
from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate,
                                Paragraph, Spacer, Table, TableStyle)

OUT = Path(__file__).with_name("bilingual-bulletin-2025-09-unseen.pdf")
pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))

ss = getSampleStyleSheet()
BODY = ParagraphStyle("body", parent=ss["BodyText"], fontName="Helvetica", fontSize=9.5, leading=13)
ZH = ParagraphStyle("zh", parent=BODY, fontName="STSong-Light", wordWrap="CJK")
ZH_TITLE = ParagraphStyle("zht", parent=ZH, fontSize=11.5, leading=15, spaceBefore=10)
EN_TITLE = ParagraphStyle("ent", parent=BODY, fontName="Helvetica-Bold", fontSize=10.5, leading=13.5)
META = ParagraphStyle("meta", parent=BODY, leftIndent=6, fontSize=9)
TGT_ZH = ParagraphStyle("tzh", parent=ZH, leftIndent=14, bulletIndent=4, fontSize=9.5, bulletFontName="Helvetica")
TGT_EN = ParagraphStyle("ten", parent=BODY, leftIndent=14, fontName="Helvetica-Oblique", fontSize=9)
H1 = ParagraphStyle("h1", parent=ZH, fontSize=16, leading=21, textColor=colors.HexColor("#8a1c1c"))
H2 = ParagraphStyle("h2", parent=ZH, fontSize=12.5, leading=17, spaceBefore=8,
                    textColor=colors.HexColor("#8a1c1c"))
CELL = ParagraphStyle("cell", parent=BODY, fontSize=8.5, leading=10.5)
CELL_ZH = ParagraphStyle("cellzh", parent=ZH, fontSize=8.5, leading=10.5)
NOTE = ParagraphStyle("note", parent=BODY, fontSize=8.5, leading=11.5, leftIndent=18, firstLineIndent=-18)

# (no, zh title, en title, 文号, zh issuer, en issuer, zh date, en date, section, targets [(zh, en)])
POLICIES = [
    (1, "关于加快推进新型储能规模化发展的通知", "Notice on Accelerating the Large-Scale Development of New Energy Storage",
     "国能发科技〔2025〕41号", "国家能源局", "National Energy Administration", "2025年9月3日", "3 Sep 2025", "nat",
     [("到2027年，新型储能装机规模达到1.8亿千瓦以上", "by 2027, new energy storage capacity above 180 GW"),
      ("到2027年，新型储能电站平均利用率不低于90%", "by 2027, average utilisation rate of new energy storage stations no less than 90%")]),
    (2, "关于深化新能源上网电价市场化改革的实施方案",
     "Implementation Plan for Deepening the Market-Based Reform of On-Grid Tariffs for New Energy",
     "发改价格〔2025〕136号", "国家发展改革委、国家能源局", "National Development and Reform Commission; National Energy Administration",
     "2025年9月5日", "5 Sep 2025", "nat",
     [("到2027年，新能源发电量全面进入电力市场", "by 2027, electricity generated from new energy fully enters the power market"),
      ("到2030年，新能源市场化交易电量占比达到80%左右", "by 2030, market-traded electricity at about 80% of new energy generation")]),
    (3, "钢铁行业节能降碳行动方案（2025—2027年）",
     "Action Plan for Energy Conservation and Carbon Reduction in the Steel Industry (2025-2027)",
     "工信部联节〔2025〕88号", "工业和信息化部等六部门", "Ministry of Industry and Information Technology and five other departments",
     "2025年9月10日", "10 Sep 2025", "nat",
     [("到2027年，电炉钢产量占粗钢总产量比例提升至15%以上", "by 2027, electric-arc-furnace steel above 15% of crude steel output"),
      ("到2027年，吨钢综合能耗比2024年降低2%", "by 2027, comprehensive energy consumption per tonne of steel 2% lower than in 2024")]),
    (4, "关于做好2025年全国碳排放权交易市场配额分配工作的通知",
     "Notice on Allowance Allocation in the National Carbon Emissions Trading Market for 2025",
     "环气候〔2025〕19号", "生态环境部", "Ministry of Ecology and Environment", "2025年9月12日", "12 Sep 2025", "nat",
     [("到2027年，全国碳市场覆盖行业扩大至8个", "by 2027, the national carbon market covers 8 sectors")]),
    (5, "新能源汽车下乡补贴资金管理办法", "Measures for the Administration of Subsidy Funds for New Energy Vehicles in Rural Areas",
     "财建〔2025〕201号", "财政部", "Ministry of Finance", "2025年9月15日", "15 Sep 2025", "nat",
     [("到2026年，乡镇充电设施覆盖率达到95%", "by 2026, charging facilities cover 95% of townships")]),
    (6, "内蒙古自治区新能源倍增行动实施方案",
     "Implementation Plan for the Renewable Energy Doubling Action of Inner Mongolia Autonomous Region",
     "内政发〔2025〕23号", "内蒙古自治区人民政府", "People's Government of Inner Mongolia Autonomous Region",
     "2025年9月18日", "18 Sep 2025", "sub",
     [("到2027年，新能源装机规模超过2.7亿千瓦", "by 2027, installed renewable capacity over 270 GW"),
      ("到2027年，新能源发电量占比达到35%", "by 2027, renewables reach 35% of electricity generation"),
      ("到2030年，新能源装机规模较2025年实现翻番", "by 2030, installed renewable capacity doubled from 2025")]),
    (7, "浙江省海上风电高质量发展实施方案",
     "Implementation Plan for the High-Quality Development of Offshore Wind Power in Zhejiang Province",
     "浙发改能源〔2025〕156号", "浙江省发展和改革委员会", "Zhejiang Provincial Development and Reform Commission",
     "2025年9月22日", "22 Sep 2025", "sub",
     [("到2027年，海上风电并网装机达到1000万千瓦", "by 2027, grid-connected offshore wind capacity reaches 10 GW"),
      ("到2030年，海上风电装机达到2000万千瓦左右", "by 2030, offshore wind capacity of about 20 GW")]),
    (8, "广州市城乡建设领域碳达峰实施方案",
     "Implementation Plan for Carbon Peaking in Urban and Rural Construction in Guangzhou",
     "穗府办〔2025〕11号", "广州市人民政府办公厅", "General Office of the Guangzhou Municipal People's Government",
     "2025年9月25日", "25 Sep 2025", "sub",
     [("到2025年，城镇新建建筑全面执行绿色建筑标准", "by 2025, all new urban buildings meet green building standards"),
      ("到2027年，完成既有建筑节能改造面积1000万平方米", "by 2027, energy-saving retrofits of 10 million square metres of existing buildings completed"),
      ("到2030年，建筑领域可再生能源替代率达到10%", "by 2030, renewable energy substitution rate in buildings reaches 10%")]),
    (9, "四川省水风光一体化基地建设方案", "Construction Plan for Integrated Hydro-Wind-Solar Bases in Sichuan Province",
     "川能源发〔2025〕34号", "四川省能源局", "Sichuan Provincial Energy Administration", "2025年9月28日", "28 Sep 2025", "sub",
     [("到2027年，外送通道输电能力达到4000万千瓦", "by 2027, outbound transmission capacity reaches 40 GW"),
      ("到2030年，一体化基地新能源装机达到5000万千瓦以上", "by 2030, new energy capacity of the integrated bases above 50 GW")]),
]

ENDNOTES = [
    "https://zfxxgk.nea.gov.cn/2025-09/03/c_1310823456.htm",
    "https://www.ndrc.gov.cn/xxgk/zcfb/tz/202509/t20250905_1400123.html",
    "https://www.miit.gov.cn/zwgk/zcwj/wjfb/tz/art/2025/art_9c8d7e6f5a.html",
    "https://www.mee.gov.cn/xxgk2018/xxgk/xxgk03/202509/t20250912_1123456.html",
    "https://jjs.mof.gov.cn/zhengcefagui/202509/t20250915_3962345.htm",
    "https://www.nmg.gov.cn/zwgk/zfxxgk/zfxxgkml/202509/t20250918_2567890.html",
    "https://fzggw.zj.gov.cn/art/2025/9/22/art_1229123456_5876543.html",
    "https://www.gz.gov.cn/zwgk/fggw/szfwj/content/post_10123456.html",
    "https://fgw.sc.gov.cn/sfgw/tzgg/2025/9/28/8f2a6c1d.shtml",
    "https://www.nea.gov.cn/2025-09/30/c_1310825678.htm",
]
PROVISIONS = {
    4: ("有偿分配配额比例不超过5%", "the share of allowances auctioned shall not exceed 5%"),
    5: ("单车补贴最高不超过5000元", "the subsidy per vehicle is capped at 5,000 yuan"),
}


def header_footer(canvas, doc):
    canvas.saveState()
    w, h = canvas._pagesize
    canvas.setFont("STSong-Light", 8)
    canvas.drawString(15 * mm, h - 10 * mm, "中国能源政策双语简报 · China Energy Policy Bilingual Bulletin · 2025年第9期 No. 9")
    canvas.drawRightString(w - 15 * mm, 8 * mm, f"- {doc.page} -")
    canvas.restoreState()


def build() -> None:
    doc = BaseDocTemplate(str(OUT), pagesize=A4, invariant=1, title="China Energy Policy Bilingual Bulletin 2025-09",
                          author="Bulletin editors (invented)")
    pw, ph = A4
    portrait = PageTemplate("portrait", [Frame(18 * mm, 18 * mm, pw - 36 * mm, ph - 36 * mm)],
                            onPage=header_footer, pagesize=A4)
    lw, lh = landscape(A4)
    land = PageTemplate("landscape", [Frame(15 * mm, 15 * mm, lw - 30 * mm, lh - 30 * mm)],
                        onPage=header_footer, pagesize=landscape(A4))
    doc.addPageTemplates([portrait, land])

    s: list = []
    s.append(Paragraph("中国能源政策双语简报", H1))
    s.append(Paragraph("China Energy Policy Bilingual Bulletin", ParagraphStyle("en1", parent=BODY, fontName="Helvetica-Bold",
                                                                              fontSize=15, leading=19)))
    s.append(Paragraph("2025年第9期（总第45期） / Issue 9, September 2025", ZH))
    s.append(Spacer(1, 8))
    s.append(Paragraph("本期导读", H2))
    s.append(Paragraph("本期收录2025年9月发布的九项国家和地方能源与气候政策。第一部分为政策一览表，第二部分为政策要点（中英对照），"
                       "文末附注释链接。", ZH))
    s.append(Paragraph("This issue covers nine national and local energy and climate policies released in September 2025. "
                       "Part 1 lists them in a table; Part 2 gives the key points in Chinese with an English translation; "
                       "links are in the endnotes on the last page. According to NEA statistics [10], new energy storage "
                       "capacity in operation stood at about 95 GW at the end of June 2025.", BODY))
    s.append(NextPageTemplate("landscape"))
    s.append(PageBreak())

    s.append(Paragraph("一、政策一览表 / Part 1: Policies at a glance", H2))
    rows = [[Paragraph("No.<br/>序号", CELL_ZH), Paragraph("Document 文件", CELL_ZH),
             Paragraph("Issuing body 发布机关", CELL_ZH), Paragraph("Date 日期", CELL_ZH)]]
    for no, zt, et, wh, zi, ei, zd, ed, _sec, _t in POLICIES:
        rows.append([Paragraph(str(no), CELL),
                     Paragraph(f"{zt}<br/>{et}<br/>{wh}", CELL_ZH),
                     Paragraph(f"{zi}<br/>{ei}", CELL_ZH),
                     Paragraph(f"{zd}<br/>{ed}", CELL_ZH)])
    t = Table(rows, colWidths=[16 * mm, 110 * mm, 60 * mm, 30 * mm], repeatRows=1)
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                           ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                           ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    s.append(t)
    s.append(NextPageTemplate("portrait"))
    s.append(PageBreak())

    s.append(Paragraph("二、政策要点 / Part 2: Key points", H2))
    heads = {"nat": ("（一）国家层面 / National", False), "sub": ("（二）地方层面 / Local", False)}
    for no, zt, et, wh, zi, ei, zd, ed, sec, targets in POLICIES:
        head, done = heads[sec]
        if not done:
            s.append(Paragraph(head, ParagraphStyle("h3", parent=ZH, fontSize=11, leading=15, spaceBefore=6)))
            heads[sec] = (head, True)
        s.append(Paragraph(f"{no}. 《{zt}》", ZH_TITLE))
        s.append(Paragraph(f"{et} [{no}]", EN_TITLE))
        s.append(Paragraph(f"文号 / Document No.: {wh}", ParagraphStyle("m1", parent=META, fontName="STSong-Light")))
        s.append(Paragraph(f"发布机关：{zi}，{zd}发布。 / Issued by the {ei} on {ed}.",
                           ParagraphStyle("m2", parent=META, fontName="STSong-Light", wordWrap="CJK")))
        s.append(Paragraph("主要目标 / Key targets:", ParagraphStyle("m3", parent=META, fontName="STSong-Light")))
        for tz, te in targets:
            s.append(Paragraph(tz + "；", TGT_ZH, bulletText="•"))
            s.append(Paragraph(te + ".", TGT_EN))
        if no in PROVISIONS:
            pz, pe = PROVISIONS[no]
            s.append(Paragraph(f"其他规定：{pz}。 / Other provisions: {pe}.",
                               ParagraphStyle("m4", parent=META, fontName="STSong-Light", wordWrap="CJK")))
    s.append(PageBreak())
    s.append(Paragraph("注释 / Endnotes", H2))
    for i, url in enumerate(ENDNOTES, 1):
        s.append(Paragraph(f'[{i}] <a href="{url}" color="blue">{url}</a>', NOTE))
    s.append(Spacer(1, 10))
    s.append(Paragraph("本简报由编辑部整理，仅供参考。 / Compiled by the editors for reference only.", ZH))
    doc.build(s)


if __name__ == "__main__":
    build()
