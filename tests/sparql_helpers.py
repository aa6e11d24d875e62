"""Shared fixtures data for the SPARQL/canned-query tests: the sample dataset and an app on it."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import rdflib

from policykg.settings import Settings
from policykg.store import OxigraphStore

DATA = Path(__file__).parent / "data" / "sparql_sample.trig"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def bundled_briefing_store(settings: Settings, path: Path) -> OxigraphStore:
    """A store at ``path`` holding the bundled briefing as ``policykg load`` leaves it (with the ontology,
    reference data and vocabularies), opened."""
    from typer.testing import CliRunner

    from policykg.cli import app as cli
    from policykg.settings import PROJECT_ROOT

    sample = PROJECT_ROOT / "data" / "briefings" / "ccnt-2024-03-04.txt"
    result = CliRunner().invoke(cli, ["load", str(sample), "--store", str(path)])
    assert result.exit_code == 0, result.output
    return OxigraphStore(path, settings.base_iri)


def sample_store(settings: Settings, path: Path | None = None) -> OxigraphStore:
    """A store holding tests/data/sparql_sample.trig (one named graph per document); in memory unless ``path``."""
    store = OxigraphStore(path, settings.base_iri)
    ds = rdflib.Dataset()
    ds.parse(DATA, format="trig")
    graphs = {}
    for g in ds.graphs():
        if isinstance(g.identifier, rdflib.URIRef) and len(g) and str(g.identifier).startswith(settings.base_iri):
            graphs[g.identifier] = g
    store.replace_graphs(graphs)
    return store


def make_client(settings: Settings | None = None, store=None):
    """A TestClient on ``create_app(settings, store)`` (which adds CORS)."""
    import warnings

    with warnings.catch_warnings():
        # starlette 1.x warns at import that it prefers httpx2 (not installed); httpx works.
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from api.app import create_app

    settings = settings or Settings(query_timeout_s=5)
    store = store if store is not None else sample_store(settings)
    app = create_app(settings, store)  # CORS included
    return TestClient(app), app, store


@contextlib.contextmanager
def running_client(settings: Settings, store):
    """``(client, app)`` of :func:`make_client`, started; the app's query pools and background aggregates are
    closed on exit."""
    client, app, _ = make_client(settings, store)
    try:
        with client:
            yield client, app
    finally:
        cache = app.state.ctx.cache
        if cache.get("summaries") is not None:
            cache["summaries"].close()
        for key in ("querypool", "pagepool", "summarypool"):
            if cache.get(key) is not None:
                cache[key].close()


def small_store(path: Path, graphs: int, triples: int, *, blank_nodes: bool = False) -> None:
    """An embedded store at ``path`` with ``graphs`` named graphs of ``triples`` labelled policies each
    (and, with ``blank_nodes``, a blank node pointing at each, 7 per graph): data to dump and restore."""
    base = Settings().base_iri
    with OxigraphStore(path, base) as st:
        data = {}
        for g in range(graphs):
            graph = rdflib.Graph()
            for t in range(triples):
                policy = rdflib.URIRef(f"{base}id/policy/p{g}-{t}")
                graph.add((policy, rdflib.RDFS.label, rdflib.Literal(f"policy {g} {t}")))
                if blank_nodes:
                    graph.add((rdflib.BNode(f"b{g}x{t % 7}"), rdflib.RDFS.seeAlso, policy))
            data[rdflib.URIRef(f"{base}graph/g{g}")] = graph
        st.replace_graphs(data)


def hold(monkeypatch, owners, name: str, timeout_s: float = 30.0):
    """Replace the function ``name`` of each module in ``owners`` by one that waits for the returned
    ``threading.Event`` (at most ``timeout_s``) before it calls the original: an aggregate that takes as
    long as the test wants. The caller sets the event (also on teardown)."""
    import threading

    gate = threading.Event()
    real = getattr(owners[0], name)

    def held(*args, **kwargs):
        gate.wait(timeout_s)
        return real(*args, **kwargs)
    for owner in owners:
        monkeypatch.setattr(owner, name, held)
    return gate


_LIST_COUNT = re.compile(r'<p class="count">([^<]*)</p>')


def list_count_text(html: str) -> str:
    """The count line of a ``/policies`` page ("230 policies: 101 to 200 shown", "100+ policies")."""
    m = _LIST_COUNT.search(html)
    assert m, html[:500]
    return m.group(1)


def listed_rows(html: str) -> int:
    """How many policies the table of a ``/policies`` (or concept) page lists (0 when it has no table)."""
    body = html.split('<table id="policies">', 1)
    return body[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0].count("<tr>") if len(body) > 1 else 0
