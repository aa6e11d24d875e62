"""Generate ``slides-2025-10-unseen.pdf``: an invented research group's monthly briefing as a
16:9 slide deck (title, agenda, policy slides with telegraphic target bullets, "Key numbers",
"Further reading"). Titles, URLs and numbers are invented; agency names are real.

Run: ``python tests/hostile_unseen/data/make_slides_pdf.py`` (writes the PDF next to this file).
Output is deterministic (reportlab ``invariant=1``). Glyphs such as ≥ ↓ m² need DejaVuSans.
"""
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

OUT = Path(__file__).with_name("slides-2025-10-unseen.pdf")
FONTDIR = "/usr/share/fonts/truetype/dejavu/"
pdfmetrics.registerFont(TTFont("DV", FONTDIR + "DejaVuSans.ttf"))
pdfmetrics.registerFont(TTFont("DVB", FONTDIR + "DejaVuSans-Bold.ttf"))
W, H = 960, 540

# (title, subtitle, bullets, source url) ; a slide holds one or two policies
SLIDES = [
    [("Action Plan for Renewable Energy Substitution (2025-2030)", "NDRC & NEA | 12 Oct 2025",
      ["Wind+solar: ≥ 2,000 GW by 2030", "Non-fossil share of energy use: 25% by 2030",
       "Coal share ↓ to < 50% (2027)"],
      "https://www.ndrc.gov.cn/xxgk/zcfb/tz/202510/t20251012_1401122.html")],
    [("Notice on Promoting New Energy Vehicles in Public Fleets", "MIIT & MOT | 9 Oct 2025",
      ["NEV sales 45%+ by '27", "Public-fleet NEV share: 80% by 2027", "Charging: one pile per 2 fleet NEVs"],
      "https://www.miit.gov.cn/zwgk/zcwj/wjfb/tz/art/2025/art_5c1e2f7a.html")],
    [("Implementation Plan for Pumped Storage and New-Type Energy Storage", "NEA | 20 Sep 2025",
      ["Pumped storage in operation > 90 GW (2028)", "New-type storage > 180 GW (2028)",
       "Projects approved via provincial lists"],
      "https://www.nea.gov.cn/20250920/3f2a1b0c9d8e4f7a/c.html")],
    [("Guiding Opinions on Green Hydrogen in Industry", "MIIT | 28 Sep 2025",
      ["Green H2 output: ~1 Mt/yr by 2030", "Electrolysers: 10 GW installed by 2028"],
      "https://www.miit.gov.cn/jgsj/jns/gzdt/art/2025/art_91ab3c4d.html"),
     ("Measures on Expanding the National Carbon Market to Steel and Cement", "MEE | 30 Sep 2025",
      ["Coverage: ~1,500 more firms", "Free allowances ≤ 95% of total (2026)"],
      "https://www.mee.gov.cn/xxgk2018/xxgk/xxgk03/202509/t20250930_1130456.html")],
    [("Guangdong Offshore Wind Action Plan (2025-2027)", "Guangdong DRC | 10 Oct 2025",
      ["Offshore wind: 30 GW grid-connected by end-2027", "Local equipment output: CNY 100 bn/yr (2027)"],
      "https://drc.gd.gov.cn/ywtz/content/post_4612345.html")],
    [("Shanghai Work Plan on Energy Retrofits of Public Buildings", "Shanghai Housing Commission | 11 Oct 2025",
      ["Retrofit 15 million m² by 2027", "Energy use per m² ↓ 10% vs 2024 (2027)"],
      "https://zjw.sh.gov.cn/gztz/20251011/a1b2c3d4e5.html"),
     ("Notice on Green Electricity Consumption by Data Centres", "NDRC, NEA & MIIT | 2 Oct 2025",
      ["New hub DCs: green power ≥ 80% by 2026", "GECs to cover all renewable output"],
      "https://www.gov.cn/zhengce/zhengceku/202510/content_7043210.htm")],
]


def footer(c, page):
    c.setFont("DV", 9)
    c.setFillColorRGB(0.4, 0.4, 0.4)
    c.drawString(40, 18, "CTRG Monthly Policy Briefing · October 2025")
    c.drawRightString(W - 40, 18, str(page))
    c.setFillColorRGB(0, 0, 0)


def band(c, title):
    c.setFillColorRGB(0.05, 0.3, 0.25)
    c.rect(0, H - 90, W, 90, stroke=0, fill=1)
    c.setFillColorRGB(1, 1, 1)
    c.setFont("DVB", 30)
    c.drawString(40, H - 60, title)
    c.setFillColorRGB(0, 0, 0)


def policy_block(c, y, title, sub, bullets, url, size):
    c.setFont("DVB", size)
    c.drawString(40, y, title)
    c.setFont("DV", 15)
    c.setFillColorRGB(0.35, 0.35, 0.35)
    c.drawString(40, y - 26, sub)
    c.setFillColorRGB(0, 0, 0)
    yy = y - 62
    for b in bullets:
        c.setFont("DV", 20)
        c.drawString(60, yy, "•  " + b)
        yy -= 32
    c.setFont("DV", 8)
    text = "Source: " + url
    c.drawString(40, yy - 4, text)
    tw = c.stringWidth(text, "DV", 8)
    c.linkURL(url, (40, yy - 6, 40 + tw, yy + 6), relative=0)
    return yy - 30


def main():
    c = canvas.Canvas(str(OUT), pagesize=(W, H), invariant=1)
    c.setTitle("CTRG Monthly Policy Briefing October 2025")
    page = 1
    # title slide
    c.setFillColorRGB(0.05, 0.3, 0.25)
    c.rect(0, 0, W, H, stroke=0, fill=1)
    c.setFillColorRGB(1, 1, 1)
    c.setFont("DVB", 40)
    c.drawCentredString(W / 2, 320, "China Climate & Energy Policy Briefing")
    c.setFont("DV", 22)
    c.drawCentredString(W / 2, 270, "Monthly update · October 2025")
    c.drawCentredString(W / 2, 230, "Carbon Transition Research Group (CTRG)")
    c.showPage()
    page += 1
    band(c, "Agenda")
    c.setFont("DV", 22)
    for i, a in enumerate(["Renewables substitution plan", "NEVs in public fleets", "Storage: pumped + new-type",
                           "Green hydrogen & carbon market", "Guangdong offshore wind",
                           "Shanghai buildings & data-centre green power", "Key numbers", "Further reading"]):
        c.drawString(60, H - 140 - i * 40, f"{i + 1}.  {a}")
    footer(c, page)
    c.showPage()
    for slide in SLIDES:
        page += 1
        if len(slide) == 1:
            band(c, "National" if "Guangdong" not in slide[0][0] else "Provinces")
            policy_block(c, H - 140, *slide[0], size=26)
        else:
            band(c, "Also this month")
            y = H - 130
            for p in slide:
                y = policy_block(c, y, *p, size=19)
        footer(c, page)
        c.showPage()
    page += 1
    band(c, "Key numbers")
    c.setFont("DV", 24)
    for i, k in enumerate(["2,000 GW wind + solar (2030)", "45% NEV share of sales (2027)",
                           "90 GW pumped storage (2028)", "30 GW Guangdong offshore wind (2027)"]):
        c.drawString(60, H - 150 - i * 50, "▸  " + k)
    footer(c, page)
    c.showPage()
    page += 1
    band(c, "Further reading")
    c.setFont("DV", 20)
    c.drawString(60, H - 150, "“China Power Transition Outlook 2025” — Energy Foundation China, Sep 2025")
    u = "https://www.efchina.org/Reports-en/report-20250918-power-outlook"
    c.setFont("DV", 12)
    c.drawString(60, H - 178, u)
    c.linkURL(u, (60, H - 182, 60 + c.stringWidth(u, "DV", 12), H - 166), relative=0)
    c.setFont("DV", 14)
    c.drawString(60, 80, "Questions: briefing@ctrg.example.org · Slides for internal discussion only")
    footer(c, page)
    c.showPage()
    c.save()


if __name__ == "__main__":
    main()
