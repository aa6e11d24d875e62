"""Second review of ``policykg serve --workers N``, ``OwnedDir`` and ``remove_stale_dirs`` (regression tests).

Each test failed on c2d2e05 and the commits up to 3118053.
Servers are started in their own session and the whole process group is killed at the end.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from policykg.settings import Settings
from policykg.store import OwnedDir, OxigraphStore, remove_stale_dirs
from tests.serve_helpers import SERVE, answers, free_port, kill_group, serve_env

BASE = Settings().base_iri










# -- remove_stale_dirs: lock names whose stem is "." or ".." -----------------------------------


def test_a_lock_file_named_dot_dot_does_not_delete_the_stores_folder(tmp_path):
    outer = tmp_path / "outer"
    parent = outer / "store.query-checkpoints"
    parent.mkdir(parents=True)
    (outer / "canary").write_text("beside the store\n", encoding="utf-8")
    (parent / "...lock").touch()  # stem "..": parent / ".." is the store's own folder
    with contextlib.suppress(OSError):  # today: the folder is gone before its listing
        remove_stale_dirs(parent)
    assert (outer / "canary").exists()


def test_a_lock_file_named_dot_does_not_delete_live_directories(tmp_path):
    parent = tmp_path / "store.query-checkpoints"
    live = OwnedDir(parent)  # its flock is on another open file description: to the cleaner it is another owner's
    try:
        (parent / "..lock").touch()
        with contextlib.suppress(OSError):  # today: the folder is gone before its listing
            remove_stale_dirs(parent)
        assert live.path.is_dir()
    finally:
        live.release()


# -- OwnedDir made and released at once in several processes -----------------------------------

_CHURN = textwrap.dedent("""
    import sys
    from pathlib import Path
    from policykg.store import OwnedDir
    bad = 0
    for _ in range(300):
        try:
            o = OwnedDir(Path(sys.argv[1]))
        except Exception:
            bad += 1
            continue
        if not (o.path.is_dir() and o._lock_path.exists()):
            bad += 1
        o.release()
    print(bad)
""")


def test_owned_dirs_made_and_released_concurrently_never_fail(tmp_path):
    parent = tmp_path / "x.query-checkpoints"
    procs = [subprocess.Popen([sys.executable, "-c", _CHURN, str(parent)], env=serve_env(), stdout=subprocess.PIPE,
                              text=True, start_new_session=True) for _ in range(4)]
    try:
        bad = [int(p.communicate(timeout=120)[0].strip() or "-1") for p in procs]
    finally:
        for p in procs:
            kill_group(p)
    assert bad == [0, 0, 0, 0]


# -- PR_SET_PDEATHSIG and the parent check in _die_with_parent ---------------------------------


def _unshare_works() -> bool:
    exe = shutil.which("unshare")
    if exe is None:
        return False
    try:
        return subprocess.run([exe, "--pid", "--fork", "--mount-proc", "true"], capture_output=True,
                              timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux") or not _unshare_works(),
                    reason="needs Linux and unshare --pid (root or user namespaces)")
def test_serve_as_pid_1_of_a_container_serves(tmp_path):
    store = tmp_path / "store"
    OxigraphStore(store, BASE).close()
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(["unshare", "--pid", "--fork", "--mount-proc", *SERVE, "--store", str(store),
                                 "--port", str(port), "--workers", "2"],
                                env=serve_env(POLICYKG_STORE_READ_ONLY="true"), stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not answers(port):
            text = log.read_text(errors="replace")
            assert "died" not in text, "server processes die and are restarted:\n" + text[-1500:]
            assert proc.poll() is None and time.monotonic() < deadline, text[-1500:]
            time.sleep(0.3)
    finally:
        kill_group(proc)


_SUBREAPER = textwrap.dedent("""
    import ctypes, os, signal, subprocess, sys, time
    from pathlib import Path
    assert ctypes.CDLL(None).prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER, as systemd --user or tini -s
    serve = subprocess.Popen(sys.argv[1:], stderr=subprocess.PIPE, text=True)
    for line in serve.stderr:
        if "Started parent process" in line:  # uvicorn has just spawned its server processes
            break
    time.sleep(0.1)
    kids = [int(c) for c in Path(f"/proc/{serve.pid}/task/{serve.pid}/children").read_text().split()]
    servers = [k for k in kids if b"spawn_main" in Path(f"/proc/{k}/cmdline").read_bytes()]
    serve.kill()
    serve.wait()

    def running(pid):
        try:  # a process may go between any two reads of /proc: ENOENT or ESRCH
            return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
        except (FileNotFoundError, ProcessLookupError):
            return False

    deadline = time.monotonic() + 15
    alive = servers
    while alive and time.monotonic() < deadline:
        time.sleep(0.3)
        for k in kids:
            try:
                os.waitpid(k, os.WNOHANG)
            except ChildProcessError:
                pass
        alive = [k for k in servers if running(k)]
    print("servers", len(servers), "alive", len(alive), flush=True)
    os.killpg(0, signal.SIGKILL)
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_CHILD_SUBREAPER is Linux")
def test_server_processes_started_as_serve_dies_do_not_survive_under_a_subreaper(tmp_path):
    store = tmp_path / "store"
    OxigraphStore(store, BASE).close()
    proc = subprocess.Popen([sys.executable, "-c", _SUBREAPER, *SERVE, "--store", str(store),
                             "--port", str(free_port()), "--workers", "2"],
                            env=serve_env(POLICYKG_STORE_READ_ONLY="true"), stdout=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        output, _ = proc.communicate(timeout=90)
    finally:
        kill_group(proc)
    words = output.split()
    assert words[:2] == ["servers", "2"], output
    assert words[3] == "0", output


# -- serve --workers 1 stopped with SIGTERM (systemd, docker stop) -----------------------------


def test_a_sigterm_stop_of_a_single_process_serve_removes_its_query_checkpoints(tmp_path):
    store = tmp_path / "store"
    OxigraphStore(store, BASE).close()
    port = free_port()
    proc = subprocess.Popen([*SERVE, "--store", str(store), "--port", str(port), "--workers", "1"], env=serve_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"  # not a lookup: runs in the query pool
        while not answers(port, count):
            assert proc.poll() is None and time.monotonic() < deadline, "serve did not start"
            time.sleep(0.3)
        assert (tmp_path / "store.query-checkpoints").is_dir()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    finally:
        kill_group(proc)
    assert not (tmp_path / "store.query-checkpoints").exists()
