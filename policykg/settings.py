"""Settings: one object, read once at start, passed down explicitly.

Every field can be set from the environment as ``POLICYKG_<FIELD>`` in upper
case (``POLICYKG_STORE_PATH=/srv/kg``); otherwise its default applies. Nothing
in policykg reads the environment anywhere else. Units are in the names.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Mapping

from .errors import ConfigError
from .vocab import DEFAULT_BASE_IRI

__all__ = ["Settings", "PROJECT_ROOT", "check_forwarded_allow_ips"]

#: The repository root: ``ontology/``, ``shapes/``, ``queries/`` and ``data/`` live here.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """policykg settings. Field docs are the documentation of each setting."""

    #: Directory of the embedded Oxigraph store (created when missing).
    store_path: Path = Path("var/store")
    #: Open the embedded store read-only: nothing is written, and nothing else may write it while it is
    #: open (a backup or snapshot). ``policykg serve`` sets it for its server processes (see ``workers``).
    store_read_only: bool = False
    #: Base of all instance IRIs; must end with ``/``.
    base_iri: str = DEFAULT_BASE_IRI
    #: SPARQL 1.1 query endpoint of a remote store; empty means the embedded store.
    sparql_endpoint: str = ""
    #: SPARQL 1.1 update endpoint of the remote store (writes).
    sparql_update_endpoint: str = ""
    #: Wall-clock limit of one public SPARQL query, in seconds.
    query_timeout_s: float = 10.0
    #: Wall-clock limit of one aggregate over the whole store that the site computes in the background
    #: once per data version (filter options, statistics, sitemap, VoID counts, dumps; ``api/summaries.py``),
    #: in seconds. On 100,000 synthetic policies the slowest, the filter options, took 30 s.
    summary_timeout_s: float = 600.0
    #: Most rows a SELECT on the public endpoint returns before it is truncated (signalled).
    max_result_rows: int = 10_000
    #: Largest accepted request body or input file, in bytes.
    max_upload_bytes: int = 10_000_000
    #: Most focus nodes (distinct subjects) one ``POST /validate`` or ``/merge`` body may hold; more is
    #: refused (413) before validation. pySHACL takes 5 to 10 ms a focus node in the store's context
    #: (the sample briefing, 412 focus nodes: 3.3 s). The command line (``policykg validate``) has no limit.
    max_validate_focus_nodes: int = 500
    #: Most triples one ``POST /validate`` or ``/merge`` body may hold (413 before validation): values cost
    #: too (one policy with 5,000 titles: 3.6 s). The command line has no limit.
    max_validate_triples: int = 5_000
    #: Most results one validation report over HTTP lists (most severe first); the rest are counted
    #: (``results_omitted``, ``truncated``), never silently cut.
    max_report_results: int = 1_000
    #: Wall-clock limit of one validation over HTTP (``POST /validate``, ``/merge``), in seconds: it runs in a
    #: worker process that is killed at the limit (503). 0 validates in the server process, with no limit.
    validate_timeout_s: float = 15.0
    #: Validation worker processes per server process (each holds the shapes: about 60 MB idle, more
    #: while it validates); more concurrent validations wait for a free one within their time limit.
    validate_workers: int = 2
    #: Largest accepted SPARQL query text, in bytes.
    max_query_bytes: int = 100_000
    #: Directory of the ontology, vocabularies and reference data (Turtle).
    ontology_dir: Path = PROJECT_ROOT / "ontology"
    #: Directory of the SHACL shapes (Turtle).
    shapes_dir: Path = PROJECT_ROOT / "shapes"
    #: Directory of the canned queries (``.rq``).
    queries_dir: Path = PROJECT_ROOT / "queries"
    #: Briefings loaded by ``policykg serve`` when the store is empty.
    sample_dir: Path = PROJECT_ROOT / "data" / "briefings"
    #: Host ``policykg serve`` binds to.
    host: str = "127.0.0.1"
    #: Port ``policykg serve`` listens on.
    port: int = 8000
    #: Whether ``policykg serve`` logs one line per request (uvicorn's access log, on stderr).
    access_log: bool = True
    #: Server processes ``policykg serve`` runs (uvicorn workers sharing the port). Above 1, they serve a
    #: read-only snapshot of the embedded store taken at start, and ``serve`` refuses a ``write_token``.
    workers: int = 1
    #: Query worker processes per server process: they run the SPARQL queries that are not answered
    #: in the server process, and are killed at ``query_timeout_s``.
    query_workers: int = 3
    #: Most query workers one client (an IP address; for IPv6 a /64) may hold at once, so that one client's
    #: runaway queries leave workers for others; its further queries wait, and get 429 when they cannot
    #: start in time. Unset: one fewer than ``query_workers``. ``query_workers`` or more: no limit.
    #: Behind a reverse proxy, name it in ``forwarded_allow_ips``, or every client counts as the proxy.
    query_workers_per_client: int | None = None
    #: Query worker processes per server process for the pages' own scanning queries (the policy list,
    #: statistics, the year and region pages), apart from ``query_workers``: one client holds one at most.
    page_workers: int = 2
    #: Reverse proxies whose ``X-Forwarded-For`` and ``X-Forwarded-Proto`` headers ``policykg serve``
    #: believes: comma-separated addresses or networks (``127.0.0.1``, ``10.0.0.0/8``), or ``*`` for any
    #: peer (uvicorn's ``forwarded_allow_ips``). Empty: none, so each client is the TCP peer it connects
    #: from and a client cannot claim another address to get a fresh share of the query workers. Unset,
    #: uvicorn's own ``FORWARDED_ALLOW_IPS`` variable is read, if set. ``*`` only for a server that no client
    #: reaches but through the proxy: uvicorn then takes the leftmost address, which a client writes itself.
    forwarded_allow_ips: str = ""
    #: Where ``serve`` puts its snapshots and the query pool its checkpoints (``<store>.serve-snapshots``,
    #: ``<store>.query-checkpoints``); unset means beside the store. Give a folder on the store's own file
    #: system when the store is a volume or mount point of its own: elsewhere a snapshot is a full copy.
    scratch_dir: Path | None = None
    #: Bearer token required by write endpoints; empty means writes over HTTP are off.
    write_token: str = ""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> "Settings":
        """Build settings from ``environ`` (default ``os.environ``), then ``overrides``.

        Raises :class:`~policykg.errors.ConfigError` (a :class:`ValueError`) naming the
        variable when a value has the wrong type, or when settings clash.
        """
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            key = f"POLICYKG_{f.name.upper()}"
            if key in env:
                raw = env[key]
                try:
                    values[f.name] = _convert(f.type, raw)
                except ValueError as exc:
                    raise ConfigError(f"{key}={raw!r}: {exc}") from None
        values.update({k: v for k, v in overrides.items() if v is not None})
        for name in ("store_path", "scratch_dir"):
            if values.get(name) is not None:
                values[name] = Path(values[name])  # type: ignore[arg-type]
        return cls(**values)  # type: ignore[arg-type]

    def replace(self, **changes: object) -> "Settings":
        """A copy with ``changes`` applied."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    def to_env(self) -> dict[str, str]:
        """These settings as ``POLICYKG_*`` variables: ``Settings.from_env(s.to_env()) == s``.

        How ``policykg serve`` hands its settings to server processes it starts.
        """
        env = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                env[f"POLICYKG_{f.name.upper()}"] = ""  # unset: from_env reads "" back as None
            elif isinstance(value, bool):
                env[f"POLICYKG_{f.name.upper()}"] = "true" if value else "false"
            else:
                env[f"POLICYKG_{f.name.upper()}"] = str(value)
        return env

    @property
    def remote(self) -> bool:
        """True when a remote SPARQL endpoint is configured."""
        return bool(self.sparql_endpoint)

    def __post_init__(self) -> None:
        if not self.base_iri.endswith("/"):
            raise ConfigError(f"base_iri must end with '/': {self.base_iri!r}")
        if not self.summary_timeout_s > 0:
            raise ConfigError(f"POLICYKG_SUMMARY_TIMEOUT_S must be more than 0, not {self.summary_timeout_s}")
        if self.validate_timeout_s < 0:
            raise ConfigError(f"POLICYKG_VALIDATE_TIMEOUT_S must be 0 (no limit) or more, not {self.validate_timeout_s}")
        for name in ("workers", "query_workers", "page_workers", "validate_workers", "max_validate_focus_nodes",
                     "max_validate_triples", "max_report_results", "query_workers_per_client"):
            if getattr(self, name) is not None and getattr(self, name) < 1:
                raise ConfigError(f"POLICYKG_{name.upper()} must be at least 1, not {getattr(self, name)}")
        check_forwarded_allow_ips(self.forwarded_allow_ips)
        if not 0 <= self.port <= 65535:
            raise ConfigError(f"POLICYKG_PORT must be a TCP port (0 to 65535), not {self.port}")
        if self.store_read_only and self.sparql_endpoint:
            raise ConfigError("POLICYKG_STORE_READ_ONLY applies to the embedded store; with POLICYKG_SPARQL_ENDPOINT "
                              "set, writes are allowed or refused by the remote server")
        if self.scratch_dir is not None:
            store, scratch = Path(self.store_path).resolve(), Path(self.scratch_dir).resolve()
            if scratch == store or store in scratch.parents:
                raise ConfigError(f"POLICYKG_SCRATCH_DIR={str(self.scratch_dir)!r} is inside the store "
                                  f"{str(self.store_path)!r}; give a folder beside it, on the same file system")


def check_forwarded_allow_ips(value: str, variable: str = "POLICYKG_FORWARDED_ALLOW_IPS") -> str:
    """``value`` (comma-separated IP addresses and CIDR networks, or ``*``) when uvicorn can use every
    entry; else :class:`ConfigError` naming ``variable`` and the entry. uvicorn keeps an entry it cannot
    read as an address (``localhost``, ``10.0.0.0/33``) as a literal that no connecting address matches,
    so the proxy it names would silently never be believed."""
    for entry in (e.strip() for e in value.split(",")):
        if entry and entry != "*":
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ConfigError(f"{variable}: {entry!r} is not an IP address or network (CIDR, e.g. "
                                  "10.0.0.0/8); a proxy named otherwise is never believed") from None
    return value


def _convert(type_name: object, raw: str) -> object:
    t = str(type_name)
    if t == "bool":
        value = raw.strip().lower()
        if value not in _BOOLEANS:
            raise ValueError("expected true or false (also 1/0, yes/no, on/off)")
        return _BOOLEANS[value]
    if "None" in t and raw == "":
        return None
    if "Path" in t:
        return Path(raw)
    if "float" in t:
        return float(raw)
    if "int" in t:
        return int(raw)
    return raw


_BOOLEANS = {"true": True, "1": True, "yes": True, "on": True, "false": False, "0": False, "no": False, "off": False}
