"""Crash safety, fast version of ``benchmarks/crash_test.py``.

``policykg merge`` is SIGKILLed at a few random points; the store must open
afterwards and hold exactly the old or the new state (N-Quads dumps compared
without the meta graph's data-version triples). Reads during writes (same
process, a reader thread) must see a whole graph, never part of one.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import rdflib

from policykg.settings import Settings
from policykg.store import OxigraphStore

from test_hardening_support import need

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "crash_test.py"


def _crash_module():
    spec = importlib.util.spec_from_file_location("policykg_crash_test", BENCH)
    if spec.name in sys.modules:
        return sys.modules[spec.name]
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_merge_killed_at_random_points_leaves_old_or_new_state(tmp_path: Path) -> None:
    need("policykg.reference", "policykg.reference (ontology/reference graph loading used by merge)")
    crash = _crash_module()
    base = Settings().base_iri
    old_store = tmp_path / "old-store"
    with OxigraphStore(old_store, base) as st:
        g = rdflib.Graph()
        for i in range(500):
            g.add((rdflib.URIRef(f"{base}span/old-{i}"), rdflib.RDFS.label, rdflib.Literal(f"old {i}")))
        st.replace_graphs({rdflib.URIRef(f"{base}graph/old"): g})
    new_file = crash.make_entry_file(tmp_path / "new.ttl", 4_000, "new")
    lines: list[str] = []
    report = crash.run_crash_trials(tmp_path, old_store=old_store, new_args=["merge", str(new_file)],
                                    trials=2, seed=7, min_delay_s=0.5, log=lines.append)
    assert report.ok, "\n".join(lines)
    assert len(report.trials) == 2


def test_reads_during_writes_see_whole_graphs(tmp_path: Path) -> None:
    crash = _crash_module()
    reads, seen = crash.check_concurrent_reads(tmp_path / "store", sizes=(1_000, 3_000), writes=4)
    assert reads > 0
    assert seen <= {0, 1_000, 3_000}, sorted(seen)
    assert seen & {1_000, 3_000}


def test_failed_merge_leaves_the_store_exactly_as_it_was(tmp_path: Path) -> None:
    need("policykg.reference", "policykg.reference (ontology/reference graph loading used by merge)")
    from typer.testing import CliRunner  # noqa: PLC0415

    from policykg.cli import app  # noqa: PLC0415

    base = Settings().base_iri
    with OxigraphStore(tmp_path / "store", base) as st:
        g = rdflib.Graph()
        g.add((rdflib.URIRef(f"{base}span/seed"), rdflib.RDFS.label, rdflib.Literal("seed")))
        st.replace_graphs({rdflib.URIRef(f"{base}graph/seed"): g})
        before = st.dump_nquads()
    bad = tmp_path / "untitled-policy.ttl"
    bad.write_text(f"<{base}policy/untitled> a <https://w3id.org/policykg/ontology#Policy> .\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["merge", str(bad), "--store", str(tmp_path / "store")])
    assert result.exit_code == 1, (result.stdout, result.stderr)
    with OxigraphStore(tmp_path / "store", base) as st:
        after = st.dump_nquads()
    assert sorted(after.splitlines()) == sorted(before.splitlines())
