"""Load test on loopback: a realistic request mix while merges run, at the highest error-free rate.

What it does:

1. builds a store (``--store``, default a temporary directory): the ontology
   and reference data, the bundled sample briefing(s), and ``--policies``
   synthetic policy-like resources;
2. starts the server in a subprocess (``python benchmarks/loadtest.py
   --serve``: ``api.create_app`` + uvicorn, one worker, 127.0.0.1) with a
   writer thread that merges a changed entry (validated, one transaction)
   every ``--merge-every`` seconds for the whole run;
3. the mix (weights in :data:`MIX`): linked-data pages (``/doc/...`` as HTML
   and JSON-LD, ``/id/...`` 303s), canned queries (``/api/queries/...``
   with their example parameters), SPARQL lookups (one resource's label by
   IRI, as JSON results) and the landing page;
4. steps the concurrency (``--steps``, 10 s each) with ``wrk`` (apt package
   ``wrk``; a Lua script draws from the mix) or, without wrk, an asyncio
   httpx client; keeps the highest rate with zero errors, and holds it for
   ``--duration`` seconds (default 60) while the merges run;
5. prints rate, p50/p99 latency, errors, merges done, and a JSON summary line.

Bounded: loopback only, ``--duration`` and the step times cap the run,
every client has a timeout. Usage::

    python benchmarks/loadtest.py [--duration 60] [--steps 2,4,8,16] [--client wrk|httpx]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: (weight, kind) of the request mix.
MIX = [(30, "doc-html"), (10, "doc-jsonld"), (10, "id-303"), (25, "canned"), (20, "sparql"), (5, "landing")]


# --------------------------------------------------------------------------------------------------
# the store and the server


def build_store(store_path: Path, n_policies: int) -> None:
    """Reference data, the sample briefing(s) and ``n_policies`` synthetic resources, merged as the CLI does."""
    import rdflib  # noqa: PLC0415

    import loaders  # noqa: PLC0415
    from policykg.ingest import Entry, ensure_reference, merge_entries  # noqa: PLC0415
    from policykg.settings import Settings  # noqa: PLC0415
    from policykg.store import OxigraphStore  # noqa: PLC0415
    from policykg.validation import Validator  # noqa: PLC0415
    from policykg.reference import load_reference_graph  # noqa: PLC0415
    from policykg.vocab import Minter  # noqa: PLC0415

    settings = Settings(store_path=store_path)
    minter = Minter(settings.base_iri)
    validator = Validator(settings.shapes_dir, settings.ontology_dir, base_iri=settings.base_iri)
    with OxigraphStore(store_path, settings.base_iri) as st:
        ensure_reference(st, settings)
        entries = []
        reference = load_reference_graph(settings.ontology_dir)
        for doc in sorted(settings.sample_dir.glob("*.txt")):
            r = loaders.extract(doc, minter, reference=reference, ontology_dir=settings.ontology_dir)
            entries.append(Entry(r.graph_name, r.graph, str(doc)))
        g = rdflib.Graph()
        for i in range(n_policies):
            s = rdflib.URIRef(f"{settings.base_iri}id/span/load-{i}")
            g.add((s, rdflib.RDFS.label, rdflib.Literal(f"Synthetic resource {i}", lang="en")))
            g.add((s, rdflib.RDFS.comment, rdflib.Literal(f"made by benchmarks/loadtest.py, number {i}")))
        entries.append(Entry(minter.graph("loadtest-synthetic"), g, "loadtest"))
        merge_entries(st, validator, entries)


def serve(store_path: Path, port: int, merge_every_s: float, merge_log: Path) -> None:
    """Server process: the app on ``store_path`` at 127.0.0.1:``port`` plus a merging writer thread."""
    import rdflib  # noqa: PLC0415
    import uvicorn  # noqa: PLC0415

    from api import create_app  # noqa: PLC0415
    from policykg.ingest import Entry, merge_entries  # noqa: PLC0415
    from policykg.settings import Settings  # noqa: PLC0415
    from policykg.store import OxigraphStore  # noqa: PLC0415
    from policykg.validation import Validator  # noqa: PLC0415
    from policykg.vocab import Minter  # noqa: PLC0415

    settings = Settings(store_path=store_path, port=port)
    store = OxigraphStore(store_path, settings.base_iri)
    app = create_app(settings, store)
    validator = Validator(settings.shapes_dir, settings.ontology_dir, base_iri=settings.base_iri)
    name = Minter(settings.base_iri).graph("loadtest-merges")

    def writer() -> None:
        n = 0
        while True:
            time.sleep(merge_every_s)
            n += 1
            g = rdflib.Graph()
            for i in range(200 + (n % 2) * 100):
                s = rdflib.URIRef(f"{settings.base_iri}id/span/merge-{i}")
                g.add((s, rdflib.RDFS.label, rdflib.Literal(f"merge {n} item {i}")))
            started = time.perf_counter()
            try:
                merge_entries(store, validator, [Entry(name, g, "loadtest-merge")])
                outcome = "ok"
            except Exception as exc:  # noqa: BLE001 - reported, the run goes on
                outcome = f"{type(exc).__name__}: {exc}"
            with merge_log.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps({"n": n, "seconds": round(time.perf_counter() - started, 3),
                                     "outcome": outcome}) + "\n")

    if merge_every_s > 0:
        threading.Thread(target=writer, daemon=True).start()
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_up(url: str, timeout_s: float = 60) -> None:
    import httpx  # noqa: PLC0415

    deadline = time.time() + timeout_s
    while time.time() < deadline:
        try:
            if httpx.get(url + "/api/queries", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the server at {url} did not come up in {timeout_s} s")


# --------------------------------------------------------------------------------------------------
# the request mix


def request_paths(url: str) -> list[tuple[str, str, str]]:
    """(kind, path, Accept) triples of the mix, discovered from the running server."""
    import httpx  # noqa: PLC0415

    sparql = url + "/sparql"
    rows = httpx.get(sparql, params={"query": "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), "
                                               "\"https://w3id.org/policykg/id/\")) } LIMIT 300"},
                     headers={"Accept": "application/sparql-results+json"}, timeout=30).json()["results"]["bindings"]
    iris = [r["s"]["value"] for r in rows]
    paths: list[tuple[str, str, str]] = []
    for iri in iris:
        rel = iri.split("/id/", 1)[1]
        paths.append(("doc-html", f"/doc/{rel}", "text/html"))
        paths.append(("doc-jsonld", f"/doc/{rel}", "application/ld+json"))
        paths.append(("id-303", f"/id/{rel}", "text/html"))
        q = f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }} LIMIT 50"
        paths.append(("sparql", "/sparql?" + urllib.parse.urlencode({"query": q}), "application/sparql-results+json"))
    for q in httpx.get(url + "/api/queries", timeout=10).json():
        params = {p["name"]: p["example"] for p in q["parameters"] if p.get("example")}
        if all(p["name"] in params or not p["required"] for p in q["parameters"]):
            paths.append(("canned", f"/api/queries/{q['name']}?{urllib.parse.urlencode(params)}",
                          "application/sparql-results+json"))
    paths.append(("landing", "/", "text/html"))
    return paths


def weighted_sample(paths: list[tuple[str, str, str]], n: int, seed: int = 1) -> list[tuple[str, str, str]]:
    """``n`` requests drawn from ``paths`` with the weights of :data:`MIX`."""
    rng = random.Random(seed)
    by_kind: dict[str, list] = {}
    for p in paths:
        by_kind.setdefault(p[0], []).append(p)
    kinds = [k for _, k in MIX if k in by_kind]
    weights = [w for w, k in MIX if k in by_kind]
    return [rng.choice(by_kind[rng.choices(kinds, weights)[0]]) for _ in range(n)]


# --------------------------------------------------------------------------------------------------
# clients


def run_wrk(url: str, sample: list[tuple[str, str, str]], connections: int, seconds: int, work: Path) -> dict:
    """Run wrk with a Lua script cycling through ``sample``; returns rate, latencies (ms), errors."""
    lua = work / "mix.lua"
    entries = ",\n".join("{%s, %s}" % (json.dumps(path), json.dumps(accept)) for _, path, accept in sample)
    lua.write_text(
        "local reqs = {\n" + entries + "\n}\nlocal i = 0\n"
        "request = function()\n  i = (i % #reqs) + 1\n"
        "  return wrk.format('GET', reqs[i][1], {['Accept'] = reqs[i][2]})\nend\n"
        "done = function(summary, latency, requests)\n"
        "  io.write(string.format('JSON {\"p50\": %f, \"p99\": %f, \"requests\": %d, \"non2xx3xx\": %d, "
        "\"errors\": %d}\\n', latency:percentile(50)/1000, latency:percentile(99)/1000, summary.requests, "
        "summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + "
        "summary.errors.timeout))\nend\n", encoding="utf-8")
    out = subprocess.run(["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{seconds}s",
                          "--timeout", "10s", "-s", str(lua), url], capture_output=True, text=True,
                         timeout=seconds + 60).stdout
    m = re.search(r"JSON (\{.*\})", out)
    if not m:
        raise RuntimeError(f"wrk output not understood:\n{out}")
    data = json.loads(m.group(1))
    data["rate"] = data["requests"] / seconds
    data["errors_total"] = data["errors"] + data["non2xx3xx"]
    return data


def run_httpx(url: str, sample: list[tuple[str, str, str]], connections: int, seconds: int) -> dict:
    """An asyncio httpx client with ``connections`` workers for ``seconds``; same result shape as :func:`run_wrk`."""
    import httpx  # noqa: PLC0415

    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def worker(k: int, client: httpx.AsyncClient) -> None:
        nonlocal errors
        i = k
        while time.perf_counter() < deadline:
            _, path, accept = sample[i % len(sample)]
            i += connections
            started = time.perf_counter()
            try:
                resp = await client.get(url + path, headers={"Accept": accept})
                if resp.status_code >= 400:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            latencies.append(time.perf_counter() - started)

    async def main() -> None:
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        async with httpx.AsyncClient(timeout=10, limits=limits, follow_redirects=False) as client:
            await asyncio.gather(*(worker(k, client) for k in range(connections)))

    asyncio.run(main())
    latencies.sort()
    n = len(latencies)
    return {"rate": n / seconds, "requests": n, "p50": 1000 * latencies[n // 2] if n else 0,
            "p99": 1000 * latencies[min(n - 1, int(n * 0.99))] if n else 0, "errors_total": errors}


# --------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point (see the module docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--serve", nargs=4, metavar=("STORE", "PORT", "MERGE_EVERY_S", "MERGE_LOG"), help=argparse.SUPPRESS)
    ap.add_argument("--store", type=Path, default=None, help="store directory to build (default: temporary)")
    ap.add_argument("--policies", type=int, default=2000, help="synthetic resources added to the store")
    ap.add_argument("--duration", type=int, default=60, help="seconds of the main run")
    ap.add_argument("--step-seconds", type=int, default=10)
    ap.add_argument("--steps", default="2,4,8,16", help="concurrency levels tried before the main run")
    ap.add_argument("--merge-every", type=float, default=3.0, help="seconds between merges (0: none)")
    ap.add_argument("--client", choices=["wrk", "httpx"], default="wrk" if shutil.which("wrk") else "httpx")
    args = ap.parse_args(argv)
    if args.serve:
        store, port, every, log = args.serve
        serve(Path(store), int(port), float(every), Path(log))
        return 0

    tmp = Path(tempfile.mkdtemp(prefix="policykg-load-"))
    store = args.store or tmp / "store"
    started = time.perf_counter()
    build_store(store, args.policies)
    print(f"store built in {time.perf_counter() - started:.1f} s at {store}")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    merge_log = tmp / "merges.jsonl"
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    server_log = tmp / "server.log"
    log_fh = server_log.open("wb")
    server = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--serve", str(store), str(port),
                               str(args.merge_every), str(merge_log)], env=env, cwd=ROOT,
                              stdout=log_fh, stderr=subprocess.STDOUT)
    try:
        _wait_up(url)
        paths = request_paths(url)
        sample = weighted_sample(paths, 2000)
        print(f"mix: {len(paths)} distinct requests; kinds {sorted({p[0] for p in paths})}; client {args.client}")
        run = (lambda c, s: run_wrk(url, sample, c, s, tmp)) if args.client == "wrk" else \
              (lambda c, s: run_httpx(url, sample, c, s))
        best = None
        for c in [int(x) for x in args.steps.split(",")]:
            r = run(c, args.step_seconds)
            print(f"step c={c:3d}: {r['rate']:7.1f} req/s  p50 {r['p50']:6.1f} ms  p99 {r['p99']:7.1f} ms  "
                  f"errors {r['errors_total']}")
            if r["errors_total"] == 0 and (best is None or r["rate"] > best[1]["rate"]):
                best = (c, r)
        if best is None:
            print("no error-free step")
            return 1
        c = best[0]
        merges_before = len(merge_log.read_text().splitlines()) if merge_log.exists() else 0
        r = run(c, args.duration)
        merges = [json.loads(x) for x in merge_log.read_text().splitlines()[merges_before:]] if merge_log.exists() else []
        failed = [m for m in merges if m["outcome"] != "ok"]
        print(f"main run c={c}, {args.duration} s: {r['rate']:.1f} req/s, p50 {r['p50']:.1f} ms, "
              f"p99 {r['p99']:.1f} ms, {r['requests']} requests, errors {r['errors_total']}; "
              f"{len(merges)} merges during the run ({len(failed)} failed, "
              f"max {max((m['seconds'] for m in merges), default=0):.2f} s)")
        lines = server_log.read_text(encoding="utf-8", errors="replace").splitlines()
        distinct: dict[str, int] = {}
        for line in lines:
            if "failed" in line or "Error" in line or "Traceback" in line:
                key = re.sub(r"/tmp/\S+", "<path>", line)[:160]
                distinct[key] = distinct.get(key, 0) + 1
        for key, n in sorted(distinct.items(), key=lambda kv: -kv[1])[:8]:
            print(f"server log x{n}: {key}")
        print("JSON " + json.dumps({"concurrency": c, "duration_s": args.duration, **r, "merges": len(merges),
                                    "merges_failed": len(failed), "client": args.client}))
        return 0 if r["errors_total"] == 0 and not failed else 1
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
        log_fh.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
