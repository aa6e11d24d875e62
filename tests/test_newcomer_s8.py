"""A newcomer's review of policykg as a researcher, a linked-data consumer and a curator (session 8).

Each test is one defect found by following the README and docs/curating.md on a fresh clone, marked
xfail(strict) until it is fixed. The app tests run on the sample dataset (``tests/sparql_helpers.py``);
the CLI tests run ``policykg`` in a subprocess, in a scratch working directory, as a user would.
"""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from policykg.settings import PROJECT_ROOT, Settings
from tests.sparql_helpers import make_client, sample_store

TEMPLATE_CSV = PROJECT_ROOT / "data" / "templates" / "policies.csv"


@pytest.fixture(scope="module")
def client():
    c, _, _ = make_client(Settings(query_timeout_s=10))
    return c


def _cli(args: list[str], cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    """``policykg ARGS`` run in ``cwd`` with no POLICYKG_* variables and no COLUMNS, stdout a pipe."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYKG_") and k not in ("COLUMNS", "LINES")}
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    return subprocess.run([sys.executable, "-c", "from policykg.cli import main; main()", *args],
                          check=False, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _run(args: list[str], cwd: Path, monkeypatch) -> tuple[int, str]:
    """``policykg ARGS`` in process (typer's CliRunner) in ``cwd``, without POLICYKG_* variables:
    ``(exit code, stdout + stderr)``. Faster than :func:`_cli` where neither a terminal nor logging matters."""
    from typer.testing import CliRunner

    from policykg.cli import app

    for key in [k for k in os.environ if k.startswith("POLICYKG_")]:
        monkeypatch.delenv(key)
    monkeypatch.chdir(cwd)
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output


def _filled_store(path: Path) -> Path:
    """An embedded store at ``path`` holding the sample dataset, closed so a CLI can open it."""
    sample_store(Settings(), path).close()
    return path


# --- researcher -------------------------------------------------------------------------------


@pytest.mark.parametrize("path, params", [
    ("/api/queries/policies-by-agency", {"agency": "NDRC"}),
    ("/api/queries/policies-by-region", {"region": "Shandong"}),
])
def test_canned_query_parameter_accepts_a_label_as_written(client, path, params):
    r = client.get(path, params=params, headers={"Accept": "application/json"})
    assert r.status_code == 200, r.text
    assert r.json()["results"]["bindings"]


def test_an_undeclared_prefix_is_named_in_the_error(client):
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s pkg:jurisdiction ?o }"})
    assert r.status_code == 400
    detail = r.json()["detail"]
    assert "pkg" in detail and "\\u{" not in detail, detail


def test_sparql_406_lists_the_formats_it_can_give(client):
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"},
                   headers={"Accept": "text/plain"})
    assert r.status_code == 406
    assert "text/csv" in r.json()["detail"], r.text


def test_query_table_written_to_a_file_keeps_whole_iris(tmp_path):
    store = _filled_store(tmp_path / "store")
    r = _cli(["query", "policies-by-region", "--param", "region=CN-SD", "--store", str(store)], tmp_path)
    assert r.returncode == 0, r.stderr
    assert "https://w3id.org/policykg/id/region/CN-SD" in r.stdout, r.stdout


# --- curator ----------------------------------------------------------------------------------


def test_validate_says_when_the_store_it_was_given_does_not_exist(tmp_path, monkeypatch):
    entries = tmp_path / "my-policies.csv"
    entries.write_text(TEMPLATE_CSV.read_text(encoding="utf-8"), encoding="utf-8")
    code, out = _run(["validate", entries.name, "--store", "var/stor"], tmp_path, monkeypatch)
    assert code != 0 or "var/stor" in out or "reference data" in out.lower(), out


def test_merge_into_a_new_store_names_the_store(tmp_path, monkeypatch):
    entries = tmp_path / "my-policies.csv"
    entries.write_text(TEMPLATE_CSV.read_text(encoding="utf-8"), encoding="utf-8")
    code, out = _run(["merge", entries.name, "--store", "var/new-store"], tmp_path, monkeypatch)
    assert code != 0 or "new-store" in out, out


def test_a_semicolon_separated_csv_is_told_to_use_commas(tmp_path, monkeypatch):
    text = TEMPLATE_CSV.read_text(encoding="utf-8").splitlines()
    (tmp_path / "entries.csv").write_text("\n".join(line.replace(",", ";") for line in text) + "\n",
                                          encoding="utf-8")
    code, out = _run(["validate", "--no-store", "entries.csv"], tmp_path, monkeypatch)
    assert code == 2
    assert re.search(r"comma|semicolon|separat|delimit", out, re.IGNORECASE), out


# --- linked-data consumer / data reuser -------------------------------------------------------


def test_the_published_dump_restores_with_policykg_restore(client, tmp_path):
    r = client.get("/dumps/policykg.nq.gz")
    assert r.status_code == 200
    dump = tmp_path / "policykg.nq.gz"
    dump.write_bytes(r.content)
    assert gzip.decompress(r.content)  # a whole gzip file
    result = _cli(["restore", str(dump), "--store", str(tmp_path / "restored")], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_agency_page_roles_read_as_words(client):
    r = client.get("/doc/agency/ndrc", headers={"Accept": "text/html"})
    assert r.status_code == 200
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", r.text)
    assert not [c for c in cells if re.search(r"\b(issuedBy|sourceHostedBy|issuedByHeadline)\b", c)], cells


def test_not_found_message_grammar(client):
    r = client.get("/api/queries/policies-by-agency", params={"agency": "no-such-agency"})
    assert r.status_code == 404
    assert "a agency" not in r.json()["detail"], r.text


def _count_on_page(html: str) -> int:
    m = re.search(r'<p class="count">(\d+) polic', html)
    assert m, html[:500]
    return int(m.group(1))


@pytest.mark.parametrize("name, typed, canonical", [("region", "cn-sd", "CN-SD"), ("agency", "NDRC", "ndrc")])
def test_policies_filter_typed_differently_is_not_read_as_none(client, name, typed, canonical):
    want = _count_on_page(client.get("/policies", params={name: canonical}).text)
    assert want > 0
    r = client.get("/policies", params={name: typed})
    assert r.status_code >= 400 or _count_on_page(r.text) == want, r.status_code


def test_level_below_the_jurisdiction_is_reported(tmp_path, monkeypatch):
    text = TEMPLATE_CSV.read_text(encoding="utf-8")
    assert ",CN-FJ,,provincial," in text
    (tmp_path / "entries.csv").write_text(text.replace(",CN-FJ,,provincial,", ",CN,,provincial,"),
                                          encoding="utf-8")
    code, out = _run(["validate", "--no-store", "entries.csv"], tmp_path, monkeypatch)
    assert code != 0 or "warning" in out.lower(), out


def test_an_ill_typed_date_in_turtle_gives_a_report_without_tracebacks(tmp_path):
    (tmp_path / "entry.ttl").write_text(
        "@prefix pkg: <https://w3id.org/policykg/ontology#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "<https://w3id.org/policykg/id/policy/cn-test-policy> a pkg:Policy ;\n"
        '  dcterms:title "Test Policy"@en ; pkg:governmentLevel pkg:National ;\n'
        "  pkg:jurisdiction <https://w3id.org/policykg/id/region/CN> ;\n"
        '  pkg:publicationDate "2022-13-01"^^xsd:date .\n', encoding="utf-8")
    r = _cli(["validate", "--no-store", "entry.ttl"], tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Traceback" not in r.stderr, r.stderr
