"""``indicator-across-regions`` with a ``year``: only the targets due in that year, on every way a canned
query runs (pyoxigraph ``substitutions``, the text with the terms written in, HTTP)."""

import pyoxigraph as ox
import pytest

from policykg.settings import PROJECT_ROOT, Settings
from policykg.sparql import load_canned_queries
from policykg.store import to_oxigraph
from tests.sparql_helpers import DATA, make_client

QUERY = load_canned_queries(PROJECT_ROOT / "queries")["indicator-across-regions"]
PKG = "https://w3id.org/policykg/ontology#"
#: An undated target on capacity, in a policy of the sample: a year asked for never matches it.
UNDATED = f"""PREFIX pkg: <{PKG}>
INSERT DATA {{ GRAPH <https://w3id.org/policykg/graph/undated> {{
  <https://w3id.org/policykg/id/target/undated-capacity> a pkg:Target ; pkg:indicator "installed capacity"@en ;
      pkg:normalizedValue 5.0e9 ; pkg:normalizedUnit <http://qudt.org/vocab/unit/W> .
  <https://w3id.org/policykg/id/policy/cn-sd-new-energy-storage-implementation-plan>
      pkg:setsTarget <https://w3id.org/policykg/id/target/undated-capacity> .
}} }}"""


@pytest.fixture(scope="module")
def store():
    s = ox.Store()
    s.load(path=str(DATA), format=ox.RdfFormat.TRIG)
    s.update(UNDATED)
    return s


def _targets(store, how, **params):
    """``{target local name: (year column, targetYear column)}`` of the query run ``how``."""
    sparql, bindings = QUERY.bind(params)
    if how == "substitutions":
        rows = store.query(sparql, use_default_graph_as_union=True,
                           substitutions={ox.Variable(k): to_oxigraph(v) for k, v in bindings.items()})
    else:
        rows = store.query(QUERY.bound_text(bindings), use_default_graph_as_union=True)
    return {r["target"].value.rsplit("/", 1)[1]: (r["year"] and r["year"].value, r["targetYear"] and r["targetYear"].value)
            for r in rows}


@pytest.mark.parametrize("how", ["substitutions", "written-in"])
def test_a_year_keeps_the_targets_due_then(store, how):
    every = _targets(store, how, indicator="capacity")
    assert every == {"gd-storage-2025": ("2025", "2025"), "sd-storage-2025": ("2025", "2025"),
                     "cn-storage-2025": ("2025", "2025"), "sd-solar-2030": ("2030", "2030"),
                     "undated-capacity": ("", None)}
    assert _targets(store, how, indicator="capacity", year="2025") == {
        "gd-storage-2025": ("2025", "2025"), "sd-storage-2025": ("2025", "2025"), "cn-storage-2025": ("2025", "2025")}
    assert _targets(store, how, indicator="capacity", year="2030") == {"sd-solar-2030": ("2030", "2030")}
    assert _targets(store, how, indicator="capacity", year="2040") == {}
    assert _targets(store, how, indicator="capacity", year="") == every  # empty is absent, as for every parameter


def test_over_http_the_year_is_checked_documented_and_echoed():
    client, app, _ = make_client(Settings(query_timeout_s=5))
    try:
        r = client.get("/api/queries/indicator-across-regions", params={"indicator": "storage", "year": "2025"})
        assert r.status_code == 200
        rows = r.json()["results"]["bindings"]
        assert len(rows) == 3 and {(b["year"]["value"], b["targetYear"]["value"]) for b in rows} == {("2025", "2025")}
        assert client.get("/api/queries/indicator-across-regions",
                          params={"indicator": "storage", "year": "2030"}).json()["results"]["bindings"] == []
        bad = client.get("/api/queries/indicator-across-regions", params={"indicator": "storage", "year": "25"})
        assert bad.status_code == 422 and bad.json()["field"] == "year"
        params = {p["name"]: p for p in client.get("/openapi.json").json()["paths"][
            "/api/queries/indicator-across-regions"]["get"]["parameters"]}
        assert params["indicator"]["required"] and not params["year"]["required"]
    finally:
        app.state.ctx.cache["querypool"].close()
