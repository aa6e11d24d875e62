"""Shared tools of the hardening tests (``tests/test_hardening_*.py``), and tests of the tools themselves.

* :class:`Recorder`: an HTTP server on a loopback port that records every
  request it gets. Hostile inputs point their remote ``@context``, XML
  external entity, ``SERVICE`` or ``FROM`` at it; a test then asserts zero
  hits. :func:`test_recorder_records_a_hit` proves the recorder does see a
  request, so "zero hits" means something.
* :func:`client_for`: an in-process ``TestClient`` on
  ``api.create_app(settings, store)``.
* :func:`need`: skip a test, naming the part of the project that is not
  written yet.
* :func:`dump_without_meta`: a store's N-Quads dump, sorted, without the meta
  graph (whose data-version triples change on every write).
* :func:`timed`: run a callable and return (result or exception, seconds).

Other hardening modules import from here (``tests/`` is on ``sys.path`` when
pytest runs from the project root).
"""

from __future__ import annotations

import http.server
import importlib
import threading
import time
import urllib.request
import warnings
from pathlib import Path
from typing import Any, Callable

import pytest

__all__ = ["Recorder", "client_for", "need", "need_attr", "dump_without_meta", "timed", "SHARED"]

#: ``shared/`` beside the project (design docs, corpus).
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
#: The hostile input corpus of these tests.
HOSTILE = Path(__file__).resolve().parent / "hostile"


class Recorder:
    """An HTTP/1.0 server on ``127.0.0.1`` (free port) recording each request's method and path.

    Use as a context manager; ``url`` is its base URL (ending in ``/``),
    ``hits`` the list of ``(method, path)`` received. It answers every GET
    with a small JSON-LD context / DTD-like body, so a client that does reach
    it gets something parseable (a fetch is then visible, not hidden behind a
    connection error).
    """

    def __init__(self) -> None:
        self.hits: list[tuple[str, str]] = []
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _record(self) -> None:
                recorder.hits.append((self.command, self.path))
                body = b'{"@context": {"ex": "http://example.org/"}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/ld+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_POST = do_HEAD = do_PUT = _record

            def log_message(self, *args: Any) -> None:  # quiet
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    def __enter__(self) -> "Recorder":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def recorder():
    """A running :class:`Recorder`."""
    with Recorder() as rec:
        yield rec


def need(module: str, part: str) -> Any:
    """Import ``module`` or skip the test, naming the missing ``part`` of the project."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        pytest.skip(f"{part} is not written yet ({module}: {exc})")


def need_attr(module: str, attr: str, part: str) -> Any:
    """``module.attr`` or skip, naming the missing ``part``."""
    mod = need(module, part)
    value = getattr(mod, attr, None)
    if value is None:
        pytest.skip(f"{part} is not written yet ({module}.{attr} missing)")
    return value


def client_for(settings: Any, store: Any, **kwargs: Any) -> Any:
    """A ``fastapi.testclient.TestClient`` on ``api.create_app(settings, store)``.

    ``raise_server_exceptions`` defaults to False: an unexpected exception
    must show as the 500 a real client would see.
    """
    with warnings.catch_warnings():
        # starlette 1.x warns when the test client runs on httpx rather than httpx2.
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient  # noqa: PLC0415
    from api import create_app  # noqa: PLC0415

    kwargs.setdefault("raise_server_exceptions", False)
    return TestClient(create_app(settings, store), **kwargs)


def dump_without_meta(nquads: bytes, meta_suffix: bytes = b"graph/meta> .") -> list[bytes]:
    """Sorted N-Quads lines of ``nquads`` without those of the meta graph (data-version triples)."""
    return sorted(line.rstrip() for line in nquads.splitlines()
                  if line.strip() and not line.rstrip().endswith(meta_suffix))


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    """``(value or raised exception, wall seconds)`` of ``fn()``."""
    started = time.perf_counter()
    try:
        value = fn()
    except BaseException as exc:  # noqa: BLE001 - the caller inspects it
        value = exc
    return value, time.perf_counter() - started


# --- tests of the tools ----------------------------------------------------------------------------


def test_recorder_records_a_hit(recorder: Recorder) -> None:
    """A real request reaches the recorder, so "zero hits" in other tests is a real observation."""
    with urllib.request.urlopen(recorder.url + "ctx.jsonld", timeout=5) as resp:
        assert resp.status == 200
    assert recorder.hits == [("GET", "/ctx.jsonld")]


def test_dump_without_meta_drops_only_the_meta_graph() -> None:
    dump = (b'<http://x/a> <http://x/p> "1" <https://w3id.org/policykg/graph/doc> .\n'
            b'<http://x/m> <http://x/v> "abc" <https://w3id.org/policykg/graph/meta> .\n')
    assert dump_without_meta(dump) == [b'<http://x/a> <http://x/p> "1" <https://w3id.org/policykg/graph/doc> .']
