"""Attacks on ``policykg serve --workers N`` and read-only stores (reviewer's regression tests).

Each test failed on the code as first reviewed.
Servers are started in their own session and the whole process group is killed at the end,
so that no server process outlives a test.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policykg.cli import app
from policykg.settings import Settings
from policykg.store import OwnedDir, OxigraphStore
from tests.serve_helpers import SERVE, answers, free_port, kill_group, serve_env

runner = CliRunner()
BASE = Settings().base_iri




def _empty_store(path: Path) -> Path:
    OxigraphStore(path, BASE).close()
    return path


def _serve(store: Path, port: int, **env: str) -> subprocess.Popen:
    return subprocess.Popen([*SERVE, "--store", str(store), "--port", str(port), "--workers", "2"],
                            env=serve_env(**env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)


def _group_members(pgid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if os.getpgid(int(d.name)) == pgid:
                    out.append(int(d.name))
            except (ProcessLookupError, PermissionError):
                pass
    return out


def test_an_app_error_in_the_server_processes_stops_serve_with_a_message(tmp_path):
    queries = tmp_path / "queries"
    queries.mkdir()
    (queries / "bad.rq").write_text("this is not a canned query\n", encoding="utf-8")
    store = _empty_store(tmp_path / "store")
    proc = _serve(store, free_port(), POLICYKG_STORE_READ_ONLY="true", POLICYKG_QUERIES_DIR=str(queries))
    try:
        output, _ = proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        output = proc.stdout.read() if proc.stdout else ""
    assert proc.returncode == 2, output[-2000:]
    assert "bad.rq" in output


def test_server_processes_do_not_outlive_a_killed_serve(tmp_path):
    store = _empty_store(tmp_path / "store")
    port = free_port()
    proc = _serve(store, port, POLICYKG_STORE_READ_ONLY="true")
    try:
        deadline = time.monotonic() + 60
        while not answers(port):
            assert proc.poll() is None and time.monotonic() < deadline, "serve did not start"
            time.sleep(0.3)
        # a server process may still be starting here; it ends too (its spawner's pid is checked, see the
        # subreaper test in tests/test_serve_attacks2.py)
        proc.kill()  # the parent only, as the OOM killer or an operator's kill -9 would
        proc.wait()
        deadline = time.monotonic() + 15
        while _group_members(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert _group_members(proc.pid) == []
    finally:
        kill_group(proc)


def test_a_stale_snapshot_with_a_reused_pid_is_deleted(tmp_path):
    st = OxigraphStore(tmp_path / "store", BASE)
    parent = tmp_path / "store.serve-snapshots"
    try:
        stale = parent / f"{os.getpid()}-0000dead"
        st.snapshot(stale)  # left by a killed serve that had the pid this process has now
        (parent / f"{stale.name}.lock").touch()  # its lock file, no longer locked by anyone
        fresh = OwnedDir(parent, create=False)
        st.snapshot(fresh.path)
        assert fresh.path.exists() and not stale.exists()
        fresh.release()
        assert not parent.exists()
    finally:
        st.close()


def test_restore_refuses_a_read_only_store(tmp_path):
    store = tmp_path / "store"
    st = OxigraphStore(store, BASE)
    st.restore_nquads(b"<http://ex/a> <http://ex/b> <http://ex/c> <http://ex/g> .\n")
    before = st.dump_nquads()
    st.close()
    dump = tmp_path / "other.nq"
    dump.write_bytes(b"<http://ex/x> <http://ex/y> <http://ex/z> <http://ex/g2> .\n")
    result = runner.invoke(app, ["restore", str(dump), "--store", str(store)], env={"POLICYKG_STORE_READ_ONLY": "true"})
    after = OxigraphStore(store, BASE, read_only=True)
    try:
        assert after.dump_nquads() == before
    finally:
        after.close()
    assert result.exit_code == 2 and "read-only" in result.output


def test_validate_reads_a_held_store_when_read_only_is_set(tmp_path):
    entry = tmp_path / "entry.ttl"
    entry.write_text("@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\n", encoding="utf-8")
    holder = OxigraphStore(tmp_path / "store", BASE)  # holds the lock, as a running serve does
    try:
        result = runner.invoke(app, ["validate", str(entry), "--store", str(tmp_path / "store")],
                               env={"POLICYKG_STORE_READ_ONLY": "true"})
    finally:
        holder.close()
    assert result.exit_code in (0, 1), result.output


def test_a_port_out_of_range_is_a_config_error():
    from policykg.errors import ConfigError

    with pytest.raises(ConfigError, match="POLICYKG_PORT"):
        Settings.from_env({"POLICYKG_PORT": "99999"})
