"""A generator of synthetic policy-tracker briefings in the sample's layout, with their truth.

The layout is that of ``data/briefings/ccnt-2024-03-04.txt`` (its gold file's
header documents it): page chunks whose first line begins with one space;
each page's link targets listed as bare URL lines after its text, a URL
repeated once per text line its title spans; ``e `` bullets; a national part
without heading, a "Subnational Updates" part and a "Perspectives" part of
third-party reports (not policies).

What varies, drawn with a seeded :class:`random.Random` (same seed, same
files): policy titles built from the genre vocabulary's English labels
(``ontology/vocab/genre.ttl``) and a topic vocabulary below; issuers
(national agencies with a web domain) and regions (provinces with a
people's government, and its web domain) from ``ontology/reference/*.ttl``;
title forms ("<Title> aims to ...", "The <Agency> issued the <Title> to
...", "<Province> issued the <Title> in <Province>, with ..."); bullets with
different years, numbers, units, comparators and baselines; the number of
groups, policies per group and lines per page.

Use::

    from benchmarks.corpus import load_vocabulary, generate_corpus
    truths = generate_corpus(out_dir, n=1000, seed=0)   # -> list[BriefingTruth]

or ``python benchmarks/corpus.py OUT_DIR -n 10 --seed 0``. The topic words
and sentence templates here are the generator's own (they describe no real
policy); no loader reads this module.
"""

from __future__ import annotations

import argparse
import json
import random
import textwrap
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["PolicyTruth", "ReportTruth", "BriefingTruth", "Vocabulary", "load_vocabulary",
           "generate_briefing", "generate_corpus"]

ROOT = Path(__file__).resolve().parents[1]

#: Body text width (characters) and the narrower width of group headlines (the sample's layout).
BODY_WIDTH = 92
HEADLINE_WIDTH = 76

_GERUNDS = ["Promoting", "Accelerating", "Strengthening", "Improving", "Deepening", "Supporting", "Advancing",
            "Regulating", "Optimizing", "Establishing", "Standardizing", "Encouraging"]
_VERBS = ["Promote", "Accelerate", "Strengthen", "Improve", "Support", "Advance", "Regulate", "Expand"]
_FRAMES = ["the Green and Low-Carbon Development of {x}", "the High-quality Development of {x}",
           "the Construction of {x}", "the Orderly Development of {x}", "{x}", "the Management of {x}",
           "the Large-scale Deployment of {x}"]
_TOPICS = ["New Energy Storage", "Distributed Photovoltaics", "Offshore Wind Power", "the Power Grid",
           "the Hydrogen Energy Industry", "Carbon Emissions Trading", "Green Finance", "Virtual Power Plants",
           "Energy Conservation and Carbon Reduction", "Building Energy Efficiency", "Charging Infrastructure",
           "New Energy Vehicles", "Coal Power Units", "Industrial Parks", "Distribution Networks",
           "Biomass Energy", "Pumped Storage Hydropower", "Retired Power Batteries", "Green Electricity Certificates",
           "Zero-Carbon Factories", "Methane Emission Control", "Clean Heating in Rural Areas",
           "Carbon Capture Utilization and Storage", "Smart Microgrids", "Green Data Centers",
           "Geothermal Energy", "Demand-side Response", "Low-Carbon Transport Corridors"]
_PURPOSES = ["accelerate the green transition of the energy sector", "improve the flexibility of the power system",
             "reduce carbon emissions in key industries", "support the consumption of renewable electricity",
             "guide social capital into low-carbon projects", "raise the energy efficiency of public buildings",
             "promote the orderly replacement of outdated equipment", "strengthen the security of energy supply"]
_LEADS = ["It proposes that:", "It specifies that:", "It sets out the following targets:", "It states that:"]
_HEADLINES = ["China issued several policies to {p}.", "Multiple departments jointly released measures to {p}.",
              "China will {p} with a new round of support measures.",
              "National regulators moved to {p} in the short term."]
_SUB_HEADLINES = ["{r} moves to {p}.", "Following the nation, {r} will {p}.",
                  "{r} released new measures to {p} across the province."]
_INDICATORS = [("installed capacity of new energy storage", "units_power"),
               ("share of non-fossil energy in total energy consumption", "percent"),
               ("energy consumption per unit of GDP", "pp"),
               ("number of public charging piles", "count"),
               ("area of newly built ultra-low energy buildings", "area"),
               ("annual investment in grid upgrades", "money"),
               ("capacity of distributed photovoltaics", "units_power"),
               ("utilization rate of renewable electricity", "percent")]
_UNITS = {"units_power": ["million kilowatts", "GW", "MW"], "percent": ["%"], "pp": ["percentage points"],
          "count": ["units", "sets"], "area": ["million square meters"], "money": ["billion RMB", "million yuan"]}
_COMPARATORS = ["reach", "exceed", "be more than", "be no less than", "be about", "not exceed", "be at least"]
_QUALITATIVE = ["a sound policy system for {x} will be basically established",
                "the market mechanism for {x} will be fully formed",
                "significant progress will be made in {x}"]
_REPORT_TITLES = ["Pathways to {x} in China", "Outlook for {x}: Scenarios to 2060",
                  "Financing {x} under the Dual Carbon Goals", "Lessons from Provincial Pilots of {x}"]
_PUBLISHERS = ["Energy Transition Research Institute", "Low-Carbon Futures Lab", "Green Grid Alliance",
               "Climate Policy Analysis Center", "Clean Air Foundation", "Institute for Energy Economics"]
_DATE_PATHS = ["https://www.{d}/xxgk/zcfb/tz/{y}{m:02d}/t{y}{m:02d}{dd:02d}_{n}.html",
               "http://zfxxgk.{d}/{y}-{m:02d}/{dd:02d}/c_{n}.htm",
               "https://www.{d}/zwgk/{y}{m:02d}/content_{n}.htm",
               "http://www.{d}/art/{y}/{m}/{dd}/art_{k}_{n}.html"]


@dataclass
class PolicyTruth:
    """A generated policy: exact ``title``, its one source ``url``, ``section`` (national | subnational)."""

    title: str
    url: str
    section: str


@dataclass
class ReportTruth:
    """A generated third-party report of the Perspectives part."""

    title: str
    url: str


@dataclass
class BriefingTruth:
    """One generated briefing: its ``path`` and what a correct loader finds in it."""

    path: str
    policies: list[PolicyTruth] = field(default_factory=list)
    reports: list[ReportTruth] = field(default_factory=list)


@dataclass(frozen=True)
class Vocabulary:
    """What briefings are built from: genre labels, national agencies, provinces.

    ``agencies``: ``(English name, web domain)``; ``provinces``: ``(name as
    written, web domain of its people's government)``.
    """

    genres: tuple[str, ...]
    agencies: tuple[tuple[str, str], ...]
    provinces: tuple[tuple[str, str], ...]


def load_vocabulary(ontology_dir: Path = ROOT / "ontology") -> Vocabulary:
    """Read genre labels (``vocab/genre.ttl``) and agencies/regions (``reference/*.ttl``) with rdflib.

    Genre labels are the English ``skos:prefLabel``/``skos:altLabel`` of the
    genre scheme's concepts with at least two letters; agencies are national
    ones (``pkg:governmentLevel pkg:National``) with a ``pkg:webDomain``;
    provinces are provincial-level regions whose people's government
    (``pkg:governmentOf``) has a web domain. Sorted, so the draw is stable.
    """
    import rdflib
    from rdflib.namespace import RDF, SKOS

    from policykg.vocab import PKG

    g = rdflib.Graph()
    g.parse(ontology_dir / "vocab" / "genre.ttl", format="turtle")
    genres = sorted({str(o) for p in (SKOS.prefLabel, SKOS.altLabel) for s, o in g.subject_objects(p)
                     if isinstance(o, rdflib.Literal) and (o.language or "").startswith("en")
                     and sum(c.isalpha() for c in str(o)) >= 4 and str(o)[:1].isupper()
                     and (s, RDF.type, SKOS.ConceptScheme) not in g})
    r = rdflib.Graph()
    for f in sorted((ontology_dir / "reference").glob("*.ttl")):
        r.parse(f, format="turtle")
    agencies = sorted({(str(r.value(a, SKOS.prefLabel)), str(d)) for a in r.subjects(PKG.governmentLevel, PKG.National)
                       for d in sorted(r.objects(a, PKG.webDomain), key=str)[:1]
                       if r.value(a, PKG.governmentOf) is None and r.value(a, SKOS.prefLabel) is not None})
    provinces = []
    for gov, region in r.subject_objects(PKG.governmentOf):
        rtype = str(r.value(region, PKG.regionType) or "")
        domain = next(iter(sorted(r.objects(gov, PKG.webDomain), key=str)), None)
        if domain is None or not rtype.endswith(("Province", "AutonomousRegion", "Municipality")):
            continue
        labels = sorted({str(o) for o in r.objects(region, SKOS.altLabel)} | {str(r.value(region, SKOS.prefLabel))})
        name = next((x for x in labels if x.endswith(("Province", "Municipality"))), None)
        if name is not None:
            provinces.append((name, str(domain)))
    return Vocabulary(tuple(genres), tuple(agencies), tuple(sorted(provinces)))


# --------------------------------------------------------------------------- text pieces

def _title(rnd: random.Random, vocab: Vocabulary, province: str | None) -> str:
    genre = rnd.choice(vocab.genres)
    topic = rnd.choice(_FRAMES).format(x=rnd.choice(_TOPICS))
    form = rnd.random()
    if form < 0.45:
        t = f"{genre} on {rnd.choice(_GERUNDS)} {topic}"
    elif form < 0.8:
        t = f"{genre} for {rnd.choice(_GERUNDS)} {topic}"
    else:
        t = f"{genre} to {rnd.choice(_VERBS)} {topic}"
    if province is not None:
        t += f" in {province}"
    return t


def _article(rnd: random.Random, title: str) -> str:
    """"the", or "a"/"an" as the title's first sound asks."""
    if rnd.random() < 0.5:
        return "the"
    return "an" if title[:1] in "AEIOU" else "a"


def _number(rnd: random.Random, kind: str) -> str:
    if kind in ("percent", "pp"):
        return str(rnd.choice([3, 5, 8, 10, 12, 15, 20, 25, 30, 35, 40, 50, 55, 60, 80, 96]))
    v = rnd.choice([1.2, 2.5, 12, 20, 45, 80, 100, 120, 200, 300, 500, 1200])
    return f"{v:,}" if isinstance(v, int) else str(v)


def _bullet(rnd: random.Random) -> str:
    year = rnd.choice([2025, 2026, 2027, 2030, 2035])
    if rnd.random() < 0.25:
        return f"By {year}, " + rnd.choice(_QUALITATIVE).format(x=rnd.choice(_TOPICS).lower()) + "."
    ind, kind = rnd.choice(_INDICATORS)
    unit = rnd.choice(_UNITS[kind])
    num = _number(rnd, kind)
    qty = f"{num}{unit}" if unit == "%" else f"{num} {unit}"
    comp = rnd.choice(_COMPARATORS)
    tail = f" compared to {rnd.choice([2020, 2021, 2023])}" if kind in ("pp", "percent") and rnd.random() < 0.3 else ""
    if comp == "exceed" and kind == "pp":
        comp = "increase by more than"
    return f"By {year}, the {ind} will {comp} {qty}{tail}."


def _url(rnd: random.Random, domain: str, used: set[str]) -> str:
    while True:
        y = rnd.choice([2023, 2024, 2025])
        u = rnd.choice(_DATE_PATHS).format(d=domain.removeprefix("www."), y=y, m=rnd.randint(1, 12),
                                           dd=rnd.randint(1, 28), n=rnd.randint(1_000_000, 9_999_999),
                                           k=rnd.randint(10_000, 99_999))
        if u not in used:
            used.add(u)
            return u


# --------------------------------------------------------------------------- layout

@dataclass
class _Block:
    """A paragraph laid out in lines; ``links``: (line index, url) of title lines that carry a link."""

    lines: list[str]
    links: list[tuple[int, str]] = field(default_factory=list)


def _wrap(text: str, width: int, bullet: bool = False) -> list[str]:
    lines = textwrap.wrap(text, width=width, break_on_hyphens=False, break_long_words=False)
    return ["e " + lines[0], *lines[1:]] if bullet and lines else lines


def _linked_block(text: str, span: tuple[int, int], url: str, width: int = BODY_WIDTH) -> _Block:
    """``text`` wrapped; the lines that ``text[span[0]:span[1]]`` touches carry ``url``."""
    lines = _wrap(text, width)
    links = []
    off = 0
    for k, ln in enumerate(lines):
        if off < span[1] and off + len(ln) > span[0]:
            links.append((k, url))
        off += len(ln) + 1  # textwrap joined words with one space
    return _Block(lines, links)


def generate_briefing(rnd: random.Random, vocab: Vocabulary, path: Path) -> BriefingTruth:
    """Write one briefing to ``path`` (UTF-8) and return its truth."""
    truth = BriefingTruth(str(path))
    used: set[str] = set()
    titles: set[str] = set()
    blocks: list[_Block | str] = []  # a str is a section heading

    def policy_blocks(section: str, province: tuple[str, str] | None) -> None:
        while True:
            title = _title(rnd, vocab, province[0] if province and rnd.random() < 0.6 else None)
            if title not in titles:
                titles.add(title)
                break
        purpose = rnd.choice(_PURPOSES)
        if province is not None:
            url = _url(rnd, province[1], used)
            lead = f"{province[0]} {rnd.choice(['issued', 'released', 'published'])} {_article(rnd, title)} "
            text = f"{lead}{title}, with a focus on measures to {purpose}. {rnd.choice(_LEADS)}"
        elif rnd.random() < 0.35:
            name, domain = rnd.choice(vocab.agencies)
            url = _url(rnd, domain, used)
            lead = f"The {name} {rnd.choice(['issued', 'released', 'published'])} {_article(rnd, title)} "
            text = f"{lead}{title} to {purpose}. {rnd.choice(_LEADS)}"
        else:
            name, domain = rnd.choice(vocab.agencies)
            url = _url(rnd, domain, used)
            lead = ""
            text = f"{title} aims to {purpose}. {rnd.choice(_LEADS)}"
        blocks.append(_linked_block(text, (len(lead), len(lead) + len(title)), url))
        for _ in range(rnd.randint(1, 4)):
            blocks.append(_Block(_wrap(_bullet(rnd), BODY_WIDTH, bullet=True)))
        if rnd.random() < 0.3:
            blocks.append(_Block(_wrap(f"Additionally, it calls for efforts to {rnd.choice(_PURPOSES)} and to "
                                       f"{rnd.choice(_PURPOSES)}.", BODY_WIDTH)))
        truth.policies.append(PolicyTruth(title, url, section))

    for _ in range(rnd.randint(3, 6)):
        blocks.append(_Block(_wrap(rnd.choice(_HEADLINES).format(p=rnd.choice(_PURPOSES)), HEADLINE_WIDTH)))
        for _ in range(rnd.randint(1, 3)):
            policy_blocks("national", None)
    blocks.append("Subnational Updates")
    for _ in range(rnd.randint(4, 8)):
        province = rnd.choice(vocab.provinces)
        blocks.append(_Block(_wrap(rnd.choice(_SUB_HEADLINES).format(r=province[0], p=rnd.choice(_PURPOSES)),
                                   HEADLINE_WIDTH)))
        for _ in range(rnd.randint(1, 2)):
            policy_blocks("subnational", province)
    blocks.append("Perspectives")
    for _ in range(rnd.randint(1, 3)):
        title = rnd.choice(_REPORT_TITLES).format(x=rnd.choice(_TOPICS).removeprefix("the "))
        if title in titles:
            continue
        titles.add(title)
        pub = rnd.choice(_PUBLISHERS)
        url = _url(rnd, "example-institute.org", used)
        blocks.append(_linked_block(f"{title} ({pub})", (0, len(title)), url))
        blocks.append(_Block(_wrap(f"This report reviews how to {rnd.choice(_PURPOSES)} and proposes "
                                   f"recommendations to {rnd.choice(_PURPOSES)}.", BODY_WIDTH, bullet=True)))
        truth.reports.append(ReportTruth(title, url))

    # pages: a page chunk's first line begins with one space; its links follow its text
    out: list[str] = []
    page_lines: list[str] = []
    page_urls: list[str] = []
    page_size = rnd.randint(28, 44)

    def flush() -> None:
        if not page_lines:
            return
        page_lines[0] = " " + page_lines[0]
        out.extend(page_lines)
        if page_urls:
            out.extend(["", "", *page_urls])
        page_lines.clear()
        page_urls.clear()

    for b in blocks:
        if isinstance(b, str):
            lines, links = [b], []
        else:
            lines, links = b.lines, b.links
        if page_lines and len(page_lines) + len(lines) > page_size:
            flush()
        if page_lines:
            page_lines.append("")
        page_lines.extend(lines)
        page_urls.extend(u for _, u in links)
    flush()
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return truth


def generate_corpus(out_dir: Path, n: int, seed: int = 0, vocab: Vocabulary | None = None) -> list[BriefingTruth]:
    """Write ``n`` briefings ``gen-2024-<k>.txt`` into ``out_dir`` (created) and return their truths.

    Deterministic: the same ``seed`` (and reference data) gives byte-identical files.
    """
    vocab = vocab or load_vocabulary()
    rnd = random.Random(seed)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [generate_briefing(rnd, vocab, out_dir / f"gen-2024-{k:05d}.txt") for k in range(n)]


def _main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("-n", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    truths = generate_corpus(args.out_dir, args.n, args.seed)
    (args.out_dir / "truth.json").write_text(json.dumps([asdict(t) for t in truths], indent=1), encoding="utf-8")
    print(f"{len(truths)} briefings in {args.out_dir}")


if __name__ == "__main__":
    _main()
