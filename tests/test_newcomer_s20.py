"""A newcomer's walkthrough (session 20): a briefing named wrongly got a bare 404 while a region or agency
got suggestions; the briefing field of the forms offered no choices; two Taizhou governments were listed as
"(in Taizhou)" and "(in Taizhou)"."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from policykg.cli import app as cli
from policykg.errors import NotFound, ParameterError
from policykg.settings import PROJECT_ROOT, Settings
from policykg.sparql import load_canned_queries, parameter_choices, resolve_resources
from policykg.store import OxigraphStore

QUERIES = load_canned_queries(PROJECT_ROOT / "queries")
SAMPLE = PROJECT_ROOT / "data" / "briefings" / "ccnt-2024-03-04.txt"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> OxigraphStore:
    path = tmp_path_factory.mktemp("newcomer20") / "store"
    result = CliRunner().invoke(cli, ["load", str(SAMPLE), "--store", str(path)])
    assert result.exit_code == 0, result.output
    st = OxigraphStore(path, Settings().base_iri)
    yield st
    st.close()


def resolve(store: OxigraphStore, name: str, param: str, text: str) -> None:
    query = QUERIES[name]
    _, bindings = query.bind({param: text})
    resolve_resources(store, query, bindings, {param: text}, store.base_iri)


@pytest.mark.parametrize("text,hint", [("March 2024", "the briefing values are: ccnt-2024-03-04"),
                                       ("ccnt", "did you mean: ccnt-2024-03-04")])
def test_a_briefing_the_graph_lacks_gets_suggestions(store, text: str, hint: str) -> None:
    with pytest.raises(NotFound) as caught:
        resolve(store, "briefing-contents", "briefing", text)
    assert hint in str(caught.value)


def test_the_briefing_field_offers_the_graph_s_briefings(store) -> None:
    (spec,) = QUERIES["briefing-contents"].params
    assert parameter_choices(store, spec, store.base_iri) == [
        ("ccnt-2024-03-04", "China Carbon Neutrality Tracker (CCNT) (ccnt-2024-03-04)")]


def test_two_governments_of_one_city_name_are_told_apart_by_province(store) -> None:
    with pytest.raises(ParameterError) as caught:
        resolve(store, "policies-by-agency", "agency", "Taizhou Municipal People's Government")
    message = str(caught.value)
    assert "(in Taizhou, Jiangsu)" in message and "(in Taizhou, Zhejiang)" in message
    with pytest.raises(ParameterError) as caught:
        resolve(store, "policies-by-region", "region", "Taizhou")
    assert "(in Jiangsu)" in str(caught.value) and "(in Zhejiang)" in str(caught.value)  # a province: no country


def test_sparql_results_in_a_browser_have_the_site_s_navigation() -> None:
    """The HTML results of /sparql were a bare page: no way back to the policies, the canned queries..."""
    from tests.sparql_helpers import running_client, sample_store

    settings = Settings(query_timeout_s=10)
    with running_client(settings, sample_store(settings)) as (client, _app):
        r = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 2"},
                       headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<a href="/api/queries">Canned queries</a>' in r.text and "<h1>Query results</h1>" in r.text
    assert "Edit the query" in r.text and r.text.count("<main>") == 1
