"""The generated benchmark corpus (``benchmarks/corpus.py``) and the loader's accuracy on it.

A small, fast version of the accuracy part of ``benchmarks/bench_loaders.py``:
five briefings in the sample's layout, whose truth the generator knows; the
loader must find exactly their policies, titles and source URLs, and read the
Perspectives reports as reports, not policies.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _module(name: str):  # noqa: ANN202 - a module
    """Import ``benchmarks/<name>.py`` (the folder is not a package)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    spec = importlib.util.spec_from_file_location(f"benchmarks.{name}", ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


corpus = _module("corpus")


@pytest.fixture(scope="module")
def vocab():  # noqa: ANN201
    return corpus.load_vocabulary(ROOT / "ontology")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory, vocab):  # noqa: ANN001, ANN201
    out = tmp_path_factory.mktemp("corpus")
    return out, corpus.generate_corpus(out, 5, seed=7, vocab=vocab)


def test_vocabulary_comes_from_the_reference_data(vocab) -> None:  # noqa: ANN001
    assert "Implementation Plan" in vocab.genres and "Notice" in vocab.genres
    assert any(domain == "ndrc.gov.cn" for _, domain in vocab.agencies)
    assert any(name == "Shandong Province" for name, _ in vocab.provinces)


def test_generation_is_deterministic(tmp_path: Path, vocab) -> None:  # noqa: ANN001
    a = corpus.generate_corpus(tmp_path / "a", 3, seed=11, vocab=vocab)
    b = corpus.generate_corpus(tmp_path / "b", 3, seed=11, vocab=vocab)
    c = corpus.generate_corpus(tmp_path / "c", 3, seed=12, vocab=vocab)
    for x, y in zip(a, b):
        assert Path(x.path).read_bytes() == Path(y.path).read_bytes()
        assert x.policies == y.policies
    assert [Path(x.path).read_bytes() for x in a] != [Path(z.path).read_bytes() for z in c]


def test_layout_matches_the_sample(generated) -> None:  # noqa: ANN001
    """Page chunks start with one space; each title's URL is listed once per line the title spans."""
    _out, truths = generated
    for t in truths:
        text = Path(t.path).read_text(encoding="utf-8")
        lines = text.split("\n")
        assert lines[0].startswith(" ") and not lines[0].startswith("  ")
        headings = {ln.strip() for ln in lines}  # a heading that opens a page has the page's leading space
        assert "Subnational Updates" in headings and "Perspectives" in headings
        for p in t.policies:
            copies = sum(1 for ln in lines if ln == p.url)
            first_words = " ".join(p.title.split()[:3])
            assert 1 <= copies <= 4, (p.title, copies)
            assert first_words in " ".join(lines)


def test_loader_finds_policies_titles_and_urls_exactly(generated) -> None:  # noqa: ANN001
    from loaders import extract
    from policykg.vocab import Minter

    bench = _module("bench_loaders")
    _out, truths = generated
    for t in truths:
        ex = extract(Path(t.path), Minter(), ontology_dir=ROOT / "ontology")
        s = bench.score(ex, t)
        assert s["policies_hit"] == s["policies_true"] == s["policies_found"], (t.path, s)
        assert s["policies_false"] == 0
        assert s["urls_exact"] == s["policies_true"], (t.path, s)
        assert s["reports_hit"] == s["reports_true"] and s["reports_as_policies"] == 0, (t.path, s)
