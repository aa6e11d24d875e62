"""Loaders: read briefings (text, PDF, HTML) into RDF triples with evidence spans.

Public interface::

    extract(path, minter, *, reference=None, ontology_dir=None,
            max_bytes=10_000_000, timeout_s=60) -> Extraction

Pipeline: :mod:`loaders.document` reads the file (text + link annotations),
:mod:`loaders.briefing` parses the layout (sections, headlines, policies,
reports, links), :mod:`loaders.linking` links regions, agencies, genres and
web hosts to the reference data, :mod:`loaders.emit` writes the triples (and
calls :mod:`loaders.goals` for targets and provisions).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import rdflib
from rdflib import URIRef

from policykg.errors import InputError
from policykg.settings import PROJECT_ROOT
from policykg.vocab import Minter, slugify

if TYPE_CHECKING:  # imported lazily so that ``python -m loaders.briefing`` runs cleanly
    from .document import Document
    from .linking import Linker

__all__ = ["Extraction", "extract", "extract_document"]


@dataclass
class Extraction:
    """What one document says, as RDF.

    ``graph``: all triples (policies, targets, provisions, reports, the
    briefing, evidence spans, agencies it had to mint); ``document``: the
    ``pkg:Briefing`` IRI (``Minter.briefing(slug)``); ``graph_name``: the named
    graph for this document (``Minter.graph(slug)``); ``text``: the text as
    read (evidence offsets index it); ``warnings``: ``"file: what"`` notes;
    ``stats``: counts of ``policies``, ``reports``, ``targets``,
    ``provisions``, ``triples``.
    """

    graph: rdflib.Graph
    document: URIRef
    graph_name: URIRef
    text: str
    warnings: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)


def extract(path: Path, minter: Minter, *, reference: rdflib.Graph | None = None,
            ontology_dir: Path | None = None, max_bytes: int = 10_000_000, timeout_s: float = 60) -> Extraction:
    """Read the briefing at ``path`` (``.txt``, ``.pdf``, ``.html``/``.htm``, ``.md``/``.markdown``; a ``.txt``
    that is plainly Markdown is read as Markdown, :func:`loaders.markdown.looks_like_markdown`) into an
    :class:`Extraction`.

    ``reference``: a graph holding regions, agencies, agency types and the
    genre vocabulary; when ``None`` it is read from ``ontology_dir``
    (default: the project's ``ontology/``: ``reference/*.ttl`` and
    ``vocab/*.ttl``). The document slug is ``slugify(path.stem)``.

    Deterministic: extracting the same file twice gives isomorphic graphs
    with identical N-Triples (no blank nodes).

    Raises :class:`~policykg.errors.UnsupportedFormat` (unknown suffix),
    :class:`~policykg.errors.PayloadTooLarge` (over ``max_bytes``) or
    :class:`~policykg.errors.InputError` (missing, empty, binary, wrongly
    encoded or unreadable file), each naming the file.
    """
    from .document import read_document
    from .linking import load_reference

    path = Path(path)
    doc = read_document(path, max_bytes=max_bytes, timeout_s=timeout_s)
    if reference is not None:
        linker = _linker_for(reference)
    else:
        linker = load_reference(Path(ontology_dir) if ontology_dir is not None else PROJECT_ROOT / "ontology")
    return extract_document(doc, minter, linker)


_LINKERS: "weakref.WeakKeyDictionary[rdflib.Graph, tuple[int, Linker]]" = weakref.WeakKeyDictionary()


def _linker_for(reference: rdflib.Graph) -> "Linker":
    """A :class:`~loaders.linking.Linker` for ``reference``, reused while the graph is alive and unchanged."""
    from .linking import Linker

    hit = _LINKERS.get(reference)
    if hit is not None and hit[0] == len(reference):
        return hit[1]
    linker = Linker(reference)
    _LINKERS[reference] = (len(reference), linker)
    return linker


def extract_document(doc: "Document", minter: Minter, linker: "Linker") -> Extraction:
    """:func:`extract` for a document already read (:func:`loaders.document.read_document`)."""
    from .briefing import parse_briefing
    from .emit import emit

    slug = slugify(doc.path.stem)
    if not slug:
        raise InputError("the file name gives no document slug", file=doc.path.name)
    genre_labels = [lab for lab, _ in linker.genre_labels]
    parse = parse_briefing(doc.text, genre_labels, page_starts=doc.page_starts, anchors=doc.anchors,
                           wrapped=doc.kind not in ("html", "markdown"))  # whole paragraphs, not wrapped lines
    if doc.kind == "html":
        from .html import single_policy_fallback
        single_policy_fallback(parse, doc, genre_labels)
    result = emit(parse, linker, minter, slug, doc.path.name, kind=doc.kind, source_url=doc.url,
                  title=doc.title, page_date=doc.published)
    warnings = [f"{doc.path.name}: {w}" for w in doc.warnings] + result.warnings
    if not parse.policies and not parse.reports:
        warnings.append(f"{doc.path.name}: no policy or report found")
    if not linker.regions:
        warnings.append(f"{doc.path.name}: reference data has no regions (jurisdictions not linked)")
    return Extraction(result.graph, minter.briefing(slug), minter.graph(slug), doc.text, warnings,
                      result.stats)
