"""Session 12: follow-ups of the eleventh note (proxy headers, newcomer's small points)."""

from __future__ import annotations

import pytest

from policykg.cli import _proxy_options
from policykg.settings import Settings


def test_serve_believes_no_proxy_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    """uvicorn by itself believes X-Forwarded-For from 127.0.0.1; ``serve`` believes it from no peer unless
    POLICYKG_FORWARDED_ALLOW_IPS (or uvicorn's own FORWARDED_ALLOW_IPS) names the proxy."""
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    assert _proxy_options(Settings()) == {"proxy_headers": False}
    told = Settings.from_env({"POLICYKG_FORWARDED_ALLOW_IPS": "10.0.0.5, 10.1.0.0/16"})
    assert _proxy_options(told) == {"proxy_headers": True, "forwarded_allow_ips": "10.0.0.5, 10.1.0.0/16"}
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "192.0.2.7")
    assert _proxy_options(Settings()) == {"proxy_headers": True, "forwarded_allow_ips": "192.0.2.7"}
    assert _proxy_options(told)["forwarded_allow_ips"] == "10.0.0.5, 10.1.0.0/16"  # ours wins
