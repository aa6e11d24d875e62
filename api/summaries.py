"""Aggregates over the whole store, computed in the background once per data version.

The landing page's counts and filter options, the statistics pictures, the sitemap, VoID's counts and
the dumps each read the whole store. Their cost grows with it: on the benchmark's graph of 100,000
synthetic policies (``benchmarks/bench_sparql.py``), measured 2026-11-30, the filter options took 30 s of
Oxigraph, the sitemap's list 12 s, the dumps 46 s. Computed within a request, such an aggregate ran past
the pages' query time limit, so the landing page was a 503 on every visit and nothing was ever kept.

Here each aggregate is computed by one background thread per application, after the data version
changes, with a time limit of its own (``settings.summary_timeout_s``), and kept until the next change.
A page asks :meth:`Summaries.get`: it waits a short while (``Summaries.wait_s``) for an aggregate being
computed, and otherwise gets the previous data version's value (marked stale) or none yet, and says so
(:class:`Summary`). The store's queries of an aggregate go to the pages' query pool as the client
:data:`SUMMARY_CLIENT`, which holds one of its workers at most, so pages keep the others.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Generic, TypeVar

from policykg.describe import facet_options
from policykg.errors import PolicyKGError
from policykg.querypool import QUERY_CLIENT
from policykg.store import DataVersion

__all__ = ["Summary", "Summaries", "SUMMARY_CLIENT", "RETRY_AFTER_FAILURE_S", "facets", "pending_notice"]

log = logging.getLogger(__name__)

T = TypeVar("T")

#: The query pool's client name for the background aggregates: their share of the pages' workers is one.
SUMMARY_CLIENT = "policykg:summaries"
#: Seconds the background thread waits for work before it ends (the next request starts another), so
#: that an application no longer used (a test's) leaves no thread behind.
IDLE_THREAD_S = 60.0
#: Seconds before an aggregate whose computation failed (past its time limit, a worker lost) is tried
#: again for the same data version; until then pages show the failure.
RETRY_AFTER_FAILURE_S = 60.0


@dataclass(frozen=True)
class Summary(Generic[T]):
    """What a page gets for one aggregate: ``value`` (None when no data version's value is ready yet),
    ``fresh`` (True when ``value`` is the current data version's), ``error`` (why the current version's
    computation failed, else None) and ``since`` (seconds since its computation was asked for, 0 when fresh)."""

    value: T | None
    fresh: bool
    error: str | None = None
    since: float = 0.0

    @property
    def ready(self) -> bool:
        """True when ``value`` is the current data version's."""
        return self.fresh and self.value is not None


class _Entry:
    """One aggregate's state: the last value and its version tag, the job asked for (tag, start, done event)."""

    def __init__(self) -> None:
        self.value: Any = None
        self.value_tag: str | None = None
        self.job_tag: str | None = None
        self.asked = 0.0
        self.done = threading.Event()
        self.error: str | None = None
        self.failed_at = 0.0


class Summaries:
    """The background aggregates of one application (see the module docstring).

    ``wait_s``: how long :meth:`get` waits, at most, for a computation under way (seconds); pages pass a
    shorter wait of their own when they have less time. Computations run one at a time, in the order asked,
    in one daemon thread, each with :data:`~policykg.querypool.QUERY_CLIENT` set to :data:`SUMMARY_CLIENT`.
    """

    def __init__(self, wait_s: float = 5.0):
        self.wait_s = wait_s
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()
        self._jobs: queue.Queue[tuple[str, str, Callable[[], Any], threading.Event]] = queue.Queue()
        self._thread: threading.Thread | None = None

    def get(self, key: str, version: DataVersion, compute: Callable[[], T], wait_s: float | None = None) -> Summary[T]:
        """The aggregate ``key`` for data version ``version``: kept from an earlier call, else computed by
        ``compute()`` in the background thread (asked for once per version; after a failure, again after
        :data:`RETRY_AFTER_FAILURE_S`), waited for at most ``wait_s`` (default :attr:`wait_s`) and never
        past ``wait_s`` after the computation was asked for: while a long one runs, the pages after the
        first answer at once.

        ``compute`` runs the store's queries through :meth:`api.app.AppContext.summary_reads` (or works
        in this process, as the dumps do); what it raises is kept as the :class:`Summary`'s ``error``
        (a :class:`~policykg.errors.PolicyKGError`'s detail; any other exception is logged with its
        traceback and named by its type). Never raises."""
        return self.get_many(version, {key: compute}, wait_s)[key]

    def get_many(self, version: DataVersion, computes: dict[str, Callable[[], Any]],
                 wait_s: float | None = None) -> dict[str, Summary[Any]]:
        """:meth:`get` for each ``{key: compute}``: all asked for first, then waited for within one
        ``wait_s`` (default :attr:`wait_s`) in all, not one each."""
        span = self.wait_s if wait_s is None else max(0.0, wait_s)
        deadline = time.monotonic() + span
        tag = version.tag
        waits: dict[str, tuple[_Entry, threading.Event, float]] = {}
        with self._lock:
            now = time.monotonic()
            for key, compute in computes.items():
                entry = self._entries.setdefault(key, _Entry())
                if entry.value_tag == tag:
                    continue
                retry = entry.job_tag == tag and entry.error is not None and now - entry.failed_at >= RETRY_AFTER_FAILURE_S
                if entry.job_tag != tag or retry:
                    entry.job_tag, entry.asked, entry.error = tag, now, None
                    entry.done = threading.Event()
                    self._jobs.put((key, tag, compute, entry.done))
                    self._start()
                waits[key] = (entry, entry.done, min(deadline, entry.asked + span))
        for entry, done, until in waits.values():
            done.wait(max(0.0, until - time.monotonic()))
        out: dict[str, Summary[Any]] = {}
        with self._lock:
            for key in computes:
                entry = self._entries[key]
                if entry.value_tag == tag:
                    out[key] = Summary(entry.value, True)
                else:
                    out[key] = Summary(entry.value, False, entry.error if entry.job_tag == tag else None,
                                       time.monotonic() - entry.asked)
        return out

    def _start(self) -> None:
        """Start the thread unless it runs (called holding the lock, as the thread's decision to end is)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="policykg-summaries", daemon=True)
            self._thread.start()

    def _work(self) -> None:
        QUERY_CLIENT.set(SUMMARY_CLIENT)
        while True:
            try:
                key, tag, compute, done = self._jobs.get(timeout=IDLE_THREAD_S)
            except queue.Empty:
                with self._lock:  # jobs are put holding it: none can be missed between this check and the end
                    if self._jobs.empty():
                        self._thread = None
                        return
                continue
            with self._lock:
                entry = self._entries[key]
                stale = entry.job_tag != tag or entry.value_tag == tag  # a newer version asked for meanwhile
            if stale:
                done.set()
                continue
            value, error = None, None
            try:
                value = compute()
            except PolicyKGError as exc:
                error = exc.detail
            except Exception as exc:  # noqa: BLE001 - a bug: logged in full, shown by name, the thread lives on
                log.exception("computing the aggregate %r failed", key)
                error = f"internal error ({type(exc).__name__}); see the server log"
            with self._lock:
                if entry.job_tag == tag:
                    if error is None:
                        entry.value, entry.value_tag = value, tag
                    else:
                        entry.error, entry.failed_at = error, time.monotonic()
                done.set()


def facets(ctx: Any, version: DataVersion, wait_s: float | None = None) -> Summary[dict[str, list[dict[str, Any]]]]:
    """The policy list's filter options with their counts (:func:`policykg.describe.facet_options`), as the
    background aggregate ``"facets"`` of ``ctx`` (an :class:`api.app.AppContext`)."""
    return ctx.summaries.get("facets", version, lambda: facet_options(ctx.summary_reads(), ctx.settings.base_iri),
                             wait_s)


def pending_notice(summaries: dict[str, Summary[Any]] | list[Summary[Any]]) -> str:
    """The notice a page shows when some of its aggregates are not the current data's ("" when all are):
    being computed (for how long so far), or failed (why)."""
    items = list(summaries.values()) if isinstance(summaries, dict) else list(summaries)
    late = [s for s in items if not s.ready]
    if not late:
        return ""
    failed = next((s.error for s in late if s.error), None)
    shown = "the previous data's figures are shown" if all(s.value is not None for s in late) else \
        "what is not ready yet is left out"
    if failed:
        return (f"Some figures on this page could not be computed for the current data ({failed}); {shown}. "
                f"They are tried again within {int(RETRY_AFTER_FAILURE_S)} seconds.")
    since = max(s.since for s in late)
    return (f"Some figures on this page are being computed for the current data (started {since:.0f} s ago; "
            f"on a large store this takes a minute or more); {shown}. Reload the page later.")
