"""Helpers for tests that start ``policykg serve`` as a real process (tests/test_serve*.py).

Servers are started in a session of their own (``start_new_session=True``) so that
:func:`kill_group` ends them with every server process and query worker they started.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.parse
import urllib.request

from policykg.settings import PROJECT_ROOT

#: The command line of ``policykg serve`` in this interpreter (add ``--store``, ``--port``...).
SERVE = [sys.executable, "-c", "from policykg.cli import main; main()", "serve"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_env(**extra: str) -> dict[str, str]:
    """The environment for a served process: this one, access log off, the repository importable, ``extra``."""
    return dict(os.environ, POLICYKG_ACCESS_LOG="false", PYTHONPATH=str(PROJECT_ROOT), **extra)


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL ``proc`` and every process of its session, then reap ``proc``."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def answers(port: int, query: str = "ASK {}") -> bool:
    """True when ``GET /sparql?query=...`` on ``port`` gives a 2xx answer within 5 s."""
    url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": query})
    try:
        urllib.request.urlopen(url, timeout=5).read()
        return True
    except OSError:
        return False
