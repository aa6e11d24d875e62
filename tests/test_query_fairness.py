"""Query pool fairness: one client's runaway queries cannot keep every other client waiting.

A client (an IP address, an IPv6 /64) may hold at most ``per_client`` workers at once; its further queries wait
for its own, and one that cannot start in time is a 429 (``TooManyQueries``), while other clients are served.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time

import httpx
import pytest

from policykg.errors import QueryTimeout, TooManyQueries
from policykg.querypool import QUERY_CLIENT, QueryJob, QueryPool, client_key
from policykg.settings import Settings
from tests.sparql_helpers import sample_store

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _count(outcome) -> int:
    return int(json.loads(outcome.data)["results"]["bindings"][0]["n"]["value"])


def _settled(pool, timeout: float = 20.0) -> bool:
    """Wait until every killed worker is replaced and every share given back (a killed runaway's share comes
    back with its replacement); True when it happened in time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with pool._dispatch_lock:
            if not pool._held and len(pool._free) == pool.size:
                return True
        time.sleep(0.05)
    return False


@pytest.fixture(scope="module")
def pool():
    with QueryPool(sample_store(Settings()), workers=2, timeout_s=5.0) as p:
        assert p.per_client == 1  # the default: one fewer than the workers
        p.run(QueryJob(COUNT, "SELECT", "json"))  # workers up, checkpoint current
        yield p


@pytest.mark.parametrize(("host", "key"), [
    ("203.0.113.7", "203.0.113.7"),
    ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
    ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),   # the same /64: one client
    ("::ffff:203.0.113.7", "203.0.113.7"),           # IPv4-mapped: the IPv4 client
    ("fe80::1%eth0", "fe80::/64"),                   # a zone index is no part of the address
    ("testclient", "testclient"),                    # no IP address: its own key
    ("", None), (None, None),
])
def test_client_key(host, key) -> None:
    assert client_key(host) == key


def test_a_client_at_its_share_waits_while_another_client_is_served(pool) -> None:
    """Client a's runaway holds its one worker; a's next query waits (429 at its deadline), b's runs at once."""

    async def main():
        runaway = asyncio.ensure_future(pool.run_async(QueryJob(RUNAWAY, "SELECT", "json"), 3.0, client="a"))
        await asyncio.sleep(0.3)
        other = await pool.run_async(QueryJob(COUNT, "SELECT", "json"), 3.0, client="b")
        b_before_runaway_ended = not runaway.done()
        start = time.monotonic()
        with pytest.raises(TooManyQueries) as refused:
            await pool.run_async(QueryJob(COUNT, "SELECT", "json"), 1.0, client="a")
        a_waited = time.monotonic() - start
        with pytest.raises(QueryTimeout):
            await runaway
        return other, b_before_runaway_ended, refused.value, a_waited

    other, b_before_runaway_ended, refused, a_waited = asyncio.run(main())
    assert _count(other) > 200
    assert b_before_runaway_ended  # about 0.01 s on an idle machine: it did not wait for the runaway
    assert 0.9 <= a_waited < 3.0
    assert refused.status == 429
    assert "this client already had 1 query running" in str(refused)
    assert refused.problem()["limit"] == 1
    assert pool.stats["client_limited"] >= 1
    assert _settled(pool)  # a's share comes back once its killed worker is replaced


def test_a_waiting_query_starts_when_its_clients_own_query_ends(pool) -> None:
    """Within its share a client is served in order: its second query runs as soon as its first ends."""

    async def main():
        jobs = [pool.run_async(QueryJob(f"SELECT ({i} AS ?n) WHERE {{}}", "SELECT", "json"), 5.0, client="c")
                for i in range(12)]
        return await asyncio.gather(*jobs)

    assert [_count(o) for o in asyncio.run(main())] == list(range(12))
    assert _settled(pool)  # every share given back


def test_the_blocking_path_is_fair_too(pool) -> None:
    """``run`` (threads) follows the same rule as ``run_async``; the client defaults to QUERY_CLIENT."""
    errors: list[BaseException] = []

    def runaway():
        QUERY_CLIENT.set("d")
        try:
            pool.run(QueryJob(RUNAWAY, "SELECT", "json"), 2.5)
        except QueryTimeout as exc:
            errors.append(exc)

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    assert _count(pool.run(QueryJob(COUNT, "SELECT", "json"), 2.0, client="e")) > 200
    assert thread.is_alive()  # served while d's runaway still held its worker
    with pytest.raises(TooManyQueries):
        pool.run(QueryJob(COUNT, "SELECT", "json"), 0.5, client="d")
    thread.join()
    assert len(errors) == 1 and not isinstance(errors[0], TooManyQueries)  # the runaway itself: a 503
    assert _settled(pool)  # its worker was killed and is replaced, and d's share given back


def test_queries_of_no_client_are_never_limited(pool) -> None:
    """The command line and internal callers (no client) may use every worker."""

    async def main():
        jobs = [pool.run_async(QueryJob(f"SELECT ({i} AS ?n) WHERE {{}}", "SELECT", "json"), 5.0) for i in range(8)]
        return await asyncio.gather(*jobs)

    assert [_count(o) for o in asyncio.run(main())] == list(range(8))


def test_per_client_setting() -> None:
    from policykg.errors import ConfigError

    assert Settings().query_workers == 3 and Settings().query_workers_per_client is None
    assert Settings.from_env({"POLICYKG_QUERY_WORKERS_PER_CLIENT": "2"}).query_workers_per_client == 2
    with pytest.raises(ConfigError):
        Settings(query_workers_per_client=0)
    store = sample_store(Settings())
    assert QueryPool(store, workers=1).per_client == 1
    assert QueryPool(store, workers=4, per_client=9).per_client == 9  # above the workers: no limit in effect


def test_over_http_one_client_gets_429_and_another_is_served() -> None:
    """On the app: runaways of one address fill its share (2 of 3 workers, held here with a longer deadline than
    the endpoint's); its next query is a 429 with Retry-After at the endpoint's timeout, while a query from
    another address is answered at once."""
    from api.app import create_app
    from api.sparql import get_pool

    settings = Settings(query_timeout_s=1.5)
    app = create_app(settings, sample_store(settings))
    pool = get_pool(app.state.ctx)
    pool.run(QueryJob(COUNT, "SELECT", "json"))  # workers up
    held = [threading.Thread(target=lambda: pytest.raises(QueryTimeout, pool.run, QueryJob(RUNAWAY, "SELECT", "json"),
                                                           6.0, client="198.51.100.1")) for _ in range(2)]
    for t in held:
        t.start()
    time.sleep(0.3)

    def client(host: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(host, 40000)), base_url="http://t")

    async def main():
        async with client("198.51.100.1") as a, client("198.51.100.2") as b:
            served = await b.get("/sparql", params={"query": COUNT}, headers={"Accept": "application/json"})
            b_before_runaways_ended = all(t.is_alive() for t in held)
            start = time.monotonic()
            refused = await a.get("/sparql", params={"query": COUNT})
            return served, b_before_runaways_ended, refused, time.monotonic() - start

    try:
        served, b_before_runaways_ended, refused, a_waited = asyncio.run(main())
    finally:
        for t in held:
            t.join()
        pool.close()
    assert served.status_code == 200 and b_before_runaways_ended
    assert refused.status_code == 429, refused.text
    assert 1.4 <= a_waited < 3.5
    assert refused.headers["Retry-After"] == "1"
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["type"].endswith("/TooManyQueries")
    assert "already had 2 queries running" in refused.json()["detail"]
