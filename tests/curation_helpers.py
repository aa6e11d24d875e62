"""Fixtures of the curation API tests: an app with writes on, over a fresh copy of a reference store."""

from __future__ import annotations

import warnings

import pytest

from api import create_app
from policykg.cli import _curated_reader
from policykg.ingest import ensure_reference
from policykg.settings import Settings
from policykg.store import OxigraphStore

with warnings.catch_warnings():  # starlette 1.x warns when its test client runs on httpx rather than httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def reference_store(tmp_path_factory):
    """A store holding the ontology and reference data, copied (a RocksDB checkpoint) for each test."""
    settings = Settings(store_path=tmp_path_factory.mktemp("template") / "store")
    with OxigraphStore(settings.store_path, settings.base_iri) as store:
        ensure_reference(store, settings)
        yield store


@pytest.fixture
def make_client(tmp_path, reference_store):
    """``make(**settings) -> (TestClient, store)``: an app with the write token ``secret`` and the curated
    reader, over a fresh copy of :func:`reference_store`; the stores are closed after the test."""
    opened = []

    def make(**overrides):
        settings = Settings(store_path=tmp_path / f"store{len(opened)}", write_token="secret", **overrides)
        reference_store.snapshot(settings.store_path)
        store = OxigraphStore(settings.store_path, settings.base_iri)
        assert not ensure_reference(store, settings)  # the copy is up to date
        opened.append(store)
        return TestClient(create_app(settings, store, curated_reader=_curated_reader(settings))), store

    yield make
    for store in opened:
        store.close()
