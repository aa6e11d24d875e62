"""Withdrawing entries: ``policykg drop`` and ``DELETE /graph/{name}`` drop named graphs only when what
the other graphs hold still conforms (``policykg.ingest.drop_graphs_checked``)."""

from __future__ import annotations

import pytest
import rdflib
from rdflib import URIRef
from typer.testing import CliRunner

from policykg.cli import app
from policykg.ingest import drop_graphs_checked
from policykg.settings import Settings
from policykg.store import OxigraphStore
from policykg.validation import Validator
from tests.curation_helpers import make_client, reference_store  # noqa: F401 - fixtures
from tests.remote_contract import DROP_ENTRIES, DROP_POLICY, check_drop_keeps_what_the_other_graphs_need
from tests.sparql_helpers import sample_store

BASE = "https://w3id.org/policykg/"
CSV = ("kind,title_en,jurisdiction,level,genre,publication_date,issuers\n"
       "policy,A plan to test withdrawing entries,CN-SD,provincial,Notice,2024-01-05,"
       "National Development and Reform Commission\n")


@pytest.fixture(scope="module")
def validator():
    settings = Settings()
    return Validator(settings.shapes_dir, settings.ontology_dir, base_iri=settings.base_iri)


def test_drop_refuses_what_breaks_the_other_graphs_on_the_embedded_store(tmp_path, validator):
    with sample_store(Settings(store_path=tmp_path / "store")) as store:
        check_drop_keeps_what_the_other_graphs_need(store, validator)


def test_a_violation_that_was_there_before_does_not_block_a_drop(tmp_path, validator):
    """A resource that two graphs describe and that violates a shape whichever graphs hold it (written
    without validation) is checked again, but its old violation is not the drop's."""
    with sample_store(Settings(store_path=tmp_path / "store")) as store:
        bad = URIRef(f"{BASE}id/target/unchecked")
        kept, dropped = rdflib.Graph(), rdflib.Graph()
        kept.parse(data=f"<{bad}> a <https://w3id.org/policykg/ontology#Target> .", format="turtle")  # no indicator
        dropped.parse(data=f'<{bad}> <http://www.w3.org/2000/01/rdf-schema#comment> "note" .', format="turtle")
        store.replace_graphs({URIRef(f"{BASE}graph/kept"): kept, URIRef(f"{BASE}graph/dropped"): dropped})
        outcome = drop_graphs_checked(store, validator, [URIRef(f"{BASE}graph/dropped")])
        assert outcome.checked == 1 and outcome.report.violations  # there, and not new
        assert URIRef(f"{BASE}graph/dropped") not in store.graph_names()


def _cli(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_cli_drops_a_merged_curated_file_by_its_file_name(tmp_path):
    store = tmp_path / "store"
    entry = tmp_path / "withdrawn.csv"
    entry.write_text(CSV, encoding="utf-8")
    assert _cli("merge", entry, "--store", store).exit_code == 0
    r = _cli("drop", entry, "--store", store)
    assert r.exit_code == 0, r.output
    assert f"dropped {BASE}graph/withdrawn-csv: " in r.output and "1 policies, from withdrawn.csv" in r.output
    with OxigraphStore(store, BASE) as st:
        assert URIRef(f"{BASE}graph/withdrawn-csv") not in st.graph_names()
        assert not st.ask("ASK { ?p a <https://w3id.org/policykg/ontology#Policy> }")
        assert {str(g).rsplit("/", 1)[1] for g in st.graph_names()} == {"ontology", "reference", "meta"}


def test_cli_names_the_graphs_it_has_when_the_name_is_wrong_and_refuses_its_own_graphs(tmp_path):
    store = tmp_path / "store"
    entry = tmp_path / "withdrawn.csv"
    entry.write_text(CSV, encoding="utf-8")
    assert _cli("merge", entry, "--store", store).exit_code == 0
    r = _cli("drop", "withdrawn-cvs", "--store", store)
    assert r.exit_code == 2 and "no graph" in r.output and "did you mean withdrawn-csv?" in r.output
    for own in ("meta", "reference", f"{BASE}graph/ontology"):
        r = _cli("drop", own, "--store", store)
        assert r.exit_code == 2 and "one of the store's own graphs" in r.output, r.output
    r = _cli("drop", "withdrawn-csv", "withdrawn-cvs", "--store", store)  # one wrong name: nothing dropped
    assert r.exit_code == 2
    with OxigraphStore(store, BASE) as st:
        assert URIRef(f"{BASE}graph/withdrawn-csv") in st.graph_names()


def test_cli_refusal_prints_the_report_and_drops_nothing(tmp_path):
    store = tmp_path / "store"
    files = []
    for slug, text in DROP_ENTRIES.items():
        files.append(tmp_path / f"{slug}.ttl")
        files[-1].write_text(text, encoding="utf-8")
    assert _cli("merge", *files, "--store", store).exit_code == 0
    r = _cli("drop", "drop-test-b.ttl", "--store", store)
    assert r.exit_code == 1 and "[Violation] pkg:setsTarget must point to a pkg:Target" in r.output, r.output
    assert f"would leave 2 violation(s) in the graphs that remain (<{BASE}graph/drop-test-a>); nothing was " \
        "dropped" in r.output
    # placed on the graph that holds the statement (pkg:setsTarget), not every graph about the policy
    assert f"(<{BASE}graph/drop-test-a>)" in r.output and f"<{BASE}graph/drop-test-d>)" not in r.output
    r = _cli("drop", "drop-test-a", "drop-test-b", "--store", store)
    assert r.exit_code == 2 and "drop-test-d" in r.output and "with no class" in r.output
    r = _cli("drop", "drop-test-a", "drop-test-b", "drop-test-d", "--store", store)
    assert r.exit_code == 0 and r.output.count("dropped ") == 3, r.output


def test_delete_graph_over_http(make_client):  # noqa: F811 - fixture
    client, store = make_client()
    assert client.post("/merge?graph=" + f"{BASE}graph/withdrawn", content=CSV.encode(),
                       headers={"Content-Type": "text/csv", "Authorization": "Bearer secret"}).status_code == 200
    assert client.delete("/graph/withdrawn").status_code == 401
    assert client.delete("/graph/withdrawn", headers={"Authorization": "Bearer wrong"}).status_code == 401
    auth = {"Authorization": "Bearer secret"}
    r = client.delete("/graph/meta", headers=auth)
    assert r.status_code == 400 and r.json()["field"] == "graph"
    r = client.delete("/graph/withdrawm", headers=auth)
    assert r.status_code == 404 and "did you mean withdrawn?" in r.json()["detail"]
    r = client.delete("/graph/withdrawn", headers=auth)
    assert r.status_code == 200, r.text
    assert r.json()["dropped"][0]["graph"] == f"{BASE}graph/withdrawn"
    assert r.json()["dropped"][0]["held"]["policies"] == 1
    assert client.get("/graph/withdrawn").status_code == 404
    assert URIRef(f"{BASE}graph/withdrawn") not in store.graph_names()
    r = client.put("/graph/withdrawn", content=b"")
    assert r.status_code == 405 and "DELETE" in r.headers["allow"]


def test_delete_graph_over_http_refusals_keep_the_store(make_client):  # noqa: F811 - fixture
    client, store = make_client()
    auth = {"Authorization": "Bearer secret"}
    dataset = rdflib.Dataset()
    for slug, text in DROP_ENTRIES.items():
        dataset.graph(URIRef(f"{BASE}graph/{slug}")).parse(data=text, format="turtle")
    r = client.post("/merge", content=dataset.serialize(format="trig").encode(),
                    headers={"Content-Type": "application/trig", **auth})
    assert r.status_code == 200 and len(r.json()["written"]) == 3, r.text
    version = store.data_version().tag
    r = client.delete("/graph/drop-test-b", headers=auth)
    assert r.status_code == 422, r.text
    assert {x["focus_node"] for x in r.json()["report"]["results"]} == {str(DROP_POLICY)}
    r = client.delete("/graph/drop-test-a", headers=auth)
    assert r.status_code == 409 and "drop-test-d" in r.json()["detail"], r.text
    assert store.data_version().tag == version
    assert client.get("/graph/drop-test-b", headers={"Accept": "text/turtle"}).status_code == 200


def test_delete_is_off_without_a_write_token(tmp_path):
    from tests.sparql_helpers import make_client as sparql_client

    client, _, _ = sparql_client(Settings(store_path=tmp_path / "store"))
    assert client.delete("/graph/test-briefing-2024-03").status_code == 403


def test_the_inverse_paths_a_drop_reads_are_those_of_the_shapes(validator):
    from rdflib.namespace import SH

    from policykg.ingest import INVERSE_PATHS

    assert set(validator.shapes_graph.objects(None, SH.inversePath)) == set(INVERSE_PATHS)


def test_a_result_is_placed_in_the_file_that_writes_its_property(tmp_path):
    """Two files of one merge describe one policy: its bad issuer is placed in the file that writes
    pkg:issuedBy, whichever file is named first (the second file's place used to win)."""
    first, second = tmp_path / "policy.ttl", tmp_path / "sector.ttl"
    first.write_text(DROP_ENTRIES["drop-test-a"].replace("/agency/ndrc", "/agency/nobody"), encoding="utf-8")
    second.write_text(DROP_ENTRIES["drop-test-d"], encoding="utf-8")
    for files in ((first, second), (second, first)):
        r = _cli("validate", *files, "--no-store")
        issuer = [line for line in r.output.splitlines() if "[Violation]" in line and "pkg:issuedBy" in line]
        assert issuer and all(f"{first}:4:" in line for line in issuer), r.output


def test_cli_refuses_a_store_that_is_not_there_and_creates_none(tmp_path):
    r = _cli("drop", "my-policies.csv", "--store", tmp_path / "nonexistent")
    assert r.exit_code == 2 and "there is no store at" in r.output and "(--store)" in r.output
    assert not (tmp_path / "nonexistent").exists()


def test_cli_takes_a_graph_as_messages_print_it_or_the_document_it_holds(tmp_path):
    store = tmp_path / "store"
    entry = tmp_path / "withdrawn.csv"
    entry.write_text(CSV, encoding="utf-8")
    assert _cli("merge", entry, "--store", store).exit_code == 0
    r = _cli("drop", f"<{BASE}graph/withdrawn-csv>", "--store", store)
    assert r.exit_code == 0 and "dropped" in r.output, r.output
    assert "the store holds no entries now" in r.output  # serve would load the bundled briefings
    assert _cli("merge", entry, "--store", store).exit_code == 0
    r = _cli("drop", f"{BASE}id/briefing/withdrawn-csv", "--store", store)  # the curated file's page
    assert r.exit_code == 0 and f"dropped {BASE}graph/withdrawn-csv" in r.output, r.output
    for bad in (f"{BASE}graph/with space", f"{BASE}graph/a>b", "a>b"):
        r = _cli("drop", bad, "--store", store)
        assert r.exit_code == 2 and "Traceback" not in r.output and "policykg:" in r.output, r.output


def test_cli_one_missing_name_among_several_says_nothing_was_dropped(tmp_path):
    store = tmp_path / "store"
    entry = tmp_path / "withdrawn.csv"
    entry.write_text(CSV, encoding="utf-8")
    assert _cli("merge", entry, "--store", store).exit_code == 0
    r = _cli("drop", "withdrawn.csv", "nosuch.csv", "--store", store)
    assert r.exit_code == 2 and "nothing was dropped" in r.output


def test_delete_graph_over_http_drops_graphs_that_depend_on_each_other_together(make_client):  # noqa: F811
    client, store = make_client()
    auth = {"Authorization": "Bearer secret"}
    dataset = rdflib.Dataset()
    for slug, text in DROP_ENTRIES.items():
        dataset.graph(URIRef(f"{BASE}graph/{slug}")).parse(data=text, format="turtle")
    assert client.post("/merge", content=dataset.serialize(format="trig").encode(),
                       headers={"Content-Type": "application/trig", **auth}).status_code == 200
    r = client.delete("/graph/drop-test-a?also=drop-test-d", headers=auth)
    assert r.status_code == 422 and r.json()["needed_by"] == [f"{BASE}graph/drop-test-b"], r.text
    assert "?also=" in r.json()["detail"]
    assert client.delete("/graph/drop-test-a?alsoo=drop-test-d", headers=auth).status_code == 422
    r = client.delete("/graph/drop-test-a?also=drop-test-b&also=drop-test-d", headers=auth)
    assert r.status_code == 200, r.text
    assert sorted(d["graph"] for d in r.json()["dropped"]) == [f"{BASE}graph/{s}" for s in sorted(DROP_ENTRIES)]
    assert not {URIRef(f"{BASE}graph/{s}") for s in DROP_ENTRIES} & store.graph_names()


def test_cli_graphs_lists_what_drop_takes(tmp_path):
    import json

    store = tmp_path / "store"
    entry = tmp_path / "withdrawn.csv"
    entry.write_text(CSV, encoding="utf-8")
    r = _cli("graphs", "--store", tmp_path / "none")
    assert r.exit_code == 2 and "there is no store at" in r.output and not (tmp_path / "none").exists()
    first = _cli("merge", entry, "--store", store)
    assert first.exit_code == 0 and f"added {BASE}graph/withdrawn-csv" in first.output
    again = _cli("merge", entry, "--store", store)
    assert f"unchanged {BASE}graph/withdrawn-csv: it already holds exactly these entries" in again.output
    entry.write_text(CSV.replace("2024-01-05", "2024-01-06"), encoding="utf-8")
    edited = _cli("merge", entry, "--store", store)
    assert f"replaced {BASE}graph/withdrawn-csv: now 18 triples, 1 policies, from withdrawn.csv (before: 18 triples, " \
           "1 policies, from withdrawn.csv)" in edited.output, edited.output
    r = _cli("graphs", "--store", store, "--format", "json")
    assert r.exit_code == 0
    assert json.loads(r.output) == [{"graph": f"{BASE}graph/withdrawn-csv", "name": "withdrawn-csv", "triples": 18,
                                     "policies": 1, "sources": ["withdrawn.csv"]}]
    r = _cli("graphs", "--store", store)
    assert "withdrawn-csv" in r.output and "1 entry graph(s)" in r.output
    assert _cli("drop", "withdrawn-csv", "--store", store).exit_code == 0
    r = _cli("graphs", "--store", store, "--format", "csv")
    assert r.output == "name,triples,policies,sources,graph\n"


def test_the_policy_list_of_a_store_with_no_policies_says_so(make_client):  # noqa: F811 - fixture
    client, _ = make_client()
    page = client.get("/policies", headers={"Accept": "text/html"}).text
    assert "The graph holds no policies yet" in page and "No policy matches these filters" not in page
    page = client.get("/policies?region=CN-SD", headers={"Accept": "text/html"}).text
    assert "No policy matches these filters" in page


def test_a_drop_that_breaks_a_hub_is_refused_at_the_first_chunk_with_a_violation(tmp_path, validator, monkeypatch):
    """Resources are checked DROP_CHECK_CHUNK at a time (250): a graph that types an agency 100,000 policies
    cite was refused after 250 of them (30 s at 100k), not after all. Here, chunks of one."""
    import policykg.ingest as ingest
    from policykg.errors import ValidationFailed

    with sample_store(Settings(store_path=tmp_path / "store")) as store:
        names = {slug: URIRef(f"{BASE}graph/{slug}") for slug in DROP_ENTRIES}
        ingest.merge_entries(store, validator, [ingest.Entry(names[s], rdflib.Graph().parse(data=t, format="turtle"),
                                                             f"{s}.ttl") for s, t in DROP_ENTRIES.items()])
        monkeypatch.setattr(ingest, "DROP_CHECK_CHUNK", 1)
        assert len(ingest.affected_by_drop(store, [names["drop-test-b"]])) == 2  # the target and its policy
        with pytest.raises(ValidationFailed) as failed:
            drop_graphs_checked(store, validator, [names["drop-test-b"]])
        assert "found among the first 1 of the 2 resources it touches" in failed.value.detail
        assert {r.focus_node for r in failed.value.report.violations} == {str(DROP_POLICY)}
