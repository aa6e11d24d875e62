"""POST /merge: off by default, token-protected when on, atomic, and a no-op when repeated."""

from __future__ import annotations

import warnings

import pytest
from linked_data_helpers import POLICY

from api import create_app
from policykg.ingest import ensure_reference
from policykg.settings import Settings
from policykg.store import OxigraphStore

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def client_with(tmp_path, token: str = ""):
    settings = Settings(store_path=tmp_path / "store", write_token=token)
    store = OxigraphStore(settings.store_path, settings.base_iri)
    ensure_reference(store, settings)
    return TestClient(create_app(settings, store)), store


def test_writes_are_off_by_default(tmp_path):
    client, store = client_with(tmp_path)
    before = store.dump_nquads()
    with client:
        r = client.post("/merge", content=POLICY, headers={"Content-Type": "text/turtle"})
    assert r.status_code == 403 and "POLICYKG_WRITE_TOKEN" in r.json()["detail"]
    assert store.dump_nquads() == before
    store.close()


@pytest.mark.parametrize("auth", [None, "Bearer wrong", "secret", "Basic c2VjcmV0"])
def test_a_token_is_required(tmp_path, auth):
    client, store = client_with(tmp_path, token="secret")
    headers = {"Content-Type": "text/turtle", **({"Authorization": auth} if auth else {})}
    with client:
        assert client.post("/merge", content=POLICY, headers=headers).status_code == 401
    store.close()


def test_merge_writes_once_and_refuses_violations(tmp_path):
    client, store = client_with(tmp_path, token="secret")
    auth = {"Authorization": "Bearer secret", "Content-Type": "text/turtle"}
    with client:
        r = client.post("/merge", content=POLICY, headers=auth)
        assert r.status_code == 200, r.text
        assert len(r.json()["written"]) == 1
        r = client.post("/merge", content=POLICY, headers=auth)
        assert r.json()["written"] == [] and len(r.json()["unchanged"]) == 1
        q = client.get("/sparql", params={"query": "ASK { <https://w3id.org/policykg/id/policy/cn-notice-on-a-test-policy> ?p ?o }"},
                       headers={"Accept": "application/sparql-results+json"})
        assert q.json()["boolean"] is True
        before = store.dump_nquads()
        no_title = POLICY.replace('dcterms:title "Notice on a Test Policy"@en ;', "")
        r = client.post("/merge", content=no_title.replace("test-policy", "other"), headers=auth)
        assert r.status_code == 422 and r.json()["report"]["conforms"] is False
        assert store.dump_nquads() == before
    store.close()


def test_the_graph_parameter_names_the_graph_a_merge_replaces(tmp_path):
    """Without ?graph= each body gets a graph of its own (its SHA-256); with it, the merge replaces that graph."""
    import hashlib  # noqa: PLC0415

    client, store = client_with(tmp_path, token="secret")
    auth = {"Authorization": "Bearer secret", "Content-Type": "text/turtle"}
    other = POLICY.replace("test-policy", "second-policy").replace("a Test Policy", "a Second Policy")
    named = "https://w3id.org/policykg/graph/my-entries"
    with client:
        r = client.post("/merge", content=POLICY, headers=auth)
        digest = hashlib.sha256(POLICY.encode()).hexdigest()[:16]
        assert r.json()["written"] == [f"https://w3id.org/policykg/graph/entry-{digest}"] and r.json()["replaced"] == []
        r = client.post("/merge", content=other, headers=auth, params={"graph": named})
        assert r.json()["written"] == [named] and r.json()["replaced"] == []
        third = other.replace("second-policy", "third-policy").replace("a Second Policy", "a Third Policy")
        r = client.post("/merge", content=third, headers=auth, params={"graph": named})
        assert r.json()["replaced"] == [named]
        for bad in ("not an iri", "https://w3id.org/policykg/graph/meta"):
            r = client.post("/merge", content=POLICY, headers=auth, params={"graph": bad})
            assert r.status_code == 400 and r.json()["field"] == "graph", r.text
            r = client.post("/validate", content=POLICY, headers=auth, params={"graph": bad})
            assert r.status_code == 400
    policies = {str(row["p"]) for row in store.select("SELECT ?p WHERE { ?p a <https://w3id.org/policykg/ontology#Policy> }")}
    assert policies == {"https://w3id.org/policykg/id/policy/cn-notice-on-a-test-policy",
                        "https://w3id.org/policykg/id/policy/cn-notice-on-a-third-policy"}
    store.close()


@pytest.mark.parametrize("graph", ["meta", "reference", "ontology"])
def test_a_merge_cannot_write_the_stores_own_graphs(tmp_path, graph):
    client, store = client_with(tmp_path, token="secret")
    name = f"https://w3id.org/policykg/graph/{graph}"
    trig = f'<{name}> {{ <{name}> <https://w3id.org/policykg/ontology#dataVersion> "planted" . }}'
    before = store.dump_nquads()
    with client:
        r = client.post("/merge", content=trig, headers={"Authorization": "Bearer secret",
                                                         "Content-Type": "application/trig"})
        assert r.status_code == 400 and r.json()["field"] == "graph" and graph in r.json()["detail"]
        assert client.get("/").status_code == 200
    assert store.dump_nquads() == before
    store.close()


def test_a_blank_node_graph_label_is_an_input_error(tmp_path):
    client, store = client_with(tmp_path, token="secret")
    with client:
        r = client.post("/validate", content="_:g { <http://e/a> <http://e/b> <http://e/c> . }",
                        headers={"Content-Type": "application/trig"})
    assert r.status_code == 400 and r.json()["field"] == "graph" and "blank-node" in r.json()["detail"]
    store.close()


def test_401_names_the_bearer_scheme_and_the_scheme_is_case_insensitive(tmp_path):
    client, store = client_with(tmp_path, token="secret")
    with client:
        r = client.post("/merge", content=POLICY, headers={"Content-Type": "text/turtle"})
        assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Bearer")
        r = client.post("/merge", content=POLICY, headers={"Content-Type": "text/turtle",
                                                           "Authorization": "bearer secret"})
        assert r.status_code == 200, r.text
        r = client.post("/merge", content=POLICY, headers={"Content-Type": "text/turtle",
                                                           "Authorization": "Bearer secretX"})
        assert r.status_code == 401
    store.close()


def test_openapi_documents_how_to_send_entries(tmp_path):
    client, store = client_with(tmp_path)
    with client:
        spec = client.get("/openapi.json").json()
        paths = spec["paths"]
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"  # Swagger UI's Authorize
    assert paths["/merge"]["post"]["security"] == [{"HTTPBearer": []}]
    for path in ("/validate", "/merge"):
        body = paths[path]["post"]["requestBody"]
        assert body["required"] and {"text/turtle", "text/csv", "application/trig"} <= set(body["content"])
        assert any(p["name"] == "graph" for p in paths[path]["post"]["parameters"])
    store.close()


def test_concurrent_merges_are_validated_one_after_the_other(tmp_path):
    """Two merges that each conform, but not together (sh:maxCount 1 on the publication date), cannot both land."""
    import concurrent.futures  # noqa: PLC0415

    client, store = client_with(tmp_path, token="secret")
    auth = {"Authorization": "Bearer secret", "Content-Type": "text/turtle"}
    policy = "<https://w3id.org/policykg/id/policy/cn-notice-on-a-test-policy>"
    with client:  # each body: the whole policy with a date of its own (each body fills a graph of its own)
        dates = [POLICY + f'{policy} <https://w3id.org/policykg/ontology#publicationDate> "2024-05-{d:02d}"'
                 '^^<http://www.w3.org/2001/XMLSchema#date> .\n' for d in range(1, 5)]
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            codes = sorted(pool.map(lambda body: client.post("/merge", content=body, headers=auth).status_code, dates))
    assert codes == [200, 422, 422, 422], codes
    n = store.select(f"SELECT (COUNT(?d) AS ?n) WHERE {{ {policy} <https://w3id.org/policykg/ontology#publicationDate> ?d }}")
    assert int(n[0]["n"]) == 1
    store.close()


def test_an_edited_entry_replaces_its_graph_without_clashing_with_its_old_copy(tmp_path):
    """Validation reads the store as the merge leaves it: the old copy of a replaced graph is not a second value."""
    client, store = client_with(tmp_path, token="secret")
    auth = {"Authorization": "Bearer secret", "Content-Type": "text/turtle"}
    policy = "<https://w3id.org/policykg/id/policy/cn-notice-on-a-test-policy>"
    dated = POLICY + (f'{policy} <https://w3id.org/policykg/ontology#publicationDate> '
                      '"2024-05-10"^^<http://www.w3.org/2001/XMLSchema#date> .\n')
    graph = {"graph": "https://w3id.org/policykg/graph/curated"}
    with client:
        assert client.post("/merge", content=dated, headers=auth, params=graph).status_code == 200
        edited = dated.replace("2024-05-10", "2024-05-11")
        report = client.post("/validate", content=edited, headers=auth, params=graph).json()
        assert report["conforms"] is True, report["results"]
        r = client.post("/merge", content=edited, headers=auth, params=graph)
        assert r.status_code == 200 and r.json()["replaced"] == [graph["graph"]], r.text
        # the same edit in a graph of its own is two dates for one policy: refused
        other = client.post("/merge", content=dated, headers=auth)
        assert other.status_code == 422
    dates = store.select(f"SELECT ?d WHERE {{ {policy} <https://w3id.org/policykg/ontology#publicationDate> ?d }}")
    assert [str(r["d"]) for r in dates] == ["2024-05-11"]
    store.close()
