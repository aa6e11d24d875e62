"""Benchmark: briefing extraction throughput, peak memory, and accuracy on a generated corpus.

Run from the repository root::

    python benchmarks/bench_loaders.py                  # 1,000 generated briefings, 2 workers
    python benchmarks/bench_loaders.py -n 100 --no-single   # a quick run

What it does (a script, not a test):

1. Startup: parse the reference graph the way the CLI does
   (``policykg.reference.load_reference_graph`` + ``load_ontology_graph``)
   and build the :class:`loaders.linking.Linker`; times both.
2. The sample briefing ``data/briefings/ccnt-2024-03-04.txt``: the first
   extraction, then the mean of ``--repeat`` warm extractions (wall and CPU
   seconds), the tracemalloc peak of one extraction, and a determinism check
   (the same sorted N-Triples twice).
3. A corpus of ``-n`` briefings in the sample's layout written by
   :mod:`benchmarks.corpus` (seeded) into a temporary directory.
4. Single process: every generated briefing extracted in turn (documents per
   second, after start-up; peak RSS of the process).
5. ``--workers`` processes (``multiprocessing.Pool``; each builds the reference
   graph and Linker once in its initializer): documents per second over the
   whole run (start-up included) and after the slowest worker's start-up;
   peak RSS per worker.
6. Accuracy against the generator's truth: policy recall and precision (exact
   title), report recall and reports not read as policies, source-URL accuracy
   (the policy's ``pkg:sourceURL`` set is exactly the true URL).

Each run also reports CPU seconds per briefing and the throughput the CPU time
alone allows (``workers / CPU s per briefing``): the machine is shared, so wall
figures depend on other load. After building the reference graph and Linker,
each process calls ``gc.freeze()`` (``--no-gc-freeze`` to compare).

Writes Markdown to ``benchmarks/results/loaders.md``. Target (issue): at least
20 briefings per second on 2 cores.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing as mp
import os
import platform
import resource
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.corpus import BriefingTruth, generate_corpus  # noqa: E402

SAMPLE = ROOT / "data" / "briefings" / "ccnt-2024-03-04.txt"
RESULTS = ROOT / "benchmarks" / "results" / "loaders.md"
#: Everything from this line on in the results file is kept when the benchmark rewrites it.
KEEP_MARKER = "<!-- notes below are kept by bench_loaders.py -->"


def build_reference(ontology_dir: Path = ROOT / "ontology") -> tuple[object, object, float, float]:
    """``(reference graph, Linker, parse seconds, Linker seconds)``, built as the CLI builds them."""
    from loaders.linking import Linker
    from policykg.reference import load_ontology_graph, load_reference_graph

    t0 = time.perf_counter()
    graph = load_reference_graph(ontology_dir)
    graph += load_ontology_graph(ontology_dir)
    t1 = time.perf_counter()
    linker = Linker(graph)
    return graph, linker, t1 - t0, time.perf_counter() - t1


def extract_with(linker: object, path: Path):  # noqa: ANN201 - loaders.Extraction
    """:func:`loaders.extract_document` of ``path`` with an already built Linker."""
    from loaders import extract_document
    from loaders.document import read_document
    from policykg.vocab import Minter

    return extract_document(read_document(Path(path)), Minter(), linker)  # type: ignore[arg-type]


def score(extraction: object, truth: BriefingTruth) -> dict[str, int]:
    """Counts comparing one extraction with its truth (exact titles; URL sets)."""
    from rdflib.namespace import DCTERMS, RDF

    from policykg.vocab import PKG

    g = extraction.graph  # type: ignore[attr-defined]
    found: dict[str, set[str]] = {}
    for s in g.subjects(RDF.type, PKG.Policy):
        for t in g.objects(s, DCTERMS.title):
            if getattr(t, "language", None) == "en":
                found.setdefault(str(t), set()).update(str(u) for u in g.objects(s, PKG.sourceURL))
    reports = {str(t) for s in g.subjects(RDF.type, PKG.Report) for t in g.objects(s, DCTERMS.title)}
    true_titles = {p.title for p in truth.policies}
    hit = [p for p in truth.policies if p.title in found]
    return {
        "policies_true": len(truth.policies), "policies_found": len(found), "policies_hit": len(hit),
        "policies_false": sum(1 for t in found if t not in true_titles),
        "urls_exact": sum(1 for p in hit if found[p.title] == {p.url}),
        "reports_true": len(truth.reports), "reports_hit": sum(1 for r in truth.reports if r.title in reports),
        "reports_as_policies": sum(1 for r in truth.reports if r.title in found),
    }


# --------------------------------------------------------------------------- workers

_WORKER: dict[str, object] = {}


def _init_worker(freeze: bool = True) -> None:
    t0 = time.perf_counter()
    _graph, linker, _p, _l = build_reference()
    if freeze:
        gc.freeze()  # see main(): the reference graph and Linker stay out of the collector's full passes
    _WORKER["linker"] = linker
    _WORKER["ready"] = time.perf_counter()
    _WORKER["startup_s"] = time.perf_counter() - t0


def _work(item: tuple[str, BriefingTruth]) -> dict[str, float]:
    path, truth = item
    t0 = time.perf_counter()
    ex = extract_with(_WORKER["linker"], Path(path))
    out: dict[str, float] = dict(score(ex, truth))
    out["seconds"] = time.perf_counter() - t0
    out["maxrss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out["pid"] = os.getpid()
    out["ready"] = float(_WORKER["ready"])  # type: ignore[arg-type]
    out["startup_s"] = float(_WORKER["startup_s"])  # type: ignore[arg-type]
    out["done"] = time.perf_counter()
    out["cpu_s"] = time.process_time()  # this worker's CPU seconds so far (start-up included)
    return out


@dataclass
class RunResult:
    """Throughput of one run over the corpus."""

    docs: int
    wall_s: float
    steady_docs_per_s: float
    maxrss_mib: float
    totals: dict[str, int]
    #: CPU seconds spent by the run's processes (workers: start-up included).
    cpu_s: float = 0.0


def _sum(rows: list[dict[str, float]]) -> dict[str, int]:
    keys = [k for k in rows[0] if k.startswith(("policies_", "urls_", "reports_"))]
    return {k: int(sum(r[k] for r in rows)) for k in keys}


def run_single(linker: object, items: list[tuple[str, BriefingTruth]]) -> RunResult:
    """Every briefing in this process, one after another."""
    rows = []
    t0 = time.perf_counter()
    c0 = time.process_time()
    for path, truth in items:
        ex = extract_with(linker, Path(path))
        rows.append(score(ex, truth))
    wall = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cpu = time.process_time() - c0
    return RunResult(len(items), wall, len(items) / wall, rss, _sum(rows), cpu)  # type: ignore[arg-type]


def run_pool(items: list[tuple[str, BriefingTruth]], workers: int, freeze: bool = True) -> RunResult:
    """``workers`` processes, each with its own reference graph and Linker."""
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    t0 = time.perf_counter()
    with ctx.Pool(workers, initializer=_init_worker, initargs=(freeze,)) as pool:
        rows = list(pool.imap_unordered(_work, items, chunksize=8))
    wall = time.perf_counter() - t0
    ready = max(r["ready"] for r in rows)  # the slowest worker's start-up done
    done = max(r["done"] for r in rows)
    after = [r for r in rows if r["done"] - r["seconds"] >= ready]
    steady = len(after) / (done - ready) if done > ready and after else len(rows) / wall
    rss = max(r["maxrss_kib"] for r in rows) / 1024
    cpu = sum(max(r["cpu_s"] for r in rows if r["pid"] == pid) for pid in {r["pid"] for r in rows})
    return RunResult(len(rows), wall, steady, rss, _sum(rows), cpu)


# --------------------------------------------------------------------------- sample

def sample_figures(linker: object, repeat: int) -> dict[str, float]:
    """First and warm extraction of the sample briefing, tracemalloc peak, determinism."""
    t0 = time.perf_counter()
    first = extract_with(linker, SAMPLE)
    first_s = time.perf_counter() - t0
    walls, cpus = [], []
    for _ in range(repeat):
        a, c = time.perf_counter(), time.process_time()
        extract_with(linker, SAMPLE)
        walls.append(time.perf_counter() - a)
        cpus.append(time.process_time() - c)
    tracemalloc.start()
    again = extract_with(linker, SAMPLE)
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    nt1 = sorted(first.graph.serialize(format="nt").splitlines())
    nt2 = sorted(again.graph.serialize(format="nt").splitlines())
    return {"first_s": first_s, "warm_wall_s": sum(walls) / len(walls), "warm_cpu_s": sum(cpus) / len(cpus),
            "tracemalloc_peak_mib": peak / 2**20, "deterministic": float(nt1 == nt2), "triples": len(nt1),
            "policies": first.stats.get("policies", 0)}


def _pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.2f} %)" if b else "n/a"


def write_results(path: Path, args: argparse.Namespace, startup: tuple[float, float], sample: dict[str, float],
                  single: RunResult | None, pool: RunResult, corpus_stats: dict[str, float]) -> str:
    """The Markdown report (also returned)."""
    load = os.getloadavg()
    load0 = args.load_at_start
    t = pool.totals
    lines = [
        "# Loader benchmark: briefings per second, memory, accuracy on a generated corpus",
        "",
        f"`python benchmarks/bench_loaders.py -n {args.n} --seed {args.seed} --workers {args.workers}"
        f"{' --no-gc-freeze' if args.no_gc_freeze else ''}` "
        f"on {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores; "
        f"load average (1 min) {load0:.1f} at the start, {load[0]:.1f} at the end "
        "(other work shares this machine: wall-clock figures are noisy, CPU seconds less so).",
        "",
        "## Start-up (once per process)",
        "",
        "| step | seconds |",
        "|---|---|",
        f"| parse reference + ontology Turtle (`policykg.reference`, rdflib) | {startup[0]:.2f} |",
        f"| build `Linker` (indexes, label trie) | {startup[1]:.2f} |",
        "",
        "## Sample briefing (`data/briefings/ccnt-2024-03-04.txt`)",
        "",
        "| what | value |",
        "|---|---|",
        f"| first extraction (pint registry, regex compilation) | {sample['first_s']:.3f} s |",
        f"| warm extraction, mean of {args.repeat} | {sample['warm_wall_s']:.3f} s wall, "
        f"{sample['warm_cpu_s']:.3f} s CPU |",
        f"| tracemalloc peak of one extraction | {sample['tracemalloc_peak_mib']:.1f} MiB |",
        f"| policies / triples | {int(sample['policies'])} / {int(sample['triples'])} |",
        f"| same sorted N-Triples twice | {'yes' if sample['deterministic'] else 'NO'} |",
        "",
        f"## Generated corpus: {pool.docs} briefings (seed {args.seed})",
        "",
        f"Mean size {corpus_stats['bytes']:.0f} bytes, {corpus_stats['policies']:.1f} policies and "
        f"{corpus_stats['reports']:.1f} reports per briefing (the sample: 29,674 bytes, 25 policies, 5 reports).",
        "",
        "| run | wall s | briefings/s (whole run) | briefings/s (after start-up) | CPU s per briefing "
        "| briefings/s if the cores were free (CPU-bound) | peak RSS |",
        "|---|---|---|---|---|---|---|",
    ]
    if single is not None:
        lines.append(f"| 1 process (Linker built beforehand) | {single.wall_s:.1f} | {single.docs / single.wall_s:.1f} "
                     f"| {single.steady_docs_per_s:.1f} | {single.cpu_s / single.docs:.4f} "
                     f"| {single.docs / single.cpu_s:.1f} | {single.maxrss_mib:.0f} MiB |")
    lines += [
        f"| pool of {args.workers} workers, each building graph + Linker | {pool.wall_s:.1f} | "
        f"{pool.docs / pool.wall_s:.1f} | {pool.steady_docs_per_s:.1f} | {pool.cpu_s / pool.docs:.4f} "
        f"| {pool.docs * args.workers / pool.cpu_s:.1f} | {pool.maxrss_mib:.0f} MiB per worker |",
        "",
        f"Target: 20 briefings/s on 2 cores: **{'met' if pool.docs / pool.wall_s >= 20 else 'NOT met'}** "
        f"({pool.docs / pool.wall_s:.1f}/s over the whole run).",
        "",
        "## Accuracy on the generated corpus (generality check; truth from the generator)",
        "",
        "| measure | value |",
        "|---|---|",
        f"| policy recall (exact title) | {_pct(t['policies_hit'], t['policies_true'])} |",
        f"| policy precision (extracted policies whose title is a true title) | "
        f"{_pct(t['policies_found'] - t['policies_false'], t['policies_found'])} |",
        f"| source URL exact (found policies) | {_pct(t['urls_exact'], t['policies_hit'])} |",
        f"| report recall | {_pct(t['reports_hit'], t['reports_true'])} |",
        f"| reports read as policies | {t['reports_as_policies']} |",
        "",
    ]
    text = "\n".join(lines)
    if path is not None and path.exists():
        # hand-written notes (before/after figures of a change) below the marker survive a re-run
        old = path.read_text(encoding="utf-8")
        if KEEP_MARKER in old:
            text += "\n" + old[old.index(KEEP_MARKER):]
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=1000, help="generated briefings")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=10, help="warm extractions of the sample")
    ap.add_argument("--no-single", action="store_true", help="skip the single-process run")
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--no-gc-freeze", action="store_true",
                    help="leave the reference graph and Linker in the garbage collector's generations")
    args = ap.parse_args(argv)
    args.load_at_start = os.getloadavg()[0]

    _graph, linker, parse_s, linker_s = build_reference()
    if not args.no_gc_freeze:
        # Long-lived objects (the reference graph, ~25,000 triples, and the Linker's label trie) make
        # every full collection traverse ~400,000 objects; gc.freeze() moves them to the permanent
        # generation. A process-level choice for a batch run (measured: ~10 % less CPU per briefing).
        gc.freeze()
    print(f"reference parse {parse_s:.2f} s, Linker {linker_s:.2f} s", flush=True)
    sample = sample_figures(linker, args.repeat)
    print(f"sample: first {sample['first_s']:.3f} s, warm {sample['warm_wall_s']:.3f} s wall "
          f"{sample['warm_cpu_s']:.3f} s CPU, deterministic {bool(sample['deterministic'])}", flush=True)
    with tempfile.TemporaryDirectory(prefix="policykg-corpus-") as tmp:
        truths = generate_corpus(Path(tmp), args.n, args.seed)
        items = [(t.path, t) for t in truths]
        corpus_stats = {"bytes": sum(Path(p).stat().st_size for p, _ in items) / len(items),
                        "policies": sum(len(t.policies) for t in truths) / len(truths),
                        "reports": sum(len(t.reports) for t in truths) / len(truths)}
        single = None
        if not args.no_single:
            single = run_single(linker, items)
            print(f"single process: {single.docs / single.wall_s:.1f} briefings/s", flush=True)
        pool = run_pool(items, args.workers, freeze=not args.no_gc_freeze)
        print(f"{args.workers} workers: {pool.docs / pool.wall_s:.1f} briefings/s whole run, "
              f"{pool.steady_docs_per_s:.1f} after start-up", flush=True)
    print(write_results(args.out, args, (parse_s, linker_s), sample, single, pool, corpus_stats))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
