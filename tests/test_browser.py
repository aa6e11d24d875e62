"""A real browser on a policy page: headless Debian ``chromium`` renders it (no JavaScript needed),
its DOM holds the targets table, and a screenshot is saved under ``tests/artifacts/`` (git-ignored).

Skipped cleanly when no chromium binary is installed (``apt-get install chromium``).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import threading
import time
import warnings
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator

import pytest
import rdflib
from rdflib import URIRef

from api import create_app
from policykg.rdfio import parse_rdf_file
from policykg.settings import Settings
from policykg.store import OxigraphStore

DATA = Path(__file__).parent / "data" / "sample.trig"
ARTIFACTS = Path(__file__).parent / "artifacts"
BASE = "https://w3id.org/policykg/"
POLICY = "cn-guidance-on-the-high-quality-development-of-distribution-networks-under-the-new-circumstances"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")

#: Flags for a quiet, isolated headless run (no network of its own, no first-run UI).
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
         "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    import uvicorn  # noqa: PLC0415

    store = OxigraphStore(None, BASE)
    ds = parse_rdf_file(DATA)
    store.replace_graphs({g.identifier: rdflib.Graph() + g for g in ds.graphs()
                          if len(g) and isinstance(g.identifier, URIRef)})
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        app = create_app(Settings(base_iri=BASE), store)
    srv = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
        sock.close()


def chromium(*args: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],  # type: ignore[list-item]
                              capture_output=True, text=True, timeout=90, check=False)


class TableReader(HTMLParser):
    """Rows (lists of cell texts) of the table with id ``targets``."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._in = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and dict(attrs).get("id") == "targets":
            self._in = True
        elif self._in and tag == "tr":
            self.rows.append([])
        elif self._in and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in = False
        elif self._in and tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def test_policy_page_in_a_browser(server: str) -> None:
    url = f"{server}/id/policy/{POLICY}"  # the browser follows the 303 and negotiates HTML
    dom = chromium("--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    reader = TableReader()
    reader.feed(dom.stdout)
    assert reader.rows[0][:5] == ["Indicator", "Year", "Comparator", "Value as written", "Normalised"]
    by_indicator = {r[0]: r for r in reader.rows[1:]}
    assert by_indicator["distributed new energy capacity supported by distribution networks"][3] == "500 million kilowatts"
    assert len(by_indicator) == 4

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "policy.png"
    shot.unlink(missing_ok=True)
    result = chromium(f"--screenshot={shot}", "--window-size=1280,1400", url)
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 10_000  # a rendered page, not a blank one


def test_query_editor_runs_a_query(server: str) -> None:
    """GET /query: the bundled YASGUI (no CDN) sends the example query to /sparql and shows the rows."""
    dom = chromium("--virtual-time-budget=8000", "--dump-dom", f"{server}/query#run")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "CodeMirror" in dom.stdout  # the editor was built by the bundled script
    assert "million kilowatts" in dom.stdout  # a result row of the example query


def test_api_docs_render_offline(server: str) -> None:
    """GET /docs: the bundled Swagger UI (no CDN; the browser has no network of its own) lists the operations."""
    dom = chromium("--virtual-time-budget=8000", "--dump-dom", f"{server}/docs")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "opblock" in dom.stdout and "/api/queries" in dom.stdout


def test_canned_queries_list_is_a_page_of_forms_in_a_browser(server: str) -> None:
    """GET /api/queries with the browser's own Accept: the HTML list, a form per query (JSON for other clients)."""
    dom = chromium("--dump-dom", f"{server}/api/queries")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert dom.stdout.count('<form class="params"') >= 12
    assert 'action="/api/queries/targets-due-in-year"' in dom.stdout
