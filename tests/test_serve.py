"""``policykg serve --workers N``: several server processes on one port, serving a read-only
snapshot of the store, which is deleted when the server stops; settings that clash are refused."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policykg.cli import app
from policykg.settings import PROJECT_ROOT
from tests.serve_helpers import SERVE, answers, free_port, kill_group, serve_env

runner = CliRunner()
COUNT_POLICIES = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a <https://w3id.org/policykg/ontology#Policy> }"


def _get(port: int, query: str) -> dict:
    url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": query})
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.load(resp)


def _children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """``policykg serve --workers 2`` on a store it builds from the bundled briefing: (process, port, store)."""
    folder = tmp_path_factory.mktemp("serve")
    store, log = folder / "store", folder / "serve.log"
    port = free_port()
    with log.open("w") as out:  # a file, not a pipe nobody reads while the server runs
        proc = subprocess.Popen([*SERVE, "--store", str(store), "--port", str(port), "--workers", "2"],
                                env=serve_env(), stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 120
    while not answers(port):
        if proc.poll() is not None or time.monotonic() > deadline:
            kill_group(proc)
            pytest.fail("policykg serve --workers 2 did not start:\n" + log.read_text(errors="replace"))
        time.sleep(0.3)
    yield proc, port, store
    kill_group(proc)


def test_two_server_processes_answer_from_a_snapshot(served):
    proc, port, store = served
    servers = [c for c in _children(proc.pid) if "spawn_main" in _cmdline(c)]
    assert len(servers) == 2
    snapshots = sorted(p.name for p in (store.parent / "store.serve-snapshots").iterdir())
    assert len(snapshots) == 2 and snapshots[0].startswith(f"{proc.pid}-") and snapshots[1] == snapshots[0] + ".lock"
    for _ in range(4):  # a query of the worker pool, and a lookup answered in the server process
        assert int(_get(port, COUNT_POLICIES)["results"]["bindings"][0]["n"]["value"]) == 25
        rows = _get(port, "SELECT ?p ?o WHERE { <https://w3id.org/policykg/ontology#Policy> ?p ?o }")
        assert len(rows["results"]["bindings"]) > 3


def test_the_served_store_stays_locked_against_other_writers(served):
    _, _, store = served
    result = runner.invoke(app, ["load", str(PROJECT_ROOT / "data" / "briefings" / "ccnt-2024-03-04.txt"),
                                 "--store", str(store)])
    assert result.exit_code == 2 and "another process holds it" in result.output


def test_stopping_deletes_the_snapshot_and_leaves_the_store_whole(served):
    proc, port, store = served
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=60)
    assert not (store.parent / "store.serve-snapshots").exists()  # the snapshot, its lock, the empty folder
    result = runner.invoke(app, ["query", "--store", str(store), COUNT_POLICIES])
    assert result.exit_code == 0 and "25" in result.output


def test_clashing_or_bad_settings_are_refused_with_a_message(tmp_path):
    result = runner.invoke(app, ["serve", "--store", str(tmp_path / "s"), "--workers", "2"],
                           env={"POLICYKG_WRITE_TOKEN": "secret"})
    assert result.exit_code == 2
    assert "POLICYKG_WRITE_TOKEN" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["serve", "--store", str(tmp_path / "s")], env={"POLICYKG_ACCESS_LOG": "maybe"})
    assert result.exit_code == 2 and "POLICYKG_ACCESS_LOG='maybe'" in result.output
    assert not (tmp_path / "s").exists()  # refused before the store was opened


def test_snapshots_go_to_the_scratch_dir_and_a_copy_across_file_systems_is_warned_of(tmp_path):
    """``POLICYKG_SCRATCH_DIR`` moves the snapshot; on another file system it is a full copy, and serve says so."""
    shm = Path("/dev/shm")
    other_fs = shm.is_dir() and os.access(shm, os.W_OK) and shm.stat().st_dev != tmp_path.stat().st_dev
    scratch = shm / f"policykg-test-{os.getpid()}-{tmp_path.name}" if other_fs else tmp_path / "scratch"
    store, log, port = tmp_path / "kg", tmp_path / "serve.log", free_port()
    empty = tmp_path / "no-briefings"
    empty.mkdir()  # a store of reference data only: quick to build
    env = serve_env(POLICYKG_SCRATCH_DIR=str(scratch), POLICYKG_SAMPLE_DIR=str(empty))
    with log.open("w") as out:
        proc = subprocess.Popen([*SERVE, "--store", str(store), "--port", str(port), "--workers", "2"],
                                env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not answers(port):
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.3)
        assert (scratch / "kg.serve-snapshots").is_dir() and not (tmp_path / "kg.serve-snapshots").exists()
        assert ("on another file system" in log.read_text()) == other_fs
        assert _get(port, "ASK { ?s a <https://w3id.org/policykg/ontology#Region> }")["boolean"] is True
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
        assert not (scratch / "kg.serve-snapshots").exists()
    finally:
        kill_group(proc)
        shutil.rmtree(scratch, ignore_errors=True)


def test_a_busy_port_is_refused_before_the_store_is_built(tmp_path):
    """Was: the bundled briefing was loaded into a new store (30-50 s), "serving ..." printed, then exit 3."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        started = time.monotonic()
        result = CliRunner().invoke(app, ["serve", "--store", str(tmp_path / "store"), "--port", str(port)])
    assert result.exit_code == 2, result.output
    assert f"port {port} on 127.0.0.1 is in use" in result.output and "--port" in result.output
    assert "serving" not in result.output and not (tmp_path / "store").exists()
    assert time.monotonic() - started < 10
