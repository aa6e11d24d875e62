"""Attacks on the site's background aggregates (``api/summaries.py``, commit 31b549e): writes while an
aggregate is computed, many writes in a row, failures and their retry, the 503 NotReady documents, the
pages' query pool shared with the aggregates, and what is left behind when an application ends.

Each defect found was an ``xfail(strict=True)`` test naming what happened and where; 10 of the 11 are
fixed and marked ``_fixed`` (the reason kept as the record); the one left is a strict xfail. The other
plain tests are what held. Measured 2026-11-30 on 100,000 synthetic policies (dd09b45/840d73f, 2 cores, other tests
running): after the first visit, /stats complete at 225 s, the landing page and dumps at 421 s, the sitemap
at 470 s, VoID at 521 s; the dumps' child peaked at 958 MB RSS (the server at 278 MB); /policies?page=2
p50 7.0 s during vs 4.9 s after, /doc p50 0.28 s vs 0.23 s.
"""

from __future__ import annotations

import gc
import threading
import time
import weakref
from datetime import datetime, timezone

import pytest
import rdflib
from rdflib import Literal, URIRef

import api.meta
import api.summaries
from api.summaries import Summaries
from policykg.errors import StoreError
from policykg.settings import Settings
from policykg.store import DataVersion
from policykg.vocab import DCTERMS, PKG, RDF

from sparql_helpers import hold, make_client, running_client, sample_store

BASE = "https://w3id.org/policykg/"
#: A query that runs for minutes on the sample (as in tests/test_summaries.py).
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _version(tag: str) -> DataVersion:
    return DataVersion(tag=tag, modified=datetime(2026, 11, 30, tzinfo=timezone.utc))


def _policy_graph(n: int) -> dict[URIRef, rdflib.Graph]:
    """One more policy, in a graph of its own: a write that changes the data version and the policy count."""
    g = rdflib.Graph()
    p = URIRef(f"{BASE}id/policy/attack15-{n}")
    g.add((p, RDF.type, PKG.Policy))
    g.add((p, DCTERMS.title, Literal(f"Attack policy {n}", lang="en")))
    return {URIRef(f"{BASE}graph/attack15-{n}"): g}


def _policies(store) -> int:
    return int(store.select(f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a <{PKG.Policy}> }}")[0]["n"])


def _until(fn, timeout_s: float = 20.0, every: float = 0.1):
    """``fn()`` again until it is truthy or ``timeout_s`` passes; its last value."""
    deadline = time.monotonic() + timeout_s
    while not (got := fn()) and time.monotonic() < deadline:
        time.sleep(every)
    return got


def _fixed(reason: str):
    """A defect this file found and that is fixed (``reason`` says what it was): the test is a plain test."""
    return lambda test: test


# -- correctness: versions ------------------------------------------------------------------------------


@_fixed(reason=(
    "Summaries.get (api/summaries.py) stores compute()'s value under the tag of the version the *request* "
    "read (entry.value_tag = tag in _work), but compute() reads the store as it is when the job runs: a "
    "request that read v1 before a write, whose job runs after it (queued behind the dumps' 46 s on 100k), "
    "gets the new data's figures marked fresh for v1, served with v1's ETag"))
def test_a_value_marked_fresh_for_a_version_holds_that_versions_figures() -> None:
    settings = Settings(query_timeout_s=5)
    store = sample_store(settings)
    s = Summaries(store.data_version, wait_s=5)
    before = store.data_version()
    count_before = _policies(store)
    store.replace_graphs(_policy_graph(1))  # the write lands between the request's version read and its job
    got = s.get("policies", before, lambda: _policies(store))
    assert not got.fresh or got.value == count_before, (got, count_before)


@_fixed(reason=(
    "Summaries.get (api/summaries.py) asks for a new job whenever entry.job_tag != tag, whatever the order "
    "of the versions: a request that read the version before a write and reaches the aggregate after the "
    "newer version's value is ready re-queues the old version, whose result then replaces the newer value "
    "(value_tag goes back); every page of the current version is pending again (no ETag, /dumps and "
    "/sitemap.xml 503) and the aggregate is computed again (the dumps: 46 s, 2 GB on 100k)"))
def test_a_late_request_of_the_previous_version_does_not_undo_the_current_value() -> None:
    s = Summaries(lambda: _version("v2"), wait_s=5)  # the store is at v2
    calls = []
    assert s.get("k", _version("v2"), lambda: calls.append("v2") or "current").ready
    s.get("k", _version("v1"), lambda: calls.append("v1") or "late", wait_s=5)  # read v1 before the write
    got = s.get("k", _version("v2"), lambda: calls.append("v2 again") or "current", wait_s=0)
    assert got.ready and got.value == "current", (got, calls)


@_fixed(reason=(
    "Summaries._work (api/summaries.py) drops a finished computation whenever entry.job_tag moved on meanwhile "
    "(`if entry.job_tag == tag`): with writes more often than an aggregate takes (the dumps take 46 s on 100k, "
    "the filter options 30 s), every computation is thrown away when it ends, the pages stay pending and "
    "/dumps, /sitemap.xml and VoID answer 503 for as long as the writes go on, and the 'previous data's "
    "figures' shown are those of the last version before the writes began (here: none at all)"))
def test_with_writes_faster_than_the_aggregate_a_finished_value_is_still_shown() -> None:
    writes = [0]
    s = Summaries(lambda: _version(f"v{writes[0]}"), wait_s=5)
    finished = []

    def slow() -> str:
        time.sleep(0.6)
        finished.append(1)
        return f"figures {len(finished)}"
    for i in range(9):  # a write every 0.2 s, each followed by a page
        writes[0] = i
        s.get("k", _version(f"v{i}"), slow, wait_s=0)
        time.sleep(0.2)
    got = s.get("k", _version("v8"), slow, wait_s=0)
    assert len(finished) >= 2  # computations did end...
    assert got.value is not None, (got, len(finished))  # ...but none of their figures is shown, not even as stale


def test_a_write_while_the_aggregates_compute_never_shows_the_old_figures_as_current(monkeypatch) -> None:
    """Held: a page asked for after a write never carries the earlier version's figures without the
    notice, nor an ETag, nor answers 304 to the earlier ETag (GET and HEAD); once computed, the new
    figures are there with a new ETag, and the dump holds the write."""
    settings = Settings(query_timeout_s=2)
    store = sample_store(settings)
    with running_client(settings, store) as (c, _):
        r = _until(lambda: (r := c.get("/stats")).headers.get("etag") and r, 60, 0.2)
        old_etag = r.headers["etag"]
        assert _until(lambda: c.get("/dumps/policykg.ttl").status_code == 200, 30, 0.2)
        gate = threading.Event()
        real = api.meta.build_dumps
        monkeypatch.setattr(api.meta, "build_dumps", lambda *a, **k: (gate.wait(20), real(*a, **k))[1])
        try:
            store.replace_graphs(_policy_graph(2))
            for _ in range(2):
                r = c.get("/", headers={"If-None-Match": old_etag})
                assert r.status_code == 200 and 'id="pending"' in r.text and "etag" not in r.headers
                assert r.headers["cache-control"] == "no-store"
                h = c.head("/", headers={"If-None-Match": old_etag})
                assert h.status_code == 200 and "etag" not in h.headers and h.headers["cache-control"] == "no-store"
            r = c.get("/dumps/policykg.ttl", headers={"If-None-Match": "*"})
            assert r.status_code == 503 and r.json()["type"].endswith("/NotReady")
        finally:
            gate.set()
        r = _until(lambda: (r := c.get("/stats")).headers.get("etag") and r, 30, 0.2)
        assert r.headers["etag"] != old_etag and 'id="pending"' not in r.text
        assert c.get("/stats", headers={"If-None-Match": r.headers["etag"]}).status_code == 304
        assert c.get("/stats", headers={"If-None-Match": old_etag}).status_code == 200
        ttl = _until(lambda: (d := c.get("/dumps/policykg.ttl")).status_code == 200 and d, 30, 0.2)
        assert b"attack15-2" in ttl.content  # the dump is the new version's


# -- errors: what the 503s and notices say ------------------------------------------------------------------


@pytest.fixture()
def gated_dumps(monkeypatch: pytest.MonkeyPatch):
    """The dumps' builder held until the test opens the gate (as in tests/test_summaries.py)."""
    gate = hold(monkeypatch, [api.meta], "build_dumps")
    yield gate
    gate.set()


@_fixed(reason=(
    "void_ready (api/meta.py) builds the 503's detail from pending_notice (api/summaries.py), a page's notice: "
    "the 503 says 'what is not ready yet is left out' (or 'the previous data's figures are shown') though it "
    "shows nothing, and after a failure its .replace() misses ('Some figures on this page could not be "
    "computed...'), so the problem document for the dataset description speaks of a page and of figures shown"))
def test_the_void_503_does_not_speak_of_a_page_and_figures_shown(gated_dumps, monkeypatch) -> None:
    settings = Settings(query_timeout_s=1)
    with running_client(settings, sample_store(settings)) as (c, _):
        r = c.get("/.well-known/void", headers={"Accept": "text/turtle"})
        assert r.status_code == 503
        detail = r.json()["detail"]
        assert "left out" not in detail and "are shown" not in detail and "on this page" not in detail, detail


@_fixed(reason=(
    "dump() in api/meta.py raises NotReady('... is being built (<error>)') for a failed build too, and "
    "error_response (api/app.py) gives every 503 Retry-After = query_timeout_s (here 1 s), while "
    "Summaries.get retries a failure only RETRY_AFTER_FAILURE_S (60 s) after it: a client that obeys "
    "Retry-After asks 60 times for nothing, and is told the dump is being built when it is not"))
def test_a_failed_dump_says_so_and_when_to_come_back(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args, **kwargs):
        raise StoreError("the disk is full")
    monkeypatch.setattr(api.meta, "build_dumps", broken)
    settings = Settings(query_timeout_s=1)
    with running_client(settings, sample_store(settings)) as (c, _):
        r = c.get("/dumps/policykg.ttl")
        assert r.status_code == 503 and "the disk is full" in r.json()["detail"]
        assert "being built" not in r.json()["detail"], r.json()["detail"]
        assert int(r.headers["retry-after"]) >= 30, r.headers["retry-after"]


def test_an_aggregate_that_raises_gives_no_500_anywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    """Held: a bug in every aggregate (a RuntimeError) gives 200 pages with the notice and 503 NotReady
    documents whose detail points at the server log, never a 500 nor a traceback in a body."""
    def boom(*args, **kwargs):
        raise RuntimeError("secret internal detail")
    for name in ("targets_by_year_indicator", "policies_by_region", "sitemap_resources", "void_counts", "build_dumps"):
        monkeypatch.setattr(api.meta, name, boom)
    for name in ("facet_options", "graph_counts"):  # the aggregates the landing page and the list share
        monkeypatch.setattr(api.summaries, name, boom)
    settings = Settings(query_timeout_s=1)
    with running_client(settings, sample_store(settings)) as (c, _):
        for path in ("/", "/stats", "/policies", "/policies?page=2", "/sitemap.xml", "/.well-known/void",
                     "/.well-known/void?format=turtle", "/dumps/policykg.nq.gz", "/dumps/nothing"):
            for method in ("GET", "HEAD"):
                r = c.request(method, path, headers={"Accept": "text/html"})
                assert r.status_code in (200, 404, 503), (method, path, r.status_code)
                assert "secret internal detail" not in r.text and "Traceback" not in r.text
                if r.status_code == 200:
                    assert "etag" not in r.headers and r.headers["cache-control"] == "no-store", path
        r = c.get("/")
        assert "could not be computed" in r.text and "RuntimeError" in r.text and "server log" in r.text
        r = c.get("/sitemap.xml")
        assert r.status_code == 503 and "RuntimeError" in r.json()["detail"]
        assert c.get("/problems/NotReady").status_code == 200


# -- fairness and availability --------------------------------------------------------------------------------


@_fixed(reason=(
    "AppContext.summary_reads (api/app.py) runs the aggregates in the pages' pool, whose share per client is "
    "one worker (get_page_pool, api/sparql.py): with POLICYKG_PAGE_WORKERS=1 that is every worker, so while "
    "an aggregate runs (30 s for the filter options on 100k, after every write; minutes in all) every page "
    "whose queries go through page_reads (here /policies?page=2) waits for it and answers 503 at the "
    "query time limit"))
def test_with_one_page_worker_the_aggregates_leave_the_policy_pages_served(monkeypatch: pytest.MonkeyPatch) -> None:
    def runaway_facets(reads, base):
        reads.select(RUNAWAY)
        raise AssertionError("the runaway query ended")
    monkeypatch.setattr(api.summaries, "facet_options", runaway_facets)
    settings = Settings(query_timeout_s=2, summary_timeout_s=8, page_workers=1)
    with running_client(settings, sample_store(settings)) as (c, app):
        try:
            policy = c.get("/sparql", params={"query": f"SELECT ?p WHERE {{ ?p a <{PKG.Policy}> }} LIMIT 1"},
                           headers={"Accept": "application/sparql-results+json"}).json()
            path = "/doc/" + policy["results"]["bindings"][0]["p"]["value"].split("/id/", 1)[1]
            assert c.get(path, headers={"Accept": "text/html"}).status_code == 200  # before: served
            assert c.get("/").status_code == 200  # asks for the filter options: the runaway starts
            time.sleep(0.5)
            got = [c.get(p, headers={"Accept": "text/html"}).status_code for p in (path, "/policies?page=2")]
            assert got == [200, 200], got
        finally:
            pool = app.state.ctx.cache.get("pagepool")
            if pool is not None:
                pool.close()


# -- what an application leaves behind ------------------------------------------------------------------------


@pytest.mark.xfail(strict=True, reason=(
    "the AppContext outlives its application: the shutdown now closes the aggregates' thread (it was kept "
    "waiting with the last job's closure over the context), but the context is still referenced by the "
    "closures of the app's routes after the TestClient and the app are dropped, so weakref.finalize(ctx, "
    "pool.close) of _app_pool (api/sparql.py) does not run and a pool's workers live on until exit; "
    "tests/sparql_helpers.running_client closes the pools by hand"))
def test_an_application_that_ended_leaves_no_thread_and_no_workers() -> None:
    settings = Settings(query_timeout_s=5)
    client, app, store = make_client(settings, sample_store(settings))
    with client:
        assert _until(lambda: "etag" in client.get("/stats").headers, 30, 0.2)
    ctx = weakref.ref(app.state.ctx)
    pool = app.state.ctx.cache.get("pagepool")
    workers = [w.process for w in list(pool._all)] if pool is not None else []
    del client, app, store, pool
    gc.collect()
    time.sleep(0.5)
    left = [t.name for t in threading.enumerate() if t.name == "policykg-summaries" and t.is_alive()]
    alive = [p.pid for p in workers if p.poll() is None]
    for p in workers:  # do not leave them to the next tests
        if p.poll() is None:
            p.kill()
    assert ctx() is None and not alive, (left, alive)


@_fixed(reason=(
    "AppContext.summary_reads (api/app.py) gives PooledReads a pool of None for a remote store, and "
    "PooledReads.select then calls store.select without a limit of its own: RemoteStore's HTTP timeout "
    "is query_timeout_s (policykg/remote.py), so on an Oxigraph server every aggregate is cut at the pages' "
    "10 s and POLICYKG_SUMMARY_TIMEOUT_S (600 s) is never used; the filter options (30 s on 100k) then fail "
    "after every write and are retried every 60 s, forever"))
def test_on_a_remote_store_an_aggregate_has_the_summary_time_limit(tmp_path, monkeypatch) -> None:
    from policykg.remote import RemoteStore
    from serve_helpers import oxigraph_server

    seen: list[tuple[float, str]] = []

    def slow_facets(reads, base):
        started = time.monotonic()
        try:
            reads.select(RUNAWAY)
        except Exception as exc:  # noqa: BLE001 - what stops it, and when
            seen.append((time.monotonic() - started, str(exc)))
            raise
        return {}
    monkeypatch.setattr(api.summaries, "facet_options", slow_facets)
    with oxigraph_server(str(tmp_path / "oxi")) as url:
        settings = Settings(sparql_endpoint=f"{url}/query", sparql_update_endpoint=f"{url}/update",
                            query_timeout_s=1, summary_timeout_s=30)
        remote = RemoteStore(settings)
        local = sample_store(settings)
        names = [r["g"] for r in local.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")]
        remote.replace_graphs({g: local.construct("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": g})
                               for g in names if not str(g).endswith("graph/meta")})
        with running_client(settings, remote) as (c, _):
            c.get("/policies")
            _until(lambda: seen, 8, 0.2)
    assert not seen or seen[0][0] > 10, seen  # stopped at the pages' 1 s, not at the aggregates' 30 s


def _dump_children(marker: str) -> list[int]:
    """Live processes building dumps (api.meta._write_dumps_of_snapshot) whose command line names ``marker``."""
    import os  # noqa: PLC0415

    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmd = open(f"/proc/{pid}/cmdline", "rb").read().decode("utf-8", "replace")
            state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if "_write_dumps_of_snapshot" in cmd and marker in cmd and state != "Z":
            found.append(int(pid))
    return found


@_fixed(reason=(
    "build_dumps (api/meta.py, dd09b45) runs the dumps' child with subprocess.run from the Summaries daemon "
    "thread, and nothing ends it when the application shuts down: `policykg serve` exits (rc 0) and the "
    "child, re-parented to init, goes on building (measured: 15 s on 10k, 2-3 min and ~1 GB RSS on 100k), "
    "and its snapshot folder <store>.dump-builds/ is left behind (work.release() never runs)"))
def test_an_application_that_shuts_down_leaves_no_dump_builder(tmp_path) -> None:
    import os  # noqa: PLC0415
    import signal  # noqa: PLC0415

    import pyoxigraph as ox  # noqa: PLC0415

    from policykg.store import OxigraphStore  # noqa: PLC0415

    path = tmp_path / "big-store"
    lines = "".join(f'<{BASE}id/policy/p{i}> <http://www.w3.org/2000/01/rdf-schema#label> "policy {i}, a label to '
                    f'dump" <{BASE}graph/g{i % 50}> .\n' for i in range(60_000))
    raw = ox.Store(str(path))
    raw.bulk_load(lines.encode(), format=ox.RdfFormat.N_QUADS)
    del raw
    settings = Settings(query_timeout_s=2)
    store = OxigraphStore(path, settings.base_iri)
    client, app, _ = make_client(settings, store)
    try:
        with client:
            api.meta.dumps(app.state.ctx, store.data_version(), 0)  # asked for, not waited for
            assert _until(lambda: _dump_children(str(path)), 10, 0.05)
        time.sleep(1.0)
        left = _dump_children(str(path))
    finally:
        for pid in _dump_children(str(path)):
            os.kill(pid, signal.SIGKILL)
        pool = app.state.ctx.cache.get("pagepool")
        if pool is not None:
            pool.close()
    assert not left, f"dump builders still running after the application ended: {left}"


@_fixed(reason=(
    "represent_summaries (api/resources.py) skips the conditional request while an aggregate is pending: a "
    "client that holds the complete page of this very data version (from before a restart, or from the other "
    "process with --workers 2, whose snapshot has the same version) and sends its ETag gets the incomplete "
    "page (200, no-store) instead of 304 (RFC 9110 section 13.1.2), for as long as the aggregates take "
    "(8 min on 100k)"))
def test_a_client_holding_this_versions_complete_page_gets_304_while_a_restart_recomputes(monkeypatch) -> None:
    settings = Settings(query_timeout_s=2)
    store = sample_store(settings)
    with running_client(settings, store) as (c, _):
        etag = _until(lambda: c.get("/").headers.get("etag"), 60, 0.2)
    gate = threading.Event()
    real = api.meta.build_dumps
    monkeypatch.setattr(api.meta, "build_dumps", lambda *a, **k: (gate.wait(20), real(*a, **k))[1])
    try:
        with running_client(settings, store) as (c, _):  # the server restarted on the same data
            r = c.get("/", headers={"If-None-Match": etag})
            assert r.status_code == 304, (r.status_code, 'id="pending"' in r.text)
    finally:
        gate.set()


def test_a_merge_while_the_dumps_are_built_from_a_snapshot_ends_in_the_next_dump(tmp_path) -> None:
    """Held: on a disk store (dumps built by a child process from a snapshot), a POST /merge landing while
    the dumps are built gives 503 NotReady, never the earlier dump under the new version, and then the
    new version's dump, which holds the merged policy, under another ETag; no snapshot folder is left."""
    import warnings  # noqa: PLC0415

    from linked_data_helpers import POLICY  # noqa: PLC0415

    from api import create_app  # noqa: PLC0415

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient  # noqa: PLC0415
    settings = Settings(store_path=tmp_path / "store", write_token="secret", query_timeout_s=2)
    store = sample_store(settings, settings.store_path)
    app = create_app(settings, store)
    try:
        with TestClient(app) as c:
            first = _until(lambda: (r := c.get("/dumps/policykg.ttl")).status_code == 200 and r, 30, 0.2)
            assert b"cn-notice-on-a-test-policy" not in first.content
            r = c.post("/merge", content=POLICY, headers={"Authorization": "Bearer secret",
                                                           "Content-Type": "text/turtle"})
            assert r.status_code == 200, r.text
            statuses = []
            second = _until(lambda: (statuses.append((r := c.get("/dumps/policykg.ttl")).status_code)
                                     or r.status_code == 200) and r, 30, 0.2)
            assert set(statuses) <= {200, 503}
            assert b"cn-notice-on-a-test-policy" in second.content
            assert second.headers["etag"] != first.headers["etag"]
            assert c.get("/dumps/policykg.ttl", headers={"If-None-Match": first.headers["etag"]}).status_code == 200
    finally:
        pool = app.state.ctx.cache.get("pagepool")
        if pool is not None:
            pool.close()
        store.close()
    assert not [p for p in tmp_path.iterdir() if "dump-builds" in p.name and any(p.rglob("*"))]


@_fixed(reason=(
    "api/templates/policies.html builds each filter's <select> from the filter options only (facets.get(facet, "
    "[])): while they are pending or failed (minutes after each write on 100k), a list filtered by "
    "?genre=notice shows 'Genre: any' though the rows are filtered, and the next press of 'Filter' "
    "silently drops the filter (the form sends genre=)"))
def test_while_the_filter_options_are_pending_the_form_keeps_the_chosen_filters(monkeypatch) -> None:
    gate = hold(monkeypatch, [api.summaries], "facet_options", 20)
    settings = Settings(query_timeout_s=2)
    try:
        with running_client(settings, sample_store(settings)) as (c, _):
            everything = c.get("/policies", headers={"Accept": "text/html"})
            r = c.get("/policies?genre=notice", headers={"Accept": "text/html"})
            assert r.status_code == 200 and 'id="pending"' in r.text
            assert r.text.count("<tr") < everything.text.count("<tr")  # the rows are filtered...
            assert 'value="notice"' in r.text, "the form does not show, nor keep, the genre filter"
    finally:
        gate.set()
