"""How long a second client waits while one client floods the query pool with runaway queries (a script, not a test).

    python benchmarks/bench_fairness.py [--runaways 4] [--timeout 10] [--rounds 3]

What it does (loopback only, bounded by the query timeout):

1. starts ``policykg serve`` on a new store in a temporary folder (it loads the bundled briefing), twice:
   with the default per-client share of the query pool (``POLICYKG_QUERY_WORKERS_PER_CLIENT`` unset: one
   fewer than the 3 workers), and with no per-client limit (the share set to the number of workers: how the
   pool behaved before the limit, first come first served for everyone);
2. in each, one client (from 127.0.0.1) sends ``--runaways`` cross-product queries at once, each of which runs
   until the query timeout kills it; 0.5 s later a second client (from 127.0.0.2, another loopback address)
   asks a canned query (``policies-by-region``) and a small SPARQL aggregate, which run in the same pool;
3. reports, per configuration, the second client's latencies and statuses, and what the first client's
   queries got (503: stopped at the timeout; 429: refused because its own queries held its share).

Linux binds 127.0.0.0/8 to the loopback interface, so 127.0.0.2 needs no setup.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from bench_sparql import free_port, wait_ready  # the script's folder is on sys.path

ROOT = Path(__file__).resolve().parent.parent
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
AGGREGATE = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def serve(store: Path, port: int, timeout_s: float, per_client: int | None) -> subprocess.Popen:
    """``policykg serve`` on ``store`` (loads the bundled briefing when empty), access log off."""
    env = dict(os.environ, POLICYKG_STORE_PATH=str(store), POLICYKG_PORT=str(port), POLICYKG_ACCESS_LOG="false",
               POLICYKG_QUERY_TIMEOUT_S=str(timeout_s))
    env.pop("POLICYKG_QUERY_WORKERS_PER_CLIENT", None)
    if per_client is not None:
        env["POLICYKG_QUERY_WORKERS_PER_CLIENT"] = str(per_client)
    return subprocess.Popen([sys.executable, "-c", "from policykg.cli import main; main()", "serve"], env=env,
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def one_round(base: str, runaways: int, timeout_s: float) -> dict:
    """One flood and the second client's two requests: ``{"canned": (s, status), "sparql": ..., "flood": [...]}``."""
    flood: list[int] = []

    def abuser() -> None:
        with httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.1"), timeout=timeout_s + 30) as c:
            flood.append(c.get(f"{base}/sparql", params={"query": RUNAWAY}).status_code)

    threads = [threading.Thread(target=abuser) for _ in range(runaways)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    out: dict = {}
    with httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"), timeout=timeout_s + 30) as victim:
        for name, path, params in (("canned", "/api/queries/policies-by-region", {"region": "CN-GD"}),
                                   ("sparql", "/sparql", {"query": AGGREGATE})):
            start = time.monotonic()
            status = victim.get(f"{base}{path}", params=params, headers={"Accept": "application/json"}).status_code
            out[name] = (time.monotonic() - start, status)
    for t in threads:
        t.join()
    out["flood"] = sorted(flood)
    time.sleep(1.0)  # killed workers are replaced
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runaways", type=int, default=4, help="runaway queries the first client sends at once")
    ap.add_argument("--timeout", type=float, default=10.0, help="POLICYKG_QUERY_TIMEOUT_S of the server")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="policykg-fairness-"))
    rows = []
    try:
        for label, per_client in (("per-client share (default)", None), ("no per-client limit", 3)):
            port = free_port()
            proc = serve(tmp / "store", port, args.timeout, per_client)
            base = f"http://127.0.0.1:{port}"
            try:
                wait_ready(f"{base}/sparql", proc, timeout=300)
                httpx.get(f"{base}/sparql", params={"query": AGGREGATE}, timeout=60)  # query workers up
                for _ in range(args.rounds):
                    rows.append((label, one_round(base, args.runaways, args.timeout)))
            finally:
                proc.terminate()
                proc.wait(timeout=30)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{args.runaways} runaways from one client, query timeout {args.timeout:g} s; "
          "the second client's latency (status):")
    print("| configuration | canned query | SPARQL aggregate | first client's statuses |")
    print("|---|---|---|---|")
    for label, r in rows:
        print(f"| {label} | {r['canned'][0]:.2f} s ({r['canned'][1]}) | {r['sparql'][0]:.2f} s ({r['sparql'][1]}) "
              f"| {' '.join(map(str, r['flood']))} |")


if __name__ == "__main__":
    main()
