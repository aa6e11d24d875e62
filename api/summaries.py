"""Aggregates over the whole store, computed in the background once per data version.

The landing page's counts and filter options, the statistics pictures, the sitemap, VoID's counts and
the dumps each read the whole store. Their cost grows with it: on the benchmark's graph of 100,000
synthetic policies (``benchmarks/bench_sparql.py``), measured 2026-11-30, the filter options took 30 s of
Oxigraph, the sitemap's list 12 s, the dumps 46 s. Computed within a request, such an aggregate ran past
the pages' query time limit, so the landing page was a 503 on every visit and nothing was ever kept.

Here each aggregate is computed by one background thread per application, after the data version
changes, with a time limit of its own (``settings.summary_timeout_s``), and kept until the next change.
A value is the data version's that the store had both before and after it was computed; one computed
while a write landed is kept as the latest, stale value, never as any version's. A page asks
:meth:`Summaries.get`: it waits a short while (``Summaries.wait_s``) for an aggregate being computed,
and otherwise gets the latest value (marked stale) or none yet, and says so (:class:`Summary`). The
store's queries of an aggregate go to a query pool of their own (:func:`api.sparql.get_summary_pool`,
one worker), so that they never hold a worker the pages need.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Generic, Iterable, TypeVar

from policykg.describe import facet_options, graph_counts
from policykg.errors import NotReady, PolicyKGError
from policykg.querypool import QUERY_CLIENT
from policykg.store import DataVersion

__all__ = ["Summary", "Summaries", "SUMMARY_CLIENT", "RETRY_AFTER_FAILURE_S", "list_aggregates", "pending_notice", "not_ready"]

log = logging.getLogger(__name__)

T = TypeVar("T")

#: The query pool's client name for the background aggregates.
SUMMARY_CLIENT = "policykg:summaries"
#: Seconds the background thread waits for work before it ends (the next request starts another), so
#: that an application no longer used (a test's) leaves no thread behind.
IDLE_THREAD_S = 60.0
#: Seconds before an aggregate whose computation failed (past its time limit, a worker lost) is tried
#: again; until then pages show the failure.
RETRY_AFTER_FAILURE_S = 60.0


@dataclass(frozen=True)
class Summary(Generic[T]):
    """What a page gets for one aggregate: ``value`` (None when none is ready yet), ``fresh`` (True when
    ``value`` is that of the data version the page read), ``error`` (why the last computation failed, else
    None), ``since`` (seconds since the computation under way was asked for; 0 when fresh) and
    ``retry_in`` (seconds until it is worth asking again: the time left of a computation, estimated from
    the last one of the same aggregate, or before a failed one is tried again; None when unknown)."""

    value: T | None
    fresh: bool
    error: str | None = None
    since: float = 0.0
    retry_in: float | None = None

    @property
    def ready(self) -> bool:
        """True when ``value`` is that of the data version the page read."""
        return self.fresh and self.value is not None


class _Entry:
    """One aggregate's state: the latest value and the data version it is exactly of (None for a value
    computed while the data changed), whether a computation is queued or running (``pending``, since
    ``asked``, ``done`` set when it ends), the last failure and when, and how long the last run took."""

    def __init__(self) -> None:
        self.value: Any = None
        self.value_tag: str | None = None
        self.pending = False
        self.asked = 0.0
        self.done = threading.Event()
        self.error: str | None = None
        self.failed_at = 0.0
        self.took: float | None = None


class Summaries:
    """The background aggregates of one application (see the module docstring).

    ``version``: a function answering the store's current :class:`~policykg.store.DataVersion` (called by
    the thread before and after each computation, and by requests). ``wait_s``: how long a request waits,
    at most, for computations under way (seconds). Computations run one at a time, in the order asked, in
    one daemon thread, each with :data:`~policykg.querypool.QUERY_CLIENT` set to :data:`SUMMARY_CLIENT`.
    :meth:`close` (the application's shutdown) stops the thread and what it started (:meth:`on_close`);
    a later request starts them again.
    """

    def __init__(self, version: Callable[[], DataVersion], wait_s: float = 5.0):
        self.wait_s = wait_s
        self._version = version
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()
        self._jobs: queue.Queue[tuple[str, Callable[[], Any], threading.Event] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._on_close: list[Callable[[], None]] = []

    def get(self, key: str, version: DataVersion, compute: Callable[[], T], wait_s: float | None = None) -> Summary[T]:
        """The aggregate ``key`` for data version ``version`` (the one the page read): kept from an earlier
        computation, else computed by ``compute()`` in the background thread (asked for once while the store
        has a data version no value is exactly of; after a failure, again after
        :data:`RETRY_AFTER_FAILURE_S`), waited for at most ``wait_s`` (default :attr:`wait_s`) and never
        past ``wait_s`` after the computation was asked for: while a long one runs, the pages after the
        first answer at once.

        ``compute`` runs the store's queries through :meth:`api.app.AppContext.summary_reads` (or works
        elsewhere, as the dumps do); what it raises is kept as the :class:`Summary`'s ``error``
        (a :class:`~policykg.errors.PolicyKGError`'s detail; any other exception is logged with its
        traceback and named by its type). Never raises."""
        return self.get_many(version, {key: compute}, wait_s)[key]

    def get_many(self, version: DataVersion, computes: dict[str, Callable[[], Any]],
                 wait_s: float | None = None) -> dict[str, Summary[Any]]:
        """:meth:`get` for each ``{key: compute}``: all asked for first, then waited for within one
        ``wait_s`` (default :attr:`wait_s`) in all, not one each."""
        span = self.wait_s if wait_s is None else max(0.0, wait_s)
        tag = version.tag
        waits: list[tuple[threading.Event, float]] = []
        # the page may have read its version before a write: ask the store (not holding the lock: a remote
        # store answers over HTTP), when some value is not of the page's version
        stale = any(self._entries.get(k) is None or self._entries[k].value_tag != tag for k in computes)
        current = self._current_tag() if stale else tag
        with self._lock:
            now = time.monotonic()
            deadline = now + span
            for key, compute in computes.items():
                entry = self._entries.setdefault(key, _Entry())
                if entry.value_tag == tag:
                    continue
                if not entry.pending:
                    failed_lately = entry.error is not None and now - entry.failed_at < RETRY_AFTER_FAILURE_S
                    if entry.value_tag != current and not failed_lately:
                        entry.pending, entry.asked = True, now
                        entry.done = threading.Event()
                        self._jobs.put((key, compute, entry.done))
                        self._start()
                if entry.pending:
                    waits.append((entry.done, min(deadline, entry.asked + span)))
        for done, until in waits:
            done.wait(max(0.0, until - time.monotonic()))
        out: dict[str, Summary[Any]] = {}
        with self._lock:
            now = time.monotonic()
            for key in computes:
                entry = self._entries[key]
                if entry.value_tag == tag:
                    out[key] = Summary(entry.value, True)
                    continue
                if entry.pending:
                    left = None if entry.took is None else max(1.0, entry.took - (now - entry.asked))
                    out[key] = Summary(entry.value, False, None, now - entry.asked, left)
                else:
                    left = max(1.0, RETRY_AFTER_FAILURE_S - (now - entry.failed_at)) if entry.error else None
                    out[key] = Summary(entry.value, False, entry.error, 0.0, left)
        return out

    def on_close(self, stop: Callable[[], None]) -> None:
        """Call ``stop()`` at :meth:`close` (to end what a computation started elsewhere: a child process)."""
        with self._lock:
            self._on_close.append(stop)

    def close(self) -> None:
        """Stop (the application's shutdown): the computations asked for and not begun are dropped, the
        thread ends after the one under way, and what :meth:`on_close` registered is called (a dumps' child
        process is killed, so the one under way ends at once). Idempotent; a later request starts again."""
        with self._lock:
            stops, self._on_close = self._on_close, []
            while True:
                try:
                    job = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if job is not None:
                    key, _, done = job
                    self._entries[key].pending = False
                    done.set()
            if self._thread is not None:
                self._jobs.put(None)
        for stop in stops:
            try:
                stop()
            except Exception:  # noqa: BLE001 - shutting down: log and go on
                log.exception("stopping a background aggregate failed")

    def _current_tag(self) -> str | None:
        try:
            return self._version().tag
        except Exception:  # noqa: BLE001 - the store does not answer: compute, and let the job report it
            return None

    def _start(self) -> None:
        """Start the thread unless it runs (called holding the lock, as the thread's decision to end is)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="policykg-summaries", daemon=True)
            self._thread.start()

    def _work(self) -> None:
        QUERY_CLIENT.set(SUMMARY_CLIENT)
        while True:
            try:
                job = self._jobs.get(timeout=IDLE_THREAD_S)
            except queue.Empty:
                with self._lock:  # jobs are put holding it: none can be missed between this check and the end
                    if self._jobs.empty():
                        self._thread = None
                        return
                continue
            if job is None:  # closed
                with self._lock:
                    self._thread = None
                    if not self._jobs.empty():  # asked for again since: a thread of its own takes them
                        self._start()
                return
            key, compute, done = job
            del job
            self._run(key, compute, done)
            del compute, done  # nothing of the last job (its closure holds the application) stays referenced

    def _run(self, key: str, compute: Callable[[], Any], done: threading.Event) -> None:
        started = time.monotonic()
        before = self._current_tag()
        value, error = None, None
        try:
            value = compute()
        except PolicyKGError as exc:
            error = exc.detail
        except Exception as exc:  # noqa: BLE001 - a bug: logged in full, shown by name, the thread lives on
            log.exception("computing the aggregate %r failed", key)
            error = f"internal error ({type(exc).__name__}); see the server log"
        after = self._current_tag()
        with self._lock:
            entry = self._entries[key]
            entry.pending = False
            if error is None:
                entry.value, entry.error = value, None
                # exactly that version's only when no write landed meanwhile; else the latest, stale value
                entry.value_tag = before if before is not None and before == after else None
                entry.took = time.monotonic() - started
            else:
                entry.error, entry.failed_at = error, time.monotonic()
            done.set()


def list_aggregates(ctx: Any) -> dict[str, Callable[[], Any]]:
    """The computations of the aggregates the landing page and the policy list share, by key, for
    :meth:`Summaries.get_many` of ``ctx.summaries`` (``ctx``: an :class:`api.app.AppContext`): ``"facets"``,
    the list's filter options with their counts (:func:`policykg.describe.facet_options`), and ``"counts"``,
    the instances of each class (:func:`policykg.describe.graph_counts`)."""
    return {"facets": lambda: facet_options(ctx.summary_reads(), ctx.settings.base_iri),
            "counts": lambda: graph_counts(ctx.summary_reads())}


def pending_notice(summaries: dict[str, Summary[Any]] | list[Summary[Any]]) -> str:
    """The notice a page shows when some of its aggregates are not of the data it read ("" when all are):
    being computed (for how long so far), or failed (why, and when they are tried again)."""
    items = list(summaries.values()) if isinstance(summaries, dict) else list(summaries)
    late = [s for s in items if not s.ready]
    if not late:
        return ""
    shown = ("figures of earlier data are shown" if all(s.value is not None for s in late)
             else "what is not ready yet is left out")
    failed = next((s for s in late if s.error), None)
    if failed is not None:
        return (f"Some figures on this page could not be computed for the current data ({failed.error}); {shown}. "
                f"They are tried again in {failed.retry_in or RETRY_AFTER_FAILURE_S:.0f} s.")
    since = max(s.since for s in late)
    return (f"Some figures on this page are being computed for the current data (started {since:.0f} s ago; "
            f"on a large store this takes minutes); {shown}. Reload the page later.")


def not_ready(what: str, summaries: Iterable[Summary[Any]]) -> NotReady:
    """The 503 for a document that must be complete (``what``: "the sitemap") while ``summaries`` are not all
    of the current data: being computed (since when), or failed (why); ``retry_after_s`` the longest
    :attr:`Summary.retry_in` (None when unknown)."""
    late = [s for s in summaries if not s.ready]
    failed = next((s for s in late if s.error), None)
    waits = [s.retry_in for s in late if s.retry_in is not None]
    retry = max(waits) if waits else None
    if failed is not None:
        return NotReady(f"{what} of the current data could not be computed ({failed.error}); it is tried again "
                        f"in {failed.retry_in or RETRY_AFTER_FAILURE_S:.0f} s", retry_after_s=retry)
    since = max((s.since for s in late), default=0.0)
    return NotReady(f"{what} of the current data is being computed in the background (started {since:.0f} s ago; "
                    "on a large store this takes minutes); try again later", retry_after_s=retry)
