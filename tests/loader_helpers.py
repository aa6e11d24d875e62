"""Loading small invented briefings in the loader tests (session 9 rules, bilingual, headlines, attacks)."""

from __future__ import annotations

from pathlib import Path

from loaders import Extraction, extract_document
from loaders.document import read_document
from loaders.linking import Linker, load_reference
from policykg.settings import PROJECT_ROOT
from policykg.vocab import Minter


def reference_linker() -> Linker:
    """The project's reference data (regions, agencies, vocabularies) as a :class:`Linker`;
    :func:`loaders.linking.load_reference` caches it per directory, so every call is cheap."""
    return load_reference(PROJECT_ROOT / "ontology")


def extract_text(tmp_path: Path, text: str, name: str = "brief.txt") -> Extraction:
    """``text`` written to ``tmp_path/name`` (the suffix picks the reader) and extracted as a briefing."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return extract_document(read_document(path), Minter(), reference_linker())
