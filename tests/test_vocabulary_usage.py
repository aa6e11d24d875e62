"""Every ontology term the code, shapes and queries use is declared, and every declared
term is used somewhere or documented as reserved (``vs:term_status "reserved"``)."""

from __future__ import annotations

import re

import rdflib
from rdflib import URIRef

from policykg.settings import PROJECT_ROOT
from policykg.vocab import PKG_NS

VS_STATUS = URIRef("http://www.w3.org/2003/06/sw-vocab-status/ns#term_status")
SCANNED = {
    "loaders": ("*.py", "*.yaml"),
    "policykg": ("*.py",),
    "api": ("*.py", "templates/*.html"),
    "shapes": ("*.ttl",),
    "queries": ("*.rq",),
}
_USE = re.compile(r"(?:\bPKG\.|\bpkg:|ontology#)([A-Za-z][A-Za-z0-9_]*)")


def declared() -> dict[str, rdflib.Graph]:
    g = rdflib.Graph().parse(PROJECT_ROOT / "ontology" / "policykg.ttl")
    terms = {str(s)[len(PKG_NS):] for s in g.subjects() if str(s).startswith(PKG_NS)}
    return terms, g


def used() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for folder, patterns in SCANNED.items():
        for pattern in patterns:
            for path in (PROJECT_ROOT / folder).glob(pattern):
                text = path.read_text(encoding="utf-8")
                for m in _USE.finditer(text):
                    out.setdefault(m.group(1), set()).add(str(path.relative_to(PROJECT_ROOT)))
    return out


def test_every_term_used_is_declared():
    terms, _ = declared()
    # placeholders in policykg/describe.py: a sentinel value inside a query and a docstring's example
    ignore = {"Qualitative", "Name", "X"}
    missing = {t: sorted(files) for t, files in used().items() if t not in terms and t not in ignore}
    assert missing == {}


def test_every_declared_term_is_used_or_reserved():
    terms, g = declared()
    in_use = set(used())
    # terms that only the ontology and reference data use (SKOS individuals, header)
    data = "\n".join(p.read_text(encoding="utf-8") for p in (PROJECT_ROOT / "ontology").rglob("*.ttl")
                     if p.name != "policykg.ttl")
    in_use |= {t for t in terms if f"pkg:{t}" in data or f"ontology#{t}" in data}
    # a used individual makes its class and its concept scheme used
    changed = True
    while changed:
        changed = False
        for t in list(in_use):
            for p in (rdflib.RDF.type, rdflib.namespace.SKOS.inScheme):
                for o in g.objects(URIRef(PKG_NS + t), p):
                    name = str(o)[len(PKG_NS):] if str(o).startswith(PKG_NS) else None
                    if name and name not in in_use:
                        in_use.add(name)
                        changed = True
    unused = sorted(t for t in terms if t and t not in in_use and (URIRef(PKG_NS + t), VS_STATUS, None) not in g)
    assert unused == []
