"""Loading small invented briefings in the loader tests, reading what they gave (policies by title, targets), and
the loaders' runaway guard (:func:`assert_linear`)."""

from __future__ import annotations

import gc
import re
import time
from pathlib import Path
from typing import Callable, TypeVar

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF

from loaders import Extraction, extract_document
from loaders.document import read_document
from loaders.linking import Linker, load_reference
from policykg.settings import PROJECT_ROOT
from policykg.vocab import PKG, Minter

T = TypeVar("T")


def reference_linker() -> Linker:
    """The project's reference data (regions, agencies, vocabularies) as a :class:`Linker`;
    :func:`loaders.linking.load_reference` caches it per directory, so every call is cheap."""
    return load_reference(PROJECT_ROOT / "ontology")


def extract_text(tmp_path: Path, text: str, name: str = "brief.txt") -> Extraction:
    """``text`` written to ``tmp_path/name`` (the suffix picks the reader) and extracted as a briefing."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return extract_document(read_document(path), Minter(), reference_linker())


#: The subnational part's heading of a CCNT briefing: a snippet after it is read as a provincial or municipal policy.
LOCAL = " Subnational Updates\n\n"


#: A page's link line after a briefing snippet (:func:`only_policy`): the CCNT layout lists a page's links after
#: its text, so the snippet's policy has a source URL and a publication date.
SOURCE_LINK = "\n\n\nhttp://www.example.gov.cn/zwgk/202403/t20240304_112233.html\n"


def only_policy(tmp_path: Path, text: str) -> tuple[Graph, str, URIRef]:
    """``(graph, title, policy IRI)`` of the one policy a briefing snippet gives (:data:`SOURCE_LINK` is appended
    to ``text``); the unpacking fails the test unless there is exactly one."""
    graph = extract_text(tmp_path, text + SOURCE_LINK).graph
    ((title, policy),) = policies_by_title(graph).items()
    return graph, title, policy


def policies_by_title(graph: Graph) -> dict[str, URIRef]:
    """Every policy of an extraction's ``graph`` by each of its titles (``dcterms:title``, any language)."""
    return {str(t): pol for pol in graph.subjects(RDF.type, PKG.Policy) for t in graph.objects(pol, DCTERMS.title)}


def year_values(graph: Graph, policy: URIRef) -> list[tuple[int | None, float | None]]:
    """The targets ``policy`` sets, as ``(target year, normalised value)`` pairs (None where absent), sorted."""
    out = []
    for t in graph.objects(policy, PKG.setsTarget):
        y, v = graph.value(t, PKG.targetYear), graph.value(t, PKG.normalizedValue)
        out.append((int(str(y)[:4]) if y is not None else None, float(v) if v is not None else None))
    return sorted(out, key=lambda x: (x[0] or 0, x[1] or 0))


def agency_labels(graph: Graph, policy: URIRef, prop: URIRef = PKG.issuedBy) -> set[str]:
    """The English names of the agencies ``policy`` links to by ``prop`` (``pkg:issuedBy`` unless given): the
    reference data's preferred label, else the label the extraction minted, else the IRI."""
    from rdflib.namespace import SKOS

    out = set()
    for a in graph.objects(policy, prop):
        info = reference_linker().agency(a)
        out.add(info.pref_label if info is not None else str(graph.value(a, SKOS.prefLabel) or a))
    return out


def ccnt_page(body: str, n: int, urls: list[str]) -> str:
    """One CCNT page as its PDF's text comes out: a leading space, the text, a "Policy Tracker | n" footer, and
    the page's link list (one URL a line), as in the sample briefing."""
    return f" {body}\n\nPolicy Tracker | {n}\n\n\n" + "".join(u + "\n" for u in urls)


def genre_regex() -> re.Pattern[str]:
    """The loader's title regex built from the reference genre labels (what :func:`loaders.briefing.find_title`
    is given when a briefing is read)."""
    from loaders.briefing import _genre_regex

    return _genre_regex([lab for lab, _ in reference_linker().genre_labels])


def url_tails(ex: Extraction, policy: URIRef) -> list[str]:
    """The last path segments of ``policy``'s source URLs, sorted (``["t_3.htm"]``)."""
    return sorted(str(u).rsplit("/", 1)[1] for u in ex.graph.objects(policy, PKG.sourceURL))


def goal_tuples(text: str, year: int = 2026) -> list[tuple[str, int | None, float | None]]:
    """:func:`loaders.goals.find_goals` of ``text`` (briefing year ``year``) as ``(kind, target year, normalised
    value)`` tuples."""
    from loaders.goals import find_goals

    return [(g.kind, g.target_year, float(g.normalized_value) if g.normalized_value is not None else None)
            for g in find_goals(text, context_year=year)]


def _thread_cost(run: Callable[[T], object], arg: T) -> float:
    """CPU seconds ``run(arg)`` takes in this thread, with the cyclic garbage collector paused (its passes over
    the whole test process's heap, late in the suite, are not the rule's cost)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        started = time.thread_time()
        run(arg)
        return time.thread_time() - started
    finally:
        if enabled:
            gc.enable()


def assert_linear(run: Callable[[T], object], make: Callable[[int], T], size: int, *,
                  factor: int = 4, bound: float = 10.0, rounds: int = 3, floor_s: float = 0.1) -> None:
    """The loaders' runaway guard: ``run(make(size))`` costs at most ``bound`` times ``run(make(size // factor))``.

    A rule that re-reads the text before each match costs ``factor**2`` (16) times as much on an input
    ``factor`` (4) times as long; a linear one about ``factor`` times. Both inputs are measured on the same
    machine at the same moment, in this thread's CPU time (:func:`time.thread_time`), so the guard holds on a
    slow or loaded machine: absolute bounds did not (a 0.3 s parse measured 7.7 s of thread CPU time late in a
    CI run, on a shared virtual machine). Each size's cost is the least of up to ``rounds`` measurements,
    taken alternately, the large input first (a cold first measurement then errs towards "not linear", which
    the next rounds correct); the guard passes at the first round under ``bound``, so a linear rule whose
    ratio is near it (a run-on clause's about 8x) is not failed by one slow measurement late in a long suite.
    A large input that costs under ``floor_s`` seconds passes whatever the ratio (timer noise on tiny costs).

    Raises AssertionError giving both sizes, their costs and the ratio.
    """
    small_arg, large_arg = make(max(1, size // factor)), make(size)
    run(make(max(1, size // (factor * 16))))  # caches, compiled patterns and reference data: not the rule's cost
    small = large = float("inf")
    for _ in range(rounds):
        large = min(large, _thread_cost(run, large_arg))
        small = min(small, _thread_cost(run, small_arg))
        if large < floor_s or large <= bound * small:
            return
    raise AssertionError(f"not linear: {large:.3f} s at size {size} against {small:.3f} s at size "
                         f"{size // factor}: {large / small:.1f}x for {factor}x the input (at most {bound}x)")
