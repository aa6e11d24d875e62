"""POST /merge: off by default, token-protected when on, atomic, and a no-op when repeated."""

from __future__ import annotations

import warnings

import pytest

from api import create_app
from policykg.ingest import ensure_reference
from policykg.settings import Settings
from policykg.store import OxigraphStore

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

POLICY = """@prefix pkg: <https://w3id.org/policykg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<https://w3id.org/policykg/id/policy/cn-notice-on-a-test-policy> a pkg:Policy ;
  dcterms:title "Notice on a Test Policy"@en ;
  pkg:genre <https://w3id.org/policykg/id/genre/notice> ;
  pkg:governmentLevel pkg:National ;
  pkg:jurisdiction <https://w3id.org/policykg/id/region/CN> .
"""


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
