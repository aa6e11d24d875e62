"""Regression tests for defects found by attacking the bounded-query fast path of /sparql.

SPARQL comments end at a carriage return as well as a line feed (SPARQL 1.1
Query §19.4: "until end of line (marked by characters 0x0D or 0x0A)"), and
Oxigraph follows that. The lexers of policykg.sparql (and rdflib's parser)
ended them at ``\\n`` only, so text after ``#...\\r`` was hidden from every
token-based check while the engine ran it. These tests pin the fixes.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import quote

import pytest

from policykg.errors import QueryRefused
from policykg.settings import Settings
from policykg.sparql import bounded_query_info, inspect_query, precheck
from tests.sparql_helpers import running_client, sample_store

ROOT = Path(__file__).resolve().parent.parent
CR = "\r"


@pytest.fixture()
def fresh(tmp_path):
    settings = Settings(query_timeout_s=5, max_result_rows=4)
    with running_client(settings, sample_store(settings, tmp_path / "store")) as (client, app):
        yield client, app


def _raw_get(app, query_string: bytes, headers: list[tuple[bytes, bytes]]) -> tuple[int, dict[str, str], bytes]:
    """One GET /sparql through the ASGI app with the query string and headers exactly as given (no client encoding)."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": "/sparql", "raw_path": b"/sparql", "query_string": query_string, "root_path": "",
             "headers": headers, "server": ("testserver", 80), "client": ("127.0.0.1", 1234)}
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    try:
        asyncio.run(app(scope, receive, send))
    except Exception:  # noqa: BLE001 - Starlette re-raises after sending its 500
        pass
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode(): v.decode("latin-1") for k, v in start["headers"]}, body


# --- carriage return ends a comment -------------------------------------------------------------

SMUGGLED = [
    # a join (and any other pattern) after "#\r" is code to Oxigraph, a comment to the classifier
    "SELECT * { ?s ?p ?o #\r . ?a ?b ?c \n}",
    "SELECT * { ?s ?p ?o #\r . { SELECT ?a { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f } \n}",
    "DESCRIBE <http://ex/a> #\r ?s WHERE { ?s ?p ?o }\n",
]


@pytest.mark.parametrize("query", SMUGGLED)
def test_carriage_return_does_not_hide_patterns_from_the_classifier(query):
    assert bounded_query_info(query) is None


def test_smuggled_join_is_not_run_in_the_server_process(fresh):
    client, app = fresh
    r = client.get("/sparql", params={"query": SMUGGLED[0]}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200
    assert "querypool" in app.state.ctx.cache  # the query went to a killable worker


def test_carriage_return_does_not_hide_nesting_from_precheck():
    with pytest.raises(QueryRefused):
        precheck("SELECT * { ?s ?p ?o #\r " + "{" * 100 + "\n}")


def test_deep_nesting_after_carriage_return_does_not_crash_the_server(tmp_path):
    script = textwrap.dedent(f"""
        import sys, warnings
        sys.path.insert(0, {str(ROOT)!r})
        from policykg.settings import Settings
        from tests.sparql_helpers import make_client, sample_store
        settings = Settings(query_timeout_s=5)
        client, app, store = make_client(settings, sample_store(settings, {str(tmp_path / 'store')!r}))
        query = "SELECT * {{ ?s ?p ?o #\\r " + "{{" * 3000 + "\\n}}"
        with client:
            r = client.get("/sparql", params={{"query": query}})
            print(r.status_code, r.headers.get("content-type"))
            pool = app.state.ctx.cache.get("querypool")
            if pool is not None:
                pool.close()
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"server process died with {done.returncode}: {done.stderr[-500:]}"
    assert done.stdout.split()[:2] == ["400", "application/problem+json"]


def test_service_after_carriage_return_is_refused():
    with pytest.raises(QueryRefused):
        inspect_query("SELECT * { #\r SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } \n}")


# --- request decoding -----------------------------------------------------------------------------

def test_raw_utf8_query_string_reads_like_the_route(fresh):
    _, app = fresh
    query = 'SELECT ?s ?p { ?s ?p "中国"@zh }'
    headers = [(b"host", b"testserver"), (b"accept", b"application/sparql-results+json")]
    encoded = _raw_get(app, ("query=" + quote(query)).encode("ascii"), headers)
    assert encoded[0] == 200 and b"region/CN" in encoded[2]
    raw = _raw_get(app, b"query=" + query.encode("utf-8"), headers)  # as curl sends an unencoded URL
    assert raw[0] == 200
    assert raw[2] == encoded[2]


def test_odd_host_header_is_not_a_server_error(fresh):
    _, app = fresh
    status, _, _ = _raw_get(app, b"query=" + quote("SELECT ?o { ?s ?p ?o }").encode(),
                            [(b"host", b"a%b"), (b"accept", b"application/sparql-results+json")])
    assert status < 500


# --- headers ---------------------------------------------------------------------------------------

def test_fast_path_answers_vary_on_origin(fresh):
    """The answer differs by Origin (CORS headers), so a shared cache must key on it; the routed answer says so."""
    client, _ = fresh
    query = "SELECT ?s { ?s ?p ?o } LIMIT 1"
    fast = client.get("/sparql", params={"query": query})
    routed = client.get("/sparql", params={"query": query, "unused": ""})
    for r in (fast, routed):
        assert r.status_code == 200
        assert "origin" in [v.strip().lower() for v in r.headers["vary"].split(",")], r.headers
