"""The ``policykg`` command line: the composition root wiring loaders, store, validation and API.

Exit codes (``shared/design/architecture.md``): 0 ok, 1 validation failed,
2 usage or input error. Every :class:`~policykg.errors.PolicyKGError` is
printed as one message on stderr with its exit code; anything else is a bug
and shows its traceback.
"""

from __future__ import annotations

import functools
import json
import math
import os
import signal
import sys
import time
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import Callable, List, Optional, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from .errors import ConfigError, InputError, PolicyKGError, QueryError, StoreError, ValidationFailed
from .settings import Settings
from .vocab import Minter

__all__ = ["app", "main"]

app = typer.Typer(
    name="policykg",
    help="A knowledge graph of China's climate and energy policies: extract, validate, load, query, serve.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., object])

StoreOption = typer.Option(None, "--store", help="Store directory (default: settings store_path, POLICYKG_STORE_PATH).")


class RdfOut(str, Enum):
    turtle = "turtle"
    nquads = "nquads"
    jsonld = "jsonld"


class TableOut(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class ReportOut(str, Enum):
    text = "text"
    json = "json"
    turtle = "turtle"


def _settings(store: Optional[Path] = None, **overrides: object) -> Settings:
    """Settings from the environment, with ``--store`` as the embedded store's folder and the other
    command-line ``overrides`` (``host``, ``port``...).

    Raises :class:`ConfigError` when ``--store`` is given while ``POLICYKG_SPARQL_ENDPOINT`` selects a
    remote store: the command would read and write the remote store and silently ignore the folder (a
    "scratch store" merge would land in the shared server).
    """
    settings = Settings.from_env(store_path=store, **overrides)
    if store is not None and settings.remote:
        raise ConfigError(f"--store {store} names an embedded store, but POLICYKG_SPARQL_ENDPOINT="
                          f"{settings.sparql_endpoint} selects a remote one: drop --store to use the remote store, "
                          "or unset POLICYKG_SPARQL_ENDPOINT to use the folder")
    return settings


def _visible(text: str) -> str:
    """An error message with invisible characters shown (:func:`policykg.rdfio.show_invisible`)."""
    from .rdfio import show_invisible  # noqa: PLC0415

    return show_invisible(str(text))


def handles_errors(fn: F) -> F:
    """Turn core errors into a message on stderr and their exit code."""

    @functools.wraps(fn)
    def wrapper(*args: object, **kwargs: object) -> object:
        try:
            return fn(*args, **kwargs)
        except ValidationFailed as exc:
            if exc.report is not None:
                err.print(exc.report.to_text(), markup=False, highlight=False)
            err.print(f"policykg: {_visible(exc.detail)}", markup=False, highlight=False)
            raise typer.Exit(exc.exit_code) from None
        except PolicyKGError as exc:
            err.print(f"policykg: {_visible(exc.detail)}", markup=False, highlight=False)
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:  # output piped into `head` and the like: not an error
            sys.stderr.close()
            raise typer.Exit(0) from None
        except OSError as exc:  # a file we were told to read or write cannot be
            where = exc.filename if exc.filename is not None else "file system"
            err.print(f"policykg: {where}: {exc.strerror or exc}", markup=False, highlight=False)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def _extract(path: Path, settings: Settings):  # noqa: ANN202 - loaders.Extraction
    import loaders  # noqa: PLC0415 - the CLI is the one place that imports loaders

    # loaders.read_document says what a path that is no file is (missing, a directory, a link loop...)
    return loaders.extract(path, Minter(settings.base_iri), reference=_cached_reference(settings),
                           ontology_dir=settings.ontology_dir, max_bytes=settings.max_upload_bytes)


@functools.lru_cache(maxsize=4)
def _reference_for(ontology_dir: Path, base_iri: str):  # noqa: ANN202
    """Regions, agencies and the SKOS vocabularies: what loaders link names against."""
    from .reference import load_ontology_graph, load_reference_graph  # noqa: PLC0415

    graph = load_reference_graph(ontology_dir, base=base_iri)
    graph += load_ontology_graph(ontology_dir, base=base_iri)
    return graph


def _cached_reference(settings: Settings):  # noqa: ANN202
    return _reference_for(settings.ontology_dir, settings.base_iri)


@functools.lru_cache(maxsize=4)
def _validator_for(shapes_dir: Path, ontology_dir: Path, base_iri: str):  # noqa: ANN202
    from .validation import Validator  # noqa: PLC0415

    return Validator(shapes_dir, ontology_dir, base_iri=base_iri)


def _validator(settings: Settings):  # noqa: ANN202
    return _validator_for(settings.shapes_dir, settings.ontology_dir, settings.base_iri)


@app.command()
@handles_errors
def extract(
    file: Path = typer.Argument(..., help="A briefing: .txt (text of a PDF), .pdf, .html or .md (Markdown)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write here instead of stdout."),
    fmt: RdfOut = typer.Option(RdfOut.turtle, "--format", help="RDF syntax of the output."),
) -> None:
    """Run the loader on one document and write its triples (no store involved)."""
    from .rdfio import FORMATS, serialize_graph  # noqa: PLC0415

    settings = _settings()
    result = _extract(file, settings)
    info = next(f for f in FORMATS if f.name == fmt.value)
    if fmt is RdfOut.nquads:
        import rdflib  # noqa: PLC0415

        ds = rdflib.Dataset()
        g = ds.graph(result.graph_name)
        for t in result.graph:
            g.add(t)
        data = ds.serialize(format="nquads").encode("utf-8")
    else:
        data = serialize_graph(result.graph, info)
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        output.write_bytes(data)
    for w in result.warnings:
        err.print(f"warning: {w}", markup=False, highlight=False)
    err.print(_stats_line(file, result.stats), markup=False, highlight=False)


def _merge(st, settings: Settings, entries, *, replace: bool = False):  # noqa: ANN001, ANN202
    """Validate and write ``entries`` together with any missing or stale ontology/reference graphs,
    all in one transaction (a failed merge writes nothing at all). ``replace``: replace a graph even
    when it holds another source's entries (``policykg.ingest.check_replacements``)."""
    from .ingest import merge_entries, reference_changes  # noqa: PLC0415

    import rdflib  # noqa: PLC0415

    missing = reference_changes(st, settings)
    context = rdflib.Graph()
    for graph in missing.values():  # not in the store yet: validate against them as written
        context += graph
    return merge_entries(st, _validator(settings), entries, also_write=missing, reference=context, replace=replace)


@app.command(name="eval")
@handles_errors
def evaluate(
    gold: Path = typer.Argument(..., help="Gold annotation (YAML, the format of shared/corpus/gold/)."),
    document: Path = typer.Argument(..., help="The document the gold file annotates."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
) -> None:
    """Extract DOC and print precision and recall per field against the gold annotation."""
    from loaders.evaluate import evaluate as run_evaluation  # noqa: PLC0415
    from loaders.evaluate import load_gold  # noqa: PLC0415

    settings = _settings()
    if not gold.exists():
        raise InputError("no such file", file=str(gold))
    yaml_suffixes = (".yaml", ".yml")
    if document.suffix.lower() in yaml_suffixes and gold.suffix.lower() not in yaml_suffixes:
        raise InputError(f"the gold annotation comes first: policykg eval {document} {gold}", file=str(gold))
    expected = load_gold(gold)
    result = run_evaluation(expected, _extract(document, settings), reference=_cached_reference(settings))
    if as_json:
        sys.stdout.write(json.dumps(result.to_json(), indent=1) + "\n")
    else:
        sys.stdout.write(result.to_text())


def _stats_line(file: Path, stats: dict) -> str:
    keys = ("policies", "reports", "targets", "provisions", "triples")
    return f"{file}: " + ", ".join(f"{stats.get(k, 0)} {k}" for k in keys)


@app.command()
@handles_errors
def load(
    files: List[Path] = typer.Argument(..., help="Briefings to extract and load."),
    store: Optional[Path] = StoreOption,
) -> None:
    """Extract, validate and write documents: one named graph each, all in one transaction.

    On a violation the report is printed, nothing is written, and the exit code is 1. A document in
    which no policy or report is found is refused (exit 2), and nothing is written.
    """
    from .ingest import Entry  # noqa: PLC0415
    from .store import open_store  # noqa: PLC0415

    settings = _settings(store)
    if settings.remote or Path(settings.store_path).exists():
        # a store held by a running server, or opened read-only, is refused before the extraction (seconds
        # per briefing) rather than after it; a store not yet made is made only by the write below
        with open_store(settings) as st:
            st.check_usable()
            if getattr(st, "read_only", False):
                raise StoreError(f"the store at {st.path} is open read-only (POLICYKG_STORE_READ_ONLY) and "
                                 "`load` writes: nothing was read or written")
    results = [_extract(f, settings) for f in files]
    for f, r in zip(files, results):
        if not (r.stats.get("policies") or r.stats.get("reports")):
            raise InputError("no policy or report found, so nothing was written: is it a policy-tracker "
                             "briefing? (policykg extract shows what the loader reads)", file=str(f))
    entries = [Entry(r.graph_name, r.graph, str(f)) for f, r in zip(files, results)]
    _refuse_shared_graphs(entries)
    created = not settings.remote and not Path(settings.store_path).exists()
    with open_store(settings) as st:
        st.check_usable()
        outcome = _merge(st, settings, entries)
    for f, r in zip(files, results):
        for w in r.warnings:
            err.print(f"warning: {w}", markup=False, highlight=False)
        out.print(_stats_line(f, r.stats), markup=False, highlight=False)
    out.print(f"store: {_where(settings)}" + (" (new: there was no store there)" if created else ""), markup=False,
              highlight=False)
    _print_merge_summary(outcome)


def _where(settings: Settings) -> str:
    """The store a command used, for its summary: the remote query endpoint, or the embedded store's
    absolute folder (the default var/store is relative to the working directory)."""
    return settings.sparql_endpoint if settings.remote else str(Path(settings.store_path).resolve())


def _require_store(settings: Settings, given: Optional[Path], why: str = "") -> None:
    """ConfigError when the embedded store's folder is not there: opening it would make an empty store,
    and a command that only reads or drops would then report on nothing (``given``: the --store option)."""
    if not settings.remote and not Path(settings.store_path).exists():
        raise ConfigError(f"there is no store at {Path(settings.store_path).resolve()}"
                          + (" (--store)" if given is not None else " (POLICYKG_STORE_PATH, default var/store)")
                          + why)


def _refuse_shared_graphs(entries) -> None:  # noqa: ANN001 - list[policykg.ingest.Entry]
    """Refuse (InputError naming both files) two inputs of one run that would fill one named graph:
    files of the same name in two folders (a/x.txt, b/x.txt), or two TriG files naming one graph. One
    graph would hold both, and a briefing's spans and policies would be credited to the other."""
    seen: dict[str, str] = {}
    for e in entries:
        first = seen.setdefault(str(e.graph_name), e.source)
        if first != e.source:
            raise InputError(f"{first} and {e.source} would both fill the named graph {e.graph_name}; rename one "
                             "of them, or give them in two runs (the second then replaces the first); nothing "
                             "was written", file=e.source)


def _curated_reader(settings: Settings) -> Callable[..., object]:
    """The curated CSV/YAML reader bound to these settings (used by the CLI and passed to the API).

    ``read(path, source=None, *, graph_slug=None, check_records=None)``: ``source`` names the input in
    messages instead of ``path``; ``graph_slug`` names the graph the entries fill and their document node
    (default: the file name's slug); ``check_records(n)`` may refuse a file of ``n`` records before
    it is turned into RDF (see ``loaders.curated.load_curated``).
    """
    import rdflib  # noqa: PLC0415
    from loaders.curated import load_curated  # noqa: PLC0415

    reference = _cached_reference(settings)
    minter = Minter(settings.base_iri)

    def read(path: Path, source: str | None = None, *, graph_slug: str | None = None,
             check_records: Callable[[int], None] | None = None) -> object:
        return load_curated(path, minter, reference=reference, vocabularies=rdflib.Graph(),
                            max_bytes=settings.max_upload_bytes, source=source, graph_slug=graph_slug,
                            check_records=check_records)

    return read


def _read_entries(files: List[Path], settings: Settings):  # noqa: ANN202
    from .ingest import entries_from_dataset  # noqa: PLC0415
    from .rdfio import parse_rdf_file  # noqa: PLC0415

    minter = Minter(settings.base_iri)
    entries = []
    for f in files:
        if not f.exists():
            raise InputError("no such file", file=str(f))
        suffix = f.suffix.lower()
        if suffix in (".csv", ".yaml", ".yml"):
            from .ingest import Entry  # noqa: PLC0415

            r = _curated_reader(settings)(f)
            for w in getattr(r, "warnings", ()):  # the loader's own (no target year...): stderr, beside any report
                err.print(f"warning: {f}: {w}", markup=False, highlight=False)
            entries.append(Entry(r.graph_name, r.graph, str(f), r.subject_lines(str(f))))
            continue
        dataset = parse_rdf_file(f, max_bytes=settings.max_upload_bytes)
        text = f.read_text(encoding="utf-8-sig") if f.suffix.lower() in (".ttl", ".nt", ".trig", ".nq") else None
        entries.extend(entries_from_dataset(dataset, str(f), minter, text))
    return entries


@app.command()
@handles_errors
def validate(
    files: List[Path] = typer.Argument(..., help="Entries to check: Turtle, N-Triples, JSON-LD, RDF/XML, TriG, N-Quads, or the CSV/YAML template."),
    store: Optional[Path] = StoreOption,
    fmt: ReportOut = typer.Option(ReportOut.text, "--format", help="Report format."),
    no_store: bool = typer.Option(False, "--no-store", help="Check against the reference data only, not the store."),
) -> None:
    """Validate entries against the shapes, in the context of the graph. Writes nothing.

    Every file is read: one that cannot be (missing, malformed) is reported, and the others are still
    validated, so a check over many files shows every problem in one run. With --format json the
    unreadable files are listed under "input_errors" (their problem+json documents, RFC 9457).
    Exit 0 conforms (warnings allowed), 1 violations, 2 unreadable input (before violations).
    """
    from .ingest import validate_entries  # noqa: PLC0415
    from .store import open_store  # noqa: PLC0415

    settings = _settings(store)
    entries, unreadable = [], []
    for f in files:
        try:
            entries.extend(_read_entries([f], settings))
        except InputError as exc:  # reported below, with the others' report
            unreadable.append(exc)
    reference = _cached_reference(settings)
    report = None
    missing = not (no_store or settings.remote or Path(settings.store_path).exists())
    if missing and store is not None:  # a mistyped --store would check against nothing, silently
        raise ConfigError(f"there is no store at {Path(store).resolve()} (--store): give the folder of an existing "
                          "store, or --no-store to check against the reference data only")
    if missing:
        err.print(f"policykg: no store at {Path(settings.store_path).resolve()}: the entries are checked against "
                  "the reference data only (--store DIR to check them against a store)", markup=False,
                  highlight=False)
    if entries:
        if no_store or missing:
            report = validate_entries(None, _validator(settings), entries, reference=reference)
        else:
            with open_store(settings) as st:
                st.check_usable()  # the entries' IRIs could never meet the store's
                report = validate_entries(st, _validator(settings), entries, reference=reference)
    if fmt is ReportOut.json:
        doc = report.to_json() if report is not None else {"conforms": False, "focus_count": 0, "results": []}
        if unreadable:
            doc["conforms"] = False
            doc["input_errors"] = [e.problem() for e in unreadable]
        out.print_json(json.dumps(doc))
    else:
        for e in unreadable:
            err.print(f"policykg: {_visible(e.detail)}", markup=False, highlight=False)
        if report is not None:
            sys.stdout.write(report.to_turtle() if fmt is ReportOut.turtle else report.to_text() + "\n")
    if unreadable:
        raise typer.Exit(2)
    raise typer.Exit(0 if report is not None and report.conforms else 1)


@app.command()
@handles_errors
def merge(
    files: List[Path] = typer.Argument(..., help="Entries to merge (as for validate)."),
    store: Optional[Path] = StoreOption,
    replace: bool = typer.Option(False, "--replace", help="Replace a graph even when it holds another source's "
                                 "entries (a loaded briefing, a curated file of another name)."),
) -> None:
    """Validate entries and, only if there is no violation, write them in one transaction.

    A file's triples outside named graphs (and a curated CSV/YAML file) fill the named graph
    {base}graph/{file name slug} (my-policies.csv: graph/my-policies-csv): merging an edited file
    replaces what it wrote before. A graph that holds another source's entries (a briefing loaded
    under that name, a curated file of another name) is not replaced without --replace (exit 2,
    nothing written). The summary says what each graph held before and after. A second run with the
    same files is a no-op; a failure leaves the store as it was.
    """
    from .store import open_store  # noqa: PLC0415

    settings = _settings(store)
    entries = _read_entries(files, settings)
    _refuse_shared_graphs(entries)
    created = not settings.remote and not Path(settings.store_path).exists()
    with open_store(settings) as st:
        st.check_usable()
        outcome = _merge(st, settings, entries, replace=replace)
    # which store: the default var/store is relative to the working directory, so a merge run
    # elsewhere fills a new store that `serve` in the checkout never reads
    out.print(f"store: {_where(settings)}" + (" (new: there was no store there)" if created else ""), markup=False,
              highlight=False)
    _print_merge_summary(outcome)


@app.command()
@handles_errors
def graphs(
    store: Optional[Path] = StoreOption,
    fmt: TableOut = typer.Option(TableOut.table, "--format", help="Output format."),
) -> None:
    """List the store's entry graphs (what load and merge wrote, what drop takes): each graph's name,
    triples, policies and the source files its document nodes record."""
    from .ingest import entry_graphs  # noqa: PLC0415
    from .store import open_store  # noqa: PLC0415

    settings = _settings(store)
    _require_store(settings, store)
    with open_store(settings) as st:
        st.check_usable()  # graph names are read under the base IRI: another store's would all be missed
        held = entry_graphs(st)
    prefix = f"{settings.base_iri}graph/"
    rows = [{"graph": str(g), "name": str(g)[len(prefix):], "triples": h.triples, "policies": h.policies,
             "sources": sorted(str(v) if v else str(k) for k, v in h.sources.items())} for g, h in held.items()]
    if fmt == TableOut.json:
        out.print(json.dumps(rows, ensure_ascii=False, indent=1), markup=False, highlight=False)
        return
    if fmt == TableOut.csv:
        import csv  # noqa: PLC0415
        import io  # noqa: PLC0415

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["name", "triples", "policies", "sources", "graph"])
        for r in rows:
            writer.writerow([r["name"], r["triples"], r["policies"], " ".join(r["sources"]), r["graph"]])
        out.print(buffer.getvalue(), end="", markup=False, highlight=False)
        return
    if not rows:
        out.print("no entry graphs: the store holds only the ontology and the reference data", markup=False,
                  highlight=False)
        return
    table = Table("name", "triples", "policies", "sources")
    for r in rows:
        table.add_row(r["name"], str(r["triples"]), str(r["policies"]), ", ".join(r["sources"]) or "(plain RDF)")
    out.print(table)
    out.print(f"{len(rows)} entry graph(s) under {prefix}", markup=False, highlight=False)


@app.command()
@handles_errors
def drop(
    graphs: List[str] = typer.Argument(..., help="Graphs to drop: a name under {base}graph/ (ccnt-2024-03-04), "
                                       "the file a merge or load read (my-policies.csv), a graph IRI, or the IRI "
                                       "of the briefing or curated file a graph holds."),
    store: Optional[Path] = StoreOption,
) -> None:
    """Withdraw merged or loaded entries: drop their named graphs in one transaction.

    Only if what the other graphs hold still conforms: the resources the drop touches (a policy another
    graph also describes, a target another graph holds, the policies of other graphs citing an agency
    only this graph named) are validated again as the drop would leave them. Exit 1: the drop would
    bring violations (the report names the graphs that hold them); exit 2: another graph makes
    statements about a resource only these graphs give a class, or a name is no entry graph of the
    store. Nothing is dropped then: drop the graphs that depend on each other together. The summary
    says what each graph held.
    """
    from .ingest import drop_graphs_checked  # noqa: PLC0415
    from .store import open_store  # noqa: PLC0415

    settings = _settings(store)
    _require_store(settings, store, ": give the folder of the store the entries were merged into")
    with open_store(settings) as st:
        st.check_usable()
        names = [_graph_argument(text, st) for text in graphs]
        outcome = drop_graphs_checked(st, _validator(settings), names)
        left = _has_documents(st, settings)
    out.print(f"store: {_where(settings)}", markup=False, highlight=False)
    for name, held in outcome.dropped.items():
        out.print(f"dropped {name}: {held.describe()}", markup=False, highlight=False)
    if outcome.checked:
        out.print(f"checked again {outcome.checked} resource(s) of other graphs that it touched: no new violation, "
                  f"{len(outcome.new_warnings)} new warning(s)", markup=False, highlight=False)
    for w in outcome.new_warnings:
        label = f"{w.focus_label} <{w.focus_node}>" if w.focus_label else f"<{w.focus_node}>"
        out.print(f"  {w.one_line()}: {label}", markup=False, highlight=False)
    if not left and not settings.remote:
        out.print(f"the store holds no entries now: `policykg serve` loads the briefings of {settings.sample_dir} "
                  "into it when it starts", markup=False, highlight=False)


def _graph_argument(text: str, st) -> "URIRef":  # noqa: ANN001, F821 - a Store; an rdflib URIRef
    """The graph IRI a ``drop`` argument names.

    An absolute IRI (``<...>`` as messages print it, or bare): that graph; or, when the store has no
    such graph, the graph that holds that document node (``{base}id/briefing/{slug}``, the briefing or
    curated file a page shows). Else the first of these the store has: ``{base}graph/{text}``, the
    graph ``merge`` fills from a curated file of that name (``my-policies.csv`` ->
    ``graph/my-policies-csv``), the graph ``load`` or ``merge`` fills from a briefing or an RDF file of
    that name (``ccnt-2024-03-04.txt`` -> ``graph/ccnt-2024-03-04``); a path's folders are left out.
    When the store has none of them, ``{base}graph/{text}`` (which the drop reports missing).
    """
    from rdflib import URIRef  # noqa: PLC0415

    import unicodedata  # noqa: PLC0415

    import pyoxigraph as ox  # noqa: PLC0415

    from .ingest import _INVISIBLE, file_graph_slug  # noqa: PLC0415
    from .store import iri_ref  # noqa: PLC0415
    from .vocab import PKG, slugify  # noqa: PLC0415

    hidden = sorted({c for c in text if c != " " and unicodedata.category(c) in _INVISIBLE})
    if hidden:  # the slug fallbacks below would drop them, and name a graph the text does not show
        raise InputError(f"{text!r} holds a character a reader cannot see (" + ", ".join(
            f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed')}" for c in hidden) + "): name the graph as the "
            "store lists it", field="graph")
    text = text.strip()
    have = st.graph_names()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if "://" in text:
        iri = URIRef(text)
        if iri not in have:
            try:
                ox.NamedNode(text)  # the engine's IRI check (a broken '%ZZ' escape), before any query
                rows = st.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {iri_ref(text)} a {iri_ref(PKG.Briefing)} }} }}")
            except ValueError:  # not an IRI: the drop refuses it with its reason
                rows = []
            if len(rows) == 1:
                return rows[0]["g"]
        return iri
    plain = URIRef(f"{st.base_iri}graph/{text}")
    name = Path(text).name
    for slug in (text, slugify(name), file_graph_slug(name)):
        if slug and URIRef(f"{st.base_iri}graph/{slug}") in have:
            return URIRef(f"{st.base_iri}graph/{slug}")
    return plain


def _print_merge_summary(outcome) -> None:  # noqa: ANN001
    """What a load or merge wrote: counts, then each graph added and each graph whose earlier content it replaced."""
    report = outcome.report
    n_warn = len(report.warnings) if report is not None else 0
    replaced = f" ({len(outcome.replaced)} replaced)" if outcome.replaced else ""
    out.print(f"written {len(outcome.written)} graph(s){replaced}, unchanged {len(outcome.unchanged)}; "
              f"{n_warn} validation warning(s)", markup=False, highlight=False)
    for w in report.warnings if report is not None else ():  # which entry, and where it is written
        label = f"{w.focus_label} <{w.focus_node}>" if w.focus_label else f"<{w.focus_node}>"
        out.print(f"  {w.one_line()}: {label}", markup=False, highlight=False)
    for name in outcome.written:
        if name not in outcome.replaced:
            out.print(f"added {name}", markup=False, highlight=False)
    for name in outcome.replaced:
        before, after = outcome.before.get(name), outcome.after.get(name)
        held = f": now {after.describe()} (before: {before.describe()})" if before is not None and after is not None \
            else ""
        out.print(f"replaced {name}{held}", markup=False, highlight=False)
    for name in outcome.unchanged:
        out.print(f"unchanged {name}: it already holds exactly these entries", markup=False, highlight=False)


@app.command()
@handles_errors
def query(
    sparql: str = typer.Argument(..., help="A SPARQL query, '@file.rq', or the name of a canned query."),
    store: Optional[Path] = StoreOption,
    fmt: TableOut = typer.Option(TableOut.table, "--format",
                                 help="Output format. 'table' is a table in a terminal and tab-separated values "
                                      "(header line, one row a line, nothing cut) when written to a file or pipe."),
    param: List[str] = typer.Option([], "--param", "-p", help="Canned-query parameter NAME=VALUE (repeatable)."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1,
                                        help="Print at most this many rows of a SELECT query (a page), and say "
                                             "on stderr when more follow."),
    offset: int = typer.Option(0, "--offset", min=0,
                               help="Skip this many rows of a SELECT query first, in the query's own order."),
) -> None:
    """Run a SELECT/ASK/CONSTRUCT query (or a canned query by name) on the store."""
    from .store import open_store  # noqa: PLC0415

    from .sparql import MAX_OFFSET, load_canned_queries, resolve_resources  # noqa: PLC0415

    # checked here, not by typer's max=: policykg.sparql is imported only when needed
    for name, value in (("--limit", limit), ("--offset", offset)):
        if value is not None and value > MAX_OFFSET:
            raise typer.BadParameter(f"{value} is more than {MAX_OFFSET}, the largest {name[2:]} of a page",
                                     param_hint=f"'{name}'")
    settings = _settings(store)
    text, bindings = _resolve_query(sparql, param, settings)
    _require_store(settings, store)
    with open_store(settings) as st:
        canned = load_canned_queries(settings.queries_dir).get(sparql) if not sparql.startswith("@") else None
        # a server without a union default graph would answer every query with nothing; a canned query names
        # resources under the base IRI, which a store built with another one does not hold
        if settings.remote or canned is not None:
            st.check_usable()
        if canned is not None:  # a named resource the graph lacks is an error, not an empty table
            given = dict(p.split("=", 1) for p in param)
            bindings = resolve_resources(st, canned, bindings, given, settings.base_iri)
            text, bindings = canned.bound_text(bindings), {}
        if limit is not None or offset:
            text = _page(text, limit, offset)
        _print_query(st, text, bindings, fmt, page=None if limit is None else (offset, limit))


def _page(text: str, limit: Optional[int], offset: int) -> str:
    """``text`` (a SELECT query) with ``offset`` rows skipped and at most ``limit + 1`` rows asked for (the
    extra one tells whether more follow), by :func:`policykg.sparql.page_query` and
    :func:`~policykg.sparql.limit_query`, as ``GET /api/queries/{name}?limit=&offset=`` pages. Raises
    InputError for another query form: a CONSTRUCT's LIMIT counts solutions, not the triples printed."""
    from .sparql import inspect_query, limit_query, page_query  # noqa: PLC0415

    info = inspect_query(text)
    if info.form != "SELECT":
        raise InputError(f"--limit and --offset page the rows of a SELECT query; this is {info.form} "
                         "(write LIMIT and OFFSET into the query itself)")
    text, info = page_query(text, info, offset)
    return text if limit is None else limit_query(text, info, limit)


def _resolve_query(sparql: str, params: List[str], settings: Settings):  # noqa: ANN202
    if sparql.startswith("@"):
        path = Path(sparql[1:])
        if not path.exists():
            raise InputError("no such file", file=str(path))
        return path.read_text(encoding="utf-8-sig"), {}  # a leading BOM is a signature, not query text
    looks_like_name = all(c.isalnum() or c in "-_" for c in sparql)
    if looks_like_name:
        from .sparql import load_canned_queries  # noqa: PLC0415

        canned = load_canned_queries(settings.queries_dir)
        if sparql not in canned:
            raise InputError(f"no canned query named {sparql!r}; known: {', '.join(sorted(canned))}")
        values = {}
        for p in params:
            if "=" not in p:
                raise InputError(f"--param {p!r}: expected NAME=VALUE")
            k, v = p.split("=", 1)
            if k in values:  # the last value would silently win, hiding a wrong one (as /api/queries/ refuses)
                raise InputError(f"give --param {k} once (given {values[k]!r} and {v!r})")
            values[k] = v
        return canned[sparql].bind(values, settings.base_iri)
    if params:
        raise InputError("--param applies to canned queries only")
    return sparql.removeprefix("\ufeff"), {}


def _print_query(st, text: str, bindings: dict, fmt: TableOut,  # noqa: ANN001
                 page: tuple[int, int] | None = None) -> None:
    """Print the answer of ``text`` in ``fmt``; ``page`` = ``(offset, limit)``: print at most ``limit`` rows
    of an answer asked for with one more (:func:`_page`), and say on stderr where the next page starts."""
    from .sparql import inspect_query, star_columns  # noqa: PLC0415

    form = inspect_query(text).form
    if form == "ASK":
        value = st.ask(text, bindings)
        out.print(json.dumps({"boolean": value}) if fmt is TableOut.json else str(value).lower())
        return
    if form in ("CONSTRUCT", "DESCRIBE"):
        from .rdfio import format_for_path, serialize_graph  # noqa: PLC0415

        from .store import TripleTermsInGraph  # noqa: PLC0415

        try:
            graph = st.construct(text, bindings)
        except TripleTermsInGraph:
            # RDF 1.2 triple terms: written in Turtle 1.2 (<<( s p o )>>, RDF 1.2 Turtle §2.3.2), as /sparql does
            import pyoxigraph as ox  # noqa: PLC0415

            from .vocab import PREFIXES  # noqa: PLC0415

            if not hasattr(st, "construct_triples"):
                raise QueryError("the answer holds RDF 1.2 triple terms, which this store's client cannot read; "
                                 "ask the SPARQL endpoint for Turtle directly") from None
            triples = st.construct_triples(text, bindings)
            sys.stdout.write(ox.serialize(triples, format=ox.RdfFormat.TURTLE,
                                          prefixes=dict(PREFIXES)).decode("utf-8"))
            return
        sys.stdout.write(serialize_graph(graph, format_for_path("result.ttl")).decode("utf-8"))
        return
    rows = st.select(text, bindings)
    names: list[str] = list(getattr(rows, "variables", []))  # the query's own column order
    for r in rows:
        for k in r:
            if k not in names:
                names.append(k)
    if page is not None and len(rows) > page[1]:
        rows = list(rows)[:page[1]]
        err.print(f"more rows follow: --offset {page[0] + page[1]} gives the next {page[1]}", markup=False,
                  highlight=False)
    columns = star_columns(text)
    if columns:  # SELECT *: the order the query names them in, as /sparql gives them
        names = [n for n in columns if n in names] + [n for n in names if n not in columns]
    if fmt is TableOut.json:  # an unbound variable is null: every row has every column, as CSV and TSV do
        out.print_json(json.dumps([{k: _json_value(r[k]) if r.get(k) is not None else None for k in names}
                                   for r in rows]))
    elif fmt is TableOut.csv:
        import csv  # noqa: PLC0415

        w = csv.writer(sys.stdout)
        w.writerow(names)
        for r in rows:
            w.writerow([_text_value(r.get(n)) for n in names])
    elif not out.is_terminal:
        # written to a file or a pipe: tab-separated values (a header line, then one row a line, every value
        # whole and unpadded, as `gh` and `kubectl` do off a terminal), for cut, sort, awk and spreadsheets;
        # the row count goes to stderr so that it is no row
        sys.stdout.write("\t".join(names) + "\n")
        for r in rows:
            sys.stdout.write("\t".join(_tsv_field(_text_value(r.get(n))) for n in names) + "\n")
        sys.stdout.flush()
        err.print(f"{len(rows)} row(s)", markup=False, highlight=False)
    else:
        from rdflib import URIRef  # noqa: PLC0415
        from rich.text import Text  # noqa: PLC0415

        from .vocab import PREFIXES, short_iri  # noqa: PLC0415

        base = st.base_iri
        shortened = False
        texts: list[list[str]] = []
        for r in rows:
            cells = []
            for n in names:
                text = _text_value(r.get(n))
                if isinstance(r.get(n), URIRef) and short_iri(text, base) != text:
                    text, shortened = short_iri(text, base), True
                cells.append(text)
            texts.append(cells)
        if _table_fits(names, texts, out.width):
            table = Table()
            for n in names:  # a long value folds onto more lines: a cut one ("region/CN…") could be any of several
                table.add_column(Text(n), overflow="fold")
            for cells in texts:  # data, never console markup or emoji codes ("[draft]", ":smile:")
                table.add_row(*(Text(c) for c in cells))
            out.print(table)
        else:  # too many columns for the terminal: one record after another, "column  value" a line (psql's \x)
            for i, cells in enumerate(texts, 1):
                record = Table(title=Text(f"row {i}"), title_justify="left", show_header=False, box=None,
                               padding=(0, 2, 0, 0))
                record.add_column(style="bold", no_wrap=True)
                record.add_column(overflow="fold")
                for n, c in zip(names, cells):
                    record.add_row(Text(n), Text(c))
                out.print(record)
        out.print(f"{len(rows)} row(s)")
        if shortened:  # a terminal is narrow: IRIs as paths under {base}id/ and prefixed names, said once
            err.print(f"IRIs shortened: kind/slug (policy/..., region/CN-SD) stands for {base}id/kind/slug, and "
                      f"prefix:name for the prefix's namespace (pkg: is {PREFIXES['pkg']}); --format csv or "
                      "json gives them whole", markup=False, highlight=False)


#: Narrowest a column of the terminal table may get before the answer is printed a record at a time instead.
_MIN_COLUMN = 12


def _table_fits(names: List[str], rows: List[List[str]], width: int) -> bool:
    """Whether a table of these columns fits a terminal ``width`` characters wide without folding a short
    value: each column gets its header's width or its longest value's, whichever is larger, capped at
    :data:`_MIN_COLUMN` (longer values may fold), plus 3 characters of border and padding. Else the table
    would split numbers and codes over lines ("1200" / "0000"), and records read better."""
    need = 1
    for j, name in enumerate(names):
        longest = max([len(name)] + [len(r[j]) for r in rows])
        need += min(longest, max(_MIN_COLUMN, len(name))) + 3
    return need <= width


def _tsv_field(text: str) -> str:
    """A value as one tab-separated field: backslash, tab, line feed and carriage return written
    ``\\\\``, ``\\t``, ``\\n``, ``\\r`` (the escapes of PostgreSQL's and MySQL's text formats; IANA's
    text/tab-separated-values allows no tab or line break in a field)."""
    if not any(c in text for c in "\\\t\n\r"):
        return text
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


_XSD_NUMBERS = {f"http://www.w3.org/2001/XMLSchema#{t}" for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
    "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte", "decimal", "double",
    "float")}


def _text_value(term) -> str:  # noqa: ANN001 - an rdflib term or None
    """A query result value for ``--format csv`` and the table: the term's text, as ``/sparql`` writes
    it in CSV (SPARQL 1.1 Query Results CSV §3.1): the lexical form the store holds
    (:func:`policykg.store.to_rdflib` keeps it), with infinities and NaN in their XSD forms (``INF``,
    ``-INF``, ``NaN``) whatever a remote server wrote."""
    if term is None:
        return ""
    text = str(term)
    if str(getattr(term, "datatype", None) or "") in _XSD_DOUBLES:
        value = term.toPython()
        if isinstance(value, float) and not math.isfinite(value):  # XSD 1.1 §3.3.5 lexical forms, not Python's
            return "NaN" if math.isnan(value) else ("INF" if value > 0 else "-INF")
    return text


_XSD_DOUBLES = {"http://www.w3.org/2001/XMLSchema#double", "http://www.w3.org/2001/XMLSchema#float"}


def _json_value(term) -> object:  # noqa: ANN001 - an rdflib term
    """A query result value for ``--format json``: XSD numbers and booleans as JSON numbers and booleans
    (``NaN``, ``INF``, ``-INF`` as those texts, and a decimal with more digits than a double keeps as its
    exact text), everything else as its text (IRIs, strings, dates, years)."""
    datatype = str(getattr(term, "datatype", None) or "")
    if datatype == "http://www.w3.org/2001/XMLSchema#boolean" and str(term) in ("true", "false", "1", "0"):
        return str(term) in ("true", "1")
    if datatype in _XSD_NUMBERS:
        value = term.toPython()
        if isinstance(value, bool):
            return str(term)
        if isinstance(value, int):
            return value
        try:
            number = float(value)
        except (TypeError, ValueError):
            return str(term)
        if datatype.endswith("#decimal") and math.isfinite(number):
            try:
                if Decimal(str(term)) != Decimal(repr(number)):
                    return str(term)  # more digits than a JSON reader's double keeps: the exact text
            except InvalidOperation:
                return str(term)
        if number.is_integer() and abs(number) < 2 ** 53:
            return int(number)  # "50"^^xsd:decimal is 50, not 50.0
        if math.isnan(number):
            return "NaN"  # the XSD 1.1 lexical forms (§3.3.5); JSON has no number for them
        return number if math.isfinite(number) else ("INF" if number > 0 else "-INF")
    return str(term)


@app.command()
@handles_errors
def serve(
    store: Optional[Path] = StoreOption,
    host: Optional[str] = typer.Option(None, "--host", help="Interface to bind (default 127.0.0.1)."),
    port: Optional[int] = typer.Option(None, "--port", help="Port (default 8000)."),
    workers: Optional[int] = typer.Option(
        None, "--workers", min=1,
        help="Server processes sharing the port (default 1; POLICYKG_WORKERS). Above 1 they serve a "
             "read-only snapshot of the store taken at start."),
) -> None:
    """Serve the graph over HTTP; builds it from the bundled briefing when the store is empty.

    With --workers N (N > 1), uvicorn runs N server processes on one port, so that answers use more
    than one core. The embedded store is then snapshotted once at start (hard links beside the store,
    OxigraphStore.snapshot); each process serves the snapshot read-only, and this process keeps the
    store itself open, so no other command writes it meanwhile. The snapshot is deleted when the
    server stops.
    """
    import uvicorn  # noqa: PLC0415

    from .store import (  # noqa: PLC0415
        OwnedDir, OxigraphStore, open_store, remove_stale_dirs, same_file_system, scratch_folder)

    settings = _settings(store, host=host, port=port, workers=workers)
    if settings.write_token and (settings.workers > 1 or settings.store_read_only):
        raise ConfigError("POLICYKG_WRITE_TOKEN (POST /merge) needs one server process on a writable store: "
                          "unset it, or serve with 1 worker and without POLICYKG_STORE_READ_ONLY")
    _check_port_free(settings.host, settings.port)  # before a build that can take a minute
    st = open_store(settings)
    snapshot = None
    try:
        st.check_usable()
        on_disk = isinstance(st, OxigraphStore) and st.path is not None and not st.read_only
        snapshots = scratch_folder(st.path, "serve-snapshots", settings.scratch_dir) if on_disk else None
        if snapshots is not None:
            remove_stale_dirs(snapshots)
            if settings.workers > 1 and not same_file_system(st.path, snapshots):
                err.print(f"warning: {snapshots} is on another file system than the store {st.path}: the "
                          "snapshot is a full copy, not hard links (set POLICYKG_SCRATCH_DIR to a folder on the "
                          "store's file system)", markup=False, highlight=False)
        if not settings.store_read_only:
            _prepare_for_serving(st, settings)
        if settings.workers == 1:
            application = _server_app_on(settings, st)
            err.print(f"serving http://{settings.host}:{settings.port}/ (SPARQL at /sparql)")
            # uvicorn re-raises a SIGTERM after its graceful shutdown; exiting instead lets the finally
            # clauses and atexit hooks (the query pool's checkpoints) clean up, as after Ctrl-C.
            previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
            try:
                uvicorn.run(application, host=settings.host, port=settings.port, log_level="info",
                            access_log=settings.access_log, **_proxy_options(settings))
            finally:
                signal.signal(signal.SIGTERM, previous)
            return
        served = settings
        if snapshots is not None:
            snapshot = OwnedDir(snapshots, create=False)
            st.snapshot(snapshot.path)
            served = settings.replace(store_path=snapshot.path, store_read_only=True)
        _build_server_app(served)[1].close()  # what each server process does: a broken setting fails here, once
        err.print(f"serving http://{settings.host}:{settings.port}/ (SPARQL at /sparql) "
                  f"with {settings.workers} server processes")
        exported = served.to_env()  # how the server processes (spawned by uvicorn) get their settings
        saved = {k: os.environ.get(k) for k in exported}
        os.environ.update(exported)
        try:
            uvicorn.run("policykg.cli:server_app", factory=True, workers=settings.workers, host=settings.host,
                        port=settings.port, log_level="info", access_log=settings.access_log,
                        **_proxy_options(settings))
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    finally:
        if snapshot is not None:
            snapshot.release()
        st.close()


def _proxy_options(settings: Settings) -> dict[str, object]:
    """uvicorn's proxy options for ``serve``: believe ``X-Forwarded-*`` only from the proxies configured.

    uvicorn by itself believes them from 127.0.0.1, so a user of the server's machine, or any client
    behind a local proxy that passes a client's own ``X-Forwarded-For`` through (nginx does unless told
    otherwise), could claim a fresh address per query and take every query worker. Here no peer is
    believed unless ``POLICYKG_FORWARDED_ALLOW_IPS`` (or uvicorn's ``FORWARDED_ALLOW_IPS``) names it.
    Raises :class:`ConfigError` for an entry of either that is no IP address or network.
    """
    from .settings import check_forwarded_allow_ips  # noqa: PLC0415

    allowed = settings.forwarded_allow_ips.strip() or check_forwarded_allow_ips(
        os.environ.get("FORWARDED_ALLOW_IPS", "").strip(), "FORWARDED_ALLOW_IPS")
    if not allowed:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": allowed}


def _prepare_for_serving(st, settings: Settings) -> None:  # noqa: ANN001
    """Load the reference data, or build the whole store from the bundled briefings when it has no document."""
    from .ingest import Entry, ensure_reference  # noqa: PLC0415

    if _has_documents(st, settings):
        ensure_reference(st, settings)
        return
    # not .md: the folder's SOURCES.md says where the briefings come from
    docs = sorted(p for p in Path(settings.sample_dir).glob("*") if p.suffix.lower() in (".txt", ".pdf", ".html"))
    err.print(f"store is empty: building it from {len(docs)} bundled briefing(s) in {settings.sample_dir}")
    started = time.perf_counter()
    entries = []
    for d in docs:
        r = _extract(d, settings)
        entries.append(Entry(r.graph_name, r.graph, str(d)))
        err.print(_stats_line(d, r.stats), markup=False, highlight=False)
    _merge(st, settings, entries)
    err.print(f"built in {time.perf_counter() - started:.1f} s")


def _server_app_on(settings: Settings, st):  # noqa: ANN001, ANN202 - (Store) -> FastAPI
    """The application ``serve`` runs on the open store ``st``, with the curated-entry reader."""
    from api import create_app  # noqa: PLC0415

    return create_app(settings, st, curated_reader=_curated_reader(settings))


def _build_server_app(settings: Settings):  # noqa: ANN202 - (FastAPI, Store)
    """The application of one server process on the store ``settings`` select, and that store."""
    from .store import open_store  # noqa: PLC0415

    st = open_store(settings)
    try:
        return _server_app_on(settings, st), st
    except BaseException:
        st.close()
        raise


def _check_port_free(host: str, port: int) -> None:
    """Raise :class:`ConfigError` when ``host:port`` cannot be bound (in use, or not an address here).

    Bound and released at once with ``SO_REUSEADDR``, as uvicorn binds it, so a port in
    TIME_WAIT counts as free. A check, not a reservation: uvicorn still reports a port
    taken in between.
    """
    import errno  # noqa: PLC0415
    import socket  # noqa: PLC0415

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ConfigError(f"cannot serve on {host}:{port}: {exc.strerror or exc}; set --host or POLICYKG_HOST") from exc
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6 and hasattr(socket, "IPV6_V6ONLY"):  # as asyncio binds it for uvicorn
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            why = "is in use" if exc.errno == errno.EADDRINUSE else f"cannot be bound ({exc.strerror})"
            raise ConfigError(f"port {port} on {host} {why}: stop what holds it, or serve on another port "
                              "(--port, POLICYKG_PORT)") from exc


def server_app():  # noqa: ANN201 - FastAPI
    """The application of one server process of ``policykg serve --workers N`` (a uvicorn app factory).

    Settings come from the ``POLICYKG_*`` variables ``serve`` set: the store
    is the read-only snapshot (or the remote store). On Linux the process
    asks to be killed when ``serve`` dies (``prctl(PR_SET_PDEATHSIG)``), so
    that a ``kill -9`` of ``serve`` leaves no server holding the port and a
    snapshot. A :class:`~policykg.errors.PolicyKGError` while building the
    application exits with uvicorn's start-up failure code 3, which stops
    uvicorn instead of making it restart the process forever (``serve``
    builds the same application once before, so this is a backstop).
    """
    _die_with_parent()
    try:
        return _build_server_app(Settings.from_env())[0]
    except PolicyKGError as exc:
        err.print(f"policykg: {_visible(exc.detail)}", markup=False, highlight=False)
        sys.exit(3)  # uvicorn.config.STARTUP_FAILURE


def _exit_on_sigterm(signum: int, frame: object) -> None:
    """SIGTERM handler: leave by ``SystemExit`` (exit 0), running ``finally`` clauses and ``atexit`` hooks."""
    sys.exit(0)


def _die_with_parent() -> None:
    """Have the kernel send SIGTERM to this process when the ``serve`` process that spawned it dies.

    Linux only (``prctl(PR_SET_PDEATHSIG)``), and only in a process started by
    ``multiprocessing`` (uvicorn's workers); elsewhere nothing. The spawning
    parent's pid comes from ``multiprocessing``, not from ``getppid``, which
    already names a reaper if ``serve`` died while this process started.
    """
    import multiprocessing  # noqa: PLC0415

    spawner = multiprocessing.parent_process()
    if spawner is None or not sys.platform.startswith("linux"):
        return
    import ctypes  # noqa: PLC0415

    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_pdeathsig = 1  # <linux/prctl.h>
    if libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0) != 0:
        return
    if os.getppid() != spawner.pid:  # serve died before prctl took effect
        os.kill(os.getpid(), signal.SIGTERM)


def _has_documents(st, settings: Settings) -> bool:  # noqa: ANN001
    m = Minter(settings.base_iri)
    fixed = {m.ontology_graph, m.reference_graph, st.meta_graph}
    return any(g not in fixed for g in st.graph_names())


@app.command()
@handles_errors
def dump(
    output: Path = typer.Argument(..., help="File to write: N-Quads (all named graphs); '.gz' compresses."),
    store: Optional[Path] = StoreOption,
) -> None:
    """Back up the whole store (every named graph) as N-Quads.

    The file ends with a comment line giving the number of quads and a SHA-256 checksum, which
    `restore` checks. It is written beside OUTPUT under a temporary name and then renamed, so a
    failed dump (a full disk) leaves an earlier backup of that name as it was.
    """
    import gzip  # noqa: PLC0415
    import os  # noqa: PLC0415
    import tempfile  # noqa: PLC0415

    from .store import open_store, seal_dump  # noqa: PLC0415

    settings = _settings(store)
    _require_store(settings, store)  # opening a missing folder would make an empty store and back it up
    with open_store(settings) as st:
        data = seal_dump(st.dump_nquads())
    payload = gzip.compress(data) if output.suffix == ".gz" else data
    folder = output.resolve().parent
    try:
        fd, partial = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".partial", dir=folder)
    except OSError as exc:
        raise InputError(f"cannot write there: {exc.strerror or exc}", file=str(output)) from None
    try:
        os.fchmod(fd, _new_file_mode(output))  # mkstemp makes 0600; the dump gets the mode open() would give it
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(partial, output)
    except OSError as exc:
        Path(partial).unlink(missing_ok=True)
        raise InputError(f"the dump could not be written ({exc.strerror or exc}); an earlier file of that name "
                         "is unchanged", file=str(output)) from None
    out.print(f"wrote {len(data)} bytes of N-Quads ({len(payload)} bytes on disk) to {output}")


def _new_file_mode(path: Path) -> int:
    """The permission bits ``open(path, "w")`` would leave ``path`` with: an existing file's own, else
    0666 less the process's umask (POSIX ``open(2)``, ``O_CREAT``). For a file written under a temporary
    name and renamed over ``path`` (``tempfile.mkstemp`` creates it 0600, whatever the umask)."""
    import os  # noqa: PLC0415
    import stat  # noqa: PLC0415

    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mask = os.umask(0o022)  # read the umask (only by setting it), then put it back
        os.umask(mask)
        return 0o666 & ~mask


@app.command()
@handles_errors
def restore(
    dump_file: Path = typer.Argument(..., help="An N-Quads dump made by 'policykg dump' (.nq or .nq.gz)."),
    store: Optional[Path] = StoreOption,
    unchecked: bool = typer.Option(False, "--unchecked",
                                   help="Restore an N-Quads file that 'policykg dump' did not write (no checksum line)."),
) -> None:
    """Replace the whole store by a dump, in one transaction.

    The dump's last line (quad count and checksum) must match its content: a dump cut short or
    damaged is refused and the store is left as it was.
    """
    import gzip  # noqa: PLC0415

    from .store import restore_store  # noqa: PLC0415

    settings = _settings(store)
    if settings.remote:
        raise InputError("restore writes the embedded store; load a dump into a remote server with its own tools")
    if settings.store_read_only:
        raise ConfigError("restore replaces the store, which POLICYKG_STORE_READ_ONLY opens read-only: "
                          "nothing was written")
    if not dump_file.exists():
        raise InputError("no such file", file=str(dump_file))
    try:
        # streamed: the dump (inflated, for .gz) is never held whole in memory
        stream = gzip.open(dump_file, "rb") if dump_file.suffix == ".gz" else dump_file.open("rb")
    except OSError as exc:
        raise InputError(f"cannot read it: {exc.strerror or exc}", file=str(dump_file)) from None
    with stream:
        count = restore_store(settings.store_path, stream, source=str(dump_file), require_trailer=not unchecked)
    out.print(f"restored {count} quads from {dump_file} into {settings.store_path}")


def main() -> None:
    """Console-script entry point."""
    from .validation import quiet_ill_typed_literals  # noqa: PLC0415

    quiet_ill_typed_literals()
    app()


if __name__ == "__main__":
    main()
