"""Benchmark policykg's /sparql against raw Oxigraph and rdflib-endpoint (a script, not a test).

    pip install -e '.[bench]'        # rdflib-endpoint; the oxigraph server comes with '.[test]'
    python benchmarks/bench_sparql.py --policies 10000 100000 --concurrency 8 --duration 5

What it does (everything on loopback, bounded in time):

1. builds the bundled briefing's graph (``policykg load`` of data/briefings,
   with the ontology and reference graphs) and adds a synthetic policy graph
   of each size in ``--policies`` (~19 quads per policy, with agencies,
   regions, dates and targets; fixed random seed);
2. for each size, starts three servers on free 127.0.0.1 ports, on the same data:
   * ours: ``policykg serve`` on an on-disk store, once per ``--workers``
     value (default ``1 2``: one uvicorn process, then two on one port
     serving a snapshot); bounded lookups are answered in the server
     processes, other queries in each server process's query pool (the
     default: 3 processes, of which one client, here the load generator,
     holds at most 2 at once); access log off;
   * ``oxigraph serve-read-only --union-default-graph`` on a separate copy (the
     ``oxigraph`` PyPI package), the engine under ours without our layer;
   * ``rdflib-endpoint serve`` on the same triples (skipped above
     ``--rdflib-max-policies``);
   * a bare uvicorn + pyoxigraph ASGI app without policykg's checks, the
     ceiling of a Python server on this stack, and the same app on granian
     (a Rust HTTP server for Python apps, RSGI interface), with 1 and 2
     processes when granian is installed (``pip install -e '.[bench]'``):
     the ceiling of any Python server on this engine (``--no-ceiling``
     skips them);
3. runs a fixed mix (lookup of one policy by IRI, filter by region and year,
   aggregate of 2030 targets by region, DESCRIBE of one policy; random IRIs,
   regions and years) for ``--duration`` seconds per query kind and server
   at ``--concurrency`` keep-alive connections, alternating the servers
   ``--rounds`` times per kind, and reports req/s, p50 and p99 latency and
   the ratios to ``benchmarks/results/sparql.md``.

The load generator is ``wrk`` (C, one thread) when it is installed, else an
asyncio + httpx client. The client shares the machine with the servers; a
Python client costs more CPU per request than the servers being measured,
which compresses every ratio towards 1, so use wrk for the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BASE = "https://w3id.org/policykg/"
PKG = "https://w3id.org/policykg/ontology#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PROVINCES = ["CN-BJ", "CN-TJ", "CN-HE", "CN-SX", "CN-NM", "CN-LN", "CN-JL", "CN-HL", "CN-SH", "CN-JS", "CN-ZJ",
             "CN-AH", "CN-FJ", "CN-JX", "CN-SD", "CN-HA", "CN-HB", "CN-HN", "CN-GD", "CN-GX", "CN-HI", "CN-CQ",
             "CN-SC", "CN-GZ", "CN-YN", "CN-XZ", "CN-SN", "CN-GS", "CN-QH", "CN-NX", "CN-XJ"]
INDICATORS = ["solar power capacity", "wind power capacity", "new energy storage capacity",
              "share of non-fossil energy", "energy intensity reduction", "electric vehicle sales share"]
#: Goals of the SPARQL endpoint issue: throughput ratios per query kind.
GOAL_OXIGRAPH = 0.8
GOAL_RDFLIB = 10.0


#: Sectors of the synthetic policies and their weights: about as often as the bundled briefing's 25 policies
#: carry them (power, renewable energy, energy efficiency and industry most), 1 to 3 a policy.
SECTOR_WEIGHTS = {"power": 4, "renewable-energy": 4, "energy-efficiency": 4, "industry": 3, "transport": 2,
                  "buildings": 2, "energy-storage": 2, "finance": 1, "hydrogen": 1, "new-energy-vehicles": 1,
                  "carbon-markets": 1, "fossil-fuels": 1, "ecological-protection": 1}


def _sectors(rng: random.Random) -> list[str]:
    """1 to 3 distinct sectors of :data:`SECTOR_WEIGHTS`, drawn by weight."""
    names, weights = list(SECTOR_WEIGHTS), list(SECTOR_WEIGHTS.values())
    chosen: list[str] = []
    for _ in range(rng.randint(1, 3)):
        pick = rng.choices(names, weights)[0]
        if pick not in chosen:
            chosen.append(pick)
    return chosen


def generate(n: int, path: Path, seed: int = 7) -> None:
    """Write ``n`` synthetic policies (40 agencies; targets; regions of the reference data) as N-Quads to ``path``.

    About 14 quads per policy, one named graph per 100 policies, fixed seed. The sectors come from a random
    generator of their own (:func:`_sectors`), so that every other quad is the one the generator wrote when
    every policy had the sector power alone (the data of the benchmark reports before 2026-12-02).
    """
    rng = random.Random(seed)
    sector_rng = random.Random(seed + 1)
    lines = []
    ref = f"<{BASE}graph/bench-agencies>"  # the regions are the reference data's own
    for a in range(40):
        ag = f"<{BASE}id/agency/agency-{a}>"
        lines.append(f'{ag} <{RDF_TYPE}> <{PKG}Agency> {ref} .')
        lines.append(f'{ag} <http://www.w3.org/2004/02/skos/core#prefLabel> "Agency {a}"@en {ref} .')
    for i in range(n):
        g = f"<{BASE}graph/bench-{i // 100}>"
        p = f"<{BASE}id/policy/policy-{i}>"
        region = rng.choice(PROVINCES)
        year = rng.randint(2015, 2024)
        lines += [
            f'{p} <{RDF_TYPE}> <{PKG}Policy> {g} .',
            f'{p} <{DCT}title> "Policy number {i} on {rng.choice(INDICATORS)}"@en {g} .',
            f'{p} <{PKG}jurisdiction> <{BASE}id/region/{region}> {g} .',
            f'{p} <{PKG}issuedBy> <{BASE}id/agency/agency-{rng.randrange(40)}> {g} .',
            f'{p} <{PKG}publicationDate> "{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"^^<{XSD}date> {g} .',
            f'{p} <{PKG}genre> <{BASE}id/genre/notice> {g} .',
            *(f'{p} <{PKG}sector> <{BASE}id/sector/{sector}> {g} .' for sector in _sectors(sector_rng)),
            f'{p} <{PKG}reportedIn> <{BASE}id/briefing/b-{i // 50}> {g} .',
        ]
        for t in range(rng.randint(0, 2)):
            tg = f"<{BASE}id/target/policy-{i}-{t}>"
            lines += [
                f'{p} <{PKG}setsTarget> {tg} {g} .',
                f'{tg} <{RDF_TYPE}> <{PKG}Target> {g} .',
                f'{tg} <{PKG}indicator> "{rng.choice(INDICATORS)}"@en {g} .',
                f'{tg} <{PKG}targetYear> "{rng.choice([2025, 2030, 2035])}"^^<{XSD}gYear> {g} .',
                f'{tg} <{PKG}normalizedValue> "{rng.uniform(1, 100):.3f}E9"^^<{XSD}double> {g} .',
            ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_query(kind: str, rng: random.Random, n: int) -> tuple[str, str]:
    """(query text, Accept) for one request of ``kind``."""
    if kind == "lookup":
        return (f"SELECT ?p ?o WHERE {{ <{BASE}id/policy/policy-{rng.randrange(n)}> ?p ?o }}",
                "application/sparql-results+json")
    if kind == "filter":
        return (f"PREFIX pkg: <{PKG}> PREFIX dcterms: <{DCT}> SELECT ?policy ?title WHERE {{ "
                f"?policy pkg:jurisdiction <{BASE}id/region/{rng.choice(PROVINCES)}> ; pkg:publicationDate ?d ; "
                f"dcterms:title ?title FILTER(YEAR(?d) = {rng.randint(2015, 2024)}) }}",
                "application/sparql-results+json")
    if kind == "aggregate":
        return (f"PREFIX pkg: <{PKG}> PREFIX xsd: <{XSD}> SELECT ?region (COUNT(?t) AS ?n) (AVG(?v) AS ?avg) "
                f"WHERE {{ ?p pkg:jurisdiction ?region ; pkg:setsTarget ?t . ?t pkg:targetYear \"2030\"^^xsd:gYear ; "
                f"pkg:normalizedValue ?v }} GROUP BY ?region ORDER BY ?region",
                "application/sparql-results+json")
    if kind == "describe":
        return f"DESCRIBE <{BASE}id/policy/policy-{rng.randrange(n)}>", "text/turtle"
    raise ValueError(kind)


KINDS = ("lookup", "filter", "aggregate", "describe")


@dataclass
class Result:
    """One measurement: completed requests, failed ones, elapsed seconds, p50/p99 latency in ms."""

    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def pooled(results: list[Result]) -> Result:
    """Rounds pooled: total requests over total time; latency percentiles averaged over the rounds."""
    done = [r for r in results if r.requests]
    return Result(sum(r.requests for r in results), sum(r.errors for r in results),
                  sum(r.seconds for r in results),
                  sum(r.p50_ms for r in done) / len(done) if done else float("nan"),
                  sum(r.p99_ms for r in done) / len(done) if done else float("nan"))


# --- load generators ------------------------------------------------------

_WRK_SCRIPT = r"""
-- generated by benchmarks/bench_sparql.py: one random query of a kind per request
local queries = {}
local accept = "application/sparql-results+json"
local counter = 0
init = function(args)
  local f = assert(io.open(args[1], "r"))
  for line in f:lines() do queries[#queries + 1] = line end
  f:close()
  accept = args[2]
  counter = tonumber(args[3])
end
request = function()
  counter = counter + 1
  return wrk.format("GET", wrk.path .. "?query=" .. queries[(counter % #queries) + 1], {["Accept"] = accept})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK_JSON {"requests": %d, "duration_us": %d, "errors": %d, "p50_us": %f, "p99_us": %f}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def query_file(work: Path, kind: str, n: int, count: int = 5000) -> tuple[Path, str]:
    """Write ``count`` URL-encoded queries of ``kind`` (random IRIs among ``n`` policies), one per line."""
    rng = random.Random(11)
    accept = ""
    lines = []
    for _ in range(count):
        text, accept = make_query(kind, rng, n)
        lines.append(quote(text, safe=""))
    path = work / f"queries-{kind}-{n}.txt"
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return path, accept


def load_wrk(url: str, kind: str, n: int, args: argparse.Namespace, duration: float, work: Path) -> Result:
    """Run wrk (1 thread, ``args.concurrency`` connections) for ``duration`` s; parse its ``done`` report.

    wrk stops at ``duration`` with requests still queued in the server; one
    more request of the same kind, awaited, lets that backlog drain before
    the next measurement (else a slow server works on it during the next one).
    """
    script = work / "bench.lua"
    if not script.exists():
        script.write_text(_WRK_SCRIPT, encoding="utf-8")
    queries, accept = query_file(work, kind, n)
    proc = subprocess.run(
        ["wrk", "-t1", f"-c{args.concurrency}", f"-d{duration:g}s", f"--timeout={args.request_timeout:g}s",
         "-s", str(script), url, "--", str(queries), accept, str(random.randrange(5000))],
        capture_output=True, text=True, timeout=duration + args.request_timeout + 30, check=False)
    text, accept = make_query(kind, random.Random(3), n)
    try:
        httpx.get(url, params={"query": text}, headers={"Accept": accept}, timeout=args.request_timeout * 4)
    except httpx.HTTPError:
        pass
    for line in proc.stdout.splitlines():
        if line.startswith("WRK_JSON "):
            d = json.loads(line[len("WRK_JSON "):])
            return Result(d["requests"], d["errors"], d["duration_us"] / 1e6, d["p50_us"] / 1000, d["p99_us"] / 1000)
    raise RuntimeError(f"wrk gave no report for {url}: {proc.stdout} {proc.stderr}")


async def load_httpx(url: str, kind: str, n: int, args: argparse.Namespace, duration: float) -> Result:
    """Send ``kind`` queries to ``url`` from ``args.concurrency`` asyncio tasks for ``duration`` s."""
    rng = random.Random(11)
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=args.request_timeout) as client:
        start = time.perf_counter()
        deadline = start + duration

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                query, accept = make_query(kind, rng, n)
                t = time.perf_counter()
                try:
                    r = await client.get(url, params={"query": query}, headers={"Accept": accept})
                    ok = r.status_code == 200 and len(r.content) > 0
                except httpx.HTTPError:
                    ok = False
                latencies.append((time.perf_counter() - t) * 1000)
                if not ok:
                    errors += 1

        await asyncio.gather(*(worker() for _ in range(args.concurrency)))
        elapsed = time.perf_counter() - start
    xs = sorted(latencies) or [float("nan")]
    return Result(len(latencies) - errors, errors, elapsed, xs[len(xs) // 2], xs[min(len(xs) - 1, int(0.99 * len(xs)))])


def load(url: str, kind: str, n: int, args: argparse.Namespace, work: Path) -> Result:
    """One measurement with the chosen client; a slow server gets up to ``--max-duration`` s to finish 10 requests."""
    duration = args.duration
    while True:
        if args.client == "wrk":
            res = load_wrk(url, kind, n, args, duration, work)
        else:
            res = asyncio.run(load_httpx(url, kind, n, args, duration))
        if res.requests >= 10 or duration >= args.max_duration:
            return res
        duration = args.max_duration


# --- servers --------------------------------------------------------------

def stop(proc: subprocess.Popen) -> None:
    """Terminate a server and reap it."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, proc: subprocess.Popen, timeout: float = 900) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {url}")
        try:
            r = httpx.get(url, params={"query": "ASK { ?s ?p ?o }"}, timeout=5,
                          headers={"Accept": "application/sparql-results+json"})
            if r.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"server at {url} not ready in {timeout} s")


def start_ours(store_dir: Path, port: int, workers: int = 1) -> subprocess.Popen:
    """``policykg serve`` on ``store_dir`` with ``workers`` server processes (access log off, a 60 s query
    timeout, the default query pool in each: 3 processes, 2 at once for one client)."""
    env = dict(os.environ, POLICYKG_STORE_PATH=str(store_dir), POLICYKG_HOST="127.0.0.1", POLICYKG_PORT=str(port),
               POLICYKG_ACCESS_LOG="false", POLICYKG_QUERY_TIMEOUT_S="60", POLICYKG_MAX_RESULT_ROWS="10000",
               POLICYKG_WORKERS=str(workers))
    return subprocess.Popen([sys.executable, "-c", "from policykg.cli import main; main()", "serve"], env=env,
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


#: The Python ceiling: uvicorn + pyoxigraph answering every query in-process, with none of policykg's
#: checks (no timeout, no row limit, no refusals, no negotiation). Not something to deploy; it shows
#: what any Python server on this stack can reach.
_BARE_SERVER = """
import sys
from urllib.parse import parse_qs
import pyoxigraph as ox
import uvicorn

store = ox.Store.read_only(sys.argv[1])

async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    query = parse_qs(scope["query_string"].decode())["query"][0]
    result = store.query(query, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryTriples):
        body, media = ox.serialize(result, format=ox.RdfFormat.TURTLE), b"text/turtle"
    else:
        body, media = result.serialize(format=ox.QueryResultsFormat.JSON), b"application/sparql-results+json"
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", media)]})
    await send({"type": "http.response.body", "body": body})

uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning", access_log=False)
"""


#: The same bare app on granian's RSGI interface, where HTTP is parsed and written in Rust: the fastest
#: way to put Python in front of pyoxigraph that we know of (measured side by side with uvicorn's).
_BARE_GRANIAN_APP = """
import os
from urllib.parse import parse_qs
import pyoxigraph as ox

store = ox.Store.read_only(os.environ["BARE_STORE"])

async def app(scope, proto):
    query = parse_qs(scope.query_string)["query"][0]
    result = store.query(query, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryTriples):
        body, media = ox.serialize(result, format=ox.RdfFormat.TURTLE), "text/turtle"
    else:
        body, media = result.serialize(format=ox.QueryResultsFormat.JSON), "application/sparql-results+json"
    proto.response_bytes(200, [("content-type", media)], body)
"""


def ours_name(workers: int) -> str:
    """The report's name of ``policykg serve`` with ``workers`` server processes."""
    return "policykg" if workers == 1 else f"policykg x{workers}"


def start_bare(store_dir: Path, port: int) -> subprocess.Popen:
    """The :data:`_BARE_SERVER` ceiling on a read-only ``store_dir``."""
    return subprocess.Popen([sys.executable, "-c", _BARE_SERVER, str(store_dir), str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def granian_name(workers: int) -> str:
    """The report's name of the bare granian app with ``workers`` processes."""
    return "granian+pyoxigraph" if workers == 1 else f"granian+pyoxigraph x{workers}"


def start_bare_granian(store_dir: Path, port: int, workers: int, work: Path) -> subprocess.Popen | None:
    """:data:`_BARE_GRANIAN_APP` with ``workers`` processes on a read-only ``store_dir``; None without granian."""
    beside = Path(sys.executable).with_name("granian")
    granian = str(beside) if beside.exists() else shutil.which("granian")
    if granian is None:
        return None
    (work / "bare_granian_app.py").write_text(_BARE_GRANIAN_APP, encoding="utf-8")
    return subprocess.Popen([granian, "--interface", "rsgi", "--host", "127.0.0.1", "--port", str(port),
                             "--workers", str(workers), "--no-ws", "--log-level", "warning", "bare_granian_app:app"],
                            cwd=work, env=dict(os.environ, BARE_STORE=str(store_dir)),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def sample_quads(work: Path) -> Path:
    """The bundled briefing loaded by ``policykg load`` (with ontology and reference graphs), dumped as N-Quads."""
    cli = [sys.executable, "-c", "import sys; from policykg.cli import main; sys.argv[0] = 'policykg'; main()"]
    briefings = sorted(str(p) for p in (ROOT / "data" / "briefings").iterdir() if p.suffix in (".txt", ".pdf", ".html"))
    subprocess.run([*cli, "load", *briefings, "--store", str(work / "sample")], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    out = work / "sample.nq"
    subprocess.run([*cli, "dump", str(out), "--store", str(work / "sample")], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    return out


def prepare_store(nquads: Path, store_dir: Path) -> None:
    import pyoxigraph as ox

    store = ox.Store(str(store_dir))
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    store.flush()
    store.optimize()
    del store


def to_ntriples(nquads: Path, out: Path) -> None:
    """The triples of ``nquads`` without their graph names (rdflib-endpoint serves one graph)."""
    import pyoxigraph as ox

    with out.open("wb") as f:
        ox.serialize((q.triple for q in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS)),
                     output=f, format=ox.RdfFormat.N_TRIPLES)


def measure(targets: dict[str, str], n: int, args: argparse.Namespace, work: Path) -> dict[str, dict[str, Result]]:
    """Every kind on every target, the targets alternated ``args.rounds`` times per kind, rounds pooled."""
    rounds: dict[str, dict[str, list[Result]]] = {name: {} for name in targets}
    for kind in args.kinds:
        for _ in range(args.rounds):
            for name, url in targets.items():
                if args.client == "wrk":
                    load_wrk(url, kind, n, args, 1.0, work)  # warm-up
                res = load(url, kind, n, args, work)
                print(f"{n:>7} {name:>16} {kind:>9}: {res.rps:9.1f} req/s  p50 {res.p50_ms:8.2f} ms  "
                      f"p99 {res.p99_ms:8.2f} ms  errors {res.errors}", flush=True)
                rounds[name].setdefault(kind, []).append(res)
    return {name: {kind: pooled(rs) for kind, rs in per.items()} for name, per in rounds.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--policies", type=int, nargs="+", default=[10_000, 100_000], help="synthetic graph sizes")
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--duration", type=float, default=5.0, help="seconds per query kind, server and round")
    ap.add_argument("--max-duration", type=float, default=60.0,
                    help="seconds allowed to a server that completed fewer than 10 requests in --duration")
    ap.add_argument("--request-timeout", type=float, default=120.0)
    ap.add_argument("--rounds", type=int, default=2, help="alternating rounds per query kind")
    ap.add_argument("--warmup", type=float, default=3.0, help="seconds of each query kind per server before measuring")
    ap.add_argument("--kinds", nargs="+", default=list(KINDS), choices=KINDS, help="query kinds to run")
    ap.add_argument("--skip-rdflib", action="store_true")
    ap.add_argument("--rdflib-max-policies", type=int, default=100_000)
    ap.add_argument("--client", choices=("auto", "wrk", "httpx"), default="auto")
    ap.add_argument("--no-ceiling", dest="ceiling", action="store_false",
                    help="skip the bare uvicorn and granian + pyoxigraph servers (the Python ceilings)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                    help="server processes of policykg serve: one policykg server per value")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "sparql.md")
    args = ap.parse_args()
    if args.client == "auto":
        args.client = "wrk" if shutil.which("wrk") else "httpx"

    oxigraph = shutil.which("oxigraph")
    rdflib_endpoint = None if args.skip_rdflib else shutil.which("rdflib-endpoint")
    work = Path(tempfile.mkdtemp(prefix="policykg-bench-"))
    procs: list[subprocess.Popen] = []
    results: dict[int, dict[str, dict[str, Result]]] = {}
    try:
        sample = sample_quads(work)
        sample_count = sum(1 for _ in sample.open(encoding="utf-8"))
        for n in args.policies:
            t = time.perf_counter()
            data = work / f"data-{n}.nq"
            generate(n, data)
            with data.open("a", encoding="utf-8") as out:
                out.write(sample.read_text(encoding="utf-8"))
            quads = sum(1 for _ in data.open(encoding="utf-8"))
            for w in args.workers:
                prepare_store(data, work / f"ours-{n}-{w}")
            prepare_store(data, work / f"raw-{n}")
            print(f"{n} policies + the sample ({sample_count} quads): {quads} quads, stores built in "
                  f"{time.perf_counter() - t:.1f} s", flush=True)
            targets = {}
            for w in args.workers:
                port = free_port()
                procs.append(start_ours(work / f"ours-{n}-{w}", port, w))
                targets[ours_name(w)] = f"http://127.0.0.1:{port}/sparql"
            if oxigraph:
                port = free_port()
                procs.append(subprocess.Popen([oxigraph, "serve-read-only", "--location", str(work / f"raw-{n}"),
                                               "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
                targets["oxigraph"] = f"http://127.0.0.1:{port}/query"
            if args.ceiling:
                port = free_port()
                procs.append(start_bare(work / f"raw-{n}", port))
                targets["uvicorn+pyoxigraph"] = f"http://127.0.0.1:{port}/sparql"
                for w in args.workers:
                    port = free_port()
                    proc = start_bare_granian(work / f"raw-{n}", port, w, work)
                    if proc is not None:
                        procs.append(proc)
                        targets[granian_name(w)] = f"http://127.0.0.1:{port}/sparql"
            if rdflib_endpoint and n <= args.rdflib_max_policies:
                nt = work / f"data-{n}.nt"
                to_ntriples(data, nt)
                port = free_port()
                procs.append(subprocess.Popen([rdflib_endpoint, "serve", str(nt), "--host", "127.0.0.1",
                                               "--port", str(port)],
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
                targets["rdflib-endpoint"] = f"http://127.0.0.1:{port}/"
            t = time.perf_counter()
            for proc, url in zip(procs, targets.values()):
                wait_ready(url, proc)
            print(f"servers ready in {time.perf_counter() - t:.1f} s", flush=True)
            if args.client == "wrk":  # every server alike: caches filled, start-up work (compactions) done
                for url in targets.values():
                    for kind in set(args.kinds) & {"lookup", "describe"}:
                        load_wrk(url, kind, n, args, args.warmup, work)
            results[n] = measure(targets, n, args, work)
            while procs:
                stop(procs.pop())
            for d in [work / f"raw-{n}", *(work / f"ours-{n}-{w}" for w in args.workers)]:
                shutil.rmtree(d, ignore_errors=True)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)
    write_report(args, results)


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for dist in ("pyoxigraph", "oxigraph", "rdflib-endpoint", "rdflib", "uvicorn", "granian", "fastapi"):
        try:
            parts.append(f"{dist} {version(dist)}")
        except PackageNotFoundError:
            pass
    if shutil.which("wrk"):
        wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
        parts.append((wrk.stdout or wrk.stderr).split("[")[0].strip())
    return ", ".join(parts)


def write_report(args: argparse.Namespace, results: dict[int, dict[str, dict[str, Result]]]) -> None:
    sizes = " ".join(str(n) for n in args.policies)
    lines = ["# SPARQL endpoint benchmark", "",
             f"Generated by `python benchmarks/bench_sparql.py --policies {sizes} --concurrency {args.concurrency} "
             f"--duration {args.duration:g} --rounds {args.rounds} --warmup {args.warmup:g}"
             f"{' --kinds ' + ' '.join(args.kinds) if list(args.kinds) != list(KINDS) else ''}"
             f"{' --skip-rdflib' if args.skip_rdflib else ''}` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
             "",
             f"Machine: {os.cpu_count()} cores shared by the load generator and the servers; loopback HTTP/1.1 "
             f"with keep-alive; load generator `{args.client}` with {args.concurrency} connections; each graph is "
             "the bundled briefing (with the ontology and reference graphs) plus the synthetic policies; "
             f"{args.rounds} alternating rounds per query kind; load average at the end "
             f"{os.getloadavg()[0]:.1f}. Versions: {_versions()}.", "",
             "| graph (policies) | server | query | req/s | p50 ms | p99 ms | errors |",
             "|---:|---|---|---:|---:|---:|---:|"]
    for n, per_server in results.items():
        for name, per in per_server.items():
            for kind, r in per.items():
                lines.append(f"| {n} | {name} | {kind} | {r.rps:.1f} | {r.p50_ms:.2f} | {r.p99_ms:.2f} | {r.errors} |")
    lines += ["", "## Ratios (req/s)", "",
              f"Goals: at least {GOAL_OXIGRAPH}× raw Oxigraph on lookups and aggregates; at least {GOAL_RDFLIB:g}× "
              "rdflib-endpoint.", "",
              "| graph (policies) | server | query | / oxigraph | / rdflib-endpoint "
              "| / uvicorn+pyoxigraph (the Python ceiling) |", "|---:|---|---|---:|---:|---:|"]
    ours_names = [ours_name(w) for w in args.workers]
    for n, per_server in results.items():
        for name, kind in ((name, kind) for name in ours_names for kind in args.kinds):
            ours = per_server.get(name, {})
            a = ours.get(kind)
            cells = []
            for peer, goal in (("oxigraph", GOAL_OXIGRAPH if kind in ("lookup", "aggregate") else None),
                               ("rdflib-endpoint", GOAL_RDFLIB), ("uvicorn+pyoxigraph", None)):
                b = per_server.get(peer, {}).get(kind)
                if not (a and b and b.rps):
                    cells.append("n/a")
                    continue
                ratio = a.rps / b.rps
                mark = "" if goal is None else (" (met)" if ratio >= goal else " (**not met**)")
                cells.append(f"{ratio:.2f}{mark}")
            lines.append(f"| {n} | {name} | {kind} | {' | '.join(cells)} |")
    ceilings = ["uvicorn+pyoxigraph", *(granian_name(w) for w in args.workers)]
    ceiling_rows = [(n, name, kind, per_server[name][kind].rps / per_server["oxigraph"][kind].rps)
                    for n, per_server in results.items() for name in ceilings for kind in args.kinds
                    if kind in per_server.get(name, {}) and per_server.get("oxigraph", {}).get(kind)
                    and per_server["oxigraph"][kind].rps]
    if ceiling_rows:
        lines += ["", "## The Python ceilings against raw Oxigraph", "",
                  "The bare apps on the same engine, with none of policykg's checks: what any Python server "
                  "in front of pyoxigraph reaches here.", "",
                  "| graph (policies) | server | query | / oxigraph |", "|---:|---|---|---:|"]
        lines += [f"| {n} | {name} | {kind} | {ratio:.2f} |" for n, name, kind, ratio in ceiling_rows]
    lines += ["", "## Reading the figures", "",
              "* policykg is `policykg serve` with its access log off (`POLICYKG_ACCESS_LOG=false`); "
              "policykg xN is the same with N server processes on one port (`--workers N`), serving a read-only "
              "snapshot. Lookups by IRI and DESCRIBE are bounded queries, answered in the server processes; "
              "filters and aggregates run in each server process's query pool (2 processes), where a runaway "
              "query can be killed. uvicorn's server processes share one listening socket: wrk's connections, opened at "
              "once, are not always spread evenly over them, so policykg xN varies more between rounds.",
              "* uvicorn+pyoxigraph is a bare ASGI app on the same engine without any of policykg's checks "
              "(timeout, row limit, refusals, negotiation): the ceiling of a Python HTTP server on this stack. "
              "On lookups it is itself far below the Rust server. Measured on the 100k graph (2026-11-29): the "
              "engine call alone (pyoxigraph query over the union of the named graphs, then its JSON "
              "serialisation) takes about 90 us per lookup, about what the Rust server spends on a whole "
              "request; an empty uvicorn app answers at most about 38,000 requests/s (26 us each) on this "
              "machine. To reach 0.8x on lookups, everything Python adds per request would have to cost less "
              "than about 25 us, less than an empty uvicorn request; ours adds about 150 us.",
              "* granian+pyoxigraph (xN) is the same bare app on granian, whose HTTP handling is written in Rust "
              "(RSGI interface), with N processes: the fastest Python front on this engine that we know of. "
              "It is the upper bound of what policykg could reach by changing its HTTP server; the ratios "
              "under \"The Python ceilings\" show it stays far below 0.8x on lookups.",
              "* Engine-bound queries run in the query pool at 0.6-1.0x the raw server: near parity when the engine "
              "works for long (aggregates; filters on 100k policies), 0.6x on 10k-policy filters (about 1 ms "
              "of engine time), where the pool's process hop per query shows.",
              "* On the 100k-policy aggregate, the raw Oxigraph server itself answers only 8x as many requests as rdflib-endpoint (3.2 against 0.4 req/s in the 2026-11-29 run): 10x rdflib-endpoint there is beyond the engine, and policykg runs that query in the engine at 0.8-1.0x the raw server.",
              "* The raw Oxigraph server is not a safe public endpoint: `oxigraph serve-read-only --timeout-s 2` (0.5.13) kept evaluating `SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }` on the 10,000-policy graph for more than 10 minutes at 100 % of a core (measured 2026-11-29, stopped by hand). policykg's query pool kills such a query at the timeout (tests/test_querypool.py, tests/test_sparql_bounded.py); that safety is what the pool costs."]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
