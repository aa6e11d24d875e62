"""A hostile tester's attacks on the changes since 614bae9: the remote store's compare-and-swap merges,
parameters bound into sub-SELECTs (``insert_values``), the HTTP error mapping, the query CLI's number
formatting, ``--store`` with a remote endpoint, web-domain lookup and reports' ``dcterms:spatial``.

Each test is a defect found, marked ``xfail(strict=True)`` until it is fixed. Servers (``oxigraph serve``,
Virtuoso, a fake SPARQL server written here with ``http.server``) listen on free loopback ports and are
stopped at the end; the tests skip when the binaries are missing.
"""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef
from typer.testing import CliRunner

from policykg.errors import (
    PolicyKGError,
    QueryTimeout,
    StoreError,
    StoreUnavailable,
    WriteConflict,
)
from policykg.remote import RemoteStore
from policykg.settings import PROJECT_ROOT, Settings
from policykg.store import OxigraphStore
from tests.serve_helpers import free_port, oxigraph_server

BASE = "https://w3id.org/policykg/"
GRAPH = URIRef(f"{BASE}graph/attack8")
SAMPLE = PROJECT_ROOT / "data" / "briefings" / "ccnt-2024-03-04.txt"
runner = CliRunner()


def _remote(url: str, timeout_s: float = 20) -> RemoteStore:
    return RemoteStore(Settings(sparql_endpoint=f"{url}/query", sparql_update_endpoint=f"{url}/update",
                                query_timeout_s=timeout_s))


def _graph(prefix: str, n: int, value: str = "v") -> rdflib.Graph:
    g = rdflib.Graph()
    for k in range(n):
        g.add((URIRef(f"http://example.org/{prefix}/{k}"), URIRef("http://example.org/p"), Literal(f"{value}-{k}")))
    return g


# ---------------------------------------------------------------- compare-and-swap writes


def test_a_merge_of_a_real_briefing_into_virtuoso_is_not_refused(tmp_path):
    """Every merge is now conditional: ``_conditional_replace`` sends the triples as ``INSERT { GRAPH g
    { 2,000 triples } } WHERE { claim }`` templates, which Virtuoso compiles to SQL and refuses past
    10,000 lines (SP031, at about 1,200 triples per template). ``policykg load`` of the sample briefing
    (3,000 triples in one graph) on Virtuoso fails with exit 2; it worked with INSERT DATA."""
    from tests.test_remote_virtuoso import _virtuoso

    with _virtuoso(tmp_path) as url:
        env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYKG_")}
        env.update(POLICYKG_SPARQL_ENDPOINT=f"{url}/sparql", POLICYKG_SPARQL_UPDATE_ENDPOINT=f"{url}/sparql",
                   POLICYKG_QUERY_TIMEOUT_S="30", PYTHONPATH=str(PROJECT_ROOT))
        r = subprocess.run([sys.executable, "-c", "from policykg.cli import main; main()", "load", str(SAMPLE)],
                           cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=150, check=False)
    assert r.returncode == 0, r.stderr[-600:]


def test_a_whole_answer_of_exactly_the_servers_row_limit_is_not_refused(tmp_path):
    from tests.test_remote_virtuoso import _settings, _virtuoso

    with _virtuoso(tmp_path, max_rows=50) as url:
        store = RemoteStore(_settings(url))
        store.replace_graphs({GRAPH: _graph("cap", 60)})
        rows = store.select(f"SELECT ?s WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }} LIMIT 50")
    assert len(rows) == 50


@pytest.mark.xfail(strict=True, reason="still open (Oxigraph 0.5 server): it runs concurrent update requests on "
                   "snapshots without conflict detection, so two writes conditional on one data version can both "
                   "land; remote.py _conditional_replace now detects it afterwards (two versions in the meta graph) "
                   "and raises StoreError saying so, but cannot prevent it with SPARQL alone")
def test_two_writes_conditional_on_one_version_do_not_both_land(tmp_path):
    with oxigraph_server(str(tmp_path / "oxi")) as url:
        writers = [_remote(url), _remote(url)]
        writers[0].replace_graphs({URIRef(f"{BASE}graph/seed"): _graph("seed", 1)})
        for rnd in range(12):  # a round may miss the race; the first round that meets it fails the test
            version = writers[0].data_version().tag
            results: list[str] = ["", ""]
            barrier = threading.Barrier(2, timeout=30)

            def write(i: int) -> None:  # noqa: B023 - run and joined within this round
                g = _graph(f"w{i}", 3000, f"r{rnd}")
                barrier.wait()
                try:
                    writers[i].replace_graphs({URIRef(f"{BASE}graph/w{i}"): g}, if_version=version)
                    results[i] = "written"
                except WriteConflict:
                    results[i] = "conflict"
                except StoreError:
                    results[i] = "landed beside another write (detected and reported)"

            threads = [threading.Thread(target=write, args=(i,)) for i in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            landed = [bool(writers[0].ask(f'ASK {{ GRAPH <{BASE}graph/w{i}> {{ ?s ?p "r{rnd}-0" }} }}'))
                      for i in range(2)]
            versions = writers[0].select(f"SELECT ?v WHERE {{ GRAPH <{BASE}graph/meta> {{ ?m <{BASE}ontology#dataVersion> ?v }} }}")
            assert sorted(results) == ["conflict", "written"], (rnd, results)
            assert landed == [r == "written" for r in results], (rnd, results, landed)  # a conflict wrote nothing
            assert len(versions) == 1, (rnd, versions)


_HEADER = ("kind,title_en,title_zh,genre,jurisdiction,city,level,issuers,source_url,publication_date,instruments,"
           "sectors,indicator,year,value,unit,comparator,baseline_year,document_number,status,supersedes,bindingness")


@pytest.mark.xfail(strict=True, reason="still open (Oxigraph 0.5 server): two merges whose update requests run at "
                   "the same moment both pass the compare-and-swap (no serializable isolation on the server); the "
                   "second is now told that both were written and to validate again, but the policy keeps two dates")
def test_concurrent_merges_into_oxigraph_serve_cannot_together_break_a_shape(tmp_path):
    from policykg import ingest
    from policykg.cli import _read_entries
    from policykg.validation import Validator

    with oxigraph_server(str(tmp_path / "oxi")) as url:
        settings = Settings(sparql_endpoint=f"{url}/query", sparql_update_endpoint=f"{url}/update", query_timeout_s=30)
        ingest.ensure_reference(RemoteStore(settings), settings)
        validators = [Validator(settings.shapes_dir, settings.ontology_dir, base_iri=settings.base_iri)
                      for _ in range(2)]  # one each, as two curators' processes have
        original = RemoteStore.replace_graphs
        for rnd in range(12):  # the race is real: a round may miss it (about one in three); twelve all missing: 2e-6
            entries = []
            for who, date in (("a", "2024-05-01"), ("b", "2024-06-02")):
                rows = [f"policy,Notice on Green Data Centres Round {rnd},,Notice,CN-GZ,,provincial,Guizhou Provincial "
                        f"People's Government,https://www.guizhou.gov.cn/zwgk/zcfg/{rnd}{who}.html,{date},,,,,,,,,,in force,,"]
                rows += [f"policy,Notice on Rooftop Solar Programme {k} Round {rnd} Curator {who},,Notice,CN-GZ,,provincial,"
                         f"Guizhou Provincial People's Government,https://www.guizhou.gov.cn/zwgk/x/{rnd}{who}{k}.html,"
                         "2023-01-01,,,,,,,,,,in force,," for k in range(100)]
                (tmp_path / f"{rnd}{who}.csv").write_text(_HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
                entries.append(_read_entries([tmp_path / f"{rnd}{who}.csv"], settings))
            barrier = threading.Barrier(2, timeout=5)

            first_writes: set[int] = set()

            def together(self, graphs, *, if_version=None):
                if threading.get_ident() not in first_writes:
                    first_writes.add(threading.get_ident())
                    try:
                        barrier.wait()
                    except threading.BrokenBarrierError:
                        pass
                return original(self, graphs, if_version=if_version)

            def merge(i: int) -> None:
                try:
                    ingest.merge_entries(RemoteStore(settings), validators[i], entries[i])
                except PolicyKGError:
                    pass  # refused: fine, as long as the store stays valid

            RemoteStore.replace_graphs = together
            try:
                threads = [threading.Thread(target=merge, args=(i,)) for i in range(2)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
            finally:
                RemoteStore.replace_graphs = original
            dates = RemoteStore(settings).select(
                "PREFIX pkg: <https://w3id.org/policykg/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "
                f"SELECT DISTINCT ?d WHERE {{ ?p a pkg:Policy ; dcterms:title ?t ; pkg:publicationDate ?d "
                f"FILTER(CONTAINS(STR(?t), 'Green Data Centres Round {rnd}')) }}")
            assert len(dates) == 1, (rnd, dates)


def test_a_write_that_landed_is_not_reported_as_nothing_written(tmp_path):
    with oxigraph_server(str(tmp_path / "oxi")) as url:
        other = _remote(url)

        class Followed(RemoteStore):
            def _update(self, update: str) -> None:
                super()._update(update)
                if "claim-" in update:  # another curator's write lands right after this one
                    other.replace_graphs({URIRef(f"{BASE}graph/other"): _graph("other", 2)})

        mine = Followed(Settings(sparql_endpoint=f"{url}/query", sparql_update_endpoint=f"{url}/update",
                                 query_timeout_s=20))
        mine.replace_graphs({URIRef(f"{BASE}graph/seed"): _graph("seed", 1)})
        try:
            mine.replace_graphs({GRAPH: _graph("mine", 3)}, if_version=mine.data_version().tag)
            raised = None
        except WriteConflict as exc:
            raised = exc
        landed = other.ask(f'ASK {{ GRAPH <{GRAPH}> {{ ?s ?p "v-0" }} }}')
    assert raised is None or not landed, f"{raised} - but the graph was written"


def test_a_meta_graph_without_a_modified_date_does_not_block_every_write(tmp_path):
    with oxigraph_server(str(tmp_path / "oxi")) as url:
        store = _remote(url)
        store._update(f'INSERT DATA {{ GRAPH <{BASE}graph/meta> {{ <{BASE}graph/meta> <{BASE}ontology#dataVersion> '
                      '"hand-set" } }')
        version = store.data_version().tag
        store.replace_graphs({GRAPH: _graph("x", 2)}, if_version=version)  # WriteConflict today
        assert store.data_version().tag != version


# ---------------------------------------------------------------- parameters bound on a remote store

_DATA = (f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <http://e/a> <http://e/p> "x" . <http://e/b> <http://e/p> "y" . '
         '<http://e/a> <http://e/n> 3 . <http://e/b> <http://e/n> 5 } }')


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """(embedded in-memory store, RemoteStore on oxigraph serve) holding the same small graph."""
    with oxigraph_server(str(tmp_path_factory.mktemp("oxi-bind"))) as url:
        remote = _remote(url, 10)
        remote._update(_DATA)
        embedded = OxigraphStore(None, BASE)
        embedded.raw.update(_DATA)
        yield embedded, remote


def _answers(store, sparql: str, bindings: dict) -> object:
    try:
        return sorted(tuple(sorted((k, str(v)) for k, v in row.items())) for row in store.select(sparql, bindings))
    except PolicyKGError as exc:
        return f"{type(exc).__name__}: {exc.detail[:120]}"


@pytest.mark.parametrize("sparql", [
    "SELECT ?s ?t WHERE { { ?s <http://e/p> ?o FILTER(?o = ?t) } UNION { ?s <http://e/q> ?o } }",
    "SELECT ?s ?t WHERE { ?s <http://e/p> ?z { ?s <http://e/p> ?o FILTER(?o = ?t) } }",
    "SELECT ?s ?t WHERE { GRAPH ?g { ?s <http://e/p> ?o FILTER(?o = ?t) } }",
], ids=["union", "nested-group", "graph"])
def test_a_parameter_filtered_in_a_nested_group_answers_as_embedded(pair, sparql):
    embedded, remote = pair
    expected = _answers(embedded, sparql, {"t": Literal("x")})
    assert expected  # the embedded store finds <http://e/a>
    assert _answers(remote, sparql, {"t": Literal("x")}) == expected


def test_a_sub_select_that_hides_the_parameter_name_is_not_filtered_by_it(pair):
    embedded, remote = pair
    sparql = "SELECT ?s ?t WHERE { ?s <http://e/p> ?o { SELECT ?s WHERE { ?s <http://e/n> ?t } } }"
    expected = _answers(embedded, sparql, {"t": Literal(3)})
    assert len(expected) == 2
    assert _answers(remote, sparql, {"t": Literal(3)}) == expected


def test_a_parameter_bound_by_bind_in_a_sub_select_is_not_a_refused_query(pair):
    embedded, remote = pair
    sparql = ("SELECT ?s ?r WHERE { { SELECT ?s ?r WHERE { ?s <http://e/n> ?v BIND(?v + 0 AS ?r) } } }")
    expected = _answers(embedded, sparql, {"r": Literal(3)})
    assert expected == [(("r", "3"), ("s", "http://e/a"))]
    assert _answers(remote, sparql, {"r": Literal(3)}) == expected


def test_a_comparison_without_spaces_in_a_projection_does_not_hide_the_sub_select(pair):
    embedded, remote = pair
    sparql = ("SELECT ?s ?t WHERE { { SELECT ?s ?t (IF(?v<?w&&(?w>0),1,0) AS ?k) WHERE { ?s <http://e/n> ?v "
              "BIND(4 AS ?w) FILTER(?v < ?t) } } }")
    expected = _answers(embedded, sparql, {"t": Literal(4)})
    assert expected == [(("s", "http://e/a"), ("t", "4"))]
    assert _answers(remote, sparql, {"t": Literal(4)}) == expected


def test_a_language_tag_named_select_is_not_a_sub_select(pair):
    embedded, remote = pair
    sparql = 'SELECT ?s ?t WHERE { ?s <http://e/p> ?t . OPTIONAL { ?s <http://e/q> "zz"@select VALUES ?k { 1 } } }'
    expected = _answers(embedded, sparql, {"t": Literal("x")})
    assert expected == [(("s", "http://e/a"), ("t", "x"))]
    assert _answers(remote, sparql, {"t": Literal("x")}) == expected


# ---------------------------------------------------------------- the server's HTTP errors


class _FakeSparql:
    """A SPARQL 'server' on a free loopback port answering every request with ``status`` and ``body``."""

    def __init__(self, status: int, body: bytes):
        outer = self
        self.status, self.body = status, body

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(outer.status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(outer.body)))
                self.end_headers()
                self.wfile.write(outer.body)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.mark.parametrize("status", [403, 413, 415])
def test_a_server_that_answers_with_a_refusal_is_not_called_unreachable(status):
    fake = _FakeSparql(status, b"refused by policy")
    try:
        with pytest.raises(StoreError) as info:
            _remote(fake.url, 5).replace_graphs({GRAPH: _graph("x", 3)})
    finally:
        fake.close()
    assert not isinstance(info.value, StoreUnavailable), info.value.detail
    assert info.value.status != 503


def test_a_gateway_timeout_is_a_query_timeout():
    fake = _FakeSparql(504, b"upstream timed out")
    try:
        with pytest.raises(PolicyKGError) as info:
            _remote(fake.url, 5).select("SELECT * WHERE { ?s ?p ?o }")
    finally:
        fake.close()
    assert isinstance(info.value, QueryTimeout), type(info.value)


# ---------------------------------------------------------------- the query CLI


def _cli_query(tmp_path: Path, sparql: str, fmt: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYKG_")}
    (tmp_path / "store").mkdir(exist_ok=True)  # an empty store's folder: query refuses a missing one
    result = runner.invoke(__import__("policykg.cli", fromlist=["app"]).app,
                           ["query", sparql, "--store", str(tmp_path / "store"), "--format", fmt], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_csv_writes_infinities_and_nan_in_their_xsd_forms(tmp_path):
    out = _cli_query(tmp_path, 'PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> SELECT ?x WHERE { VALUES ?x '
                     '{ "INF"^^xsd:double "-INF"^^xsd:double "NaN"^^xsd:double "1E400"^^xsd:double } }', "csv")
    assert out.split() == ["x", "INF", "-INF", "NaN", "INF"], out


def test_json_keeps_every_digit_of_a_decimal(tmp_path):
    out = _cli_query(tmp_path, 'PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> SELECT ?x WHERE { '
                     'BIND("0.1000000000000000000001"^^xsd:decimal AS ?x) }', "json")
    assert "0.1000000000000000000001" in out, out


def test_serve_refuses_store_with_a_remote_endpoint(tmp_path):
    """Fixed in the working tree while this file was written; was: cli.py serve builds
    Settings.from_env(store_path=store) itself, not through _settings: `serve --store DIR` with
    POLICYKG_SPARQL_ENDPOINT set serves (and takes merges into) the remote store, the folder silently ignored"""
    from policykg.cli import app

    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYKG_")}
    env.update(POLICYKG_SPARQL_ENDPOINT=f"http://127.0.0.1:{free_port()}/query", POLICYKG_QUERY_TIMEOUT_S="2")
    result = runner.invoke(app, ["serve", "--store", str(tmp_path / "scratch"), "--port", str(free_port())], env=env)
    assert result.exit_code == 2
    assert "--store" in result.output, result.output


# ---------------------------------------------------------------- lookup and reports' places


@pytest.fixture(scope="module")
def reference_store(tmp_path_factory):
    import pyoxigraph as ox

    from tests.serve_helpers import reference_seed

    data, _, _ = reference_seed(tmp_path_factory.mktemp("ref"))
    store = OxigraphStore(None, BASE)
    store.raw.load(data, format=ox.RdfFormat.N_QUADS)
    return store


def test_lookup_of_a_host_ranks_the_most_specific_domain_first(reference_store):
    """Fixed in the working tree while this file was written; was: queries/lookup.rq ranks by STRLEN(?matched)
    ascending: for a host under two domains (www.fgw.beijing.gov.cn) the enclosing government (beijing.gov.cn)
    ranks above the commission whose domain the host is under (fgw.beijing.gov.cn)"""
    from policykg.sparql import load_canned_queries

    q = load_canned_queries(PROJECT_ROOT / "queries")["lookup"]
    sparql, bindings = q.bind({"text": "www.fgw.beijing.gov.cn"}, BASE)
    rows = reference_store.select(sparql, bindings)
    assert rows and str(rows[0]["matched"]) == "fgw.beijing.gov.cn", [str(r["matched"]) for r in rows]


def test_a_publishers_name_is_not_a_place_the_report_studies(tmp_path):
    """Fixed in the working tree while this file was written; was: loaders/emit.py report_coverage reads regions from
    the report's header, which holds its publisher: a report on Brazil, India and Indonesia by the Shanghai
    Institutes for International Studies 'studies' Shanghai, and one by Energy Foundation China 'studies' China"""
    from policykg.cli import app

    text = SAMPLE.read_text(encoding="utf-8")
    start = text.index("Compendium of Best Practices")
    end = text.index("Study on the Potential of Low-Carbon")
    reports = ("Carbon Market Outlook for Emerging Economies (Shanghai Institutes for International\nStudies)\n\n"
               "e The report reviews carbon markets in Brazil, India and Indonesia and what they\n"
               "mean for emerging economies.\n\n"
               "Coal Phase-down Pathways for Europe (Energy Foundation China)\n\n"
               "e The report models coal power retirement in Poland and Germany.\n\n")
    briefing = tmp_path / "briefing.txt"
    briefing.write_text(text[:start] + reports + text[end:], encoding="utf-8")
    out = tmp_path / "out.trig"
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYKG_")}
    result = runner.invoke(app, ["extract", str(briefing), "-o", str(out)], env=env)
    assert result.exit_code == 0, result.output
    ds = rdflib.Dataset()
    ds.parse(out, format="trig")
    rows = ds.query("PREFIX pkg: <https://w3id.org/policykg/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "
                    "SELECT ?t ?place WHERE { ?r a pkg:Report ; dcterms:title ?t ; dcterms:spatial ?place "
                    "FILTER(CONTAINS(STR(?t), 'Emerging Economies') || CONTAINS(STR(?t), 'Pathways for Europe')) }")
    found = sorted({(str(t)[:30], str(p).rsplit("/", 1)[1]) for t, p in rows})
    assert len({str(t) for t in ds.objects(None, URIRef("http://purl.org/dc/terms/title"))
                if "Emerging Economies" in str(t) or "Pathways for Europe" in str(t)}) == 2  # both reports read
    assert found == [], found
