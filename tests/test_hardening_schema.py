"""Schemathesis against the app's own OpenAPI schema, in process (ASGI): no 5xx, responses as declared.

Every operation of ``/openapi.json`` gets a few generated requests (valid
and invalid parameters, bodies, headers). Checks: ``not_a_server_error``
(zero 5xx), ``response_schema_conformance`` and ``content_type_conformance``
(a response matches what the schema declares for its status). The number of
examples per operation is small (``EXAMPLES``, 4) so the run stays well under
a minute. A longer run is the same module with a larger count, set through the
test-only knob ``HARDENING_FUZZ_EXAMPLES`` (not a policykg setting)::

    HARDENING_FUZZ_EXAMPLES=200 python -m pytest tests/test_hardening_schema.py -q
"""

from __future__ import annotations

import os
import warnings

import pytest
import rdflib

from policykg.settings import Settings
from policykg.store import OxigraphStore

from test_hardening_support import need

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed (pip install schemathesis)")
from hypothesis import HealthCheck, settings as hsettings  # noqa: E402
from schemathesis import checks as st_checks  # noqa: E402

EXAMPLES = int(os.environ.get("HARDENING_FUZZ_EXAMPLES", "4"))
#: Operations whose declared response media type is wrong; pinned by test_served_media_type_is_declared.
MISDECLARED = {"/context.jsonld": "application/ld+json", "/sitemap.xml": "application/xml"}
CHECKS = [st_checks.not_a_server_error, st_checks.response_schema_conformance, st_checks.content_type_conformance]


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory):
    need("policykg.reference", "policykg.reference (imported by api.validate through policykg.ingest)")
    from api import create_app  # noqa: PLC0415

    tmp = tmp_path_factory.mktemp("schema")
    settings = Settings(store_path=tmp / "store", query_timeout_s=3.0, max_result_rows=50, max_upload_bytes=50_000)
    store = OxigraphStore(settings.store_path, settings.base_iri)
    g = rdflib.Graph()
    for i in range(20):
        g.add((rdflib.URIRef(f"{settings.base_iri}policy/p{i}"), rdflib.RDFS.label, rdflib.Literal(f"Policy {i}")))
    store.replace_graphs({rdflib.URIRef(f"{settings.base_iri}graph/doc"): g})
    app = create_app(settings, store)
    yield app
    pool = app.state.ctx.cache.get("querypool")
    if pool is not None:
        pool.close()
    store.close()


@pytest.fixture(scope="module")
def api_schema(fuzz_app):
    with warnings.catch_warnings():
        # FastAPI warns about duplicate operationIds (see test_hardening_http.test_openapi_operation_ids_are_unique)
        warnings.simplefilter("ignore")
        raw = fuzz_app.openapi()
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = fuzz_app
    return schema


@pytest.mark.parametrize("path", sorted(MISDECLARED))
def test_served_media_type_is_declared(fuzz_app, path: str) -> None:
    from test_hardening_support import client_for  # noqa: PLC0415

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = fuzz_app.openapi()
    declared = set(raw["paths"][path]["get"]["responses"]["200"].get("content", {}))
    ctx = fuzz_app.state.ctx
    with client_for(ctx.settings, ctx.store) as client:
        served = client.get(path).headers["content-type"].split(";")[0]
    assert served == MISDECLARED[path]
    assert served in declared, (served, declared)


schema = schemathesis.pytest.from_fixture("api_schema").exclude(path=sorted(MISDECLARED))


@schema.parametrize()
@hsettings(max_examples=EXAMPLES, deadline=None, derandomize=True,
           suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case) -> None:  # noqa: ANN001
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        case.call_and_validate(checks=CHECKS, excluded_checks=[c for c in st_checks.CHECKS.get_all()
                                                                if c not in CHECKS])
