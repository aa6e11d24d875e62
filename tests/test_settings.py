"""Tests of policykg.settings and policykg.errors."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

import policykg.errors as errors
from policykg.settings import PROJECT_ROOT, Settings


def test_environment_overrides_defaults():
    s = Settings.from_env({"POLICYKG_PORT": "9001", "POLICYKG_QUERY_TIMEOUT_S": "2.5",
                           "POLICYKG_STORE_PATH": "/tmp/kg"})
    assert (s.port, s.query_timeout_s, s.store_path) == (9001, 2.5, Path("/tmp/kg"))


def test_explicit_overrides_win_and_none_is_ignored():
    s = Settings.from_env({"POLICYKG_PORT": "9001"}, port=9002, host=None)
    assert s.port == 9002 and s.host == "127.0.0.1"


def test_bad_values_name_the_variable():
    with pytest.raises(ValueError, match="POLICYKG_MAX_RESULT_ROWS"):
        Settings.from_env({"POLICYKG_MAX_RESULT_ROWS": "many"})
    with pytest.raises(ValueError, match="base_iri"):
        Settings(base_iri="https://example.org/no-slash")


@pytest.mark.parametrize("raw, value", [("false", False), ("0", False), ("Off", False), ("no", False),
                                        ("true", True), ("1", True), ("YES", True), (" on ", True)])
def test_boolean_settings(raw, value):
    assert Settings.from_env({"POLICYKG_ACCESS_LOG": raw}).access_log is value


def test_bad_boolean_names_the_variable():
    with pytest.raises(ValueError, match="POLICYKG_ACCESS_LOG='maybe': expected true or false"):
        Settings.from_env({"POLICYKG_ACCESS_LOG": "maybe"})


def test_every_setting_is_documented_in_the_readme():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [f.name for f in fields(Settings) if f"POLICYKG_{f.name.upper()}" not in readme]
    assert missing == []


def test_error_tree_statuses_and_exit_codes():
    assert errors.ValidationFailed("x").exit_code == 1
    assert errors.InputError("x").exit_code == 2
    assert errors.QueryTimeout("x").status == 503
    assert issubclass(errors.QueryRefused, errors.QueryError)
    assert issubclass(errors.PayloadTooLarge, errors.InputError)


def test_input_error_says_where():
    e = errors.InputError("unexpected token", file="a.ttl", line=3, column=7)
    assert str(e) == "a.ttl:3:7: unexpected token"
    p = e.problem()
    assert (p["status"], p["line"], p["column"], p["file"]) == (400, 3, 7, "a.ttl")
    e = errors.InputError("not a year", file="new.csv", line=4, field="target_year")
    assert str(e) == "new.csv:4 field 'target_year': not a year"


def test_all_exports_exist():
    import policykg.rdfio
    import policykg.store
    import policykg.vocab

    for module in (errors, policykg.vocab, policykg.store, policykg.rdfio):
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.{name}"


def test_to_env_round_trips_every_setting():
    s = Settings(store_path=Path("/srv/kg"), port=9001, access_log=False, workers=3, query_timeout_s=2.5,
                 store_read_only=True)
    assert Settings.from_env(s.to_env()) == s
    assert s.to_env()["POLICYKG_ACCESS_LOG"] == "false"
    for scratch in (None, Path("/srv/scratch")):  # an unset optional path travels as "" and comes back None
        t = s.replace(scratch_dir=scratch)
        assert Settings.from_env(t.to_env()) == t
    assert Settings.from_env({"POLICYKG_SCRATCH_DIR": ""}).scratch_dir is None


def test_clashing_or_out_of_range_settings_are_config_errors():
    with pytest.raises(errors.ConfigError, match="POLICYKG_WORKERS must be at least 1"):
        Settings.from_env({"POLICYKG_WORKERS": "0"})
    with pytest.raises(errors.ConfigError, match="POLICYKG_QUERY_WORKERS must be at least 1"):
        Settings(query_workers=0)
    with pytest.raises(errors.ConfigError, match="POLICYKG_STORE_READ_ONLY applies to the embedded store"):
        Settings(store_read_only=True, sparql_endpoint="http://127.0.0.1:7878/query")
    for port in ("99999", "-1"):
        with pytest.raises(errors.ConfigError, match="POLICYKG_PORT must be a TCP port"):
            Settings.from_env({"POLICYKG_PORT": port})
    for inside in ("/srv/kg", "/srv/kg/tmp"):
        with pytest.raises(errors.ConfigError, match="POLICYKG_SCRATCH_DIR='.*' is inside the store"):
            Settings.from_env({"POLICYKG_STORE_PATH": "/srv/kg", "POLICYKG_SCRATCH_DIR": inside})
    assert Settings(store_path=Path("/srv/kg"), scratch_dir=Path("/srv")).scratch_dir == Path("/srv")
    # a write token with several server processes is refused by `serve` only (tests/test_serve.py)
    assert Settings(write_token="secret", workers=2).workers == 2
    assert issubclass(errors.ConfigError, ValueError) and errors.ConfigError("x").exit_code == 2
