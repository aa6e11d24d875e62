"""Benchmark: full SHACL validation versus the incremental check before merge.

Run from the repository root::

    python benchmarks/bench_validation.py                 # 10,000 and 100,000 policies
    python benchmarks/bench_validation.py --sizes 2000    # a quick run

What it does (a script, not a test):

1. Builds synthetic graphs of N policies in the shape the loaders emit: a policy
   with an English title, genre, jurisdiction, issuing agency, government level,
   source URL on the agency's web domain, publication date and briefing link,
   plus 2 targets, each with an evidence span (``oa:exact``/``oa:start``/``oa:end``).
   Regions, agencies and genres are the project's real reference data
   (``policykg.reference``), which is part of every graph.
2. Loads each graph into an in-memory pyoxigraph store (one named graph for the
   synthetic policies, one for the reference data).
3. Full validation: pySHACL over the whole graph (rdflib), for the sample-sized
   graph (the loader's output for the sample briefing when the loaders are
   importable) and for 10,000 policies; for larger sizes only when the
   10,000-policy run extrapolates (linearly) to under ``--full-limit-s``.
4. Incremental check: 10 new policies (valid ones), the neighbourhood fetched
   from the store with :func:`policykg.validation.incremental_context`
   (one SPARQL CONSTRUCT), then :meth:`Validator.validate` with the new
   subjects as focus nodes. Median of ``--repeat`` batches.

Writes a Markdown table to ``benchmarks/results/validation.md``.
Goal (task brief): incremental under 1 s, and within ±30 % between 10k and 100k.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402
import pyshacl  # noqa: E402
import rdflib  # noqa: E402
from rdflib import Graph, Literal, URIRef  # noqa: E402
from rdflib.namespace import RDF, SKOS  # noqa: E402

from policykg.settings import Settings  # noqa: E402
from policykg.validation import Validator, incremental_context  # noqa: E402
from policykg.vocab import PKG, Minter  # noqa: E402

PKG_NS = str(PKG)
XSD = "http://www.w3.org/2001/XMLSchema#"
DCT = "http://purl.org/dc/terms/"
OA = "http://www.w3.org/ns/oa#"
UNIT_W = "http://qudt.org/vocab/unit/W"
RDF_TYPE = str(RDF.type)

INDICATORS = ("installed capacity of new energy storage", "charging piles for electric vehicles",
              "non-fossil energy consumption", "energy-saving retrofits of existing buildings")


@dataclass
class Reference:
    """What the generator needs from the reference data."""

    graph: Graph
    #: (region IRI, ISO code, level IRI, [(agency IRI, web domain)])
    jurisdictions: list[tuple[str, str, str, list[tuple[str, str]]]] = field(default_factory=list)
    genres: list[tuple[str, str]] = field(default_factory=list)  # (IRI, English label)


def load_reference(settings: Settings) -> Reference:
    """Ontology + reference data (regions, agencies, vocabularies) as one rdflib graph."""
    from policykg.reference import load_ontology_graph, load_reference_graph

    g = Graph()
    g += load_ontology_graph(settings.ontology_dir)
    g += load_reference_graph(settings.ontology_dir)
    ref = Reference(g)
    agencies: dict[str, list[tuple[str, str]]] = {}
    for agency in g.subjects(RDF.type, PKG.Agency):
        juris = g.value(agency, PKG.jurisdiction)
        domain = g.value(agency, PKG.webDomain)
        if juris is not None and domain is not None:
            agencies.setdefault(str(juris), []).append((str(agency), str(domain)))
    for region in sorted(g.subjects(RDF.type, PKG.Region)):
        code = g.value(region, PKG.isoCode)
        if code is None or str(region) not in agencies:
            continue
        level = PKG.National if str(code) == "CN" else PKG.Provincial
        ref.jurisdictions.append((str(region), str(code), str(level), sorted(agencies[str(region)])))
    scheme = URIRef(Minter().scheme("genre"))
    for genre in sorted(g.subjects(SKOS.inScheme, scheme)):
        label = next((str(x) for x in g.objects(genre, SKOS.prefLabel) if x.language == "en"), None)
        if label:
            ref.genres.append((str(genre), label))
    if not ref.jurisdictions or not ref.genres:
        raise SystemExit("reference data lacks regions with agencies, or genres: is ontology/ complete?")
    return ref


def _lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    return Literal(text, lang=lang, datatype=URIRef(datatype) if datatype else None).n3()


def synthetic_policies(ref: Reference, start: int, count: int, *, seed: int = 7) -> str:
    """N-Triples of ``count`` policies numbered from ``start`` (deterministic for a seed)."""
    m = Minter()
    rng = random.Random(seed * 1_000_003 + start)
    out: list[str] = []
    add = out.append
    for i in range(start, start + count):
        region, code, level, agencies = ref.jurisdictions[i % len(ref.jurisdictions)]
        agency, domain = agencies[rng.randrange(len(agencies))]
        genre, genre_label = ref.genres[rng.randrange(len(ref.genres))]
        title = f"{genre_label} on Synthetic Measure {i} for Low-Carbon Development"
        policy = f"<{m.policy(title, code)}>"
        briefing = m.briefing(f"bench-{i // 25}")
        add(f"<{briefing}> <{RDF_TYPE}> <{PKG_NS}Briefing> .")
        add(f"<{briefing}> <{DCT}title> {_lit(f'Synthetic briefing {i // 25}', 'en')} .")
        add(f"{policy} <{RDF_TYPE}> <{PKG_NS}Policy> .")
        add(f"{policy} <{DCT}title> {_lit(title, 'en')} .")
        add(f"{policy} <{PKG_NS}genre> <{genre}> .")
        add(f"{policy} <{PKG_NS}jurisdiction> <{region}> .")
        add(f"{policy} <{PKG_NS}governmentLevel> <{level}> .")
        add(f"{policy} <{PKG_NS}issuedBy> <{agency}> .")
        add(f"{policy} <{PKG_NS}sourceURL> <https://www.{domain}/art/2024/3/{i}.html> .")
        add(f"{policy} <{PKG_NS}publicationDate> {_lit(f'2024-{1 + i % 12:02d}-{1 + i % 28:02d}', datatype=XSD + 'date')} .")
        add(f"{policy} <{PKG_NS}reportedIn> <{briefing}> .")
        offset = 200 * (i % 25)
        for k, year in enumerate((2025, 2030)):
            value = rng.randrange(1, 900)
            target = f"<{m.target(URIRef(policy[1:-1]), year, k, value)}>"
            exact = f"By {year}, about {value} million kilowatts"
            start_c = offset + 60 * k
            span = f"<{m.span(briefing, start_c, start_c + len(exact))}>"
            add(f"{policy} <{PKG_NS}setsTarget> {target} .")
            add(f"{target} <{RDF_TYPE}> <{PKG_NS}Target> .")
            add(f"{target} <{PKG_NS}indicator> {_lit(INDICATORS[(i + k) % len(INDICATORS)], 'en')} .")
            add(f"{target} <{PKG_NS}targetYear> {_lit(str(year), datatype=XSD + 'gYear')} .")
            add(f"{target} <{PKG_NS}value> {_lit(f'{value}.0', datatype=XSD + 'decimal')} .")
            add(f"{target} <{PKG_NS}unitText> {_lit('million kilowatts')} .")
            add(f"{target} <{PKG_NS}normalizedValue> {_lit(f'{value}.0E9', datatype=XSD + 'double')} .")
            add(f"{target} <{PKG_NS}normalizedUnit> <{UNIT_W}> .")
            add(f"{target} <{PKG_NS}comparator> <{PKG_NS}Approximately> .")
            add(f"{target} <{PKG_NS}evidence> {span} .")
            add(f"{span} <{RDF_TYPE}> <{PKG_NS}TextSpan> .")
            add(f"{span} <{OA}hasSource> <{briefing}> .")
            add(f"{span} <{OA}exact> {_lit(exact)} .")
            add(f"{span} <{OA}start> {_lit(str(start_c), datatype=XSD + 'integer')} .")
            add(f"{span} <{OA}end> {_lit(str(start_c + len(exact)), datatype=XSD + 'integer')} .")
    return "\n".join(out) + "\n"


def sample_graph(settings: Settings, ref: Reference) -> tuple[Graph, str]:
    """The loader's output for the sample briefing, or 25 synthetic policies when loaders are missing."""
    try:
        import loaders
        sample = next(settings.sample_dir.glob("*.txt"))
        ex = loaders.extract(sample, Minter(), reference=ref.graph)
        return ex.graph, f"loader output for {sample.name} ({ex.stats.get('policies', '?')} policies)"
    except Exception as exc:  # noqa: BLE001 - a benchmark falls back, and says so
        g = Graph().parse(data=synthetic_policies(ref, 0, 25), format="nt")
        return g, f"25 synthetic policies (loader unavailable: {type(exc).__name__})"


def timed(fn, *args, **kwargs):
    t = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - t


def full_validation(validator: Validator, data: Graph, ref: Reference):
    g = Graph()
    g += ref.graph
    g += data
    report, elapsed = timed(validator.validate, g)
    return report, elapsed, len(g)


def build_store(ref_nt: str, nt: str) -> ox.Store:
    store = ox.Store()
    m = Minter()
    store.bulk_load(input=ref_nt.encode(), format=ox.RdfFormat.N_TRIPLES,
                    to_graph=ox.NamedNode(str(m.reference_graph)))
    store.bulk_load(input=nt.encode(), format=ox.RdfFormat.N_TRIPLES,
                    to_graph=ox.NamedNode(str(m.graph("bench"))))
    return store


def incremental(validator: Validator, store: ox.Store, ref: Reference, first: int, count: int, repeat: int):
    """Median (fetch s, validate s, total s, context triples, results) over ``repeat`` batches."""
    rows = []
    for r in range(repeat):
        data = Graph().parse(data=synthetic_policies(ref, first + r * count, count, seed=99), format="nt")
        ctx, fetch_s = timed(incremental_context,
                             lambda q: store.query(q, use_default_graph_as_union=True), data)
        report, validate_s = timed(validator.validate, data, context=ctx)
        rows.append((fetch_s, validate_s, fetch_s + validate_s, len(ctx), len(report.results), report.focus_count))
    # sanity check: a new policy that copies a stored policy's title (under another IRI) and
    # source URL must be caught through the fetched neighbourhood
    stored = Graph().parse(data=synthetic_policies(ref, 0, 1), format="nt")  # = the first stored one
    policy = next(stored.subjects(RDF.type, PKG.Policy))
    copy = URIRef(str(policy) + "-copy")
    dup = Graph()
    for p, o in stored.predicate_objects(policy):
        if p != PKG.setsTarget:
            dup.add((copy, p, o))
    ctx = incremental_context(lambda q: store.query(q, use_default_graph_as_union=True), dup)
    report = validator.validate(dup, context=ctx)
    caught = sorted({(r.severity, r.path.rsplit("/", 1)[-1].rsplit("#", 1)[-1]) for r in report.results if r.path})
    med = lambda i: statistics.median(row[i] for row in rows)  # noqa: E731
    return {"fetch_s": med(0), "validate_s": med(1), "total_s": med(2), "context_triples": med(3),
            "results": max(row[4] for row in rows), "focus": rows[0][5], "runs": rows, "caught": caught}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--new", type=int, default=10, help="policies per incremental batch")
    ap.add_argument("--repeat", type=int, default=5, help="incremental batches per size")
    ap.add_argument("--full-limit-s", type=float, default=300.0,
                    help="skip a full validation whose linear extrapolation exceeds this")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "validation.md")
    args = ap.parse_args(argv)

    settings = Settings()
    ref = load_reference(settings)
    validator = Validator(settings.shapes_dir, settings.ontology_dir)
    ref_nt = ref.graph.serialize(format="nt")
    lines: list[str] = []
    log = lambda s: (print(s, flush=True), lines.append(s))  # noqa: E731

    # warm-up: the first validation parses every SPARQL constraint once (cached after)
    validator.validate(Graph().parse(data=synthetic_policies(ref, 10**9, 2), format="nt"))

    log("# Validation benchmark: full pySHACL versus incremental check")
    log("")
    log(f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.machine()}, "
        f"Python {platform.python_version()}, pySHACL {pyshacl.__version__}, rdflib {rdflib.__version__}, "
        f"pyoxigraph {ox.__version__}, load average at start {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; "
        f"reference data {len(ref.graph):,} triples "
        f"({len(ref.jurisdictions)} jurisdictions with agencies, {len(ref.genres)} genres).")
    log("Synthetic policy: title, genre, jurisdiction, issuer, level, source URL, date, briefing, "
        "2 targets with an evidence span each (44 triples).")
    log("")

    sample, sample_desc = sample_graph(settings, ref)
    rep, secs, n_triples = full_validation(validator, sample, ref)
    full_rows = [("sample", sample_desc, n_triples, rep.focus_count, secs, rep.counts)]
    log(f"- full, sample: {secs:.2f} s ({n_triples:,} triples, {rep.focus_count} focus nodes, {rep.counts})")

    per_policy_s = None
    inc_rows = []
    for size in args.sizes:
        nt, gen_s = timed(synthetic_policies, ref, 0, size)
        store, load_s = timed(build_store, ref_nt, nt)
        log(f"- {size:,} policies: generated in {gen_s:.1f} s, pyoxigraph bulk load {load_s:.1f} s "
            f"({len(store):,} quads)")
        predicted = per_policy_s * size if per_policy_s else None
        if size <= 10_000 or (predicted is not None and predicted <= args.full_limit_s):
            data, parse_s = timed(Graph().parse, data=nt, format="nt")
            rep, secs, n_triples = full_validation(validator, data, ref)
            del data
            per_policy_s = secs / size
            full_rows.append((f"{size:,}", "synthetic", n_triples, rep.focus_count, secs, rep.counts))
            log(f"- full, {size:,}: {secs:.1f} s (+ rdflib parse {parse_s:.1f} s), {rep.focus_count:,} focus nodes, "
                f"{rep.counts}")
        else:
            est = f"~{predicted:,.0f} s" if predicted else "unknown"
            full_rows.append((f"{size:,}", f"skipped: linear extrapolation {est} > {args.full_limit_s:.0f} s",
                              None, None, None, None))
            log(f"- full, {size:,}: skipped (extrapolated {est})")
        del nt
        inc = incremental(validator, store, ref, 10**8, args.new, args.repeat)
        inc_rows.append((size, inc))
        log(f"- incremental, {args.new} new policies into {size:,}: fetch {inc['fetch_s'] * 1000:.0f} ms, "
            f"validate {inc['validate_s'] * 1000:.0f} ms, total {inc['total_s'] * 1000:.0f} ms "
            f"(context {inc['context_triples']:.0f} triples, {inc['focus']} focus nodes, {inc['results']} results); "
            f"a copied stored policy is caught: {inc['caught']}")
        del store

    md = ["# Validation benchmark: full pySHACL vs incremental check", "",
          *lines[2:5], "",
          "## Full validation (pySHACL over the whole graph, rdflib in memory)", "",
          "| graph | data | triples | focus nodes | time (s) | results |",
          "|---|---|---:|---:|---:|---|"]
    for name, desc, n, focus, secs, counts in full_rows:
        if secs is None:
            md.append(f"| {name} | {desc} | - | - | - | - |")
        else:
            md.append(f"| {name} | {desc} | {n:,} | {focus:,} | {secs:.2f} | {counts} |")
    md += ["", f"## Incremental check ({args.new} new policies; median of {args.repeat} batches)", "",
           "| store size (policies) | fetch neighbourhood (ms) | validate (ms) | total (ms) | context triples | focus nodes |",
           "|---:|---:|---:|---:|---:|---:|"]
    for size, inc in inc_rows:
        md.append(f"| {size:,} | {inc['fetch_s'] * 1000:.0f} | {inc['validate_s'] * 1000:.0f} | "
                  f"{inc['total_s'] * 1000:.0f} | {inc['context_triples']:.0f} | {inc['focus']} |")
    md.append("")
    if len(inc_rows) >= 2:
        a, b = inc_rows[0], inc_rows[-1]
        ratio = b[1]["total_s"] / a[1]["total_s"]
        md.append(f"Incremental total at {b[0]:,} vs {a[0]:,} policies: ratio {ratio:.2f} "
                  f"({'within' if 0.7 <= ratio <= 1.3 else 'outside'} the ±30 % goal).")
    worst = max(inc["total_s"] for _, inc in inc_rows)
    md.append(f"Slowest incremental check: {worst * 1000:.0f} ms ({'under' if worst < 1 else 'over'} the 1 s goal).")
    full_10k = next((r for r in full_rows if r[0] == "10,000" and r[4]), None)
    if full_10k and inc_rows:
        inc_10k = next((inc for size, inc in inc_rows if size == 10_000), None)
        if inc_10k:
            md.append(f"Full validation of 10,000 policies takes {full_10k[4] / inc_10k['total_s']:,.0f}x "
                      f"the incremental check of {args.new} new ones.")
    md.append(f"Sanity check (per store size): a new policy copying a stored policy's title and source URL "
              f"under another IRI gives {', '.join(str(inc['caught']) for _, inc in inc_rows)} "
              f"(duplicate title: Violation; shared source URL: Warning).")
    md.append(f"Load average at the end: {os.getloadavg()[0]:.1f} (the machine is shared; figures are wall time).")
    md.append("")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(md), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
