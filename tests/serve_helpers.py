"""Helpers for tests that start real servers: ``policykg serve`` (tests/test_serve*.py) and
``oxigraph serve`` (remote-store tests), and the seeded reference store the attack tests share.

Servers are started in a session of their own (``start_new_session=True``) so that
:func:`kill_group` ends them with every server process and query worker they started.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from policykg.settings import PROJECT_ROOT

#: The command line of ``policykg serve`` in this interpreter (add ``--store``, ``--port``...).
SERVE = [sys.executable, "-c", "from policykg.cli import main; main()", "serve"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_env(**extra: str) -> dict[str, str]:
    """The environment for a served process: this one, access log off, the repository importable, ``extra``."""
    return dict(os.environ, POLICYKG_ACCESS_LOG="false", PYTHONPATH=str(PROJECT_ROOT), **extra)


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL ``proc`` and every process of its session, then reap ``proc``."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def answers(port: int, query: str = "ASK {}") -> bool:
    """True when ``GET /sparql?query=...`` on ``port`` gives a 2xx answer within 5 s."""
    url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": query})
    try:
        urllib.request.urlopen(url, timeout=5).read()
        return True
    except OSError:
        return False


def wait_for_sparql(endpoint: str, proc: subprocess.Popen, timeout_s: float) -> bool:
    """Wait until ``endpoint`` answers ``ASK {}``: True, or False when ``proc`` ends or ``timeout_s`` passes."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            urllib.request.urlopen(f"{endpoint}?query=ASK%7B%7D", timeout=2).read()
            return True
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                return False
            time.sleep(0.1)


@contextlib.contextmanager
def oxigraph_server(location: str, *, union_default_graph: bool = True) -> Iterator[str]:
    """A real ``oxigraph serve`` on a free loopback port over ``location``; yields its base URL.

    Skips the calling test when the binary (PyPI ``oxigraph``) is missing or
    the server does not answer within 15 s; kills it on exit.
    """
    binary = shutil.which("oxigraph")
    if binary is None:
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    port = free_port()
    args = [binary, "serve", "--location", location, "--bind", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(args + (["--union-default-graph"] if union_default_graph else []),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        if not wait_for_sparql(f"{url}/query", proc, 15):
            pytest.skip("the oxigraph server did not start")
        yield url
    finally:
        proc.kill()
        proc.wait()


def reference_seed(folder: Path) -> tuple[bytes, object, object]:
    """``(N-Quads of a store holding the ontology and reference data, a Validator, the CLI's curated reader)``.

    Built once per test module (a fresh store from it is cheap; building the reference data is not).
    """
    from policykg.cli import _curated_reader  # noqa: PLC0415 - what `policykg serve` passes to create_app
    from policykg.ingest import ensure_reference  # noqa: PLC0415
    from policykg.settings import Settings  # noqa: PLC0415
    from policykg.store import OxigraphStore  # noqa: PLC0415
    from policykg.validation import Validator  # noqa: PLC0415

    settings = Settings(store_path=folder / "store")
    store = OxigraphStore(settings.store_path, settings.base_iri)
    ensure_reference(store, settings)
    data = store.dump_nquads()
    store.close()
    return data, Validator(settings.shapes_dir, settings.ontology_dir, base_iri=settings.base_iri), _curated_reader


def post_validate(seed: tuple[bytes, object, object], body: str, content_type: str = "text/turtle"):
    """``POST /validate`` of ``body`` (JSON report asked for) to an app on a fresh store made from
    :func:`reference_seed`'s ``seed``, with its validator; the response."""
    from fastapi.testclient import TestClient  # noqa: PLC0415

    from api import create_app  # noqa: PLC0415
    from policykg.settings import Settings  # noqa: PLC0415
    from policykg.store import OxigraphStore  # noqa: PLC0415

    data, validator, _ = seed
    settings = Settings()
    store = OxigraphStore(None, settings.base_iri)
    store.restore_nquads(data)
    app = create_app(settings, store)
    app.state.ctx.cache["validator"] = validator
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            return client.post("/validate", content=body.encode("utf-8"),
                               headers={"Content-Type": content_type, "Accept": "application/json"})
    finally:
        store.close()
