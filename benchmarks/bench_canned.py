"""Time every canned query on the benchmark's graphs, as the API runs it (a script, not a test).

    python benchmarks/bench_canned.py --policies 10000 100000 --rounds 3

What it does:

1. builds the graphs of ``bench_sparql.py`` (the bundled briefing plus
   ``--policies`` synthetic policies, same seed), or reuses the stores already
   in ``--work``;
2. for each canned query of ``--queries-dir`` (default ``queries/``), with
   its example parameters (else its defaults), resolved as the API resolves
   them (:func:`policykg.sparql.resolve_resources`), runs it ``--rounds`` times
   in this process, in the engine alone, through the query pool's own
   :func:`policykg.querypool.execute` (the row limit applied, results
   serialised as SPARQL JSON), in two ways:

   * ``text``: the parameters written into the query
     (:meth:`policykg.sparql.CannedQuery.bound_text`), as the API and the
     CLI run canned queries;
   * ``substitutions``: the text unchanged and the parameters given to
     pyoxigraph as ``substitutions``, as they ran before;
   * ``before`` (with ``--before-queries-dir``, an older checkout's
     ``queries/``): that query text, with ``substitutions``;

3. writes a Markdown report (``--report``): the median time of each, the
   ratios to ``text``, the number of rows (``+`` when the row limit cut them), and whether
   the query would pass the default query timeout
   (:attr:`policykg.settings.Settings.query_timeout_s`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_sparql import generate, prepare_store, sample_quads  # noqa: E402

import pyoxigraph as ox  # noqa: E402

from policykg.querypool import QueryJob, execute, term_tuple  # noqa: E402
from policykg.settings import Settings  # noqa: E402
from policykg.sparql import limit_query, load_canned_queries, resolve_resources  # noqa: E402
from policykg.store import OxigraphStore  # noqa: E402


def store_for(n: int, work: Path) -> Path:
    """The on-disk store of the sample plus ``n`` synthetic policies under ``work`` (built when absent)."""
    store_dir = work / f"store{n}"
    if (store_dir / "CURRENT").exists():
        return store_dir
    sample = work / "sample.nq" if (work / "sample.nq").exists() else sample_quads(work)
    synthetic = work / f"syn{n}.nq"
    if not synthetic.exists():
        generate(n, synthetic)
    combined = work / f"all{n}.nq"
    combined.write_bytes(sample.read_bytes() + synthetic.read_bytes())
    prepare_store(combined, store_dir)
    return store_dir


def time_queries(store_dir: Path, queries_dir: Path, before_dir: Path | None, rounds: int,
                 settings: Settings) -> list[dict]:
    """One row per canned query: ``name``, ``params``, ``text_s``/``subs_s``/``before_s`` (median seconds; None
    when there is no ``before_dir`` or no such query in it), ``rows``, ``cut``."""
    store = OxigraphStore(store_dir, settings.base_iri, read_only=True)
    raw = store.raw
    before = load_canned_queries(before_dir) if before_dir else {}
    rows_out = []
    for name, query in sorted(load_canned_queries(queries_dir).items()):
        params = {p.name: p.example or p.default for p in query.params if p.example or p.default}
        _, bindings = query.bind(params, settings.base_iri)
        bindings = resolve_resources(store, query, bindings, params, settings.base_iri)
        substitutions = tuple((k, term_tuple(v)) for k, v in bindings.items())
        ways = {"text": QueryJob(limit_query(query.bound_text(bindings), query.info, settings.max_result_rows),
                                 query.form, "json", max_rows=settings.max_result_rows),
                "subs": QueryJob(limit_query(query.sparql, query.info, settings.max_result_rows), query.form,
                                 "json", max_rows=settings.max_result_rows, substitutions=substitutions)}
        if name in before:
            old = before[name]
            ways["before"] = QueryJob(limit_query(old.sparql, old.info, settings.max_result_rows), old.form, "json",
                                      max_rows=settings.max_result_rows, substitutions=substitutions)
        times: dict[str, list[float]] = {way: [] for way in ways}
        outcome = None
        for _ in range(rounds):
            for way, job in ways.items():
                start = time.perf_counter()
                outcome = execute(raw, job)
                times[way].append(time.perf_counter() - start)
        data = json.loads(outcome.data) if query.form == "SELECT" else {"results": {"bindings": []}}
        rows_out.append({"name": name, "params": params, "text_s": statistics.median(times["text"]),
                         "subs_s": statistics.median(times["subs"]),
                         "before_s": statistics.median(times["before"]) if "before" in times else None,
                         "rows": len(data["results"]["bindings"]), "cut": outcome.truncated})
        print(f"{store_dir.name} {name}: {rows_out[-1]['text_s']:.2f} s (substitutions "
              f"{rows_out[-1]['subs_s']:.2f} s)", flush=True)
    store.close()
    return rows_out


def write_report(path: Path, args: argparse.Namespace, results: dict[int, list[dict]], timeout_s: float) -> None:
    """The Markdown report of :func:`time_queries` for each graph size."""
    lines = ["# Canned queries on the benchmark's graphs", "",
             f"Generated by `python benchmarks/bench_canned.py {' '.join(sys.argv[1:])}` on "
             f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC.", "",
             f"Machine: {platform.machine()}, Python {platform.python_version()}, pyoxigraph {ox.__version__}; "
             f"median of {args.rounds} rounds, in-process, in the engine alone (no HTTP). `text`: the parameters "
             "written into the query, as the API and the CLI run it; `substitutions`: the same text with the "
             "parameters given to pyoxigraph as `substitutions`, as canned queries ran before"
             + (f"; `before`: the query text of `{args.before_queries_dir}` with `substitutions`"
                if args.before_queries_dir else "; `before`: not measured (no `--before-queries-dir`)")
             + ". Synthetic policies: `bench_sparql.generate` (1 to 3 sectors each, by the weights of its "
             "`SECTOR_WEIGHTS`: power in about a quarter of them). Rows: SPARQL JSON "
             f"rows, `+` when the row limit cut them. Timeout: the default query timeout, {timeout_s:g} s. "
             f"Load average at the end: {os.getloadavg()[0]:.1f} (the machine's other work slows every column "
             "alike within a round).", ""]
    for n, rows in results.items():
        lines += [f"## The bundled briefing plus {n:,} synthetic policies", "",
                  "| query | parameters | text s | substitutions s | before s | substitutions / text | before / text "
                  "| rows | within the timeout |",
                  "|---|---|---:|---:|---:|---:|---:|---:|---|"]
        for r in rows:
            params = ", ".join(f"{k}={v}" for k, v in r["params"].items()) or "-"
            text_s = max(r["text_s"], 1e-6)
            before = ("-", "-") if r["before_s"] is None else (f"{r['before_s']:.2f}", f"{r['before_s'] / text_s:.1f}")
            lines.append(f"| {r['name']} | {params} | {r['text_s']:.2f} | {r['subs_s']:.2f} | {before[0]} | "
                         f"{r['subs_s'] / text_s:.1f} | {before[1]} | {r['rows']}{'+' if r['cut'] else ''} | "
                         f"{'yes' if r['text_s'] < timeout_s else '**no**'} |")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    """Parse the arguments, build or reuse the stores, time the queries, write the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--policies", type=int, nargs="+", default=[10000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/policykg-bench"),
                        help="folder for the generated graphs and stores (reused when present)")
    parser.add_argument("--queries-dir", type=Path, default=ROOT / "queries")
    parser.add_argument("--before-queries-dir", type=Path, default=None,
                        help="an older checkout's queries/, timed beside (its texts, with substitutions)")
    parser.add_argument("--report", type=Path, default=ROOT / "benchmarks" / "results" / "canned-queries.md")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    settings = Settings()
    results = {n: time_queries(store_for(n, args.work), args.queries_dir, args.before_queries_dir, args.rounds,
                               settings)
               for n in args.policies}
    write_report(args.report, args, results, settings.query_timeout_s)
    print(f"report: {args.report}")


if __name__ == "__main__":
    main()
