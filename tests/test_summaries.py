"""The site's aggregates over the whole store, computed in the background once per data version
(``api/summaries.py``): pages never wait past a short while for them, say when they are not ready, are
not cached meanwhile, and documents that must be complete (sitemap, dumps, VoID) answer 503 until they are.

On 100,000 synthetic policies (2026-11-30) the filter options took 30 s, past the pages' 10 s limit: the
landing page was a 503 on every visit, and nothing was ever kept.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone

import pytest

import api.meta
import api.summaries
from api.summaries import Summaries, pending_notice
from policykg.errors import QueryTimeout
from policykg.settings import Settings
from policykg.store import DataVersion

from sparql_helpers import hold, running_client, sample_store


def _version(tag: str) -> DataVersion:
    return DataVersion(tag=tag, modified=datetime(2026, 11, 30, tzinfo=timezone.utc))


class _Store:
    """A store's data version, changed by the test as a write would change it."""

    def __init__(self, tag: str = "v1"):
        self.tag = tag

    def data_version(self) -> DataVersion:
        return _version(self.tag)


def _summaries(store: _Store) -> Summaries:
    return Summaries(store.data_version, wait_s=5)


def test_an_aggregate_is_computed_once_per_data_version() -> None:
    calls = []
    store = _Store("v1")
    s = _summaries(store)
    for _ in range(3):
        got = s.get("k", _version("v1"), lambda: calls.append(1) or len(calls))
        assert got.ready and got.value == 1
    store.tag = "v2"
    got = s.get("k", _version("v2"), lambda: calls.append(1) or len(calls))
    assert got.ready and got.value == 2 and len(calls) == 2


def test_while_a_new_version_is_computed_the_last_value_is_given_as_stale() -> None:
    store = _Store("v1")
    s = _summaries(store)
    assert s.get("k", _version("v1"), lambda: "old").value == "old"
    gate = threading.Event()

    def slow() -> str:
        gate.wait(10)
        return "new"
    store.tag = "v2"
    started = time.monotonic()
    got = s.get("k", _version("v2"), slow, wait_s=0.2)
    assert time.monotonic() - started < 2
    assert (got.value, got.fresh, got.ready, got.error) == ("old", False, False, None)
    assert "figures of earlier data are shown" in pending_notice({"k": got})
    gate.set()
    got = s.get("k", _version("v2"), slow, wait_s=5)
    assert (got.value, got.ready) == ("new", True)
    assert pending_notice({"k": got}) == ""


def test_a_value_is_of_the_data_it_was_computed_on_not_of_the_request_s() -> None:
    """A request read v1; a write landed before its aggregate ran: the value is v2's, not fresh for v1.
    A value computed while a write landed is of no version: kept as the latest, stale value, and computed
    again; a late request for an older version does not undo a newer value."""
    store = _Store("v2")
    s = _summaries(store)
    got = s.get("k", _version("v1"), lambda: "of v2")
    assert got.value == "of v2" and not got.fresh
    assert s.get("k", _version("v2"), lambda: "again").value == "of v2"  # v2's: not computed again

    def with_a_write() -> str:
        store.tag = "v3"  # a write lands while the aggregate runs
        return "between v2 and v3"
    store.tag = "v2.5"
    got = s.get("k", _version("v2.5"), with_a_write)
    assert (got.value, got.fresh) == ("between v2 and v3", False)
    got = s.get("k", _version("v3"), lambda: "of v3")
    assert (got.value, got.fresh) == ("of v3", True)
    late = s.get("k", _version("v2"), lambda: "must not run")  # a late request for an older version
    assert (late.value, late.fresh) == ("of v3", False)
    assert s.get("k", _version("v3"), lambda: "must not run").value == "of v3"


def test_with_no_value_yet_the_page_is_told_what_is_left_out() -> None:
    s = _summaries(_Store())
    gate = threading.Event()
    got = s.get("k", _version("v1"), lambda: gate.wait(10) and "v", wait_s=0.1)
    assert got.value is None and not got.ready
    assert "being computed" in pending_notice([got]) and "left out" in pending_notice([got])
    gate.set()


def test_a_failed_aggregate_is_reported_and_tried_again_later(monkeypatch: pytest.MonkeyPatch) -> None:
    s = _summaries(_Store())
    attempts = []

    def failing() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise QueryTimeout("the aggregate ran past summary_timeout_s")
        return "ok"
    got = s.get("k", _version("v1"), failing)
    assert got.error == "the aggregate ran past summary_timeout_s" and got.value is None
    assert "could not be computed" in pending_notice([got]) and 55 <= got.retry_in <= 60
    got = s.get("k", _version("v1"), failing)  # within RETRY_AFTER_FAILURE_S: not tried again
    assert got.error is not None and len(attempts) == 1
    monkeypatch.setattr(api.summaries, "RETRY_AFTER_FAILURE_S", 0.0)
    got = s.get("k", _version("v1"), failing)
    assert got.ready and got.value == "ok" and len(attempts) == 2


def test_a_bug_in_an_aggregate_is_logged_and_the_thread_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    s = _summaries(_Store())
    got = s.get("bad", _version("v1"), lambda: 1 / 0)
    assert got.error is not None and "ZeroDivisionError" in got.error and "server log" in got.error
    assert any("bad" in r.getMessage() and r.exc_info for r in caplog.records)
    assert s.get("good", _version("v1"), lambda: 7).value == 7


def test_many_aggregates_share_one_wait() -> None:
    s = _summaries(_Store())
    gate = threading.Event()
    started = time.monotonic()
    got = s.get_many(_version("v1"), {f"k{i}": (lambda: gate.wait(10)) for i in range(5)}, wait_s=0.5)
    assert time.monotonic() - started < 2  # one wait of 0.5 s, not five
    assert not any(g.ready for g in got.values())
    gate.set()


def test_closing_stops_the_thread_and_what_it_started() -> None:
    s = _summaries(_Store())
    stopped = []
    s.on_close(lambda: stopped.append(1))
    assert s.get("k", _version("v1"), lambda: 1).value == 1
    s.close()
    deadline = time.monotonic() + 10
    while s._thread is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert s._thread is None and stopped == [1]
    assert s.get("k2", _version("v1"), lambda: 2).value == 2  # a later request starts again


@pytest.fixture()
def gated_dumps(monkeypatch: pytest.MonkeyPatch):
    """The dumps' builder held until the test opens the gate: a store whose dumps take long to build."""
    gate = hold(monkeypatch, [api.meta], "build_dumps")
    yield gate
    gate.set()


def test_documents_that_must_be_complete_answer_503_until_they_are(gated_dumps) -> None:
    settings = Settings(query_timeout_s=2)
    with running_client(settings, sample_store(settings)) as (c, _):
        for path in ("/dumps/policykg.ttl", "/.well-known/void"):
            r = c.get(path, headers={"Accept": "text/turtle"})
            assert r.status_code == 503, (path, r.status_code)
            assert r.headers["retry-after"] == "2"
            assert r.json()["type"].endswith("/NotReady"), r.json()
        r = c.get("/")  # the landing page is served meanwhile, without the dumps, and says so
        assert r.status_code == 200 and 'id="pending"' in r.text
        assert r.headers["cache-control"] == "no-store" and "etag" not in r.headers
        gated_dumps.set()
        deadline = time.monotonic() + 60
        for path in ("/dumps/policykg.ttl", "/.well-known/void"):
            while (r := c.get(path, headers={"Accept": "text/turtle"})).status_code == 503 and time.monotonic() < deadline:
                time.sleep(0.2)
            assert r.status_code == 200 and b"pkg:Policy" in r.content, path
        while 'id="pending"' in (r := c.get("/")).text and time.monotonic() < deadline:
            time.sleep(0.2)
        assert 'id="pending"' not in r.text and "etag" in r.headers and "policykg.nq.gz" in r.text
        assert c.get("/", headers={"If-None-Match": r.headers["etag"]}).status_code == 304


#: A query that runs for minutes on the sample: a counted cartesian product of every triple, four times.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_the_landing_page_answers_at_once_while_its_aggregates_run_away(monkeypatch: pytest.MonkeyPatch) -> None:
    """The filter options' aggregate replaced by a query that runs away (as the real one does on 100,000
    policies, 30 s): the landing and policy list pages, which show the filter options, answer 200 within the
    time limit with what is ready and say what is not; once the aggregate is stopped at
    ``summary_timeout_s`` (its worker killed), they say why. The statistics page, whose aggregates end, is
    complete and cacheable then."""
    def runaway_facets(reads, base):
        reads.select(RUNAWAY)
        raise AssertionError("the runaway query ended")
    monkeypatch.setattr(api.summaries, "facet_options", runaway_facets)
    settings = Settings(query_timeout_s=2, summary_timeout_s=12)
    with running_client(settings, sample_store(settings)) as (c, _):
        for path in ("/", "/policies"):
            started = time.monotonic()
            r = c.get(path, headers={"Accept": "text/html"})
            took = time.monotonic() - started
            assert r.status_code == 200 and took < 5 + 3, (path, r.status_code, took)  # the pages' wait: 5 s
            assert 'id="pending"' in r.text and r.headers["cache-control"] == "no-store", path
            assert "etag" not in r.headers and "being computed" in r.text, path
        deadline = time.monotonic() + 60
        while "could not be computed" not in (r := c.get("/")).text and time.monotonic() < deadline:
            time.sleep(0.5)
        assert "could not be computed" in r.text and "POLICYKG_SUMMARY_TIMEOUT_S" in r.text, r.text[:2000]
        while "policykg.nq.gz" not in r.text and time.monotonic() < deadline:  # queued behind the runaway
            time.sleep(0.5)
            r = c.get("/")
        assert "policykg.nq.gz" in r.text and "could not be computed" in r.text  # the rest of the page is there
        r = c.get("/stats")  # its aggregates were queued behind the runaway, and have ended since
        assert r.status_code == 200 and 'id="pending"' not in r.text and "<svg" in r.text and "etag" in r.headers


def test_dumps_of_a_store_on_disk_are_built_in_a_child_process(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The dumps of an on-disk store are built from a snapshot in a child process (in the server's own,
    the build held the interpreter for 46 s on 100,000 policies): the files are byte for byte those built
    in this process, the snapshot is removed after, and a child that fails is a StoreError naming why."""
    import tempfile
    from pathlib import Path

    from policykg.errors import StoreError

    settings = Settings(store_path=tmp_path / "store")
    store = sample_store(settings, tmp_path / "store")
    with tempfile.TemporaryDirectory() as out:
        api.meta.write_dumps(store, out)
        expected = {name: (Path(out) / name).read_bytes() for name in api.meta.DUMP_NAMES}
    built = api.meta.build_dumps(store, None, 120)
    assert {name: d.body for name, d in built.items()} == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]  # no snapshot left beside the store
    import sys

    monkeypatch.setattr(sys, "executable", "/bin/false")  # a child that fails
    with pytest.raises(StoreError, match=r"building the dumps failed \(exit status 1\)"):
        api.meta.build_dumps(store, None, 120)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


def test_the_background_thread_ends_when_idle_and_starts_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api.summaries, "IDLE_THREAD_S", 0.1)
    store = _Store()
    s = _summaries(store)
    assert s.get("k", _version("v1"), lambda: 1).value == 1
    deadline = time.monotonic() + 10
    while s._thread is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert s._thread is None
    store.tag = "v2"
    assert s.get("k", _version("v2"), lambda: 2).value == 2  # a new thread took the job
