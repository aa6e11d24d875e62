"""Attacks on the query pool's per-client fairness (session 11): leaks, races, identity, regressions.

The rule under attack (``policykg.querypool``, "Fairness"): one client (an IP address; an IPv6 /64) holds at
most ``per_client`` workers; its further queries wait, first come first served among eligible waiters, and get
429 (``TooManyQueries``) at their deadline, while other clients are served. ``pool._held`` must drain to ``{}``
and ``len(pool._free)`` come back to the number of workers after every kind of ending.

The attack found nine defects; eight are fixed and are plain regression tests here:

* a query cancelled while it ran gave its busy worker back, so the next client got its reply, and a client
  could cancel and resend runaways beyond its share (``_lease`` now kills a worker left with a job in flight);
* a worker handed over as the wait timed out was lost (Python 3.12+ ``wait_for`` drops such a result), and one
  handed to an event loop that then closed was never given back (``_reclaim_stranded``);
* a killed runaway's share came back before its replacement existed, so the client's next query took, and got
  killed on, the worker kept for others; no over-share query ever got its 429 on a real server (the share now
  comes back with the replacement; a worker handed over with almost no time left is given back unused; 429
  is decided by whether the client's own share held the query back);
* ``close`` woke no waiting query.

The ninth (session 12): through ``policykg serve``, uvicorn believed ``X-Forwarded-For`` from 127.0.0.1 (its
default), so a local client, or any client behind a local proxy passing its header through, could claim other
addresses. ``serve`` now believes it only from the proxies ``POLICYKG_FORWARDED_ALLOW_IPS`` names. What held is
a plain test.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from policykg.errors import QueryTimeout, StoreError, TooManyQueries
from policykg.querypool import QueryJob, QueryPool
from policykg.settings import Settings
from tests.sparql_helpers import sample_store
from tests.serve_helpers import SERVE, answers, free_port, kill_group, serve_env

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
#: About 0.5 s on the sample store (a 2-way cross product joined with the typed nodes).
MEDIUM = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g a ?h }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _n(outcome) -> int:
    return int(json.loads(outcome.data)["results"]["bindings"][0]["n"]["value"])


def _const(i: int) -> QueryJob:
    return QueryJob(f"SELECT ({i} AS ?n) WHERE {{}}", "SELECT", "json")


def _pool(workers: int = 2, per_client: int | None = None, timeout_s: float = 5.0) -> QueryPool:
    pool = QueryPool(sample_store(Settings()), workers=workers, timeout_s=timeout_s, per_client=per_client)
    pool.run(QueryJob(COUNT, "SELECT", "json"))  # workers up, checkpoint current
    return pool


def _drained(pool: QueryPool, within_s: float = 10.0) -> bool:
    """Wait until no client holds a worker and every worker is live and free again."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        with pool._dispatch_lock:
            if not pool._held and len(pool._free) == pool.size and len(pool.pids) == pool.size:
                return True
        time.sleep(0.05)
    return False


# -- cancellation mid-query (run_async) -------------------------------------------------------------------

def test_a_query_cancelled_while_running_does_not_hand_its_results_to_the_next_client() -> None:
    pool = _pool(workers=1)
    try:
        async def main():
            task = asyncio.ensure_future(pool.run_async(QueryJob(MEDIUM, "SELECT", "json"), 5.0, client="a"))
            await asyncio.sleep(0.1)  # a's job is running in the only worker
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            return await pool.run_async(_const(7), 5.0, client="b")

        assert _n(asyncio.run(main())) == 7  # observed: a's count (millions)
    finally:
        pool.close()


def test_cancel_and_resend_cannot_take_more_than_the_clients_share() -> None:
    pool = _pool(workers=2, per_client=1)
    try:
        async def main():
            for _ in range(2):
                task = asyncio.ensure_future(pool.run_async(QueryJob(RUNAWAY, "SELECT", "json"), 30.0, client="a"))
                await asyncio.sleep(0.3)
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task
            # each cancelled runaway's worker was killed (its CPU freed), and a's share came back with the
            # replacement: the books and the workers agree
            assert await asyncio.to_thread(_drained, pool)
            return await asyncio.gather(*[pool.run_async(_const(i), 2.0, client=c) for i, c in enumerate("bc")],
                                        return_exceptions=True)

        results = asyncio.run(main())
        assert [r if isinstance(r, BaseException) else _n(r) for r in results] == [0, 1]  # both served
    finally:
        pool.close()


# -- handing over at the edge of a wait ---------------------------------------------------------------------

async def _wait_for_312(fut, timeout):
    """``asyncio.wait_for`` as Python 3.12 and later define it (Lib/asyncio/tasks.py): a timeout context.

    requires-python is >=3.11; 3.11's own wait_for returns a result that arrived with the timeout, 3.12's
    raises TimeoutError and drops it (the leak below was reproduced with CPython 3.12.1's and 3.13.0's own
    wait_for, with the hand-out code of QueryPool unchanged)."""
    async with asyncio.timeout(timeout):
        return await fut


def test_a_worker_handed_over_as_the_wait_times_out_is_not_lost(monkeypatch) -> None:
    monkeypatch.setattr(asyncio, "wait_for", _wait_for_312)
    pool = _pool(workers=2, per_client=1)
    try:
        async def main():
            loop = asyncio.get_running_loop()
            with pool._dispatch_lock:
                running = pool._take("x")  # x's running query holds x's one worker
            deadline = loop.time() + 0.5

            def ends_as_the_wait_times_out():
                pool._release(running, "x")  # x's query ends just before the waiter's deadline...
                time.sleep(0.3)              # ...and the loop is busy across that deadline

            loop.call_at(deadline - 0.2, ends_as_the_wait_times_out)
            with pytest.raises(QueryTimeout):
                await pool.run_async(_const(1), 0.5, client="x")

        asyncio.run(main())
        assert _drained(pool, 1.0), (dict(pool._held), len(pool._free))
    finally:
        pool.close()


def test_a_worker_handed_to_a_loop_that_then_closes_is_not_lost() -> None:
    pool = _pool(workers=2, per_client=1)
    try:
        with pool._dispatch_lock:
            running = [pool._take(None), pool._take(None)]
        loop = asyncio.new_event_loop()
        task = loop.create_task(pool.run_async(_const(1), 3.0, client="y"))
        loop.run_until_complete(asyncio.sleep(0.05))  # y waits for a worker
        pool._release(running[0], None)  # handed to y's future by call_soon_threadsafe...
        loop.close()                     # ...on a loop closed before it runs again
        pool._release(running[1], None)
        del task
        assert _drained(pool, 1.0), (dict(pool._held), len(pool._free))
    finally:
        pool.close()


def test_a_client_over_its_share_does_not_kill_the_worker_kept_for_others() -> None:
    pool = _pool(workers=3)  # per_client 2
    try:
        async def main():
            kept = set(pool.pids)

            async def attacker(i):
                await asyncio.sleep(0.1 * i)  # arrivals apart, as over HTTP
                with pytest.raises(QueryTimeout) as info:
                    await pool.run_async(QueryJob(RUNAWAY, "SELECT", "json"), 1.2, client="a")
                return info.value

            attacks = [asyncio.ensure_future(attacker(i)) for i in range(3)]
            await asyncio.sleep(1.35)  # just past the first two deadlines
            start = time.monotonic()
            await pool.run_async(_const(1), 5.0, client="b")
            victim_waited = time.monotonic() - start
            refused = await asyncio.gather(*attacks)
            return victim_waited, len(kept & set(pool.pids)), refused

        victim_waited, survivors, refused = asyncio.run(main())
        assert survivors == 1 and victim_waited < 0.5, (survivors, victim_waited)
        assert sum(isinstance(r, TooManyQueries) for r in refused) == 1
    finally:
        pool.close()


def test_a_client_resending_runaways_as_they_are_killed_leaves_a_worker_for_others() -> None:
    pool = _pool(workers=3)  # per_client 2
    try:
        async def main():
            async def attacker():
                for _ in range(2):  # sends again as soon as its runaway is stopped
                    with pytest.raises(QueryTimeout):
                        await pool.run_async(QueryJob(RUNAWAY, "SELECT", "json"), 1.2, client="a")

            attacks = [asyncio.ensure_future(attacker()) for _ in range(2)]
            await asyncio.sleep(1.3)  # the first round was killed; the second is running or waiting
            with pool._dispatch_lock:
                free = len(pool._free)
            start = time.monotonic()
            await pool.run_async(_const(1), 5.0, client="b")
            waited = time.monotonic() - start
            await asyncio.gather(*attacks)
            return free, waited

        free, waited = asyncio.run(main())
        assert free >= 1 and waited < 0.5, (free, waited)
    finally:
        pool.close()


def test_close_ends_waiting_queries_at_once() -> None:
    pool = _pool(workers=1)
    outcome: dict[str, object] = {}

    def query(client: str, sparql: str) -> None:
        start = time.monotonic()
        try:
            pool.run(QueryJob(sparql, "SELECT" if sparql.startswith("SELECT") else "ASK", "json"), 2.0, client=client)
            outcome[client] = "answered"
        except Exception as exc:  # noqa: BLE001
            outcome[client] = exc
        outcome[client + "_s"] = time.monotonic() - start

    threads = [threading.Thread(target=query, args=("a", RUNAWAY)), threading.Thread(target=query, args=("b", "ASK {}"))]
    threads[0].start()
    time.sleep(0.2)
    threads[1].start()
    time.sleep(0.3)
    pool.close()
    for t in threads:
        t.join()
    deadline = time.monotonic() + 10
    while pool._held and time.monotonic() < deadline:  # a's share comes back once its worker is reaped
        time.sleep(0.05)
    assert not pool._held
    assert isinstance(outcome["b"], StoreError) and outcome["b_s"] < 1.0, outcome


# -- what held ------------------------------------------------------------------------------------------------

def test_a_worker_killed_mid_query_gives_the_share_back_and_is_replaced() -> None:
    pool = _pool(workers=2, per_client=1)
    try:
        async def main():
            task = asyncio.ensure_future(pool.run_async(QueryJob(RUNAWAY, "SELECT", "json"), 5.0, client="a"))
            await asyncio.sleep(0.3)
            busy = set(pool.pids) - {w.process.pid for w in pool._free}
            assert len(busy) == 1
            os.kill(busy.pop(), signal.SIGKILL)  # OOM killer, operator
            with pytest.raises(StoreError):
                await task
            assert _drained(pool)  # the share comes back with the replacement
            assert _n(await pool.run_async(_const(3), 3.0, client="a")) == 3  # a is not locked out

        asyncio.run(main())
        assert _drained(pool)
    finally:
        pool.close()


def test_hundreds_of_waiters_on_threads_and_asyncio_are_served_in_order_and_drain() -> None:
    """Client a holds its share (2 of 3) with runaways; 200 quick queries of 200 clients (150 asyncio, 50
    threads) and 20 more of a's wait together. All 200 are answered through the one worker left, the asyncio
    ones in arrival order; a's get 429; no eligible waiter ever waits while a worker is free; all drains."""
    pool = _pool(workers=3, timeout_s=10.0)
    violations: list[str] = []
    stop = threading.Event()

    def check_invariant():
        while not stop.is_set():
            with pool._dispatch_lock:
                if pool._free:
                    for w in pool._waiting:
                        live = w.future is None or not (w.future.done() or w.loop.is_closed())
                        if live and pool._may_take(w.client):
                            violations.append(f"{w.client} waits while {len(pool._free)} free")
            time.sleep(0.001)

    checker = threading.Thread(target=check_invariant)
    checker.start()
    runaways = [threading.Thread(target=lambda: pytest.raises(QueryTimeout, pool.run,
                                                              QueryJob(RUNAWAY, "SELECT", "json"), 2.5, client="a"))
                for _ in range(2)]
    try:
        for t in runaways:
            t.start()
        time.sleep(0.3)
        thread_results: list[int] = []

        def in_thread(i):
            thread_results.append(_n(pool.run(_const(i), 2.2, client=f"t{i}")))

        threads = [threading.Thread(target=in_thread, args=(1000 + i,)) for i in range(50)]

        async def main():
            order: list[int] = []

            async def one(i):
                out = await pool.run_async(_const(i), 2.2, client=f"c{i}")
                order.append(_n(out))

            async def own(i):
                with pytest.raises(TooManyQueries):
                    await pool.run_async(_const(i), 1.0, client="a")

            tasks = []
            for i in range(150):
                tasks.append(asyncio.ensure_future(one(i)))
                if i % 3 == 0:
                    threads[i // 3].start()
                if i % 8 == 0 and i < 160:
                    tasks.append(asyncio.ensure_future(own(-i)))
            await asyncio.gather(*tasks)
            return order

        order = asyncio.run(main())
        for t in threads:
            t.join()
        assert order == list(range(150))
        assert sorted(thread_results) == list(range(1000, 1050))
    finally:
        for t in runaways:
            t.join()
        stop.set()
        checker.join()
        try:
            assert _drained(pool)
        finally:
            pool.close()
    assert not violations, violations[:5]


def test_after_a_store_write_the_thread_fallback_is_fair_and_drains() -> None:
    """A write changes the data version: run_async falls back to ``run`` in a thread (a new checkpoint);
    the share is kept there too, and everything drains."""
    import rdflib

    pool = _pool(workers=2, per_client=1)
    try:
        g = rdflib.Graph()
        g.add((rdflib.URIRef("https://example.org/s"), rdflib.RDFS.label, rdflib.Literal("new")))
        pool.store.replace_graphs({rdflib.URIRef(Settings().base_iri + "graph/attack13"): g})

        async def main():
            runaway = asyncio.ensure_future(pool.run_async(QueryJob(RUNAWAY, "SELECT", "json"), 1.8, client="a"))
            await asyncio.sleep(0.5)  # on the thread path (a new checkpoint), holding a's one worker
            assert pool._held == {"a": 1}
            with pytest.raises(TooManyQueries):
                await pool.run_async(_const(1), 0.5, client="a")
            assert _n(await pool.run_async(_const(2), 1.0, client="b")) == 2
            with pytest.raises(QueryTimeout):
                await runaway

        asyncio.run(main())
        assert _drained(pool)
    finally:
        pool.close()


def _uvicorn(app):
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    return server, thread, f"http://127.0.0.1:{port}/sparql"


def test_clients_that_go_away_mid_wait_and_mid_query_over_uvicorn_give_every_share_back() -> None:
    """Over a real uvicorn server (httptools, uvloop: as ``policykg serve``) a client sends two runaways (the
    second waits: share 1 of 2) and hangs up after 0.3 s. uvicorn lets a handler run on after its client left, so
    the queries had stayed counted until their deadline (10 s here); the app now cancels a query request whose
    client went away (api.sparql.stop_on_disconnect): the runaway's worker is killed at once, the waiting query
    leaves the queue, another client is served meanwhile, and every share and worker is back in seconds."""
    from api.app import create_app
    from api.sparql import get_pool

    settings = Settings(query_timeout_s=10.0, query_workers=2)
    app = create_app(settings, sample_store(settings))
    pool = get_pool(app.state.ctx)
    pool.run(QueryJob(COUNT, "SELECT", "json"))
    pids = set(pool.pids)
    server, thread, url = _uvicorn(app)
    try:
        def hang_up():
            with httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.3")) as c:
                with pytest.raises(httpx.TimeoutException):
                    c.get(url, params={"query": RUNAWAY}, timeout=0.3)

        hangers = [threading.Thread(target=hang_up) for _ in range(2)]
        started = time.monotonic()
        for t in hangers:
            t.start()
        for t in hangers:
            t.join()
        with httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2")) as c:
            r = c.get(url, params={"query": COUNT}, headers={"Accept": "application/json"}, timeout=5)
            assert r.status_code == 200
        assert _drained(pool, within_s=6.0), (dict(pool._held), len(pool._free), len(pool._waiting))
        assert time.monotonic() - started < 8.0  # not the 10 s limit
        assert pids - set(pool.pids)  # the runaway's worker was killed (and replaced)
    finally:
        server.should_exit = True
        thread.join(10)
        pool.close()


# -- a real `policykg serve` -----------------------------------------------------------------------------------

def _query_workers(session: int) -> int:
    """Live query workers of the server session ``session`` (their command line runs policykg.querypool)."""
    n = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z" and int(fields[3]) == session and b"policykg.querypool" in cmdline:
            n += 1
    return n


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """``policykg serve`` (one server process, 3 query workers, share 2, 2 s timeout) on the sample store."""
    with _serving(tmp_path_factory.mktemp("attacks13")) as running:
        yield running


@contextlib.contextmanager
def _serving(folder: Path, **env: str):
    """``policykg serve`` on a sample store in ``folder``, read-only with a 2 s query timeout and ``env``:
    yields (process, base URL) once it answers; kills its process group after."""
    sample_store(Settings(), folder / "store").close()
    port = free_port()
    proc = subprocess.Popen([*SERVE, "--store", str(folder / "store"), "--port", str(port)],
                            env=serve_env(POLICYKG_STORE_READ_ONLY="true", POLICYKG_QUERY_TIMEOUT_S="2", **env),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not answers(port, COUNT):
            assert proc.poll() is None and time.monotonic() < deadline, "serve did not start"
            time.sleep(0.2)
        yield proc, f"http://127.0.0.1:{port}"
    finally:
        kill_group(proc)


def _settle(proc) -> None:
    deadline = time.monotonic() + 15
    while _query_workers(proc.pid) < 3:
        assert time.monotonic() < deadline, "the server's query workers were not replaced"
        time.sleep(0.1)


def _from(address: str) -> httpx.Client:
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=10)


def _runaways(base: str, address: str, n: int, headers=None) -> tuple[list[threading.Thread], list[int]]:
    statuses: list[int] = []

    def one(i):
        with _from(address) as c:
            h = dict(headers[i]) if headers else {}
            statuses.append(c.get(base + "/sparql", params={"query": RUNAWAY + " " * i}, headers=h).status_code)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    time.sleep(0.4)
    return threads, statuses


def test_over_policykg_serve_one_address_at_its_share_leaves_others_and_lookups_served(served) -> None:
    """127.0.0.3 fills its share (2 runaways), 127.0.0.4 the last worker: a pool query and a canned query of
    127.0.0.2 are served before that, and 127.0.0.3's bounded lookup is answered at once even then (it never
    enters the pool). Errors stay typed problem+json."""
    proc, base = served
    _settle(proc)
    # the runaways started 0.4 s ago and hold their workers to the 2 s timeout: a victim they kept waiting
    # would take 1.6 s or more, so 1.2 s tells "served meanwhile" apart with room for a loaded machine
    threads, statuses = _runaways(base, "127.0.0.3", 2)
    with _from("127.0.0.2") as victim:
        start = time.monotonic()
        r = victim.get(base + "/sparql", params={"query": COUNT}, headers={"Accept": "application/json"})
        assert r.status_code == 200 and time.monotonic() - start < 1.2, r.text
        start = time.monotonic()
        r = victim.get(base + "/api/queries/policies-by-region", params={"region": "CN-SD"})
        assert r.status_code == 200 and time.monotonic() - start < 1.2, r.text
    more, more_statuses = _runaways(base, "127.0.0.4", 1)
    with _from("127.0.0.3") as attacker:
        start = time.monotonic()
        r = attacker.get(base + "/sparql", params={"query": "SELECT ?p ?o WHERE { <https://example.org/x> ?p ?o }"},
                         headers={"Accept": "application/json"})
        assert r.status_code == 200 and time.monotonic() - start < 1.2
    for t in threads + more:
        t.join()
    assert statuses + more_statuses == [503, 503, 503]
    _settle(proc)


def test_over_policykg_serve_a_clients_query_beyond_its_share_gets_429(served) -> None:
    proc, base = served
    _settle(proc)
    threads, statuses = _runaways(base, "127.0.0.3", 3)
    for t in threads:
        t.join()
    _settle(proc)
    assert sorted(statuses) == [429, 503, 503]


def test_over_policykg_serve_x_forwarded_for_does_not_buy_more_workers(served) -> None:
    """With no proxy configured, 127.0.0.1's three runaways claiming three addresses count as one client over
    its share of 2 (one 429), and 127.0.0.2 is served meanwhile. While uvicorn believed the header, all three
    took a worker, and 127.0.0.2 waited until they were killed (2.0 s) or got 503."""
    proc, base = served
    _settle(proc)
    spoofed = [{"X-Forwarded-For": f"203.0.113.{i}"} for i in range(1, 4)]
    threads, statuses = _runaways(base, "127.0.0.1", 3, headers=spoofed)
    try:
        with _from("127.0.0.2") as victim:
            r = victim.get(base + "/sparql", params={"query": COUNT}, headers={"Accept": "application/json"})
    finally:
        for t in threads:
            t.join()
        _settle(proc)
    assert r.status_code == 200
    assert sorted(statuses) == [429, 503, 503]


@pytest.fixture(scope="module")
def served_behind_proxy(tmp_path_factory):
    """``policykg serve`` as :func:`served`, told that 127.0.0.1 is its reverse proxy."""
    with _serving(tmp_path_factory.mktemp("attacks13-proxy"), POLICYKG_FORWARDED_ALLOW_IPS="127.0.0.1") as running:
        yield running


def test_over_policykg_serve_a_configured_proxy_s_clients_are_told_apart(served_behind_proxy) -> None:
    """Three runaways through the proxy (127.0.0.1) for three clients (X-Forwarded-For) each start and are
    killed at the timeout (503): the server counts the clients, not the proxy, once told which proxy to believe."""
    proc, base = served_behind_proxy
    _settle(proc)
    spoofed = [{"X-Forwarded-For": f"203.0.113.{i}"} for i in range(1, 4)]
    threads, statuses = _runaways(base, "127.0.0.1", 3, headers=spoofed)
    for t in threads:
        t.join()
    _settle(proc)
    assert sorted(statuses) == [503, 503, 503]
