"""The loaders package's public interface and its command-line entry point."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import rdflib

import loaders
from policykg.vocab import PKG

from test_loaders_briefing import SYNTHETIC
from test_loaders_linking import REFERENCE_TTL

ROOT = Path(__file__).resolve().parent.parent


def test_all_names_exist() -> None:
    assert loaders.__all__ == ["Extraction", "extract", "extract_document"]
    for name in loaders.__all__:
        assert getattr(loaders, name).__doc__


def test_extract_signature() -> None:
    sig = inspect.signature(loaders.extract)
    assert list(sig.parameters) == ["path", "minter", "reference", "ontology_dir", "max_bytes", "timeout_s"]
    assert sig.parameters["max_bytes"].default == 10_000_000
    assert sig.parameters["timeout_s"].default == 60
    fields = list(loaders.Extraction.__dataclass_fields__)
    assert fields == ["graph", "document", "graph_name", "text", "warnings", "stats"]


def test_module_entry_point_writes_turtle(tmp_path: Path) -> None:
    onto = tmp_path / "ontology" / "reference"
    onto.mkdir(parents=True)
    (onto / "test.ttl").write_text(REFERENCE_TTL, encoding="utf-8")
    src = tmp_path / "epm-2025-06.txt"
    src.write_text(SYNTHETIC, encoding="utf-8")
    out = tmp_path / "out.ttl"
    run = subprocess.run([sys.executable, "-W", "error", "-m", "loaders.briefing", str(src), "-o", str(out),
                          "--ontology-dir", str(tmp_path / "ontology")],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    g = rdflib.Graph().parse(out)
    assert len(set(g.subjects(rdflib.RDF.type, PKG.Policy))) == 8
    assert "'policies': 8" in run.stderr


def test_module_entry_point_reports_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    run = subprocess.run([sys.executable, "-m", "loaders.briefing", str(bad)], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 2
    assert "empty.txt" in run.stdout + run.stderr


def test_docstring_examples_run() -> None:
    import doctest

    import loaders.briefing
    import loaders.document
    import loaders.emit
    import loaders.linking

    for mod in (loaders.briefing, loaders.document, loaders.emit, loaders.linking):
        result = doctest.testmod(mod)
        assert result.failed == 0, mod.__name__
    assert result.attempted >= 1


def test_submodule_all_lists_exist() -> None:
    import importlib

    for name in ("briefing", "document", "emit", "linking", "pdf", "html"):
        mod = importlib.import_module(f"loaders.{name}")
        assert mod.__doc__
        for attr in mod.__all__:
            assert hasattr(mod, attr), (name, attr)


def test_same_triples_across_processes_and_hash_seeds(tmp_path: Path) -> None:
    import os

    onto = tmp_path / "ontology" / "reference"
    onto.mkdir(parents=True)
    (onto / "test.ttl").write_text(REFERENCE_TTL, encoding="utf-8")
    src = tmp_path / "epm-2025-06.txt"
    src.write_text(SYNTHETIC, encoding="utf-8")
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}.ttl"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        run = subprocess.run([sys.executable, "-m", "loaders.briefing", str(src), "-o", str(out), "--ontology-dir",
                              str(tmp_path / "ontology")], cwd=ROOT, capture_output=True, text=True, timeout=120,
                             env=env)
        assert run.returncode == 0, run.stderr
        outs.append(sorted(rdflib.Graph().parse(out).serialize(format="nt").splitlines()))
    assert outs[0] == outs[1]
