"""Crash safety of writes: SIGKILL ``policykg merge`` / ``policykg load`` at random points.

Each trial copies a store holding the OLD state, starts the command that
would write the NEW state in a subprocess, kills it with ``SIGKILL`` after a
random delay, then reopens the store and checks that

* it opens (read-write: RocksDB recovers its write-ahead log);
* its N-Quads dump, without the meta graph (whose data-version triples are
  new on every write), is exactly the OLD or exactly the NEW dump;
* the meta graph holds one data version (never two, never half).

A separate check reads the store *during* writes (in one process: a writer
thread replacing a graph by graphs of different sizes, a reader counting):
every read sees one whole graph, never a mix.

Usage (long run; the fast version is ``tests/test_hardening_crash.py``)::

    python benchmarks/crash_test.py --trials 20 --triples 60000 [--load data/briefings/x.txt]

Prints one line per trial and a summary; exit status 1 if any trial saw a
state that is neither OLD nor NEW (or a store that does not open).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policykg.settings import Settings  # noqa: E402
from policykg.store import OxigraphStore  # noqa: E402

__all__ = ["Trial", "CrashReport", "make_entry_file", "dump_state", "run_crash_trials", "check_concurrent_reads"]

BASE = Settings().base_iri


@dataclass
class Trial:
    """One kill: ``delay_s`` after start; what the store held afterwards (``old``/``new``/``other``/``unopenable``)."""

    delay_s: float
    outcome: str
    returncode: int | None
    detail: str = ""


@dataclass
class CrashReport:
    """All trials of one command, with the command's uninterrupted duration ``full_run_s``."""

    command: list[str]
    full_run_s: float
    trials: list[Trial] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every trial left exactly the old or the new state."""
        return all(t.outcome in ("old", "new") for t in self.trials)

    def counts(self) -> dict[str, int]:
        """Trials per outcome."""
        out: dict[str, int] = {}
        for t in self.trials:
            out[t.outcome] = out.get(t.outcome, 0) + 1
        return out


def make_entry_file(path: Path, n_triples: int, tag: str) -> Path:
    """Write a Turtle file of ``n_triples`` label/comment triples on ``n_triples // 2`` IRIs (no blank nodes).

    The resources are untyped, so no SHACL shape targets them: the merge is
    all parsing, validating an empty focus set and writing.
    """
    lines = ["@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ."]
    for i in range(n_triples // 2):
        s = f"<{BASE}span/{tag}-{i}>"
        lines.append(f'{s} rdfs:label "{tag} resource {i}" ; rdfs:comment "comment {i} of {tag}" .')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


#: Graphs written by ``ensure_reference`` in a transaction of their own before the data (see docs/reliability.md).
REFERENCE_GRAPHS = (f"<{BASE}graph/ontology> .".encode(), f"<{BASE}graph/reference> .".encode())


def dump_state(store_path: Path) -> tuple[list[bytes], list[bytes]]:
    """(sorted dump lines of the data graphs, sorted lines of the meta graph) of the store at ``store_path``.

    The data graphs are all but the meta graph and the ontology/reference
    graphs, which ``policykg merge``/``load`` refresh in a transaction of
    their own first (idempotent). Raises whatever opening the store raises
    (a store that does not open is a failed trial).
    """
    with OxigraphStore(store_path, BASE) as st:
        lines = [line.rstrip() for line in st.dump_nquads().splitlines() if line.strip()]
    meta_suffix = f"<{BASE}graph/meta> .".encode()
    data = sorted(line for line in lines if not line.endswith(meta_suffix) and not line.endswith(REFERENCE_GRAPHS))
    meta = sorted(line for line in lines if line.endswith(meta_suffix))
    return data, meta


def _cli(args: list[str], store: Path) -> list[str]:
    return [sys.executable, "-m", "policykg.cli", *args, "--store", str(store)]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run_crash_trials(work: Path, *, new_args: list[str], trials: int, old_args: list[str] | None = None,
                     old_store: Path | None = None, seed: int = 1, min_delay_s: float = 0.0,
                     log=print) -> CrashReport:  # noqa: ANN001
    """Kill ``policykg <new_args>`` ``trials`` times at random delays in ``[min_delay_s, 1.1 x its full run time]``.

    The OLD store is ``old_store`` (an existing, closed store directory) or is
    built by running ``policykg <old_args>``. ``work`` is a scratch directory.
    Each trial runs on a fresh copy of the OLD store. Returns the :class:`CrashReport`.
    """
    rng = random.Random(seed)
    if old_store is None:
        if old_args is None:
            raise ValueError("give old_args or old_store")
        old_store = work / "old-store"
        subprocess.run(_cli(old_args, old_store), check=True, env=_env(), cwd=ROOT, capture_output=True)
    old_state = dump_state(old_store)

    new_store = work / "new-store"
    shutil.copytree(old_store, new_store)
    started = time.perf_counter()
    done = subprocess.run(_cli(new_args, new_store), env=_env(), cwd=ROOT, capture_output=True)
    full_run_s = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"the uninterrupted run failed: {done.stderr.decode()[-500:]}")
    new_state = dump_state(new_store)
    if new_state[0] == old_state[0]:
        raise RuntimeError("the new command does not change the store: nothing to test")
    report = CrashReport(_cli(new_args, Path("STORE")), full_run_s)

    for i in range(trials):
        store = work / f"trial-{i}"
        shutil.copytree(old_store, store)
        delay = rng.uniform(min_delay_s, full_run_s * 1.1)
        proc = subprocess.Popen(_cli(new_args, store), env=_env(), cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        try:
            data, meta = dump_state(store)
        except Exception as exc:  # noqa: BLE001 - any failure to open is the finding
            trial = Trial(delay, "unopenable", proc.returncode, f"{type(exc).__name__}: {exc}")
        else:
            versions = [m for m in meta if b"dataVersion" in m]
            if len(versions) != 1:
                trial = Trial(delay, "other", proc.returncode, f"{len(versions)} data versions in the meta graph")
            elif data == old_state[0]:
                trial = Trial(delay, "old", proc.returncode)
            elif data == new_state[0]:
                trial = Trial(delay, "new", proc.returncode)
            else:
                trial = Trial(delay, "other", proc.returncode,
                              f"{len(data)} lines (old {len(old_state[0])}, new {len(new_state[0])})")
        report.trials.append(trial)
        log(f"trial {i + 1:2d}: killed after {delay:5.2f} s (rc {trial.returncode}) -> {trial.outcome} {trial.detail}")
        shutil.rmtree(store, ignore_errors=True)
    return report


def check_concurrent_reads(store_path: Path | None, *, sizes: tuple[int, ...] = (2000, 5000), writes: int = 10,
                           ) -> tuple[int, set[int]]:
    """Replace one named graph by graphs of ``sizes`` triples ``writes`` times while another thread counts it.

    Returns (reads made, set of counts seen). Atomic writes mean every count
    seen is one of ``sizes`` (or 0 before the first write).
    """
    import rdflib  # noqa: PLC0415

    graph_name = rdflib.URIRef(f"{BASE}graph/concurrent")
    graphs = []
    for n in sizes:
        g = rdflib.Graph()
        for i in range(n):
            g.add((rdflib.URIRef(f"{BASE}span/c{n}-{i}"), rdflib.RDFS.label, rdflib.Literal(f"{n}:{i}")))
        graphs.append(g)
    store = OxigraphStore(store_path, BASE)
    seen: set[int] = set()
    reads = 0
    stop = threading.Event()
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_name}> {{ ?s ?p ?o }} }}"

    def reader() -> None:
        nonlocal reads
        while not stop.is_set():
            seen.add(int(store.select(query)[0]["n"]))
            reads += 1

    t = threading.Thread(target=reader)
    t.start()
    try:
        for i in range(writes):
            store.replace_graphs({graph_name: graphs[i % len(graphs)]})
    finally:
        stop.set()
        t.join()
        store.close()
    return reads, seen


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point (see the module docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--trials", type=int, default=20)
    ap.add_argument("--triples", type=int, default=60_000, help="triples in the merged file")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--load", type=Path, default=None, help="also crash-test 'policykg load' of this briefing")
    args = ap.parse_args(argv)
    ok = True
    with tempfile.TemporaryDirectory(prefix="policykg-crash-") as tmp:
        work = Path(tmp)
        old = make_entry_file(work / "old.ttl", 2_000, "old")
        new = make_entry_file(work / "new.ttl", args.triples, "new")
        print(f"== merge of {args.triples} triples over a store holding 2,000")
        (work / "merge").mkdir()
        report = run_crash_trials(work / "merge", old_args=["merge", str(old)], new_args=["merge", str(new)],
                                  trials=args.trials, seed=args.seed)
        print(f"merge: uninterrupted {report.full_run_s:.2f} s; outcomes {report.counts()}; "
              f"{'OK' if report.ok else 'FAILED'}")
        ok &= report.ok
        if args.load is not None:
            (work / "load").mkdir()
            print(f"== load of {args.load}")
            report = run_crash_trials(work / "load", old_args=["merge", str(old)],
                                      new_args=["load", str(args.load.resolve())], trials=args.trials,
                                      seed=args.seed + 1)
            print(f"load: uninterrupted {report.full_run_s:.2f} s; outcomes {report.counts()}; "
                  f"{'OK' if report.ok else 'FAILED'}")
            ok &= report.ok
        reads, seen = check_concurrent_reads(work / "concurrent", sizes=(20_000, 50_000), writes=10)
        torn = seen - {0, 20_000, 50_000}
        print(f"concurrent reads: {reads} reads during 10 writes; counts seen {sorted(seen)}; "
              f"{'OK' if not torn else 'TORN READS'}")
        ok &= not torn
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
