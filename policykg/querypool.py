"""Running public SPARQL queries where they can be stopped.

pyoxigraph cannot interrupt a query from Python (no timeout, no cancel:
``shared/design/library-pitfalls.md``), so a runaway query in the server
process would hold a CPU core until it ends. :class:`QueryPool` runs public
queries in a few worker processes instead:

* the server process keeps the embedded store for writes;
* workers read an immutable **checkpoint** of it: ``Store.backup(dir)``
  (a RocksDB checkpoint: hard links, cheap), taken when the store's data
  version (``Store.data_version().tag``, changed in the same transaction as
  every write) differs from the last checkpoint's. A reader sees the old or
  the new checkpoint, never half a write. For an in-memory store (tests) the
  checkpoint is an N-Quads dump bulk-loaded into a temporary on-disk store;
  that costs time proportional to the data, so it is meant for small graphs;
* each worker opens the checkpoint with ``Store.read_only`` (nobody writes a
  checkpoint, so this is the supported read-only use);
* a query past its deadline gets its worker killed (``SIGKILL``: the CPU is
  freed at once) and a replacement started in the background; the caller
  gets :class:`~policykg.errors.QueryTimeout` (503) within the deadline;
* results are serialised by pyoxigraph inside the worker (no Python per
  row); SELECT results are limited to ``max_rows`` with an explicit
  ``truncated`` flag (see :func:`policykg.sparql.limit_query`);
* workers have no network (:func:`isolate_network`, Linux): a ``SERVICE``
  that got past inspection reaches no host.

The pool is thread-safe: :meth:`QueryPool.run` is called from the web
server's thread pool; at most ``workers`` queries run at once and the others
wait for a free worker within their own deadline, first come first served.

**Fairness.** One client may hold at most ``per_client`` workers at once
(by default one fewer than ``workers``), so that a client sending several
runaway queries cannot keep everyone else waiting until they time out: a
worker stays free for the next client. A client's further queries wait for
its own running ones; one that cannot start within its deadline because of
them is refused with :class:`~policykg.errors.TooManyQueries` (429), not the
pool's 503. The client is the ``client`` argument, or :data:`QUERY_CLIENT`
(set per request by the web application: see :func:`client_key`).
"""

from __future__ import annotations

import collections
import contextlib
import contextvars
import ipaddress
import itertools
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pyoxigraph as ox

from . import errors as _errors
from .errors import PolicyKGError, QueryError, QueryTimeout, StoreError, TooManyQueries

__all__ = ["QueryJob", "InspectJob", "PublicQueryJob", "plan_public", "run_public", "QueryOutcome", "QueryPool", "RESULTS_FORMATS", "RDF_FORMATS", "execute", "term_tuple", "isolate_network", "FormMismatch", "PipeWorker", "QUERY_CLIENT", "client_key", "PooledReads", "POOLED_MAX_ROWS"]

log = logging.getLogger("policykg.querypool")

#: Who the queries run in this context are for (a :func:`client_key`), or None: not counted against any
#: client's share of the pool. Set per request by the web application (``api.app.PolicyKGApp``).
QUERY_CLIENT: contextvars.ContextVar[str | None] = contextvars.ContextVar("policykg_query_client", default=None)


def client_key(host: str | None) -> str | None:
    """The key a client's queries are counted under: its IP address, or for IPv6 its /64 network.

    ``host`` is the peer address of the connection (ASGI ``scope["client"][0]``; behind a proxy that uvicorn
    trusts, the ``X-Forwarded-For`` address). An IPv6 host is usually handed a whole /64 (RFC 4291 §2.5.1,
    RFC 8273), so counting single addresses would let one host take every worker; an IPv4-mapped IPv6
    address counts as its IPv4 address. None (no peer, e.g. a Unix socket) stays None; a host that is no
    IP address (a test client's ``"testclient"``) is its own key.
    """
    if not host:
        return None
    try:
        addr = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return host
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.ipv4_mapped is not None:
            return str(addr.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{addr}/64", strict=False))
    return str(addr)

#: Short names of the SPARQL results formats -> pyoxigraph formats.
RESULTS_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
#: Short names of RDF formats (``policykg.rdfio.FORMATS`` names) -> pyoxigraph formats.
RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}


@dataclass(frozen=True)
class QueryJob:
    """One query to run.

    ``sparql``: the text (already inspected and limited by the caller);
    ``form``: SELECT/ASK/CONSTRUCT/DESCRIBE; ``fmt``: a key of
    :data:`RESULTS_FORMATS` (SELECT/ASK) or :data:`RDF_FORMATS`
    (CONSTRUCT/DESCRIBE); ``default_graphs``/``named_graphs``: IRIs of the
    protocol's ``default-graph-uri``/``named-graph-uri`` (None = not given:
    the default graph is the union of the named graphs);
    ``substitutions``: ``(variable name, term_tuple(term))`` pairs, bound by
    the engine (see :func:`term_tuple`); ``max_rows``: the
    row (SELECT) or triple (CONSTRUCT/DESCRIBE) limit; ``prefixes`` for
    Turtle-family output; ``base_iri`` resolves relative IRIs in the query.
    """

    sparql: str
    form: str
    fmt: str
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    substitutions: tuple[tuple[str, tuple[str, str, str]], ...] = ()
    max_rows: int = 10_000
    prefixes: tuple[tuple[str, str], ...] = ()
    base_iri: str | None = None


@dataclass(frozen=True)
class InspectJob:
    """Inspect (parse and classify) ``sparql`` in a worker: see :func:`policykg.sparql.inspect_query`."""

    sparql: str
    base_iri: str | None = None
    max_bytes: int | None = None


@dataclass(frozen=True)
class PublicQueryJob:
    """A query from the public endpoint, inspected *and* run in one worker round trip.

    ``sparql`` is untrusted text; ``results_fmt`` / ``rdf_fmt`` are the
    formats content negotiation chose for SELECT/ASK and for
    CONSTRUCT/DESCRIBE (None: not acceptable, raises NotAcceptable once the
    form is known); ``default_graphs`` / ``named_graphs`` come from the
    protocol (None: not given); IRIs under ``local_prefix`` or naming a graph
    of the store are the only ones allowed in dataset clauses.
    """

    sparql: str
    results_fmt: str | None
    rdf_fmt: str | None
    base_iri: str | None = None
    max_bytes: int | None = None
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    max_rows: int = 10_000
    local_prefix: str = ""
    prefixes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class QueryOutcome:
    """Serialised results: ``data`` bytes, ``truncated`` when rows were cut at ``max_rows``, ``elapsed_s``;
    for a :class:`PublicQueryJob` also the query ``form`` and the format ``fmt`` used."""

    data: bytes
    truncated: bool = False
    elapsed_s: float = 0.0
    form: str = ""
    fmt: str = ""


def plan_public(job: PublicQueryJob, graph_names: Any, info: Any = None) -> tuple[QueryJob, Any]:
    """Inspect a :class:`PublicQueryJob` and turn it into the :class:`QueryJob` to run, and its ``QueryInfo``.

    ``graph_names()`` returns the set of graph IRIs (strings) of the store,
    called only when a dataset IRI is not under ``job.local_prefix``;
    ``info`` is the query's ``QueryInfo`` when already known (else
    :func:`policykg.sparql.inspect_query` runs).
    Raises QueryError/QueryRefused (inspection, dataset), NotAcceptable, PayloadTooLarge.
    """
    from .errors import NotAcceptable  # noqa: PLC0415
    from .sparql import check_dataset, inspect_query, limit_query  # noqa: PLC0415

    if info is None:
        info = inspect_query(job.sparql, max_bytes=job.max_bytes, base_iri=job.base_iri)
    fmt = job.results_fmt if info.form in ("SELECT", "ASK") else job.rdf_fmt
    if fmt is None:
        formats = RESULTS_FORMATS if info.form in ("SELECT", "ASK") else RDF_FORMATS
        media = ", ".join(f.media_type.split(";")[0] for f in formats.values())
        raise NotAcceptable(f"no acceptable format for the results of this {info.form} query; ask for one of: "
                            f"{media}")
    cache: dict[str, set[str]] = {}

    def allowed(iri: str) -> bool:
        if job.local_prefix and iri.startswith(job.local_prefix):
            return True
        if "names" not in cache:
            cache["names"] = set(graph_names())
        return iri in cache["names"]

    check_dataset(info.default_graphs, allowed, clause="FROM")
    check_dataset(info.named_graphs, allowed, clause="FROM NAMED")
    check_dataset(job.default_graphs or (), allowed, clause="default-graph-uri")
    check_dataset(job.named_graphs or (), allowed, clause="named-graph-uri")
    default_graphs, named_graphs = job.default_graphs, job.named_graphs
    if default_graphs is None and named_graphs is None and (info.default_graphs or info.named_graphs):
        # the query's own FROM / FROM NAMED (SPARQL 1.1 Query §13.2), which
        # use_default_graph_as_union would otherwise override
        default_graphs, named_graphs = info.default_graphs, info.named_graphs
    if default_graphs is not None and named_graphs is None:
        named_graphs = ()
    if named_graphs is not None and default_graphs is None:
        default_graphs = ()
    text = limit_query(job.sparql, info, job.max_rows) if info.form == "SELECT" else job.sparql
    return QueryJob(text, info.form, fmt, default_graphs=default_graphs, named_graphs=named_graphs,
                    max_rows=job.max_rows, prefixes=job.prefixes, base_iri=job.base_iri), info


def run_public(store: ox.Store, job: PublicQueryJob) -> QueryOutcome:
    """Inspect, plan and run a :class:`PublicQueryJob` on ``store``; the outcome carries form and format.

    A query whose tokens settle its form and show no ``SERVICE`` or ``FROM``
    (:func:`policykg.sparql.provisional_info`) is run without parsing it
    twice: the engine's own parse validates it. When that parse fails, the
    full inspection runs on the text and raises the error it finds (syntax
    error with line and column, refused update). Same errors as
    :func:`plan_public` and :func:`execute`.
    """
    from .sparql import inspect_query, provisional_info  # noqa: PLC0415

    def graph_names() -> set[str]:
        return {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}

    info = provisional_info(job.sparql, max_bytes=job.max_bytes)
    out = None
    if info is not None:
        plan, info = plan_public(job, graph_names, info)
        try:
            out = execute(store, plan)
        except FormMismatch:
            out = None  # the tokens misled: plan again from the full inspection
        except QueryError:
            inspect_query(job.sparql, max_bytes=job.max_bytes, base_iri=job.base_iri)  # raises the precise error
            raise
    if out is None:
        full = inspect_query(job.sparql, max_bytes=job.max_bytes, base_iri=job.base_iri, thorough=info is not None)
        plan, info = plan_public(job, graph_names, full)
        out = execute(store, plan)
    return QueryOutcome(out.data, out.truncated, out.elapsed_s, info.form, plan.fmt)


def term_tuple(term: Any) -> tuple[str, str, str]:
    """An rdflib term as a picklable ``(kind, value, datatype or language)`` tuple for :class:`QueryJob`.

    ``kind`` is ``iri``, ``bnode``, ``lang`` (language-tagged literal) or ``typed`` (other literals).
    """
    from rdflib import BNode, Literal, URIRef  # noqa: PLC0415

    if isinstance(term, URIRef):
        return ("iri", str(term), "")
    if isinstance(term, BNode):
        return ("bnode", str(term), "")
    if isinstance(term, Literal):
        if term.language:
            return ("lang", str(term), term.language)
        return ("typed", str(term), str(term.datatype) if term.datatype else "http://www.w3.org/2001/XMLSchema#string")
    raise TypeError(f"cannot bind {term!r}")


def _term(t: tuple[str, str, str]) -> Any:
    """The pyoxigraph term of a :func:`term_tuple`."""
    kind, value, extra = t
    if kind == "iri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if kind == "lang":
        return ox.Literal(value, language=extra)
    return ox.Literal(value, datatype=ox.NamedNode(extra))


class _Overdue(Exception):
    """A worker's job ran past its deadline (raised inside :meth:`QueryPool._lease`)."""


class FormMismatch(QueryError):
    """The engine's result is not of the form the job was planned for (a provisional form was wrong)."""


def execute(store: ox.Store, job: QueryJob) -> QueryOutcome:
    """Run ``job`` on ``store`` and serialise its results with pyoxigraph (in the calling process).

    Raises :class:`QueryError` (with line/column) for a syntax error and for
    a form/format mismatch.
    """
    from .sparql import (csv_results, order_columns, star_columns, syntax_error_message,  # noqa: PLC0415
                         truncate_results)
    from .store import error_position  # noqa: PLC0415

    start = time.perf_counter()
    kwargs: dict[str, Any] = {"base_iri": job.base_iri}
    if job.default_graphs is not None or job.named_graphs is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
        if job.named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    else:
        kwargs["use_default_graph_as_union"] = True
    if job.substitutions:
        kwargs["substitutions"] = {ox.Variable(k): _term(v) for k, v in job.substitutions}
    try:
        result = store.query(job.sparql, **kwargs)
    except SyntaxError as exc:
        line, column = error_position(str(exc))
        raise QueryError(syntax_error_message(job.sparql, exc), line=line, column=column) from None
    except RuntimeError as exc:
        raise QueryError(str(exc)) from None
    truncated = False
    solutions = isinstance(result, (ox.QueryBoolean, ox.QuerySolutions))
    if job.form and solutions != (job.form in ("SELECT", "ASK")):
        raise FormMismatch(f"the query is not a {job.form} query")
    if isinstance(result, ox.QueryBoolean):
        data = result.serialize(format=RESULTS_FORMATS[job.fmt])
    elif isinstance(result, ox.QuerySolutions) and job.fmt == "csv":
        data, truncated = csv_results(result, job.max_rows)  # quoted as RFC 4180 says (pyoxigraph's is not)
    elif isinstance(result, ox.QuerySolutions):
        data = result.serialize(format=RESULTS_FORMATS[job.fmt])
        data, truncated = truncate_results(data, job.fmt, job.max_rows)
    else:
        triples = list(itertools.islice(result, job.max_rows + 1))
        truncated = len(triples) > job.max_rows
        data = ox.serialize(triples[:job.max_rows], format=RDF_FORMATS[job.fmt],
                            prefixes=dict(job.prefixes) or None)
    if isinstance(result, ox.QuerySolutions) and (columns := star_columns(job.sparql)):
        data = order_columns(data, job.fmt, columns)  # SELECT *: in the query's order, not pyoxigraph's
    return QueryOutcome(data, truncated, time.perf_counter() - start)


def _worker_main(conn: Any) -> None:
    """Worker loop: receive ``(checkpoint_dir, job)``, answer ``("ok", outcome)`` or an error tuple."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    store = None
    opened = None
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        checkpoint, job = msg
        try:
            if isinstance(job, InspectJob):
                from .sparql import inspect_query  # noqa: PLC0415

                conn.send(("ok", inspect_query(job.sparql, max_bytes=job.max_bytes, base_iri=job.base_iri)))
                continue
            if checkpoint != opened:
                store, opened = None, None  # a failed open must not leave a stale 'opened'
                store = ox.Store.read_only(checkpoint)
                opened = checkpoint
            if isinstance(job, PublicQueryJob):
                conn.send(("ok", run_public(store, job)))
                continue
            conn.send(("ok", execute(store, job)))
        except QueryError as exc:
            conn.send(("query", exc.detail, exc.extra, type(exc).__name__))
        except PolicyKGError as exc:
            conn.send(("policykg", exc.detail, exc.extra, type(exc).__name__))
        except Exception as exc:  # noqa: BLE001 - reported to the server, which logs it
            conn.send(("error", f"{type(exc).__name__}: {exc}", {}, ""))


def _serve(read_fd: int, write_fd: int) -> None:
    """Entry point of a worker process: serve jobs over two pipe file descriptors."""
    isolated = isolate_network()  # first, while the process has a single thread
    from multiprocessing.connection import Connection  # noqa: PLC0415

    # Import the inspection stack now, while the server prepares the checkpoint, not on the first query.
    from . import sparql as _sparql  # noqa: F401, PLC0415
    from rdflib.plugins.sparql import parser as _parser, algebra as _algebra  # noqa: F401, PLC0415

    conn = _Duplex(Connection(read_fd, writable=False), Connection(write_fd, readable=False))
    conn.send(("ready", isolated))
    _worker_main(conn)


#: ``unshare(2)`` flags (``<sched.h>``): a new network namespace, and a new user namespace to be
#: allowed one without CAP_SYS_ADMIN.
_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000


def isolate_network() -> bool:
    """Move the calling process into a new, empty network namespace (Linux); True when it worked.

    Defence in depth for the query workers: Oxigraph evaluates ``SERVICE``
    over HTTP, and inspection refuses it, but a query that fools the
    inspection must still not reach any host (not even loopback: the new
    namespace has no interface up). Tries ``unshare(CLONE_NEWNET)`` (root),
    then with ``CLONE_NEWUSER`` (unprivileged user namespaces). Files stay
    readable. Must run before the process starts a thread. Returns False,
    changing nothing, where the kernel or the container forbids it.
    """
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # noqa: PLC0415

    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    for flags in (_CLONE_NEWNET, _CLONE_NEWUSER | _CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return True
    return False


class _Duplex:
    """Two one-way ``Connection`` objects used as one duplex connection."""

    def __init__(self, reader: Any, writer: Any):
        self.reader, self.writer = reader, writer

    def send(self, obj: Any) -> None:
        self.writer.send(obj)

    def recv(self) -> Any:
        return self.reader.recv()

    def poll(self, timeout: float) -> bool:
        return self.reader.poll(timeout)

    def fileno(self) -> int:
        """File descriptor to wait on for a reply."""
        return self.reader.fileno()

    def close(self) -> None:
        for c in (self.reader, self.writer):
            try:
                c.close()
            except OSError:
                pass


_PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)


class PipeWorker:
    """A worker process started with ``subprocess`` (not ``multiprocessing`` spawn, which
    re-imports the caller's ``__main__`` module) and talking over two pipes (:attr:`conn`).

    The child runs ``{module}.{function}(read_fd, write_fd, *args)`` (``args`` given by their
    ``repr``); :meth:`kill` ends it at once (``SIGKILL``: a runaway job's CPU and memory are freed),
    :meth:`stop` asks it to end and kills it when it does not. The query pool's and the validation
    pool's workers (:class:`policykg.validation.ValidationPool`) are both of this kind.
    """

    #: what the worker is called in log messages
    label = "worker"
    #: seconds :meth:`stop` waits for the worker to end before killing it
    stop_wait_s = 1.0

    def __init__(self, module: str, function: str, *args: str) -> None:
        from multiprocessing.connection import Connection  # noqa: PLC0415

        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        extra = "".join(f", {a!r}" for a in args)
        code = (f"import sys; sys.path.insert(0, {_PACKAGE_ROOT!r}); "
                f"from {module} import {function}; {function}({to_child_r}, {from_child_w}{extra})")
        self.process = subprocess.Popen([sys.executable, "-c", code], pass_fds=(to_child_r, from_child_w),
                                        stdin=subprocess.DEVNULL)
        os.close(to_child_r)
        os.close(from_child_w)
        self.conn = _Duplex(Connection(from_child_r, writable=False), Connection(to_child_w, readable=False))

    def kill(self) -> None:
        """SIGKILL the worker and close its pipes."""
        try:
            self.process.kill()
        except ProcessLookupError:
            pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            log.error("%s %s did not die", self.label, self.process.pid)
        self.conn.close()

    def stop(self) -> None:
        """Ask the worker to end (``None`` on its pipe); kill it when it does not within :attr:`stop_wait_s`."""
        try:
            self.conn.send(None)
            self.process.wait(timeout=self.stop_wait_s)
            self.conn.close()
        except (OSError, ValueError, EOFError, subprocess.TimeoutExpired):
            self.kill()


class _Worker(PipeWorker):
    """A query worker (:func:`_serve`): it runs query jobs on checkpoints of the store."""

    label = "query worker"

    def __init__(self) -> None:
        super().__init__("policykg.querypool", "_serve")
        self.checkpoint: str | None = None
        self.network_isolated = False

    def wait_ready(self, timeout_s: float = 120.0) -> None:
        """Block until the worker has imported its modules (start-up is not charged to any query).

        Sets :attr:`network_isolated` from the worker's report (:func:`isolate_network`).
        """
        try:
            if self.conn.poll(timeout_s):
                message = self.conn.recv()
                if isinstance(message, tuple) and message[0] == "ready":
                    self.network_isolated = bool(message[1])
                    if not self.network_isolated:
                        log.warning("query worker %s could not leave the network namespace "
                                    "(unshare refused): SERVICE refusal relies on inspection alone",
                                    self.process.pid)
                    return
        except (EOFError, OSError):
            pass
        self.kill()
        raise StoreError(f"a query worker did not start within {timeout_s:g} s")


@dataclass
class _Checkpoint:
    tag: str
    path: Path
    users: int = 0


#: A worker handed over with less time than this left (seconds) is given back unused: the query could not
#: finish, and sending it would only get the worker killed.
_MIN_TIME_LEFT_S = 0.05


@dataclass(eq=False)
class _Waiter:
    """A query waiting for a worker: a blocked thread (``event``) or an asyncio ``future`` on ``loop``.

    :meth:`QueryPool._dispatch` sets ``worker`` (threads; for asyncio also, until the hand-over has run on
    the loop) or the future's result, with the client's count already raised. ``held_back``: the client
    was at its share while this query waited (so a timeout is the client's own doing: 429).
    """

    client: str | None
    event: threading.Event | None = None
    loop: Any = None
    future: Any = None
    worker: Any = None
    held_back: bool = False


class QueryPool:
    """A pool of ``workers`` processes answering queries on checkpoints of ``store``.

    ``store`` is a :class:`policykg.store.OxigraphStore` (on disk or in
    memory); ``timeout_s`` is the wall-clock limit of one query, waiting for
    a free worker included; ``checkpoint_root`` is where checkpoints go
    (default: ``<store_path>.query-checkpoints/<pid>-<id>`` beside an on-disk store, or in
    ``scratch_dir`` when given (``POLICYKG_SCRATCH_DIR``), so that checkpoints are hard links;
    a temporary directory for an in-memory store). A store opened read-only (``store.read_only``: a served snapshot
    that nothing writes) is its own checkpoint: workers open its directory and
    no copy is made. Workers start lazily on first use.
    Call :meth:`close` to stop them (also done at interpreter exit).
    """

    def __init__(self, store: Any, *, workers: int = 2, timeout_s: float = 10.0,
                 checkpoint_root: Path | str | None = None, scratch_dir: Path | str | None = None,
                 per_client: int | None = None):
        self.store = store
        self.size = max(1, workers)
        #: Most workers one client may hold at once (see the module's "Fairness"): default one fewer than
        #: ``workers`` (1 with one worker); ``workers`` or more: no per-client limit.
        self.per_client = max(1, self.size - 1 if per_client is None else per_client)
        self.timeout_s = timeout_s
        self._own_root = checkpoint_root is None
        store_path = getattr(store, "path", None)
        #: The read-only store's own directory, used as the one checkpoint (never deleted).
        self._fixed: _Checkpoint | None = None
        #: The checkpoint root beside an on-disk store (a policykg.store.OwnedDir), deleted by close().
        self._owned: Any = None
        if getattr(store, "read_only", False) and store_path is not None:
            self._fixed = _Checkpoint("read-only", Path(store_path))
            self._own_root = False
            self.root = Path(store_path)
        elif checkpoint_root is not None:
            self.root = Path(checkpoint_root)
        elif store_path is not None:
            # Beside the store: a RocksDB checkpoint hard-links its files only on the same file system
            # (elsewhere it copies them). Leftovers of killed processes are removed.
            from .store import OwnedDir, scratch_folder  # noqa: PLC0415 - not in the workers, which import this

            self._owned = OwnedDir(scratch_folder(store_path, "query-checkpoints", scratch_dir))
            self.root = self._owned.path
        else:
            self.root = Path(tempfile.mkdtemp(prefix="policykg-ckpt-"))
        if self._fixed is None:
            self.root.mkdir(parents=True, exist_ok=True)
        #: Free workers, queries waiting for one (first come first served, among clients under their
        #: share), and how many workers each client holds; all guarded by ``_dispatch_lock``.
        self._free: collections.deque[_Worker] = collections.deque()
        self._waiting: collections.deque[_Waiter] = collections.deque()
        self._held: collections.Counter = collections.Counter()
        #: asyncio waiters handed a worker whose hand-over has not run on their loop yet.
        self._handing: set[_Waiter] = set()
        self._dispatch_lock = threading.Lock()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._ckpt_lock = threading.Lock()
        self._current: _Checkpoint | None = None
        self._checkpoints: dict[str, _Checkpoint] = {}
        self._started = False
        self._closed = False
        self._tag_pattern: tuple | None = None
        #: Counters for tests and /metrics: queries run, timeouts, workers replaced, queries refused
        #: because their client held its share of the workers (429).
        self.stats = {"queries": 0, "timeouts": 0, "replaced": 0, "client_limited": 0}

    # -- workers --------------------------------------------------------
    def ensure_started(self) -> float:
        """Start the workers if they are not yet (first use); return the seconds spent waiting for them, so
        that a caller with a deadline of its own (:class:`PooledReads`) need not charge it the start-up."""
        if self._started:
            return 0.0
        began = time.monotonic()
        self._start()
        return time.monotonic() - began

    def _start(self) -> None:
        with self._lock:
            if self._started:
                return
            started = [_Worker() for _ in range(self.size)]
            for w in started:
                w.wait_ready()
                self._all.append(w)
                self._release(w, None)
            self._started = True

    def _retire(self, dead: _Worker, client: str | None) -> None:
        """Kill ``dead`` (held for ``client``) now (SIGKILL frees its CPU at once) and start a replacement in
        the background.

        The client's share is given back only when the replacement is ready (or cannot start): a client
        whose runaways are killed must not take, meanwhile, the workers that stay for everyone else."""
        try:
            dead.process.kill()
        except ProcessLookupError:
            pass
        with self._lock:
            if dead in self._all:
                self._all.remove(dead)
        threading.Thread(target=self._replace, args=(dead, client), daemon=True).start()

    def _replace(self, dead: _Worker, client: str | None) -> None:
        worker: _Worker | None = None
        try:
            dead.kill()  # reap
            self._release_checkpoint(dead.checkpoint)
            worker = _Worker()
            worker.wait_ready()
            with self._lock:
                if self._closed:
                    worker.stop()
                    worker = None
                else:
                    self._all.append(worker)
                    self.stats["replaced"] += 1
        except StoreError:
            log.exception("cannot replace a query worker")
            worker = None
        finally:
            # the client's share comes back with the replacement (or when there can be none)
            with self._dispatch_lock:
                self._give_back(client)
                if worker is not None:
                    self._free.append(worker)
                self._dispatch()

    @property
    def pids(self) -> list[int]:
        """Process ids of the live workers."""
        return [w.process.pid for w in list(self._all)]

    # -- checkpoints ----------------------------------------------------
    def _data_tag(self) -> str:
        """The store's data version tag (``Store.data_version().tag``), read by a direct index lookup.

        The version triple ``<meta> pkg:dataVersion "tag"`` in graph ``<meta>`` is
        written in the same transaction as every write (``policykg.store``).
        """
        if self._tag_pattern is None:
            meta = ox.NamedNode(str(self.store.meta_graph))
            self._tag_pattern = (meta, ox.NamedNode("https://w3id.org/policykg/ontology#dataVersion"), None, meta)
        for quad in self.store.raw.quads_for_pattern(*self._tag_pattern):
            return str(quad.object.value)
        return "0"

    def _pin(self, ckpt: _Checkpoint) -> _Checkpoint:
        """Count one more user of ``ckpt`` (caller holds ``_ckpt_lock``): it is not deleted until unpinned."""
        ckpt.users += 1
        return ckpt

    def _unpin(self, ckpt: _Checkpoint | None) -> None:
        """Release a pin taken by :meth:`_checkpoint`; an old checkpoint with no user left is deleted."""
        if ckpt is None:
            return
        with self._ckpt_lock:
            ckpt.users -= 1
            self._collect(ckpt)

    def _checkpoint(self) -> _Checkpoint:
        """The checkpoint of the store's current data, pinned for the caller (see :meth:`_unpin`).

        Pinning closes a race: without it, a checkpoint replaced by a newer one
        was deleted between being chosen for a job and a worker opening it.
        """
        if self._fixed is not None:
            return self._fixed  # nobody writes it: never replaced, so never deleted
        tag = self._data_tag()
        with self._ckpt_lock:
            cur = self._current
            if cur is not None and cur.tag == tag:
                return self._pin(cur)
            path = self.root / f"{tag}-{uuid.uuid4().hex[:8]}"
            if getattr(self.store, "path", None) is not None:
                self.store.snapshot(path)  # a RocksDB checkpoint: hard links
            else:
                raw: ox.Store = self.store.raw
                try:
                    tmp = ox.Store(str(path))
                    tmp.bulk_load(raw.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
                    tmp.flush()
                    del tmp
                except OSError as exc:
                    raise StoreError(f"cannot checkpoint the store for queries: {exc}") from exc
            new = _Checkpoint(tag, path)
            self._checkpoints[str(path)] = new
            old, self._current = self._current, new
            if old is not None:
                self._collect(old)
            return self._pin(new)

    def _collect(self, ckpt: _Checkpoint) -> None:
        if ckpt is self._fixed:
            return  # the read-only store itself
        if ckpt is not self._current and ckpt.users <= 0:
            self._checkpoints.pop(str(ckpt.path), None)
            shutil.rmtree(ckpt.path, ignore_errors=True)

    def _release_checkpoint(self, path: str | None) -> None:
        if path is None:
            return
        with self._ckpt_lock:
            ckpt = self._checkpoints.get(path)
            if ckpt is not None:
                ckpt.users -= 1
                self._collect(ckpt)

    def _assign(self, worker: _Worker, ckpt: _Checkpoint) -> None:
        with self._ckpt_lock:
            if worker.checkpoint == str(ckpt.path):
                return
            ckpt.users += 1
            previous = self._checkpoints.get(worker.checkpoint or "")
            worker.checkpoint = str(ckpt.path)
            if previous is not None:
                previous.users -= 1
                self._collect(previous)

    # -- running ----------------------------------------------------------
    def run(self, job: QueryJob | PublicQueryJob, timeout_s: float | None = None, *,
            client: str | None = None) -> QueryOutcome:
        """Run ``job`` in a worker for ``client`` (default :data:`QUERY_CLIENT`); return its :class:`QueryOutcome`.

        A :class:`PublicQueryJob` is inspected in the worker first (see
        :func:`plan_public`), so parsing is inside the deadline as well.

        Raises :class:`QueryTimeout` when no answer came within ``timeout_s``
        (default: the pool's), after killing the worker; :class:`QueryError`
        for a query the engine rejects; :class:`StoreError` when a worker
        died or failed unexpectedly; :class:`TooManyQueries` when the query
        could not start in time because ``client``'s own queries held its
        share of the workers.
        """
        return self._request(job, timeout_s, client if client is not None else QUERY_CLIENT.get())

    def inspect(self, sparql: str, *, base_iri: str | None = None, max_bytes: int | None = None,
                timeout_s: float | None = None) -> Any:
        """:func:`policykg.sparql.inspect_query` run in a worker, so that a query whose mere parsing is
        slow (Oxigraph's parser is superlinear on long UNION chains) is stopped at the deadline too.

        Returns the ``QueryInfo``; raises what ``inspect_query`` raises, or :class:`QueryTimeout`.
        """
        return self._request(InspectJob(sparql, base_iri, max_bytes), timeout_s, QUERY_CLIENT.get())

    def _request(self, job: Any, timeout_s: float | None, client: str | None) -> Any:
        if self._closed:
            raise StoreError("the query pool is closed")
        limit = self.timeout_s if timeout_s is None else timeout_s
        self._start()  # first use: wait for the workers to start, outside the query's deadline
        deadline = time.monotonic() + limit
        ckpt = None if isinstance(job, InspectJob) else self._checkpoint()
        try:
            return self._request_on(job, ckpt, limit, deadline, client)
        finally:
            self._unpin(ckpt)

    def _waited_in_vain(self, limit: float, client: str | None, held_back: bool) -> PolicyKGError:
        """Why a query of ``client`` waited ``limit`` seconds in vain: the pool closed (:class:`StoreError`);
        its client's own queries held its share of the workers while it waited (``held_back``:
        :class:`TooManyQueries`); or every worker was busy with other clients' queries."""
        if self._closed:
            return StoreError("the query pool is closed")
        self.stats["timeouts"] += 1
        if client is not None and held_back:
            self.stats["client_limited"] += 1
            return TooManyQueries(
                f"this client already had {self.per_client} {'query' if self.per_client == 1 else 'queries'} "
                f"running, the most one client may run at once, and this one could not start within {limit:g} s; "
                "wait for them to end or send fewer at once (other clients are served meanwhile; the operator "
                "sets the share with POLICYKG_QUERY_WORKERS_PER_CLIENT)", limit=self.per_client)
        return QueryTimeout(
            f"all {self.size} query workers were busy with other queries for {limit:g} s, so this one did not "
            "start; try again later (lookups by IRI and pages do not wait for them; the operator can add "
            "workers with POLICYKG_QUERY_WORKERS)")

    # -- handing out workers ------------------------------------------------
    def _may_take(self, client: str | None) -> bool:
        """Whether ``client`` is under its share (caller holds ``_dispatch_lock``); None is never limited."""
        return client is None or self._held[client] < self.per_client

    def _take(self, client: str | None) -> _Worker | None:
        """A free worker for ``client`` now, counted against its share, or None (caller holds the lock).

        By :meth:`_dispatch`'s invariant, a free worker means no waiting query could take it, so a newcomer
        under its share jumps no queue."""
        if self._handing:
            self._reclaim_stranded()
        if self._free and self._may_take(client):
            if client is not None:
                self._held[client] += 1
            return self._free.popleft()
        return None

    def _give_back(self, client: str | None) -> None:
        """``client`` holds one worker fewer (caller holds ``_dispatch_lock``)."""
        if client is not None:
            self._held[client] -= 1
            if self._held[client] <= 0:
                del self._held[client]

    def _dispatch(self) -> None:
        """Hand free workers to waiting queries in arrival order, skipping clients at their share (caller
        holds ``_dispatch_lock``). Afterwards no free worker is left that a waiting query could take."""
        if self._handing:
            self._reclaim_stranded()
        if not self._waiting:
            return
        for waiter in list(self._waiting):
            if waiter.future is not None and (waiter.future.done() or waiter.loop.is_closed()):
                self._waiting.remove(waiter)  # timed out or cancelled; its own code has stopped waiting
                continue
            if not self._may_take(waiter.client):
                waiter.held_back = True
                continue
            if not self._free:
                continue  # keep marking the waiters held back by their share
            worker = self._take(waiter.client)
            self._waiting.remove(waiter)
            waiter.worker = worker
            if waiter.event is not None:
                waiter.event.set()
                continue
            self._handing.add(waiter)
            try:
                waiter.loop.call_soon_threadsafe(self._hand_over, waiter)
            except RuntimeError:  # the loop closed meanwhile
                self._handing.discard(waiter)
                waiter.worker = None
                self._give_back(waiter.client)
                self._free.appendleft(worker)

    def _reclaim_stranded(self) -> None:
        """Take back workers handed to an event loop that closed before it ran the hand-over (caller holds
        ``_dispatch_lock``): the callback will never run, so the worker and the client's count would be lost."""
        for waiter in list(self._handing):
            if waiter.loop.is_closed() and waiter.worker is not None:
                self._handing.discard(waiter)
                worker, waiter.worker = waiter.worker, None
                self._give_back(waiter.client)
                self._free.append(worker)

    def _wait_for_worker(self, client: str | None, limit: float, deadline: float) -> _Worker:
        """A worker for ``client`` (blocking until ``deadline``, a ``time.monotonic()`` value); raises
        :class:`QueryTimeout` / :class:`TooManyQueries` (see :meth:`_waited_in_vain`) when none came."""
        with self._dispatch_lock:
            worker = self._take(client)
            if worker is not None:
                return worker
            waiter = _Waiter(client, event=threading.Event(), held_back=not self._may_take(client))
            self._waiting.append(waiter)
        waiter.event.wait(max(0.0, deadline - time.monotonic()))  # type: ignore[union-attr]
        with self._dispatch_lock:
            worker = waiter.worker
            if worker is None and waiter in self._waiting:
                self._waiting.remove(waiter)
        if worker is not None:
            if deadline - time.monotonic() >= _MIN_TIME_LEFT_S:
                return worker
            self._release(worker, client)  # too late to run: the worker stays alive for the next query
        raise self._waited_in_vain(limit, client, waiter.held_back)

    def _request_on(self, job: Any, ckpt: _Checkpoint | None, limit: float, deadline: float,
                    client: str | None) -> Any:
        worker = self._wait_for_worker(client, limit, deadline)
        with self._lease(worker, limit, client):
            if ckpt is not None:
                self._assign(worker, ckpt)
            worker.conn.send((None if ckpt is None else str(ckpt.path), job))
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                raise _Overdue
            reply = worker.conn.recv()
        return self._decode(reply)

    @contextlib.contextmanager
    def _lease(self, worker: _Worker, limit: float, client: str | None) -> Iterator[None]:
        """One job on ``worker``, held for ``client``: it is released afterwards, or retired (killed,
        replaced) when the job ran past ``limit`` s (:class:`_Overdue`: QueryTimeout) or its pipe broke
        (StoreError)."""
        retired = False
        try:
            yield
        except _Overdue:
            self.stats["timeouts"] += 1
            self._retire(worker, client)
            retired = True
            raise QueryTimeout(f"the query ran past the limit of {limit:g} s and was stopped") from None
        except (EOFError, OSError) as exc:
            self._retire(worker, client)
            retired = True
            raise StoreError(f"a query worker died: {exc}") from None
        except BaseException:
            # Cancelled (the request went away) or interrupted with the job possibly sent: the worker may
            # still be running it and would send its reply to the next query. Kill it (which also frees the
            # CPU of a runaway); the client's share comes back with the replacement.
            self._retire(worker, client)
            retired = True
            raise
        finally:
            if not retired:
                self._release(worker, client)

    def _release(self, worker: _Worker, client: str | None) -> None:
        """``client`` (None: nobody, a new worker) is done with ``worker``: hand it to the oldest waiting query
        that may take it, else keep it free."""
        with self._dispatch_lock:
            self._give_back(client)
            self._free.append(worker)
            self._dispatch()

    def _hand_over(self, waiter: _Waiter) -> None:
        # On the waiter's event loop: the waiter may have timed out meanwhile.
        with self._dispatch_lock:
            if waiter not in self._handing:
                return  # reclaimed: the loop was found closed (cannot happen while it runs this; kept safe)
            self._handing.discard(waiter)
            worker, waiter.worker = waiter.worker, None
        if waiter.future.done():
            self._release(worker, waiter.client)
        else:
            waiter.future.set_result(worker)

    def _decode(self, reply: tuple) -> Any:
        self.stats["queries"] += 1
        kind = reply[0]
        if kind == "ok":
            return reply[1]
        if kind in ("query", "policykg"):
            cls = getattr(_errors, reply[3], QueryError)
            err = cls.__new__(cls)
            PolicyKGError.__init__(err, reply[1], **reply[2])
            raise err
        log.error("query worker failed: %s", reply[1])
        raise StoreError(f"the query failed in the engine: {reply[1]}")

    async def run_async(self, job: QueryJob | PublicQueryJob, timeout_s: float | None = None, *,
                        client: str | None = None) -> QueryOutcome:
        """:meth:`run` for an asyncio event loop, without a thread hop when a worker is free.

        Waits for a free worker on an asyncio future (workers are handed to
        waiters in arrival order) and for the worker's reply with
        ``loop.add_reader`` on its pipe; falls back to :meth:`run` in a thread
        when the pool is not started or the store changed since the last
        checkpoint (a new checkpoint is made there). Same results and errors
        as :meth:`run`.
        """

        from starlette.concurrency import run_in_threadpool  # noqa: PLC0415 - the server's thread pool

        client = client if client is not None else QUERY_CLIENT.get()
        with self._ckpt_lock:
            cur = self._current
            fresh = not (self._closed or not self._started or cur is None or cur.tag != self._data_tag())
            if fresh:
                self._pin(cur)
        if not fresh:
            return await run_in_threadpool(lambda: self.run(job, timeout_s, client=client))
        try:
            return await self._run_async_on(job, cur, timeout_s, client)
        finally:
            self._unpin(cur)

    async def _run_async_on(self, job: Any, cur: _Checkpoint, timeout_s: float | None,
                            client: str | None) -> QueryOutcome:
        import asyncio  # noqa: PLC0415

        limit = self.timeout_s if timeout_s is None else timeout_s
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        with self._dispatch_lock:
            worker = self._take(client)
            if worker is None:
                waiter = _Waiter(client, loop=loop, future=loop.create_future(), held_back=not self._may_take(client))
                self._waiting.append(waiter)
        if worker is None:
            try:
                worker = await asyncio.wait_for(waiter.future, timeout=limit)
            except (asyncio.TimeoutError, asyncio.CancelledError) as exc:
                with self._dispatch_lock:
                    if waiter in self._waiting:
                        self._waiting.remove(waiter)
                # A worker handed over as the wait ended (Python 3.12+ wait_for drops a result that comes in
                # the iteration of its timeout; a cancelled request) goes back, or it would be lost.
                fut = waiter.future
                if fut.done() and not fut.cancelled() and fut.exception() is None:
                    self._release(fut.result(), client)
                if isinstance(exc, asyncio.CancelledError):
                    raise
                raise self._waited_in_vain(limit, client, waiter.held_back) from None
            if deadline - loop.time() < _MIN_TIME_LEFT_S:
                self._release(worker, client)  # too late to run: the worker stays alive for the next query
                raise self._waited_in_vain(limit, client, waiter.held_back)
        ready: asyncio.Future = loop.create_future()
        fd = worker.conn.fileno()
        with self._lease(worker, limit, client):
            self._assign(worker, cur)
            worker.conn.send((str(cur.path), job))
            loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
            try:
                await asyncio.wait_for(ready, timeout=max(0.0, deadline - loop.time()))
            except asyncio.TimeoutError:
                raise _Overdue from None
            finally:
                loop.remove_reader(fd)
            # add_reader may leave the pipe non-blocking (uvloop does): a reply larger than the
            # pipe buffer would then fail with EAGAIN half-way; read it in blocking mode.
            os.set_blocking(fd, True)
            reply = worker.conn.recv()
        return self._decode(reply)

    def close(self) -> None:
        """Stop every worker and delete the checkpoints this pool made; queries waiting for a worker end at
        once with :class:`StoreError` ("the query pool is closed")."""
        with self._lock:
            self._closed = True
            workers, self._all = self._all, []
        with self._dispatch_lock:
            waiting, self._waiting = list(self._waiting), collections.deque()
        closed = StoreError("the query pool is closed")
        for waiter in waiting:
            if waiter.event is not None:
                waiter.event.set()  # wakes with no worker: _wait_for_worker raises StoreError (closed)
            elif not waiter.loop.is_closed():
                try:
                    waiter.loop.call_soon_threadsafe(
                        lambda fut=waiter.future: fut.done() or fut.set_exception(closed))
                except RuntimeError:  # the loop closed meanwhile
                    pass
        for w in workers:
            w.stop()
        if self._owned is not None:
            self._owned.release()
        elif self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)
        else:
            for ckpt in list(self._checkpoints.values()):
                shutil.rmtree(ckpt.path, ignore_errors=True)

    def __enter__(self) -> "QueryPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


#: Most rows (or triples) one :class:`PooledReads` query may answer: the application's own queries are not
#: cut at the public row limit, but a result this large is a fault, not a page.
POOLED_MAX_ROWS = 1_000_000


class PooledReads:
    """A store's read API (``select``, ``ask``, ``construct``) answered by a :class:`QueryPool`'s workers,
    for the application's own queries that scan (the pages' lists, statistics and aggregates).

    In the server process such a query cannot be stopped: with a policy held in three named graphs,
    Oxigraph 0.5 multiplies the rows of every join over it (oxigraph#1919) and ``/year/2025`` ran 190 s
    on one core, to its end, whoever had asked. Here it runs where it is killed at the deadline. The
    deadline is one for all the queries of one object (one page): ``timeout_s`` from its creation;
    ``past_deadline`` is the :class:`~policykg.errors.QueryTimeout`'s detail when a query would start past it.

    Results are the store's own shapes: ``select`` a :class:`~policykg.store.SelectRows` of rdflib terms
    (read from SPARQL 1.1 Query Results JSON, §3), ``ask`` a bool, ``construct`` an rdflib Graph (read
    from N-Triples). Any other attribute is the wrapped store's. With no pool (a remote store, which
    has its own timeout), every call goes to the store itself.

    Raises :class:`~policykg.errors.QueryTimeout` (503) past the deadline,
    :class:`~policykg.errors.TooManyQueries` (429) when the client's share of the workers is busy,
    :class:`~policykg.errors.QueryError` for a query the engine refuses, and
    :class:`~policykg.errors.StoreError` when a worker fails or a result exceeds :data:`POOLED_MAX_ROWS`.
    """

    def __init__(self, store: Any, pool: "QueryPool | None", timeout_s: float,
                 past_deadline: str = "the page's queries ran past the query time limit"):
        self._store, self._pool = store, pool
        self._deadline = time.monotonic() + timeout_s
        self._past_deadline = past_deadline

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def _run(self, sparql: str, bindings: Any, form: str, fmt: str) -> bytes:
        self._deadline += self._pool.ensure_started()  # type: ignore[union-attr] # start-up is not the page's
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise QueryTimeout(self._past_deadline)
        job = QueryJob(sparql, form, fmt, max_rows=POOLED_MAX_ROWS,
                       substitutions=tuple((k, term_tuple(v)) for k, v in (bindings or {}).items()))
        try:
            outcome = self._pool.run(job, remaining)  # type: ignore[union-attr]
        except TooManyQueries:
            raise
        except QueryTimeout:  # stopped at what remained of this object's deadline: say which limit it was
            raise QueryTimeout(f"{self._past_deadline} and were stopped") from None
        if outcome.truncated:
            raise StoreError(f"a query of the application answered more than {POOLED_MAX_ROWS} rows")
        return outcome.data

    def select(self, sparql: str, bindings: Any = None) -> Any:
        """The solutions of a SELECT, as the store's ``select`` gives them."""
        if self._pool is None:
            return self._store.select(sparql, bindings)
        import json  # noqa: PLC0415

        from .remote import _from_json  # noqa: PLC0415 - the one reader of JSON result terms
        from .store import SelectRows  # noqa: PLC0415

        doc = json.loads(self._run(sparql, bindings, "SELECT", "json"))
        return SelectRows(({k: _from_json(v) for k, v in row.items()} for row in doc["results"]["bindings"]),
                          doc.get("head", {}).get("vars", []))

    def ask(self, sparql: str, bindings: Any = None) -> bool:
        """The answer of an ASK."""
        if self._pool is None:
            return self._store.ask(sparql, bindings)
        import json  # noqa: PLC0415

        return bool(json.loads(self._run(sparql, bindings, "ASK", "json"))["boolean"])

    def construct(self, sparql: str, bindings: Any = None) -> Any:
        """The triples of a CONSTRUCT or DESCRIBE, as an rdflib Graph."""
        if self._pool is None:
            return self._store.construct(sparql, bindings)
        import rdflib  # noqa: PLC0415

        return rdflib.Graph().parse(data=self._run(sparql, bindings, "CONSTRUCT", "ntriples").decode("utf-8"),
                                    format="nt")
