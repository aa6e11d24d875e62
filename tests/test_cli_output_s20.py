"""``policykg query`` output, as a newcomer read it: ``--format json`` keeps every column in every row
(an unbound one is null, as CSV and TSV keep an empty field), and the terminal table shortens IRIs
(``region/CN-SD``, ``pkg:AtLeast``) instead of cutting them to "https://…", saying so on stderr, while
the output written to a file keeps them whole."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console
from typer.testing import CliRunner

import policykg.cli as cli

runner = CliRunner()
BASE = "https://w3id.org/policykg/"
QUERY = ("SELECT ?region ?kind ?missing WHERE { VALUES (?region ?kind) { (<%sid/region/CN-SD> "
         "<https://w3id.org/policykg/ontology#AtLeast>) (<http://example.org/x> UNDEF) } "
         "OPTIONAL { ?region <http://example.org/none> ?missing } }" % BASE)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    """A store merged from one triple (plus the reference data)."""
    folder = tmp_path_factory.mktemp("cli-out")
    entry = folder / "entry.ttl"
    entry.write_text(f'<{BASE}id/x> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n')
    path = str(folder / "store")
    assert runner.invoke(cli.app, ["merge", str(entry), "--store", path]).exit_code == 0
    return path


def test_json_rows_carry_every_column_unbound_as_null(store: str) -> None:
    result = runner.invoke(cli.app, ["query", QUERY, "--store", store, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows == [{"region": f"{BASE}id/region/CN-SD", "kind": "https://w3id.org/policykg/ontology#AtLeast",
                     "missing": None},
                    {"region": "http://example.org/x", "kind": None, "missing": None}]
    assert all(list(r) == ["region", "kind", "missing"] for r in rows)  # the query's column order


def test_the_terminal_table_shortens_iris_and_says_so(store: str, monkeypatch) -> None:
    screen = io.StringIO()
    monkeypatch.setattr(cli, "out", Console(file=screen, force_terminal=True, width=100, color_system=None))
    result = runner.invoke(cli.app, ["query", QUERY, "--store", store])
    assert result.exit_code == 0, result.output
    shown = screen.getvalue()
    assert "region/CN-SD" in shown and "pkg:AtLeast" in shown and f"{BASE}id/" not in shown
    assert "http://example.org/x" in shown  # outside every known namespace: whole
    assert "…" not in shown  # nothing cut at this width
    assert "IRIs shortened" in result.stderr and f"{BASE}id/" in result.stderr


def test_written_to_a_pipe_the_table_keeps_iris_whole(store: str) -> None:
    result = runner.invoke(cli.app, ["query", QUERY, "--store", store])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "region\tkind\tmissing"
    assert lines[1] == f"{BASE}id/region/CN-SD\thttps://w3id.org/policykg/ontology#AtLeast\t"
    assert "IRIs shortened" not in result.stderr


@pytest.mark.parametrize("value", ["[/]", "[draft] Notice on x", "see [i]Annex[/i]", "[link=http://evil]click[/link]",
                                   ":smile:"])
def test_the_terminal_table_prints_values_as_they_are(store: str, monkeypatch, value: str) -> None:
    """A value is data, not rich console markup: "[/]" crashed the command, "[draft]" vanished."""
    screen = io.StringIO()
    monkeypatch.setattr(cli, "out", Console(file=screen, force_terminal=True, width=100, color_system=None))
    literal = value.replace("\\\\", "\\\\\\\\").replace('"', '\\\\"')
    result = runner.invoke(cli.app, ["query", f'SELECT ?x WHERE {{ VALUES ?x {{ "{literal}" }} }}', "--store", store])
    assert result.exit_code == 0, result.output
    assert value in screen.getvalue()


def test_a_narrow_terminal_folds_long_values_instead_of_cutting_them(store: str, monkeypatch) -> None:
    screen = io.StringIO()
    monkeypatch.setattr(cli, "out", Console(file=screen, force_terminal=True, width=40, color_system=None))
    result = runner.invoke(cli.app, ["query", QUERY, "--store", store])
    assert result.exit_code == 0, result.output
    assert "…" not in screen.getvalue()
    joined = "".join(line.strip("│┃ ") for line in screen.getvalue().splitlines())
    assert "region/CN-SD" in joined.replace("│", "").replace(" ", "")


def test_too_many_columns_for_the_terminal_print_a_record_at_a_time(store: str, monkeypatch) -> None:
    """Fourteen columns in 100 characters gave each about four: 12,000,000 printed as "1200" over "0000". When
    the columns do not fit, each row is printed as "column  value" lines (psql's expanded display)."""
    binds = " ".join(f'BIND("{n}" AS ?c{i})' for i, n in enumerate(["12000000", "200000000", "2025", "million kW",
                                                                      "pkg:AtLeast", "3441", "whatever"] * 2))
    screen = io.StringIO()
    monkeypatch.setattr(cli, "out", Console(file=screen, force_terminal=True, width=100, color_system=None))
    result = runner.invoke(cli.app, ["query", f"SELECT * WHERE {{ {binds} }}", "--store", store])
    assert result.exit_code == 0, result.output
    lines = [line.rstrip() for line in screen.getvalue().splitlines()]
    assert "row 1" in lines[0]
    assert any(line.split() == ["c0", "12000000"] for line in lines), lines
    assert any(line.split() == ["c1", "200000000"] for line in lines)
    assert lines[-1] == "1 row(s)"
