"""A newcomer's run of policykg on a standalone Oxigraph server (``oxigraph serve``), compared with the
embedded store: each test is a defect found, marked xfail(strict) until it is fixed.

Every server a test needs is started here on a free loopback port (``tests/serve_helpers.py``) and
stopped at the end; the tests skip when the ``oxigraph`` binary (PyPI ``oxigraph``) is absent.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
import rdflib
from rdflib import URIRef

from policykg.remote import RemoteStore
from policykg.settings import PROJECT_ROOT, Settings
from tests.serve_helpers import free_port, oxigraph_server
from tests.sparql_helpers import DATA, make_client, sample_store

BASE = "https://w3id.org/policykg/"
COUNT_POLICIES = "PREFIX pkg: <https://w3id.org/policykg/ontology#> SELECT (COUNT(?p) AS ?n) WHERE { ?p a pkg:Policy }"


def _fill(store: RemoteStore) -> None:
    """Write tests/data/sparql_sample.trig (its policykg graphs) into ``store``."""
    ds = rdflib.Dataset()
    ds.parse(DATA, format="trig")
    store.replace_graphs({g.identifier: g for g in ds.graphs()
                          if isinstance(g.identifier, URIRef) and len(g) and str(g.identifier).startswith(BASE)})


def _remote(url: str, **extra: object) -> RemoteStore:
    return RemoteStore(Settings(sparql_endpoint=f"{url}/query", sparql_update_endpoint=f"{url}/update",
                                query_timeout_s=10, **extra))


def _cli(args: list[str], url: str, timeout: float = 40) -> subprocess.CompletedProcess:
    """``policykg ARGS`` in a subprocess, configured for the remote server at ``url`` as the README says."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYKG_")}
    env.update(POLICYKG_SPARQL_ENDPOINT=f"{url}/query", POLICYKG_SPARQL_UPDATE_ENDPOINT=f"{url}/update",
               POLICYKG_GRAPH_STORE_ENDPOINT=f"{url}/store", PYTHONPATH=str(PROJECT_ROOT), COLUMNS="200")
    return subprocess.run([sys.executable, "-c", "from policykg.cli import main; main()", *args],
                          check=False, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def _count_on_page(html: str) -> int:
    m = re.search(r'<p class="count">(\d+) polic', html)
    assert m, html[:500]
    return int(m.group(1))


@pytest.fixture(scope="module")
def union_server(tmp_path_factory):
    """An ``oxigraph serve --union-default-graph`` holding the sample dataset, and its RemoteStore."""
    with oxigraph_server(str(tmp_path_factory.mktemp("oxi-union"))) as url:
        store = _remote(url)
        _fill(store)
        yield url, store


def test_a_server_without_union_default_graph_is_refused_or_read_as_union(tmp_path):
    expected = int(sample_store(Settings()).select(COUNT_POLICIES)[0]["n"])
    with oxigraph_server(str(tmp_path / "oxi"), union_default_graph=False) as url:
        _fill(_remote(url))
        r = _cli(["query", COUNT_POLICIES, "--format", "json"], url)
    if r.returncode == 0:
        assert json.loads(r.stdout)[0]["n"] == expected, r.stdout
    else:
        assert "union" in (r.stdout + r.stderr).lower(), r.stdout + r.stderr


@pytest.mark.parametrize("params", [{"q": "storage"}, {"year": "2024"}, {"region": "CN-SD", "q": "storage"}])
def test_policies_search_and_year_filter_match_the_embedded_store(union_server, params):
    url, remote = union_server
    settings = Settings(query_timeout_s=10)
    embedded_client, _, _ = make_client(settings, sample_store(settings))
    want = _count_on_page(embedded_client.get("/policies", params=params).text)
    assert want > 0
    client, _, _ = make_client(Settings(sparql_endpoint=f"{url}/query", sparql_update_endpoint=f"{url}/update",
                                        query_timeout_s=10), remote)
    r = client.get("/policies", params=params)
    assert r.status_code == 200
    assert _count_on_page(r.text) == want


def test_merge_with_store_option_does_not_write_the_remote_store(tmp_path):
    entries = tmp_path / "scratch-entries.yaml"
    shutil.copy(PROJECT_ROOT / "data" / "templates" / "policies.yaml", entries)
    with oxigraph_server(str(tmp_path / "oxi")) as url:
        remote = _remote(url)
        before = remote.graph_names()
        r = _cli(["merge", str(entries), "--store", str(tmp_path / "scratch-store")], url)
        after = remote.graph_names()
    assert URIRef(f"{BASE}graph/scratch-entries-yaml") not in after, r.stdout + r.stderr
    assert after == before


def test_an_unreachable_remote_store_is_503_not_500():
    settings = Settings(sparql_endpoint=f"http://127.0.0.1:{free_port()}/query", query_timeout_s=2)
    client, _, _ = make_client(settings, RemoteStore(settings))
    r = client.get("/sparql", params={"query": "ASK {}"})
    assert r.status_code in (502, 503), (r.status_code, r.text)
    assert r.headers["retry-after"] and "127.0.0.1" not in r.text  # the internal address stays inside


def _user_docs() -> str:
    return "\n".join(p.read_text(encoding="utf-8")
                     for p in [PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs").glob("*.md"))])


def test_docs_say_to_bound_query_time_on_the_remote_server():
    assert "--timeout-s" in _user_docs()


def test_graph_store_endpoint_setting_is_used_or_not_documented():
    documented = "POLICYKG_GRAPH_STORE_ENDPOINT" in (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    users = [p for folder in ("policykg", "api", "loaders") for p in (PROJECT_ROOT / folder).rglob("*.py")
             if p.name != "settings.py" and "graph_store_endpoint" in p.read_text(encoding="utf-8")]
    assert users or not documented


def test_readme_restore_row_says_what_happens_on_a_remote_store():
    rows = [line for line in (PROJECT_ROOT / "README.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| `policykg dump")]
    assert rows and "remote" in rows[0].lower()


def test_a_query_the_server_refuses_reports_the_servers_reason(union_server):
    from policykg.errors import QueryError

    _, remote = union_server
    with pytest.raises(QueryError) as info:
        remote.select("SELECT * WHERE { ?s ?p }")
    assert "1:25" in str(info.value), str(info.value)


_HEADER = ("kind,title_en,title_zh,genre,jurisdiction,city,level,issuers,source_url,publication_date,instruments,"
           "sectors,indicator,year,value,unit,comparator,baseline_year,document_number,status,supersedes,bindingness")


def test_merges_interleaved_on_a_remote_store_cannot_together_break_a_shape(tmp_path, monkeypatch):
    from policykg import ingest
    from policykg.cli import _read_entries, _validator
    from policykg.errors import PolicyKGError

    row = ("policy,Notice on Green Data Centres in Example Province,,Notice,CN-GZ,,provincial,"
           "Guizhou Provincial People's Government,https://www.guizhou.gov.cn/zwgk/zcfg/{d}.html,{d},,,,,,,,,,in force,,")
    for name, date in (("curator-a.csv", "2024-05-01"), ("curator-b.csv", "2024-06-02")):
        (tmp_path / name).write_text(f"{_HEADER}\n{row.format(d=date)}\n", encoding="utf-8")
    with oxigraph_server(str(tmp_path / "oxi")) as url:
        settings = Settings(sparql_endpoint=f"{url}/query", sparql_update_endpoint=f"{url}/update", query_timeout_s=10)
        store = RemoteStore(settings)
        ingest.ensure_reference(store, settings)
        a = _read_entries([tmp_path / "curator-a.csv"], settings)
        b = _read_entries([tmp_path / "curator-b.csv"], settings)
        validator = _validator(settings)
        original = ingest.validate_entries
        calls = []

        def b_lands_while_a_is_checked(*args, **kwargs):  # the other curator's merge ends meanwhile
            report = original(*args, **kwargs)
            calls.append(1)
            if len(calls) == 1:
                ingest.merge_entries(store, validator, b)
            return report

        monkeypatch.setattr(ingest, "validate_entries", b_lands_while_a_is_checked)
        try:
            ingest.merge_entries(store, validator, a)
        except PolicyKGError:
            pass  # refused: fine, as long as the store stays valid
        dates = store.select("PREFIX pkg: <https://w3id.org/policykg/ontology#> SELECT DISTINCT ?d WHERE { ?p a pkg:Policy ; "
                             "pkg:publicationDate ?d }")
    assert len(calls) >= 2, "the interleaving did not happen"
    assert len(dates) == 1, dates
